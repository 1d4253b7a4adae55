//! Columns and dots: the printable set and what each character costs (policy in the module
//! docs of [`crate::measure`]).

use crate::vocab::{Scale, Style};

use super::Encoding;
use super::gbk::in_double_byte;

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
            in_double_byte(cp)
        }
    }
}

/// The width of a text every character of which is printable, from [`printable_width`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TextWidth {
    /// Half-width columns of the whole text at normal size: the sum of [`char_columns`].
    pub columns: u32,
    /// Columns of its widest character at normal size (0 for the empty text).
    pub widest: u32,
}

/// One pass over `text`: its [`TextWidth`] when every character is [`printable`] on
/// `encoding` (then [`sanitize`](super::sanitize) would return it unchanged, with no
/// replacement), `None` as soon as one is not.
///
/// Equal to summing [`char_columns`] and testing [`printable`] character by character; ASCII is
/// tested by a byte comparison and the CJK Unified Ideographs block by one range test before the
/// GBK table is searched.
///
/// ```
/// use slipmark::measure::{Encoding, TextWidth, printable_width};
///
/// assert_eq!(printable_width("x2 宫保", Encoding::Gbk), Some(TextWidth { columns: 7, widest: 2 }));
/// assert_eq!(printable_width("ab", Encoding::Gbk).map(|w| w.widest), Some(1));
/// assert_eq!(printable_width("a\n", Encoding::Gbk), None);
/// ```
pub fn printable_width(text: &str, encoding: Encoding) -> Option<TextWidth> {
    printable_measure(text, encoding).map(|(size, _)| size)
}

/// [`printable_width`] and, from the same pass, whether `text` holds an ASCII digit (every
/// number piece does: a text without one has no number to measure).
#[inline]
pub(crate) fn printable_measure(text: &str, encoding: Encoding) -> Option<(TextWidth, bool)> {
    match encoding {
        Encoding::Gbk => {
            let mut narrow = 0usize;
            let mut wide = 0usize;
            let mut digits = false;
            // Byte by byte over valid UTF-8: an ASCII byte is a character; a lead byte starts a
            // two- or three-byte character decoded in place; four bytes are beyond the BMP,
            // where GBK has no double-byte character.
            let b = text.as_bytes();
            let mut i = 0;
            while i < b.len() {
                let x = b[i];
                if x < 0x80 {
                    if !(0x20..0x7f).contains(&x) {
                        return None;
                    }
                    digits |= x.is_ascii_digit();
                    narrow += 1;
                    i += 1;
                    continue;
                }
                // Fast path: lead bytes E5 to E8 start U+5000..=U+8FFF, inside the CJK Unified
                // Ideographs of GBK (U+4E00..=U+9FA5) that the range test below accepts.
                if (0xE5..=0xE8).contains(&x) {
                    wide += 1;
                    i += 3;
                    continue;
                }
                let tail = |k: usize| u32::from(b[i + k] & 0x3F);
                let (cp, len) = if x < 0xE0 {
                    ((u32::from(x & 0x1F) << 6) | tail(1), 2)
                } else if x < 0xF0 {
                    ((u32::from(x & 0x0F) << 12) | (tail(1) << 6) | tail(2), 3)
                } else {
                    return None;
                };
                // the CJK Unified Ideographs of GBK without a call, then the table
                if !((0x4E00..=0x9FA5).contains(&cp) || in_double_byte(cp)) {
                    return None;
                }
                wide += 1;
                i += len;
            }
            let columns = u32::try_from(narrow.saturating_add(wide.saturating_mul(2)));
            let size = TextWidth {
                columns: columns.unwrap_or(u32::MAX),
                widest: if wide > 0 { 2 } else { u32::from(narrow > 0) },
            };
            Some((size, digits))
        }
    }
}

/// Half-width columns that `c` takes at normal size: 1 for printable ASCII, 2 for every other
/// printable character, 0 for a character that is not printable (layout never puts one on the
/// paper; see [`printable`]).
pub fn char_columns(c: char, encoding: Encoding) -> u32 {
    if printable(c, encoding) {
        encoded_columns(c, encoding)
    } else {
        0
    }
}

/// Half-width columns the printer's head advances for `c` at normal size once encoded, whether
/// `c` is printable or not: for [`Encoding::Gbk`], 1 for a single-byte (ASCII) character and 2
/// for any other. This is how a backend re-measures a frame independently of layout; for a
/// printable character it equals [`char_columns`].
pub fn encoded_columns(c: char, encoding: Encoding) -> u32 {
    match encoding {
        Encoding::Gbk => {
            if c.is_ascii() {
                1
            } else {
                2
            }
        }
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
    fn encoded_columns_count_unprintable_characters_by_byte_class() {
        for c in ['a', ' ', '你', '·', '￥'] {
            assert_eq!(encoded_columns(c, G), char_columns(c, G), "{c:?}");
        }
        // what the printer's head would advance, although layout never prints these
        assert_eq!(encoded_columns('\n', G), 1);
        assert_eq!(encoded_columns('¥', G), 2);
        assert_eq!(encoded_columns('😀', G), 2);
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
    fn printable_width_agrees_with_char_by_char_measuring() {
        let each = |text: &str| {
            text.chars().all(|c| printable(c, G)).then(|| TextWidth {
                columns: text.chars().map(|c| char_columns(c, G)).sum(),
                widest: text.chars().map(|c| char_columns(c, G)).max().unwrap_or(0),
            })
        };
        for text in [
            "",
            " ",
            "abc",
            "宫保鸡丁 x2",
            "￥88.00",
            "·—“",
            "a\tb",
            "好😀",
            "¥",
            "\u{9fa6}",
            "Я①",
            "\u{7f}",
            "\u{e000}",
        ] {
            assert_eq!(printable_width(text, G), each(text), "{text:?}");
        }
        // every character of the BMP and some beyond, alone and between two others
        for c in (0..0x11000).filter_map(char::from_u32) {
            let alone = c.to_string();
            assert_eq!(
                printable_width(&alone, G),
                each(&alone),
                "U+{:04X}",
                c as u32
            );
            let between = format!("a{c}码");
            let digit = between.bytes().any(|b| b.is_ascii_digit());
            assert_eq!(
                printable_measure(&between, G).map(|m| m.1),
                each(&between).map(|_| digit),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                printable_width(&between, G),
                each(&between),
                "U+{:04X}",
                c as u32
            );
        }
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
