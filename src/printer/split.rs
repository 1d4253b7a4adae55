//! Several jobs for a receipt that does not fit one (a content limit, one QR code per order).
//!
//! When the whole frame cannot be lowered, [`split`] looks for consecutive runs of frame items
//! that each lower on their own: the longest prefix that fits, moved back to the last block
//! boundary inside it (two items from different template lines), then the same from there. The
//! longest prefix is where the dialect notes the limit was passed when it lowers everything left
//! ([`Dialect::lower_noting`]; one more trial checks the items before it fit), else it is
//! searched (galloping from the last job's length, then binary search). A dialect that cuts
//! the job in the same pass ([`Passed::first`]) may keep what it lowered past the job's end for
//! the next trial ([`Carry`]), so that each item is lowered about once in all. If some single
//! item cannot be lowered on its own, the receipt cannot be split and the original error
//! stands (a code the model lacks fails alone as it fails in the whole).
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

use super::{Carry, Dialect, Lowered, Part, Passed, RenderOptions};

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

/// Trial lowerings of ranges of one frame's items, each as a frame of its own, without copying
/// or moving the items or their runs: they are all lent to a scratch frame once
/// ([`Frame::lend`]), which shows each trial its range ([`Frame::show`]), and given back when
/// the trials end (dropped), so the frame is unchanged after them. (Copying them made a search
/// over a long receipt cost far more than its lowerings, and so did moving each trial's items
/// to the scratch frame and back, as a trial lends everything left.)
struct Trials<'a> {
    frame: &'a mut Frame,
    scratch: Frame,
    dialect: &'a dyn Dialect,
    model: &'a Model,
    options: RenderOptions,
    /// How many items the frame has.
    n: usize,
    /// Lowerings so far (the tests count them).
    count: usize,
    /// Items lowered so far, counting a lowering stopped by a noted limit up to the item that
    /// passed it, and not the items a trial took from what the one before kept (the tests
    /// count them: about one lowering per item in all).
    lowered: usize,
    /// Trials offered what the one before kept (the tests count them).
    #[cfg(test)]
    carried: usize,
    /// The last range that fitted a middle job, and its lowering.
    last_fit: Option<(Range<usize>, Lowered)>,
    /// What the last trial that cut a job lowered past it ([`Carry`]), and the items from that
    /// job's end to the trial's end: for the next trial, when its range starts there and is
    /// part of it.
    carry: (Carry, Range<usize>),
}

impl Drop for Trials<'_> {
    fn drop(&mut self) {
        self.frame.take_back(&mut self.scratch);
    }
}

