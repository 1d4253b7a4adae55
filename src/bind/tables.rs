//! Grouping rows into tables (after loops have unrolled, so rows produced by a loop join the
//! table of the spec row above them).

use crate::document::{Block, Builder, Row, Slice, Table};
use crate::span::Span;

/// What a line produced.
pub(super) enum Piece {
    /// Any block that is not a row.
    Block(Block),
    /// A row of cells (its cells already in the document).
    Row(Row),
    /// A spec row: its columns (already in the document) and span.
    Spec(Slice, Span),
}

/// Whether a row of `cells` cells joins the open table `t` as it is: it has a last row, the
/// last of the document's rows, of as many cells (the next item's). The open table's rows all
/// have one number of cells: under a spec, the spec's (which the table was opened with: a new
/// spec closes it), so the row fits the spec in force; without one, its first row's, and the
/// row does not fit the spec in force (had it, the table would have been opened with the
/// spec).
#[inline]
fn joins(t: &Table, cells: usize, doc: &Builder) -> bool {
    let last = t.rows.end.checked_sub(1).filter(|&l| l >= t.rows.start);
    last.filter(|_| t.rows.end == doc.rows_len())
        .is_some_and(|last| doc.rows_at(Slice::new(last, t.rows.end))[0].cells.len() == cells)
}

/// Groups pieces into blocks, one at a time as the lines produce them (no list of pieces in
/// between): a spec row opens a table whose header is the row directly above it (when it has
/// as many cells as the spec has columns); rows join the open table; any other
/// block closes the table but does **not** end the spec (language §3: a note printed inside an
/// item loop, a rule or a heading between rows leaves the spec in force until the next spec
/// row). Every table opened under one spec carries that spec's span, so layout gives them all
/// the same column widths.
///
/// The one rule for rows and specs lives here: a row with a different number of cells than the
/// spec in force is grouped as a row with no spec (it closes the spec's table; the spec stays in
/// force, and the next row that fits it opens a new table under the same columns). Rows without a
/// spec group while they have the same number of cells.
#[derive(Default)]
pub(super) struct Assembler {
    /// The table being filled: its body rows are the last of the document's rows.
    open: Option<Table>,
    /// The spec row in force: its columns and span.
    spec: Option<(Slice, Span)>,
}

impl Assembler {
    /// Adds the open table to `doc`, closed.
    pub(super) fn finish(mut self, doc: &mut Builder) {
        self.flush(doc);
    }

    /// Closes the open table (kept when it has anything in it).
    fn flush(&mut self, doc: &mut Builder) {
        if let Some(t) = self.open.take() {
            if t.header.is_some() || !t.rows.is_empty() || t.columns.is_some() {
                doc.block(Block::Table(t));
            }
        }
    }

    /// Adds the next piece, as it is produced (the grouping needs only what came before).
    pub(super) fn push(&mut self, piece: Piece, doc: &mut Builder) {
        match piece {
            Piece::Block(b) => {
                self.flush(doc);
                doc.block(b);
            }
            Piece::Spec(columns, span) => {
                let header = match &mut self.open {
                    Some(t)
                        if doc
                            .rows_at(t.rows)
                            .last()
                            .is_some_and(|r| r.fits(doc.columns_at(columns))) =>
                    {
                        // The open table's rows are the last rows: its last is the list's.
                        debug_assert_eq!(t.rows.end, doc.rows_len());
                        t.rows.end -= 1;
                        doc.pop_row()
                    }
                    _ => None,
                };
                self.flush(doc);
                let at = doc.rows_len();
                self.open = Some(Table {
                    columns: Some(columns),
                    header,
                    rows: Slice::new(at, at),
                    span,
                });
                self.spec = Some((columns, span));
            }
            Piece::Row(row) => self.push_row(row, doc),
        }
    }

    /// [`Assembler::push`] of a row.
    #[inline]
    pub(super) fn push_row(&mut self, row: Row, doc: &mut Builder) {
        match &mut self.open {
            Some(t) if joins(t, row.cells.len(), doc) => {
                doc.push_row(row);
                t.rows.end += 1;
            }
            _ => self.push_other_row(row, doc),
        }
    }

