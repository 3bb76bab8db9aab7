//! Cache: what one `podium build` leaves in `.podium-cache/build/` for the next.
//!
//! A build records, once its site is written, what every output depended on (the render
//! [`Record`]), a fingerprint of every content file, the groups of outputs each page can
//! reach, and the list of files it wrote. The next build into the same folder loads the
//! content (front matter only: bodies wait) and compares: when only the contents of
//! existing pages changed (the edits `serve` patches in place), it renders only the outputs
//! those edits reach, and only the Markdown bodies those outputs show, leaving every other
//! file of the previous build where it is. Anything else — a template, the config, a static
//! or bundle file, a page added, removed or moved, a section, member or event edited, a
//! file missing from the output, another Podium binary, a new year — renders everything.
//! So a stale cache can cost time, never correctness; deleting the folder is always safe.
//!
//! "Now" is an input too: without `--now` every build has a new one. It decides which
//! talks and events are upcoming, so a new "now" counts as an edit of every talk and event
//! (their pages, lists, calendars and the home page are rendered again), and of every page
//! when a template reads `site.now` itself.

use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use serde::{Deserialize, Serialize};
use xxhash_rust::xxh3::Xxh3;

use crate::content::{Page, SectionKind, Site};
use crate::output::{Body, Output};
use crate::render::{Plan, Record, Renderer, kind_key, page_key, reach_by_page, reach_of};

/// The cache's folder, under the hub root.
pub const DIR: &str = ".podium-cache/build";
const STATE: &str = "state";
/// Bumped whenever what is stored changes shape.
const FORMAT: u32 = 1;

/// What a build stores about itself and its output.
#[derive(Serialize, Deserialize)]
struct State {
    format: u32,
    /// See [`Inputs`].
    inputs: u64,
    /// The build's "now", in nanoseconds since the Unix epoch.
    now: i128,
    /// Every page, in the order of [`Site::pages`], and every section.
    pages: Vec<Source>,
    sections: Vec<(String, u64)>,
    record: Record,
    /// Every file of the written site.
    files: Vec<String>,
}

/// One content file as a build saw it.
#[derive(Serialize, Deserialize)]
struct Source {
    content_path: String,
    fingerprint: u64,
    /// A hash of [`Page::place`].
    place: u64,
    /// The groups of outputs an edit of the page, as it was, reaches.
    reach: Vec<u64>,
}

/// A fingerprint of everything besides content files that outputs depend on: the Podium
/// binary, the config, the flags, the output folder, the templates, static and bundle
/// files, the year (pages show it), and "now" or the environment when a template reads it.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Inputs(u64);

/// The previous build, as far as the cache knows it.
pub struct Previous(State);

/// A plan for this build, and the previous site's files it may keep.
pub struct Planned {
    pub plan: Plan,
    pub kept: Kept,
    /// The pages whose files changed, for an incremental plan.
    edited: Option<Vec<usize>>,
}

/// Files of the previous site that this build keeps unless it produces or removes them.
#[derive(Default)]
pub struct Kept(Vec<String>);

impl Planned {
    /// Renders everything, keeps nothing.
    pub fn everything() -> Planned {
        Planned {
            plan: Plan::All,
            kept: Kept::default(),
            edited: None,
        }
    }

    /// The pages whose bodies to render before anything else: every page for a full
    /// render, the edited ones for an incremental one (the others render when shown).
    pub fn bodies_now(&self, site: &Site) -> Vec<usize> {
        match &self.edited {
            Some(edited) => edited.clone(),
            None => (0..site.pages.len()).collect(),
        }
    }
}

impl Previous {
    /// Reads the cache under `root`; `None` when there is none, or it is unreadable or
    /// from another version of the cache.
    pub fn load(root: &Path) -> Option<Previous> {
        let state = read::<State>(&root.join(DIR).join(STATE))?;
        (state.format == FORMAT).then_some(Previous(state))
    }

