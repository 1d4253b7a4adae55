//! How diagnostics reach stderr: `--message-format human|short|json`, each error and warning
//! printed once.
//!
//! - `human`: the rustc-style snippet (`error[kind]: message`, `--> file:line:col`, the source
//!   line and a caret, hints);
//! - `short`: one line each, `file:line:col: message` (`…: warning: message` for warnings);
//! - `json`: one JSON object per line, for editors and CI: `severity`, `kind`, `message`,
//!   `file`, `line`, `column` (1-based, in characters), `span` (`{start, end}` bytes into the
//!   file), `hint` (absent fields are `null`).

use serde::Serialize;
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

#[derive(Serialize)]
struct Span {
    start: u32,
    end: u32,
}

#[derive(Serialize)]
struct Json<'a> {
    severity: &'a str,
    kind: &'a str,
    message: &'a str,
    file: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    span: Option<Span>,
    hint: Option<&'a str>,
}

fn json(j: &Json<'_>) -> String {
    serde_json::to_string(j).unwrap_or_default()
}

/// Prints `e` to stderr in `format`.
pub fn error(e: &Error, format: MessageFormat) {
    match format {
        MessageFormat::Human => eprintln!("{e:#}"),
        MessageFormat::Short => eprintln!("{e}"),
        MessageFormat::Json => {
            let loc = e.location();
            eprintln!(
                "{}",
                json(&Json {
                    severity: "error",
                    kind: e.kind().name(),
                    message: e.message(),
                    file: loc.map(|l| l.0),
                    line: loc.map(|l| l.1),
                    column: loc.map(|l| l.2),
                    span: e.span().filter(|_| loc.is_some()).map(|s| Span {
                        start: s.start,
                        end: s.end,
                    }),
                    hint: e.hint(),
                })
            );
        }
    }
}

/// Prints `w` (with its template's sources attached) to stderr in `format`.
pub fn warning(w: &Warning, format: MessageFormat) {
    match format {
        MessageFormat::Human => eprintln!("{w:#}"),
        MessageFormat::Short => eprintln!("{w}"),
        MessageFormat::Json => {
            let loc = w.location();
            eprintln!(
                "{}",
                json(&Json {
                    severity: "warning",
                    kind: w.kind.name(),
                    message: &w.message,
                    file: loc.map(|l| l.0),
                    line: loc.map(|l| l.1),
                    column: loc.map(|l| l.2),
                    span: loc.map(|_| Span {
                        start: w.span.start,
                        end: w.span.end,
                    }),
                    hint: w.hint.as_deref(),
                })
            );
        }
    }
}
