//! `slipmark render TEMPLATE [--data FILE] [--paper 58mm|80mm|N] [--format preview]`: bind a
//! template to data, lay it out and print the result.
//!
//! The paper width comes from `--paper`, else the template's front matter `paper:`, else 58 mm.
//! Data defaults to the template's sibling `.json` (`takeaway.slip` → `takeaway.json`), or to an
//! empty object when there is none. Warnings go to stderr with their template position; the
//! output goes to stdout; any error exits with status 1 and prints nothing on stdout.

use std::path::PathBuf;
use std::process::ExitCode;

use slipmark::document::Paper;
use slipmark::frame::LayoutOptions;
use slipmark::{Environment, Error, ErrorKind, Template, Warning};

use super::check::print_error;

/// What `render` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The paper as monospace text (CJK at double width).
    Preview,
}

/// Arguments of `render`.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// The template file.
    template: PathBuf,
    /// JSON data (default: the template's sibling `.json`, if any).
    #[arg(long)]
    data: Option<PathBuf>,
    /// Paper width: `58mm`, `80mm` or a number of columns (default: the template's `paper:`
    /// setting, else 58mm).
    #[arg(long, value_parser = parse_paper)]
    paper: Option<Paper>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Preview)]
    format: Format,
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    Paper::parse(s)
        .ok_or_else(|| format!("`{s}` is not a paper width (58mm, 80mm or 8–255 columns)"))
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
    let template = Environment::new().template_from_file(&args.template)?;
    let data = match &args.data {
        Some(path) => super::read_json(path)?,
        None => {
            let sibling = args.template.with_extension("json");
            if sibling.is_file() {
                super::read_json(&sibling)?
            } else {
                serde_json::Value::Object(serde_json::Map::new())
            }
        }
    };
    let doc = template.bind(&data)?;
    let paper = args
        .paper
        .or(doc.settings.paper.as_ref().map(|p| p.value))
        .unwrap_or(Paper::Mm58);
    let opts = LayoutOptions {
        columns: paper.columns(),
        ..LayoutOptions::default()
    };
    let laid = slipmark::layout::layout(&doc, &opts).map_err(|e| template.locate(e))?;
    for w in &laid.warnings {
        print_warning(&template, w);
    }
    match args.format {
        Format::Preview => Ok(slipmark::preview::text(&laid.frame)),
    }
}

/// Prints `FILE:LINE:COL: warning: message` (or without a position if it has none).
fn print_warning(template: &Template, w: &Warning) {
    let located = template
        .locate(Error::new(ErrorKind::Layout, w.message.clone()).at(w.span))
        .location()
        .map(|(name, line, col)| format!("{name}:{line}:{col}: "));
    eprintln!("{}warning: {}", located.unwrap_or_default(), w.message);
}
