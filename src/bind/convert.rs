//! Data straight into [`Value`]s: a `serde::Serializer` that builds binder values in one pass
//! (no `serde_json::Value` in between) and checks the data budgets as it goes.
//!
//! Depth is checked when a list or map *opens*, before its elements are serialised, so data
//! nested 100,000 deep stops at `Budgets::max_data_depth` frames of recursion, whatever stack
//! the caller runs on. Size is counted as it is built (string bytes plus a fixed cost per value),
//! so a huge document stops as soon as it passes `Budgets::max_data_bytes`.

use std::fmt;
use std::sync::Arc;

#[cfg(test)]
use serde::ser::Serializer as _;
use serde::ser::{self, Serialize};

use super::Budgets;
use super::decimal::Decimal;
use super::value::{self, List, number_text};

/// What this conversion builds: values that own their data.
type Value = value::Value<'static>;
type Entry = value::Entry<'static>;
type ValueMap = value::Map<'static>;
use crate::error::{Error, ErrorKind};

/// What a scalar costs besides its bytes.
const SCALAR: usize = 8;
/// What a list or map costs besides its entries.
const CONTAINER: usize = 64;
/// What a map entry costs besides its key's bytes and its value.
const ENTRY: usize = 16;

/// The name serde_json gives an arbitrary-precision number (feature `arbitrary_precision`).
const JSON_NUMBER: &str = "$serde_json::private::Number";

/// Converts `data` into a value, within the data budgets.
pub(crate) fn to_value<S: Serialize + ?Sized>(data: &S, budgets: &Budgets) -> Result<Value, Error> {
    let mut counter = Counter::new(budgets);
    data.serialize(Conv { c: &mut counter }).map_err(|e| match e {
        ConvError::Budget(message) => Error::new(ErrorKind::Budget, message).with_hint(
            "the data given to a render is limited (Budgets::max_data_bytes, Budgets::max_data_depth)",
        ),
        e @ (ConvError::Custom(_) | ConvError::NotDigits) => {
            Error::new(ErrorKind::Data, format!("data cannot be serialised: {e}")).with_cause(e)
        }
    })
}

struct Counter {
    used: usize,
    depth: usize,
    max_bytes: usize,
    max_depth: usize,
    /// The keys met so far in this conversion: the same key in every item of a list is one
    /// shared string, not one allocation per item.
    keys: Vec<Arc<str>>,
    /// Where in `keys` the next key is looked for first.
    next_key: usize,
    /// The digits of the last arbitrary-precision number read ([`Digits`]), reused.
    digits: String,
    /// The entries of the maps being built, innermost last (each map's entries from its
    /// `base` on): one buffer, so a map's only allocation is the map.
    entries: Vec<Entry>,
}

/// How many distinct keys [`Counter::key`] remembers (past them a key is a string of its own;
/// the search stays short whatever the data).
const KEYS_KEPT: usize = 64;

impl Counter {
    fn new(budgets: &Budgets) -> Counter {
        Counter {
            used: 0,
            depth: 0,
            max_bytes: budgets.max_data_bytes,
            max_depth: budgets.max_data_depth,
            // Sized for a receipt's data, so neither grows as it is read.
            keys: Vec::with_capacity(16),
            next_key: 0,
            digits: String::new(),
            entries: Vec::with_capacity(16),
        }
    }

    /// `key` as a shared string: one met before in this conversion, or a new one.
    fn key(&mut self, key: &str) -> Arc<str> {
        // The items of a list repeat their keys in the same order: the key after the last
        // one found is tried first, so a list of items finds each key at the first try.
        let next = self.next_key;
        let found = match self.keys.get(next) {
            Some(k) if **k == *key => Some(next),
            _ => self.keys.iter().position(|k| **k == *key),
        };
        if let Some(i) = found {
            self.next_key = i + 1;
            return self.keys[i].clone();
        }
        let k: Arc<str> = Arc::from(key);
        if self.keys.len() < KEYS_KEPT {
            self.keys.push(k.clone());
            self.next_key = self.keys.len();
        }
        k
    }

    fn spend(&mut self, bytes: usize) -> Result<(), ConvError> {
        self.used = self.used.saturating_add(bytes);
        if self.used > self.max_bytes {
            return Err(ConvError::Budget(format!(
                "data larger than {} bytes",
                self.max_bytes
            )));
        }
        Ok(())
    }

    /// Opens a list or map: one level deeper, and its fixed cost.
    fn open(&mut self) -> Result<(), ConvError> {
        self.deeper()?;
        self.spend(CONTAINER)
    }

    /// One level of recursion deeper (checked before recursing).
    fn deeper(&mut self) -> Result<(), ConvError> {
        if self.depth >= self.max_depth {
            return Err(ConvError::Budget(format!(
                "data nested more than {} deep",
                self.max_depth
            )));
        }
        self.depth += 1;
        Ok(())
    }

    fn close(&mut self) {
        self.depth -= 1;
    }
}

#[derive(Debug)]
pub(crate) enum ConvError {
    Budget(String),
    Custom(String),
    /// [`Digits`] met something other than a string (caught where it is used; never returned).
    NotDigits,
}

impl fmt::Display for ConvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConvError::Budget(m) | ConvError::Custom(m) => f.write_str(m),
            ConvError::NotDigits => f.write_str("a number's digits are not a string"),
        }
    }
}

impl std::error::Error for ConvError {}

impl ser::Error for ConvError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ConvError::Custom(msg.to_string())
    }
}

struct Conv<'a> {
    c: &'a mut Counter,
}

fn num(d: Option<Decimal>, text: impl FnOnce() -> String) -> Value {
    match d {
        Some(d) => Value::Num(d),
        None => Value::Str(text().into()),
    }
}

/// An unsigned integer as a value: exact when it fits an `i128`, else its digits.
fn uint(v: u128) -> Value {
    num(i128::try_from(v).ok().map(Decimal::from_i128), || {
        v.to_string()
    })
}

/// A float as a value: like serde_json, one that is not finite is null; else exact when a
/// [`Decimal`] holds its shortest round-trip digits, else that text.
fn float(v: f64) -> Value {
    if !v.is_finite() {
        return Value::None;
    }
    num(Decimal::from_f64(v), || v.to_string())
}

impl<'a> ser::Serializer for Conv<'a> {
    type Ok = Value;
    type Error = ConvError;
    type SerializeSeq = Seq<'a>;
    type SerializeTuple = Seq<'a>;
    type SerializeTupleStruct = Seq<'a>;
    type SerializeTupleVariant = Variant<Seq<'a>>;
    type SerializeMap = Map<'a>;
    type SerializeStruct = Map<'a>;
    type SerializeStructVariant = Variant<Map<'a>>;

