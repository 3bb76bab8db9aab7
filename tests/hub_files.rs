//! Nothing from outside the hub is published, and nothing in it is silently left out:
//! symlinks leading out of the hub (or into its hidden files) and files Podium cannot read
//! are errors naming them, in `build` and `check` alike, wherever in the hub they are. Also
//! that two files claiming one URL are both named, at the field that makes the clash.

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

/// The contents of every file outside the hub that a link points at: none may be published.
const SECRET: &str = "SECRET-OUTSIDE-THE-HUB";

/// An empty hub at `TMP/hub`, with a home page and a news section.
fn tiny_hub() -> Hub {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("hub");
    let hub = Hub { tmp, root };
    hub.write(
        "config.toml",
        "title = \"T\"\nbase_url = \"https://example.org/\"\n",
    );
    hub.write("content/about.md", "+++\ntitle = \"About\"\n+++\nHello.\n");
    hub.write(
        "content/news/_index.md",
        "+++\ntitle = \"News\"\nkind = \"posts\"\n+++\n",
    );
    hub
}

/// Links `rel` (under the hub) to `target`, making its folder.
fn link(hub: &Hub, rel: &str, target: &Path) {
    let at = hub.root.join(rel);
    std::fs::create_dir_all(at.parent().unwrap()).unwrap();
    symlink(target, at).unwrap();
}

