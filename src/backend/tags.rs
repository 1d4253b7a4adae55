//! What the `<TAG>` text dialects other than Yilianyun (Feieyun, Xpyun) share: neutralising data,
//! lowering a frame into padded lines of paired style tags ended by `<BR>`, the job settings
//! those APIs take, and the final pass that re-reads the content.
//!
//! A dialect describes itself with a [`TagSet`] (its tag names and its line-end rule); the
//! capabilities of one model stay data in its [`Model`] record. Decisions common to both:
//!
//! - **Neutralising** (`prepare`): `<` and `>` become `＜` `＞` (neither vendor documents an
//!   escape for receipt text, spec `other-dialects.md`), line breaks and control characters
//!   become spaces. Xpyun's label page decodes `&lt`/`&gt`, so for Xpyun an `&` that starts an
//!   entity that could decode to `<` or `>` (`&lt`, `&gt`, `&#60`, `&amp`) becomes `＆` too. `@` and commas mean nothing to these
//!   printers and are kept. Code data is validated, never rewritten (see [`check_code`]).
//! - **Alignment by padding**: lines are padded with normal-size spaces to the frame's columns;
//!   no alignment tag is ever emitted, so Xpyun's "one alignment per line" holds trivially.
//! - **Line ends**: every frame line ends with `<BR>`, a full line too (the records say
//!   `full_line_wraps = false`, assumed: the vendors' demos end a full 32-column rule with
//!   `<BR>`). Xpyun wants the `<BR>` inside the line's closing tags (`<B>x<BR></B>`).
//! - **Styles**: ×2 only (`<B>` both axes, a height or width tag for one axis), bold outermost;
//!   ×1.33 is not offered, so layout degrades it to bold.
//! - **Codes** stand on lines of their own with no `<BR>` after them (the printer centres them);
//!   QR data is counted in GBK bytes against the record's limit and the per-job count.
//! - **Settings**: copies are the API's copies field (`times` / `copies`), reported in
//!   [`JobSummary::copies`], never a tag. A `cut:`, `voice:`, `volume:` or `reminder:` the model
//!   cannot honour is left out with a warning (it prints nothing less, `language.md` §5).
//! - **Limits** are checked before emitting (an error at the item's span). In debug builds and
//!   tests [`verify`] re-reads the finished content, independently: only the model's tags,
//!   properly nested, QR count, widths within the paper, `<BR>` placement, the byte and
//!   character limits; a content it refuses that the lowering passed is a bug (a panic there).

use std::borrow::Cow;

use crate::backend::Model;
use crate::backend::checks::{self, CodeRules, Overhead, Scan, check, check_dots, push_spaces};
use crate::document::{CodeKind, Cut, Document, Scale, Style, Texts};
use crate::error::{Error, ErrorKind, Warning, WarningKind};
use crate::frame::{CodeItem, Frame, Item, Line};
use crate::measure::{self, DOTS_PER_COLUMN, Encoding, encoded_columns};
use crate::printer::{Carry, JobSummary, Lowered, Output, Passed};
use crate::span::Span;

/// The tags of one text dialect.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TagSet {
    /// The vendor, for messages (`Feieyun`).
    pub vendor: &'static str,
    /// Whether `<BR>` goes before the closing tags that end a line (Xpyun).
    pub br_inside_close: bool,
    /// Whether `&` before an entity-like sequence is neutralised (Xpyun).
    pub entities: bool,
    /// Bold.
    pub bold: &'static str,
    /// ×2 width and height.
    pub both2: &'static str,
    /// ×2 height.
    pub tall2: &'static str,
    /// ×2 width.
    pub wide2: &'static str,
    /// QR code.
    pub qr: &'static str,
    /// Code 128 (set B or whatever the vendor's plain barcode tag is).
    pub code128: &'static str,
    /// Which characters the Code 128 tag takes, and how to say so.
    pub code128_chars: fn(char) -> bool,
    /// `printable ASCII`, `digits and letters`.
    pub code128_what: &'static str,
    /// Code 128 set C (digits), if the vendor has a tag.
    pub code128c: Option<&'static str>,
    /// The paper cut (a single tag at the end), if the vendor has one.
    pub cut: Option<&'static str>,
    /// The stored logo (a single tag where it stands), if the vendor has one.
    pub logo: Option<&'static str>,
    /// The cash drawer kick (a single tag after the last line), if the vendor has one.
    pub drawer: Option<&'static str>,
}

/// The line end of both dialects.
pub(crate) const BR: &str = "<BR>";

// ---------------------------------------------------------------------------------------------
// prepare

/// Rewrites every text run, rule and table cell of `doc`, and the voice text, so that no text
/// can form a tag of `set`. Returns a warning for each run whose line breaks or control
/// characters became spaces.
pub(crate) fn neutralise_document(doc: &mut Document, set: &TagSet) -> Vec<Warning> {
    neutralise(doc, set, true)
}

/// [`neutralise_document`]; with `fast`, first one look at all the document's text. Fast path:
/// a run is rewritten only if [`unsafe_sequence`] finds something in its text. Every run's text
/// is part of [`Document::all_text`], and a text with an unsafe part is unsafe itself (an `&`
/// entity too: what follows an `&` within a run is the start of what follows it in all the
/// text); so when all the text is safe, no run changes and only the rules are visited.
fn neutralise(doc: &mut Document, set: &TagSet, fast: bool) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let entities = set.entities;
    let clean = fast && safe(doc.all_text(), entities);
    let rule = |ch: &mut char| {
        *ch = match *ch {
            '<' => '＜',
            '>' => '＞',
            '&' if entities => '＆',
            c if c.is_control() => '-',
            c => c,
        }
    };
    if clean {
        // No run changes: only the rules' characters are visited, in the same order.
        checks::rules(doc, rule);
    } else {
        doc.for_each_text(|r| runs(r, entities, &mut warnings), rule);
    }
    if let Some(voice) = &mut doc.settings.voice {
        if let Cow::Owned(s) = neutralise_text(&voice.value, entities) {
            voice.value = s;
        }
    }
    warnings
}