impl<'a> Trials<'a> {
    fn new(
        frame: &'a mut Frame,
        dialect: &'a dyn Dialect,
        model: &'a Model,
        options: RenderOptions,
    ) -> Trials<'a> {
        let mut scratch = Frame::new(frame.columns, frame.encoding, JobSettings::default());
        let n = frame.items().len();
        frame.lend(&mut scratch);
        Trials {
            frame,
            scratch,
            dialect,
            model,
            options,
            n,
            count: 0,
            lowered: 0,
            #[cfg(test)]
            carried: 0,
            last_fit: None,
            carry: (Carry::default(), 0..0),
        }
    }

    /// Lowers `range` with the settings of job `index` of `count`, as the dialect's
    /// [`Dialect::lower_noting`] reports it.
    fn lower_noting(
        &mut self,
        range: Range<usize>,
        index: usize,
        count: usize,
    ) -> Result<Lowered, (Error, Option<usize>)> {
        self.count += 1;
        self.scratch.settings = part_settings(&self.frame.settings, index, count);
        self.scratch.show(range.clone());
        let lowered = (self.dialect).lower_noting(&self.scratch, self.model, self.options);
        self.lowered += match &lowered {
            Err((_, Some(at))) => at + 1,
            _ => range.len(),
        };
        lowered
    }

    /// Lowers `range` with the settings of a middle job, as the dialect's
    /// [`Dialect::lower_cutting`] reports it, from what the last trial that cut a job kept
    /// ([`Dialect::lower_carrying`]) when `range` starts at that job's end, holds the item that
    /// passed its limit (the one after the kept items) and is part of that trial's range.
    fn lower_cutting(&mut self, range: Range<usize>) -> Result<Lowered, Passed> {
        self.count += 1;
        self.scratch.settings = part_settings(&self.frame.settings, 1, 3);
        self.scratch.show(range.clone());
        let (carry, from) = &mut self.carry;
        let within = from.start == range.start && range.end <= from.end;
        if !within || carry.items().is_none_or(|k| range.end <= range.start + k) {
            carry.clear();
        }
        carry.took(0);
        #[cfg(test)]
        let offered = carry.items().is_some();
        let lowered = (self.dialect).lower_carrying(&self.scratch, self.model, self.options, carry);
        // In the tests, a trial offered what the one before kept says what it says without.
        #[cfg(test)]
        if offered {
            let plain = (self.dialect).lower_cutting(&self.scratch, self.model, self.options);
            match (&lowered, &plain) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{range:?}"),
                (Err(a), Err(b)) => {
                    assert_eq!((a.at, &a.first), (b.at, &b.first), "{range:?}");
                    assert_eq!(
                        (a.error.message(), a.error.span()),
                        (b.error.message(), b.error.span())
                    );
                }
                _ => panic!("{range:?}: one lowers, the other does not"),
            }
            self.carried += 1;
        }
        self.lowered += match &lowered {
            Err(Passed { at: Some(at), .. }) => at + 1,
            _ => range.len(),
        } - carry.taken;
        match &lowered {
            Err(Passed {
                first: Some(first), ..
            }) => *from = range.start + first.0..range.end,
            _ => carry.clear(),
        }
        lowered
    }

    /// Lowers `range` with the settings of job `index` of `count`.
    fn lower(&mut self, range: Range<usize>, index: usize, count: usize) -> Result<Lowered, Error> {
        self.lower_noting(range, index, count).map_err(|(e, _)| e)
    }

    /// Whether `range` lowers with the settings of a middle job (no alerts, no cut).
    fn fits(&mut self, range: Range<usize>) -> bool {
        let lowered = self.lower(range.clone(), 1, 3);
        self.last_fit = lowered.ok().map(|l| (range, l));
        self.last_fit.is_some()
    }

    /// Where a job from `start` ends when the longest run that fits ends at `lo` (`> start`):
    /// at the last block boundary in `start + 1..=lo` ([`job_end`](super::job_end) of the
    /// items from `start`), or at `lo` when that is the end of the items.
    fn job_end(&mut self, start: usize, lo: usize) -> usize {
        if lo >= self.n {
            return lo;
        }
        self.scratch.show(start..self.n);
        start + super::job_end(&self.scratch, lo - start)
    }

    /// The lowering of `range` as a middle job when it was the last to fit, else `None`.
    fn take_fit(&mut self, range: &Range<usize>) -> Option<Lowered> {
        self.last_fit
            .take()
            .filter(|(r, _)| r == range)
            .map(|(_, l)| l)
    }
}

/// The template line (span) of an item.
pub(super) fn item_span(item: &Item) -> Span {
    match item {
        Item::Line(l) => l.span,
        Item::Code(c) => c.span,
    }
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

/// How [`job_ranges`] finds each job's end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Find {
    /// The longest prefix that fits, by trial lowerings ([`longest_fit`]).
    #[cfg_attr(
        not(test),
        expect(dead_code, reason = "the reference the tests compare `Noted` with")
    )]
    Search,
    /// Where the dialect says the limit was passed, lowering everything left once
    /// ([`noted_end`]); the search where it cannot say.
    Noted,
}

