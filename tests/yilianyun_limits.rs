//! Must-show 2 and the degradations: every model limit fails with an error at the template
//! span, for that model only, and nothing is emitted; every degradation warns. The rendered
//! diagnostics are snapshotted.

mod common;

use std::sync::Arc;

use slipmark::Spanned;
use slipmark::backend::yilianyun::{Lowered, lower};
use slipmark::backend::{Catalogue, Model};
use slipmark::document::{Align, CodeKind, Cut, JobSettings, Paper, Reminder, Style};
use slipmark::frame::{CodeItem, Frame};
use slipmark::measure::Encoding;
use slipmark::{Error, Source, Span};

use common::{BIG, BOLD, D, Spec, T, line};

const TEMPLATE: &str = "---
copies: {{ order.copies }}
reminder: buzzer
voice: {{ shop.voice }}
volume: {{ shop.volume }}
cut: full
paper: 80mm
---
# 美味餐厅
![qr]({{ order.url }})
![ean13]({{ order.barcode }})
![code128]({{ order.no }})
![code128c]({{ order.digits }})
![logo]()
**合计** {{ order.total }}
";

fn source() -> Arc<Source> {
    Source::new("takeaway.slip", TEMPLATE)
}

/// The span of the first `needle` in the template.
fn at(needle: &str) -> Span {
    let start = TEMPLATE.find(needle).expect(needle);
    Span::new(0, start, start + needle.len())
}

fn model(name: &str) -> Model {
    Catalogue::builtin().resolve(name).unwrap().clone()
}

fn frame(settings: JobSettings, items: Vec<Spec>) -> Frame {
    common::build(32, settings, &items)
}

fn code(kind: CodeKind, data: &str, needle: &str) -> Spec {
    Spec::Code(CodeItem {
        kind,
        data: data.into(),
        origin: D,
        span: at(needle),
    })
}

fn fails(frame: &Frame, model: &Model) -> String {
    let err: Error = lower(frame, model).expect_err("must fail");
    assert_eq!(err.kind(), slipmark::ErrorKind::Model);
    format!("{:#}", err.with_sources(&[source()]))
}

/// Lowers with warnings: the content and every warning with its snippet.
fn warns(frame: &Frame, model: &Model) -> String {
    let lowered = passes(frame, model);
    assert!(!lowered.warnings.is_empty(), "{}: no warning", model.id);
    let shown: Vec<String> = lowered
        .warnings
        .into_iter()
        .map(|w| format!("{:#}", w.with_sources(&[source()])))
        .collect();
    format!("content: {:?}\n{}", lowered.content, shown.join("\n"))
}

fn passes(frame: &Frame, model: &Model) -> Lowered {
    lower(frame, model).unwrap_or_else(|e| panic!("{}: {e}", model.id))
}

fn settings() -> JobSettings {
    JobSettings::default()
}

/// A frame holding just one code, with the default settings.
fn code_frame(kind: CodeKind, data: &str, needle: &str) -> Frame {
    frame(settings(), vec![code(kind, data, needle)])
}

#[test]
fn qr_data_over_192_bytes() {
    let url = format!("https://example.com/{}", "汉".repeat(90));
    let f = code_frame(CodeKind::Qr, &url, "![qr]({{ order.url }})");
    insta::assert_snapshot!(fails(&f, &model("k4")));
    // 96 Chinese characters fit.
    let f = code_frame(CodeKind::Qr, &"汉".repeat(96), "![qr]");
    passes(&f, &model("k4"));
}

#[test]
fn ean13_with_a_wrong_check_digit() {
    let f = code_frame(
        CodeKind::Ean13,
        "6901234567890",
        "![ean13]({{ order.barcode }})",
    );
    insta::assert_snapshot!(fails(&f, &model("k2s")));
}

#[test]
fn code128_too_long_and_a_kind_the_model_lacks() {
    let f = code_frame(
        CodeKind::Code128,
        "NO-2026112800001",
        "![code128]({{ order.no }})",
    );
    insta::assert_snapshot!("code128_too_long", fails(&f, &model("k4")));
    let f = code_frame(CodeKind::Code128, "NO-1", "![code128]({{ order.no }})");
    insta::assert_snapshot!("code128_on_k2s", fails(&f, &model("k2s")));
    // The same barcode prints on a K4.
    assert_eq!(passes(&f, &model("k4")).content, "<BR2>NO-1</BR2>");
}

#[test]
fn code128c_odd_and_even_limits() {
    let f = code_frame(
        CodeKind::Code128C,
        &"7".repeat(27),
        "![code128c]({{ order.digits }})",
    );
    insta::assert_snapshot!(fails(&f, &model("x1")));
    let f = code_frame(CodeKind::Code128C, &"7".repeat(28), "![code128c]");
    passes(&f, &model("x1"));
}

#[test]
fn copies_outside_1_to_9() {
    let s = JobSettings {
        copies: Some(Spanned::new(12, at("{{ order.copies }}"))),
        ..settings()
    };
    insta::assert_snapshot!(fails(&frame(s, vec![]), &model("k7")));
}

