//! Every template in `templates/` compiles and binds to its sample data; the bound document is
//! snapshotted so that a change in what a template means shows up in review.

use slipmark::Environment;

#[test]
fn templates_bind_to_their_sample_data() {
    insta::glob!("../templates", "*.slip", |path| {
        let env = Environment::new();
        let template = env
            .template_from_file(path)
            .unwrap_or_else(|e| panic!("{e:#}"));
        let data: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap())
                .unwrap();
        let doc = template.bind(&data).unwrap_or_else(|e| panic!("{e:#}"));
        insta::with_settings!({ omit_expression => true }, {
            insta::assert_snapshot!(doc.outline());
        });
    });
}
