//! Events: workshops and schools (SPEC §3.3), typed from a page bundle of a `kind = "events"`
//! section.
//!
//! Owns reading an event's front matter fields (`start_date`, `timezone`, `organizers`, …),
//! its `timetable.toml` and its `participants.csv` into [`EventData`], and every check that
//! makes a broken timetable an error with file and line instead of a silently wrong page:
//! talks outside their session, overlapping talks, sessions outside the event's dates,
//! unknown tracks and bad times. Times are resolved in the event's own zone here, once, so
//! pages and feeds never disagree about which day a session falls on.

mod participants;
mod timetable;

use std::path::{Path, PathBuf};

use jiff::Zoned;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::front_matter::{locate_key, locate_value};
use crate::markdown::{self, Links, Source};
use crate::time::parse_date;

/// Name of the timetable file in an event's bundle.
pub const TIMETABLE_FILE: &str = "timetable.toml";
/// Name of the participants list in an event's bundle.
pub const PARTICIPANTS_FILE: &str = "participants.csv";

/// Whether `path` is one of the bundle files an event is read from (not an asset to copy).
pub fn is_source_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n == TIMETABLE_FILE || n == PARTICIPANTS_FILE)
}

/// A person as events name them: organisers, conveners, speakers, participants.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "PersonIn")]
pub struct Person {
    pub name: String,
    pub affiliation: Option<String>,
}

/// A person may be written as a bare name or as a table.
#[derive(Deserialize)]
#[serde(untagged)]
enum PersonIn {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        affiliation: Option<String>,
    },
}

impl From<PersonIn> for Person {
    fn from(p: PersonIn) -> Self {
        match p {
            PersonIn::Name(name) => Person {
                name,
                affiliation: None,
            },
            PersonIn::Full { name, affiliation } => Person {
                name,
                affiliation: affiliation.filter(|a| !a.trim().is_empty()),
            },
        }
    }
}

/// A track of contributed talks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Track {
    pub name: String,
    #[serde(default)]
    pub description: Option<String>,
}

/// Everything an event page knows beyond the common page fields.
#[derive(Debug, Clone)]
pub struct EventData {
    pub start_date: Date,
    /// Inclusive last day.
    pub end_date: Date,
    pub timezone: TimeZone,
    /// The IANA name of `timezone`, for feeds and pages.
    pub timezone_name: String,
    pub location: Option<String>,
    /// Meeting URL for remote attendance.
    pub online: Option<String>,
    pub organizers: Vec<Person>,
    pub registration: Option<String>,
    pub contact: Option<String>,
    pub tracks: Vec<Track>,
    /// In time order.
    pub sessions: Vec<Session>,
    /// `None` when the bundle has no `participants.csv`.
    pub participants: Option<Vec<Person>>,
    /// The timetable file, relative to the hub root, for messages about abstracts.
    pub timetable_source: Option<PathBuf>,
}

impl EventData {
    /// The people its timetable names, by role, so member profiles can list their part in
    /// the event (organisers come from the front matter already).
    pub fn people(&self) -> Vec<crate::content::page::PersonRef> {
        use crate::content::page::{PersonRef, Role};
        let named = |p: &Person, role| PersonRef {
            role,
            name: Some(p.name.clone()),
            member: None,
        };
        let conveners = self
            .sessions
            .iter()
            .flat_map(|s| s.conveners.iter().map(move |p| named(p, Role::Convener)));
        let speakers = self
            .sessions
            .iter()
            .flat_map(|s| s.talks.iter())
            .flat_map(|t| t.speakers.iter().map(move |p| named(p, Role::Speaker)));
        conveners.chain(speakers).collect()
    }
}

impl EventData {
    /// The moment the event is over: the end of its last day in its own zone.
    pub fn ends_at(&self) -> Zoned {
        let day_after = self.end_date.tomorrow().unwrap_or(self.end_date);
        day_after
            .to_zoned(self.timezone.clone())
            .unwrap_or_else(|_| jiff::Timestamp::UNIX_EPOCH.to_zoned(self.timezone.clone()))
    }

