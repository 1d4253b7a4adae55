//! Checks every dialect makes before emitting anything, each failure an error at a template
//! span: a frame run re-measured by the printer's rule ([`check_run`]), and code limits
//! ([`check`]): a dialect says how its printer counts QR bytes, which characters its Code 128
//! takes and which code kinds it has a tag or command for; the record says which the model
//! prints and their lengths.

use crate::backend::Model;
use crate::document::{CodeKind, Style};
use crate::error::{Error, ErrorKind};
use crate::frame::{CodeItem, Placed};
use crate::measure::{DOTS_PER_COLUMN, Encoding, encoded_columns};

/// Dots a run's text takes at its style, as the printer advances for it under `encoding`.
pub(crate) fn run_dots(text: &str, style: Style, encoding: Encoding) -> u32 {
    text.chars()
        .map(|c| {
            style
                .width
                .dots(DOTS_PER_COLUMN * encoded_columns(c, encoding))
        })
        .sum()
}

/// Re-measures a frame run the printer's way and checks it starts at or after `cursor` and ends
/// on the paper; returns its dots. A frame laid out with another width policy cannot lie.
pub(crate) fn check_run(
    placed: &Placed,
    cursor: u16,
    columns: u16,
    encoding: Encoding,
) -> Result<u32, Error> {
    let dots = run_dots(&placed.text, placed.style, encoding);
    let measured = dots.div_ceil(DOTS_PER_COLUMN);
    let end = placed.col.checked_add(placed.width);
    if placed.col < cursor || end.is_none_or(|e| e > columns) || u32::from(placed.width) != measured
    {
        return Err(Error::new(
            ErrorKind::Layout,
            format!(
                "frame run at column {} ({} columns, {} by the printer's measure) does not fit \
                 a {}-column line after column {}",
                placed.col, placed.width, measured, columns, cursor
            ),
        )
        .at(placed.span));
    }
    Ok(dots)
}

/// How one dialect checks codes.
pub(crate) struct CodeRules<'a> {
    /// Bytes of QR data as the printer counts them (and what "a Chinese character" costs).
    pub qr_bytes: fn(&str) -> usize,
    /// How the QR count is described (`a Chinese character counts 2`).
    pub qr_unit: &'static str,
    /// Which characters the Code 128 instruction takes, and how to say so.
    pub code128_chars: fn(char) -> bool,
    /// `printable ASCII only`, `digits and letters only`.
    pub code128_what: &'static str,
    /// The code kinds the dialect has an instruction for.
    pub kinds: &'a [CodeKind],
}

/// Checks `item` against `model` under `rules`.
pub(crate) fn check(item: &CodeItem, model: &Model, rules: &CodeRules<'_>) -> Result<(), Error> {
    let err = |msg: String| Error::new(ErrorKind::Model, msg).at(item.span);
    let lacks = |what: &str| {
        err(format!("the {} cannot print {what}", model.name))
            .with_hint("choose another code kind or another model")
    };
    let data = item.data.as_str();
    if item.kind != CodeKind::Logo {
        if data.is_empty() {
            return Err(err("code data is empty".into()));
        }
        if let Some(c) = data
            .chars()
            .find(|c| matches!(c, '<' | '>') || c.is_control())
        {
            return Err(err(format!(
                "code data contains {c:?}, which the printer could read as an instruction"
            )));
        }
    }
    let has = rules.kinds.contains(&item.kind);
    match item.kind {
        CodeKind::Qr => {
            let caps = model
                .codes
                .qr
                .filter(|_| has)
                .ok_or_else(|| lacks("QR codes"))?;
            let bytes = (rules.qr_bytes)(data);
            if bytes > usize::from(caps.max_bytes) {
                return Err(err(format!(
                    "QR data is {bytes} bytes; the {} takes at most {} ({})",
                    model.name, caps.max_bytes, rules.qr_unit
                ))
                .with_hint("use a short link"));
            }
        }
        CodeKind::Ean13 => {
            if !(has && model.codes.ean13) {
                return Err(lacks("EAN-13 barcodes"));
            }
            crate::backend::yilianyun::check_ean13(data).map_err(err)?;
        }
        CodeKind::Code128 => {
            let caps = model
                .codes
                .code128
                .filter(|_| has)
                .ok_or_else(|| lacks("Code 128 barcodes"))?;
            if let Some(c) = data.chars().find(|c| !(rules.code128_chars)(*c)) {
                return Err(err(format!(
                    "Code 128 takes {} only, not {c:?}",
                    rules.code128_what
                )));
            }
            let n = data.chars().count();
            if n > usize::from(caps.max_len) {
                return Err(err(format!(
                    "Code 128 data is {n} characters; the {} takes at most {}",
                    model.name, caps.max_len
                )));
            }
        }
        CodeKind::Code128C => {
            let caps = model
                .codes
                .code128c
                .filter(|_| has)
                .ok_or_else(|| lacks("Code 128 C barcodes"))?;
            if !data.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("Code 128 C takes digits only".into()));
            }
            let n = data.len();
            let max = if n % 2 == 1 {
                caps.max_odd
            } else {
                caps.max_even
            };
            if n > usize::from(max) {
                return Err(err(format!(
                    "Code 128 C data is {n} digits; the {} takes at most {} ({} length)",
                    model.name,
                    max,
                    if n % 2 == 1 { "odd" } else { "even" }
                )));
            }
        }
        CodeKind::Logo => {
            if !(has && model.codes.logo.is_some()) {
                return Err(lacks("the stored logo"));
            }
        }
    }
    Ok(())
}

/// Printable ASCII (Code 128 set B).
pub(crate) fn printable_ascii(c: char) -> bool {
    (' '..='~').contains(&c)
}
