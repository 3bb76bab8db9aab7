//! Shared helpers for the integration tests: running the real `podium` binary, fixture hubs
//! copied to temporary folders, reading output trees, parsing XML strictly, and a link
//! checker that walks every HTML and XML file of a built site.
//!
//! Every test binary includes this module but uses only part of it.
#![allow(dead_code)]

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;

use quick_xml::events::Event;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// The "now" every build in the tests uses, so output is reproducible.
pub const NOW: &str = "2026-11-23T12:00:00Z";

/// The repository root, which is also the demo hub.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture hub's folder under `tests/hubs/`.
pub fn fixture_dir(name: &str) -> PathBuf {
    repo().join("tests").join("hubs").join(name)
}

/// What one run of `podium` did.
#[derive(Debug)]
pub struct Run {
    /// The exit code; `None` when killed by a signal.
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Panics with the run's output unless it exited with `code`.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "expected exit status {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Panics unless the run succeeded.
    #[track_caller]
    pub fn expect_success(&self) -> &Self {
        self.expect_code(0)
    }
}

/// Runs the real binary with `args` in `cwd`; no run may panic, whatever it is given.
#[track_caller]
pub fn podium_in<I, S>(cwd: &Path, args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    podium_with(cwd, args, &[])
}

/// Like [`podium_in`], with extra environment variables.
#[track_caller]
pub fn podium_with<I, S>(cwd: &Path, args: I, env: &[(&str, &str)]) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_podium"));
    cmd.current_dir(cwd).args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    checked_run(cmd.output().expect("the podium binary runs"))
}

/// The run a finished `podium` process made; it must not have panicked or been killed.
#[track_caller]
pub fn checked_run(out: std::process::Output) -> Run {
    let run = Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(
        !run.stderr.contains("panicked"),
        "podium panicked:\n{}",
        run.stderr
    );
    assert!(run.code.is_some(), "podium was killed: {run:?}");
    run
}

/// Runs `podium --root ROOT ARGS…` from a neutral folder.
#[track_caller]
pub fn podium(root: &Path, args: &[&str]) -> Run {
    let mut all: Vec<&OsStr> = vec![OsStr::new("--root"), root.as_os_str()];
    all.extend(args.iter().map(OsStr::new));
    podium_in(&std::env::temp_dir(), all)
}

/// Builds the hub at `root` into `out` with the fixed "now" and any `extra` flags; must succeed.
#[track_caller]
pub fn build(root: &Path, out: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["build", "--now", NOW, "--output"];
    let out_str = out.to_str().expect("temporary paths are UTF-8");
    args.push(out_str);
    args.extend_from_slice(extra);
    let run = podium(root, &args);
    run.expect_success();
    run
}

/// A fixture hub copied into a fresh temporary folder, so builds never touch the source tree.
pub struct Hub {
    pub tmp: TempDir,
    /// The copy's root (`TMP/hub`).
    pub root: PathBuf,
}

impl Hub {
    /// Copies `tests/hubs/NAME/` to `TMP/hub/`.
    pub fn copy(name: &str) -> Hub {
        let tmp = tempfile::tempdir().expect("a temporary folder");
        let root = tmp.path().join("hub");
        copy_tree(&fixture_dir(name), &root);
        Hub { tmp, root }
    }

    /// Builds into `TMP/site`, for inputs where refusing is as right as building: returns the
    /// site, or `None` once it has checked that the refusal (exit 1) names `file`.
    pub fn build_or_refusal(&self, file: &str) -> Option<PathBuf> {
        let out = self.scratch("site");
        let run = podium(
            &self.root,
            &["build", "--now", NOW, "--output", out.to_str().unwrap()],
        );
        if run.code == Some(1) {
            assert!(
                run.stderr.contains(file),
                "the refusal names {file}:\n{}",
                run.stderr
            );
            return None;
        }
        run.expect_success();
        Some(out)
    }

