//! `slipmark render --model`, as a new user runs it (must-show 1 from the command line).

use std::process::Command;

fn slipmark(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slipmark"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn content_for_a_model_number() {
    let (ok, out, err) = slipmark(&[
        "render",
        "templates/takeaway.slip",
        "--model",
        "K4-WA",
        "--format",
        "content",
    ]);
    assert!(ok, "{err}");
    assert!(out.starts_with("<MN>1</MN>"), "{out}");
    assert!(out.contains("<QR>https://slipmark.example/o/MT20261128184210027</QR>"));
}

#[test]
fn json_has_content_preview_warnings_and_settings() {
    let (ok, out, err) = slipmark(&[
        "render",
        "templates/queue.slip",
        "--model",
        "k7",
        "--paper",
        "58mm",
        "--format",
        "json",
    ]);
    assert!(ok, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["model"], "k7");
    assert_eq!(v["columns"], 32);
    assert!(v["content"].as_str().unwrap().starts_with("<MN>1</MN>"));
    assert!(v["preview"].as_str().unwrap().contains("取号时间"));
    assert_eq!(v["settings"]["copies"], 1);
    assert!(v["warnings"].is_array());
}

#[test]
fn a_model_limit_is_an_error_at_the_template_and_prints_nothing() {
    let (ok, out, err) = slipmark(&[
        "render",
        "templates/supermarket.slip",
        "--model",
        "K3S",
        "--format",
        "content",
    ]);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(
        err.starts_with(
            "templates/supermarket.slip:29:1: the K2S/K3S/M1 (old firmware) cannot print Code 128 barcodes\n\
             error[model]: the K2S/K3S/M1 (old firmware) cannot print Code 128 barcodes\n  --> templates/supermarket.slip:29:1\n"
        ),
        "{err}"
    );
}

#[test]
fn an_unknown_model_and_a_bad_paper_are_refused() {
    let (ok, _, err) = slipmark(&["render", "templates/queue.slip", "--model", "Q9"]);
    assert!(!ok);
    assert!(
        err.contains(
            "error[unknown-model]: unknown printer model `Q9`\n  = hint: nearest: B1, K4, K5;"
        ),
        "{err}"
    );
    let (ok, _, err) = slipmark(&["render", "templates/queue.slip", "--paper", "wide"]);
    assert!(!ok);
    assert!(err.contains("`wide` is not a paper width"), "{err}");
}

#[test]
fn the_preview_is_the_default_format() {
    let (ok, out, _) = slipmark(&["render", "templates/queue.slip"]);
    assert!(ok);
    assert!(!out.contains('<'), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 32));
}

#[test]
fn every_family_renders_the_takeaway_with_only_its_own_tags() {
    let catalogue = slipmark::backend::Catalogue::builtin();
    for model in catalogue.models() {
        let (ok, out, err) = slipmark(&[
            "render",
            "templates/takeaway.slip",
            "--model",
            &model.id,
            "--format",
            "content",
        ]);
        assert!(ok, "{}: {err}", model.id);
        let mut rest = out.as_str();
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
            assert!(!out.contains(native), "{}", model.id);
        }
    }
}

#[test]
fn a_missing_voice_is_an_error_unless_lenient() {
    let dir = std::env::temp_dir().join(format!("slipmark-voice-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("voice.slip");
    std::fs::write(&path, "---\nvoice: 您有新的订单\n---\n# 订单\n").unwrap();
    let file = path.to_str().unwrap();
    let args = ["render", file, "--model", "k4", "--format", "content"];
    let (ok, out, err) = slipmark(&args);
    assert!(!ok);
    assert!(out.is_empty());
    assert!(
        err.starts_with(&format!("{file}:2:8: the K4 (old firmware) has no voice")),
        "{err}"
    );
    let (ok, out, err) = slipmark(&[&args[..], &["--lenient-sound"]].concat());
    assert!(ok, "{err}");
    assert!(!out.contains("audio") && !out.contains("TTS"), "{out}");
    assert!(
        err.contains(&format!(
            "{file}:2:8: warning: the K4 (old firmware) has no voice; the order prints without it"
        )),
        "{err}"
    );
    // A model with voice speaks it.
    let (ok, out, err) = slipmark(&["render", file, "--model", "K4-WA", "--format", "content"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("<audio>您有新的订单"), "{out}");
}
