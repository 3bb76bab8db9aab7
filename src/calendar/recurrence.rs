//! The RRULE subset Podium supports for regular group meetings, its parsing, its
//! RFC 5545 rendering and its expansion into occurrences.

use std::fmt;
use std::str::FromStr;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::EventTime;
use super::time::{format_date, format_utc};

/// How often a recurring event repeats (RFC 5545 `FREQ`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freq {
    Daily,
    Weekly,
    Monthly,
}

/// A recurrence rule: the subset of RRULE that describes regular group meetings
/// ("every other Thursday until June"), small enough that every calendar client and
/// Podium's own page listings expand it identically.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recurrence {
    pub freq: Freq,
    /// Every `interval` days, weeks or months; at least 1.
    pub interval: u32,
    /// Total number of occurrences, counting the first one and any later skipped by
    /// an exdate (as RFC 5545 counts them).
    pub count: Option<u32>,
    /// The last local date an occurrence may fall on, inclusive.
    pub until: Option<Date>,
    /// Weekdays the event falls on. Empty means the start's weekday (weekly) or the
    /// start's day of the month (monthly); for daily rules it restricts the days.
    pub byday: Vec<Weekday>,
}

/// Why a recurrence string was rejected, worded for the person who wrote it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecurrenceError {
    message: String,
}

impl RecurrenceError {
    fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }
}

impl fmt::Display for RecurrenceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for RecurrenceError {}

const SUPPORTED_PARTS: &str = "Podium supports FREQ, INTERVAL, COUNT, UNTIL, BYDAY";

const WEEKDAY_CODES: [(&str, Weekday); 7] = [
    ("MO", Weekday::Monday),
    ("TU", Weekday::Tuesday),
    ("WE", Weekday::Wednesday),
    ("TH", Weekday::Thursday),
    ("FR", Weekday::Friday),
    ("SA", Weekday::Saturday),
    ("SU", Weekday::Sunday),
];

/// The RFC 5545 two-letter code of a weekday (`MO`, `TU`, ...).
pub(crate) fn weekday_code(weekday: Weekday) -> &'static str {
    WEEKDAY_CODES
        .iter()
        .find(|(_, w)| *w == weekday)
        .map(|(code, _)| *code)
        .expect("every weekday has a code")
}

impl FromStr for Recurrence {
    type Err = RecurrenceError;

    /// Parses `FREQ=WEEKLY;INTERVAL=2;UNTIL=2021-06-30` (an `RRULE:` prefix and
    /// RFC 5545 `UNTIL=20210630` dates are accepted too).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let body = s.trim();
        let body = body.strip_prefix("RRULE:").unwrap_or(body);
        let mut parts = Parts::default();
        for part in body.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            parts.add(part)?;
        }
        parts.finish()
    }
}

/// The parts of an RRULE seen so far, each at most once.
#[derive(Default)]
struct Parts {
    freq: Option<Freq>,
    interval: Option<u32>,
    count: Option<u32>,
    until: Option<Date>,
    byday: Option<Vec<Weekday>>,
}

impl Parts {
    fn add(&mut self, part: &str) -> Result<(), RecurrenceError> {
        let (key, value) = part.split_once('=').ok_or_else(|| {
            RecurrenceError::new(format!(
                "RRULE part `{part}` should look like KEY=VALUE, e.g. FREQ=WEEKLY"
            ))
        })?;
        let key = key.trim().to_ascii_uppercase();
        let value = value.trim();
        match key.as_str() {
            "FREQ" => set_once(&mut self.freq, &key, parse_freq(value)?),
            "INTERVAL" => set_once(&mut self.interval, &key, parse_positive(&key, value)?),
            "COUNT" => set_once(&mut self.count, &key, parse_positive(&key, value)?),
            "UNTIL" => set_once(&mut self.until, &key, parse_until(value)?),
            "BYDAY" => set_once(&mut self.byday, &key, parse_byday(value)?),
            _ => Err(RecurrenceError::new(format!(
                "unsupported RRULE part `{key}`: {SUPPORTED_PARTS}"
            ))),
        }
    }

