//! Checks every dialect makes before emitting anything, each failure an error at a template
//! span: a frame run re-measured by the printer's rule ([`Scan`], [`check_dots`]), and code limits
//! ([`check`]): a dialect says how its printer counts QR bytes, which characters its Code 128
//! takes and which code kinds it has a tag or command for; the record says which the model
//! prints and their lengths.

use crate::backend::Model;
use crate::document::{CodeKind, Style};
use crate::error::{Error, ErrorKind};
use crate::frame::{CodeItem, Frame, Item, Placed, PlacedText};
use crate::measure::{DOTS_PER_COLUMN, Encoding, encoded_columns};
use crate::span::Span;

/// Dots a run's text takes at its style, as the printer advances for it under `encoding`.
#[cfg(test)]
pub(crate) fn run_dots(text: &str, style: Style, encoding: Encoding) -> u32 {
    Scan::of(text, []).dots(style, encoding)
}

/// What one pass over a run's bytes finds: how many characters are ASCII and how many are not
/// (the dots, [`Scan::dots`]), and whether any byte may start something a dialect refuses
/// ([`Scan::special`]). A dialect then runs its exact check only on the rare runs flagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Scan {
    ascii: u32,
    other: u32,
    /// Whether a byte is one of the scan's specials or may be part of a control character: a
    /// C0 control, DEL, or `0xC2` (the lead byte of the C1 controls U+0080–U+009F, and of
    /// other Latin-1 characters: a flag, not a verdict).
    pub special: bool,
}

const LANES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// Whether some byte of `v` is zero (exact: the borrow of `v - 0x01…` only passes into a byte
/// above a zero one).
fn has_zero(v: u64) -> bool {
    v.wrapping_sub(LANES) & !v & HIGH != 0
}

/// The last `n` bytes of `bytes` (`0 < n < 8`, `n == bytes.len() % 8`) in the low bytes of a
/// word, the rest zero, read in a constant number of loads rather than byte by byte: the last
/// eight bytes shifted down when there are eight, else two overlapping 4-byte reads or three
/// single bytes (overlapping bytes are the same bytes, so OR-ing them changes nothing).
#[inline(always)]
fn tail(bytes: &[u8], n: usize) -> u64 {
    let len = bytes.len();
    let u32_at = |i: usize| {
        u64::from(u32::from_le_bytes(
            bytes[i..i + 4].try_into().unwrap_or([0; 4]),
        ))
    };
    if len >= 8 {
        let last = u64::from_le_bytes(bytes[len - 8..].try_into().unwrap_or([0; 8]));
        last >> (8 * (8 - n))
    } else if n >= 4 {
        u32_at(0) | u32_at(n - 4) << (8 * (n - 4))
    } else {
        u64::from(bytes[0])
            | u64::from(bytes[n / 2]) << (8 * (n / 2))
            | u64::from(bytes[n - 1]) << (8 * (n - 1))
    }
}

/// How many bytes of `v` have their high bit set.
fn high_bits(v: u64) -> u32 {
    (((v & HIGH) >> 7).wrapping_mul(LANES) >> 56) as u32
}

impl Scan {
    /// Scans `text`, eight bytes at a time (a 64-bit word per step, the last one read by
    /// [`tail`] and padded with `a`, which no caller lists as special and which has no high
    /// bit).
    #[inline]
    pub(crate) fn of<const N: usize>(text: &str, specials: [u8; N]) -> Scan {
        Scan::read::<N, true>(text, specials)
    }

    /// [`Scan::of`] without the specials: the counts for [`Scan::dots`] only (`special` is
    /// false), for text known to hold no special byte.
    #[inline]
    pub(crate) fn counts(text: &str) -> Scan {
        Scan::read::<0, false>(text, [])
    }

