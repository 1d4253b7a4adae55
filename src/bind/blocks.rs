//! Lines to blocks, inline content to runs, front matter to job settings.

use super::Binder;
use super::tables::{Assembler, Piece};
use crate::document::{
    Align, Block, Cell, Code, Column, Confirm, Cut, Document, JobSettings, Origin, Paper, Reminder,
    Row, Rule, Run, Scale, Sound, SoundDevice, Style, TextBlock, TextKind,
};
use crate::error::{Error, ErrorKind};
use crate::span::{Span, Spanned};
use crate::syntax::ast::{
    Ast, Class, Inline, InlineNode, LineAst, LineKind, SettingAst, SettingKey, SpecCell, Tree,
};

impl<'t> Binder<'t> {
    /// The whole document.
    pub(super) fn document(&mut self, ast: &'t Ast) -> Result<Document, Error> {
        let settings = self.settings(&ast.settings)?;
        let mut blocks = Assembler::with_capacity(ast.body.len());
        self.exec(&ast.body, &mut |b, line: &'t LineAst| {
            if let Some(piece) = b.line(line)? {
                blocks.push(piece);
            }
            Ok(())
        })?;
        let blocks = blocks.finish();
        Ok(Document { settings, blocks })
    }

    /// One line; `None` when it prints nothing.
    fn line(&mut self, line: &'t LineAst) -> Result<Option<Piece>, Error> {
        let span = line.span;
        let text = |b: &mut Self, inline: &'t Inline, style: Style| -> Result<Vec<Run>, Error> {
            let mut runs = Vec::new();
            b.runs(inline, style, &mut runs)?;
            Ok(runs)
        };
        let block = match &line.kind {
            LineKind::Paragraph(inline) => {
                let runs = text(self, inline, Style::PLAIN)?;
                // A line whose statements left nothing prints nothing.
                let has_statements = inline.iter().any(|n| !matches!(n, Tree::Leaf(_)));
                if has_statements && runs.iter().all(|r| r.text.is_empty()) {
                    return Ok(None);
                }
                Block::Text(TextBlock {
                    kind: TextKind::Paragraph,
                    align: Align::Left,
                    runs,
                    span,
                })
            }
            LineKind::Heading(level, inline) => {
                let (style, align) = heading_style(*level);
                Block::Text(TextBlock {
                    kind: TextKind::Heading(*level),
                    align,
                    runs: text(self, inline, style)?,
                    span,
                })
            }
            LineKind::Center(inline) | LineKind::Right(inline) => Block::Text(TextBlock {
                kind: TextKind::Arrow,
                align: if matches!(line.kind, LineKind::Center(_)) {
                    Align::Center
                } else {
                    Align::Right
                },
                runs: text(self, inline, Style::PLAIN)?,
                span,
            }),
            LineKind::Rule { ch, label } => Block::Rule(Rule {
                ch: *ch,
                label: match label {
                    Some(l) => text(self, l, Style::PLAIN)?,
                    None => Vec::new(),
                },
                span,
            }),
            LineKind::Blank => Block::Blank(span),
            LineKind::Row(cells) => {
                let mut out = Vec::with_capacity(cells.len());
                for cell in cells {
                    out.push(Cell {
                        runs: text(self, &cell.content, Style::PLAIN)?,
                        span: cell.span,
                    });
                }
                return Ok(Some(Piece::Row(Row { cells: out, span })));
            }
            LineKind::Spec(cells) => {
                let columns = cells.iter().map(column).collect();
                return Ok(Some(Piece::Spec(columns, span)));
            }
            LineKind::Code { kind, target } => {
                let (data, origin) = self.plain(target, "a code")?;
                let data = super::codes::complete(kind.value, data);
                if let Some((message, hint, _)) = super::codes::problem(kind.value, &data) {
                    let at = target_span(target).unwrap_or(span);
                    return Err(Error::new(ErrorKind::Data, message).at(at).with_hint(hint));
                }
                // The code's span is its data, so a model's error points at what it refuses.
                Block::Code(Code {
                    kind: kind.value,
                    data,
                    origin,
                    span: target_span(target).unwrap_or(span),
                })
            }
        };
        Ok(Some(Piece::Block(block)))
    }

    /// Inline content to runs, merging neighbours of the same style and origin.
    fn runs(&mut self, inline: &'t Inline, style: Style, out: &mut Vec<Run>) -> Result<(), Error> {
        self.exec(inline, &mut |b, node: &'t InlineNode| {
            match node {
                InlineNode::Text(t) => {
                    b.push_run(out, &t.value, style, Origin::Template, t.span)?
                }
                InlineNode::Expr(e) => {
                    b.push_with(out, style, Origin::Data, e.span, |b, text| b.print(e, text))?
                }
                InlineNode::Bold(body, _) => b.runs(
                    body,
                    Style {
                        bold: true,
                        ..style
                    },
                    out,
                )?,
                InlineNode::Styled(classes, body, _) => {
                    let mut s = style;
                    for c in classes {
                        apply_class(&mut s, c.value);
                    }
                    b.runs(body, s, out)?;
                }
            }
            Ok(())
        })
    }

    fn push_run(
        &mut self,
        out: &mut Vec<Run>,
        text: &str,
        style: Style,
        origin: Origin,
        span: Span,
    ) -> Result<(), Error> {
        self.produce(text.len(), span)?;
        if text.is_empty() {
            return Ok(());
        }
        if let Some(last) = out.last_mut() {
            if last.style == style && last.origin == origin && last.span.source == span.source {
                last.text.push_str(text);
                last.span = last.span.to(span);
                return Ok(());
            }
        }
        out.push(Run {
            text: text.to_string(),
            style,
            origin,
            span,
        });
        Ok(())
    }

    /// [`Binder::push_run`] of the text `write` writes, written in place: at the end of the
    /// last run when it would merge with it, else into a new run's text (no string in
    /// between). `write` writes nothing when it fails, and the output budget is counted as
    /// before (a document over budget is an error, so its partly written runs are never seen).
    fn push_with(
        &mut self,
        out: &mut Vec<Run>,
        style: Style,
        origin: Origin,
        span: Span,
        write: impl FnOnce(&mut Self, &mut String) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if let Some(last) = out.last_mut() {
            if last.style == style && last.origin == origin && last.span.source == span.source {
                let start = last.text.len();
                write(self, &mut last.text)?;
                let n = last.text.len() - start;
                self.produce(n, span)?;
                if n > 0 {
                    last.span = last.span.to(span);
                }
                return Ok(());
            }
        }
        let mut text = String::new();
        write(self, &mut text)?;
        self.produce(text.len(), span)?;
        if !text.is_empty() {
            out.push(Run {
                text,
                style,
                origin,
                span,
            });
        }
        Ok(())
    }

    /// Inline content that must be plain text (a code target, a setting value): its text, and
    /// `Data` if any part came from data.
    fn plain(&mut self, inline: &'t Inline, what: &str) -> Result<(String, Origin), Error> {
        let mut runs = Vec::new();
        self.runs(inline, Style::PLAIN, &mut runs)?;
        if let Some(styled) = runs.iter().find(|r| !r.style.is_plain()) {
            return Err(Error::new(
                ErrorKind::Syntax,
                format!("styles are not allowed in {what}"),
            )
            .at(styled.span));
        }
        let origin = if runs.iter().any(|r| r.origin == Origin::Data) {
            Origin::Data
        } else {
            Origin::Template
        };
        Ok((runs.into_iter().map(|r| r.text).collect(), origin))
    }

    /// Front matter to job settings.
    fn settings(&mut self, settings: &'t [SettingAst]) -> Result<JobSettings, Error> {
        let mut out = JobSettings::default();
        for s in settings {
            if let Err(e) = self.setting(s, &mut out) {
                self.recover(e)?;
            }
        }
        Ok(out)
    }

    fn setting(&mut self, s: &'t SettingAst, out: &mut JobSettings) -> Result<(), Error> {
        let (text, _) = self.plain(&s.value, "a setting")?;
        apply_setting(s.key.value, text.trim(), s.span, out)
    }
}

