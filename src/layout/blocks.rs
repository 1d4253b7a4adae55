//! Text blocks, empty lines, rules and codes.

use crate::document::{Align, Code, Document, Origin, Rule, Style, TextBlock};
use crate::error::{Error, WarningKind};
use crate::frame::{CodeItem, LineKind};
use crate::measure::{char_columns, printable};
use crate::span::Span;

use super::Cx;
use super::inline::{Frag, frags_into};
use super::wrap::{Piece, one_line, to_u16, wrap, wrap_into};

/// Columns kept on each side of a rule label: one fill character and one space.
const LABEL_MARGIN: u32 = 2;

/// Left offset of something `w` wide in `width` columns aligned `align`. Centring puts the
/// odd column on the right, so margins differ by at most one.
pub(crate) fn offset(align: Align, width: u32, w: u32) -> u32 {
    let free = width.saturating_sub(w);
    match align {
        Align::Left => 0,
        Align::Center => free / 2,
        Align::Right => free,
    }
}

/// A paragraph, heading or arrow line: wrapped to the paper, each line aligned.
pub(crate) fn text<'a>(cx: &mut Cx<'a>, doc: &'a Document, block: &TextBlock) -> Result<(), Error> {
    let mut frags = cx.scratch_frags();
    frags_into(doc, block.runs, cx.opts, Some(&mut cx.warnings), &mut frags);
    let done = lay_text(cx, block, &frags);
    cx.frags = frags;
    done
}

/// [`text`] once its runs are made printable.
fn lay_text(cx: &mut Cx<'_>, block: &TextBlock, frags: &[Frag<'_>]) -> Result<(), Error> {
    // One line (the common case): placed directly; the same line `wrap_noting` would return.
    if let Some(one) = one_line(frags, cx.width) {
        let by = offset(block.align, cx.width, one.width);
        for piece in one.pieces(frags) {
            cx.push_piece(&piece, by);
        }
        cx.text_line(block.align, block.span);
        return Ok(());
    }
    // Wrapped: each line placed as the line breaking finds it (what `wrap_noting` would
    // return, line by line), its characters in room reused from block to block.
    let mut split = Vec::new();
    let mut chars = std::mem::take(&mut cx.chars);
    let (width, align, span) = (cx.width, block.align, block.span);
    let wrapped = wrap_into(
        frags,
        width,
        cx.opts.encoding,
        &mut split,
        &mut chars,
        |l| {
            let by = offset(align, width, l.width());
            for piece in l.pieces() {
                cx.push_piece(&piece, by);
            }
            cx.text_line(align, span);
        },
    );
    cx.chars = chars;
    wrapped.map_err(|e| cx.too_wide(e, "the paper"))?;
    for span in split {
        cx.warnings.push(
            WarningKind::SplitNumber,
            format!(
                "this number is wider than the paper ({} columns): it is split over two lines",
                cx.width
            ),
            span,
        );
    }
    Ok(())
}

/// An empty line.
pub(crate) fn blank(cx: &mut Cx<'_>, span: Span) {
    cx.frame.end_line(LineKind::Blank, Align::Left, span);
}

/// Pushes a run of the rule character `count` times from `col`, or nothing.
fn fill(cx: &mut Cx<'_>, ch: char, cw: u32, col: u32, count: u32, span: Span) {
    if count > 0 {
        let width = to_u16(count * cw);
        let run = (to_u16(col), width, Style::PLAIN, Origin::Template, span);
        cx.frame.push_fill(run, ch, count as usize);
    }
}

/// Removes leading spaces of the first fragment and trailing spaces of the last (a label's
/// spacing is the rule's business).
fn trim(frags: &mut Vec<Frag<'_>>) {
    while let Some(f) = frags.first_mut() {
        let n = f.text.len() - f.text.trim_start_matches(' ').len();
        if n == f.text.len() {
            frags.remove(0);
        } else {
            cut(f, 0..n);
            break;
        }
    }
    while let Some(f) = frags.last_mut() {
        let keep = f.text.trim_end_matches(' ').len();
        if keep == 0 {
            frags.pop();
        } else {
            let len = f.text.len();
            cut(f, keep..len);
            break;
        }
    }
}

/// Removes the spaces at `range` of a fragment's text (one column each).
fn cut(f: &mut Frag<'_>, range: std::ops::Range<usize>) {
    if range.is_empty() {
        return;
    }
    let spaces = u32::try_from(range.len()).unwrap_or(u32::MAX);
    f.size.columns = f.size.columns.saturating_sub(spaces);
    match &mut f.text {
        std::borrow::Cow::Borrowed(s) => {
            *s = if range.start == 0 {
                &s[range.end..]
            } else {
                &s[..range.start]
            };
        }
        std::borrow::Cow::Owned(s) => {
            s.replace_range(range, "");
        }
    }
}

