//! Subcommands: one file each.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Receipt templates to exact cloud-printer content.
#[derive(Debug, Parser)]
#[command(name = "slipmark", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print the version.
    Version,
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Version => {
            println!("slipmark {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
    }
}