/// The end of the longest run of items from `start` that fits one (middle) job, from one
/// lowering of every item left: the dialect notes the item `at` where the limit was passed
/// (every run from `start` through it fails), so the longest run ends at `at` if that fits.
/// The same end [`longest_fit`] finds, in one or two lowerings instead of about 2·log d;
/// `None` when the dialect cannot say, or the run before `at` does not fit after all (the
/// closing checks): then the caller searches.
///
/// With the end, the job's lowering when the dialect made it in the same pass
/// ([`Passed::first`]: the items before the job's end, which [`job_end`](super::job_end) finds
/// as [`job_ranges`] does, lowered as a frame of their own), or the whole rest when it fits:
/// then each item is lowered about once in all. Else the trial that checked the run before
/// `at` is kept, as [`Trials::take_fit`] gives it.
fn noted_end(
    trials: &mut Trials<'_>,
    start: usize,
    n: usize,
) -> Option<(usize, Option<(usize, Lowered)>)> {
    match trials.lower_cutting(start..n) {
        Ok(all) => Some((n, Some((n - start, all)))),
        Err(Passed {
            at: Some(at),
            first: Some(first),
            ..
        }) if at > 0 => Some((start + at, Some(*first))),
        Err(Passed { at: Some(at), .. }) if at > 0 && trials.fits(start..start + at) => {
            Some((start + at, None))
        }
        Err(_) => None,
    }
}

/// The items of each job, found with the settings of a middle job (no alerts, no cut): the
/// first job's alerts and the last job's cut are small, and are checked again by the caller.
/// Each job ends at the last block boundary inside the longest run that fits. `None` when some
/// item does not fit a job of its own. With each range, its lowering as a middle job when a
/// trial made it (the same lowering again would give the same).
fn job_ranges(trials: &mut Trials<'_>, find: Find) -> Option<Vec<(Range<usize>, Option<Lowered>)>> {
    let n = trials.n;
    let mut ranges = Vec::new();
    let mut start = 0;
    // Where to start looking for a job's end: the length that fitted for the job before.
    let mut guess = 1;
    while start < n {
        let noted = match find {
            Find::Noted => noted_end(trials, start, n),
            Find::Search => None,
        };
        let (lo, made) = match noted {
            Some((lo, made)) => (lo, made),
            None => {
                if !trials.fits(start..start + 1) {
                    return None;
                }
                (
                    longest_fit(start, n, guess, |end| trials.fits(start..end)),
                    None,
                )
            }
        };
        guess = lo - start;
        // A job the dialect made ends where this one does ([`Passed::first`]: at the last block
        // boundary up to `at`, by [`job_end`](super::job_end)), so the items are not read
        // again for it: that read each job's items back to its start where none is a boundary
        // (every item row of a long table).
        let (end, kept) = match made {
            Some((e, lowered)) => {
                debug_assert_eq!(
                    start + e,
                    trials.job_end(start, lo),
                    "the dialect's job end"
                );
                (start + e, Some(lowered))
            }
            None => {
                let end = trials.job_end(start, lo);
                (end, trials.take_fit(&(start..end)))
            }
        };
        ranges.push((start..end, kept));
        start = end;
    }
    Some(ranges)
}

