//! Indico exports (`src/import/indico/`), both forms, in the shapes Indico writes
//! (tests/fixtures/indico/) with fields turned null, floats, huge, the wrong type or missing;
//! and the bundle an import writes, read back as the build reads it.

use std::path::Path;

use podium::events::{EventSource, load};
use podium::front_matter::split;
use podium::import::indico::export::parse;
use podium::import::indico::{index_md, timetable_toml};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

use crate::harness::{check, guarded, nasty_string, points_into_one};

/// A value of the wrong kind for any field.
fn wrong() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<f64>().prop_map(|f| json!(f)),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        Just(json!(1e300)),
        nasty_string(20).prop_map(Value::String),
        Just(json!([])),
        Just(json!({})),
        Just(json!(true)),
    ]
}

/// A field's value: usually one of the right kind, sometimes wrong, sometimes absent (None).
fn field(good: impl Strategy<Value = Value>) -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        12 => good.prop_map(Some),
        2 => wrong().prop_map(Some),
        1 => Just(None),
    ]
}

/// A JSON object from named fields, leaving out the absent ones.
fn object(fields: Vec<(&'static str, Option<Value>)>) -> Value {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect();
    Value::Object(map)
}

fn text(max: usize) -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => nasty_string(max).prop_map(Value::String),
        1 => prop::sample::select(vec!["<p>Hi <b>there</b></p>", "<ul><li>a</li>", "<a href=\"javascript:x\">x</a>",
            "<script>alert(1)</script>", "<", "</", "\"\"\"", "+++", "\r\n\r\n"])
            .prop_map(|s| Value::String(s.to_string())),
    ]
}

/// Indico's `{date, time, tz}`, with odd dates, times and zones.
fn when() -> impl Strategy<Value = Value> {
    let date = prop_oneof![
        4 => (2019i32..2022, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y}-{m:02}-{d:02}")),
        1 => prop::sample::select(vec!["2020-02-30", "0000-01-01", "9999-12-31", "2020-13-01", "20201019", ""])
            .prop_map(str::to_string),
    ];
    let time = prop_oneof![
        4 => (0u32..24, 0u32..60).prop_map(|(h, m)| format!("{h:02}:{m:02}:00")),
        1 => prop::sample::select(vec!["24:00:00", "23:59:60", "14:00", "14:00:00.5", "2:00:00 ", ""])
            .prop_map(str::to_string),
    ];
    let tz = prop::sample::select(vec![
        "Europe/Zurich",
        "UTC",
        "America/Santiago",
        "Asia/Kathmandu",
        "Nowhere/City",
        "",
    ]);
    (
        field(date.prop_map(Value::String)),
        field(time.prop_map(Value::String)),
        field(tz.prop_map(|t| json!(t))),
    )
        .prop_map(|(d, t, z)| object(vec![("date", d), ("time", t), ("tz", z)]))
}

fn minutes() -> impl Strategy<Value = Value> {
    prop_oneof![
        4 => (1i64..240).prop_map(|m| json!(m)),
        1 => prop::sample::select(vec![json!(0), json!(-5), json!(10080), json!(10081), json!("30"), json!(30.5), json!(i64::MAX)]),
    ]
}

fn people(name_key: &'static str) -> impl Strategy<Value = Value> {
    let person = (field(text(30)), field(text(30)))
        .prop_map(move |(n, a)| object(vec![(name_key, n), ("affiliation", a)]));
    prop::collection::vec(person, 0..3).prop_map(Value::Array)
}

fn contribution() -> impl Strategy<Value = Value> {
    (
        (field(text(30)), field(when()), field(minutes())),
        (
            field(people("fullName")),
            field(text(10)),
            field(text(40)),
            field(text(10)),
        ),
    )
        .prop_map(|((t, s, d), (p, tr, de, r))| {
            object(vec![
                ("title", t),
                ("startDate", s),
                ("duration", d),
                ("speakers", p),
                ("track", tr),
                ("description", de),
                ("room", r),
            ])
        })
}

/// `/export/event/ID.json?detail=contributions`.
fn event_export() -> impl Strategy<Value = Value> {
    let block = (
        (
            field(text(30)),
            field(when()),
            field(when()),
            field(people("fullName")),
        ),
        (
            field(text(10)),
            field(text(40)),
            field(prop::collection::vec(contribution(), 0..3).prop_map(Value::Array)),
        ),
    )
        .prop_map(|((t, s, e, c), (r, d, cs))| {
            object(vec![
                ("title", t),
                ("startDate", s),
                ("endDate", e),
                ("conveners", c),
                ("room", r),
                ("description", d),
                ("contributions", cs),
            ])
        });
    let zone = prop::sample::select(vec!["Europe/Zurich", "UTC", "Mars/Olympus", ""])
        .prop_map(|z| json!(z));
    (
        (
            field(zone),
            field(text(40)),
            field(text(60)),
            field(when()),
            field(when()),
        ),
        (field(text(20)), field(people("fullName")), field(text(30))),
        (
            field(prop::collection::vec(block, 0..3).prop_map(Value::Array)),
            field(prop::collection::vec(contribution(), 0..2).prop_map(Value::Array)),
        ),
    )
        .prop_map(|((z, t, d, s, e), (l, ch, u), (ss, cs))| {
            let event = object(vec![
                ("timezone", z),
                ("title", t),
                ("description", d),
                ("startDate", s),
                ("endDate", e),
                ("location", l),
                ("chairs", ch),
                ("url", u),
                ("sessions", ss),
                ("contributions", cs),
            ]);
            json!({"_type": "HTTPAPIResult", "count": 1, "results": [event]})
        })
}

