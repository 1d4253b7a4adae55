//! Runtime values.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use super::decimal::Decimal;
use crate::error::{Error, ErrorKind};
use crate::span::Span;

/// A value during binding.
#[derive(Clone, Debug)]
pub enum Value {
    /// A name that is not defined; an error as soon as it is printed or computed with, but
    /// false in a test and replaced by `default`.
    Undefined(Arc<Undefined>),
    /// `none` / JSON `null`.
    None,
    /// A boolean.
    Bool(bool),
    /// A number (always exact decimal).
    Num(Decimal),
    /// A string.
    Str(Arc<str>),
    /// A list.
    List(Arc<Vec<Value>>),
    /// A map with string keys.
    Map(Arc<Map>),
}

/// A map's entries, by key. Keys are shared strings, so the same key in every item of a list
/// is one string (the data converter reuses them).
pub type Map = BTreeMap<Arc<str>, Value>;

/// What is undefined, and where it was named.
#[derive(Debug, Clone)]
pub struct Undefined {
    /// The path as written (`order.customer.name`).
    pub name: String,
    /// The expression that named it.
    pub span: Span,
    /// A defined name close to it, for "did you mean".
    pub suggestion: Option<String>,
    /// Inside a loop: which data item lacks it (`order.items[1] has no `qty``).
    pub item: Option<String>,
}

/// A JSON number as a value, keeping every digit. `Number`'s text is the number as written
/// when serde_json's `arbitrary_precision` is on (this crate's `exact_numbers` feature, part of
/// `cli`), else its exact integer or its shortest round-trip float. A number that fits a
/// [`Decimal`] exactly is a number; one that does not (more than 38 digits, more than 18
/// decimals, an exponent out of range) stays its text, which prints every digit and which
/// filters still read as a number where they need one.
fn number(n: &serde_json::Number) -> Value {
    number_text(&n.to_string())
}

/// A JSON number from its text: exact where a [`Decimal`] holds it (at most 38 digits, 18 of them
/// decimals), else kept as its text, so no digit is ever lost (it prints as written).
pub(crate) fn number_text(text: &str) -> Value {
    let decimals = match text.split_once('.') {
        Some((_, frac)) if !text.contains(['e', 'E']) => frac.len(),
        _ => 0,
    };
    match Decimal::parse(text) {
        Some(d) if decimals <= super::decimal::MAX_SCALE as usize => Value::Num(d),
        _ => Value::Str(text.into()),
    }
}

impl Value {
    /// Converts JSON data. (Templates convert data with `bind::convert`, which checks the data
    /// budgets; this stays for tools.)
    pub fn from_json(v: &serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::None,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => number(n),
            serde_json::Value::String(s) => Value::Str(s.as_str().into()),
            serde_json::Value::Array(a) => {
                Value::List(Arc::new(a.iter().map(Value::from_json).collect()))
            }
            serde_json::Value::Object(o) => Value::Map(Arc::new(
                o.iter()
                    .map(|(k, v)| (Arc::from(k.as_str()), Value::from_json(v)))
                    .collect(),
            )),
        }
    }

    /// A string value.
    pub fn str(s: impl Into<Arc<str>>) -> Value {
        Value::Str(s.into())
    }

    /// An integer value.
    pub fn int(n: i64) -> Value {
        Value::Num(Decimal::from_i128(i128::from(n)))
    }

    /// Truthiness: none, undefined, false, 0, "", [] and {} are false.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined(_) | Value::None => false,
            Value::Bool(b) => *b,
            Value::Num(d) => !d.is_zero(),
            Value::Str(s) => !s.is_empty(),
            Value::List(l) => !l.is_empty(),
            Value::Map(m) => !m.is_empty(),
        }
    }

    /// The type's name, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undefined(_) => "undefined",
            Value::None => "none",
            Value::Bool(_) => "boolean",
            Value::Num(_) => "number",
            Value::Str(_) => "string",
            Value::List(_) => "list",
            Value::Map(_) => "map",
        }
    }

    /// Whether this is undefined or none (what `default` replaces).
    pub fn is_missing(&self) -> bool {
        matches!(self, Value::Undefined(_) | Value::None)
    }

    /// Equality as templates see it: numbers by value, no coercion between types.
    pub fn same(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::None, Value::None) => true,
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Num(a), Value::Num(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same(y))
            }
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.iter()
                        .zip(b.iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.same(vb))
            }
            _ => false,
        }
    }
}

impl fmt::Display for Value {
    /// The printed form of scalars (lists and maps are refused before printing).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Undefined(_) | Value::None => Ok(()),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Num(d) => write!(f, "{d}"),
            Value::Str(s) => f.write_str(s),
            Value::List(l) => {
                for (i, v) in l.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{v}")?;
                }
                Ok(())
            }
            Value::Map(_) => f.write_str("{…}"),
        }
    }
}

/// The error for using an undefined value.
pub(super) fn undefined_error(v: &Value) -> Error {
    let Value::Undefined(u) = v else {
        return Error::new(ErrorKind::UndefinedVariable, "undefined value");
    };
    let name = &u.name;
    let message = match &u.item {
        Some(item) => format!("undefined variable `{name}`: {item}"),
        None => format!("undefined variable `{name}`"),
    };
    let err = Error::new(ErrorKind::UndefinedVariable, message).at(u.span);
    match &u.suggestion {
        Some(s) => err.with_hint(format!("did you mean `{s}`?")),
        None => err.with_hint(format!(
            "guard it with `{{% if {name} %}}` or give a fallback with `| default(\"…\")`"
        )),
    }
}

/// A type error for `what`ing a value.
pub(super) fn type_error(v: &Value, what: &str, span: Span) -> Error {
    if matches!(v, Value::Undefined(_)) {
        return undefined_error(v);
    }
    Error::new(
        ErrorKind::Type,
        format!("cannot {what} a {}", v.type_name()),
    )
    .at(span)
}
