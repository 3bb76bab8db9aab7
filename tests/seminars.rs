//! Seminars end to end: the real `podium` binary builds `tests/hubs/seminars` (or a copy
//! with a file changed) and the pages and feeds it writes are read back with independent
//! parsers — `ical` for calendars, `scraper` for HTML.

use std::collections::BTreeSet;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use ical::parser::ical::component::IcalCalendar;
use ical::property::Property;
use scraper::{Html, Selector};
use tempfile::TempDir;

// ---------------------------------------------------------------- helpers

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hubs/seminars")
}

/// A finished build: where it went and what the binary said.
struct Build {
    dir: TempDir,
    output: Output,
}

impl Build {
    fn out(&self) -> PathBuf {
        self.dir.path().join("public")
    }

    fn read(&self, path: &str) -> String {
        let file = self.out().join(path);
        std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
    }

    fn html(&self, path: &str) -> Html {
        Html::parse_document(&self.read(path))
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }
}

fn run(root: &Path, now: &str) -> Build {
    let dir = TempDir::new().expect("temp dir");
    let output = Command::new(env!("CARGO_BIN_EXE_podium"))
        .arg("--root")
        .arg(root)
        .arg("build")
        .arg("--output")
        .arg(dir.path().join("public"))
        .args(["--now", now])
        .output()
        .expect("podium runs");
    Build { dir, output }
}

/// Builds and insists it worked.
fn build(root: &Path, now: &str) -> Build {
    let b = run(root, now);
    assert!(b.output.status.success(), "build failed:\n{}", b.stderr());
    b
}

/// A copy of the fixture hub to change.
fn copy_of_fixture() -> TempDir {
    let dir = TempDir::new().expect("temp dir");
    copy_dir(&fixture(), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn ics_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(ics_files(&path));
        } else if path.extension().is_some_and(|e| e == "ics") {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Reads a feed, checks its line structure (CRLF, at most 75 octets a line) and parses it.
fn well_formed(file: &Path) -> IcalCalendar {
    let bytes = std::fs::read(file).unwrap();
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.ends_with("\r\n"), "{}", file.display());
    for line in text.split_terminator("\r\n") {
        assert!(
            !line.contains('\n') && !line.contains('\r'),
            "bare line end in {line:?}"
        );
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
    }
    parse_ics(&text)
}

fn parse_ics(text: &str) -> IcalCalendar {
    let mut parser = ical::IcalParser::new(BufReader::new(text.as_bytes()));
    let calendar = parser
        .next()
        .expect("one calendar")
        .unwrap_or_else(|e| panic!("does not parse: {e}\n{text}"));
    assert!(parser.next().is_none(), "exactly one calendar");
    calendar
}

fn value(props: &[Property], name: &str) -> Option<String> {
    props
        .iter()
        .find(|p| p.name == name)
        .and_then(|p| p.value.clone())
}

fn param(props: &[Property], name: &str, key: &str) -> Option<String> {
    let p = props.iter().find(|p| p.name == name)?;
    let (_, values) = p.params.as_ref()?.iter().find(|(k, _)| k == key)?;
    Some(values.join(","))
}

/// RFC 5545 §3.3.11 unescaping, independent of the writer.
fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (c, c == '\\') {
            (_, false) => out.push(c),
            (_, true) => match chars.next() {
                Some('n' | 'N') => out.push('\n'),
                Some(other) => out.push(other),
                None => out.push('\\'),
            },
        }
    }
    out
}

/// The event of the one-talk feed at `path`.
fn talk_event(b: &Build, path: &str) -> Vec<Property> {
    let calendar = parse_ics(&b.read(path));
    assert_eq!(calendar.events.len(), 1, "{path}");
    calendar.events[0].properties.clone()
}

fn uids(b: &Build, path: &str) -> BTreeSet<String> {
    parse_ics(&b.read(path))
        .events
        .iter()
        .filter_map(|e| value(&e.properties, "UID"))
        .collect()
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e}"));
    doc.select(&selector).collect()
}

