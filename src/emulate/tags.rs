//! The Feieyun (飞鹅云) and Xpyun (芯烨云) emulator: a `content` string of their print APIs, read
//! by the tag tables the vendors publish (`shared/spec/other-dialects.md`: the official demos and
//! `FeieDirective.java` for Feieyun, `XPYUN-Open-Demo` for Xpyun), put on a grid of dots. It
//! knows every tag the vendors document, not only those slipmark writes, so it can read the
//! content of someone's existing code.
//!
//! The rules it applies, and what it reports:
//!
//! - **Line ends**: `<BR>` ends a line. A raw `\n` (or `\r\n`, `\r`) ends one too (assumed: the
//!   cloud printers are ESC/POS printers underneath, where LF prints the line). Xpyun wants the
//!   `<BR>` *inside* the line's closing tags (`<B>x<BR></B>`); one right after a closing tag is
//!   [`Malformed`](ProblemKind::Malformed).
//! - **Widths**: an ASCII character is 12 dots, any other 24 (the printers' GBK rule); under a
//!   ×2 tag twice that. A character that does not fit in the dots left wraps to the next line
//!   ([`PastEdge`](ProblemKind::PastEdge), once per line). A line filled to the last dot stays
//!   open until its `<BR>` unless the model's `full_line_wraps` says otherwise. Characters
//!   outside GBK print as `?` ([`Unprintable`](ProblemKind::Unprintable)).
//! - **Size and style tags** (pairs): Feieyun `<B>` ×2, `<L>` ×2 height, `<W>` ×2 width, `<CB>`
//!   centred ×2, `<BOLD>`; Xpyun `<B>`, `<HB>`, `<WB>`, `<CB>`, `<N>` (normal), `<BOLD>`, and
//!   `<B2>`/`<HB2>`/`<WB2>`, drawn as ×2 (the vendor says 二倍; another reading is ×3). Nested
//!   size tags: the innermost decides (Xpyun says so of nesting; assumed for Feieyun).
//! - **Alignment tags**: Feieyun `<C>`, `<RIGHT>`, `<CB>`; Xpyun `<L>`, `<C>`, `<R>`, `<CB>`.
//!   A line is placed by the last alignment that applied to its text (Xpyun: "only the last
//!   alignment tag works"; two on one line are [`Malformed`](ProblemKind::Malformed) there),
//!   centred in whole columns (assumed rounding).
//! - **Codes** stand on lines of their own: `<QR>` (Xpyun also `<QR90>`…`<QR180>`, closed by
//!   `</QR>`), Feieyun `<BC128_A>` (digits and upper-case letters), `<BC128_B>` (digits and
//!   letters), `<BC128_C>` (digits), Xpyun `<BARCODE>` (printable ASCII, assumed Code 128). The
//!   data is checked against the model's limits ([`CodeTooLong`](ProblemKind::CodeTooLong),
//!   [`BadCode`](ProblemKind::BadCode)); QR data counts GBK bytes. Both vendors print one QR
//!   code per order: a second is [`CodeCount`](ProblemKind::CodeCount) and not drawn.
//! - **Single tags**: Feieyun `<CUT>` (the end of the job: text after it is
//!   [`LateControl`](ProblemKind::LateControl)), `<LOGO>` (the stored image, where it stands),
//!   `<PLUGIN>` (cash drawer), `<AUDIO-REFUND>`, `<AUDIO-CANCEL>` — listed in
//!   [`Emulated::controls`] except the logo, which is drawn.
//! - **Any other tag**, or one of the vendor's that the model lacks (a `<CUT>` on a printer
//!   without a cutter), is printed literally ([`UnknownTag`](ProblemKind::UnknownTag)); a `<`
//!   that forms no tag is text. A closing tag that closes nothing is ignored and an opening tag
//!   never closed styles everything after it ([`Malformed`](ProblemKind::Malformed)).
//! - **Size**: the content's UTF-8 bytes against the model's `max_content_bytes` (5000 for
//!   both vendors) and its characters against `max_content_chars`
//!   ([`Budget`](ProblemKind::Budget)).

use crate::backend::Model;
use crate::document::{CodeKind, Cut, JobSettings, Scale, Style};
use crate::error::{Error, ErrorKind};
use crate::measure::{Encoding, gbk_bytes, printable};
use crate::span::{Span, Spanned};

use super::grid::{DOTS, Placement, Sheet};
use super::{Control, Emulated, Emulator, ProblemKind, codes};

