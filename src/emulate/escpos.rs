//! The ESC/POS emulator: bytes for a local or LAN printer, read by the command table of
//! `shared/spec/other-dialects.md` (python-escpos constants, the SPRT, Birch, HPRT and Epson
//! manuals cited there) and put on a grid of dots.
//!
//! What it reads:
//!
//! | bytes | what the printer does |
//! |---|---|
//! | `ESC @` | initialise: a new job (copies are repeated jobs); styles reset, the unprinted line is dropped |
//! | `FS &` / `FS .` | Chinese mode on / off (on at power-up, as the SP91 manual says) |
//! | `LF` | print the line and feed; `CR` is ignored; `HT` moves to the next multiple of 8 columns |
//! | text | ASCII 12 dots; in Chinese mode a GBK double byte is one 24-dot character (GB18030 four bytes too) |
//! | `GS ! n` | size: width factor − 1 in bits 4–7, height in bits 0–3 (×3 and up are drawn as ×2, reported) |
//! | `ESC ! n` | print mode: bit 3 bold, bit 4 double height, bit 5 double width |
//! | `FS ! n` | Chinese print mode: bit 2 double width, bit 3 double height |
//! | `ESC E n`, `ESC G n` | bold (emphasised, double-strike) on/off |
//! | `ESC a n` | align left/centre/right; only at the start of a line (Epson: "only works at the start of a line") |
//! | `ESC d n`, `ESC J n` | print and feed n lines (n dots) — a feed right before a cut is the cut's, not drawn |
//! | `GS V m [n]` | cut (`0`/`48` full, `1`/`49` partial, `65`/`66` feed and cut) |
//! | `ESC p m t1 t2` | cash drawer kick |
//! | `GS ( k` | QR: model, module size, error level, store (fn 80), print (fn 81) |
//! | `GS k m` | barcodes: `m` 0–6 NUL-ended, 65–73 with a length; EAN-13 (67 / 2) gets its check digit, Code 128 (73) reads `{A` `{B` `{C` code sets |
//! | `GS v 0`, `FS p` | a raster image, the stored logo (drawn as the logo) |
//! | `ESC -`, `ESC 2`, `ESC 3`, `ESC SP`, `ESC M`, `ESC t`, `ESC R`, `ESC {`, `ESC V`, `FS -`, `FS W`, `GS h`, `GS w`, `GS H`, `GS f`, `GS B`, `GS L`, `GS W`, `DLE EOT`, `DLE DC4` | read and skipped: they change nothing the preview draws |
//!
//! What it reports, at byte offsets: a character past the paper's edge
//! ([`PastEdge`](ProblemKind::PastEdge)), a command it does not know
//! ([`UnknownCommand`](ProblemKind::UnknownCommand)) or that the input ends inside
//! ([`Truncated`](ProblemKind::Truncated)), bytes that are not GBK text or come outside
//! Chinese mode, and text that is UTF-8 rather than GBK ([`NotGbk`](ProblemKind::NotGbk)),
//! `ESC a` after the start of a line or `ESC @` dropping an unprinted line
//! ([`LateControl`](ProblemKind::LateControl)), a last line with no `LF` (the printer keeps it
//! in its buffer; [`Malformed`](ProblemKind::Malformed)), and code data over the model's
//! limits ([`CodeTooLong`](ProblemKind::CodeTooLong), [`BadCode`](ProblemKind::BadCode)), and
//! input over the record's `max_content_bytes` where it has one ([`Budget`](ProblemKind::Budget)).
//! Commands obeyed are listed in [`Emulated::controls`] (`ESC @`, `GS V`, `ESC p`).

use crate::backend::Model;
use crate::document::{CodeKind, Cut, JobSettings, Scale, Style};
use crate::error::Error;
use crate::measure::Encoding;
use crate::span::{Span, Spanned};

use super::grid::{DOTS, Placement, Sheet};
use super::{Control, Emulated, Emulator, ProblemKind, codes};

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;
const FS: u8 = 0x1c;
const DLE: u8 = 0x10;

