//! The build cache (`.podium-cache/build/`): a `podium build` after edits renders only what
//! they reach, and its site is byte for byte the one a build from scratch makes, whatever
//! was edited, whatever "now" is, whatever happened to the output folder or the cache.

mod common;
mod edits;

use std::collections::BTreeMap;
use std::path::Path;

use common::{Hub, podium, tree};
use edits::{Rng, add_history, differences, edit_in_place, fresh};
use podium::site::BuildOptions;

/// Builds `hub` into `out` with the real binary at `now`; returns how many pages it rendered.
#[track_caller]
fn build(hub: &Hub, out: &Path, now: &str) -> usize {
    let out = out.to_str().unwrap();
    let run = podium(&hub.root, &["build", "--now", now, "--output", out]);
    run.expect_success();
    rendered(&run.stderr)
}

/// The "N rendered" of a build's summary line.
fn rendered(stderr: &str) -> usize {
    let (before, _) = stderr
        .split_once(" rendered,")
        .unwrap_or_else(|| panic!("no summary line in {stderr}"));
    before.rsplit('(').next().unwrap().parse().unwrap()
}

/// The site a build from scratch of `root` at `now` makes, in memory, with no cache.
fn fresh_at(root: &Path, now: &str) -> BTreeMap<String, Vec<u8>> {
    fresh(&BuildOptions {
        root: root.to_path_buf(),
        now: Some(now.into()),
        ..Default::default()
    })
}

/// The incremental fixture with a yearly seminar archive, as `serve`'s tests use it, and a
/// post linking to another.
fn hub() -> Hub {
    let hub = Hub::copy("incremental");
    add_history(&hub.root);
    let post = hub.root.join("content/news/post-2.md");
    let text = std::fs::read_to_string(&post).unwrap();
    let link = "See [the first post](@/news/post-1.md).";
    std::fs::write(&post, format!("{text}\n{link}\n")).unwrap();
    hub
}

/// Moments on both sides of the fixture's talks (its history runs through 2024 and 2025).
const NOWS: [&str; 4] = [
    "2026-03-01T12:00:00Z",
    "2025-06-05T15:00:00Z",
    "2025-06-05T18:00:00Z",
    "2026-03-01T12:00:01Z",
];

/// One change a coordinator might make between two builds, other than editing a page in
/// place; each one sends the next build back to a full render.
fn change_something_else(hub: &Hub, out: &Path, rng: &mut Rng, step: usize) -> &'static str {
    let root = &hub.root;
    match rng.below(7) {
        0 => {
            let file = root.join(format!("content/news/added-{step}.md"));
            let text = format!(
                "+++\ntitle = \"Added {step}\"\ndate = 2026-02-03\ntags = [\"common\"]\n+++\nNew.\n"
            );
            std::fs::write(file, text).unwrap();
            "a post added"
        }
        1 => {
            let text = std::fs::read_to_string(root.join("config.toml")).unwrap();
            let text = text.replacen("title = \"", &format!("title = \"{step} "), 1);
            std::fs::write(root.join("config.toml"), text).unwrap();
            "the site's title"
        }
        2 => {
            std::fs::create_dir_all(root.join("templates")).unwrap();
            let base =
                std::fs::read_to_string(common::repo().join("themes/hub/templates/base.html"));
            let base = base
                .unwrap()
                .replace("</body>", &format!("<!-- {step} --></body>"));
            std::fs::write(root.join("templates/base.html"), base).unwrap();
            "a template"
        }
        3 => {
            let file = root.join("content/people/ada-lovelace.md");
            let text = std::fs::read_to_string(&file).unwrap();
            std::fs::write(&file, format!("{text}\nMore about Ada ({step}).\n")).unwrap();
            "a member"
        }
        4 => {
            std::fs::remove_file(out.join("news/index.html")).unwrap();
            "a file deleted from the output"
        }
        5 => {
            // The page moves: the post linking to it must follow.
            let file = root.join("content/news/post-1.md");
            let text = std::fs::read_to_string(&file).unwrap();
            let text = text.replacen("+++\n", &format!("+++\nslug = \"moved-{step}\"\n"), 1);
            std::fs::write(&file, dedupe_slug(&text)).unwrap();
            "a post's slug"
        }
        _ => {
            let talk = root.join(format!("content/seminars/old-{:03}.md", step % 104));
            drop(std::fs::remove_file(talk));
            "a talk removed"
        }
    }
}

#[test]
fn builds_after_edits_equal_builds_from_scratch() {
    for seed in [0x9E37_79B9_7F4A_7C15u64, 42, 2026] {
        let hub = hub();
        let out = hub.scratch("out");
        let mut rng = Rng(seed);
        let mut now = NOWS[0];
        let everything = build(&hub, &out, now);
        for step in 0..14 {
            let (what, in_place) = match rng.below(4) {
                0 | 1 => {
                    let file = edit_in_place(&hub.root, &mut rng, step);
                    (format!("{} edited", file.display()), true)
                }
                2 => {
                    now = NOWS[rng.below(NOWS.len())];
                    (format!("now {now}"), false)
                }
                _ => (
                    change_something_else(&hub, &out, &mut rng, step).into(),
                    false,
                ),
            };
            let rendered = build(&hub, &out, now);
            let differing = differences(&fresh_at(&hub.root, now), &tree(&out));
            assert!(
                differing.is_empty(),
                "seed {seed:#x}, step {step} ({what}): the site differs from a fresh build at {differing:?}"
            );
            if in_place {
                assert!(
                    rendered < everything / 2,
                    "seed {seed:#x}, step {step} ({what}): {rendered} of {everything} pages rendered"
                );
            }
        }
    }
}