fn text(e: &scraper::ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Titles of the talks listed under `css` on a page, in order.
fn titles(doc: &Html, css: &str) -> Vec<String> {
    select(doc, &format!("{css} .talk-title a"))
        .iter()
        .map(text)
        .collect()
}

const NOW: &str = "2020-11-06T12:00:00Z";
const LONG_TITLE_BYTES: usize = 180;

// ---------------------------------------------------------------- feeds

#[test]
fn every_feed_parses_and_is_well_formed() {
    let b = build(&fixture(), NOW);
    let files = ics_files(&b.out());
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(b.out()).unwrap().display().to_string())
        .collect();
    for expected in [
        "calendar.ics",
        "calendar.recent.ics",
        "seminars/seminars.ics",
        "seminars/recent.ics",
        "seminars/colloquium.ics",
        "seminars/colloquium.recent.ics",
        "seminars/group-meeting.ics",
        "seminars/thaler/thaler.ics",
        "seminars/meeting/meeting.ics",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    for file in &files {
        let calendar = well_formed(file);
        let props = &calendar.properties;
        assert!(value(props, "NAME").is_some(), "{}", file.display());
        assert!(value(props, "X-WR-CALNAME").is_some());
        assert_eq!(value(props, "REFRESH-INTERVAL").as_deref(), Some("PT12H"));
        assert_eq!(value(props, "X-PUBLISHED-TTL").as_deref(), Some("PT12H"));
        for event in &calendar.events {
            let e = &event.properties;
            for required in [
                "UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "URL", "STATUS",
            ] {
                assert!(
                    value(e, required).is_some(),
                    "{required} in {}",
                    file.display()
                );
            }
            assert_eq!(value(e, "DTSTAMP").as_deref(), Some("20201106T120000Z"));
        }
    }
    let all = parse_ics(&b.read("calendar.ics"));
    assert_eq!(all.events.len(), 8, "every seminar in /calendar.ics");
}

#[test]
fn the_demo_hub_and_every_fixture_hub_emit_well_formed_feeds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let demo = build(root, NOW);
    let files = ics_files(&demo.out());
    assert!(files.len() >= 10, "{files:?}");
    for file in &files {
        well_formed(file);
    }
    let mut hubs = 0;
    for hub in std::fs::read_dir(root.join("tests/hubs")).unwrap() {
        let b = run(&hub.unwrap().path(), NOW);
        if !b.output.status.success() {
            continue; // hubs made to fail, for error tests
        }
        hubs += 1;
        for file in ics_files(&b.out()) {
            well_formed(&file);
        }
    }
    assert!(hubs >= 2, "fixture hubs built: {hubs}");
}

#[test]
fn a_talk_event_carries_speakers_place_and_link() {
    let b = build(&fixture(), NOW);
    let e = talk_event(&b, "seminars/thaler/thaler.ics");
    assert_eq!(
        param(&e, "DTSTART", "TZID").as_deref(),
        Some("America/Los_Angeles")
    );
    assert_eq!(value(&e, "DTSTART").as_deref(), Some("20201105T160000"));
    assert_eq!(value(&e, "DTEND").as_deref(), Some("20201105T170000"));
    let description = unescape(&value(&e, "DESCRIPTION").unwrap());
    assert!(
        description.contains("Jesse Thaler (MIT), Ada Lovelace"),
        "{description}"
    );
    assert!(description.contains("https://hub.example.org/lab/seminars/thaler/"));
    assert_eq!(
        unescape(&value(&e, "LOCATION").unwrap()),
        "Room 50A-5132",
        "inherited from the series"
    );
    let meeting = talk_event(&b, "seminars/meeting/meeting.ics");
    assert_eq!(
        value(&meeting, "CONFERENCE").as_deref(),
        Some("https://zoom.example/j/123")
    );
}

