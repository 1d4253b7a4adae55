//! Every template in `templates/` compiles and binds to its sample data; the bound document is
//! snapshotted so that a change in what a template means shows up in review.

mod support;

use support::template_with_data;

#[test]
fn templates_bind_to_their_sample_data() {
    insta::glob!("../templates", "*.slip", |path| {
        let (template, data) = template_with_data(path);
        let doc = template
            .bind_for(
                &data,
                &slipmark::printer::Printer::generic(),
                Default::default(),
            )
            .unwrap_or_else(|e| panic!("{e:#}"));
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(doc.outline());
        });
    });
}
