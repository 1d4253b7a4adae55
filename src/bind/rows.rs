//! The fast path of a loop whose body is one table row of text and expressions (the item line
//! of a receipt): the row's pieces are sorted out once per loop ([`RowPlan`]), not again for
//! every item, and each item's row is written straight from the plan.
//!
//! What the template decided stays decided: which pieces are text, which print one of the keys
//! the loop takes from its item (`it.name`, resolved at compile time, [`Resolved::LoopKey`]),
//! which are a price times a quantity in `money`, where the cells end. Per item there is then
//! no statement dispatch, no call through the line's `leaf`, no look at each piece's kind or
//! expression, and no scope written for a row that reads nothing but its item's keys.
//!
//! It is a fast path: an item whose row the plan cannot write exactly as the general path
//! would (a key the item lacks, a value that is not a string or plain number, fuel or output
//! that would run out, anything unusual) is written by the general path instead, from where
//! the plan started it (the document, the fuel and the output are put back first), for the
//! same document and the same errors.

use super::decimal::Decimal;
use super::value::{self, Map, Value};
use super::{Binder, Keys, Leaf, take_keys};
use crate::document::{Builder, Origin, Style};
use crate::error::Error;
use crate::span::Span;
use crate::syntax::ast::{
    BinOp, CellAst, Expr, ExprKind, ForNode, InlineNode, LineAst, LineKind, Resolved, Tree,
};
use crate::syntax::plan::MAX_LOOPS;

/// Content of a statement tree (a line, or inline content): what the loop fast path asks of
/// the body of a loop.
pub(super) trait Content {
    /// The cells and span of this content when it is a table row line.
    fn row(&self) -> Option<(&[CellAst], Span)>;
}

impl Content for LineAst {
    fn row(&self) -> Option<(&[CellAst], Span)> {
        match &self.kind {
            LineKind::Row(cells) => Some((cells, self.span)),
            _ => None,
        }
    }
}

impl Content for InlineNode {
    fn row(&self) -> Option<(&[CellAst], Span)> {
        None
    }
}

/// The most pieces (and cell ends) a planned row has: a longer row is not planned.
const MAX_OPS: usize = 24;

