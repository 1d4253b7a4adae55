//! Tokens: what is stored, where, and how refreshes are rationed and serialised.
//!
//! - Keys: one token per client id in own-app mode, one per machine code in open-app mode.
//! - Daily budget: the platform allows 20 fetches or refreshes per key per 24 h (error 41 after).
//!   Each record keeps the times of its fetches in the last 24 h, and a fetch beyond the budget is
//!   refused locally before anything is sent. An attempt counts even if its answer was lost (the
//!   platform may have counted it).
//! - Single flight: a refresh holds the key's lock; callers that queued behind it re-read the store
//!   and use the new token instead of refreshing again. Across processes the store's own lock
//!   ([`TokenStore::lock_key`]; [`FileTokenStore`] locks a file beside its own) does the same, so
//!   two processes sharing one token file count every fetch and lose no token.
//! - Expiry: open-app tokens carry `expires_in` (30 days) and are refreshed when less than the
//!   refresh margin is left. Own-app tokens do not expire (the docs say to ignore `expires_in`), so
//!   they are replaced only when the platform rejects them. Refreshing early is optional, so it
//!   uses at most half the day's budget and waits ten minutes after a failed attempt; a failed
//!   early refresh leaves the still-valid token in use.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};

use super::error::{ApiError, ApiErrorKind};
use super::response::TokenBody;
use super::secret::Secret;

/// Seconds in the platform's quota window.
pub const DAY: u64 = 86_400;

/// Seconds between two attempts to refresh a token ahead of its expiry.
pub const EARLY_REFRESH_COOLDOWN: u64 = 600;

/// Which token a call needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TokenKey {
    /// Own-app mode: one token for the app's client id.
    App(String),
    /// Open-app mode: one token per printer.
    Machine(String),
}

impl TokenKey {
    /// The key as stored: `app:<client_id>` or `machine:<machine_code>`.
    pub fn storage_key(&self) -> String {
        match self {
            TokenKey::App(id) => format!("app:{id}"),
            TokenKey::Machine(mc) => format!("machine:{mc}"),
        }
    }
}

/// An access token and what we know about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Token {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token, if any.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// When the access token expires (Unix seconds); `None` = does not expire.
    #[serde(default)]
    pub expires_at: Option<u64>,
    /// When the refresh token expires (Unix seconds), if known.
    #[serde(default)]
    pub refresh_expires_at: Option<u64>,
    /// When we obtained it (Unix seconds).
    #[serde(default)]
    pub obtained_at: u64,
}

impl Token {
    /// A token given from outside (e.g. `YLY_ACCESS_TOKEN`), with no expiry known.
    pub fn external(access_token: Secret, now: u64) -> Self {
        Token {
            access_token,
            refresh_token: None,
            expires_at: None,
            refresh_expires_at: None,
            obtained_at: now,
        }
    }

    /// A token from a token answer at time `now`. `expires_in` is ignored for own-app keys.
    pub fn from_body(body: TokenBody, key: &TokenKey, now: u64) -> Self {
        let at = |secs: Option<i64>| {
            secs.and_then(|s| u64::try_from(s).ok())
                .map(|s| now.saturating_add(s))
        };
        Token {
            access_token: body.access_token,
            refresh_token: body.refresh_token,
            expires_at: match key {
                TokenKey::App(_) => None,
                TokenKey::Machine(_) => at(body.expires_in),
            },
            refresh_expires_at: at(body.refresh_expires_in),
            obtained_at: now,
        }
    }

    /// Whether the token should be refreshed at `now`, given a margin in seconds.
    pub fn needs_refresh(&self, now: u64, margin: u64) -> bool {
        self.expires_at
            .is_some_and(|e| now.saturating_add(margin) >= e)
    }

    /// The refresh token, if it has not expired at `now`.
    pub fn usable_refresh_token(&self, now: u64) -> Option<&Secret> {
        match self.refresh_expires_at {
            Some(e) if now >= e => None,
            _ => self.refresh_token.as_ref(),
        }
    }
}

/// What the store keeps per key.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenRecord {
    /// The current token.
    #[serde(default)]
    pub token: Option<Token>,
    /// Times (Unix seconds) of fetches and refreshes in the last 24 h.
    #[serde(default)]
    pub fetches: Vec<u64>,
}

