//! The filters of `{{ value | filter(args) }}`.

use std::fmt::Write as _;

use super::date;
use super::decimal::Decimal;
use super::value::{Place, Value, type_error, undefined_error};
use super::value_size;
use crate::error::{Error, ErrorKind};
use crate::measure::{Encoding, char_columns};
use crate::span::{Span, Spanned};
use crate::suggest::{Listing, unknown};
use crate::syntax::ast::Expr;

/// A filter, known by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Filter {
    Money,
    Date,
    Upper,
    Lower,
    Trim,
    Default,
    Truncate,
    Round,
    Length,
    Join,
    Sum,
    Abs,
    String,
}

impl Filter {
    /// Every filter, in the order the "unknown filter" hint lists them.
    const ALL: [Filter; 13] = [
        Filter::Money,
        Filter::Date,
        Filter::Upper,
        Filter::Lower,
        Filter::Trim,
        Filter::Default,
        Filter::Truncate,
        Filter::Round,
        Filter::Length,
        Filter::Join,
        Filter::Sum,
        Filter::Abs,
        Filter::String,
    ];

    /// The name a template calls it by.
    fn name(self) -> &'static str {
        match self {
            Filter::Money => "money",
            Filter::Date => "date",
            Filter::Upper => "upper",
            Filter::Lower => "lower",
            Filter::Trim => "trim",
            Filter::Default => "default",
            Filter::Truncate => "truncate",
            Filter::Round => "round",
            Filter::Length => "length",
            Filter::Join => "join",
            Filter::Sum => "sum",
            Filter::Abs => "abs",
            Filter::String => "string",
        }
    }

    /// The filter called `name` ([`Filter::name`]'s inverse: one `match`, not a search).
    fn named(name: &str) -> Option<Filter> {
        Some(match name {
            "money" => Filter::Money,
            "date" => Filter::Date,
            "upper" => Filter::Upper,
            "lower" => Filter::Lower,
            "trim" => Filter::Trim,
            "default" => Filter::Default,
            "truncate" => Filter::Truncate,
            "round" => Filter::Round,
            "length" => Filter::Length,
            "join" => Filter::Join,
            "sum" => Filter::Sum,
            "abs" => Filter::Abs,
            "string" => Filter::String,
            _ => return None,
        })
    }

    /// The number of arguments it takes (least, most).
    fn arity(self) -> (usize, usize) {
        match self {
            Filter::Upper | Filter::Lower | Filter::Trim => (0, 0),
            Filter::Length | Filter::Abs | Filter::String => (0, 0),
            Filter::Money | Filter::Round | Filter::Join | Filter::Sum => (0, 1),
            Filter::Default | Filter::Truncate => (1, 1),
            Filter::Date => (1, 2),
        }
    }

    /// Resolves a call without running it: the name exists and the argument count fits.
    /// Templates are checked when compiled, so binding only meets calls that passed this.
    pub(crate) fn resolve(
        name: &Spanned<String>,
        args: usize,
        span: Span,
    ) -> Result<Filter, Error> {
        let Some(f) = Filter::named(&name.value) else {
            let names = Filter::ALL.map(Filter::name);
            let listing = Listing {
                also: Some(format!("filters: {}", names.join(", "))),
                ..Listing::default()
            };
            let err = unknown(
                ErrorKind::Filter,
                "filter",
                &name.value,
                &names,
                Some(name.span),
                listing,
            );
            return Err(err);
        };
        let (min, max) = f.arity();
        if args < min || args > max {
            let want = if min == max {
                format!("{min}")
            } else {
                format!("{min} to {max}")
            };
            let plural = if max == 1 { "argument" } else { "arguments" };
            return Err(Error::new(
                ErrorKind::Filter,
                format!("filter `{}` takes {want} {plural}, got {args}", f.name()),
            )
            .at(name.span.to(span)));
        }
        Ok(f)
    }
}

/// A resolved filter call: the filter and where its parts are written.
pub(super) struct Call<'a> {
    /// The filter.
    pub filter: Filter,
    /// The filter's name.
    pub name: Span,
    /// The whole `value | filter(args)` expression.
    pub span: Span,
    /// The argument expressions (for their spans).
    pub args: &'a [Expr],
    /// The largest string a filter may build (`Budgets::max_output`).
    pub max_value: usize,
}

impl Call<'_> {
    /// Where argument `i` is written (the filter's name when it has none).
    fn arg(&self, i: usize) -> Span {
        self.args.get(i).map_or(self.name, |e| e.span)
    }
}

/// The most arguments a filter takes ([`Filter::arity`]; `date` takes two).
const MAX_ARGS: usize = 2;

/// The values of a filter call's arguments, on the stack (a call has at most [`MAX_ARGS`]:
/// [`Filter::resolve`] refused any other before they were evaluated).
pub(super) struct Args<'d> {
    values: [Value<'d>; MAX_ARGS],
    len: usize,
}