    /// What to render: only what changed pages (and a new "now") reach, when the previous
    /// build's state allows it; everything otherwise.
    pub fn plan(self, site: &Site, inputs: Inputs, now: &jiff::Zoned, dir: &Path) -> Planned {
        let state = self.0;
        if state.inputs != inputs.0 {
            return Planned::everything();
        }
        let Some(changed) = changed_pages(site, &state) else {
            return Planned::everything();
        };
        if !all_present(dir, &state.files) {
            return Planned::everything();
        }
        let before = changed
            .iter()
            .flat_map(|&i| state.pages[i].reach.iter().copied());
        let mut reach: FxHashSet<u64> = before.collect();
        let mut edited: Vec<&Page> = changed.iter().map(|&i| &site.pages[i]).collect();
        if state.now != now.timestamp().as_nanosecond() {
            edited.extend(site.pages.iter().filter(|p| depends_on_now(p.kind)));
        }
        reach.extend(reach_of(site, edited.iter().copied()));
        let keys = edited
            .iter()
            .flat_map(|p| [page_key(p), kind_key(p.kind)])
            .collect();
        Planned {
            plan: Plan::Changed {
                keys,
                reach,
                previous: state.record,
            },
            kept: Kept(state.files),
            edited: Some(changed),
        }
    }
}

impl Kept {
    /// Adds to `output` the previous site's files that this build neither produced nor
    /// removed (they are on disk as they should be).
    pub fn apply(self, output: &mut Output, removed: &[String]) {
        if self.0.is_empty() {
            return;
        }
        let removed: FxHashSet<&str> = removed.iter().map(String::as_str).collect();
        for path in &self.0 {
            if !removed.contains(path.as_str()) && !output.files.contains_key(path) {
                output.files.insert(path.clone(), Body::Same);
            }
        }
    }
}

/// Pages of these kinds show whether they are upcoming or past.
fn depends_on_now(kind: SectionKind) -> bool {
    matches!(kind, SectionKind::Seminars | SectionKind::Events)
}

/// The indices of the pages whose contents changed, when that is all that changed: `None`
/// when a page or section appeared, went or moved, or a section, member or event changed.
fn changed_pages(site: &Site, state: &State) -> Option<Vec<usize>> {
    let sections = site
        .sections
        .iter()
        .map(|s| (&s.content_path, s.fingerprint));
    if state.pages.len() != site.pages.len()
        || !sections.eq(state.sections.iter().map(|(p, f)| (p, *f)))
    {
        return None;
    }
    let mut changed = Vec::new();
    for (i, (page, was)) in site.pages.iter().zip(&state.pages).enumerate() {
        if page.content_path != was.content_path || place(page) != was.place {
            return None;
        }
        if page.fingerprint != was.fingerprint {
            if matches!(page.kind, SectionKind::Members | SectionKind::Events) {
                return None;
            }
            changed.push(i);
        }
    }
    Some(changed)
}

/// A hash of [`Page::place`].
fn place(page: &Page) -> u64 {
    let (path, aliases, section, kind) = page.place();
    let mut h = Xxh3::new();
    for part in std::iter::once(path).chain(aliases.iter().map(String::as_str)) {
        field(&mut h, part.as_bytes());
    }
    h.update(&(section as u64).to_le_bytes());
    field(&mut h, format!("{kind:?}").as_bytes());
    h.digest()
}

/// Whether every file of the previous site is still in `dir`: one removed by hand would
/// otherwise stay missing.
fn all_present(dir: &Path, files: &[String]) -> bool {
    files.par_iter().all(|f| dir.join(f).is_file())
}

/// The fingerprints of this build's inputs besides content files.
pub fn inputs(
    options: &crate::site::BuildOptions,
    renderer: &Renderer,
    site: &Site,
    now: &jiff::Zoned,
    dir: &Path,
) -> Inputs {
    let root = &site.root;
    let mut h = Xxh3::new();
    h.update(&FORMAT.to_le_bytes());
    field(&mut h, env!("CARGO_PKG_VERSION").as_bytes());
    // Another build of Podium may render differently under the same version number.
    if let Ok(exe) = std::env::current_exe() {
        stamp(&mut h, &exe);
    }
    field(
        &mut h,
        &std::fs::read(root.join("config.toml")).unwrap_or_default(),
    );
    field(
        &mut h,
        options.base_url.as_deref().unwrap_or_default().as_bytes(),
    );
    field(&mut h, dir.as_os_str().as_encoded_bytes());
    h.update(&[u8::from(options.drafts), u8::from(options.future)]);
    h.update(&now.year().to_le_bytes());
    templates(&mut h, renderer, now);
    for file in other_files(root, site) {
        field(&mut h, file.as_os_str().as_encoded_bytes());
        stamp(&mut h, &file);
    }
    Inputs(h.digest())
}

