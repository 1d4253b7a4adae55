//! slipmark: receipt templates to exactly what a cloud receipt printer model needs.
//!
//! The pipeline (see `ARCHITECTURE.md`):
//!
//! ```text
//! template ─parse─▶ AST ─bind(data)─▶ Document ─layout─▶ Frame ─lower(model)─▶ content / preview
//! ```
//!
//! Compile a template once with an [`Environment`], then bind it to data many times:
//!
//! ```
//! use slipmark::{document::Block, Environment};
//!
//! let env = Environment::new();
//! let template = env.template_from_str(
//!     "hello.slip",
//!     "# {{ shop }}\n| 合计 | {{ total | money(\"¥\") }} |\n",
//! )?;
//! let document = template.bind(&serde_json::json!({ "shop": "老王烧烤", "total": 88.5 }))?;
//! let Block::Table(table) = &document.blocks[1] else { panic!("a row makes a table") };
//! assert_eq!(table.rows[0].cells[1].runs[0].text, "¥88.50");
//!
//! // Errors point into the template; `{:#}` renders a snippet with a caret.
//! let err = env.template_from_str("bad.slip", "合计 {{ total | mony }}").unwrap_err();
//! assert_eq!(err.to_string(), "bad.slip:1:15: unknown filter `mony`");
//! # Ok::<(), slipmark::Error>(())
//! ```
#![deny(missing_docs)]

pub mod backend;
pub mod bind;
pub mod cloud;
pub mod document;
pub mod error;
pub mod frame;
pub mod layout;
pub mod loader;
pub mod preview;
pub mod span;
mod suggest;
pub mod syntax;
mod template;

pub use bind::Budgets;
pub use error::{Error, ErrorKind, Warning, WarningKind};
pub use loader::{FsLoader, Loader, MemoryLoader};
pub use span::{Source, Span, Spanned};
pub use template::{Environment, Template};
