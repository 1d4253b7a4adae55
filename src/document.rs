//! The bound document: what `bind` produces and `layout` reads.
//!
//! Statements are evaluated, loops unrolled, expressions replaced by their text. Every run of text
//! remembers whether it came from the template or from data ([`Origin`]), so that later stages can
//! guarantee that data never turns into printer instructions.

use serde::Serialize;

use crate::span::{Span, Spanned};
use crate::spare;

pub use crate::vocab::{Align, CodeKind, ColumnWidth, Origin, Scale, Style};

/// A bound receipt: job settings plus blocks in print order.
///
/// Its text lives in a few shared buffers, not in one allocation per run, cell or row: one
/// string holds the text of every run, and one list each holds every run, cell, table row and
/// spec column, in print order. A block, cell or row names its part of them with a [`Slice`];
/// read them through the accessors ([`Document::runs`], [`Document::text`], [`Document::cells`],
/// [`Document::rows`], [`Document::columns`]), and build a document by hand with a
/// [`Builder`]. A slice that is not in this document's buffers (a block made up, or copied from
/// another document) reads as nothing: no stage panics on it, but it prints nothing either, so
/// give each document its own `Builder`.
///
/// ```
/// use slipmark::document::{Align, Block, Builder, Origin, Style, TextKind};
/// use slipmark::Span;
///
/// let mut b = Builder::new();
/// b.run("谢谢", Style::PLAIN, Origin::Template, Span::default());
/// b.run("老王", Style::PLAIN, Origin::Data, Span::default());
/// b.text_block(TextKind::Arrow, Align::Center, Span::default());
/// let doc = b.finish();
/// let Block::Text(t) = &doc.blocks[0] else { unreachable!() };
/// let texts: Vec<&str> = doc.runs(t.runs).iter().map(|r| doc.text(r)).collect();
/// assert_eq!(texts, ["谢谢", "老王"]);
/// ```
///
/// Two documents are equal when they print the same: the same settings and blocks, with the
/// same runs, cells and rows (compared by what the slices hold, not by where).
#[derive(Debug, Clone, Eq, Default, Serialize)]
pub struct Document {
    /// Settings from the front matter.
    pub settings: JobSettings,
    /// Blocks, top to bottom.
    pub blocks: Vec<Block>,
    /// The text of every run (a rewritten run's new text is appended; see
    /// [`Document::for_each_text`]).
    text: String,
    /// Every run, in print order.
    runs: Vec<Run>,
    /// Every table cell, in print order.
    cells: Vec<Cell>,
    /// Every table body row, in print order (headers are held by their table).
    rows: Vec<Row>,
    /// The columns of every spec row (shared by the tables laid out under it).
    columns: Vec<Column>,
}

/// A range of one of a [`Document`]'s buffers: the bytes of a run's text, the runs of a text
/// block or cell, the cells of a row, the rows or columns of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Slice {
    /// The first index.
    pub start: usize,
    /// One past the last index.
    pub end: usize,
}

impl Slice {
    /// The slice `start..end`.
    pub fn new(start: usize, end: usize) -> Slice {
        Slice { start, end }
    }

    /// How many items (or bytes) it covers.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether it covers nothing.
    pub fn is_empty(self) -> bool {
        self.start >= self.end
    }

    /// As a range, to index with.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }
}

/// A piece of text with one style and one origin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Run {
    /// The text, in the document's text ([`Document::text`] reads it), exactly as bound (no
    /// escaping applied yet; may contain any character).
    pub text: Slice,
    /// Its style.
    pub style: Style,
    /// Template or data.
    pub origin: Origin,
    /// The template span it came from (the expression, for data).
    pub span: Span,
}

/// One block: a source line after evaluation (several for an unrolled loop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Block {
    /// A paragraph, heading or arrow line.
    Text(TextBlock),
    /// An empty line.
    Blank(Span),
    /// A horizontal rule, possibly with a label.
    Rule(Rule),
    /// Consecutive rows sharing one column specification.
    Table(Table),
    /// A QR code, barcode or the stored logo.
    Code(Code),
}

/// What kind of source line produced a text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum TextKind {
    /// Plain text.
    Paragraph,
    /// `#`, `##` or `###` (the level).
    Heading(u8),
    /// `-> text <-` or `-> text`.
    Arrow,
}

/// A line of inline text with an alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TextBlock {
    /// Where it came from.
    pub kind: TextKind,
    /// Alignment of every wrapped line.
    pub align: Align,
    /// The text, in order (heading styles already applied to the runs): a slice of the
    /// document's runs ([`Document::runs`]).
    pub runs: Slice,
    /// The source line.
    pub span: Span,
}

/// A rule: `---`, `===`, `***`, `...`, `~~~`, optionally with a centred label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The character repeated across the line.
    pub ch: char,
    /// The label's runs (empty for a plain rule): a slice of the document's runs.
    pub label: Slice,
    /// The source line.
    pub span: Span,
}

/// Consecutive rows laid out on shared columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The spec row in force ([`Document::columns`] reads it), or `None` for rows without one
    /// (2 cells: left/right; 3–4 cells: first flexible, others fitted and right-aligned).
    pub columns: Option<Slice>,
    /// The row directly above the spec row.
    pub header: Option<Row>,
    /// The body rows: a slice of the document's rows ([`Document::rows`]).
    pub rows: Slice,
    /// From the first to the last row.
    pub span: Span,
}

