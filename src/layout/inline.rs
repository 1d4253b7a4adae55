//! Turning bound runs into printable fragments: replacements, degraded styles, warnings.

use std::borrow::Cow;

use crate::document::{Document, Origin, Run, Scale, Slice, Style};
use crate::error::{Warning, WarningKind};
use crate::frame::LayoutOptions;
use crate::measure::{
    DOTS_PER_COLUMN, Encoding, TextWidth, char_columns, columns_for_dots, printable_measure,
    printable_width, sanitize,
};
use crate::span::Span;

use super::style::{degrade, describe};

/// The most distinct replacements reported for one run (a long run of emoji gets one summary).
const MAX_REPLACEMENT_WARNINGS: usize = 4;

/// A run made printable: every character is printable on the target encoding, the style is one
/// the model has. The text borrows the bound run's when nothing in it had to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frag<'a> {
    /// Printable text.
    pub text: Cow<'a, str>,
    /// Degraded style.
    pub style: Style,
    /// Template or data.
    pub origin: Origin,
    /// Template span.
    pub span: Span,
    /// `text` measured once at normal size (the sum and the maximum of `char_columns`).
    pub size: TextWidth,
    /// A bound on the columns of its number pieces at normal size, 0 when `text` holds no
    /// ASCII digit (then it holds no number piece): its widest stretch between spaces holding
    /// a digit, found by the measuring pass (`printable_measure`), or for a fragment made of
    /// several runs or of a replaced text, all its columns.
    pub numbers: u32,
}

impl<'a> Frag<'a> {
    /// A fragment of `text`, measured character by character.
    #[cfg(test)]
    pub fn new(text: &str, style: Style, origin: Origin, span: Span) -> Frag<'a> {
        let enc = Encoding::Gbk;
        Frag {
            text: Cow::Owned(text.to_string()),
            style,
            origin,
            span,
            size: TextWidth {
                columns: text.chars().map(|c| char_columns(c, enc)).sum(),
                widest: text
                    .chars()
                    .map(|c| char_columns(c, enc))
                    .max()
                    .unwrap_or(0),
            },
            numbers: text
                .split(' ')
                .filter(|s| s.bytes().any(|b| b.is_ascii_digit()))
                .map(|s| s.chars().map(|c| char_columns(c, enc)).sum())
                .max()
                .unwrap_or(0),
        }
    }

    /// Dots taken by `columns` normal-size columns of this fragment: every character's dots
    /// are its columns times the dots of one column at the fragment's scale, so a part of the
    /// fragment is measured without visiting its characters.
    pub fn dots_of(&self, columns: u32) -> u32 {
        self.style
            .width
            .dots(DOTS_PER_COLUMN)
            .saturating_mul(columns)
    }

    /// Columns the whole fragment takes on a line (`ceil(dots / 12)`).
    pub fn columns(&self) -> u32 {
        self.columns_of(self.size.columns)
    }

    /// Columns on a line of `columns` normal-size columns of this fragment:
    /// `columns_for_dots(self.dots_of(columns))`. Fast path: at normal width a column is
    /// [`DOTS_PER_COLUMN`] dots, so the columns stay as they are (while their dots do not
    /// saturate).
    pub fn columns_of(&self, columns: u32) -> u32 {
        columns_in(self.style, columns)
    }
}

/// [`Frag::columns_of`] for a fragment in `style`.
pub(crate) fn columns_in(style: Style, columns: u32) -> u32 {
    if style.width == Scale::X1 && columns <= u32::MAX / DOTS_PER_COLUMN {
        return columns;
    }
    columns_for_dots(style.width.dots(DOTS_PER_COLUMN).saturating_mul(columns))
}

/// Collects warnings during one layout, without duplicates (an unrolled loop reports a bad
/// character in one expression once, not once per item).
#[derive(Debug, Default)]
pub(crate) struct Warnings {
    list: Vec<Warning>,
}

impl Warnings {
    /// Adds a warning unless the same one is already there.
    pub fn push(&mut self, kind: WarningKind, message: String, span: Span) {
        let w = Warning::new(kind, message, span);
        if !self.list.contains(&w) {
            self.list.push(w);
        }
    }

    /// Adds each of `other`'s warnings, in order, as [`Warnings::push`] would.
    pub fn push_all(&mut self, other: Warnings) {
        // `other` has no duplicates: into an empty list, it is the list
        if self.list.is_empty() {
            self.list = other.list;
            return;
        }
        for w in other.list {
            if !self.list.contains(&w) {
                self.list.push(w);
            }
        }
    }