fn runs(texts: &mut Texts<'_>, entities: bool, warnings: &mut Vec<Warning>) {
    for i in 0..texts.len() {
        let text = texts.text(i);
        if unsafe_sequence(text, entities).is_some() {
            if text.chars().any(char::is_control) {
                warnings.push(Warning::new(
                    WarningKind::ReplacedChar,
                    "line breaks and control characters printed as spaces",
                    texts.runs()[i].span,
                ));
            }
            texts.rewrite(i, |text, out| write_neutralised(text, entities, out));
        }
    }
}

/// The neutralised form of one text for a `<TAG>` dialect (borrowed when nothing changes):
/// `<` `>` → `＜` `＞`, line breaks and control characters → one space each (CR LF is one), and,
/// with `entities`, an `&` followed by a letter or `#` → `＆`.
pub fn neutralise_text(text: &str, entities: bool) -> Cow<'_, str> {
    if unsafe_sequence(text, entities).is_none() {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    write_neutralised(text, entities, &mut out);
    Cow::Owned(out)
}

/// The neutralised form of `text` (see [`neutralise_text`]), appended to `out`.
fn write_neutralised(text: &str, entities: bool, out: &mut String) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '<' => out.push('＜'),
            '>' => out.push('＞'),
            '&' if entities && starts_entity(&text[i + 1..]) => out.push('＆'),
            '\r' => {
                if chars.peek().map(|p| p.1) == Some('\n') {
                    chars.next();
                }
                out.push(' ');
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Whether the text after an `&` could be decoded into `<` or `>` (`lt`, `gt`, `#60`, `#x3c`, or
/// `amp`, which a second decoding turns into the others), case-insensitively.
fn starts_entity(after: &str) -> bool {
    let head: String = after
        .chars()
        .take(3)
        .collect::<String>()
        .to_ascii_lowercase();
    head.starts_with("lt") || head.starts_with("gt") || head.starts_with('#') || head == "amp"
}

/// The bytes besides control characters that can start an unsafe sequence, for a [`Scan`]
/// (`&` only where entities are decoded; otherwise `<` stands in for it, already listed).
fn unsafe_bytes(entities: bool) -> [u8; 3] {
    [b'<', b'>', if entities { b'&' } else { b'<' }]
}

/// Why a text is unsafe to send in a `<TAG>` dialect, if it is.
pub(crate) fn unsafe_sequence(text: &str, entities: bool) -> Option<&'static str> {
    // Fast path: every sequence below starts with a byte a scan flags (`<`, `>`, `&` with
    // entities, or one of a control character's), so text without any of them is safe.
    if !Scan::of(text, unsafe_bytes(entities)).special {
        return None;
    }
    first_unsafe(text, entities)
}

/// Whether no run of `frame` holds `<`, `>`, `&` (with `entities`) or a control character:
/// one look at all of its text, of which every run's text is a part. Then
/// [`unsafe_sequence`] finds nothing in any run (each of its sequences needs one of these).
fn frame_is_clean(frame: &Frame, entities: bool) -> bool {
    !frame.any_control_or(unsafe_bytes(entities))
}

/// `unsafe_sequence(text, entities).is_none()`, with the control characters found from the
/// bytes ([`checks::any_control_or`]) instead of by decoding every character.
fn safe(text: &str, entities: bool) -> bool {
    // Text with none of `<`, `>`, `&` (with entities) and no control character is safe:
    // one pass over the bytes, many per step.
    if !checks::any_control_or(text, unsafe_bytes(entities)) {
        return true;
    }
    !(text.contains(['<', '>'])
        || entities
            && text
                .match_indices('&')
                .any(|(i, _)| starts_entity(&text[i + 1..]))
        || checks::any_control_or(text, []))
}

/// [`unsafe_sequence`] without its fast path.
fn first_unsafe(text: &str, entities: bool) -> Option<&'static str> {
    if text.contains('<') {
        return Some("`<`");
    }
    if text.contains('>') {
        return Some("`>`");
    }
    if entities
        && text
            .match_indices('&')
            .any(|(i, _)| starts_entity(&text[i + 1..]))
    {
        return Some("an `&` entity");
    }
    if text.chars().any(char::is_control) {
        return Some("a line break or control character");
    }
    None
}

// ---------------------------------------------------------------------------------------------
// lower

/// Lowers `frame` to the content of a `<TAG>` dialect, or fails at the template span of the
/// first thing `model` cannot print. Every limit is checked before the content is returned.
pub(crate) fn lower(frame: &Frame, model: &Model, set: &TagSet) -> Result<Lowered, Error> {
    lower_noting(frame, model, set).map_err(|(e, _)| e)
}

/// [`lower`], and on failure the index of the item at which a per-job limit was passed (the
/// content's size, the QR codes per order), when that is why: every frame of this one's items
/// up to that one fails the same way ([`crate::printer::Dialect::lower_noting`]).
pub(crate) fn lower_noting(
    frame: &Frame,
    model: &Model,
    set: &TagSet,
) -> Result<Lowered, (Error, Option<usize>)> {
    lower_marked(frame, model, set, None).map_err(|p| (p.error, p.at))
}

/// [`lower_noting`], and where the content's size passes the limit at item `at`, the first job
/// ([`Passed::first`]): the items before [`job_end`](crate::printer::job_end) as [`lower`]
/// lowers them as a frame of their own. That is the content written up to the job's end with
/// the closing tags, checked as [`lower`] checks a whole frame (the size; in debug builds the
/// re-reading); the run before `at` is checked the same way where it ends elsewhere, so that it
/// fits as the note says.
pub(crate) fn lower_cutting(frame: &Frame, model: &Model, set: &TagSet) -> Result<Lowered, Passed> {
    lower_carrying(frame, model, set, &mut Carry::default())
}

