//! The cloud client against a local mock platform over real HTTP (127.0.0.1 only).
#![cfg(feature = "http")]

mod cloud_support;

use std::sync::Arc;
use std::time::Duration;

use cloud_support::mock_platform::{Fault, MockPlatform, md5_hex};
use slipmark::cloud::{
    ApiBase, ApiErrorKind, ApiRequest, Client, Credentials, ErrorGroup, HttpRequest, HttpTransport,
    MemoryTokenStore, OriginId, PrinterState, PushOutcome, PushReceiver, Secret, Timeouts, Token,
    TokenKey, TokenStore,
};

const ID: &str = "1039521561";
const SECRET: &str = "abcdef0123456789";
const CONTENT: &str =
    "<FS2>鱼香肉丝 x1</FS2>\r\nA&B+C=50% off\r\n<QR>https://x.cn/?a=1&b=2</QR>\r\n";

fn client_with(mock: &MockPlatform, store: Arc<dyn TokenStore>, total: Duration) -> Client {
    let transport = HttpTransport::new(Timeouts {
        connect: Duration::from_secs(1),
        total,
    });
    Client::builder(Credentials::new(ID, SECRET), Arc::new(transport))
        .base(ApiBase::parse(&mock.base))
        .token_store(store)
        .retry_delay(Duration::from_millis(5))
        .build()
}

fn client(mock: &MockPlatform) -> Client {
    client_with(
        mock,
        Arc::new(MemoryTokenStore::new()),
        Duration::from_secs(3),
    )
}

/// A client whose stored token is `tok`, which the platform issued and has since expired.
fn client_with_expired_token(mock: &MockPlatform, tok: &str) -> Client {
    mock.seed_token(tok);
    mock.expire_tokens();
    let c = client(mock);
    c.tokens()
        .put(
            &TokenKey::App(ID.into()),
            Token::external(Secret::new(tok), 0),
        )
        .unwrap();
    c
}

fn origin(s: &str) -> OriginId {
    OriginId::new(s).unwrap()
}

fn redact_answer(json: &str) -> String {
    let mut out = String::new();
    let mut rest = json;
    while let Some(i) = rest.find("\"timestamp\":") {
        out.push_str(&rest[..i + 12]);
        rest = rest[i + 12..].trim_start_matches(|c: char| c.is_ascii_digit());
        out.push_str("<timestamp>");
    }
    out.push_str(rest);
    out
}

#[test]
fn print_sends_one_signed_request_with_exact_content() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let c = client(&mock);
    let job = c
        .print_text("4004519454", CONTENT, &origin("order1"))
        .unwrap();
    assert_eq!(job.id, "9007199254740994", "bigint id kept exact");
    assert_eq!(mock.violations(), Vec::<String>::new());
    let printed = mock.printed();
    assert_eq!(printed.len(), 1);
    assert_eq!(printed[0].content, CONTENT, "content arrives byte for byte");
    let received = mock.received();
    assert_eq!(received.len(), 2, "one token fetch, one print");
    let print = &received[1];
    let shown = HttpRequest {
        url: print.path.clone(),
        body: print.body.clone(),
    }
    .redacted();
    insta::assert_snapshot!("print_request", shown);
    insta::assert_snapshot!("print_answer", redact_answer(&print.answer));
    insta::assert_snapshot!(
        "token_request",
        HttpRequest {
            url: received[0].path.clone(),
            body: received[0].body.clone()
        }
        .redacted()
    );
}

#[test]
fn dropped_answer_is_retried_and_prints_once() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let c = client(&mock);
    mock.fault("/print/index", Fault::DropAfterAccept);
    let job = c.print_text("m1", CONTENT, &origin("order2")).unwrap();
    let printed = mock.printed();
    assert_eq!(printed.len(), 1, "printed once");
    assert_eq!(
        job.id,
        printed[0].id.to_string(),
        "the retry got the first job back"
    );
    let prints: Vec<_> = mock
        .received()
        .into_iter()
        .filter(|r| r.path.ends_with("/print/index"))
        .collect();
    assert_eq!(prints.len(), 2, "sent twice");
    assert!(
        prints
            .iter()
            .all(|r| r.params["origin_id"] == "order2" && r.params["idempotence"] == "1")
    );
    assert_ne!(prints[0].params["id"], prints[1].params["id"]);
    assert_eq!(mock.violations(), Vec::<String>::new());
}

