//! Grouping rows into tables (after loops have unrolled, so rows produced by a loop join the
//! table of the spec row above them).

use crate::document::{Block, Column, Row, Table};
use crate::span::Span;

/// What a line produced.
pub(super) enum Piece {
    /// Any block that is not a row.
    Block(Block),
    /// A row of cells.
    Row(Row),
    /// A spec row.
    Spec(Vec<Column>, Span),
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
pub(super) struct Assembler {
    blocks: Vec<Block>,
    /// The table being filled.
    open: Option<Table>,
    /// The spec row in force: its columns and span.
    spec: Option<(Vec<Column>, Span)>,
}

impl Assembler {
    /// An empty document's blocks; `capacity` is a guess at how many there will be.
    pub(super) fn with_capacity(capacity: usize) -> Assembler {
        Assembler {
            blocks: Vec::with_capacity(capacity),
            open: None,
            spec: None,
        }
    }

    /// The blocks, the open table closed.
    pub(super) fn finish(mut self) -> Vec<Block> {
        self.flush();
        self.blocks
    }

    /// Closes the open table (kept when it has anything in it).
    fn flush(&mut self) {
        if let Some(t) = self.open.take() {
            if t.header.is_some() || !t.rows.is_empty() || t.columns.is_some() {
                self.blocks.push(Block::Table(t));
            }
        }
    }

    /// Adds the next piece, as it is produced (the grouping needs only what came before).
    pub(super) fn push(&mut self, piece: Piece) {
        match piece {
            Piece::Block(b) => {
                self.flush();
                self.blocks.push(b);
            }
            Piece::Spec(columns, span) => {
                let header = match &mut self.open {
                    Some(t) if t.rows.last().is_some_and(|r| r.fits(&columns)) => t.rows.pop(),
                    _ => None,
                };
                self.flush();
                self.open = Some(Table {
                    columns: Some(columns.clone()),
                    header,
                    rows: Vec::new(),
                    span,
                });
                self.spec = Some((columns, span));
            }
            Piece::Row(row) => {
                let joins = match (&self.open, &self.spec) {
                    (Some(t), Some((columns, _))) if row.fits(columns) => t.columns.is_some(),
                    (Some(t), _) => {
                        t.columns.is_none()
                            && t.rows
                                .first()
                                .is_some_and(|r| r.cells.len() == row.cells.len())
                    }
                    (None, _) => false,
                };
                if joins {
                    if let Some(t) = &mut self.open {
                        t.rows.push(row);
                    }
                    return;
                }
                self.flush();
                self.open = Some(match &self.spec {
                    Some((columns, span)) if row.fits(columns) => Table {
                        columns: Some(columns.clone()),
                        header: None,
                        rows: vec![row],
                        span: *span,
                    },
                    _ => Table {
                        columns: None,
                        header: None,
                        span: row.span,
                        rows: vec![row],
                    },
                });
            }
        }
    }
}
