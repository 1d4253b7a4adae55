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
use crate::document::{Builder, Origin, Style, WriteText};
use crate::error::Error;
use crate::span::Span;
use crate::syntax::ast::{
    Ast, BinOp, CellAst, Expr, ExprKind, ForNode, InlineNode, LineAst, LineKind, Resolved, Tree,
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
    Text(&'t str, Span, Merge),
    /// `var.key` of the loop's variable: key `usize` of the loop's keys, printed (the span the
    /// expression's).
    Key(usize, Span, Merge),
    /// `(var.a * var.b) | money`, both keys of the loop's variable.
    Product(usize, usize, Span, Merge),
    /// Any other expression, printed by [`Binder::print_fast`] (which reads the scopes).
    Expr(&'t Expr, Merge),
    /// The end of a cell (its span).
    Cell(Span),
}

/// Whether a step's run may merge with the run before it (then [`Builder::write_run`] looks
/// at that run), or cannot, which the plan knows from the steps before it (then
/// [`Builder::write_new_run`] adds it without looking).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Merge {
    Maybe,
    Never,
}

/// What a row's steps so far may have left as the open group's last run, for [`Merge`]: a
/// run of template text, of data, or neither (no run in the group). At the start of a row
/// anything may be there.
#[derive(Clone, Copy)]
struct LastRun {
    template: bool,
    data: bool,
}

impl LastRun {
    /// Whether a run of `origin` next may merge with the last one.
    fn merge(self, origin: Origin) -> Merge {
        let may = match origin {
            Origin::Template => self.template,
            Origin::Data => self.data,
        };
        if may { Merge::Maybe } else { Merge::Never }
    }

    /// What may be last after `op`: a cell leaves no run in the group; a text that is not
    /// empty, or a product (always written as cents), leaves its own run last; a key or an
    /// expression, which may print nothing, its run or what was there.
    fn after(self, op: &Op<'_>) -> LastRun {
        let only = |template, data| LastRun { template, data };
        match op {
            Op::Cell(_) => only(false, false),
            Op::Text(t, ..) if !t.is_empty() => only(true, false),
            Op::Text(..) => self,
            Op::Product(..) => only(false, true),
            Op::Key(..) | Op::Expr(..) => only(self.template, true),
        }
    }
}

/// How a loop body that is one flat table row is written ([`Binder::row_plan`]).
pub(super) struct RowPlan<'t> {
    /// The steps, `len` of them.
    ops: [Op<'t>; MAX_OPS],
    len: usize,
    /// The row line's span.
    span: Span,
    /// How many cells the row has (its [`Op::Cell`]s).
    cells: usize,
    /// Which of the binder's loops (its [`Binder::loops`] slot) the keys are this loop's.
    slot: usize,
    /// Whether a step reads the scopes (an [`Op::Expr`]): then they are written for each item
    /// as the general path writes them.
    scoped: bool,
    /// The fuel of the steps the plan reads itself, for a row written whole (an [`Op::Expr`]
    /// spends its own): counted here once rather than added up step by step for each row.
    steps: u64,
    /// The loop's keys by their length ([`KeysByLength`]), when every key is shorter than
    /// [`SHORT`].
    by_length: Option<KeysByLength>,
}

/// Keys this long or longer are not found by length ([`KeysByLength`]).
const SHORT: usize = 32;

/// Where each of a loop's keys is among them by its length (keys are distinct, and most
/// keys of an item differ in length), and what each is.
#[derive(Clone, Copy)]
struct KeysByLength {
    /// Entry `n`: 0 when no key is `n` bytes long, the key's index plus one when one is,
    /// [`SEVERAL`] when more than one are.
    index: [u8; SHORT],
    /// Each key's [`fingerprint`] (0 for one longer than 8 bytes).
    prints: [u64; super::MAX_KEYS],
}

/// Every byte of a text of 1 to 8 bytes, in a `u64`: two texts of one such length are equal
/// when their fingerprints are (the positions read cover every byte: the first, middle and
/// last of up to three; the first four and the last four, overlapping, of four to eight).
/// 0 for any other length.
#[inline(always)]
fn fingerprint(s: &[u8]) -> u64 {
    let n = s.len();
    // (Each word one load: the four bytes taken as one array.)
    let word = |at: usize| {
        s.get(at..at + 4)
            .and_then(|w| <[u8; 4]>::try_from(w).ok())
            .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
    };
    match n {
        1..=3 => u64::from(s[0]) | u64::from(s[n / 2]) << 8 | u64::from(s[n - 1]) << 16,
        4..=8 => word(0) | word(n - 4) << 32,
        _ => 0,
    }
}

/// [`KeysByLength`] of a length several keys have.
const SEVERAL: u8 = u8::MAX;

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
            cells: cells.len(),
            slot,
            scoped: false,
            steps: 0,
            by_length: by_length(&f.keys),
        };
        let mut last = LastRun {
            template: true,
            data: true,
        };
        for cell in cells {
            for node in &cell.content {
                let op = match node {
                    Tree::Leaf(InlineNode::Text(t)) => {
                        Op::Text(&t.value, t.span, last.merge(Origin::Template))
                    }
                    Tree::Leaf(InlineNode::Expr(e)) => plan_expr(e, slot, last.merge(Origin::Data)),
                    _ => return None,
                };
                plan.scoped |= matches!(op, Op::Expr(..));
                plan.steps += match op {
                    Op::Key(..) => 2,
                    Op::Product(..) => 6,
                    _ => 0,
                };
                last = last.after(&op);
                plan.push(op)?;
            }
            plan.push(Op::Cell(cell.span))?;
            last = last.after(&Op::Cell(cell.span));
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
        // The keys the data's walk took (for this loop over this list), held here for the
        // loop (a loop inside it over the same list takes its own) and put back after.
        let harvest = self.harvest.take();
        let harvest = match harvest {
            Some(h) if h.is_for(items, &f.keys) => Ok(h),
            other => Err(other),
        };
        let mut pending = 0;
        let r = self.planned_items(
            f,
            plan,
            items,
            (mark, has_item),
            (doc, &mut pending),
            leaf,
            harvest.as_ref().ok(),
        );
        self.tables.push_rows(plan.cells, pending, plan.span, doc);
        self.harvest = match harvest {
            Ok(h) => Some(h),
            Err(other) => other,
        };
        r
    }

    /// [`Binder::planned_iterations`], the items' keys from `harvest` when it has them.
    ///
    /// The rows written from the plan are closed and grouped into their table in one step
    /// ([`tables::Assembler::push_rows`]) for each run of them: before the general path
    /// writes a row, after the first item (so that the room made for the rest counts it),
    /// and, by the caller, at the end however the loop ends; `pending` counts those not yet
    /// closed. The same rows, in the same tables.
    ///
    /// [`tables::Assembler::push_rows`]: super::tables::Assembler::push_rows
    #[allow(clippy::too_many_arguments)]
    fn planned_items<T: Content>(
        &mut self,
        f: &'t ForNode<T>,
        plan: &RowPlan<'t>,
        items: &value::List<'t>,
        (mark, has_item): (usize, bool),
        (doc, pending): (&mut Builder, &mut usize),
        leaf: &mut Leaf<'_, 't, T>,
        harvest: Option<&Harvest<'t>>,
    ) -> Result<(), Error> {
        let len = items.len();
        let before = doc.mark();
        let mut taken: Keys<'t>;
        for i in 0..len {
            self.spend(f.span)?;
            // The item's keys, as `iterations` takes them into `loops` (written there only
            // when something reads them there: an `Op::Expr`, or the general path).
            let keys: &Keys<'t> = match harvest.and_then(|h| h.item(i)) {
                Some(harvested) => harvested,
                None => {
                    taken = [None; super::MAX_KEYS];
                    if !f.keys.is_empty() {
                        // What `iterations` reads the keys from: an item that is an object of
                        // the caller's JSON (the item of a list read in place, or such an item
                        // in a list the binder holds), without making the item's value.
                        let object = match items {
                            value::List::Data(l) => match &l[i] {
                                serde_json::Value::Object(m) => Some(m),
                                _ => None,
                            },
                            value::List::Shared(l) => match &l[i] {
                                Value::Map(Map::Data(m)) => Some(*m),
                                _ => None,
                            },
                        };
                        if let Some(m) = object {
                            match &plan.by_length {
                                Some(by_length) => {
                                    take_keys_by_length(m, &f.keys, by_length, &mut taken)
                                }
                                None => take_keys(m, &f.keys, &mut taken),
                            }
                        }
                    }
                    &taken
                }
            };
            if plan.scoped {
                self.enter_item(
                    (mark, has_item),
                    i,
                    len,
                    items.get(i).unwrap_or(Value::None),
                );
                self.loops[plan.slot] = *keys;
            }
            let at = doc.mark();
            if self.planned_row(plan, keys, doc).is_some() {
                *pending += 1;
            } else {
                // The general path, from where the plan started (the rows before closed).
                doc.rollback(at);
                self.tables.push_rows(plan.cells, *pending, plan.span, doc);
                *pending = 0;
                if !plan.scoped {
                    self.enter_item(
                        (mark, has_item),
                        i,
                        len,
                        items.get(i).unwrap_or(Value::None),
                    );
                    self.loops[plan.slot] = *keys;
                }
                let r = self.exec(&f.body, doc, leaf);
                self.scopes.truncate(mark + 2);
                r.map_err(|e| self.in_loop(e, f.span))?;
            }
            if i == 0 {
                // As `iterations` does, the first row closed.
                self.tables.push_rows(plan.cells, *pending, plan.span, doc);
                *pending = 0;
                self.reserve_repeats(doc, before, len);
            }
        }
        Ok(())
    }

    /// The cells of one item's row written from `plan` into `doc`'s open row, as
    /// [`Binder::flat_cells_in`] writes them (the same runs, and in the end the same fuel and
    /// output); `None` where it stops, the fuel and output as they were (the caller puts the
    /// document back and takes the general path).
    ///
    /// The fuel and the output are counted once, for the whole row: both only grow, so a row
    /// whose total is within a budget was within it at each of the general path's checks,
    /// and one whose total is not fails one of them (where the general path then says).
    /// An [`Op::Expr`] is checked where it is ([`Binder::print_fast`]), against less fuel
    /// spent than the general path would have: where that passes and the general path would
    /// not, the total does not either.
    fn planned_row(
        &mut self,
        plan: &RowPlan<'t>,
        keys: &Keys<'t>,
        doc: &mut Builder,
    ) -> Option<()> {
        let (fuel, output) = (self.fuel_used, self.output);
        let start = doc.text_len();
        let written = self.planned_cells(plan, keys, doc);
        // (`planned_cells` counts the output of no piece: it is what the row wrote.)
        self.output += doc.text_len() - start;
        let within = written.is_some() && self.output <= self.budgets.max_output;
        match self.fits(plan.steps).filter(|_| within) {
            Some(used) => {
                self.fuel_used = used;
                Some(())
            }
            None => {
                (self.fuel_used, self.output) = (fuel, output);
                None
            }
        }
    }

    /// [`Binder::planned_row`]'s writing: the pieces and cells (the fuel of those the plan
    /// reads itself is [`RowPlan::steps`]; an [`Op::Expr`] spends its own); `None` where one
    /// cannot be written so.
    #[inline(always)]
    fn planned_cells(
        &mut self,
        plan: &RowPlan<'t>,
        keys: &Keys<'t>,
        doc: &mut Builder,
    ) -> Option<()> {
        for op in &plan.ops[..plan.len] {
            match *op {
                Op::Text(t, span, merge) => {
                    write_run(doc, merge, Origin::Template, span, Literal(t))?;
                }
                Op::Key(k, span, merge) => {
                    // `print_fast` of a resolved key: two steps, then printed in place.
                    write_run(doc, merge, Origin::Data, span, Json(keys[k]?))?;
                }
                Op::Product(a, b, span, merge) => {
                    // `quick_write` of `money` of a product of two resolved keys: `money`, the
                    // product and its two chains (1 + 1 + 2 + 2 steps); no cents written
                    // reach 32 bytes, so the text adds no fuel.
                    let (x, y) = (keys[a]?, keys[b]?);
                    write_run(doc, merge, Origin::Data, span, Product(x, y))?;
                }
                Op::Expr(e, merge) => {
                    // As `flat_cells_in`: its fuel spent by `print_fast`.
                    let write = |out: &mut String| match self.print_fast(e, out) {
                        Some(Ok(())) => Ok(()),
                        _ => Err(()),
                    };
                    write_run(doc, merge, Origin::Data, e.span, write)?;
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

/// A plain run of `origin` written by `write` into `doc`'s open group, as
/// [`Builder::write_run`] writes it: merged with the run before it when that may be
/// (`merge`), else as a new run ([`Builder::write_new_run`]). `None` where `write` fails.
#[inline(always)]
fn write_run(
    doc: &mut Builder,
    merge: Merge,
    origin: Origin,
    span: Span,
    write: impl WriteText<()>,
) -> Option<()> {
    match merge {
        Merge::Maybe => doc
            .write_run(Style::PLAIN, origin, span, write)
            .ok()
            .map(|_| ()),
        Merge::Never => doc.write_new_run(Style::PLAIN, origin, span, write).ok(),
    }
}

/// The step printing `e` in a row of the loop in slot `slot`, its run merged with the one
/// before as `merge` says.
fn plan_expr(e: &Expr, slot: usize, merge: Merge) -> Op<'_> {
    let key = |e: &Expr| match (&e.kind, e.resolved) {
        (ExprKind::Attr(..), Resolved::LoopKey { depth, key }) if usize::from(depth) == slot => {
            Some(usize::from(key))
        }
        _ => None,
    };
    if let Some(k) = key(e) {
        return Op::Key(k, e.span, merge);
    }
    if let ExprKind::Filter(target, name, args) = &e.kind {
        if let ExprKind::Binary(BinOp::Mul, l, r) = &target.kind {
            if let (true, true, Some(a), Some(b)) = (
                value::same_name(&name.value, "money"),
                args.is_empty(),
                key(l),
                key(r),
            ) {
                return Op::Product(a, b, e.span, merge);
            }
        }
    }
    Op::Expr(e, merge)
}

/// A planned row's template text: written as `push_text` writes it.
struct Literal<'t>(&'t str);

impl WriteText<()> for Literal<'_> {
    #[inline(always)]
    fn write_text(self, out: &mut String) -> Result<(), ()> {
        super::filters::push_text(out, self.0);
        Ok(())
    }
}

/// A planned row's value of the caller's JSON, written as [`super::filters::print_place`]
/// writes it, for a string or a number printed as written; `Err`, having written nothing, for
/// anything else (then the general path prints it, or reports why it cannot).
struct Json<'d>(&'d serde_json::Value);

