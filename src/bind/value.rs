//! Runtime values.
//!
//! A value either owns its data (shared, reference-counted: what the binder computes, and data
//! converted from any `Serialize` type) or borrows it from the caller's `serde_json::Value`
//! ([`Value::json`]): a borrowed string, list or map is a reference into the caller's JSON, and
//! reading one of its items makes a value of that item, again without copying (a number is
//! read into a [`Decimal`] as the conversion of the `Serialize` path reads it). The two kinds
//! behave the same everywhere: printing, comparing, filters, errors.

use std::cell::RefCell;
use std::fmt;
use std::sync::Arc;

use super::decimal::Decimal;
use crate::error::{Error, ErrorKind};
use crate::span::Span;

/// A value during binding; `'d` is the lifetime of the caller's data it borrows.
#[derive(Clone, Debug)]
pub enum Value<'d> {
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
    Str(Str<'d>),
    /// A list.
    List(List<'d>),
    /// A map with string keys.
    Map(Map<'d>),
}

/// A JSON object, as serde_json holds it.
type JsonMap = serde_json::Map<String, serde_json::Value>;

/// A string value: shared, or borrowed from the caller's JSON. Reads as a `str`.
#[derive(Clone)]
pub enum Str<'d> {
    /// Owned by the binder (computed, or converted data).
    Shared(Arc<str>),
    /// A string of the caller's JSON.
    Data(&'d str),
}

impl std::ops::Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        match self {
            Str::Shared(s) => s,
            Str::Data(s) => s,
        }
    }
}

impl fmt::Debug for Str<'_> {
    /// As the `str` (whichever kind it is).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

impl fmt::Display for Str<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self)
    }
}

impl From<&str> for Str<'_> {
    fn from(s: &str) -> Self {
        Str::Shared(s.into())
    }
}

impl From<String> for Str<'_> {
    fn from(s: String) -> Self {
        Str::Shared(s.into())
    }
}

impl From<Arc<str>> for Str<'_> {
    fn from(s: Arc<str>) -> Self {
        Str::Shared(s)
    }
}

/// A list value: shared, or borrowed from the caller's JSON (its items read as values when
/// they are read).
#[derive(Clone)]
pub enum List<'d> {
    /// Owned by the binder.
    Shared(Arc<Vec<Value<'d>>>),
    /// An array of the caller's JSON.
    Data(&'d [serde_json::Value]),
}

impl Default for List<'_> {
    fn default() -> Self {
        List::Data(&[])
    }
}

impl<'d> From<Vec<Value<'d>>> for List<'d> {
    fn from(items: Vec<Value<'d>>) -> Self {
        List::Shared(Arc::new(items))
    }
}

impl fmt::Debug for List<'_> {
    /// As a list of its values (whichever kind it is).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<'d> List<'d> {
    /// The number of items.
    pub fn len(&self) -> usize {
        match self {
            List::Shared(l) => l.len(),
            List::Data(l) => l.len(),
        }
    }

    /// Whether the list has no items.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Item `i`.
    pub fn get(&self, i: usize) -> Option<Value<'d>> {
        match self {
            List::Shared(l) => l.get(i).cloned(),
            List::Data(l) => l.get(i).map(Value::json),
        }
    }

    /// The items, in order.
    pub fn iter(&self) -> impl Iterator<Item = Value<'d>> + '_ {
        // What `(0..len).filter_map(|i| self.get(i))` gives, item by item, with the kind of
        // list matched once instead of at every item (and no bounds check per item).
        match self {
            List::Shared(l) => Items::Shared(l.iter()),
            List::Data(l) => Items::Data(l.iter()),
        }
    }
}

/// [`List::iter`]'s iterator: a walk of the one slice the list holds.
enum Items<'a, 'd> {
    /// The values of a shared list, cloned as [`List::get`] clones them.
    Shared(std::slice::Iter<'a, Value<'d>>),
    /// The items of the caller's JSON array, read as [`List::get`] reads them.
    Data(std::slice::Iter<'d, serde_json::Value>),
}

impl<'d> Iterator for Items<'_, 'd> {
    type Item = Value<'d>;

    #[inline]
    fn next(&mut self) -> Option<Value<'d>> {
        match self {
            Items::Shared(l) => l.next().cloned(),
            Items::Data(l) => l.next().map(Value::json),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            Items::Shared(l) => l.size_hint(),
            Items::Data(l) => l.size_hint(),
        }
    }
}

