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

    /// Whether the style is plain.
    pub fn is_plain(self) -> bool {
        self == Style::PLAIN
    }
}

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