    fn serialize_bool(self, v: bool) -> Result<Value, ConvError> {
        self.c.spend(SCALAR)?;
        Ok(Value::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, ConvError> {
        self.c.spend(SCALAR)?;
        Ok(Value::Num(Decimal::from_i128(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ConvError> {
        self.serialize_i128(i128::from(v))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, ConvError> {
        self.c.spend(SCALAR)?;
        Ok(uint(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Value, ConvError> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ConvError> {
        self.c.spend(SCALAR)?;
        Ok(float(v))
    }
    fn serialize_char(self, v: char) -> Result<Value, ConvError> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<Value, ConvError> {
        self.c.spend(SCALAR.saturating_add(v.len()))?;
        Ok(Value::Str(v.into()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Value, ConvError> {
        use ser::SerializeSeq;
        let mut seq = self.serialize_seq(Some(v.len()))?;
        for b in v {
            seq.serialize_element(b)?;
        }
        seq.end()
    }
    fn serialize_none(self) -> Result<Value, ConvError> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, ConvError> {
        // A level of recursion like any other (a chain of them must stop too).
        self.c.deeper()?;
        let v = value.serialize(Conv { c: &mut *self.c })?;
        self.c.close();
        Ok(v)
    }
    fn serialize_unit(self) -> Result<Value, ConvError> {
        self.c.spend(SCALAR)?;
        Ok(Value::None)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, ConvError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, ConvError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, ConvError> {
        self.c.deeper()?;
        let v = value.serialize(Conv { c: &mut *self.c })?;
        self.c.close();
        Ok(v)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, ConvError> {
        self.c.open()?;
        self.c.spend(ENTRY.saturating_add(variant.len()))?;
        let inner = value.serialize(Conv { c: &mut *self.c })?;
        self.c.close();
        Ok(wrap(self.c.key(variant), inner))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Seq<'a>, ConvError> {
        self.c.open()?;
        // Capacity from a hint the data gives is capped: the budget decides, not the hint.
        Ok(Seq {
            items: Vec::with_capacity(len.unwrap_or(0).min(1024)),
            c: self.c,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'a>, ConvError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq<'a>, ConvError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Seq<'a>>, ConvError> {
        self.c.spend(ENTRY.saturating_add(variant.len()))?;
        Ok(Variant {
            name: variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Map<'a>, ConvError> {
        self.c.open()?;
        Ok(Map {
            base: self.c.entries.len(),
            count: 0,
            key: None,
            number: false,
            digits: false,
            c: self.c,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<Map<'a>, ConvError> {
        if name == JSON_NUMBER {
            // A number, not a map: it costs what its digits cost.
            self.c.deeper()?;
            return Ok(Map {
                base: self.c.entries.len(),
                count: 0,
                key: None,
                number: true,
                digits: false,
                c: self.c,
            });
        }
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<Map<'a>>, ConvError> {
        self.c.spend(ENTRY.saturating_add(variant.len()))?;
        Ok(Variant {
            name: variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

pub(crate) struct Seq<'a> {
    c: &'a mut Counter,
    items: Vec<Value>,
}

impl Seq<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        let v = value.serialize(Conv { c: &mut *self.c })?;
        self.items.push(v);
        Ok(())
    }
    fn finish(self) -> Value {
        self.c.close();
        Value::List(List::from(self.items))
    }
}

impl ser::SerializeSeq for Seq<'_> {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ConvError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for Seq<'_> {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ConvError> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for Seq<'_> {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.push(value)
    }
    fn end(self) -> Result<Value, ConvError> {
        Ok(self.finish())
    }
}

pub(crate) struct Map<'a> {
    c: &'a mut Counter,
    /// Where this map's entries start in `c.entries` (the entries of a map inside it are
    /// pushed after them and taken off when that map is done).
    base: usize,
    /// How many entries this map has pushed: anything past them was left by a value whose
    /// conversion failed (and whose error a `Serialize` impl chose to ignore), and is dropped.
    count: usize,
    key: Option<Arc<str>>,
    /// serde_json's arbitrary-precision number: one field holding the digits.
    number: bool,
    /// The number's digits field was read into `c.digits` (not yet an entry of `map`).
    digits: bool,
}

impl Map<'_> {
    fn entry(&mut self, key: Arc<str>, value: Value) -> Result<(), ConvError> {
        if !self.number {
            self.c.spend(ENTRY.saturating_add(key.len()))?;
        }
        self.push(key, value);
        Ok(())
    }

    fn push(&mut self, key: Arc<str>, value: Value) {
        self.c.entries.truncate(self.base + self.count);
        self.c.entries.push((key, value));
        self.count += 1;
    }

    /// The number of entries so far.
    fn len(&self) -> usize {
        self.count
    }

    /// The digits read by [`Digits`] as the entry they stand for, when another field follows
    /// them (not serde_json's shape): the map then holds what it always did.
    fn settle_digits(&mut self) {
        if std::mem::take(&mut self.digits) {
            let digits = Value::Str(self.c.digits.as_str().into());
            let key = self.c.key(JSON_NUMBER);
            self.push(key, digits);
        }
    }

    fn finish(mut self) -> Value {
        self.c.close();
        self.c.entries.truncate(self.base + self.count);
        if self.number && self.digits && self.len() == 0 {
            // serde_json's number: its digits, read without a string of their own.
            return number_text(&self.c.digits);
        }
        self.settle_digits();
        if self.number && self.len() == 1 && &*self.c.entries[self.base].0 == JSON_NUMBER {
            // The one entry is taken out: the digits when they are a string, else the map
            // goes on without it (as it always did).
            self.count = 0;
            if let Some((_, Value::Str(digits))) = self.c.entries.pop() {
                return number_text(&digits);
            }
        }
        if self.number {
            // Not the one-field shape serde_json writes: a map after all, paid for as one.
            let _ = self.c.spend(CONTAINER);
        }
        Value::Map(ValueMap::from_tail(&mut self.c.entries, self.base))
    }
}

impl ser::SerializeMap for Map<'_> {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), ConvError> {
        self.key = Some(key.serialize(KeyConv { c: &mut *self.c })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| ConvError::Custom("a map value without a key".into()))?;
        let v = value.serialize(Conv { c: &mut *self.c })?;
        self.entry(key, v)
    }
    fn end(self) -> Result<Value, ConvError> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Map<'_> {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvError> {
        if self.number && key == JSON_NUMBER && self.len() == 0 && !self.digits {
            // The digits of serde_json's number, read into a reused buffer; anything but a
            // string is converted as any field is (below), as it always was.
            match value.serialize(Digits { c: &mut *self.c }) {
                Ok(()) => {
                    self.digits = true;
                    return Ok(());
                }
                Err(ConvError::NotDigits) => {}
                Err(e) => return Err(e),
            }
        }
        self.settle_digits();
        let v = value.serialize(Conv { c: &mut *self.c })?;
        let key = self.c.key(key);
        self.entry(key, v)
    }
    fn end(self) -> Result<Value, ConvError> {
        Ok(self.finish())
    }
}

/// An enum variant with data: `{ "Variant": data }`.
pub(crate) struct Variant<T> {
    name: &'static str,
    inner: T,
}

fn wrap(name: Arc<str>, inner: Value) -> Value {
    Value::Map(ValueMap::from_tail(&mut vec![(name, inner)], 0))
}

impl ser::SerializeTupleVariant for Variant<Seq<'_>> {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), ConvError> {
        self.inner.push(value)
    }
    fn end(self) -> Result<Value, ConvError> {
        let name = self.inner.c.key(self.name);
        Ok(wrap(name, self.inner.finish()))
    }
}

impl ser::SerializeStructVariant for Variant<Map<'_>> {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvError> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> Result<Value, ConvError> {
        let name = self.inner.c.key(self.name);
        Ok(wrap(name, self.inner.finish()))
    }
}

/// The digits field of serde_json's arbitrary-precision number: a string, copied into
/// `Counter::digits` (a buffer reused for every number) and paid for as a string value is;
/// anything else is [`ConvError::NotDigits`], before anything is read or spent.
struct Digits<'a> {
    c: &'a mut Counter,
}

impl ser::Serializer for Digits<'_> {
    type Ok = ();
    type Error = ConvError;
    type SerializeSeq = ser::Impossible<(), ConvError>;
    type SerializeTuple = ser::Impossible<(), ConvError>;
    type SerializeTupleStruct = ser::Impossible<(), ConvError>;
    type SerializeTupleVariant = ser::Impossible<(), ConvError>;
    type SerializeMap = ser::Impossible<(), ConvError>;
    type SerializeStruct = ser::Impossible<(), ConvError>;
    type SerializeStructVariant = ser::Impossible<(), ConvError>;

    fn serialize_str(self, v: &str) -> Result<(), ConvError> {
        self.c.spend(SCALAR.saturating_add(v.len()))?;
        self.c.digits.clear();
        self.c.digits.push_str(v);
        Ok(())
    }
    fn serialize_bool(self, _v: bool) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_i8(self, _v: i8) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_i16(self, _v: i16) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_i32(self, _v: i32) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_i64(self, _v: i64) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_i128(self, _v: i128) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_u8(self, _v: u8) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_u16(self, _v: u16) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_u32(self, _v: u32) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_u64(self, _v: u64) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_u128(self, _v: u128) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_f32(self, _v: f32) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_f64(self, _v: f64) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_char(self, _v: char) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_none(self) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_unit(self) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
    ) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _value: &T,
    ) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, ConvError> {
        Err(ConvError::NotDigits)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ConvError> {
        Err(ConvError::NotDigits)
    }
}

/// Map keys: strings, and the scalars serde_json also accepts as keys (written as text).
struct KeyConv<'a> {
    c: &'a mut Counter,
}

fn key_error() -> ConvError {
    ConvError::Custom("map keys must be strings".into())
}

impl ser::Serializer for KeyConv<'_> {
    type Ok = Arc<str>;
    type Error = ConvError;
    type SerializeSeq = ser::Impossible<Arc<str>, ConvError>;
    type SerializeTuple = ser::Impossible<Arc<str>, ConvError>;
    type SerializeTupleStruct = ser::Impossible<Arc<str>, ConvError>;
    type SerializeTupleVariant = ser::Impossible<Arc<str>, ConvError>;
    type SerializeMap = ser::Impossible<Arc<str>, ConvError>;
    type SerializeStruct = ser::Impossible<Arc<str>, ConvError>;
    type SerializeStructVariant = ser::Impossible<Arc<str>, ConvError>;

    fn serialize_bool(self, v: bool) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_i8(self, v: i8) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_i16(self, v: i16) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_i32(self, v: i32) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_i64(self, v: i64) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_i128(self, v: i128) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_u8(self, v: u8) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_u16(self, v: u16) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_u32(self, v: u32) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_u64(self, v: u64) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_u128(self, v: u128) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(&v.to_string()))
    }
    fn serialize_f32(self, _v: f32) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_f64(self, _v: f64) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_char(self, v: char) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(v.encode_utf8(&mut [0; 4])))
    }
    fn serialize_str(self, v: &str) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(v))
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Arc<str>, ConvError> {
        Ok(self.c.key(variant))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _value: &T,
    ) -> Result<Arc<str>, ConvError> {
        // Not followed: a key chain of newtypes could recurse without bound.
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Arc<str>, ConvError> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, ConvError> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, ConvError> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, ConvError> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, ConvError> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, ConvError> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, ConvError> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, ConvError> {
        Err(key_error())
    }
}

/// Serialises a binder value so that `to_value` reads back the same value: numbers as
/// serde_json's arbitrary-precision form (exact), undefined as none.
impl Serialize for value::Value<'_> {
    fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use ser::{SerializeMap, SerializeSeq, SerializeStruct};
        match self {
            value::Value::Undefined(_) | value::Value::None => s.serialize_unit(),
            value::Value::Bool(b) => s.serialize_bool(*b),
            value::Value::Num(d) => {
                let mut n = s.serialize_struct(JSON_NUMBER, 1)?;
                n.serialize_field(JSON_NUMBER, &d.to_string())?;
                n.end()
            }
            value::Value::Str(t) => s.serialize_str(t),
            value::Value::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for v in items.iter() {
                    seq.serialize_element(&v)?;
                }
                seq.end()
            }
            value::Value::Map(m) => {
                let mut map = s.serialize_map(Some(m.len()))?;
                for (k, v) in m.entries() {
                    map.serialize_entry(k, &v)?;
                }
                map.end()
            }
        }
    }
}

