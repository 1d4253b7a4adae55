//! A paper simulator for Feieyun and Xpyun content, written from the vendors' tag lists
//! (`shared/spec/other-dialects.md`) and not from the lowering: it re-reads a content string,
//! knows every tag each vendor documents (not only those slipmark emits), and puts every
//! character on a grid of dots (ASCII 12 dots, anything else 24, ×2 under the size tags). `<BR>`
//! ends a line; a character that would pass the paper wraps and is counted in `overflows`.
//! Unknown tags print literally, as the firmware does.

#![allow(dead_code)]

use super::paper::{Glyph, PaperLine};

/// Which vendor's rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vendor {
    Feieyun,
    Xpyun,
}

/// What the printer did with a content string.
#[derive(Debug, Clone, Default)]
pub struct TagPaper {
    /// The lines (codes as `Code(kind, data)` with the kind named as in `expected_paper`:
    /// `QR`, `BR2` for Code 128, `BR3` for Code 128 C).
    pub lines: Vec<PaperLine>,
    /// Every tag read, in order (`B`, `/B`, `BR`, `QR`…).
    pub tags: Vec<String>,
    /// Tags the vendor does not document, printed literally.
    pub unknown_tags: Vec<String>,
    /// Characters that did not fit on their line and wrapped.
    pub overflows: usize,
    /// Xpyun: a `<BR>` directly after a closing tag (the vendor says it belongs inside).
    pub misplaced_br: usize,
    /// Alignment tags used on each line (Xpyun honours only one per line).
    pub alignments_per_line: Vec<usize>,
    /// Whether the job ends with a cut.
    pub cut: bool,
    /// Text after the cut.
    pub after_cut: bool,
}

/// (tag, width ×, height ×) of the size tags.
fn size(vendor: Vendor, name: &str) -> Option<(u32, u32)> {
    match (vendor, name) {
        (Vendor::Feieyun, "B" | "CB") => Some((2, 2)),
        (Vendor::Feieyun, "L") => Some((1, 2)),
        (Vendor::Feieyun, "W") => Some((2, 1)),
        (Vendor::Xpyun, "B" | "CB") => Some((2, 2)),
        (Vendor::Xpyun, "HB") => Some((1, 2)),
        (Vendor::Xpyun, "WB") => Some((2, 1)),
        // ×2 or ×3 by reading: either way not ×1.
        (Vendor::Xpyun, "B2") => Some((3, 3)),
        (Vendor::Xpyun, "HB2") => Some((1, 3)),
        (Vendor::Xpyun, "WB2") => Some((3, 1)),
        (Vendor::Xpyun, "N") => Some((1, 1)),
        _ => None,
    }
}

fn is_align(vendor: Vendor, name: &str) -> bool {
    match vendor {
        Vendor::Feieyun => matches!(name, "C" | "RIGHT" | "CB"),
        Vendor::Xpyun => matches!(name, "L" | "C" | "R" | "CB"),
    }
}

fn code_kind(vendor: Vendor, name: &str) -> Option<&'static str> {
    match (vendor, name) {
        (_, "QR") => Some("QR"),
        (Vendor::Feieyun, "BC128_A" | "BC128_B") => Some("BR2"),
        (Vendor::Feieyun, "BC128_C") => Some("BR3"),
        (Vendor::Xpyun, "BARCODE") => Some("BR2"),
        _ => None,
    }
}

fn single(vendor: Vendor, name: &str) -> bool {
    match vendor {
        Vendor::Feieyun => matches!(
            name,
            "BR" | "CUT" | "LOGO" | "PLUGIN" | "AUDIO-REFUND" | "AUDIO-CANCEL"
        ),
        Vendor::Xpyun => matches!(name, "BR"),
    }
}

fn pair(vendor: Vendor, name: &str) -> bool {
    size(vendor, name).is_some()
        || is_align(vendor, name)
        || code_kind(vendor, name).is_some()
        || name == "BOLD"
        || (vendor == Vendor::Xpyun && name == "LOGO")
}

/// Simulates `content` on a paper `columns` half-width columns wide.
pub fn simulate(content: &str, columns: u16, vendor: Vendor) -> TagPaper {
    let paper_dots = u32::from(columns) * 12;
    let mut out = TagPaper::default();
    let mut open: Vec<String> = Vec::new();
    let mut line: Vec<Glyph> = Vec::new();
    let mut x = 0u32;
    let mut aligns = 0usize;
    let mut last_was_close = false;
    let mut rest = content;
    let end_line = |out: &mut TagPaper, line: &mut Vec<Glyph>, x: &mut u32, aligns: &mut usize| {
        out.lines.push(PaperLine::Text(std::mem::take(line)));
        out.alignments_per_line.push(*aligns);
        *x = 0;
        *aligns = 0;
    };
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            if let Some(end) = rest.find('>') {
                let raw = &rest[1..end];
                let (closing, name) = match raw.strip_prefix('/') {
                    Some(n) => (true, n),
                    None => (false, raw),
                };
                if !closing && single(vendor, name) {
                    out.tags.push(raw.to_string());
                    rest = &rest[end + 1..];
                    match name {
                        "BR" => {
                            if vendor == Vendor::Xpyun && last_was_close {
                                out.misplaced_br += 1;
                            }
                            end_line(&mut out, &mut line, &mut x, &mut aligns);
                        }
                        "CUT" => out.cut = true,
                        "LOGO" if !line.is_empty() || x > 0 => {
                            end_line(&mut out, &mut line, &mut x, &mut aligns);
                        }
                        _ => {}
                    }
                    last_was_close = false;
                    continue;
                }
                if !closing {
                    if let Some(kind) = code_kind(vendor, name) {
                        let body = &rest[end + 1..];
                        let close = format!("</{name}>");
                        if let Some(stop) = body.find(&close) {
                            out.tags.push(name.to_string());
                            if !line.is_empty() || x > 0 {
                                end_line(&mut out, &mut line, &mut x, &mut aligns);
                            }
                            out.lines
                                .push(PaperLine::Code(kind.into(), body[..stop].to_string()));
                            rest = &body[stop + close.len()..];
                            last_was_close = false;
                            continue;
                        }
                    }
                }
                if pair(vendor, name) {
                    out.tags.push(raw.to_string());
                    if closing {
                        if let Some(i) = open.iter().rposition(|o| o == name) {
                            open.remove(i);
                        }
                    } else {
                        if is_align(vendor, name) {
                            aligns += 1;
                        }
                        open.push(name.to_string());
                    }
                    last_was_close = closing;
                    rest = &rest[end + 1..];
                    continue;
                }
                out.unknown_tags.push(raw.to_string());
            }
        }
        last_was_close = false;
        rest = &rest[c.len_utf8()..];
        if out.cut {
            out.after_cut = true;
        }
        let (mut sw, mut sh) = (1, 1);
        for o in &open {
            if let Some((w, h)) = size(vendor, o) {
                sw = sw.max(w);
                sh = sh.max(h);
            }
        }
        let w = if c.is_ascii() { 12 } else { 24 } * sw;
        if x + w > paper_dots {
            out.overflows += 1;
            end_line(&mut out, &mut line, &mut x, &mut aligns);
        }
        line.push(Glyph {
            x,
            ch: c,
            bold: open.iter().any(|o| o == "BOLD"),
            w: 3 * sw,
            h: 3 * sh,
        });
        x += w;
    }
    if !line.is_empty() {
        end_line(&mut out, &mut line, &mut x, &mut aligns);
    }
    out
}
