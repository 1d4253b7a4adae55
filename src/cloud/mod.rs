//! The Yilianyun cloud print API client.
//!
//! Sans-IO at its core: [`request`] builds and signs requests as plain data, [`response`] parses
//! answers as plain data, and a [`Transport`] moves the bytes: [`HttpTransport`] (feature `http`)
//! over verified TLS, or [`MemoryTransport`] in tests. [`Client`] adds token lifecycle (a
//! [`TokenStore`], refresh ahead of expiry, one refresh at a time per key, a daily budget),
//! retries that are safe, and exactly-once printing by `origin_id` ([`print`](mod@print)). [`push`] verifies
//! and de-duplicates the platform's pushes.
//!
//! No secret (client secret, access or refresh token, code, `msign`, `qr_key`) appears in any
//! `Debug`, `Display` or error text: they are held as [`Secret`].
//!
//! # Decisions on the fact sheet's open questions
//!
//! `shared/spec/yilianyun-api.md` §8 lists what the vendor's docs leave open. What we do, and
//! where:
//!
//! 1. v2 error codes unknown: map by the v1 code table, fall back to the message text; an
//!    `access_token` message counts as a rejected token ([`error`]).
//! 2. `oauth_finish` / `oauth_printMenu` push fields unknown: typed by `cmd` only, every field
//!    kept ([`push`]).
//! 3. Push sign case: compared case-insensitively in constant time ([`sign::verify`]).
//! 4. No replay window documented: requests use the current time; pushes more than an hour from
//!    our clock are rejected, configurable ([`push`]).
//! 5. POST or GET: always POST ([`request`]).
//! 6. `idempotence` default differs: always sent explicitly as `1` on prints ([`request`]).
//! 7. `origin_id` limits differ: the stricter v1 rule, 1–32 ASCII letters and digits
//!    ([`print::OriginId`]).
//! 8. `/printer/printinfo` body unknown: returned untyped by [`Client::call`].
//! 9. Job status values: 0 not printed, 1 printed, 2 cancelled, others kept raw
//!    ([`response::JobStatus`]).
//! 10. Accept/reject `state` meaning differs v1/v2: passed through as the raw field ([`push`]).
//! 11. `setsound` range 0–3 or 0–4: not checked locally, the platform judges ([`request`]).
//! 12. Authorize URL host: built without `/v2` ([`request::authorize_url`]).
//! 13. Whether answers echo the request `id`: not relied on.
//! 14. Whether v1 is still served: the default base is v2; v1 and the other hosts are
//!     selectable ([`ApiBase`]).
//! 15. No request-rate limit documented: none imposed; retries are few (3 attempts by default)
//!     and back off linearly.
//! 16. Whether code exchanges count against the daily quota: counted, to be safe
//!     ([`token`]). Own-app refreshes use `client_credentials`; open-app ones the refresh token.
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
pub use push::{
    MemoryReplayStore, Push, PushKey, PushKind, PushOutcome, PushReceiver, PushRejection,
    ReplayStore,
};
pub use request::{ApiBase, ApiRequest, Credentials, Grant, HttpRequest, PrinterKey};
pub use response::{JobInfo, JobStatus, PrintAccepted, PrinterState};
pub use secret::Secret;
pub use token::{FileTokenStore, MemoryTokenStore, StoreGuard, Token, TokenKey, TokenStore};
pub use transport::{HttpResponse, MemoryTransport, Transport};