#[test]
fn uids_survive_rebuilds_and_edits_of_title_and_start() {
    let first = build(&fixture(), NOW);
    let second = build(&fixture(), NOW);
    let before = uids(&first, "seminars/seminars.ics");
    assert_eq!(before.len(), 8);
    assert_eq!(before, uids(&second, "seminars/seminars.ics"));
    assert_eq!(
        first.read("seminars/seminars.ics"),
        second.read("seminars/seminars.ics"),
        "same input and --now give the same bytes"
    );
    assert!(
        before.contains("lab/seminars/thaler@hub.example.org"),
        "{before:?}"
    );

    let hub = copy_of_fixture();
    let talk = hub.path().join("content/seminars/thaler.md");
    let edited = std::fs::read_to_string(&talk)
        .unwrap()
        .replace("The Hidden Geometry of Particle Collisions", "A New Title")
        .replace("2020-11-05T16:00:00", "2020-11-19T15:00:00")
        .replace("2020-11-05T17:00:00", "2020-11-19T16:00:00");
    std::fs::write(&talk, edited).unwrap();
    let after = build(hub.path(), NOW);
    assert_eq!(before, uids(&after, "seminars/seminars.ics"));
    let e = talk_event(&after, "seminars/thaler/thaler.ics");
    assert_eq!(value(&e, "SUMMARY").as_deref(), Some("A New Title"));
    assert_eq!(value(&e, "DTSTART").as_deref(), Some("20201119T150000"));
}

#[test]
fn a_long_non_ascii_title_folds_on_utf8_boundaries_and_round_trips() {
    let b = build(&fixture(), NOW);
    let source = std::fs::read_to_string(fixture().join("content/seminars/long-title.md")).unwrap();
    let title = source.lines().nth(1).unwrap();
    let title = title.trim_start_matches("title = \"").trim_end_matches('"');
    assert_eq!(title.len(), LONG_TITLE_BYTES);
    let raw = b.read("seminars/long-title/long-title.ics");
    let summary_lines: Vec<&str> = raw
        .split("\r\n")
        .skip_while(|l| !l.starts_with("SUMMARY:"))
        .take_while(|l| l.starts_with("SUMMARY:") || l.starts_with(' '))
        .collect();
    assert!(summary_lines.len() >= 3, "folded: {summary_lines:?}");
    let e = talk_event(&b, "seminars/long-title/long-title.ics");
    assert_eq!(unescape(&value(&e, "SUMMARY").unwrap()), title);
}

#[test]
fn commas_semicolons_and_backslashes_are_escaped() {
    let b = build(&fixture(), NOW);
    let raw = b.read("seminars/special-characters/special-characters.ics");
    assert!(
        raw.contains(r"SUMMARY:Commas\, semicolons\; and a backslash \\ in one title"),
        "{raw}"
    );
    let e = talk_event(&b, "seminars/special-characters/special-characters.ics");
    assert_eq!(
        unescape(&value(&e, "SUMMARY").unwrap()),
        r"Commas, semicolons; and a backslash \ in one title"
    );
    assert_eq!(
        param(&e, "DTSTART", "TZID").as_deref(),
        Some("Europe/Zurich"),
        "a talk's own zone wins over the section's"
    );
    assert!(unescape(&value(&e, "DESCRIPTION").unwrap()).contains("comma; and a semicolon"));
}

#[test]
fn all_day_talks_use_dates_with_an_exclusive_end() {
    let b = build(&fixture(), NOW);
    let e = talk_event(&b, "seminars/all-day/all-day.ics");
    assert_eq!(param(&e, "DTSTART", "VALUE").as_deref(), Some("DATE"));
    assert_eq!(value(&e, "DTSTART").as_deref(), Some("20201120"));
    assert_eq!(param(&e, "DTEND", "VALUE").as_deref(), Some("DATE"));
    assert_eq!(
        value(&e, "DTEND").as_deref(),
        Some("20201122"),
        "a talk on the 20th and 21st ends before the 22nd"
    );
    let page = b.html("seminars/all-day/index.html");
    let when = select(&page, ".talk-facts time.when");
    assert_eq!(text(&when[0]), "Fri 20 – Sat 21 Nov 2020");
}

