//! `podium serve`: the HTTP surface with a real client, path-traversal attempts, the
//! loopback-only default and the Host rule, the watch loop's end state matching a fresh
//! build, surviving a moved `content/`, idling without CPU, and starting with errors.

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
fn start(command: Command) -> Serving {
    start_on(command, "127.0.0.1")
}

/// The same, listening on `interface`.
fn start_on(mut command: Command, interface: &str) -> Serving {
    let port = free_port();
    let mut child = command
        .args([
            "serve",
            "--interface",
            interface,
            "--port",
            &port.to_string(),
        ])
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect((interface, port)).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("podium serve exited ({status}) instead of serving");
        }
        assert!(
            Instant::now() < deadline,
            "podium serve did not start listening"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    Serving { child, port }
}

/// An HTTP client that reports every status and follows nothing, and never waits long.
fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(30)))
        .build()
        .into()
}

/// Waits until `done` holds, for at most `secs` seconds; whether it did.
fn eventually(secs: u64, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    done()
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

/// Status and body of a GET sent to `ip` but addressed (by its Host header) to `host`.
fn get_for_host(ip: &str, port: u16, path: &str, host: &str) -> (u16, String) {
    let mut response = agent()
        .get(&format!("http://{ip}:{port}{path}"))
        .header("Host", host)
        .call()
        .unwrap();
    let status = response.status().as_u16();
    // The event stream never ends: its status is all there is to see.
    let body = if path.starts_with("/__podium/events") {
        String::new()
    } else {
        response.body_mut().read_to_string().unwrap_or_default()
    };
    (status, body)
}

#[test]
fn only_requests_addressed_to_this_machine_are_answered() {
    let dir = hub();
    let s = serve(dir.path());
    let p = s.port;
    let local = [
        "localhost".to_string(),
        format!("localhost:{p}"),
        "LocalHost".to_string(),
        "127.0.0.1".to_string(),
        format!("127.0.0.1:{p}"),
        "[::1]".to_string(),
        format!("[::1]:{p}"),
    ];
    for host in &local {
        let (status, body) = get_for_host("127.0.0.1", p, "/hub/", host);
        assert_eq!(status, 200, "{host}");
        assert!(body.contains("Welcome."), "{host}");
    }
    // What a page on another site sees after pointing its own name at 127.0.0.1.
    let foreign = [
        "evil.example".to_string(),
        format!("evil.example:{p}"),
        "localhost.evil.example".to_string(),
        "127.0.0.1.nip.io".to_string(),
        "192.168.1.10".to_string(),
        "[::2]".to_string(),
        "localhost:http".to_string(),
        String::new(),
    ];
    let paths = [
        "/hub/",
        "/hub/sample.ics",
        "/__podium/live.js",
        "/__podium/events",
        "/nowhere",
    ];
    for host in &foreign {
        for path in paths {
            let (status, body) = get_for_host("127.0.0.1", p, path, host);
            assert!(
                status == 400 || status == 421,
                "{path} for host `{host}` gave {status}"
            );
            assert!(!body.contains("Welcome."), "{path} for `{host}` leaked");
        }
    }
    // No Host at all (HTTP/1.0 allows leaving it out) is no local name either.
    let mut stream = TcpStream::connect(("127.0.0.1", p)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "GET /hub/ HTTP/1.0\r\n\r\n").unwrap();
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap();
    assert!(
        reply.starts_with("HTTP/1.0 400") || reply.starts_with("HTTP/1.1 400"),
        "{reply}"
    );
}

#[test]
fn the_interface_given_is_a_local_name_too() {
    let dir = hub();
    let mut command = Command::new(env!("CARGO_BIN_EXE_podium"));
    command.arg("--root").arg(dir.path()).stderr(Stdio::null());
    let s = start_on(command, "127.0.0.2");
    let p = s.port;
    assert_eq!(
        get_for_host("127.0.0.2", p, "/hub/", &format!("127.0.0.2:{p}")).0,
        200
    );
    assert_eq!(get_for_host("127.0.0.2", p, "/hub/", "localhost").0, 200);
    assert_eq!(get_for_host("127.0.0.2", p, "/hub/", "127.0.0.3").0, 421);
}

#[test]
fn edits_after_content_is_moved_away_and_back_are_served() {
    let dir = hub();
    let s = serve(dir.path());
    let content = dir.path().join("content");
    let aside = dir.path().join("c2");
    std::fs::rename(&content, &aside).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    std::fs::rename(&aside, &content).unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let about = content.join("about.md");
    let text = std::fs::read_to_string(&about).unwrap();
    std::fs::write(&about, format!("{text}\nWritten after the move back.\n")).unwrap();
    assert!(
        eventually(20, || get(s.port, "/hub/about/")
            .2
            .contains("Written after the move back.")),
        "the edit never reached the served page"
    );
    // And the next edit too: the folder stays watched.
    std::fs::write(&about, format!("{text}\nA second edit.\n")).unwrap();
    assert!(
        eventually(20, || get(s.port, "/hub/about/")
            .2
            .contains("A second edit.")),
        "the second edit never reached the served page"
    );
}

/// CPU time (user + system, in clock ticks) the process `pid` has used so far.
fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // The command name, in parentheses, may hold spaces: count fields after it.
    let after_name = &stat[stat.rfind(')').unwrap() + 1..];
    let fields: Vec<&str> = after_name.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

#[test]
fn an_idle_server_uses_no_cpu() {
    let dir = hub();
    let s = serve(dir.path());
    assert_eq!(get(s.port, "/hub/").0, 200);
    // As with a browser tab open: the live-reload stream stays connected throughout.
    let events = agent()
        .get(&format!("http://127.0.0.1:{}/__podium/events", s.port))
        .call()
        .unwrap();
    assert_eq!(events.status().as_u16(), 200);
    std::thread::sleep(Duration::from_secs(1));
    let pid = s.child.id();
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_secs(10));
    let used = cpu_ticks(pid) - before;
    // A tick is 10 ms; 3 of them in 10 s is 0.3% of a core, well above a truly idle server.
    assert!(used <= 3, "{used} clock ticks of CPU in 10 idle seconds");
    drop(events);
}

