//! Subcommands: one file each.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod models;

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
    /// List the printer models: paper, capabilities, and which are assumed.
    Models(models::ModelsArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Version => {
            println!("slipmark {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        Command::Models(args) => models::run(args),
    }
}
