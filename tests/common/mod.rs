//! Hand-built frames and the checks every backend test shares.

#![allow(dead_code)]

pub mod escpaper;
pub mod paper;
pub mod tagpaper;

use slipmark::Span;
use slipmark::backend::{Model, VoiceTag};
use slipmark::document::{Align, CodeKind, JobSettings, Origin, Scale, Style};
use slipmark::frame::{CodeItem, Frame, Item, LineKind, PlacedText};
use slipmark::measure::Encoding;

use paper::{Glyph, PaperLine};

pub const PLAIN: Style = Style::PLAIN;
pub const BOLD: Style = Style {
    bold: true,
    width: Scale::X1,
    height: Scale::X1,
};
pub const LARGE_BOLD: Style = Style {
    bold: true,
    width: Scale::X4_3,
    height: Scale::X4_3,
};
pub const BIG: Style = Style {
    bold: false,
    width: Scale::X2,
    height: Scale::X2,
};
pub const TALL: Style = Style {
    bold: false,
    width: Scale::X1,
    height: Scale::X2,
};
pub const WIDE: Style = Style {
    bold: false,
    width: Scale::X2,
    height: Scale::X1,
};

pub const T: Origin = Origin::Template;
pub const D: Origin = Origin::Data;

/// Test-side measure: columns of a text at a style (GBK: ASCII 12 dots, others 24).
pub fn width(text: &str, style: Style) -> u16 {
    let dots: u32 = text
        .chars()
        .map(|c| style.width.dots(if c.is_ascii() { 12 } else { 24 }))
        .sum();
    dots.div_ceil(12) as u16
}

fn span(n: usize) -> Span {
    Span::new(0, n, n + 1)
}

/// A run of a frame built by hand, owned (so that a test can change it before building).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunSpec {
    pub col: u16,
    pub width: u16,
    pub text: String,
    pub style: Style,
    pub origin: Origin,
    pub span: Span,
}

/// An item of a frame built by hand ([`build`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    Line {
        kind: LineKind,
        align: Align,
        span: Span,
        runs: Vec<RunSpec>,
    },
    Code(CodeItem),
}

/// A frame `columns` wide of `items`.
pub fn build(columns: u16, settings: JobSettings, items: &[Spec]) -> Frame {
    let mut frame = Frame::new(columns, Encoding::Gbk, settings);
    for item in items {
        match item {
            Spec::Line {
                kind,
                align,
                span,
                runs,
            } => frame.push_line(
                *kind,
                *align,
                *span,
                runs.iter().map(|r| PlacedText {
                    col: r.col,
                    width: r.width,
                    text: &r.text,
                    style: r.style,
                    origin: r.origin,
                    span: r.span,
                }),
            ),
            Spec::Code(code) => frame.push_code(code.clone()),
        }
    }
    frame
}

/// A frame's items as specs (what [`build`] makes it from).
pub fn specs(frame: &Frame) -> Vec<Spec> {
    frame
        .items()
        .iter()
        .map(|item| match item {
            Item::Line(line) => Spec::Line {
                kind: line.kind,
                align: line.align,
                span: line.span,
                runs: frame
                    .placed(line)
                    .map(|r| RunSpec {
                        col: r.col,
                        width: r.width,
                        text: r.text.to_string(),
                        style: r.style,
                        origin: r.origin,
                        span: r.span,
                    })
                    .collect(),
            },
            Item::Code(code) => Spec::Code(code.clone()),
            other => panic!("specs does not know {other:?}"),
        })
        .collect()
}

/// A line of consecutive runs, aligned on a paper of `columns`.
pub fn line(columns: u16, align: Align, runs: &[(&str, Style, Origin)]) -> Spec {
    let total: u16 = runs.iter().map(|(t, s, _)| width(t, *s)).sum();
    let mut col = match align {
        Align::Left => 0,
        Align::Center => (columns - total) / 2,
        Align::Right => columns - total,
    };
    let mut placed = Vec::new();
    for (i, (text, style, origin)) in runs.iter().enumerate() {
        let w = width(text, *style);
        placed.push(RunSpec {
            col,
            width: w,
            text: text.to_string(),
            style: *style,
            origin: *origin,
            span: span(i),
        });
        col += w;
    }
    Spec::Line {
        kind: LineKind::Text,
        align,
        runs: placed,
        span: span(100),
    }
}