#[test]
fn cancelled_talks_stay_listed_and_raise_their_sequence() {
    let b = build(&fixture(), NOW);
    let e = talk_event(&b, "seminars/cancelled/cancelled.ics");
    assert_eq!(value(&e, "STATUS").as_deref(), Some("CANCELLED"));
    assert_eq!(value(&e, "SEQUENCE").as_deref(), Some("1"));
    let listing = b.html("seminars/index.html");
    let cancelled = select(&listing, ".upcoming .talk-cancelled");
    assert_eq!(cancelled.len(), 1);
    assert!(text(&cancelled[0]).contains("Cancelled"));
}

#[test]
fn hubs_on_one_host_give_their_talks_different_uids() {
    let other = copy_of_fixture();
    let config = other.path().join("config.toml");
    let text = std::fs::read_to_string(&config).unwrap();
    let moved = text.replace("hub.example.org/lab/", "hub.example.org/other-lab/");
    assert_ne!(text, moved);
    std::fs::write(&config, moved).unwrap();
    let lab = uids(&build(&fixture(), NOW), "seminars/seminars.ics");
    let other_lab = uids(&build(other.path(), NOW), "seminars/seminars.ics");
    assert!(
        lab.contains("lab/seminars/thaler@hub.example.org"),
        "{lab:?}"
    );
    let shared: Vec<&String> = lab.intersection(&other_lab).collect();
    assert_eq!(
        shared,
        ["postponed-talk-2020@hub.example.org"],
        "only a UID written in front matter is shared"
    );
}

#[test]
fn uid_and_sequence_can_be_overridden_and_postponed_talks_stay_tentative() {
    let b = build(&fixture(), NOW);
    let e = talk_event(&b, "seminars/postponed/postponed.ics");
    assert_eq!(
        value(&e, "UID").as_deref(),
        Some("postponed-talk-2020@hub.example.org")
    );
    assert_eq!(
        value(&e, "SEQUENCE").as_deref(),
        Some("5"),
        "raised from 4 when postponed"
    );
    assert_eq!(value(&e, "STATUS").as_deref(), Some("TENTATIVE"));
    assert_eq!(
        value(&e, "SUMMARY").as_deref(),
        Some("Postponed: A postponed talk")
    );
}

// ---------------------------------------------------------------- recurrence

/// The local start times (`datetime`) of the listed meetings.
fn meeting_starts(doc: &Html) -> Vec<String> {
    select(doc, ".talk")
        .iter()
        .filter(|li| {
            select_in(li, ".talk-title a")
                .is_some_and(|a| a.value().attr("href") == Some("/lab/seminars/meeting/"))
        })
        .filter_map(|li| {
            select_in(li, "time").and_then(|t| t.value().attr("datetime").map(String::from))
        })
        .collect()
}

fn select_in<'a>(e: &scraper::ElementRef<'a>, css: &str) -> Option<scraper::ElementRef<'a>> {
    e.select(&Selector::parse(css).unwrap()).next()
}

#[test]
fn a_biweekly_meeting_stays_at_eleven_across_dst_and_skips_its_exdate() {
    let b = build(&fixture(), "2021-01-01T00:00:00Z");
    let mut starts = meeting_starts(&b.html("seminars/index.html"));
    starts.sort();
    assert_eq!(
        starts,
        [
            "2021-02-04T11:00:00-08:00",
            "2021-02-18T11:00:00-08:00",
            "2021-03-04T11:00:00-08:00",
            // 2021-03-18 is an exdate; DST begins on 14 March.
            "2021-04-01T11:00:00-07:00",
            "2021-04-15T11:00:00-07:00",
            "2021-04-29T11:00:00-07:00",
        ]
    );
    let e = talk_event(&b, "seminars/meeting/meeting.ics");
    assert_eq!(value(&e, "EXDATE").as_deref(), Some("20210318T110000"));
    assert_eq!(
        param(&e, "EXDATE", "TZID").as_deref(),
        Some("America/Los_Angeles")
    );
    assert!(
        value(&e, "RRULE")
            .unwrap()
            .starts_with("FREQ=WEEKLY;INTERVAL=2;UNTIL=")
    );
    let page = b.html("seminars/meeting/index.html");
    let dates: Vec<String> = select(&page, ".next-dates time").iter().map(text).collect();
    assert!(
        dates.contains(&"Thu 1 Apr 2021, 11:00 am – 12:00 pm PDT".to_string()),
        "{dates:?}"
    );
    assert!(dates.contains(&"Thu 4 Feb 2021, 11:00 am – 12:00 pm PST".to_string()));
}

