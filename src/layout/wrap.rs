//! Line breaking: fitting inline text into a width in columns.
//!
//! Rules, in order:
//!
//! - Breaks may happen at spaces (the spaces at a break are not printed) and between two
//!   characters when at least one of them is not part of a word. Word characters are ASCII
//!   graphic characters (so `12.50`, `x2`, `https://a.b/c` stay whole) and letters and digits
//!   of alphabetic scripts (`café`, `Пицца`, `①`); CJK ideographs, kana and full-width forms
//!   break between any two characters.
//! - No break before closing punctuation (`，。、；：？！）》」』】` and friends, ASCII `,.;:?!)]}`)
//!   or a unit sign (`％℃°‰`), and none after opening punctuation (`（《「『【“‘` and `([{`) or
//!   a currency or multiplication sign (`￥`, `×`): so none of them ends up alone at the wrong
//!   end of a line, and `￥88.00` and `×2` stay whole.
//! - **A number is one piece** ([`glue`]): an optional sign and currency sign, digits with their
//!   `,`/`.` separators, and a unit written right after them (ASCII letters, `%`, `‰`, `℃`,
//!   `°`, or one CJK character such as `元`): `-¥1,234.50`, `0.356kg`, `12元` never break.
//! - No break before a list separator (`/`, `、`, `·`, `・`): it stays at the end of a line.
//! - Greedy: each line takes as much as fits. A piece that cannot break and is wider than the
//!   whole width is split between characters (the only way to keep it on the paper).
//!
//! Widths follow [`crate::measure`]: each run's part of a line is `ceil(dots / 12)` columns.

use std::cell::Cell;

use crate::frame::PlacedText;
use crate::measure::{DOTS_PER_COLUMN, Encoding, char_columns, columns_for_dots};
use crate::span::Span;

use super::inline::Frag;

/// One wrapped line: runs placed from column 0.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct WrapLine<'f> {
    /// Runs, from column 0, contiguous.
    pub runs: Vec<Piece<'f>>,
    /// Total columns.
    pub width: u32,
}

/// A run of a wrapped line: a part of one fragment at a column from the line's start, its text
/// borrowed from the fragment until it is copied into the frame.
pub(crate) type Piece<'f> = PlacedText<'f>;

/// A single character wider than the width it must fit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TooWide {
    /// The character.
    pub ch: char,
    /// Its columns (at its scale).
    pub columns: u32,
    /// The run it belongs to.
    pub span: Span,
}

/// Saturating conversion to the frame's column type.
pub(crate) fn to_u16(n: u32) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// A character of the text being wrapped (the room for them is reused: [`wrap_into`]).
#[derive(Debug, Clone)]
pub(crate) struct Ch {
    c: char,
    frag: usize,
    start: usize,
    dots: u32,
    /// Whether a break before this character would split a number piece ([`glue`]).
    glued: Cell<bool>,
}

/// Tracks the width of a line being filled: each run's part is rounded up on its own.
#[derive(Debug, Clone, Copy, Default)]
struct Meter {
    closed: u32,
    open: Option<usize>,
    open_dots: u32,
}

impl Meter {
    fn add(&mut self, ch: &Ch) {
        if self.open == Some(ch.frag) {
            self.open_dots = self.open_dots.saturating_add(ch.dots);
        } else {
            self.closed = self.closed.saturating_add(columns_for_dots(self.open_dots));
            self.open = Some(ch.frag);
            self.open_dots = ch.dots;
        }
    }

    fn width(&self) -> u32 {
        self.closed.saturating_add(columns_for_dots(self.open_dots))
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0xA4CF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// CJK Unified Ideographs (no punctuation among them).
fn is_ideograph(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF)
}

fn is_word(c: char) -> bool {
    // the range test first: CJK is never a word character, and it is what receipts are made of
    c.is_ascii_graphic() || (!c.is_ascii() && !is_cjk(c) && c.is_alphanumeric())
}

/// Characters that must not start a line.
fn no_break_before(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '）'
            | '》'
            | '」'
            | '』'
            | '】'
            | '〉'
            | '〕'
            | '〗'
            | '］'
            | '｝'
            | '”'
            | '’'
            | '…'
            | '‥'
            | '．'
            | '％'
            | '‰'
            | '℃'
            | '°'
            | '′'
            | '″'
            | ','
            | '.'
            | ';'
            | ':'
            | '?'
            | '!'
            | ')'
            | ']'
            | '}'
            | '%'
            | '/'
            | '·'
            | '・'
    )
}

