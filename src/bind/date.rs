//! Dates for the `date` filter: parsing the forms order data uses, and strftime-style output.
//!
//! Strings without a UTC offset (`2026-11-28 12:30`) are wall-clock times and print as written.
//! Unix timestamps and strings with an offset (`…Z`, `…+08:00`) are converted to the filter's
//! offset, which defaults to UTC+8 (China Standard Time: the printers this crate serves).

use super::value::Value;

/// A wall-clock date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTime {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

/// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (
        if m <= 2 {
            yoe + era * 400 + 1
        } else {
            yoe + era * 400
        },
        m,
        d,
    )
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

impl DateTime {
    fn from_unix(secs: i64, offset_minutes: i64) -> DateTime {
        let t = secs + offset_minutes * 60;
        let (year, month, day) = civil_from_days(t.div_euclid(86_400));
        let s = t.rem_euclid(86_400);
        DateTime {
            year,
            month,
            day,
            hour: (s / 3600) as u32,
            minute: (s % 3600 / 60) as u32,
            second: (s % 60) as u32,
        }
    }

    fn to_unix(self, offset_minutes: i64) -> i64 {
        days_from_civil(self.year, self.month, self.day) * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - offset_minutes * 60
    }

    /// Reads a value: a date string or a Unix timestamp (seconds, or milliseconds when larger
    /// than 10^11). `offset_minutes` is the zone to show timestamps in.
    pub fn from_value(v: &Value<'_>, offset_minutes: i64) -> Result<DateTime, String> {
        match v {
            Value::Num(d) => {
                let n = d
                    .to_i64()
                    .ok_or_else(|| format!("{d} is not a whole-second timestamp"))?;
                // `unsigned_abs`: `i64::MIN.abs()` overflows.
                let secs = if n.unsigned_abs() > 100_000_000_000 {
                    n / 1000
                } else {
                    n
                };
                if secs.unsigned_abs() > 253_402_300_799 {
                    return Err(format!("timestamp {n} is out of range"));
                }
                Ok(DateTime::from_unix(secs, offset_minutes))
            }
            Value::Str(s) => {
                if let Ok(n) = s.trim().parse::<i64>() {
                    return DateTime::from_value(&Value::int(n), offset_minutes);
                }
                DateTime::parse(s.trim(), offset_minutes)
                    .ok_or_else(|| format!("cannot read {s:?} as a date"))
            }
            other => Err(format!("cannot read a {} as a date", other.type_name())),
        }
    }

    fn parse(s: &str, target_offset: i64) -> Option<DateTime> {
        let num = |t: &str| -> Option<u32> {
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
        };
        let (date, rest) = match s.find([' ', 'T']) {
            Some(i) => (&s[..i], s[i + 1..].trim()),
            None => (s, ""),
        };
        let mut dp = date.splitn(3, ['-', '/']);
        let year = i64::from(num(dp.next()?)?);
        let month = num(dp.next()?)?;
        let day = num(dp.next()?)?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) || year > 9999
        {
            return None;
        }
        let (time, zone) = match rest.find(['Z', '+']).or_else(|| rest.rfind('-')) {
            Some(i) => (&rest[..i], Some(&rest[i..])),
            None => (rest, None),
        };
        let (hour, minute, second) = if time.is_empty() {
            (0, 0, 0)
        } else {
            let mut tp = time.split(':');
            let hour = num(tp.next()?)?;
            let minute = tp.next().map_or(Some(0), num)?;
            let second = match tp.next() {
                Some(sec) => num(sec.split('.').next()?)?,
                None => 0,
            };
            (hour, minute, second)
        };
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        let dt = DateTime {
            year,
            month,
            day,
            hour,
            minute,
            second: second.min(59),
        };
        match zone {
            None => Some(dt),
            Some("Z") => Some(DateTime::from_unix(dt.to_unix(0), target_offset)),
            Some(z) => {
                let sign = if z.starts_with('-') { -1 } else { 1 };
                let digits: String = z[1..].chars().filter(char::is_ascii_digit).collect();
                if digits.len() != 4 && digits.len() != 2 {
                    return None;
                }
                let h: i64 = digits[..2].parse().ok()?;
                let m: i64 = if digits.len() == 4 {
                    digits[2..].parse().ok()?
                } else {
                    0
                };
                Some(DateTime::from_unix(
                    dt.to_unix(sign * (h * 60 + m)),
                    target_offset,
                ))
            }
        }
    }

    /// Formats with `%Y %y %m %d %H %M %S %F %T %%`.
    pub fn format(&self, fmt: &str) -> Result<String, String> {
        let mut out = String::new();
        let mut chars = fmt.chars();
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('Y') => out.push_str(&format!("{:04}", self.year)),
                Some('y') => out.push_str(&format!("{:02}", self.year.rem_euclid(100))),
                Some('m') => out.push_str(&format!("{:02}", self.month)),
                Some('d') => out.push_str(&format!("{:02}", self.day)),
                Some('H') => out.push_str(&format!("{:02}", self.hour)),
                Some('M') => out.push_str(&format!("{:02}", self.minute)),
                Some('S') => out.push_str(&format!("{:02}", self.second)),
                Some('F') => out.push_str(&format!(
                    "{:04}-{:02}-{:02}",
                    self.year, self.month, self.day
                )),
                Some('T') => out.push_str(&format!(
                    "{:02}:{:02}:{:02}",
                    self.hour, self.minute, self.second
                )),
                Some('%') => out.push('%'),
                Some(other) => {
                    return Err(format!(
                        "unknown date directive `%{other}` (known: %Y %y %m %d %H %M %S %F %T %%)"
                    ));
                }
                None => return Err("date format ends with a lone `%`".to_string()),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fmt(v: Value<'_>, f: &str) -> String {
        DateTime::from_value(&v, 8 * 60).unwrap().format(f).unwrap()
    }

    #[test]
    fn wall_clock_strings_print_as_written() {
        assert_eq!(
            fmt(Value::str("2026-11-28 09:05:07"), "%m-%d %H:%M:%S"),
            "11-28 09:05:07"
        );
        assert_eq!(fmt(Value::str("2026/2/3"), "%F %T"), "2026-02-03 00:00:00");
    }

    #[test]
    fn timestamps_and_zones_convert_to_the_offset() {
        // 1764322200 = 2025-11-28T09:30:00Z (computed independently: date -u -d @1764322200)
        assert_eq!(
            fmt(Value::int(1_764_322_200), "%F %H:%M"),
            "2025-11-28 17:30"
        );
        assert_eq!(fmt(Value::int(1_764_322_200_000), "%H:%M"), "17:30");
        assert_eq!(fmt(Value::str("2025-11-28T09:30:00Z"), "%H:%M"), "17:30");
        assert_eq!(
            fmt(Value::str("2025-11-28T17:30:00+08:00"), "%H:%M"),
            "17:30"
        );
        assert_eq!(
            fmt(Value::str("2025-11-28T23:30:00-02:00"), "%d %H:%M"),
            "29 09:30"
        );
    }

    #[test]
    fn bad_dates_are_errors() {
        assert!(DateTime::from_value(&Value::str("2026-02-30"), 0).is_err());
        assert!(DateTime::from_value(&Value::str("tomorrow"), 0).is_err());
        assert!(DateTime::from_value(&Value::Bool(true), 0).is_err());
        let d = DateTime::from_value(&Value::str("2026-01-01"), 0).unwrap();
        assert!(d.format("%Q").is_err());
        assert!(d.format("%").is_err());
    }
}
