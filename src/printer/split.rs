//! Several jobs for a receipt that does not fit one (a content limit, one QR code per order).
//!
//! When the whole frame cannot be lowered, [`split`] looks for consecutive runs of frame items
//! that each lower on their own: the longest prefix that fits (binary search), moved back to the
//! last block boundary inside it (two items from different template lines), then the same from
//! there. If some single item cannot be lowered on its own, the receipt cannot be split and the
//! original error stands (a code the model lacks fails alone as it fails in the whole).
//!
//! Each job carries what belongs to it: the first job the whole front matter (voice, reminder,
//! sound and confirmation sound once), the others none of the alerts; the cut and the cash
//! drawer only on the last job. Copies cannot be a per-job instruction any more (`<MN>2</MN>` on each part would print
//! part 1, part 1, part 2, part 2), so the whole sequence of jobs is repeated instead.

use std::ops::Range;

use crate::backend::Model;
use crate::document::JobSettings;
use crate::error::{Error, Warning};
use crate::frame::{Frame, Item};

use super::{Dialect, Lowered, Part, RenderOptions};

/// The settings of job `index` of `count`.
fn part_settings(settings: &JobSettings, index: usize, count: usize) -> JobSettings {
    let mut s = settings.clone();
    s.copies = None;
    if index > 0 {
        s.voice = None;
        s.volume = None;
        s.reminder = None;
        s.sound = None;
        s.confirm = None;
    }
    if index + 1 < count {
        s.cut = None;
        s.drawer = None;
    }
    s
}

fn sub(frame: &Frame, items: Range<usize>, settings: JobSettings) -> Frame {
    Frame {
        columns: frame.columns,
        encoding: frame.encoding,
        settings,
        items: frame.items[items].to_vec(),
    }
}

/// Whether items `i - 1` and `i` come from different template lines.
fn boundary(items: &[Item], i: usize) -> bool {
    let span = |item: &Item| match item {
        Item::Line(l) => l.span,
        Item::Code(c) => c.span,
    };
    span(&items[i - 1]) != span(&items[i])
}

/// The first and further jobs for a frame the dialect could not lower whole, or `None` when no
/// split helps.
pub(super) fn split(
    frame: &Frame,
    dialect: &dyn Dialect,
    model: &Model,
    options: RenderOptions,
) -> Option<(Lowered, Vec<Part>)> {
    let n = frame.items.len();
    // Ranges, found with the settings of a middle job (no alerts, no cut): the first job's
    // alerts and the last job's cut are small, and are checked again below.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    let fits = |range: Range<usize>, index: usize, count: usize| -> Result<Lowered, Error> {
        let settings = part_settings(&frame.settings, index, count);
        dialect.lower(&sub(frame, range, settings), model, options)
    };
    while start < n {
        let ok = |end: usize| fits(start..end, 1, 3).is_ok();
        if !ok(start + 1) {
            return None;
        }
        let (mut lo, mut hi) = (start + 1, n + 1);
        while hi - lo > 1 {
            let mid = (lo + hi) / 2;
            if ok(mid) { lo = mid } else { hi = mid }
        }
        let mut end = lo;
        if end < n {
            if let Some(b) = (start + 1..=end).rev().find(|&i| boundary(&frame.items, i)) {
                end = b;
            }
        }
        ranges.push(start..end);
        start = end;
    }
    if ranges.len() < 2 {
        return None;
    }
    let count = ranges.len();
    let mut parts: Vec<(Range<usize>, Lowered)> = Vec::new();
    for (i, range) in ranges.into_iter().enumerate() {
        let lowered = fits(range.clone(), i, count).ok()?;
        parts.push((range, lowered));
    }
    let copies = usize::from(frame.settings.copies.as_ref().map_or(1, |c| c.value));
    let mut warnings: Vec<Warning> = Vec::new();
    for (_, l) in &mut parts {
        for w in l.warnings.drain(..) {
            if !warnings
                .iter()
                .any(|x| x.message == w.message && x.span == w.span)
            {
                warnings.push(w);
            }
        }
    }
    let mut all = parts.into_iter();
    let (_, mut first) = all.next()?;
    first.warnings = warnings;
    let rest: Vec<Part> = all
        .map(|(items, l)| Part {
            items,
            output: l.output,
            settings: l.settings,
        })
        .collect();
    if copies <= 1 {
        return Some((first, rest));
    }
    let mut more = rest.clone();
    let first_part = Part {
        items: 0..more.first().map_or(n, |p| p.items.start),
        output: first.output.clone(),
        settings: first.settings.clone(),
    };
    for _ in 1..copies {
        more.push(first_part.clone());
        more.extend(rest.iter().cloned());
    }
    Some((first, more))
}
