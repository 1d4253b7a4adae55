//! Tables laid once, at the widths their spec row predicts, measured as they are laid.
//!
//! A table alone under its spec row (no other table has the spec's span: no note splits it)
//! whose columns are all fixed or shared (no fit column) gets widths that depend on its rows
//! only when a cell passes what the columns give it (a widest character wider than a share
//! column's minimum of one, a number wider than its column): the widths allocated on needs of
//! nothing are its widths in the common case. [`prepare`] leaves such a table's rows out, and
//! [`lay`] lays each row straight into the frame at those widths while measuring it, as
//! [`Rows::push_kept`] measures a kept row, widening the spec's needs as `prepare` widens them;
//! at the end, the widths allocated on the needs found must be the predicted ones. When they
//! are not, or a row is not one [`lay_kept_rows`] would have laid at them (not kept, another
//! number of cells, a cell wider than its column), the caller takes the table back and lays
//! it as any other; when the allocation fails, layout starts again without predicting (the
//! error must be the one the spec row gives before any block is laid).

use super::*;

/// For each table of `tables` (the document's, in order), whether its widths can be predicted:
/// it has a spec row of fixed and share columns only, and no other table with a spec row has
/// its span (its spec's group holds it alone, and the widths `lay_table` finds by that span
/// are its own).
pub(super) fn predictable<'a>(
    doc: &'a Document,
    tables: impl Iterator<Item = &'a Table> + Clone,
) -> Vec<bool> {
    let spec = |t: &Table| doc.columns(t).filter(|c| !c.is_empty());
    let mut spans: Vec<(Span, usize)> = Vec::new();
    for t in tables.clone().filter(|t| spec(t).is_some()) {
        match spans.iter_mut().find(|(span, _)| *span == t.span) {
            Some((_, n)) => *n += 1,
            None => spans.push((t.span, 1)),
        }
    }
    let alone = |t: &Table| spans.iter().any(|&(span, n)| span == t.span && n == 1);
    tables
        .map(|t| {
            spec(t).is_some_and(|cols| cols.iter().all(|c| c.width != ColumnWidth::Fit) && alone(t))
        })
        .collect()
}

/// Lays `table` (of `doc`, one [`predictable`] found) at the widths its spec predicts
/// (`cx.specs`, allocated by [`spec_widths`] on needs of nothing). `Ok(true)`: laid, and they
/// are its widths; `Ok(false)`: they are not, or a row cannot be laid so (the frame holds
/// part of the table: the caller takes it back); an error: its spec row's, from the needs of
/// its rows.
pub(super) fn lay<'a>(cx: &mut Cx<'a>, doc: &'a Document, table: &Table) -> Result<bool, Error> {
    let (Some(cols), Some(spec)) = (
        doc.columns(table),
        cx.specs.iter().position(|g| g.span == table.span),
    ) else {
        return Ok(false);
    };
    let widths = std::mem::take(&mut cx.specs[spec].widths);
    let laid = lay_rows(cx, doc, table, cols, &widths);
    let hit = match laid {
        Some(mut needs) => spec_allocate(cx, cols, &mut needs)? == widths,
        None => false,
    };
    cx.specs[spec].widths = widths;
    Ok(hit)
}

