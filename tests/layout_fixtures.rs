//! Layout fixtures for the hard cases: explicit positions, plus a reviewed preview snapshot each.

mod support;

use slipmark::ErrorKind;
use slipmark::WarningKind;
use slipmark::document::{CodeKind, Scale};
use slipmark::frame::{Item, LayoutOptions, StyleSupport};
use slipmark::layout::layout;
use support::*;

const DISH40: &str =
    "特级秘制蜜汁叉烧配时令有机蔬菜及手工鸡蛋面条加量不加价套餐含例汤一份赠送小菜两碟";

#[test]
fn dish_name_of_40_cjk_characters_wraps_in_its_column_at_58mm() {
    assert_eq!(DISH40.chars().count(), 40);
    let d = doc(vec![table(
        Some("|:-*-|:-4-:|--8-:|"),
        Some(&["品名", "数量", "金额"]),
        &[&[DISH40, "x2", "128.00"], &["米饭", "x1", "2.00"]],
    )]);
    let laid = laid(&d, 32);
    // columns: 4 + 8 fixed, 2 gaps, the name column takes the other 18 (9 CJK characters)
    assert_eq!(
        line_runs(&laid.frame, 0),
        [(0, "品名".into()), (19, "数量".into()), (28, "金额".into())]
    );
    let first = line_runs(&laid.frame, 1);
    assert_eq!(first[0], (0, DISH40.chars().take(9).collect::<String>()));
    // quantity centred in 4 columns at 19..23, price right-aligned at the edge (32)
    assert_eq!(first[1], (20, "x2".into()));
    assert_eq!(first[2], (26, "128.00".into()));
    // the name continues alone on the following lines, inside its 18 columns
    for i in 2..=5 {
        let runs = line_runs(&laid.frame, i);
        assert_eq!(runs.len(), 1, "line {i}: {runs:?}");
        assert_eq!(runs[0].0, 0);
    }
    let rest: String = (1..=5)
        .map(|i| line_runs(&laid.frame, i)[0].1.clone())
        .collect();
    assert_eq!(rest, DISH40);
    assert_eq!(
        line_runs(&laid.frame, 6),
        [(0, "米饭".into()), (20, "x1".into()), (28, "2.00".into())]
    );
    insta::assert_snapshot!("dish40_spec_58mm", slipmark::preview::text(&laid.frame));
}

#[test]
fn dish_name_in_a_default_three_cell_row_keeps_qty_and_price_on_the_first_line() {
    let d = doc(vec![table(
        None,
        None,
        &[&[DISH40, "x2", "128.00"], &["米饭", "x10", "2.00"]],
    )]);
    let laid = laid(&d, 32);
    let first = line_runs(&laid.frame, 0);
    // fitted right-aligned columns: "x10" (3) and "128.00" (6); the name gets 32 - 9 - 2 = 21
    assert_eq!(first[1], (23, "x2".into()));
    assert_eq!(first[2], (26, "128.00".into()));
    assert_eq!(first[0].1.chars().count(), 10); // 21 columns hold 10 CJK characters
    insta::assert_snapshot!("dish40_default_58mm", slipmark::preview::text(&laid.frame));
}

#[test]
fn mixed_cjk_and_latin_wrapping() {
    let d = doc(vec![para(vec![
        run("备注：请放在Front Desk前台，谢谢！Order #A-10023 "),
        data("满100减20（新客专享）。"),
    ])]);
    let p = preview(&d, 16);
    for line in p.lines() {
        assert!(!line.starts_with(['，', '。', '！', '）']), "{p}");
        assert!(!line.ends_with('（'), "{p}");
    }
    // Latin words and numbers are never split at this width
    assert!(
        p.contains("Front Desk") || (p.contains("Front") && p.contains("Desk")),
        "{p}"
    );
    assert!(p.contains("#A-10023"), "{p}");
    insta::assert_snapshot!("mixed_wrap_16", p);
}

