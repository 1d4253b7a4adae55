//! Expression evaluation.

use std::sync::Arc;

use super::decimal::Decimal;
use super::filters::{self, Filter};
use super::value::{List, Place, Undefined, Value, type_error, undefined_error};
use super::{Binder, Slot};
use crate::error::{Error, ErrorKind};
use crate::span::{Span, Spanned};
use crate::suggest::nearest;
use crate::syntax::ast::{BinOp, Expr, ExprKind, Resolved};

impl<'t> Binder<'t> {
    /// Looks a variable up: innermost scope first, then the data.
    pub(super) fn lookup(&self, name: &str, span: Span) -> Value<'t> {
        if let Some(v) = self.scoped(name) {
            return v.value();
        }
        if let Some(v) = self.global(name) {
            return v;
        }
        let keys: Vec<&str> = (self.global_names().into_iter())
            .chain(self.scopes.iter().map(|(n, _)| *n))
            .collect();
        undefined(name.to_string(), span, nearest(name, &keys))
    }

    /// Evaluates an expression.
    pub(super) fn eval(&mut self, e: &Expr) -> Result<Value<'t>, Error> {
        if let Some(v) = self.peek(e) {
            return Ok(v);
        }
        self.burn(1, e.span)?;
        Ok(match &e.kind {
            ExprKind::None => Value::None,
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Number(n) => match Decimal::parse(n) {
                Some(d) => Value::Num(d),
                None => {
                    return Err(Error::new(
                        ErrorKind::Arithmetic,
                        format!("number `{n}` is too large"),
                    )
                    .at(e.span));
                }
            },
            ExprKind::Str(s) => Value::str(s.as_str()),
            ExprKind::List(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    out.push(self.eval(item)?);
                }
                Value::List(List::from(out))
            }
            ExprKind::Var(name) => {
                let v = self.lookup(name, e.span);
                if matches!(v, Value::Undefined(_)) {
                    // Looking for a suggestion compared the name with every name in scope.
                    let names = self.global_count() + self.scopes.len();
                    self.burn(names as u64 / 4, e.span)?;
                }
                v
            }
            ExprKind::Attr(base, name) => {
                if let Some(v) = self.loop_attr(base, &name.value)? {
                    return Ok(v);
                }
                let b = self.eval(base)?;
                let keys = map_len(&b);
                let v = self.attr(b, &name.value, e)?;
                self.burn_missing(&v, keys, e.span)?;
                v
            }
            ExprKind::Index(base, index) => {
                let b = self.eval(base)?;
                let i = self.eval(index)?;
                let key = match &i {
                    Value::Str(s) => s.to_string(),
                    Value::Num(d) => d.to_string(),
                    Value::Undefined(_) => return Err(undefined_error(&i)),
                    other => {
                        return Err(Error::new(
                            ErrorKind::Type,
                            format!("cannot index with a {}", other.type_name()),
                        )
                        .at(index.span));
                    }
                };
                let keys = map_len(&b);
                let v = self.attr(b, &key, e)?;
                self.burn_missing(&v, keys, e.span)?;
                v
            }
            ExprKind::Neg(inner) => match self.eval(inner)? {
                Value::Num(d) => Value::Num(d.checked_neg().ok_or_else(|| overflow(e.span))?),
                v => return Err(type_error(&v, "negate", inner.span)),
            },
            ExprKind::Not(inner) => Value::Bool(!self.eval(inner)?.truthy()),
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, e.span)?,
            ExprKind::Filter(target, name, args) => {
                let (call, t, values) = self.filter_inputs(e, target, name, args)?;
                let out = filters::apply(&call, t, values)?;
                self.burn(super::weight(&out), e.span)?;
                out
            }
        })
    }

    /// Writes the printed value of `e` at the end of `out`: what [`Binder::eval`] and then
    /// [`filters::print`] would write, the same fuel spent and the same errors, and nothing
    /// written on an error. `money` writes its text straight into `out` instead of building a
    /// string value first.
    pub(super) fn print(&mut self, e: &Expr, out: &mut String) -> Result<(), Error> {
        if let Some(printed) = self.print_fast(e, out) {
            return printed;
        }
        if let ExprKind::Filter(target, name, args) = &e.kind {
            if super::value::same_name(&name.value, "money") {
                // As `eval` does: one step for the expression, then the filter's inputs.
                self.burn(1, e.span)?;
                let (call, t, values) = self.filter_inputs(e, target, name, args)?;
                let start = out.len();
                filters::print_money(&call, &t, &values, out)?;
                // The fuel of the string `money` builds: its bytes (as `weight` counts them).
                return self.burn((out.len() - start) as u64 / 32, e.span);
            }
        }
        let v = self.eval(e)?;
        filters::print(&v, e.span, out)
    }

    /// The fast paths of [`Binder::print`]: `Some` with what `print` returns when one of them
    /// takes `e` (its fuel spent, its text written), `None`, having spent and written nothing,
    /// when `e` needs the general path.
    #[inline(always)]
    pub(super) fn print_fast(&mut self, e: &Expr, out: &mut String) -> Option<Result<(), Error>> {
        if !fast_paths() {
            // (Tests: the step-by-step evaluation alone, to compare the fast paths with.)
            return None;
        }
        if let ExprKind::Var(_) | ExprKind::Attr(..) = e.kind {
            // Fast path 1: a chain of attributes, printed from where its value is.
            let (place, steps) = self.peek_place(e)?;
            let used = self.fits(steps)?;
            let printed = filters::print_place(place, e.span, out);
            self.fuel_used = used;
            return Some(printed);
        }
        // Fast path 2: arithmetic and `money` of it, on numbers read in place.
        let start = out.len();
        let steps = self.quick_write(e, out)?;
        if let Some(used) = self.fits(steps) {
            self.fuel_used = used;
            return Some(Ok(()));
        }
        // Fuel runs out somewhere inside: the step-by-step path says where.
        out.truncate(start);
        None
    }

    /// The fuel used after `steps` more, when that is within the budget (`burn` would not
    /// fail); `None` when it would run out.
    pub(super) fn fits(&self, steps: u64) -> Option<u64> {
        let used = self.fuel_used.checked_add(steps)?;
        (used <= self.budgets.fuel).then_some(used)
    }

    /// The fast path of [`Binder::print`] for numbers: arithmetic (`+ - * / %`, `-x`) on
    /// number literals and numbers read in place ([`Binder::quick_num`]), and `money` of such
    /// a number (or of a string holding one) with no symbol or a literal one. Writes the text
    /// at the end of `out` and returns the fuel the step-by-step evaluation spends for it: one
    /// step per expression, per part of a chain and per literal, and `money`'s result by its
    /// bytes (numbers weigh nothing; a string target its bytes, as `filter_inputs` counts).
    /// `None`, having written nothing, for anything else, and wherever the general path would
    /// meet an error (a missing key, a value of another type, an overflow, a division by zero):
    /// that path then makes the same steps and reports it.
    fn quick_write(&self, e: &Expr, out: &mut String) -> Option<u64> {
        let mut steps = 0;
        match &e.kind {
            ExprKind::Binary(..) | ExprKind::Neg(_) | ExprKind::Number(_) => {
                self.quick_num(e, &mut steps)?.write_to(out);
            }
            ExprKind::Filter(target, name, args)
                if super::value::same_name(&name.value, "money") =>
            {
                steps += 1;
                if args.is_empty() {
                    // A price times a quantity (the item row's amount): in cents, in an i64.
                    if let Some(n) = self.quick_cents_of_product(target, out) {
                        return Some(steps + n);
                    }
                }
                let d = self.quick_money_target(target, &mut steps)?;
                let symbol = match args.as_slice() {
                    [] => "",
                    [arg] => match &arg.kind {
                        ExprKind::Str(s) => {
                            steps += 1;
                            s.as_str()
                        }
                        _ => return None,
                    },
                    _ => return None,
                };
                let start = out.len();
                // A price without a symbol: its cents written straight (`write_cents` is
                // `round(2)` and `write_to`, which `write_money` does with no symbol).
                if !(symbol.is_empty() && d.write_cents(out)) {
                    filters::write_money(d.round(2)?, symbol, out);
                }
                steps += (out.len() - start) as u64 / 32;
            }
            _ => return None,
        }
        Some(steps)
    }

    /// The fast path of [`Binder::quick_write`] for `money` without a symbol of a product of
    /// two chains holding numbers (`(it.price * it.qty) | money`) whose mantissas multiply in
    /// an `i64` to at most two decimals: the product's cents written at the end of `out`,
    /// and the fuel of the target returned (the product and its two chains, as `quick_num`
    /// counts them; `money`'s own step and its output are the caller's). `None`, having
    /// written nothing, for anything else (then the general fast path).
    ///
    /// The same text: `checked_mul` of two numbers whose mantissas fit an i64 is their
    /// mantissas' product at the sum of their scales (at most 2, so not rounded), and
    /// `write_cents` of that writes the product times 10^(2 − scale) as cents, which is what
    /// [`Decimal::write_product_cents`] writes when it fits an i64 (proptest
    /// `product_cents_are_checked_mul_then_write_cents`).
    #[inline]
    fn quick_cents_of_product(&self, target: &Expr, out: &mut String) -> Option<u64> {
        let ExprKind::Binary(BinOp::Mul, l, r) = &target.kind else {
            return None;
        };
        // Chains only (`quick_operand`'s first arm): anything else takes the general path.
        let (a, na) = self.peek_place(l)?;
        let (b, nb) = self.peek_place(r)?;
        if !Decimal::write_product_cents(a.num()?, b.num()?, out) {
            return None;
        }
        Some(1 + na + nb)
    }

    /// The number `money` reads from its target `e` in [`Binder::quick_write`], with the
    /// fuel of evaluating it and of reading it (`weight`) added to `steps`: a chain's number,
    /// or its string read as a number (as `money` reads one); else arithmetic.
    fn quick_money_target(&self, e: &Expr, steps: &mut u64) -> Option<Decimal> {
        if !matches!(e.kind, ExprKind::Var(_) | ExprKind::Attr(..)) {
            return self.quick_num(e, steps);
        }
        let (place, n) = self.peek_place(e)?;
        *steps += n;
        if let Some(d) = place.num() {
            return Some(d);
        }
        match place.value() {
            Value::Str(s) => {
                *steps += s.len() as u64 / 32;
                Decimal::parse(&s)
            }
            _ => None,
        }
    }

    /// The number `e` evaluates to when it is a number literal, a chain of attributes holding
    /// a number, or arithmetic on those, with one step of fuel per expression and per part of
    /// a chain added to `steps` (what `eval` spends: the operands are numbers, which weigh
    /// nothing). `None` for anything else and wherever `eval` would fail.
    fn quick_num(&self, e: &Expr, steps: &mut u64) -> Option<Decimal> {
        match &e.kind {
            ExprKind::Var(_) | ExprKind::Attr(..) => {
                let (place, n) = self.peek_place(e)?;
                *steps += n;
                place.num()
            }
            ExprKind::Number(n) => {
                *steps += 1;
                Decimal::parse(n)
            }
            ExprKind::Neg(inner) => {
                *steps += 1;
                self.quick_num(inner, steps)?.checked_neg()
            }
            ExprKind::Binary(op, l, r) => {
                let f = match op {
                    BinOp::Add => Decimal::checked_add,
                    BinOp::Sub => Decimal::checked_sub,
                    BinOp::Mul => Decimal::checked_mul,
                    BinOp::Div => Decimal::checked_div,
                    BinOp::Rem => Decimal::checked_rem,
                    _ => return None,
                };
                *steps += 1;
                let a = self.quick_operand(l, steps)?;
                let b = self.quick_operand(r, steps)?;
                f(a, b)
            }
            _ => None,
        }
    }

    /// [`Binder::quick_num`] of an operand: a chain or a number literal read here, inlined
    /// (the same arms as `quick_num`'s, so the same number and steps), without the recursive
    /// call `quick_num` makes for anything else.
    #[inline(always)]
    fn quick_operand(&self, e: &Expr, steps: &mut u64) -> Option<Decimal> {
        match &e.kind {
            ExprKind::Var(_) | ExprKind::Attr(..) => {
                let (place, n) = self.peek_place(e)?;
                *steps += n;
                place.num()
            }
            _ => self.quick_num(e, steps),
        }
    }

    /// The resolved call, the target's value and the arguments' values of the filter call `e`
    /// (`target | name(args)`), with the fuel of reading the target spent.
    fn filter_inputs<'e>(
        &mut self,
        e: &Expr,
        target: &Expr,
        name: &Spanned<String>,
        args: &'e [Expr],
    ) -> Result<(filters::Call<'e>, Value<'t>, filters::Args<'t>), Error> {
        let call = filters::Call {
            filter: Filter::resolve(name, args.len(), e.span)?,
            name: name.span,
            span: e.span,
            args,
            max_value: self.budgets.max_output,
        };
        let t = self.eval(target)?;
        let mut values = filters::Args::default();
        for a in args {
            values.push(self.eval(a)?);
        }
        // A filter reads its target and builds its result: both cost.
        self.burn(super::weight(&t), e.span)?;
        Ok((call, t, values))
    }

    /// The path in the data that `e` names, through the loop variables in scope
    /// (`it.options` inside `{% for it in order.items %}` is `order.items[1].options` at the
    /// second item); `None` for anything that is not a path into the data.
    pub(super) fn data_path(&self, e: &Expr) -> Option<String> {
        match &e.kind {
            ExprKind::Var(n) => match self.items.iter().rev().find(|(v, ..)| v == n) {
                Some(&(_, list, i)) => Some(format!("{}[{i}]", self.lists[list])),
                None if self.scopes.iter().any(|(v, _)| v == n) => None,
                None => Some(n.clone()),
            },
            ExprKind::Attr(b, n) => Some(format!("{}.{}", self.data_path(b)?, n.value)),
            ExprKind::Index(b, i) => match &i.kind {
                ExprKind::Number(n) => Some(format!("{}[{n}]", self.data_path(b)?)),
                ExprKind::Str(s) => Some(format!("{}[{s:?}]", self.data_path(b)?)),
                _ => None,
            },
            _ => None,
        }
    }

    /// The fast path of [`Binder::eval`] for a variable or a chain of attributes (`it.name`,
    /// `order.customer.phone`) whose every part exists in a map: the value read in place,
    /// without cloning each step's map, and the fuel `eval` would spend (one step per part)
    /// spent. `None`, having spent nothing, for anything else (a `loop` slot, a list, a
    /// missing name, fuel that would run out) — `eval` then takes its general path, which
    /// makes the same steps one by one and reports any error where it arises.
    fn peek(&mut self, e: &Expr) -> Option<Value<'t>> {
        if !fast_paths() {
            return None;
        }
        let (place, steps) = self.peek_place(e)?;
        let used = self.fits(steps)?;
        let v = place.value();
        self.fuel_used = used;
        Some(v)
    }

    /// Where the value `e` names is, when it is a variable, or attributes of one, that exist
    /// in maps, and the number of parts (each a step of fuel). Names resolve as
    /// [`Binder::lookup`] does: innermost scope first, then the data. Nothing is copied on the
    /// way: each part is looked up where the previous one is.
    #[inline(always)]
    fn peek_place(&self, e: &Expr) -> Option<(Place<'_, 't>, u64)> {
        // Resolved at compile time (`it.name` in a loop over `it`): the entry the loop took
        // from its item. It is the entry the lookup below finds (the name is the loop's
        // variable, bound to that item, and `Place::attr` reads the same object's same key),
        // in the same two steps; an item without it is looked up below, for the same answer.
        if let Resolved::LoopKey { depth, key } = e.resolved {
            let keys = (usize::from(depth) < self.loop_depth)
                .then(|| self.loops.get(usize::from(depth)))
                .flatten();
            if let Some(&Some(v)) = keys.and_then(|k| k.get(usize::from(key))) {
                return Some((Place::Json(v), 2));
            }
        }
        // The usual chain, `it.name`: one key of a variable (inlined where it is read).
        if let ExprKind::Attr(base, key) = &e.kind {
            if let ExprKind::Var(var) = &base.kind {
                let place = self.var_place(var)?.attr(&key.value, &self.recent)?;
                return Some((place, 2));
            }
        }
        self.peek_chain(e)
    }

    /// [`Binder::peek_place`] of any chain.
    fn peek_chain(&self, e: &Expr) -> Option<(Place<'_, 't>, u64)> {
        // Walk in from the whole chain to its variable, counting the attributes...
        let mut len = 0;
        let mut at = e;
        let var = loop {
            match &at.kind {
                ExprKind::Var(name) => break name,
                ExprKind::Attr(base, _) => {
                    len += 1;
                    at = base;
                }
                _ => return None,
            }
        };
        // ...then read them from the variable out: the key `depth` attributes in from the
        // outside, for each depth from the innermost (chains are short: a walk in each time
        // costs less than collecting the keys).
        let mut place = self.var_place(var)?;
        for depth in (0..len).rev() {
            let mut at = e;
            for _ in 0..depth {
                let ExprKind::Attr(base, _) = &at.kind else {
                    return None;
                };
                at = base;
            }
            let ExprKind::Attr(_, key) = &at.kind else {
                return None;
            };
            place = place.attr(&key.value, &self.recent)?;
        }
        Some((place, len + 1))
    }

    /// Where the variable `name` is ([`Binder::lookup`]'s value, borrowed): `None` for a
    /// `loop` slot and a missing name.
    #[inline(always)]
    fn var_place(&self, name: &str) -> Option<Place<'_, 't>> {
        match self.scoped(name) {
            Some(Slot::Value(v)) => Some(Place::Held(v)),
            Some(Slot::Loop { .. }) => None,
            // As `global`: the data's entry, else the `printer` variable.
            None => match self.root.place(name) {
                Some(place) => Some(place),
                None if name == "printer" => self.printer.as_ref().map(Place::Held),
                None => None,
            },
        }
    }

    /// `loop.index` and the other attributes of a `loop` in scope, read without building its
    /// map: the value, and the fuel, are those of evaluating `base` (one step) and taking the
    /// attribute of the map. `None` when `base` is not a `loop` slot or the name is not one
    /// of its keys (the general path then builds the map, for the same error).
    fn loop_attr(&mut self, base: &Expr, name: &str) -> Result<Option<Value<'t>>, Error> {
        let ExprKind::Var(var) = &base.kind else {
            return Ok(None);
        };
        let Some(Slot::Loop { index, len }) = self.scoped(var) else {
            return Ok(None);
        };
        let Some(v) = super::loop_attr(name, *index, *len) else {
            return Ok(None);
        };
        self.burn(1, base.span)?;
        Ok(Some(v))
    }

    /// A missing key looked for a suggestion among `keys` others: that costs fuel.
    fn burn_missing(&mut self, v: &Value<'_>, keys: usize, span: Span) -> Result<(), Error> {
        if matches!(v, Value::Undefined(_)) {
            self.burn(keys as u64 / 4, span)?;
        }
        Ok(())
    }

    /// `base.key` / `base[key]`.
    fn attr(&self, base: Value<'t>, key: &str, whole: &Expr) -> Result<Value<'t>, Error> {
        let span = whole.span;
        match base {
            Value::Undefined(u) => Ok(Value::Undefined(u)),
            Value::None => Ok(undefined(path(whole), span, None)),
            Value::Map(m) => Ok(match m.get(key) {
                Some(v) => v,
                None => {
                    let item = match &whole.kind {
                        ExprKind::Attr(b, _) | ExprKind::Index(b, _) => self
                            .data_path(b)
                            .filter(|p| p.contains('[') && *p != path(b)),
                        _ => None,
                    };
                    let keys = m.keys();
                    let suggestion = nearest(key, &keys).map(|k| {
                        let p = path(whole);
                        match p.rsplit_once('.') {
                            Some((parent, _)) => format!("{parent}.{k}"),
                            None => k.to_string(),
                        }
                    });
                    let value = undefined(path(whole), span, suggestion.as_deref());
                    match (value, item) {
                        (Value::Undefined(u), Some(item)) => {
                            Value::Undefined(Arc::new(Undefined {
                                item: Some(format!("{item} has no `{key}`")),
                                ..Arc::unwrap_or_clone(u)
                            }))
                        }
                        (value, _) => value,
                    }
                }
            }),
            Value::List(l) => {
                if key == "length" {
                    return Ok(Value::int(l.len() as i64));
                }
                let idx = key.parse::<i64>().ok().and_then(|i| {
                    let n = l.len() as i64;
                    let i = if i < 0 { n + i } else { i };
                    (0..n).contains(&i).then_some(i as usize)
                });
                Ok(match idx.and_then(|i| l.get(i)) {
                    Some(v) => v,
                    None => undefined(path(whole), span, None),
                })
            }
            other => Err(Error::new(
                ErrorKind::Type,
                format!("a {} has no attribute `{key}`", other.type_name()),
            )
            .at(span)),
        }
    }

    fn binary(&mut self, op: BinOp, l: &Expr, r: &Expr, span: Span) -> Result<Value<'t>, Error> {
        // Short-circuit operators return an operand, as in Jinja.
        match op {
            BinOp::And => {
                let a = self.eval(l)?;
                return if a.truthy() {
                    self.eval(r)
                } else {
                    Ok(Value::Bool(false))
                };
            }
            BinOp::Or => {
                let a = self.eval(l)?;
                return if a.truthy() { Ok(a) } else { self.eval(r) };
            }
            _ => {}
        }
        let a = self.eval(l)?;
        let b = self.eval(r)?;
        // Joining, comparing and searching read both operands.
        self.burn(super::weight(&a) + super::weight(&b), span)?;
        for v in [&a, &b] {
            if matches!(v, Value::Undefined(_)) && !matches!(op, BinOp::Eq | BinOp::Ne) {
                return Err(undefined_error(v));
            }
        }
        let num =
            |f: fn(Decimal, Decimal) -> Option<Decimal>, what: &str| -> Result<Value<'t>, Error> {
                match (&a, &b) {
                    (Value::Num(x), Value::Num(y)) => f(*x, *y).map(Value::Num).ok_or_else(|| {
                        if y.is_zero() && matches!(op, BinOp::Div | BinOp::Rem) {
                            Error::new(ErrorKind::Arithmetic, "division by zero").at(r.span)
                        } else {
                            overflow(span)
                        }
                    }),
                    _ => Err(Error::new(
                        ErrorKind::Type,
                        format!("cannot {what} a {} and a {}", a.type_name(), b.type_name()),
                    )
                    .at(span)),
                }
            };
        Ok(match op {
            BinOp::Add => match (&a, &b) {
                (Value::Str(x), Value::Str(y)) => {
                    let s = format!("{x}{y}");
                    self.check_value_size(s.len(), span)?;
                    Value::str(s)
                }
                (Value::List(x), Value::List(y)) => {
                    self.check_value_size(x.len() + y.len(), span)?;
                    Value::List(List::from(x.iter().chain(y.iter()).collect::<Vec<_>>()))
                }
                _ => num(Decimal::checked_add, "add")?,
            },
            BinOp::Sub => num(Decimal::checked_sub, "subtract")?,
            BinOp::Mul => num(Decimal::checked_mul, "multiply")?,
            BinOp::Div => num(Decimal::checked_div, "divide")?,
            BinOp::Rem => num(Decimal::checked_rem, "take the remainder of")?,
            BinOp::Eq => Value::Bool(a.same(&b)),
            BinOp::Ne => Value::Bool(!a.same(&b)),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ord = match (&a, &b) {
                    (Value::Num(x), Value::Num(y)) => x.cmp(y),
                    (Value::Str(x), Value::Str(y)) => (**x).cmp(&**y),
                    _ => {
                        return Err(Error::new(
                            ErrorKind::Type,
                            format!(
                                "cannot compare a {} with a {}",
                                a.type_name(),
                                b.type_name()
                            ),
                        )
                        .at(span));
                    }
                };
                Value::Bool(match op {
                    BinOp::Lt => ord.is_lt(),
                    BinOp::Le => ord.is_le(),
                    BinOp::Gt => ord.is_gt(),
                    _ => ord.is_ge(),
                })
            }
            BinOp::In | BinOp::NotIn => {
                let found = match &b {
                    Value::List(l) => l.iter().any(|v| v.same(&a)),
                    Value::Map(m) => matches!(&a, Value::Str(k) if m.contains_key(k)),
                    Value::Str(s) => match &a {
                        Value::Str(needle) => s.contains(&**needle),
                        _ => return Err(type_error(&a, "search a string for", l.span)),
                    },
                    other => return Err(type_error(other, "search in", r.span)),
                };
                Value::Bool(found == (op == BinOp::In))
            }
            BinOp::And | BinOp::Or => unreachable_bool(),
        })
    }
}

