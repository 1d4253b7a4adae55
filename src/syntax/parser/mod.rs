//! The only module that names pest types: pest pairs in, owned AST out.
//!
//! A template is split into logical lines (a multi-line `{# … #}` comment joins its lines), the
//! front matter is recognised, each line is parsed with the `line` rule and its inline parts with
//! the `inline` rule. Errors are collected, not thrown, so that `slipmark check` can report all.
//!
//! Lines, settings and inline content first go through `fast`, a hand-written mirror of the
//! grammar that builds the same AST without pest's per-rule overhead; whatever would report an
//! error is handed to pest unchanged, so messages and spans come from one place.

mod expr;
mod fast;
mod inline;
mod lines;
#[cfg(test)]
mod tests;

use pest::Parser as _;
use pest::error::{ErrorVariant, InputLocation};
use pest_derive::Parser;

use crate::error::{Error, ErrorKind};
use crate::span::{SourceId, Span};
use crate::syntax::ast::Ast;

#[derive(Parser)]
#[grammar = "../grammar/slipmark.pest"]
struct SlipParser;

/// The maximum nesting of brackets and `not`s inside one tag. Deeper input is rejected before
/// pest sees it, so that no input can exhaust the stack.
const MAX_TAG_NESTING: usize = 64;

/// Parses a template body (with front matter when `front_matter` is true). Returns the AST and
/// every error found; the AST is only meaningful when the error list is empty.
pub fn parse(source: SourceId, text: &str, front_matter: bool) -> (Ast, Vec<Error>) {
    parse_with(source, text, front_matter, true)
}

/// [`parse`], with the hand-written fast path (`fast`) or with pest alone (the reference the
/// tests compare the fast path with).
fn parse_with(source: SourceId, text: &str, front_matter: bool, fast: bool) -> (Ast, Vec<Error>) {
    let (ast, errors, _) = parse_counting(source, text, front_matter, fast);
    (ast, errors)
}

/// [`parse_with`], also returning how many times pest ran.
fn parse_counting(
    source: SourceId,
    text: &str,
    front_matter: bool,
    fast: bool,
) -> (Ast, Vec<Error>, usize) {
    let mut p = Parse {
        source,
        text,
        errors: Vec::new(),
        fast,
        pest_runs: 0,
    };
    let ast = p.template(front_matter);
    (ast, p.errors, p.pest_runs)
}

/// Parser state for one source.
struct Parse<'a> {
    source: SourceId,
    text: &'a str,
    errors: Vec<Error>,
    /// Whether lines, settings and inline content go through the hand-written mirror of the
    /// grammar first (`fast.rs`); pest then only sees what the mirror leaves to it.
    fast: bool,
    /// How many times pest ran (the tests check that valid templates need none).
    pest_runs: usize,
}

impl<'a> Parse<'a> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.source, start, end)
    }

    /// Runs `rule` on `text[start..end]`; on failure records an error and returns `None`.
    fn run(
        &mut self,
        rule: Rule,
        start: usize,
        end: usize,
    ) -> Option<pest::iterators::Pair<'a, Rule>> {
        let text: &'a str = self.text;
        self.pest_runs += 1;
        match SlipParser::parse(rule, &text[start..end]) {
            Ok(mut pairs) => pairs.next(),
            Err(err) => {
                let e = self.pest_error(&err, start, end);
                self.errors.push(e);
                None
            }
        }
    }

    /// Converts a pest error on `text[base..end]` into ours.
    fn pest_error(&self, err: &pest::error::Error<Rule>, base: usize, end: usize) -> Error {
        let (at, to) = match err.location {
            InputLocation::Pos(p) => (base + p, base + p),
            InputLocation::Span((a, b)) => (base + a, base + b),
        };
        let to = if to == at {
            next_char_end(self.text, at, end)
        } else {
            to
        };
        let message = match &err.variant {
            ErrorVariant::ParsingError { positives, .. } => expected(positives, at >= end),
            ErrorVariant::CustomError { message } => message.clone(),
        };
        Error::new(ErrorKind::Syntax, message).at(self.span(at, to))
    }
}