/// Parses JSON text straight into a value, within the data budgets: no `serde_json::Value` in
/// between, depth checked before descending, size counted as it is built.
/// (The reference [`json_from_str`] is tested against: [`crate::Data`] parsed this way
/// before it held JSON.)
#[cfg(test)]
pub(crate) fn from_json_str(text: &str, budgets: &Budgets) -> Result<Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut counter = Counter::new(budgets);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = serde::de::DeserializeSeed::deserialize(Seed { c: &mut counter }, &mut de)
        .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let budget = counter.used > counter.max_bytes || counter.depth >= counter.max_depth;
        if budget {
            Error::new(ErrorKind::Budget, e.to_string()).with_hint(
                "the data given to a render is limited (Budgets::max_data_bytes, Budgets::max_data_depth)",
            )
        } else {
            Error::new(ErrorKind::Data, format!("not valid JSON: {e}")).with_cause(e)
        }
    })
}

#[cfg(test)]
struct Seed<'a> {
    c: &'a mut Counter,
}

fn budget_de<E: serde::de::Error>(e: ConvError) -> E {
    E::custom(e)
}

#[cfg(test)]
impl<'de> serde::de::DeserializeSeed<'de> for Seed<'_> {
    type Value = Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

#[cfg(test)]
impl<'de> serde::de::Visitor<'de> for Seed<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON data")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Value, E> {
        Conv { c: self.c }.serialize_bool(v).map_err(budget_de)
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Value, E> {
        Conv { c: self.c }.serialize_i64(v).map_err(budget_de)
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Value, E> {
        Conv { c: self.c }.serialize_u64(v).map_err(budget_de)
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        Conv { c: self.c }.serialize_f64(v).map_err(budget_de)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Value, E> {
        Conv { c: self.c }.serialize_str(v).map_err(budget_de)
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<Value, E> {
        Conv { c: self.c }.serialize_unit().map_err(budget_de)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.c.open().map_err(budget_de)?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(Seed { c: &mut *self.c })? {
            items.push(v);
        }
        self.c.close();
        Ok(Value::List(List::from(items)))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut first = map.next_key_seed(KeySeed { c: &mut *self.c })?;
        // serde_json with `arbitrary_precision` (feature `exact_numbers`) hands a number over
        // as a one-entry map holding its text: read it as the exact number it is.
        if first.as_deref() == Some(JSON_NUMBER) {
            map.next_value_seed(DigitsSeed { c: &mut *self.c })?;
            self.c
                .spend(SCALAR + self.c.digits.len())
                .map_err(budget_de)?;
            return Ok(number_text(&self.c.digits));
        }
        self.c.open().map_err(budget_de)?;
        let base = self.c.entries.len();
        while let Some(key) = first.take().map_or_else(
            || map.next_key_seed(KeySeed { c: &mut *self.c }),
            |k| Ok(Some(k)),
        )? {
            let v = map.next_value_seed(Seed { c: &mut *self.c })?;
            self.c
                .spend(ENTRY.saturating_add(key.len()))
                .map_err(budget_de)?;
            self.c.entries.push((key, v));
        }
        self.c.close();
        // (A value that fails ends the parse, so nothing but this map's entries is past `base`.)
        Ok(Value::Map(ValueMap::from_tail(&mut self.c.entries, base)))
    }
}

/// Parses JSON text into a `serde_json::Value` within the data budgets: what
/// [`from_json_str`] does (the same sizes counted as it reads, the same depth checks before
/// descending, the same errors), building serde_json's value instead of the binder's (for
/// [`crate::Data`], which the binder then reads in place).
pub(crate) fn json_from_str(text: &str, budgets: &Budgets) -> Result<serde_json::Value, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut counter = Counter::new(budgets);
    let mut de = serde_json::Deserializer::from_str(text);
    let result = serde::de::DeserializeSeed::deserialize(JsonSeed { c: &mut counter }, &mut de)
        .and_then(|v| de.end().map(|()| v));
    result.map_err(|e| {
        let budget = counter.used > counter.max_bytes || counter.depth >= counter.max_depth;
        if budget {
            Error::new(ErrorKind::Budget, e.to_string()).with_hint(
                "the data given to a render is limited (Budgets::max_data_bytes, Budgets::max_data_depth)",
            )
        } else {
            Error::new(ErrorKind::Data, format!("not valid JSON: {e}")).with_cause(e)
        }
    })
}

/// [`Seed`], building a `serde_json::Value`.
struct JsonSeed<'a> {
    c: &'a mut Counter,
}

