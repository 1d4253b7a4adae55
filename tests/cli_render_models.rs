//! `slipmark render --model`, as a new user runs it (must-show 1 from the command line).

mod cli_support;

use cli_support::{TempDir, slipmark};

#[test]
fn content_for_a_model_number() {
    let out = slipmark(&[
        "render",
        "templates/takeaway.slip",
        "--model",
        "K4-WA",
        "--format",
        "content",
    ]);
    assert!(out.success, "{}", out.stderr);
    assert!(out.stdout.starts_with("<MN>1</MN>"), "{}", out.stdout);
    assert!(
        out.stdout
            .contains("<QR>https://slipmark.example/o/MT20261128184210027</QR>")
    );
}

#[test]
fn json_has_content_preview_warnings_and_settings() {
    let out = slipmark(&[
        "render",
        "templates/queue.slip",
        "--model",
        "k7",
        "--paper",
        "58mm",
        "--format",
        "json",
    ]);
    assert!(out.success, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["model"], "k7");
    assert_eq!(v["columns"], 32);
    assert!(v["content"].as_str().unwrap().starts_with("<MN>1</MN>"));
    assert!(v["preview"].as_str().unwrap().contains("取号时间"));
    assert_eq!(v["settings"]["copies"], 1);
    assert!(v["warnings"].is_array());
}

#[test]
fn a_model_limit_is_an_error_at_the_template_and_prints_nothing() {
    let dir = TempDir::new("render-code128");
    let path = dir.file("bar.slip", "# 小票\n![code128]({{ no }})\n");
    dir.file("bar.json", r#"{"no": "S2611280042"}"#);
    let file = path.to_str().unwrap();
    let out = slipmark(&["render", file, "--model", "K3S", "--format", "content"]);
    assert!(!out.success);
    assert!(out.stdout.is_empty());
    // once, as a snippet whose caret is under the code's data
    assert_eq!(
        out.stderr.lines().take(5).collect::<Vec<_>>().join("\n"),
        format!(
            "error[model]: the K2S/K3S/M1 (old firmware) cannot print Code 128 barcodes\n  \
             --> {file}:2:15\n  |\n2 | ![code128]({{{{ no }}}})\n  |               ^^"
        ),
        "{}",
        out.stderr
    );
    // the supermarket template asks `printer.has.code128` and prints the number instead
    let out = slipmark(&["render", "templates/supermarket.slip", "--model", "K3S"]);
    assert!(out.success, "{}", out.stderr);
    assert!(out.stdout.contains("单号 S2611280042"), "{}", out.stdout);
}

#[test]
fn an_unknown_model_and_a_bad_paper_are_refused() {
    let out = slipmark(&["render", "templates/queue.slip", "--model", "Q9"]);
    assert!(!out.success);
    assert!(
        out.stderr.contains(
            "error[unknown-model]: unknown printer model `Q9`\n  = hint: nearest: B1, K4, K5;"
        ),
        "{}",
        out.stderr
    );
    let out = slipmark(&["render", "templates/queue.slip", "--paper", "wide"]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("`wide` is not a paper width"),
        "{}",
        out.stderr
    );
}

#[test]
fn the_preview_is_the_default_format() {
    let out = slipmark(&["render", "templates/queue.slip"]);
    assert!(out.success);
    assert!(!out.stdout.contains('<'), "{}", out.stdout);
    assert!(out.stdout.lines().all(|l| l.chars().count() <= 32));
}

#[test]
fn every_family_renders_the_takeaway_with_only_its_own_tags() {
    let catalogue = slipmark::backend::Catalogue::builtin();
    let yilianyun = catalogue
        .models()
        .iter()
        .filter(|m| m.dialect == slipmark::backend::DialectName::Yilianyun);
    for model in yilianyun {
        let out = slipmark(&[
            "render",
            "templates/takeaway.slip",
            "--model",
            &model.id,
            "--format",
            "content",
        ]);
        assert!(out.success, "{}: {}", model.id, out.stderr);
        let mut rest = out.stdout.as_str();
        let mut in_prefix = true;
        while let Some(i) = rest.find('<') {
            in_prefix &= i == 0;
            let end = rest[i..].find('>').unwrap() + i;
            let name = rest[i + 1..end].trim_start_matches('/');
            assert!(
                slipmark::backend::yilianyun::model_has_tag(model, name),
                "{}: <{name}>",
                model.id
            );
            let control = ["MN", "MA", "audio", "TTS", "MK", "ML", "PW"].contains(&name);
            assert!(!control || in_prefix, "{}: late <{name}>", model.id);
            rest = &rest[end + 1..];
            if control {
                // Skip the value and the closing tag: the next control tag may follow directly.
                let close = format!("</{name}>");
                let at = rest.find(&close).unwrap();
                assert!(!rest[..at].contains('<'), "{}", model.id);
                rest = &rest[at + close.len()..];
            }
        }
        for native in ["<center>", "<right>", "<LR>", "<table>"] {
            assert!(!out.stdout.contains(native), "{}", model.id);
        }
    }
}

#[test]
fn a_missing_voice_is_a_warning_unless_warnings_are_denied() {
    let dir = TempDir::new("render-voice");
    let path = dir.file("voice.slip", "---\nvoice: 您有新的订单\n---\n# 订单\n");
    let file = path.to_str().unwrap();
    let args = ["render", file, "--model", "k4", "--format", "content"];
    let out = slipmark(&[&args[..], &["--deny-warnings"]].concat());
    assert!(!out.success);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .starts_with("error[model]: the K4 (old firmware) has no voice; the order prints without it (warnings are errors here)\n")
            && out.stderr.contains(&format!("  --> {file}:2:8\n")),
        "{}",
        out.stderr
    );
    let out = slipmark(&[&args[..], &["--message-format", "short"]].concat());
    assert!(out.success, "{}", out.stderr);
    assert!(
        !out.stdout.contains("audio") && !out.stdout.contains("TTS"),
        "{}",
        out.stdout
    );
    assert!(
        out.stderr.contains(&format!(
            "{file}:2:8: warning: the K4 (old firmware) has no voice; the order prints without it"
        )),
        "{}",
        out.stderr
    );
    // A model with voice speaks it.
    let out = slipmark(&["render", file, "--model", "K4-WA", "--format", "content"]);
    assert!(out.success, "{}", out.stderr);
    assert!(
        out.stdout.starts_with("<audio>您有新的订单"),
        "{}",
        out.stdout
    );
}
