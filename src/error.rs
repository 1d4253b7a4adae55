//! The one public error type, and warnings.
//!
//! An [`Error`] is data: a kind, a lowercase one-line message, an optional span into a named
//! source, secondary labels and a hint. `Display` prints one line; the alternate form (`{:#}`)
//! prints a rustc-style snippet whose caret is placed by display width, so that Chinese text before
//! the error counts two columns.

use std::fmt;
use std::sync::Arc;

use unicode_width::UnicodeWidthChar;

use crate::span::{Source, Span, floor_char_boundary};

/// What went wrong, broadly. Match on this, not on messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The template text does not follow the grammar.
    Syntax,
    /// A variable or attribute that is not defined (and not guarded).
    UndefinedVariable,
    /// A value of the wrong type for an operation or filter.
    Type,
    /// An unknown filter, or a filter called with the wrong arguments.
    Filter,
    /// Division by zero, overflow or another arithmetic failure.
    Arithmetic,
    /// An include that cannot be loaded, or that includes itself.
    Include,
    /// A budget (loop fuel, recursion, include depth, output size) ran out.
    Budget,
    /// A front-matter job setting with an invalid value.
    Setting,
    /// Content that cannot be laid out on the paper.
    Layout,
    /// Content that the chosen printer model cannot print (a missing capability or a limit).
    Model,
    /// An unknown printer model name.
    UnknownModel,
    /// Data that cannot be read (malformed JSON, not serialisable).
    Data,
    /// A file could not be read.
    Io,
}

impl ErrorKind {
    /// A short lowercase name, as printed in diagnostics (`error[syntax]`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Syntax => "syntax",
            ErrorKind::UndefinedVariable => "undefined",
            ErrorKind::Type => "type",
            ErrorKind::Filter => "filter",
            ErrorKind::Arithmetic => "arithmetic",
            ErrorKind::Include => "include",
            ErrorKind::Budget => "budget",
            ErrorKind::Setting => "setting",
            ErrorKind::Layout => "layout",
            ErrorKind::Model => "model",
            ErrorKind::UnknownModel => "unknown-model",
            ErrorKind::Data => "data",
            ErrorKind::Io => "io",
        }
    }
}

/// The shape errors and warnings share, borrowed for rendering: the one-line form and the
/// rustc-style snippet are written here, once, for both.
struct Diagnostic<'a> {
    /// `error` or `warning`.
    severity: &'static str,
    /// The kind's short name (`syntax`, `replaced-char`).
    kind: &'static str,
    message: &'a str,
    span: Option<Span>,
    labels: &'a [(Span, String)],
    hint: Option<&'a str>,
    sources: &'a [Arc<Source>],
}

impl<'a> Diagnostic<'a> {
    /// The source the primary span points into, if attached.
    fn source(&self) -> Option<&'a Source> {
        let span = self.span?;
        self.sources.get(span.source as usize).map(|s| &**s)
    }

    /// `(name, line, column)` of the primary span, if its source is attached.
    fn location(&self) -> Option<(&'a str, usize, usize)> {
        let span = self.span?;
        let src = self.source()?;
        let (line, col) = src.line_col(span.start as usize);
        Some((&src.name, line, col))
    }

    /// `file:line:col: ` (if known), then `prefix` and the message.
    fn write_line(&self, f: &mut fmt::Formatter<'_>, prefix: &str) -> fmt::Result {
        if let Some((name, line, col)) = self.location() {
            write!(f, "{name}:{line}:{col}: ")?;
        }
        write!(f, "{prefix}{}", self.message)
    }

    /// The rustc-style snippet: header, primary snippet, labels (each with its own snippet, or as
    /// notes when there is no source), hint.
    fn write_snippet(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}[{}]: {}", self.severity, self.kind, self.message)?;
        if let (Some(span), Some(src)) = (self.span, self.source()) {
            let (line, col) = src.line_col(span.start as usize);
            writeln!(f, "  --> {}:{}:{}", src.name, line, col)?;
            write_snippet(f, src, span, "")?;
            for (lspan, text) in self.labels {
                if let Some(lsrc) = self.sources.get(lspan.source as usize) {
                    let (l, c) = lsrc.line_col(lspan.start as usize);
                    writeln!(f, "  ::: {}:{}:{}", lsrc.name, l, c)?;
                    write_snippet(f, lsrc, *lspan, text)?;
                }
            }
        } else {
            for (_, text) in self.labels {
                writeln!(f, "  = note: {text}")?;
            }
        }
        if let Some(hint) = self.hint {
            writeln!(f, "  = hint: {hint}")?;
        }
        Ok(())
    }
}

