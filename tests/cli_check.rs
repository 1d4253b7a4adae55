//! `slipmark check` as a user runs it: positions, carets, exit codes.

use std::path::PathBuf;
use std::process::{Command, Output};

fn slipmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_slipmark"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run slipmark")
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("slipmark-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn caret_sits_under_the_error_after_chinese_text() {
    let path = temp_file("caret.slip", "# 老王烧烤\n合计：{{ order.total | mony }}\n");
    let out = slipmark(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    let file = path.display().to_string();
    // Line 2, column 21 counted in characters: "合计：{{ order.total | " is 20 characters.
    assert!(
        stderr.contains(&format!("{file}:2:21: unknown filter `mony`")),
        "{stderr}"
    );
    let lines: Vec<&str> = stderr.lines().collect();
    let src = lines
        .iter()
        .position(|l| l.ends_with("合计：{{ order.total | mony }}"))
        .expect("source line shown");
    let caret = lines[src + 1];
    // "合计：" is 6 display columns, then 17 ASCII characters: the caret starts 23 columns in.
    let prefix = "2 | ";
    assert_eq!(&lines[src][..prefix.len()], prefix);
    assert_eq!(caret, format!("  | {}^^^^", " ".repeat(23)));
    assert!(stderr.contains("did you mean `money`?"));
}

#[test]
fn a_valid_template_exits_zero_silently() {
    let out = slipmark(&[
        "check",
        "templates/takeaway.slip",
        "--data",
        "templates/takeaway.json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn every_error_of_every_file_is_reported() {
    let a = temp_file("a.slip", "{{ a + }}\n**x\n");
    let b = temp_file("b.slip", "{% if x %}\n");
    let out = slipmark(&["check", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("a.slip:1:8: expected a value"), "{stderr}");
    assert!(stderr.contains("a.slip:2:1: unclosed `**`"), "{stderr}");
    assert!(
        stderr.contains("b.slip:1:1: unclosed `{% if %}`"),
        "{stderr}"
    );
}

#[test]
fn binding_errors_are_reported_with_data() {
    let t = temp_file("bind.slip", "{{ order.totl }}\n{{ 1 / zero }}\n");
    let d = temp_file("bind.json", r#"{"order": {"total": 1}, "zero": 0}"#);
    let out = slipmark(&["check", t.to_str().unwrap(), "--data", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("bind.slip:1:4: undefined variable `order.totl`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("bind.slip:2:8: division by zero"),
        "{stderr}"
    );
    // Without data, the same template is fine.
    let out = slipmark(&["check", t.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn runaway_loops_stop_at_the_budget() {
    // Four nested loops over 1000 items would produce 10^12 lines.
    let t = temp_file(
        "fuel.slip",
        "{% for a in xs %}\n{% for b in xs %}\n{% for c in xs %}\n{% for d in xs %}\n{{ a }}{{ b }}{{ c }}{{ d }}\n{% endfor %}\n{% endfor %}\n{% endfor %}\n{% endfor %}\n",
    );
    let xs: Vec<u32> = (0..1000).collect();
    let d = temp_file("fuel.json", &serde_json::json!({ "xs": xs }).to_string());
    let out = slipmark(&["check", t.to_str().unwrap(), "--data", d.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("fuel.slip:4:1: loop fuel exhausted"),
        "{stderr}"
    );
}

#[test]
fn bad_data_file_is_a_clear_error() {
    let d = temp_file("bad.json", "{ not json");
    let out = slipmark(&[
        "check",
        "templates/queue.slip",
        "--data",
        d.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not valid JSON"));
}
