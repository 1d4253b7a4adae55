//! Text lines and style tags.
//!
//! Each frame line becomes: normal-size spaces up to each run's column, the run wrapped in its
//! style tags, and a `\n`. Decisions:
//!
//! - **`\n`, not `\r\n`**: the docs accept `\r`, `\n` and `\r\n` as one newline each (spec §1.1,
//!   §2); `\n` is one character of the content budget instead of two.
//! - **No newline after a line that fills the paper to the last dot** when the model's
//!   `full_line_wraps` is set (every built-in model, assumed): the official demo writes a full
//!   32-column line with no newline (spec §2, §6 Q12), and a newline there would feed an empty
//!   line. Leaving it out cannot join two lines on any printer, because the next character does
//!   not fit on the full line.
//! - **No trailing spaces**, and padding always outside the style tags, in normal-size spaces.
//! - **Styles**: `<FS>`/`<FS2>` when both axes are ×1.33/×2, else `<FH…>` around `<FW…>` (the
//!   documented `<FH2><FW>` combinations), with `<FB>` outermost. A run's width is recomputed in
//!   dots under the frame's encoding ([`encoded_columns`]: on GBK, ASCII 12, any other
//!   character 24, times the scale) and must equal the frame's `ceil(dots / 12)`, so a frame
//!   laid out with another width policy cannot lie in the preview.
//! - Bold the model lacks is dropped with a warning (the width does not change); a magnification
//!   it lacks is an error, because dropping it would move everything after it: layout must
//!   degrade it with [`Model::layout_options`](crate::backend::Model::layout_options).

use crate::backend::Model;
#[cfg(test)]
use crate::backend::checks::check_dots;
#[cfg(test)]
use crate::backend::checks::run_dots;
use crate::backend::checks::{Scan, check_run, check_run_columns, plain_text_runs, push_spaces};
use crate::document::{Scale, Style};
use crate::error::{Error, ErrorKind, Warning, WarningKind};
#[cfg(test)]
use crate::frame::PlacedText;
use crate::frame::{Frame, Line};
use crate::measure::DOTS_PER_COLUMN;
use crate::span::Span;

use super::neutralise::{UNSAFE_BYTES, unsafe_sequence};

/// The tags of one style: `<FB>` outermost, then `<FS>`/`<FS2>` or `<FH…>` around `<FW…>`.
/// Two bytes (an index into [`SIZES`]), so that passing it around copies nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StyleTags {
    bold: bool,
    size: u8,
}

/// The size tags, opening and closing: `<FS>`, `<FS2>`, then height (none, `FH`, `FH2`) × width
/// (none, `FW`, `FW2`) at `2 + 3 × height + width`, the height tag outside the width tag.
const SIZES: [(&str, &str); 11] = [
    ("<FS>", "</FS>"),
    ("<FS2>", "</FS2>"),
    ("", ""),
    ("<FW>", "</FW>"),
    ("<FW2>", "</FW2>"),
    ("<FH>", "</FH>"),
    ("<FH><FW>", "</FW></FH>"),
    ("<FH><FW2>", "</FW2></FH>"),
    ("<FH2>", "</FH2>"),
    ("<FH2><FW>", "</FW></FH2>"),
    ("<FH2><FW2>", "</FW2></FH2>"),
];

impl StyleTags {
    /// The opening tags, outermost first (`<FB><FS2>`).
    pub(crate) fn write_open(self, out: &mut String) {
        if self.bold {
            out.push_str("<FB>");
        }
        // (The plain size has no tags: nothing to append.)
        let open = SIZES[usize::from(self.size)].0;
        if !open.is_empty() {
            out.push_str(open);
        }
    }

    /// The closing tags, innermost first (`</FS2></FB>`).
    pub(crate) fn write_close(self, out: &mut String) {
        let close = SIZES[usize::from(self.size)].1;
        if !close.is_empty() {
            out.push_str(close);
        }
        if self.bold {
            out.push_str("</FB>");
        }
    }
}