    /// A path inside the temporary folder but outside the hub, for outputs.
    pub fn scratch(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// Writes `text` to `rel` under the hub (creating folders).
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Builds into `TMP/NAME` and returns that folder.
    #[track_caller]
    pub fn build_into(&self, name: &str, extra: &[&str]) -> PathBuf {
        let out = self.scratch(name);
        build(&self.root, &out, extra);
        out
    }
}

/// Copies a folder recursively.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("fixture files are readable");
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// Every file under `dir` (hidden ones included) by `/`-separated relative path, with its bytes.
pub fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.expect("output files are readable"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap();
            let rel: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            (rel.join("/"), std::fs::read(e.path()).unwrap())
        })
        .collect()
}

/// Every entry (files and folders) under `dir`, for "nothing was written" checks.
pub fn listing(dir: &Path) -> Vec<String> {
    let mut all: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap().path().to_string_lossy().into_owned())
        .collect();
    all.sort();
    all
}

/// Asserts two trees are identical, naming the first difference.
#[track_caller]
pub fn assert_same_tree(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) {
    let names_a: Vec<&String> = a.keys().collect();
    let names_b: Vec<&String> = b.keys().collect();
    assert_eq!(names_a, names_b, "the two trees hold different files");
    for (name, bytes) in a {
        if bytes != &b[name] {
            let first = bytes
                .iter()
                .zip(&b[name])
                .position(|(x, y)| x != y)
                .unwrap_or(bytes.len().min(b[name].len()));
            let context = |v: &[u8]| {
                String::from_utf8_lossy(&v[first.saturating_sub(60)..(first + 60).min(v.len())])
                    .into_owned()
            };
            panic!(
                "{name} differs at byte {first}:\n  first:  {:?}\n  second: {:?}",
                context(bytes),
                context(&b[name])
            );
        }
    }
}

/// Reads an output file as text.
#[track_caller]
pub fn read(dir: &Path, rel: &str) -> String {
    std::fs::read_to_string(dir.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
}

/// Parses an output HTML file.
#[track_caller]
pub fn html(dir: &Path, rel: &str) -> Html {
    Html::parse_document(&read(dir, rel))
}

/// A CSS selector (panics on a typo in the test).
pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|e| panic!("bad selector {css}: {e:?}"))
}

