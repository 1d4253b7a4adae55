//! Fixture tests: every file under `tests/inputs/<stage>/{ok,err}` is run and its result
//! snapshotted (the snapshot header shows the template). `ok` fixtures must succeed and `err`
//! fixtures must fail, so a fixture cannot silently change sides.

use std::path::Path;

use slipmark::{Environment, Error, Template};

/// The fixture's name as used in diagnostics: its path relative to the crate root, so that
/// includes resolve and snapshots do not depend on the machine.
fn name(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn compile(path: &Path) -> (String, Result<Template, Vec<Error>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let result = Environment::new().compile(&name(path), &text);
    (text, result)
}

fn data(path: &Path) -> serde_json::Value {
    let json = path.with_extension("json");
    match std::fs::read_to_string(&json) {
        Ok(t) => serde_json::from_str(&t).unwrap(),
        Err(_) => serde_json::json!({}),
    }
}

fn render_errors(errors: &[Error]) -> String {
    errors
        .iter()
        .map(|e| format!("{e:#}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn syntax_ok() {
    insta::glob!("inputs/syntax/ok/*.slip", |path| {
        let (text, result) = compile(path);
        let template = result.unwrap_or_else(|e| panic!("{}", render_errors(&e)));
        insta::with_settings!({ description => text, omit_expression => true }, {
            insta::assert_snapshot!(format!("{:#?}", template.ast()));
        });
    });
}

#[test]
fn syntax_err() {
    insta::glob!("inputs/syntax/err/*.slip", |path| {
        let (text, result) = compile(path);
        let errors = match result {
            Ok(_) => panic!("{} compiled but should fail", path.display()),
            Err(e) => e,
        };
        insta::with_settings!({ description => text, omit_expression => true }, {
            insta::assert_snapshot!(render_errors(&errors));
        });
    });
}

#[test]
fn bind_ok() {
    insta::glob!("inputs/bind/ok/*.slip", |path| {
        let (text, result) = compile(path);
        let template = result.unwrap_or_else(|e| panic!("{}", render_errors(&e)));
        let doc = template
            .bind(&data(path))
            .unwrap_or_else(|e| panic!("{e:#}"));
        insta::with_settings!({ description => text, omit_expression => true }, {
            insta::assert_snapshot!(doc.outline());
        });
    });
}

#[test]
fn bind_err() {
    insta::glob!("inputs/bind/err/*.slip", |path| {
        let (text, result) = compile(path);
        let template = result.unwrap_or_else(|e| panic!("{}", render_errors(&e)));
        let errors = template.check(&data(path));
        assert!(
            !errors.is_empty(),
            "{} bound but should fail",
            path.display()
        );
        // `bind` reports the first of the errors `check` finds.
        let first = template.bind(&data(path)).unwrap_err();
        assert_eq!(first.message(), errors[0].message());
        insta::with_settings!({ description => text, omit_expression => true }, {
            insta::assert_snapshot!(render_errors(&errors));
        });
    });
}
