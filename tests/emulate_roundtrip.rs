//! Must-show 5: for every template × every printer of every dialect, the paper the emulator
//! draws from the rendered output equals the preview of the frame. The emulators
//! (`slipmark::emulate`: Yilianyun, Feieyun and Xpyun tags, ESC/POS bytes) read only the output,
//! by the vendors' rules; they share no code with layout or the lowerings.
//!
//! A receipt split into several jobs is checked job by job: each job's output is emulated on
//! its own (that is how the printer receives it) and compared with the frame items it prints
//! (`Part::items`; the first job prints the items before the first part). ESC/POS repeats a
//! job's bytes for copies, so its paper is the job's items once per copy.

mod support;

use slipmark::backend::{Catalogue, DialectName};
use slipmark::document::{CodeKind, Cut, Style};
use slipmark::emulate::{ProblemKind, emulate};
use slipmark::frame::{Frame, Item};
use slipmark::measure::char_dots;
use slipmark::printer::{Job, JobSummary, Output, Printer};

use support::{template_with_data, templates};

/// One printed line: its glyphs at their dot positions (spaces left out), or a code.
#[derive(Debug, PartialEq, Eq)]
enum Printed {
    Glyphs(Vec<(u32, char, Style)>),
    Code(CodeKind, String),
}

/// The paper a frame describes, independent of how its lines are split into runs; the logo is
/// where the printer prints it (the top).
fn printed(frame: &Frame) -> Vec<Printed> {
    let mut out = Vec::new();
    let mut logo = false;
    for item in frame.items() {
        match item {
            Item::Code(c) if c.kind == CodeKind::Logo => logo = true,
            Item::Code(c) => out.push(Printed::Code(c.kind, c.data.clone())),
            Item::Line(line) => {
                let mut glyphs = Vec::new();
                // a run touching the previous one prints right after its last glyph
                let mut prev: Option<(u16, u32)> = None;
                for run in frame.placed(line) {
                    let mut x = match prev {
                        Some((col, dot)) if col == run.col => dot,
                        _ => u32::from(run.col) * 12,
                    };
                    for c in run.text.chars() {
                        if c != ' ' {
                            glyphs.push((x, c, run.style));
                        }
                        x += char_dots(c, run.style.width, frame.encoding);
                    }
                    prev = Some((run.col + run.width, x));
                }
                out.push(Printed::Glyphs(glyphs));
            }
            _ => panic!("a new kind of item"),
        }
    }
    if logo {
        out.insert(0, Printed::Code(CodeKind::Logo, String::new()));
    }
    out
}

/// The control instructions a job's settings ask for, as the emulator names them.
fn wanted_controls(dialect: DialectName, s: &JobSummary) -> Vec<String> {
    let cut = s.cut.is_some_and(|c| c != Cut::None);
    let mut out = Vec::new();
    match dialect {
        DialectName::Feieyun | DialectName::Xpyun => {
            if s.drawer {
                out.push("PLUGIN".to_string());
            }
            if cut {
                out.push("CUT".to_string());
            }
        }
        DialectName::Escpos => {
            for _ in 0..s.copies.unwrap_or(1).max(1) {
                out.push("ESC @".to_string());
                if s.drawer {
                    out.push("ESC p".to_string());
                }
                if cut {
                    out.push("GS V".to_string());
                }
            }
        }
        _ => {}
    }
    out
}

/// Emulates every job of `job` and compares it with the frame; `Err` says what differs.
fn roundtrip(job: &Job, printer: &Printer, outputs: &[Output]) -> Result<usize, String> {
    let n = job.frame.items().len();
    let mut ranges = vec![(
        0..job.more.first().map_or(n, |p| p.items.start),
        &job.settings,
    )];
    ranges.extend(job.more.iter().map(|p| (p.items.clone(), &p.settings)));
    assert_eq!(ranges.len(), outputs.len());
    let dialect = printer.model().dialect;
    for (k, ((range, settings), output)) in ranges.into_iter().zip(outputs).enumerate() {
        let what = format!("job {} of {}", k + 1, outputs.len());
        let emulated = emulate(printer, output.as_bytes(), Some(job.frame.columns))
            .map_err(|e| format!("{what}: {e}"))?;
        // A full line followed by the next one is how the Yilianyun lowering writes full lines;
        // the emulator notes it where two words meet at the edge. Nothing else may be reported.
        let problems: Vec<_> = emulated
            .problems
            .iter()
            .filter(|p| p.kind != ProblemKind::FilledLine)
            .collect();
        if !problems.is_empty() {
            return Err(format!("{what}: {problems:#?}"));
        }
        let mut part = Frame::new(
            job.frame.columns,
            job.frame.encoding,
            job.frame.settings.clone(),
        );
        part.extend_from(&job.frame, range);
        let mut want = printed(&part);
        if dialect == DialectName::Escpos {
            let copies = usize::from(settings.copies.unwrap_or(1).max(1));
            want = (0..copies).flat_map(|_| printed(&part)).collect();
        }
        let got = printed(&emulated.frame);
        if got != want {
            let diff = got.iter().zip(&want).position(|(a, b)| a != b);
            return Err(format!(
                "{what}: the emulated paper differs from the frame at line {diff:?}: {:?} vs {:?} ({} vs {} lines)",
                diff.map(|d| &got[d]),
                diff.map(|d| &want[d]),
                got.len(),
                want.len()
            ));
        }
        if dialect == DialectName::Yilianyun {
            if emulated.controls.len() != settings.tags.len() {
                return Err(format!(
                    "{what}: controls {:?} vs tags {:?}",
                    emulated.controls, settings.tags
                ));
            }
        } else {
            let names: Vec<String> = emulated.controls.iter().map(|c| c.name.clone()).collect();
            let wanted = wanted_controls(dialect, settings);
            if names != wanted {
                return Err(format!("{what}: controls {names:?}, wanted {wanted:?}"));
            }
        }
    }
    Ok(outputs.len())
}

