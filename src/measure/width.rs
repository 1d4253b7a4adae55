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

/// [`printable_width`] and, from the same pass, a bound on the number pieces of `text`: the
/// columns at normal size of its widest stretch between spaces (`' '`) that holds an ASCII
/// digit, 0 when it holds none. A number piece holds a digit and no space (`wrap::piece_end`),
/// so it lies inside such a stretch and is never wider.
#[inline]
pub(crate) fn printable_measure(text: &str, encoding: Encoding) -> Option<(TextWidth, u32)> {
    measure_bytes(text.as_bytes(), encoding)
}

/// [`printable_measure`] of `text[range]`, without looking at whether `range` cuts a
/// character first: `None` when `range` is not in `text` or cuts a character (as
/// `text.get(range)` is then `None`), else `printable_measure(&text[range])`.
///
/// Why no look is needed: `text` is valid UTF-8, so a range that starts inside a character
/// starts with a continuation byte (`10xxxxxx`), which the pass refuses, and one that ends
/// inside a character ends before that character's last byte, which the pass notices when it
/// steps past the end; from a character's start every step reads one whole character. Only
/// an empty range is looked at (it holds no byte to refuse).
#[inline]
#[cfg(test)]
pub(crate) fn printable_measure_at(
    text: &str,
    range: std::ops::Range<usize>,
    encoding: Encoding,
) -> Option<(TextWidth, u32)> {
    let b = text.as_bytes().get(range.clone())?;
    // an empty range is a text only at a character's start
    if b.is_empty() && !text.is_char_boundary(range.start) {
        return None;
    }
    measure_bytes(b, encoding)
}

/// [`printable_measure_at`] in one word, for a text shorter than 2 GiB: [`PACKED_NONE`]
/// where it is `None`; else [`printable_measure_run`]'s columns in the low 31 bits, its
/// number bound in the next 31, and whether a double-byte character was seen (the widest is
/// 2, else 1, or 0 for no columns) in bit 62.
#[inline(always)]
pub(crate) fn printable_measure_packed(
    text: &str,
    range: std::ops::Range<usize>,
    encoding: Encoding,
) -> u64 {
    match printable_measure_run(text, range, encoding) {
        Some(m) => u64::from(m.columns) | u64::from(m.numbers) << 31 | u64::from(m.wide) << 62,
        None => PACKED_NONE,
    }
}

/// What [`printable_measure_run`] finds in a text shorter than 2 GiB: its columns, its
/// number bound (both below 2^31), whether it holds a double-byte character (its widest is
/// then 2, else 1, or 0 for no columns) and whether its last character is a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RunMeasure {
    pub(crate) columns: u32,
    pub(crate) numbers: u32,
    pub(crate) wide: bool,
    pub(crate) ends_in_space: bool,
}

/// [`printable_measure_at`] for a text shorter than 2 GiB (a kept table row's runs, measured
/// one after another), its parts in registers: `None` where that is `None`. The full-width
/// forms U+FF01..=U+FF5E (`（）`) are taken from their bytes too (`EF BC 81..BF`, `EF BD
/// 80..9E`).
#[inline(always)]
pub(crate) fn printable_measure_run(
    text: &str,
    range: std::ops::Range<usize>,
    encoding: Encoding,
) -> Option<RunMeasure> {
    let b = text.as_bytes().get(range.clone())?;
    let n = b.len();
    if n >= 1 << 31 {
        return None;
    }
    if n == 0 {
        // an empty range is a text only at a character's start
        return text.is_char_boundary(range.start).then_some(RunMeasure {
            columns: 0,
            numbers: 0,
            wide: false,
            ends_in_space: false,
        });
    }
    match encoding {
        Encoding::Gbk => {
            // as `measure_bytes`, in 32 bits (`n` < 2^31)
            let (mut cols, mut wide) = (0u32, false);
            let (mut numbers, mut open, mut digit) = (0u32, 0u32, false);
            let mut i = 0;
            while i < n {
                let x = b[i];
                if x < 0x80 {
                    if x <= b'9' {
                        if x >= b'0' {
                            digit = true;
                        } else if x == b' ' {
                            if digit {
                                numbers = numbers.max(cols - open);
                                digit = false;
                            }
                            open = cols + 1;
                        } else if x < 0x20 {
                            return None;
                        }
                    } else if x == 0x7F {
                        return None;
                    }
                    cols += 1;
                    i += 1;
                    continue;
                }
                wide = true;
                if (0xE5..=0xE8).contains(&x) {
                    cols += 2;
                    i += 3;
                    continue;
                }
                if let (0xE4 | 0xE9 | 0xEF, Some(&y), Some(&z)) = (x, b.get(i + 1), b.get(i + 2)) {
                    // U+4E00..=U+4FFF, U+9000..=U+9F7F (ideographs of GBK), U+FF01..=U+FF5E;
                    // `z` is a continuation byte (a valid text, its character whole here)
                    let fast = match x {
                        0xE4 => y >= 0xB8,
                        0xE9 => y < 0xBE,
                        _ => (y == 0xBC && z >= 0x81) || (y == 0xBD && z <= 0x9E),
                    };
                    if fast {
                        cols += 2;
                        i += 3;
                        continue;
                    }
                }
                let len = match x {
                    0x80..=0xBF => return None,
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => return None,
                };
                let t = b.get(i + 1..i + len)?;
                let tail = |k: usize| u32::from(t[k] & 0x3F);
                let cp = if len == 2 {
                    (u32::from(x & 0x1F) << 6) | tail(0)
                } else {
                    (u32::from(x & 0x0F) << 12) | (tail(0) << 6) | tail(1)
                };
                if !((0x4E00..=0x9FA5).contains(&cp)
                    || (0xFF01..=0xFF5E).contains(&cp)
                    || in_double_byte(cp))
                {
                    return None;
                }
                cols += 2;
                i += len;
            }
            if i != n {
                return None;
            }
            if digit {
                numbers = numbers.max(cols - open);
            }
            Some(RunMeasure {
                columns: cols,
                numbers,
                wide,
                // a space starts the next stretch one column on: at the end only after a
                // space (every other character adds a column past it)
                ends_in_space: open == cols,
            })
        }
    }
}

