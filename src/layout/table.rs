//! Rows and tables: column allocation, cells wrapping inside their columns.
//!
//! Adjacent columns are separated by a **one-column gap**, so that a left-aligned name that
//! fills its column never touches the number beside it. Widths in a spec row are the widths of
//! the columns themselves; the gaps come on top (`|:-*-|:-4-:|--8-:|` on 32 columns gives
//! 18 + 1 + 4 + 1 + 8).
//!
//! Allocation for a spec row, on a paper `W` columns wide with `n` columns:
//!
//! 1. Fixed columns take their width. If they and the `n - 1` gaps need more than `W`, that is
//!    an error at the spec row (never a line wider than the paper).
//! 2. Fit columns (no width) take the width of their widest cell on one line, as far as what is
//!    left allows; when it does not, they are shrunk evenly (max-min fair), never below their
//!    widest single character.
//! 3. Share columns (`*`) split what is left evenly (leftmost first for odd columns). With no
//!    share column, the first fit column takes what is left, so the table spans the paper as a
//!    receipt does; a table of fixed columns only keeps its widths.
//!
//! Rows without a spec row: 1 cell is a left-aligned line; 2 cells are left and right, spread
//! across the line (the right cell keeps its natural width when it can, the left one wraps);
//! 3 or more cells are one `*` left column followed by fit, right-aligned columns, shared by the
//! consecutive rows with the same number of cells.
//!
//! A row with a different number of cells than the spec has columns is laid out as a row with
//! no spec (the one rule, `Row::fits`; binding already groups such rows apart).
//!
//! A cell wraps inside its column; the row's other cells stay on its first line and the row
//! grows downward.

use std::borrow::Cow;

use crate::document::{Align, Block, Column, ColumnWidth, Document, Row, Table};
use crate::document::{Run, Style};
use crate::error::{Error, ErrorKind, WarningKind};
use crate::frame::{LayoutOptions, LineKind, Placed, PlacedText};
use crate::measure::{
    DOTS_PER_COLUMN, Encoding, TextWidth, columns_for_dots, encoded_columns, printable,
    printable_measure_run,
};
use crate::span::Span;

use super::Cx;
use super::blocks::offset;
use super::inline::{Frag, Warnings, columns_in, frags_into};
use super::style::degrade;
use super::wrap::{TooWide, WrapLine, number_pieces, one_line_of, to_u16, wrap_noting};

mod speculate;

/// Rows made printable, stored flat: every cell's fragments or runs in one list, so that all
/// the tables of a document cost a few lists however many rows and cells they have.
///
/// A row whose fragments are all slices of the document's text side by side, none of its
/// cells ending in a space, is kept as runs ([`Kept`]): each fragment's run as
/// [`push_whole`] would push it from its cell's column 0, its text at the fragment's place in
/// the document's text. Such a row on one line is placed by copying its text once and moving
/// its runs ([`lay_kept_row`]); for anything else (a cell that wraps, a pair that stacks) its
/// fragments are made again from the document ([`with_frags`]), as they were made here.
#[derive(Debug, Default)]
pub(crate) struct Rows<'a> {
    /// The document the rows are of (none for rows made on their own, in tests: nothing is
    /// kept as runs then).
    doc: Option<&'a Document>,
    frags: Vec<Frag<'a>>,
    /// The runs of the kept rows' cells.
    runs: Vec<Placed>,
    /// Each cell: its range in `frags` (or `runs`, in a kept row) and its measures.
    cells: Vec<CellInfo>,
    /// Each row.
    rows: Vec<RowInfo<'a>>,
}

/// A row of [`Rows`]: its range in `cells`, its span, and how it is kept.
#[derive(Debug, Clone, Copy)]
struct RowInfo<'a> {
    first: u32,
    end: u32,
    span: Span,
    kept: Option<Kept<'a>>,
}

/// A row kept as runs: the document's text its runs cover, `start..end`, and the row itself
/// (to make its fragments again).
#[derive(Debug, Clone, Copy)]
struct Kept<'a> {
    doc: &'a Document,
    row: &'a Row,
    start: u32,
    end: u32,
}

impl<'a> Rows<'a> {
    /// No rows yet, of `doc`, with room for `runs` fragments or runs, `cells` cells and `rows`
    /// rows.
    fn with_capacity(doc: &'a Document, runs: usize, cells: usize, rows: usize) -> Rows<'a> {
        Rows {
            doc: Some(doc),
            frags: Vec::new(),
            runs: Vec::with_capacity(runs),
            cells: Vec::with_capacity(cells),
            rows: Vec::with_capacity(rows),
        }
    }

    /// Adds `row` of `doc`, made printable (its warnings go to `warnings`); kept as runs when
    /// it can be and `keep` allows.
    fn push(
        &mut self,
        doc: &'a Document,
        row: &'a Row,
        opts: &LayoutOptions,
        mut warnings: Option<&mut Warnings>,
        keep: bool,
    ) {
        let keep = keep && self.doc.is_some_and(|d| std::ptr::eq(d, doc));
        if keep && self.push_kept(doc, row, opts) {
            return;
        }
        let first = self.cells.len();
        for cell in doc.cells(row) {
            let start = self.frags.len();
            frags_into(
                doc,
                cell.runs,
                opts,
                warnings.as_deref_mut(),
                &mut self.frags,
            );
            self.close_cell(start);
        }
        self.rows.push(RowInfo {
            first: index(first),
            end: index(self.cells.len()),
            span: row.span,
            kept: None,
        });
    }

    /// Adds `row` of `doc` kept as runs, in one pass over its runs, when it can be: every run
    /// printable as it is (`printable_measure`) in a style the printer has (`degrade` keeps
    /// it), the runs side by side in the document's text, no cell ending in a space. Returns
    /// false, with nothing added, when it cannot be. It makes what [`Rows::push`] makes, as
    /// runs: for such runs `frags_into` borrows each text as it is, reports nothing, leaves
    /// out the empty ones and joins a run to the fragment before it in the cell when they have
    /// the same style, origin and source (here: one run over both texts, which lie side by
    /// side); [`Rows::close_cell`] measures the cell from its fragments' sizes, as here; and
    /// each run is the one [`push_whole`] pushes for a fragment from the cell's column 0.
    fn push_kept(&mut self, doc: &'a Document, row: &'a Row, opts: &LayoutOptions) -> bool {
        // every offset into the text fits in 32 bits, below `ANY`
        if doc.all_text().len() >= ANY as usize {
            return false;
        }
        let (runs, cells) = (self.runs.len(), self.cells.len());
        let mut next = ANY;
        for cell in doc.cells(row) {
            let made = kept_cell(
                &mut self.runs,
                doc.all_text(),
                doc.runs(cell.runs),
                opts,
                (&mut next, 0),
            );
            match made {
                Some(info) => self.cells.push(info),
                None => return self.undo(runs, cells),
            }
        }
        let Some(first) = self.runs.get(runs) else {
            // nothing to copy: the general path (it pushes nothing either)
            return self.undo(runs, cells);
        };
        let start = index(first.text_range().start);
        self.rows.push(RowInfo {
            first: index(cells),
            end: index(self.cells.len()),
            span: row.span,
            kept: Some(Kept {
                doc,
                row,
                start,
                end: next,
            }),
        });
        true
    }

    /// Takes back the runs and cells [`Rows::push_kept`] added from `runs` and `cells` on;
    /// false.
    fn undo(&mut self, runs: usize, cells: usize) -> bool {
        self.runs.truncate(runs);
        self.cells.truncate(cells);
        false
    }

    /// Makes the fragments from `start` to the end a cell, measured once here: what the spec
    /// widths and the placing of its row read instead of measuring it again.
    fn close_cell(&mut self, start: usize) {
        let cell = &self.frags[start..];
        let size = sizes(cell);
        self.cells.push(CellInfo {
            start: index(start),
            end: index(self.frags.len()),
            size,
            numbers: numbers_bound(cell, size),
        });
    }

    /// The `k`th row.
    fn row(&self, k: usize) -> Cells<'_, 'a> {
        let r = self.rows[k];
        Cells {
            frags: &self.frags,
            runs: &self.runs,
            cells: &self.cells[r.first as usize..r.end as usize],
            span: r.span,
            kept: r.kept,
        }
    }

    /// The number of cells of the `k`th row (`self.row(k).len()`).
    fn len_of(&self, k: usize) -> usize {
        let r = &self.rows[k];
        (r.end - r.first) as usize
    }

    /// Every row, in order.
    #[cfg(test)]
    fn iter(&self) -> impl Iterator<Item = Cells<'_, 'a>> + Clone {
        (0..self.rows.len()).map(|k| self.row(k))
    }

    /// Empties the lists, keeping their room.
    fn clear(&mut self) {
        self.frags.clear();
        self.runs.clear();
        self.cells.clear();
        self.rows.clear();
    }
}

/// The runs of one cell of a kept row ([`Rows::push_kept`]) over `text` (the document's),
/// pushed to `out` (the rows' runs, or the frame's for a table laid at predicted columns,
/// `speculate`: their texts then at `shift` past the document's, wrapping, where the frame
/// will copy it), and its measures; `next` is where its text must start in `text` ([`ANY`] for the
/// row's first), moved to where it ends. `None` when the cell cannot be kept (the caller
/// takes back what was pushed). Inlined in both its callers: a call a cell cost a table of
/// predicted widths more than a tenth of its layout.
#[inline(always)]
fn kept_cell(
    out: &mut Vec<Placed>,
    text: &str,
    runs: &[Run],
    opts: &LayoutOptions,
    (next, shift): (&mut u32, u32),
) -> Option<CellInfo> {
    let first = out.len();
    // The one-line width of the fragments before the open one (the last pushed), the open
    // one's columns at normal size and its width, and the widest character so far.
    let (mut done, mut open, mut width, mut widest) = (0u32, 0u32, 0u32, 0u32);
    let mut numbers = 0u32;
    // whether a run was joined to the one before it
    let mut joined = false;
    // the open fragment's style, origin and source (none before the cell's first)
    let mut last = None;
    // whether the last run with a text ends in a space
    let mut space = false;
    for run in runs {
        let style = match run.style {
            s if s.is_plain() => s,
            s if degrade(s, opts.styles) == s => s,
            // a degraded style is reported: the general path
            _ => return None,
        };
        // `None` where the range is not in the text, cuts a character, or holds a
        // character that is not printable, as `text.get(range)` and `printable_measure`
        // would give
        let m = printable_measure_run(text, run.text.range(), opts.encoding)?;
        let columns = m.columns;
        if columns == 0 {
            // an empty text (a character takes a column at least): left out
            continue;
        }
        // its number bound, and its widest character (a column at least: not empty)
        let n = m.numbers;
        let size = TextWidth {
            columns,
            widest: 1 + u32::from(m.wide),
        };
        // offsets below `ANY` (checked by the caller)
        let at = run.text.start as u32;
        if *next != ANY && at != *next {
            return None;
        }
        *next = run.text.end as u32;
        space = m.ends_in_space;
        numbers = numbers.max(n);
        widest = widest.max(columns_in(style, size.widest));
        let key = Some((style, run.origin, run.span.source));
        if last == key {
            // joined to the fragment before it: one run over both texts
            open = open.saturating_add(size.columns);
            width = columns_in(style, open);
            joined = true;
            if let Some(placed) = out.last_mut() {
                placed.width = to_u16(width);
                placed.span = placed.span.to(run.span);
                placed.set_text_end(next.wrapping_add(shift));
            }
        } else {
            done = done.saturating_add(width);
            open = size.columns;
            width = columns_in(style, open);
            last = key;
            let placed = (to_u16(done), to_u16(width), style, run.origin, run.span);
            let (start, end) = (at.wrapping_add(shift), next.wrapping_add(shift));
            out.push(Placed::over(placed, start, end));
        }
    }
    if space {
        return None;
    }
    let natural = done.saturating_add(width);
    let end = out.len();
    // the one fragment's stretches, in its style
    let one = match (end - first, &last) {
        (1, Some((style, _, _))) if !joined => Some(columns_in(*style, numbers)),
        _ => None,
    };
    Some(CellInfo::kept(first..end, natural, widest, numbers, one))
}

/// A position in one of the lists of [`Rows`] (they hold fewer than 4 G items: a fragment is
/// at least a byte of the document's text).
fn index(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Where a kept row's text may start before its first run is seen (no text offset reaches it).
const ANY: u32 = u32::MAX;

/// A cell made printable: its fragments' range in [`Rows`] (its runs', in a kept row) and its
/// measures.
#[derive(Debug, Clone, Copy)]
struct CellInfo {
    start: u32,
    end: u32,
    /// Its one-line width and widest character ([`sizes`]; the number is measured only when
    /// a column needs it, [`widen_numbers`]).
    size: Measure,
    /// A bound on its widest number piece ([`number`] is never more), 0 when no fragment
    /// holds an ASCII digit (then it holds no number piece): see [`numbers_bound`].
    numbers: u32,
}

impl CellInfo {
    /// A kept cell whose runs are `runs` of its list, `natural` wide on one line, its widest
    /// character `widest`, its runs' widest number bound `numbers` at normal size; `one`, for
    /// a cell of one run not joined to another, that bound in the run's style. Its number
    /// bound is as [`numbers_bound`] gives a cell of fragments.
    #[inline(always)]
    fn kept(
        runs: std::ops::Range<usize>,
        natural: u32,
        widest: u32,
        numbers: u32,
        one: Option<u32>,
    ) -> CellInfo {
        CellInfo {
            start: index(runs.start),
            end: index(runs.end),
            size: Measure {
                natural,
                widest,
                number: 0,
            },
            numbers: match one {
                Some(n) => n,
                None if numbers > 0 => natural,
                None => 0,
            },
        }
    }
}

/// [`CellInfo::numbers`] of a cell of fragments `cell` whose sizes are `size`: for one
/// fragment, its number bound ([`Frag::numbers`]: the widest stretch between spaces holding a
/// digit, at normal size) in its style; for several, with a digit, the whole one-line width.
///
/// Why it bounds [`number`]: a number piece holds a digit and no space (`wrap::piece_end`), so
/// in one fragment it lies inside one such stretch, and its columns (its normal columns in
/// the fragment's style, rounded up once) are at most the stretch's; over several fragments a
/// piece's columns (each fragment's part rounded up) are at most the cell's one-line width,
/// the sum of each fragment rounded up.
fn numbers_bound(cell: &[Frag<'_>], size: Measure) -> u32 {
    match cell {
        [f] => f.columns_of(f.numbers),
        _ if cell.iter().any(|f| f.numbers > 0) => size.natural,
        _ => 0,
    }
}

/// One row, made printable (a view into [`Rows`]).
#[derive(Debug, Clone, Copy)]
struct Cells<'r, 'a> {
    frags: &'r [Frag<'a>],
    runs: &'r [Placed],
    cells: &'r [CellInfo],
    span: Span,
    kept: Option<Kept<'a>>,
}

impl<'r, 'a> Cells<'r, 'a> {
    /// Number of cells.
    fn len(&self) -> usize {
        self.cells.len()
    }

    /// The fragments of cell `i` (of a row not kept as runs: [`with_frags`]).
    fn cell(&self, i: usize) -> &'r [Frag<'a>] {
        debug_assert!(self.kept.is_none(), "a kept row has runs");
        let c = &self.cells[i];
        &self.frags[c.start as usize..c.end as usize]
    }

    /// The runs of cell `i` of a kept row.
    fn runs(&self, i: usize) -> &'r [Placed] {
        let c = &self.cells[i];
        &self.runs[c.start as usize..c.end as usize]
    }