    /// The warnings, in the order first seen.
    pub fn into_vec(self) -> Vec<Warning> {
        self.list
    }
}

/// Makes the runs `runs` of `doc` printable under `opts`, reporting every change. Neighbouring
/// runs with the same style and origin are joined (their span covers both). (Owned fragments,
/// for tests.)
#[cfg(test)]
pub(crate) fn frags(
    doc: &Document,
    runs: Slice,
    opts: &LayoutOptions,
    warnings: &mut Warnings,
) -> Vec<Frag<'static>> {
    let mut out = Vec::new();
    frags_into(doc, runs, opts, Some(warnings), &mut out);
    out.into_iter()
        .map(|f| Frag {
            text: Cow::Owned(f.text.into_owned()),
            ..f
        })
        .collect()
}

/// [`frags`], appending to `out`; with no `warnings`, the changes are made but not reported
/// (for a measuring pass whose warnings are reported when the same runs are laid out).
pub(crate) fn frags_into<'a>(
    doc: &'a Document,
    runs: Slice,
    opts: &LayoutOptions,
    mut warnings: Option<&mut Warnings>,
    out: &mut Vec<Frag<'a>>,
) {
    let first = out.len();
    for run in doc.runs(runs) {
        let text = doc.text(run);
        // Fast path: printable text is borrowed as it is (what `printable` returns for it).
        let (text, size, numbers) = match printable_measure(text, opts.encoding) {
            Some((size, numbers)) => (Cow::Borrowed(text), size, numbers),
            None => printable(run, text, opts.encoding, warnings.as_deref_mut()),
        };
        // Plain text is printed by every model: `degrade` keeps it, with nothing to report.
        let style = if run.style == Style::PLAIN {
            run.style
        } else {
            degraded(run, opts, warnings.as_deref_mut())
        };
        if text.is_empty() {
            continue;
        }
        // Neighbours with the same style and origin print as one piece: measuring them together
        // rounds a ×1.33 run up once instead of once per piece.
        if out.len() > first {
            if let Some(last) = out.last_mut() {
                if last.style == style
                    && last.origin == run.origin
                    && last.span.source == run.span.source
                {
                    last.text.to_mut().push_str(&text);
                    last.span = last.span.to(run.span);
                    last.size.columns = last.size.columns.saturating_add(size.columns);
                    last.size.widest = last.size.widest.max(size.widest);
                    // a stretch may run across the two texts: all the columns bound it
                    if last.numbers > 0 || numbers > 0 {
                        last.numbers = last.size.columns;
                    }
                    continue;
                }
            }
        }
        out.push(Frag {
            text,
            style,
            origin: run.origin,
            span: run.span,
            size,
            numbers,
        });
    }
}

/// The style `run` is printed in under `opts` (see [`degrade`]), reported when it changes.
#[cold]
fn degraded(run: &Run, opts: &LayoutOptions, warnings: Option<&mut Warnings>) -> Style {
    let style = degrade(run.style, opts.styles);
    if style != run.style {
        if let Some(w) = warnings {
            w.push(
                WarningKind::DegradedStyle,
                format!(
                    "this printer cannot print {}; printed as {}",
                    describe(run.style),
                    describe(style)
                ),
                run.span,
            );
        }
    }
    style
}

