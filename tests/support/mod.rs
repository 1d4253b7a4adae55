//! Builders for hand-made documents and frame checks; the templates in `templates/` with their
//! sample data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use slipmark::document::{
    Align, Builder, Code, CodeKind, Column, ColumnWidth, Document, Origin, Scale, Style, TextKind,
};
use slipmark::frame::{Frame, Item, LayoutOptions};
use slipmark::layout::{Laid, layout};
use slipmark::{Environment, Span, Template};

/// A run as a test writes it: its own text (the library's `Run` points into its document's
/// text; [`doc`] builds one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub text: String,
    pub style: Style,
    pub origin: Origin,
    pub span: Span,
}

/// A row as a test writes it: the runs of each cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Vec<Run>>,
    pub span: Span,
}

/// A block as a test writes it, with its own runs and rows ([`doc`] builds the document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Text {
        kind: TextKind,
        align: Align,
        runs: Vec<Run>,
        span: Span,
    },
    Blank(Span),
    Rule {
        ch: char,
        label: Vec<Run>,
        span: Span,
    },
    Table {
        columns: Option<Vec<Column>>,
        header: Option<Row>,
        rows: Vec<Row>,
        span: Span,
    },
    Code(Code),
}

pub fn sp() -> Span {
    Span::new(0, 0, 1)
}

pub fn run(text: &str) -> Run {
    Run {
        text: text.to_string(),
        style: Style::PLAIN,
        origin: Origin::Template,
        span: sp(),
    }
}

pub fn data(text: &str) -> Run {
    Run {
        origin: Origin::Data,
        span: Span::new(0, 10, 20),
        ..run(text)
    }
}

pub fn styled(text: &str, bold: bool, width: Scale, height: Scale) -> Run {
    Run {
        style: Style {
            bold,
            width,
            height,
        },
        ..run(text)
    }
}

pub fn text(kind: TextKind, align: Align, runs: Vec<Run>) -> Block {
    Block::Text {
        kind,
        align,
        runs,
        span: sp(),
    }
}

pub fn para(runs: Vec<Run>) -> Block {
    text(TextKind::Paragraph, Align::Left, runs)
}

/// `# title`: centred ×2.
pub fn h1(title: &str) -> Block {
    text(
        TextKind::Heading(1),
        Align::Center,
        vec![styled(title, false, Scale::X2, Scale::X2)],
    )
}

/// `## title`: centred, bold ×1.33.
pub fn h2(title: &str) -> Block {
    text(
        TextKind::Heading(2),
        Align::Center,
        vec![styled(title, true, Scale::X4_3, Scale::X4_3)],
    )
}

pub fn center(runs: Vec<Run>) -> Block {
    text(TextKind::Arrow, Align::Center, runs)
}

pub fn right(runs: Vec<Run>) -> Block {
    text(TextKind::Arrow, Align::Right, runs)
}

pub fn rule(ch: char, label: &str) -> Block {
    Block::Rule {
        ch,
        label: if label.is_empty() {
            vec![]
        } else {
            vec![run(label)]
        },
        span: Span::new(0, 30, 40),
    }
}

pub fn blank() -> Block {
    Block::Blank(sp())
}

pub fn code(kind: CodeKind, data: &str) -> Block {
    Block::Code(Code {
        kind,
        data: data.to_string(),
        origin: Origin::Data,
        span: sp(),
    })
}

/// A row whose cells are data runs (plain text).
pub fn row(cells: &[&str]) -> Row {
    row_of(cells.iter().map(|c| vec![data(c)]).collect())
}

pub fn row_of(cells: Vec<Vec<Run>>) -> Row {
    Row {
        cells,
        span: Span::new(0, 50, 60),
    }
}

/// Parses a spec row like `|:-*-|:-4-:|--8-:|` (test-side, independent of the parser).
pub fn spec(s: &str) -> Vec<Column> {
    s.trim()
        .trim_matches('|')
        .split('|')
        .enumerate()
        .map(|(i, cell)| {
            let cell = cell.trim();
            let left = cell.starts_with(':');
            let right = cell.ends_with(':');
            let inner: String = cell.chars().filter(|c| *c != ':' && *c != '-').collect();
            let width = match inner.as_str() {
                "" => ColumnWidth::Fit,
                "*" => ColumnWidth::Share,
                n => ColumnWidth::Fixed(n.parse().expect("width")),
            };
            let align = match (left, right) {
                (true, true) => Align::Center,
                (false, true) => Align::Right,
                _ => Align::Left,
            };
            Column {
                align,
                width,
                span: Span::new(0, 100 + i, 101 + i),
            }
        })
        .collect()
}

pub fn table(columns: Option<&str>, header: Option<&[&str]>, rows: &[&[&str]]) -> Block {
    Block::Table {
        columns: columns.map(spec),
        header: header.map(row),
        rows: rows.iter().map(|r| row(r)).collect(),
        span: Span::new(0, 50, 90),
    }
}

