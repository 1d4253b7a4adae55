//! The generic preview profile: no real printer, every style and code printable.

use std::sync::OnceLock;

use crate::backend::Model;
use crate::backend::yilianyun::neutralise_document;
use crate::document::{Document, JobSettings};
use crate::error::{Error, Warning};
use crate::frame::Frame;

use super::{Dialect, JobSummary, Lowered, Output, RenderOptions};

/// The record of the generic profile, in the catalogue's own format.
const RECORD: &str = r#"
id = "generic"
name = "generic preview printer (no model's limits)"
source = "slipmark: a preview profile, not a printer"
paper = { default_columns = 32, max_columns = 255 }
styles = { bold = true, wide = true, wide2 = true, tall = true, tall2 = true }
align = {}
codes = { qr = { max_bytes = 65535 }, ean13 = true, code128 = { max_len = 65535 }, code128c = { max_odd = 65535, max_even = 65535 }, logo = "ml-switch" }
copies = { min = 1, max = 255 }
reminder = true
sound = true
confirm = true
cut = true
voice = { tag = "tts", max_chars = 65535 }
limits = { native_budget = 0, max_content_chars = 4294967295 }
full_line_wraps = false
"#;

/// The generic profile's model record.
pub(super) fn model() -> Model {
    static MODEL: OnceLock<Model> = OnceLock::new();
    MODEL
        .get_or_init(|| toml::from_str(RECORD).expect("the generic record parses"))
        .clone()
}

/// The dialect of [`Printer::generic`](super::Printer::generic): a preview profile.
///
/// - **prepare**: data and template text are neutralised as the tag dialects do it (`<` → `＜`,
///   `@@` → `＠@`, line breaks → spaces), so the generic preview is never narrower than a cloud
///   printer's paper;
/// - **lower**: the output is the text preview of the frame ([`crate::preview::text()`]); every
///   job setting is accepted and summarised, none is emitted.
#[derive(Debug, Clone, Copy, Default)]
pub struct Generic;

impl Dialect for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }

    fn prepare(&self, doc: &mut Document, model: &Model) -> Vec<Warning> {
        neutralise_document(doc, model)
    }

    fn lower(&self, frame: &Frame, _: &Model, _: RenderOptions) -> Result<Lowered, Error> {
        Ok(Lowered {
            output: Output::Text(crate::preview::text(frame)),
            warnings: Vec::new(),
            settings: summary(&frame.settings),
        })
    }
}

fn summary(settings: &JobSettings) -> JobSummary {
    JobSummary {
        copies: settings.copies.as_ref().map(|c| c.value),
        reminder: settings.reminder.as_ref().map(|r| r.value),
        cut: settings.cut.as_ref().map(|c| c.value),
        ..JobSummary::default()
    }
}
