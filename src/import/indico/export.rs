//! Indico exports, either form, read into one [`Export`] model.
//!
//! - `/export/event/ID.json?detail=sessions`: `results[0]` is the event, its `sessions` are
//!   session *blocks* (listed session by session) with their `contributions`. Breaks are not
//!   in this form. With `detail=contributions` there are no blocks, only `contributions`
//!   naming their session.
//! - `/export/timetable/ID.json`: `results` → event id → day → entries keyed `s…`/`c…`/`b…`,
//!   sessions nesting their talks and breaks under `entries`.
//!
//! Both are reduced to the same model, ordered by time, so the writer produces the same
//! timetable from either (except the breaks). The two forms differ in ways that matter:
//! the timetable form's durations are floats (`15.0`) and its `room` is the room's full
//! name (the event form's is `roomFullname`); the event form's dates are in the zone the
//! export was asked for, not the event's; and Indico's durations drop whole days, so an
//! entry's length comes from its `endDate` when it has one. Every error names the JSON path
//! at fault, because a hand-edited or truncated export is the usual way this goes wrong.

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use serde_json::Value;

use crate::events::Person;
use crate::time::{parse_date, parse_time};

/// Which export form a file was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Event,
    Timetable,
}

/// An imported event, times as wall-clock times in `timezone`.
#[derive(Debug, Clone)]
pub struct Export {
    pub form: Form,
    /// Only the event form carries the event's own metadata.
    pub title: Option<String>,
    /// HTML.
    pub description: String,
    pub timezone: String,
    pub start: DateTime,
    pub end: DateTime,
    pub location: String,
    pub chairs: Vec<Person>,
    pub url: String,
    /// In time order.
    pub blocks: Vec<Block>,
}

impl Export {
    /// Moves every time to the wall clock of `timezone`: the timetable form is in the zone
    /// of whoever saved it, which need not be the event's.
    pub fn move_to(&mut self, timezone: &str) -> Result<(), String> {
        let to = TimeZone::get(timezone).map_err(|_| {
            format!("timezone {timezone:?} is not an IANA time zone name such as \"Europe/Zurich\"")
        })?;
        let from = TimeZone::get(&self.timezone).map_err(|e| e.to_string())?;
        let shift = |t: &mut DateTime| -> Result<(), String> {
            *t = t
                .to_zoned(from.clone())
                .map_err(|e| e.to_string())?
                .with_time_zone(to.clone())
                .datetime();
            Ok(())
        };
        shift(&mut self.start)?;
        shift(&mut self.end)?;
        for block in &mut self.blocks {
            shift(&mut block.start)?;
            shift(&mut block.end)?;
            for entry in &mut block.entries {
                shift(&mut entry.start)?;
            }
        }
        self.timezone = timezone.to_string();
        Ok(())
    }
}

/// A session block.
#[derive(Debug, Clone)]
pub struct Block {
    pub title: String,
    pub start: DateTime,
    pub end: DateTime,
    pub conveners: Vec<Person>,
    pub room: String,
    pub description: String,
    /// An Indico poster session: its contributions run side by side, not one after another.
    pub posters: bool,
    /// In time order.
    pub entries: Vec<Entry>,
}

/// A contribution or a break inside a block.
#[derive(Debug, Clone)]
pub struct Entry {
    pub title: String,
    pub start: DateTime,
    pub minutes: i64,
    pub speakers: Vec<Person>,
    pub track: Option<String>,
    pub description: String,
    pub is_break: bool,
}

impl Entry {
    /// When it ends; `minutes` is checked to be a sane length when read.
    fn end(&self) -> DateTime {
        self.start
            .checked_add(jiff::SignedDuration::from_mins(self.minutes))
            .unwrap_or(self.start)
    }
}

/// The longest entry an export may hold: a week, in minutes.
const MAX_MINUTES: i64 = 7 * 24 * 60;

/// Honorifics Indico puts in front of a person's `name`; the first names never start so.
const HONORIFICS: &[&str] = &[
    "Dr",
    "Dr.",
    "Mr",
    "Mr.",
    "Mrs",
    "Mrs.",
    "Ms",
    "Ms.",
    "Miss",
    "Prof",
    "Prof.",
    "Professor",
];

