//! The text preview: the paper as monospace text.
//!
//! One string per printed line, never wider than [`Frame::columns`] display columns (CJK and
//! every other double-byte character drawn as itself and counted two, as the printer counts
//! it), trailing spaces removed. How the things that plain text cannot show are drawn:
//!
//! - **Enlarged width** (×2, ×1.33): each glyph stands at its dot position on the paper, rounded
//!   to the nearest column, so a ×2 word is spaced out (`T o t a l `, `美  味  `) and takes
//!   exactly the columns it takes on paper; ×1.33 spreads a little (`您好` → `您 好 `).
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

use crate::document::{CodeKind, Scale};
use crate::frame::{CodeItem, Encoding, Frame, Item, Line, Placed};
use crate::layout::replace::{STAND_IN, replacement};
use crate::layout::width::{DOTS_PER_COLUMN, char_columns, char_dots};

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
    let mut out = Vec::new();
    for item in &frame.items {
        match item {
            Item::Line(line) => text_line(line, cols, &mut out),
            Item::Code(code) => code_box(code, cols, &mut out),
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
        for x in &mut self.cells[at + 1..end] {
            *x = Cell::RightHalf;
        }
    }

    fn render(&self) -> String {
        let mut s = String::with_capacity(self.cells.len());
        for cell in &self.cells {
            match cell {
                Cell::Blank => s.push(' '),
                Cell::Glyph(c) => s.push(*c),
                Cell::RightHalf => {}
            }
        }
        s.truncate(s.trim_end_matches(' ').len());
        s
    }
}

/// A character as the preview draws it: itself if printable, else what layout would print.
fn shown(c: char) -> (char, usize) {
    let c = if char_columns(c, Encoding::Gbk) > 0 {
        c
    } else {
        replacement(c, Encoding::Gbk).with().unwrap_or(STAND_IN)
    };
    match char_columns(c, Encoding::Gbk) {
        0 => (STAND_IN, 2),
        w => (c, w as usize),
    }
}

/// Glyph columns of a run: each glyph at its dot position rounded to the nearest column.
fn glyphs(run: &Placed) -> Vec<(usize, char, usize)> {
    let mut dots = 0u32;
    let mut out = Vec::new();
    for c in run.text.chars() {
        let (g, w) = shown(c);
        let at = (dots.saturating_mul(2) + DOTS_PER_COLUMN) / (2 * DOTS_PER_COLUMN);
        out.push((usize::from(run.col) + at as usize, g, w));
        dots = dots.saturating_add(char_dots(g, run.style.width, Encoding::Gbk));
    }
    out
}

fn text_line(line: &Line, cols: usize, out: &mut Vec<String>) {
    let mut top = Canvas::new(cols);
    let mut bottom = Canvas::new(cols);
    let mut tall = false;
    for run in &line.runs {
        let is_tall = run.style.height == Scale::X2;
        tall |= is_tall;
        for (at, g, w) in glyphs(run) {
            top.put(at, g, w);
            if is_tall && g != ' ' {
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

fn code_box(code: &CodeItem, cols: usize, out: &mut Vec<String>) {
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
    // Data wrapped by characters into the inner width.
    let mut rows: Vec<String> = vec![kind_label(code.kind).to_string()];
    let mut row = String::new();
    let mut used = 0;
    for c in code.data.chars() {
        let (g, w) = shown(c);
        if used + w > inner {
            rows.push(std::mem::take(&mut row));
            used = 0;
        }
        row.push(g);
        used += w;
    }
    if !row.is_empty() {
        rows.push(row);
    }
    while rows.len() < min_inner_lines {
        rows.push(String::new());
    }
    let edge = format!("{left}+{}+", "-".repeat(width - 2));
    out.push(edge.clone());
    for r in rows {
        let w: usize = r.chars().map(|c| shown(c).1).sum();
        out.push(format!(
            "{left}| {r}{} |",
            " ".repeat(inner.saturating_sub(w))
        ));
    }
    out.push(edge);
}