impl Default for Args<'_> {
    fn default() -> Self {
        Args {
            values: [Value::None, Value::None],
            len: 0,
        }
    }
}

impl<'d> Args<'d> {
    /// Adds the next argument's value.
    pub(super) fn push(&mut self, v: Value<'d>) {
        if let Some(slot) = self.values.get_mut(self.len) {
            *slot = v;
            self.len += 1;
        }
    }

    /// The values, in order.
    fn as_slice(&self) -> &[Value<'d>] {
        &self.values[..self.len]
    }
}

/// Applies a filter to `target` and the values of its arguments.
pub(super) fn apply<'d>(
    call: &Call<'_>,
    target: Value<'d>,
    mut all: Args<'d>,
) -> Result<Value<'d>, Error> {
    let args = all.as_slice();
    if call.filter != Filter::Default {
        defined(call, &target, args)?;
    }
    match call.filter {
        Filter::Default => Ok(if target.is_missing() {
            // `default` has one argument (its arity); an empty call would give none.
            if all.len > 0 {
                std::mem::replace(&mut all.values[0], Value::None)
            } else {
                Value::None
            }
        } else {
            target
        }),
        Filter::Upper | Filter::Lower | Filter::Trim | Filter::String | Filter::Truncate => {
            text(call, &target, args)
        }
        Filter::Money | Filter::Round | Filter::Abs => numbers(call, &target, args),
        Filter::Date => date_time(call, &target, args),
        Filter::Length | Filter::Join | Filter::Sum => lists(call, &target, args),
    }
}