/// Parses an export of either form; the error names the JSON path at fault.
pub fn parse(json: &str) -> Result<Export, String> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| format!("not a JSON document: {e}"))?;
    let root = Node {
        value: &value,
        path: String::new(),
    };
    let results = root.get("results")?;
    let mut export = match results.value {
        Value::Array(_) => event_form(&results.index(0)?)?,
        Value::Object(_) => timetable_form(&results)?,
        _ => {
            return Err(results.expected("an array (event export) or an object (timetable export)"));
        }
    };
    // Parallel blocks of one session differ only by room; sorting on it too keeps the
    // output the same whichever order the export listed them in.
    export.blocks.sort_by(|a, b| {
        (a.start, a.end, &a.title, &a.room).cmp(&(b.start, b.end, &b.title, &b.room))
    });
    for block in &mut export.blocks {
        block
            .entries
            .sort_by(|a, b| (a.start, &a.title).cmp(&(b.start, &b.title)));
    }
    Ok(export)
}

/// A JSON value and where it is, for messages.
struct Node<'a> {
    value: &'a Value,
    path: String,
}

impl<'a> Node<'a> {
    fn child(&self, key: &str, value: &'a Value) -> Node<'a> {
        let path = if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        };
        Node { value, path }
    }

    fn expected(&self, what: &str) -> String {
        let path = if self.path.is_empty() {
            "(top level)"
        } else {
            &self.path
        };
        format!("{path}: expected {what}")
    }

