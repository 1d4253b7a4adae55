//! Must-show 2: the SVG preview of every template on every printer family is deterministic (two
//! renders are byte-identical) and self-contained (no reference to anything outside it); SVG
//! snapshots of a few.

mod support;

use slipmark::backend::Catalogue;
use slipmark::preview;

use support::{template_with_data, templates};

/// The markup of an SVG with its text content removed (printed text may well say `http`).
fn markup(svg: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in svg.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(c);
            }
            '>' => {
                in_tag = false;
                out.push(c);
            }
            c if in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Panics if `svg` refers to anything outside itself.
fn assert_self_contained(svg: &str, what: &str) {
    let m = markup(svg);
    // The one URL an SVG file must carry is its namespace, which is a name, not a fetch.
    let m = m.replacen(r#"xmlns="http://www.w3.org/2000/svg""#, "", 1);
    for bad in [
        "http", "url(", "@import", "href", "<image", "<style", "<script", "<use",
    ] {
        assert!(!m.contains(bad), "{what}: the SVG holds {bad:?}");
    }
}

#[test]
fn every_template_on_every_family_is_deterministic_and_self_contained() {
    let cat = Catalogue::builtin();
    let mut drawn = 0;
    for path in templates() {
        let (template, data) = template_with_data(&path);
        for model in cat.models() {
            let printer = cat.printer(&model.id).unwrap();
            let what = format!("{} on {}", path.display(), model.id);
            let Ok(job) = template.render(&data, &printer) else {
                // a template the model cannot print (checked in yilianyun_templates.rs)
                continue;
            };
            let a = preview::svg(&job.frame);
            // a second render from scratch, not the same frame twice
            let again = template.render(&data, &printer).unwrap();
            let b = preview::svg(&again.frame);
            assert!(a == b, "{what}: two renders differ");
            assert_self_contained(&a, &what);
            assert!(a.starts_with("<svg ") && a.ends_with("</svg>\n"), "{what}");
            let width = u32::from(job.frame.columns) * 12 + 32;
            assert!(a.contains(&format!(r#" width="{width}""#)), "{what}");
            drawn += 1;
        }
    }
    // 4 templates, most of them on every family
    assert!(drawn >= 4 * 8, "only {drawn} SVGs drawn");
}

#[test]
fn the_self_containment_check_catches_external_references() {
    for bad in [
        r#"<svg xmlns="http://www.w3.org/2000/svg"><image href="http://x/a.png"/></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><style>@import "f.css";</style></svg>"#,
        r#"<svg xmlns="http://www.w3.org/2000/svg"><rect fill="url(#a)"/></svg>"#,
    ] {
        assert!(std::panic::catch_unwind(|| assert_self_contained(bad, "x")).is_err());
    }
    // text that says http is not a reference
    assert_self_contained(
        r#"<svg xmlns="http://www.w3.org/2000/svg"><text>http://e.x</text></svg>"#,
        "x",
    );
}

#[test]
fn svg_snapshots() {
    let cat = Catalogue::builtin();
    for (template, model) in [("takeaway", "k4"), ("queue", "k7"), ("supermarket", "k4")] {
        let (tpl, data) =
            template_with_data(std::path::Path::new(&format!("templates/{template}.slip")));
        let job = tpl.render(&data, &cat.printer(model).unwrap()).unwrap();
        insta::assert_snapshot!(format!("svg_{template}_{model}"), preview::svg(&job.frame));
    }
}
