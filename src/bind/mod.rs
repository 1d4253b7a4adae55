//! Stage 2: binding a template's AST to data.
//!
//! Statements run, loops unroll, expressions become text. The result is a [`Document`] whose
//! every run remembers whether it came from the template or from data. [`Budgets`] bound the
//! work any template and data can cause.

mod blocks;
mod codes;
mod convert;
mod date;
pub mod decimal;
mod eval;
mod filters;
mod rows;
mod tables;
mod validate;
pub mod value;

use std::sync::Arc;

use crate::document::{Builder, Capacity, Document};
use crate::error::{Error, ErrorKind};
use crate::span::Span;
use crate::syntax::ast::{Ast, ForNode, Tree};
use crate::syntax::plan::{MAX_KEYS, MAX_LOOPS};
pub(crate) use blocks::capacity;
#[cfg(test)]
pub(crate) use convert::ConvError;
pub(crate) use convert::{check_json, json_from_str, to_value};
use rows::Content;
pub(crate) use rows::Harvest;
pub(crate) use validate::{constant_settings, lint, validate};
pub use value::Value;

/// Limits on the work one template, its includes and its data may cause. Each one, when
/// exceeded, is an [`ErrorKind::Budget`] error at the span responsible (the data's have no
/// span: they are the data's fault). The defaults keep a render of the largest input they allow
/// well under 100 ms and 64 MB; every real receipt is far inside them.
///
/// Build one from the defaults, so a budget added later keeps its default:
///
/// ```
/// let budgets = slipmark::Budgets { fuel: 10_000, ..slipmark::Budgets::default() };
/// let env = slipmark::Environment::new().with_budgets(budgets);
/// # let _ = env;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budgets {
    /// Steps per render: one per loop iteration, one per statement run, one per expression
    /// computed, and one per 32 bytes of every string or list an expression builds or reads
    /// through a filter (so `{{ big | upper }}` in a loop costs what it does).
    pub fuel: u64,
    /// Statements (`for`, `if`, includes) nested inside each other.
    pub max_depth: usize,
    /// Includes nested inside each other.
    pub max_include_depth: usize,
    /// Bytes of text in the bound document (and in any one computed string or list).
    pub max_output: usize,
    /// Bytes of one template or included file.
    pub max_template_bytes: usize,
    /// Lines of a template and all its includes together.
    pub max_template_lines: usize,
    /// Bytes of all included text together, counting a file each time it is included.
    pub max_include_bytes: usize,
    /// Include expansions per template, counting repeats (a file included four times in a
    /// loop body counts four).
    pub max_includes: usize,
    /// Size of the data: its string bytes, plus 8 per value, 64 per list or map and 16 per map
    /// entry (roughly what it costs in memory; a JSON file is checked by its length too). JSON
    /// read in place ([`crate::Template::render_json`]) is measured the same way, by a walk
    /// before binding, and refused where its conversion would be.
    pub max_data_bytes: usize,
    /// Lists and maps nested inside each other in the data (checked before descending, so
    /// deep data cannot overflow the stack; for JSON read in place, by the same walk).
    pub max_data_depth: usize,
}

impl Default for Budgets {
    fn default() -> Self {
        Budgets {
            fuel: 200_000,
            max_depth: 64,
            max_include_depth: 16,
            max_output: 1 << 20,
            max_template_bytes: 256 << 10,
            max_template_lines: 5_000,
            max_include_bytes: 256 << 10,
            max_includes: 256,
            max_data_bytes: 1 << 20,
            max_data_depth: 64,
        }
    }
}

