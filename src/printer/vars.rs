//! The `printer` variable templates read (language §5a): what they print on.

use serde_json::{Map, Value, json};

use super::Printer;
use crate::backend::Capability;

/// `printer.columns`, `printer.paper` (`"58mm"`, `"80mm"`, else `"N columns"`),
/// `printer.vendor` (the dialect's name), `printer.model` (the record's id) and
/// `printer.has.<capability>` for every capability, `-` written `_` (`has.code128`,
/// `has.left_right`), plus `has.large` (×1.33 styles) and `has.big` (×2).
pub(crate) fn printer_value(printer: &Printer, columns: u16) -> Value {
    let model = printer.model();
    let mut has = Map::new();
    for cap in Capability::ALL {
        has.insert(cap.name().replace('-', "_"), json!(model.has(cap)));
    }
    let s = model.styles;
    has.insert("large".into(), json!(s.wide && s.tall));
    has.insert("big".into(), json!(s.wide2 && s.tall2));
    let paper = match columns {
        32 => "58mm".to_string(),
        48 => "80mm".to_string(),
        n => format!("{n} columns"),
    };
    json!({
        "columns": columns,
        "paper": paper,
        "vendor": printer.dialect().name(),
        "model": model.id,
        "has": has,
    })
}
