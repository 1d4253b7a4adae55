//! The frame: what `layout` produces and every backend and preview reads.
//!
//! A frame is the paper, described without any printer dialect: lines of styled runs at known
//! half-width column positions, code blocks, and the job settings. Invariant: for every line,
//! runs are sorted by column, do not overlap, and end at or before [`Frame::columns`].

use serde::Serialize;

use crate::document::{Align, CodeKind, JobSettings, Origin, Style};
use crate::span::Span;

pub use crate::measure::Encoding;
pub use crate::vocab::{LayoutOptions, StyleSupport};

/// A laid-out receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Frame {
    /// Paper width in half-width (12-dot) columns.
    pub columns: u16,
    /// The printer's encoding the frame was laid out for (from [`LayoutOptions::encoding`]):
    /// every character in it is printable on this encoding, and readers measure with it.
    pub encoding: Encoding,
    /// Job settings (copies, voice, cut …), validated later against the model.
    pub settings: JobSettings,
    /// Items, top to bottom.
    pub items: Vec<Item>,
}

/// One item on the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Item {
    /// A printed line of text (possibly empty).
    Line(Line),
    /// A code block (always centred by the printer, on lines of its own).
    Code(CodeItem),
}

/// What produced a line; backends may use it (e.g. a native tag for a centred line) and the SVG
/// preview draws rules differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum LineKind {
    /// Text (paragraph, heading, arrow, row).
    Text,
    /// A rule, possibly with a label.
    Rule,
    /// An empty line.
    Blank,
}

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// What produced it.
    pub kind: LineKind,
    /// The alignment of the block it came from (a hint; positions are already final).
    pub align: Align,
    /// The runs, sorted by `col`, non-overlapping; gaps are spaces at normal size.
    pub runs: Vec<Placed>,
    /// The template span of the block.
    pub span: Span,
}

/// A run of text at a position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placed {
    /// First half-width column (0-based).
    pub col: u16,
    /// Half-width columns it occupies (= ceil(dots / 12)).
    pub width: u16,
    /// The printable text: every character is printable on the target encoding (replacements
    /// already made), and there are no control characters.
    pub text: String,
    /// Its style (already degraded to what the model can print).
    pub style: Style,
    /// Template or data.
    pub origin: Origin,
    /// Where in the template.
    pub span: Span,
}

/// A code block in the frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeItem {
    /// Which code.
    pub kind: CodeKind,
    /// Its data.
    pub data: String,
    /// Template or data.
    pub origin: Origin,
    /// Where in the template.
    pub span: Span,
}
