//! Static checks run when a template is compiled: whatever can be known without data.

use super::filters::Filter;
use crate::error::Error;
use crate::syntax::ast::{Ast, ExprKind, visit_exprs};

/// Every static error of the AST (unknown filters, wrong argument counts).
pub(crate) fn validate(ast: &Ast) -> Vec<Error> {
    let mut errors = Vec::new();
    visit_exprs(ast, &mut |e| {
        if let ExprKind::Filter(_, name, args) = &e.kind {
            if let Err(err) = Filter::resolve(name, args.len(), e.span) {
                errors.push(err);
            }
        }
    });
    errors
}
