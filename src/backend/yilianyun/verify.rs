//! The last check before content leaves the backend: re-reads the finished string and refuses it
//! unless every tag is one the model has, control tags stand only at the start, and the native
//! alignment tags stay within the budget. Text was checked for `<`/`>` run by run, so every `<`
//! here was written by the lowering; this pass guards the lowering itself.

use crate::backend::model::{Model, VoiceTag};
use crate::error::{Error, ErrorKind};

/// What a tag does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TagClass {
    /// Only valid at the start of the job.
    Control,
    /// Counted against the native budget.
    Native,
    /// Styles and codes.
    Layout,
}

/// The class of a tag name if `model` has it.
pub(crate) fn tag_class(name: &str, model: &Model) -> Option<TagClass> {
    let s = model.styles;
    let c = model.codes;
    let (has, class) = match name {
        "FB" => (s.bold, TagClass::Layout),
        "FS" => (s.tall && s.wide, TagClass::Layout),
        "FS2" => (s.tall2 && s.wide2, TagClass::Layout),
        "FH" => (s.tall, TagClass::Layout),
        "FH2" => (s.tall2, TagClass::Layout),
        "FW" => (s.wide, TagClass::Layout),
        "FW2" => (s.wide2, TagClass::Layout),
        "QR" => (c.qr.is_some(), TagClass::Layout),
        "BR" => (c.ean13, TagClass::Layout),
        "BR2" => (c.code128.is_some(), TagClass::Layout),
        "BR3" => (c.code128c.is_some(), TagClass::Layout),
        "center" => (model.align.center, TagClass::Native),
        "right" => (model.align.right, TagClass::Native),
        "LR" => (model.align.left_right, TagClass::Native),
        "table" => (model.align.table, TagClass::Native),
        "tr" | "td" => (model.align.table, TagClass::Layout),
        "MN" => (model.copies.is_some(), TagClass::Control),
        "MA" => (model.reminder, TagClass::Control),
        "MS" => (model.sound, TagClass::Control),
        "MC" => (model.confirm, TagClass::Control),
        "MK" => (model.cut, TagClass::Control),
        "RS" => (model.row_spacing, TagClass::Control),
        "ML" => (model.codes.logo.is_some(), TagClass::Control),
        "PW" => (model.print_width.is_some(), TagClass::Control),
        "audio" => (
            model.voice.is_some_and(|v| v.tag == VoiceTag::Audio),
            TagClass::Control,
        ),
        "TTS" => (
            model.voice.is_some_and(|v| v.tag == VoiceTag::Tts),
            TagClass::Control,
        ),
        _ => (false, TagClass::Layout),
    };
    has.then_some(class)
}

/// An error that only a slip of the lowering can cause.
fn bug(msg: String) -> Error {
    Error::new(ErrorKind::Model, msg).with_hint("this is a slipmark bug; please report it")
}

/// The error for content holding `@@` (what [`verify`] says), for the lowering's own check.
pub(crate) fn holds_at_at() -> Error {
    bug("the content holds `@@`".into())
}

/// Panics unless [`verify`] gives `content` the answer the lowering's checks gave
/// (`checked`): the independent re-reading behind the checks folded into emission.
#[cfg(any(test, debug_assertions))]
pub(crate) fn agrees(content: &str, model: &Model, checked: &Result<(), Error>) {
    let verified = verify(content, model);
    assert_eq!(
        verified.as_ref().map_err(Error::message),
        checked.as_ref().map_err(Error::message),
        "the Yilianyun lowering's checks and its verifier disagree on {content:?}"
    );
}

