//! `application/x-www-form-urlencoded` bodies, both ways.
//!
//! Every byte outside RFC 3986's unreserved set (`A-Z a-z 0-9 - . _ ~`) is percent-encoded,
//! including space (as `%20`, which every form decoder reads as a space, while a bare `+` is read
//! as a space only by form decoders). So `&`, `+`, `%`, `=`, CJK, tags and `\r\n` in `content`
//! reach the platform intact; a raw `&` or `+` makes the platform reject the call. Empty and zero
//! values are kept: one SDK drops `voice=0` and `idempotence=0`.

/// Encodes pairs in the given order as `k1=v1&k2=v2`.
pub fn encode<'a, I, K, V>(pairs: I) -> String
where
    I: IntoIterator<Item = &'a (K, V)>,
    K: AsRef<str> + 'a,
    V: AsRef<str> + 'a,
{
    let mut out = String::new();
    for (i, (k, v)) in pairs.into_iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        encode_component(k.as_ref(), &mut out);
        out.push('=');
        encode_component(v.as_ref(), &mut out);
    }
    out
}

/// Percent-encodes one key or value into `out`.
pub fn encode_component(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
    }
}

/// Why a form body could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// A `%` not followed by two hex digits, at this byte offset.
    BadEscape(usize),
    /// The decoded bytes are not UTF-8.
    NotUtf8,
}

/// Decodes a form body into pairs, in order. `+` is a space; a pair without `=` has an empty value;
/// empty segments (`a=1&&b=2`) are skipped.
pub fn decode(body: &str) -> Result<Vec<(String, String)>, FormError> {
    let mut pairs = Vec::new();
    let mut offset = 0;
    for segment in body.split('&') {
        if !segment.is_empty() {
            let (k, v) = segment.split_once('=').unwrap_or((segment, ""));
            let key = decode_component(k, offset)?;
            let value = decode_component(v, offset + k.len() + 1)?;
            pairs.push((key, value));
        }
        offset += segment.len() + 1;
    }
    Ok(pairs)
}

fn decode_component(s: &str, offset: usize) -> Result<String, FormError> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hi = bytes.get(i + 1).and_then(|b| char::from(*b).to_digit(16));
                let lo = bytes.get(i + 2).and_then(|b| char::from(*b).to_digit(16));
                match (hi, lo) {
                    // Two hex digits make a value below 256.
                    (Some(h), Some(l)) => out.push(u8::try_from(h * 16 + l).unwrap_or(0)),
                    _ => return Err(FormError::BadEscape(offset + i)),
                }
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| FormError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONTENT: &str = "<FS2>鱼香肉丝 x1</FS2>\r\nA&B+C=50% off~\r\n";

    #[test]
    fn content_with_reserved_characters_is_encoded_exactly() {
        // Expected value computed independently with Python, not with this code:
        //   python3 -c 'from urllib.parse import quote;
        //     print(quote("<FS2>鱼香肉丝 x1</FS2>\r\nA&B+C=50% off~\r\n", safe=""))'
        let mut out = String::new();
        encode_component(CONTENT, &mut out);
        assert_eq!(
            out,
            "%3CFS2%3E%E9%B1%BC%E9%A6%99%E8%82%89%E4%B8%9D%20x1%3C%2FFS2%3E%0D%0A\
             A%26B%2BC%3D50%25%20off~%0D%0A"
        );
    }

    #[test]
    fn pairs_keep_order_zero_and_empty_values() {
        let body = encode(&[
            ("content", CONTENT),
            ("voice", "0"),
            ("idempotence", "1"),
            ("phone", ""),
        ]);
        assert!(body.ends_with("&voice=0&idempotence=1&phone="), "{body}");
        assert_eq!(
            body.matches('&').count(),
            3,
            "only separators stay raw: {body}"
        );
    }

    #[test]
    fn decode_round_trips_and_reads_plus_as_space() {
        let body = encode(&[("content", CONTENT), ("k", "")]);
        let pairs = decode(&body).unwrap();
        assert_eq!(
            pairs,
            [
                ("content".into(), CONTENT.into()),
                ("k".into(), String::new())
            ]
        );
        assert_eq!(
            decode("a=x+y&&b").unwrap(),
            [("a".into(), "x y".into()), ("b".into(), String::new())]
        );
    }

    #[test]
    fn decode_rejects_bad_escapes() {
        assert_eq!(decode("a=1&b=%G1"), Err(FormError::BadEscape(6)));
        assert_eq!(decode("a=%E9"), Err(FormError::NotUtf8));
        assert_eq!(decode("a=%4"), Err(FormError::BadEscape(2)));
    }
}