/// The label text pointing at the `{% include %}` that loaded an included source.
const INCLUDED_FROM_HERE: &str = "included from here";

/// Labels from a span in an included source up through the includes that brought it in: one
/// "included from here" at each `{% include %}`, innermost first.
fn include_chain(sources: &[Arc<Source>], span: Span) -> Vec<(Span, String)> {
    let mut chain = Vec::new();
    let mut at = span.source;
    // Every include is loaded after the source that names it, so ids fall; the bound is a guard.
    while chain.len() < sources.len() {
        match sources.get(at as usize).and_then(|s| s.included_from) {
            Some(inc) if inc.source != at => {
                chain.push((inc, INCLUDED_FROM_HERE.to_string()));
                at = inc.source;
            }
            _ => break,
        }
    }
    chain
}

/// The optional underlying error (I/O, TOML, JSON) kept behind an [`Error`].
type Cause = Arc<dyn std::error::Error + Send + Sync + 'static>;

/// A slipmark error. Cheap to move (one box).
///
/// [`std::error::Error::source`] returns the underlying error, if there is one (the
/// [`std::io::Error`] behind an unreadable file, the TOML or JSON error behind a bad model
/// file); [`Error::template_source`] is the template [`Source`] the span points into.
#[derive(Clone)]
pub struct Error(Box<Inner>);

#[derive(Clone)]
struct Inner {
    kind: ErrorKind,
    message: String,
    span: Option<Span>,
    hint: Option<String>,
    labels: Vec<(Span, String)>,
    sources: Vec<Arc<Source>>,
    cause: Option<Cause>,
}

impl Error {
    /// A new error of `kind` with a one-line `message` (lowercase, no trailing period).
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Error {
        Error(Box::new(Inner {
            kind,
            message: message.into(),
            span: None,
            hint: None,
            labels: Vec::new(),
            sources: Vec::new(),
            cause: None,
        }))
    }

    /// Attaches the primary span (keeps an existing one: the innermost cause wins).
    pub fn at(mut self, span: Span) -> Error {
        if self.0.span.is_none() {
            self.0.span = Some(span);
        }
        self
    }

    /// Adds advice, printed as `= hint: …`.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Error {
        self.0.hint = Some(hint.into());
        self
    }

    /// Adds a secondary label at another span.
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Error {
        self.0.labels.push((span, text.into()));
        self
    }

    /// Keeps the underlying error (returned by [`std::error::Error::source`]). The message
    /// should still say what went wrong on its own: the cause is for programs, not for people.
    pub fn with_cause(mut self, cause: impl std::error::Error + Send + Sync + 'static) -> Error {
        self.0.cause = Some(Arc::new(cause));
        self
    }

    /// Takes over `other`'s underlying error, if any (when an error is rewrapped).
    pub(crate) fn with_cause_of(mut self, other: &Error) -> Error {
        if let Some(cause) = &other.0.cause {
            self.0.cause = Some(Arc::clone(cause));
        }
        self
    }

    /// Attaches the source table that spans refer to (index = [`Span::source`]). Keeps an existing
    /// table. When the primary span is in an included source, adds an "included from here"
    /// label at each `{% include %}` that brought it in.
    pub fn with_sources(mut self, sources: &[Arc<Source>]) -> Error {
        if self.0.sources.is_empty() && !sources.is_empty() {
            self.0.sources = sources.to_vec();
            if let Some(span) = self.0.span {
                self.0.labels.extend(include_chain(sources, span));
            }
        }
        self
    }

    /// The kind.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }

    /// The one-line message.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The primary span, if any.
    pub fn span(&self) -> Option<Span> {
        self.0.span
    }

    /// The hint, if any.
    pub fn hint(&self) -> Option<&str> {
        self.0.hint.as_deref()
    }

    /// Secondary labels (including the "included from here" chain once sources are attached).
    pub fn labels(&self) -> &[(Span, String)] {
        &self.0.labels
    }

    /// The template source (the template or an included file) the primary span points into, if
    /// the source table is attached. Not to be confused with [`std::error::Error::source`], the
    /// underlying error.
    pub fn template_source(&self) -> Option<&Source> {
        self.diagnostic().source()
    }

    /// `(name, line, column)` of the primary span (1-based, columns in characters), if known.
    pub fn location(&self) -> Option<(&str, usize, usize)> {
        self.diagnostic().location()
    }

    fn diagnostic(&self) -> Diagnostic<'_> {
        Diagnostic {
            severity: "error",
            kind: self.0.kind.name(),
            message: &self.0.message,
            span: self.0.span,
            labels: &self.0.labels,
            hint: self.0.hint.as_deref(),
            sources: &self.0.sources,
        }
    }
}

