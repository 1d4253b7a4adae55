//! GBK bytes for the characters a receipt is mostly made of, from tables, without
//! `encoding_rs`'s per-call set-up: ASCII, the CJK unified ideographs U+4E00–U+9FA5 (every one
//! is in GBK), the CJK symbols U+3000–U+303F (`、。「」【】`) and the full-width forms
//! U+FF00–U+FF5F and U+FFE0–U+FFE7 (`，：（）！？￥`). Any other character is encoded by
//! `encoding_rs::GBK` on its own (`encoding_rs` finds the full-width forms by a linear search:
//! they were half its cost on a receipt of dish names).
//!
//! The tables are `encoding_rs` 0.8.35's GBK encoder, written out once by a throwaway program
//! (for each code point of a range: `encoding_rs::GBK.encode` of the character; two bytes, or
//! `[0, 0]` where it is unmappable or not two bytes): the ideographs' pairs, in code point
//! order, are the 41,804 bytes of `gbk_hanzi.bin`; the two small tables are below. The tests
//! compare the encoder with `encoding_rs::GBK` on every character U+0000–U+FFFF and a sample
//! of the supplementary planes (`every_character_encodes_as_encoding_rs_does`), so a table
//! that differs anywhere fails them.

/// GBK's two bytes of each CJK unified ideograph U+4E00–U+9FA5, in code point order.
static HANZI: &[u8; 2 * (0x9FA6 - 0x4E00)] = include_bytes!("gbk_hanzi.bin");

/// GBK's two bytes of U+3000–U+303F, `[0, 0]` for the characters GBK lacks.
#[rustfmt::skip]
const SYMBOLS: [[u8; 2]; 64] = [
    [0xA1, 0xA1], [0xA1, 0xA2], [0xA1, 0xA3], [0xA1, 0xA8], [0x00, 0x00], [0xA1, 0xA9], [0xA9, 0x65], [0xA9, 0x96], // U+3000
    [0xA1, 0xB4], [0xA1, 0xB5], [0xA1, 0xB6], [0xA1, 0xB7], [0xA1, 0xB8], [0xA1, 0xB9], [0xA1, 0xBA], [0xA1, 0xBB], // U+3008
    [0xA1, 0xBE], [0xA1, 0xBF], [0xA8, 0x93], [0xA1, 0xFE], [0xA1, 0xB2], [0xA1, 0xB3], [0xA1, 0xBC], [0xA1, 0xBD], // U+3010
    [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0xA8, 0x94], [0xA8, 0x95], [0x00, 0x00], // U+3018
    [0x00, 0x00], [0xA9, 0x40], [0xA9, 0x41], [0xA9, 0x42], [0xA9, 0x43], [0xA9, 0x44], [0xA9, 0x45], [0xA9, 0x46], // U+3020
    [0xA9, 0x47], [0xA9, 0x48], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], // U+3028
    [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], // U+3030
    [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0x00, 0x00], [0xA9, 0x89], [0x00, 0x00], // U+3038
];

/// GBK's two bytes of U+FF00–U+FF5F (the full-width ASCII forms), `[0, 0]` for those GBK lacks.
#[rustfmt::skip]
const FULL_WIDTH: [[u8; 2]; 96] = [
    [0x00, 0x00], [0xA3, 0xA1], [0xA3, 0xA2], [0xA3, 0xA3], [0xA1, 0xE7], [0xA3, 0xA5], [0xA3, 0xA6], [0xA3, 0xA7], // U+FF00
    [0xA3, 0xA8], [0xA3, 0xA9], [0xA3, 0xAA], [0xA3, 0xAB], [0xA3, 0xAC], [0xA3, 0xAD], [0xA3, 0xAE], [0xA3, 0xAF], // U+FF08
    [0xA3, 0xB0], [0xA3, 0xB1], [0xA3, 0xB2], [0xA3, 0xB3], [0xA3, 0xB4], [0xA3, 0xB5], [0xA3, 0xB6], [0xA3, 0xB7], // U+FF10
    [0xA3, 0xB8], [0xA3, 0xB9], [0xA3, 0xBA], [0xA3, 0xBB], [0xA3, 0xBC], [0xA3, 0xBD], [0xA3, 0xBE], [0xA3, 0xBF], // U+FF18
    [0xA3, 0xC0], [0xA3, 0xC1], [0xA3, 0xC2], [0xA3, 0xC3], [0xA3, 0xC4], [0xA3, 0xC5], [0xA3, 0xC6], [0xA3, 0xC7], // U+FF20
    [0xA3, 0xC8], [0xA3, 0xC9], [0xA3, 0xCA], [0xA3, 0xCB], [0xA3, 0xCC], [0xA3, 0xCD], [0xA3, 0xCE], [0xA3, 0xCF], // U+FF28
    [0xA3, 0xD0], [0xA3, 0xD1], [0xA3, 0xD2], [0xA3, 0xD3], [0xA3, 0xD4], [0xA3, 0xD5], [0xA3, 0xD6], [0xA3, 0xD7], // U+FF30
    [0xA3, 0xD8], [0xA3, 0xD9], [0xA3, 0xDA], [0xA3, 0xDB], [0xA3, 0xDC], [0xA3, 0xDD], [0xA3, 0xDE], [0xA3, 0xDF], // U+FF38
    [0xA3, 0xE0], [0xA3, 0xE1], [0xA3, 0xE2], [0xA3, 0xE3], [0xA3, 0xE4], [0xA3, 0xE5], [0xA3, 0xE6], [0xA3, 0xE7], // U+FF40
    [0xA3, 0xE8], [0xA3, 0xE9], [0xA3, 0xEA], [0xA3, 0xEB], [0xA3, 0xEC], [0xA3, 0xED], [0xA3, 0xEE], [0xA3, 0xEF], // U+FF48
    [0xA3, 0xF0], [0xA3, 0xF1], [0xA3, 0xF2], [0xA3, 0xF3], [0xA3, 0xF4], [0xA3, 0xF5], [0xA3, 0xF6], [0xA3, 0xF7], // U+FF50
    [0xA3, 0xF8], [0xA3, 0xF9], [0xA3, 0xFA], [0xA3, 0xFB], [0xA3, 0xFC], [0xA3, 0xFD], [0xA1, 0xAB], [0x00, 0x00], // U+FF58
];