/// The ESC/POS emulator (the [`Emulator`] for the `escpos` dialect).
#[derive(Debug, Clone, Copy, Default)]
pub struct EscposEmulator;

impl Emulator for EscposEmulator {
    fn dialect(&self) -> &'static str {
        "escpos"
    }

    fn takes_bytes(&self) -> bool {
        true
    }

    fn emulate(&self, input: &[u8], model: &Model, columns: u16) -> Result<Emulated, Error> {
        Ok(emulate_bytes(input, model, columns))
    }
}

struct Sim<'a> {
    bytes: &'a [u8],
    model: &'a Model,
    sheet: Sheet,
    /// Width and height factors from `GS !`, and from `ESC !` / `FS !`.
    size: (u32, u32),
    mode: (u32, u32),
    bold: bool,
    chinese: bool,
    place: Placement,
    /// A QR code stored by `GS ( k` fn 80, waiting for fn 81: (data, start, end).
    qr: Option<(String, usize, usize)>,
    /// The start of the text segment already checked for UTF-8.
    checked_to: usize,
    /// Whether the current segment is UTF-8 (its bytes already reported).
    utf8_segment: bool,
    controls: Vec<Control>,
    settings: JobSettings,
    jobs: usize,
}

/// Emulates ESC/POS bytes (see the module docs).
pub fn emulate_bytes(bytes: &[u8], model: &Model, columns: u16) -> Emulated {
    let mut sim = Sim {
        bytes,
        model,
        sheet: Sheet::new(columns, model.full_line_wraps),
        size: (1, 1),
        mode: (1, 1),
        bold: false,
        chinese: true,
        place: Placement::Left,
        qr: None,
        checked_to: 0,
        utf8_segment: false,
        controls: Vec::new(),
        settings: JobSettings::default(),
        jobs: 0,
    };
    sim.run();
    sim.sheet.finish(columns, sim.settings, sim.controls)
}

/// Whether `bytes[i..]` starts a GBK double byte: (lead, trail) in range.
fn gbk_pair(lead: u8, trail: u8) -> bool {
    (0x81..=0xfe).contains(&lead) && (0x40..=0xfe).contains(&trail) && trail != 0x7f
}

/// Whether the text segment `seg` is UTF-8 with at least one character of three bytes or more
/// (Chinese sent as UTF-8: a GBK printer prints it as other characters).
fn utf8_text(seg: &[u8]) -> bool {
    std::str::from_utf8(seg).is_ok_and(|s| s.chars().any(|c| c.len_utf8() >= 3))
}

