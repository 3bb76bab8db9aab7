//! Time: parsing the dates and times people write in front matter.
//!
//! Accepts `2020-11-05`, `2020-11-05 16:00`, `2020-11-05T16:00:00`, and the same with `Z` or
//! an offset. Errors name the part that is wrong ("month 13 is out of range") because jiff's
//! own messages are written for programmers.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, Zoned};

/// A point or day in time as written, before a zone is applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// A bare date: a whole day.
    Date(Date),
    /// A wall-clock time, in whatever zone applies.
    Local(DateTime),
    /// A time with an explicit offset or `Z`.
    Exact(Timestamp),
}

impl When {
    /// The moment this denotes in `tz` (midnight for a bare date).
    pub fn in_zone(self, tz: &TimeZone) -> Zoned {
        match self {
            When::Date(d) => d.to_datetime(Time::midnight()).to_zoned(tz.clone()),
            When::Local(dt) => dt.to_zoned(tz.clone()),
            When::Exact(ts) => Ok(ts.to_zoned(tz.clone())),
        }
        .unwrap_or_else(|_| Timestamp::UNIX_EPOCH.to_zoned(tz.clone()))
    }

    /// The calendar date as written.
    pub fn date(self) -> Date {
        match self {
            When::Date(d) => d,
            When::Local(dt) => dt.date(),
            When::Exact(ts) => ts.to_zoned(TimeZone::UTC).date(),
        }
    }
}

/// Parses a date or date-time; the error says what is wrong in words.
pub fn parse_when(text: &str) -> Result<When, String> {
    let s = text.trim();
    let (date_part, rest) = s.split_at(s.find(['T', ' ', 't']).unwrap_or(s.len()));
    let date = parse_date(date_part).map_err(|e| format!("invalid date \"{text}\": {e}"))?;
    let rest = rest.trim_start_matches(['T', 't', ' ']);
    if rest.is_empty() {
        return Ok(When::Date(date));
    }
    let (time_part, offset) =
        split_offset(rest).map_err(|e| format!("invalid time \"{text}\": {e}"))?;
    let time = parse_time(time_part).map_err(|e| format!("invalid time \"{text}\": {e}"))?;
    let dt = date.to_datetime(time);
    Ok(match offset {
        None => When::Local(dt),
        Some(off) => When::Exact(
            dt.to_zoned(TimeZone::fixed(off))
                .map_err(|e| format!("invalid time \"{text}\": {e}"))?
                .timestamp(),
        ),
    })
}

/// The years a date may have (inclusive). Far beyond a hub's past or future, but a typo
/// year at the edge of what the date library holds once looped in the month grid, and a
/// time zone pushed it past its end to be published as 1970.
pub const YEARS: (i16, i16) = (1900, 2200);

/// Parses `YYYY-MM-DD`, a year within [`YEARS`].
pub fn parse_date(s: &str) -> Result<Date, String> {
    let parts: Vec<&str> = s.split('-').collect();
    let [y, m, d] = parts[..] else {
        return Err("write dates as YYYY-MM-DD, e.g. 2020-11-05".into());
    };
    let year = number(y, "year", i64::from(YEARS.0), i64::from(YEARS.1))
        .map_err(|e| format!("{e}: years from {} to {} are accepted", YEARS.0, YEARS.1))?;
    let month = number(m, "month", 1, 12)?;
    let day = number(d, "day", 1, 31)?;
    Date::new(year as i16, month as i8, day as i8)
        .map_err(|_| format!("day {day} is out of range for {year}-{month:02}"))
}

/// Parses `HH:MM` or `HH:MM:SS`.
pub fn parse_time(s: &str) -> Result<Time, String> {
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts[..] {
        [h, m] => (h, m, "0"),
        [h, m, s] => (h, m, s.split('.').next().unwrap_or("0")),
        _ => return Err("write times as HH:MM, e.g. 16:00".into()),
    };
    let hour = number(h, "hour", 0, 23)?;
    let minute = number(m, "minute", 0, 59)?;
    let second = number(sec, "second", 0, 59)?;
    Time::new(hour as i8, minute as i8, second as i8, 0).map_err(|e| e.to_string())
}

