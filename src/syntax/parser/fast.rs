//! A hand-written mirror of the grammar (`grammar/slipmark.pest`) for the fast path.
//!
//! pest spends most of a compile in its per-rule bookkeeping (a call-limit tracker and a native
//! stack probe on every rule entry, stack snapshots on every sequence), so the rules that run on
//! every line — the line kinds, inline content, tags and expressions — are written here again by
//! hand, as plain functions over bytes. Each function is the PEG rule of the same name: ordered
//! choice takes the first alternative that matches, repetitions are greedy and never give back,
//! a failed sequence leaves the position where it was. Each returns the end of its match (and
//! what it built) or `None` exactly when the pest rule fails, so the results are the pairs pest
//! would produce, converted the same way.
//!
//! The mirror builds no errors. Whatever would report one (an unfinished `**` or `{{`, an
//! unknown statement, class or code kind, a bad column width, a malformed setting) makes the
//! caller fall back to the pest path for that line or that content, which reports it exactly as
//! before. `tests` below checks that both paths give the same AST and errors on every template
//! and on token soup.

use std::cell::Cell;

use crate::span::{SourceId, Span, Spanned};
use crate::syntax::ast::{BinOp, Expr, ExprKind};
use crate::syntax::nest::Tag;

use super::inline::unescape_string;

/// A statement as parsed: a tag, or the `unknown_stmt` rule (an error, left to the pest path).
pub(super) enum Stmt {
    Tag(Tag),
    Unknown,
}

/// One inline item (the pairs of `inline_item`, `bold_item` and `styled_item`), with byte
/// ranges relative to the parsed slice.
pub(super) enum Item {
    /// `text`, `bold_text`, `styled_text`, `lone`, `styled_lone`: literal as written.
    Text(usize, usize),
    /// `escape`: the character after the backslash.
    Escape(usize, usize),
    /// `comment`: prints nothing.
    Comment,
    /// `expr_tag`.
    Expr(Expr),
    /// `stmt_tag` with its span.
    Stmt(Stmt, Span),
    /// `bold`: its items and range.
    Bold(Vec<Item>, usize, usize),
    /// `styled`: its items, its classes (ranges of `.name`) and range.
    Styled(Vec<Item>, Vec<(usize, usize)>, usize, usize),
    /// `stray`: an error.
    Stray,
}

/// Which of the three inline item rules applies.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// `inline_item`.
    Top,
    /// `bold_item`.
    Bold,
    /// `styled_item`.
    Styled,
}

/// A cell of a spec row: its range, `:` on either side, and the range of its width.
pub(super) struct SpecShape {
    pub range: (usize, usize),
    pub left: bool,
    pub right: bool,
    pub width: Option<(usize, usize)>,
}

/// What the `line` rule matched, with ranges relative to the line.
pub(super) enum LineShape {
    /// `stmt_line`: its statements (comments dropped).
    Stmts(Vec<(Stmt, Span)>),
    /// `escaped_line`: where the literal rest starts.
    Escaped(usize),
    /// `blank`.
    Blank,
    /// `heading`: level and content.
    Heading(u8, usize, usize),
    /// `spec_row`.
    Spec(Vec<SpecShape>),
    /// `row`: where the first cell starts, and the number of cells (each is [`Peg::cell`],
    /// the next starts after its closing `|`).
    Row(usize, usize),
    /// `rule_line`: the character and the label's range.
    Rule(char, Option<(usize, usize)>),
    /// `arrow_center`: content.
    Center(usize, usize),
    /// `arrow_right`: content.
    Right(usize, usize),
    /// `code_line`: the kind's range and the target's.
    Code((usize, usize), (usize, usize)),
    /// `paragraph`: content.
    Paragraph(usize, usize),
}

/// The input of one pest run: `s` (SOI at 0, EOI at `s.len()`), at `base` in source `source`.
pub(super) struct Peg<'s> {
    s: &'s str,
    b: &'s [u8],
    base: usize,
    source: SourceId,
    /// Current nesting of expressions, `not`s, bold and styled spans.
    depth: Cell<u32>,
    /// Set when the nesting passed [`MAX_DEPTH`]: the result is then not pest's, and the
    /// caller must use the pest path (which has its own stack guard).
    gave_up: Cell<bool>,
}

/// The deepest nesting this mirror follows (its recursion has no stack probe, so that input
/// nested deeper is left to pest, which has one). Real templates nest a few levels; an
/// expression can nest 64 brackets (`too_deep`), which stays within this.
const MAX_DEPTH: u32 = 80;

/// Reserved words (`keyword`): a name spelled as one of them is not an `ident`. (pest's ordered
/// choice `"and" | "or" | … ~ !ident_char` rejects exactly these words: no word of the list is
/// a proper prefix of a word after it.)
const KEYWORDS: [&str; 15] = [
    "and", "or", "not", "include", "in", "true", "false", "none", "if", "elif", "else", "endif",
    "for", "endfor", "set",
];

