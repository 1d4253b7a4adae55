//! Capability records: what one printer model (family) can print, as data.
//!
//! A [`Model`] is deserialised from the built-in catalogue (`catalogue.toml`) or from a user's
//! TOML/JSON file. Every capability, present or absent, is either *documented* (read in the
//! vendor's pages, see `shared/spec/yilianyun-tags.md`) or *assumed* (the page was not retrieved
//! or was cut off); [`Model::assumed`] lists the assumed ones, so that `slipmark models` can say
//! which parts of a record are guesses a user may need to correct.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::frame::{LayoutOptions, StyleSupport};
use crate::measure::Encoding;

/// One printer model family (or a voice variant of one), resolved from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Model {
    /// Family id, lowercase (`k4`, `k4-a`, `x1`, `feieyun-58`, …).
    pub id: String,
    /// How the printer is spoken to (`yilianyun` when the record does not say).
    #[serde(default)]
    pub dialect: DialectName,
    /// Display name (`K7/K6/K5/K4 (old firmware)`).
    pub name: String,
    /// The series prefixes of concrete model numbers this record is the fallback for (`K4` for
    /// `K4-WGEAD`); empty if the record only matches its id and [`Model::models`].
    #[serde(default)]
    pub series: Vec<String>,
    /// Within its series, the letter of the model number that selects this record (`A` for AI
    /// voice `<audio>`, `S` for `<TTS>`).
    #[serde(default)]
    pub letter: Option<char>,
    /// Concrete model numbers that resolve to this record exactly (`K4-WA`, `K7-WEADC`, …).
    #[serde(default)]
    pub models: Vec<String>,
    /// Where the facts come from (source keys of the spec).
    #[serde(default)]
    pub source: String,
    /// Paper widths.
    pub paper: PaperCaps,
    /// The text encoding (width policy and printable set).
    #[serde(default)]
    pub encoding: Encoding,
    /// Style tags (`<FB>`, `<FW>`, `<FW2>`, `<FH>`, `<FH2>`; `<FS>`/`<FS2>` need both axes).
    pub styles: StyleSupport,
    /// Native alignment tags (counted against [`Limits::native_budget`]).
    pub align: NativeAlign,
    /// QR codes, barcodes and the logo.
    pub codes: Codes,
    /// `<MN>` copies, if the model has it.
    #[serde(default)]
    pub copies: Option<CopiesCaps>,
    /// `<MA>` new-order reminder.
    #[serde(default)]
    pub reminder: bool,
    /// `<MS>` new-order sound.
    #[serde(default)]
    pub sound: bool,
    /// `<MC>` order confirmation.
    #[serde(default)]
    pub confirm: bool,
    /// `<MK>` paper cut at the end of the order.
    #[serde(default)]
    pub cut: bool,
    /// A cash drawer port (ESC/POS `ESC p`, Feieyun `<PLUGIN>`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drawer: bool,
    /// `<RS>` line spacing.
    #[serde(default)]
    pub row_spacing: bool,
    /// `<PW>nnn</PW>` print width in mm (K5).
    #[serde(default)]
    pub print_width: Option<PrintWidthCaps>,
    /// Voice on arrival (`<audio>` on "A" models, `<TTS>` on "S" models).
    #[serde(default)]
    pub voice: Option<VoiceCaps>,
    /// Size and budget limits.
    pub limits: Limits,
    /// Whether a line filled to exactly the paper width ends by itself, so that a following
    /// newline would print an empty line (the official demo writes a full 32-column line with no
    /// newline; spec §2 and §6 Q12).
    pub full_line_wraps: bool,
    /// The capabilities (present or absent) that are assumed rather than documented.
    #[serde(default)]
    pub assumed: BTreeSet<Capability>,
    /// Free-form remarks shown by `slipmark models`.
    #[serde(default)]
    pub notes: Vec<String>,
}

