//! VTIMEZONE components generated from the IANA data bundled with jiff.
//!
//! A client resolves `TZID=America/Los_Angeles` only through the VTIMEZONE in the
//! feed (Outlook ignores its own database for it), so the VTIMEZONE must reproduce
//! every offset change the zone has over the feed's range. Transitions are grouped
//! into yearly runs that a `FREQ=YEARLY;BYMONTH=m;BYDAY=nWD` rule reproduces exactly,
//! because Outlook understands only that form; a transition that fits no such run is
//! written as its own block with an explicit DTSTART.

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::{Offset, TimeZone};
use jiff::{SignedDuration, Timestamp};

use super::recurrence::weekday_code;
use super::text::ContentLines;
use super::time::{format_local, format_offset, format_utc};

/// One change of a zone's offset (or of its abbreviation or DST flag).
#[derive(Clone, Debug)]
struct Transition {
    at: Timestamp,
    observance: Observance,
}

impl Transition {
    /// The local wall time at which the change happens, in the offset before it: the
    /// form RFC 5545 uses for an observance's DTSTART.
    fn onset(&self) -> DateTime {
        self.observance.from.to_datetime(self.at)
    }
}

/// What a STANDARD or DAYLIGHT block describes besides its onsets.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Observance {
    dst: bool,
    from: Offset,
    to: Offset,
    name: String,
}

/// Transitions of one observance falling on the same "n-th weekday of the month at
/// this time" in consecutive years.
#[derive(Debug)]
struct Run {
    transitions: Vec<Transition>,
    month: i8,
    weekday: Weekday,
    time: Time,
    /// Week positions (1..=5, or -1 for the last) every transition so far matches.
    ordinals: Vec<i8>,
}

impl Run {
    fn new(transition: Transition) -> Self {
        let onset = transition.onset();
        Run {
            month: onset.month(),
            weekday: onset.weekday(),
            time: onset.time(),
            ordinals: ordinals(onset.date()),
            transitions: vec![transition],
        }
    }

    fn first(&self) -> &Transition {
        &self.transitions[0]
    }

    fn last(&self) -> &Transition {
        self.transitions.last().expect("a run is never empty")
    }

    /// Adds `next` if the run's yearly rule would produce it, and says whether it did.
    fn try_extend(&mut self, next: &Transition) -> bool {
        let onset = next.onset();
        let fits = next.observance == self.first().observance
            && onset.year() == self.last().onset().year() + 1
            && (onset.month(), onset.weekday(), onset.time())
                == (self.month, self.weekday, self.time);
        let common: Vec<i8> = ordinals(onset.date())
            .into_iter()
            .filter(|n| self.ordinals.contains(n))
            .collect();
        if !fits || common.is_empty() {
            return false;
        }
        self.ordinals = common;
        self.transitions.push(next.clone());
        true
    }

    /// The week position to write; "last" is preferred since zones that use it
    /// (e.g. the EU's last Sunday of March) can fall on a 4th or 5th week.
    fn ordinal(&self) -> i8 {
        if self.ordinals.contains(&-1) {
            -1
        } else {
            *self
                .ordinals
                .iter()
                .min()
                .expect("a run keeps at least one ordinal")
        }
    }

    /// The instant the rule would produce the year after the run's last transition.
    fn next_onset(&self) -> Option<Timestamp> {
        let year = self.last().onset().year().checked_add(1)?;
        let date = Date::new(year, self.month, 1)
            .ok()?
            .nth_weekday_of_month(self.ordinal(), self.weekday)
            .ok()?;
        self.first()
            .observance
            .from
            .to_timestamp(date.to_datetime(self.time))
            .ok()
    }

    /// The RRULE value, with UNTIL only when the zone stops following the rule
    /// before the end of the range.
    fn rrule(&self, range_end: Timestamp) -> String {
        let mut rule = format!(
            "FREQ=YEARLY;BYMONTH={};BYDAY={}{}",
            self.month,
            self.ordinal(),
            weekday_code(self.weekday)
        );
        if self.next_onset().is_none_or(|next| next <= range_end) {
            rule.push_str(&format!(";UNTIL={}", format_utc(self.last().at)));
        }
        rule
    }
}

/// The week positions of `date` within its month: its n-th occurrence of that
/// weekday, and -1 when it is also the last.
fn ordinals(date: Date) -> Vec<i8> {
    let mut positions = vec![(date.day() - 1) / 7 + 1];
    if date.day() + 7 > date.days_in_month() {
        positions.push(-1);
    }
    positions
}

/// Writes the VTIMEZONE for zone `tzid`, exact over `[start, end]`.
pub(crate) fn write_vtimezone(
    out: &mut ContentLines,
    tzid: &str,
    tz: &TimeZone,
    start: Timestamp,
    end: Timestamp,
) {
    out.begin("VTIMEZONE");
    out.property("TZID", &[], tzid);
    for run in group_into_runs(transitions(tz, start, end)) {
        write_observance(out, &run, end);
    }
    out.end("VTIMEZONE");
}

fn write_observance(out: &mut ContentLines, run: &Run, range_end: Timestamp) {
    let first = run.first();
    let component = if first.observance.dst {
        "DAYLIGHT"
    } else {
        "STANDARD"
    };
    out.begin(component);
    out.property("DTSTART", &[], &format_local(first.onset()));
    out.property("TZOFFSETFROM", &[], &format_offset(first.observance.from));
    out.property("TZOFFSETTO", &[], &format_offset(first.observance.to));
    out.text("TZNAME", &first.observance.name);
    if run.transitions.len() > 1 {
        out.property("RRULE", &[], &run.rrule(range_end));
    }
    out.end(component);
}

/// Greedily groups transitions (in time order) into runs; runs come out ordered by
/// their first transition, so the output is deterministic.
fn group_into_runs(transitions: Vec<Transition>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for transition in transitions {
        let extended = runs.iter_mut().rev().any(|run| run.try_extend(&transition));
        if !extended {
            runs.push(Run::new(transition));
        }
    }
    runs
}

/// The transition in force at `start` followed by every transition up to `end`.
///
/// When the zone has no transition before `start` (a fixed zone such as
/// `Etc/GMT+5`), the offset in force at `start` is described as beginning there.
fn transitions(tz: &TimeZone, start: Timestamp, end: Timestamp) -> Vec<Transition> {
    let just_after = start
        .checked_add(SignedDuration::from_secs(1))
        .unwrap_or(start);
    let preceding = tz.preceding(just_after).next().map(|t| t.timestamp());
    let (first, in_force) = match preceding {
        Some(at) => (transition_at(tz, at, false), at),
        None => (transition_at(tz, start, true), start),
    };
    let mut all = vec![first];
    all.extend(
        tz.following(in_force)
            .map(|t| t.timestamp())
            .take_while(|at| *at <= end)
            .map(|at| transition_at(tz, at, false)),
    );
    all
}

/// Describes the change at `at`; `steady` marks a synthetic onset where the offset
/// does not actually change.
fn transition_at(tz: &TimeZone, at: Timestamp, steady: bool) -> Transition {
    let after = tz.to_offset_info(at);
    let from = if steady {
        after.offset()
    } else {
        let before = at.checked_sub(SignedDuration::from_secs(1)).unwrap_or(at);
        tz.to_offset(before)
    };
    Transition {
        at,
        observance: Observance {
            dst: after.dst().is_dst(),
            from,
            to: after.offset(),
            name: after.abbreviation().to_string(),
        },
    }
}
