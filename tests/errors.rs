//! Errors are reported compiler-style, all in one run, with the right exit status, and a
//! failed build leaves the previous site exactly as it was.

mod common;

use common::*;

/// `content/news/notes.md` with a missing comma on line 4, column 20.
const BROKEN_TOML: &str = r#"+++
title = "Notes from the meeting"
date = 2024-02-01
tags = ["meetings" "minutes"]
+++

We met and took notes.
"#;

/// `content/seminars/talk.md` with `locaton` on line 6.
const UNKNOWN_FIELD: &str = r#"+++
title = "Learning the likelihood"
speaker = "Ada Lovelace"
affiliation = "Analytical Engines Ltd"
start = "2024-03-05 16:00"
locaton = "Building 50, Room 5132"
duration = "1h"
+++

An abstract.
"#;

/// `content/news/linked.md` with a link to a page that does not exist on line 7, column 5.
const MISSING_LINK: &str = r#"+++
title = "Links"
+++

First paragraph.

See [the agenda](@/news/agenda.md) for details.
"#;

/// The `error: FILE:LINE:COL: message` lines of a run's stderr.
fn error_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect()
}

/// The line of stderr reporting `file:line:COL:`, with COL a positive number.
#[track_caller]
fn located<'a>(stderr: &'a str, file: &str, line: usize) -> &'a str {
    let prefix = format!("error: {file}:{line}:");
    let found = error_lines(stderr)
        .into_iter()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no `{prefix}COL:` error in:\n{stderr}"));
    let col = found[prefix.len()..].split(':').next().unwrap();
    assert!(
        col.parse::<usize>().is_ok_and(|c| c > 0),
        "`{found}` has no column"
    );
    found
}

#[test]
fn both_bad_files_are_reported_in_one_run_and_public_is_untouched() {
    let hub = Hub::copy("errors");
    // A good build first, into the default output folder.
    podium(&hub.root, &["build", "--now", NOW]).expect_success();
    let public = hub.root.join("public");
    let before = tree(&public);
    assert!(before.contains_key("news/notes/index.html"));
    let hub_listing = listing(hub.tmp.path());

    hub.write("content/news/notes.md", BROKEN_TOML);
    hub.write("content/seminars/talk.md", UNKNOWN_FIELD);
    let run = podium(&hub.root, &["build", "--now", NOW]);
    run.expect_code(1);
    let toml_error = located(&run.stderr, "content/news/notes.md", 4);
    assert!(toml_error.contains(":4:20:"), "{toml_error}");
    let field_error = located(&run.stderr, "content/seminars/talk.md", 6);
    assert!(
        field_error.contains("`locaton`") && field_error.contains("did you mean `location`?"),
        "{field_error}"
    );
    assert_eq!(error_lines(&run.stderr).len(), 2, "{}", run.stderr);

    assert_same_tree(&before, &tree(&public));
    assert_eq!(
        listing(hub.tmp.path()),
        hub_listing,
        "no staging folder is left behind"
    );
}

#[test]
fn a_missing_internal_link_is_an_error_with_file_and_line() {
    let hub = Hub::copy("errors");
    hub.write("content/news/linked.md", MISSING_LINK);
    let run = podium(&hub.root, &["build", "--now", NOW]);
    run.expect_code(1);
    let e = located(&run.stderr, "content/news/linked.md", 7);
    assert!(e.contains("@/news/agenda.md"), "{e}");
    assert!(!hub.root.join("public").exists(), "nothing was written");
}

#[test]
fn link_errors_are_reported_together_with_front_matter_errors() {
    // "Every error of a build reported in one run": a broken link in one file must not hide
    // behind broken front matter in another.
    let hub = Hub::copy("errors");
    hub.write("content/news/notes.md", BROKEN_TOML);
    hub.write("content/news/linked.md", MISSING_LINK);
    let run = podium(&hub.root, &["build", "--now", NOW]);
    run.expect_code(1);
    located(&run.stderr, "content/news/notes.md", 4);
    located(&run.stderr, "content/news/linked.md", 7);
}