/// A two-cell row: left flush left, right flush right.
pub fn row(columns: u16, left: (&str, Style, Origin), right: (&str, Style, Origin)) -> Spec {
    let rw = width(right.0, right.1);
    let lw = width(left.0, left.1);
    let runs = vec![
        RunSpec {
            col: 0,
            width: lw,
            text: left.0.into(),
            style: left.1,
            origin: left.2,
            span: span(1),
        },
        RunSpec {
            col: columns - rw,
            width: rw,
            text: right.0.into(),
            style: right.1,
            origin: right.2,
            span: span(2),
        },
    ];
    Spec::Line {
        kind: LineKind::Text,
        align: Align::Left,
        runs,
        span: span(200),
    }
}

/// A rule across the paper.
pub fn rule(columns: u16, ch: char) -> Spec {
    let text: String = std::iter::repeat_n(ch, usize::from(columns)).collect();
    Spec::Line {
        kind: LineKind::Rule,
        align: Align::Left,
        runs: vec![RunSpec {
            col: 0,
            width: columns,
            text,
            style: PLAIN,
            origin: T,
            span: span(300),
        }],
        span: span(300),
    }
}

/// An empty line.
pub fn blank() -> Spec {
    Spec::Line {
        kind: LineKind::Blank,
        align: Align::Left,
        runs: Vec::new(),
        span: span(400),
    }
}

/// A code item.
pub fn code(kind: CodeKind, data: &str, origin: Origin) -> Spec {
    Spec::Code(CodeItem {
        kind,
        data: data.into(),
        origin,
        span: span(500),
    })
}

/// Plain data text broken into lines of at most `columns` (test-side stand-in for wrapping).
pub fn wrap(text: &str, columns: u16) -> Vec<String> {
    let mut lines = vec![String::new()];
    let mut w = 0;
    for c in text.chars() {
        let cw = width(&c.to_string(), PLAIN);
        if w + cw > columns {
            lines.push(String::new());
            w = 0;
        }
        lines.last_mut().unwrap().push(c);
        w += cw;
    }
    lines
}

/// The takeaway receipt every family prints in the snapshots.
pub fn takeaway(columns: u16, settings: JobSettings) -> Frame {
    let items = vec![
        line(columns, Align::Center, &[("美味餐厅", BIG, T)]),
        line(
            columns,
            Align::Center,
            &[("外卖单 #", LARGE_BOLD, T), ("12", LARGE_BOLD, D)],
        ),
        line(
            columns,
            Align::Left,
            &[("订单号: ", PLAIN, T), ("20261128001", PLAIN, D)],
        ),
        line(
            columns,
            Align::Left,
            &[("下单时间: ", PLAIN, T), ("11-28 12:00", PLAIN, D)],
        ),
        rule(columns, '-'),
        row(columns, ("宫保鸡丁 x1", PLAIN, D), ("¥28.00", PLAIN, D)),
        row(columns, ("米饭 x2", PLAIN, D), ("¥4.00", PLAIN, D)),
        rule(columns, '='),
        row(columns, ("合计", BOLD, T), ("¥32.00", BOLD, D)),
        line(
            columns,
            Align::Left,
            &[("备注: ", PLAIN, T), ("多放辣", TALL, D)],
        ),
        blank(),
        code(CodeKind::Qr, "https://example.com/o/20261128001", D),
        line(columns, Align::Center, &[("谢谢惠顾", WIDE, T)]),
    ];
    build(columns, settings, &items)
}

/// What the paper should show for `frame`, computed from the frame alone.
pub fn expected_paper(frame: &Frame) -> Vec<PaperLine> {
    let scale = |s: Scale| match s {
        Scale::X1 => 3,
        Scale::X4_3 => 4,
        Scale::X2 => 6,
    };
    let mut out = Vec::new();
    for item in frame.items() {
        match item {
            Item::Line(line) => {
                let mut glyphs = Vec::new();
                for run in frame.placed(line) {
                    let mut x = u32::from(run.col) * 12;
                    for ch in run.text.chars() {
                        glyphs.push(Glyph {
                            x,
                            ch,
                            bold: run.style.bold,
                            w: scale(run.style.width),
                            h: scale(run.style.height),
                        });
                        x += run.style.width.dots(if ch.is_ascii() { 12 } else { 24 });
                    }
                }
                out.push(PaperLine::Text(glyphs));
            }
            Item::Code(c) => {
                let name = match c.kind {
                    CodeKind::Qr => "QR",
                    CodeKind::Ean13 => "BR",
                    CodeKind::Code128 => "BR2",
                    CodeKind::Code128C => "BR3",
                    CodeKind::Logo => continue,
                    other => panic!("the paper simulator does not know {other:?}"),
                };
                out.push(PaperLine::Code(name.into(), c.data.clone()));
            }
            other => panic!("the paper simulator does not know {other:?}"),
        }
    }
    out
}

