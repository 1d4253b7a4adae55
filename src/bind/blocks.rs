//! Lines to blocks, inline content to runs, front matter to job settings.

use super::Binder;
use super::tables::Piece;
use crate::document::{
    Align, Block, Builder, Capacity, Code, Column, Confirm, Cut, Document, JobSettings, Mark,
    Origin, Paper, Reminder, Row, Rule, Scale, Sound, SoundDevice, Style, TextBlock, TextKind,
};
use crate::error::{Error, ErrorKind};
use crate::span::{Span, Spanned};
use crate::syntax::ast::{
    Ast, CellAst, Class, Inline, InlineNode, LineAst, LineKind, SettingAst, SettingKey, SpecCell,
    Tree,
};

impl<'t> Binder<'t> {
    /// The whole document, built in one set of buffers of `capacity` ([`capacity`] of `ast`).
    pub(super) fn document(
        &mut self,
        ast: &'t Ast,
        capacity: &Capacity,
    ) -> Result<Document, Error> {
        let mut doc = Builder::with_capacity(capacity);
        let settings = self.settings(&ast.settings, &mut doc)?;
        self.exec(&ast.body, &mut doc, &mut |b, doc, line: &'t LineAst| {
            // A table row (an item line, most often) straight to the assembler: what
            // `line` and `Assembler::push` do with it, without a `Piece` in between.
            #[cfg(test)]
            if b.slow {
                if let Some(piece) = b.line(line, doc)? {
                    b.tables.push(piece, doc);
                }
                return Ok(());
            }
            if let LineKind::Row(cells) = &line.kind {
                let row = b.row(cells, line.span, doc)?;
                b.tables.push_row(row, doc);
            } else if let Some(piece) = b.line(line, doc)? {
                b.tables.push(piece, doc);
            }
            Ok(())
        })?;
        std::mem::take(&mut self.tables).finish(&mut doc);
        *doc.settings() = settings;
        Ok(doc.finish())
    }

    /// One line; `None` when it prints nothing. A line that fails leaves nothing in `doc`.
    fn line(&mut self, line: &'t LineAst, doc: &mut Builder) -> Result<Option<Piece>, Error> {
        let mark = doc.mark();
        let piece = self.line_piece(line, doc, mark);
        if piece.is_err() {
            doc.rollback(mark);
        }
        piece
    }

    /// [`Binder::line`], its runs and cells written into `doc` from `mark` on.
    fn line_piece(
        &mut self,
        line: &'t LineAst,
        doc: &mut Builder,
        mark: Mark,
    ) -> Result<Option<Piece>, Error> {
        let span = line.span;
        let block = match &line.kind {
            LineKind::Paragraph(inline) => {
                self.runs(inline, Style::PLAIN, doc)?;
                // A line whose statements left nothing prints nothing (no run is ever empty).
                let has_statements = inline.iter().any(|n| !matches!(n, Tree::Leaf(_)));
                if has_statements && doc.open_runs().is_empty() {
                    doc.rollback(mark);
                    return Ok(None);
                }
                Block::Text(TextBlock {
                    kind: TextKind::Paragraph,
                    align: Align::Left,
                    runs: doc.close_group(),
                    span,
                })
            }
            LineKind::Heading(level, inline) => {
                let (style, align) = heading_style(*level);
                self.runs(inline, style, doc)?;
                Block::Text(TextBlock {
                    kind: TextKind::Heading(*level),
                    align,
                    runs: doc.close_group(),
                    span,
                })
            }
            LineKind::Center(inline) | LineKind::Right(inline) => {
                self.runs(inline, Style::PLAIN, doc)?;
                Block::Text(TextBlock {
                    kind: TextKind::Arrow,
                    align: if matches!(line.kind, LineKind::Center(_)) {
                        Align::Center
                    } else {
                        Align::Right
                    },
                    runs: doc.close_group(),
                    span,
                })
            }
            LineKind::Rule { ch, label } => {
                if let Some(l) = label {
                    self.runs(l, Style::PLAIN, doc)?;
                }
                Block::Rule(Rule {
                    ch: *ch,
                    label: doc.close_group(),
                    span,
                })
            }
            LineKind::Blank => Block::Blank(span),
            LineKind::Row(cells) => {
                self.cells(cells, doc)?;
                return Ok(Some(Piece::Row(doc.row(span))));
            }
            LineKind::Spec(cells) => {
                let columns = doc.push_columns(cells.iter().map(column));
                return Ok(Some(Piece::Spec(columns, span)));
            }
            LineKind::Code { kind, target } => {
                let (data, origin) = self.plain(target, "a code", doc)?;
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

    /// A table row line: [`Binder::line`] of a `LineKind::Row` (the row, its cells in `doc`;
    /// nothing left in `doc` when it fails).
    fn row(&mut self, cells: &'t [CellAst], span: Span, doc: &mut Builder) -> Result<Row, Error> {
        let mark = doc.mark();
        if self.flat_cells(cells, doc) {
            return Ok(doc.row(span));
        }
        if let Err(e) = self.cells(cells, doc) {
            doc.rollback(mark);
            return Err(e);
        }
        Ok(doc.row(span))
    }

    /// The fast path of [`Binder::row`] for a row whose cells hold only text and expressions
    /// (an item line): its cells written into `doc`'s open row as [`Binder::cells`] writes
    /// them, each piece straight to its run, with the expressions printed by
    /// [`Binder::print_fast`] and the output counted as it is written. Skipped: `runs`'
    /// statement dispatch and error recovery, `inline_node`'s match, and `print`'s general
    /// path. `false` when it cannot (a statement or a style in a cell, an expression the fast
    /// paths do not take or that fails, fuel or output that would run out; found as it goes,
    /// not by a look at the cells first, as most rows are flat): then `doc`, the fuel and the
    /// output are put back as they were, and [`Binder::cells`] makes the same steps one by
    /// one, for the same result and errors.
    fn flat_cells(&mut self, cells: &'t [CellAst], doc: &mut Builder) -> bool {
        #[cfg(test)]
        if self.slow {
            return false;
        }
        let mark = doc.mark();
        let (fuel, output) = (self.fuel_used, self.output);
        if self.flat_cells_in(cells, doc).is_none() {
            doc.rollback(mark);
            (self.fuel_used, self.output) = (fuel, output);
            return false;
        }
        true
    }

    /// [`Binder::flat_cells`] of cells known to be flat: `None` where it stops.
    fn flat_cells_in(&mut self, cells: &'t [CellAst], doc: &mut Builder) -> Option<()> {
        let max = self.budgets.max_output;
        for cell in cells {
            for node in &cell.content {
                match node {
                    Tree::Leaf(InlineNode::Text(t)) => {
                        // As `push_run`: counted, then written.
                        self.output += t.value.len();
                        if self.output > max {
                            return None;
                        }
                        let write = |out: &mut String| {
                            super::filters::push_text(out, &t.value);
                            Ok::<(), ()>(())
                        };
                        doc.write_run(Style::PLAIN, Origin::Template, t.span, write)
                            .ok()?;
                    }
                    Tree::Leaf(InlineNode::Expr(e)) => {
                        // As `push_with` of `print`: written, then counted.
                        let write = |out: &mut String| match self.print_fast(e, out) {
                            Some(Ok(())) => Ok(()),
                            _ => Err(()),
                        };
                        self.output += doc
                            .write_run(Style::PLAIN, Origin::Data, e.span, write)
                            .ok()?;
                        if self.output > max {
                            return None;
                        }
                    }
                    _ => return None,
                }
            }
            doc.cell(cell.span);
        }
        Some(())
    }

    /// The cells of a row line, into `doc`'s open row.
    fn cells(&mut self, cells: &'t [CellAst], doc: &mut Builder) -> Result<(), Error> {
        for cell in cells {
            self.runs(&cell.content, Style::PLAIN, doc)?;
            doc.cell(cell.span);
        }
        Ok(())
    }

    /// Inline content to runs of `doc`'s open group, merging neighbours of the same style and
    /// origin. What [`Binder::exec`] does with it, a piece of content handled here without
    /// the call through `exec`'s `leaf`.
    fn runs(&mut self, inline: &'t Inline, style: Style, doc: &mut Builder) -> Result<(), Error> {
        #[cfg(test)]
        if self.slow {
            return self.exec(inline, doc, &mut |b, doc, n| b.inline_node(n, style, doc));
        }
        for node in inline {
            let result = match node {
                Tree::Leaf(n) => self.inline_node(n, style, doc),
                _ => self.exec_one(node, doc, &mut |b, doc, n| b.inline_node(n, style, doc)),
            };
            if let Err(e) = result {
                self.recover(e)?;
            }
        }
        Ok(())
    }

    /// One piece of inline content to runs of `doc`'s open group.
    fn inline_node(
        &mut self,
        node: &'t InlineNode,
        style: Style,
        doc: &mut Builder,
    ) -> Result<(), Error> {
        match node {
            InlineNode::Text(t) => self.push_run(doc, &t.value, style, Origin::Template, t.span)?,
            InlineNode::Expr(e) => {
                self.push_with(doc, style, Origin::Data, e.span, |b, text| b.print(e, text))?
            }
            InlineNode::Bold(body, _) => self.runs(
                body,
                Style {
                    bold: true,
                    ..style
                },
                doc,
            )?,
            InlineNode::Styled(classes, body, _) => {
                let mut s = style;
                for c in classes {
                    apply_class(&mut s, c.value);
                }
                self.runs(body, s, doc)?;
            }
        }
        Ok(())
    }

    /// Adds a run of `text` to `doc`'s open group (merged with the last one when they match;
    /// nothing when it is empty), counting its bytes against the output budget.
    fn push_run(
        &mut self,
        doc: &mut Builder,
        text: &str,
        style: Style,
        origin: Origin,
        span: Span,
    ) -> Result<(), Error> {
        self.produce(text.len(), span)?;
        doc.write_run(style, origin, span, |out: &mut String| {
            super::filters::push_text(out, text);
            Ok::<(), Error>(())
        })?;
        Ok(())
    }

    /// [`Binder::push_run`] of the text `write` writes, written in place: straight into the
    /// document's text, at the end of the last run when it would merge with it (no string in
    /// between). `write` writes nothing when it fails, and the output budget is counted as
    /// before (a document over budget is an error, so its partly written runs are never seen).
    fn push_with(
        &mut self,
        doc: &mut Builder,
        style: Style,
        origin: Origin,
        span: Span,
        write: impl FnOnce(&mut Self, &mut String) -> Result<(), Error>,
    ) -> Result<(), Error> {
        let n = doc.write_run(style, origin, span, |text: &mut String| write(self, text))?;
        self.produce(n, span)
    }

    /// Inline content that must be plain text (a code target, a setting value): its text, and
    /// `Data` if any part came from data. Its runs are made in `doc` and taken back out.
    fn plain(
        &mut self,
        inline: &'t Inline,
        what: &str,
        doc: &mut Builder,
    ) -> Result<(String, Origin), Error> {
        let mark = doc.mark();
        doc.open_group();
        let plain = self.runs(inline, Style::PLAIN, doc).and_then(|()| {
            let runs = doc.open_runs();
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
            Ok((runs.iter().map(|r| doc.doc().text(r)).collect(), origin))
        });
        doc.rollback(mark);
        plain
    }

    /// Front matter to job settings.
    fn settings(
        &mut self,
        settings: &'t [SettingAst],
        doc: &mut Builder,
    ) -> Result<JobSettings, Error> {
        let mut out = JobSettings::default();
        for s in settings {
            if let Err(e) = self.setting(s, &mut out, doc) {
                self.recover(e)?;
            }
        }
        Ok(out)
    }

    fn setting(
        &mut self,
        s: &'t SettingAst,
        out: &mut JobSettings,
        doc: &mut Builder,
    ) -> Result<(), Error> {
        let (text, _) = self.plain(&s.value, "a setting", doc)?;
        apply_setting(s.key.value, text.trim(), s.span, out)
    }
}

/// Loop bodies are counted this many times when sizing a document (most receipts list fewer
/// items; more grow the buffers, each by doubling).
const LOOP_GUESS: usize = 16;

/// Bytes counted for each printed expression when sizing a document.
const EXPR_GUESS: usize = 12;

/// About how much the document bound from `ast` holds (loop bodies [`LOOP_GUESS`] times, every
/// branch of an `if`), so its buffers are allocated once for most receipts. Only a size: a
/// wrong guess costs a buffer growing or some unused room, never a different document. It
/// depends on the template alone: worked out once, when it is compiled.
pub(crate) fn capacity(ast: &Ast) -> Capacity {
    let mut c = Capacity::default();
    lines(&ast.body, 1, &mut c);
    // A quarter more for what the guesses miss; nested loops multiply the guess: keep it to
    // what a long receipt holds.
    let cap = |n: usize, max: usize| n.saturating_add(n / 4).min(max);
    Capacity {
        text: cap(c.text, 1 << 16),
        runs: cap(c.runs, 1 << 12),
        cells: cap(c.cells, 1 << 12),
        rows: cap(c.rows, 1 << 11),
        columns: cap(c.columns, 1 << 8),
        blocks: cap(c.blocks, 1 << 11),
    }
}

/// Adds the size of `nodes`, run `times` times, to `c`.
fn lines(nodes: &[Tree<LineAst>], times: usize, c: &mut Capacity) {
    for node in nodes {
        match node {
            Tree::Leaf(line) => line_size(line, times, c),
            Tree::For(f) => {
                lines(&f.body, times.saturating_mul(LOOP_GUESS), c);
                lines(&f.empty, times, c);
            }
            Tree::If(n) => {
                for (_, body) in &n.branches {
                    lines(body, times, c);
                }
                lines(&n.otherwise, times, c);
            }
            Tree::Include(i) => lines(&i.body, times, c),
            Tree::Set(_) => {}
        }
    }
}

/// Adds the size of one line, run `times` times, to `c`.
fn line_size(line: &LineAst, times: usize, c: &mut Capacity) {
    let add = |inline: &Inline, c: &mut Capacity| inline_size(inline, times, c);
    // Consecutive rows make one table block: a row is not counted as one.
    if !matches!(line.kind, LineKind::Row(_)) {
        c.blocks = c.blocks.saturating_add(times);
    }
    match &line.kind {
        LineKind::Paragraph(i) | LineKind::Heading(_, i) | LineKind::Center(i) => add(i, c),
        LineKind::Right(i) => add(i, c),
        LineKind::Rule { label: Some(l), .. } => add(l, c),
        LineKind::Row(cells) => {
            c.rows = c.rows.saturating_add(times);
            c.cells = c.cells.saturating_add(times.saturating_mul(cells.len()));
            for cell in cells {
                add(&cell.content, c);
            }
        }
        LineKind::Spec(cells) => c.columns = c.columns.saturating_add(cells.len()),
        LineKind::Rule { label: None, .. } | LineKind::Blank | LineKind::Code { .. } => {}
    }
}

/// Adds the runs and text of `inline`, run `times` times, to `c` (one run per piece: an upper
/// bound, as neighbours merge).
fn inline_size(inline: &Inline, times: usize, c: &mut Capacity) {
    for node in inline {
        match node {
            Tree::Leaf(InlineNode::Text(t)) => {
                c.runs = c.runs.saturating_add(times);
                c.text = c.text.saturating_add(times.saturating_mul(t.value.len()));
            }
            Tree::Leaf(InlineNode::Expr(_)) => {
                c.runs = c.runs.saturating_add(times);
                c.text = c.text.saturating_add(times.saturating_mul(EXPR_GUESS));
            }
            Tree::Leaf(InlineNode::Bold(body, _) | InlineNode::Styled(_, body, _)) => {
                inline_size(body, times, c)
            }
            Tree::For(f) => {
                inline_size(&f.body, times.saturating_mul(LOOP_GUESS), c);
                inline_size(&f.empty, times, c);
            }
            Tree::If(n) => {
                for (_, body) in &n.branches {
                    inline_size(body, times, c);
                }
                inline_size(&n.otherwise, times, c);
            }
            Tree::Include(i) => inline_size(&i.body, times, c),
            Tree::Set(_) => {}
        }
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

#[cfg(test)]
mod tests {
    use crate::bind::{Budgets, Value};

    /// Templates with rows, loops, statements inside and around rows and cells, and errors.
    const TEMPLATES: &[&str] = &[
        "| a | b |\n|:-*-|--6-:|\n{% for it in items %}\n| {{ it.name }} | x{{ it.qty }} |\n{% endfor %}\n| 合计 | {{ total }} |\n",
        "{% for it in items %}\n| **{{ it.name }}** | {% if it.qty > 1 %}x{{ it.qty }}{% endif %} |\n{% set n = it.qty %}\n# {{ n }} {{ loop.index }}\n{% endfor %}\n",
        "|:-*-|--6-:|\n{% for it in items %}\n| {{ it.name }} | {{ it.nope.x }} |\n| [{{ it.qty }}]{.big} | {% for c in it.tags %}{{ c }},{% endfor %} |\n{% else %}\nnone\n{% endfor %}\n",
        "{% for it in items %}{% for t in it.tags %}\n| {{ t }} | {{ it.qty * 2 }} | {{ loop.length }} |\n{% endfor %}{% endfor %}\n---\n| {{ 1 / 0 }} | b |\n",
        // Flat rows (text and expressions only, `Binder::flat_cells`): merged neighbours,
        // money, errors and fuel or output running out in the middle of a row.
        "|:-*-|--8-:|\n{% for it in items %}\n| {{ it.name }}{{ it.qty }}x{{ it.qty }} | {{ (it.qty * 1.5) | money }} |\n| {{ it.name }} | {{ it.tags }} |\n| {{ it.qty / (it.qty - 1) }} | {{ total | money(\"¥\") }}{{ it.nope }} |\n{% endfor %}\n",
        // Loops of one flat row (`Binder::planned_iterations`): keys, products in `money`,
        // expressions that read the scopes, and items the plan leaves to the general path (no
        // price, a price that is a string, a name that is a number).
        "|:-*-|-4-|--8-:|\n{% for it in items %}\n| {{ it.name }}{{ it.name }} | x{{ it.qty }} | {{ (it.price * it.qty) | money }} |\n{% endfor %}\n| {{ total }} | b |\n",
        "{% for it in items %}\n| {{ it.name }} | {{ loop.index }}x{{ it.qty }} | {{ (it.qty * it.price) | money }}{{ total }} |\n{% endfor %}\n",
        "{% for it in items %}{% for t in it.tags %}\n| {{ t }} | {{ it.name }} | {{ (it.qty * it.qty) | money }} |\n{% endfor %}{% endfor %}\n",
    ];

    fn data() -> serde_json::Value {
        serde_json::json!({
            "items": [
                { "name": "羊肉串", "qty": 2, "price": 4.5, "tags": ["辣", "x"] },
                { "name": "Cola", "qty": 1, "price": 12, "tags": [] },
                { "name": "鸡翅", "qty": 3, "price": 0.25, "tags": ["y"] },
                { "name": "茶", "qty": 10, "price": "3", "tags": ["z"] },
                { "name": 0, "qty": 1, "price": 1, "tags": ["w"] },
                { "name": 7.50, "qty": 1, "price": -1.5, "tags": [] },
                { "name": "面", "qty": 1 },
            ],
            "total": "12.50",
        })
    }

    /// The document, or the errors (message and span), binding `text` fast or slow.
    fn bound(text: &str, budgets: &Budgets, collect: bool, slow: bool) -> String {
        let env = crate::Environment::new();
        let template = env.template_from_str("t.slip", text).unwrap();
        let data = data();
        let r = super::super::bind_with(
            template.tested_ast(),
            &super::capacity(template.tested_ast()),
            Value::json(&data),
            Value::None,
            budgets,
            collect,
            None,
            slow,
        );
        match r {
            Ok(doc) => doc.outline(),
            Err(errors) => errors
                .iter()
                .map(|e| format!("{} at {:?}; ", e.message(), e.span()))
                .collect(),
        }
    }

    #[test]
    fn rows_and_inline_content_bind_as_through_line_and_exec() {
        // (The comparison sees documents, not only errors.)
        let whole = bound(TEMPLATES[0], &Budgets::default(), false, false);
        assert!(whole.contains("row | «羊肉串» | \"x\" «2» |"), "{whole}");
        for text in TEMPLATES {
            for fuel in (0..90).chain([200_000]) {
                for max_output in [0, 5, 40, 1 << 20] {
                    let budgets = Budgets {
                        fuel,
                        max_output,
                        ..Budgets::default()
                    };
                    for collect in [false, true] {
                        let fast = bound(text, &budgets, collect, false);
                        let slow = bound(text, &budgets, collect, true);
                        assert_eq!(fast, slow, "{text:?} fuel {fuel} output {max_output}");
                    }
                }
            }
        }
    }
}
