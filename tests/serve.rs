//! `podium serve`: the HTTP surface with a real client, path-traversal attempts, the
//! loopback-only default, and the watch loop's end state matching a fresh build.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod edits;

use edits::{Rng, add_history, differences, edit_in_place, fresh};
use podium::serve::{Change, Server, watch};
use podium::site::BuildOptions;

/// A copy of the fixture hub in a temporary folder.
fn hub() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new("tests/hubs/serve"), dir.path());
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// `podium serve` as a child process, stopped when dropped.
struct Serving {
    child: Child,
    port: u16,
}

impl Drop for Serving {
    fn drop(&mut self) {
        // TERM, as a service manager would: serve removes its folder on the way out.
        let pid = self.child.id().to_string();
        let stopped = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while stopped.is_ok() && Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(root: &Path) -> Serving {
    let mut command = Command::new(env!("CARGO_BIN_EXE_podium"));
    command.arg("--root").arg(root).stderr(Stdio::null());
    start(command)
}

/// Runs `command` with `serve` on a free port and waits until it listens.
fn start(mut command: Command) -> Serving {
    let port = free_port();
    let child = command
        .args(["serve", "--port", &port.to_string()])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            Instant::now() < deadline,
            "podium serve did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Serving { child, port }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into()
}

/// Status, content type and body of a GET.
fn get(port: u16, path: &str) -> (u16, String, String) {
    let mut response = agent()
        .get(&format!("http://127.0.0.1:{port}{path}"))
        .call()
        .unwrap();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (
        response.status().as_u16(),
        kind,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}

/// A request written by hand, so no client can normalise the path first.
fn raw_get(port: u16, path: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    reply
}

#[test]
fn serving_from_inside_the_hub_rebuilds_an_edit_in_place() {
    // What the README says: `podium serve` in the hub's folder, no `--root`.
    let dir = hub();
    let log = dir.path().join("serve.log");
    let mut command = Command::new(env!("CARGO_BIN_EXE_podium"));
    command
        .current_dir(dir.path())
        .stderr(std::fs::File::create(&log).unwrap());
    let serving = start(command);
    let post = dir.path().join("content/news/post-1.md");
    let text = std::fs::read_to_string(&post).unwrap();
    std::fs::write(&post, format!("{text}\nA sentence added while serving.\n")).unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let said = loop {
        let said = std::fs::read_to_string(&log).unwrap();
        if said.contains("Updated") || said.contains("Rebuilt the whole site") {
            break said;
        }
        assert!(Instant::now() < deadline, "no rebuild reported:\n{said}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(
        said.contains("Updated"),
        "the edit took a full build:\n{said}"
    );
    let (status, _, body) = get(serving.port, "/hub/news/post-1/");
    assert_eq!(status, 200);
    assert!(body.contains("A sentence added while serving."));
}

#[test]
fn pages_are_served_under_the_base_path_with_their_types() {
    let dir = hub();
    let s = serve(dir.path());
    let (status, kind, body) = get(s.port, "/hub/");
    assert_eq!(status, 200);
    assert!(kind.starts_with("text/html"), "{kind}");
    assert!(body.contains("Welcome."), "{body}");
    assert!(
        body.contains("/__podium/live.js"),
        "the served copy carries live reload"
    );
    assert_eq!(get(s.port, "/hub/news/post-1/").0, 200);
    assert_eq!(get(s.port, "/hub/news/page/2/").0, 200);
    let (_, kind, _) = get(s.port, "/hub/sample.ics");
    assert!(kind.starts_with("text/calendar"), "{kind}");
    let (_, kind, _) = get(s.port, "/hub/news/atom.xml");
    assert_eq!(kind, "application/atom+xml");
    let (status, _, body) = get(s.port, "/hub/no/such/page/");
    assert_eq!(status, 404);
    assert!(
        body.contains("Page not found"),
        "the theme's 404 page is served"
    );
    assert_eq!(
        get(s.port, "/hub/news").0,
        301,
        "a folder without its slash redirects"
    );
}

#[test]
fn path_traversal_never_returns_a_file() {
    let dir = hub();
    std::fs::write(dir.path().join("secret.txt"), "TOP SECRET").unwrap();
    let s = serve(dir.path());
    let attempts = [
        "/hub/../secret.txt",
        "/hub/../../../../etc/passwd",
        "/hub/%2e%2e/secret.txt",
        "/hub/%2e%2e%2fsecret.txt",
        "/hub/..%2F..%2Fetc%2Fpasswd",
        "/hub/..\\secret.txt",
        "/hub//etc/passwd",
        "/etc/passwd",
        "/hub/%00",
    ];
    for path in attempts {
        let reply = raw_get(s.port, path);
        let status: u16 = reply.split(' ').nth(1).unwrap().parse().unwrap();
        assert!(status == 400 || status == 404, "{path} gave {status}");
        assert!(
            !reply.contains("TOP SECRET") && !reply.contains("root:"),
            "{path} leaked a file"
        );
    }
}

#[test]
fn the_server_listens_on_loopback_only_by_default() {
    let dir = hub();
    let s = serve(dir.path());
    // The kernel's table of listening sockets says which address the port is bound to.
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let port_hex = format!(":{:04X}", s.port);
    let listening: Vec<&str> = table
        .lines()
        .skip(1)
        .filter(|l| {
            l.split_whitespace()
                .nth(1)
                .is_some_and(|a| a.ends_with(&port_hex))
        })
        .filter(|l| l.split_whitespace().nth(3) == Some("0A"))
        .collect();
    assert!(
        !listening.is_empty(),
        "no listening socket on port {}",
        s.port
    );
    for line in listening {
        let local = line.split_whitespace().nth(1).unwrap();
        assert_eq!(
            local,
            format!("0100007F{port_hex}"),
            "bound beyond 127.0.0.1: {line}"
        );
    }
}

fn posts(root: &Path) -> Vec<PathBuf> {
    let mut p: Vec<PathBuf> = std::fs::read_dir(root.join("content/news"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "_index.md")
        .collect();
    p.sort();
    p
}

/// One random edit, the way people and editors make them.
fn random_edit(root: &Path, rng: &mut Rng, step: usize) {
    let existing = posts(root);
    let news = root.join("content/news");
    match rng.below(6) {
        0 | 1 if !existing.is_empty() => {
            let file = &existing[rng.below(existing.len())];
            let text = std::fs::read_to_string(file).unwrap();
            std::fs::write(file, format!("{text}\nEdit {step}.\n")).unwrap();
        }
        2 if existing.len() > 1 => {
            std::fs::remove_file(&existing[rng.below(existing.len())]).unwrap()
        }
        3 if !existing.is_empty() => {
            let from = &existing[rng.below(existing.len())];
            std::fs::rename(from, news.join(format!("renamed-{step}.md"))).unwrap();
        }
        4 => {
            // Editors that save by writing a temporary file and renaming it over the original.
            let tmp = news.join(format!(".new-{step}.md.swp"));
            std::fs::write(
                &tmp,
                format!(
                    "+++\ntitle = \"Saved {step}\"\ntags = [\"t{}\"]\n+++\nSaved.\n",
                    step % 3
                ),
            )
            .unwrap();
            std::fs::rename(&tmp, news.join(format!("saved-{}.md", step % 4))).unwrap();
        }
        _ => {
            let tag = ["common", "extra", "t1"][rng.below(3)];
            let file = news.join(format!("added-{step}.md"));
            std::fs::write(file, format!("+++\ntitle = \"Added {step}\"\ndate = 2026-02-{:02}\ntags = [\"{tag}\"]\n+++\nNew.\n", step % 28 + 1)).unwrap();
        }
    }
}

fn served(server: &Server) -> BTreeMap<String, Vec<u8>> {
    server.files()
}

#[test]
fn after_random_edits_the_served_site_equals_a_fresh_build() {
    for seed in [0x9E37_79B9_7F4A_7C15u64, 42, 7_777_777] {
        let dir = hub();
        let options = BuildOptions {
            root: dir.path().to_path_buf(),
            now: Some("2026-03-01T12:00:00Z".into()),
            ..Default::default()
        };
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
        let server: Arc<Server> = Server::start(options, addr).unwrap();
        let _watcher = watch(server.clone()).unwrap();
        let mut rng = Rng(seed);
        for step in 0..12 {
            random_edit(dir.path(), &mut rng, step);
            if rng.below(3) == 0 {
                std::thread::sleep(Duration::from_millis(30));
            }
        }
        // The watcher settles on its own; wait for it, then compare byte for byte.
        let expected = fresh(&server.options);
        let deadline = Instant::now() + Duration::from_secs(10);
        while served(&server) != expected && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        let differing = differences(&expected, &served(&server));
        assert!(
            differing.is_empty(),
            "seed {seed:#x}: served site differs from a fresh build at {differing:?}"
        );
    }
}

/// A server (in this process, without a watcher) for a copy of the hub at `fixture`.
fn serving_a_copy(fixture: &str) -> (tempfile::TempDir, Arc<Server>) {
    serving_a_copy_with(fixture, |_| {})
}

/// The same, with the copy changed by `prepare` before serving starts.
fn serving_a_copy_with(
    fixture: &str,
    prepare: impl FnOnce(&Path),
) -> (tempfile::TempDir, Arc<Server>) {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(Path::new(fixture), dir.path());
    prepare(dir.path());
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        now: Some("2026-03-01T12:00:00Z".into()),
        ..Default::default()
    };
    let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().unwrap();
    (dir, Server::start(options, addr).unwrap())
}

#[test]
fn edits_rebuilt_in_place_equal_a_fresh_build() {
    for seed in [0x9E37_79B9_7F4A_7C15u64, 42, 2026] {
        // Enough past talks for the seminar listings to have yearly archive pages.
        let (dir, server) = serving_a_copy_with("tests/hubs/incremental", add_history);
        let mut rng = Rng(seed);
        for step in 0..16 {
            let file = edit_in_place(dir.path(), &mut rng, step);
            server.rebuild(std::slice::from_ref(&file)).unwrap();
            let differing = differences(&fresh(&server.options), &served(&server));
            assert!(
                differing.is_empty(),
                "seed {seed:#x}, step {step} ({}): served site differs from a fresh build at {differing:?}",
                file.display()
            );
        }
        assert_eq!(
            server.incremental_rebuilds(),
            16,
            "every edit kept its page in place, so none needed a full build"
        );
    }
}

#[test]
fn a_broken_page_keeps_the_site_and_its_fix_is_rebuilt_in_place() {
    let (dir, server) = serving_a_copy("tests/hubs/incremental");
    let before = served(&server);
    let file = dir.path().join("content/news/post-2.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("title = \"Post 2\"", "title = \"Post 2"),
    )
    .unwrap();
    let errors = server.rebuild(std::slice::from_ref(&file)).unwrap_err();
    assert!(errors.to_string().contains("post-2.md"), "{errors}");
    assert_eq!(served(&server), before, "the last good site stays served");
    std::fs::write(&file, good.replace("Post 2", "Post two")).unwrap();
    match server.rebuild(std::slice::from_ref(&file)).unwrap() {
        Change::Reload { paths, all } => {
            assert!(all, "recovering from an error reloads every open page");
            assert!(
                paths.contains(&"/lab/news/post-2/index.html".to_string()),
                "{paths:?}"
            );
        }
        other => panic!("expected a reload, got {other:?}"),
    }
    assert_eq!(served(&server), fresh(&server.options));
    // A slug change moves the page: that needs a full build, and still converges.
    std::fs::write(
        &file,
        good.replace("+++\ntitle", "+++\nslug = \"moved\"\ntitle"),
    )
    .unwrap();
    let incremental = server.incremental_rebuilds();
    server.rebuild(&[file]).unwrap();
    assert_eq!(server.incremental_rebuilds(), incremental);
    assert_eq!(served(&server), fresh(&server.options));
    assert!(served(&server).contains_key("news/moved/index.html"));
}

#[test]
fn new_members_with_wrong_fields_are_errors_and_their_fix_is_served() {
    // Given names ascend where family names descend: a directory that sorted broken
    // entries by title and the others by family name had no consistent order, and the
    // sort's panic ended the rebuilds of `serve`.
    let members = |root: &Path| {
        for (i, (given, family)) in ('a'..='z').zip(('a'..='z').rev()).enumerate() {
            let text = format!("+++\nname = \"A{given} Z{family}\"\ncategory = \"Staff\"\n+++\n");
            std::fs::write(root.join(format!("content/people/m{i}.md")), text).unwrap();
        }
    };
    let (dir, server) = serving_a_copy_with("tests/hubs/incremental", members);
    let files: Vec<PathBuf> = ["d", "j", "p", "v"]
        .iter()
        .map(|g| dir.path().join(format!("content/people/a{g}-brown.md")))
        .collect();
    let member = |file: &PathBuf, category: &str| {
        let given = file
            .file_stem()
            .unwrap()
            .to_str()
            .unwrap()
            .replace("-brown", "");
        let text = format!("+++\nname = \"{given} Brown\"\ncategory = \"{category}\"\n+++\n");
        std::fs::write(file, text).unwrap();
    };
    files.iter().for_each(|f| member(f, "Studnets"));
    let errors = server.rebuild(&files).unwrap_err().to_string();
    assert!(
        errors.contains("ad-brown.md:3:1: unknown category `Studnets`"),
        "{errors}"
    );
    files.iter().for_each(|f| member(f, "Students"));
    server.rebuild(&files).unwrap();
    assert_eq!(served(&server), fresh(&server.options));
    assert!(served(&server).contains_key("people/ad-brown/index.html"));
}
