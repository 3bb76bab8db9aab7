//! Seminar calendar feeds: every talk as one VEVENT (a recurring meeting as one event with
//! its RRULE), gathered into the section's feeds and the site-wide `/calendar.ics`.

use jiff::{SignedDuration, Timestamp, ToSpan, Zoned};

use super::views::TalkViews;
use super::{Seminar, SeminarStatus};
use crate::calendar::{Conference, Event, Feed, Status, write_feed};
use crate::content::{Page, Section, SectionKind, Site};
use crate::output::Output;
use crate::render::views::Urls;

/// Writes every seminars section's feeds and each talk's own `.ics` into `output`.
pub fn render_feeds(site: &Site, urls: &Urls, now: &Zoned, output: &mut Output) {
    let writer = FeedWriter { site, urls, now };
    for section in &site.sections {
        if section.front.kind != SectionKind::Seminars {
            continue;
        }
        writer.section_feeds(section, output);
    }
    for page in &site.pages {
        if let Some(seminar) = &page.seminar {
            let path = format!("{}{}.ics", page.path, page.slug);
            let events = vec![event(site, urls, page, seminar)];
            writer.write(&path, page.title.clone(), None, events, output);
        }
    }
}

/// The seminar events of the whole site, for `/calendar.ics`.
pub fn calendar_events(site: &Site, urls: &Urls) -> Vec<Event> {
    seminar_pages(site)
        .map(|(page, seminar)| event(site, urls, page, seminar))
        .collect()
}

/// A feed's refresh hint from `[calendar] refresh_interval` (validated with the config).
pub fn refresh_interval(site: &Site) -> SignedDuration {
    site.config
        .calendar
        .refresh_interval()
        .unwrap_or(SignedDuration::from_hours(6))
}

/// A complete feed named `name` at site path `path`.
pub fn feed(site: &Site, urls: &Urls, path: &str, name: String, events: Vec<Event>) -> Feed {
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

struct FeedWriter<'a> {
    site: &'a Site,
    urls: &'a Urls<'a>,
    now: &'a Zoned,
}

impl FeedWriter<'_> {
    fn section_feeds(&self, section: &Section, output: &mut Output) {
        let site = self.site;
        let pages: Vec<(&Page, &Seminar)> = seminar_pages(site)
            .filter(|(p, _)| std::ptr::eq(&site.sections[p.section], section))
            .collect();
        let events = |keep: &dyn Fn(&Page, &Seminar) -> bool| -> Vec<Event> {
            pages
                .iter()
                .filter(|(p, s)| keep(p, s))
                .map(|(p, s)| event(site, self.urls, p, s))
                .collect()
        };
        let dir = &section.path;
        let title = format!("{} — {}", site.config.title, section.title);
        let all = events(&|_, _| true);
        self.write(
            &format!("{dir}seminars.ics"),
            title.clone(),
            section.front.description.clone(),
            all,
            output,
        );
        let cutoff = self.recent_cutoff();
        let recent = events(&|_, s| ends_after(s, cutoff));
        self.write(
            &format!("{dir}recent.ics"),
            format!("{title} (recent and upcoming)"),
            None,
            recent,
            output,
        );
        for series in section.seminars.iter().flat_map(|s| &s.series) {
            let of_series = events(&|_, s| s.series.as_deref() == Some(series.slug.as_str()));
            let name = format!("{} — {}", site.config.title, series.name);
            self.write(
                &format!("{dir}{}.ics", series.slug),
                name,
                series.description.clone(),
                of_series,
                output,
            );
        }
    }

    /// The start of `recent.ics`: `[calendar] recent_days` before now.
    fn recent_cutoff(&self) -> Timestamp {
        let days = i64::from(self.site.config.calendar.recent_days);
        self.now
            .checked_sub(days.days())
            .map_or(self.now.timestamp(), |z| z.timestamp())
    }

    fn write(
        &self,
        path: &str,
        name: String,
        description: Option<String>,
        events: Vec<Event>,
        output: &mut Output,
    ) {
        let mut feed = feed(self.site, self.urls, path, name, events);
        feed.description = description;
        let text = write_feed(&feed, self.now.timestamp());
        output.add_bytes(path.to_string(), text.into_bytes());
    }
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
/// file into a bundle keeps it) at the site's host. Never the title or date, so editing
/// either updates subscribers' events instead of duplicating them.
pub fn uid(site: &Site, page: &Page) -> String {
    let path = page.content_path.trim_end_matches(".md");
    let path = path.strip_suffix("/index").unwrap_or(path);
    format!("{path}@{}", site.config.host())
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
    event.location = seminar
        .location
        .clone()
        .or_else(|| seminar.online.as_ref().map(|_| online_name(seminar)));
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

fn online_name(seminar: &Seminar) -> String {
    match &seminar.online_label {
        Some(label) => format!("Online ({label})"),
        None => "Online".to_string(),
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
        let on = seminar
            .online_label
            .as_ref()
            .map_or_else(|| "online".to_string(), |l| format!("on {l}"));
        parts.push(format!("Join {on}: {online}"));
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
