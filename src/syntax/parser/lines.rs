//! Lines: splitting a template into logical lines, the front matter, and block-level lines.

use pest::iterators::Pair;

use super::fast::{LineShape, Peg, Stmt};
use super::{Parse, Rule, find_pair, too_deep};
use crate::error::{Error, ErrorKind};
use crate::span::Spanned;
use crate::suggest::{Listing, unknown};
use crate::syntax::ast::{Ast, CellAst, LineAst, LineKind, SettingAst, SettingKey, SpecCell, Tree};
use crate::syntax::nest::{Flat, Level, nest};
use crate::vocab::{Align, CodeKind, ColumnWidth};

/// Logical lines as byte ranges (line endings excluded). A `{#` that does not close on its own
/// line extends the line up to the line holding its `#}`.
pub(super) fn logical_lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count() + 1);
    let mut start = 0;
    let mut scan_from = 0;
    while start <= text.len() {
        let line_end = text[scan_from..]
            .find('\n')
            .map_or(text.len(), |i| scan_from + i);
        if let Some(open) = open_comment(&text[start..line_end]) {
            // Extend to the line holding the closing `#}` (if any).
            let from = start + open;
            if let Some(close) = find_pair(text, from, "#}") {
                if close > line_end {
                    scan_from = close;
                    continue;
                }
            }
        }
        let end = if text[start..line_end].ends_with('\r') {
            line_end - 1
        } else {
            line_end
        };
        out.push((start, end));
        if line_end >= text.len() {
            break;
        }
        start = line_end + 1;
        scan_from = start;
    }
    // A final newline does not start another (empty) line.
    if text.ends_with('\n') {
        if let Some(&(s, e)) = out.last() {
            if s == text.len() && e == text.len() {
                out.pop();
            }
        }
    }
    out
}

/// The offset of a `{#` that is not closed on this line.
fn open_comment(line: &str) -> Option<usize> {
    let mut i = 0;
    while let Some(open) = find_pair(line, i, "{#") {
        match find_pair(line, open + 2, "#}") {
            Some(close) => i = close + 2,
            None => return Some(open),
        }
    }
    None
}

/// The code kinds by name (`![name](…)`, compared in lower case).
const CODE_KINDS: [(&str, CodeKind); 5] = [
    ("qr", CodeKind::Qr),
    ("ean13", CodeKind::Ean13),
    ("code128", CodeKind::Code128),
    ("code128c", CodeKind::Code128C),
    ("logo", CodeKind::Logo),
];

