//! Must-show 1 of the dialects issue: every template in `templates/` × every family of every
//! dialect other than Yilianyun (which has `yilianyun_templates.rs`) renders, and the content,
//! re-read by an independent paper simulator (`common/tagpaper.rs`, `common/escpaper.rs`),
//! equals the frame glyph for glyph and the text preview column for column; no line passes the
//! paper; every tag or command is one the frame asked for; the product's emulator
//! (`slipmark::emulate`) reads the same paper as the simulator. Snapshots per template show the
//! content and the preview of each family (families printing the same share an entry).

mod common;
mod support;

use slipmark::backend::{Catalogue, DialectName, Model};
use slipmark::document::{CodeKind, Cut, Scale};
use slipmark::frame::{Frame, Item};
use slipmark::preview;
use slipmark::printer::{self, Job, Printer, RenderOptions};

use common::paper::PaperLine;
use common::tagpaper::{self, Vendor};
use common::{expected_paper, ink, preview_matches_paper};
use support::{ByOutput, template_with_data, templates};

/// The tags a frame asks for on a vendor, from the vendor's tag list (not the backend's).
fn wanted_tags(frame: &Frame, vendor: Vendor, cut: bool, drawer: bool) -> Vec<String> {
    let mut out = vec!["BR".to_string()];
    let mut add = |t: &str| {
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
            out.push(format!("/{t}"));
        }
    };
    for item in frame.items() {
        match item {
            Item::Line(line) => {
                for run in frame.runs(line) {
                    if run.style.bold {
                        add("BOLD");
                    }
                    let (w, h) = (run.style.width == Scale::X2, run.style.height == Scale::X2);
                    match (vendor, w, h) {
                        (_, true, true) => add("B"),
                        (Vendor::Feieyun, true, false) => add("W"),
                        (Vendor::Feieyun, false, true) => add("L"),
                        (Vendor::Xpyun, true, false) => add("WB"),
                        (Vendor::Xpyun, false, true) => add("HB"),
                        _ => {}
                    }
                }
            }
            Item::Code(c) => match (vendor, c.kind) {
                (_, CodeKind::Qr) => add("QR"),
                (Vendor::Feieyun, CodeKind::Code128) => add("BC128_B"),
                (Vendor::Feieyun, CodeKind::Code128C) => add("BC128_C"),
                (Vendor::Xpyun, CodeKind::Code128) => add("BARCODE"),
                (_, CodeKind::Logo) => add("LOGO"),
                other => panic!("no tag for {other:?}"),
            },
            other => panic!("unknown item {other:?}"),
        }
    }
    if cut {
        out.push("CUT".into());
    }
    if drawer {
        out.push("PLUGIN".into());
    }
    out
}

