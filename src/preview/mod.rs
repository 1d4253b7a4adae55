//! Previews: what the paper will look like, read from the [`Frame`](crate::frame::Frame) only.
//!
//! Siblings of the printer backends: they never see the template or the data, so a preview
//! shows exactly what the frame says will be printed.

pub mod text;

pub use text::{text, text_lines};
