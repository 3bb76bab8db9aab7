//! Publishing rules: posts and plain pages wait for their date, talks do not.

mod common;

use std::path::Path;

use common::*;

/// A post dated a week after the tests' fixed "now" (2026-11-23).
const LATER_POST: &str = "content/news/2026-11-30-coming-soon.md";
/// A plain page dated after "now" too.
const LATER_PAGE: &str = "content/launch.md";

/// The `features` hub with a post and a page dated after "now".
fn hub_with_future_pages() -> Hub {
    let hub = Hub::copy("features");
    hub.write(
        LATER_POST,
        "+++\ntitle = \"Coming soon\"\ntags = [\"soon\"]\n+++\nFUTURE-POST-BODY\n",
    );
    hub.write(
        LATER_PAGE,
        "+++\ntitle = \"Launch\"\ndate = \"2026-12-01\"\n+++\nFUTURE-PAGE-BODY\n",
    );
    hub
}

/// Whether the output at `out` shows the future post and page: their pages, the post's
/// card on the news list, its feed entry and its tag.
fn shows_future(out: &Path) -> [bool; 5] {
    let listed = attrs(&html(out, "news/index.html"), "main .card-title a", "href");
    [
        out.join("news/coming-soon/index.html").is_file(),
        out.join("launch/index.html").is_file(),
        listed.contains(&"/research/news/coming-soon/".to_string()),
        read(out, "news/atom.xml").contains("FUTURE-POST-BODY"),
        out.join("tags/soon/index.html").is_file(),
    ]
}

#[test]
fn posts_and_pages_dated_after_now_wait_for_their_date() {
    let hub = hub_with_future_pages();
    let out = hub.build_into("site", &[]);
    assert_eq!(shows_future(&out), [false; 5]);
    let everything: Vec<String> = tree(&out)
        .into_values()
        .filter_map(|b| String::from_utf8(b).ok())
        .collect();
    assert!(
        !everything.iter().any(|t| t.contains("Coming soon")),
        "the held-back post leaks into some page"
    );
}

#[test]
fn the_future_flag_or_setting_publishes_them_now() {
    let hub = hub_with_future_pages();
    let out = hub.build_into("flag", &["--future"]);
    assert_eq!(shows_future(&out), [true; 5]);

    let config = std::fs::read_to_string(hub.root.join("config.toml")).unwrap();
    hub.write(
        "config.toml",
        &format!("{config}\n[build]\nfuture = true\n"),
    );
    let out = hub.build_into("setting", &[]);
    assert_eq!(shows_future(&out), [true; 5]);
}

#[test]
fn a_post_appears_on_its_day_in_an_incremental_build() {
    let hub = hub_with_future_pages();
    let out = hub.scratch("site");
    let build_at = |now: &str| {
        let args = ["build", "--now", now, "--output", out.to_str().unwrap()];
        podium(&hub.root, &args).expect_success();
    };
    build_at("2026-11-23T12:00:00Z");
    assert_eq!(shows_future(&out), [false; 5]);
    // Midnight in the hub's zone (Europe/Zurich) is the post's moment.
    build_at("2026-11-29T23:30:00Z");
    assert_eq!(shows_future(&out), [true, false, true, true, true]);
    build_at("2026-12-01T08:00:00Z");
    assert_eq!(shows_future(&out), [true; 5]);
}

/// A hub whose members section asks for 10 members per page and has `count` members.
fn directory_of(count: usize) -> Hub {
    let hub = Hub::copy("people");
    std::fs::remove_dir_all(hub.root.join("content")).unwrap();
    hub.write(
        "content/people/_index.md",
        "+++\ntitle = \"People\"\nkind = \"members\"\npaginate_by = 10\ncategories = [\"Staff\", \"Students\"]\n+++\n",
    );
    for i in 0..count {
        let category = ["Staff", "Students"][i % 2];
        hub.write(
            &format!("content/people/member-{i:04}.md"),
            &format!(
                "+++\nname = \"Member {i:04}\"\ncategory = \"{category}\"\ngroups = [\"G{}\"]\n+++\n",
                i % 7
            ),
        );
    }
    hub
}

/// Bytes of every file under `dir`.
fn size_of(dir: &Path) -> usize {
    tree(dir).values().map(Vec::len).sum()
}

#[test]
fn a_paginated_member_directory_is_one_page_with_a_warning() {
    let hub = directory_of(1000);
    let out = hub.scratch("site");
    let run = build(&hub.root, &out, &[]);
    assert!(
        run.stderr
            .contains("warning: content/people/_index.md:4:1: `paginate_by` is ignored"),
        "{}",
        run.stderr
    );
    assert!(!out.join("people/page").exists(), "no directory pages");
    let doc = html(&out, "people/index.html");
    let everyone = sel("#all-members li.person");
    assert_eq!(doc.select(&everyone).count(), 1000);
    let last = sel("section.panel li.person a[href$='/member-0999/']");
    assert_eq!(
        doc.select(&last).count(),
        2,
        "in its tab and in All Members"
    );

    // One directory page, not one per ten members: the output grows with the members.
    let small = directory_of(250);
    let small_out = small.scratch("site");
    build(&small.root, &small_out, &[]);
    let ratio = size_of(&out) as f64 / size_of(&small_out) as f64;
    assert!(ratio < 5.0, "4x the members made {ratio:.1}x the output");
}
