//! Printers, and the one pipeline that renders a bound document for one.
//!
//! A [`Printer`] is a [`Dialect`] (how a printer family is spoken to: Yilianyun's, Feieyun's or
//! Xpyun's tag text, ESC/POS bytes)
//! plus a [`Model`] record (what one model can print, as data). [`render`] is the only place that
//! runs the stages after binding, in this order:
//!
//! ```text
//! Document ─dialect.prepare─▶ Document ─layout(printer.layout_options)─▶ Frame ─dialect.lower─▶ Job
//! ```
//!
//! Preparing comes before layout because neutralising data (turning `<` into `＜` so that it can
//! never open a tag) changes widths, and the preview must measure what prints. A dialect never
//! calls layout itself; previews read only the frame.
//!
//! Which printer, when none is named: [`DEFAULT_PRINTER`] (the CLI uses it for every format, so a
//! template that previews also renders). [`Printer::generic`] is an explicit, model-free preview
//! profile: every style and code printable, any paper, through the same path.
//!
//! ```
//! use slipmark::document::Paper;
//! use slipmark::printer::{Printer, RenderOptions};
//!
//! let env = slipmark::Environment::new();
//! let template = env.template_from_str("t.slip", "-> {{ n }} <-\n")?;
//! let data = serde_json::json!({ "n": "1<2>3" });
//! let printer = slipmark::backend::Catalogue::builtin().printer("K4-WA")?;
//! let job = template.render(&data, &printer)?;
//! assert_eq!(job.content(), Some("            1＜2＞3\n")); // (32 - 7) / 2 = 12
//! // The generic profile prepares the data the same way, so it previews the same paper.
//! let generic = template.render(&data, &Printer::generic())?;
//! assert_eq!(generic.preview_text(), job.preview_text());
//! // A paper given by the caller wins over the template's `paper:` and the model's own.
//! let k7 = slipmark::backend::Catalogue::builtin().printer("K7")?;
//! assert_eq!(template.render(&data, &k7)?.frame.columns, 48);
//! let narrow = template.render_with(&data, &k7, RenderOptions::default().paper(Paper::Mm58))?;
//! assert_eq!(narrow.frame.columns, 32);
//! # Ok::<(), slipmark::Error>(())
//! ```

mod generic;
mod job;
mod vars;

pub(crate) use vars::{generic_facts, printer_facts};
mod split;

use std::fmt;
use std::sync::Arc;

use crate::backend::Model;
use crate::document::{Document, JobSettings, Paper};
use crate::error::{Error, ErrorKind, Warning};
use crate::frame::{Frame, LayoutOptions};

pub use generic::Generic;
pub use job::{Job, JobSummary, Lowered, Output, Part, VoiceSummary};

/// The model the CLI and [`Printer::default_printer`] use when none is named: the Yilianyun K4
/// (old firmware), a 58 mm printer with every style, QR, EAN-13 and both Code 128 sets, so every
/// template in `templates/` renders on it.
pub const DEFAULT_PRINTER: &str = "k4";

/// The name that selects [`Printer::generic`] wherever a model name is taken
/// ([`Catalogue::printer`](crate::backend::Catalogue::printer), `--model generic`).
pub const GENERIC_PRINTER: &str = "generic";

/// How a printer family is spoken to: one implementation per dialect (Yilianyun, Feieyun, Xpyun,
/// ESC/POS, and the generic preview profile). A dialect reads only the [`Document`] (to prepare it) and
/// the [`Frame`] (to lower it); it never runs layout.
pub trait Dialect: fmt::Debug + Send + Sync {
    /// A short lowercase name (`"yilianyun"`).
    fn name(&self) -> &'static str;

    /// Rewrites, in place, anything in the bound document that this printer would read as an
    /// instruction (data and template text alike). Called before layout, so widths stay true.
    /// Returns a warning for each change a reader could notice.
    fn prepare(&self, doc: &mut Document, model: &Model) -> Vec<Warning>;

