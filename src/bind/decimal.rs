//! Exact decimal numbers for money: no binary floating-point noise (`0.1 + 0.2` is `0.3`).

use std::cmp::Ordering;
use std::fmt;

/// The largest scale kept (digits after the point).
pub(crate) const MAX_SCALE: u32 = 18;

/// A decimal number `mantissa × 10^-scale`.
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    mantissa: i128,
    scale: u32,
}

impl Decimal {
    /// Zero.
    pub const ZERO: Decimal = Decimal {
        mantissa: 0,
        scale: 0,
    };

    /// An integer.
    pub fn from_i128(n: i128) -> Decimal {
        Decimal {
            mantissa: n,
            scale: 0,
        }
    }

    /// Parses `-12`, `3.50`, `1e-3`, `2.5E+2` (the forms JSON and literals produce).
    pub fn parse(s: &str) -> Option<Decimal> {
        let s = s.trim();
        let (num, exp) = match s.find(['e', 'E']) {
            Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
            None => (s, 0),
        };
        let (neg, digits) = match num.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, num.strip_prefix('+').unwrap_or(num)),
        };
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        if int.is_empty() && frac.is_empty() {
            return None;
        }
        if !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let mut mantissa: i128 = 0;
        let mut digits = int.bytes().chain(frac.bytes());
        // Up to 18 digits fit a u64 whatever they are: read them there (fast), the rest, if
        // any, checked in i128 as before.
        let mut small: u64 = 0;
        for b in digits.by_ref().take(18) {
            small = small * 10 + u64::from(b - b'0');
        }
        mantissa += i128::from(small);
        for b in digits {
            mantissa = mantissa
                .checked_mul(10)?
                .checked_add(i128::from(b - b'0'))?;
        }
        let mut scale = frac.len() as i64 - i64::from(exp);
        if mantissa == 0 {
            // Zero at any exponent is zero: never walk a huge exponent one step at a time.
            return Some(Decimal::ZERO);
        }
        if scale < 0 {
            // A nonzero mantissa times more than 10^38 overflows an i128.
            let p = u32::try_from(-scale).ok().filter(|p| *p <= 38)?;
            mantissa = mantissa.checked_mul(10i128.checked_pow(p)?)?;
            scale = 0;
        }
        if scale > i64::from(MAX_SCALE) + 38 {
            // Smaller than the last digit kept: rounds to zero.
            return Some(Decimal::ZERO);
        }
        let mut d = Decimal {
            mantissa: if neg { -mantissa } else { mantissa },
            scale: u32::try_from(scale).ok()?,
        };
        while d.scale > MAX_SCALE {
            d = d.round(MAX_SCALE)?;
        }
        Some(d)
    }

    /// The fast path of [`Decimal::parse`] for the text a JSON number usually is: an optional
    /// `-`, digits, and optionally `.` and more digits, 18 digits at most in all (no exponent,
    /// no sign `+`, no spaces). Such text is read in one pass into a `u64`, which cannot
    /// overflow at 18 digits; `parse` reads it the same way (its digits into a mantissa, the
    /// fraction's length the scale, zero as [`Decimal::ZERO`], a scale of at most 18 kept as
    /// is), so both give the same decimal. `None` for any other text (then ask `parse`).
    pub(crate) fn parse_plain(s: &str) -> Option<Decimal> {
        let bytes = s.as_bytes();
        let (neg, digits) = match bytes.split_first() {
            Some((b'-', rest)) => (true, rest),
            _ => (false, bytes),
        };
        let mut mantissa: u64 = 0;
        let mut count = 0u32;
        let mut point: Option<u32> = None;
        for &b in digits {
            match b {
                b'0'..=b'9' => {
                    mantissa = mantissa * 10 + u64::from(b - b'0');
                    count += 1;
                    if count > 18 {
                        return None;
                    }
                }
                b'.' if point.is_none() && count > 0 => point = Some(count),
                _ => return None,
            }
        }
        let scale = match point {
            // A point must have digits after it (`1.` is not a JSON number).
            Some(at) if at == count => return None,
            Some(at) => count - at,
            None if count == 0 => return None,
            None => 0,
        };
        if mantissa == 0 {
            return Some(Decimal::ZERO);
        }
        let m = i128::from(mantissa);
        Some(Decimal {
            mantissa: if neg { -m } else { m },
            scale,
        })
    }

    /// Whether `text` is plain number text ([`Decimal::parse_plain`] reads it) that
    /// [`Decimal::write_to`] writes back unchanged: an optional `-`, an integer part without a
    /// leading zero (or just `0` before a point), an optional fraction, 18 digits at most in
    /// all, and not zero (zero prints as `0` whatever its text). Then printing the text is
    /// printing its number: the mantissa's digits are the text's digits from the first nonzero
    /// one, and the scale is the fraction's length, so `write_to` puts the point where it was
    /// and the zeros of `0.0…` back.
    #[cfg_attr(not(feature = "exact_numbers"), allow(dead_code))]
    #[inline]
    pub(crate) fn prints_as_written(text: &str) -> bool {
        // A single nonzero digit (a quantity) is such text: answered without the call.
        if let [b'1'..=b'9'] = text.as_bytes() {
            return true;
        }
        Decimal::prints_as_written_in_full(text)
    }

    /// [`Decimal::prints_as_written`], every case.
    #[cfg_attr(not(feature = "exact_numbers"), allow(dead_code))]
    fn prints_as_written_in_full(text: &str) -> bool {
        // One pass: the integer digits, then a point and the fraction's digits, noting a
        // nonzero digit on the way.
        let bytes = text.as_bytes();
        let digits = bytes.strip_prefix(b"-").unwrap_or(bytes);
        let mut nonzero = false;
        let mut run = |from: usize| {
            let mut at = from;
            while let Some(&b) = digits.get(at).filter(|b| b.is_ascii_digit()) {
                nonzero |= b != b'0';
                at += 1;
            }
            at
        };
        let int = run(0);
        // No integer part, or a leading zero before another digit (`05`, `00.5`).
        if int == 0 || (int > 1 && digits[0] == b'0') {
            return false;
        }
        let end = match digits.get(int) {
            None => int,
            // A point with digits after it, and nothing after them.
            Some(b'.') => match run(int + 1) {
                end if end > int + 1 && end == digits.len() => end,
                _ => return false,
            },
            Some(_) => return false,
        };
        // (A lone `0` is zero: `nonzero` is false.)
        let count = end - usize::from(end > int);
        count <= 18 && nonzero
    }

    /// Converts a float through its shortest round-trip representation (`0.1` → `0.1`).
    /// (Data numbers of serde_json's arbitrary-precision form are read from their text instead,
    /// which keeps every digit; a float comes from data serialised without it.)
    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        // The float's text, on the stack: its shortest round-trip digits, written without an
        // exponent (at most ~330 bytes for the smallest subnormals; longer text falls back to a
        // String, the same text).
        let mut buf = StackText::<352>::default();
        if fmt::Write::write_fmt(&mut buf, format_args!("{f}")).is_ok() {
            return Decimal::parse(buf.as_str());
        }
        Decimal::parse(&format!("{f}"))
    }

    /// Whether this is an integer value.
    pub fn is_integer(self) -> bool {
        self.mantissa % 10i128.pow(self.scale) == 0
    }

    /// The value as an integer, if it is one and fits.
    pub fn to_i64(self) -> Option<i64> {
        if !self.is_integer() {
            return None;
        }
        i64::try_from(self.mantissa / 10i128.pow(self.scale)).ok()
    }

    /// Whether the value is below zero (its printed form starts with `-`).
    pub(crate) fn is_negative(self) -> bool {
        self.mantissa < 0
    }

    /// Whether the value is zero.
    pub fn is_zero(self) -> bool {
        self.mantissa == 0
    }

    fn rescale(self, scale: u32) -> Option<Decimal> {
        if scale >= self.scale {
            // A mantissa that fits an i64 times at most 10^18 cannot overflow an i128
            // (|m| ≤ 2^63, 10^18 < 2^60): the product without `checked_pow` and `checked_mul`,
            // which would give the same.
            let factor = POW10.get((scale - self.scale) as usize);
            if let (Ok(m), Some(&f)) = (i64::try_from(self.mantissa), factor) {
                return Some(Decimal {
                    mantissa: i128::from(m) * i128::from(f),
                    scale,
                });
            }
            let m = self
                .mantissa
                .checked_mul(10i128.checked_pow(scale - self.scale)?)?;
            Some(Decimal { mantissa: m, scale })
        } else {
            self.round(scale)
        }
    }

    fn align(self, other: Decimal) -> Option<(i128, i128, u32)> {
        let scale = self.scale.max(other.scale);
        Some((
            self.rescale(scale)?.mantissa,
            other.rescale(scale)?.mantissa,
            scale,
        ))
    }

    /// `self + other`, `None` on overflow.
    pub fn checked_add(self, other: Decimal) -> Option<Decimal> {
        let (a, b, scale) = self.align(other)?;
        Some(Decimal {
            mantissa: a.checked_add(b)?,
            scale,
        })
    }

    /// `self - other`.
    pub fn checked_sub(self, other: Decimal) -> Option<Decimal> {
        self.checked_add(other.checked_neg()?)
    }

    /// `-self`.
    pub fn checked_neg(self) -> Option<Decimal> {
        Some(Decimal {
            mantissa: self.mantissa.checked_neg()?,
            scale: self.scale,
        })
    }

    /// `self * other`.
    pub fn checked_mul(self, other: Decimal) -> Option<Decimal> {
        let mantissa = match (i64::try_from(self.mantissa), i64::try_from(other.mantissa)) {
            // Two i64s multiply within an i128 (|a × b| < 2^126): no overflow check needed.
            (Ok(a), Ok(b)) => i128::from(a) * i128::from(b),
            _ => self.mantissa.checked_mul(other.mantissa)?,
        };
        let mut d = Decimal {
            mantissa,
            scale: self.scale + other.scale,
        };
        if d.scale > MAX_SCALE {
            d = d.round(MAX_SCALE)?;
        }
        Some(d)
    }

    /// `self / other` to `MAX_SCALE` (18) digits, trailing zeros removed; `None` when dividing by
    /// zero or on overflow.
    pub fn checked_div(self, other: Decimal) -> Option<Decimal> {
        if other.mantissa == 0 {
            return None;
        }
        // self/other = (a / b) with both at the same scale; compute a * 10^k / b.
        let (a, b, _) = self.align(other)?;
        let mut k = MAX_SCALE;
        let num = loop {
            if let Some(n) = 10i128.checked_pow(k).and_then(|p| a.checked_mul(p)) {
                break n;
            }
            if k == 0 {
                return None;
            }
            k -= 1;
        };
        // `i128::MIN / -1` overflows: checked, like every other step.
        let q = num.checked_div(b)?;
        let r = num.checked_rem(b)?;
        // round half away from zero
        let q = if r.unsigned_abs() * 2 >= b.unsigned_abs() {
            q.checked_add(if (num < 0) != (b < 0) { -1 } else { 1 })?
        } else {
            q
        };
        Some(
            Decimal {
                mantissa: q,
                scale: k,
            }
            .normalized(),
        )
    }

    /// `self % other` (sign of `self`), `None` when `other` is zero.
    pub fn checked_rem(self, other: Decimal) -> Option<Decimal> {
        let (a, b, scale) = self.align(other)?;
        if b == 0 {
            return None;
        }
        Some(Decimal {
            // `i128::MIN % -1` overflows in the machine, but is 0.
            mantissa: if b == -1 { 0 } else { a.checked_rem(b)? },
            scale,
        })
    }

    /// Rounded to `scale` digits, half away from zero (四舍五入), keeping exactly `scale` digits
    /// when rounding up in precision is not needed.
    pub fn round(self, scale: u32) -> Option<Decimal> {
        if scale >= self.scale {
            return self.rescale(scale);
        }
        let div = 10i128.checked_pow(self.scale - scale)?;
        let q = self.mantissa / div;
        let r = self.mantissa % div;
        let q = if r.unsigned_abs() * 2 >= div.unsigned_abs() {
            q + self.mantissa.signum()
        } else {
            q
        };
        Some(Decimal { mantissa: q, scale })
    }

    /// Trailing zeros after the point removed.
    pub fn normalized(mut self) -> Decimal {
        while self.scale > 0 && self.mantissa % 10 == 0 {
            self.mantissa /= 10;
            self.scale -= 1;
        }
        self
    }
}