/// The values of `attr` on every element matching `css`.
pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// The whitespace-normalised text of every element matching `css`, joined.
pub fn text(doc: &Html, css: &str) -> String {
    let all: Vec<String> = doc
        .select(&sel(css))
        .map(|e| e.text().collect::<String>())
        .collect();
    all.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One element of a parsed XML document, with its attributes and its text (entities resolved).
#[derive(Debug, Clone)]
pub struct XmlElement {
    pub name: String,
    /// Names of the enclosing elements, outermost first.
    pub ancestors: Vec<String>,
    pub attrs: BTreeMap<String, String>,
    pub text: String,
    /// The `xml:base` values in force, outermost first (inherited, then its own).
    pub bases: Vec<String>,
}

/// Parses a whole XML document strictly with quick-xml: every event is read, end tags must
/// match, entity references must be XML's own or valid character references, attributes must
/// unescape, and there must be exactly one root element. Returns the elements in order.
pub fn parse_xml(text: &str) -> Result<Vec<XmlElement>, String> {
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    reader.config_mut().check_comments = true;
    let mut stack: Vec<usize> = Vec::new();
    let mut names: Vec<String> = Vec::new();
    let mut elements: Vec<XmlElement> = Vec::new();
    let mut roots = 0;
    let mut saw_decl = false;
    let open = |e: &quick_xml::events::BytesStart,
                names: &Vec<String>,
                parent: Option<usize>,
                elements: &mut Vec<XmlElement>|
     -> Result<(), String> {
        let mut attrs = BTreeMap::new();
        for a in e.attributes() {
            let a = a.map_err(|err| format!("bad attribute: {err}"))?;
            check_chars(&String::from_utf8_lossy(a.value.as_bytes()))?;
            let value = a
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|err| format!("bad attribute value: {err}"))?;
            check_chars(&value)?;
            if attrs
                .insert(a.key.as_ref().to_string(), value.into_owned())
                .is_some()
            {
                return Err(format!("duplicate attribute {}", a.key.as_ref()));
            }
        }
        let mut bases = parent
            .map(|p| elements[p].bases.clone())
            .unwrap_or_default();
        bases.extend(attrs.get("xml:base").cloned());
        elements.push(XmlElement {
            name: e.name().as_ref().to_string(),
            ancestors: names.clone(),
            attrs,
            text: String::new(),
            bases,
        });
        Ok(())
    };
    loop {
        let pos = reader.buffer_position();
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {pos}: {e}"))?;
        let at = |m: String| format!("at byte {pos}: {m}");
        match event {
            Event::Decl(_) => {
                if saw_decl || !elements.is_empty() {
                    return Err(at("misplaced XML declaration".into()));
                }
                saw_decl = true;
            }
            Event::Start(e) => {
                if stack.is_empty() {
                    roots += 1;
                }
                open(&e, &names, stack.last().copied(), &mut elements).map_err(at)?;
                stack.push(elements.len() - 1);
                names.push(e.name().as_ref().to_string());
            }
            Event::Empty(e) => {
                if stack.is_empty() {
                    roots += 1;
                }
                open(&e, &names, stack.last().copied(), &mut elements).map_err(at)?;
            }
            Event::End(_) => {
                stack.pop();
                names.pop();
            }
            Event::Text(t) => {
                let s = t.xml10_content();
                check_chars(&s).map_err(at)?;
                match stack.last() {
                    Some(&i) => elements[i].text.push_str(&s),
                    None if s.trim().is_empty() => {}
                    None => return Err(at(format!("text outside the root element: {s:?}"))),
                }
            }
            Event::CData(t) => {
                let s = t.xml10_content();
                check_chars(&s).map_err(at)?;
                match stack.last() {
                    Some(&i) => elements[i].text.push_str(&s),
                    None => return Err(at("CDATA outside the root element".into())),
                }
            }
            Event::GeneralRef(r) => {
                let c = if r.is_char_ref() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) if xml_char(c) => c.to_string(),
                        _ => return Err(at(format!("bad character reference &{};", &*r))),
                    }
                } else {
                    match &*r {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "quot" => "\"".into(),
                        "apos" => "'".into(),
                        other => return Err(at(format!("undefined entity &{other};"))),
                    }
                };
                match stack.last() {
                    Some(&i) => elements[i].text.push_str(&c),
                    None => return Err(at("reference outside the root element".into())),
                }
            }
            Event::DocType(_) => return Err(at("unexpected DOCTYPE".into())),
            Event::Comment(_) | Event::PI(_) => {}
            Event::Eof => break,
        }
    }
    if !stack.is_empty() {
        return Err(format!("unclosed element <{}>", names.join("><")));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(elements)
}

/// Whether `c` may appear in an XML 1.0 document at all (the `Char` production), even escaped.
fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

fn check_chars(s: &str) -> Result<(), String> {
    match s.chars().find(|&c| !xml_char(c)) {
        Some(c) => Err(format!(
            "character U+{:04X} is not allowed in XML 1.0",
            c as u32
        )),
        None => Ok(()),
    }
}

/// Parses an XML file of the output, panicking with the error.
#[track_caller]
pub fn xml(dir: &Path, rel: &str) -> Vec<XmlElement> {
    parse_xml(&read(dir, rel)).unwrap_or_else(|e| panic!("{rel} is not well-formed XML: {e}"))
}