    /// [`Assembler::push_row`] of `count` rows of `cells` cells each, their cells the
    /// builder's open row's on ([`Builder::push_rows`]), all with the span `span`: the first
    /// pushed as any row, the rest then joining the table it is the last row of (what
    /// `push_row` does with each, in one step).
    pub(super) fn push_rows(&mut self, cells: usize, count: usize, span: Span, doc: &mut Builder) {
        let Some(rest) = count.checked_sub(1) else {
            return;
        };
        let added = match &mut self.open {
            // All join the open table.
            Some(t) if joins(t, cells, doc) => count,
            _ => {
                let first = doc.row_of(cells, span);
                self.push_other_row(first, doc);
                rest
            }
        };
        // (Where `push_other_row` put the first, its table is the open one and it is its last
        // row, the rows list's last: the rest join it.)
        if let Some(t) = &mut self.open {
            debug_assert!(joins(t, cells, doc));
            t.rows.end = doc.push_rows(cells, added, span).end;
        }
    }

    /// [`Assembler::push_row`] of a row that does not simply join the open table.
    fn push_other_row(&mut self, row: Row, doc: &mut Builder) {
        let joins = match (&self.open, &self.spec) {
            (Some(t), Some((columns, _))) if row.fits(doc.columns_at(*columns)) => {
                t.columns.is_some()
            }
            (Some(t), _) => {
                t.columns.is_none()
                    && doc
                        .rows_at(t.rows)
                        .first()
                        .is_some_and(|r| r.cells.len() == row.cells.len())
            }
            (None, _) => false,
        };
        if joins {
            if let Some(t) = &mut self.open {
                debug_assert_eq!(t.rows.end, doc.rows_len());
                doc.push_row(row);
                t.rows.end += 1;
            }
            return;
        }
        self.flush(doc);
        let at = doc.push_row(row);
        let rows = Slice::new(at, at + 1);
        self.open = Some(match self.spec {
            Some((columns, span)) if row.fits(doc.columns_at(columns)) => Table {
                columns: Some(columns),
                header: None,
                rows,
                span,
            },
            _ => Table {
                columns: None,
                header: None,
                span: row.span,
                rows,
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::{Assembler, Piece};
    use crate::document::{Align, Block, Builder, Column, ColumnWidth, Origin, Style};
    use crate::span::Span;
    use proptest::prelude::*;

    /// One step of building a document: a run of `count` rows of `cells` cells, a spec of
    /// `cells` columns, or a block that is not a row.
    #[derive(Debug, Clone)]
    enum Step {
        Rows(usize, usize),
        Spec(usize),
        Block,
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => (0usize..4, 0usize..5).prop_map(|(c, n)| Step::Rows(c, n)),
            1 => (0usize..4).prop_map(Step::Spec),
            1 => Just(Step::Block),
        ]
    }

    /// The document `steps` build, each run of rows pushed row by row (`push_row`) or, when
    /// `batched`, in one step (`push_rows`).
    fn built(steps: &[Step], batched: bool) -> String {
        let (mut doc, mut tables) = (Builder::new(), Assembler::default());
        let span = Span::default();
        for step in steps {
            match *step {
                Step::Rows(cells, count) => {
                    for _ in 0..count {
                        for _ in 0..cells {
                            doc.run("x", Style::PLAIN, Origin::Data, span).cell(span);
                        }
                        if !batched {
                            let row = doc.row(span);
                            tables.push_row(row, &mut doc);
                        }
                    }
                    if batched {
                        tables.push_rows(cells, count, span, &mut doc);
                    }
                }
                Step::Spec(columns) => {
                    let column = Column {
                        align: Align::Left,
                        width: ColumnWidth::Fit,
                        span,
                    };
                    let at = doc.push_columns(std::iter::repeat_n(column, columns));
                    tables.push(Piece::Spec(at, span), &mut doc);
                }
                Step::Block => tables.push(Piece::Block(Block::Blank(span)), &mut doc),
            }
        }
        tables.finish(&mut doc);
        doc.finish().outline()
    }

    proptest! {
        /// Rows pushed in one step are grouped into the tables they are pushed one by one
        /// into, whatever came before them (specs of as many columns as they have cells or
        /// not, tables open or not, other blocks).
        #[test]
        fn rows_pushed_at_once_group_as_one_by_one(steps in proptest::collection::vec(step(), 0..12)) {
            prop_assert_eq!(built(&steps, true), built(&steps, false));
        }
    }
}