/// The first message on the live-reload stream.
fn first_event(port: u16) -> String {
    let mut response = agent()
        .get(&format!("http://127.0.0.1:{port}/__podium/events"))
        .call()
        .unwrap();
    let mut reader = response.body_mut().as_reader();
    let mut seen = Vec::new();
    let mut byte = [0u8; 1];
    while !seen.ends_with(b"\n\n") && reader.read(&mut byte).unwrap() == 1 {
        seen.push(byte[0]);
    }
    String::from_utf8(seen).unwrap()
}

#[test]
fn serving_starts_with_errors_shows_them_all_and_recovers() {
    let dir = hub();
    let about = dir.path().join("content/about.md");
    let post = dir.path().join("content/news/post-1.md");
    let good = [
        std::fs::read_to_string(&about).unwrap(),
        std::fs::read_to_string(&post).unwrap(),
    ];
    std::fs::write(&about, good[0].replace("\"About\"", "\"About")).unwrap();
    std::fs::write(
        &post,
        good[1].replace("date = 2026-01-01", "date = 2026-13-45"),
    )
    .unwrap();
    let s = serve(dir.path());

    let (status, kind, body) = get(s.port, "/hub/");
    assert!(kind.starts_with("text/html"), "{kind}");
    assert_ne!(status, 200, "an error page is no page of the site");
    let page = scraper::Html::parse_document(&body);
    let text: String = page.root_element().text().collect();
    for file in ["about.md", "post-1.md"] {
        assert!(text.contains(file), "the page names {file}:\n{text}");
    }
    let live = scraper::Selector::parse("script[src='/__podium/live.js']").unwrap();
    assert!(
        page.select(&live).next().is_some(),
        "the error page reloads itself when the errors are fixed"
    );
    let event = first_event(s.port);
    assert!(event.contains("\"kind\":\"error\""), "{event}");
    assert!(
        event.contains("about.md") && event.contains("post-1.md"),
        "the overlay gets every error: {event}"
    );

    std::fs::write(&about, &good[0]).unwrap();
    std::fs::write(&post, &good[1]).unwrap();
    assert!(
        eventually(20, || {
            let (status, _, body) = get(s.port, "/hub/");
            status == 200 && body.contains("Welcome.")
        }),
        "the site was not served once the errors were fixed"
    );
    assert_eq!(get(s.port, "/hub/news/post-1/").0, 200);
}

#[test]
fn a_port_in_use_is_named_with_the_way_out() {
    let dir = hub();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_podium"))
        .arg("--root")
        .arg(dir.path())
        .args(["serve", "--port", &port])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let exited = eventually(20, || matches!(child.try_wait(), Ok(Some(_))));
    if !exited {
        let _ = child.kill();
        let _ = child.wait();
        panic!("podium serve kept running on a port in use");
    }
    let output = child.wait_with_output().unwrap();
    let said = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{said}");
    assert!(said.contains(&format!("port {port}")), "{said}");
    assert!(said.contains("--port"), "{said}");
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
