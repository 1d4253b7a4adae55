//! Several jobs for a receipt that does not fit one (a content limit, one QR code per order).
//!
//! When the whole frame cannot be lowered, [`split`] looks for consecutive runs of frame items
//! that each lower on their own: the longest prefix that fits (galloping from the last job's length, then binary search), moved back to the
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
use crate::span::Span;

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

/// Lowers `frame.items()[range]` with `settings` as a frame of its own, without copying the
/// items or their runs: they are lent to `scratch` for the lowering and given back afterwards,
/// so `frame` is unchanged when this returns. (Copying them made a search over a long receipt
/// cost far more than its lowerings.)
fn lower_range(
    frame: &mut Frame,
    scratch: &mut Frame,
    range: Range<usize>,
    settings: JobSettings,
    lower: impl FnOnce(&Frame) -> Result<Lowered, Error>,
) -> Result<Lowered, Error> {
    scratch.settings = settings;
    frame.lend(range.clone(), scratch);
    let lowered = lower(scratch);
    frame.take_back(range, scratch);
    lowered
}

/// The template line (span) of each item: items `i - 1` and `i` come from different template
/// lines where these differ.
fn spans(items: &[Item]) -> Vec<Span> {
    (items.iter())
        .map(|item| match item {
            Item::Line(l) => l.span,
            Item::Code(c) => c.span,
        })
        .collect()
}

/// The largest `end` in `start + 1..=n` for which `ok(end)`, given that `ok(start + 1)` holds and
/// that `ok` holds up to some end and fails after it (a longer prefix never fits better).
/// Gallops from `start + guess` (up while prefixes fit, down while they do not), then searches
/// between the last prefix that fitted and the first that did not. That is about 2·log d trial
/// lowerings when the end is d items from the guess (consecutive jobs of a receipt are about
/// as long), and 2·log k for a first job of k items, whatever is left after it: a search over
/// all of the rest made splitting a long receipt quadratic.
fn longest_fit(start: usize, n: usize, guess: usize, mut ok: impl FnMut(usize) -> bool) -> usize {
    let first = start + 1; // fits
    let g = (start + guess).clamp(first, n);
    // `lo` fits; `hi` does not, or is past the end.
    let (mut lo, mut hi);
    let mut step = 1;
    if g == first || ok(g) {
        lo = g;
        hi = loop {
            let probe = lo + step;
            if probe > n {
                break n + 1;
            }
            if !ok(probe) {
                break probe;
            }
            lo = probe;
            step *= 2;
        };
    } else {
        hi = g;
        lo = loop {
            let probe = hi.saturating_sub(step).max(first);
            if probe == first || ok(probe) {
                break probe;
            }
            hi = probe;
            step *= 2;
        };
    }
    while hi - lo > 1 {
        let mid = (lo + hi) / 2;
        if ok(mid) { lo = mid } else { hi = mid }
    }
    lo
}

/// The first and further jobs for a frame the dialect could not lower whole, or `None` when no
/// split helps. `frame` is the same when this returns (its items are lent to each lowering).
pub(super) fn split(
    frame: &mut Frame,
    dialect: &dyn Dialect,
    model: &Model,
    options: RenderOptions,
) -> Option<(Lowered, Vec<Part>)> {
    let n = frame.items().len();
    let spans = spans(frame.items());
    let mut scratch = Frame::new(frame.columns, frame.encoding, JobSettings::default());
    // Ranges, found with the settings of a middle job (no alerts, no cut): the first job's
    // alerts and the last job's cut are small, and are checked again below.
    let mut ranges: Vec<Range<usize>> = Vec::new();
    let mut start = 0;
    // Where to start looking for a job's end: the length that fitted for the job before.
    let mut guess = 1;
    let mut fits = |range: Range<usize>, index: usize, count: usize| -> Result<Lowered, Error> {
        let settings = part_settings(&frame.settings, index, count);
        lower_range(frame, &mut scratch, range, settings, |f| {
            dialect.lower(f, model, options)
        })
    };
    while start < n {
        let mut ok = |end: usize| fits(start..end, 1, 3).is_ok();
        if !ok(start + 1) {
            return None;
        }
        let lo = longest_fit(start, n, guess, &mut ok);
        guess = lo - start;
        let mut end = lo;
        if end < n {
            if let Some(b) = (start + 1..=end).rev().find(|&i| spans[i - 1] != spans[i]) {
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

#[cfg(test)]
mod tests {
    use super::longest_fit;

    /// Whatever the guess, the search finds the last prefix that fits, and never asks about
    /// one outside `start + 1..=n`.
    #[test]
    fn the_longest_fit_is_found_from_any_guess() {
        for n in 1..40 {
            for start in 0..n {
                for end in start + 1..=n {
                    for guess in 0..=n + 2 {
                        let found = longest_fit(start, n, guess, |e| {
                            assert!(start < e && e <= n, "asked about {e}");
                            e <= end
                        });
                        assert_eq!(found, end, "n {n} start {start} guess {guess}");
                    }
                }
            }
        }
    }

    /// A guess near the end costs a few trials; a search from the start costs about 2·log k.
    #[test]
    fn a_good_guess_costs_few_trials() {
        let trials = |guess: usize| {
            let mut n = 0;
            longest_fit(1000, 5000, guess, |e| {
                n += 1;
                e <= 1700
            });
            n
        };
        assert!(trials(700) <= 3, "{}", trials(700));
        assert!(trials(1) <= 20, "{}", trials(1));
    }
}
