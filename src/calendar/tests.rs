//! Feed-level tests. Everything written is read back with the `ical` crate's parser,
//! an implementation independent of ours, and VTIMEZONEs are checked against jiff's
//! own transition list by expanding their rules here.

use std::io::BufReader;
use std::sync::Arc;

use ical::parser::ical::component::{IcalCalendar, IcalTimeZone};
use ical::property::Property;
use jiff::civil::{Date, DateTime, Weekday, date};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp, Zoned};

use super::*;

// ---------------------------------------------------------------- helpers

fn zoned(local: &str, zone: &str) -> EventTime {
    let tz = TimeZone::get(zone).expect("known zone");
    let dt: DateTime = local.parse().expect("local date-time");
    EventTime::Zoned(dt.to_zoned(tz).expect("representable"))
}

fn talk(uid: &str, summary: &str, start: &str, end: &str, zone: &str) -> Event {
    Event::new(uid, summary, zoned(start, zone), zoned(end, zone))
}

fn feed(events: Vec<Event>) -> Feed {
    Feed {
        name: "Physics Division Seminar".into(),
        description: Some("Talks, every Thursday; coffee at 3:45".into()),
        url: Some("https://example.org/hub/seminars/seminars.ics".into()),
        refresh_interval: SignedDuration::from_hours(6),
        published_ttl: SignedDuration::from_hours(6),
        events: events.into_iter().map(Arc::new).collect(),
    }
}

fn stamp() -> Timestamp {
    "2020-11-01T12:00:00Z".parse().unwrap()
}

fn write(events: Vec<Event>) -> String {
    write_feed(&feed(events), stamp())
}

fn parse(ics: &str) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(BufReader::new(ics.as_bytes()));
    let calendar = parser.next().expect("one calendar").expect("parses");
    assert!(parser.next().is_none(), "exactly one calendar");
    calendar
}

fn prop<'a>(props: &'a [Property], name: &str) -> &'a Property {
    props
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("no {name} in {props:#?}"))
}

fn all<'a>(props: &'a [Property], name: &str) -> Vec<&'a Property> {
    props.iter().filter(|p| p.name == name).collect()
}

fn value(props: &[Property], name: &str) -> String {
    prop(props, name).value.clone().unwrap_or_default()
}

fn param(property: &Property, name: &str) -> Option<String> {
    let params = property.params.as_ref()?;
    let (_, values) = params.iter().find(|(key, _)| key == name)?;
    Some(values.join(","))
}

/// RFC 5545 §3.3.11 unescaping, written independently of the writer's escaping.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n' | 'N') => out.push('\n'),
            Some(other) => out.push(other),
            None => panic!("dangling backslash in {text:?}"),
        }
    }
    out
}

/// Every physical line ends in CRLF, holds at most 75 octets and is valid UTF-8 on
/// its own (so no fold split a character); no bare CR or LF anywhere.
fn assert_well_formed(ics: &str) {
    assert!(ics.ends_with("\r\n"));
    let body = &ics.as_bytes()[..ics.len() - 1];
    for line in body.split(|&b| b == b'\n') {
        let line = line
            .strip_suffix(b"\r")
            .expect("every LF is preceded by CR");
        assert!(!line.contains(&b'\r'), "bare CR in {line:?}");
        assert!(
            line.len() <= 75,
            "{} octets: {:?}",
            line.len(),
            String::from_utf8_lossy(line)
        );
        std::str::from_utf8(line).expect("a fold split a UTF-8 character");
    }
}

fn only_event(calendar: &IcalCalendar) -> &[Property] {
    assert_eq!(calendar.events.len(), 1);
    &calendar.events[0].properties
}

// ---------------------------------------------------------------- text and folding

