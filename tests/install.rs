//! The workflow `podium init` writes, run as a GitHub runner would but without GitHub: its
//! "Install Podium" and "Build the site" steps, taken from the YAML, run with bash on a
//! clean PATH, against a release archive of the freshly built binary (laid out as the
//! release workflow lays it out) served from 127.0.0.1. Also: a wrong checksum stops the
//! install, a cached install needs no download, and the repository's own Pages workflow
//! differs from the scaffold's only in how it gets Podium.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use common::*;
use serde_norway::Value;

/// The address GitHub Pages would give the site (what `configure-pages` outputs).
const PAGES_URL: &str = "https://example.github.io/starter";

/// A PATH as bare as a runner's before any tool is set up, and without `podium` or `cargo`.
const CLEAN_PATH: &str = "/usr/bin:/bin";

/// A folder of release downloads, `vVERSION/ARCHIVE` and `vVERSION/ARCHIVE.sha256`, as
/// GitHub serves them under `releases/download/`.
struct Release {
    /// The folder served: one subfolder per tag.
    root: PathBuf,
    /// The archive's file name.
    archive: String,
}

/// The target triple whose archive a Linux runner of this machine's architecture downloads.
fn target() -> String {
    format!("{}-unknown-linux-musl", std::env::consts::ARCH)
}

/// The release archive of the binary under test, made once for all tests of this file. It
/// has the layout `dist` gives a Unix archive: `PACKAGE-TARGET.tar.xz` holding the folder
/// `PACKAGE-TARGET/` with the binary, the README and the license files, beside
/// `PACKAGE-TARGET.tar.xz.sha256`, which reads `HASH *PACKAGE-TARGET.tar.xz`.
fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        // Under cargo's folder for test files, replaced on every run: a static is never
        // dropped, so a temporary folder here would be left behind by each run.
        let tmp = Path::new(env!("CARGO_TARGET_TMPDIR")).join("install-release");
        let _ = std::fs::remove_dir_all(&tmp);
        let name = format!("{}-{}", env!("CARGO_PKG_NAME"), target());
        let stage = tmp.join("stage");
        let folder = stage.join(&name);
        std::fs::create_dir_all(&folder).unwrap();
        // Without its debug info (as in a release build), a quarter of the size: the tests
        // unpack it several times on a disk shared with other builds.
        let strip = Command::new("strip")
            .arg("--strip-debug")
            .arg("-o")
            .arg(folder.join("podium"))
            .arg(env!("CARGO_BIN_EXE_podium"))
            .output()
            .unwrap();
        assert_ran(&strip, "strip");
        for file in ["README.md", "LICENSE-MIT", "LICENSE-APACHE"] {
            std::fs::copy(repo().join(file), folder.join(file)).unwrap();
        }
        let root = tmp.join("releases");
        let tag = root.join(format!("v{}", env!("CARGO_PKG_VERSION")));
        std::fs::create_dir_all(&tag).unwrap();
        let archive = format!("{name}.tar.xz");
        // The lowest xz level: the debug binary is large, and the level is not part of the
        // layout.
        let tar = Command::new("tar")
            .env("XZ_OPT", "-0 -T0")
            .arg("--create")
            .arg("--xz")
            .arg("--file")
            .arg(tag.join(&archive))
            .arg("--directory")
            .arg(&stage)
            .arg(&name)
            .output()
            .unwrap();
        assert_ran(&tar, "tar");
        let sum = Command::new("sha256sum")
            .arg("--binary")
            .arg(&archive)
            .current_dir(&tag)
            .output()
            .unwrap();
        assert_ran(&sum, "sha256sum");
        std::fs::write(tag.join(format!("{archive}.sha256")), &sum.stdout).unwrap();
        std::fs::remove_dir_all(&stage).unwrap();
        Release { root, archive }
    })
}

#[track_caller]
fn assert_ran(out: &Output, what: &str) {
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Serves the files under `dir` over HTTP on 127.0.0.1, standing in for GitHub's release
/// downloads; returns the base URL. The server lives as long as the test process.
fn serve(dir: PathBuf) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let dir = dir.clone();
            std::thread::spawn(move || answer(stream, &dir));
        }
    });
    format!("http://{address}")
}

