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
        run.stderr.contains("help: use an `https://`")
            && run.stderr.contains(
                "help: if it is on another site, write it in full: `https://example.org/register`"
            ),
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

/// An HTML description with every usual way to smuggle a script into a page.
const HOSTILE_HTML: &str = "<p onclick=\"alert(1)\">Welcome <b>all</b>\
    <img src=x onerror=alert(2)><script>alert(3)</script>\
    <a href=\"javascript:alert(4)\">j</a> <a href=\" JaVaScRiPt:alert(5)\">k</a> \
    <a href=\"https://x.example/a)[y](javascript:alert(6)\">t</a> \
    <a href='https://x.example/\"><img/src=x/onerror=alert(7)>'>u</a> \
    <a href=\"https://safe.example.org/\">register</a></p>";

/// The same in text that is not HTML, as Indico and forms also send: raw HTML inside
/// Markdown, and Markdown links to scripts.
const HOSTILE_TEXT: &str = "Works on ML <img src=x onerror=alert(8)> \
    [me](javascript:alert(9)) <javascript:alert(10)> [ok](https://safe.example.org/bio)\n\n\
    <svg onload=alert(11)>x</svg> <iframe src=\"javascript:alert(12)\"></iframe>";

/// Fails unless no element of `doc` can run a script: no script-bearing element, no `on…`
/// attribute, and only http(s), mailto, tel or site links.
#[track_caller]
fn assert_inert(doc: &scraper::Html, page: &str) {
    for tag in ["script", "iframe", "object", "embed", "svg", "img[onerror]"] {
        assert!(doc.select(&sel(tag)).next().is_none(), "{page} has a {tag}");
    }
    for element in doc
        .root_element()
        .descendants()
        .filter_map(scraper::ElementRef::wrap)
    {
        for (name, value) in element.value().attrs() {
            assert!(!name.starts_with("on"), "{page}: {name}={value}");
            if matches!(name, "href" | "src" | "action" | "formaction") {
                let scheme = value.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
                let local = value.starts_with(['/', '#']) || !value.contains(':');
                assert!(
                    local
                        || matches!(
                            scheme.as_deref(),
                            Some("https" | "http" | "mailto" | "tel" | "webcal")
                        ),
                    "{page}: {name}={value}"
                );
            }
        }
    }
}

#[test]
fn imported_bios_and_descriptions_come_out_clean() {
    let hub = Hub::copy("errors");
    hub.write(
        "content/people/_index.md",
        "+++\ntitle = \"People\"\nkind = \"members\"\n+++\n",
    );
    hub.write("content/events/_index.md", EVENTS);
    let csv = hub.scratch("form.csv");
    let mut rows = String::from("Full name,Email address,Short bio\n");
    for (i, bio) in [HOSTILE_HTML, HOSTILE_TEXT].iter().enumerate() {
        rows.push_str(&format!(
            "Ann Lee{i},ann{i}@example.org,\"{}\"\n",
            bio.replace('"', "\"\"")
        ));
    }
    std::fs::write(&csv, rows).unwrap();
    podium(
        &hub.root,
        &[
            "import",
            "members",
            csv.to_str().unwrap(),
            "--into",
            "content/people",
        ],
    )
    .expect_success();
    let export_path = repo().join("tests/fixtures/indico/iml-2020-event.json");
    let mut export: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(export_path).unwrap()).unwrap();
    let event = &mut export["results"][0];
    event["description"] = HOSTILE_HTML.into();
    let talk = event["sessions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .flat_map(|s| s["contributions"].as_array_mut().unwrap().iter_mut())
        .next()
        .unwrap();
    talk["description"] = HOSTILE_TEXT.into();
    let export_file = hub.scratch("export.json");
    std::fs::write(&export_file, export.to_string()).unwrap();
    let into = hub.root.join("content/events/iml");
    podium_in(
        &std::env::temp_dir(),
        [
            "import",
            "indico",
            export_file.to_str().unwrap(),
            "--into",
            into.to_str().unwrap(),
        ],
    )
    .expect_success();
    let site = hub.build_into("site", &[]);
    let pages = [
        "people/ann-lee0/index.html",
        "people/ann-lee1/index.html",
        "events/iml/index.html",
        "events/iml/timetable/index.html",
    ];
    let mut texts = String::new();
    for page in pages {
        let doc = html(&site, page);
        assert_inert(&doc, page);
        texts.push_str(&text(&doc, "main"));
        let links = attrs(&doc, "main a", "href");
        assert!(
            links
                .iter()
                .any(|l| l.starts_with("https://safe.example.org/")),
            "{page} keeps its safe link: {links:?}"
        );
    }
    assert!(
        texts.contains("Welcome") && texts.contains("Works on ML"),
        "{texts}"
    );
}
