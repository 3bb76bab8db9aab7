//! `podium init` scaffolds a hub that builds, with a Pages workflow as SPEC §5 describes
//! (tests/install.rs runs that workflow's steps);
//! `podium new` writes content files with a slug and today's date that still build.

mod common;

use std::path::Path;

use common::*;

const BASE: &str = "https://example.github.io/starter/";

/// Runs `podium init DIR` in a fresh temporary folder; returns (folder, hub root).
fn init() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("starter");
    podium_in(tmp.path(), ["init", root.to_str().unwrap()]).expect_success();
    (tmp, root)
}

/// Today's date in the hub's configured time zone.
fn today(root: &Path) -> String {
    let config: toml::Table = toml::from_str(&read(root, "config.toml")).unwrap();
    let zone = config
        .get("timezone")
        .and_then(|v| v.as_str())
        .unwrap_or("UTC");
    let tz = jiff::tz::TimeZone::get(zone).unwrap();
    jiff::Timestamp::now().to_zoned(tz).date().to_string()
}

#[test]
fn an_initialised_hub_builds_and_its_links_resolve() {
    let (tmp, root) = init();
    for file in [
        "config.toml",
        ".gitignore",
        ".github/workflows/pages.yml",
        "content/_index.md",
    ] {
        assert!(root.join(file).is_file(), "init wrote {file}");
    }
    assert!(
        read(&root, ".gitignore")
            .lines()
            .any(|l| l.trim_matches('/') == "public"),
        "the output folder is ignored"
    );
    podium(&root, &["check"]).expect_success();
    let out = tmp.path().join("site");
    build(&root, &out, &["--base-url", BASE]);
    assert!(out.join("index.html").is_file());
    assert!(out.join("news/atom.xml").is_file());
    let report = check_links(&out, BASE);
    assert_no_link_problems(&report);
    assert!(
        report.html_files >= 8 && report.internal >= 100,
        "{report:?}"
    );
}

#[test]
fn the_scaffolded_workflow_deploys_as_the_spec_says() {
    let (_tmp, root) = init();
    let written = std::fs::read(root.join(".github/workflows/pages.yml")).unwrap();

    // SPEC §5: base URL from the Pages configuration, official Pages actions, every push and
    // a daily schedule.
    let yaml: serde_norway::Value = serde_norway::from_slice(&written).unwrap();
    let on = &yaml["on"];
    assert!(on.get("push").is_some(), "runs on push: {on:?}");
    let cron = on["schedule"][0]["cron"].as_str().expect("a schedule");
    let fields: Vec<&str> = cron.split_whitespace().collect();
    assert_eq!(fields.len(), 5, "{cron}");
    assert_eq!(&fields[2..], ["*", "*", "*"], "daily: {cron}");
    let steps: Vec<&serde_norway::Value> = yaml["jobs"]
        .as_mapping()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_sequence().into_iter().flatten())
        .collect();
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    for action in [
        "actions/configure-pages@",
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action}: {uses:?}"
        );
    }
    let runs: String = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        runs.contains("podium build") && runs.contains("--base-url"),
        "{runs}"
    );
    assert!(runs.contains("steps.pages.outputs.base_url"), "{runs}");
}

#[test]
fn init_never_overwrites_a_hub() {
    let (tmp, root) = init();
    std::fs::write(root.join("config.toml"), "title = \"Mine\"\n").unwrap();
    let run = podium_in(tmp.path(), ["init", root.to_str().unwrap()]);
    run.expect_code(2);
    assert_eq!(read(&root, "config.toml"), "title = \"Mine\"\n");
}

/// Runs `podium init NAME ARGS…` in a fresh temporary folder with `env`; returns the run.
fn init_with(tmp: &Path, name: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut all = vec!["init", name];
    all.extend_from_slice(args);
    podium_with(tmp, all, env)
}

/// A string setting of a hub's config.toml.
fn config_value(root: &Path, key: &str) -> String {
    let config: toml::Table = toml::from_str(&read(root, "config.toml")).unwrap();
    config[key].as_str().unwrap().to_string()
}

/// Every file of a hub whose text sets a `timezone`, besides config.toml.
fn zones_outside_config(root: &Path) -> Vec<String> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(root).unwrap();
            rel.to_string_lossy().into_owned()
        })
        .filter(|f| f != "config.toml" && !f.starts_with(".github"))
        .filter(|f| {
            read(root, f)
                .lines()
                .any(|l| l.trim_start().starts_with("timezone"))
        })
        .collect()
}

