//! The dot grid every emulator puts its characters on: glyphs at dot positions on the current
//! line, lines turned into frame [`Line`]s (runs of touching glyphs of one style, spaces left
//! out), and the paper's edge (a character that does not fit in the dots left starts a new
//! line, reported once per line of the input).

use crate::document::{Align, CodeKind, Origin, Style};
use crate::frame::{CodeItem, Frame, LineKind, PlacedText};
use crate::span::Span;

use super::{Problem, ProblemKind};

/// Dots in a half-width column.
pub(crate) const DOTS: u32 = 12;

/// A glyph on the current line.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Glyph {
    /// First dot.
    pub x: u32,
    /// Dots it takes.
    pub dots: u32,
    pub ch: char,
    pub style: Style,
    /// Where in the input (bytes).
    pub at: usize,
    pub len: usize,
}

/// Adds to `frame` the line of the glyphs of one printed line on a paper of `columns`:
/// touching glyphs of one style form a run (a space ends it), placed at the column its first dot
/// falls in.
pub(crate) fn line_of(frame: &mut Frame, glyphs: &[Glyph], columns: u16) {
    let mut last_end: Option<(u32, Style)> = None;
    for g in glyphs {
        if g.ch == ' ' {
            last_end = None;
            continue;
        }
        let continues = last_end == Some((g.x, g.style));
        let end = (g.x + g.dots).div_ceil(DOTS) as u16;
        let extended = match continues.then(|| frame.extend_last_run(g.ch)).flatten() {
            Some(run) => {
                run.width = end - run.col;
                run.span = Span::new(0, run.span.range().start, g.at + g.len);
                true
            }
            None => false,
        };
        if !extended {
            let col = g.x.div_ceil(DOTS) as u16;
            let mut utf8 = [0; 4];
            frame.push_run(PlacedText {
                col,
                width: end.saturating_sub(col),
                text: g.ch.encode_utf8(&mut utf8),
                style: g.style,
                origin: Origin::Template,
                span: Span::new(0, g.at, g.at + g.len),
            });
        }
        last_end = Some((g.x + g.dots, g.style));
    }
    let runs = frame.open_runs();
    let span = match (runs.first(), runs.last()) {
        (Some(a), Some(b)) => Span::new(0, a.span.range().start, b.span.range().end),
        _ => Span::default(),
    };
    // The input does not say how a line was aligned; the previews only use it as a hint
    // (where to draw ×1.33 glyphs in whole columns), so it is read off the margins.
    let align = match (runs.first(), runs.last()) {
        (Some(a), Some(b)) => {
            let (left, right) = (a.col, columns.saturating_sub(b.col + b.width));
            if left > 0 && left.abs_diff(right) <= 1 {
                Align::Center
            } else if right == 0 && left > 0 {
                Align::Right
            } else {
                Align::Left
            }
        }
        _ => Align::Left,
    };
    let kind = if runs.is_empty() {
        LineKind::Blank
    } else {
        LineKind::Text
    };
    frame.end_line(kind, align, span);
}

/// How a line is placed when it is printed: the printer's alignment at that moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Placement {
    #[default]
    Left,
    Center,
    Right,
}

/// The paper being printed: finished items and the line in the print buffer.
#[derive(Debug)]
pub(crate) struct Sheet {
    pub columns: u16,
    /// The paper's width in dots.
    pub paper: u32,
    /// The finished items (its settings are set by [`Sheet::finish`]).
    pub frame: Frame,
    pub line: Vec<Glyph>,
    /// The next glyph's first dot.
    pub x: u32,
    /// Whether the current line of the input already reported passing the edge.
    pub wrapped: bool,
    /// Whether a line filled to the last dot ends by itself (the model's `full_line_wraps`).
    pub full_line_wraps: bool,
    pub problems: Vec<Problem>,
}

impl Sheet {
    /// The emulated paper: this sheet's items on a frame of `columns`, its problems in input
    /// order.
    pub fn finish(
        self,
        columns: u16,
        settings: crate::document::JobSettings,
        controls: Vec<super::Control>,
    ) -> super::Emulated {
        let mut problems = self.problems;
        problems.sort_by_key(|p| (p.span.start, p.span.end));
        let mut frame = self.frame;
        frame.columns = columns;
        frame.settings = settings;
        super::Emulated {
            frame,
            controls,
            problems,
        }
    }

    pub fn new(columns: u16, full_line_wraps: bool) -> Sheet {
        Sheet {
            columns,
            paper: u32::from(columns) * DOTS,
            frame: Frame::new(
                columns,
                crate::measure::Encoding::Gbk,
                crate::document::JobSettings::default(),
            ),
            line: Vec::new(),
            x: 0,
            wrapped: false,
            full_line_wraps,
            problems: Vec::new(),
        }
    }

    /// Records a problem at bytes `start..end` of the input.
    pub fn problem(&mut self, kind: ProblemKind, message: String, start: usize, end: usize) {
        self.problems.push(Problem {
            kind,
            message,
            span: Span::new(0, start, end.max(start)),
        });
    }

    /// Whether anything waits in the print buffer.
    pub fn pending(&self) -> bool {
        !self.line.is_empty() || self.x > 0
    }

    /// Puts `ch` (`dots` wide, drawn with `style`) from bytes `at..at + len` on the line; a
    /// character that does not fit in the dots left starts a new line (placed with `place`).
    pub fn put(
        &mut self,
        ch: char,
        dots: u32,
        style: Style,
        at: usize,
        len: usize,
        place: Placement,
    ) {
        if self.x + dots > self.paper && self.pending() {
            if !self.wrapped {
                self.wrapped = true;
                self.problem(
                    ProblemKind::PastEdge,
                    format!(
                        "the line passes the paper's edge ({} columns) here: the printer wraps \
                         the rest onto a new line",
                        self.columns
                    ),
                    at,
                    at + len,
                );
            }
            self.print_line(place);
        }
        self.line.push(Glyph {
            x: self.x,
            dots,
            ch,
            style,
            at,
            len,
        });
        self.x += dots;
        if self.full_line_wraps && self.x >= self.paper {
            self.print_line(place);
        }
    }

    /// Moves the head to dot `x` on the current line (a tab).
    pub fn move_to(&mut self, x: u32) {
        self.x = x.min(self.paper);
    }

    /// Prints the buffered line, placed by `place`, and starts a new one.
    pub fn print_line(&mut self, place: Placement) {
        let mut glyphs = std::mem::take(&mut self.line);
        let used = glyphs.last().map_or(0, |g| g.x + g.dots);
        let free = self.paper.saturating_sub(used);
        // Whole columns (assumed: the printers' centring rounding is undocumented).
        let shift = match place {
            Placement::Left => 0,
            Placement::Center => free / 2 / DOTS * DOTS,
            Placement::Right => free,
        };
        for g in &mut glyphs {
            g.x += shift;
        }
        line_of(&mut self.frame, &glyphs, self.columns);
        glyphs.clear();
        self.line = glyphs;
        self.x = 0;
    }

    /// Ends a line of the input (a line break): prints the buffered line.
    pub fn line_break(&mut self, place: Placement) {
        self.print_line(place);
        self.wrapped = false;
    }

    /// A code (or the logo) on lines of its own; a line in the buffer is printed first.
    pub fn code(&mut self, kind: CodeKind, data: String, start: usize, end: usize) {
        if self.pending() {
            self.print_line(Placement::Left);
        }
        self.frame.push_code(CodeItem {
            kind,
            data,
            origin: Origin::Template,
            span: Span::new(0, start, end),
        });
    }
}
