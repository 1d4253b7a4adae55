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

use crate::document::{Align, Block, Column, ColumnWidth, Row, Table};
use crate::error::{Error, ErrorKind, WarningKind};
use crate::frame::{Item, Line, LineKind, Placed};
use crate::measure::{char_dots, columns_for_dots};
use crate::span::Span;

use super::Cx;
use super::blocks::offset;
use super::inline::{Frag, Warnings, frags};
use super::wrap::{TooWide, glue, wrap_noting};

/// One row, made printable.
struct Cells {
    cells: Vec<Vec<Frag>>,
    span: Span,
}

/// A row made printable (its warnings go to `warnings`).
fn prepared(cx: &Cx<'_>, row: &Row, warnings: &mut Warnings) -> Cells {
    Cells {
        cells: row
            .cells
            .iter()
            .map(|c| frags(&c.runs, cx.opts, warnings))
            .collect(),
        span: row.span,
    }
}

/// The widths of every spec row in `blocks`, keyed by the spec's span: allocated once over all
/// the rows, in all the tables, laid out under that spec (bind gives every table opened under
/// one spec row that row's span). A table of rows under a spec is split by any line that is
/// not a row (a note inside the item loop, a rule); its columns must not move.
pub(crate) fn spec_widths(cx: &Cx<'_>, blocks: &[Block]) -> Result<Vec<(Span, Vec<u32>)>, Error> {
    let mut groups: Vec<(Span, &[Column], Vec<Cells>)> = Vec::new();
    // Warnings are reported when each table is laid out; these are the same ones.
    let mut scratch = Warnings::default();
    for block in blocks {
        let Block::Table(t) = block else { continue };
        let Some(cols) = t.columns.as_deref().filter(|c| !c.is_empty()) else {
            continue;
        };
        let at = match groups
            .iter()
            .position(|(s, c, _)| *s == t.span && *c == cols)
        {
            Some(i) => i,
            None => {
                groups.push((t.span, cols, Vec::new()));
                groups.len() - 1
            }
        };
        for row in t.header.iter().chain(&t.rows).filter(|r| r.fits(cols)) {
            let cells = prepared(cx, row, &mut scratch);
            groups[at].2.push(cells);
        }
    }
    let mut out = Vec::with_capacity(groups.len());
    for (span, cols, rows) in groups {
        let all = vec![true; rows.len()];
        out.push((span, Spec::new(cx, cols, &rows, &all)?.widths));
    }
    Ok(out)
}

pub(crate) fn table(cx: &mut Cx<'_>, table: &Table) -> Result<(), Error> {
    let prepared = |cx: &mut Cx<'_>, row: &Row| {
        let mut w = std::mem::take(&mut cx.warnings);
        let cells = prepared(cx, row, &mut w);
        cx.warnings = w;
        cells
    };
    let all: Vec<&Row> = table.header.iter().chain(&table.rows).collect();
    let cols = table.columns.as_deref().filter(|c| !c.is_empty());
    // The rule of `Row::fits`: a row with another number of cells than the spec has columns is
    // laid out as if no spec were in force. Bound documents never hold one under a spec; a
    // hand-built document may.
    let under_spec: Vec<bool> = all
        .iter()
        .map(|r| cols.is_some_and(|c| r.fits(c)))
        .collect();
    let rows: Vec<Cells> = all.iter().map(|r| prepared(cx, r)).collect();
    let spec = match cols {
        Some(cols) => match cx.specs.iter().find(|(s, _)| *s == table.span) {
            Some((_, widths)) => Some(Spec {
                widths: widths.clone(),
                aligns: cols.iter().map(|c| c.align).collect(),
            }),
            None => Some(Spec::new(cx, cols, &rows, &under_spec)?),
        },
        None => None,
    };
    let free: Vec<&Cells> = rows
        .iter()
        .zip(&under_spec)
        .filter(|(_, s)| !**s)
        .map(|(r, _)| r)
        .collect();
    let free = Free::new(cx, &free, table.span)?;
    for (row, under) in rows.iter().zip(under_spec) {
        match &spec {
            Some(spec) if under => lay_row(cx, row, &spec.widths, &spec.aligns, true)?,
            _ => free.lay(cx, row)?,
        }
    }
    Ok(())
}

