//! The two ways data reaches a template give the same results: any `Serialize` data (converted
//! into the binder's values first) and a `serde_json::Value` read in place (the `_json` entry
//! points). Every template and fixture with its data on several printers, random JSON on a few
//! templates, and the data budgets.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use slipmark::backend::{Catalogue, DialectName};
use slipmark::printer::{Printer, RenderOptions};
use slipmark::{Budgets, Data, Environment, Error, Template};

/// An error as a reader sees it: kind, span, and the message with its snippet and hint.
fn shown(e: &Error) -> String {
    format!("{:?} {:?} {e:#}", e.kind(), e.span())
}

fn all_shown(errors: &[Error]) -> Vec<String> {
    errors.iter().map(shown).collect()
}

/// A printer of each dialect (the first model of each in the catalogue).
fn printers() -> Vec<Printer> {
    let cat = Catalogue::builtin();
    let mut out = Vec::new();
    for dialect in [
        DialectName::Yilianyun,
        DialectName::Feieyun,
        DialectName::Xpyun,
        DialectName::Escpos,
    ] {
        let model = cat.models().iter().find(|m| m.dialect == dialect).unwrap();
        out.push(Printer::from_model(model.clone()));
    }
    out.push(cat.printer("K7").unwrap());
    out
}

/// Asserts that every entry point gives the same result both ways for `data`.
fn same_both_ways(tpl: &Template, data: &serde_json::Value, printers: &[Printer], what: &str) {
    assert_eq!(
        tpl.bind(data).map_err(|e| shown(&e)),
        tpl.bind_json(data).map_err(|e| shown(&e)),
        "bind: {what}"
    );
    assert_eq!(
        all_shown(&tpl.check(data)),
        all_shown(&tpl.check_json(data)),
        "check: {what}"
    );
    for p in printers {
        for options in [
            RenderOptions::default(),
            RenderOptions::default().paper(slipmark::document::Paper::Mm58),
        ] {
            let what = format!("{what} on {}", p.model().id);
            assert_eq!(
                tpl.bind_for(data, p, options).map_err(|e| shown(&e)),
                tpl.bind_json_for(data, p, options).map_err(|e| shown(&e)),
                "bind_for: {what}"
            );
            assert_eq!(
                tpl.render_with(data, p, options).map_err(|e| shown(&e)),
                tpl.render_json_with(data, p, options)
                    .map_err(|e| shown(&e)),
                "render: {what}"
            );
            assert_eq!(
                all_shown(&tpl.render_errors(data, p, options)),
                all_shown(&tpl.render_json_errors(data, p, options)),
                "render_errors: {what}"
            );
        }
        assert_eq!(
            tpl.render(data, p).map_err(|e| shown(&e)),
            tpl.render_json(data, p).map_err(|e| shown(&e)),
            "render: {what}"
        );
    }
}

/// The templates of `templates/` and the bind and render fixtures, each with its data text.
fn corpus() -> Vec<(PathBuf, String)> {
    let mut paths = Vec::new();
    for dir in [
        "templates",
        "tests/inputs/bind/ok",
        "tests/inputs/bind/err",
        "tests/inputs/render/ok",
        "tests/inputs/render/err",
    ] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|e| e == "slip") {
                paths.push(p);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let data = std::fs::read_to_string(p.with_extension("json")).unwrap_or("{}".into());
            (p, data)
        })
        .collect()
}

fn compile(path: &Path) -> Option<Template> {
    let text = std::fs::read_to_string(path).unwrap();
    Environment::new()
        .compile(&path.display().to_string(), &text)
        .ok()
}

#[test]
fn every_template_and_fixture_renders_the_same_both_ways() {
    let printers = printers();
    let mut n = 0;
    for (path, text) in corpus() {
        let Some(tpl) = compile(&path) else { continue };
        let data: serde_json::Value = serde_json::from_str(&text).unwrap();
        same_both_ways(&tpl, &data, &printers, &path.display().to_string());
        // `Data` holds JSON parsed within the budgets: rendered in place, or converted.
        let parsed = Data::from_json_str(&text, &Budgets::default()).unwrap();
        assert_eq!(parsed.as_json(), &data, "{}", path.display());
        let p = &printers[0];
        assert_eq!(
            tpl.render(&parsed, p).map_err(|e| shown(&e)),
            tpl.render_json(parsed.as_json(), p).map_err(|e| shown(&e)),
            "{}",
            path.display()
        );
        n += 1;
    }
    assert!(n >= 40, "{n} templates");
}

/// Every budget small enough to matter, on every template's data: the same refusals.
#[test]
fn the_data_budgets_refuse_the_same_data_both_ways() {
    let texts = corpus();
    for (path, text) in &texts {
        let data: serde_json::Value = serde_json::from_str(text).unwrap();
        let size = text.len() * 4 + 256;
        for max_data_depth in 0..6 {
            for max_data_bytes in (0..size).step_by(7).chain([usize::MAX]) {
                let budgets = Budgets {
                    max_data_bytes,
                    max_data_depth,
                    ..Budgets::default()
                };
                let tpl = Environment::new()
                    .with_budgets(budgets)
                    .template_from_str("t.slip", "x\n")
                    .unwrap();
                let serde = tpl.bind(&data).map_err(|e| shown(&e));
                let json = tpl.bind_json(&data).map_err(|e| shown(&e));
                assert_eq!(serde, json, "{} {budgets:?}", path.display());
                if let Err(e) = &json {
                    let budget =
                        e.contains("data larger than") || e.contains("data nested more than");
                    assert!(budget || e.contains("top level"), "{e}");
                }
            }
        }
    }
}