/// Signs that may open a number piece.
fn is_sign(c: char) -> bool {
    matches!(c, '-' | '+' | '−' | '－' | '＋')
}

/// Currency signs that may open a number piece (after or before its sign).
fn is_currency(c: char) -> bool {
    matches!(c, '¥' | '￥' | '$' | '＄' | '€' | '£' | '￡' | '₩' | '₹')
}

/// Unit characters that may follow a number's digits (a run of them).
fn is_unit(c: char) -> bool {
    c.is_ascii_alphabetic() || matches!(c, '%' | '％' | '‰' | '℃' | '°' | '℉')
}

/// For each position `j` of `chars`, whether a break between `chars[j - 1]` and `chars[j]`
/// would split a number piece (language §3: a number with its sign, currency sign, separators,
/// decimal point and a unit right after it is one piece).
#[cfg(test)]
pub(crate) fn glue(chars: &[char]) -> Vec<bool> {
    let mut glued = vec![false; chars.len() + 1];
    number_pieces(
        chars.len(),
        |k| chars[k],
        |start, end| {
            for g in &mut glued[start + 1..end] {
                *g = true;
            }
        },
    );
    glued
}

/// Calls `piece(start, end)` for every number piece `start..end` of the `n` characters that
/// `at` gives (see [`glue`]: a break is glued inside a piece, between `start + 1` and
/// `end - 1`). A piece may be a single character, which glues nothing.
pub(crate) fn number_pieces(
    n: usize,
    at: impl Fn(usize) -> char,
    mut piece: impl FnMut(usize, usize),
) {
    let mut i = 0;
    while i < n {
        // Fast path: a piece starts with a sign, a currency sign or a digit; from any other
        // character `piece_end` finds no piece either (no prefix to take, no digit).
        let c = at(i);
        let opens = if c.is_ascii() {
            // the ASCII signs and currency signs
            c.is_ascii_digit() || matches!(c, '-' | '+' | '$')
        } else {
            is_sign(c) || is_currency(c)
        };
        i = match opens.then(|| piece_end(n, &at, i)).flatten() {
            Some(end) => {
                piece(i, end);
                end
            }
            None => i + 1,
        };
    }
}

/// [`number_pieces`] without its fast path (`piece_end` tried at every position): what the
/// tests compare it with.
#[cfg(test)]
fn number_pieces_slow(n: usize, at: impl Fn(usize) -> char, mut piece: impl FnMut(usize, usize)) {
    let mut i = 0;
    while i < n {
        i = match piece_end(n, &at, i) {
            Some(end) => {
                piece(i, end);
                end
            }
            None => i + 1,
        };
    }
}

/// The end of the number piece that starts at `i`, if one does: up to three signs or currency
/// signs, digits (with `,` or `.` between digits), then a unit or one CJK measure word. Digits
/// inside a word (`x2`, `SKU-0012`, `A4`) are the word's, not a number.
fn piece_end(n: usize, at: &impl Fn(usize) -> char, i: usize) -> Option<usize> {
    let inside_word = |k: usize| k > 0 && at(k - 1).is_ascii_alphanumeric();
    if inside_word(i)
        || (i > 0 && matches!(at(i - 1), '-' | '_' | '.' | '/' | '+') && inside_word(i - 1))
    {
        return None;
    }
    let mut j = i;
    let mut prefix = 0;
    while j < n && prefix < 3 && (is_sign(at(j)) || is_currency(at(j))) {
        j += 1;
        prefix += 1;
    }
    if !(j < n && at(j).is_ascii_digit()) {
        return None;
    }
    j += 1;
    loop {
        if j < n && at(j).is_ascii_digit() {
            j += 1;
        } else if j + 1 < n && matches!(at(j), ',' | '.') && at(j + 1).is_ascii_digit() {
            j += 2;
        } else {
            break;
        }
    }
    if j < n && is_unit(at(j)) {
        while j < n && is_unit(at(j)) {
            j += 1;
        }
    } else if j < n && is_cjk(at(j)) && at(j).is_alphabetic() {
        j += 1;
    }
    Some(j)
}

