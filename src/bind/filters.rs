//! The filters of `{{ value | filter(args) }}`.

use super::Binder;
use super::date;
use super::decimal::Decimal;
use super::eval::{type_error, undefined_error};
use super::value::Value;
use crate::error::{Error, ErrorKind};
use crate::measure::{Encoding, char_columns};
use crate::span::{Span, Spanned};
use crate::syntax::ast::Expr;
use crate::syntax::suggest::nearest;

/// Every filter with the number of arguments it takes (least, most).
const FILTERS: [(&str, usize, usize); 13] = [
    ("money", 0, 1),
    ("date", 1, 2),
    ("upper", 0, 0),
    ("lower", 0, 0),
    ("trim", 0, 0),
    ("default", 1, 1),
    ("truncate", 1, 1),
    ("round", 0, 1),
    ("length", 0, 0),
    ("join", 0, 1),
    ("sum", 0, 1),
    ("abs", 0, 0),
    ("string", 0, 0),
];

/// Checks a filter call without running it: the name exists and the argument count fits.
/// Templates are checked when compiled, so binding only meets calls that passed this.
pub(crate) fn check_call(name: &Spanned<String>, args: usize, span: Span) -> Result<(), Error> {
    let Some(&(f, min, max)) = FILTERS.iter().find(|(n, _, _)| *n == name.value) else {
        let names: Vec<&str> = FILTERS.iter().map(|(n, _, _)| *n).collect();
        let err = Error::new(
            ErrorKind::Filter,
            format!("unknown filter `{}`", name.value),
        )
        .at(name.span);
        return Err(match nearest(&name.value, &names) {
            Some(n) => err.with_hint(format!("did you mean `{n}`?")),
            None => err.with_hint(format!("filters: {}", names.join(", "))),
        });
    };
    if args < min || args > max {
        let want = if min == max {
            format!("{min}")
        } else {
            format!("{min} to {max}")
        };
        let plural = if max == 1 { "argument" } else { "arguments" };
        return Err(Error::new(
            ErrorKind::Filter,
            format!("filter `{f}` takes {want} {plural}, got {args}"),
        )
        .at(name.span.to(span)));
    }
    Ok(())
}

