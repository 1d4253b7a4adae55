//! A paper simulator for Yilianyun content, written from the spec and not from the lowering:
//! it re-reads a content string, parses the tags, and puts every character on a grid of dots
//! the way the printer would (ASCII 12 dots, anything else 24, ×4/3 or ×2 under the scaling
//! tags, a line that would overflow wraps, a line filled to the last dot ends by itself).
//! Unknown tags print literally, as the firmware does (spec G4).

#![allow(dead_code)]

/// A character on the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glyph {
    /// First dot.
    pub x: u32,
    /// The character.
    pub ch: char,
    /// Bold.
    pub bold: bool,
    /// Width scale: 3 = ×1, 4 = ×4/3, 6 = ×2 (thirds).
    pub w: u32,
    /// Height scale, same units.
    pub h: u32,
}

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaperLine {
    /// Text (possibly empty).
    Text(Vec<Glyph>),
    /// A code block: tag name and data.
    Code(String, String),
}

/// What the printer did with a content string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Paper {
    /// Control tags at the start: (name, value).
    pub controls: Vec<(String, String)>,
    /// Control tags found after the start (the printer would ignore or print them).
    pub late_controls: Vec<String>,
    /// Tags the simulator did not know, printed literally.
    pub unknown_tags: Vec<String>,
    /// The lines.
    pub lines: Vec<PaperLine>,
}

const CONTROL: [&str; 13] = [
    "MN", "MA", "MS", "MC", "MK", "RS", "ML", "MP", "PW", "audio", "TTS", "VN", "JSON",
];
const CODES: [&str; 4] = ["QR", "BR", "BR2", "BR3"];
const STYLES: [&str; 7] = ["FB", "FS", "FS2", "FH", "FH2", "FW", "FW2"];

#[derive(Default)]
struct State {
    bold: u32,
    fs: u32,
    fs2: u32,
    fh: u32,
    fh2: u32,
    fw: u32,
    fw2: u32,
}

impl State {
    fn counter(&mut self, name: &str) -> &mut u32 {
        match name {
            "FB" => &mut self.bold,
            "FS" => &mut self.fs,
            "FS2" => &mut self.fs2,
            "FH" => &mut self.fh,
            "FH2" => &mut self.fh2,
            "FW" => &mut self.fw,
            _ => &mut self.fw2,
        }
    }
    fn w(&self) -> u32 {
        if self.fs2 + self.fw2 > 0 {
            6
        } else if self.fs + self.fw > 0 {
            4
        } else {
            3
        }
    }
    fn h(&self) -> u32 {
        if self.fs2 + self.fh2 > 0 {
            6
        } else if self.fs + self.fh > 0 {
            4
        } else {
            3
        }
    }
}

/// Simulates `content` on paper `columns` half-width columns wide.
pub fn simulate(content: &str, columns: u16, full_line_wraps: bool) -> Paper {
    let paper_dots = u32::from(columns) * 12;
    let mut paper = Paper::default();
    let mut rest = content;
    // Control tags, only at the very start.
    while let Some((name, value, after)) = element(rest, &CONTROL) {
        paper.controls.push((name, value));
        rest = after;
    }
    let mut st = State::default();
    let mut line: Vec<Glyph> = Vec::new();
    let mut x: u32 = 0;
    // Whether the current line was ended by filling it (a wrap), with nothing after yet.
    let mut chars = rest.char_indices().peekable();
    let mut skip_to = 0usize;
    while let Some((i, c)) = chars.next() {
        if i < skip_to {
            continue;
        }
        let tail = &rest[i..];
        if c == '<' {
            if let Some((name, value, after)) = element(tail, &CODES) {
                if !line.is_empty() || x > 0 {
                    paper.lines.push(PaperLine::Text(std::mem::take(&mut line)));
                    x = 0;
                }
                paper.lines.push(PaperLine::Code(name, value));
                skip_to = rest.len() - after.len();
                continue;
            }
            if let Some((name, _, after)) = element(tail, &CONTROL) {
                paper.late_controls.push(name);
                skip_to = rest.len() - after.len();
                continue;
            }
            if let Some(end) = tail.find('>') {
                let raw = &tail[1..end];
                let (closing, name) = match raw.strip_prefix('/') {
                    Some(n) => (true, n),
                    None => (false, raw),
                };
                if STYLES.contains(&name) {
                    let n = st.counter(name);
                    *n = if closing { n.saturating_sub(1) } else { *n + 1 };
                    skip_to = i + end + 1;
                    continue;
                }
                paper.unknown_tags.push(raw.to_string());
            }
        }
        if c == '\r' || c == '\n' {
            if c == '\r' && chars.peek().map(|p| p.1) == Some('\n') {
                chars.next();
            }
            paper.lines.push(PaperLine::Text(std::mem::take(&mut line)));
            x = 0;
            continue;
        }
        let base = if c.is_ascii() { 12 } else { 24 };
        let w = base * st.w() / 3;
        if x + w > paper_dots {
            paper.lines.push(PaperLine::Text(std::mem::take(&mut line)));
            x = 0;
        }
        line.push(Glyph {
            x,
            ch: c,
            bold: st.bold > 0,
            w: st.w(),
            h: st.h(),
        });
        x += w;
        if x == paper_dots && full_line_wraps {
            paper.lines.push(PaperLine::Text(std::mem::take(&mut line)));
            x = 0;
        }
    }
    if !line.is_empty() {
        paper.lines.push(PaperLine::Text(line));
    }
    paper
}

/// `<NAME>value</NAME>` at the start of `s` for a name in `names`: (name, value, rest).
fn element<'a>(s: &'a str, names: &[&str]) -> Option<(String, String, &'a str)> {
    let inner = s.strip_prefix('<')?;
    let end = inner.find('>')?;
    let name = &inner[..end];
    if !names.contains(&name) {
        return None;
    }
    let body = &inner[end + 1..];
    let close = format!("</{name}>");
    let stop = body.find(&close)?;
    Some((
        name.to_string(),
        body[..stop].to_string(),
        &body[stop + close.len()..],
    ))
}

/// The paper as monospace text, CJK at two cells, one row per line; scaled glyphs show as the
/// character followed by spaces for the extra cells they take. Codes show as `[QR data]`.
pub fn render(paper: &Paper) -> String {
    let mut out = String::new();
    for line in &paper.lines {
        match line {
            PaperLine::Code(name, data) => out.push_str(&format!("[{name} {data}]")),
            PaperLine::Text(glyphs) => {
                let mut col = 0u32;
                for g in glyphs {
                    let start = g.x / 12;
                    while col < start {
                        out.push(' ');
                        col += 1;
                    }
                    out.push(g.ch);
                    let base = if g.ch.is_ascii() { 1 } else { 2 };
                    col += base;
                    let end = (g.x + (base * 12) * g.w / 3).div_ceil(12);
                    while col < end {
                        out.push(' ');
                        col += 1;
                    }
                }
                let trimmed = out.trim_end_matches(' ').len();
                out.truncate(trimmed);
            }
        }
        out.push('\n');
    }
    out
}
