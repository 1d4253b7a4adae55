//! `slipmark render TEMPLATE [--data FILE] [--model NAME] [--paper 58mm|80mm|N]
//! [--format preview|content|json] [--lenient-sound] [--catalogue FILE]`: bind a template to data,
//! render it for one printer and print the preview, the printer's content, or both as JSON.
//!
//! Every format renders for the same printer: `--model`, else [`DEFAULT_PRINTER`]; `--model
//! generic` is the model-free preview profile. The paper is `--paper`, else the template's front
//! matter `paper:`, else the model's default paper (decided by `Printer::paper_columns`). Data
//! defaults to the template's sibling `.json` (`takeaway.slip` → `takeaway.json`), or to an empty
//! object when there is none. A `voice:` or `reminder:` the model lacks is an error, as
//! everything the model lacks is; `--lenient-sound` makes those two a warning (the order then
//! prints silently). Warnings go to stderr with their template position; the output goes to
//! stdout; any error exits with status 1 and prints nothing on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use slipmark::document::Paper;
use slipmark::printer::{DEFAULT_PRINTER, JobSummary, RenderOptions};
use slipmark::{Error, ErrorKind, Warning};

use super::check::print_error;

/// What `render` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The paper as monospace text (CJK at double width).
    Preview,
    /// The `content` string the model's print API takes.
    Content,
    /// Content, preview, warnings and job settings as one JSON object.
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
    /// Print without a `voice:` or `reminder:` the model lacks (a warning) instead of failing.
    #[arg(long)]
    lenient_sound: bool,
    /// A TOML or JSON file of model records that add to or correct the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// The folder includes are confined to (default: the template's folder).
    #[arg(long, value_name = "DIR")]
    include_root: Option<PathBuf>,
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    Paper::parse(s)
        .ok_or_else(|| format!("`{s}` is not a paper width (58mm, 80mm or 8–255 columns)"))
}

#[derive(Serialize)]
struct JsonOut<'a> {
    model: &'a str,
    columns: u16,
    content: &'a str,
    preview: String,
    warnings: &'a [Warning],
    settings: &'a JobSummary,
}

/// Runs `render`.
pub fn run(args: RenderArgs) -> ExitCode {
    match render(&args) {
        Ok(out) => {
            print!("{out}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            print_error(&e);
            ExitCode::FAILURE
        }
    }
}

fn render(args: &RenderArgs) -> Result<String, Error> {
    let catalogue = super::models::load_catalogue(args.catalogue.as_ref())?;
    let printer = catalogue.printer(&args.model)?;
    let env = super::environment(&args.template, args.include_root.as_deref());
    let template = env.template_from_file(&args.template)?;
    let data = super::template_data(&args.template, args.data.as_deref())?;
    let mut options =
        RenderOptions::default().missing_sound(super::missing_sound(args.lenient_sound));
    if let Some(paper) = args.paper {
        options = options.paper(paper);
    }
    let job = template.render_with(&data, &printer, options)?;
    super::print_warnings(&template, &job.warnings);
    Ok(match args.format {
        Format::Preview => job.preview_text(),
        Format::Content => content(&job)?.to_string(),
        Format::Json => {
            let json = JsonOut {
                model: &job.printer,
                columns: job.frame.columns,
                content: content(&job)?,
                preview: job.preview_text(),
                warnings: &job.warnings,
                settings: &job.settings,
            };
            let mut s = serde_json::to_string_pretty(&json)
                .map_err(|e| Error::new(ErrorKind::Data, format!("cannot write json: {e}")))?;
            s.push('\n');
            s
        }
    })
}

/// The job's text content (every dialect of the catalogue prints text today).
fn content(job: &slipmark::printer::Job) -> Result<&str, Error> {
    job.content().ok_or_else(|| {
        Error::new(
            ErrorKind::Model,
            format!(
                "the {} takes bytes, not text: use --format preview",
                job.printer
            ),
        )
    })
}