impl WriteText<()> for Json<'_> {
    #[inline(always)]
    fn write_text(self, out: &mut String) -> Result<(), ()> {
        match self.0 {
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
}

/// A planned row's `money` of a product of two values of the caller's JSON: what
/// [`Decimal::write_product_cents`] writes for the numbers they hold, read as
/// [`value::Place::num`] reads them (with `exact_numbers`, from their text: `parse_plain`,
/// whose numbers the text is read into straight); `Err`, having written nothing, where it
/// writes nothing or either is not a number read so.
struct Product<'d>(&'d serde_json::Value, &'d serde_json::Value);

impl WriteText<()> for Product<'_> {
    #[inline(always)]
    fn write_text(self, out: &mut String) -> Result<(), ()> {
        let (a, b) = (self.0, self.1);
        #[cfg(feature = "exact_numbers")]
        if let (serde_json::Value::Number(x), serde_json::Value::Number(y)) = (a, b) {
            // `Place::num` reads a number's text with `parse_plain` first; where that reads
            // nothing, so does this, and the general path reads the rest.
            let wrote = Decimal::write_product_cents_plain(x.as_str(), y.as_str(), out);
            return wrote.then_some(()).ok_or(());
        }
        let wrote = match (value::Place::Json(a).num(), value::Place::Json(b).num()) {
            (Some(x), Some(y)) => Decimal::write_product_cents(x, y, out),
            _ => false,
        };
        wrote.then_some(()).ok_or(())
    }
}

