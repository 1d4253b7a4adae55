//! `slipmark print TEMPLATE [--data F] --model M --machine-code C [--origin-id ID]`: render, send,
//! print the platform's job id. `--content-file F` sends a file's text as is instead.
//!
//! The `origin_id` (given or generated) is printed on stderr before sending: if the outcome is
//! unknown (answer lost after every retry), running again with `--origin-id` within 2 hours cannot
//! print twice.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use slipmark::cloud::OriginId;
use slipmark::printer::GENERIC_PRINTER;

use super::cloud_env::{self, CloudArgs};

/// Arguments of `print`.
#[derive(Debug, clap::Args)]
pub struct PrintArgs {
    /// The template to render.
    #[arg(required_unless_present = "content_file")]
    template: Option<PathBuf>,
    /// The order data (JSON; default: the template's sibling `.json`, if any).
    #[arg(long)]
    data: Option<PathBuf>,
    /// The printer model to render for (e.g. K4); required unless --content-file is given.
    #[arg(long, required_unless_present = "content_file", value_name = "MODEL")]
    model: Option<String>,
    /// The printer's machine code (终端号).
    #[arg(long)]
    machine_code: String,
    /// The job's idempotency key (1–32 letters and digits; default: generated).
    #[arg(long)]
    origin_id: Option<String>,
    /// A TOML or JSON file of model records that add to or correct the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// Refuse to send when the render has any warning (a setting the model skips, a degraded
    /// style, a stand-in character).
    #[arg(long)]
    deny_warnings: bool,
    /// Send this file's text as the content as is, instead of rendering a template.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["template", "data", "model", "catalogue", "deny_warnings", "include_root"])]
    content_file: Option<PathBuf>,
    /// The folder includes are confined to (default: the template's folder).
    #[arg(long, value_name = "DIR")]
    include_root: Option<PathBuf>,
    #[command(flatten)]
    cloud: CloudArgs,
}

/// Runs `print`.
pub fn run(args: PrintArgs) -> ExitCode {
    let contents = match content(&args) {
        Ok(c) => c,
        Err(m) => return cloud_env::fail(&m),
    };
    let origin_id = match args.origin_id.as_deref().map(OriginId::new).transpose() {
        Ok(id) => id.unwrap_or_else(OriginId::generate),
        Err(e) => return cloud_env::report(&e),
    };
    let client = match cloud_env::client(&args.cloud, Some(&args.machine_code)) {
        Ok(c) => c,
        Err(m) => return cloud_env::fail(&m),
    };
    eprintln!("origin_id: {origin_id}");
    if contents.len() > 1 {
        eprintln!("the receipt is {} jobs, sent in order", contents.len());
    }
    for (k, content) in contents.iter().enumerate() {
        let id = match derived_id(&origin_id, k + 1) {
            Ok(id) => id,
            Err(e) => return cloud_env::report(&e),
        };
        match client.print_text(&args.machine_code, content, &id) {
            Ok(job) => println!("{}", job.id),
            Err(e) => {
                let code = cloud_env::report(&e);
                if k > 0 {
                    eprintln!("note: jobs 1–{k} of {} were accepted", contents.len());
                }
                if e.outcome_unknown() || k > 0 {
                    eprintln!(
                        "note: to finish without printing any job twice, run again with \
                         --origin-id {origin_id} within 2 hours"
                    );
                }
                return code;
            }
        }
    }
    ExitCode::SUCCESS
}

/// The id of job `k` (from 1) of a receipt sent as several jobs: the caller's id for the first,
/// then the id with `j2`, `j3`… appended (cut to keep 32 characters), so a retry with the same
/// origin id de-duplicates every job.
fn derived_id(origin: &OriginId, k: usize) -> Result<OriginId, slipmark::cloud::ApiError> {
    if k == 1 {
        return Ok(origin.clone());
    }
    let suffix = format!("j{k}");
    let keep = OriginId::MAX_LEN
        .saturating_sub(suffix.len())
        .min(origin.as_str().len());
    OriginId::new(format!("{}{suffix}", &origin.as_str()[..keep]))
}

fn content(args: &PrintArgs) -> Result<Vec<String>, String> {
    if let Some(path) = &args.content_file {
        return std::fs::read_to_string(path)
            .map(|c| vec![c])
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()));
    }
    let (Some(template), Some(model)) = (&args.template, &args.model) else {
        return Err("give a TEMPLATE and --model, or --content-file".into());
    };
    render_content(
        template,
        args.data.as_deref(),
        model,
        args.catalogue.as_ref(),
        args.deny_warnings,
        args.include_root.as_deref(),
    )
}

/// Renders `template` with its data for `model` into the `content` the print API takes: the one
/// seam between rendering and the cloud client. Same defaults as `slipmark render --format
/// content` (data from `--data`, else the sibling `.json`, else `{}`; the template's paper, else
/// the model's; a setting the model cannot honour is skipped with a warning, an error with
/// `--deny-warnings`), so
/// both give the same bytes and nothing is sent that the model cannot print.
fn render_content(
    template: &Path,
    data: Option<&Path>,
    model: &str,
    catalogue: Option<&PathBuf>,
    deny_warnings: bool,
    include_root: Option<&Path>,
) -> Result<Vec<String>, String> {
    let show = |e: slipmark::Error| format!("{e:#}");
    let catalogue = super::models::load_catalogue(catalogue).map_err(show)?;
    let printer = catalogue.printer(model).map_err(show)?;
    if printer.model().id == GENERIC_PRINTER {
        return Err(
            "`generic` is a preview profile, not a printer: name the printer's model".into(),
        );
    }
    if printer.model().dialect != slipmark::backend::DialectName::Yilianyun {
        return Err(format!(
            "`print` sends to the Yilianyun cloud; the {} is a {} printer: render it with \
             `slipmark render --format content` and send that with the vendor's API",
            printer.model().name,
            printer.model().dialect.name()
        ));
    }
    let tpl = super::environment(template, include_root)
        .template_from_file(template)
        .map_err(show)?;
    let data = super::template_data(template, data).map_err(show)?;
    let options = super::render_options(deny_warnings);
    let job = tpl
        .render_json_with(data.as_json(), &printer, options)
        .map_err(show)?;
    super::print_warnings(&job.warnings, super::report::MessageFormat::Short);
    job.outputs()
        .map(|o| {
            o.as_text()
                .map(str::to_string)
                .ok_or_else(|| format!("the {} takes bytes, not text content", job.printer))
        })
        .collect()
}
