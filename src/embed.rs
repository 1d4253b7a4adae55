//! The embedding surface: one set of plain-data requests and answers that every host binds to —
//! the Python wheel, the npm (WASM) package and the HTTP render service are thin layers over it.
//!
//! Everything here takes and returns serde types, so a binding moves JSON across its boundary and
//! nothing else: diagnostics are data (kind, message, file, line, column, byte span, hint, and
//! the rendered snippet), jobs are text or bytes, and the answers of [`render`], [`check`] and
//! [`printers`] serialise to the same JSON in every language.
//!
//! ```
//! use std::collections::BTreeMap;
//! use slipmark::embed::{self, Compile, Render};
//!
//! let mut includes = BTreeMap::new();
//! includes.insert("footer.slip".to_string(), "-> 谢谢惠顾 <-\n".to_string());
//! let template = embed::compile(&Compile {
//!     name: "t.slip".into(),
//!     source: "# {{ shop }}\n{% include \"footer.slip\" %}\n".into(),
//!     includes: Some(includes),
//!     ..Compile::default()
//! }).unwrap();
//! let data = serde_json::json!({ "shop": "老王" });
//! let out = embed::render(&template, &data, &Render { printer: "K4".into(), ..Render::default() }).unwrap();
//! assert_eq!(out.jobs[0].content.as_deref(), Some("            <FS2>老王</FS2>\n            谢谢惠顾\n"));
//!
//! // A broken template: every diagnostic, with its position.
//! let err = embed::compile(&Compile { name: "bad.slip".into(), source: "{{ x | mony }}".into(), ..Compile::default() }).unwrap_err();
//! assert_eq!((err.diagnostics[0].line, err.diagnostics[0].column), (Some(1), Some(8)));
//! assert_eq!(err.diagnostics[0].kind, "filter");
//! ```

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use serde::{Deserialize, Serialize};

use crate::backend::{Catalogue, Model};
use crate::document::Paper;
use crate::printer::{JobSummary, Output, RenderOptions};
use crate::{Environment, Error, FsLoader, MemoryLoader, Template, Warning};

/// What to compile.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Compile {
    /// The template's name, used in diagnostics and to resolve includes (`"takeaway.slip"`).
    pub name: String,
    /// The template text.
    pub source: String,
    /// Included templates by name, for hosts without a file system (a browser, a service).
    pub includes: Option<BTreeMap<String, String>>,
    /// Or a directory to load includes from (ignored when `includes` is given).
    pub include_dir: Option<PathBuf>,
}

/// How to render.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Render {
    /// A printer name: a family id or model number from the catalogue (`"K4-WA"`), or
    /// `"generic"`; empty means [`crate::printer::DEFAULT_PRINTER`].
    pub printer: String,
    /// A paper that overrides the template's and the model's: `"58mm"`, `"80mm"` or columns.
    pub paper: Option<String>,
    /// Strict mode: any warning (a setting the printer skips, a stand-in character) is an error.
    pub deny_warnings: bool,
}

/// A rendered receipt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rendered {
    /// The model id it was rendered for.
    pub printer: String,
    /// The paper width in columns.
    pub columns: u16,
    /// What to send to the printer, in order: one job, or several for a receipt past the
    /// printer's limits (a content size, one QR code per order).
    pub jobs: Vec<JobOut>,
    /// What the paper will look like, as monospace text.
    pub preview: String,
    /// Warnings, with positions.
    pub warnings: Vec<Diagnostic>,
    /// The job settings the output carries.
    pub settings: JobSummary,
}

/// One job for the printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobOut {
    /// `"text"` (cloud printers' content) or `"bytes"` (e.g. ESC/POS).
    pub kind: &'static str,
    /// The content, for a text job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<String>,
    /// The bytes, base64-encoded, for a bytes job.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_base64: Option<String>,
}

/// What a failed call reports: every diagnostic found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    /// The errors, in source order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Byte offsets `start..end` into a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByteSpan {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl From<crate::Span> for ByteSpan {
    fn from(s: crate::Span) -> ByteSpan {
        ByteSpan {
            start: s.start,
            end: s.end,
        }
    }
}

/// An error or warning as data, for editors, web forms and other languages (and the CLI's
/// `--message-format json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// `"error"` or `"warning"`.
    pub severity: &'static str,
    /// The kind (`"syntax"`, `"undefined-variable"`, `"model"`, `"replaced-char"`, …).
    pub kind: &'static str,
    /// The one-line message.
    pub message: String,
    /// The source it points into (the template or an include), if any.
    pub file: Option<String>,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column, in characters.
    pub column: Option<usize>,
    /// Byte offsets into that source.
    pub span: Option<ByteSpan>,
    /// Advice, if any.
    pub hint: Option<String>,
    /// The rustc-style snippet (`{:#}`), as the CLI prints it.
    pub rendered: String,
}

