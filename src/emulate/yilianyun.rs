//! The Yilianyun emulator: a `content` string of the text-print API, read the way the firmware
//! reads it (the tag tables and general rules of the Yilianyun spec), put on a grid of dots.
//!
//! The rules it applies, and what it reports:
//!
//! - **Control tags** (`<MN>`, `<MA>`, `<MS>`, `<MC>`, `<MK>`, `<RS>`, `<ML>`, `<MP>`, `<PW>`,
//!   `<audio>`, `<TTS>`, `<VN>`/`<VD>`/`<VA>`/`<VI>`, `<JSON>`) are obeyed only at the very
//!   start (spec G6); one after any text or other tag is a [`LateControl`](ProblemKind::LateControl)
//!   and is not drawn. `<ML>1</ML>` prints the stored logo at the top.
//! - **A tag the model does not have**, or any other `<name>`, is printed literally (G4) and
//!   reported as [`UnknownTag`](ProblemKind::UnknownTag). A `<` that forms no tag is just text.
//! - **Widths**: an ASCII character is 12 dots, any other 24 (the printer's GBK rule); `<FW>`/`<FS>`
//!   make them ×4/3, `<FW2>`/`<FS2>` ×2; `<FH…>` scale the height. A character that does not fit
//!   on the line wraps to the next one ([`PastEdge`](ProblemKind::PastEdge), once per line); a
//!   line filled to the last dot ends by itself when the model's `full_line_wraps` says so; text
//!   right after such a line is reported as passing the edge only when it goes on the last
//!   word (two letters or digits, or two CJK ideographs, meet at the edge, with no tag between
//!   them), because slipmark and
//!   the vendor's own demo write a full line with no line break after it.
//!   Characters outside GBK print as `?` ([`Unprintable`](ProblemKind::Unprintable)).
//! - **Line ends** are `\n`, `\r` or `\r\n`; `\t` moves to the next multiple of 4 columns
//!   (assumed reading of "four-character alignment"); `@@2` at the start of a line prints the
//!   line at ×2 both ways (assumed: the factor is undocumented).
//! - **Codes** (`<QR>`, `<BR>` EAN-13, `<BR2>` Code 128 B, `<BR3>` Code 128 C) stand on lines of
//!   their own; their data is checked against the model's limits
//!   ([`CodeTooLong`](ProblemKind::CodeTooLong), [`BadCode`](ProblemKind::BadCode)). EAN-13 data
//!   shorter than 13 digits is padded with zeros on the right (assumed side).
//! - **Alignment tags** `<center>`, `<right>`, `<LR>l,r</LR>` print a line of their own;
//!   `<table>` rows of 3 or 4 `<td>` cells print each cell from an equal share of the paper
//!   (assumed: the firmware's column widths are undocumented). Together they count against the
//!   model's per-job budget ([`Budget`](ProblemKind::Budget)), as does the content's length.

use crate::backend::Model;
use crate::backend::yilianyun::model_has_tag;
use crate::document::{CodeKind, JobSettings, Origin, Scale, Style};
use crate::error::Error;
use crate::frame::{CodeItem, Frame};
use crate::measure::{Encoding, gbk_bytes, printable};
use crate::span::Span;

use super::grid::Glyph;
use super::{Control, Emulated, Emulator, Problem, ProblemKind};

/// The Yilianyun emulator (the [`Emulator`] for the `yilianyun` dialect).
#[derive(Debug, Clone, Copy, Default)]
pub struct YilianyunEmulator;

impl Emulator for YilianyunEmulator {
    fn dialect(&self) -> &'static str {
        "yilianyun"
    }

    fn emulate(&self, input: &[u8], model: &Model, columns: u16) -> Result<Emulated, Error> {
        let content = std::str::from_utf8(input).map_err(|e| {
            Error::new(
                crate::ErrorKind::Data,
                format!("the content is not UTF-8 (the print API takes UTF-8): {e}"),
            )
            .with_cause(e)
        })?;
        Ok(emulate_str(content, model, columns))
    }
}

const CONTROL: [&str; 17] = [
    "MN", "MA", "MS", "MC", "MK", "RS", "ML", "MP", "PW", "audio", "TTS", "VN", "VD", "VA", "VI",
    "JSON", "MR",
];
const STYLES: [&str; 7] = ["FB", "FS", "FS2", "FH", "FH2", "FW", "FW2"];
const CODES: [&str; 4] = ["QR", "BR", "BR2", "BR3"];
const NATIVE: [&str; 4] = ["center", "right", "LR", "table"];

