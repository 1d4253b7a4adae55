//! Measuring: what a character costs on the paper, under the printer's encoding.
//!
//! Every stage below `bind` measures through this module, so that all of them agree on one
//! policy: the encoding ([`Encoding`]), the printable set ([`printable`]), half-width columns and
//! dots per character ([`char_columns`], [`char_dots`], [`text_columns`]), what becomes of a
//! character the printer cannot print ([`replacement`], [`sanitize`], [`STAND_IN`]) and the
//! exact size of a text in GBK bytes ([`gbk_bytes`]).
//!
//! The printer lays glyphs on a grid of dots. At normal size a single-byte character is 12 dots
//! wide and a double-byte (GBK) one 24; a paper column is 12 dots. On a GBK printer every
//! printable character outside ASCII is double-byte, so it takes **two** columns, including the
//! East-Asian-ambiguous ones that terminals draw narrow (`·`, `—`, `“`, `×`, `①`, `°`).
//!
//! Scaled text is measured in dots: ×1.33 makes a half-width glyph 16 dots and a full-width one
//! 32; ×2 makes them 24 and 48. A run of text occupies `ceil(dots / 12)` columns, which is how the
//! vendor's own centring example counts `您好` (4, 6 and 8 columns at ×1, ×1.33, ×2).
//!
//! ```
//! use slipmark::document::Scale;
//! use slipmark::measure::{Encoding, char_columns, columns_for_dots, gbk_bytes, text_dots};
//!
//! assert_eq!(char_columns('a', Encoding::Gbk), 1);
//! assert_eq!(char_columns('·', Encoding::Gbk), 2);
//! assert_eq!(columns_for_dots(text_dots("您好", Scale::X4_3, Encoding::Gbk)), 6);
//! assert_eq!(gbk_bytes("a码😀"), 1 + 2 + 4);
//! ```
//!
//! What becomes of characters the printer cannot print (see [`replacement`]):
//!
//! | input | on paper | warning |
//! |---|---|---|
//! | printable (see [`printable`]) | itself | no |
//! | `¥` (U+00A5, not in GBK) | `￥` (U+FFE5, the GBK yen sign) | no |
//! | other spaces (no-break space, en space …) | `' '` | no |
//! | tab, line feed, carriage return, other line breaks | `' '` (data can never break a line) | yes |
//! | other control characters | removed | yes |
//! | zero-width characters (combining marks, joiners, variation selectors …) | removed | yes |
//! | anything else (emoji, `™`, `€`, Hangul …) | the stand-in [`STAND_IN`] `□` | yes |
//!
//! ```
//! use slipmark::measure::{Encoding, STAND_IN, sanitize};
//!
//! let (text, replaced) = sanitize("好😀吃", Encoding::Gbk);
//! assert_eq!(text, format!("好{STAND_IN}吃"));
//! assert_eq!(replaced[0].ch, '😀');
//! ```

mod gbk;
mod replace;
mod width;

use serde::Serialize;

pub use gbk::gbk_bytes;
pub use replace::{Replaced, Replacement, STAND_IN, readable, replacement, sanitize};
pub use width::{
    DOTS_PER_COLUMN, TextWidth, char_columns, char_dots, columns_for_dots, encoded_columns,
    printable, printable_width, text_columns, text_dots,
};
pub(crate) use width::{
    PACKED_NONE, printable_measure, printable_measure_packed, printable_measure_run,
};

/// The text encoding of a printer: decides character widths and what is printable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Encoding {
    /// GBK / GB18030 (every Yilianyun model): every printable non-ASCII character is two columns.
    #[default]
    Gbk,
}
