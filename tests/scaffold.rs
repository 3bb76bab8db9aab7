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
    build(&root, &out, &["--base-url", BASE]);
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