/// The first event's DTSTART in a calendar file: its TZID and its value.
fn first_start(path: &Path) -> (String, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut parser = ical::IcalParser::new(text.as_bytes());
    let cal = parser.next().expect("one calendar").expect("it parses");
    let start = cal.events[0]
        .properties
        .iter()
        .find(|p| p.name == "DTSTART")
        .expect("DTSTART")
        .clone();
    let tzid = start
        .params
        .into_iter()
        .flatten()
        .find(|(k, _)| k == "TZID")
        .map(|(_, v)| v.join(","))
        .unwrap_or_default();
    (tzid, start.value.unwrap_or_default())
}

#[test]
fn init_timezone_puts_the_talks_in_that_zone_in_calendars() {
    let tmp = tempfile::tempdir().unwrap();
    init_with(
        tmp.path(),
        "hub",
        &["--timezone", "America/Los_Angeles"],
        &[],
    )
    .expect_success();
    let root = tmp.path().join("hub");
    assert_eq!(config_value(&root, "timezone"), "America/Los_Angeles");
    assert_eq!(zones_outside_config(&root), Vec::<String>::new());

    let out = tmp.path().join("site");
    build(&root, &out, &["--base-url", BASE]);
    let talk = front(&root.join("content/seminars/first-seminar.md"));
    // The wall-clock time written in the file, unchanged: 16:00 in Los Angeles.
    let written = talk["start"].as_datetime().unwrap().to_string();
    assert_eq!(
        first_start(&out.join("seminars/first-seminar/first-seminar.ics")),
        (
            "America/Los_Angeles".into(),
            written.replace(['-', ':'], "")
        )
    );
    let workshop = front(&root.join("content/events/annual-workshop/index.md"));
    let first_day = workshop["start_date"].to_string().replace('-', "");
    assert_eq!(
        first_start(&out.join("events/annual-workshop/annual-workshop.ics")),
        ("America/Los_Angeles".into(), format!("{first_day}T090000"))
    );
}

