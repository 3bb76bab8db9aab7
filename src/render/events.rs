//! Event pages and feeds: `/events/` lists, and for each workshop its overview, timetable,
//! speakers and participants pages, plus `SLUG.ics` (one VEVENT per session) and
//! `SLUG-talks.ics` (one per talk).
//!
//! Every time is shown in the event's own zone, never the reader's, and days are split in
//! that zone (SPEC §5.2); the views below hold times already formatted so templates never
//! do time arithmetic.

use jiff::Zoned;
use serde::Serialize;

use super::views::{Link, Views};
use super::{Deps, Job, context_with_meta, insert};
use crate::calendar::{self, Conference, EventTime, Feed, links};
use crate::content::{Page, Section, slugify};
use crate::events::{EventData, Person, Session, Talk, Track};
use crate::output::Output;

/// The event-wide data every event template sees, under `event`.
#[derive(Serialize)]
pub struct EventView<'a> {
    /// `19–23 October 2020`.
    pub dates: String,
    pub start_iso: String,
    pub end_iso: String,
    pub timezone: &'a str,
    pub upcoming: bool,
    pub location: Option<&'a str>,
    pub online: Option<&'a str>,
    pub organizers: &'a [Person],
    pub registration: Option<&'a str>,
    pub contact: Option<&'a str>,
    pub tracks: &'a [Track],
    pub session_count: usize,
    pub talk_count: usize,
    pub participant_count: Option<usize>,
    pub links: EventLinks,
}

/// Where an event's pages and feeds are.
#[derive(Serialize)]
pub struct EventLinks {
    pub overview: String,
    pub timetable: Option<String>,
    pub speakers: Option<String>,
    pub participants: Option<String>,
    pub feeds: Vec<FeedLinks>,
}

/// One feed, offered the three ways SPEC §5.1 asks for.
#[derive(Serialize)]
pub struct FeedLinks {
    pub name: String,
    pub ics: String,
    pub webcal: String,
    pub google: String,
}

/// A day of the timetable, in the event's zone.
#[derive(Serialize)]
pub struct DayView<'a> {
    /// `day-2020-10-20`, an anchor.
    pub id: String,
    pub iso: String,
    /// `Tuesday 20 October 2020`.
    pub label: String,
    /// The zone's abbreviation that day (`CEST`).
    pub zone: String,
    pub sessions: Vec<SessionView<'a>>,
}

/// A time as the timetable shows it.
#[derive(Serialize)]
pub struct TimeView {
    /// RFC 3339 with offset, for `<time datetime>`.
    pub iso: String,
    /// `10:15`.
    pub hm: String,
}

#[derive(Serialize)]
pub struct SessionView<'a> {
    pub id: String,
    pub title: &'a str,
    pub start: TimeView,
    pub end: TimeView,
    pub conveners: &'a [Person],
    pub room: Option<&'a str>,
    pub description: Option<&'a str>,
    pub talks: Vec<TalkView<'a>>,
}

#[derive(Serialize)]
pub struct TalkView<'a> {
    pub id: String,
    pub title: &'a str,
    pub start: TimeView,
    pub end: TimeView,
    pub minutes: i64,
    pub speakers: &'a [Person],
    pub track: Option<&'a str>,
    pub abstract_html: Option<&'a str>,
    pub slides: Option<String>,
    pub recorded: bool,
    pub is_break: bool,
}

/// A speaker with every talk they give.
#[derive(Serialize)]
pub struct SpeakerView {
    pub name: String,
    pub affiliation: Option<String>,
    pub talks: Vec<Link>,
}

/// An event in the `/events/` lists.
#[derive(Serialize)]
pub struct EventCard<'a> {
    pub title: &'a str,
    pub url: String,
    pub dates: String,
    pub start_iso: String,
    pub location: Option<&'a str>,
    pub description: Option<&'a str>,
}

fn time(z: &Zoned) -> TimeView {
    TimeView {
        iso: z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        hm: z.strftime("%H:%M").to_string(),
    }
}

/// `19–23 October 2020`, `30 September – 2 October 2020`, or one day.
fn date_range(e: &EventData) -> String {
    format_range(e.start_date, e.end_date)
}