impl Sim<'_> {
    fn arg(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    fn control(&mut self, name: &str, value: String, at: usize, end: usize) {
        self.controls.push(Control {
            name: name.to_string(),
            value,
            span: Span::new(0, at, end),
        });
    }

    /// Reports a command the input ends inside; returns the input's length.
    fn truncated(&mut self, what: &str, at: usize) -> usize {
        self.sheet.problem(
            ProblemKind::Truncated,
            format!("the input ends inside {what}: the printer waits for the rest of it"),
            at,
            self.bytes.len(),
        );
        self.bytes.len()
    }

    /// Reads `n` parameter bytes after a command of `head` bytes at `at`; `None` when the
    /// input ends first (reported).
    fn params(&mut self, what: &str, at: usize, head: usize, n: usize) -> Option<&[u8]> {
        let end = at + head + n;
        if end > self.bytes.len() {
            self.truncated(what, at);
            return None;
        }
        Some(&self.bytes[at + head..end])
    }

    fn style(&self) -> (Style, u32) {
        let w = self.size.0.max(self.mode.0);
        let h = self.size.1.max(self.mode.1);
        let scale = |f: u32| if f >= 2 { Scale::X2 } else { Scale::X1 };
        (
            Style {
                bold: self.bold,
                width: scale(w),
                height: scale(h),
            },
            w,
        )
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.bytes.len() {
            i = self.step(i);
        }
        if self.sheet.pending() {
            let at = self.sheet.line.first().map_or(self.bytes.len(), |g| g.at);
            self.sheet.problem(
                ProblemKind::Malformed,
                "the last line has no LF: the printer keeps it in its buffer and does not print it"
                    .into(),
                at,
                self.bytes.len(),
            );
        }
        if let Some(max) = self.model.limits.max_content_bytes {
            if self.bytes.len() > max as usize {
                self.sheet.problem(
                    ProblemKind::Budget,
                    format!(
                        "the input is {} bytes; the {} takes at most {max} (it passes the limit here)",
                        self.bytes.len(),
                        self.model.name
                    ),
                    max as usize,
                    self.bytes.len(),
                );
            }
        }
        if let Some((_, start, end)) = self.qr.take() {
            self.sheet.problem(
                ProblemKind::Malformed,
                "a QR code stored and never printed (no GS ( k function 81)".into(),
                start,
                end,
            );
        }
    }

    /// Reads the command or character at `i`; returns the next offset.
    fn step(&mut self, i: usize) -> usize {
        let b = self.bytes[i];
        match b {
            b'\n' => {
                self.sheet.line_break(self.place);
                i + 1
            }
            b'\r' => i + 1,
            b'\t' => {
                let tab = 8 * DOTS;
                let x = (self.sheet.x / tab + 1) * tab;
                self.sheet.move_to(x);
                i + 1
            }
            ESC => self.esc(i),
            GS => self.gs(i),
            FS => self.fs(i),
            DLE => match self.params("DLE", i, 1, 2) {
                Some(&[0x04, _]) => i + 3,
                Some(&[0x14, _]) => match self.params("DLE DC4", i, 2, 3) {
                    Some(_) => i + 5,
                    None => self.bytes.len(),
                },
                Some(_) => self.unknown(i, 2),
                None => self.bytes.len(),
            },
            0x20..=0x7e => {
                let (style, w) = self.style();
                self.check_segment(i);
                self.sheet
                    .put(char::from(b), DOTS * w, style, i, 1, self.place);
                i + 1
            }
            0x80..=0xff => self.high(i),
            _ => {
                self.sheet.problem(
                    ProblemKind::UnknownCommand,
                    format!(
                        "a stray control byte {b:#04x}: the printer's reading of it is undefined"
                    ),
                    i,
                    i + 1,
                );
                i + 1
            }
        }
    }

    /// Reports an unknown command of `len` bytes at `i` (its parameters cannot be known).
    fn unknown(&mut self, i: usize, len: usize) -> usize {
        let end = (i + len).min(self.bytes.len());
        let name: Vec<String> = self.bytes[i..end]
            .iter()
            .enumerate()
            .map(|(k, b)| match (k, *b) {
                (0, ESC) => "ESC".into(),
                (0, GS) => "GS".into(),
                (0, FS) => "FS".into(),
                (0, DLE) => "DLE".into(),
                (_, b @ 0x21..=0x7e) => char::from(b).to_string(),
                (_, b) => format!("{b:#04x}"),
            })
            .collect();
        self.sheet.problem(
            ProblemKind::UnknownCommand,
            format!(
                "{} is not a command this emulator knows: the printer may read the bytes after \
                 it as parameters or print them",
                name.join(" ")
            ),
            i,
            end,
        );
        end
    }

    /// Checks, once per text segment, whether the segment is UTF-8 Chinese.
    fn check_segment(&mut self, i: usize) {
        if i < self.checked_to {
            return;
        }
        let text = |b: &u8| *b >= 0x20 && *b != 0x7f;
        let end = self.bytes[i..]
            .iter()
            .position(|b| !text(b))
            .map_or(self.bytes.len(), |k| i + k);
        self.checked_to = end;
        self.utf8_segment = self.chinese && utf8_text(&self.bytes[i..end]);
        if self.utf8_segment {
            let (shown, _, _) = encoding_rs::GBK.decode(&self.bytes[i..end]);
            let meant = String::from_utf8_lossy(&self.bytes[i..end]);
            self.sheet.problem(
                ProblemKind::NotGbk,
                format!(
                    "this text is UTF-8, not GBK: the printer prints {:?} for {:?}",
                    shown.chars().take(12).collect::<String>(),
                    meant.chars().take(12).collect::<String>()
                ),
                i,
                end,
            );
        }
    }

    /// A byte of 0x80 or more: a GBK character in Chinese mode.
    fn high(&mut self, i: usize) -> usize {
        self.check_segment(i);
        let (style, w) = self.style();
        let lead = self.bytes[i];
        let next = self.arg(i + 1);
        let bad = |sim: &mut Sim, msg: String, len: usize| {
            if !sim.utf8_segment {
                sim.sheet.problem(ProblemKind::NotGbk, msg, i, i + len);
            }
            sim.sheet.put('?', DOTS * w, style, i, len, sim.place);
            i + len
        };
        if !self.chinese {
            return bad(
                self,
                format!(
                    "byte {lead:#04x} outside Chinese mode (after FS .): the printer prints a \
                     character of its code page, not GBK"
                ),
                1,
            );
        }
        let four = next.is_some_and(|t| (0x30..=0x39).contains(&t));
        let len = if four { 4 } else { 2 };
        if i + len > self.bytes.len() {
            return bad(
                self,
                format!("byte {lead:#04x} starts a GBK character the input ends inside"),
                self.bytes.len() - i,
            );
        }
        let chunk = &self.bytes[i..i + len];
        let valid = if four {
            (0x81..=0xfe).contains(&lead)
        } else {
            gbk_pair(lead, chunk[1])
        };
        let decoded = if four {
            encoding_rs::GB18030.decode_without_bom_handling(chunk)
        } else {
            encoding_rs::GBK.decode_without_bom_handling(chunk)
        };
        match decoded {
            (s, false) if valid => {
                let c = s.chars().next().unwrap_or('?');
                if four {
                    self.sheet.problem(
                        ProblemKind::NotGbk,
                        format!(
                            "{c:?} is a GB18030 four-byte character: a GBK printer has no glyph for it"
                        ),
                        i,
                        i + len,
                    );
                    self.sheet.put('?', 2 * DOTS * w, style, i, len, self.place);
                } else if !crate::measure::printable(c, Encoding::Gbk) {
                    // a user-defined area of GBK: no glyph in the printer's font
                    if !self.utf8_segment {
                        self.sheet.problem(
                            ProblemKind::NotGbk,
                            format!(
                                "bytes {:02x} {:02x} are in GBK's user-defined area: the printer has no glyph",
                                chunk[0], chunk[1]
                            ),
                            i,
                            i + len,
                        );
                    }
                    self.sheet.put('?', 2 * DOTS * w, style, i, len, self.place);
                } else {
                    self.sheet.put(c, 2 * DOTS * w, style, i, len, self.place);
                }
                i + len
            }
            _ => bad(
                self,
                format!(
                    "bytes {:02x} {:02x} are not a GBK character: the printer prints something else",
                    chunk[0], chunk[1]
                ),
                1,
            ),
        }
    }

    fn esc(&mut self, i: usize) -> usize {
        let Some(cmd) = self.arg(i + 1) else {
            return self.truncated("ESC", i);
        };
        let one = |sim: &mut Sim, what: &str| sim.params(what, i, 2, 1).map(|p| p[0]);
        match cmd {
            b'@' => {
                if self.sheet.pending() {
                    let at = self.sheet.line.first().map_or(i, |g| g.at);
                    self.sheet.problem(
                        ProblemKind::LateControl,
                        "ESC @ (initialise) in the middle of a line: the printer drops the text \
                         before it, which no LF printed"
                            .into(),
                        at,
                        i + 2,
                    );
                    self.sheet.line.clear();
                    self.sheet.x = 0;
                }
                self.jobs += 1;
                self.control("ESC @", String::new(), i, i + 2);
                (self.size, self.mode, self.bold, self.chinese) = ((1, 1), (1, 1), false, true);
                self.place = Placement::Left;
                i + 2
            }
            b'E' | b'G' => {
                let Some(n) = one(self, "ESC E") else {
                    return self.bytes.len();
                };
                self.bold = n & 1 == 1;
                i + 3
            }
            b'!' => {
                let Some(n) = one(self, "ESC !") else {
                    return self.bytes.len();
                };
                self.bold = n & 0x08 != 0;
                self.mode = (1 + u32::from(n & 0x20 != 0), 1 + u32::from(n & 0x10 != 0));
                i + 3
            }
            b'a' => {
                let Some(n) = one(self, "ESC a") else {
                    return self.bytes.len();
                };
                if self.sheet.pending() {
                    self.sheet.problem(
                        ProblemKind::LateControl,
                        "ESC a (alignment) after the start of a line: the printer ignores it \
                         until the next line"
                            .into(),
                        i,
                        i + 3,
                    );
                } else {
                    self.place = match n {
                        1 | 49 => Placement::Center,
                        2 | 50 => Placement::Right,
                        _ => Placement::Left,
                    };
                }
                i + 3
            }
            b'd' | b'J' => {
                let Some(n) = one(self, "ESC d") else {
                    return self.bytes.len();
                };
                let lines = if cmd == b'd' {
                    u32::from(n)
                } else {
                    u32::from(n) / (2 * DOTS)
                };
                let pending = self.sheet.pending();
                if pending {
                    self.sheet.line_break(self.place);
                }
                // a feed right before a cut is the cut's (the preview draws the cut)
                let cut_next = self.bytes[i + 3..].starts_with(&[GS, b'V']);
                if !cut_next {
                    let blanks = lines.saturating_sub(u32::from(pending));
                    for _ in 0..blanks {
                        self.sheet.line_break(Placement::Left);
                    }
                }
                i + 3
            }
            b'p' => match self.params("ESC p", i, 2, 3) {
                Some(p) => {
                    let value = format!("{} {} {}", p[0], p[1], p[2]);
                    self.control("ESC p", value, i, i + 5);
                    self.settings.drawer = Some(Spanned::new(true, Span::new(0, i, i + 5)));
                    i + 5
                }
                None => self.bytes.len(),
            },
            b'-' | b'3' | b' ' | b'M' | b't' | b'R' | b'{' | b'V' | b'U' | b'c' => {
                match one(self, "ESC") {
                    Some(_) => i + 3,
                    None => self.bytes.len(),
                }
            }
            b'2' => i + 2,
            _ => self.unknown(i, 2),
        }
    }

    fn fs(&mut self, i: usize) -> usize {
        let Some(cmd) = self.arg(i + 1) else {
            return self.truncated("FS", i);
        };
        match cmd {
            b'&' => {
                self.chinese = true;
                i + 2
            }
            b'.' => {
                self.chinese = false;
                i + 2
            }
            b'!' | b'-' | b'W' => {
                let Some(p) = self.params("FS", i, 2, 1) else {
                    return self.bytes.len();
                };
                let n = p[0];
                match cmd {
                    b'!' => {
                        self.mode = (1 + u32::from(n & 0x04 != 0), 1 + u32::from(n & 0x08 != 0))
                    }
                    b'W' => self.mode = if n & 1 == 1 { (2, 2) } else { (1, 1) },
                    _ => {}
                }
                i + 3
            }
            b'p' => match self.params("FS p", i, 2, 2) {
                Some(_) => {
                    self.sheet.code(CodeKind::Logo, String::new(), i, i + 4);
                    i + 4
                }
                None => self.bytes.len(),
            },
            _ => self.unknown(i, 2),
        }
    }

    fn gs(&mut self, i: usize) -> usize {
        let Some(cmd) = self.arg(i + 1) else {
            return self.truncated("GS", i);
        };
        match cmd {
            b'!' => {
                let Some(p) = self.params("GS !", i, 2, 1) else {
                    return self.bytes.len();
                };
                let n = p[0];
                let (w, h) = (u32::from(n >> 4) + 1, u32::from(n & 0x0f) + 1);
                if w > 2 || h > 2 {
                    self.sheet.problem(
                        ProblemKind::Malformed,
                        format!(
                            "GS ! {n:#04x} is ×{w} wide and ×{h} high: the picture draws it at \
                             ×2 (its widths are ×{w})"
                        ),
                        i,
                        i + 3,
                    );
                }
                let model = self.model;
                if (w > 1 && !model.styles.wide2) || (h > 1 && !model.styles.tall2) {
                    self.sheet.problem(
                        ProblemKind::Malformed,
                        format!("the {} has no such size (GS ! {n:#04x})", model.name),
                        i,
                        i + 3,
                    );
                }
                self.size = (w, h);
                i + 3
            }
            b'V' => {
                let Some(p) = self.params("GS V", i, 2, 1) else {
                    return self.bytes.len();
                };
                let m = p[0];
                let len = if matches!(m, 65 | 66) { 4 } else { 3 };
                if len == 4 && self.params("GS V", i, 2, 2).is_none() {
                    return self.bytes.len();
                }
                if self.sheet.pending() {
                    self.sheet.line_break(self.place);
                }
                let cut = if matches!(m, 1 | 49 | 66) {
                    Cut::Partial
                } else {
                    Cut::Full
                };
                if !self.model.cut {
                    self.sheet.problem(
                        ProblemKind::Malformed,
                        format!("the {} has no cutter: GS V does nothing", self.model.name),
                        i,
                        i + len,
                    );
                }
                self.control("GS V", m.to_string(), i, i + len);
                self.settings.cut = Some(Spanned::new(cut, Span::new(0, i, i + len)));
                i + len
            }
            b'h' | b'w' | b'H' | b'f' | b'B' | b'b' => match self.params("GS", i, 2, 1) {
                Some(_) => i + 3,
                None => self.bytes.len(),
            },
            b'L' | b'W' => match self.params("GS", i, 2, 2) {
                Some(_) => i + 4,
                None => self.bytes.len(),
            },
            b'(' => self.gs_paren(i),
            b'k' => self.barcode(i),
            b'v' => {
                let Some(p) = self.params("GS v 0", i, 2, 6) else {
                    return self.bytes.len();
                };
                let x = usize::from(p[2]) + 256 * usize::from(p[3]);
                let y = usize::from(p[4]) + 256 * usize::from(p[5]);
                if p[0] != b'0' {
                    return self.unknown(i, 3);
                }
                // the product fits once the bytes are there
                if self.params("GS v 0", i, 8, x.saturating_mul(y)).is_none() {
                    return self.bytes.len();
                }
                self.sheet
                    .code(CodeKind::Logo, String::new(), i, i + 8 + x * y);
                i + 8 + x * y
            }
            _ => self.unknown(i, 2),
        }
    }

    /// `GS ( k pL pH cn fn …`: the QR functions.
    fn gs_paren(&mut self, i: usize) -> usize {
        let Some(p) = self.params("GS (", i, 2, 3) else {
            return self.bytes.len();
        };
        let (k, len) = (p[0], usize::from(p[1]) + 256 * usize::from(p[2]));
        if k != b'k' {
            // other GS ( functions carry their length the same way
            return match self.params("GS (", i, 5, len) {
                Some(_) => i + 5 + len,
                None => self.bytes.len(),
            };
        }
        let Some(body) = self.params("GS ( k", i, 5, len) else {
            return self.bytes.len();
        };
        let body = body.to_vec();
        let end = i + 5 + len;
        let (cn, f) = (body.first().copied(), body.get(1).copied());
        if cn != Some(49) {
            return end; // PDF417 and other symbols: not drawn
        }
        match f {
            Some(80) if body.len() >= 3 => {
                let data = &body[3..];
                let text = match std::str::from_utf8(data) {
                    Ok(s) => s.to_string(),
                    Err(_) => encoding_rs::GBK.decode(data).0.into_owned(),
                };
                codes::qr(
                    &mut self.sheet,
                    self.model,
                    data.len(),
                    "as sent",
                    (i + 8, end),
                );
                self.qr = Some((text, i, end));
            }
            Some(81) => match self.qr.take() {
                Some((data, start, _)) => self.sheet.code(CodeKind::Qr, data, start, end),
                None => self.sheet.problem(
                    ProblemKind::Malformed,
                    "GS ( k prints a QR code no data was stored for: nothing prints".into(),
                    i,
                    end,
                ),
            },
            _ => {}
        }
        if self.model.codes.qr.is_none() {
            self.sheet.problem(
                ProblemKind::Malformed,
                format!("the {} has no QR code", self.model.name),
                i,
                end,
            );
        }
        end
    }

    /// `GS k m …`: a barcode.
    fn barcode(&mut self, i: usize) -> usize {
        let Some(p) = self.params("GS k", i, 2, 1) else {
            return self.bytes.len();
        };
        let m = p[0];
        let (data, end) = if m <= 6 {
            // NUL-ended
            match self.bytes[i + 3..].iter().position(|b| *b == 0) {
                Some(n) => (self.bytes[i + 3..i + 3 + n].to_vec(), i + 3 + n + 1),
                None => return self.truncated("GS k (no NUL ends the data)", i),
            }
        } else {
            let Some(n) = self.params("GS k", i, 3, 1).map(|p| usize::from(p[0])) else {
                return self.bytes.len();
            };
            match self.params("GS k", i, 4, n) {
                Some(d) => (d.to_vec(), i + 4 + n),
                None => return self.bytes.len(),
            }
        };
        let span = (end - data.len() - usize::from(m <= 6), end);
        let model = self.model;
        let sheet = &mut self.sheet;
        match m {
            2 | 67 => {
                let digits = data.iter().all(u8::is_ascii_digit);
                if !digits || !(12..=13).contains(&data.len()) || !model.codes.ean13 {
                    let why = if model.codes.ean13 {
                        "EAN-13 takes 12 or 13 digits"
                    } else {
                        "this model prints no EAN-13"
                    };
                    sheet.problem(ProblemKind::BadCode, why.into(), span.0, span.1);
                    return end;
                }
                let d: Vec<u32> = data.iter().take(12).map(|b| u32::from(b - b'0')).collect();
                let sum: u32 = d
                    .iter()
                    .enumerate()
                    .map(|(k, v)| if k % 2 == 0 { *v } else { v * 3 })
                    .sum();
                let check = char::from(b'0' + ((10 - sum % 10) % 10) as u8);
                let mut text: String = data.iter().take(12).map(|b| char::from(*b)).collect();
                if data.len() == 13 && char::from(data[12]) != check {
                    sheet.problem(
                        ProblemKind::BadCode,
                        format!(
                            "the EAN-13 check digit is {check}, not {}",
                            char::from(data[12])
                        ),
                        span.0,
                        span.1,
                    );
                }
                text.push(check);
                sheet.code(CodeKind::Ean13, text, i, end);
            }
            73 => {
                let (kind, text) = decode_code128(&data);
                match kind {
                    CodeKind::Code128C => codes::code128c(sheet, model, &text, span),
                    _ => {
                        let max = model.codes.code128.map_or(0, |c| usize::from(c.max_len));
                        let ascii = |c: char| c.is_ascii();
                        codes::code128(sheet, model, &text, (ascii, "ASCII"), max, span);
                    }
                }
                sheet.code(kind, text, i, end);
            }
            _ => {
                // other symbologies (UPC, Code 39, ITF, Codabar…): drawn as Code 128 of their data
                let text = String::from_utf8_lossy(&data).into_owned();
                sheet.code(CodeKind::Code128, text, i, end);
            }
        }
        end
    }
}