/// Which dialect a model record is printed in: the `dialect` key of a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum DialectName {
    /// Yilianyun (易联云) tag text: [`crate::backend::yilianyun`].
    #[default]
    Yilianyun,
    /// Feieyun (飞鹅云) tag text: [`crate::backend::feieyun`].
    Feieyun,
    /// Xpyun (芯烨云) tag text: [`crate::backend::xpyun`].
    Xpyun,
    /// ESC/POS bytes for local and LAN printers: [`crate::backend::escpos`].
    Escpos,
}

impl DialectName {
    /// The name used in records (`yilianyun`, `feieyun`, `xpyun`, `escpos`).
    pub fn name(self) -> &'static str {
        match self {
            DialectName::Yilianyun => "yilianyun",
            DialectName::Feieyun => "feieyun",
            DialectName::Xpyun => "xpyun",
            DialectName::Escpos => "escpos",
        }
    }
}

/// Paper widths, in half-width columns (12 dots each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaperCaps {
    /// The paper the model is sold with (32 = 58 mm, 48 = 80 mm, 72 = 108 mm).
    pub default_columns: u16,
    /// The widest line it can print.
    pub max_columns: u16,
}

/// Native alignment tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeAlign {
    /// `<center>`.
    #[serde(default)]
    pub center: bool,
    /// `<right>`.
    #[serde(default)]
    pub right: bool,
    /// `<LR>l,r</LR>`.
    #[serde(default)]
    pub left_right: bool,
    /// `<table>` with 3–4 cells per row.
    #[serde(default)]
    pub table: bool,
}

/// Codes and pictures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Codes {
    /// `<QR>`.
    #[serde(default)]
    pub qr: Option<QrCaps>,
    /// `<BR>` EAN-13 (13 digits).
    #[serde(default)]
    pub ean13: bool,
    /// `<BR2>` Code 128 set B.
    #[serde(default)]
    pub code128: Option<Code128Caps>,
    /// `<BR3>` Code 128 set C (digits).
    #[serde(default)]
    pub code128c: Option<Code128CCaps>,
    /// How the logo stored on the printer is printed, if at all.
    #[serde(default)]
    pub logo: Option<LogoForm>,
}

/// QR limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QrCaps {
    /// Most bytes of data, counted as GBK: ASCII 1, any other BMP character 2, characters outside
    /// the BMP 4 (GB18030). "192 ASCII or 96 Chinese characters" is a 192-byte budget.
    pub max_bytes: u16,
    /// Most QR codes in one job, if the printer limits them (Feieyun and Xpyun: one per order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_per_job: Option<u16>,
}

/// Code 128 B limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code128Caps {
    /// Most characters (printable ASCII only).
    pub max_len: u16,
}

/// Code 128 C limits (digits only, spec §6 Q8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Code128CCaps {
    /// Longest odd-length data.
    pub max_odd: u16,
    /// Longest even-length data.
    pub max_even: u16,
}

/// How the stored logo is switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum LogoForm {
    /// `<ML>1</ML>` at the start of the order (X1): the printer prints its stored logo.
    MlSwitch,
    /// A tag where the logo stands (Feieyun `<LOGO>`).
    Tag,
}

/// `<MN>` range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopiesCaps {
    /// Fewest copies.
    pub min: u8,
    /// Most copies.
    pub max: u8,
}

/// `<PW>` range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrintWidthCaps {
    /// Widest print width in mm (three digits on the wire).
    pub max_mm: u16,
}

/// Which voice tag a model speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum VoiceTag {
    /// `<audio>text,volume,voice</audio>` (models with "A" in the number).
    Audio,
    /// `<TTS>text</TTS>` (K4 models with "S" in the number).
    Tts,
}

/// Voice limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoiceCaps {
    /// The tag.
    pub tag: VoiceTag,
    /// Most characters spoken (longer text is not spoken at all, so it is an error).
    pub max_chars: u16,
    /// Volume range, if the tag has a volume field.
    #[serde(default)]
    pub volume: Option<VolumeRange>,
}