impl Diagnostic {
    /// An error as data.
    pub fn from_error(e: &Error) -> Diagnostic {
        let (file, line, column) = split(e.location());
        Diagnostic {
            severity: "error",
            kind: e.kind().name(),
            message: e.message().to_string(),
            file,
            line,
            column,
            span: e
                .span()
                .filter(|_| e.template_source().is_some())
                .map(ByteSpan::from),
            hint: e.hint().map(str::to_string),
            rendered: format!("{e:#}"),
        }
    }

    /// A warning as data (its sources attached, as [`Template::render`] does).
    pub fn from_warning(w: &Warning) -> Diagnostic {
        let (file, line, column) = split(w.location());
        Diagnostic {
            severity: "warning",
            kind: w.kind.name(),
            message: w.message.clone(),
            file,
            line,
            column,
            span: w.template_source().map(|_| ByteSpan::from(w.span)),
            hint: w.hint.clone(),
            rendered: format!("{w:#}"),
        }
    }
}

fn split(at: Option<(&str, usize, usize)>) -> (Option<String>, Option<usize>, Option<usize>) {
    match at {
        Some((file, line, column)) => (Some(file.to_string()), Some(line), Some(column)),
        None => (None, None, None),
    }
}

impl Failure {
    fn of(errors: &[Error]) -> Failure {
        Failure {
            diagnostics: errors.iter().map(Diagnostic::from_error).collect(),
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure::of(&[e])
    }
}

/// Compiles a template, reporting every error found.
pub fn compile(request: &Compile) -> Result<Template, Failure> {
    let env = match (&request.includes, &request.include_dir) {
        (Some(map), _) => Environment::new().with_loader(
            map.iter()
                .fold(MemoryLoader::new(), |l, (name, text)| l.with(name, text)),
        ),
        (None, Some(dir)) => Environment::new().with_loader(FsLoader::new(dir)),
        // No includes given: none can be loaded (a host's file system is not read by default).
        (None, None) => Environment::new().with_loader(MemoryLoader::new()),
    };
    env.compile(&request.name, &request.source)
        .map_err(|errors| Failure::of(&errors))
}

/// Renders `template` with `data` for the printer `request` names.
pub fn render(
    template: &Template,
    data: &serde_json::Value,
    request: &Render,
) -> Result<Rendered, Failure> {
    let name = if request.printer.trim().is_empty() {
        crate::printer::DEFAULT_PRINTER
    } else {
        &request.printer
    };
    let printer = printer(name)?;
    let mut options = RenderOptions::default().deny_warnings(request.deny_warnings);
    if let Some(paper) = &request.paper {
        let paper = Paper::parse(paper).ok_or_else(|| {
            Error::new(
                crate::ErrorKind::Setting,
                format!("`{paper}` is not a paper width (58mm, 80mm or 8–255 columns)"),
            )
        })?;
        options = options.paper(paper);
    }
    // On failure, every model error that can be found (as `slipmark render` reports them).
    let job = template
        .render_json_with(data, &printer, options)
        .map_err(|e| {
            let all = template.render_json_errors(data, &printer, options);
            Failure::of(if all.is_empty() {
                std::slice::from_ref(&e)
            } else {
                &all
            })
        })?;
    Ok(Rendered {
        printer: job.printer.clone(),
        columns: job.frame.columns,
        jobs: job.outputs().map(job_out).collect(),
        preview: job.preview_text(),
        warnings: job.warnings.iter().map(Diagnostic::from_warning).collect(),
        settings: job.settings,
    })
}

/// The printer a name resolves to, kept for the next call: a binding or the HTTP service renders
/// by name every time, and a printer (its record copied out of the catalogue, its `printer`
/// variable built) is worth reusing. At most 256 names are kept.
fn printer(name: &str) -> Result<crate::printer::Printer, Error> {
    static PRINTERS: OnceLock<Mutex<HashMap<String, crate::printer::Printer>>> = OnceLock::new();
    let cache = PRINTERS.get_or_init(Mutex::default);
    if let Some(p) = cache.lock().ok().and_then(|c| c.get(name).cloned()) {
        return Ok(p);
    }
    let p = Catalogue::builtin().printer(name)?;
    if let Ok(mut c) = cache.lock() {
        if c.len() < 256 {
            c.insert(name.to_string(), p.clone());
        }
    }
    Ok(p)
}

fn job_out(output: &Output) -> JobOut {
    match output {
        Output::Text(s) => JobOut {
            kind: "text",
            content: Some(s.clone()),
            bytes_base64: None,
        },
        Output::Bytes(_) => JobOut {
            kind: "bytes",
            content: None,
            bytes_base64: Some(output.to_base64()),
        },
    }
}

/// Checks a template: binds it to `data` (if given) reporting every error found, after the
/// template's own warnings (an assignment lost at the end of a loop, …); no error means it binds.
pub fn check(template: &Template, data: Option<&serde_json::Value>) -> Vec<Diagnostic> {
    let empty = serde_json::Value::Object(serde_json::Map::new());
    let warnings = template
        .warnings()
        .iter()
        .map(|w| Diagnostic::from_warning(&template.locate_warning(w.clone())));
    let errors = template.check_json(data.unwrap_or(&empty));
    warnings
        .chain(errors.iter().map(Diagnostic::from_error))
        .collect()
}

/// The JSON Schema (2020-12) of the data `template` reads ([`Template::data_schema`]).
pub fn schema(template: &Template) -> serde_json::Value {
    template.data_schema()
}

/// One printer of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PrinterInfo {
    /// The family id (`"k4-a"`), accepted by [`Render::printer`].
    pub id: String,
    /// Display name.
    pub name: String,
    /// The dialect (`"yilianyun"`, `"generic"`).
    pub dialect: &'static str,
    /// The paper it is sold with, in columns.
    pub columns: u16,
    /// The widest paper it prints, in columns.
    pub max_columns: u16,
    /// Model numbers that resolve to it exactly (`"K4-WA"`).
    pub models: Vec<String>,
}

