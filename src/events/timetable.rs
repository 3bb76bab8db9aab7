//! `timetable.toml`: sessions and their talks (SPEC §3.3), with the checks that need
//! positions. The file is deserialized with `toml::Spanned` values so every error can name
//! the line of the field at fault.

use std::collections::hash_map::Entry;
use std::path::Path;

use jiff::Zoned;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use rustc_hash::FxHashMap;
use serde::Deserialize;
use toml::Spanned;

use super::{Person, Session, Talk, Track};
use crate::diagnostics::{Diagnostic, Pos, relative, suggest};
use crate::front_matter::toml_error_pos;
use crate::safe_url::{Accepts, refusal};
use crate::time::{When, parse_duration, parse_time, parse_when};

/// What the timetable is checked against, from `index.md`.
pub struct Context<'a> {
    pub timezone: &'a TimeZone,
    pub start_date: Date,
    pub end_date: Date,
    pub tracks: &'a [Track],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    session: Vec<SessionIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SessionIn {
    id: Option<Spanned<String>>,
    title: Spanned<String>,
    start: Spanned<toml::Value>,
    end: Spanned<toml::Value>,
    #[serde(default)]
    conveners: Vec<Person>,
    room: Option<String>,
    description: Option<String>,
    #[serde(default)]
    talk: Vec<TalkIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TalkIn {
    id: Option<Spanned<String>>,
    start: Spanned<toml::Value>,
    duration: Option<Spanned<String>>,
    end: Option<Spanned<toml::Value>>,
    title: Spanned<String>,
    #[serde(default)]
    speakers: Vec<Person>,
    track: Option<Spanned<String>>,
    #[serde(rename = "abstract")]
    abstract_md: Option<String>,
    slides: Option<Spanned<String>>,
    #[serde(default)]
    recorded: bool,
    kind: Option<Spanned<String>>,
}

/// Reads and checks the timetable at `path`; sessions and talks come back in time order.
pub fn load(root: &Path, path: &Path, cx: &Context) -> Result<Vec<Session>, Vec<Diagnostic>> {
    let file = relative(root, path);
    let text = std::fs::read_to_string(path)
        .map_err(|e| vec![Diagnostic::file(&file, format!("cannot read: {e}"))])?;
    let parsed: File = toml::from_str(&text).map_err(|e| {
        vec![
            Diagnostic::at(&file, toml_error_pos(&text, &e), e.message().to_string())
                .with_hint("see docs/events.md for the timetable format"),
        ]
    })?;
    let checker = Checker {
        file: &file,
        text: &text,
        cx,
    };
    let mut errors = Vec::new();
    let ids = checker.ids(&parsed.session, &mut errors);
    let mut sessions: Vec<Session> = parsed
        .session
        .into_iter()
        .zip(ids)
        .filter_map(|(s, ids)| checker.session(s, ids, &mut errors))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    sessions.sort_by(|a, b| a.start.cmp(&b.start).then(a.end.cmp(&b.end)));
    Ok(sessions)
}

/// A session's feed id and its entries', in file order.
type SessionIds = (String, Vec<String>);

/// The ids given so far, by kind and id, with the line each was given on.
struct Ids<'a> {
    seen: FxHashMap<(String, String), usize>,
    errors: &'a mut Vec<Diagnostic>,
}

const ID_HINT: &str = "give one of them another `id`; without one, a session is known by its \
     position in this file (1, 2, …) and a talk by its session's and its own (`1.2`)";

/// Turns parsed sessions into checked ones, collecting every problem.
struct Checker<'a> {
    file: &'a Path,
    text: &'a str,
    cx: &'a Context<'a>,
}

