//! `slipmark render TEMPLATE [--data FILE] [--model NAME] [--paper 58mm|80mm|N]
//! [--format preview|content|json] [--lenient-sound] [--catalogue FILE]`: bind a template to data, lay it
//! out for one printer model and print the preview, the model's content, or both as JSON.
//!
//! Without `--model`, the preview is the paper as the template describes it, with no model's
//! limits (paper: `--paper`, else `paper:`, else 58 mm); `content` and `json` then use
//! [`DEFAULT_MODEL`] (the only 58 mm family whose page was read in full). With a model, the
//! paper width comes from `--paper`, else the template's front matter `paper:`, else the
//! model's default paper. Data defaults to the template's sibling `.json` (`takeaway.slip` →
//! `takeaway.json`), or to an empty object when there is none. A `voice:` or `reminder:` the
//! model lacks is an error, as everything the model lacks is; `--lenient-sound` makes those two a
//! warning (the order then prints silently). Warnings go to stderr
//! with their template position; the output goes to stdout; any error exits with status 1 and
//! prints nothing on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use slipmark::backend::yilianyun::{JobSummary, LowerOptions, Missing};
use slipmark::document::Paper;
use slipmark::{Environment, Error, ErrorKind, Template, Warning};

use super::check::print_error;

/// The model used when none is given.
pub const DEFAULT_MODEL: &str = "k2s";

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
    /// Printer model: a family id or a model number such as K4-WA (`slipmark models` lists them).
    #[arg(long)]
    model: Option<String>,
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
    let model = match (&args.model, args.format) {
        (Some(name), _) => Some(catalogue.resolve(name)?),
        (None, Format::Preview) => None,
        (None, _) => Some(catalogue.resolve(DEFAULT_MODEL)?),
    };
    let template = Environment::new().template_from_file(&args.template)?;
    let data = super::template_data(&args.template, args.data.as_deref())?;
    let Some(model) = model else {
        let doc = template.bind(&data)?;
        return paper_only(args, &template, &doc);
    };
    let options = LowerOptions {
        missing_sound: if args.lenient_sound {
            Missing::Warn
        } else {
            Missing::Error
        },
    };
    let printed = template.render_with(&data, model, args.paper.map(Paper::columns), options)?;
    super::print_warnings(&template, &printed.warnings);
    Ok(match args.format {
        Format::Preview => slipmark::preview::text(&printed.frame),
        Format::Content => printed.content.clone(),
        Format::Json => {
            let json = JsonOut {
                model: &model.id,
                columns: printed.frame.columns,
                content: &printed.content,
                preview: slipmark::preview::text(&printed.frame),
                warnings: &printed.warnings,
                settings: &printed.settings,
            };
            let mut s = serde_json::to_string_pretty(&json)
                .map_err(|e| Error::new(ErrorKind::Data, format!("cannot write json: {e}")))?;
            s.push('\n');
            s
        }
    })
}

/// The preview with no model: the paper the template describes (`--paper`, else `paper:`, else
/// 58 mm), every style printable.
fn paper_only(
    args: &RenderArgs,
    template: &Template,
    doc: &slipmark::document::Document,
) -> Result<String, Error> {
    let paper = args
        .paper
        .or(doc.settings.paper.as_ref().map(|p| p.value))
        .unwrap_or(Paper::Mm58);
    let opts = slipmark::frame::LayoutOptions {
        columns: paper.columns(),
        ..slipmark::frame::LayoutOptions::default()
    };
    let laid = slipmark::layout::layout(doc, &opts).map_err(|e| template.locate(e))?;
    super::print_warnings(template, &laid.warnings);
    Ok(slipmark::preview::text(&laid.frame))
}
