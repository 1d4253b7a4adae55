//! The SVG preview: the paper as a picture, drawn from the [`Frame`] alone (feature `svg`).
//!
//! One SVG unit is one printer dot (8 dots per mm). How the paper is drawn:
//!
//! - **The paper** is `columns × 12` dots wide (384 at 58 mm, 576 at 80 mm), a white sheet with a
//!   thin grey edge on a light grey table, 16 dots of table around it.
//! - **Text**: every glyph is its own `<tspan>`, centred in its own cell at the dot position the
//!   frame gives it (a run's column × 12, plus the dots of the glyphs before it in the run:
//!   12 for a single-byte character, 24 for a double-byte one, ×4/3 or ×2 under a scale). A
//!   font's advance widths are never used, so the columns line up whatever font draws them:
//!   even "mono" CJK fonts draw `—`, `·`, `×` narrower than the 24 dots the printer gives them.
//!   A run that touches the one before it is printed right after that one's last glyph (after
//!   ×1.33 text, up to 8 dots left of its column, as the printer's head stands there); a run
//!   after a gap is drawn at its column, where the printer may stand up to 8 dots left of it
//!   (a gap of fewer than 16 dots after ×1.33 text cannot be filled exactly).
//!   The font size is 22 in a 24-dot cell; the families are named explicitly, a CJK one first
//!   ([`FONT_FAMILY`]), with `lang="zh-Hans"` so Simplified Chinese forms are chosen.
//! - **Scaled text** (×1.33, ×2, on each axis) is drawn with `scale(sx, sy)` and its line box is
//!   as tall as its tallest glyph: 24, 32 or 48 dots, plus [`LINE_GAP`] between lines. Glyphs of
//!   one line sit on a common bottom edge.
//! - **Bold** is drawn with a thin black stroke around the glyphs (a bold face need not exist).
//! - **Rules** are the characters the printer prints for them (`-`, `=`), glyph by glyph.
//! - **Codes** are real: a QR code from the `qrcode` crate (the data's UTF-8 bytes, error
//!   correction M, 4-dot modules, or 3 when the code would not fit), EAN-13 and Code 128
//!   (set B, or set C for digits) from `barcoders`, 2-dot bars 64 dots high with the data in
//!   readable digits below, centred as the printer centres them. Data a code cannot hold is
//!   drawn as a crossed box with the data, never a panic.
//! - **The logo** stored on the printer is drawn where the printer prints it, at the top of the
//!   paper (a dashed box labelled `LOGO`: its picture lives on the printer), wherever the
//!   template placed it.
//! - **The end of the job** is a dashed line across the paper: where it is cut or torn off.
//!
//! The output is self-contained (no fonts, images, styles or links from outside: the only URL
//! is the SVG namespace) and deterministic: the same frame gives the same bytes, every number is
//! written with at most two decimals, and there are no generated ids.

use std::fmt::Write as _;

use crate::document::{CodeKind, Scale, Style};
use crate::frame::{CodeItem, Frame, Item, Line};
use crate::measure::{DOTS_PER_COLUMN, Encoding, char_dots};

/// The font families, in order: CJK monospace faces first (their glyph shapes match a
/// printer's), then any monospace. Placement never depends on them.
pub const FONT_FAMILY: &str = "'Noto Sans Mono CJK SC', 'Noto Sans CJK SC', \
    'WenQuanYi Zen Hei Mono', 'WenQuanYi Zen Hei', 'Source Han Sans SC', 'PingFang SC', \
    'Hiragino Sans GB', 'Microsoft YaHei', 'Heiti SC', monospace";

/// Dots between two printed lines.
pub const LINE_GAP: u32 = 6;

/// The table around the paper, in dots.
const MARGIN: u32 = 16;
/// Paper above the first line and below the last.
const PAD: u32 = 12;
/// A normal cell's height.
const CELL_H: u32 = 24;
/// The baseline of a glyph in its 24-dot cell, and the font size.
const BASELINE: u32 = 20;
const FONT_SIZE: u32 = 22;