/// The tags for a style, or an error naming what the model lacks.
pub(crate) fn style_tags(
    style: Style,
    model: &Model,
    span: Span,
    warnings: &mut Vec<Warning>,
) -> Result<StyleTags, Error> {
    let s = model.styles;
    let lacks = |what: &str| {
        Error::new(
            ErrorKind::Model,
            format!("the {} cannot print {what}", model.name),
        )
        .at(span)
        .with_hint("lay the frame out with the model's layout options so that styles degrade")
    };
    let mut bold = false;
    if style.bold {
        if s.bold {
            bold = true;
        } else {
            warnings.push(Warning::new(
                WarningKind::DegradedStyle,
                format!("the {} has no bold; printed plain", model.name),
                span,
            ));
        }
    }
    let (h, w) = (style.height, style.width);
    let size = match (h, w) {
        (Scale::X4_3, Scale::X4_3) if s.tall && s.wide => 0,
        (Scale::X2, Scale::X2) if s.tall2 && s.wide2 => 1,
        _ => {
            let height = match h {
                Scale::X1 => 0,
                Scale::X4_3 if s.tall => 1,
                Scale::X2 if s.tall2 => 2,
                Scale::X4_3 => return Err(lacks("×1.33 height (<FH>)")),
                Scale::X2 => return Err(lacks("×2 height (<FH2>)")),
            };
            let width = match w {
                Scale::X1 => 0,
                Scale::X4_3 if s.wide => 1,
                Scale::X2 if s.wide2 => 2,
                Scale::X4_3 => return Err(lacks("×1.33 width (<FW>)")),
                Scale::X2 => return Err(lacks("×2 width (<FW2>)")),
            };
            2 + 3 * height + width
        }
    };
    Ok(StyleTags { bold, size })
}

/// Appends one line to `out`, and returns how many of the bytes it wrote continue a character
/// (UTF-8 continuation bytes, all in the runs' text: tags, spaces and the newline are ASCII),
/// so that the characters written are the bytes written less these: the content limit counts
/// them without reading the content again.
///
/// `clean` says that the frame's text holds none of the [`UNSAFE_BYTES`] and no control
/// character ([`frame_is_clean`]): then no run can hold an unsafe sequence or join into `@@`,
/// and each run is scanned for its dots only ([`Scan::counts`]), which is what the exact
/// checks would have found.
///
/// The same steps as [`lower_line_reference`] (the tests compare them), read from the frame's
/// runs and texts directly: no [`PlacedText`] is built for a run (the span is read only for
/// an error), a gap of whole columns (every gap but one after a ×1.33 run) is its normal
/// spaces without [`fill`]'s search, and a run's tags are closed only when the next run
/// does not continue them. A line of plain runs only is written by [`lower_plain_line`],
/// which leaves out the steps that cannot apply to it; another line from its first run that
/// is not plain by every step.
#[inline]
pub(crate) fn lower_line(
    frame: &Frame,
    line: &Line,
    model: &Model,
    clean: bool,
    out: &mut String,
    warnings: &mut Vec<Warning>,
) -> Result<usize, Error> {
    let start = out.len();
    match lower_plain_line(frame, line, model, clean, out)? {
        Some(continuing) => Ok(continuing),
        None => {
            out.truncate(start);
            lower_styled_line(frame, line, model, clean, out, warnings)
        }
    }
}