/// A rule across the paper; with a label, the label is centred between two fills with one
/// space on each side (`----- 商品 -----`). A label too long for one line wraps, and every
/// line of it gets its fills.
pub(crate) fn rule<'a>(cx: &mut Cx<'a>, doc: &'a Document, rule: &Rule) -> Result<(), Error> {
    let mut label = cx.scratch_frags();
    frags_into(doc, rule.label, cx.opts, Some(&mut cx.warnings), &mut label);
    trim(&mut label);
    let done = lay_rule(cx, rule, &label);
    cx.frags = label;
    done
}

/// [`rule`] once its label is made printable and trimmed.
fn lay_rule(cx: &mut Cx<'_>, rule: &Rule, label: &[Frag<'_>]) -> Result<(), Error> {
    // the parser only makes rules of `-=*.~`; anything else is drawn with `-`
    let ch = if rule.ch != ' ' && printable(rule.ch, cx.opts.encoding) {
        rule.ch
    } else {
        '-'
    };
    let cw = char_columns(ch, cx.opts.encoding).max(1);
    if label.is_empty() {
        fill(cx, ch, cw, 0, cx.width / cw, rule.span);
        cx.frame.end_line(LineKind::Rule, Align::Center, rule.span);
        return Ok(());
    }
    let room = cx.width.saturating_sub(2 * LABEL_MARGIN);
    // One line (the common case): placed directly; the only line `wrap` would return.
    if let Some(one) = one_line(label, room) {
        label_line(cx, (ch, cw), rule.span, one.width, one.pieces(label));
        return Ok(());
    }
    let lines = wrap(label, room, cx.opts.encoding);
    let lines = lines.map_err(|e| cx.too_wide(e, "a rule label"))?;
    for l in lines {
        label_line(cx, (ch, cw), rule.span, l.width, l.runs.iter().copied());
    }
    Ok(())
}

/// One line of a rule label `width` columns wide (its `pieces` from column 0) between fills of
/// `ch`, `cw` columns each.
fn label_line<'f>(
    cx: &mut Cx<'_>,
    (ch, cw): (char, u32),
    span: Span,
    width: u32,
    pieces: impl Iterator<Item = Piece<'f>>,
) {
    let w = cx.width;
    let free = w - width - 2;
    let left = free / 2;
    let right = free - left;
    fill(cx, ch, cw, 0, left / cw, span);
    let label_col = left + 1;
    let right_col = label_col + width + 1;
    for piece in pieces {
        cx.push_piece(&piece, label_col);
    }
    // the right fill ends at the edge; a wide fill character leaves the odd column empty
    let count = right / cw;
    fill(cx, ch, cw, right_col + (right - count * cw), count, span);
    cx.frame.end_line(LineKind::Rule, Align::Center, span);
}

/// A code block, passed to the backend with its data.
pub(crate) fn code(cx: &mut Cx<'_>, code: &Code) {
    cx.frame.push_code(CodeItem {
        kind: code.kind,
        data: code.data.clone(),
        origin: code.origin,
        span: code.span,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_keep_margins_within_one_column() {
        assert_eq!(offset(Align::Left, 32, 10), 0);
        assert_eq!(offset(Align::Right, 32, 10), 22);
        assert_eq!(offset(Align::Center, 32, 10), 11);
        // odd free space: the extra column goes right
        assert_eq!(offset(Align::Center, 32, 11), 10);
        // wider than the room: no negative offsets
        assert_eq!(offset(Align::Right, 8, 10), 0);
    }
}

#[cfg(test)]
mod rule_tests {
    use super::*;
    use crate::document::Builder;
    use crate::frame::{Item, LayoutOptions};

    /// The lines of a rule of `ch` labelled `label` (`None`: no label runs).
    fn lay(ch: char, label: Option<&str>, columns: u16) -> Vec<Vec<(u16, String)>> {
        let mut b = Builder::new();
        if let Some(text) = label {
            b.run(text, Style::PLAIN, Origin::Template, Span::default());
        }
        b.rule(ch, Span::default());
        let doc = b.finish();
        let opts = LayoutOptions {
            columns,
            ..LayoutOptions::default()
        };
        let frame = crate::layout::layout(&doc, &opts).unwrap().frame;
        frame
            .items()
            .iter()
            .map(|i| match i {
                Item::Line(l) => frame.placed(l).map(|r| (r.col, r.text.into())).collect(),
                Item::Code(_) => Vec::new(),
            })
            .collect()
    }

    #[test]
    fn label_spaces_are_trimmed_and_a_blank_label_is_a_plain_rule() {
        assert_eq!(
            lay('-', Some("  小计  "), 12),
            [vec![
                (0, "---".into()),
                (4, "小计".into()),
                (9, "---".into())
            ]]
        );
        assert_eq!(lay('-', Some("   "), 12), [vec![(0, "-".repeat(12))]]);
    }

    #[test]
    fn a_double_width_fill_character_ends_at_the_edge() {
        // 13 columns: label 2, spaces 2, 9 left for fills: 4 left (2 dashes), 5 right (2 dashes
        // ending at the edge, the odd column left blank next to the label)
        assert_eq!(
            lay('—', Some("ab"), 13),
            [vec![(0, "——".into()), (5, "ab".into()), (9, "——".into())]]
        );
        assert_eq!(lay('—', None, 13), [vec![(0, "——————".into())]]);
    }
}
