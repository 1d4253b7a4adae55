//! One default printer (the pipeline issue's must-show 3), as a new user meets it: `render`
//! without `--model` previews and renders for the same printer, named in `--help`, and a preview
//! prepares the data exactly as the content does.

mod cli_support;

use cli_support::{TempDir, slipmark};

fn ok(args: &[&str]) -> String {
    let out = slipmark(args);
    assert_eq!(out.code, Some(0), "{args:?}: {}", out.stderr);
    out.stdout
}

#[test]
fn every_format_without_a_model_uses_the_default_printer() {
    for t in ["takeaway", "kitchen", "queue", "supermarket"] {
        let path = format!("templates/{t}.slip");
        let json: serde_json::Value =
            serde_json::from_str(&ok(&["render", &path, "--format", "json"])).unwrap();
        assert_eq!(json["model"], slipmark::printer::DEFAULT_PRINTER, "{t}");
        for format in ["preview", "content"] {
            let default = ok(&["render", &path, "--format", format]);
            let named = ok(&["render", &path, "--format", format, "--model", "k4"]);
            assert_eq!(default, named, "{t} --format {format}");
            assert_eq!(json[format], default, "{t}: json {format}");
        }
    }
}

#[test]
fn preview_and_content_agree_line_by_line() {
    let dir = TempDir::new("default-agree");
    let path = dir.file(
        "plain.slip",
        "老王烧烤 {{ n }}\n-> 谢谢惠顾 <-\n---\n| 合计 | ¥{{ total }} |\n",
    );
    let data = dir.file("plain.json", r#"{"n": "a<b>c@@2", "total": "12.50"}"#);
    let args = |format| {
        ok(&[
            "render",
            path.to_str().unwrap(),
            "--data",
            data.to_str().unwrap(),
            "--format",
            format,
        ])
    };
    let (preview, content) = (args("preview"), args("content"));
    // Plain text: the content is the padded paper itself, line for line; a line that fills the
    // paper ends by itself on these printers, so it has no newline (`full_line_wraps`).
    let paper: String = preview
        .lines()
        .map(|l| {
            let full = unicode_width::UnicodeWidthStr::width(l) == 32;
            format!("{l}{}", if full { "" } else { "\n" })
        })
        .collect();
    assert_eq!(content, paper);
    assert_eq!(preview.lines().count(), 4);
    assert!(content.contains("a＜b＞c＠@2"), "{content}");
}

#[test]
fn data_with_tag_characters_previews_identically_with_and_without_a_model() {
    let dir = TempDir::new("default-neutral");
    let path = dir.file("arrow.slip", "-> {{ v }} <-\n");
    dir.file("arrow.json", r#"{"v": "1<2>3"}"#);
    let p = path.to_str().unwrap();
    let without = ok(&["render", p]);
    // `＜` and `＞` are two columns each: the 7-column value is centred at column 12.
    assert_eq!(without, format!("{}1＜2＞3\n", " ".repeat(12)));
    for model in ["k4", "K4-WA", "k2s", "x1"] {
        assert_eq!(ok(&["render", p, "--model", model]), without, "{model}");
    }
    // The generic profile prepares data the same way.
    assert_eq!(ok(&["render", p, "--model", "generic"]), without);
}

#[test]
fn help_names_the_default_printer_and_the_generic_profile() {
    let help = ok(&["render", "--help"]);
    assert!(help.contains("[default: k4]"), "{help}");
    assert!(help.contains("`generic`"), "{help}");
}

#[test]
fn print_help_shows_the_model_as_required() {
    let help = ok(&["print", "--help"]);
    assert!(
        help.contains("Usage: slipmark print [OPTIONS] --model <MODEL> --machine-code <MACHINE_CODE> <TEMPLATE>"),
        "{help}"
    );
    assert!(help.contains("required unless --content-file"), "{help}");
    // and it is: without --model, print refuses before anything is sent
    let out = slipmark(&[
        "print",
        "templates/kitchen.slip",
        "--machine-code",
        "4004000000",
    ]);
    assert_eq!(out.code, Some(2), "{}", out.stderr);
    assert!(out.stderr.contains("--model <MODEL>"), "{}", out.stderr);
}

#[test]
fn the_generic_profile_cannot_be_sent_to_a_printer() {
    let out = slipmark(&[
        "print",
        "templates/kitchen.slip",
        "--model",
        "generic",
        "--machine-code",
        "4004000000",
    ]);
    assert_eq!(out.code, Some(1), "{}", out.stderr);
    assert!(out.stderr.contains("preview profile"), "{}", out.stderr);
}