    #[inline(always)]
    fn read<const N: usize, const FLAG: bool>(text: &str, specials: [u8; N]) -> Scan {
        const PAD: u8 = b'a';
        debug_assert!(!specials.contains(&PAD));
        let bytes = text.as_bytes();
        let (mut high, mut leads, mut special) = (0u32, 0u32, false);
        let mut word = |w: u64| {
            high += high_bits(w);
            // A lead byte of a multi-byte character is `11xxxxxx`: bit 6 moved onto bit 7.
            leads += high_bits(w & (w << 1));
            if !FLAG {
                return;
            }
            // A byte below 0x20 (exact as a whole, as in `has_zero`), DEL, 0xC2, a special.
            let mut hit = w.wrapping_sub(LANES * 0x20) & !w & HIGH != 0;
            hit |= has_zero(w ^ (LANES * 0x7f)) | has_zero(w ^ (LANES * 0xc2));
            for c in specials {
                hit |= has_zero(w ^ (LANES * u64::from(c)));
            }
            special |= hit;
        };
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            word(u64::from_le_bytes(w.try_into().unwrap_or([PAD; 8])));
        }
        let n = words.remainder().len();
        if n > 0 {
            word(tail(bytes, n) | (LANES * u64::from(PAD)) << (8 * n));
        }
        Scan {
            // The padding has no high bit, so it is not in `high`.
            ascii: bytes.len() as u32 - high,
            other: leads,
            special,
        }
    }

    /// Dots the scanned text takes at `style` under `encoding`: on GBK a character advances
    /// one column when it is ASCII and two otherwise ([`encoded_columns`]), so the sum over
    /// characters is the ASCII bytes times the dots of one column plus the other characters
    /// (their lead bytes) times the dots of two; the scales are exact on 12 and 24 dots
    /// (×1.33: 16 and 32), so nothing is lost by multiplying once. `run_dots_by_char` (the
    /// per-character sum) checks this in the tests.
    pub(crate) fn dots(self, style: Style, encoding: Encoding) -> u32 {
        match encoding {
            Encoding::Gbk => {
                let one = style
                    .width
                    .dots(DOTS_PER_COLUMN * encoded_columns('a', encoding));
                let two = style
                    .width
                    .dots(DOTS_PER_COLUMN * encoded_columns('中', encoding));
                self.ascii * one + self.other * two
            }
        }
    }

    /// How many bytes of `text` (the text scanned) continue a character: its bytes less its
    /// characters (each ASCII or starts with a lead byte).
    pub(crate) fn continuing(self, text: &str) -> usize {
        text.len() - (self.ascii + self.other) as usize
    }

    /// The sum of [`encoded_columns`] over the scanned characters (as for [`Scan::dots`]).
    pub(crate) fn columns(self, encoding: Encoding) -> u32 {
        match encoding {
            Encoding::Gbk => {
                self.ascii * encoded_columns('a', encoding)
                    + self.other * encoded_columns('中', encoding)
            }
        }
    }
}

/// [`run_dots`] character by character: the definition, for the tests.
/// Whether `text` holds one of the ASCII bytes `specials` or a control character (what
/// `text.chars().any(|c| specials.contains(c) || c.is_control())` says), read from the bytes: in
/// UTF-8 the ASCII characters are the bytes below 0x80 (the C0 controls, DEL), and the C1
/// controls U+0080–U+009F are 0xC2 followed by 0x80–0x9F.
///
/// One pass over the bytes, with no early exit within 64 bytes, so that it runs many bytes per
/// step: a byte is a hit by itself, or as `0xC2` before a byte below `0xA0`; the last byte has
/// no pair and is tested by itself. A block of 64 is first tested a byte at a time, `0xC2`
/// flagged whatever follows it (one test a byte, no second load for the byte after), and only
/// a block so flagged is tested pair by pair: every hit is flagged, so the answer is the same,
/// and a block is tested twice only where it holds a control, a special or a character from
/// U+0080 to U+00BF (`¥`, `·`), which are rare in a receipt's text.
///
/// On x86-64 it runs compiled for AVX2 where the processor has it (checked at run time, once
/// and then cached by the standard library): the same code, 32 bytes a step instead of 16. The
/// frame's and the document's whole texts are read so once a render: ~90 instructions of an
/// item row's ~2,900 on SSE2, ~40 on AVX2.
pub(crate) fn any_control_or<const N: usize>(text: &str, specials: [u8; N]) -> bool {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: `any_control_or_avx2` needs nothing but AVX2, which this processor has
        // (checked just above).
        return unsafe { any_control_or_avx2(text, specials) };
    }
    scan_control_or(text, specials)
}