    /// A required member.
    fn get(&self, key: &str) -> Result<Node<'a>, String> {
        match self.value.get(key) {
            Some(v) => Ok(self.child(key, v)),
            None if self.value.is_object() => {
                Err(self.child(key, &Value::Null).expected("a value"))
            }
            None => Err(self.expected("an object")),
        }
    }

    /// An optional member; `null` counts as absent.
    fn opt(&self, key: &str) -> Option<Node<'a>> {
        self.value
            .get(key)
            .filter(|v| !v.is_null())
            .map(|v| self.child(key, v))
    }

    fn index(&self, i: usize) -> Result<Node<'a>, String> {
        let items = self.array()?;
        items
            .into_iter()
            .nth(i)
            .ok_or_else(|| self.expected(&format!("at least {} item(s)", i + 1)))
    }

    fn array(&self) -> Result<Vec<Node<'a>>, String> {
        let items = self
            .value
            .as_array()
            .ok_or_else(|| self.expected("an array"))?;
        Ok(items
            .iter()
            .enumerate()
            .map(|(i, v)| Node {
                value: v,
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    /// An object's members, sorted by key.
    fn members(&self) -> Result<Vec<(&'a str, Node<'a>)>, String> {
        let map = self
            .value
            .as_object()
            .ok_or_else(|| self.expected("an object"))?;
        let mut members: Vec<_> = map
            .iter()
            .map(|(k, v)| (k.as_str(), self.child(k, v)))
            .collect();
        members.sort_by_key(|(k, _)| *k);
        Ok(members)
    }

    fn str(&self) -> Result<&'a str, String> {
        self.value.as_str().ok_or_else(|| self.expected("a string"))
    }

    /// An optional string member, trimmed; absent or `null` is empty.
    fn text(&self, key: &str) -> Result<String, String> {
        self.opt(key)
            .map_or(Ok(""), |n| n.str())
            .map(|s| s.trim().to_string())
    }

    /// A whole number, also written as a float (`15.0`, as Python's `/` gives) or a string.
    fn int(&self) -> Option<i64> {
        let whole = |f: f64| (f.fract() == 0.0 && f.abs() < 1e15).then_some(f as i64);
        match self.value {
            Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(whole)),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// A length in whole minutes, more than zero and at most a week.
    fn minutes(&self) -> Result<i64, String> {
        self.int()
            .filter(|m| (1..=MAX_MINUTES).contains(m))
            .ok_or_else(|| self.expected("a duration in whole minutes (1 to 10080)"))
    }

    /// How long an entry starting at `start` lasts: up to its `endDate` when it has one,
    /// because Indico's `duration` counts only the part of a day (a 25-hour entry says 60).
    fn length(&self, start: DateTime, zone: &TimeZone) -> Result<i64, String> {
        let Some(end_node) = self.opt("endDate") else {
            return self.get("duration")?.minutes();
        };
        let end = end_node.when(zone)?;
        let minutes = start.duration_until(end).as_mins();
        if (1..=MAX_MINUTES).contains(&minutes) {
            Ok(minutes)
        } else {
            Err(end_node.expected("a time after startDate, at most a week later"))
        }
    }

    /// The items of an optional array member; absent or `null` is none.
    fn items(&self, key: &str) -> Result<Vec<Node<'a>>, String> {
        self.opt(key).map_or(Ok(Vec::new()), |list| list.array())
    }

    /// Whether the member `key` is `true`.
    fn flag(&self, key: &str) -> bool {
        self.value.get(key).and_then(Value::as_bool) == Some(true)
    }

    /// The first of `keys` with some text, or empty.
    fn first_text(&self, keys: &[&str]) -> Result<String, String> {
        for key in keys {
            let text = self.text(key)?;
            if !text.is_empty() {
                return Ok(text);
            }
        }
        Ok(String::new())
    }

    /// The room's full name: the event form's `room` is a short code (`40-S2-A01`), its
    /// `roomFullname` what the timetable form calls `room`.
    fn room(&self) -> Result<String, String> {
        self.first_text(&["roomFullname", "room"])
    }

    /// An Indico `{date, time, tz}`, as wall-clock time in `zone`.
    fn when(&self, zone: &TimeZone) -> Result<DateTime, String> {
        let date_node = self.get("date")?;
        let time_node = self.get("time")?;
        let date =
            parse_date(date_node.str()?).map_err(|_| date_node.expected("\"YYYY-MM-DD\""))?;
        let time = time_node
            .str()
            .ok()
            .filter(|t| t.len() == 8)
            .and_then(|t| parse_time(t).ok())
            .ok_or_else(|| time_node.expected("\"HH:MM:SS\""))?;
        let local = DateTime::from_parts(date, time);
        let Some(tz_node) = self.opt("tz") else {
            return Ok(local);
        };
        let tz = TimeZone::get(tz_node.str()?)
            .map_err(|_| tz_node.expected("an IANA time zone name"))?;
        local
            .to_zoned(tz)
            .map(|z| z.with_time_zone(zone.clone()).datetime())
            .map_err(|e| format!("{}: {e}", self.path))
    }

    /// A person from `name_key` (a full name, honorific removed) and `affiliation`; when
    /// the full name is missing, from the first and last names that both forms also carry.
    fn person(&self, name_key: &str) -> Result<Person, String> {
        let mut name = self.text(name_key)?;
        if name.is_empty() {
            let first = self.first_text(&["first_name", "firstName"])?;
            let last = self.first_text(&["last_name", "familyName"])?;
            name = format!("{first} {last}").trim().to_string();
        }
        if name.is_empty() {
            return Err(self
                .child(name_key, &Value::Null)
                .expected("a name (or first and last names)"));
        }
        let name = strip_honorific(&name);
        let affiliation = self.text("affiliation")?;
        Ok(Person {
            name,
            affiliation: (!affiliation.is_empty()).then_some(affiliation),
        })
    }

    fn people(&self, key: &str, name_key: &str) -> Result<Vec<Person>, String> {
        self.items(key)?
            .iter()
            .map(|p| p.person(name_key))
            .collect()
    }
}

/// `Dr Pietro Vischia` → `Pietro Vischia`.
pub fn strip_honorific(name: &str) -> String {
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    match name.split_once(' ') {
        Some((first, rest)) if HONORIFICS.contains(&first) => rest.to_string(),
        _ => name,
    }
}

fn zone_of(node: &Node) -> Result<TimeZone, String> {
    TimeZone::get(node.str()?).map_err(|_| node.expected("an IANA time zone name"))
}

/// `results[0]` of `/export/event/ID.json?detail=sessions`.
fn event_form(event: &Node) -> Result<Export, String> {
    let tz_node = event.get("timezone")?;
    let zone = zone_of(&tz_node)?;
    let location = [event.text("location")?, event.room()?]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let mut blocks = Vec::new();
    // A block not (or no longer) in the timetable has no `startDate`.
    for b in event.items("sessions")? {
        if b.opt("startDate").is_some() {
            blocks.push(event_block(&b, &zone)?);
        }
    }
    // With `detail=sessions`, the contributions outside any session; with
    // `detail=contributions` (no `sessions`), all of them. Unscheduled ones (no start) are
    // not in the timetable at all.
    let no_blocks = event.opt("sessions").is_none();
    let mut by_session: Vec<(String, Block)> = Vec::new();
    for c in event.items("contributions")? {
        if c.opt("startDate").is_none() {
            continue;
        }
        let entry = event_contribution(&c, &zone)?;
        let session = c.text("session")?;
        if no_blocks && !session.is_empty() {
            add_to_session(&mut by_session, session, entry, c.room()?);
        } else {
            blocks.push(lone_block(entry, c.room()?));
        }
    }
    blocks.extend(by_session.into_iter().map(|(_, b)| b));
    Ok(Export {
        form: Form::Event,
        title: Some(event.get("title")?.str()?.trim().to_string()),
        description: event.text("description")?,
        timezone: tz_node.str()?.to_string(),
        start: event.get("startDate")?.when(&zone)?,
        end: event.get("endDate")?.when(&zone)?,
        location,
        chairs: event.people("chairs", "fullName")?,
        url: event.text("url")?,
        blocks,
    })
}

fn event_block(b: &Node, zone: &TimeZone) -> Result<Block, String> {
    let mut description = b.text("description")?;
    if description.is_empty()
        && let Some(session) = b.opt("session")
    {
        description = session.text("description")?;
    }
    let mut entries = Vec::new();
    for c in b.items("contributions")? {
        // A block's contributions are scheduled in it; a startless one is stale data.
        if c.opt("startDate").is_some() {
            entries.push(event_contribution(&c, zone)?);
        }
    }
    Ok(Block {
        title: b.get("title")?.str()?.trim().to_string(),
        start: b.get("startDate")?.when(zone)?,
        end: b.get("endDate")?.when(zone)?,
        conveners: b.people("conveners", "fullName")?,
        room: b.room()?,
        description,
        posters: b.opt("session").is_some_and(|s| s.flag("isPoster")),
        entries,
    })
}

fn event_contribution(c: &Node, zone: &TimeZone) -> Result<Entry, String> {
    let track = c.text("track")?;
    let start = c.get("startDate")?.when(zone)?;
    Ok(Entry {
        title: c.get("title")?.str()?.trim().to_string(),
        start,
        minutes: c.length(start, zone)?,
        speakers: c.people("speakers", "fullName")?,
        track: (!track.is_empty()).then_some(track),
        description: c.text("description")?,
        is_break: false,
    })
}

/// `results` of `/export/timetable/ID.json`: one event id, then days, then entries.
fn timetable_form(results: &Node) -> Result<Export, String> {
    let members = results.members()?;
    let [(_, event)] = &members[..] else {
        return Err(results.expected("exactly one event"));
    };
    let mut blocks = Vec::new();
    let mut zone: Option<(String, TimeZone)> = None;
    // A block running past midnight is listed under both days, under the same key.
    let mut seen = std::collections::HashSet::new();
    for (_, day) in event.members()? {
        for (key, entry) in day.members()? {
            if !seen.insert(key) {
                continue;
            }
            let zone = match &zone {
                Some((_, z)) => z.clone(),
                None => {
                    let tz_node = entry.get("startDate")?.get("tz")?;
                    let z = zone_of(&tz_node)?;
                    zone = Some((tz_node.str()?.to_string(), z.clone()));
                    z
                }
            };
            blocks.push(timetable_block(&entry, &zone)?);
        }
    }
    let Some((timezone, _)) = zone else {
        return Err(event.expected("at least one timetable entry"));
    };
    let start = blocks.iter().map(|b| b.start).min().unwrap_or_default();
    let end = blocks.iter().map(|b| b.end).max().unwrap_or_default();
    Ok(Export {
        form: Form::Timetable,
        title: None,
        description: String::new(),
        timezone,
        start,
        end,
        location: String::new(),
        chairs: Vec::new(),
        url: String::new(),
        blocks,
    })
}

/// A top-level entry: a session block, or a lone contribution or break, which becomes a
/// block of its own so nothing in the programme is lost.
fn timetable_block(entry: &Node, zone: &TimeZone) -> Result<Block, String> {
    let kind = entry.get("entryType")?;
    if kind.str()? != "Session" {
        return Ok(lone_block(
            timetable_entry(entry, zone)?,
            entry.text("room")?,
        ));
    }
    let session = entry.get("title")?.str()?.trim();
    let slot = entry.text("slotTitle")?;
    let title = if slot.is_empty() {
        session.to_string()
    } else {
        format!("{session}: {slot}")
    };
    let entries = match entry.opt("entries") {
        Some(list) => list
            .members()?
            .iter()
            .map(|(_, e)| timetable_entry(e, zone))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    Ok(Block {
        title,
        start: entry.get("startDate")?.when(zone)?,
        end: entry.get("endDate")?.when(zone)?,
        conveners: entry.people("conveners", "name")?,
        room: entry.text("room")?,
        description: entry.text("description")?,
        posters: entry.flag("isPoster"),
        entries,
    })
}

/// A talk or break scheduled outside any session becomes a block of its own, so nothing
/// in the programme is lost and both export forms agree.
fn lone_block(entry: Entry, room: String) -> Block {
    Block {
        title: entry.title.clone(),
        start: entry.start,
        end: entry.end(),
        conveners: Vec::new(),
        room,
        description: String::new(),
        posters: false,
        entries: vec![entry],
    }
}

/// `detail=contributions` has no blocks: a session's contributions on one day and in one
/// room make one block, from the first start to the last end.
fn add_to_session(blocks: &mut Vec<(String, Block)>, session: String, entry: Entry, room: String) {
    let found = blocks.iter_mut().find(|(name, b)| {
        *name == session && b.room == room && b.start.date() == entry.start.date()
    });
    match found {
        Some((_, b)) => {
            b.start = b.start.min(entry.start);
            b.end = b.end.max(entry.end());
            b.entries.push(entry);
        }
        None => {
            let mut block = lone_block(entry, room);
            block.title.clone_from(&session);
            blocks.push((session, block));
        }
    }
}

fn timetable_entry(e: &Node, zone: &TimeZone) -> Result<Entry, String> {
    let kind = e.get("entryType")?;
    let is_break = match kind.str()? {
        "Contribution" => false,
        "Break" => true,
        _ => return Err(kind.expected("\"Contribution\" or \"Break\" inside a session")),
    };
    let start = e.get("startDate")?.when(zone)?;
    Ok(Entry {
        title: e.get("title")?.str()?.trim().to_string(),
        start,
        minutes: e.length(start, zone)?,
        speakers: e.people("presenters", "name")?,
        track: None,
        description: e.text("description")?,
        is_break,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn talks_outside_sessions_become_blocks_and_unscheduled_ones_are_left_out() {
        let when = |t: &str| format!(r#"{{"date":"2020-10-19","time":"{t}","tz":"UTC"}}"#);
        let json = format!(
            r#"{{"results":[{{"timezone":"Europe/Zurich","title":"T","sessions":[],
            "startDate":{a},"endDate":{b},
            "contributions":[
              {{"title":"Keynote","startDate":{a},"duration":45,"speakers":[{{"fullName":"Dr Ada Lovelace"}}]}},
              {{"title":"Unscheduled","startDate":null,"duration":20}}]}}]}}"#,
            a = when("12:00:00"),
            b = when("13:00:00")
        );
        let export = parse(&json).unwrap();
        assert_eq!(export.blocks.len(), 1);
        let block = &export.blocks[0];
        assert_eq!(block.title, "Keynote");
        assert_eq!(
            block.start.to_string(),
            "2020-10-19T14:00:00",
            "UTC noon is 14:00 in Zurich"
        );
        assert_eq!(block.end.to_string(), "2020-10-19T14:45:00");
        assert_eq!(block.entries[0].speakers[0].name, "Ada Lovelace");
    }

    #[test]
    fn durations_may_be_whole_floats_and_names_may_be_only_first_and_last() {
        let when = r#"{"date":"2020-10-19","time":"14:00:00","tz":"Europe/Zurich"}"#;
        let json = |duration: &str| {
            format!(
                r#"{{"results":{{"1003":{{"20201019":{{"c1":{{"entryType":"Contribution",
                "title":"T","startDate":{when},"duration":{duration},
                "presenters":[{{"name":null,"firstName":"Ada","familyName":"Lovelace"}}]}}}}}}}}}}"#
            )
        };
        let export = parse(&json("15.0")).unwrap();
        let entry = &export.blocks[0].entries[0];
        assert_eq!(entry.minutes, 15);
        assert_eq!(entry.speakers[0].name, "Ada Lovelace");
        let e = parse(&json("15.5")).unwrap_err();
        assert_eq!(
            e,
            "results.1003.20201019.c1.duration: expected a duration in whole minutes (1 to 10080)"
        );
    }

    #[test]
    fn honorifics_are_dropped_and_names_kept() {
        assert_eq!(strip_honorific("Dr Pietro Vischia"), "Pietro Vischia");
        assert_eq!(strip_honorific("Mr  Florian Rehm"), "Florian Rehm");
        assert_eq!(strip_honorific("Drew Smith"), "Drew Smith");
    }

    #[test]
    fn errors_name_the_json_path() {
        let json = r#"{"results":[{"timezone":"Europe/Zurich","title":"T",
            "startDate":{"date":"2020-10-19","time":"14:00:00","tz":"Europe/Zurich"},
            "endDate":{"date":"2020-10-19","time":"15:00:00","tz":"Europe/Zurich"},
            "sessions":[{"title":"S","startDate":{"date":"2020-10-19","time":"14:00","tz":"Europe/Zurich"}}]}]}"#;
        let e = parse(json).unwrap_err();
        assert_eq!(
            e,
            "results[0].sessions[0].startDate.time: expected \"HH:MM:SS\""
        );
        let e = parse(&json.replace("\"time\":\"14:00\"", "\"time\":\"14:00:00\"")).unwrap_err();
        assert_eq!(e, "results[0].sessions[0].endDate: expected a value");
        let e = parse(r#"{"results": 3}"#).unwrap_err();
        assert!(e.starts_with("results: expected an array"), "{e}");
    }
}