/// [`lower_cutting`] for a split's trial ([`crate::printer::Dialect::lower_carrying`]): what
/// the trial before kept in `carry` ([`Rest`]) is taken instead of lowering those items and
/// walking the codes again, and what this one lowers past the job it cuts is kept for the next.
pub(crate) fn lower_carrying(
    frame: &Frame,
    model: &Model,
    set: &TagSet,
    carry: &mut Carry,
) -> Result<Lowered, Passed> {
    lower_marked(frame, model, set, Some(carry))
}

/// Whether [`lower`] certainly fails on `frame` for the content's size
/// ([`crate::printer::Dialect::passes_a_limit`]): the content holds every run's text, so at
/// least its bytes, and more characters than a quarter of them (a character is at most 4
/// bytes); [`Size::check`] after the last item fails on either, if nothing fails before.
pub(crate) fn passes_a_limit(frame: &Frame, model: &Model) -> bool {
    let limits = model.limits;
    let chars = (limits.max_content_chars as usize).saturating_mul(4);
    frame.run_text_passes(
        limits
            .max_content_bytes
            .map_or(chars, |b| chars.min(b as usize)),
    )
}

/// What [`lower_marked`] kept past the first job it cut, for the next trial of a split
/// ([`Carry`]), whose frame starts at that job's end: the content of the items from there up
/// to the one that passed the limit (maybe none). An item's content depends only on it, the
/// model, the tag set and the frame's text (`clean`, of the whole buffer the split lends), not
/// on the items around it or the settings (a line ends with its own `<BR>`), so it is the same
/// in the next frame; and there it fits, with less before it (the size only grows with the
/// content, and the content before the first of them is empty there). No block boundary is
/// among them but before the first (the job ends at the last one before the limit), and none
/// of them warned (a trial where an item warned keeps nothing). The next frame's codes need no
/// check: they are the last of this one's, which passed (each code on its own, and the QR
/// codes of a part are no more than of the whole).
struct Rest {
    /// The items' content.
    content: String,
    /// The content's length before each of them.
    ends: Vec<usize>,
    /// The items from the job's end to the frame's end: the record is for a frame of these
    /// items (the split offers it only to a frame of the items from the job's end, ending no
    /// later, so one as long ends there too).
    items: usize,
}

/// Checks the codes of `frame`, before anything is emitted: the model prints each one's kind
/// and data, and the QR codes are no more than a job takes (`at`, the QR code that is one too
/// many).
fn check_codes(frame: &Frame, model: &Model, set: &TagSet) -> Result<(), Passed> {
    let mut qrs = 0u16;
    for (i, item) in frame.items().iter().enumerate() {
        let Item::Code(code) = item else {
            continue;
        };
        if code.kind == CodeKind::Qr {
            qrs += 1;
            let max = model.codes.qr.and_then(|q| q.max_per_job);
            if max.is_some_and(|max| qrs > max) {
                return Err(Passed {
                    error: Error::new(
                        ErrorKind::Model,
                        format!(
                            "a {} printer prints at most {} QR code(s) per order; this is QR code {qrs}",
                            set.vendor,
                            max.unwrap_or(0)
                        ),
                    )
                    .at(code.span)
                    .with_hint("print the second code in a job of its own, or use a barcode"),
                    at: Some(i),
                    first: None,
                });
            }
        }
        check_code(code, model, set).map_err(|error| Passed {
            error,
            at: None,
            first: None,
        })?;
    }
    Ok(())
}

/// The template line of an item (a block boundary is where it changes).
fn item_span(item: &Item) -> Span {
    match item {
        Item::Line(line) => line.span,
        Item::Code(code) => code.span,
    }
}

/// [`lower_noting`]; with a `carry` (cutting), [`lower_carrying`].
fn lower_marked(
    frame: &Frame,
    model: &Model,
    set: &TagSet,
    mut carry: Option<&mut Carry>,
) -> Result<Lowered, Passed> {
    let lower = |error: Error| Passed {
        error,
        at: None,
        first: None,
    };
    let cutting = carry.is_some();
    let items = frame.items();
    let rest = (carry.as_deref_mut())
        .and_then(Carry::take::<Rest>)
        .filter(|(_, rest)| rest.items == items.len())
        .map(|(_, rest)| rest);
    let mut warnings = Vec::new();
    let settings = job_settings(
        frame,
        model,
        set.cut.is_some(),
        set.drawer.is_some(),
        &mut warnings,
    )
    .map_err(lower)?;
    // Codes first: nothing is emitted for a receipt whose codes the model cannot print (the
    // trial before checked them where it kept a record: [`Rest`]).
    if rest.is_none() {
        check_codes(frame, model, set)?;
    }
    let capacity = checks::capacity_for(frame, &OVERHEAD, 0, model);
    let mut content = String::with_capacity(capacity);
    let mut size = Size::default();
    let clean = frame_is_clean(frame, set.entities);
    // The content's length before each item, while cutting (for the first job; reserved for
    // as many items as the content's estimate holds, each writing at least a `<BR>` or a
    // code's tags: only a capacity).
    let mut ends: Vec<usize> = Vec::new();
    // The items the trial before lowered, written as they were ([`Rest`]: they fit).
    let mut kept = 0;
    if let (Some(rest), Some(carry)) = (rest, carry.as_deref_mut()) {
        content.push_str(&rest.content);
        ends = rest.ends;
        kept = ends.len();
        carry.took(kept);
    }
    if cutting {
        ends.reserve(items.len().min(capacity / BR.len() + 1));
    }
    let warned = warnings.len();
    // While cutting, the last block boundary so far (an item whose template line differs from
    // the item before's) and the template line of the item before: where the job ends
    // ([`job_end`](crate::printer::job_end), found as the items are written).
    let mut boundary = None;
    let mut last_span = kept.checked_sub(1).map(|k| item_span(&items[k]));
    for (i, item) in items.iter().enumerate().skip(kept) {
        if cutting {
            ends.push(content.len());
        }
        let span = match item {
            Item::Line(line) => {
                if !lower_plain_line(frame, line, set, clean, &mut content) {
                    lower_line(frame, line, model, set, clean, &mut content, &mut warnings)
                        .map_err(lower)?;
                }
                line.span
            }
            Item::Code(code) => {
                write_code(code, set, &mut content);
                code.span
            }
        };
        if cutting {
            if last_span.is_some_and(|last| last != span) {
                boundary = Some(i);
            }
            last_span = Some(span);
        }
        if let Err(error) = size.check(&content, model, span) {
            let first = (cutting && i > 0)
                .then(|| boundary.unwrap_or(i))
                .and_then(|end| {
                    debug_assert_eq!(end, crate::printer::job_end(frame, i), "the job's end");
                    let job = Job {
                        frame,
                        model,
                        set,
                        settings: &settings,
                    };
                    let rest = job.cut(&mut content, &ends, end, i)?;
                    if let (Some(carry), true) = (carry, warnings.len() == warned) {
                        let ends = ends[end..i].iter().map(|e| e - ends[end]).collect();
                        let rest = Rest {
                            content: rest,
                            ends,
                            items: items.len() - end,
                        };
                        carry.put(i - end, rest);
                    }
                    Some(Box::new((
                        end,
                        Lowered {
                            output: Output::Text(content),
                            warnings,
                            settings,
                        },
                    )))
                });
            return Err(Passed {
                error,
                at: Some(i),
                first,
            });
        }
    }
    close(&mut content, &mut size, &settings, model, set, frame).map_err(lower)?;
    Ok(Lowered {
        output: Output::Text(content),
        warnings,
        settings,
    })
}

