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
use std::borrow::Cow;

use crate::syntax::ast::{
    Ast, Expr, ExprKind, Inline, InlineNode, LineAst, LineKind, Tree, visit_expr, visit_inline,
};

/// Every static error of the AST: filter errors (settings first, then the body, in reading
/// order), then those of constant settings, then those of constant code data — one walk of the
/// body for the filters and the codes together.
pub(crate) fn validate(ast: &Ast) -> Vec<Error> {
    let mut errors = Vec::new();
    let mut filters = |e: &Expr| {
        if let ExprKind::Filter(_, name, args) = &e.kind {
            if let Err(err) = Filter::resolve(name, args.len(), e.span) {
                errors.push(err);
            }
        }
    };
    for s in &ast.settings {
        visit_inline(&s.value, &mut filters);
    }
    let mut code_errors = Vec::new();
    visit_lines(&ast.body, &mut filters, &mut |line| {
        if let Some(e) = code_problem(line) {
            code_errors.push(e);
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
    errors.append(&mut code_errors);
    errors
}

/// The error of a code line whose data is written as a constant and cannot be encoded.
fn code_problem(line: &LineAst) -> Option<Error> {
    let LineKind::Code { kind, target } = &line.kind else {
        return None;
    };
    let (text, exact) = constant(target)?;
    let text = codes::complete(kind.value, text.into_owned());
    let (message, hint, at) = codes::problem(kind.value, &text)?;
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
    Some(
        Error::new(ErrorKind::Data, message)
            .at(span)
            .with_hint(hint),
    )
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

fn sets<'a>(
    nodes: &'a [Tree<LineAst>],
    names: &mut Vec<&'a str>,
    loops: usize,
    out: &mut Vec<Warning>,
) {
    for node in nodes {
        match node {
            Tree::Set(s) => {
                if loops > 0 && names.contains(&s.name.value.as_str()) {
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
                    names.push(&s.name.value);
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

/// Every line of a statement tree, in every branch (`line`), and every expression, in
/// reading order (`expr`): a statement's own expressions, then those of its lines.
fn visit_lines(
    nodes: &[Tree<LineAst>],
    expr: &mut dyn FnMut(&Expr),
    line: &mut dyn FnMut(&LineAst),
) {
    for node in nodes {
        match node {
            Tree::Leaf(l) => {
                line_exprs(l, expr);
                line(l);
            }
            Tree::For(n) => {
                visit_expr(&n.iter, expr);
                visit_lines(&n.body, expr, line);
                visit_lines(&n.empty, expr, line);
            }
            Tree::If(n) => {
                for (cond, b) in &n.branches {
                    visit_expr(cond, expr);
                    visit_lines(b, expr, line);
                }
                visit_lines(&n.otherwise, expr, line);
            }
            Tree::Set(s) => visit_expr(&s.value, expr),
            Tree::Include(i) => visit_lines(&i.body, expr, line),
        }
    }
}

/// The expressions of one line's inline content.
fn line_exprs(line: &LineAst, f: &mut dyn FnMut(&Expr)) {
    line.inlines().for_each(|i| visit_inline(i, f));
}

/// The text of inline content that holds no expression or statement, and the span of its text
/// when it is one piece written as is (so a byte offset into the text is one into the source).
/// Borrowed when it is one piece (the usual case), joined otherwise.
fn constant(inline: &Inline) -> Option<(Cow<'_, str>, Option<Span>)> {
    let mut pieces = inline.iter().map(|node| match node {
        Tree::Leaf(InlineNode::Text(t)) => Some(t),
        _ => None,
    });
    let Some(first) = pieces.next() else {
        return Some((Cow::Borrowed(""), None));
    };
    let first = first?;
    let mut text = Cow::Borrowed(first.value.as_str());
    let mut single = true;
    for piece in pieces {
        text.to_mut().push_str(&piece?.value);
        single = false;
    }
    let exact = (single && first.span.range().len() == text.len()).then_some(first.span);
    Some((text, exact))
}

#[cfg(test)]
mod tests {
    /// Errors come in the order they always did: filters (settings, then the body), then
    /// constant settings, then constant code data.
    #[test]
    fn errors_in_order_filters_settings_codes() {
        let text = "---\ncopies: x\nvoice: {{ a | nope1 }}\n---\n![ean13](12345)\n{{ b | nope2 }}\n{% for i in c | nope3 %}\n![ean13](1)\n{% endfor %}\n";
        let errors = crate::Environment::new()
            .compile("t.slip", text)
            .unwrap_err();
        let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        let at = |needle: &str| {
            messages
                .iter()
                .position(|m| m.contains(needle))
                .unwrap_or_else(|| panic!("no error with {needle:?} in {messages:#?}"))
        };
        let order = [at("nope1"), at("nope2"), at("nope3"), at("copies")];
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{messages:#?}");
        let codes: Vec<usize> = (0..messages.len()).filter(|&i| i > order[3]).collect();
        assert_eq!(codes.len(), 2, "{messages:#?}");
    }
}
