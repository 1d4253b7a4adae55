//! The cloud subcommands, run as a user would, against the local mock platform.
#![cfg(all(feature = "cli", feature = "http"))]

mod cli_support;
mod cloud_support;

use std::path::PathBuf;

use cli_support::{Ran, TempDir, slipmark_with_env};
use cloud_support::mock_platform::MockPlatform;

const ID: &str = "1039521561";
const SECRET: &str = "abcdef0123456789";

/// A scratch directory holding the token store, and `slipmark` run with the test credentials
/// and nothing else in its environment.
struct Sandbox {
    dir: TempDir,
}

impl Sandbox {
    fn new(name: &str) -> Self {
        Sandbox {
            dir: TempDir::new(&format!("cli-{name}")),
        }
    }

    fn tokens(&self) -> PathBuf {
        self.dir.path().join("tokens.json")
    }

    fn run(&self, args: &[&str]) -> Ran {
        let tokens = self.tokens();
        slipmark_with_env(
            args,
            &[
                ("YLY_CLIENT_ID", ID.as_ref()),
                ("YLY_CLIENT_SECRET", SECRET.as_ref()),
                ("SLIPMARK_TOKEN_STORE", tokens.as_ref()),
            ],
        )
    }
}

/// How many print requests the platform received.
fn print_requests(mock: &MockPlatform) -> usize {
    mock.received()
        .iter()
        .filter(|r| r.path.ends_with("/print/index"))
        .count()
}

#[test]
fn print_sends_the_content_file_byte_for_byte_and_prints_the_job_id() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let sb = Sandbox::new("print");
    let content = "<center>老王餐馆</center>\r\n宫保鸡丁 x2  ¥36.00\r\nA&B+C=50%\n<QR>https://x.cn/?a=1&b=2</QR>";
    let file = sb.dir.file("job.txt", content);
    let out = sb.run(&[
        "print",
        "--content-file",
        file.to_str().unwrap(),
        "--machine-code",
        "4004519454",
        "--origin-id",
        "order77",
        "--api-base",
        &mock.base,
    ]);
    assert!(out.success, "{}", out.stderr);
    let printed = mock.printed();
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].content, content);
    assert_eq!(printed[0].origin_id, "order77");
    assert_eq!(out.stdout, format!("{}\n", printed[0].id));
    assert!(out.stderr.contains("origin_id: order77"));
    assert_eq!(
        mock.violations(),
        Vec::<String>::new(),
        "every request correctly signed"
    );
    assert_eq!(print_requests(&mock), 1, "one print request");

    // The token was stored owner-only and is reused: a second print fetches no token.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(sb.tokens()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let again = sb.run(&[
        "print",
        "--content-file",
        file.to_str().unwrap(),
        "--machine-code",
        "4004519454",
        "--api-base",
        &mock.base,
    ]);
    assert!(again.success, "{}", again.stderr);
    assert_eq!(mock.token_fetches(), 1);
    assert!(!again.stderr.contains(SECRET));
}

#[test]
fn print_sends_exactly_what_render_gives_for_the_model() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let sb = Sandbox::new("render");
    let template = concat!(env!("CARGO_MANIFEST_DIR"), "/templates/takeaway.slip");
    let rendered = sb.run(&["render", template, "--model", "K4", "--format", "content"]);
    assert!(rendered.success, "{}", rendered.stderr);
    let expected = rendered.stdout;
    assert!(expected.contains("<QR>"), "a real receipt: {expected}");
    let out = sb.run(&[
        "print",
        template,
        "--model",
        "K4",
        "--machine-code",
        "4004519454",
        "--api-base",
        &mock.base,
    ]);
    assert!(out.success, "{}", out.stderr);
    let printed = mock.printed();
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].content, expected, "content byte for byte");
    assert_eq!(out.stdout, format!("{}\n", printed[0].id));
    assert_eq!(print_requests(&mock), 1, "one print request");
    assert_eq!(mock.violations(), Vec::<String>::new(), "correctly signed");
}

#[test]
fn print_skips_what_the_model_lacks_unless_warnings_are_denied() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let sb = Sandbox::new("voice");
    let template = sb
        .dir
        .file("voice.slip", "---\nvoice: 您有新的订单\n---\n新订单 #1\n");
    let template = template.to_str().unwrap();
    let args = [
        "print",
        template,
        "--model",
        "K4",
        "--machine-code",
        "4004519454",
        "--api-base",
        &mock.base,
    ];
    let out = sb.run(&[&args[..], &["--deny-warnings"]].concat());
    assert!(!out.success);
    assert!(out.stderr.contains("voice"), "{}", out.stderr);
    assert!(
        mock.received().is_empty(),
        "nothing sent, not even a token fetch"
    );
    let out = sb.run(&args);
    assert!(out.success, "{}", out.stderr);
    assert!(out.stderr.contains("warning:"), "{}", out.stderr);
    assert_eq!(mock.printed().len(), 1);
    assert!(mock.printed()[0].content.contains("新订单 #1"));
}

#[test]
fn status_and_auth_flows() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let sb = Sandbox::new("status");
    let out = sb.run(&["auth", "token", "--api-base", &mock.base]);
    assert!(out.success, "{}", out.stderr);
    let out = sb.run(&[
        "status",
        "--machine-code",
        "4004519454",
        "--api-base",
        &mock.base,
    ]);
    assert_eq!(out.stdout, "online\n", "{}", out.stderr);
    let out = sb.run(&["auth", "show", "--api-base", &mock.base]);
    let shown = out.stdout;
    assert!(shown.contains("key: app:1039521561"), "{shown}");
    assert!(
        shown.contains("fetches in the last 24 h: 1 of 20"),
        "{shown}"
    );
    assert!(!shown.contains("tok1"), "no token in output: {shown}");
    assert_eq!(mock.violations(), Vec::<String>::new());
}

#[test]
fn missing_credentials_and_bad_origin_id_are_clear_errors() {
    let out = slipmark_with_env(
        &[
            "status",
            "--machine-code",
            "1",
            "--api-base",
            "http://127.0.0.1:9",
        ],
        &[],
    );
    assert!(!out.success);
    assert!(out.stderr.contains("YLY_CLIENT_ID"), "{}", out.stderr);
    let sb = Sandbox::new("bad-origin");
    let file = sb.dir.file("c.txt", "x");
    let out = sb.run(&[
        "print",
        "--content-file",
        file.to_str().unwrap(),
        "--machine-code",
        "1",
        "--origin-id",
        "a-b",
    ]);
    assert!(!out.success);
    assert!(
        out.stderr
            .contains("origin_id must be 1 to 32 ASCII letters and digits"),
        "{}",
        out.stderr
    );
}
