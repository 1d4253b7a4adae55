//! The emulator: printer content, as someone's existing code produces it, drawn as the printer
//! would print it, with what the printer would do badly.
//!
//! This is a simulator written from the vendor's rules (the tag tables and the dot grid), not
//! from slipmark's layout: it never calls `layout` or a dialect's lowering, so it can check them
//! (for every template and printer, the emulated paper of the rendered content equals the
//! preview; `tests/emulate_roundtrip.rs`). Its result is a [`Frame`], so every preview draws it:
//! [`preview::text`](crate::preview::text()), `preview::svg`, `preview::png`.
//!
//! ```
//! use slipmark::backend::Catalogue;
//! use slipmark::emulate::{ProblemKind, emulate};
//!
//! let printer = Catalogue::builtin().printer("K4")?;
//! let content = "<FB>Hi</FB>\n<XY>\n<MN>2</MN>";
//! let paper = emulate(&printer, content.as_bytes(), None)?;
//! assert_eq!(slipmark::preview::text(&paper.frame), "Hi\n<XY>\n");
//! let kinds: Vec<_> = paper.problems.iter().map(|p| p.kind).collect();
//! assert_eq!(kinds, [ProblemKind::UnknownTag, ProblemKind::LateControl]);
//! assert_eq!(paper.problems[1].span.range().start, 17); // the byte where `<MN>` starts
//! # Ok::<(), slipmark::Error>(())
//! ```
//!
//! **Dialects.** Every dialect has one: Yilianyun's tag text ([`yilianyun`]), Feieyun's and
//! Xpyun's tags (one emulator over each vendor's tag table, [`tags`]) and ESC/POS bytes
//! ([`escpos`]). They share the dot grid (`grid.rs`: glyphs to frame lines, the paper's edge)
//! and the code checks (`codes.rs`), nothing with layout or the lowerings. The seam is the
//! [`Emulator`] trait: a parser from the printer's input bytes to an [`Emulated`] paper, chosen
//! in [`emulator_for`] by the printer's [`Dialect::name`](crate::printer::Dialect::name). A new
//! dialect adds a module and one arm there; the previews, the CLI (`slipmark emulate`) and the
//! round-trip test need no change.
//!
//! Problems carry byte spans in the input: [`Problem::line_col`] turns them into a line and
//! column of a text content, [`Problem::describe_bytes`] shows them in ESC/POS bytes.

mod codes;
pub mod escpos;
mod grid;
pub mod tags;
pub mod yilianyun;

use std::fmt;

use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use crate::backend::Model;
use crate::error::{Error, ErrorKind};
use crate::frame::Frame;
use crate::printer::Printer;
use crate::span::Span;

/// The paper a printer would print for some content, and what it would do badly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Emulated {
    /// The paper. Spans are byte ranges in the content (source 0).
    pub frame: Frame,
    /// The control instructions the printer obeys, in order: Yilianyun's control tags at the
    /// start of the content (`MN`), Feieyun's single tags (`CUT`, `PLUGIN`, `AUDIO-REFUND`),
    /// ESC/POS commands (`ESC @` per job, `ESC p`, `GS V`).
    pub controls: Vec<Control>,
    /// What the printer would do badly, in content order.
    pub problems: Vec<Problem>,
}

/// A control instruction (copies, sound, cut, cash drawer …) the printer obeys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Control {
    /// Its name (`MN`, `CUT`, `GS V`).
    pub name: String,
    /// Its value as written (`2`; ESC/POS: the parameter bytes in decimal, `0 25 250`).
    pub value: String,
    /// Where in the content.
    pub span: Span,
}

/// Something the printer would do badly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// What kind of problem.
    pub kind: ProblemKind,
    /// A lowercase sentence saying what the printer does.
    pub message: String,
    /// Where in the content (bytes).
    pub span: Span,
}

