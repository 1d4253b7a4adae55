//! The frame: what `layout` produces and every backend and preview reads.
//!
//! A frame is the paper, described without any printer dialect: lines of styled runs at known
//! half-width column positions, code blocks, and the job settings. Invariant: for every line,
//! runs are sorted by column, do not overlap, and end at or before [`Frame::columns`].
//!
//! A frame costs a few buffers however long the receipt is: its items, every placed run of every
//! line, and the text of all the runs. A [`Line`] holds a handle to its runs and a [`Placed`] run
//! a handle to its text; the frame gives them back ([`Frame::placed`]: each run with its text,
//! a [`PlacedText`]; or [`Frame::runs`] and [`Frame::text`]). Frames are built line by line:
//! [`Frame::push_run`] adds a run to the line being built, [`Frame::end_line`] makes it an
//! item ([`Frame::push_line`] does both).
//!
//! ```
//! use slipmark::document::{Align, JobSettings, Origin, Style};
//! use slipmark::frame::{Encoding, Frame, Item, LineKind, PlacedText};
//! use slipmark::Span;
//!
//! let run = |col, width, text, origin| PlacedText {
//!     col, width, text, style: Style::PLAIN, origin, span: Span::default() };
//! let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
//! frame.push_run(run(0, 4, "合计", Origin::Template));
//! frame.push_run(run(26, 6, "¥88.50", Origin::Data));
//! frame.end_line(LineKind::Text, Align::Left, Span::default());
//! let Item::Line(line) = &frame.items()[0] else { unreachable!() };
//! let texts: Vec<(u16, &str)> = frame.placed(line).map(|r| (r.col, r.text)).collect();
//! assert_eq!(texts, [(0, "合计"), (26, "¥88.50")]);
//! ```

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;

use crate::document::{Align, CodeKind, JobSettings, Origin, Style};
use crate::span::Span;
use crate::spare;

pub use crate::measure::Encoding;
pub use crate::vocab::{LayoutOptions, StyleSupport};

/// A laid-out receipt.
///
/// Two frames are equal when they have the same paper, settings and items with the same runs
/// and texts (however their buffers are laid out). It serializes as its buffers: the items (a
/// line's runs as a `start`/`end` range into `runs`), the runs (each text a range into
/// `text`), and the text.
#[derive(Debug, Clone, Serialize)]
pub struct Frame {
    /// Paper width in half-width (12-dot) columns.
    pub columns: u16,
    /// The printer's encoding the frame was laid out for (from [`LayoutOptions::encoding`]):
    /// every character in it is printable on this encoding, and readers measure with it.
    pub encoding: Encoding,
    /// Job settings (copies, voice, cut …), validated later against the model.
    pub settings: JobSettings,
    /// Items, top to bottom.
    items: Vec<Item>,
    /// The runs of every line, line after line.
    runs: Vec<Placed>,
    /// The text of every run, run after run.
    text: String,
    /// Where the runs of the line being built start in `runs`.
    #[serde(skip)]
    open: u32,
    /// The last [`Frame::any_control_or`] answer for `text`: moved with `text` by
    /// [`Frame::lend`] and [`Frame::take_back`], kept for the text's length it was made at
    /// (text is only appended to, but for [`Frame::discard_open`], which forgets it).
    #[serde(skip)]
    scan: TextScan,
    /// On a frame that another frame's items were lent to ([`Frame::lend`]): the range of
    /// them that are its items ([`Frame::show`]); `None` on every other frame (all of them).
    #[serde(skip)]
    shown: Option<Handle>,
}

/// A memo of one [`checks::any_control_or`](crate::backend::checks::any_control_or) look at a
/// frame's whole text: the text's length then (the high 32 bits), the specials it looked for
/// (up to 3 bytes) and its answer. Zero: none. The text only grows (every push appends), so
/// the same length is the same text, except after [`Frame::discard_open`] cut it, which
/// forgets the memo: so no push pays for it. Atomic only so that a shared `&Frame` can fill it
/// in (the frame stays `Sync`); `discard_open` has `&mut Frame` and forgets it without an
/// atomic step.
#[derive(Default)]
struct TextScan(AtomicU64);

/// A memo is not part of what a frame holds: a frame prints the same whether or not it has
/// been looked at.
impl std::fmt::Debug for TextScan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TextScan")
    }
}

/// In a [`TextScan`]'s low 32 bits: a look was made (its specials and their count are the low
/// 26 bits)…
const SCANNED: u32 = 1 << 30;
/// … and it found one.
const FOUND: u64 = 1 << 31;