/// [`scan_control_or`] compiled for AVX2: call it only where the processor has AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn any_control_or_avx2<const N: usize>(text: &str, specials: [u8; N]) -> bool {
    scan_control_or(text, specials)
}

/// The pass of [`any_control_or`], inlined where it is compiled (for the baseline processor,
/// or for AVX2).
#[inline(always)]
fn scan_control_or<const N: usize>(text: &str, specials: [u8; N]) -> bool {
    let bytes = text.as_bytes();
    let Some((&last, _)) = bytes.split_last() else {
        return false;
    };
    let ascii = |b: u8| {
        let mut hit = (b < 0x20) | (b == 0x7f);
        for s in specials {
            hit |= b == s;
        }
        hit
    };
    let pair = |b: u8, next: u8| ascii(b) | (b == 0xc2) & (next < 0xa0);
    let flagged = |b: u8| ascii(b) | (b == 0xc2);
    let (firsts, seconds) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    // Blocks of 64 pairs as fixed-size arrays (so the loop has a constant length), then the
    // pairs left.
    let mut at = 0;
    while at + 64 <= firsts.len() {
        let a: &[u8; 64] = firsts[at..at + 64].try_into().unwrap_or(&[0; 64]);
        let mut maybe = false;
        for &b in a {
            maybe |= flagged(b);
        }
        if maybe {
            let b: &[u8; 64] = seconds[at..at + 64].try_into().unwrap_or(&[0; 64]);
            let mut hit = false;
            for k in 0..64 {
                hit |= pair(a[k], b[k]);
            }
            if hit {
                return true;
            }
        }
        at += 64;
    }
    (firsts[at..].iter().zip(&seconds[at..])).any(|(&b, &next)| pair(b, next)) || ascii(last)
}

#[cfg(test)]
pub(crate) fn run_dots_by_char(text: &str, style: Style, encoding: Encoding) -> u32 {
    text.chars()
        .map(|c| {
            style
                .width
                .dots(DOTS_PER_COLUMN * encoded_columns(c, encoding))
        })
        .sum()
}

/// What [`Document::for_each_text`](crate::document::Document::for_each_text) hands its `rule` callback, without visiting the runs: each
/// rule's character, in block order.
pub(crate) fn rules(doc: &mut crate::document::Document, mut rule: impl FnMut(&mut char)) {
    for block in &mut doc.blocks {
        if let crate::document::Block::Rule(r) = block {
            rule(&mut r.ch);
        }
    }
}

/// `n` spaces, copied from a constant of 32 in whole chunks: the last chunk is copied whole
/// too (a copy of a constant length, done in place of a call to `memcpy`) and what it wrote
/// past `n` taken back (spaces are ASCII: any length is a character boundary).
#[inline]
pub(crate) fn push_spaces(out: &mut String, n: usize) {
    const SPACES: &str = "                                ";
    let mut left = n;
    while left > SPACES.len() {
        out.push_str(SPACES);
        left -= SPACES.len();
    }
    let end = out.len() + left;
    out.push_str(SPACES);
    out.truncate(end);
}

