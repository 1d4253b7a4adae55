//! QR codes, barcodes and the logo, validated against the model before anything is emitted.
//!
//! Decisions:
//! - A code tag stands at the start of a line and is not followed by a newline: the printer
//!   centres codes on lines of their own and cannot put text beside them (spec G7), so a newline
//!   could only add an empty line (spec §6 Q12).
//! - QR data is counted in GBK bytes ([`measure::gbk_bytes`]): ASCII 1, characters of the GBK
//!   double-byte repertoire 2, anything else 4 (GB18030). "192 ASCII or 96 Chinese characters"
//!   is one 192-byte budget. QR data is not made printable (no stand-ins): it is counted as
//!   written.
//! - EAN-13 takes exactly 13 digits with a correct check digit: the firmware's zero padding side
//!   and check digit handling are unknown (spec §6 Q9), so anything else is refused with a hint.
//! - Code 128 C takes digits only (spec §6 Q8), odd length ≤ 25 and even length ≤ 28.
//! - Code data can hold neither `<`/`>` (they could close the code tag or open another) nor
//!   control characters; it is never rewritten, because that would change what a scanner reads.
//! - The logo: only the X1 documents a switch, `<ML>1</ML>`, at the start of the order; the
//!   third-party `<logo>url</logo>` is not used. The printer decides where the logo goes, so a
//!   logo that is not the first item gets a warning.

use crate::backend::Model;
use crate::backend::checks::{CodeRules, check, printable_ascii};
use crate::document::CodeKind;
use crate::error::Error;
use crate::frame::CodeItem;
use crate::measure;

/// What Yilianyun has: every kind, QR counted in GBK bytes, Code 128 set B printable ASCII.
const RULES: CodeRules<'static> = CodeRules {
    qr_bytes: measure::gbk_bytes,
    qr_unit: "a Chinese character counts 2",
    code128_chars: printable_ascii,
    code128_what: "printable ASCII",
    kinds: &[
        CodeKind::Qr,
        CodeKind::Ean13,
        CodeKind::Code128,
        CodeKind::Code128C,
        CodeKind::Logo,
    ],
};

/// Appends the tag text for one code to `out`, nothing for the logo (a control tag, see
/// `settings.rs`).
pub(crate) fn lower_code(item: &CodeItem, model: &Model, out: &mut String) -> Result<(), Error> {
    check(item, model, &RULES)?;
    let tag = match item.kind {
        CodeKind::Qr => "QR",
        CodeKind::Ean13 => "BR",
        CodeKind::Code128 => "BR2",
        CodeKind::Code128C => "BR3",
        _ => return Ok(()),
    };
    for piece in ["<", tag, ">", &item.data, "</", tag, ">"] {
        out.push_str(piece);
    }
    Ok(())
}

pub(crate) fn check_ean13(data: &str) -> Result<(), String> {
    if data.len() != 13 || !data.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("EAN-13 takes exactly 13 digits, not {:?}", data));
    }
    let digits: Vec<u32> = data.bytes().map(|b| u32::from(b - b'0')).collect();
    let sum: u32 = digits[..12]
        .iter()
        .enumerate()
        .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
        .sum();
    let check = (10 - sum % 10) % 10;
    if digits[12] != check {
        return Err(format!("EAN-13 check digit of {data} should be {check}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;
    use crate::backend::Catalogue;
    use crate::document::Origin;
    use crate::span::Span;

    fn code(kind: CodeKind, data: &str, model: &str) -> Result<Option<String>, Error> {
        let item = CodeItem {
            kind,
            data: data.into(),
            origin: Origin::Data,
            span: Span::new(0, 4, 9),
        };
        let mut out = String::new();
        lower_code(
            &item,
            Catalogue::builtin().resolve(model).unwrap(),
            &mut out,
        )?;
        Ok(Some(out).filter(|s| !s.is_empty()))
    }

    fn msg(r: Result<Option<String>, Error>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Model);
        assert_eq!(e.span(), Some(Span::new(0, 4, 9)));
        e.message().to_string()
    }

    #[test]
    fn qr_limit_is_192_gbk_bytes() {
        let ok = "a".repeat(192);
        assert_eq!(
            code(CodeKind::Qr, &ok, "k4").unwrap().unwrap(),
            format!("<QR>{ok}</QR>")
        );
        assert_eq!(
            msg(code(CodeKind::Qr, &"a".repeat(193), "k4")),
            "QR data is 193 bytes; the K4 (old firmware) takes at most 192 (a Chinese character counts 2)"
        );
        assert!(code(CodeKind::Qr, &"码".repeat(96), "k4").is_ok());
        assert!(code(CodeKind::Qr, &"码".repeat(97), "k4").is_err());
        assert_eq!(measure::gbk_bytes("a码😀"), 7);
        // QR data is counted as written (no stand-ins): a BMP character outside GBK is 4 bytes
        assert!(code(CodeKind::Qr, &"한".repeat(48), "k4").is_ok());
        assert_eq!(
            msg(code(CodeKind::Qr, &"한".repeat(49), "k4")),
            "QR data is 196 bytes; the K4 (old firmware) takes at most 192 (a Chinese character counts 2)"
        );
    }

    #[test]
    fn ean13_needs_13_digits_and_its_check_digit() {
        assert_eq!(
            code(CodeKind::Ean13, "6901234567892", "k2s")
                .unwrap()
                .unwrap(),
            "<BR>6901234567892</BR>"
        );
        assert_eq!(
            msg(code(CodeKind::Ean13, "690123456789", "k2s")),
            "EAN-13 takes exactly 13 digits, not \"690123456789\""
        );
        assert_eq!(
            msg(code(CodeKind::Ean13, "6901234567890", "k2s")),
            "EAN-13 check digit of 6901234567890 should be 2"
        );
    }

    #[test]
    fn code128_limits() {
        assert_eq!(
            code(CodeKind::Code128, "AB-12 x", "k4").unwrap().unwrap(),
            "<BR2>AB-12 x</BR2>"
        );
        assert!(msg(code(CodeKind::Code128, &"A".repeat(15), "k4")).contains("at most 14"));
        assert!(msg(code(CodeKind::Code128, "编号1", "k4")).contains("printable ASCII"));
        assert_eq!(
            msg(code(CodeKind::Code128, "A1", "k2s")),
            "the K2S/K3S/M1 (old firmware) cannot print Code 128 barcodes"
        );
        assert!(code(CodeKind::Code128C, &"1".repeat(25), "k4").is_ok());
        assert!(code(CodeKind::Code128C, &"1".repeat(28), "k4").is_ok());
        assert!(msg(code(CodeKind::Code128C, &"1".repeat(27), "k4")).contains("at most 25 (odd"));
        assert!(msg(code(CodeKind::Code128C, &"1".repeat(30), "k4")).contains("at most 28 (even"));
        assert!(msg(code(CodeKind::Code128C, "12A4", "k4")).contains("digits only"));
    }

    #[test]
    fn tag_characters_in_code_data_are_refused() {
        assert!(msg(code(CodeKind::Qr, "x</QR><MN>9</MN>", "k4")).contains("'<'"));
        assert!(msg(code(CodeKind::Qr, "a\nb", "k4")).contains("'\\n'"));
        assert_eq!(msg(code(CodeKind::Qr, "", "k4")), "code data is empty");
    }

    #[test]
    fn logo_only_where_documented() {
        assert_eq!(code(CodeKind::Logo, "", "x1").unwrap(), None);
        assert_eq!(
            msg(code(CodeKind::Logo, "", "k4")),
            "the K4 (old firmware) cannot print the stored logo"
        );
    }
}