/// The statement words that `unknown_stmt` refuses to start with.
const STATEMENTS: [&str; 8] = [
    "for", "endfor", "if", "elif", "else", "endif", "set", "include",
];

fn ident_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

impl<'s> Peg<'s> {
    pub(super) fn new(text: &'s str, start: usize, end: usize, source: SourceId) -> Self {
        let s = &text[start..end];
        Peg {
            s,
            b: s.as_bytes(),
            base: start,
            source,
            depth: Cell::new(0),
            gave_up: Cell::new(false),
        }
    }

    /// Whether the nesting limit cut the parse short (its result must then be discarded).
    pub(super) fn gave_up(&self) -> bool {
        self.gave_up.get()
    }

    /// Runs `f` one level deeper, or fails (and gives up) past [`MAX_DEPTH`].
    fn nested<T>(&self, f: impl FnOnce() -> Option<T>) -> Option<T> {
        let d = self.depth.get();
        if d >= MAX_DEPTH {
            self.gave_up.set(true);
            return None;
        }
        self.depth.set(d + 1);
        let r = f();
        self.depth.set(d);
        r
    }

    /// The span of `a..b` (relative) in the source.
    pub(super) fn span(&self, a: usize, b: usize) -> Span {
        Span::new(self.source, self.base + a, self.base + b)
    }

