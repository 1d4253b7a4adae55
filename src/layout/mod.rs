//! Layout: from a bound [`Document`] to a [`Frame`] of lines at exact column positions.
//!
//! Pure integer arithmetic. The paper is `opts.columns` half-width columns wide (the caller has
//! already decided between a `--paper` flag, the front matter and the model's default); the
//! printer's encoding decides character widths and what is printable (both measured by
//! [`crate::measure`]); the model's style support decides how styles degrade (`style.rs`).
//!
//! Guarantees, for any document that lays out without error:
//!
//! - no line is wider than the paper: every run ends at or before `columns`, runs are sorted and
//!   never overlap;
//! - every character in the frame is printable on the encoding, and no control character
//!   reaches it; every replacement and every degraded style comes back as a [`Warning`];
//! - right-aligned lines end exactly at the edge; centred lines have margins that differ by at
//!   most one column (the odd column on the right);
//! - the same input gives the same frame.
//!
//! Block by block: text blocks wrap (Latin words and numbers whole, CJK
//! between characters, no closing punctuation at a line start, no opening one at a line end)
//! and each line is aligned; rules fill the line, with a label centred between two fills;
//! tables allocate columns as described in the `table` module docs; codes pass through with
//! their data; job settings are copied.
//!
//! Errors (kind [`ErrorKind::Layout`]): fixed table columns that do not fit the paper (at the
//! spec row), a character wider than its table column (at the run), a paper narrower than
//! [`MIN_COLUMNS`].

mod blocks;
mod inline;
mod style;
mod table;
mod wrap;

use crate::document::{Block, Document, JobSettings};
use crate::error::{Error, ErrorKind, Warning};
use crate::frame::{Frame, LayoutOptions, LineKind, PlacedText};
use crate::span::Span;
use crate::vocab::Align;

use inline::Warnings;
use wrap::{Piece, TooWide, to_u16};

/// The narrowest paper layout accepts, in columns (as `Paper::parse` does).
pub const MIN_COLUMNS: u16 = 8;

/// A laid-out document: the frame and the warnings found on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Laid {
    /// The paper.
    pub frame: Frame,
    /// Replaced characters, degraded styles, approximations; in document order, no duplicates.
    pub warnings: Vec<Warning>,
}

/// Lays `doc` out on a paper of `opts.columns` columns.
///
/// ```
/// use slipmark::document::{Align, Builder, Origin, Style, TextKind};
/// use slipmark::frame::{Item, LayoutOptions};
/// use slipmark::Span;
///
/// let mut b = Builder::new();
/// b.run("谢谢惠顾", Style::PLAIN, Origin::Template, Span::default())
///     .text_block(TextKind::Arrow, Align::Center, Span::default());
/// let doc = b.finish();
/// let laid = slipmark::layout::layout(&doc, &LayoutOptions::default()).unwrap();
/// let Item::Line(line) = &laid.frame.items()[0] else { unreachable!() };
/// let run = &laid.frame.runs(line)[0];
/// assert_eq!((run.col, run.width), (12, 8)); // (32 - 8) / 2
/// assert_eq!(laid.frame.text(run), "谢谢惠顾");
/// ```
pub fn layout(doc: &Document, opts: &LayoutOptions) -> Result<Laid, Error> {
    if opts.columns < MIN_COLUMNS {
        return Err(Error::new(
            ErrorKind::Layout,
            format!("a paper {} columns wide is too narrow", opts.columns),
        )
        .with_hint(format!("use at least {MIN_COLUMNS} columns (58mm is 32)")));
    }
    match lay_out(doc, opts, true) {
        // a table was laid at predicted widths: the error may not be the one laying without
        // predicting gives first (a spec row's, before any block)
        Err((_, true)) => lay_out(doc, opts, false).map_err(|(e, _)| e),
        done => done.map_err(|(e, _)| e),
    }
}

/// [`layout`] on a paper wide enough; with `speculate`, the tables whose widths can be
/// predicted are laid at them as their rows are measured (`table::speculate`). An error comes
/// with whether any table was.
pub(crate) fn lay_out(
    doc: &Document,
    opts: &LayoutOptions,
    speculate: bool,
) -> Result<Laid, (Error, bool)> {
    let mut cx = Cx::new(opts);
    let (items, runs) = sizes(doc, opts.columns);
    cx.frame.reserve(frame_room(items, opts.columns));
    cx.frags.reserve(runs);
    let mut tables = table::prepare(opts, doc, speculate);
    let predicted = tables.any_predicted();
    let failed = |e: Error| (e, predicted);
    cx.specs = table::spec_widths(&cx, &mut tables).map_err(failed)?;
    let mut k = 0;
    for block in &doc.blocks {
        match block {
            Block::Text(t) => blocks::text(&mut cx, doc, t).map_err(failed)?,
            Block::Blank(span) => blocks::blank(&mut cx, *span),
            Block::Rule(r) => blocks::rule(&mut cx, doc, r).map_err(failed)?,
            Block::Table(t) => {
                table::table(&mut cx, t, &mut tables, k).map_err(failed)?;
                k += 1;
            }
            Block::Code(c) => blocks::code(&mut cx, c),
        }
    }
    cx.frame.settings = doc.settings.clone();
    Ok(Laid {
        frame: cx.frame,
        warnings: cx.warnings.into_vec(),
    })
}

