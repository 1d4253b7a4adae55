//! The Yilianyun (易联云) dialect: a [`Frame`] to the `content` string of the text-print API.
//!
//! ```text
//! Document ─neutralise_document─▶ Document ─layout(model.layout_options(..))─▶ Frame ─lower─▶ Lowered
//! ```
//!
//! [`Yilianyun`] is the dialect behind the [`Dialect`] seam: its `prepare` is
//! [`neutralise_document`], its `lower` is [`lower_with`]; [`crate::printer::render`] runs them
//! around layout. [`lower`] refuses (a hard error, in every build) any text that could still form
//! an instruction, so a frame that skipped neutralisation cannot leak data into printer commands.
//!
//! The lowering pads every line itself (the frame's columns are exact) and never emits the native
//! alignment tags `<center>`, `<right>`, `<LR>`, `<table>`: padding is what the preview shows,
//! spends none of the 25-per-job budget, and sidesteps the open questions about those tags
//! (implicit line breaks, nesting, the printer's own measuring; spec §6 Q11, Q12, Q14). A model
//! record may still list them; the final check (`verify.rs`) counts any that appear against the budget.
//!
//! ```
//! use slipmark::Span;
//! use slipmark::backend::Catalogue;
//! use slipmark::backend::yilianyun::lower;
//! use slipmark::document::{Align, JobSettings, Origin, Scale, Style};
//! use slipmark::frame::{Frame, LineKind, PlacedText};
//! use slipmark::measure::Encoding;
//!
//! let big = Style { bold: false, width: Scale::X2, height: Scale::X2 };
//! let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
//! frame.push_line(LineKind::Text, Align::Center, Span::default(), [PlacedText {
//!     col: 12, width: 8, text: "谢谢", style: big, origin: Origin::Template,
//!     span: Span::default() }]);
//! let catalogue = Catalogue::builtin();
//! let lowered = lower(&frame, catalogue.resolve("K4").unwrap()).unwrap();
//! assert_eq!(lowered.content, "            <FS2>谢谢</FS2>\n");
//! ```
//!
//! Where each decision is documented: line ends and styles in `text.rs`, codes in `codes.rs` (the
//! limits themselves are shared with the other dialects in `backend/checks.rs`),
//! control tags in `settings.rs`, neutralisation in `neutralise.rs`.

mod codes;
mod neutralise;
mod settings;
mod text;
mod verify;

use serde::Serialize;

use crate::backend::{Model, checks};
use crate::document::{CodeKind, Document};
use crate::error::{Error, ErrorKind, Warning, WarningKind};
use crate::frame::{Frame, Item};
use crate::printer::{self, Carry, Dialect, JobSummary, Output, Passed, RenderOptions};
use crate::span::Span;

pub(crate) use codes::check_ean13;
pub use neutralise::{neutralise_document, neutralise_text};
pub use verify::verify;

/// The Yilianyun dialect: text content with Yilianyun's tags.
#[derive(Debug, Clone, Copy, Default)]
pub struct Yilianyun;