/// Writes the runs of a line whose runs are all plain and whose texts follow each other in the
/// frame's text (layout copies a table row's text once, so an item row is such a line): the
/// padding before each run (normal spaces: plain text advances by whole columns) and its text.
/// The line's text is scanned once, as one text, instead of run by run, and copied in as few
/// pieces as it has gaps: runs that meet (no padding between them, as `x` and `2` in an item
/// row's `x2`) are written with one copy of their text, which is the same bytes as the runs'
/// texts one after the other. Returns where the last run ends and how many of the bytes written
/// continue a character; `None`, with nothing written, for any line it is not sure of (the
/// caller lowers it run by run, which finds the same error, at the same run, as before).
///
/// What it checks before it accepts a line, in every build:
///
/// - every run is plain and its text starts where the run before's ends in the frame's text,
///   and ends at or after where it starts (so the runs' texts, in order, are the line's text);
///   the text is cut only where padding goes, and only at a character's start (`str::get`;
///   where two runs meet, the bytes are copied as the frame's text holds them);
/// - the line's text holds no byte that may start an unsafe sequence or a control character
///   ([`Scan::special`] with `specials` over the whole text; always false in a `clean` frame,
///   whose text was looked at once for them): so no run holds an unsafe sequence, and no two
///   runs meet to form one (the line holds none of the bytes that start one);
/// - each run starts at or after where the run before ends (no overlap), and the last ends on
///   the paper (none past it: they are in column order);
/// - the runs' widths add up to the columns the printer's measure gives the line's text
///   ([`Scan::columns`]): a run laid out wider or narrower than its text is caught. Not
///   caught: two runs of one line wrong by opposite amounts, whose text between then prints
///   a column off, but within the paper and without overlap (the printer writes the runs one
///   after the other, and the line ends where measured). The per-run re-measure stays in the
///   per-run paths and in the tests' references, which the tests compare this with.
#[inline]
pub(crate) fn plain_text_runs<const N: usize>(
    frame: &Frame,
    runs: &[Placed],
    clean: bool,
    specials: [u8; N],
    out: &mut String,
) -> Option<(u16, usize)> {
    let (first, last) = (runs.first()?, runs.last()?);
    let start = first.text_range().start;
    let text = frame.all_text().get(start..last.text_range().end)?;
    let scan = if clean {
        Scan::counts(text)
    } else {
        Scan::of(text, specials)
    };
    if scan.special {
        return None;
    }
    let written = out.len();
    // `at`: where the next run's text starts in the frame's text; `copied`: how much of `text`
    // is written (up to the last gap).
    let (mut cursor, mut widths, mut at, mut copied) = (0u32, 0u32, start, 0usize);
    for placed in runs {
        let range = placed.text_range();
        let col = u32::from(placed.col);
        let follows = placed.style.is_plain() && range.start == at && range.end >= at;
        if !(follows && col >= cursor) {
            out.truncate(written);
            return None;
        }
        if col > cursor {
            // The text up to this run, then its padding. (`at` only grows from `start`.)
            let Some(before) = text.get(copied..at - start) else {
                out.truncate(written);
                return None;
            };
            out.push_str(before);
            push_spaces(out, (col - cursor) as usize);
            copied = at - start;
        }
        at = range.end;
        cursor = col + u32::from(placed.width);
        widths += u32::from(placed.width);
    }
    if cursor > u32::from(frame.columns) || widths != scan.columns(frame.encoding) {
        out.truncate(written);
        return None;
    }
    // The last run ends where `text` does; `copied` is a character's start (cut there above).
    out.push_str(text.get(copied..).unwrap_or_default());
    Some((cursor as u16, scan.continuing(text)))
}

/// [`check_dots`] for a run of the frame itself ([`Placed`]: its text is not needed).
#[inline]
pub(crate) fn check_run(
    placed: &Placed,
    dots: u32,
    cursor: u16,
    columns: u16,
) -> Result<u32, Error> {
    dots_fit(
        (placed.col, placed.width, || placed.span),
        dots,
        cursor,
        columns,
    )
}