/// Terminal width of one character in a snippet: CJK counts 2, tabs 4, controls 1 (they are
/// shown as `�`).
fn snippet_char(c: char) -> (char, usize) {
    match c {
        '\t' => (' ', 4),
        c if c.is_control() => ('\u{fffd}', 1),
        c => (c, c.width().unwrap_or(0)),
    }
}

fn write_snippet(f: &mut fmt::Formatter<'_>, src: &Source, span: Span, label: &str) -> fmt::Result {
    let text = &src.text;
    let start = floor_char_boundary(text, span.start as usize);
    let end = floor_char_boundary(text, span.end as usize).max(start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let line_no = text[..start].matches('\n').count() + 1;
    let gutter = line_no.to_string().len();
    let mut shown = String::new();
    let mut caret_col = 0;
    let mut caret_len = 0;
    for (i, c) in text[line_start..line_end].char_indices() {
        let at = line_start + i;
        let (c, w) = snippet_char(c);
        if c == ' ' && w == 4 {
            shown.push_str("    ");
        } else if c != '\r' {
            shown.push(c);
        }
        if at < start {
            caret_col += w;
        } else if at < end {
            caret_len += w;
        }
    }
    let caret_len = caret_len.max(1);
    writeln!(f, "{:gutter$} |", "")?;
    writeln!(f, "{line_no} | {}", shown.trim_end_matches('\r'))?;
    let carets = "^".repeat(caret_len);
    if label.is_empty() {
        writeln!(f, "{:gutter$} | {:caret_col$}{carets}", "", "")
    } else {
        writeln!(f, "{:gutter$} | {:caret_col$}{carets} {label}", "", "")
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            self.diagnostic().write_snippet(f)
        } else {
            self.diagnostic().write_line(f, "")
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Error");
        d.field("kind", &self.0.kind)
            .field("message", &self.0.message);
        if let Some(span) = self.0.span {
            d.field("span", &span);
        }
        if let Some(hint) = &self.0.hint {
            d.field("hint", hint);
        }
        if let Some(cause) = &self.0.cause {
            d.field("cause", &cause.to_string());
        }
        d.finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .cause
            .as_deref()
            .map(|c| c as &(dyn std::error::Error + 'static))
    }
}

/// What a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[non_exhaustive]
pub enum WarningKind {
    /// A character the printer cannot print was replaced by a stand-in.
    ReplacedChar,
    /// A style the model lacks was degraded to the nearest one it has.
    DegradedStyle,
    /// Something the model ignores or only approximates.
    Approximated,
    /// A number wider than its column had to be split over two lines (no column could give
    /// way).
    SplitNumber,
    /// A statement whose effect is lost (a `{% set %}` inside a loop body).
    LostAssignment,
}

impl WarningKind {
    /// A short lowercase name, as printed in diagnostics (`warning[replaced-char]`).
    pub fn name(self) -> &'static str {
        match self {
            WarningKind::ReplacedChar => "replaced-char",
            WarningKind::DegradedStyle => "degraded-style",
            WarningKind::Approximated => "approximated",
            WarningKind::SplitNumber => "split-number",
            WarningKind::LostAssignment => "lost-assignment",
        }
    }
}

/// A warning returned with the rendered output (never printed to stderr by the library).
///
/// Same shape as an [`Error`]: `Display` prints one line (`file:line:col: warning: message`
/// once the sources are attached with [`Warning::with_sources`], as [`crate::Template::render`]
/// does), and `{:#}` prints the same rustc-style snippet as errors, headed
/// `warning[replaced-char]`. Serialises as `{kind, message, span}`, plus `hint` and `labels`
/// when there are any.
#[derive(Clone, serde::Serialize)]
pub struct Warning {
    /// What it is about.
    pub kind: WarningKind,
    /// One lowercase line.
    pub message: String,
    /// Where in the template.
    pub span: Span,
    /// Advice, printed as `= hint: …`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    labels: Vec<(Span, String)>,
    #[serde(skip)]
    sources: Vec<Arc<Source>>,
}

impl Warning {
    /// A new warning of `kind` at `span` with a one-line `message`.
    pub fn new(kind: WarningKind, message: impl Into<String>, span: Span) -> Warning {
        Warning {
            kind,
            message: message.into(),
            span,
            hint: None,
            labels: Vec::new(),
            sources: Vec::new(),
        }
    }

    /// Adds advice, printed as `= hint: …`.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Warning {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a secondary label at another span.
    pub fn with_label(mut self, span: Span, text: impl Into<String>) -> Warning {
        self.labels.push((span, text.into()));
        self
    }

    /// Attaches the source table that spans refer to, as [`Error::with_sources`] does (keeps an
    /// existing table; adds the "included from here" chain).
    pub fn with_sources(mut self, sources: &[Arc<Source>]) -> Warning {
        if self.sources.is_empty() && !sources.is_empty() {
            self.sources = sources.to_vec();
            self.labels.extend(include_chain(sources, self.span));
        }
        self
    }

    /// Secondary labels (including the "included from here" chain once sources are attached).
    pub fn labels(&self) -> &[(Span, String)] {
        &self.labels
    }

    /// The template source the span points into, if the source table is attached.
    pub fn template_source(&self) -> Option<&Source> {
        self.diagnostic().source()
    }

    /// `(name, line, column)` of the span (1-based, columns in characters), if the sources are
    /// attached.
    pub fn location(&self) -> Option<(&str, usize, usize)> {
        self.diagnostic().location()
    }

    fn diagnostic(&self) -> Diagnostic<'_> {
        Diagnostic {
            severity: "warning",
            kind: self.kind.name(),
            message: &self.message,
            span: Some(self.span),
            labels: &self.labels,
            hint: self.hint.as_deref(),
            sources: &self.sources,
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if f.alternate() {
            self.diagnostic().write_snippet(f)
        } else {
            self.diagnostic().write_line(f, "warning: ")
        }
    }
}

impl fmt::Debug for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("Warning");
        d.field("kind", &self.kind)
            .field("message", &self.message)
            .field("span", &self.span);
        if let Some(hint) = &self.hint {
            d.field("hint", hint);
        }
        if !self.labels.is_empty() {
            d.field("labels", &self.labels);
        }
        d.finish()
    }
}