/// [`KeysByLength`] of `keys`, when every key is shorter than [`SHORT`] (and there are no more
/// than [`super::MAX_KEYS`], as a loop has).
fn by_length(keys: &[String]) -> Option<KeysByLength> {
    if keys.len() > super::MAX_KEYS || keys.iter().any(|k| k.len() >= SHORT) {
        return None;
    }
    let mut by_length = KeysByLength {
        index: [0; SHORT],
        prints: [0; super::MAX_KEYS],
    };
    for (i, k) in keys.iter().enumerate() {
        let at = &mut by_length.index[k.len()];
        *at = if *at == 0 { i as u8 + 1 } else { SEVERAL };
        by_length.prints[i] = fingerprint(k.as_bytes());
    }
    Some(by_length)
}

/// [`take_keys`] of `keys`, the key an entry may be found by its length first
/// (`by_length`, of `keys`): the same entries in the same slots (an entry is at most one
/// key's, keys being distinct; a length several keys have is looked for among them all).
#[inline(always)]
fn take_keys_by_length<'d>(
    m: &'d serde_json::Map<String, serde_json::Value>,
    keys: &[String],
    by_length: &KeysByLength,
    out: &mut Keys<'d>,
) {
    if m.len() > 16 {
        take_keys(m, keys, out);
        return;
    }
    for (k, v) in m {
        if let Some(i) = key_index(keys, by_length, k) {
            out[i] = Some(v);
        }
    }
}