impl<'de> serde::de::DeserializeSeed<'de> for JsonSeed<'_> {
    type Value = serde_json::Value;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<serde_json::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// The number `digits` stand for, as serde_json with `arbitrary_precision` holds it (its
/// text); digits that are not a number stay a string (what [`number_text`] makes of them).
fn json_digits(digits: &str) -> serde_json::Value {
    match digits.parse::<serde_json::Number>() {
        Ok(n) => serde_json::Value::Number(n),
        Err(_) => serde_json::Value::String(digits.to_string()),
    }
}

impl<'de> serde::de::Visitor<'de> for JsonSeed<'_> {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JSON data")
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<serde_json::Value, E> {
        self.c.spend(SCALAR).map_err(budget_de)?;
        Ok(serde_json::Value::Bool(v))
    }
    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<serde_json::Value, E> {
        self.c.spend(SCALAR).map_err(budget_de)?;
        Ok(serde_json::Value::Number(v.into()))
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<serde_json::Value, E> {
        self.c.spend(SCALAR).map_err(budget_de)?;
        Ok(serde_json::Value::Number(v.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<serde_json::Value, E> {
        self.c.spend(SCALAR).map_err(budget_de)?;
        // (Not finite: null, as the binder's conversion makes it.)
        Ok(serde_json::Number::from_f64(v)
            .map_or(serde_json::Value::Null, serde_json::Value::Number))
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<serde_json::Value, E> {
        self.c
            .spend(SCALAR.saturating_add(v.len()))
            .map_err(budget_de)?;
        Ok(serde_json::Value::String(v.to_string()))
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<serde_json::Value, E> {
        self.c.spend(SCALAR).map_err(budget_de)?;
        Ok(serde_json::Value::Null)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> Result<serde_json::Value, A::Error> {
        self.c.open().map_err(budget_de)?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(JsonSeed { c: &mut *self.c })? {
            items.push(v);
        }
        self.c.close();
        Ok(serde_json::Value::Array(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<serde_json::Value, A::Error> {
        let mut first = map.next_key::<String>()?;
        // serde_json with `arbitrary_precision` hands a number over as a one-entry map
        // holding its text.
        if first.as_deref() == Some(JSON_NUMBER) {
            map.next_value_seed(DigitsSeed { c: &mut *self.c })?;
            self.c
                .spend(SCALAR + self.c.digits.len())
                .map_err(budget_de)?;
            return Ok(json_digits(&self.c.digits));
        }
        self.c.open().map_err(budget_de)?;
        let mut out = serde_json::Map::new();
        while let Some(key) = first
            .take()
            .map_or_else(|| map.next_key::<String>(), |k| Ok(Some(k)))?
        {
            let v = map.next_value_seed(JsonSeed { c: &mut *self.c })?;
            self.c
                .spend(ENTRY.saturating_add(key.len()))
                .map_err(budget_de)?;
            // A key given twice: the last value wins, as in the binder's conversion.
            out.insert(key, v);
        }
        self.c.close();
        Ok(serde_json::Value::Object(out))
    }
}

/// A map key read as a shared string ([`Counter::key`]): no string of its own when the same
/// key came before.
#[cfg(test)]
struct KeySeed<'a> {
    c: &'a mut Counter,
}

#[cfg(test)]
impl<'de> serde::de::DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Arc<str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Arc<str>, D::Error> {
        d.deserialize_str(self)
    }
}

#[cfg(test)]
impl<'de> serde::de::Visitor<'de> for KeySeed<'_> {
    type Value = Arc<str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Arc<str>, E> {
        Ok(self.c.key(v))
    }
}

/// The text of an arbitrary-precision number, read into `Counter::digits` (reused).
struct DigitsSeed<'a> {
    c: &'a mut Counter,
}

impl<'de> serde::de::DeserializeSeed<'de> for DigitsSeed<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> serde::de::Visitor<'de> for DigitsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.c.digits.clear();
        self.c.digits.push_str(v);
        Ok(())
    }
}

/// A number of the caller's JSON as a value, read as [`to_value`] reads it: through the
/// number's own `Serialize` (an integer, a float, or with serde_json's `arbitrary_precision`
/// its text), into the same functions (`Decimal::from_i128`, [`float`], [`number_text`]). No
/// allocation but for a number no [`Decimal`] holds (kept as its text, as `to_value` keeps it).
pub(crate) fn json_number(n: &serde_json::Number) -> Value {
    // With `exact_numbers` (serde_json's `arbitrary_precision`), a number's `Serialize` is the
    // one-field struct whose field is `as_str()`, which [`ReadStr`] reads with `number_text`:
    // read here without the serializer in between (the same text into the same function).
    #[cfg(feature = "exact_numbers")]
    {
        number_text(n.as_str())
    }
    #[cfg(not(feature = "exact_numbers"))]
    json_number_serialized(n)
}

/// [`json_number`] through the number's `Serialize` (the only way when this crate does not
/// know whether serde_json's `arbitrary_precision` is on; with `exact_numbers`, what the tests
/// compare [`json_number`] with).
#[cfg_attr(all(feature = "exact_numbers", not(test)), allow(dead_code))]
fn json_number_serialized(n: &serde_json::Number) -> Value {
    match n.serialize(NumConv) {
        Ok(v) => v,
        // Not a shape serde_json writes: the general conversion (budgets do not apply here:
        // the data was walked within them before binding).
        Err(_) => {
            let unlimited = Budgets {
                max_data_bytes: usize::MAX,
                max_data_depth: usize::MAX,
                ..Budgets::default()
            };
            to_value(n, &unlimited).unwrap_or(Value::None)
        }
    }
}

/// Checks `data` against the data budgets exactly as [`to_value`] would (the same sizes
/// counted in the same order, the same depth checks, the same errors), without building
/// anything: what the binder needs before reading the caller's JSON in place.
///
/// When asked (`harvest`: a top-level list and a loop's keys), it takes the keys of each
/// item of that list on the way ([`super::rows::Harvest`]): the walk goes over every item's
/// entries anyway, so the loop need not go over them again. The same walk, the same answer
/// and the same errors; nothing harvested when it fails.
pub(crate) fn check_json<'d>(
    data: &'d serde_json::Value,
    budgets: &Budgets,
    harvest: Option<&mut super::rows::Harvest<'d>>,
) -> Result<(), Error> {
    let fits = match (harvest, data) {
        (Some(h), serde_json::Value::Object(root)) => {
            let mut q = quick_counter(budgets);
            let fits = quick_root(root, &mut q, h) && q.used <= q.max_bytes;
            if !fits {
                h.clear();
            }
            fits
        }
        _ => fits_quickly(data, budgets),
    };
    if fits {
        return Ok(());
    }
    // Over a budget: the exact walk, for the error the conversion would give.
    let mut counter = Counter::walking(budgets);
    walk(data, &mut counter).map_err(|e| match e {
        ConvError::Budget(message) => Error::new(ErrorKind::Budget, message).with_hint(
            "the data given to a render is limited (Budgets::max_data_bytes, Budgets::max_data_depth)",
        ),
        e @ (ConvError::Custom(_) | ConvError::NotDigits) => {
            Error::new(ErrorKind::Data, format!("data cannot be serialised: {e}")).with_cause(e)
        }
    })
}

impl Counter {
    /// A counter for [`walk`] (which builds nothing: no keys, digits or entries).
    fn walking(budgets: &Budgets) -> Counter {
        Counter {
            used: 0,
            depth: 0,
            max_bytes: budgets.max_data_bytes,
            max_depth: budgets.max_data_depth,
            keys: Vec::new(),
            next_key: 0,
            digits: String::new(),
            entries: Vec::new(),
        }
    }
}

/// Whether [`walk`] would find `data` within the budgets, by [`quick`]: the fast path of
/// [`check_json`].
fn fits_quickly(data: &serde_json::Value, budgets: &Budgets) -> bool {
    let mut q = quick_counter(budgets);
    quick(data, &mut q) && q.used <= q.max_bytes
}

/// [`Quick`] at the start of a walk.
fn quick_counter(budgets: &Budgets) -> Quick {
    Quick {
        used: 0,
        depth: 0,
        max_bytes: u64::try_from(budgets.max_data_bytes).unwrap_or(u64::MAX),
        max_depth: budgets.max_data_depth,
    }
}

/// [`quick_map`] of the top level, the list `h` asks for walked by [`quick_harvest`]
/// (the same sizes and checks: what `quick` does with a list, and the keys taken besides).
fn quick_root<'d>(
    map: &'d serde_json::Map<String, serde_json::Value>,
    q: &mut Quick,
    h: &mut super::rows::Harvest<'d>,
) -> bool {
    if !quick_open(q) {
        return false;
    }
    let numbers_fit = q.depth < q.max_depth;
    for (k, item) in map {
        let size = match quick_scalar(item, numbers_fit) {
            Some(size) => size,
            None if matches!(item, serde_json::Value::Number(_)) => return false,
            None => {
                let fits = match item {
                    serde_json::Value::Array(items) if *k == *h.name() => {
                        quick_harvest(items, q, h)
                    }
                    _ => quick(item, q),
                };
                if !fits {
                    return false;
                }
                0
            }
        };
        q.used += size + (ENTRY + k.len()) as u64;
    }
    quick_close(q)
}