#[test]
fn long_non_ascii_title_folds_on_character_boundaries_and_round_trips() {
    let title = "Łukasz Żółć — ".repeat(9).trim_end().to_string();
    assert!(title.len() >= 180, "{} octets", title.len());
    let ics = write(vec![talk(
        "t1@example.org",
        &title,
        "2020-11-05T16:00",
        "2020-11-05T17:00",
        "America/Los_Angeles",
    )]);
    assert_well_formed(&ics);
    assert!(
        ics.lines().filter(|l| l.starts_with(' ')).count() >= 2,
        "title is folded"
    );
    let calendar = parse(&ics);
    assert_eq!(unescape(&value(only_event(&calendar), "SUMMARY")), title);
}

#[test]
fn special_characters_are_escaped_and_round_trip() {
    let title = r"Bounds, limits; and \ backslashes: a \n that is not a newline";
    let abstract_text =
        "First paragraph, with commas; semicolons.\r\nSecond line.\rThird\n\nEnd \\ done";
    let mut event = talk(
        "t2@example.org",
        title,
        "2020-11-05T16:00",
        "2020-11-05T17:00",
        "America/Los_Angeles",
    );
    event.description = abstract_text.into();
    event.location = Some("Bldg 50, Room 5132; Berkeley Lab".into());
    event.categories = vec!["ML, AI".into(), "Physics".into()];
    let ics = write(vec![event]);
    assert_well_formed(&ics);
    assert!(ics.contains(r"SUMMARY:Bounds\, limits\; and \\ backslashes: a \\n that"));
    let calendar = parse(&ics);
    let props = only_event(&calendar);
    assert_eq!(unescape(&value(props, "SUMMARY")), title);
    let normalised = abstract_text.replace("\r\n", "\n").replace('\r', "\n");
    assert_eq!(unescape(&value(props, "DESCRIPTION")), normalised);
    assert_eq!(
        unescape(&value(props, "LOCATION")),
        "Bldg 50, Room 5132; Berkeley Lab"
    );
    assert_eq!(value(props, "CATEGORIES"), r"ML\, AI,Physics");
}

#[test]
fn folds_never_separate_a_backslash_from_its_character() {
    // Escapes at every alignment relative to the fold points.
    for shift in 0..6 {
        let title = format!("{}{}", "x".repeat(shift), ",;\\".repeat(60));
        let ics = write(vec![talk(
            "t3@example.org",
            &title,
            "2020-11-05T16:00",
            "2020-11-05T17:00",
            "UTC",
        )]);
        assert_well_formed(&ics);
        let summary: Vec<&str> = ics
            .split("\r\n")
            .skip_while(|l| !l.starts_with("SUMMARY"))
            .take_while(|l| l.starts_with("SUMMARY") || l.starts_with(' '))
            .collect();
        assert!(summary.len() > 2);
        for line in summary {
            let trailing = line.len() - line.trim_end_matches('\\').len();
            assert_eq!(trailing % 2, 0, "line ends inside an escape: {line:?}");
        }
        let calendar = parse(&ics);
        assert_eq!(unescape(&value(only_event(&calendar), "SUMMARY")), title);
    }
}

// ---------------------------------------------------------------- properties

#[test]
fn calendar_properties_are_present() {
    let ics = write(vec![talk(
        "t@x",
        "Talk",
        "2020-11-05T16:00",
        "2020-11-05T17:00",
        "America/Los_Angeles",
    )]);
    let calendar = parse(&ics);
    let props = &calendar.properties;
    assert_eq!(value(props, "VERSION"), "2.0");
    assert_eq!(value(props, "PRODID"), "-//Podium//Podium//EN");
    assert_eq!(value(props, "CALSCALE"), "GREGORIAN");
    assert_eq!(value(props, "METHOD"), "PUBLISH");
    assert_eq!(unescape(&value(props, "NAME")), "Physics Division Seminar");
    assert_eq!(
        unescape(&value(props, "X-WR-CALNAME")),
        "Physics Division Seminar"
    );
    assert_eq!(
        unescape(&value(props, "X-WR-CALDESC")),
        "Talks, every Thursday; coffee at 3:45"
    );
    assert_eq!(
        unescape(&value(props, "DESCRIPTION")),
        "Talks, every Thursday; coffee at 3:45"
    );
    assert_eq!(
        value(props, "URL"),
        "https://example.org/hub/seminars/seminars.ics"
    );
    let refresh = prop(props, "REFRESH-INTERVAL");
    assert_eq!(param(refresh, "VALUE").as_deref(), Some("DURATION"));
    assert_eq!(refresh.value.as_deref(), Some("PT6H"));
    assert_eq!(value(props, "X-PUBLISHED-TTL"), "PT6H");
}