/// An inclusive volume range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VolumeRange {
    /// Lowest.
    pub min: u8,
    /// Highest.
    pub max: u8,
    /// Used when the template sets none.
    pub default: u8,
}

/// Per-job limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    /// Most native alignment tags (`<center>`, `<right>`, `<LR>`, `<table>`) per job, counted
    /// together (spec §6 Q11: per type or combined is unknown; combined is the safe reading).
    pub native_budget: u16,
    /// Most characters in the whole content string, tags included.
    pub max_content_chars: u32,
    /// Most bytes of the content as sent (UTF-8 for the cloud APIs, the raw bytes for ESC/POS),
    /// where the vendor counts bytes (Feieyun: 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_content_bytes: Option<u32>,
}

/// A capability that can be marked assumed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Capability {
    /// Paper widths.
    Paper,
    /// Style tags.
    Styles,
    /// `<center>`.
    Center,
    /// `<right>`.
    Right,
    /// `<LR>`.
    LeftRight,
    /// `<table>`.
    Table,
    /// `<QR>`.
    Qr,
    /// `<BR>`.
    Ean13,
    /// `<BR2>`.
    Code128,
    /// `<BR3>`.
    Code128c,
    /// The stored logo.
    Logo,
    /// `<MN>`.
    Copies,
    /// `<MA>`.
    Reminder,
    /// `<MS>`.
    Sound,
    /// `<MC>`.
    Confirm,
    /// `<MK>`.
    Cut,
    /// `<RS>`.
    RowSpacing,
    /// `<PW>`.
    PrintWidth,
    /// `<audio>` / `<TTS>`.
    Voice,
    /// The limits.
    Limits,
    /// [`Model::full_line_wraps`].
    FullLineWraps,
    /// The cash drawer port.
    Drawer,
}

impl Capability {
    /// Every capability, in display order.
    pub const ALL: [Capability; 22] = [
        Capability::Paper,
        Capability::Styles,
        Capability::Center,
        Capability::Right,
        Capability::LeftRight,
        Capability::Table,
        Capability::Qr,
        Capability::Ean13,
        Capability::Code128,
        Capability::Code128c,
        Capability::Logo,
        Capability::Copies,
        Capability::Reminder,
        Capability::Sound,
        Capability::Confirm,
        Capability::Cut,
        Capability::RowSpacing,
        Capability::PrintWidth,
        Capability::Voice,
        Capability::Limits,
        Capability::FullLineWraps,
        Capability::Drawer,
    ];

    /// The name used in records and listings (`left-right`, `code128c`).
    pub fn name(self) -> &'static str {
        match self {
            Capability::Paper => "paper",
            Capability::Styles => "styles",
            Capability::Center => "center",
            Capability::Right => "right",
            Capability::LeftRight => "left-right",
            Capability::Table => "table",
            Capability::Qr => "qr",
            Capability::Ean13 => "ean13",
            Capability::Code128 => "code128",
            Capability::Code128c => "code128c",
            Capability::Logo => "logo",
            Capability::Copies => "copies",
            Capability::Reminder => "reminder",
            Capability::Sound => "sound",
            Capability::Confirm => "confirm",
            Capability::Cut => "cut",
            Capability::RowSpacing => "row-spacing",
            Capability::PrintWidth => "print-width",
            Capability::Voice => "voice",
            Capability::Limits => "limits",
            Capability::FullLineWraps => "full-line-wraps",
            Capability::Drawer => "drawer",
        }
    }
}

/// Whether a capability's presence or absence was read in the vendor's docs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Basis {
    /// Read in the docs.
    Documented,
    /// Not seen; a best guess the user can correct.
    Assumed,
}