/// One column of a spec row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Alignment of its cells.
    pub align: Align,
    /// How wide it is.
    pub width: ColumnWidth,
    /// The spec cell.
    pub span: Span,
}

/// One row of cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The cells, left to right: a slice of the document's cells ([`Document::cells`]).
    pub cells: Slice,
    /// The source line.
    pub span: Span,
}

/// One cell: inline text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The text: a slice of the document's runs ([`Document::runs`]).
    pub runs: Slice,
    /// The cell in the source.
    pub span: Span,
}

/// A code block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// Which code.
    pub kind: CodeKind,
    /// Its data (the bound target).
    pub data: String,
    /// `Data` if any part of the target came from data.
    pub origin: Origin,
    /// The source line.
    pub span: Span,
}

/// Job settings from the front matter, each with the span of its value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct JobSettings {
    /// Copies, 1–9.
    pub copies: Option<Spanned<u8>>,
    /// Paper width.
    pub paper: Option<Spanned<Paper>>,
    /// Text the printer speaks on arrival.
    pub voice: Option<Spanned<String>>,
    /// Voice volume (as written, range checked by the model).
    pub volume: Option<Spanned<u8>>,
    /// New-order reminder.
    pub reminder: Option<Spanned<Reminder>>,
    /// Paper cut at the end.
    pub cut: Option<Spanned<Cut>>,
    /// New-order sound (`sound: buzzer 2`), where the model has one (Yilianyun `<MS>`).
    pub sound: Option<Spanned<Sound>>,
    /// Order confirmation on the printer's keys (`confirm: 120`), where the model has it
    /// (Yilianyun `<MC>`).
    pub confirm: Option<Spanned<Confirm>>,
    /// Open the cash drawer after printing (`drawer: open`), where the printer has a drawer port.
    pub drawer: Option<Spanned<bool>>,
}

/// A new-order sound (`sound:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Sound {
    /// What sounds.
    pub device: SoundDevice,
    /// 0 (mute) to 3 (high); 2 when the setting gives none.
    pub volume: u8,
}

/// What makes a new-order sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum SoundDevice {
    /// The buzzer.
    Buzzer,
    /// The speaker.
    Speaker,
}

/// Order confirmation (`confirm:`): the printer waits for a key press (accept or reject).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Confirm {
    /// How long it waits, in seconds (1–99999; `confirm: on` is 60).
    pub timeout_secs: u32,
}

/// A paper width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Paper {
    /// 58 mm paper: 32 columns, 384 dots.
    Mm58,
    /// 80 mm paper: 48 columns, 576 dots.
    Mm80,
    /// Any width in half-width columns.
    Columns(u16),
}

/// The items of `buffer` at `slice`; none for a slice that is not in it (a block from another
/// document, or made up): reading a document never panics.
fn part<T>(buffer: &[T], slice: Slice) -> &[T] {
    buffer.get(slice.range()).unwrap_or_default()
}

/// The text at `slice`; empty for a slice that is not in `text` or cuts a character.
fn text_at(text: &str, slice: Slice) -> &str {
    text.get(slice.range()).unwrap_or_default()
}

impl Document {
    /// Done with (a render's document, once laid out): its buffers, emptied, are kept on this
    /// thread for the next document built here ([`crate::spare`] decides what is kept).
    pub(crate) fn recycle(self) {
        let Document {
            mut blocks,
            mut text,
            mut runs,
            mut cells,
            mut rows,
            mut columns,
            ..
        } = self;
        blocks.clear();
        text.clear();
        runs.clear();
        cells.clear();
        rows.clear();
        columns.clear();
        let bytes = [
            spare::bytes_of(&blocks),
            text.capacity(),
            spare::bytes_of(&runs),
            spare::bytes_of(&cells),
            spare::bytes_of(&rows),
            spare::bytes_of(&columns),
        ];
        let bytes = bytes.iter().fold(0usize, |a, &b| a.saturating_add(b));
        let buffers = Buffers {
            blocks,
            text,
            runs,
            cells,
            rows,
            columns,
        };
        spare::keep(&SPARE, buffers, bytes);
    }

    /// The runs of `slice` (a text block's, a rule label's or a cell's `runs`).
    pub fn runs(&self, slice: Slice) -> &[Run] {
        part(&self.runs, slice)
    }

    /// The text of `run` (a run of this document).
    pub fn text(&self, run: &Run) -> &str {
        text_at(&self.text, run.text)
    }

    /// The cells of `row`, left to right.
    pub fn cells(&self, row: &Row) -> &[Cell] {
        part(&self.cells, row.cells)
    }

    /// The body rows of `table`, top to bottom (its header is `table.header`).
    pub fn rows(&self, table: &Table) -> &[Row] {
        part(&self.rows, table.rows)
    }

    /// The header (if any) and body rows of `table`, top to bottom.
    pub fn all_rows<'d>(&'d self, table: &'d Table) -> impl Iterator<Item = &'d Row> + Clone {
        table.header.iter().chain(self.rows(table))
    }

    /// The columns of `table`'s spec row, if it has one.
    pub fn columns(&self, table: &Table) -> Option<&[Column]> {
        table.columns.map(|c| part(&self.columns, c))
    }
    /// The capacity of its text buffer (the tests of `spare.rs`).
    #[cfg(test)]
    pub(crate) fn text_capacity(&self) -> usize {
        self.text.capacity()
    }

    /// The text of every run, in one string: each run's text is a slice of it (and the old
    /// text of a rewritten run stays in it). One scan of it tells whether any run holds a
    /// character at all.
    pub fn all_text(&self) -> &str {
        &self.text
    }