/// Columns of a spec row, allocated over the rows laid out under it.
struct Spec {
    widths: Vec<u32>,
    aligns: Vec<Align>,
}

impl Spec {
    fn new(cx: &Cx<'_>, cols: &[Column], rows: &[Cells], under: &[bool]) -> Result<Spec, Error> {
        let spec_span = cols[0].span.to(cols[cols.len() - 1].span);
        let kinds: Vec<ColumnWidth> = cols.iter().map(|c| c.width).collect();
        let rows: Vec<&Cells> = rows
            .iter()
            .zip(under)
            .filter(|(_, u)| **u)
            .map(|(r, _)| r)
            .collect();
        Ok(Spec {
            widths: allocate_refs(cx, &kinds, &rows, spec_span)?,
            aligns: cols.iter().map(|c| c.align).collect(),
        })
    }
}

/// Rows with no spec row in force: column widths of 3+ cell rows are shared by all rows with
/// that many cells.
struct Free {
    shared: Vec<(usize, Vec<u32>)>,
}

impl Free {
    fn new(cx: &Cx<'_>, rows: &[&Cells], span: Span) -> Result<Free, Error> {
        let mut shared: Vec<(usize, Vec<u32>)> = Vec::new();
        for row in rows {
            let n = row.cells.len();
            if n < 3 || shared.iter().any(|(k, _)| *k == n) {
                continue;
            }
            let mut kinds = vec![ColumnWidth::Fit; n];
            kinds[0] = ColumnWidth::Share;
            let same: Vec<&Cells> = rows
                .iter()
                .copied()
                .filter(|r| r.cells.len() == n)
                .collect();
            shared.push((n, allocate_refs(cx, &kinds, &same, span)?));
        }
        Ok(Free { shared })
    }