/// Answers one GET request with the file it names under `dir`, or 404.
fn answer(mut stream: TcpStream, dir: &Path) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut header = String::new();
    while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
        header.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let file = dir.join(path.trim_start_matches('/'));
    let (status, body) = match std::fs::read(&file) {
        Ok(body) if !path.contains("..") => ("200 OK", body),
        _ => ("404 Not Found", b"not found".to_vec()),
    };
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream
        .write_all(head.as_bytes())
        .and_then(|()| stream.write_all(&body));
}

/// A hub made by `podium init`, its parsed workflow, and a runner's home for it.
struct Runner {
    tmp: tempfile::TempDir,
    hub: PathBuf,
    workflow: Value,
}

impl Runner {
    fn new() -> Runner {
        let tmp = tempfile::tempdir().unwrap();
        let hub = tmp.path().join("hub");
        podium_in(tmp.path(), ["init", hub.to_str().unwrap()]).expect_success();
        let text = read(&hub, ".github/workflows/pages.yml");
        let workflow = serde_norway::from_str(&text).unwrap();
        for dir in ["home", "runner-temp"] {
            std::fs::create_dir_all(tmp.path().join(dir)).unwrap();
        }
        Runner { tmp, hub, workflow }
    }

    /// The build job's step called `name`.
    fn step(&self, name: &str) -> &Value {
        build_steps(&self.workflow)
            .iter()
            .find(|s| s["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("no step named {name:?}"))
    }

    /// The runner's home folder.
    fn home(&self) -> PathBuf {
        self.tmp.path().join("home")
    }

    /// The file steps append folders to, for the steps after them to find on PATH.
    fn github_path(&self) -> PathBuf {
        self.tmp.path().join("github_path")
    }

    /// The PATH a step gets: the folders earlier steps added (newest first), then the
    /// runner's own.
    fn path(&self) -> String {
        let added = std::fs::read_to_string(self.github_path()).unwrap_or_default();
        let mut dirs: Vec<&str> = added.lines().filter(|l| !l.is_empty()).collect();
        dirs.reverse();
        dirs.push(CLEAN_PATH);
        dirs.join(":")
    }

    /// Runs the `run:` script of the step `name` in the hub as a runner does (`bash
    /// --noprofile --norc -eo pipefail`), with the workflow's and the step's `env` and
    /// nothing of this process's environment but `extra`.
    fn run(&self, name: &str, extra: &[(&str, &str)]) -> Output {
        let step = self.step(name);
        let script = expand(step["run"].as_str().expect("a run step"));
        let file = self.tmp.path().join("runner-temp/step.sh");
        std::fs::write(&file, script).unwrap();
        let mut cmd = Command::new("/bin/bash");
        cmd.args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&file)
            .current_dir(&self.hub)
            .env_clear()
            .env("PATH", self.path())
            .env("HOME", self.home())
            .env("GITHUB_PATH", self.github_path())
            .env("GITHUB_WORKSPACE", &self.hub)
            .env("RUNNER_TEMP", self.tmp.path().join("runner-temp"))
            .env("CI", "true");
        for scope in [&self.workflow["env"], &step["env"]] {
            for (key, value) in scope.as_mapping().into_iter().flatten() {
                let value = value.as_str().map(expand).unwrap_or_default();
                cmd.env(key.as_str().unwrap(), value);
            }
        }
        cmd.envs(extra.iter().copied());
        cmd.output().unwrap()
    }
}

/// Replaces the `${{ … }}` expressions a runner would; any other one fails the test, so a
/// new expression in a tested step gets a value here rather than an empty string.
fn expand(text: &str) -> String {
    let text = text.replace("${{ steps.pages.outputs.base_url }}", PAGES_URL);
    assert!(
        !text.contains("${{"),
        "an expression the test does not know: {text}"
    );
    text
}

/// The steps of the workflow's `build` job.
fn build_steps(workflow: &Value) -> &Vec<Value> {
    workflow["jobs"]["build"]["steps"]
        .as_sequence()
        .expect("a build job with steps")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// The built site by path, with each calendar feed's DTSTAMP values (the moment of the
/// build, which no two builds share) checked for shape and then blanked.
fn site_without_build_time(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut site = tree(dir);
    for (name, bytes) in site.iter_mut().filter(|(n, _)| n.ends_with(".ics")) {
        let text = String::from_utf8(std::mem::take(bytes)).unwrap();
        let lines: Vec<&str> = text
            .split("\r\n")
            .map(|line| match line.strip_prefix("DTSTAMP:") {
                Some(stamp) => {
                    assert!(
                        jiff::civil::DateTime::strptime("%Y%m%dT%H%M%SZ", stamp).is_ok(),
                        "{name}: DTSTAMP {stamp}"
                    );
                    "DTSTAMP:(build time)"
                }
                None => line,
            })
            .collect();
        *bytes = lines.join("\r\n").into_bytes();
    }
    site
}

#[test]
fn the_scaffolded_workflow_installs_the_release_and_builds_the_same_site() {
    let runner = Runner::new();
    let release = release();
    let url = serve(release.root.clone());
    let which = Command::new("/bin/sh")
        .args(["-c", "command -v podium"])
        .env_clear()
        .env("PATH", CLEAN_PATH)
        .output()
        .unwrap();
    assert!(
        !which.status.success(),
        "podium is already on the clean PATH"
    );

    let install = runner.run("Install Podium", &[("PODIUM_RELEASES_URL", &url)]);
    assert_ran(&install, "the install step");
    let said = String::from_utf8_lossy(&install.stdout);
    assert!(said.contains(&format!("{}: OK", release.archive)), "{said}");
    assert!(
        said.contains(&format!("podium {}", env!("CARGO_PKG_VERSION"))),
        "{said}"
    );

    let build = runner.run("Build the site", &[]);
    assert_ran(&build, "the build step");
    let deployed = runner.hub.join("public");
    assert_eq!(
        build_steps(&runner.workflow)
            .iter()
            .find_map(|s| s["with"]["path"].as_str().filter(|_| {
                s["uses"]
                    .as_str()
                    .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
            })),
        Some("public"),
        "the folder the build step fills is the one uploaded"
    );

    let local = runner.tmp.path().join("local");
    let base = format!("{PAGES_URL}/");
    podium(
        &runner.hub,
        &[
            "build",
            "--base-url",
            &base,
            "--output",
            local.to_str().unwrap(),
        ],
    )
    .expect_success();
    let site = site_without_build_time(&deployed);
    assert!(
        site.contains_key("index.html") && site.len() > 20,
        "{site:?}"
    );
    assert_same_tree(&site, &site_without_build_time(&local));
}

#[test]
fn a_wrong_checksum_stops_the_install() {
    let runner = Runner::new();
    let release = release();
    let forged = runner.tmp.path().join("forged");
    let tag = format!("v{}", env!("CARGO_PKG_VERSION"));
    std::fs::create_dir_all(forged.join(&tag)).unwrap();
    let archive = Path::new(&tag).join(&release.archive);
    let (real, copy) = (release.root.join(&archive), forged.join(&archive));
    std::fs::hard_link(&real, &copy)
        .or_else(|_| std::fs::copy(&real, &copy).map(drop))
        .unwrap();
    let wrong = format!("{} *{}\n", "0".repeat(64), release.archive);
    std::fs::write(
        forged
            .join(&tag)
            .join(format!("{}.sha256", release.archive)),
        wrong,
    )
    .unwrap();
    let url = serve(forged);

    let install = runner.run("Install Podium", &[("PODIUM_RELEASES_URL", &url)]);
    assert!(!install.status.success(), "the install step succeeded");
    let said = String::from_utf8_lossy(&install.stdout);
    assert!(said.contains("FAILED"), "{said}\n{}", stderr(&install));
    assert!(
        !runner.github_path().exists(),
        "nothing was put on the PATH"
    );
    let installed: Vec<_> = walkdir::WalkDir::new(runner.home())
        .into_iter()
        .map(|e| e.unwrap().into_path())
        .filter(|p| p.file_name().is_some_and(|n| n == "podium"))
        .collect();
    assert!(installed.is_empty(), "unpacked anyway: {installed:?}");
}

#[test]
fn a_cached_install_downloads_nothing() {
    let first = Runner::new();
    let url = serve(release().root.clone());
    assert_ran(
        &first.run("Install Podium", &[("PODIUM_RELEASES_URL", &url)]),
        "the first install",
    );

    // A later run on a fresh runner: the cache step restores its `path` and the release
    // server is unreachable.
    let later = Runner::new();
    let cache = &later.step("Cache Podium")["with"];
    let path = cache["path"].as_str().unwrap();
    let version = later.workflow["env"]["PODIUM_VERSION"].as_str().unwrap();
    assert_eq!(version, env!("CARGO_PKG_VERSION"));
    let key = cache["key"].as_str().unwrap();
    assert!(
        key.contains("${{ env.PODIUM_VERSION }}"),
        "by version: {key}"
    );
    let rel = path
        .strip_prefix("~/")
        .expect("a path in the home folder")
        .replace("${{ env.PODIUM_VERSION }}", version);
    let restored = later.home().join(&rel);
    std::fs::create_dir_all(restored.parent().unwrap()).unwrap();
    std::fs::rename(first.home().join(&rel), &restored).unwrap();
    let install = later.run(
        "Install Podium",
        &[("PODIUM_RELEASES_URL", "http://127.0.0.1:9")],
    );
    assert_ran(&install, "the install from the cache");
    assert_ran(&later.run("Build the site", &[]), "the build step");
    assert!(later.hub.join("public/index.html").is_file());
}

#[test]
fn the_repositorys_pages_workflow_differs_only_in_how_it_gets_podium() {
    let scaffold = Runner::new().workflow;
    let text = std::fs::read_to_string(repo().join(".github/workflows/pages.yml")).unwrap();
    let ours: Value = serde_norway::from_str(&text).unwrap();
    let own_ways = ["Cache Podium", "Install Podium"];
    let shared = |workflow: &Value| {
        let mut workflow = workflow.clone();
        let map = workflow.as_mapping_mut().unwrap();
        map.remove("env");
        let steps = map["jobs"]["build"]["steps"].as_sequence_mut().unwrap();
        let before = steps.len();
        steps.retain(|s| !own_ways.contains(&s["name"].as_str().unwrap_or("")));
        assert_eq!(before - steps.len(), own_ways.len(), "{own_ways:?}");
        workflow
    };
    assert_eq!(shared(&scaffold), shared(&ours));
    let install = |w: &Value| {
        build_steps(w)
            .iter()
            .find(|s| s["name"].as_str() == Some("Install Podium"))
            .map(|s| s["run"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(install(&ours).contains("cargo build --release --locked"));
    assert!(
        !install(&scaffold).contains("cargo"),
        "{}",
        install(&scaffold)
    );
}

#[test]
fn upgrade_workflow_rewrites_only_the_workflow() {
    let runner = Runner::new();
    let file = runner.hub.join(".github/workflows/pages.yml");
    let fresh = std::fs::read_to_string(&file).unwrap();
    let version = format!("PODIUM_VERSION: \"{}\"", env!("CARGO_PKG_VERSION"));
    assert!(fresh.contains(&version), "pins this version");
    let old = fresh.replace(&version, "PODIUM_VERSION: \"0.0.1\"");
    std::fs::write(&file, &old).unwrap();
    std::fs::write(
        runner.hub.join("content/_index.md"),
        "+++\ntitle = \"Mine\"\n+++\n",
    )
    .unwrap();
    let before = tree(&runner.hub);

    let run = podium(&runner.hub, &["init", "--upgrade-workflow"]);
    run.expect_success();
    assert!(run.stderr.contains("0.0.1"), "{}", run.stderr);
    let after = tree(&runner.hub);
    let changed: Vec<&String> = after.keys().filter(|k| before[*k] != after[*k]).collect();
    assert_eq!(changed, [".github/workflows/pages.yml"]);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), fresh);

    let elsewhere = tempfile::tempdir().unwrap();
    podium(elsewhere.path(), &["init", "--upgrade-workflow"]).expect_code(2);
    assert!(listing(elsewhere.path()).len() == 1, "wrote nothing");
}