/// What the link checker saw and what it found wrong.
#[derive(Debug, Default)]
pub struct LinkReport {
    pub html_files: usize,
    pub xml_files: usize,
    /// Internal references resolved to a file of the output.
    pub internal: usize,
    /// Of those, how many had a `#fragment` checked against an id.
    pub fragments: usize,
    /// Allowed links to other hosts (outbound content links, mailto:).
    pub outbound: usize,
    pub problems: Vec<String>,
}

/// Walks every `.html` and `.xml` file under `out`, a site built for `base_url`, and checks
/// every reference in it:
///
/// - internal references (root-relative, relative, or absolute on the base URL's host) must
///   stay under the base path and resolve to a file of the output (`/hub/x/` is
///   `x/index.html`), and a `#fragment` into an HTML file must name an `id` there;
/// - no HTML file has two elements with the same `id`;
/// - nothing may point at another host, except `<a href>` inside author content (`.prose`,
///   `.summary`, or Atom `content`/`summary`) or marked `rel="external"`, and `mailto:`/`tel:`.
///
/// Covers `href`, `src`, `srcset`, `poster`, `action` and `data` attributes, `<meta>` refresh
/// and `og:`/`twitter:` URLs, Atom `<link href>`, `<icon>`, `<logo>`, sitemap `<loc>`, the HTML
/// inside Atom `content`/`summary` (resolved against `xml:base`, else the feed's own URL, as
/// RFC 4287 says), and robots.txt's `Sitemap:` line.
pub fn check_links(out: &Path, base_url: &str) -> LinkReport {
    let checker = Checker::new(out, base_url);
    let mut report = LinkReport::default();
    let files = tree(out);
    for (rel, bytes) in &files {
        let doc_url = checker.url_of(rel);
        if rel.ends_with(".html") {
            report.html_files += 1;
            let doc = Html::parse_document(&String::from_utf8_lossy(bytes));
            let mut seen = HashSet::new();
            for id in attrs(&doc, "[id]", "id") {
                if !seen.insert(id.clone()) {
                    report.problems.push(format!(
                        "{rel}: duplicate id `{id}` (fragment links become ambiguous)"
                    ));
                }
            }
            checker.check_html(&doc, &doc_url, rel, false, &mut report);
        } else if rel.ends_with(".xml") {
            report.xml_files += 1;
            match parse_xml(&String::from_utf8_lossy(bytes)) {
                Ok(elements) => checker.check_xml(&elements, &doc_url, rel, &mut report),
                Err(e) => report
                    .problems
                    .push(format!("{rel}: not well-formed XML: {e}")),
            }
        } else if rel == "robots.txt" {
            for line in String::from_utf8_lossy(bytes).lines() {
                if let Some(url) = line.strip_prefix("Sitemap:") {
                    let url = url.trim();
                    if !url.starts_with("http") {
                        report
                            .problems
                            .push(format!("robots.txt: Sitemap `{url}` is not absolute"));
                    }
                    checker.check_ref(url, &doc_url, rel, Kind::Load, &mut report);
                }
            }
        }
    }
    report
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Something the browser or a crawler fetches, or site metadata: must be on this site.
    Load,
    /// A link a reader follows; may leave the site when it is author content.
    Outbound,
}

struct Checker<'a> {
    out: &'a Path,
    scheme_host: String,
    host: String,
    base_path: String,
    ids: std::cell::RefCell<HashMap<PathBuf, HashSet<String>>>,
}

impl<'a> Checker<'a> {
    fn new(out: &'a Path, base_url: &str) -> Self {
        let (scheme, rest) = base_url.split_once("://").expect("an absolute base URL");
        let slash = rest.find('/').unwrap_or(rest.len());
        let host = rest[..slash].to_string();
        let mut base_path = rest[slash..].to_string();
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        Checker {
            out,
            scheme_host: format!("{scheme}://{host}"),
            host,
            base_path,
            ids: Default::default(),
        }
    }