impl Dialect for Yilianyun {
    fn name(&self) -> &'static str {
        "yilianyun"
    }

    fn prepare(&self, doc: &mut Document, model: &Model) -> Vec<Warning> {
        neutralise_document(doc, model)
    }

    fn errors(&self, frame: &Frame, model: &Model, options: RenderOptions) -> Vec<Error> {
        lower_errors(frame, model, options)
    }

    fn lower(
        &self,
        frame: &Frame,
        model: &Model,
        options: RenderOptions,
    ) -> Result<printer::Lowered, Error> {
        self.lower_noting(frame, model, options).map_err(|(e, _)| e)
    }

    /// The content holds every run's text, so at least its characters, and a character is
    /// at most 4 bytes: runs of more than 4 bytes a character of the limit pass it (the check
    /// after the last item fails, if nothing fails before). The runs are read as one slice
    /// (`Frame::line_text_passes`).
    fn passes_a_limit(&self, frame: &Frame, model: &Model) -> bool {
        frame.line_text_passes((model.limits.max_content_chars as usize).saturating_mul(4))
    }

    fn lower_noting(
        &self,
        frame: &Frame,
        model: &Model,
        options: RenderOptions,
    ) -> Result<printer::Lowered, (Error, Option<usize>)> {
        let lowered = lower_noting(frame, model, options)?;
        Ok(lowered.into())
    }

    fn lower_cutting(
        &self,
        frame: &Frame,
        model: &Model,
        options: RenderOptions,
    ) -> Result<printer::Lowered, Passed> {
        self.lower_carrying(frame, model, options, &mut Carry::default())
    }

    fn lower_carrying(
        &self,
        frame: &Frame,
        model: &Model,
        options: RenderOptions,
        carry: &mut Carry,
    ) -> Result<printer::Lowered, Passed> {
        lower_marked::<true>(frame, model, options, Some(carry))
            .map(Into::into)
            .map_err(|f| Passed {
                error: f.error,
                at: f.at,
                first: f.first.map(|b| Box::new((b.0, b.1.into()))),
            })
    }
}

impl From<Lowered> for printer::Lowered {
    fn from(lowered: Lowered) -> printer::Lowered {
        printer::Lowered {
            output: Output::Text(lowered.content),
            warnings: lowered.warnings,
            settings: lowered.settings,
        }
    }
}

/// The result of lowering a frame for one Yilianyun model: the content as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Lowered {
    /// The `content` parameter of the print API (before URL encoding).
    pub content: String,
    /// Approximations made (a dropped bold, an ignored volume, …).
    pub warnings: Vec<Warning>,
    /// The job settings emitted as control tags.
    pub settings: JobSummary,
}

/// Lowers `frame` to the content `model` accepts, or fails at the template span of the first
/// thing the model cannot print. Nothing is returned on error.
///
/// The frame must come from a document passed through [`neutralise_document`] and laid out with
/// [`Model::layout_options`]; text that could still form an instruction is a hard error.
pub fn lower(frame: &Frame, model: &Model) -> Result<Lowered, Error> {
    lower_with(frame, model, RenderOptions::default())
}

/// [`lower`] with options (e.g. a missing voice as a warning instead of an error; the paper in
/// `options` is not read: the frame's width is final).
pub fn lower_with(frame: &Frame, model: &Model, options: RenderOptions) -> Result<Lowered, Error> {
    lower_noting(frame, model, options).map_err(|(e, _)| e)
}

/// [`lower_with`], and on failure the index of the item at which the content passed the
/// model's limit, when that is why ([`printer::Dialect::lower_noting`]).
fn lower_noting(
    frame: &Frame,
    model: &Model,
    options: RenderOptions,
) -> Result<Lowered, (Error, Option<usize>)> {
    lower_marked::<false>(frame, model, options, None).map_err(|f| (f.error, f.at))
}

/// Why [`lower_marked`] failed: the error, the item at which the limit was passed (when that is
/// why) and, when asked for, the first job ([`printer::Passed::first`]).
struct Failed {
    error: Error,
    at: Option<usize>,
    first: Option<Box<(usize, Lowered)>>,
}

/// What the lowering had written before an item: where a job that ends there ends.
#[derive(Debug, Clone, Copy)]
struct Mark {
    /// The item.
    item: usize,
    /// The content's length.
    content: usize,
    /// How many warnings.
    warnings: usize,
    /// How many of the content's bytes continue a character.
    continuing: usize,
    /// Whether the item before it added a newline for it (`on_next` below), which a job that
    /// ends there would not have.
    on_next: bool,
}