/// What [`printable_measure_packed`] gives for `None` (bit 63: no measure has it).
pub(crate) const PACKED_NONE: u64 = 1 << 63;

/// The pass of [`printable_measure`] over `b`, a range of a valid UTF-8 text (see
/// [`printable_measure_at`]: `None` for one that cuts a character).
#[inline(always)]
fn measure_bytes(b: &[u8], encoding: Encoding) -> Option<(TextWidth, u32)> {
    match encoding {
        Encoding::Gbk => {
            // Columns so far, and whether a double-byte character was seen.
            let mut cols = 0usize;
            let mut wide = false;
            // The widest stretch holding a digit so far; where the open stretch starts (in
            // columns), and whether it holds a digit.
            let mut numbers = 0usize;
            let mut open = 0usize;
            let mut digit = false;
            // Byte by byte: an ASCII byte is a character; a lead byte starts a two- or
            // three-byte character decoded in place; four bytes are beyond the BMP, where GBK
            // has no double-byte character.
            let n = b.len();
            let mut i = 0;
            while i < n {
                let x = b[i];
                if x < 0x80 {
                    // Printable ASCII is 0x20..=0x7E; the bytes up to `9` are tested apart
                    // (controls, the space, the digits), so a letter costs two comparisons.
                    if x <= b'9' {
                        if x >= b'0' {
                            digit = true;
                        } else if x == b' ' {
                            if digit {
                                numbers = numbers.max(cols - open);
                                digit = false;
                            }
                            open = cols + 1;
                        } else if x < 0x20 {
                            return None;
                        }
                    } else if x == 0x7F {
                        return None;
                    }
                    cols += 1;
                    i += 1;
                    continue;
                }
                // Fast path: lead bytes E5 to E8 start U+5000..=U+8FFF, inside the CJK Unified
                // Ideographs of GBK (U+4E00..=U+9FA5) that the range test below accepts.
                wide = true;
                if (0xE5..=0xE8).contains(&x) {
                    cols += 2;
                    i += 3;
                    continue;
                }
                // And from the second byte: E4 B8..BF starts U+4E00..=U+4FFF, E9 80..BD starts
                // U+9000..=U+9F7F, inside the same range.
                if let (0xE4 | 0xE9, Some(&y)) = (x, b.get(i + 1)) {
                    if (x == 0xE4 && y >= 0xB8) || (x == 0xE9 && y < 0xBE) {
                        cols += 2;
                        i += 3;
                        continue;
                    }
                }
                let len = match x {
                    // a continuation byte: `b` starts inside a character
                    0x80..=0xBF => return None,
                    0xC0..=0xDF => 2,
                    0xE0..=0xEF => 3,
                    _ => return None,
                };
                // `b` ends inside this character
                let t = b.get(i + 1..i + len)?;
                let tail = |k: usize| u32::from(t[k] & 0x3F);
                let cp = if len == 2 {
                    (u32::from(x & 0x1F) << 6) | tail(0)
                } else {
                    (u32::from(x & 0x0F) << 12) | (tail(0) << 6) | tail(1)
                };
                // the CJK Unified Ideographs of GBK and the full-width forms (`（）：`) without
                // a call, then the table
                if !((0x4E00..=0x9FA5).contains(&cp)
                    || (0xFF01..=0xFF5E).contains(&cp)
                    || in_double_byte(cp))
                {
                    return None;
                }
                cols += 2;
                i += len;
            }
            // the fast path stepped past the end: `b` ends inside its character
            if i != n {
                return None;
            }
            if digit {
                numbers = numbers.max(cols - open);
            }
            let size = TextWidth {
                columns: u32::try_from(cols).unwrap_or(u32::MAX),
                widest: if wide { 2 } else { u32::from(cols > 0) },
            };
            Some((size, u32::try_from(numbers).unwrap_or(u32::MAX)))
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
            assert_eq!(
                printable_measure(&between, G).map(|m| m.1),
                each(&between).map(|_| numbers_by_chars(&between)),
                "U+{:04X}",
                c as u32
            );
            assert_eq!(
                printable_width(&between, G),
                each(&between),
                "U+{:04X}",
                c as u32
            );
            let packed = printable_measure_packed(&between, 0..between.len(), G);
            assert_eq!(
                (packed != PACKED_NONE)
                    .then_some((packed & 0x7FFF_FFFF, packed >> 31 & 0x7FFF_FFFF)),
                printable_measure(&between, G).map(|(w, n)| (u64::from(w.columns), u64::from(n))),
                "U+{:04X}",
                c as u32
            );
        }
    }

    /// The number bound of `printable_measure`, character by character: the columns of the
    /// widest stretch between spaces that holds an ASCII digit.
    fn numbers_by_chars(text: &str) -> u32 {
        text.split(' ')
            .filter(|s| s.bytes().any(|b| b.is_ascii_digit()))
            .map(|s| s.chars().map(|c| char_columns(c, G)).sum())
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn the_number_bound_is_the_widest_stretch_between_spaces_with_a_digit() {
        for text in [
            "",
            "1",
            " ",
            "abc",
            "Coca-Cola Zero 330ml",
            "蒜蓉烤生蚝 6只装",
            "12 345 6",
            "  7  ",
            "a1 bbbbbbbb 2",
            "￥88.00",
            "x2",
        ] {
            assert_eq!(
                printable_measure(text, G).map(|m| m.1),
                Some(numbers_by_chars(text)),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        /// The pass agrees with measuring character by character (width, widest, number
        /// bound), and over a range of a text with `text.get(range)`: `None` where the range
        /// cuts a character.
        #[test]
        fn measuring_a_range_equals_measuring_its_text(
            text in "[ a-z0-9.\\t￥元好（）·😀é丂龥｀～\u{ff5f}\u{ff00}]{0,12}",
            a in 0usize..40,
            b in 0usize..40,
        ) {
            let each = |t: &str| {
                t.chars().all(|c| printable(c, G)).then(|| {
                    let size = TextWidth {
                        columns: t.chars().map(|c| char_columns(c, G)).sum(),
                        widest: t.chars().map(|c| char_columns(c, G)).max().unwrap_or(0),
                    };
                    (size, numbers_by_chars(t))
                })
            };
            proptest::prop_assert_eq!(printable_measure(&text, G), each(&text));
            proptest::prop_assert_eq!(
                printable_measure_at(&text, a..b, G),
                text.get(a..b).and_then(each)
            );
            let packed = printable_measure_packed(&text, a..b, G);
            let unpacked = (packed != PACKED_NONE).then(|| {
                let cols = (packed & 0x7FFF_FFFF) as u32;
                let size = TextWidth {
                    columns: cols,
                    widest: if packed >> 62 & 1 == 1 { 2 } else { u32::from(cols > 0) },
                };
                (size, (packed >> 31 & 0x7FFF_FFFF) as u32)
            });
            proptest::prop_assert_eq!(unpacked, printable_measure_at(&text, a..b, G));
            // the run's last character is a space exactly when its text ends with one
            let run = printable_measure_run(&text, a..b, G);
            proptest::prop_assert_eq!(
                run.map(|m| m.ends_in_space),
                printable_measure_at(&text, a..b, G).map(|_| text[a..b].ends_with(' '))
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
