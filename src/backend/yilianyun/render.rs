//! The whole backend half of the pipeline for one model: neutralise, lay out, lower.

use serde::Serialize;

use crate::backend::Model;
use crate::document::Document;
use crate::error::{Error, Warning};
use crate::frame::Frame;
use crate::layout::layout;

use super::{JobSummary, LowerOptions, lower_with, neutralise_document};

/// A document printed for one model: the frame (for previews), the content, every warning
/// (neutralisation's, layout's, then the lowering's) and the job settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// The laid-out paper.
    pub frame: Frame,
    /// The `content` for the print API.
    pub content: String,
    /// Warnings from layout and lowering.
    pub warnings: Vec<Warning>,
    /// The job settings emitted.
    pub settings: JobSummary,
}

/// Neutralises `doc`, lays it out for `model` and lowers it. The paper is `columns` if given
/// (a `--paper` flag), else the document's `paper:` setting, else the model's default paper.
pub fn render(
    doc: &Document,
    model: &Model,
    columns: Option<u16>,
    options: LowerOptions,
) -> Result<Rendered, Error> {
    render_owned(doc.clone(), model, columns, options)
}

/// [`render`] for a document the caller no longer needs (neutralisation rewrites it in place,
/// so no copy is made: `Template::render` binds a fresh document every time).
pub fn render_owned(
    mut doc: Document,
    model: &Model,
    columns: Option<u16>,
    options: LowerOptions,
) -> Result<Rendered, Error> {
    let mut warnings = neutralise_document(&mut doc, model);
    let columns = columns.or(doc.settings.paper.as_ref().map(|p| p.value.columns()));
    let laid = layout(&doc, &model.layout_options(columns))?;
    let lowered = lower_with(&laid.frame, model, options)?;
    warnings.extend(laid.warnings);
    warnings.extend(lowered.warnings);
    Ok(Rendered {
        frame: laid.frame,
        content: lowered.content,
        warnings,
        settings: lowered.settings,
    })
}