#[test]
fn slow_and_broken_answers_to_a_print_still_print_once() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let c = client_with(
        &mock,
        Arc::new(MemoryTokenStore::new()),
        Duration::from_millis(400),
    );
    c.fetch_app_token().unwrap();
    mock.fault("/print/index", Fault::Delay(Duration::from_millis(800)));
    mock.fault("/print/index", Fault::BrokenJson);
    let job = c.print_text("m1", "hi", &origin("order3")).unwrap();
    assert_eq!(mock.printed().len(), 1);
    assert_eq!(job.origin_id, "order3");
}

#[test]
fn expired_token_is_refreshed_once_and_the_call_succeeds() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let c = client_with_expired_token(&mock, "old");
    assert_eq!(c.print_status("m1").unwrap(), PrinterState::Online);
    assert_eq!(mock.token_fetches(), 1);
    let paths: Vec<String> = mock.received().iter().map(|r| r.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "/v2/printer/getprintstatus",
            "/v2/oauth/oauth",
            "/v2/printer/getprintstatus"
        ]
    );
    assert_eq!(mock.violations(), Vec::<String>::new());
}

#[test]
fn fifty_concurrent_prints_on_an_expired_token_refresh_once() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    mock.token_delay(Duration::from_millis(150));
    let c = client_with_expired_token(&mock, "old");
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..50)
            .map(|i| {
                let c = &c;
                s.spawn(move || c.print_text("m1", &format!("job {i}"), &origin(&format!("o{i}"))))
            })
            .collect();
        for h in handles {
            h.join().expect("no panic").expect("print succeeds");
        }
    });
    assert_eq!(mock.token_fetches(), 1, "exactly one refresh");
    assert_eq!(mock.printed().len(), 50);
    assert_eq!(
        c.tokens()
            .record(&TokenKey::App(ID.into()))
            .unwrap()
            .fetches
            .len(),
        1
    );
    assert_eq!(mock.violations(), Vec::<String>::new());
}

#[test]
fn five_hundred_and_broken_json_are_typed_errors() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let c = client(&mock);
    c.fetch_app_token().unwrap();
    // A read is retried: three 503s exhaust the attempts.
    for _ in 0..3 {
        mock.fault("/printer/getprintstatus", Fault::Status(503));
    }
    let e = c.print_status("m1").unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::HttpStatus(503));
    assert_eq!(e.group(), ErrorGroup::Server);
    assert!(e.outcome_unknown());
    for _ in 0..3 {
        mock.fault("/printer/getprintstatus", Fault::BrokenJson);
    }
    let e = c.print_status("m1").unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::MalformedResponse);
    // A state change without idempotence is sent once, whatever happens.
    mock.fault("/printer/reprintorder", Fault::Status(502));
    let e = c
        .call(Some("m1"), &ApiRequest::reprint("m1", "5"))
        .unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::HttpStatus(502));
    mock.fault("/printer/reprintorder", Fault::DropAfterAccept);
    let e = c
        .call(Some("m1"), &ApiRequest::reprint("m1", "5"))
        .unwrap_err();
    assert_eq!(e.group(), ErrorGroup::Transport);
    assert_eq!(
        mock.arrivals("/printer/reprintorder"),
        2,
        "each reprint sent once"
    );
    assert_eq!(
        mock.arrivals("/printer/getprintstatus"),
        6,
        "each status read tried three times"
    );
    // Documented codes keep the vendor's message.
    let e = c.cancel_all("m1").unwrap_err();
    assert_eq!(
        (e.code(), e.group(), e.message()),
        (Some(24), ErrorGroup::Printer, "没有可取消的订单")
    );
}