    /// The columns of the widest number piece of cell `i` ([`number`]).
    fn number(&self, i: usize, encoding: Encoding, chars: &mut Vec<(char, usize, u32)>) -> u32 {
        match self.kept {
            // a kept cell's runs are its fragments: their texts, in their styles
            Some(kept) => number(self.runs(i), kept.doc.all_text(), encoding, chars),
            None => number(self.cell(i), "", encoding, chars),
        }
    }

    /// The measures of cell `i`, taken when it was made printable.
    fn info(&self, i: usize) -> &'r CellInfo {
        &self.cells[i]
    }
}

/// Calls `f` with `row` as fragments: itself, or for a row kept as runs, its fragments made
/// again from the document into `cx.rows` (the fragments [`Rows::push`] made of it: the same
/// runs made printable under the same options; its warnings were reported then).
fn with_frags<'a, R>(
    cx: &mut Cx<'a>,
    row: Cells<'_, 'a>,
    f: impl FnOnce(&mut Cx<'a>, Cells<'_, 'a>) -> R,
) -> R {
    let Some(kept) = row.kept else {
        return f(cx, row);
    };
    let mut rows = std::mem::take(&mut cx.rows);
    rows.clear();
    rows.push(kept.doc, kept.row, cx.opts, None, false);
    let done = f(cx, rows.row(0));
    cx.rows = rows;
    done
}

/// Every table of a document made printable once, in document order, so that measuring the
/// spec columns and laying the tables out read the same fragments.
#[derive(Debug)]
pub(crate) struct Tables<'a> {
    /// The document the tables are in.
    doc: &'a Document,
    rows: Rows<'a>,
    /// Each table, in document order.
    tables: Vec<Prepared<'a>>,
    /// The spec rows' columns, each with its needs over every row laid out under it (measured
    /// as the rows were made printable); their widths are allocated by [`spec_widths`].
    specs: Vec<Spec<'a>>,
}

/// One table of [`Tables`].
#[derive(Debug)]
struct Prepared<'a> {
    table: &'a Table,
    /// The range of its rows in [`Tables::rows`] (empty when `predicted`).
    rows: std::ops::Range<usize>,
    /// The warnings found making its rows printable (reported when the table is laid out,
    /// where they were reported before).
    warnings: Warnings,
    /// Whether each of its rows has one cell per column of its spec row (`Row::fits`; false
    /// without one).
    all_under: bool,
    /// Whether its rows were left out, to be laid at the widths its spec predicts
    /// ([`speculate`]): a table alone under its spec row, with no fit column.
    predicted: bool,
}

/// Makes the rows of every table in `doc` printable (each list allocated once, at its size),
/// and measures the columns of each spec row over the rows laid out under it as it goes;
/// with `speculate`, leaves out the rows of each table whose widths can be predicted
/// ([`speculate::predictable`]): they are measured as they are laid.
///
/// Each spec row's columns are measured cell by cell (the maxima over its rows), row by row as
/// each is made printable (`widen_row`, as `column_needs` does): one pass over the rows, in the
/// order a pass over the made rows would take them (tables in document order, rows in table
/// order), so the needs are the same.
#[inline(never)] // once a table: kept apart for the profiles (`benches/instructions.sh`)
pub(crate) fn prepare<'a>(opts: &LayoutOptions, doc: &'a Document, speculate: bool) -> Tables<'a> {
    let tables = || {
        doc.blocks.iter().filter_map(|b| match b {
            Block::Table(t) => Some(t),
            _ => None,
        })
    };
    let predicted = match speculate {
        true => speculate::predictable(doc, tables()),
        false => Vec::new(),
    };
    let predicted = |k: usize| predicted.get(k).copied().unwrap_or(false);
    // The sizes of the three lists, from each table's first and last rows: a table's rows'
    // cells lie side by side in the document's cells, and their runs in its runs, as bind
    // makes them (so the counts are exact); for another document, a guess the lists grow
    // past or reserve too much by (never more than the document's lists).
    let (mut frags, mut cells, mut rows) = (0, 0, 0);
    let mut count = |list: &[Row]| {
        let (Some(a), Some(b)) = (list.first(), list.last()) else {
            return;
        };
        rows += list.len();
        cells += b.cells.end.saturating_sub(a.cells.start);
        if let (Some(first), Some(last)) = (doc.cells(a).first(), doc.cells(b).last()) {
            frags += last.runs.end.saturating_sub(first.runs.start);
        }
    };
    for (_, t) in tables().enumerate().filter(|&(k, _)| !predicted(k)) {
        count(t.header.as_slice());
        count(doc.rows(t));
    }
    let mut out = Tables {
        doc,
        rows: Rows::with_capacity(doc, frags, cells, rows),
        tables: Vec::with_capacity(tables().count()),
        specs: Vec::new(),
    };
    let mut chars = Vec::new();
    for (k, t) in tables().enumerate() {
        out.add(opts, t, predicted(k), &mut chars);
    }
    out
}