/// Writes a secret file outside the hub and returns its path.
fn secret(hub: &Hub, name: &str, text: &str) -> std::path::PathBuf {
    let path = hub.scratch("outside").join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

/// The `error:` line about `file`, if there is one.
fn error_about<'a>(stderr: &'a str, file: &str) -> Option<&'a str> {
    let prefix = format!("error: {file}");
    stderr.lines().find(|l| {
        l.strip_prefix(&prefix)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

#[track_caller]
fn assert_refused(stderr: &str, file: &str, why: &str) {
    let line =
        error_about(stderr, file).unwrap_or_else(|| panic!("no error about {file}:\n{stderr}"));
    assert!(line.contains(why), "`{line}` does not say `{why}`");
}

/// Asserts that no file under `dir` holds the secret (the build may not have written any).
fn assert_nothing_leaked(dir: &Path) {
    if dir.exists() {
        for (path, bytes) in tree(dir) {
            let text = String::from_utf8_lossy(&bytes);
            assert!(
                !text.contains(SECRET),
                "{path} holds a file from outside the hub"
            );
        }
    }
}

/// A real PNG (so the old code would have made thumbnails of it and published them).
fn png(path: &Path) {
    image::RgbImage::from_pixel(8, 8, image::Rgb([200, 10, 10]))
        .save(path)
        .unwrap();
}

#[test]
fn links_out_of_the_hub_are_refused_wherever_they_are_and_check_says_so_too() {
    let hub = tiny_hub();
    let page = format!("+++\ntitle = \"Leak\"\ndate = 2024-01-01\n+++\n{SECRET}\n");
    // A page, a loose content file, a bundle's file, a static file, a template, a theme
    // asset, a whole static folder: each a link to something outside the hub.
    link(
        &hub,
        "content/news/leak.md",
        &secret(&hub, "leak.md", &page),
    );
    link(&hub, "content/environ.txt", Path::new("/proc/self/environ"));
    hub.write(
        "content/news/bundle/index.md",
        "+++\ntitle = \"B\"\ndate = 2024-01-02\n+++\nB.\n",
    );
    link(
        &hub,
        "content/news/bundle/id_ed25519",
        &secret(&hub, "key", SECRET),
    );
    link(&hub, "static/notes.txt", &secret(&hub, "notes.txt", SECRET));
    link(&hub, "static/shared", &hub.scratch("outside"));
    link(
        &hub,
        "templates/page.html",
        &secret(&hub, "page.html", SECRET),
    );
    copy_tree(&repo().join("themes/hub"), &hub.root.join("themes/hub"));
    link(
        &hub,
        "themes/hub/static/extra.css",
        &secret(&hub, "x.css", SECRET),
    );
    // A member's photo reached with `..` rather than a link.
    hub.write(
        "content/people/_index.md",
        "+++\ntitle = \"People\"\nkind = \"members\"\n+++\n",
    );
    hub.write(
        "content/people/ann.md",
        "+++\nname = \"Ann\"\nphoto = \"../../../outside/ann.png\"\n+++\n",
    );
    png(&hub.scratch("outside/ann.png"));

    let out = hub.scratch("site");
    let run = podium(
        &hub.root,
        &["build", "--now", NOW, "--output", out.to_str().unwrap()],
    );
    run.expect_code(1);
    let check = podium(&hub.root, &["check"]);
    check.expect_code(1);
    for stderr in [&run.stderr, &check.stderr] {
        for file in [
            "content/news/leak.md",
            "content/environ.txt",
            "content/news/bundle/id_ed25519",
            "static/notes.txt",
            "static/shared",
            "templates/page.html",
            "themes/hub/static/extra.css",
        ] {
            assert_refused(stderr, file, "outside the hub");
        }
        let photo = error_about(stderr, "content/people/ann.md:3").expect(stderr);
        assert!(photo.contains("outside the hub"), "{photo}");
    }
    assert!(!out.exists(), "a refused build writes nothing");
    assert_nothing_leaked(&out);
}

#[test]
fn links_inside_the_hub_are_followed_except_into_hidden_files() {
    let hub = tiny_hub();
    hub.write("shared/logo.svg", "<svg/>");
    hub.write("shared/more/data.csv", "a,b\n");
    link(&hub, "static/logo.svg", Path::new("../shared/logo.svg"));
    link(&hub, "content/news/data", Path::new("../../shared/more"));
    // An editor's lock file: a hidden link to nowhere, ignored like any hidden file.
    link(&hub, "content/.#about.md", Path::new("someone@host.1234"));
    let out = hub.build_into("site", &[]);
    assert_eq!(read(&out, "logo.svg"), "<svg/>");
    assert_eq!(read(&out, "news/data/data.csv"), "a,b\n");

    // Inside the hub, but hidden: `.git/` holds remotes and their credentials.
    hub.write(".git/config", SECRET);
    link(&hub, "content/git.txt", Path::new("../.git/config"));
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    assert_refused(&run.stderr, "content/git.txt", "hidden");
}

/// Runs `podium ARGS` on `root`, killed (and the test failed) if it takes over a minute.
fn podium_within_a_minute(root: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
        .arg("--root")
        .arg(root)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(60) {
            child.kill().unwrap();
            panic!("podium hung on {}", root.display());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Makes a named pipe at `rel` under the hub.
fn fifo(hub: &Hub, rel: &str) {
    let path = hub.root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let made = Command::new("mkfifo").arg(&path).status().unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn what_cannot_be_read_is_an_error_naming_it_even_for_root() {
    // Root reads past permissions, so these are things nobody can read as a file: a pipe
    // (reading one waits for a writer forever), a dangling link, a link loop.
    let hub = tiny_hub();
    fifo(&hub, "content/news/pipe.md");
    fifo(&hub, "static/pipe.css");
    link(&hub, "content/news/gone.md", Path::new("moved-away.md"));
    link(&hub, "static/loop", Path::new("."));
    let run = podium_within_a_minute(&hub.root, &["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_refused(&run.stderr, "content/news/pipe.md", "cannot read");
    assert_refused(&run.stderr, "static/pipe.css", "cannot read");
    assert_refused(&run.stderr, "content/news/gone.md", "does not exist");
    assert_refused(&run.stderr, "static/loop", "leads back");
}

#[test]
fn unreadable_files_and_folders_are_errors_not_left_out() {
    let hub = tiny_hub();
    hub.write(
        "content/news/post.md",
        "+++\ntitle = \"P\"\ndate = 2024-01-01\n+++\nP.\n",
    );
    hub.write("static/style.css", "body {}");
    let lock = |path: &str, mode: u32| {
        use std::os::unix::fs::PermissionsExt;
        let path = hub.root.join(path);
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    lock("content/news", 0o000);
    lock("static/style.css", 0o000);
    if std::fs::read_dir(hub.root.join("content/news")).is_ok() {
        lock("content/news", 0o755);
        eprintln!(
            "skipped: running as root (or with CAP_DAC_OVERRIDE), which reads past permissions; \
             what_cannot_be_read_is_an_error_naming_it_even_for_root covers this case"
        );
        return;
    }
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    assert_refused(&run.stderr, "content/news", "cannot read");
    // The folder readable again, the static file is still refused, by `check` too.
    lock("content/news", 0o755);
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    assert_refused(&run.stderr, "static/style.css", "cannot read");
    let out = hub.scratch("site");
    let run = podium(
        &hub.root,
        &["build", "--now", NOW, "--output", out.to_str().unwrap()],
    );
    run.expect_code(1);
    assert_refused(&run.stderr, "static/style.css", "cannot read");
    assert!(!run.stderr.contains("cannot write"), "{}", run.stderr);
}

#[test]
fn two_files_with_one_url_are_both_named_at_the_field_that_makes_the_clash() {
    let hub = tiny_hub();
    hub.write(
        "content/news/x.md",
        "+++\ntitle = \"X\"\ndate = 2024-01-01\n+++\nX.\n",
    );
    // Walked first, each of these claims x.md's URL: the error belongs to them, not to x.md.
    hub.write(
        "content/news/a.md",
        "+++\ntitle = \"A\"\ndate = 2024-01-02\naliases = [\"/old/\", \"/news/x/\"]\n+++\nA.\n",
    );
    hub.write(
        "content/news/b.md",
        "+++\ntitle = \"B\"\ndate = 2024-01-03\nslug = \"x\"\n+++\nB.\n",
    );
    let run = podium(&hub.root, &["check"]);
    run.expect_code(1);
    let alias = error_about(&run.stderr, "content/news/a.md:4:1").expect(&run.stderr);
    assert!(
        alias.contains("`/news/x/`") && alias.contains("content/news/x.md"),
        "{alias}"
    );
    let slug = error_about(&run.stderr, "content/news/b.md:4:1").expect(&run.stderr);
    assert!(
        slug.contains("`/news/x/`") && slug.contains("content/news/x.md"),
        "{slug}"
    );
    assert!(
        error_about(&run.stderr, "content/news/x.md").is_none(),
        "x.md only has the URL its name gives it:\n{}",
        run.stderr
    );
}