    /// The absolute URL a file of the output is served at.
    fn url_of(&self, rel: &str) -> String {
        let path = if rel == "index.html" {
            String::new()
        } else if let Some(dir) = rel.strip_suffix("/index.html") {
            format!("{dir}/")
        } else {
            rel.to_string()
        };
        format!("{}{}{path}", self.scheme_host, self.base_path)
    }

    fn check_html(
        &self,
        doc: &Html,
        doc_url: &str,
        rel: &str,
        in_content: bool,
        report: &mut LinkReport,
    ) {
        let any = sel("*");
        for el in doc.select(&any) {
            let name = el.value().name();
            for attr in ["href", "src", "srcset", "poster", "action", "data"] {
                let Some(value) = el.value().attr(attr) else {
                    continue;
                };
                if attr == "data" && name != "object" {
                    continue;
                }
                let kind = if (name == "a" || name == "area")
                    && attr == "href"
                    && (in_content || is_content(&el) || has_rel(&el, "external"))
                {
                    Kind::Outbound
                } else {
                    Kind::Load
                };
                let urls: Vec<&str> = if attr == "srcset" {
                    value
                        .split(',')
                        .filter_map(|c| c.split_whitespace().next())
                        .collect()
                } else {
                    vec![value]
                };
                for url in urls {
                    let what = format!("{rel}: <{name} {attr}=\"{url}\">");
                    self.check_ref(url, doc_url, &what, kind, report);
                }
            }
            if name == "meta" {
                let content = el.value().attr("content").unwrap_or("");
                let equiv = el.value().attr("http-equiv").unwrap_or("");
                let property = el
                    .value()
                    .attr("property")
                    .or_else(|| el.value().attr("name"))
                    .unwrap_or("");
                if equiv.eq_ignore_ascii_case("refresh") {
                    match content.split_once("url=") {
                        Some((_, url)) => {
                            let what = format!("{rel}: <meta refresh url={url}>");
                            self.check_ref(url.trim(), doc_url, &what, Kind::Load, report);
                        }
                        None => report
                            .problems
                            .push(format!("{rel}: refresh without a url: {content:?}")),
                    }
                }
                let is_url_meta = matches!(
                    property,
                    "og:url" | "og:image" | "og:image:url" | "og:audio" | "og:video"
                ) || property == "twitter:image";
                if is_url_meta {
                    if !content.starts_with(&self.scheme_host) {
                        report.problems.push(format!(
                            "{rel}: <meta {property}> `{content}` is not an absolute URL on {}",
                            self.host
                        ));
                    }
                    let what = format!("{rel}: <meta {property}=\"{content}\">");
                    self.check_ref(content, doc_url, &what, Kind::Load, report);
                }
            }
            if name == "link"
                && has_rel(&el, "canonical")
                && !el
                    .value()
                    .attr("href")
                    .unwrap_or("")
                    .starts_with(&self.scheme_host)
            {
                report.problems.push(format!(
                    "{rel}: canonical URL {:?} is not absolute on {}",
                    el.value().attr("href"),
                    self.host
                ));
            }
        }
    }

    fn check_xml(
        &self,
        elements: &[XmlElement],
        doc_url: &str,
        rel: &str,
        report: &mut LinkReport,
    ) {
        for el in elements {
            // `xml:base` on an entry (or the feed) changes what relative links resolve against.
            let base = el
                .bases
                .iter()
                .fold(doc_url.to_string(), |base, b| resolve_against(b, &base));
            let local = el.name.rsplit(':').next().unwrap_or(&el.name);
            match local {
                "link" => {
                    if let Some(href) = el.attrs.get("href") {
                        let what = format!("{rel}: <link href=\"{href}\">");
                        if !href.starts_with(&self.scheme_host) {
                            report
                                .problems
                                .push(format!("{what}: feed links must be absolute"));
                        }
                        self.check_ref(href, doc_url, &what, Kind::Load, report);
                    }
                }
                "loc" | "icon" | "logo" => {
                    let url = el.text.trim();
                    let what = format!("{rel}: <{local}>{url}</{local}>");
                    if !url.starts_with(&self.scheme_host) {
                        report
                            .problems
                            .push(format!("{what}: must be an absolute URL on {}", self.host));
                    }
                    self.check_ref(url, doc_url, &what, Kind::Load, report);
                }
                "content" | "summary"
                    if el.attrs.get("type").map(String::as_str) == Some("html") =>
                {
                    let fragment = Html::parse_fragment(&el.text);
                    let what = format!("{rel} ({local} of an entry)");
                    self.check_html(&fragment, &base, &what, true, report);
                }
                _ => {}
            }
        }
    }