/// The keys of each item of one top-level list of the caller's JSON, for the loop over it
/// (`{% for it in items %}` directly under the template, its [`ForNode::keys`]): taken by the
/// data's budget walk ([`super::convert::check_json`]), which goes over every
/// item's entries before binding anyway, so that the loop reads each item's keys from here
/// instead of going over its entries a second time. The same entries as [`take_keys`] finds
/// (an entry is at most one key's; every entry of an object is looked at, which finds what
/// `get` finds in a large one). Read only for that loop running over that very list (its
/// address and length, the loop's keys by theirs): anything else takes its keys itself.
pub(crate) struct Harvest<'d> {
    /// The list's name at the top level of the data.
    name: String,
    /// The loop's keys (their address: which loop's they are), and by length.
    keys: (usize, usize),
    by_length: KeysByLength,
    /// The keys, to compare entries with.
    wanted: Vec<String>,
    /// The list walked (its address and length), once it is.
    list: Option<(usize, usize)>,
    /// For each item, its entry at each key (as [`take_keys`] fills them).
    entries: Vec<Keys<'d>>,
}

impl<'d> Harvest<'d> {
    /// What to harvest for `ast`: the first loop directly under the template (outside every
    /// other loop: the binder's first slot of keys) that runs over a name and reads keys
    /// off its items; `None` when there is none.
    pub(crate) fn of(ast: &Ast) -> Option<Harvest<'d>> {
        let f = top_loop(&ast.body)?;
        let ExprKind::Var(name) = &f.iter.kind else {
            return None;
        };
        if f.keys.is_empty() {
            return None;
        }
        Some(Harvest {
            name: name.clone(),
            keys: (f.keys.as_ptr() as usize, f.keys.len()),
            by_length: by_length(&f.keys)?,
            wanted: f.keys.clone(),
            list: None,
            entries: Vec::new(),
        })
    }

    /// The list's name at the top level.
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// The walk starts on the list `items`.
    pub(super) fn start(&mut self, items: &'d [serde_json::Value]) {
        self.list = Some((items.as_ptr() as usize, items.len()));
        self.entries.reserve_exact(items.len());
    }

    /// `slots` (of an item, all `None` at first) with `value` when `key` is one of the keys.
    #[inline(always)]
    pub(super) fn offer(&self, slots: &mut Keys<'d>, key: &str, value: &'d serde_json::Value) {
        if let Some(i) = key_index(&self.wanted, &self.by_length, key) {
            slots[i] = Some(value);
        }
    }

    /// The next item's slots, [`Harvest::offer`]ed its entries (all `None` for an item that
    /// is not an object).
    #[inline]
    pub(super) fn push(&mut self, slots: Keys<'d>) {
        self.entries.push(slots);
    }

    /// Nothing harvested (the walk failed).
    pub(super) fn clear(&mut self) {
        self.list = None;
        self.entries.clear();
    }

    /// Whether these are the keys of `keys`' loop over `items`.
    fn is_for(&self, items: &value::List<'_>, keys: &[String]) -> bool {
        let value::List::Data(l) = items else {
            return false;
        };
        self.list == Some((l.as_ptr() as usize, l.len()))
            && self.keys == (keys.as_ptr() as usize, keys.len())
            && self.entries.len() == l.len()
    }

    /// Item `i`'s entries at the keys.
    #[inline]
    fn item(&self, i: usize) -> Option<&Keys<'d>> {
        self.entries.get(i)
    }
}

