//! Seminar pages as render jobs: the listing and its per-series variants, one page per
//! talk, month grids, and the upcoming talks the home page shows.

use std::collections::BTreeMap;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use serde::Serialize;
use tera::Context;

use super::feeds::FeedSizes;
use super::format;
use super::views::{FeedView, TalkView, TalkViews, WhenView, month_path};
use super::{Agenda, Occurrence, Seminar, SeminarStatus, Series};
use crate::calendar::EventTime;
use crate::content::{Page, Section, SectionKind};
use crate::render::views::{Link, Views};
use crate::render::{Deps, Job, Scope, context_with_meta, page_job, section_group};

/// The site-wide feed of every seminar and event session.
pub const SITE_CALENDAR: &str = "calendar.ics";

/// How many upcoming talks the home page shows.
const HOME_UPCOMING: usize = 3;

/// How many upcoming dates a recurring meeting's page lists.
const PAGE_DATES: usize = 8;

/// Every seminar page of the site: listings, series listings, month grids and talks.
/// Only those `scope` reaches. Google Calendar links follow the `sizes` of the feeds.
pub(crate) fn jobs<'v>(
    views: &'v Views<'v>,
    agenda: &'v Agenda<'v>,
    sizes: &'v FeedSizes,
    scope: Scope,
) -> Vec<Job<'v>> {
    let talks = TalkViews {
        site: views.site,
        urls: views.urls,
    };
    let mut jobs = Vec::new();
    for (index, section) in views.site.sections.iter().enumerate() {
        let group = section_group(index);
        if section.front.kind != SectionKind::Seminars || !scope.reaches(group) {
            continue;
        }
        let listing = Listing {
            views,
            talks,
            agenda,
            index,
            section,
            sizes,
        };
        let lists = listing.list_jobs().into_iter().chain(listing.month_jobs());
        let lists = lists.chain(listing.calendar_index());
        jobs.extend(lists.map(|job| job.in_group(group)));
    }
    for page in views.site.pages.iter().filter(|p| scope.reaches_page(p)) {
        if let Some(seminar) = &page.seminar {
            jobs.push(talk_job(views, talks, agenda, page, seminar));
        }
    }
    jobs
}

/// The home page's `upcoming_seminars` (the next few talks of the whole site) and the talks
/// it depends on.
pub(crate) fn home_context(views: &Views, agenda: &Agenda) -> (Context, Deps) {
    let talks = TalkViews {
        site: views.site,
        urls: views.urls,
    };
    let next = agenda.upcoming(|o| !o.seminar.status.is_off());
    let next = &next[..next.len().min(HOME_UPCOMING)];
    let upcoming: Vec<TalkView> = next.iter().map(|o| talks.talk(o)).collect();
    let listing = views
        .site
        .sections
        .iter()
        .find(|s| s.front.kind == SectionKind::Seminars)
        .map(|s| views.urls.url(&s.path));
    let mut context = Context::new();
    context.insert("upcoming_seminars", &upcoming);
    context.insert("seminars_url", &listing);
    (
        context,
        Deps::default().pages_only(next.iter().map(|o| o.page)),
    )
}

/// The pages of one seminars section.
#[derive(Clone, Copy)]
pub(super) struct Listing<'v, 'a> {
    pub(super) views: &'v Views<'a>,
    pub(super) talks: TalkViews<'a>,
    pub(super) agenda: &'v Agenda<'a>,
    pub(super) index: usize,
    pub(super) section: &'a Section,
    /// The sizes of the feeds, which decide where Google Calendar links lead.
    pub(super) sizes: &'v FeedSizes,
}