/// One entry of a shared [`Map`].
pub type Entry<'d> = (Arc<str>, Value<'d>);

/// A map with string keys. Shared: its entries sorted by key, each key once (what a
/// `BTreeMap` holds, in one shared allocation; read by binary search); keys are shared
/// strings, so the same key in every item of a list is one string (the data converter reuses
/// them). Or borrowed: an object of the caller's JSON (read by its own search; listed in key
/// order whatever order serde_json keeps).
#[derive(Clone)]
pub enum Map<'d> {
    /// Owned by the binder.
    Shared(Arc<[Entry<'d>]>),
    /// An object of the caller's JSON.
    Data(&'d JsonMap),
}

impl Default for Map<'_> {
    fn default() -> Self {
        Map::Shared(Arc::from([]))
    }
}

impl fmt::Debug for Map<'_> {
    /// As a map of its entries in key order (whichever kind it is).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries()).finish()
    }
}

impl<'d> Map<'d> {
    /// The map of `entries[base..]`, which are drained: sorted by key, and of entries with the
    /// same key the last one kept (as inserting them in order into a map would). `entries` is
    /// a buffer the caller reuses, so the map is the only allocation.
    pub(crate) fn from_tail(entries: &mut Vec<Entry<'d>>, base: usize) -> Map<'d> {
        let tail = &mut entries[base..];
        // Data usually comes sorted, each key once (serde_json's maps, derived structs in
        // field order are not, but are short): then there is nothing to sort or drop.
        if tail.windows(2).all(|w| w[0].0 < w[1].0) {
            return Map::Shared(entries.drain(base..).collect());
        }
        // Stable: entries with the same key stay in the order they were given.
        tail.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept = base;
        for i in base..entries.len() {
            if entries
                .get(i + 1)
                .is_some_and(|next| next.0 == entries[i].0)
            {
                // A later entry has the same key: it wins.
                continue;
            }
            entries.swap(kept, i);
            kept += 1;
        }
        entries.truncate(kept);
        Map::Shared(entries.drain(base..).collect())
    }

    /// The value at `key`.
    pub fn get(&self, key: &str) -> Option<Value<'d>> {
        match self {
            Map::Shared(m) => {
                let i = m.binary_search_by(|(k, _)| (**k).cmp(key)).ok()?;
                Some(m[i].1.clone())
            }
            Map::Data(m) => json_get(m, key).map(Value::json),
        }
    }

