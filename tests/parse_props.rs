//! Property: parsing (and binding) arbitrary text never panics, and every error span lies on
//! character boundaries inside its source.

use proptest::prelude::*;
use slipmark::{Environment, Error, MemoryLoader};

/// Pieces of template syntax, CJK text and control characters to build "token soup" from.
const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{%",
    "%}",
    "{#",
    "#}",
    "**",
    "*",
    "|",
    "\\",
    "[",
    "]",
    "{",
    "}",
    "(",
    ")",
    "#",
    "# ",
    "## ",
    "-> ",
    " <-",
    "---",
    "===",
    "...",
    ":--",
    "--:",
    ":-4-:",
    "![qr](",
    "![ean13](",
    "![",
    "](",
    "\n",
    "\r\n",
    "\t",
    " ",
    "for",
    "in",
    "if",
    "elif",
    "else",
    "endif",
    "endfor",
    "set",
    "=",
    "include",
    "\"f.slip\"",
    "{% include \"f.slip\" %}\n",
    "x",
    "it.name",
    "a[0]",
    "| money",
    "| date(\"%H\")",
    "+",
    "-",
    "/",
    "%",
    "not",
    "and",
    "or",
    "==",
    "<",
    "'s'",
    "\"s\"",
    "12",
    "3.5",
    "-1",
    "你好",
    "（",
    "）",
    "，",
    "。",
    "—",
    "·",
    "①",
    "🍜",
    "\u{0}",
    "\u{7}",
    "\u{1b}",
    "\u{200d}",
    "e\u{301}",
    "[x]{.big}",
    "{.bold}",
    "{{ x }}",
    "{% if x %}",
    "{% endif %}",
    "{% for i in xs %}",
    "{% endfor %}",
    "{% else %}",
    "---\ncopies: 2\n---\n",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|t| t.concat())
}

fn check_spans(errors: &[Error]) {
    for e in errors {
        let Some(span) = e.span() else { continue };
        let text = &e
            .template_source()
            .expect("errors with a span carry their source")
            .text;
        let (start, end) = (span.start as usize, span.end as usize);
        assert!(
            start <= end && end <= text.len(),
            "span {span:?} outside input of {} bytes: {e}",
            text.len()
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "span {span:?} splits a character: {e}"
        );
        // Rendering the diagnostic never panics either.
        let _ = format!("{e:#}");
    }
}

fn run(text: &str) {
    let loader = MemoryLoader::new().with("f.slip", "included {{ x }}\n");
    let env = Environment::new().with_loader(loader);
    match env.compile("t", text) {
        Err(errors) => check_spans(&errors),
        Ok(template) => {
            let data = serde_json::json!({"x": "**x** | <FB>", "xs": [1, 2], "it": {"name": "你好"}, "a": [1]});
            check_spans(&template.check(&data));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_strings_never_panic(text in "\\PC*") {
        run(&text);
    }

    #[test]
    fn token_soup_never_panics(text in soup()) {
        run(&text);
    }

    #[test]
    fn control_and_cjk_never_panic(text in "[\\x00-\\x1f\\x7f 你好（）。，—·①{}%#*|\\[\\]()<>!:.-]{0,64}") {
        run(&text);
    }
}
