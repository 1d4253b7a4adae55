//! How diagnostics reach stderr: `--message-format human|short|json`, each error and warning
//! printed once.
//!
//! - `human`: the rustc-style snippet (`error[kind]: message`, `--> file:line:col`, the source
//!   line and a caret, hints);
//! - `short`: one line each, `file:line:col: message` (`…: warning: message` for warnings);
//! - `json`: one [`Diagnostic`] object per line, for editors and CI (the shape every binding
//!   returns): `severity`, `kind`, `message`, `file`, `line`, `column` (1-based, in characters),
//!   `span` (`{start, end}` bytes into the file), `hint` (absent fields are `null`), and
//!   `rendered` (the human form).

use slipmark::embed::Diagnostic;
use slipmark::{Error, Warning};

/// The `--message-format` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum MessageFormat {
    /// Snippets with carets.
    #[default]
    Human,
    /// One line per diagnostic.
    Short,
    /// One JSON object per line.
    Json,
}

fn json(d: &Diagnostic) -> String {
    serde_json::to_string(d).unwrap_or_default()
}

/// Prints `e` to stderr in `format`.
pub fn error(e: &Error, format: MessageFormat) {
    match format {
        MessageFormat::Human => eprintln!("{e:#}"),
        MessageFormat::Short => eprintln!("{e}"),
        MessageFormat::Json => eprintln!("{}", json(&Diagnostic::from_error(e))),
    }
}

/// Prints `w` (with its template's sources attached) to stderr in `format`.
pub fn warning(w: &Warning, format: MessageFormat) {
    match format {
        MessageFormat::Human => eprintln!("{w:#}"),
        MessageFormat::Short => eprintln!("{w}"),
        MessageFormat::Json => eprintln!("{}", json(&Diagnostic::from_warning(w))),
    }
}