    fn lay(&self, cx: &mut Cx<'_>, row: &Cells) -> Result<(), Error> {
        let n = row.cells.len();
        let widths = match n {
            0 => {
                cx.items.push(Item::Line(Line {
                    kind: LineKind::Text,
                    align: Align::Left,
                    runs: Vec::new(),
                    span: row.span,
                }));
                return Ok(());
            }
            1 => vec![cx.width],
            2 => match pair_widths(cx, row) {
                Some(widths) => widths,
                None => return stack_pair(cx, row),
            },
            _ => self
                .shared
                .iter()
                .find(|(k, _)| *k == n)
                .map(|(_, w)| w.clone())
                .unwrap_or_default(),
        };
        let mut aligns = vec![Align::Right; n];
        aligns[0] = Align::Left;
        lay_row(cx, row, &widths, &aligns, false)
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

fn measure(cx: &Cx<'_>, cell: &[Frag]) -> Measure {
    let mut m = Measure::default();
    let mut chars = Vec::new();
    for (fi, f) in cell.iter().enumerate() {
        let mut dots = 0u32;
        for c in f.text.chars() {
            let d = char_dots(c, f.style.width, cx.opts.encoding);
            m.widest = m.widest.max(columns_for_dots(d));
            dots = dots.saturating_add(d);
            chars.push((c, fi, d));
        }
        m.natural = m.natural.saturating_add(columns_for_dots(dots));
    }
    let plain: Vec<char> = chars.iter().map(|c| c.0).collect();
    let glued = glue(&plain);
    // Each number piece: its characters' dots, rounded up per fragment as a line would be.
    let mut k = 0;
    while k < chars.len() {
        let mut end = k + 1;
        while end < chars.len() && glued[end] {
            end += 1;
        }
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
            m.number = m.number.max(cols);
        }
        k = end;
    }
    m
}

/// Widths of a 2-cell row whose parts share one line: the right cell keeps its natural width,
/// the left one takes the rest. `None` when they cannot share a line (language §3: the right
/// part then moves to its own line, [`stack_pair`]).
fn pair_widths(cx: &Cx<'_>, row: &Cells) -> Option<Vec<u32>> {
    let room = cx.width.saturating_sub(1);
    let l = measure(cx, &row.cells[0]);
    let r = measure(cx, &row.cells[1]);
    (l.natural.saturating_add(r.natural) <= room).then(|| vec![room - r.natural, r.natural])
}

/// A 2-cell row whose parts cannot share one line: the left part wraps across the paper, the
/// right part follows right-aligned — on the left part's last line when it fits there (one
/// column apart), else on its own lines. Each label stays with its value.
fn stack_pair(cx: &mut Cx<'_>, row: &Cells) -> Result<(), Error> {
    let w = cx.width;
    let enc = cx.opts.encoding;
    let mut split = Vec::new();
    let left = wrap_noting(&row.cells[0], w, enc, &mut split)
        .map_err(|e| cell_too_wide(e, 0, w, false))?;
    let right = wrap_noting(&row.cells[1], w, enc, &mut split)
        .map_err(|e| cell_too_wide(e, 1, w, false))?;
    for span in split {
        cx.warnings.push(
            WarningKind::SplitNumber,
            format!(
                "this number is wider than the paper ({w} columns): it is split over two lines"
            ),
            span,
        );
    }
    let mut lines: Vec<Vec<Placed>> = left
        .into_iter()
        .map(|l| l.shifted(0))
        .filter(|runs| !runs.is_empty())
        .collect();
    let last_width = lines
        .last()
        .and_then(|runs| runs.last())
        .map_or(0, |r| u32::from(r.col) + u32::from(r.width));
    let joins = right.len() == 1 && last_width > 0 && last_width + 1 + right[0].width <= w;
    for (k, r) in right.into_iter().enumerate() {
        let by = offset(Align::Right, w, r.width);
        let runs = r.shifted(by);
        match lines.last_mut() {
            Some(last) if joins && k == 0 => last.extend(runs),
            _ => lines.push(runs),
        }
    }
    for runs in lines {
        cx.items.push(Item::Line(Line {
            kind: LineKind::Text,
            align: Align::Left,
            runs,
            span: row.span,
        }));
    }
    Ok(())
}

#[cfg(test)]
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
        return Err(fixed_too_wide(fixed, gaps, w, span));
    }
    let mut natural = vec![0u32; n];
    let mut minimum = vec![0u32; n];
    let mut number = vec![0u32; n];
    for row in rows {
        for (i, cell) in row.cells.iter().enumerate().take(n) {
            let m = measure(cx, cell);
            natural[i] = natural[i].max(m.natural);
            minimum[i] = minimum[i].max(m.widest);
            number[i] = number[i].max(m.number);
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
    let flexible: Vec<usize> = fits.iter().chain(&shares).copied().collect();
    let need: u32 = flexible.iter().map(|&i| minimum[i]).sum();
    let need_numbers: u32 = flexible.iter().map(|&i| minimum[i].max(number[i])).sum();
    // Numbers are never split (language §3): the flexible columns give way first. A fixed
    // column narrower than a number it holds widens to it when the flexible columns can still
    // hold their own numbers; flexible columns keep their numbers whole when there is room; a
    // number that still cannot fit wraps (and layout warns at its cell).
    let grown: u32 = kinds
        .iter()
        .enumerate()
        .map(|(i, k)| match k {
            ColumnWidth::Fixed(f) => u32::from(*f).max(number[i]),
            _ => 0,
        })
        .sum();
    if grown.saturating_add(gaps).saturating_add(need_numbers) <= w {
        for (i, k) in kinds.iter().enumerate() {
            if matches!(k, ColumnWidth::Fixed(_)) {
                widths[i] = widths[i].max(number[i]);
            }
        }
        for &i in &flexible {
            minimum[i] = minimum[i].max(number[i]);
        }
    } else if fixed.saturating_add(gaps).saturating_add(need_numbers) <= w {
        for &i in &flexible {
            minimum[i] = minimum[i].max(number[i]);
        }
    }
    let fixed: u32 = kinds
        .iter()
        .enumerate()
        .filter(|(_, k)| matches!(k, ColumnWidth::Fixed(_)))
        .map(|(i, _)| widths[i])
        .sum();
    let rest = w - fixed - gaps;
    let need: u32 = need.max(flexible.iter().map(|&i| minimum[i]).sum());
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
    let left = fit(&mut widths, &fits, &natural, &minimum, rest - share_min, w);
    if shares.is_empty() {
        if let Some(&first) = fits.first() {
            widths[first] += left;
        }
    } else {
        share(&mut widths, &shares, &minimum, left);
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
fn fit(
    widths: &mut [u32],
    fits: &[usize],
    natural: &[u32],
    minimum: &[u32],
    budget: u32,
    w: u32,
) -> u32 {
    // The highest level L with sum(clamp(natural, min, L)) <= budget.
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
    for &i in fits {
        widths[i] = at(lo, i);
    }
    // Columns still short of their natural width get the odd columns, leftmost first.
    let mut left = budget - total(lo);
    for &i in fits {
        if left > 0 && widths[i] < natural[i] {
            widths[i] += 1;
            left -= 1;
        }
    }
    left
}

/// Share columns: their minimums, then `left` split evenly (always widen the narrowest,
/// leftmost first).
fn share(widths: &mut [u32], shares: &[usize], minimum: &[u32], left: u32) {
    for &i in shares {
        widths[i] = minimum[i];
    }
    for _ in 0..left {
        if let Some(&i) = shares.iter().min_by_key(|&&i| (widths[i], i)) {
            widths[i] += 1;
        }
    }
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
        let mut split = Vec::new();
        let lines = wrap_noting(cell, widths[i], cx.opts.encoding, &mut split)
            .map_err(|e| cell_too_wide(e, i, widths[i], spec))?;
        for span in split {
            cx.warnings.push(
                WarningKind::SplitNumber,
                format!(
                    "this number is wider than column {} ({} columns) and no other column can \
                     give way: it is split over two lines",
                    i + 1,
                    widths[i]
                ),
                span,
            );
        }
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

    fn cx(opts: &LayoutOptions) -> Cx<'_> {
        Cx {
            opts,
            width: u32::from(opts.columns),
            warnings: Warnings::default(),
            items: Vec::new(),
            specs: Vec::new(),
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

    fn row(texts: &[&str]) -> Row {
        let cell = |t: &&str| crate::document::Cell {
            runs: vec![crate::document::Run {
                text: t.to_string(),
                style: Style::PLAIN,
                origin: Origin::Data,
                span: Span::default(),
            }],
            span: Span::default(),
        };
        Row {
            cells: texts.iter().map(cell).collect(),
            span: Span::default(),
        }
    }

    #[test]
    fn a_hand_built_row_that_does_not_fit_the_spec_is_laid_out_as_without_one() {
        let o = opts(32);
        let column = Column {
            align: Align::Center,
            width: ColumnWidth::Fixed(6),
            span: Span::default(),
        };
        let lay = |t: &Table| {
            let mut c = cx(&o);
            table(&mut c, t).unwrap();
            c.items
        };
        let odd = [
            row(&["合计", "¥88.00"]),
            row(&["a", "b", "c"]),
            row(&["one"]),
        ];
        for r in odd {
            let under = Table {
                columns: Some(vec![column; 4]),
                header: None,
                rows: vec![r.clone()],
                span: Span::default(),
            };
            let free = Table {
                columns: None,
                ..under.clone()
            };
            assert_eq!(lay(&under), lay(&free));
        }
    }

    #[test]
    fn two_cells_share_a_line_when_they_can_and_stack_when_they_cannot() {
        let o = opts(32);
        let mut c = cx(&o);
        assert_eq!(
            pair_widths(&c, &cells(&["合计", "￥88.00"])),
            Some(vec![24, 7])
        );
        let long_l = "长".repeat(20);
        let long_r = "r".repeat(30);
        assert_eq!(pair_widths(&c, &cells(&[&long_l, &long_r])), None);
        // two long parts: the label wraps across the paper, the value follows right-aligned
        // on its own line, so it ends at the edge right under its label
        stack_pair(&mut c, &cells(&[&long_l, &long_r])).unwrap();
        let shown: Vec<Vec<(u16, String)>> = c
            .items
            .iter()
            .map(|i| match i {
                Item::Line(l) => l.runs.iter().map(|r| (r.col, r.text.clone())).collect(),
                _ => Vec::new(),
            })
            .collect();
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
        stack_pair(&mut c, &cells(&[&long_l, "9.50"])).unwrap();
        let Item::Line(last) = &c.items[1] else {
            panic!()
        };
        assert_eq!(
            last.runs
                .iter()
                .map(|r| (r.col, r.text.as_str()))
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
