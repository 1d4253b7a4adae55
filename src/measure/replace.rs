//! What becomes of characters the printer cannot print (the table is in the module docs of
//! [`crate::measure`]).

use unicode_width::UnicodeWidthChar;

use super::Encoding;
use super::width::printable;

/// The visible stand-in for a character the printer cannot print: `□` (U+25A1, in GBK).
pub const STAND_IN: char = '□';

/// What layout does with one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Replacement {
    /// Printable: kept as it is.
    Keep,
    /// Replaced, silently, by a character that looks the same on paper.
    Equivalent(char),
    /// A tab or line break: printed as one space (warned).
    Space,
    /// A control or zero-width character: removed (warned).
    Drop,
    /// Replaced by a readable ASCII or GBK spelling (`€` → `EUR`, `™` → `TM`, `©` → `(C)`;
    /// warned): what a reader understands, where one exists ([`readable`]).
    Readable(&'static str),
    /// Replaced by [`STAND_IN`] (warned), when nothing better exists.
    StandIn,
}

/// The readable spelling of a symbol the printer may lack: currency signs by their ISO code,
/// marks in their usual ASCII spelling, fractions and typographic punctuation by their plain
/// form. Only used for a character the printer cannot print.
pub fn readable(c: char) -> Option<&'static str> {
    Some(match c {
        '€' => "EUR",
        '£' => "GBP",
        '₩' => "KRW",
        '₹' => "INR",
        '₽' => "RUB",
        '₫' => "VND",
        '฿' => "THB",
        '₱' => "PHP",
        '¢' => "c",
        '™' => "TM",
        '©' => "(C)",
        '®' => "(R)",
        '℗' => "(P)",
        '℠' => "SM",
        '½' => "1/2",
        '¼' => "1/4",
        '¾' => "3/4",
        '⅓' => "1/3",
        '⅔' => "2/3",
        '–' | '‑' | '‒' => "-",
        '•' | '‧' => "·",
        '✓' | '✔' => "√",
        '✗' | '✘' => "×",
        '«' => "<<",
        '»' => ">>",
        '‹' => "<",
        '›' => ">",
        '„' | '‟' => "\"",
        '‚' | '‛' => "'",
        'ß' => "ss",
        'Œ' => "OE",
        'œ' => "oe",
        'Æ' => "AE",
        'æ' => "ae",
        _ => return None,
    })
}

impl Replacement {
    /// The character that goes on paper instead (`None` when it is kept or removed, and for
    /// [`Replacement::Readable`], whose text is [`Replacement::text`]).
    pub fn with(self) -> Option<char> {
        match self {
            Replacement::Keep | Replacement::Drop | Replacement::Readable(_) => None,
            Replacement::Equivalent(c) => Some(c),
            Replacement::Space => Some(' '),
            Replacement::StandIn => Some(STAND_IN),
        }
    }

    /// The text that goes on paper instead of the character, if any.
    pub fn text(self) -> Option<std::borrow::Cow<'static, str>> {
        match self {
            Replacement::Readable(s) => Some(s.into()),
            other => other.with().map(|c| c.to_string().into()),
        }
    }

    /// Whether the author should be told.
    pub fn warns(self) -> bool {
        matches!(
            self,
            Replacement::Space
                | Replacement::Drop
                | Replacement::StandIn
                | Replacement::Readable(_)
        )
    }
}

/// Decides what becomes of `c` on a printer with `encoding`.
pub fn replacement(c: char, encoding: Encoding) -> Replacement {
    if printable(c, encoding) {
        return Replacement::Keep;
    }
    match c {
        '¥' => Replacement::Equivalent('￥'),
        '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => {
            Replacement::Space
        }
        c if c.is_control() => Replacement::Drop,
        c if c.is_whitespace() => Replacement::Equivalent(' '),
        // Combining marks, joiners, variation selectors, bidi controls, soft hyphen: invisible
        // on their own; a stand-in for each would scatter boxes through otherwise fine text.
        c if c.width() == Some(0) || c == '\u{ad}' => Replacement::Drop,
        c => match readable(c) {
            Some(r) if r.chars().all(|x| printable(x, encoding)) => Replacement::Readable(r),
            _ => Replacement::StandIn,
        },
    }
}

/// One kind of replacement made in a text: the character and what became of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Replaced {
    /// The original character.
    pub ch: char,
    /// What became of it.
    pub how: Replacement,
}