    /// Walks every text of the receipt in print order: `runs` gets each group of runs printed
    /// together (a text block, a rule's label, a table cell), `rule` each rule's character.
    /// Codes and settings are not visited. The dialects' neutralisers are written over it.
    ///
    /// A run's text is rewritten through [`Texts::rewrite`]: the new text is appended to the
    /// document's text and the run pointed at it, so rewriting allocates nothing per run.
    pub fn for_each_text(
        &mut self,
        mut runs: impl FnMut(&mut Texts<'_>),
        mut rule: impl FnMut(&mut char),
    ) {
        let mut scratch = String::new();
        let Document {
            blocks,
            text,
            runs: all,
            cells,
            rows,
            ..
        } = self;
        let mut group = |slice: Slice, text: &mut String, scratch: &mut String| {
            runs(&mut Texts {
                text,
                runs: all.get_mut(slice.range()).unwrap_or_default(),
                scratch,
            })
        };
        for block in blocks.iter_mut() {
            match block {
                Block::Text(t) => group(t.runs, text, &mut scratch),
                Block::Rule(r) => {
                    group(r.label, text, &mut scratch);
                    rule(&mut r.ch);
                }
                Block::Table(t) => {
                    for row in t.header.iter().chain(part(rows, t.rows)) {
                        for cell in part(cells, row.cells) {
                            group(cell.runs, text, &mut scratch);
                        }
                    }
                }
                Block::Blank(_) | Block::Code(_) => {}
            }
        }
    }

    /// Whether the runs of `a` in `self` and of `b` in `other` are the same, text included.
    fn same_runs(&self, a: Slice, other: &Document, b: Slice) -> bool {
        let (x, y) = (self.runs(a), other.runs(b));
        x.len() == y.len()
            && x.iter().zip(y).all(|(r, s)| {
                (r.style, r.origin, r.span) == (s.style, s.origin, s.span)
                    && self.text(r) == other.text(s)
            })
    }

    /// Whether `a` in `self` and `b` in `other` are the same row.
    fn same_row(&self, a: &Row, other: &Document, b: &Row) -> bool {
        let (x, y) = (self.cells(a), other.cells(b));
        a.span == b.span
            && x.len() == y.len()
            && x.iter()
                .zip(y)
                .all(|(c, d)| c.span == d.span && self.same_runs(c.runs, other, d.runs))
    }

    /// Whether `a` in `self` and `b` in `other` are the same table.
    fn same_table(&self, a: &Table, other: &Document, b: &Table) -> bool {
        let header = match (&a.header, &b.header) {
            (Some(h), Some(k)) => self.same_row(h, other, k),
            (None, None) => true,
            _ => false,
        };
        let (x, y) = (self.rows(a), other.rows(b));
        a.span == b.span
            && self.columns(a) == other.columns(b)
            && header
            && x.len() == y.len()
            && x.iter().zip(y).all(|(r, s)| self.same_row(r, other, s))
    }
}

impl PartialEq for Document {
    fn eq(&self, other: &Document) -> bool {
        self.settings == other.settings
            && self.blocks.len() == other.blocks.len()
            && self
                .blocks
                .iter()
                .zip(&other.blocks)
                .all(|pair| match pair {
                    (Block::Text(a), Block::Text(b)) => {
                        (a.kind, a.align, a.span) == (b.kind, b.align, b.span)
                            && self.same_runs(a.runs, other, b.runs)
                    }
                    (Block::Rule(a), Block::Rule(b)) => {
                        (a.ch, a.span) == (b.ch, b.span) && self.same_runs(a.label, other, b.label)
                    }
                    (Block::Table(a), Block::Table(b)) => self.same_table(a, other, b),
                    (a @ (Block::Blank(_) | Block::Code(_)), b) => a == b,
                    _ => false,
                })
    }
}

/// One group of runs printed together (a text block, a rule's label, a table cell), as
/// [`Document::for_each_text`] hands it out: each run's text can be read and rewritten.
#[derive(Debug)]
pub struct Texts<'d> {
    text: &'d mut String,
    runs: &'d mut [Run],
    scratch: &'d mut String,
}

impl Texts<'_> {
    /// How many runs the group has.
    pub fn len(&self) -> usize {
        self.runs.len()
    }

    /// Whether the group has no runs.
    pub fn is_empty(&self) -> bool {
        self.runs.is_empty()
    }

    /// The runs, in order.
    pub fn runs(&self) -> &[Run] {
        self.runs
    }

    /// The text of run `i`.
    pub fn text(&self, i: usize) -> &str {
        text_at(self.text, self.runs[i].text)
    }

    /// Replaces the text of run `i` with what `write` writes, given its current text. The new
    /// text is appended to the document's text and the run pointed at it (the old text stays
    /// where it was, unread).
    pub fn rewrite(&mut self, i: usize, write: impl FnOnce(&str, &mut String)) {
        self.scratch.clear();
        write(text_at(self.text, self.runs[i].text), self.scratch);
        let start = self.text.len();
        self.text.push_str(self.scratch);
        self.runs[i].text = Slice::new(start, self.text.len());
    }
}

/// What writes a run's text into a document's text ([`Builder::write_run`]): a closure, or a
/// writer whose [`WriteText::write_text`] is made in place where the run is written (the
/// pieces of a planned table row: a closure there was a call of its own for each piece).
pub(crate) trait WriteText<E> {
    /// Writes the text at the end of `out`, or fails (the caller takes back what it wrote).
    fn write_text(self, out: &mut String) -> Result<(), E>;
}