/// [`lower_line`] for a line with a run that is not plain: every step.
#[inline(never)]
fn lower_styled_line(
    frame: &Frame,
    line: &Line,
    model: &Model,
    clean: bool,
    out: &mut String,
    warnings: &mut Vec<Warning>,
) -> Result<usize, Error> {
    let runs = frame.runs(line);
    let (columns, encoding) = (frame.columns, frame.encoding);
    let mut cursor: u16 = 0;
    // Two runs can meet to form `@@` even when neither holds it: what the paper shows so far
    // (spaces up to each run's column, then its text) ends in `@`, and the next text starts
    // with one. Tracked here instead of building the visible line and searching it: a run
    // holding `@@` itself is refused above, so a join is the only way left.
    let mut visible_ends_at = false;
    let mut joined = false;
    // Where the printer's head is, in dots: behind `cursor * 12` after a ×1.33 run.
    let mut x: u32 = 0;
    // The style whose tags are still open, and their tags.
    let mut open_style: Option<(Style, StyleTags)> = None;
    // The last style whose tags were found without a warning: the same tags again (a style
    // that warns is looked up each time, so that each run warns as before).
    let mut known: Option<(Style, StyleTags)> = None;
    let mut continuing = 0usize;
    for placed in runs {
        let text = frame.text(placed);
        // One pass over the text: its dots, and whether it needs the exact safety check (a
        // run with none of the bytes that start an unsafe sequence is safe).
        let scan = if clean {
            Scan::counts(text)
        } else {
            Scan::of(text, UNSAFE_BYTES)
        };
        if scan.special {
            if let Some(what) = unsafe_sequence(text) {
                return Err(unsafe_text(what, placed.span));
            }
        }
        let dots = scan.dots(placed.style, encoding);
        check_run(placed, dots, cursor, columns)?;
        // `fill`'s first step, inline: a gap of whole columns is that many normal spaces.
        let gap = u32::from(placed.col) * DOTS_PER_COLUMN - x;
        let (normal, wide) = if gap % DOTS_PER_COLUMN == 0 {
            (gap / DOTS_PER_COLUMN, 0)
        } else {
            fill(gap, model)
        };
        if let Some((style, tags)) = open_style {
            if normal != 0 || wide != 0 || !style.same(placed.style) {
                tags.write_close(out);
                open_style = None;
            }
        }
        if normal > 0 {
            push_spaces(out, normal as usize);
        }
        if wide > 0 {
            out.push_str("<FW>");
            push_spaces(out, wide as usize);
            out.push_str("</FW>");
        }
        x += normal * DOTS_PER_COLUMN + wide * 16;
        if placed.col > cursor {
            visible_ends_at = false;
        }
        if open_style.is_none() {
            let tags = match known {
                Some((style, tags)) if style.same(placed.style) => tags,
                _ => {
                    let warned = warnings.len();
                    let tags = style_tags(placed.style, model, placed.span, warnings)?;
                    if warnings.len() == warned {
                        known = Some((placed.style, tags));
                    }
                    tags
                }
            };
            tags.write_open(out);
            open_style = Some((placed.style, tags));
        }
        out.push_str(text);
        if let (Some(&first), Some(&last)) = (text.as_bytes().first(), text.as_bytes().last()) {
            joined |= visible_ends_at && first == b'@';
            visible_ends_at = last == b'@';
        }
        continuing += scan.continuing(text);
        cursor = placed.col + placed.width;
        x += dots;
    }
    if let Some((_, tags)) = open_style {
        tags.write_close(out);
    }
    if joined {
        return Err(joined_at_at(frame, line));
    }
    let full = x == u32::from(columns) * DOTS_PER_COLUMN;
    if !(full && model.full_line_wraps) {
        out.push('\n');
    }
    Ok(continuing)
}

/// [`lower_line`] for a line whose runs are all plain, the steps that cannot apply left out:
/// plain text has no tags (its style looks up to none, without a warning or an error, on
/// every model), and every run advances the head by whole columns (`dots` is 12 per column),
/// so the head is always at `cursor * 12`, a gap is always `col - cursor` normal spaces
/// (`fill` of a multiple of 12) and the line is full when the last run ends on the last
/// column. A line whose runs' texts follow each other in the frame's text (an item row is
/// one) is first scanned once as one text ([`plain_text_runs`], which says what it checks in
/// every build, and writes nothing for a line it is not sure of); any other line, or one it
/// leaves, run by run ([`plain_runs`]), which finds the same error, at the same run, as
/// always. The checks (unsafe text, each run's measure, `@`s that meet) are the same, in the
/// same order. `None` at the first run that is not plain, with some of the line written: the
/// caller takes it back and lowers the line with every step (which finds no error in the runs
/// before, as none was found here: the same checks in the same order, and plain tags neither
/// fail nor warn).
fn lower_plain_line(
    frame: &Frame,
    line: &Line,
    model: &Model,
    clean: bool,
    out: &mut String,
) -> Result<Option<usize>, Error> {
    let runs = match plain_text_runs(frame, frame.runs(line), clean, UNSAFE_BYTES, out) {
        Some(done) => Some(done),
        None if clean => plain_runs::<true>(frame, line, out)?,
        None => plain_runs::<false>(frame, line, out)?,
    };
    Ok(runs.map(|(cursor, continuing)| end_plain_line(cursor, frame, model, out, continuing)))
}

/// The end of a plain line whose last run ends at `cursor`: its newline, unless the line is
/// full and the model wraps a full line by itself. Returns `continuing`.
fn end_plain_line(
    cursor: u16,
    frame: &Frame,
    model: &Model,
    out: &mut String,
    continuing: usize,
) -> usize {
    if !(cursor == frame.columns && model.full_line_wraps) {
        out.push('\n');
    }
    continuing
}

