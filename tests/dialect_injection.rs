//! Must-show 2 of the dialects issue: hostile data — every tag name of every dialect, open and
//! close, `@@2`, `<BR>`, `ESC @`, `GS V`, NUL, CR, LF, commas, bidi and zero-width characters,
//! entity spellings — added to every free-text field of every template changes no tag or
//! command in any dialect's output. The instructions are read back by the independent
//! simulators (`common/paper.rs`, `common/tagpaper.rs`, `common/escpaper.rs`): the code,
//! control and cut instructions are exactly the harmless order's, and every style instruction
//! is one the harmless order uses too (wrapping may change how often a style opens).

mod common;
mod support;

use serde_json::Value;
use slipmark::backend::{Catalogue, DialectName, Model};
use slipmark::printer::{self, Printer, RenderOptions};

use common::tagpaper::{self, Vendor};
use support::template_with_data;

const YILIANYUN: &[&str] = &[
    "FB", "FS", "FS2", "FH", "FH2", "FW", "FW2", "QR", "BR", "BR2", "BR3", "center", "right", "LR",
    "table", "tr", "td", "MN", "MA", "MS", "MC", "MK", "RS", "ML", "MP", "PW", "audio", "TTS",
    "VN", "JSON", "GB18030", "LATIN", "logo",
];
const FEIEYUN: &[&str] = &[
    "BR",
    "CUT",
    "LOGO",
    "PLUGIN",
    "AUDIO-REFUND",
    "AUDIO-CANCEL",
    "CB",
    "B",
    "C",
    "L",
    "W",
    "BOLD",
    "RIGHT",
    "QR",
    "BC128_A",
    "BC128_B",
    "BC128_C",
    "DB",
    "DIRECTION",
    "TEXT",
    "SIZE",
    "IMG",
];
const XPYUN: &[&str] = &[
    "L", "C", "R", "N", "HB", "WB", "B", "CB", "HB2", "WB2", "B2", "BOLD", "QR", "QR180",
    "BARCODE", "LOGO", "PAGE", "SIZE", "TEXT", "BC128", "BC39",
];

/// The hostile values, in chunks small enough that a receipt with one of them in one field
/// stays within the strictest content limit (Feieyun's 5000 bytes).
fn hostile_chunks() -> Vec<String> {
    let mut pieces: Vec<String> = Vec::new();
    for name in YILIANYUN.iter().chain(FEIEYUN).chain(XPYUN) {
        pieces.push(format!("<{name}>"));
        pieces.push(format!("</{name}>"));
    }
    pieces.extend(
        [
            "@@2",
            "@@@@2 ",
            "<BR>",
            "<BR/>",
            "<MN>9</MN>",
            "<audio>买,9,0</audio>",
            "\u{1b}@",
            "\u{1d}V\u{0}",
            "\u{1d}!\u{11}",
            "\u{1b}E\u{1}",
            "\u{1c}&",
            "\u{0}",
            "\r",
            "\n",
            "\r\n",
            ",",
            "a,b,9",
            "\u{202e}",
            "\u{2066}",
            "\u{200b}",
            "\u{200d}",
            "\u{feff}",
            "&lt;BR&gt;",
            "&#60;CUT&#62;",
            "&lt",
            "{B",
            "{{",
            "\\n",
            "<",
            ">",
            "<<>>",
        ]
        .map(String::from),
    );
    pieces.chunks(10).map(|c| c.concat()).collect()
}

/// Pointers to every string leaf of `v`.
fn strings(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::String(_) => out.push(at),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                strings(x, format!("{at}/{i}"), out);
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                strings(
                    x,
                    format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        _ => {}
    }
}