    fn finish(self) -> Result<Recurrence, RecurrenceError> {
        let freq = self.freq.ok_or_else(|| {
            RecurrenceError::new(
                "RRULE needs FREQ (DAILY, WEEKLY or MONTHLY), e.g. FREQ=WEEKLY;INTERVAL=2",
            )
        })?;
        if self.count.is_some() && self.until.is_some() {
            return Err(RecurrenceError::new(
                "RRULE may have COUNT or UNTIL, not both: say how many meetings, or the last date",
            ));
        }
        Ok(Recurrence {
            freq,
            interval: self.interval.unwrap_or(1),
            count: self.count,
            until: self.until,
            byday: self.byday.unwrap_or_default(),
        })
    }
}

fn set_once<T>(slot: &mut Option<T>, key: &str, value: T) -> Result<(), RecurrenceError> {
    if slot.is_some() {
        return Err(RecurrenceError::new(format!(
            "RRULE part `{key}` appears twice; give it once"
        )));
    }
    *slot = Some(value);
    Ok(())
}

fn parse_freq(value: &str) -> Result<Freq, RecurrenceError> {
    match value.to_ascii_uppercase().as_str() {
        "DAILY" => Ok(Freq::Daily),
        "WEEKLY" => Ok(Freq::Weekly),
        "MONTHLY" => Ok(Freq::Monthly),
        other => Err(RecurrenceError::new(format!(
            "FREQ={other} is not supported: Podium supports FREQ=DAILY, WEEKLY or MONTHLY"
        ))),
    }
}

fn parse_positive(key: &str, value: &str) -> Result<u32, RecurrenceError> {
    match value.parse::<u32>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(RecurrenceError::new(format!(
            "{key}={value} should be a whole number of at least 1"
        ))),
    }
}

fn parse_until(value: &str) -> Result<Date, RecurrenceError> {
    let iso = match value.as_bytes() {
        [_, _, _, _, _, _, _, _] if value.bytes().all(|b| b.is_ascii_digit()) => {
            format!("{}-{}-{}", &value[..4], &value[4..6], &value[6..])
        }
        _ => value.to_string(),
    };
    crate::time::parse_date(&iso).map_err(|why| {
        RecurrenceError::new(format!(
            "UNTIL={value} should be a date such as 2021-06-30, the last day a meeting may fall on ({why})"
        ))
    })
}

fn parse_byday(value: &str) -> Result<Vec<Weekday>, RecurrenceError> {
    let mut days = Vec::new();
    for code in value.split(',').map(str::trim) {
        let upper = code.to_ascii_uppercase();
        let day = WEEKDAY_CODES
            .iter()
            .find(|(c, _)| *c == upper)
            .map(|(_, w)| *w)
            .ok_or_else(|| byday_error(code))?;
        if !days.contains(&day) {
            days.push(day);
        }
    }
    Ok(days)
}

fn byday_error(code: &str) -> RecurrenceError {
    let hint = if code
        .trim_start_matches(['+', '-'])
        .starts_with(|c: char| c.is_ascii_digit())
    {
        "positions such as 1MO or -1FR are not supported; use plain days"
    } else {
        "use two-letter days"
    };
    RecurrenceError::new(format!(
        "BYDAY value `{code}` is not understood: {hint} like MO,TH"
    ))
}

impl Recurrence {
    /// The RFC 5545 RRULE value for an event starting at `start`.
    ///
    /// UNTIL must match DTSTART's value type: a DATE for all-day events, otherwise a
    /// UTC date-time, here the end of the `until` day in the start's zone, so a
    /// meeting on that day is still included wherever the reader is.
    pub fn to_rrule_string(&self, start: &EventTime) -> String {
        let freq = match self.freq {
            Freq::Daily => "DAILY",
            Freq::Weekly => "WEEKLY",
            Freq::Monthly => "MONTHLY",
        };
        let mut parts = vec![format!("FREQ={freq}")];
        if self.interval > 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        if let Some(count) = self.count {
            parts.push(format!("COUNT={count}"));
        }
        if let Some(until) = self.until {
            parts.push(format!("UNTIL={}", until_value(until, start)));
        }
        if !self.byday.is_empty() {
            let codes: Vec<&str> = self.byday.iter().map(|&d| weekday_code(d)).collect();
            parts.push(format!("BYDAY={}", codes.join(",")));
        }
        parts.join(";")
    }

