//! The render service's JSON API (`/v1/…`), for backends in any language: stateless (every
//! request carries its template, includes and data), so any number of `slipmark serve` processes
//! can run behind a load balancer. Documented for users in `docs/http-api.md`; every answer is
//! the [`slipmark::embed`] envelope.
//!
//! | endpoint | body | 200 | errors |
//! |---|---|---|---|
//! | `GET /v1/health` | | `{"ok": true, "value": {"version": …}}` | |
//! | `GET /v1/printers` | | the printers | |
//! | `POST /v1/render` | `{template, data?, printer?, paper?, deny_warnings?}` | the rendered receipt | 400 bad request, 413 too large, 422 the template, data or printer at fault |
//! | `POST /v1/check` | `{template, data?}` | every diagnostic (empty: it binds) | 400, 413, 422 (the template does not compile) |
//! | `POST /v1/schema` | `{template}` | the JSON Schema of the data | 400, 413, 422 |
//!
//! `template` is `{name?, source, includes?}` (includes: a name → text map; the service reads no
//! file). Errors are `{"ok": false, "diagnostics": [...]}` with the status above; a malformed
//! request is a 400 with one `request` diagnostic. Work per request is bounded by the template
//! budgets (`slipmark::Budgets`), so a runaway template ends with a 422 `budget` diagnostic.

use std::collections::BTreeMap;

use serde::Deserialize;
use slipmark::embed::{self, Compile, Diagnostic, Failure, Render};

use super::{Request, Response};

/// The largest request body the service reads.
pub const MAX_BODY: usize = 1 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateIn {
    #[serde(default = "default_name")]
    name: String,
    source: String,
    #[serde(default)]
    includes: BTreeMap<String, String>,
}

