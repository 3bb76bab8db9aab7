//! Workshops (issue 5): the demo workshop's timetable against the Indico fixture, the
//! importer on both export forms, event feeds through an independent parser, and the
//! timetable checks. Everything drives the real binary.

mod common;

use std::collections::BTreeMap;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use common::{Hub, NOW, Run, html, podium, podium_in, repo, sel};
use scraper::{ElementRef, Html};
use serde_json::Value;

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/fixtures/indico").join(name)
}

/// Runs a command that names its files itself (`import`), from a neutral folder.
fn run(args: &[&str]) -> Run {
    podium_in(&std::env::temp_dir(), args)
}

/// Builds the hub at `root` into a fresh folder as of `now`.
fn site(root: &Path, now: &str) -> tempfile::TempDir {
    let out = tempfile::tempdir().unwrap();
    let out_arg = out.path().to_str().unwrap();
    podium(root, &["build", "--now", now, "--output", out_arg]).expect_success();
    out
}

fn inner_text(e: ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

/// The values of `attr` on every element under `scope` matching `selector`.
fn attr_list(scope: ElementRef, selector: &str, attr: &str) -> Vec<String> {
    scope
        .select(&sel(selector))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// `{date, time, tz}` → the RFC 3339 string the timetable puts in `<time datetime>`.
fn iso(when: &Value) -> String {
    let dt: jiff::civil::DateTime = format!(
        "{}T{}",
        when["date"].as_str().unwrap(),
        when["time"].as_str().unwrap()
    )
    .parse()
    .unwrap();
    dt.to_zoned(jiff::tz::TimeZone::get(when["tz"].as_str().unwrap()).unwrap())
        .unwrap()
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// What the timetable fixture has on one day: block, talk and break start times (sorted).
#[derive(Debug, Default, PartialEq)]
struct Day {
    blocks: Vec<String>,
    talks: Vec<String>,
    breaks: Vec<String>,
}

fn fixture_days() -> BTreeMap<String, Day> {
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("iml-2020-timetable.json")).unwrap())
            .unwrap();
    let mut days = BTreeMap::new();
    for (key, entries) in json["results"]["1003"].as_object().unwrap() {
        let date = format!("{}-{}-{}", &key[..4], &key[4..6], &key[6..]);
        let mut day = Day::default();
        for block in entries.as_object().unwrap().values() {
            assert_eq!(block["entryType"], "Session");
            day.blocks.push(iso(&block["startDate"]));
            for e in block["entries"].as_object().unwrap().values() {
                let list = match e["entryType"].as_str().unwrap() {
                    "Contribution" => &mut day.talks,
                    "Break" => &mut day.breaks,
                    other => panic!("unexpected entry type {other}"),
                };
                list.push(iso(&e["startDate"]));
            }
        }
        for list in [&mut day.blocks, &mut day.talks, &mut day.breaks] {
            list.sort();
        }
        days.insert(date, day);
    }
    days
}

fn page_days(doc: &Html) -> BTreeMap<String, Day> {
    let mut days = BTreeMap::new();
    for day in doc.select(&sel("section.day")) {
        let date = day.value().attr("data-date").unwrap().to_string();
        let mut found = Day {
            blocks: attr_list(
                day,
                "section.session .session-time time:first-child",
                "datetime",
            ),
            talks: attr_list(day, "li.programme-talk .programme-time time", "datetime"),
            breaks: attr_list(day, "li.programme-break .programme-time time", "datetime"),
        };
        for list in [&mut found.blocks, &mut found.talks, &mut found.breaks] {
            list.sort();
        }
        days.insert(date, found);
    }
    days
}

#[test]
fn the_demo_timetable_has_every_block_talk_and_break_of_the_fixture_at_zurich_times() {
    let out = site(&repo(), NOW);
    let doc = html(out.path(), "events/iml-2020/timetable/index.html");
    let expected = fixture_days();
    assert_eq!(expected.len(), 5, "the fixture spans five days");
    let found = page_days(&doc);
    assert_eq!(found, expected);
    for day in doc.select(&sel("section.day")) {
        let heading = inner_text(day.select(&sel("h2")).next().unwrap());
        assert!(
            heading.ends_with("CEST"),
            "{heading}: Zurich summer time in October 2020"
        );
    }
}

#[test]
fn the_demo_workshop_has_overview_speakers_participants_and_lists() {
    let out = site(&repo(), NOW);
    let overview = html(out.path(), "events/iml-2020/index.html");
    let facts = inner_text(overview.select(&sel(".event-facts")).next().unwrap());
    assert!(facts.contains("19–23 October 2020"), "{facts}");
    assert!(facts.contains("Europe/Zurich"), "{facts}");
    let organizers = inner_text(overview.select(&sel(".people-list")).next().unwrap());
    assert!(organizers.contains("Universite Catholique de Louvain (UCL) (BE)"));
    let participants = html(out.path(), "events/iml-2020/participants/index.html");
    let rows = std::fs::read_to_string(fixture("iml-2020-participants.csv")).unwrap();
    let listed = participants.select(&sel("ol.participants > li")).count();
    assert_eq!(listed, rows.lines().count() - 1);
    let count = inner_text(
        participants
            .select(&sel(".participant-count strong"))
            .next()
            .unwrap(),
    );
    assert_eq!(count, listed.to_string());
    let speakers = html(out.path(), "events/iml-2020/speakers/index.html");
    let names: Vec<String> = speakers
        .select(&sel(".speaker-name"))
        .map(inner_text)
        .collect();
    assert!(
        names.iter().any(|n| n == "Pietro Vischia"),
        "titles like Dr are gone"
    );
    assert!(
        !names
            .iter()
            .any(|n| n.starts_with("Dr ") || n.starts_with("Mr "))
    );
    // A member who only appears in the timetable (as a speaker) links to the workshop.
    let profile = html(out.path(), "people/xiangyang-ju/index.html");
    let links = common::attrs(&profile, "a", "href");
    assert!(
        links.iter().any(|l| l == "/ml4fp/events/iml-2020/"),
        "{links:?}"
    );
    let events = html(out.path(), "events/index.html");
    let past = inner_text(events.select(&sel("#past")).next().unwrap());
    assert!(past.contains("4th Inter-experiment Machine Learning Workshop"));
}

/// Runs `podium import indico` and returns its output.
fn import(export: &Path, into: &Path, force: bool) -> Run {
    let mut args = vec![
        "import",
        "indico",
        export.to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
    ];
    if force {
        args.push("--force");
    }
    run(&args)
}

fn timetable(dir: &Path) -> toml::Table {
    toml::from_str(&std::fs::read_to_string(dir.join("timetable.toml")).unwrap()).unwrap()
}

/// Removes the breaks, which only the timetable form has, and the sessions that were only
/// a break (a break outside any session); returns how many breaks there were.
fn without_breaks(t: &mut toml::Table) -> usize {
    let mut removed = 0;
    let sessions = t["session"].as_array_mut().unwrap();
    sessions.retain_mut(|session| {
        let Some(talks) = session.get_mut("talk").and_then(|v| v.as_array_mut()) else {
            return true;
        };
        let before = talks.len();
        talks.retain(|talk| talk.get("kind").and_then(|k| k.as_str()) != Some("break"));
        removed += before - talks.len();
        before == 0 || !talks.is_empty()
    });
    removed
}

#[test]
fn both_export_forms_give_the_same_timetable_except_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    for (export, into) in [("iml-2020-event.json", &a), ("iml-2020-timetable.json", &b)] {
        let run = import(&fixture(export), into, false);
        assert!(run.code == Some(0), "{}", run.stderr);
    }
    let (mut from_event, mut from_timetable) = (timetable(&a), timetable(&b));
    assert_eq!(
        without_breaks(&mut from_event),
        0,
        "the event form has no breaks"
    );
    assert_eq!(without_breaks(&mut from_timetable), 3);
    assert_eq!(from_event, from_timetable);
    assert_eq!(from_event["session"].as_array().unwrap().len(), 13);
}