/// The SVG of `frame`, as one string ending with a newline.
pub fn svg(frame: &Frame) -> String {
    let paper_w = u32::from(frame.columns) * DOTS_PER_COLUMN;
    let mut body = String::new();
    let mut y = PAD;
    if frame
        .items()
        .iter()
        .any(|i| matches!(i, Item::Code(c) if c.kind == CodeKind::Logo))
    {
        y = logo(&mut body, paper_w, y);
    }
    for item in frame.items() {
        y = match item {
            Item::Line(line) => text_line(&mut body, frame, line, y),
            Item::Code(code) if code.kind == CodeKind::Logo => y,
            Item::Code(code) => code_item(&mut body, code, paper_w, y),
        };
    }
    y += PAD;
    // The end of the job: cut or torn off here.
    let _ = writeln!(
        body,
        r##"<line class="cut" x1="{m}" y1="{cy}" x2="{x2}" y2="{cy}" stroke="#666" stroke-width="2" stroke-dasharray="8 6"/>"##,
        m = MARGIN,
        cy = MARGIN + y,
        x2 = MARGIN + paper_w,
    );
    let paper_h = y;
    let (w, h) = (paper_w + 2 * MARGIN, paper_h + 2 * MARGIN);
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="{w}" height="{h}" viewBox="0 0 {w} {h}" lang="zh-Hans" data-columns="{c}">"#,
        c = frame.columns
    );
    let _ = writeln!(
        out,
        r##"<rect class="table" width="{w}" height="{h}" fill="#e8e8e8"/>"##
    );
    let _ = writeln!(
        out,
        r##"<rect class="paper" x="{MARGIN}" y="{MARGIN}" width="{paper_w}" height="{paper_h}" fill="#fff" stroke="#999" stroke-width="1"/>"##
    );
    let _ = writeln!(
        out,
        r##"<g transform="translate({MARGIN} {MARGIN})" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" fill="#000" text-anchor="middle">"##
    );
    out.push_str(&body);
    out.push_str("</g>\n</svg>\n");
    out
}

/// A number with at most two decimals, trailing zeros removed (deterministic, compact),
/// appended to `out`. Fast path: a non-negative multiple of 1/4 below 2^40 (every
/// glyph position at ×1 and ×2) is exact in binary and has at most two decimals, so
/// `{:.2}` would print it without rounding: its integer part and `.25`, `.5` or `.75`
/// are written directly, which is the same text without the float formatting machinery.
fn write_num(out: &mut String, v: f64) {
    let quarters = v * 4.0;
    if v >= 0.0 && quarters < (1u64 << 42) as f64 && quarters.fract() == 0.0 {
        let q = quarters as u64;
        let _ = write!(out, "{}", q / 4);
        out.push_str(["", ".25", ".5", ".75"][(q % 4) as usize]);
        return;
    }
    let start = out.len();
    let _ = write!(out, "{v:.2}");
    let kept = out[start..]
        .trim_end_matches('0')
        .trim_end_matches('.')
        .len();
    out.truncate(start + kept);
    if &out[start..] == "-0" {
        out.truncate(start);
        out.push('0');
    }
}

fn scale_factor(s: Scale) -> f64 {
    match s {
        Scale::X1 => 1.0,
        Scale::X4_3 => 4.0 / 3.0,
        Scale::X2 => 2.0,
    }
}

fn height_dots(s: Scale) -> u32 {
    s.dots(CELL_H)
}

fn escape(c: char, out: &mut String) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        c => out.push(c),
    }
}

/// Draws one line whose box starts at `y`; returns the next line's `y`.
fn text_line(out: &mut String, frame: &Frame, line: &Line, y: u32) -> u32 {
    let enc = frame.encoding;
    let h = (frame.runs(line).iter())
        .map(|r| height_dots(r.style.height))
        .max()
        .unwrap_or(CELL_H);
    let bottom = y + h;
    // Where the previous run ended: (column, dot). A run that touches it is printed right after
    // its last glyph, which after ×1.33 text is up to 8 dots left of its column.
    let mut prev: Option<(u16, u32)> = None;
    for run in frame.placed(line) {
        let x0 = match prev {
            Some((col, dot)) if col == run.col => dot,
            _ => u32::from(run.col) * DOTS_PER_COLUMN,
        };
        let dots = glyphs(out, run.text, run.style, enc, x0, bottom);
        prev = Some((run.col + run.width, x0 + dots));
    }
    bottom + LINE_GAP
}

