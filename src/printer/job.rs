//! What a render returns: the job for the printer, in the dialect's form.

use serde::Serialize;

use crate::backend::VoiceTag;
use crate::document::{Cut, Reminder, Sound};
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

    /// The bytes in standard base64 (with `=` padding), for JSON.
    pub fn to_base64(&self) -> String {
        const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let bytes = self.as_bytes();
        let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
        for chunk in bytes.chunks(3) {
            let n = chunk
                .iter()
                .enumerate()
                .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
            for i in 0..4 {
                if i <= chunk.len() {
                    out.push(char::from(ABC[(n >> (18 - 6 * i)) as usize & 63]));
                } else {
                    out.push('=');
                }
            }
        }
        out
    }

    /// A readable, escaped dump of the bytes: GBK double bytes as their character, printable
    /// ASCII as itself (`\\` for a backslash), `LF` as `\n` followed by a line break, every
    /// other byte as `\xNN` (`\x1b@` is ESC @).
    pub fn escaped(&self) -> String {
        let bytes = self.as_bytes();
        let mut out = String::new();
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            match b {
                b'\\' => out.push_str("\\\\"),
                b'\n' => out.push_str("\\n\n"),
                0x20..=0x7e => out.push(char::from(b)),
                0x81..=0xfe if i + 1 < bytes.len() => {
                    let (text, bad) =
                        encoding_rs::GBK.decode_without_bom_handling(&bytes[i..i + 2]);
                    if bad {
                        out.push_str(&format!("\\x{b:02x}"));
                    } else {
                        out.push_str(&text);
                        i += 1;
                    }
                }
                _ => out.push_str(&format!("\\x{b:02x}")),
            }
            i += 1;
        }
        out
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
    /// Further jobs, in the order they must be printed, when the receipt does not fit one job
    /// (empty for every receipt that fits: [`Job::output`] is then the whole receipt). Send
    /// [`Job::outputs`] in order, with ids derived from one origin id so a retry prints none
    /// twice.
    pub more: Vec<Part>,
}

/// One further job of a receipt split into several.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// The frame items it prints ([`Job::frame`]`.items()[items]`).
    pub items: std::ops::Range<usize>,
    /// What the printer takes for it.
    pub output: Output,
    /// The job settings it carries.
    pub settings: JobSummary,
}

impl Job {
    /// Every job's output, in print order: [`Job::output`], then [`Job::more`]'s.
    pub fn outputs(&self) -> impl Iterator<Item = &Output> {
        std::iter::once(&self.output).chain(self.more.iter().map(|p| &p.output))
    }

    /// How many jobs the receipt takes (1 unless it was split).
    pub fn job_count(&self) -> usize {
        1 + self.more.len()
    }

    /// The text content, for a dialect whose output is text (every cloud printer).
    pub fn content(&self) -> Option<&str> {
        self.output.as_text()
    }

    /// What the paper will look like, as monospace text ([`crate::preview::text()`]). A receipt
    /// split into several jobs shows a `job 2` line where the next job starts (once, however
    /// many copies repeat the sequence).
    pub fn preview_text(&self) -> String {
        if self.more.is_empty() {
            return crate::preview::text(&self.frame);
        }
        let mut starts: Vec<usize> = vec![0];
        starts.extend(
            self.more
                .iter()
                .map(|p| p.items.start)
                .take_while(|s| *s != 0),
        );
        starts.push(self.frame.items().len());
        let mut out = String::new();
        for (k, w) in starts.windows(2).enumerate() {
            if k > 0 {
                let width = usize::from(self.frame.columns);
                out.push_str(&format!("{:-^width$}\n", format!(" job {} ", k + 1)));
            }
            // The preview of a frame holding only this job's items, without copying them.
            crate::preview::text::items_text(
                &self.frame,
                &self.frame.items()[w[0]..w[1]],
                &mut out,
            );
        }
        out
    }
}

/// The job settings a lowering emitted, as values and as the control instructions that carry
/// them.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct JobSummary {
    /// Copies: a copies instruction or API field (Yilianyun `<MN>`, Feieyun `times`, Xpyun
    /// `copies`), or, where the printer has none (ESC/POS), the number of times the output
    /// already repeats the job. Either way the caller sends the output once.
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
    /// The new-order sound, if emitted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sound: Option<Sound>,
    /// The order-confirmation timeout in seconds, if confirmation was asked for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confirm: Option<u32>,
    /// Whether the output opens the cash drawer.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub drawer: bool,
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

#[cfg(test)]
mod tests {
    use super::Output;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (raw, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(Output::Bytes(raw.as_bytes().to_vec()).to_base64(), want);
        }
    }
}
