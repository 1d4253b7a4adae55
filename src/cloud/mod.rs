//! The Yilianyun cloud print API client.
//!
//! Sans-IO at its core: [`request`] builds and signs requests as plain data, [`response`] parses
//! answers as plain data, and a [`Transport`] moves the bytes: [`HttpTransport`] (feature `http`)
//! over verified TLS, or [`MemoryTransport`] in tests. [`Client`] adds token lifecycle (a
//! [`TokenStore`], refresh ahead of expiry, one refresh at a time per key, a daily budget),
//! retries that are safe, and exactly-once printing by `origin_id` ([`print`]). [`push`] verifies
//! and de-duplicates the platform's pushes.
//!
//! No secret (client secret, access or refresh token, code, `msign`, `qr_key`) appears in any
//! `Debug`, `Display` or error text: they are held as [`Secret`].
//!
//! ```no_run
//! # #[cfg(feature = "http")] {
//! use std::sync::Arc;
//! use slipmark::cloud::{Client, Credentials, HttpTransport, OriginId};
//!
//! let creds = Credentials::new("1039521561", "the secret");
//! let client = Client::builder(creds, Arc::new(HttpTransport::default())).build();
//! let job = client.print_text("4004519454", "<center>hello</center>\n", &OriginId::generate())?;
//! println!("job {}", job.id);
//! # }
//! # Ok::<(), slipmark::cloud::ApiError>(())
//! ```

pub mod client;
pub mod error;
pub mod form;
#[cfg(feature = "http")]
pub mod http;
pub mod print;
pub mod push;
pub mod request;
pub mod response;
pub mod secret;
pub mod sign;
pub mod token;
pub mod transport;

pub use client::{AuthMode, Client, ClientBuilder};
pub use error::{ApiError, ApiErrorKind, ErrorGroup};
#[cfg(feature = "http")]
pub use http::{HttpTransport, Timeouts};
pub use print::OriginId;
pub use push::{Push, PushKind, PushOutcome, PushReceiver};
pub use request::{ApiBase, ApiRequest, Credentials, Grant, HttpRequest, PrinterKey};
pub use response::{JobInfo, JobStatus, PrintAccepted, PrinterState};
pub use secret::Secret;
pub use token::{FileTokenStore, MemoryTokenStore, Token, TokenKey, TokenStore};
pub use transport::{HttpResponse, MemoryTransport, Transport};
