//! Must-show 3: data can never become an instruction. Each hostile value is bound into a
//! receipt, neutralised, laid out and lowered; the tags of the content must be exactly the tags
//! the same receipt has with harmless data, the simulated paper must show the value's
//! characters, and nothing may become a control tag.

mod common;

use proptest::prelude::*;
use slipmark::Span;
use slipmark::Spanned;
use slipmark::backend::yilianyun::{lower, neutralise_document, neutralise_text};
use slipmark::backend::{Catalogue, Model};
use slipmark::document::{Align, Block, Builder, Code, CodeKind, Document, Style, TextKind};

use common::{BOLD, D, T, check_content, mini_layout, paper, tags_in};

/// A span at byte `at`.
fn at(at: usize) -> Span {
    Span::new(0, at, at + 1)
}

/// A receipt with `value` in a paragraph (at the line start and after a label), in both cells
/// of a left/right row, and as the voice text.
fn receipt(value: &str) -> Document {
    let mut b = Builder::new();
    b.settings().copies = Some(Spanned::new(1, Span::new(0, 90, 91)));
    // The voice limit is 100 characters, the row has room for 12 columns of data: both take a
    // prefix of the value.
    let short: String = value.chars().take(12).collect();
    b.settings().voice = Some(Spanned::new(format!("新订单{short}"), Span::new(0, 92, 93)));
    let para = Span::new(0, 0, 1);
    b.run(value, Style::PLAIN, D, at(10))
        .text_block(TextKind::Paragraph, Align::Left, para);
    b.run("备注: ", BOLD, T, at(20))
        .run(value, Style::PLAIN, D, at(21))
        .text_block(TextKind::Paragraph, Align::Left, para);
    b.run(&short, Style::PLAIN, D, at(30))
        .cell(Span::new(0, 30, 31));
    b.run("a,b", Style::PLAIN, D, at(31))
        .cell(Span::new(0, 31, 32));
    let row = b.row(Span::new(0, 30, 32));
    b.table(None, None, &[row], Span::new(0, 30, 32));
    b.code(Code {
        kind: CodeKind::Qr,
        data: "https://example.com/o/1".into(),
        origin: D,
        span: Span::new(0, 40, 41),
    });
    b.finish()
}

/// Lowers the receipt with `value`; returns the content and the simulated paper.
fn print(value: &str, model: &Model) -> (String, paper::Paper) {
    let mut doc = receipt(value);
    let _ = neutralise_document(&mut doc, model);
    let frame = mini_layout(&doc, model.paper.default_columns);
    let lowered = lower(&frame, model).unwrap_or_else(|e| panic!("{e}"));
    let paper = check_content(&frame, model, &lowered.content);
    (lowered.content, paper)
}

fn paper_text(p: &paper::Paper) -> String {
    paper::render(p)
        .chars()
        .filter(|c| *c != ' ' && *c != '\n')
        .collect()
}

fn assert_inert(value: &str) {
    let cat = Catalogue::builtin();
    let model = cat.resolve("k4-a").unwrap();
    let (baseline, _) = print("x", model);
    let (content, paper) = print(value, model);
    assert_eq!(tags_in(&content), tags_in(&baseline), "{value:?}");
    let names: Vec<&str> = paper.controls.iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, ["MN", "audio"], "{value:?}");
    assert_eq!(paper.controls[0].1, "1");
    let voice = &paper.controls[1].1;
    assert_eq!(
        voice.matches(',').count(),
        2,
        "voice fields shifted: {voice:?}"
    );
    assert!(voice.ends_with(",5,0"), "{voice:?}");
    // The paper shows the value's characters (neutralised forms), in order.
    let shown: String = neutralise_text(value)
        .chars()
        .filter(|c| *c != ' ')
        .collect();
    assert!(
        paper_text(&paper).contains(&shown),
        "{value:?} not on paper"
    );
    // No line of the paper begins with @@ (the enlarge-line instruction).
    for line in content.split('\n') {
        assert!(!line.trim_start().starts_with("@@"), "{line:?}");
    }
}

#[test]
fn closing_a_tag_and_setting_copies_from_data_is_inert() {
    assert_inert("</center><MN>9</MN>");
}

#[test]
fn a_voice_tag_in_data_is_inert() {
    assert_inert("<audio>买,9,0</audio>");
}

#[test]
fn a_barcode_tag_in_data_is_inert() {
    assert_inert("<BR>123</BR>");
}

#[test]
fn enlarge_line_at_a_line_start_is_inert() {
    assert_inert("@@2");
    assert_inert("@@@@2 @@2");
}

#[test]
fn a_comma_in_a_left_right_row_stays_a_comma() {
    let cat = Catalogue::builtin();
    let (content, paper) = print("a,b", cat.resolve("k4-a").unwrap());
    assert!(!content.contains("<LR>"));
    let rendered = paper::render(&paper);
    let row = rendered.lines().nth(2).unwrap();
    assert_eq!(row, format!("a,b{}a,b", " ".repeat(26)));
}

#[test]
fn line_breaks_in_data_add_no_line() {
    assert_inert("one\r\ntwo\nthree\rfour");
    let cat = Catalogue::builtin();
    let model = cat.resolve("k4-a").unwrap();
    let (a, _) = print("one\r\ntwo", model);
    let (b, _) = print("one  two", model);
    assert_eq!(a.matches('\n').count(), b.matches('\n').count());
}

#[test]
fn ten_kilobytes_of_hostile_data_stay_data() {
    let value = "<MN>9</MN>@@2\r\n,买".repeat(600);
    assert!(value.len() > 10_000);
    assert_inert(&value);
}

#[test]
fn tag_characters_in_qr_data_are_an_error_not_content() {
    let cat = Catalogue::builtin();
    let model = cat.resolve("k4-a").unwrap();
    let mut doc = receipt("x");
    if let Block::Code(c) = &mut doc.blocks[3] {
        c.data = "x</QR><MN>9</MN>".into();
    }
    let _ = neutralise_document(&mut doc, model);
    let err = lower(&mini_layout(&doc, 32), model).unwrap_err();
    assert_eq!(err.span(), Some(Span::new(0, 40, 41)));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn arbitrary_data_never_adds_a_tag(value in "[<>/@2,a-zA-Z\\r\\n\\t 买MN9BR]{0,80}") {
        let cat = Catalogue::builtin();
        let model = cat.resolve("k4-a").unwrap();
        let (baseline, _) = print("x", model);
        let (content, paper) = print(&value, model);
        prop_assert_eq!(tags_in(&content), tags_in(&baseline));
        prop_assert_eq!(paper.controls.len(), 2);
    }
}
