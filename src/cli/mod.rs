//! Subcommands: one file each.

mod auth;
mod check;
mod cloud_env;
mod emulate;
mod models;
mod picture;
mod print;
mod render;
mod report;
mod schema;
mod serve;
mod status;

use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use slipmark::{Error, ErrorKind};

/// Receipt templates to exact cloud-printer content.
#[derive(Debug, Parser)]
#[command(name = "slipmark", version, about)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check templates (and, with --data, bind them to sample data); report every error.
    Check(check::CheckArgs),
    /// Print the JSON Schema (2020-12) of the data a template reads.
    Schema(schema::SchemaArgs),
    /// List the printer models: paper, capabilities, and which are assumed.
    Models(models::ModelsArgs),
    /// Render a template for one printer model: its content, a preview, or both as JSON.
    #[command(after_help = picture::LEGEND)]
    Render(render::RenderArgs),
    /// Draw what a printer prints for the content your code produces (a Yilianyun, Feieyun or
    /// Xpyun content string, or ESC/POS bytes), and what it would do badly.
    #[command(after_help = picture::LEGEND)]
    Emulate(emulate::EmulateArgs),
    /// A local playground on 127.0.0.1: edit a template and its data, see the paper as you type.
    Serve(serve::ServeArgs),
    /// Render a template and send it to a printer through the Yilianyun cloud; prints the job id.
    #[command(
        after_help = cloud_env::ENV_HELP,
        override_usage = "slipmark print [OPTIONS] --model <MODEL> --machine-code <MACHINE_CODE> <TEMPLATE>\n       \
                          slipmark print [OPTIONS] --machine-code <MACHINE_CODE> --content-file <FILE>"
    )]
    Print(print::PrintArgs),
    /// Token flows for the Yilianyun cloud (credentials from YLY_CLIENT_ID / YLY_CLIENT_SECRET).
    #[command(after_help = cloud_env::ENV_HELP)]
    Auth(auth::AuthArgs),
    /// Ask the Yilianyun cloud whether a printer is online, offline or out of paper.
    #[command(after_help = cloud_env::ENV_HELP)]
    Status(status::StatusArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Check(args) => check::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Models(args) => models::run(args),
        Command::Render(args) => render::run(args),
        Command::Emulate(args) => emulate::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Print(args) => print::run(args),
        Command::Auth(args) => auth::run(args),
        Command::Status(args) => status::run(args),
    }
}

/// The environment a template file compiles in: includes confined to `include_root`, else to
/// the template's folder.
pub fn environment(template: &Path, include_root: Option<&Path>) -> slipmark::Environment {
    let root = match include_root {
        Some(root) => root.to_path_buf(),
        None => template
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf(),
    };
    slipmark::Environment::new().with_loader(slipmark::FsLoader::new(root))
}

/// Reads a JSON data file: a regular file within the data budget (read through a bounded
/// reader), a leading byte-order mark ignored.
pub fn read_json(path: &Path) -> Result<slipmark::Data, Error> {
    use std::io::Read;
    let io = |e: std::io::Error| {
        Error::new(
            ErrorKind::Io,
            format!("cannot read `{}`: {e}", path.display()),
        )
        .with_cause(e)
    };
    let max = slipmark::Budgets::default().max_data_bytes as u64;
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(Error::new(
            ErrorKind::Io,
            format!("cannot read `{}`: not a regular file", path.display()),
        ));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .map_err(io)?
        .take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() as u64 > max {
        return Err(Error::new(
            ErrorKind::Budget,
            format!("`{}` is larger than {max} bytes", path.display()),
        )
        .with_hint("order data this large cannot be a receipt (Budgets::max_data_bytes)"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        Error::new(
            ErrorKind::Data,
            format!("`{}` is not UTF-8 text", path.display()),
        )
        .with_cause(e)
    })?;
    slipmark::Data::from_json_str(&text, &slipmark::Budgets::default()).map_err(|e| {
        let message = match e.kind() {
            ErrorKind::Data => format!("`{}` is {}", path.display(), e.message()),
            _ => format!("`{}`: {}", path.display(), e.message()),
        };
        let hint = e.hint().map(str::to_string);
        let err = Error::new(e.kind(), message).with_cause(e);
        match hint {
            Some(h) => err.with_hint(h),
            None => err,
        }
    })
}

/// The data for `template`: `--data FILE` if given, else the template's sibling `.json`
/// (`takeaway.slip` → `takeaway.json`), else an empty object.
pub fn template_data(template: &Path, data: Option<&Path>) -> Result<slipmark::Data, Error> {
    let sibling = template.with_extension("json");
    match data {
        Some(path) => read_json(path),
        None if sibling.is_file() => read_json(&sibling),
        None => slipmark::Data::from_json_str("{}", &slipmark::Budgets::default()),
    }
}

/// `--deny-warnings` as the render option it stands for.
pub fn render_options(deny_warnings: bool) -> slipmark::printer::RenderOptions {
    slipmark::printer::RenderOptions::default().deny_warnings(deny_warnings)
}

/// Prints warnings to stderr in `format` (their sources are attached by the render).
pub fn print_warnings(warnings: &[slipmark::Warning], format: report::MessageFormat) {
    for w in warnings {
        report::warning(w, format);
    }
}
