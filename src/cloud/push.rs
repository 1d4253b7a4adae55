//! Pushes from the platform: parse, verify, de-duplicate, reply.
//!
//! The platform POSTs a form (`cmd`, `push_time`, `sign`, and per-`cmd` fields) and expects HTTP
//! 200 with `{"data":"OK"}` within 3 s, otherwise it pushes again (3 attempts in all); a GET (v2:
//! or a POST without push data) is a liveness probe answered the same way.
//!
//! Decisions on open questions:
//! - Q2 (`oauth_finish` and `oauth_printMenu` fields unknown): those pushes are typed by `cmd`
//!   only; every field, known or not, is kept in [`Push::fields`].
//! - Q3 (sign case): compared case-insensitively, in constant time.
//! - Q4 (no documented replay window): a push whose `push_time` is more than
//!   [`PushReceiver::max_skew`] seconds from our clock (default one hour) is rejected; the
//!   platform's re-pushes come within minutes.
//! - Duplicates: a re-push is recognised by all its fields except `sign`; for pushes about an
//!   order (`order_id` present) `push_time` is left out as well, in case a re-push is stamped
//!   anew. The last [`PushReceiver::memory`] keys are remembered (default 4096).
//! - A rejected push gets HTTP 403 and no `OK`, a duplicate gets `OK` (so the platform stops).
//!
//! ## What the signature does not protect
//!
//! The platform signs a push with `md5(client_id + push_time + client_secret)`: **the time only,
//! not the fields**. Anyone who has seen one push (its `push_time` and `sign`) can send any
//! fields under that pair, and they verify, for as long as `push_time` is within
//! [`PushReceiver::max_skew`] of our clock (±1 h by default). This is a limit of the protocol;
//! slipmark cannot close it, only narrow it:
//!
//! - serve the push URL over **HTTPS only**, so pushes cannot be read on the way;
//! - treat a push as a **hint, never as proof**: before acting on money or on an order's state,
//!   confirm it with the platform ([`Client::order_status`](super::Client::order_status),
//!   [`Client::print_status`](super::Client::print_status)), which needs your token;
//! - keep `max_skew` short (the platform's re-pushes come within minutes);
//! - give the receiver a [`ReplayStore`] that outlives the process
//!   ([`PushReceiver::with_store`]), so a replay is recognised after a restart too.
//!
//! Memory: a receiver keeps a 16-byte digest per push (of every field but `sign`, each escaped,
//! so `a=1%26b%3D0` and `a=1&b=0` differ), at most [`PushReceiver::memory`] of them, and
//! forgets those older than twice `max_skew` (a push that old is refused as stale anyway). A
//! body over [`PushReceiver::max_body`] bytes (64 KiB) is refused before it is parsed.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::sync::{Mutex, PoisonError};

use super::form;
use super::request::Credentials;
use super::sign;

/// The body the platform expects.
pub const OK_BODY: &str = r#"{"data":"OK"}"#;

/// What a push is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushKind {
    /// `oauth_finish`: a job finished printing.
    Finish,
    /// `oauth_getOrder`: the accept/reject buttons (`state`: v1 0 reject / 1 accept; v2 0 left /
    /// 1 right button, open question 10).
    GetOrder,
    /// `oauth_printStatus`: the printer went online, offline or out of paper (`online`).
    PrintStatus,
    /// `oauth_request`: a key press on K2S/K3S (`state` = `request1`/`request2`).
    Request,
    /// `oauth_printMenu`: an app-menu item chosen.
    PrintMenu,
    /// Another `cmd`.
    Other(String),
}

impl PushKind {
    fn from_cmd(cmd: &str) -> Self {
        match cmd {
            "oauth_finish" => PushKind::Finish,
            "oauth_getOrder" => PushKind::GetOrder,
            "oauth_printStatus" => PushKind::PrintStatus,
            "oauth_request" => PushKind::Request,
            "oauth_printMenu" => PushKind::PrintMenu,
            other => PushKind::Other(other.to_owned()),
        }
    }
}

