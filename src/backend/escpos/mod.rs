//! The ESC/POS dialect for local and LAN printers: a [`Frame`] to bytes.
//!
//! Commands (`shared/spec/other-dialects.md`, each cross-checked in a manual or a common
//! library's table):
//!
//! | what | bytes |
//! |---|---|
//! | start of the job | `ESC @` (initialise), `FS &` (Chinese mode: GBK double bytes) |
//! | text | GBK bytes (our tables for the common characters, `encoding_rs` for the rest); every line ends with `LF` |
//! | size | `GS ! n`, width factor − 1 in bits 4–7, height in bits 0–3 (×1 and ×2 only) |
//! | bold | `ESC E 1` / `ESC E 0` |
//! | QR | `ESC a 1`, `GS ( k` model 2, module size 6, error level M, store (fn 80), print (fn 81), `ESC a 0` |
//! | barcodes | `ESC a 1`, `GS h 80`, `GS w 2`, `GS H 2`, `GS k 73 n {B…` (Code 128, `{C` for digit pairs), `GS k 67 12 …` (EAN-13), `ESC a 0` |
//! | cut | `ESC d 4` (feed past the cutter), `GS V 0` (full) or `GS V 1` (partial, for `half`/`partial`) |
//! | cash drawer | `ESC p 0 25 250` (pin 2, 50 ms on, 500 ms off) after the last line, for `drawer: open` |
//!
//! Decisions:
//! - **prepare**: control characters in text (line breaks, `ESC`, `GS`, NUL…) become spaces, so no
//!   data byte below `0x20` is ever sent; GBK's double bytes are all `≥ 0x40`, so encoded text
//!   cannot form a command either. `<`, `>`, `@` mean nothing to the printer and are kept.
//! - **Alignment** is padding with spaces at normal size (`ESC a` is only used around codes,
//!   which the printer centres); sizes and bold are switched only when they change.
//! - A line ends with `LF` even when full (`full_line_wraps = false`, assumed: an ESC/POS printer
//!   prints a full buffer when the next character arrives, so `LF` after a full line feeds once).
//! - **QR data** is sent as UTF-8 (what phones decode) and limited per model in bytes (Epson-class
//!   firmware takes 7089, the HPRT HM-E200 1017: the generic records take 1017). A code prints on
//!   lines of its own and leaves the head at the start of a line: no `LF` after it.
//! - **Copies**: ESC/POS has no copies command, so the job's bytes are repeated `copies` times
//!   (each copy starts with `ESC @` and ends with its cut); [`JobSummary::copies`](crate::printer::JobSummary::copies) reports them.
//! - `voice:`, `volume:`, `reminder:` and a `cut:` on a model without a cutter are skipped with
//!   a warning.
//! - Every run, size, bold and code is checked against the model as it is written. In debug
//!   builds and tests an independent pass ([`verify`]) re-reads the bytes: only the commands
//!   above, valid GBK, no line past the paper; bytes it refuses that the lowering passed are a
//!   bug (a panic there).

mod gbk;
mod verify;

use crate::backend::Model;
use crate::backend::checks::{self, CodeRules, Overhead, Scan, check, check_dots, printable_ascii};
use crate::backend::tags::job_settings;
use crate::document::{CodeKind, Cut, Document, Scale, Style, Texts};
use crate::error::{Error, ErrorKind, Warning, WarningKind};
use crate::frame::{CodeItem, Frame, Item, Line, Placed};
use crate::printer::{Dialect, Lowered, Output, RenderOptions};

pub use verify::verify;

const ESC: u8 = 0x1b;
const GS: u8 = 0x1d;
const FS: u8 = 0x1c;
const LF: u8 = 0x0a;

/// The ESC/POS dialect: bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct Escpos;

impl Dialect for Escpos {
    fn name(&self) -> &'static str {
        "escpos"
    }

    fn prepare(&self, doc: &mut Document, _: &Model) -> Vec<Warning> {
        neutralise_document(doc)
    }

    fn lower(&self, frame: &Frame, model: &Model, _: RenderOptions) -> Result<Lowered, Error> {
        lower(frame, model)
    }
}

