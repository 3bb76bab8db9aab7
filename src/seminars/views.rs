//! What seminar templates see: talks, times, month grids and feed links, ready to print.

use serde::Serialize;

use super::feeds::FeedSizes;
use super::format;
use super::{Occurrence, Seminar};
use crate::calendar::EventTime;
use crate::content::{Page, Site};
use crate::render::views::{Link, Urls};

/// When an occurrence happens, in the talk's own zone.
#[derive(Serialize)]
pub struct WhenView {
    /// RFC 3339 with the talk's offset, or a date for all-day talks.
    pub start: String,
    pub end: String,
    /// UTC instants, for the script that converts to the reader's zone.
    pub start_utc: String,
    pub end_utc: String,
    pub all_day: bool,
    /// `Thu 5 Nov 2020, 4:00 – 5:00 pm PST`.
    pub text: String,
    /// `Thu 5 Nov 2020`.
    pub date: String,
    /// `4:00 – 5:00 pm PST`, absent for all-day talks.
    pub hours: Option<String>,
    /// `4pm`, or `All day`.
    pub short: String,
    /// IANA name of the talk's zone.
    pub zone: String,
    pub year: i16,
    /// `YYYY-MM`, the month grid the occurrence appears in.
    pub month: String,
}

impl WhenView {
    /// The occurrence's times.
    pub fn new(o: &Occurrence) -> Self {
        let short = match &o.start {
            EventTime::Zoned(z) => format::short_clock(z),
            EventTime::AllDay(_) => "All day".to_string(),
        };
        let date = o.start.date();
        let day = format::day(date);
        let hours = format::hours(&o.start, &o.end);
        WhenView {
            start: format::iso(&o.start),
            end: format::iso(&o.end),
            start_utc: o.starts_at.to_string(),
            end_utc: o.ends_at.to_string(),
            all_day: o.seminar.all_day(),
            text: format::range_with(&o.start, &o.end, hours.as_deref(), &day),
            date: day,
            hours,
            short,
            zone: o.seminar.timezone.iana_name().unwrap_or("UTC").to_string(),
            year: date.year(),
            month: date.strftime("%Y-%m").to_string(),
        }
    }
}

/// A speaker, linked to their member profile or own page when there is one.
#[derive(Serialize)]
pub struct SpeakerView {
    pub name: String,
    pub affiliation: Option<String>,
    pub url: Option<String>,
    /// Whether `url` is the speaker's profile on this hub.
    pub member: bool,
}

/// One occurrence of a talk, for lists, grids and the talk's own page.
#[derive(Serialize)]
pub struct TalkView {
    pub title: String,
    pub url: String,
    pub speakers: Vec<SpeakerView>,
    pub series: Option<Link>,
    /// `confirmed`, `tentative`, `cancelled` or `postponed`.
    pub status: &'static str,
    /// Shown beside the title when the talk is not simply confirmed.
    pub status_label: Option<&'static str>,
    pub when: WhenView,
    pub location: Option<String>,
    pub online: Option<String>,
    pub online_label: Option<String>,
    pub recurring: bool,
}

/// Builds seminar views for one site.
#[derive(Clone, Copy)]
pub struct TalkViews<'a> {
    pub site: &'a Site,
    pub urls: Urls<'a>,
}

impl<'a> TalkViews<'a> {
    /// An occurrence as a list entry.
    pub fn talk(&self, o: &Occurrence) -> TalkView {
        let s = o.seminar;
        TalkView {
            title: o.page.title.clone(),
            url: self.urls.url(&o.page.path),
            speakers: s.speakers.iter().map(|sp| self.speaker(sp)).collect(),
            series: self.series_link(o.page, s),
            status: s.status.as_str(),
            status_label: status_label(s),
            when: WhenView::new(o),
            location: s.location.clone(),
            online: s.online.clone(),
            online_label: s.online_label.clone(),
            recurring: s.recurrence.is_some(),
        }
    }

    fn speaker(&self, speaker: &super::Speaker) -> SpeakerView {
        let profile = speaker.member.as_deref().and_then(|s| self.site.member(s));
        SpeakerView {
            name: speaker.name.clone(),
            affiliation: speaker.affiliation.clone(),
            member: profile.is_some(),
            url: profile
                .map(|p| self.urls.url(&p.path))
                .or_else(|| speaker.url.clone()),
        }
    }

    /// The series a talk belongs to, linked to its listing.
    pub fn series_link(&self, page: &Page, seminar: &Seminar) -> Option<Link> {
        let slug = seminar.series.as_deref()?;
        let section = &self.site.sections[page.section];
        let series = section
            .seminars
            .as_ref()?
            .series
            .iter()
            .find(|s| s.slug == slug)?;
        Some(Link {
            name: series.name.clone(),
            url: self.urls.url(&series_path(&section.path, slug)),
        })
    }

    /// Speakers as one line of plain text: `Jesse Thaler (MIT), Ann Other`.
    pub fn speaker_line(seminar: &Seminar) -> String {
        seminar
            .speakers
            .iter()
            .map(|s| match &s.affiliation {
                Some(a) => format!("{} ({a})", s.name),
                None => s.name.clone(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn status_label(seminar: &Seminar) -> Option<&'static str> {
    match seminar.status {
        super::SeminarStatus::Confirmed => None,
        super::SeminarStatus::Tentative => Some("Tentative"),
        super::SeminarStatus::Cancelled => Some("Cancelled"),
        super::SeminarStatus::Postponed => Some("Postponed"),
    }
}

/// Site path of a series listing.
pub fn series_path(section_path: &str, slug: &str) -> String {
    format!("{section_path}series/{slug}/")
}

/// Site path of a month grid (`YYYY-MM`).
pub fn month_path(section_path: &str, month: &str) -> String {
    format!("{section_path}calendar/{month}/")
}

/// A feed offered three ways (SPEC §5.1).
#[derive(Serialize)]
pub struct FeedView {
    pub name: String,
    /// Root-relative, for downloading.
    pub url: String,
    /// Absolute https URL, to paste into a calendar app.
    pub https: String,
    pub webcal: Option<String>,
    pub google: Option<String>,
}

impl FeedView {
    /// The links for the feed at site path `path`.
    pub fn new(urls: &Urls, name: impl Into<String>, path: &str) -> Self {
        let https = urls.permalink(path);
        FeedView {
            name: name.into(),
            url: urls.url(path),
            webcal: format::webcal(&https),
            google: format::google_subscribe(&https),
            https,
        }
    }

    /// The links for the feed at site path `path`, its Google Calendar link leading to a
    /// file Google takes whole (or missing when there is none).
    pub fn sized(urls: &Urls, name: impl Into<String>, path: &str, sizes: &FeedSizes) -> Self {
        let mut view = FeedView::new(urls, name, path);
        view.google = sizes
            .google_path(path)
            .and_then(|p| format::google_subscribe(&urls.permalink(&p)));
        view
    }
}

/// Past talks of one year.
#[derive(Serialize)]
pub struct YearView {
    pub year: i16,
    pub talks: Vec<TalkView>,
}

/// Groups talks, already newest first, by the year they took place.
pub fn by_year(talks: Vec<TalkView>) -> Vec<YearView> {
    let mut years: Vec<YearView> = Vec::new();
    for talk in talks {
        match years.last_mut() {
            Some(y) if y.year == talk.when.year => y.talks.push(talk),
            _ => years.push(YearView {
                year: talk.when.year,
                talks: vec![talk],
            }),
        }
    }
    years
}
