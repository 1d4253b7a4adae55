//! Typed errors of the cloud client, grouped the way a caller reacts to them.
//!
//! The platform answers errors as HTTP 200 with a non-zero `error` code and a Chinese
//! `error_description`; the code is mapped to a [`ErrorGroup`] with the v1 table (fact sheet §5) and
//! the vendor's message is kept verbatim. Open question 1 (v2 replaced the codes, its table is not
//! available): we map by code where the v1 table knows it and fall back to the message text for
//! the one case that drives behaviour, an expired or wrong access token.
//!
//! No error ever holds a secret: the messages are built from codes, paths and vendor text only.

use std::fmt;

/// How a caller reacts to an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorGroup {
    /// Credentials or tokens are wrong, expired, or the token quota is spent: fix or re-authorise.
    Credentials,
    /// The request itself is wrong (missing or malformed parameter): fix the caller.
    BadRequest,
    /// The printer refused or is unsupported for this operation.
    Printer,
    /// The app may not do this (not authorised, mode not supported).
    Permission,
    /// The platform failed or answered something unreadable; the outcome may be unknown.
    Server,
    /// The request did not complete on the network (connect, timeout, reset).
    Transport,
}

/// What went wrong, precisely.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// The platform answered with this non-zero `error` code.
    Vendor {
        /// The `error` code.
        code: i64,
    },
    /// The platform answered with a non-2xx HTTP status.
    HttpStatus(u16),
    /// The answer was not the JSON envelope we expect.
    MalformedResponse,
    /// Connecting failed (DNS, refused, TLS handshake).
    Connect,
    /// The request or the answer timed out.
    Timeout,
    /// The connection broke after the request may have been sent.
    Io,
    /// We refused locally to fetch or refresh a token: the daily budget is spent.
    TokenQuota {
        /// Fetches counted in the last 24 hours.
        used: u32,
        /// The budget.
        limit: u32,
    },
    /// No usable token and no way to get one (open-app mode without a refresh token).
    NoToken,
    /// We refused to send an invalid request (bad `origin_id`, out-of-range value).
    InvalidInput,
    /// The token store could not be read or written.
    TokenStore,
}

/// An error from the cloud client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    kind: ApiErrorKind,
    message: String,
    endpoint: Option<&'static str>,
}

impl ApiError {
    /// A new error; `message` is the vendor's text for [`ApiErrorKind::Vendor`]. Anything in it
    /// that looks like a credential is replaced by `‹redacted›` first ([`redact`]), so no token a
    /// vendor answer echoes reaches `Display`, `{:#}`, `Debug` or a log.
    pub fn new(kind: ApiErrorKind, message: impl Into<String>) -> Self {
        ApiError {
            kind,
            message: redact(&message.into()),
            endpoint: None,
        }
    }

    /// Records the endpoint path the error came from.
    pub fn on(mut self, endpoint: &'static str) -> Self {
        self.endpoint = Some(endpoint);
        self
    }

    /// What went wrong.
    pub fn kind(&self) -> &ApiErrorKind {
        &self.kind
    }