/// Emulates a content string (see the module docs).
pub fn emulate_str(content: &str, model: &Model, columns: u16) -> Emulated {
    let mut sim = Sim {
        content,
        model,
        columns,
        paper: u32::from(columns) * 12,
        frame: Frame::new(columns, Encoding::Gbk, JobSettings::default()),
        line: Vec::new(),
        x: 0,
        wrapped: false,
        filled: false,
        last_char: ' ',
        styles: [0; 7],
        line_x2: false,
        started: false,
        natives: 0,
        controls: Vec::new(),
        problems: Vec::new(),
        logo: false,
    };
    sim.run();
    let mut frame = std::mem::replace(
        &mut sim.frame,
        Frame::new(columns, Encoding::Gbk, JobSettings::default()),
    );
    if sim.logo {
        frame.insert_code(
            0,
            CodeItem {
                kind: CodeKind::Logo,
                data: String::new(),
                origin: Origin::Template,
                span: Span::default(),
            },
        );
    }
    let max = model.limits.max_content_chars as usize;
    if let Some((at, _)) = content.char_indices().nth(max) {
        sim.problem(
            ProblemKind::Budget,
            format!(
                "the content passes the {}'s limit of {max} characters here",
                model.name
            ),
            at,
            content.len(),
        );
    }
    sim.problems.sort_by_key(|p| (p.span.start, p.span.end));
    Emulated {
        frame,
        controls: sim.controls,
        problems: sim.problems,
    }
}

struct Sim<'a> {
    content: &'a str,
    model: &'a Model,
    columns: u16,
    paper: u32,
    /// The finished items.
    frame: Frame,
    line: Vec<Glyph>,
    x: u32,
    /// Whether the current source line already reported passing the edge.
    wrapped: bool,
    /// Whether the last line ended by filling the paper (text right after it wraps).
    filled: bool,
    /// The last character of the line that filled the paper.
    last_char: char,
    /// Open counts of FB, FS, FS2, FH, FH2, FW, FW2.
    styles: [u32; 7],
    line_x2: bool,
    /// Whether anything but control tags has been read.
    started: bool,
    natives: u32,
    controls: Vec<Control>,
    problems: Vec<Problem>,
    logo: bool,
}

/// Whether `a` and `b` belong to one word: both ASCII letters or digits, or both CJK
/// ideographs.
fn same_word(a: char, b: char) -> bool {
    let cjk = |c: char| matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}');
    (a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric()) || (cjk(a) && cjk(b))
}

/// A tag at the start of `s`: (closing, name, length in bytes).
fn tag_at(s: &str) -> Option<(bool, &str, usize)> {
    let inner = s.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let end = inner.find('>')?;
    let name = &inner[..end];
    let ok = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric())
        && name.len() <= 16;
    ok.then(|| (closing, name, end + 2 + usize::from(closing)))
}

impl<'a> Sim<'a> {
    fn problem(&mut self, kind: ProblemKind, message: String, start: usize, end: usize) {
        self.problems.push(Problem {
            kind,
            message,
            span: Span::new(0, start, end),
        });
    }

    fn style(&self) -> Style {
        let [fb, fs, fs2, fh, fh2, fw, fw2] = self.styles;
        let scale = |two: u32, four_thirds: u32| {
            if two > 0 {
                Scale::X2
            } else if four_thirds > 0 {
                Scale::X4_3
            } else {
                Scale::X1
            }
        };
        if self.line_x2 {
            return Style {
                bold: fb > 0,
                width: Scale::X2,
                height: Scale::X2,
            };
        }
        Style {
            bold: fb > 0,
            width: scale(fs2 + fw2, fs + fw),
            height: scale(fs2 + fh2, fs + fh),
        }
    }

    /// The end of `<NAME>…</NAME>` starting at `i` (after the closing tag), and the value.
    fn element(&self, i: usize, name: &str, open_len: usize) -> Option<(usize, &'a str)> {
        let content: &'a str = self.content;
        let body = &content[i + open_len..];
        let close = format!("</{name}>");
        let stop = body.find(&close)?;
        Some((i + open_len + stop + close.len(), &body[..stop]))
    }