#[test]
fn daily_quota_is_enforced_by_platform_and_spared_by_client() {
    let mock = MockPlatform::start(ID, SECRET, 3);
    // A client whose own budget is larger than the platform's meets error 41.
    let generous = client(&mock);
    for _ in 0..3 {
        generous.fetch_app_token().unwrap();
    }
    let e = generous.fetch_app_token().unwrap_err();
    assert_eq!(e.code(), Some(41));
    assert_eq!(e.group(), ErrorGroup::Credentials);
    // The default client counts and stops before the platform has to refuse.
    let mock = MockPlatform::start(ID, SECRET, 20);
    let transport = HttpTransport::new(Timeouts::default());
    let careful = Client::builder(Credentials::new(ID, SECRET), Arc::new(transport))
        .base(ApiBase::parse(&mock.base))
        .daily_token_limit(2)
        .build();
    careful.fetch_app_token().unwrap();
    careful.fetch_app_token().unwrap();
    let e = careful.fetch_app_token().unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::TokenQuota { used: 2, limit: 2 });
    assert_eq!(
        mock.token_fetches(),
        2,
        "the refused fetch never left the client"
    );
}

#[test]
fn pushes_signed_by_the_platform_verify_once() {
    let receiver = PushReceiver::new(Credentials::new(ID, SECRET));
    let now = 1_700_000_000u64;
    let sign = md5_hex(&format!("{ID}{now}{SECRET}"));
    let body = format!(
        "cmd=oauth_finish&machine_code=m1&order_id=42&state=1&push_time={now}&sign={sign}&new_field=x"
    );
    let wrong = body.replace(&sign, &md5_hex("forged"));
    assert!(matches!(
        receiver.handle("POST", &wrong, now),
        PushOutcome::Rejected(_)
    ));
    assert_eq!(receiver.handle("POST", &wrong, now).reply().0, 403);
    match receiver.handle("POST", &body, now) {
        PushOutcome::Accepted(p) => {
            assert_eq!(p.order_id(), Some("42"));
            assert_eq!(p.get("new_field"), Some("x"));
        }
        other => panic!("{other:?}"),
    }
    let dup = receiver.handle("POST", &body.replace(&sign, &sign.to_uppercase()), now + 5);
    assert!(matches!(dup, PushOutcome::Duplicate(_)));
    assert_eq!(dup.reply(), (200, r#"{"data":"OK"}"#));
    assert_eq!(receiver.handle("GET", "", now), PushOutcome::Probe);
}

#[test]
fn a_skewed_clock_is_refused_by_the_platform_as_a_signature_error() {
    let mock = MockPlatform::start(ID, SECRET, 20);
    let skewed = Client::builder(
        Credentials::new(ID, SECRET),
        Arc::new(HttpTransport::default()),
    )
    .base(ApiBase::parse(&mock.base))
    .clock(Arc::new(|| 1_000_000_000))
    .build();
    let e = skewed.fetch_app_token().unwrap_err();
    assert_eq!((e.code(), e.group()), (Some(11), ErrorGroup::Credentials));
    assert_eq!(e.message(), "签名验证失败");
    assert_eq!(mock.violations(), ["/v2/oauth/oauth: timestamp 1000000000"]);
    assert_eq!(
        mock.arrivals("/oauth/oauth"),
        1,
        "a refused token fetch is not retried"
    );
}

#[test]
fn https_base_never_falls_back_to_plain_text() {
    // A server that answers plain HTTP at once: a TLS client must fail the handshake.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = std::thread::spawn(move || {
        if let Ok((mut s, _)) = listener.accept() {
            use std::io::Write;
            let body = r#"{"error":0,"body":{"access_token":"plain"}}"#;
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            );
        }
    });
    let transport = HttpTransport::new(Timeouts {
        connect: Duration::from_secs(1),
        total: Duration::from_secs(2),
    });
    let c = Client::builder(Credentials::new(ID, SECRET), Arc::new(transport))
        .base(ApiBase::parse(&format!("https://{addr}/v2")))
        .attempts(1)
        .build();
    let e = c.fetch_app_token().unwrap_err();
    assert_eq!(e.group(), ErrorGroup::Transport, "{e}");
    server.join().unwrap();
}
