//! How seminar times and links read on pages: "Thu 5 Nov 2020, 4:00 – 5:00 pm PST", in the
//! talk's own zone with that zone's abbreviation, and the URL encodings calendar apps need.

use jiff::Zoned;
use jiff::civil::{Date, Weekday};

use crate::calendar::{EventTime, Freq, Recurrence};

/// `Thu 5 Nov 2020`.
pub fn day(date: Date) -> String {
    date.strftime("%a %-d %b %Y").to_string()
}

/// `4:00 pm`.
fn clock(z: &Zoned) -> String {
    z.strftime("%-I:%M %P").to_string()
}

/// A compact clock for month grids: `4pm`, `9:30am`.
pub fn short_clock(z: &Zoned) -> String {
    if z.minute() == 0 {
        z.strftime("%-I%P").to_string()
    } else {
        z.strftime("%-I:%M%P").to_string()
    }
}

/// The time of day of a zoned range: `4:00 – 5:00 pm PST`, `11:30 am – 12:30 pm PST`;
/// `None` for all-day ranges or ranges over several days (see [`range_with`]).
pub fn hours(start: &EventTime, end: &EventTime) -> Option<String> {
    let (EventTime::Zoned(s), EventTime::Zoned(e)) = (start, end) else {
        return None;
    };
    if s.date() != e.date() {
        return None;
    }
    let zone = e.strftime("%Z");
    Some(
        if s.strftime("%P").to_string() == e.strftime("%P").to_string() {
            format!("{} – {} {zone}", s.strftime("%-I:%M"), clock(e))
        } else {
            format!("{} – {} {zone}", clock(s), clock(e))
        },
    )
}

/// A whole range as one phrase, in the zone of its times, given the range's [`hours`] and
/// the [`day`] it starts on: a view shows those too, and formatting them twice showed in
/// build profiles.
pub fn range_with(
    start: &EventTime,
    end: &EventTime,
    hours: Option<&str>,
    first_day: &str,
) -> String {
    if let Some(hours) = hours {
        return format!("{first_day}, {hours}");
    }
    match (start, end) {
        (EventTime::Zoned(s), EventTime::Zoned(e)) => format!(
            "{}, {} – {}, {} {}",
            first_day,
            clock(s),
            day(e.date()),
            clock(e),
            e.strftime("%Z")
        ),
        _ => day_range(start.date(), end.date()),
    }
}

/// All-day ranges, given the exclusive end: `Thu 5 Nov 2020`, `Thu 5 – Sat 7 Nov 2020`.
fn day_range(first: Date, end: Date) -> String {
    let last = end.yesterday().unwrap_or(end).max(first);
    if last == first {
        day(first)
    } else if (first.year(), first.month()) == (last.year(), last.month()) {
        format!("{} – {}", first.strftime("%a %-d"), day(last))
    } else if first.year() == last.year() {
        format!("{} – {}", first.strftime("%a %-d %b"), day(last))
    } else {
        format!("{} – {}", day(first), day(last))
    }
}

/// The machine-readable start or end for `<time datetime>`: an RFC 3339 time with the
/// talk's offset, or a date.
pub fn iso(time: &EventTime) -> String {
    match time {
        EventTime::Zoned(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        EventTime::AllDay(d) => d.to_string(),
    }
}

/// A recurrence in words: "Every 2 weeks on Thursday until 24 Jun 2021".
pub fn recurrence(rule: &Recurrence, start: &EventTime) -> String {
    let unit = match rule.freq {
        Freq::Daily => "day",
        Freq::Weekly => "week",
        Freq::Monthly => "month",
    };
    let mut text = match rule.interval {
        1 => format!("Every {unit}"),
        2 => format!("Every other {unit}"),
        n => format!("Every {n} {unit}s"),
    };
    let days: Vec<&str> = if rule.byday.is_empty() && rule.freq == Freq::Weekly {
        vec![weekday_name(start.date().weekday())]
    } else {
        rule.byday.iter().map(|d| weekday_name(*d)).collect()
    };
    if !days.is_empty() {
        text.push_str(&format!(" on {}", days.join(", ")));
    }
    if let Some(until) = rule.until {
        text.push_str(&format!(" until {}", until.strftime("%-d %b %Y")));
    }
    if let Some(count) = rule.count {
        text.push_str(&format!(", {count} times"));
    }
    text
}

fn weekday_name(day: Weekday) -> &'static str {
    match day {
        Weekday::Monday => "Monday",
        Weekday::Tuesday => "Tuesday",
        Weekday::Wednesday => "Wednesday",
        Weekday::Thursday => "Thursday",
        Weekday::Friday => "Friday",
        Weekday::Saturday => "Saturday",
        Weekday::Sunday => "Sunday",
    }
}

pub use crate::calendar::links::{google_subscribe, query_value, webcal};

#[cfg(test)]
mod tests {
    use super::*;

    /// A whole range as one phrase, as a talk's view makes it.
    fn range(start: &EventTime, end: &EventTime) -> String {
        range_with(start, end, hours(start, end).as_deref(), &day(start.date()))
    }
    use jiff::civil::date;
    use jiff::tz::TimeZone;

    fn la(y: i16, m: i8, d: i8, h: i8, min: i8) -> EventTime {
        let tz = TimeZone::get("America/Los_Angeles").unwrap();
        EventTime::Zoned(date(y, m, d).at(h, min, 0, 0).to_zoned(tz).unwrap())
    }

    #[test]
    fn ranges_read_like_a_seminar_announcement() {
        assert_eq!(
            range(&la(2020, 11, 5, 16, 0), &la(2020, 11, 5, 17, 0)),
            "Thu 5 Nov 2020, 4:00 – 5:00 pm PST"
        );
        assert_eq!(
            range(&la(2021, 3, 18, 11, 30), &la(2021, 3, 18, 12, 30)),
            "Thu 18 Mar 2021, 11:30 am – 12:30 pm PDT"
        );
        assert_eq!(
            range(&la(2020, 11, 5, 23, 0), &la(2020, 11, 6, 1, 0)),
            "Thu 5 Nov 2020, 11:00 pm – Fri 6 Nov 2020, 1:00 am PST"
        );
        let all_day = |d: i8| EventTime::AllDay(date(2020, 11, d));
        assert_eq!(range(&all_day(5), &all_day(6)), "Thu 5 Nov 2020");
        assert_eq!(range(&all_day(5), &all_day(8)), "Thu 5 – Sat 7 Nov 2020");
    }

    #[test]
    fn grid_clocks_are_compact() {
        let EventTime::Zoned(z) = la(2020, 11, 24, 9, 30) else {
            unreachable!()
        };
        assert_eq!(short_clock(&z), "9:30am");
    }
}