#[test]
fn yaml_front_matter_builds_the_same_site_as_toml() {
    let toml = Hub::copy("front-toml");
    let yaml = Hub::copy("front-yaml");
    let a = toml.build_into("site", &[]);
    let b = yaml.build_into("site", &[]);
    let ta = tree(&a);
    // Not vacuous: the post, its alias, its tags and the second page of the list exist.
    for f in [
        "news/first-run/index.html",
        "old/launch/index.html",
        "tags/launch-day/index.html",
        "news/page/2/index.html",
    ] {
        assert!(ta.contains_key(f), "{f} missing: {:?}", ta.keys());
    }
    assert_same_tree(&ta, &tree(&b));
}

#[test]
fn yaml_and_toml_unknown_fields_suggest_the_nearest_name() {
    let yaml = Hub::copy("front-yaml");
    yaml.write(
        "content/news/third.md",
        "---\ntitle: Third\ndate: 2024-05-01\ntagz: [a]\n---\n\nBody.\n",
    );
    let run = podium(&yaml.root, &["check"]);
    run.expect_code(1);
    let e = located(&run.stderr, "content/news/third.md", 4);
    assert!(e.contains("did you mean `tags`?"), "{e}");

    let toml = Hub::copy("front-toml");
    toml.write(
        "content/news/third.md",
        "+++\ntitle = \"Third\"\ndescripton = \"x\"\n+++\n\nBody.\n",
    );
    let run = podium(&toml.root, &["check"]);
    run.expect_code(1);
    let e = located(&run.stderr, "content/news/third.md", 3);
    assert!(e.contains("did you mean `description`?"), "{e}");
}