/// Tag names the model's record says it has, derived here from the record fields (not from the
/// backend's own table).
pub fn allowed_tags(m: &Model) -> Vec<&'static str> {
    let mut tags = Vec::new();
    let s = m.styles;
    let mut add = |cond: bool, names: &[&'static str]| {
        if cond {
            tags.extend_from_slice(names);
        }
    };
    add(s.bold, &["FB"]);
    add(s.tall, &["FH"]);
    add(s.tall2, &["FH2"]);
    add(s.wide, &["FW"]);
    add(s.wide2, &["FW2"]);
    add(s.tall && s.wide, &["FS"]);
    add(s.tall2 && s.wide2, &["FS2"]);
    add(m.codes.qr.is_some(), &["QR"]);
    add(m.codes.ean13, &["BR"]);
    add(m.codes.code128.is_some(), &["BR2"]);
    add(m.codes.code128c.is_some(), &["BR3"]);
    add(m.copies.is_some(), &["MN"]);
    add(m.reminder, &["MA"]);
    add(m.cut, &["MK"]);
    add(m.codes.logo.is_some(), &["ML"]);
    add(m.print_width.is_some(), &["PW"]);
    add(
        m.voice.is_some_and(|v| v.tag == VoiceTag::Audio),
        &["audio"],
    );
    add(m.voice.is_some_and(|v| v.tag == VoiceTag::Tts), &["TTS"]);
    add(m.align.center, &["center"]);
    add(m.align.right, &["right"]);
    add(m.align.left_right, &["LR"]);
    add(m.align.table, &["table", "tr", "td"]);
    tags
}

/// Every `<name>` / `</name>` in `content`.
pub fn tags_in(content: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = content;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        match after.find('>') {
            Some(j) => {
                out.push(after[..j].trim_start_matches('/').to_string());
                rest = &after[j + 1..];
            }
            None => {
                out.push(after.to_string());
                break;
            }
        }
    }
    out
}

/// Must-show 1 and 4 for one lowered frame: only the model's tags, control tags only at the
/// start, native tags within the budget, and the paper equal to the frame.
pub fn check_content(frame: &Frame, model: &Model, content: &str) -> paper::Paper {
    // The dialect's own independent re-reading, whatever the build (release builds skip it).
    slipmark::backend::yilianyun::verify(content, model)
        .unwrap_or_else(|e| panic!("{}: the verifier refuses {content:?}: {e}", model.id));
    let allowed = allowed_tags(model);
    for tag in tags_in(content) {
        assert!(
            allowed.contains(&tag.as_str()),
            "{}: tag <{tag}> in {content:?}",
            model.id
        );
    }
    let natives = ["center", "right", "LR", "table"]
        .iter()
        .map(|t| content.matches(&format!("<{t}>")).count())
        .sum::<usize>();
    assert!(natives <= usize::from(model.limits.native_budget));
    let paper = paper::simulate(content, frame.columns, model.full_line_wraps);
    assert!(
        paper.late_controls.is_empty(),
        "{}: {:?}",
        model.id,
        paper.late_controls
    );
    assert!(
        paper.unknown_tags.is_empty(),
        "{}: {:?}",
        model.id,
        paper.unknown_tags
    );
    let got = ink(&paper.lines);
    let want = ink(&expected_paper(frame));
    if !same_columns(&got, &want, &slack(frame)) {
        let show = |lines: &[PaperLine]| {
            paper::render(&paper::Paper {
                lines: lines.to_vec(),
                ..Default::default()
            })
        };
        panic!(
            "{}: paper differs from the frame\n--- simulated ---\n{}--- frame ---\n{}",
            model.id,
            show(&got),
            show(&want)
        );
    }
    paper
}