impl<'a> Tables<'a> {
    /// Adds table `t`: its rows made printable and its spec's columns widened by them, or,
    /// when `predicted`, its spec's group only (its needs left to the rows as they are laid).
    fn add(
        &mut self,
        opts: &LayoutOptions,
        t: &'a Table,
        predicted: bool,
        chars: &mut Vec<(char, usize, u32)>,
    ) {
        let doc = self.doc;
        let start = self.rows.rows.len();
        let mut warnings = Warnings::default();
        // The spec's group: a table of rows under a spec is split by any line that is not a
        // row (a note inside the item loop, a rule), and bind gives every table opened under
        // one spec row that row's span; its columns must not move.
        let spec = doc.columns(t).filter(|c| !c.is_empty()).map(|cols| {
            let at = self
                .specs
                .iter()
                .position(|g| g.span == t.span && g.cols == cols);
            let at = at.unwrap_or_else(|| {
                self.specs.push(Spec {
                    span: t.span,
                    cols,
                    needs: vec![Measure::default(); cols.len()],
                    widths: Vec::new(),
                });
                self.specs.len() - 1
            });
            (at, cols)
        });
        let mut all_under = spec.is_some();
        for row in doc.all_rows(t).filter(|_| !predicted) {
            self.rows.push(doc, row, opts, Some(&mut warnings), true);
            let Some((at, cols)) = spec else {
                continue;
            };
            // `Row::fits`: one cell per column; then `widen_row`, cell by cell
            let k = self.rows.rows.len() - 1;
            let r = self.rows.rows[k];
            let made = &self.rows.cells[r.first as usize..r.end as usize];
            if made.len() != cols.len() {
                all_under = false;
                continue;
            }
            let needs = &mut self.specs[at].needs;
            for (i, ((need, info), col)) in needs.iter_mut().zip(made).zip(cols).enumerate() {
                widen_cell(need, col.width, info, || {
                    self.rows.row(k).number(i, opts.encoding, chars)
                });
            }
        }
        self.tables.push(Prepared {
            table: t,
            rows: start..self.rows.rows.len(),
            warnings,
            all_under,
            predicted,
        });
    }
}

/// Widens `need` (a column of kind `kind`) by a cell measured `info` as `widen_row` does, cell
/// by cell: its sizes, then its number (`number`, measured only when its bound passes the
/// column's bound: its fixed width or its widest character so far, this cell's included, or
/// its widest number so far; see [`widen_numbers`]).
#[inline]
fn widen_cell(
    need: &mut Measure,
    kind: ColumnWidth,
    info: &CellInfo,
    number: impl FnOnce() -> u32,
) {
    need.natural = need.natural.max(info.size.natural);
    need.widest = need.widest.max(info.size.widest);
    let bound = match kind {
        ColumnWidth::Fixed(f) => u32::from(f),
        ColumnWidth::Fit | ColumnWidth::Share => need.widest,
    };
    if info.numbers > bound.max(need.number) {
        need.number = need.number.max(number());
    }
}

/// The widths of every spec row of the tables, keyed by the spec's span: allocated once over
/// all the rows, in all the tables, laid out under that spec (their needs measured by
/// [`prepare`]; for a table whose rows were left out, `predicted`, the widths predicted for
/// it).
#[inline(never)] // once a table: kept apart for the profiles (`benches/instructions.sh`)
pub(crate) fn spec_widths<'a>(
    cx: &Cx<'_>,
    tables: &mut Tables<'a>,
) -> Result<Vec<Spec<'a>>, Error> {
    let mut groups = std::mem::take(&mut tables.specs);
    for g in &mut groups {
        g.widths = spec_allocate(cx, g.cols, &mut g.needs)?;
    }
    Ok(groups)
}

impl Tables<'_> {
    /// Whether any table's rows were left out to be laid at predicted widths.
    pub(crate) fn any_predicted(&self) -> bool {
        self.tables.iter().any(|t| t.predicted)
    }
}

/// The columns of one spec row (by its span and columns) and their widths, allocated over
/// every row laid out under it (its `needs`, kept with them: they are allocated once).
#[derive(Debug)]
pub(crate) struct Spec<'a> {
    span: Span,
    cols: &'a [Column],
    needs: Vec<Measure>,
    widths: Vec<u32>,
}

/// Column widths for spec columns `cols` whose cells need `needs`.
fn spec_allocate(cx: &Cx<'_>, cols: &[Column], needs: &mut [Measure]) -> Result<Vec<u32>, Error> {
    let spec_span = cols[0].span.to(cols[cols.len() - 1].span);
    allocate_needs(cx, |i| cols[i].width, needs, spec_span)
}

/// Lays out table number `k` of the document, whose rows `tables` holds made printable (or,
/// for a table left out, `predicted`: laid at its predicted widths, [`speculate::lay`], and
/// when they turn out wrong, taken back and laid as any other, its rows made printable then).
pub(crate) fn table<'a>(
    cx: &mut Cx<'a>,
    table: &Table,
    tables: &mut Tables<'a>,
    k: usize,
) -> Result<(), Error> {
    if tables.tables[k].predicted {
        let doc = tables.doc;
        let t = tables.tables[k].table;
        let mark = cx.frame.mark();
        if speculate::lay(cx, doc, t)? {
            return Ok(());
        }
        cx.frame.truncate_to(mark);
        let mut alone = Tables {
            doc,
            rows: Rows::with_capacity(doc, 0, 0, 0),
            tables: Vec::new(),
            specs: Vec::new(),
        };
        alone.add(cx.opts, t, false, &mut Vec::new());
        let specs = spec_widths(cx, &mut alone)?;
        let specs = std::mem::replace(&mut cx.specs, specs);
        let done = self::table(cx, table, &mut alone, 0);
        cx.specs = specs;
        return done;
    }
    // The warnings of making the rows printable come before any a laid row adds (each table
    // is laid out once: its warnings are moved out).
    cx.warnings
        .push_all(std::mem::take(&mut tables.tables[k].warnings));
    let tables = &*tables;
    let prepared = &tables.tables[k];
    debug_assert!(
        std::ptr::eq(prepared.table, table),
        "tables are laid out in order"
    );
    let specs = std::mem::take(&mut cx.specs);
    let cols = tables.doc.columns(table);
    let range = prepared.rows.clone();
    let done = lay_table(
        cx,
        table,
        cols,
        &tables.rows,
        range,
        &specs,
        prepared.all_under,
    );
    cx.specs = specs;
    done
}

/// [`table`] for a table of `doc` on its own (its rows made printable here).
#[cfg(test)]
fn table_alone<'a>(cx: &mut Cx<'a>, doc: &'a Document, table: &'a Table) -> Result<(), Error> {
    let mut rows = Rows::with_capacity(doc, 0, 0, 0);
    for row in doc.all_rows(table) {
        rows.push(doc, row, cx.opts, Some(&mut cx.warnings), true);
    }
    let specs = std::mem::take(&mut cx.specs);
    let cols = doc.columns(table);
    let all_under = all_under(&rows, cols);
    let done = lay_table(
        cx,
        table,
        cols,
        &rows,
        0..rows.rows.len(),
        &specs,
        all_under,
    );
    cx.specs = specs;
    done
}

/// Whether every row of `rows` has one cell per column of `cols` (false for none), as
/// [`prepare`] finds it (for tables laid out on their own, in tests).
#[cfg(test)]
fn all_under(rows: &Rows<'_>, cols: Option<&[Column]>) -> bool {
    let cols = cols.filter(|c| !c.is_empty());
    cols.is_some_and(|c| (0..rows.rows.len()).all(|k| rows.len_of(k) == c.len()))
}

/// [`table`] once its rows are made printable (`cols`: its spec's columns; `all_under`:
/// whether every row has one cell per column, `Row::fits`).
#[inline(never)] // once a table: kept apart for the profiles (`benches/instructions.sh`)
fn lay_table<'a>(
    cx: &mut Cx<'a>,
    table: &Table,
    cols: Option<&[Column]>,
    rows: &Rows<'a>,
    range: std::ops::Range<usize>,
    specs: &[Spec<'_>],
    all_under: bool,
) -> Result<(), Error> {
    let cols = cols.filter(|c| !c.is_empty());
    // The rule of `Row::fits`: a row with another number of cells than the spec has columns is
    // laid out as if no spec were in force. Bound documents never hold one under a spec; a
    // hand-built document may.
    let under = |k: usize| cols.is_some_and(|c| rows.len_of(k) == c.len());
    let spec: Option<(Cow<'_, [u32]>, &[Column])> = match cols {
        Some(cols) => match specs.iter().find(|g| g.span == table.span) {
            Some(g) => Some((Cow::Borrowed(&g.widths[..]), cols)),
            None => {
                let under_spec = (0..rows.rows.len())
                    .filter(|&k| under(k))
                    .map(|k| rows.row(k));
                let kind = |i: usize| cols[i].width;
                let enc = cx.opts.encoding;
                let mut needs = column_needs(cols.len(), kind, under_spec, enc, &mut Vec::new());
                Some((Cow::Owned(spec_allocate(cx, cols, &mut needs)?), cols))
            }
        },
        None => None,
    };
    // Rows not under the spec share widths by their number of cells; none when every row is
    // under it (`all_under`, known from making them printable: no pass over them here).
    let free = match all_under && spec.is_some() {
        true => Free { shared: Vec::new() },
        false => {
            let free = range.clone().filter(|&k| !under(k)).map(|k| rows.row(k));
            Free::new(cx, free, table.span)?
        }
    };
    let mut k = range.start;
    while k < range.end {
        if let Some((widths, cols)) = &spec {
            // Kept rows on one line, one after another: laid at once.
            let n = lay_kept_rows(cx, rows, k..range.end, widths, |i| cols[i].align);
            if n > 0 {
                k += n;
                continue;
            }
        }
        let row = rows.row(k);
        match &spec {
            Some((widths, cols)) if cols.len() == row.len() => {
                lay_row(cx, row, widths, |i| cols[i].align, true)?;
            }
            _ => free.lay(cx, row)?,
        }
        k += 1;
    }
    Ok(())
}