#[cfg(test)]
thread_local! {
    /// Set by tests to bind step by step, without the fast paths.
    static STEP_BY_STEP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether the fast paths run (always, but in the tests that compare them with the general path).
pub(super) fn fast_paths() -> bool {
    #[cfg(test)]
    return !STEP_BY_STEP.with(std::cell::Cell::get);
    #[cfg(not(test))]
    true
}

/// `and`/`or` return early above; this keeps the match exhaustive without a panic.
fn unreachable_bool() -> Value<'static> {
    Value::Bool(false)
}

fn map_len(v: &Value<'_>) -> usize {
    match v {
        Value::Map(m) => m.len(),
        _ => 0,
    }
}

/// The path an expression names, for messages (`order.items[…].name`).
fn path(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Var(n) => n.clone(),
        ExprKind::Attr(b, n) => format!("{}.{}", path(b), n.value),
        ExprKind::Index(b, i) => match &i.kind {
            ExprKind::Number(n) => format!("{}[{n}]", path(b)),
            ExprKind::Str(s) => format!("{}[{s:?}]", path(b)),
            _ => format!("{}[…]", path(b)),
        },
        _ => "value".to_string(),
    }
}

/// An undefined value named `name` at `span`, with an optional suggestion.
pub(super) fn undefined(name: String, span: Span, suggestion: Option<&str>) -> Value<'static> {
    Value::Undefined(Arc::new(Undefined {
        name,
        span,
        suggestion: suggestion.map(str::to_string),
        item: None,
    }))
}