    /// Lowers a laid-out frame to what the printer takes, or fails at the template span of the
    /// first thing the model cannot print. Nothing is returned on error.
    fn lower(&self, frame: &Frame, model: &Model, options: RenderOptions)
    -> Result<Lowered, Error>;

    /// [`Dialect::lower`], and on failure, when the reason is a per-job limit (the content's
    /// size, codes per order), the index of the item at which it was passed: every frame of
    /// `frame`'s items up to that one (with the same settings) fails too. Splitting a receipt
    /// into jobs starts from it instead of searching. The default says nothing (`None`).
    fn lower_noting(
        &self,
        frame: &Frame,
        model: &Model,
        options: RenderOptions,
    ) -> Result<Lowered, (Error, Option<usize>)> {
        self.lower(frame, model, options).map_err(|e| (e, None))
    }

    /// [`Dialect::lower_noting`], and with the failure, where a per-job limit was passed at
    /// item `at`, the first job already lowered ([`Passed::first`]) when the dialect can make it
    /// from what it wrote before `at`: the items before the job's end ([`job_end`]) exactly as
    /// [`Dialect::lower`] lowers them as a frame of their own. Splitting a receipt then lowers
    /// each item about once. The default makes no first job.
    fn lower_cutting(
        &self,
        frame: &Frame,
        model: &Model,
        options: RenderOptions,
    ) -> Result<Lowered, Passed> {
        self.lower_noting(frame, model, options)
            .map_err(|(error, at)| Passed {
                error,
                at,
                first: None,
            })
    }

    /// [`Dialect::lower_cutting`] for the trials of a split, each of which lowers what is left of
    /// a receipt from the end of the job the one before cut: that one lowered the items from the
    /// job's end up to the item that passed the limit too, and may have kept their lowering in
    /// `carry` ([`Carry`]); this one may start from it instead of lowering them again (then each
    /// item is lowered about once in all, not the items past a short first job twice). The same
    /// result as [`Dialect::lower_cutting`] on `frame`, whatever `carry` holds: the split passes
    /// a carry only to a frame of the same items from that job's end on, through the item that
    /// passed (a dialect checks what else its record depends on). The default ignores the carry.
    fn lower_carrying(
        &self,
        frame: &Frame,
        model: &Model,
        options: RenderOptions,
        carry: &mut Carry,
    ) -> Result<Lowered, Passed> {
        let _ = carry;
        self.lower_cutting(frame, model, options)
    }

    /// Whether [`Dialect::lower`] certainly fails on `frame` because a per-job limit is passed
    /// (or earlier, for another reason): never `true` for a frame that lowers. [`render`] then
    /// looks for the jobs first and lowers the whole only where no split helps (for its
    /// error), instead of lowering up to the limit a first time for nothing. The default
    /// says `false` (the whole is lowered first).
    fn passes_a_limit(&self, frame: &Frame, model: &Model) -> bool {
        let _ = (frame, model);
        false
    }

    /// Every error [`Dialect::lower`] can find in `frame`, not only the first (for `slipmark
    /// check --model` and a failed render). The default is `lower`'s one error; a dialect that
    /// checks items independently reports each.
    fn errors(&self, frame: &Frame, model: &Model, options: RenderOptions) -> Vec<Error> {
        self.lower(frame, model, options)
            .err()
            .into_iter()
            .collect()
    }
}

/// Why [`Dialect::lower_cutting`] could not lower a whole frame.
#[derive(Debug, Clone)]
pub struct Passed {
    /// The error [`Dialect::lower`] returns.
    pub error: Error,
    /// The item at which a per-job limit was passed, as [`Dialect::lower_noting`] notes it.
    pub at: Option<usize>,
    /// With `at`, when the dialect could make it: the job's end `e` ([`job_end`]) and the
    /// lowering of the items `0..e` as a frame of their own (the same settings).
    pub first: Option<Box<(usize, Lowered)>>,
}