impl<E, F: FnOnce(&mut String) -> Result<(), E>> WriteText<E> for F {
    #[inline(always)]
    fn write_text(self, out: &mut String) -> Result<(), E> {
        self(out)
    }
}

/// Builds a [`Document`] block by block, in print order. Runs ([`Builder::run`]) gather in an
/// open group, which the next text block, rule or cell takes; cells gather in an open row,
/// which [`Builder::row`] closes; [`Builder::table`] adds a table of rows.
///
/// ```
/// use slipmark::document::{Builder, Origin, Style};
/// use slipmark::Span;
///
/// let at = Span::default();
/// let mut b = Builder::new();
/// b.run("合计", Style::PLAIN, Origin::Template, at).cell(at);
/// b.run("¥88.50", Style::PLAIN, Origin::Data, at).cell(at);
/// let row = b.row(at);
/// b.table(None, None, &[row], at);
/// let doc = b.finish();
/// assert_eq!(doc.outline(), "table (no spec)\n  row | \"合计\" | «¥88.50» |\n");
/// ```
#[derive(Debug, Default)]
pub struct Builder {
    doc: Document,
    /// Where the open group of runs starts in `doc.runs`.
    group: usize,
    /// Where the open row's cells start in `doc.cells`.
    row: usize,
}

/// A document's buffers, empty: what [`Document::recycle`] keeps for the next
/// [`Builder::with_capacity`] on its thread.
#[derive(Default)]
struct Buffers {
    blocks: Vec<Block>,
    text: String,
    runs: Vec<Run>,
    cells: Vec<Cell>,
    rows: Vec<Row>,
    columns: Vec<Column>,
}

thread_local! {
    static SPARE: std::cell::Cell<Option<Buffers>> = const { std::cell::Cell::new(None) };
}

/// About how much a document will hold, to allocate its buffers once.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Capacity {
    pub text: usize,
    pub runs: usize,
    pub cells: usize,
    pub rows: usize,
    pub columns: usize,
    pub blocks: usize,
}

/// Where a [`Builder`] stood, to go back to ([`Builder::rollback`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    text: usize,
    runs: usize,
    cells: usize,
    group: usize,
    row: usize,
    /// (Not rolled back: only for [`Builder::reserve_repeats`].)
    rows: usize,
    blocks: usize,
}

/// The most items (runs, cells, rows, blocks) [`Builder::reserve_repeats`] makes room for at
/// once, and the most bytes of text: past them a buffer grows as it fills.
const REPEAT_ITEMS: usize = 1 << 16;
const REPEAT_TEXT: usize = 1 << 22;
/// Items [`Builder::reserve_repeats`] adds for what follows the loop.
const REPEAT_SLACK: usize = 32;

impl Builder {
    /// An empty document.
    pub fn new() -> Builder {
        Builder::default()
    }

    /// Goes on building `doc`: the next block comes after its last.
    pub fn from_document(doc: Document) -> Builder {
        Builder {
            group: doc.runs.len(),
            row: doc.cells.len(),
            doc,
        }
    }

    /// An empty document with room for about `c`: in the buffers the last document recycled
    /// on this thread left ([`Document::recycle`]), when there are some.
    pub(crate) fn with_capacity(c: &Capacity) -> Builder {
        let mut b = spare::take(&SPARE).unwrap_or_default();
        b.blocks.reserve(c.blocks);
        b.text.reserve(c.text);
        b.runs.reserve(c.runs);
        b.cells.reserve(c.cells);
        b.rows.reserve(c.rows);
        b.columns.reserve(c.columns);
        Builder {
            doc: Document {
                settings: JobSettings::default(),
                blocks: b.blocks,
                text: b.text,
                runs: b.runs,
                cells: b.cells,
                rows: b.rows,
                columns: b.columns,
            },
            group: 0,
            row: 0,
        }
    }

    /// The document's job settings, to set.
    pub fn settings(&mut self) -> &mut JobSettings {
        &mut self.doc.settings
    }

    /// Adds a run of `text` to the open group (as it is: neighbours are not merged, and an
    /// empty text is kept).
    pub fn run(&mut self, text: &str, style: Style, origin: Origin, span: Span) -> &mut Builder {
        let start = self.doc.text.len();
        self.doc.text.push_str(text);
        self.doc.runs.push(Run {
            text: Slice::new(start, self.doc.text.len()),
            style,
            origin,
            span,
        });
        self
    }

    /// Adds a text block of the open group's runs.
    pub fn text_block(&mut self, kind: TextKind, align: Align, span: Span) -> &mut Builder {
        let runs = self.close_group();
        self.block(Block::Text(TextBlock {
            kind,
            align,
            runs,
            span,
        }))
    }

    /// Adds a rule of `ch` labelled by the open group's runs (none for a plain rule).
    pub fn rule(&mut self, ch: char, span: Span) -> &mut Builder {
        let label = self.close_group();
        self.block(Block::Rule(Rule { ch, label, span }))
    }

    /// Adds an empty line.
    pub fn blank(&mut self, span: Span) -> &mut Builder {
        self.block(Block::Blank(span))
    }

    /// Adds a code block.
    pub fn code(&mut self, code: Code) -> &mut Builder {
        self.block(Block::Code(code))
    }

    /// Adds a cell of the open group's runs to the open row.
    pub fn cell(&mut self, span: Span) -> &mut Builder {
        let runs = self.close_group();
        self.doc.cells.push(Cell { runs, span });
        self
    }

