//! Must-show 1 and 3 through the binary: `render --format png` draws a picture whose QR code
//! scans to the order URL; `render --format svg`; `emulate` draws hand-written Yilianyun content
//! and reports its problems at their positions.

mod cli_support;

use cli_support::slipmark;

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("slipmark-picture-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// The texts of every QR code found in a PNG.
fn qr_codes(png: &[u8]) -> Vec<String> {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).expect("a PNG");
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let data = pixmap.data();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = (y * w + x) * 4;
        // premultiplied RGBA on an opaque picture: the green channel is the grey
        data[i + 1]
    });
    img.detect_grids()
        .into_iter()
        .map(|g| g.decode().expect("a readable QR code").1)
        .collect()
}

#[test]
fn render_png_draws_a_qr_code_that_scans_to_the_order_url() {
    let out = temp("t.png");
    let ran = slipmark(&[
        "render",
        "templates/takeaway.slip",
        "--model",
        "K4",
        "--format",
        "png",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(ran.success, "{}", ran.stderr);
    assert!(ran.stdout.is_empty());
    let png = std::fs::read(&out).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
    let data: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string("templates/takeaway.json").unwrap()).unwrap();
    let url = data["order"]["url"].as_str().unwrap();
    assert_eq!(qr_codes(&png), [url]);
    // 58 mm: 384 dots of paper + 32 of table, 2 pixels a dot
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).unwrap();
    assert_eq!(pixmap.width(), 832);
}

#[test]
fn render_svg_goes_to_stdout_and_the_help_has_a_legend() {
    let ran = slipmark(&[
        "render",
        "templates/queue.slip",
        "--model",
        "K7",
        "--format",
        "svg",
    ]);
    assert!(ran.success, "{}", ran.stderr);
    assert!(ran.stdout.starts_with("<svg "));
    assert!(ran.stdout.contains(r#"data-columns="48""#));
    let help = slipmark(&["render", "--help"]);
    assert!(
        help.stdout.contains("Reading the text preview"),
        "{}",
        help.stdout
    );
    assert!(help.stdout.contains("ditto"));
}

/// Must-show 3: a 40-column line on 58 mm, an unknown tag and a `<MN>` after text.
#[test]
fn emulate_draws_hand_written_content_and_reports_three_problems() {
    let content = "<FS2><center>老王烧烤</center></FS2>\n\
                   1234567890123456789012345678901234567890\n\
                   <B>招牌羊肉串</B> x10\n\
                   <MN>2</MN>合计 35.00\n";
    let file = temp("legacy.txt");
    std::fs::write(&file, content).unwrap();
    let path = file.to_str().unwrap();
    let ran = slipmark(&["emulate", path, "--model", "K4"]);
    assert_eq!(ran.code, Some(1), "problems exit 1: {}", ran.stderr);
    // the paper: the long line wraps after 32 columns, the unknown tag prints literally
    let lines: Vec<&str> = ran.stdout.lines().collect();
    assert!(
        lines.contains(&"12345678901234567890123456789012"),
        "{}",
        ran.stdout
    );
    assert!(lines.contains(&"34567890"), "{}", ran.stdout);
    assert!(lines.contains(&"<B>招牌羊肉串</B> x10"), "{}", ran.stdout);
    assert!(lines.contains(&"合计 35.00"), "{}", ran.stdout);
    // the problems, at line:column of the content
    let err = &ran.stderr;
    assert!(
        err.contains(&format!("{path}:2:33: problem[filled-line]")),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{path}:3:1: problem[unknown-tag]: <B> is not a Yilianyun tag"
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!("{path}:3:9: problem[unknown-tag]: </B>")),
        "{err}"
    );
    assert!(
        err.contains(&format!("{path}:4:1: problem[late-control]")),
        "{err}"
    );
    assert!(err.contains("4 problems on the K4"), "{err}");
    // as SVG too, and the JSON lists the same problems with byte offsets
    let svg = slipmark(&["emulate", path, "--model", "K4", "--format", "svg"]);
    assert!(svg.stdout.starts_with("<svg ") && svg.stdout.contains("scale(2 2)"));
    let json = slipmark(&["emulate", path, "--model", "K4", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    let late = &v["problems"][3];
    assert_eq!(late["kind"], "late-control");
    let start = late["start"].as_u64().unwrap() as usize;
    assert!(content[start..].starts_with("<MN>2</MN>"));
}

#[test]
fn emulate_a_straddling_line_is_past_the_edge() {
    // 31 ASCII columns then a CJK character that needs two: it does not fit, and wraps
    let content = format!("{}汉字\n", "a".repeat(31));
    let file = temp("straddle.txt");
    std::fs::write(&file, &content).unwrap();
    let path = file.to_str().unwrap();
    let ran = slipmark(&["emulate", path, "--model", "K4"]);
    assert!(
        ran.stderr
            .contains(&format!("{path}:1:32: problem[past-edge]")),
        "{}",
        ran.stderr
    );
    let clean = temp("clean.txt");
    std::fs::write(&clean, "合计 35.00\n").unwrap();
    let ran = slipmark(&["emulate", clean.to_str().unwrap(), "--model", "K4"]);
    assert!(ran.success && ran.stderr.is_empty(), "{}", ran.stderr);
}
