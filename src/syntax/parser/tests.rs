//! The fast path against pest alone: the same AST and the same errors, on every template in
//! the repository and on token soup.

use proptest::prelude::*;

use super::parse_with;

/// Parses `text` both ways and compares.
fn same(text: &str) {
    for front_matter in [true, false] {
        let fast = parse_with(0, text, front_matter, true);
        let pest = parse_with(0, text, front_matter, false);
        assert_eq!(fast.0, pest.0, "AST differs for {text:?}");
        let fe: Vec<String> = fast.1.iter().map(|e| format!("{e:?}")).collect();
        let pe: Vec<String> = pest.1.iter().map(|e| format!("{e:?}")).collect();
        assert_eq!(fe, pe, "errors differ for {text:?}");
    }
}

/// Every `.slip` file under `dir`, recursively.
fn slips(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            slips(&path, out);
        } else if path.extension().is_some_and(|e| e == "slip") {
            out.push(path);
        }
    }
}

#[test]
fn every_template_in_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["templates", "tests", "benches", "examples", "bindings"] {
        slips(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "found only {} templates", files.len());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        same(&text);
        // Each line alone, too (a front matter fence becomes a rule, and so on).
        for line in text.lines() {
            same(line);
        }
    }
}

#[test]
fn lines_of_every_kind() {
    for text in [
        "# a",
        "#a",
        "#### a",
        "##  **b** c",
        "| a | b |",
        "| a | b",
        "|| ",
        "|:-*-|:-4-:|--8-:|",
        "|:--|-0-|",
        "|-99999-|",
        "| 8- | *-- |",
        "|---|x|",
        "--- 商品 ---",
        "--- a --- ---",
        "---- x",
        "*** b ***",
        "=== {{ a ---}} ===",
        "~~~",
        "...   ",
        "-> a <-",
        "-> a",
        "->   ",
        "-> <-",
        "->a",
        "![qr]({{ url }})",
        "![QR](x) y",
        "![bad](x)",
        "![qr](a\\)b)",
        "\\# not a heading  ",
        "{% if a %}",
        "{% if a %} x",
        "{% if a %}{# c #} {% endif %}",
        "{% frob %}",
        "{% for x in %}",
        "{% set a = 1 %}{% include \"x\" %}",
        "{# a\nb #} c",
        "**a** [b]{.big .wide} \\* {{ x | money(\"¥\", 2,) }}",
        "**a",
        "****",
        "[a]{.nope}",
        "[**a]{.big}",
        "[a]",
        "{{ a",
        "{{ }}",
        "{{ -5 | abs }} {{ - -x }} {{ --5 }} {{ not not a }} {{ a not in b }}",
        "{{ (a + b) * c.d[0].e.1 }} {{ [1, 2.5, 'x\\'y', true, none] }}",
        "{{ a == b or c != d and e <= f }} {{ a % b / c - d }}",
        "{{ index }} {{ inner }} {{ notes }} {{ in }} {{ iffy }} {{ 1.x }} {{ 12abc }}",
        "{{ a | f( ) | g(1 }} {{ a | }}",
        "---\npaper: 58mm\ncopies: {{ n }}\n---\n# x",
        "---\npaper 58mm\n---",
        "---\n bad key: 1\n---",
        "---\nfoo: 1\npaper: 1\npaper: 2\n---",
    ] {
        same(text);
    }
}

#[test]
fn deep_nesting_is_left_to_pest() {
    // (Deeper than this, pest itself overflows a test thread's stack in a debug build.)
    let deep = format!("{}x{}", "**[".repeat(200), "]{.big}**".repeat(200));
    same(&deep);
    let parens = format!("{{{{ {}a{} }}}}", "(".repeat(60), ")".repeat(60));
    same(&parens);
    let setting = format!(
        "---\ncopies: {{{{ {}1{} }}}}\n---\n",
        "(".repeat(200),
        ")".repeat(200)
    );
    same(&setting);
}

const TOKENS: &[&str] = &[
    "{{", "}}", "{%", "%}", "{#", "#}", "**", "*", "|", "\\", "[", "]", "{", "}", "(", ")", "#",
    "# ", "## ", "-> ", " <-", "---", "===", "...", ":--", "--:", ":-4-:", "-*-", "![qr](", "![",
    "](", "\n", " ", "\t", "a", "x.y", "商品", "'", "\"", ".big", "]{.big}", "|", " | ", "if ",
    "for ", " in ", "endif", "endfor", "else", "elif ", "set ", " = ", "include ", "not ", " and ",
    " or ", "1", "-", "+", ",", "==", "<", "money", "\r", "\\|", "\\*", ":", "paper: ", "copies: ",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn token_soup(parts in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        same(&parts.concat());
    }

    #[test]
    fn token_soup_with_front_matter(parts in prop::collection::vec(prop::sample::select(TOKENS), 0..30)) {
        same(&format!("---\n{}\n---\n{}", parts[..parts.len() / 2].concat(), parts.concat()));
    }
}
