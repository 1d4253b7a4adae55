//! `slipmark check` as a user runs it: positions, carets, exit codes.

mod cli_support;

use cli_support::{TempDir, slipmark};

#[test]
fn caret_sits_under_the_error_after_chinese_text() {
    let dir = TempDir::new("check-caret");
    let path = dir.file("caret.slip", "# 老王烧烤\n合计：{{ order.total | mony }}\n");
    let out = slipmark(&["check", path.to_str().unwrap()]);
    assert_eq!(out.code, Some(1));
    let stderr = &out.stderr;
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
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(out.stdout.is_empty() && out.stderr.is_empty());
}

#[test]
fn every_error_of_every_file_is_reported() {
    let dir = TempDir::new("check-every");
    let a = dir.file("a.slip", "{{ a + }}\n**x\n");
    let b = dir.file("b.slip", "{% if x %}\n");
    let out = slipmark(&["check", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.code, Some(1));
    let stderr = &out.stderr;
    assert!(stderr.contains("a.slip:1:8: expected a value"), "{stderr}");
    assert!(stderr.contains("a.slip:2:1: unclosed `**`"), "{stderr}");
    assert!(
        stderr.contains("b.slip:1:1: unclosed `{% if %}`"),
        "{stderr}"
    );
}

#[test]
fn binding_errors_are_reported_with_data() {
    let dir = TempDir::new("check-bind");
    let t = dir.file("bind.slip", "{{ order.totl }}\n{{ 1 / zero }}\n");
    let d = dir.file("bind.json", r#"{"order": {"total": 1}, "zero": 0}"#);
    let out = slipmark(&["check", t.to_str().unwrap(), "--data", d.to_str().unwrap()]);
    assert_eq!(out.code, Some(1));
    let stderr = &out.stderr;
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
    assert_eq!(out.code, Some(0));
}

#[test]
fn runaway_loops_stop_at_the_budget() {
    // Four nested loops over 1000 items would produce 10^12 lines.
    let dir = TempDir::new("check-fuel");
    let t = dir.file(
        "fuel.slip",
        "{% for a in xs %}\n{% for b in xs %}\n{% for c in xs %}\n{% for d in xs %}\n{{ a }}{{ b }}{{ c }}{{ d }}\n{% endfor %}\n{% endfor %}\n{% endfor %}\n{% endfor %}\n",
    );
    let xs: Vec<u32> = (0..1000).collect();
    let d = dir.file("fuel.json", &serde_json::json!({ "xs": xs }).to_string());
    let out = slipmark(&["check", t.to_str().unwrap(), "--data", d.to_str().unwrap()]);
    assert_eq!(out.code, Some(1));
    let stderr = &out.stderr;
    // Fuel counts iterations, statements and expressions: it runs out inside the innermost
    // loop (lines 4 and 5), long before the output budget.
    assert!(
        stderr.contains("fuel.slip:4:1: fuel exhausted")
            || stderr.contains("fuel.slip:5:")
                && stderr.contains("fuel exhausted: more than 200000 steps"),
        "{stderr}"
    );
}

#[test]
fn bad_data_file_is_a_clear_error() {
    let dir = TempDir::new("check-bad-data");
    let d = dir.file("bad.json", "{ not json");
    let out = slipmark(&[
        "check",
        "templates/queue.slip",
        "--data",
        d.to_str().unwrap(),
    ]);
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("is not valid JSON"));
}
