//! `podium check --external`: whether the links that leave the site still lead somewhere.
//!
//! Owns finding the external links of a built site, asking their servers about them (a few
//! requests per host at a time, each with a time limit) and reporting the dead ones at the
//! files that link to them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use scraper::{Html, Selector};

use crate::content::Site;
use crate::diagnostics::{Diagnostic, Pos};
use crate::output::Body;

/// Requests in flight to one host at once: enough to be quick, few enough not to look like
/// an attack to a small institute's server.
const PER_HOST: usize = 2;
/// Hosts asked at once.
const HOSTS_AT_ONCE: usize = 8;

/// External URL (without its `#fragment`) → the source files that link to it.
pub type Links = BTreeMap<String, BTreeSet<PathBuf>>;

/// The `http(s)` links of the site's pages that lead outside it (not under `base_url`).
pub fn links(site: &Site, files: &BTreeMap<String, Body>) -> Links {
    let anchors = Selector::parse("a[href]").expect("a valid selector");
    let base = &site.config.base_url;
    let mut links = Links::new();
    for (path, body) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let Body::Bytes(bytes) = body else { continue };
        let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
        let source = source_of(site, path);
        for a in doc.select(&anchors) {
            let href = a.value().attr("href").unwrap_or_default();
            let url = href.split('#').next().unwrap_or_default();
            let external = url.starts_with("https://") || url.starts_with("http://");
            if external && !url.starts_with(base.as_str()) {
                links
                    .entry(url.to_string())
                    .or_default()
                    .insert(source.clone());
            }
        }
    }
    links
}

/// The content file behind the output file `path` (`news/a/index.html`), or the output
/// file itself for pages no file stands behind (tag lists, calendars).
fn source_of(site: &Site, path: &str) -> PathBuf {
    let page_path = path.strip_suffix("index.html").unwrap_or(path);
    let pages = site.pages.iter().map(|p| (&p.path, &p.source));
    let sections = site.sections.iter().map(|s| (&s.path, &s.source));
    sections
        .chain(pages)
        .find(|(p, _)| p.as_str() == page_path)
        .map_or_else(|| PathBuf::from(path), |(_, source)| source.clone())
}

/// Asks about every link, `timeout` at most each; one error per dead link and file that
/// links to it, at the link's first line in that file.
pub fn dead_links(root: &Path, links: &Links, timeout: Duration) -> Vec<Diagnostic> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(timeout))
        .http_status_as_error(false)
        .user_agent(concat!("podium-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for url in links.keys() {
        by_host.entry(host(url)).or_default().push(url);
    }
    let hosts: Vec<Vec<&str>> = by_host.into_values().collect();
    let dead = Mutex::new(Vec::new());
    for group in hosts.chunks(HOSTS_AT_ONCE) {
        let queues: Vec<_> = group.iter().map(|urls| Mutex::new(urls.iter())).collect();
        std::thread::scope(|s| {
            for (urls, queue) in group.iter().zip(&queues) {
                for _ in 0..PER_HOST.min(urls.len()) {
                    let (agent, dead) = (&agent, &dead);
                    s.spawn(move || {
                        // Taken in its own statement: in a `while let`, the guard would
                        // hold the queue through the request, one request at a time.
                        loop {
                            let next = lock(queue).next();
                            let Some(url) = next else { break };
                            if let Err(problem) = probe(agent, url, timeout) {
                                lock(dead).push((*url, problem));
                            }
                        }
                    });
                }
            }
        });
    }
    let mut dead = dead.into_inner().unwrap_or_else(|e| e.into_inner());
    dead.sort();
    dead.iter()
        .flat_map(|(url, problem)| {
            links[*url]
                .iter()
                .map(move |file| located(root, file, url, problem))
        })
        .collect()
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// The `host:port` part of an absolute URL.
fn host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    rest.split(['/', '?']).next().unwrap_or(rest)
}

/// Whether `url` answers with a success: HEAD first, GET where a server refuses HEAD.
fn probe(agent: &ureq::Agent, url: &str, timeout: Duration) -> Result<(), String> {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| match r {
        Ok(r) => Ok(r.status().as_u16()),
        Err(ureq::Error::Timeout(_)) => Err(format!("no answer within {}s", timeout.as_secs())),
        Err(e) => Err(e.to_string()),
    };
    let mut code = status(agent.head(url).call())?;
    // Some servers answer HEAD with "not allowed", "not implemented" or a blanket 403/404
    // while GET works.
    if matches!(code, 403 | 404 | 405 | 501) {
        code = status(agent.get(url).call())?;
    }
    match code {
        200..=399 => Ok(()),
        _ => Err(format!("HTTP status {code}")),
    }
}

/// The error for a dead `url` linked from `file`, at its first mention there.
fn located(root: &Path, file: &Path, url: &str, problem: &str) -> Diagnostic {
    let text = std::fs::read_to_string(root.join(file)).unwrap_or_default();
    let pos = text
        .find(url)
        .map_or_else(Pos::default, |at| Pos::of_offset(&text, at));
    Diagnostic::at(file, pos, format!("dead link {url}: {problem}"))
        .with_hint("fix or remove the link, or check that the site is up")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_keep_their_port_and_drop_path_and_query() {
        assert_eq!(host("http://127.0.0.1:8080/a/b"), "127.0.0.1:8080");
        assert_eq!(host("https://example.org?x=1"), "example.org");
    }
}
