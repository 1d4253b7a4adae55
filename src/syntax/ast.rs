//! The typed, owned AST. Every node carries a [`Span`]; nothing here knows about pest.

use std::fmt;

use crate::span::{Span, Spanned};
use crate::vocab::CodeKind;

/// A parsed template: front matter plus the body as a statement tree over lines.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    /// `key: value` settings from the front matter, in order.
    pub settings: Vec<SettingAst>,
    /// The body.
    pub body: Vec<Tree<LineAst>>,
}

/// One front-matter setting.
#[derive(Debug, Clone, PartialEq)]
pub struct SettingAst {
    /// Which setting.
    pub key: Spanned<SettingKey>,
    /// Its value (text and expressions only).
    pub value: Inline,
    /// The value's span.
    pub span: Span,
}

/// The known front-matter keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SettingKey {
    /// `copies`
    Copies,
    /// `paper`
    Paper,
    /// `voice`
    Voice,
    /// `volume`
    Volume,
    /// `reminder`
    Reminder,
    /// `cut`
    Cut,
    /// `sound`
    Sound,
    /// `confirm`
    Confirm,
    /// `drawer`
    Drawer,
}

impl SettingKey {
    /// All keys with their names.
    pub const ALL: [(&'static str, SettingKey); 9] = [
        ("copies", SettingKey::Copies),
        ("paper", SettingKey::Paper),
        ("voice", SettingKey::Voice),
        ("volume", SettingKey::Volume),
        ("reminder", SettingKey::Reminder),
        ("cut", SettingKey::Cut),
        ("sound", SettingKey::Sound),
        ("confirm", SettingKey::Confirm),
        ("drawer", SettingKey::Drawer),
    ];
}

/// A statement tree over items of type `T` (lines at block level, [`InlineNode`]s inside a
/// line). The same statements exist at both levels, so nesting is resolved once for both.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree<T> {
    /// Content.
    Leaf(T),
    /// `{% for var in iter %} body {% else %} empty {% endfor %}`.
    For(Box<ForNode<T>>),
    /// `{% if %} … {% elif %} … {% else %} … {% endif %}`.
    If(Box<IfNode<T>>),
    /// `{% set name = value %}`.
    Set(SetNode),
    /// `{% include "path" %}`, resolved at compile time (block level only).
    Include(IncludeNode<T>),
}

/// A `for` loop.
#[derive(Clone)]
pub struct ForNode<T> {
    /// The loop variable.
    pub var: Spanned<String>,
    /// What is iterated.
    pub iter: Expr,
    /// The body, run once per item.
    pub body: Vec<Tree<T>>,
    /// Run when the sequence is empty.
    pub empty: Vec<Tree<T>>,
    /// The `{% for %}` tag.
    pub span: Span,
    /// The keys its body reads off its variable by a [`Resolved::LoopKey`] (`name`, `qty`,
    /// `price` for `it.name`, `it.qty`, `it.price`), which the binder reads from each item in
    /// one pass: filled in with the slots, not parsed, and (like them) not part of what the
    /// loop is (equality and `Debug` ignore it).
    pub keys: Vec<String>,
}

impl<T: PartialEq> PartialEq for ForNode<T> {
    fn eq(&self, other: &ForNode<T>) -> bool {
        (self.var == other.var)
            && (self.iter == other.iter)
            && (self.body == other.body)
            && (self.empty == other.empty)
            && (self.span == other.span)
    }
}

impl<T: fmt::Debug> fmt::Debug for ForNode<T> {
    /// As a derived `Debug` of the parsed fields.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ForNode")
            .field("var", &self.var)
            .field("iter", &self.iter)
            .field("body", &self.body)
            .field("empty", &self.empty)
            .field("span", &self.span)
            .finish()
    }
}

/// An `if` chain.
#[derive(Debug, Clone, PartialEq)]
pub struct IfNode<T> {
    /// `if` and `elif` branches, in order.
    pub branches: Vec<(Expr, Vec<Tree<T>>)>,
    /// The `else` branch.
    pub otherwise: Vec<Tree<T>>,
    /// The `{% if %}` tag.
    pub span: Span,
}

/// A `set`.
#[derive(Debug, Clone, PartialEq)]
pub struct SetNode {
    /// The variable.
    pub name: Spanned<String>,
    /// Its new value.
    pub value: Expr,
    /// The tag.
    pub span: Span,
}

/// An include, with the included body once compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct IncludeNode<T> {
    /// The path as written.
    pub path: Spanned<String>,
    /// The included template's body (empty until resolved).
    pub body: Vec<Tree<T>>,
    /// The tag.
    pub span: Span,
}