/// What closes a job cut from a trial's content ([`Job::cut`]).
struct Job<'a> {
    frame: &'a Frame,
    model: &'a Model,
    set: &'a TagSet,
    settings: &'a JobSummary,
}

impl Job<'_> {
    /// Makes `content`, written up to item `at` (`ends`: its length before each item), the
    /// job of the items before `end` (`end <= at`): closed and checked as [`lower`] closes a
    /// frame of its own, when the run before `at` is as well (when it ends elsewhere). Returns
    /// the content of the items from `end` to `at` (for the next trial), or `None` when
    /// either does not close (the content is then of no use).
    fn cut(&self, content: &mut String, ends: &[usize], end: usize, at: usize) -> Option<String> {
        let close = |content: &mut String, to: usize| {
            content.truncate(ends[to]);
            let (frame, model, set) = (self.frame, self.model, self.set);
            close(
                content,
                &mut Size::default(),
                self.settings,
                model,
                set,
                frame,
            )
            .ok()
        };
        // The run before `at` fits (as the note says) when it is the job, or closed on its
        // own.
        if end != at {
            close(content, at)?;
        }
        let rest = content[ends[end]..ends[at]].to_owned();
        close(content, end)?;
        Some(rest)
    }
}

/// Ends the content of every item: the drawer and cut tags the settings ask for, then the
/// size once more, and in debug builds and tests the re-reading of the whole.
fn close(
    content: &mut String,
    size: &mut Size,
    settings: &JobSummary,
    model: &Model,
    set: &TagSet,
    frame: &Frame,
) -> Result<(), Error> {
    if let (true, Some(tag)) = (settings.drawer, set.drawer) {
        push_tag(content, "", tag);
    }
    if let (Some(cut), Some(tag)) = (settings.cut, set.cut) {
        if cut != Cut::None {
            push_tag(content, "", tag);
        }
    }
    size.check(content, model, Span::default())?;
    // The independent re-reading, in debug builds and tests (and the fuzz target, built with
    // debug assertions): whatever it refuses, the checks made while writing must have refused
    // first. A release build relies on those checks (each run's safety and width, each style
    // and code against the model, the QR count, the size above) and does not read it twice.
    if cfg!(any(test, debug_assertions)) {
        if let Err(e) = verify(content, model, set, frame.columns, frame.encoding) {
            panic!(
                "the {} lowering's checks passed content its verifier refuses ({}): {content:?}",
                set.vendor,
                e.message()
            );
        }
    }
    Ok(())
}

/// What the tag dialects write around the text, for the buffer's size: a pair of style tags per
/// run, a `<BR>` per line, a code's tags, the closing tags.
const OVERHEAD: Overhead = Overhead {
    run: 20,
    line: BR.len(),
    code_per_byte: 1,
    code: 24,
    job: 16,
};

/// `<tag>` or `</tag>` (`slash` = `"/"`).
fn push_tag(out: &mut String, slash: &str, tag: &str) {
    out.push('<');
    out.push_str(slash);
    out.push_str(tag);
    out.push('>');
}

/// The content's size, checked item by item. Its characters are counted as it grows (each part
/// once), and only once its bytes pass the character limit: there are never more characters
/// than bytes, so below that the character limit cannot be passed.
#[derive(Default)]
struct Size {
    counted_to: usize,
    chars: usize,
}

impl Size {
    /// The content's size against the record's limits, at the span of the item that passed them.
    /// (Inline, a few compares an item; the error, once a job, is made apart: [`Size::passed`].)
    #[inline]
    fn check(&mut self, content: &str, model: &Model, span: Span) -> Result<(), Error> {
        let bytes = content.len();
        let max_chars = model.limits.max_content_chars as usize;
        let over_bytes = (model.limits.max_content_bytes).is_some_and(|max| bytes > max as usize);
        if over_bytes || bytes > max_chars && self.chars(content) > max_chars {
            return Err(self.passed(content, model, span));
        }
        Ok(())
    }

    /// The error of [`Size::check`] for a content that passed a limit: its bytes when there
    /// are too many, else its characters.
    #[cold]
    #[inline(never)]
    fn passed(&mut self, content: &str, model: &Model, span: Span) -> Error {
        let bytes = content.len();
        let message = match model.limits.max_content_bytes {
            Some(max) if bytes > max as usize => format!(
                "the content passes the limit here: {bytes} bytes; the {} takes at most {max}",
                model.name
            ),
            _ => format!(
                "the content passes the limit here: {} characters; the {} takes at most {}",
                self.chars(content),
                model.name,
                model.limits.max_content_chars
            ),
        };
        Error::new(ErrorKind::Model, message)
            .at(span)
            .with_hint("split the receipt into several jobs")
    }