/// Characters that must not end a line.
fn no_break_after(c: char) -> bool {
    matches!(
        c,
        '（' | '《'
            | '「'
            | '『'
            | '【'
            | '〈'
            | '〔'
            | '〖'
            | '［'
            | '｛'
            | '“'
            | '‘'
            | '('
            | '['
            | '{'
            | '￥'
            | '＄'
            | '×'
            | '№'
            | '#'
            | '$'
    )
}

/// [`can_break`] without its fast path, for the tests.
#[cfg(test)]
fn can_break_slow(a: char, b: char) -> bool {
    if a == ' ' || b == ' ' {
        return true;
    }
    !(is_word(a) && is_word(b) || no_break_after(a) || no_break_before(b))
}

/// Whether a line may break between `a` and `b`.
fn can_break(a: char, b: char) -> bool {
    if a == ' ' || b == ' ' {
        return true;
    }
    // Fast path: two CJK ideographs (most of a Chinese note) are neither word characters nor
    // punctuation, so the checks below allow the break.
    if is_ideograph(a) && is_ideograph(b) {
        return true;
    }
    !(is_word(a) && is_word(b) || no_break_after(a) || no_break_before(b))
}

/// Wraps `frags` into lines at most `width` columns wide. Always returns at least one line
/// (empty for empty input). Fails only when a single character is wider than `width`.
pub(crate) fn wrap<'f>(
    frags: &'f [Frag<'_>],
    width: u32,
    encoding: Encoding,
) -> Result<Vec<WrapLine<'f>>, TooWide> {
    wrap_noting(frags, width, encoding, &mut Vec::new())
}

/// [`wrap`], pushing onto `split` the span of every number that had to be split because it is
/// wider than `width` (the caller warns there).
pub(crate) fn wrap_noting<'f>(
    frags: &'f [Frag<'_>],
    width: u32,
    encoding: Encoding,
    split: &mut Vec<Span>,
) -> Result<Vec<WrapLine<'f>>, TooWide> {
    if let Some(one) = one_line(frags, width) {
        let line = WrapLine {
            runs: one.pieces(frags).collect(),
            width: one.width,
        };
        return Ok(vec![line]);
    }
    wrap_general(frags, width, encoding, split)
}

/// [`wrap_noting`] without the one-line fast path: the line breaking itself, character by
/// character (the tests check the fast path against it).
fn wrap_general<'f>(
    frags: &'f [Frag<'_>],
    width: u32,
    encoding: Encoding,
    split: &mut Vec<Span>,
) -> Result<Vec<WrapLine<'f>>, TooWide> {
    let mut lines = Vec::new();
    wrap_into(frags, width, encoding, split, &mut Vec::new(), |line| {
        lines.push(WrapLine {
            runs: line.pieces().collect(),
            width: line.width(),
        });
    })?;
    Ok(lines)
}

/// [`char_columns`] of `c`, printable ASCII and the CJK Unified Ideographs of GBK without a
/// look at the printable set; `char_dots(c, scale, encoding)` is `scale.dots(DOTS_PER_COLUMN)`
/// times it (each scale's dots for a column are whole: 12, 16, 24).
fn columns_of(c: char, encoding: Encoding) -> u32 {
    match (encoding, u32::from(c)) {
        (Encoding::Gbk, 0x20..=0x7E) => 1,
        (Encoding::Gbk, 0x4E00..=0x9FA5) => 2,
        _ => char_columns(c, encoding),
    }
}

