//! The bound document: what `bind` produces and `layout` reads.
//!
//! Statements are evaluated, loops unrolled, expressions replaced by their text. Every run of text
//! remembers whether it came from the template or from data ([`Origin`]), so that later stages can
//! guarantee that data never turns into printer instructions.

use serde::Serialize;

use crate::span::{Span, Spanned};

pub use crate::vocab::{Align, CodeKind, ColumnWidth, Origin, Scale, Style};

/// A bound receipt: job settings plus blocks in print order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Document {
    /// Settings from the front matter.
    pub settings: JobSettings,
    /// Blocks, top to bottom.
    pub blocks: Vec<Block>,
}

/// A piece of text with one style and one origin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Run {
    /// The text, exactly as bound (no escaping applied yet; may contain any character).
    pub text: String,
    /// Its style.
    pub style: Style,
    /// Template or data.
    pub origin: Origin,
    /// The template span it came from (the expression, for data).
    pub span: Span,
}

/// One block: a source line after evaluation (several for an unrolled loop).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum Block {
    /// A paragraph, heading or arrow line.
    Text(TextBlock),
    /// An empty line.
    Blank(Span),
    /// A horizontal rule, possibly with a label.
    Rule(Rule),
    /// Consecutive rows sharing one column specification.
    Table(Table),
    /// A QR code, barcode or the stored logo.
    Code(Code),
}

/// What kind of source line produced a text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum TextKind {
    /// Plain text.
    Paragraph,
    /// `#`, `##` or `###` (the level).
    Heading(u8),
    /// `-> text <-` or `-> text`.
    Arrow,
}

/// A line of inline text with an alignment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TextBlock {
    /// Where it came from.
    pub kind: TextKind,
    /// Alignment of every wrapped line.
    pub align: Align,
    /// The text, in order (heading styles already applied to the runs).
    pub runs: Vec<Run>,
    /// The source line.
    pub span: Span,
}

/// A rule: `---`, `===`, `***`, `...`, `~~~`, optionally with a centred label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    /// The character repeated across the line.
    pub ch: char,
    /// The label (empty for a plain rule).
    pub label: Vec<Run>,
    /// The source line.
    pub span: Span,
}

/// Consecutive rows laid out on shared columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Table {
    /// The spec row in force, or `None` for rows without one (2 cells: left/right; 3–4 cells:
    /// first flexible, others fitted and right-aligned).
    pub columns: Option<Vec<Column>>,
    /// The row directly above the spec row.
    pub header: Option<Row>,
    /// The body rows.
    pub rows: Vec<Row>,
    /// From the first to the last row.
    pub span: Span,
}

/// One column of a spec row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Alignment of its cells.
    pub align: Align,
    /// How wide it is.
    pub width: ColumnWidth,
    /// The spec cell.
    pub span: Span,
}

/// One row of cells.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// The cells, left to right.
    pub cells: Vec<Cell>,
    /// The source line.
    pub span: Span,
}

/// One cell: inline text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// The text.
    pub runs: Vec<Run>,
    /// The cell in the source.
    pub span: Span,
}

/// A code block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Code {
    /// Which code.
    pub kind: CodeKind,
    /// Its data (the bound target).
    pub data: String,
    /// `Data` if any part of the target came from data.
    pub origin: Origin,
    /// The source line.
    pub span: Span,
}

/// Job settings from the front matter, each with the span of its value.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct JobSettings {
    /// Copies, 1–9.
    pub copies: Option<Spanned<u8>>,
    /// Paper width.
    pub paper: Option<Spanned<Paper>>,
    /// Text the printer speaks on arrival.
    pub voice: Option<Spanned<String>>,
    /// Voice volume (as written, range checked by the model).
    pub volume: Option<Spanned<u8>>,
    /// New-order reminder.
    pub reminder: Option<Spanned<Reminder>>,
    /// Paper cut at the end.
    pub cut: Option<Spanned<Cut>>,
    /// New-order sound (`sound: buzzer 2`), where the model has one (Yilianyun `<MS>`).
    pub sound: Option<Spanned<Sound>>,
    /// Order confirmation on the printer's keys (`confirm: 120`), where the model has it
    /// (Yilianyun `<MC>`).
    pub confirm: Option<Spanned<Confirm>>,
    /// Open the cash drawer after printing (`drawer: open`), where the printer has a drawer port.
    pub drawer: Option<Spanned<bool>>,
}

/// A new-order sound (`sound:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Sound {
    /// What sounds.
    pub device: SoundDevice,
    /// 0 (mute) to 3 (high); 2 when the setting gives none.
    pub volume: u8,
}

/// What makes a new-order sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum SoundDevice {
    /// The buzzer.
    Buzzer,
    /// The speaker.
    Speaker,
}

/// Order confirmation (`confirm:`): the printer waits for a key press (accept or reject).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Confirm {
    /// How long it waits, in seconds (1–99999; `confirm: on` is 60).
    pub timeout_secs: u32,
}

/// A paper width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Paper {
    /// 58 mm paper: 32 columns, 384 dots.
    Mm58,
    /// 80 mm paper: 48 columns, 576 dots.
    Mm80,
    /// Any width in half-width columns.
    Columns(u16),
}

