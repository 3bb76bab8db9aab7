//! The listings of a seminars section: the section's and each series' list of upcoming and
//! recent talks, and their archive of past talks, one page per year.
//!
//! A group with a long history has thousands of talks; one page listing them all is slow to
//! load and, in `serve`, slow to render again after every edit. So a listing shows what is
//! coming and the last year's talks, and each year of the past has a page of its own. Each
//! page depends on the talks it shows, not on every talk.

use std::collections::BTreeSet;
use std::sync::Arc;

use jiff::SignedDuration;
use serde::Serialize;
use tera::Context;

use super::Occurrence;
use super::Series;
use super::pages::Listing;
use super::views::{TalkView, YearView, by_year, series_path};
use crate::render::{Deps, Job, context_with_meta};

/// Up to this many past talks, a listing shows them all and has no archive.
const ARCHIVE_ABOVE: usize = 100;

/// Above [`ARCHIVE_ABOVE`], how long past talks stay on a listing (and at least the whole
/// year of the latest one, so a quiet group's listing is never empty).
const LISTED_PAST: SignedDuration = SignedDuration::from_hours(365 * 24);

/// One page of listings: a section's or a series' listing, or one year of its archive.
struct ListPage<'v> {
    series: Option<&'v Series>,
    /// The archive year shown, or `None` for the listing itself.
    year: Option<i16>,
    upcoming: Vec<&'v Occurrence<'v>>,
    /// Past talks shown, newest first.
    past: Vec<&'v Occurrence<'v>>,
    /// The years the archive links to, newest first (none when everything past is listed).
    archive: Arc<Vec<i16>>,
    /// Which series have a page for which year, for the filter's links on a year page.
    series_years: Arc<BTreeSet<(&'v str, i16)>>,
}

/// A year of the archive, for its navigation.
#[derive(Serialize)]
struct ArchiveLink {
    year: i16,
    url: String,
    current: bool,
}

/// A link of the series filter. `series` is the series' own listing, which talks carry in
/// `data-series` so the script can filter in place on any page, archive pages included.
#[derive(Serialize)]
struct FilterLink {
    name: String,
    url: String,
    series: String,
}

/// A series as its listing shows it.
#[derive(Serialize)]
struct SeriesView<'a> {
    slug: &'a str,
    name: &'a str,
    description: Option<&'a str>,
    url: String,
}