/// `/export/timetable/ID.json`.
fn timetable_export() -> impl Strategy<Value = Value> {
    let kind = || {
        prop::sample::select(vec!["Contribution", "Break", "Session", "Poster"])
            .prop_map(|k| json!(k))
    };
    let entry = move || {
        (
            field(kind()),
            field(text(30)),
            field(when()),
            field(minutes()),
            field(people("name")),
            field(text(30)),
        )
            .prop_map(|(k, t, s, d, p, de)| {
                object(vec![
                    ("entryType", k),
                    ("title", t),
                    ("startDate", s),
                    ("duration", d),
                    ("presenters", p),
                    ("description", de),
                ])
            })
    };
    let entries = prop::collection::vec(entry(), 0..3).prop_map(|es| {
        Value::Object(
            es.into_iter()
                .enumerate()
                .map(|(i, e)| (format!("c{i}"), e))
                .collect(),
        )
    });
    let block = (
        (
            field(kind()),
            field(text(30)),
            field(text(10)),
            field(when()),
            field(when()),
        ),
        (field(people("name")), field(entries)),
    )
        .prop_map(|((k, t, sl, s, e), (c, es))| {
            object(vec![
                ("entryType", k),
                ("title", t),
                ("slotTitle", sl),
                ("startDate", s),
                ("endDate", e),
                ("conveners", c),
                ("entries", es),
            ])
        });
    let top = prop_oneof![3 => block, 1 => entry()];
    let day = prop::collection::vec(top, 0..3).prop_map(|es| {
        Value::Object(
            es.into_iter()
                .enumerate()
                .map(|(i, e)| (format!("s{i}"), e))
                .collect(),
        )
    });
    prop::collection::vec(day, 0..3).prop_map(|days| {
        let days: Map<String, Value> = days
            .into_iter()
            .enumerate()
            .map(|(i, d)| (format!("2020101{i}"), d))
            .collect();
        json!({"_type": "HTTPAPIResult", "results": {"1003": days}})
    })
}

/// Either form, as text; sometimes cut short or not JSON at all.
fn export_text() -> impl Strategy<Value = String> {
    let value = prop_oneof![event_export(), timetable_export()];
    prop_oneof![
        8 => value.clone().prop_map(|v| v.to_string()),
        1 => (value, 0usize..400).prop_map(|(v, cut)| v.to_string().chars().take(cut).collect()),
        1 => nasty_string(60),
    ]
}

/// Writes the bundle an import of `export` makes and loads it as the build does; returns
/// the two files and the problems the build finds in them.
fn import_and_load(
    json: &str,
) -> Result<(String, String, Vec<podium::diagnostics::Diagnostic>), String> {
    let export = parse(json)?;
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("content/events/imported");
    std::fs::create_dir_all(&bundle).unwrap();
    let index = index_md(&export, &bundle);
    let timetable = timetable_toml(&export);
    std::fs::write(bundle.join("timetable.toml"), &timetable).unwrap();
    let file = Path::new("content/events/imported/index.md");
    let problems = match split(file, &index) {
        Ok(front) => {
            let src = EventSource {
                root: dir.path(),
                file,
                table: &front.table,
                raw: front.raw,
                bundle: Some(&bundle),
                default_timezone: "UTC",
            };
            load(&src).err().unwrap_or_default()
        }
        Err(d) => vec![d],
    };
    Ok((index, timetable, problems))
}

/// Any export is imported or refused with a message that says where; an import writes
/// files that parse, and the build's problems with them point at their lines.
#[test]
fn any_export_imports_or_is_refused() {
    check(256, export_text, |json| {
        let outcome = guarded(move || import_and_load(&json))?;
        match outcome {
            Err(message) => prop_assert!(
                message.contains("line") || message.contains(": "),
                "the refusal says nowhere where: {}",
                message
            ),
            Ok((index, timetable, problems)) => {
                prop_assert!(
                    toml::from_str::<toml::Table>(&timetable).is_ok(),
                    "the import wrote a timetable that is not TOML:\n{}",
                    timetable
                );
                let bundle = Path::new("content/events/imported");
                let files = [
                    (bundle.join("index.md"), index.as_str()),
                    (bundle.join("timetable.toml"), timetable.as_str()),
                ];
                for d in &problems {
                    prop_assert!(
                        !d.file.ends_with("index.md") || !d.message.contains("expected"),
                        "the import wrote an index.md the build cannot parse: {}\n{}",
                        d,
                        index
                    );
                    points_into_one(d, &files)?;
                }
            }
        }
        Ok(())
    });
}
