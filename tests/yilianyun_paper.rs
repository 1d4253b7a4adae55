//! Must-show 4 as a property: for any frame (runs of any style at any position, codes, blank
//! lines), the content, re-read by the independent paper simulator, puts every glyph in the
//! columns the frame gives it, on the same line.

mod common;

use proptest::prelude::*;
use slipmark::Span;
use slipmark::backend::Catalogue;
use slipmark::backend::yilianyun::lower;
use slipmark::document::{Align, CodeKind, JobSettings, Scale, Style};
use slipmark::frame::{Frame, LineKind};

use common::{D, RunSpec, Spec, T, check_content, code, width};

fn style() -> impl Strategy<Value = Style> {
    let scale = prop_oneof![Just(Scale::X1), Just(Scale::X4_3), Just(Scale::X2)];
    (any::<bool>(), scale.clone(), scale).prop_map(|(bold, width, height)| Style {
        bold,
        width,
        height,
    })
}

/// (gap before, text, style) pieces; placed left to right while they fit.
fn line_spec() -> impl Strategy<Value = Vec<(u16, String, Style)>> {
    prop::collection::vec((0u16..4, "[a-z0-9 中文￥]{1,6}", style()), 0..6)
}

fn build(columns: u16, specs: Vec<Vec<(u16, String, Style)>>, with_code: bool) -> Frame {
    let mut items = Vec::new();
    for (i, spec) in specs.into_iter().enumerate() {
        let mut runs = Vec::new();
        let mut col = 0u16;
        for (gap, text, style) in spec {
            let w = width(&text, style);
            if col + gap + w > columns {
                break;
            }
            runs.push(RunSpec {
                col: col + gap,
                width: w,
                text,
                style,
                origin: if i % 2 == 0 { T } else { D },
                span: Span::new(0, i, i + 1),
            });
            col += gap + w;
        }
        items.push(Spec::Line {
            kind: if runs.is_empty() {
                LineKind::Blank
            } else {
                LineKind::Text
            },
            align: Align::Left,
            runs,
            span: Span::new(0, i, i + 1),
        });
        if with_code && i == 1 {
            items.push(code(CodeKind::Qr, "https://e.x/1", D));
        }
    }
    common::build(columns, JobSettings::default(), &items)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_glyph_lands_in_its_frame_columns(
        specs in prop::collection::vec(line_spec(), 1..6),
        wide in any::<bool>(),
        with_code in any::<bool>(),
    ) {
        let cat = Catalogue::builtin();
        let model = cat.resolve(if wide { "k7" } else { "k4" }).unwrap();
        let frame = build(model.paper.default_columns, specs, with_code);
        let lowered = lower(&frame, model).map_err(|e| TestCaseError::fail(e.to_string()))?;
        check_content(&frame, model, &lowered.content);
    }
}

#[test]
fn a_full_line_followed_by_a_blank_line_keeps_the_blank_line() {
    let cat = Catalogue::builtin();
    let model = cat.resolve("k4").unwrap();
    let frame = build(
        32,
        vec![
            vec![(0, "a".repeat(32), Style::PLAIN)],
            vec![],
            vec![(0, "b".into(), Style::PLAIN)],
        ],
        false,
    );
    let lowered = lower(&frame, model).unwrap();
    assert_eq!(lowered.content, format!("{}\nb\n", "a".repeat(32)));
    check_content(&frame, model, &lowered.content);
}
