//! Expressions: pest pairs to [`Expr`].

use pest::iterators::Pair;

use super::inline::unescape_string;
use super::{Parse, Rule};
use crate::span::{Span, Spanned};
use crate::syntax::ast::{BinOp, Expr, ExprKind};

impl Parse<'_> {
    /// Converts an expression pair (any level of the precedence ladder).
    pub(super) fn expr(&mut self, pair: Pair<'_, Rule>, base: usize) -> Expr {
        let ps = pair.as_span();
        let span = self.span(base + ps.start(), base + ps.end());
        let rule = pair.as_rule();
        let text = pair.as_str();
        let mut inner: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
        let kind = match rule {
            Rule::expr => return self.first(inner, base, span),
            Rule::or_expr | Rule::and_expr | Rule::add_expr | Rule::mul_expr | Rule::cmp_expr => {
                return self.fold(inner, base);
            }
            Rule::not_expr => {
                if inner.first().map(|p| p.as_rule()) == Some(Rule::kw_not) {
                    let operand = self.first(inner.split_off(1), base, span);
                    ExprKind::Not(Box::new(operand))
                } else {
                    return self.first(inner, base, span);
                }
            }
            Rule::unary => {
                let negs = inner.iter().filter(|p| p.as_rule() == Rule::neg).count();
                let operand = match inner.pop() {
                    Some(p) => self.expr(p, base),
                    None => return invalid(span),
                };
                let mut e = operand;
                for _ in 0..negs {
                    e = Expr::new(ExprKind::Neg(Box::new(e)), span);
                }
                return e;
            }
            Rule::filtered => return self.filtered(inner, base, span),
            Rule::postfix => return self.postfix(inner, base, span),
            Rule::list => {
                ExprKind::List(inner.pop().map(|a| self.args(a, base)).unwrap_or_default())
            }
            Rule::decimal | Rule::integer => ExprKind::Number(text.to_string()),
            Rule::string => ExprKind::Str(unescape_string(text)),
            Rule::kw_true => ExprKind::Bool(true),
            Rule::kw_false => ExprKind::Bool(false),
            Rule::kw_none => ExprKind::None,
            Rule::ident => ExprKind::Var(text.to_string()),
            _ => return invalid(span),
        };
        Expr::new(kind, span)
    }

    /// `e | name(args) | …`: each filter wraps the expression before it.
    fn filtered(&mut self, inner: Vec<Pair<'_, Rule>>, base: usize, span: Span) -> Expr {
        let mut it = inner.into_iter();
        let mut e = match it.next() {
            Some(p) => self.expr(p, base),
            None => return invalid(span),
        };
        for f in it {
            let fs = f.as_span();
            let fspan = self.span(base + fs.start(), base + fs.end());
            let mut parts = f.into_inner();
            let Some(name) = parts.next() else { continue };
            let ns = name.as_span();
            let name = Spanned::new(
                name.as_str().to_string(),
                self.span(base + ns.start(), base + ns.end()),
            );
            let args = parts.next().map(|a| self.args(a, base)).unwrap_or_default();
            let whole = e.span.to(fspan);
            e = Expr::new(ExprKind::Filter(Box::new(e), name, args), whole);
        }
        e
    }

    /// `e.name[index]…`: attribute and index accesses, left to right.
    fn postfix(&mut self, inner: Vec<Pair<'_, Rule>>, base: usize, span: Span) -> Expr {
        let mut it = inner.into_iter();
        let mut e = match it.next() {
            Some(p) => self.expr(p, base),
            None => return invalid(span),
        };
        for access in it {
            let s = access.as_span();
            let aspan = self.span(base + s.start(), base + s.end());
            let whole = e.span.to(aspan);
            let rule = access.as_rule();
            let Some(target) = access.into_inner().next() else {
                continue;
            };
            let kind = if rule == Rule::attr {
                let ts = target.as_span();
                let name = Spanned::new(
                    target.as_str().to_string(),
                    self.span(base + ts.start(), base + ts.end()),
                );
                ExprKind::Attr(Box::new(e), name)
            } else {
                ExprKind::Index(Box::new(e), Box::new(self.expr(target, base)))
            };
            e = Expr::new(kind, whole);
        }
        e
    }

    fn first(&mut self, inner: Vec<Pair<'_, Rule>>, base: usize, span: crate::span::Span) -> Expr {
        match inner.into_iter().next() {
            Some(p) => self.expr(p, base),
            None => invalid(span),
        }
    }

    /// Left-associative chain: operand (op operand)*.
    fn fold(&mut self, inner: Vec<Pair<'_, Rule>>, base: usize) -> Expr {
        let mut it = inner.into_iter();
        let Some(first) = it.next() else {
            return invalid(crate::span::Span::default());
        };
        let mut left = self.expr(first, base);
        while let (Some(op), Some(right)) = (it.next(), it.next()) {
            let op = match op
                .as_str()
                .split_whitespace()
                .collect::<Vec<_>>()
                .as_slice()
            {
                ["or"] => BinOp::Or,
                ["and"] => BinOp::And,
                ["+"] => BinOp::Add,
                ["-"] => BinOp::Sub,
                ["*"] => BinOp::Mul,
                ["/"] => BinOp::Div,
                ["%"] => BinOp::Rem,
                ["=="] => BinOp::Eq,
                ["!="] => BinOp::Ne,
                ["<"] => BinOp::Lt,
                ["<="] => BinOp::Le,
                [">"] => BinOp::Gt,
                [">="] => BinOp::Ge,
                ["in"] => BinOp::In,
                ["not", "in"] => BinOp::NotIn,
                _ => BinOp::Eq,
            };
            let right = self.expr(right, base);
            let span = left.span.to(right.span);
            left = Expr::new(ExprKind::Binary(op, Box::new(left), Box::new(right)), span);
        }
        left
    }

    fn args(&mut self, pair: Pair<'_, Rule>, base: usize) -> Vec<Expr> {
        pair.into_inner().map(|p| self.expr(p, base)).collect()
    }
}

/// A placeholder for a pair that cannot be converted (the grammar makes this unreachable).
fn invalid(span: crate::span::Span) -> Expr {
    Expr::new(ExprKind::None, span)
}
