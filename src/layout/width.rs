//! Measurement: what a character costs on the paper, under the printer's encoding.
//!
//! The printer lays glyphs on a grid of dots. At normal size a single-byte character is 12 dots
//! wide and a double-byte (GBK) one 24; a paper column is 12 dots. On a GBK printer every
//! printable character outside ASCII is double-byte, so it takes **two** columns, including the
//! East-Asian-ambiguous ones that terminals draw narrow (`·`, `—`, `“`, `×`, `①`, `°`).
//!
//! Scaled text is measured in dots: ×1.33 makes a half-width glyph 16 dots and a full-width one
//! 32; ×2 makes them 24 and 48. A run of text occupies `ceil(dots / 12)` columns, which is how the
//! vendor's own centring example counts `您好` (4, 6 and 8 columns at ×1, ×1.33, ×2).
//!
//! ```
//! use slipmark::document::Scale;
//! use slipmark::frame::Encoding;
//! use slipmark::layout::width::{char_columns, columns_for_dots, text_dots};
//!
//! assert_eq!(char_columns('a', Encoding::Gbk), 1);
//! assert_eq!(char_columns('·', Encoding::Gbk), 2);
//! assert_eq!(columns_for_dots(text_dots("您好", Scale::X4_3, Encoding::Gbk)), 6);
//! ```

use crate::document::{Scale, Style};
use crate::frame::Encoding;

use super::gbk::GBK_RANGES;

/// Dots in one half-width column at normal size.
pub const DOTS_PER_COLUMN: u32 = 12;

/// Whether the printer can print `c` as itself.
///
/// For [`Encoding::Gbk`]: printable ASCII (`' '` to `'~'`) and every character of the GBK
/// double-byte repertoire except its private-use codes. Control characters, emoji, `™`, `€`,
/// `¥` (U+00A5; GBK has the full-width `￥` instead), combining marks and format characters are not.
pub fn printable(c: char, encoding: Encoding) -> bool {
    match encoding {
        Encoding::Gbk => {
            let cp = c as u32;
            if cp < 0x80 {
                return (0x20..0x7f).contains(&cp);
            }
            GBK_RANGES
                .binary_search_by(|&(first, last)| {
                    if last < cp {
                        std::cmp::Ordering::Less
                    } else if first > cp {
                        std::cmp::Ordering::Greater
                    } else {
                        std::cmp::Ordering::Equal
                    }
                })
                .is_ok()
        }
    }
}

/// Half-width columns that `c` takes at normal size: 1 for printable ASCII, 2 for every other
/// printable character, 0 for a character that is not printable (layout never puts one on the
/// paper; see [`printable`]).
pub fn char_columns(c: char, encoding: Encoding) -> u32 {
    if !printable(c, encoding) {
        0
    } else if c.is_ascii() {
        1
    } else {
        2
    }
}

/// Dots that `c` takes at horizontal scale `scale`.
pub fn char_dots(c: char, scale: Scale, encoding: Encoding) -> u32 {
    scale.dots(DOTS_PER_COLUMN * char_columns(c, encoding))
}

/// Dots that `text` takes at horizontal scale `scale` (saturating; characters that are not
/// printable count 0).
pub fn text_dots(text: &str, scale: Scale, encoding: Encoding) -> u32 {
    text.chars().fold(0u32, |sum, c| {
        sum.saturating_add(char_dots(c, scale, encoding))
    })
}

/// Columns occupied by something `dots` wide: `ceil(dots / 12)`.
pub fn columns_for_dots(dots: u32) -> u32 {
    dots.div_ceil(DOTS_PER_COLUMN)
}

/// Columns occupied by `text` printed in `style` (only the width scale matters; bold does not
/// widen glyphs).
pub fn text_columns(text: &str, style: Style, encoding: Encoding) -> u32 {
    columns_for_dots(text_dots(text, style.width, encoding))
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: Encoding = Encoding::Gbk;

    #[test]
    fn ascii_printable_is_one_column_and_controls_are_not_printable() {
        for c in ' '..='~' {
            assert!(printable(c, G), "{c:?}");
            assert_eq!(char_columns(c, G), 1, "{c:?}");
        }
        for c in ['\0', '\t', '\n', '\r', '\x1b', '\x7f', '\u{85}', '\u{9f}'] {
            assert!(!printable(c, G), "{c:?}");
            assert_eq!(char_columns(c, G), 0, "{c:?}");
        }
    }

    #[test]
    fn ambiguous_width_punctuation_takes_two_columns_on_gbk() {
        // unicode-width calls all of these narrow; a GBK printer prints them double-byte.
        for c in [
            '·', '—', '“', '”', '×', '①', '°', '±', '÷', '…', '※', '℃', '√', 'é', 'α', 'Я',
        ] {
            assert!(printable(c, G), "{c:?}");
            assert_eq!(char_columns(c, G), 2, "{c:?}");
        }
    }

    #[test]
    fn cjk_and_fullwidth_forms_take_two_columns() {
        for c in [
            '你', '好', '龥', '丂', '　', '，', '。', '、', '（', '》', '￥', 'Ａ', '１', 'ア',
            'か',
        ] {
            assert_eq!(char_columns(c, G), 2, "{c:?}");
        }
    }

    #[test]
    fn characters_outside_gbk_are_not_printable() {
        // emoji, trademark, euro, yen sign (U+00A5), Hangul, combining acute, zero-width joiner,
        // non-breaking space, private use, a rare ideograph outside GBK (U+9FA6), CJK ext. B.
        for c in [
            '😀',
            '™',
            '€',
            '¥',
            '한',
            '\u{301}',
            '\u{200d}',
            '\u{a0}',
            '\u{e000}',
            '\u{9fa6}',
            '\u{20000}',
            '\u{fe0f}',
            '½',
        ] {
            assert!(!printable(c, G), "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn scaled_text_is_measured_in_dots() {
        assert_eq!(char_dots('a', Scale::X1, G), 12);
        assert_eq!(char_dots('a', Scale::X4_3, G), 16);
        assert_eq!(char_dots('a', Scale::X2, G), 24);
        assert_eq!(char_dots('您', Scale::X1, G), 24);
        assert_eq!(char_dots('您', Scale::X4_3, G), 32);
        assert_eq!(char_dots('您', Scale::X2, G), 48);
        // the vendor's centring example: 您好 is 4, 6, 8 columns
        let cols = |s| columns_for_dots(text_dots("您好", s, G));
        assert_eq!(
            (cols(Scale::X1), cols(Scale::X4_3), cols(Scale::X2)),
            (4, 6, 8)
        );
        // three ASCII letters at ×1.33: 48 dots = exactly 4 columns; two: 32 dots -> 3 columns
        assert_eq!(columns_for_dots(text_dots("abc", Scale::X4_3, G)), 4);
        assert_eq!(columns_for_dots(text_dots("ab", Scale::X4_3, G)), 3);
    }

    #[test]
    fn columns_round_up() {
        assert_eq!(columns_for_dots(0), 0);
        assert_eq!(columns_for_dots(1), 1);
        assert_eq!(columns_for_dots(12), 1);
        assert_eq!(columns_for_dots(13), 2);
        assert_eq!(columns_for_dots(u32::MAX), u32::MAX.div_ceil(12));
    }

    #[test]
    fn bold_does_not_widen() {
        let bold = Style {
            bold: true,
            ..Style::PLAIN
        };
        assert_eq!(text_columns("合计 12.50", bold, G), 10);
        let big = Style {
            bold: true,
            width: Scale::X2,
            height: Scale::X2,
        };
        assert_eq!(text_columns("合计 12.50", big, G), 20);
    }
}