/// The line breaking of [`wrap_general`], handing each line to `emit` as it is found instead of
/// collecting them (`chars`: room for the characters, reused from call to call). On error,
/// the lines before it were emitted.
pub(crate) fn wrap_into<'f>(
    frags: &'f [Frag<'_>],
    width: u32,
    encoding: Encoding,
    split: &mut Vec<Span>,
    chars: &mut Vec<Ch>,
    mut emit: impl FnMut(Found<'_, 'f>),
) -> Result<(), TooWide> {
    // no more characters than bytes: allocated once
    chars.clear();
    chars.reserve(frags.iter().map(|f| f.text.len()).sum());
    chars.extend(frags.iter().enumerate().flat_map(|(fi, f)| {
        let unit = f.style.width.dots(DOTS_PER_COLUMN);
        f.text.char_indices().map(move |(start, c)| Ch {
            c,
            frag: fi,
            start,
            dots: unit * columns_of(c, encoding),
            glued: Cell::new(false),
        })
    }));
    let n = chars.len();
    number_pieces(
        n,
        |k| chars[k].c,
        |start, end| {
            for ch in &chars[start + 1..end] {
                ch.glued.set(true);
            }
        },
    );
    let breakable = |j: usize| {
        j == n || (j > 0 && !chars[j].glued.get() && can_break(chars[j - 1].c, chars[j].c))
    };

    let chars = &chars[..];
    let mut lines = 0usize;
    let mut i = 0;
    loop {
        if lines > 0 {
            while i < n && chars[i].c == ' ' {
                i += 1;
            }
        }
        if i >= n {
            if lines == 0 {
                emit(Found { frags, chars: &[] });
            }
            return Ok(());
        }
        // Scan for the last legal break at which the content (without trailing spaces) fits.
        let mut meter = Meter::default();
        let mut content_end = i;
        let mut best: Option<(usize, usize)> = None; // (next start, content end)
        let mut j = i;
        while j < n {
            meter.add(&chars[j]);
            if chars[j].c != ' ' {
                if meter.width() > width {
                    break;
                }
                content_end = j + 1;
            }
            j += 1;
            if breakable(j) && content_end > i {
                best = Some((j, content_end));
            }
        }
        let (next, end) = match best {
            Some(b) => b,
            None => {
                // Nothing breakable fits: split the piece between characters.
                let mut meter = Meter::default();
                let mut k = i;
                while k < n {
                    let mut m = meter;
                    m.add(&chars[k]);
                    if m.width() > width {
                        break;
                    }
                    meter = m;
                    k += 1;
                }
                if k == i {
                    let ch = &chars[i];
                    return Err(TooWide {
                        ch: ch.c,
                        columns: columns_for_dots(ch.dots),
                        span: frags[ch.frag].span,
                    });
                }
                let mut end = k;
                while end > i && chars[end - 1].c == ' ' {
                    end -= 1;
                }
                if end == i {
                    // Only leading spaces fit before an unbreakable piece: drop them rather
                    // than print an empty line.
                    while i < n && chars[i].c == ' ' {
                        i += 1;
                    }
                    continue;
                }
                if k < n && chars[k].glued.get() {
                    let span = frags[chars[k].frag].span;
                    if !split.contains(&span) {
                        split.push(span);
                    }
                }
                (k, end)
            }
        };
        emit(Found {
            frags,
            chars: &chars[i..end],
        });
        lines += 1;
        i = next;
    }
}

/// Text that fits on one line as it is: the fragments printed, where the last one ends and
/// the line's width. What [`wrap_noting`] returns for such text, found without visiting its
/// characters: a break is only ever chosen when the next non-space character would not fit, and
/// widths only grow along a line, so text whose content fits is one line, of all of it but
/// its trailing spaces (which are never printed at a line end).
#[derive(Debug, Clone, Copy)]
pub(crate) struct OneLine {
    /// Fragments with characters on the line (a prefix of the fragments).
    pub frags: usize,
    /// Byte end of the line in the last of them.
    end: usize,
    /// Columns.
    pub width: u32,
}