/// Adds the templates to `h`. Templates may read the clock (`site.now`) or the environment
/// (`get_env`); then those are inputs of every page too. Matching the words anywhere in a
/// template errs on the side of rendering more.
fn templates(h: &mut Xxh3, renderer: &Renderer, now: &jiff::Zoned) {
    let (mut reads_now, mut reads_env) = (false, false);
    for t in &renderer.theme().templates {
        field(h, t.name.as_bytes());
        field(h, t.text.as_bytes());
        reads_now |= t.text.contains("now");
        reads_env |= t.text.contains("get_env");
    }
    if reads_now {
        h.update(&now.timestamp().as_nanosecond().to_le_bytes());
    }
    if reads_env {
        let mut vars: Vec<_> = std::env::vars_os().collect();
        vars.sort();
        for (name, value) in vars {
            field(h, name.as_encoded_bytes());
            field(h, value.as_encoded_bytes());
        }
    }
}

/// Adds `bytes` to `h` with their length, so that two fields never read as one.
fn field(h: &mut Xxh3, bytes: &[u8]) {
    h.update(&(bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

/// Files that are no page but that pages may show or read: static files, bundle files
/// (timetables, participant lists, photos), loose content files.
fn other_files(root: &Path, site: &Site) -> Vec<PathBuf> {
    // What cannot be listed is reported by the build itself.
    let statics = crate::render::theme::static_files_under(root, &root.join("static")).files;
    let assets = site.pages.iter().flat_map(|p| &p.assets);
    let assets = assets.chain(site.sections.iter().flat_map(|s| &s.assets));
    let loose = site.loose_files.iter().map(|(f, _)| f);
    let mut files: Vec<PathBuf> = statics.into_iter().map(|(_, f)| f).collect();
    files.extend(assets.chain(loose).cloned());
    files
}

/// A file's size and modification time, or that it is missing.
fn stamp(h: &mut Xxh3, file: &Path) {
    match std::fs::metadata(file) {
        Ok(meta) => {
            h.update(&meta.len().to_le_bytes());
            let modified = meta.modified().ok();
            let since = modified.and_then(|m| m.duration_since(std::time::UNIX_EPOCH).ok());
            h.update(&since.unwrap_or_default().as_nanos().to_le_bytes());
        }
        Err(_) => h.update(b"missing"),
    }
}

/// Forgets the previous build, before its site is overwritten: a build that fails while
/// writing leaves a site the state no longer describes.
pub fn forget(root: &Path) {
    let _ = std::fs::remove_file(root.join(DIR).join(STATE));
}

/// What the next build needs to know of this one, encoded for [`store`]: made while the
/// site is still being written, and stored only once it is.
pub struct Encoded(Vec<u8>);

/// Encodes what the next build needs to know of this one: its inputs, every page's place
/// and reach, the render record and the files of the site.
pub fn encode(
    site: &Site,
    record: Record,
    files: Vec<String>,
    inputs: Inputs,
    now: &jiff::Zoned,
) -> Option<Encoded> {
    let reach = reach_by_page(site);
    let pages = site.pages.iter().zip(reach).map(|(page, reach)| Source {
        content_path: page.content_path.clone(),
        fingerprint: page.fingerprint,
        place: place(page),
        reach,
    });
    let state = State {
        format: FORMAT,
        inputs: inputs.0,
        now: now.timestamp().as_nanosecond(),
        pages: pages.collect(),
        sections: site
            .sections
            .iter()
            .map(|s| (s.content_path.clone(), s.fingerprint))
            .collect(),
        record,
        files,
    };
    postcard::to_stdvec(&state).ok().map(Encoded)
}

/// Saves an encoded build in `root`'s cache, once its site is in its folder. A cache that
/// cannot be written costs the next build time, nothing else, so failures are ignored.
pub fn store(root: &Path, encoded: &Encoded) {
    let dir = root.join(DIR);
    if std::fs::create_dir_all(&dir).is_ok() {
        write_bytes(&dir.join(STATE), &encoded.0);
    }
}

/// Reads a cache file; `None` when it is missing or not what this build would write.
fn read<T: serde::de::DeserializeOwned>(file: &Path) -> Option<T> {
    postcard::from_bytes(&std::fs::read(file).ok()?).ok()
}

/// Writes a cache file whole or not at all (builds of one hub into other folders may run at
/// the same time: each writes a temporary file of its own, then renames it).
fn write_bytes(file: &Path, bytes: &[u8]) {
    let Some(dir) = file.parent() else {
        return;
    };
    let Ok(mut temp) = tempfile::NamedTempFile::new_in(dir) else {
        return;
    };
    if temp.write_all(bytes).is_ok() {
        drop(temp.persist(file));
    }
}
