//! Neutralising text so that the firmware can never read it as an instruction.
//!
//! Yilianyun has no escape mechanism (spec §4): an unknown tag prints literally, a known one is
//! obeyed. So text is rewritten into characters that look the same to a reader and mean nothing
//! to the firmware:
//!
//! | in the text | becomes | why |
//! |---|---|---|
//! | `<`, `>` | `＜`, `＞` (U+FF1C/U+FF1E, both in GBK) | no `<…>` can form a tag, whatever follows |
//! | `@` followed by `@` (or by spaces and zero-width characters, then `@`; also across runs) | `＠` | `@@2` at a line start enlarges the line; a wrap can put any part of a value at a line start, and drops the spaces where it breaks |
//! | `\r\n`, `\r`, `\n`, `\t`, other control characters | a space | a value never adds a line or a tab stop |
//!
//! The full-width replacements are two columns wide where the originals were one, so this runs
//! on the [`Document`] **before layout** ([`neutralise_document`]), and the preview measures what
//! will print. [`lower`](super::lower) then refuses any text that still contains one of these
//! sequences (a hard error, in release builds too).
//!
//! Decisions (spec §6 Q10 leaves escaping open):
//! - Template text is neutralised like data: slipmark's language has no raw printer passthrough,
//!   so a template author who writes `<FB>` means those characters.
//! - Commas are kept: they only matter inside `<LR>`, which this backend never emits (it pads
//!   rows itself), so `a,b` prints as `a,b`.
//! - Code data (QR, barcodes) is *not* rewritten, because that would change what a scanner
//!   reads; it is validated instead and an error names the span (see `codes.rs`).

use std::borrow::Cow;

use crate::backend::Model;
use crate::backend::checks::{self, Scan, any_control_or};
use crate::document::{Document, Texts};
use crate::error::{Warning, WarningKind};

/// Rewrites every text run of `doc` (template and data), rule labels, table cells and the voice
/// text, so that no text can form a printer instruction. Call it before layout. Returns a
/// warning for each run whose line breaks or control characters became spaces (the other
/// substitutions look like the original and are not reported).
///
/// `model` is taken so that dialect rules can depend on it; the substitutions above are the same
/// for every Yilianyun model today.
pub fn neutralise_document(doc: &mut Document, model: &Model) -> Vec<Warning> {
    neutralise(doc, model, true)
}

/// [`neutralise_document`]; with `fast`, first one look at all the document's text. Fast path:
/// a run is rewritten only if [`needs_rewrite`] says so of its text (it holds a character that
/// needs care), and [`joins`] only where a run holds `@` (which needs care too). Every run's
/// text is part of [`Document::all_text`]; so when no character of that needs care
/// ([`any_needs_care`]), no run changes and only the rules are visited.
fn neutralise(doc: &mut Document, model: &Model, fast: bool) -> Vec<Warning> {
    let _ = model;
    let mut warnings = Vec::new();
    let clean = fast && !any_needs_care(doc.all_text());
    if clean {
        // No run changes: only the rules' characters are visited, in the same order.
        checks::rules(doc, neutral_rule);
    } else {
        doc.for_each_text(|r| runs(r, &mut warnings), neutral_rule);
    }
    if let Some(voice) = &mut doc.settings.voice {
        if let Cow::Owned(s) = neutralise_text(&voice.value) {
            voice.value = s;
        }
    }
    warnings
}

/// A rule's character, neutralised.
fn neutral_rule(ch: &mut char) {
    *ch = match *ch {
        '<' => '＜',
        '>' => '＞',
        '@' => '＠',
        c if c.is_control() => '-',
        c => c,
    }
}

fn runs(texts: &mut Texts<'_>, warnings: &mut Vec<Warning>) {
    for i in 0..texts.len() {
        let text = texts.text(i);
        if needs_rewrite(text) {
            if text.chars().any(char::is_control) {
                warnings.push(Warning::new(
                    WarningKind::ReplacedChar,
                    "line breaks and control characters printed as spaces",
                    texts.runs()[i].span,
                ));
            }
            texts.rewrite(i, write_neutralised);
        }
    }
    joins(texts);
}

/// The neutralised form of one text (borrowed when nothing changes).
pub fn neutralise_text(text: &str) -> Cow<'_, str> {
    if !needs_rewrite(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    write_neutralised(text, &mut out);
    Cow::Owned(out)
}

/// Whether [`neutralise_text`] rewrites `text` (it may come out the same: `a@b`).
fn needs_rewrite(text: &str) -> bool {
    // A byte test first: a character that needs care starts with one of these bytes (`<`, `>`,
    // `@`, a C0 control or DEL, 0xC2 for the C1 controls), so text without any (nearly all of
    // it) is passed after one pass over its bytes, without decoding characters.
    let flagged = |b: u8| matches!(b, b'<' | b'>' | b'@' | 0..=0x1f | 0x7f | 0xc2);
    text.bytes().any(flagged) && text.chars().any(needs_care)
}

