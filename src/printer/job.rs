//! What a render returns: the job for the printer, in the dialect's form.

use serde::Serialize;

use crate::backend::VoiceTag;
use crate::document::{Cut, Reminder};
use crate::error::Warning;
use crate::frame::Frame;

/// What a dialect's lowering produces for one frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lowered {
    /// The printer's input.
    pub output: Output,
    /// Approximations made (a dropped bold, an ignored volume, …).
    pub warnings: Vec<Warning>,
    /// The job settings the output carries.
    pub settings: JobSummary,
}

/// A printer's input: text for the cloud printers' APIs, bytes for a local printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "value")]
#[non_exhaustive]
pub enum Output {
    /// Tag text, the `content` parameter of a cloud print API (before URL encoding).
    Text(String),
    /// Raw bytes for the printer (e.g. ESC/POS).
    Bytes(Vec<u8>),
}

impl Output {
    /// The text, if the output is text.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Output::Text(s) => Some(s),
            Output::Bytes(_) => None,
        }
    }

    /// The output as bytes (text as UTF-8).
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Output::Text(s) => s.as_bytes(),
            Output::Bytes(b) => b,
        }
    }
}

/// A document rendered for one printer: the output, the laid-out frame (for previews), every
/// warning, and the job settings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    /// The id of the model it was rendered for (`k4-a`).
    pub printer: String,
    /// The laid-out paper; previews read it.
    pub frame: Frame,
    /// What the printer takes.
    pub output: Output,
    /// Warnings from preparation, layout and lowering, in that order.
    pub warnings: Vec<Warning>,
    /// The job settings the output carries.
    pub settings: JobSummary,
}

impl Job {
    /// The text content, for a dialect whose output is text (every cloud printer).
    pub fn content(&self) -> Option<&str> {
        self.output.as_text()
    }

    /// What the paper will look like, as monospace text ([`crate::preview::text()`]).
    pub fn preview_text(&self) -> String {
        crate::preview::text(&self.frame)
    }
}

/// The job settings a lowering emitted, as values and as the control instructions that carry
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct JobSummary {
    /// Copies, if emitted.
    pub copies: Option<u8>,
    /// New-order reminder, if emitted.
    pub reminder: Option<Reminder>,
    /// Paper cut, if emitted.
    pub cut: Option<Cut>,
    /// Print width in mm, if emitted.
    pub print_width_mm: Option<u16>,
    /// Whether the printer is asked to print its stored logo.
    pub logo: bool,
    /// The voice, if emitted.
    pub voice: Option<VoiceSummary>,
    /// The control instructions, in the order they start the output (`<MN>2</MN>`, …).
    pub tags: Vec<String>,
}

/// What the printer will say.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoiceSummary {
    /// Which tag.
    pub tag: VoiceTag,
    /// The spoken text, as sent.
    pub text: String,
    /// The volume sent, if the tag has one.
    pub volume: Option<u8>,
}
