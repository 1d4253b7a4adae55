//! Printer backends: the model catalogue (capabilities as data) and the dialects that lower a
//! [`Frame`](crate::frame::Frame) to what a model accepts.
//!
//! ```
//! use slipmark::backend::Catalogue;
//!
//! let catalogue = Catalogue::builtin();
//! let model = catalogue.resolve("K4-WA").unwrap();
//! assert_eq!(model.id, "k4-a");
//! assert_eq!(model.paper.default_columns, 32);
//! ```
//!
//! # The catalogue
//!
//! `catalogue.toml` holds one record per family of `shared/spec/yilianyun-tags.md` §1.0 (K2S/K3S/M1,
//! K4, K5, K6, K7 old firmware; X1; W1; the new-firmware K7-GHC/K7-WHC, K4-GH/K4-WH, K6-WH, M1-G,
//! W1, K5), the voice variants (`k4-a`, `k6-a`, `k7-a` with `<audio>`; `k4-s` with `<TTS>`), and
//! B1 and K8 from the v2 matrix. Families whose pages were not retrieved get the documented
//! K-series set with every capability marked *assumed* (spec §6 Q1). `slipmark models` lists it.
//!
//! # Adding or correcting a model
//!
//! Write a record in TOML or JSON (see [`Catalogue`] for the format), usually starting from the
//! closest family with `base = "…"`; load it with [`Catalogue::from_toml_str`] or
//! `slipmark models --catalogue FILE` / `slipmark render --catalogue FILE`. A record with an
//! existing id replaces the built-in one. A record's `dialect` key (`yilianyun` when absent,
//! `feieyun`, `xpyun`, `escpos`) picks the dialect that prints it: [`yilianyun`], [`feieyun`],
//! [`xpyun`] and [`escpos`] read the same frame.
//!
//! # Decisions on the spec's open questions (§6)
//!
//! | question | decision | where |
//! |---|---|---|
//! | Q1–Q3 unretrieved pages, new-firmware control tags | K-series set, all assumed; no cut on K7-GHC | `catalogue.toml` |
//! | Q4 BMP tag | not used | — |
//! | Q5 `<audio>` conflicts | 3-field form on "A" models of K4/K6/K7 (S-AUDIO), limit in characters | `settings.rs` |
//! | Q6 scale factors | ×1.33 = 16/32 dots, ×2 = 24/48, `ceil(dots/12)` columns (layout's measure, re-checked) | `text.rs` |
//! | Q7 `@@2` | never emitted; `@@` in text neutralised | `neutralise.rs` |
//! | Q8 Code128C | digits only, odd ≤ 25, even ≤ 28 | `codes.rs` |
//! | Q9 EAN-13 padding | exactly 13 digits with a valid check digit | `codes.rs` |
//! | Q10 escaping | `<` `>` → `＜` `＞`, `@@` → `＠@`, before layout; template text too | `neutralise.rs` |
//! | Q11 25-parse limit | counted combined; slipmark emits no native alignment tag | `yilianyun/mod.rs`, `verify.rs` |
//! | Q12 implicit line breaks | no `\n` after a code or after a line filled to the last dot (`full_line_wraps`, assumed) | `text.rs`, `codes.rs` |
//! | Q13 content length | 32767 characters, tags included | `catalogue.toml`, `yilianyun/mod.rs` |
//! | Q14 nesting | style tags only, never inside one another except `<FB>` around size, `<FH…>` around `<FW…>` | `text.rs` |
//! | Line ends | `\n` (one character; `\r\n` is the same newline to the printer) | `text.rs` |

mod catalogue;
pub(crate) mod checks;
pub mod escpos;
pub mod feieyun;
mod model;
mod resolve;
mod tags;
pub mod xpyun;
pub mod yilianyun;

pub use catalogue::Catalogue;
pub use model::{
    Basis, Capability, Code128CCaps, Code128Caps, Codes, CopiesCaps, DialectName, Limits, LogoForm,
    Model, NativeAlign, PaperCaps, PrintWidthCaps, QrCaps, VoiceCaps, VoiceTag, VolumeRange,
};