/// Which vendor's tag table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    /// Feieyun (飞鹅云).
    Feieyun,
    /// Xpyun (芯烨云).
    Xpyun,
}

/// The emulator for the Feieyun or Xpyun dialect.
#[derive(Debug, Clone, Copy)]
pub struct TagEmulator(pub Vendor);

/// The Feieyun emulator.
pub const FEIEYUN: TagEmulator = TagEmulator(Vendor::Feieyun);
/// The Xpyun emulator.
pub const XPYUN: TagEmulator = TagEmulator(Vendor::Xpyun);

impl Emulator for TagEmulator {
    fn dialect(&self) -> &'static str {
        match self.0 {
            Vendor::Feieyun => "feieyun",
            Vendor::Xpyun => "xpyun",
        }
    }

    fn emulate(&self, input: &[u8], model: &Model, columns: u16) -> Result<Emulated, Error> {
        let content = std::str::from_utf8(input).map_err(|e| {
            Error::new(
                ErrorKind::Data,
                format!("the content is not UTF-8 (the print API takes UTF-8): {e}"),
            )
            .with_cause(e)
        })?;
        Ok(emulate_str(content, model, columns, self.0))
    }
}

/// What a tag of the vendor's table does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    LineEnd,
    Cut,
    Drawer,
    Sound,
    Logo,
    Bold,
    /// A size, and the alignment `<CB>` carries.
    Size(Scale, Scale, Option<Placement>),
    Align(Placement),
    Code(Code),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Code {
    Qr,
    /// Code 128 with the characters it takes (`BC128_A`, `BC128_B`, `BARCODE`).
    Code128(Charset),
    Code128C,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Charset {
    UpperOrDigit,
    Alphanumeric,
    Ascii,
}

impl Charset {
    fn rule(self) -> (fn(char) -> bool, &'static str) {
        match self {
            Charset::UpperOrDigit => (
                |c| c.is_ascii_uppercase() || c.is_ascii_digit(),
                "digits and upper-case letters",
            ),
            Charset::Alphanumeric => (|c| c.is_ascii_alphanumeric(), "digits and letters"),
            Charset::Ascii => (|c| (' '..='~').contains(&c), "printable ASCII"),
        }
    }
}

impl Vendor {
    fn name(self) -> &'static str {
        match self {
            Vendor::Feieyun => "Feieyun",
            Vendor::Xpyun => "Xpyun",
        }
    }

    /// The vendor's tag `name` (without `<`, `/`, `>`).
    fn tag(self, name: &str) -> Option<Tag> {
        use Scale::{X1, X2};
        let center = Some(Placement::Center);
        Some(match (self, name) {
            (_, "BR") => Tag::LineEnd,
            (_, "BOLD") => Tag::Bold,
            (_, "B") => Tag::Size(X2, X2, None),
            (_, "CB") => Tag::Size(X2, X2, center),
            (_, "C") => Tag::Align(Placement::Center),
            (_, "QR") => Tag::Code(Code::Qr),
            (Vendor::Feieyun, "CUT") => Tag::Cut,
            (Vendor::Feieyun, "LOGO") => Tag::Logo,
            (Vendor::Feieyun, "PLUGIN") => Tag::Drawer,
            (Vendor::Feieyun, "AUDIO-REFUND" | "AUDIO-CANCEL") => Tag::Sound,
            (Vendor::Feieyun, "L") => Tag::Size(X1, X2, None),
            (Vendor::Feieyun, "W") => Tag::Size(X2, X1, None),
            (Vendor::Feieyun, "RIGHT") => Tag::Align(Placement::Right),
            (Vendor::Feieyun, "BC128_A") => Tag::Code(Code::Code128(Charset::UpperOrDigit)),
            (Vendor::Feieyun, "BC128_B") => Tag::Code(Code::Code128(Charset::Alphanumeric)),
            (Vendor::Feieyun, "BC128_C") => Tag::Code(Code::Code128C),
            (Vendor::Xpyun, "L") => Tag::Align(Placement::Left),
            (Vendor::Xpyun, "R") => Tag::Align(Placement::Right),
            (Vendor::Xpyun, "N") => Tag::Size(X1, X1, None),
            (Vendor::Xpyun, "HB" | "HB2") => Tag::Size(X1, X2, None),
            (Vendor::Xpyun, "WB" | "WB2") => Tag::Size(X2, X1, None),
            (Vendor::Xpyun, "B2") => Tag::Size(X2, X2, None),
            (Vendor::Xpyun, "BARCODE") => Tag::Code(Code::Code128(Charset::Ascii)),
            (Vendor::Xpyun, n) if qr_size(n).is_some() => Tag::Code(Code::Qr),
            _ => return None,
        })
    }
}

