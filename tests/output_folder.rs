//! The output folder is Podium's only where Podium made it: folders it did not make are
//! refused, files it never wrote survive every build, and a build killed at any moment
//! leaves the old site or the new one, never a mix, and no staging folder git would see.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use common::{Hub, NOW, build, podium, tree};

/// The record of the files Podium wrote, in every site it builds.
const MANIFEST: &str = ".podium-manifest.json";

/// Runs `podium build --output OUT` and returns the run, whatever its outcome.
fn build_into(hub: &Hub, out: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec!["build", "--now", NOW, "--output", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    podium(&hub.root, &args)
}

/// Asserts that the build into `out` was refused with exit 1, naming `out` and `needle`.
#[track_caller]
fn assert_refused(hub: &Hub, out: &Path, needle: &str) {
    let run = build_into(hub, out, &[]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&*out.to_string_lossy()),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains(needle), "{}", run.stderr);
}

#[test]
fn a_folder_podium_did_not_make_is_refused_and_left_alone() {
    let hub = Hub::copy("incremental");
    let documents = hub.scratch("Documents");
    std::fs::create_dir_all(documents.join(".ssh")).unwrap();
    std::fs::write(documents.join(".ssh/id_ed25519"), "key").unwrap();
    std::fs::write(documents.join("thesis.tex"), "chapter 1").unwrap();
    let before = tree(&documents);
    assert_refused(&hub, &documents, "--force");
    assert_eq!(
        tree(&documents),
        before,
        "nothing in the folder was touched"
    );
    // An empty folder is fine, as is a folder with a site Podium built.
    let empty = hub.scratch("empty");
    std::fs::create_dir(&empty).unwrap();
    build(&hub.root, &empty, &[]);
    build(&hub.root, &empty, &[]);
}

#[test]
fn force_takes_a_folder_over_and_replaces_what_is_in_it() {
    let hub = Hub::copy("incremental");
    let old = hub.scratch("old");
    std::fs::create_dir_all(old.join("stale")).unwrap();
    std::fs::write(old.join("stale/page.html"), "stale").unwrap();
    build(&hub.root, &old, &["--force"]);
    assert!(!old.join("stale").exists());
    assert!(old.join("index.html").is_file() && old.join(MANIFEST).is_file());
}

#[test]
fn a_site_from_a_podium_without_manifests_is_recognised() {
    let hub = Hub::copy("incremental");
    let out = hub.build_into("public", &[]);
    std::fs::remove_file(out.join(MANIFEST)).unwrap();
    assert_refused(&hub, &out, "an earlier Podium");
}

#[cfg(unix)]
#[test]
fn anything_but_a_folder_is_refused_and_left_alone() {
    let hub = Hub::copy("incremental");
    let file = hub.scratch("notes.txt");
    std::fs::write(&file, "notes").unwrap();
    assert_refused(&hub, &file, "is a file");
    assert_eq!(std::fs::read(&file).unwrap(), b"notes");

    let pipe = hub.scratch("pipe");
    let made = Command::new("mkfifo").arg(&pipe).status().unwrap();
    assert!(made.success());
    assert_refused(&hub, &pipe, "not a folder");
    use std::os::unix::fs::FileTypeExt;
    assert!(pipe.symlink_metadata().unwrap().file_type().is_fifo());

    let target = hub.scratch("target");
    std::fs::create_dir(&target).unwrap();
    let link = hub.scratch("link");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    assert_refused(&hub, &link, "symbolic link");
    assert!(link.symlink_metadata().unwrap().is_symlink());
}

/// Files a user put in the output folder by hand, by site path.
const USERS: [(&str, &str); 4] = [
    (".git/HEAD", "ref: refs/heads/gh-pages\n"),
    (".git/objects/ab/cdef", "object"),
    ("CNAME", "hub.example.org\n"),
    (
        ".well-known/security.txt",
        "Contact: mailto:x@example.org\n",
    ),
];

