//! The compiled plan of a template: what can be decided from the template alone, so the binder
//! does not decide it again for every item. Not parsing: [`resolve`] runs on the finished tree
//! (includes resolved) and fills in only the fields the parsers leave empty ([`Expr::resolved`],
//! [`ForNode::keys`]); the tree reads and compares as before.
//!
//! What it resolves: `var.key` inside a loop over `var` becomes [`Resolved::LoopKey`] (which loop,
//! which of its keys), so the binder reads it from the keys it took from the item in one pass,
//! instead of looking `var` up among the names in scope and `key` among the item's entries.
//! Names resolve as the binder's scopes do: a loop binds its variable, and `loop` under it; the
//! innermost loop binding the name is the one. A loop whose body (anywhere in it: branches,
//! inner loops, includes, inline statements) has a `set` of its variable is not resolved at
//! all, as the `set` could rebind the name; nor is `loop` (a slot of its own).

use super::ast::{Ast, Expr, ExprKind, ForNode, InlineNode, LineAst, Resolved, Tree};

/// The most keys one loop resolves (the binder holds them in an array of this size): an
/// expression reading a key past them stays unresolved.
pub const MAX_KEYS: usize = 8;

/// The most loops nested in each other whose keys resolve (the binder holds their keys in
/// an array of this size, allocating nothing): inside more, the inner ones' do not.
pub const MAX_LOOPS: usize = 4;

/// A loop around the expressions being resolved.
struct Open {
    /// Its variable.
    var: String,
    /// Whether its body may rebind the variable (`set`): then nothing resolves to it.
    rebinds: bool,
    /// The keys resolved so far.
    keys: Vec<String>,
}

/// Fills in every [`Expr::resolved`] and [`ForNode::keys`] of `ast` (settings are outside every
/// loop: nothing there resolves).
pub fn resolve(ast: &mut Ast) {
    trees(&mut ast.body, &mut Vec::new());
}

/// Content that holds expressions and inline statement trees.
trait Content {
    /// Resolves the expressions in it, inside `loops`.
    fn resolve(&mut self, loops: &mut Vec<Open>);
    /// Whether a `set` of `name` is anywhere in it.
    fn sets(&self, name: &str) -> bool;
}

impl Content for LineAst {
    fn resolve(&mut self, loops: &mut Vec<Open>) {
        self.inlines_mut().for_each(|i| trees(i, loops));
    }

    fn sets(&self, name: &str) -> bool {
        self.inlines().any(|i| sets(i, name))
    }
}

impl Content for InlineNode {
    fn resolve(&mut self, loops: &mut Vec<Open>) {
        match self {
            InlineNode::Text(_) => {}
            InlineNode::Expr(e) => expr(e, loops),
            InlineNode::Bold(body, _) | InlineNode::Styled(_, body, _) => trees(body, loops),
        }
    }

    fn sets(&self, name: &str) -> bool {
        match self {
            InlineNode::Text(_) | InlineNode::Expr(_) => false,
            InlineNode::Bold(body, _) | InlineNode::Styled(_, body, _) => sets(body, name),
        }
    }
}

/// Resolves a statement tree inside `loops`.
fn trees<T: Content>(nodes: &mut [Tree<T>], loops: &mut Vec<Open>) {
    for node in nodes {
        match node {
            Tree::Leaf(t) => t.resolve(loops),
            Tree::For(f) => for_node(f, loops),
            Tree::If(n) => {
                for (cond, body) in &mut n.branches {
                    expr(cond, loops);
                    trees(body, loops);
                }
                trees(&mut n.otherwise, loops);
            }
            Tree::Set(s) => expr(&mut s.value, loops),
            Tree::Include(i) => trees(&mut i.body, loops),
        }
    }
}

/// A loop: what it runs over and its `else` in the scope around it, its body with it open.
fn for_node<T: Content>(f: &mut ForNode<T>, loops: &mut Vec<Open>) {
    expr(&mut f.iter, loops);
    trees(&mut f.empty, loops);
    loops.push(Open {
        rebinds: sets(&f.body, &f.var.value),
        var: f.var.value.clone(),
        keys: Vec::new(),
    });
    trees(&mut f.body, loops);
    if let Some(open) = loops.pop() {
        f.keys = open.keys;
    }
}

/// Whether a `set` of `name` is anywhere in `nodes`.
fn sets<T: Content>(nodes: &[Tree<T>], name: &str) -> bool {
    nodes.iter().any(|node| match node {
        Tree::Leaf(t) => t.sets(name),
        Tree::For(f) => sets(&f.body, name) || sets(&f.empty, name),
        Tree::If(n) => {
            n.branches.iter().any(|(_, body)| sets(body, name)) || sets(&n.otherwise, name)
        }
        Tree::Set(s) => s.name.value == name,
        Tree::Include(i) => sets(&i.body, name),
    })
}

/// Resolves `e` and its subexpressions inside `loops`.
fn expr(e: &mut Expr, loops: &mut Vec<Open>) {
    if let ExprKind::Attr(base, key) = &e.kind {
        if let ExprKind::Var(name) = &base.kind {
            e.resolved = loop_key(name, &key.value, loops);
        }
    }
    match &mut e.kind {
        ExprKind::List(items) => items.iter_mut().for_each(|i| expr(i, loops)),
        ExprKind::Attr(b, _) | ExprKind::Neg(b) | ExprKind::Not(b) => expr(b, loops),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            expr(a, loops);
            expr(b, loops);
        }
        ExprKind::Filter(t, _, args) => {
            expr(t, loops);
            args.iter_mut().for_each(|a| expr(a, loops));
        }
        ExprKind::None
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::Str(_)
        | ExprKind::Var(_) => {}
    }
}

/// The slot of `name.key` inside `loops`: the key of the innermost loop binding `name`, when
/// that binding is the loop's variable and its body cannot rebind it.
fn loop_key(name: &str, key: &str, loops: &mut [Open]) -> Resolved {
    for (depth, open) in loops.iter_mut().enumerate().rev() {
        if open.var == name {
            if open.rebinds || depth >= MAX_LOOPS {
                return Resolved::None;
            }
            let at = match open.keys.iter().position(|k| k == key) {
                Some(at) => at,
                None if open.keys.len() < MAX_KEYS => {
                    open.keys.push(key.to_string());
                    open.keys.len() - 1
                }
                None => return Resolved::None,
            };
            let (Ok(depth), Ok(key)) = (u16::try_from(depth), u16::try_from(at)) else {
                return Resolved::None;
            };
            return Resolved::LoopKey { depth, key };
        }
        if name == "loop" {
            // The loop's own `loop`, under its variable.
            return Resolved::None;
        }
    }
    Resolved::None
}