/// The document of `blocks`, built with the library's `Builder`.
pub fn doc(blocks: Vec<Block>) -> Document {
    let mut b = Builder::new();
    let runs = |b: &mut Builder, runs: &[Run]| {
        for r in runs {
            b.run(&r.text, r.style, r.origin, r.span);
        }
    };
    let row = |b: &mut Builder, row: &Row| {
        for cell in &row.cells {
            runs(b, cell);
            // every cell a test writes spans `sp()`
            b.cell(sp());
        }
        b.row(row.span)
    };
    for block in blocks {
        match block {
            Block::Text {
                kind,
                align,
                runs: r,
                span,
            } => {
                runs(&mut b, &r);
                b.text_block(kind, align, span);
            }
            Block::Blank(span) => {
                b.blank(span);
            }
            Block::Rule { ch, label, span } => {
                runs(&mut b, &label);
                b.rule(ch, span);
            }
            Block::Table {
                columns,
                header,
                rows,
                span,
            } => {
                let header = header.map(|h| row(&mut b, &h));
                let rows: Vec<_> = rows.iter().map(|r| row(&mut b, r)).collect();
                b.table(columns.as_deref(), header, &rows, span);
            }
            Block::Code(c) => {
                b.code(c);
            }
        }
    }
    b.finish()
}

pub fn opts(columns: u16) -> LayoutOptions {
    LayoutOptions {
        columns,
        ..LayoutOptions::default()
    }
}

/// Lays out and checks the frame invariants; panics on a layout error.
pub fn laid(d: &Document, columns: u16) -> Laid {
    let laid = layout(d, &opts(columns)).expect("layout");
    check(&laid.frame);
    laid
}

pub fn preview(d: &Document, columns: u16) -> String {
    slipmark::preview::text(&laid(d, columns).frame)
}

/// GBK width oracle, written independently of the library: printable ASCII is 1 column, any
/// other character 2, scaled by the run's width scale in dots.
pub fn oracle_dots(c: char, width: Scale) -> u32 {
    let base = if (' '..='~').contains(&c) { 12 } else { 24 };
    match width {
        Scale::X1 => base,
        Scale::X4_3 => base * 4 / 3,
        Scale::X2 => base * 2,
    }
}

pub fn oracle_columns(text: &str, width: Scale) -> u32 {
    text.chars()
        .map(|c| oracle_dots(c, width))
        .sum::<u32>()
        .div_ceil(12)
}

/// Frame invariants: sorted, non-overlapping runs of the declared width inside the paper, no
/// unprintable or control character.
pub fn check(frame: &Frame) {
    for item in frame.items() {
        let Item::Line(line) = item else { continue };
        let line: Vec<_> = frame.placed(line).collect();
        let mut end = 0u32;
        for r in &line {
            assert!(u32::from(r.col) >= end, "overlap or unsorted: {line:?}");
            assert_eq!(
                u32::from(r.width),
                oracle_columns(r.text, r.style.width),
                "width of {r:?}"
            );
            assert!(!r.text.is_empty(), "empty run {r:?}");
            for c in r.text.chars() {
                assert!(!c.is_control(), "control character in {r:?}");
                assert!(
                    slipmark::measure::printable(c, slipmark::measure::Encoding::Gbk),
                    "unprintable {c:?} in {r:?}"
                );
            }
            end = u32::from(r.col) + u32::from(r.width);
        }
        assert!(
            end <= u32::from(frame.columns),
            "line wider than the paper: {line:?}"
        );
    }
}

/// The runs of line `i` (skipping codes) as (col, text).
pub fn line_runs(frame: &Frame, i: usize) -> Vec<(u16, String)> {
    let lines: Vec<_> = frame
        .items()
        .iter()
        .filter_map(|it| match it {
            Item::Line(l) => Some(l),
            _ => None,
        })
        .collect();
    frame
        .placed(lines[i])
        .map(|r| (r.col, r.text.to_string()))
        .collect()
}

/// A template file, compiled, and its sample data: the `.json` file beside it. Panics with the
/// full error if the template does not compile or the data cannot be read.
pub fn template_with_data(path: &Path) -> (Template, serde_json::Value) {
    let template = Environment::new()
        .template_from_file(path)
        .unwrap_or_else(|e| panic!("{e:#}"));
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path.with_extension("json")).unwrap())
            .unwrap();
    (template, data)
}

/// The templates in `templates/`, sorted.
pub fn templates() -> Vec<PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir("templates")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slip"))
        .collect();
    out.sort();
    out
}

/// Outputs of one template on many families, families that print the same sharing one entry
/// (in order of first appearance): the text of a per-template snapshot.
#[derive(Default)]
pub struct ByOutput(Vec<(String, Vec<String>)>);

impl ByOutput {
    /// Records what `family` printed.
    pub fn add(&mut self, family: &str, out: String) {
        match self.0.iter_mut().find(|(o, _)| *o == out) {
            Some((_, families)) => families.push(family.to_string()),
            None => self.0.push((out, vec![family.to_string()])),
        }
    }

    /// `======== k4, k6` headings, each followed by the output those families print.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|(out, families)| format!("======== {}\n{out}\n", families.join(", ")))
            .collect()
    }
}
