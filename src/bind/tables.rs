//! Grouping rows into tables (after loops have unrolled, so rows produced by a loop join the
//! table of the spec row above them).

use crate::document::{Block, Cell, Column, Row, Table};
use crate::error::{Error, ErrorKind};
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
/// it; rows join the open table; any other block closes it. Rows without a spec row group while
/// they have the same number of cells.
pub(super) fn assemble(pieces: Vec<Piece>) -> Result<Vec<Block>, Vec<Error>> {
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    let mut open: Option<Table> = None;
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
                let header = open.as_mut().and_then(|t| t.rows.pop());
                flush(&mut open, &mut blocks);
                let header = header.map(|h| fit(h, &columns, span, &mut errors));
                open = Some(Table {
                    columns: Some(columns),
                    header,
                    rows: Vec::new(),
                    span,
                });
            }
            Piece::Row(row) => match &mut open {
                Some(t) if t.columns.is_some() => {
                    let (columns, spec_span) = (t.columns.as_deref().unwrap_or_default(), t.span);
                    let row = fit(row, columns, spec_span, &mut errors);
                    t.rows.push(row);
                }
                Some(t)
                    if t.rows
                        .first()
                        .is_some_and(|r| r.cells.len() == row.cells.len()) =>
                {
                    t.rows.push(row)
                }
                _ => {
                    flush(&mut open, &mut blocks);
                    open = Some(Table {
                        columns: None,
                        header: None,
                        span: row.span,
                        rows: vec![row],
                    });
                }
            },
        }
    }
    flush(&mut open, &mut blocks);
    if errors.is_empty() {
        Ok(blocks)
    } else {
        Err(errors)
    }
}

/// Checks a row against the spec: more cells than columns is an error; missing cells are empty.
fn fit(mut row: Row, columns: &[Column], spec: Span, errors: &mut Vec<Error>) -> Row {
    if row.cells.len() > columns.len() {
        errors.push(
            Error::new(
                ErrorKind::Syntax,
                format!("row has {} cells but the table has {} columns", row.cells.len(), columns.len()),
            )
            .at(row.span)
            .with_label(spec, "columns defined here")
            .with_hint("add a column to the spec row, or end the table (a rule or an empty line) before this row"),
        );
    }
    while row.cells.len() < columns.len() {
        let end = Span {
            start: row.span.end,
            ..row.span
        };
        row.cells.push(Cell {
            runs: Vec::new(),
            span: end,
        });
    }
    row
}