#[test]
fn event_properties_round_trip() {
    let mut event = talk(
        "seminars/thaler@example.org",
        "Collider Physics",
        "2020-11-05T16:00",
        "2020-11-05T17:00",
        "America/Los_Angeles",
    );
    event.sequence = 2;
    event.url = Some("https://example.org/hub/seminars/thaler/".into());
    event.status = Status::Cancelled;
    event.related_to = Some("events/iml-2020@example.org".into());
    event.conference = Some(Conference {
        url: "https://zoom.us/j/123?pwd=a;b".into(),
        label: Some("Zoom: room 1, main".into()),
    });
    let ics = write(vec![event]);
    assert_well_formed(&ics);
    let calendar = parse(&ics);
    let props = only_event(&calendar);
    assert_eq!(
        unescape(&value(props, "UID")),
        "seminars/thaler@example.org"
    );
    assert_eq!(value(props, "SEQUENCE"), "2");
    assert_eq!(value(props, "DTSTAMP"), "20201101T120000Z");
    for (name, local) in [("DTSTART", "20201105T160000"), ("DTEND", "20201105T170000")] {
        let p = prop(props, name);
        assert_eq!(param(p, "TZID").as_deref(), Some("America/Los_Angeles"));
        assert_eq!(p.value.as_deref(), Some(local));
    }
    assert_eq!(
        value(props, "URL"),
        "https://example.org/hub/seminars/thaler/"
    );
    assert_eq!(value(props, "STATUS"), "CANCELLED");
    assert_eq!(
        unescape(&value(props, "RELATED-TO")),
        "events/iml-2020@example.org"
    );
    let conference = prop(props, "CONFERENCE");
    assert_eq!(param(conference, "VALUE").as_deref(), Some("URI"));
    assert_eq!(param(conference, "FEATURE").as_deref(), Some("VIDEO"));
    assert_eq!(
        param(conference, "LABEL").as_deref(),
        Some("Zoom: room 1, main")
    );
    assert_eq!(
        conference.value.as_deref(),
        Some("https://zoom.us/j/123?pwd=a;b")
    );
    assert!(ics.contains("LABEL=\"Zoom: room 1, main\":"));
    let zones: Vec<String> = calendar
        .timezones
        .iter()
        .map(|z| value(&z.properties, "TZID"))
        .collect();
    assert_eq!(zones, ["America/Los_Angeles"]);
}

#[test]
fn utc_times_use_the_z_form_and_need_no_vtimezone() {
    let ics = write(vec![talk(
        "u@x",
        "Call",
        "2020-11-09T17:00",
        "2020-11-09T18:00",
        "UTC",
    )]);
    let calendar = parse(&ics);
    let start = prop(only_event(&calendar), "DTSTART");
    assert_eq!(start.params, None);
    assert_eq!(start.value.as_deref(), Some("20201109T170000Z"));
    assert!(calendar.timezones.is_empty());
}

#[test]
fn fixed_offsets_are_written_in_utc() {
    let start: Zoned = "2020-11-05T16:00-08:00[-08:00]".parse().unwrap();
    let end = start.checked_add(SignedDuration::from_hours(1)).unwrap();
    let ics = write(vec![Event::new(
        "f@x",
        "Fixed",
        EventTime::Zoned(start),
        EventTime::Zoned(end),
    )]);
    let calendar = parse(&ics);
    let props = only_event(&calendar);
    assert_eq!(prop(props, "DTSTART").params, None);
    assert_eq!(value(props, "DTSTART"), "20201106T000000Z");
    assert_eq!(value(props, "DTEND"), "20201106T010000Z");
    assert!(calendar.timezones.is_empty());
}

