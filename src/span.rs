//! Byte spans into template sources.
//!
//! Every AST node, every bound run and every frame item carries a [`Span`], so that an error found
//! late in the pipeline (a cell that overflows, a QR code too long for one model) still points into
//! the template the author wrote.

use std::fmt;
use std::sync::Arc;

/// Identifies one source file of a compiled template: `0` is the template itself, includes follow
/// in the order they were first loaded.
pub type SourceId = u32;

/// A half-open byte range `start..end` in one source.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord, serde::Serialize)]
pub struct Span {
    /// Which source the offsets refer to.
    pub source: SourceId,
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span in source `source` covering `start..end`.
    pub fn new(source: SourceId, start: usize, end: usize) -> Span {
        Span {
            source,
            start: start as u32,
            end: end as u32,
        }
    }

    /// The byte range, for slicing the source text.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// The smallest span covering both (which must be in the same source).
    pub fn to(self, other: Span) -> Span {
        Span {
            source: self.source,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// Whether the span is empty.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

impl fmt::Debug for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.source == 0 {
            write!(f, "@{}..{}", self.start, self.end)
        } else {
            write!(f, "@{}:{}..{}", self.source, self.start, self.end)
        }
    }
}

/// One named source text (a template file or an included file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The name shown in diagnostics (usually a path).
    pub name: String,
    /// The full text.
    pub text: String,
    /// For an included file, the span of the `{% include %}` that loaded it (in the including
    /// source); `None` for the template itself. Diagnostics in an included file use it to point
    /// back at the include ("included from here").
    pub included_from: Option<Span>,
}

impl Source {
    /// A new shared source.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Source> {
        Arc::new(Source {
            name: name.into(),
            text: text.into(),
            included_from: None,
        })
    }

    /// A new shared source for a file loaded by the `{% include %}` at `at`.
    pub fn included(name: impl Into<String>, text: impl Into<String>, at: Span) -> Arc<Source> {
        Arc::new(Source {
            name: name.into(),
            text: text.into(),
            included_from: Some(at),
        })
    }

    /// 1-based line and 1-based column (in characters) of a byte offset. Offsets past the end or
    /// inside a character are clamped to the nearest preceding character boundary.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset);
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }
}

/// The largest character boundary `<= offset` (clamped to the text length).
pub fn floor_char_boundary(text: &str, offset: usize) -> usize {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A value with the span it came from.
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
pub struct Spanned<T> {
    /// The value.
    pub value: T,
    /// Where it came from.
    pub span: Span,
}

impl<T> Spanned<T> {
    /// Wraps `value` with `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T: fmt::Debug> fmt::Debug for Spanned<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)?;
        write!(f, " {:?}", self.span)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = Source::new("t", "ab\n你好x");
        assert_eq!(src.line_col(0), (1, 1));
        assert_eq!(src.line_col(3), (2, 1));
        assert_eq!(src.line_col(9), (2, 3));
        // inside a character: clamped back to its start
        assert_eq!(src.line_col(4), (2, 1));
        assert_eq!(src.line_col(999), (2, 4));
    }
}
