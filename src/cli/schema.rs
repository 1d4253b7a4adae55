//! `slipmark schema TEMPLATE`: print the JSON Schema (2020-12) of the data the template reads.

use std::path::PathBuf;
use std::process::ExitCode;

use slipmark::Environment;

use super::report::{self, MessageFormat};

/// Arguments of `schema`.
#[derive(Debug, clap::Args)]
pub struct SchemaArgs {
    /// The template file.
    template: PathBuf,
}

/// Runs `schema`.
pub fn run(args: SchemaArgs) -> ExitCode {
    match Environment::new().template_from_file(&args.template) {
        Ok(t) => {
            let mut s = serde_json::to_string_pretty(&t.data_schema()).unwrap_or_default();
            s.push('\n');
            print!("{s}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            report::error(&e, MessageFormat::Human);
            ExitCode::FAILURE
        }
    }
}