#[test]
fn all_day_events_use_value_date_with_an_exclusive_end() {
    let event = Event::new(
        "d@x",
        "Retreat",
        EventTime::AllDay(date(2020, 11, 5)),
        EventTime::AllDay(date(2020, 11, 7)),
    );
    let ics = write(vec![event]);
    let calendar = parse(&ics);
    let props = only_event(&calendar);
    for (name, day) in [("DTSTART", "20201105"), ("DTEND", "20201107")] {
        let p = prop(props, name);
        assert_eq!(param(p, "VALUE").as_deref(), Some("DATE"));
        assert_eq!(param(p, "TZID"), None);
        assert_eq!(p.value.as_deref(), Some(day));
    }
    assert!(calendar.timezones.is_empty());
}

#[test]
fn output_is_deterministic() {
    let events = || {
        vec![
            talk(
                "a@x",
                "A",
                "2020-11-05T16:00",
                "2020-11-05T17:00",
                "Europe/Zurich",
            ),
            talk(
                "b@x",
                "B",
                "2020-11-09T09:00",
                "2020-11-09T10:00",
                "America/Los_Angeles",
            ),
            talk(
                "c@x",
                "C",
                "2020-11-10T09:00",
                "2020-11-10T10:00",
                "Asia/Tokyo",
            ),
        ]
    };
    let first = write(events());
    assert_eq!(first, write(events()));
    let calendar = parse(&first);
    let zones: Vec<String> = calendar
        .timezones
        .iter()
        .map(|z| value(&z.properties, "TZID"))
        .collect();
    assert_eq!(
        zones,
        ["America/Los_Angeles", "Asia/Tokyo", "Europe/Zurich"]
    );
}

// ---------------------------------------------------------------- recurrence

fn biweekly_group_meeting() -> Event {
    let mut event = talk(
        "group-meeting@x",
        "Group meeting",
        "2021-02-04T11:00",
        "2021-02-04T12:00",
        "America/Los_Angeles",
    );
    event.recurrence = Some("FREQ=WEEKLY;INTERVAL=2;UNTIL=2021-04-29".parse().unwrap());
    event
}

fn local_and_offset(time: &EventTime) -> (Date, jiff::civil::Time, Offset) {
    let EventTime::Zoned(z) = time else {
        panic!("zoned")
    };
    (z.date(), z.time(), z.offset())
}

#[test]
fn biweekly_meeting_stays_at_eleven_local_across_dst() {
    let event = biweekly_group_meeting();
    let recurrence = event.recurrence.as_ref().unwrap();
    let occurrences = recurrence.occurrences(&event.start, &[], date(2030, 1, 1));
    let observed: Vec<_> = occurrences.iter().map(local_and_offset).collect();
    let dates: Vec<Date> = observed.iter().map(|o| o.0).collect();
    assert_eq!(
        dates,
        [
            date(2021, 2, 4),
            date(2021, 2, 18),
            date(2021, 3, 4),
            date(2021, 3, 18),
            date(2021, 4, 1),
            date(2021, 4, 15),
            date(2021, 4, 29)
        ]
    );
    assert!(
        observed
            .iter()
            .all(|o| o.1 == jiff::civil::time(11, 0, 0, 0))
    );
    let offsets: Vec<i32> = observed.iter().map(|o| o.2.seconds() / 3600).collect();
    assert_eq!(offsets, [-8, -8, -8, -7, -7, -7, -7]);
}