/// What [`lower_marked`] lowered past the first job it cut, kept for the next trial
/// ([`Carry`]): the items from the job's end up to the one that passed the limit (maybe none), as they are
/// written in a frame that starts at the job's end. An item's lowering depends only on it,
/// the model and the frame's text (`clean`, of the whole buffer the split lends), but for a
/// full line's newline, which depends on the next item (the last one's next is the item that
/// passed, which the next trial's frame holds: [`Carry`]); the control tags before them depend
/// on the settings and the logo, and are written again. None of them is a code holding `@@`
/// (a job is cut only where none before the limit holds one), and no block boundary is among
/// them but before the first (the job ends at the last one before the limit).
struct Rest {
    /// Their content: `content[from..]` (the buffer it was written in, when the job before
    /// was shorter and copied out of it instead: one copy of the shorter, not of both).
    content: String,
    from: usize,
    /// Their warnings.
    warnings: Vec<Warning>,
    /// How many of the content's bytes continue a character.
    continuing: usize,
    /// Whether the last added a newline for the next item.
    on_next: bool,
    /// Whether the frame they were lowered in has no logo: then neither has the next trial's,
    /// a part of it ([`Carry`]), which is not searched again.
    no_logo: bool,
}

/// [`lower_noting`]; `CUTTING` (with a `carry`), where the limit is passed at item `at`, also the
/// first job: the items before [`printer::job_end`] as [`lower`] lowers them as a frame of their
/// own, cut from what was written. That is the content and warnings up to the job's end, when
/// nothing written before it depends on the items after it: the control tags depend on the logo
/// (so it must come before the end), a full line's newline on the next line (so the last line
/// must have none), and the `@@` check on the codes (none before `at` holds one, so that the
/// run before `at` fits too, as the limit's note says). What was written after the job's end,
/// before `at`, is kept in `carry` ([`Rest`]); and a [`Rest`] found in `carry` (the trial
/// before kept it for this frame) is written after the control tags instead of lowering its
/// items again, when the content still fits after it (the characters only grow, so it fits
/// after each of them too: none of them passes the limit here either). (Two copies of it are
/// compiled: one that keeps the marks, for a split's trials, and one that does not, for a
/// whole frame.)
fn lower_marked<const CUTTING: bool>(
    frame: &Frame,
    model: &Model,
    options: RenderOptions,
    mut carry: Option<&mut Carry>,
) -> Result<Lowered, Failed> {
    debug_assert_eq!(carry.is_some(), CUTTING, "a carry where cutting");
    let lower = |error: Error| Failed {
        error,
        at: None,
        first: None,
    };
    let items = frame.items();
    let rest = (carry.as_deref_mut())
        .and_then(Carry::take::<Rest>)
        .filter(|(kept, _)| *kept <= items.len());
    let mut warnings = Vec::new();
    // The first logo, and the codes' part of the buffer's size (with how many there are), in
    // one walk over the items; none where the items were seen to have no logo.
    let walked = match &rest {
        Some((_, rest)) if rest.no_logo => None,
        _ => Some(logo_and_codes(items)),
    };
    let logo = walked.and_then(|(logo, ..)| logo);
    if let Some((i, span)) = logo {
        if i > 0 && model.codes.logo.is_some() {
            warnings.push(Warning::new(
                WarningKind::Approximated,
                format!(
                    "the {} prints its stored logo where it chooses (the top)",
                    model.name
                ),
                span,
            ));
        }
    }
    let summary = settings::control_tags(
        &frame.settings,
        model,
        frame.columns,
        logo.map(|(_, span)| span),
        options,
        &mut warnings,
    )
    .map_err(lower)?;
    let tags = summary.tags.iter().map(String::len).sum::<usize>();
    let capacity = match walked {
        Some((_, codes, bytes)) => capacity(frame, codes, bytes, tags, model),
        None => checks::capacity_for(frame, &OVERHEAD, tags, model),
    };
    let mut content = String::with_capacity(capacity);
    // What the final re-reading (`verify.rs`) refuses, checked as it is written: the tags come
    // from fixed tables and the model's capabilities, text was checked run by run, so `@@` in
    // a code's data (or a control tag's text) is the one thing left it could find.
    let mut at_at = false;
    for tag in &summary.tags {
        at_at |= tag.contains("@@");
        content.push_str(tag);
    }
    let max = model.limits.max_content_chars as usize;
    // The content's characters are its bytes less those that continue a character: these
    // are counted as they are written (a line's by `lower_line`, from its run scans; the tags'
    // and codes' from their text), so the characters are known after every item without
    // reading the content again. The error is the same, at the same item.
    let continuing_in = |written: &str| written.len() - written.chars().count();
    let mut continuing: usize = summary.tags.iter().map(|t| continuing_in(t)).sum();
    // With `CUTTING`: the last block boundary so far (a mark before an item whose template
    // line differs from the item before's), and whether the last item added a newline for
    // the next one.
    let mut boundary: Option<Mark> = None;
    let clean = text::frame_is_clean(frame);
    let mut added_newline = false;
    // The items the trial before lowered, written as they were ([`Rest`]: no boundary is among
    // them, so none is marked).
    let mut kept = 0;
    if let Some((items, rest)) = rest {
        let written = &rest.content[rest.from..];
        if content.len() - continuing + written.len() - rest.continuing <= max {
            content.push_str(written);
            warnings.extend(rest.warnings);
            continuing += rest.continuing;
            added_newline = rest.on_next;
            kept = items;
            if let Some(carry) = carry.as_deref_mut() {
                carry.took(items);
            }
        }
    }
    let span_of = |item: &Item| match item {
        Item::Line(l) => l.span,
        Item::Code(c) => c.span,
    };
    // The template line of the item before (for the boundaries).
    let mut last_span = kept.checked_sub(1).map(|k| span_of(&items[k]));
    for (i, item) in items.iter().enumerate().skip(kept) {
        let before = content.len();
        let at_at_before = at_at;
        // (Without `CUTTING` only a mark's content length is read, at the limit: its other
        // counts are not kept for every item.)
        let mark = Mark {
            item: i,
            content: before,
            warnings: if CUTTING { warnings.len() } else { 0 },
            continuing: if CUTTING { continuing } else { 0 },
            on_next: CUTTING && added_newline,
        };
        if CUTTING {
            let span = span_of(item);
            if last_span.is_some_and(|last| last != span) {
                boundary = Some(mark);
            }
            last_span = Some(span);
        }
        // Whether this item's content depends on the next item (the newline below).
        let mut on_next = false;
        match item {
            Item::Line(line) => {
                let more = text::lower_line(frame, line, model, clean, &mut content, &mut warnings)
                    .map_err(lower)?;
                // (The debug check recounts them.)
                #[cfg(any(test, debug_assertions))]
                debug_assert_eq!(more, continuing_in(&content[before..]));
                continuing += more;
                // A full line has no newline (the printer wraps it), so its last character meets
                // the next line's first: `…@` + `@2…` would join into the `@@` instruction. Then
                // the newline stays (on paper: an empty line, rather than an instruction).
                // Only a full line (no newline) can join: its runs are read only then, and
                // not at all in a clean frame, whose text holds no `@` (one of the
                // [`UNSAFE_BYTES`](neutralise::UNSAFE_BYTES)): a table row that ends at the
                // paper's edge is a full line.
                let may_join = !clean && content.as_bytes().last() != Some(&b'\n');
                let next_at = |i: usize| match items.get(i + 1) {
                    Some(Item::Line(next)) => (frame.placed(next).next())
                        .is_some_and(|r| r.col == 0 && r.text.starts_with('@')),
                    _ => false,
                };
                let ends_at =
                    || (frame.placed(line).next_back()).is_some_and(|r| r.text.ends_with('@'));
                if may_join && ends_at() && next_at(i) {
                    content.push('\n');
                    on_next = true;
                }
                added_newline = on_next;
            }
            Item::Code(code) => {
                codes::lower_code(code, model, &mut content).map_err(lower)?;
                continuing += continuing_in(&content[before..]);
                at_at |= code.data.contains("@@");
                added_newline = false;
            }
        }
        // A newline added for the next line (`on_next`) is ASCII: nothing to add for it.
        if content.len() - continuing > max {
            let err = Error::new(
                ErrorKind::Model,
                format!(
                    "the content passes the {}'s limit of {max} characters here",
                    model.name
                ),
            )
            .at(span_of(item))
            .with_hint("split the receipt into several jobs");
            // Every frame of these items up to this one fails here too when what came before
            // does not depend on the items after it: the control tags on the logo (anywhere in
            // the frame), this item's newline on the next item.
            let exact = !on_next && logo.is_none_or(|(at, _)| at <= i);
            let first = (CUTTING && exact && !at_at_before)
                .then(|| boundary.unwrap_or(mark))
                .filter(|m| m.item > 0 && !m.on_next && logo.is_none_or(|(l, _)| l < m.item))
                .map(|m| {
                    content.truncate(mark.content);
                    warnings.truncate(mark.warnings);
                    // (none where the job ends at `at`: the record still says whether there is
                    // a logo)
                    let job = match carry {
                        Some(carry) => {
                            let rest_len = mark.content - m.content;
                            let (job, content, from) = if m.content <= rest_len {
                                (content[..m.content].to_owned(), content, m.content)
                            } else {
                                let rest = content.split_off(m.content);
                                (content, rest, 0)
                            };
                            carry.put(
                                i - m.item,
                                Rest {
                                    content,
                                    from,
                                    warnings: warnings.split_off(m.warnings),
                                    continuing: mark.continuing - m.continuing,
                                    on_next: mark.on_next,
                                    no_logo: logo.is_none(),
                                },
                            );
                            job
                        }
                        None => {
                            content.truncate(m.content);
                            warnings.truncate(m.warnings);
                            content
                        }
                    };
                    #[cfg(any(test, debug_assertions))]
                    verify::agrees(&job, model, &Ok(()));
                    let first = Lowered {
                        content: job,
                        warnings,
                        settings: summary,
                    };
                    Box::new((m.item, first))
                });
            return Err(Failed {
                error: err,
                at: exact.then_some(i),
                first,
            });
        }
    }
    let checked = if at_at {
        Err(verify::holds_at_at())
    } else {
        Ok(())
    };
    // The independent re-reading, in debug builds and tests (and the fuzz target, built with
    // debug assertions): it must refuse exactly what the checks above refused.
    #[cfg(any(test, debug_assertions))]
    verify::agrees(&content, model, &checked);
    checked.map_err(lower)?;
    Ok(Lowered {
        content,
        warnings,
        settings: summary,
    })
}

