//! The GBK double-byte repertoire as sorted, inclusive code-point ranges.
//!
//! Generated once from Python's `gbk` codec (CP936): every character outside ASCII that encodes
//! to exactly two bytes, minus the private-use area (user-defined GBK codes have no glyph on the
//! printer). Regenerate with:
//!
//! ```text
//! for cp in range(0x80, 0x10000):
//!     if 0xD800 <= cp <= 0xF8FF: continue          # surrogates and private use
//!     try: ok = len(chr(cp).encode("gbk")) == 2
//!     except UnicodeEncodeError: ok = False
//!     # merge consecutive `ok` code points into (first, last) ranges
//! ```

/// Inclusive `(first, last)` code points that GBK prints as double-byte characters.
pub(crate) const GBK_RANGES: &[(u32, u32)] = &[
    (0x00A4, 0x00A4),
    (0x00A7, 0x00A8),
    (0x00B0, 0x00B1),
    (0x00B7, 0x00B7),
    (0x00D7, 0x00D7),
    (0x00E0, 0x00E1),
    (0x00E8, 0x00EA),
    (0x00EC, 0x00ED),
    (0x00F2, 0x00F3),
    (0x00F7, 0x00F7),
    (0x00F9, 0x00FA),
    (0x00FC, 0x00FC),
    (0x0101, 0x0101),
    (0x0113, 0x0113),
    (0x011B, 0x011B),
    (0x012B, 0x012B),
    (0x0144, 0x0144),
    (0x0148, 0x0148),
    (0x014D, 0x014D),
    (0x016B, 0x016B),
    (0x01CE, 0x01CE),
    (0x01D0, 0x01D0),
    (0x01D2, 0x01D2),
    (0x01D4, 0x01D4),
    (0x01D6, 0x01D6),
    (0x01D8, 0x01D8),
    (0x01DA, 0x01DA),
    (0x01DC, 0x01DC),
    (0x0251, 0x0251),
    (0x0261, 0x0261),
    (0x02C7, 0x02C7),
    (0x02C9, 0x02CB),
    (0x02D9, 0x02D9),
    (0x0391, 0x03A1),
    (0x03A3, 0x03A9),
    (0x03B1, 0x03C1),
    (0x03C3, 0x03C9),
    (0x0401, 0x0401),
    (0x0410, 0x044F),
    (0x0451, 0x0451),
    (0x2010, 0x2010),
    (0x2013, 0x2016),
    (0x2018, 0x2019),
    (0x201C, 0x201D),
    (0x2025, 0x2026),
    (0x2030, 0x2030),
    (0x2032, 0x2033),
    (0x2035, 0x2035),
    (0x203B, 0x203B),
    (0x2103, 0x2103),
    (0x2105, 0x2105),
    (0x2109, 0x2109),
    (0x2116, 0x2116),
    (0x2121, 0x2121),
    (0x2160, 0x216B),
    (0x2170, 0x2179),
    (0x2190, 0x2193),
    (0x2196, 0x2199),
    (0x2208, 0x2208),
    (0x220F, 0x220F),
    (0x2211, 0x2211),
    (0x2215, 0x2215),
    (0x221A, 0x221A),
    (0x221D, 0x2220),
    (0x2223, 0x2223),
    (0x2225, 0x2225),
    (0x2227, 0x222B),
    (0x222E, 0x222E),
    (0x2234, 0x2237),
    (0x223D, 0x223D),
    (0x2248, 0x2248),
    (0x224C, 0x224C),
    (0x2252, 0x2252),
    (0x2260, 0x2261),
    (0x2264, 0x2267),
    (0x226E, 0x226F),
    (0x2295, 0x2295),
    (0x2299, 0x2299),
    (0x22A5, 0x22A5),
    (0x22BF, 0x22BF),
    (0x2312, 0x2312),
    (0x2460, 0x2469),
    (0x2474, 0x249B),
    (0x2500, 0x254B),
    (0x2550, 0x2573),
    (0x2581, 0x258F),
    (0x2593, 0x2595),
    (0x25A0, 0x25A1),
    (0x25B2, 0x25B3),
    (0x25BC, 0x25BD),
    (0x25C6, 0x25C7),
    (0x25CB, 0x25CB),
    (0x25CE, 0x25CF),
    (0x25E2, 0x25E5),
    (0x2605, 0x2606),
    (0x2609, 0x2609),
    (0x2640, 0x2640),
    (0x2642, 0x2642),
    (0x3000, 0x3003),
    (0x3005, 0x3017),
    (0x301D, 0x301E),
    (0x3021, 0x3029),
    (0x3041, 0x3093),
    (0x309B, 0x309E),
    (0x30A1, 0x30F6),
    (0x30FC, 0x30FE),
    (0x3105, 0x3129),
    (0x3220, 0x3229),
    (0x3231, 0x3231),
    (0x32A3, 0x32A3),
    (0x338E, 0x338F),
    (0x339C, 0x339E),
    (0x33A1, 0x33A1),
    (0x33C4, 0x33C4),
    (0x33CE, 0x33CE),
    (0x33D1, 0x33D2),
    (0x33D5, 0x33D5),
    (0x4E00, 0x9FA5),
    (0xF92C, 0xF92C),
    (0xF979, 0xF979),
    (0xF995, 0xF995),
    (0xF9E7, 0xF9E7),
    (0xF9F1, 0xF9F1),
    (0xFA0C, 0xFA0F),
    (0xFA11, 0xFA11),
    (0xFA13, 0xFA14),
    (0xFA18, 0xFA18),
    (0xFA1F, 0xFA21),
    (0xFA23, 0xFA24),
    (0xFA27, 0xFA29),
    (0xFE30, 0xFE31),
    (0xFE33, 0xFE44),
    (0xFE49, 0xFE52),
    (0xFE54, 0xFE57),
    (0xFE59, 0xFE66),
    (0xFE68, 0xFE6B),
    (0xFF01, 0xFF5E),
    (0xFFE0, 0xFFE5),
];

