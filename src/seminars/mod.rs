//! Seminars: talks, series and recurring group meetings of `kind = "seminars"` sections.
//!
//! This module owns:
//! - the seminar model ([`Seminar`], [`SeminarSettings`], [`Series`]) parsed and checked at
//!   load time, with errors that name the file, the line and a fix;
//! - the [`Agenda`]: every occurrence of every talk (recurring meetings expanded), ordered,
//!   and split into upcoming and past relative to the build's "now";
//! - the seminar pages (listing, per-series listings, one page per talk, month grids) and
//!   the home page's upcoming talks, as render jobs with typed views;
//! - the calendar feeds (`seminars.ics`, per series, `recent.ics`, per talk) and the
//!   seminar events of the site-wide `/calendar.ics`, written with [`crate::calendar`].
//!
//! Times are always shown in the talk's own zone; the optional `seminars.js` converts them
//! to the reader's zone in the browser.

mod feeds;
mod format;
mod listing;
mod model;
mod pages;
mod views;

use jiff::civil::Date;
use jiff::{Timestamp, ToSpan, Zoned};
use rayon::prelude::*;

use crate::calendar::EventTime;
use crate::content::{Page, Site};
use crate::diagnostics::Diagnostic;
use crate::front_matter;
pub use feeds::{
    EventCache, FeedSizes, TalkEvents, feed, recent_cutoff, recent_path, render_feeds,
};
pub use model::{
    Origin, Seminar, SeminarSettings, SeminarStatus, Series, Speaker, parse_seminar, parse_settings,
};
pub use pages::SITE_CALENDAR;
pub(crate) use pages::{home_context, jobs};

/// How far ahead a recurrence that never ends is expanded for pages.
const OPEN_HORIZON_YEARS: i16 = 1;

/// How far ahead of "now" a talk may start before the build warns: a typo year (2202 for
/// 2022) is accepted as a date but makes a month page for every month until then.
pub const FAR_YEARS: i16 = 5;

/// Warnings for talks that start more than [`FAR_YEARS`] after `now`, at their `start`.
pub fn far_talks(site: &Site, now: &Zoned) -> Vec<Diagnostic> {
    let Ok(far) = now.checked_add(i64::from(FAR_YEARS).years()) else {
        return Vec::new();
    };
    let talks = site
        .pages
        .iter()
        .filter_map(|p| Some((p, p.seminar.as_ref()?)));
    talks
        .filter(|(_, s)| s.instant(&s.start) > far.timestamp())
        .map(|(page, seminar)| {
            // Read again for the line: only the rare far talk needs it.
            let text = std::fs::read_to_string(site.root.join(&page.source)).unwrap_or_default();
            let raw = front_matter::split(&page.source, &text).map_or("", |s| s.raw);
            Diagnostic::at(
                &page.source,
                front_matter::locate_key(raw, None, "start").shifted(1),
                format!(
                    "the talk starts on {}, more than {FAR_YEARS} years from now",
                    seminar.start.date()
                ),
            )
            .with_hint("check the year; every month until then gets a calendar page")
        })
        .collect()
}

/// One occurrence of a talk: a talk itself, or one meeting of a recurring series.
#[derive(Debug, Clone)]
pub struct Occurrence<'a> {
    pub page: &'a Page,
    pub seminar: &'a Seminar,
    pub start: EventTime,
    pub end: EventTime,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
}

impl<'a> Occurrence<'a> {
    /// One occurrence of `seminar` on `page`.
    pub fn new(page: &'a Page, seminar: &'a Seminar, start: EventTime, end: EventTime) -> Self {
        Occurrence {
            page,
            seminar,
            starts_at: seminar.instant(&start),
            ends_at: seminar.instant(&end),
            start,
            end,
        }
    }

    /// The talk's first date as written, for a meeting whose every date is skipped.
    pub fn first(page: &'a Page, seminar: &'a Seminar) -> Self {
        Self::new(page, seminar, seminar.start.clone(), seminar.end.clone())
    }

    /// A talk is upcoming until it ends (SPEC §5.2).
    pub fn is_upcoming(&self, now: Timestamp) -> bool {
        self.ends_at > now
    }
}

/// Every occurrence of every talk of the site, ordered by start.
pub struct Agenda<'a> {
    pub occurrences: Vec<Occurrence<'a>>,
    pub now: Timestamp,
}

impl<'a> Agenda<'a> {
    /// The agenda of `site` as of `now`.
    pub fn new(site: &'a Site, now: &Zoned) -> Self {
        let horizon = horizon(now);
        // Rebuilt after every edit in `serve`, hence in parallel.
        let mut occurrences: Vec<Occurrence<'a>> = site
            .pages
            .par_iter()
            .filter_map(|page| page.seminar.as_ref().map(|s| (page, s)))
            .flat_map_iter(|(page, seminar)| {
                // A meeting that starts beyond the horizon still shows its first date.
                seminar
                    .occurrences(horizon.max(seminar.start.date()))
                    .into_iter()
                    .map(move |(start, end)| Occurrence::new(page, seminar, start, end))
            })
            .collect();
        occurrences.sort_by(|a, b| {
            a.starts_at
                .cmp(&b.starts_at)
                .then_with(|| a.page.content_path.cmp(&b.page.content_path))
        });
        Agenda {
            occurrences,
            now: now.timestamp(),
        }
    }

    /// Occurrences that have not ended, soonest first, among those `keep` accepts.
    pub fn upcoming(&self, keep: impl Fn(&Occurrence) -> bool) -> Vec<&Occurrence<'a>> {
        self.occurrences
            .iter()
            .filter(|o| o.is_upcoming(self.now) && keep(o))
            .collect()
    }

    /// Occurrences that have ended, newest first, among those `keep` accepts.
    pub fn past(&self, keep: impl Fn(&Occurrence) -> bool) -> Vec<&Occurrence<'a>> {
        self.occurrences
            .iter()
            .rev()
            .filter(|o| !o.is_upcoming(self.now) && keep(o))
            .collect()
    }
}

/// The last local date recurring meetings are expanded to on pages.
fn horizon(now: &Zoned) -> Date {
    now.date()
        .checked_add(i64::from(OPEN_HORIZON_YEARS).years())
        .unwrap_or(now.date())
}

/// The start of a talk as a zoned time (midnight in its zone for an all-day talk), which
/// becomes the page's `date` when it has none, so generic lists and the sitemap date it.
pub fn start_zoned(seminar: &Seminar) -> Zoned {
    match &seminar.start {
        EventTime::Zoned(z) => z.clone(),
        EventTime::AllDay(_) => seminar
            .instant(&seminar.start)
            .to_zoned(seminar.timezone.clone()),
    }
}