    /// Where the value at `key` is: what [`Map::get`] would copy out, borrowed (an entry of a
    /// shared map, or the caller's JSON), so that reading a chain of keys copies nothing.
    pub(crate) fn place<'a>(&'a self, key: &str) -> Option<Place<'a, 'd>> {
        match self {
            Map::Shared(m) => {
                let i = m.binary_search_by(|(k, _)| (**k).cmp(key)).ok()?;
                Some(Place::Held(&m[i].1))
            }
            Map::Data(m) => json_get(m, key).map(Place::Json),
        }
    }

    /// Whether `key` is in the map.
    pub fn contains_key(&self, key: &str) -> bool {
        match self {
            Map::Shared(_) => self.get(key).is_some(),
            Map::Data(m) => m.contains_key(key),
        }
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match self {
            Map::Shared(m) => m.len(),
            Map::Data(m) => m.len(),
        }
    }

    /// Whether the map has no entries.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The keys, in key order.
    pub fn keys(&self) -> Vec<&str> {
        self.entries().into_iter().map(|(k, _)| k).collect()
    }

    /// The entries, in key order. (Not on a hot path: the binder reads maps by key; this
    /// serves comparisons, suggestions and serialising.)
    pub fn entries(&self) -> Vec<(&str, Value<'d>)> {
        match self {
            Map::Shared(m) => m.iter().map(|(k, v)| (&**k, v.clone())).collect(),
            Map::Data(m) => {
                let mut out: Vec<(&str, Value<'d>)> = m
                    .iter()
                    .map(|(k, v)| (k.as_str(), Value::json(v)))
                    .collect();
                // serde_json keeps its keys sorted, unless a crate in the build turned on its
                // `preserve_order`: then they are sorted here (they are distinct).
                if !out.windows(2).all(|w| w[0].0 < w[1].0) {
                    out.sort_by(|a, b| a.0.cmp(b.0));
                }
                out
            }
        }
    }

    /// This map with `value` at `key` (replacing any value there), shared.
    pub fn with(&self, key: &str, value: Value<'d>) -> Map<'d> {
        if let Map::Shared(m) = self {
            let (before, after) = match m.binary_search_by(|(k, _)| (**k).cmp(key)) {
                Ok(i) => (&m[..i], &m[i + 1..]),
                Err(i) => (&m[..i], &m[i..]),
            };
            // Collected straight into the new map (the iterator knows its length).
            let entry = std::iter::once((Arc::from(key), value));
            return Map::Shared(
                before
                    .iter()
                    .cloned()
                    .chain(entry)
                    .chain(after.iter().cloned())
                    .collect(),
            );
        }
        let mut entries: Vec<Entry<'d>> = self
            .entries()
            .into_iter()
            .filter(|(k, _)| *k != key)
            .map(|(k, v)| (Arc::from(k), v))
            .collect();
        entries.push((Arc::from(key), value));
        Map::from_tail(&mut entries, 0)
    }
}

/// Where a value is, borrowed: a value the binder holds, or a value of the caller's JSON (not
/// yet read as a [`Value`]). [`Place::value`] is the value [`Map::get`] would give.
#[derive(Clone, Copy)]
pub(crate) enum Place<'a, 'd> {
    /// A value the binder holds (a scope's, an entry of a shared map).
    Held(&'a Value<'d>),
    /// A value of the caller's JSON.
    Json(&'d serde_json::Value),
}

impl<'a, 'd> Place<'a, 'd> {
    /// The value here, as [`Map::get`] gives it (a copy, or the JSON read in place).
    pub(crate) fn value(self) -> Value<'d> {
        match self {
            Place::Held(v) => v.clone(),
            Place::Json(j) => Value::json(j),
        }
    }

    /// The number here, when it is one: what [`Place::value`] gives as a [`Value::Num`],
    /// without making the value (a number of the caller's JSON is read as
    /// `convert::json_number` reads it: its plain text straight into a [`Decimal`]).
    #[inline(always)]
    pub(crate) fn num(self) -> Option<Decimal> {
        match self {
            Place::Held(Value::Num(d)) => Some(*d),
            Place::Json(serde_json::Value::Number(n)) => json_num(n),
            _ => None,
        }
    }

    /// Where the value at `key` is, when this is a map that has it (`None` for anything else:
    /// a missing key, or a value that is not a map). A JSON object is read through `recent`.
    #[inline(always)]
    pub(crate) fn attr(self, key: &str, recent: &RefCell<Recent<'d>>) -> Option<Place<'a, 'd>> {
        let m = match self {
            Place::Held(Value::Map(Map::Data(m))) => *m,
            Place::Held(Value::Map(shared)) => return shared.place(key),
            Place::Json(serde_json::Value::Object(m)) => m,
            _ => return None,
        };
        recent.borrow_mut().get(m, key).map(Place::Json)
    }
}

/// The entries of the small JSON object last read by key, copied out of its tree once: the
/// next keys read from it (an item's `name`, `qty`, `price`, one after the other) are a scan
/// of a slice, not a walk of serde_json's `BTreeMap` each time. On the stack of the binder (no
/// allocation); an object of more than [`SCAN_MAX`] entries is read by its own search.
pub(crate) struct Recent<'d> {
    /// The object, borrowed for as long as the data: while it is held, no other object can
    /// have its address, so the address names it (and the data is never changed).
    map: Option<&'d JsonMap>,
    /// How many of `entries` are its entries.
    len: usize,
    /// Its entries, in its order.
    entries: [(&'d str, &'d serde_json::Value); SCAN_MAX],
}

/// What [`Recent`]'s unused entries hold.
static NULL: serde_json::Value = serde_json::Value::Null;

impl Default for Recent<'_> {
    fn default() -> Self {
        Recent {
            map: None,
            len: 0,
            entries: [("", &NULL); SCAN_MAX],
        }
    }
}

