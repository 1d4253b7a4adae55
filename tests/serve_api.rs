//! The render service as a backend in another language uses it: `slipmark serve` started on
//! 127.0.0.1, real HTTP requests to `/v1/…` (must-shows 3 and 4 of the bindings issue; the PHP
//! client is `examples/php/render.php`, run here when `php` is installed).

mod cli_support;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use cli_support::slipmark;

/// A `slipmark serve` process on a free port, killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_slipmark"))
            .args(["serve", "templates", "--port", "0", "--threads", "4"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("slipmark serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .to_string();
        Server { child, addr }
    }

    /// One HTTP/1.1 request; returns the status and the body.
    fn call(&self, method: &str, path: &str, body: &[u8]) -> (u16, String) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            body.len()
        );
        s.write_all(head.as_bytes()).unwrap();
        // A server may answer (413) before the whole body is sent, and close.
        let _ = s.write_all(body);
        let mut raw = Vec::new();
        let _ = s.read_to_end(&mut raw);
        let raw = String::from_utf8_lossy(&raw).to_string();
        let status = raw
            .split(' ')
            .nth(1)
            .and_then(|c| c.parse().ok())
            .unwrap_or_else(|| panic!("no status in {raw:?}"));
        let body = raw
            .split_once("\r\n\r\n")
            .map_or("", |(_, b)| b)
            .to_string();
        (status, body)
    }

    fn render(&self, request: &serde_json::Value) -> (u16, serde_json::Value) {
        let (status, body) = self.call("POST", "/v1/render", request.to_string().as_bytes());
        (status, serde_json::from_str(&body).unwrap_or_default())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn takeaway_request() -> serde_json::Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap();
    serde_json::json!({
        "template": {
            "name": "templates/takeaway.slip",
            "source": read("templates/takeaway.slip"),
            "includes": { "partials/footer.slip": read("templates/partials/footer.slip") },
        },
        "data": serde_json::from_str::<serde_json::Value>(&read("templates/takeaway.json")).unwrap(),
        "printer": "K4-WA",
    })
}

#[test]
fn a_render_request_gets_the_clis_content() {
    let server = Server::start();
    let (status, v) = server.render(&takeaway_request());
    assert_eq!(status, 200, "{v}");
    let cli = slipmark(&[
        "render",
        "templates/takeaway.slip",
        "--model",
        "K4-WA",
        "--format",
        "content",
    ]);
    assert_eq!(v["value"]["jobs"][0]["content"], cli.stdout.as_str());
}

#[test]
fn bad_requests_get_a_4xx_diagnostic_fast_and_the_service_keeps_serving() {
    let server = Server::start();
    let ten_mb = format!(
        r#"{{"template": {{"source": "{}"}}}}"#,
        "x".repeat(10 << 20)
    );
    let runaway = serde_json::json!({
        "template": { "source": "{% for a in xs %}{% for b in xs %}{% for c in xs %}{% for d in xs %}{{ a }}{% endfor %}{% endfor %}{% endfor %}{% endfor %}\n" },
        "data": { "xs": (0..1000).collect::<Vec<u32>>() },
    });
    let cases: [(&str, Vec<u8>, u16, &str); 3] = [
        ("10 MB", ten_mb.into_bytes(), 413, "request"),
        (
            "runaway loop",
            runaway.to_string().into_bytes(),
            422,
            "budget",
        ),
        (
            "malformed JSON",
            b"{\"template\": {".to_vec(),
            400,
            "request",
        ),
    ];
    for (what, body, want, kind) in cases {
        let start = Instant::now();
        let (status, body) = server.call("POST", "/v1/render", &body);
        // A guard against a hang, not a timing goal (the time is printed: `--nocapture`).
        let took = start.elapsed();
        assert!(took < Duration::from_secs(30), "{what}: {took:?}");
        println!("{what}: {status} in {took:?}");
        assert_eq!(status, want, "{what}: {body}");
        let v: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(v["diagnostics"][0]["kind"], kind, "{what}: {v}");
        // …and the next request is served.
        let (status, _) = server.call("GET", "/v1/health", b"");
        assert_eq!(status, 200, "after {what}");
    }
}

#[test]
fn a_hundred_concurrent_renders_all_succeed_identically() {
    let server = Server::start();
    let request = takeaway_request();
    let start = Instant::now();
    let answers: Vec<(u16, serde_json::Value)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..100)
            .map(|_| s.spawn(|| server.render(&request)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let elapsed = start.elapsed();
    let first = &answers[0].1["value"]["jobs"][0]["content"];
    assert!(first.is_string());
    for (status, v) in &answers {
        assert_eq!(*status, 200);
        assert_eq!(&v["value"]["jobs"][0]["content"], first);
    }
    // A figure for the record (CI machines vary; nothing is asserted about speed).
    println!(
        "100 concurrent renders in {elapsed:?}: {:.0} requests/s",
        100.0 / elapsed.as_secs_f64()
    );
}

#[test]
fn the_php_example_renders_through_the_service() {
    if Command::new("php").arg("--version").output().is_err() {
        eprintln!("SKIPPED: php is not installed (.ci/run installs php-cli)");
        return;
    }
    let server = Server::start();
    let out = Command::new("php")
        .args([
            "examples/php/render.php",
            &format!("http://{}", server.addr),
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let cli = slipmark(&[
        "render",
        "templates/takeaway.slip",
        "--model",
        "K4-WA",
        "--format",
        "content",
    ]);
    assert_eq!(stdout, cli.stdout);
}