/// The runs of [`lower_plain_line`]: where the last one ends and the bytes continuing a
/// character. `CLEAN` as `clean` in [`lower_line`]: the frame's text holds no `@` either (one
/// of the [`UNSAFE_BYTES`]), so no two runs can meet to form `@@` and that is not tracked.
fn plain_runs<const CLEAN: bool>(
    frame: &Frame,
    line: &Line,
    out: &mut String,
) -> Result<Option<(u16, usize)>, Error> {
    let (columns, encoding) = (frame.columns, frame.encoding);
    let (mut cursor, mut visible_ends_at, mut joined) = (0u16, false, false);
    let mut continuing = 0usize;
    for placed in frame.runs(line) {
        if !placed.style.is_plain() {
            return Ok(None);
        }
        let text = frame.text(placed);
        let scan = if CLEAN {
            Scan::counts(text)
        } else {
            Scan::of(text, UNSAFE_BYTES)
        };
        if scan.special {
            if let Some(what) = unsafe_sequence(text) {
                return Err(unsafe_text(what, placed.span));
            }
        }
        // (At normal width, `scan.dots(Style::PLAIN, encoding)` is 12 a column.)
        check_run_columns(placed, scan.columns(encoding), cursor, columns)?;
        let gap = placed.col - cursor;
        if gap > 0 {
            push_spaces(out, usize::from(gap));
            visible_ends_at = false;
        }
        out.push_str(text);
        if !CLEAN {
            if let (Some(&first), Some(&last)) = (text.as_bytes().first(), text.as_bytes().last()) {
                joined |= visible_ends_at && first == b'@';
                visible_ends_at = last == b'@';
            }
        }
        continuing += scan.continuing(text);
        cursor = placed.col + placed.width;
    }
    if joined {
        return Err(joined_at_at(frame, line));
    }
    Ok(Some((cursor, continuing)))
}

/// The error for a run holding `what`, an unsafe sequence.
#[cold]
fn unsafe_text(what: &str, span: Span) -> Error {
    Error::new(
        ErrorKind::Model,
        format!("text contains {what} that the printer could read as an instruction"),
    )
    .at(span)
    .with_hint("run `yilianyun::neutralise_document` on the document before layout")
}

/// The error for two runs of `line` whose `@`s meet.
#[cold]
fn joined_at_at(frame: &Frame, line: &Line) -> Error {
    let span = frame.runs(line).first().map_or(line.span, |r| r.span);
    Error::new(
        ErrorKind::Model,
        "text contains `@@` that the printer could read as an instruction",
    )
    .at(span)
    .with_hint("separate the `@` signs with a space")
}

