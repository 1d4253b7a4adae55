//! Properties of the cloud client's pure parts: no panic on any input, exact round trips.

use proptest::prelude::*;
use slipmark::cloud::{Credentials, PushOutcome, PushReceiver, form, push, response, sign};

proptest! {
    #[test]
    fn form_round_trips_any_text(pairs in proptest::collection::vec((".*", ".*"), 0..6)) {
        let encoded = form::encode(&pairs);
        // Only `&` separators and `=` between key and value stay raw.
        prop_assert_eq!(encoded.matches('&').count(), pairs.len().saturating_sub(1));
        prop_assert!(!encoded.contains('+') && !encoded.contains(' '));
        prop_assert_eq!(form::decode(&encoded).unwrap(), pairs);
    }

    #[test]
    fn response_parsing_never_panics(status in 0u16..700, bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let _ = response::parse(status, &bytes);
    }

    #[test]
    fn envelope_codes_as_number_or_string_agree(code in 0i64..100_000) {
        let a = response::parse(200, format!(r#"{{"error":{code},"error_description":"x"}}"#).as_bytes());
        let b = response::parse(200, format!(r#"{{"error":"{code}","error_description":"x"}}"#).as_bytes());
        prop_assert_eq!(a, b);
    }

    #[test]
    fn push_handling_never_panics_and_never_accepts_unsigned(body in ".*") {
        let r = PushReceiver::new(Credentials::new("id", "secret"));
        let _ = push::parse(&body);
        prop_assert!(!matches!(r.handle("POST", &body, 1_700_000_000), PushOutcome::Accepted(_)));
    }

    #[test]
    fn signature_is_32_lower_hex_and_verifies(id in "[0-9]{1,12}", ts in "[0-9]{10}", secret in ".{0,40}") {
        let s = sign::sign(&id, &ts, &slipmark::cloud::Secret::new(secret.clone()));
        prop_assert_eq!(s.len(), 32);
        prop_assert!(s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        prop_assert!(sign::verify(&id, &ts, &slipmark::cloud::Secret::new(secret), &s.to_uppercase()));
    }
}