#[test]
fn reimport_with_force_is_byte_identical_and_without_it_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("iml");
    let export = fixture("iml-2020-event.json");
    import(&export, &into, false).expect_success();
    let read = |name: &str| std::fs::read(into.join(name)).unwrap();
    let first = (read("index.md"), read("timetable.toml"));
    let refused = import(&export, &into, false);
    assert_eq!(refused.code, Some(2), "{}", refused.stderr);
    assert!(refused.stderr.contains("--force"), "{}", refused.stderr);
    let forced = import(&export, &into, true);
    assert!(forced.code == Some(0), "{}", forced.stderr);
    assert_eq!((read("index.md"), read("timetable.toml")), first);
}

/// Breaks `export` at `pointer` (a JSON pointer) and returns the importer's error.
fn import_error(export: &str, pointer: &str, value: Value) -> String {
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture(export)).unwrap()).unwrap();
    *json
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer}")) = value;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.json");
    std::fs::write(&file, serde_json::to_string(&json).unwrap()).unwrap();
    let run = import(&file, &dir.path().join("out"), false);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(!dir.path().join("out").exists(), "nothing is written");
    run.stderr
}

#[test]
fn a_malformed_export_names_the_json_path_at_fault() {
    let e = import_error(
        "iml-2020-event.json",
        "/results/0/sessions/3/startDate/time",
        Value::from("16:00"),
    );
    assert!(
        e.contains("results[0].sessions[3].startDate.time: expected \"HH:MM:SS\""),
        "{e}"
    );
    let e = import_error(
        "iml-2020-timetable.json",
        "/results/1003/20201021/s14/entries/c15/entryType",
        Value::from("Poster"),
    );
    assert!(
        e.contains("results.1003.20201021.s14.entries.c15.entryType: expected"),
        "{e}"
    );
}

