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
use crate::measure::{
    DOTS_PER_COLUMN, Encoding, PACKED_NONE, STAND_IN, char_columns, printable_measure_packed,
    replacement,
};

/// The preview of `frame` as one string, each line ending with `\n`.
pub fn text(frame: &Frame) -> String {
    let mut out = String::with_capacity(estimate(frame, frame.items()));
    items_text(frame, frame.items(), &mut out);
    out
}

/// The preview of `frame`, one string per line (no newlines, no trailing spaces).
pub fn text_lines(frame: &Frame) -> Vec<String> {
    let mut out = Vec::with_capacity(frame.items().len());
    Painter::new(frame).paint(frame.items(), |line| out.push(line.to_owned()));
    out
}

/// Appends the preview of `items` (some of `frame`'s) to `out`, each line ending with `\n`:
/// [`text`] of a frame holding only those items.
pub(crate) fn items_text(frame: &Frame, items: &[Item], out: &mut String) {
    Painter::new(frame).paint(items, |line| {
        out.push_str(line);
        out.push('\n');
    });
}

/// A length the preview of `items` rarely passes, so that it is written into one buffer: a
/// line of full-width characters (three bytes for two columns) and its newline per item, and
/// room for the code boxes.
fn estimate(frame: &Frame, items: &[Item]) -> usize {
    let line = usize::from(frame.columns) * 3 / 2 + 1;
    let codes = items.iter().filter(|i| matches!(i, Item::Code(_))).count();
    (items.len() + 10 * codes) * line
}

/// Draws lines one at a time into canvases and a line buffer that are reused, and hands each
/// finished line (no newline, no trailing spaces) to the caller.
struct Painter<'f> {
    /// The frame whose items are drawn (it holds their runs' texts).
    frame: &'f Frame,
    cols: usize,
    enc: Encoding,
    /// The canvases, made on the first line that needs them (see [`Painter::direct`]).
    canvas: Option<(Canvas, Canvas)>,
    line: String,
    top_text: String,
    bottom_text: String,
    /// Every line drawn on the canvas (the tests compare the fast path with it).
    canvas_only: bool,
}

/// Runs that touch and share a width scale (data and template text side by side print as
/// one piece): stretches of consecutive runs.
fn groups(runs: &[Placed]) -> impl Iterator<Item = &[Placed]> {
    runs.chunk_by(|p, run| {
        p.style.width == run.style.width
            && usize::from(p.col) + usize::from(p.width) == usize::from(run.col)
    })
}

/// A line written glyph by glyph from the left, for [`Painter::direct`].
struct Direct<'a> {
    out: &'a mut String,
    cols: usize,
    /// The first column after the last glyph written.
    cursor: usize,
    /// False once a glyph started before `cursor` (nothing more is written).
    in_order: bool,
}