#[test]
fn deep_and_large_json_is_refused_in_place() {
    let mut deep = serde_json::json!(1);
    for _ in 0..200 {
        deep = serde_json::json!([deep]);
    }
    let deep = serde_json::json!({ "a": deep });
    let tpl = Environment::new()
        .template_from_str("t.slip", "{{ a }}\n")
        .unwrap();
    let e = tpl.bind_json(&deep).unwrap_err();
    assert_eq!(e.kind(), slipmark::ErrorKind::Budget);
    assert_eq!(e.message(), "data nested more than 64 deep");
    assert_eq!(shown(&e), shown(&tpl.bind(&deep).unwrap_err()));
    let p = Catalogue::builtin().printer("K7").unwrap();
    assert_eq!(
        shown(&tpl.render_json(&deep, &p).unwrap_err()),
        shown(&tpl.render(&deep, &p).unwrap_err())
    );
    let big = serde_json::json!({ "a": "x".repeat(2 << 20) });
    let e = tpl.bind_json(&big).unwrap_err();
    assert_eq!(e.message(), "data larger than 1048576 bytes");
    assert_eq!(
        all_shown(&tpl.check_json(&big)),
        all_shown(&tpl.check(&big))
    );
}

/// Templates that read random data every way the binder can: printing, filters, arithmetic,
/// comparisons, loops, attributes and indexes, `printer`.
const TEMPLATES: [&str; 5] = [
    "{{ a }}\n{{ b }}\n{{ a.b }} {{ a[0] }} {{ a[\"b\"] }}\n",
    "{{ a | money }} {{ a | money(\"¥\") }}\n{{ a + b }} {{ a * b }} {{ a - b }} {{ a / b }}\n{{ a == b }} {{ a < b }} {{ -a }}\n",
    "{% for it in items %}\n| {{ it.name }} | x{{ it.qty }} | {{ (it.price * it.qty) | money }} | {{ loop.index }} |\n{% endfor %}\n{{ items | length }} {{ items | sum(\"price\") }} {{ items | sum }}\n",
    "{{ a | string }} {{ a | default(\"x\") }} {{ a in b }} {{ printer.columns }} {{ a | length }}\n{% if a %}\nyes {{ b | round(1) }} {{ b | abs }}\n{% else %}\nno {{ name | truncate(4) }}\n{% endif %}\n",
    "{{ a | join(\", \") }} {{ name | upper }} {{ name | trim }}\n{{ a | date(\"%F %T\") }}\n{% set t = a %}\n{{ t }} {{ b | default(a) }}\n",
];

/// JSON numbers of every kind: small and huge integers, floats (negative zero, subnormals,
/// huge, long fractions), and number text (every digit kept with `exact_numbers`).
fn number() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        (-1000i64..1000).prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        Just(serde_json::json!(-0.0)),
        Just(serde_json::json!(f64::MIN_POSITIVE / 3.0)),
        (-100_000i64..100_000, 0u32..4)
            .prop_map(|(n, s)| serde_json::json!(n as f64 / 10f64.powi(s as i32))),
        "-?[0-9]{1,45}(\\.[0-9]{1,25})?([eE][-+]?[0-9]{1,3})?"
            .prop_filter_map("a JSON number", |t| serde_json::from_str(&t).ok()),
    ]
}

fn leaf() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        number(),
        number(),
        "(\\PC|[\\x00-\\x1f\\x7f]){0,12}".prop_map(serde_json::Value::String),
        "(2026-0[1-9]-1[0-9]( 1[0-9]:3[0-9])?|[0-9]{1,13}|\\.?[0-9]{1,4}\\.[0-9]{1,3})"
            .prop_map(serde_json::Value::String),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("name".to_string()),
        Just("qty".to_string()),
        Just("price".to_string()),
        Just("items".to_string()),
        Just("printer".to_string()),
        "[a-z]{1,3}",
    ]
}

fn json() -> impl Strategy<Value = serde_json::Value> {
    leaf().prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5).prop_map(serde_json::Value::Array),
            proptest::collection::vec((key(), inner), 0..6)
                .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        ]
    })
}

/// A top-level object, mostly: the keys the templates read, with random values.
fn data() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        4 => proptest::collection::vec((key(), json()), 0..8)
            .prop_map(|entries| serde_json::Value::Object(entries.into_iter().collect())),
        1 => json(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_json_binds_the_same_both_ways(data in data(), which in 0..TEMPLATES.len()) {
        let env = Environment::new();
        let tpl = env.template_from_str("t.slip", TEMPLATES[which]).unwrap();
        let p = Catalogue::builtin().printer("K7").unwrap();
        same_both_ways(&tpl, &data, std::slice::from_ref(&p), TEMPLATES[which]);
    }

    #[test]
    fn random_json_meets_the_budgets_the_same_both_ways(
        data in data(),
        max_data_bytes in 0usize..600,
        max_data_depth in 0usize..5,
    ) {
        let budgets = Budgets { max_data_bytes, max_data_depth, ..Budgets::default() };
        let tpl = Environment::new()
            .with_budgets(budgets)
            .template_from_str("t.slip", TEMPLATES[2])
            .unwrap();
        prop_assert_eq!(
            tpl.bind(&data).map_err(|e| shown(&e)),
            tpl.bind_json(&data).map_err(|e| shown(&e))
        );
    }
}
