//! Previews: what the paper will look like, read from the [`Frame`](crate::frame::Frame) only.
//!
//! Siblings of the printer backends: they never see the template or the data, so a preview
//! shows exactly what the frame says will be printed.
//!
//! - [`text()`]: monospace text, for terminals and snapshots (always built).
//! - [`svg()`]: a self-contained, deterministic SVG of the paper with real codes (feature `svg`).
//! - [`png()`]: that SVG rasterised with the system's fonts (feature `png`).

#[cfg(feature = "png")]
pub mod png;
#[cfg(feature = "svg")]
pub mod svg;
pub mod text;

#[cfg(feature = "png")]
pub use png::png;
#[cfg(feature = "svg")]
pub use svg::svg;
pub use text::{text, text_lines};