impl<'a> Direct<'a> {
    fn new(out: &'a mut String, cols: usize) -> Direct<'a> {
        out.clear();
        Direct {
            out,
            cols,
            cursor: 0,
            in_order: true,
        }
    }

    /// [`Canvas::put`] on a canvas blank from `cursor` on.
    fn put(&mut self, at: usize, c: char, w: usize) {
        if !self.in_order {
            return;
        }
        if at < self.cursor {
            self.in_order = false;
            return;
        }
        let end = at + w.max(1);
        if end > self.cols {
            return;
        }
        push_repeat(self.out, ' ', at - self.cursor);
        self.out.push(c);
        // The padding cells of an ambiguous-width character are spaces; right halves nothing.
        if w == 2 && ambiguous(c) {
            push_repeat(self.out, ' ', end - at - 1);
        }
        self.cursor = end;
    }

    /// Writes the whole `text` of a run of normal width and height from column `at`, when
    /// every [`Direct::put`] of its glyphs would write the glyph itself right after the one
    /// before: the run starts at or after `cursor`, ends on the paper, and each character is
    /// printable as itself and not [`ambiguous`] ([`plain_columns`]). Then the glyphs stand
    /// one after another from `at` (at ×1 a glyph's dots are its columns), so the line gets
    /// the blanks up to `at` and the text as it is. False, with nothing written, otherwise (or
    /// for a line already out of order): the caller puts the glyphs one by one. An empty
    /// text puts no glyph, so it is true and writes nothing.
    fn put_text(&mut self, at: usize, text: &str, enc: Encoding) -> bool {
        if text.is_empty() {
            return true;
        }
        if !self.in_order || at < self.cursor {
            return false;
        }
        let Some(columns) = plain_columns(text, enc) else {
            return false;
        };
        let end = at + columns;
        if end > self.cols {
            return false;
        }
        push_repeat(self.out, ' ', at - self.cursor);
        self.out.push_str(text);
        self.cursor = end;
        true
    }

    fn finish(self) {
        self.out.truncate(self.out.trim_end_matches(' ').len());
    }
}

impl<'f> Painter<'f> {
    fn new(frame: &'f Frame) -> Painter<'f> {
        let cols = usize::from(frame.columns);
        Painter {
            frame,
            cols,
            enc: frame.encoding,
            canvas: None,
            line: String::new(),
            top_text: String::with_capacity(cols * 3 + 8),
            bottom_text: String::with_capacity(cols + 8),
            canvas_only: false,
        }
    }

    fn paint(&mut self, items: &[Item], mut emit: impl FnMut(&str)) {
        for item in items {
            match item {
                Item::Line(line) => self.text_line(line, &mut emit),
                Item::Code(code) => self.code_box(code, &mut emit),
            }
        }
    }

    fn text_line(&mut self, line: &Line, emit: &mut impl FnMut(&str)) {
        if let Some(tall) = self.direct(line) {
            emit(&self.top_text);
            if tall {
                emit(&self.bottom_text);
            }
            return;
        }
        let (cols, enc) = (self.cols, self.enc);
        let mut tall = false;
        let (top, bottom) = self
            .canvas
            .get_or_insert_with(|| (Canvas::new(cols), Canvas::new(cols)));
        for group in groups(self.frame.runs(line)) {
            glyphs(self.frame, group, line, cols, enc, |at, g, w, is_tall| {
                top.put(at, g, w);
                if is_tall && g != ' ' {
                    tall = true;
                    bottom.put(at, '"', 1);
                }
            });
        }
        top.render_into(&mut self.line);
        emit(&self.line);
        if tall {
            bottom.render_into(&mut self.line);
            emit(&self.line);
        }
    }

    /// The fast path of [`Painter::text_line`]: the glyphs written straight into the line
    /// buffers, left to right, as long as each starts at or after the end of the one before
    /// (always, for a frame that keeps its invariants). Then every cell a glyph would take on
    /// the canvas is still blank, so the canvas would hold exactly what is written here, and
    /// its render (blanks and the padding of ambiguous characters as spaces, right halves as
    /// nothing, trailing spaces cut) is this text. `None` when a glyph goes back: the caller
    /// draws the line on the canvas instead. `Some(tall)`: whether the line has a lower half.
    fn direct(&mut self, line: &Line) -> Option<bool> {
        if self.canvas_only {
            return None;
        }
        let (cols, enc) = (self.cols, self.enc);
        let mut top = Direct::new(&mut self.top_text, cols);
        let mut bottom = Direct::new(&mut self.bottom_text, cols);
        let mut tall = false;
        for group in groups(self.frame.runs(line)) {
            // At ×1 and ×2 width each run of a group is drawn on its own (see [`glyphs`]).
            let alone = group[0].style.width != Scale::X4_3;
            for runs in group.chunk_by(|_, _| !alone) {
                let run = &runs[0];
                if alone
                    && run.style.width == Scale::X1
                    && run.style.height != Scale::X2
                    && top.put_text(usize::from(run.col), self.frame.text(run), enc)
                {
                    continue;
                }
                glyphs(self.frame, runs, line, cols, enc, |at, g, w, is_tall| {
                    top.put(at, g, w);
                    if is_tall && g != ' ' {
                        tall = true;
                        bottom.put(at, '"', 1);
                    }
                });
            }
        }
        if !(top.in_order && bottom.in_order) {
            return None;
        }
        top.finish();
        bottom.finish();
        Some(tall)
    }

    fn code_box(&mut self, code: &CodeItem, emit: &mut impl FnMut(&str)) {
        let (cols, enc) = (self.cols, self.enc);
        let out = &mut self.top_text;
        out.clear();
        let (nominal, min_inner_lines) = match code.kind {
            CodeKind::Qr => (16, 6),
            CodeKind::Ean13 | CodeKind::Code128 | CodeKind::Code128C => (24, 2),
            CodeKind::Logo => (16, 2),
        };
        let width = nominal.min(cols);
        if width < 6 {
            // no room for a box: the kind alone, cut to the paper
            out.extend(kind_label(code.kind).chars().take(cols));
            emit(out);
            return;
        }
        let inner = width - 4;
        let left = cols.saturating_sub(width) / 2;
        let edge = |out: &mut String| {
            out.clear();
            push_repeat(out, ' ', left);
            out.push('+');
            push_repeat(out, '-', width - 2);
            out.push('+');
        };
        edge(out);
        emit(out);
        // The kind, then the data, each wrapped by characters into the inner width; at least
        // `min_inner_lines` rows.
        let mut rows = 0;
        let mut row = Row::default();
        let data = Some(code.data.as_str()).filter(|d| !d.is_empty());
        for text in std::iter::once(kind_label(code.kind)).chain(data) {
            for c in text.chars() {
                let (g, w) = shown(c, enc);
                if row.used + w > inner && row.used > 0 {
                    row.finish(out, inner, emit);
                    rows += 1;
                }
                row.push(out, g, w, left, enc);
            }
            if row.glyphs > 0 {
                row.finish(out, inner, emit);
                rows += 1;
            }
        }
        while rows < min_inner_lines {
            out.clear();
            push_repeat(out, ' ', left);
            out.push_str("| ");
            push_repeat(out, ' ', inner);
            out.push_str(" |");
            emit(out);
            rows += 1;
        }
        edge(out);
        emit(out);
    }
}

/// One row inside a code box, being written into the line buffer.
#[derive(Default)]
struct Row {
    /// Columns taken by the glyphs so far, as the wrap counts them.
    used: usize,
    /// Columns of the glyphs as drawn (their own width), for the padding.
    drawn: usize,
    glyphs: usize,
}

impl Row {
    fn push(&mut self, out: &mut String, g: char, w: usize, left: usize, enc: Encoding) {
        if self.glyphs == 0 {
            out.clear();
            push_repeat(out, ' ', left);
            out.push_str("| ");
        }
        out.push(g);
        self.used += w;
        self.drawn += shown(g, enc).1;
        self.glyphs += 1;
    }

