//! `slipmark render` as a user runs it: no network, no credentials, the preview on stdout.

mod cli_support;

use cli_support::{TempDir, slipmark};

/// Display columns on a screen (East-Asian-ambiguous characters narrow, as most terminals draw
/// them; the preview pads those to their paper width).
fn columns(line: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(line)
}

#[test]
fn renders_a_real_template_at_58mm_with_its_sibling_data() {
    let out = slipmark(&[
        "render",
        "templates/takeaway.slip",
        "--paper",
        "58mm",
        "--format",
        "preview",
    ]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let stdout = &out.stdout;
    assert!(stdout.lines().all(|l| columns(l) <= 32), "{stdout}");
    // the full-width rule shows the paper's width, the total sits at the right edge
    assert!(stdout.lines().any(|l| l == "-".repeat(32)), "{stdout}");
    let total = stdout
        .lines()
        .find(|l| l.starts_with("实付"))
        .expect("total line");
    assert!(
        total.ends_with("￥93.10") && columns(total) == 32,
        "{total:?}"
    );
    assert!(out.stderr.is_empty(), "{}", out.stderr);
    // the defaults (no --paper, no --format) give the same
    let plain = slipmark(&["render", "templates/takeaway.slip"]);
    assert_eq!(&plain.stdout, stdout);
}

#[test]
fn paper_flag_overrides_the_front_matter_which_overrides_the_default() {
    let dir = TempDir::new("render-wide");
    let path = dir.file("wide.slip", "---\npaper: 80mm\n---\n---\n");
    let p = path.to_str().unwrap();
    let width = |args: &[&str]| {
        let out = slipmark(args);
        assert_eq!(out.code, Some(0), "{}", out.stderr);
        out.stdout.trim_end().len()
    };
    // An 80 mm printer: the front matter's 80 mm, else the flag.
    assert_eq!(width(&["render", p, "--model", "k7"]), 48);
    assert_eq!(
        width(&["render", p, "--model", "k7", "--paper", "58mm"]),
        32
    );
    // The generic profile prints any paper.
    assert_eq!(width(&["render", p, "--model", "generic"]), 48);
    assert_eq!(
        width(&["render", p, "--model", "generic", "--paper", "40"]),
        40
    );
    // The default printer is a 58 mm K4: it refuses the 80 mm the template asks for, at `paper:`.
    let out = slipmark(&["render", p, "--message-format", "short"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .contains("2:8: the paper is 48 columns; the K4 (old firmware) prints at most 32"),
        "{}",
        out.stderr
    );
    assert_eq!(width(&["render", p, "--paper", "58mm"]), 32);
}

#[test]
fn warnings_go_to_stderr_with_their_position() {
    let dir = TempDir::new("render-emoji");
    let path = dir.file("emoji.slip", "# 测试 {{ x }}\n");
    let data = dir.file("other.json", r#"{"x": "好😀"}"#);
    let out = slipmark(&[
        "render",
        path.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
        "--message-format",
        "short",
    ]);
    assert_eq!(out.code, Some(0));
    assert!(out.stdout.contains("好  □"), "{}", out.stdout);
    assert_eq!(
        out.stderr.trim_end(),
        format!(
            "{}:1:9: warning: `😀` (U+1F600) cannot be printed; printed as `□`",
            path.display()
        )
    );
}

#[test]
fn a_layout_error_points_at_the_spec_row_and_prints_nothing() {
    let dir = TempDir::new("render-wide-table");
    let path = dir.file("wide_table.slip", "|-30-|-20-|\n| a | b |\n");
    let out = slipmark(&["render", path.to_str().unwrap(), "--paper", "80mm"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stdout.is_empty());
    let stderr = &out.stderr;
    // printed once, as a snippet
    assert_eq!(
        stderr.matches("the fixed columns need").count(),
        1,
        "{stderr}"
    );
    assert!(stderr.contains(&format!(
        "error[layout]: the fixed columns need 51 columns (50 plus 1 one-column gap) but the paper has 48\n  --> {}:1:2",
        path.display()
    )), "{stderr}");
    let out = slipmark(&[
        "render",
        path.to_str().unwrap(),
        "--paper",
        "80mm",
        "--message-format",
        "short",
    ]);
    let stderr = &out.stderr;
    assert!(stderr.contains(&format!(
        "{}:1:2: the fixed columns need 51 columns (50 plus 1 one-column gap) but the paper has 48",
        path.display()
    )), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}

#[test]
fn a_missing_template_is_an_error() {
    let out = slipmark(&["render", "templates/does-not-exist.slip"]);
    assert_eq!(out.code, Some(1));
    assert!(out.stderr.contains("cannot read"));
}

#[test]
fn data_numbers_keep_every_digit_in_text_and_in_code128c() {
    let dir = TempDir::new("render-digits");
    let path = dir.file("b.slip", "{{ b }}\n![code128c]({{ b }})\n");
    dir.file("b.json", r#"{"b": 98765432109876543210}"#);
    let out = slipmark(&["render", path.to_str().unwrap(), "--format", "content"]);
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    assert_eq!(
        out.stdout,
        "98765432109876543210\n<BR3>98765432109876543210</BR3>"
    );
}
