//! `slipmark status --machine-code C`: is the printer online, offline or out of paper.

use std::process::ExitCode;

use super::cloud_env::{self, CloudArgs};

/// Arguments of `status`.
#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    /// The printer's machine code (终端号).
    #[arg(long)]
    machine_code: String,
    #[command(flatten)]
    cloud: CloudArgs,
}

/// Runs `status`: prints `online`, `offline` or `out of paper`.
pub fn run(args: StatusArgs) -> ExitCode {
    let client = match cloud_env::client(&args.cloud, Some(&args.machine_code)) {
        Ok(c) => c,
        Err(m) => return cloud_env::fail(&m),
    };
    match client.print_status(&args.machine_code) {
        Ok(state) => {
            println!("{}", state.name());
            ExitCode::SUCCESS
        }
        Err(e) => cloud_env::report(&e),
    }
}
