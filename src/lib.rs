//! slipmark: receipt templates to exactly what a cloud receipt printer model needs.
//!
//! The pipeline (see `ARCHITECTURE.md`):
//!
//! ```text
//! template ─parse─▶ AST ─bind(data)─▶ Document ─layout─▶ Frame ─lower(model)─▶ content / preview
//! ```
#![deny(missing_docs)]

pub mod backend;
pub mod document;
pub mod error;
pub mod frame;
pub mod span;

pub use error::{Error, ErrorKind, Warning, WarningKind};
pub use span::{Source, Span, Spanned};
