//! Exactly-once printing.
//!
//! Every print carries an `origin_id` (ours if the caller gives none) and `idempotence=1`, so the
//! platform answers a repeated `origin_id` within 2 h with the first job instead of printing again.
//! A print whose answer is lost is therefore sent again with the same `origin_id` (see
//! [`Client::send`]); if every attempt is lost, the error says the outcome is unknown and the caller
//! may retry later with the same [`OriginId`], still within the 2 h window.
//!
//! Open question 7 (`origin_id` is ≤32 letters and digits in v1, ≤64 bytes of anything in v2): we
//! accept only the stricter v1 form so an id works on both.

use std::fmt;

use super::client::Client;
use super::error::{ApiError, ApiErrorKind};
use super::request::ApiRequest;
use super::response::PrintAccepted;

/// The caller's id for a print job, the key of the platform's de-duplication.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OriginId(String);

impl OriginId {
    /// The longest id accepted (v1's limit).
    pub const MAX_LEN: usize = 32;

    /// Checks an id: 1 to 32 ASCII letters and digits.
    pub fn new(id: impl Into<String>) -> Result<Self, ApiError> {
        let id = id.into();
        if id.is_empty()
            || id.len() > Self::MAX_LEN
            || !id.bytes().all(|b| b.is_ascii_alphanumeric())
        {
            return Err(ApiError::new(
                ApiErrorKind::InvalidInput,
                format!("origin_id must be 1 to 32 ASCII letters and digits, got {id:?}"),
            ));
        }
        Ok(OriginId(id))
    }

    /// A fresh random id (32 hex digits of a UUIDv4).
    pub fn generate() -> Self {
        OriginId(uuid::Uuid::new_v4().simple().to_string())
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OriginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Client {
    /// Prints layout-tag `content` on `machine_code` exactly once, de-duplicated by `origin_id`.
    pub fn print_text(
        &self,
        machine_code: &str,
        content: &str,
        origin_id: &OriginId,
    ) -> Result<PrintAccepted, ApiError> {
        let request = ApiRequest::print_text(machine_code, content, origin_id.as_str());
        self.accepted(machine_code, &request, origin_id)
    }

    /// Prints a picture by URL exactly once, de-duplicated by `origin_id`.
    pub fn print_picture(
        &self,
        machine_code: &str,
        picture_url: &str,
        origin_id: &OriginId,
    ) -> Result<PrintAccepted, ApiError> {
        let request = ApiRequest::print_picture(machine_code, picture_url, origin_id.as_str());
        self.accepted(machine_code, &request, origin_id)
    }

    fn accepted(
        &self,
        machine_code: &str,
        request: &ApiRequest,
        origin_id: &OriginId,
    ) -> Result<PrintAccepted, ApiError> {
        let body = self.call(Some(machine_code), request)?;
        let job = PrintAccepted::from_body(body.as_ref()).map_err(|e| e.on(request.path))?;
        if job.origin_id != origin_id.as_str() {
            // An answer about another job: never report it as ours.
            return Err(ApiError::new(
                ApiErrorKind::MalformedResponse,
                format!(
                    "answer is for origin_id {:?}, not {:?}",
                    job.origin_id,
                    origin_id.as_str()
                ),
            )
            .on(request.path));
        }
        Ok(job)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_ids_are_checked() {
        assert!(OriginId::new("order20261128A1").is_ok());
        assert!(OriginId::new("a".repeat(32)).is_ok());
        for bad in ["", "has space", "订单1", "a-b", &"a".repeat(33)] {
            let e = OriginId::new(bad).unwrap_err();
            assert_eq!(e.kind(), &ApiErrorKind::InvalidInput, "{bad:?}");
        }
        let g = OriginId::generate();
        assert_eq!(g.as_str().len(), 32);
        assert!(OriginId::new(g.as_str()).is_ok());
        assert_ne!(g, OriginId::generate());
    }
}