impl<'d> Recent<'d> {
    /// [`json_get`]`(m, key)`: the same entry, found in the same order among the same entries.
    #[inline(always)]
    pub(crate) fn get(&mut self, m: &'d JsonMap, key: &str) -> Option<&'d serde_json::Value> {
        // The object held first: it was no larger than `SCAN_MAX` when it was taken (and the
        // data never changes), so the size need not be asked again for each of its keys.
        if !self.map.is_some_and(|held| std::ptr::eq(held, m)) {
            if m.len() > SCAN_MAX {
                return m.get(key);
            }
            for (slot, (k, v)) in self.entries.iter_mut().zip(m) {
                *slot = (k.as_str(), v);
            }
            self.len = m.len();
            self.map = Some(m);
        }
        let entries = self.entries.get(..self.len)?;
        entries
            .iter()
            .find(|(k, _)| same_name(k, key))
            .map(|&(_, v)| v)
    }
}

/// The [`Decimal`] that `convert::json_number` makes of `n`, if it makes one.
#[inline]
fn json_num(n: &serde_json::Number) -> Option<Decimal> {
    // A single digit (a quantity), without the call: `parse_plain` reads it as that digit at
    // scale 0 (zero as `Decimal::ZERO`, which is 0 at scale 0).
    #[cfg(feature = "exact_numbers")]
    if let &[b @ b'0'..=b'9'] = n.as_str().as_bytes() {
        return Some(Decimal::from_i128(i128::from(b - b'0')));
    }
    json_num_in_full(n)
}

/// [`json_num`], every case.
fn json_num_in_full(n: &serde_json::Number) -> Option<Decimal> {
    // `json_number` reads the text with `number_text`, which starts with `parse_plain`.
    #[cfg(feature = "exact_numbers")]
    if let Some(d) = Decimal::parse_plain(n.as_str()) {
        return Some(d);
    }
    match super::convert::json_number(n) {
        Value::Num(d) => Some(d),
        _ => None,
    }
}

/// `a == b` for the short names of templates and data (`it`, `qty`): lengths first, then, up
/// to 16 bytes, two words that cover every byte (cheaper than the call to `memcmp` that `==`
/// makes, or a loop over the bytes). The same answer as `==`.
#[inline]
pub(crate) fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    match a.len() {
        0 => true,
        // The first, middle and last bytes are every byte of one to three.
        1..=3 => {
            let n = a.len();
            a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]
        }
        // The first four and the last four (overlapping below eight) are every byte.
        4..=7 => {
            let word =
                |s: &[u8], at: usize| u32::from_le_bytes([s[at], s[at + 1], s[at + 2], s[at + 3]]);
            let n = a.len();
            word(a, 0) == word(b, 0) && word(a, n - 4) == word(b, n - 4)
        }
        // The same with eight.
        8..=16 => {
            let word = |s: &[u8], at: usize| {
                let mut w = [0u8; 8];
                w.copy_from_slice(&s[at..at + 8]);
                u64::from_le_bytes(w)
            };
            let n = a.len();
            word(a, 0) == word(b, 0) && word(a, n - 8) == word(b, n - 8)
        }
        _ => a == b,
    }
}

/// How many entries a JSON object may have for [`json_get`] to look through them in turn (the
/// top level of a receipt's data has ten or so).
const SCAN_MAX: usize = 16;

/// `m.get(key)`, for a small object (an item of a receipt) by a scan of its entries comparing
/// lengths first, which is cheaper than serde_json's ordered search (a `BTreeMap`'s, comparing
/// the key's bytes with each key on its way; with `preserve_order`, a hash of the key). Keys
/// are distinct, so the entry found is the one `get` finds.
fn json_get<'d>(m: &'d JsonMap, key: &str) -> Option<&'d serde_json::Value> {
    if m.len() <= SCAN_MAX {
        return m.iter().find(|(k, _)| same_name(k, key)).map(|(_, v)| v);
    }
    m.get(key)
}

impl<'d> FromIterator<Entry<'d>> for Map<'d> {
    fn from_iter<I: IntoIterator<Item = Entry<'d>>>(iter: I) -> Map<'d> {
        let mut entries: Vec<Entry<'d>> = iter.into_iter().collect();
        Map::from_tail(&mut entries, 0)
    }
}

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
fn number(n: &serde_json::Number) -> Value<'static> {
    number_text(&n.to_string())
}

/// A JSON number from its text: exact where a [`Decimal`] holds it (at most 38 digits, 18 of them
/// decimals), else kept as its text, so no digit is ever lost (it prints as written).
pub(crate) fn number_text(text: &str) -> Value<'static> {
    // Plain digits (what a price is): at most 18 decimals, so a number whatever follows.
    if let Some(d) = Decimal::parse_plain(text) {
        return Value::Num(d);
    }
    number_text_general(text)
}