fn overflow(span: Span) -> Error {
    Error::new(ErrorKind::Arithmetic, "number too large").at(span)
}

#[cfg(test)]
mod tests {
    use crate::Budgets;
    use proptest::prelude::*;

    /// Binding `text` to `data` with `fuel`, the fast paths on or off: the document, or the
    /// error with its span, as text.
    fn bound(text: &str, data: &serde_json::Value, fuel: u64, fast: bool) -> String {
        bound_as(text, data, fuel, fast, false)
    }

    /// [`bound`], the data read in place (`bind_json`) when `in_place`, else converted.
    fn bound_as(
        text: &str,
        data: &serde_json::Value,
        fuel: u64,
        fast: bool,
        in_place: bool,
    ) -> String {
        let env = crate::Environment::new().with_budgets(Budgets {
            fuel,
            ..Budgets::default()
        });
        let template = env.template_from_str("t.slip", text).unwrap();
        super::STEP_BY_STEP.with(|c| c.set(!fast));
        let r = if in_place {
            template.bind_json(data)
        } else {
            template.bind(data)
        };
        super::STEP_BY_STEP.with(|c| c.set(false));
        match r {
            Ok(doc) => format!("{doc:?}"),
            Err(e) => format!(
                "{:?} {:?} {:?} {:?} {:?}",
                e.kind(),
                e.message(),
                e.span(),
                e.hint(),
                e.labels()
            ),
        }
    }