/// Every printer of the built-in catalogue, then the generic preview profile.
pub fn printers() -> Vec<PrinterInfo> {
    let catalogue = Catalogue::builtin();
    let info = |printer: crate::printer::Printer| {
        let m: &Model = printer.model();
        PrinterInfo {
            id: m.id.clone(),
            name: m.name.clone(),
            dialect: printer.dialect().name(),
            columns: m.paper.default_columns,
            max_columns: m.paper.max_columns,
            models: m.models.clone(),
        }
    };
    catalogue
        .models()
        .iter()
        .map(|m| info(crate::printer::Printer::from_model(m.clone())))
        .chain([info(crate::printer::Printer::generic())])
        .collect()
}

/// Serialises a call's answer as the envelope every binding passes across its boundary:
/// `{"ok": true, "value": …}` or `{"ok": false, "diagnostics": […]}`.
pub fn envelope<T: Serialize>(result: &Result<T, Failure>) -> String {
    let value = match result {
        Ok(value) => serde_json::json!({ "ok": true, "value": value }),
        Err(failure) => serde_json::json!({ "ok": false, "diagnostics": failure.diagnostics }),
    };
    value.to_string()
}

/// Parses JSON data text, as a binding receives it, into a value (an error names the line and
/// column of the fault).
pub fn parse_data(json: &str) -> Result<serde_json::Value, Failure> {
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    serde_json::from_str(json).map_err(|e| {
        Failure::from(
            Error::new(
                crate::ErrorKind::Data,
                format!("the data is not valid JSON: {e}"),
            )
            .with_cause(e),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_render_error_is_a_diagnostic_with_its_position() {
        let t = compile(&Compile {
            name: "t.slip".into(),
            source: "![code128]({{ no }})\n".into(),
            ..Compile::default()
        })
        .unwrap();
        let data = serde_json::json!({ "no": "A1" });
        let request = Render {
            printer: "k2s".into(),
            ..Render::default()
        };
        let err = render(&t, &data, &request).unwrap_err();
        let d = &err.diagnostics[0];
        // The caret is under the code's data, the expression `no`.
        assert_eq!((d.kind, d.line, d.column), ("model", Some(1), Some(15)));
        assert_eq!(d.span, Some(ByteSpan { start: 14, end: 16 }));
        assert!(d.rendered.starts_with("error[model]:"), "{}", d.rendered);
        let json: serde_json::Value = serde_json::from_str(&envelope(&Err::<(), _>(err))).unwrap();
        assert_eq!(json["ok"], false);
        assert_eq!(json["diagnostics"][0]["file"], "t.slip");
    }

    #[test]
    fn includes_come_from_the_map_and_nowhere_else() {
        let request = |includes| Compile {
            name: "t.slip".into(),
            source: "{% include \"README.md\" %}\n".into(),
            includes,
            include_dir: None,
        };
        // The file exists in the working directory, but no include source was given.
        let err = compile(&request(None)).unwrap_err();
        assert_eq!(err.diagnostics[0].kind, "include");
        let map = BTreeMap::from([("README.md".to_string(), "hi\n".to_string())]);
        assert!(compile(&request(Some(map))).is_ok());
    }

    #[test]
    fn printers_list_every_family_and_the_generic_profile() {
        let list = printers();
        assert_eq!(list.len(), Catalogue::builtin().models().len() + 1);
        assert!(
            list.iter()
                .any(|p| p.id == "k4-a" && p.models.contains(&"K4-WA".into()))
        );
        assert_eq!(list.last().unwrap().dialect, "generic");
    }

    #[test]
    fn bad_data_and_a_bad_paper_are_diagnostics() {
        assert_eq!(
            parse_data("{\"a\": ").unwrap_err().diagnostics[0].kind,
            "data"
        );
        let t = compile(&Compile {
            name: "t.slip".into(),
            source: "hi\n".into(),
            ..Compile::default()
        })
        .unwrap();
        let request = Render {
            paper: Some("70mm".into()),
            ..Render::default()
        };
        let err = render(&t, &serde_json::json!({}), &request).unwrap_err();
        assert!(err.diagnostics[0].message.contains("`70mm`"));
    }
}