/// One source line of the body.
#[derive(Debug, Clone, PartialEq)]
pub struct LineAst {
    /// What kind of line.
    pub kind: LineKind,
    /// The whole line (without its line ending).
    pub span: Span,
}

impl LineAst {
    /// The line's inline content, piece by piece: the text of a paragraph, heading, centred or
    /// right-aligned line, a rule's label, a code's data, or each cell of a row, in order
    /// (nothing for a blank line, a spec row or a rule without a label).
    pub fn inlines(&self) -> impl Iterator<Item = &Inline> {
        let (one, cells): (Option<&Inline>, &[CellAst]) = match &self.kind {
            LineKind::Paragraph(i)
            | LineKind::Heading(_, i)
            | LineKind::Center(i)
            | LineKind::Right(i)
            | LineKind::Rule { label: Some(i), .. }
            | LineKind::Code { target: i, .. } => (Some(i), &[]),
            LineKind::Row(cells) => (None, cells),
            LineKind::Rule { label: None, .. } | LineKind::Blank | LineKind::Spec(_) => (None, &[]),
        };
        one.into_iter().chain(cells.iter().map(|c| &c.content))
    }

    /// [`LineAst::inlines`], to change them.
    pub(crate) fn inlines_mut(&mut self) -> impl Iterator<Item = &mut Inline> {
        let (one, cells): (Option<&mut Inline>, &mut [CellAst]) = match &mut self.kind {
            LineKind::Paragraph(i)
            | LineKind::Heading(_, i)
            | LineKind::Center(i)
            | LineKind::Right(i)
            | LineKind::Rule { label: Some(i), .. }
            | LineKind::Code { target: i, .. } => (Some(i), &mut []),
            LineKind::Row(cells) => (None, cells),
            LineKind::Rule { label: None, .. } | LineKind::Blank | LineKind::Spec(_) => {
                (None, &mut [])
            }
        };
        one.into_iter()
            .chain(cells.iter_mut().map(|c| &mut c.content))
    }
}

/// The kinds of body lines.
#[derive(Debug, Clone, PartialEq)]
pub enum LineKind {
    /// Plain text (also an escaped line).
    Paragraph(Inline),
    /// `#`/`##`/`###` (level 1–3).
    Heading(u8, Inline),
    /// `-> text <-`.
    Center(Inline),
    /// `-> text`.
    Right(Inline),
    /// A rule drawn with `ch`, with an optional label.
    Rule {
        /// The character.
        ch: char,
        /// The label.
        label: Option<Inline>,
    },
    /// An empty line.
    Blank,
    /// A row of cells.
    Row(Vec<CellAst>),
    /// A spec row.
    Spec(Vec<SpecCell>),
    /// A code.
    Code {
        /// Which code.
        kind: Spanned<CodeKind>,
        /// Its data.
        target: Inline,
    },
}

/// A cell of a row.
#[derive(Debug, Clone, PartialEq)]
pub struct CellAst {
    /// The content.
    pub content: Inline,
    /// The cell between its bars.
    pub span: Span,
}

/// A cell of a spec row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecCell {
    /// Alignment.
    pub align: crate::vocab::Align,
    /// Width.
    pub width: crate::vocab::ColumnWidth,
    /// The cell.
    pub span: Span,
}

/// Inline content: a statement tree over inline nodes.
pub type Inline = Vec<Tree<InlineNode>>;

/// Inline content pieces.
#[derive(Debug, Clone, PartialEq)]
pub enum InlineNode {
    /// Literal template text (escapes resolved).
    Text(Spanned<String>),
    /// `{{ expr }}`.
    Expr(Expr),
    /// `**…**`.
    Bold(Inline, Span),
    /// `[…]{.classes}`.
    Styled(Vec<Spanned<Class>>, Inline, Span),
}

/// Style classes of a `[text]{.class}` span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// `.big`: ×2 width and height.
    Big,
    /// `.large`: ×1.33 width and height.
    Large,
    /// `.tall`: ×2 height.
    Tall,
    /// `.wide`: ×2 width.
    Wide,
    /// `.bold`.
    Bold,
}

impl Class {
    /// All classes with their names (without the dot).
    pub const ALL: [(&'static str, Class); 5] = [
        ("big", Class::Big),
        ("large", Class::Large),
        ("tall", Class::Tall),
        ("wide", Class::Wide),
        ("bold", Class::Bold),
    ];
}

/// An expression.
#[derive(Clone)]
pub struct Expr {
    /// What it is.
    pub kind: ExprKind,
    /// Where.
    pub span: Span,
    /// What the compiler resolved it to, for the binder's fast path ([`Resolved`]): not parsed
    /// (every parser makes [`Resolved::None`]; `syntax::plan::resolve` fills it in once the
    /// template's includes are resolved), and not part of what the expression is (equality and
    /// `Debug` ignore it).
    pub resolved: Resolved,
}

impl Expr {
    /// The expression `kind` at `span`, not resolved.
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr {
            kind,
            span,
            resolved: Resolved::None,
        }
    }
}

