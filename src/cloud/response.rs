//! Pure parsing of the platform's answers: the v1 and v2 envelopes and the typed bodies.
//!
//! Lenient where the platform drifts (fact sheet §1): `error`, ids, `expires_in`, `state`,
//! `status` and timestamps may be numbers or strings; `body` may be an object, an array, a string
//! or absent. Print ids are big integers and are kept as strings so none is ever rounded.

use serde_json::Value;

use super::error::{ApiError, ApiErrorKind};
use super::secret::Secret;

/// The most of an answer we read; anything larger is not the platform's JSON.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// Reads an HTTP answer into the envelope's `body`, or a typed error.
///
/// A non-2xx status is an error even if the body looks like an envelope; a 2xx whose body is not
/// a JSON object with an `error` field is [`ApiErrorKind::MalformedResponse`].
pub fn parse(status: u16, bytes: &[u8]) -> Result<Option<Value>, ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::new(
            ApiErrorKind::HttpStatus(status),
            snippet(bytes),
        ));
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        ApiError::new(
            ApiErrorKind::MalformedResponse,
            format!("{e}: {}", snippet(bytes)),
        )
    })?;
    let Value::Object(mut map) = value else {
        return Err(ApiError::new(
            ApiErrorKind::MalformedResponse,
            "not a JSON object",
        ));
    };
    let code = map.get("error").and_then(int_or_string).ok_or_else(|| {
        ApiError::new(ApiErrorKind::MalformedResponse, "no integer `error` field")
    })?;
    let body = map.remove("body").filter(|b| !b.is_null());
    if code == 0 {
        return Ok(body);
    }
    let mut message = map
        .get("error_description")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    // Error 47/49 put the detail in a string body.
    if let Some(Value::String(detail)) = &body {
        message = format!("{message} ({detail})");
    }
    Err(ApiError::new(ApiErrorKind::Vendor { code }, message))
}

/// A number or a numeric string as `i64`.
pub fn int_or_string(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A string, or a number written out, as a `String` (ids: bigint as number or as string).
pub fn string_or_int(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn field<'a>(body: &'a Value, name: &str) -> Option<&'a Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn require_str(body: &Value, name: &str) -> Result<String, ApiError> {
    field(body, name)
        .and_then(string_or_int)
        .ok_or_else(|| missing(name))
}

fn require_int(body: &Value, name: &str) -> Result<i64, ApiError> {
    field(body, name)
        .and_then(int_or_string)
        .ok_or_else(|| missing(name))
}

fn missing(name: &str) -> ApiError {
    ApiError::new(
        ApiErrorKind::MalformedResponse,
        format!("body has no usable `{name}`"),
    )
}

fn body_or_empty(body: Option<&Value>) -> Value {
    body.cloned().unwrap_or(Value::Null)
}

/// A token answer (`/oauth/oauth`, `/oauth/scancodemodel`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenBody {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token, if given.
    pub refresh_token: Option<Secret>,
    /// The printer the token is for (open-app mode); `None` or empty for own-app mode.
    pub machine_code: Option<String>,
    /// Seconds until the access token expires, as answered.
    pub expires_in: Option<i64>,
    /// Seconds until the refresh token expires, as answered (v2).
    pub refresh_expires_in: Option<i64>,
}

impl TokenBody {
    /// Reads a token body.
    pub fn from_body(body: Option<&Value>) -> Result<Self, ApiError> {
        let b = body_or_empty(body);
        Ok(TokenBody {
            access_token: Secret::new(require_str(&b, "access_token")?),
            refresh_token: field(&b, "refresh_token")
                .and_then(string_or_int)
                .map(Secret::new),
            machine_code: field(&b, "machine_code")
                .and_then(string_or_int)
                .filter(|s| !s.is_empty()),
            expires_in: field(&b, "expires_in").and_then(int_or_string),
            refresh_expires_in: field(&b, "refresh_expires_in").and_then(int_or_string),
        })
    }
}

/// A print job the platform accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintAccepted {
    /// The platform's job id (a big integer, kept as its decimal string).
    pub id: String,
    /// The `origin_id` the job was sent with.
    pub origin_id: String,
}

impl PrintAccepted {
    /// Reads a print body (`{id, origin_id}`; waybill adds fields we do not type).
    pub fn from_body(body: Option<&Value>) -> Result<Self, ApiError> {
        let b = body_or_empty(body);
        Ok(PrintAccepted {
            id: require_str(&b, "id")?,
            origin_id: require_str(&b, "origin_id")?,
        })
    }
}

/// A printer's state (`/printer/getprintstatus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PrinterState {
    /// 0: offline.
    Offline,
    /// 1: online.
    Online,
    /// 2: out of paper.
    OutOfPaper,
    /// A value the documentation does not list.
    Other(i64),
}

impl PrinterState {
    /// Reads a `{state}` body.
    pub fn from_body(body: Option<&Value>) -> Result<Self, ApiError> {
        Ok(Self::from_code(require_int(&body_or_empty(body), "state")?))
    }

    /// Maps the documented codes.
    pub fn from_code(code: i64) -> Self {
        match code {
            0 => PrinterState::Offline,
            1 => PrinterState::Online,
            2 => PrinterState::OutOfPaper,
            n => PrinterState::Other(n),
        }
    }

    /// A short English name.
    pub fn name(self) -> &'static str {
        match self {
            PrinterState::Offline => "offline",
            PrinterState::Online => "online",
            PrinterState::OutOfPaper => "out of paper",
            PrinterState::Other(_) => "unknown",
        }
    }
}