#[test]
fn init_takes_the_machines_zone_or_utc_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    init_with(tmp.path(), "tokyo", &[], &[("TZ", "Asia/Tokyo")]).expect_success();
    assert_eq!(
        config_value(&tmp.path().join("tokyo"), "timezone"),
        "Asia/Tokyo"
    );

    // A POSIX rule has no IANA name to write down.
    let run = init_with(tmp.path(), "rule", &[], &[("TZ", "EST5EDT,M3.2.0,M11.1.0")]);
    run.expect_success();
    assert_eq!(config_value(&tmp.path().join("rule"), "timezone"), "UTC");
    assert!(
        run.stderr.contains("UTC") && run.stderr.contains("--timezone"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_unknown_zone_is_a_usage_error_with_a_suggestion() {
    let tmp = tempfile::tempdir().unwrap();
    for (zone, suggestion) in [
        ("America/Los_Angles", "America/Los_Angeles"),
        ("los angeles", "America/Los_Angeles"),
    ] {
        let run = init_with(tmp.path(), "hub", &["--timezone", zone], &[]);
        run.expect_code(2);
        assert!(run.stderr.contains(&format!("`{zone}`")), "{}", run.stderr);
        assert!(
            run.stderr.contains(&format!("did you mean `{suggestion}`")),
            "{}",
            run.stderr
        );
        assert!(!tmp.path().join("hub").exists(), "nothing was written");
    }
}

#[test]
fn a_fresh_hub_shows_an_upcoming_talk_and_a_past_one() {
    let (tmp, root) = init();
    let out = tmp.path().join("site");
    // Now, not the tests' fixed NOW: the sample is dated around the day of `init`.
    podium(&root, &["build", "--output", out.to_str().unwrap()]).expect_success();
    let page = html(&out, "seminars/index.html");
    let upcoming = text(&page, "#upcoming-talks");
    assert!(
        upcoming.contains("A first seminar"),
        "upcoming: {upcoming:?}"
    );
    assert!(
        !upcoming.contains("has taken place"),
        "upcoming: {upcoming:?}"
    );
    assert!(
        text(&page, "main").contains("A seminar that has taken place"),
        "the past talk is listed"
    );
    let home = text(&html(&out, "index.html"), "main");
    assert!(home.contains("A first seminar"), "home: {home}");
    assert!(home.contains("Annual Workshop"), "home: {home}");
}

#[test]
fn the_scaffold_files_build_as_they_are() {
    // The raw files under src/scaffold/hub are a hub dated around its sample week.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("hub");
    copy_tree(&repo().join("src/scaffold/hub"), &root);
    let out = tmp.path().join("site");
    let run = podium(
        &root,
        &[
            "build",
            "--now",
            "2026-01-14T12:00:00Z",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    run.expect_success();
    let upcoming = text(&html(&out, "seminars/index.html"), "#upcoming-talks");
    assert!(
        upcoming.contains("A first seminar"),
        "upcoming: {upcoming:?}"
    );
}

#[test]
fn base_url_is_the_pages_address_of_the_folder() {
    let tmp = tempfile::tempdir().unwrap();
    init_with(tmp.path(), "lab-site", &[], &[]).expect_success();
    let root = tmp.path().join("lab-site");
    assert_eq!(
        config_value(&root, "base_url"),
        "https://OWNER.github.io/lab-site/"
    );
    assert!(
        read(&root, "config.toml")
            .lines()
            .any(|l| l.starts_with('#') && l.contains("replace OWNER")),
        "a comment says what to replace"
    );
    // `podium init` inside the folder names it too, and a space becomes `-` as on GitHub.
    let here = tmp.path().join("group hub");
    std::fs::create_dir(&here).unwrap();
    podium_in(&here, ["init"]).expect_success();
    assert_eq!(
        config_value(&here, "base_url"),
        "https://OWNER.github.io/group-hub/"
    );
}

#[test]
fn init_refuses_a_folder_that_is_not_empty_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("hub");
    for existing in ["notes.txt", "content/news/welcome.md"] {
        let _ = std::fs::remove_dir_all(&root);
        let file = root.join(existing);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "mine\n").unwrap();
        let before = listing(&root);
        let run = podium_in(tmp.path(), ["init", "hub"]);
        run.expect_code(2);
        assert!(run.stderr.contains("not empty"), "{}", run.stderr);
        assert_eq!(listing(&root), before, "nothing was written");
        assert_eq!(read(&root, existing), "mine\n");
    }
}

#[test]
fn new_post_has_a_slug_and_todays_date_and_the_hub_still_builds() {
    let (tmp, root) = init();
    let before = today(&root);
    let run = podium(&root, &["new", "post", "Hello World"]);
    run.expect_success();
    let after = today(&root);
    let news = root.join("content/news");
    let created: Vec<String> = std::fs::read_dir(&news)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("hello-world"))
        .collect();
    assert_eq!(created.len(), 1, "{created:?}");
    let name = &created[0];
    let date = [&before, &after]
        .into_iter()
        .find(|d| *name == format!("{d}-hello-world.md"))
        .unwrap_or_else(|| panic!("{name} is not TODAY-hello-world.md (today is {before})"));
    assert!(
        run.stdout.contains(name.as_str()),
        "prints the path: {}",
        run.stdout
    );
    let text = read(&news, name);
    assert!(text.contains("title = \"Hello World\""), "{text}");
    assert!(text.contains(&format!("date = {date}")), "{text}");

    let out = tmp.path().join("site");
    // Dated today, the post is after the tests' fixed "now".
    build(&root, &out, &["--base-url", BASE, "--future"]);
    let doc = html(&out, "news/hello-world/index.html");
    assert_eq!(text_of_h1(&doc), "Hello World");
    assert!(
        attrs(&html(&out, "news/index.html"), "main a", "href")
            .contains(&"/starter/news/hello-world/".to_string())
    );

    let again = podium(&root, &["new", "post", "Hello World"]);
    again.expect_code(2);
    assert_eq!(
        read(&news, name),
        text,
        "an existing file is never overwritten"
    );
}

fn text_of_h1(doc: &scraper::Html) -> String {
    text(doc, "main h1")
}

#[test]
fn new_seminar_member_and_event_build_too() {
    let (tmp, root) = init();
    let before = today(&root);
    for (kind, title) in [
        ("seminar", "Łódź Summer Talk"),
        ("member", "Ümit Sözbilir"),
        ("event", "Spring School 2027"),
    ] {
        podium(&root, &["new", kind, title]).expect_success();
    }
    let after = today(&root);
    let seminar = [before, after]
        .iter()
        .map(|d| root.join(format!("content/seminars/{d}-lodz-summer-talk.md")))
        .find(|p| p.is_file())
        .expect("content/seminars/TODAY-lodz-summer-talk.md");
    let member = root.join("content/people/umit-sozbilir.md");
    let event = root.join("content/events/spring-school-2027/index.md");
    for f in [&seminar, &member, &event] {
        assert!(f.is_file(), "{} was created", f.display());
    }
    assert!(
        std::fs::read_to_string(&member)
            .unwrap()
            .contains("Ümit Sözbilir")
    );
    build(&root, &tmp.path().join("site"), &[]);
}

/// The one entry of `dir` named `YYYY-MM-DD` then `rest` (today's date, whichever side of
/// midnight the command ran).
fn dated(dir: &Path, rest: &str) -> std::path::PathBuf {
    let found: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.len() == 10 + rest.len()
                && name.ends_with(rest)
                && name[..10].parse::<jiff::civil::Date>().is_ok()
        })
        .collect();
    assert_eq!(found.len(), 1, "{rest} in {}: {found:?}", dir.display());
    found[0].clone()
}

