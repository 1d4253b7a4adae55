//! The model catalogue: the built-in records plus any a user loads from TOML or JSON.
//!
//! File format (TOML shown; JSON is the same shape, `{"model": [ … ]}`):
//!
//! ```toml
//! [[model]]
//! base = "k4"            # optional: start from this record (built-in or earlier in the file)
//! id = "k4-shop"         # the same id as an existing record replaces it ("correct a model")
//! name = "Our K4 with a cutter"
//! models = ["K4-SHOP1"]
//! cut = true
//! lacks = ["code128c"]   # optional: capabilities to remove from the base
//! assumed = []           # optional: what is still a guess
//! ```
//!
//! With `base`, the fields a record sets replace the base's (inline tables merge key by key);
//! `models`, `series` and `letter` are never inherited, so that a derived record does not steal
//! its base's model numbers.

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::backend::model::{Capability, Model};
use crate::error::{Error, ErrorKind};

/// The built-in catalogue's source text.
const BUILTIN: &str = include_str!("catalogue.toml");

/// A list of models, searched in order by [`Catalogue::resolve`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Catalogue {
    pub(crate) models: Vec<Model>,
}

impl Catalogue {
    /// The models built into this release: every Yilianyun family of the spec, plus the voice
    /// variants, B1 and K8; Feieyun and Xpyun at 58 and 80 mm; generic ESC/POS printers at 58 and
    /// 80 mm and the Epson TM-T88 class.
    pub fn builtin() -> Catalogue {
        // Parsed once per process (about half a millisecond); later calls copy the records.
        static PARSED: OnceLock<Catalogue> = OnceLock::new();
        PARSED
            .get_or_init(|| {
                let mut cat = Catalogue { models: Vec::new() };
                // The built-in file is part of the crate and covered by tests; a failure here is
                // a bug in this release, not bad input.
                cat.extend_toml_str(BUILTIN)
                    .expect("the built-in catalogue parses");
                cat
            })
            .clone()
    }

    /// The built-in catalogue with the records of a TOML file added (or replacing built-in
    /// records of the same id).
    pub fn from_toml_str(text: &str) -> Result<Catalogue, Error> {
        let mut cat = Catalogue::builtin();
        cat.extend_toml_str(text)?;
        Ok(cat)
    }

    /// The built-in catalogue with the records of a JSON file added (or replacing built-in
    /// records of the same id).
    pub fn from_json_str(text: &str) -> Result<Catalogue, Error> {
        let mut cat = Catalogue::builtin();
        cat.extend_json_str(text)?;
        Ok(cat)
    }

    /// Adds (or replaces) the records of a TOML file.
    pub fn extend_toml_str(&mut self, text: &str) -> Result<(), Error> {
        let value: Value = toml::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Data,
                format!("model file is not valid toml: {}", one_line(&e.to_string())),
            )
            .with_cause(e)
        })?;
        self.extend_value(value)
    }

    /// Adds (or replaces) the records of a JSON file.
    pub fn extend_json_str(&mut self, text: &str) -> Result<(), Error> {
        let value: Value = serde_json::from_str(text).map_err(|e| {
            Error::new(
                ErrorKind::Data,
                format!("model file is not valid json: {e}"),
            )
            .with_cause(e)
        })?;
        self.extend_value(value)
    }

    /// Every model, in catalogue order.
    pub fn models(&self) -> &[Model] {
        &self.models
    }

    fn extend_value(&mut self, value: Value) -> Result<(), Error> {
        let records = match value {
            Value::Object(mut top) => match top.remove("model") {
                Some(Value::Array(records)) => records,
                Some(_) => return Err(data_error("`model` must be a list of records")),
                None => Vec::new(),
            },
            _ => return Err(data_error("a model file is a table with a `model` list")),
        };
        for (i, record) in records.into_iter().enumerate() {
            let model = self.build(record).map_err(|e| {
                Error::new(
                    ErrorKind::Data,
                    format!("model record {}: {}", i + 1, e.message()),
                )
                .with_cause_of(&e)
            })?;
            match self.models.iter_mut().find(|m| m.id == model.id) {
                Some(existing) => *existing = model,
                None => self.models.push(model),
            }
        }
        Ok(())
    }

    fn build(&self, record: Value) -> Result<Model, Error> {
        let Value::Object(mut record) = record else {
            return Err(data_error("a record must be a table"));
        };
        let lacks: Vec<Capability> = match record.remove("lacks") {
            Some(v) => serde_json::from_value(v)
                .map_err(|e| data_error(format!("bad `lacks`: {e}")).with_cause(e))?,
            None => Vec::new(),
        };
        let merged = match record.remove("base") {
            Some(Value::String(base_id)) => {
                let base = self
                    .models
                    .iter()
                    .find(|m| m.id.eq_ignore_ascii_case(&base_id))
                    .ok_or_else(|| data_error(format!("unknown base `{base_id}`")))?;
                let mut base = serde_json::to_value(base)
                    .map_err(|e| data_error(format!("cannot copy base: {e}")).with_cause(e))?;
                if let Value::Object(b) = &mut base {
                    for key in ["models", "series", "letter"] {
                        b.remove(key);
                    }
                    merge(b, record);
                }
                base
            }
            Some(_) => return Err(data_error("`base` must be a model id")),
            None => Value::Object(record),
        };
        let mut model: Model =
            serde_json::from_value(merged).map_err(|e| data_error(e.to_string()).with_cause(e))?;
        for cap in lacks {
            model.remove(cap);
        }
        model.id = model.id.to_ascii_lowercase();
        if model.id.is_empty() {
            return Err(data_error("a record needs an `id`"));
        }
        Ok(model)
    }
}