fn format_range(s: jiff::civil::Date, t: jiff::civil::Date) -> String {
    if s == t {
        s.strftime("%-d %B %Y").to_string()
    } else if (s.year(), s.month()) == (t.year(), t.month()) {
        format!("{}–{}", s.day(), t.strftime("%-d %B %Y"))
    } else if s.year() == t.year() {
        format!("{} – {}", s.strftime("%-d %B"), t.strftime("%-d %B %Y"))
    } else {
        format!("{} – {}", s.strftime("%-d %B %Y"), t.strftime("%-d %B %Y"))
    }
}

/// Anchors: stable for a given time and title, so links to a talk survive reordering.
fn anchor(prefix: &str, start: &Zoned, title: &str) -> String {
    format!(
        "{prefix}-{}-{}",
        start.strftime("%Y%m%dT%H%M"),
        slugify(title)
    )
}

/// Site paths of an event's pages and feeds.
struct Paths<'p> {
    page: &'p Page,
}

impl Paths<'_> {
    fn sub(&self, name: &str) -> String {
        format!("{}{name}/", self.page.path)
    }
    fn feed(&self, suffix: &str) -> String {
        format!("{}{}{suffix}.ics", self.page.path, self.page.slug)
    }
}

impl<'a> Views<'a> {
    /// An event's overview data.
    pub fn event(&self, page: &'a Page, e: &'a EventData, now: &Zoned) -> EventView<'a> {
        let paths = Paths { page };
        let has_timetable = !e.sessions.is_empty();
        let mut feeds = Vec::new();
        if has_timetable {
            feeds.push(self.feed_links("Sessions", &paths.feed("")));
            feeds.push(self.feed_links("Talks", &paths.feed("-talks")));
        }
        EventView {
            dates: date_range(e),
            start_iso: e.start_date.to_string(),
            end_iso: e.end_date.to_string(),
            timezone: &e.timezone_name,
            upcoming: e.ends_at() > *now,
            location: e.location.as_deref(),
            online: e.online.as_deref(),
            organizers: &e.organizers,
            registration: e.registration.as_deref(),
            contact: e.contact.as_deref(),
            tracks: &e.tracks,
            session_count: e.sessions.len(),
            talk_count: e.talks().count(),
            participant_count: e.participants.as_ref().map(Vec::len),
            links: EventLinks {
                overview: self.urls.url(&page.path),
                timetable: has_timetable.then(|| self.urls.url(&paths.sub("timetable"))),
                speakers: has_timetable.then(|| self.urls.url(&paths.sub("speakers"))),
                participants: e
                    .participants
                    .as_ref()
                    .map(|_| self.urls.url(&paths.sub("participants"))),
                feeds,
            },
        }
    }

    fn feed_links(&self, name: &str, path: &str) -> FeedLinks {
        let ics = self.urls.permalink(path);
        FeedLinks {
            name: name.to_string(),
            google: links::google_subscribe(&ics).unwrap_or_default(),
            webcal: links::webcal(&ics).unwrap_or_else(|| ics.clone()),
            ics,
        }
    }

    /// The timetable, one part per day of the event's zone; links in it resolve against
    /// the event page at `page_path`.
    pub fn days(&self, e: &'a EventData, page_path: &str) -> Vec<DayView<'a>> {
        let mut days: Vec<DayView> = Vec::new();
        for s in &e.sessions {
            let date = s.start.date();
            if days.last().is_none_or(|d| d.iso != date.to_string()) {
                days.push(DayView {
                    id: format!("day-{date}"),
                    iso: date.to_string(),
                    label: date.strftime("%A %-d %B %Y").to_string(),
                    zone: s.start.strftime("%Z").to_string(),
                    sessions: Vec::new(),
                });
            }
            if let Some(day) = days.last_mut() {
                day.sessions.push(self.session(s, page_path));
            }
        }
        days
    }

    fn session(&self, s: &'a Session, page_path: &str) -> SessionView<'a> {
        SessionView {
            id: anchor("session", &s.start, &s.title),
            title: &s.title,
            start: time(&s.start),
            end: time(&s.end),
            conveners: &s.conveners,
            room: s.room.as_deref(),
            description: s.description_html.as_deref(),
            talks: s.talks.iter().map(|t| self.talk(t, page_path)).collect(),
        }
    }

    /// Slides may be a file in the bundle (`slides.pdf`), which lives beside the event page.
    fn talk(&self, t: &'a Talk, page_path: &str) -> TalkView<'a> {
        TalkView {
            id: anchor("talk", &t.start, &t.title),
            title: &t.title,
            start: time(&t.start),
            end: time(&t.end),
            minutes: t.minutes(),
            speakers: &t.speakers,
            track: t.track.as_deref(),
            abstract_html: t.abstract_html.as_deref(),
            slides: t.slides.as_deref().map(|s| self.urls.file(s, page_path)),
            recorded: t.recorded,
            is_break: t.is_break,
        }
    }

    /// Every speaker once (same name and affiliation), with their talks, in a reader's order:
    /// case- and accent-insensitive by name.
    pub fn speakers(&self, page: &Page, e: &EventData) -> Vec<SpeakerView> {
        let timetable = self.urls.url(&Paths { page }.sub("timetable"));
        let mut speakers: Vec<SpeakerView> = Vec::new();
        for (_, talk) in e.talks() {
            let link = Link {
                name: talk.title.clone(),
                url: format!("{timetable}#{}", anchor("talk", &talk.start, &talk.title)),
            };
            for p in &talk.speakers {
                match speakers
                    .iter_mut()
                    .find(|s| s.name == p.name && s.affiliation == p.affiliation)
                {
                    Some(s) => s.talks.push(link.clone()),
                    None => speakers.push(SpeakerView {
                        name: p.name.clone(),
                        affiliation: p.affiliation.clone(),
                        talks: vec![link.clone()],
                    }),
                }
            }
        }
        speakers.sort_by_cached_key(|s| (collation_key(&s.name), s.name.clone()));
        speakers
    }

    /// The soonest event of the whole site that is not over yet, for the home page.
    pub fn next_event(&self, now: &Zoned) -> Option<EventCard<'a>> {
        self.site
            .pages
            .iter()
            .filter_map(|p| p.event.as_ref().map(|e| (p, e)))
            .filter(|(_, e)| e.ends_at() > *now)
            .min_by_key(|(p, e)| (e.start_date, &p.content_path))
            .map(|(p, e)| self.event_card(p, e))
    }

    fn event_card(&self, p: &'a Page, e: &'a EventData) -> EventCard<'a> {
        EventCard {
            title: &p.title,
            url: self.urls.url(&p.path),
            dates: date_range(e),
            start_iso: e.start_date.to_string(),
            location: e.location.as_deref(),
            description: p.front.description.as_deref(),
        }
    }

    /// Upcoming (soonest first) and past (latest first) events of a section.
    pub fn event_lists(
        &self,
        section: &Section,
        now: &Zoned,
    ) -> (Vec<EventCard<'a>>, Vec<EventCard<'a>>) {
        let mut events: Vec<(&'a Page, &'a EventData)> = section
            .pages
            .iter()
            .map(|&i| &self.site.pages[i])
            .filter_map(|p| p.event.as_ref().map(|e| (p, e)))
            .collect();
        events.sort_by_key(|(p, e)| (e.start_date, p.content_path.clone()));
        let (upcoming, mut past): (Vec<_>, Vec<_>) =
            events.into_iter().partition(|(_, e)| e.ends_at() > *now);
        past.reverse();
        let card = |(p, e): (&'a Page, &'a EventData)| self.event_card(p, e);
        (
            upcoming.into_iter().map(card).collect(),
            past.into_iter().map(card).collect(),
        )
    }
}

