//! Stage 1: template text to a typed, spanned AST.
//!
//! [`parse`] is the entry point. pest is confined to the private `parser` module; everything else sees only
//! [`ast`].

pub mod ast;
mod nest;
mod parser;
pub(crate) mod plan;

pub use parser::parse;