#[test]
fn the_emulated_paper_of_every_rendered_template_equals_its_preview() {
    let cat = Catalogue::builtin();
    let mut checked = Vec::new();
    for path in templates() {
        let (template, data) = template_with_data(&path);
        for model in cat.models() {
            let printer = cat.printer(&model.id).unwrap();
            assert!(
                slipmark::emulate::emulator_for(&printer).is_some(),
                "no emulator for {}",
                model.id
            );
            let what = format!("{} on {}", path.display(), model.id);
            let job = template
                .render(&data, &printer)
                .unwrap_or_else(|e| panic!("{what}: {e:#}"));
            let outputs: Vec<Output> = job.outputs().cloned().collect();
            let dump = outputs.iter().map(Output::escaped).collect::<Vec<_>>();
            roundtrip(&job, &printer, &outputs)
                .unwrap_or_else(|e| panic!("{what}: {e}\n{}", dump.join("\n=====\n")));
            checked.push(model.dialect);
        }
    }
    for dialect in [
        DialectName::Yilianyun,
        DialectName::Feieyun,
        DialectName::Xpyun,
        DialectName::Escpos,
    ] {
        let n = checked.iter().filter(|d| **d == dialect).count();
        assert!(n >= 4 * 2, "only {n} {dialect:?} renders checked");
    }
}

/// A receipt with two QR codes and two copies: one job on Yilianyun and ESC/POS, split on the
/// one-QR-per-order printers (Feieyun, Xpyun), every job emulated on its own.
#[test]
fn split_jobs_are_emulated_job_by_job() {
    let env = slipmark::Environment::new();
    let t = env
        .template_from_str(
            "two.slip",
            "---\ncopies: 2\ncut: full\n---\n# 桌 {{ n }}\n![qr](https://e.x/1)\n**第二联**\n![qr](https://e.x/2)\n谢谢\n",
        )
        .unwrap();
    let cat = Catalogue::builtin();
    let mut split = 0;
    for model in cat.models() {
        let printer = cat.printer(&model.id).unwrap();
        let Ok(job) = t.render(&serde_json::json!({ "n": 8 }), &printer) else {
            continue;
        };
        let outputs: Vec<Output> = job.outputs().cloned().collect();
        let jobs =
            roundtrip(&job, &printer, &outputs).unwrap_or_else(|e| panic!("{}: {e}", model.id));
        if jobs > 1 {
            split += 1;
        }
    }
    assert!(split >= 4, "only {split} printers split the receipt");
}

/// The comparison is not vacuous, for every dialect: a moved space and a dropped command are
/// caught.
#[test]
fn a_changed_output_is_caught_on_every_dialect() {
    let cat = Catalogue::builtin();
    let (template, data) = template_with_data(std::path::Path::new("templates/takeaway.slip"));
    let text = |s: String| vec![Output::Text(s)];
    type Mutation = fn(&str) -> String;
    let cases: [(&str, Mutation, Mutation); 3] = [
        (
            "k4",
            |c| c.replacen("\n ", "\n", 1),
            |c| c.replacen("<FB>", "", 1),
        ),
        (
            "feieyun-80",
            |c| c.replacen("<BR> ", "<BR>", 1),
            |c| c.replacen("<BOLD>", "", 1).replacen("</BOLD>", "", 1),
        ),
        (
            "xpyun-58",
            |c| c.replacen("<BR> ", " <BR>", 1),
            |c| c.replacen("<B>", "", 1).replacen("</B>", "", 1),
        ),
    ];
    for (model, moved, dropped) in cases {
        let printer = cat.printer(model).unwrap();
        let job = template.render(&data, &printer).unwrap();
        let content = job.content().unwrap();
        roundtrip(&job, &printer, &text(content.to_string())).unwrap();
        for (how, changed) in [
            ("moved space", moved(content)),
            ("dropped tag", dropped(content)),
        ] {
            assert_ne!(changed, content, "{model}: the {how} changes nothing");
            assert!(
                roundtrip(&job, &printer, &text(changed)).is_err(),
                "{model}: a {how} is not caught"
            );
        }
    }
    // ESC/POS: a removed space, a dropped GS ! (size) and a dropped cut
    let printer = cat.printer("escpos-58").unwrap();
    let env = slipmark::Environment::new();
    let cut = env
        .template_from_str("cut.slip", "---\ncut: full\n---\n# 桌 8\n谢谢\n")
        .unwrap();
    for (job, mutation) in [
        (template.render(&data, &printer).unwrap(), "moved space"),
        (template.render(&data, &printer).unwrap(), "dropped GS !"),
        (
            cut.render(&serde_json::json!({}), &printer).unwrap(),
            "dropped cut",
        ),
    ] {
        let bytes = job.output.as_bytes().to_vec();
        roundtrip(&job, &printer, &[Output::Bytes(bytes.clone())]).unwrap();
        let find = |pat: &[u8]| bytes.windows(pat.len()).position(|w| w == pat).unwrap();
        let mut changed = bytes.clone();
        match mutation {
            "moved space" => {
                changed.remove(find(b"\n ") + 1);
            }
            "dropped GS !" => {
                let at = find(&[0x1d, b'!', 0x11]);
                changed.drain(at..at + 3);
            }
            _ => {
                let at = find(&[0x1d, b'V']);
                changed.drain(at..at + 3);
            }
        }
        assert!(
            roundtrip(&job, &printer, &[Output::Bytes(changed)]).is_err(),
            "escpos: a {mutation} is not caught"
        );
    }
}