#[test]
fn broken_yaml_is_reported_with_file_and_line() {
    let hub = Hub::copy("front-yaml");
    hub.write(
        "content/news/third.md",
        "---\ntitle: Third\ntags: [a, b\ndate: 2024-05-01\n---\n\nBody.\n",
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    let e = error_lines(&run.stderr)
        .into_iter()
        .find(|l| l.starts_with("error: content/news/third.md:"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    let line: usize = e["error: content/news/third.md:".len()..]
        .split(':')
        .next()
        .unwrap()
        .parse()
        .unwrap_or_else(|_| panic!("no line in {e}"));
    assert!((3..=4).contains(&line), "{e}");
}

#[test]
fn a_field_of_the_wrong_type_is_reported_on_its_own_line() {
    let hub = Hub::copy("errors");
    hub.write(
        "content/news/typed.md",
        "+++\ntitle = \"Typed\"\ndate = 2024-01-01\ntags = \"not-a-list\"\n+++\n\nBody.\n",
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    let e = located(&run.stderr, "content/news/typed.md", 4);
    assert!(e.contains("tags"), "the message names the field: {e}");
}

#[test]
fn an_alias_may_not_replace_another_page() {
    // An alias that names an existing page's URL would silently turn that page into a
    // redirect; it must be an error naming the file that declares it.
    let hub = Hub::copy("errors");
    hub.write(
        "content/news/moved.md",
        "+++\ntitle = \"Moved\"\ndate = 2024-03-01\naliases = [\"/news/notes/\"]\n+++\n\nMoved.\n",
    );
    let run = podium(&hub.root, &["build", "--now", NOW]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("error: content/news/moved.md"),
        "{}",
        run.stderr
    );
    assert!(!hub.root.join("public").exists());
}

#[test]
fn the_output_folder_never_swallows_the_hub() {
    // The atomic swap replaces the output folder whole: pointed at the hub (or a folder that
    // holds it, or one of its source folders) it would delete the sources. Refuse instead.
    for target in ["", "content", ".."] {
        let hub = Hub::copy("errors");
        hub.write("notes.txt", "precious\n");
        let sources = tree(&hub.root);
        let out = hub.root.join(target);
        let run = podium(
            &hub.root,
            &["build", "--now", NOW, "--output", out.to_str().unwrap()],
        );
        assert_ne!(
            run.code,
            Some(0),
            "--output {} was accepted:\n{}",
            out.display(),
            run.stderr
        );
        assert_same_tree(&sources, &tree(&hub.root));
    }
}

#[test]
fn content_cannot_write_outside_the_output_folder() {
    // A slug or an alias with `..` must not place files beside (or above) the site.
    for (field, value) in [
        ("aliases", "[\"/../escaped/\"]"),
        ("slug", "\"../../escaped\""),
    ] {
        let hub = Hub::copy("errors");
        hub.write(
            "content/news/evil.md",
            &format!("+++\ntitle = \"Evil\"\n{field} = {value}\n+++\n\nBody.\n"),
        );
        let out = hub.scratch("site");
        let run = podium(
            &hub.root,
            &["build", "--now", NOW, "--output", out.to_str().unwrap()],
        );
        let outside: Vec<_> = std::fs::read_dir(hub.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n != "hub" && n != "site")
            .collect();
        assert!(
            outside.is_empty(),
            "{field} = {value} wrote {outside:?} outside the output folder"
        );
        run.expect_code(1);
        assert!(
            run.stderr.contains("content/news/evil.md"),
            "{field}: {}",
            run.stderr
        );
    }
}

#[test]
fn config_typos_are_located_with_a_suggestion() {
    let hub = Hub::copy("errors");
    let config = read(&hub.root, "config.toml");
    hub.write(
        "config.toml",
        &format!("{config}titel = \"Oops\"\n\n[feeds]\nlimt = 5\n"),
    );
    let line = config.lines().count() + 1;
    let run = podium(&hub.root, &["build", "--now", NOW]);
    run.expect_code(1);
    let e = located(&run.stderr, "config.toml", line);
    assert!(e.contains("did you mean `title`?"), "{e}");
    let e = located(&run.stderr, "config.toml", line + 3);
    assert!(e.contains("did you mean `limit`?"), "{e}");
}

#[test]
fn two_pages_with_one_url_and_a_missing_title_are_errors() {
    let hub = Hub::copy("errors");
    hub.write(
        "content/news/copy.md",
        "+++\ntitle = \"Copy\"\nslug = \"notes\"\n+++\n\nSame URL as notes.md.\n",
    );
    hub.write(
        "content/news/untitled.md",
        "+++\ndate = 2024-01-01\n+++\n\nNo title.\n",
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    let same_url = error_lines(&run.stderr)
        .into_iter()
        .find(|l| l.contains("news/copy.md") || l.contains("news/notes.md"))
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!(
        same_url.contains("news/copy.md") && same_url.contains("news/notes.md"),
        "names both files: {same_url}"
    );
    assert!(
        error_lines(&run.stderr)
            .iter()
            .any(|l| l.starts_with("error: content/news/untitled.md") && l.contains("title")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_missing_template_is_an_error_not_a_silent_fallback() {
    // Kind templates may fall back to the generic ones, but a template an author names
    // (`template = "landing.html"`) that does not exist is a typo to report.
    let hub = Hub::copy("errors");
    hub.write(
        "content/landing.md",
        "+++\ntitle = \"Landing\"\ntemplate = \"landing.html\"\n+++\n\nHi.\n",
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    assert!(
        error_lines(&run.stderr)
            .iter()
            .any(|l| l.contains("content/landing.md") && l.contains("landing.html")),
        "{}",
        run.stderr
    );
}

#[test]
fn a_menu_link_to_a_missing_page_is_an_error() {
    let hub = Hub::copy("errors");
    let config = read(&hub.root, "config.toml");
    hub.write(
        "config.toml",
        &format!("{config}\n[[menu]]\nname = \"Gone\"\nurl = \"@/gone.md\"\n"),
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    assert!(
        error_lines(&run.stderr)
            .iter()
            .any(|l| l.starts_with("error: config.toml") && l.contains("@/gone.md")),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let hub = Hub::copy("errors");
    for args in [
        &["build", "--frobnicate"][..],
        &["frobnicate"],
        &[],
        &["new", "widget", "A title"],
        &["build", "--output"],
    ] {
        let run = podium(&hub.root, args);
        run.expect_code(2);
        assert!(run.stderr.contains("error"), "{args:?}: {}", run.stderr);
    }
    assert!(!hub.root.join("public").exists());
}

#[test]
fn malformed_flag_values_are_usage_errors() {
    // `--now` and `--base-url` are part of the command line, not of the hub's content.
    let hub = Hub::copy("errors");
    for (flag, value) in [("--now", "yesterday"), ("--base-url", "example.org/hub")] {
        let run = podium(&hub.root, &["build", flag, value]);
        run.expect_code(2);
        assert!(run.stderr.contains(value), "{}", run.stderr);
        assert!(!hub.root.join("public").exists());
    }
}

#[test]
fn check_reports_every_problem_and_writes_nothing() {
    let hub = Hub::copy("errors");
    let clean = listing(hub.tmp.path());
    podium(&hub.root, &["check"]).expect_success();
    assert_eq!(
        listing(hub.tmp.path()),
        clean,
        "a clean check writes nothing"
    );

    hub.write("content/news/notes.md", BROKEN_TOML);
    hub.write("content/seminars/talk.md", UNKNOWN_FIELD);
    let before = listing(hub.tmp.path());
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    located(&run.stderr, "content/news/notes.md", 4);
    located(&run.stderr, "content/seminars/talk.md", 6);
    assert_eq!(
        listing(hub.tmp.path()),
        before,
        "check on a bad hub writes nothing"
    );
}

#[test]
fn a_bad_file_never_makes_podium_panic() {
    // A few nasty inputs: each must end in a located error (exit 1), not a crash.
    let cases: &[(&str, &str)] = &[
        ("content/news/empty.md", ""),
        ("content/news/unclosed.md", "+++\ntitle = \"x\"\n"),
        (
            "content/news/binary.md",
            "+++\ntitle = \"\u{0}\u{1}\"\n+++\n\u{0}",
        ),
        (
            "content/news/wrongtype.md",
            "+++\ntitle = 3\ntags = \"a\"\n+++\n",
        ),
        (
            "content/news/baddate.md",
            "+++\ntitle = \"x\"\ndate = \"2020-13-45\"\n+++\n",
        ),
        ("content/news/yamllist.md", "---\n- a\n- b\n---\n"),
        (
            "content/news/math.md",
            "+++\ntitle = \"x\"\n+++\n\n$\\frac{$ and $$\\begin{x}$$\n",
        ),
    ];
    for (file, text) in cases {
        let hub = Hub::copy("errors");
        hub.write(file, text);
        let run = podium(&hub.root, &["check"]);
        if run.code == Some(1) {
            assert!(
                run.stderr.contains(&format!("error: {file}")),
                "{file}: the error names the file:\n{}",
                run.stderr
            );
        } else {
            run.expect_success();
        }
    }
}

#[test]
fn every_broken_template_is_reported_in_one_run() {
    let hub = Hub::copy("errors");
    let check_with = |card: &str, page: &str| {
        hub.write("templates/card.html", card);
        hub.write("templates/page.html", page);
        let run = podium(&hub.root, &["check"]);
        run.expect_code(1);
        run.stderr
    };
    // Two templates that do not parse: Tera stops at the first, Podium reports both.
    let stderr = check_with(
        "<p>{{ page.title }</p>\n",
        "{% if page.title %}\n{{ page.title | }}\n",
    );
    // `}` at line 1, column 18; the missing filter name after `|` at line 2, column 17.
    assert!(located(&stderr, "templates/card.html", 1).contains(":1:18:"));
    assert!(located(&stderr, "templates/page.html", 2).contains(":2:17:"));
    assert!(stderr.contains("2 errors found"), "{stderr}");

    // Templates that parse but name filters nobody defined: one located error each.
    let stderr = check_with(
        "<p>{{ page.title | shout }}</p>\n",
        "{{ page.title }}\n{{ page.title | whisper }}\n",
    );
    let card = located(&stderr, "templates/card.html", 1);
    let page = located(&stderr, "templates/page.html", 2);
    assert!(
        card.contains(":1:20:") && card.contains("`shout`"),
        "{card}"
    );
    assert!(
        page.contains(":2:17:") && page.contains("`whisper`"),
        "{page}"
    );
    assert_eq!(stderr.matches("= help:").count(), 1, "{stderr}");
}

/// Runs `check` on the `people` hub (which has talks, events, members and posts) with
/// `files` added, and returns its stderr.
fn check_with(files: &[(&str, &str)]) -> String {
    let hub = Hub::copy("people");
    for (rel, text) in files {
        hub.write(rel, text);
    }
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    run.stderr
}

#[test]
fn bad_dates_point_at_the_value_in_every_kind_of_page() {
    // (file, front matter, the expected `line:column`, a part of the message)
    let cases = [
        (
            "content/seminars/bad-start.md",
            "title = \"T\"\nstart = \"2020-13-05 16:00\"\n",
            "3:9",
            "month 13 is out of range",
        ),
        (
            "content/seminars/bad-end.md",
            "title = \"T\"\nstart = \"2020-11-05 16:00\"\nend = \"2020-11-05 25:00\"\n",
            "4:7",
            "hour 25 is out of range",
        ),
        (
            "content/seminars/bad-exdate.md",
            "title = \"T\"\nstart = \"2020-11-05 16:00\"\nrecurrence = \"FREQ=WEEKLY\"\nexdates = [\"2020-02-30\"]\n",
            "5:11",
            "invalid exdate \"2020-02-30\"",
        ),
        (
            "content/events/bad-event/index.md",
            "title = \"E\"\nstart_date   =   \"2021-04-31\"\n",
            "3:18",
            "day 31 is out of range",
        ),
        (
            "content/news/bad-updated.md",
            "title = \"P\"\ndate = \"2021-02-01\"\nupdated = \"2021-02-30\"\n",
            "4:11",
            "day 30 is out of range",
        ),
        (
            "content/people/bad-joined.md",
            "name = \"Bad Joined\"\njoined = 2019-02-30\n",
            "3:10",
            "invalid date \"2019-02-30\"",
        ),
    ];
    let files: Vec<(&str, String)> = cases
        .iter()
        .map(|(file, front, ..)| (*file, format!("+++\n{front}+++\n\nBody.\n")))
        .collect();
    let files: Vec<(&str, &str)> = files.iter().map(|(f, t)| (*f, t.as_str())).collect();
    let stderr = check_with(&files);
    for (file, _, at, message) in cases {
        let line = error_lines(&stderr)
            .into_iter()
            .find(|l| l.starts_with(&format!("error: {file}:")))
            .unwrap_or_else(|| panic!("no error for {file} in:\n{stderr}"));
        assert!(
            line.starts_with(&format!("error: {file}:{at}: ")) && line.contains(message),
            "expected `{file}:{at}: …{message}…`, got `{line}`"
        );
    }
}

#[test]
fn an_unquoted_bad_date_reads_like_a_quoted_one() {
    let post = |date: &str| format!("+++\ntitle = \"P\"\ndate = {date}\n+++\n\nBody.\n");
    let quoted = post("\"2020-11-31\"");
    let bare = post("2020-11-31");
    let stderr = check_with(&[
        ("content/news/quoted.md", &quoted),
        ("content/news/bare.md", &bare),
    ]);
    let report = |file: &str| {
        let at = stderr
            .find(&format!("error: content/news/{file}.md:"))
            .unwrap_or_else(|| panic!("no error for {file} in:\n{stderr}"));
        let rest = &stderr[at..];
        let end = rest[1..].find("error: ").map_or(rest.len(), |i| i + 1);
        rest[..end].replace(file, "FILE")
    };
    let bare = report("bare");
    assert!(
        bare.starts_with(
            "error: content/news/FILE.md:3:8: invalid date \"2020-11-31\": day 31 is out of range"
        ),
        "{bare}"
    );
    assert!(!bare.contains("quot"), "no hint about quoting: {bare}");
    assert_eq!(bare, report("quoted").replace(":3:9:", ":3:8:"));
}

#[test]
fn photo_problems_are_reported_with_every_other_error() {
    let hub = Hub::copy("people");
    // `umit-sozbilir` names `portrait.png`; the fixture's `tall.jpg` is left missing.
    hub.write(
        "content/people/umit-sozbilir/portrait.png",
        "not an image at all",
    );
    hub.write(
        "content/people/gif-fan/index.md",
        "+++\nname = \"Gif Fan\"\nphoto = \"me.gif\"\n+++\n",
    );
    hub.write("content/people/gif-fan/me.gif", "GIF89a\x01\0\x01\0\0\0\0;");
    hub.write(
        "content/news/bad-date.md",
        "+++\ntitle = \"P\"\ndate = \"2021-02-30\"\n+++\n",
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    for expected in [
        "error: content/news/bad-date.md:3:",
        "error: content/people/lukasz-bibrzycki.md:9:1: photo `/photos/tall.jpg` not found",
        "error: content/people/umit-sozbilir/index.md:6:1: photo `portrait.png` is not an image",
        "error: content/people/gif-fan/index.md:3:1: photo `me.gif` is a GIF image",
    ] {
        assert!(
            run.stderr.contains(expected),
            "missing `{expected}` in:\n{}",
            run.stderr
        );
    }
}

#[test]
fn a_mistyped_author_slug_is_an_error_and_a_name_stays_text() {
    let post = "+++\ntitle = \"P\"\ndate = 2021-02-01\nauthors = [\"Jane Doe\", \"lukasz-bibrzyki\", \"ada\"]\n+++\n\nBody.\n";
    let stderr = check_with(&[("content/news/typo.md", post)]);
    assert!(
        stderr.contains(
            "error: content/news/typo.md:4:24: no member has the slug `lukasz-bibrzyki`, did you mean `lukasz-bibrzycki`?"
        ),
        "{stderr}"
    );
    // Free-text names (capitals, spaces, or a single word) are not slugs.
    assert!(
        !stderr.contains("Jane Doe") && !stderr.contains("`ada`"),
        "{stderr}"
    );
}

#[test]
fn a_missing_image_or_banner_is_an_error_at_its_field() {
    let hub = Hub::copy("errors");
    hub.write(
        "content/news/pictured/index.md",
        "+++\ntitle = \"P\"\nimage = \"cover.jpg\"\nbanner = \"missing banner.jpg\"\n+++\n",
    );
    hub.write("content/news/pictured/cover.jpg", "a file");
    hub.write(
        "content/news/plain.md",
        "+++\ntitle = \"Q\"\nimage =  \"nowhere.png\"\n+++\n",
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    let errors = error_lines(&run.stderr);
    assert_eq!(
        errors,
        [
            "error: content/news/pictured/index.md:4:10: banner `missing banner.jpg` not found",
            "error: content/news/plain.md:3:10: image `nowhere.png` not found",
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn bundle_file_names_are_url_encoded_where_links_are_made() {
    let hub = Hub::copy("errors");
    let names = ["my photo#1.png", "100% ready?.jpg", "slides v2#final.pdf"];
    hub.write(
        "content/news/files/index.md",
        "+++\ntitle = \"Files\"\nimage = \"my photo#1.png\"\nbanner = \"100% ready?.jpg\"\n+++\n",
    );
    hub.write("content/news/files/my photo#1.png", "image");
    hub.write("content/news/files/100% ready?.jpg", "banner");
    hub.write(
        "content/seminars/with-slides/index.md",
        "+++\ntitle = \"T\"\nstart = \"2024-03-05 16:00\"\nslides = \"slides v2#final.pdf\"\n+++\n",
    );
    hub.write("content/seminars/with-slides/slides v2#final.pdf", "slides");
    let out = hub.build_into("site", &[]);
    let post = html(&out, "news/files/index.html");
    let talk = html(&out, "seminars/with-slides/index.html");
    let links = [
        attrs(&post, ".post-image img", "src"),
        attrs(&post, ".banner img", "src"),
        attrs(&talk, "dd a[rel=external]", "href"),
    ];
    assert_eq!(
        links,
        [
            ["/errors/news/files/my%20photo%231.png"],
            ["/errors/news/files/100%25%20ready%3F.jpg"],
            ["/errors/seminars/with-slides/slides%20v2%23final.pdf"],
        ]
    );
    for (link, name) in links.iter().zip(names) {
        let file = percent_decode(link[0].strip_prefix("/errors/").unwrap());
        assert!(file.ends_with(name), "{file}");
        assert!(out.join(&file).is_file(), "{link:?} maps to no file");
    }
}