/// Every filter but `default` refuses an undefined target or argument.
fn defined(call: &Call<'_>, target: &Value<'_>, args: &[Value<'_>]) -> Result<(), Error> {
    if matches!(target, Value::Undefined(_)) {
        return Err(undefined_error(target));
    }
    for (i, a) in args.iter().enumerate() {
        if matches!(a, Value::Undefined(_)) {
            return Err(undefined_error(a).at(call.arg(i)));
        }
    }
    Ok(())
}

/// `upper`, `lower`, `trim`, `string`, `truncate`.
fn text(call: &Call<'_>, target: &Value<'_>, args: &[Value<'_>]) -> Result<Value<'static>, Error> {
    let span = call.span;
    let s = match call.filter {
        Filter::String => printable(target, span)?,
        Filter::Truncate => {
            let n = count(&args[0], call.arg(0))?;
            truncate(&printable(target, span)?, n)
        }
        f => {
            let s = string(target, &format!("apply `{}` to", f.name()), span)?;
            match f {
                Filter::Upper => s.to_uppercase(),
                Filter::Lower => s.to_lowercase(),
                _ => s.trim().to_string(),
            }
        }
    };
    Ok(Value::str(s))
}

/// `money`, `round`, `abs`.
fn numbers(
    call: &Call<'_>,
    target: &Value<'_>,
    args: &[Value<'_>],
) -> Result<Value<'static>, Error> {
    let span = call.span;
    match call.filter {
        Filter::Money => {
            let mut text = String::new();
            money(call, target, args, &mut text)?;
            Ok(Value::str(text))
        }
        Filter::Round => {
            let d = number(target, "round", span)?;
            let digits = match args.first() {
                Some(v) => count(v, call.arg(0))?.min(18) as u32,
                None => 0,
            };
            Ok(Value::Num(d.round(digits).ok_or_else(|| too_large(span))?))
        }
        _ => {
            let d = number(target, "take the absolute value of", span)?;
            Ok(Value::Num(if d < Decimal::ZERO {
                d.checked_neg().ok_or_else(|| too_large(span))?
            } else {
                d
            }))
        }
    }
}

/// `money(symbol = "")`: the number rounded to 2 decimals after the symbol (`¥12.50`,
/// `-¥3.00`), written at the end of `out`. Everything that can fail is checked before anything
/// is written.
fn money(
    call: &Call<'_>,
    target: &Value<'_>,
    args: &[Value<'_>],
    out: &mut String,
) -> Result<(), Error> {
    let span = call.span;
    let d = number(target, "format as money", span)?;
    let d = d.round(2).ok_or_else(|| too_large(span))?;
    let symbol = match args.first() {
        Some(Value::Str(s)) => &**s,
        Some(other) => {
            return Err(type_error(other, "use as a currency symbol", call.arg(0)));
        }
        None => "",
    };
    write_money(d, symbol, out);
    Ok(())
}

/// The text of `money`: `d` (already rounded to 2 decimals) after `symbol`, at the end of `out`.
pub(super) fn write_money(d: Decimal, symbol: &str, out: &mut String) {
    let start = out.len();
    d.write_to(out);
    // The symbol goes after a minus sign: `-¥3.00` (the printed form starts with `-` exactly
    // when the number is negative). No symbol: nothing to insert.
    if !symbol.is_empty() {
        let at = if d.is_negative() { start + 1 } else { start };
        out.insert_str(at, symbol);
    }
}

/// `money` applied straight into `out`: what [`apply`] and then [`print`] would write, without
/// the intermediate string (a receipt formats every price this way).
pub(super) fn print_money(
    call: &Call<'_>,
    target: &Value<'_>,
    args: &Args<'_>,
    out: &mut String,
) -> Result<(), Error> {
    defined(call, target, args.as_slice())?;
    money(call, target, args.as_slice(), out)
}

/// `date(format, utc_offset_hours = 8)`.
fn date_time(
    call: &Call<'_>,
    target: &Value<'_>,
    args: &[Value<'_>],
) -> Result<Value<'static>, Error> {
    let fmt = string(&args[0], "use as a date format", call.arg(0))?;
    let offset = match args.get(1) {
        Some(v) => number(v, "use as a UTC offset in hours", call.arg(1))?,
        None => Decimal::from_i128(8),
    };
    let offset_minutes = offset
        .checked_mul(Decimal::from_i128(60))
        .and_then(|m| m.round(0))
        .and_then(|m| m.to_i64())
        .filter(|m| m.abs() <= 14 * 60)
        .ok_or_else(|| {
            Error::new(ErrorKind::Filter, "UTC offset must be within ±14 hours").at(call.arg(1))
        })?;
    let dt = date::DateTime::from_value(target, offset_minutes).map_err(|why| {
        Error::new(ErrorKind::Type, why)
            .at(call.span)
            .with_hint("dates are `YYYY-MM-DD HH:MM[:SS]`, ISO 8601, or Unix timestamps (seconds or milliseconds)")
    })?;
    dt.format(&fmt)
        .map(Value::str)
        .map_err(|why| Error::new(ErrorKind::Filter, why).at(call.arg(0)))
}

/// `length`, `join`, `sum`.
fn lists(call: &Call<'_>, target: &Value<'_>, args: &[Value<'_>]) -> Result<Value<'static>, Error> {
    let span = call.span;
    match call.filter {
        Filter::Length => Ok(Value::int(match target {
            Value::Str(s) => s.chars().count() as i64,
            Value::List(l) => l.len() as i64,
            Value::Map(m) => m.len() as i64,
            other => return Err(type_error(other, "take the length of", span)),
        })),
        Filter::Join => {
            let sep = match args.first() {
                Some(v) => string(v, "join with", call.arg(0))?,
                None => String::new(),
            };
            let Value::List(items) = target else {
                return Err(type_error(target, "join", span));
            };
            let mut parts = Vec::with_capacity(items.len());
            for item in items.iter() {
                parts.push(printable(&item, span)?);
            }
            let s = parts.join(&sep);
            value_size(s.len(), call.max_value, span)?;
            Ok(Value::str(s))
        }
        _ => sum(call, target, args),
    }
}

/// `sum` and `sum(attribute)`.
fn sum(call: &Call<'_>, target: &Value<'_>, args: &[Value<'_>]) -> Result<Value<'static>, Error> {
    let span = call.span;
    let Value::List(items) = target else {
        return Err(type_error(target, "sum", span));
    };
    let attr = match args.first() {
        Some(v) => Some(string(v, "sum by", call.arg(0))?),
        None => None,
    };
    let mut total = Decimal::ZERO;
    for item in items.iter() {
        let v = match (&attr, item) {
            (Some(a), Value::Map(m)) => m.get(a.as_str()).unwrap_or(Value::None),
            (Some(a), other) => {
                return Err(Error::new(
                    ErrorKind::Type,
                    format!("cannot take `{a}` of a {} while summing", other.type_name()),
                )
                .at(span));
            }
            (None, v) => v,
        };
        let d = number(&v, "sum", span)?;
        total = total.checked_add(d).ok_or_else(|| too_large(span))?;
    }
    Ok(Value::Num(total))
}

fn too_large(span: Span) -> Error {
    Error::new(ErrorKind::Arithmetic, "number too large").at(span)
}

/// A number, or a string holding one (data often carries prices as strings).
fn number(v: &Value<'_>, what: &str, span: Span) -> Result<Decimal, Error> {
    match v {
        Value::Num(d) => Ok(*d),
        Value::Str(s) => Decimal::parse(s).ok_or_else(|| {
            Error::new(
                ErrorKind::Type,
                format!("cannot {what} the string {s:?}: not a number"),
            )
            .at(span)
        }),
        other => Err(type_error(other, what, span)),
    }
}

fn string(v: &Value<'_>, what: &str, span: Span) -> Result<String, Error> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Num(_) | Value::Bool(_) => Ok(v.to_string()),
        other => Err(type_error(other, what, span)),
    }
}

fn count(v: &Value<'_>, span: Span) -> Result<usize, Error> {
    match v {
        Value::Num(d) => d
            .to_i64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::Filter,
                    format!("expected a whole number ≥ 0, got {d}"),
                )
                .at(span)
            }),
        other => Err(type_error(other, "use as a count", span)),
    }
}

/// The printed form of a value; lists and maps cannot be printed directly.
pub(super) fn printable(v: &Value<'_>, span: Span) -> Result<String, Error> {
    let mut out = String::new();
    print(v, span, &mut out)?;
    Ok(out)
}

/// Writes the printed form of a value at the end of `out` ([`printable`] without a String of
/// its own); nothing is written when it cannot be printed.
pub(super) fn print(v: &Value<'_>, span: Span, out: &mut String) -> Result<(), Error> {
    match v {
        Value::Undefined(_) => Err(undefined_error(v)),
        Value::List(_) | Value::Map(_) => Err(Error::new(
            ErrorKind::Type,
            format!("cannot print a {} as text", v.type_name()),
        )
        .at(span)
        .with_hint("print one of its items, or use `| join(\", \")` for a list")),
        Value::Str(s) => {
            out.push_str(s);
            Ok(())
        }
        // The `Display` of numbers, without the formatting machinery.
        Value::Num(d) => {
            d.write_to(out);
            Ok(())
        }
        other => {
            // Writing to a String cannot fail.
            let _ = write!(out, "{other}");
            Ok(())
        }
    }
}

/// [`print`] of the value at `place`, reading the caller's JSON where it is: a string is copied
/// as it is, and a number whose text is what its value prints ([`Decimal::prints_as_written`])
/// is copied as written instead of being read into a [`Decimal`] and written back. Anything
/// else is read as a [`Value`] and printed.
#[inline]
pub(super) fn print_place(place: Place<'_, '_>, span: Span, out: &mut String) -> Result<(), Error> {
    match place {
        Place::Json(serde_json::Value::String(s)) => {
            push_text(out, s);
            Ok(())
        }
        #[cfg(feature = "exact_numbers")]
        Place::Json(serde_json::Value::Number(n)) if Decimal::prints_as_written(n.as_str()) => {
            push_text(out, n.as_str());
            Ok(())
        }
        Place::Held(v) => print(v, span, out),
        Place::Json(j) => print(&Value::json(j), span, out),
    }
}

/// `out.push_str(s)`, a text of one byte (`x`, a quantity's digit) pushed as its character:
/// one byte of UTF-8 is ASCII, its character that byte, and pushing it is cheaper than the
/// copy `push_str` calls.
#[inline]
pub(super) fn push_text(out: &mut String, s: &str) {
    match s.as_bytes() {
        &[b] => out.push(char::from(b)),
        _ => out.push_str(s),
    }
}

/// Columns a character takes on the printers this crate serves (GBK: CJK counts 2).
fn columns(c: char) -> usize {
    char_columns(c, Encoding::Gbk) as usize
}

/// Cuts `s` to at most `width` printer columns, ending with `…` (2 columns) when cut.
fn truncate(s: &str, width: usize) -> String {
    let total: usize = s.chars().map(columns).sum();
    if total <= width {
        return s.to_string();
    }
    let budget = width.saturating_sub(2);
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = columns(c);
        if used + w > budget {
            break;
        }
        used += w;
        out.push(c);
    }
    if width >= 2 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{Filter, truncate};

    #[test]
    fn pushing_a_text_is_push_str() {
        let one: Vec<String> = (0u8..0x80).map(|b| char::from(b).to_string()).collect();
        let more = ["", "x", "é", "名", "12", "3.50", "羊肉串"];
        for s in one.iter().map(String::as_str).chain(more) {
            let (mut fast, mut slow) = (String::from("a"), String::from("a"));
            super::push_text(&mut fast, s);
            slow.push_str(s);
            assert_eq!(fast, slow);
        }
    }

    #[test]
    fn every_filter_is_named_by_its_name() {
        for f in Filter::ALL {
            assert_eq!(Filter::named(f.name()), Some(f));
        }
        assert_eq!(Filter::named("Money"), None);
        assert_eq!(Filter::named(""), None);
    }

    #[test]
    fn truncate_counts_cjk_as_two_columns() {
        assert_eq!(truncate("宫保鸡丁饭", 10), "宫保鸡丁饭");
        assert_eq!(truncate("宫保鸡丁饭", 8), "宫保鸡…");
        assert_eq!(truncate("abcdefgh", 6), "abcd…");
        assert_eq!(truncate("ab宫", 4), "ab宫");
        assert_eq!(truncate("ab宫c", 4), "ab…");
        assert_eq!(truncate("abc", 1), "");
    }
}