/// Lays the kept rows of `range` from its start on, as many as can be laid at once, on
/// `widths` (the spec's widths; `align`: its columns' alignments); returns how many (0 when
/// the first cannot be). Each such row is a kept row ([`Kept`]) of one cell per column
/// (`Row::fits`), each cell fitting its column on one line, its text starting where the one
/// before it ends in the document's text. They are laid as [`lay_kept_row`] lays each in
/// turn, at once: their texts copied into the frame as one text (the texts one after
/// another, which `lay_kept_row` copies row by row), their runs at once (they lie one after
/// another in `rows.runs`, row after row: `Rows::push` appends them), each moved to its
/// cell's place, and a line of each row's runs.
fn lay_kept_rows(
    cx: &mut Cx<'_>,
    rows: &Rows<'_>,
    range: std::ops::Range<usize>,
    widths: &[u32],
    align: impl Fn(usize) -> Align,
) -> usize {
    let Some(Some(first)) = rows.rows.get(range.start).map(|r| r.kept) else {
        return 0;
    };
    let mut next = first.start;
    let mut n = 0;
    for r in &rows.rows[range.clone()] {
        let cells = &rows.cells[r.first as usize..r.end as usize];
        match r.kept {
            Some(kept)
                if kept.start == next
                    && cells.len() == widths.len()
                    && (cells.iter().zip(widths)).all(|(c, &width)| c.size.natural <= width) =>
            {
                next = kept.end;
                n += 1;
            }
            _ => break,
        }
    }
    let laid = &rows.rows[range.start..range.start + n];
    let (Some(a), Some(b)) = (laid.first(), laid.last()) else {
        return 0;
    };
    let Some(text) = first
        .doc
        .all_text()
        .get(first.start as usize..next as usize)
    else {
        return 0;
    };
    let place = places(widths, align);
    let to = cx.frame.push_text(text);
    let r0 = rows.cells[a.first as usize].start as usize;
    let r1 = rows.cells[b.end as usize - 1].end as usize;
    let placed = cx
        .frame
        .push_moved_runs(&rows.runs[r0..r1], first.start, to);
    for r in laid {
        let cells = &rows.cells[r.first as usize..r.end as usize];
        for (c, place) in cells.iter().zip(&place) {
            let by = place.by(c.size.natural);
            for run in &mut placed[c.start as usize - r0..c.end as usize - r0] {
                run.col = run.col.saturating_add(by);
            }
        }
    }
    for r in laid {
        let count = rows.cells[r.end as usize - 1].end - rows.cells[r.first as usize].start;
        cx.frame
            .end_line_of(count, LineKind::Text, Align::Left, r.span);
    }
    n
}

/// Where a spec column starts, its width, and how a cell that fits it is moved in it
/// ([`Place::by`]).
#[derive(Debug, Clone, Copy)]
struct Place {
    at: u32,
    width: u32,
    mask: u32,
    shift: u32,
}

impl Place {
    /// The column a cell `natural` wide (at most the column's width) starts at: the column's
    /// start and the cell's free columns (`width - natural`), none when left-aligned, halved
    /// when centred ([`offset`], without a branch).
    #[inline]
    fn by(self, natural: u32) -> u16 {
        to_u16(self.at + (((self.width - natural) & self.mask) >> self.shift))
    }
}

/// The [`Place`] of each column of `widths` (the spec's widths; `align`: its columns'
/// alignments), one column apart.
fn places(widths: &[u32], align: impl Fn(usize) -> Align) -> Vec<Place> {
    (widths.iter().enumerate())
        .scan(0u32, |start, (i, &width)| {
            let at = *start;
            *start = start.saturating_add(width).saturating_add(1);
            let (mask, shift) = match align(i) {
                Align::Left => (0, 0),
                Align::Center => (u32::MAX, 1),
                Align::Right => (u32::MAX, 0),
            };
            Some(Place {
                at,
                width,
                mask,
                shift,
            })
        })
        .collect()
}

/// Rows with no spec row in force: column widths of 3+ cell rows are shared by all rows with
/// that many cells.
struct Free {
    shared: Vec<(usize, Vec<u32>)>,
}

impl Free {
    fn new<'r, 'a: 'r>(
        cx: &Cx<'_>,
        rows: impl Iterator<Item = Cells<'r, 'a>> + Clone,
        span: Span,
    ) -> Result<Free, Error> {
        let mut shared: Vec<(usize, Vec<u32>)> = Vec::new();
        let mut chars = Vec::new();
        for row in rows.clone() {
            let n = row.len();
            if n < 3 || shared.iter().any(|(k, _)| *k == n) {
                continue;
            }
            let kind = |i: usize| {
                if i == 0 {
                    ColumnWidth::Share
                } else {
                    ColumnWidth::Fit
                }
            };
            let same = rows.clone().filter(|r| r.len() == n);
            let mut needs = column_needs(n, kind, same, cx.opts.encoding, &mut chars);
            shared.push((n, allocate_needs(cx, kind, &mut needs, span)?));
        }
        Ok(Free { shared })
    }

    fn lay<'a>(&self, cx: &mut Cx<'a>, row: Cells<'_, 'a>) -> Result<(), Error> {
        let n = row.len();
        let pair;
        let widths: &[u32] = match n {
            0 => {
                cx.text_line(Align::Left, row.span);
                return Ok(());
            }
            1 => {
                pair = [cx.width, 0];
                &pair[..1]
            }
            2 => match pair_widths(cx, row) {
                Some(widths) => {
                    pair = widths;
                    &pair
                }
                None => return with_frags(cx, row, stack_pair),
            },
            _ => self
                .shared
                .iter()
                .find(|(k, _)| *k == n)
                .map_or(&[][..], |(_, w)| w),
        };
        let align = |i: usize| if i == 0 { Align::Left } else { Align::Right };
        lay_row(cx, row, widths, align, false)
    }
}

/// How wide a cell is: on one line, its widest single character, its widest number piece
/// (language §3: a number is never split, so a column holding one wants at least its width).
#[derive(Debug, Clone, Copy, Default)]
struct Measure {
    natural: u32,
    widest: u32,
    number: u32,
}

impl Measure {
    /// Takes the larger of each need (a column needs what its most demanding cell needs).
    fn widen(&mut self, m: Measure) {
        self.natural = self.natural.max(m.natural);
        self.widest = self.widest.max(m.widest);
        self.number = self.number.max(m.number);
    }
}

/// The needs of `n` columns of kinds `kind(0..n)` over the cells of `rows` (a row with fewer
/// cells widens the first ones).
///
/// One pass, row by row ([`widen_row`]): each cell's one-line width and widest character
/// (measured when it was made printable), then its widest number piece, measured only for a
/// cell that could change the allocation ([`widen_numbers`]).
fn column_needs<'r, 'a: 'r>(
    n: usize,
    kind: impl Fn(usize) -> ColumnWidth,
    rows: impl Iterator<Item = Cells<'r, 'a>>,
    encoding: Encoding,
    chars: &mut Vec<(char, usize, u32)>,
) -> Vec<Measure> {
    let mut needs = vec![Measure::default(); n];
    for row in rows {
        widen_row(&mut needs, &kind, row, encoding, chars);
    }
    needs
}

/// Widens `needs` (one per column, of kinds `kind`) by the cells of `row`: their sizes
/// ([`widen_sizes`]), then their numbers where they could matter ([`widen_numbers`], its bound
/// taken from the rows so far: the widest characters only grow, so a cell it skips could not
/// change the allocation once every row is in either).
fn widen_row(
    needs: &mut [Measure],
    kind: impl Fn(usize) -> ColumnWidth,
    row: Cells<'_, '_>,
    encoding: Encoding,
    chars: &mut Vec<(char, usize, u32)>,
) {
    widen_sizes(needs, row);
    widen_numbers(needs, kind, row, encoding, chars);
}

/// Widens the one-line widths and widest characters of `needs` (one per column) by the cells
/// of `row`.
fn widen_sizes(needs: &mut [Measure], row: Cells<'_, '_>) {
    for (i, need) in needs.iter_mut().enumerate().take(row.len()) {
        need.widen(row.info(i).size);
    }
}

/// Widens the number needs of `needs` (one per column, of kinds `kind`, their sizes already
/// widened by this row and the rows before it: [`widen_sizes`]) by the cells of `row`.
///
/// A cell is measured only when its number bound ([`CellInfo::numbers`]: at most its one-line
/// width, often its widest stretch between spaces holding a digit) exceeds `bound`: the
/// column's fixed width (a fixed column) or its widest character so far (a flexible one), or
/// the widest number found so far. This skips nothing [`allocate_needs`] could see: it reads a
/// column's number only as `max(fixed, number)` or `max(widest, number)` (`widest` only ever
/// raised, so the final one is at least the bound), and a cell's number is never more than its
/// number bound; so a skipped cell's number is at most the bound, and leaves those maxima as
/// measuring it would (the tests `skipping_cells_that_cannot_widen_a_number_allocates_the_same`
/// and `a_cells_number_is_within_its_bound` check the two).
fn widen_numbers(
    needs: &mut [Measure],
    kind: impl Fn(usize) -> ColumnWidth,
    row: Cells<'_, '_>,
    encoding: Encoding,
    chars: &mut Vec<(char, usize, u32)>,
) {
    for (i, need) in needs.iter_mut().enumerate().take(row.len()) {
        let bound = match kind(i) {
            ColumnWidth::Fixed(f) => u32::from(f),
            ColumnWidth::Fit | ColumnWidth::Share => need.widest,
        };
        // A cell's number is at most its bound (0 without a digit: no number piece).
        let info = row.info(i);
        if info.numbers > bound.max(need.number) {
            need.number = need.number.max(row.number(i, encoding, chars));
        }
    }
}

/// Widens `needs` (one per column) by the cells of `row`, each measured in full.
#[cfg(test)]
fn widen_all(
    needs: &mut [Measure],
    row: Cells<'_, '_>,
    encoding: Encoding,
    chars: &mut Vec<(char, usize, u32)>,
) {
    for (i, need) in needs.iter_mut().enumerate().take(row.len()) {
        need.widen(measure(row.cell(i), encoding, chars));
    }
}

