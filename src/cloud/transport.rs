//! The transport seam: the client builds requests and parses answers; a [`Transport`] only
//! moves bytes. [`MemoryTransport`] answers from a closure, for tests without a network.

use std::sync::Mutex;

use super::error::ApiError;
use super::request::HttpRequest;

/// An HTTP answer: status and body bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The HTTP status code.
    pub status: u16,
    /// The body.
    pub body: Vec<u8>,
}

/// Sends a form POST and returns the answer.
///
/// Errors must use [`ApiErrorKind::Connect`](super::ApiErrorKind::Connect) when nothing was sent,
/// and [`Timeout`](super::ApiErrorKind::Timeout) or [`Io`](super::ApiErrorKind::Io) when the
/// request may have reached the platform: the client retries only idempotent calls then.
pub trait Transport: Send + Sync {
    /// POSTs `request.body` as `application/x-www-form-urlencoded` to `request.url`.
    fn post_form(&self, request: &HttpRequest) -> Result<HttpResponse, ApiError>;
}

type Handler = dyn Fn(&HttpRequest) -> Result<HttpResponse, ApiError> + Send + Sync;

/// A transport that answers from a closure and records every request.
pub struct MemoryTransport {
    handler: Box<Handler>,
    sent: Mutex<Vec<HttpRequest>>,
}

impl MemoryTransport {
    /// A transport answering with `handler`.
    pub fn new(
        handler: impl Fn(&HttpRequest) -> Result<HttpResponse, ApiError> + Send + Sync + 'static,
    ) -> Self {
        MemoryTransport {
            handler: Box::new(handler),
            sent: Mutex::new(Vec::new()),
        }
    }

    /// A transport that always answers HTTP 200 with `json`.
    pub fn always(json: &str) -> Self {
        let body = json.as_bytes().to_vec();
        Self::new(move |_| {
            Ok(HttpResponse {
                status: 200,
                body: body.clone(),
            })
        })
    }

    /// The requests sent so far.
    pub fn sent(&self) -> Vec<HttpRequest> {
        self.sent.lock().map(|s| s.clone()).unwrap_or_default()
    }
}

impl std::fmt::Debug for MemoryTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryTransport").finish_non_exhaustive()
    }
}

impl Transport for MemoryTransport {
    fn post_form(&self, request: &HttpRequest) -> Result<HttpResponse, ApiError> {
        if let Ok(mut sent) = self.sent.lock() {
            sent.push(request.clone());
        }
        (self.handler)(request)
    }
}
