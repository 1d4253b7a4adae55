//! The text preview: the paper as monospace text.
//!
//! One string per printed line, never wider than [`Frame::columns`] display columns, trailing
//! spaces removed. CJK and every other double-byte character is drawn as itself and takes two
//! columns, as on paper. The East-Asian-ambiguous ones (`·—“×①°`), which the printer prints two
//! columns wide but most terminals and editors draw one column wide, are followed by a space, so
//! that the preview lines up on screen (`·` takes the columns `· `). How the things that plain text cannot show are drawn:
//!
//! - **Double width** (×2): each glyph stands at its position on the paper, so a ×2 word is
//!   spaced out (`T o t a l `, `美  味  `) and takes exactly the columns it takes on paper.
//! - **×1.33 width** is too small a step to draw in whole columns: the glyphs of touching ×1.33
//!   runs are drawn packed, from their first column, or against the paper's right edge when they
//!   end there (a large price), or centred on a centred line; the other columns they take stay
//!   blank (`您好` at ×1.33 takes 6 columns: `您好  `).
//! - **Double height** (×2): the line is followed by a second preview line, its lower half, with
//!   a ditto mark `"` under the first column of each tall glyph. ×1.33 height fits in one line
//!   and is not drawn.
//! - **Bold** is not drawn.
//! - **Codes** are a centred box of ASCII lines naming the kind (`QR`, `EAN-13`, `CODE128`,
//!   `CODE128C`, `LOGO`) with the data wrapped inside. The printer sizes codes by their content,
//!   so the box has a nominal size: 16 columns for a QR code (8 lines high, roughly square on
//!   screen, taller for long data), 24 for barcodes, 16 for the logo; never wider than the paper.
//!
//! ```text
//!         美  味  餐  厅
//!         "   "   "   "
//! --------------------------------
//! 宫保鸡丁                 x1 28.00
//!             +--------------+
//!             | QR           |
//!             | https://e.x/ |
//!             | 1            |
//!             +--------------+
//! ```

use unicode_width::UnicodeWidthChar;

use crate::document::{Align, CodeKind, Scale};
use crate::frame::{CodeItem, Frame, Item, Line, Placed};
use crate::measure::{DOTS_PER_COLUMN, Encoding, STAND_IN, char_columns, char_dots, replacement};