/// A parsed push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Push {
    /// What it is about.
    pub kind: PushKind,
    /// Every field as sent (including `cmd`, `push_time` and `sign`), unknown ones too.
    pub fields: BTreeMap<String, String>,
}

impl Push {
    /// A field's value.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name).map(String::as_str)
    }

    /// The printer, if given.
    pub fn machine_code(&self) -> Option<&str> {
        self.get("machine_code")
    }

    /// The platform's job id, if given.
    pub fn order_id(&self) -> Option<&str> {
        self.get("order_id")
    }

    /// The digest that recognises a re-push: MD5 over every field but `sign` (and `push_time`
    /// for order events), each name and value form-escaped, so no two field sets share a text.
    pub fn dedupe_key(&self) -> PushKey {
        use md5::{Digest, Md5};
        let skip_time = self.fields.contains_key("order_id");
        let mut hasher = Md5::new();
        let mut text = String::new();
        for (k, v) in &self.fields {
            if k.as_str() == "sign" || (skip_time && k.as_str() == "push_time") {
                continue;
            }
            text.clear();
            form::encode_component(k, &mut text);
            text.push('=');
            form::encode_component(v, &mut text);
            text.push('&');
            hasher.update(text.as_bytes());
        }
        PushKey(hasher.finalize().into())
    }
}

/// Why a push was rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PushRejection {
    /// The body is not a form.
    Malformed,
    /// `cmd`, `push_time` or `sign` is missing.
    MissingField(&'static str),
    /// The signature does not match.
    BadSignature,
    /// `push_time` is not a number or too far from our clock.
    Stale,
    /// The body is larger than [`PushReceiver::max_body`].
    TooLarge,
    /// The [`ReplayStore`] failed: the push cannot be judged new, so it is refused (the
    /// platform pushes again).
    Store(String),
}

/// The digest a push is recognised by (see [`Push::dedupe_key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PushKey(pub [u8; 16]);

/// Remembers the pushes already accepted, so a replay is a [`PushOutcome::Duplicate`]. Give one
/// that outlives the process (a database table, a shared cache) to
/// [`PushReceiver::with_store`] to recognise replays after a restart.
pub trait ReplayStore: Send + Sync {
    /// Records `key`, seen at `now` (Unix seconds), and says whether it is new (`Ok(true)`) or
    /// was recorded before (`Ok(false)`). Entries older than `forget_before` may be dropped: a
    /// push that old is refused as stale before the store is asked.
    fn insert(&self, key: PushKey, now: u64, forget_before: u64) -> Result<bool, String>;
}

/// The keys remembered, and when each was recorded (oldest first).
type Seen = (HashSet<PushKey>, VecDeque<(u64, PushKey)>);

/// The default [`ReplayStore`]: in memory, at most `capacity` keys (oldest forgotten first),
/// about 48 bytes each.
#[derive(Debug)]
pub struct MemoryReplayStore {
    capacity: usize,
    seen: Mutex<Seen>,
}

impl MemoryReplayStore {
    /// A store of at most `capacity` keys.
    pub fn new(capacity: usize) -> Self {
        MemoryReplayStore {
            capacity,
            seen: Mutex::default(),
        }
    }
}

impl ReplayStore for MemoryReplayStore {
    fn insert(&self, key: PushKey, now: u64, forget_before: u64) -> Result<bool, String> {
        let mut seen = self.seen.lock().unwrap_or_else(PoisonError::into_inner);
        let (set, order) = &mut *seen;
        while order.front().is_some_and(|(t, _)| *t < forget_before) {
            if let Some((_, old)) = order.pop_front() {
                set.remove(&old);
            }
        }
        if !set.insert(key) {
            return Ok(false);
        }
        order.push_back((now, key));
        while order.len() > self.capacity {
            if let Some((_, old)) = order.pop_front() {
                set.remove(&old);
            }
        }
        Ok(true)
    }
}

/// The receiver's verdict on one HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// A liveness probe (GET, or POST without push data).
    Probe,
    /// A new, verified push: act on it.
    Accepted(Push),
    /// A verified push seen before: do not act again.
    Duplicate(Push),
    /// Not from the platform, or unreadable.
    Rejected(PushRejection),
}