/// About the items the frame of `doc` has on a paper `columns` wide (one per block, one per
/// table row, a text block's bytes over the paper's width: a printable character takes at
/// most as many columns as its bytes), and the most runs in one text block or rule label: so
/// that the list of items and the fragment list are allocated once for most receipts.
fn sizes(doc: &Document, columns: u16) -> (usize, usize) {
    let (mut items, mut runs) = (0, 0);
    for b in &doc.blocks {
        items += match b {
            Block::Table(t) => doc.rows(t).len() + usize::from(t.header.is_some()),
            Block::Text(t) => {
                let bytes: usize = doc.runs(t.runs).iter().map(|r| r.text.len()).sum();
                bytes.div_ceil(usize::from(columns)).max(1)
            }
            _ => 1,
        };
        runs = runs.max(match b {
            Block::Text(t) => doc.runs(t.runs).len(),
            Block::Rule(r) => doc.runs(r.label).len(),
            _ => 0,
        });
    }
    (items, runs)
}

/// Room for the frame of about `items` items on a paper `columns` wide: items, runs and text
/// bytes. A guess from what receipts hold (up to four runs a line, a byte a column of text):
/// the buffers grow past it by doubling, so a long receipt costs a few more allocations, not one
/// a line.
fn frame_room(items: usize, columns: u16) -> [usize; 3] {
    [items, 4 * items, items * usize::from(columns)]
}

/// State of one layout run.
pub(crate) struct Cx<'a> {
    opts: &'a LayoutOptions,
    /// Paper width in columns.
    width: u32,
    warnings: Warnings,
    /// The frame being laid out (its settings are set at the end).
    frame: Frame,
    /// Column widths of each spec row (by its span), allocated once over every row laid out
    /// under it, so that tables split by a note or a rule keep the same columns.
    specs: Vec<table::Spec<'a>>,
    /// Room for the fragments of one text block or rule label, reused from block to block.
    frags: Vec<inline::Frag<'a>>,
    /// Room for the characters of a text block being wrapped, reused from block to block.
    chars: Vec<wrap::Ch>,
    /// Room for a table row kept as runs whose fragments are needed again (`table::with_frags`),
    /// reused from row to row.
    rows: table::Rows<'a>,
}

impl<'a> Cx<'a> {
    /// The state at the start of a layout with `opts`.
    fn new(opts: &'a LayoutOptions) -> Cx<'a> {
        Cx {
            opts,
            width: u32::from(opts.columns),
            warnings: Warnings::default(),
            frame: Frame::new(opts.columns, opts.encoding, JobSettings::default()),
            specs: Vec::new(),
            frags: Vec::new(),
            chars: Vec::new(),
            rows: table::Rows::default(),
        }
    }

    /// Appends `piece` shifted right by `by` columns to the line being built.
    fn push_piece(&mut self, piece: &Piece<'_>, by: u32) {
        let run = PlacedText {
            col: piece.col.saturating_add(to_u16(by)),
            ..*piece
        };
        debug_assert!(
            (self.frame.open_runs().last()).is_none_or(|last| last.end() <= run.col),
            "runs are sorted and do not overlap"
        );
        debug_assert!(run.end() <= self.frame.columns, "runs end within the paper");
        self.frame.push_run(run);
    }

    /// Ends a text line of the runs pushed since the last line.
    fn text_line(&mut self, align: Align, span: Span) {
        self.frame.end_line(LineKind::Text, align, span);
    }

    /// The reusable fragment list, empty (give it back to `self.frags` when done).
    fn scratch_frags(&mut self) -> Vec<inline::Frag<'a>> {
        let mut frags = std::mem::take(&mut self.frags);
        frags.clear();
        frags
    }

    /// The error for a character wider than the space it must fit in.
    fn too_wide(&self, e: TooWide, place: &str) -> Error {
        Error::new(
            ErrorKind::Layout,
            format!(
                "`{}` is {} columns wide, wider than {place}",
                e.ch, e.columns
            ),
        )
        .at(e.span)
        .with_hint("use a smaller style for this text")
    }
}
