//! The `printer` variable templates read (language §5a): what they print on.

use serde_json::{Map, Value, json};

use std::sync::OnceLock;

use super::Printer;
use crate::backend::{Capability, DialectName};

/// `printer.columns`, `printer.paper` (`"58mm"`, `"80mm"`, `"108mm"`, else `""`),
/// `printer.dialect` (the dialect's name, `"generic"` for the preview profile),
/// `printer.vendor` (`"Yilianyun"`, `"Feieyun"`, `"Xpyun"`, `"ESC/POS"`), `printer.model` and
/// `printer.name` (the record's id and display name), and `printer.has.<capability>` for every
/// capability, `-` written `_` (`has.code128`, `has.left_right`), plus `has.bold`, `has.large`
/// (×1.33 or ×2 both ways) and `has.big` (×2).
pub(crate) fn printer_value(printer: &Printer, columns: u16) -> Value {
    let m = printer.model();
    let mut has = Map::new();
    for cap in Capability::ALL {
        has.insert(cap.name().replace('-', "_"), json!(m.has(cap)));
    }
    let s = m.styles;
    has.insert("bold".into(), json!(s.bold));
    has.insert(
        "large".into(),
        json!((s.wide || s.wide2) && (s.tall || s.tall2)),
    );
    has.insert("big".into(), json!(s.wide2 && s.tall2));
    let dialect = printer.dialect().name();
    let vendor = match (dialect, m.dialect) {
        ("generic", _) => "generic",
        (_, DialectName::Feieyun) => "Feieyun",
        (_, DialectName::Xpyun) => "Xpyun",
        (_, DialectName::Escpos) => "ESC/POS",
        _ => "Yilianyun",
    };
    json!({
        "columns": columns,
        "paper": paper_name(columns),
        "dialect": dialect,
        "vendor": vendor,
        "model": m.id,
        "name": m.name,
        "has": has,
    })
}

/// [`printer_value`] as the binder's value: built once per printer at its model's paper. Only
/// `columns` and `paper` depend on the paper, so a render for another paper takes the built
/// value with those two replaced (the same value `printer_value` would give) instead of
/// building it afresh.
pub(crate) fn printer_facts(printer: &Printer, columns: u16) -> crate::bind::Value<'static> {
    use crate::bind::Value;
    let default = printer.model().paper.default_columns;
    let facts = printer
        .facts
        .get_or_init(|| Value::from_json(&printer_value(printer, default)))
        .clone();
    if columns == default {
        return facts;
    }
    match facts {
        Value::Map(m) => Value::Map(
            m.with("columns", Value::int(i64::from(columns)))
                .with("paper", Value::str(paper_name(columns))),
        ),
        _ => Value::from_json(&printer_value(printer, columns)),
    }
}

/// `printer.paper`: the paper's name at `columns`, `""` for a width without one.
fn paper_name(columns: u16) -> &'static str {
    match columns {
        32 => "58mm",
        48 => "80mm",
        72 => "108mm",
        _ => "",
    }
}

/// The `printer` variable when no printer is given: the generic preview profile at 58 mm.
pub(crate) fn generic_facts() -> crate::bind::Value<'static> {
    static FACTS: OnceLock<crate::bind::Value<'static>> = OnceLock::new();
    FACTS
        .get_or_init(|| crate::bind::Value::from_json(&printer_value(&Printer::generic(), 32)))
        .clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;

    #[test]
    fn facts_at_any_paper_are_the_facts_built_for_it() {
        let catalogue = Catalogue::builtin();
        let printers = [
            catalogue.printer("K7").unwrap(),
            catalogue.printer("K4-WA").unwrap(),
            Printer::generic(),
        ];
        for printer in &printers {
            for columns in [32, 48, 72, 40, printer.model().paper.default_columns] {
                let want = crate::bind::Value::from_json(&printer_value(printer, columns));
                let got = printer_facts(printer, columns);
                assert_eq!(format!("{got:?}"), format!("{want:?}"), "{columns}");
            }
        }
    }
}
