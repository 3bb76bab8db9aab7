//! Event pages: `index.md` fields, `timetable.toml` and `participants.csv` of a bundle
//! (`src/events/`), written into a temporary bundle and loaded as the build loads them.

use std::path::Path;

use podium::events::{EventSource, load};
use podium::front_matter::split;
use proptest::prelude::*;

use crate::dates::when_text;
use crate::front_matter::toml_value;
use crate::harness::{check, guarded, nasty_string, points_into_one};

const BUNDLE: &str = "content/events/ws";

/// Zone names: real ones with DST changes and odd offsets, and names that are not zones.
pub fn zone_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(vec![
            "Europe/Zurich", "UTC", "America/Los_Angeles", "Asia/Kathmandu", "Pacific/Apia",
            "Australia/Lord_Howe",
        ])
        .prop_map(str::to_string),
        1 => prop::sample::select(vec!["", "Europe/Zürich", "utc", "../../etc/passwd", "+01:00",
            "Europe/", "EST5EDT"])
            .prop_map(str::to_string),
        1 => nasty_string(20),
    ]
}

/// A TOML value for a time field: a quoted time or date-time, a bare TOML date-time, or a
/// value of the wrong type.
fn time_value() -> impl Strategy<Value = String> {
    let clock = (0u32..30, 0u32..70).prop_map(|(h, m)| format!("{h:02}:{m:02}"));
    prop_oneof![
        3 => clock.prop_map(|c| format!("\"{c}\"")),
        3 => when_text().prop_map(|w| toml::Value::String(w).to_string()),
        1 => prop::sample::select(vec!["2030-03-30T09:00:00", "2030-03-31T02:30:00", "09:00:00",
            "1979-05-27T00:32:00.999999-07:00", "2030-03-30"])
            .prop_map(str::to_string),
        1 => toml_value(),
    ]
}

/// A `key = value` line, or nothing when the field is left out.
fn field(key: &'static str, value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::option::weighted(0.85, value)
        .prop_map(move |v| v.map_or(String::new(), |v| format!("{key} = {v}\n")))
}

fn quoted(max: usize) -> impl Strategy<Value = String> {
    nasty_string(max).prop_map(|s| toml::Value::String(s).to_string())
}

fn people() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::collection::vec((quoted(20), prop::option::of(quoted(20))), 0..3).prop_map(|ps| {
            let items: Vec<String> = ps.iter().map(|(n, a)| match a {
                Some(a) => format!("{{ name = {n}, affiliation = {a} }}"),
                None => format!("{{ name = {n} }}"),
            }).collect();
            format!("[{}]", items.join(", "))
        }),
        1 => toml_value(),
    ]
}

fn talk() -> impl Strategy<Value = String> {
    let duration = prop_oneof![
        3 => prop::sample::select(vec!["\"30m\"", "\"1h\"", "\"0m\"", "\"-5m\"", "\"99999999h\"",
            "\"PT1H\"", "\"45min\"", "30"]).prop_map(str::to_string),
        1 => quoted(10),
    ];
    let kind = prop::sample::select(vec!["\"break\"", "\"talk\"", "\"Break\"", "1"])
        .prop_map(str::to_string);
    let track = prop::sample::select(vec!["\"ML\"", "\"ml\"", "\"Other\"", "\"\"", "[]"])
        .prop_map(str::to_string);
    (
        field("start", time_value()),
        field("duration", duration),
        field("end", time_value()),
        field("title", quoted(30)),
        field("speakers", people()),
        field("track", track),
        field("kind", kind),
        field("abstract", quoted(40)),
    )
        .prop_map(|(a, b, c, d, e, f, g, h)| {
            format!(
                "\n  [[session.talk]]\n{}",
                [a, b, c, d, e, f, g, h].concat()
            )
        })
}

fn session() -> impl Strategy<Value = String> {
    (
        field("title", quoted(30)),
        field("start", time_value()),
        field("end", time_value()),
        field("conveners", people()),
        field("room", quoted(10)),
        prop::collection::vec(talk(), 0..4),
    )
        .prop_map(|(a, b, c, d, e, talks)| {
            format!("\n[[session]]\n{a}{b}{c}{d}{e}{}", talks.concat())
        })
}

/// A timetable: sessions of talks, with a junk line now and then.
pub fn timetable() -> impl Strategy<Value = String> {
    let part = prop_oneof![8 => session(), 1 => nasty_string(30).prop_map(|s| format!("\n{s}\n"))];
    prop::collection::vec(part, 0..4).prop_map(|p| p.concat())
}

/// `index.md` of the event: dates, zone and tracks, each possibly broken or left out.
pub fn index() -> impl Strategy<Value = String> {
    let date = prop_oneof![
        3 => prop::sample::select(vec!["2030-03-30", "2030-03-31", "2020-02-29", "2021-02-29",
            "0001-01-01", "9999-12-31"]).prop_map(str::to_string),
        1 => when_text(),
    ];
    let tracks = prop_oneof![
        3 => Just("[{ name = \"ML\" }, { name = \"Other\" }]".to_string()),
        1 => toml_value(),
    ];
    (
        field("start_date", date.clone()),
        field("end_date", date),
        field(
            "timezone",
            zone_name().prop_map(|z| toml::Value::String(z).to_string()),
        ),
        field("tracks", tracks),
    )
        .prop_map(|(a, b, c, d)| format!("+++\ntitle = \"W\"\n{a}{b}{c}{d}+++\n"))
}

/// A participants list: a header (or not) and rows of any shape.
fn participants() -> impl Strategy<Value = Option<Vec<u8>>> {
    let text = (
        prop::sample::select(vec![
            "name,affiliation",
            "Name;Affiliation",
            "affiliation",
            "",
        ]),
        prop::collection::vec(nasty_string(30), 0..4),
    )
        .prop_map(|(h, rows)| format!("{h}\n{}", rows.join("\n")).into_bytes());
    let bytes = prop::collection::vec(any::<u8>(), 0..60);
    prop::option::of(prop_oneof![4 => text, 1 => bytes])
}

/// Loads the event the files make, returning its problems.
fn load_event(
    index: String,
    timetable: String,
    participants: Option<Vec<u8>>,
) -> Vec<podium::diagnostics::Diagnostic> {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join(BUNDLE);
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(bundle.join("timetable.toml"), &timetable).unwrap();
    if let Some(bytes) = &participants {
        std::fs::write(bundle.join("participants.csv"), bytes).unwrap();
    }
    let file = Path::new(BUNDLE).join("index.md");
    let split = match split(&file, &index) {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    let src = EventSource {
        root: dir.path(),
        file: &file,
        table: &split.table,
        raw: split.raw,
        bundle: Some(&bundle),
        default_timezone: "UTC",
    };
    load(&src).err().unwrap_or_default()
}

/// Any event loads, or every problem names the file at fault and a line of it.
#[test]
fn any_event_loads_or_points_at_lines() {
    check(
        128,
        || (index(), timetable(), participants()),
        |(index, timetable, participants)| {
            let files = (index.clone(), timetable.clone(), participants.clone());
            let problems = guarded(move || load_event(files.0, files.1, files.2))?;
            let csv =
                String::from_utf8_lossy(participants.as_deref().unwrap_or_default()).into_owned();
            let bundle = Path::new(BUNDLE);
            let files = [
                (bundle.join("index.md"), index.as_str()),
                (bundle.join("timetable.toml"), timetable.as_str()),
                (bundle.join("participants.csv"), csv.as_str()),
            ];
            for d in &problems {
                points_into_one(d, &files)?;
            }
            Ok(())
        },
    );
}