/// Measures a cell in full; `chars` is room for its characters, needed only when it holds a
/// digit.
#[cfg(test)]
fn measure(cell: &[Frag<'_>], encoding: Encoding, chars: &mut Vec<(char, usize, u32)>) -> Measure {
    Measure {
        number: number(cell, "", encoding, chars),
        ..sizes(cell)
    }
}

/// A cell's one-line width and widest character (its number left at 0).
fn sizes(cell: &[Frag<'_>]) -> Measure {
    let mut m = Measure::default();
    // One line and the widest character come from each fragment's measured size: every
    // character of a fragment has its scale, so its widest is the widest at normal size scaled.
    for f in cell {
        m.natural = m.natural.saturating_add(f.columns());
        m.widest = m.widest.max(f.columns_of(f.size.widest));
    }
    m
}

/// The most bytes of a cell whose characters [`number`] keeps on the stack (a character takes
/// at least one byte, so they fit).
const SMALL_CELL: usize = 48;

/// The columns of a cell's widest number piece (0 without one): `cell` is its fragments, or
/// the runs of a kept row over `text` (the document's text); `chars` is room for its
/// characters, needed only when it holds a digit.
fn number<P: Part>(
    cell: &[P],
    text: &str,
    encoding: Encoding,
    chars: &mut Vec<(char, usize, u32)>,
) -> u32 {
    let mut widest = 0u32;
    // Every number piece holds an ASCII digit: a cell without one has none to measure.
    if !cell.iter().any(Part::digits) {
        return widest;
    }
    // Every character of a fragment is printable, so it takes its encoded columns (1 for
    // ASCII, 2 for any other: `char_columns` of a printable character) at the fragment's scale.
    debug_assert!(
        cell.iter()
            .all(|f| f.text(text).chars().all(|c| printable(c, encoding)))
    );
    let mut widest_piece = |cols: u32| widest = widest.max(cols);
    // One ASCII fragment (a price): its bytes are its characters, each one column.
    if let [f] = cell {
        let t = f.text(text);
        if t.is_ascii() {
            let b = t.as_bytes();
            number_pieces(
                b.len(),
                |k| char::from(b[k]),
                |k, end| {
                    if end > k + 1 {
                        let len = u32::try_from(end - k).unwrap_or(u32::MAX);
                        widest_piece(columns_for_dots(dots_of(f.style(), len)));
                    }
                },
            );
            return widest;
        }
        // One short fragment (a name): its characters alone; a piece's dots are the dots of
        // its encoded columns at the fragment's scale, rounded up once, as below (`dots_of` is
        // linear: a short cell's dots never saturate).
        if t.len() <= SMALL_CELL {
            let mut small = ['\0'; SMALL_CELL];
            let mut n = 0;
            for (slot, c) in small.iter_mut().zip(t.chars()) {
                *slot = c;
                n += 1;
            }
            let chars = &small[..n];
            number_pieces(
                n,
                |k| chars[k],
                |k, end| {
                    if end > k + 1 {
                        let cols = chars[k..end]
                            .iter()
                            .map(|&c| encoded_columns(c, encoding))
                            .sum();
                        widest_piece(columns_for_dots(dots_of(f.style(), cols)));
                    }
                },
            );
            return widest;
        }
    }
    // The characters with their fragment and dots: on the stack for a short cell (most
    // names), else in `chars` (the same list either way).
    let mut small = [('\0', 0usize, 0u32); SMALL_CELL];
    let each = || {
        cell.iter().enumerate().flat_map(|(fi, f)| {
            f.text(text)
                .chars()
                .map(move |c| (c, fi, dots_of(f.style(), encoded_columns(c, encoding))))
        })
    };
    let bytes: usize = cell.iter().map(|f| f.text(text).len()).sum();
    let chars: &[(char, usize, u32)] = if bytes <= SMALL_CELL {
        let mut n = 0;
        for (slot, ch) in small.iter_mut().zip(each()) {
            *slot = ch;
            n += 1;
        }
        &small[..n]
    } else {
        chars.clear();
        chars.reserve(bytes);
        chars.extend(each());
        chars
    };
    // Each number piece: its characters' dots, rounded up per fragment as a line would be.
    number_pieces(
        chars.len(),
        |k| chars[k].0,
        |k, end| {
            if end > k + 1 {
                let mut cols = 0u32;
                let mut dots = 0u32;
                let mut frag = chars[k].1;
                for &(_, fi, d) in &chars[k..end] {
                    if fi != frag {
                        cols = cols.saturating_add(columns_for_dots(dots));
                        dots = 0;
                        frag = fi;
                    }
                    dots = dots.saturating_add(d);
                }
                cols = cols.saturating_add(columns_for_dots(dots));
                widest_piece(cols);
            }
        },
    );
    widest
}

/// A part of a cell, as [`number`] reads it: a fragment, or the run a kept row made of one
/// (the same text, in the same style).
trait Part {
    /// Its text, where `text` is the text a run was made over.
    fn text<'t>(&'t self, text: &'t str) -> &'t str;
    /// Its style.
    fn style(&self) -> Style;
    /// False only when its text holds no ASCII digit (a run does not know: true).
    fn digits(&self) -> bool;
}

impl Part for Frag<'_> {
    fn text<'t>(&'t self, _: &'t str) -> &'t str {
        &self.text
    }
    fn style(&self) -> Style {
        self.style
    }
    fn digits(&self) -> bool {
        self.numbers > 0
    }
}

impl Part for Placed {
    fn text<'t>(&'t self, text: &'t str) -> &'t str {
        text.get(self.text_range()).unwrap_or_default()
    }
    fn style(&self) -> Style {
        self.style
    }
    fn digits(&self) -> bool {
        true
    }
}

/// Dots taken by `columns` normal-size columns in `style` ([`Frag::dots_of`]).
fn dots_of(style: Style, columns: u32) -> u32 {
    style.width.dots(DOTS_PER_COLUMN).saturating_mul(columns)
}

/// Widths of a 2-cell row whose parts share one line: the right cell keeps its natural width,
/// the left one takes the rest. `None` when they cannot share a line (language §3: the right
/// part then moves to its own line, [`stack_pair`]).
fn pair_widths(cx: &Cx<'_>, row: Cells<'_, '_>) -> Option<[u32; 2]> {
    let room = cx.width.saturating_sub(1);
    let l = row.info(0).size.natural;
    let r = row.info(1).size.natural;
    (l.saturating_add(r) <= room).then(|| [room - r, r])
}

/// A 2-cell row whose parts cannot share one line: the left part wraps across the paper, the
/// right part follows right-aligned — on the left part's last line when it fits there (one
/// column apart), else on its own lines. Each label stays with its value.
fn stack_pair(cx: &mut Cx<'_>, row: Cells<'_, '_>) -> Result<(), Error> {
    let w = cx.width;
    let enc = cx.opts.encoding;
    let mut split = Vec::new();
    let left =
        wrap_noting(row.cell(0), w, enc, &mut split).map_err(|e| cell_too_wide(e, 0, w, false))?;
    let right =
        wrap_noting(row.cell(1), w, enc, &mut split).map_err(|e| cell_too_wide(e, 1, w, false))?;
    for span in split {
        cx.warnings.push(
            WarningKind::SplitNumber,
            format!(
                "this number is wider than the paper ({w} columns): it is split over two lines"
            ),
            span,
        );
    }
    let left: Vec<&WrapLine<'_>> = left.iter().filter(|l| !l.runs.is_empty()).collect();
    let last_width = left
        .last()
        .and_then(|l| l.runs.last())
        .map_or(0, |r| u32::from(r.col) + u32::from(r.width));
    let joins = right.len() == 1 && last_width > 0 && last_width + 1 + right[0].width <= w;
    // the left part's lines; the right part on the last of them when it joins it, else after
    let (mut right, rest) = right.split_at(usize::from(joins));
    for (k, l) in left.iter().enumerate() {
        for piece in &l.runs {
            cx.push_piece(piece, 0);
        }
        if k + 1 == left.len() {
            for r in right {
                push_right(cx, r, w);
            }
            right = &[];
        }
        cx.text_line(Align::Left, row.span);
    }
    for r in right.iter().chain(rest) {
        push_right(cx, r, w);
        cx.text_line(Align::Left, row.span);
    }
    Ok(())
}

/// Pushes the runs of `line` right-aligned on a line `w` columns wide.
fn push_right(cx: &mut Cx<'_>, line: &WrapLine<'_>, w: u32) {
    let by = offset(Align::Right, w, line.width);
    for piece in &line.runs {
        cx.push_piece(piece, by);
    }
}

#[cfg(test)]
fn allocate(
    cx: &Cx<'_>,
    kinds: &[ColumnWidth],
    rows: &[Rows<'_>],
    span: Span,
) -> Result<Vec<u32>, Error> {
    let mut needs = vec![Measure::default(); kinds.len()];
    for rows in rows {
        for row in rows.iter() {
            widen_all(&mut needs, row, cx.opts.encoding, &mut Vec::new());
        }
    }
    allocate_needs(cx, |i| kinds[i], &mut needs, span)
}

/// Column widths for the columns `kind(0..needs.len())` whose cells need `needs` (see the
/// module docs).
fn allocate_needs(
    cx: &Cx<'_>,
    kind: impl Fn(usize) -> ColumnWidth,
    needs: &mut [Measure],
    span: Span,
) -> Result<Vec<u32>, Error> {
    let n = needs.len();
    let w = cx.width;
    let gaps = (n as u32).saturating_sub(1);
    let fixed_width = |i: usize| match kind(i) {
        ColumnWidth::Fixed(f) => Some(u32::from(f)),
        _ => None,
    };
    let fixed: u32 = (0..n).filter_map(fixed_width).sum();
    if fixed.saturating_add(gaps) > w {
        return Err(fixed_too_wide(fixed, gaps, w, span));
    }
    let is_fit = |i: &usize| matches!(kind(*i), ColumnWidth::Fit);
    let is_share = |i: &usize| matches!(kind(*i), ColumnWidth::Share);
    let is_flexible = |i: &usize| fixed_width(*i).is_none();
    let mut widths = vec![0u32; n];
    for (i, (width, need)) in widths.iter_mut().zip(needs.iter_mut()).enumerate() {
        match kind(i) {
            ColumnWidth::Fixed(f) => *width = u32::from(f),
            ColumnWidth::Fit => {}
            ColumnWidth::Share => need.widest = need.widest.max(1),
        }
    }
    let need: u32 = (0..n).filter(is_flexible).map(|i| needs[i].widest).sum();
    let need_numbers: u32 = (0..n)
        .filter(is_flexible)
        .map(|i| needs[i].widest.max(needs[i].number))
        .sum();
    // Numbers are never split (language §3): the flexible columns give way first. A fixed
    // column narrower than a number it holds widens to it when the flexible columns can still
    // hold their own numbers; flexible columns keep their numbers whole when there is room; a
    // number that still cannot fit wraps (and layout warns at its cell).
    let grown: u32 = (0..n)
        .map(|i| fixed_width(i).map_or(0, |f| f.max(needs[i].number)))
        .sum();
    let numbers_whole = |needs: &mut [Measure]| {
        for i in (0..n).filter(is_flexible) {
            needs[i].widest = needs[i].widest.max(needs[i].number);
        }
    };
    if grown.saturating_add(gaps).saturating_add(need_numbers) <= w {
        for i in 0..n {
            if fixed_width(i).is_some() {
                widths[i] = widths[i].max(needs[i].number);
            }
        }
        numbers_whole(needs);
    } else if fixed.saturating_add(gaps).saturating_add(need_numbers) <= w {
        numbers_whole(needs);
    }
    let fixed: u32 = (0..n)
        .filter(|i| fixed_width(*i).is_some())
        .map(|i| widths[i])
        .sum();
    let rest = w - fixed - gaps;
    let need: u32 = need.max((0..n).filter(is_flexible).map(|i| needs[i].widest).sum());
    if need > rest {
        return Err(Error::new(
            ErrorKind::Layout,
            format!(
                "the columns need at least {} columns but the paper has {w}",
                w - rest + need
            ),
        )
        .at(span)
        .with_hint("use fewer or narrower fixed columns"));
    }
    let share_min: u32 = (0..n).filter(is_share).map(|i| needs[i].widest).sum();
    let fits = || (0..n).filter(is_fit);
    let left = fit(&mut widths, fits, needs, rest - share_min, w);
    if (0..n).any(|i| is_share(&i)) {
        share(&mut widths, (0..n).filter(is_share), needs, left);
    } else if let Some(first) = fits().next() {
        widths[first] += left;
    }
    Ok(widths)
}

/// The error for fixed columns and gaps wider than the paper.
fn fixed_too_wide(fixed: u32, gaps: u32, w: u32, span: Span) -> Error {
    Error::new(
        ErrorKind::Layout,
        format!(
            "the fixed columns need {} columns ({fixed} plus {gaps} one-column {}) but the \
             paper has {w}",
            fixed + gaps,
            if gaps == 1 { "gap" } else { "gaps" }
        ),
    )
    .at(span)
    .with_hint(format!(
        "make the fixed widths add up to at most {}, or give a column `*` to take what is left",
        w.saturating_sub(gaps)
    ))
}

/// Widths of the fit columns within `budget` (max-min fair, never below their minimum); returns
/// what is left of the budget.
fn fit<I: Iterator<Item = usize>>(
    widths: &mut [u32],
    fits: impl Fn() -> I,
    needs: &[Measure],
    budget: u32,
    w: u32,
) -> u32 {
    // The highest level L with sum(clamp(natural, min, L)) <= budget.
    let at = |level: u32, i: usize| needs[i].natural.min(level).max(needs[i].widest);
    let total = |level: u32| fits().map(|i| at(level, i)).sum::<u32>();
    let (mut lo, mut hi) = (0u32, w);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if total(mid) <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    for i in fits() {
        widths[i] = at(lo, i);
    }
    // Columns still short of their natural width get the odd columns, leftmost first.
    let mut left = budget - total(lo);
    for i in fits() {
        if left > 0 && widths[i] < needs[i].natural {
            widths[i] += 1;
            left -= 1;
        }
    }
    left
}

/// Share columns: their minimums, then `left` split evenly (always widen the narrowest,
/// leftmost first).
fn share(
    widths: &mut [u32],
    shares: impl Iterator<Item = usize> + Clone,
    needs: &[Measure],
    left: u32,
) {
    for i in shares.clone() {
        widths[i] = needs[i].widest;
    }
    // Fast path: one share column is always the narrowest, so it takes all of `left` (what the
    // loop below gives it a column at a time).
    let mut each = shares.clone();
    if let (Some(i), None) = (each.next(), each.next()) {
        widths[i] += left;
        return;
    }
    for _ in 0..left {
        if let Some(i) = shares.clone().min_by_key(|&i| (widths[i], i)) {
            widths[i] += 1;
        }
    }
}

/// Lays one row on `widths`: each cell wraps in its column, aligned (`align` of its index);
/// the row grows downward.
fn lay_row<'a>(
    cx: &mut Cx<'a>,
    row: Cells<'_, 'a>,
    widths: &[u32],
    align: impl Fn(usize) -> Align,
    spec: bool,
) -> Result<(), Error> {
    let n = row.len().min(widths.len());
    match row.kept {
        Some(kept) => {
            if n == row.len() && lay_kept_row(cx, row, kept, widths, &align) {
                return Ok(());
            }
            with_frags(cx, row, |cx, row| {
                lay_row_frags(cx, row, widths, align, spec, n)
            })
        }
        None => lay_row_frags(cx, row, widths, align, spec, n),
    }
}

/// Lays a kept row (`kept`) on one line when each of its cells fits its column on one line:
/// its text copied into the frame once, each run moved to its cell's place (the runs and the
/// text that [`lay_row_on_one_line`] pushes for its fragments: each cell is on one line whole,
/// [`push_whole`], as it fits, for none ends in a space; its runs are those `push_whole`
/// makes from column 0; and the copied text is the fragments' texts one after another, which
/// `push_whole` appends one by one). Returns false, having laid nothing, when a cell needs more
/// lines.
fn lay_kept_row(
    cx: &mut Cx<'_>,
    row: Cells<'_, '_>,
    kept: Kept<'_>,
    widths: &[u32],
    align: impl Fn(usize) -> Align,
) -> bool {
    if (row.cells.iter().zip(widths)).any(|(c, &width)| c.size.natural > width) {
        return false;
    }
    let Some(text) = kept
        .doc
        .all_text()
        .get(kept.start as usize..kept.end as usize)
    else {
        return false;
    };
    let to = cx.frame.push_text(text);
    // The row's cells' runs lie one after another in `row.runs` (`Rows::push_kept` pushes
    // them cell by cell): copied at once, then each cell's moved to its place.
    let (Some(first), Some(last)) = (row.cells.first(), row.cells.last()) else {
        cx.text_line(Align::Left, row.span);
        return true;
    };
    let runs = &row.runs[first.start as usize..last.end as usize];
    let placed = cx.frame.push_moved_runs(runs, kept.start, to);
    let mut start = 0u32;
    for (i, (c, &width)) in row.cells.iter().zip(widths).enumerate() {
        let by = to_u16(start + offset(align(i), width, c.size.natural));
        for run in &mut placed[(c.start - first.start) as usize..(c.end - first.start) as usize] {
            run.col = run.col.saturating_add(by);
        }
        start = start.saturating_add(width).saturating_add(1);
    }
    cx.text_line(Align::Left, row.span);
    true
}

/// [`lay_row`] of a row of fragments, on its first `n` cells.
fn lay_row_frags(
    cx: &mut Cx<'_>,
    row: Cells<'_, '_>,
    widths: &[u32],
    align: impl Fn(usize) -> Align,
    spec: bool,
    n: usize,
) -> Result<(), Error> {
    if lay_row_on_one_line(cx, row, widths, &align, n) {
        return Ok(());
    }
    let mut starts = Vec::with_capacity(widths.len());
    let mut col = 0u32;
    for w in widths {
        starts.push(col);
        col = col.saturating_add(*w).saturating_add(1);
    }
    let mut cells = Vec::with_capacity(n);
    for (i, &width) in widths.iter().enumerate().take(n) {
        let mut split = Vec::new();
        let lines = wrap_noting(row.cell(i), width, cx.opts.encoding, &mut split)
            .map_err(|e| cell_too_wide(e, i, width, spec))?;
        for span in split {
            cx.warnings.push(
                WarningKind::SplitNumber,
                format!(
                    "this number is wider than column {} ({} columns) and no other column can \
                     give way: it is split over two lines",
                    i + 1,
                    width
                ),
                span,
            );
        }
        cells.push(lines);
    }
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    for k in 0..height {
        for (i, lines) in cells.iter().enumerate() {
            if let Some(line) = lines.get(k) {
                let by = starts[i] + offset(align(i), widths[i], line.width);
                for piece in &line.runs {
                    cx.push_piece(piece, by);
                }
            }
        }
        cx.text_line(Align::Left, row.span);
    }
    Ok(())
}

/// Lays `row` on one line when each of its first `n` cells fits its column on one line (the
/// common case): each cell placed as `wrap_noting` would place its only line. Returns false,
/// having laid nothing, when a cell needs more lines.
fn lay_row_on_one_line(
    cx: &mut Cx<'_>,
    row: Cells<'_, '_>,
    widths: &[u32],
    align: impl Fn(usize) -> Align,
    n: usize,
) -> bool {
    let mut start = 0u32;
    for (i, &width) in widths.iter().enumerate().take(n) {
        let cell = row.cell(i);
        let natural = row.info(i).size.natural;
        let Some(one) = one_line_of(cell, natural, width) else {
            // the cells before it were pushed: take them back
            cx.frame.discard_open();
            return false;
        };
        let by = start + offset(align(i), width, one.width);
        if one.is_whole(cell) {
            push_whole(cx, cell, by);
        } else {
            for piece in one.pieces(cell) {
                cx.push_piece(&piece, by);
            }
        }
        start = start.saturating_add(width).saturating_add(1);
    }
    cx.text_line(Align::Left, row.span);
    true
}

/// Pushes every fragment of `cell` from column `by`: what [`OneLine::pieces`] gives, shifted by
/// `by`, for a line of the whole cell ([`OneLine::is_whole`]: each piece is a fragment's whole
/// text at its whole width, empty fragments left out), without building the pieces.
fn push_whole(cx: &mut Cx<'_>, cell: &[Frag<'_>], by: u32) {
    let mut col = 0u32;
    for f in cell {
        if f.text.is_empty() {
            continue;
        }
        let columns = f.columns();
        cx.frame.push_run(PlacedText {
            col: to_u16(col).saturating_add(to_u16(by)),
            width: to_u16(columns),
            text: &f.text,
            style: f.style,
            origin: f.origin,
            span: f.span,
        });
        col = col.saturating_add(columns);
    }
}