/// The first logo among `items` (its index and span), and how many codes there are and the
/// bytes they take in the content ([`OVERHEAD`]): one walk over the items for both.
fn logo_and_codes(items: &[Item]) -> (Option<(usize, Span)>, usize, usize) {
    let (mut logo, mut codes, mut bytes) = (None, 0, 0);
    for (i, item) in items.iter().enumerate() {
        if let Item::Code(c) = item {
            if c.kind == CodeKind::Logo && logo.is_none() {
                logo = Some((i, c.span));
            }
            codes += 1;
            bytes += OVERHEAD.code_per_byte * c.data.len() + OVERHEAD.code;
        }
    }
    (logo, codes, bytes)
}

/// The content's buffer for `frame` with `codes` codes taking `bytes` and control tags of
/// `tags` bytes: [`checks::capacity`]'s estimate but that a line's padding is counted as the
/// paper's width, which it is less than (its last run ends within the paper), instead of
/// reading each line's last run; held to what a lowering stopped by the limit can write
/// ([`checks::capacity_within`]). Only a capacity: the content is the same.
fn capacity(frame: &Frame, codes: usize, bytes: usize, tags: usize, model: &Model) -> usize {
    let (text, runs) = frame.buffer_sizes();
    let lines = frame.items().len() - codes;
    let per_line = usize::from(frame.columns) + OVERHEAD.line;
    let estimate = (text.saturating_add(runs.saturating_mul(OVERHEAD.run)))
        .saturating_add(lines.saturating_mul(per_line))
        .saturating_add(bytes + tags + OVERHEAD.job);
    checks::capacity_within(estimate, model)
}