    /// Characters of `content` (which only grows).
    fn chars(&mut self, content: &str) -> usize {
        self.chars += content[self.counted_to..].chars().count();
        self.counted_to = content.len();
        self.chars
    }
}

/// Checks one code against the model.
pub(crate) fn check_code(item: &CodeItem, model: &Model, set: &TagSet) -> Result<(), Error> {
    let mut kinds = [CodeKind::Qr, CodeKind::Code128, CodeKind::Qr, CodeKind::Qr];
    let mut n = 2;
    for kind in [
        set.code128c.map(|_| CodeKind::Code128C),
        set.logo.map(|_| CodeKind::Logo),
    ]
    .into_iter()
    .flatten()
    {
        kinds[n] = kind;
        n += 1;
    }
    let rules = CodeRules {
        qr_bytes: measure::gbk_bytes,
        qr_unit: "a Chinese character counts 2",
        code128_chars: set.code128_chars,
        code128_what: set.code128_what,
        kinds: &kinds[..n],
    };
    check(item, model, &rules)
}

/// Appends the tag of a code [`check_code`] passed.
fn write_code(item: &CodeItem, set: &TagSet, out: &mut String) {
    let tag = match item.kind {
        CodeKind::Qr => set.qr,
        CodeKind::Code128 => set.code128,
        CodeKind::Code128C => set.code128c.unwrap_or_default(),
        _ => return push_tag(out, "", set.logo.unwrap_or_default()),
    };
    push_tag(out, "", tag);
    out.push_str(&item.data);
    push_tag(out, "/", tag);
}

/// The tags of a style, outermost first: bold, then the size (0 none, 1 `both2`, 2 `tall2`,
/// 3 `wide2` of the [`TagSet`]). Two bytes, so that keeping it while a line is written copies
/// nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct StyleTags {
    bold: bool,
    size: u8,
}

impl StyleTags {
    fn names(self, set: &TagSet) -> impl DoubleEndedIterator<Item = &'static str> {
        let size = match self.size {
            1 => Some(set.both2),
            2 => Some(set.tall2),
            3 => Some(set.wide2),
            _ => None,
        };
        self.bold.then_some(set.bold).into_iter().chain(size)
    }

    /// The plain style's tags: none.
    const PLAIN: StyleTags = StyleTags {
        bold: false,
        size: 0,
    };

    fn write_open(self, set: &TagSet, out: &mut String) {
        // (The plain style names no tag: nothing to write, without walking the names.)
        if self == StyleTags::PLAIN {
            return;
        }
        for name in self.names(set) {
            push_tag(out, "", name);
        }
    }

    fn write_close(self, set: &TagSet, out: &mut String) {
        if self == StyleTags::PLAIN {
            return;
        }
        for name in self.names(set).rev() {
            push_tag(out, "/", name);
        }
    }
}

/// The tags of a style (bold outermost).
fn style_tags(style: Style, model: &Model, span: Span) -> Result<StyleTags, Error> {
    let s = model.styles;
    let lacks = |what: &str| {
        Error::new(
            ErrorKind::Model,
            format!("the {} cannot print {what}", model.name),
        )
        .at(span)
        .with_hint("lay the frame out with the model's layout options so that styles degrade")
    };
    if style.bold && !s.bold {
        return Err(lacks("bold"));
    }
    let size = match (style.width, style.height) {
        (Scale::X1, Scale::X1) => 0,
        (Scale::X2, Scale::X2) if s.wide2 && s.tall2 => 1,
        (Scale::X1, Scale::X2) if s.tall2 => 2,
        (Scale::X2, Scale::X1) if s.wide2 => 3,
        _ => return Err(lacks("a size other than ×1 and ×2")),
    };
    Ok(StyleTags {
        bold: style.bold,
        size,
    })
}

/// [`lower_line`] for a line of plain runs whose texts follow each other (an item row),
/// scanned once ([`checks::plain_text_runs`]: plain runs write no tags, so `<BR>` is all that
/// follows them). False, with nothing written, for any other line or one it is not sure of:
/// then [`lower_line`] lowers it run by run (the tests compare the two).
fn lower_plain_line(
    frame: &Frame,
    line: &Line,
    set: &TagSet,
    clean: bool,
    out: &mut String,
) -> bool {
    let specials = unsafe_bytes(set.entities);
    let plain = checks::plain_text_runs(frame, frame.runs(line), clean, specials, out).is_some();
    if plain {
        out.push_str(BR);
    }
    plain
}

/// Appends one frame line and its `<BR>`, run by run: every run scanned and re-measured on
/// its own. `clean`: the frame's text holds none of the bytes that start an unsafe sequence
/// ([`frame_is_clean`]).
fn lower_line(
    frame: &Frame,
    line: &Line,
    model: &Model,
    set: &TagSet,
    clean: bool,
    out: &mut String,
    warnings: &mut Vec<Warning>,
) -> Result<(), Error> {
    let _ = warnings;
    let (columns, encoding) = (frame.columns, frame.encoding);
    let mut cursor: u16 = 0;
    let mut open: Option<(Style, StyleTags)> = None;
    for placed in frame.placed(line) {
        // One pass over the text: its dots, and whether it needs the exact safety check (not
        // when the whole frame is `clean`: then no run holds a byte that starts an unsafe
        // sequence, and the check would find nothing).
        let scan = if clean {
            Scan::counts(placed.text)
        } else {
            Scan::of(placed.text, unsafe_bytes(set.entities))
        };
        if let Some(what) = scan
            .special
            .then(|| unsafe_sequence(placed.text, set.entities))
            .flatten()
        {
            return Err(Error::new(
                ErrorKind::Model,
                format!("text contains {what} that the printer could read as an instruction"),
            )
            .at(placed.span)
            .with_hint("prepare the document with the dialect before layout"));
        }
        check_dots(&placed, scan.dots(placed.style, encoding), cursor, columns)?;
        let gap = placed.col - cursor;
        match open.take() {
            Some((style, tags)) if gap == 0 && style.same(placed.style) => {
                open = Some((style, tags))
            }
            Some((_, tags)) => tags.write_close(set, out),
            None => {}
        }
        if gap > 0 {
            push_spaces(out, usize::from(gap));
        }
        if open.is_none() {
            let tags = style_tags(placed.style, model, placed.span)?;
            tags.write_open(set, out);
            open = Some((placed.style, tags));
        }
        out.push_str(placed.text);
        cursor = placed.col + placed.width;
    }
    match open {
        Some((_, tags)) if set.br_inside_close => {
            out.push_str(BR);
            tags.write_close(set, out);
        }
        Some((_, tags)) => {
            tags.write_close(set, out);
            out.push_str(BR);
        }
        None => out.push_str(BR),
    }
    Ok(())
}