/// Binding state for one render.
pub(crate) struct Binder<'t> {
    /// The data's top level (converted, or the caller's JSON read in place).
    root: value::Map<'t>,
    /// The `printer` variable, when the data is a map without a `printer` of its own (data
    /// wins): read as if it were one more entry of `root` (its name is listed among the
    /// root's in key order, and counted with them).
    printer: Option<Value<'t>>,
    /// Names in scope, innermost last: `set` names and loop variables, named by the template
    /// (borrowed from the AST, so entering a scope allocates nothing).
    scopes: Vec<(&'t str, Slot<'t>)>,
    /// For each loop variable in scope: its name, the index in `lists` of the data path of the
    /// list it runs over, and the current item's index, so that an error inside a loop names
    /// the item (`order.items[1]`). The path is formatted only when an error needs it.
    items: Vec<(&'t str, usize, usize)>,
    /// The data paths of the lists the loops in progress run over (`order.items`).
    lists: Vec<String>,
    /// For each loop in progress, outermost first (the first [`MAX_LOOPS`]): the current
    /// item's entries at the loop's keys ([`ForNode::keys`], what its body's
    /// [`Resolved::LoopKey`]s read), when the item is an object of the caller's JSON; `None`
    /// where it has no such key, or is anything else. In the binder, not allocated.
    ///
    /// [`Resolved::LoopKey`]: crate::syntax::ast::Resolved::LoopKey
    loops: [Keys<'t>; MAX_LOOPS],
    /// How many loops are in progress.
    loop_depth: usize,
    /// The blocks of the document so far, grouped into tables as lines come (here, not in
    /// the line's `leaf`, so that a loop of table rows adds its rows straight:
    /// [`Binder::planned_iterations`]).
    tables: tables::Assembler,
    /// The keys of the items of the list the template's first loop runs over, taken by the
    /// data's budget walk ([`rows::Harvest`]), when the data is the caller's JSON.
    harvest: Option<rows::Harvest<'t>>,
    budgets: &'t Budgets,
    fuel_used: u64,
    output: usize,
    depth: usize,
    /// The JSON object last read by key, its entries at hand (eval's fast path).
    recent: std::cell::RefCell<value::Recent<'t>>,
    /// `Some` when collecting every error (for `slipmark check`) instead of stopping at the first.
    collected: Option<Vec<Error>>,
    /// (Tests) every line through `Binder::line` and inline content through `exec`: the
    /// paths the fast ones in `blocks.rs` must equal.
    #[cfg(test)]
    slow: bool,
}

/// Binds `ast` to `data`, with `printer` the value of the `printer` variable when `data` is a
/// map without one, into a document of about `capacity` ([`capacity`] of `ast`, worked out
/// once when the template is compiled). With `collect`, keeps going after an error in one
/// line to report every error it can (budget errors still stop); otherwise stops at the first.
pub(crate) fn bind<'t>(
    ast: &'t Ast,
    capacity: &Capacity,
    data: Value<'t>,
    printer: Value<'t>,
    budgets: &'t Budgets,
    collect: bool,
    harvest: Option<Harvest<'t>>,
) -> Result<Document, Vec<Error>> {
    bind_with(
        ast, capacity, data, printer, budgets, collect, harvest, false,
    )
}

/// [`bind`], through the slow paths when `slow` (tests only).
#[allow(clippy::too_many_arguments)]
fn bind_with<'t>(
    ast: &'t Ast,
    capacity: &Capacity,
    data: Value<'t>,
    printer: Value<'t>,
    budgets: &'t Budgets,
    collect: bool,
    harvest: Option<Harvest<'t>>,
    #[cfg_attr(not(test), allow(unused_variables))] slow: bool,
) -> Result<Document, Vec<Error>> {
    let (root, printer) = match data {
        // (No data: an empty map, without the `printer` variable, as it always was.)
        Value::None => (value::Map::default(), None),
        Value::Map(m) => {
            let printer = (!m.contains_key("printer")).then_some(printer);
            (m, printer)
        }
        other => {
            return Err(vec![Error::new(
                ErrorKind::Data,
                format!(
                    "data must be an object at the top level, not a {}",
                    other.type_name()
                ),
            )]);
        }
    };
    let mut b = Binder {
        root,
        printer,
        scopes: Vec::new(),
        items: Vec::new(),
        lists: Vec::new(),
        loops: [[None; MAX_KEYS]; MAX_LOOPS],
        loop_depth: 0,
        tables: tables::Assembler::default(),
        harvest,
        budgets,
        fuel_used: 0,
        output: 0,
        depth: 0,
        collected: collect.then(Vec::new),
        recent: Default::default(),
        #[cfg(test)]
        slow,
    };
    let result = b.document(ast, capacity);
    let mut errors = b.collected.take().unwrap_or_default();
    match result {
        Ok(doc) if errors.is_empty() => Ok(doc),
        Ok(_) => Err(errors),
        Err(e) => {
            errors.push(e);
            Err(errors)
        }
    }
}

