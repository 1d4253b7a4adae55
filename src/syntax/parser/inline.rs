//! Inline content: text, `{{ }}`, inline statements, bold and styled spans.

use pest::iterators::Pair;

use super::fast::{Item, Peg, Stmt};
use super::{Parse, Rule};
use crate::error::{Error, ErrorKind};
use crate::span::{Span, Spanned};
use crate::suggest::{Listing, unknown};
use crate::syntax::ast::{Class, Inline, InlineNode, Tree};
use crate::syntax::nest::{Flat, Level, Tag, nest};

impl Parse<'_> {
    /// Parses `text[start..end]` (trimmed of surrounding whitespace) as inline content: with
    /// the hand-written mirror when it can (the same nodes and errors), else with pest.
    pub(super) fn inline(&mut self, start: usize, end: usize) -> Inline {
        if self.fast {
            let mark = self.errors.len();
            if let Some(inline) = self.inline_fast(start, end) {
                return inline;
            }
            // Left to pest: drop what the attempt reported, pest reports it again.
            self.errors.truncate(mark);
        }
        self.inline_pest(start, end)
    }

    /// The range `inline` parses: `text[start..end]` without surrounding spaces and tabs.
    fn trimmed(&self, start: usize, end: usize) -> (usize, usize) {
        let raw = &self.text[start..end];
        let start = start + (raw.len() - raw.trim_start_matches([' ', '\t']).len());
        let end = end - (raw.len() - raw.trim_end_matches([' ', '\t']).len());
        (start, end.max(start))
    }

    /// The fast path of [`Parse::inline`]: `None` when the content holds something that
    /// reports an error (an unfinished `**` or tag, an unknown statement or class) or nests
    /// deeper than the mirror follows.
    fn inline_fast(&mut self, start: usize, end: usize) -> Option<Inline> {
        let (start, end) = self.trimmed(start, end);
        let peg = Peg::new(self.text, start, end, self.source);
        let mut sink = Sink::Tree(Vec::new());
        peg.inline(|item| self.sink_item(&peg, item, &mut sink))?;
        if peg.gave_up() {
            return None;
        }
        Some(sink.finish(&mut self.errors))
    }

    /// Mirrored items (of a bold or styled span) to inline content.
    fn sink_items(&mut self, peg: &Peg<'_>, items: Vec<Item>) -> Option<Inline> {
        let mut sink = Sink::Tree(Vec::new());
        for item in items {
            self.sink_item(peg, item, &mut sink)?;
        }
        Some(sink.finish(&mut self.errors))
    }

    /// One mirrored item, converted as [`Parse::item`] converts its pest pair; `None` for one
    /// that reports an error.
    fn sink_item(&mut self, peg: &Peg<'_>, item: Item, out: &mut Sink) -> Option<()> {
        let text = |a, b| InlineNode::Text(Spanned::new(peg.str(a, b).to_string(), peg.span(a, b)));
        match item {
            Item::Text(a, b) => out.leaf(text(a, b)),
            Item::Escape(a, b) => out.leaf(InlineNode::Text(Spanned::new(
                peg.str(a + 1, b).to_string(),
                peg.span(a, b),
            ))),
            Item::Comment => {}
            Item::Expr(e) => out.leaf(InlineNode::Expr(e)),
            Item::Stmt(Stmt::Tag(tag), span) => out.tag(tag, span),
            Item::Stmt(Stmt::Unknown, _) | Item::Stray => return None,
            Item::Bold(inner, a, b) => {
                let body = self.sink_items(peg, inner)?;
                out.leaf(InlineNode::Bold(body, peg.span(a, b)));
            }
            Item::Styled(inner, names, a, b) => {
                let body = self.sink_items(peg, inner)?;
                let mut classes = Vec::with_capacity(names.len());
                for (ca, cb) in names {
                    let name = peg.str(ca + 1, cb);
                    let &(_, c) = Class::ALL.iter().find(|(n, _)| *n == name)?;
                    classes.push(Spanned::new(c, peg.span(ca, cb)));
                }
                out.leaf(InlineNode::Styled(classes, body, peg.span(a, b)));
            }
        }
        Some(())
    }

    /// [`Parse::inline`] with pest.
    fn inline_pest(&mut self, start: usize, end: usize) -> Inline {
        let (start, end) = self.trimmed(start, end);
        let Some(pair) = self.run(Rule::inline, start, end) else {
            return Vec::new();
        };
        let mut flat = Vec::new();
        for p in pair.into_inner() {
            self.item(p, start, &mut flat);
        }
        nest(flat, Level::Inline, &mut self.errors)
    }

    /// Converts one inline item into `out`.
    fn item(&mut self, pair: Pair<'_, Rule>, base: usize, out: &mut Vec<Flat<InlineNode>>) {
        let ps = pair.as_span();
        let (a, b) = (base + ps.start(), base + ps.end());
        let span = self.span(a, b);
        match pair.as_rule() {
            Rule::text | Rule::bold_text | Rule::styled_text | Rule::lone | Rule::styled_lone => {
                out.push(Flat::Leaf(InlineNode::Text(Spanned::new(
                    pair.as_str().to_string(),
                    span,
                ))))
            }
            Rule::escape => {
                let c = pair.as_str()[1..].to_string();
                out.push(Flat::Leaf(InlineNode::Text(Spanned::new(c, span))))
            }
            Rule::comment | Rule::EOI => {}
            Rule::expr_tag => {
                if let Some(e) = pair.into_inner().next() {
                    let e = self.expr(e, base);
                    out.push(Flat::Leaf(InlineNode::Expr(e)));
                }
            }
            Rule::stmt_tag => {
                if let Some((tag, tspan)) = self.tag(pair, base) {
                    out.push(Flat::Tag(tag, tspan));
                }
            }
            Rule::bold => {
                let mut inner = Vec::new();
                for p in pair.into_inner() {
                    self.item(p, base, &mut inner);
                }
                let body = nest(inner, Level::Inline, &mut self.errors);
                out.push(Flat::Leaf(InlineNode::Bold(body, span)));
            }
            Rule::styled => {
                let mut inner = Vec::new();
                let mut classes = Vec::new();
                for p in pair.into_inner() {
                    if p.as_rule() == Rule::class {
                        let cs = p.as_span();
                        let cspan = self.span(base + cs.start(), base + cs.end());
                        if let Some(c) = self.class(&p.as_str()[1..], cspan) {
                            classes.push(Spanned::new(c, cspan));
                        }
                    } else {
                        self.item(p, base, &mut inner);
                    }
                }
                let body = nest(inner, Level::Inline, &mut self.errors);
                out.push(Flat::Leaf(InlineNode::Styled(classes, body, span)));
            }
            Rule::stray => self.stray(pair.as_str(), a),
            _ => {}
        }
    }

    fn class(&mut self, name: &str, span: crate::span::Span) -> Option<Class> {
        if let Some(&(_, c)) = Class::ALL.iter().find(|(n, _)| *n == name) {
            return Some(c);
        }
        let names: Vec<&str> = Class::ALL.iter().map(|(n, _)| *n).collect();
        let listed = names
            .iter()
            .map(|n| format!(".{n}"))
            .collect::<Vec<_>>()
            .join(" ");
        let listing = Listing {
            sigil: ".",
            also: Some(format!("classes: {listed}")),
            always: true,
        };
        let err = unknown(
            ErrorKind::Syntax,
            "style class",
            name,
            &names,
            Some(span),
            listing,
        );
        self.errors.push(err);
        None
    }

    /// Reports an unfinished `**`, `{{`, `{%` or `{#` starting at `at`.
    fn stray(&mut self, what: &str, at: usize) {
        let line_end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        match what {
            "**" => self.errors.push(
                Error::new(ErrorKind::Syntax, "unclosed `**`")
                    .at(self.span(at, at + 2))
                    .with_hint(
                        "close bold text with `**`, or write `\\*\\*` for literal asterisks",
                    ),
            ),
            "{#" => self.errors.push(
                Error::new(ErrorKind::Syntax, "unclosed comment")
                    .at(self.span(at, at + 2))
                    .with_hint("close the comment with `#}`"),
            ),
            "{{" | "{%" => {
                let (rule, close, name) = if what == "{{" {
                    (Rule::expr_tag, "}}", "expression")
                } else {
                    (Rule::stmt_tag, "%}", "statement")
                };
                let Some(end) = self.text[at..line_end].find(close).map(|i| at + i + 2) else {
                    self.errors.push(
                        Error::new(ErrorKind::Syntax, format!("unclosed `{what}`"))
                            .at(self.span(at, at + 2))
                            .with_hint(format!("close the {name} with `{close}` on the same line")),
                    );
                    return;
                };
                let before = self.errors.len();
                if self.run(rule, at, end).is_some() {
                    // It parses on its own: it stood where it cannot (should not happen).
                    self.errors.push(
                        Error::new(ErrorKind::Syntax, format!("unexpected {name}"))
                            .at(self.span(at, end)),
                    );
                } else if self.errors.len() > before && what == "{%" {
                    let last = self.errors.len() - 1;
                    let e = self.errors[last].clone();
                    self.errors[last] = e.with_hint(
                        "statements: for … in …, endfor, if …, elif …, else, endif, set … = …, include \"…\"",
                    );
                }
            }
            _ => {}
        }
    }

    /// Converts a `stmt_tag` pair into a tag (or records an error).
    pub(super) fn tag(
        &mut self,
        pair: Pair<'_, Rule>,
        base: usize,
    ) -> Option<(Tag, crate::span::Span)> {
        let ps = pair.as_span();
        let span = self.span(base + ps.start(), base + ps.end());
        let stmt = pair.into_inner().next()?;
        let rule = stmt.as_rule();
        let text = stmt.as_str().to_string();
        let sspan = stmt.as_span();
        let mut parts = stmt.into_inner().filter(|p| {
            !matches!(
                p.as_rule(),
                Rule::kw_for
                    | Rule::kw_in
                    | Rule::kw_if
                    | Rule::kw_elif
                    | Rule::kw_set
                    | Rule::kw_include
            )
        });
        let source = self.source;
        let name = |p: Option<Pair<'_, Rule>>| {
            p.map(|p| {
                let s = p.as_span();
                let span = crate::span::Span::new(source, base + s.start(), base + s.end());
                Spanned::new(p.as_str().to_string(), span)
            })
        };
        let tag = match rule {
            Rule::for_stmt => {
                let var = name(parts.next())?;
                Tag::For(var, self.expr(parts.next()?, base))
            }
            Rule::endfor_stmt => Tag::EndFor,
            Rule::if_stmt => Tag::If(self.expr(parts.next()?, base)),
            Rule::elif_stmt => Tag::Elif(self.expr(parts.next()?, base)),
            Rule::else_stmt => Tag::Else,
            Rule::endif_stmt => Tag::EndIf,
            Rule::set_stmt => {
                let var = name(parts.next())?;
                Tag::Set(var, self.expr(parts.next()?, base))
            }
            Rule::include_stmt => {
                let lit = parts.next()?;
                let s = lit.as_span();
                let path = Spanned::new(
                    unescape_string(lit.as_str()),
                    self.span(base + s.start(), base + s.end()),
                );
                Tag::Include(path)
            }
            _ => {
                let word = text.split_whitespace().next().unwrap_or("").to_string();
                let known = [
                    "for", "endfor", "if", "elif", "else", "endif", "set", "include",
                ];
                let wspan = self.span(base + sspan.start(), base + sspan.start() + word.len());
                let listing = Listing {
                    also: Some(format!("statements: {}", known.join(", "))),
                    ..Listing::default()
                };
                let err = unknown(
                    ErrorKind::Syntax,
                    "statement",
                    &word,
                    &known,
                    Some(wspan),
                    listing,
                );
                self.errors.push(err);
                return None;
            }
        };
        Some((tag, span))
    }
}