/// What a split's trial lowering ([`Dialect::lower_carrying`]) that cut a job ([`Passed::first`])
/// lowered past the job's end, for the next trial, whose frame starts there: the items from the
/// job's end up to the one that passed the limit, which lower the same in that frame (they
/// fitted, and the item after the last is in it too). The dialect's own record, put and taken
/// by it; the split only says which trial it is for. Empty at first.
#[derive(Default)]
pub struct Carry {
    /// How many items the record holds (the first of the next trial's frame), and the record.
    rest: Option<(usize, Box<dyn std::any::Any + Send>)>,
    /// How many items the last trial took from the record instead of lowering them.
    taken: usize,
}

impl fmt::Debug for Carry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Carry")
            .field("items", &self.items())
            .field("taken", &self.taken)
            .finish()
    }
}

impl Carry {
    /// Keeps `rest`, the lowering of the `items` items from the end of the job the trial cut.
    pub(crate) fn put<T: std::any::Any + Send>(&mut self, items: usize, rest: T) {
        self.rest = Some((items, Box::new(rest)));
    }

    /// The record and how many items it holds, if it is a `T` (it is then no longer kept).
    pub(crate) fn take<T: std::any::Any>(&mut self) -> Option<(usize, T)> {
        let (items, rest) = self.rest.take()?;
        rest.downcast::<T>().ok().map(|rest| (items, *rest))
    }

    /// Says that the trial took `items` items from the record rather than lowering them (the
    /// split counts the items it lowers).
    pub(crate) fn took(&mut self, items: usize) {
        self.taken = items;
    }

    /// How many items the record holds, if there is one.
    fn items(&self) -> Option<usize> {
        self.rest.as_ref().map(|(items, _)| *items)
    }

    /// Forgets the record (it is for no other trial).
    fn clear(&mut self) {
        self.rest = None;
    }
}

/// Where a job ends when the limit is passed at item `at` of `frame` (`at > 0`): at the last
/// block boundary up to `at` (the last item `b` in `1..=at` whose template line, its span,
/// differs from item `b - 1`'s), else at `at`. What splitting does with every noted limit.
pub fn job_end(frame: &Frame, at: usize) -> usize {
    let items = frame.items();
    (1..=at.min(items.len().saturating_sub(1)))
        .rev()
        .find(|&b| split::item_span(&items[b - 1]) != split::item_span(&items[b]))
        .unwrap_or(at)
}

/// Every error rendering `doc` for `printer` finds: layout's (which stops at the first), else
/// each one the dialect finds in the frame. Empty when [`render`] succeeds.
pub fn errors(mut doc: Document, printer: &Printer, options: RenderOptions) -> Vec<Error> {
    printer.dialect.prepare(&mut doc, &printer.model);
    let columns = printer.paper_columns(options.paper, &doc.settings);
    match crate::layout::layout(&doc, &printer.layout_options(columns)) {
        Ok(laid) => printer.dialect.errors(&laid.frame, &printer.model, options),
        Err(e) => vec![e],
    }
}

/// A dialect plus a model record: everything a render needs to know about the printer.
/// Cheap to clone.
#[derive(Clone, Debug)]
pub struct Printer {
    dialect: Arc<dyn Dialect>,
    model: Arc<Model>,
    /// The `printer` variable at the model's own paper, built once (`vars.rs`).
    facts: Arc<std::sync::OnceLock<crate::bind::Value<'static>>>,
}

impl Printer {
    /// A printer of `dialect` described by `model`.
    pub fn new(dialect: impl Dialect + 'static, model: Model) -> Printer {
        Printer {
            dialect: Arc::new(dialect),
            model: Arc::new(model),
            facts: Arc::default(),
        }
    }

    /// The printer for a catalogue record, in the record's dialect.
    pub fn from_model(model: Model) -> Printer {
        use crate::backend::DialectName;
        match model.dialect {
            DialectName::Feieyun => Printer::new(crate::backend::feieyun::Feieyun, model),
            DialectName::Xpyun => Printer::new(crate::backend::xpyun::Xpyun, model),
            DialectName::Escpos => Printer::new(crate::backend::escpos::Escpos, model),
            _ => Printer::new(crate::backend::yilianyun::Yilianyun, model),
        }
    }