/// Checks a finished content string against `model`: the independent re-reading of what the
/// lowering writes. Release builds do not run it on every render (the lowering checks each
/// run, tag and code as it writes them); debug builds and the tests do, and so can a caller,
/// on [`Job::outputs`](crate::printer::Job::outputs).
///
/// ```
/// use slipmark::backend::{Catalogue, yilianyun::verify};
///
/// let catalogue = Catalogue::builtin();
/// let model = catalogue.resolve("K4").unwrap();
/// assert!(verify("<FB>a</FB>\n", model).is_ok());
/// assert!(verify("<audio>a</audio>", model).is_err());
/// ```
pub fn verify(content: &str, model: &Model) -> Result<(), Error> {
    // Nothing the dialect writes holds `@@`: any is a join that neutralising missed.
    if content.contains("@@") {
        return Err(holds_at_at());
    }
    let mut rest = content;
    let mut in_prefix = true;
    let mut natives = 0u32;
    while let Some(lt) = rest.find('<') {
        if lt > 0 {
            in_prefix = false;
        }
        let after = &rest[lt + 1..];
        let gt = after
            .find('>')
            .ok_or_else(|| bug("an unclosed `<` in the content".into()))?;
        let raw = &after[..gt];
        let (closing, name) = match raw.strip_prefix('/') {
            Some(name) => (true, name),
            None => (false, raw),
        };
        let class = tag_class(name, model)
            .ok_or_else(|| bug(format!("tag <{raw}> is not one the {} has", model.name)))?;
        rest = &after[gt + 1..];
        if closing {
            if class == TagClass::Control {
                return Err(bug(format!("stray closing tag <{raw}>")));
            }
            in_prefix = false;
            continue;
        }
        match class {
            TagClass::Control => {
                if !in_prefix {
                    return Err(bug(format!(
                        "control tag <{name}> after the start of the job"
                    )));
                }
                let close = format!("</{name}>");
                let end = rest
                    .find(&close)
                    .ok_or_else(|| bug(format!("control tag <{name}> is not closed")))?;
                if rest[..end].contains('<') {
                    return Err(bug(format!("a tag inside control tag <{name}>")));
                }
                rest = &rest[end + close.len()..];
                continue;
            }
            TagClass::Native => natives += 1,
            TagClass::Layout => {}
        }
        in_prefix = false;
    }
    if natives > u32::from(model.limits.native_budget) {
        return Err(Error::new(
            ErrorKind::Model,
            format!(
                "{natives} alignment tags; the {} parses at most {} per job",
                model.name, model.limits.native_budget
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;

    fn check(content: &str, model: &str) -> Result<(), String> {
        let cat = Catalogue::builtin();
        verify(content, cat.resolve(model).unwrap()).map_err(|e| e.message().to_string())
    }

    #[test]
    fn known_tags_in_place_pass() {
        check("<MN>2</MN><FB>a</FB>\n<QR>x</QR>", "k4").unwrap();
        check("<MK>1</MK><ML>1</ML><BR2>A1</BR2>", "x1").unwrap();
        check("<audio>到了,5,0</audio>hi\n", "k4-a").unwrap();
    }

    #[test]
    fn unknown_misplaced_and_over_budget_tags_fail() {
        assert_eq!(
            check("<BR2>A</BR2>", "k2s").unwrap_err(),
            "tag <BR2> is not one the K2S/K3S/M1 (old firmware) has"
        );
        assert_eq!(
            check("a\n<MN>2</MN>", "k4").unwrap_err(),
            "control tag <MN> after the start of the job"
        );
        assert_eq!(
            check("<FB>a</FB><MN>2</MN>", "k4").unwrap_err(),
            "control tag <MN> after the start of the job"
        );
        assert_eq!(
            check("<audio>x</audio>", "k4").unwrap_err(),
            "tag <audio> is not one the K4 (old firmware) has"
        );
        assert_eq!(
            check("a<b", "k4").unwrap_err(),
            "an unclosed `<` in the content"
        );
        let natives = "<center>a</center>".repeat(26);
        assert_eq!(
            check(&natives, "k4").unwrap_err(),
            "26 alignment tags; the K4 (old firmware) parses at most 25 per job"
        );
        check(&"<center>a</center>".repeat(25), "k4").unwrap();
    }

    #[test]
    fn the_lowering_refuses_what_the_verifier_refuses() {
        use crate::document::{CodeKind, JobSettings, Origin};
        use crate::frame::{CodeItem, Frame};
        use crate::measure::Encoding;
        use crate::span::Span;
        let cat = Catalogue::builtin();
        let mut frame = Frame::new(32, Encoding::Gbk, JobSettings::default());
        frame.push_code(CodeItem {
            kind: CodeKind::Qr,
            data: "a@@b".into(),
            origin: Origin::Data,
            span: Span::new(0, 1, 2),
        });
        let err = super::super::lower(&frame, cat.resolve("k4").unwrap()).unwrap_err();
        assert_eq!(err.message(), "the content holds `@@`");
        assert_eq!(err.span(), None);
    }
}