/// The digits of `00` to `99`, two bytes each.
const PAIRS: [u8; 200] = {
    let mut p = [0u8; 200];
    let mut i = 0;
    while i < 100 {
        p[2 * i] = b'0' + (i / 10) as u8;
        p[2 * i + 1] = b'0' + (i % 10) as u8;
        i += 1;
    }
    p
};

/// [`Decimal::parse_plain`] of `s` as its mantissa, in an `i64` (at most 18 digits: it fits),
/// and its scale: zero as `0` at scale 0, as `parse_plain` makes it [`Decimal::ZERO`]. A
/// single digit (a quantity) is read without the loop.
#[cfg_attr(not(feature = "exact_numbers"), allow(dead_code))]
#[inline]
fn plain_i64(s: &str) -> Option<(i64, u32)> {
    let bytes = s.as_bytes();
    if let &[b @ b'0'..=b'9'] = bytes {
        return Some((i64::from(b - b'0'), 0));
    }
    let (neg, digits) = match bytes.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, bytes),
    };
    if digits.len() > 19 {
        // More than 18 digits (and a point): `parse_plain` reads nothing.
        return None;
    }
    // (19 digits fit a u64: read before their count is checked.)
    let mut mantissa: u64 = 0;
    let mut point = None;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => mantissa = mantissa * 10 + u64::from(b - b'0'),
            b'.' if point.is_none() && i > 0 => point = Some(i),
            _ => return None,
        }
    }
    let count = digits.len() - usize::from(point.is_some());
    let scale = match point {
        Some(at) if at == digits.len() - 1 => return None,
        Some(at) => digits.len() - 1 - at,
        None if count == 0 => return None,
        None => 0,
    };
    if count > 18 {
        return None;
    }
    if mantissa == 0 {
        return Some((0, 0));
    }
    // At most 18 digits: below 10^18, an i64.
    let m = i64::try_from(mantissa).ok()?;
    Some((if neg { -m } else { m }, scale as u32))
}