/// [`quick_list`] of the list `h` asks for, each item's keys taken into `h` as the walk
/// goes over its entries ([`quick_map`]'s walk, with the keys found on the way).
fn quick_harvest<'d>(
    items: &'d [serde_json::Value],
    q: &mut Quick,
    h: &mut super::rows::Harvest<'d>,
) -> bool {
    if !quick_open(q) {
        return false;
    }
    h.start(items);
    for item in items {
        let mut slots = [None; super::MAX_KEYS];
        let fits = match item {
            serde_json::Value::Object(map) => {
                quick_map_with(map, q, |k, v| h.offer(&mut slots, k, v))
            }
            _ => quick(item, q),
        };
        if !fits {
            return false;
        }
        h.push(slots);
    }
    quick_close(q)
}

/// [`quick`]'s count: [`Counter`]'s, its size in a `u64`, which no data can overflow (each
/// value of the tree in memory adds at most [`CONTAINER`] plus its own bytes), so it adds
/// without saturating.
struct Quick {
    used: u64,
    depth: usize,
    max_bytes: u64,
    max_depth: usize,
}

/// [`walk`] without checking the size after every value: the same sizes added (the total
/// does not depend on their order) and the same depth checks, but the size compared with the
/// budget only at the end of each list or map (so that data far over it stops early) and, by
/// [`fits_quickly`], at the end. `false` where a check fails.
///
/// It equals `walk`: the total never goes down, so a total within the budget at the end was
/// within it at each of `walk`'s checks; one over it at the end, or at a list's end, is over
/// it at one of `walk`'s checks, which `walk` reaches unless an earlier check (a depth check,
/// which `quick` makes too, or a size check) fails first. So `walk` succeeds exactly when
/// `fits_quickly` does, and [`check_json`] asks `walk` only for the error.
fn quick(v: &serde_json::Value, q: &mut Quick) -> bool {
    match v {
        serde_json::Value::Array(items) => quick_list(items, q),
        serde_json::Value::Object(map) => quick_map(map, q),
        _ => match quick_scalar(v, q.depth < q.max_depth) {
            Some(size) => {
                q.used += size;
                true
            }
            None => false,
        },
    }
}

/// [`quick`] of a list. An item that is a map is walked here (`quick_map` inlined: what
/// `quick` does with it, without the call per item of a list of items).
fn quick_list(items: &[serde_json::Value], q: &mut Quick) -> bool {
    if !quick_open(q) {
        return false;
    }
    for item in items {
        let fits = match item {
            serde_json::Value::Object(map) => quick_map(map, q),
            _ => quick(item, q),
        };
        if !fits {
            return false;
        }
    }
    quick_close(q)
}

/// [`quick`] of a map.
#[inline(always)]
fn quick_map(map: &serde_json::Map<String, serde_json::Value>, q: &mut Quick) -> bool {
    quick_map_with(map, q, |_, _| {})
}

/// [`quick_map`], handing each entry that fitted to `each` (the harvest's keys).
#[inline(always)]
fn quick_map_with<'d>(
    map: &'d serde_json::Map<String, serde_json::Value>,
    q: &mut Quick,
    mut each: impl FnMut(&'d str, &'d serde_json::Value),
) -> bool {
    if !quick_open(q) {
        return false;
    }
    // A number's digits are a level deeper ([`number_cost`]): the same check for each.
    let numbers_fit = q.depth < q.max_depth;
    for (k, item) in map {
        // A scalar without the call.
        let size = match quick_scalar(item, numbers_fit) {
            Some(size) => size,
            None if matches!(item, serde_json::Value::Number(_)) => return false,
            None if quick(item, q) => 0,
            None => return false,
        };
        q.used += size + (ENTRY + k.len()) as u64;
        each(k, item);
    }
    quick_close(q)
}

/// [`Counter::open`] for [`quick`]: the depth check, then the container's size.
#[inline(always)]
fn quick_open(q: &mut Quick) -> bool {
    if q.depth >= q.max_depth {
        return false;
    }
    q.depth += 1;
    q.used += CONTAINER as u64;
    true
}

/// The end of a list or map in [`quick`]: a level up, and the size so far within the budget.
#[inline(always)]
fn quick_close(q: &mut Quick) -> bool {
    q.depth -= 1;
    q.used <= q.max_bytes
}

