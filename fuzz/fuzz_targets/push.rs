//! Any push body: a verdict, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use slipmark::cloud::{Credentials, PushReceiver};

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let receiver = PushReceiver::new(Credentials::new("1039521561", "abcdef0123456789"));
    let outcome = receiver.handle("POST", body, 1_700_000_000);
    let _ = outcome.reply();
    let _ = slipmark::cloud::push::parse(body);
});