/// Xpyun's `<QR180>`: the size in the name.
fn qr_size(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("QR")?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) || digits.len() > 4 {
        return None;
    }
    digits.parse().ok()
}

/// What the model lacks for a tag, if anything.
fn lacks(tag: Tag, model: &Model) -> Option<&'static str> {
    let s = model.styles;
    let c = model.codes;
    match tag {
        Tag::Cut if !model.cut => Some("no cutter"),
        Tag::Drawer if !model.drawer => Some("no cash drawer port"),
        Tag::Logo if c.logo.is_none() => Some("no stored logo"),
        Tag::Bold if !s.bold => Some("no bold"),
        Tag::Size(w, h, _) if (w == Scale::X2 && !s.wide2) || (h == Scale::X2 && !s.tall2) => {
            Some("no such size")
        }
        Tag::Code(Code::Qr) if c.qr.is_none() => Some("no QR code"),
        Tag::Code(Code::Code128(_)) if c.code128.is_none() => Some("no Code 128"),
        Tag::Code(Code::Code128C) if c.code128c.is_none() => Some("no Code 128 C"),
        _ => None,
    }
}

/// A tag at the start of `s`: (closing, name, length in bytes). Names are ASCII letters,
/// digits, `_` and `-`.
fn tag_at(s: &str) -> Option<(bool, &str, usize)> {
    let inner = s.strip_prefix('<')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, inner),
    };
    let end = inner.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '-'))?;
    if end == 0 || !inner[end..].starts_with('>') {
        return None;
    }
    Some((closing, &inner[..end], usize::from(closing) + end + 2))
}

struct Open {
    name: String,
    tag: Tag,
    at: usize,
    len: usize,
}

struct Sim<'a> {
    content: &'a str,
    model: &'a Model,
    vendor: Vendor,
    sheet: Sheet,
    open: Vec<Open>,
    /// The alignment the current line's text was written under.
    place: Option<Placement>,
    /// Alignment tags opened on the current line.
    aligns: usize,
    /// Whether the last thing read was a closing tag (Xpyun's `<BR>` rule).
    after_close: bool,
    qrs: u16,
    cut: Option<usize>,
    after_cut_reported: bool,
    controls: Vec<Control>,
    settings: JobSettings,
}

/// Emulates a Feieyun or Xpyun content string (see the module docs).
pub fn emulate_str(content: &str, model: &Model, columns: u16, vendor: Vendor) -> Emulated {
    let mut sim = Sim {
        content,
        model,
        vendor,
        sheet: Sheet::new(columns, model.full_line_wraps),
        open: Vec::new(),
        place: None,
        aligns: 0,
        after_close: false,
        qrs: 0,
        cut: None,
        after_cut_reported: false,
        controls: Vec::new(),
        settings: JobSettings::default(),
    };
    sim.run();
    sim.limits();
    sim.sheet.finish(columns, sim.settings, sim.controls)
}