impl TokenRecord {
    /// Fetches within the 24 h before `now`.
    pub fn fetches_in_window(&self, now: u64) -> u32 {
        let n = self
            .fetches
            .iter()
            .filter(|&&t| t.saturating_add(DAY) > now)
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// Where tokens live.
pub trait TokenStore: Send + Sync {
    /// The record for `key`, if any.
    fn load(&self, key: &str) -> Result<Option<TokenRecord>, ApiError>;
    /// Replaces the record for `key` (and keeps every other key's record as stored).
    fn save(&self, key: &str, record: &TokenRecord) -> Result<(), ApiError>;
    /// Excludes every other holder of `key`'s lock, in this process and in any other sharing
    /// the store, until the guard is dropped. The [`TokenManager`] holds it from reading a
    /// record to saving what it fetched, so no fetch goes uncounted. The default does nothing:
    /// right for a store only one process uses.
    fn lock_key(&self, key: &str) -> Result<StoreGuard, ApiError> {
        let _ = key;
        Ok(StoreGuard::none())
    }
}

/// A held [`TokenStore::lock_key`]: the lock is released when this is dropped.
pub struct StoreGuard(#[allow(dead_code)] Option<Box<dyn Send>>);

impl StoreGuard {
    /// A guard that holds nothing (a store that needs no lock).
    pub fn none() -> StoreGuard {
        StoreGuard(None)
    }

    /// A guard that releases its lock when `held` is dropped (a locked file, a lease).
    pub fn new(held: impl Send + 'static) -> StoreGuard {
        StoreGuard(Some(Box::new(held)))
    }
}

impl std::fmt::Debug for StoreGuard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoreGuard")
            .field("holds", &self.0.is_some())
            .finish()
    }
}

/// An in-memory store (for tests and short-lived processes).
#[derive(Debug, Default)]
pub struct MemoryTokenStore {
    records: Mutex<HashMap<String, TokenRecord>>,
}

impl MemoryTokenStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
}

impl TokenStore for MemoryTokenStore {
    fn load(&self, key: &str) -> Result<Option<TokenRecord>, ApiError> {
        Ok(self
            .records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(key)
            .cloned())
    }

    fn save(&self, key: &str, record: &TokenRecord) -> Result<(), ApiError> {
        self.records
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(key.to_owned(), record.clone());
        Ok(())
    }
}

/// A JSON file of all records, rewritten atomically (temporary file in the same directory, then
/// rename) and readable by its owner only (mode 0600 on Unix), so a reader always sees a whole
/// file. Several processes (or stores) may share one file:
///
/// - every save re-reads the file under an exclusive lock on `<file>.lock` and replaces only
///   its own key, so records of other keys are merged, never overwritten;
/// - [`TokenStore::lock_key`] locks `<file>.refresh.lock` for the whole of a refresh, so two
///   processes refreshing the same key take turns, and each sees the other's fetches.
///
/// The locks are advisory operating-system file locks (`flock` on Unix, `LockFileEx` on
/// Windows, through the `fs4` crate); they are released when a process ends, however
/// it ends. On file systems that do not support them (some network mounts) the lock is an error.
/// The `.lock` files are left in place (removing them would race with a process about to lock).
#[derive(Debug)]
pub struct FileTokenStore {
    path: PathBuf,
    lock: Mutex<()>,
}