impl<'v> Listing<'v, 'v> {
    /// Whether `o` is a talk of this section (and of `series`, when given).
    pub(super) fn in_section(&self, o: &Occurrence, series: Option<&Series>) -> bool {
        o.page.section == self.index
            && series.is_none_or(|s| o.seminar.series.as_deref() == Some(s.slug.as_str()))
    }

    pub(super) fn series(&self) -> &'v [Series] {
        self.section
            .seminars
            .as_ref()
            .map_or(&[], |s| s.series.as_slice())
    }

    /// The feeds a listing offers: a series' own feed first on its page, then everything.
    pub(super) fn feeds(&self, current: Option<&Series>) -> Vec<FeedView> {
        let urls = &self.views.urls;
        let dir = &self.section.path;
        let feed = |name: &str, path: &str| FeedView::sized(urls, name, path, self.sizes);
        let mut feeds = Vec::new();
        if let Some(s) = current {
            feeds.push(feed(&s.name, &format!("{dir}{}.ics", s.slug)));
        }
        feeds.push(feed("All seminars", &format!("{dir}seminars.ics")));
        feeds.push(feed("Recent and upcoming", &format!("{dir}recent.ics")));
        if current.is_none() {
            for s in self.series() {
                feeds.push(feed(&s.name, &format!("{dir}{}.ics", s.slug)));
            }
            feeds.push(feed("Everything on this site", SITE_CALENDAR));
        }
        feeds
    }

    /// Where a listing's Google Calendar links lead, which changes with the feeds' sizes.
    pub(super) fn google_links(&self, current: Option<&Series>) -> Vec<Option<String>> {
        self.feeds(current).into_iter().map(|f| f.google).collect()
    }

    /// `calendar/` itself leads to the month of the next talk (or of the last one).
    fn calendar_index(self) -> Option<Job<'v>> {
        let upcoming = self.agenda.upcoming(|o| self.in_section(o, None));
        let past = self.agenda.past(|o| self.in_section(o, None));
        let month = upcoming.first().or(past.first())?.start.date();
        let target_path = month_site_path(&self.section.path, month);
        let target = self.views.urls.url(&target_path);
        let path = format!("{}calendar/", self.section.path);
        let deps = Deps::default().shape(&target);
        Some(Job::new(
            format!("{path}index.html"),
            "alias.html",
            &self.section.source,
            deps,
            move || {
                let title = format!("{} calendar", self.section.title);
                // A redirect's canonical URL is where it leads, as for every alias page.
                let meta = self.views.meta(&title, None, &target_path, "website", None);
                let mut context = context_with_meta(meta);
                context.insert("target", &target);
                context
            },
        ))
    }

    pub(super) fn month_url(&self, date: Date) -> String {
        self.views
            .urls
            .url(&month_site_path(&self.section.path, date))
    }

    /// One grid per month from the first talk's month to the last's, so previous and next
    /// always lead somewhere.
    fn month_jobs(self) -> Vec<Job<'v>> {
        let mut by_day: BTreeMap<Date, Vec<&'v Occurrence<'v>>> = BTreeMap::new();
        for o in self.agenda.occurrences.iter() {
            if self.in_section(o, None) {
                by_day.entry(o.start.date()).or_default().push(o);
            }
        }
        let (Some(first), Some(last)) = (by_day.keys().next(), by_day.keys().next_back()) else {
            return Vec::new();
        };
        let months: Vec<Date> = std::iter::successors(Some(first.first_of_month()), |m| {
            m.checked_add(1.month()).ok()
        })
        .take_while(|m| *m <= last.first_of_month())
        .collect();
        let by_day = std::sync::Arc::new(by_day);
        months
            .iter()
            .enumerate()
            .map(|(i, month)| {
                let previous = i.checked_sub(1).and_then(|j| months.get(j)).copied();
                let next = months.get(i + 1).copied();
                self.month_job(*month, previous, next, by_day.clone())
            })
            .collect()
    }

    fn month_job(
        self,
        month: Date,
        previous: Option<Date>,
        next: Option<Date>,
        by_day: std::sync::Arc<BTreeMap<Date, Vec<&'v Occurrence<'v>>>>,
    ) -> Job<'v> {
        let key = month.strftime("%Y-%m").to_string();
        let path = month_path(&self.section.path, &key);
        // The grid shows the talks of its weeks, neighbouring months' days included.
        let shown = weeks(month).into_iter().flatten();
        let talks = shown.flat_map(|d| by_day.get(&d).into_iter().flatten().map(|o| o.page));
        let shape = (previous, next, self.google_links(None));
        let deps = Deps::default().shape(shape).pages_only(talks);
        Job::new(
            format!("{path}index.html"),
            "seminar_month.html",
            &self.section.source,
            deps,
            move || {
                let view = self.month_view(month, previous.as_ref(), next.as_ref(), &by_day);
                let title = format!("{} — {}", month.strftime("%B %Y"), self.section.title);
                let mut context =
                    context_with_meta(self.views.meta(&title, None, &path, "website", None));
                context.insert("section", &self.views.section(self.section));
                context.insert("month", &view);
                context.insert("feeds", &self.feeds(None));
                context
            },
        )
    }

    fn month_view(
        &self,
        month: Date,
        previous: Option<&Date>,
        next: Option<&Date>,
        by_day: &BTreeMap<Date, Vec<&Occurrence>>,
    ) -> MonthView {
        let link = |m: &Date| Link {
            name: m.strftime("%B %Y").to_string(),
            url: self.month_url(*m),
        };
        let today = self.agenda.now.to_zoned(self.section_zone()).date();
        MonthView {
            title: month.strftime("%B %Y").to_string(),
            iso: month.strftime("%Y-%m").to_string(),
            previous: previous.map(link),
            next: next.map(link),
            weekdays: ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"],
            weeks: weeks(month)
                .into_iter()
                .map(|week| {
                    week.into_iter()
                        .map(|d| self.day_view(d, month, today, by_day))
                        .collect()
                })
                .collect(),
            zone: self.section_zone().iana_name().unwrap_or("UTC").to_string(),
        }
    }

    fn section_zone(&self) -> jiff::tz::TimeZone {
        self.section
            .seminars
            .as_ref()
            .map_or(jiff::tz::TimeZone::UTC, |s| s.timezone.clone())
    }

    fn day_view(
        &self,
        date: Date,
        month: Date,
        today: Date,
        by_day: &BTreeMap<Date, Vec<&Occurrence>>,
    ) -> DayView {
        DayView {
            day: date.day(),
            number: if date.day() == 1 {
                date.strftime("%b %-d").to_string()
            } else {
                date.day().to_string()
            },
            iso: date.to_string(),
            label: date.strftime("%A %-d %B %Y").to_string(),
            in_month: date.month() == month.month(),
            today: date == today,
            talks: by_day
                .get(&date)
                .map(|os| os.iter().map(|o| self.talks.talk(o)).collect())
                .unwrap_or_default(),
        }
    }
}