impl Sim<'_> {
    fn run(&mut self) {
        let content = self.content;
        let mut i = 0;
        while i < content.len() {
            let rest = &content[i..];
            if let Some((closing, name, len)) = tag_at(rest) {
                if let Some(consumed) = self.tag(closing, name, i, len) {
                    i += consumed;
                    continue;
                }
                // printed literally, character by character
                for (k, c) in rest[..len].char_indices() {
                    self.text(c, i + k);
                }
                self.after_close = false;
                i += len;
                continue;
            }
            let c = rest.chars().next().unwrap_or(' ');
            match c {
                '\r' if rest[1..].starts_with('\n') => {
                    self.line_break();
                    i += 2;
                    continue;
                }
                '\n' | '\r' => self.line_break(),
                _ => self.text(c, i),
            }
            self.after_close = false;
            i += c.len_utf8();
        }
        if self.sheet.pending() {
            let place = self.place.unwrap_or_default();
            self.sheet.print_line(place);
        }
        for open in std::mem::take(&mut self.open) {
            self.sheet.problem(
                ProblemKind::Malformed,
                format!(
                    "<{}> is never closed: the printer keeps it on to the end",
                    open.name
                ),
                open.at,
                open.at + open.len,
            );
        }
    }

    /// Handles a tag at `at`; returns the bytes consumed, or `None` when it prints literally.
    fn tag(&mut self, closing: bool, name: &str, at: usize, len: usize) -> Option<usize> {
        let vendor = self.vendor.name();
        let Some(tag) = self.vendor.tag(name) else {
            let shown = if closing {
                format!("</{name}>")
            } else {
                format!("<{name}>")
            };
            self.sheet.problem(
                ProblemKind::UnknownTag,
                format!("{shown} is not a {vendor} tag: the printer prints it as text"),
                at,
                at + len,
            );
            return None;
        };
        let single = matches!(
            tag,
            Tag::LineEnd | Tag::Cut | Tag::Drawer | Tag::Sound | Tag::Logo
        );
        if closing && single {
            self.sheet.problem(
                ProblemKind::UnknownTag,
                format!("<{name}> is a single tag; </{name}> is printed as text"),
                at,
                at + len,
            );
            return None;
        }
        if let Some(why) = lacks(tag, self.model) {
            self.sheet.problem(
                ProblemKind::UnknownTag,
                format!(
                    "<{name}> is a {vendor} tag, but the {} has {why}: printed as text (assumed)",
                    self.model.name
                ),
                at,
                at + len,
            );
            return None;
        }
        let after_close = std::mem::replace(&mut self.after_close, false);
        match tag {
            Tag::LineEnd => {
                if self.vendor == Vendor::Xpyun && after_close {
                    self.sheet.problem(
                        ProblemKind::Malformed,
                        "Xpyun wants <BR> inside the line's closing tags (`<B>x<BR></B>`): \
                         after them the line may lose its alignment"
                            .into(),
                        at,
                        at + len,
                    );
                }
                self.line_break();
            }
            Tag::Cut | Tag::Drawer | Tag::Sound => {
                if tag == Tag::Cut {
                    if self.sheet.pending() {
                        self.line_break();
                    }
                    self.cut = Some(at);
                    self.settings.cut = Some(Spanned::new(Cut::Full, Span::new(0, at, at + len)));
                }
                if tag == Tag::Drawer {
                    self.settings.drawer = Some(Spanned::new(true, Span::new(0, at, at + len)));
                }
                self.controls.push(Control {
                    name: name.to_string(),
                    value: String::new(),
                    span: Span::new(0, at, at + len),
                });
            }
            Tag::Logo => {
                self.sheet.code(CodeKind::Logo, String::new(), at, at + len);
                self.sheet.wrapped = false;
            }
            Tag::Code(code) if !closing => return Some(self.code(code, name, at, len)),
            _ if closing => {
                match self.open.iter().rposition(|o| o.name == name) {
                    Some(k) => {
                        self.open.remove(k);
                    }
                    None => self.sheet.problem(
                        ProblemKind::Malformed,
                        format!("</{name}> closes no open tag: the printer ignores it"),
                        at,
                        at + len,
                    ),
                }
                self.after_close = true;
            }
            _ => {
                if matches!(tag, Tag::Align(_) | Tag::Size(_, _, Some(_))) {
                    self.aligns += 1;
                    if self.vendor == Vendor::Xpyun && self.aligns == 2 {
                        self.sheet.problem(
                            ProblemKind::Malformed,
                            "a second alignment tag on one line: Xpyun honours only the last"
                                .into(),
                            at,
                            at + len,
                        );
                    }
                }
                self.open.push(Open {
                    name: name.to_string(),
                    tag,
                    at,
                    len,
                });
            }
        }
        Some(len)
    }

    /// A code tag at `at` (`len` bytes): its data up to the closing tag, checked and drawn.
    fn code(&mut self, code: Code, name: &str, at: usize, len: usize) -> usize {
        let close_name = if qr_size(name).is_some() { "QR" } else { name };
        let close = format!("</{close_name}>");
        let body = &self.content[at + len..];
        let Some(stop) = body.find(&close) else {
            self.sheet.problem(
                ProblemKind::Malformed,
                format!("<{name}> is never closed by {close}: the printer prints it as text"),
                at,
                at + len,
            );
            for (k, c) in self.content[at..at + len].char_indices() {
                self.text(c, at + k);
            }
            return len;
        };
        let data = &body[..stop];
        let span = (at + len, at + len + stop);
        let end = at + len + stop + close.len();
        if let Some(n) = qr_size(name).filter(|n| !(90..=180).contains(n)) {
            self.sheet.problem(
                ProblemKind::BadCode,
                format!("<{name}>: Xpyun's QR size is 90 to 180 (default 110), not {n}"),
                at,
                at + len,
            );
        }
        if let Some(k) = data.find(['<', '>']) {
            self.sheet.problem(
                ProblemKind::Malformed,
                format!("a `<` or `>` inside <{name}>: the code carries it as data"),
                span.0 + k,
                span.0 + k + 1,
            );
        }
        let model = self.model;
        let kind = match code {
            Code::Qr => {
                self.qrs += 1;
                let max = model.codes.qr.and_then(|q| q.max_per_job);
                if let Some(max) = max.filter(|m| self.qrs > *m) {
                    self.sheet.problem(
                        ProblemKind::CodeCount,
                        format!(
                            "QR code {} in one order: the {} prints at most {max} per order, \
                             so this one does not print",
                            self.qrs, model.name
                        ),
                        at,
                        end,
                    );
                    return end - at;
                }
                codes::qr(
                    &mut self.sheet,
                    model,
                    gbk_bytes(data),
                    "counted in GBK bytes: a Chinese character counts 2",
                    span,
                );
                CodeKind::Qr
            }
            Code::Code128(charset) => {
                let max = model.codes.code128.map_or(0, |c| usize::from(c.max_len));
                codes::code128(&mut self.sheet, model, data, charset.rule(), max, span);
                CodeKind::Code128
            }
            Code::Code128C => {
                codes::code128c(&mut self.sheet, model, data, span);
                CodeKind::Code128C
            }
        };
        self.after_cut(at);
        self.sheet.code(kind, data.to_string(), at, end);
        self.sheet.wrapped = false;
        end - at
    }

    fn line_break(&mut self) {
        let place = self.place.take().unwrap_or_default();
        self.sheet.line_break(place);
        self.aligns = 0;
    }

    /// Reports, once, something printed after the cut.
    fn after_cut(&mut self, at: usize) {
        if self.cut.is_some() && !self.after_cut_reported {
            self.after_cut_reported = true;
            self.sheet.problem(
                ProblemKind::LateControl,
                "printed after <CUT>: the printer cuts before it, and it starts the next slip"
                    .into(),
                at,
                self.content.len(),
            );
        }
    }

    /// One character of text at `at`.
    fn text(&mut self, c: char, at: usize) {
        let len = c.len_utf8();
        let (c, base) = if c.is_ascii() && !c.is_ascii_control() {
            (c, DOTS)
        } else if !c.is_ascii() && printable(c, Encoding::Gbk) {
            (c, 2 * DOTS)
        } else {
            self.sheet.problem(
                ProblemKind::Unprintable,
                format!("{c:?} is not in the printer's character set: it prints as `?`"),
                at,
                at + len,
            );
            ('?', DOTS)
        };
        self.after_cut(at);
        let mut style = Style::PLAIN;
        let mut place = None;
        let mut sized = false;
        for open in self.open.iter().rev() {
            match open.tag {
                Tag::Bold => style.bold = true,
                Tag::Size(w, h, align) => {
                    if !sized {
                        (style.width, style.height) = (w, h);
                        sized = true;
                    }
                    place = place.or(align);
                }
                Tag::Align(a) => place = place.or(Some(a)),
                _ => {}
            }
        }
        if place.is_some() {
            self.place = place;
        }
        let dots = style.width.dots(base);
        let line_place = self.place.unwrap_or_default();
        self.sheet.put(c, dots, style, at, len, line_place);
    }

    /// The content's size against the model's limits.
    fn limits(&mut self) {
        let content = self.content;
        let model = self.model;
        if let Some(max) = model.limits.max_content_bytes {
            if content.len() > max as usize {
                let at = crate::span::floor_char_boundary(content, max as usize);
                self.sheet.problem(
                    ProblemKind::Budget,
                    format!(
                        "the content is {} bytes; the {} takes at most {max}: the API refuses it \
                         (it passes the limit here)",
                        content.len(),
                        model.name
                    ),
                    at,
                    content.len(),
                );
                return;
            }
        }
        let max = model.limits.max_content_chars as usize;
        if let Some((at, _)) = content.char_indices().nth(max) {
            self.sheet.problem(
                ProblemKind::Budget,
                format!(
                    "the content passes the {}'s limit of {max} characters here",
                    model.name
                ),
                at,
                content.len(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use crate::frame::Item;

    fn run(content: &str, model: &str, vendor: Vendor) -> Emulated {
        let cat = Catalogue::builtin();
        let m = cat.resolve(model).unwrap();
        emulate_str(content, m, m.paper.default_columns, vendor)
    }

    fn kinds(e: &Emulated) -> Vec<ProblemKind> {
        e.problems.iter().map(|p| p.kind).collect()
    }

    #[test]
    fn a_clean_feieyun_content_draws_its_lines_codes_and_controls() {
        let e = run(
            "<B>桌 8</B><BR>a  <BOLD>b</BOLD><BR><BR><QR>https://e.x</QR><CUT>",
            "feieyun-80",
            Vendor::Feieyun,
        );
        assert_eq!(kinds(&e), []);
        let lines = crate::preview::text_lines(&e.frame);
        assert_eq!(lines[2], "a  b");
        assert!(matches!(&e.frame.items()[3], Item::Code(c) if c.data == "https://e.x"));
        assert_eq!(e.controls[0].name, "CUT");
        let Item::Line(l) = &e.frame.items()[0] else {
            panic!()
        };
        let first = &e.frame.runs(l)[0];
        assert_eq!(first.style.width, Scale::X2);
        assert_eq!((first.col, first.width), (0, 4)); // 桌, then the space ends the run
    }

    #[test]
    fn alignment_tags_place_their_line() {
        let e = run(
            "<C>ab</C><BR><RIGHT>c</RIGHT><BR>",
            "feieyun-58",
            Vendor::Feieyun,
        );
        let lines = crate::preview::text_lines(&e.frame);
        assert_eq!(lines[0], format!("{}ab", " ".repeat(15)));
        assert_eq!(lines[1], format!("{}c", " ".repeat(31)));
        // Xpyun: <BR> inside, one alignment per line
        let e = run(
            "<C>ab<BR></C><R>c</R><L>d</L><BR>",
            "xpyun-58",
            Vendor::Xpyun,
        );
        assert_eq!(
            crate::preview::text_lines(&e.frame)[0],
            format!("{}ab", " ".repeat(15))
        );
        assert_eq!(kinds(&e), [ProblemKind::Malformed, ProblemKind::Malformed]);
        assert_eq!(e.problems[0].span.range().start, 21); // the second alignment, <L>
        assert_eq!(e.problems[1].span.range().start, 29); // </L><BR>
    }

    #[test]
    fn problems_with_their_positions() {
        let content = format!(
            "{}<BR><FB>x</FB><QR>a</QR><QR>b</QR><BC128_B>{}</BC128_B><CUT>t<B>u",
            "a".repeat(40),
            "A".repeat(15)
        );
        let e = run(&content, "feieyun-58", Vendor::Feieyun);
        assert_eq!(
            kinds(&e),
            [
                ProblemKind::PastEdge,
                ProblemKind::UnknownTag,
                ProblemKind::UnknownTag,
                ProblemKind::CodeCount,
                ProblemKind::CodeTooLong,
                ProblemKind::UnknownTag,
                ProblemKind::Malformed,
            ]
        );
        let at: Vec<usize> = e.problems.iter().map(|p| p.span.range().start).collect();
        assert_eq!(at, [32, 44, 49, 64, 83, 108, 114]);
        // the second QR is not drawn; <CUT> on a 58 mm printer without a cutter prints literally
        let qrs = e
            .frame
            .items()
            .iter()
            .filter(|i| matches!(i, Item::Code(c) if c.kind == CodeKind::Qr))
            .count();
        assert_eq!(qrs, 1);
        assert!(crate::preview::text(&e.frame).contains("<CUT>t"));
    }

    #[test]
    fn over_the_byte_limit_and_after_the_cut() {
        let e = run(
            &format!("{}<BR>", "汉".repeat(16)).repeat(100),
            "feieyun-58",
            Vendor::Feieyun,
        );
        assert_eq!(kinds(&e), [ProblemKind::Budget]);
        assert_eq!(e.problems[0].span.range().start, 4998);
        let e = run("a<BR><CUT>b<BR>", "feieyun-80", Vendor::Feieyun);
        assert_eq!(kinds(&e), [ProblemKind::LateControl]);
    }
}
