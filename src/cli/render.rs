//! `slipmark render TEMPLATE [--data FILE] [--model NAME] [--paper 58mm|80mm|N]
//! [--format preview|content|json|svg|png] [--out FILE] [--deny-warnings] [--catalogue FILE]`: bind a template to data,
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
use slipmark::printer::{DEFAULT_PRINTER, JobSummary};
use slipmark::{Error, ErrorKind, Warning};

use super::report::{self, MessageFormat};

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
    /// The paper as a self-contained SVG picture (real codes, scaled text).
    Svg,
    /// The paper as a PNG picture (the SVG drawn with the system's CJK fonts).
    Png,
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
    /// How diagnostics are printed on stderr.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Write the output to FILE instead of stdout (`--format png` needs it unless stdout is
    /// redirected).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
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
    let result = render(&args)
        .and_then(|out| super::picture::write_out(args.out.as_deref(), &out).map_err(|e| vec![e]));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(errors) => {
            for e in &errors {
                report::error(e, args.message_format);
            }
            ExitCode::FAILURE
        }
    }
}

/// The output, or every error.
fn render(args: &RenderArgs) -> Result<Vec<u8>, Vec<Error>> {
    let job = job(args)?;
    super::print_warnings(&job.warnings, args.message_format);
    output(args, &job).map_err(|e| vec![e])
}

/// The job, or every error the render finds (a printer that lacks two things names both).
/// `--deny-warnings` is the render's own strict mode: a warning is then an error.
fn job(args: &RenderArgs) -> Result<slipmark::printer::Job, Vec<Error>> {
    let one = |e: Error| vec![e];
    let catalogue = super::models::load_catalogue(args.catalogue.as_ref()).map_err(one)?;
    let printer = catalogue.printer(&args.model).map_err(one)?;
    let env = super::environment(&args.template, args.include_root.as_deref());
    let template = env.template_from_file(&args.template).map_err(one)?;
    let data = super::template_data(&args.template, args.data.as_deref()).map_err(one)?;
    let mut options = super::render_options(args.deny_warnings);
    if let Some(paper) = args.paper {
        options = options.paper(paper);
    }
    template
        .render_json_with(data.as_json(), &printer, options)
        .map_err(|e| {
            let all = template.render_json_errors(data.as_json(), &printer, options);
            if all.is_empty() { vec![e] } else { all }
        })
}

fn output(args: &RenderArgs, job: &slipmark::printer::Job) -> Result<Vec<u8>, Error> {
    Ok(match args.format {
        Format::Preview => job.preview_text().into_bytes(),
        Format::Svg | Format::Png => {
            return super::picture::picture(&job.frame, args.format == Format::Png);
        }
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
        Format::Content => job.output.as_bytes().to_vec(),
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
            s.into_bytes()
        }
    })
}