/// A month as a wall calendar.
#[derive(Serialize)]
struct MonthView {
    /// `November 2020`.
    title: String,
    /// `2020-11`.
    iso: String,
    previous: Option<Link>,
    next: Option<Link>,
    weekdays: [&'static str; 7],
    /// Sunday-to-Saturday rows, including the neighbouring months' days that fill them.
    weeks: Vec<Vec<DayView>>,
    /// The zone the grid's days are read in (each talk is placed on its own local day).
    zone: String,
}

#[derive(Serialize)]
struct DayView {
    day: i8,
    /// `5`, or `Dec 1` on the first of a month.
    number: String,
    iso: String,
    /// `Thursday 5 November 2020`, for screen readers.
    label: String,
    in_month: bool,
    today: bool,
    talks: Vec<TalkView>,
}

/// The site path of the calendar month holding `date`.
fn month_site_path(section_path: &str, date: Date) -> String {
    month_path(section_path, &date.strftime("%Y-%m").to_string())
}

/// The Sunday-to-Saturday weeks that cover the month starting at `month`.
fn weeks(month: Date) -> Vec<Vec<Date>> {
    let back = i64::from(month.weekday().to_sunday_zero_offset());
    let first = month.checked_sub(back.days()).unwrap_or(month);
    let last = month.last_of_month();
    let mut weeks = Vec::new();
    // Stepping stops at the last date there is, not at `Date::MAX`: that is never past
    // `last` in December 9999, and the loop never ended.
    let mut next = Some(first);
    while let Some(day) = next.filter(|d| *d <= last) {
        let week: Vec<Date> = (0..7)
            .filter_map(|k| day.checked_add((k as i64).days()).ok())
            .collect();
        next = day.checked_add(7.days()).ok();
        weeks.push(week);
    }
    debug_assert!(weeks.iter().all(|w| w[0].weekday() == Weekday::Sunday));
    weeks
}

/// A talk's own page: the generic page context plus its `seminar`.
fn talk_job<'v>(
    views: &'v Views<'v>,
    talks: TalkViews<'v>,
    agenda: &'v Agenda<'v>,
    page: &'v Page,
    seminar: &'v Seminar,
) -> Job<'v> {
    let section = &views.site.sections[page.section];
    let zone =
        jiff::tz::TimeZone::get(&views.site.config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    page_job(views, page, section, &agenda.now.to_zoned(zone)).with(move |context| {
        talk_context(views, talks, agenda, page, seminar, context);
    })
}

