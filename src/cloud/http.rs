//! The real transport: `ureq` over rustls with the webpki roots (certificates always verified),
//! explicit timeouts, no redirects (a redirected POST would lose its body), and a cap on the
//! answer's size. Behind the `http` cargo feature.

use std::time::Duration;

use super::error::{ApiError, ApiErrorKind};
use super::request::HttpRequest;
use super::response::MAX_RESPONSE_BYTES;
use super::transport::{HttpResponse, Transport};

/// Timeouts for [`HttpTransport`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Resolving and connecting, TLS included (default 5 s).
    pub connect: Duration,
    /// The whole call, connect to last byte (default 15 s).
    pub total: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            total: Duration::from_secs(15),
        }
    }
}

/// An HTTPS (or, for local test servers, HTTP) transport.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    agent: ureq::Agent,
}

impl Default for HttpTransport {
    fn default() -> Self {
        Self::new(Timeouts::default())
    }
}

impl HttpTransport {
    /// A transport with these timeouts.
    pub fn new(timeouts: Timeouts) -> Self {
        let config = ureq::Agent::config_builder()
            .timeout_connect(Some(timeouts.connect))
            .timeout_global(Some(timeouts.total))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(concat!("slipmark/", env!("CARGO_PKG_VERSION")))
            .build();
        HttpTransport {
            agent: config.into(),
        }
    }
}

impl Transport for HttpTransport {
    fn post_form(&self, request: &HttpRequest) -> Result<HttpResponse, ApiError> {
        let mut response = self
            .agent
            .post(&request.url)
            .content_type("application/x-www-form-urlencoded")
            .send(request.body.as_str())
            .map_err(map_error)?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(MAX_RESPONSE_BYTES as u64)
            .read_to_vec()
            .map_err(map_error)?;
        Ok(HttpResponse { status, body })
    }
}

/// Sorts ureq's errors by whether the request may have reached the platform. The message never
/// holds the body (which holds the access token); ureq's errors do not carry it.
fn map_error(e: ureq::Error) -> ApiError {
    use ureq::Error as E;
    let kind = match &e {
        E::Timeout(ureq::Timeout::Resolve | ureq::Timeout::Connect) => ApiErrorKind::Connect,
        E::Timeout(_) => ApiErrorKind::Timeout,
        E::HostNotFound | E::ConnectionFailed | E::BadUri(_) | E::InvalidProxyUrl | E::Tls(_) => {
            ApiErrorKind::Connect
        }
        E::Rustls(_) | E::Pem(_) => ApiErrorKind::Connect,
        E::Io(io) if io.kind() == std::io::ErrorKind::ConnectionRefused => ApiErrorKind::Connect,
        E::BodyExceedsLimit(_) => ApiErrorKind::MalformedResponse,
        _ => ApiErrorKind::Io,
    };
    ApiError::new(kind, e.to_string())
}
