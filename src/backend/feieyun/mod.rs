//! The Feieyun (飞鹅云) dialect: a [`Frame`] to the `content` of `Open_printMsg`.
//!
//! Tags (official demos, `shared/spec/other-dialects.md`): `<BR>` ends every line; `<B>` ×2,
//! `<L>` ×2 height, `<W>` ×2 width, `<BOLD>`; `<QR>` (one per order), `<BC128_B>` (≤14 digits and
//! letters) for `![code128]`, `<BC128_C>` (≤22 digits) for `![code128c]`; `<CUT>` at the end;
//! `<LOGO>` where the logo stands. Alignment is padding with spaces (never `<C>`/`<RIGHT>`/
//! `<CB>`: the padded line is exactly what the preview shows). Copies are the API's `times`
//! field ([`JobSummary::copies`](crate::printer::JobSummary::copies)); the content is at most
//! 5000 bytes (counted as UTF-8, the form's encoding: the stricter reading). The vendor has no
//! free-text voice (`<AUDIO-REFUND>`/`<AUDIO-CANCEL>` are order-kind sounds no setting asks
//! for), so `voice:` and `reminder:` are skipped with a warning.
//!
//! Everything shared with Xpyun (neutralising, the lowering, the final check) is in
//! `backend/tags.rs`; this module is the tag table.
//!
//! ```
//! let env = slipmark::Environment::new();
//! let t = env.template_from_str("t.slip", "# 桌 {{ n }}\n")?;
//! let printer = slipmark::backend::Catalogue::builtin().printer("feieyun-58")?;
//! let job = t.render(&serde_json::json!({ "n": "<CUT>" }), &printer)?;
//! assert_eq!(job.content(), Some("      <B>桌 ＜CUT＞</B><BR>"));
//! # Ok::<(), slipmark::Error>(())
//! ```

use crate::backend::Model;
use crate::backend::tags::{self, TagSet};
use crate::document::Document;
use crate::error::{Error, Warning};
use crate::frame::Frame;
use crate::printer::{Carry, Dialect, Lowered, Passed, RenderOptions};

/// The Feieyun tag table.
pub(crate) const TAGS: TagSet = TagSet {
    vendor: "Feieyun",
    br_inside_close: false,
    entities: false,
    bold: "BOLD",
    both2: "B",
    tall2: "L",
    wide2: "W",
    qr: "QR",
    code128: "BC128_B",
    code128_chars: |c| c.is_ascii_alphanumeric(),
    code128_what: "digits and letters",
    code128c: Some("BC128_C"),
    cut: Some("CUT"),
    logo: Some("LOGO"),
    drawer: Some("PLUGIN"),
};

/// The Feieyun dialect: text content with Feieyun's tags.
#[derive(Debug, Clone, Copy, Default)]
pub struct Feieyun;

impl Dialect for Feieyun {
    fn name(&self) -> &'static str {
        "feieyun"
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

/// The neutralised form of a text for Feieyun (`<` `>` → `＜` `＞`, line breaks → spaces).
pub fn neutralise_text(text: &str) -> std::borrow::Cow<'_, str> {
    tags::neutralise_text(text, TAGS.entities)
}