/// [`number_text`] of text that is not plain digits (an exponent, more than 18 digits): apart,
/// so the plain case stays a small function.
#[cold]
#[inline(never)]
fn number_text_general(text: &str) -> Value<'static> {
    let decimals = match text.split_once('.') {
        Some((_, frac)) if !text.contains(['e', 'E']) => frac.len(),
        _ => 0,
    };
    match Decimal::parse(text) {
        Some(d) if decimals <= super::decimal::MAX_SCALE as usize => Value::Num(d),
        _ => Value::Str(text.into()),
    }
}

impl Value<'static> {
    /// Converts JSON data into an owned value, numbers serde_json's way (their text). (Templates
    /// read JSON in place with [`Value::json`], within the data budgets; this stays for tools.)
    pub fn from_json(v: &serde_json::Value) -> Value<'static> {
        match v {
            serde_json::Value::Null => Value::None,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => number(n),
            serde_json::Value::String(s) => Value::Str(s.as_str().into()),
            serde_json::Value::Array(a) => Value::List(List::from(
                a.iter().map(Value::from_json).collect::<Vec<_>>(),
            )),
            serde_json::Value::Object(o) => Value::Map(
                o.iter()
                    .map(|(k, v)| (Arc::from(k.as_str()), Value::from_json(v)))
                    .collect(),
            ),
        }
    }
}

impl<'d> Value<'d> {
    /// The caller's JSON read in place: a string, list or map borrows it (its items are read
    /// the same way when they are read); a number is read as the `Serialize` path reads it
    /// (`convert::json_number`), so both paths give the same value.
    pub fn json(v: &'d serde_json::Value) -> Value<'d> {
        match v {
            serde_json::Value::Null => Value::None,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => super::convert::json_number(n),
            serde_json::Value::String(s) => Value::Str(Str::Data(s)),
            serde_json::Value::Array(a) => Value::List(List::Data(a)),
            serde_json::Value::Object(o) => Value::Map(Map::Data(o)),
        }
    }

    /// A string value.
    pub fn str(s: impl Into<Arc<str>>) -> Value<'d> {
        Value::Str(Str::Shared(s.into()))
    }

    /// An integer value.
    pub fn int(n: i64) -> Value<'d> {
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
            (Value::Str(a), Value::Str(b)) => **a == **b,
            (Value::List(a), Value::List(b)) => {
                a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x.same(&y))
            }
            (Value::Map(a), Value::Map(b)) => {
                a.len() == b.len()
                    && a.entries()
                        .iter()
                        .zip(b.entries().iter())
                        .all(|((ka, va), (kb, vb))| ka == kb && va.same(vb))
            }
            _ => false,
        }
    }
}

