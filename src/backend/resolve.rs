//! Model name resolution: family ids and concrete model numbers, case-insensitively.
//!
//! Order of lookup, for a name normalised to upper case with `_` and spaces read as `-`:
//!
//! 1. a record's id (`k4-a`) or one of its listed model numbers (`K7-WEADC`);
//! 2. a concrete number `SERIES-SUFFIX` (or a bare `SERIES`): among the records of that series,
//!    the one whose `letter` appears in the suffix (`K4-WGEAD` has an `A`: the AI-voice record),
//!    else the series' record without a letter (`K4-XYZ` → the K4 record).
//!
//! An unknown name is an [`ErrorKind::UnknownModel`] error whose hint lists the nearest names by
//! edit distance.

use crate::backend::Catalogue;
use crate::backend::model::Model;
use crate::error::{Error, ErrorKind};
use crate::printer::{GENERIC_PRINTER, Printer};
use crate::suggest::{Listing, distance, unknown};

impl Catalogue {
    /// The printer for a model name: [`GENERIC_PRINTER`] (`generic`) is the model-free preview
    /// profile ([`Printer::generic`]); any other name is [resolved](Catalogue::resolve) and
    /// printed in its record's dialect.
    pub fn printer(&self, name: &str) -> Result<Printer, Error> {
        if name.trim().eq_ignore_ascii_case(GENERIC_PRINTER) {
            return Ok(Printer::generic());
        }
        self.resolve(name).map(|m| Printer::from_model(m.clone()))
    }

    /// The model for a family id or concrete model number (`k4`, `K4-WA`, `k7-weadc`, `X1`).
    pub fn resolve(&self, name: &str) -> Result<&Model, Error> {
        let key = normalise(name);
        if let Some(m) = self.models.iter().find(|m| {
            m.id.eq_ignore_ascii_case(&key) || m.models.iter().any(|n| n.eq_ignore_ascii_case(&key))
        }) {
            return Ok(m);
        }
        let (series, suffix) = key.split_once('-').unwrap_or((key.as_str(), ""));
        let in_series: Vec<&Model> = self
            .models
            .iter()
            .filter(|m| m.series.iter().any(|s| s.eq_ignore_ascii_case(series)))
            .collect();
        let by_letter = in_series.iter().find(|m| {
            m.letter
                .is_some_and(|c| suffix.contains(c.to_ascii_uppercase()))
        });
        let plain = in_series.iter().find(|m| m.letter.is_none());
        match by_letter.or(plain) {
            Some(m) => Ok(m),
            None => Err(self.unknown(name, &key)),
        }
    }

    fn unknown(&self, name: &str, key: &str) -> Error {
        let mut names: Vec<String> = Vec::new();
        for m in &self.models {
            names.push(m.id.clone());
            names.extend(m.models.iter().cloned());
            names.extend(m.series.iter().cloned());
        }
        names.sort();
        names.dedup_by(|a, b| a.eq_ignore_ascii_case(b));
        let mut scored: Vec<(usize, String)> = names
            .into_iter()
            .map(|n| (distance(key, &n.to_ascii_uppercase()), n))
            .collect();
        scored.sort();
        let known: Vec<&str> = scored.iter().map(|(_, n)| n.as_str()).collect();
        let listing = Listing {
            also: Some(format!(
                "nearest: {}; `slipmark models` lists them all",
                known[..known.len().min(3)].join(", ")
            )),
            always: true,
            ..Listing::default()
        };
        unknown(
            ErrorKind::UnknownModel,
            "printer model",
            name.trim(),
            &known,
            None,
            listing,
        )
    }
}

fn normalise(name: &str) -> String {
    name.trim()
        .chars()
        .map(|c| match c {
            '_' | ' ' => '-',
            c => c.to_ascii_uppercase(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(name: &str) -> String {
        Catalogue::builtin().resolve(name).unwrap().id.clone()
    }

    #[test]
    fn family_ids_and_model_numbers_resolve_case_insensitively() {
        let cases = [
            ("k4", "k4"),
            ("K4", "k4"),
            ("K4-WA", "k4-a"),
            ("k4-wgead", "k4-a"),
            ("K4-WUS", "k4-s"),
            ("K4-GH", "k4-new"),
            ("K4-XYZ", "k4"),
            ("K7-WEADC", "k7-a"),
            ("K7-GHC", "k7-ghc"),
            ("k7_whc", "k7-ghc"),
            ("K6-WH", "k6-wh"),
            ("K6-WGEAD", "k6-a"),
            ("M1", "k2s"),
            ("M1-G", "m1-g"),
            ("K3S", "k2s"),
            (" X1 ", "x1"),
            ("W1", "w1"),
            ("w1-new", "w1-new"),
            ("K5", "k5"),
            ("B1", "b1"),
            ("K8", "k8"),
        ];
        for (name, want) in cases {
            assert_eq!(id(name), want, "{name}");
        }
    }

    #[test]
    fn unknown_names_list_the_nearest() {
        let err = Catalogue::builtin().resolve("K9-WA").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownModel);
        assert_eq!(err.message(), "unknown printer model `K9-WA`");
        assert_eq!(
            err.hint().unwrap(),
            "did you mean `K4-WA`? nearest: K4-WA, K4-WAD, K4-WH; `slipmark models` lists them all"
        );
        let err = Catalogue::builtin().resolve("").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::UnknownModel);
    }
}
