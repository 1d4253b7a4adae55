//! Code data rules that hold on every printer (the model's own limits — lengths, which kinds it
//! has — are the dialect's, checked when lowering): EAN-13 is 13 digits with a correct check
//! digit (12 digits get theirs computed), Code 128 (B) takes printable ASCII, Code 128 C digits.
//! Checked at compile time for data written in the template, and at bind time for data.

use crate::document::CodeKind;

/// The EAN-13 check digit of 12 digits.
pub(crate) fn ean13_check_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 1 } else { 3 })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

/// `data` as printed: 12 EAN-13 digits get their check digit appended; anything else as is.
pub(crate) fn complete(kind: CodeKind, data: String) -> String {
    if kind == CodeKind::Ean13 && data.len() == 12 && data.bytes().all(|b| b.is_ascii_digit()) {
        let digits: Vec<u8> = data.bytes().map(|b| b - b'0').collect();
        let check = ean13_check_digit(&digits);
        format!("{data}{check}")
    } else {
        data
    }
}

/// What is wrong with `data` for `kind` on any printer: `(message, hint, byte offset of the
/// first character at fault)`.
pub(crate) fn problem(kind: CodeKind, data: &str) -> Option<(String, String, usize)> {
    match kind {
        CodeKind::Ean13 => {
            if let Some((at, c)) = data.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
                return Some((
                    format!("EAN-13 takes digits only, not {c:?}"),
                    "an EAN-13 is 12 digits (the check digit is added) or 13 digits".into(),
                    at,
                ));
            }
            if data.len() != 12 && data.len() != 13 {
                return Some((
                    format!("EAN-13 takes 12 or 13 digits, not {}", data.len()),
                    "an EAN-13 is 12 digits (the check digit is added) or 13 digits".into(),
                    0,
                ));
            }
            let digits: Vec<u8> = data.bytes().map(|b| b - b'0').collect();
            if digits.len() == 13 {
                let check = ean13_check_digit(&digits[..12]);
                if digits[12] != check {
                    return Some((
                        format!("the EAN-13 check digit of {data} should be {check}"),
                        format!(
                            "write {}{check}, or only the first 12 digits to have it computed",
                            &data[..12]
                        ),
                        12,
                    ));
                }
            }
            None
        }
        CodeKind::Code128 => data
            .char_indices()
            .find(|(_, c)| !(' '..='~').contains(c))
            .map(|(at, c)| {
                (
                    format!("Code 128 takes printable ASCII only, not {c:?}"),
                    "use `![qr](…)` for other characters".into(),
                    at,
                )
            }),
        CodeKind::Code128C => {
            data.char_indices()
                .find(|(_, c)| !c.is_ascii_digit())
                .map(|(at, c)| {
                    (
                        format!("Code 128 C takes digits only, not {c:?}"),
                        "use `![code128](…)` for letters".into(),
                        at,
                    )
                })
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_digits_get_their_check_digit() {
        // 6901234567892 is a well-known valid EAN-13
        assert_eq!(
            complete(CodeKind::Ean13, "690123456789".into()),
            "6901234567892"
        );
        assert_eq!(problem(CodeKind::Ean13, "6901234567892"), None);
        assert_eq!(
            complete(CodeKind::Code128C, "690123456789".into()),
            "690123456789"
        );
    }

    #[test]
    fn bad_data_is_named_with_where_it_goes_wrong() {
        let (m, _, at) = problem(CodeKind::Ean13, "69012345678A2").unwrap();
        assert_eq!((m.as_str(), at), ("EAN-13 takes digits only, not 'A'", 11));
        let (m, _, at) = problem(CodeKind::Ean13, "6901234567891").unwrap();
        assert_eq!(
            (m.as_str(), at),
            ("the EAN-13 check digit of 6901234567891 should be 2", 12)
        );
        assert!(problem(CodeKind::Ean13, "123").is_some());
        assert!(problem(CodeKind::Code128, "café").is_some());
        assert!(problem(CodeKind::Code128C, "12a4").is_some());
        assert_eq!(problem(CodeKind::Code128, "ABC-123"), None);
    }
}
