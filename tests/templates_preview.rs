//! The text preview of every template in `templates/` with its sample data, at 58 mm and 80 mm.
//! Review these as the paper: they are what the printer will print.

use slipmark::Environment;
use slipmark::frame::LayoutOptions;
use slipmark::layout::layout;

fn preview(path: &std::path::Path, columns: u16) -> String {
    let template = Environment::new()
        .template_from_file(path)
        .unwrap_or_else(|e| panic!("{e:#}"));
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap())
            .unwrap();
    let doc = template.bind(&data).unwrap_or_else(|e| panic!("{e:#}"));
    let opts = LayoutOptions {
        columns,
        ..LayoutOptions::default()
    };
    let laid = layout(&doc, &opts).unwrap_or_else(|e| panic!("{:#}", template.locate(e)));
    let mut out = slipmark::preview::text(&laid.frame);
    for w in &laid.warnings {
        out.push_str(&format!("warning: {}\n", w.message));
    }
    out
}

#[test]
fn templates_preview_at_58mm() {
    insta::glob!("../templates", "*.slip", |path| {
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(preview(path, 32));
        });
    });
}

#[test]
fn templates_preview_at_80mm() {
    insta::glob!("../templates", "*.slip", |path| {
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(preview(path, 48));
        });
    });
}