/// Folds case and accents, so "Émilie" sorts with "Emilie" and "de Vries" with "De Vries".
fn collation_key(name: &str) -> String {
    deunicode::deunicode(name).to_lowercase()
}

/// One of an event's own pages besides its overview.
#[derive(Clone, Copy, PartialEq, Eq)]
enum SubPage {
    Timetable,
    Speakers,
    Participants,
}

impl SubPage {
    /// The folder under the event page, its title and its template.
    fn parts(self) -> (&'static str, &'static str, &'static str) {
        match self {
            SubPage::Timetable => ("timetable", "Timetable", "event_timetable.html"),
            SubPage::Speakers => ("speakers", "Speakers", "event_speakers.html"),
            SubPage::Participants => ("participants", "Participants", "event_participants.html"),
        }
    }

    /// Which of them an event has: a timetable and speakers when it has sessions, and a
    /// participants page when it has a list.
    fn of(e: &EventData) -> Vec<SubPage> {
        let mut pages = Vec::new();
        if !e.sessions.is_empty() {
            pages.extend([SubPage::Timetable, SubPage::Speakers]);
        }
        if e.participants.is_some() {
            pages.push(SubPage::Participants);
        }
        pages
    }
}

/// Site paths of every event's sub-pages, for the sitemap.
pub fn sub_page_paths(page: &Page) -> Vec<String> {
    let paths = Paths { page };
    page.event
        .as_ref()
        .map(SubPage::of)
        .unwrap_or_default()
        .into_iter()
        .map(|p| paths.sub(p.parts().0))
        .collect()
}