/// What [`walk`] spends on a scalar (`None` for a list or map, and for a number when
/// `numbers_fit` is false: [`number_cost`]'s depth check).
#[inline]
fn quick_scalar(v: &serde_json::Value, numbers_fit: bool) -> Option<u64> {
    let size = match v {
        serde_json::Value::String(s) => SCALAR + s.len(),
        serde_json::Value::Number(n) => quick_number(n, numbers_fit)?,
        serde_json::Value::Null | serde_json::Value::Bool(_) => SCALAR,
        serde_json::Value::Array(_) | serde_json::Value::Object(_) => return None,
    };
    Some(size as u64)
}

/// [`number_cost`]'s size (with `exact_numbers`: the digits a level deeper, so `None` when
/// that level does not fit; without, a number is an integer or a float: a scalar).
#[inline]
fn quick_number(n: &serde_json::Number, numbers_fit: bool) -> Option<usize> {
    #[cfg(feature = "exact_numbers")]
    {
        numbers_fit.then(|| SCALAR + n.as_str().len())
    }
    #[cfg(not(feature = "exact_numbers"))]
    {
        let _ = (n, numbers_fit);
        Some(SCALAR)
    }
}

/// [`check_json`]'s walk: what `serde_json::Value`'s `Serialize` asks of [`Conv`], counted.
/// A number goes through [`Conv`] itself (with `arbitrary_precision` it is a one-field struct,
/// a level deeper, paid for by its digits; else a scalar).
fn walk(v: &serde_json::Value, c: &mut Counter) -> Result<(), ConvError> {
    match v {
        serde_json::Value::Null | serde_json::Value::Bool(_) => c.spend(SCALAR),
        serde_json::Value::Number(n) => number_cost(n, c),
        serde_json::Value::String(s) => c.spend(SCALAR.saturating_add(s.len())),
        serde_json::Value::Array(items) => {
            c.open()?;
            for item in items {
                walk(item, c)?;
            }
            c.close();
            Ok(())
        }
        serde_json::Value::Object(map) => {
            c.open()?;
            for (k, item) in map {
                walk(item, c)?;
                c.spend(ENTRY.saturating_add(k.len()))?;
            }
            c.close();
            Ok(())
        }
    }
}

/// What [`walk`] spends on a number. With serde_json's `arbitrary_precision` (this crate's
/// `exact_numbers`), a number's `Serialize` is always the one-field struct of its text, so
/// [`NumCost`] would go a level deeper, spend `SCALAR` plus the text's length, and come back
/// up: done here from `as_str()`, without the serializer in between (the same checks in the
/// same order, so the same errors; [`number_cost_serialized`] is the general path, which the
/// tests compare with it).
fn number_cost(n: &serde_json::Number, c: &mut Counter) -> Result<(), ConvError> {
    #[cfg(feature = "exact_numbers")]
    {
        c.deeper()?;
        c.spend(SCALAR.saturating_add(n.as_str().len()))?;
        c.close();
        Ok(())
    }
    #[cfg(not(feature = "exact_numbers"))]
    number_cost_serialized(n, c)
}

/// [`number_cost`] through the number's `Serialize`: what [`Conv`] spends on it, without
/// converting it ([`NumCost`]); a shape serde_json never writes goes through `Conv` itself,
/// from the same counts.
#[cfg_attr(all(feature = "exact_numbers", not(test)), allow(dead_code))]
fn number_cost_serialized(n: &serde_json::Number, c: &mut Counter) -> Result<(), ConvError> {
    let (used, depth) = (c.used, c.depth);
    match n.serialize(NumCost { c: &mut *c }) {
        Err(ConvError::NotDigits) => {
            (c.used, c.depth) = (used, depth);
            n.serialize(Conv { c: &mut *c }).map(drop)
        }
        other => other,
    }
}

/// What [`NumConv`] refuses.
fn not_a_number<T>() -> Result<T, ConvError> {
    Err(ConvError::NotDigits)
}

macro_rules! refuse {
    ($($name:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $name(self, $(_: $arg),*) -> Result<$ret, ConvError> { not_a_number() })*
    };
    // The three generic methods, refused for a serializer whose `Ok` is `$ok`.
    (generic -> $ok:ty) => {
        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<$ok, ConvError> {
            not_a_number()
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, ConvError> {
            not_a_number()
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<$ok, ConvError> {
            not_a_number()
        }
    };
}

/// What [`Conv`] spends on a `serde_json::Number`, spent without building its value: a
/// scalar for an integer or a float ([`Conv`]'s `serialize_*`: `SCALAR`); for the one-field
/// struct of `arbitrary_precision`, a level deeper (`Conv::serialize_struct`), then `SCALAR`
/// plus the digits' length ([`Digits`]), then back up (`Map::finish`). Anything else is
/// [`ConvError::NotDigits`] (and [`walk`] asks `Conv`).
struct NumCost<'a> {
    c: &'a mut Counter,
}

impl<'a> ser::Serializer for NumCost<'a> {
    type Ok = ();
    type Error = ConvError;
    type SerializeSeq = ser::Impossible<(), ConvError>;
    type SerializeTuple = ser::Impossible<(), ConvError>;
    type SerializeTupleStruct = ser::Impossible<(), ConvError>;
    type SerializeTupleVariant = ser::Impossible<(), ConvError>;
    type SerializeMap = ser::Impossible<(), ConvError>;
    type SerializeStruct = NumCostStruct<'a>;
    type SerializeStructVariant = ser::Impossible<(), ConvError>;

    fn serialize_i64(self, _: i64) -> Result<(), ConvError> {
        self.c.spend(SCALAR)
    }
    fn serialize_u64(self, _: u64) -> Result<(), ConvError> {
        self.c.spend(SCALAR)
    }
    fn serialize_i128(self, _: i128) -> Result<(), ConvError> {
        self.c.spend(SCALAR)
    }
    fn serialize_u128(self, _: u128) -> Result<(), ConvError> {
        self.c.spend(SCALAR)
    }
    fn serialize_f64(self, _: f64) -> Result<(), ConvError> {
        self.c.spend(SCALAR)
    }
    fn serialize_struct(
        self,
        name: &'static str,
        _: usize,
    ) -> Result<NumCostStruct<'a>, ConvError> {
        if name != JSON_NUMBER {
            return not_a_number();
        }
        self.c.deeper()?;
        Ok(NumCostStruct {
            c: self.c,
            read: false,
        })
    }
    refuse! {
        serialize_bool(bool) -> ();
        serialize_i8(i8) -> ();
        serialize_i16(i16) -> ();
        serialize_i32(i32) -> ();
        serialize_u8(u8) -> ();
        serialize_u16(u16) -> ();
        serialize_u32(u32) -> ();
        serialize_f32(f32) -> ();
        serialize_char(char) -> ();
        serialize_str(&str) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_none() -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_unit_variant(&'static str, u32, &'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
    refuse!(generic -> ());
}

/// [`NumCost`] of the digits field.
struct NumCostStruct<'a> {
    c: &'a mut Counter,
    read: bool,
}

impl ser::SerializeStruct for NumCostStruct<'_> {
    type Ok = ();
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvError> {
        if key != JSON_NUMBER || self.read {
            return not_a_number();
        }
        // The digits' length, read through their `Serialize` (a string).
        let len = value.serialize(ReadStr(str::len))?;
        self.read = true;
        self.c.spend(SCALAR.saturating_add(len))
    }
    fn end(self) -> Result<(), ConvError> {
        if !self.read {
            return not_a_number();
        }
        self.c.close();
        Ok(())
    }
}