/// Replaces control characters (line breaks, `ESC`, `GS`, NUL…) in every text of `doc` with
/// spaces (CR LF as one). Returns a warning for each run changed.
pub fn neutralise_document(doc: &mut Document) -> Vec<Warning> {
    neutralise(doc, true)
}

/// [`neutralise_document`]; with `fast`, first one look at all the document's text. Fast path:
/// a run is rewritten only if it holds a control character; every run's text is part of
/// [`Document::all_text`], so when that holds none, no run changes and only the rules are
/// visited.
fn neutralise(doc: &mut Document, fast: bool) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let clean = fast && !checks::any_control_or(doc.all_text(), []);
    let rule = |ch: &mut char| {
        if ch.is_control() {
            *ch = '-';
        }
    };
    if clean {
        // No run changes: only the rules' characters are visited, in the same order.
        checks::rules(doc, rule);
        return warnings;
    }
    let mut fix = |texts: &mut Texts<'_>| {
        for i in 0..texts.len() {
            // The byte scan flags every control character (and a few others): the exact
            // test only then.
            let text = texts.text(i);
            if Scan::of(text, []).special && text.chars().any(char::is_control) {
                texts.rewrite(i, write_neutralised);
                warnings.push(Warning::new(
                    WarningKind::ReplacedChar,
                    "line breaks and control characters printed as spaces",
                    texts.runs()[i].span,
                ));
            }
        }
    };
    doc.for_each_text(&mut fix, rule);
    warnings
}

/// A text with control characters replaced by spaces (CR LF as one space).
pub fn neutralise_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    write_neutralised(text, &mut out);
    out
}