    fn run(&mut self) {
        let content = self.content;
        let mut i = 0;
        while i < content.len() {
            let rest = &content[i..];
            let c = rest.chars().next().unwrap_or(' ');
            if c == '<' {
                if let Some(next) = self.tag(i) {
                    i = next;
                    continue;
                }
            }
            // any character (and any tag but a control tag, in `tag`) starts the printing
            self.started = true;
            match c {
                '\r' | '\n' => {
                    let n = if rest.starts_with("\r\n") { 2 } else { 1 };
                    // after a line that filled the paper, this break feeds an empty line
                    self.filled = false;
                    self.end_line(true);
                    self.wrapped = false;
                    i += n;
                }
                '\t' => {
                    let stop = (self.x / 48 + 1) * 48;
                    if stop > self.paper {
                        self.wrap(i, 1);
                    } else {
                        self.x = stop;
                    }
                    i += 1;
                }
                '@' if rest.starts_with("@@2") && self.line.is_empty() && self.x == 0 => {
                    self.line_x2 = true;
                    i += 3;
                }
                _ => {
                    self.put(c, i, c.len_utf8());
                    i += c.len_utf8();
                }
            }
        }
        if !self.line.is_empty() || self.x > 0 {
            self.end_line(true);
        }
    }

    /// Handles a tag at `i`, returning where reading goes on, or `None` to print `<` literally.
    fn tag(&mut self, i: usize) -> Option<usize> {
        let (closing, name, len) = tag_at(&self.content[i..])?;
        let name = name.to_string();
        let known = model_has_tag(self.model, &name);
        let literal = |sim: &mut Sim, what: String| {
            sim.problem(ProblemKind::UnknownTag, what, i, i + len);
            None
        };
        if CONTROL.contains(&name.as_str()) && !closing {
            let Some((end, value)) = self.element(i, &name, len) else {
                self.problem(
                    ProblemKind::Malformed,
                    format!("<{name}> is not closed: printed literally"),
                    i,
                    i + len,
                );
                return None;
            };
            let value = value.to_string();
            if !known {
                self.started = true;
                return literal(
                    self,
                    format!("the {} has no <{name}>: printed literally", self.model.name),
                );
            }
            if self.started {
                self.problem(
                    ProblemKind::LateControl,
                    format!(
                        "<{name}> after the start of the content: the printer obeys control tags \
                         only at the very start"
                    ),
                    i,
                    end,
                );
            } else {
                if name == "ML" && value == "1" {
                    self.logo = true;
                }
                self.controls.push(Control {
                    name,
                    value,
                    span: Span::new(0, i, end),
                });
            }
            return Some(end);
        }
        self.started = true;
        let is_style = STYLES.contains(&name.as_str());
        let is_code = CODES.contains(&name.as_str());
        let is_native = NATIVE.contains(&name.as_str());
        if !(is_style || is_code || is_native) || !known {
            let what = if is_style || is_code || is_native || CONTROL.contains(&name.as_str()) {
                format!("the {} has no <{name}>: printed literally", self.model.name)
            } else {
                format!(
                    "<{}{name}> is not a Yilianyun tag: printed literally",
                    if closing { "/" } else { "" }
                )
            };
            return literal(self, what);
        }
        if is_style {
            // a style tag right after a full line starts a new piece, not the word's rest
            self.filled = false;
            let k = STYLES.iter().position(|s| *s == name).unwrap_or(0);
            if closing {
                self.styles[k] = self.styles[k].saturating_sub(1);
            } else {
                self.styles[k] += 1;
            }
            return Some(i + len);
        }
        if closing {
            return literal(self, format!("</{name}> closes nothing: printed literally"));
        }
        let Some((end, value)) = self.element(i, &name, len) else {
            self.problem(
                ProblemKind::Malformed,
                format!("<{name}> is not closed: printed literally"),
                i,
                i + len,
            );
            return None;
        };
        let value_at = i + len;
        if is_code {
            self.code(&name, value, value_at, end);
        } else {
            self.natives += 1;
            if self.natives == u32::from(self.model.limits.native_budget) + 1 {
                self.problem(
                    ProblemKind::Budget,
                    format!(
                        "the {} reads at most {} <center>, <right>, <LR> and <table> tags per job; \
                         this is one more",
                        self.model.name, self.model.limits.native_budget
                    ),
                    i,
                    end,
                );
            }
            self.native(&name, value_at, end - (name.len() + 3));
        }
        Some(end)
    }