/// Kinds of [`Problem`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum ProblemKind {
    /// A line wider than the paper: a character does not fit in the dots left, and the printer
    /// wraps it onto a new line.
    PastEdge,
    /// A line fills the paper to the last dot and its word goes on with no line break: the
    /// printer starts a new line there. Either a line longer than the paper (whose overflow
    /// happens to fall on a column boundary) or, as slipmark writes full lines, two lines that
    /// meet; told apart only by the reader.
    FilledLine,
    /// A tag the model does not know: printed literally.
    UnknownTag,
    /// A control tag after the start of the content: the printer does not obey it there.
    LateControl,
    /// A per-job budget passed (alignment tags, content length).
    Budget,
    /// Code data longer than the printer takes.
    CodeTooLong,
    /// Code data the code cannot hold (a letter in an EAN-13 …).
    BadCode,
    /// A character the printer has no glyph for.
    Unprintable,
    /// Markup the printer reads another way than intended (an unclosed tag, a bad table row).
    Malformed,
    /// More codes than the printer prints in one job (a second QR code on a one-QR-per-order
    /// printer): the extra one does not print.
    CodeCount,
    /// A command the emulator does not know (ESC/POS): its length is unknown, so what follows
    /// may be read as its parameters.
    UnknownCommand,
    /// The input ends inside a command (ESC/POS).
    Truncated,
    /// Bytes that are not GBK text where the printer reads GBK (ESC/POS): invalid double bytes,
    /// text outside Chinese mode, or UTF-8 sent as is.
    NotGbk,
}

impl ProblemKind {
    /// Its kebab-case name (`past-edge`).
    pub fn name(self) -> &'static str {
        match self {
            ProblemKind::PastEdge => "past-edge",
            ProblemKind::FilledLine => "filled-line",
            ProblemKind::UnknownTag => "unknown-tag",
            ProblemKind::LateControl => "late-control",
            ProblemKind::Budget => "budget",
            ProblemKind::CodeTooLong => "code-too-long",
            ProblemKind::BadCode => "bad-code",
            ProblemKind::Unprintable => "unprintable",
            ProblemKind::Malformed => "malformed",
            ProblemKind::CodeCount => "code-count",
            ProblemKind::UnknownCommand => "unknown-command",
            ProblemKind::Truncated => "truncated",
            ProblemKind::NotGbk => "not-gbk",
        }
    }
}

impl fmt::Display for ProblemKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl Problem {
    /// The 1-based line and column (in characters) where the problem starts in `content`.
    pub fn line_col(&self, content: &str) -> (usize, usize) {
        line_col(content, self.span.range().start)
    }

    /// `NAME:line:col: problem[kind]: message`, then the content line and a caret under the
    /// problem (the caret placed by character count).
    pub fn describe(&self, name: &str, content: &str) -> String {
        let (line, col) = self.line_col(content);
        let text = content.lines().nth(line - 1).unwrap_or("");
        let shown: String = text
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let range = self.span.range();
        let start = range.start.min(content.len());
        let end = range.end.clamp(start, content.len());
        let len = content
            .get(start..end)
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
        format!(
            "{name}:{line}:{col}: problem[{}]: {}\n  | {shown}\n  | {}{}",
            self.kind,
            self.message,
            " ".repeat(col - 1),
            "^".repeat(len.min(shown.chars().count().saturating_sub(col - 1).max(1)))
        )
    }
}

impl Problem {
    /// `NAME: byte N (line L): problem[kind]: message`, then the bytes around the problem
    /// (printable ASCII as itself, GBK double bytes as their character, every other byte as
    /// `\xNN`, as [`Output::escaped`](crate::printer::Output::escaped) writes them) and a caret
    /// under it, placed by display width. `L` counts the `LF`s before it: the printed line.
    pub fn describe_bytes(&self, name: &str, bytes: &[u8]) -> String {
        let start = self.span.range().start.min(bytes.len());
        let end = self.span.range().end.clamp(start, bytes.len());
        let line = bytes[..start].iter().filter(|b| **b == b'\n').count() + 1;
        let from = start.saturating_sub(24);
        let from = bytes[from..start]
            .iter()
            .rposition(|b| *b == b'\n')
            .map_or(from, |k| from + k + 1);
        let to = (end.max(start + 1) + 16).min(bytes.len());
        let before = escape(&bytes[from..start]);
        let marked = escape(&bytes[start..end.max(start + 1).min(bytes.len())]);
        let after = escape(&bytes[end.max(start + 1).min(to)..to]);
        format!(
            "{name}: byte {start} (line {line}): problem[{}]: {}\n  | {before}{marked}{after}\n  | {}{}",
            self.kind,
            self.message,
            " ".repeat(UnicodeWidthStr::width(before.as_str())),
            "^".repeat(UnicodeWidthStr::width(marked.as_str()).clamp(1, 40))
        )
    }
}

