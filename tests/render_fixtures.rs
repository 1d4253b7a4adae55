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

/// The preview lines of a render fixture.
fn preview_lines(fixture: &str) -> Vec<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs/render/ok")
        .join(fixture);
    let (_, job) = render(&path);
    let job = job.unwrap_or_else(|e| panic!("{e}"));
    job.preview_text().lines().map(str::to_string).collect()
}

/// Display columns of a preview line (CJK counts two).
fn cols(s: &str) -> usize {
    use unicode_width::UnicodeWidthStr;
    s.width()
}

#[test]
fn the_readme_total_without_a_rule_prints_on_one_line_at_the_paper_edge() {
    let lines = preview_lines("readme_total_without_rule.slip");
    let total = lines.iter().position(|l| l.starts_with("合计")).unwrap();
    assert_eq!(
        total,
        lines.len() - 1,
        "nothing after the total: {lines:#?}"
    );
    assert!(lines[total].ends_with("￥1225.50"), "{lines:#?}");
    assert_eq!(cols(&lines[total]), 32);
}

#[test]
fn a_note_inside_the_item_loop_keeps_every_item_on_the_same_columns() {
    let lines = preview_lines("note_inside_loop.slip");
    let items: Vec<&String> = lines.iter().filter(|l| l.contains(" x")).collect();
    assert_eq!(items.len(), 3, "{lines:#?}");
    // the quantity and the price start at the same display column on every item row
    let at = |l: &str, pat: &str| cols(&l[..l.find(pat).unwrap()]);
    let qty: Vec<usize> = items.iter().map(|l| at(l, " x") + 1).collect();
    assert!(qty.windows(2).all(|w| w[0] == w[1]), "{lines:#?}");
    for l in &items {
        assert_eq!(cols(l), 32, "prices end at the edge: {lines:#?}");
    }
    assert!(lines.iter().any(|l| l == "备注：少冰"), "{lines:#?}");
}

#[test]
fn numbers_stay_whole_in_a_narrow_fixed_column_and_warn_where_nothing_gives_way() {
    let lines = preview_lines("numbers_never_split.slip");
    for n in ["12345.68", "-￥1234.50", "0.356kg"] {
        assert!(lines.iter().any(|l| l.ends_with(n)), "{n}: {lines:#?}");
    }
    assert!(
        lines.iter().any(|l| l.ends_with("1 8 8 8 . 8 0")),
        "{lines:#?}"
    );
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/inputs/render/ok/number_that_cannot_fit_warns.slip");
    let (_, job) = render(&path);
    let job = job.unwrap();
    let w: Vec<_> = job
        .warnings
        .iter()
        .filter(|w| w.kind == slipmark::WarningKind::SplitNumber)
        .collect();
    assert_eq!(w.len(), 1, "{:?}", job.warnings);
    // at the cell's expression: line 3, after `| 商品合计 | `
    assert_eq!(w[0].location().map(|l| (l.1, l.2)), Some((3, 13)));
}