/// A string read through its `Serialize` and handed to the function (anything else is
/// refused): the digits' length for [`NumCost`], their value ([`number_text`], as [`Conv`]
/// reads the copy it makes of them) for [`NumConv`].
struct ReadStr<F>(F);

impl<R, F: FnOnce(&str) -> R> ser::Serializer for ReadStr<F> {
    type Ok = R;
    type Error = ConvError;
    type SerializeSeq = ser::Impossible<R, ConvError>;
    type SerializeTuple = ser::Impossible<R, ConvError>;
    type SerializeTupleStruct = ser::Impossible<R, ConvError>;
    type SerializeTupleVariant = ser::Impossible<R, ConvError>;
    type SerializeMap = ser::Impossible<R, ConvError>;
    type SerializeStruct = ser::Impossible<R, ConvError>;
    type SerializeStructVariant = ser::Impossible<R, ConvError>;

    fn serialize_str(self, v: &str) -> Result<R, ConvError> {
        Ok((self.0)(v))
    }
    refuse! {
        serialize_bool(bool) -> R;
        serialize_i8(i8) -> R;
        serialize_i16(i16) -> R;
        serialize_i32(i32) -> R;
        serialize_i64(i64) -> R;
        serialize_i128(i128) -> R;
        serialize_u8(u8) -> R;
        serialize_u16(u16) -> R;
        serialize_u32(u32) -> R;
        serialize_u64(u64) -> R;
        serialize_u128(u128) -> R;
        serialize_f32(f32) -> R;
        serialize_f64(f64) -> R;
        serialize_char(char) -> R;
        serialize_bytes(&[u8]) -> R;
        serialize_none() -> R;
        serialize_unit() -> R;
        serialize_unit_struct(&'static str) -> R;
        serialize_unit_variant(&'static str, u32, &'static str) -> R;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct(&'static str, usize) -> Self::SerializeStruct;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
    refuse!(generic -> R);
}

/// Reads a `serde_json::Number` through its `Serialize`: integers, floats, and the
/// one-field struct of `arbitrary_precision` whose digits are read in place
/// ([`ReadStr`]). Anything else is refused (and [`json_number`] falls back).
struct NumConv;

impl ser::Serializer for NumConv {
    type Ok = Value;
    type Error = ConvError;
    type SerializeSeq = ser::Impossible<Value, ConvError>;
    type SerializeTuple = ser::Impossible<Value, ConvError>;
    type SerializeTupleStruct = ser::Impossible<Value, ConvError>;
    type SerializeTupleVariant = ser::Impossible<Value, ConvError>;
    type SerializeMap = ser::Impossible<Value, ConvError>;
    type SerializeStruct = NumStruct;
    type SerializeStructVariant = ser::Impossible<Value, ConvError>;

    fn serialize_i64(self, v: i64) -> Result<Value, ConvError> {
        Ok(Value::Num(Decimal::from_i128(i128::from(v))))
    }
    fn serialize_u64(self, v: u64) -> Result<Value, ConvError> {
        Ok(Value::Num(Decimal::from_i128(i128::from(v))))
    }
    fn serialize_i128(self, v: i128) -> Result<Value, ConvError> {
        Ok(Value::Num(Decimal::from_i128(v)))
    }
    fn serialize_u128(self, v: u128) -> Result<Value, ConvError> {
        Ok(uint(v))
    }
    fn serialize_f64(self, v: f64) -> Result<Value, ConvError> {
        Ok(float(v))
    }
    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<NumStruct, ConvError> {
        if name != JSON_NUMBER {
            return not_a_number();
        }
        Ok(NumStruct(None))
    }
    refuse! {
        serialize_bool(bool) -> Value;
        serialize_i8(i8) -> Value;
        serialize_i16(i16) -> Value;
        serialize_i32(i32) -> Value;
        serialize_u8(u8) -> Value;
        serialize_u16(u16) -> Value;
        serialize_u32(u32) -> Value;
        serialize_f32(f32) -> Value;
        serialize_char(char) -> Value;
        serialize_str(&str) -> Value;
        serialize_bytes(&[u8]) -> Value;
        serialize_none() -> Value;
        serialize_unit() -> Value;
        serialize_unit_struct(&'static str) -> Value;
        serialize_unit_variant(&'static str, u32, &'static str) -> Value;
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize) -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize) -> Self::SerializeStructVariant;
    }
    refuse!(generic -> Value);
}

/// The struct of an `arbitrary_precision` number: its one field, the digits.
struct NumStruct(Option<Value>);

impl ser::SerializeStruct for NumStruct {
    type Ok = Value;
    type Error = ConvError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), ConvError> {
        if key != JSON_NUMBER || self.0.is_some() {
            return not_a_number();
        }
        self.0 = Some(value.serialize(ReadStr(number_text))?);
        Ok(())
    }
    fn end(self) -> Result<Value, ConvError> {
        self.0.ok_or(ConvError::NotDigits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = r#"{"a": 1, "b": 2.50, "c": 1e3, "d": 123456789012345678901234567890123456789012,
        "e": "x", "items": [{"n": "p", "q": 2}, {"n": "r", "q": 0.1}], "z": null, "t": true}"#;

    #[test]
    fn serialised_and_parsed_data_are_the_same_values() {
        let json: serde_json::Value = serde_json::from_str(TEXT).unwrap();
        let budgets = Budgets::default();
        let serialised = format!("{:?}", to_value(&json, &budgets).unwrap());
        let parsed = format!("{:?}", from_json_str(TEXT, &budgets).unwrap());
        assert_eq!(serialised, parsed);
        // With every digit kept, both are what `Value::from_json` reads (without it,
        // `from_json` prints floats serde_json's way, as it always did).
        #[cfg(feature = "exact_numbers")]
        assert_eq!(parsed, format!("{:?}", Value::from_json(&json)));
    }

    /// (Without `exact_numbers`, `json_number` is the `Serialize` path itself.)
    #[cfg(feature = "exact_numbers")]
    #[test]
    fn a_number_read_by_its_text_is_the_number_read_through_serialize() {
        let text = r#"[0, -0, 1, -7, 2.50, 0.1, 1e3, 1E-3, -2.5e+2, 12345678901234567890,
            123456789012345678901234567890123456789012, 0.0000000000000000001, 1e400, -1.5e-400]"#;
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        for n in json.as_array().unwrap() {
            let serde_json::Value::Number(n) = n else {
                unreachable!()
            };
            let fast = format!("{:?}", json_number(n));
            assert_eq!(fast, format!("{:?}", json_number_serialized(n)), "{n}");
        }
    }

    /// (Without `exact_numbers`, `number_cost` is the `Serialize` path itself.)
    #[cfg(feature = "exact_numbers")]
    #[test]
    fn a_number_costed_by_its_text_costs_what_serialize_costs() {
        let text = r#"[0, -7, 2.50, 1e3, 12345678901234567890,
            123456789012345678901234567890123456789012, 1e400]"#;
        let json: serde_json::Value = serde_json::from_str(text).unwrap();
        let counter = |used, max_bytes, max_depth| Counter {
            used,
            depth: 1,
            max_bytes,
            max_depth,
            keys: Vec::new(),
            next_key: 0,
            digits: String::new(),
            entries: Vec::new(),
        };
        let show = |r: Result<(), ConvError>, c: &Counter| format!("{r:?} {} {}", c.used, c.depth);
        for n in json.as_array().unwrap() {
            let serde_json::Value::Number(n) = n else {
                unreachable!()
            };
            // Budgets from ample to just short, and depths that do and do not allow a level.
            for max_bytes in [usize::MAX, 100, SCALAR + n.as_str().len() + 5, 6, 5, 0] {
                for max_depth in [1, 2, 64] {
                    let (mut fast, mut slow) = (
                        counter(5, max_bytes, max_depth),
                        counter(5, max_bytes, max_depth),
                    );
                    let f = number_cost(n, &mut fast);
                    let s = number_cost_serialized(n, &mut slow);
                    assert_eq!(
                        show(f, &fast),
                        show(s, &slow),
                        "{n} {max_bytes} {max_depth}"
                    );
                }
            }
        }
    }

