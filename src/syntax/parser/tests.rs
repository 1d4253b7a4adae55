//! The fast path against pest alone: the same AST and the same errors, on every template in
//! the repository and on token soup.

use proptest::prelude::*;

use super::{parse_counting, parse_with};

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

/// The fast path is not only right but taken: a template without errors never reaches pest
/// (a mirror that failed where pest matches would still give the same AST, through pest).
#[test]
fn valid_templates_never_reach_pest() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["templates", "tests", "benches", "examples", "bindings"] {
        slips(&root.join(dir), &mut files);
    }
    let mut valid = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let (_, errors, runs) = parse_counting(0, &text, true, true);
        if errors.is_empty() {
            valid += 1;
            assert_eq!(runs, 0, "{} went through pest", path.display());
        }
    }
    assert!(valid > 20, "only {valid} valid templates");
    for text in [
        "{{ -5 | abs }} {{ - -x }} {{ --5 }} {{ not not a }} {{ a not in b }}",
        "{{ (a + b) * c.d[0].e.1 }} {{ [1, 2.5, 'x\\'y', true, none] }}",
        "**a** [b]{.big .wide} \\* {{ x | money(\"¥\", 2,) }} [**c**]{.tall}",
        "| {% if a %}x{% else %}y{% endif %} | {# c #} |",
        "{% for i in xs %}{% set n = i %}{% endfor %}",
    ] {
        let (_, errors, runs) = parse_counting(0, text, true, true);
        assert!(errors.is_empty(), "{text}: {errors:?}");
        assert_eq!(runs, 0, "{text} went through pest");
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
    // (Deeper than 300, pest itself overflows a test thread's stack in a debug build.)
    let deep = format!("{}x{}", "**[".repeat(200), "]{.big}**".repeat(200));
    same(&deep);
    let parens = format!("{{{{ {}a{} }}}}", "(".repeat(60), ")".repeat(60));
    same(&parens);
    // A setting value has the body's nesting limit (64), below the mirror's own (80): 60 `not`s
    // stay in the mirror, 90 are refused before either parser runs.
    let setting = format!("---\ncopies: {{{{ {}1 }}}}\n---\n", "not ".repeat(60));
    same(&setting);
    // The 200 went to pest (the mirror gave up), the 60 brackets and 60 `not`s did not.
    assert!(parse_counting(0, &deep, true, true).2 > 0);
    assert_eq!(parse_counting(0, &setting, true, true).2, 0);
    assert_eq!(parse_counting(0, &parens, true, true).2, 0);
}

const TOKENS: &[&str] = &[
    "{{", "}}", "{%", "%}", "{#", "#}", "**", "*", "|", "\\", "[", "]", "{", "}", "(", ")", "#",
    "# ", "## ", "-> ", " <-", "---", "===", "...", ":--", "--:", ":-4-:", "-*-", "![qr](", "![",
    "](", "\n", " ", "\t", "a", "x.y", "商品", "'", "\"", ".big", "]{.big}", "|", " | ", "if ",
    "for ", " in ", "endif", "endfor", "else", "elif ", "set ", " = ", "include ", "not ", " and ",
    " or ", "1", "-", "+", ",", "==", "<", "money", "\r", "\\|", "\\*", ":", "paper: ", "copies: ",
];

/// Whole pieces of valid syntax, so that soup also makes valid tags, rows and spans.
const PIECES: &[&str] = &[
    "{{ a }}",
    "{{ it.name }}",
    "{{ (p * q) | money }}",
    "{{ t | money(\"¥\") }}",
    "{{ a[0].b }}",
    "{{ not a and b or c }}",
    "{{ -x }}",
    "{{ [1, 'a'] }}",
    "{{ a in b }}",
    "{% if a %}",
    "{% elif b %}",
    "{% else %}",
    "{% endif %}",
    "{% for i in xs %}",
    "{% endfor %}",
    "{% set n = 1 %}",
    "{% include \"x\" %}",
    "{# c #}",
    "{# c\n",
    "\n#}",
    "**b**",
    "[s]{.big}",
    "[s]{.wide .tall}",
    "\\*",
    "| a | b |",
    "|:-*-|--8-:|",
    "--- L ---",
    "-> c <-",
    "-> r",
    "![qr](",
    "![code128](",
    ")",
    "# ",
    "\r\n",
    "\n",
    " ",
    "\t",
    "文字",
    "é",
    "x",
    "|",
    "{{",
    "}}",
    "{%",
    "%}",
    "**",
    "[",
    "]",
    "\\",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]
    #[test]
    fn token_soup(parts in prop::collection::vec(prop::sample::select(TOKENS), 0..40)) {
        same(&parts.concat());
    }

    #[test]
    fn soup_of_valid_pieces(parts in prop::collection::vec(prop::sample::select(PIECES), 0..30)) {
        same(&parts.concat());
    }

    #[test]
    fn token_soup_with_front_matter(parts in prop::collection::vec(prop::sample::select(TOKENS), 0..30)) {
        same(&format!("---\n{}\n---\n{}", parts[..parts.len() / 2].concat(), parts.concat()));
    }
}
