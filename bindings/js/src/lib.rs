//! The WASM half of the `slipmark` npm package: JSON in, JSON envelopes out, over
//! [`slipmark::embed`]. The JavaScript half (`index.js`) turns them into objects and errors.

use slipmark::embed;
use wasm_bindgen::prelude::*;

/// A compiled template.
#[wasm_bindgen]
pub struct Template {
    inner: slipmark::Template,
}

fn request<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, embed::Failure> {
    serde_json::from_str(json).map_err(|e| {
        embed::Failure::from(slipmark::Error::new(
            slipmark::ErrorKind::Data,
            format!("bad request: {e}"),
        ))
    })
}

/// The result of [`compile`]: a template, or the envelope of the failure.
#[wasm_bindgen]
pub struct Compiled {
    template: Option<Template>,
    failure: Option<String>,
}

#[wasm_bindgen]
impl Compiled {
    /// Takes the template (once), if compiling succeeded.
    #[wasm_bindgen(js_name = takeTemplate)]
    pub fn take_template(&mut self) -> Option<Template> {
        self.template.take()
    }

    /// The failure envelope, if compiling failed.
    #[wasm_bindgen(getter)]
    pub fn failure(&self) -> Option<String> {
        self.failure.clone()
    }
}

/// Compiles a JSON `Compile` request.
#[wasm_bindgen]
pub fn compile(request_json: &str) -> Compiled {
    match request(request_json).and_then(|r| embed::compile(&r)) {
        Ok(inner) => Compiled {
            template: Some(Template { inner }),
            failure: None,
        },
        Err(f) => Compiled {
            template: None,
            failure: Some(embed::envelope(&Err::<(), _>(f))),
        },
    }
}

#[wasm_bindgen]
impl Template {
    /// Renders with JSON data for a JSON `Render` request; returns the envelope.
    pub fn render(&self, data_json: &str, request_json: &str) -> String {
        let result = embed::parse_data(data_json).and_then(|data| {
            let request = request(request_json)?;
            embed::render(&self.inner, &data, &request)
        });
        embed::envelope(&result)
    }

    /// Binds to JSON data (or `{}`) reporting every error; returns the envelope of the list.
    pub fn check(&self, data_json: Option<String>) -> String {
        let result = match data_json {
            Some(json) => embed::parse_data(&json).map(|d| embed::check(&self.inner, Some(&d))),
            None => Ok(embed::check(&self.inner, None)),
        };
        embed::envelope(&result)
    }

    /// The JSON Schema of the data the template reads, as JSON text.
    pub fn schema(&self) -> String {
        embed::schema(&self.inner).to_string()
    }

    /// The template's name.
    #[wasm_bindgen(getter)]
    pub fn name(&self) -> String {
        self.inner.name().to_string()
    }
}

/// The printers of the built-in catalogue, as the envelope of a list.
#[wasm_bindgen]
pub fn printers() -> String {
    embed::envelope(&Ok::<_, embed::Failure>(embed::printers()))
}