/// Overlays `top` onto `base`: tables merge key by key, anything else replaces.
fn merge(base: &mut Map<String, Value>, top: Map<String, Value>) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(Value::Object(b)), Value::Object(t)) => merge(b, t),
            (_, value) => {
                base.insert(key, value);
            }
        }
    }
}

fn data_error(msg: impl Into<String>) -> Error {
    Error::new(ErrorKind::Data, msg)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::model::{Basis, VoiceTag};

    /// The families named in spec §1.0, the voice variants, B1 and K8; then the other dialects.
    const FAMILIES: [&str; 26] = [
        "k2s",
        "k4",
        "k4-a",
        "k4-s",
        "k5",
        "k6",
        "k6-a",
        "k7",
        "k7-a",
        "x1",
        "w1",
        "w1-new",
        "k7-ghc",
        "k4-new",
        "k6-wh",
        "m1-g",
        "k5-new",
        "b1",
        "k8",
        "feieyun-58",
        "feieyun-80",
        "xpyun-58",
        "xpyun-80",
        "escpos-58",
        "escpos-80",
        "epson-tm-t88",
    ];

    #[test]
    fn builtin_has_every_family_once() {
        let cat = Catalogue::builtin();
        let ids: Vec<&str> = cat.models().iter().map(|m| m.id.as_str()).collect();
        assert_eq!(ids, FAMILIES);
    }

    #[test]
    fn derived_records_inherit_but_do_not_steal_model_numbers() {
        let cat = Catalogue::builtin();
        let k7a = cat.models().iter().find(|m| m.id == "k7-a").unwrap();
        assert_eq!(k7a.paper.default_columns, 48);
        assert_eq!(k7a.voice.unwrap().tag, VoiceTag::Audio);
        assert_eq!(k7a.letter, Some('A'));
        let k7 = cat.models().iter().find(|m| m.id == "k7").unwrap();
        assert!(k7.models.is_empty());
        assert!(k7.voice.is_none());
    }

    #[test]
    fn unretrieved_pages_are_assumed_and_documented_pages_are_not() {
        let cat = Catalogue::builtin();
        let get = |id: &str| cat.models().iter().find(|m| m.id == id).unwrap();
        assert_eq!(get("k7-ghc").basis(Capability::Qr), Basis::Assumed);
        assert_eq!(get("k7-ghc").basis(Capability::Styles), Basis::Assumed);
        assert_eq!(get("k2s").basis(Capability::Qr), Basis::Documented);
        assert_eq!(get("k4").basis(Capability::Code128c), Basis::Documented);
        assert_eq!(get("k4").basis(Capability::Table), Basis::Assumed);
        assert_eq!(get("x1").basis(Capability::Cut), Basis::Documented);
        assert_eq!(get("x1").basis(Capability::Qr), Basis::Assumed);
        assert!(!get("k2s").has(Capability::Code128));
        assert!(get("x1").has(Capability::Cut));
        assert!(!get("k7-a").has(Capability::Cut));
    }

    #[test]
    fn a_user_record_corrects_a_builtin_model() {
        let cat = Catalogue::from_toml_str(
            r#"
            [[model]]
            base = "k7-ghc"
            id = "k7-ghc"
            name = "K7-GHC (checked on paper)"
            models = ["K7-GHC", "K7-WHC"]
            cut = true
            lacks = ["code128c"]
            assumed = []
            "#,
        )
        .unwrap();
        let m = cat.resolve("K7-WHC").unwrap();
        assert_eq!(m.name, "K7-GHC (checked on paper)");
        assert!(m.cut);
        assert!(m.codes.code128c.is_none());
        assert!(m.codes.code128.is_some());
        assert_eq!(m.basis(Capability::Cut), Basis::Documented);
        assert_eq!(cat.models().len(), FAMILIES.len());
    }

    #[test]
    fn a_json_record_adds_a_model() {
        let cat = Catalogue::from_json_str(
            r#"{"model": [{"base": "k4", "id": "Shop-K4", "name": "shop", "models": ["K4-SHOP"],
                "paper": {"default_columns": 48}}]}"#,
        )
        .unwrap();
        let m = cat.resolve("k4-shop").unwrap();
        assert_eq!(m.id, "shop-k4");
        assert_eq!(m.paper.default_columns, 48);
        assert_eq!(m.paper.max_columns, 32);
    }

    #[test]
    fn bad_records_are_data_errors() {
        let cases = [
            (
                "[[model]]\nid = \"x\"\n",
                "model record 1: missing field `name`",
            ),
            (
                "[[model]]\nbase = \"nope\"\nid = \"x\"\n",
                "model record 1: unknown base `nope`",
            ),
            (
                "[[model]]\nbase = \"k4\"\nid = \"x\"\nlacks = [\"wings\"]\n",
                "model record 1: bad `lacks`: unknown variant `wings`",
            ),
            ("model = 3\n", "`model` must be a list of records"),
            (
                "[[model]]\nbase = \"k4\"\nid = \"x\"\ncolour = true\n",
                "model record 1: unknown field `colour`",
            ),
        ];
        for (text, want) in cases {
            let err = Catalogue::from_toml_str(text).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Data);
            assert!(
                err.message().starts_with(want),
                "{text:?}: {}",
                err.message()
            );
        }
        let err = Catalogue::from_toml_str("[[model").unwrap_err();
        assert!(err.message().starts_with("model file is not valid toml"));
    }
}