// ---------------------------------------------------------------- pages

#[test]
fn upcoming_and_past_split_at_now() {
    let b = build(&fixture(), NOW);
    let listing = b.html("seminars/index.html");
    let upcoming = titles(&listing, ".upcoming");
    assert_eq!(
        upcoming[..3],
        ["A talk next week", "A cancelled talk", "Two-day hackathon"]
    );
    assert_eq!(upcoming.last().map(String::as_str), Some("Group meeting"));
    let past = titles(&listing, ".past");
    assert_eq!(
        past[0], "The Hidden Geometry of Particle Collisions",
        "newest first"
    );
    assert_eq!(past.len(), 3);
    let years: Vec<String> = select(&listing, ".past h3").iter().map(text).collect();
    assert_eq!(years, ["2020"]);

    let earlier = build(&fixture(), "2020-11-05T23:30:00Z");
    let listing = earlier.html("seminars/index.html");
    assert_eq!(
        titles(&listing, ".upcoming")[0],
        "The Hidden Geometry of Particle Collisions",
        "a talk is upcoming until it ends"
    );
}

#[test]
fn the_november_grid_has_the_talks_on_their_days() {
    let b = build(&fixture(), NOW);
    let grid = b.html("seminars/calendar/2020-11/index.html");
    let day = |date: &str| -> String {
        select(&grid, &format!("td[data-date=\"{date}\"]"))
            .first()
            .map(text)
            .unwrap_or_else(|| panic!("no cell for {date}"))
    };
    assert!(day("2020-11-05").contains("4pm The Hidden Geometry of Particle Collisions"));
    assert!(day("2020-11-10").contains("10am A talk next week"));
    assert!(day("2020-11-20").contains("Two-day hackathon"));
    assert!(
        day("2020-11-03").contains("9am Commas"),
        "in the talk's own zone"
    );
    assert!(!day("2020-11-06").contains("Hidden"));
    let rows = select(&grid, ".month-grid tbody tr");
    assert_eq!(rows.len(), 5);
    let first = select(&grid, ".month-grid tbody td");
    assert_eq!(
        first[0].value().attr("data-date"),
        Some("2020-11-01"),
        "weeks start on Sunday"
    );
    let next: Vec<_> = select(&grid, ".month-nav a[rel=next]");
    assert_eq!(
        next[0].value().attr("href"),
        Some("/lab/seminars/calendar/2020-12/")
    );
    assert!(
        b.out()
            .join("seminars/calendar/2021-04/index.html")
            .is_file()
    );
}

#[test]
fn talk_pages_show_time_speakers_and_calendar_links() {
    let b = build(&fixture(), NOW);
    let page = b.html("seminars/thaler/index.html");
    let when = select(&page, ".talk-facts time.when");
    assert_eq!(text(&when[0]), "Thu 5 Nov 2020, 4:00 – 5:00 pm PST");
    let member: Vec<_> = select(&page, ".speakers a");
    assert_eq!(member.len(), 1);
    assert_eq!(
        member[0].value().attr("href"),
        Some("/lab/people/ada-lovelace/")
    );
    let links: Vec<String> = select(&page, ".calendar-actions a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    assert!(
        links
            .iter()
            .any(|l| l.starts_with("https://calendar.google.com/calendar/render?action=TEMPLATE"))
    );
    assert!(links.contains(&"/lab/seminars/thaler/thaler.ics".to_string()));
    assert!(links.contains(&"webcal://hub.example.org/lab/seminars/thaler/thaler.ics".to_string()));
}

