//! Render fixtures: every file under `tests/inputs/render/{ok,err}` is rendered (with its sibling
//! `.json`, if any) for the default printer (K4, 58 mm unless the template sets `paper:`) and
//! the preview, the content and the warnings are snapshotted. `ok` fixtures must render; `err`
//! fixtures must fail, and their snapshot is the error with its snippet. These are the receipts
//! as shop owners write them (issue 9): each bug found there is one fixture.

use std::path::Path;

use slipmark::Environment;
use slipmark::backend::Catalogue;
use slipmark::printer::DEFAULT_PRINTER;

fn name(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn data(path: &Path) -> serde_json::Value {
    match std::fs::read_to_string(path.with_extension("json")) {
        Ok(t) => serde_json::from_str(&t).unwrap(),
        Err(_) => serde_json::json!({}),
    }
}

fn render(path: &Path) -> (String, Result<slipmark::printer::Job, String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let env = Environment::new();
    let template = match env.compile(&name(path), &text) {
        Ok(t) => t,
        Err(errors) => {
            let shown: Vec<String> = errors.iter().map(|e| format!("{e:#}")).collect();
            return (text, Err(shown.join("\n")));
        }
    };
    let printer = Catalogue::builtin().printer(DEFAULT_PRINTER).unwrap();
    let job = template
        .render(&data(path), &printer)
        .map_err(|e| format!("{e:#}"));
    let job = job.map(|mut j| {
        j.warnings = j
            .warnings
            .into_iter()
            .map(|w| template.locate_warning(w))
            .collect();
        j
    });
    (text, job)
}

#[test]
fn render_ok() {
    insta::glob!("inputs/render/ok/*.slip", |path| {
        let (text, job) = render(path);
        let job = job.unwrap_or_else(|e| panic!("{e}"));
        let mut out = job.preview_text();
        out.push_str("---- content\n");
        out.push_str(job.content().unwrap_or("(bytes)"));
        for w in &job.warnings {
            out.push_str(&format!("\n{w:#}"));
        }
        insta::with_settings!({ description => text, omit_expression => true }, {
            insta::assert_snapshot!(out);
        });
    });
}

#[test]
fn render_err() {
    insta::glob!("inputs/render/err/*.slip", |path| {
        let (text, job) = render(path);
        let err = match job {
            Ok(_) => panic!("{} rendered but should fail", path.display()),
            Err(e) => e,
        };
        insta::with_settings!({ description => text, omit_expression => true }, {
            insta::assert_snapshot!(err);
        });
    });
}
