//! `podium import indico`: a saved Indico export into an event bundle — `index.md` and
//! `timetable.toml` (see docs/events.md).
//!
//! [`export`] reads either export form into one model; the writers here lay the files out
//! by hand in a fixed layout (not through a serializer), so they read like files a person
//! wrote and a re-import gives byte-identical files.

pub mod export;

use std::fmt::Write;
use std::path::{Path, PathBuf};

use jiff::civil::DateTime;

use super::html;
use crate::events::{PARTICIPANTS_FILE, Person, TIMETABLE_FILE};
use export::{Block, Entry, Export, Form};

/// What `podium import indico` was asked to do.
#[derive(Debug, Clone)]
pub struct IndicoOptions {
    pub export: PathBuf,
    /// The event's bundle folder, e.g. `content/events/iml-2020`.
    pub into: PathBuf,
    pub force: bool,
    /// A `name,affiliation` CSV to copy beside the event as its participants list.
    pub participants: Option<PathBuf>,
}

/// Why an import did not happen.
#[derive(Debug)]
pub enum ImportError {
    /// The export (or participants file) is unreadable or malformed.
    Input { file: PathBuf, message: String },
    /// Writing would replace existing files and `--force` was not given.
    WouldOverwrite(PathBuf),
    /// The bundle folder could not be written.
    Write(PathBuf, std::io::Error),
}

/// Imports an Indico export; returns the files written.
pub fn import(options: &IndicoOptions) -> Result<Vec<PathBuf>, ImportError> {
    let input = |message: String| ImportError::Input {
        file: options.export.clone(),
        message,
    };
    let json =
        std::fs::read_to_string(&options.export).map_err(|e| input(format!("cannot read: {e}")))?;
    let export = export::parse(&json).map_err(input)?;
    let index = options.into.join("index.md");
    let mut files: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    // The timetable form carries no event metadata: an existing index.md is better than
    // one made up from the folder name, so it is kept.
    if export.form == Form::Event || !index.exists() {
        files.push((index, index_md(&export, &options.into).into_bytes()));
    }
    files.push((
        options.into.join(TIMETABLE_FILE),
        timetable_toml(&export).into_bytes(),
    ));
    if let Some(csv) = &options.participants {
        let bytes = std::fs::read(csv).map_err(|e| ImportError::Input {
            file: csv.clone(),
            message: format!("cannot read: {e}"),
        })?;
        files.push((options.into.join(PARTICIPANTS_FILE), bytes));
    }
    if !options.force
        && let Some((existing, _)) = files.iter().find(|(p, _)| p.exists())
    {
        return Err(ImportError::WouldOverwrite(existing.clone()));
    }
    std::fs::create_dir_all(&options.into)
        .map_err(|e| ImportError::Write(options.into.clone(), e))?;
    for (path, bytes) in &files {
        std::fs::write(path, bytes).map_err(|e| ImportError::Write(path.clone(), e))?;
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// The event's `index.md`: front matter from the export, the description as Markdown.
pub fn index_md(export: &Export, into: &Path) -> String {
    let fallback = into
        .file_name()
        .map_or_else(|| "Event".to_string(), |n| n.to_string_lossy().into_owned());
    let mut s = String::from("+++\n");
    field(
        &mut s,
        "title",
        export.title.as_deref().unwrap_or(&fallback),
    );
    let _ = writeln!(s, "start_date = {}", export.start.date());
    let _ = writeln!(s, "end_date = {}", export.end.date());
    field(&mut s, "timezone", &export.timezone);
    if !export.location.is_empty() {
        field(&mut s, "location", &export.location);
    }
    people(&mut s, "", "organizers", &export.chairs);
    let tracks = tracks(export);
    if !tracks.is_empty() {
        s.push_str("tracks = [\n");
        for t in tracks {
            let _ = writeln!(s, "  {{ name = {} }},", quote(&t));
        }
        s.push_str("]\n");
    }
    if !export.url.is_empty() {
        s.push_str("\n[extra]\n");
        field(&mut s, "indico", &export.url);
    }
    s.push_str("+++\n");
    if !export.description.is_empty() {
        s.push('\n');
        s.push_str(&markdown(&export.description));
    }
    s
}

/// Tracks named by any contribution, in order of first use.
fn tracks(export: &Export) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for track in export
        .blocks
        .iter()
        .flat_map(|b| &b.entries)
        .filter_map(|e| e.track.as_ref())
    {
        if !names.contains(track) {
            names.push(track.clone());
        }
    }
    names
}

/// The event's `timetable.toml` (SPEC §3.3), blocks and entries in time order.
pub fn timetable_toml(export: &Export) -> String {
    let mut s = String::from(
        "# The workshop's programme: one [[session]] per session block, its talks and\n\
         # breaks as [[session.talk]]. Written by `podium import indico`.\n",
    );
    for block in &export.blocks {
        session(&mut s, block);
    }
    s
}

fn session(s: &mut String, b: &Block) {
    s.push_str("\n[[session]]\n");
    field(s, "title", &b.title);
    field(s, "start", &datetime(b.start));
    field(s, "end", &datetime(b.end));
    people(s, "", "conveners", &b.conveners);
    if !b.room.is_empty() {
        field(s, "room", &b.room);
    }
    if !b.description.is_empty() {
        long_field(s, "", "description", &markdown(&b.description));
    }
    for e in &b.entries {
        talk(s, b, e);
    }
}

fn talk(s: &mut String, b: &Block, e: &Entry) {
    const IN: &str = "  ";
    s.push_str("\n  [[session.talk]]\n");
    let start = if e.start.date() == b.start.date() {
        e.start.strftime("%H:%M").to_string()
    } else {
        datetime(e.start)
    };
    let _ = writeln!(s, "{IN}start = {}", quote(&start));
    let _ = writeln!(s, "{IN}duration = {}", quote(&duration(e.minutes)));
    let _ = writeln!(s, "{IN}title = {}", quote(&e.title));
    if e.is_break {
        let _ = writeln!(s, "{IN}kind = \"break\"");
    }
    people(s, IN, "speakers", &e.speakers);
    if let Some(track) = &e.track {
        let _ = writeln!(s, "{IN}track = {}", quote(track));
    }
    if !e.description.is_empty() {
        long_field(s, IN, "abstract", &markdown(&e.description));
    }
}

/// Indico stores descriptions as HTML or as plain text/Markdown; both become clean Markdown.
fn markdown(text: &str) -> String {
    html::imported_markdown(text)
}

/// `2020-10-20 10:00`, seconds only when there are some.
fn datetime(dt: DateTime) -> String {
    let format = if dt.second() == 0 {
        "%Y-%m-%d %H:%M"
    } else {
        "%Y-%m-%d %H:%M:%S"
    };
    dt.strftime(format).to_string()
}

/// `90` → `1h30m`, the form SPEC §3.3 uses.
fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m}m"),
        (h, 0) => format!("{h}h"),
        (h, m) => format!("{h}h{m}m"),
    }
}