/// Lays the rows of `table` under `cols` at `widths`, each measured and placed in one pass:
/// its cells' runs made in the frame as [`Rows::push_kept`] makes them ([`kept_cell`]), each
/// moved to its column as [`lay_kept_rows`] moves it, the texts of rows side by side in the
/// document's text copied at once (each run made over its text where that copy will be), a
/// line of each row's runs. Returns the needs of the spec's columns over the rows (widened as
/// [`prepare`] widens them, [`widen_cell`]), or `None` when a row is not one `lay_kept_rows`
/// would lay so: another number of cells than columns, a cell that cannot be kept or is wider
/// than its column, a row with no run.
fn lay_rows(
    cx: &mut Cx<'_>,
    doc: &Document,
    table: &Table,
    cols: &[Column],
    widths: &[u32],
) -> Option<Vec<Measure>> {
    let text = doc.all_text();
    // every offset into the text fits in 32 bits, below `ANY`, and every width of plain runs
    // over it is its columns, with no sum saturating (`plain_cell`)
    if text.len() > PLAIN_TEXT_MAX || widths.len() != cols.len() {
        return None;
    }
    let opts = cx.opts;
    let mut lanes: Vec<Lane> = (places(widths, |i| cols[i].align).into_iter())
        .zip(cols)
        .map(|(place, col)| Lane {
            place,
            kind: col.width,
            need: Measure::default(),
        })
        .collect();
    let mut chars = Vec::new();
    // `from..end` of the document's text is not copied yet: the texts of rows side by side
    // there, copied at once to where the frame's text ends, `shift` past (wrapping) where
    // they are in the document's, where the runs over them are made.
    let (mut from, mut end) = (0u32, 0u32);
    let mut shift = index(cx.frame.all_text().len());
    let copy = |cx: &mut Cx<'_>, from: u32, end: u32| {
        let part = text.get(from as usize..end as usize)?;
        cx.frame.push_text(part);
        Some(index(cx.frame.all_text().len()))
    };
    for row in doc.all_rows(table) {
        let cells = doc.cells(row);
        if cells.len() != cols.len() {
            return None;
        }
        let start = cx.frame.runs_len();
        let mut next = ANY;
        let laid = cx.frame.append_runs(|runs| {
            for (cell, lane) in cells.iter().zip(&mut lanes) {
                let (at, before) = (runs.len(), next);
                let cell = doc.runs(cell.runs);
                let info = match plain_cell(runs, text, cell, opts.encoding, (&mut next, shift)) {
                    Some(info) => info,
                    None => {
                        // not plain, or not kept: as any kept cell (`None` again when not kept)
                        runs.truncate(at);
                        next = before;
                        kept_cell_apart(runs, text, cell, opts, (&mut next, shift))?
                    }
                };
                if info.size.natural > lane.place.width {
                    return None;
                }
                let encoding = opts.encoding;
                widen_cell(&mut lane.need, lane.kind, &info, || {
                    // its runs over the document's text, as `prepare` measures them
                    let over: Vec<Placed> = (runs[at..].iter())
                        .map(|r| r.shifted(0u32.wrapping_sub(shift)))
                        .collect();
                    number(&over, text, encoding, &mut chars)
                });
                let by = lane.place.by(info.size.natural);
                for run in &mut runs[at..] {
                    run.col = run.col.saturating_add(by);
                }
            }
            // a row with no run is not kept (`Rows::push_kept`)
            let first = runs.get(start)?;
            let at = index(first.text_range().start).wrapping_sub(shift);
            Some((index(runs.len() - start), at))
        });
        let (count, at) = laid?;
        if at != end {
            // not side by side: what is not copied is copied, and this row's runs are made
            // over where its text will be copied, from where the frame's text ends
            let to = copy(cx, from, end)?;
            let moved = to.wrapping_sub(at);
            cx.frame.shift_texts(start.., moved.wrapping_sub(shift));
            (from, shift) = (at, moved);
        }
        end = next;
        cx.frame
            .end_line_of(count, LineKind::Text, Align::Left, row.span);
    }
    copy(cx, from, end)?;
    Some(lanes.iter().map(|lane| lane.need).collect())
}

/// A column of a table laid at predicted widths, as [`lay_rows`] lays each row's cell in it:
/// where the cell goes, the column's kind, and the needs of the cells so far (one list, so
/// that a row's cells walk one list beside its cells).
struct Lane {
    place: Place,
    kind: ColumnWidth,
    need: Measure,
}

/// The longest document text whose tables are laid at predicted widths: the columns of plain
/// runs over it are their characters' columns ([`columns_in`] of [`Style::PLAIN`] changes
/// nothing up to `u32::MAX / DOTS_PER_COLUMN`), and no sum of them saturates.
const PLAIN_TEXT_MAX: usize = (u32::MAX / DOTS_PER_COLUMN) as usize;