/// Bytes as a one-line readable dump (`LF` as `\n`).
fn escape(bytes: &[u8]) -> String {
    crate::printer::Output::Bytes(bytes.to_vec())
        .escaped()
        .replace('\n', "")
}

/// 1-based line and character column of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = crate::span::floor_char_boundary(text, offset.min(text.len()));
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[start..].chars().count() + 1)
}

/// A parser from one dialect's printer input to the paper: the seam every dialect's emulator
/// implements.
pub trait Emulator: fmt::Debug + Send + Sync {
    /// The dialect's name, as [`Dialect::name`](crate::printer::Dialect::name) gives it.
    fn dialect(&self) -> &'static str;

    /// Whether the input is bytes (ESC/POS) rather than a text content: problems are then
    /// shown by byte ([`Problem::describe_bytes`]) rather than line and column.
    fn takes_bytes(&self) -> bool {
        false
    }

    /// The paper `model` prints for `input` on a paper of `columns`.
    fn emulate(&self, input: &[u8], model: &Model, columns: u16) -> Result<Emulated, Error>;
}

/// The emulator for a printer's dialect, if there is one.
pub fn emulator_for(printer: &Printer) -> Option<&'static dyn Emulator> {
    match printer.dialect().name() {
        "yilianyun" => Some(&yilianyun::YilianyunEmulator),
        "feieyun" => Some(&tags::FEIEYUN),
        "xpyun" => Some(&tags::XPYUN),
        "escpos" => Some(&escpos::EscposEmulator),
        _ => None,
    }
}

/// Emulates `input` on `printer`, on a paper of `columns` (default: the model's paper).
pub fn emulate(printer: &Printer, input: &[u8], columns: Option<u16>) -> Result<Emulated, Error> {
    let emulator = emulator_for(printer).ok_or_else(|| {
        Error::new(
            ErrorKind::Model,
            format!(
                "no emulator for the {} dialect (yilianyun, feieyun, xpyun and escpos have one)",
                printer.dialect().name()
            ),
        )
    })?;
    let model = printer.model();
    emulator.emulate(input, model, columns.unwrap_or(model.paper.default_columns))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use proptest::strategy::Strategy;

    proptest::proptest! {
        /// Any input, on every dialect: no panic, and every problem inside the input.
        #[test]
        fn any_input_is_emulated_without_panic(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::sample::select(vec![
                        "<BR>", "<B>", "</B>", "<QR>", "</QR>", "<QR180>", "<CUT>", "<C>", "</C>",
                        "<BC128_C>", "</BC128_C>", "<BARCODE>", "<FS2>", "<MN>", "<center>",
                        "\x1b@", "\x1ba", "\x1bd", "\x1d!", "\x1d(k", "\x1dk", "\x1dv0", "\x1dV",
                        "\x1c&", "\x1c.", "\x10\x14", "\n", "\r", "\t", "汉", "a", " ", "\u{1}",
                    ]).prop_map(|s| s.as_bytes().to_vec()),
                    proptest::collection::vec(proptest::num::u8::ANY, 0..4),
                ],
                0..40,
            ),
        ) {
            let input: Vec<u8> = parts.concat();
            let cat = Catalogue::builtin();
            for id in ["k4", "feieyun-58", "xpyun-80", "escpos-58"] {
                let printer = cat.printer(id).unwrap();
                let Ok(e) = emulate(&printer, &input, None) else {
                    // only the text dialects refuse, and only input that is not UTF-8
                    proptest::prop_assert!(std::str::from_utf8(&input).is_err() && id != "escpos-58");
                    continue;
                };
                for p in &e.problems {
                    proptest::prop_assert!(p.span.range().end <= input.len(), "{p:?}");
                    let _ = p.describe_bytes("x", &input);
                }
            }
        }
    }
}
