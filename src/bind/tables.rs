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

/// Groups pieces into blocks: a spec row opens a table whose header is the row directly above
/// it (when it has as many cells as the spec has columns); rows join the open table; any other
/// block closes the table but does **not** end the spec (language §3: a note printed inside an
/// item loop, a rule or a heading between rows leaves the spec in force until the next spec
/// row). Every table opened under one spec carries that spec's span, so layout gives them all
/// the same column widths.
///
/// The one rule for rows and specs lives here: a row with a different number of cells than the
/// spec in force is grouped as a row with no spec (it closes the spec's table; the spec stays in
/// force, and the next row that fits it opens a new table under the same columns). Rows without a
/// spec group while they have the same number of cells.
pub(super) fn assemble(pieces: Vec<Piece>) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut open: Option<Table> = None;
    // The spec row in force: its columns and span.
    let mut spec: Option<(Vec<Column>, Span)> = None;
    let flush = |open: &mut Option<Table>, blocks: &mut Vec<Block>| {
        if let Some(t) = open.take() {
            if t.header.is_some() || !t.rows.is_empty() || t.columns.is_some() {
                blocks.push(Block::Table(t));
            }
        }
    };
    for piece in pieces {
        match piece {
            Piece::Block(b) => {
                flush(&mut open, &mut blocks);
                blocks.push(b);
            }
            Piece::Spec(columns, span) => {
                let header = match &mut open {
                    Some(t) if t.rows.last().is_some_and(|r| r.fits(&columns)) => t.rows.pop(),
                    _ => None,
                };
                flush(&mut open, &mut blocks);
                open = Some(Table {
                    columns: Some(columns.clone()),
                    header,
                    rows: Vec::new(),
                    span,
                });
                spec = Some((columns, span));
            }
            Piece::Row(row) => {
                let joins = match (&open, &spec) {
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
                    if let Some(t) = &mut open {
                        t.rows.push(row);
                    }
                    continue;
                }
                flush(&mut open, &mut blocks);
                open = Some(match &spec {
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
    flush(&mut open, &mut blocks);
    blocks
}
