//! The seminar model: a talk's front matter and its section's settings, parsed and checked
//! at load time into typed values, so rendering never meets a malformed date or zone.

use std::path::Path;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan, Zoned};
use serde::Deserialize;
use serde::de::DeserializeOwned;

use crate::calendar::{EventTime, Recurrence};
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Pos, suggest};
use crate::front_matter::{locate_key, locate_value};
use crate::time::{When, parse_date, parse_duration, parse_when};

/// The length of a talk when nothing says otherwise.
const DEFAULT_DURATION: SignedDuration = SignedDuration::from_hours(1);

/// Feed names under the section folder that a series slug must not take.
const RESERVED_SLUGS: &[&str] = &["seminars", "recent", "series", "calendar"];

/// A seminars section's settings (`_index.md` of a `kind = "seminars"` section).
#[derive(Debug, Clone)]
pub struct SeminarSettings {
    pub series: Vec<Series>,
    /// The section's zone, else the site's.
    pub timezone: TimeZone,
    pub default_duration: SignedDuration,
    pub location: Option<String>,
    pub online: Option<String>,
    pub online_label: Option<String>,
}

/// A seminar series declared by `[[series]]`; its fields are defaults for its talks.
#[derive(Debug, Clone)]
pub struct Series {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub timezone: Option<TimeZone>,
    pub location: Option<String>,
    pub online: Option<String>,
    pub online_label: Option<String>,
    pub default_duration: Option<SignedDuration>,
}

/// One speaker of a talk.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Speaker {
    pub name: String,
    #[serde(default)]
    pub affiliation: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
    /// A member slug: the speaker's name links to their profile when it exists.
    #[serde(default)]
    pub member: Option<String>,
}

/// Whether a talk takes place as announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeminarStatus {
    Confirmed,
    Tentative,
    Cancelled,
    Postponed,
}

impl SeminarStatus {
    const ALL: [(&'static str, SeminarStatus); 4] = [
        ("confirmed", SeminarStatus::Confirmed),
        ("tentative", SeminarStatus::Tentative),
        ("cancelled", SeminarStatus::Cancelled),
        ("postponed", SeminarStatus::Postponed),
    ];

    /// The word written in front matter, also used as a CSS class.
    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, s)| *s == self)
            .map(|(n, _)| *n)
            .unwrap_or("confirmed")
    }

    /// Whether the talk no longer happens at its announced time.
    pub fn is_off(self) -> bool {
        matches!(self, SeminarStatus::Cancelled | SeminarStatus::Postponed)
    }
}

/// A talk (or a recurring meeting), as a seminar page describes it.
#[derive(Debug, Clone)]
pub struct Seminar {
    pub speakers: Vec<Speaker>,
    /// The first (or only) occurrence.
    pub start: EventTime,
    /// Exclusive for all-day talks.
    pub end: EventTime,
    /// The talk's own zone: pages show its times here, and all-day talks begin here.
    pub timezone: TimeZone,
    pub location: Option<String>,
    pub online: Option<String>,
    pub online_label: Option<String>,
    /// Slug of a series declared in the section.
    pub series: Option<String>,
    pub status: SeminarStatus,
    pub recurrence: Option<Recurrence>,
    pub exdates: Vec<Date>,
    pub slides: Option<String>,
    pub recording: Option<String>,
    /// Overrides the derived calendar UID.
    pub uid: Option<String>,
    /// Overrides the base calendar SEQUENCE.
    pub sequence: Option<u32>,
}

impl Seminar {
    /// Whether the talk lasts whole days.
    pub fn all_day(&self) -> bool {
        matches!(self.start, EventTime::AllDay(_))
    }

    /// Every occurrence (start, end) up to the local date `horizon`; just the talk itself
    /// when it does not recur. Ends keep their wall-clock time, so a one-hour meeting stays
    /// one hour across a DST change, as calendar clients expand it.
    pub fn occurrences(&self, horizon: Date) -> Vec<(EventTime, EventTime)> {
        let Some(rule) = &self.recurrence else {
            return vec![(self.start.clone(), self.end.clone())];
        };
        rule.occurrences(&self.start, &self.exdates, horizon)
            .into_iter()
            .filter_map(|start| {
                let end = self.end_for(&start)?;
                Some((start, end))
            })
            .collect()
    }

