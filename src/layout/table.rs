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
//! A cell wraps inside its column; the row's other cells stay on its first line and the row
//! grows downward. A row with more cells than the spec has columns keeps the extra text in its
//! last column (with a warning); missing cells are empty.

use crate::document::{Align, Column, ColumnWidth, Row, Table};
use crate::error::{Error, ErrorKind, WarningKind};
use crate::frame::{Item, Line, LineKind, Placed};
use crate::measure::{char_dots, columns_for_dots};
use crate::span::Span;

use super::Cx;
use super::blocks::offset;
use super::inline::{Frag, frags};
use super::wrap::{TooWide, wrap};

/// One row, made printable.
struct Cells {
    cells: Vec<Vec<Frag>>,
    span: Span,
}

pub(crate) fn table(cx: &mut Cx<'_>, table: &Table) -> Result<(), Error> {
    let prepared = |cx: &mut Cx<'_>, row: &Row| Cells {
        cells: row
            .cells
            .iter()
            .map(|c| frags(&c.runs, cx.opts, &mut cx.warnings))
            .collect(),
        span: row.span,
    };
    let mut rows: Vec<Cells> = Vec::new();
    if let Some(h) = &table.header {
        rows.push(prepared(cx, h));
    }
    for r in &table.rows {
        rows.push(prepared(cx, r));
    }
    match &table.columns {
        Some(cols) if !cols.is_empty() => spec_table(cx, cols, rows),
        _ => free_rows(cx, rows, table.span),
    }
}

/// Rows under a spec row.
fn spec_table(cx: &mut Cx<'_>, cols: &[Column], mut rows: Vec<Cells>) -> Result<(), Error> {
    let n = cols.len();
    let spec_span = cols[0].span.to(cols[n - 1].span);
    for row in &mut rows {
        if row.cells.len() > n {
            cx.warnings.push(
                WarningKind::Approximated,
                format!(
                    "this row has {} cells but the spec row has {n} columns; the extra cells \
                     are printed in the last column",
                    row.cells.len()
                ),
                row.span,
            );
            let extra: Vec<Vec<Frag>> = row.cells.drain(n..).collect();
            let last = &mut row.cells[n - 1];
            for cell in extra {
                last.push(Frag {
                    text: " ".to_string(),
                    style: crate::document::Style::PLAIN,
                    origin: crate::document::Origin::Template,
                    span: row.span,
                });
                last.extend(cell);
            }
        }
        row.cells.resize_with(n, Vec::new);
    }
    let kinds: Vec<ColumnWidth> = cols.iter().map(|c| c.width).collect();
    let widths = allocate(cx, &kinds, &rows, spec_span)?;
    let aligns: Vec<Align> = cols.iter().map(|c| c.align).collect();
    for row in &rows {
        lay_row(cx, row, &widths, &aligns, true)?;
    }
    Ok(())
}

/// Rows with no spec row in force.
fn free_rows(cx: &mut Cx<'_>, rows: Vec<Cells>, span: Span) -> Result<(), Error> {
    // Column widths of 3+ cell rows are shared by all rows with that many cells.
    let mut shared: Vec<(usize, Vec<u32>)> = Vec::new();
    for row in &rows {
        let n = row.cells.len();
        let widths = match n {
            0 | 1 => vec![cx.width],
            2 => pair_widths(cx, row),
            _ => {
                if let Some((_, w)) = shared.iter().find(|(k, _)| *k == n) {
                    w.clone()
                } else {
                    let mut kinds = vec![ColumnWidth::Fit; n];
                    kinds[0] = ColumnWidth::Share;
                    let same: Vec<&Cells> = rows.iter().filter(|r| r.cells.len() == n).collect();
                    let w = allocate_refs(cx, &kinds, &same, span)?;
                    shared.push((n, w.clone()));
                    w
                }
            }
        };
        let mut aligns = vec![Align::Right; n.max(1)];
        aligns[0] = Align::Left;
        if n == 0 {
            cx.items.push(Item::Line(Line {
                kind: LineKind::Text,
                align: Align::Left,
                runs: Vec::new(),
                span: row.span,
            }));
            continue;
        }
        lay_row(cx, row, &widths, &aligns, false)?;
    }
    Ok(())
}

/// Natural (one-line) width and widest single character of a cell.
fn measure(cx: &Cx<'_>, cell: &[Frag]) -> (u32, u32) {
    let mut natural = 0u32;
    let mut widest = 0u32;
    for f in cell {
        let mut dots = 0u32;
        for c in f.text.chars() {
            let d = char_dots(c, f.style.width, cx.opts.encoding);
            widest = widest.max(columns_for_dots(d));
            dots = dots.saturating_add(d);
        }
        natural = natural.saturating_add(columns_for_dots(dots));
    }
    (natural, widest)
}

/// Widths of a 2-cell row: the right cell keeps its natural width if it can (up to half the
/// line when both are long), the left cell takes the rest and wraps.
fn pair_widths(cx: &Cx<'_>, row: &Cells) -> Vec<u32> {
    let w = cx.width;
    let room = w.saturating_sub(1);
    let (nat_l, min_l) = measure(cx, &row.cells[0]);
    let (nat_r, min_r) = measure(cx, &row.cells[1]);
    let mut right = nat_r.min(room.saturating_sub(nat_l).max(room / 2));
    right = right.max(min_r).min(room);
    let mut left = room - right;
    if left < min_l {
        left = min_l.min(room);
        right = room - left;
    }
    vec![left, right]
}

fn allocate(
    cx: &Cx<'_>,
    kinds: &[ColumnWidth],
    rows: &[Cells],
    span: Span,
) -> Result<Vec<u32>, Error> {
    let refs: Vec<&Cells> = rows.iter().collect();
    allocate_refs(cx, kinds, &refs, span)
}