/// [`OneLine`] for `frags` within `width`, or `None` when the general line breaking is needed.
pub(crate) fn one_line(frags: &[Frag<'_>], width: u32) -> Option<OneLine> {
    let Some(last) = frags
        .iter()
        .rposition(|f| f.text.bytes().any(|b| b != b' '))
    else {
        // Nothing but spaces (or nothing): one empty line, unless even a space is too wide
        // for `width` (the general path reports that character).
        let first = frags.iter().find(|f| !f.text.is_empty());
        return match first {
            Some(f) if columns_for_dots(f.dots_of(1)) > width => None,
            _ => Some(OneLine {
                frags: 0,
                end: 0,
                width: 0,
            }),
        };
    };
    let f = &frags[last];
    let end = f.text.trim_end_matches(' ').len();
    // spaces are one column each
    let trailing = u32::try_from(f.text.len() - end).unwrap_or(u32::MAX);
    let mut w = frags[..last]
        .iter()
        .fold(0u32, |w, f| w.saturating_add(f.columns()));
    w = w.saturating_add(columns_for_dots(
        f.dots_of(f.size.columns.saturating_sub(trailing)),
    ));
    (w <= width).then_some(OneLine {
        frags: last + 1,
        end,
        width: w,
    })
}

/// [`one_line`] for fragments whose one-line width `natural` (the sum of their columns) is
/// already known. Fast path: when the last fragment ends in a character other than a space,
/// it is the last with content and has no trailing spaces, so `one_line` would sum every
/// fragment's columns, which is `natural`, and keep all of the text.
pub(crate) fn one_line_of(frags: &[Frag<'_>], natural: u32, width: u32) -> Option<OneLine> {
    match frags.last() {
        Some(f) if f.text.as_bytes().last().is_some_and(|&b| b != b' ') => (natural <= width)
            .then_some(OneLine {
                frags: frags.len(),
                end: f.text.len(),
                width: natural,
            }),
        _ => one_line(frags, width),
    }
}

impl OneLine {
    /// Whether the line holds all of `frags` (the fragments it was found for), every text
    /// whole: then its pieces are the fragments themselves at their own widths.
    pub fn is_whole(self, frags: &[Frag<'_>]) -> bool {
        self.frags == frags.len() && frags.last().is_some_and(|f| self.end == f.text.len())
    }

    /// The line's runs from column 0 (one run per fragment, as `place` makes them: empty
    /// fragments have no run).
    pub fn pieces<'f>(self, frags: &'f [Frag<'_>]) -> impl Iterator<Item = Piece<'f>> {
        let mut col = 0u32;
        frags[..self.frags]
            .iter()
            .enumerate()
            .filter_map(move |(k, f)| {
                let (text, columns) = if k + 1 == self.frags {
                    let text = &f.text[..self.end];
                    let trailing = u32::try_from(f.text.len() - self.end).unwrap_or(u32::MAX);
                    let dots = f.dots_of(f.size.columns.saturating_sub(trailing));
                    (text, columns_for_dots(dots))
                } else {
                    (&f.text[..], f.columns())
                };
                if text.is_empty() {
                    return None;
                }
                let piece = Piece {
                    col: to_u16(col),
                    width: to_u16(columns),
                    text,
                    style: f.style,
                    origin: f.origin,
                    span: f.span,
                };
                col = col.saturating_add(columns);
                Some(piece)
            })
    }
}

/// One line the line breaking found: consecutive characters of the fragments.
pub(crate) struct Found<'c, 'f> {
    frags: &'f [Frag<'f>],
    chars: &'c [Ch],
}

impl<'f> Found<'_, 'f> {
    /// The line's runs from column 0, one per fragment part, each with its columns.
    fn placed(&self) -> impl Iterator<Item = (Piece<'f>, u32)> + '_ {
        let (frags, chars) = (self.frags, self.chars);
        let mut col = 0u32;
        let mut s = 0;
        std::iter::from_fn(move || {
            if s >= chars.len() {
                return None;
            }
            let frag = chars[s].frag;
            let mut e = s;
            let mut dots = 0u32;
            while e < chars.len() && chars[e].frag == frag {
                dots = dots.saturating_add(chars[e].dots);
                e += 1;
            }
            let f = &frags[frag];
            let last = &chars[e - 1];
            let text = &f.text[chars[s].start..last.start + last.c.len_utf8()];
            let w = columns_for_dots(dots);
            let piece = Piece {
                col: to_u16(col),
                width: to_u16(w),
                text,
                style: f.style,
                origin: f.origin,
                span: f.span,
            };
            col = col.saturating_add(w);
            s = e;
            Some((piece, w))
        })
    }

    /// The line's runs, from column 0.
    pub fn pieces(&self) -> impl Iterator<Item = Piece<'f>> + '_ {
        self.placed().map(|(piece, _)| piece)
    }

    /// Its columns.
    pub fn width(&self) -> u32 {
        self.placed()
            .fold(0u32, |w, (_, cols)| w.saturating_add(cols))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Origin, Scale, Style};

    fn frag(text: &str, style: Style) -> Frag<'static> {
        Frag::new(text, style, Origin::Template, Span::new(0, 0, text.len()))
    }

    fn texts(frags: &[Frag<'_>], width: u32) -> Vec<String> {
        wrap(frags, width, Encoding::Gbk)
            .unwrap()
            .iter()
            .map(|l| l.runs.iter().map(|r| r.text).collect())
            .collect()
    }

    fn plain(text: &str, width: u32) -> Vec<String> {
        texts(&[frag(text, Style::PLAIN)], width)
    }

    #[test]
    fn latin_words_and_numbers_stay_whole() {
        assert_eq!(
            plain("Kung Pao chicken 12.50", 10),
            ["Kung Pao", "chicken", "12.50"]
        );
        // a word wider than the line is split between characters
        assert_eq!(plain("abcdefghij", 4), ["abcd", "efgh", "ij"]);
    }

    #[test]
    fn cjk_breaks_between_characters() {
        assert_eq!(plain("宫保鸡丁饭", 6), ["宫保鸡", "丁饭"]);
        // mixed: the number moves whole, CJK fills
        assert_eq!(plain("加辣12份不要葱", 5), ["加辣", "12份", "不要", "葱"]);
    }

    #[test]
    fn closing_punctuation_never_starts_a_line() {
        // "好" carries "，" to the next line rather than let it start one
        let lines = plain("你好，世界。", 4);
        assert_eq!(lines, ["你", "好，", "世", "界。"]);
        for l in &lines {
            assert!(!l.starts_with(['，', '。']), "{lines:?}");
        }
    }

    #[test]
    fn opening_punctuation_never_ends_a_line() {
        let lines = plain("米饭（大）", 6);
        assert_eq!(lines, ["米饭", "（大）"]);
    }

    #[test]
    fn a_characters_dots_are_its_columns_times_its_scales_dots_for_a_column() {
        use crate::document::Scale;
        use crate::measure::char_dots;
        for c in (0..0x11000).filter_map(char::from_u32) {
            for scale in [Scale::X1, Scale::X4_3, Scale::X2] {
                assert_eq!(
                    scale.dots(DOTS_PER_COLUMN) * columns_of(c, Encoding::Gbk),
                    char_dots(c, scale, Encoding::Gbk),
                    "U+{:04X} {scale:?}",
                    c as u32
                );
            }
        }
    }

    #[test]
    fn numbers_with_sign_currency_and_unit_are_one_piece() {
        // the sign and the currency sign stay with the digits, the unit with the number
        assert_eq!(plain("退款 -¥1,234.50", 11), ["退款", "-¥1,234.50"]);
        assert_eq!(plain("称重0.356kg", 8), ["称重", "0.356kg"]);
        assert_eq!(plain("共12元整", 4), ["共", "12元", "整"]);
        // digits inside a word are not a number piece
        assert!(
            !glue(&"SKU-0012".chars().collect::<Vec<_>>())[5..]
                .iter()
                .any(|g| *g)
        );
        // a number wider than the line still has to split, and says so
        let mut split = Vec::new();
        let f = [frag("12345.68", Style::PLAIN)];
        let lines = wrap_noting(&f, 5, Encoding::Gbk, &mut split).unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(split, [f[0].span]);
        // text that is not a number does not warn
        let mut split = Vec::new();
        wrap_noting(
            &[frag("abcdefgh", Style::PLAIN)],
            5,
            Encoding::Gbk,
            &mut split,
        )
        .unwrap();
        assert!(split.is_empty());
    }

    #[test]
    fn list_separators_never_start_a_line() {
        for text in [
            "加辣/少冰/去葱/多放香菜",
            "加辣、少冰、去葱、多放香菜",
            "加辣·少冰·去葱·多放香菜",
        ] {
            // from 4 columns: a character and its separator fit on one line
            for width in 4..12 {
                for l in plain(text, width) {
                    assert!(!l.starts_with(['/', '、', '·']), "{text} at {width}: {l}");
                }
            }
        }
    }

    #[test]
    fn currency_sign_stays_with_its_number() {
        assert_eq!(plain("合计￥88.00", 8), ["合计", "￥88.00"]);
    }

    #[test]
    fn scaled_runs_are_rounded_up_per_run() {
        let big = Style {
            width: Scale::X2,
            height: Scale::X2,
            bold: false,
        };
        // ×2 CJK = 4 columns each: two per 8-column line
        assert_eq!(texts(&[frag("美味餐厅", big)], 8), ["美味", "餐厅"]);
        let large = Style {
            width: Scale::X4_3,
            ..Style::PLAIN
        };
        let frags = [frag("ab", large), frag("c", Style::PLAIN)];
        let lines = wrap(&frags, 32, Encoding::Gbk).unwrap();
        // "ab" at ×1.33 = 32 dots = 3 columns, then "c" at column 3
        assert_eq!(lines[0].runs[0].width, 3);
        assert_eq!(lines[0].runs[1].col, 3);
        assert_eq!(lines[0].width, 4);
    }

    #[test]
    fn spaces_at_breaks_are_dropped_and_runs_split_per_line() {
        let frags = [frag("one ", Style::PLAIN), frag("two three", Style::PLAIN)];
        let lines = wrap(&frags, 7, Encoding::Gbk).unwrap();
        let shown: Vec<Vec<(u16, &str)>> = lines
            .iter()
            .map(|l| l.runs.iter().map(|r| (r.col, r.text)).collect())
            .collect();
        assert_eq!(
            shown,
            vec![vec![(0, "one "), (4, "two")], vec![(0, "three")]]
        );
    }

    #[test]
    fn leading_spaces_that_do_not_fit_are_dropped() {
        assert_eq!(plain("   你", 2), ["你"]);
        // where they fit, they stay
        assert_eq!(plain("  ab", 8), ["  ab"]);
    }

    proptest::proptest! {
        /// The one-line fast path is what the general line breaking gives for the same text.
        #[test]
        fn the_one_line_fast_path_equals_the_general_line_breaking(
            pieces in proptest::collection::vec(
                ("[ a-z0-9.,%￥（）：，、好码·—]{0,8}", 0..3usize, proptest::bool::ANY),
                0..5,
            ),
            width in 0u32..30,
        ) {
            let frags: Vec<Frag<'static>> = pieces
                .iter()
                .map(|(text, scale, template)| {
                    let scale = [Scale::X1, Scale::X4_3, Scale::X2][*scale];
                    let style = Style { width: scale, height: scale, bold: false };
                    let origin = if *template { Origin::Template } else { Origin::Data };
                    Frag::new(text, style, origin, Span::new(0, 0, text.len()))
                })
                .collect();
            let natural = frags.iter().fold(0u32, |w, f| w.saturating_add(f.columns()));
            let known = one_line_of(&frags, natural, width);
            let one = one_line(&frags, width);
            proptest::prop_assert_eq!(
                known.map(|k| (k.frags, k.end, k.width)),
                one.map(|k| (k.frags, k.end, k.width))
            );
            if let Some(one) = one {
                let fast = WrapLine { runs: one.pieces(&frags).collect(), width: one.width };
                let mut split = Vec::new();
                let general = wrap_general(&frags, width, Encoding::Gbk, &mut split);
                proptest::prop_assert_eq!(general, Ok(vec![fast]));
                proptest::prop_assert!(split.is_empty());
            }
        }
    }

    proptest::proptest! {
        /// `number_pieces` skips positions that cannot start a piece: the pieces are those of
        /// checking every position.
        #[test]
        fn number_pieces_fast_equals_slow(text in "[ a-zA-Z0-9.,%￥¥$+\\-_/（）元好码·−－＋℃°kg]{0,24}") {
            let chars: Vec<char> = text.chars().collect();
            let (mut fast, mut slow) = (Vec::new(), Vec::new());
            number_pieces(chars.len(), |k| chars[k], |a, b| fast.push((a, b)));
            number_pieces_slow(chars.len(), |k| chars[k], |a, b| slow.push((a, b)));
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn can_break_fast_path_equals_the_rules() {
        let sample: Vec<char> = (0x20..0x7f)
            .chain(0x3000..0x3040)
            .chain(0x4DF0..0x4E10)
            .chain(0x9FF0..0xA010)
            .chain(0xFF00..0xFF70)
            .chain([
                0xB7, 0xD7, 0x2014, 0x2018, 0x2019, 0x201C, 0x201D, 0x2026, 0x2103, 0x4E2D,
            ])
            .filter_map(char::from_u32)
            .collect();
        for &a in &sample {
            for &b in &sample {
                assert_eq!(can_break(a, b), can_break_slow(a, b), "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn a_character_wider_than_the_width_is_reported() {
        let err = wrap(&[frag("份", Style::PLAIN)], 1, Encoding::Gbk).unwrap_err();
        assert_eq!((err.ch, err.columns), ('份', 2));
        // empty input is one empty line
        assert_eq!(
            wrap(&[], 1, Encoding::Gbk).unwrap(),
            vec![WrapLine::default()]
        );
    }
}