/// [`neutralise_text`] of `text`, appended to `out`.
fn write_neutralised(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Lowers `frame` to ESC/POS bytes for `model`, or fails at the template span of the first
/// thing the model cannot print.
pub fn lower(frame: &Frame, model: &Model) -> Result<Lowered, Error> {
    let mut warnings = Vec::new();
    let settings = job_settings(frame, model, true, true, &mut warnings)?;
    // Codes first: nothing is emitted for a receipt whose codes the model cannot print.
    for item in frame.items() {
        if let Item::Code(c) = item {
            check_code(c, model)?;
        }
    }
    let mut one = Vec::with_capacity(checks::capacity(frame, &OVERHEAD));
    one.extend([ESC, b'@', FS, b'&']);
    for item in frame.items() {
        match item {
            Item::Line(line) => lower_line(line, frame, model, &mut one)?,
            Item::Code(c) => code(c, &mut one),
        }
    }
    if settings.drawer {
        // Pin 2, 50 ms on, 500 ms off.
        one.extend([ESC, b'p', 0, 25, 250]);
    }
    match settings.cut {
        Some(Cut::Full) => one.extend([ESC, b'd', 4, GS, b'V', 0]),
        Some(Cut::Half | Cut::Partial) => one.extend([ESC, b'd', 4, GS, b'V', 1]),
        _ => {}
    }
    let copies = settings.copies.unwrap_or(1).max(1);
    let max = model
        .limits
        .max_content_bytes
        .map_or(usize::MAX, |m| m as usize);
    if one.len() * usize::from(copies) > max {
        return Err(Error::new(
            ErrorKind::Model,
            format!(
                "the job is {} bytes; the {} takes at most {max}",
                one.len() * usize::from(copies),
                model.name
            ),
        )
        .with_hint("split the receipt into several jobs"));
    }
    // The independent re-reading, in debug builds and tests (and the fuzz target, built with
    // debug assertions): whatever it refuses, the checks above must have refused first. A
    // release build relies on those checks (each run, size, code and setting is checked as it
    // is written) and does not read the bytes twice.
    if cfg!(any(test, debug_assertions)) {
        if let Err(e) = verify(&one, model, frame.columns) {
            panic!(
                "the ESC/POS lowering's checks passed bytes its verifier refuses ({}): {one:?}",
                e.message()
            );
        }
    }
    let bytes = if copies > 1 {
        one.repeat(usize::from(copies))
    } else {
        one
    };
    Ok(Lowered {
        output: Output::Bytes(bytes),
        warnings,
        settings,
    })
}

/// `GS ! n` for a style, or an error for a scale ESC/POS cannot print (×1.33) or `model`
/// lacks (×2 width or height).
fn size_byte(style: Style, model: &Model, span: crate::span::Span) -> Result<u8, Error> {
    let factor = |s: Scale| match s {
        Scale::X1 => Some(0u8),
        Scale::X2 => Some(1),
        Scale::X4_3 => None,
    };
    let lacks = |what: &str| {
        Error::new(
            ErrorKind::Model,
            format!("the {} cannot print {what}", model.name),
        )
        .at(span)
        .with_hint("lay the frame out with the model's layout options so that styles degrade")
    };
    let (Some(w), Some(h)) = (factor(style.width), factor(style.height)) else {
        return Err(lacks("×1.33"));
    };
    if w == 1 && !model.styles.wide2 {
        return Err(lacks("×2 width"));
    }
    if h == 1 && !model.styles.tall2 {
        return Err(lacks("×2 height"));
    }
    Ok((w << 4) | h)
}

/// Appends one line: a line of plain runs in one step ([`plain_line`]), any other (or one it is
/// not sure of) run by run ([`lower_line_run_by_run`]).
fn lower_line(line: &Line, frame: &Frame, model: &Model, out: &mut Vec<u8>) -> Result<(), Error> {
    if plain_line(frame, frame.runs(line), out) {
        return Ok(());
    }
    lower_line_run_by_run(line, frame, model, out)
}

/// Appends a line whose runs are all plain (an item row), or returns false with nothing
/// written: each run's padding (normal size, as the run-by-run path pads) and its text
/// ([`gbk::encode_printable`]), then `LF`; a plain run switches no size or bold, so that is
/// all the run-by-run path writes for such a line.
///
/// What it checks, in every build, before it accepts the line (else the run-by-run path takes
/// it and finds the same error at the same run): every run is plain, starts at or after where
/// the run before ends, holds only printable ASCII and characters of two GBK bytes (so no
/// control character, nothing GBK lacks), and is exactly as wide as those bytes (the columns
/// the printer advances: what `check_dots` measures); the last run ends on the paper.
fn plain_line(frame: &Frame, runs: &[Placed], out: &mut Vec<u8>) -> bool {
    let text = frame.all_text().as_bytes();
    let written = out.len();
    let mut cursor = 0u32;
    for placed in runs {
        let col = u32::from(placed.col);
        let sound = placed.style.is_plain() && col >= cursor && {
            pad(out, (col - cursor) as usize);
            let start = out.len();
            text.get(placed.text_range())
                .is_some_and(|run| gbk::encode_printable(run, out))
                && out.len() - start == usize::from(placed.width)
        };
        if !sound {
            out.truncate(written);
            return false;
        }
        cursor = col + u32::from(placed.width);
    }
    if cursor > u32::from(frame.columns) {
        out.truncate(written);
        return false;
    }
    out.push(LF);
    true
}

/// `n` spaces (padding, at normal size), in one copy for any gap on the paper.
fn pad(out: &mut Vec<u8>, n: usize) {
    const SPACES: &[u8; 64] = &[b' '; 64];
    let mut left = n;
    while left > 0 {
        let k = left.min(SPACES.len());
        out.extend_from_slice(&SPACES[..k]);
        left -= k;
    }
}

/// Appends one line run by run, each checked against the model as it is written: the
/// general path, and the reference [`plain_line`] must equal.
fn lower_line_run_by_run(
    line: &Line,
    frame: &Frame,
    model: &Model,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let mut cursor = 0u16;
    // The printer's state: size byte and bold; `ESC @` starts at 0/false and every line ends
    // there again, so lines are independent.
    let (mut size, mut bold) = (0u8, false);
    for placed in frame.placed(line) {
        // One pass over the text: its dots, and whether it may hold a control character (the
        // exact test only then).
        let scan = Scan::of(placed.text, []);
        if scan.special && placed.text.chars().any(char::is_control) {
            return Err(Error::new(
                ErrorKind::Model,
                "text contains a control character that the printer could read as a command",
            )
            .at(placed.span)
            .with_hint("run `escpos::neutralise_document` on the document before layout"));
        }
        let dots = scan.dots(placed.style, frame.encoding);
        check_dots(&placed, dots, cursor, frame.columns)?;
        let want_size = size_byte(placed.style, model, placed.span)?;
        let gap = placed.col - cursor;
        if gap > 0 && size != 0 {
            out.extend([GS, b'!', 0]);
            size = 0;
        }
        if gap > 0 && bold {
            out.extend([ESC, b'E', 0]);
            bold = false;
        }
        pad(out, usize::from(gap));
        if want_size != size {
            out.extend([GS, b'!', want_size]);
            size = want_size;
        }
        let want_bold = placed.style.bold && model.styles.bold;
        if want_bold != bold {
            out.extend([ESC, b'E', u8::from(want_bold)]);
            bold = want_bold;
        }
        if !gbk::encode(placed.text, out) {
            return Err(Error::new(
                ErrorKind::Model,
                format!("text {:?} has characters GBK cannot encode", placed.text),
            )
            .at(placed.span)
            .with_hint(
                "lay the frame out for the model's encoding so that stand-ins replace them",
            ));
        }
        cursor = placed.col + placed.width;
    }
    if size != 0 {
        out.extend([GS, b'!', 0]);
    }
    if bold {
        out.extend([ESC, b'E', 0]);
    }
    out.push(LF);
    Ok(())
}

/// How ESC/POS checks codes: QR data is sent as UTF-8; no stored logo.
const RULES: CodeRules<'static> = CodeRules {
    qr_bytes: str::len,
    qr_unit: "UTF-8: a Chinese character counts 3",
    code128_chars: printable_ascii,
    code128_what: "printable ASCII",
    kinds: &[
        CodeKind::Qr,
        CodeKind::Ean13,
        CodeKind::Code128,
        CodeKind::Code128C,
    ],
};