/// [`kept_cell`] for a cell whose runs are all plain (an item row's are), with the steps that
/// cannot apply left out: a plain run's style is never degraded, its columns and its widest
/// character are its own ([`columns_in`] of plain text is the identity for a text no longer
/// than [`PLAIN_TEXT_MAX`], which [`lay_rows`] checks), so no sum saturates and two runs join
/// when their origins and sources are the same. `None`, with some runs pushed and `next`
/// moved, at a run that is not plain or cannot be kept, and for a cell that ends in a space:
/// the caller takes them back and makes the cell with [`kept_cell`], which keeps it or not as
/// it always does.
#[inline(always)]
fn plain_cell(
    out: &mut Vec<Placed>,
    text: &str,
    runs: &[Run],
    encoding: Encoding,
    (next, shift): (&mut u32, u32),
) -> Option<CellInfo> {
    let first = out.len();
    // as in `kept_cell`: the width of the runs before the open one (the last pushed), the
    // open one's width, the widest character and number bound so far
    let (mut done, mut width, mut widest, mut numbers) = (0u32, 0u32, 0u32, 0u32);
    let mut joined = false;
    let mut last = None;
    // whether the last run with a text ends in a space
    let mut space = false;
    for run in runs {
        if !run.style.is_plain() {
            return None;
        }
        let m = printable_measure_run(text, run.text.range(), encoding)?;
        let columns = m.columns;
        if columns == 0 {
            continue;
        }
        let at = run.text.start as u32;
        if *next != ANY && at != *next {
            return None;
        }
        *next = run.text.end as u32;
        space = m.ends_in_space;
        numbers = numbers.max(m.numbers);
        widest = widest.max(1 + u32::from(m.wide));
        let key = Some((run.origin, run.span.source));
        if last == key {
            width += columns;
            joined = true;
            if let Some(placed) = out.last_mut() {
                placed.width = to_u16(width);
                placed.span = placed.span.to(run.span);
                placed.set_text_end(next.wrapping_add(shift));
            }
        } else {
            done += width;
            width = columns;
            last = key;
            let placed = (
                to_u16(done),
                to_u16(width),
                Style::PLAIN,
                run.origin,
                run.span,
            );
            let (start, end) = (at.wrapping_add(shift), next.wrapping_add(shift));
            out.push(Placed::over(placed, start, end));
        }
    }
    if space {
        return None;
    }
    let end = out.len();
    // a plain run's stretches are its columns
    let one = (end - first == 1 && !joined).then_some(numbers);
    Some(CellInfo::kept(
        first..end,
        done + width,
        widest,
        numbers,
        one,
    ))
}

