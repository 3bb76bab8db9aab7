//! A whole build of a small hub whose seminar section, talk, event and post are all hostile,
//! rendered in memory as `podium check` does (`site::build`): the calendar feeds, month
//! grids, agenda and timetable pages that only rendering reaches. A build renders only when
//! every file is sound, so besides the hostile files there are sound ones with values at
//! the edges: a meeting every day for a century, an event a year long, a date on a DST change.

use podium::site::{BuildOptions, build};
use proptest::prelude::*;

use crate::harness::{check, guarded, hub, nasty_string, points_into_one};
use crate::timetable::zone_name;

fn quoted(s: String) -> String {
    toml::Value::String(s).to_string()
}

/// A sound date in `years`, often at a month's end or near a DST change.
fn edge_date(years: std::ops::RangeInclusive<i32>) -> impl Strategy<Value = String> {
    let day = prop_oneof![1u32..=28, Just(29u32), Just(31u32)];
    (years, prop_oneof![1u32..=12, Just(3u32), Just(10u32)], day).prop_map(|(y, m, d)| {
        let last = jiff::civil::Date::new(y as i16, m as i8, 1)
            .unwrap()
            .days_in_month() as u32;
        format!("{y:04}-{m:02}-{:02}", d.min(last))
    })
}

/// A sound talk at the edges: any sound start, length, zone and recurrence.
fn edge_talk() -> impl Strategy<Value = String> {
    let clock = prop_oneof![
        (0u32..24, 0u32..60),
        Just((2, 30)),
        Just((23, 59)),
        Just((0, 0))
    ];
    // The section gets a month grid for every month from its first meeting to its last,
    // so a meeting since 1900 is 1,500 pages: work in proportion to the span, slower in a
    // debug build than a case may take, and no hang. Talks start from 1990.
    let start = (edge_date(1990..=2200), prop::option::of(clock)).prop_map(|(d, c)| match c {
        Some((h, m)) => format!("start = \"{d} {h:02}:{m:02}\"\n"),
        None => format!("start = \"{d}\"\n"),
    });
    let length = prop::sample::select(vec![
        "",
        "duration = \"1m\"\n",
        "duration = \"23h59m\"\n",
        "duration = \"720h\"\n",
    ]);
    let limit = prop_oneof![
        Just(String::new()),
        (1u32..100_000).prop_map(|n| format!(";COUNT={n}")),
        edge_date(1900..=2200).prop_map(|d| format!(";UNTIL={d}")),
    ];
    let days = prop::sample::subsequence(vec!["MO", "TU", "WE", "TH", "FR", "SA", "SU"], 0..=7)
        .prop_map(|d| {
            if d.is_empty() {
                String::new()
            } else {
                format!(";BYDAY={}", d.join(","))
            }
        });
    let rule = (
        prop::sample::select(vec!["DAILY", "WEEKLY", "MONTHLY"]),
        1u32..400,
        limit,
        days,
    )
        .prop_map(|(f, i, l, d)| format!("recurrence = \"FREQ={f};INTERVAL={i}{l}{d}\"\n"));
    let status = prop::sample::select(vec!["confirmed", "tentative", "cancelled", "postponed"]);
    (start, length, prop::option::of(rule), zone_name(), status, nasty_string(30))
        .prop_map(|(start, length, rule, zone, status, speaker)| {
            let zone = if jiff::tz::TimeZone::get(&zone).is_ok() { zone } else { "UTC".into() };
            let length = if start.len() < 22 { "" } else { length };
            format!(
                "+++\ntitle = {}\n{start}{length}{}timezone = \"{zone}\"\nstatus = \"{status}\"\nspeaker = {}\n+++\n",
                quoted(speaker.clone() + " talk"),
                rule.unwrap_or_default(),
                quoted(speaker)
            )
        })
}

