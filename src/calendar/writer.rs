//! Turns a [`Feed`] into VCALENDAR text.

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock, Mutex};

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use rustc_hash::FxHashMap;

use super::text::{ContentLines, escape_text_list};
use super::time::{date_or_time_value, format_duration, format_utc, tzid};
use super::vtimezone::write_vtimezone;
use super::{Event, EventTime, Feed, Status};

/// PRODID of every feed (RFC 5545 §3.7.3).
const PRODID: &str = "-//Podium//Podium//EN";

/// How far before the first and after the last event a VTIMEZONE stays exact, so
/// clients that look slightly outside the events (reminders, week views) agree.
const ZONE_PADDING_YEARS: i64 = 1;

/// How far ahead a recurrence without COUNT or UNTIL is assumed to matter when
/// sizing VTIMEZONEs (their last rules stay open-ended anyway).
const OPEN_RECURRENCE_YEARS: i64 = 10;

/// Writes `feed` as a complete VCALENDAR, stamping every event with `dtstamp` (the
/// build time: passing it in keeps output reproducible).
pub fn write_feed(feed: &Feed, dtstamp: Timestamp) -> String {
    // About what a talk's event takes, so a long feed is not copied as its buffer grows.
    let mut out = ContentLines::with_capacity(1024 + feed.events.len() * 1536);
    out.begin("VCALENDAR");
    write_calendar_properties(&mut out, feed);
    for (name, zone) in zones_used(&feed.events) {
        let (start, end) = padded(zone.first, zone.last);
        write_vtimezone(&mut out, &name, &zone.tz, start, end);
    }
    let stamp = format_utc(dtstamp);
    for event in &feed.events {
        write_event(&mut out, event, &stamp);
    }
    out.end("VCALENDAR");
    out.finish()
}

fn write_calendar_properties(out: &mut ContentLines, feed: &Feed) {
    out.property("VERSION", &[], "2.0");
    out.property("PRODID", &[], PRODID);
    out.property("CALSCALE", &[], "GREGORIAN");
    out.property("METHOD", &[], "PUBLISH");
    out.text("NAME", &feed.name);
    out.text("X-WR-CALNAME", &feed.name);
    if let Some(description) = &feed.description {
        out.text("DESCRIPTION", description);
        out.text("X-WR-CALDESC", description);
    }
    if let Some(url) = &feed.url {
        out.property("URL", &[], &uri(url));
    }
    let refresh = format_duration(feed.refresh_interval);
    out.property("REFRESH-INTERVAL", &[("VALUE", "DURATION")], &refresh);
    out.property("X-PUBLISHED-TTL", &[], &format_duration(feed.published_ttl));
}

/// VEVENTs already written, by UID, with the event and stamp they were written from. A
/// talk appears in several feeds (all talks, recent ones, its series, the site calendar)
/// and, under `serve`, in every rebuild: writing it once saves most of a feed's cost. The
/// whole event is compared, so an edited event is written afresh; one version per UID is
/// kept, so the cache grows with the site, not with the edits.
static WRITTEN: LazyLock<Mutex<FxHashMap<String, Written>>> = LazyLock::new(Default::default);

struct Written {
    event: Arc<Event>,
    stamp: String,
    text: Arc<str>,
}

fn write_event(out: &mut ContentLines, event: &Arc<Event>, stamp: &str) {
    let cached = {
        let written = WRITTEN.lock().expect("calendar cache lock");
        written
            .get(&event.uid)
            .filter(|w| w.stamp == stamp && (Arc::ptr_eq(&w.event, event) || w.event == *event))
            .map(|w| w.text.clone())
    };
    let text = cached.unwrap_or_else(|| {
        let mut lines = ContentLines::default();
        write_event_lines(&mut lines, event, stamp);
        let text: Arc<str> = lines.finish().into();
        let entry = Written {
            event: event.clone(),
            stamp: stamp.to_string(),
            text: text.clone(),
        };
        let mut written = WRITTEN.lock().expect("calendar cache lock");
        written.insert(event.uid.clone(), entry);
        text
    });
    out.lines(&text);
}

fn write_event_lines(out: &mut ContentLines, event: &Event, stamp: &str) {
    out.begin("VEVENT");
    out.text("UID", &event.uid);
    out.property("SEQUENCE", &[], &event.sequence.to_string());
    out.property("DTSTAMP", &[], stamp);
    write_time(out, "DTSTART", &event.start);
    write_time(out, "DTEND", &event.end);
    if let Some(recurrence) = &event.recurrence {
        out.property("RRULE", &[], &recurrence.to_rrule_string(&event.start));
        for exdate in event.exdates.iter().filter_map(|d| event.start.on_date(*d)) {
            write_time(out, "EXDATE", &exdate);
        }
    }
    out.text("SUMMARY", &event.summary);
    if !event.description.is_empty() {
        out.text("DESCRIPTION", &event.description);
    }
    write_optional_fields(out, event);
    out.end("VEVENT");
}