/// Column widths for `kinds` over `rows` (see the module docs).
fn allocate_refs(
    cx: &Cx<'_>,
    kinds: &[ColumnWidth],
    rows: &[&Cells],
    span: Span,
) -> Result<Vec<u32>, Error> {
    let n = kinds.len();
    let w = cx.width;
    let gaps = (n as u32).saturating_sub(1);
    let fixed: u32 = kinds
        .iter()
        .map(|k| match k {
            ColumnWidth::Fixed(f) => u32::from(*f),
            _ => 0,
        })
        .sum();
    if fixed.saturating_add(gaps) > w {
        return Err(Error::new(
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
        )));
    }
    let rest = w - fixed - gaps;
    let mut natural = vec![0u32; n];
    let mut minimum = vec![0u32; n];
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate().take(n) {
            let (nat, min) = measure(cx, cell);
            natural[i] = natural[i].max(nat);
            minimum[i] = minimum[i].max(min);
        }
    }
    let mut widths = vec![0u32; n];
    let mut fits = Vec::new();
    let mut shares = Vec::new();
    for (i, k) in kinds.iter().enumerate() {
        match k {
            ColumnWidth::Fixed(f) => widths[i] = u32::from(*f),
            ColumnWidth::Fit => fits.push(i),
            ColumnWidth::Share => {
                minimum[i] = minimum[i].max(1);
                shares.push(i);
            }
        }
    }
    let need: u32 = fits.iter().chain(&shares).map(|&i| minimum[i]).sum();
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
    let share_min: u32 = shares.iter().map(|&i| minimum[i]).sum();
    let budget = rest - share_min;
    // Fit columns: the highest level L with sum(clamp(natural, min, L)) <= budget.
    let at = |level: u32, i: usize| natural[i].min(level).max(minimum[i]);
    let total = |level: u32| fits.iter().map(|&i| at(level, i)).sum::<u32>();
    let (mut lo, mut hi) = (0u32, w);
    while lo < hi {
        let mid = lo + (hi - lo).div_ceil(2);
        if total(mid) <= budget {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    for &i in &fits {
        widths[i] = at(lo, i);
    }
    // Columns still short of their natural width get the odd columns, leftmost first.
    let mut left = budget - total(lo);
    for &i in &fits {
        if left > 0 && widths[i] < natural[i] {
            widths[i] += 1;
            left -= 1;
        }
    }
    if shares.is_empty() {
        if let Some(&first) = fits.first() {
            widths[first] += left;
        }
    } else {
        for &i in &shares {
            widths[i] = minimum[i];
        }
        // Even split on top of the minimums: always widen the narrowest, leftmost first.
        for _ in 0..left {
            if let Some(&i) = shares.iter().min_by_key(|&&i| (widths[i], i)) {
                widths[i] += 1;
            }
        }
    }
    Ok(widths)
}

/// Lays one row on `widths`: each cell wraps in its column, aligned; the row grows downward.
fn lay_row(
    cx: &mut Cx<'_>,
    row: &Cells,
    widths: &[u32],
    aligns: &[Align],
    spec: bool,
) -> Result<(), Error> {
    let mut starts = Vec::with_capacity(widths.len());
    let mut col = 0u32;
    for w in widths {
        starts.push(col);
        col = col.saturating_add(*w).saturating_add(1);
    }
    let mut cells = Vec::with_capacity(row.cells.len());
    for (i, cell) in row.cells.iter().enumerate().take(widths.len()) {
        let lines = wrap(cell, widths[i], cx.opts.encoding)
            .map_err(|e| cell_too_wide(e, i, widths[i], spec))?;
        cells.push(lines);
    }
    let height = cells.iter().map(Vec::len).max().unwrap_or(1);
    for k in 0..height {
        let mut runs: Vec<Placed> = Vec::new();
        for (i, lines) in cells.iter_mut().enumerate() {
            if let Some(l) = lines.get_mut(k) {
                let line = std::mem::take(l);
                let by = starts[i] + offset(aligns[i], widths[i], line.width);
                runs.extend(line.shifted(by));
            }
        }
        cx.items.push(Item::Line(Line {
            kind: LineKind::Text,
            align: Align::Left,
            runs,
            span: row.span,
        }));
    }
    Ok(())
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
    use crate::document::{Origin, Style};
    use crate::frame::LayoutOptions;
    use crate::layout::inline::Warnings;

    fn cx(opts: &LayoutOptions) -> Cx<'_> {
        Cx {
            opts,
            width: u32::from(opts.columns),
            warnings: Warnings::default(),
            items: Vec::new(),
        }
    }

    fn cells(texts: &[&str]) -> Cells {
        Cells {
            cells: texts
                .iter()
                .map(|t| {
                    vec![Frag {
                        text: t.to_string(),
                        style: Style::PLAIN,
                        origin: Origin::Data,
                        span: Span::default(),
                    }]
                })
                .collect(),
            span: Span::default(),
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

    #[test]
    fn two_cells_keep_the_right_one_natural_and_halve_when_both_are_long() {
        let o = opts(32);
        let c = cx(&o);
        assert_eq!(pair_widths(&c, &cells(&["合计", "￥88.00"])), [24, 7]);
        let long_l = "长".repeat(20);
        let long_r = "r".repeat(30);
        assert_eq!(pair_widths(&c, &cells(&[&long_l, &long_r])), [16, 15]);
        // a long left cell does not squeeze a short price
        assert_eq!(pair_widths(&c, &cells(&[&long_l, "9.50"])), [27, 4]);
    }
}