/// [`lower_line`] as it was written first, run by run through [`Frame::placed`] (the
/// reference the tests compare it with; it returns nothing for the characters).
///
/// `clean` says that the frame's text holds none of the [`UNSAFE_BYTES`] and no control
/// character ([`frame_is_clean`]): then no run can hold an unsafe sequence or join into `@@`,
/// and each run is scanned for its dots only ([`Scan::counts`]), which is what the exact
/// checks would have found.
#[cfg(test)]
pub(crate) fn lower_line_reference(
    frame: &Frame,
    line: &Line,
    model: &Model,
    clean: bool,
    out: &mut String,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let (columns, encoding) = (frame.columns, frame.encoding);
    let mut cursor: u16 = 0;
    // Two runs can meet to form `@@` even when neither holds it: what the paper shows so far
    // (spaces up to each run's column, then its text) ends in `@`, and the next text starts
    // with one. Tracked here instead of building the visible line and searching it: a run
    // holding `@@` itself is refused above, so a join is the only way left.
    let mut visible_ends_at = false;
    let mut joined = false;
    // Where the printer's head is, in dots: behind `cursor * 12` after a ×1.33 run.
    let mut x: u32 = 0;
    // The style whose tags are still open, and their tags.
    let mut open_style: Option<(Style, StyleTags)> = None;
    // The last style whose tags were found without a warning: the same tags again (a style
    // that warns is looked up each time, so that each run warns as before).
    let mut known: Option<(Style, StyleTags)> = None;
    for placed in frame.placed(line) {
        // One pass over the text: its dots, and whether it needs the exact safety check (a
        // run with none of the bytes that start an unsafe sequence is safe).
        let scan = if clean {
            Scan::counts(placed.text)
        } else {
            Scan::of(placed.text, UNSAFE_BYTES)
        };
        if let Some(what) = scan.special.then(|| unsafe_sequence(placed.text)).flatten() {
            return Err(Error::new(
                ErrorKind::Model,
                format!("text contains {what} that the printer could read as an instruction"),
            )
            .at(placed.span)
            .with_hint("run `yilianyun::neutralise_document` on the document before layout"));
        }
        let dots = check_dots(&placed, scan.dots(placed.style, encoding), cursor, columns)?;
        let (normal, wide) = fill(u32::from(placed.col) * DOTS_PER_COLUMN - x, model);
        let continues = normal == 0 && wide == 0;
        match open_style.take() {
            Some((style, tags)) if continues && style.same(placed.style) => {
                open_style = Some((style, tags));
            }
            Some((_, tags)) => tags.write_close(out),
            None => {}
        }
        push_spaces(out, normal as usize);
        if wide > 0 {
            out.push_str("<FW>");
            push_spaces(out, wide as usize);
            out.push_str("</FW>");
        }
        x += normal * DOTS_PER_COLUMN + wide * 16;
        if placed.col > cursor {
            visible_ends_at = false;
        }
        if open_style.is_none() {
            let tags = match known {
                Some((style, tags)) if style.same(placed.style) => tags,
                _ => {
                    let warned = warnings.len();
                    let tags = style_tags(placed.style, model, placed.span, warnings)?;
                    if warnings.len() == warned {
                        known = Some((placed.style, tags));
                    }
                    tags
                }
            };
            tags.write_open(out);
            open_style = Some((placed.style, tags));
        }
        out.push_str(placed.text);
        if !placed.text.is_empty() {
            joined |= visible_ends_at && placed.text.starts_with('@');
            visible_ends_at = placed.text.ends_with('@');
        }
        cursor = placed.col + placed.width;
        x += dots;
    }
    if let Some((_, tags)) = open_style {
        tags.write_close(out);
    }
    if joined {
        let span = frame.runs(line).first().map_or(line.span, |r| r.span);
        return Err(Error::new(
            ErrorKind::Model,
            "text contains `@@` that the printer could read as an instruction",
        )
        .at(span)
        .with_hint("separate the `@` signs with a space"));
    }
    let full = x == u32::from(columns) * DOTS_PER_COLUMN;
    if !(full && model.full_line_wraps) {
        out.push('\n');
    }
    Ok(())
}

/// Whether no run of `frame` holds one of the [`UNSAFE_BYTES`] or a control character: one
/// look at all of its text, of which every run's text is a part.
pub(crate) fn frame_is_clean(frame: &Frame) -> bool {
    !frame.any_control_or(UNSAFE_BYTES)
}