    /// The [`DEFAULT_PRINTER`] from the built-in catalogue.
    pub fn default_printer() -> Printer {
        crate::backend::Catalogue::builtin()
            .printer(DEFAULT_PRINTER)
            .expect("the default printer is in the built-in catalogue")
    }

    /// The model-free preview profile: 58 mm unless the template or the caller says otherwise,
    /// every style, every code and every job setting accepted; data prepared as the tag dialects
    /// prepare it; the output is the text preview. See [`Generic`].
    pub fn generic() -> Printer {
        Printer::new(Generic, generic::model())
    }

    /// The dialect.
    pub fn dialect(&self) -> &dyn Dialect {
        &*self.dialect
    }

    /// The model record.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The paper width in columns for a document: `paper` if the caller gives one (a `--paper`
    /// flag), else the document's `paper:` setting, else the model's default paper. The one
    /// place this precedence is decided.
    pub fn paper_columns(&self, paper: Option<Paper>, settings: &JobSettings) -> u16 {
        paper
            .or(settings.paper.as_ref().map(|p| p.value))
            .map_or(self.model.paper.default_columns, Paper::columns)
    }

    /// What layout needs to know about this printer, on a paper of `columns`.
    pub fn layout_options(&self, columns: u16) -> LayoutOptions {
        self.model.layout_options(columns)
    }
}

/// Options of a render, beyond the data and the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct RenderOptions {
    /// A paper width that overrides the template's `paper:` and the model's default.
    pub paper: Option<Paper>,
    /// Strict mode: any warning (a skipped setting, a degraded style, a stand-in character) is
    /// an error instead, and nothing is returned (`--deny-warnings`).
    pub deny_warnings: bool,
}

impl RenderOptions {
    /// Prints on `paper`, whatever the template or the model say.
    pub fn paper(mut self, paper: Paper) -> RenderOptions {
        self.paper = Some(paper);
        self
    }

    /// Turns every warning into an error.
    pub fn deny_warnings(mut self, deny: bool) -> RenderOptions {
        self.deny_warnings = deny;
        self
    }
}

/// A warning turned into an error, for the strict mode of [`RenderOptions::deny_warnings`].
pub(crate) fn warning_as_error(w: &Warning) -> Error {
    let e = Error::new(
        ErrorKind::Model,
        format!("{} (warnings are errors here)", w.message),
    )
    .at(w.span);
    match &w.hint {
        Some(hint) => e.with_hint(hint.clone()),
        None => e,
    }
}

/// Renders a bound document for `printer`: the dialect prepares it, layout lays it out on the
/// paper [`Printer::paper_columns`] decides, the dialect lowers the frame. A frame that does not
/// fit one job (a content limit, one QR code per order) is split at block boundaries into
/// several jobs that each fit ([`Job::more`]); the module `split.rs` documents how. Warnings come in that
/// order (preparation's, layout's, the lowering's). Errors point into the template; attach its
/// sources with [`Template::locate`](crate::Template::locate) (as
/// [`Template::render`](crate::Template::render) does).
pub fn render(mut doc: Document, printer: &Printer, options: RenderOptions) -> Result<Job, Error> {
    let mut warnings = printer.dialect.prepare(&mut doc, &printer.model);
    let columns = printer.paper_columns(options.paper, &doc.settings);
    let mut laid = crate::layout::layout(&doc, &printer.layout_options(columns))?;
    doc.recycle();
    let (lowered, more) = lower(&mut laid.frame, printer, options)?;
    warnings.extend(laid.warnings);
    warnings.extend(lowered.warnings);
    dedupe(&mut warnings);
    if let (true, Some(w)) = (options.deny_warnings, warnings.first()) {
        return Err(warning_as_error(w));
    }
    Ok(Job {
        printer: printer.model.id.clone(),
        frame: laid.frame,
        output: lowered.output,
        warnings,
        settings: lowered.settings,
        more,
    })
}

