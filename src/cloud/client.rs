//! The client: sends requests through a [`Transport`], keeps tokens fresh, retries what is safe.
//!
//! Retry rules: a request that could not connect is sent again (nothing reached the platform); a
//! request whose answer was lost (timeout, broken connection, 5xx, unreadable answer) is sent
//! again only if it is [`Retry::Safe`] (reads, and prints carrying `origin_id` with
//! `idempotence=1`); a token the platform rejects is replaced once and the call retried once.
//! Every attempt has a fresh `timestamp`, `id` and `sign`.

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use super::error::{ApiError, ApiErrorKind};
use super::request::{ApiBase, ApiRequest, Credentials, Grant, PrinterKey, Retry};
use super::response::{self, JobInfo, PrinterState, TokenBody};
use super::secret::Secret;
use super::sign::new_request_id;
use super::token::{MemoryTokenStore, Token, TokenKey, TokenManager, TokenStore};
use super::transport::Transport;

/// Whose token a call uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// 自有应用: one token for the app (`client_credentials`).
    #[default]
    OwnApp,
    /// 开放应用: one token per printer (authorisation code or scan code).
    OpenApp,
}

/// A clock giving Unix seconds.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The Yilianyun API client. Cheap to share across threads (`&Client` is enough).
pub struct Client {
    credentials: Credentials,
    base: ApiBase,
    mode: AuthMode,
    transport: Arc<dyn Transport>,
    tokens: TokenManager,
    clock: Clock,
    attempts: u32,
    retry_delay: Duration,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("credentials", &self.credentials)
            .field("base", &self.base)
            .field("mode", &self.mode)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// Builds a [`Client`].
pub struct ClientBuilder {
    credentials: Credentials,
    transport: Arc<dyn Transport>,
    base: ApiBase,
    mode: AuthMode,
    store: Arc<dyn TokenStore>,
    daily_limit: u32,
    margin: u64,
    clock: Clock,
    attempts: u32,
    retry_delay: Duration,
}

impl ClientBuilder {
    /// The API base (default [`ApiBase::V2`]).
    pub fn base(mut self, base: ApiBase) -> Self {
        self.base = base;
        self
    }

    /// Own-app or open-app mode (default own-app).
    pub fn mode(mut self, mode: AuthMode) -> Self {
        self.mode = mode;
        self
    }

    /// Where tokens are kept (default: in memory).
    pub fn token_store(mut self, store: Arc<dyn TokenStore>) -> Self {
        self.store = store;
        self
    }

    /// Token fetches allowed per key per 24 h (default 20, the platform's limit).
    pub fn daily_token_limit(mut self, limit: u32) -> Self {
        self.daily_limit = limit;
        self
    }

    /// Refresh expiring tokens this many seconds ahead (default one day).
    pub fn refresh_margin(mut self, seconds: u64) -> Self {
        self.margin = seconds;
        self
    }

    /// Attempts per safe request when answers are lost (default 3, at least 1).
    pub fn attempts(mut self, attempts: u32) -> Self {
        self.attempts = attempts.max(1);
        self
    }

    /// Pause before the n-th retry is n times this (default 500 ms).
    pub fn retry_delay(mut self, delay: Duration) -> Self {
        self.retry_delay = delay;
        self
    }

    /// The clock (default: the system clock).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// The client.
    pub fn build(self) -> Client {
        Client {
            credentials: self.credentials,
            base: self.base,
            mode: self.mode,
            transport: self.transport,
            tokens: TokenManager::new(self.store, self.daily_limit, self.margin),
            clock: self.clock,
            attempts: self.attempts,
            retry_delay: self.retry_delay,
        }
    }
}

fn system_clock() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

impl Client {
    /// A builder with the defaults: v2 base, own-app mode, in-memory tokens, 20 fetches a day.
    pub fn builder(credentials: Credentials, transport: Arc<dyn Transport>) -> ClientBuilder {
        ClientBuilder {
            credentials,
            transport,
            base: ApiBase::default(),
            mode: AuthMode::default(),
            store: Arc::new(MemoryTokenStore::new()),
            daily_limit: 20,
            margin: super::token::DAY,
            clock: Arc::new(system_clock),
            attempts: 3,
            retry_delay: Duration::from_millis(500),
        }
    }

