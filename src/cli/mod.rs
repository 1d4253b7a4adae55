//! Subcommands: one file each.

mod check;
mod models;
mod render;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use slipmark::{Error, ErrorKind};

/// Receipt templates to exact cloud-printer content.
#[derive(Debug, Parser)]
#[command(name = "slipmark", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check templates (and, with --data, bind them to sample data); report every error.
    Check(check::CheckArgs),
    /// List the printer models: paper, capabilities, and which are assumed.
    Models(models::ModelsArgs),
    /// Render a template for one printer model: its content, a preview, or both as JSON.
    Render(render::RenderArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Models(args) => models::run(args),
        Command::Render(args) => render::run(args),
    }
}

/// Reads a JSON data file.
pub fn read_json(path: &Path) -> Result<serde_json::Value, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read `{}`: {e}", path.display()),
        )
    })?;
    serde_json::from_str(&text).map_err(|e| {
        Error::new(
            ErrorKind::Data,
            format!("`{}` is not valid JSON: {e}", path.display()),
        )
    })
}
