//! Resolves statement nesting over a flat list of items.
//!
//! The parser produces, for a whole body (lines) or for one line's inline content, a flat list of
//! content items and statement tags. This pass builds the [`Tree`], collecting every mismatch as
//! an error instead of stopping at the first.

use crate::error::{Error, ErrorKind};
use crate::span::{Span, Spanned};
use crate::syntax::ast::{Expr, ForNode, IfNode, IncludeNode, SetNode, Tree};

/// A statement tag as parsed, before nesting.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Tag {
    For(Spanned<String>, Expr),
    EndFor,
    If(Expr),
    Elif(Expr),
    Else,
    EndIf,
    Set(Spanned<String>, Expr),
    Include(Spanned<String>),
}

/// One item of the flat list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Flat<T> {
    Leaf(T),
    Tag(Tag, Span),
}

enum Open<T> {
    For {
        node: ForNode<T>,
        in_else: bool,
    },
    If {
        node: IfNode<T>,
        cond: Option<Expr>,
        body: Vec<Tree<T>>,
        in_else: bool,
    },
}

impl<T> Open<T> {
    fn span(&self) -> Span {
        match self {
            Open::For { node, .. } => node.span,
            Open::If { node, .. } => node.span,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Open::For { .. } => "for",
            Open::If { .. } => "if",
        }
    }

    fn body(&mut self) -> &mut Vec<Tree<T>> {
        match self {
            Open::For { node, in_else } => {
                if *in_else {
                    &mut node.empty
                } else {
                    &mut node.body
                }
            }
            Open::If {
                node,
                body,
                in_else,
                ..
            } => {
                if *in_else {
                    &mut node.otherwise
                } else {
                    body
                }
            }
        }
    }

    fn close(self) -> Tree<T> {
        match self {
            Open::For { node, .. } => Tree::For(Box::new(node)),
            Open::If {
                mut node,
                cond,
                body,
                ..
            } => {
                if let Some(cond) = cond {
                    node.branches.push((cond, body));
                }
                Tree::If(Box::new(node))
            }
        }
    }
}

/// Where statements stand, for messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Level {
    /// Statements on lines of their own.
    Block,
    /// Statements inside a line (a paragraph, a cell …).
    Inline,
}

/// Builds the tree; errors are pushed to `errors` and the tree is still returned (closing
/// whatever was left open) so that later passes can report more.
pub(crate) fn nest<T>(items: Vec<Flat<T>>, level: Level, errors: &mut Vec<Error>) -> Vec<Tree<T>> {
    // Without statements (most inline content) every item is a leaf of the root: one
    // allocation of the right size instead of growing the vector.
    let mut root: Vec<Tree<T>> = if items.iter().all(|i| matches!(i, Flat::Leaf(_))) {
        Vec::with_capacity(items.len())
    } else {
        Vec::new()
    };
    let mut stack: Vec<Open<T>> = Vec::new();
    fn target<'a, T>(root: &'a mut Vec<Tree<T>>, stack: &'a mut [Open<T>]) -> &'a mut Vec<Tree<T>> {
        match stack.last_mut() {
            Some(open) => open.body(),
            None => root,
        }
    }
    for item in items {
        match item {
            Flat::Leaf(leaf) => target(&mut root, &mut stack).push(Tree::Leaf(leaf)),
            Flat::Tag(tag, span) => match tag {
                Tag::For(var, iter) => stack.push(Open::For {
                    node: ForNode {
                        var,
                        iter,
                        body: Vec::new(),
                        empty: Vec::new(),
                        span,
                        keys: Vec::new(),
                    },
                    in_else: false,
                }),
                Tag::If(cond) => stack.push(Open::If {
                    node: IfNode {
                        branches: Vec::new(),
                        otherwise: Vec::new(),
                        span,
                    },
                    cond: Some(cond),
                    body: Vec::new(),
                    in_else: false,
                }),
                Tag::Elif(cond) => elif(&mut stack, cond, span, level, errors),
                Tag::Else => otherwise(&mut stack, span, level, errors),
                Tag::EndFor => close(&mut root, &mut stack, span, "for", level, errors),
                Tag::EndIf => close(&mut root, &mut stack, span, "if", level, errors),
                Tag::Set(name, value) => {
                    target(&mut root, &mut stack).push(Tree::Set(SetNode { name, value, span }))
                }
                Tag::Include(path) => {
                    if level == Level::Inline {
                        errors.push(
                            Error::new(ErrorKind::Syntax, "`{% include %}` inside a line")
                                .at(span)
                                .with_hint("put the include on a line of its own"),
                        );
                    } else {
                        let node = IncludeNode {
                            path,
                            body: Vec::new(),
                            span,
                        };
                        target(&mut root, &mut stack).push(Tree::Include(node))
                    }
                }
            },
        }
    }
    while let Some(open) = stack.pop() {
        errors.push(unclosed(&open, level));
        let tree = open.close();
        target(&mut root, &mut stack).push(tree);
    }
    root
}