    /// The end of the occurrence starting at `start`.
    fn end_for(&self, start: &EventTime) -> Option<EventTime> {
        match (start, &self.start, &self.end) {
            (EventTime::Zoned(s), EventTime::Zoned(first), EventTime::Zoned(end)) => {
                let length = first.timestamp().duration_until(end.timestamp());
                s.checked_add(length).ok().map(EventTime::Zoned)
            }
            _ => {
                let days = self.start.date().until(self.end.date()).ok()?;
                start.date().checked_add(days).ok().map(EventTime::AllDay)
            }
        }
    }

    /// The instant an occurrence time denotes (midnight in the talk's zone for a day).
    pub fn instant(&self, time: &EventTime) -> Timestamp {
        match time {
            EventTime::Zoned(z) => z.timestamp(),
            EventTime::AllDay(d) => d
                .to_zoned(self.timezone.clone())
                .map_or(Timestamp::UNIX_EPOCH, |z| z.timestamp()),
        }
    }

    /// The calendar SEQUENCE: the override (or 0), raised when the talk is called off so
    /// subscribers' clients accept the change.
    pub fn sequence_number(&self) -> u32 {
        self.sequence.unwrap_or(0) + u32::from(self.status.is_off())
    }
}

/// Where a problem is: the file, and the front matter text to find keys in.
#[derive(Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a Path,
    /// The raw front matter; it starts on line 2 of the file.
    pub raw: &'a str,
}

impl Origin<'_> {
    /// An error at the line of `key`.
    fn at_key(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(
            self.file,
            locate_key(self.raw, None, key).shifted(1),
            message,
        )
    }

    /// An error at the value of `key`, for a value that is wrong as written.
    fn at_value(&self, key: &str, message: impl Into<String>) -> Diagnostic {
        Diagnostic::at(
            self.file,
            locate_value(self.raw, None, key).shifted(1),
            message,
        )
    }

    /// An error at the first line containing `needle` (e.g. a value inside `[[series]]`),
    /// else at `key`.
    fn at_text(&self, needle: &str, key: &str, message: impl Into<String>) -> Diagnostic {
        match self.raw.lines().position(|l| l.contains(needle)) {
            Some(i) => Diagnostic::at(self.file, Pos::new(i + 2, 1), message),
            None => self.at_key(key, message),
        }
    }
}