/// Copies, cut and the sound settings: what the API fields, tags or commands will carry, with a
/// warning for each setting the model cannot honour (`cut_instruction`: whether the dialect can
/// say "cut" at all). Copies are reported in the summary whether or not the model has a copies
/// field: a dialect without one repeats the job.
pub(crate) fn job_settings(
    frame: &Frame,
    model: &Model,
    cut_instruction: bool,
    drawer_instruction: bool,
    warnings: &mut Vec<Warning>,
) -> Result<JobSummary, Error> {
    let s = &frame.settings;
    let mut sum = JobSummary::default();
    if frame.columns > model.paper.max_columns {
        let span = s.paper.as_ref().map_or(Span::default(), |p| p.span);
        return Err(Error::new(
            ErrorKind::Model,
            format!(
                "the paper is {} columns; the {} prints at most {}",
                frame.columns, model.name, model.paper.max_columns
            ),
        )
        .at(span));
    }
    let skip = |what: &str, span: Span, warnings: &mut Vec<Warning>| {
        warnings.push(
            Warning::new(
                WarningKind::Approximated,
                format!("the {} has no {what}; the order prints without it", model.name),
                span,
            )
            .with_hint("guard the setting with `{% if printer.has.… %}`, or pass --deny-warnings to make this an error"),
        );
    };
    if let Some(copies) = &s.copies {
        match model.copies {
            Some(range) if (range.min..=range.max).contains(&copies.value) => {
                sum.copies = Some(copies.value)
            }
            Some(range) => {
                return Err(Error::new(
                    ErrorKind::Model,
                    format!(
                        "{} copies; the {} prints {}–{}",
                        copies.value, model.name, range.min, range.max
                    ),
                )
                .at(copies.span));
            }
            None => sum.copies = Some(copies.value),
        }
    }
    if let Some(cut) = &s.cut {
        if cut.value != Cut::None {
            if model.cut && cut_instruction {
                sum.cut = Some(cut.value);
            } else {
                skip("cutter", cut.span, warnings);
            }
        }
    }
    if let Some(drawer) = &s.drawer {
        if model.drawer && drawer_instruction {
            sum.drawer = true;
        } else {
            skip("cash drawer port", drawer.span, warnings);
        }
    }
    if let Some(rem) = &s.reminder {
        skip("new-order reminder setting", rem.span, warnings);
    }
    if let Some(sound) = &s.sound {
        skip("new-order sound setting", sound.span, warnings);
    }
    if let Some(confirm) = &s.confirm {
        skip("order confirmation", confirm.span, warnings);
    }
    if let Some(voice) = &s.voice {
        skip("voice", voice.span, warnings);
    }
    if let Some(volume) = &s.volume {
        skip("volume setting", volume.span, warnings);
    }
    Ok(sum)
}

// ---------------------------------------------------------------------------------------------
// verify