    /// The configured base.
    pub fn base(&self) -> &ApiBase {
        &self.base
    }

    /// The token manager (to inspect records or seed a token).
    pub fn tokens(&self) -> &TokenManager {
        &self.tokens
    }

    /// The current time by the client's clock.
    pub fn now(&self) -> u64 {
        (self.clock)()
    }

    /// The token key for a call about `machine_code`.
    pub fn key_for(&self, machine_code: Option<&str>) -> Result<TokenKey, ApiError> {
        match (self.mode, machine_code) {
            (AuthMode::OwnApp, _) => Ok(TokenKey::App(self.credentials.client_id.clone())),
            (AuthMode::OpenApp, Some(mc)) => Ok(TokenKey::Machine(mc.to_owned())),
            (AuthMode::OpenApp, None) => Err(ApiError::new(
                ApiErrorKind::InvalidInput,
                "open-app mode needs a machine code to pick the token",
            )),
        }
    }

    /// Sends any request, with a token for `machine_code`'s key if the request needs one, and
    /// returns the envelope's `body`.
    pub fn call(
        &self,
        machine_code: Option<&str>,
        request: &ApiRequest,
    ) -> Result<Option<Value>, ApiError> {
        if !request.needs_token {
            return self.send(request, None);
        }
        let key = self.key_for(machine_code.or(request.param("machine_code")))?;
        let fetch = |old: Option<&Token>| self.fetch_token(&key, old);
        let token = self.tokens.get(&key, self.now(), &fetch)?;
        match self.send(request, Some(&token.access_token)) {
            Err(e) if e.is_token_rejected() => {
                let fresh =
                    self.tokens
                        .replace_rejected(&key, &token.access_token, self.now(), &fetch)?;
                self.send(request, Some(&fresh.access_token))
            }
            other => other,
        }
    }

    /// Sends one request (with retries as its [`Retry`] allows) and parses the envelope.
    pub fn send(
        &self,
        request: &ApiRequest,
        token: Option<&Secret>,
    ) -> Result<Option<Value>, ApiError> {
        let mut attempt = 1;
        loop {
            let http = request.prepare(
                &self.base,
                &self.credentials,
                token,
                self.now(),
                &new_request_id(),
            );
            let result = self
                .transport
                .post_form(&http)
                .and_then(|r| response::parse(r.status, &r.body))
                .map_err(|e| e.on(request.path));
            match result {
                Err(e) if attempt < self.attempts && self.may_retry(request, &e) => {
                    std::thread::sleep(self.retry_delay * attempt);
                    attempt += 1;
                }
                other => return other,
            }
        }
    }

    fn may_retry(&self, request: &ApiRequest, e: &ApiError) -> bool {
        e.kind() == &ApiErrorKind::Connect || (request.retry == Retry::Safe && e.outcome_unknown())
    }

    /// Gets a new token for `key`. Own-app keys use `client_credentials`, the documented way to
    /// get the app's token, which cannot be stuck on an expired refresh token; open-app keys use
    /// their refresh token, and without a usable one need a new authorisation.
    fn fetch_token(&self, key: &TokenKey, old: Option<&Token>) -> Result<Token, ApiError> {
        let grant = match (key, old.and_then(|t| t.usable_refresh_token(self.now()))) {
            (TokenKey::App(_), _) => Grant::ClientCredentials,
            (TokenKey::Machine(_), Some(rt)) => Grant::RefreshToken(rt.clone()),
            (TokenKey::Machine(mc), None) => {
                return Err(ApiError::new(
                    ApiErrorKind::NoToken,
                    format!("printer {mc} has no usable refresh token: authorise it again"),
                ));
            }
        };
        let body = self.send(&ApiRequest::token(&grant), None)?;
        Ok(Token::from_body(
            TokenBody::from_body(body.as_ref())?,
            key,
            self.now(),
        ))
    }

    /// Own-app mode: fetches a token with `client_credentials` now (spends one of the day's
    /// fetches) and stores it.
    pub fn fetch_app_token(&self) -> Result<Token, ApiError> {
        let key = TokenKey::App(self.credentials.client_id.clone());
        self.tokens.fetch_now(&key, self.now(), &|_| {
            let body = self.send(&ApiRequest::token(&Grant::ClientCredentials), None)?;
            Ok(Token::from_body(
                TokenBody::from_body(body.as_ref())?,
                &key,
                self.now(),
            ))
        })
    }

