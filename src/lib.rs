//! slipmark: receipt templates to exactly what a cloud receipt printer model needs.
//!
//! The pipeline (see `ARCHITECTURE.md`):
//!
//! ```text
//! template ─parse─▶ AST ─bind(data)─▶ Document ─prepare─▶ Document ─layout─▶ Frame ─lower─▶ Job
//!                                                 (dialect)                    (dialect)   └─▶ preview
//! ```
//!
//! - [`Environment`] compiles a [`Template`] once; [`Template::render`] binds it to data and runs
//!   [`printer::render`] for a [`printer::Printer`] (a [`printer::Dialect`] plus a
//!   [`backend::Model`] record from a [`backend::Catalogue`]), many times.
//! - The two intermediate forms are public and plain data: the bound [`document::Document`] and
//!   the laid-out [`frame::Frame`]; [`preview`] and the dialects read only the frame.
//! - [`measure`] is what a character costs on the paper (columns, dots, GBK bytes).
//! - [`cloud`] (feature `cloud`) sends jobs to the Yilianyun platform.
//!
//! ```
//! let env = slipmark::Environment::new();
//! let template = env.template_from_str("t.slip", "| 合计 | {{ total | money(\"¥\") }} |\n")?;
//! let printer = slipmark::backend::Catalogue::builtin().printer("K4")?;
//! let job = template.render(&serde_json::json!({ "total": 88.5 }), &printer)?;
//! // Spread over the 32 columns of a 58 mm paper (a full line needs no newline on a K4).
//! assert_eq!(job.content(), Some("合计                     ￥88.50"));
//! # Ok::<(), slipmark::Error>(())
//! ```
//!
//! Binding alone gives the document, with every run marked as template text or data:
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
//! // The blocks name their rows, cells and runs; the document holds them (and their text).
//! let cell = &document.cells(&document.rows(table)[0])[1];
//! assert_eq!(document.text(&document.runs(cell.runs)[0]), "¥88.50");
//!
//! // Errors point into the template; `{:#}` renders a snippet with a caret.
//! let err = env.template_from_str("bad.slip", "合计 {{ total | mony }}").unwrap_err();
//! assert_eq!(err.to_string(), "bad.slip:1:15: unknown filter `mony`");
//! # Ok::<(), slipmark::Error>(())
//! ```
#![deny(missing_docs)]

pub mod backend;
#[cfg(feature = "cloud")]
pub mod cloud;
pub mod document;
pub mod embed;
pub mod emulate;
pub mod frame;
pub mod layout;
pub mod measure;
pub mod preview;
pub mod printer;

// The machinery: public only with the `unstable_machinery` feature (for tests and tools; no
// stability promise). The stages they implement are reached through `Template`.
#[cfg(feature = "unstable_machinery")]
pub mod bind;
#[cfg(not(feature = "unstable_machinery"))]
mod bind;
#[cfg(feature = "unstable_machinery")]
pub mod syntax;
#[cfg(not(feature = "unstable_machinery"))]
mod syntax;

mod data;
mod error;
mod loader;
mod schema;
mod span;
mod spare;
mod suggest;
mod template;
mod vocab;

pub use bind::Budgets;
pub use data::Data;
pub use error::{Error, ErrorKind, Warning, WarningKind};
pub use loader::{FsLoader, Loader, MemoryLoader};
pub use span::{Source, Span, Spanned};
pub use template::{Environment, Template};