    /// Closes the open row: its cells, for [`Builder::table`] (or a table's header).
    pub fn row(&mut self, span: Span) -> Row {
        let cells = Slice::new(self.row, self.doc.cells.len());
        self.row = cells.end;
        Row { cells, span }
    }

    /// Closes the open row as its first `cells` cells (the rest stay open, for the next
    /// rows: [`Builder::push_rows`]).
    pub(crate) fn row_of(&mut self, cells: usize, span: Span) -> Row {
        let cells = Slice::new(self.row, self.row + cells);
        self.row = cells.end;
        Row { cells, span }
    }

    /// Closes `count` rows of `cells` cells each, the open row's cells on, and adds them to
    /// the rows list (where they are is returned): what `count` calls of [`Builder::row`]
    /// then [`Builder::push_row`] make, each after its row's cells were added. Why: a loop
    /// whose every item writes one row of the same cells (bind's row plan) closes its rows
    /// in one step when they join one table, instead of one row and one push per item.
    pub(crate) fn push_rows(&mut self, cells: usize, count: usize, span: Span) -> Slice {
        let (start, at) = (self.row, self.doc.rows.len());
        debug_assert_eq!(start + cells * count, self.doc.cells.len());
        let row = |k: usize| Row {
            cells: Slice::new(start + k * cells, start + (k + 1) * cells),
            span,
        };
        self.doc.rows.extend((0..count).map(row));
        self.row = start + cells * count;
        Slice::new(at, self.doc.rows.len())
    }

    /// Adds a table of `rows` (made by [`Builder::row`]) under the spec `columns`, if any.
    pub fn table(
        &mut self,
        columns: Option<&[Column]>,
        header: Option<Row>,
        rows: &[Row],
        span: Span,
    ) -> &mut Builder {
        let columns = columns.map(|c| self.push_columns(c.iter().copied()));
        let start = self.doc.rows.len();
        self.doc.rows.extend_from_slice(rows);
        let rows = Slice::new(start, self.doc.rows.len());
        self.block(Block::Table(Table {
            columns,
            header,
            rows,
            span,
        }))
    }

    /// Adds `block` as it is (its slices must be this document's).
    pub fn block(&mut self, block: Block) -> &mut Builder {
        self.doc.blocks.push(block);
        self
    }

    /// The document.
    pub fn finish(self) -> Document {
        self.doc
    }

    /// The open group's runs, as a slice, and a new group opened after them.
    pub(crate) fn close_group(&mut self) -> Slice {
        let runs = Slice::new(self.group, self.doc.runs.len());
        self.group = runs.end;
        runs
    }

    /// The open group's runs.
    pub(crate) fn open_runs(&self) -> &[Run] {
        &self.doc.runs[self.group..]
    }

    /// The bytes of text written so far (every run's, and any text no run reads yet).
    pub(crate) fn text_len(&self) -> usize {
        self.doc.text.len()
    }

    /// The document so far.
    pub(crate) fn doc(&self) -> &Document {
        &self.doc
    }

    /// Writes a run's text in place with `write`, straight into the document's text: at the
    /// end of the open group's last run when it has the same style, origin and source (the
    /// neighbours merge, their span covers both), else as a new run; nothing when `write`
    /// writes nothing. Returns the bytes written. On an error, what `write` wrote is removed.
    #[inline]
    pub(crate) fn write_run<E>(
        &mut self,
        style: Style,
        origin: Origin,
        span: Span,
        write: impl WriteText<E>,
    ) -> Result<usize, E> {
        let Some((start, end)) = self.write_text(write)? else {
            return Ok(0);
        };
        let text = Slice::new(start, end);
        match self.doc.runs[self.group..].last_mut() {
            Some(last)
                if last.style.same(style)
                    && last.origin == origin
                    && last.span.source == span.source
                    && last.text.end == start =>
            {
                last.text.end = end;
                last.span = last.span.to(span);
            }
            _ => self.doc.runs.push(Run {
                text,
                style,
                origin,
                span,
            }),
        }
        Ok(end - start)
    }

    /// [`Builder::write_run`] of a run that cannot merge with the one before it: the caller
    /// knows that the open group has no runs (a cell was just closed) or that its last run is
    /// of another origin. The text is always a new run, without looking at the last one (the
    /// same document: `write_run` would find no neighbour to merge with either).
    #[inline]
    pub(crate) fn write_new_run<E>(
        &mut self,
        style: Style,
        origin: Origin,
        span: Span,
        write: impl WriteText<E>,
    ) -> Result<(), E> {
        let Some((start, end)) = self.write_text(write)? else {
            return Ok(());
        };
        debug_assert!(
            self.doc.runs[self.group..]
                .last()
                .is_none_or(|last| last.origin != origin || last.text.end != start),
            "a new run where write_run would merge"
        );
        self.doc.runs.push(Run {
            text: Slice::new(start, end),
            style,
            origin,
            span,
        });
        Ok(())
    }

    /// `write` at the end of the document's text: where it wrote (`None` for nothing); on an
    /// error, what it wrote is removed (`write_run`, `write_new_run`).
    #[inline(always)]
    fn write_text<E>(&mut self, write: impl WriteText<E>) -> Result<Option<(usize, usize)>, E> {
        let start = self.doc.text.len();
        if let Err(e) = write.write_text(&mut self.doc.text) {
            self.doc.text.truncate(start);
            return Err(e);
        }
        let end = self.doc.text.len();
        Ok((end > start).then_some((start, end)))
    }