/// One step of writing a planned row.
#[derive(Clone, Copy)]
enum Op<'t> {
    /// Text of the template.
    Text(&'t str, Span),
    /// `var.key` of the loop's variable: key `usize` of the loop's keys, printed (the span the
    /// expression's).
    Key(usize, Span),
    /// `(var.a * var.b) | money`, both keys of the loop's variable.
    Product(usize, usize, Span),
    /// Any other expression, printed by [`Binder::print_fast`] (which reads the scopes).
    Expr(&'t Expr),
    /// The end of a cell (its span).
    Cell(Span),
}

/// How a loop body that is one flat table row is written ([`Binder::row_plan`]).
pub(super) struct RowPlan<'t> {
    /// The steps, `len` of them.
    ops: [Op<'t>; MAX_OPS],
    len: usize,
    /// The row line's span.
    span: Span,
    /// Which of the binder's loops (its [`Binder::loops`] slot) the keys are this loop's.
    slot: usize,
    /// Whether a step reads the scopes (an [`Op::Expr`]): then they are written for each item
    /// as the general path writes them.
    scoped: bool,
}

impl<'t> Binder<'t> {
    /// The plan of the body of `f`, the loop in progress (its keys in slot `loop_depth - 1`),
    /// when the body is one table row line whose cells hold only text and expressions
    /// (what [`Binder::flat_cells`] takes) and the fast paths are on; `None` otherwise.
    pub(super) fn row_plan<T: Content>(&self, f: &'t ForNode<T>) -> Option<RowPlan<'t>> {
        #[cfg(test)]
        if self.slow {
            return None;
        }
        if !super::eval::fast_paths() {
            return None;
        }
        let [Tree::Leaf(line)] = f.body.as_slice() else {
            return None;
        };
        let (cells, span) = line.row()?;
        let slot = self.loop_depth.checked_sub(1).filter(|&s| s < MAX_LOOPS)?;
        let mut plan = RowPlan {
            ops: [Op::Cell(span); MAX_OPS],
            len: 0,
            span,
            slot,
            scoped: false,
        };
        for cell in cells {
            for node in &cell.content {
                let op = match node {
                    Tree::Leaf(InlineNode::Text(t)) => Op::Text(&t.value, t.span),
                    Tree::Leaf(InlineNode::Expr(e)) => plan_expr(e, slot),
                    _ => return None,
                };
                plan.scoped |= matches!(op, Op::Expr(_));
                plan.push(op)?;
            }
            plan.push(Op::Cell(cell.span))?;
        }
        Some(plan)
    }

    /// [`Binder::iterations`] of a loop whose body is the row `plan` was made of: each item's
    /// row written from the plan, else (an item the plan cannot write) through the general
    /// path, from the same place. The same steps as `iterations`, in the same order: a unit of
    /// fuel, the item's keys, then the body; the scopes written when something reads them.
    pub(super) fn planned_iterations<T: Content>(
        &mut self,
        f: &'t ForNode<T>,
        plan: &RowPlan<'t>,
        items: &value::List<'t>,
        (mark, has_item): (usize, bool),
        doc: &mut Builder,
        leaf: &mut Leaf<'_, 't, T>,
    ) -> Result<(), Error> {
        let len = items.len();
        let before = doc.mark();
        for (i, item) in items.iter().enumerate() {
            self.spend(f.span)?;
            if !f.keys.is_empty() {
                let keys = &mut self.loops[plan.slot];
                *keys = [None; super::MAX_KEYS];
                if let Value::Map(Map::Data(m)) = &item {
                    take_keys(m, &f.keys, keys);
                }
            }
            let mut item = Some(item);
            if plan.scoped {
                self.enter_item(mark, has_item, i, len, item.take());
            }
            let at = doc.mark();
            let (fuel, output) = (self.fuel_used, self.output);
            if self.planned_row(plan, doc).is_some() {
                let row = doc.row(plan.span);
                self.tables.push_row(row, doc);
            } else {
                // The general path, from where the plan started.
                doc.rollback(at);
                (self.fuel_used, self.output) = (fuel, output);
                if !plan.scoped {
                    self.enter_item(mark, has_item, i, len, item.take());
                }
                let r = self.exec(&f.body, doc, leaf);
                self.scopes.truncate(mark + 2);
                r.map_err(|e| self.in_loop(e, f.span))?;
            }
            if i == 0 {
                // As `iterations` does.
                let left = self.budgets.fuel.saturating_sub(self.fuel_used);
                let times = (len - 1).min(usize::try_from(left).unwrap_or(usize::MAX));
                doc.reserve_repeats(before, times, self.budgets.max_output);
            }
        }
        Ok(())
    }

    /// The scopes of iteration `i` of `len` over `item` (`None`: already written), as
    /// [`Binder::iterations`] writes them: the `loop` slot, the variable, the item's index.
    fn enter_item(
        &mut self,
        mark: usize,
        has_item: bool,
        i: usize,
        len: usize,
        item: Option<Value<'t>>,
    ) {
        let Some(item) = item else {
            return;
        };
        self.scopes[mark].1 = super::Slot::Loop { index: i, len };
        self.scopes[mark + 1].1 = super::Slot::Value(item);
        if let Some(entry) = self.items.last_mut().filter(|_| has_item) {
            entry.2 = i;
        }
    }

    /// The cells of one item's row written from `plan` into `doc`'s open row, as
    /// [`Binder::flat_cells_in`] writes them (the same runs, fuel and output); `None` where
    /// it stops (the caller puts everything back and takes the general path).
    fn planned_row(&mut self, plan: &RowPlan<'t>, doc: &mut Builder) -> Option<()> {
        let max = self.budgets.max_output;
        let keys: &Keys<'t> = &self.loops[plan.slot];
        let keys = *keys;
        for op in &plan.ops[..plan.len] {
            match *op {
                Op::Text(t, span) => {
                    // As `flat_cells_in`: counted, then written.
                    self.output += t.len();
                    if self.output > max {
                        return None;
                    }
                    let write = |out: &mut String| {
                        super::filters::push_text(out, t);
                        Ok::<(), ()>(())
                    };
                    doc.write_run(Style::PLAIN, Origin::Template, span, write)
                        .ok()?;
                }
                Op::Key(k, span) => {
                    // `print_fast` of a resolved key: two steps, then printed in place.
                    let v = keys[k]?;
                    self.fuel_used = self.fits(2)?;
                    let write = |out: &mut String| print_json(v, out);
                    self.output += doc
                        .write_run(Style::PLAIN, Origin::Data, span, write)
                        .ok()?;
                    if self.output > max {
                        return None;
                    }
                }
                Op::Product(a, b, span) => {
                    // `quick_write` of `money` of a product of two resolved keys: `money`, the
                    // product and its two chains (1 + 1 + 2 + 2 steps); no cents written
                    // reach 32 bytes, so the text adds no fuel.
                    let (x, y) = (json_num(keys[a]?)?, json_num(keys[b]?)?);
                    self.fuel_used = self.fits(6)?;
                    let write = |out: &mut String| match Decimal::write_product_cents(x, y, out) {
                        true => Ok(()),
                        false => Err(()),
                    };
                    self.output += doc
                        .write_run(Style::PLAIN, Origin::Data, span, write)
                        .ok()?;
                    if self.output > max {
                        return None;
                    }
                }
                Op::Expr(e) => {
                    // As `flat_cells_in`.
                    let write = |out: &mut String| match self.print_fast(e, out) {
                        Some(Ok(())) => Ok(()),
                        _ => Err(()),
                    };
                    self.output += doc
                        .write_run(Style::PLAIN, Origin::Data, e.span, write)
                        .ok()?;
                    if self.output > max {
                        return None;
                    }
                }
                Op::Cell(span) => {
                    doc.cell(span);
                }
            }
        }
        Some(())
    }
}

impl<'t> RowPlan<'t> {
    /// Adds `op`; `None` when the plan is full.
    fn push(&mut self, op: Op<'t>) -> Option<()> {
        *self.ops.get_mut(self.len)? = op;
        self.len += 1;
        Some(())
    }
}

/// The step printing `e` in a row of the loop in slot `slot`.
fn plan_expr(e: &Expr, slot: usize) -> Op<'_> {
    let key = |e: &Expr| match (&e.kind, e.resolved) {
        (ExprKind::Attr(..), Resolved::LoopKey { depth, key }) if usize::from(depth) == slot => {
            Some(usize::from(key))
        }
        _ => None,
    };
    if let Some(k) = key(e) {
        return Op::Key(k, e.span);
    }
    if let ExprKind::Filter(target, name, args) = &e.kind {
        if let ExprKind::Binary(BinOp::Mul, l, r) = &target.kind {
            if let (true, true, Some(a), Some(b)) = (
                value::same_name(&name.value, "money"),
                args.is_empty(),
                key(l),
                key(r),
            ) {
                return Op::Product(a, b, e.span);
            }
        }
    }
    Op::Expr(e)
}

/// [`super::filters::print_place`] of a value of the caller's JSON, for a string or a number
/// printed as written; `Err`, having written nothing, for anything else (then the general
/// path prints it, or reports why it cannot).
#[inline]
fn print_json(v: &serde_json::Value, out: &mut String) -> Result<(), ()> {
    match v {
        serde_json::Value::String(s) => {
            super::filters::push_text(out, s);
            Ok(())
        }
        #[cfg(feature = "exact_numbers")]
        serde_json::Value::Number(n) if Decimal::prints_as_written(n.as_str()) => {
            super::filters::push_text(out, n.as_str());
            Ok(())
        }
        _ => Err(()),
    }
}

/// The number `v` holds, as [`value::Place::num`] reads it.
#[inline]
fn json_num(v: &serde_json::Value) -> Option<Decimal> {
    value::Place::Json(v).num()
}