/// Splits `16:00+01:00` / `16:00Z` into the time and its offset.
fn split_offset(s: &str) -> Result<(&str, Option<Offset>), String> {
    if let Some(t) = s.strip_suffix(['Z', 'z']) {
        return Ok((t, Some(Offset::UTC)));
    }
    let Some(i) = s.rfind(['+', '-']) else {
        return Ok((s, None));
    };
    let (time, off) = s.split_at(i);
    let sign = if off.starts_with('-') { -1 } else { 1 };
    let (h, m) = off[1..].split_once(':').unwrap_or((&off[1..], "0"));
    let hours = number(h, "offset hour", 0, 23)?;
    let minutes = number(m, "offset minute", 0, 59)?;
    let secs = sign * (hours as i32 * 3600 + minutes as i32 * 60);
    Ok((
        time,
        Some(Offset::from_seconds(secs).map_err(|e| e.to_string())?),
    ))
}

fn number(s: &str, what: &str, min: i64, max: i64) -> Result<i64, String> {
    let n: i64 = s
        .trim()
        .parse()
        .map_err(|_| format!("{what} `{s}` is not a number"))?;
    if n < min || n > max {
        return Err(format!("{what} {n} is out of range"));
    }
    Ok(n)
}

/// Parses `1h30m`, `90m`, `45min`, `2h`, or an ISO 8601 `PT1H30M`.
pub fn parse_duration(text: &str) -> Result<jiff::SignedDuration, String> {
    let s = text.trim().to_ascii_lowercase();
    let s = s.strip_prefix("pt").unwrap_or(&s);
    let mut total = 0i64;
    let mut digits = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        let n: i64 = digits.parse().map_err(|_| duration_error(text))?;
        digits.clear();
        let unit = match c {
            'h' => 3600,
            'm' => {
                if chars.peek() == Some(&'i') {
                    chars.next();
                    chars.next();
                }
                60
            }
            's' => 1,
            _ => return Err(duration_error(text)),
        };
        total = n
            .checked_mul(unit)
            .and_then(|secs| total.checked_add(secs))
            .ok_or_else(|| duration_error(text))?;
    }
    if !digits.is_empty() || total <= 0 {
        return Err(duration_error(text));
    }
    Ok(jiff::SignedDuration::from_secs(total))
}

fn duration_error(text: &str) -> String {
    format!("invalid duration \"{text}\": write it like `1h`, `45m` or `1h30m`")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_written_forms_parse() {
        assert_eq!(
            parse_when("2020-11-05").unwrap(),
            When::Date(jiff::civil::date(2020, 11, 5))
        );
        let local = When::Local(jiff::civil::date(2020, 11, 5).at(16, 0, 0, 0));
        assert_eq!(parse_when("2020-11-05 16:00").unwrap(), local);
        assert_eq!(parse_when("2020-11-05T16:00:00").unwrap(), local);
        let exact = parse_when("2020-11-05T16:00:00-08:00").unwrap();
        assert_eq!(exact, When::Exact("2020-11-06T00:00:00Z".parse().unwrap()));
        assert_eq!(parse_when("2020-11-06T00:00Z").unwrap(), exact);
    }

    #[test]
    fn errors_say_which_part_is_wrong() {
        let e = parse_when("2020-13-05 16:00").unwrap_err();
        assert!(e.contains("month 13 is out of range"), "{e}");
        let e = parse_when("2021-02-30").unwrap_err();
        assert!(e.contains("day 30 is out of range"), "{e}");
        let e = parse_when("2020-11-05 25:00").unwrap_err();
        assert!(e.contains("hour 25"), "{e}");
        for far in [
            "9999-12-30",
            "9999-12-31T15:00",
            "1899-12-31",
            "2201-01-01 09:00",
        ] {
            let e = parse_when(far).unwrap_err();
            assert!(e.contains("years from 1900 to 2200"), "{far}: {e}");
        }
        assert!(parse_when("1900-01-01").is_ok() && parse_when("2200-12-31T23:59Z").is_ok());
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("1h30m").unwrap().as_secs(), 5400);
        assert_eq!(parse_duration("45min").unwrap().as_secs(), 2700);
        assert_eq!(parse_duration("PT2H").unwrap().as_secs(), 7200);
        assert!(parse_duration("soon").is_err());
        assert!(
            parse_duration("99999999999999999h").is_err(),
            "overflow is an error, not a panic"
        );
    }
}
