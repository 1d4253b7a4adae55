//! Issue 10, must-show 4: no data makes `@@` reach the content, and no note makes a receipt
//! unprintable — whatever joins characters (full lines without a newline, zero-width characters
//! that layout drops, runs side by side).

use serde_json::json;
use slipmark::Environment;
use slipmark::backend::Catalogue;

fn content(template: &str, data: &serde_json::Value, model: &str) -> String {
    let t = Environment::new()
        .template_from_str("t.slip", template)
        .unwrap();
    let printer = Catalogue::builtin().printer(model).unwrap();
    let job = t.render(data, &printer).unwrap_or_else(|e| panic!("{e:#}"));
    job.content().unwrap().to_string()
}

#[test]
fn no_join_makes_a_double_at() {
    let notes = [
        format!("{}@ @2 big", "a".repeat(31)),
        format!("{}@@2 big", "a".repeat(31)),
        "@\u{200b}@2".to_string(),
        "@\u{200b}\u{200d}\u{fe0f}@2 x".to_string(),
        "@\u{ad}@2".to_string(),
        format!("{}@\u{200b} @2", "b".repeat(31)),
    ];
    for model in ["k4", "k6", "k7"] {
        for note in &notes {
            for template in [
                "{{ note }}\n",
                "## {{ note }}\n",
                "备注：{{ note }}\n",
                "| {{ note }} | {{ note }} |\n",
                "{{ a }}{{ note }}\n",
            ] {
                let c = content(template, &json!({ "note": note, "a": "x@" }), model);
                assert!(!c.contains("@@"), "{model} {template:?} {note:?}: {c:?}");
            }
        }
    }
}

#[test]
fn the_full_line_before_an_at_keeps_its_newline() {
    // Within a text, the `@` before a space and `@` is neutralised (a break there joins them).
    let note = format!("{}@ @2 big", "a".repeat(31));
    let c = content("{{ note }}\n", &json!({ "note": note }), "k4");
    assert!(c.contains("＠") && !c.contains("@@"), "{c:?}");
    // Across blocks the dialect cannot rewrite: a full line ending in `@` keeps its newline.
    let data = json!({ "a": format!("{}@", "a".repeat(31)), "b": "@2 big" });
    let c = content("{{ a }}\n{{ b }}\n", &data, "k4");
    assert_eq!(c, format!("{}@\n@2 big\n", "a".repeat(31)));
    // Other full lines still leave it out (the printer wraps them).
    let c = content(
        "{{ note }}\n",
        &json!({ "note": format!("{} x", "a".repeat(32)) }),
        "k4",
    );
    assert_eq!(c, format!("{}x\n", "a".repeat(32)));
}