impl<'t> Binder<'t> {
    /// The data's top-level entry `name` (the `printer` variable among them).
    fn global(&self, name: &str) -> Option<Value<'t>> {
        match self.root.get(name) {
            Some(v) => Some(v),
            None if name == "printer" => self.printer.clone(),
            None => None,
        }
    }

    /// What the name `name` holds in the innermost scope that has it.
    fn scoped(&self, name: &str) -> Option<&Slot<'t>> {
        (self.scopes.iter().rev())
            .find(|(n, _)| value::same_name(n, name))
            .map(|(_, slot)| slot)
    }

    /// The number of top-level names ([`Binder::global`]).
    fn global_count(&self) -> usize {
        self.root.len() + usize::from(self.printer.is_some())
    }

    /// The top-level names, in key order (what suggestions are chosen among).
    fn global_names(&self) -> Vec<&str> {
        let mut names = self.root.keys();
        if self.printer.is_some() {
            let at = names.binary_search(&"printer").unwrap_or_else(|at| at);
            names.insert(at, "printer");
        }
        names
    }

    /// Records `err` and carries on when collecting (unless it is a budget error); otherwise
    /// returns it.
    fn recover(&mut self, err: Error) -> Result<(), Error> {
        match &mut self.collected {
            Some(list) if err.kind() != ErrorKind::Budget => {
                let dup = list
                    .iter()
                    .any(|e| e.span() == err.span() && e.message() == err.message());
                if !dup {
                    list.push(err);
                }
                Ok(())
            }
            _ => Err(err),
        }
    }

    /// Spends one unit of fuel for an iteration of the loop at `span`.
    fn spend(&mut self, span: Span) -> Result<(), Error> {
        self.burn(1, span)
    }

    /// Spends `units` of fuel for the work at `span` (a statement, an expression, the bytes a
    /// value holds).
    fn burn(&mut self, units: u64, span: Span) -> Result<(), Error> {
        self.fuel_used = self.fuel_used.saturating_add(units);
        if self.fuel_used > self.budgets.fuel {
            return Err(over_budget(
                format!("fuel exhausted: more than {} steps", self.budgets.fuel),
                span,
            )
            .with_hint("a render may run a limited number of steps: loop iterations, statements and the bytes they compute (Budgets::fuel); check the data this runs over"));
        }
        Ok(())
    }

    /// Fuel that ran out inside a loop's body: the innermost loop is labelled (it is what
    /// multiplied the work).
    fn in_loop(&self, err: Error, span: Span) -> Error {
        let fuel = err.kind() == ErrorKind::Budget && err.message().starts_with("fuel");
        if fuel && err.labels().is_empty() && err.span() != Some(span) {
            err.with_label(span, "inside this loop")
        } else {
            err
        }
    }

    /// Counts `bytes` of output produced at `span`.
    fn produce(&mut self, bytes: usize, span: Span) -> Result<(), Error> {
        self.output += bytes;
        if self.output > self.budgets.max_output {
            return Err(over_budget(
                format!("output exceeds {} bytes", self.budgets.max_output),
                span,
            )
            .with_hint("a receipt this long cannot print; check the data (Budgets::max_output)"));
        }
        Ok(())
    }

    /// Checks the size of a computed string or list.
    fn check_value_size(&self, len: usize, span: Span) -> Result<(), Error> {
        value_size(len, self.budgets.max_output, span)
    }

    /// Runs a statement tree, calling `leaf` for content (written into `doc`). The same code
    /// serves lines and inline content.
    fn exec<T: Content>(
        &mut self,
        nodes: &'t [Tree<T>],
        doc: &mut Builder,
        leaf: &mut Leaf<'_, 't, T>,
    ) -> Result<(), Error> {
        for node in nodes {
            let result = match node {
                // Content straight to `leaf` (what `exec_one` does for it, without the call).
                Tree::Leaf(t) => leaf(self, doc, t),
                _ => self.exec_one(node, doc, leaf),
            };
            if let Err(e) = result {
                self.recover(e)?;
            }
        }
        Ok(())
    }

    fn exec_one<T: Content>(
        &mut self,
        node: &'t Tree<T>,
        doc: &mut Builder,
        leaf: &mut Leaf<'_, 't, T>,
    ) -> Result<(), Error> {
        match node {
            Tree::Leaf(t) => leaf(self, doc, t),
            Tree::Set(s) => {
                self.burn(1, s.name.span)?;
                let v = self.eval(&s.value)?;
                self.scopes.push((&s.name.value, Slot::Value(v)));
                Ok(())
            }
            Tree::If(n) => self.nested(n.span, |b| {
                b.burn(1, n.span)?;
                for (cond, body) in &n.branches {
                    if b.eval(cond)?.truthy() {
                        return b.exec(body, doc, leaf);
                    }
                }
                b.exec(&n.otherwise, doc, leaf)
            }),
            Tree::Include(inc) => self.nested(inc.span, |b| {
                b.burn(1, inc.span)?;
                b.exec(&inc.body, doc, leaf)
            }),
            Tree::For(f) => {
                self.burn(1, f.span)?;
                let seq = self.eval(&f.iter)?;
                let items = match seq {
                    Value::List(items) => items,
                    Value::None => value::List::default(),
                    other => {
                        return Err(value::type_error(&other, "loop over", f.iter.span)
                            .with_hint("`for` runs over a list"));
                    }
                };
                if items.is_empty() {
                    return self.nested(f.span, |b| b.exec(&f.empty, doc, leaf));
                }
                let list = self.data_path(&f.iter).map(|path| {
                    self.lists.push(path);
                    self.lists.len() - 1
                });
                let r = self.nested(f.span, |b| b.iterate(f, &items, list, doc, leaf));
                if list.is_some() {
                    self.lists.pop();
                }
                r
            }
        }
    }

    /// The iterations of the loop `f` over `items` (`list`: the index of its data path in
    /// `lists`). After the first, `doc` makes room for the rest as the first took
    /// ([`Builder::reserve_repeats`]: only capacity, so the document is the same).
    ///
    /// The loop's two names (`loop` and its variable) and its item entry are pushed once and
    /// rewritten in place for each iteration, and what the body pushed (`set`) is taken off
    /// after each: the same scopes, iteration by iteration, as pushing them anew.
    fn iterate<T: Content>(
        &mut self,
        f: &'t ForNode<T>,
        items: &value::List<'t>,
        list: Option<usize>,
        doc: &mut Builder,
        leaf: &mut Leaf<'_, 't, T>,
    ) -> Result<(), Error> {
        let mark = self.scopes.len();
        let marked = self.items.len();
        let looped = self.loop_depth;
        self.scopes.push(("loop", Slot::Loop { index: 0, len: 0 }));
        self.scopes.push((&f.var.value, Slot::Value(Value::None)));
        if let Some(list) = list {
            self.items.push((&f.var.value, list, 0));
        }
        self.loop_depth += 1;
        // A body that is one flat table row (an item line): written from its plan.
        let r = match self.row_plan(f) {
            Some(plan) => {
                self.planned_iterations(f, &plan, items, (mark, list.is_some()), doc, leaf)
            }
            None => self.iterations(f, items, (mark, list.is_some()), doc, leaf),
        };
        self.scopes.truncate(mark);
        self.items.truncate(marked);
        self.loop_depth = looped;
        r
    }

    /// [`Binder::iterate`]'s iterations, the loop's names at `mark` in `scopes` (and, when
    /// `has_item`, its item entry last in `items`).
    fn iterations<T: Content>(
        &mut self,
        f: &'t ForNode<T>,
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
                // The keys the body reads off the item, taken in one pass (`Binder::loops`).
                if let Some(keys) = self.loops.get_mut(self.loop_depth - 1) {
                    *keys = [None; MAX_KEYS];
                    if let Value::Map(value::Map::Data(m)) = &item {
                        take_keys(m, &f.keys, keys);
                    }
                }
            }
            self.enter_item((mark, has_item), i, len, item);
            let r = self.exec(&f.body, doc, leaf);
            self.scopes.truncate(mark + 2);
            r.map_err(|e| self.in_loop(e, f.span))?;
            if i == 0 {
                self.reserve_repeats(doc, before, len);
            }
        }
        Ok(())
    }

    /// The scopes of iteration `i` of `len`, whose item is `item`: the `loop` slot (a slot,
    /// made a map only if the body reads it whole), the variable, and, when `has_item`, the
    /// item's index in its entry last in `items`.
    #[inline]
    fn enter_item(
        &mut self,
        (mark, has_item): (usize, bool),
        i: usize,
        len: usize,
        item: Value<'t>,
    ) {
        self.scopes[mark].1 = Slot::Loop { index: i, len };
        self.scopes[mark + 1].1 = Slot::Value(item);
        if let Some(entry) = self.items.last_mut().filter(|_| has_item) {
            entry.2 = i;
        }
    }

    /// After a loop's first of `len` iterations, which wrote from `before` on: room for the
    /// rest as long as the first (`Builder::reserve_repeats`), for no more iterations than the
    /// fuel left could pay for (one unit each).
    fn reserve_repeats(&self, doc: &mut Builder, before: crate::document::Mark, len: usize) {
        let left = self.budgets.fuel.saturating_sub(self.fuel_used);
        let times = (len - 1).min(usize::try_from(left).unwrap_or(usize::MAX));
        doc.reserve_repeats(before, times, self.budgets.max_output);
    }

    /// Runs `f` one statement level deeper.
    fn nested(
        &mut self,
        span: Span,
        f: impl FnOnce(&mut Self) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if self.depth >= self.budgets.max_depth {
            return Err(over_budget(
                format!(
                    "statements nested more than {} deep",
                    self.budgets.max_depth
                ),
                span,
            ));
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }
}