fn write_optional_fields(out: &mut ContentLines, event: &Event) {
    if let Some(location) = &event.location {
        out.text("LOCATION", location);
    }
    if let Some(url) = &event.url {
        out.property("URL", &[], &uri(url));
    }
    out.property("STATUS", &[], status_value(event.status));
    if let Some(parent) = &event.related_to {
        out.text("RELATED-TO", parent);
    }
    if !event.categories.is_empty() {
        out.property("CATEGORIES", &[], &escape_text_list(&event.categories));
    }
    if let Some(conference) = &event.conference {
        let mut params = vec![("VALUE", "URI"), ("FEATURE", "VIDEO")];
        if let Some(label) = &conference.label {
            params.push(("LABEL", label));
        }
        out.property("CONFERENCE", &params, &uri(&conference.url));
    }
}

fn write_time(out: &mut ContentLines, name: &str, time: &EventTime) {
    let (params, value) = date_or_time_value(time);
    let params: Vec<(&str, &str)> = params.iter().map(|(k, v)| (*k, v.as_str())).collect();
    out.property(name, &params, &value);
}

fn status_value(status: Status) -> &'static str {
    match status {
        Status::Confirmed => "CONFIRMED",
        Status::Tentative => "TENTATIVE",
        Status::Cancelled => "CANCELLED",
    }
}

/// URIs are not escaped (RFC 5545 §3.3.13), but a control character would break the
/// line structure, and whitespace is never part of a valid URI.
fn uri(value: &str) -> String {
    value.trim().chars().filter(|c| !c.is_control()).collect()
}

/// A zone referenced by `TZID` and the span its VTIMEZONE must describe.
struct ZoneUse {
    tz: TimeZone,
    first: Timestamp,
    last: Timestamp,
}

/// Every IANA zone written as a `TZID`, by name (sorted, for deterministic output),
/// with the span of the events that use it: each VTIMEZONE is exact exactly where
/// it is needed, instead of every zone covering the whole feed's history.
fn zones_used(events: &[Arc<Event>]) -> BTreeMap<String, ZoneUse> {
    let mut zones: BTreeMap<String, ZoneUse> = BTreeMap::new();
    for event in events {
        let instants = event_instants(event);
        let (Some(&first), Some(&last)) = (instants.iter().min(), instants.iter().max()) else {
            continue;
        };
        for time in [&event.start, &event.end] {
            let EventTime::Zoned(zoned) = time else {
                continue;
            };
            let Some(name) = tzid(zoned.time_zone()) else {
                continue;
            };
            // Looked up before inserting: a feed has thousands of events and a few zones.
            match zones.get_mut(name) {
                Some(entry) => {
                    entry.first = entry.first.min(first);
                    entry.last = entry.last.max(last);
                }
                None => {
                    let tz = zoned.time_zone().clone();
                    zones.insert(name.to_string(), ZoneUse { tz, first, last });
                }
            }
        }
    }
    zones
}

/// `[first, last]` widened by the padding on both sides.
fn padded(first: Timestamp, last: Timestamp) -> (Timestamp, Timestamp) {
    let padding = SignedDuration::from_hours(24 * 366 * ZONE_PADDING_YEARS);
    (
        first.saturating_sub(padding).unwrap_or(first),
        last.saturating_add(padding).unwrap_or(last),
    )
}

/// The instants a zoned event spans: its start, its end, and the end of its last
/// occurrence (an open-ended recurrence is followed for a number of years).
fn event_instants(event: &Event) -> Vec<Timestamp> {
    let (EventTime::Zoned(start), EventTime::Zoned(end)) = (&event.start, &event.end) else {
        return Vec::new();
    };
    let mut instants = vec![start.timestamp(), end.timestamp()];
    if let Some(recurrence) = &event.recurrence {
        let last_date = recurrence
            .last_date(start.date())
            .unwrap_or_else(|| start.date().saturating_add(OPEN_RECURRENCE_YEARS.years()));
        if let Some(EventTime::Zoned(last)) = event.start.on_date(last_date) {
            let length = start.timestamp().duration_until(end.timestamp());
            instants.extend(
                last.timestamp()
                    .checked_add(length.max(SignedDuration::ZERO))
                    .ok(),
            );
        }
    }
    instants
}