impl PushOutcome {
    /// The HTTP status and body to answer with.
    pub fn reply(&self) -> (u16, &'static str) {
        match self {
            PushOutcome::Rejected(_) => (403, r#"{"data":"REJECTED"}"#),
            _ => (200, OK_BODY),
        }
    }
}

/// Parses a push body; fields are kept as sent.
pub fn parse(body: &str) -> Result<Push, PushRejection> {
    let pairs = form::decode(body).map_err(|_| PushRejection::Malformed)?;
    let fields: BTreeMap<String, String> = pairs.into_iter().collect();
    for required in ["cmd", "push_time", "sign"] {
        if fields.get(required).is_none_or(|v| v.is_empty()) {
            return Err(PushRejection::MissingField(required));
        }
    }
    let kind = PushKind::from_cmd(fields.get("cmd").map(String::as_str).unwrap_or_default());
    Ok(Push { kind, fields })
}

/// Verifies pushes for one app and remembers the ones it accepted.
#[derive(Debug)]
pub struct PushReceiver {
    credentials: Credentials,
    /// Largest accepted distance between `push_time` and our clock, in seconds (`None`: no check).
    pub max_skew: Option<u64>,
    /// How many pushes the default in-memory store remembers (16-byte digests, not bodies).
    pub memory: usize,
    /// The largest body judged, in bytes (64 KiB); a larger one is refused unread.
    pub max_body: usize,
    memory_store: MemoryReplayStore,
    store: Option<std::sync::Arc<dyn ReplayStore>>,
}

impl std::fmt::Debug for dyn ReplayStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ReplayStore")
    }
}

impl PushReceiver {
    /// A receiver for the app's credentials.
    pub fn new(credentials: Credentials) -> Self {
        PushReceiver {
            credentials,
            max_skew: Some(3600),
            memory: 65_536,
            max_body: 64 * 1024,
            memory_store: MemoryReplayStore::new(usize::MAX),
            store: None,
        }
    }

    /// The same receiver remembering accepted pushes in `store` (instead of its memory), e.g. one
    /// that survives a restart.
    pub fn with_store(mut self, store: std::sync::Arc<dyn ReplayStore>) -> Self {
        self.store = Some(store);
        self
    }

    /// Judges one HTTP request to the push URL at time `now` (Unix seconds).
    pub fn handle(&self, method: &str, body: &str, now: u64) -> PushOutcome {
        if method.eq_ignore_ascii_case("GET") || body.trim().is_empty() {
            return PushOutcome::Probe;
        }
        if body.len() > self.max_body {
            return PushOutcome::Rejected(PushRejection::TooLarge);
        }
        let push = match parse(body) {
            Ok(p) => p,
            Err(r) => return PushOutcome::Rejected(r),
        };
        let time = push.get("push_time").unwrap_or_default();
        let given = push.get("sign").unwrap_or_default();
        if !sign::verify(
            &self.credentials.client_id,
            time,
            &self.credentials.client_secret,
            given,
        ) {
            return PushOutcome::Rejected(PushRejection::BadSignature);
        }
        if let Some(skew) = self.max_skew {
            match time.parse::<u64>() {
                Ok(t) if t.abs_diff(now) <= skew => {}
                _ => return PushOutcome::Rejected(PushRejection::Stale),
            }
        }
        let key = push.dedupe_key();
        // Older than twice the window: refused as stale before this point, so forgettable.
        let forget_before = match self.max_skew {
            Some(skew) => now.saturating_sub(skew.saturating_mul(2)),
            None => 0,
        };
        let fresh = match &self.store {
            Some(store) => store.insert(key, now, forget_before),
            None => self.memory_insert(key, now, forget_before),
        };
        match fresh {
            Ok(true) => {}
            Ok(false) => return PushOutcome::Duplicate(push),
            Err(why) => return PushOutcome::Rejected(PushRejection::Store(why)),
        }
        PushOutcome::Accepted(push)
    }