/// [`check_run`] for a run at normal width, from the columns its text takes
/// ([`Scan::columns`]): its dots are 12 a column, so their `ceil(dots / 12)` is the columns.
#[inline]
pub(crate) fn check_run_columns(
    placed: &Placed,
    measured: u32,
    cursor: u16,
    columns: u16,
) -> Result<(), Error> {
    fits(
        (placed.col, placed.width),
        measured,
        cursor,
        columns,
        || placed.span,
    )
}

/// The check of [`check_dots`], [`check_run`] and [`check_run_columns`]: a run at `col`,
/// `width` columns wide, `measured` columns by the printer's measure, starts at or after
/// `cursor`, ends on the `columns`-column paper and is as wide as measured. The run's span is
/// read only for the error (`span`), not loaded for every run.
#[inline(always)]
fn fits(
    (col, width): (u16, u16),
    measured: u32,
    cursor: u16,
    columns: u16,
    span: impl FnOnce() -> Span,
) -> Result<(), Error> {
    let end = col.checked_add(width);
    if col < cursor || end.is_none_or(|e| e > columns) || u32::from(width) != measured {
        return Err(run_misfit(col, width, measured, columns, cursor, span()));
    }
    Ok(())
}

/// The error of [`fits`].
#[cold]
fn run_misfit(col: u16, width: u16, measured: u32, columns: u16, cursor: u16, span: Span) -> Error {
    Error::new(
        ErrorKind::Layout,
        format!(
            "frame run at column {col} ({width} columns, {measured} by the printer's measure) \
             does not fit a {columns}-column line after column {cursor}"
        ),
    )
    .at(span)
}

/// Checks that a frame run, re-measured the printer's way (its `dots`, from its [`Scan`]),
/// starts at or after `cursor` and ends on the paper; returns the dots. A frame laid out with
/// another width policy cannot lie.
#[inline]
pub(crate) fn check_dots(
    placed: &PlacedText<'_>,
    dots: u32,
    cursor: u16,
    columns: u16,
) -> Result<u32, Error> {
    dots_fit(
        (placed.col, placed.width, || placed.span),
        dots,
        cursor,
        columns,
    )
}