    /// Every talk that is not a break, with its session, in time order.
    pub fn talks(&self) -> impl Iterator<Item = (&Session, &Talk)> {
        self.sessions
            .iter()
            .flat_map(|s| s.talks.iter().map(move |t| (s, t)))
            .filter(|(_, t)| !t.is_break)
    }
}

/// A session block: one room, one time range, one or more talks.
#[derive(Debug, Clone)]
pub struct Session {
    /// Its identity in calendar feeds: the `id` written, or its position in the file.
    pub id: String,
    pub title: String,
    pub start: Zoned,
    pub end: Zoned,
    pub conveners: Vec<Person>,
    pub room: Option<String>,
    /// Markdown.
    pub description: Option<String>,
    /// `description` rendered, filled in when bodies are rendered.
    pub description_html: Option<String>,
    /// In time order.
    pub talks: Vec<Talk>,
    /// Line of its `[[session]]` header in the timetable, for messages.
    pub line: usize,
}

/// A talk, or a break in the programme.
#[derive(Debug, Clone)]
pub struct Talk {
    /// Its identity in calendar feeds: the `id` written, or its session's and its position.
    pub id: String,
    pub title: String,
    pub start: Zoned,
    pub end: Zoned,
    pub speakers: Vec<Person>,
    pub track: Option<String>,
    /// Markdown as written.
    pub abstract_md: Option<String>,
    /// `abstract_md` rendered, filled in when bodies are rendered.
    pub abstract_html: Option<String>,
    pub slides: Option<String>,
    pub recorded: bool,
    pub is_break: bool,
    /// Line of its `start` in the timetable, for messages.
    pub line: usize,
}

impl Talk {
    /// Length in whole minutes, as timetables show it.
    pub fn minutes(&self) -> i64 {
        self.start.duration_until(&self.end).as_secs() / 60
    }
}

/// The event fields of `index.md`'s front matter; the common page fields are checked elsewhere.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EventFront {
    start_date: Option<String>,
    end_date: Option<String>,
    timezone: Option<String>,
    location: Option<String>,
    online: Option<String>,
    organizers: Vec<Person>,
    registration: Option<String>,
    contact: Option<String>,
    tracks: Vec<Track>,
}

/// Where an event page comes from, for reading its bundle and pointing at its lines.
pub struct EventSource<'a> {
    /// The hub root, to make file names in messages relative.
    pub root: &'a Path,
    /// `index.md` (or `name.md`), relative to the root.
    pub file: &'a Path,
    /// Front matter fields, as parsed.
    pub table: &'a toml::Table,
    /// Raw front matter text, to locate keys; it starts on line 2 of the file.
    pub raw: &'a str,
    /// The bundle folder (absolute), where `timetable.toml` and `participants.csv` live.
    pub bundle: Option<&'a Path>,
    /// Zone used when the page names none.
    pub default_timezone: &'a str,
}

/// Reads an event page's fields and bundle files; every problem is reported.
pub fn load(src: &EventSource) -> Result<EventData, Vec<Diagnostic>> {
    let front = EventFront::deserialize(toml::Value::Table(src.table.clone()))
        .map_err(|e| vec![Diagnostic::at(src.file, Pos::new(2, 1), e.message())])?;
    let mut fields = Fields {
        src,
        errors: Vec::new(),
    };
    let start_date = fields.date("start_date", front.start_date.as_deref());
    if front.start_date.is_none() {
        fields.errors.push(
            Diagnostic::at(src.file, Pos::new(1, 1), "an event needs a `start_date`")
                .with_hint(DATE_HINT),
        );
    }
    let end_date = match front.end_date.as_deref() {
        Some(text) => fields.date("end_date", Some(text)),
        None => start_date,
    };
    if let (Some(s), Some(e)) = (start_date, end_date)
        && e < s
    {
        let message = format!("`end_date` {e} is before `start_date` {s}");
        fields.error("end_date", message, "the end date is the event's last day");
    }
    let timezone_name = front
        .timezone
        .clone()
        .unwrap_or_else(|| src.default_timezone.to_string());
    let timezone = fields.timezone(&timezone_name);
    let (Some(start_date), Some(end_date), Some(timezone)) = (start_date, end_date, timezone)
    else {
        return Err(fields.errors);
    };
    let context = timetable::Context {
        timezone: &timezone,
        start_date,
        end_date,
        tracks: &front.tracks,
    };
    let bundle = read_bundle(src, &context, &mut fields.errors);
    if !fields.errors.is_empty() {
        return Err(fields.errors);
    }
    Ok(EventData {
        start_date,
        end_date,
        timezone,
        timezone_name,
        location: front.location.filter(|s| !s.is_empty()),
        online: front.online.filter(|s| !s.is_empty()),
        organizers: front.organizers,
        registration: front.registration.filter(|s| !s.is_empty()),
        contact: front.contact.filter(|s| !s.is_empty()),
        tracks: front.tracks,
        sessions: bundle.sessions,
        participants: bundle.participants,
        timetable_source: bundle.timetable_source,
    })
}