    fn finish(&mut self, out: &mut String, inner: usize, emit: &mut impl FnMut(&str)) {
        push_repeat(out, ' ', inner.saturating_sub(self.drawn));
        out.push_str(" |");
        emit(out);
        *self = Row::default();
    }
}

/// Appends `n` times `c`; blanks, the most common, copied from a string of them (one copy for
/// most gaps, not a push per blank).
fn push_repeat(out: &mut String, c: char, mut n: usize) {
    const BLANKS: &str = "                                                                ";
    if c != ' ' {
        out.extend(std::iter::repeat_n(c, n));
        return;
    }
    while n > 0 {
        let k = n.min(BLANKS.len());
        out.push_str(&BLANKS[..k]);
        n -= k;
    }
}

/// One printed line of `cols` cells: a glyph, the right half of a wide glyph, or blank.
struct Canvas {
    cells: Vec<Cell>,
    /// Whether anything was drawn since the last render.
    dirty: bool,
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
            dirty: false,
        }
    }

    /// Draws `c` (`w` columns) at `at`, unless it would cross the edge or another glyph (a frame
    /// that breaks its invariants still previews within the paper).
    fn put(&mut self, at: usize, c: char, w: usize) {
        let end = at + w.max(1);
        if end > self.cells.len() || self.cells[at..end].iter().any(|x| *x != Cell::Blank) {
            return;
        }
        self.dirty = true;
        self.cells[at] = Cell::Glyph(c);
        // Ambiguous-width characters (`·—“×①°`) are two columns on paper but most terminals
        // and editors draw them narrow: a space after them keeps the columns aligned on screen.
        let half = if w == 2 && ambiguous(c) {
            Cell::Pad
        } else {
            Cell::RightHalf
        };
        for x in &mut self.cells[at + 1..end] {
            *x = half;
        }
    }

