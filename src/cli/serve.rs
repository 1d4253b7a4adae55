//! `slipmark serve [DIR] [--port N]`: a local playground on 127.0.0.1. A template editor, a data
//! editor and a printer picker; the SVG preview is redrawn as you type, errors and warnings are
//! listed and underlined at their spans, and the templates in DIR (default `.`) are listed and
//! watched (an edit saved in your own editor shows at once while the page's copy is unchanged).
//!
//! Nothing is fetched from anywhere: the page (`serve/index.html`, plain HTML and JavaScript, no
//! build step) is embedded in the binary, the server listens on 127.0.0.1 only and reads only
//! the `.slip`/`.json` files directly in DIR (and what their includes load).
//!
//! The HTTP layer is a thin loop over [`handle`], a plain function from a request to a response,
//! so the JSON endpoints can be tested (and later documented as a render API) without a socket:
//!
//! | endpoint | request | response |
//! |---|---|---|
//! | `GET /` | | the page |
//! | `GET /api/models` | | `[{id, name, columns}]`, the built-in catalogue |
//! | `GET /api/templates` | | `[{name, template, data, modified}]`, the templates in DIR with their sibling data |
//! | `POST /api/render` | `{template, data, model, paper?, name?}` (data: any JSON value, or a string holding JSON) | `{ok, columns, svg, preview, content, diagnostics: [{severity, kind, message, from, to, line, column}]}` |
//!
//! `from`/`to` are UTF-16 offsets in `template` (what a browser's text field counts), present
//! when the diagnostic points into the template itself rather than an include or the data.
//!
//! Beside the playground, the same server answers the stateless render API under `/v1/`
//! (`api.rs`, documented in `docs/http-api.md`) for backends in other languages. Requests are
//! answered by `--threads` workers (default: one per core).

mod api;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;
use serde_json::{Value, json};
use slipmark::backend::Catalogue;
use slipmark::document::Paper;
use slipmark::printer::RenderOptions;
use slipmark::{Environment, Error, FsLoader, Span};

const INDEX: &str = include_str!("serve/index.html");

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The directory of templates to list and watch.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The port on 127.0.0.1 (0 picks a free one; the address is printed).
    #[arg(long, default_value_t = 7878)]
    port: u16,
    /// Worker threads answering requests (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
}

/// A request, as [`handle`] needs it.
#[derive(Debug)]
pub struct Request<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// The path without the query.
    pub path: &'a str,
    /// The body.
    pub body: &'a [u8],
}

/// A response.
#[derive(Debug)]
pub struct Response {
    /// HTTP status.
    pub status: u16,
    /// Content type.
    pub content_type: &'static str,
    /// Body.
    pub body: Vec<u8>,
}

fn json_response(status: u16, value: &Value) -> Response {
    Response {
        status,
        content_type: "application/json; charset=utf-8",
        body: serde_json::to_vec(value).unwrap_or_default(),
    }
}

/// Answers one request for templates in `dir`.
pub fn handle(dir: &Path, req: &Request) -> Response {
    if let Some(response) = api::handle(req) {
        return response;
    }
    match (req.method, req.path) {
        ("GET", "/") | ("GET", "/index.html") => Response {
            status: 200,
            content_type: "text/html; charset=utf-8",
            body: INDEX.as_bytes().to_vec(),
        },
        ("GET", "/api/models") => json_response(200, &models()),
        ("GET", "/api/templates") => json_response(200, &templates(dir)),
        ("POST", "/api/render") => match serde_json::from_slice::<RenderRequest>(req.body) {
            Ok(r) => json_response(200, &render(dir, &r)),
            Err(e) => json_response(400, &json!({ "error": format!("bad request: {e}") })),
        },
        _ => json_response(404, &json!({ "error": "not found" })),
    }
}

fn models() -> Value {
    let cat = Catalogue::builtin();
    let mut out: Vec<Value> = cat
        .models()
        .iter()
        .map(|m| json!({ "id": m.id, "name": m.name, "columns": m.paper.default_columns }))
        .collect();
    out.push(json!({ "id": "generic", "name": "generic preview (any paper)", "columns": 32 }));
    Value::Array(out)
}

fn modified(path: &Path) -> u64 {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as u64)
}