#[test]
fn reminder_with_copies() {
    let s = JobSettings {
        copies: Some(Spanned::new(2, at("{{ order.copies }}"))),
        reminder: Some(Spanned::new(Reminder::Buzzer, at("buzzer"))),
        ..settings()
    };
    insta::assert_snapshot!(warns(&frame(s, vec![]), &model("k2s")));
}

#[test]
fn voice_on_a_model_without_voice_and_over_the_limit() {
    let s = JobSettings {
        voice: Some(Spanned::new("您有新的订单".into(), at("{{ shop.voice }}"))),
        ..settings()
    };
    // Skipped with a warning (language.md §5): voice prints nothing less.
    insta::assert_snapshot!(
        "voice_skipped_on_k4",
        warns(&frame(s.clone(), vec![]), &model("k4"))
    );
    let lowered = passes(&frame(s, vec![]), &model("K4-WA"));
    assert_eq!(lowered.content, "<audio>您有新的订单,5,0</audio>");
    let s = JobSettings {
        voice: Some(Spanned::new("新".repeat(101), at("{{ shop.voice }}"))),
        ..settings()
    };
    insta::assert_snapshot!(
        "voice_too_long",
        fails(&frame(s, vec![]), &model("K6-WEAD"))
    );
    let s = JobSettings {
        voice: Some(Spanned::new("新订单".into(), at("{{ shop.voice }}"))),
        volume: Some(Spanned::new(12, at("{{ shop.volume }}"))),
        ..settings()
    };
    insta::assert_snapshot!(
        "volume_out_of_range",
        fails(&frame(s, vec![]), &model("K7-WEADC"))
    );
}

#[test]
fn cut_without_a_cutter() {
    let s = JobSettings {
        cut: Some(Spanned::new(Cut::Full, at("full"))),
        ..settings()
    };
    insta::assert_snapshot!(
        "cut_skipped_without_a_cutter",
        warns(&frame(s.clone(), vec![]), &model("K7-GHC"))
    );
    assert_eq!(
        passes(&frame(s, vec![]), &model("x1")).content,
        "<MK>3</MK>"
    );
}

#[test]
fn paper_wider_than_the_model() {
    let s = JobSettings {
        paper: Some(Spanned::new(Paper::Mm80, at("80mm"))),
        ..settings()
    };
    let f = Frame::new(48, Encoding::Gbk, s);
    insta::assert_snapshot!(fails(&f, &model("x1")));
}

#[test]
fn logo_where_the_model_has_none() {
    let f = code_frame(CodeKind::Logo, "", "![logo]()");
    insta::assert_snapshot!(fails(&f, &model("k6")));
    assert_eq!(passes(&f, &model("x1")).content, "<ML>1</ML>");
}

#[test]
fn content_over_the_size_limit() {
    let mut m = model("k4");
    let items: Vec<Spec> = (0..2000)
        .map(|_| {
            let mut item = line(
                32,
                Align::Left,
                &[("合计 ", BOLD, T), ("¥88.00", Style::PLAIN, D)],
            );
            if let Spec::Line { span, .. } = &mut item {
                *span = at("**合计** {{ order.total }}");
            }
            item
        })
        .collect();
    let f = frame(settings(), items.clone());
    insta::assert_snapshot!(fails(&f, &m));
    m.limits.max_content_chars = 100_000;
    passes(&frame(settings(), items), &m);
}

#[test]
fn a_magnification_the_model_lacks_is_an_error_and_missing_bold_degrades() {
    let mut m = model("k4");
    m.name = "K4 without x2".into();
    m.styles.wide2 = false;
    m.styles.bold = false;
    let mut item = line(32, Align::Center, &[("美味餐厅", BIG, T)]);
    if let Spec::Line { runs, .. } = &mut item {
        runs[0].span = at("# 美味餐厅");
    }
    insta::assert_snapshot!("x2_missing", fails(&frame(settings(), vec![item]), &m));
    let mut item = line(32, Align::Left, &[("合计", BOLD, T)]);
    if let Spec::Line { runs, .. } = &mut item {
        runs[0].span = at("**合计**");
    }
    let lowered = passes(&frame(settings(), vec![item]), &m);
    assert_eq!(lowered.content, "合计\n");
    insta::assert_snapshot!(
        "bold_missing_warning",
        serde_json::to_string_pretty(&lowered.warnings).unwrap()
    );
}

#[test]
fn approximations_warn() {
    let s = JobSettings {
        voice: Some(Spanned::new("新订单".into(), at("{{ shop.voice }}"))),
        volume: Some(Spanned::new(3, at("{{ shop.volume }}"))),
        ..settings()
    };
    let lowered = passes(&frame(s, vec![]), &model("K4-WUS"));
    assert_eq!(lowered.content, "<TTS>新订单</TTS>");
    let f = frame(
        settings(),
        vec![
            line(32, Align::Left, &[("hi", Style::PLAIN, T)]),
            code(CodeKind::Logo, "", "![logo]()"),
        ],
    );
    let logo = passes(&f, &model("x1"));
    assert_eq!(logo.content, "<ML>1</ML>hi\n");
    let mut warnings = lowered.warnings;
    warnings.extend(logo.warnings);
    insta::assert_snapshot!(serde_json::to_string_pretty(&warnings).unwrap());
}