/// A sound event at the edges: a day or a long span, with a session on its first day.
fn edge_event() -> impl Strategy<Value = (String, String)> {
    (edge_date(1900..=2200), prop_oneof![0i64..3, 0i64..400, Just(36_500i64)], zone_name())
        .prop_map(|(start, days, zone)| {
            let first: jiff::civil::Date = start.parse().unwrap();
            let last = first.saturating_add(jiff::Span::new().days(days)).min(jiff::civil::date(2200, 12, 31));
            let zone = if jiff::tz::TimeZone::get(&zone).is_ok() { zone } else { "UTC".into() };
            let index = format!("+++\ntitle = \"W\"\nstart_date = {first}\nend_date = {last}\ntimezone = \"{zone}\"\n+++\n");
            let timetable = format!("[[session]]\ntitle = \"S\"\nstart = \"{first} 09:00\"\nend = \"{first} 12:00\"\n\n  [[session.talk]]\n  start = \"09:00\"\n  duration = \"3h\"\n  title = \"T\"\n");
            (index, timetable)
        })
}

/// A sound post at the edges: dated, tagged and titled with odd text.
fn edge_post() -> impl Strategy<Value = String> {
    (
        edge_date(1900..=2200),
        prop::collection::vec(nasty_string(12), 0..4),
        nasty_string(40),
        nasty_string(200),
    )
        .prop_map(|(date, tags, title, body)| {
            let tags: Vec<String> = tags.into_iter().map(quoted).collect();
            format!(
                "+++\ntitle = {}\ndate = {date}\ntags = [{}]\n+++\n{}",
                quoted(title),
                tags.join(", "),
                body.replace(['$', '@'], " ")
            )
        })
}

/// The files, by path under the hub root: every one hostile, or all sound at the edges.
fn files() -> impl Strategy<Value = Vec<(&'static str, String)>> {
    let hostile = (
        crate::seminars::section(),
        crate::seminars::talk(),
        crate::timetable::index(),
        crate::timetable::timetable(),
        crate::front_matter::content_file(),
    );
    let section = "+++\ntitle = \"Seminars\"\nkind = \"seminars\"\n+++\n".to_string();
    let sound = (edge_talk(), edge_event(), edge_post()).prop_map(
        move |(talk, (index, timetable), post)| (section.clone(), talk, index, timetable, post),
    );
    prop_oneof![1 => hostile, 3 => sound].prop_map(|(section, talk, index, timetable, post)| {
        vec![
            ("content/seminars/_index.md", section),
            ("content/seminars/talk.md", talk),
            ("content/events/ws/index.md", index),
            ("content/events/ws/timetable.toml", timetable),
            ("content/news/post.md", post),
        ]
    })
}

/// Builds a hub of `files` in memory; returns the problems found.
fn build_hub(files: &[(&'static str, String)]) -> Vec<podium::diagnostics::Diagnostic> {
    let fixed = [
        (
            "content/events/_index.md",
            "+++\ntitle = \"Events\"\nkind = \"events\"\n+++\n",
        ),
        (
            "config.toml",
            "title = \"T\"\nbase_url = \"https://e.org/sub/\"\ntimezone = \"Europe/Zurich\"\n",
        ),
    ];
    let all: Vec<(&str, &str)> = fixed
        .into_iter()
        .chain(files.iter().map(|(p, t)| (*p, t.as_str())))
        .collect();
    let dir = hub(&all);
    let root = dir.path();
    let options = BuildOptions {
        root: root.to_path_buf(),
        now: Some("2026-01-01T12:00:00Z".into()),
        ..BuildOptions::default()
    };
    build(&options).err().map(|e| e.0).unwrap_or_default()
}

/// Any hub of hostile files builds, or every problem names one of them and a line of it.
#[test]
fn any_hub_builds_or_points_at_lines() {
    check(32, files, |files| {
        let input = files.clone();
        let problems = guarded(move || build_hub(&input))?;
        let texts: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
        for d in &problems {
            points_into_one(d, &texts)?;
        }
        Ok(())
    });
}
