//! The data contract of a template: the JSON Schema (2020-12) of the data it reads.
//!
//! Read from the AST, without data: every path an expression names (`order.customer.name`) is a
//! property of nested objects; a `for` makes its list an array whose items are what the loop
//! variable reads; `a[0]` is an array too. A path used in arithmetic (`- * / %`, unary `-`, `+`
//! with a number literal) must be a number; one given to `money`, `round` or `abs` a number or a
//! numeric string (those filters read both); the attribute of `sum("attr")` a number in each
//! item. A property is **required** unless every use of it is guarded: tested by an `if`
//! (anywhere in the condition), given a fallback with `| default(…)`, or read only inside an
//! `if` whose condition names it or the object holding it. Names bound by `set` and `for`
//! (and `loop`, and `printer`, which the render supplies) are not data. Nothing else is constrained: other properties are allowed.
//!
//! Each property's `description` says where the template reads it (`read at 12:5`).

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::span::{Source, Span};
use crate::syntax::ast::{Ast, BinOp, Expr, ExprKind, Inline, InlineNode, LineAst, Tree};

/// What is known of one value in the data.
#[derive(Default)]
struct Node {
    /// Object properties: the node and whether some use requires it.
    props: BTreeMap<String, (Node, bool)>,
    /// The items, when the value is iterated or indexed.
    items: Option<Box<Node>>,
    /// Used as a number: strictly (arithmetic) or leniently (`money` reads numeric strings).
    number: Option<Strict>,
    /// The first place the template reads it.
    span: Option<Span>,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strict {
    Lenient,
    Strict,
}

/// One segment of a data path.
#[derive(Clone, Debug, PartialEq)]
enum Seg {
    Key(String),
    Items,
}

/// A local name: a data path (loop variables) or not data at all (`set`, `loop`).
type Scope = Vec<(String, Option<Vec<Seg>>)>;

struct Walker {
    root: Node,
    scope: Scope,
    /// Data paths named by the conditions of the enclosing `if`s.
    guards: Vec<Vec<Seg>>,
}

/// How a use relates to its path.
#[derive(Clone, Copy)]
struct Use {
    /// Every segment optional (an `if` test, a `default`).
    guarded: bool,
    number: Option<Strict>,
}

impl Walker {
    /// The data path `e` names, through loop variables; `None` if it is not a path into the
    /// data.
    fn path(&self, e: &Expr) -> Option<Vec<Seg>> {
        match &e.kind {
            ExprKind::Var(n) => match self.scope.iter().rev().find(|(v, _)| v == n) {
                Some((_, p)) => p.clone(),
                // supplied by the render (language §5a), not by the data
                None if n == "printer" => None,
                None => Some(vec![Seg::Key(n.clone())]),
            },
            ExprKind::Attr(b, k) => {
                let mut p = self.path(b)?;
                p.push(Seg::Key(k.value.clone()));
                Some(p)
            }
            ExprKind::Index(b, i) => {
                let mut p = self.path(b)?;
                p.push(match &i.kind {
                    ExprKind::Str(s) => Seg::Key(s.clone()),
                    _ => Seg::Items,
                });
                Some(p)
            }
            _ => None,
        }
    }

    fn record(&mut self, path: &[Seg], u: Use, span: Span) {
        // Under a guard naming a prefix of this path, the segments up to the guard's end are
        // optional.
        let optional_until = if u.guarded {
            path.len()
        } else {
            self.guards
                .iter()
                .filter(|g| g.len() <= path.len() && path[..g.len()] == g[..])
                .map(Vec::len)
                .max()
                .unwrap_or(0)
        };
        let mut node = &mut self.root;
        for (i, seg) in path.iter().enumerate() {
            node = match seg {
                Seg::Key(k) => {
                    let entry = node.props.entry(k.clone()).or_default();
                    entry.1 |= i >= optional_until;
                    &mut entry.0
                }
                Seg::Items => node.items.get_or_insert_with(Box::default),
            };
            node.span.get_or_insert(span);
        }
        if let Some(n) = u.number {
            node.number = node.number.max(Some(n));
        }
    }

    /// Records every data path `e` reads.
    fn expr(&mut self, e: &Expr, u: Use) {
        if let Some(p) = self.path(e) {
            self.record(&p, u, e.span);
            // an index expression reads data too
            if let ExprKind::Index(_, i) = &e.kind {
                self.expr(i, Use { number: None, ..u });
            }
            return;
        }
        let plain = Use { number: None, ..u };
        match &e.kind {
            ExprKind::Attr(b, _) => self.expr(b, plain),
            ExprKind::Index(a, b) => {
                self.expr(a, plain);
                self.expr(b, plain);
            }
            ExprKind::List(items) => items.iter().for_each(|i| self.expr(i, plain)),
            ExprKind::Neg(b) => self.expr(b, number(u, Strict::Strict)),
            ExprKind::Not(b) => self.expr(b, plain),
            ExprKind::Binary(op, a, b) => {
                let numeric = match op {
                    BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => true,
                    BinOp::Add => is_number(a) || is_number(b),
                    _ => false,
                };
                let side = if numeric {
                    number(u, Strict::Strict)
                } else {
                    plain
                };
                self.expr(a, side);
                self.expr(b, side);
            }
            ExprKind::Filter(t, name, args) => {
                let target = match name.value.as_str() {
                    "default" => Use {
                        guarded: true,
                        number: None,
                    },
                    "money" | "round" | "abs" => number(u, Strict::Lenient),
                    _ => plain,
                };
                self.expr(t, target);
                if name.value == "sum" {
                    if let (
                        Some(mut p),
                        Some(Expr {
                            kind: ExprKind::Str(attr),
                            ..
                        }),
                    ) = (self.path(t), args.first())
                    {
                        p.push(Seg::Items);
                        p.push(Seg::Key(attr.clone()));
                        self.record(&p, number(target, Strict::Lenient), name.span);
                    }
                }
                args.iter().for_each(|a| self.expr(a, plain));
            }
            _ => {}
        }
    }