fn calendar(path: &Path) -> ical::parser::ical::component::IcalCalendar {
    let text = std::fs::read_to_string(path).unwrap();
    assert!(
        text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'),
        "CRLF only"
    );
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "folded at 75 octets: {line}");
    }
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let cal = parser.next().expect("one calendar").expect("parses");
    assert!(parser.next().is_none());
    cal
}

fn prop(props: &[ical::property::Property], name: &str) -> Option<String> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
}

#[test]
fn event_feeds_parse_and_relate_to_the_workshop() {
    let out = site(&repo(), NOW);
    let dir = out.path().join("events/iml-2020");
    let days = fixture_days();
    let sessions = calendar(&dir.join("iml-2020.ics"));
    let talks = calendar(&dir.join("iml-2020-talks.ics"));
    let block_count: usize = days.values().map(|d| d.blocks.len()).sum();
    let talk_count: usize = days.values().map(|d| d.talks.len()).sum();
    assert_eq!(sessions.events.len(), block_count);
    assert_eq!(talks.events.len(), talk_count);
    assert!(
        sessions
            .timezones
            .iter()
            .any(|z| prop(&z.properties, "TZID").as_deref() == Some("Europe/Zurich"))
    );
    let mut uids = std::collections::HashSet::new();
    for ev in sessions.events.iter().chain(&talks.events) {
        let p = &ev.properties;
        assert_eq!(
            prop(p, "RELATED-TO").as_deref(),
            Some("ml4fp/events/iml-2020@podium-hub.github.io")
        );
        assert_eq!(prop(p, "DTSTAMP").as_deref(), Some("20261123T120000Z"));
        let start = p.iter().find(|x| x.name == "DTSTART").unwrap();
        let tzid = start
            .params
            .as_ref()
            .and_then(|ps| ps.iter().find(|(k, _)| k == "TZID"));
        assert_eq!(tzid.map(|(_, v)| v[0].as_str()), Some("Europe/Zurich"));
        assert!(uids.insert(prop(p, "UID").unwrap()), "UIDs are unique");
        assert!(
            prop(p, "URL")
                .unwrap()
                .starts_with("https://podium-hub.github.io/ml4fp/events/iml-2020/timetable/#")
        );
    }
    let site_wide = calendar(&out.path().join("calendar.ics"));
    let workshop_sessions = site_wide
        .events
        .iter()
        .filter(|e| {
            prop(&e.properties, "RELATED-TO").as_deref()
                == Some("ml4fp/events/iml-2020@podium-hub.github.io")
        })
        .count();
    assert_eq!(
        workshop_sessions, block_count,
        "every session is in /calendar.ics"
    );
    let first = &sessions.events[1];
    let description = prop(&first.properties, "DESCRIPTION").unwrap();
    assert!(
        description.contains("10:15 CERN Knowledge Transfer"),
        "{description}"
    );
}

/// The small hub's workshop feeds (sessions, talks) from a build into the scratch folder
/// `name`, as (SUMMARY, property `name`) pairs in feed order.
fn workshop_feeds(hub: &Hub, name: &str) -> [ical::parser::ical::component::IcalCalendar; 2] {
    let out = hub.scratch(name);
    podium(
        &hub.root,
        &["build", "--now", NOW, "--output", out.to_str().unwrap()],
    )
    .expect_success();
    ["ws.ics", "ws-talks.ics"].map(|feed| calendar(&out.join("events/ws").join(feed)))
}

/// (SUMMARY, `name`) of every event of `feeds`.
fn by_summary(
    feeds: &[ical::parser::ical::component::IcalCalendar],
    name: &str,
) -> Vec<(String, String)> {
    feeds
        .iter()
        .flat_map(|f| &f.events)
        .map(|e| {
            let p = &e.properties;
            (
                prop(p, "SUMMARY").unwrap(),
                prop(p, name).unwrap_or_default(),
            )
        })
        .collect()
}