/// The frame lowered as one job, else split into jobs ([`split::split`]), else the whole's
/// error. Where the dialect knows the whole cannot lower ([`Dialect::passes_a_limit`]), the
/// split comes first and the whole is lowered only for its error when no split helps: the
/// same jobs and the same error as lowering the whole first, which would fail.
fn lower(
    frame: &mut Frame,
    printer: &Printer,
    options: RenderOptions,
) -> Result<(Lowered, Vec<Part>), Error> {
    let (dialect, model) = (&*printer.dialect, &*printer.model);
    if dialect.passes_a_limit(frame, model) {
        if let Some(jobs) = split::split(frame, dialect, model, options) {
            return Ok(jobs);
        }
        // (A split was tried: not again.)
        return dialect
            .lower(frame, model, options)
            .map(|l| (l, Vec::new()));
    }
    match dialect.lower(frame, model, options) {
        Ok(lowered) => Ok((lowered, Vec::new())),
        Err(e) => split::split(frame, dialect, model, options).ok_or(e),
    }
}

/// A loop repeats its template lines, and with them their warnings: keeps the first of each
/// (kind, span, message). The set borrows the messages (nothing is copied), and is not built
/// at all for fewer than two warnings (nothing to remove).
fn dedupe(warnings: &mut Vec<Warning>) {
    if warnings.len() < 2 {
        return;
    }
    let keep: Vec<bool> = {
        let mut seen = std::collections::HashSet::with_capacity(warnings.len());
        warnings
            .iter()
            .map(|w| seen.insert((w.kind, w.span, w.message.as_str())))
            .collect()
    };
    let mut keep = keep.into_iter();
    warnings.retain(|_| keep.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use crate::span::{Span, Spanned};

    fn settings(paper: Option<Paper>) -> JobSettings {
        JobSettings {
            paper: paper.map(|value| Spanned {
                value,
                span: Span::default(),
            }),
            ..JobSettings::default()
        }
    }

    #[test]
    fn paper_is_the_flag_else_the_template_else_the_model() {
        let k7 = Catalogue::builtin().printer("k7").unwrap();
        assert_eq!(k7.paper_columns(None, &settings(None)), 48);
        assert_eq!(k7.paper_columns(None, &settings(Some(Paper::Mm58))), 32);
        let flag = Some(Paper::Columns(40));
        assert_eq!(k7.paper_columns(flag, &settings(Some(Paper::Mm58))), 40);
        let x1 = Catalogue::builtin().printer("x1").unwrap();
        assert_eq!(x1.paper_columns(None, &settings(None)), 32);
    }

    #[test]
    fn repeated_warnings_are_reported_once_in_order() {
        use crate::error::WarningKind;
        let w = |kind, message: &str, at: usize| Warning::new(kind, message, Span::new(0, at, at));
        let mut warnings = vec![
            w(WarningKind::ReplacedChar, "a", 1),
            w(WarningKind::ReplacedChar, "a", 2),
            w(WarningKind::ReplacedChar, "a", 1),
            w(WarningKind::DegradedStyle, "a", 1),
            w(WarningKind::ReplacedChar, "b", 1),
            w(WarningKind::ReplacedChar, "a", 2),
        ];
        dedupe(&mut warnings);
        let left: Vec<(WarningKind, &str, u32)> = warnings
            .iter()
            .map(|w| (w.kind, w.message.as_str(), w.span.start))
            .collect();
        assert_eq!(
            left,
            [
                (WarningKind::ReplacedChar, "a", 1),
                (WarningKind::ReplacedChar, "a", 2),
                (WarningKind::DegradedStyle, "a", 1),
                (WarningKind::ReplacedChar, "b", 1),
            ]
        );
    }

    #[test]
    fn the_default_and_the_generic_printer_exist() {
        assert_eq!(Printer::default_printer().model().id, DEFAULT_PRINTER);
        let generic = Catalogue::builtin().printer(GENERIC_PRINTER).unwrap();
        assert_eq!(generic.dialect().name(), "generic");
        assert_eq!(generic.model().styles, crate::frame::StyleSupport::ALL);
    }
}