/// The body of [`check_dots`] and [`check_run`]: a run at `col`, `width` columns wide, whose
/// text takes `dots`, fits ([`fits`], in whole columns); returns the dots.
#[inline(always)]
fn dots_fit(
    (col, width, span): (u16, u16, impl FnOnce() -> Span),
    dots: u32,
    cursor: u16,
    columns: u16,
) -> Result<u32, Error> {
    fits(
        (col, width),
        dots.div_ceil(DOTS_PER_COLUMN),
        cursor,
        columns,
        span,
    )?;
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

/// What a dialect writes around a frame's text, per run, line and code, for [`capacity`].
pub(crate) struct Overhead {
    /// Bytes per run beyond its text: style switches or tags.
    pub run: usize,
    /// Bytes per line beyond its runs and padding: the line break.
    pub line: usize,
    /// Bytes of a code: its data times this…
    pub code_per_byte: usize,
    /// …plus this (commands or tags).
    pub code: usize,
    /// Bytes once per job: control or closing tags.
    pub job: usize,
}

/// An estimate of a job's length, so that a dialect writes it into one buffer: the frame's text
/// (GBK is at most as long as UTF-8 for the characters a frame holds) with the dialect's
/// [`Overhead`] per run, the padding before each line's last run, and the codes. Only a
/// capacity: a low estimate costs a reallocation. The text and the runs are counted from the
/// frame's buffers (their lengths), not run by run: the same sum when the buffers hold only the
/// items' runs, a larger one when they hold more (a frame a split lends from).
pub(crate) fn capacity(frame: &Frame, o: &Overhead) -> usize {
    let (text, runs) = frame.buffer_sizes();
    let items: usize = (frame.items().iter())
        .map(|item| match item {
            Item::Line(line) => usize::from(frame.runs(line).last().map_or(0, |r| r.col)) + o.line,
            Item::Code(code) => o.code_per_byte * code.data.len() + o.code,
        })
        .sum();
    text + runs * o.run + items + o.job
}

/// Room past a content limit for the item that passes it (the lowering stops after it) and
/// the closing tags: more than a line or a code of any built-in model writes.
const PAST_LIMIT: usize = 4096;

/// A [`capacity`] `estimate` held to what a lowering that stops where the content passes
/// `model`'s limit can write (a split lowers all that is left of a long receipt to find where
/// its next job ends, and the estimate is of all of it): before that item the content has at
/// most the limit's characters, each at most 3 bytes (every character a frame holds is on the
/// printer's encoding, in the BMP; code data that is not only makes the buffer grow), or the
/// limit's bytes, then [`PAST_LIMIT`]. Only a capacity, as the estimate is: the content is
/// the same, and a buffer sized to what it can hold is no larger than it must be.
pub(crate) fn capacity_within(estimate: usize, model: &Model) -> usize {
    estimate.min(limit_room(model))
}

/// The bound [`capacity_within`] holds an estimate to.
fn limit_room(model: &Model) -> usize {
    let limits = model.limits;
    let chars = (limits.max_content_chars as usize).saturating_mul(3);
    let bound = (limits.max_content_bytes).map_or(chars, |b| chars.min(b as usize));
    bound.saturating_add(PAST_LIMIT)
}

/// `capacity_within(capacity(frame, o) + extra, model)`, without the walk over the items
/// when the buffers' part of [`capacity`] already reaches the bound (the items only add to
/// it): a split's trial lowers what is left of a long receipt, whose items it would walk
/// each time.
pub(crate) fn capacity_for(frame: &Frame, o: &Overhead, extra: usize, model: &Model) -> usize {
    let room = limit_room(model);
    let (text, runs) = frame.buffer_sizes();
    let buffers = (text.saturating_add(runs.saturating_mul(o.run)))
        .saturating_add(o.job)
        .saturating_add(extra);
    if buffers >= room {
        return room;
    }
    capacity_within(capacity(frame, o) + extra, model)
}

/// [`capacity`] run by run: what it estimates on a frame whose buffers hold only its items.
#[cfg(test)]
pub(crate) fn capacity_by_run(frame: &Frame, o: &Overhead) -> usize {
    let items: usize = (frame.items().iter())
        .map(|item| match item {
            Item::Line(line) => {
                let runs = frame.runs(line);
                let text: usize = runs.iter().map(|r| frame.text(r).len() + o.run).sum();
                text + usize::from(runs.last().map_or(0, |r| r.col)) + o.line
            }
            Item::Code(code) => o.code_per_byte * code.data.len() + o.code,
        })
        .sum();
    items + o.job
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn any_control_or_reads_the_characters_from_the_bytes(
            text in "[a·¥中<&\\u{a0}-\\u{17f}]{0,20}[<>@\\u{0}-\\u{1f}\\u{7f}-\\u{9f}]?[a·¥中\\u{a0}-\\u{17f}]{0,20}",
            pad in 0..140usize,
        ) {
            // (Padded, so that the hit or the `¥` that is not one falls anywhere in a block of
            // 64 or past the last, at either end of a block too.)
            let text = format!("{}{text}", "a".repeat(pad));
            let by_char = |specials: &[char]| {
                text.chars().any(|c| specials.contains(&c) || c.is_control())
            };
            proptest::prop_assert_eq!(any_control_or(&text, []), by_char(&[]));
            proptest::prop_assert_eq!(
                any_control_or(&text, [b'<', b'>', b'@']),
                by_char(&['<', '>', '@'])
            );
            // the pass compiled for the baseline processor says the same as the one chosen
            // at run time (AVX2, where the processor has it)
            proptest::prop_assert_eq!(scan_control_or(&text, []), by_char(&[]));
            proptest::prop_assert_eq!(
                scan_control_or(&text, [b'<', b'>', b'@']),
                by_char(&['<', '>', '@'])
            );
        }
    }
    use crate::document::Scale;

    /// [`Scan::special`] by its definition, byte by byte.
    fn special_by_byte(text: &str, specials: &[u8]) -> bool {
        text.bytes()
            .any(|b| b < 0x20 || b == 0x7f || b == 0xc2 || specials.contains(&b))
    }

    proptest::proptest! {
        #[test]
        fn the_scan_flags_exactly_the_special_bytes(
            text in "[a-z @<>&\\u{0}-\\u{1f}\\u{7f}-\\u{ff}中，😀]{0,40}"
        ) {
            proptest::prop_assert_eq!(Scan::of(&text, []).special, special_by_byte(&text, &[]));
            let counts = Scan { special: false, ..Scan::of(&text, [b'<']) };
            proptest::prop_assert_eq!(Scan::counts(&text), counts);
            let columns: u32 = text.chars().map(|c| encoded_columns(c, Encoding::Gbk)).sum();
            proptest::prop_assert_eq!(Scan::of(&text, []).columns(Encoding::Gbk), columns);
            let s = [b'<', b'>', b'@'];
            proptest::prop_assert_eq!(Scan::of(&text, s).special, special_by_byte(&text, &s));
        }

        #[test]
        fn run_dots_by_bytes_is_the_sum_over_characters(
            text in "[a-z @<\\u{80}-\\u{ff}中文，（）😀\\u{2014}]{0,30}",
            bold: bool,
            width in 0..3usize,
        ) {
            let width = [Scale::X1, Scale::X4_3, Scale::X2][width];
            for height in [Scale::X1, Scale::X4_3, Scale::X2] {
                let style = Style { bold, width, height };
                proptest::prop_assert_eq!(
                    run_dots(&text, style, Encoding::Gbk),
                    run_dots_by_char(&text, style, Encoding::Gbk)
                );
            }
        }
    }

    #[test]
    fn capacity_from_the_buffers_is_the_sum_over_runs() {
        use crate::document::{Align, JobSettings, Origin};
        use crate::frame::{CodeItem, LineKind};
        use crate::span::Span;
        let run = |col, text| PlacedText {
            col,
            width: 4,
            text,
            style: Style::PLAIN,
            origin: Origin::Data,
            span: Span::default(),
        };
        let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
        frame.push_line(
            LineKind::Text,
            Align::Left,
            Span::default(),
            [run(0, "合计"), run(26, "¥88.50")],
        );
        frame.push_line(LineKind::Blank, Align::Left, Span::default(), []);
        frame.push_code(CodeItem {
            kind: CodeKind::Qr,
            data: "https://x".into(),
            origin: Origin::Data,
            span: Span::default(),
        });
        frame.push_line(LineKind::Text, Align::Left, Span::default(), [run(3, "ab")]);
        let o = Overhead {
            run: 16,
            line: 1,
            code_per_byte: 2,
            code: 12,
            job: 5,
        };
        assert_eq!(capacity(&frame, &o), capacity_by_run(&frame, &o));
        // Held to a limit, with or without the walk over the items: the same.
        let catalogue = crate::backend::Catalogue::builtin();
        let mut model = catalogue.resolve("k4").unwrap().clone();
        let whole = capacity(&frame, &o);
        for chars in 0..(whole as u32 + 8) {
            for bytes in [None, Some(chars), Some(chars / 2)] {
                model.limits.max_content_chars = chars;
                model.limits.max_content_bytes = bytes;
                for extra in [0, 1, 7, 5000] {
                    assert_eq!(
                        capacity_for(&frame, &o, extra, &model),
                        capacity_within(whole + extra, &model),
                        "{chars} {bytes:?} {extra}"
                    );
                }
            }
        }
    }
}