fn edit(hub: &Hub, rel: &str, replacements: &[(&str, &str)]) {
    let mut text = std::fs::read_to_string(hub.root.join(rel)).unwrap();
    for (from, to) in replacements {
        assert!(text.contains(from), "{rel} has {from}");
        text = text.replace(from, to);
    }
    hub.write(rel, &text);
}

#[test]
fn an_online_workshop_puts_its_join_link_where_every_client_shows_it() {
    let hub = Hub::copy("events");
    let index = "content/events/ws/index.md";
    edit(&hub, index, &[("location = \"Main Auditorium\"\n", "")]);
    let feeds = workshop_feeds(&hub, "site");
    for (summary, description) in by_summary(&feeds, "DESCRIPTION") {
        assert!(
            description.starts_with("Join online: https://zoom.example.org/j/1"),
            "{summary}: {description}"
        );
    }
    let places = by_summary(&feeds, "LOCATION");
    let place = |title: &str| places.iter().find(|(s, _)| s == title).unwrap().1.clone();
    assert_eq!(place("Opening"), "Room 1", "a room wins");
    assert_eq!(place("First talk"), "Room 1");
    assert_eq!(place("After the clocks change"), "Online", "online only");
    assert_eq!(place("Summer time talk"), "Online");
}

#[test]
fn renaming_or_moving_sessions_and_talks_keeps_their_uids() {
    let hub = Hub::copy("events");
    let before = by_summary(&workshop_feeds(&hub, "before"), "UID");
    assert!(
        before.contains(&(
            "Opening".to_string(),
            "hub/events/ws/session-1@example.org".to_string()
        )),
        "{before:?}"
    );
    edit(
        &hub,
        FILE,
        &[
            ("title = \"Opening\"", "title = \"Welcome\""),
            ("title = \"First talk\"", "title = \"Opening talk\""),
            ("2030-03-31 09:00", "2030-03-31 11:00"),
            ("end = \"2030-03-31 10:00\"", "end = \"2030-03-31 12:00\""),
        ],
    );
    let after = by_summary(&workshop_feeds(&hub, "after"), "UID");
    let uids = |events: &[(String, String)]| {
        let mut uids: Vec<String> = events.iter().map(|(_, u)| u.clone()).collect();
        uids.sort();
        uids
    };
    assert_eq!(before.len(), 5);
    assert_eq!(uids(&before), uids(&after), "{before:?}\n{after:?}");
}

#[test]
fn parallel_sessions_with_one_title_and_time_are_two_events() {
    let hub = hub_with_timetable(&format!("{SESSION}room = \"A\"\n\n{SESSION}room = \"B\"\n"));
    let uids = by_summary(&workshop_feeds(&hub, "site")[..1], "UID");
    assert_eq!(uids.len(), 2);
    assert_ne!(uids[0].1, uids[1].1, "{uids:?}");
}

#[test]
fn two_sessions_or_talks_given_one_id_fail_at_the_second() {
    let talk =
        "\n[[session.talk]]\nid = \"t\"\nstart = \"09:00\"\nduration = \"5m\"\ntitle = \"T\"\n";
    let timetable = format!("{SESSION}id = \"x\"\n{talk}\n{SESSION}id = \"x\"\n{talk}");
    let hub = hub_with_timetable(&timetable);
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    let e = &run.stderr;
    assert!(e.contains(&format!("{FILE}:17:6")), "{e}");
    assert!(
        e.contains("session “S” has the id `x` of the session at line 5"),
        "{e}"
    );
    assert!(e.contains(&format!("{FILE}:20:6")), "{e}");
    assert!(
        e.contains("talk “T” has the id `t` of the talk at line 8"),
        "{e}"
    );
}

/// A copy of the small events hub whose timetable is `timetable`.
fn hub_with_timetable(timetable: &str) -> Hub {
    let hub = Hub::copy("events");
    hub.write("content/events/ws/timetable.toml", timetable);
    hub
}

/// Builds a hub with `timetable`, which must fail; returns the messages.
fn build_error(timetable: &str) -> String {
    let hub = hub_with_timetable(timetable);
    let out = hub.scratch("site");
    let out_arg = out.to_str().unwrap();
    let run = podium(&hub.root, &["build", "--now", NOW, "--output", out_arg]);
    run.expect_code(1);
    run.stderr.clone()
}

const FILE: &str = "content/events/ws/timetable.toml";

