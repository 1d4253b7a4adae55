//! `slipmark emulate FILE [--model NAME] [--paper 58mm|80mm|N] [--format text|svg|png|json]
//! [--out FILE] [--catalogue FILE]`: read a printer's content as someone's code produces it
//! (FILE, or `-` for stdin), draw what the printer prints, and report what it would do badly
//! (a line past the paper's edge, a tag printed literally, a control tag after text, a blown
//! budget, a code too long) at its line and column in the content.
//!
//! Every dialect is emulated: Yilianyun, Feieyun and Xpyun content is read as UTF-8 text and
//! problems are given at `FILE:line:column`; ESC/POS is read as raw bytes and problems are
//! given at `FILE: byte N (line L)` with the bytes around them.
//!
//! The drawing goes to stdout (or `--out`), the problems to stderr. Exit status 0 when the
//! printer would print the content as meant, 1 when there are problems or on an error.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use slipmark::document::Paper;
use slipmark::emulate::{Control, emulate, emulator_for};
use slipmark::printer::DEFAULT_PRINTER;
use slipmark::{Error, ErrorKind};

use super::report::{self, MessageFormat};

/// What `emulate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The paper as monospace text (as `render --format preview`).
    Text,
    /// The paper as SVG.
    Svg,
    /// The paper as PNG.
    Png,
    /// The preview, the problems (with line and column) and the control tags as JSON.
    Json,
}

/// Arguments of `emulate`.
#[derive(Debug, clap::Args)]
pub struct EmulateArgs {
    /// The content file (UTF-8 text as sent in the print API's `content`; raw bytes for an
    /// ESC/POS printer), or `-` for stdin.
    file: PathBuf,
    /// Printer model: a family id or a model number such as K4-WA (`slipmark models`).
    #[arg(long, default_value = DEFAULT_PRINTER)]
    model: String,
    /// Paper width: `58mm`, `80mm` or a number of columns (default: the model's paper).
    #[arg(long, value_parser = parse_paper)]
    paper: Option<Paper>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write the drawing to FILE instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// A TOML or JSON file of model records that add to or correct the built-in catalogue.
    #[arg(long, value_name = "FILE")]
    catalogue: Option<PathBuf>,
}

fn parse_paper(s: &str) -> Result<Paper, String> {
    Paper::parse(s)
        .ok_or_else(|| format!("`{s}` is not a paper width (58mm, 80mm or 8–255 columns)"))
}

#[derive(Serialize)]
struct JsonProblem<'a> {
    kind: &'a str,
    message: &'a str,
    /// Text content: the line and column; ESC/POS: the printed line (LFs before + 1), no column.
    line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
    start: usize,
    end: usize,
}

#[derive(Serialize)]
struct JsonOut<'a> {
    model: &'a str,
    columns: u16,
    preview: String,
    problems: Vec<JsonProblem<'a>>,
    controls: &'a [Control],
}

/// Runs `emulate`.
pub fn run(args: EmulateArgs) -> ExitCode {
    match emulate_file(&args) {
        Ok(clean) if clean => ExitCode::SUCCESS,
        Ok(_) => ExitCode::FAILURE,
        Err(e) => {
            report::error(&e, MessageFormat::Human);
            ExitCode::FAILURE
        }
    }
}

fn read(file: &PathBuf) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read `{}`: {e}", file.display()),
        )
        .with_cause(e)
    };
    if file.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin().read_to_end(&mut buf).map_err(io)?;
        Ok(buf)
    } else {
        std::fs::read(file).map_err(io)
    }
}

/// Emulates, writes the drawing and reports; returns whether there were no problems.
fn emulate_file(args: &EmulateArgs) -> Result<bool, Error> {
    let catalogue = super::models::load_catalogue(args.catalogue.as_ref())?;
    let printer = catalogue.printer(&args.model)?;
    let input = read(&args.file)?;
    let emulated = emulate(&printer, &input, args.paper.map(Paper::columns))?;
    let bytes = emulator_for(&printer).is_some_and(|e| e.takes_bytes());
    // the text emulators only accept UTF-8, so this is the content itself
    let content = String::from_utf8_lossy(&input);
    let name = args.file.display().to_string();
    let out = match args.format {
        Format::Text => slipmark::preview::text(&emulated.frame).into_bytes(),
        Format::Svg | Format::Png => {
            super::picture::picture(&emulated.frame, args.format == Format::Png)?
        }
        Format::Json => {
            let problems = emulated
                .problems
                .iter()
                .map(|p| {
                    let (line, column) = if bytes {
                        let at = p.span.range().start.min(input.len());
                        (
                            input[..at].iter().filter(|b| **b == b'\n').count() + 1,
                            None,
                        )
                    } else {
                        let (line, column) = p.line_col(&content);
                        (line, Some(column))
                    };
                    JsonProblem {
                        kind: p.kind.name(),
                        message: &p.message,
                        line,
                        column,
                        start: p.span.range().start,
                        end: p.span.range().end,
                    }
                })
                .collect();
            let json = JsonOut {
                model: &printer.model().id,
                columns: emulated.frame.columns,
                preview: slipmark::preview::text(&emulated.frame),
                problems,
                controls: &emulated.controls,
            };
            let mut s = serde_json::to_string_pretty(&json)
                .map_err(|e| Error::new(ErrorKind::Data, format!("cannot write json: {e}")))?;
            s.push('\n');
            s.into_bytes()
        }
    };
    super::picture::write_out(args.out.as_deref(), &out)?;
    for p in &emulated.problems {
        if bytes {
            eprintln!("{}", p.describe_bytes(&name, &input));
        } else {
            eprintln!("{}", p.describe(&name, &content));
        }
    }
    if !emulated.problems.is_empty() {
        eprintln!(
            "{} problem{} on the {}",
            emulated.problems.len(),
            if emulated.problems.len() == 1 {
                ""
            } else {
                "s"
            },
            printer.model().name
        );
    }
    Ok(emulated.problems.is_empty())
}