fn talk_context(
    views: &Views,
    talks: TalkViews,
    agenda: &Agenda,
    page: &Page,
    seminar: &Seminar,
    context: &mut Context,
) {
    let section = &views.site.sections[page.section];
    let mine: Vec<&Occurrence> = agenda
        .occurrences
        .iter()
        .filter(|o| std::ptr::eq(o.page, page))
        .collect();
    let first = Occurrence::first(page, seminar);
    let shown = mine
        .iter()
        .find(|o| o.is_upcoming(agenda.now))
        .or(mine.first())
        .copied()
        .unwrap_or(&first);
    let talk = talks.talk(shown);
    if page.front.description.is_none() {
        let description = describe(&talk);
        context.insert(
            "meta",
            &views.meta(&page.title, Some(&description), &page.path, "website", None),
        );
    }
    let ics_path = format!("{}{}.ics", page.path, page.slug);
    let ics = FeedView::new(&views.urls, "This talk", &ics_path);
    let view = SeminarPageView {
        recurrence: seminar
            .recurrence
            .as_ref()
            .map(|r| format::recurrence(r, &seminar.start)),
        dates: mine
            .iter()
            .filter(|o| o.is_upcoming(agenda.now))
            .take(PAGE_DATES)
            .map(|o| WhenView::new(o))
            .collect(),
        skipped: seminar.exdates.iter().map(|d| format::day(*d)).collect(),
        past: !shown.is_upcoming(agenda.now),
        slides: seminar
            .slides
            .as_ref()
            .map(|s| views.urls.file(s, &page.path)),
        recording: seminar
            .recording
            .as_ref()
            .map(|s| views.urls.file(s, &page.path)),
        google_event: google_event(views, page, seminar, &ics),
        ics,
        addable: seminar.status != SeminarStatus::Cancelled,
        calendar_url: views
            .urls
            .url(&month_site_path(&section.path, shown.start.date())),
        talk,
    };
    context.insert("seminar", &view);
}