#[test]
fn an_exdate_removes_exactly_that_occurrence() {
    let event = biweekly_group_meeting();
    let recurrence = event.recurrence.as_ref().unwrap();
    let horizon = date(2030, 1, 1);
    let all = recurrence.occurrences(&event.start, &[], horizon);
    let skipped = recurrence.occurrences(&event.start, &[date(2021, 3, 18)], horizon);
    assert_eq!(skipped.len(), all.len() - 1);
    let expected: Vec<EventTime> = all
        .into_iter()
        .filter(|o| o.date() != date(2021, 3, 18))
        .collect();
    assert_eq!(skipped, expected);
}

#[test]
fn recurring_event_writes_rrule_and_exdate_in_the_event_zone() {
    let mut event = biweekly_group_meeting();
    event.exdates = vec![date(2021, 3, 18)];
    let ics = write(vec![event]);
    assert_well_formed(&ics);
    let calendar = parse(&ics);
    let props = only_event(&calendar);
    // End of 29 April in Los Angeles (PDT, UTC-7) is 06:59:59 UTC on 30 April.
    assert_eq!(
        value(props, "RRULE"),
        "FREQ=WEEKLY;INTERVAL=2;UNTIL=20210430T065959Z"
    );
    let exdates = all(props, "EXDATE");
    assert_eq!(exdates.len(), 1);
    assert_eq!(
        param(exdates[0], "TZID").as_deref(),
        Some("America/Los_Angeles")
    );
    assert_eq!(exdates[0].value.as_deref(), Some("20210318T110000"));
}

#[test]
fn all_day_recurrence_writes_until_as_a_date() {
    let recurrence: Recurrence = "FREQ=DAILY;UNTIL=20210110".parse().unwrap();
    let start = EventTime::AllDay(date(2021, 1, 4));
    assert_eq!(
        recurrence.to_rrule_string(&start),
        "FREQ=DAILY;UNTIL=20210110"
    );
}

#[test]
fn count_includes_exdated_occurrences_and_monthly_skips_short_months() {
    let recurrence: Recurrence = "FREQ=MONTHLY;COUNT=4".parse().unwrap();
    let start = zoned("2021-01-31T10:00", "Europe/Berlin");
    let dates: Vec<Date> = recurrence
        .occurrences(&start, &[date(2021, 3, 31)], date(2030, 1, 1))
        .iter()
        .map(EventTime::date)
        .collect();
    // February, April and June have no 31st; the exdated March one still counts.
    assert_eq!(
        dates,
        [date(2021, 1, 31), date(2021, 5, 31), date(2021, 7, 31)]
    );
}

#[test]
fn weekly_byday_expands_within_each_week_up_to_the_horizon() {
    let recurrence: Recurrence = "FREQ=WEEKLY;BYDAY=TH,MO".parse().unwrap();
    let start = zoned("2021-03-01T09:30", "Europe/London");
    let dates: Vec<(Date, Weekday)> = recurrence
        .occurrences(&start, &[], date(2021, 3, 11))
        .iter()
        .map(|o| (o.date(), o.date().weekday()))
        .collect();
    assert_eq!(
        dates,
        [
            (date(2021, 3, 1), Weekday::Monday),
            (date(2021, 3, 4), Weekday::Thursday),
            (date(2021, 3, 8), Weekday::Monday),
            (date(2021, 3, 11), Weekday::Thursday),
        ]
    );
}

#[test]
fn recurrence_round_trips_through_its_rrule_string() {
    let text = "FREQ=WEEKLY;INTERVAL=2;COUNT=10;BYDAY=MO,WE";
    let recurrence: Recurrence = text.parse().unwrap();
    assert_eq!(
        recurrence.to_rrule_string(&EventTime::AllDay(date(2021, 1, 4))),
        text
    );
    let iso: Recurrence = "rrule:freq=weekly;interval=2;until=2021-06-30"
        .to_uppercase()
        .parse()
        .unwrap();
    assert_eq!(iso.until, Some(date(2021, 6, 30)));
    assert_eq!(iso.interval, 2);
}