/// Writes the decimal digits of `m` into `buf`, ending just before `end`, two at a time from
/// [`PAIRS`]; returns where they start.
#[inline]
fn u64_digits(mut m: u64, buf: &mut [u8], end: usize) -> usize {
    let mut at = end;
    while m >= 100 {
        let pair = (m % 100) as usize * 2;
        m /= 100;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if m >= 10 {
        let pair = m as usize * 2;
        at -= 2;
        buf[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        at -= 1;
        buf[at] = b'0' + m as u8;
    }
    at
}

/// Writes `x · y` at `scale` decimals as cents ([`write_cents_i64`]) when it has at most two
/// decimals and the cents fit an `i64`; `false`, having written nothing, otherwise.
#[inline(always)]
fn product_cents(x: i64, y: i64, scale: usize, out: &mut String) -> bool {
    let Some(&factor) = POW10.get(2usize.wrapping_sub(scale)) else {
        return false;
    };
    match x.checked_mul(y).and_then(|m| m.checked_mul(factor)) {
        Some(cents) => {
            write_cents_i64(cents, out);
            true
        }
        None => false,
    }
}

/// Cents of a magnitude below this (up to 9,999.99: every price and line total) are written
/// by [`write_short_cents`], digit by digit straight into the output; larger ones through a
/// buffer ([`write_cents_buffered`]).
const SHORT_CENTS: u64 = 1_000_000;

/// Writes `cents` hundredths as `write_to` writes a number of scale 2 (`-`, the integer
/// part, `0` below one, `.` and two digits) at the end of `out`.
#[inline]
fn write_cents_i64(cents: i64, out: &mut String) {
    let u = cents.unsigned_abs();
    if u < SHORT_CENTS {
        write_short_cents(cents < 0, u, out);
    } else {
        write_cents_buffered(cents, out);
    }
}

/// [`write_cents_buffered`] of `u` cents (negative when `negative`), for `u` below
/// [`SHORT_CENTS`]: each character pushed onto `out` as it is worked out (the integer part's
/// one to four digits by their count), without the buffer the digits are otherwise written
/// into back to front and copied from (proptest `short_cents_are_written_as_buffered`).
#[inline(always)]
fn write_short_cents(negative: bool, u: u64, out: &mut String) {
    debug_assert!(u < SHORT_CENTS);
    let (int, frac) = ((u / 100) as usize, (u % 100) as usize);
    if negative {
        out.push('-');
    }
    if int >= 100 {
        push_digits(out, int / 100);
        push_pair(out, int % 100);
    } else {
        push_digits(out, int);
    }
    out.push('.');
    push_pair(out, frac);
}

/// Pushes `n` (below 100) as one digit, or two from ten on.
#[inline(always)]
fn push_digits(out: &mut String, n: usize) {
    if n >= 10 {
        push_pair(out, n);
    } else {
        out.push(char::from(b'0' + (n % 10) as u8));
    }
}

/// Pushes `n` (below 100) as two digits, from [`PAIRS`].
#[inline(always)]
fn push_pair(out: &mut String, n: usize) {
    let at = (n % 100) * 2;
    // (ASCII digits, masked to seven bits so that each push is one byte's: see `push_ascii`.)
    out.push(char::from(PAIRS[at] & 0x7f));
    out.push(char::from(PAIRS[at + 1] & 0x7f));
}

/// [`write_cents_i64`] for any `cents`: the digits written back to front into a buffer on the
/// stack, then pushed.
#[inline(never)]
fn write_cents_buffered(cents: i64, out: &mut String) {
    let mut buf = [0u8; 24];
    let mut at = buf.len() - 3;
    let u = cents.unsigned_abs();
    let pair = (u % 100) as usize * 2;
    buf[at] = b'.';
    buf[at + 1..].copy_from_slice(&PAIRS[pair..pair + 2]);
    at = u64_digits(u / 100, &mut buf, at);
    if cents < 0 {
        at -= 1;
        buf[at] = b'-';
    }
    // ASCII, pushed as chars (as `write_to` does: no UTF-8 check of the whole).
    push_ascii(out, &buf[at..]);
}

/// Pushes `bytes`, ASCII (digits, `.`, `-`), onto `out`, each as its character: each byte
/// masked to seven bits first, which leaves an ASCII byte as it is and tells the compiler that
/// each character is one byte of UTF-8 (so each push is a byte's, without the encoding of
/// wider characters).
#[inline]
fn push_ascii(out: &mut String, bytes: &[u8]) {
    debug_assert!(bytes.is_ascii());
    out.reserve(bytes.len());
    for &b in bytes {
        out.push(char::from(b & 0x7f));
    }
}

/// 10^0 to 10^18 (the powers an i64 holds).
const POW10: [i64; 19] = {
    let mut p = [1i64; 19];
    let mut i = 1;
    while i < 19 {
        p[i] = p[i - 1] * 10;
        i += 1;
    }
    p
};

/// Text written into a fixed buffer on the stack; writing more than `N` bytes fails.
struct StackText<const N: usize> {
    buf: [u8; N],
    len: usize,
}

impl<const N: usize> Default for StackText<N> {
    fn default() -> Self {
        StackText {
            buf: [0; N],
            len: 0,
        }
    }
}

impl<const N: usize> StackText<N> {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }
}

impl<const N: usize> fmt::Write for StackText<N> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        let end = self.len + s.len();
        let dest = self.buf.get_mut(self.len..end).ok_or(fmt::Error)?;
        dest.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

impl PartialEq for Decimal {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Self) -> Ordering {
        match self.align(*other) {
            Some((a, b, _)) => a.cmp(&b),
            // Aligning overflowed: the one with more integer digits decides; compare by sign
            // and then by the integer part.
            None => {
                let ia = self.mantissa / 10i128.pow(self.scale);
                let ib = other.mantissa / 10i128.pow(other.scale);
                ia.cmp(&ib)
            }
        }
    }
}

