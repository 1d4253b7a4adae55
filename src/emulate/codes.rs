//! Code data checked the way the printers state their limits (shared by the Feieyun, Xpyun and
//! ESC/POS emulators; limits come from the model record, which users can correct).

use crate::backend::Model;

use super::ProblemKind;
use super::grid::Sheet;

/// Checks Code 128 data: every character `ok`, at most `max` of them.
pub(crate) fn code128(
    sheet: &mut Sheet,
    model: &Model,
    data: &str,
    (ok, what): (fn(char) -> bool, &str),
    max: usize,
    span: (usize, usize),
) {
    if data.is_empty() {
        sheet.problem(
            ProblemKind::BadCode,
            "an empty barcode: the printer prints nothing".into(),
            span.0,
            span.1,
        );
    } else if let Some(c) = data.chars().find(|c| !ok(*c)) {
        sheet.problem(
            ProblemKind::BadCode,
            format!("this barcode takes {what}, not {c:?}"),
            span.0,
            span.1,
        );
    } else if data.chars().count() > max {
        sheet.problem(
            ProblemKind::CodeTooLong,
            format!(
                "barcode data is {} characters; the {} takes at most {max}",
                data.chars().count(),
                model.name
            ),
            span.0,
            span.1,
        );
    }
}

/// Checks Code 128 C digits against the model's odd and even limits.
pub(crate) fn code128c(sheet: &mut Sheet, model: &Model, data: &str, span: (usize, usize)) {
    let (odd, even) = model
        .codes
        .code128c
        .map_or((0, 0), |c| (c.max_odd, c.max_even));
    let max = usize::from(if data.len() % 2 == 1 { odd } else { even });
    if data.is_empty() || !data.bytes().all(|b| b.is_ascii_digit()) {
        sheet.problem(
            ProblemKind::BadCode,
            "Code 128 C takes digits only".into(),
            span.0,
            span.1,
        );
    } else if data.len() > max {
        sheet.problem(
            ProblemKind::CodeTooLong,
            format!(
                "Code 128 C data is {} digits; the {} takes at most {max} at that parity",
                data.len(),
                model.name
            ),
            span.0,
            span.1,
        );
    }
}

/// Checks QR data of `bytes` bytes (counted as the dialect counts them, `unit`).
pub(crate) fn qr(sheet: &mut Sheet, model: &Model, bytes: usize, unit: &str, span: (usize, usize)) {
    let max = model.codes.qr.map_or(0, |q| usize::from(q.max_bytes));
    if bytes == 0 {
        sheet.problem(
            ProblemKind::BadCode,
            "an empty QR code: the printer prints nothing".into(),
            span.0,
            span.1,
        );
    } else if bytes > max {
        sheet.problem(
            ProblemKind::CodeTooLong,
            format!(
                "QR data is {bytes} bytes; the {} takes at most {max} ({unit})",
                model.name
            ),
            span.0,
            span.1,
        );
    }
}