fn templates(dir: &Path) -> Value {
    let mut names: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "slip"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    Value::Array(
        names
            .iter()
            .map(|p| {
                let data_path = p.with_extension("json");
                let data = std::fs::read_to_string(&data_path).unwrap_or_else(|_| "{}".into());
                json!({
                    "name": p.file_name().map(|n| n.to_string_lossy().to_string()),
                    "template": std::fs::read_to_string(p).unwrap_or_default(),
                    "data": data,
                    "modified": modified(p).max(modified(&data_path)),
                })
            })
            .collect(),
    )
}

#[derive(serde::Deserialize)]
struct RenderRequest {
    template: String,
    #[serde(default)]
    data: Value,
    #[serde(default = "default_model")]
    model: String,
    #[serde(default)]
    paper: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

fn default_model() -> String {
    slipmark::printer::DEFAULT_PRINTER.to_string()
}

#[derive(Serialize)]
struct Diagnostic {
    severity: &'static str,
    kind: String,
    message: String,
    from: Option<usize>,
    to: Option<usize>,
    line: Option<usize>,
    column: Option<usize>,
}

fn utf16(text: &str, byte: usize) -> usize {
    let b = byte.min(text.len());
    let b = (0..=b)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    text[..b].encode_utf16().count()
}

fn diagnostic(
    text: &str,
    severity: &'static str,
    kind: &str,
    message: &str,
    span: Option<Span>,
) -> Diagnostic {
    let span = span.filter(|s| s.source == 0);
    let (from, to, line, column) = match span {
        Some(s) => {
            let r = s.range();
            let (line, column) = slipmark::emulate::line_col(text, r.start);
            (
                Some(utf16(text, r.start)),
                Some(utf16(text, r.end.max(r.start + 1))),
                Some(line),
                Some(column),
            )
        }
        None => (None, None, None, None),
    };
    Diagnostic {
        severity,
        kind: kind.to_string(),
        message: message.to_string(),
        from,
        to,
        line,
        column,
    }
}

fn error_diag(text: &str, e: &Error) -> Diagnostic {
    let mut message = e.message().to_string();
    if let Some(h) = e.hint() {
        message.push_str(&format!(" (hint: {h})"));
    }
    diagnostic(text, "error", e.kind().name(), &message, e.span())
}

fn render(dir: &Path, r: &RenderRequest) -> Value {
    let text = &r.template;
    let fail = |diags: Vec<Diagnostic>| json!({ "ok": false, "diagnostics": diags });
    let name = dir
        .join(r.name.as_deref().unwrap_or("playground.slip"))
        .display()
        .to_string();
    let env = Environment::new().with_loader(FsLoader::new(dir));
    let template = match env.compile(&name, text) {
        Ok(t) => t,
        Err(errors) => return fail(errors.iter().map(|e| error_diag(text, e)).collect()),
    };
    let data = match &r.data {
        Value::String(s) if s.trim().is_empty() => Value::Object(Default::default()),
        Value::String(s) => match serde_json::from_str(s) {
            Ok(v) => v,
            Err(e) => {
                return fail(vec![diagnostic(
                    text,
                    "error",
                    "data",
                    &format!("the data is not valid JSON: {e}"),
                    None,
                )]);
            }
        },
        Value::Null => Value::Object(Default::default()),
        v => v.clone(),
    };
    let printer = match Catalogue::builtin().printer(&r.model) {
        Ok(p) => p,
        Err(e) => return fail(vec![error_diag(text, &e)]),
    };
    let mut options = RenderOptions::default();
    if let Some(p) = r.paper.as_deref().filter(|p| !p.is_empty()) {
        match Paper::parse(p) {
            Some(p) => options = options.paper(p),
            None => {
                return fail(vec![diagnostic(
                    text,
                    "error",
                    "paper",
                    &format!("`{p}` is not a paper width (58mm, 80mm or 8–255 columns)"),
                    None,
                )]);
            }
        }
    }
    match template.render_json_with(&data, &printer, options) {
        Ok(job) => {
            let diags: Vec<Diagnostic> = job
                .warnings
                .iter()
                .map(|w| diagnostic(text, "warning", w.kind.name(), &w.message, Some(w.span)))
                .collect();
            json!({
                "ok": true,
                "columns": job.frame.columns,
                "svg": slipmark::preview::svg(&job.frame),
                "preview": job.preview_text(),
                "content": job.content(),
                "diagnostics": diags,
            })
        }
        Err(e) => {
            // every binding error, not just the first
            let mut diags: Vec<Diagnostic> = template
                .check_json(&data)
                .iter()
                .map(|e| error_diag(text, e))
                .collect();
            if diags.is_empty() {
                diags.push(error_diag(text, &e));
            }
            fail(diags)
        }
    }
}

/// Reads one request (at most [`api::MAX_BODY`] + 1 bytes of body) and answers it.
fn answer(dir: &Path, mut request: tiny_http::Request) {
    let mut body = Vec::new();
    let limited = std::io::Read::take(request.as_reader(), api::MAX_BODY as u64 + 1);
    let _ = std::io::Read::read_to_end(&mut { limited }, &mut body);
    let method = request.method().as_str().to_string();
    let url = request.url().to_string();
    let path = url.split('?').next().unwrap_or("/");
    let resp = handle(
        dir,
        &Request {
            method: &method,
            path,
            body: &body,
        },
    );
    let header =
        tiny_http::Header::from_bytes("Content-Type", resp.content_type).expect("a valid header");
    let no_cache =
        tiny_http::Header::from_bytes("Cache-Control", "no-store").expect("a valid header");
    let response = tiny_http::Response::from_data(resp.body)
        .with_status_code(resp.status)
        .with_header(header)
        .with_header(no_cache);
    let _ = request.respond(response);
}

/// Runs `serve`.
pub fn run(args: ServeArgs) -> ExitCode {
    let server = match tiny_http::Server::http(("127.0.0.1", args.port)) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return ExitCode::FAILURE;
        }
    };
    match server.server_addr().to_ip() {
        Some(addr) => println!(
            "slipmark playground: http://{addr}/  (templates in {}; render API under /v1/)",
            args.dir.display()
        ),
        None => println!("slipmark playground started"),
    }
    let _ = std::io::Write::flush(&mut std::io::stdout());
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .max(1);
    let server = Arc::new(server);
    let dir = Arc::new(args.dir);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let (server, dir) = (Arc::clone(&server), Arc::clone(&dir));
            std::thread::spawn(move || {
                while let Ok(request) = server.recv() {
                    answer(&dir, request);
                }
            })
        })
        .collect();
    for worker in workers {
        let _ = worker.join();
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(body: Value) -> Value {
        let body = serde_json::to_vec(&body).unwrap();
        let r = handle(
            Path::new("templates"),
            &Request {
                method: "POST",
                path: "/api/render",
                body: &body,
            },
        );
        assert_eq!(r.status, 200);
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn render_answers_svg_or_located_errors() {
        let ok =
            post(json!({ "template": "# {{ n }}\n", "data": "{\"n\": \"汉\"}", "model": "k7" }));
        assert_eq!(ok["ok"], true);
        assert_eq!(ok["columns"], 48);
        assert!(ok["svg"].as_str().unwrap().starts_with("<svg "));
        let bad = post(json!({ "template": "汉字\n{{ n \n", "data": {}, "model": "k4" }));
        assert_eq!(bad["ok"], false);
        let d = &bad["diagnostics"][0];
        assert_eq!(d["line"], 2);
        // UTF-16 offsets: 汉字\n is 3 units
        assert!(d["from"].as_u64().unwrap() >= 3, "{d}");
    }

    #[test]
    fn templates_models_and_the_page_are_served() {
        let get = |path| {
            handle(
                Path::new("templates"),
                &Request {
                    method: "GET",
                    path,
                    body: b"",
                },
            )
        };
        let t: Value = serde_json::from_slice(&get("/api/templates").body).unwrap();
        assert!(
            t.as_array()
                .unwrap()
                .iter()
                .any(|t| t["name"] == "takeaway.slip")
        );
        let m: Value = serde_json::from_slice(&get("/api/models").body).unwrap();
        assert!(m.as_array().unwrap().iter().any(|m| m["columns"] == 48));
        let page = get("/");
        assert!(String::from_utf8(page.body).unwrap().contains("<textarea"));
        assert_eq!(get("/nothing").status, 404);
    }
}