/// What Yilianyun writes around the text, for the buffer's size (the control tags are added
/// by length): a pair of style tags per run, a newline per line, a code's tags.
const OVERHEAD: checks::Overhead = checks::Overhead {
    run: 16,
    line: 1,
    code_per_byte: 1,
    code: 12,
    job: 0,
};

/// Every error [`lower_with`] would find, in template order: the job settings', then each
/// line's and code's on its own (a later item is checked even when an earlier one fails); the
/// content limit and the final re-reading only when every item passed.
pub fn lower_errors(frame: &Frame, model: &Model, options: RenderOptions) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    if let Err(e) = settings::control_tags(
        &frame.settings,
        model,
        frame.columns,
        None,
        options,
        &mut warnings,
    ) {
        errors.push(e);
    }
    let clean = text::frame_is_clean(frame);
    for item in frame.items() {
        let mut scratch = String::new();
        let r = match item {
            Item::Line(line) => {
                text::lower_line(frame, line, model, clean, &mut scratch, &mut warnings).map(|_| ())
            }
            Item::Code(code) => codes::lower_code(code, model, &mut scratch),
        };
        if let Err(e) = r {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        if let Err(e) = lower_with(frame, model, options) {
            errors.push(e);
        }
    }
    errors
}

/// Whether `model` has the tag `name` (`"FS2"`, `"MN"`, `"TTS"`, …).
pub fn model_has_tag(model: &Model, name: &str) -> bool {
    verify::tag_class(name, model).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The buffer [`capacity`] sizes from one walk over the items is never smaller than the
    /// one [`checks::capacity`] sizes from each line's last run (the padding it counts is at
    /// most the paper's width), nor past the bound both are held to; and the walk finds the
    /// logo the lowering finds.
    #[test]
    fn the_walked_capacity_is_no_smaller_than_the_run_by_run_one() {
        let env = crate::Environment::new();
        let catalogue = crate::backend::Catalogue::builtin();
        let texts = [
            "# 长单\n{% for it in items %}\n| {{ it }} | x1 | 2.00 |\n{% endfor %}\n![qr](https://e.com/1)\n谢谢\n",
            "![logo]()\n-> 标题 <-\n{% for it in items %}\n{{ it }}\n{% endfor %}\n![code128](A1234)\n",
            "{% for it in items %}\n{{ it }}@\n@{{ it }}\n{% endfor %}\n![logo]()\n",
        ];
        let mut checked = 0;
        for text in texts {
            let template = env.template_from_str("t.slip", text).unwrap();
            for items in [0, 1, 30, 2000] {
                let names: Vec<String> = (0..items).map(|i| format!("商品{i}")).collect();
                let data = serde_json::json!({ "items": names });
                for id in ["k4", "k7", "x1", "k5"] {
                    let printer = catalogue.printer(id).unwrap();
                    let Ok(job) = template.render(&data, &printer) else {
                        continue;
                    };
                    let (frame, model) = (&job.frame, printer.model());
                    let (logo, codes, bytes) = logo_and_codes(frame.items());
                    for tags in [0, 40] {
                        let walked = capacity(frame, codes, bytes, tags, model);
                        let by_run = checks::capacity_within(
                            checks::capacity(frame, &OVERHEAD) + tags,
                            model,
                        );
                        assert!(walked >= by_run, "{id} {items}: {walked} < {by_run}");
                        assert!(walked <= checks::capacity_within(usize::MAX, model));
                        checked += 1;
                    }
                    let first_logo = frame.items().iter().enumerate().find_map(|(i, item)| {
                        matches!(item, Item::Code(c) if c.kind == CodeKind::Logo).then(|| (i, item))
                    });
                    assert_eq!(logo.map(|(i, _)| i), first_logo.map(|(i, _)| i));
                }
            }
        }
        assert!(checked >= 40, "{checked}");
    }
}
