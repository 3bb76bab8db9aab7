//! Calendar feeds: the iCalendar (RFC 5545 with RFC 7986 extensions) data model and
//! writer behind every `.ics` Podium publishes.
//!
//! This module owns:
//! - the event and feed types, independent of pages, templates and front matter;
//! - the byte-level encoding of feeds: TEXT escaping, parameter quoting, CRLF line
//!   ends and folding at 75 octets on UTF-8 boundaries that never separates a
//!   backslash from the character it escapes (the `ical` crate's generator gets all
//!   of these wrong, so it is used only as an independent parser in tests);
//! - VTIMEZONE components generated from the IANA database bundled with jiff, so
//!   subscribers see the same local times whatever their client's own zone data;
//! - the RRULE subset for recurring meetings, and its expansion into occurrences,
//!   so listings and month grids show exactly the dates calendar clients show.
//!
//! Output is deterministic: the same feed and `dtstamp` give the same bytes.

pub mod links;
mod recurrence;
pub(crate) mod text;
mod time;
mod vtimezone;
mod writer;

#[cfg(test)]
mod tests;

pub use recurrence::{Freq, Recurrence, RecurrenceError};
pub use writer::write_feed;

use std::sync::Arc;

use jiff::civil::Date;
use jiff::{SignedDuration, Zoned};

/// The UID of `local`, a name unique within one hub (a content path), on the hub's site.
/// The base path is part of it because every project site on `OWNER.github.io` shares
/// that host: without it, two hubs' `seminars/intro` would be one event to a subscriber
/// of both.
pub fn hub_uid(host: &str, base_path: &str, local: &str) -> String {
    match base_path.trim_matches('/') {
        "" => format!("{local}@{host}"),
        scope => format!("{scope}/{local}@{host}"),
    }
}

/// The description paragraph that carries a meeting link: Google, Outlook and Apple
/// Calendar ignore `CONFERENCE`, so without it their users never see how to join.
pub fn join_line(url: &str, label: Option<&str>) -> String {
    match label {
        Some(label) => format!("Join on {label}: {url}"),
        None => format!("Join online: {url}"),
    }
}

/// The `LOCATION` of an event that takes place only online, so clients that show a
/// place do not leave it blank.
pub fn online_location(label: Option<&str>) -> String {
    match label {
        Some(label) => format!("Online ({label})"),
        None => "Online".to_string(),
    }
}

/// When an event starts or ends: an instant in an IANA zone (written with `TZID` so
/// clients keep it at the same wall time across DST), or a whole day.
#[derive(Clone, Debug, PartialEq)]
pub enum EventTime {
    Zoned(Zoned),
    /// A calendar day; as an event's end it is exclusive (the day after the last day).
    AllDay(Date),
}

impl EventTime {
    /// The local calendar date.
    pub fn date(&self) -> Date {
        match self {
            EventTime::Zoned(zoned) => zoned.date(),
            EventTime::AllDay(date) => *date,
        }
    }

    /// The same wall-clock time (or whole day) on another date, in the same zone;
    /// `None` only at the edges of the representable range.
    pub fn on_date(&self, date: Date) -> Option<EventTime> {
        match self {
            EventTime::AllDay(_) => Some(EventTime::AllDay(date)),
            EventTime::Zoned(zoned) => date
                .to_datetime(zoned.time())
                .to_zoned(zoned.time_zone().clone())
                .ok()
                .map(EventTime::Zoned),
        }
    }
}

/// Whether an event takes place (RFC 5545 `STATUS`). Cancelled events stay in feeds
/// so subscribers' calendars show the cancellation instead of silently losing it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Confirmed,
    Tentative,
    Cancelled,
}

/// An online meeting link (RFC 7986 `CONFERENCE`), which clients show as a join button.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Conference {
    pub url: String,
    /// What the link is, e.g. "Zoom".
    pub label: Option<String>,
}

/// One VEVENT.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    /// Stable across rebuilds and edits, so clients update the event instead of
    /// duplicating it.
    pub uid: String,
    /// Raised on significant changes (e.g. cancellation) so clients accept the update.
    pub sequence: u32,
    pub summary: String,
    /// Plain text; newlines are kept.
    pub description: String,
    pub start: EventTime,
    /// Exclusive for all-day events (RFC 5545 `DTEND;VALUE=DATE`). Must be the same
    /// kind of [`EventTime`] as `start`.
    pub end: EventTime,
    pub location: Option<String>,
    /// The event's page.
    pub url: Option<String>,
    pub conference: Option<Conference>,
    pub status: Status,
    pub recurrence: Option<Recurrence>,
    /// Local dates on which a recurring event does not take place.
    pub exdates: Vec<Date>,
    /// UID of the parent, e.g. the workshop a session belongs to.
    pub related_to: Option<String>,
    pub categories: Vec<String>,
}

impl Event {
    /// A confirmed, non-recurring event with only the required fields set.
    pub fn new(
        uid: impl Into<String>,
        summary: impl Into<String>,
        start: EventTime,
        end: EventTime,
    ) -> Event {
        Event {
            uid: uid.into(),
            sequence: 0,
            summary: summary.into(),
            description: String::new(),
            start,
            end,
            location: None,
            url: None,
            conference: None,
            status: Status::Confirmed,
            recurrence: None,
            exdates: Vec::new(),
            related_to: None,
            categories: Vec::new(),
        }
    }
}

/// One VCALENDAR, i.e. one subscribable `.ics` file.
#[derive(Clone, Debug, PartialEq)]
pub struct Feed {
    /// Shown by clients as the calendar's name (`NAME`, `X-WR-CALNAME`).
    pub name: String,
    pub description: Option<String>,
    /// Where the feed itself lives (`URL`).
    pub url: Option<String>,
    /// How often subscribers should re-fetch (`REFRESH-INTERVAL`).
    pub refresh_interval: SignedDuration,
    /// The same hint for clients that read only the older `X-PUBLISHED-TTL`.
    pub published_ttl: SignedDuration,
    /// Shared: one talk is in several feeds, and `serve` keeps unchanged talks' events
    /// between rebuilds (the writer then reuses their written lines without comparing them).
    pub events: Vec<Arc<Event>>,
}