#[test]
fn files_podium_never_wrote_survive_cold_and_warm_builds() {
    let hub = Hub::copy("incremental");
    let out = hub.build_into("site", &[]);
    for (path, text) in USERS {
        std::fs::create_dir_all(out.join(path).parent().unwrap()).unwrap();
        std::fs::write(out.join(path), text).unwrap();
    }
    std::fs::create_dir(out.join("empty-by-hand")).unwrap();
    assert!(out.join("news/post-5/index.html").is_file());
    std::fs::remove_file(hub.root.join("content/news/post-5.md")).unwrap();
    build(&hub.root, &out, &[]);
    std::fs::remove_file(hub.root.join("content/news/post-4.md")).unwrap();
    std::fs::remove_dir_all(hub.root.join(".podium-cache")).unwrap();
    build(&hub.root, &out, &[]);
    let site = tree(&out);
    for (path, text) in USERS {
        assert_eq!(
            site.get(path).map(Vec::as_slice),
            Some(text.as_bytes()),
            "{path}"
        );
    }
    assert!(out.join("empty-by-hand").is_dir());
    // What Podium wrote and no longer writes is gone, folders and all.
    assert!(!out.join("news/post-5").exists() && !out.join("news/post-4").exists());
}

#[test]
fn a_file_of_the_users_where_the_site_needs_a_folder_stops_the_build() {
    let hub = Hub::copy("incremental");
    let out = hub.build_into("site", &[]);
    std::fs::remove_file(hub.root.join("content/news/post-5.md")).unwrap();
    build(&hub.root, &out, &[]);
    std::fs::write(out.join("news/post-5"), "mine").unwrap();
    hub.write(
        "content/news/post-5.md",
        "+++\ntitle = \"Back\"\ndate = 2026-01-05\n+++\nBack.\n",
    );
    let run = build_into(&hub, &out, &[]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("post-5 was not written by Podium"),
        "{}",
        run.stderr
    );
    assert_eq!(std::fs::read(out.join("news/post-5")).unwrap(), b"mine");
}

/// A staging folder a killed build left, named for `out`, made by a process that has ended.
fn leftover_of(parent: &Path, out: &Path, marked: bool) -> PathBuf {
    let mut ended = Command::new("true").spawn().unwrap();
    ended.wait().unwrap();
    staging_of(parent, out, ended.id(), marked)
}

/// A staging folder for `out` as process `pid` makes it.
fn staging_of(parent: &Path, out: &Path, pid: u32, marked: bool) -> PathBuf {
    let name = out.file_name().unwrap().to_str().unwrap();
    let folder = parent.join(format!(".{name}.podium-{pid}"));
    std::fs::create_dir_all(folder.join("news")).unwrap();
    std::fs::write(folder.join("news/index.html"), "half").unwrap();
    if marked {
        std::fs::write(folder.join(".podium-staging"), "").unwrap();
    }
    folder
}

#[test]
fn the_next_build_removes_what_killed_builds_left_and_only_that() {
    let hub = Hub::copy("incremental");
    let out = hub.scratch("site");
    let beside = leftover_of(hub.tmp.path(), &out, true);
    let unmarked = leftover_of(hub.tmp.path(), &out, false);
    // This test's process runs: as if it were another build, busy with its staging folder.
    let in_use = staging_of(hub.tmp.path(), &out, std::process::id(), true);
    build(&hub.root, &out, &[]);
    assert!(!beside.exists(), "a marked leftover is removed");
    assert!(
        unmarked.join("news/index.html").is_file(),
        "an unmarked one is not"
    );
    assert!(in_use.join("news/index.html").is_file(), "nor one in use");

    // Into the hub's own output folder, staging happens in .podium-cache/, ignored by git.
    let public = hub.root.join("public");
    let cache = hub.root.join(".podium-cache");
    let inside = leftover_of(&cache, &public, true);
    podium(&hub.root, &["build", "--now", NOW]).expect_success();
    assert!(!inside.exists());
    assert!(public.join(MANIFEST).is_file());
}

