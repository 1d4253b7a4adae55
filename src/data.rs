//! [`Data`]: order data parsed once, within the data budgets.

use serde::Serialize;

use crate::bind::{self, Budgets, Value};
use crate::error::Error;

/// Order data, parsed from JSON text straight into the binder's values (no
/// `serde_json::Value` in between), with its size and nesting checked against [`Budgets`] as it
/// is read: JSON from a customer cannot exhaust memory or the stack. A leading byte-order mark
/// is ignored. Pass it to [`crate::Template::render`] like any other data.
///
/// ```
/// let data = slipmark::Data::from_json_str(r#"{"shop": "老王"}"#, &slipmark::Budgets::default())?;
/// let template = slipmark::Environment::new().template_from_str("t.slip", "{{ shop }}\n")?;
/// let doc = template.bind(&data)?;
/// # let _ = doc;
/// # Ok::<(), slipmark::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct Data(Value);

impl Data {
    /// Parses JSON text within `budgets` (`max_data_bytes`, `max_data_depth`): a budget error
    /// when it is too large or too deep, a data error when it is not JSON.
    pub fn from_json_str(text: &str, budgets: &Budgets) -> Result<Data, Error> {
        bind::from_json_str(text, budgets).map(Data)
    }
}

impl Serialize for Data {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}
