//! Must-show 3 for the other dialects, through the binary: `slipmark emulate` on a hand-written
//! Feieyun content string and on hand-written ESC/POS bytes (from stdin) draws the paper and
//! reports every problem at its position (line:column of the text; byte and printed line of
//! the bytes).

mod cli_support;

use std::io::Write as _;
use std::process::{Command, Stdio};

use cli_support::{TempDir, slipmark};

/// Line and column (1-based, in characters) of byte `at` in `text`, counted here.
fn pos(text: &str, at: usize) -> String {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let col = before[before.rfind('\n').map_or(0, |i| i + 1)..]
        .chars()
        .count()
        + 1;
    format!("{line}:{col}")
}

#[test]
fn emulate_a_hand_written_feieyun_string() {
    // as PHP code following the vendor's demo builds it: one string, <BR> line ends
    let content = [
        "<CB>老王烧烤</CB><BR>",
        "1234567890123456789012345678901234567890<BR>",
        "<FB>招牌羊肉串</FB> x10<BR>",
        "<QR>https://e.x/o/1</QR>",
        "<QR>https://e.x/o/2</QR>",
        "<BC128_A>ab12</BC128_A>",
        "<BC128_B>ABCDEFGHIJKLMNOP</BC128_B>",
        "合计 35.00<BR><CUT>",
    ]
    .concat();
    let dir = TempDir::new("emulate-feieyun");
    let file = dir.file("legacy-feie.txt", &content);
    let path = file.to_str().unwrap();
    let ran = slipmark(&["emulate", path, "--model", "feieyun-58"]);
    assert_eq!(ran.code, Some(1), "problems exit 1: {}", ran.stderr);
    let lines: Vec<&str> = ran.stdout.lines().collect();
    // <CB> is centred ×2: 8 glyphs of 4 columns = 16, centred on 32
    assert_eq!(
        lines[0],
        format!("{}老  王  烧  烤", " ".repeat(8)),
        "{}",
        ran.stdout
    );
    assert!(
        lines.contains(&"12345678901234567890123456789012"),
        "{}",
        ran.stdout
    );
    assert!(lines.contains(&"34567890"), "{}", ran.stdout);
    assert!(lines.contains(&"<FB>招牌羊肉串</FB> x10"), "{}", ran.stdout);
    // one QR box (its data wraps in the box): the second QR does not print
    assert_eq!(ran.stdout.matches("| QR ").count(), 1, "{}", ran.stdout);
    assert!(ran.stdout.contains("| o/1 "), "{}", ran.stdout);
    assert!(
        ran.stdout.contains("<CUT>"),
        "no cutter on 58 mm: printed as text"
    );
    let err = &ran.stderr;
    let at = |needle: &str, skip: usize| pos(&content, content.find(needle).unwrap() + skip);
    let want = [
        (
            at("1234567890", 32),
            "past-edge",
            "the line passes the paper's edge (32 columns)",
        ),
        (at("<FB>", 0), "unknown-tag", "<FB> is not a Feieyun tag"),
        (at("</FB>", 0), "unknown-tag", "</FB> is not a Feieyun tag"),
        (
            at("<QR>https://e.x/o/2", 0),
            "code-count",
            "QR code 2 in one order: the Feieyun 58 mm prints at most 1 per order",
        ),
        (
            at("ab12", 0),
            "bad-code",
            "digits and upper-case letters, not 'a'",
        ),
        (
            at("ABCDEFGHIJKLMNOP", 0),
            "code-too-long",
            "16 characters; the Feieyun 58 mm takes at most 14",
        ),
        (
            at("<CUT>", 0),
            "unknown-tag",
            "the Feieyun 58 mm has no cutter",
        ),
    ];
    for (position, kind, message) in &want {
        let head = format!("{path}:{position}: problem[{kind}]: ");
        let line = err
            .lines()
            .find(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("no `{head}` in\n{err}"));
        assert!(line.contains(message), "{line}");
    }
    assert!(err.contains("7 problems on the Feieyun 58 mm"), "{err}");
    // the same as JSON, with byte offsets that point at the problems
    let json = slipmark(&["emulate", path, "--model", "feieyun-58", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let problems = v["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 7);
    let start = problems[3]["start"].as_u64().unwrap() as usize;
    assert!(content[start..].starts_with("<QR>https://e.x/o/2"));
    assert_eq!(problems[3]["kind"], "code-count");
}

#[test]
fn emulate_hand_written_esc_pos_bytes_from_stdin() {
    let mut bytes: Vec<u8> = vec![0x1b, b'@'];
    let utf8 = bytes.len();
    bytes.extend("合计 35.00\n".as_bytes()); // UTF-8, not GBK
    let total = bytes.len();
    bytes.extend(b"Total");
    let align = bytes.len();
    bytes.extend([0x1b, b'a', 1, b'\n']); // ESC a after text
    let unknown = bytes.len();
    bytes.extend([0x1b, b'~']); // no such command
    bytes.extend(encoding_rs::GBK.encode("谢谢惠顾").0.iter());
    bytes.push(b'\n');
    let long = bytes.len();
    bytes.extend([b'-'; 40]);
    bytes.push(b'\n');
    let truncated = bytes.len();
    bytes.extend([0x1d, b'(', b'k', 0x20, 0x00, 49, 80, 48, b'h', b't']); // store, cut short
    let mut child = Command::new(env!("CARGO_BIN_EXE_slipmark"))
        .args(["emulate", "-", "--model", "escpos-58"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&bytes).unwrap();
    let out = child.wait_with_output().unwrap();
    let (stdout, err) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
    let lines: Vec<&str> = stdout.lines().collect();
    // what the printer prints: the UTF-8 bytes read as GBK, the line, the GBK text
    let garbled: String = encoding_rs::GBK
        .decode("合计".as_bytes())
        .0
        .chars()
        .take(2)
        .collect();
    assert_eq!(garbled, "鍚堣");
    assert!(lines[0].starts_with(&garbled), "{stdout}");
    assert_eq!(lines[1], "Total");
    assert_eq!(lines[2], "谢谢惠顾");
    assert_eq!(lines[3], "-".repeat(32));
    assert_eq!(lines[4], "-".repeat(8));
    let want = [
        (utf8, 1, "not-gbk", "this text is UTF-8, not GBK"),
        (
            align,
            2,
            "late-control",
            "ESC a (alignment) after the start of a line",
        ),
        (unknown, 3, "unknown-command", "ESC ~ is not a command"),
        (long + 32, 4, "past-edge", "passes the paper's edge"),
        (truncated, 5, "truncated", "the input ends inside GS ( k"),
    ];
    for (at, line, kind, message) in want {
        let head = format!("-: byte {at} (line {line}): problem[{kind}]: ");
        let found = err
            .lines()
            .find(|l| l.starts_with(&head))
            .unwrap_or_else(|| panic!("no `{head}` in\n{err}"));
        assert!(found.contains(message), "{found}");
    }
    // the bytes around the problem, escaped, with a caret under it
    assert!(err.contains("  | Total\\x1ba\\x01\\n"), "{err}");
    assert!(
        err.contains("5 problems on the ESC/POS 58 mm (generic)"),
        "{err}"
    );
    let _ = total;
}
