//! The Xpyun (芯烨云) dialect: a [`Frame`] to the `content` of the `print` API.
//!
//! Tags (`XPYUN-Open-Demo`, `shared/spec/other-dialects.md`): `<BR>` ends every line and stands
//! *inside* the line's closing tags (`<B>谢谢<BR></B>`, as the vendor requires); `<B>` ×2,
//! `<HB>` ×2 height, `<WB>` ×2 width, `<BOLD>` (`<HB2>`/`<WB2>`/`<B2>` are ambiguous, ×2 or ×3,
//! and never used); `<QR>` (≤256 characters, one per order; checked as 256 GBK bytes, the
//! stricter count) and `<BARCODE>` (Code 128, printable ASCII, ≤14 assumed) for `![code128]`.
//! No alignment tag is emitted (lines are padded), so "one alignment per line" always holds.
//! Copies are the API's `copies` field. The content limit: the sources say 12K and 5000 bytes;
//! the records take 5000 bytes. No cut, logo or free-text voice tag is documented: those
//! settings are skipped with a warning. Xpyun decodes `&lt`/`&gt` on its label page, so an `&`
//! that starts an entity-like sequence in data becomes `＆`.
//!
//! ```
//! let env = slipmark::Environment::new();
//! let t = env.template_from_str("t.slip", "# 桌 {{ n }}\n")?;
//! let printer = slipmark::backend::Catalogue::builtin().printer("xpyun-58")?;
//! let job = t.render(&serde_json::json!({ "n": "&lt;BR&gt;" }), &printer)?;
//! assert!(job.content().unwrap().ends_with("＆gt;<BR></B>"));
//! # Ok::<(), slipmark::Error>(())
//! ```

use crate::backend::Model;
use crate::backend::tags::{self, TagSet};
use crate::document::Document;
use crate::error::{Error, Warning};
use crate::frame::Frame;
use crate::printer::{Carry, Dialect, Lowered, Passed, RenderOptions};

/// The Xpyun tag table.
pub(crate) const TAGS: TagSet = TagSet {
    vendor: "Xpyun",
    br_inside_close: true,
    entities: true,
    bold: "BOLD",
    both2: "B",
    tall2: "HB",
    wide2: "WB",
    qr: "QR",
    code128: "BARCODE",
    code128_chars: |c| (' '..='~').contains(&c),
    code128_what: "printable ASCII",
    code128c: None,
    cut: None,
    logo: None,
    drawer: None,
};

/// The Xpyun dialect: text content with Xpyun's tags.
#[derive(Debug, Clone, Copy, Default)]
pub struct Xpyun;

impl Dialect for Xpyun {
    fn name(&self) -> &'static str {
        "xpyun"
    }

    fn prepare(&self, doc: &mut Document, _: &Model) -> Vec<Warning> {
        tags::neutralise_document(doc, &TAGS)
    }

    fn lower(&self, frame: &Frame, model: &Model, _: RenderOptions) -> Result<Lowered, Error> {
        tags::lower(frame, model, &TAGS)
    }

    fn passes_a_limit(&self, frame: &Frame, model: &Model) -> bool {
        tags::passes_a_limit(frame, model)
    }

    fn lower_noting(
        &self,
        frame: &Frame,
        model: &Model,
        _: RenderOptions,
    ) -> Result<Lowered, (Error, Option<usize>)> {
        tags::lower_noting(frame, model, &TAGS)
    }

    fn lower_cutting(
        &self,
        frame: &Frame,
        model: &Model,
        _: RenderOptions,
    ) -> Result<Lowered, Passed> {
        tags::lower_cutting(frame, model, &TAGS)
    }

    fn lower_carrying(
        &self,
        frame: &Frame,
        model: &Model,
        _: RenderOptions,
        carry: &mut Carry,
    ) -> Result<Lowered, Passed> {
        tags::lower_carrying(frame, model, &TAGS, carry)
    }
}

/// The neutralised form of a text for Xpyun (`<` `>` → `＜` `＞`, `&lt` → `＆lt`, line breaks →
/// spaces).
pub fn neutralise_text(text: &str) -> std::borrow::Cow<'_, str> {
    tags::neutralise_text(text, TAGS.entities)
}