/// Sets `key` to the text `v` in `out`, or says why `v` is not a value of `key`. Run at bind
/// time on every setting, and at compile time on settings written without expressions (so
/// `slipmark check` finds `copies: 12` without data).
pub(super) fn apply_setting(
    key: SettingKey,
    v: &str,
    span: Span,
    out: &mut JobSettings,
) -> Result<(), Error> {
    if v.is_empty() {
        return Ok(());
    }
    let bad = |what: &str, allowed: &str| {
        Error::new(ErrorKind::Setting, format!("invalid {what} `{v}`"))
            .at(span)
            .with_hint(allowed.to_string())
    };
    match key {
        SettingKey::Copies => {
            let n = v.parse::<u8>().ok().filter(|n| (1..=9).contains(n));
            out.copies = Some(Spanned::new(
                n.ok_or_else(|| bad("copies", "copies is a whole number from 1 to 9"))?,
                span,
            ));
        }
        SettingKey::Paper => {
            let p = Paper::parse(v).ok_or_else(|| {
                bad(
                    "paper",
                    "paper is `58mm`, `80mm`, or a width in columns (8–255)",
                )
            })?;
            out.paper = Some(Spanned::new(p, span));
        }
        SettingKey::Voice => out.voice = Some(Spanned::new(v.to_string(), span)),
        SettingKey::Volume => {
            let n = v.parse::<u8>().ok().filter(|n| *n <= 9);
            out.volume = Some(Spanned::new(
                n.ok_or_else(|| bad("volume", "volume is a whole number from 0 to 9"))?,
                span,
            ));
        }
        SettingKey::Reminder => {
            let r = match v {
                "none" => Reminder::None,
                "buzzer" => Reminder::Buzzer,
                "voice" => Reminder::Voice,
                "system" => Reminder::System,
                _ => {
                    return Err(bad(
                        "reminder",
                        "reminder is one of: none, buzzer, voice, system",
                    ));
                }
            };
            out.reminder = Some(Spanned::new(r, span));
        }
        SettingKey::Cut => {
            let c = match v {
                "none" => Cut::None,
                "half" => Cut::Half,
                "partial" => Cut::Partial,
                "full" => Cut::Full,
                _ => return Err(bad("cut", "cut is one of: none, half, partial, full")),
            };
            out.cut = Some(Spanned::new(c, span));
        }
        SettingKey::Sound => {
            let hint = "sound is `buzzer` or `speaker`, optionally with a volume 0–3 (`buzzer 2`)";
            let mut parts = v.split([' ', ',']).filter(|p| !p.is_empty());
            let device = match parts.next() {
                Some("buzzer") => SoundDevice::Buzzer,
                Some("speaker") => SoundDevice::Speaker,
                _ => return Err(bad("sound", hint)),
            };
            let volume = match parts.next() {
                None => 2,
                Some(n) => n
                    .parse::<u8>()
                    .ok()
                    .filter(|n| *n <= 3)
                    .ok_or_else(|| bad("sound", hint))?,
            };
            if parts.next().is_some() {
                return Err(bad("sound", hint));
            }
            out.sound = Some(Spanned::new(Sound { device, volume }, span));
        }
        SettingKey::Confirm => {
            let hint = "confirm is `on` (wait 60 s), `off`, or the seconds to wait (1–99999)";
            let secs = match v {
                "off" => return Ok(()),
                "on" => 60,
                n => n
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=99_999).contains(n))
                    .ok_or_else(|| bad("confirm", hint))?,
            };
            out.confirm = Some(Spanned::new(Confirm { timeout_secs: secs }, span));
        }
        SettingKey::Drawer => match v {
            "open" => out.drawer = Some(Spanned::new(true, span)),
            "none" => {}
            _ => return Err(bad("drawer", "drawer is `open` (after printing) or `none`")),
        },
    }
    Ok(())
}

