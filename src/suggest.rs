//! "Did you mean …?" suggestions, and the one way to build an "unknown X" error.

use crate::error::{Error, ErrorKind};
use crate::span::Span;

/// Edit distance over characters, counting a swap of two neighbours as one edit (optimal
/// string alignment), so that `endfi` is closer to `endif` than to `endfor`.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// The candidate closest to `name` (case-insensitive), if it is close enough to be a typo.
pub(crate) fn nearest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    // Bounded work whatever the data holds: no suggestion for long names or among very many
    // candidates (a lookup of an undefined name in a loop would otherwise cost a search of
    // every data key each time), and only candidates of a near length are compared.
    const MAX_LEN: usize = 24;
    const MAX_CANDIDATES: usize = 1000;
    let len = name.chars().count();
    if len > MAX_LEN || candidates.len() > MAX_CANDIDATES {
        return None;
    }
    let lower = name.to_lowercase();
    candidates
        .iter()
        .filter(|c| c.len() <= MAX_LEN * 4)
        .filter(|c| {
            let n = c.chars().count();
            n <= MAX_LEN && n.abs_diff(len) <= (n / 3).max(1)
        })
        .map(|c| (distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// What the hint of an [`unknown`] error says besides "did you mean `…`?".
#[derive(Default)]
pub(crate) struct Listing<'a> {
    /// Printed before each name in the message and the suggestion (`.` for style classes).
    pub sigil: &'a str,
    /// Extra advice, usually every known name (`settings: a, b`).
    pub also: Option<String>,
    /// Whether `also` follows a suggestion too; otherwise it is given only when nothing is near.
    pub always: bool,
}

/// The error for a name that is not one of `known`: `unknown {what} `{name}``, at `span`, with
/// the hint "did you mean `…`?" when a known name is near (and the listing's advice).
pub(crate) fn unknown(
    kind: ErrorKind,
    what: &str,
    name: &str,
    known: &[&str],
    span: Option<Span>,
    listing: Listing<'_>,
) -> Error {
    let sigil = listing.sigil;
    let mut err = Error::new(kind, format!("unknown {what} `{sigil}{name}`"));
    if let Some(span) = span {
        err = err.at(span);
    }
    let hint = match (nearest(name, known), listing.also) {
        (Some(n), Some(also)) if listing.always => format!("did you mean `{sigil}{n}`? {also}"),
        (Some(n), _) => format!("did you mean `{sigil}{n}`?"),
        (None, Some(also)) => also,
        (None, None) => return err,
    };
    err.with_hint(hint)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(distance("copise", "copies"), 1);
        assert_eq!(nearest("endfi", &["endfor", "endif"]), Some("endif"));
        assert_eq!(nearest("fro", &["for", "if"]), Some("for"));
        assert_eq!(
            nearest("copise", &["copies", "paper", "cut"]),
            Some("copies")
        );
        assert_eq!(nearest("mony", &["money", "upper"]), Some("money"));
        assert_eq!(nearest("zzzzzz", &["money", "upper"]), None);
    }
}