const SESSION: &str =
    "[[session]]\ntitle = \"S\"\nstart = \"2030-03-30 09:00\"\nend = \"2030-03-30 10:00\"\n";

#[test]
fn a_talk_outside_its_session_fails_with_its_line() {
    let e = build_error(&format!(
        "{SESSION}\n[[session.talk]]\nstart = \"09:45\"\nduration = \"30m\"\ntitle = \"Late\"\n"
    ));
    assert!(e.contains(&format!("{FILE}:7:")), "{e}");
    assert!(
        e.contains("“Late” (09:45–10:15) is outside its session"),
        "{e}"
    );
}

#[test]
fn overlapping_talks_fail_with_the_later_ones_line() {
    let e = build_error(&format!(
        "{SESSION}\n[[session.talk]]\nstart = \"09:00\"\nduration = \"30m\"\ntitle = \"A\"\n\n\
         [[session.talk]]\nstart = \"09:20\"\nduration = \"10m\"\ntitle = \"B\"\n"
    ));
    assert!(e.contains(&format!("{FILE}:12:")), "{e}");
    assert!(e.contains("“B” at 09:20 overlaps “A”"), "{e}");
}

#[test]
fn a_session_outside_the_event_dates_fails_with_its_line() {
    let e = build_error(
        "\n[[session]]\ntitle = \"Too late\"\nstart = \"2030-04-02 09:00\"\nend = \"2030-04-02 10:00\"\n",
    );
    assert!(e.contains(&format!("{FILE}:4:")), "{e}");
    assert!(
        e.contains("outside the event's dates (2030-03-30 to 2030-03-31)"),
        "{e}"
    );
}

#[test]
fn an_unknown_track_fails_with_a_suggestion() {
    let e = build_error(&format!(
        "{SESSION}\n[[session.talk]]\nstart = \"09:00\"\nduration = \"30m\"\ntitle = \"A\"\ntrack = \"ML algoritms\"\n"
    ));
    assert!(e.contains(&format!("{FILE}:10:")), "{e}");
    assert!(
        e.contains("unknown track `ML algoritms`, did you mean `ML algorithms`?"),
        "{e}"
    );
}

#[test]
fn bad_times_fail_with_their_line() {
    let e = build_error(&format!(
        "{SESSION}\n[[session.talk]]\nstart = \"25:00\"\nduration = \"30m\"\ntitle = \"A\"\n"
    ));
    assert!(e.contains(&format!("{FILE}:7:")), "{e}");
    assert!(e.contains("hour 25 is out of range"), "{e}");
    let e = build_error(&format!(
        "{SESSION}\n[[session.talk]]\nstart = \"09:00\"\nduration = \"soon\"\ntitle = \"A\"\n"
    ));
    assert!(e.contains(&format!("{FILE}:8:")), "{e}");
}

#[test]
fn the_small_hub_lays_days_out_in_the_event_zone_and_sorts_speakers() {
    let out = site(&common::fixture_dir("events"), NOW);
    let doc = html(out.path(), "events/ws/timetable/index.html");
    let days = page_days(&doc);
    let saturday = &days["2030-03-30"];
    assert_eq!(
        saturday.talks,
        ["2030-03-30T09:00:00+01:00", "2030-03-30T09:30:00+01:00"]
    );
    assert_eq!(saturday.breaks, ["2030-03-30T10:00:00+01:00"]);
    assert_eq!(
        days["2030-03-31"].talks,
        ["2030-03-31T09:00:00+02:00"],
        "after the DST change"
    );
    let titles: Vec<String> = doc
        .select(&sel(".programme-title"))
        .map(inner_text)
        .collect();
    assert_eq!(
        titles[..2],
        ["First talk", "Second talk"],
        "talks in time order"
    );
    let abstract_html = doc
        .select(&sel("details.abstract em"))
        .next()
        .map(inner_text);
    assert_eq!(abstract_html.as_deref(), Some("abstract"));
    let slides = attr_list(doc.root_element(), ".programme-meta a", "href");
    assert_eq!(
        slides,
        ["/hub/events/ws/slides.pdf"],
        "bundle files resolve under the base path"
    );
    assert!(out.path().join("events/ws/slides.pdf").is_file());
    for source in ["timetable.toml", "participants.csv"] {
        assert!(
            !out.path().join("events/ws").join(source).exists(),
            "{source} is not published"
        );
    }
    let speakers = html(out.path(), "events/ws/speakers/index.html");
    let names: Vec<String> = speakers
        .select(&sel(".speaker-name"))
        .map(inner_text)
        .collect();
    assert_eq!(names, ["Alan Turing", "bob Builder", "Émilie du Châtelet"]);
    let alan = speakers.select(&sel(".speaker")).next().unwrap();
    assert_eq!(alan.select(&sel("ul a")).count(), 2, "both of Alan's talks");
    let events = html(out.path(), "events/index.html");
    assert!(inner_text(events.select(&sel("#upcoming")).next().unwrap()).contains("Winter School"));
    let home = html(out.path(), "index.html");
    let next: Vec<String> = home
        .select(&sel(".home-event a"))
        .filter_map(|a| a.value().attr("href").map(str::to_string))
        .collect();
    assert_eq!(
        next,
        ["/hub/events/ws/"],
        "the home page links the next event"
    );
    let later = site(&common::fixture_dir("events"), "2030-04-01T00:00:00Z");
    let events = html(later.path(), "events/index.html");
    let home = html(later.path(), "index.html");
    assert_eq!(
        home.select(&sel(".home-event")).count(),
        0,
        "no next event once it is over"
    );
    assert!(inner_text(events.select(&sel("#past")).next().unwrap()).contains("Winter School"));
}