/// The text `text` of `run` made printable, its size and its number bound ([`Frag::numbers`]). A text
/// whose every character is printable is borrowed as it is, which is what `sanitize` would
/// return for it (no change, no replacement to report); `frags_into` takes that path itself and
/// calls this one for a text that needs replacing.
#[cold]
fn printable<'a>(
    run: &Run,
    text: &'a str,
    encoding: Encoding,
    warnings: Option<&mut Warnings>,
) -> (Cow<'a, str>, TextWidth, u32) {
    if let Some((size, numbers)) = printable_measure(text, encoding) {
        return (Cow::Borrowed(text), size, numbers);
    }
    let (text, replaced) = sanitize(text, encoding);
    if let Some(warnings) = warnings {
        for r in replaced.iter().take(MAX_REPLACEMENT_WARNINGS) {
            warnings.push(WarningKind::ReplacedChar, r.describe(), run.span);
        }
        if replaced.len() > MAX_REPLACEMENT_WARNINGS {
            let more = replaced.len() - MAX_REPLACEMENT_WARNINGS;
            warnings.push(
                WarningKind::ReplacedChar,
                format!("{more} more characters that cannot be printed were replaced"),
                run.span,
            );
        }
    }
    // sanitized text is printable; measured the same way for certainty
    let size = printable_width(&text, encoding).unwrap_or_else(|| TextWidth {
        columns: text.chars().map(|c| char_columns(c, encoding)).sum(),
        widest: text
            .chars()
            .map(|c| char_columns(c, encoding))
            .max()
            .unwrap_or(0),
    });
    // all its columns bound its numbers
    let numbers = if text.bytes().any(|b| b.is_ascii_digit()) {
        size.columns
    } else {
        0
    };
    (Cow::Owned(text), size, numbers)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Scale;
    use crate::error::WarningKind;
    use crate::frame::StyleSupport;

    /// A data run of `text` at byte `at`.
    fn run(text: &str, style: Style, at: usize) -> (&str, Style, Origin, usize) {
        (text, style, Origin::Data, at)
    }

    /// [`frags`] of `runs`, made into one group of a document.
    fn frags_of(
        runs: &[(&str, Style, Origin, usize)],
        opts: &LayoutOptions,
        warnings: &mut Warnings,
    ) -> Vec<Frag<'static>> {
        let mut b = crate::document::Builder::new();
        for &(text, style, origin, at) in runs {
            b.run(text, style, origin, Span::new(0, at, at + 1));
        }
        b.text_block(
            crate::document::TextKind::Paragraph,
            crate::vocab::Align::Left,
            Span::default(),
        );
        let doc = b.finish();
        let crate::document::Block::Text(t) = &doc.blocks[0] else {
            unreachable!()
        };
        frags(&doc, t.runs, opts, warnings)
    }

    #[test]
    fn columns_of_equals_measuring_the_dots() {
        for scale in [Scale::X1, Scale::X4_3, Scale::X2] {
            let style = Style {
                width: scale,
                height: scale,
                bold: false,
            };
            let f = Frag::new("a", style, Origin::Data, Span::default());
            let edge = u32::MAX / DOTS_PER_COLUMN;
            for c in (0..100).chain([edge - 1, edge, edge + 1, u32::MAX - 1, u32::MAX]) {
                assert_eq!(
                    f.columns_of(c),
                    columns_for_dots(f.dots_of(c)),
                    "{scale:?} {c}"
                );
            }
        }
    }

    #[test]
    fn the_same_warning_at_the_same_place_is_reported_once() {
        let opts = LayoutOptions::default();
        let mut w = Warnings::default();
        let runs = [run("a😀", Style::PLAIN, 5), run("b😀", Style::PLAIN, 5)];
        let f = frags_of(&runs, &opts, &mut w);
        assert_eq!(w.into_vec().len(), 1);
        // same style, same origin: one piece spanning both
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].text, "a□b□");
        let template = ("c", Style::PLAIN, Origin::Template, 7);
        let f = frags_of(&[runs[0], template], &opts, &mut Warnings::default());
        assert_eq!(f.len(), 2, "data and template text stay apart");
    }

    #[test]
    fn many_distinct_replacements_in_one_run_are_summarised() {
        let opts = LayoutOptions::default();
        let mut w = Warnings::default();
        frags_of(&[run("😀😁😂🤣😃😄", Style::PLAIN, 0)], &opts, &mut w);
        let w = w.into_vec();
        assert_eq!(w.len(), 5);
        assert_eq!(
            w[4].message,
            "2 more characters that cannot be printed were replaced"
        );
    }

    #[test]
    fn degraded_styles_and_empty_runs() {
        let opts = LayoutOptions {
            styles: StyleSupport {
                wide2: false,
                tall2: false,
                ..StyleSupport::ALL
            },
            ..LayoutOptions::default()
        };
        let big = Style {
            bold: false,
            width: Scale::X2,
            height: Scale::X2,
        };
        let mut w = Warnings::default();
        // a run that is only a control character disappears
        let f = frags_of(&[run("大", big, 0), run("\u{7}", big, 9)], &opts, &mut w);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].style.width, Scale::X4_3);
        let w = w.into_vec();
        assert_eq!(w[0].kind, WarningKind::DegradedStyle);
        assert_eq!(
            w[0].message,
            "this printer cannot print ×2; printed as ×1.33"
        );
    }
}