#[test]
fn ambiguous_width_punctuation_counts_two_columns() {
    let d = doc(vec![
        right(vec![run("·—“×①°")]),
        table(
            None,
            None,
            &[&["温度°C", "36.5°"], &["宫保鸡丁×2", "①号桌"]],
        ),
    ]);
    let laid = laid(&d, 32);
    // 6 characters, 12 columns, right-aligned at 32
    assert_eq!(line_runs(&laid.frame, 0), [(20, "·—“×①°".into())]);
    // "36.5°" = 4 + 2 = 6 columns, ends at the edge
    assert_eq!(line_runs(&laid.frame, 1)[1], (26, "36.5°".into()));
    insta::assert_snapshot!("ambiguous_32", slipmark::preview::text(&laid.frame));
}

#[test]
fn enlarged_cjk_in_a_centred_heading() {
    let d = doc(vec![
        h1("美味餐厅"),
        h2("外卖单"),
        h1("老王家的招牌牛肉面馆"),
    ]);
    let laid = laid(&d, 32);
    // ×2: 4 characters × 48 dots = 16 columns, centred: 8 each side
    assert_eq!(line_runs(&laid.frame, 0), [(8, "美味餐厅".into())]);
    // ×1.33: 3 × 32 = 96 dots = 8 columns, centred: 12 each side
    assert_eq!(line_runs(&laid.frame, 1), [(12, "外卖单".into())]);
    // 10 characters × 4 columns = 40: wraps to 8 + 2 characters, each line centred
    assert_eq!(line_runs(&laid.frame, 2), [(0, "老王家的招牌牛肉".into())]);
    assert_eq!(line_runs(&laid.frame, 3), [(12, "面馆".into())]);
    insta::assert_snapshot!("headings_32", slipmark::preview::text(&laid.frame));
}

#[test]
fn right_aligned_price_after_a_wrapped_name() {
    let d = doc(vec![table(
        None,
        None,
        &[
            &["招牌酸菜鱼（大份，微辣，加宽粉）", "￥88.00"],
            &["合计", "￥128.00"],
        ],
    )]);
    let laid = laid(&d, 32);
    // the name (32 columns) and the price cannot share a line: the name takes the paper, the
    // price follows on its own line, ending at the edge (language §3)
    assert_eq!(
        line_runs(&laid.frame, 0),
        [(0, "招牌酸菜鱼（大份，微辣，加宽粉）".into())]
    );
    assert_eq!(line_runs(&laid.frame, 1), [(25, "￥88.00".into())]);
    assert_eq!(
        line_runs(&laid.frame, 2),
        [(0, "合计".into()), (24, "￥128.00".into())]
    );
    insta::assert_snapshot!("right_price_32", slipmark::preview::text(&laid.frame));
}

#[test]
fn rules_with_and_without_labels() {
    let d = doc(vec![
        rule('-', ""),
        rule('=', "商品"),
        rule('*', "Thank you"),
        rule('.', "这是一个非常非常长的分隔线标签需要换行"),
        rule('~', ""),
    ]);
    let laid = laid(&d, 32);
    assert_eq!(line_runs(&laid.frame, 0), [(0, "-".repeat(32))]);
    // 32 - 4 - 2 = 26: 13 fill each side
    assert_eq!(
        line_runs(&laid.frame, 1),
        [
            (0, "=".repeat(13)),
            (14, "商品".into()),
            (19, "=".repeat(13))
        ]
    );
    // 9-column label: 21 free, 10 left, 11 right (odd column on the right)
    assert_eq!(
        line_runs(&laid.frame, 2),
        [
            (0, "*".repeat(10)),
            (11, "Thank you".into()),
            (21, "*".repeat(11))
        ]
    );
    insta::assert_snapshot!("rules_32", slipmark::preview::text(&laid.frame));
}

#[test]
fn a_cell_wider_than_its_column_wraps_and_splits_long_words() {
    let d = doc(vec![table(
        Some("|:-6-|-*-|--:|"),
        None,
        &[&["SKU-0012345678", "Large latte, oat milk", "4.50"]],
    )]);
    let laid = laid(&d, 32);
    // the 14-character code is wider than its 6 columns: split between characters
    let firsts: Vec<String> = (0..3)
        .map(|i| line_runs(&laid.frame, i)[0].1.clone())
        .collect();
    assert_eq!(firsts, ["SKU-00", "123456", "78"]);
    insta::assert_snapshot!("cell_wider_32", slipmark::preview::text(&laid.frame));
}

