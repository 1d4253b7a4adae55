//! What the cloud subcommands share: credentials and the token store from the environment, the
//! `--api-base` and `--open-app` options, and error reporting.
//!
//! Secrets come only from the environment (`YLY_CLIENT_ID`, `YLY_CLIENT_SECRET`, optional
//! `YLY_ACCESS_TOKEN`), never from flags, which other users can read in `ps`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use slipmark::cloud::{
    ApiBase, ApiError, AuthMode, Client, Credentials, FileTokenStore, HttpTransport, Secret, Token,
};

/// Where the cloud commands find credentials and tokens, for `--help`.
pub const ENV_HELP: &str = "Environment:
  YLY_CLIENT_ID, YLY_CLIENT_SECRET  the app's credentials (required)
  YLY_ACCESS_TOKEN                  a token to use instead of the stored one (optional)
  SLIPMARK_TOKEN_STORE              the token file (default: $XDG_CONFIG_HOME/slipmark/tokens.json
                                    or ~/.config/slipmark/tokens.json, written owner-only)";

/// Options shared by the commands that talk to the platform.
#[derive(Debug, Clone, clap::Args)]
pub struct CloudArgs {
    /// The API base: v1, v2, overseas-v1, overseas-v2, alt-v2, or a URL (default v2).
    #[arg(long, value_name = "URL")]
    api_base: Option<String>,
    /// Open-app mode: one token per printer (default: own-app mode, one token per client id).
    #[arg(long)]
    open_app: bool,
}

impl CloudArgs {
    /// Switches to open-app mode (the flows that only exist there).
    pub fn open_app(&mut self) {
        self.open_app = true;
    }
}

/// The token file: `$SLIPMARK_TOKEN_STORE`, else `$XDG_CONFIG_HOME/slipmark/tokens.json`, else
/// `~/.config/slipmark/tokens.json`.
pub fn token_store_path() -> PathBuf {
    let var = |name: &str| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    if let Some(p) = var("SLIPMARK_TOKEN_STORE") {
        return p;
    }
    let config = var("XDG_CONFIG_HOME")
        .or_else(|| var("HOME").map(|h| h.join(".config")))
        .unwrap_or_else(|| PathBuf::from("."));
    config.join("slipmark").join("tokens.json")
}

fn env_var(name: &str) -> Result<String, String> {
    match std::env::var(name) {
        Ok(v) if !v.is_empty() => Ok(v),
        _ => Err(format!(
            "set {name} in the environment (the app's credentials from dev.10ss.net)"
        )),
    }
}

/// The client from the environment and the options. A `YLY_ACCESS_TOKEN` is written to the token
/// store (for the key the call will use) unless the store already holds it.
pub fn client(args: &CloudArgs, machine_code: Option<&str>) -> Result<Client, String> {
    let credentials = Credentials::new(env_var("YLY_CLIENT_ID")?, env_var("YLY_CLIENT_SECRET")?);
    let base = args
        .api_base
        .as_deref()
        .map(ApiBase::parse)
        .unwrap_or_default();
    let mode = if args.open_app {
        AuthMode::OpenApp
    } else {
        AuthMode::OwnApp
    };
    let client = Client::builder(credentials, Arc::new(HttpTransport::default()))
        .base(base)
        .mode(mode)
        .token_store(Arc::new(FileTokenStore::new(token_store_path())))
        .build();
    if let Ok(token) = std::env::var("YLY_ACCESS_TOKEN").map(Secret::new) {
        if !token.expose().is_empty() {
            let key = client.key_for(machine_code).map_err(|e| e.to_string())?;
            let stored = client
                .tokens()
                .record(&key)
                .map_err(|e| e.to_string())?
                .token;
            if stored.map(|t| t.access_token) != Some(token.clone()) {
                client
                    .tokens()
                    .put(&key, Token::external(token, client.now()))
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(client)
}

/// Prints an API error with advice for its group, and returns the failure code.
pub fn report(e: &ApiError) -> ExitCode {
    eprintln!("error: {e}");
    use slipmark::cloud::ErrorGroup as G;
    let hint = match e.group() {
        G::Credentials => "check YLY_CLIENT_ID / YLY_CLIENT_SECRET, or run `slipmark auth`",
        G::BadRequest => "the request was refused as malformed",
        G::Printer => "the printer refused: check it is bound, online and supports this",
        G::Permission => "the app is not allowed to do this",
        G::Server | G::Transport => "the platform could not be reached or failed; try again later",
        _ => "",
    };
    if !hint.is_empty() {
        eprintln!("hint: {hint}");
    }
    ExitCode::FAILURE
}

/// Prints a plain failure message.
pub fn fail(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::FAILURE
}
