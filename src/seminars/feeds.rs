//! Seminar calendar feeds: every talk as one VEVENT (a recurring meeting as one event with
//! its RRULE), gathered into the section's feeds and the site-wide `/calendar.ics`.

use jiff::{SignedDuration, Timestamp, ToSpan, Zoned};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use super::views::TalkViews;
use super::{Seminar, SeminarStatus};
use crate::calendar::{
    Conference, Event, Feed, Status, hub_uid, join_line, online_location, write_feed,
};
use crate::content::{Page, Section, SectionKind, Site};
use crate::output::{Body, Output};
use crate::render::views::Urls;

/// Writes every seminars section's feeds and each talk's own `.ics` into `output` — of the
/// talks, only those whose page key is in `changed` when given. Feeds are independent, so
/// they are written in parallel.
pub fn render_feeds(
    site: &Site,
    urls: &Urls,
    now: &Zoned,
    talks: &TalkEvents,
    changed: Option<&FxHashSet<u64>>,
    output: &mut Output,
) {
    let mut feeds: Vec<(String, Feed)> = site
        .sections
        .iter()
        .filter(|s| s.front.kind == SectionKind::Seminars)
        .flat_map(|section| section_feeds(site, urls, now, section, talks))
        .collect();
    feeds.par_extend(talks.talks.par_iter().filter_map(|(page, _, event)| {
        if changed.is_some_and(|keys| !keys.contains(&page.key)) {
            return None;
        }
        let path = format!("{}{}.ics", page.path, page.slug);
        let feed = feed(site, urls, &path, page.title.clone(), vec![event.clone()]);
        Some((path, feed))
    }));
    let written: Vec<(String, String)> = feeds
        .into_par_iter()
        .map(|(path, feed)| (path, write_feed(&feed, now.timestamp())))
        .collect();
    for (path, text) in written {
        output.add_bytes(path, text.into_bytes());
    }
}

/// Google Calendar stops importing a feed somewhere past this many bytes, silently
/// dropping the rest of its events (SPEC §5).
pub const GOOGLE_MAX_BYTES: usize = 1_000_000;

/// The size of every calendar feed written in a render, by site path: a Google Calendar link
/// must lead to a file Google takes whole.
#[derive(Default)]
pub struct FeedSizes(FxHashMap<String, usize>);

impl FeedSizes {
    /// The sizes of the `.ics` files in `output`.
    pub fn of(output: &Output) -> Self {
        let sizes = output.files.iter().filter_map(|(path, body)| match body {
            Body::Bytes(bytes) if path.ends_with(".ics") => Some((path.clone(), bytes.len())),
            _ => None,
        });
        FeedSizes(sizes.collect())
    }

    /// The feed a Google Calendar link for the feed at `path` should subscribe to: the feed
    /// itself while Google takes it whole, else its recent variant if that fits, else none.
    /// A feed not written in this render (an edit elsewhere) keeps its link.
    pub fn google_path(&self, path: &str) -> Option<String> {
        let fits = |p: &str| self.0.get(p).is_none_or(|&bytes| bytes < GOOGLE_MAX_BYTES);
        if fits(path) {
            return Some(path.to_string());
        }
        let recent = recent_path(path);
        (self.0.contains_key(&recent) && fits(&recent)).then_some(recent)
    }
}

/// The recent variant of the feed at `path`: a section's `recent.ics` for its `seminars.ics`,
/// `NAME.recent.ics` for any other `NAME.ics` (series feeds and `/calendar.ics`).
pub fn recent_path(path: &str) -> String {
    let stem = path.strip_suffix(".ics").unwrap_or(path);
    match stem.strip_suffix("seminars") {
        Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}recent.ics"),
        _ => format!("{stem}.recent.ics"),
    }
}

/// Every talk of the site as its VEVENT, built once per render: a talk appears in up to
/// five feeds (all talks, recent ones, its series, its own, the site calendar), and building
/// an event (its description from the abstract) costs more than sharing one.
pub struct TalkEvents<'a> {
    talks: Vec<(&'a Page, &'a Seminar, Arc<Event>)>,
}

/// Talk events kept from one render to the next (`serve` renders again after each edit): a
/// talk's event depends only on its page, the section's series and the config, and a
/// change to either of the last two starts over with a new renderer.
#[derive(Default)]
pub struct EventCache(Mutex<FxHashMap<u64, Arc<Event>>>);

impl<'a> TalkEvents<'a> {
    /// The events of every talk of `site`, in site order: those of pages whose key is not
    /// in `changed` from `cache`, when `changed` is given; the rest built anew.
    pub fn new(
        site: &'a Site,
        urls: &Urls,
        cache: &EventCache,
        changed: Option<&FxHashSet<u64>>,
    ) -> Self {
        let mut cache = cache.0.lock().expect("event cache lock");
        let previous = std::mem::take(&mut *cache);
        let kept = |page: &Page| {
            let unchanged = changed.is_some_and(|keys| !keys.contains(&page.key));
            unchanged
                .then(|| previous.get(&page.key).cloned())
                .flatten()
        };
        let pages: Vec<(&Page, &Seminar)> = seminar_pages(site).collect();
        let talks: Vec<(&Page, &Seminar, Arc<Event>)> = pages
            .into_par_iter()
            .map(|(page, seminar)| {
                let event =
                    kept(page).unwrap_or_else(|| Arc::new(event(site, urls, page, seminar)));
                (page, seminar, event)
            })
            .collect();
        *cache = talks.iter().map(|(p, _, e)| (p.key, e.clone())).collect();
        TalkEvents { talks }
    }

