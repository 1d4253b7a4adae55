//! A local stand-in for the Yilianyun platform on 127.0.0.1, over real HTTP/1.1.
//!
//! It checks what the real platform checks (signature, timestamp window, UUID `id`, token), issues
//! and expires tokens, enforces a daily fetch quota (error 41), de-duplicates prints by
//! `origin_id` when `idempotence=1`, answers with the documented codes, and can be told to delay,
//! drop the answer after accepting a job, answer 5xx, or answer broken JSON. It signs with its own
//! call of the md-5 crate, not with slipmark's signer.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use md5::{Digest, Md5};

/// Something to do instead of (or besides) answering normally, for the next request to a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Carry the request out, then close the connection without answering.
    DropAfterAccept,
    /// Answer with this HTTP status and an HTML body, without carrying the request out.
    Status(u16),
    /// Carry the request out, then answer with truncated JSON.
    BrokenJson,
}

/// One request the platform received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The path, e.g. `/v2/print/index`.
    pub path: String,
    /// The raw form body.
    pub body: String,
    /// The decoded parameters.
    pub params: HashMap<String, String>,
    /// The JSON answered (empty if none).
    pub answer: String,
}

/// A job the printer printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Printed {
    /// The job id.
    pub id: u64,
    /// The origin id.
    pub origin_id: String,
    /// The content, exactly as received.
    pub content: String,
}

#[derive(Default)]
struct State {
    client_id: String,
    secret: String,
    quota: u32,
    fetches: u32,
    next: u64,
    tokens: HashMap<String, bool>,
    refresh_tokens: HashSet<String>,
    seen_ids: HashSet<String>,
    jobs: HashMap<String, u64>,
    printed: Vec<Printed>,
    received: Vec<Received>,
    faults: VecDeque<(String, Fault)>,
    violations: Vec<String>,
    arrivals: Vec<String>,
    token_delay: Duration,
}