#[test]
fn the_demo_workshop_is_exactly_what_the_importer_writes() {
    // The documented workflow: the event form for the event's metadata, then the timetable
    // form (which keeps index.md) for the breaks, plus the participants list.
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("iml-2020");
    let csv = fixture("iml-2020-participants.csv");
    let event = import(&fixture("iml-2020-event.json"), &into, false);
    assert!(event.code == Some(0), "{}", event.stderr);
    let index_before = std::fs::read(into.join("index.md")).unwrap();
    let run = run(&[
        "import",
        "indico",
        fixture("iml-2020-timetable.json").to_str().unwrap(),
        "--into",
        into.to_str().unwrap(),
        "--force",
        "--participants",
        csv.to_str().unwrap(),
    ]);
    assert!(run.code == Some(0), "{}", run.stderr);
    assert_eq!(
        std::fs::read(into.join("index.md")).unwrap(),
        index_before,
        "index.md kept"
    );
    let demo = repo().join("content/events/iml-2020");
    for name in ["index.md", "timetable.toml", "participants.csv"] {
        assert_eq!(
            std::fs::read_to_string(into.join(name)).unwrap(),
            std::fs::read_to_string(demo.join(name)).unwrap(),
            "{name} differs from a fresh import: re-run the importer"
        );
    }
}

#[test]
fn native_toml_date_times_work_like_strings() {
    let hub = hub_with_timetable(
        "[[session]]\ntitle = \"S\"\nstart = 2030-03-31T09:00:00\nend = 2030-03-31T10:00:00\n\n\
         [[session.talk]]\nstart = 09:15:00\nduration = \"15m\"\ntitle = \"T\"\n",
    );
    let out = site(&hub.root, NOW);
    let days = page_days(&html(out.path(), "events/ws/timetable/index.html"));
    assert_eq!(days["2030-03-31"].talks, ["2030-03-31T09:15:00+02:00"]);
    let e = build_error(&format!(
        "{SESSION}\n[[session.talk]]\nstart = 915\nduration = \"15m\"\ntitle = \"T\"\n"
    ));
    assert!(
        e.contains(&format!("{FILE}:7:")) && e.contains("expected a date-time"),
        "{e}"
    );
}

#[test]
fn bad_event_fields_fail_with_their_lines() {
    let hub = hub_with_timetable("");
    let index = hub.root.join("content/events/ws/index.md");
    let text = std::fs::read_to_string(&index)
        .unwrap()
        .replace("end_date = 2030-03-31", "end_date = 2030-03-29")
        .replace("\"Europe/Zurich\"", "\"Mars/Olympus\"");
    std::fs::write(&index, text).unwrap();
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    let e = &run.stderr;
    assert!(
        e.contains("content/events/ws/index.md:4:1: `end_date` 2030-03-29 is before"),
        "{e}"
    );
    assert!(
        e.contains("content/events/ws/index.md:5:1: unknown time zone `Mars/Olympus`"),
        "{e}"
    );
}

#[test]
fn every_event_link_resolves_including_speaker_links_into_the_timetable() {
    let out = site(&common::fixture_dir("events"), NOW);
    let report = common::check_links(out.path(), "https://example.org/hub/");
    common::assert_no_link_problems(&report);
    assert!(
        report.fragments >= 4,
        "speaker links carry #talk-… fragments: {report:?}"
    );
}