#[test]
fn listings_offer_every_feed_three_ways_and_filter_by_series() {
    let b = build(&fixture(), NOW);
    let listing = b.html("seminars/index.html");
    let hrefs: Vec<String> = select(&listing, ".subscribe a")
        .iter()
        .filter_map(|a| a.value().attr("href").map(String::from))
        .collect();
    let feed = "webcal://hub.example.org/lab/seminars/seminars.ics";
    assert!(hrefs.contains(&"/lab/seminars/seminars.ics".to_string()));
    assert!(hrefs.contains(&"webcal://hub.example.org/lab/seminars/seminars.ics".to_string()));
    assert!(hrefs.contains(&format!(
        "https://calendar.google.com/calendar/render?cid={}",
        feed.replace(':', "%3A").replace('/', "%2F")
    )));
    assert!(hrefs.iter().any(|h| h.ends_with("/colloquium.ics")));
    let series = b.html("seminars/series/group-meeting/index.html");
    let all: Vec<String> = titles(&series, ".upcoming")
        .into_iter()
        .chain(titles(&series, ".past"))
        .collect();
    assert!(
        !all.is_empty() && all.iter().all(|t| t == "Group meeting"),
        "{all:?}"
    );
}

#[test]
fn the_home_page_shows_the_next_talks() {
    let b = build(&fixture(), NOW);
    let home = b.html("index.html");
    let next = titles(&home, ".home-seminars");
    assert_eq!(
        next,
        ["A talk next week", "Two-day hackathon", "Group meeting"],
        "cancelled talks are not advertised"
    );
}

// ---------------------------------------------------------------- archive

/// A talk [`with_history`] added.
struct Added {
    title: String,
    day: jiff::civil::Date,
    colloquium: bool,
}

/// The fixture with `weeks` more talks, one a week from January 2017, three in four of them
/// in the colloquium series.
fn with_history(weeks: usize) -> (TempDir, Vec<Added>) {
    let hub = copy_of_fixture();
    let first = jiff::civil::date(2017, 1, 6);
    let added: Vec<Added> = (0..weeks)
        .map(|week| Added {
            title: format!("Archived talk {week:03}"),
            day: first
                .checked_add(jiff::Span::new().weeks(week as i64))
                .unwrap(),
            colloquium: week % 4 != 0,
        })
        .collect();
    for (week, talk) in added.iter().enumerate() {
        let series = if talk.colloquium {
            "series = \"colloquium\"\n"
        } else {
            ""
        };
        let text = format!(
            "+++\ntitle = \"{}\"\nspeakers = [{{ name = \"Speaker {week}\" }}]\n{series}start = {}T16:00:00\n+++\n\nAbstract {week}.\n",
            talk.title, talk.day
        );
        let file = hub
            .path()
            .join(format!("content/seminars/archived-{week:03}.md"));
        std::fs::write(file, text).unwrap();
    }
    (hub, added)
}

/// The added talks among `titles`, sorted.
fn archived(titles: &[String]) -> Vec<String> {
    let mut found: Vec<String> = titles
        .iter()
        .filter(|t| t.starts_with("Archived talk"))
        .cloned()
        .collect();
    found.sort();
    found
}

fn titles_of<'a>(talks: impl Iterator<Item = &'a Added>) -> Vec<String> {
    talks.map(|t| t.title.clone()).collect()
}

#[test]
fn a_long_history_moves_to_yearly_archive_pages() {
    // 150 weeks from January 2017 end on 8 November 2019, within a year of `NOW`.
    let (hub, added) = with_history(150);
    let b = build(hub.path(), NOW);
    let listing = b.html("seminars/index.html");
    let past = titles(&listing, ".past");
    let a_year_ago = jiff::civil::date(2019, 11, 7);
    let recent = titles_of(added.iter().filter(|t| t.day > a_year_ago));
    assert_eq!(archived(&past), recent);
    assert!(past.contains(&"The Hidden Geometry of Particle Collisions".to_string()));
    let years: Vec<String> = select(&listing, ".archive a").iter().map(text).collect();
    assert_eq!(years, ["2020", "2019", "2018", "2017"]);
    for year in [2017, 2018, 2019] {
        let page = b.html(&format!("seminars/archive/{year}/index.html"));
        assert!(
            select(&page, ".upcoming").is_empty(),
            "{year}: only the past"
        );
        let of_year = titles_of(added.iter().filter(|t| t.day.year() == year));
        assert_eq!(archived(&titles(&page, ".past")), of_year, "{year}");
        let current: Vec<String> = select(&page, ".archive a[aria-current=page]")
            .iter()
            .map(text)
            .collect();
        assert_eq!(current, [year.to_string()]);
    }
}

