//! `slipmark print TEMPLATE [--data F] --model M --machine-code C [--origin-id ID]`: render, send,
//! print the platform's job id.
//!
//! The `origin_id` (given or generated) is printed on stderr before sending: if the outcome is
//! unknown (answer lost after every retry), running again with `--origin-id` within 2 hours cannot
//! print twice.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use slipmark::cloud::OriginId;

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
    /// The printer model to render for (e.g. K4).
    #[arg(long, required_unless_present = "content_file")]
    model: Option<String>,
    /// The printer's machine code (终端号).
    #[arg(long)]
    machine_code: String,
    /// The job's idempotency key (1–32 letters and digits; default: generated).
    #[arg(long)]
    origin_id: Option<String>,
    /// Send this file's bytes as the content instead of rendering a template.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["template", "data", "model"])]
    content_file: Option<PathBuf>,
    #[command(flatten)]
    cloud: CloudArgs,
}

/// Runs `print`.
pub fn run(args: PrintArgs) -> ExitCode {
    let content = match content(&args) {
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
    match client.print_text(&args.machine_code, &content, &origin_id) {
        Ok(job) => {
            println!("{}", job.id);
            ExitCode::SUCCESS
        }
        Err(e) => {
            let code = cloud_env::report(&e);
            if e.outcome_unknown() {
                eprintln!(
                    "note: the job may have been accepted; to retry without printing twice, run \
                     again with --origin-id {origin_id} within 2 hours"
                );
            }
            code
        }
    }
}

fn content(args: &PrintArgs) -> Result<String, String> {
    if let Some(path) = &args.content_file {
        return std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read `{}`: {e}", path.display()));
    }
    let (Some(template), Some(model)) = (&args.template, &args.model) else {
        return Err("give a TEMPLATE and --model, or --content-file".into());
    };
    // Data as `render` finds it: --data, else the sibling `.json`, else an empty object.
    let sibling = template.with_extension("json");
    let data = match &args.data {
        Some(path) => super::read_json(path),
        None if sibling.is_file() => super::read_json(&sibling),
        None => Ok(serde_json::Value::Object(serde_json::Map::new())),
    }
    .map_err(|e| format!("{e:#}"))?;
    render_content(template, &data, model)
}

/// Renders `template` with `data` into the content for `model`: the one seam between the
/// rendering API and the cloud client.
fn render_content(
    template: &Path,
    data: &serde_json::Value,
    model: &str,
) -> Result<String, String> {
    let env = slipmark::Environment::new();
    let tpl = env
        .template_from_file(template)
        .map_err(|e| format!("{e:#}"))?;
    tpl.bind(data).map_err(|e| format!("{e:#}"))?;
    // Layout and lowering to a model's content have not landed yet; until they do, send
    // pre-rendered content with --content-file.
    Err(format!(
        "rendering `{}` for {model} is not available in this build yet; use --content-file",
        template.display()
    ))
}