/// GBK's two bytes of U+FFE0–U+FFE7 (the full-width signs `￠￡￢￣￤￥`), `[0, 0]` for those
/// GBK lacks.
#[rustfmt::skip]
const FULL_WIDTH_SIGNS: [[u8; 2]; 8] = [
    [0xA1, 0xE9], [0xA1, 0xEA], [0xA9, 0x56], [0xA3, 0xFE], [0xA9, 0x57], [0xA3, 0xA4], [0x00, 0x00], [0x00, 0x00], // U+FFE0
];

/// Appends `text` in GBK to `out`; false (with `out` partly written) if a character has no
/// GBK bytes. Equal to `encoding_rs::GBK.encode` without replacement, and without its
/// allocation.
pub(super) fn encode(text: &str, out: &mut Vec<u8>) -> bool {
    encode_as::<false>(text.as_bytes(), out)
}

/// [`encode`] for a run the printer must advance one column a byte: `bytes` (a range of a
/// frame's text) is appended in GBK, and true returned, only if it is whole characters each
/// printable ASCII (`' '..='~'`) or encoded in two bytes; then no character is a control
/// character, and the bytes written are the columns the printer advances (the columns
/// `checks::Scan` counts: one an ASCII character, two any other). False for anything else (a
/// control character, `€`'s one byte, a character GBK lacks, a range that cuts a character),
/// with `out` partly written.
#[inline(always)]
pub(super) fn encode_printable(bytes: &[u8], out: &mut Vec<u8>) -> bool {
    encode_as::<true>(bytes, out)
}

/// [`encode`] (`PRINTABLE` false: `bytes` is a `str`'s) and [`encode_printable`]: ASCII
/// copied a stretch at a time, a three-byte character from the tables, any other character
/// (or one the tables lack) through [`encode_other`].
#[inline(always)]
fn encode_as<const PRINTABLE: bool>(bytes: &[u8], out: &mut Vec<u8>) -> bool {
    // GBK is never longer than UTF-8 for what it encodes (one byte for one, at most two for
    // two or three; four-byte characters are unmappable).
    out.reserve(bytes.len());
    let mut rest = bytes;
    loop {
        match *rest {
            [] => return true,
            [lead, ..] if lead < 0x80 => {
                // The stretch up to the first byte that is not ASCII (or, printable, not
                // printable ASCII: then it must not be ASCII).
                let n = if PRINTABLE {
                    rest.iter().position(|&b| b.wrapping_sub(0x20) >= 0x5f)
                } else {
                    rest.iter().position(|&b| b >= 0x80)
                }
                .unwrap_or(rest.len());
                let (ascii, tail) = rest.split_at(n);
                if PRINTABLE && tail.first().is_some_and(|&b| b < 0x80) {
                    return false;
                }
                out.extend_from_slice(ascii);
                rest = tail;
                continue;
            }
            [lead, b1, b2, ref tail @ ..] if lead & 0xF0 == 0xE0 => {
                let cp =
                    u32::from(lead & 0x0F) << 12 | u32::from(b1 & 0x3F) << 6 | u32::from(b2 & 0x3F);
                if let Some(pair) = from_tables(cp) {
                    out.extend_from_slice(&pair);
                    rest = tail;
                    continue;
                }
            }
            _ => {}
        }
        match encode_other::<PRINTABLE>(rest, out) {
            Some(tail) => rest = tail,
            None => return false,
        }
    }
}