impl PartialEq for Expr {
    /// The same kind at the same span (the slot is derived from them and the tree around).
    fn eq(&self, other: &Expr) -> bool {
        self.kind == other.kind && self.span == other.span
    }
}

/// Where the binder finds an expression's value without looking its names up.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Resolved {
    /// Nowhere known: looked up by name.
    #[default]
    None,
    /// `var.key`, where `var` is the variable of the loop `depth` loops in from the outside
    /// (0: the outermost loop around the expression) and nothing can rebind it in that loop's
    /// body, and `key` is entry `key` of that loop's [`ForNode::keys`].
    LoopKey {
        /// Which loop (its nesting depth).
        depth: u16,
        /// Which of its keys.
        key: u16,
    },
}

impl fmt::Debug for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?} {:?}", self.kind, self.span)
    }
}

/// Expression kinds.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// `none`
    None,
    /// `true` / `false`
    Bool(bool),
    /// An integer or decimal literal, as written (`12`, `0.10`).
    Number(String),
    /// A string literal (escapes resolved).
    Str(String),
    /// `[a, b]`
    List(Vec<Expr>),
    /// A variable.
    Var(String),
    /// `e.name`
    Attr(Box<Expr>, Spanned<String>),
    /// `e[i]`
    Index(Box<Expr>, Box<Expr>),
    /// `-e`
    Neg(Box<Expr>),
    /// `not e`
    Not(Box<Expr>),
    /// A binary operation.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `e | name(args)`
    Filter(Box<Expr>, Spanned<String>, Vec<Expr>),
}

/// Binary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `and`
    And,
    /// `or`
    Or,
}

/// Calls `f` on every expression of the AST, subexpressions included (for tools; the static
/// checks walk the AST once with `visit_inline` and `visit_expr`).
#[cfg_attr(not(feature = "unstable_machinery"), allow(dead_code))]
pub fn visit_exprs(ast: &Ast, f: &mut dyn FnMut(&Expr)) {
    for s in &ast.settings {
        visit_inline(&s.value, f);
    }
    visit_tree(&ast.body, f, &mut |line: &LineAst, f| {
        line.inlines().for_each(|i| visit_inline(i, f));
    });
}

/// Calls `f` on every expression of inline content, subexpressions included.
pub(crate) fn visit_inline(inline: &Inline, f: &mut dyn FnMut(&Expr)) {
    visit_tree(inline, f, &mut |node: &InlineNode, f| match node {
        InlineNode::Text(_) => {}
        InlineNode::Expr(e) => visit_expr(e, f),
        InlineNode::Bold(body, _) | InlineNode::Styled(_, body, _) => visit_inline(body, f),
    });
}

/// A visitor of expressions.
type ExprFn<'a> = dyn FnMut(&Expr) + 'a;

fn visit_tree<T>(nodes: &[Tree<T>], f: &mut ExprFn<'_>, leaf: &mut dyn FnMut(&T, &mut ExprFn<'_>)) {
    for node in nodes {
        match node {
            Tree::Leaf(t) => leaf(t, f),
            Tree::For(n) => {
                visit_expr(&n.iter, f);
                visit_tree(&n.body, f, leaf);
                visit_tree(&n.empty, f, leaf);
            }
            Tree::If(n) => {
                for (cond, body) in &n.branches {
                    visit_expr(cond, f);
                    visit_tree(body, f, leaf);
                }
                visit_tree(&n.otherwise, f, leaf);
            }
            Tree::Set(s) => visit_expr(&s.value, f),
            Tree::Include(i) => visit_tree(&i.body, f, leaf),
        }
    }
}

/// Calls `f` on `e` and each of its subexpressions, outermost first.
pub(crate) fn visit_expr(e: &Expr, f: &mut dyn FnMut(&Expr)) {
    f(e);
    match &e.kind {
        ExprKind::List(items) => items.iter().for_each(|i| visit_expr(i, f)),
        ExprKind::Attr(b, _) | ExprKind::Neg(b) | ExprKind::Not(b) => visit_expr(b, f),
        ExprKind::Index(a, b) | ExprKind::Binary(_, a, b) => {
            visit_expr(a, f);
            visit_expr(b, f);
        }
        ExprKind::Filter(t, _, args) => {
            visit_expr(t, f);
            args.iter().for_each(|a| visit_expr(a, f));
        }
        ExprKind::None
        | ExprKind::Bool(_)
        | ExprKind::Number(_)
        | ExprKind::Str(_)
        | ExprKind::Var(_) => {}
    }
}