    /// Checks one reference found in the document at `doc_url`.
    fn check_ref(&self, raw: &str, doc_url: &str, what: &str, kind: Kind, report: &mut LinkReport) {
        let url = raw.trim();
        let lower = url.to_ascii_lowercase();
        if url.is_empty() {
            report.problems.push(format!("{what}: empty reference"));
            return;
        }
        if lower.starts_with("mailto:") || lower.starts_with("tel:") {
            if kind == Kind::Load {
                report.problems.push(format!(
                    "{what}: a mailto:/tel: URL where a resource is loaded"
                ));
            } else {
                report.outbound += 1;
            }
            return;
        }
        if lower.starts_with("javascript:") {
            report.problems.push(format!("{what}: javascript: URL"));
            return;
        }
        if lower.starts_with("data:") {
            return;
        }
        let absolute = resolve_against(url, doc_url);
        let Some((scheme, rest)) = absolute.split_once("://") else {
            // Another scheme (ftp:, urn:, …): never internal.
            self.outbound(what, kind, report);
            return;
        };
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = &rest[..authority_end];
        let path_etc = &rest[authority_end..];
        let same_host =
            host.eq_ignore_ascii_case(&self.host) && matches!(scheme, "http" | "https" | "webcal");
        if !same_host {
            self.outbound(what, kind, report);
            return;
        }
        let (path_query, fragment) = match path_etc.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (path_etc, None),
        };
        let path = path_query.split('?').next().unwrap_or("");
        let path = if path.is_empty() { "/" } else { path };
        let Some(site_path) = path
            .strip_prefix(&self.base_path)
            .or_else(|| (path.to_string() + "/" == self.base_path).then_some(""))
        else {
            report.problems.push(format!(
                "{what}: `{url}` leaves the site's sub-path {}",
                self.base_path
            ));
            return;
        };
        let decoded = percent_decode(site_path);
        if decoded.starts_with('/') || decoded.contains("//") {
            report
                .problems
                .push(format!("{what}: `{url}` has an empty path segment"));
            return;
        }
        if decoded.split('/').any(|s| s == "..") {
            report
                .problems
                .push(format!("{what}: `{url}` climbs out of the site"));
            return;
        }
        let file = if decoded.is_empty() || decoded.ends_with('/') {
            self.out.join(format!("{decoded}index.html"))
        } else {
            self.out.join(&decoded)
        };
        if !file.is_file() {
            let hint = if self.out.join(&decoded).is_dir() {
                " (a folder: the link needs a trailing slash)"
            } else {
                ""
            };
            report.problems.push(format!(
                "{what}: `{url}` resolves to {} which is not in the output{hint}",
                file.strip_prefix(self.out).unwrap_or(&file).display()
            ));
            return;
        }
        report.internal += 1;
        if let Some(fragment) = fragment {
            let fragment = percent_decode(fragment);
            if fragment.is_empty() {
                report
                    .problems
                    .push(format!("{what}: `{url}` has an empty fragment"));
            } else if file.extension() == Some(OsStr::new("html")) {
                report.fragments += 1;
                if !self.ids_of(&file).contains(&fragment) {
                    report.problems.push(format!(
                        "{what}: `{url}`: no element with id `{fragment}` in {}",
                        file.strip_prefix(self.out).unwrap_or(&file).display()
                    ));
                }
            }
        }
    }

    fn outbound(&self, what: &str, kind: Kind, report: &mut LinkReport) {
        match kind {
            Kind::Outbound => report.outbound += 1,
            Kind::Load => report.problems.push(format!(
                "{what}: points at another host (only links in page content may)"
            )),
        }
    }

    fn ids_of(&self, file: &Path) -> HashSet<String> {
        let mut cache = self.ids.borrow_mut();
        cache
            .entry(file.to_path_buf())
            .or_insert_with(|| {
                let doc = Html::parse_document(&std::fs::read_to_string(file).unwrap());
                let mut ids: HashSet<String> = attrs(&doc, "[id]", "id").into_iter().collect();
                ids.extend(attrs(&doc, "a[name]", "name"));
                ids
            })
            .clone()
    }
}