#[test]
fn unsupported_recurrences_are_explained() {
    let error = |s: &str| s.parse::<Recurrence>().unwrap_err().to_string();
    assert_eq!(
        error("FREQ=MONTHLY;BYDAY=MO;BYSETPOS=1"),
        "unsupported RRULE part `BYSETPOS`: Podium supports FREQ, INTERVAL, COUNT, UNTIL, BYDAY"
    );
    assert!(error("FREQ=YEARLY").contains("DAILY, WEEKLY or MONTHLY"));
    assert!(error("INTERVAL=2").contains("needs FREQ"));
    assert!(error("FREQ=WEEKLY;COUNT=3;UNTIL=2021-06-30").contains("not both"));
    assert!(error("FREQ=MONTHLY;BYDAY=1MO").contains("positions such as 1MO"));
    assert!(error("FREQ=WEEKLY;INTERVAL=0").contains("at least 1"));
    assert!(error("FREQ=WEEKLY;UNTIL=June").contains("2021-06-30"));
    assert!(error("FREQ=WEEKLY;UNTIL=99991231").contains("years from 1900 to 2200"));
    assert!(error("FREQ=WEEKLY;FREQ=DAILY").contains("twice"));
}

// ---------------------------------------------------------------- VTIMEZONE

fn parse_offset(text: &str) -> Offset {
    let sign = if text.starts_with('-') { -1 } else { 1 };
    let digits = &text[1..];
    let field = |i: usize| {
        digits
            .get(i..i + 2)
            .map_or(0, |d| d.parse::<i32>().unwrap())
    };
    Offset::from_seconds(sign * (field(0) * 3600 + field(2) * 60 + field(4))).unwrap()
}

