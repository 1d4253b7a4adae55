//! Any answer from the platform: parsed into a value or an `ApiError`, never a panic; no
//! error shows the access token the answer may echo.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slipmark::cloud::response::{self, JobInfo, PrintAccepted, PrinterState, TokenBody};

fuzz_target!(|data: &[u8]| {
    let status = data
        .first()
        .map_or(200, |b| if *b < 200 { 200 } else { 500 });
    match response::parse(status, data) {
        Ok(body) => {
            let body = body.as_ref();
            let _ = TokenBody::from_body(body);
            let _ = PrintAccepted::from_body(body);
            let _ = PrinterState::from_body(body);
            let _ = JobInfo::list_from_body(body);
        }
        Err(e) => {
            let _ = format!("{e} {e:#} {e:?}");
        }
    }
});
