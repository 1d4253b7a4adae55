//! Printer backends: the model catalogue (capabilities as data) and the dialects that lower a
//! [`Frame`](crate::frame::Frame) to what a model accepts.
//!
//! ```
//! use slipmark::backend::Catalogue;
//!
//! let catalogue = Catalogue::builtin();
//! let model = catalogue.resolve("K4-WA").unwrap();
//! assert_eq!(model.id, "k4-a");
//! assert_eq!(model.layout_options(None).columns, 32);
//! ```

mod catalogue;
mod model;
mod resolve;
pub mod yilianyun;

pub use catalogue::Catalogue;
pub use model::{
    Basis, Capability, Code128CCaps, Code128Caps, Codes, CopiesCaps, Limits, LogoForm, Model,
    NativeAlign, PaperCaps, PrintWidthCaps, QrCaps, VoiceCaps, VoiceTag, VolumeRange,
};