    /// Expressions the fast paths take (or start to take, and leave for the general path).
    const EXPRS: [&str; 24] = [
        "it.name",
        "it.qty",
        "(it.price * it.qty) | money",
        "it.price | money(\"¥\")",
        "it.price * it.qty",
        "-it.qty",
        "it.qty / 0",
        "it.qty % 3",
        "it.price + 1.5",
        "it.price - it.qty * 2",
        "it | money",
        "it.missing | money",
        "it.missing",
        "it.name.x",
        "it.tags",
        "(it.qty * 1000000000000000000000) | money",
        "(it.price / 3) | money(it.name)",
        "total | money",
        "shop.name",
        "shop.addr.city",
        "loop.index",
        "loop.index * it.qty",
        "99999999999999999999999999999999999999 * it.qty",
        "printer.columns",
    ];

    fn scalar() -> impl Strategy<Value = serde_json::Value> {
        use serde_json::json;
        prop_oneof![
            (-5000i64..5000).prop_map(|n| json!(n)),
            (-500i64..500).prop_map(|n| json!(n as f64 / 100.0)),
            "[0-9]{1,3}(\\.[0-9]{1,3})?".prop_map(|s| json!(s)),
            "[a-z宫 ]{0,40}".prop_map(|s| json!(s)),
            Just(json!(null)),
            Just(json!(true)),
            Just(json!([1, 2])),
            Just(json!({ "x": 1 })),
            Just(serde_json::from_str("123456789012345678901234567890.5").unwrap()),
            Just(serde_json::from_str("0.00").unwrap()),
            Just(serde_json::from_str("-0").unwrap()),
        ]
    }