impl Replaced {
    /// A one-line lowercase description, for a warning.
    pub fn describe(self) -> String {
        let cp = self.ch as u32;
        match self.how {
            Replacement::Space => format!("U+{cp:04X} (tab or line break) printed as a space"),
            Replacement::Drop => format!("invisible character U+{cp:04X} removed"),
            Replacement::StandIn => {
                format!(
                    "`{}` (U+{cp:04X}) cannot be printed; printed as `{STAND_IN}`",
                    self.ch
                )
            }
            Replacement::Readable(r) => {
                format!(
                    "`{}` (U+{cp:04X}) cannot be printed; printed as `{r}`",
                    self.ch
                )
            }
            Replacement::Keep | Replacement::Equivalent(_) => {
                format!("`{}` (U+{cp:04X}) printed as an equivalent", self.ch)
            }
        }
    }
}

/// Makes `text` printable: returns the new text and the distinct warned replacements, in order
/// of first occurrence.
pub fn sanitize(text: &str, encoding: Encoding) -> (String, Vec<Replaced>) {
    // room for the text and some growth (`¥` becomes the three-byte `￥`), allocated once
    let mut out = String::with_capacity(text.len() + text.len() / 2 + 4);
    let mut seen: Vec<Replaced> = Vec::new();
    for c in text.chars() {
        let how = replacement(c, encoding);
        match how {
            Replacement::Keep => out.push(c),
            other => {
                // what `other.text()` gives, pushed without making a string of it
                if let Replacement::Readable(r) = other {
                    out.push_str(r);
                } else if let Some(w) = other.with() {
                    out.push(w);
                }
                if other.warns() && !seen.iter().any(|s| s.ch == c) {
                    seen.push(Replaced { ch: c, how });
                }
            }
        }
    }
    (out, seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: Encoding = Encoding::Gbk;

    #[test]
    fn printable_text_is_untouched() {
        let (t, r) = sanitize("宫保鸡丁 x2 ¥→", G);
        // only ¥ changes, silently
        assert_eq!(t, "宫保鸡丁 x2 ￥→");
        assert!(r.is_empty());
    }

    #[test]
    fn line_breaks_and_tabs_become_spaces_with_a_warning() {
        let (t, r) = sanitize("a\nb\tc\r\nd", G);
        assert_eq!(t, "a b c  d");
        let chars: Vec<char> = r.iter().map(|x| x.ch).collect();
        assert_eq!(chars, vec!['\n', '\t', '\r']);
        assert!(r.iter().all(|x| x.how == Replacement::Space));
    }

    #[test]
    fn controls_and_zero_width_characters_are_removed() {
        let (t, r) = sanitize("a\x1b[1mb\u{7}c\u{200d}e\u{301}\u{feff}", G);
        assert_eq!(t, "a[1mbce");
        assert_eq!(r.len(), 5);
        assert!(r.iter().all(|x| x.how == Replacement::Drop));
    }

    #[test]
    fn unprintable_symbols_get_a_readable_stand_in_where_one_exists() {
        let (t, r) = sanitize("€12.00 Coca-Cola™ ©2024 Slip®", G);
        assert_eq!(t, "EUR12.00 Coca-ColaTM (C)2024 Slip(R)");
        assert_eq!(r.iter().map(|x| x.ch).collect::<String>(), "€™©®");
        assert_eq!(
            r[0].describe(),
            "`€` (U+20AC) cannot be printed; printed as `EUR`"
        );
        // every readable spelling is printable on GBK (else the box is used)
        for c in "€£₩₹₽₫฿₱¢™©®℗℠½¼¾⅓⅔–‑‒•‧✓✔✗✘«»‹›„‟‚‛ßŒœÆæ".chars()
        {
            if !printable(c, G) {
                let how = replacement(c, G);
                assert!(matches!(how, Replacement::Readable(_)), "{c}: {how:?}");
            }
        }
    }

    #[test]
    fn unprintable_characters_get_a_visible_stand_in() {
        let (t, r) = sanitize("好😀吃😀", G);
        assert_eq!(t, "好□吃□");
        // distinct characters, first occurrence order
        assert_eq!(r.iter().map(|x| x.ch).collect::<String>(), "😀");
        assert_eq!(
            r[0].describe(),
            "`😀` (U+1F600) cannot be printed; printed as `□`"
        );
        assert!(printable(STAND_IN, G));
    }

    #[test]
    fn other_spaces_become_plain_spaces_silently() {
        let (t, r) = sanitize("a\u{a0}b\u{2003}c", G);
        assert_eq!(t, "a b c");
        assert!(r.is_empty());
    }
}