/// One `<text>` for a run: each glyph centred in its cell. Returns the run's dots.
fn glyphs(out: &mut String, text: &str, style: Style, enc: Encoding, x0: u32, bottom: u32) -> u32 {
    let (sx, sy) = (scale_factor(style.width), scale_factor(style.height));
    let top = bottom - height_dots(style.height);
    if text.chars().all(|c| c == ' ') {
        // No glyph, no `<text>`: only the dots.
        return text
            .chars()
            .map(|c| char_dots(c, style.width, enc).max(1))
            .sum();
    }
    // Written straight into `out`: the element, then a `<tspan>` per glyph.
    let _ = write!(out, r#"<text transform="translate({x0} {top})"#);
    if !(style.width == Scale::X1 && style.height == Scale::X1) {
        out.push_str(" scale(");
        write_num(out, sx);
        out.push(' ');
        write_num(out, sy);
        out.push(')');
    }
    let _ = write!(out, r#"" y="{BASELINE}""#);
    if style.bold {
        out.push_str(r##" stroke="#000" stroke-width="0.7""##);
    }
    out.push('>');
    let mut dots = 0u32;
    for c in text.chars() {
        let w = char_dots(c, style.width, enc).max(1);
        if c != ' ' {
            let centre = f64::from(dots) + f64::from(w) / 2.0;
            out.push_str(r#"<tspan x=""#);
            write_num(out, centre / sx);
            out.push_str(r#"">"#);
            escape(c, out);
            out.push_str("</tspan>");
        }
        dots += w;
    }
    out.push_str("</text>\n");
    dots
}

/// The stored logo at the top of the paper.
fn logo(out: &mut String, paper_w: u32, y: u32) -> u32 {
    let (w, h) = (paper_w.min(192), 72);
    let x = (paper_w - w) / 2;
    let _ = writeln!(
        out,
        r##"<rect class="logo" x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="#000" stroke-width="2" stroke-dasharray="6 4"/>"##
    );
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}">LOGO</text>"#,
        x + w / 2,
        y + h / 2 + 8
    );
    y + h + LINE_GAP
}

/// Draws a QR code or barcode centred on the paper from `y`; returns the next `y`.
fn code_item(out: &mut String, code: &CodeItem, paper_w: u32, y: u32) -> u32 {
    let y = y + LINE_GAP;
    let next = match code.kind {
        CodeKind::Qr => qr(out, &code.data, paper_w, y),
        _ => barcode(out, code, paper_w, y),
    };
    next.unwrap_or_else(|| unreadable(out, code, paper_w, y)) + LINE_GAP
}

/// The modules of a QR code for `data` (error correction M), or `None` if it cannot hold it.
fn qr_modules(data: &str) -> Option<(usize, Vec<bool>)> {
    let code =
        qrcode::QrCode::with_error_correction_level(data.as_bytes(), qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == qrcode::Color::Dark)
        .collect();
    Some((width, dark))
}

fn qr(out: &mut String, data: &str, paper_w: u32, y: u32) -> Option<u32> {
    let (n, dark) = qr_modules(data)?;
    let n = n as u32;
    // 4-dot modules (a 25-module code is 100 dots, 12.5 mm), smaller if the code is too wide.
    let m = (1..=4u32).rev().find(|m| (n + 8) * m <= paper_w)?;
    let size = n * m;
    let x0 = (paper_w - size) / 2;
    let y0 = y + 4 * m; // quiet zone above
    let mut d = String::new();
    for (i, on) in dark.iter().enumerate() {
        if *on {
            let (cx, cy) = (i as u32 % n, i as u32 / n);
            let _ = write!(d, "M{} {}h{m}v{m}h-{m}z", x0 + cx * m, y0 + cy * m);
        }
    }
    let _ = writeln!(
        out,
        r##"<path class="qr" d="{d}" fill="#000" data-modules="{n}"/>"##
    );
    Some(y0 + size + 4 * m)
}

/// Bar modules (true = black) of a barcode, or `None` if the kind cannot encode the data.
fn bar_modules(kind: CodeKind, data: &str) -> Option<Vec<bool>> {
    let bits = match kind {
        CodeKind::Ean13 => barcoders::sym::ean13::EAN13::new(data).ok()?.encode(),
        CodeKind::Code128 => barcoders::sym::code128::Code128::new(format!("Ɓ{data}"))
            .ok()?
            .encode(),
        CodeKind::Code128C => {
            if data.is_empty() || data.len() % 2 == 1 || !data.bytes().all(|b| b.is_ascii_digit()) {
                // set C holds digit pairs: an odd count starts in set B
                barcoders::sym::code128::Code128::new(format!("Ɓ{data}"))
                    .ok()?
                    .encode()
            } else {
                barcoders::sym::code128::Code128::new(format!("Ć{data}"))
                    .ok()?
                    .encode()
            }
        }
        _ => return None,
    };
    Some(bits.into_iter().map(|b| b == 1).collect())
}

fn barcode(out: &mut String, code: &CodeItem, paper_w: u32, y: u32) -> Option<u32> {
    let bars = bar_modules(code.kind, &code.data)?;
    let n = bars.len() as u32;
    let m = (1..=2).rev().find(|m| n * m <= paper_w)?;
    let x0 = (paper_w - n * m) / 2;
    let height = 64;
    let mut d = String::new();
    let mut i = 0usize;
    while i < bars.len() {
        if bars[i] {
            let start = i;
            while i < bars.len() && bars[i] {
                i += 1;
            }
            let w = (i - start) as u32 * m;
            let _ = write!(d, "M{} {y}h{w}v{height}h-{w}z", x0 + start as u32 * m);
        } else {
            i += 1;
        }
    }
    let _ = writeln!(
        out,
        r##"<path class="barcode" d="{d}" fill="#000" data-modules="{n}"/>"##
    );
    let mut label = String::new();
    for c in code.data.chars() {
        escape(c, &mut label);
    }
    let _ = writeln!(
        out,
        r#"<text x="{}" y="{}" font-size="18">{label}</text>"#,
        paper_w / 2,
        y + height + 20
    );
    Some(y + height + 24)
}

/// A code that cannot be drawn: a crossed box with its data, so the problem is visible.
fn unreadable(out: &mut String, code: &CodeItem, paper_w: u32, y: u32) -> u32 {
    let (w, h) = (paper_w.min(192), 96);
    let x = (paper_w - w) / 2;
    let _ = writeln!(
        out,
        r##"<path class="unreadable" d="M{x} {y}h{w}v{h}h-{w}zM{x} {y}l{w} {h}M{x2} {y}l-{w} {h}" fill="none" stroke="#c00" stroke-width="2"/>"##,
        x2 = x + w
    );
    let mut label = String::new();
    for c in code.data.chars().take(24) {
        escape(c, &mut label);
    }
    let _ = writeln!(
        out,
        r##"<text x="{}" y="{}" font-size="16" fill="#c00">{label}</text>"##,
        paper_w / 2,
        y + h / 2 + 6
    );
    y + h
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition of `write_num`: `{:.2}`, trailing zeros cut.
    fn num_by_format(v: f64) -> String {
        let s = format!("{v:.2}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        if s == "-0" { "0".into() } else { s.into() }
    }

    #[test]
    fn numbers_are_written_as_formatting_would() {
        let mut values = vec![
            0.0,
            -0.0,
            0.125,
            -1.5,
            1e13,
            2.0f64.powi(41),
            f64::NAN,
            4.0 / 3.0,
        ];
        for k in 0..4000u32 {
            let half = f64::from(k) / 2.0;
            values.extend([half, half / (4.0 / 3.0), half / 2.0, f64::from(k) / 3.0]);
        }
        for v in values {
            let mut out = String::from("x");
            write_num(&mut out, v);
            assert_eq!(out[1..], num_by_format(v), "{v}");
        }
    }
    use crate::document::{Align, JobSettings, Origin};
    use crate::frame::{LineKind, PlacedText};
    use crate::span::Span;

    fn empty() -> Frame {
        Frame::new(32, Encoding::Gbk, JobSettings::default())
    }

    /// The items of `parts` (frames of one item each), one after the other.
    fn frame(parts: Vec<Frame>) -> Frame {
        let mut f = empty();
        for part in &parts {
            f.extend_from(part, 0..part.items().len());
        }
        f
    }

    fn line(col: u16, text: &str, style: Style) -> Frame {
        let width = crate::measure::text_columns(text, style, Encoding::Gbk) as u16;
        let mut f = empty();
        let run = PlacedText {
            col,
            width,
            text,
            style,
            origin: Origin::Data,
            span: Span::default(),
        };
        f.push_line(LineKind::Text, Align::Left, Span::default(), [run]);
        f
    }

    fn code_item(code: CodeItem) -> Frame {
        let mut f = empty();
        f.push_code(code);
        f
    }

    #[test]
    fn glyphs_are_centred_in_their_own_cells_at_the_frames_column() {
        let s = svg(&frame(vec![line(2, "a—汉<", Style::PLAIN)]));
        // col 2 = 24 dots; a: 12 dots (centre 6), —: 24 (centre 24), 汉: 24 (48), <: 12 (66)
        assert!(s.contains(r#"<text transform="translate(24 12)" y="20"><tspan x="6">a</tspan><tspan x="24">—</tspan><tspan x="48">汉</tspan><tspan x="66">&lt;</tspan></text>"#), "{s}");
        assert!(s.contains(r#"width="416""#)); // 384 + 2 × 16
    }

    #[test]
    fn scaled_text_has_a_taller_line_box() {
        let big = Style {
            bold: true,
            width: Scale::X2,
            height: Scale::X2,
        };
        let s = svg(&frame(vec![line(0, "谢", big), line(0, "x", Style::PLAIN)]));
        assert!(
            s.contains(r##"translate(0 12) scale(2 2)" y="20" stroke="#000""##),
            "{s}"
        );
        // the next line starts below the 48-dot box and the gap
        assert!(
            s.contains(&format!("translate(0 {})", 12 + 48 + LINE_GAP)),
            "{s}"
        );
        let large = Style {
            bold: false,
            width: Scale::X4_3,
            height: Scale::X4_3,
        };
        let s = svg(&frame(vec![line(0, "您好", large)]));
        // 您 is 32 dots: centre 16, at scale 4/3 written as 12
        assert!(
            s.contains(
                r#"scale(1.33 1.33)" y="20"><tspan x="12">您</tspan><tspan x="36">好</tspan>"#
            ),
            "{s}"
        );
    }

    #[test]
    fn codes_are_real_and_bad_data_is_drawn_not_panicked() {
        let code = |kind, data: &str| {
            code_item(CodeItem {
                kind,
                data: data.into(),
                origin: Origin::Data,
                span: Span::default(),
            })
        };
        let s = svg(&frame(vec![
            code(CodeKind::Qr, "https://e.x/1"),
            code(CodeKind::Ean13, "6901234567892"),
            code(CodeKind::Code128, "AB-12"),
            code(CodeKind::Code128C, "12345"),
            code(CodeKind::Ean13, "123"),
        ]));
        assert!(s.contains(r#"class="qr""#) && s.contains(r#"data-modules="21""#));
        assert_eq!(s.matches(r#"class="barcode""#).count(), 3);
        assert!(s.contains(r#"data-modules="95""#)); // EAN-13 is 95 modules
        assert_eq!(s.matches(r#"class="unreadable""#).count(), 1);
    }

    #[test]
    fn the_logo_is_drawn_at_the_top_wherever_it_stands() {
        let logo = code_item(CodeItem {
            kind: CodeKind::Logo,
            data: String::new(),
            origin: Origin::Template,
            span: Span::default(),
        });
        let a = svg(&frame(vec![line(0, "x", Style::PLAIN), logo.clone()]));
        let b = svg(&frame(vec![logo, line(0, "x", Style::PLAIN)]));
        assert_eq!(a, b);
        assert!(a.find(r#"class="logo""#) < a.find(">x<"));
    }
}
