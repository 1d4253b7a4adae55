//! `slipmark render TEMPLATE [--data FILE] [--model NAME] [--paper 58mm|80mm|N]
//! [--format preview|content|json] [--deny-warnings] [--catalogue FILE]`: bind a template to data,
//! render it for one printer and print the preview, the printer's content, or both as JSON.
//!
//! Every format renders for the same printer: `--model`, else [`DEFAULT_PRINTER`]; `--model
//! generic` is the model-free preview profile. The paper is `--paper`, else the template's front
//! matter `paper:`, else the model's default paper (decided by `Printer::paper_columns`). Data
//! defaults to the template's sibling `.json` (`takeaway.slip` → `takeaway.json`), or to an empty
//! object when there is none. A setting the model cannot honour and whose loss prints nothing
//! less (`cut:`, `voice:`, `volume:`, `reminder:`, `sound:`, `confirm:`) is skipped with a
//! warning; anything that would print less is an error; `--deny-warnings` makes every warning
//! an error. Warnings go to stderr with their template position; the output goes to stdout
//! (bytes, for an ESC/POS printer with `--format content`); any error exits with status 1 and
//! prints nothing on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use slipmark::document::Paper;
use slipmark::printer::{DEFAULT_PRINTER, JobSummary, Output};
use slipmark::{Environment, Error, ErrorKind, Warning};

use super::check::print_error;

/// What `render` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The paper as monospace text (CJK at double width).
    Preview,
    /// What the printer takes: the `content` string of a cloud print API, or the raw bytes of
    /// an ESC/POS printer (binary: redirect it to a file or a device).
    Content,
    /// Content, preview, warnings and job settings as one JSON object (bytes as `content_base64`
    /// and a readable `content_escaped` dump).
    Json,
}

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The template file.
    template: PathBuf,
    /// JSON data (default: the template's sibling `.json`, if any).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Printer model: a family id or a model number such as K4-WA (`slipmark models` lists
    /// them), or `generic` for a preview with no model's limits. Every format uses it.
    #[arg(long, default_value = DEFAULT_PRINTER)]
    model: String,
    /// Paper width: `58mm`, `80mm` or a number of columns (default: the template's `paper:`
    /// setting, else the model's paper).
    #[arg(long, value_parser = parse_paper)]
    paper: Option<Paper>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Preview)]
    format: Format,
    /// Fail on any warning (a setting the model skips, a degraded style, a stand-in character)
    /// instead of printing it.
    #[arg(long)]
    deny_warnings: bool,
    /// A TOML or JSON file of model records that add to or correct the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    Paper::parse(s)
        .ok_or_else(|| format!("`{s}` is not a paper width (58mm, 80mm or 8–255 columns)"))
}

#[derive(Serialize)]
struct JsonOut<'a> {
    model: &'a str,
    columns: u16,
    /// The text content; `null` for a printer that takes bytes.
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_base64: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_escaped: Option<String>,
    preview: String,
    warnings: &'a [Warning],
    settings: &'a JobSummary,
    /// The further jobs of a receipt split into several (absent when it fits one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    more: Vec<MoreOut<'a>>,
}

#[derive(Serialize)]
struct MoreOut<'a> {
    content: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_base64: Option<String>,
    settings: &'a JobSummary,
}

/// Runs `render`.
pub fn run(args: RenderArgs) -> ExitCode {
    match render(&args) {
        Ok(Rendered::Text(out)) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Ok(Rendered::Bytes(bytes)) => {
            use std::io::Write as _;
            let mut stdout = std::io::stdout().lock();
            match stdout.write_all(&bytes).and_then(|()| stdout.flush()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: cannot write the bytes to stdout: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Err(e) => {
            print_error(&e);
            ExitCode::FAILURE
        }
    }
}

/// What `render` writes to stdout.
enum Rendered {
    Text(String),
    Bytes(Vec<u8>),
}

fn render(args: &RenderArgs) -> Result<Rendered, Error> {
    let catalogue = super::models::load_catalogue(args.catalogue.as_ref())?;
    let printer = catalogue.printer(&args.model)?;
    let template = Environment::new().template_from_file(&args.template)?;
    let data = super::template_data(&args.template, args.data.as_deref())?;
    let mut options = super::render_options(args.deny_warnings);
    if let Some(paper) = args.paper {
        options = options.paper(paper);
    }
    let job = template.render_with(&data, &printer, options)?;
    super::print_warnings(&template, &job.warnings);
    Ok(match args.format {
        Format::Preview => Rendered::Text(job.preview_text()),
        Format::Content if job.job_count() > 1 => {
            return Err(Error::new(
                ErrorKind::Model,
                format!(
                    "the receipt does not fit one job on the {}: it is {} jobs",
                    job.printer,
                    job.job_count()
                ),
            )
            .with_hint("use --format json (`content`, then `more`), or `slipmark print`, which sends them in order"));
        }
        Format::Content => match &job.output {
            Output::Text(text) => Rendered::Text(text.clone()),
            other => Rendered::Bytes(other.as_bytes().to_vec()),
        },
        Format::Json => {
            let bytes = job.content().is_none();
            let json = JsonOut {
                model: &job.printer,
                columns: job.frame.columns,
                content: job.content(),
                content_base64: bytes.then(|| job.output.to_base64()),
                content_escaped: bytes.then(|| job.output.escaped()),
                preview: job.preview_text(),
                warnings: &job.warnings,
                settings: &job.settings,
                more: job
                    .more
                    .iter()
                    .map(|p| MoreOut {
                        content: p.output.as_text(),
                        content_base64: p.output.as_text().is_none().then(|| p.output.to_base64()),
                        settings: &p.settings,
                    })
                    .collect(),
            };
            let mut s = serde_json::to_string_pretty(&json)
                .map_err(|e| Error::new(ErrorKind::Data, format!("cannot write json: {e}")))?;
            s.push('\n');
            Rendered::Text(s)
        }
    })
}