/// Whether code point `cp` is in the GBK double-byte repertoire (private use excluded).
pub(crate) fn in_double_byte(cp: u32) -> bool {
    // The common cases first, each one range of the table: the CJK Unified Ideographs block,
    // the full-width forms (`，：（）！？`), the first CJK punctuation (`、。`).
    if (0x4E00..=0x9FA5).contains(&cp)
        || (0xFF01..=0xFF5E).contains(&cp)
        || (0x3000..=0x3003).contains(&cp)
    {
        return true;
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

/// Bytes of `s` once encoded for a GBK/GB18030 printer: 1 for ASCII (U+0000–U+007F), 2 for every
/// character of the GBK double-byte repertoire (see [`printable`](super::printable)), 4 for
/// anything else (a GB18030 four-byte sequence, whether inside the BMP or not).
///
/// The count never falls short of the real GB18030 encoding. It is larger by 2 for the few
/// characters that GB18030 encodes in two bytes but GBK lacks (`€`, some radicals and rare
/// ideographs) and for private-use code points: none of them has a glyph on the printer.
///
/// ```
/// use slipmark::measure::gbk_bytes;
///
/// assert_eq!(gbk_bytes("a"), 1);
/// assert_eq!(gbk_bytes("码·"), 4);
/// assert_eq!(gbk_bytes("한"), 4); // in the BMP, but not in GBK
/// assert_eq!(gbk_bytes("😀"), 4);
/// ```
pub fn gbk_bytes(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0..=0x7f => 1,
            cp if in_double_byte(cp) => 2,
            _ => 4,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_cjk_fast_path_agrees_with_the_table() {
        assert!(super::GBK_RANGES.contains(&(0x4E00, 0x9FA5)));
        assert!(super::GBK_RANGES.contains(&(0xFF01, 0xFF5E)));
        assert!(super::GBK_RANGES.contains(&(0x3000, 0x3003)));
        for cp in [
            0x4DFF, 0x4E00, 0x6C49, 0x9FA5, 0x9FA6, 0xFF00, 0xFF01, 0xFF0C, 0xFF5E, 0xFF5F, 0x2FFF,
            0x3000, 0x3002, 0x3003, 0x3004,
        ] {
            let in_table = super::GBK_RANGES
                .iter()
                .any(|&(a, b)| (a..=b).contains(&cp));
            assert_eq!(super::in_double_byte(cp), in_table, "U+{cp:04X}");
        }
    }

    use super::*;

    #[test]
    fn ranges_are_sorted_and_disjoint() {
        assert!(GBK_RANGES.iter().all(|&(a, b)| a <= b));
        assert!(GBK_RANGES.windows(2).all(|w| w[0].1 < w[1].0));
    }

    #[test]
    fn ascii_is_one_byte_and_gbk_characters_two() {
        assert_eq!(gbk_bytes(""), 0);
        assert_eq!(gbk_bytes("abc \x7f\0"), 6);
        // CJK, full-width forms, the GBK yen sign, ambiguous-width punctuation, Greek, Cyrillic
        for c in [
            '码', '龥', '丂', '，', '￥', 'Ａ', '·', '—', '“', '×', '①', '°', 'α', 'Я',
        ] {
            assert_eq!(gbk_bytes(&c.to_string()), 2, "{c:?} U+{:04X}", c as u32);
        }
        assert_eq!(gbk_bytes("a码"), 3);
    }

    #[test]
    fn bmp_characters_outside_gbk_are_four_bytes() {
        // Samaritan U+0800, Hangul syllables, Thai, Hangul jamo, the yen sign U+00A5, U+0080,
        // a rare ideograph after GBK's last one (U+9FA6), the euro sign (not in GBK), private use
        for c in [
            '\u{800}', '한', '\u{ac00}', '\u{d7a3}', 'ก', '\u{e3f}', '\u{1100}', '¥', '\u{80}',
            '\u{9fa6}', '€', '\u{e000}',
        ] {
            assert!(!in_double_byte(c as u32), "{c:?} U+{:04X}", c as u32);
            assert_eq!(gbk_bytes(&c.to_string()), 4, "{c:?} U+{:04X}", c as u32);
        }
    }

    #[test]
    fn characters_beyond_the_bmp_are_four_bytes() {
        assert_eq!(gbk_bytes("😀"), 4);
        assert_eq!(gbk_bytes("\u{20000}"), 4);
        assert_eq!(gbk_bytes("a码😀"), 7);
    }
}