    /// The message: the vendor's `error_description` verbatim for vendor errors.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The endpoint path, if known.
    pub fn endpoint(&self) -> Option<&'static str> {
        self.endpoint
    }

    /// The vendor code, for vendor errors.
    pub fn code(&self) -> Option<i64> {
        match self.kind {
            ApiErrorKind::Vendor { code } => Some(code),
            _ => None,
        }
    }

    /// The group a caller reacts to.
    pub fn group(&self) -> ErrorGroup {
        match &self.kind {
            ApiErrorKind::Vendor { code } => group_of_code(*code, &self.message),
            ApiErrorKind::HttpStatus(s) if (400..500).contains(s) => ErrorGroup::BadRequest,
            ApiErrorKind::HttpStatus(_) | ApiErrorKind::MalformedResponse => ErrorGroup::Server,
            ApiErrorKind::Connect | ApiErrorKind::Timeout | ApiErrorKind::Io => {
                ErrorGroup::Transport
            }
            ApiErrorKind::TokenQuota { .. } | ApiErrorKind::NoToken => ErrorGroup::Credentials,
            ApiErrorKind::InvalidInput => ErrorGroup::BadRequest,
            ApiErrorKind::TokenStore => ErrorGroup::Server,
        }
    }

    /// Whether the access token was refused as expired or wrong (v1 codes 18 and 14, or, for a
    /// code outside the v1 table, a message naming the access token): refresh once and retry once.
    pub fn is_token_rejected(&self) -> bool {
        match self.kind {
            ApiErrorKind::Vendor { code: 14 | 18 } => true,
            ApiErrorKind::Vendor { code } if !(0..=49).contains(&code) => {
                let m = self.message.to_ascii_lowercase();
                m.contains("access_token") && !m.contains("次数")
            }
            _ => false,
        }
    }

    /// Whether the request may have been carried out although we got no valid answer (timeout,
    /// broken connection, 5xx, unreadable answer). Only idempotent calls may be retried then.
    pub fn outcome_unknown(&self) -> bool {
        match self.kind {
            ApiErrorKind::Timeout | ApiErrorKind::Io | ApiErrorKind::MalformedResponse => true,
            ApiErrorKind::HttpStatus(s) => s >= 500,
            _ => false,
        }
    }
}

/// What replaces a credential in a message.
pub const REDACTED: &str = "‹redacted›";

/// `text` with every word that may be a credential replaced by [`REDACTED`]: a run of 16 or more
/// letters, digits, `-` and `_` that holds both a letter and a digit (access and refresh tokens,
/// secrets and signatures are 32 hexadecimal digits), and any word of 6 or more such characters
/// right after `token`, `secret`, `sign` or `password` (`access_token=abc123…`). Machine codes,
/// print ids and order ids (digits only) are kept.
pub fn redact(text: &str) -> String {
    let word = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut after_keyword = false;
    while !rest.is_empty() {
        let start = rest.find(word).unwrap_or(rest.len());
        let (gap, tail) = rest.split_at(start);
        out.push_str(gap);
        if gap.chars().count() > 4 {
            after_keyword = false;
        }
        let end = tail.find(|c: char| !word(c)).unwrap_or(tail.len());
        let (w, next) = tail.split_at(end);
        let lower = w.to_ascii_lowercase();
        let mixed =
            w.bytes().any(|b| b.is_ascii_alphabetic()) && w.bytes().any(|b| b.is_ascii_digit());
        let keyword = ["token", "secret", "sign", "password"]
            .iter()
            .any(|k| lower.ends_with(k));
        if (w.len() >= 16 && mixed) || (after_keyword && w.len() >= 6 && !keyword) {
            out.push_str(REDACTED);
        } else {
            out.push_str(w);
        }
        after_keyword = keyword || (after_keyword && w.is_empty());
        rest = next;
    }
    out
}

