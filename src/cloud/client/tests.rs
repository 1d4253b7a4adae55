use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

use super::*;
use crate::cloud::form;
use crate::cloud::transport::{HttpResponse, MemoryTransport};

fn ok(json: &str) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse {
        status: 200,
        body: json.as_bytes().to_vec(),
    })
}

fn param(req: &crate::cloud::HttpRequest, key: &str) -> String {
    form::decode(&req.body)
        .unwrap()
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

fn client(transport: Arc<MemoryTransport>) -> Client {
    Client::builder(Credentials::new("cid", "secret"), transport)
        .retry_delay(Duration::from_millis(1))
        .clock(Arc::new(|| 1_700_000_000))
        .build()
}

#[test]
fn first_call_fetches_a_token_then_reuses_it() {
    let t = Arc::new(MemoryTransport::new(|req| {
        if req.url.ends_with("/oauth/oauth") {
            ok(
                r#"{"error":0,"body":{"access_token":"T1","refresh_token":"R1","expires_in":2592000}}"#,
            )
        } else {
            assert_eq!(param(req, "access_token"), "T1");
            ok(r#"{"error":0,"body":{"state":"2"}}"#)
        }
    }));
    let c = client(t.clone());
    assert_eq!(c.print_status("m").unwrap(), PrinterState::OutOfPaper);
    assert_eq!(c.print_status("m").unwrap(), PrinterState::OutOfPaper);
    let paths: Vec<String> = t.sent().iter().map(|r| r.url.clone()).collect();
    assert_eq!(
        paths.iter().filter(|u| u.ends_with("/oauth/oauth")).count(),
        1,
        "{paths:?}"
    );
    assert_eq!(paths.len(), 3);
}

#[test]
fn rejected_token_is_refreshed_once_and_call_retried_once() {
    let calls = AtomicU32::new(0);
    let t = Arc::new(MemoryTransport::new(move |req| {
        if req.url.ends_with("/oauth/oauth") {
            assert_eq!(param(req, "grant_type"), "client_credentials");
            return ok(r#"{"error":0,"body":{"access_token":"NEW","refresh_token":"R2"}}"#);
        }
        calls.fetch_add(1, Ordering::SeqCst);
        if param(req, "access_token") == "OLD" {
            ok(r#"{"error":18,"error_description":"access_token过期或错误"}"#)
        } else {
            ok(r#"{"error":0,"body":{"state":1}}"#)
        }
    }));
    let c = client(t.clone());
    let key = TokenKey::App("cid".into());
    let mut old = Token::external(Secret::new("OLD"), 0);
    old.refresh_token = Some(Secret::new("R1"));
    c.tokens().put(&key, old).unwrap();
    assert_eq!(c.print_status("m").unwrap(), PrinterState::Online);
    assert_eq!(t.sent().len(), 3);
    assert_eq!(
        c.tokens().record(&key).unwrap().fetches_in_window(c.now()),
        1
    );
}

#[test]
fn a_second_rejection_is_an_error_not_a_loop() {
    let t = Arc::new(MemoryTransport::new(|req| {
        if req.url.ends_with("/oauth/oauth") {
            ok(r#"{"error":0,"body":{"access_token":"X"}}"#)
        } else {
            ok(r#"{"error":18,"error_description":"access_token过期或错误"}"#)
        }
    }));
    let c = client(t.clone());
    let e = c.print_status("m").unwrap_err();
    assert_eq!(e.code(), Some(18));
    assert_eq!(e.group(), crate::cloud::ErrorGroup::Credentials);
    assert_eq!(t.sent().len(), 4, "fetch, call, refresh, call");
}

#[test]
fn lost_answers_retry_prints_with_same_origin_id_but_not_reprints() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&seen);
    let t = Arc::new(MemoryTransport::new(move |req| {
        if req.url.ends_with("/oauth/oauth") {
            return ok(r#"{"error":0,"body":{"access_token":"T"}}"#);
        }
        let mut log = log.lock().unwrap();
        log.push((
            param(req, "origin_id"),
            param(req, "id"),
            param(req, "idempotence"),
        ));
        if log.len() < 3 {
            Err(ApiError::new(ApiErrorKind::Io, "reset"))
        } else {
            ok(r#"{"error":0,"body":{"id":"77","origin_id":"ord1"}}"#)
        }
    }));
    let c = client(t.clone());
    let job = c
        .print_text("m", "hi", &crate::cloud::OriginId::new("ord1").unwrap())
        .unwrap();
    assert_eq!(job.id, "77");
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 3);
    assert!(seen.iter().all(|(o, _, i)| o == "ord1" && i == "1"));
    assert_ne!(seen[0].1, seen[1].1, "each attempt has a fresh request id");

    // A reprint is not idempotent: one attempt only.
    let t = Arc::new(MemoryTransport::new(|req| {
        if req.url.ends_with("/oauth/oauth") {
            ok(r#"{"error":0,"body":{"access_token":"T"}}"#)
        } else {
            Err(ApiError::new(ApiErrorKind::Timeout, "slow"))
        }
    }));
    let c = client(t.clone());
    let e = c
        .call(Some("m"), &ApiRequest::reprint("m", "1"))
        .unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::Timeout);
    assert_eq!(t.sent().len(), 2, "token fetch + one reprint");
}

#[test]
fn answer_for_another_origin_id_is_refused() {
    let t = Arc::new(MemoryTransport::new(|req| {
        if req.url.ends_with("/oauth/oauth") {
            ok(r#"{"error":0,"body":{"access_token":"T"}}"#)
        } else {
            ok(r#"{"error":0,"body":{"id":"77","origin_id":"other"}}"#)
        }
    }));
    let e = client(t)
        .print_text("m", "hi", &crate::cloud::OriginId::new("ord1").unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::MalformedResponse);
}

#[test]
fn open_app_without_refresh_token_asks_for_authorisation() {
    let t = Arc::new(MemoryTransport::always(r#"{"error":0}"#));
    let c = Client::builder(Credentials::new("cid", "secret"), t.clone())
        .mode(AuthMode::OpenApp)
        .build();
    let e = c.print_status("m").unwrap_err();
    assert_eq!(e.kind(), &ApiErrorKind::NoToken);
    assert!(t.sent().is_empty());
}

#[test]
fn exchange_code_stores_under_the_returned_machine_code() {
    let t = Arc::new(MemoryTransport::always(
        r#"{"error":"0","body":{"access_token":"A","refresh_token":"R","machine_code":"4004","expires_in":"2592000"}}"#,
    ));
    let c = Client::builder(Credentials::new("cid", "secret"), t)
        .mode(AuthMode::OpenApp)
        .clock(Arc::new(|| 1_000))
        .build();
    let (mc, token) = c.exchange_code(&Secret::new("code")).unwrap();
    assert_eq!(mc, "4004");
    assert_eq!(token.expires_at, Some(1_000 + 2_592_000));
    let record = c
        .tokens()
        .record(&TokenKey::Machine("4004".into()))
        .unwrap();
    assert_eq!(record.token, Some(token));
    assert_eq!(record.fetches, [1_000]);
}

#[test]
fn open_app_refreshes_with_the_refresh_token() {
    let t = Arc::new(MemoryTransport::new(|req| {
        if req.url.ends_with("/oauth/oauth") {
            assert_eq!(param(req, "grant_type"), "refresh_token");
            assert_eq!(param(req, "refresh_token"), "R1");
            ok(
                r#"{"error":0,"body":{"access_token":"NEW","refresh_token":"R2","expires_in":2592000}}"#,
            )
        } else if param(req, "access_token") == "OLD" {
            ok(r#"{"error":18,"error_description":"access_token过期或错误"}"#)
        } else {
            ok(r#"{"error":0,"body":{"state":0}}"#)
        }
    }));
    let c = Client::builder(Credentials::new("cid", "secret"), t.clone())
        .mode(AuthMode::OpenApp)
        .retry_delay(Duration::from_millis(1))
        .build();
    let mut old = Token::external(Secret::new("OLD"), 0);
    old.refresh_token = Some(Secret::new("R1"));
    c.tokens().put(&TokenKey::Machine("m".into()), old).unwrap();
    assert_eq!(c.print_status("m").unwrap(), PrinterState::Offline);
    let stored = c
        .tokens()
        .record(&TokenKey::Machine("m".into()))
        .unwrap()
        .token
        .unwrap();
    assert_eq!(
        stored.refresh_token.as_ref().map(Secret::expose),
        Some("R2")
    );
    assert!(stored.expires_at.is_some());
}