/// The front matter of a content file, parsed.
fn front(path: &Path) -> toml::Table {
    let text = std::fs::read_to_string(path).unwrap();
    toml::from_str(text.split("+++").nth(1).unwrap()).unwrap()
}

#[test]
fn new_seminar_is_named_after_its_start_and_joins_its_series() {
    let (tmp, root) = init();
    let run = podium(
        &root,
        &[
            "new",
            "seminar",
            "Winter Talk",
            "--start",
            "2026-12-14 16:00",
            "--series",
            "group-seminar",
        ],
    );
    run.expect_success();
    let file = root.join("content/seminars/2026-12-14-winter-talk.md");
    assert!(
        run.stdout.contains("2026-12-14-winter-talk.md"),
        "{}",
        run.stdout
    );
    let talk = front(&file);
    assert_eq!(talk["start"].to_string(), "2026-12-14T16:00:00");
    assert_eq!(talk["series"].as_str(), Some("group-seminar"));
    assert!(
        !talk.contains_key("location"),
        "the series' place is inherited: {talk:?}"
    );

    let out = tmp.path().join("site");
    build(&root, &out, &[]);
    let page = text(&html(&out, "seminars/winter-talk/index.html"), "main");
    assert!(page.contains("Room 1"), "the series' room: {page}");
    assert!(page.contains("Group Seminar"), "{page}");
}

#[test]
fn new_seminar_refuses_a_series_the_section_does_not_declare() {
    let (_tmp, root) = init();
    let before = listing(&root);
    let run = podium(
        &root,
        &["new", "seminar", "A Talk", "--series", "group-seminr"],
    );
    run.expect_code(2);
    for needed in [
        "`group-seminr`",
        "content/seminars/_index.md",
        "group-seminar",
    ] {
        assert!(run.stderr.contains(needed), "{needed}: {}", run.stderr);
    }
    assert_eq!(listing(&root), before, "nothing was written");

    let bad = podium(
        &root,
        &["new", "seminar", "A Talk", "--start", "2026-13-01"],
    );
    bad.expect_code(2);
    assert!(bad.stderr.contains("month 13"), "{}", bad.stderr);
}

#[test]
fn new_bundles_have_a_folder_and_templates_offer_the_next_fields() {
    let (tmp, root) = init();
    podium(&root, &["new", "post", "Field Trip", "--bundle"]).expect_success();
    podium(&root, &["new", "member", "Grace Hopper", "--bundle"]).expect_success();
    podium(&root, &["new", "seminar", "No Series Yet"]).expect_success();
    let post = dated(&root.join("content/news"), "-field-trip").join("index.md");
    let member = root.join("content/people/grace-hopper/index.md");
    let seminar = dated(&root.join("content/seminars"), "-no-series-yet.md");
    let commented = |path: &Path, field: &str| {
        std::fs::read_to_string(path)
            .unwrap()
            .lines()
            .any(|l| l.starts_with(&format!("# {field} = ")))
    };
    assert!(commented(&post, "image"), "a post offers an image");
    assert!(commented(&member, "photo"), "a member offers a photo");
    assert!(
        std::fs::read_to_string(&member)
            .unwrap()
            .contains("Scientific Staff, Postdocs"),
        "names the section's categories"
    );
    assert!(commented(&seminar, "series"), "a talk offers the series");
    assert!(
        std::fs::read_to_string(&seminar)
            .unwrap()
            .contains("group-seminar"),
        "names the section's series"
    );
    let out = tmp.path().join("site");
    // Dated today, the post is after the tests' fixed "now".
    build(&root, &out, &["--future"]);
    assert_eq!(
        text_of_h1(&html(&out, "news/field-trip/index.html")),
        "Field Trip"
    );
    assert!(out.join("people/grace-hopper/index.html").is_file());
}

#[test]
fn new_needs_a_section_of_that_kind() {
    let hub = Hub::copy("features");
    let run = podium(&hub.root, &["new", "member", "Ada Lovelace"]);
    run.expect_code(2);
    assert!(!hub.root.join("content/people").exists());
}

#[test]
fn new_refuses_a_title_that_gives_no_slug() {
    let hub = Hub::copy("errors");
    let before = listing(&hub.root);
    let run = podium(&hub.root, &["new", "post", "!!!"]);
    run.expect_code(2);
    assert_eq!(listing(&hub.root), before, "nothing was written");
}
