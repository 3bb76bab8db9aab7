//! The same input and the same `--now` give byte-identical output, whatever the machine's
//! time zone, thread count, working folder or output path.

mod common;

use std::ffi::OsStr;
use std::path::Path;

use common::*;

/// Builds `root` into `out` from `cwd`, with `root_arg` as written and extra environment.
fn build_with(cwd: &Path, root_arg: &OsStr, out: &Path, env: &[(&str, &str)]) {
    let args: Vec<&OsStr> = vec![
        OsStr::new("--root"),
        root_arg,
        OsStr::new("build"),
        OsStr::new("--now"),
        OsStr::new(NOW),
        OsStr::new("--base-url"),
        OsStr::new("https://example.github.io/hub/"),
        OsStr::new("--output"),
        out.as_os_str(),
    ];
    podium_with(cwd, args, env).expect_success();
}

#[test]
fn two_builds_of_the_demo_hub_are_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("first"), tmp.path().join("second-build"));
    let repo = repo();
    build_with(
        tmp.path(),
        repo.as_os_str(),
        &a,
        &[("TZ", "UTC"), ("RAYON_NUM_THREADS", "1"), ("LC_ALL", "C")],
    );
    build_with(
        &repo,
        OsStr::new("."),
        &b,
        &[
            ("TZ", "Pacific/Auckland"),
            ("RAYON_NUM_THREADS", "4"),
            ("LC_ALL", "C.UTF-8"),
        ],
    );
    let (ta, tb) = (tree(&a), tree(&b));
    assert!(ta.len() >= 20, "the demo hub builds a real site");
    assert_same_tree(&ta, &tb);
}

#[test]
fn two_builds_of_the_feature_hub_are_identical() {
    let hub = Hub::copy("features");
    let a = hub.build_into("a", &["--drafts"]);
    let b = hub.build_into("b", &["--drafts"]);
    assert!(a.join("news/secret-plans/index.html").is_file());
    assert_same_tree(&tree(&a), &tree(&b));
}

/// The comparison itself can fail: a single changed byte is caught.
#[test]
fn a_changed_byte_is_caught() {
    let hub = Hub::copy("features");
    let a = tree(&hub.build_into("a", &[]));
    let mut b = a.clone();
    b.get_mut("index.html").unwrap()[10] ^= 1;
    let caught = std::panic::catch_unwind(|| assert_same_tree(&a, &b));
    assert!(caught.is_err());
}

/// `--base-url` with or without its trailing slash is the same site.
#[test]
fn the_base_urls_trailing_slash_does_not_matter() {
    let hub = Hub::copy("features");
    let a = hub.build_into("a", &["--base-url", "https://example.github.io/hub/"]);
    let b = hub.build_into("b", &["--base-url", "https://example.github.io/hub"]);
    let ta = tree(&a);
    assert!(
        String::from_utf8_lossy(&ta["index.html"]).contains("href=\"/hub/about/\""),
        "built for the sub-path"
    );
    assert_same_tree(&ta, &tree(&b));
}