#[test]
fn a_second_build_renders_and_writes_nothing() {
    let hub = hub();
    let out = hub.scratch("out");
    let first = build(&hub, &out, NOWS[0]);
    assert!(first > 100, "the first build renders every page ({first})");
    let before = modified(&out);
    let run = podium(
        &hub.root,
        &["build", "--now", NOWS[0], "--output", out.to_str().unwrap()],
    );
    run.expect_success();
    assert!(
        run.stderr.contains("(0 rendered, 0 written, 0 removed)"),
        "{}",
        run.stderr
    );
    assert_eq!(modified(&out), before, "no file was touched");
}

#[test]
fn a_new_now_renders_the_talks_again_not_the_posts() {
    let hub = hub();
    let out = hub.scratch("out");
    let everything = build(&hub, &out, NOWS[1]);
    let again = build(&hub, &out, NOWS[2]);
    assert!(again > 0 && again < everything, "{again} of {everything}");
    assert!(differences(&fresh_at(&hub.root, NOWS[2]), &tree(&out)).is_empty());
}

#[test]
fn a_damaged_cache_costs_time_not_correctness() {
    let hub = hub();
    let out = hub.scratch("out");
    let everything = build(&hub, &out, NOWS[0]);
    let state = hub.root.join(podium::cache::DIR).join("state");
    let mut bytes = std::fs::read(&state).unwrap();
    bytes.truncate(bytes.len() / 2);
    bytes.extend_from_slice(b"\x01\x02");
    std::fs::write(&state, bytes).unwrap();
    edit_in_place(&hub.root, &mut Rng(7), 0);
    assert_eq!(build(&hub, &out, NOWS[0]), everything);
    assert!(differences(&fresh_at(&hub.root, NOWS[0]), &tree(&out)).is_empty());
}

/// Keeps the first `slug = …` line of a front matter only (each slug edit adds one on top).
fn dedupe_slug(text: &str) -> String {
    let mut seen = false;
    let lines = text.lines().filter(|l| {
        let slug = l.starts_with("slug = ");
        let keep = !(slug && seen);
        seen |= slug;
        keep
    });
    lines.collect::<Vec<_>>().join("\n") + "\n"
}

/// Every file under `dir` with its modification time.
fn modified(dir: &Path) -> BTreeMap<String, std::time::SystemTime> {
    let files = walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap);
    files
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let path = e.path().strip_prefix(dir).unwrap().display().to_string();
            (path, e.metadata().unwrap().modified().unwrap())
        })
        .collect()
}

#[test]
fn a_broken_link_in_an_edited_page_fails_the_build_and_keeps_the_site() {
    let hub = hub();
    let out = hub.scratch("out");
    build(&hub, &out, NOWS[0]);
    let before = tree(&out);
    let post = hub.root.join("content/news/post-2.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\nSee [this](@/news/nowhere.md).\n")).unwrap();
    let out_arg = out.to_str().unwrap();
    let run = podium(&hub.root, &["build", "--now", NOWS[0], "--output", out_arg]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("post-2.md") && run.stderr.contains("nowhere.md"),
        "{}",
        run.stderr
    );
    assert!(
        tree(&out) == before,
        "a failed build leaves the site as it was"
    );
    std::fs::write(&post, text).unwrap();
    build(&hub, &out, NOWS[0]);
    assert!(differences(&fresh_at(&hub.root, NOWS[0]), &tree(&out)).is_empty());
}

#[test]
fn after_a_good_build_every_problem_is_still_reported_at_once() {
    let hub = hub();
    let out = hub.scratch("out");
    build(&hub, &out, NOWS[0]);
    // A broken link in a page the next build would not need to render, and a broken
    // template: both are reported.
    let post = hub.root.join("content/news/post-4.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\n[x](@/news/gone.md)\n")).unwrap();
    std::fs::create_dir_all(hub.root.join("templates")).unwrap();
    std::fs::write(hub.root.join("templates/page.html"), "{% if %}").unwrap();
    let out_arg = out.to_str().unwrap();
    let run = podium(&hub.root, &["build", "--now", NOWS[0], "--output", out_arg]);
    run.expect_code(1);
    for expected in ["post-4.md", "gone.md", "page.html"] {
        assert!(
            run.stderr.contains(expected),
            "no {expected} in {}",
            run.stderr
        );
    }
}

#[test]
fn a_template_that_reads_the_environment_sees_it_change() {
    let hub = hub();
    let out = hub.scratch("out");
    std::fs::create_dir_all(hub.root.join("templates")).unwrap();
    let base = std::fs::read_to_string(common::repo().join("themes/hub/templates/base.html"));
    let marker = r#"<meta name="build" content="{{ get_env(name="HUB_BUILD", default="none") }}">"#;
    let base = base
        .unwrap()
        .replace("</head>", &format!("{marker}</head>"));
    std::fs::write(hub.root.join("templates/base.html"), base).unwrap();
    let out_arg = out.to_str().unwrap();
    for build in ["first", "second"] {
        let args = ["build", "--now", NOWS[0], "--output", out_arg];
        let mut all = vec!["--root", hub.root.to_str().unwrap()];
        all.extend(args);
        common::podium_with(&std::env::temp_dir(), all, &[("HUB_BUILD", build)]).expect_success();
        let page = common::read(&out, "news/index.html");
        assert!(
            page.contains(&format!("content=\"{build}\"")),
            "{build}: {page}"
        );
    }
}
