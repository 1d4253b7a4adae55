//! Must show 1: for any text and any paper from 8 to 72 columns, no line is wider than the paper
//! (checked with an independent GBK-width oracle in `support::check`), right-aligned lines end
//! at the edge, centred lines have margins within one column, and the text survives.

mod support;

use proptest::prelude::*;
use slipmark::document::{Align, Origin, Scale, Style};
use slipmark::frame::{Frame, Item};
use slipmark::layout::layout;
use slipmark::measure::{printable, sanitize};
use slipmark::{ErrorKind, Span};
use support::*;

const G: slipmark::measure::Encoding = slipmark::measure::Encoding::Gbk;

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => "[a-zA-Z0-9.,:$#%-]{1,14}",
        2 => "[ ]{1,3}",
        4 => prop::sample::select(vec![
            "你", "好", "宫", "保", "鸡", "丁", "饭", "面", "，", "。", "（", "）", "《", "》", "、",
            "！", "：", "“", "”", "…", "￥",
        ])
        .prop_map(String::from),
        2 => prop::sample::select(vec![
            "·", "—", "×", "①", "°", "😀", "👨\u{200d}👩\u{200d}👧", "e\u{301}", "\n", "\t", "\r\n",
            "\u{7}", "\u{1b}[1m", "\u{200b}", "¥", "™", "€", "\u{a0}", "한", "\u{fe0f}", "\u{85}",
        ])
        .prop_map(String::from),
        1 => any::<char>().prop_map(String::from),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.concat())
}

fn style() -> impl Strategy<Value = Style> {
    prop::sample::select(vec![
        Style::PLAIN,
        Style {
            bold: true,
            ..Style::PLAIN
        },
        Style {
            bold: false,
            width: Scale::X4_3,
            height: Scale::X4_3,
        },
        Style {
            bold: true,
            width: Scale::X2,
            height: Scale::X2,
        },
        Style {
            bold: false,
            width: Scale::X2,
            height: Scale::X1,
        },
        Style {
            bold: false,
            width: Scale::X1,
            height: Scale::X2,
        },
    ])
}

fn runs() -> impl Strategy<Value = Vec<Run>> {
    prop::collection::vec((text(), style(), any::<bool>()), 0..4).prop_map(|v| {
        v.into_iter()
            .enumerate()
            .map(|(i, (text, style, is_data))| Run {
                text,
                style,
                origin: if is_data {
                    Origin::Data
                } else {
                    Origin::Template
                },
                span: Span::new(0, i * 10, i * 10 + 5),
            })
            .collect()
    })
}

fn align() -> impl Strategy<Value = Align> {
    prop::sample::select(vec![Align::Left, Align::Center, Align::Right])
}

/// The characters that must survive: what the text is once made printable (stand-ins,
/// readable spellings such as `€` → `EUR`), without spaces (wrapping may drop them). Printed
/// text is already printable, so this is the identity on it but for spaces.
fn essential(s: &str) -> String {
    sanitize(s, G)
        .0
        .chars()
        .filter(|&c| printable(c, G) && c != ' ')
        .collect()
}

fn printed(frame: &Frame) -> String {
    let mut s = String::new();
    for item in frame.items() {
        if let Item::Line(l) = item {
            for r in frame.placed(l) {
                s.push_str(r.text);
            }
        }
    }
    s
}

