//! The text preview of every template in `templates/` with its sample data, at 58 mm and 80 mm.
//! Review these as the paper: they are what the printer will print.

mod support;

use slipmark::layout::layout;

use support::{opts, template_with_data};

fn preview(path: &std::path::Path, columns: u16) -> String {
    let (template, data) = template_with_data(path);
    let doc = template
        .bind_for(
            &data,
            &slipmark::printer::Printer::generic(),
            Default::default(),
        )
        .unwrap_or_else(|e| panic!("{e:#}"));
    let laid = layout(&doc, &opts(columns)).unwrap_or_else(|e| panic!("{:#}", template.locate(e)));
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