#[test]
fn empty_cells_and_a_one_column_wide_column() {
    let d = doc(vec![table(
        Some("|-1-|:-*-|--6-:|"),
        Some(&["#", "品名", ""]),
        &[&["1", "可乐", ""], &["", "", "3.00"], &["2", "", ""]],
    )]);
    let laid = laid(&d, 32);
    // 1 + 6 fixed, 2 gaps: the name column is 23 wide and starts at 2; price ends at 32
    assert_eq!(
        line_runs(&laid.frame, 1),
        [(0, "1".into()), (2, "可乐".into())]
    );
    assert_eq!(line_runs(&laid.frame, 2), [(28, "3.00".into())]);
    assert_eq!(line_runs(&laid.frame, 3), [(0, "2".into())]);
    insta::assert_snapshot!("empty_cells_32", slipmark::preview::text(&laid.frame));
}

#[test]
fn a_cjk_character_in_a_one_column_wide_column_is_an_error_at_the_cell() {
    let d = doc(vec![table(Some("|-1-|:-*-|"), None, &[&["一", "可乐"]])]);
    let err = layout(&d, &opts(32)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Layout);
    assert_eq!(
        err.message(),
        "`一` is 2 columns wide but column 1 is 1 wide"
    );
    assert_eq!(err.span(), Some(slipmark::Span::new(0, 10, 20)));
    assert!(err.hint().unwrap().contains("at least 2"));
}

#[test]
fn fixed_columns_wider_than_the_paper_are_an_error_at_the_spec_row() {
    let d = doc(vec![table(
        Some("|-16-|-8-|-8-|"),
        None,
        &[&["a", "b", "c"]],
    )]);
    let err = layout(&d, &opts(32)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Layout);
    assert_eq!(
        err.message(),
        "the fixed columns need 34 columns (32 plus 2 one-column gaps) but the paper has 32"
    );
    // the spec row's cells are at 100..103
    assert_eq!(err.span(), Some(slipmark::Span::new(0, 100, 103)));
    assert!(err.hint().unwrap().contains("at most 30"));
    // the same table fits on 80 mm
    assert!(layout(&d, &opts(48)).is_ok());
}

#[test]
fn share_and_fit_columns() {
    // two shares split what is left after the fit column evenly
    let d = doc(vec![table(
        Some("|:-*-|:-*-|--:|"),
        None,
        &[&["a", "b", "12.00"]],
    )]);
    let laid = laid(&d, 32);
    // fit = 5, gaps 2, shares 25: 13 + 12 (leftmost gets the odd column)
    assert_eq!(
        line_runs(&laid.frame, 0),
        [(0, "a".into()), (14, "b".into()), (27, "12.00".into())]
    );
    // fit columns only: the first absorbs the rest so the last ends at the edge
    let d = doc(vec![table(
        Some("|:--|:-:|--:|"),
        None,
        &[&["Coffee", "x2", "9.00"]],
    )]);
    let laid2 = support::laid(&d, 32);
    assert_eq!(
        line_runs(&laid2.frame, 0),
        [(0, "Coffee".into()), (25, "x2".into()), (28, "9.00".into())]
    );
}

#[test]
fn styles_the_model_lacks_are_degraded_with_a_warning() {
    let d = doc(vec![h2("小计"), para(vec![run("plain")])]);
    let no_x4_3 = LayoutOptions {
        styles: StyleSupport {
            wide: false,
            tall: false,
            ..StyleSupport::ALL
        },
        ..opts(32)
    };
    let laid = layout(&d, &no_x4_3).unwrap();
    let Item::Line(l) = &laid.frame.items()[0] else {
        panic!()
    };
    let first = &laid.frame.runs(l)[0];
    assert!(first.style.bold);
    assert_eq!(first.style.width, Scale::X1);
    // now 4 columns wide, centred
    assert_eq!((first.col, first.width), (14, 4));
    assert_eq!(laid.warnings.len(), 1);
    assert_eq!(laid.warnings[0].kind, WarningKind::DegradedStyle);
    assert_eq!(
        laid.warnings[0].message,
        "this printer cannot print ×1.33, bold; printed as bold"
    );
}