#[test]
fn an_event_without_a_zone_takes_its_sections() {
    let hub = hub_with_timetable(
        "[[session]]\ntitle = \"S\"\nstart = \"2030-03-31 09:00\"\nend = \"2030-03-31 10:00\"\n",
    );
    let index = hub.root.join("content/events/ws/index.md");
    let text = std::fs::read_to_string(&index).unwrap();
    std::fs::write(&index, text.replace("timezone = \"Europe/Zurich\"\n", "")).unwrap();
    hub.write(
        "content/events/_index.md",
        "+++\ntitle = \"Events\"\nkind = \"events\"\ntimezone = \"Asia/Tokyo\"\n+++\n",
    );
    let out = site(&hub.root, NOW);
    let days = page_days(&html(out.path(), "events/ws/timetable/index.html"));
    assert_eq!(days["2030-03-31"].blocks, ["2030-03-31T09:00:00+09:00"]);
}

// The hard cases of issue 22, from `edge-*.json` (see make_edge_fixtures.py): an event in
// Chicago (the events hub is in Los Angeles) whose event export is in UTC.

/// Imports `export` into a fresh folder and returns its timetable.
fn imported(export: &str) -> (tempfile::TempDir, toml::Table) {
    let dir = tempfile::tempdir().unwrap();
    let run = import(&fixture(export), &dir.path().join("edge"), false);
    assert!(run.code == Some(0), "{}", run.stderr);
    let t = timetable(&dir.path().join("edge"));
    (dir, t)
}

/// The sessions titled `title`.
fn sessions<'a>(t: &'a toml::Table, title: &str) -> Vec<&'a toml::Value> {
    t["session"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["title"].as_str() == Some(title))
        .collect()
}

/// `(start, duration, title)` of each talk of a session.
fn talks(session: &toml::Value) -> Vec<(String, String, String)> {
    let Some(talks) = session.get("talk") else {
        return Vec::new();
    };
    let field = |t: &toml::Value, k: &str| t[k].as_str().unwrap().to_string();
    talks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (field(t, "start"), field(t, "duration"), field(t, "title")))
        .collect()
}

#[test]
fn both_forms_of_the_hard_event_give_the_same_timetable_except_breaks() {
    let (_a, mut from_event) = imported("edge-event.json");
    let (_b, mut from_timetable) = imported("edge-timetable.json");
    assert_eq!(without_breaks(&mut from_event), 0);
    assert_eq!(without_breaks(&mut from_timetable), 2, "coffee and lunch");
    assert_eq!(from_event, from_timetable);
}

#[test]
fn the_event_form_is_moved_from_the_export_zone_to_the_events() {
    let (dir, t) = imported("edge-event.json");
    let index = std::fs::read_to_string(dir.path().join("edge/index.md")).unwrap();
    assert!(index.contains("timezone = \"America/Chicago\""), "{index}");
    assert!(index.contains("start_date = 2026-03-09"), "{index}");
    let plenary = sessions(&t, "Plenary: Monday morning")[0];
    assert_eq!(
        plenary["start"].as_str(),
        Some("2026-03-09 09:00"),
        "14:00 UTC"
    );
}

#[test]
fn a_block_past_midnight_is_imported_once_with_its_talks_on_both_days() {
    for export in ["edge-event.json", "edge-timetable.json"] {
        let (_dir, t) = imported(export);
        let night = sessions(&t, "Hackathon: Night shift");
        assert_eq!(night.len(), 1, "{export}: listed under both days by Indico");
        assert_eq!(night[0]["end"].as_str(), Some("2026-03-10 01:00"));
        let results = (
            "2026-03-10 00:30".into(),
            "30m".into(),
            "Hackathon results".into(),
        );
        assert_eq!(talks(night[0])[1], results, "{export}");
    }
}

