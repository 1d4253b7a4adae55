//! The native half of the `slipmark` Python package: JSON in, JSON out, over
//! [`slipmark::embed`]. The Python half (`python/slipmark/__init__.py`) turns the answers into
//! objects and exceptions.

use pyo3::prelude::*;
use slipmark::embed;

/// A compiled template; immutable, shared freely between threads.
#[pyclass(frozen, module = "slipmark._native")]
struct Template {
    inner: slipmark::Template,
}

#[pymethods]
impl Template {
    /// Renders with JSON data for the printer a JSON `Render` request names; returns the
    /// envelope. The GIL is released while rendering.
    fn render(&self, py: Python<'_>, data_json: &str, request_json: &str) -> String {
        py.detach(|| {
            let result = embed::parse_data(data_json).and_then(|data| {
                let request = request(request_json)?;
                embed::render(&self.inner, &data, &request)
            });
            embed::envelope(&result)
        })
    }

    /// Binds to JSON data (or `{}`) reporting every error; returns the envelope of the list.
    fn check(&self, py: Python<'_>, data_json: Option<&str>) -> String {
        py.detach(|| {
            let result = match data_json {
                Some(json) => embed::parse_data(json).map(|d| embed::check(&self.inner, Some(&d))),
                None => Ok(embed::check(&self.inner, None)),
            };
            embed::envelope(&result)
        })
    }

    /// The JSON Schema of the data the template reads, as JSON text.
    fn schema(&self) -> String {
        embed::schema(&self.inner).to_string()
    }

    /// The template's name.
    #[getter]
    fn name(&self) -> String {
        self.inner.name().to_string()
    }
}

fn request<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, embed::Failure> {
    serde_json::from_str(json).map_err(|e| {
        embed::Failure::from(slipmark::Error::new(
            slipmark::ErrorKind::Data,
            format!("bad request: {e}"),
        ))
    })
}

/// Compiles a JSON `Compile` request: `(template, None)` or `(None, failure envelope)`.
#[pyfunction]
fn compile(py: Python<'_>, request_json: &str) -> (Option<Template>, Option<String>) {
    py.detach(
        || match request(request_json).and_then(|r| embed::compile(&r)) {
            Ok(inner) => (Some(Template { inner }), None),
            Err(failure) => (None, Some(embed::envelope(&Err::<(), _>(failure)))),
        },
    )
}

/// The printers of the built-in catalogue, as the JSON envelope of a list.
#[pyfunction]
fn printers() -> String {
    embed::envelope(&Ok::<_, embed::Failure>(embed::printers()))
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Template>()?;
    m.add_function(wrap_pyfunction!(compile, m)?)?;
    m.add_function(wrap_pyfunction!(printers, m)?)?;
    Ok(())
}