impl TextScan {
    /// The key of a look for `specials` at a text `len` bytes long: the length, the bytes,
    /// their count and [`SCANNED`]; `None` (not memoised) for more than 3 specials.
    fn key<const N: usize>(specials: [u8; N], len: usize) -> Option<u64> {
        (N <= 3).then(|| {
            let bytes = specials.iter().fold(0, |key, &b| key << 8 | u32::from(b));
            (len as u64) << 32 | u64::from(SCANNED | (N as u32) << 24 | bytes)
        })
    }

    /// Forgets the answer (the text changed).
    fn forget(&mut self) {
        *self.0.get_mut() = 0;
    }
}

impl Clone for TextScan {
    fn clone(&self) -> TextScan {
        TextScan(AtomicU64::new(self.0.load(Ordering::Relaxed)))
    }
}

/// One item on the paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Item {
    /// A printed line of text (possibly empty).
    Line(Line),
    /// A code block (always centred by the printer, on lines of its own).
    Code(CodeItem),
}

/// What produced a line; backends may use it (e.g. a native tag for a centred line) and the SVG
/// preview draws rules differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum LineKind {
    /// Text (paragraph, heading, arrow, row).
    Text,
    /// A rule, possibly with a label.
    Rule,
    /// An empty line.
    Blank,
}

/// One printed line. Its runs are in the frame it belongs to: [`Frame::runs`] (sorted by
/// `col`, non-overlapping; gaps are spaces at normal size).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Line {
    /// What produced it.
    pub kind: LineKind,
    /// The alignment of the block it came from (a hint; positions are already final).
    pub align: Align,
    /// The template span of the block.
    pub span: Span,
    /// Its runs: `start..end` in the frame's runs.
    runs: Handle,
}

impl Line {
    /// Whether the line has no runs (an empty line).
    pub fn is_empty(&self) -> bool {
        self.runs.start == self.runs.end
    }

    /// How many runs the line has.
    pub fn len(&self) -> usize {
        self.runs.range().len()
    }
}

/// A run of text at a position. Its text is in the frame it belongs to: [`Frame::text`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Placed {
    /// First half-width column (0-based).
    pub col: u16,
    /// Half-width columns it occupies (= ceil(dots / 12)).
    pub width: u16,
    /// Its style (already degraded to what the model can print).
    pub style: Style,
    /// Template or data.
    pub origin: Origin,
    /// Where in the template.
    pub span: Span,
    /// Its text: `start..end` in the frame's text. Every character is printable on the target
    /// encoding (replacements already made), and there are no control characters.
    text: Handle,
}

impl Placed {
    /// The column just after the run (`col + width`).
    pub fn end(&self) -> u16 {
        self.col.saturating_add(self.width)
    }

    /// A run at `(col, width, style, origin, span)` whose text is `start..end` of a text other
    /// than a frame's (layout keeps a table row's runs over the document's text until it
    /// places them: [`Frame::push_moved_runs`]).
    pub(crate) fn over(
        (col, width, style, origin, span): (u16, u16, Style, Origin, Span),
        start: u32,
        end: u32,
    ) -> Placed {
        Placed {
            col,
            width,
            style,
            origin,
            span,
            text: Handle { start, end },
        }
    }

    /// Makes the run's text end at `end` of the text it was made over (a run over a text
    /// joined to the one after it there).
    pub(crate) fn set_text_end(&mut self, end: u32) {
        self.text.end = end;
    }

    /// The run with its text `by` bytes further on (wrapping) in the text it was made over.
    #[inline]
    pub(crate) fn shifted(self, by: u32) -> Placed {
        let text = Handle {
            start: self.text.start.wrapping_add(by),
            end: self.text.end.wrapping_add(by),
        };
        Placed { text, ..self }
    }

    /// Where the run's text is in the text it was made over (a frame's, or the one
    /// [`Placed::over`] was given).
    pub(crate) fn text_range(&self) -> Range<usize> {
        self.text.range()
    }
}

/// A run with its text: what [`Frame::placed`] gives for each run of a line, and what
/// [`Frame::push_run`] adds to a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedText<'f> {
    /// First half-width column (0-based).
    pub col: u16,
    /// Half-width columns it occupies (= ceil(dots / 12)).
    pub width: u16,
    /// The printable text (see [`Placed`]).
    pub text: &'f str,
    /// Its style.
    pub style: Style,
    /// Template or data.
    pub origin: Origin,
    /// Where in the template.
    pub span: Span,
}

impl PlacedText<'_> {
    /// The column just after the run (`col + width`).
    pub fn end(&self) -> u16 {
        self.col.saturating_add(self.width)
    }
}

/// A range in one of a frame's buffers (32 bits: a frame holds less than 4 GiB of text).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
struct Handle {
    start: u32,
    end: u32,
}

