//! The shared vocabulary of the pipeline: alignments, column widths, code kinds, styles and
//! their scales, origins, and what layout needs to know about the printer.
//!
//! These plain types are used by several stages (the AST, the bound document, the frame, the
//! backends), so they live below all of them: `syntax` names them without depending on the bound
//! document. They are reached through their public homes: [`crate::document`] re-exports
//! [`Align`], [`ColumnWidth`], [`CodeKind`], [`Style`], [`Scale`] and [`Origin`];
//! [`crate::frame`] re-exports [`StyleSupport`] and [`LayoutOptions`].

use serde::Serialize;

use crate::measure::Encoding;

/// Where a piece of text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Origin {
    /// Written in the template: trusted.
    Template,
    /// Produced from data: never markup, never an instruction.
    Data,
}

/// A magnification step, as the printers offer them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize)]
pub enum Scale {
    /// Normal size.
    #[default]
    X1,
    /// ×1.33 (`<FW>`/`<FH>`/`<FS>`): 16 dots for a half-width cell instead of 12.
    X4_3,
    /// ×2 (`<FW2>`/`<FH2>`/`<FS2>`).
    X2,
}

impl Scale {
    /// Dots taken by a glyph whose normal width is `base` dots (12 half-width, 24 full-width).
    pub fn dots(self, base: u32) -> u32 {
        match self {
            Scale::X1 => base,
            Scale::X4_3 => base * 4 / 3,
            Scale::X2 => base * 2,
        }
    }
}

/// The style of a run of text.
///
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Style {
    /// Bold (`<FB>`).
    pub bold: bool,
    /// Horizontal magnification.
    pub width: Scale,
    /// Vertical magnification.
    pub height: Scale,
}

impl Style {
    /// Plain text.
    pub const PLAIN: Style = Style {
        bold: false,
        width: Scale::X1,
        height: Scale::X1,
    };

    /// Whether the style is plain (its fields read as one word: a run's style is asked this
    /// on the render path, where `== Style::PLAIN` took a branch a field).
    #[inline]
    pub fn is_plain(self) -> bool {
        self.bits() == 0
    }

    /// Whether `self == other`, from the fields as one word (the render path's comparisons;
    /// `==`, derived, compares them one by one).
    #[inline]
    pub(crate) fn same(self, other: Style) -> bool {
        self.bits() == other.bits()
    }

    /// Its fields in one word, a byte each: equal exactly when the styles are equal (the
    /// plain style's is 0: `false` and [`Scale::X1`] are 0).
    #[inline]
    fn bits(self) -> u32 {
        u32::from(self.bold) | (self.width as u32) << 8 | (self.height as u32) << 16
    }
}

const _: () = assert!(Scale::X1 as u32 == 0);

/// Horizontal alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub enum Align {
    /// Flush left.
    #[default]
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// The width of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ColumnWidth {
    /// Exactly this many half-width columns.
    Fixed(u16),
    /// A share of what is left after fixed and fitted columns (`*`).
    Share,
    /// As wide as its widest cell, within what is left.
    Fit,
}

/// Kinds of codes and pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum CodeKind {
    /// `![qr](…)`
    Qr,
    /// `![ean13](…)`
    Ean13,
    /// `![code128](…)`, Code 128 set B.
    Code128,
    /// `![code128c](…)`, Code 128 set C (digits).
    Code128C,
    /// `![logo]()`, the logo stored on the printer.
    Logo,
}

/// The magnifications and emphasis a model can print; layout degrades anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
pub struct StyleSupport {
    /// `<FB>`.
    pub bold: bool,
    /// ×1.33 width (`<FW>`).
    pub wide: bool,
    /// ×2 width (`<FW2>`).
    pub wide2: bool,
    /// ×1.33 height (`<FH>`).
    pub tall: bool,
    /// ×2 height (`<FH2>`).
    pub tall2: bool,
}

impl StyleSupport {
    /// Everything supported.
    pub const ALL: StyleSupport = StyleSupport {
        bold: true,
        wide: true,
        wide2: true,
        tall: true,
        tall2: true,
    };
}

impl Default for StyleSupport {
    fn default() -> Self {
        StyleSupport::ALL
    }
}

/// What layout needs to know about the paper and the printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct LayoutOptions {
    /// Paper width in half-width columns (32 for 58 mm, 48 for 80 mm, 72 for 108 mm). A paper
    /// setting in the document's front matter overrides it unless the caller decides otherwise.
    pub columns: u16,
    /// The printer's encoding (width policy and printable set).
    pub encoding: Encoding,
    /// The styles the printer can print.
    pub styles: StyleSupport,
}

impl Default for LayoutOptions {
    fn default() -> Self {
        LayoutOptions {
            columns: 32,
            encoding: Encoding::Gbk,
            styles: StyleSupport::ALL,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every style of the 18: equal as words exactly when equal field by field, plain only
    /// when it is `Style::PLAIN`'s fields.
    #[test]
    fn styles_are_equal_as_words_exactly_when_their_fields_are() {
        let scales = [Scale::X1, Scale::X4_3, Scale::X2];
        let all: Vec<Style> = (0..18)
            .map(|i| Style {
                bold: i % 2 == 1,
                width: scales[i / 2 % 3],
                height: scales[i / 6],
            })
            .collect();
        for a in &all {
            let plain = !a.bold && a.width == Scale::X1 && a.height == Scale::X1;
            assert_eq!(a.is_plain(), plain, "{a:?}");
            for b in &all {
                let fields = (a.bold, a.width, a.height) == (b.bold, b.width, b.height);
                assert_eq!(a.same(*b), fields, "{a:?} {b:?}");
            }
        }
    }
}
