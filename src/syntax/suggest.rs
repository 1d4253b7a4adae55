//! "Did you mean …?" suggestions.

/// Edit distance over characters, counting a swap of two neighbours as one edit (optimal
/// string alignment), so that `endfi` is closer to `endif` than to `endfor`.
pub fn distance(a: &str, b: &str) -> usize {
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
pub fn nearest<'a>(name: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let lower = name.to_lowercase();
    candidates
        .iter()
        .map(|c| (distance(&lower, &c.to_lowercase()), *c))
        .filter(|(d, c)| *d <= (c.chars().count() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
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
