//! URL fields accept only `https:`, `http:`, `mailto:`, `tel:` and paths on the site (or
//! files of the bundle): a script link in any of them is an error at the value's line and
//! column, and every one is reported in the same run.

mod common;

use common::*;

/// A seminars section whose own and series' meeting links are scripts.
const SEMINARS: &str = r#"+++
title = "Seminars"
kind = "seminars"
online = "javascript:alert(1)"

[[series]]
slug = "ml"
name = "ML"
online = "vbscript:msgbox(1)"
+++
"#;

/// A talk with a script in each of its URL fields, spelt the ways browsers forgive.
const TALK: &str = r#"+++
title = "Learning the likelihood"
speakers = [{ name = "Ada", url = " JaVaScRiPt:alert(1)" }]
start = "2024-03-05 16:00"
online = "java\tscript:alert(1)"
slides = "data:text/html;base64,PHNjcmlwdD4="
recording = "&#106;avascript:alert(1)"
+++
"#;

/// A talk whose speakers are written as tables, one field a line.
const TALK_TABLES: &str = r#"+++
title = "Second talk"
start = "2024-03-12 16:00"

[[speakers]]
name = "Bo"
url = "javascript:alert(2)"
+++
"#;

const MEMBERS: &str = "+++\ntitle = \"People\"\nkind = \"members\"\n+++\n";

const MEMBER: &str = r#"+++
name = "Ann Lee"
website = "JAVASCRIPT:alert(1)"
scholar = "//scholar.example.org/ann"
+++
"#;

const EVENTS: &str = "+++\ntitle = \"Events\"\nkind = \"events\"\n+++\n";

const EVENT: &str = r#"+++
title = "School"
start_date = 2024-06-03
online = "javascript&colon;alert(1)"
registration = "example.org/register"
+++
"#;

const TIMETABLE: &str = r#"[[session]]
title = "Morning"
start = "2024-06-03 09:00"
end = "2024-06-03 10:00"

  [[session.talk]]
  start = "09:00"
  duration = "20m"
  title = "Opening"
  slides = "javascript:alert(3)"
"#;

/// A YAML page with a script as its image and banner.
const YAML_PAGE: &str = "---\ntitle: Notes\nimage: \"javascript:alert(4)\"\nbanner: data:image/svg+xml,<svg onload=alert(5)>\n---\nBody.\n";

/// Every hostile value above, where it is written.
const EXPECTED: &[(&str, &str)] = &[
    ("content/seminars/_index.md:4:10", "online"),
    ("content/seminars/_index.md:9:10", "series.online"),
    ("content/seminars/talk.md:3:35", "speakers.url"),
    ("content/seminars/talk.md:5:10", "online"),
    ("content/seminars/talk.md:6:10", "slides"),
    ("content/seminars/talk.md:7:13", "recording"),
    ("content/seminars/second.md:7:7", "speakers.url"),
    ("content/people/ann.md:3:11", "website"),
    ("content/people/ann.md:4:11", "scholar"),
    ("content/events/school/index.md:4:10", "online"),
    ("content/events/school/index.md:5:16", "registration"),
    ("content/events/school/timetable.toml:10:12", "slides"),
    ("content/news/notes.md:3:8", "image"),
    ("content/news/notes.md:4:9", "banner"),
];

#[test]
fn a_script_link_in_any_url_field_is_an_error_at_its_value() {
    let hub = Hub::copy("errors");
    hub.write("content/seminars/_index.md", SEMINARS);
    hub.write("content/seminars/talk.md", TALK);
    hub.write("content/seminars/second.md", TALK_TABLES);
    hub.write("content/people/_index.md", MEMBERS);
    hub.write("content/people/ann.md", MEMBER);
    hub.write("content/events/_index.md", EVENTS);
    hub.write("content/events/school/index.md", EVENT);
    hub.write("content/events/school/timetable.toml", TIMETABLE);
    hub.write("content/news/notes.md", YAML_PAGE);
    let out = hub.scratch("site");
    let run = podium(
        &hub.root,
        &["build", "--now", NOW, "--output", out.to_str().unwrap()],
    );
    run.expect_code(1);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    for (at, field) in EXPECTED {
        let prefix = format!("error: {at}: `{field}`: ");
        assert!(
            errors.iter().any(|l| l.starts_with(&prefix)),
            "no `{prefix}…` in:\n{}",
            run.stderr
        );
    }
    assert_eq!(errors.len(), EXPECTED.len(), "{}", run.stderr);
    assert!(
        run.stderr.contains("help: use an `https://`"),
        "{}",
        run.stderr
    );
    assert!(!out.exists(), "a refused build publishes nothing");
}

#[test]
fn a_menu_entry_may_not_be_a_script() {
    let hub = Hub::copy("errors");
    let config = std::fs::read_to_string(hub.root.join("config.toml")).unwrap();
    let menu = "\n[[menu]]\nname = \"Home\"\nurl = \"@/_index.md\"\n\n[[menu]]\nname = \"X\"\nurl = \"javascript:alert(1)\"\n";
    hub.write("config.toml", &format!("{config}{menu}"));
    let lines = config.lines().count();
    let run = podium(&hub.root, &["build", "--now", NOW]);
    run.expect_code(1);
    let at = format!("error: config.toml:{}:7: `menu.url`: ", lines + 8);
    assert!(run.stderr.contains(&at), "no `{at}` in:\n{}", run.stderr);
}

#[test]
fn safe_links_and_bundle_files_still_build() {
    let hub = Hub::copy("errors");
    hub.write(
        "content/seminars/talk.md",
        "+++\ntitle = \"T\"\nspeakers = [{ name = \"Ada\", url = \"https://ada.example.org\" }]\n\
         start = \"2024-03-05 16:00\"\nonline = \"https://zoom.example.org/j/1\"\n\
         slides = \"slides.pdf\"\nrecording = \"/files/talk.mp4\"\n+++\n",
    );
    hub.write(
        "content/people/_index.md",
        "+++\ntitle = \"People\"\nkind = \"members\"\n+++\n",
    );
    hub.write(
        "content/people/ann.md",
        "+++\nname = \"Ann Lee\"\nwebsite = \"mailto:ann@example.org\"\nphone = \"+41 22 767 1234\"\n+++\n",
    );
    let site = hub.build_into("site", &[]);
    let talk = html(&site, "seminars/talk/index.html");
    let links = attrs(&talk, "a", "href");
    assert!(
        links.iter().any(|l| l == "https://zoom.example.org/j/1"),
        "{links:?}"
    );
}