/// Everything under `dir` except the files a user put there.
fn podiums(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = tree(dir);
    files.retain(|path, _| !USERS.iter().any(|(p, _)| p == path));
    files
}

/// Makes the hub's content version `b` (one post retitled, one added) or `a` (as copied).
fn set_version(hub: &Hub, b: bool) {
    let post = hub.root.join("content/news/post-1.md");
    let text = std::fs::read_to_string(&post).unwrap();
    let (from, to) = if b {
        ("\"Post 1\"", "\"Post 1, retitled\"")
    } else {
        ("\"Post 1, retitled\"", "\"Post 1\"")
    };
    std::fs::write(&post, text.replace(from, to)).unwrap();
    let extra = hub.root.join("content/news/extra.md");
    if b {
        hub.write(
            "content/news/extra.md",
            "+++\ntitle = \"Extra\"\ndate = 2026-02-01\n+++\nAn extra post.\n",
        );
    } else {
        let _ = std::fs::remove_file(extra);
    }
}

/// Entries of the hub's folder that git would see as new: anything but the hub's own
/// files, its output folder and `.podium-cache/` (which `podium init`'s .gitignore lists).
fn strays(hub: &Hub) -> Vec<String> {
    let expected = ["config.toml", "content", "public", ".podium-cache"];
    let mut found: Vec<String> = std::fs::read_dir(&hub.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !expected.contains(&n.as_str()))
        .collect();
    found.extend(
        std::fs::read_dir(hub.tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("podium")),
    );
    found
}

#[test]
fn a_build_killed_at_any_moment_leaves_one_whole_site() {
    let hub = Hub::copy("incremental");
    let reference = |b: bool| {
        set_version(&hub, b);
        podiums(&hub.build_into(if b { "ref-b" } else { "ref-a" }, &[]))
    };
    let (site_a, site_b) = (reference(false), reference(true));
    assert_ne!(site_a, site_b);
    set_version(&hub, false);
    let public = hub.root.join("public");
    let started = Instant::now();
    podium(&hub.root, &["build", "--now", NOW]).expect_success();
    let duration = started.elapsed();
    for (path, text) in USERS {
        std::fs::create_dir_all(public.join(path).parent().unwrap()).unwrap();
        std::fs::write(public.join(path), text).unwrap();
    }
    let mut rng = 0x9e37_79b9_7f4a_7c15_u64;
    let (mut old, mut new) = (0, 0);
    for round in 0..100 {
        let is_b = podiums(&public) == site_b;
        set_version(&hub, !is_b);
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        // Spread over the whole build, and a little past it.
        let delay = duration.mul_f64((rng % 1000) as f64 / 800.0);
        let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
            .args(["--root", hub.root.to_str().unwrap(), "build", "--now", NOW])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        child.wait().unwrap();
        let now = podiums(&public);
        match (now == site_a, now == site_b) {
            (true, _) if is_b => new += 1,
            (true, _) => old += 1,
            (_, true) if is_b => old += 1,
            (_, true) => new += 1,
            _ => panic!("round {round}: the output folder mixes the two sites"),
        }
        let site = tree(&public);
        for (path, text) in USERS {
            assert_eq!(
                site[path],
                text.as_bytes(),
                "round {round}: {path} survived"
            );
        }
        assert_eq!(strays(&hub), Vec::<String>::new(), "round {round}");
    }
    // Both outcomes happened: the kills were spread over the whole build.
    eprintln!("killed builds left the old site {old} times, the new one {new} times");
    assert!(old > 0 && new > 0, "old {old}, new {new}");
    podium(&hub.root, &["build", "--now", NOW]).expect_success();
    let staging: Vec<_> = std::fs::read_dir(hub.root.join(".podium-cache"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .filter(|n| n.to_string_lossy().contains(".podium-"))
        .collect();
    assert!(staging.is_empty(), "left after a whole build: {staging:?}");
}