impl FileTokenStore {
    /// A store at `path` (created on first save, with its directory).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        FileTokenStore {
            path: path.into(),
            lock: Mutex::new(()),
        }
    }

    /// Opens (creating it, 0600) the lock file `<file><suffix>` and locks it exclusively,
    /// waiting for any other holder.
    fn file_lock(&self, suffix: &str) -> Result<std::fs::File, ApiError> {
        let mut name = self.path.as_os_str().to_os_string();
        name.push(suffix);
        let path = PathBuf::from(name);
        if let Some(dir) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| store_err(dir, &e))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&path).map_err(|e| store_err(&path, &e))?;
        // fs4's `flock`/`LockFileEx` (std's `File::lock` needs Rust 1.89); released on close.
        fs4::FileExt::lock(&file).map_err(|e| store_err(&path, &e))?;
        Ok(file)
    }

    fn read_all(&self) -> Result<HashMap<String, TokenRecord>, ApiError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                ApiError::new(
                    ApiErrorKind::TokenStore,
                    format!("{}: {e}", self.path.display()),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(HashMap::new()),
            Err(e) => Err(store_err(&self.path, &e)),
        }
    }

    fn write_all(&self, records: &HashMap<String, TokenRecord>) -> Result<(), ApiError> {
        use std::io::Write;
        let bytes = serde_json::to_vec_pretty(records)
            .map_err(|e| ApiError::new(ApiErrorKind::TokenStore, e.to_string()))?;
        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(std::path::Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| store_err(dir, &e))?;
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // Unique per process and per write, so two stores on one path never share a temporary.
        static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let result = options.open(&tmp).and_then(|mut f| {
            f.write_all(&bytes)?;
            f.sync_all()
        });
        if let Err(e) = result.and_then(|()| std::fs::rename(&tmp, &self.path)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(store_err(&self.path, &e));
        }
        Ok(())
    }
}

fn store_err(path: &std::path::Path, e: &std::io::Error) -> ApiError {
    ApiError::new(ApiErrorKind::TokenStore, format!("{}: {e}", path.display()))
}

impl TokenStore for FileTokenStore {
    fn load(&self, key: &str) -> Result<Option<TokenRecord>, ApiError> {
        let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        Ok(self.read_all()?.remove(key))
    }

    fn save(&self, key: &str, record: &TokenRecord) -> Result<(), ApiError> {
        let _guard = self.lock.lock().unwrap_or_else(PoisonError::into_inner);
        // Read, merge and write under the file lock: another process's keys are kept.
        let _file = self.file_lock(".lock")?;
        let mut all = self.read_all()?;
        all.insert(key.to_owned(), record.clone());
        self.write_all(&all)
    }

    fn lock_key(&self, key: &str) -> Result<StoreGuard, ApiError> {
        let _ = key;
        Ok(StoreGuard::new(self.file_lock(".refresh.lock")?))
    }
}

/// Hands out tokens: refreshes ahead of expiry, replaces rejected tokens, one refresh at a time
/// per key, within the daily budget.
pub struct TokenManager {
    store: Arc<dyn TokenStore>,
    locks: Mutex<HashMap<String, Arc<Mutex<()>>>>,
    daily_limit: u32,
    margin: u64,
}

impl std::fmt::Debug for TokenManager {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenManager")
            .field("daily_limit", &self.daily_limit)
            .field("margin", &self.margin)
            .finish_non_exhaustive()
    }
}

/// Fetches a new token, given the current one (to refresh it) if any.
pub type Fetch<'a> = &'a dyn Fn(Option<&Token>) -> Result<Token, ApiError>;

impl TokenManager {
    /// A manager over `store`, allowing `daily_limit` fetches per key per 24 h and refreshing
    /// expiring tokens `margin` seconds ahead.
    pub fn new(store: Arc<dyn TokenStore>, daily_limit: u32, margin: u64) -> Self {
        TokenManager {
            store,
            locks: Mutex::new(HashMap::new()),
            daily_limit,
            margin,
        }
    }

    /// The stored record for `key`.
    pub fn record(&self, key: &TokenKey) -> Result<TokenRecord, ApiError> {
        Ok(self.store.load(&key.storage_key())?.unwrap_or_default())
    }

    /// Stores `token` for `key` without counting a fetch (a token obtained elsewhere).
    pub fn put(&self, key: &TokenKey, token: Token) -> Result<(), ApiError> {
        let lock = self.key_lock(key);
        let _guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let _store = self.store.lock_key(&key.storage_key())?;
        let mut record = self.record(key)?;
        record.token = Some(token);
        self.store.save(&key.storage_key(), &record)
    }