/// The first and further jobs for a frame the dialect could not lower whole, or `None` when no
/// split helps. `frame` is the same when this returns (its items are lent to the lowerings).
pub(super) fn split(
    frame: &mut Frame,
    dialect: &dyn Dialect,
    model: &Model,
    options: RenderOptions,
) -> Option<(Lowered, Vec<Part>)> {
    let n = frame.items().len();
    let copies = usize::from(frame.settings.copies.as_ref().map_or(1, |c| c.value));
    let mut trials = Trials::new(frame, dialect, model, options);
    let ranges = job_ranges(&mut trials, Find::Noted)?;
    if ranges.len() < 2 {
        return None;
    }
    let count = ranges.len();
    let middle = part_settings(&trials.frame.settings, 1, 3);
    let mut parts: Vec<(Range<usize>, Lowered)> = Vec::new();
    for (i, (range, kept)) in ranges.into_iter().enumerate() {
        // A job whose settings are a middle job's was lowered so already, when its range was
        // the last trial that fitted.
        let lowered = match kept {
            Some(l) if part_settings(&trials.frame.settings, i, count) == middle => l,
            _ => trials.lower(range.clone(), i, count).ok()?,
        };
        parts.push((range, lowered));
    }
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
    use std::ops::Range;

    use super::{Find, Trials, job_ranges, longest_fit};
    use crate::backend::Catalogue;
    use crate::document::CodeKind;
    use crate::printer::RenderOptions;

    /// Receipts too long for one job: item rows (a logo in the middle of one, lines ending and
    /// starting with `@` in another), a QR code per item in a third; in a fourth, full lines
    /// ending in `@` before lines starting with one (Yilianyun adds a newline between them, which
    /// a job ending there does not have), a logo, and a line that wraps (a job cannot end
    /// inside it).
    const LONG: [&str; 4] = [
        "---\ncopies: 2\nreminder: buzzer\n---\n# 长单\n{% for it in items %}\n| {{ it.name }} | x{{ it.qty }} |\n{% endfor %}\n![qr](https://example.com/o/1)\n谢谢\n",
        "# 长单\n{% for it in items %}\n{{ it.name }} {{ it.qty }}@\n@{{ it.qty }} 份\n{% if loop.index == 700 %}\n![logo]()\n{% endif %}\n{% endfor %}\n谢谢\n",
        "{% for it in items %}\n{{ it.name }}\n![qr](https://example.com/o/{{ it.qty }})\n{% endfor %}\n",
        "{% for it in items %}\n{{ it.qty }}abcdefghijklmnopqrstuvwxyzABCD@\n@{{ it.qty }} 份\n{{ it.name }}{{ it.name }}{{ it.name }}\n{% if loop.index == 300 %}\n![logo]()\n{% endif %}\n{% endfor %}\n",
    ];

    fn data(n: usize) -> serde_json::Value {
        let items: Vec<_> = (1..=n)
            .map(|i| serde_json::json!({ "name": format!("商品{i}号（大份）"), "qty": i % 9 + 1 }))
            .collect();
        serde_json::json!({ "items": items })
    }

    /// For every built-in model and long receipt that splits: the ends the dialect notes are
    /// the ends the search finds, in fewer lowerings.
    #[test]
    fn noted_ends_are_the_ends_the_search_finds() {
        let env = crate::Environment::new();
        let catalogue = Catalogue::builtin();
        let (mut noted_trials, mut searched_trials, mut splits, mut carried) = (0, 0, 0, 0);
        for (k, text) in LONG.iter().enumerate() {
            let template = env.template_from_str("long.slip", text).unwrap();
            let data = data([1500, 1500, 40, 1500][k]);
            for model in catalogue.models() {
                let printer = crate::printer::Printer::from_model(model.clone());
                let Ok(job) = template.render(&data, &printer) else {
                    continue;
                };
                if job.more.is_empty() {
                    continue;
                }
                splits += 1;
                let mut frame = job.frame.clone();
                let options = RenderOptions::default();
                let mut ends = |find| {
                    let mut t =
                        Trials::new(&mut frame, printer.dialect(), printer.model(), options);
                    let ranges = job_ranges(&mut t, find);
                    (ranges, t.count, t.carried)
                };
                let (noted, n, c) = ends(Find::Noted);
                let (searched, s, _) = ends(Find::Search);
                carried += c;
                // One lowering per job where the dialect cuts its jobs in the same pass
                // (the tag dialects' QR count is noted before anything is lowered).
                let jobs = noted.as_ref().map_or(0, Vec::len);
                if k < 2 {
                    assert_eq!(n, jobs, "template {k}, {}: lowerings", model.id);
                }
                let just = |r: &Option<Vec<(Range<usize>, _)>>| {
                    r.as_ref()
                        .map(|v| v.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>())
                };
                assert_eq!(just(&noted), just(&searched), "template {k}, {}", model.id);
                // a kept lowering is the lowering of its range as a middle job
                let mut t = Trials::new(&mut frame, printer.dialect(), printer.model(), options);
                for (range, kept) in noted.into_iter().flatten() {
                    if let Some(kept) = kept {
                        assert_eq!(Some(kept), t.lower(range, 1, 3).ok());
                    }
                }
                drop(t); // (gives the items back)
                assert_eq!(frame, job.frame, "the frame is unchanged");
                noted_trials += n;
                searched_trials += s;
            }
        }
        assert!(splits >= 10, "{splits} receipts split");
        // (each checked against the same trial without what was kept)
        assert!(
            carried >= 5,
            "{carried} trials were offered what the one before kept"
        );
        assert!(
            2 * noted_trials < searched_trials,
            "{noted_trials} lowerings against {searched_trials}"
        );
    }

    /// Where a dialect cuts the first job in the same pass, the job is the lowering of its
    /// items as a frame of their own, it ends where [`super::super::job_end`] says, the items
    /// before the noted item fit and one more does not; over many limits, on frames with full
    /// lines ending in `@` before lines starting with one, a logo, wrapped lines and codes.
    #[test]
    fn a_first_job_cut_in_the_same_pass_is_the_lowering_of_its_items() {
        use crate::frame::Frame;
        let env = crate::Environment::new();
        let catalogue = Catalogue::builtin();
        let template = env.template_from_str("long.slip", LONG[3]).unwrap();
        let text = format!("{}![qr](https://example.com/o/1)\n谢谢@\n@@\n", LONG[3]);
        let with_code = env.template_from_str("long.slip", &text).unwrap();
        let (mut made, mut fallbacks) = (0, 0);
        for id in ["x1", "k4", "feieyun-58", "xpyun-80"] {
            for (t, items) in [(&template, 302), (&with_code, 6)] {
                let printer = catalogue.printer(id).unwrap();
                let Ok(job) = t.render(&data(items), &printer) else {
                    continue;
                };
                let frame = job.frame;
                let n = frame.items().len();
                let part = |range: Range<usize>| {
                    let mut f = Frame::new(frame.columns, frame.encoding, frame.settings.clone());
                    f.extend_from(&frame, range);
                    f
                };
                let options = RenderOptions::default();
                for limit in (40..2000).step_by(7) {
                    let mut model = printer.model().clone();
                    model.limits.max_content_chars = limit;
                    model.limits.max_content_bytes = model.limits.max_content_bytes.map(|_| limit);
                    let dialect = printer.dialect();
                    let Err(passed) = dialect.lower_cutting(&frame, &model, options) else {
                        continue;
                    };
                    let noting = dialect.lower_noting(&frame, &model, options).unwrap_err();
                    assert_eq!(passed.at, noting.1, "{id} {limit}");
                    assert_eq!(
                        (passed.error.message(), passed.error.span()),
                        (noting.0.message(), noting.0.span())
                    );
                    let Some(&(end, ref first)) = passed.first.as_deref() else {
                        fallbacks += usize::from(passed.at.is_some());
                        continue;
                    };
                    made += 1;
                    // The content was written into a buffer sized to what a lowering stopped
                    // by the limit can hold, and never grew past it.
                    if let crate::printer::Output::Text(content) = &first.output {
                        let room = crate::backend::checks::capacity_within(usize::MAX, &model);
                        assert!(content.capacity() <= room, "{id} {limit}");
                    }
                    let at = passed.at.unwrap();
                    assert!(0 < end && end <= at && at < n, "{id} {limit}: {end} {at}");
                    assert_eq!(end, super::super::job_end(&frame, at), "{id} {limit}");
                    assert_eq!(
                        Some(first),
                        dialect.lower(&part(0..end), &model, options).ok().as_ref()
                    );
                    assert!(dialect.lower(&part(0..at), &model, options).is_ok());
                    assert!(dialect.lower(&part(0..at + 1), &model, options).is_err());
                }
            }
        }
        assert!(
            made > 40 && fallbacks > 5,
            "{made} first jobs made, {fallbacks} not"
        );
    }

    /// A dialect that says the whole frame passes a limit is right: the whole does not lower
    /// (so that [`super::super::render`] may split first), on long receipts of every
    /// template, every built-in model and many limits, about the runs' bytes and a quarter of
    /// them, where the say changes; and it says so of the long receipts that split.
    #[test]
    fn a_frame_said_to_pass_a_limit_does_not_lower() {
        let env = crate::Environment::new();
        let catalogue = Catalogue::builtin();
        let (mut said, mut split) = (0, 0);
        for (k, text) in LONG.iter().enumerate() {
            let template = env.template_from_str("long.slip", text).unwrap();
            for items in [3, 40, 300] {
                let data = data(items);
                for model in catalogue.models() {
                    let printer = crate::printer::Printer::from_model(model.clone());
                    let Ok(job) = template.render(&data, &printer) else {
                        continue;
                    };
                    let frame = &job.frame;
                    let bytes: usize = (frame.items().iter())
                        .map(|item| match item {
                            crate::frame::Item::Line(l) => {
                                frame.placed(l).map(|r| r.text.len()).sum()
                            }
                            crate::frame::Item::Code(_) => 0,
                        })
                        .sum();
                    assert!(!frame.run_text_passes(bytes));
                    assert!(
                        bytes
                            .checked_sub(1)
                            .is_none_or(|b| frame.run_text_passes(b))
                    );
                    let options = RenderOptions::default();
                    let dialect = printer.dialect();
                    let mut model = model.clone();
                    let (quarter, near) = (bytes.div_ceil(4), [0, 1, 2, 5]);
                    let limits = (near.iter().flat_map(|&d| [bytes + d, bytes - d.min(bytes)]))
                        .chain(
                            near.iter()
                                .flat_map(|&d| [quarter + d, quarter - d.min(quarter)]),
                        )
                        .chain([0, 1, 100, 5000, 32767]);
                    for limit in limits {
                        let limit = u32::try_from(limit).unwrap();
                        for bytes_limit in [None, Some(limit), Some(limit.saturating_mul(4))] {
                            model.limits.max_content_chars = limit;
                            model.limits.max_content_bytes = bytes_limit;
                            if dialect.passes_a_limit(frame, &model) {
                                said += 1;
                                assert!(
                                    dialect.lower(frame, &model, options).is_err(),
                                    "template {k}, {items} items, {}: {limit} {bytes_limit:?}",
                                    model.id
                                );
                            }
                        }
                    }
                    if !job.more.is_empty() {
                        split += 1;
                        assert!(dialect.passes_a_limit(frame, printer.model()) || k == 2);
                    }
                }
            }
        }
        assert!(said > 500 && split > 5, "{said} said, {split} split");
    }

    /// [`Frame::line_text_passes`](crate::frame::Frame::line_text_passes) (the runs as one
    /// slice) says what [`Frame::run_text_passes`](crate::frame::Frame::run_text_passes) (line
    /// by line) says, at every number of bytes about the runs' and a few others, on the long
    /// receipts of every template for every built-in model, whole and as ranges of their items
    /// lent to a scratch frame (whose buffers hold the other items' runs too).
    #[test]
    fn the_runs_as_one_slice_pass_where_the_lines_do() {
        use crate::frame::Frame;
        let env = crate::Environment::new();
        let catalogue = Catalogue::builtin();
        let mut checked = 0;
        for (k, text) in LONG.iter().enumerate() {
            let template = env.template_from_str("long.slip", text).unwrap();
            for items in [0, 1, 3, 40] {
                for model in catalogue.models() {
                    let printer = crate::printer::Printer::from_model(model.clone());
                    let Ok(job) = template.render(&data(items), &printer) else {
                        continue;
                    };
                    let mut frame = job.frame;
                    let n = frame.items().len();
                    let mut scratch =
                        Frame::new(frame.columns, frame.encoding, frame.settings.clone());
                    frame.lend(&mut scratch);
                    let one = (n / 3 + 1).min(n);
                    let ranges = [0..n, 0..n / 2, n / 3..n, n / 3..one, n / 2..n / 2];
                    for range in ranges {
                        scratch.show(range.clone());
                        let bytes: usize = (scratch.items().iter())
                            .map(|item| match item {
                                crate::frame::Item::Line(l) => {
                                    scratch.placed(l).map(|r| r.text.len()).sum()
                                }
                                crate::frame::Item::Code(_) => 0,
                            })
                            .sum();
                        let near = (bytes.saturating_sub(3)..bytes + 3).chain([0, 7, 1000]);
                        for b in near {
                            assert_eq!(
                                scratch.line_text_passes(b),
                                scratch.run_text_passes(b),
                                "template {k}, {items} items, {}, {range:?}: {b} of {bytes}",
                                model.id
                            );
                            checked += 1;
                        }
                    }
                    frame.take_back(&mut scratch);
                    for b in [0, 1, 100, 5000] {
                        assert_eq!(frame.line_text_passes(b), frame.run_text_passes(b));
                    }
                }
            }
        }
        assert!(checked > 1000, "{checked}");
    }

    /// A receipt of ~6,000 item rows (the benchmark's shape: a few lines, a table row per
    /// item, totals and codes) splits in one lowering per job, each job with its own
    /// settings (here a middle job's), and its items are lowered about once in all: every
    /// item once, but the item that passes a job's limit (again in the next job): every
    /// dialect keeps what a trial lowered past the job it cut, so the first trial's items
    /// past the first job's end (the header), up to where the limit is passed, are not
    /// lowered again. The whole is not
    /// lowered first (the dialect says it passes a limit).
    #[test]
    fn a_long_receipt_lowers_each_item_about_once() {
        let text = "---\ncopies: 1\n---\n# 长单\n-> 订单 <-\n--- 商品 ---\n| 品名 | 数量 | 金额 |\n\
                    |:-*-|:-4-:|--8-:|\n{% for it in items %}\n| {{ it.name }} | x{{ it.qty }} | \
                    {{ it.qty }}.50 |\n{% endfor %}\n---\n| 小计 | 1.00 |\n![qr](https://e.com/1)\n谢谢\n";
        let env = crate::Environment::new();
        let template = env.template_from_str("long.slip", text).unwrap();
        let catalogue = Catalogue::builtin();
        for id in ["k7", "k4", "feieyun-80", "xpyun-58"] {
            let printer = catalogue.printer(id).unwrap();
            let job = template.render(&data(6000), &printer).unwrap();
            let mut frame = job.frame.clone();
            let n = frame.items().len();
            assert!(
                printer.dialect().passes_a_limit(&frame, printer.model()),
                "{id}"
            );
            let options = RenderOptions::default();
            let mut trials = Trials::new(&mut frame, printer.dialect(), printer.model(), options);
            let ranges = job_ranges(&mut trials, Find::Noted).unwrap();
            assert_eq!(ranges.len(), job.more.len() + 1, "{id}");
            assert!(ranges.len() > 2, "{id}: {} jobs", ranges.len());
            assert!(ranges.iter().all(|(_, kept)| kept.is_some()), "{id}");
            assert_eq!(trials.count, ranges.len(), "{id}: one lowering per job");
            // Each item once; the item that passes a job's limit again in the next job; and,
            // unless they were kept, the first trial's items past the first job's end, which
            // the second job holds.
            let jobs = ranges.len();
            assert_eq!(
                trials.carried,
                jobs - 1,
                "{id}: each trial kept for the next"
            );
            let again = jobs - 1;
            assert!(
                trials.lowered <= n + again,
                "{id}: {} items lowered for {n} in {jobs} jobs",
                trials.lowered
            );
        }
    }

    /// A receipt for the proptest below: `items` as (kind, block, text), a kind below 10 a
    /// line of one run holding the text (or two, the text split where it has a space), 10 a
    /// QR code and 11 a Code 128 (of the text's letters), each item of the template line
    /// (span) `block`.
    fn generated(items: &[(u8, u32, String)]) -> crate::frame::Frame {
        use crate::document::{Align, JobSettings, Origin, Style};
        use crate::frame::{CodeItem, Frame, LineKind, PlacedText};
        use crate::measure::{Encoding, encoded_columns};
        use crate::span::{SourceId, Span};
        fn placed(col: u16, text: &str, span: Span) -> PlacedText<'_> {
            PlacedText {
                col,
                width: text
                    .chars()
                    .map(|c| encoded_columns(c, Encoding::Gbk))
                    .sum::<u32>() as u16,
                text,
                style: Style::PLAIN,
                origin: Origin::Data,
                span,
            }
        }
        let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
        for (kind, block, text) in items {
            let span = Span::new(SourceId::default(), *block as usize, *block as usize + 1);
            let run = |col: u16, text| placed(col, text, span);
            let code = |kind, data: String| CodeItem {
                kind,
                data,
                origin: Origin::Data,
                span,
            };
            match kind {
                10 => frame.push_code(code(CodeKind::Qr, format!("https://e.com/{text}"))),
                11 => {
                    let data: String = (text.chars().filter(char::is_ascii_alphanumeric))
                        .take(9)
                        .collect();
                    frame.push_code(code(CodeKind::Code128, format!("A{data}")));
                }
                _ => match text.split_once(' ') {
                    Some((a, b)) => {
                        let first = run(0, a);
                        let second = run(first.width + 2, b);
                        frame.push_line(LineKind::Text, Align::Left, span, [first, second]);
                    }
                    None => frame.push_line(LineKind::Text, Align::Left, span, [run(0, text)]),
                },
            }
        }
        frame
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        /// Trials that take what the trial before kept (every dialect's [`super::Carry`]) find
        /// the jobs the search finds, which keeps nothing, with the same lowerings, on
        /// generated receipts: lines in blocks (template lines) of one item or many, codes
        /// among them (a second QR code passes the tag dialects' count), limits that cut a
        /// job at a block boundary with items past it, at the item that passed, or nowhere
        /// (an item too long for any job). And each trial offered what the one before kept
        /// is compared, in the tests, with the same trial without it
        /// ([`Trials::lower_cutting`]).
        #[test]
        fn trials_that_carry_find_the_jobs_the_search_finds(
            items in proptest::collection::vec(
                (0..12u8, 0..3u32, "[a-z中]{1,6}( [a-z0-9中]{1,8})?"),
                1..50,
            ),
            runs in proptest::collection::vec(1..12usize, 1..6),
            limit in 30..700u32,
            id in 0..4usize,
        ) {
            // (Blocks of many items: runs of one block number, the lengths generated.)
            let mut items = items;
            let mut k = 0;
            for (j, len) in runs.iter().cycle().enumerate() {
                if k >= items.len() {
                    break;
                }
                for item in items.iter_mut().skip(k).take(*len) {
                    item.1 = j as u32;
                }
                k += len;
            }
            let printer = Catalogue::builtin()
                .printer(["feieyun-58", "xpyun-80", "k4", "feieyun-80"][id])
                .unwrap();
            let mut model = printer.model().clone();
            model.limits.max_content_chars = limit;
            model.limits.max_content_bytes = model.limits.max_content_bytes.map(|_| limit);
            let mut frame = generated(&items);
            let options = RenderOptions::default();
            let mut ends = |find| {
                let mut t = Trials::new(&mut frame, printer.dialect(), &model, options);
                job_ranges(&mut t, find)
            };
            let noted = ends(Find::Noted);
            let searched = ends(Find::Search);
            let just = |r: &Option<Vec<(Range<usize>, _)>>| {
                r.as_ref()
                    .map(|v| v.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>())
            };
            proptest::prop_assert_eq!(just(&noted), just(&searched));
            let mut t = Trials::new(&mut frame, printer.dialect(), &model, options);
            for (range, kept) in noted.into_iter().flatten() {
                if let Some(kept) = kept {
                    proptest::prop_assert_eq!(Some(kept), t.lower(range, 1, 3).ok());
                }
            }
        }
    }

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
