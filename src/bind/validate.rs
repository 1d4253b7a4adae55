//! Static checks run when a template is compiled: whatever can be known without data or a
//! printer — filter names and arities, front-matter settings written as constants
//! (`copies: 12`, `cut: ful`), code data written in the template (EAN-13 digits and check digit,
//! the Code 128 character sets) — and the warnings that need no data (a `{% set %}` inside a
//! loop that cannot change the variable outside it).

use super::blocks::{apply_setting, target_span};
use super::codes;
use super::filters::Filter;
use crate::document::JobSettings;
use crate::error::{Error, ErrorKind, Warning, WarningKind};
use crate::span::Span;
use crate::syntax::ast::{Ast, ExprKind, Inline, InlineNode, LineAst, LineKind, Tree, visit_exprs};

/// Every static error of the AST.
pub(crate) fn validate(ast: &Ast) -> Vec<Error> {
    let mut errors = Vec::new();
    visit_exprs(ast, &mut |e| {
        if let ExprKind::Filter(_, name, args) = &e.kind {
            if let Err(err) = Filter::resolve(name, args.len(), e.span) {
                errors.push(err);
            }
        }
    });
    let mut settings = JobSettings::default();
    for s in &ast.settings {
        if let Some((text, _)) = constant(&s.value) {
            if let Err(e) = apply_setting(s.key.value, text.trim(), s.span, &mut settings) {
                errors.push(e);
            }
        }
    }
    lines(&ast.body, &mut |line| {
        if let LineKind::Code { kind, target } = &line.kind {
            let Some((text, exact)) = constant(target) else {
                return;
            };
            let text = codes::complete(kind.value, text);
            if let Some((message, hint, at)) = codes::problem(kind.value, &text) {
                let whole = target_span(target).unwrap_or(line.span);
                // Narrow the caret to the character at fault when the data is written as is.
                let span = match exact {
                    Some(s) if at < text.len() && text.len() == s.range().len() => {
                        let ch = text[at..].chars().next().map_or(1, char::len_utf8);
                        let start = s.start as usize + at;
                        Span::new(s.source, start, start + ch)
                    }
                    _ => whole,
                };
                errors.push(
                    Error::new(ErrorKind::Data, message)
                        .at(span)
                        .with_hint(hint),
                );
            }
        }
    });
    errors
}

/// The settings written without expressions (invalid ones left out: `validate` reports them).
pub(crate) fn constant_settings(ast: &Ast) -> JobSettings {
    let mut settings = JobSettings::default();
    for s in &ast.settings {
        if let Some((text, _)) = constant(&s.value) {
            let _ = apply_setting(s.key.value, text.trim(), s.span, &mut settings);
        }
    }
    settings
}

/// Warnings that need no data: a `{% set %}` inside a loop body of a name set before the loop.
/// As in Jinja, the assignment is local to one iteration; the variable outside keeps its value,
/// which is almost never what the author meant (a running total).
pub(crate) fn lint(ast: &Ast) -> Vec<Warning> {
    let mut warnings = Vec::new();
    let mut outer = Vec::new();
    sets(&ast.body, &mut outer, 0, &mut warnings);
    warnings
}

fn sets(nodes: &[Tree<LineAst>], names: &mut Vec<String>, loops: usize, out: &mut Vec<Warning>) {
    for node in nodes {
        match node {
            Tree::Set(s) => {
                if loops > 0 && names.contains(&s.name.value) {
                    let mut w = Warning::new(
                        WarningKind::LostAssignment,
                        format!(
                            "this `set` inside a loop does not change `{}` after the loop (each \
                             iteration has its own)",
                            s.name.value
                        ),
                        s.span,
                    );
                    w.hint = Some(
                        "compute the value outside the loop, e.g. `{% set total = items | \
                         sum(\"price\") %}`"
                            .into(),
                    );
                    out.push(w);
                }
                if loops == 0 {
                    names.push(s.name.value.clone());
                }
            }
            Tree::For(f) => {
                sets(&f.body, names, loops + 1, out);
                sets(&f.empty, names, loops, out);
            }
            Tree::If(i) => {
                for (_, b) in &i.branches {
                    sets(b, names, loops, out);
                }
                sets(&i.otherwise, names, loops, out);
            }
            Tree::Include(i) => sets(&i.body, names, loops, out),
            Tree::Leaf(_) => {}
        }
    }
}

/// Every line of a statement tree, in every branch.
fn lines(nodes: &[Tree<LineAst>], f: &mut dyn FnMut(&LineAst)) {
    for node in nodes {
        match node {
            Tree::Leaf(l) => f(l),
            Tree::For(n) => {
                lines(&n.body, f);
                lines(&n.empty, f);
            }
            Tree::If(n) => {
                for (_, b) in &n.branches {
                    lines(b, f);
                }
                lines(&n.otherwise, f);
            }
            Tree::Include(i) => lines(&i.body, f),
            Tree::Set(_) => {}
        }
    }
}

/// The text of inline content that holds no expression or statement, and the span of its text
/// when it is one piece written as is (so a byte offset into the text is one into the source).
fn constant(inline: &Inline) -> Option<(String, Option<Span>)> {
    let mut text = String::new();
    let mut spans = Vec::new();
    for node in inline {
        match node {
            Tree::Leaf(InlineNode::Text(t)) => {
                text.push_str(&t.value);
                spans.push(t.span);
            }
            _ => return None,
        }
    }
    let exact = match spans.as_slice() {
        [s] if s.range().len() == text.len() => Some(*s),
        _ => None,
    };
    Some((text, exact))
}
