//! Must-show 5: for every template × printer, the paper the emulator draws from the rendered
//! content equals the preview of the frame. The emulator (`slipmark::emulate`) reads only the
//! content string, by the vendor's rules; it shares no code with layout or the lowering.

mod support;

use slipmark::backend::Catalogue;
use slipmark::document::{CodeKind, Style};
use slipmark::emulate::{ProblemKind, emulate};
use slipmark::frame::{Frame, Item};
use slipmark::measure::char_dots;

use support::template_with_data;

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
    for item in &frame.items {
        match item {
            Item::Code(c) if c.kind == CodeKind::Logo => logo = true,
            Item::Code(c) => out.push(Printed::Code(c.kind, c.data.clone())),
            Item::Line(line) => {
                let mut glyphs = Vec::new();
                // a run touching the previous one prints right after its last glyph
                let mut prev: Option<(u16, u32)> = None;
                for run in &line.runs {
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

#[test]
fn the_emulated_paper_of_every_rendered_template_equals_its_preview() {
    let cat = Catalogue::builtin();
    let mut checked = 0;
    for entry in std::fs::read_dir("templates").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "slip") {
            continue;
        }
        let (template, data) = template_with_data(&path);
        for model in cat.models() {
            let printer = cat.printer(&model.id).unwrap();
            if slipmark::emulate::emulator_for(&printer).is_none() {
                continue; // no emulator for this dialect yet (tests/dialect_templates.rs simulates it)
            }
            let Ok(job) = template.render(&data, &printer) else {
                continue;
            };
            let what = format!("{} on {}", path.display(), model.id);
            let content = job.content().unwrap();
            let emulated = emulate(&printer, content.as_bytes(), Some(job.frame.columns))
                .unwrap_or_else(|e| panic!("{what}: {e}"));
            // A full line followed by the next one is how the lowering writes full lines; the
            // emulator notes it where two words meet at the edge. Nothing else may be reported.
            assert!(
                emulated
                    .problems
                    .iter()
                    .all(|p| p.kind == ProblemKind::FilledLine),
                "{what}: {:#?}\n{content}",
                emulated.problems
            );
            assert_eq!(
                printed(&emulated.frame),
                printed(&job.frame),
                "{what}\n{content}"
            );
            assert_eq!(emulated.controls.len(), job.settings.tags.len(), "{what}");
            checked += 1;
        }
    }
    assert!(checked >= 4 * 8, "only {checked} renders checked");
}

#[test]
fn a_changed_content_is_caught() {
    // the comparison is not vacuous: one moved space shows
    let cat = Catalogue::builtin();
    let printer = cat.printer("k4").unwrap();
    let (template, data) = template_with_data(std::path::Path::new("templates/takeaway.slip"));
    let job = template.render(&data, &printer).unwrap();
    let moved = job.content().unwrap().replacen("\n ", "\n", 1);
    let emulated = emulate(&printer, moved.as_bytes(), None).unwrap();
    assert_ne!(printed(&emulated.frame), printed(&job.frame));
}