/// The value of a string literal (quotes removed, escapes resolved).
pub(super) fn unescape_string(lit: &str) -> String {
    let inner = &lit[1..lit.len().saturating_sub(1).max(1)];
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Inline nodes as the fast path converts them: straight into the tree while no statement has
/// been seen (nesting only leaves puts each at the root, in order, with no error, so `nest`
/// would return the same), as the flat list for `nest` from the first statement on.
enum Sink {
    Tree(Inline),
    Flat(Vec<Flat<InlineNode>>),
}

impl Sink {
    fn leaf(&mut self, node: InlineNode) {
        match self {
            Sink::Tree(v) => v.push(Tree::Leaf(node)),
            Sink::Flat(v) => v.push(Flat::Leaf(node)),
        }
    }

    fn tag(&mut self, tag: Tag, span: Span) {
        if let Sink::Tree(v) = self {
            let flat = std::mem::take(v)
                .into_iter()
                .map(|t| match t {
                    Tree::Leaf(node) => Flat::Leaf(node),
                    _ => unreachable!("a Sink::Tree holds only leaves"),
                })
                .collect();
            *self = Sink::Flat(flat);
        }
        if let Sink::Flat(v) = self {
            v.push(Flat::Tag(tag, span));
        }
    }

    fn finish(self, errors: &mut Vec<Error>) -> Inline {
        match self {
            Sink::Tree(v) => v,
            Sink::Flat(v) => nest(v, Level::Inline, errors),
        }
    }
}