/// Checks one code against the model (everything [`code`] needs).
fn check_code(item: &CodeItem, model: &Model) -> Result<(), Error> {
    check(item, model, &RULES)?;
    // `check` already refuses it (no stored-logo command here).
    if item.kind == CodeKind::Logo {
        return Err(Error::new(
            ErrorKind::Model,
            format!("the {} cannot print the stored logo", model.name),
        )
        .at(item.span));
    }
    Ok(())
}

/// Appends the bytes of one code [`check_code`] passed.
fn code(item: &CodeItem, out: &mut Vec<u8>) {
    let data = item.data.as_str();
    out.extend([ESC, b'a', 1]);
    match item.kind {
        CodeKind::Qr => {
            let len = data.len() + 3;
            out.extend([GS, b'(', b'k', 4, 0, 49, 65, 50, 0]); // model 2
            out.extend([GS, b'(', b'k', 3, 0, 49, 67, 6]); // module size 6 dots
            out.extend([GS, b'(', b'k', 3, 0, 49, 69, 49]); // error correction M
            out.extend([
                GS,
                b'(',
                b'k',
                (len % 256) as u8,
                (len / 256) as u8,
                49,
                80,
                48,
            ]);
            out.extend_from_slice(data.as_bytes());
            out.extend([GS, b'(', b'k', 3, 0, 49, 81, 48]);
        }
        CodeKind::Ean13 => {
            out.extend(barcode_setup());
            out.extend([GS, b'k', 67, 12]);
            out.extend_from_slice(&data.as_bytes()[..12]);
        }
        CodeKind::Code128 => {
            // `{` starts a code-set switch in GS k's Code 128: a literal one is `{{`.
            let body_len = data.len() + data.bytes().filter(|&b| b == b'{').count();
            out.extend(barcode_setup());
            out.extend([GS, b'k', 73, (body_len + 2) as u8, b'{', b'B']);
            for b in data.bytes() {
                if b == b'{' {
                    out.push(b'{');
                }
                out.push(b);
            }
        }
        CodeKind::Code128C => {
            let n = data.len();
            // An odd first digit goes in set B, the rest in pairs in set C.
            let digits = data.as_bytes();
            let (head, rest): (&[u8], &[u8]) = if n % 2 == 1 {
                (&[b'{', b'B', digits[0]], &digits[1..])
            } else {
                (&[], digits)
            };
            let body_len = head.len() + 2 + rest.len() / 2;
            out.extend(barcode_setup());
            out.extend([GS, b'k', 73, body_len as u8]);
            out.extend_from_slice(head);
            out.extend([b'{', b'C']);
            out.extend(rest.chunks(2).map(|p| (p[0] - b'0') * 10 + (p[1] - b'0')));
        }
        // Refused by `check_code`.
        CodeKind::Logo => {}
    }
    out.extend([ESC, b'a', 0]);
}