/// The preview of `frame` as one string, each line ending with `\n`.
pub fn text(frame: &Frame) -> String {
    let mut out = String::new();
    for line in text_lines(frame) {
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// The preview of `frame`, one string per line (no newlines, no trailing spaces).
pub fn text_lines(frame: &Frame) -> Vec<String> {
    let cols = usize::from(frame.columns);
    let enc = frame.encoding;
    let mut out = Vec::new();
    for item in &frame.items {
        match item {
            Item::Line(line) => text_line(line, cols, enc, &mut out),
            Item::Code(code) => code_box(code, cols, enc, &mut out),
        }
    }
    out
}

/// One printed line of `cols` cells: a glyph, the right half of a wide glyph, or blank.
struct Canvas {
    cells: Vec<Cell>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Cell {
    Blank,
    Glyph(char),
    RightHalf,
    /// The second column of a glyph that is two columns on paper but one on most screens.
    Pad,
}

impl Canvas {
    fn new(cols: usize) -> Canvas {
        Canvas {
            cells: vec![Cell::Blank; cols],
        }
    }

    /// Draws `c` (`w` columns) at `at`, unless it would cross the edge or another glyph (a frame
    /// that breaks its invariants still previews within the paper).
    fn put(&mut self, at: usize, c: char, w: usize) {
        let end = at + w.max(1);
        if end > self.cells.len() || self.cells[at..end].iter().any(|x| *x != Cell::Blank) {
            return;
        }
        self.cells[at] = Cell::Glyph(c);
        // Ambiguous-width characters (`·—“×①°`) are two columns on paper but most terminals
        // and editors draw them narrow: a space after them keeps the columns aligned on screen.
        let half = if c.width() == Some(1) && w == 2 {
            Cell::Pad
        } else {
            Cell::RightHalf
        };
        for x in &mut self.cells[at + 1..end] {
            *x = half;
        }
    }

    fn render(&self) -> String {
        let mut s = String::with_capacity(self.cells.len());
        for cell in &self.cells {
            match cell {
                Cell::Blank => s.push(' '),
                Cell::Glyph(c) => s.push(*c),
                Cell::RightHalf => {}
                Cell::Pad => s.push(' '),
            }
        }
        s.truncate(s.trim_end_matches(' ').len());
        s
    }
}

/// A character as the preview draws it: itself if printable, else what layout would print.
fn shown(c: char, enc: Encoding) -> (char, usize) {
    let c = if char_columns(c, enc) > 0 {
        c
    } else {
        replacement(c, enc).with().unwrap_or(STAND_IN)
    };
    match char_columns(c, enc) {
        0 => (STAND_IN, 2),
        w => (c, w as usize),
    }
}

/// Glyph positions of a group of touching runs with the same style: `(column, glyph, width,
/// tall)`. At ×1 and ×2 width each glyph stands at its dot position (exact: a multiple of 12
/// dots). ×1.33 cannot be drawn in whole columns, so the group's glyphs are packed together:
/// against the paper's right edge if the group ends there, centred on a centred line, else
/// from the group's first column.
fn glyphs(
    group: &[&Placed],
    line: &Line,
    cols: usize,
    enc: Encoding,
) -> Vec<(usize, char, usize, bool)> {
    let Some(first) = group.first() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if first.style.width == Scale::X4_3 {
        let start = usize::from(first.col);
        let end: usize = group
            .iter()
            .map(|r| usize::from(r.col) + usize::from(r.width))
            .max()
            .unwrap_or(start);
        let glyphs: Vec<(char, usize, bool)> = group
            .iter()
            .flat_map(|r| {
                let tall = r.style.height == Scale::X2;
                r.text.chars().map(move |c| {
                    let (g, w) = shown(c, enc);
                    (g, w, tall)
                })
            })
            .collect();
        let packed: usize = glyphs.iter().map(|g| g.1).sum();
        let free = (end - start).saturating_sub(packed);
        let mut at = if end == cols && start > 0 {
            start + free
        } else if line.align == Align::Center {
            start + free / 2
        } else {
            start
        };
        for (g, w, tall) in glyphs {
            out.push((at, g, w, tall));
            at += w;
        }
        return out;
    }
    for run in group {
        let tall = run.style.height == Scale::X2;
        let mut dots = 0u32;
        for c in run.text.chars() {
            let (g, w) = shown(c, enc);
            let at = usize::from(run.col) + (dots / DOTS_PER_COLUMN) as usize;
            out.push((at, g, w, tall));
            dots = dots.saturating_add(char_dots(g, run.style.width, enc));
        }
    }
    out
}

fn text_line(line: &Line, cols: usize, enc: Encoding, out: &mut Vec<String>) {
    let mut top = Canvas::new(cols);
    let mut bottom = Canvas::new(cols);
    let mut tall = false;
    // Group runs that touch and share a width scale (data and template text side by side
    // print as one piece).
    let mut groups: Vec<Vec<&Placed>> = Vec::new();
    for run in &line.runs {
        match groups.last_mut() {
            Some(g)
                if g.last().is_some_and(|p| {
                    p.style.width == run.style.width
                        && usize::from(p.col) + usize::from(p.width) == usize::from(run.col)
                }) =>
            {
                g.push(run)
            }
            _ => groups.push(vec![run]),
        }
    }
    for group in &groups {
        for (at, g, w, is_tall) in glyphs(group, line, cols, enc) {
            top.put(at, g, w);
            if is_tall && g != ' ' {
                tall = true;
                bottom.put(at, '"', 1);
            }
        }
    }
    out.push(top.render());
    if tall {
        out.push(bottom.render());
    }
}

fn kind_label(kind: CodeKind) -> &'static str {
    match kind {
        CodeKind::Qr => "QR",
        CodeKind::Ean13 => "EAN-13",
        CodeKind::Code128 => "CODE128",
        CodeKind::Code128C => "CODE128C",
        CodeKind::Logo => "LOGO",
    }
}

/// `s` as preview glyphs, cut into lines of at most `width` columns.
fn wrap_chars(s: &str, width: usize, enc: Encoding) -> Vec<String> {
    let mut rows = Vec::new();
    let mut row = String::new();
    let mut used = 0;
    for c in s.chars() {
        let (g, w) = shown(c, enc);
        if used + w > width && used > 0 {
            rows.push(std::mem::take(&mut row));
            used = 0;
        }
        row.push(g);
        used += w;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    rows
}

fn code_box(code: &CodeItem, cols: usize, enc: Encoding, out: &mut Vec<String>) {
    let (nominal, min_inner_lines) = match code.kind {
        CodeKind::Qr => (16, 6),
        CodeKind::Ean13 | CodeKind::Code128 | CodeKind::Code128C => (24, 2),
        CodeKind::Logo => (16, 2),
    };
    let width = nominal.min(cols);
    if width < 6 {
        // no room for a box: the kind alone, cut to the paper
        out.push(kind_label(code.kind).chars().take(cols).collect());
        return;
    }
    let inner = width - 4;
    let left = " ".repeat(cols.saturating_sub(width) / 2);
    // The kind, then the data, wrapped by characters into the inner width.
    let mut rows = wrap_chars(kind_label(code.kind), inner, enc);
    if !code.data.is_empty() {
        rows.extend(wrap_chars(&code.data, inner, enc));
    }
    while rows.len() < min_inner_lines {
        rows.push(String::new());
    }
    let edge = format!("{left}+{}+", "-".repeat(width - 2));
    out.push(edge.clone());
    for r in rows {
        let w: usize = r.chars().map(|c| shown(c, enc).1).sum();
        out.push(format!(
            "{left}| {r}{} |",
            " ".repeat(inner.saturating_sub(w))
        ));
    }
    out.push(edge);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Align, JobSettings, Origin, Style};
    use crate::frame::LineKind;
    use crate::span::Span;

    fn placed(col: u16, width: u16, text: &str, style: Style) -> Placed {
        Placed {
            col,
            width,
            text: text.to_string(),
            style,
            origin: Origin::Template,
            span: Span::default(),
        }
    }

    fn frame(columns: u16, items: Vec<Item>) -> Frame {
        Frame {
            columns,
            encoding: Encoding::Gbk,
            settings: JobSettings::default(),
            items,
        }
    }

    fn line(runs: Vec<Placed>) -> Item {
        Item::Line(Line {
            kind: LineKind::Text,
            align: Align::Left,
            runs,
            span: Span::default(),
        })
    }

    /// Display width on a screen (ambiguous characters narrow).
    fn cols(s: &str) -> usize {
        unicode_width::UnicodeWidthStr::width(s)
    }

    #[test]
    fn ambiguous_characters_are_followed_by_a_space_to_line_up_on_screen() {
        let f = frame(12, vec![line(vec![placed(0, 12, "·—“×①°", Style::PLAIN)])]);
        assert_eq!(text_lines(&f), ["· — “ × ① °"]);
        let f = frame(12, vec![line(vec![placed(6, 6, "温度°", Style::PLAIN)])]);
        assert_eq!(text_lines(&f), ["      温度°"]);
        assert_eq!(cols(&text_lines(&f)[0]), 11); // the trailing pad is trimmed
    }

    #[test]
    fn runs_are_drawn_at_their_columns_and_cjk_counts_two() {
        let f = frame(
            16,
            vec![line(vec![
                placed(0, 4, "合计", Style::PLAIN),
                placed(11, 5, "12.50", Style::PLAIN),
            ])],
        );
        assert_eq!(text(&f), "合计       12.50\n");
        assert_eq!(cols(text_lines(&f)[0].as_str()), 16);
    }

    #[test]
    fn double_width_spaces_glyphs_and_double_height_adds_a_ditto_line() {
        let big = Style {
            bold: true,
            width: Scale::X2,
            height: Scale::X2,
        };
        let f = frame(16, vec![line(vec![placed(2, 12, "¥9元", big)])]);
        // ¥ is not printable: shown as its stand-in, as layout would have printed it
        assert_eq!(text_lines(&f), ["  ￥  9 元", "  \"   \" \""]);
        let wide_only = Style {
            width: Scale::X2,
            ..Style::PLAIN
        };
        let f = frame(16, vec![line(vec![placed(0, 10, "Total", wide_only)])]);
        assert_eq!(text_lines(&f), ["T o t a l"]);
    }

    #[test]
    fn x4_3_text_is_packed_where_it_starts_ends_or_centres() {
        let large = Style {
            width: Scale::X4_3,
            height: Scale::X4_3,
            bold: false,
        };
        // left: from its first column
        let f = frame(32, vec![line(vec![placed(13, 6, "您好", large)])]);
        assert_eq!(text_lines(&f), [format!("{}您好", " ".repeat(13))]);
        // at the right edge: against it; two touching runs ("x" then data "1") print as one
        let f = frame(
            32,
            vec![
                line(vec![placed(26, 6, "您好", large)]),
                line(vec![placed(28, 2, "x", large), placed(30, 2, "1", large)]),
            ],
        );
        assert_eq!(
            text_lines(&f),
            [
                format!("{}您好", " ".repeat(28)),
                format!("{}x1", " ".repeat(30))
            ]
        );
        // on a centred line: centred in its columns
        let centred = Item::Line(Line {
            kind: LineKind::Text,
            align: Align::Center,
            runs: vec![placed(13, 6, "您好", large)],
            span: Span::default(),
        });
        assert_eq!(
            text_lines(&frame(32, vec![centred])),
            [format!("{}您好", " ".repeat(14))]
        );
    }

    #[test]
    fn a_broken_frame_still_previews_within_the_paper() {
        let f = frame(
            8,
            vec![line(vec![
                placed(0, 4, "一二三四五", Style::PLAIN),
                placed(2, 2, "x", Style::PLAIN),
            ])],
        );
        for l in text_lines(&f) {
            assert!(cols(&l) <= 8, "{l:?}");
        }
    }

    #[test]
    fn codes_are_centred_boxes_no_wider_than_the_paper() {
        let code = |kind, data: &str| {
            Item::Code(CodeItem {
                kind,
                data: data.to_string(),
                origin: Origin::Data,
                span: Span::default(),
            })
        };
        let f = frame(
            32,
            vec![
                code(CodeKind::Qr, "https://e.x/1"),
                code(CodeKind::Code128, "AB-12"),
            ],
        );
        let lines = text_lines(&f);
        assert_eq!(lines[0], format!("{}+{}+", " ".repeat(8), "-".repeat(14)));
        assert_eq!(lines[1], format!("{}| QR           |", " ".repeat(8)));
        assert_eq!(lines[2], format!("{}| https://e.x/ |", " ".repeat(8)));
        assert_eq!(lines[3], format!("{}| 1            |", " ".repeat(8)));
        // QR: 6 inner lines at least; then the barcode box, 24 wide
        assert_eq!(lines.len(), 8 + 4);
        assert_eq!(lines[9], format!("    | CODE128{} |", " ".repeat(13)));
        let narrow = frame(8, vec![code(CodeKind::Ean13, "6901234567892")]);
        for l in text_lines(&narrow) {
            assert!(cols(&l) <= 8, "{l:?}");
        }
    }
}