    /// Adds `columns`, returning where they are.
    pub(crate) fn push_columns(&mut self, columns: impl Iterator<Item = Column>) -> Slice {
        let start = self.doc.columns.len();
        self.doc.columns.extend(columns);
        Slice::new(start, self.doc.columns.len())
    }

    /// The columns at `slice`.
    pub(crate) fn columns_at(&self, slice: Slice) -> &[Column] {
        &self.doc.columns[slice.range()]
    }

    /// Adds a body row to the rows list, returning its index.
    pub(crate) fn push_row(&mut self, row: Row) -> usize {
        self.doc.rows.push(row);
        self.doc.rows.len() - 1
    }

    /// Takes the last row back off the rows list.
    pub(crate) fn pop_row(&mut self) -> Option<Row> {
        self.doc.rows.pop()
    }

    /// The rows at `slice`.
    pub(crate) fn rows_at(&self, slice: Slice) -> &[Row] {
        &self.doc.rows[slice.range()]
    }

    /// How many rows the rows list has.
    pub(crate) fn rows_len(&self) -> usize {
        self.doc.rows.len()
    }

    /// Where the builder stands now.
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            text: self.doc.text.len(),
            runs: self.doc.runs.len(),
            cells: self.doc.cells.len(),
            group: self.group,
            row: self.row,
            rows: self.doc.rows.len(),
            blocks: self.doc.blocks.len(),
        }
    }

    /// Makes room for `times` more of what was added since `since` (a loop's first iteration,
    /// for the rest of its iterations), when a buffer has less room than that: then a quarter
    /// more text, as texts vary in length, an eighth more items and some room for what
    /// follows; at most `max_text` bytes of text. Only capacity: the document is the same whatever it reserves.
    pub(crate) fn reserve_repeats(&mut self, since: Mark, times: usize, max_text: usize) {
        let now = self.mark();
        let more = |now: usize, then: usize| now.saturating_sub(then).saturating_mul(times);
        let d = &mut self.doc;
        let text = more(now.text, since.text);
        if d.text.capacity() - d.text.len() < text {
            d.text
                .reserve(text.saturating_add(text / 4).min(max_text).min(REPEAT_TEXT));
        }
        room(&mut d.runs, more(now.runs, since.runs));
        room(&mut d.cells, more(now.cells, since.cells));
        room(&mut d.rows, more(now.rows, since.rows));
        room(&mut d.blocks, more(now.blocks, since.blocks));
    }

    /// Forgets the text, runs and cells added since `mark`, and reopens its group and row.
    pub(crate) fn rollback(&mut self, mark: Mark) {
        self.doc.text.truncate(mark.text);
        self.doc.runs.truncate(mark.runs);
        self.doc.cells.truncate(mark.cells);
        self.group = mark.group;
        self.row = mark.row;
    }

    /// Opens a new group of runs after the ones there are (those stay where they are).
    pub(crate) fn open_group(&mut self) {
        self.group = self.doc.runs.len();
    }
}

/// Makes room in `list` for `n` more items when it has less: an eighth more and
/// [`REPEAT_SLACK`] besides (for what follows a loop), at most [`REPEAT_ITEMS`].
fn room<T>(list: &mut Vec<T>, n: usize) {
    if list.capacity() - list.len() < n {
        list.reserve(n.saturating_add(n / 8 + REPEAT_SLACK).min(REPEAT_ITEMS));
    }
}

impl Row {
    /// Whether the row is laid out under a spec of `columns`: it has one cell per column. A row
    /// with another number of cells is laid out as a row with no spec (`language.md` §3); bind
    /// groups rows and layout places them by this one rule.
    pub fn fits(&self, columns: &[Column]) -> bool {
        self.cells.len() == columns.len()
    }
}

impl Paper {
    /// Width in half-width columns.
    pub fn columns(self) -> u16 {
        match self {
            Paper::Mm58 => 32,
            Paper::Mm80 => 48,
            Paper::Columns(n) => n,
        }
    }

    /// Parses `58mm`, `80mm` or a number of columns.
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim() {
            "58mm" | "58" => Some(Paper::Mm58),
            "80mm" | "80" => Some(Paper::Mm80),
            s => s
                .parse::<u16>()
                .ok()
                .filter(|n| (8..=255).contains(n))
                .map(Paper::Columns),
        }
    }
}

/// New-order reminder (`reminder:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Reminder {
    /// Silent.
    None,
    /// Buzzer.
    Buzzer,
    /// Voice.
    Voice,
    /// Follow the printer's system setting.
    System,
}

/// Paper cut at the end of the job (`cut:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Cut {
    /// No cut.
    None,
    /// Half cut.
    Half,
    /// Partial cut ("leave a little").
    Partial,
    /// Full cut.
    Full,
}

