//! Property: a value bound into a heading, a paragraph, a cell, an arrow line or a rule label
//! stays one piece of data text. It adds no block, no cell, no style, no line and no heading,
//! whatever it contains.

use proptest::prelude::*;
use slipmark::Environment;
use slipmark::document::{Block, Document, Origin, Slice, Style, TextKind};

const TEMPLATE: &str = "# {{ v }}\n{{ v }}\n| {{ v }} | x |\n-> {{ v }} <-\n--- {{ v }} ---\n";

fn one_data_run(doc: &Document, runs: Slice, v: &str, style: Style) {
    let runs = doc.runs(runs);
    if v.is_empty() {
        assert!(runs.is_empty());
        return;
    }
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(doc.text(&runs[0]), v);
    assert_eq!(runs[0].origin, Origin::Data);
    assert_eq!(runs[0].style, style);
}

fn check(v: &str) {
    let t = Environment::new()
        .template_from_str("t.slip", TEMPLATE)
        .unwrap();
    let doc = t.bind(&serde_json::json!({ "v": v })).unwrap();
    assert_eq!(doc.blocks.len(), 5, "{}", doc.outline());
    let Block::Text(h) = &doc.blocks[0] else {
        panic!("heading expected")
    };
    assert_eq!(h.kind, TextKind::Heading(1));
    let first = doc.runs(h.runs).first();
    one_data_run(&doc, h.runs, v, first.map_or(Style::PLAIN, |r| r.style));
    assert!(
        doc.runs(h.runs)
            .iter()
            .all(|r| r.style.width == slipmark::document::Scale::X2)
    );
    let Block::Text(p) = &doc.blocks[1] else {
        panic!("paragraph expected")
    };
    assert_eq!(p.kind, TextKind::Paragraph);
    one_data_run(&doc, p.runs, v, Style::PLAIN);
    let Block::Table(table) = &doc.blocks[2] else {
        panic!("table expected")
    };
    let rows = doc.rows(table);
    assert_eq!(rows.len(), 1);
    assert_eq!(doc.cells(&rows[0]).len(), 2);
    one_data_run(&doc, doc.cells(&rows[0])[0].runs, v, Style::PLAIN);
    let Block::Text(a) = &doc.blocks[3] else {
        panic!("arrow expected")
    };
    one_data_run(&doc, a.runs, v, Style::PLAIN);
    let Block::Rule(r) = &doc.blocks[4] else {
        panic!("rule expected")
    };
    one_data_run(&doc, r.label, v, Style::PLAIN);
}

#[test]
fn the_issue_example_stays_data() {
    check("**x** | <FB>y</FB>\n# z \u{7}");
    check("</center><MN>9</MN>");
    check("{{ v }}{% for x in v %}\n|---|");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_value_stays_data(v in "(\\PC|[\\n\\r\\t\\x00-\\x1f]|\\*\\*|\\||\\{\\{|\\}\\}|\\{%|%\\}|#|<FB>|\\[|\\]\\{\\.big\\})*") {
        check(&v);
    }
}