/// What ESC/POS writes around the text, for the buffer's size: size and bold switches per run,
/// a line feed per line, a code's data (twice: stored, then printed) and its commands, the
/// job's setup and cut.
const OVERHEAD: Overhead = Overhead {
    run: 12,
    line: 1,
    code_per_byte: 2,
    code: 48,
    job: 24,
};

/// Height 80 dots, module 2 dots, human-readable digits below.
fn barcode_setup() -> [u8; 9] {
    [GS, b'h', 80, GS, b'w', 2, GS, b'H', 2]
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::tests::doc_of;

    proptest::proptest! {
        #[test]
        fn the_fast_path_of_neutralise_document_changes_nothing(
            texts in proptest::collection::vec("[<>&#@ a\\r\\n\\u{0}-\\u{1f}\\u{7f}-\\u{a0}·中]{0,6}", 0..6),
            ch in proptest::sample::select(vec!['-', '<', '&', '\u{7}']),
            label in proptest::sample::select(vec!["x", "x<", ""]),
        ) {
            let doc = doc_of(&texts, ch, label);
            let (mut fast, mut slow) = (doc.clone(), doc);
            let w = neutralise(&mut fast, true);
            proptest::prop_assert_eq!(w, neutralise(&mut slow, false));
            proptest::prop_assert_eq!(fast, slow);
        }
    }
    use crate::backend::Catalogue;
    use crate::document::{Align, JobSettings, Origin};
    use crate::frame::{LineKind, PlacedText};
    use crate::measure::Encoding;
    use crate::span::{Span, Spanned};

    fn empty(settings: JobSettings) -> Frame {
        Frame::new(32, Encoding::Gbk, settings)
    }

    /// A frame with `settings` of the items of `parts` (frames of one item each).
    fn frame(parts: Vec<Frame>, settings: JobSettings) -> Frame {
        let mut f = empty(settings);
        for part in &parts {
            f.extend_from(part, 0..part.items().len());
        }
        f
    }

    fn text(col: u16, text: &str, style: Style) -> PlacedText<'_> {
        let scale = if style.width == Scale::X2 { 2 } else { 1 };
        let width = text
            .chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum::<u16>()
            * scale;
        PlacedText {
            col,
            width,
            text,
            style,
            origin: Origin::Data,
            span: Span::new(0, 1, 2),
        }
    }

    fn line(runs: Vec<PlacedText<'_>>) -> Frame {
        let mut f = empty(JobSettings::default());
        f.push_line(LineKind::Text, Align::Left, Span::default(), runs);
        f
    }

    fn code(kind: CodeKind, data: &str) -> Frame {
        let mut f = empty(JobSettings::default());
        f.push_code(CodeItem {
            kind,
            data: data.into(),
            origin: Origin::Data,
            span: Span::new(0, 5, 6),
        });
        f
    }

    fn bytes(items: Vec<Frame>, settings: JobSettings) -> Result<Vec<u8>, Error> {
        let cat = Catalogue::builtin();
        lower(&frame(items, settings), cat.resolve("escpos-58").unwrap())
            .map(|l| l.output.as_bytes().to_vec())
    }

    const BIG_BOLD: Style = Style {
        bold: true,
        width: Scale::X2,
        height: Scale::X2,
    };

    proptest::proptest! {
        #[test]
        fn a_plain_line_in_one_step_equals_run_by_run(
            texts in proptest::collection::vec(
                "[a-z0-9. 中码，（）￥、。€·—한\\u{3000}-\\u{303f}\\u{ff00}-\\u{ffef}\\u{0}-\\u{1f}\\u{7f}-\\u{a0}]{0,6}",
                0..5,
            ),
            gaps in proptest::collection::vec(0..3u16, 5),
            styles in proptest::collection::vec(0..5usize, 5),
            off in proptest::option::of((0..5usize, proptest::bool::ANY)),
            back in proptest::option::of(1..5usize),
        ) {
            let bold = Style { bold: true, ..Style::PLAIN };
            let tall = Style { height: Scale::X2, ..Style::PLAIN };
            let mut f = empty(JobSettings::default());
            let mut col = 0;
            let mut sound = true;
            for (i, t) in texts.iter().enumerate() {
                let style = [Style::PLAIN, Style::PLAIN, Style::PLAIN, bold, tall][styles[i]];
                let mut run = text(col + gaps[i], t, style);
                if back == Some(i) && run.col > 0 {
                    // Overlaps the run before (or, first, starts a column earlier).
                    run.col -= 1;
                    sound &= i == 0;
                }
                if let Some((_, wider)) = off.filter(|&(at, _)| at == i) {
                    if wider {
                        run.width += 1;
                        sound = false;
                    } else if run.width > 0 {
                        run.width -= 1;
                        sound = false;
                    }
                }
                sound &= style == Style::PLAIN
                    && t.chars().all(|c| c.is_ascii_graphic() || c == ' ' || "中码，（）￥、。·—".contains(c));
                col = run.col + run.width;
                f.push_run(run);
            }
            sound &= col <= f.columns;
            f.end_line(LineKind::Text, Align::Left, Span::default());
            let Some(&Item::Line(l)) = f.items().first() else {
                unreachable!()
            };
            let cat = Catalogue::builtin();
            let model = cat.resolve("escpos-58").unwrap();
            let mut fast = b"before".to_vec();
            let hit = plain_line(&f, f.runs(&l), &mut fast);
            let mut reference = b"before".to_vec();
            let r = lower_line_run_by_run(&l, &f, model, &mut reference);
            if hit {
                proptest::prop_assert!(r.is_ok());
                proptest::prop_assert_eq!(&fast, &reference);
            } else {
                proptest::prop_assert_eq!(&fast, b"before");
                proptest::prop_assert!(!sound, "a sound plain line is taken in one step");
            }
            let mut out = b"before".to_vec();
            let shown = |r: Result<(), Error>| r.map_err(|e| (e.message().to_string(), e.span()));
            let r2 = lower_line(&l, &f, model, &mut out);
            proptest::prop_assert_eq!(shown(r2), shown(r));
            proptest::prop_assert_eq!(out, reference);
            // The whole lowering, whose verifier (run in tests) re-reads what it passes. (Not
            // with `€`: GBK's one byte 0x80, which the run-by-run path passes and the verifier
            // refuses; layout never places it, as it is not in the printable set.)
            if !texts.iter().any(|t| t.contains('€')) {
                let _ = lower(&f, model);
            }
        }
    }

    #[test]
    fn sizes_and_bold_switch_only_when_they_change_and_padding_is_normal_size() {
        let out = bytes(
            vec![line(vec![
                text(2, "谢谢", BIG_BOLD),
                text(12, "a", Style::PLAIN),
            ])],
            JobSettings::default(),
        )
        .unwrap();
        let mut want = vec![
            ESC, b'@', FS, b'&', b' ', b' ', GS, b'!', 0x11, ESC, b'E', 1,
        ];
        want.extend_from_slice(&encoding_rs::GBK.encode("谢谢").0);
        want.extend([GS, b'!', 0, ESC, b'E', 0, b' ', b' ', b'a', LF]);
        assert_eq!(out, want);
    }

    #[test]
    fn a_size_the_model_lacks_is_refused_at_its_run_before_any_byte_is_read_again() {
        let cat = Catalogue::builtin();
        for (wide2, tall2, style, what) in [
            (false, true, BIG_BOLD, "×2 width"),
            (true, false, BIG_BOLD, "×2 height"),
            (
                false,
                true,
                Style {
                    height: Scale::X1,
                    ..BIG_BOLD
                },
                "×2 width",
            ),
        ] {
            let mut model = cat.resolve("escpos-58").unwrap().clone();
            model.styles.wide2 = wide2;
            model.styles.tall2 = tall2;
            let f = frame(
                vec![line(vec![text(0, "谢谢", style)])],
                JobSettings::default(),
            );
            let e = lower(&f, &model).unwrap_err();
            assert_eq!(e.span(), Some(Span::new(0, 1, 2)));
            assert_eq!(
                e.message(),
                format!("the {} cannot print {what}", model.name)
            );
        }
        // With both, the same run lowers (and the verifier, run in tests, agrees).
        let f = frame(
            vec![line(vec![text(0, "谢谢", BIG_BOLD)])],
            JobSettings::default(),
        );
        lower(&f, cat.resolve("escpos-58").unwrap()).unwrap();
    }

    #[test]
    fn codes_cut_and_copies() {
        let s = JobSettings {
            copies: Some(Spanned::new(2, Span::default())),
            cut: Some(Spanned::new(Cut::Partial, Span::default())),
            ..JobSettings::default()
        };
        let out = bytes(vec![code(CodeKind::Code128C, "12345")], s).unwrap();
        let one = [
            &[ESC, b'@', FS, b'&', ESC, b'a', 1][..],
            &[GS, b'h', 80, GS, b'w', 2, GS, b'H', 2],
            &[GS, b'k', 73, 7, b'{', b'B', b'1', b'{', b'C', 23, 45],
            &[ESC, b'a', 0, ESC, b'd', 4, GS, b'V', 1],
        ]
        .concat();
        assert_eq!(out, [one.clone(), one].concat());
        let out = bytes(vec![code(CodeKind::Code128, "a{b")], JobSettings::default()).unwrap();
        assert!(out.windows(6).any(|w| w == [GS, b'k', 73, 6, b'{', b'B']));
        assert!(out.windows(4).any(|w| w == b"a{{b"));
    }

    #[test]
    fn limits_fail_at_the_item_and_nothing_is_emitted() {
        let e = bytes(
            vec![code(CodeKind::Qr, &"a".repeat(1018))],
            JobSettings::default(),
        )
        .unwrap_err();
        assert_eq!(e.span(), Some(Span::new(0, 5, 6)));
        assert!(e.message().contains("at most 1017"), "{}", e.message());
        let e = bytes(
            vec![code(CodeKind::Code128, &"A".repeat(15))],
            JobSettings::default(),
        )
        .unwrap_err();
        assert!(e.message().contains("at most 14"));
        let e = bytes(
            vec![line(vec![text(0, "a\u{1b}@", Style::PLAIN)])],
            JobSettings::default(),
        )
        .unwrap_err();
        assert_eq!(e.span(), Some(Span::new(0, 1, 2)));
    }

    #[test]
    fn verify_refuses_what_the_printer_would_misread() {
        let cat = Catalogue::builtin();
        let m = cat.resolve("escpos-58").unwrap();
        let ok = [ESC, b'@', FS, b'&', b'a', LF];
        verify(&ok, m, 32).unwrap();
        for bad in [
            &[ESC, b'@', b'a'][..],
            &[ESC, b'@', FS, b'&', 0x07],
            &[ESC, b'@', FS, b'&', ESC, b'@'],
            &[ESC, b'@', FS, b'&', 0xb0, 0x0a],
            &[ESC, b'@', FS, b'&', GS, b'V', 0, b'x'],
            &[ESC, b'@', FS, b'&', GS, b'!', 0x22],
        ] {
            assert!(verify(bad, m, 32).is_err(), "{bad:?}");
        }
        let long = [&[ESC, b'@', FS, b'&'][..], &[b'a'; 33]].concat();
        assert!(
            verify(&long, m, 32)
                .unwrap_err()
                .message()
                .contains("passes")
        );
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(neutralise_text("a\r\nb\u{1b}@\u{0}<BR>"), "a b @ <BR>");
    }
}
