//! `slipmark render` for the Feieyun, Xpyun and ESC/POS records, as a user runs it.

mod cli_support;

use std::process::Command;

use cli_support::slipmark;

/// Runs the binary and returns (status ok, raw stdout, stderr).
fn raw(args: &[&str]) -> (bool, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_slipmark"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Test-side base64 decoder (standard alphabet, `=` padding).
fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("not base64: {c}"),
    };
    let mut out = Vec::new();
    for quad in s.as_bytes().chunks(4) {
        let n = quad
            .iter()
            .take_while(|c| **c != b'=')
            .enumerate()
            .fold(0u32, |n, (i, c)| n | u32::from(val(*c)) << (18 - 6 * i));
        let len = quad.iter().filter(|c| **c != b'=').count() - 1;
        for i in 0..len {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

#[test]
fn escpos_content_is_raw_bytes_and_json_carries_them_as_base64() {
    let (ok, bytes, err) = raw(&[
        "render",
        "templates/queue.slip",
        "--model",
        "escpos-80",
        "--format",
        "content",
    ]);
    assert!(ok, "{err}");
    assert!(bytes.starts_with(&[0x1b, b'@', 0x1c, b'&']), "{bytes:?}");
    // The text is GBK, not UTF-8.
    let (gbk, _, _) = encoding_rs::GBK.encode("取号时间");
    assert!(bytes.windows(gbk.len()).any(|w| w == &*gbk));
    assert!(std::str::from_utf8(&bytes).is_err());
    let json = slipmark(&[
        "render",
        "templates/queue.slip",
        "--model",
        "escpos-80",
        "--format",
        "json",
    ]);
    assert!(json.success, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert!(v["content"].is_null());
    assert_eq!(unbase64(v["content_base64"].as_str().unwrap()), bytes);
    let dump = v["content_escaped"].as_str().unwrap();
    assert!(dump.starts_with("\\x1b@\\x1c&"), "{dump}");
    assert!(dump.contains("取号时间"), "{dump}");
}

#[test]
fn tag_dialects_print_text_content() {
    for (model, line_end, qr) in [("feieyun-58", "<BR>", "<QR>"), ("xpyun-80", "<BR>", "<QR>")] {
        let out = slipmark(&[
            "render",
            "templates/queue.slip",
            "--model",
            model,
            "--format",
            "content",
        ]);
        assert!(out.success, "{model}: {}", out.stderr);
        assert!(
            out.stdout.contains(line_end) && out.stdout.contains(qr),
            "{}",
            out.stdout
        );
        assert!(!out.stdout.contains('\n'), "{model}: lines end with <BR>");
        let json = slipmark(&[
            "render",
            "templates/queue.slip",
            "--model",
            model,
            "--format",
            "json",
        ]);
        let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
        assert_eq!(v["content"].as_str().unwrap(), out.stdout);
        assert!(v.get("content_base64").is_none());
    }
}

#[test]
fn two_qr_codes_on_feieyun_are_two_jobs() {
    let dir = cli_support::TempDir::new("two-qr");
    let file = dir.file(
        "two.slip",
        "![qr](https://a.example/1)\n![qr](https://a.example/2)\n",
    );
    let file = file.to_str().unwrap();
    let out = slipmark(&[
        "render",
        file,
        "--model",
        "feieyun-58",
        "--format",
        "content",
    ]);
    assert!(!out.success);
    assert!(out.stdout.is_empty());
    assert!(out.stderr.contains("it is 2 jobs"), "{}", out.stderr);
    let json = slipmark(&["render", file, "--model", "feieyun-58", "--format", "json"]);
    assert!(json.success, "{}", json.stderr);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["content"], "<QR>https://a.example/1</QR>");
    assert_eq!(v["more"][0]["content"], "<QR>https://a.example/2</QR>");
    let preview = slipmark(&["render", file, "--model", "feieyun-58"]);
    assert!(preview.stdout.contains(" job 2 "), "{}", preview.stdout);
    let ok = slipmark(&["render", file, "--model", "escpos-58", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&ok.stdout).unwrap();
    assert!(v.get("more").is_none());
}

/// Must-show 1 as a new user would try it: every template renders through the CLI for a
/// Feieyun, an Xpyun and an ESC/POS record at 58 mm and at 80 mm (the paper simulators check the
/// same renders in `dialect_templates.rs`).
#[test]
fn every_template_renders_for_every_dialect_at_58_and_80_mm() {
    let mut templates: Vec<_> = std::fs::read_dir("templates")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slip"))
        .collect();
    templates.sort();
    assert!(templates.len() >= 4);
    for t in &templates {
        let t = t.to_str().unwrap();
        for model in [
            "feieyun-58",
            "feieyun-80",
            "xpyun-58",
            "xpyun-80",
            "escpos-58",
            "escpos-80",
        ] {
            let (ok, bytes, err) = raw(&["render", t, "--model", model, "--format", "content"]);
            assert!(ok, "{t} on {model}: {err}");
            assert!(!bytes.is_empty(), "{t} on {model}");
            let preview = slipmark(&["render", t, "--model", model]);
            assert!(preview.success, "{t} on {model}: {}", preview.stderr);
            let width = if model.ends_with("58") { 32 } else { 48 };
            for line in preview.stdout.lines() {
                assert!(
                    unicode_width::UnicodeWidthStr::width(line) <= width,
                    "{t} on {model}: {line:?}"
                );
            }
        }
    }
}

#[test]
fn check_accepts_a_template_that_asks_about_the_printer() {
    let dir = cli_support::TempDir::new("check-printer");
    let file = dir.file(
        "p.slip",
        "{% if printer.has.cut %}切{% endif %}{% if printer.columns >= 48 %}宽{% endif %}\n",
    );
    let data = dir.file("p.json", "{}");
    let out = slipmark(&[
        "check",
        file.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    assert!(out.success, "{}", out.stderr);
}