impl Handle {
    fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// The rule characters, each with a string of 64 of them (ASCII: a byte each), that
/// [`Frame::push_fill`] copies from.
const FILLS: [(char, &str); 5] = [
    (
        '-',
        "----------------------------------------------------------------",
    ),
    (
        '=',
        "================================================================",
    ),
    (
        '*',
        "****************************************************************",
    ),
    (
        '.',
        "................................................................",
    ),
    (
        '~',
        "~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~",
    ),
];

/// An index into a frame buffer, as a handle stores it.
fn index(n: usize) -> u32 {
    u32::try_from(n).expect("a frame holds less than 4 GiB of text and 4 G runs")
}

/// Where a frame's buffers ended at one moment ([`Frame::mark`]): what [`Frame::truncate_to`]
/// takes the frame back to (a table laid at predicted columns that turned out wrong).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Mark {
    items: usize,
    runs: usize,
    text: usize,
    open: u32,
}

/// A code block in the frame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CodeItem {
    /// Which code.
    pub kind: CodeKind,
    /// Its data.
    pub data: String,
    /// Template or data.
    pub origin: Origin,
    /// Where in the template.
    pub span: Span,
}

impl Frame {
    /// An empty frame (no items) on a paper `columns` wide.
    pub fn new(columns: u16, encoding: Encoding, settings: JobSettings) -> Frame {
        Frame::with_capacity(columns, encoding, settings, [0; 3])
    }

    /// [`Frame::new`] with room for `items` items, `runs` runs and `text` bytes of text.
    pub(crate) fn with_capacity(
        columns: u16,
        encoding: Encoding,
        settings: JobSettings,
        [items, runs, text]: [usize; 3],
    ) -> Frame {
        // (the buffers of the last frame dropped on this thread, when there is one: `Drop`)
        let (mut i, mut r, mut t) = spare::take(&SPARE).unwrap_or_default();
        i.reserve(items);
        r.reserve(runs);
        t.reserve(text);
        Frame {
            columns,
            encoding,
            settings,
            items: i,
            runs: r,
            text: t,
            open: 0,
            scan: TextScan::default(),
            shown: None,
        }
    }

    /// Makes room for `items` more items, `runs` more runs and `text` more bytes of text.
    pub(crate) fn reserve(&mut self, [items, runs, text]: [usize; 3]) {
        self.items.reserve(items);
        self.runs.reserve(runs);
        self.text.reserve(text);
    }

    /// The items, top to bottom.
    pub fn items(&self) -> &[Item] {
        match self.shown {
            None => &self.items,
            Some(shown) => &self.items[shown.range()],
        }
    }

    /// The runs of `line` (a line of this frame), sorted by column.
    pub fn runs(&self, line: &Line) -> &[Placed] {
        &self.runs[line.runs.range()]
    }

    /// The bytes of text and the number of runs in the frame's buffers (every line's, and
    /// any a split lent out): what a dialect sizes its output from without reading each run.
    pub(crate) fn buffer_sizes(&self) -> (usize, usize) {
        (self.text.len(), self.runs.len())
    }

    /// Whether the items' runs hold more than `bytes` bytes of text (not counting anything
    /// else the buffer holds): then a dialect that writes every run's text writes more. Reads
    /// the runs up to where they pass it, and none when the buffer, which holds every run's
    /// text, is not longer.
    pub(crate) fn run_text_passes(&self, bytes: usize) -> bool {
        if self.text.len() <= bytes {
            return false;
        }
        let mut sum = 0usize;
        for item in self.items() {
            if let Item::Line(line) = item {
                sum += (self.runs(line).iter())
                    .map(|r| r.text.range().len())
                    .sum::<usize>();
                if sum > bytes {
                    return true;
                }
            }
        }
        false
    }
    /// The capacity of its text buffer (the tests of `spare.rs`).
    #[cfg(test)]
    pub(crate) fn text_capacity(&self) -> usize {
        self.text.capacity()
    }

    /// All the text in the frame's buffer: every run's text is part of it (a dialect looks at
    /// it once to skip a check on every run).
    pub(crate) fn all_text(&self) -> &str {
        &self.text
    }

    /// `checks::any_control_or(self.all_text(), specials)`, looked at once per text: the answer
    /// is kept with the text (a split's trial lowerings each ask it of the whole receipt's
    /// text, lent to a scratch frame) until the text changes, and asked again for other
    /// specials. Equal to scanning each time: the memo is keyed by the specials and the text's
    /// length, which every change to the text changes but `discard_open`'s, which forgets it
    /// (`frame_scan_is_forgotten_when_the_text_changes`).
    pub(crate) fn any_control_or<const N: usize>(&self, specials: [u8; N]) -> bool {
        let key = TextScan::key(specials, self.text.len());
        let memo = self.scan.0.load(Ordering::Relaxed);
        if key.is_some_and(|key| memo & !FOUND == key) {
            return memo & FOUND != 0;
        }
        let found = crate::backend::checks::any_control_or(self.all_text(), specials);
        if let Some(key) = key {
            let memo = if found { key | FOUND } else { key };
            self.scan.0.store(memo, Ordering::Relaxed);
        }
        found
    }