/// What [`Binder::exec`] calls for each piece of content: the binder, the document being
/// built and the piece.
type Leaf<'a, 't, T> = dyn FnMut(&mut Binder<'t>, &mut Builder, &'t T) -> Result<(), Error> + 'a;

/// The fuel a value costs to build or read: one unit per 32 bytes or items it holds (its
/// top level; nested data was paid for when it was built or converted).
fn weight(v: &Value<'_>) -> u64 {
    let n = match v {
        Value::Str(s) => s.len(),
        Value::List(l) => l.len(),
        Value::Map(m) => m.len(),
        _ => 0,
    };
    n as u64 / 32
}

/// The error for a budget (see [`Budgets`]) that ran out at `span`.
pub(crate) fn over_budget(message: String, span: Span) -> Error {
    Error::new(ErrorKind::Budget, message).at(span)
}

/// Checks that a computed string or list of `len` bytes or items fits in `max`.
fn value_size(len: usize, max: usize, span: Span) -> Result<(), Error> {
    if len > max {
        return Err(over_budget(format!("value larger than {max} bytes"), span));
    }
    Ok(())
}

/// The entries of an item at its loop's keys ([`Binder::loops`]).
type Keys<'d> = [Option<&'d serde_json::Value>; MAX_KEYS];

/// Fills `out` (all `None`) with the entries of `m` at `keys` (distinct, at most [`MAX_KEYS`]): what
/// `m.get(key)` gives for each, found in one pass over a small object's entries (each key
/// compared with each entry's, lengths first), or by `get` for a large one.
#[inline(always)]
fn take_keys<'d>(
    m: &'d serde_json::Map<String, serde_json::Value>,
    keys: &[String],
    out: &mut Keys<'d>,
) {
    if m.len() > 16 {
        for (slot, key) in out.iter_mut().zip(keys) {
            *slot = m.get(key);
        }
        return;
    }
    for (k, v) in m {
        for (slot, key) in out.iter_mut().zip(keys) {
            // Lengths first (most keys differ in length), then the bytes: `==`'s answer
            // without its call to `memcmp`.
            if value::same_name(key, k) {
                *slot = Some(v);
                break;
            }
        }
    }
}