fn field(s: &mut String, key: &str, value: &str) {
    let _ = writeln!(s, "{key} = {}", quote(value));
}

/// A list of people, one inline table a line.
fn people(s: &mut String, indent: &str, key: &str, people: &[Person]) {
    if people.is_empty() {
        return;
    }
    let _ = writeln!(s, "{indent}{key} = [");
    for p in people {
        let _ = match &p.affiliation {
            Some(a) => writeln!(
                s,
                "{indent}  {{ name = {}, affiliation = {} }},",
                quote(&p.name),
                quote(a)
            ),
            None => writeln!(s, "{indent}  {{ name = {} }},", quote(&p.name)),
        };
    }
    let _ = writeln!(s, "{indent}]");
}

/// A multi-line TOML string, so Markdown stays readable in the file.
fn long_field(s: &mut String, indent: &str, key: &str, text: &str) {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => escaped.push_str("\\\\"),
            '"' => escaped.push_str("\\\""),
            '\n' | '\t' => escaped.push(c),
            c if c.is_control() => {
                let _ = write!(escaped, "\\u{:04X}", c as u32);
            }
            c => escaped.push(c),
        }
    }
    let _ = writeln!(s, "{indent}{key} = \"\"\"\n{escaped}\"\"\"");
}

/// A basic TOML string.
fn quote(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_people_write_them() {
        assert_eq!(duration(15), "15m");
        assert_eq!(duration(60), "1h");
        assert_eq!(duration(95), "1h35m");
    }

    #[test]
    fn long_text_round_trips_through_toml() {
        let mut s = String::new();
        long_field(&mut s, "", "a", "x \"\"\" \\ y\nz\u{7}\n");
        let t: toml::Table = toml::from_str(&s).unwrap();
        assert_eq!(t["a"].as_str(), Some("x \"\"\" \\ y\nz\u{7}\n"));
    }
}