#[test]
fn parallel_blocks_keep_their_rooms_full_names_in_a_fixed_order() {
    for export in ["edge-event.json", "edge-timetable.json"] {
        let (_dir, t) = imported(export);
        let rooms: Vec<_> = sessions(&t, "Parallel")
            .iter()
            .map(|s| s["room"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(
            rooms,
            [
                "222-R-001 - Filtration Plant",
                "503-1-001 - Council Chamber"
            ],
            "{export}"
        );
    }
}

#[test]
fn an_entry_longer_than_a_day_keeps_its_length() {
    // Indico's `duration` for this 25-hour entry is 60: only its `endDate` is right.
    for export in ["edge-event.json", "edge-timetable.json"] {
        let (_dir, t) = imported(export);
        let exhibition = sessions(&t, "Detector exhibition")[0];
        assert_eq!(talks(exhibition)[0].1, "25h", "{export}");
        assert_eq!(exhibition["end"].as_str(), Some("2026-03-10 10:00"));
    }
}

#[test]
fn blocks_and_talks_missing_from_the_timetable_are_left_out() {
    // `startDate: null`: a block without a timetable entry, an unscheduled contribution.
    let (_dir, t) = imported("edge-event.json");
    let text = toml::to_string(&t).unwrap();
    assert!(!text.contains("Friday overflow"), "{text}");
    assert!(!text.contains("Withdrawn talk"), "{text}");
}

#[test]
fn poster_sessions_list_their_posters_and_the_imported_event_builds() {
    let (dir, t) = imported("edge-timetable.json");
    let posters = sessions(&t, "Posters")[0];
    assert!(
        talks(posters).is_empty(),
        "side-by-side posters would overlap"
    );
    let description = posters["description"].as_str().unwrap();
    assert!(
        description.contains("- hls4ml on FPGAs (Sioni Paris Summers)\n"),
        "{description}"
    );
    // The whole import passes the timetable checks, in a hub of another zone.
    let hub = Hub::copy("events");
    common::copy_tree(
        &dir.path().join("edge"),
        &hub.root.join("content/events/edge"),
    );
    hub.build_into("site", &[]);
}

#[test]
fn a_timetable_saved_in_another_zone_is_moved_to_the_events_zone() {
    // The timetable form is in the saver's display zone; index.md names the event's.
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("edge");
    import(&fixture("edge-event.json"), &into, false).expect_success();
    import(&fixture("edge-timetable-zurich.json"), &into, true).expect_success();
    let (_other, in_chicago) = imported("edge-timetable.json");
    assert_eq!(timetable(&into), in_chicago);
}

#[test]
fn the_contributions_detail_groups_talks_by_session_and_day() {
    // `detail=contributions`: no blocks, every contribution naming its session.
    let mut json: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("edge-event.json")).unwrap())
            .unwrap();
    let event = &mut json["results"][0];
    let mut all: Vec<Value> = event["contributions"].as_array().unwrap().clone();
    for block in event["sessions"].as_array().unwrap() {
        all.extend(block["contributions"].as_array().unwrap().iter().cloned());
    }
    event["contributions"] = Value::from(all);
    event.as_object_mut().unwrap().remove("sessions");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("contributions.json");
    std::fs::write(&file, json.to_string()).unwrap();
    let run = import(&file, &dir.path().join("edge"), false);
    assert!(run.code == Some(0), "{}", run.stderr);
    let t = timetable(&dir.path().join("edge"));
    let plenary = sessions(&t, "Plenary");
    assert_eq!(plenary.len(), 1);
    assert_eq!(plenary[0]["start"].as_str(), Some("2026-03-09 09:00"));
    assert_eq!(plenary[0]["end"].as_str(), Some("2026-03-09 10:00"));
    assert_eq!(talks(plenary[0]).len(), 2);
    assert_eq!(sessions(&t, "Parallel").len(), 2, "one per room");
    assert_eq!(sessions(&t, "Hackathon").len(), 2, "one per day");
}

#[test]
fn an_import_error_gives_the_line_and_column_of_the_value_at_fault() {
    let text = std::fs::read_to_string(fixture("iml-2020-timetable.json")).unwrap();
    let bad = "\"time\": \"17:00:00\"";
    let offset = text.find(bad).unwrap() + "\"time\": ".len();
    let line = text[..offset].matches('\n').count() + 1;
    let column = offset - text[..offset].rfind('\n').unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.json");
    std::fs::write(&file, text.replacen(bad, "\"time\": \"5pm\"", 1)).unwrap();
    let run = import(&file, &dir.path().join("out"), false);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let expected = format!(
        "broken.json:{line}:{column}: results.1003.20201019.s1.endDate.time: expected \"HH:MM:SS\""
    );
    assert!(run.stderr.contains(&expected), "{expected}\n{}", run.stderr);
}

#[test]
fn a_timetable_into_an_event_with_an_unknown_zone_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let into = dir.path().join("edge");
    std::fs::create_dir_all(&into).unwrap();
    let index = "+++\ntitle = \"Edge\"\ntimezone = \"Mars/Olympus\"\n+++\n";
    std::fs::write(into.join("index.md"), index).unwrap();
    let run = import(&fixture("edge-timetable.json"), &into, false);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("index.md"), "{}", run.stderr);
    assert!(run.stderr.contains("\"Mars/Olympus\""), "{}", run.stderr);
    assert!(!into.join("timetable.toml").exists(), "nothing is written");
}