impl Parse<'_> {
    /// The whole template.
    pub(super) fn template(&mut self, front_matter: bool) -> Ast {
        let lines = logical_lines(self.text);
        let mut first_body = 0;
        let mut settings = Vec::new();
        if front_matter {
            if let Some((n, parsed)) = self.front_matter(&lines) {
                first_body = n;
                settings = parsed;
            }
        }
        let mut flat = Vec::with_capacity(lines.len() - first_body);
        for &(start, end) in &lines[first_body..] {
            self.line(start, end, &mut flat);
        }
        let body = nest(flat, Level::Block, &mut self.errors);
        Ast { settings, body }
    }

    /// Recognises `---` / `key: value`… / `---` at the top. Returns the number of lines it took.
    fn front_matter(&mut self, lines: &[(usize, usize)]) -> Option<(usize, Vec<SettingAst>)> {
        let is_fence = |&(s, e): &(usize, usize)| self.text[s..e].trim() == "---";
        if !lines.first().is_some_and(is_fence) {
            return None;
        }
        let close = lines[1..].iter().position(is_fence)? + 1;
        let inner = &lines[1..close];
        // Only a block of `key: value` (or blank) lines is front matter; otherwise the first
        // `---` is an ordinary rule.
        let looks_like_settings = inner.iter().all(|&(s, e)| {
            let l = self.text[s..e].trim();
            l.is_empty()
                || l.split_once(':').is_some_and(|(k, _)| {
                    !k.trim().is_empty()
                        && k.trim()
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                })
        });
        if !looks_like_settings {
            return None;
        }
        let mut settings: Vec<SettingAst> = Vec::new();
        for &(s, e) in inner {
            if self.text[s..e].trim().is_empty() {
                continue;
            }
            let Some(((ka, kb), (a, b))) = self.setting(s, e) else {
                continue;
            };
            let (name, kspan) = (self.text[ka..kb].to_string(), self.span(ka, kb));
            let Some(&(_, k)) = SettingKey::ALL.iter().find(|(n, _)| *n == name) else {
                let names: Vec<&str> = SettingKey::ALL.iter().map(|(n, _)| *n).collect();
                let listing = Listing {
                    also: Some(format!("settings: {}", names.join(", "))),
                    always: true,
                    ..Listing::default()
                };
                let err = unknown(
                    ErrorKind::Setting,
                    "setting",
                    &name,
                    &names,
                    Some(kspan),
                    listing,
                );
                self.errors.push(err);
                continue;
            };
            if let Some(prev) = settings.iter().find(|st| st.key.value == k) {
                self.errors.push(
                    Error::new(ErrorKind::Setting, format!("setting `{name}` given twice"))
                        .at(kspan)
                        .with_label(prev.key.span, "first given here"),
                );
                continue;
            }
            // The same nesting limit as a body line: a deeper value would overflow the stack of
            // a thread that compiles untrusted templates.
            if let Some((at, why)) = too_deep(self.text, a, b) {
                let to = super::next_char_end(self.text, at, b);
                self.errors
                    .push(Error::new(ErrorKind::Syntax, why).at(self.span(at, to)));
                continue;
            }
            let value_inline = self.inline(a, b);
            settings.push(SettingAst {
                key: Spanned::new(k, kspan),
                value: value_inline,
                span: self.span(a, b),
            });
        }
        Some((close + 1, settings))
    }

    /// One logical line: pushes a leaf, or the statements of a statement line.
    fn line(&mut self, start: usize, end: usize, out: &mut Vec<Flat<LineAst>>) {
        if let Some((at, why)) = too_deep(self.text, start, end) {
            let to = super::next_char_end(self.text, at, end);
            self.errors
                .push(Error::new(ErrorKind::Syntax, why).at(self.span(at, to)));
            return;
        }
        if self.fast && self.line_fast(start, end, out) {
            return;
        }
        let Some(pair) = self.run(Rule::line, start, end) else {
            return;
        };
        let Some(body) = pair.into_inner().next() else {
            return;
        };
        let span = self.span(start, end);
        let kind = match body.as_rule() {
            Rule::stmt_line => {
                for p in body.into_inner() {
                    if p.as_rule() == Rule::stmt_tag {
                        if let Some((tag, tspan)) = self.tag(p, start) {
                            out.push(Flat::Tag(tag, tspan));
                        }
                    }
                }
                return;
            }
            Rule::blank => LineKind::Blank,
            Rule::escaped_line => {
                let rest = body.into_inner().next();
                let (a, b) = rest.map_or((end, end), |p| {
                    (start + p.as_span().start(), start + p.as_span().end())
                });
                let text = self.text[a..b].trim_end().to_string();
                let b = a + text.len();
                LineKind::Paragraph(vec![Tree::Leaf(crate::syntax::ast::InlineNode::Text(
                    Spanned::new(text, self.span(a, b)),
                ))])
            }
            Rule::heading => {
                let mut inner = body.into_inner();
                let level = inner.next().map_or(1, |m| m.as_str().len()) as u8;
                let content = self.content_of(inner.next(), start, end);
                LineKind::Heading(level, content)
            }
            Rule::arrow_center => {
                LineKind::Center(self.content_of(body.into_inner().next(), start, end))
            }
            Rule::arrow_right => {
                LineKind::Right(self.content_of(body.into_inner().next(), start, end))
            }
            Rule::paragraph => {
                LineKind::Paragraph(self.content_of(body.into_inner().next(), start, end))
            }
            Rule::rule_line => {
                let mut ch = '-';
                let mut label = None;
                for p in body.into_inner() {
                    match p.as_rule() {
                        Rule::rule_fill => ch = p.as_str().chars().next().unwrap_or('-'),
                        Rule::rule_label => label = Some(self.content_of(Some(p), start, end)),
                        _ => {}
                    }
                }
                LineKind::Rule { ch, label }
            }
            Rule::row => {
                let cells = body
                    .into_inner()
                    .filter(|p| p.as_rule() == Rule::cell)
                    .map(|p| {
                        let (a, b) = (start + p.as_span().start(), start + p.as_span().end());
                        CellAst {
                            content: self.inline(a, b),
                            span: self.span(a, b),
                        }
                    })
                    .collect();
                LineKind::Row(cells)
            }
            Rule::spec_row => LineKind::Spec(
                body.into_inner()
                    .filter(|p| p.as_rule() == Rule::spec_cell)
                    .map(|p| self.spec_cell(p, start))
                    .collect(),
            ),
            Rule::code_line => self.code(body, start),
            _ => return,
        };
        out.push(Flat::Leaf(LineAst { kind, span }));
    }

    /// One `key: value` line of the front matter: the key's range and the value's (absolute),
    /// or `None` after recording pest's error.
    fn setting(&mut self, s: usize, e: usize) -> Option<((usize, usize), (usize, usize))> {
        if self.fast {
            // The mirror fails exactly where pest does; pest then reports why.
            let peg = Peg::new(self.text, s, e, self.source);
            if let Some(((ka, kb), (a, b))) = peg.setting() {
                return Some(((s + ka, s + kb), (s + a, s + b)));
            }
        }
        let pair = self.run(Rule::setting, s, e)?;
        let mut key = None;
        let mut value = None;
        for p in pair.into_inner() {
            let (a, b) = (s + p.as_span().start(), s + p.as_span().end());
            match p.as_rule() {
                Rule::setting_key => key = Some((a, b)),
                Rule::setting_value => value = Some((a, b)),
                _ => {}
            }
        }
        Some((key?, value?))
    }

    /// The fast path of [`Parse::line`]: the line as the hand-written mirror of the grammar
    /// sees it. Returns false, having pushed nothing, when the line reports an error of its own
    /// (an unknown statement or code kind, a bad column width): the pest path then handles it.
    fn line_fast(&mut self, start: usize, end: usize, out: &mut Vec<Flat<LineAst>>) -> bool {
        let peg = Peg::new(self.text, start, end, self.source);
        let Some(shape) = peg.line() else {
            return false;
        };
        if peg.gave_up() {
            return false;
        }
        let at = |(a, b): (usize, usize)| (start + a, start + b);
        let kind = match shape {
            LineShape::Stmts(tags) => {
                if tags.iter().any(|(st, _)| matches!(st, Stmt::Unknown)) {
                    return false;
                }
                for (st, span) in tags {
                    if let Stmt::Tag(tag) = st {
                        out.push(Flat::Tag(tag, span));
                    }
                }
                return true;
            }
            LineShape::Blank => LineKind::Blank,
            LineShape::Escaped(a) => {
                let a = start + a;
                let text = self.text[a..end].trim_end().to_string();
                let b = a + text.len();
                LineKind::Paragraph(vec![Tree::Leaf(crate::syntax::ast::InlineNode::Text(
                    Spanned::new(text, self.span(a, b)),
                ))])
            }
            LineShape::Heading(level, a, b) => {
                let (a, b) = at((a, b));
                LineKind::Heading(level, self.inline(a, b))
            }
            LineShape::Spec(cells) => {
                let mut specs = Vec::with_capacity(cells.len());
                for c in cells {
                    let width = match c.width {
                        None => ColumnWidth::Fit,
                        Some(w) => match &peg.str(w.0, w.1) {
                            &"*" => ColumnWidth::Share,
                            n => match n.parse::<u16>() {
                                Ok(n) if n >= 1 => ColumnWidth::Fixed(n),
                                _ => return false,
                            },
                        },
                    };
                    let align = match (c.left, c.right) {
                        (true, true) => Align::Center,
                        (false, true) => Align::Right,
                        _ => Align::Left,
                    };
                    let (a, b) = at(c.range);
                    specs.push(SpecCell {
                        align,
                        width,
                        span: self.span(a, b),
                    });
                }
                LineKind::Spec(specs)
            }
            LineShape::Row(first, n) => {
                let mut cells = Vec::with_capacity(n);
                let mut i = first;
                for _ in 0..n {
                    let e = peg.cell(i);
                    let (a, b) = at((i, e));
                    cells.push(CellAst {
                        content: self.inline(a, b),
                        span: self.span(a, b),
                    });
                    i = e + 1;
                }
                LineKind::Row(cells)
            }
            LineShape::Rule(ch, label) => LineKind::Rule {
                ch,
                label: label.map(|r| {
                    let (a, b) = at(r);
                    self.inline(a, b)
                }),
            },
            LineShape::Center(a, b) => {
                let (a, b) = at((a, b));
                LineKind::Center(self.inline(a, b))
            }
            LineShape::Right(a, b) => {
                let (a, b) = at((a, b));
                LineKind::Right(self.inline(a, b))
            }
            LineShape::Paragraph(a, b) => {
                let (a, b) = at((a, b));
                LineKind::Paragraph(self.inline(a, b))
            }
            LineShape::Code(k, t) => {
                let (ka, kb) = at(k);
                let name = self.text[ka..kb].to_ascii_lowercase();
                let Some(&(_, kind)) = CODE_KINDS.iter().find(|(n, _)| *n == name) else {
                    return false;
                };
                let (a, b) = at(t);
                LineKind::Code {
                    kind: Spanned::new(kind, self.span(ka, kb)),
                    target: self.inline(a, b),
                }
            }
        };
        out.push(Flat::Leaf(LineAst {
            kind,
            span: self.span(start, end),
        }));
        true
    }

    /// Inline content of an optional raw pair (offsets relative to `base`).
    fn content_of(
        &mut self,
        pair: Option<Pair<'_, Rule>>,
        base: usize,
        end: usize,
    ) -> crate::syntax::ast::Inline {
        match pair {
            Some(p) => self.inline(base + p.as_span().start(), base + p.as_span().end()),
            None => self.inline(end, end),
        }
    }

    fn spec_cell(&mut self, pair: Pair<'_, Rule>, base: usize) -> SpecCell {
        let ps = pair.as_span();
        let span = self.span(base + ps.start(), base + ps.end());
        let (mut left, mut right, mut width) = (false, false, ColumnWidth::Fit);
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::spec_left => left = true,
                Rule::spec_right => right = true,
                Rule::spec_width => {
                    width = match p.as_str() {
                        "*" => ColumnWidth::Share,
                        n => match n.parse::<u16>() {
                            Ok(n) if n >= 1 => ColumnWidth::Fixed(n),
                            _ => {
                                let ws = p.as_span();
                                self.errors.push(
                                    Error::new(ErrorKind::Syntax, format!("invalid column width `{n}`"))
                                        .at(self.span(base + ws.start(), base + ws.end()))
                                        .with_hint("a width is a number of half-width columns from 1 to the paper width"),
                                );
                                ColumnWidth::Fit
                            }
                        },
                    }
                }
                _ => {}
            }
        }
        let align = match (left, right) {
            (true, true) => Align::Center,
            (false, true) => Align::Right,
            _ => Align::Left,
        };
        SpecCell { align, width, span }
    }

    fn code(&mut self, pair: Pair<'_, Rule>, base: usize) -> LineKind {
        let mut kind = Spanned::new(CodeKind::Qr, self.span(base, base));
        let mut target = Vec::new();
        for p in pair.into_inner() {
            let (a, b) = (base + p.as_span().start(), base + p.as_span().end());
            match p.as_rule() {
                Rule::code_kind => {
                    let name = p.as_str().to_ascii_lowercase();
                    match CODE_KINDS.iter().find(|(n, _)| *n == name) {
                        Some(&(_, k)) => kind = Spanned::new(k, self.span(a, b)),
                        None => {
                            let names: Vec<&str> = CODE_KINDS.iter().map(|(n, _)| *n).collect();
                            let listing = Listing {
                                also: Some(format!("kinds: {}", names.join(", "))),
                                always: true,
                                ..Listing::default()
                            };
                            let err = unknown(
                                ErrorKind::Syntax,
                                "code kind",
                                p.as_str(),
                                &names,
                                Some(self.span(a, b)),
                                listing,
                            );
                            self.errors.push(err);
                        }
                    }
                }
                Rule::code_target => target = self.inline(a, b),
                _ => {}
            }
        }
        LineKind::Code { kind, target }
    }
}