/// The first `pair` in `text` at or after byte `from` (as `text[from..].find(pair)`, without
/// the set-up of a substring searcher, which costs more than the search on a line).
fn find_pair(text: &str, from: usize, pair: &str) -> Option<usize> {
    let (b, p) = (text.as_bytes(), pair.as_bytes());
    let mut i = from;
    loop {
        let j = i + b.get(i..)?.iter().position(|&c| c == p[0])?;
        if b.get(j + 1) == Some(&p[1]) {
            return Some(j);
        }
        i = j + 1;
    }
}

/// The end of the character at `at` (or `at` itself at the end of the range).
fn next_char_end(text: &str, at: usize, end: usize) -> usize {
    text[at.min(end)..end]
        .chars()
        .next()
        .map_or(at, |c| at + c.len_utf8())
}

/// "expected …" from the rules pest tried at the failure point.
fn expected(positives: &[Rule], at_end: bool) -> String {
    let mut names: Vec<&str> = Vec::new();
    for rule in positives {
        let name = describe(*rule);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let list = match names.as_slice() {
        [] => "something else".to_string(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {}", init.join(", "), last),
    };
    if at_end {
        format!("unexpected end of tag, expected {list}")
    } else {
        format!("expected {list}")
    }
}

/// Human names for grammar rules (a partial renaming with a fallback, as in pest_meta).
fn describe(rule: Rule) -> &'static str {
    use Rule::*;
    match rule {
        expr | or_expr | and_expr | not_expr | cmp_expr | add_expr | mul_expr | unary
        | filtered | postfix | neg | decimal | integer | string | kw_true | kw_false | kw_none
        | list => "a value",
        ident | ident_raw => "a name",
        cmp_op | not_in | add_op | mul_op | kw_and | kw_or | kw_in | kw_not => "an operator",
        filter => "a filter name",
        args => "arguments",
        attr | attr_num => "an attribute name",
        index => "`[`",
        kw_for | kw_endfor | kw_if | kw_elif | kw_else | kw_endif | kw_set | kw_include
        | for_stmt | endfor_stmt | if_stmt | elif_stmt | else_stmt | endif_stmt | set_stmt
        | include_stmt | unknown_stmt => "a statement",
        class => "a style class like `.big`",
        spec_width => "a column width",
        setting_key => "a setting name",
        _ => "valid syntax",
    }
}

/// The longest tag accepted, in bytes.
const MAX_TAG_LEN: usize = 4096;

/// Checks that no tag in `text[start..end]` is longer than [`MAX_TAG_LEN`] or nests brackets or
/// `not`s deeper than [`MAX_TAG_NESTING`]; returns the offset of the first excess and why.
fn too_deep(text: &str, start: usize, end: usize) -> Option<(usize, &'static str)> {
    let bytes = text.as_bytes();
    let mut tag_start = None;
    let mut depth = 0usize;
    let mut nots = 0usize;
    let mut i = start;
    while i < end {
        let b = bytes[i];
        match tag_start {
            None => {
                if b == b'{' && i + 1 < end && (bytes[i + 1] == b'{' || bytes[i + 1] == b'%') {
                    tag_start = Some(i);
                    depth = 0;
                    nots = 0;
                    i += 2;
                    continue;
                }
            }
            Some(t) => {
                match b {
                    b'(' | b'[' => depth += 1,
                    b')' | b']' => depth = depth.saturating_sub(1),
                    b'}' | b'%' if i + 1 < end && bytes[i + 1] == b'}' => tag_start = None,
                    b'n' if text.as_bytes()[i..end].starts_with(b"not") => nots += 1,
                    _ => {}
                }
                if depth > MAX_TAG_NESTING || nots > MAX_TAG_NESTING {
                    return Some((i, "expression nested too deeply (more than 64 levels)"));
                }
                if i - t > MAX_TAG_LEN {
                    return Some((t, "tag too long (more than 4096 bytes)"));
                }
            }
        }
        i += 1;
    }
    None
}