/// The first loop of `nodes` outside every loop (in a branch or an include, or not).
fn top_loop<T>(nodes: &[Tree<T>]) -> Option<&ForNode<T>> {
    nodes.iter().find_map(|node| match node {
        Tree::For(f) => Some(&**f),
        Tree::If(n) => (n.branches.iter().map(|(_, body)| body))
            .chain([&n.otherwise])
            .find_map(|body| top_loop(body)),
        Tree::Include(i) => top_loop(&i.body),
        Tree::Leaf(_) | Tree::Set(_) => None,
    })
}

/// Which of `keys` (by `by_length`, of them) `key` is, if any.
#[inline(always)]
fn key_index(keys: &[String], by_length: &KeysByLength, key: &str) -> Option<usize> {
    let n = key.len();
    let i = match by_length.index.get(n) {
        None | Some(0) => return None,
        Some(&SEVERAL) => return keys.iter().position(|k| value::same_name(k, key)),
        Some(&i) => usize::from(i - 1),
    };
    // Of the key's length: up to 8 bytes, equal when the fingerprints are.
    let same = match n {
        1..=8 => by_length.prints.get(i) == Some(&fingerprint(key.as_bytes())),
        _ => keys.get(i).is_some_and(|k| value::same_name(k, key)),
    };
    same.then_some(i)
}