    /// Writes the line into `out` (replacing what it held), trailing spaces removed, and
    /// clears the canvas for the next line.
    fn render_into(&mut self, out: &mut String) {
        out.clear();
        if !self.dirty {
            return;
        }
        for cell in &self.cells {
            match cell {
                Cell::Blank => out.push(' '),
                Cell::Glyph(c) => out.push(*c),
                Cell::RightHalf => {}
                Cell::Pad => out.push(' '),
            }
        }
        out.truncate(out.trim_end_matches(' ').len());
        self.cells.fill(Cell::Blank);
        self.dirty = false;
    }
}

/// Whether a two-column glyph is drawn one column wide on most screens (`·—“×①°`). The CJK
/// Unified Ideographs are all East Asian Wide, so they skip the table lookup (a test checks the
/// whole block).
fn ambiguous(c: char) -> bool {
    !('\u{4E00}'..='\u{9FFF}').contains(&c) && c.width() == Some(1)
}

/// The columns of `text` when each of its characters is drawn as itself in as many columns as
/// it takes on paper ([`shown_measured`] gives it back with its own [`char_columns`], never 0)
/// and is not [`ambiguous`] (no padding after it): the sum of its [`char_columns`]. `None`
/// otherwise. One pass of [`crate::measure::printable_width`] (its packed form), and a look for ambiguous characters only in a text
/// that has a two-column one.
fn plain_columns(text: &str, enc: Encoding) -> Option<usize> {
    // `printable_width` in one word, its loop inlined here
    let packed = printable_measure_packed(text, 0..text.len(), enc);
    if packed == PACKED_NONE {
        return None;
    }
    let wide = packed & (1 << 62) != 0;
    if wide && text.chars().any(|c| !c.is_ascii() && ambiguous(c)) {
        return None;
    }
    usize::try_from(packed & 0x7FFF_FFFF).ok()
}

/// A character as the preview draws it: itself if printable, else what layout would print.
fn shown(c: char, enc: Encoding) -> (char, usize) {
    let (g, w, _) = shown_measured(c, enc);
    (g, w)
}

/// [`shown`], and the glyph's own [`char_columns`] (what its dots are counted from).
fn shown_measured(c: char, enc: Encoding) -> (char, usize, u32) {
    // A printable character is itself (its columns measured once).
    let w = char_columns(c, enc);
    if w > 0 {
        return (c, w as usize, w);
    }
    let c = replacement(c, enc).with().unwrap_or(STAND_IN);
    match char_columns(c, enc) {
        0 => (STAND_IN, 2, char_columns(STAND_IN, enc)),
        w => (c, w as usize, w),
    }
}