/// Re-reads a finished content string: every tag is one of `set` that `model` has, pairs nest,
/// codes hold no tag, at most the allowed QR codes, no line is wider than the paper, `<BR>` is
/// placed as the vendor requires, nothing follows the cut, and the size limits hold.
pub(crate) fn verify(
    content: &str,
    model: &Model,
    set: &TagSet,
    columns: u16,
    encoding: Encoding,
) -> Result<(), Error> {
    let bug = |msg: String| {
        Error::new(ErrorKind::Model, msg).with_hint("this is a slipmark bug; please report it")
    };
    let s = model.styles;
    let c = model.codes;
    let known = |name: &str| -> Option<(bool, u32, bool)> {
        // (has, width scale ×1/×2 as 1/2, is a code)
        let row = [
            (set.bold, s.bold, 1, false),
            (set.both2, s.wide2 && s.tall2, 2, false),
            (set.tall2, s.tall2, 1, false),
            (set.wide2, s.wide2, 2, false),
            (set.qr, c.qr.is_some(), 1, true),
            (set.code128, c.code128.is_some(), 1, true),
        ];
        if let Some(r) = row.iter().find(|r| r.0 == name) {
            return Some((r.1, r.2, r.3));
        }
        if Some(name) == set.code128c {
            return Some((c.code128c.is_some(), 1, true));
        }
        None
    };
    let paper = u32::from(columns) * DOTS_PER_COLUMN;
    let mut stack: Vec<&str> = Vec::new();
    // How many tags on the stack are ×2 wide (kept as tags are pushed and popped, instead of
    // looking every open tag up again for each stretch of text).
    let mut wide_open = 0usize;
    let mut x = 0u32;
    let mut qrs = 0u16;
    let mut rest = content;
    let mut after_close = false;
    let mut cut = false;
    while let Some(ch) = rest.chars().next() {
        if cut {
            return Err(bug(format!(
                "content after the cut tag <{}>",
                set.cut.unwrap_or("CUT")
            )));
        }
        if ch != '<' {
            // The text up to the next tag, at one scale (the open tags do not change in it).
            let stop = rest.find('<').unwrap_or(rest.len());
            let (text, after) = rest.split_at(stop);
            let scale = if wide_open > 0 { 2 } else { 1 };
            let scan = Scan::of(text, [b'>']);
            if scan.special {
                // A `>` or a control character may be in it: character by character, so the
                // first problem is the one reported.
                for ch in text.chars() {
                    if ch == '>' || ch.is_control() {
                        return Err(bug(format!("a stray {ch:?} in the content")));
                    }
                    x += scale * DOTS_PER_COLUMN * encoded_columns(ch, encoding);
                    if x > paper {
                        return Err(bug(format!("a line passes the {columns}-column paper")));
                    }
                }
            } else {
                // Nothing to refuse but the width, which only grows: checked once at the end
                // (the same error as character by character).
                x += scale * DOTS_PER_COLUMN * scan.columns(encoding);
                if x > paper {
                    return Err(bug(format!("a line passes the {columns}-column paper")));
                }
            }
            after_close = false;
            rest = after;
            continue;
        }
        let end = rest
            .find('>')
            .ok_or_else(|| bug("an unclosed `<` in the content".into()))?;
        let raw = &rest[1..end];
        rest = &rest[end + 1..];
        if raw == "BR" {
            // Only the `<BR>` that ends a line of text belongs inside its closing tags: after
            // `<B>x<BR></B>` the line has already ended (`x == 0`), and a `<BR>` that follows
            // is a blank line of its own.
            if set.br_inside_close && after_close && x > 0 {
                return Err(bug(format!(
                    "<BR> after a closing tag; {} wants it inside",
                    set.vendor
                )));
            }
            x = 0;
            after_close = false;
            continue;
        }
        if Some(raw) == set.cut && model.cut {
            if !stack.is_empty() {
                return Err(bug("the cut inside a style tag".into()));
            }
            cut = true;
            continue;
        }
        if Some(raw) == set.drawer && model.drawer {
            if !stack.is_empty() || x != 0 {
                return Err(bug("the drawer tag inside a line".into()));
            }
            continue;
        }
        if Some(raw) == set.logo && c.logo.is_some() {
            x = 0;
            continue;
        }
        let (closing, name) = match raw.strip_prefix('/') {
            Some(n) => (true, n),
            None => (false, raw),
        };
        let Some((true, scale, code)) = known(name) else {
            return Err(bug(format!(
                "tag <{raw}> is not one the {} has",
                model.name
            )));
        };
        if closing {
            if stack.pop() != Some(name) {
                return Err(bug(format!(
                    "closing tag </{name}> does not close the open tag"
                )));
            }
            wide_open -= usize::from(scale == 2);
            after_close = true;
            continue;
        }
        after_close = false;
        if code {
            if !stack.is_empty() || x != 0 {
                return Err(bug(format!("code <{name}> not on a line of its own")));
            }
            // The first `</name>` (as `rest.find(&format!("</{name}>"))`, without the string).
            let close_len = name.len() + 3;
            let stop = rest
                .match_indices("</")
                .map(|(i, _)| i)
                .find(|&i| {
                    let after = &rest[i + 2..];
                    after.starts_with(name) && after[name.len()..].starts_with('>')
                })
                .ok_or_else(|| bug(format!("code <{name}> is not closed")))?;
            if rest[..stop].contains(['<', '>']) {
                return Err(bug(format!("a tag inside code <{name}>")));
            }
            if name == set.qr {
                qrs += 1;
                if c.qr.and_then(|q| q.max_per_job).is_some_and(|m| qrs > m) {
                    return Err(bug(format!("{qrs} QR codes in one job")));
                }
            }
            rest = &rest[stop + close_len..];
            continue;
        }
        stack.push(name);
        wide_open += usize::from(scale == 2);
    }
    if let Some(open) = stack.last() {
        return Err(bug(format!("tag <{open}> is not closed")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::document::tests::doc_of;

    proptest::proptest! {
        #[test]
        fn safe_says_what_unsafe_sequence_says(
            text in "[<>&#lgtamp; a\\r\\n\\u{0}-\\u{1f}\\u{7f}-\\u{a0}·¥中]{0,12}",
            entities in proptest::bool::ANY,
        ) {
            proptest::prop_assert_eq!(
                safe(&text, entities),
                unsafe_sequence(&text, entities).is_none()
            );
        }

        #[test]
        fn the_fast_path_of_neutralise_document_changes_nothing(
            texts in proptest::collection::vec("[<>&#@ a\\r\\n\\u{0}-\\u{1f}\\u{7f}-\\u{a0}·中]{0,6}", 0..6),
            ch in proptest::sample::select(vec!['-', '<', '&', '\u{7}']),
            label in proptest::sample::select(vec!["x", "x<", ""]),
            entities in proptest::bool::ANY,
        ) {
            let set = TagSet { entities, ..crate::backend::feieyun::TAGS };
            let doc = doc_of(&texts, ch, label);
            let (mut fast, mut slow) = (doc.clone(), doc);
            let w = neutralise(&mut fast, &set, true);
            proptest::prop_assert_eq!(w, neutralise(&mut slow, &set, false));
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn tags_lines_and_entities_are_rewritten() {
        let cases = [
            ("<BR><CUT>", false, "＜BR＞＜CUT＞"),
            ("a\r\nb\nc", false, "a b c"),
            ("&lt;BR&gt;", true, "＆lt;BR＆gt;"),
            ("&lt;BR&gt;", false, "&lt;BR&gt;"),
            ("a & b, B&B, M&Ms", true, "a & b, B&B, M&Ms"),
            ("&amp;lt; &#60; &GT", true, "＆amp;lt; ＆#60; ＆GT"),
            ("@@2, a", true, "@@2, a"),
        ];
        for (input, entities, want) in cases {
            let out = neutralise_text(input, entities);
            assert_eq!(out, want, "{input:?}");
            assert_eq!(unsafe_sequence(&out, entities), None);
        }
        assert!(matches!(
            neutralise_text("中文 a&b", true),
            Cow::Borrowed(_)
        ));
    }

    fn check(content: &str, model: &str, set: &TagSet) -> Result<(), String> {
        let cat = crate::backend::Catalogue::builtin();
        verify(content, cat.resolve(model).unwrap(), set, 32, Encoding::Gbk)
            .map_err(|e| e.message().to_string())
    }

    #[test]
    fn verify_passes_what_the_lowering_writes_and_refuses_the_rest() {
        use crate::backend::{feieyun, xpyun};
        let (f, x) = (&feieyun::TAGS, &xpyun::TAGS);
        check("<BOLD><B>谢谢</B></BOLD><BR><QR>a</QR>", "feieyun-58", f).unwrap();
        check("<BOLD><B>谢谢<BR></B></BOLD><QR>a</QR>", "xpyun-58", x).unwrap();
        // a blank line after a styled one: its `<BR>` follows the closing tag
        check("<B>大字<BR></B><BR>小<BR>", "xpyun-58", x).unwrap();
        check("a<BR><CUT>", "feieyun-80", f).unwrap();
        let cases = [
            (
                "<B>a</B><BR>",
                "xpyun-58",
                x,
                "<BR> after a closing tag; Xpyun wants it inside",
            ),
            (
                "<QR>a</QR><QR>b</QR>",
                "feieyun-58",
                f,
                "2 QR codes in one job",
            ),
            (
                "a<BR><CUT>",
                "feieyun-58",
                f,
                "tag <CUT> is not one the Feieyun 58 mm has",
            ),
            ("<CUT>a", "feieyun-80", f, "content after the cut tag <CUT>"),
            (
                "<B>a</BOLD>",
                "feieyun-58",
                f,
                "closing tag </BOLD> does not close the open tag",
            ),
            ("<B>a", "feieyun-58", f, "tag <B> is not closed"),
            (
                "a<QR>b</QR>",
                "feieyun-58",
                f,
                "code <QR> not on a line of its own",
            ),
            (
                "<HB>a</HB>",
                "feieyun-58",
                f,
                "tag <HB> is not one the Feieyun 58 mm has",
            ),
            ("a>b", "feieyun-58", f, "a stray '>' in the content"),
        ];
        for (content, model, set, want) in cases {
            assert_eq!(check(content, model, set).unwrap_err(), want, "{content}");
        }
        let wide = format!("<B>{}</B>", "a".repeat(17));
        assert_eq!(
            check(&wide, "feieyun-58", f).unwrap_err(),
            "a line passes the 32-column paper"
        );
    }

    proptest::proptest! {
        /// A line of a clean frame lowers the same with the per-run safety scans skipped as
        /// with them, errors included.
        #[test]
        fn a_clean_frame_lowers_the_same_without_the_run_scans(
            texts in proptest::collection::vec("[a-z &中文，¥·\u{a0}-\u{17f}]{0,9}", 1..5),
            big in proptest::collection::vec(proptest::bool::ANY, 5),
            gaps in proptest::collection::vec(0..3u16, 5),
            off_by_one in proptest::option::of(0..5usize),
            entities: bool,
        ) {
            use crate::document::{Align, JobSettings, Origin};
            use crate::frame::{LineKind, PlacedText};
            let two = Style { bold: true, width: Scale::X2, height: Scale::X2 };
            let mut col = 0;
            let runs: Vec<_> = texts.iter().enumerate().map(|(i, text)| {
                let style = if big[i] { two } else { Style::PLAIN };
                let dots = Scan::of(text, []).dots(style, Encoding::Gbk);
                let width = dots.div_ceil(DOTS_PER_COLUMN) as u16
                    + u16::from(off_by_one == Some(i));
                let p = PlacedText {
                    col: col + gaps[i], width, text, style,
                    origin: Origin::Data, span: Span::default(),
                };
                col = p.col + p.width;
                p
            }).collect();
            proptest::prop_assume!(col <= 32);
            let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
            frame.push_line(LineKind::Text, Align::Left, Span::default(), runs);
            let Some(&Item::Line(line)) = frame.items().first() else { unreachable!() };
            let set = TagSet { entities, ..crate::backend::xpyun::TAGS };
            proptest::prop_assert!(frame_is_clean(&frame, false));
            proptest::prop_assume!(frame_is_clean(&frame, entities));
            let model = crate::backend::Catalogue::builtin().resolve("xpyun-58").unwrap().clone();
            let lower = |clean: bool, by_run: bool| {
                let mut out = String::new();
                let r = if !by_run && lower_plain_line(&frame, &line, &set, clean, &mut out) {
                    Ok(())
                } else {
                    lower_line(&frame, &line, &model, &set, clean, &mut out, &mut Vec::new())
                        .map_err(|e| e.message().to_string())
                };
                (r, out)
            };
            proptest::prop_assert_eq!(lower(true, false), lower(false, false));
            // The one-scan path of a plain line (`checks::plain_text_runs`) writes and
            // refuses what the run-by-run path does.
            proptest::prop_assert_eq!(lower(true, false), lower(true, true));
            proptest::prop_assert_eq!(lower(false, false), lower(false, true));
        }

        #[test]
        fn the_fast_path_of_unsafe_sequence_changes_no_answer(
            text in "[<>&#lt;a \\r\\n\\u{0}-\\u{1f}\\u{7f}-\\u{a0}·中]{0,20}",
            entities: bool,
        ) {
            proptest::prop_assert_eq!(unsafe_sequence(&text, entities), first_unsafe(&text, entities));
        }

        #[test]
        fn neutralised_text_is_always_safe(text in "[<>&#lt;\\r\\n\\t\\u{0}-\\u{1f}a-z中]{0,40}", entities: bool) {
            let out = neutralise_text(&text, entities);
            proptest::prop_assert_eq!(unsafe_sequence(&out, entities), None);
            let twice = neutralise_text(&out, entities).into_owned();
            proptest::prop_assert_eq!(twice, out.into_owned());
        }
    }
}