/// The spaces that move the head forward by as much of `gap` dots as possible without passing
/// it: `(normal, wide)` = 12-dot spaces and 16-dot `<FW>` spaces. A gap left by a ×1.33 run
/// (4 or 8 dots short of a column) is closed exactly when it is at least 16 (4 short) or 32
/// (8 short) dots wide; otherwise the next run starts up to 8 dots left of its column.
fn fill(gap: u32, model: &Model) -> (u32, u32) {
    let mut want = gap;
    loop {
        if want % 12 == 0 {
            return (want / 12, 0);
        }
        if model.styles.wide {
            for wide in 1..=2u32 {
                if want >= 16 * wide && (want - 16 * wide) % 12 == 0 {
                    return ((want - 16 * wide) / 12, wide);
                }
            }
        }
        want -= 4.min(want);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use crate::document::{Align, JobSettings, Origin};
    use crate::frame::{Item, LineKind};
    use crate::measure::Encoding;
    use crate::span::Span;

    fn placed(col: u16, text: &str, style: Style) -> PlacedText<'_> {
        let width = run_dots(text, style, Encoding::Gbk).div_ceil(12) as u16;
        PlacedText {
            col,
            width,
            text,
            style,
            origin: Origin::Template,
            span: Span::new(0, 1, 2),
        }
    }

    /// A frame of one line of `runs`, and the line.
    fn line(runs: Vec<PlacedText<'_>>) -> (Frame, Line) {
        let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
        frame.push_line(LineKind::Text, Align::Left, Span::new(0, 0, 3), runs);
        let Some(&Item::Line(line)) = frame.items().first() else {
            unreachable!()
        };
        (frame, line)
    }

    fn lower(runs: Vec<PlacedText<'_>>, model: &str) -> Result<String, Error> {
        let cat = Catalogue::builtin();
        let mut out = String::new();
        let (frame, line) = line(runs);
        lower_line(
            &frame,
            &line,
            cat.resolve(model).unwrap(),
            frame_is_clean(&frame),
            &mut out,
            &mut Vec::new(),
        )?;
        Ok(out)
    }

    const FS: Style = Style {
        bold: false,
        width: Scale::X4_3,
        height: Scale::X4_3,
    };
    const BIG_BOLD: Style = Style {
        bold: true,
        width: Scale::X2,
        height: Scale::X2,
    };
    const TALL_WIDE: Style = Style {
        bold: false,
        width: Scale::X4_3,
        height: Scale::X2,
    };

    #[test]
    fn padding_is_plain_spaces_outside_the_style_tags() {
        let out = lower(vec![placed(13, "您好", FS)], "k4").unwrap();
        assert_eq!(out, "             <FS>您好</FS>\n");
        let out = lower(vec![placed(12, "您好", BIG_BOLD)], "k4").unwrap();
        assert_eq!(out, "            <FB><FS2>您好</FS2></FB>\n");
        let out = lower(vec![placed(0, "ab", TALL_WIDE)], "k4").unwrap();
        assert_eq!(out, "<FH2><FW>ab</FW></FH2>\n");
    }

    #[test]
    fn adjacent_runs_of_one_style_share_their_tags() {
        let out = lower(vec![placed(9, "外卖单 #", FS), placed(20, "12", FS)], "k4").unwrap();
        assert_eq!(out, "         <FS>外卖单 #12</FS>\n");
    }

    #[test]
    fn gaps_after_a_large_run_are_closed_with_wide_spaces() {
        // "ab" at ×1.33 is 32 dots: 8 short of 3 columns. A run at column 5 is 28 dots on:
        // one <FW> space (16) and one normal space (12).
        let out = lower(
            vec![placed(0, "ab", FS), placed(5, "x", Style::PLAIN)],
            "k4",
        )
        .unwrap();
        assert_eq!(out, "<FS>ab</FS> <FW> </FW>x\n");
        // "a" at ×1.33 is 16 dots, 8 short of 2 columns; at column 2 the gap of 8 dots cannot
        // be filled: the next run follows directly.
        let out = lower(vec![placed(0, "a", FS), placed(2, "x", Style::PLAIN)], "k4").unwrap();
        assert_eq!(out, "<FS>a</FS>x\n");
        let model = Catalogue::builtin().resolve("k4").unwrap().clone();
        assert_eq!(fill(0, &model), (0, 0));
        assert_eq!(fill(24, &model), (2, 0));
        assert_eq!(fill(16, &model), (0, 1));
        assert_eq!(fill(20, &model), (0, 1));
        assert_eq!(fill(32, &model), (0, 2));
        assert_eq!(fill(8, &model), (0, 0));
        let mut narrow = model.clone();
        narrow.styles.wide = false;
        assert_eq!(fill(20, &narrow), (1, 0));
    }

    #[test]
    fn a_full_line_ends_by_itself() {
        let full = "-".repeat(32);
        assert_eq!(
            lower(vec![placed(0, &full, Style::PLAIN)], "k4").unwrap(),
            full
        );
        let short = "-".repeat(31);
        assert_eq!(
            lower(vec![placed(0, &short, Style::PLAIN)], "k4").unwrap(),
            format!("{short}\n")
        );
        // 24 ×1.33 ASCII glyphs are 384 dots: full; 23 are 368 dots in 31 columns: not full.
        let a24 = "a".repeat(24);
        assert_eq!(
            lower(vec![placed(0, &a24, FS)], "k4").unwrap(),
            format!("<FS>{a24}</FS>")
        );
        let a23 = "a".repeat(23);
        assert!(
            lower(vec![placed(0, &a23, FS)], "k4")
                .unwrap()
                .ends_with('\n')
        );
    }

    #[test]
    fn a_run_that_disagrees_with_the_printer_measure_is_refused() {
        let mut p = placed(0, "您好", Style::PLAIN);
        p.width = 2;
        let err = lower(vec![p], "k4").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Layout);
        let err = lower(vec![placed(30, "abc", Style::PLAIN)], "k4").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Layout);
        let err = lower(
            vec![placed(2, "ab", Style::PLAIN), placed(3, "c", Style::PLAIN)],
            "k4",
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Layout);
    }

    #[test]
    fn unneutralised_text_is_a_hard_error() {
        for text in ["<FB>", "a>b", "@@2", "a\nb"] {
            let err = lower(vec![placed(0, text, Style::PLAIN)], "k4").unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Model, "{text:?}");
            assert_eq!(err.span(), Some(Span::new(0, 1, 2)));
        }
        let err = lower(
            vec![placed(0, "a@", Style::PLAIN), placed(2, "@2", Style::PLAIN)],
            "k4",
        )
        .unwrap_err();
        assert!(err.message().contains("`@@`"));
    }

    proptest::proptest! {
        /// A line of a clean frame lowers the same with the per-run safety scans skipped
        /// (`clean`) as with them, errors included (a width that disagrees, a style the
        /// model lacks).
        #[test]
        fn a_clean_frame_lowers_the_same_without_the_run_scans(
            texts in proptest::collection::vec("[a-z 中文，¥·\u{a0}-\u{17f}]{0,9}", 1..5),
            styles in proptest::collection::vec(0..4usize, 5),
            gaps in proptest::collection::vec(0..3u16, 5),
            off_by_one in proptest::option::of(0..5usize),
        ) {
            let style = |i: usize| [Style::PLAIN, FS, BIG_BOLD, TALL_WIDE][styles[i]];
            let mut col = 0;
            let runs: Vec<_> = texts.iter().enumerate().map(|(i, t)| {
                let mut p = placed(col + gaps[i], t, style(i));
                if off_by_one == Some(i) {
                    p.width += 1;
                }
                col = p.col + p.width;
                p
            }).collect();
            proptest::prop_assume!(col <= 32);
            let (frame, l) = line(runs);
            proptest::prop_assert!(frame_is_clean(&frame));
            let mut model = Catalogue::builtin().resolve("k4").unwrap().clone();
            for wide in [true, false] {
                model.styles.wide = wide;
                model.styles.bold = wide;
                let lower = |clean| {
                    let (mut out, mut warnings) = (String::new(), Vec::new());
                    let r = lower_line(&frame, &l, &model, clean, &mut out, &mut warnings)
                        .map_err(|e| e.message().to_string());
                    (r, out, warnings)
                };
                proptest::prop_assert_eq!(lower(true), lower(false));
            }
        }
    }

    proptest::proptest! {
        /// `lower_line` writes what the first version of it (`lower_line_reference`) wrote,
        /// and fails where it failed with the same error and warnings, on lines of every
        /// style, gap, a width that disagrees, `@`s that meet, unsafe text and models with and
        /// without bold and ×1.33; and the continuing bytes it returns are the bytes it wrote
        /// less their characters.
        #[test]
        fn lowering_a_line_equals_the_reference(
            texts in proptest::collection::vec("[a-z@< 中文，¥·\u{a0}-\u{17f}]{0,9}", 1..6),
            styles in proptest::collection::vec(0..5usize, 6),
            gaps in proptest::collection::vec(0..3u16, 6),
            off_by_one in proptest::option::of(0..6usize),
            checked in proptest::bool::ANY,
            plain in proptest::bool::ANY,
        ) {
            let bold = Style { bold: true, ..Style::PLAIN };
            let all = [Style::PLAIN, FS, BIG_BOLD, TALL_WIDE, bold];
            let style = |i: usize| if plain { Style::PLAIN } else { all[styles[i]] };
            let mut col = 0;
            let runs: Vec<_> = texts.iter().enumerate().map(|(i, t)| {
                let mut p = placed(col + gaps[i], t, style(i));
                if off_by_one == Some(i) {
                    p.width += 1;
                }
                col = p.col + p.width;
                p
            }).collect();
            let (frame, l) = line(runs);
            let clean = frame_is_clean(&frame) && !checked;
            let mut model = Catalogue::builtin().resolve("k4").unwrap().clone();
            for (wide, has_bold) in [(true, true), (false, false), (true, false)] {
                model.styles.wide = wide;
                model.styles.bold = has_bold;
                let (mut out, mut warnings) = (String::new(), Vec::new());
                let r = lower_line(&frame, &l, &model, clean, &mut out, &mut warnings);
                if let Ok(continuing) = r {
                    proptest::prop_assert_eq!(continuing, out.len() - out.chars().count());
                }
                let (mut out2, mut warnings2) = (String::new(), Vec::new());
                let r2 = lower_line_reference(&frame, &l, &model, clean, &mut out2, &mut warnings2);
                let shown = |r: Result<(), Error>| r.map_err(|e| (e.message().to_string(), e.span()));
                proptest::prop_assert_eq!(shown(r.map(|_| ())), shown(r2));
                proptest::prop_assert_eq!(out, out2);
                proptest::prop_assert_eq!(warnings, warnings2);
            }
        }
    }

    proptest::proptest! {
        /// `plain_text_runs` (one scan per line) takes every plain line of a clean frame
        /// whose runs' texts follow each other, fit the paper and are as wide as measured, and
        /// writes what the reference writes with the characters it wrote; it leaves to the
        /// per-run path (writing nothing) a line with a run one column too wide or too narrow,
        /// a run whose text does not follow the one before's in the frame's text, or a line
        /// past the paper, and `lower_line` then still writes or refuses what the reference
        /// does. In a frame that is not clean it takes a line only when it writes the same.
        #[test]
        fn a_plain_line_scanned_once_equals_the_reference(
            texts in proptest::collection::vec("[a-z@< 中文，¥·\u{a0}-\u{17f}]{0,9}", 1..6),
            gaps in proptest::collection::vec(0..3u16, 6),
            off in proptest::option::of((0..6usize, proptest::bool::ANY)),
            apart in proptest::option::of(1..6usize),
            checked in proptest::bool::ANY,
        ) {
            let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
            let (mut col, mut broken) = (0, false);
            for (i, t) in texts.iter().enumerate() {
                let mut p = placed(col + gaps[i], t, Style::PLAIN);
                if let Some((_, wider)) = off.filter(|&(at, _)| at == i) {
                    if wider {
                        p.width += 1;
                        broken = true;
                    } else if p.width > 0 {
                        p.width -= 1;
                        broken = true;
                    }
                }
                if apart == Some(i) {
                    frame.push_text("x");
                    broken = true;
                }
                col = p.col + p.width;
                frame.push_run(p);
            }
            broken |= col > 32;
            frame.end_line(LineKind::Text, Align::Left, Span::new(0, 0, 3));
            let Some(&Item::Line(l)) = frame.items().first() else {
                unreachable!()
            };
            let clean = frame_is_clean(&frame) && !checked;
            let model = Catalogue::builtin().resolve("k4").unwrap().clone();
            let mut out = String::from("before");
            let fast = plain_text_runs(&frame, frame.runs(&l), clean, UNSAFE_BYTES, &mut out)
                .map(|(cursor, c)| end_plain_line(cursor, &frame, &model, &mut out, c));
            let (mut reference, mut warnings) = (String::from("before"), Vec::new());
            let r = lower_line_reference(&frame, &l, &model, clean, &mut reference, &mut warnings);
            match fast {
                Some(continuing) => {
                    proptest::prop_assert!(r.is_ok() && !broken);
                    proptest::prop_assert_eq!(&out, &reference);
                    proptest::prop_assert_eq!(continuing, out.len() - out.chars().count());
                }
                None => {
                    proptest::prop_assert_eq!(&out, "before");
                    proptest::prop_assert!(broken || !clean, "a clean, sound line is taken");
                }
            }
            let (mut out, mut warnings2) = (String::from("before"), Vec::new());
            let r2 = lower_line(&frame, &l, &model, clean, &mut out, &mut warnings2);
            let shown = |r: Result<(), Error>| r.map_err(|e| (e.message().to_string(), e.span()));
            if r2.is_ok() {
                proptest::prop_assert_eq!(out, reference);
            }
            proptest::prop_assert_eq!(shown(r2.map(|_| ())), shown(r));
            proptest::prop_assert_eq!(warnings2, warnings);
        }
    }

    #[test]
    fn missing_bold_degrades_and_missing_scale_fails() {
        let mut model = Catalogue::builtin().resolve("k4").unwrap().clone();
        model.styles.bold = false;
        model.styles.wide = false;
        let mut warnings = Vec::new();
        let mut out = String::new();
        let bold = Style {
            bold: true,
            ..Style::PLAIN
        };
        let (frame, l) = line(vec![placed(0, "总计", bold)]);
        lower_line(
            &frame,
            &l,
            &model,
            frame_is_clean(&frame),
            &mut out,
            &mut warnings,
        )
        .unwrap();
        assert_eq!(out, "总计\n");
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, WarningKind::DegradedStyle);
        let (frame, l) = line(vec![placed(0, "x", FS)]);
        let err = lower_line(
            &frame,
            &l,
            &model,
            frame_is_clean(&frame),
            &mut out,
            &mut warnings,
        )
        .unwrap_err();
        assert_eq!(
            err.message(),
            "the K4 (old firmware) cannot print ×1.33 width (<FW>)"
        );
    }
}