/// The lines with spaces dropped: what leaves ink (positions of the rest are kept).
pub fn ink(lines: &[PaperLine]) -> Vec<PaperLine> {
    lines
        .iter()
        .map(|l| match l {
            PaperLine::Text(g) => {
                PaperLine::Text(g.iter().filter(|g| g.ch != ' ').cloned().collect())
            }
            code => code.clone(),
        })
        .collect()
}

/// Lines equal glyph for glyph, each glyph starting at the dot the frame gives it, or (for a
/// run that follows a ×1.33 run, whose width is not a whole number of columns, within less than
/// two columns) up to `slack` dots to the left of it.
pub fn same_columns(got: &[PaperLine], want: &[PaperLine], slack: &[Vec<u32>]) -> bool {
    got.len() == want.len()
        && got
            .iter()
            .zip(want)
            .zip(slack)
            .all(|((g, w), s)| match (g, w) {
                (PaperLine::Text(g), PaperLine::Text(w)) => {
                    g.len() == w.len()
                        && g.iter().zip(w).zip(s).all(|((g, w), s)| {
                            (g.ch, g.bold, g.w, g.h) == (w.ch, w.bold, w.w, w.h)
                                && g.x <= w.x
                                && w.x - g.x <= *s
                        })
                }
                (g, w) => g == w,
            })
}

/// Per inked glyph of each line of [`expected_paper`]: how far left of its frame position the
/// printer may put it. Only a run starting less than two columns after a ×1.33 run that ends
/// between columns (or after a run already behind) gets 8 dots; with two or more columns the gap can be closed exactly with
/// normal and ×1.33 spaces (12a + 16b covers every multiple of 4 from 24 up).
pub fn slack(frame: &Frame) -> Vec<Vec<u32>> {
    let mut out = Vec::new();
    for item in frame.items() {
        match item {
            Item::Line(line) => {
                let mut v = Vec::new();
                // Whether the head can be behind the column where the previous run ends.
                let mut behind = false;
                let mut prev_end = 0u16;
                for run in frame.placed(line) {
                    let s = if behind && run.col - prev_end < 2 {
                        8
                    } else {
                        0
                    };
                    v.extend(run.text.chars().filter(|c| *c != ' ').map(|_| s));
                    let dots: u32 = run
                        .text
                        .chars()
                        .map(|c| run.style.width.dots(if c.is_ascii() { 12 } else { 24 }))
                        .sum();
                    behind = s > 0 || dots % 12 != 0;
                    prev_end = run.col + run.width;
                }
                out.push(v);
            }
            Item::Code(c) if c.kind == CodeKind::Logo => {}
            Item::Code(_) => out.push(Vec::new()),
            other => panic!("slack does not know {other:?}"),
        }
    }
    out
}

/// A stand-in for layout, so that these tests exercise neutralisation and lowering alone (the
/// real pipeline is tested in `yilianyun_templates.rs`): text blocks flush left, wrapped character by
/// character, two-cell rows left/right, codes and blanks as they are. Plain and bold runs only.
pub fn mini_layout(doc: &slipmark::document::Document, columns: u16) -> Frame {
    use slipmark::document::Block;
    let mut items = Vec::new();
    for block in &doc.blocks {
        match block {
            Block::Text(t) => {
                let mut runs: Vec<RunSpec> = Vec::new();
                let mut col = 0u16;
                let flush = |runs: &mut Vec<RunSpec>, items: &mut Vec<Spec>| {
                    items.push(Spec::Line {
                        kind: LineKind::Text,
                        align: Align::Left,
                        runs: std::mem::take(runs),
                        span: t.span,
                    });
                };
                for run in doc.runs(t.runs) {
                    for ch in doc.text(run).chars() {
                        let w = width(&ch.to_string(), run.style);
                        if col + w > columns {
                            flush(&mut runs, &mut items);
                            col = 0;
                        }
                        match runs.last_mut() {
                            Some(p) if p.col + p.width == col && p.span == run.span => {
                                p.text.push(ch);
                                p.width += w;
                            }
                            _ => runs.push(RunSpec {
                                col,
                                width: w,
                                text: ch.to_string(),
                                style: run.style,
                                origin: run.origin,
                                span: run.span,
                            }),
                        }
                        col += w;
                    }
                }
                flush(&mut runs, &mut items);
            }
            Block::Table(table) => {
                for r in doc.rows(table) {
                    let cell = |i: usize| {
                        let runs = doc.runs(doc.cells(r)[i].runs);
                        let text: String = runs.iter().map(|r| doc.text(r)).collect();
                        let origin = runs.first().map_or(T, |r| r.origin);
                        (text, origin)
                    };
                    let (l, lo) = cell(0);
                    let (rt, ro) = cell(1);
                    items.push(row(columns, (&l, PLAIN, lo), (&rt, PLAIN, ro)));
                }
            }
            Block::Blank(_) => items.push(blank()),
            Block::Rule(r) => items.push(rule(columns, r.ch)),
            Block::Code(c) => items.push(Spec::Code(CodeItem {
                kind: c.kind,
                data: c.data.clone(),
                origin: c.origin,
                span: c.span,
            })),
            other => panic!("mini_layout does not know {other:?}"),
        }
    }
    build(columns, doc.settings.clone(), &items)
}