/// `{% elif %}`: closes the current branch of the innermost `if`.
fn elif<T>(stack: &mut [Open<T>], cond: Expr, span: Span, level: Level, errors: &mut Vec<Error>) {
    match stack.last_mut() {
        Some(Open::If {
            node,
            cond: current,
            body,
            in_else: false,
        }) => {
            if let Some(prev) = current.take() {
                node.branches.push((prev, std::mem::take(body)));
            }
            *current = Some(cond);
        }
        Some(Open::If { node, .. }) => errors.push(
            Error::new(ErrorKind::Syntax, "`{% elif %}` after `{% else %}`")
                .at(span)
                .with_label(node.span, "in this `if`")
                .with_hint("move the `elif` branch before `else`"),
        ),
        _ => errors.push(stray(span, "elif", "if", level, stack.last())),
    }
}

/// `{% else %}`: the `if`'s last branch, or the `for`'s body for an empty list.
fn otherwise<T>(stack: &mut [Open<T>], span: Span, level: Level, errors: &mut Vec<Error>) {
    match stack.last_mut() {
        Some(Open::For { in_else: true, .. }) | Some(Open::If { in_else: true, .. }) => {
            errors.push(Error::new(ErrorKind::Syntax, "a second `{% else %}`").at(span));
        }
        Some(Open::For { in_else, .. }) => *in_else = true,
        Some(Open::If {
            node,
            cond,
            body,
            in_else,
        }) => {
            if let Some(prev) = cond.take() {
                node.branches.push((prev, std::mem::take(body)));
            }
            *in_else = true;
        }
        None => errors.push(stray::<T>(span, "else", "if` or `for", level, None)),
    }
}

/// The error for a statement left open at the end of its body.
fn unclosed<T>(open: &Open<T>, level: Level) -> Error {
    let name = open.name();
    let err = Error::new(ErrorKind::Syntax, format!("unclosed `{{% {name} %}}`"))
        .at(open.span())
        .with_hint(format!("add `{{% end{name} %}}`"));
    if level == Level::Inline {
        return err.with_hint(format!(
            "a `{name}` that opens inside a line must close on the same line (and in the same cell); \
             put `{{% {name} … %}}` and `{{% end{name} %}}` on lines of their own to span lines"
        ));
    }
    err
}

fn stray<T>(span: Span, tag: &str, opener: &str, level: Level, open: Option<&Open<T>>) -> Error {
    let mut err = Error::new(
        ErrorKind::Syntax,
        format!("`{{% {tag} %}}` without a matching `{{% {opener} %}}`"),
    )
    .at(span);
    if let Some(open) = open {
        err = err.with_label(open.span(), format!("the open `{}` is here", open.name()));
    }
    if level == Level::Inline {
        err = err
            .with_hint("statements inside a line must open and close within that line (and cell)");
    }
    err
}

fn close<T>(
    root: &mut Vec<Tree<T>>,
    stack: &mut Vec<Open<T>>,
    span: Span,
    name: &'static str,
    level: Level,
    errors: &mut Vec<Error>,
) {
    match stack.last() {
        Some(open) if open.name() == name => {
            let tree = stack.pop().map(Open::close);
            if let Some(tree) = tree {
                match stack.last_mut() {
                    Some(parent) => parent.body().push(tree),
                    None => root.push(tree),
                }
            }
        }
        Some(open) => errors.push(
            Error::new(
                ErrorKind::Syntax,
                format!("`{{% end{name} %}}` closes a `{}`", open.name()),
            )
            .at(span)
            .with_label(open.span(), format!("this `{}` is still open", open.name()))
            .with_hint(format!("close it with `{{% end{} %}}` first", open.name())),
        ),
        None => errors.push(stray::<()>(span, &format!("end{name}"), name, level, None)),
    }
}