/// What a name in scope holds.
enum Slot<'d> {
    /// A value (`set`, a loop variable).
    Value(Value<'d>),
    /// The `loop` variable of iteration `index` of `len`: its attributes are read straight
    /// from here ([`loop_attr`]); the map [`loop_value`] builds is made only when the whole
    /// `loop` is used, so a body that never reads `loop` costs nothing for it.
    Loop { index: usize, len: usize },
}

impl<'d> Slot<'d> {
    /// The value the name holds.
    fn value(&self) -> Value<'d> {
        match self {
            Slot::Value(v) => v.clone(),
            Slot::Loop { index, len } => loop_value(*index, *len),
        }
    }
}

/// `loop.<name>` of iteration `i` of `len`, as [`loop_value`]'s map holds it; `None` for a
/// name the map lacks.
fn loop_attr(name: &str, i: usize, len: usize) -> Option<Value<'static>> {
    Some(match name {
        "index" => Value::int(i as i64 + 1),
        "index0" => Value::int(i as i64),
        "revindex" => Value::int((len - i) as i64),
        "first" => Value::Bool(i == 0),
        "last" => Value::Bool(i + 1 == len),
        "length" => Value::int(len as i64),
        _ => return None,
    })
}

/// The `loop` variable of iteration `i` of `len`.
fn loop_value(i: usize, len: usize) -> Value<'static> {
    let m = ["index", "index0", "revindex", "first", "last", "length"]
        .into_iter()
        .filter_map(|name| Some((Arc::from(name), loop_attr(name, i, len)?)))
        .collect();
    Value::Map(m)
}

#[cfg(test)]
mod tests {
    use super::{Keys, MAX_KEYS, take_keys};
    use proptest::prelude::*;

    proptest! {
        /// The entries taken at a loop's keys are what `get` gives for each key, for small
        /// objects and large, keys of one length and of many.
        #[test]
        fn taking_the_keys_is_getting_each_key(
            entries in proptest::collection::btree_map("[a-c]{0,3}|[a-z]{3,18}", 0u8..4, 0..20),
            keys in proptest::collection::btree_set("[a-c]{0,3}|[a-z]{3,18}|name|qty|price", 0..=MAX_KEYS),
        ) {
            let m: serde_json::Map<String, serde_json::Value> =
                entries.into_iter().map(|(k, v)| (k, serde_json::json!(v))).collect();
            let keys: Vec<String> = keys.into_iter().collect();
            let mut out: Keys = [None; MAX_KEYS];
            take_keys(&m, &keys, &mut out);
            for (i, key) in keys.iter().enumerate() {
                prop_assert_eq!(out[i], m.get(key), "{}", key);
            }
            prop_assert!(out[keys.len()..].iter().all(Option::is_none));
        }
    }
}