/// Glyph positions of a group of touching runs with the same style, handed to `put` as
/// `(column, glyph, width, tall)`. At ×1 and ×2 width each glyph stands at its dot position
/// (exact: a multiple of 12 dots). ×1.33 cannot be drawn in whole columns, so the group's
/// glyphs are packed together: against the paper's right edge if the group ends there,
/// centred on a centred line, else from the group's first column.
fn glyphs(
    frame: &Frame,
    group: &[Placed],
    line: &Line,
    cols: usize,
    enc: Encoding,
    mut put: impl FnMut(usize, char, usize, bool),
) {
    let Some(first) = group.first() else {
        return;
    };
    if first.style.width == Scale::X4_3 {
        let start = usize::from(first.col);
        let end: usize = group
            .iter()
            .map(|r| usize::from(r.col) + usize::from(r.width))
            .max()
            .unwrap_or(start);
        // Two passes over the glyphs: their packed width decides where the first stands.
        let packed: usize = group
            .iter()
            .flat_map(|r| frame.text(r).chars())
            .map(|c| shown(c, enc).1)
            .sum();
        let free = (end - start).saturating_sub(packed);
        let mut at = if end == cols && start > 0 {
            start + free
        } else if line.align == Align::Center {
            start + free / 2
        } else {
            start
        };
        for r in group {
            let tall = r.style.height == Scale::X2;
            for c in frame.text(r).chars() {
                let (g, w) = shown(c, enc);
                put(at, g, w, tall);
                at += w;
            }
        }
        return;
    }
    for run in group {
        let tall = run.style.height == Scale::X2;
        let mut dots = 0u32;
        for c in frame.text(run).chars() {
            let (g, w, columns) = shown_measured(c, enc);
            let at = usize::from(run.col) + (dots / DOTS_PER_COLUMN) as usize;
            put(at, g, w, tall);
            // `char_dots(g, …)`, from the columns already measured.
            dots = dots.saturating_add(run.style.width.dots(DOTS_PER_COLUMN * columns));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Align, JobSettings, Origin, Style};
    use crate::frame::{LineKind, PlacedText};
    use crate::span::Span;

    fn placed(col: u16, width: u16, text: &str, style: Style) -> PlacedText<'_> {
        PlacedText {
            col,
            width,
            text,
            style,
            origin: Origin::Template,
            span: Span::default(),
        }
    }

    fn empty(columns: u16) -> Frame {
        Frame::new(columns, Encoding::Gbk, JobSettings::default())
    }

    /// A frame `columns` wide of the items of `parts` (frames of one item each).
    fn frame(columns: u16, parts: Vec<Frame>) -> Frame {
        let mut f = empty(columns);
        for part in &parts {
            f.extend_from(part, 0..part.items().len());
        }
        f
    }

    fn aligned(align: Align, runs: Vec<PlacedText<'_>>) -> Frame {
        let mut f = empty(0);
        f.push_line(LineKind::Text, align, Span::default(), runs);
        f
    }

    fn line(runs: Vec<PlacedText<'_>>) -> Frame {
        aligned(Align::Left, runs)
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
        let centred = aligned(Align::Center, vec![placed(13, 6, "您好", large)]);
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

    proptest::proptest! {
        #[test]
        fn the_fast_path_draws_what_the_canvas_draws(
            runs in proptest::collection::vec(
                (0u16..20, 0u16..8, "[a-z ·°中文￥\\u{1}😀]{0,6}", 0..3usize, 0..3usize, proptest::bool::ANY),
                0..5,
            ),
            columns in 8u16..20,
            centred: bool,
        ) {
            let scales = [Scale::X1, Scale::X4_3, Scale::X2];
            let runs = runs
                .iter()
                .map(|(col, width, text, w, h, bold)| {
                    let style = Style { bold: *bold, width: scales[*w], height: scales[*h] };
                    placed(*col, *width, text, style)
                })
                .collect();
            let align = if centred { Align::Center } else { Align::Left };
            let f = frame(columns, vec![aligned(align, runs)]);
            let mut canvas = Painter::new(&f);
            canvas.canvas_only = true;
            let mut want = Vec::new();
            canvas.paint(f.items(), |l| want.push(l.to_owned()));
            proptest::prop_assert_eq!(text_lines(&f), want);
        }
    }

    #[test]
    fn the_cjk_block_is_wide_on_screen() {
        for c in '\u{4E00}'..='\u{9FFF}' {
            assert_eq!(c.width(), Some(2), "{c}");
        }
    }

    #[test]
    fn codes_are_centred_boxes_no_wider_than_the_paper() {
        let code = |kind, data: &str| {
            let mut f = empty(0);
            f.push_code(CodeItem {
                kind,
                data: data.to_string(),
                origin: Origin::Data,
                span: Span::default(),
            });
            f
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
