//! `slipmark check FILE… [--data FILE.json]`: report every error, exit 1 if any.

use std::path::PathBuf;
use std::process::ExitCode;

use slipmark::{Environment, Error};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Template files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Also bind each template to this JSON data and report binding errors.
    #[arg(long)]
    data: Option<PathBuf>,
    /// The folder includes are confined to (default: each template's folder).
    #[arg(long, value_name = "DIR")]
    include_root: Option<PathBuf>,
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let data = match &args.data {
        Some(path) => match super::read_json(path) {
            Ok(v) => Some(v),
            Err(e) => {
                eprintln!("{e:#}");
                return ExitCode::FAILURE;
            }
        },
        None => None,
    };
    let mut failed = false;
    for file in &args.files {
        let env = super::environment(file, args.include_root.as_deref());
        let errors = check_file(&env, file, data.as_ref());
        for e in &errors {
            print_error(e);
        }
        failed |= !errors.is_empty();
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn check_file(env: &Environment, file: &PathBuf, data: Option<&slipmark::Data>) -> Vec<Error> {
    match env.compile_file(file) {
        Err(errors) => errors,
        Ok(template) => match data {
            Some(d) => template.check(d),
            None => Vec::new(),
        },
    }
}

/// Prints `FILE:LINE:COL: message` and the snippet.
pub fn print_error(e: &Error) {
    match e.location() {
        Some((name, line, col)) => eprintln!("{name}:{line}:{col}: {}", e.message()),
        None => eprintln!("error: {}", e.message()),
    }
    eprintln!("{e:#}");
}