#[test]
fn series_have_their_own_archive_and_the_filter_stays_in_the_year() {
    let (hub, added) = with_history(150);
    let b = build(hub.path(), NOW);
    let page = b.html("seminars/series/colloquium/archive/2018/index.html");
    let expected = titles_of(
        added
            .iter()
            .filter(|t| t.colloquium && t.day.year() == 2018),
    );
    let shown = titles(&page, ".past");
    assert_eq!(archived(&shown), expected);
    assert_eq!(
        shown.len(),
        expected.len(),
        "only the colloquium's talks: {shown:?}"
    );
    // On the section's 2018 page, the colloquium (which has a 2018 page) links to it, the
    // group meeting (which has no archive) to its listing; both say which series their
    // talks carry, for the in-place filter.
    let section_2018 = b.html("seminars/archive/2018/index.html");
    let filter: Vec<(String, String)> = select(&section_2018, ".series-filter a[data-series]")
        .iter()
        .map(|a| {
            let v = a.value();
            let href = v.attr("href").unwrap().to_string();
            (href, v.attr("data-series").unwrap().to_string())
        })
        .collect();
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(
        filter,
        [
            pair(
                "/lab/seminars/series/colloquium/archive/2018/",
                "/lab/seminars/series/colloquium/"
            ),
            pair(
                "/lab/seminars/series/group-meeting/",
                "/lab/seminars/series/group-meeting/"
            ),
        ]
    );
}

#[test]
fn a_short_history_stays_on_one_listing() {
    let b = build(&fixture(), NOW);
    assert!(select(&b.html("seminars/index.html"), ".archive").is_empty());
    assert!(!b.out().join("seminars/archive").exists());
}

// ---------------------------------------------------------------- errors

#[test]
fn a_talk_on_the_month_calendars_path_is_an_error() {
    let hub = copy_of_fixture();
    let talk = "+++\ntitle = \"Calendar\"\nstart = 2020-11-12T16:00:00\n+++\n";
    std::fs::write(hub.path().join("content/seminars/calendar.md"), talk).unwrap();
    let b = run(hub.path(), NOW);
    let stderr = b.stderr();
    assert_eq!(b.output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("content/seminars/calendar.md")
            && stderr.contains("makes /seminars/calendar/"),
        "{stderr}"
    );
    assert!(stderr.contains("another `slug`"), "{stderr}");
}

/// Builds the fixture with one more talk, which must fail at `line` with `message`.
fn rejects(front: &str, line: usize, message: &str, hint: &str) {
    let hub = copy_of_fixture();
    let talk = format!("+++\ntitle = \"Bad\"\n{front}\n+++\n");
    std::fs::write(hub.path().join("content/seminars/bad.md"), talk).unwrap();
    let b = run(hub.path(), NOW);
    let stderr = b.stderr();
    assert_eq!(b.output.status.code(), Some(1), "{stderr}");
    let location = format!("content/seminars/bad.md:{line}:");
    let error = stderr
        .lines()
        .find(|l| l.contains(&location))
        .unwrap_or_else(|| panic!("no error at {location} in:\n{stderr}"));
    assert!(error.contains(message), "{error}");
    assert!(stderr.contains(hint), "hint `{hint}` in:\n{stderr}");
}

#[test]
fn an_unknown_zone_is_an_error_with_a_suggestion() {
    rejects(
        "start = \"2020-11-05 16:00\"\ntimezone = \"America/Los_Angles\"",
        4,
        "unknown time zone `America/Los_Angles`",
        "did you mean `America/Los_Angeles`",
    );
}

