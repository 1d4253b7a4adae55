//! `slipmark check FILE… [--data FILE.json] [--model M]… [--all-models] [--deny-warnings]
//! [--message-format human|short|json]`: report every error, exit 1 if any.
//!
//! Without a model, `check` compiles each template (syntax, filters, constant settings such as
//! `copies: 12`, code data written in the template) and binds it to its data: `--data` if
//! given, else the template's own sibling `.json` (`a.slip` → `a.json`), each template to its
//! own; a template with neither is only compiled. With `--model M` (repeatable) or
//! `--all-models`, each template is also rendered fully for each model, so what a model cannot
//! print (a code kind it lacks, data too long for it) is reported too. Warnings are printed;
//! `--deny-warnings` makes any warning fail the check.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use slipmark::printer::RenderOptions;
use slipmark::{Environment, Error, Template, Warning};

use super::report::{self, MessageFormat};

/// Arguments of `check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Template files to check.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// Bind every template to this JSON data (default: each template's sibling `.json`).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Also render for this printer model and report what it cannot print (repeatable).
    #[arg(long = "model", value_name = "MODEL")]
    models: Vec<String>,
    /// Also render for every model of the catalogue.
    #[arg(long, conflicts_with = "models")]
    all_models: bool,
    /// A TOML or JSON file of model records that add to or correct the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// Fail on any warning too.
    #[arg(long)]
    deny_warnings: bool,
    /// How diagnostics are printed on stderr.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// The folder includes are confined to (default: each template's folder).
    #[arg(long, value_name = "DIR")]
    include_root: Option<PathBuf>,
}

/// Runs `check`.
pub fn run(args: CheckArgs) -> ExitCode {
    let format = args.message_format;
    let printers = match printers(&args) {
        Ok(p) => p,
        Err(e) => {
            report::error(&e, format);
            return ExitCode::FAILURE;
        }
    };
    let mut failed = false;
    for file in &args.files {
        let env = super::environment(file, args.include_root.as_deref());
        let (errors, warnings) = check_file(&env, file, args.data.as_deref(), &printers);
        for w in &warnings {
            report::warning(w, format);
        }
        for e in &errors {
            report::error(e, format);
        }
        failed |= !errors.is_empty() || (args.deny_warnings && !warnings.is_empty());
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The printers to render for: `--model`s, or every model with `--all-models`.
fn printers(args: &CheckArgs) -> Result<Vec<slipmark::printer::Printer>, Error> {
    if args.models.is_empty() && !args.all_models {
        return Ok(Vec::new());
    }
    let catalogue = super::models::load_catalogue(args.catalogue.as_ref())?;
    if args.all_models {
        let ids: Vec<String> = catalogue.models().iter().map(|m| m.id.clone()).collect();
        ids.iter().map(|id| catalogue.printer(id)).collect()
    } else {
        args.models.iter().map(|m| catalogue.printer(m)).collect()
    }
}

fn check_file(
    env: &Environment,
    file: &Path,
    data: Option<&Path>,
    printers: &[slipmark::printer::Printer],
) -> (Vec<Error>, Vec<Warning>) {
    let template = match env.compile_file(file) {
        Err(errors) => return (errors, Vec::new()),
        Ok(t) => t,
    };
    let mut warnings = template.warnings().to_vec();
    let sibling = file.with_extension("json");
    let data = match data {
        Some(path) => Some(super::read_json(path)),
        None if sibling.is_file() => Some(super::read_json(&sibling)),
        None if printers.is_empty() => None,
        None => Some(slipmark::Data::from_json_str(
            "{}",
            &slipmark::Budgets::default(),
        )),
    };
    let data = match data {
        None => return (Vec::new(), warnings),
        Some(Err(e)) => return (vec![e], warnings),
        Some(Ok(d)) => d,
    };
    let errors = template.check_json(data.as_json());
    if !errors.is_empty() {
        return (errors, warnings);
    }
    let mut errors = Vec::new();
    for printer in printers {
        render(&template, &data, printer, &mut errors, &mut warnings);
    }
    (errors, warnings)
}

/// Renders for one printer, adding its error or its warnings (those not already reported by
/// another model).
fn render(
    template: &Template,
    data: &slipmark::Data,
    printer: &slipmark::printer::Printer,
    errors: &mut Vec<Error>,
    warnings: &mut Vec<Warning>,
) {
    match template.render_json_with(data.as_json(), printer, RenderOptions::default()) {
        Ok(job) => {
            for w in job.warnings {
                if !warnings
                    .iter()
                    .any(|k| k.message == w.message && k.span == w.span)
                {
                    warnings.push(w);
                }
            }
        }
        Err(e) => {
            let all =
                template.render_json_errors(data.as_json(), printer, RenderOptions::default());
            if all.is_empty() {
                errors.push(e);
            } else {
                errors.extend(all);
            }
        }
    }
}