/// Whether the element sits inside author content: a page body or a list summary.
fn is_content(el: &ElementRef) -> bool {
    el.ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| a.value().classes().any(|c| c == "prose" || c == "summary"))
}

fn has_rel(el: &ElementRef, value: &str) -> bool {
    el.value()
        .attr("rel")
        .is_some_and(|r| r.split_whitespace().any(|v| v.eq_ignore_ascii_case(value)))
}

/// Resolves a URL reference against an absolute base URL (RFC 3986, enough for a site).
pub fn resolve_against(reference: &str, base: &str) -> String {
    let (scheme, rest) = base.split_once("://").expect("absolute base");
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let base_path = rest[authority_end..]
        .split(['?', '#'])
        .next()
        .unwrap_or("/");
    let has_scheme = reference.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && !s.contains('/')
    });
    if has_scheme {
        return reference.to_string();
    }
    if let Some(r) = reference.strip_prefix("//") {
        return format!("{scheme}://{r}");
    }
    if reference.starts_with('#') {
        let doc = base.split('#').next().unwrap_or(base);
        return format!("{doc}{reference}");
    }
    let (ref_path, suffix) = match reference.find(['?', '#']) {
        Some(i) => (&reference[..i], &reference[i..]),
        None => (reference, ""),
    };
    let merged = if ref_path.starts_with('/') {
        ref_path.to_string()
    } else if ref_path.is_empty() {
        base_path.to_string()
    } else {
        let dir = &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)];
        format!("{dir}{ref_path}")
    };
    format!("{scheme}://{authority}{}{suffix}", remove_dots(&merged))
}

/// RFC 3986 remove_dot_segments, keeping a leading `..` that climbs past the root visible.
fn remove_dots(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    for (i, seg) in segments.iter().enumerate() {
        let last = i == segments.len() - 1;
        match *seg {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                if out.len() > 1 {
                    out.pop();
                } else {
                    out.push("..");
                }
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    out.join("/")
}

/// Decodes `%XX` escapes.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Panics listing every problem the link checker found.
#[track_caller]
pub fn assert_no_link_problems(report: &LinkReport) {
    assert!(
        report.problems.is_empty(),
        "{} broken or forbidden references:\n  {}",
        report.problems.len(),
        report.problems.join("\n  ")
    );
}

/// The HTML files of a built site (relative paths).
pub fn html_files(out: &Path) -> Vec<String> {
    tree(out)
        .into_keys()
        .filter(|k| k.ends_with(".html"))
        .collect()
}

/// Whether an HTML document is an alias redirect (a `<meta http-equiv="refresh">` page).
pub fn is_redirect(doc: &Html) -> bool {
    doc.select(&sel("meta[http-equiv]")).any(|m| {
        m.value()
            .attr("http-equiv")
            .is_some_and(|v| v.eq_ignore_ascii_case("refresh"))
    })
}