impl Document {
    /// A compact, line-per-block text form for tests and debugging. Template text is quoted
    /// `"…"`, data text `«…»`; a non-plain style follows in braces (`{b w2 h4/3}`).
    pub fn outline(&self) -> String {
        let mut out = String::new();
        let s = &self.settings;
        let mut setting = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                out.push_str(&format!("{k}: {v}\n"));
            }
        };
        setting("copies", s.copies.as_ref().map(|v| v.value.to_string()));
        setting("paper", s.paper.as_ref().map(|v| format!("{:?}", v.value)));
        setting("voice", s.voice.as_ref().map(|v| format!("{:?}", v.value)));
        setting("volume", s.volume.as_ref().map(|v| v.value.to_string()));
        setting(
            "reminder",
            s.reminder.as_ref().map(|v| format!("{:?}", v.value)),
        );
        setting("cut", s.cut.as_ref().map(|v| format!("{:?}", v.value)));
        setting("sound", s.sound.as_ref().map(|v| format!("{:?}", v.value)));
        setting(
            "confirm",
            s.confirm.as_ref().map(|v| format!("{:?}", v.value)),
        );
        for block in &self.blocks {
            match block {
                Block::Text(t) => out.push_str(&format!(
                    "{:?} {:?}: {}\n",
                    t.kind,
                    t.align,
                    self.outline_runs(t.runs)
                )),
                Block::Blank(_) => out.push_str("blank\n"),
                Block::Rule(r) => out.push_str(&format!(
                    "rule {:?}: {}\n",
                    r.ch,
                    self.outline_runs(r.label)
                )),
                Block::Code(c) => out.push_str(&format!(
                    "code {:?}: {}\n",
                    c.kind,
                    text(&c.data, Style::PLAIN, c.origin)
                )),
                Block::Table(t) => {
                    match self.columns(t) {
                        Some(cols) => {
                            let cols: Vec<String> = cols
                                .iter()
                                .map(|c| format!("{:?} {:?}", c.align, c.width))
                                .collect();
                            out.push_str(&format!("table [{}]\n", cols.join(", ")));
                        }
                        None => out.push_str("table (no spec)\n"),
                    }
                    let row = |r: &Row| {
                        self.cells(r)
                            .iter()
                            .map(|c| format!(" {} |", self.outline_runs(c.runs)))
                            .collect::<String>()
                    };
                    if let Some(h) = &t.header {
                        out.push_str(&format!("  header |{}\n", row(h)));
                    }
                    for r in self.rows(t) {
                        out.push_str(&format!("  row |{}\n", row(r)));
                    }
                }
            }
        }
        out
    }

    /// The runs of `slice` for [`Document::outline`].
    fn outline_runs(&self, slice: Slice) -> String {
        self.runs(slice)
            .iter()
            .map(|r| text(self.text(r), r.style, r.origin))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn text(t: &str, style: Style, origin: Origin) -> String {
    let mut s = match origin {
        Origin::Template => format!("{t:?}"),
        Origin::Data => format!("«{}»", t.escape_debug()),
    };
    if !style.is_plain() {
        let scale = |p: &str, s: Scale| match s {
            Scale::X1 => None,
            Scale::X4_3 => Some(format!("{p}4/3")),
            Scale::X2 => Some(format!("{p}2")),
        };
        let parts: Vec<String> = [
            style.bold.then(|| "b".to_string()),
            scale("w", style.width),
            scale("h", style.height),
        ]
        .into_iter()
        .flatten()
        .collect();
        s.push_str(&format!("{{{}}}", parts.join(" ")));
    }
    s
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A document of data runs `texts` in a paragraph, and a rule of `ch` labelled `label`.
    pub(crate) fn doc_of(texts: &[String], ch: char, label: &str) -> Document {
        let mut b = Builder::new();
        for (i, t) in texts.iter().enumerate() {
            b.run(t, Style::PLAIN, Origin::Data, Span::new(0, i, i + 1));
        }
        b.text_block(TextKind::Paragraph, Align::Left, Span::default());
        b.run(label, Style::PLAIN, Origin::Template, Span::default())
            .rule(ch, Span::default());
        b.finish()
    }

    fn at(n: usize) -> Span {
        Span::new(0, n, n + 1)
    }

    /// A document of every kind of block, built by hand.
    fn sample() -> Document {
        let mut b = Builder::new();
        b.run("合计", Style::PLAIN, Origin::Template, at(0))
            .run("x<y", Style::PLAIN, Origin::Data, at(1))
            .text_block(TextKind::Paragraph, Align::Left, at(0));
        b.run("商品", Style::PLAIN, Origin::Template, at(2))
            .rule('-', at(2));
        b.rule('=', at(3)).blank(at(4));
        let col = Column {
            align: Align::Right,
            width: ColumnWidth::Fit,
            span: at(5),
        };
        b.run("名", Style::PLAIN, Origin::Template, at(6))
            .cell(at(6));
        b.run("价", Style::PLAIN, Origin::Template, at(7))
            .cell(at(7));
        let header = b.row(at(6));
        b.run("茶", Style::PLAIN, Origin::Data, at(8)).cell(at(8));
        b.cell(at(9));
        let row = b.row(at(8));
        b.table(Some(&[col, col]), Some(header), &[row], at(5));
        b.finish()
    }

    /// Slices that are not the document's (made up, or from another document) read as nothing,
    /// and no stage panics on them: prepare, layout and lowering all run.
    #[test]
    fn slices_that_are_not_the_documents_read_as_nothing() {
        let mut doc = sample();
        let far = Slice::new(1000, 2000);
        let bogus_row = Row {
            cells: far,
            span: at(9),
        };
        doc.blocks.push(Block::Text(TextBlock {
            kind: TextKind::Paragraph,
            align: Align::Left,
            runs: far,
            span: at(9),
        }));
        doc.blocks.push(Block::Table(Table {
            columns: Some(far),
            header: Some(bogus_row),
            rows: Slice::new(3, 1),
            span: at(9),
        }));
        doc.blocks.push(Block::Table(Table {
            columns: None,
            header: None,
            rows: Slice::new(0, usize::MAX),
            span: at(9),
        }));
        assert!(doc.runs(far).is_empty());
        assert!(doc.cells(&bogus_row).is_empty());
        let cut = Run {
            text: Slice::new(0, 1), // inside the first character of 合计
            style: Style::PLAIN,
            origin: Origin::Data,
            span: at(0),
        };
        assert_eq!(doc.text(&cut), "");
        let mut visited = 0;
        doc.clone().for_each_text(|t| visited += t.len(), |_| {});
        assert_eq!(
            visited, 6,
            "the sample's six runs and none of the made-up ones"
        );
        for name in ["generic", "K7", "escpos-80"] {
            let printer = crate::backend::Catalogue::builtin().printer(name).unwrap();
            let job = crate::printer::render(doc.clone(), &printer, Default::default()).unwrap();
            assert!(job.preview_text().contains("合计"), "{name}");
        }
    }

    #[test]
    fn a_built_document_reads_back_through_its_accessors() {
        let doc = sample();
        assert_eq!(
            doc.outline(),
            "Paragraph Left: \"合计\" «x<y»\nrule '-': \"商品\"\nrule '=': \nblank\n\
             table [Right Fit, Right Fit]\n  header | \"名\" | \"价\" |\n  row | «茶» |  |\n"
        );
        let Block::Table(t) = &doc.blocks[4] else {
            panic!()
        };
        assert!(t.header.is_some_and(|h| h.fits(doc.columns(t).unwrap())));
        assert_eq!(doc.all_rows(t).count(), 2);
        assert_eq!(doc.cells(&doc.rows(t)[0])[1].runs, Slice::new(6, 6));
        // one buffer per structure, however many runs, cells and rows
        assert_eq!(
            (
                doc.text.len(),
                doc.runs.len(),
                doc.cells.len(),
                doc.rows.len()
            ),
            (24, 6, 4, 1)
        );
    }

    #[test]
    fn rewriting_appends_the_new_text_and_equality_reads_through_the_slices() {
        let mut doc = sample();
        let before = doc.clone();
        assert_eq!(doc, before);
        let mut seen = Vec::new();
        doc.for_each_text(
            |texts| {
                for i in 0..texts.len() {
                    seen.push(texts.text(i).to_string());
                    if texts.text(i).contains('<') {
                        texts.rewrite(i, |old, out| out.push_str(&old.replace('<', "＜")));
                    }
                }
            },
            |ch| *ch = '~',
        );
        // every group in print order: the text block, the rule labels, the header, the row
        assert_eq!(seen, ["合计", "x<y", "商品", "名", "价", "茶"]);
        assert_ne!(doc, before);
        let Block::Text(t) = &doc.blocks[0] else {
            panic!()
        };
        assert_eq!(doc.text(&doc.runs(t.runs)[1]), "x＜y");
        // the same document built with the rewritten text and characters
        let mut b = Builder::new();
        b.run("合计", Style::PLAIN, Origin::Template, at(0))
            .run("x＜y", Style::PLAIN, Origin::Data, at(1))
            .text_block(TextKind::Paragraph, Align::Left, at(0));
        let mut want = b.finish();
        let rest = sample();
        want = {
            let mut b = Builder::from_document(want);
            b.run("商品", Style::PLAIN, Origin::Template, at(2))
                .rule('~', at(2));
            b.rule('~', at(3)).blank(at(4));
            let cols = rest.columns(match &rest.blocks[4] {
                Block::Table(t) => t,
                _ => panic!(),
            });
            let cols = cols.unwrap().to_vec();
            b.run("名", Style::PLAIN, Origin::Template, at(6))
                .cell(at(6));
            b.run("价", Style::PLAIN, Origin::Template, at(7))
                .cell(at(7));
            let header = b.row(at(6));
            b.run("茶", Style::PLAIN, Origin::Data, at(8)).cell(at(8));
            b.cell(at(9));
            let row = b.row(at(8));
            b.table(Some(&cols), Some(header), &[row], at(5));
            b.finish()
        };
        assert_eq!(doc, want);
        assert_eq!(doc.outline(), want.outline());
    }

    #[test]
    fn merged_runs_grow_in_place_and_a_rollback_forgets() {
        let mut b = Builder::new();
        let write = |s: &'static str| {
            move |out: &mut String| -> Result<(), ()> {
                out.push_str(s);
                Ok(())
            }
        };
        assert_eq!(
            b.write_run(Style::PLAIN, Origin::Data, at(1), write("ab")),
            Ok(2)
        );
        assert_eq!(
            b.write_run(Style::PLAIN, Origin::Data, at(3), write("c")),
            Ok(1)
        );
        assert_eq!(
            b.write_run(Style::PLAIN, Origin::Data, at(4), write("")),
            Ok(0)
        );
        assert_eq!(b.open_runs().len(), 1, "neighbours merge, nothing is empty");
        assert_eq!(b.open_runs()[0].span, at(1).to(at(3)));
        let mark = b.mark();
        b.write_run(Style::PLAIN, Origin::Template, at(5), write("d"))
            .unwrap();
        let failed = b.write_run(Style::PLAIN, Origin::Data, at(6), |out: &mut String| {
            out.push_str("partial");
            Err(())
        });
        assert_eq!(failed, Err(()));
        assert_eq!(b.doc().text, "abcd", "a failed write leaves nothing");
        b.rollback(mark);
        b.text_block(TextKind::Paragraph, Align::Left, at(0));
        let doc = b.finish();
        assert_eq!(doc.outline(), "Paragraph Left: «abc»\n");
    }
}