    fn inline(&mut self, inline: &Inline) {
        self.tree(inline, &mut |w, node: &InlineNode| w.node(node));
    }

    fn node(&mut self, node: &InlineNode) {
        match node {
            InlineNode::Text(_) => {}
            InlineNode::Expr(e) => self.expr(e, USE),
            InlineNode::Bold(body, _) | InlineNode::Styled(_, body, _) => self.inline(body),
        }
    }

    fn line(&mut self, line: &LineAst) {
        line.inlines().for_each(|i| self.inline(i));
    }

    /// A statement tree at either level.
    fn tree<T>(&mut self, nodes: &[Tree<T>], leaf: &mut dyn FnMut(&mut Walker, &T)) {
        let mark = self.scope.len();
        for node in nodes {
            match node {
                Tree::Leaf(t) => leaf(self, t),
                Tree::For(f) => {
                    let list = self.path(&f.iter);
                    self.expr(&f.iter, USE);
                    let mark = self.scope.len();
                    self.scope.push(("loop".into(), None));
                    let item = list.map(|mut p| {
                        p.push(Seg::Items);
                        p
                    });
                    self.scope.push((f.var.value.clone(), item));
                    self.tree(&f.body, leaf);
                    self.scope.truncate(mark);
                    self.tree(&f.empty, leaf);
                }
                Tree::If(i) => {
                    let mark = self.guards.len();
                    for (cond, body) in &i.branches {
                        self.expr(
                            cond,
                            Use {
                                guarded: true,
                                number: None,
                            },
                        );
                        let mut named = Vec::new();
                        visit(cond, &mut |e| {
                            if let Some(p) = self.path(e) {
                                named.push(p);
                            }
                        });
                        self.guards.extend(named);
                        self.tree(body, leaf);
                    }
                    self.tree(&i.otherwise, leaf);
                    self.guards.truncate(mark);
                }
                Tree::Set(s) => {
                    self.expr(&s.value, USE);
                    self.scope.push((s.name.value.clone(), None));
                }
                Tree::Include(i) => self.tree(&i.body, leaf),
            }
        }
        // `set` inside a loop body ends with it; at the top it lasts, which is harmless here.
        if mark > 0 {
            self.scope.truncate(mark);
        }
    }
}

const USE: Use = Use {
    guarded: false,
    number: None,
};

fn number(u: Use, s: Strict) -> Use {
    Use {
        number: Some(s),
        ..u
    }
}

fn is_number(e: &Expr) -> bool {
    matches!(e.kind, ExprKind::Number(_))
}

/// Every sub-expression of `e`, outermost first.
fn visit(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::List(items) => items.iter().for_each(|i| visit(i, f)),
        ExprKind::Attr(b, _) | ExprKind::Neg(b) | ExprKind::Not(b) => visit(b, f),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            visit(a, f);
            visit(b, f);
        }
        ExprKind::Filter(t, _, args) => {
            visit(t, f);
            args.iter().for_each(|a| visit(a, f));
        }
        _ => {}
    }
}

fn render(node: &Node, sources: &[std::sync::Arc<Source>]) -> Value {
    let mut out = Map::new();
    if let Some(span) = node.span {
        if let Some(src) = sources.get(span.source as usize) {
            let (line, col) = src.line_col(span.start as usize);
            out.insert(
                "description".into(),
                json!(format!("read at {}:{line}:{col}", src.name)),
            );
        }
    }
    if !node.props.is_empty() {
        out.insert("type".into(), json!("object"));
        let mut props = Map::new();
        let mut required = Vec::new();
        for (k, (n, req)) in &node.props {
            props.insert(k.clone(), render(n, sources));
            if *req {
                required.push(json!(k));
            }
        }
        out.insert("properties".into(), Value::Object(props));
        if !required.is_empty() {
            out.insert("required".into(), Value::Array(required));
        }
    } else if let Some(items) = &node.items {
        out.insert("type".into(), json!("array"));
        out.insert("items".into(), render(items, sources));
    } else {
        match node.number {
            Some(Strict::Strict) => {
                out.insert("type".into(), json!("number"));
            }
            Some(Strict::Lenient) => {
                out.insert(
                    "anyOf".into(),
                    json!([
                        { "type": "number" },
                        { "type": "string", "pattern": "^\\s*[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?\\s*$" }
                    ]),
                );
            }
            None => {}
        }
    }
    Value::Object(out)
}

/// The JSON Schema of the data `ast` reads (see the module docs).
pub(crate) fn schema(ast: &Ast, sources: &[std::sync::Arc<Source>]) -> Value {
    let mut w = Walker {
        root: Node::default(),
        scope: Vec::new(),
        guards: Vec::new(),
    };
    for s in &ast.settings {
        w.inline(&s.value);
    }
    w.tree(&ast.body, &mut |w, line: &LineAst| w.line(line));
    let mut root = render(&w.root, sources);
    if let Value::Object(m) = &mut root {
        m.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        m.insert(
            "title".into(),
            json!(format!(
                "data of {}",
                sources.first().map_or("", |s| s.name.as_str())
            )),
        );
        m.insert("type".into(), json!("object"));
    }
    root
}