    /// Refreshes the token for `machine_code`'s key now (spends one of the day's fetches).
    pub fn refresh_token(&self, machine_code: Option<&str>) -> Result<Token, ApiError> {
        let key = self.key_for(machine_code)?;
        self.tokens
            .fetch_now(&key, self.now(), &|old| self.fetch_token(&key, old))
    }

    /// Open-app mode: exchanges an authorisation code; the token is stored under the machine code
    /// the platform returns, which is returned with it.
    pub fn exchange_code(&self, code: &Secret) -> Result<(String, Token), ApiError> {
        let body = self.send(
            &ApiRequest::token(&Grant::AuthorizationCode(code.clone())),
            None,
        )?;
        let parsed = TokenBody::from_body(body.as_ref())?;
        let machine_code = parsed.machine_code.clone().ok_or_else(|| {
            ApiError::new(
                ApiErrorKind::MalformedResponse,
                "token answer has no machine_code",
            )
            .on("/oauth/oauth")
        })?;
        let key = TokenKey::Machine(machine_code.clone());
        let token = Token::from_body(parsed, &key, self.now());
        self.tokens.store_fetched(&key, token.clone(), self.now())?;
        Ok((machine_code, token))
    }

    /// Open-app mode: a token from a printer's QR code (`qr_key`) or label (`msign`).
    pub fn scan_code(
        &self,
        machine_code: &str,
        printer_key: &PrinterKey,
    ) -> Result<Token, ApiError> {
        let key = TokenKey::Machine(machine_code.to_owned());
        self.tokens.fetch_now(&key, self.now(), &|_| {
            let body = self.send(&ApiRequest::scan_code(machine_code, printer_key), None)?;
            Ok(Token::from_body(
                TokenBody::from_body(body.as_ref())?,
                &key,
                self.now(),
            ))
        })
    }

    /// Own-app mode: binds a printer to the app.
    pub fn add_printer(&self, machine_code: &str, msign: &Secret) -> Result<(), ApiError> {
        self.call(
            Some(machine_code),
            &ApiRequest::add_printer(machine_code, msign, None, None),
        )
        .map(drop)
    }

    /// Unbinds a printer.
    pub fn delete_printer(&self, machine_code: &str) -> Result<(), ApiError> {
        self.call(
            Some(machine_code),
            &ApiRequest::delete_printer(machine_code),
        )
        .map(drop)
    }

    /// Online, offline or out of paper.
    pub fn print_status(&self, machine_code: &str) -> Result<PrinterState, ApiError> {
        let body = self.call(Some(machine_code), &ApiRequest::print_status(machine_code))?;
        PrinterState::from_body(body.as_ref()).map_err(|e| e.on("/printer/getprintstatus"))
    }

    /// One job's status by platform id.
    pub fn order_status(&self, machine_code: &str, order_id: &str) -> Result<JobInfo, ApiError> {
        let body = self.call(
            Some(machine_code),
            &ApiRequest::order_status(machine_code, order_id),
        )?;
        let body = body.unwrap_or(Value::Null);
        JobInfo::from_value(&body).map_err(|e| e.on("/printer/getorderstatus"))
    }

    /// A page of jobs.
    pub fn order_list(
        &self,
        machine_code: &str,
        page: u32,
        size: u32,
    ) -> Result<Vec<JobInfo>, ApiError> {
        let body = self.call(
            Some(machine_code),
            &ApiRequest::order_list(machine_code, page, size),
        )?;
        JobInfo::list_from_body(body.as_ref()).map_err(|e| e.on("/printer/getorderpaginglist"))
    }

    /// Cancels one queued job.
    pub fn cancel_one(&self, machine_code: &str, order_id: &str) -> Result<(), ApiError> {
        self.call(
            Some(machine_code),
            &ApiRequest::cancel_one(machine_code, order_id),
        )
        .map(drop)
    }

    /// Cancels every queued job.
    pub fn cancel_all(&self, machine_code: &str) -> Result<(), ApiError> {
        self.call(Some(machine_code), &ApiRequest::cancel_all(machine_code))
            .map(drop)
    }
}

#[cfg(test)]
mod tests;