    /// All the events, for `/calendar.ics`.
    pub fn all(&self) -> Vec<Arc<Event>> {
        self.talks.iter().map(|(_, _, e)| e.clone()).collect()
    }

    /// The events of talks that end after `cutoff`, for `/calendar.recent.ics`.
    pub fn recent(&self, cutoff: Timestamp) -> Vec<Arc<Event>> {
        let recent = self.talks.iter().filter(|(_, s, _)| ends_after(s, cutoff));
        recent.map(|(_, _, e)| e.clone()).collect()
    }
}

/// A feed's refresh hint from `[calendar] refresh_interval` (validated with the config).
pub fn refresh_interval(site: &Site) -> SignedDuration {
    site.config
        .calendar
        .refresh_interval()
        .unwrap_or(SignedDuration::from_hours(6))
}

/// A complete feed named `name` at site path `path`.
pub fn feed(site: &Site, urls: &Urls, path: &str, name: String, events: Vec<Arc<Event>>) -> Feed {
    let refresh = refresh_interval(site);
    Feed {
        name,
        description: None,
        url: Some(urls.permalink(path)),
        refresh_interval: refresh,
        published_ttl: refresh,
        events,
    }
}

fn seminar_pages(site: &Site) -> impl Iterator<Item = (&Page, &Seminar)> {
    site.pages
        .iter()
        .filter_map(|p| p.seminar.as_ref().map(|s| (p, s)))
}

/// A seminars section's feeds: all its talks, the recent ones, and one per series.
fn section_feeds(
    site: &Site,
    urls: &Urls,
    now: &Zoned,
    section: &Section,
    talks: &TalkEvents,
) -> Vec<(String, Feed)> {
    let mine: Vec<&(&Page, &Seminar, Arc<Event>)> = talks
        .talks
        .iter()
        .filter(|(p, _, _)| std::ptr::eq(&site.sections[p.section], section))
        .collect();
    let events = |keep: &dyn Fn(&Seminar) -> bool| -> Vec<Arc<Event>> {
        mine.iter()
            .filter(|(_, s, _)| keep(s))
            .map(|(_, _, e)| e.clone())
            .collect()
    };
    let dir = &section.path;
    let title = format!("{} — {}", site.config.title, section.title);
    let make = |path: String, name: String, description: Option<String>, events| {
        let mut feed = feed(site, urls, &path, name, events);
        feed.description = description;
        (path, feed)
    };
    let cutoff = recent_cutoff(site, now);
    let mut feeds = vec![
        make(
            format!("{dir}seminars.ics"),
            title.clone(),
            section.front.description.clone(),
            events(&|_| true),
        ),
        make(
            format!("{dir}recent.ics"),
            format!("{title} (recent and upcoming)"),
            None,
            events(&|s| ends_after(s, cutoff)),
        ),
    ];
    for series in section.seminars.iter().flat_map(|s| &s.series) {
        let in_series = |s: &Seminar| s.series.as_deref() == Some(series.slug.as_str());
        let path = format!("{dir}{}.ics", series.slug);
        let name = format!("{} — {}", site.config.title, series.name);
        feeds.push(make(
            recent_path(&path),
            format!("{name} (recent and upcoming)"),
            None,
            events(&|s| in_series(s) && ends_after(s, cutoff)),
        ));
        feeds.push(make(
            path,
            name,
            series.description.clone(),
            events(&in_series),
        ));
    }
    feeds
}

/// The start of the recent feeds: `[calendar] recent_days` before now.
pub fn recent_cutoff(site: &Site, now: &Zoned) -> Timestamp {
    let days = i64::from(site.config.calendar.recent_days);
    now.checked_sub(days.days())
        .map_or(now.timestamp(), |z| z.timestamp())
}

/// Whether the talk's last occurrence ends after `cutoff` (a meeting that never stops
/// recurring always does).
fn ends_after(seminar: &Seminar, cutoff: Timestamp) -> bool {
    let Some(rule) = &seminar.recurrence else {
        return seminar.instant(&seminar.end) > cutoff;
    };
    if rule.count.is_none() && rule.until.is_none() {
        return true;
    }
    let far = seminar.start.date().saturating_add(200.years());
    seminar
        .occurrences(far)
        .last()
        .is_some_and(|(_, end)| seminar.instant(end) > cutoff)
}