/// Applies filter `name` to `target`.
pub(super) fn apply(
    b: &mut Binder<'_>,
    name: &Spanned<String>,
    target: Value,
    args: Vec<Value>,
    arg_exprs: &[Expr],
    span: Span,
) -> Result<Value, Error> {
    let f = name.value.as_str();
    check_call(name, args.len(), span)?;
    let arg_span = |i: usize| arg_exprs.get(i).map_or(name.span, |e| e.span);
    if f == "default" {
        return Ok(if target.is_missing() {
            args.into_iter().next().unwrap_or(Value::None)
        } else {
            target
        });
    }
    if matches!(target, Value::Undefined(_)) {
        return Err(undefined_error(&target));
    }
    for (i, a) in args.iter().enumerate() {
        if matches!(a, Value::Undefined(_)) {
            return Err(undefined_error(a).at(arg_span(i)));
        }
    }
    let tspan = span;
    match f {
        "money" => {
            let d = number(&target, "format as money", tspan)?;
            let d = d.round(2).ok_or_else(|| too_large(tspan))?;
            let symbol = match args.first() {
                Some(Value::Str(s)) => s.to_string(),
                Some(other) => {
                    return Err(type_error(other, "use as a currency symbol", arg_span(0)));
                }
                None => String::new(),
            };
            let text = d.to_string();
            Ok(Value::str(match text.strip_prefix('-') {
                Some(abs) => format!("-{symbol}{abs}"),
                None => format!("{symbol}{text}"),
            }))
        }
        "date" => {
            let fmt = string(&args[0], "use as a date format", arg_span(0))?;
            let offset = match args.get(1) {
                Some(v) => number(v, "use as a UTC offset in hours", arg_span(1))?,
                None => Decimal::from_i128(8),
            };
            let offset_minutes = offset
                .checked_mul(Decimal::from_i128(60))
                .and_then(|m| m.round(0))
                .and_then(|m| m.to_i64())
                .filter(|m| m.abs() <= 14 * 60)
                .ok_or_else(|| {
                    Error::new(ErrorKind::Filter, "UTC offset must be within ±14 hours")
                        .at(arg_span(1))
                })?;
            let dt = date::DateTime::from_value(&target, offset_minutes).map_err(|why| {
                Error::new(ErrorKind::Type, why)
                    .at(tspan)
                    .with_hint("dates are `YYYY-MM-DD HH:MM[:SS]`, ISO 8601, or Unix timestamps (seconds or milliseconds)")
            })?;
            dt.format(&fmt)
                .map(Value::str)
                .map_err(|why| Error::new(ErrorKind::Filter, why).at(arg_span(0)))
        }
        "upper" | "lower" | "trim" => {
            let s = string(&target, &format!("apply `{f}` to"), tspan)?;
            Ok(Value::str(match f {
                "upper" => s.to_uppercase(),
                "lower" => s.to_lowercase(),
                _ => s.trim().to_string(),
            }))
        }
        "string" => printable(&target, tspan).map(Value::str),
        "truncate" => {
            let n = count(&args[0], arg_span(0))?;
            let s = printable(&target, tspan)?;
            Ok(Value::str(truncate(&s, n)))
        }
        "round" => {
            let d = number(&target, "round", tspan)?;
            let digits = match args.first() {
                Some(v) => count(v, arg_span(0))?.min(18) as u32,
                None => 0,
            };
            Ok(Value::Num(d.round(digits).ok_or_else(|| too_large(tspan))?))
        }
        "abs" => {
            let d = number(&target, "take the absolute value of", tspan)?;
            Ok(Value::Num(if d < Decimal::ZERO {
                d.checked_neg().ok_or_else(|| too_large(tspan))?
            } else {
                d
            }))
        }
        "length" => Ok(Value::int(match &target {
            Value::Str(s) => s.chars().count() as i64,
            Value::List(l) => l.len() as i64,
            Value::Map(m) => m.len() as i64,
            other => return Err(type_error(other, "take the length of", tspan)),
        })),
        "join" => {
            let sep = match args.first() {
                Some(v) => string(v, "join with", arg_span(0))?,
                None => String::new(),
            };
            let Value::List(items) = &target else {
                return Err(type_error(&target, "join", tspan));
            };
            let mut parts = Vec::with_capacity(items.len());
            for item in items.iter() {
                parts.push(printable(item, tspan)?);
            }
            let s = parts.join(&sep);
            b.check_value_size(s.len(), tspan)?;
            Ok(Value::str(s))
        }
        "sum" => {
            let Value::List(items) = &target else {
                return Err(type_error(&target, "sum", tspan));
            };
            let attr = match args.first() {
                Some(v) => Some(string(v, "sum by", arg_span(0))?),
                None => None,
            };
            let mut total = Decimal::ZERO;
            for item in items.iter() {
                let v = match (&attr, item) {
                    (Some(a), Value::Map(m)) => m.get(a).cloned().unwrap_or(Value::None),
                    (Some(a), other) => {
                        return Err(Error::new(
                            ErrorKind::Type,
                            format!("cannot take `{a}` of a {} while summing", other.type_name()),
                        )
                        .at(tspan));
                    }
                    (None, v) => v.clone(),
                };
                let d = number(&v, "sum", tspan)?;
                total = total.checked_add(d).ok_or_else(|| too_large(tspan))?;
            }
            Ok(Value::Num(total))
        }
        // `check_call` accepted the name, so it is one of the filters above.
        other => {
            Err(Error::new(ErrorKind::Filter, format!("unknown filter `{other}`")).at(name.span))
        }
    }
}

fn too_large(span: Span) -> Error {
    Error::new(ErrorKind::Arithmetic, "number too large").at(span)
}

/// A number, or a string holding one (data often carries prices as strings).
fn number(v: &Value, what: &str, span: Span) -> Result<Decimal, Error> {
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

fn string(v: &Value, what: &str, span: Span) -> Result<String, Error> {
    match v {
        Value::Str(s) => Ok(s.to_string()),
        Value::Num(_) | Value::Bool(_) => Ok(v.to_string()),
        other => Err(type_error(other, what, span)),
    }
}

fn count(v: &Value, span: Span) -> Result<usize, Error> {
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
pub(super) fn printable(v: &Value, span: Span) -> Result<String, Error> {
    match v {
        Value::Undefined(_) => Err(undefined_error(v)),
        Value::List(_) | Value::Map(_) => Err(Error::new(
            ErrorKind::Type,
            format!("cannot print a {} as text", v.type_name()),
        )
        .at(span)
        .with_hint("print one of its items, or use `| join(\", \")` for a list")),
        other => Ok(other.to_string()),
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
    use super::truncate;

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
