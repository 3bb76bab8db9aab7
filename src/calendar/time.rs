//! RFC 5545 value formats for dates, times, offsets and durations, and how an
//! [`EventTime`] becomes a `DTSTART`-style property.

use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp, Zoned};

use super::EventTime;

/// `YYYYMMDD` (RFC 5545 §3.3.4).
pub(crate) fn format_date(date: Date) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// `YYYYMMDDTHHMMSS`, a floating or TZID-relative local time (RFC 5545 §3.3.5).
pub(crate) fn format_local(dt: DateTime) -> String {
    format!(
        "{}T{:02}{:02}{:02}",
        format_date(dt.date()),
        dt.hour(),
        dt.minute(),
        dt.second()
    )
}

/// `YYYYMMDDTHHMMSSZ`, a UTC time (RFC 5545 §3.3.5 form #2).
pub(crate) fn format_utc(ts: Timestamp) -> String {
    format!("{}Z", format_local(Offset::UTC.to_datetime(ts)))
}

/// `±HHMM`, or `±HHMMSS` for the odd historical offset with seconds (RFC 5545 §3.3.14).
pub(crate) fn format_offset(offset: Offset) -> String {
    let total = offset.seconds();
    let sign = if total < 0 { '-' } else { '+' };
    let abs = total.unsigned_abs();
    let (h, m, s) = (abs / 3600, abs / 60 % 60, abs % 60);
    if s == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{s:02}")
    }
}

/// A DURATION value (RFC 5545 §3.3.6), e.g. `PT6H`, `P1D`, `P1DT1H0M30S`.
///
/// The grammar chains hours, minutes and seconds (`dur-hour = 1*DIGIT "H" [dur-minute]`),
/// so zero units between non-zero ones are written out; sub-second parts are dropped.
pub(crate) fn format_duration(duration: SignedDuration) -> String {
    let secs = duration.as_secs();
    let sign = if secs < 0 { "-" } else { "" };
    let abs = secs.unsigned_abs();
    let days = abs / 86_400;
    let units = [
        (abs / 3600 % 24, 'H'),
        (abs / 60 % 60, 'M'),
        (abs % 60, 'S'),
    ];
    let mut out = format!("{sign}P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    let first = units.iter().position(|&(n, _)| n > 0);
    let last = units.iter().rposition(|&(n, _)| n > 0);
    if let (Some(first), Some(last)) = (first, last) {
        out.push('T');
        for (n, unit) in &units[first..=last] {
            out.push_str(&format!("{n}{unit}"));
        }
    } else if days == 0 {
        out.push_str("T0S");
    }
    out
}

/// The IANA name to write as `TZID`, or `None` when the time is better written in UTC:
/// for UTC itself (the `Z` form needs no VTIMEZONE) and for fixed offsets, which have
/// no IANA definition to describe.
pub(crate) fn tzid(tz: &TimeZone) -> Option<&str> {
    tz.iana_name()
        .filter(|name| !matches!(*name, "UTC" | "Etc/UTC" | "Etc/Universal" | "Etc/Zulu"))
}

/// Parameters and value for a DATE or DATE-TIME property such as DTSTART, DTEND or
/// EXDATE: `VALUE=DATE` for all-day times, `TZID=Area/City` with local time for IANA
/// zones, UTC `Z` form otherwise.
pub(crate) fn date_or_time_value(time: &EventTime) -> (Vec<(&'static str, String)>, String) {
    match time {
        EventTime::AllDay(date) => (vec![("VALUE", "DATE".to_string())], format_date(*date)),
        EventTime::Zoned(zoned) => zoned_value(zoned),
    }
}

fn zoned_value(zoned: &Zoned) -> (Vec<(&'static str, String)>, String) {
    match tzid(zoned.time_zone()) {
        Some(name) => (
            vec![("TZID", name.to_string())],
            format_local(zoned.datetime()),
        ),
        None => (Vec::new(), format_utc(zoned.timestamp())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_follow_the_grammar() {
        let cases = [
            (SignedDuration::from_hours(6), "PT6H"),
            (SignedDuration::from_hours(24), "P1D"),
            (SignedDuration::from_secs(86_400 + 3600 + 30), "P1DT1H0M30S"),
            (SignedDuration::from_mins(90), "PT1H30M"),
            (SignedDuration::ZERO, "PT0S"),
            (SignedDuration::from_secs(-45), "-PT45S"),
        ];
        for (duration, expected) in cases {
            assert_eq!(format_duration(duration), expected);
        }
    }

    #[test]
    fn offsets_have_a_sign_and_optional_seconds() {
        assert_eq!(format_offset(Offset::constant(-8)), "-0800");
        assert_eq!(
            format_offset(Offset::from_seconds(19_800).unwrap()),
            "+0530"
        );
        assert_eq!(
            format_offset(Offset::from_seconds(-17_762).unwrap()),
            "-045602"
        );
    }
}