impl Checker<'_> {
    fn pos<T>(&self, v: &Spanned<T>) -> Pos {
        Pos::of_offset(self.text, v.span().start)
    }

    fn error<T>(&self, at: &Spanned<T>, message: String, hint: &str) -> Diagnostic {
        Diagnostic::at(self.file, self.pos(at), message).with_hint(hint)
    }

    /// The feed identity of every session and of its talks, in file order: the `id`
    /// written, or the position (`2` for the second session, `2.3` for its third entry), so
    /// renaming or moving one keeps its calendar UID. Two alike are an error: calendar
    /// clients would show only one of the two events.
    fn ids(&self, sessions: &[SessionIn], errors: &mut Vec<Diagnostic>) -> Vec<SessionIds> {
        let mut ids = Ids {
            seen: FxHashMap::default(),
            errors,
        };
        sessions
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let position = (i + 1).to_string();
                let session = self.id("session", s.id.as_ref(), &s.title, position, &mut ids);
                let talks = (s.talk.iter().enumerate())
                    .map(|(j, t)| {
                        let position = format!("{session}.{}", j + 1);
                        self.id("talk", t.id.as_ref(), &t.title, position, &mut ids)
                    })
                    .collect();
                (session, talks)
            })
            .collect()
    }

    /// The id written, checked, or else `position`; an error when another `kind` has it.
    fn id(
        &self,
        kind: &str,
        written: Option<&Spanned<String>>,
        title: &Spanned<String>,
        position: String,
        ids: &mut Ids,
    ) -> String {
        let (id, at) = match written {
            Some(w) => (w.get_ref().trim().to_string(), self.pos(w)),
            None => (position, self.pos(title)),
        };
        if let Some(w) = written.filter(|_| id.is_empty() || id.contains(char::is_whitespace)) {
            ids.errors.push(self.error(
                w,
                format!("{kind} id `{}` is empty or has spaces", w.get_ref()),
                "an id is one word, e.g. `id = \"opening\"`",
            ));
        }
        match ids.seen.entry((kind.to_string(), id.clone())) {
            Entry::Occupied(first) => ids.errors.push(
                Diagnostic::at(
                    self.file,
                    at,
                    format!(
                        "{kind} “{}” has the id `{id}` of the {kind} at line {}",
                        title.get_ref(),
                        first.get()
                    ),
                )
                .with_hint(ID_HINT),
            ),
            Entry::Vacant(slot) => {
                slot.insert(at.line);
            }
        }
        id
    }

    fn session(
        &self,
        s: SessionIn,
        (id, talk_ids): SessionIds,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Session> {
        let start = self.datetime(&s.start, None).map_err(|e| errors.push(e));
        let end = self.datetime(&s.end, None).map_err(|e| errors.push(e));
        let (start, end) = (start.ok()?, end.ok()?);
        if end <= start {
            errors.push(self.error(
                &s.end,
                format!("session “{}” ends before it starts", s.title.get_ref()),
                "`end` is the session's end time, after `start`",
            ));
            return None;
        }
        let (first, last) = (self.cx.start_date, self.cx.end_date);
        if start.date() < first || end.date() > last {
            errors.push(self.error(
                &s.start,
                format!(
                    "session “{}” on {} is outside the event's dates ({first} to {last})",
                    s.title.get_ref(),
                    start.date()
                ),
                "fix the session's date, or the event's `start_date`/`end_date` in index.md",
            ));
        }
        let line = self.pos(&s.title).line;
        let title = s.title.into_inner();
        let mut talks: Vec<Talk> = s
            .talk
            .into_iter()
            .zip(talk_ids)
            .filter_map(|(t, id)| self.talk(t, id, &start, errors))
            .collect();
        talks.sort_by(|a, b| a.start.cmp(&b.start));
        self.check_talks(&title, &start, &end, &talks, errors);
        Some(Session {
            id,
            line,
            title,
            start,
            end,
            conveners: s.conveners,
            room: s.room.filter(|r| !r.is_empty()),
            description: s.description.filter(|d| !d.trim().is_empty()),
            description_html: None,
            talks,
        })
    }

    fn talk(
        &self,
        t: TalkIn,
        id: String,
        session_start: &Zoned,
        errors: &mut Vec<Diagnostic>,
    ) -> Option<Talk> {
        let start = self
            .datetime(&t.start, Some(session_start.date()))
            .map_err(|e| errors.push(e))
            .ok()?;
        let end = self.talk_end(&t, &start).map_err(|e| errors.push(e)).ok()?;
        let is_break = match &t.kind {
            None => false,
            Some(k) if k.get_ref() == "break" => true,
            Some(k) => {
                errors.push(self.error(
                    k,
                    format!("unknown talk kind `{}`", k.get_ref()),
                    "the only kind is `kind = \"break\"`; leave it out for a talk",
                ));
                false
            }
        };
        if let Some(track) = &t.track {
            self.check_track(track, errors);
        }
        let slides = t.slides.filter(|s| !s.get_ref().trim().is_empty());
        if let Some(s) = &slides
            && let Some(r) = refusal(s.get_ref(), Accepts::File)
        {
            errors.push(r.at(self.file, self.pos(s), "slides"));
        }
        Some(Talk {
            id,
            line: self.pos(&t.start).line,
            title: t.title.into_inner(),
            start,
            end,
            speakers: t.speakers,
            track: t.track.map(Spanned::into_inner),
            abstract_md: t.abstract_md.filter(|a| !a.trim().is_empty()),
            abstract_html: None,
            slides: slides.map(Spanned::into_inner),
            recorded: t.recorded,
            is_break,
        })
    }

    /// A talk ends after its `duration`, or at its `end`; one of them is required.
    fn talk_end(&self, t: &TalkIn, start: &Zoned) -> Result<Zoned, Diagnostic> {
        let hint = "give the talk `duration = \"20m\"` (or an `end` time)";
        let end = match (&t.duration, &t.end) {
            (Some(d), _) => {
                let length = parse_duration(d.get_ref()).map_err(|e| self.error(d, e, hint))?;
                start
                    .checked_add(length)
                    .map_err(|e| self.error(d, e.to_string(), hint))?
            }
            (None, Some(e)) => self.datetime(e, Some(start.date()))?,
            (None, None) => {
                return Err(self.error(
                    &t.start,
                    format!("talk “{}” has no `duration`", t.title.get_ref()),
                    hint,
                ));
            }
        };
        if end <= *start {
            return Err(self.error(
                &t.start,
                format!("talk “{}” ends before it starts", t.title.get_ref()),
                hint,
            ));
        }
        Ok(end)
    }

    /// Talks must lie inside their session and must not overlap (they are in one room).
    fn check_talks(
        &self,
        session: &str,
        start: &Zoned,
        end: &Zoned,
        talks: &[Talk],
        errors: &mut Vec<Diagnostic>,
    ) {
        let at = |t: &Talk| Pos::new(t.line, 0);
        for t in talks {
            if t.start < *start || t.end > *end {
                errors.push(
                    Diagnostic::at(
                        self.file,
                        at(t),
                        format!(
                            "talk “{}” ({}–{}) is outside its session “{session}” ({}–{})",
                            t.title,
                            hm(&t.start),
                            hm(&t.end),
                            hm(start),
                            hm(end)
                        ),
                    )
                    .with_hint("move the talk, or widen the session's `start`/`end`"),
                );
            }
        }
        for pair in talks.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if b.start < a.end {
                errors.push(
                    Diagnostic::at(
                        self.file,
                        at(b),
                        format!(
                            "talk “{}” at {} overlaps “{}” ({}–{}) in session “{session}”",
                            b.title,
                            hm(&b.start),
                            a.title,
                            hm(&a.start),
                            hm(&a.end)
                        ),
                    )
                    .with_hint("talks of one session share a room: shorten one or move it"),
                );
            }
        }
    }

    fn check_track(&self, track: &Spanned<String>, errors: &mut Vec<Diagnostic>) {
        let names = self.cx.tracks.iter().map(|t| t.name.as_str());
        if names.clone().any(|n| n == track.get_ref()) {
            return;
        }
        let message = match suggest(track.get_ref(), names) {
            Some(s) => format!("unknown track `{}`, did you mean `{s}`?", track.get_ref()),
            None => format!("unknown track `{}`", track.get_ref()),
        };
        errors.push(self.error(
            track,
            message,
            "tracks are declared in index.md as `tracks = [{ name = \"…\" }]`",
        ));
    }

    /// A full date-time, or (when `day` is given) a bare `HH:MM` on that day; in the event's
    /// zone. Quoted strings and TOML's own date-times (`start = 2020-10-20T10:00:00`) both work.
    fn datetime(&self, v: &Spanned<toml::Value>, day: Option<Date>) -> Result<Zoned, Diagnostic> {
        let hint = "write times as `2020-10-20 10:00`, or `10:15` for a talk on its session's day";
        let written = match v.get_ref() {
            toml::Value::String(s) => s.clone(),
            toml::Value::Datetime(d) => d.to_string(),
            other => {
                return Err(self.error(
                    v,
                    format!("expected a date-time, found {}", other.type_str()),
                    hint,
                ));
            }
        };
        let text = written.trim();
        let when = match day {
            Some(d) if !text.contains('-') => parse_time(text)
                .map(|t| When::Local(DateTime::from_parts(d, t)))
                .map_err(|e| format!("invalid time \"{text}\": {e}")),
            _ => parse_when(text),
        }
        .map_err(|e| self.error(v, e, hint))?;
        match when {
            When::Date(_) => Err(self.error(v, format!("\"{text}\" has no time of day"), hint)),
            w => Ok(w.in_zone(self.cx.timezone)),
        }
    }
}

/// `10:15`, for messages.
fn hm(z: &Zoned) -> String {
    z.strftime("%H:%M").to_string()
}