    /// The text of `placed` (a run of this frame).
    pub fn text(&self, placed: &Placed) -> &str {
        &self.text[placed.text.range()]
    }

    /// The runs of `line` (a line of this frame) with their texts.
    pub fn placed<'f>(
        &'f self,
        line: &Line,
    ) -> impl DoubleEndedIterator<Item = PlacedText<'f>> + ExactSizeIterator + Clone + 'f {
        self.runs(line).iter().map(|p| PlacedText {
            col: p.col,
            width: p.width,
            text: self.text(p),
            style: p.style,
            origin: p.origin,
            span: p.span,
        })
    }

    /// Appends `run` to the line being built (the line [`Frame::end_line`] ends). Runs must
    /// come in column order, not overlap, and end within the paper: the dialects refuse a line
    /// that breaks this (layout never makes one).
    #[inline]
    pub fn push_run(&mut self, run: PlacedText<'_>) {
        let start = self.text.len();
        self.text.push_str(run.text);
        // the end is checked; the start, not after it, fits too
        let end = index(self.text.len());
        self.runs.push(Placed {
            col: run.col,
            width: run.width,
            style: run.style,
            origin: run.origin,
            span: run.span,
            text: Handle {
                start: start as u32,
                end,
            },
        });
    }

    /// Appends `text` to the frame's text, for runs [`Frame::push_moved_runs`] makes of parts of it;
    /// returns where it starts (a table row's runs, side by side in one text, copied at once).
    #[inline]
    pub(crate) fn push_text(&mut self, text: &str) -> u32 {
        let start = index(self.text.len());
        self.text.push_str(text);
        // the end is checked; every offset into it fits too
        index(self.text.len());
        start
    }

    /// Appends `runs` (made [`Placed::over`] a text whose bytes from `from` on were copied to
    /// `to` in the frame's text by [`Frame::push_text`]) to the line being built, in one copy:
    /// the runs [`Frame::push_run`] makes of those texts at those columns, without copying the
    /// texts again. Returns the runs appended, for the caller to move each to its place (`col`
    /// is public).
    #[inline]
    pub(crate) fn push_moved_runs(&mut self, runs: &[Placed], from: u32, to: u32) -> &mut [Placed] {
        let first = self.runs.len();
        self.runs.extend_from_slice(runs);
        self.move_texts(first..self.runs.len(), from, to)
    }

    /// Moves the texts of the runs `runs` (made [`Placed::over`] a text whose bytes from
    /// `from` on were copied to `to` in the frame's text) onto that copy; returns them.
    fn move_texts(&mut self, runs: Range<usize>, from: u32, to: u32) -> &mut [Placed] {
        let moved = &mut self.runs[runs];
        for run in moved.iter_mut() {
            debug_assert!(from <= run.text.start && run.text.start <= run.text.end);
            let start = run.text.start - from + to;
            run.text = Handle {
                start,
                end: start + (run.text.end - run.text.start),
            };
            debug_assert!(self.text.get(run.text.range()).is_some(), "copied first");
        }
        moved
    }

    /// Calls `make` with the runs buffer, to append runs to the line being built in place
    /// (a table row measured and placed in one pass, without a list of its own to copy them
    /// from); `make` only appends, and the runs it appends are made [`Placed::over`] another
    /// text until [`Frame::shift_texts`] moves them onto their copy of it (or made over where
    /// it will be copied).
    #[inline]
    pub(crate) fn append_runs<R>(&mut self, make: impl FnOnce(&mut Vec<Placed>) -> R) -> R {
        let before = self.runs.len();
        let made = make(&mut self.runs);
        debug_assert!(self.runs.len() >= before, "only appends");
        made
    }

    /// The number of runs in the runs buffer (where the next run appended goes).
    pub(crate) fn runs_len(&self) -> usize {
        self.runs.len()
    }

    /// Moves the texts of the runs from `runs.start` on by `by` bytes (wrapping: a run made
    /// over where a text would have been copied, moved to where it is copied).
    pub(crate) fn shift_texts(&mut self, runs: std::ops::RangeFrom<usize>, by: u32) {
        for run in &mut self.runs[runs] {
            *run = run.shifted(by);
        }
    }

    /// Appends a line of `runs` ([`Frame::push_run`] each, then [`Frame::end_line`]).
    pub fn push_line<'t>(
        &mut self,
        kind: LineKind,
        align: Align,
        span: Span,
        runs: impl IntoIterator<Item = PlacedText<'t>>,
    ) {
        for run in runs {
            self.push_run(run);
        }
        self.end_line(kind, align, span);
    }

    /// Appends a run of `count` times `ch` at `(col, width, style, origin, span)` (see
    /// [`Frame::push_run`]).
    pub(crate) fn push_fill(
        &mut self,
        (col, width, style, origin, span): (u16, u16, Style, Origin, Span),
        ch: char,
        count: usize,
    ) {
        let start = index(self.text.len());
        // a rule's character (the parser's `-=*.~`) copied 64 at a time from a string of them:
        // the same characters as pushing `ch` `count` times
        match FILLS.iter().find(|(c, _)| *c == ch) {
            Some((_, many)) => {
                let mut left = count;
                while left > 0 {
                    let n = left.min(many.len());
                    self.text.push_str(&many[..n]);
                    left -= n;
                }
            }
            None => self.text.extend(std::iter::repeat_n(ch, count)),
        }
        self.close_run(col, width, start, style, origin, span);
    }

    /// Makes the text from `start` to the end of the frame's text a run.
    #[inline]
    fn close_run(
        &mut self,
        col: u16,
        width: u16,
        start: u32,
        style: Style,
        origin: Origin,
        span: Span,
    ) {
        let text = Handle {
            start,
            end: index(self.text.len()),
        };
        self.runs.push(Placed {
            col,
            width,
            style,
            origin,
            span,
            text,
        });
    }

    /// Adds `ch` to the text of the last run of the line being built and returns that run (to
    /// set its width and span: an emulator's run of touching glyphs); `None`, with nothing
    /// changed, when the line has no run yet.
    pub(crate) fn extend_last_run(&mut self, ch: char) -> Option<&mut Placed> {
        let open = self.open as usize;
        let last = self.runs[open..].last_mut()?;
        self.text.push(ch);
        last.text.end = index(self.text.len());
        Some(last)
    }

    /// Inserts a code block before item `at` (an emulator's logo, printed first).
    pub(crate) fn insert_code(&mut self, at: usize, code: CodeItem) {
        debug_assert!(self.shown.is_none(), "lent items are only read");
        self.items.insert(at, Item::Code(code));
    }

    /// Removes the runs of the line being built, and their texts.
    pub(crate) fn discard_open(&mut self) {
        let open = self.open as usize;
        if let Some(first) = self.runs.get(open) {
            self.scan.forget();
            self.text.truncate(first.text.start as usize);
        }
        self.runs.truncate(open);
    }

    /// Where the frame's buffers end now, for [`Frame::truncate_to`].
    pub(crate) fn mark(&self) -> Mark {
        Mark {
            items: self.items.len(),
            runs: self.runs.len(),
            text: self.text.len(),
            open: self.open,
        }
    }

    /// Takes back everything appended since `mark` was made (items, runs, texts, and the line
    /// being built then, open again): the frame is as it was then, buffers included.
    pub(crate) fn truncate_to(&mut self, mark: Mark) {
        debug_assert!(self.shown.is_none(), "lent items are only read");
        debug_assert!(self.items.len() >= mark.items && self.runs.len() >= mark.runs);
        self.items.truncate(mark.items);
        self.runs.truncate(mark.runs);
        if self.text.len() != mark.text {
            self.scan.forget();
            self.text.truncate(mark.text);
        }
        self.open = mark.open;
    }

    /// The runs of the line being built so far.
    pub(crate) fn open_runs(&self) -> &[Placed] {
        &self.runs[self.open as usize..]
    }

    /// Ends the line being built: the runs pushed since the last line ended become a line (no
    /// runs: an empty line).
    pub fn end_line(&mut self, kind: LineKind, align: Align, span: Span) {
        let open = index(self.runs.len()) - self.open;
        self.end_line_of(open, kind, align, span);
    }

    /// Ends a line of the first `runs` runs of the line being built, as [`Frame::end_line`]
    /// would have had only they been pushed: the runs after them stay open (the lines of rows
    /// whose runs were pushed at once, [`Frame::push_moved_runs`]).
    #[inline]
    pub(crate) fn end_line_of(&mut self, runs: u32, kind: LineKind, align: Align, span: Span) {
        debug_assert!(self.shown.is_none(), "lent items are only read");
        debug_assert!(
            runs as usize <= self.open_runs().len(),
            "ends within the open runs"
        );
        let end = self.open + runs;
        let runs = Handle {
            start: self.open,
            end,
        };
        self.open = end;
        self.items.push(Item::Line(Line {
            kind,
            align,
            span,
            runs,
        }));
    }

    /// Appends a code block (the line being built must be ended first).
    pub fn push_code(&mut self, code: CodeItem) {
        debug_assert!(self.shown.is_none(), "lent items are only read");
        debug_assert!(self.open_runs().is_empty(), "a line is being built");
        self.items.push(Item::Code(code));
    }

    /// Appends `items[range]` of `from` (another frame), with their runs and texts.
    pub fn extend_from(&mut self, from: &Frame, range: Range<usize>) {
        for item in &from.items()[range] {
            match item {
                Item::Line(line) => {
                    for run in from.placed(line) {
                        self.push_run(run);
                    }
                    self.end_line(line.kind, line.align, line.span);
                }
                Item::Code(code) => self.push_code(code.clone()),
            }
        }
    }

    /// Lends all of its items and their buffers to `to`, without copying or moving an item:
    /// the three buffers are swapped with `to`'s (which are replaced), so that `to` can be
    /// shown any range of the items as a frame of its own ([`Frame::show`], none until then)
    /// and [`Frame::take_back`] returns them. This frame has no items meanwhile. (Moving
    /// the items of each range to `to` and back cost a split of a long receipt in many jobs
    /// more than its lowerings: each trial lends all that is left.)
    pub(crate) fn lend(&mut self, to: &mut Frame) {
        debug_assert!(
            self.shown.is_none(),
            "a frame that holds lent items lends them on"
        );
        to.items.clear();
        std::mem::swap(&mut self.items, &mut to.items);
        std::mem::swap(&mut self.runs, &mut to.runs);
        std::mem::swap(&mut self.text, &mut to.text);
        std::mem::swap(&mut self.scan, &mut to.scan);
        to.open = index(to.runs.len());
        to.shown = Some(Handle { start: 0, end: 0 });
    }

    /// On a frame that was lent another frame's items ([`Frame::lend`]): makes `range` of
    /// them its items, as the frame [`Frame::extend_from`] would make of them (the same
    /// items, runs and texts; the buffers hold the others' too, as a lent frame's did).
    pub(crate) fn show(&mut self, range: Range<usize>) {
        assert!(self.shown.is_some(), "only lent items are shown");
        assert!(range.start <= range.end && range.end <= self.items.len());
        self.shown = Some(Handle {
            start: index(range.start),
            end: index(range.end),
        });
    }

    /// Takes back what [`Frame::lend`] lent to `to`.
    pub(crate) fn take_back(&mut self, to: &mut Frame) {
        debug_assert!(to.shown.is_some(), "takes back only what was lent");
        std::mem::swap(&mut self.items, &mut to.items);
        std::mem::swap(&mut self.runs, &mut to.runs);
        std::mem::swap(&mut self.text, &mut to.text);
        std::mem::swap(&mut self.scan, &mut to.scan);
        to.shown = None;
        to.open = index(to.runs.len());
    }

    /// The runs of `a` (of this frame) and `b` (of `other`) are the same, texts included.
    fn same_runs(&self, a: &Line, other: &Frame, b: &Line) -> bool {
        a.len() == b.len() && self.placed(a).eq(other.placed(b))
    }

    /// [`Frame::run_text_passes`], read from the items' runs as one slice of the runs buffer
    /// instead of line by line: a line's runs follow the line before's there ([`Frame::end_line`]
    /// makes a line of the runs pushed since the last line ended, and items are only appended,
    /// or a code, which has none, inserted), so the runs of the items (shown or all) are the
    /// runs from their first line's first to their last line's last. A long receipt's frame is
    /// asked this once per render, before it is split ([`crate::printer::Dialect::passes_a_limit`]),
    /// and the walk over its lines cost more than a tenth of its first job's lowering.
    pub(crate) fn line_text_passes(&self, bytes: usize) -> bool {
        if self.text.len() <= bytes {
            return false;
        }
        let items = self.items();
        let runs = |item: &Item| match item {
            Item::Line(line) => Some(line.runs),
            Item::Code(_) => None,
        };
        let (Some(first), Some(last)) = (
            items.iter().find_map(runs),
            items.iter().rev().find_map(runs),
        ) else {
            return false;
        };
        let mut sum = 0usize;
        // (the sum of a chunk's lengths in one pass, then whether it passed)
        for chunk in self.runs[first.start as usize..last.end as usize].chunks(64) {
            sum += (chunk.iter())
                .map(|r| (r.text.end - r.text.start) as usize)
                .sum::<usize>();
            if sum > bytes {
                return true;
            }
        }
        false
    }
}