/// The instructions of a job as its dialect's simulator reads them: (fixed, styles). Fixed are
/// codes, controls, cuts (in order); styles are the style instructions (as a set).
fn instructions(out: &printer::Job, model: &Model) -> (Vec<String>, Vec<String>) {
    let split = |all: Vec<String>, is_style: &dyn Fn(&str) -> bool, skip: &dyn Fn(&str) -> bool| {
        let mut fixed = Vec::new();
        let mut styles: Vec<String> = Vec::new();
        for t in all {
            if skip(&t) {
                continue;
            }
            if is_style(&t) {
                if !styles.contains(&t) {
                    styles.push(t);
                }
            } else {
                fixed.push(t);
            }
        }
        (fixed, styles)
    };
    match model.dialect {
        DialectName::Yilianyun => {
            let content = out.content().unwrap();
            common::check_content(&out.frame, model, content);
            split(common::tags_in(content), &|t| t.starts_with('F'), &|_| {
                false
            })
        }
        DialectName::Feieyun | DialectName::Xpyun => {
            let vendor = if model.dialect == DialectName::Feieyun {
                Vendor::Feieyun
            } else {
                Vendor::Xpyun
            };
            let paper = tagpaper::simulate(out.content().unwrap(), out.frame.columns, vendor);
            assert!(
                paper.unknown_tags.is_empty(),
                "{}: {:?}",
                model.id,
                paper.unknown_tags
            );
            assert_eq!(paper.overflows, 0);
            let styles = ["BOLD", "B", "L", "W", "HB", "WB"];
            split(
                paper.tags,
                &|t| styles.contains(&t.trim_start_matches('/')),
                &|t| t == "BR",
            )
        }
        DialectName::Escpos => {
            let paper = common::escpaper::simulate(out.output.as_bytes(), out.frame.columns);
            assert!(
                paper.unknown.is_empty(),
                "{}: {:?}",
                model.id,
                paper.unknown
            );
            assert_eq!(paper.overflows, 0);
            split(
                paper.commands,
                &|t| t.starts_with("ESC E") || t.starts_with("GS !"),
                &|_| false,
            )
        }
        other => panic!("{other:?}"),
    }
}

fn families() -> Vec<Model> {
    let cat = Catalogue::builtin();
    cat.models()
        .iter()
        .filter(|m| {
            m.dialect != DialectName::Yilianyun
                || ["k4-a", "x1", "k7-a", "k4-s"].contains(&m.id.as_str())
        })
        .cloned()
        .collect()
}

#[test]
fn hostile_data_in_every_field_changes_no_instruction_in_any_dialect() {
    let chunks = hostile_chunks();
    let families = families();
    let mut rendered = 0usize;
    let mut paths: Vec<std::path::PathBuf> = std::fs::read_dir("templates")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slip"))
        .collect();
    paths.sort();
    for path in paths {
        let (tpl, base) = template_with_data(&path);
        let mut fields = Vec::new();
        strings(&base, String::new(), &mut fields);
        let printers: Vec<(Model, Printer)> = families
            .iter()
            .map(|m| (m.clone(), Printer::from_model(m.clone())))
            .collect();
        let baselines: Vec<_> = printers
            .iter()
            .map(|(m, p)| {
                let job = tpl.render_with(&base, p, RenderOptions::default());
                job.ok().map(|j| instructions(&j, m))
            })
            .collect();
        for field in &fields {
            for chunk in &chunks {
                let mut data = base.clone();
                let Some(Value::String(s)) = data.pointer_mut(field) else {
                    unreachable!()
                };
                s.push_str(chunk);
                let Ok(doc) = tpl.bind(&data) else {
                    continue; // a date or number field: not free text
                };
                for ((model, printer), baseline) in printers.iter().zip(&baselines) {
                    let Some(baseline) = baseline else { continue };
                    let options = RenderOptions::default();
                    let job = match printer::render(doc.clone(), printer, options) {
                        Ok(job) => job,
                        // Code data is validated, never rewritten: tag characters in it are an
                        // error (nothing is printed), which is no instruction either.
                        Err(e) => {
                            assert!(
                                e.message().contains("code data")
                                    || e.message().contains("Code 128"),
                                "{} {field} on {}: {e}",
                                path.display(),
                                model.id
                            );
                            continue;
                        }
                    };
                    let (fixed, styles) = instructions(&job, model);
                    let what = format!("{} {field} += {chunk:?} on {}", path.display(), model.id);
                    assert_eq!(&fixed, &baseline.0, "{what}");
                    for s in &styles {
                        assert!(baseline.1.contains(s), "{what}: style {s} is new");
                    }
                    rendered += 1;
                }
            }
        }
    }
    assert!(rendered > 2000, "only {rendered} hostile renders");
}