impl Decimal {
    /// The printed form (`3.50`, `-0.125`, `0.00`: `scale` digits after the point) at the end
    /// of `out`, written without the formatting machinery (a receipt prints every price).
    pub fn write_to(self, out: &mut String) {
        // The pieces are ASCII (digits, `-`, `.`, `0`): pushed as chars, byte by byte, which
        // is the same text without a UTF-8 check of each piece, into room reserved once.
        let mut buf = [0u8; 39];
        let digits = self.digits(&mut buf);
        let scale = self.scale as usize;
        out.reserve(digits.len() + scale + 3);
        let push = push_ascii;
        if self.mantissa < 0 {
            out.push('-');
        }
        if digits.len() <= scale {
            // `0.` and the zeros before the first digit.
            out.push_str("0.");
            for _ in digits.len()..scale {
                out.push('0');
            }
            push(out, digits);
            return;
        }
        let (int, frac) = digits.split_at(digits.len() - scale);
        push(out, int);
        if !frac.is_empty() {
            out.push('.');
            push(out, frac);
        }
    }

    /// What `money` without a symbol writes of this number (`round(2)`, then
    /// [`Decimal::write_to`]) at the end of `out`, for a number of at most two decimals
    /// whose cents fit an i64 (every price): the cents written straight, two digits at a time,
    /// without rounding and rescaling an i128 first. `false`, having written nothing, for any
    /// other number (then round and write it).
    ///
    /// The same text: at most two decimals, `round(2)` only rescales (the mantissa times
    /// 10^(2 - scale), scale 2), and `write_to` of that writes a `-` for a negative number,
    /// the integer part (`0` below one), `.` and the two decimals.
    pub(crate) fn write_cents(self, out: &mut String) -> bool {
        let (Some(&factor), Ok(m)) = (
            POW10.get(2usize.wrapping_sub(self.scale as usize)),
            i64::try_from(self.mantissa),
        ) else {
            return false;
        };
        let Some(cents) = m.checked_mul(factor) else {
            return false;
        };
        write_cents_i64(cents, out);
        true
    }