/// The first character of `bytes` (a three-byte one the tables lack, or any of another
/// length) encoded by `encoding_rs::GBK` on its own and appended to `out`; the bytes after it,
/// or `None` if it is unmappable (or, with `PRINTABLE`, not two bytes; or `bytes` does not
/// start with a whole character).
#[cold]
fn encode_other<'b, const PRINTABLE: bool>(bytes: &'b [u8], out: &mut Vec<u8>) -> Option<&'b [u8]> {
    let len = match bytes.first()? {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        // A continuation byte: a range that starts inside a character.
        _ => return None,
    };
    let char = std::str::from_utf8(bytes.get(..len)?).ok()?;
    let mut encoder = encoding_rs::GBK.new_encoder();
    let mut buf = [0u8; 8];
    let (result, _, written) = encoder.encode_from_utf8_without_replacement(char, &mut buf, true);
    if result != encoding_rs::EncoderResult::InputEmpty || PRINTABLE && written != 2 {
        return None;
    }
    out.extend_from_slice(&buf[..written]);
    bytes.get(len..)
}

/// GBK's two bytes of `cp` when one of the tables holds them.
#[inline(always)]
fn from_tables(cp: u32) -> Option<[u8; 2]> {
    let pair = match cp {
        0x4E00..=0x9FA5 => {
            let at = 2 * (cp - 0x4E00) as usize;
            return Some([HANZI[at], HANZI[at + 1]]);
        }
        0x3000..=0x303F => SYMBOLS[(cp - 0x3000) as usize],
        0xFF00..=0xFF5F => FULL_WIDTH[(cp - 0xFF00) as usize],
        0xFFE0..=0xFFE7 => FULL_WIDTH_SIGNS[(cp - 0xFFE0) as usize],
        _ => return None,
    };
    (pair != [0, 0]).then_some(pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `encoding_rs::GBK`'s bytes of `text`, `None` where it has an unmappable character.
    fn reference(text: &str) -> Option<Vec<u8>> {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
        (!unmappable).then(|| bytes.into_owned())
    }

    fn ours(text: &str) -> Option<Vec<u8>> {
        let mut out = b"x".to_vec();
        encode(text, &mut out).then(|| out[1..].to_vec())
    }

    fn printable(bytes: &[u8]) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        encode_printable(bytes, &mut out).then_some(out)
    }

    #[test]
    fn every_character_encodes_as_encoding_rs_does() {
        let bmp = (0..=0xFFFF).filter_map(char::from_u32);
        let astral = (0x1_0000..=0x10_FFFF)
            .step_by(97)
            .filter_map(char::from_u32);
        for c in bmp.chain(astral).chain(['😀', '\u{10FFFF}', '\u{20000}']) {
            let text = c.to_string();
            let want = reference(&text);
            assert_eq!(ours(&text), want, "U+{:04X}", c as u32);
            // Printable: printable ASCII or two bytes, exactly those of `encode`.
            let two = want.as_ref().is_some_and(|b| b.len() == 2);
            let ok = (' '..='~').contains(&c) || two;
            assert_eq!(
                printable(text.as_bytes()),
                want.filter(|_| ok),
                "U+{:04X}",
                c as u32
            );
            if ok {
                assert!(!c.is_control());
                let columns = if c.is_ascii() { 1 } else { 2 };
                assert_eq!(printable(text.as_bytes()).map(|b| b.len()), Some(columns));
            }
        }
    }

    #[test]
    fn a_range_that_cuts_a_character_is_refused() {
        let text = "a码，b".as_bytes();
        for start in 0..text.len() {
            for end in start..=text.len() {
                let whole = std::str::from_utf8(&text[start..end]).ok();
                assert_eq!(
                    printable(&text[start..end]),
                    whole.and_then(reference),
                    "{start}..{end}"
                );
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn texts_encode_as_encoding_rs_does(
            text in "[a-z 0-9.\\u{0}-\\u{1f}\\u{7f}-\\u{a0}·×—“”€中码，（）￥、。\\u{3000}-\\u{303f}\\u{ff00}-\\u{ffef}\\u{e000}-\\u{e010}한😀]{0,24}"
        ) {
            let want = reference(&text);
            proptest::prop_assert_eq!(ours(&text), want.clone());
            let ok = text.chars().all(|c| {
                (' '..='~').contains(&c) || reference(&c.to_string()).is_some_and(|b| b.len() == 2)
            });
            proptest::prop_assert_eq!(printable(text.as_bytes()), want.filter(|_| ok));
        }
    }
}
