//! Every template in `templates/` × every family: the content (only the family's tags, control
//! tags first, native tags within budget), the preview, and must-show 4 against the real text
//! preview: each glyph the simulated paper prints sits where the preview draws it. Families that
//! print the same thing share one entry in the snapshot; a family that cannot print a template
//! shows its error.

mod common;
mod support;

use std::path::Path;

use slipmark::backend::Catalogue;
use slipmark::backend::{DialectName, Model};
use slipmark::document::{Document, Paper};
use slipmark::printer::{self, Job, Printer, RenderOptions};
use slipmark::{Environment, Template, preview};

use common::{check_content, preview_matches_paper};
use support::{ByOutput, template_with_data, templates};

/// Renders through the one pipeline, as `slipmark render` does (anything the model lacks is an
/// error), on `paper` if given: bound for the model (its `printer` variable), then rendered.
fn render(
    tpl: &Template,
    data: &serde_json::Value,
    model: &Model,
    paper: Option<Paper>,
) -> Result<Job, slipmark::Error> {
    let mut options = RenderOptions::default();
    if let Some(paper) = paper {
        options = options.paper(paper);
    }
    let p = Printer::from_model(model.clone());
    let doc: Document = tpl.bind_for(data, &p, options)?;
    printer::render(doc, &p, options)
}

/// The text content of a job.
fn content(job: &Job) -> &str {
    job.content().expect("yilianyun prints text")
}

#[test]
fn every_template_on_every_family() {
    let cat = Catalogue::builtin();
    for path in templates() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let (tpl, data) = template_with_data(&path);
        // (output, families that print it), in catalogue order of first appearance.
        let mut outputs = ByOutput::default();
        for model in cat
            .models()
            .iter()
            .filter(|m| m.dialect == DialectName::Yilianyun)
        {
            let out = match render(&tpl, &data, model, None) {
                Ok(r) => {
                    let what = format!("{name} on {}", model.id);
                    let paper = check_content(&r.frame, model, content(&r));
                    preview_matches_paper(&r.frame, &paper.lines, &what);
                    format!(
                        "{} columns\n----- content -----\n{}\n----- preview -----\n{}{}",
                        r.frame.columns,
                        content(&r),
                        preview::text(&r.frame),
                        r.warnings
                            .iter()
                            .map(|w| format!("warning: {}\n", w.message))
                            .collect::<String>()
                    )
                }
                Err(e) => format!("{:#}", e.with_sources(tpl.sources())),
            }
            .replace(&model.name, "<model>");
            outputs.add(&model.id, out);
        }
        insta::assert_snapshot!(format!("template_{name}"), outputs.text());
    }
}

#[test]
fn paper_flag_overrides_the_model_default() {
    let env = Environment::new();
    let cat = Catalogue::builtin();
    let tpl = env
        .template_from_file(Path::new("templates/queue.slip"))
        .unwrap();
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("templates/queue.json").unwrap()).unwrap();
    let k7 = cat.resolve("k7").unwrap();
    assert_eq!(render(&tpl, &data, k7, None).unwrap().frame.columns, 48);
    let r = render(&tpl, &data, k7, Some(Paper::Mm58)).unwrap();
    assert_eq!(r.frame.columns, 32);
    let paper = check_content(&r.frame, k7, content(&r));
    preview_matches_paper(&r.frame, &paper.lines, "queue on k7 at 58mm");
}

/// Must-show 3 through the whole pipeline: hostile values in the takeaway order's data give
/// content with exactly the tags of the harmless order, and the preview shows their characters.
#[test]
fn hostile_order_data_stays_data() {
    use slipmark::backend::yilianyun::neutralise_text;
    let env = Environment::new();
    let cat = Catalogue::builtin();
    let model = cat.resolve("K4-WA").unwrap();
    let tpl = env
        .template_from_file(Path::new("templates/takeaway.slip"))
        .unwrap();
    let base: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("templates/takeaway.json").unwrap()).unwrap();
    let tags = |data: &serde_json::Value| {
        let r = render(&tpl, data, model, None).unwrap();
        let paper = check_content(&r.frame, model, content(&r));
        preview_matches_paper(&r.frame, &paper.lines, "hostile takeaway");
        (
            common::tags_in(content(&r)),
            preview::text(&r.frame),
            content(&r).to_string(),
        )
    };
    let (baseline, _, _) = tags(&base);
    let long = "<MN>9</MN>@@2\r\n,买".repeat(600);
    let cases: [(&str, &str); 7] = [
        ("/order/remark", "</center><MN>9</MN>"),
        ("/order/customer/name", "<audio>买,9,0</audio>"),
        ("/order/customer/phone", "<BR>123</BR>"),
        ("/order/customer/address", "@@2 到了打电话"),
        ("/order/discounts/0/name", "a,b"),
        ("/order/remark", "第一行\r\n第二行"),
        ("/order/customer/address", &long),
    ];
    for (pointer, value) in cases {
        let mut data = base.clone();
        *data.pointer_mut(pointer).unwrap() = serde_json::Value::String(value.into());
        let (got, preview, content) = tags(&data);
        // Wrapping may change how often a style opens, never which tags exist: the control
        // and code tags are the harmless order's, and every style tag is one it uses too.
        let fixed = |t: &[String]| -> Vec<String> {
            t.iter().filter(|t| !t.starts_with('F')).cloned().collect()
        };
        assert_eq!(fixed(&got), fixed(&baseline), "{pointer} = {value:?}");
        assert!(
            got.iter().all(|t| baseline.contains(t)),
            "{pointer}: {got:?}"
        );
        assert!(!content.contains("<LR>"));
        let flat: String = preview.chars().filter(|c| !c.is_whitespace()).collect();
        let want: String = neutralise_text(value)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        assert!(flat.contains(&want), "{pointer}: preview lacks {want:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Any value in any text field of the takeaway order adds no tag: the control and code tags
    /// stay the harmless order's, and every style tag is one the template uses.
    #[test]
    fn any_order_text_adds_no_tag(
        value in "[<>/@2,a-zMNBRQ\\r\\n\\t 买单]{0,60}",
        field in 0usize..4,
    ) {
        let pointer = ["/order/remark", "/order/items/0/name", "/order/customer/name", "/shop/name"][field];
        let env = Environment::new();
        let cat = Catalogue::builtin();
        let model = cat.resolve("K4-WA").unwrap();
        let tpl = env.template_from_file(Path::new("templates/takeaway.slip")).unwrap();
        let base: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string("templates/takeaway.json").unwrap()).unwrap();
        let tags = |data: &serde_json::Value| {
            let r = render(&tpl, data, model, None).unwrap();
            check_content(&r.frame, model, content(&r));
            common::tags_in(content(&r))
        };
        let baseline = tags(&base);
        let mut data = base.clone();
        *data.pointer_mut(pointer).unwrap() = serde_json::Value::String(value);
        let got = tags(&data);
        let fixed = |t: &[String]| t.iter().filter(|t| !t.starts_with('F')).cloned().collect::<Vec<_>>();
        proptest::prop_assert_eq!(fixed(&got), fixed(&baseline));
        proptest::prop_assert!(got.iter().all(|t| baseline.contains(t)));
    }
}
