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

/// A local web server for link checks: `/live` answers, `/gone` is 404, `/no-head` refuses
/// HEAD but answers GET, `/hang` never answers. Each request takes 100 ms, so requests to
/// it overlap when a client sends them at once; it counts the most it saw at once.
struct Server {
    base: String,
    most_at_once: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

fn serve_links() -> Server {
    use std::io::{BufRead, BufReader, Write};
    use std::sync::atomic::{AtomicUsize, Ordering};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let most_at_once = std::sync::Arc::new(AtomicUsize::new(0));
    let now = std::sync::Arc::new(AtomicUsize::new(0));
    let most = most_at_once.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (now, most) = (now.clone(), most.clone());
            std::thread::spawn(move || {
                let mut request = String::new();
                let mut reader = BufReader::new(&stream);
                reader.read_line(&mut request).unwrap_or_default();
                let mut line = String::new();
                while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                    line.clear();
                }
                let at_once = now.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(at_once, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(100));
                let head = request.starts_with("HEAD");
                let path = request.split(' ').nth(1).unwrap_or_default();
                let status = match path.split('?').next().unwrap_or_default() {
                    "/live" => "200 OK",
                    "/no-head" if head => "405 Method Not Allowed",
                    "/no-head" => "200 OK",
                    "/hang" => {
                        std::thread::sleep(std::time::Duration::from_secs(30));
                        "200 OK"
                    }
                    _ => "404 Not Found",
                };
                now.fetch_sub(1, Ordering::SeqCst);
                let reply =
                    format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                (&stream).write_all(reply.as_bytes()).unwrap_or_default();
            });
        }
    });
    Server { base, most_at_once }
}

#[test]
fn check_external_reports_dead_links_at_the_files_that_link_to_them() {
    let server = serve_links();
    let base = &server.base;
    let hub = Hub::copy("features");
    // The fixture's one outside link would need the internet.
    let fourth = "content/news/2024-04-01-fourth.md";
    let text = std::fs::read_to_string(hub.root.join(fourth)).unwrap();
    let many: String = (0..6).map(|i| format!("<{base}/live?{i}>\n")).collect();
    hub.write(
        fourth,
        &text.replace("https://example.com/outside", &format!("{base}/gone#part")),
    );
    hub.write(
        "content/links.md",
        &format!("+++\ntitle = \"Links\"\n+++\n{many}\n<{base}/no-head>\n\n<{base}/hang>\n\n<{base}/gone>\n"),
    );
    let started = std::time::Instant::now();
    let run = podium(&hub.root, &["check", "--external", "--timeout", "1"]);
    let took = started.elapsed();
    run.expect_code(1);
    let dead: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error:"))
        .collect();
    assert_eq!(dead.len(), 3, "{}", run.stderr);
    assert!(
        dead.contains(&&*format!(
            "error: content/links.md:15:2: dead link {base}/gone: HTTP status 404"
        )),
        "{}",
        run.stderr
    );
    assert!(
        dead.contains(&&*format!(
            "error: {fourth}:7:29: dead link {base}/gone: HTTP status 404"
        )),
        "{}",
        run.stderr
    );
    let hang = format!("error: content/links.md:13:2: dead link {base}/hang: no answer within 1s");
    assert!(dead.contains(&&*hang), "{}", run.stderr);
    assert!(
        took.as_secs() < 10,
        "the hanging server was waited on for {took:?}"
    );
    let most = server
        .most_at_once
        .load(std::sync::atomic::Ordering::SeqCst);
    assert_eq!(
        most, 2,
        "requests at once to one host: as many as allowed, no more"
    );

    // Without --external, nothing leaves the machine.
    podium(&hub.root, &["check"]).expect_code(0);
}