    /// A code on lines of its own.
    fn code(&mut self, name: &str, data: &str, at: usize, end: usize) {
        self.filled = false;
        if !self.line.is_empty() || self.x > 0 {
            self.end_line(false);
        }
        let model = self.model;
        let span = (at, at + data.len());
        let mut data = data.to_string();
        let kind = match name {
            "QR" => {
                let bytes = gbk_bytes(&data);
                let max = model.codes.qr.map_or(0, |q| usize::from(q.max_bytes));
                if bytes > max {
                    self.problem(
                        ProblemKind::CodeTooLong,
                        format!(
                            "QR data is {bytes} bytes; the {} takes at most {max} (a Chinese \
                             character counts 2)",
                            model.name
                        ),
                        span.0,
                        span.1,
                    );
                }
                CodeKind::Qr
            }
            "BR" => {
                if !data.bytes().all(|b| b.is_ascii_digit()) || data.is_empty() {
                    self.problem(
                        ProblemKind::BadCode,
                        "EAN-13 takes digits only".into(),
                        span.0,
                        span.1,
                    );
                } else if data.len() > 13 {
                    self.problem(
                        ProblemKind::CodeTooLong,
                        format!("EAN-13 takes 13 digits, not {}", data.len()),
                        span.0,
                        span.1,
                    );
                } else if data.len() < 13 {
                    self.problem(
                        ProblemKind::BadCode,
                        format!(
                            "EAN-13 data of {} digits: the printer pads it with zeros, so the \
                             check digit is likely wrong",
                            data.len()
                        ),
                        span.0,
                        span.1,
                    );
                    while data.len() < 13 {
                        data.push('0');
                    }
                }
                CodeKind::Ean13
            }
            "BR2" => {
                let max = model.codes.code128.map_or(0, |c| usize::from(c.max_len));
                if data.chars().any(|c| !(' '..='~').contains(&c)) {
                    self.problem(
                        ProblemKind::BadCode,
                        "Code 128 B takes printable ASCII only".into(),
                        span.0,
                        span.1,
                    );
                } else if data.len() > max {
                    self.problem(
                        ProblemKind::CodeTooLong,
                        format!(
                            "Code 128 data is {} characters; the {} takes at most {max}",
                            data.len(),
                            model.name
                        ),
                        span.0,
                        span.1,
                    );
                }
                CodeKind::Code128
            }
            _ => {
                let (odd, even) = model
                    .codes
                    .code128c
                    .map_or((0, 0), |c| (c.max_odd, c.max_even));
                let max = usize::from(if data.len() % 2 == 1 { odd } else { even });
                if !data.bytes().all(|b| b.is_ascii_digit()) {
                    self.problem(
                        ProblemKind::BadCode,
                        "Code 128 C takes digits only".into(),
                        span.0,
                        span.1,
                    );
                } else if data.len() > max {
                    self.problem(
                        ProblemKind::CodeTooLong,
                        format!(
                            "Code 128 C data is {} digits; the {} takes at most {max} at that parity",
                            data.len(),
                            model.name
                        ),
                        span.0,
                        span.1,
                    );
                }
                CodeKind::Code128C
            }
        };
        self.frame.push_code(CodeItem {
            kind,
            data,
            origin: Origin::Template,
            span: Span::new(0, at - name.len() - 2, end),
        });
    }

    /// `<center>`, `<right>`, `<LR>`, `<table>` whose body is `content[at..body_end]`.
    fn native(&mut self, name: &str, at: usize, body_end: usize) {
        self.filled = false;
        if !self.line.is_empty() || self.x > 0 {
            self.end_line(false);
        }
        let body = &self.content[at..body_end];
        match name {
            "table" => self.table(at, body),
            "LR" => {
                let comma = body.find(',').unwrap_or(body.len());
                self.inline(at, &body[..comma]);
                let left = std::mem::take(&mut self.line);
                self.x = 0;
                if comma < body.len() {
                    self.inline(at + comma + 1, &body[comma + 1..]);
                }
                self.shift_to_end();
                let mut all = left;
                all.append(&mut self.line);
                self.line = all;
                self.end_line(false);
            }
            _ => {
                self.inline(at, body);
                if name == "center" {
                    let w = self.x;
                    let shift = (self.paper.saturating_sub(w) / 2) / 12 * 12;
                    for g in &mut self.line {
                        g.x += shift;
                    }
                } else {
                    self.shift_to_end();
                }
                self.end_line(false);
            }
        }
    }

    /// Moves the current line's glyphs so that the last one ends at the paper's edge.
    fn shift_to_end(&mut self) {
        let shift = self.paper.saturating_sub(self.x);
        for g in &mut self.line {
            g.x += shift;
        }
        self.x += shift;
    }