impl Model {
    /// The options layout needs for this model on a paper of `columns`: its encoding and the
    /// styles it can print. (Which paper: [`Printer::paper_columns`](crate::printer::Printer::paper_columns).)
    pub fn layout_options(&self, columns: u16) -> LayoutOptions {
        LayoutOptions {
            columns,
            encoding: self.encoding,
            styles: self.styles,
        }
    }

    /// Whether `cap` is documented or assumed for this model.
    pub fn basis(&self, cap: Capability) -> Basis {
        if self.assumed.contains(&cap) {
            Basis::Assumed
        } else {
            Basis::Documented
        }
    }

    /// Whether the model has `cap` at all.
    pub fn has(&self, cap: Capability) -> bool {
        match cap {
            Capability::Paper | Capability::Limits => true,
            Capability::Styles => self.styles != StyleSupport::NONE_SUPPORTED,
            Capability::Center => self.align.center,
            Capability::Right => self.align.right,
            Capability::LeftRight => self.align.left_right,
            Capability::Table => self.align.table,
            Capability::Qr => self.codes.qr.is_some(),
            Capability::Ean13 => self.codes.ean13,
            Capability::Code128 => self.codes.code128.is_some(),
            Capability::Code128c => self.codes.code128c.is_some(),
            Capability::Logo => self.codes.logo.is_some(),
            Capability::Copies => self.copies.is_some(),
            Capability::Reminder => self.reminder,
            Capability::Sound => self.sound,
            Capability::Confirm => self.confirm,
            Capability::Cut => self.cut,
            Capability::RowSpacing => self.row_spacing,
            Capability::PrintWidth => self.print_width.is_some(),
            Capability::Voice => self.voice.is_some(),
            Capability::FullLineWraps => self.full_line_wraps,
            Capability::Drawer => self.drawer,
        }
    }

    /// Removes `cap` (used by user records' `lacks = [...]`). Paper and limits cannot be removed.
    pub fn remove(&mut self, cap: Capability) {
        match cap {
            Capability::Paper | Capability::Limits => {}
            Capability::Styles => self.styles = StyleSupport::NONE_SUPPORTED,
            Capability::Center => self.align.center = false,
            Capability::Right => self.align.right = false,
            Capability::LeftRight => self.align.left_right = false,
            Capability::Table => self.align.table = false,
            Capability::Qr => self.codes.qr = None,
            Capability::Ean13 => self.codes.ean13 = false,
            Capability::Code128 => self.codes.code128 = None,
            Capability::Code128c => self.codes.code128c = None,
            Capability::Logo => self.codes.logo = None,
            Capability::Copies => self.copies = None,
            Capability::Reminder => self.reminder = false,
            Capability::Sound => self.sound = false,
            Capability::Confirm => self.confirm = false,
            Capability::Cut => self.cut = false,
            Capability::RowSpacing => self.row_spacing = false,
            Capability::PrintWidth => self.print_width = None,
            Capability::Voice => self.voice = None,
            Capability::FullLineWraps => self.full_line_wraps = false,
            Capability::Drawer => self.drawer = false,
        }
    }
}

/// Extension for [`StyleSupport`], kept here so that the shared frame module stays unchanged.
trait NoStyles {
    const NONE_SUPPORTED: StyleSupport;
}

impl NoStyles for StyleSupport {
    const NONE_SUPPORTED: StyleSupport = StyleSupport {
        bold: false,
        wide: false,
        wide2: false,
        tall: false,
        tall2: false,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capability_names_match_serde_names() {
        for cap in Capability::ALL {
            let json = serde_json::to_string(&cap).unwrap();
            assert_eq!(json, format!("\"{}\"", cap.name()));
        }
    }

    #[test]
    fn removing_a_capability_makes_has_false() {
        let mut model = crate::backend::Catalogue::builtin()
            .resolve("x1")
            .unwrap()
            .clone();
        for cap in Capability::ALL {
            model.remove(cap);
            let kept = matches!(cap, Capability::Paper | Capability::Limits);
            assert_eq!(model.has(cap), kept, "{cap:?}");
        }
    }
}