/// The talk's page data under `seminar`.
#[derive(Serialize)]
struct SeminarPageView {
    /// The next occurrence (or the last one, once all are over).
    talk: TalkView,
    /// "Every other week on Thursday until 24 Jun 2021".
    recurrence: Option<String>,
    /// The next dates of a recurring meeting.
    dates: Vec<WhenView>,
    /// Dates a recurring meeting skips.
    skipped: Vec<String>,
    /// Whether the talk is over.
    past: bool,
    slides: Option<String>,
    recording: Option<String>,
    /// The talk's own `.ics`, as a download and a subscription.
    ics: FeedView,
    /// Google Calendar's "add event" link.
    google_event: Option<String>,
    /// Whether the page offers to add the talk to a calendar: not once it is cancelled.
    addable: bool,
    /// The month grid the talk appears in.
    calendar_url: String,
}

/// A meta description for talks without one: who and when.
fn describe(talk: &TalkView) -> String {
    let who: Vec<&str> = talk.speakers.iter().map(|s| s.name.as_str()).collect();
    if who.is_empty() {
        talk.when.text.clone()
    } else {
        format!("{} — {}", who.join(", "), talk.when.text)
    }
}

/// Google Calendar's event template link: the talk in its own zone, repeating like the
/// feed says. Only for sites with an absolute base URL (the details link back to the page).
/// A meeting that skips dates is subscribed to through its own feed instead: the template's
/// `recur` is only documented to take the RRULE, and without the EXDATEs Google would show
/// meetings on the skipped dates.
fn google_event(views: &Views, page: &Page, seminar: &Seminar, ics: &FeedView) -> Option<String> {
    if seminar.recurrence.is_some() && !seminar.exdates.is_empty() {
        return ics.google.clone();
    }
    let permalink = views.urls.permalink(&page.path);
    format::webcal(&permalink)?;
    let dates = match (&seminar.start, &seminar.end) {
        (EventTime::Zoned(s), EventTime::Zoned(e)) => format!(
            "{}/{}",
            s.strftime("%Y%m%dT%H%M%S"),
            e.with_time_zone(s.time_zone().clone())
                .strftime("%Y%m%dT%H%M%S")
        ),
        (s, e) => format!(
            "{}/{}",
            s.date().strftime("%Y%m%d"),
            e.date().strftime("%Y%m%d")
        ),
    };
    let speakers = TalkViews::speaker_line(seminar);
    let mut details = String::new();
    if !speakers.is_empty() {
        details.push_str(&format!("{speakers}\n"));
    }
    if let Some(online) = &seminar.online {
        details.push_str(&format!("Join: {online}\n"));
    }
    details.push_str(&permalink);
    let mut url = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={dates}&details={}",
        format::query_value(&page.title),
        format::query_value(&details),
    );
    if let Some(zone) = seminar.timezone.iana_name() {
        url.push_str(&format!("&ctz={}", format::query_value(zone)));
    }
    if let Some(place) = seminar.location.as_ref().or(seminar.online.as_ref()) {
        url.push_str(&format!("&location={}", format::query_value(place)));
    }
    if let Some(rule) = &seminar.recurrence {
        let rrule = format!("RRULE:{}", rule.to_rrule_string(&seminar.start));
        url.push_str(&format!("&recur={}", format::query_value(&rrule)));
    }
    Some(url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn november_2020_is_five_weeks_from_sunday_1_to_saturday_5_december() {
        let w = weeks(date(2020, 11, 1));
        assert_eq!(w.len(), 5);
        assert_eq!(w[0][0], date(2020, 11, 1));
        assert_eq!(w[4][6], date(2020, 12, 5));
        let feb = weeks(date(2021, 2, 1));
        assert_eq!(feb[0][0], date(2021, 1, 31));
        assert!(feb.iter().flatten().any(|d| *d == date(2021, 2, 28)));
    }

    #[test]
    fn the_last_month_there_is_ends() {
        // On a thread, so that a loop fails the test instead of hanging it.
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || done.send(weeks(date(9999, 12, 1))));
        let w = finished
            .recv_timeout(std::time::Duration::from_secs(5))
            .expect("the grid of December 9999 is made in time");
        assert_eq!(w.last().unwrap().last(), Some(&date(9999, 12, 31)));
    }
}