    /// Text with style tags inside an alignment tag, put on the current line.
    fn inline(&mut self, at: usize, text: &str) {
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            if let Some((closing, name, len)) = tag_at(rest) {
                if STYLES.contains(&name) && model_has_tag(self.model, name) {
                    let k = STYLES.iter().position(|s| *s == name).unwrap_or(0);
                    if closing {
                        self.styles[k] = self.styles[k].saturating_sub(1);
                    } else {
                        self.styles[k] += 1;
                    }
                    i += len;
                    continue;
                }
                self.problem(
                    ProblemKind::Malformed,
                    format!("<{name}> inside an alignment tag is printed literally"),
                    at + i,
                    at + i + len,
                );
            }
            let c = rest.chars().next().unwrap_or(' ');
            if matches!(c, '\r' | '\n') {
                self.problem(
                    ProblemKind::Malformed,
                    "a line break inside an alignment tag".into(),
                    at + i,
                    at + i + 1,
                );
                i += 1;
                continue;
            }
            self.put(c, at + i, c.len_utf8());
            i += c.len_utf8();
        }
    }

    fn table(&mut self, at: usize, body: &str) {
        let mut rest = body;
        let mut offset = at;
        while let Some(start) = rest.find("<tr>") {
            let row_at = offset + start + 4;
            let after = &rest[start + 4..];
            let Some(stop) = after.find("</tr>") else {
                self.problem(
                    ProblemKind::Malformed,
                    "<tr> is not closed".into(),
                    row_at - 4,
                    row_at,
                );
                return;
            };
            let row = &after[..stop];
            let mut cells = Vec::new();
            let mut r = row;
            let mut r_at = row_at;
            while let Some(s) = r.find("<td>") {
                let tail = &r[s + 4..];
                let e = tail.find("</td>").unwrap_or(tail.len());
                cells.push((r_at + s + 4, &tail[..e]));
                let skip = (s + 4 + e + 5).min(r.len());
                r_at += skip;
                r = &r[skip..];
            }
            if !(3..=4).contains(&cells.len()) {
                self.problem(
                    ProblemKind::Malformed,
                    format!("a <tr> of {} cells: the printer takes 3 or 4", cells.len()),
                    row_at - 4,
                    row_at + stop + 5,
                );
            }
            let n = cells.len().max(1) as u32;
            let share = u32::from(self.columns) / n * 12;
            let mut line = Vec::new();
            for (k, (cell_at, text)) in cells.into_iter().enumerate() {
                self.x = k as u32 * share;
                self.inline(cell_at, text);
                line.append(&mut self.line);
            }
            self.line = line;
            self.end_line(false);
            let consumed = start + 4 + stop + 5;
            offset += consumed;
            rest = &rest[consumed..];
        }
    }

    /// Starts a new line because `c` at `at` does not fit.
    fn wrap(&mut self, at: usize, _len: usize) {
        self.report_wrap(at);
        self.end_line(false);
    }

    /// Reports, once per line of the content, that it passes the paper's edge at `at`.
    fn report_wrap(&mut self, at: usize) {
        if !self.wrapped {
            self.wrapped = true;
            let line_end = self.content[at..]
                .find(['\n', '\r'])
                .map_or(self.content.len(), |e| at + e);
            self.problem(
                ProblemKind::PastEdge,
                format!(
                    "the line passes the paper's edge ({} columns) here: the printer wraps the \
                     rest onto a new line",
                    self.columns
                ),
                at,
                line_end,
            );
        }
    }

    fn put(&mut self, c: char, at: usize, len: usize) {
        let (c, base) = if c.is_ascii() && !c.is_ascii_control() {
            (c, 12)
        } else if !c.is_ascii() && printable(c, Encoding::Gbk) {
            (c, 24)
        } else {
            self.problem(
                ProblemKind::Unprintable,
                format!("{c:?} is not in the printer's character set: it prints as `?`"),
                at,
                at + len,
            );
            ('?', 12)
        };
        let style = self.style();
        let dots = style.width.dots(base);
        if std::mem::take(&mut self.filled) && same_word(self.last_char, c) && !self.wrapped {
            // The line before ended by filling the paper, and this character goes on its word:
            // likely a line longer than the paper, though slipmark and the vendor's demo write a
            // full line with no line break after it, so it may be two lines that meet.
            self.wrapped = true;
            let line_end = self.content[at..]
                .find(['\n', '\r'])
                .map_or(self.content.len(), |e| at + e);
            self.problem(
                ProblemKind::FilledLine,
                format!(
                    "the line fills the paper's {} columns and goes on without a line break: \
                     the printer starts a new line here",
                    self.columns
                ),
                at,
                line_end,
            );
        }
        if self.x + dots > self.paper && (self.x > 0 || !self.line.is_empty()) {
            self.wrap(at, len);
        }
        self.line.push(Glyph {
            x: self.x,
            dots,
            ch: c,
            style,
            at,
            len,
        });
        self.x += dots;
        if self.x == self.paper && self.model.full_line_wraps {
            // A line filled to the last dot ends by itself; a newline right after it would
            // feed an empty line.
            self.end_line(false);
            self.filled = true;
            self.last_char = c;
        }
    }

    /// Ends the current line. `newline`: ended by a line break in the content.
    fn end_line(&mut self, newline: bool) {
        let _ = newline;
        super::grid::line_of(&mut self.frame, &self.line, self.columns);
        self.line.clear();
        self.x = 0;
        self.line_x2 = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use crate::frame::Item;

    fn run(content: &str, model: &str) -> Emulated {
        let cat = Catalogue::builtin();
        let m = cat.resolve(model).unwrap();
        emulate_str(content, m, m.paper.default_columns)
    }

    fn kinds(e: &Emulated) -> Vec<ProblemKind> {
        e.problems.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn a_clean_content_has_no_problems_and_draws_its_lines() {
        let e = run("<MN>2</MN>合计  <FS>￥9</FS>\n<QR>https://e.x</QR>", "k4");
        assert_eq!(kinds(&e), []);
        assert_eq!(e.controls[0].value, "2");
        let text = crate::preview::text(&e.frame);
        assert!(text.starts_with("合计  "), "{text}");
        assert!(matches!(&e.frame.items()[1], Item::Code(c) if c.data == "https://e.x"));
    }

    #[test]
    fn a_long_line_wraps_once_with_its_position() {
        let line = "a".repeat(40);
        let e = run(&format!("x\n{line}\n"), "k4");
        // 32 columns fill the paper and the word goes on: a filled line
        assert_eq!(kinds(&e), [ProblemKind::FilledLine]);
        assert_eq!(e.problems[0].line_col(&format!("x\n{line}\n")), (2, 33));
        assert_eq!(crate::preview::text_lines(&e.frame)[2], "a".repeat(8));
        // a character that does not fit in the dots left is past the edge
        let e = run(&format!("{}汉\n", "a".repeat(31)), "k4");
        assert_eq!(kinds(&e), [ProblemKind::PastEdge]);
        assert_eq!(
            crate::preview::text_lines(&e.frame),
            ["a".repeat(31), "汉".into()]
        );
    }

    #[test]
    fn unknown_late_and_missing_tags() {
        let e = run("<MN>2</MN>hi<B>x</B>\n<MN>3</MN><BR2>AB</BR2>", "k2s");
        assert_eq!(
            kinds(&e),
            [
                ProblemKind::UnknownTag,
                ProblemKind::UnknownTag,
                ProblemKind::LateControl,
                ProblemKind::UnknownTag,
                ProblemKind::UnknownTag
            ]
        );
        assert_eq!(crate::preview::text_lines(&e.frame)[0], "hi<B>x</B>");
    }

    #[test]
    fn codes_and_budgets() {
        let long = "x".repeat(200);
        let e = run(&format!("<QR>{long}</QR><BR>12a</BR><BR>123</BR>"), "k4");
        assert_eq!(
            kinds(&e),
            [
                ProblemKind::CodeTooLong,
                ProblemKind::BadCode,
                ProblemKind::BadCode
            ]
        );
        let many = "<center>a</center>".repeat(26);
        let e = run(&many, "k2s");
        assert_eq!(kinds(&e), [ProblemKind::Budget]);
        assert_eq!(e.problems[0].span.range().start, 25 * 18);
    }

    #[test]
    fn alignment_tags_place_their_text() {
        let e = run("<center>ab</center><right>c</right><LR>l,r</LR>", "k2s");
        let lines = crate::preview::text_lines(&e.frame);
        assert_eq!(lines[0], format!("{}ab", " ".repeat(15)));
        assert_eq!(lines[1], format!("{}c", " ".repeat(31)));
        assert_eq!(lines[2], format!("l{}r", " ".repeat(30)));
    }
}