/// A `GS k 73` body: `{A`/`{B`/`{C` code-set switches, `{{` a literal `{`. Returns Code 128 C
/// when set C carries every character (digit pairs), else Code 128, and the text a scanner
/// reads.
fn decode_code128(data: &[u8]) -> (CodeKind, String) {
    let (mut set, mut text) = (b'B', String::new());
    let (mut in_c, mut in_other) = (0usize, 0usize);
    let mut i = 0;
    while i < data.len() {
        if data[i] == b'{' && i + 1 < data.len() && data[i + 1] != b'{' {
            set = data[i + 1];
            i += 2;
            continue;
        }
        if data[i] == b'{' {
            i += 1;
        }
        let Some(&b) = data.get(i) else { break };
        if set == b'C' {
            in_c += 1;
            text.push_str(&format!("{b:02}"));
        } else {
            in_other += 1;
            text.push(char::from(b));
        }
        i += 1;
    }
    // the lowering writes an odd first digit in set B, then pairs in set C: still a digits code
    let digits = text.bytes().all(|b| b.is_ascii_digit());
    if in_c > 0 && digits && in_other <= 1 {
        (CodeKind::Code128C, text)
    } else {
        (CodeKind::Code128, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use crate::frame::Item;

    fn run(bytes: &[u8]) -> Emulated {
        let cat = Catalogue::builtin();
        let m = cat.resolve("escpos-58").unwrap();
        emulate_bytes(bytes, m, 32)
    }

    fn kinds(e: &Emulated) -> Vec<ProblemKind> {
        e.problems.iter().map(|p| p.kind).collect()
    }

    fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    #[test]
    fn text_sizes_codes_and_the_cut() {
        let mut b = vec![ESC, b'@', FS, b'&', GS, b'!', 0x11];
        b.extend(gbk("谢谢"));
        b.extend([GS, b'!', 0, b' ', b'a', b'\n', ESC, b'a', 1]);
        b.extend([GS, b'(', b'k', 6, 0, 49, 80, 48, b'x', b'y', b'z']);
        b.extend([GS, b'(', b'k', 3, 0, 49, 81, 48, ESC, b'a', 0]);
        b.extend([GS, b'k', 73, 7, b'{', b'B', b'1', b'{', b'C', 23, 45]);
        b.extend([ESC, b'd', 4, GS, b'V', 0]);
        let e = run(&b);
        assert_eq!(kinds(&e), []);
        assert_eq!(
            crate::preview::text_lines(&e.frame)[0].trim_end(),
            "谢  谢   a"
        );
        assert!(
            matches!(&e.frame.items()[1], Item::Code(c) if c.kind == CodeKind::Qr && c.data == "xyz")
        );
        assert!(
            matches!(&e.frame.items()[2], Item::Code(c) if c.kind == CodeKind::Code128C && c.data == "12345")
        );
        assert_eq!(
            e.frame.items().len(),
            3,
            "the feed before the cut is not drawn"
        );
        let names: Vec<&str> = e.controls.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["ESC @", "GS V"]);
    }

    #[test]
    fn problems_at_their_bytes() {
        let mut b = vec![ESC, b'@', b'a', ESC, b'a', 1, b'\n']; // 0..7
        b.extend([ESC, b'z', b'\n']); // 7: unknown
        b.extend("合计\n".as_bytes()); // 10: UTF-8
        b.extend([0xb0, 0x0a]); // 17: not GBK
        b.extend(b"x".repeat(33)); // 19: 33 columns, past the edge at 51
        b.extend([b'\n', GS, b'(', b'k', 200]); // 53: truncated
        let e = run(&b);
        assert_eq!(
            kinds(&e),
            [
                ProblemKind::LateControl,
                ProblemKind::UnknownCommand,
                ProblemKind::NotGbk,
                ProblemKind::NotGbk,
                ProblemKind::PastEdge,
                ProblemKind::Truncated,
            ]
        );
        let at: Vec<usize> = e.problems.iter().map(|p| p.span.range().start).collect();
        assert_eq!(at, [3, 7, 10, 17, 51, 53]);
    }

    #[test]
    fn a_record_with_a_byte_limit() {
        let mut m = Catalogue::builtin().resolve("escpos-58").unwrap().clone();
        m.limits.max_content_bytes = Some(8);
        let e = emulate_bytes(b"\x1b@abc\ndef\n", &m, 32);
        assert_eq!(kinds(&e), [ProblemKind::Budget]);
        assert_eq!(e.problems[0].span.range().start, 8);
    }

    #[test]
    fn the_unprinted_last_line_and_copies() {
        let e = run(&[
            ESC, b'@', b'a', b'\n', ESC, b'@', b'a', b'\n', ESC, b'@', b'b',
        ]);
        assert_eq!(kinds(&e), [ProblemKind::Malformed]);
        assert_eq!(crate::preview::text_lines(&e.frame), ["a", "a"]);
        assert_eq!(e.controls.len(), 3);
    }
}
