//! `slipmark auth …`: the token flows. Codes and keys are read from standard input, never from
//! flags (which show in `ps`).

use std::io::BufRead;
use std::process::ExitCode;

use slipmark::cloud::request::authorize_url;
use slipmark::cloud::{PrinterKey, Secret, Token};

use super::cloud_env::{self, CloudArgs};

/// Arguments of `auth`.
#[derive(Debug, clap::Args)]
pub struct AuthArgs {
    #[command(subcommand)]
    flow: Flow,
}

#[derive(Debug, clap::Subcommand)]
enum Flow {
    /// Own-app mode: fetch the app's token now (spends one of the 20 fetches a day).
    Token {
        #[command(flatten)]
        cloud: CloudArgs,
    },
    /// Open-app mode: print the URL a merchant opens to authorise the app.
    Url {
        /// Where the platform sends the merchant back with `code` and `state`.
        #[arg(long)]
        redirect_uri: String,
        /// The `state` to expect back (default: a fresh random one, printed on stderr).
        #[arg(long)]
        state: Option<String>,
        #[command(flatten)]
        cloud: CloudArgs,
    },
    /// Open-app mode: exchange the `code` from the redirect (read from stdin) for a printer's token.
    Code {
        #[command(flatten)]
        cloud: CloudArgs,
    },
    /// Open-app mode: authorise a printer with its QR `qr_key` (or, with --msign, its label's
    /// `msign`), read from stdin.
    Scan {
        /// The printer's machine code.
        #[arg(long)]
        machine_code: String,
        /// Stdin holds the printer's `msign` instead of a `qr_key`.
        #[arg(long)]
        msign: bool,
        #[command(flatten)]
        cloud: CloudArgs,
    },
    /// Refresh the token now (spends one of the 20 fetches a day).
    Refresh {
        /// The printer (open-app mode).
        #[arg(long)]
        machine_code: Option<String>,
        #[command(flatten)]
        cloud: CloudArgs,
    },
    /// Show what the token store holds for the app or a printer (no secrets).
    Show {
        /// The printer (open-app mode).
        #[arg(long)]
        machine_code: Option<String>,
        #[command(flatten)]
        cloud: CloudArgs,
    },
}

fn read_stdin_line(what: &str) -> Result<Secret, String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| format!("cannot read {what}: {e}"))?;
    let value = line.trim();
    if value.is_empty() {
        return Err(format!("expected the {what} on standard input"));
    }
    Ok(Secret::new(value))
}

fn describe(token: &Token) -> String {
    let when = |t: Option<u64>| t.map_or("never".to_owned(), |s| format!("at {s} (Unix seconds)"));
    format!(
        "access token expires {}; refresh token {}",
        when(token.expires_at),
        if token.refresh_token.is_some() {
            format!("expires {}", when(token.refresh_expires_at))
        } else {
            "none".into()
        }
    )
}

/// Runs `auth`.
pub fn run(args: AuthArgs) -> ExitCode {
    match run_flow(args.flow) {
        Ok(code) => code,
        Err(m) => cloud_env::fail(&m),
    }
}

fn run_flow(flow: Flow) -> Result<ExitCode, String> {
    Ok(match flow {
        Flow::Token { cloud } => {
            let client = cloud_env::client(&cloud, None)?;
            match client.fetch_app_token() {
                Ok(t) => println!(
                    "stored in {}: {}",
                    cloud_env::token_store_path().display(),
                    describe(&t)
                ),
                Err(e) => return Ok(cloud_env::report(&e)),
            }
            ExitCode::SUCCESS
        }
        Flow::Url {
            redirect_uri,
            state,
            cloud,
        } => {
            let client = cloud_env::client(&cloud, None)?;
            let state = state.unwrap_or_else(|| slipmark::cloud::OriginId::generate().to_string());
            eprintln!("state: {state} (check it when the platform redirects back)");
            let id = std::env::var("YLY_CLIENT_ID").unwrap_or_default();
            println!(
                "{}",
                authorize_url(client.base(), &id, &redirect_uri, &state)
            );
            ExitCode::SUCCESS
        }
        Flow::Code { mut cloud } => {
            cloud.open_app();
            let client = cloud_env::client(&cloud, None)?;
            let code = read_stdin_line("authorisation code")?;
            match client.exchange_code(&code) {
                Ok((machine_code, t)) => {
                    println!("printer {machine_code} authorised: {}", describe(&t))
                }
                Err(e) => return Ok(cloud_env::report(&e)),
            }
            ExitCode::SUCCESS
        }
        Flow::Scan {
            machine_code,
            msign,
            mut cloud,
        } => {
            cloud.open_app();
            let client = cloud_env::client(&cloud, Some(&machine_code))?;
            let secret = read_stdin_line(if msign { "msign" } else { "qr_key" })?;
            let key = if msign {
                PrinterKey::Msign(secret)
            } else {
                PrinterKey::QrKey(secret)
            };
            match client.scan_code(&machine_code, &key) {
                Ok(t) => println!("printer {machine_code} authorised: {}", describe(&t)),
                Err(e) => return Ok(cloud_env::report(&e)),
            }
            ExitCode::SUCCESS
        }
        Flow::Refresh {
            machine_code,
            cloud,
        } => {
            let client = cloud_env::client(&cloud, machine_code.as_deref())?;
            match client.refresh_token(machine_code.as_deref()) {
                Ok(t) => println!("refreshed: {}", describe(&t)),
                Err(e) => return Ok(cloud_env::report(&e)),
            }
            ExitCode::SUCCESS
        }
        Flow::Show {
            machine_code,
            cloud,
        } => {
            let client = cloud_env::client(&cloud, machine_code.as_deref())?;
            let key = client
                .key_for(machine_code.as_deref())
                .map_err(|e| e.to_string())?;
            let record = client.tokens().record(&key).map_err(|e| e.to_string())?;
            println!("store: {}", cloud_env::token_store_path().display());
            println!("key: {}", key.storage_key());
            match &record.token {
                Some(t) => println!("token: yes; {}", describe(t)),
                None => println!("token: none"),
            }
            println!(
                "fetches in the last 24 h: {} of 20",
                record.fetches_in_window(client.now())
            );
            ExitCode::SUCCESS
        }
    })
}