#[test]
fn an_impossible_date_is_an_error() {
    rejects(
        "start = \"2020-13-05 16:00\"",
        3,
        "month 13 is out of range",
        "help:",
    );
    rejects(
        "start = \"2021-02-30 16:00\"",
        3,
        "day 30 is out of range",
        "help:",
    );
}

#[test]
fn an_end_before_the_start_is_an_error() {
    rejects(
        "start = \"2020-11-05 16:00\"\nend = \"2020-11-05 15:00\"",
        4,
        "ends (2020-11-05 15:00) before it starts",
        "duration",
    );
}

#[test]
fn an_unknown_series_suggests_the_nearest() {
    rejects(
        "start = \"2020-11-05 16:00\"\nseries = \"colloquim\"",
        4,
        "unknown series `colloquim`",
        "did you mean `colloquium`?",
    );
}

#[test]
fn a_recurrence_outside_the_subset_is_an_error() {
    rejects(
        "start = \"2020-11-05 16:00\"\nrecurrence = \"FREQ=YEARLY\"",
        4,
        "FREQ=YEARLY is not supported",
        "FREQ=DAILY|WEEKLY|MONTHLY",
    );
    rejects(
        "start = \"2020-11-05 16:00\"\nrecurrence = \"FREQ=WEEKLY;BYMONTH=3\"",
        4,
        "unsupported RRULE part `BYMONTH`",
        "help:",
    );
}

#[test]
fn an_exdate_the_meeting_never_falls_on_is_an_error() {
    rejects(
        "start = \"2020-11-05 16:00\"\nrecurrence = \"FREQ=WEEKLY;COUNT=4\"\nexdates = [\"2020-11-13\"]",
        5,
        "exdate 2020-11-13 is not a date the meeting falls on",
        "2020-11-12, 2020-11-19",
    );
}

#[test]
fn a_field_of_the_wrong_type_is_located() {
    rejects(
        "start = 5",
        3,
        "invalid `start`: invalid type: integer `5`",
        "error:",
    );
}

#[test]
fn the_calendar_folder_leads_to_the_next_talks_month() {
    let b = build(&fixture(), "2021-01-01T00:00:00Z");
    let index = b.read("seminars/calendar/index.html");
    assert!(
        index.contains("url=/lab/seminars/calendar/2021-02/"),
        "{index}"
    );
}

#[test]
fn the_calendar_redirect_names_its_target_as_canonical() {
    let b = build(&fixture(), "2021-01-01T00:00:00Z");
    let doc = b.html("seminars/calendar/index.html");
    let attr = |css: &str, name: &str| -> Vec<String> {
        let found = select(&doc, css).into_iter();
        found
            .filter_map(|e| e.attr(name).map(str::to_string))
            .collect()
    };
    let target = "https://hub.example.org/lab/seminars/calendar/2021-02/";
    assert_eq!(attr("link[rel=canonical]", "href"), [target]);
    assert_eq!(attr("meta[property='og:url']", "content"), [target]);
}

#[test]
fn meetings_far_ahead_or_with_every_date_skipped_still_get_their_page() {
    let hub = copy_of_fixture();
    let dir = hub.path().join("content/seminars");
    std::fs::write(
        dir.join("far.md"),
        "+++\ntitle = \"Far ahead\"\nstart = \"2030-01-02 10:00\"\nrecurrence = \"FREQ=WEEKLY;COUNT=2\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("skipped.md"),
        "+++\ntitle = \"Never\"\nstart = \"2020-12-02 10:00\"\nrecurrence = \"FREQ=WEEKLY;COUNT=1\"\nexdates = [\"2020-12-02\"]\n+++\n",
    )
    .unwrap();
    let b = build(hub.path(), NOW);
    let far = b.html("seminars/far/index.html");
    assert_eq!(
        text(&select(&far, ".talk-facts time")[0]),
        "Wed 2 Jan 2030, 10:00 – 11:00 am PST"
    );
    assert!(titles(&b.html("seminars/index.html"), ".upcoming").contains(&"Far ahead".to_string()));
    assert!(b.out().join("seminars/skipped/index.html").is_file());
    assert!(!titles(&b.html("seminars/index.html"), ".upcoming").contains(&"Never".to_string()));
}