/// Equal when kind, message, span, hint and labels are (whether sources are attached does not
/// matter).
impl PartialEq for Warning {
    fn eq(&self, other: &Warning) -> bool {
        self.kind == other.kind
            && self.message == other.message
            && self.span == other.span
            && self.hint == other.hint
            && self.labels == other.labels
    }
}

impl Eq for Warning {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caret_counts_cjk_as_two_columns() {
        let src = Source::new("t.slip", "# 你好 {{ x }\n");
        let err = Error::new(ErrorKind::Syntax, "unclosed expression")
            .at(Span::new(0, 9, 11))
            .with_sources(&[src])
            .with_hint("add `}}`");
        assert_eq!(err.to_string(), "t.slip:1:6: unclosed expression");
        let rendered = format!("{err:#}");
        let lines: Vec<&str> = rendered.lines().collect();
        assert_eq!(lines[1], "  --> t.slip:1:6");
        assert_eq!(lines[3], "1 | # 你好 {{ x }");
        // "# 你好 " is 1+1+2+2+1 = 7 columns
        assert_eq!(lines[4], "  |        ^^");
        assert_eq!(lines[5], "  = hint: add `}}`");
    }

    #[test]
    fn display_without_source_is_just_the_message() {
        let err = Error::new(ErrorKind::Budget, "loop fuel exhausted").at(Span::new(0, 0, 1));
        assert_eq!(err.to_string(), "loop fuel exhausted");
        assert_eq!(format!("{err:#}"), "error[budget]: loop fuel exhausted\n");
    }

    #[test]
    fn warnings_serialise_hint_and_labels_only_when_present() {
        let w = Warning::new(WarningKind::DegradedStyle, "no bold", Span::new(1, 0, 2));
        let keys = |w: &Warning| -> Vec<String> {
            let v = serde_json::to_value(w).unwrap();
            v.as_object().unwrap().keys().cloned().collect()
        };
        assert_eq!(keys(&w), ["kind", "message", "span"]);
        let sources = [
            Source::new("t.slip", "{% include \"f.inc\" %}\n"),
            Source::included("f.inc", "**x**\n", Span::new(0, 0, 20)),
        ];
        let w = w.with_hint("use a model with bold").with_sources(&sources);
        assert_eq!(keys(&w), ["hint", "kind", "labels", "message", "span"]);
        assert_eq!(w.to_string(), "f.inc:1:1: warning: no bold");
        let rendered = format!("{w:#}");
        assert!(
            rendered.starts_with("warning[degraded-style]: no bold\n  --> f.inc:1:1\n"),
            "{rendered}"
        );
        assert!(
            rendered.contains("  ::: t.slip:1:1\n  |\n1 | {% include \"f.inc\" %}\n  | ^^^^^^^^^^^^^^^^^^^^ included from here\n"),
            "{rendered}"
        );
        // Attaching sources does not change equality.
        assert_eq!(w.clone().with_sources(&sources), w);
    }
}