/// Display columns of a preview line, as a terminal draws it: column → character (a wide
/// character covers two; the preview pads East-Asian-ambiguous ones, which terminals draw
/// narrow, with a space to their paper width).
fn cells(line: &str) -> Vec<Option<char>> {
    use unicode_width::UnicodeWidthChar;
    let mut out = Vec::new();
    for c in line.chars() {
        out.push(Some(c));
        for _ in 1..c.width().unwrap_or(1) {
            out.push(None);
        }
    }
    out
}

/// Must-show 4: for each text line of the frame, the top preview line of that item and the
/// simulated paper line put the same glyphs in the same columns. ×1 and ×2 glyphs: the preview
/// column is `ceil(x / 12)` of the glyph's first dot. ×1.33 glyphs cannot be drawn in whole
/// columns; the preview packs them, so each run of them must show the same characters within
/// the columns it covers on paper and in the frame.
pub fn preview_matches_paper(frame: &Frame, paper: &[PaperLine], what: &str) {
    let mut lines = paper.iter();
    for (i, item) in frame.items().iter().enumerate() {
        let Item::Line(frame_line) = item else {
            if matches!(item, Item::Code(c) if c.kind != CodeKind::Logo) {
                lines.next();
            }
            continue;
        };
        let mut one = Frame::new(frame.columns, frame.encoding, frame.settings.clone());
        one.extend_from(frame, i..i + 1);
        let shown = slipmark::preview::text_lines(&one);
        let top = cells(shown.first().map_or("", |s| s.as_str()));
        let Some(PaperLine::Text(glyphs)) = lines.next() else {
            panic!("{what}: paper has fewer lines than the frame");
        };
        let at = |col: usize| top.get(col).copied().flatten();
        let mut group: Vec<&Glyph> = Vec::new();
        let check_group = |group: &mut Vec<&Glyph>| {
            if group.is_empty() {
                return;
            }
            let mut first = group[0].x as usize / 12;
            let last = group.last().unwrap();
            let end_dots = last.x + if last.ch.is_ascii() { 16 } else { 32 };
            let mut end = (end_dots as usize).div_ceil(12);
            // The preview packs ×1.33 glyphs somewhere in the columns of their runs.
            for r in frame.runs(frame_line) {
                let (a, b) = (usize::from(r.col), usize::from(r.col + r.width));
                if r.style.width == Scale::X4_3 && a < end && b > first {
                    first = first.min(a);
                    end = end.max(b);
                }
            }
            let want: String = group.iter().map(|g| g.ch).filter(|c| *c != ' ').collect();
            let got: String = (first..end).filter_map(at).filter(|c| *c != ' ').collect();
            assert_eq!(got, want, "{what}: ×1.33 run in {shown:?}");
            group.clear();
        };
        for g in glyphs {
            if g.w == 4 {
                group.push(g);
                continue;
            }
            check_group(&mut group);
            if g.ch == ' ' {
                continue;
            }
            let col = (g.x as usize).div_ceil(12);
            assert_eq!(
                at(col),
                Some(g.ch),
                "{what}: {:?} at dot {} in {shown:?}",
                g.ch,
                g.x
            );
        }
        check_group(&mut group);
    }
}