    fn memory_insert(&self, key: PushKey, now: u64, forget_before: u64) -> Result<bool, String> {
        let fresh = self.memory_store.insert(key, now, forget_before)?;
        // `memory` is a public field, so the bound is applied here, where it is read.
        let mut seen = self
            .memory_store
            .seen
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let (set, order) = &mut *seen;
        while order.len() > self.memory {
            if let Some((_, old)) = order.pop_front() {
                set.remove(&old);
            }
        }
        Ok(fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receiver() -> PushReceiver {
        PushReceiver::new(Credentials::new("1039521561", "abcdef0123456789"))
    }

    fn body(fields: &[(&str, &str)], time: &str) -> String {
        // sign = md5("1039521561" + time + "abcdef0123456789"); pinned independently below.
        let s = sign::sign(
            "1039521561",
            time,
            &super::super::Secret::new("abcdef0123456789"),
        );
        let mut pairs: Vec<(&str, &str)> = fields.to_vec();
        pairs.push(("push_time", time));
        pairs.push(("sign", &s));
        form::encode(&pairs)
    }

    #[test]
    fn documented_example_signature() {
        // python3 -c 'import hashlib;print(hashlib.md5(b"10395215611498529466abcdef0123456789").hexdigest())'
        let b = "cmd=oauth_printStatus&machine_code=4004519454&online=1&push_time=1498529466\
                 &sign=EEC663DDFCCAAEC0008D36484ACE2F9A&extra=kept";
        match receiver().handle("POST", b, 1_498_529_500) {
            PushOutcome::Accepted(p) => {
                assert_eq!(p.kind, PushKind::PrintStatus);
                assert_eq!(p.machine_code(), Some("4004519454"));
                assert_eq!(p.get("extra"), Some("kept"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn wrong_signature_rejected_valid_accepted_once() {
        let r = receiver();
        let good = body(
            &[
                ("cmd", "oauth_getOrder"),
                ("machine_code", "m"),
                ("order_id", "9"),
                ("state", "1"),
            ],
            "1700000000",
        );
        let forged = good.replace("state=1", "state=0");
        let tampered_sign = format!("{}0", &good[..good.len() - 1]);
        assert_eq!(
            r.handle("POST", &tampered_sign, 1_700_000_000),
            PushOutcome::Rejected(PushRejection::BadSignature)
        );
        assert!(matches!(
            r.handle("POST", &good, 1_700_000_000),
            PushOutcome::Accepted(_)
        ));
        assert!(matches!(
            r.handle("POST", &good, 1_700_000_001),
            PushOutcome::Duplicate(_)
        ));
        // The platform's sign covers only client_id and push_time, not the fields: a changed field
        // under the same push_time still verifies (a limit of the protocol) and is another event.
        assert!(matches!(
            r.handle("POST", &forged, 1_700_000_000),
            PushOutcome::Accepted(_)
        ));
        // A re-push of an order event stamped anew is still a duplicate.
        let restamped = body(
            &[
                ("cmd", "oauth_getOrder"),
                ("machine_code", "m"),
                ("order_id", "9"),
                ("state", "1"),
            ],
            "1700000030",
        );
        assert!(matches!(
            r.handle("POST", &restamped, 1_700_000_030),
            PushOutcome::Duplicate(_)
        ));
    }

    #[test]
    fn probes_missing_fields_and_stale_pushes() {
        let r = receiver();
        assert_eq!(r.handle("GET", "", 0), PushOutcome::Probe);
        assert_eq!(r.handle("POST", "", 0).reply(), (200, OK_BODY));
        assert_eq!(
            r.handle("POST", "cmd=x&sign=y", 0),
            PushOutcome::Rejected(PushRejection::MissingField("push_time"))
        );
        assert_eq!(
            r.handle("POST", "a=%ZZ", 0),
            PushOutcome::Rejected(PushRejection::Malformed)
        );
        let old = body(&[("cmd", "oauth_finish")], "1700000000");
        let outcome = r.handle("POST", &old, 1_700_000_000 + 3601);
        assert_eq!(outcome, PushOutcome::Rejected(PushRejection::Stale));
        assert_eq!(outcome.reply().0, 403);
    }

    #[test]
    fn memory_is_bounded() {
        let mut r = receiver();
        r.memory = 2;
        let push = |n: &str| body(&[("cmd", "oauth_printStatus"), ("online", n)], "1700000000");
        for n in ["0", "1", "2"] {
            assert!(matches!(
                r.handle("POST", &push(n), 1_700_000_000),
                PushOutcome::Accepted(_)
            ));
        }
        assert!(
            matches!(
                r.handle("POST", &push("0"), 1_700_000_000),
                PushOutcome::Accepted(_)
            ),
            "forgotten"
        );
        assert!(matches!(
            r.handle("POST", &push("2"), 1_700_000_000),
            PushOutcome::Duplicate(_)
        ));
    }

    #[test]
    fn escaped_fields_do_not_collide() {
        let r = receiver();
        let a = body(
            &[("cmd", "oauth_printStatus"), ("machine_code", "1&online=0")],
            "1700000000",
        );
        let b = body(
            &[
                ("cmd", "oauth_printStatus"),
                ("machine_code", "1"),
                ("online", "0"),
            ],
            "1700000000",
        );
        assert!(matches!(
            r.handle("POST", &a, 1_700_000_000),
            PushOutcome::Accepted(_)
        ));
        assert!(matches!(
            r.handle("POST", &b, 1_700_000_000),
            PushOutcome::Accepted(_)
        ));
        assert_ne!(
            parse(&a).unwrap().dedupe_key(),
            parse(&b).unwrap().dedupe_key()
        );
    }

    #[test]
    fn big_bodies_are_refused_unread() {
        let r = receiver();
        let mut big = body(&[("cmd", "oauth_finish")], "1700000000");
        big.push_str("&pad=");
        big.push_str(&"x".repeat(64 * 1024));
        assert_eq!(
            r.handle("POST", &big, 1_700_000_000),
            PushOutcome::Rejected(PushRejection::TooLarge)
        );
    }

    #[test]
    fn a_replay_store_outlives_the_receiver() {
        let store: std::sync::Arc<dyn ReplayStore> =
            std::sync::Arc::new(MemoryReplayStore::new(1000));
        let push = body(&[("cmd", "oauth_finish"), ("order_id", "7")], "1700000000");
        let first = receiver().with_store(store.clone());
        assert!(matches!(
            first.handle("POST", &push, 1_700_000_000),
            PushOutcome::Accepted(_)
        ));
        drop(first);
        // A "restarted" receiver over the same store knows the push.
        let second = receiver().with_store(store);
        assert!(matches!(
            second.handle("POST", &push, 1_700_000_100),
            PushOutcome::Duplicate(_)
        ));
    }

    #[test]
    fn many_pushes_keep_digests_and_old_ones_are_forgotten_by_time() {
        let r = receiver();
        for n in 0..5000 {
            let p = body(
                &[("cmd", "oauth_printStatus"), ("online", &n.to_string())],
                "1700000000",
            );
            assert!(matches!(
                r.handle("POST", &p, 1_700_000_000),
                PushOutcome::Accepted(_)
            ));
        }
        // 4,096 other pushes no longer make the first one new again (the old memory did).
        let p0 = body(
            &[("cmd", "oauth_printStatus"), ("online", "0")],
            "1700000000",
        );
        assert!(matches!(
            r.handle("POST", &p0, 1_700_000_000),
            PushOutcome::Duplicate(_)
        ));
        let store = MemoryReplayStore::new(10);
        assert_eq!(store.insert(PushKey([1; 16]), 100, 0), Ok(true));
        assert_eq!(store.insert(PushKey([1; 16]), 101, 0), Ok(false));
        // Forgotten once older than the window.
        assert_eq!(store.insert(PushKey([2; 16]), 10_000, 5_000), Ok(true));
        assert_eq!(store.insert(PushKey([1; 16]), 10_001, 5_000), Ok(true));
    }
}