/// The neutralised form of `text` (see [`neutralise_text`]), appended to `out`.
fn write_neutralised(text: &str, out: &mut String) {
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => out.push('＜'),
            '>' => out.push('＞'),
            // Zero-width characters between two `@` do not count (layout drops them), nor do
            // spaces (a line may break there, and the break joins the two `@`).
            // Control characters become spaces below, so they count as spaces here.
            '@' if chars
                .clone()
                .find(|c| !invisible(*c) && !c.is_whitespace() && !c.is_control())
                == Some('@') =>
            {
                out.push('＠')
            }
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push(' ');
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
}

/// Characters layout removes as invisible (zero-width, soft hyphen): they cannot keep two
/// `@` apart (see `measure::replacement`).
fn invisible(c: char) -> bool {
    use unicode_width::UnicodeWidthChar;
    (c.width() == Some(0) && !c.is_control()) || c == '\u{ad}'
}

/// Whether `text`, with invisible characters left out, starts (`end = false`) or ends
/// (`end = true`) with `@`.
fn at_edge(text: &str, end: bool) -> bool {
    let mut visible = text
        .chars()
        .filter(|c| !invisible(*c) && !c.is_whitespace());
    let edge = if end {
        visible.next_back()
    } else {
        visible.next()
    };
    edge == Some('@')
}

/// Runs that meet: where one run's text ends in `@` and the next visible text starts with one,
/// the first becomes `＠`, so no `@@` forms when the runs are put side by side.
fn joins(texts: &mut Texts<'_>) {
    for i in 1..texts.len() {
        let Some(prev) = (0..i).rev().find(|&j| {
            texts
                .text(j)
                .chars()
                .any(|c| !invisible(c) && !c.is_whitespace())
        }) else {
            continue;
        };
        if at_edge(texts.text(prev), true) && at_edge(texts.text(i), false) {
            if let Some((at, _)) = texts
                .text(prev)
                .char_indices()
                .rev()
                .find(|(_, c)| *c == '@')
            {
                texts.rewrite(prev, |text, fixed| {
                    fixed.push_str(&text[..at]);
                    fixed.push('＠');
                    fixed.push_str(&text[at + 1..]);
                });
            }
        }
    }
}

/// `text.chars().any(needs_care)`, read from the bytes.
fn any_needs_care(text: &str) -> bool {
    any_control_or(text, UNSAFE_BYTES)
}

fn needs_care(c: char) -> bool {
    matches!(c, '<' | '>' | '@') || c.is_control()
}

/// The bytes besides control characters that can start an unsafe sequence, for a [`Scan`].
pub(crate) const UNSAFE_BYTES: [u8; 3] = [b'<', b'>', b'@'];

/// Why a text is unsafe to send, if it is: the first offending sequence.
pub(crate) fn unsafe_sequence(text: &str) -> Option<&'static str> {
    // Fast path: every sequence below starts with one of the bytes a scan flags (`<`, `>`,
    // `@`, a C0 control or DEL, or 0xC2, the lead byte of the C1 controls U+0080–U+009F), so
    // text without any of them is safe: one pass over the bytes instead of five searches.
    if !Scan::of(text, UNSAFE_BYTES).special {
        return None;
    }
    first_unsafe(text)
}