/// The span of a code's data in the template (from its first to its last piece).
pub(super) fn target_span(target: &Inline) -> Option<Span> {
    let span = |t: &Tree<InlineNode>| match t {
        Tree::Leaf(InlineNode::Text(x)) => Some(x.span),
        Tree::Leaf(InlineNode::Expr(e)) => Some(e.span),
        _ => None,
    };
    let first = target.iter().find_map(span)?;
    let last = target.iter().rev().find_map(span)?;
    Some(first.to(last))
}

/// The style and alignment of a heading of `level` (`#` is ×2 centred, `##` ×1.33 bold
/// centred, `###` bold).
fn heading_style(level: u8) -> (Style, Align) {
    match level {
        1 => (
            Style {
                bold: false,
                width: Scale::X2,
                height: Scale::X2,
            },
            Align::Center,
        ),
        2 => (
            Style {
                bold: true,
                width: Scale::X4_3,
                height: Scale::X4_3,
            },
            Align::Center,
        ),
        _ => (
            Style {
                bold: true,
                ..Style::PLAIN
            },
            Align::Left,
        ),
    }
}

/// One column of a spec row.
fn column(c: &SpecCell) -> Column {
    Column {
        align: c.align,
        width: c.width,
        span: c.span,
    }
}

/// Applies a style class; magnifications combine by taking the larger.
fn apply_class(s: &mut Style, class: Class) {
    match class {
        Class::Big => {
            s.width = Scale::X2;
            s.height = Scale::X2;
        }
        Class::Large => {
            s.width = s.width.max(Scale::X4_3);
            s.height = s.height.max(Scale::X4_3);
        }
        Class::Tall => s.height = Scale::X2,
        Class::Wide => s.width = Scale::X2,
        Class::Bold => s.bold = true,
    }
}
