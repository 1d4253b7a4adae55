//! Request signing, push-signature checks and request ids.
//!
//! The platform signs with `md5(client_id + timestamp + client_secret)` in lower-case hex (values
//! only, concatenated in that order; business parameters are not signed). Every request carries a
//! fresh UUIDv4 `id`. A new hasher is made for every signature: one SDK keeps one hasher per client
//! and signs every call after the first wrongly.

use md5::{Digest, Md5};

use super::secret::Secret;

/// The lower-case hex MD5 of `client_id + timestamp + client_secret`.
///
/// `timestamp` is the value sent in the `timestamp` parameter (10-digit Unix seconds) for a request,
/// or the `push_time` of a push.
pub fn sign(client_id: &str, timestamp: &str, client_secret: &Secret) -> String {
    let mut hasher = Md5::new();
    hasher.update(client_id.as_bytes());
    hasher.update(timestamp.as_bytes());
    hasher.update(client_secret.expose().as_bytes());
    hex_lower(&hasher.finalize())
}

/// Whether `given` is the signature of (`client_id`, `timestamp`, `client_secret`).
///
/// Compared case-insensitively (the vendor's examples show upper-case hex; the formula gives
/// lower-case, open question 3 in the fact sheet) and in time independent of where the two differ.
pub fn verify(client_id: &str, timestamp: &str, client_secret: &Secret, given: &str) -> bool {
    let expected = sign(client_id, timestamp, client_secret);
    constant_time_eq_ignore_ascii_case(expected.as_bytes(), given.as_bytes())
}

/// A fresh request id: a random UUIDv4, lower-case, 8-4-4-4-12.
pub fn new_request_id() -> String {
    uuid::Uuid::new_v4().hyphenated().to_string()
}

fn hex_lower(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// Compares two byte strings, ASCII case folded, touching every byte whatever the first
/// difference. Lengths are not secret (a signature is always 32 hex digits).
fn constant_time_eq_ignore_ascii_case(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut diff = 0u8;
    for (x, y) in a.iter().zip(b) {
        diff |= x.to_ascii_lowercase() ^ y.to_ascii_lowercase();
    }
    diff == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values computed independently with Python's hashlib, not with this code:
    //   python3 -c 'import hashlib;print(hashlib.md5(b"1039521561498529466abcdef0123456789").hexdigest())'
    //   python3 -c 'import hashlib;print(hashlib.md5("app易联1700000000s3cr3t&+%".encode()).hexdigest())'
    #[test]
    fn signature_matches_independent_md5() {
        let secret = Secret::new("abcdef0123456789");
        assert_eq!(
            sign("103952156", "1498529466", &secret),
            "576c5f78a4846f9729b50198cd59aa51"
        );
        let secret = Secret::new("s3cr3t&+%");
        assert_eq!(
            sign("app易联", "1700000000", &secret),
            "113de070283129f49efab97ae59f8483"
        );
    }

    #[test]
    fn every_signature_is_fresh() {
        // The Python SDK's bug: a reused hasher makes the second signature differ.
        let secret = Secret::new("abcdef0123456789");
        let first = sign("103952156", "1498529466", &secret);
        let second = sign("103952156", "1498529466", &secret);
        assert_eq!(first, second);
    }

    #[test]
    fn verify_ignores_case_and_rejects_others() {
        let secret = Secret::new("abcdef0123456789");
        let good = sign("103952156", "1498529466", &secret);
        assert!(verify("103952156", "1498529466", &secret, &good));
        assert!(verify(
            "103952156",
            "1498529466",
            &secret,
            &good.to_uppercase()
        ));
        assert!(!verify("103952156", "1498529467", &secret, &good));
        assert!(!verify(
            "103952156",
            "1498529466",
            &Secret::new("other"),
            &good
        ));
        assert!(!verify("103952156", "1498529466", &secret, &good[..31]));
        assert!(!verify("103952156", "1498529466", &secret, ""));
    }

    #[test]
    fn request_ids_are_uuid_v4_and_distinct() {
        let a = new_request_id();
        let b = new_request_id();
        assert_ne!(a, b);
        for id in [a, b] {
            assert_eq!(id.len(), 36);
            let groups: Vec<&str> = id.split('-').collect();
            assert_eq!(
                groups.iter().map(|g| g.len()).collect::<Vec<_>>(),
                [8, 4, 4, 4, 12]
            );
            assert!(groups[2].starts_with('4'), "version nibble: {id}");
            assert!(
                matches!(&groups[3][..1], "8" | "9" | "a" | "b"),
                "variant: {id}"
            );
            assert!(
                id.chars()
                    .all(|c| c == '-' || c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
            );
        }
    }
}