fn cell_too_wide(e: TooWide, index: usize, width: u32, spec: bool) -> Error {
    let hint = if spec {
        format!(
            "widen column {} in the spec row to at least {} (or leave its width out to fit the \
             content)",
            index + 1,
            e.columns
        )
    } else {
        "use a wider paper or fewer cells in this row".to_string()
    };
    Error::new(
        ErrorKind::Layout,
        format!(
            "`{}` is {} columns wide but column {} is {width} wide",
            e.ch,
            e.columns,
            index + 1
        ),
    )
    .at(e.span)
    .with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{JobSettings, Origin, Style};
    use crate::frame::{Frame, Item, LayoutOptions};

    fn cx(opts: &LayoutOptions) -> Cx<'_> {
        Cx::new(opts)
    }

    fn cells(texts: &[&str]) -> Rows<'static> {
        let mut rows = Rows::default();
        for t in texts {
            let start = rows.frags.len();
            rows.frags
                .push(Frag::new(t, Style::PLAIN, Origin::Data, Span::default()));
            rows.close_cell(start);
        }
        rows.rows.push(RowInfo {
            first: 0,
            end: index(texts.len()),
            span: Span::default(),
            kept: None,
        });
        rows
    }

    /// A cell of data fragments, each `(text, scale)` with scale 0, 1, 2 = ×1, ×1.33, ×2.
    fn scaled_cell(pieces: &[(String, usize)]) -> Vec<Frag<'static>> {
        use crate::document::Scale;
        pieces
            .iter()
            .map(|(text, scale)| {
                let scale = [Scale::X1, Scale::X4_3, Scale::X2][*scale];
                let style = Style {
                    width: scale,
                    height: scale,
                    bold: false,
                };
                Frag::new(text, style, Origin::Data, Span::default())
            })
            .collect()
    }

    /// What `measure` computes, character by character (as it was before fragments carried
    /// their size): the reference its shortcuts are checked against.
    fn measure_by_chars(cell: &[Frag<'_>]) -> (u32, u32, u32) {
        use crate::measure::char_dots;
        let (mut natural, mut widest, mut number) = (0u32, 0u32, 0u32);
        let mut chars = Vec::new();
        for (fi, f) in cell.iter().enumerate() {
            let mut dots = 0u32;
            for c in f.text.chars() {
                let d = char_dots(c, f.style.width, Encoding::Gbk);
                widest = widest.max(columns_for_dots(d));
                dots = dots.saturating_add(d);
                chars.push((c, fi, d));
            }
            natural = natural.saturating_add(columns_for_dots(dots));
        }
        let plain: Vec<char> = chars.iter().map(|c| c.0).collect();
        let glued = super::super::wrap::glue(&plain);
        let mut k = 0;
        while k < chars.len() {
            let mut end = k + 1;
            while end < chars.len() && glued[end] {
                end += 1;
            }
            if end > k + 1 {
                let (mut cols, mut dots, mut frag) = (0u32, 0u32, chars[k].1);
                for &(_, fi, d) in &chars[k..end] {
                    if fi != frag {
                        cols = cols.saturating_add(columns_for_dots(dots));
                        dots = 0;
                        frag = fi;
                    }
                    dots = dots.saturating_add(d);
                }
                number = number.max(cols.saturating_add(columns_for_dots(dots)));
            }
            k = end;
        }
        (natural, widest, number)
    }

    proptest::proptest! {
        #[test]
        fn measuring_a_cell_from_fragment_sizes_equals_measuring_its_characters(
            pieces in proptest::collection::vec(
                ("[ a-z0-9.,%￥+\\-（）元好码·]{0,8}", 0..3usize),
                0..4,
            ),
        ) {
            let cell = scaled_cell(&pieces);
            let m = measure(&cell, Encoding::Gbk, &mut Vec::new());
            proptest::prop_assert_eq!((m.natural, m.widest, m.number), measure_by_chars(&cell));
        }
    }

    proptest::proptest! {
        /// A cell on one line whole is pushed fragment by fragment: the runs `OneLine::pieces`
        /// would push.
        #[test]
        fn pushing_a_whole_cell_equals_pushing_its_pieces(
            pieces in proptest::collection::vec(
                ("[ a-z0-9.,%￥（）元好码·]{0,8}", 0..3usize),
                0..4,
            ),
            width in 0u32..40,
            by in 0u32..8,
        ) {
            let cell = scaled_cell(&pieces);
            let natural = sizes(&cell).natural;
            if let Some(one) = one_line_of(&cell, natural, width).filter(|o| o.is_whole(&cell)) {
                let o = opts(48);
                let (mut whole, mut each) = (cx(&o), cx(&o));
                push_whole(&mut whole, &cell, by);
                for piece in one.pieces(&cell) {
                    each.push_piece(&piece, by);
                }
                whole.text_line(Align::Left, Span::default());
                each.text_line(Align::Left, Span::default());
                proptest::prop_assert_eq!(whole.frame, each.frame);
            }
        }
    }

    /// A run of a test cell: its text, origin and style (as `lay_kept_or_not` reads them).
    pub(super) type RunSpec = (String, u8, usize);

    /// Adds `row` to `b` (each cell its runs: text, origin 0/1, style 0/1/2/3 = ×1, ×1.33,
    /// ×2, bold) and returns it.
    pub(super) fn build_row(b: &mut crate::document::Builder, row: &[Vec<RunSpec>]) -> Row {
        use crate::document::Scale;
        for cell in row {
            for (text, origin, scale) in cell {
                let bold = *scale == 3;
                let scale = [Scale::X1, Scale::X4_3, Scale::X2, Scale::X1][*scale];
                let style = Style {
                    width: scale,
                    height: scale,
                    bold,
                };
                let origin = [Origin::Data, Origin::Template][usize::from(*origin)];
                b.run(text, style, origin, Span::new(0, 1, 2));
            }
            b.cell(Span::default());
        }
        b.row(Span::default())
    }

    /// Spec columns of `kinds` (0 fit, 1 share, else fixed at the given width), aligned left,
    /// centre, right in turn, at `span`.
    pub(super) fn spec_columns(kinds: &[(usize, u16)], span: Span) -> Vec<Column> {
        (kinds.iter().enumerate())
            .map(|(i, &(k, f))| Column {
                align: [Align::Left, Align::Center, Align::Right][i % 3],
                width: match k {
                    0 => ColumnWidth::Fit,
                    1 => ColumnWidth::Share,
                    _ => ColumnWidth::Fixed(f),
                },
                span,
            })
            .collect()
    }

    /// Options for a paper `paper` wide whose printer has no ×2 when `narrow_styles` (so that
    /// ×2 is degraded and reported).
    pub(super) fn styled_opts(paper: u16, narrow_styles: bool) -> LayoutOptions {
        let mut o = opts(paper);
        if narrow_styles {
            o.styles = crate::frame::StyleSupport {
                wide2: false,
                tall2: false,
                ..crate::frame::StyleSupport::ALL
            };
        }
        o
    }

    /// A table of `rows` (each cell its runs: text, origin 0/1, style 0/1/2/3 = ×1, ×1.33, ×2,
    /// bold) under `columns` (or none), laid on a paper `paper` wide (whose printer has no ×2
    /// when `narrow_styles`, so that ×2 is degraded and reported), with its rows kept as runs
    /// where they can be (`keep`) or all as fragments: the frame and the warnings, or the error.
    fn lay_kept_or_not(
        rows: &[Vec<Vec<RunSpec>>],
        columns: Option<&[Column]>,
        (paper, narrow_styles): (u16, bool),
        keep: bool,
    ) -> String {
        let mut b = crate::document::Builder::new();
        let made: Vec<Row> = rows.iter().map(|row| build_row(&mut b, row)).collect();
        b.table(columns, None, &made, Span::new(0, 3, 4));
        let doc = b.finish();
        let Block::Table(t) = &doc.blocks[0] else {
            unreachable!()
        };
        let o = styled_opts(paper, narrow_styles);
        let mut c = cx(&o);
        let mut rows = if keep {
            Rows::with_capacity(&doc, 0, 0, 0)
        } else {
            Rows::default()
        };
        for row in doc.all_rows(t) {
            rows.push(&doc, row, &o, Some(&mut c.warnings), keep);
        }
        let cols = doc.columns(t);
        let all_under = all_under(&rows, cols);
        let done = lay_table(&mut c, t, cols, &rows, 0..rows.rows.len(), &[], all_under);
        let warnings = std::mem::take(&mut c.warnings).into_vec();
        format!("{done:?} {:?} {warnings:?}", c.frame)
    }

    #[test]
    fn rows_of_the_documents_text_side_by_side_are_kept_as_runs() {
        let mut b = crate::document::Builder::new();
        b.run("宫保鸡丁", Style::PLAIN, Origin::Data, Span::default())
            .cell(Span::default());
        b.run("x", Style::PLAIN, Origin::Template, Span::default())
            .run("2", Style::PLAIN, Origin::Data, Span::default())
            .cell(Span::default());
        let kept = b.row(Span::default());
        b.run("a\u{1}", Style::PLAIN, Origin::Data, Span::default())
            .cell(Span::default());
        let replaced = b.row(Span::default());
        b.run("ab ", Style::PLAIN, Origin::Data, Span::default())
            .cell(Span::default());
        let spaced = b.row(Span::default());
        b.table(None, None, &[kept, replaced, spaced], Span::default());
        let doc = b.finish();
        let Block::Table(t) = &doc.blocks[0] else {
            unreachable!()
        };
        let o = opts(32);
        let mut rows = Rows::with_capacity(&doc, 0, 0, 0);
        for row in doc.all_rows(t) {
            rows.push(&doc, row, &o, None, true);
        }
        let kept: Vec<bool> = rows.rows.iter().map(|r| r.kept.is_some()).collect();
        assert_eq!(kept, [true, false, false]);
        assert_eq!((rows.runs.len(), rows.frags.len()), (3, 2));
        let texts = ["宫保鸡丁", "x", "2"];
        for (run, text) in rows.runs.iter().zip(texts) {
            assert_eq!(Part::text(run, doc.all_text()), text);
        }
    }

    proptest::proptest! {
        /// Rows kept as runs lay out as rows of fragments do: the same frame, buffers
        /// included (so the same text copied in the same order), the same warnings and
        /// errors; for rows on one line, rows that wrap, pairs that stack, numbers measured
        /// from runs, and rows that cannot be kept (replaced characters, joined fragments).
        #[test]
        fn rows_kept_as_runs_lay_out_as_their_fragments(
            rows in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::collection::vec(
                        ("[ a-z0-9.￥元好（）\u{1}😀]{0,7}", 0..2u8, 0..4usize),
                        0..3,
                    ),
                    1..4,
                ),
                1..5,
            ),
            spec in proptest::option::of(proptest::collection::vec((0..3usize, 1u16..9), 3)),
            paper in 8u16..40,
            narrow_styles in proptest::bool::ANY,
        ) {
            let columns: Option<Vec<Column>> = spec.map(|kinds| spec_columns(&kinds, Span::default()));
            let columns = columns.as_deref();
            proptest::prop_assert_eq!(
                lay_kept_or_not(&rows, columns, (paper, narrow_styles), true),
                lay_kept_or_not(&rows, columns, (paper, narrow_styles), false)
            );
        }
    }

    proptest::proptest! {
        /// A cell's number bound (`CellInfo::numbers`) is never less than its number, is 0
        /// only for a cell with no number, and is the same for a row kept as runs as for the
        /// row made into fragments.
        #[test]
        fn a_cells_number_is_within_its_bound(
            row in proptest::collection::vec(
                proptest::collection::vec(("[ a-z0-9.￥元好（）]{0,9}", 0..2u8, 0..4usize), 0..3),
                1..4,
            ),
        ) {
            use crate::document::Scale;
            let mut b = crate::document::Builder::new();
            for cell in &row {
                for (text, origin, scale) in cell {
                    let style = Style {
                        width: [Scale::X1, Scale::X4_3, Scale::X2, Scale::X1][*scale],
                        height: Scale::X1,
                        bold: *scale == 3,
                    };
                    let origin = [Origin::Data, Origin::Template][usize::from(*origin)];
                    b.run(text, style, origin, Span::new(0, 1, 2));
                }
                b.cell(Span::default());
            }
            let made = b.row(Span::default());
            b.table(None, None, &[made], Span::default());
            let doc = b.finish();
            let Block::Table(t) = &doc.blocks[0] else {
                unreachable!()
            };
            let o = opts(32);
            let (mut kept, mut frags) = (Rows::with_capacity(&doc, 0, 0, 0), Rows::default());
            for r in doc.all_rows(t) {
                kept.push(&doc, r, &o, None, true);
                frags.push(&doc, r, &o, None, false);
            }
            let (k, f) = (kept.row(0), frags.row(0));
            for i in 0..f.len() {
                let n = number(f.cell(i), "", Encoding::Gbk, &mut Vec::new());
                let bound = f.info(i).numbers;
                proptest::prop_assert!(n <= bound, "{n} > {bound}");
                proptest::prop_assert_eq!(bound == 0, !f.cell(i).iter().any(|p| p.text.bytes().any(|b| b.is_ascii_digit())));
                if k.kept.is_some() {
                    proptest::prop_assert_eq!(k.info(i).numbers, bound);
                }
            }
        }
    }

    proptest::proptest! {
        /// `column_needs` skips measuring numbers that cannot change the allocation: the
        /// widths (or the error) are those of measuring every cell in full.
        #[test]
        fn skipping_cells_that_cannot_widen_a_number_allocates_the_same(
            kinds in proptest::collection::vec((0..3usize, 1u16..12), 3),
            texts in proptest::collection::vec(
                proptest::collection::vec("[ a-z0-9.,%￥+\\-（）元好码·]{0,12}", 3),
                1..6,
            ),
            columns in 8u16..48,
        ) {
            let o = opts(columns);
            let c = cx(&o);
            let kinds: Vec<ColumnWidth> = kinds
                .iter()
                .map(|&(k, f)| match k {
                    0 => ColumnWidth::Fit,
                    1 => ColumnWidth::Share,
                    _ => ColumnWidth::Fixed(f),
                })
                .collect();
            let rows: Vec<Rows<'static>> = texts
                .iter()
                .map(|r| cells(&r.iter().map(String::as_str).collect::<Vec<_>>()))
                .collect();
            let full = allocate(&c, &kinds, &rows, Span::default());
            let mut lazy = column_needs(
                kinds.len(),
                |i| kinds[i],
                rows.iter().map(|r| r.row(0)),
                Encoding::Gbk,
                &mut Vec::new(),
            );
            let lazy = allocate_needs(&c, |i| kinds[i], &mut lazy, Span::default());
            proptest::prop_assert_eq!(format!("{full:?}"), format!("{lazy:?}"));
        }
    }

    fn opts(columns: u16) -> LayoutOptions {
        LayoutOptions {
            columns,
            ..LayoutOptions::default()
        }
    }

    #[test]
    fn fit_columns_shrink_evenly_when_they_do_not_fit() {
        let o = opts(32);
        let c = cx(&o);
        let a = "a".repeat(30);
        let b = "b".repeat(10);
        let rows = [cells(&[&a, &b])];
        let kinds = [ColumnWidth::Fit, ColumnWidth::Fit];
        // 31 columns for both: the short one keeps its 10, the long one gets the rest
        assert_eq!(
            allocate(&c, &kinds, &rows, Span::default()).unwrap(),
            [21, 10]
        );
        let rows = [cells(&[&"x".repeat(20), &"y".repeat(20)])];
        // two equal claims on 31 columns: 16 + 15, the odd column to the left
        assert_eq!(
            allocate(&c, &kinds, &rows, Span::default()).unwrap(),
            [16, 15]
        );
    }

    #[test]
    fn one_share_column_takes_what_is_left_as_the_loop_gives_it() {
        for (widest, left) in [(0, 0), (1, 0), (2, 7), (5, 31), (0, 200)] {
            let needs = [
                Measure::default(),
                Measure {
                    widest,
                    ..Measure::default()
                },
            ];
            let mut fast = [3, 0];
            share(&mut fast, 1..2, &needs, left);
            // the loop, a column at a time
            let mut slow = [3, widest];
            for _ in 0..left {
                if let Some(i) = (1..2).min_by_key(|&i| (slow[i], i)) {
                    slow[i] += 1;
                }
            }
            assert_eq!(fast, slow);
        }
    }

    #[test]
    fn shares_split_evenly_above_their_widest_character() {
        let o = opts(8);
        let c = cx(&o);
        let rows = [cells(&["ab", "你"])];
        let kinds = [ColumnWidth::Share, ColumnWidth::Share];
        // 7 columns: minimums 1 and 2, then always the narrowest gets the next column
        assert_eq!(
            allocate(&c, &kinds, &rows, Span::default()).unwrap(),
            [4, 3]
        );
    }

    #[test]
    fn columns_that_cannot_hold_their_widest_character_are_an_error() {
        let o = opts(8);
        let c = cx(&o);
        let rows = [cells(&["1", "你"])];
        let kinds = [ColumnWidth::Fixed(6), ColumnWidth::Fit];
        let err = allocate(&c, &kinds, &rows, Span::new(0, 4, 9)).unwrap_err();
        assert_eq!(
            err.message(),
            "the columns need at least 9 columns but the paper has 8"
        );
        assert_eq!(err.span(), Some(Span::new(0, 4, 9)));
    }

    /// A document of one table of the one row of data cells `texts`, under 4 columns or none.
    fn table_of(texts: &[&str], columns: Option<&[Column]>) -> Document {
        let mut b = crate::document::Builder::new();
        for t in texts {
            b.run(t, Style::PLAIN, Origin::Data, Span::default())
                .cell(Span::default());
        }
        let row = b.row(Span::default());
        b.table(columns, None, &[row], Span::default());
        b.finish()
    }

    #[test]
    fn a_hand_built_row_that_does_not_fit_the_spec_is_laid_out_as_without_one() {
        let o = opts(32);
        let column = Column {
            align: Align::Center,
            width: ColumnWidth::Fixed(6),
            span: Span::default(),
        };
        let lay = |d: &Document| {
            let mut c = cx(&o);
            let Block::Table(t) = &d.blocks[0] else {
                unreachable!()
            };
            table_alone(&mut c, d, t).unwrap();
            c.frame
        };
        let odd: [&[&str]; 3] = [&["合计", "¥88.00"], &["a", "b", "c"], &["one"]];
        for r in odd {
            let under = table_of(r, Some(&[column; 4]));
            let free = table_of(r, None);
            assert_eq!(lay(&under), lay(&free));
        }
    }

    /// Each line of `frame`: its runs' columns and texts.
    fn shown(frame: &Frame) -> Vec<Vec<(u16, String)>> {
        frame
            .items()
            .iter()
            .map(|i| match i {
                Item::Line(l) => frame.placed(l).map(|r| (r.col, r.text.into())).collect(),
                _ => Vec::new(),
            })
            .collect()
    }

    /// A row whose last cell wraps: the one-line attempt pushed the cells before it and took
    /// them back, and the row is what the general path makes of it, line by line.
    #[test]
    fn a_row_that_needs_more_lines_is_laid_by_the_general_path_only() {
        let o = opts(16);
        let mut c = cx(&o);
        let row = cells(&["ab", "一二三四五六"]);
        lay_row(&mut c, row.row(0), &[4, 6], |_| Align::Left, true).unwrap();
        let shown = shown(&c.frame);
        assert_eq!(
            shown,
            vec![
                vec![(0, "ab".to_string()), (5, "一二三".to_string())],
                vec![(5, "四五六".to_string())],
            ]
        );
        // nothing but those runs' text in the frame (the taken-back "ab" is gone)
        let mut again = Frame::new(16, Encoding::Gbk, JobSettings::default());
        again.extend_from(&c.frame, 0..2);
        assert_eq!(format!("{again:?}"), format!("{:?}", c.frame));
    }

    #[test]
    fn two_cells_share_a_line_when_they_can_and_stack_when_they_cannot() {
        let o = opts(32);
        let mut c = cx(&o);
        assert_eq!(
            pair_widths(&c, cells(&["合计", "￥88.00"]).row(0)),
            Some([24, 7])
        );
        let long_l = "长".repeat(20);
        let long_r = "r".repeat(30);
        assert_eq!(pair_widths(&c, cells(&[&long_l, &long_r]).row(0)), None);
        // two long parts: the label wraps across the paper, the value follows right-aligned
        // on its own line, so it ends at the edge right under its label
        stack_pair(&mut c, cells(&[&long_l, &long_r]).row(0)).unwrap();
        let shown = shown(&c.frame);
        assert_eq!(
            shown,
            vec![
                vec![(0, "长".repeat(16))],
                vec![(0, "长".repeat(4))],
                vec![(2, long_r.clone())],
            ]
        );
        // a long label with a short price: the price ends the label's last line
        let mut c = cx(&o);
        stack_pair(&mut c, cells(&[&long_l, "9.50"]).row(0)).unwrap();
        let Item::Line(last) = &c.frame.items()[1] else {
            panic!()
        };
        assert_eq!(
            c.frame
                .placed(last)
                .map(|r| (r.col, r.text))
                .collect::<Vec<_>>(),
            [(0, "长长长长"), (28, "9.50")]
        );
    }

    #[test]
    fn numbers_are_never_split_while_a_flexible_column_can_give_way() {
        let o = opts(32);
        let c = cx(&o);
        let kinds = [ColumnWidth::Share, ColumnWidth::Fixed(6)];
        // the fixed 6 grows to hold the 10-column money, the share column gives way
        let rows = [cells(&["商品", "-￥1234.50"]), cells(&["x", "12345.68"])];
        assert_eq!(
            allocate(&c, &kinds, &rows, Span::default()).unwrap(),
            [21, 10]
        );
        // no column can give way: the fixed widths stay, the number will wrap
        let kinds = [ColumnWidth::Fixed(25), ColumnWidth::Fixed(6)];
        assert_eq!(
            allocate(&c, &kinds, &rows, Span::default()).unwrap(),
            [25, 6]
        );
    }
}