    fn item() -> impl Strategy<Value = serde_json::Value> {
        proptest::collection::btree_map(
            prop_oneof![
                Just("name"),
                Just("qty"),
                Just("price"),
                Just("tags"),
                Just("x")
            ],
            scalar(),
            0..5,
        )
        .prop_map(|m| serde_json::json!(m))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// The fast paths of `print` (chains read in place, arithmetic and `money` on numbers)
        /// give what the step-by-step evaluation gives: the same text, the same errors at the
        /// same spans, and fuel running out at the same place for every budget.
        #[test]
        fn fast_paths_equal_the_step_by_step_evaluation(
            picks in proptest::collection::vec(0..EXPRS.len(), 1..4),
            items in proptest::collection::vec(item(), 0..3),
            total in scalar(),
            shop in item(),
        ) {
            let mut text = String::from("{% for it in items %}\n");
            for &i in &picks {
                text.push_str(&format!("| {{{{ {} }}}} |\n", EXPRS[i]));
            }
            text.push_str("{% endfor %}\n");
            for &i in &picks {
                text.push_str(&format!("{{{{ {} }}}}\n", EXPRS[i].replace("it.", "shop.")));
            }
            let data = serde_json::json!({ "items": items, "total": total, "shop": shop });
            for fuel in (0..60).chain([1000]) {
                let slow = bound(&text, &data, fuel, false);
                for in_place in [false, true] {
                    let fast = bound_as(&text, &data, fuel, true, in_place);
                    prop_assert_eq!(&fast, &slow, "fuel {} in place {}\n{}", fuel, in_place, text);
                }
            }
        }
    }