/// Deserializes a front matter table, pointing type errors at the offending key.
///
/// serde's messages do not name the field ("invalid type: integer `5`, expected a
/// string"), so the culprit is found by deserializing each field on its own: every field
/// of `T` has a default, so only the bad one fails.
fn typed<T: DeserializeOwned>(table: &toml::Table, origin: Origin) -> Result<T, Diagnostic> {
    T::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
        let alone = |key: &String, value: &toml::Value| {
            let mut one = toml::Table::new();
            one.insert(key.clone(), value.clone());
            T::deserialize(toml::Value::Table(one)).is_err()
        };
        let key = table
            .iter()
            .find(|(k, v)| alone(k, v))
            .map_or("title", |(k, _)| k.as_str());
        origin.at_key(key, format!("invalid `{key}`: {}", e.message()))
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SettingsFront {
    series: Vec<SeriesFront>,
    timezone: Option<String>,
    default_duration: Option<String>,
    location: Option<String>,
    online: Option<String>,
    online_label: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeriesFront {
    slug: Option<String>,
    name: String,
    description: Option<String>,
    timezone: Option<String>,
    location: Option<String>,
    online: Option<String>,
    online_label: Option<String>,
    default_duration: Option<String>,
}

/// Parses a seminars section's settings. Problems are reported alongside the best settings
/// that could be made, so its talks are still checked against the series that are fine.
pub fn parse_settings(
    table: &toml::Table,
    origin: Origin,
    config: &Config,
) -> (SeminarSettings, Vec<Diagnostic>) {
    let mut problems = Problems::default();
    let front: SettingsFront = problems.keep(typed(table, origin)).unwrap_or_default();
    let site_zone = TimeZone::get(&config.timezone).unwrap_or(TimeZone::UTC);
    let timezone = front
        .timezone
        .as_ref()
        .and_then(|name| problems.keep(zone(name, origin, "timezone")))
        .unwrap_or(site_zone);
    let default_duration = front
        .default_duration
        .as_ref()
        .and_then(|text| problems.keep(duration(text, origin, "default_duration")))
        .unwrap_or(DEFAULT_DURATION);
    let mut series: Vec<Series> = Vec::new();
    for s in front.series {
        let Some(s) = problems.keep(parse_series(s, origin)) else {
            continue;
        };
        if series.iter().any(|other| other.slug == s.slug) {
            let needle = format!("\"{}\"", s.slug);
            problems.0.push(
                origin
                    .at_text(
                        &needle,
                        "series",
                        format!("series `{}` is declared twice", s.slug),
                    )
                    .with_hint("give each [[series]] its own `slug`"),
            );
        } else {
            series.push(s);
        }
    }
    let settings = SeminarSettings {
        series,
        timezone,
        default_duration,
        location: front.location,
        online: front.online,
        online_label: front.online_label,
    };
    (settings, problems.0)
}

fn parse_series(s: SeriesFront, origin: Origin) -> Result<Series, Diagnostic> {
    let slug = s
        .slug
        .clone()
        .unwrap_or_else(|| crate::content::slugify(&s.name));
    if RESERVED_SLUGS.contains(&slug.as_str()) || slug.is_empty() {
        return Err(origin
            .at_text(
                &format!("\"{slug}\""),
                "series",
                format!("series slug `{slug}` is reserved"),
            )
            .with_hint(
                "its feed would clash with seminars.ics, recent.ics or a page: pick another slug",
            ));
    }
    let timezone = match &s.timezone {
        Some(name) => Some(zone(name, origin, "series")?),
        None => None,
    };
    let default_duration = match &s.default_duration {
        Some(text) => Some(
            parse_duration(text)
                .map_err(|e| origin.at_text(&format!("\"{text}\""), "series", e))?,
        ),
        None => None,
    };
    Ok(Series {
        slug,
        name: s.name,
        description: s.description,
        timezone,
        location: s.location,
        online: s.online,
        online_label: s.online_label,
        default_duration,
    })
}

/// An IANA zone by name; the error points at the line that names it and suggests the
/// nearest real zone.
fn zone(name: &str, origin: Origin, key: &str) -> Result<TimeZone, Diagnostic> {
    TimeZone::get(name).map_err(|_| {
        let names: Vec<String> = jiff::tz::db().available().map(|n| n.to_string()).collect();
        let hint = match suggest(name, names.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`? Zones are IANA names"),
            None => {
                "use an IANA zone name such as `America/Los_Angeles` or `Europe/Zurich`".to_string()
            }
        };
        origin
            .at_text(
                &format!("\"{name}\""),
                key,
                format!("unknown time zone `{name}`"),
            )
            .with_hint(hint)
    })
}

fn duration(text: &str, origin: Origin, key: &str) -> Result<SignedDuration, Diagnostic> {
    parse_duration(text).map_err(|e| origin.at_key(key, e))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct SeminarFront {
    speakers: Vec<Speaker>,
    speaker: Option<String>,
    affiliation: Option<String>,
    start: Option<String>,
    end: Option<String>,
    duration: Option<String>,
    timezone: Option<String>,
    location: Option<String>,
    online: Option<String>,
    online_label: Option<String>,
    series: Option<String>,
    status: Option<String>,
    recurrence: Option<String>,
    exdates: Vec<String>,
    slides: Option<String>,
    recording: Option<String>,
    uid: Option<String>,
    sequence: Option<u32>,
}

impl SeminarFront {
    /// Treats fields left blank (`speaker = ""`, as `podium new seminar` writes them) as
    /// unset, so pages never show an empty speaker or place.
    fn forget_blanks(&mut self) {
        for field in [
            &mut self.speaker,
            &mut self.affiliation,
            &mut self.end,
            &mut self.duration,
            &mut self.timezone,
            &mut self.location,
            &mut self.online,
            &mut self.online_label,
            &mut self.series,
            &mut self.status,
            &mut self.recurrence,
            &mut self.slides,
            &mut self.recording,
            &mut self.uid,
        ] {
            if field.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *field = None;
            }
        }
    }
}

/// Parses a talk's front matter against its section's settings; every problem is reported.
pub fn parse_seminar(
    table: &toml::Table,
    origin: Origin,
    settings: &SeminarSettings,
) -> Result<Seminar, Vec<Diagnostic>> {
    let mut front: SeminarFront = typed(table, origin).map_err(|e| vec![e])?;
    front.forget_blanks();
    let mut problems = Problems::default();
    let series = match front.series.as_deref() {
        Some(slug) => problems.keep(find_series(slug, settings, origin)),
        None => None,
    };
    let speakers = problems.keep(speakers(&front, origin));
    let status = problems.keep(status(front.status.as_deref(), origin));
    let timezone = problems.keep(talk_zone(&front, series, settings, origin));
    let times = timezone
        .as_ref()
        .and_then(|tz| problems.keep(times(&front, origin, tz, series, settings)));
    let repeats = problems.keep(recurrence(&front, origin));
    if let (Some((start, _)), Some((rule, exdates))) = (&times, &repeats) {
        problems.keep(check_exdates(start, rule.as_ref(), exdates, origin));
    }
    let (Some(speakers), Some(status), Some(timezone), Some((start, end)), Some(repeats)) =
        (speakers, status, timezone, times, repeats)
    else {
        return Err(problems.0);
    };
    if !problems.0.is_empty() {
        return Err(problems.0);
    }
    let (recurrence, exdates) = repeats;
    let place = Place::inherited(&front, series, settings);
    Ok(Seminar {
        speakers,
        start,
        end,
        timezone,
        location: place.location,
        online: place.online,
        online_label: place.online_label,
        series: series.map(|s| s.slug.clone()),
        status,
        recurrence,
        exdates,
        slides: front.slides,
        recording: front.recording,
        uid: front.uid,
        sequence: front.sequence,
    })
}

/// The problems found so far in one file: checks go on after the first, so every
/// problem is reported in one run.
#[derive(Default)]
struct Problems(Vec<Diagnostic>);

impl Problems {
    /// The value, or `None` with the problem recorded.
    fn keep<T>(&mut self, result: Result<T, Diagnostic>) -> Option<T> {
        result.map_err(|e| self.0.push(e)).ok()
    }
}

/// Where a talk happens: its own fields, else its series', else its section's.
struct Place {
    location: Option<String>,
    online: Option<String>,
    online_label: Option<String>,
}

impl Place {
    fn inherited(
        front: &SeminarFront,
        series: Option<&Series>,
        settings: &SeminarSettings,
    ) -> Self {
        let pick = |own: &Option<String>,
                    of_series: Option<&Option<String>>,
                    of_section: &Option<String>| {
            own.clone()
                .or_else(|| of_series.cloned().flatten())
                .or_else(|| of_section.clone())
        };
        Place {
            location: pick(
                &front.location,
                series.map(|s| &s.location),
                &settings.location,
            ),
            online: pick(&front.online, series.map(|s| &s.online), &settings.online),
            online_label: pick(
                &front.online_label,
                series.map(|s| &s.online_label),
                &settings.online_label,
            ),
        }
    }
}

/// The talk's zone: its own, else its series', else its section's (or the site's).
fn talk_zone(
    front: &SeminarFront,
    series: Option<&Series>,
    settings: &SeminarSettings,
    origin: Origin,
) -> Result<TimeZone, Diagnostic> {
    match (&front.timezone, series.and_then(|s| s.timezone.as_ref())) {
        (Some(name), _) => zone(name, origin, "timezone"),
        (None, Some(tz)) => Ok(tz.clone()),
        (None, None) => Ok(settings.timezone.clone()),
    }
}

fn find_series<'s>(
    slug: &str,
    settings: &'s SeminarSettings,
    origin: Origin,
) -> Result<&'s Series, Diagnostic> {
    settings
        .series
        .iter()
        .find(|s| s.slug == slug)
        .ok_or_else(|| {
            let slugs = settings.series.iter().map(|s| s.slug.as_str());
            let hint = match suggest(slug, slugs.clone()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if settings.series.is_empty() => {
                    "declare it in the section's _index.md: [[series]] slug = \"…\" name = \"…\""
                        .to_string()
                }
                None => format!(
                    "the section declares: {}",
                    slugs.collect::<Vec<_>>().join(", ")
                ),
            };
            origin
                .at_key("series", format!("unknown series `{slug}`"))
                .with_hint(hint)
        })
}

fn speakers(front: &SeminarFront, origin: Origin) -> Result<Vec<Speaker>, Diagnostic> {
    match (&front.speaker, front.speakers.is_empty()) {
        (Some(_), false) => Err(origin
            .at_key("speaker", "both `speaker` and `speakers` are set")
            .with_hint("use `speakers = [{ name = \"…\", affiliation = \"…\" }]` alone for several speakers")),
        (Some(name), true) => Ok(vec![Speaker {
            name: name.clone(),
            affiliation: front.affiliation.clone(),
            url: None,
            member: None,
        }]),
        (None, _) if front.affiliation.is_some() => Err(origin
            .at_key("affiliation", "`affiliation` without `speaker`")
            .with_hint("add `speaker = \"…\"`, or put the affiliation in each of `speakers`")),
        (None, _) => Ok(front.speakers.clone()),
    }
}

fn status(text: Option<&str>, origin: Origin) -> Result<SeminarStatus, Diagnostic> {
    let Some(text) = text else {
        return Ok(SeminarStatus::Confirmed);
    };
    let word = text.trim().to_ascii_lowercase();
    let word = if word == "canceled" {
        "cancelled".into()
    } else {
        word
    };
    SeminarStatus::ALL
        .iter()
        .find(|(n, _)| *n == word)
        .map(|(_, s)| *s)
        .ok_or_else(|| {
            origin
                .at_key("status", format!("unknown status `{text}`"))
                .with_hint("use confirmed, tentative, cancelled or postponed")
        })
}

/// The first occurrence's start and end, in `tz`.
fn times(
    front: &SeminarFront,
    origin: Origin,
    tz: &TimeZone,
    series: Option<&Series>,
    settings: &SeminarSettings,
) -> Result<(EventTime, EventTime), Diagnostic> {
    let written = front.start.as_deref().ok_or_else(|| {
        origin
            .at_key("title", "missing `start`")
            .with_hint("add `start = 2020-11-05T16:00` (local time in the talk's zone) or a date for an all-day talk")
    })?;
    let start = parse_when(written).map_err(|e| {
        origin
            .at_value("start", e)
            .with_hint("write `2020-11-05 16:00` (local time), `2020-11-05T16:00Z`, or a date")
    })?;
    let start = match start {
        When::Date(d) => EventTime::AllDay(d),
        other => EventTime::Zoned(zoned(other, tz)),
    };
    let end = match (&front.end, &front.duration, &start) {
        (Some(end), _, _) => end_time(end, &start, tz, origin)?,
        (None, Some(_), EventTime::AllDay(_)) => {
            return Err(origin
                .at_key("duration", "an all-day talk has no `duration`")
                .with_hint("set `end = YYYY-MM-DD` (the last day) for talks over several days"));
        }
        (None, Some(d), EventTime::Zoned(z)) => {
            EventTime::Zoned(add(z, duration(d, origin, "duration")?, origin)?)
        }
        (None, None, EventTime::AllDay(d)) => EventTime::AllDay(d.tomorrow().unwrap_or(*d)),
        (None, None, EventTime::Zoned(z)) => {
            let length = series
                .and_then(|s| s.default_duration)
                .unwrap_or(settings.default_duration);
            EventTime::Zoned(add(z, length, origin)?)
        }
    };
    Ok((start, end))
}

fn zoned(when: When, tz: &TimeZone) -> Zoned {
    match when {
        When::Exact(ts) => ts.to_zoned(tz.clone()),
        other => other.in_zone(tz),
    }
}

fn add(start: &Zoned, length: SignedDuration, origin: Origin) -> Result<Zoned, Diagnostic> {
    start
        .checked_add(length)
        .map_err(|e| origin.at_key("duration", format!("the talk cannot end: {e}")))
}

/// `end` as written: a date-time, a time on the start's day (`17:00`), or for all-day
/// talks the last day (inclusive, as people write it; the feed's DTEND is the day after).
fn end_time(
    written: &str,
    start: &EventTime,
    tz: &TimeZone,
    origin: Origin,
) -> Result<EventTime, Diagnostic> {
    let full = if written.trim().len() <= 8 && written.contains(':') {
        format!("{} {}", start.date(), written.trim())
    } else {
        written.to_string()
    };
    let when = parse_when(&full).map_err(|e| {
        origin
            .at_value("end", e)
            .with_hint("write `2020-11-05 17:00`, or just `17:00` for the same day")
    })?;
    let end = match (when, start) {
        (When::Date(d), EventTime::AllDay(_)) => EventTime::AllDay(d.tomorrow().unwrap_or(d)),
        (When::Date(_), EventTime::Zoned(_)) | (_, EventTime::AllDay(_)) => {
            return Err(origin
                .at_key(
                    "end",
                    "`start` and `end` must both be dates or both be times",
                )
                .with_hint("an all-day talk ends on a date; a timed talk ends at a time"));
        }
        (other, EventTime::Zoned(_)) => EventTime::Zoned(zoned(other, tz)),
    };
    let ends_after = match (&end, start) {
        (EventTime::Zoned(e), EventTime::Zoned(s)) => e.timestamp() > s.timestamp(),
        _ => end.date() > start.date(),
    };
    if !ends_after {
        return Err(origin
            .at_key(
                "end",
                format!(
                    "the talk ends ({}) before it starts ({})",
                    written.trim(),
                    start_text(start)
                ),
            )
            .with_hint("check the date and time of `end`, or use `duration = \"1h\"`"));
    }
    Ok(end)
}

fn start_text(start: &EventTime) -> String {
    match start {
        EventTime::Zoned(z) => z.strftime("%Y-%m-%d %H:%M").to_string(),
        EventTime::AllDay(d) => d.to_string(),
    }
}

type Repeats = (Option<Recurrence>, Vec<Date>);

fn recurrence(front: &SeminarFront, origin: Origin) -> Result<Repeats, Diagnostic> {
    let rule = match &front.recurrence {
        Some(text) => Some(text.parse::<Recurrence>().map_err(|e| {
            origin.at_key("recurrence", format!("invalid recurrence: {e}")).with_hint(
                "e.g. `recurrence = \"FREQ=WEEKLY;INTERVAL=2;UNTIL=2021-06-30\"` (FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, COUNT, UNTIL, BYDAY)",
            )
        })?),
        None => None,
    };
    let mut exdates = Vec::new();
    for text in &front.exdates {
        let date = parse_date(text.trim().get(..10).unwrap_or(text)).map_err(|e| {
            origin
                .at_value("exdates", format!("invalid exdate \"{text}\": {e}"))
                .with_hint("exdates are the local dates of skipped meetings, e.g. [\"2020-12-24\"]")
        })?;
        exdates.push(date);
    }
    Ok((rule, exdates))
}

/// Every exdate must be a date the rule produces: a mistyped one would otherwise silently
/// skip nothing.
fn check_exdates(
    start: &EventTime,
    rule: Option<&Recurrence>,
    exdates: &[Date],
    origin: Origin,
) -> Result<(), Diagnostic> {
    if exdates.is_empty() {
        return Ok(());
    }
    let Some(rule) = rule else {
        return Err(origin
            .at_key("exdates", "`exdates` without `recurrence`")
            .with_hint("exdates skip occurrences of a recurring meeting; add `recurrence`"));
    };
    let last = exdates.iter().max().copied().unwrap_or(start.date());
    let dates: Vec<Date> = rule
        .occurrences(start, &[], last.saturating_add(1.year()))
        .iter()
        .map(EventTime::date)
        .collect();
    match exdates.iter().find(|d| !dates.contains(d)) {
        Some(d) => Err(origin
            .at_key(
                "exdates",
                format!("exdate {d} is not a date the meeting falls on"),
            )
            .with_hint(format!("nearby meetings: {}", nearby(&dates, *d)))),
        None => Ok(()),
    }
}

fn nearby(dates: &[Date], d: Date) -> String {
    let i = dates.partition_point(|x| *x < d);
    dates[i.saturating_sub(1)..(i + 1).min(dates.len())]
        .iter()
        .map(Date::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const SECTION: &str = r#"
timezone = "America/Los_Angeles"
location = "Section room"
[[series]]
slug = "colloquium"
name = "Colloquium"
timezone = "Europe/Zurich"
default_duration = "1h30m"
location = "Series room"
"#;

    fn settings() -> SeminarSettings {
        let table: toml::Table = toml::from_str(SECTION).unwrap();
        let origin = Origin {
            file: Path::new("content/seminars/_index.md"),
            raw: SECTION,
        };
        let (settings, errors) = parse_settings(&table, origin, &Config::default());
        assert!(errors.is_empty(), "{errors:?}");
        settings
    }

    fn parse(front: &str) -> Result<Seminar, Vec<Diagnostic>> {
        let table: toml::Table = toml::from_str(front).unwrap();
        let origin = Origin {
            file: Path::new("content/seminars/talk.md"),
            raw: front,
        };
        parse_seminar(&table, origin, &settings())
    }

    fn zoned(time: &EventTime) -> &Zoned {
        match time {
            EventTime::Zoned(z) => z,
            EventTime::AllDay(d) => panic!("all-day {d}"),
        }
    }

    #[test]
    fn a_talk_inherits_from_its_series_then_its_section() {
        let s = parse("start = \"2020-11-05 16:00\"\nseries = \"colloquium\"").unwrap();
        assert_eq!(s.timezone.iana_name(), Some("Europe/Zurich"));
        assert_eq!(s.location.as_deref(), Some("Series room"));
        let (start, end) = (zoned(&s.start), zoned(&s.end));
        assert_eq!(start.hour(), 16);
        assert_eq!(start.duration_until(end), SignedDuration::from_mins(90));
        let plain = parse("start = \"2020-11-05 16:00\"").unwrap();
        assert_eq!(plain.timezone.iana_name(), Some("America/Los_Angeles"));
        assert_eq!(plain.location.as_deref(), Some("Section room"));
        let (start, end) = (zoned(&plain.start), zoned(&plain.end));
        assert_eq!(start.duration_until(end), SignedDuration::from_hours(1));
    }

    #[test]
    fn an_end_may_be_just_a_time_and_all_day_ends_are_inclusive() {
        let s = parse("start = \"2020-11-05 16:00\"\nend = \"17:15\"").unwrap();
        assert_eq!(zoned(&s.end).time(), jiff::civil::time(17, 15, 0, 0));
        let all_day = parse("start = \"2020-11-05\"\nend = \"2020-11-06\"").unwrap();
        assert!(all_day.all_day());
        assert_eq!(all_day.end, EventTime::AllDay(date(2020, 11, 7)));
        let one_day = parse("start = \"2020-11-05\"").unwrap();
        assert_eq!(one_day.end, EventTime::AllDay(date(2020, 11, 6)));
    }

    #[test]
    fn blank_fields_are_unset() {
        let s = parse(
            "start = \"2020-11-05 16:00\"\nspeaker = \"\"\naffiliation = \"\"\nlocation = \"\"",
        )
        .unwrap();
        assert!(s.speakers.is_empty());
        assert_eq!(s.location.as_deref(), Some("Section room"));
    }

    #[test]
    fn problems_are_all_reported_at_their_lines() {
        let errors = parse(
            "start = \"2020-11-05 16:00\"\nspeaker = \"A\"\nspeakers = [{ name = \"B\" }]\nstatus = \"maybe\"\nseries = \"colloquia\"",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, [6, 3, 5], "{errors:?}");
        assert!(errors[0].hint.as_deref().unwrap().contains("colloquium"));
    }

    #[test]
    fn section_problems_point_at_their_series() {
        let raw = "timezone = \"Europe/Zurich\"\n[[series]]\nname = \"A\"\ntimezone = \"Mars/Base\"\n[[series]]\nslug = \"b\"\nname = \"B\"\n[[series]]\nslug = \"b\"\nname = \"B again\"\n";
        let table: toml::Table = toml::from_str(raw).unwrap();
        let origin = Origin {
            file: Path::new("content/seminars/_index.md"),
            raw,
        };
        let (settings, errors) = parse_settings(&table, origin, &Config::default());
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|d| (d.line, d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                (5, "unknown time zone `Mars/Base`"),
                (7, "series `b` is declared twice")
            ]
        );
        assert_eq!(settings.timezone.iana_name(), Some("Europe/Zurich"));
        assert_eq!(settings.series.len(), 1, "the good series is kept");
    }

    #[test]
    fn occurrences_keep_wall_time_and_length() {
        let s = parse(
            "start = \"2021-03-04 11:00\"\nrecurrence = \"FREQ=WEEKLY;INTERVAL=2;COUNT=3\"\nexdates = [\"2021-03-18\"]",
        )
        .unwrap();
        let times: Vec<(i8, i64)> = s
            .occurrences(date(2030, 1, 1))
            .iter()
            .map(|(start, end)| {
                let (start, end) = (zoned(start), zoned(end));
                (start.hour(), start.duration_until(end).as_mins())
            })
            .collect();
        assert_eq!(times, [(11, 60), (11, 60)], "COUNT includes the exdate");
    }
}