#[cfg(test)]
mod tests {
    use super::{Harvest, Keys, by_length, take_keys, take_keys_by_length};
    use crate::Budgets;
    use crate::bind::MAX_KEYS;
    use proptest::prelude::*;

    fn keys() -> impl Strategy<Value = Vec<String>> {
        proptest::collection::btree_set(
            "[a-c]{0,3}|[a-z]{3,9}|name|qty|price|[ab]{30,34}",
            0..=MAX_KEYS,
        )
        .prop_map(|k| k.into_iter().collect())
    }

    fn object() -> impl Strategy<Value = serde_json::Map<String, serde_json::Value>> {
        proptest::collection::btree_map(
            "[a-c]{0,3}|[a-z]{3,9}|name|qty|price|[ab]{30,34}",
            0u8..4,
            0..20,
        )
        .prop_map(|m| {
            m.into_iter()
                .map(|(k, v)| (k, serde_json::json!(v)))
                .collect()
        })
    }

    proptest! {
        /// Keys found by their length are the keys `take_keys` finds, in the same slots.
        #[test]
        fn keys_found_by_length_are_the_keys_taken(m in object(), keys in keys()) {
            let mut want: Keys = [None; MAX_KEYS];
            take_keys(&m, &keys, &mut want);
            if let Some(index) = by_length(&keys) {
                let mut got: Keys = [None; MAX_KEYS];
                take_keys_by_length(&m, &keys, &index, &mut got);
                prop_assert_eq!(got, want);
            }
        }

        /// The walk that harvests the keys of a loop's items answers as the walk does (the same
        /// errors, for every budget), and harvests what `take_keys` takes from each item.
        #[test]
        fn the_harvesting_walk_is_the_walk(
            items in proptest::collection::vec(prop_oneof![
                object().prop_map(serde_json::Value::Object),
                Just(serde_json::json!([1, [2, [3]]])),
                Just(serde_json::json!({ "name": { "x": [1] }, "qty": 2 })),
                Just(serde_json::json!("s")),
            ], 0..6),
            keys in keys(),
            max_data_bytes in prop_oneof![Just(usize::MAX), 0usize..3000],
            max_data_depth in prop_oneof![Just(64usize), 0usize..5],
        ) {
            let data = serde_json::json!({ "a": 1, "items": items, "z": [{ "name": 1 }] });
            let budgets = Budgets { max_data_bytes, max_data_depth, ..Budgets::default() };
            let text = format!(
                "{{% for it in items %}}\n{}\n{{% endfor %}}\n",
                keys.iter().map(|k| format!("{{{{ it[\"{k}\"] }}}} {{{{ it.{k} }}}}")).collect::<String>()
            );
            let plain = crate::bind::check_json(&data, &budgets, None);
            let env = crate::Environment::new();
            let Ok(template) = env.template_from_str("t.slip", &text) else {
                return Ok(());
            };
            let Some(mut harvest) = Harvest::of(template.tested_ast()) else {
                return Ok(());
            };
            let harvested = crate::bind::check_json(&data, &budgets, Some(&mut harvest));
            prop_assert_eq!(
                plain.as_ref().map_err(|e| e.message().to_string()),
                harvested.as_ref().map_err(|e| e.message().to_string())
            );
            if harvested.is_ok() {
                let list = data["items"].as_array().unwrap();
                let f_keys = &harvest.wanted;
                for (i, item) in list.iter().enumerate() {
                    let mut want: Keys = [None; MAX_KEYS];
                    if let serde_json::Value::Object(m) = item {
                        take_keys(m, f_keys, &mut want);
                    }
                    prop_assert_eq!(harvest.item(i), Some(&want));
                }
            }
        }
    }
}
