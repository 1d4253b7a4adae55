//! `slipmark render TEMPLATE [--data FILE] [--model NAME] [--paper 58mm|80mm|N]
//! [--format preview|content|json|svg|png] [--out FILE] [--lenient-sound] [--catalogue FILE]`: bind a template to data,
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
use slipmark::{Environment, Error, ErrorKind, Warning};

use super::report::{self, MessageFormat};

/// What `render` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The paper as monospace text (CJK at double width).
    Preview,
    /// The `content` string the model's print API takes.
    Content,
    /// Content, preview, warnings and job settings as one JSON object.
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
    /// Print without a `voice:` or `reminder:` the model lacks (a warning) instead of failing.
    #[arg(long)]
    lenient_sound: bool,
    /// A TOML or JSON file of model records that add to or correct the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
    /// Fail (exit 1, nothing on stdout) on any warning.
    #[arg(long)]
    deny_warnings: bool,
    /// How diagnostics are printed on stderr.
    #[arg(long, value_enum, default_value_t = MessageFormat::Human)]
    message_format: MessageFormat,
    /// Write the output to FILE instead of stdout (`--format png` needs it unless stdout is
    /// redirected).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
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

/// The output, or every error (none when warnings were denied: they are already printed).
fn render(args: &RenderArgs) -> Result<Vec<u8>, Vec<Error>> {
    let job = job(args)?;
    super::print_warnings(&job.warnings, args.message_format);
    if args.deny_warnings && !job.warnings.is_empty() {
        return Err(Vec::new());
    }
    output(args, &job).map_err(|e| vec![e])
}

/// The job, or every error the render finds (a printer that lacks two things names both).
fn job(args: &RenderArgs) -> Result<slipmark::printer::Job, Vec<Error>> {
    let one = |e: Error| vec![e];
    let catalogue = super::models::load_catalogue(args.catalogue.as_ref()).map_err(one)?;
    let printer = catalogue.printer(&args.model).map_err(one)?;
    let template = Environment::new()
        .template_from_file(&args.template)
        .map_err(one)?;
    let data = super::template_data(&args.template, args.data.as_deref()).map_err(one)?;
    let mut options =
        RenderOptions::default().missing_sound(super::missing_sound(args.lenient_sound));
    if let Some(paper) = args.paper {
        options = options.paper(paper);
    }
    template.render_with(&data, &printer, options).map_err(|e| {
        let all = template.render_errors(&data, &printer, options);
        if all.is_empty() { vec![e] } else { all }
    })
}

fn output(args: &RenderArgs, job: &slipmark::printer::Job) -> Result<Vec<u8>, Error> {
    Ok(match args.format {
        Format::Preview => job.preview_text().into_bytes(),
        Format::Content => content(job)?.as_bytes().to_vec(),
        Format::Svg | Format::Png => {
            return super::picture::picture(&job.frame, args.format == Format::Png);
        }
        Format::Json => {
            let json = JsonOut {
                model: &job.printer,
                columns: job.frame.columns,
                content: content(job)?,
                preview: job.preview_text(),
                warnings: &job.warnings,
                settings: &job.settings,
            };
            let mut s = serde_json::to_string_pretty(&json)
                .map_err(|e| Error::new(ErrorKind::Data, format!("cannot write json: {e}")))?;
            s.push('\n');
            s.into_bytes()
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