    /// The occurrences of an event starting at `start`, in order, up to and including
    /// the local date `horizon`, without those whose local date is in `exdates`.
    ///
    /// Expansion happens in local wall time: a biweekly 11:00 meeting stays at 11:00
    /// when daylight saving time begins or ends (a local time skipped by a DST gap
    /// moves forward, as RFC 5545 prescribes). `start` is always the first
    /// occurrence, as DTSTART always is in RFC 5545.
    pub fn occurrences(
        &self,
        start: &EventTime,
        exdates: &[Date],
        horizon: Date,
    ) -> Vec<EventTime> {
        self.dates(start.date(), horizon)
            .into_iter()
            .filter(|date| !exdates.contains(date))
            .filter_map(|date| start.on_date(date))
            .collect()
    }

    /// The local date of the last occurrence, or `None` when the rule never ends.
    pub(crate) fn last_date(&self, start: Date) -> Option<Date> {
        if self.count.is_none() && self.until.is_none() {
            return None;
        }
        let far = start.saturating_add(200.years());
        self.dates(start, far).last().copied()
    }

    /// Every occurrence date up to `horizon`, exdates included (COUNT counts them).
    fn dates(&self, start: Date, horizon: Date) -> Vec<Date> {
        let limit = self.until.map_or(horizon, |until| until.min(horizon));
        let count = self.count.map_or(usize::MAX, |n| n as usize);
        let later = (0..)
            .map_while(|k| self.period_start(start, k))
            .take_while(|period| *period <= limit)
            .flat_map(|period| self.dates_in_period(start, period))
            .filter(|date| *date > start);
        std::iter::once(start)
            .chain(later)
            .take_while(|date| *date <= limit)
            .take(count)
            .collect()
    }

    /// The first day of the `k`-th period (day, week from Monday, or month).
    fn period_start(&self, start: Date, k: i64) -> Option<Date> {
        // An interval of 0 (possible only by building the struct directly) would
        // never advance; treat it as 1.
        let step = k.checked_mul(i64::from(self.interval.max(1)))?;
        match self.freq {
            Freq::Daily => start.checked_add(step.days()).ok(),
            Freq::Weekly => {
                let monday =
                    start.checked_sub(i64::from(start.weekday().to_monday_zero_offset()).days());
                monday.ok()?.checked_add(step.checked_mul(7)?.days()).ok()
            }
            Freq::Monthly => start.first_of_month().checked_add(step.months()).ok(),
        }
    }

    /// The dates the rule selects within the period beginning at `period`, in order.
    fn dates_in_period(&self, start: Date, period: Date) -> Vec<Date> {
        match self.freq {
            Freq::Daily if self.byday.is_empty() || self.byday.contains(&period.weekday()) => {
                vec![period]
            }
            Freq::Daily => Vec::new(),
            Freq::Weekly => {
                let days = if self.byday.is_empty() {
                    vec![start.weekday()]
                } else {
                    self.byday.clone()
                };
                let mut dates: Vec<Date> = days
                    .iter()
                    .filter_map(|d| {
                        period
                            .checked_add(i64::from(d.to_monday_zero_offset()).days())
                            .ok()
                    })
                    .collect();
                dates.sort();
                dates
            }
            Freq::Monthly if self.byday.is_empty() => {
                Date::new(period.year(), period.month(), start.day())
                    .into_iter()
                    .collect()
            }
            Freq::Monthly => (0..period.days_in_month())
                .filter_map(|offset| period.checked_add(i64::from(offset).days()).ok())
                .filter(|d| self.byday.contains(&d.weekday()))
                .collect(),
        }
    }
}

/// UNTIL for an event starting at `start` (see [`Recurrence::to_rrule_string`]).
fn until_value(until: Date, start: &EventTime) -> String {
    match start {
        EventTime::AllDay(_) => format_date(until),
        EventTime::Zoned(zoned) => {
            let next_midnight = until
                .tomorrow()
                .ok()
                .and_then(|d| d.to_zoned(zoned.time_zone().clone()).ok());
            let end_of_day =
                next_midnight.map(|z| z.timestamp() - jiff::SignedDuration::from_secs(1));
            end_of_day.map_or_else(|| format_date(until), format_utc)
        }
    }
}