fn default_name() -> String {
    "template.slip".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenderIn {
    template: TemplateIn,
    #[serde(default)]
    data: Option<serde_json::Value>,
    #[serde(default)]
    printer: String,
    #[serde(default)]
    paper: Option<String>,
    #[serde(default)]
    deny_warnings: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CheckIn {
    template: TemplateIn,
    #[serde(default)]
    data: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SchemaIn {
    template: TemplateIn,
}

fn answer(status: u16, body: String) -> Response {
    Response {
        status,
        content_type: "application/json; charset=utf-8",
        body: body.into_bytes(),
    }
}

fn ok<T: serde::Serialize>(value: &T) -> Response {
    answer(200, embed::envelope(&Ok::<_, Failure>(value)))
}

fn failed(status: u16, failure: Failure) -> Response {
    answer(status, embed::envelope(&Err::<(), _>(failure)))
}

/// A diagnostic about the request itself (not the template): kind `request`.
fn request_error(status: u16, message: String) -> Response {
    failed(
        status,
        Failure {
            diagnostics: vec![Diagnostic {
                severity: "error",
                kind: "request",
                rendered: format!("error[request]: {message}"),
                message,
                file: None,
                line: None,
                column: None,
                span: None,
                hint: Some("see docs/http-api.md for the request shapes".into()),
            }],
        },
    )
}

fn parse<'a, T: Deserialize<'a>>(body: &'a [u8]) -> Result<T, Response> {
    if body.len() > MAX_BODY {
        return Err(request_error(
            413,
            format!("the request is larger than {MAX_BODY} bytes"),
        ));
    }
    serde_json::from_slice(body).map_err(|e| request_error(400, format!("bad request: {e}")))
}

fn compile(t: TemplateIn) -> Result<slipmark::Template, Response> {
    embed::compile(&Compile {
        name: t.name,
        source: t.source,
        includes: Some(t.includes),
        include_dir: None,
    })
    .map_err(|f| failed(422, f))
}

/// Answers a `/v1/…` request, or `None` for a path that is not the API's.
pub fn handle(req: &Request) -> Option<Response> {
    let result = match (req.method, req.path) {
        ("GET", "/v1/health") => Ok(ok(
            &serde_json::json!({ "version": env!("CARGO_PKG_VERSION") }),
        )),
        ("GET", "/v1/printers") => Ok(ok(&embed::printers())),
        ("POST", "/v1/render") => parse::<RenderIn>(req.body).and_then(|r| {
            let template = compile(r.template)?;
            let request = Render {
                printer: r.printer,
                paper: r.paper,
                deny_warnings: r.deny_warnings,
            };
            let data = r.data.unwrap_or_else(|| serde_json::json!({}));
            Ok(match embed::render(&template, &data, &request) {
                Ok(rendered) => ok(&rendered),
                Err(f) => failed(422, f),
            })
        }),
        ("POST", "/v1/check") => parse::<CheckIn>(req.body)
            .and_then(|r| Ok(ok(&embed::check(&compile(r.template)?, r.data.as_ref())))),
        ("POST", "/v1/schema") => {
            parse::<SchemaIn>(req.body).and_then(|r| Ok(ok(&embed::schema(&compile(r.template)?))))
        }
        (_, path) if path.starts_with("/v1/") => Err(request_error(
            404,
            format!("no endpoint `{} {path}`", req.method),
        )),
        _ => return None,
    };
    Some(result.unwrap_or_else(|response| response))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(method: &str, path: &str, body: &str) -> (u16, serde_json::Value) {
        let r = handle(&Request {
            method,
            path,
            body: body.as_bytes(),
        })
        .expect("an API path");
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    #[test]
    fn render_answers_content_or_located_diagnostics() {
        let body = r##"{"template": {"name": "t.slip", "source": "# {{ shop }}\n"}, "data": {"shop": "老王"}, "printer": "K4-WA"}"##;
        let (status, v) = call("POST", "/v1/render", body);
        assert_eq!(status, 200, "{v}");
        assert_eq!(
            v["value"]["jobs"][0]["content"],
            "            <FS2>老王</FS2>\n"
        );
        let body = r#"{"template": {"name": "t.slip", "source": "{{ shop | mony }}\n"}}"#;
        let (status, v) = call("POST", "/v1/render", body);
        assert_eq!(status, 422);
        assert_eq!(v["diagnostics"][0]["kind"], "filter");
        assert_eq!(v["diagnostics"][0]["line"], 1);
        let (status, v) = call(
            "POST",
            "/v1/render",
            r#"{"template": {"source": "{{ a.b }}"}}"#,
        );
        assert_eq!(
            (status, v["diagnostics"][0]["kind"].as_str()),
            (422, Some("undefined"))
        );
    }

    #[test]
    fn malformed_and_oversized_requests_are_4xx_with_a_diagnostic() {
        let (status, v) = call("POST", "/v1/render", "{\"template\": ");
        assert_eq!(
            (status, v["diagnostics"][0]["kind"].as_str()),
            (400, Some("request"))
        );
        let (status, _) = call("POST", "/v1/render", r#"{"tmpl": {}}"#);
        assert_eq!(status, 400);
        let big = format!(
            r#"{{"template": {{"source": "{}"}}}}"#,
            "x".repeat(MAX_BODY)
        );
        let (status, v) = call("POST", "/v1/render", &big);
        assert_eq!(status, 413, "{v}");
        let (status, _) = call("GET", "/v1/nothing", "");
        assert_eq!(status, 404);
        assert!(
            handle(&Request {
                method: "GET",
                path: "/",
                body: b""
            })
            .is_none()
        );
    }

    #[test]
    fn check_schema_printers_and_health() {
        let (status, v) = call(
            "POST",
            "/v1/check",
            r#"{"template": {"source": "{{ a }}\n{{ b }}\n"}, "data": {}}"#,
        );
        assert_eq!(status, 200);
        assert_eq!(v["value"].as_array().unwrap().len(), 2);
        let (status, v) = call(
            "POST",
            "/v1/schema",
            r#"{"template": {"source": "{{ order.total | money }}\n"}}"#,
        );
        assert_eq!(status, 200);
        assert_eq!(v["value"]["properties"]["order"]["type"], "object");
        let (_, v) = call("GET", "/v1/printers", "");
        assert!(
            v["value"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["id"] == "k4")
        );
        let (status, v) = call("GET", "/v1/health", "");
        assert_eq!((status, v["ok"].as_bool()), (200, Some(true)));
    }
}