/// The v1 return-code table, grouped (fact sheet §5); unknown codes fall back to the message.
fn group_of_code(code: i64, message: &str) -> ErrorGroup {
    match code {
        2 | 5 | 6 | 11 | 14 | 18 | 20 | 33 | 41 => ErrorGroup::Credentials,
        1 | 3 | 4 | 12 | 13 | 27 | 29 | 38 | 39 | 40 | 46 | 47 => ErrorGroup::BadRequest,
        8 | 9 | 16 | 17 | 21..=26 | 28 | 30 | 32 | 35..=37 | 42 | 43 | 48 => ErrorGroup::Printer,
        10 | 15 | 19 | 31 | 34 => ErrorGroup::Permission,
        45 | 49 => ErrorGroup::Server,
        _ if message.contains("access_token") || message.contains("签名") => {
            ErrorGroup::Credentials
        }
        _ if message.contains("参数") => ErrorGroup::BadRequest,
        _ if message.contains("打印机") || message.contains("终端") => ErrorGroup::Printer,
        _ if message.contains("权限") => ErrorGroup::Permission,
        _ => ErrorGroup::Server,
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ApiErrorKind::Vendor { code } => write!(f, "platform error {code}: {}", self.message)?,
            ApiErrorKind::HttpStatus(s) => {
                write!(f, "platform answered HTTP {s}: {}", self.message)?
            }
            ApiErrorKind::MalformedResponse => write!(f, "unreadable answer: {}", self.message)?,
            ApiErrorKind::Connect => write!(f, "cannot connect: {}", self.message)?,
            ApiErrorKind::Timeout => write!(f, "timed out: {}", self.message)?,
            ApiErrorKind::Io => write!(f, "connection broken: {}", self.message)?,
            ApiErrorKind::TokenQuota { used, limit } => write!(
                f,
                "token fetch refused: {used} of {limit} fetches used in the last 24 h"
            )?,
            ApiErrorKind::NoToken => write!(f, "no access token: {}", self.message)?,
            ApiErrorKind::InvalidInput => write!(f, "invalid request: {}", self.message)?,
            ApiErrorKind::TokenStore => write!(f, "token store: {}", self.message)?,
        }
        if let Some(e) = self.endpoint {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

#[cfg(test)]
mod tests {
    use super::*;

    fn vendor(code: i64, msg: &str) -> ApiError {
        ApiError::new(ApiErrorKind::Vendor { code }, msg)
    }

    #[test]
    fn codes_fall_into_groups() {
        assert_eq!(
            vendor(18, "access_token过期或错误").group(),
            ErrorGroup::Credentials
        );
        assert_eq!(vendor(41, "x").group(), ErrorGroup::Credentials);
        assert_eq!(vendor(47, "参数错误").group(), ErrorGroup::BadRequest);
        assert_eq!(vendor(16, "x").group(), ErrorGroup::Printer);
        assert_eq!(vendor(31, "x").group(), ErrorGroup::Permission);
        assert_eq!(vendor(45, "x").group(), ErrorGroup::Server);
        assert_eq!(vendor(9999, "打印机不在线").group(), ErrorGroup::Printer);
        assert_eq!(
            ApiError::new(ApiErrorKind::Timeout, "t").group(),
            ErrorGroup::Transport
        );
        assert_eq!(
            ApiError::new(ApiErrorKind::HttpStatus(502), "").group(),
            ErrorGroup::Server
        );
    }

    #[test]
    fn token_rejection_by_code_or_v2_text() {
        assert!(vendor(18, "").is_token_rejected());
        assert!(vendor(14, "").is_token_rejected());
        assert!(vendor(3001, "access_token已过期").is_token_rejected());
        assert!(!vendor(41, "获取或更新access_token的次数,已超过最大限制次数").is_token_rejected());
        assert!(!vendor(11, "签名错误").is_token_rejected());
        assert!(!vendor(12, "缺少必要参数access_token").is_token_rejected());
    }

    #[test]
    fn display_keeps_vendor_text_and_endpoint() {
        let e = vendor(16, "该机型不支持").on("/print/index");
        assert_eq!(
            e.to_string(),
            "platform error 16: 该机型不支持 (/print/index)"
        );
    }

    #[test]
    fn vendor_messages_lose_their_secrets() {
        let token = "3a7f0c9e2b1d4f6a8c0e2b4d6f8a0c1e";
        let e = ApiError::new(
            ApiErrorKind::Vendor { code: 18 },
            format!("access_token {token} 已过期 (machine 4004519454, id 137550437000000001)"),
        );
        for shown in [
            e.to_string(),
            format!("{e:#}"),
            format!("{e:?}"),
            e.message().to_string(),
        ] {
            assert!(!shown.contains(token), "{shown}");
            assert!(
                shown.contains("4004519454") && shown.contains("137550437000000001"),
                "{shown}"
            );
        }
        assert_eq!(
            redact(r#"{"access_token":"shorttok1","refresh_token": "abcdef"} sign=DEADBEEF"#),
            r#"{"access_token":"‹redacted›","refresh_token": "‹redacted›"} sign=‹redacted›"#
        );
        assert_eq!(
            redact("参数错误: machine_code 4004519454"),
            "参数错误: machine_code 4004519454"
        );
        // Group decisions still see the words they look for.
        assert!(e.is_token_rejected());
    }
}