#[test]
fn unprintable_data_is_replaced_and_reported_once_per_expression() {
    let d = doc(vec![table(
        None,
        None,
        &[&["奶茶😀\n<FB>", "x1", "9.00"], &["果汁😀", "x1", "9.00"]],
    )]);
    let laid = laid(&d, 32);
    assert_eq!(line_runs(&laid.frame, 0)[0].1, "奶茶□ <FB>");
    let replaced: Vec<&str> = laid
        .warnings
        .iter()
        .filter(|w| w.kind == WarningKind::ReplacedChar)
        .map(|w| w.message.as_str())
        .collect();
    assert_eq!(
        replaced,
        [
            "`😀` (U+1F600) cannot be printed; printed as `□`",
            "U+000A (tab or line break) printed as a space"
        ]
    );
}

#[test]
fn codes_are_items_with_their_data_and_settings_are_copied() {
    let mut d = doc(vec![
        center(vec![run("扫码评价")]),
        code(CodeKind::Qr, "https://example.com/r/123456"),
        code(CodeKind::Ean13, "6901234567892"),
        code(CodeKind::Logo, ""),
    ]);
    d.settings.copies = Some(slipmark::Spanned::new(2, slipmark::Span::new(0, 3, 4)));
    let laid = laid(&d, 32);
    assert_eq!(laid.frame.settings, d.settings);
    let kinds: Vec<_> = laid
        .frame
        .items()
        .iter()
        .filter_map(|i| match i {
            Item::Code(c) => Some((c.kind, c.data.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            (CodeKind::Qr, "https://example.com/r/123456"),
            (CodeKind::Ean13, "6901234567892"),
            (CodeKind::Logo, "")
        ]
    );
    insta::assert_snapshot!("codes_32", slipmark::preview::text(&laid.frame));
}

#[test]
fn paper_narrower_than_eight_columns_is_refused() {
    let err = layout(&doc(vec![]), &opts(7)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Layout);
}

fn receipt() -> slipmark::document::Document {
    doc(vec![
        h1("美味餐厅"),
        center(vec![run("#12 美团外卖")]),
        blank(),
        para(vec![run("下单时间："), data("2026-11-28 12:30")]),
        rule('-', "商品"),
        table(
            Some("|:-*-|:-4-:|--8-:|"),
            Some(&["品名", "数量", "金额"]),
            &[
                &["宫保鸡丁", "x1", "28.00"],
                &["Kung Pao Chicken with extra peanuts", "x2", "56.00"],
                &["可乐（冰）", "x3", "9.00"],
            ],
        ),
        rule('-', ""),
        table(None, None, &[&["配送费", "￥5.00"], &["合计", "￥98.00"]]),
        para(vec![
            run("实付 "),
            styled("￥98.00", true, Scale::X2, Scale::X2),
        ]),
        blank(),
        code(CodeKind::Qr, "https://example.com/o/12"),
        right(vec![run("谢谢惠顾")]),
    ])
}

#[test]
fn a_whole_receipt_at_both_widths() {
    let d = receipt();
    insta::assert_snapshot!("receipt_58mm", preview(&d, 32));
    insta::assert_snapshot!("receipt_80mm", preview(&d, 48));
}

#[test]
fn layout_and_preview_are_deterministic() {
    let d = receipt();
    let a = layout(&d, &opts(32)).unwrap();
    let b = layout(&d.clone(), &opts(32)).unwrap();
    assert_eq!(
        serde_json::to_string(&a.frame).unwrap(),
        serde_json::to_string(&b.frame).unwrap()
    );
    assert_eq!(
        slipmark::preview::text(&a.frame),
        slipmark::preview::text(&b.frame)
    );
}