impl fmt::Display for Value<'_> {
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
pub(super) fn undefined_error(v: &Value<'_>) -> Error {
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
pub(super) fn type_error(v: &Value<'_>, what: &str, span: Span) -> Error {
    if matches!(v, Value::Undefined(_)) {
        return undefined_error(v);
    }
    Error::new(
        ErrorKind::Type,
        format!("cannot {what} a {}", v.type_name()),
    )
    .at(span)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(m: &Map<'_>) -> Vec<(String, String)> {
        m.entries()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_map_is_sorted_and_keeps_the_last_value_of_a_key() {
        let mut buf: Vec<Entry<'_>> = vec![(Arc::from("outer"), Value::None)];
        for (k, v) in [("b", 1), ("a", 2), ("b", 3), ("c", 4), ("a", 5), ("b", 6)] {
            buf.push((Arc::from(k), Value::int(v)));
        }
        let m = Map::from_tail(&mut buf, 1);
        let want = [("a", "5"), ("b", "6"), ("c", "4")].map(|(k, v)| (k.into(), v.into()));
        assert_eq!(entries(&m), want);
        assert_eq!(buf.len(), 1, "the entries before `base` stay");
        assert!(matches!(m.get("b"), Some(v) if v.to_string() == "6"));
        assert!(m.get("d").is_none() && m.contains_key("c"));
    }

    /// [`List::iter`] (the fast path) gives what reading each index with [`List::get`] gives,
    /// for both kinds of list, empty or not.
    #[test]
    fn iter_gives_the_items_get_gives() {
        let json = serde_json::json!([1, "a", null, [2], {"k": 3}, 2.50, true]);
        let data = json.as_array().unwrap();
        let shared: Vec<Value<'_>> = data.iter().map(Value::from_json).collect();
        for n in 0..=data.len() {
            for list in [List::Data(&data[..n]), List::from(shared[..n].to_vec())] {
                let by_index: Vec<String> = (0..list.len())
                    .map(|i| format!("{:?}", list.get(i).unwrap()))
                    .collect();
                let iterated: Vec<String> = list.iter().map(|v| format!("{v:?}")).collect();
                assert_eq!(iterated, by_index);
                assert_eq!(list.iter().size_hint(), (n, Some(n)));
            }
        }
    }

    proptest::proptest! {
        /// `same_name` is `==` for names of every length, equal or differing in one byte.
        #[test]
        fn same_name_is_equality_at_every_length(
            a in "[a-c名]{0,20}",
            at in 0usize..64,
            to in proptest::prelude::any::<u8>(),
        ) {
            let mut b = a.clone().into_bytes();
            if !b.is_empty() {
                let i = at % b.len();
                b[i] = to;
            }
            if let Ok(b) = String::from_utf8(b) {
                proptest::prop_assert_eq!(same_name(&a, &b), a == b);
                proptest::prop_assert_eq!(same_name(&b, &a), a == b);
            }
            proptest::prop_assert!(same_name(&a, &a.clone()));
        }
    }

    #[test]
    fn a_json_number_reads_as_its_text_does() {
        let texts = [
            "0",
            "1",
            "7",
            "9",
            "10",
            "-1",
            "3.5",
            "0.0",
            "1e3",
            "12345678901234567890",
        ];
        let digits = (0..10).map(|d| d.to_string());
        for text in digits.chain(texts.iter().map(|t| t.to_string())) {
            let n: serde_json::Number = serde_json::from_str(&text).unwrap();
            let (fast, full) = (super::json_num(&n), super::json_num_in_full(&n));
            assert_eq!(format!("{fast:?}"), format!("{full:?}"), "{text}");
        }
    }

    #[test]
    fn same_name_is_equality() {
        let names = [
            "", "i", "it", "iu", "ti", "qty", "qtz", "name", "名", "名字", "it ",
        ];
        for a in names {
            for b in names {
                assert_eq!(same_name(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn a_small_object_is_read_as_serde_json_reads_it() {
        let json = serde_json::json!({
            "small": { "name": "x", "qty": 2, "price": 1.5, "": 0, "nam": 3, "names": 4 },
            "big": (0..20).map(|i| (format!("k{i}"), serde_json::json!(i))).collect::<serde_json::Map<_, _>>(),
        });
        for (_, m) in json.as_object().unwrap() {
            let m = m.as_object().unwrap();
            let keys = [
                "name", "qty", "price", "", "nam", "names", "nome", "k3", "k19", "k20",
            ];
            for key in keys {
                assert_eq!(json_get(m, key), m.get(key), "{key}");
            }
        }
    }

    proptest::proptest! {
        /// Reading keys through [`Recent`], from objects taken in any order (the same one again,
        /// or another), finds what serde_json's own `get` finds.
        #[test]
        fn recent_reads_what_get_reads(
            objects in proptest::collection::vec(
                proptest::collection::btree_map("[a-c]{0,3}", 0u8..4, 0..20), 1..4),
            reads in proptest::collection::vec((0usize..4, "[a-c]{0,3}"), 0..30),
        ) {
            let objects: Vec<JsonMap> = objects
                .into_iter()
                .map(|o| o.into_iter().map(|(k, v)| (k, serde_json::json!(v))).collect())
                .collect();
            let mut recent = Recent::default();
            for (i, key) in reads {
                let m = &objects[i % objects.len()];
                proptest::prop_assert_eq!(recent.get(m, &key), m.get(&key));
                proptest::prop_assert_eq!(json_get(m, &key), m.get(&key));
            }
        }
    }

    #[test]
    fn with_adds_or_replaces_in_order() {
        let m: Map<'_> = [("b", 1), ("d", 2)]
            .into_iter()
            .map(|(k, v)| (Arc::from(k), Value::int(v)))
            .collect();
        for (key, want) in [
            ("a", vec![("a", "9"), ("b", "1"), ("d", "2")]),
            ("c", vec![("b", "1"), ("c", "9"), ("d", "2")]),
            ("d", vec![("b", "1"), ("d", "9")]),
            ("e", vec![("b", "1"), ("d", "2"), ("e", "9")]),
        ] {
            let got = entries(&m.with(key, Value::int(9)));
            let want: Vec<(String, String)> = want
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect();
            assert_eq!(got, want, "{key}");
        }
    }
}