    /// What `checked_mul` and then [`Decimal::write_cents`] write for `a × b`, when both
    /// mantissas fit an i64, their scales sum to at most 2 and the product's cents fit an
    /// i64 (a price times a quantity): the cents computed in an i64 and written. `false`,
    /// having written nothing, for anything else.
    ///
    /// The same text: `checked_mul` of mantissas that fit an i64 is their exact product at
    /// the sum of the scales (at most 2: no rounding), and `write_cents` of it writes that
    /// product times 10^(2 − scale), when it fits an i64, as cents; the product itself then
    /// fits an i64 too (the factor is at least 1).
    #[inline]
    pub(crate) fn write_product_cents(a: Decimal, b: Decimal, out: &mut String) -> bool {
        let (Ok(x), Ok(y)) = (i64::try_from(a.mantissa), i64::try_from(b.mantissa)) else {
            return false;
        };
        product_cents(x, y, (a.scale + b.scale) as usize, out)
    }

    /// [`Decimal::write_product_cents`] of the numbers [`Decimal::parse_plain`] reads from
    /// the texts `a` and `b` (a price and a quantity as JSON writes them), read straight into
    /// `i64` mantissas (18 digits at most always fit), without a [`Decimal`] in between.
    /// `false`, having written nothing, where `parse_plain` reads nothing from one of them or
    /// `write_product_cents` writes nothing (proptest `product_of_texts_is_of_parse_plain`).
    #[cfg_attr(not(feature = "exact_numbers"), allow(dead_code))]
    #[inline(always)]
    pub(crate) fn write_product_cents_plain(a: &str, b: &str, out: &mut String) -> bool {
        let (Some((x, sx)), Some((y, sy))) = (plain_i64(a), plain_i64(b)) else {
            return false;
        };
        product_cents(x, y, (sx + sy) as usize, out)
    }

    /// The digits of the mantissa's magnitude, written at the end of `buf`.
    fn digits(self, buf: &mut [u8; 39]) -> &[u8] {
        let mut at = buf.len();
        let m = self.mantissa.unsigned_abs();
        match u64::try_from(m) {
            // Most numbers fit a u64, whose division is far cheaper than a u128's.
            Ok(m) => at = u64_digits(m, buf, at),
            Err(_) => {
                let mut m = m;
                loop {
                    at -= 1;
                    buf[at] = b'0' + (m % 10) as u8;
                    m /= 10;
                    if m == 0 {
                        break;
                    }
                }
            }
        }
        &buf[at..]
    }

