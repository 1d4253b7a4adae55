//! slipmark: receipt templates to exactly what a cloud receipt printer model needs.
//!
//! The pipeline (see `ARCHITECTURE.md`):
//!
//! ```text
//! template ─parse─▶ AST ─bind(data)─▶ Document ─layout─▶ Frame ─lower(model)─▶ content / preview
//! ```
#![deny(missing_docs)]

pub mod backend;
pub mod bind;
pub mod document;
pub mod error;
pub mod frame;
pub mod loader;
pub mod span;
pub mod syntax;
mod template;

pub use bind::Budgets;
pub use error::{Error, ErrorKind, Warning, WarningKind};
pub use loader::{FsLoader, Loader, MemoryLoader};
pub use span::{Source, Span, Spanned};
pub use template::{Environment, Template};