/// The sub-pages of an event page: timetable, speakers and participants.
pub(super) fn sub_jobs<'v>(
    views: &'v Views<'v>,
    page: &'v Page,
    section: &'v Section,
    now: &'v Zoned,
) -> Vec<Job<'v>> {
    let Some(e) = &page.event else {
        return Vec::new();
    };
    let paths = Paths { page };
    SubPage::of(e)
        .into_iter()
        .map(|sub| {
            let (name, label, template) = sub.parts();
            let path = paths.sub(name);
            let deps = Deps::default().page(views.site, page);
            Job::new(
                format!("{path}index.html"),
                template,
                &page.source,
                deps,
                move || {
                    let mut context = context_with_meta(views.meta(
                        &format!("{label} · {}", page.title),
                        page.front.description.as_deref(),
                        &path,
                        "website",
                        None,
                    ));
                    context = insert(context, "page", &views.page(page, false));
                    context = insert(context, "section", &views.section(section));
                    context = insert(context, "event", &views.event(page, e, now));
                    match sub {
                        SubPage::Timetable => insert(context, "days", &views.days(e, &page.path)),
                        SubPage::Speakers => insert(context, "speakers", &views.speakers(page, e)),
                        SubPage::Participants => insert(context, "participants", &e.participants),
                    }
                },
            )
            .owned_by(page)
        })
        .collect()
}

/// Every session of every event, for the site-wide `/calendar.ics` (SPEC §5).
pub fn session_events(views: &Views) -> Vec<calendar::Event> {
    views
        .site
        .pages
        .iter()
        .filter_map(|page| page.event.as_ref().map(|event| (page, event)))
        .flat_map(|(page, event)| EventFeeds { views, page, event }.sessions())
        .collect()
}

/// Writes every event's two feeds.
pub fn render_feeds(views: &Views, now: &Zoned, output: &mut Output) {
    let refresh = views
        .site
        .config
        .calendar
        .refresh_interval()
        .unwrap_or(jiff::SignedDuration::from_hours(6));
    for page in &views.site.pages {
        let Some(e) = page.event.as_ref().filter(|e| !e.sessions.is_empty()) else {
            continue;
        };
        let paths = Paths { page };
        let feeds = EventFeeds {
            views,
            page,
            event: e,
        };
        for (suffix, name, events) in [
            ("", page.title.clone(), feeds.sessions()),
            ("-talks", format!("{} — talks", page.title), feeds.talks()),
        ] {
            let path = paths.feed(suffix);
            let feed = Feed {
                name,
                description: page.front.description.clone(),
                url: Some(views.urls.permalink(&path)),
                refresh_interval: refresh,
                published_ttl: refresh,
                events: events.into_iter().map(std::sync::Arc::new).collect(),
            };
            output.add_bytes(
                path,
                calendar::write_feed(&feed, now.timestamp()).into_bytes(),
            );
        }
    }
}

/// Builds the VEVENTs of one workshop.
struct EventFeeds<'a> {
    views: &'a Views<'a>,
    page: &'a Page,
    event: &'a EventData,
}