const DATE_HINT: &str = "write dates like `start_date = 2020-10-19`";

/// Collects problems with front matter fields, each at its field's line.
struct Fields<'s, 'a> {
    src: &'s EventSource<'a>,
    errors: Vec<Diagnostic>,
}

impl Fields<'_, '_> {
    fn error(&mut self, key: &str, message: String, hint: &str) {
        self.error_at(locate_key(self.src.raw, None, key), message, hint);
    }

    fn error_at(&mut self, pos: Pos, message: String, hint: &str) {
        self.errors
            .push(Diagnostic::at(self.src.file, pos.shifted(1), message).with_hint(hint));
    }

    /// A date field; a bad one is reported and read as absent.
    fn date(&mut self, key: &str, text: Option<&str>) -> Option<Date> {
        parse_date(text?)
            .map_err(|e| {
                let pos = locate_value(self.src.raw, None, key);
                self.error_at(pos, format!("invalid `{key}`: {e}"), DATE_HINT);
            })
            .ok()
    }

    fn timezone(&mut self, name: &str) -> Option<TimeZone> {
        TimeZone::get(name)
            .map_err(|_| {
                let message = format!("unknown time zone `{name}`");
                self.error(
                    "timezone",
                    message,
                    "use an IANA name such as `Europe/Zurich`",
                );
            })
            .ok()
    }
}

/// What an event's bundle files hold.
struct Bundle {
    sessions: Vec<Session>,
    participants: Option<Vec<Person>>,
    timetable_source: Option<PathBuf>,
}

/// Reads `timetable.toml` and `participants.csv` when the bundle has them.
fn read_bundle(
    src: &EventSource,
    context: &timetable::Context,
    errors: &mut Vec<Diagnostic>,
) -> Bundle {
    let file = |name: &str| src.bundle.map(|b| b.join(name)).filter(|p| p.is_file());
    let timetable_path = file(TIMETABLE_FILE);
    let sessions = timetable_path.as_ref().map_or_else(Vec::new, |p| {
        timetable::load(src.root, p, context).unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        })
    });
    let participants = file(PARTICIPANTS_FILE).map(|p| {
        participants::load(src.root, &p).unwrap_or_else(|e| {
            errors.push(e);
            Vec::new()
        })
    });
    Bundle {
        sessions,
        participants,
        timetable_source: timetable_path.map(|p| crate::diagnostics::relative(src.root, &p)),
    }
}

/// Renders every session description and talk abstract once, with the site's Markdown
/// settings and link checks, so templates only insert HTML and broken links are errors.
pub fn render_abstracts(site: &mut Site) -> Result<(), Diagnostics> {
    let Site {
        pages,
        config,
        links,
        ..
    } = site;
    let links = Links {
        pages: links,
        base_path: config.base_path(),
    };
    let mut errors = Diagnostics::default();
    for event in pages.iter_mut().filter_map(|p| p.event.as_mut()) {
        let file = event.timetable_source.clone().unwrap_or_default();
        let mut render = |text: &Option<String>, line: usize| {
            let text = text.as_deref()?;
            let source = Source {
                file: &file,
                line_offset: line,
            };
            markdown::render(text, &config.markdown, &links, &source)
                .map_err(|e| errors.extend(e))
                .ok()
                .map(|r| r.html)
        };
        for session in &mut event.sessions {
            session.description_html = render(&session.description, session.line);
            for talk in &mut session.talks {
                talk.abstract_html = render(&talk.abstract_md, talk.line);
            }
        }
    }
    errors.into_result()
}