    /// The printed form, piece by piece, to `write`: the digits come from a stack buffer.
    fn write_pieces(self, mut write: impl FnMut(&[u8]) -> fmt::Result) -> fmt::Result {
        let mut buf = [0u8; 39];
        let digits = self.digits(&mut buf);
        let scale = self.scale as usize;
        if self.mantissa < 0 {
            write(b"-")?;
        }
        if digits.len() <= scale {
            // `0.` and the zeros before the first digit.
            write(b"0.")?;
            for _ in digits.len()..scale {
                write(b"0")?;
            }
            return write(digits);
        }
        let (int, frac) = digits.split_at(digits.len() - scale);
        write(int)?;
        if !frac.is_empty() {
            write(b".")?;
            write(frac)?;
        }
        Ok(())
    }
}

impl fmt::Display for Decimal {
    /// [`Decimal::write_to`]'s text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_pieces(|piece| f.write_str(ascii(piece)))
    }
}

/// ASCII digits as a `str`.
fn ascii(digits: &[u8]) -> &str {
    std::str::from_utf8(digits).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// The fast path reads what `parse` reads, wherever it answers (and it answers for
        /// every plain number of up to 18 digits).
        #[test]
        fn parse_plain_is_parse(
            text in "-?[0-9]{0,20}(\\.[0-9]{0,20})?|[-+. 0-9eE]{0,8}",
        ) {
            if let Some(fast) = Decimal::parse_plain(&text) {
                let slow = Decimal::parse(&text);
                proptest::prop_assert_eq!(Some(format!("{fast:?}")), slow.map(|d| format!("{d:?}")));
            }
            let digits = text.bytes().filter(u8::is_ascii_digit).count();
            let plain = text.trim_start_matches('-').split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                && text.matches('.').count() <= 1
                && text.matches('-').count() <= usize::from(text.starts_with('-'));
            if plain && digits <= 18 {
                proptest::prop_assert!(Decimal::parse_plain(&text).is_some(), "{}", text);
            }
        }
    }

    proptest::proptest! {
        /// Writing the cents of a number of at most two decimals writes what rounding it to
        /// two decimals and writing it does.
        #[test]
        fn write_cents_is_round_then_write_to(
            text in "-?[0-9]{0,20}(\\.[0-9]{0,3})?|-?[0-9]{1,3}(\\.[0-9]{0,2})?",
            big in proptest::prelude::any::<i64>(),
            scale in 0u32..4,
        ) {
            let parsed = Decimal::parse(&text).into_iter();
            let made = Decimal { mantissa: i128::from(big), scale };
            for d in parsed.chain([made, Decimal { mantissa: i128::from(big) * 1000, scale }]) {
                let mut fast = String::from("x");
                let wrote = d.write_cents(&mut fast);
                let mut slow = String::from("x");
                if let Some(r) = d.round(2) {
                    r.write_to(&mut slow);
                }
                if wrote {
                    proptest::prop_assert_eq!(&fast, &slow, "{:?}", d);
                } else {
                    proptest::prop_assert_eq!(fast.as_str(), "x");
                }
                let fits = d.scale <= 2
                    && i64::try_from(d.mantissa).ok().and_then(|m| m.checked_mul(10i64.pow(2 - d.scale))).is_some();
                proptest::prop_assert_eq!(wrote, fits, "{:?}", d);
            }
        }
    }

    proptest::proptest! {
        /// Short cents written straight are what the buffered writer writes (and so is every
        /// amount `write_cents_i64` takes, short or not).
        #[test]
        fn short_cents_are_written_as_buffered(
            short in -999_999i64..=999_999,
            small in -1_100i64..=1_100,
            any in proptest::prelude::any::<i64>(),
        ) {
            for cents in [short, small, any, 999_999, -999_999, 1_000_000, i64::MIN, i64::MAX] {
                let mut slow = String::from("x");
                super::write_cents_buffered(cents, &mut slow);
                let mut fast = String::from("x");
                super::write_cents_i64(cents, &mut fast);
                proptest::prop_assert_eq!(&fast, &slow, "{}", cents);
                if cents.unsigned_abs() < super::SHORT_CENTS {
                    let mut short = String::from("x");
                    super::write_short_cents(cents < 0, cents.unsigned_abs(), &mut short);
                    proptest::prop_assert_eq!(&short, &slow, "{}", cents);
                }
            }
        }
    }

    proptest::proptest! {
        /// Writing a product's cents in an i64 writes what multiplying the two numbers and
        /// writing the product's cents writes, wherever it writes (and it writes wherever
        /// that does, for mantissas that fit an i64); where it does not, it writes nothing.
        #[test]
        fn product_cents_are_checked_mul_then_write_cents(
            a in proptest::prelude::any::<i64>(),
            b in proptest::prelude::any::<i64>(),
            small in -100_000i64..100_000,
            qty in -1000i64..1000,
            huge in proptest::prelude::any::<i128>(),
            sa in 0u32..4,
            sb in 0u32..4,
        ) {
            let d = |m: i128, scale: u32| Decimal { mantissa: m, scale };
            let pairs = [
                (d(a.into(), sa), d(b.into(), sb)),
                (d(small.into(), sa), d(qty.into(), sb)),
                (d(a.into(), sa), d(qty.into(), sb)),
                (d(huge, sa), d(qty.into(), sb)),
                (d(small.into(), sa), d(huge, sb)),
            ];
            for (x, y) in pairs {
                let mut fast = String::from("x");
                let wrote = Decimal::write_product_cents(x, y, &mut fast);
                let mut slow = String::from("x");
                let slow_wrote = x.checked_mul(y).is_some_and(|p| p.write_cents(&mut slow));
                if wrote {
                    proptest::prop_assert_eq!(&fast, &slow, "{:?} {:?}", x, y);
                } else {
                    proptest::prop_assert_eq!(fast.as_str(), "x");
                }
                let fit = i64::try_from(x.mantissa).is_ok() && i64::try_from(y.mantissa).is_ok();
                if fit {
                    proptest::prop_assert_eq!(wrote, slow_wrote, "{:?} {:?}", x, y);
                }
            }
        }
    }

    proptest::proptest! {
        /// The product of two texts in cents is `write_product_cents` of what `parse_plain`
        /// reads from them, and nothing where it reads nothing.
        #[test]
        fn product_of_texts_is_of_parse_plain(
            a in "-?[0-9]{0,20}(\\.[0-9]{0,20})?|-?[0-9]{1,4}(\\.[0-9]{1,3})?|[-+. 0-9eE]{0,8}",
            b in "-?[0-9]{1,3}|-?[0-9]{0,20}(\\.[0-9]{0,3})?|[-+. 0-9eE]{0,4}",
        ) {
            let mut fast = String::from("x");
            let wrote = Decimal::write_product_cents_plain(&a, &b, &mut fast);
            let mut slow = String::from("x");
            let slow_wrote = match (Decimal::parse_plain(&a), Decimal::parse_plain(&b)) {
                (Some(x), Some(y)) => Decimal::write_product_cents(x, y, &mut slow),
                _ => false,
            };
            proptest::prop_assert_eq!(wrote, slow_wrote, "{} {}", a, b);
            proptest::prop_assert_eq!(&fast, &slow, "{} {}", a, b);
            for t in [&a, &b] {
                let d = super::plain_i64(t).map(|(m, s)| (i128::from(m), s));
                let p = Decimal::parse_plain(t).map(|d| (d.mantissa, d.scale));
                proptest::prop_assert_eq!(d, p, "{}", t);
            }
        }
    }

    proptest::proptest! {
        /// Text that prints as written is text whose number prints as that text.
        #[test]
        fn prints_as_written_is_what_write_to_writes(
            text in "-?[0-9]{0,20}(\\.[0-9]{0,20})?|-?[0-3.]{0,6}|[-+. 0-9eE]{0,8}",
        ) {
            let printed = Decimal::parse_plain(&text).map(|d| {
                let mut out = String::new();
                d.write_to(&mut out);
                out
            });
            let fast = Decimal::prints_as_written(&text);
            proptest::prop_assert!(!fast || printed.as_deref() == Some(text.as_str()), "{}", text);
            // And every plain nonzero text written back unchanged is recognised.
            if printed.as_deref() == Some(text.as_str()) && Decimal::parse_plain(&text).is_some_and(|d| !d.is_zero()) {
                proptest::prop_assert!(fast, "{}", text);
            }
        }
    }

    use super::*;

    #[test]
    fn a_single_digit_prints_as_written_as_every_case_says() {
        for d in 0..10 {
            let text = d.to_string();
            assert_eq!(
                Decimal::prints_as_written(&text),
                Decimal::prints_as_written_in_full(&text),
                "{text}"
            );
        }
    }

    #[test]
    fn prints_as_written_cases() {
        for yes in [
            "1",
            "12",
            "3.5",
            "0.5",
            "0.05",
            "-0.5",
            "-12.30",
            "100",
            "999999999999999999",
        ] {
            assert!(Decimal::prints_as_written(yes), "{yes}");
        }
        for no in [
            "",
            "-",
            "0",
            "-0",
            "0.00",
            "00.5",
            "01",
            ".5",
            "5.",
            "1e3",
            "+1",
            "1.2.3",
            "1000000000000000000",
            " 1",
        ] {
            assert!(!Decimal::prints_as_written(no), "{no}");
        }
    }

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn no_float_noise() {
        assert_eq!(d("0.1").checked_add(d("0.2")).unwrap().to_string(), "0.3");
        assert_eq!(
            Decimal::from_f64(0.1)
                .unwrap()
                .checked_add(Decimal::from_f64(0.2).unwrap())
                .unwrap()
                .to_string(),
            "0.3"
        );
        assert_eq!(d("19.99").checked_mul(d("3")).unwrap().to_string(), "59.97");
    }

    /// The printed form the way it was first written (through Strings), to check the
    /// allocation-free `Display` against.
    fn reference_display(d: Decimal) -> String {
        let digits = d.mantissa.unsigned_abs().to_string();
        let scale = d.scale as usize;
        let digits = if digits.len() <= scale {
            format!("{}{}", "0".repeat(scale + 1 - digits.len()), digits)
        } else {
            digits
        };
        let (int, frac) = digits.split_at(digits.len() - scale);
        let sign = if d.mantissa < 0 { "-" } else { "" };
        if frac.is_empty() {
            format!("{sign}{int}")
        } else {
            format!("{sign}{int}.{frac}")
        }
    }

    #[test]
    fn display_matches_the_reference() {
        let mantissas = [
            0,
            1,
            -1,
            7,
            -12,
            350,
            1999,
            -125,
            1_000_000,
            i128::MAX,
            i128::MIN,
            i128::MIN + 1,
            123_456_789_012_345_678_901_234_567_890,
        ];
        for mantissa in mantissas {
            for scale in [0, 1, 2, 3, 5, 18, 36, 40, 45] {
                let d = Decimal { mantissa, scale };
                assert_eq!(
                    d.to_string(),
                    reference_display(d),
                    "{mantissa} scale {scale}"
                );
                let mut written = String::from("x");
                d.write_to(&mut written);
                assert_eq!(
                    written[1..],
                    reference_display(d),
                    "{mantissa} scale {scale}"
                );
            }
        }
    }

    #[test]
    fn floats_read_through_their_shortest_text() {
        for f in [
            0.1,
            3.5,
            12.34,
            -0.5,
            1e21,
            1e-7,
            5e-324,
            f64::MAX,
            f64::MIN_POSITIVE,
        ] {
            assert_eq!(
                Decimal::from_f64(f).map(|d| d.to_string()),
                Decimal::parse(&format!("{f}")).map(|d| d.to_string()),
                "{f}"
            );
        }
    }

    #[test]
    fn long_numbers_parse_exactly_or_not_at_all() {
        for text in [
            "999999999999999999",
            "1000000000000000000",
            "12345678901234567890123456789012345678",
            "170141183460469231731687303715884105727",
            "-0.000000000000000001",
            "00000000000000000000000042.5",
        ] {
            let d = d(text);
            let want = text.trim_start_matches(['-', '0']).trim_start_matches('0');
            assert!(d.to_string().ends_with(want), "{text} → {d}");
        }
        assert!(Decimal::parse("170141183460469231731687303715884105728").is_none());
        assert!(Decimal::parse("1000000000000000000000000000000000000000").is_none());
    }

    #[test]
    fn products_are_exact_or_refused() {
        let big = d("10000000000000000000000000000000000000");
        assert!(big.checked_mul(d("100")).is_none());
        assert_eq!(big.checked_mul(d("10")).unwrap().to_string().len(), 39);
        assert_eq!(
            d("9223372036854775807")
                .checked_mul(d("9223372036854775807"))
                .unwrap()
                .to_string(),
            "85070591730234615847396907784232501249"
        );
        assert_eq!(
            d("-2.5").checked_mul(d("4.10")).unwrap().to_string(),
            "-10.250"
        );
    }

    #[test]
    fn parse_forms() {
        assert_eq!(d("-12").to_string(), "-12");
        assert_eq!(d("3.50").to_string(), "3.50");
        assert_eq!(d("1e-3").to_string(), "0.001");
        assert_eq!(d("2.5E+2").to_string(), "250");
        assert_eq!(d(".5").to_string(), "0.5");
        assert!(Decimal::parse("1.2.3").is_none());
        assert!(Decimal::parse("").is_none());
        assert!(Decimal::parse("abc").is_none());
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(d("2.345").round(2).unwrap().to_string(), "2.35");
        assert_eq!(d("-2.345").round(2).unwrap().to_string(), "-2.35");
        assert_eq!(d("2.344").round(2).unwrap().to_string(), "2.34");
        assert_eq!(d("7").round(2).unwrap().to_string(), "7.00");
        assert_eq!(d("0.5").round(0).unwrap().to_string(), "1");
    }

    #[test]
    fn division() {
        assert_eq!(d("7").checked_div(d("2")).unwrap().to_string(), "3.5");
        assert_eq!(
            d("10")
                .checked_div(d("3"))
                .unwrap()
                .round(2)
                .unwrap()
                .to_string(),
            "3.33"
        );
        assert_eq!(d("-1").checked_div(d("8")).unwrap().to_string(), "-0.125");
        assert!(d("1").checked_div(d("0")).is_none());
        assert_eq!(d("7.5").checked_rem(d("2")).unwrap().to_string(), "1.5");
    }

    #[test]
    fn comparison_across_scales() {
        assert_eq!(d("1.50"), d("1.5"));
        assert!(d("2") > d("1.99"));
        assert!(d("-0.01") < Decimal::ZERO);
    }
}