impl Document {
    /// Walks every text of the receipt in print order: `runs` gets each group of runs printed
    /// together (a text block, a rule's label, a table cell), `rule` each rule's character.
    /// Codes and settings are not visited. The dialects' neutralisers are written over it.
    pub fn for_each_text(
        &mut self,
        mut runs: impl FnMut(&mut Vec<Run>),
        mut rule: impl FnMut(&mut char),
    ) {
        for block in &mut self.blocks {
            match block {
                Block::Text(t) => runs(&mut t.runs),
                Block::Rule(r) => {
                    runs(&mut r.label);
                    rule(&mut r.ch);
                }
                Block::Table(t) => {
                    for row in t.header.iter_mut().chain(t.rows.iter_mut()) {
                        for cell in &mut row.cells {
                            runs(&mut cell.runs);
                        }
                    }
                }
                Block::Blank(_) | Block::Code(_) => {}
            }
        }
    }
}

impl Row {
    /// Whether the row is laid out under a spec of `columns`: it has one cell per column. A row
    /// with another number of cells is laid out as a row with no spec (`language.md` §3); bind
    /// groups rows and layout places them by this one rule.
    pub fn fits(&self, columns: &[Column]) -> bool {
        self.cells.len() == columns.len()
    }
}

impl Paper {
    /// Width in half-width columns.
    pub fn columns(self) -> u16 {
        match self {
            Paper::Mm58 => 32,
            Paper::Mm80 => 48,
            Paper::Columns(n) => n,
        }
    }

    /// Parses `58mm`, `80mm` or a number of columns.
    pub fn parse(s: &str) -> Option<Paper> {
        match s.trim() {
            "58mm" | "58" => Some(Paper::Mm58),
            "80mm" | "80" => Some(Paper::Mm80),
            s => s
                .parse::<u16>()
                .ok()
                .filter(|n| (8..=255).contains(n))
                .map(Paper::Columns),
        }
    }
}

/// New-order reminder (`reminder:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Reminder {
    /// Silent.
    None,
    /// Buzzer.
    Buzzer,
    /// Voice.
    Voice,
    /// Follow the printer's system setting.
    System,
}

/// Paper cut at the end of the job (`cut:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Cut {
    /// No cut.
    None,
    /// Half cut.
    Half,
    /// Partial cut ("leave a little").
    Partial,
    /// Full cut.
    Full,
}

impl Document {
    /// A compact, line-per-block text form for tests and debugging. Template text is quoted
    /// `"…"`, data text `«…»`; a non-plain style follows in braces (`{b w2 h4/3}`).
    pub fn outline(&self) -> String {
        let mut out = String::new();
        let s = &self.settings;
        let mut setting = |k: &str, v: Option<String>| {
            if let Some(v) = v {
                out.push_str(&format!("{k}: {v}\n"));
            }
        };
        setting("copies", s.copies.as_ref().map(|v| v.value.to_string()));
        setting("paper", s.paper.as_ref().map(|v| format!("{:?}", v.value)));
        setting("voice", s.voice.as_ref().map(|v| format!("{:?}", v.value)));
        setting("volume", s.volume.as_ref().map(|v| v.value.to_string()));
        setting(
            "reminder",
            s.reminder.as_ref().map(|v| format!("{:?}", v.value)),
        );
        setting("cut", s.cut.as_ref().map(|v| format!("{:?}", v.value)));
        setting("sound", s.sound.as_ref().map(|v| format!("{:?}", v.value)));
        setting(
            "confirm",
            s.confirm.as_ref().map(|v| format!("{:?}", v.value)),
        );
        for block in &self.blocks {
            match block {
                Block::Text(t) => {
                    out.push_str(&format!("{:?} {:?}: {}\n", t.kind, t.align, runs(&t.runs)))
                }
                Block::Blank(_) => out.push_str("blank\n"),
                Block::Rule(r) => out.push_str(&format!("rule {:?}: {}\n", r.ch, runs(&r.label))),
                Block::Code(c) => out.push_str(&format!(
                    "code {:?}: {}\n",
                    c.kind,
                    text(&c.data, Style::PLAIN, c.origin)
                )),
                Block::Table(t) => {
                    match &t.columns {
                        Some(cols) => {
                            let cols: Vec<String> = cols
                                .iter()
                                .map(|c| format!("{:?} {:?}", c.align, c.width))
                                .collect();
                            out.push_str(&format!("table [{}]\n", cols.join(", ")));
                        }
                        None => out.push_str("table (no spec)\n"),
                    }
                    let row = |r: &Row| {
                        r.cells
                            .iter()
                            .map(|c| format!(" {} |", runs(&c.runs)))
                            .collect::<String>()
                    };
                    if let Some(h) = &t.header {
                        out.push_str(&format!("  header |{}\n", row(h)));
                    }
                    for r in &t.rows {
                        out.push_str(&format!("  row |{}\n", row(r)));
                    }
                }
            }
        }
        out
    }
}

fn runs(runs: &[Run]) -> String {
    runs.iter()
        .map(|r| text(&r.text, r.style, r.origin))
        .collect::<Vec<_>>()
        .join(" ")
}

fn text(t: &str, style: Style, origin: Origin) -> String {
    let mut s = match origin {
        Origin::Template => format!("{t:?}"),
        Origin::Data => format!("«{}»", t.escape_debug()),
    };
    if !style.is_plain() {
        let scale = |p: &str, s: Scale| match s {
            Scale::X1 => None,
            Scale::X4_3 => Some(format!("{p}4/3")),
            Scale::X2 => Some(format!("{p}2")),
        };
        let parts: Vec<String> = [
            style.bold.then(|| "b".to_string()),
            scale("w", style.width),
            scale("h", style.height),
        ]
        .into_iter()
        .flatten()
        .collect();
        s.push_str(&format!("{{{}}}", parts.join(" ")));
    }
    s
}