    #[test]
    fn a_key_met_again_is_the_same_string() {
        let budgets = Budgets::default();
        let json: serde_json::Value = serde_json::from_str(TEXT).unwrap();
        for v in [
            to_value(&json, &budgets).unwrap(),
            from_json_str(TEXT, &budgets).unwrap(),
        ] {
            let Value::Map(m) = v else { panic!("a map") };
            let Some(Value::List(items)) = m.get("items") else {
                panic!("a list")
            };
            let keys: Vec<*const u8> = items
                .iter()
                .filter_map(|i| match i {
                    Value::Map(m) => m.keys().first().map(|k| k.as_ptr()),
                    _ => None,
                })
                .collect();
            assert_eq!(keys.len(), 2);
            assert_eq!(keys[0], keys[1], "one string");
        }
    }

    /// `Data`'s parse (into JSON) and the binder's parse of the same text: the same values, or
    /// the same error, under any budgets.
    fn same_parse(text: &str, budgets: &Budgets) {
        let old = from_json_str(text, budgets).map(|v| format!("{v:?}"));
        let new = json_from_str(text, budgets).map(|j| format!("{:?}", value::Value::json(&j)));
        match (old, new) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
            (Err(a), Err(b)) => {
                assert_eq!(a.kind(), b.kind(), "{text}");
                assert_eq!(a.message(), b.message(), "{text}");
                assert_eq!(a.hint(), b.hint(), "{text}");
            }
            (a, b) => panic!("{text}: {a:?} / {b:?}"),
        }
    }

    #[test]
    fn json_data_parses_as_the_binder_parsed_it() {
        for text in [
            TEXT,
            "{}",
            "null",
            "\u{feff}[1, 2.5, \"x\"]",
            "{\"a\": 1, \"a\": 2}",
            "{\"a\": [[[[1]]]]}",
            "{\"a\": 1e400}",
            "{\"a\": -0.0, \"b\": 0.1, \"c\": 1.5e-7, \"d\": 98765432109876543210}",
            "{\"a\": ",
            "[1] x",
        ] {
            for max_data_depth in 0..6 {
                for max_data_bytes in (0..400).step_by(5).chain([usize::MAX]) {
                    let budgets = Budgets {
                        max_data_bytes,
                        max_data_depth,
                        ..Budgets::default()
                    };
                    same_parse(text, &budgets);
                }
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn a_json_number_reads_as_its_conversion(
            text in "-?[0-9]{1,45}(\\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?",
            f in proptest::num::f64::ANY,
            i in proptest::num::i64::ANY,
            u in proptest::num::u64::ANY,
        ) {
            let mut numbers: Vec<serde_json::Number> = vec![i.into(), u.into()];
            numbers.extend(serde_json::Number::from_f64(f));
            numbers.extend(serde_json::from_str::<serde_json::Number>(&text).ok());
            let unlimited = Budgets { max_data_bytes: usize::MAX, max_data_depth: usize::MAX, ..Budgets::default() };
            for n in numbers {
                let slow = format!("{:?}", to_value(&n, &unlimited).unwrap());
                proptest::prop_assert_eq!(format!("{:?}", json_number(&n)), slow);
            }
        }
    }

    /// Random JSON: scalars (numbers of every kind), lists and maps, nested a few deep.
    fn any_json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            Just(serde_json::Value::Null),
            any::<bool>().prop_map(serde_json::Value::Bool),
            any::<i64>().prop_map(|n| serde_json::json!(n)),
            any::<f64>().prop_map(|f| serde_json::json!(f)),
            "[1-9][0-9]{0,29}(\\.[0-9]{1,9})?".prop_map(|t| serde_json::from_str(&t).unwrap()),
            "[a-z老王]{0,12}".prop_map(serde_json::Value::String),
        ];
        leaf.prop_recursive(5, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
                proptest::collection::vec(("[a-z]{0,4}", inner), 0..6).prop_map(|entries| {
                    serde_json::Value::Object(entries.into_iter().collect())
                }),
            ]
        })
    }

    /// Whether `check_json`'s fast path and the exact walk agree on `data` under every small
    /// budget (and the default ones).
    fn quick_agrees_with_walk(data: &serde_json::Value) -> Result<(), String> {
        let mut unlimited = Counter::walking(&Budgets {
            max_data_bytes: usize::MAX,
            max_data_depth: usize::MAX,
            ..Budgets::default()
        });
        walk(data, &mut unlimited).map_err(|e| e.to_string())?;
        let total = unlimited.used;
        for max_data_depth in 0..8 {
            let bytes = (0..total.saturating_add(3)).chain([usize::MAX, 1 << 20]);
            for max_data_bytes in bytes {
                let budgets = Budgets {
                    max_data_bytes,
                    max_data_depth,
                    ..Budgets::default()
                };
                let slow = walk(data, &mut Counter::walking(&budgets)).is_ok();
                if fits_quickly(data, &budgets) != slow {
                    return Err(format!(
                        "{data} at {max_data_bytes} bytes, depth {max_data_depth}: walk {slow}"
                    ));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn the_quick_budget_check_agrees_with_the_walk() {
        for text in [
            TEXT,
            "{}",
            "[]",
            "1",
            "\"x\"",
            "{\"a\": [[[[1]]]]}",
            "[[], [[]], {\"k\": {}}]",
            "{\"a\": -0.0, \"b\": 0.1, \"d\": 98765432109876543210}",
        ] {
            let data: serde_json::Value = serde_json::from_str(text).unwrap();
            quick_agrees_with_walk(&data).unwrap();
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 128, ..Default::default() })]
        #[test]
        fn the_quick_budget_check_agrees_with_the_walk_on_random_json(data in any_json()) {
            if let Err(e) = quick_agrees_with_walk(&data) {
                return Err(proptest::test_runner::TestCaseError::fail(e));
            }
        }
    }

    /// A struct with serde_json's number name but another field: a map, as it always was.
    struct NotANumber;

    impl Serialize for NotANumber {
        fn serialize<S: ser::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            use ser::SerializeStruct;
            let mut st = s.serialize_struct(JSON_NUMBER, 2)?;
            st.serialize_field(JSON_NUMBER, "12")?;
            st.serialize_field("x", &1)?;
            st.end()
        }
    }

    #[test]
    fn a_number_shaped_struct_with_more_fields_keeps_them() {
        let v = to_value(&NotANumber, &Budgets::default()).unwrap();
        let Value::Map(m) = v else { panic!("a map") };
        assert!(matches!(m.get(JSON_NUMBER), Some(Value::Str(s)) if &*s == "12"));
        assert!(matches!(m.get("x"), Some(Value::Num(_))));
    }
}
