//! [`Data`]: order data parsed once, within the data budgets.

use serde::Serialize;

use crate::bind::{self, Budgets};
use crate::error::Error;

/// Order data parsed from JSON text, with its size and nesting checked against [`Budgets`] as
/// it is read: JSON from a customer cannot exhaust memory or the stack. A leading byte-order
/// mark is ignored. Render it in place with [`crate::Template::render_json`] and
/// [`Data::as_json`] (or pass it to [`crate::Template::render`] like any other data: the same
/// result, after a conversion).
///
/// ```
/// let data = slipmark::Data::from_json_str(r#"{"shop": "老王"}"#, &slipmark::Budgets::default())?;
/// let template = slipmark::Environment::new().template_from_str("t.slip", "{{ shop }}\n")?;
/// let doc = template.bind_json(data.as_json())?;
/// # let _ = doc;
/// # Ok::<(), slipmark::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Data(serde_json::Value);

impl Data {
    /// Parses JSON text within `budgets` (`max_data_bytes`, `max_data_depth`): a budget error
    /// when it is too large or too deep, a data error when it is not JSON.
    pub fn from_json_str(text: &str, budgets: &Budgets) -> Result<Data, Error> {
        bind::json_from_str(text, budgets).map(Data)
    }

    /// The data as JSON, for [`crate::Template::render_json`] and the other `_json` entry
    /// points.
    pub fn as_json(&self) -> &serde_json::Value {
        &self.0
    }

    /// The data as JSON, owned.
    pub fn into_json(self) -> serde_json::Value {
        self.0
    }
}

impl Serialize for Data {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