impl PartialEq for Frame {
    fn eq(&self, other: &Frame) -> bool {
        (self.columns, self.encoding, &self.settings)
            == (other.columns, other.encoding, &other.settings)
            && self.items().len() == other.items().len()
            && self.open_runs().len() == other.open_runs().len()
            && self
                .items()
                .iter()
                .zip(other.items())
                .all(|pair| match pair {
                    (Item::Line(a), Item::Line(b)) => {
                        (a.kind, a.align, a.span) == (b.kind, b.align, b.span)
                            && self.same_runs(a, other, b)
                    }
                    (Item::Code(a), Item::Code(b)) => a == b,
                    _ => false,
                })
    }
}

impl Eq for Frame {}

/// A frame's buffers, empty: what its `Drop` keeps for the next [`Frame::with_capacity`] on
/// its thread.
type Buffers = (Vec<Item>, Vec<Placed>, String);

thread_local! {
    static SPARE: std::cell::Cell<Option<Buffers>> = const { std::cell::Cell::new(None) };
}

/// A frame's buffers, emptied, are kept on its thread for the next frame laid out there
/// (`spare.rs` decides what is kept): the frame a [`Job`](crate::printer::Job) holds is
/// dropped by the caller, after the render.
impl Drop for Frame {
    fn drop(&mut self) {
        let mut items = std::mem::take(&mut self.items);
        let mut runs = std::mem::take(&mut self.runs);
        let mut text = std::mem::take(&mut self.text);
        items.clear();
        runs.clear();
        text.clear();
        let bytes = (spare::bytes_of(&items).saturating_add(spare::bytes_of(&runs)))
            .saturating_add(text.capacity());
        spare::keep(&SPARE, (items, runs, text), bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(frame: &mut Frame, col: u16, text: &str) {
        frame.push_run(PlacedText {
            col,
            width: u16::try_from(text.len()).unwrap(),
            text,
            style: Style::PLAIN,
            origin: Origin::Data,
            span: Span::default(),
        });
    }

    #[test]
    fn lines_give_back_their_runs_and_texts() {
        let mut f = Frame::new(16, Encoding::Gbk, JobSettings::default());
        run(&mut f, 0, "ab");
        run(&mut f, 4, "cd");
        f.end_line(LineKind::Text, Align::Left, Span::default());
        f.end_line(LineKind::Blank, Align::Left, Span::default());
        run(&mut f, 1, "e");
        f.end_line(LineKind::Rule, Align::Center, Span::default());
        let lines: Vec<Vec<(u16, &str)>> = f
            .items()
            .iter()
            .map(|i| match i {
                Item::Line(l) => f.placed(l).map(|r| (r.col, r.text)).collect(),
                Item::Code(_) => Vec::new(),
            })
            .collect();
        assert_eq!(lines, [vec![(0, "ab"), (4, "cd")], vec![], vec![(1, "e")]]);
    }

    #[test]
    fn frames_are_equal_by_content_and_lending_gives_everything_back() {
        let mut f = Frame::new(16, Encoding::Gbk, JobSettings::default());
        for k in 0..4u16 {
            run(&mut f, k, "x");
            f.end_line(LineKind::Text, Align::Left, Span::default());
        }
        // the last two lines copied: equal to the lent ones, whatever their buffers hold
        let mut copy = Frame::new(16, Encoding::Gbk, JobSettings::default());
        copy.extend_from(&f, 2..4);
        let before = f.clone();
        let mut scratch = Frame::new(16, Encoding::Gbk, JobSettings::default());
        f.lend(&mut scratch);
        assert!(f.items().is_empty() && scratch.items().is_empty());
        scratch.show(2..4);
        assert_eq!(scratch, copy);
        scratch.show(0..4);
        assert_eq!(scratch, before);
        f.take_back(&mut scratch);
        assert_eq!(f, before);
        assert_ne!(f, copy);
    }

    /// The memoised look equals scanning the text now, for each specials asked.
    fn scans_as_now(f: &Frame) {
        use crate::backend::checks::any_control_or;
        for _ in 0..2 {
            assert_eq!(f.any_control_or([]), any_control_or(f.all_text(), []));
            assert_eq!(
                f.any_control_or([b'@']),
                any_control_or(f.all_text(), [b'@'])
            );
            let tags = [b'<', b'>', b'&'];
            assert_eq!(f.any_control_or(tags), any_control_or(f.all_text(), tags));
        }
    }

    #[test]
    fn frame_scan_is_forgotten_when_the_text_changes() {
        let mut f = Frame::new(16, Encoding::Gbk, JobSettings::default());
        scans_as_now(&f);
        run(&mut f, 0, "ab");
        assert!(!f.any_control_or([b'@']));
        run(&mut f, 2, "@");
        assert!(f.any_control_or([b'@']), "push_run: rescanned");
        f.discard_open();
        assert!(!f.any_control_or([b'@']), "discard_open: rescanned");
        // the same length again, another text: discard_open forgot the look
        run(&mut f, 0, "ab");
        assert!(!f.any_control_or([b'@']));
        f.discard_open();
        run(&mut f, 0, "a@");
        assert!(
            f.any_control_or([b'@']),
            "discard_open, then as long a text: rescanned"
        );
        f.discard_open();
        run(&mut f, 0, "a");
        assert!(!f.any_control_or([b'<']));
        f.extend_last_run('<');
        assert!(f.any_control_or([b'<']), "extend_last_run: rescanned");
        f.end_line(LineKind::Text, Align::Left, Span::default());
        assert!(!f.any_control_or([b'&']));
        let at = (0, 1, Style::PLAIN, Origin::Data, Span::default());
        f.push_fill(at, '&', 1);
        assert!(f.any_control_or([b'&']), "push_fill: rescanned");
        f.end_line(LineKind::Text, Align::Left, Span::default());
        scans_as_now(&f);
        // a scratch frame with a clean text of its own: the scans move with the texts
        let mut scratch = Frame::new(16, Encoding::Gbk, JobSettings::default());
        run(&mut scratch, 0, "z");
        assert!(!scratch.any_control_or([b'&']));
        assert!(f.any_control_or([b'&']));
        f.lend(&mut scratch);
        scratch.show(0..1);
        assert!(scratch.any_control_or([b'&']));
        assert!(!f.any_control_or([b'&']));
        scans_as_now(&scratch);
        f.take_back(&mut scratch);
        assert!(f.any_control_or([b'&']));
        assert!(!scratch.any_control_or([b'&']));
        scans_as_now(&f);
        scans_as_now(&f.clone());
        let mut copy = Frame::new(16, Encoding::Gbk, JobSettings::default());
        assert!(!copy.any_control_or([b'&']));
        copy.extend_from(&f, 0..2);
        assert!(copy.any_control_or([b'&']), "extend_from: rescanned");
    }

    #[test]
    fn long_texts_and_many_runs_are_copied_whole() {
        // a text of 1-, 2-, 3- and 4-byte characters, longer than any small-copy path
        let text: String = "a·好😀".repeat(400);
        let mut f = Frame::new(16, Encoding::Gbk, JobSettings::default());
        run(&mut f, 0, "x");
        assert_eq!(f.push_text(&text), 1);
        assert_eq!(&f.all_text()[1..], text);
        let runs: Vec<Placed> = (0..300u32)
            .map(|k| {
                Placed::over(
                    (0, 1, Style::PLAIN, Origin::Data, Span::default()),
                    k,
                    k + 1,
                )
            })
            .collect();
        let to = f.push_text(&"b".repeat(301));
        let at = to as usize;
        let moved = f.push_moved_runs(&runs, 0, to);
        assert_eq!(moved.len(), 300);
        assert!(
            moved
                .iter()
                .enumerate()
                .all(|(k, r)| r.text_range() == (at + k..at + k + 1))
        );
        f.end_line_of(2, LineKind::Text, Align::Left, Span::default());
        assert_eq!(f.open_runs().len(), 299);
    }

    #[test]
    fn a_fill_is_its_character_count_times() {
        for (ch, many) in FILLS {
            assert_eq!(many, ch.to_string().repeat(64));
        }
        for ch in ['-', '=', '*', '.', '~', '—', '中', '😀'] {
            for count in 0..140 {
                let mut f = Frame::new(16, Encoding::Gbk, JobSettings::default());
                run(&mut f, 0, "ab");
                let at = (2, 1, Style::PLAIN, Origin::Template, Span::default());
                f.push_fill(at, ch, count);
                f.end_line(LineKind::Rule, Align::Left, Span::default());
                let Item::Line(line) = &f.items()[0] else {
                    unreachable!()
                };
                let texts: Vec<&str> = f.placed(line).map(|r| r.text).collect();
                assert_eq!(texts, ["ab", &ch.to_string().repeat(count)]);
                assert_eq!(f.all_text().len(), 2 + ch.len_utf8() * count);
            }
        }
    }

    proptest::proptest! {
        #[test]
        fn frame_scan_equals_scanning_each_time(
            steps in proptest::collection::vec(("[a<>&@\\u{1}\\u{85}中]{0,3}", 0..4u8), 0..12)
        ) {
            let mut f = Frame::new(16, Encoding::Gbk, JobSettings::default());
            for (text, op) in &steps {
                match op {
                    0 => run(&mut f, 0, text),
                    1 => f.discard_open(),
                    2 => f.end_line(LineKind::Text, Align::Left, Span::default()),
                    _ => { f.extend_last_run(text.chars().next().unwrap_or('x')); }
                }
                scans_as_now(&f);
            }
        }
    }
}