    /// Loops whose names resolve at compile time (`it.name` to the loop's key slot), and the
    /// ones where a name must not resolve to the loop it seems to (a `set` rebinding it, an
    /// inner loop of the same name, `loop` as the variable, the outer loop read from inside an
    /// inner one, inline loops): `E` is replaced by the expressions picked.
    const SHAPES: [&str; 7] = [
        "{% for it in items %}\n| E |\n{% endfor %}\n",
        "{% for it in items %}\n| E |\n{% set it = shop %}\n| E |\n{% endfor %}\n",
        "{% for it in items %}\n| E |\n{% for it in items %}\n| E |\n{% endfor %}\n| E |\n{% endfor %}\n",
        "{% for loop in items %}\n| L |\n{% endfor %}\n",
        "{% for it in items %}\n{% for x in items %}\n| E | {{ x.qty }} |\n{% endfor %}\n{% endfor %}\n",
        "{% for it in items %}\n| {% for t in it.tags %}E{% endfor %} | {% if it.qty %}{% set it = shop %}{% endif %}E |\n{% endfor %}\n",
        "{% for it in items %}\n| **E** | [E]{.big} |\n{% else %}\nE\n{% endfor %}\n",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]
        /// Expressions whose names resolve at compile time (`it.name` read from the keys the
        /// loop took from its item) bind as the step-by-step lookup by name does, wherever
        /// the name might be rebound, for every budget.
        #[test]
        fn resolved_names_equal_the_step_by_step_lookup(
            shape in 0..SHAPES.len(),
            picks in proptest::collection::vec(0..EXPRS.len(), 1..3),
            items in proptest::collection::vec(item(), 0..3),
            shop in item(),
        ) {
            let exprs: Vec<String> = picks.iter().map(|&i| format!("{{{{ {} }}}}", EXPRS[i])).collect();
            let e = exprs.join(" ");
            let text = SHAPES[shape].replace('E', &e).replace('L', &e.replace("it.", "loop."));
            let data = serde_json::json!({ "items": items, "shop": shop, "total": 1 });
            for fuel in (0..60).chain([1000]) {
                let slow = bound(&text, &data, fuel, false);
                for in_place in [false, true] {
                    let fast = bound_as(&text, &data, fuel, true, in_place);
                    prop_assert_eq!(&fast, &slow, "fuel {} in place {}\n{}", fuel, in_place, text);
                }
            }
        }
    }

    /// Which expressions of a template resolve to a loop's keys (as `LoopKey` depth and key).
    fn resolved(text: &str) -> Vec<(String, Option<(u16, u16)>)> {
        use crate::syntax::ast::{ExprKind, Resolved};
        let template = crate::Environment::new()
            .template_from_str("t.slip", text)
            .unwrap();
        let mut out = Vec::new();
        crate::syntax::ast::visit_exprs(template.tested_ast(), &mut |e| {
            if let ExprKind::Attr(..) = e.kind {
                let at = match e.resolved {
                    Resolved::LoopKey { depth, key } => Some((depth, key)),
                    Resolved::None => None,
                };
                out.push((text[e.span.range()].to_string(), at));
            }
        });
        out
    }

    #[test]
    fn loop_variables_resolve_where_nothing_can_rebind_them() {
        let row = "{% for it in items %}\n| {{ it.name }} | x{{ it.qty }} | {{ (it.price * it.qty) | money }} | {{ loop.index }} |\n{% endfor %}\n";
        let want = [
            ("it.name", Some((0, 0))),
            ("it.qty", Some((0, 1))),
            ("it.price", Some((0, 2))),
            ("it.qty", Some((0, 1))),
            ("loop.index", None),
        ];
        let want: Vec<_> = want.iter().map(|&(t, r)| (t.to_string(), r)).collect();
        assert_eq!(resolved(row), want);
        // A `set` of the variable anywhere in the body: nothing resolves to that loop.
        let set = "{% for it in items %}\n{{ it.a }}\n{% if x %}{% set it = 1 %}{% endif %}\n{% endfor %}\n";
        assert_eq!(resolved(set), [("it.a".to_string(), None)]);
        // Inner loops: the innermost loop binding the name (`loop` binds its own).
        let nested = "{% for it in a %}\n{% for x in it.b %}\n{{ it.c }} {{ x.d }}\n{% for it in x.e %}{{ it.f }}{% endfor %}\n{% endfor %}\n{% endfor %}\n{% for loop in a %}{{ loop.g }}{% for y in a %}{{ loop.h }}{% endfor %}{% endfor %}\n";
        let got: Vec<_> = resolved(nested).into_iter().map(|(_, r)| r).collect();
        let want = [
            Some((0, 0)),
            Some((0, 1)),
            Some((1, 0)),
            Some((1, 1)),
            Some((2, 0)),
            Some((0, 0)),
            None,
        ];
        assert_eq!(got, want);
        // Loops nested deeper than the binder holds keys for: the inner ones do not resolve.
        let deep = "{% for a in x %}{% for b in a.l %}{% for c in b.l %}{% for d in c.l %}{% for e in d.l %}{{ e.v }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}{% endfor %}\n";
        let got: Vec<_> = resolved(deep).into_iter().map(|(_, r)| r).collect();
        assert_eq!(
            got,
            [Some((0, 0)), Some((1, 0)), Some((2, 0)), Some((3, 0)), None]
        );
    }

    /// Where fuel runs out for each budget, rendering `text` (`None` once it is enough).
    fn exhaustion(text: &str, data: &serde_json::Value) -> Vec<Option<String>> {
        (0..40)
            .map(|fuel| {
                let env = crate::Environment::new().with_budgets(Budgets {
                    fuel,
                    ..Budgets::default()
                });
                let template = env.template_from_str("t.slip", text).unwrap();
                template
                    .bind(data)
                    .err()
                    .map(|e| text[e.span().unwrap().range()].to_string())
            })
            .collect()
    }

    #[test]
    fn an_attribute_chain_spends_its_fuel_outside_in() {
        // Read in place (every part exists) or step by step (the last part is missing), a
        // chain spends one step per part, the whole expression first, and runs out at the
        // part where the step-by-step evaluation would.
        let data = serde_json::json!({ "a": { "b": { "c": "x" } } });
        let steps = exhaustion("{{ a.b.c }}\n", &data);
        let first = steps
            .iter()
            .position(|s| s.as_deref() == Some("a.b.c"))
            .unwrap();
        assert_eq!(steps[first + 1].as_deref(), Some("a.b"));
        assert_eq!(steps[first + 2].as_deref(), Some("a"));
        assert!(steps[first + 3..].iter().all(Option::is_none));
        let missing = exhaustion("{{ a.b.d | default(1) }}\n", &data);
        let first = missing
            .iter()
            .position(|s| s.as_deref() == Some("a.b.d"))
            .unwrap();
        assert_eq!(missing[first + 1].as_deref(), Some("a.b"));
        assert_eq!(missing[first + 2].as_deref(), Some("a"));
    }
}
