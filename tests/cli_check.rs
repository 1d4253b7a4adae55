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
        stderr.contains(&format!(
            "error[filter]: unknown filter `mony`\n  --> {file}:2:21\n"
        )),
        "{stderr}"
    );
    // printed once: the message appears in the snippet's header only
    assert_eq!(
        stderr.matches("unknown filter `mony`").count(),
        1,
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
    let out = slipmark(&[
        "check",
        a.to_str().unwrap(),
        b.to_str().unwrap(),
        "--message-format",
        "short",
    ]);
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
    let d = dir.file("other.json", r#"{"order": {"total": 1}, "zero": 0}"#);
    let out = slipmark(&[
        "check",
        t.to_str().unwrap(),
        "--data",
        d.to_str().unwrap(),
        "--message-format",
        "short",
    ]);
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
    // Without --data and with no sibling bind.json, the template is only compiled: fine.
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
    let out = slipmark(&[
        "check",
        t.to_str().unwrap(),
        "--data",
        d.to_str().unwrap(),
        "--message-format",
        "short",
    ]);
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

#[test]
fn each_template_is_bound_to_its_own_sibling_json() {
    let dir = TempDir::new("check-siblings");
    let a = dir.file("a.slip", "{{ shop }}\n");
    dir.file("a.json", r#"{"shop": "老王"}"#);
    let b = dir.file("b.slip", "{{ order.qty }}\n");
    dir.file("b.json", r#"{"order": {}}"#);
    let out = slipmark(&["check", a.to_str().unwrap(), b.to_str().unwrap()]);
    assert_eq!(out.code, Some(1));
    // a.slip binds to a.json (fine), b.slip to b.json (its own error), not both to one file
    assert!(!out.stderr.contains("a.slip"), "{}", out.stderr);
    assert!(out.stderr.contains("b.slip:1:4"), "{}", out.stderr);
    let c = dir.file("c.slip", "{{ anything }}\n");
    let out = slipmark(&["check", c.to_str().unwrap()]);
    assert_eq!(
        out.code,
        Some(0),
        "without data the template is only compiled"
    );
}

#[test]
fn check_fails_with_position_on_what_render_would_refuse() {
    let dir = TempDir::new("check-refuse");
    let cases = [
        (
            "copies.slip",
            "---\ncopies: 12\n---\nx\n",
            "copies.slip:2:9: invalid copies `12`",
        ),
        (
            "reminder.slip",
            "---\nreminder: buzer\n---\nx\n",
            "reminder.slip:2:11: invalid reminder `buzer`",
        ),
        (
            "cut.slip",
            "---\ncut: ful\n---\nx\n",
            "cut.slip:2:6: invalid cut `ful`",
        ),
        (
            "letters.slip",
            "![ean13](69012345678A2)\n",
            "letters.slip:1:21: EAN-13 takes digits only, not 'A'",
        ),
        (
            "digit.slip",
            "![ean13](6901234567891)\n",
            "digit.slip:1:22: the EAN-13 check digit of 6901234567891 should be 2",
        ),
    ];
    for (name, text, expected) in cases {
        let t = dir.file(name, text);
        let out = slipmark(&["check", t.to_str().unwrap(), "--message-format", "short"]);
        assert_eq!(out.code, Some(1), "{name}: {}", out.stderr);
        assert!(out.stderr.contains(expected), "{name}: {}", out.stderr);
    }
    // twelve digits are fine: the check digit is computed
    let t = dir.file("twelve.slip", "![ean13](690123456789)\n");
    let out = slipmark(&["check", t.to_str().unwrap()]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn check_with_a_model_renders_and_reports_what_it_cannot_print() {
    let dir = TempDir::new("check-model");
    let t = dir.file("bar.slip", "# 小票\n![code128](NO-{{ no }})\n");
    dir.file("bar.json", r#"{"no": 42}"#);
    let path = t.to_str().unwrap();
    assert_eq!(slipmark(&["check", path]).code, Some(0));
    let out = slipmark(&["check", path, "--model", "K2S", "--message-format", "short"]);
    assert_eq!(out.code, Some(1));
    assert!(
        out.stderr.contains(
            "bar.slip:2:12: the K2S/K3S/M1 (old firmware) cannot print Code 128 barcodes"
        ),
        "{}",
        out.stderr
    );
    assert_eq!(slipmark(&["check", path, "--model", "K4"]).code, Some(0));
}

#[test]
fn json_messages_give_file_position_span_kind_and_hint() {
    let dir = TempDir::new("check-json");
    let t = dir.file("j.slip", "---\ncut: ful\n---\n");
    let out = slipmark(&["check", t.to_str().unwrap(), "--message-format", "json"]);
    assert_eq!(out.code, Some(1));
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", out.stderr);
    let v: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(v["severity"], "error");
    assert_eq!(v["kind"], "setting");
    assert_eq!(v["message"], "invalid cut `ful`");
    assert!(v["file"].as_str().unwrap().ends_with("j.slip"));
    assert_eq!(
        (v["line"].as_u64(), v["column"].as_u64()),
        (Some(2), Some(6))
    );
    assert_eq!(
        (v["span"]["start"].as_u64(), v["span"]["end"].as_u64()),
        (Some(9), Some(12))
    );
    assert!(
        v["hint"]
            .as_str()
            .unwrap()
            .contains("none, half, partial, full")
    );
}

#[test]
fn deny_warnings_makes_a_warning_fail() {
    let dir = TempDir::new("check-deny");
    let t = dir.file(
        "w.slip",
        "{% set n = 0 %}\n{% for x in xs %}\n{% set n = n + x %}\n{% endfor %}\n{{ n }}\n",
    );
    dir.file("w.json", r#"{"xs": [1, 2]}"#);
    let path = t.to_str().unwrap();
    let out = slipmark(&["check", path]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert!(
        out.stderr.contains("warning[lost-assignment]"),
        "{}",
        out.stderr
    );
    let out = slipmark(&["check", path, "--deny-warnings"]);
    assert_eq!(out.code, Some(1));
    let out = slipmark(&["render", path, "--deny-warnings"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.is_empty());
}

#[test]
fn every_template_passes_on_every_model() {
    let mut args = vec!["check", "--all-models", "--message-format", "short"];
    let files: Vec<String> = std::fs::read_dir("templates")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "slip"))
        .map(|p| p.display().to_string())
        .collect();
    assert!(files.len() >= 4);
    args.extend(files.iter().map(String::as_str));
    let out = slipmark(&args);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
}

#[test]
fn a_render_reports_every_model_error_not_only_the_first() {
    let dir = TempDir::new("check-every-model-error");
    let t = dir.file(
        "multi.slip",
        "---\ncut: full\n---\n![code128](A-1)\n![ean13](690123456789)\n![code128c](1234)\n",
    );
    let path = t.to_str().unwrap();
    // (`cut:` on a printer without a cutter is skipped with a warning, not an error: a lost cut
    // prints nothing less.)
    let expected = [
        "multi.slip:4:12: the K2S/K3S/M1 (old firmware) cannot print Code 128 barcodes",
        "multi.slip:6:13: the K2S/K3S/M1 (old firmware) cannot print Code 128 C barcodes",
    ];
    for args in [
        vec!["check", path, "--model", "K2S", "--message-format", "short"],
        vec![
            "render",
            path,
            "--model",
            "K2S",
            "--message-format",
            "short",
        ],
    ] {
        let out = slipmark(&args);
        assert_eq!(out.code, Some(1), "{args:?}");
        assert!(out.stdout.is_empty());
        let lines: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(lines.len(), 2, "{args:?}: {}", out.stderr);
        for (line, want) in lines.iter().zip(expected) {
            assert!(line.ends_with(want), "{args:?}: {line}");
        }
    }
}