    /// The text of `a..b` (relative).
    pub(super) fn str(&self, a: usize, b: usize) -> &'s str {
        &self.s[a..b]
    }

    fn len(&self) -> usize {
        self.b.len()
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    fn at(&self, i: usize, lit: &str) -> bool {
        self.b
            .get(i..)
            .is_some_and(|r| r.starts_with(lit.as_bytes()))
    }

    /// `ANY`: the end of the character at `i` (`None` at EOI).
    fn any(&self, i: usize) -> Option<usize> {
        let c = *self.b.get(i)?;
        Some(
            i + match c {
                0x00..=0x7f => 1,
                0xc0..=0xdf => 2,
                0xe0..=0xef => 3,
                _ => 4,
            },
        )
    }

    /// `ws*`.
    fn ws(&self, mut i: usize) -> usize {
        while matches!(self.byte(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        i
    }

    /// `ws+`.
    fn ws1(&self, i: usize) -> Option<usize> {
        let j = self.ws(i);
        (j > i).then_some(j)
    }

    /// The first occurrence of the two-byte `pair` at or after `i`.
    fn find(&self, i: usize, pair: &str) -> Option<usize> {
        super::find_pair(self.s, i, pair)
    }

    // ─── Raw content (block level) ───────────────────────────────────────────────────────

    /// `raw_tag`.
    fn raw_tag(&self, i: usize) -> Option<usize> {
        let close = match self.b.get(i..i + 2)? {
            b"{{" => "}}",
            b"{%" => "%}",
            b"{#" => "#}",
            _ => return None,
        };
        self.find(i + 2, close).map(|k| k + 2)
    }

    /// `raw_piece`.
    fn raw_piece(&self, i: usize) -> Option<usize> {
        if let Some(k) = self.raw_tag(i) {
            return Some(k);
        }
        if self.byte(i) == Some(b'\\') {
            if let Some(k) = self.any(i + 1) {
                return Some(k);
            }
        }
        self.any(i)
    }

    /// `(!stop ~ raw_piece)*` from `i`: the end of the run (`stop` is a lookahead).
    fn raw_until(&self, mut i: usize, stop: impl Fn(usize) -> bool) -> usize {
        while !stop(i) {
            match self.raw_piece(i) {
                Some(k) => i = k,
                None => break,
            }
        }
        i
    }

    // ─── Lines ───────────────────────────────────────────────────────────────────────────

    /// `line`: what the whole slice is. Never fails in pest (`paragraph` takes anything);
    /// `None` here only when a statement line holds an expression this mirror cannot follow
    /// (none known) — the caller then uses pest.
    pub(super) fn line(&self) -> Option<LineShape> {
        let p = self.ws(0);
        let n = self.len();
        if let Some(tags) = self.stmt_line(p) {
            return Some(LineShape::Stmts(tags));
        }
        match self.byte(p) {
            None => return Some(LineShape::Blank),
            Some(b'\\') => return Some(LineShape::Escaped(p + 1)),
            Some(b'#') => {
                let m = if self.at(p, "###") {
                    3
                } else if self.at(p, "##") {
                    2
                } else {
                    1
                };
                if let Some(c) = self.ws1(p + m) {
                    return Some(LineShape::Heading(m as u8, c, n));
                }
            }
            Some(b'|') => {
                if let Some(cells) = self.spec_row(p) {
                    return Some(LineShape::Spec(cells));
                }
                if let Some(n) = self.row(p) {
                    return Some(LineShape::Row(p + 1, n));
                }
            }
            Some(b'-' | b'=' | b'*' | b'.' | b'~') => {
                if let Some((ch, label)) = self.rule_line(p) {
                    return Some(LineShape::Rule(ch, label));
                }
                if self.at(p, "->") {
                    if let Some(c) = self.ws1(p + 2) {
                        if let Some(e) = self.arrow_center(c) {
                            return Some(LineShape::Center(c, e));
                        }
                        return Some(LineShape::Right(c, n));
                    }
                }
            }
            Some(b'!') => {
                if let Some((kind, target)) = self.code_line(p) {
                    return Some(LineShape::Code(kind, target));
                }
            }
            _ => {}
        }
        Some(LineShape::Paragraph(p, n))
    }

    /// `stmt_line`: `(stmt_tag | comment) ~ (ws* ~ (stmt_tag | comment))* ~ ws* ~ &EOI`.
    fn stmt_line(&self, p: usize) -> Option<Vec<(Stmt, Span)>> {
        let mut tags = Vec::new();
        let mut i = self.stmt_or_comment(p, &mut tags)?;
        while let Some(k) = self.stmt_or_comment(self.ws(i), &mut tags) {
            i = k;
        }
        (self.ws(i) == self.len()).then_some(tags)
    }

    fn stmt_or_comment(&self, i: usize, tags: &mut Vec<(Stmt, Span)>) -> Option<usize> {
        if let Some((k, stmt)) = self.stmt_tag(i) {
            tags.push((stmt, self.span(i, k)));
            return Some(k);
        }
        self.comment(i)
    }

    /// `spec_row`: `"|" ~ (spec_cell ~ "|")+ ~ ws* ~ &EOI`.
    fn spec_row(&self, p: usize) -> Option<Vec<SpecShape>> {
        if self.byte(p) != Some(b'|') {
            return None;
        }
        let mut cells = Vec::new();
        let mut i = p + 1;
        while let Some(c) = self.spec_cell(i) {
            if self.byte(c.range.1) != Some(b'|') {
                break;
            }
            i = c.range.1 + 1;
            cells.push(c);
        }
        (!cells.is_empty() && self.ws(i) == self.len()).then_some(cells)
    }

    /// `spec_cell`: `ws* ~ spec_left? ~ spec_body ~ spec_right? ~ ws*`.
    fn spec_cell(&self, start: usize) -> Option<SpecShape> {
        let mut i = self.ws(start);
        let left = self.byte(i) == Some(b':');
        if left {
            i += 1;
        }
        let dashes = |mut i: usize| {
            while self.byte(i) == Some(b'-') {
                i += 1;
            }
            i
        };
        let mut width = None;
        if self.byte(i) == Some(b'-') {
            i = dashes(i);
            if let Some(w) = self.spec_width(i) {
                width = Some((i, w));
                i = dashes(w);
            }
        } else {
            let w = self.spec_width(i)?;
            width = Some((i, w));
            let d = dashes(w);
            if d == w {
                return None;
            }
            i = d;
        }
        let right = self.byte(i) == Some(b':');
        if right {
            i += 1;
        }
        Some(SpecShape {
            range: (start, self.ws(i)),
            left,
            right,
            width,
        })
    }

    /// `spec_width`: `ASCII_DIGIT+ | "*"`.
    fn spec_width(&self, i: usize) -> Option<usize> {
        if self.byte(i) == Some(b'*') {
            return Some(i + 1);
        }
        let mut k = i;
        while self.byte(k).is_some_and(|c| c.is_ascii_digit()) {
            k += 1;
        }
        (k > i).then_some(k)
    }

    /// `row`: `"|" ~ (cell ~ "|")+ ~ ws* ~ &EOI`; the number of cells.
    fn row(&self, p: usize) -> Option<usize> {
        if self.byte(p) != Some(b'|') {
            return None;
        }
        let mut n = 0;
        let mut i = p + 1;
        loop {
            let e = self.cell(i);
            if self.byte(e) != Some(b'|') {
                break;
            }
            n += 1;
            i = e + 1;
        }
        (n > 0 && self.ws(i) == self.len()).then_some(n)
    }

    /// `cell` from `i`: `(!"|" ~ raw_piece)*`; its end.
    pub(super) fn cell(&self, i: usize) -> usize {
        self.raw_until(i, |k| self.byte(k) == Some(b'|'))
    }

    /// `rule_line`: the character and the label.
    fn rule_line(&self, p: usize) -> Option<(char, Option<(usize, usize)>)> {
        let c = self.byte(p)?;
        let mut i = p;
        while self.byte(i) == Some(c) {
            i += 1;
        }
        if i - p < 3 {
            return None;
        }
        let n = self.len();
        // `ws+ ~ PEEK{3} ~ PEEK* ~ ws* ~ EOI` at `k`: the closing run.
        let closing = |k: usize| {
            let Some(mut j) = self.ws1(k) else {
                return false;
            };
            let from = j;
            while self.byte(j) == Some(c) {
                j += 1;
            }
            j - from >= 3 && self.ws(j) == n
        };
        // `(ws+ ~ rule_label ~ ws+ ~ rule_close)?`
        let mut label = None;
        if let Some(a) = self.ws1(i) {
            let e = self.raw_until(a, closing);
            if e > a && closing(e) {
                label = Some((a, e));
                i = n;
            }
        }
        (self.ws(i) == n).then_some((c as char, label))
    }

    /// `arrow_content` from `c` followed by `ws+ ~ "<-" ~ ws* ~ &EOI`: the content's end.
    fn arrow_center(&self, c: usize) -> Option<usize> {
        let n = self.len();
        let closing = |k: usize| {
            self.ws1(k)
                .is_some_and(|j| self.at(j, "<-") && self.ws(j + 2) == n)
        };
        let e = self.raw_until(c, closing);
        (e > c && closing(e)).then_some(e)
    }

    /// `code_line`: the kind's range and the target's.
    fn code_line(&self, p: usize) -> Option<((usize, usize), (usize, usize))> {
        if !self.at(p, "![") {
            return None;
        }
        let a = p + 2;
        let mut k = a;
        while self
            .byte(k)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            k += 1;
        }
        if k == a || !self.at(k, "](") {
            return None;
        }
        let t = k + 2;
        let e = self.raw_until(t, |i| self.byte(i) == Some(b')'));
        if self.byte(e) != Some(b')') || self.ws(e + 1) != self.len() {
            return None;
        }
        Some(((a, k), (t, e)))
    }

    /// `setting` (the whole slice): the key's range and the value's.
    pub(super) fn setting(&self) -> Option<((usize, usize), (usize, usize))> {
        let a = self.ws(0);
        let mut k = a;
        while self
            .byte(k)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            k += 1;
        }
        if k == a {
            return None;
        }
        let colon = self.ws(k);
        if self.byte(colon) != Some(b':') {
            return None;
        }
        Some(((a, k), (self.ws(colon + 1), self.len())))
    }

    // ─── Inline content ──────────────────────────────────────────────────────────────────

    /// `inline`: every item of the slice, each passed to `each` as soon as it is matched (an
    /// `inline_item` is never given back); `each` returns `None` to stop. `None` when `each`
    /// stopped or the items do not reach EOI.
    pub(super) fn inline(&self, mut each: impl FnMut(Item) -> Option<()>) -> Option<()> {
        let mut i = 0;
        while let Some((k, item)) = self.item(i, Ctx::Top) {
            each(item)?;
            i = k;
        }
        (i == self.len()).then_some(())
    }

    /// One `inline_item`, `bold_item` or `styled_item`.
    fn item(&self, i: usize, ctx: Ctx) -> Option<(usize, Item)> {
        let c = self.byte(i)?;
        if c == b'{' {
            if let Some((k, e)) = self.expr_tag(i) {
                return Some((k, Item::Expr(e)));
            }
            if let Some((k, st)) = self.stmt_tag(i) {
                return Some((k, Item::Stmt(st, self.span(i, k))));
            }
            if let Some(k) = self.comment(i) {
                return Some((k, Item::Comment));
            }
        }
        if c == b'*' && ctx != Ctx::Bold {
            if let Some(r) = self.nested(|| self.bold(i)) {
                return Some(r);
            }
        }
        if c == b'[' && ctx != Ctx::Styled {
            if let Some(r) = self.nested(|| self.styled(i)) {
                return Some(r);
            }
        }
        if c == b'\\' {
            if let Some(k) = self.escape(i) {
                return Some((k, Item::Escape(i, k)));
            }
        }
        if let Some(k) = self.text(i, ctx == Ctx::Styled) {
            return Some((k, Item::Text(i, k)));
        }
        // `lone` / `styled_lone`: a special character that starts nothing.
        let two = self.at(i, "{{") || self.at(i, "{%") || self.at(i, "{#");
        let bold = ctx != Ctx::Styled && self.at(i, "**");
        if !two && !bold && matches!(c, b'[' | b'{' | b'\\' | b'*') {
            return Some((i + 1, Item::Text(i, i + 1)));
        }
        // `stray` (inline_item only): reported by the pest path.
        (ctx == Ctx::Top).then_some((i + 1, Item::Stray))
    }

    /// `special` at `i`: `"{{" | "{%" | "{#" | "**" | "[" | "\\"` (and `]` in a styled span).
    fn special(&self, i: usize, styled: bool) -> bool {
        match self.byte(i) {
            Some(b'[' | b'\\') => true,
            Some(b']') => styled,
            Some(b'{') => matches!(self.byte(i + 1), Some(b'{' | b'%' | b'#')),
            Some(b'*') => self.byte(i + 1) == Some(b'*'),
            _ => false,
        }
    }

    /// `text` / `bold_text` / `styled_text`: `(!special ~ ANY)+`.
    fn text(&self, mut i: usize, styled: bool) -> Option<usize> {
        let from = i;
        while !self.special(i, styled) {
            match self.any(i) {
                Some(k) => i = k,
                None => break,
            }
        }
        (i > from).then_some(i)
    }

    /// `escape`.
    fn escape(&self, i: usize) -> Option<usize> {
        (self.byte(i) == Some(b'\\')
            && matches!(
                self.byte(i + 1),
                Some(
                    b'*' | b'|'
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'\\'
                        | b'#'
                        | b'-'
                        | b'!'
                        | b'<'
                        | b'>'
                        | b'('
                        | b')'
                        | b'.'
                        | b'='
                        | b'~'
                )
            ))
        .then_some(i + 2)
    }

    /// `comment`.
    fn comment(&self, i: usize) -> Option<usize> {
        if !self.at(i, "{#") {
            return None;
        }
        self.find(i + 2, "#}").map(|k| k + 2)
    }

    /// `bold`: `"**" ~ bold_item+ ~ "**"`.
    fn bold(&self, i: usize) -> Option<(usize, Item)> {
        if !self.at(i, "**") {
            return None;
        }
        let mut items = Vec::new();
        let mut k = i + 2;
        while let Some((e, item)) = self.item(k, Ctx::Bold) {
            items.push(item);
            k = e;
        }
        (!items.is_empty() && self.at(k, "**")).then(|| (k + 2, Item::Bold(items, i, k + 2)))
    }

    /// `styled`: `"[" ~ styled_item* ~ "]{" ~ ws* ~ class ~ (ws+ ~ class)* ~ ws* ~ "}"`.
    fn styled(&self, i: usize) -> Option<(usize, Item)> {
        if self.byte(i) != Some(b'[') {
            return None;
        }
        let mut items = Vec::new();
        let mut k = i + 1;
        while let Some((e, item)) = self.item(k, Ctx::Styled) {
            items.push(item);
            k = e;
        }
        if !self.at(k, "]{") {
            return None;
        }
        let mut classes = Vec::new();
        let first = self.ws(k + 2);
        let mut k = self.class(first)?;
        classes.push((first, k));
        while let Some(a) = self.ws1(k) {
            match self.class(a) {
                Some(e) => {
                    classes.push((a, e));
                    k = e;
                }
                None => break,
            }
        }
        let k = self.ws(k);
        (self.byte(k) == Some(b'}')).then(|| (k + 1, Item::Styled(items, classes, i, k + 1)))
    }

    /// `class`: `"." ~ (ASCII_ALPHANUMERIC | "_" | "-")+`.
    fn class(&self, i: usize) -> Option<usize> {
        if self.byte(i) != Some(b'.') {
            return None;
        }
        let mut k = i + 1;
        while self
            .byte(k)
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == b'_' || c == b'-')
        {
            k += 1;
        }
        (k > i + 1).then_some(k)
    }

    // ─── Tags ────────────────────────────────────────────────────────────────────────────

    /// `expr_tag`: `"{{" ~ ws* ~ expr ~ ws* ~ "}}"`.
    fn expr_tag(&self, i: usize) -> Option<(usize, Expr)> {
        if !self.at(i, "{{") {
            return None;
        }
        let (k, e) = self.expr(self.ws(i + 2))?;
        let k = self.ws(k);
        self.at(k, "}}").then_some((k + 2, e))
    }

    /// `stmt_tag`: `"{%" ~ ws* ~ statement ~ ws* ~ "%}"`.
    fn stmt_tag(&self, i: usize) -> Option<(usize, Stmt)> {
        if !self.at(i, "{%") {
            return None;
        }
        let (k, st) = self.statement(self.ws(i + 2))?;
        let k = self.ws(k);
        self.at(k, "%}").then_some((k + 2, st))
    }

    /// `statement`.
    fn statement(&self, i: usize) -> Option<(usize, Stmt)> {
        let tag = |(k, t)| Some((k, Stmt::Tag(t)));
        if let Some(r) = self.for_stmt(i) {
            return tag(r);
        }
        if let Some(k) = self.kw(i, "endfor") {
            return tag((k, Tag::EndFor));
        }
        if let Some(r) = self.cond_stmt(i, "if") {
            return tag((r.0, Tag::If(r.1)));
        }
        if let Some(r) = self.cond_stmt(i, "elif") {
            return tag((r.0, Tag::Elif(r.1)));
        }
        if let Some(k) = self.kw(i, "else") {
            return tag((k, Tag::Else));
        }
        if let Some(k) = self.kw(i, "endif") {
            return tag((k, Tag::EndIf));
        }
        if let Some(r) = self.set_stmt(i) {
            return tag(r);
        }
        if let Some(r) = self.include_stmt(i) {
            return tag(r);
        }
        // `unknown_stmt`: a word that is not a statement, then anything up to `%}`.
        let w = self.word(i);
        let c = self.byte(i)?;
        if !(c.is_ascii_alphabetic() || c == b'_') || STATEMENTS.contains(&self.str(i, w)) {
            return None;
        }
        Some((self.find(w, "%}").unwrap_or(self.len()), Stmt::Unknown))
    }

    /// `for_stmt`: `kw_for ~ ws+ ~ ident ~ ws+ ~ kw_in ~ ws+ ~ expr`.
    fn for_stmt(&self, i: usize) -> Option<(usize, Tag)> {
        let k = self.ws1(self.kw(i, "for")?)?;
        let (e, var) = self.ident(k)?;
        let k = self.ws1(self.kw(self.ws1(e)?, "in")?)?;
        let (e, iter) = self.expr(k)?;
        Some((e, Tag::For(var, iter)))
    }

    /// `if_stmt` / `elif_stmt`: `kw ~ ws+ ~ expr`.
    fn cond_stmt(&self, i: usize, kw: &str) -> Option<(usize, Expr)> {
        self.expr(self.ws1(self.kw(i, kw)?)?)
    }

    /// `set_stmt`: `kw_set ~ ws+ ~ ident ~ ws* ~ "=" ~ ws* ~ expr`.
    fn set_stmt(&self, i: usize) -> Option<(usize, Tag)> {
        let (e, var) = self.ident(self.ws1(self.kw(i, "set")?)?)?;
        let k = self.ws(e);
        if self.byte(k) != Some(b'=') {
            return None;
        }
        let (e, value) = self.expr(self.ws(k + 1))?;
        Some((e, Tag::Set(var, value)))
    }

    /// `include_stmt`: `kw_include ~ ws+ ~ string`.
    fn include_stmt(&self, i: usize) -> Option<(usize, Tag)> {
        let a = self.ws1(self.kw(i, "include")?)?;
        let e = self.string(a)?;
        let path = Spanned::new(unescape_string(self.str(a, e)), self.span(a, e));
        Some((e, Tag::Include(path)))
    }

    // ─── Expressions ─────────────────────────────────────────────────────────────────────

    /// The end of the run of `ident_char`s at `i`.
    fn word(&self, mut i: usize) -> usize {
        while self.byte(i).is_some_and(ident_char) {
            i += 1;
        }
        i
    }

    /// `kw_X`: the word `X` followed by no name character.
    fn kw(&self, i: usize, word: &str) -> Option<usize> {
        let k = i + word.len();
        (self.at(i, word) && !self.byte(k).is_some_and(ident_char)).then_some(k)
    }

    /// `ident`: a name that is not a keyword.
    fn ident(&self, i: usize) -> Option<(usize, Spanned<String>)> {
        let c = self.byte(i)?;
        if !(c.is_ascii_alphabetic() || c == b'_') {
            return None;
        }
        let k = self.word(i);
        let name = self.str(i, k);
        if KEYWORDS.contains(&name) {
            return None;
        }
        Some((k, Spanned::new(name.to_string(), self.span(i, k))))
    }

    fn binary(op: BinOp, left: Expr, right: Expr) -> Expr {
        let span = left.span.to(right.span);
        Expr::new(ExprKind::Binary(op, Box::new(left), Box::new(right)), span)
    }

    /// `expr` (= `or_expr`).
    fn expr(&self, i: usize) -> Option<(usize, Expr)> {
        self.nested(|| self.chain(i, Self::and_expr, |p, j| Some((p.kw(j, "or")?, BinOp::Or))))
    }

    /// `and_expr`.
    fn and_expr(&self, i: usize) -> Option<(usize, Expr)> {
        self.chain(i, Self::not_expr, |p, j| {
            Some((p.kw(j, "and")?, BinOp::And))
        })
    }

    /// `operand ~ (ws* ~ op ~ ws* ~ operand)*`, folded to the left.
    fn chain(
        &self,
        i: usize,
        operand: fn(&Self, usize) -> Option<(usize, Expr)>,
        op: fn(&Self, usize) -> Option<(usize, BinOp)>,
    ) -> Option<(usize, Expr)> {
        let (mut k, mut left) = operand(self, i)?;
        while let Some((e, o, right)) = op(self, self.ws(k))
            .and_then(|(j, o)| operand(self, self.ws(j)).map(|(e, right)| (e, o, right)))
        {
            left = Self::binary(o, left, right);
            k = e;
        }
        Some((k, left))
    }

    /// `not_expr`: `kw_not ~ ws* ~ not_expr | cmp_expr`.
    fn not_expr(&self, i: usize) -> Option<(usize, Expr)> {
        if let Some(k) = self.kw(i, "not") {
            if let Some((e, operand)) = self.nested(|| self.not_expr(self.ws(k))) {
                let kind = ExprKind::Not(Box::new(operand));
                return Some((e, Expr::new(kind, self.span(i, e))));
            }
        }
        self.cmp_expr(i)
    }

    /// `cmp_expr`: `add_expr ~ (ws* ~ cmp_op ~ ws* ~ add_expr)?`.
    fn cmp_expr(&self, i: usize) -> Option<(usize, Expr)> {
        let (k, left) = self.add_expr(i)?;
        if let Some((j, op)) = self.cmp_op(self.ws(k)) {
            if let Some((e, right)) = self.add_expr(self.ws(j)) {
                return Some((e, Self::binary(op, left, right)));
            }
        }
        Some((k, left))
    }

    /// `cmp_op`.
    fn cmp_op(&self, i: usize) -> Option<(usize, BinOp)> {
        for (lit, op) in [
            ("==", BinOp::Eq),
            ("!=", BinOp::Ne),
            ("<=", BinOp::Le),
            (">=", BinOp::Ge),
            ("<", BinOp::Lt),
            (">", BinOp::Gt),
        ] {
            if self.at(i, lit) {
                return Some((i + lit.len(), op));
            }
        }
        if let Some(k) = self.kw(i, "not").and_then(|k| self.ws1(k)) {
            if let Some(e) = self.kw(k, "in") {
                return Some((e, BinOp::NotIn));
            }
        }
        Some((self.kw(i, "in")?, BinOp::In))
    }

    /// `add_expr`.
    fn add_expr(&self, i: usize) -> Option<(usize, Expr)> {
        self.chain(i, Self::mul_expr, |p, j| match p.byte(j)? {
            b'+' => Some((j + 1, BinOp::Add)),
            b'-' => Some((j + 1, BinOp::Sub)),
            _ => None,
        })
    }

    /// `mul_expr`.
    fn mul_expr(&self, i: usize) -> Option<(usize, Expr)> {
        self.chain(i, Self::unary, |p, j| match p.byte(j)? {
            b'*' => Some((j + 1, BinOp::Mul)),
            b'/' => Some((j + 1, BinOp::Div)),
            b'%' => Some((j + 1, BinOp::Rem)),
            _ => None,
        })
    }

    /// `unary`: `neg* ~ filtered`; each minus wraps the whole (span of the unary).
    fn unary(&self, i: usize) -> Option<(usize, Expr)> {
        let mut k = i;
        let mut negs = 0;
        // `neg`: `"-" ~ !ASCII_DIGIT ~ ws*`.
        while self.byte(k) == Some(b'-') && !self.byte(k + 1).is_some_and(|c| c.is_ascii_digit()) {
            k = self.ws(k + 1);
            negs += 1;
        }
        let (e, mut x) = self.filtered(k)?;
        for _ in 0..negs {
            x = Expr::new(ExprKind::Neg(Box::new(x)), self.span(i, e));
        }
        Some((e, x))
    }

    /// `filtered`: `postfix ~ (ws* ~ "|" ~ ws* ~ filter)*`.
    fn filtered(&self, i: usize) -> Option<(usize, Expr)> {
        let (mut k, mut x) = self.postfix(i)?;
        loop {
            let j = self.ws(k);
            if self.byte(j) != Some(b'|') {
                break;
            }
            let a = self.ws(j + 1);
            let Some((e, name, args)) = self.filter(a) else {
                break;
            };
            let span = x.span.to(self.span(a, e));
            x = Expr::new(ExprKind::Filter(Box::new(x), name, args), span);
            k = e;
        }
        Some((k, x))
    }

    /// `filter`: `ident ~ (ws* ~ "(" ~ ws* ~ args? ~ ws* ~ ")")?`.
    fn filter(&self, i: usize) -> Option<(usize, Spanned<String>, Vec<Expr>)> {
        let (k, name) = self.ident(i)?;
        let open = self.ws(k);
        if self.byte(open) == Some(b'(') {
            let a = self.ws(open + 1);
            let (e, args) = self.args(a).unwrap_or((a, Vec::new()));
            let close = self.ws(e);
            if self.byte(close) == Some(b')') {
                return Some((close + 1, name, args));
            }
        }
        Some((k, name, Vec::new()))
    }

    /// `args`: `expr ~ (ws* ~ "," ~ ws* ~ expr)* ~ (ws* ~ ",")?`.
    fn args(&self, i: usize) -> Option<(usize, Vec<Expr>)> {
        let (mut k, first) = self.expr(i)?;
        let mut out = vec![first];
        loop {
            let j = self.ws(k);
            if self.byte(j) != Some(b',') {
                break;
            }
            let Some((e, x)) = self.expr(self.ws(j + 1)) else {
                break;
            };
            out.push(x);
            k = e;
        }
        let j = self.ws(k);
        if self.byte(j) == Some(b',') {
            k = j + 1;
        }
        Some((k, out))
    }

    /// `postfix`: `primary ~ (ws* ~ (attr | index))*`.
    fn postfix(&self, i: usize) -> Option<(usize, Expr)> {
        let (mut k, mut x) = self.primary(i)?;
        loop {
            let j = self.ws(k);
            let (e, kind) = match self.byte(j) {
                // `attr`: `"." ~ ws* ~ (ident | attr_num)`.
                Some(b'.') => {
                    let a = self.ws(j + 1);
                    let name = match self.ident(a) {
                        Some(r) => r,
                        None => {
                            let d = self.digits(a);
                            if d == a {
                                break;
                            }
                            (d, Spanned::new(self.str(a, d).to_string(), self.span(a, d)))
                        }
                    };
                    (name.0, ExprKind::Attr(Box::new(x), name.1))
                }
                // `index`: `"[" ~ ws* ~ expr ~ ws* ~ "]"`.
                Some(b'[') => {
                    let Some((e, ix)) = self.expr(self.ws(j + 1)) else {
                        break;
                    };
                    let close = self.ws(e);
                    if self.byte(close) != Some(b']') {
                        break;
                    }
                    (close + 1, ExprKind::Index(Box::new(x), Box::new(ix)))
                }
                _ => break,
            };
            let span = match &kind {
                ExprKind::Attr(inner, _) | ExprKind::Index(inner, _) => {
                    inner.span.to(self.span(j, e))
                }
                _ => unreachable!(),
            };
            x = Expr::new(kind, span);
            k = e;
        }
        Some((k, x))
    }

    fn digits(&self, mut i: usize) -> usize {
        while self.byte(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        i
    }

    /// `primary`: `literal | ident | list | "(" ~ ws* ~ expr ~ ws* ~ ")"` (the parentheses are
    /// not part of the inner expression's span).
    fn primary(&self, i: usize) -> Option<(usize, Expr)> {
        let leaf = |e: usize, kind| Some((e, Expr::new(kind, self.span(i, e))));
        if let Some(e) = self.number(i) {
            return leaf(e, ExprKind::Number(self.str(i, e).to_string()));
        }
        if let Some(e) = self.string(i) {
            return leaf(e, ExprKind::Str(unescape_string(self.str(i, e))));
        }
        for (word, kind) in [
            ("true", ExprKind::Bool(true)),
            ("false", ExprKind::Bool(false)),
            ("none", ExprKind::None),
        ] {
            if let Some(e) = self.kw(i, word) {
                return leaf(e, kind);
            }
        }
        if let Some((e, name)) = self.ident(i) {
            return leaf(e, ExprKind::Var(name.value));
        }
        match self.byte(i)? {
            b'[' => {
                let a = self.ws(i + 1);
                let (e, items) = self.args(a).unwrap_or((a, Vec::new()));
                let close = self.ws(e);
                if self.byte(close) != Some(b']') {
                    return None;
                }
                leaf(close + 1, ExprKind::List(items))
            }
            b'(' => {
                let (e, x) = self.expr(self.ws(i + 1))?;
                let close = self.ws(e);
                (self.byte(close) == Some(b')')).then_some((close + 1, x))
            }
            _ => None,
        }
    }

    /// `decimal | integer`: `"-"? ~ ASCII_DIGIT+ ~ "." ~ ASCII_DIGIT+`, else
    /// `"-"? ~ ASCII_DIGIT+ ~ !(ASCII_ALPHA | "_")`.
    fn number(&self, i: usize) -> Option<usize> {
        let a = if self.byte(i) == Some(b'-') { i + 1 } else { i };
        let d = self.digits(a);
        if d == a {
            return None;
        }
        if self.byte(d) == Some(b'.') {
            let f = self.digits(d + 1);
            if f > d + 1 {
                return Some(f);
            }
        }
        let next = self.byte(d);
        (!next.is_some_and(|c| c.is_ascii_alphabetic() || c == b'_')).then_some(d)
    }

    /// `string`: `"…"` or `'…'` with backslash escapes.
    fn string(&self, i: usize) -> Option<usize> {
        let q = self.byte(i)?;
        if q != b'"' && q != b'\'' {
            return None;
        }
        let mut k = i + 1;
        loop {
            match self.byte(k)? {
                c if c == q => return Some(k + 1),
                b'\\' => k = self.any(k + 1)?,
                _ => k = self.any(k)?,
            }
        }
    }
}
