//! Dates, times and durations as people type them into front matter (`src/time.rs`).

use jiff::tz::TimeZone;
use podium::time::{parse_duration, parse_when};
use proptest::prelude::*;

use crate::harness::{check, guarded, nasty_string};

/// A number field as written: ordinary, at an edge, out of range, signed, padded, huge,
/// or not ASCII digits at all.
fn number(ordinary: std::ops::RangeInclusive<i64>) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => ordinary.prop_map(|n| format!("{n:02}")),
        1 => prop::sample::select(vec![
            "0", "00", "0000", "-1", "+1", "9999", "10000", "24", "60", "61", "32", "13",
            "99999999999999999999", "", " 7", "٢٠", "1e3", "0x10", "١",
        ])
        .prop_map(str::to_string),
        1 => any::<i64>().prop_map(|n| n.to_string()),
    ]
}

/// A date, time and offset assembled from hostile parts, or any text at all.
pub fn when_text() -> impl Strategy<Value = String> {
    let date = (number(1900..=2200), number(1..=12), number(1..=31))
        .prop_map(|(y, m, d)| format!("{y}-{m}-{d}"));
    let time = (
        number(0..=23),
        number(0..=59),
        prop::option::of(number(0..=60)),
    )
        .prop_map(|(h, m, s)| match s {
            Some(s) => format!("{h}:{m}:{s}"),
            None => format!("{h}:{m}"),
        });
    let offset = prop::sample::select(vec![
        "", "Z", "z", "+00:00", "-08:00", "+14:00", "+24:00", "-23:59", "+5", "+", "-", "+1:2:3",
        "Z+01:00",
    ]);
    let separator = prop::sample::select(vec!["T", " ", "t", "  ", "T ", "TT"]);
    prop_oneof![
        6 => (date, prop::option::of((separator, time, offset))).prop_map(|(d, rest)| match rest {
            Some((sep, t, off)) => format!("{d}{sep}{t}{off}"),
            None => d,
        }),
        1 => nasty_string(40),
    ]
}

/// A duration as written: unit runs with odd numbers, ISO forms, or any text.
fn duration_text() -> impl Strategy<Value = String> {
    let unit = prop::sample::select(vec!["h", "m", "min", "s", "H", "mi", "", "d", "ms"]);
    let part = (number(0..=120), unit).prop_map(|(n, u)| format!("{n}{u}"));
    prop_oneof![
        4 => (prop::sample::select(vec!["", "PT", "pt", " "]), prop::collection::vec(part, 0..4))
            .prop_map(|(p, parts)| format!("{p}{}", parts.concat())),
        1 => nasty_string(20),
    ]
}

/// Zones with the odd cases: no DST, a 30-minute offset, the date line, a gap at midnight.
const ZONES: &[&str] = &[
    "UTC",
    "Europe/Zurich",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "Pacific/Kiritimati",
    "America/Santiago",
];

/// Parsing any date text ends with a date or a message, and a parsed date can be placed
/// in any zone and read back.
#[test]
fn any_date_text_parses_or_is_refused() {
    check(512, when_text, |text| {
        let outcome = guarded(move || {
            let parsed = parse_when(&text);
            if let Ok(when) = parsed {
                for name in ZONES {
                    let zone = TimeZone::get(name).unwrap();
                    let _ = when.in_zone(&zone);
                }
                let _ = when.date();
            }
            parsed.err()
        })?;
        if let Some(message) = outcome {
            prop_assert!(!message.is_empty());
        }
        Ok(())
    });
}

/// A duration parses to a positive length or is refused; it never overflows.
#[test]
fn any_duration_text_parses_or_is_refused() {
    check(512, duration_text, |text| {
        let parsed = guarded(move || parse_duration(&text))?;
        if let Ok(length) = parsed {
            prop_assert!(length.as_secs() > 0);
        }
        Ok(())
    });
}