/// A print job's status. Open question 9: v1 has 0/1, the v2 list adds 2 = cancelled; we keep
/// the raw value for anything else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum JobStatus {
    /// 0: not printed (v1: or cancelled).
    NotPrinted,
    /// 1: printed.
    Printed,
    /// 2: cancelled (v2).
    Cancelled,
    /// Another value.
    Other(i64),
}

impl JobStatus {
    fn from_code(code: i64) -> Self {
        match code {
            0 => JobStatus::NotPrinted,
            1 => JobStatus::Printed,
            2 => JobStatus::Cancelled,
            n => JobStatus::Other(n),
        }
    }
}

/// One job as `/printer/getorderstatus` or `/printer/getorderpaginglist` report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobInfo {
    /// The platform's job id.
    pub id: String,
    /// The caller's `origin_id`, if reported.
    pub origin_id: Option<String>,
    /// The status.
    pub status: JobStatus,
}

impl JobInfo {
    /// Reads one job object.
    pub fn from_value(b: &Value) -> Result<Self, ApiError> {
        Ok(JobInfo {
            id: require_str(b, "id")?,
            origin_id: field(b, "origin_id").and_then(string_or_int),
            status: JobStatus::from_code(require_int(b, "status")?),
        })
    }

    /// Reads a list body (an array, or an object holding the array under `list`/`data`).
    pub fn list_from_body(body: Option<&Value>) -> Result<Vec<Self>, ApiError> {
        let b = body_or_empty(body);
        let items = match &b {
            Value::Array(a) => a.as_slice(),
            Value::Null => &[],
            Value::Object(o) => match o.get("list").or_else(|| o.get("data")) {
                Some(Value::Array(a)) => a.as_slice(),
                _ => return Err(missing("list")),
            },
            _ => return Err(missing("list")),
        };
        items.iter().map(Self::from_value).collect()
    }
}

/// The start of an unreadable answer, for the error message; withheld if it may hold a token.
fn snippet(bytes: &[u8]) -> String {
    if bytes.windows(5).any(|w| w.eq_ignore_ascii_case(b"token")) {
        return format!("<{} bytes withheld: may hold a token>", bytes.len());
    }
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]);
    text.chars().filter(|c| !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_envelope_with_string_code_and_string_id() {
        let body = parse(200, br#"{"error":"0","error_description":"success","body":{"id":"137550437","origin_id":"A1"}}"#)
            .unwrap();
        let p = PrintAccepted::from_body(body.as_ref()).unwrap();
        assert_eq!(
            p,
            PrintAccepted {
                id: "137550437".into(),
                origin_id: "A1".into()
            }
        );
    }

    #[test]
    fn v2_envelope_with_number_code_and_bigint_id() {
        let body = parse(200, br#"{"error":0,"error_description":"success","timestamp":1700000000,"body":{"id":9007199254740993,"origin_id":"A1"}}"#)
            .unwrap();
        let p = PrintAccepted::from_body(body.as_ref()).unwrap();
        assert_eq!(
            p.id, "9007199254740993",
            "a bigint beyond f64 precision stays exact"
        );
    }

    #[test]
    fn vendor_error_keeps_message_and_string_detail() {
        let e = parse(
            200,
            r#"{"error":47,"error_description":"参数错误","body":"machine_code不能为空"}"#
                .as_bytes(),
        )
        .unwrap_err();
        assert_eq!(e.code(), Some(47));
        assert_eq!(e.message(), "参数错误 (machine_code不能为空)");
    }

    #[test]
    fn absent_or_array_body() {
        assert_eq!(
            parse(200, br#"{"error":0,"error_description":"success"}"#).unwrap(),
            None
        );
        let list = parse(200, br#"{"error":"0","body":[{"id":1,"origin_id":"a","status":"1"},{"id":"2","status":2}]}"#).unwrap();
        let jobs = JobInfo::list_from_body(list.as_ref()).unwrap();
        assert_eq!(jobs[0].status, JobStatus::Printed);
        assert_eq!(
            jobs[1],
            JobInfo {
                id: "2".into(),
                origin_id: None,
                status: JobStatus::Cancelled
            }
        );
    }

    #[test]
    fn broken_answers_are_typed_errors() {
        for (status, bytes) in [
            (200, &b"{\"error\":0,"[..]),
            (200, b"<html>502</html>"),
            (200, b"[1,2]"),
            (200, b"{\"error\":\"x\"}"),
            (200, b""),
        ] {
            let e = parse(status, bytes).unwrap_err();
            assert_eq!(e.kind(), &ApiErrorKind::MalformedResponse, "{bytes:?}");
            assert!(e.outcome_unknown());
        }
        let e = parse(503, b"busy").unwrap_err();
        assert_eq!(e.kind(), &ApiErrorKind::HttpStatus(503));
        let e = PrintAccepted::from_body(None).unwrap_err();
        assert_eq!(e.kind(), &ApiErrorKind::MalformedResponse);
    }

    #[test]
    fn broken_token_answer_is_not_quoted_in_the_error() {
        let e = parse(200, br#"{"error":0,"body":{"access_token":"sekrit","#).unwrap_err();
        assert!(!e.to_string().contains("sekrit"), "{e}");
        let e = parse(200, b"<html>oops</html>").unwrap_err();
        assert!(e.to_string().contains("<html>oops</html>"), "{e}");
    }

    #[test]
    fn token_body_with_string_expiry() {
        let v: Value = serde_json::from_str(
            r#"{"access_token":"at","refresh_token":"rt","machine_code":"","expires_in":"2592000"}"#,
        )
        .unwrap();
        let t = TokenBody::from_body(Some(&v)).unwrap();
        assert_eq!(t.expires_in, Some(2_592_000));
        assert_eq!(t.machine_code, None);
        assert_eq!(t.refresh_token.unwrap().expose(), "rt");
    }
}