/// The simulated paper of a job, after checking everything the simulator can tell.
pub fn check_job(job: &Job, model: &Model, what: &str) -> Vec<PaperLine> {
    let frame = &job.frame;
    let lines = match model.dialect {
        DialectName::Feieyun | DialectName::Xpyun => {
            let vendor = if model.dialect == DialectName::Feieyun {
                Vendor::Feieyun
            } else {
                Vendor::Xpyun
            };
            let content = job.content().expect("tag dialects print text");
            let paper = tagpaper::simulate(content, frame.columns, vendor);
            assert!(
                paper.unknown_tags.is_empty(),
                "{what}: {:?}",
                paper.unknown_tags
            );
            assert_eq!(paper.overflows, 0, "{what}: a line passes the paper");
            assert_eq!(paper.misplaced_br, 0, "{what}: <BR> after a closing tag");
            assert!(paper.alignments_per_line.iter().all(|n| *n <= 1), "{what}");
            assert!(!paper.after_cut, "{what}: text after the cut");
            let cut = job.settings.cut.is_some_and(|c| c != Cut::None);
            assert_eq!(paper.cut, cut, "{what}");
            let wanted = wanted_tags(frame, vendor, cut, job.settings.drawer);
            for tag in &paper.tags {
                assert!(
                    wanted.contains(tag),
                    "{what}: <{tag}> was not asked for by the template"
                );
            }
            let bytes = content.len() as u32;
            assert!(
                bytes <= model.limits.max_content_bytes.unwrap_or(u32::MAX),
                "{what}"
            );
            paper.lines
        }
        DialectName::Escpos => {
            let paper = common::escpaper::simulate(job.output.as_bytes(), frame.columns);
            assert!(paper.unknown.is_empty(), "{what}: {:?}", paper.unknown);
            assert_eq!(paper.overflows, 0, "{what}: a line passes the paper");
            let copies = usize::from(job.settings.copies.unwrap_or(1));
            assert_eq!(paper.jobs.len(), copies, "{what}: copies repeat the job");
            assert!(
                paper.chinese.iter().all(|c| *c),
                "{what}: no FS & before the text"
            );
            assert!(paper.jobs.iter().all(|j| *j == paper.jobs[0]), "{what}");
            let cut = job.settings.cut.is_some_and(|c| c != Cut::None);
            assert_eq!(paper.cuts, if cut { copies } else { 0 }, "{what}");
            paper.jobs[0].clone()
        }
        other => panic!("{other:?}"),
    };
    // Two independent readings of the output agree: the product's emulator
    // (`slipmark::emulate`, what `slipmark emulate` draws) and this test's simulator, for every
    // copy the output repeats.
    let printer = Printer::from_model(model.clone());
    let emulated = slipmark::emulate::emulate(&printer, job.output.as_bytes(), Some(frame.columns))
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        emulated.problems.is_empty(),
        "{what}: {:#?}",
        emulated.problems
    );
    let repeats = match model.dialect {
        DialectName::Escpos => usize::from(job.settings.copies.unwrap_or(1).max(1)),
        _ => 1,
    };
    let simulated: Vec<PaperLine> = (0..repeats).flat_map(|_| lines.clone()).collect();
    assert_eq!(
        ink(&expected_paper(&emulated.frame)),
        ink(&simulated),
        "{what}: the emulator and the test's simulator read the output differently"
    );
    let got = ink(&lines);
    let want = ink(&expected_paper(frame));
    assert_eq!(
        got, want,
        "{what}: the simulated paper differs from the frame"
    );
    preview_matches_paper(frame, &lines, what);
    lines
}

fn families() -> Vec<Model> {
    Catalogue::builtin()
        .models()
        .iter()
        .filter(|m| m.dialect != DialectName::Yilianyun)
        .cloned()
        .collect()
}

#[test]
fn every_template_on_every_family_of_every_dialect() {
    let families = families();
    for dialect in [
        DialectName::Feieyun,
        DialectName::Xpyun,
        DialectName::Escpos,
    ] {
        for columns in [32, 48] {
            assert!(
                families
                    .iter()
                    .any(|m| m.dialect == dialect && m.paper.default_columns == columns),
                "no {dialect:?} record at {columns} columns"
            );
        }
    }
    for path in templates() {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let (tpl, data) = template_with_data(&path);
        let doc = tpl.bind(&data).unwrap();
        let mut outputs = ByOutput::default();
        for model in &families {
            let what = format!("{name} on {}", model.id);
            let printer = Printer::from_model(model.clone());
            let job = printer::render(doc.clone(), &printer, RenderOptions::default())
                .unwrap_or_else(|e| panic!("{what}: {:#}", e.with_sources(tpl.sources())));
            check_job(&job, model, &what);
            let content = match &job.output {
                slipmark::printer::Output::Text(t) => t.clone(),
                other => other.escaped(),
            };
            let out = format!(
                "{} columns\n----- content -----\n{}\n----- settings -----\n{}\n----- preview -----\n{}{}",
                job.frame.columns,
                content,
                serde_json::to_string(&job.settings).unwrap(),
                preview::text(&job.frame),
                job.warnings
                    .iter()
                    .map(|w| format!("warning: {}\n", w.message))
                    .collect::<String>()
            )
            .replace(&model.name, "<model>");
            outputs.add(&model.id, out);
        }
        insta::assert_snapshot!(format!("dialect_template_{name}"), outputs.text());
    }
}