/// The running mock. Stops accepting when dropped.
pub struct MockPlatform {
    /// The base URL, e.g. `http://127.0.0.1:34567/v2`.
    pub base: String,
    state: Arc<Mutex<State>>,
    stop: Arc<AtomicBool>,
    addr: std::net::SocketAddr,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// md5 in lower-case hex, computed here independently of slipmark's signer.
pub fn md5_hex(s: &str) -> String {
    Md5::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.iter().map(|g| g.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12]
        && groups
            .iter()
            .all(|g| g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn decode(body: &str) -> Option<HashMap<String, String>> {
    let mut out = HashMap::new();
    for seg in body.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = seg.split_once('=').unwrap_or((seg, ""));
        out.insert(unescape(k)?, unescape(v)?);
    }
    Some(out)
}

fn unescape(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 2;
            }
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

fn envelope(code: i64, description: &str, body: Option<String>) -> String {
    let body = body.map(|b| format!(",\"body\":{b}")).unwrap_or_default();
    format!(
        "{{\"error\":{code},\"error_description\":\"{description}\",\"timestamp\":{}{body}}}",
        now()
    )
}

impl MockPlatform {
    /// Starts a platform for these credentials with a daily token quota.
    pub fn start(client_id: &str, secret: &str, quota: u32) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let addr = listener.local_addr().expect("local addr");
        let state = Arc::new(Mutex::new(State {
            client_id: client_id.into(),
            secret: secret.into(),
            quota,
            next: 9_007_199_254_740_993, // beyond f64 precision: ids must stay exact
            ..State::default()
        }));
        let stop = Arc::new(AtomicBool::new(false));
        let (st, sp) = (Arc::clone(&state), Arc::clone(&stop));
        thread::spawn(move || {
            for conn in listener.incoming() {
                if sp.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = conn {
                    let st = Arc::clone(&st);
                    thread::spawn(move || serve(stream, &st));
                }
            }
        });
        MockPlatform {
            base: format!("http://{addr}/v2"),
            state,
            stop,
            addr,
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Queues a fault for the next request whose path ends with `path`.
    pub fn fault(&self, path: &str, fault: Fault) {
        self.lock().faults.push_back((path.into(), fault));
    }

    /// Makes token fetches slow (to widen races).
    pub fn token_delay(&self, d: Duration) {
        self.lock().token_delay = d;
    }

    /// Issues a token out of band (as if fetched earlier), without counting it.
    pub fn seed_token(&self, token: &str) {
        self.lock().tokens.insert(token.into(), true);
    }

    /// Expires every access token issued so far.
    pub fn expire_tokens(&self) {
        for valid in self.lock().tokens.values_mut() {
            *valid = false;
        }
    }

    /// Token fetches and refreshes counted against the quota.
    pub fn token_fetches(&self) -> u32 {
        self.lock().fetches
    }

    /// Jobs printed.
    pub fn printed(&self) -> Vec<Printed> {
        self.lock().printed.clone()
    }

    /// Requests received.
    pub fn received(&self) -> Vec<Received> {
        self.lock().received.clone()
    }

    /// How many requests arrived for paths ending with `path`, faulted ones included.
    pub fn arrivals(&self, path: &str) -> usize {
        self.lock()
            .arrivals
            .iter()
            .filter(|p| p.ends_with(path))
            .count()
    }

    /// Requests that broke the protocol (bad sign, stale timestamp, bad or reused id…).
    pub fn violations(&self) -> Vec<String> {
        self.lock().violations.clone()
    }
}

impl Drop for MockPlatform {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let _ = TcpStream::connect(self.addr);
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("")
        .to_owned();
    let body = String::from_utf8_lossy(&body).into_owned();
    let fault = {
        let mut s = state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        s.arrivals.push(path.clone());
        let at = s
            .faults
            .iter()
            .position(|(p, _)| path.ends_with(p.as_str()));
        at.and_then(|i| s.faults.remove(i)).map(|(_, f)| f)
    };
    if let Some(Fault::Delay(d)) = &fault {
        thread::sleep(*d);
    }
    if let Some(Fault::Status(code)) = fault {
        let html = "<html>bad gateway</html>";
        let _ = write!(
            writer,
            "HTTP/1.1 {code} Oops\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{html}",
            html.len()
        );
        return;
    }
    let answer = handle(state, &path, &body);
    match fault {
        Some(Fault::DropAfterAccept) => {
            let _ = writer.shutdown(std::net::Shutdown::Both);
        }
        Some(Fault::BrokenJson) => {
            let cut = &answer[..answer.len() / 2];
            respond(&mut writer, cut);
        }
        _ => respond(&mut writer, &answer),
    }
}

fn respond(w: &mut TcpStream, json: &str) {
    let _ = write!(
        w,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{json}",
        json.len()
    );
}

fn handle(state: &Mutex<State>, path: &str, body: &str) -> String {
    let delay = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .token_delay;
    if path.ends_with("/oauth/oauth") && !delay.is_zero() {
        thread::sleep(delay);
    }
    let mut s = state
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let params = decode(body);
    let answer = answer(&mut s, path, params.as_ref());
    s.received.push(Received {
        path: path.into(),
        body: body.into(),
        params: params.unwrap_or_default(),
        answer: answer.clone(),
    });
    answer
}

fn answer(s: &mut State, path: &str, params: Option<&HashMap<String, String>>) -> String {
    let Some(p) = params else {
        s.violations.push(format!("{path}: undecodable body"));
        return envelope(47, "参数错误", Some("\"body\"".into()));
    };
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    // Protocol checks, in the platform's order.
    if get("client_id") != s.client_id {
        s.violations.push(format!("{path}: client_id"));
        return envelope(2, "client_id不存在", None);
    }
    let ts: u64 = get("timestamp").parse().unwrap_or(0);
    if get("timestamp").len() != 10 || ts.abs_diff(now()) > 300 {
        s.violations
            .push(format!("{path}: timestamp {}", get("timestamp")));
        return envelope(11, "签名验证失败", None);
    }
    let expected = md5_hex(&format!("{}{}{}", s.client_id, get("timestamp"), s.secret));
    if get("sign") != expected {
        s.violations.push(format!("{path}: sign"));
        return envelope(11, "签名验证失败", None);
    }
    let id = get("id");
    if !is_uuid(&id) || !s.seen_ids.insert(id.clone()) {
        s.violations.push(format!("{path}: id {id:?}"));
        return envelope(33, "Uuid不合法", None);
    }
    if path.ends_with("/oauth/oauth") {
        return token(s, p);
    }
    match s.tokens.get(&get("access_token")) {
        None => return envelope(14, "access_token错误", None),
        Some(false) => return envelope(18, "access_token过期或错误", None),
        Some(true) => {}
    }
    let mc = get("machine_code");
    if mc.is_empty() {
        return envelope(12, "缺少必要参数", None);
    }
    if path.ends_with("/print/index") {
        let origin = get("origin_id");
        if origin.is_empty() || get("content").is_empty() {
            return envelope(12, "缺少必要参数", None);
        }
        if get("idempotence") == "1" {
            if let Some(id) = s.jobs.get(&origin) {
                return envelope(
                    0,
                    "success",
                    Some(format!("{{\"id\":{id},\"origin_id\":\"{origin}\"}}")),
                );
            }
        }
        s.next += 1;
        let id = s.next;
        s.jobs.insert(origin.clone(), id);
        s.printed.push(Printed {
            id,
            origin_id: origin.clone(),
            content: get("content"),
        });
        return envelope(
            0,
            "success",
            Some(format!("{{\"id\":{id},\"origin_id\":\"{origin}\"}}")),
        );
    }
    if path.ends_with("/printer/getprintstatus") {
        return envelope(
            0,
            "success",
            Some(format!("{{\"state\":\"1\",\"machine_code\":\"{mc}\"}}")),
        );
    }
    if path.ends_with("/printer/cancelall") {
        return envelope(24, "没有可取消的订单", None);
    }
    envelope(0, "success", None)
}

fn token(s: &mut State, p: &HashMap<String, String>) -> String {
    let get = |k: &str| p.get(k).cloned().unwrap_or_default();
    if get("scope") != "all" {
        return envelope(27, "scope必须设置", None);
    }
    match get("grant_type").as_str() {
        "client_credentials" => {}
        "refresh_token" => {
            if !s.refresh_tokens.contains(&get("refresh_token")) {
                return envelope(20, "refresh_token已过期", None);
            }
        }
        _ => return envelope(1, "response_type非法", None),
    }
    if s.fetches >= s.quota {
        return envelope(41, "获取或更新access_token的次数,已超过最大限制次数", None);
    }
    s.fetches += 1;
    let n = s.fetches;
    s.tokens.insert(format!("tok{n}"), true);
    s.refresh_tokens.insert(format!("ref{n}"));
    envelope(
        0,
        "success",
        Some(format!(
            "{{\"access_token\":\"tok{n}\",\"refresh_token\":\"ref{n}\",\"machine_code\":\"\",\"expires_in\":2592000,\"refresh_expires_in\":3024000,\"scope\":\"all\"}}"
        )),
    )
}