/// [`kept_cell`] out of line, for the cells [`plain_cell`] leaves (rare in a table laid at
/// predicted widths): its loop stays out of the plain cells' registers.
#[inline(never)]
fn kept_cell_apart(
    out: &mut Vec<Placed>,
    text: &str,
    runs: &[Run],
    opts: &LayoutOptions,
    place: (&mut u32, u32),
) -> Option<CellInfo> {
    kept_cell(out, text, runs, opts, place)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{RunSpec, build_row, spec_columns, styled_opts as opts};
    use super::*;
    use crate::document::{Builder, Origin, TextKind};
    use crate::layout::{lay_out, layout};

    /// A document of a text block, then the tables of `rows` (each row its cells, each cell
    /// its runs; the first row a header when `header`) under spec columns `kinds` (0 fit, 1
    /// share, else fixed at the given width), split in two tables of one spec (a note
    /// between them) when `split`, then a text block.
    fn doc_of(
        rows: &[Vec<Vec<RunSpec>>],
        kinds: &[(usize, u16)],
        header: bool,
        split: bool,
    ) -> Document {
        let mut b = Builder::new();
        b.run("小票", Style::PLAIN, Origin::Template, Span::default())
            .text_block(TextKind::Paragraph, Align::Center, Span::default());
        let columns = spec_columns(kinds, Span::new(0, 1, 2));
        let parts: Vec<&[Vec<Vec<RunSpec>>]> = match split {
            true => {
                let (a, b) = rows.split_at(rows.len() / 2);
                vec![a, b]
            }
            false => vec![rows],
        };
        for (p, part) in parts.iter().enumerate() {
            if p > 0 {
                b.run("备注 123", Style::PLAIN, Origin::Data, Span::default())
                    .text_block(TextKind::Paragraph, Align::Left, Span::default());
            }
            let made: Vec<Row> = part.iter().map(|row| build_row(&mut b, row)).collect();
            let (head, body) = match (header && p == 0, made.split_first()) {
                (true, Some((h, rest))) => (Some(*h), rest),
                _ => (None, &made[..]),
            };
            b.table(Some(&columns), head, body, Span::new(0, 3, 4));
        }
        b.run("谢谢", Style::PLAIN, Origin::Template, Span::default())
            .text_block(TextKind::Paragraph, Align::Right, Span::default());
        b.finish()
    }

    /// What [`lay`] makes of the one table of `doc` (which must be predictable).
    fn outcome(doc: &Document, o: &LayoutOptions) -> Result<bool, Error> {
        let mut cx = Cx::new(o);
        let mut tables = prepare(o, doc, true);
        assert!(tables.tables[0].predicted);
        cx.specs = spec_widths(&cx, &mut tables)?;
        lay(&mut cx, doc, tables.tables[0].table)
    }

    fn cells(texts: &[&str]) -> Vec<Vec<RunSpec>> {
        texts.iter().map(|t| vec![(t.to_string(), 0, 0)]).collect()
    }

    /// The generated documents below reach the hit and every miss: checked on one of each.
    #[test]
    fn predictions_hit_and_miss_for_each_reason() {
        let kinds = [(1, 0), (2, 4), (2, 8)];
        let o = opts(32, false);
        let lay = |rows: &[Vec<Vec<RunSpec>>]| outcome(&doc_of(rows, &kinds, true, false), &o);
        let ok = cells(&["品名", "数量", "金额"]);
        assert!(matches!(
            lay(&[ok.clone(), cells(&["鸡", "x2", "9.50"])]),
            Ok(true)
        ));
        // not kept: an unprintable character (replaced and reported)
        assert!(matches!(
            lay(&[ok.clone(), cells(&["a\u{1}", "x2", "9.50"])]),
            Ok(false)
        ));
        // a cell that wraps
        let long = "长".repeat(12);
        assert!(matches!(
            lay(&[ok.clone(), cells(&[&long, "x2", "9.50"])]),
            Ok(false)
        ));
        // a number that widens its column
        assert!(matches!(
            lay(&[ok.clone(), cells(&["鸡", "x2", "123456789"])]),
            Ok(false)
        ));
        // another number of cells
        assert!(matches!(
            lay(&[ok.clone(), cells(&["鸡", "x2"])]),
            Ok(false)
        ));
        // an allocation error from the rows' needs (a ×2 character wider than what is left):
        // a cell too wide for its column first, then the error laying the table again
        let wide = vec![vec![("你".to_string(), 0, 2)], vec![], vec![]];
        let o = opts(16, false);
        let doc = doc_of(&[wide], &kinds, false, false);
        assert!(matches!(outcome(&doc, &o), Ok(false)));
        let err = "the columns need at least 18 columns but the paper has 16";
        assert_eq!(layout(&doc, &o).unwrap_err().message(), err);
        // an allocation error of the prediction (fixed columns wider than the paper)
        let doc = doc_of(&[ok], &[(1, 0), (2, 20), (2, 20)], false, false);
        assert!(outcome(&doc, &o).is_err());
        let measured = lay_out(&doc, &o, false).map_err(|(e, _)| e);
        assert_eq!(format!("{:?}", layout(&doc, &o)), format!("{measured:?}"));
    }

    /// Four generated cells: short texts mostly, some with spaces, replaced characters or
    /// long numbers, some runs in other styles.
    fn generated_cells() -> impl proptest::strategy::Strategy<Value = Vec<Vec<RunSpec>>> {
        use proptest::prelude::*;
        let text = prop_oneof![
            4 => "[a-z0-9.￥元好（）]{1,5}",
            1 => "[ a-z0-9.￥元好（）\u{1}😀]{0,9}",
            1 => "[0-9.]{6,12}",
        ];
        let style = prop_oneof![6 => Just(0usize), 1 => 0..4usize];
        let cell = proptest::collection::vec((text, 0..2u8, style), 0..3);
        proptest::collection::vec(cell, 4)
    }

    proptest::proptest! {
        /// Laying tables at predicted widths lays out as laying them the existing way: the
        /// same frame (buffers included), warnings and error; for hits and for every miss
        /// (rows not kept, cells that wrap, numbers that widen a column, other numbers of
        /// cells, allocation errors, a spec split over two tables, fit columns).
        #[test]
        fn predicted_tables_lay_out_as_measured_ones(
            rows in proptest::collection::vec((generated_cells(), 0..12u8), 1..6),
            kinds in proptest::collection::vec((0..4usize, 1u16..10), 1..4),
            (header, split) in (proptest::bool::ANY, proptest::bool::weighted(0.2)),
            paper in 8u16..40,
            narrow in proptest::bool::ANY,
        ) {
            let rows: Vec<Vec<Vec<RunSpec>>> = rows
                .into_iter()
                .map(|(mut cells, short)| {
                    cells.truncate(if short == 0 { kinds.len() - 1 } else { kinds.len() });
                    cells
                })
                .collect();
            let doc = doc_of(&rows, &kinds, header, split);
            let o = opts(paper, narrow);
            let predicted = format!("{:?}", layout(&doc, &o));
            let measured = format!("{:?}", lay_out(&doc, &o, false).map_err(|(e, _)| e));
            proptest::prop_assert_eq!(predicted, measured);
        }
    }
}