    /// A usable token for `key`: the stored one, or a fetched one if none is stored or it is
    /// about to expire.
    pub fn get(&self, key: &TokenKey, now: u64, fetch: Fetch<'_>) -> Result<Token, ApiError> {
        if let Some(t) = self
            .record(key)?
            .token
            .filter(|t| !t.needs_refresh(now, self.margin))
        {
            return Ok(t);
        }
        let lock = self.key_lock(key);
        let _guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let _store = self.store.lock_key(&key.storage_key())?;
        // Someone may have refreshed while we waited.
        let record = self.record(key)?;
        let current = record.token.clone();
        match &current {
            Some(t) if !t.needs_refresh(now, self.margin) => Ok(t.clone()),
            Some(t)
                if t.expires_at.is_some_and(|exp| now < exp)
                    && !self.may_refresh_early(&record, now) =>
            {
                Ok(t.clone())
            }
            // A refresh ahead of expiry that fails leaves the still-valid token in use.
            _ => self
                .fetch_counted(key, record, now, fetch)
                .or_else(|e| match current {
                    Some(t) if t.expires_at.is_some_and(|exp| now < exp) => Ok(t),
                    _ => Err(e),
                }),
        }
    }

    /// The platform rejected `stale`: replace it, unless another caller already did.
    pub fn replace_rejected(
        &self,
        key: &TokenKey,
        stale: &Secret,
        now: u64,
        fetch: Fetch<'_>,
    ) -> Result<Token, ApiError> {
        let lock = self.key_lock(key);
        let _guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let _store = self.store.lock_key(&key.storage_key())?;
        let record = self.record(key)?;
        match &record.token {
            Some(t) if &t.access_token != stale => Ok(t.clone()),
            _ => self.fetch_counted(key, record, now, fetch),
        }
    }

    /// Fetches with explicit consent to spend one of the day's fetches (the `auth` flows).
    pub fn fetch_now(&self, key: &TokenKey, now: u64, fetch: Fetch<'_>) -> Result<Token, ApiError> {
        let lock = self.key_lock(key);
        let _guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let _store = self.store.lock_key(&key.storage_key())?;
        let record = self.record(key)?;
        self.fetch_counted(key, record, now, fetch)
    }

    /// Stores a token that was fetched outside the manager (an authorisation-code exchange, whose
    /// key is known only from the answer) and counts the fetch.
    pub fn store_fetched(&self, key: &TokenKey, token: Token, now: u64) -> Result<(), ApiError> {
        let lock = self.key_lock(key);
        let _guard = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let _store = self.store.lock_key(&key.storage_key())?;
        let mut record = self.record(key)?;
        record.fetches.retain(|&t| t.saturating_add(DAY) > now);
        record.fetches.push(now);
        record.token = Some(token);
        self.store.save(&key.storage_key(), &record)
    }

    /// A refresh ahead of expiry is optional, so it may not use more than half the day's budget,
    /// nor come sooner than [`EARLY_REFRESH_COOLDOWN`] after the last attempt (an outage near
    /// expiry would otherwise spend a fetch on every call).
    fn may_refresh_early(&self, record: &TokenRecord, now: u64) -> bool {
        let cooled = record
            .fetches
            .last()
            .is_none_or(|&t| now >= t.saturating_add(EARLY_REFRESH_COOLDOWN));
        cooled && record.fetches_in_window(now) < self.daily_limit / 2
    }

    /// Must be called with the key's lock held.
    fn fetch_counted(
        &self,
        key: &TokenKey,
        mut record: TokenRecord,
        now: u64,
        fetch: Fetch<'_>,
    ) -> Result<Token, ApiError> {
        let used = record.fetches_in_window(now);
        if used >= self.daily_limit {
            return Err(ApiError::new(
                ApiErrorKind::TokenQuota {
                    used,
                    limit: self.daily_limit,
                },
                "",
            ));
        }
        record.fetches.retain(|&t| t.saturating_add(DAY) > now);
        record.fetches.push(now);
        let storage_key = key.storage_key();
        // Count the attempt before sending: a lost answer may still have been counted upstream.
        self.store.save(&storage_key, &record)?;
        let token = fetch(record.token.as_ref())?;
        record.token = Some(token.clone());
        self.store.save(&storage_key, &record)?;
        Ok(token)
    }

    fn key_lock(&self, key: &TokenKey) -> Arc<Mutex<()>> {
        let mut locks = self.locks.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(locks.entry(key.storage_key()).or_default())
    }
}

#[cfg(test)]
mod tests;