fn line_extent(frame: &Frame) -> Vec<Option<(u32, u32)>> {
    frame
        .items()
        .iter()
        .filter_map(|it| match it {
            Item::Line(l) => Some(
                (frame.runs(l).first())
                    .zip(frame.runs(l).last())
                    .map(|(a, b)| (u32::from(a.col), u32::from(b.col) + u32::from(b.width))),
            ),
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn text_blocks_fit_align_and_keep_their_text(
        runs in runs(), align in align(), columns in 8u16..=72,
    ) {
        let input: String = runs.iter().map(|r| r.text.as_str()).collect();
        let d = doc(vec![support::text(slipmark::document::TextKind::Paragraph, align, runs)]);
        let laid = layout(&d, &opts(columns)).expect("text always lays out on 8+ columns");
        check(&laid.frame);
        let w = u32::from(columns);
        for ext in line_extent(&laid.frame).into_iter().flatten() {
            let (start, end) = ext;
            prop_assert!(end <= w);
            match align {
                Align::Right => prop_assert_eq!(end, w),
                Align::Center => {
                    let (left, right) = (start, w - end);
                    prop_assert!(left.abs_diff(right) <= 1, "margins {} and {}", left, right);
                }
                Align::Left => prop_assert_eq!(start, 0),
            }
        }
        prop_assert_eq!(essential(&printed(&laid.frame)), essential(&input));
        // deterministic
        let again = layout(&d, &opts(columns)).unwrap();
        prop_assert_eq!(&again, &laid);
        let preview = slipmark::preview::text(&laid.frame);
        prop_assert_eq!(preview.clone(), slipmark::preview::text(&again.frame));
        for line in preview.lines() {
            // on screen (ambiguous characters narrow; the preview pads them)
            let cols = unicode_width::UnicodeWidthStr::width(line) as u32;
            prop_assert!(cols <= w, "preview line {:?} wider than {}", line, w);
        }
    }

    #[test]
    fn rows_fit_and_keep_the_last_cell_at_the_edge(
        cells in prop::collection::vec(text(), 2..=4),
        rows in 1usize..4,
        columns in 8u16..=72,
    ) {
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let body: Vec<&[&str]> = (0..rows).map(|_| refs.as_slice()).collect();
        let d = doc(vec![table(None, None, &body)]);
        let n = cells.len() as u16;
        // every column needs room for one double-byte character, plus one-column gaps
        let result = layout(&d, &opts(columns));
        if columns < 3 * n - 1 {
            if let Err(e) = &result {
                prop_assert_eq!(e.kind(), ErrorKind::Layout);
                return Ok(());
            }
        }
        let laid = result.expect("plain rows lay out when every column can hold a CJK character");
        check(&laid.frame);
        let last = refs.last().unwrap();
        let mut input = String::new();
        for _ in 0..rows { input.push_str(&refs.concat()); }
        prop_assert_eq!(essential(&printed(&laid.frame)).chars().count(), essential(&input).chars().count());
        if !essential(last).is_empty() {
            if n == 2 {
                // two cells share a line or stack (language §3): either way the right part
                // ends the row flush right
                let end = *line_extent(&laid.frame).last().unwrap();
                prop_assert_eq!(end.map(|e| e.1), Some(u32::from(columns)));
            } else {
                // the row's first line carries the last cell's first line, flush right
                let first = line_extent(&laid.frame)[0];
                prop_assert_eq!(first.map(|e| e.1), Some(u32::from(columns)));
            }
        }
    }

    #[test]
    fn rule_labels_and_spec_tables_never_overflow(
        label in text(), cells in prop::collection::vec(text(), 1..=4),
        fixed in 0u16..40, columns in 8u16..=72,
    ) {
        let spec = format!("|:-*-|:-{fixed}-:|--:|");
        let refs: Vec<&str> = cells.iter().map(String::as_str).collect();
        let d = doc(vec![rule('-', &label), table(Some(&spec), None, &[&refs])]);
        match layout(&d, &opts(columns)) {
            Ok(laid) => check(&laid.frame),
            Err(e) => {
                prop_assert_eq!(e.kind(), ErrorKind::Layout);
                prop_assert!(e.span().is_some());
            }
        }
    }
}

#[test]
fn a_block_of_every_kind_survives_a_hostile_run() {
    let hostile = "<FB>**x**</FB>\n<MN>9</MN>\u{1b}@😀\u{0}";
    let d = doc(vec![
        para(vec![data(hostile)]),
        Block::Blank(Span::default()),
        table(None, None, &[&[hostile, hostile]]),
    ]);
    let laid = laid(&d, 32);
    let all = printed(&laid.frame);
    assert!(!all.contains('\n') && !all.contains('\u{1b}') && !all.contains('\0'));
}