/// [`unsafe_sequence`] without its fast path.
fn first_unsafe(text: &str) -> Option<&'static str> {
    if text.contains('<') {
        Some("`<`")
    } else if text.contains('>') {
        Some("`>`")
    } else if text.contains("@@") {
        Some("`@@`")
    } else if text.contains(['\r', '\n']) {
        Some("a line break")
    } else if text.chars().any(char::is_control) {
        Some("a control character")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::Catalogue;
    use crate::document::{Block, Builder, Origin, Style, TextKind};
    use crate::span::Span;

    #[test]
    fn tags_lines_and_at_signs_are_rewritten() {
        let cases = [
            ("</center><MN>9</MN>", "＜/center＞＜MN＞9＜/MN＞"),
            ("<audio>买,9,0</audio>", "＜audio＞买,9,0＜/audio＞"),
            ("@@2 big", "＠@2 big"),
            ("a@ @2", "a＠ @2"),
            ("@\u{200b}@", "＠\u{200b}@"),
            ("a@@@2", "a＠＠@2"),
            ("a@b", "a@b"),
            ("l1\r\nl2\nl3\rl4\tx", "l1 l2 l3 l4 x"),
            ("a,b", "a,b"),
            ("\u{7}bell", " bell"),
        ];
        for (input, want) in cases {
            assert_eq!(neutralise_text(input), want, "{input:?}");
            assert_eq!(unsafe_sequence(&neutralise_text(input)), None);
        }
        assert!(matches!(neutralise_text("plain 中文"), Cow::Borrowed(_)));
    }

    #[test]
    fn unsafe_sequences_are_named() {
        assert_eq!(unsafe_sequence("a<b"), Some("`<`"));
        assert_eq!(unsafe_sequence("a>b"), Some("`>`"));
        assert_eq!(unsafe_sequence("@@2"), Some("`@@`"));
        assert_eq!(unsafe_sequence("a\nb"), Some("a line break"));
        assert_eq!(unsafe_sequence("a\u{1b}b"), Some("a control character"));
        assert_eq!(unsafe_sequence("＜ok＞ @ a,b"), None);
    }

    #[test]
    fn the_document_is_rewritten_in_place() {
        let at = Span::new(0, 0, 1);
        let mut b = Builder::new();
        b.run("名: ", Style::PLAIN, Origin::Template, at)
            .run("<FB>x", Style::PLAIN, Origin::Data, at)
            .text_block(TextKind::Paragraph, crate::document::Align::Left, at);
        b.settings().voice = Some(crate::span::Spanned::new("a<b".into(), Span::default()));
        let mut doc = b.finish();
        let cat = Catalogue::builtin();
        assert!(neutralise_document(&mut doc, cat.resolve("k4").unwrap()).is_empty());
        let Block::Text(t) = &doc.blocks[0] else {
            unreachable!()
        };
        let runs = doc.runs(t.runs);
        assert_eq!(doc.text(&runs[0]), "名: ");
        assert_eq!(doc.text(&runs[1]), "＜FB＞x");
        assert_eq!(doc.settings.voice.as_ref().unwrap().value, "a＜b");
        let mut b = Builder::from_document(doc);
        b.run("a\r\nb", Style::PLAIN, Origin::Data, at).text_block(
            TextKind::Paragraph,
            crate::document::Align::Left,
            at,
        );
        let mut doc = b.finish();
        let warnings = neutralise_document(&mut doc, cat.resolve("k4").unwrap());
        assert_eq!(warnings.len(), 1);
        assert_eq!(warnings[0].kind, WarningKind::ReplacedChar);
        assert_eq!(warnings[0].span, Span::new(0, 0, 1));
    }

    #[test]
    fn at_signs_that_meet_across_runs_are_rewritten_and_the_document_equals_one_bound_so() {
        let at = Span::new(0, 0, 1);
        let doc_of = |texts: &[(&str, Origin)]| {
            let mut b = Builder::new();
            for (text, origin) in texts {
                b.run(text, Style::PLAIN, *origin, at);
            }
            b.text_block(TextKind::Paragraph, crate::document::Align::Left, at);
            b.finish()
        };
        let mut doc = doc_of(&[("x@", Origin::Template), ("@2<", Origin::Data)]);
        let cat = Catalogue::builtin();
        neutralise_document(&mut doc, cat.resolve("k4").unwrap());
        // Rewritten runs point at new text; equality is by what the runs hold.
        assert_eq!(
            doc,
            doc_of(&[("x＠", Origin::Template), ("@2＜", Origin::Data)])
        );
        assert_ne!(
            doc,
            doc_of(&[("x@", Origin::Template), ("@2＜", Origin::Data)])
        );
    }

    proptest::proptest! {
        #[test]
        fn the_fast_path_of_neutralise_document_changes_nothing(
            texts in proptest::collection::vec("[<>@ a\\r\\n\\u{0}-\\u{1f}\\u{7f}-\\u{a0}·中]{0,6}", 0..6),
            ch in proptest::sample::select(vec!['-', '<', '@', '\u{7}']),
            label in proptest::sample::select(vec!["x", "x@", ""]),
        ) {
            let mut b = Builder::new();
            for (i, t) in texts.iter().enumerate() {
                b.run(t, Style::PLAIN, Origin::Data, Span::new(0, i, i + 1));
            }
            b.text_block(TextKind::Paragraph, crate::document::Align::Left, Span::default());
            b.run(label, Style::PLAIN, Origin::Template, Span::default()).rule(ch, Span::default());
            let doc = b.finish();
            let cat = Catalogue::builtin();
            let model = cat.resolve("k4").unwrap();
            let (mut fast, mut slow) = (doc.clone(), doc);
            let w = neutralise(&mut fast, model, true);
            proptest::prop_assert_eq!(w, neutralise(&mut slow, model, false));
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn any_needs_care_reads_the_characters_from_the_bytes(
            text in "[a·¥中\\u{a0}-\\u{17f}]{0,20}[<>@\\u{0}-\\u{1f}\\u{7f}-\\u{9f}]?[a·¥中\\u{a0}-\\u{17f}]{0,20}"
        ) {
            proptest::prop_assert_eq!(any_needs_care(&text), text.chars().any(needs_care));
        }

        #[test]
        fn the_fast_path_of_unsafe_sequence_changes_no_answer(
            text in "[<>@2a \\r\\n\\u{0}-\\u{1f}\\u{7f}-\\u{a0}·°中]{0,20}"
        ) {
            proptest::prop_assert_eq!(unsafe_sequence(&text), first_unsafe(&text));
        }

        #[test]
        fn neutralised_text_is_always_safe(text in "[<>@2,\\r\\n\\t\\u{0}-\\u{1f}a-z中]{0,40}") {
            let out = neutralise_text(&text);
            proptest::prop_assert_eq!(unsafe_sequence(&out), None);
            // Idempotent: neutralising twice changes nothing more.
            let twice = neutralise_text(&out).into_owned();
            proptest::prop_assert_eq!(twice, out.into_owned());
        }
    }
}