impl<'v> Listing<'v, 'v> {
    /// The section's listing and archive, then each series' listing and archive.
    pub(super) fn list_jobs(self) -> Vec<Job<'v>> {
        let all = std::iter::once(None).chain(self.series().iter().map(Some));
        let pages: Vec<ListPage> = all.flat_map(|series| self.pages_of(series)).collect();
        let series_years: BTreeSet<(&str, i16)> = pages
            .iter()
            .filter_map(|p| Some((p.series?.slug.as_str(), p.year?)))
            .collect();
        let series_years = Arc::new(series_years);
        pages
            .into_iter()
            .map(|page| {
                self.list_job(ListPage {
                    series_years: series_years.clone(),
                    ..page
                })
            })
            .collect()
    }

    /// The listing of `series` (or of the whole section) and its archive years.
    fn pages_of(self, series: Option<&'v Series>) -> Vec<ListPage<'v>> {
        let upcoming = self.agenda.upcoming(|o| self.in_section(o, series));
        let past = self.agenda.past(|o| self.in_section(o, series));
        // Newest first; a talk's year is read in its own zone, which need not follow the
        // order of instants around New Year.
        let mut years: Vec<i16> = past.iter().map(|o| year_of(o)).collect();
        years.sort_unstable_by(|a, b| b.cmp(a));
        years.dedup();
        let recent = if past.len() > ARCHIVE_ABOVE {
            let cutoff = self.agenda.now - LISTED_PAST;
            let latest_year = past.first().map_or(0, |o| year_of(o));
            past.partition_point(|o| o.starts_at >= cutoff || year_of(o) == latest_year)
        } else {
            past.len()
        };
        let archive = Arc::new(if recent < past.len() {
            years
        } else {
            Vec::new()
        });
        let page = |year, upcoming, past| ListPage {
            series,
            year,
            upcoming,
            past,
            archive: archive.clone(),
            series_years: Arc::default(),
        };
        let mut pages = vec![page(None, upcoming, past[..recent].to_vec())];
        for &year in archive.iter() {
            let of_year = past.iter().filter(|o| year_of(o) == year).copied();
            pages.push(page(Some(year), Vec::new(), of_year.collect()));
        }
        pages
    }

    fn list_job(self, page: ListPage<'v>) -> Job<'v> {
        let path = self.path_of(page.series, page.year);
        let template = self.section.front.template.as_deref();
        let shown = page.upcoming.iter().chain(&page.past).map(|o| o.page);
        let deps = Deps::default().pages(self.views.site, shown).shape((
            page.archive.as_slice(),
            self.filter_links(&page)
                .iter()
                .map(|l| &l.url)
                .collect::<Vec<_>>(),
            self.calendar_url(&page),
            self.google_links(page.series),
        ));
        let page_path = path.clone();
        let mut job = Job::new(
            format!("{path}index.html"),
            template.unwrap_or("seminars.html"),
            &self.section.source,
            deps,
            move || self.context(&page, &page_path),
        );
        // A template the author named must exist; the default may fall back to a generic one.
        job.explicit = template.is_some();
        job
    }

    /// The site path of a listing page: the section's or a series', or one of their years.
    fn path_of(&self, series: Option<&Series>, year: Option<i16>) -> String {
        let base = series.map_or_else(
            || self.section.path.clone(),
            |s| series_path(&self.section.path, &s.slug),
        );
        match year {
            Some(year) => format!("{base}archive/{year}/"),
            None => base,
        }
    }

    fn context(self, page: &ListPage, path: &str) -> Context {
        let series = page.series;
        let mut title = series.map_or_else(|| self.section.title.clone(), |s| s.name.clone());
        if let Some(year) = page.year {
            title = format!("{title}: {year}");
        }
        let description = series.and_then(|s| s.description.as_deref()).or(self
            .section
            .front
            .description
            .as_deref());
        let upcoming: Vec<TalkView> = page.upcoming.iter().map(|o| self.talks.talk(o)).collect();
        let past: Vec<YearView> = by_year(page.past.iter().map(|o| self.talks.talk(o)).collect());
        let mut context =
            context_with_meta(self.views.meta(&title, description, path, "website", None));
        context.insert("section", &self.views.section(self.section));
        context.insert("upcoming", &upcoming);
        context.insert("past_years", &past);
        context.insert("archive_year", &page.year);
        context.insert("archive", &self.archive_links(page));
        context.insert(
            "all_url",
            &self.views.urls.url(&self.path_of(None, page.year)),
        );
        context.insert(
            "listing_url",
            &self.views.urls.url(&self.path_of(series, None)),
        );
        context.insert("series_list", &self.filter_links(page));
        context.insert("current_series", &series.map(|s| self.series_view(s)));
        context.insert("feeds", &self.feeds(series));
        context.insert("calendar_url", &self.calendar_url(page));
        context
    }

    /// The month grid a listing links to: that of its first talk.
    fn calendar_url(&self, page: &ListPage) -> Option<String> {
        let first = page.upcoming.first().or(page.past.first())?;
        Some(self.month_url(first.start.date()))
    }

    fn archive_links(&self, page: &ListPage) -> Vec<ArchiveLink> {
        page.archive
            .iter()
            .map(|&year| ArchiveLink {
                year,
                url: self.views.urls.url(&self.path_of(page.series, Some(year))),
                current: page.year == Some(year),
            })
            .collect()
    }

    /// The series filter: on a year page, each series' page of that year where it has one.
    fn filter_links(&self, page: &ListPage) -> Vec<FilterLink> {
        self.series()
            .iter()
            .map(|s| {
                let year = page
                    .year
                    .filter(|&y| page.series_years.contains(&(s.slug.as_str(), y)));
                FilterLink {
                    name: s.name.clone(),
                    url: self.views.urls.url(&self.path_of(Some(s), year)),
                    series: self.views.urls.url(&self.path_of(Some(s), None)),
                }
            })
            .collect()
    }

    fn series_view<'s>(&self, s: &'s Series) -> SeriesView<'s> {
        SeriesView {
            slug: &s.slug,
            name: &s.name,
            description: s.description.as_deref(),
            url: self.views.urls.url(&self.path_of(Some(s), None)),
        }
    }
}

/// The year a talk took place, in its own zone.
fn year_of(o: &Occurrence) -> i16 {
    o.start.date().year()
}
