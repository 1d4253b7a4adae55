//! Issue 10, must-show 3: arithmetic and dates that used to panic or spin return values or
//! errors; and every filter is total over arbitrary inputs (never a panic).

use proptest::prelude::*;
use serde_json::{Value as Json, json};
use slipmark::{Environment, ErrorKind};

fn render(template: &str, data: &Json) -> Result<String, slipmark::Error> {
    let t = Environment::new().template_from_str("t.slip", template)?;
    let printer = slipmark::printer::Printer::generic();
    Ok(t.render(data, &printer)?.preview_text())
}

#[test]
fn dividing_the_smallest_number_by_minus_one_is_an_overflow_error() {
    for op in ["/", "%"] {
        let src = format!("{{{{ (-170141183460469231731687303715884105727 - 1) {op} -1 }}}}\n");
        match render(&src, &json!({})) {
            // `%` is exactly 0; `/` overflows.
            Ok(text) => assert_eq!(op, "%", "{text}"),
            Err(e) => assert_eq!(e.kind(), ErrorKind::Arithmetic, "{op}: {e}"),
        }
    }
    let rem = render(
        "{{ (-170141183460469231731687303715884105727 - 1) % -1 }}\n",
        &json!({}),
    )
    .unwrap();
    assert_eq!(rem.trim(), "0");
}

#[test]
fn a_huge_exponent_is_a_value_at_once() {
    // Zero at any exponent is zero (it used to walk the exponent one step at a time).
    let out = render("{{ x | money }}\n", &json!({ "x": "0e100000000" })).unwrap();
    assert_eq!(out.trim(), "0.00");
    let out = render("{{ x | money }}\n", &json!({ "x": "0e-100000000" })).unwrap();
    assert_eq!(out.trim(), "0.00");
    // A nonzero number that large is too large; that small rounds to zero.
    let err = render("{{ x | money }}\n", &json!({ "x": "1e100000000" })).unwrap_err();
    assert!(
        matches!(
            err.kind(),
            ErrorKind::Type | ErrorKind::Arithmetic | ErrorKind::Filter
        ),
        "{err}"
    );
    let out = render("{{ x | money }}\n", &json!({ "x": "1e-100000000" })).unwrap();
    assert_eq!(out.trim(), "0.00");
    let out = render("{{ x | money }}\n", &json!({ "x": "25e-1" })).unwrap();
    assert_eq!(out.trim(), "2.50");
}

#[test]
fn the_smallest_timestamp_is_out_of_range_not_a_panic() {
    for x in [
        json!(i64::MIN),
        json!(i64::MIN.to_string()),
        json!(i64::MAX),
    ] {
        let err = render("{{ x | date(\"%F\") }}\n", &json!({ "x": x })).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Type, "{err}");
        assert!(err.message().contains("out of range"), "{err}");
    }
}

const FILTERS: &[(&str, usize)] = &[
    ("money", 0),
    ("money", 1),
    ("date", 1),
    ("date", 2),
    ("upper", 0),
    ("lower", 0),
    ("trim", 0),
    ("default", 1),
    ("truncate", 1),
    ("round", 0),
    ("round", 1),
    ("length", 0),
    ("join", 0),
    ("join", 1),
    ("sum", 0),
    ("abs", 0),
    ("string", 0),
];

fn number_text() -> impl Strategy<Value = String> {
    prop_oneof![
        "-?[0-9]{1,45}(\\.[0-9]{0,45})?([eE][-+]?[0-9]{1,10})?",
        any::<i64>().prop_map(|n| n.to_string()),
        any::<i128>().prop_map(|n| n.to_string()),
    ]
}

fn json_value() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<u64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        number_text().prop_map(Json::String),
        "\\PC{0,12}".prop_map(Json::String),
        "[-+ 0-9:TZ./%a-zA-Z]{0,25}".prop_map(Json::String),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
            prop::collection::btree_map("[a-z]{1,3}", inner, 0..3)
                .prop_map(|m| Json::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every filter, with any target and arguments, returns a value or an error: no panic.
    #[test]
    fn every_filter_is_total(
        which in 0..FILTERS.len(),
        x in json_value(),
        a in json_value(),
        b in json_value(),
        op in prop::sample::select(vec!["+", "-", "*", "/", "%", "<", "=="]),
        y in json_value(),
    ) {
        let (name, args) = FILTERS[which];
        let call = match args {
            0 => format!("x | {name}"),
            1 => format!("x | {name}(a)"),
            _ => format!("x | {name}(a, b)"),
        };
        let data = json!({ "x": x, "a": a, "b": b, "y": y });
        let _ = render(&format!("{{{{ {call} }}}}\n"), &data);
        let _ = render(&format!("{{{{ x {op} y }}}}\n{{{{ ({call}) {op} y }}}}\n"), &data);
    }

    /// Arithmetic on arbitrary number literals never panics.
    #[test]
    fn arithmetic_is_total(x in number_text(), y in number_text(),
        op in prop::sample::select(vec!["+", "-", "*", "/", "%"])) {
        let _ = render(&format!("{{{{ {x} {op} {y} }}}}\n{{{{ -{x} {op} -{y} }}}}\n"), &json!({}));
        let _ = render("{{ x | money }} {{ x | round(2) }} {{ x | abs }}\n", &json!({ "x": x }));
    }
}