/// The calendar UID of a page: its content path (without `.md` or `/index.md`, so turning a
/// file into a bundle keeps it) at the site's host and base path. Never the title or date, so editing
/// either updates subscribers' events instead of duplicating them.
pub fn uid(site: &Site, page: &Page) -> String {
    let path = page.content_path.trim_end_matches(".md");
    let path = path.strip_suffix("/index").unwrap_or(path);
    hub_uid(site.config.host(), site.config.base_path(), path)
}

/// One talk as a VEVENT.
pub fn event(site: &Site, urls: &Urls, page: &Page, seminar: &Seminar) -> Event {
    let permalink = urls.permalink(&page.path);
    let mut event = Event::new(
        seminar.uid.clone().unwrap_or_else(|| uid(site, page)),
        summary(page, seminar),
        seminar.start.clone(),
        seminar.end.clone(),
    );
    event.sequence = seminar.sequence_number();
    event.description = description(site, page, seminar, &permalink);
    event.location = seminar.location.clone().or_else(|| {
        let label = seminar.online_label.as_deref();
        seminar.online.as_ref().map(|_| online_location(label))
    });
    event.url = Some(permalink);
    event.conference = seminar.online.as_ref().map(|url| Conference {
        url: url.clone(),
        label: seminar.online_label.clone(),
    });
    event.status = match seminar.status {
        SeminarStatus::Confirmed => Status::Confirmed,
        SeminarStatus::Tentative | SeminarStatus::Postponed => Status::Tentative,
        SeminarStatus::Cancelled => Status::Cancelled,
    };
    event.recurrence = seminar.recurrence.clone();
    event.exdates = seminar.exdates.clone();
    event.categories = series_name(site, page, seminar).into_iter().collect();
    event
}

/// The title, marked when the talk is off: many clients show STATUS:CANCELLED no differently.
fn summary(page: &Page, seminar: &Seminar) -> String {
    match seminar.status {
        SeminarStatus::Cancelled => format!("Cancelled: {}", page.title),
        SeminarStatus::Postponed => format!("Postponed: {}", page.title),
        _ => page.title.clone(),
    }
}

fn series_name(site: &Site, page: &Page, seminar: &Seminar) -> Option<String> {
    let slug = seminar.series.as_deref()?;
    let settings = site.sections[page.section].seminars.as_ref()?;
    settings
        .series
        .iter()
        .find(|s| s.slug == slug)
        .map(|s| s.name.clone())
}

/// Plain text: speakers with affiliations, series, meeting link, the abstract as written
/// (Markdown reads fine as text), and the page's URL.
fn description(site: &Site, page: &Page, seminar: &Seminar, permalink: &str) -> String {
    let mut parts = Vec::new();
    let speakers = TalkViews::speaker_line(seminar);
    if !speakers.is_empty() {
        parts.push(speakers);
    }
    if let Some(series) = series_name(site, page, seminar) {
        parts.push(series);
    }
    if let Some(online) = &seminar.online {
        parts.push(join_line(online, seminar.online_label.as_deref()));
    }
    let body = unwrap_paragraphs(&page.body);
    if !body.is_empty() {
        parts.push(body);
    }
    parts.push(permalink.to_string());
    parts.join("\n\n")
}

/// Markdown wraps paragraphs at a column; calendar apps show every newline, so each
/// paragraph becomes one line.
fn unwrap_paragraphs(markdown: &str) -> String {
    markdown
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sizes(files: &[(&str, usize)]) -> FeedSizes {
        FeedSizes(files.iter().map(|(p, b)| (p.to_string(), *b)).collect())
    }

    #[test]
    fn every_feed_that_can_grow_has_a_recent_variant() {
        assert_eq!(recent_path("seminars/seminars.ics"), "seminars/recent.ics");
        assert_eq!(recent_path("seminars.ics"), "recent.ics");
        assert_eq!(
            recent_path("talks/colloquium.ics"),
            "talks/colloquium.recent.ics"
        );
        assert_eq!(
            recent_path("talks/reading-seminars.ics"),
            "talks/reading-seminars.recent.ics"
        );
        assert_eq!(recent_path("calendar.ics"), "calendar.recent.ics");
    }

    #[test]
    fn google_gets_the_feed_while_it_is_under_a_megabyte() {
        let s = sizes(&[
            ("calendar.ics", GOOGLE_MAX_BYTES - 1),
            ("s/seminars.ics", GOOGLE_MAX_BYTES),
            ("s/recent.ics", 10),
            ("s/big.ics", 2 * GOOGLE_MAX_BYTES),
            ("s/big.recent.ics", GOOGLE_MAX_BYTES),
        ]);
        assert_eq!(
            s.google_path("calendar.ics").as_deref(),
            Some("calendar.ics")
        );
        assert_eq!(
            s.google_path("s/seminars.ics").as_deref(),
            Some("s/recent.ics")
        );
        assert_eq!(
            s.google_path("s/big.ics"),
            None,
            "no file Google takes whole"
        );
        // Not written in this render: the page keeps linking the feed itself.
        assert_eq!(s.google_path("s/other.ics").as_deref(), Some("s/other.ics"));
    }
}