impl EventFeeds<'_> {
    /// The workshop's UID, from its content path and the site: stable across rebuilds and
    /// edits, unique across hubs.
    fn workshop_uid(&self) -> String {
        self.uid_of(self.page.content_path.trim_end_matches("/index.md"))
    }

    /// The UID of the workshop's `kind` (session or talk) with timetable id `id`: neither
    /// time nor title, so moving or renaming one updates subscribers' copies.
    fn uid(&self, kind: &str, id: &str) -> String {
        let dir = self.page.content_path.trim_end_matches("/index.md");
        self.uid_of(&format!("{dir}/{kind}-{id}"))
    }

    fn uid_of(&self, local: &str) -> String {
        let config = &self.views.site.config;
        calendar::hub_uid(config.host(), config.base_path(), local)
    }

    /// `text` with the meeting link first, when the workshop is online: most clients show
    /// only the description, not `CONFERENCE`.
    fn with_join_line(&self, text: String) -> String {
        let Some(url) = &self.event.online else {
            return text;
        };
        let join = calendar::join_line(url, None);
        if text.is_empty() {
            join
        } else {
            format!("{join}\n\n{text}")
        }
    }

    fn base(
        &self,
        uid: String,
        title: &str,
        start: &Zoned,
        end: &Zoned,
        anchor_id: &str,
    ) -> calendar::Event {
        let mut ev = calendar::Event::new(
            uid,
            title,
            EventTime::Zoned(start.clone()),
            EventTime::Zoned(end.clone()),
        );
        let timetable = format!("{}timetable/", self.page.path);
        ev.url = Some(format!(
            "{}#{anchor_id}",
            self.views.urls.permalink(&timetable)
        ));
        ev.location = self.event.location.clone().or_else(|| {
            let online = self.event.online.as_ref();
            online.map(|_| calendar::online_location(None))
        });
        ev.conference = self
            .event
            .online
            .clone()
            .map(|url| Conference { url, label: None });
        ev.related_to = Some(self.workshop_uid());
        ev.categories = vec![self.page.title.clone()];
        ev
    }

    /// One VEVENT per session; its programme in the description.
    fn sessions(&self) -> Vec<calendar::Event> {
        self.event
            .sessions
            .iter()
            .map(|s| {
                let id = anchor("session", &s.start, &s.title);
                let mut ev = self.base(self.uid("session", &s.id), &s.title, &s.start, &s.end, &id);
                if let Some(room) = &s.room {
                    ev.location = Some(room.clone());
                }
                ev.description = self.with_join_line(session_description(s));
                ev
            })
            .collect()
    }

    /// One VEVENT per talk (breaks are not talks).
    fn talks(&self) -> Vec<calendar::Event> {
        self.event
            .talks()
            .map(|(s, t)| {
                let id = anchor("talk", &t.start, &t.title);
                let mut ev = self.base(self.uid("talk", &t.id), &t.title, &t.start, &t.end, &id);
                if let Some(room) = &s.room {
                    ev.location = Some(room.clone());
                }
                let mut text = format!("{}\nSession: {}", people(&t.speakers), s.title);
                if let Some(a) = &t.abstract_md {
                    text.push_str("\n\n");
                    text.push_str(a.trim());
                }
                ev.description = self.with_join_line(text.trim().to_string());
                ev
            })
            .collect()
    }
}

/// `10:15 CERN Knowledge Transfer — Han Hubert Dols (CERN)`, a line per talk.
fn session_description(s: &Session) -> String {
    let mut lines: Vec<String> = Vec::new();
    if !s.conveners.is_empty() {
        lines.push(format!("Conveners: {}", people(&s.conveners)));
    }
    for t in &s.talks {
        let who = people(&t.speakers);
        let mut line = format!("{} {}", t.start.strftime("%H:%M"), t.title);
        if !who.is_empty() {
            line.push_str(" — ");
            line.push_str(&who);
        }
        lines.push(line);
    }
    lines.join("\n")
}

fn people(people: &[Person]) -> String {
    people
        .iter()
        .map(|p| match &p.affiliation {
            Some(a) => format!("{} ({a})", p.name),
            None => p.name.clone(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn date_ranges_say_each_part_once() {
        let range = |a, b| format_range(a, b);
        assert_eq!(
            range(date(2020, 10, 19), date(2020, 10, 23)),
            "19–23 October 2020"
        );
        assert_eq!(
            range(date(2020, 9, 30), date(2020, 10, 2)),
            "30 September – 2 October 2020"
        );
        assert_eq!(
            range(date(2020, 12, 30), date(2021, 1, 2)),
            "30 December 2020 – 2 January 2021"
        );
        assert_eq!(
            range(date(2020, 10, 19), date(2020, 10, 19)),
            "19 October 2020"
        );
    }

    #[test]
    fn names_fold_case_and_accents_for_sorting() {
        let mut names = vec!["Émilie", "bob", "Alan", "Zoë", "émile"];
        names.sort_by_key(|n| collation_key(n));
        assert_eq!(names, ["Alan", "bob", "émile", "Émilie", "Zoë"]);
    }
}