fn parse_local(text: &str) -> DateTime {
    let iso = format!(
        "{}-{}-{}T{}:{}:{}",
        &text[..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    iso.parse().unwrap()
}

fn parse_utc(text: &str) -> Timestamp {
    let local = parse_local(text.strip_suffix('Z').expect("UNTIL in UTC"));
    Offset::UTC.to_timestamp(local).unwrap()
}

/// Yearly rule parts of a VTIMEZONE observance: BYMONTH, BYDAY position and day, UNTIL.
struct YearlyRule {
    month: i8,
    nth: i8,
    weekday: Weekday,
    until: Option<Timestamp>,
}

fn parse_yearly_rule(rule: &str) -> YearlyRule {
    let mut parsed = YearlyRule {
        month: 0,
        nth: 0,
        weekday: Weekday::Sunday,
        until: None,
    };
    for part in rule.split(';') {
        let (key, val) = part.split_once('=').unwrap();
        match key {
            "FREQ" => assert_eq!(val, "YEARLY"),
            "BYMONTH" => parsed.month = val.parse().unwrap(),
            "BYDAY" => {
                let (nth, day) = val.split_at(val.len() - 2);
                parsed.nth = nth.parse().unwrap();
                parsed.weekday = match day {
                    "MO" => Weekday::Monday,
                    "TU" => Weekday::Tuesday,
                    "WE" => Weekday::Wednesday,
                    "TH" => Weekday::Thursday,
                    "FR" => Weekday::Friday,
                    "SA" => Weekday::Saturday,
                    "SU" => Weekday::Sunday,
                    other => panic!("weekday {other}"),
                };
            }
            "UNTIL" => parsed.until = Some(parse_utc(val)),
            other => panic!("unexpected rule part {other}"),
        }
    }
    parsed
}

/// The (instant, new offset) pairs a VTIMEZONE describes up to `end`, by expanding
/// each observance's DTSTART and yearly RRULE.
fn expand_vtimezone(zone: &IcalTimeZone, end: Timestamp) -> Vec<(Timestamp, Offset)> {
    let mut onsets = Vec::new();
    for block in &zone.transitions {
        let props = &block.properties;
        let dtstart = parse_local(&value(props, "DTSTART"));
        let from = parse_offset(&value(props, "TZOFFSETFROM"));
        let to = parse_offset(&value(props, "TZOFFSETTO"));
        let first = from.to_timestamp(dtstart).unwrap();
        let Some(rule) = props.iter().find(|p| p.name == "RRULE") else {
            onsets.push((first, to));
            continue;
        };
        let rule = parse_yearly_rule(rule.value.as_deref().unwrap());
        for year in dtstart.year().. {
            let day = date(year, rule.month, 1)
                .nth_weekday_of_month(rule.nth, rule.weekday)
                .unwrap();
            let at = from.to_timestamp(day.to_datetime(dtstart.time())).unwrap();
            if year == dtstart.year() {
                assert_eq!(at, first, "DTSTART must be the rule's first occurrence");
            }
            if at > end || rule.until.is_some_and(|until| at > until) {
                break;
            }
            onsets.push((at, to));
        }
    }
    onsets.sort();
    onsets
}

/// Writes a feed with events from `first` to `last` in `zone` and checks that its
/// VTIMEZONE reproduces jiff's transitions over that span; returns the VTIMEZONE.
fn check_vtimezone(zone: &str, first: &str, last: &str) -> IcalTimeZone {
    let events = vec![
        talk(
            "first@x",
            "First",
            &format!("{first}T10:00"),
            &format!("{first}T11:00"),
            zone,
        ),
        talk(
            "last@x",
            "Last",
            &format!("{last}T10:00"),
            &format!("{last}T11:00"),
            zone,
        ),
    ];
    let ics = write(events);
    assert_well_formed(&ics);
    let calendar = parse(&ics);
    assert_eq!(calendar.timezones.len(), 1);
    let vtimezone = calendar.timezones[0].clone();
    assert_eq!(value(&vtimezone.properties, "TZID"), zone);

    let tz = TimeZone::get(zone).unwrap();
    let start = date_start(first, &tz);
    let end = date_start(last, &tz)
        .checked_add(SignedDuration::from_hours(24))
        .unwrap();
    let expected: Vec<(Timestamp, Offset)> = tz
        .following(start)
        .take_while(|t| t.timestamp() <= end)
        .map(|t| (t.timestamp(), t.offset()))
        .collect();
    let described: Vec<(Timestamp, Offset)> = expand_vtimezone(&vtimezone, end)
        .into_iter()
        .filter(|(at, _)| *at > start)
        .collect();
    assert_eq!(described, expected, "{zone}");
    let earliest = expand_vtimezone(&vtimezone, end)[0];
    assert!(
        earliest.0 <= start,
        "the first observance starts before the events"
    );
    assert_eq!(
        earliest_offset_before(&vtimezone, start, end),
        tz.to_offset(start),
        "{zone}"
    );
    vtimezone
}

fn date_start(day: &str, tz: &TimeZone) -> Timestamp {
    let day: Date = day.parse().unwrap();
    day.to_zoned(tz.clone()).unwrap().timestamp()
}

/// The offset the VTIMEZONE says is in force at `at`.
fn earliest_offset_before(zone: &IcalTimeZone, at: Timestamp, end: Timestamp) -> Offset {
    expand_vtimezone(zone, end)
        .into_iter()
        .take_while(|(onset, _)| *onset <= at)
        .last()
        .expect("an observance in force")
        .1
}

fn blocks(zone: &IcalTimeZone) -> Vec<(String, Option<String>)> {
    zone.transitions
        .iter()
        .map(|block| {
            let kind = format!("{:?}", block.transition);
            let rule = block
                .properties
                .iter()
                .find(|p| p.name == "RRULE")
                .and_then(|p| p.value.clone());
            (kind, rule)
        })
        .collect()
}

#[test]
fn los_angeles_uses_two_open_ended_yearly_rules() {
    let zone = check_vtimezone("America/Los_Angeles", "2020-01-16", "2022-12-15");
    let mut rules: Vec<Option<String>> = blocks(&zone).into_iter().map(|(_, r)| r).collect();
    rules.sort();
    assert_eq!(
        rules,
        [
            Some("FREQ=YEARLY;BYMONTH=11;BYDAY=1SU".to_string()),
            Some("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU".to_string()),
        ]
    );
    let names: Vec<String> = zone
        .transitions
        .iter()
        .map(|b| value(&b.properties, "TZNAME"))
        .collect();
    assert!(names.contains(&"PST".to_string()) && names.contains(&"PDT".to_string()));
}

#[test]
fn the_2007_us_rule_change_splits_rules_with_until() {
    let zone = check_vtimezone("America/New_York", "2005-06-01", "2009-06-01");
    let rules: Vec<String> = blocks(&zone).into_iter().filter_map(|(_, r)| r).collect();
    assert!(
        rules
            .iter()
            .any(|r| r.starts_with("FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=2006")),
        "{rules:?}"
    );
    assert!(
        rules.iter().any(|r| r == "FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
        "{rules:?}"
    );
    assert!(
        rules
            .iter()
            .any(|r| r.starts_with("FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=2006")),
        "{rules:?}"
    );
    assert!(
        rules
            .iter()
            .any(|r| r == "FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"),
        "{rules:?}"
    );
}

#[test]
fn zones_without_dst_get_a_single_standard_block() {
    let zone = check_vtimezone("Asia/Tokyo", "2020-01-16", "2022-12-15");
    let kinds = blocks(&zone);
    assert_eq!(kinds.len(), 1, "{kinds:?}");
    assert_eq!(kinds[0].0, "STANDARD");
    assert_eq!(
        value(&zone.transitions[0].properties, "TZOFFSETTO"),
        "+0900"
    );
}

#[test]
fn vtimezones_reproduce_jiff_transitions_across_rule_changes() {
    let cases = [
        ("Europe/London", "2019-03-01", "2021-11-30"),
        ("Europe/Zurich", "2020-01-01", "2020-12-31"),
        ("Australia/Sydney", "2019-01-10", "2022-07-10"),
        // DST abolished in 2022: the yearly rules must stop with UNTIL.
        ("Asia/Tehran", "2019-01-10", "2023-07-10"),
        // DST abolished in 2019.
        ("America/Sao_Paulo", "2017-01-10", "2020-07-10"),
        // Permanent "summer" time in 2011, back to standard in 2014.
        ("Europe/Moscow", "2009-01-10", "2015-07-10"),
        ("Asia/Kolkata", "2020-01-10", "2020-07-10"),
        ("Pacific/Chatham", "2020-01-10", "2021-07-10"),
        // A fixed zone: no transition at all, one steady observance.
        ("Etc/GMT+5", "2020-01-10", "2021-07-10"),
    ];
    for (zone, first, last) in cases {
        check_vtimezone(zone, first, last);
    }
}

#[test]
fn vtimezone_covers_the_whole_recurrence() {
    let mut event = biweekly_group_meeting();
    event.recurrence = Some("FREQ=WEEKLY;INTERVAL=2;UNTIL=2024-06-30".parse().unwrap());
    let calendar = parse(&write(vec![event]));
    let zone = &calendar.timezones[0];
    let tz = TimeZone::get("America/Los_Angeles").unwrap();
    let end: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
    let start: Timestamp = "2021-01-01T00:00:00Z".parse().unwrap();
    let expected: Vec<(Timestamp, Offset)> = tz
        .following(start)
        .take_while(|t| t.timestamp() <= end)
        .map(|t| (t.timestamp(), t.offset()))
        .collect();
    let described: Vec<_> = expand_vtimezone(zone, end)
        .into_iter()
        .filter(|(at, _)| *at > start)
        .collect();
    assert_eq!(described, expected);
}

#[test]
fn zoned_helper_keeps_wall_time() {
    // Guards the helpers above: a DST-gap time moves forward, as RFC 5545 says.
    let EventTime::Zoned(z) = zoned("2021-03-14T02:30", "America/Los_Angeles") else {
        unreachable!()
    };
    let expected: Zoned = "2021-03-14T03:30-07:00[America/Los_Angeles]"
        .parse()
        .unwrap();
    assert_eq!(z, expected);
}
