//! Serve: the local preview server behind `podium serve`.
//!
//! Owns the dev loop: watching the hub's folders, rebuilding when a file changes, keeping
//! the last good site in a private folder, and telling open browsers what changed
//! (Server-Sent Events on the same port). Only paths the build produced are served (the
//! snapshot lists them), so no request can reach another file, whatever the path says; the
//! bytes stay on disk, so serving a large hub costs little memory.

mod http;
mod watch;

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::content::{self, Reload, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::{self, Body, Output};
use crate::render::{Plan, Record, Renderer, kind_key, page_key, reach_of};
use crate::site::{self, BuildOptions, Built};

pub use http::router;
pub use watch::{Watching, watch};

/// What the terminal says after build errors when no build has succeeded yet.
pub const SERVING_ERRORS: &str = "Serving these errors until they are fixed.";

/// One built site, as the server holds it.
#[derive(Default)]
pub struct Snapshot {
    /// Site paths (`news/index.html`) of every file served; the files are in the server's
    /// folder ([`Server::dir`]).
    pub files: HashSet<String>,
    /// The base URL's path, under which the site is served (`/hub/`).
    pub base_path: String,
    /// The build errors of the last attempt, if it failed.
    pub error: Option<String>,
}

/// What browsers are told after a rebuild.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Change {
    /// These pages changed (site paths under the base path, as browsers see them).
    Reload { paths: Vec<String>, all: bool },
    /// Only stylesheets changed: swap them without a reload.
    Css,
    /// The build failed; the message goes in the overlay.
    Error { message: String },
}

/// The server's shared state.
pub struct Server {
    pub snapshot: RwLock<Snapshot>,
    pub changes: broadcast::Sender<Change>,
    pub options: BuildOptions,
    /// The address served at; requests must be addressed to it or to a loopback name.
    addr: SocketAddr,
    /// The last good build's model, templates and dependency record, for incremental
    /// rebuilds; `None` after a failed render, so the next change builds everything.
    model: Mutex<Option<Model>>,
    /// How many rebuilds took the incremental path, for tests and the terminal.
    incremental: AtomicUsize,
    /// The private folder the served site is written to; removed with the server.
    folder: tempfile::TempDir,
    /// Names given to large replaced files (see [`Server::retire`]).
    retired: AtomicUsize,
}

/// What an incremental rebuild starts from.
struct Model {
    site: Site,
    renderer: Renderer,
    record: Record,
    now: jiff::Zoned,
}

impl Model {
    fn of(built: Built) -> (Model, Output) {
        let model = Model {
            site: built.site,
            renderer: built.renderer,
            record: built.record,
            now: built.now,
        };
        (model, built.output)
    }
}

/// How an incremental rebuild went.
enum Outcome {
    Patched(Patch),
    /// A changed page has errors; nothing was touched.
    BadPage(Diagnostics),
    /// The pages reloaded but rendering failed.
    BadRender(Diagnostics),
}

/// The files an incremental rebuild wrote, and the pages it no longer produces.
struct Patch {
    output: Output,
    removed: Vec<String>,
}

impl Server {
    /// Builds the site for serving at `addr`. A hub with errors still starts: the errors are
    /// served (see [`Snapshot::error`]) until a change fixes them; only a server that cannot
    /// make its folder fails to start.
    pub fn start(options: BuildOptions, addr: SocketAddr) -> Result<Arc<Server>, Diagnostics> {
        let server = Server::new(options, addr)?;
        server.build();
        Ok(server)
    }

    /// Builds everything, as when serving starts. Its errors stay in the snapshot, served
    /// until a change fixes them.
    pub fn build(&self) {
        let _ = self.rebuild(&[]);
    }

    /// A server for `addr` with nothing built yet ([`Server::build`] builds it), so that
    /// watching can start first and no edit made during the first build is missed.
    pub fn new(mut options: BuildOptions, addr: SocketAddr) -> Result<Arc<Server>, Diagnostics> {
        // The watcher reports absolute paths; a relative root (`.` by default) would match
        // none of them, and every edit would rebuild everything.
        if let Ok(root) = std::fs::canonicalize(&options.root) {
            options.root = root;
        }
        // With a broken config.toml the site is served from the root; the build reports why.
        let base_path = crate::config::Config::load(&options.root)
            .map_or_else(|_| "/".to_string(), |c| c.base_path().to_string());
        options.base_url = Some(format!("http://{addr}{base_path}"));
        // "Now" is fixed when serving starts: with the clock, every rebuild would restamp
        // every calendar feed, and each edit would look like a change to the whole site.
        if options.now.is_none() {
            options.now = Some(jiff::Timestamp::now().to_string());
        }
        let folder = tempfile::Builder::new()
            .prefix("podium-serve-")
            .tempdir()
            .map_err(|e| Diagnostic::file("podium serve", format!("cannot make a folder: {e}")))?;
        options.output = Some(folder.path().join("site"));
        // The folder is serve's own: everything in it is the served site's.
        options.force = true;
        let (changes, _) = broadcast::channel(64);
        Ok(Arc::new(Server {
            snapshot: RwLock::new(Snapshot {
                base_path,
                ..Snapshot::default()
            }),
            changes,
            options,
            addr,
            model: Mutex::new(None),
            incremental: AtomicUsize::new(0),
            folder,
            retired: AtomicUsize::new(0),
        }))
    }

    /// Whether a build has succeeded yet, so there is a site to serve.
    pub fn built(&self) -> bool {
        !self
            .snapshot
            .read()
            .expect("snapshot lock")
            .files
            .is_empty()
    }

    /// The errors of the last build, if it failed.
    pub fn error(&self) -> Option<String> {
        self.snapshot.read().expect("snapshot lock").error.clone()
    }

    /// The folder the served site is in.
    pub fn dir(&self) -> &Path {
        self.options
            .output
            .as_deref()
            .expect("a server always has its folder")
    }

    /// The bytes served at site path `path`, if the site has it.
    pub fn read(&self, path: &str) -> Option<Vec<u8>> {
        let listed = self
            .snapshot
            .read()
            .expect("snapshot lock")
            .files
            .contains(path);
        listed
            .then(|| std::fs::read(self.dir().join(path)).ok())
            .flatten()
    }

    /// Every file served, with its bytes (for tests and checks).
    pub fn files(&self) -> BTreeMap<String, Vec<u8>> {
        let paths: Vec<String> = {
            let snapshot = self.snapshot.read().expect("snapshot lock");
            snapshot.files.iter().cloned().collect()
        };
        paths
            .into_iter()
            .filter_map(|p| Some((p.clone(), self.read(&p)?)))
            .collect()
    }

    /// Rebuilds after `changed` files changed and, when the build succeeds, swaps the new
    /// site in and tells the browsers what changed. A failed build keeps the last good site
    /// served. Edits to existing pages re-render only what depends on them.
    pub fn rebuild(&self, changed: &[PathBuf]) -> Result<Change, Diagnostics> {
        let mut model = self.model.lock().expect("model lock");
        let patched = match model.as_mut() {
            Some(m) if self.patchable(changed) => incremental(m, changed),
            _ => None,
        };
        let result = match patched {
            Some(Outcome::Patched(patch)) => {
                self.incremental.fetch_add(1, Ordering::Relaxed);
                self.apply(patch)
            }
            // A page that failed to reload left the model as it was.
            Some(Outcome::BadPage(errors)) => Err(errors),
            // A failed render leaves the model ahead of the record: start afresh next time.
            Some(Outcome::BadRender(errors)) => {
                *model = None;
                Err(errors)
            }
            None => self.full(&mut model),
        };
        match result {
            Ok(change) => {
                let _ = self.changes.send(change.clone());
                Ok(change)
            }
            Err(errors) => {
                let message = errors.to_string();
                self.snapshot.write().expect("snapshot lock").error = Some(message.clone());
                let _ = self.changes.send(Change::Error { message });
                Err(errors)
            }
        }
    }

    /// Whether every changed file is an existing page's Markdown file, the only change
    /// an incremental rebuild handles; anything else builds everything.
    fn patchable(&self, changed: &[PathBuf]) -> bool {
        let content = self.options.root.join("content");
        !changed.is_empty()
            && changed.iter().all(|p| {
                p.starts_with(&content)
                    && p.extension().is_some_and(|e| e == "md")
                    && p.file_name().is_some_and(|n| n != "_index.md")
                    && p.is_file()
            })
    }

    fn full(&self, model: &mut Option<Model>) -> Result<Change, Diagnostics> {
        // The old model is of no use to a full build: let it go before building the new one.
        *model = None;
        let (next, output) = Model::of(site::build(&self.options)?);
        let written = output
            .write_atomic(self.dir())
            .map_err(|e| cannot_write(self.dir(), e))?;
        *model = Some(next);
        let mut current = self.snapshot.write().expect("snapshot lock");
        current.files = output.into_files().into_keys().collect();
        let had_error = current.error.take().is_some();
        let mut changed = written.changed;
        changed.sort();
        Ok(change_of(&changed, &current.base_path, had_error))
    }

    /// Puts the files of an incremental rebuild into the served site.
    fn apply(&self, patch: Patch) -> Result<Change, Diagnostics> {
        let clock = site::Phases::start();
        let dir = self.dir();
        let mut current = self.snapshot.write().expect("snapshot lock");
        // Calendar feeds of a few megabytes each are among the files: written in parallel.
        let files: Vec<(String, Body)> = patch.output.into_files().into_iter().collect();
        let retired = Mutex::new(Vec::new());
        let written: Vec<Result<Option<String>, Diagnostics>> = files
            .into_par_iter()
            .map(|(path, body)| {
                let bytes = read_body(&path, body)?;
                if let Some(old) = self.retire(&dir.join(&path)) {
                    retired.lock().expect("retired lock").push(old);
                }
                let replaced =
                    output::replace_file(dir, &path, bytes).map_err(|e| cannot_write(dir, e))?;
                Ok(replaced.then_some(path))
            })
            .collect();
        let retired = retired.into_inner().expect("retired lock");
        rayon::spawn(move || {
            retired
                .into_iter()
                .for_each(|f| drop(std::fs::remove_file(f)))
        });
        let mut changed = Vec::new();
        for path in written {
            if let Some(path) = path? {
                current.files.insert(path.clone());
                changed.push(path);
            }
        }
        for path in patch.removed {
            if current.files.remove(&path) {
                output::remove_path(dir, &path).map_err(|e| cannot_write(dir, e))?;
                changed.push(path);
            }
        }
        clock.lap("write changed files");
        changed.sort();
        let had_error = current.error.take().is_some();
        Ok(change_of(&changed, &current.base_path, had_error))
    }

    /// A second name for `file` when it is large, outside the site. Renaming a new version
    /// over a file frees the old one's blocks there and then (4 ms for a 4 MB calendar feed
    /// on this disk); with a second name, the rename is instant and the blocks are freed
    /// when that name is removed, once the rebuild is done.
    fn retire(&self, file: &Path) -> Option<PathBuf> {
        const LARGE: u64 = 256 * 1024;
        let size = std::fs::metadata(file).ok()?.len();
        if size < LARGE {
            return None;
        }
        let n = self.retired.fetch_add(1, Ordering::Relaxed);
        let name = self.folder.path().join(format!("retired-{n}"));
        std::fs::hard_link(file, &name).ok()?;
        Some(name)
    }

    /// How many rebuilds so far re-rendered only what the change reached.
    pub fn incremental_rebuilds(&self) -> usize {
        self.incremental.load(Ordering::Relaxed)
    }
}

/// Patches the model with the changed pages and renders what depends on them; `None`
/// when the change needs a full build.
fn incremental(model: &mut Model, changed: &[PathBuf]) -> Option<Outcome> {
    let clock = site::Phases::start();
    let reloaded = content::reload(&mut model.site, changed);
    clock.lap("reload");
    let (indices, before) = match reloaded {
        Reload::Full => return None,
        Reload::Failed(errors) => return Some(Outcome::BadPage(errors)),
        Reload::Patched { indices, before } => (indices, before),
    };
    let now = indices.iter().map(|&i| &model.site.pages[i]);
    let keys: FxHashSet<u64> = now
        .clone()
        .flat_map(|p| [page_key(p), kind_key(p.kind)])
        .collect();
    // The record moves into the render, which updates it; a failed render drops the model.
    let plan = Plan::Changed {
        keys,
        reach: reach_of(&model.site, now.chain(&before)),
        previous: std::mem::take(&mut model.record),
    };
    let mut output = Output::default();
    let rendered = match model
        .renderer
        .render_site(&model.site, &model.now, plan, &mut output)
    {
        Ok(rendered) => rendered,
        Err(errors) => return Some(Outcome::BadRender(errors)),
    };
    let removed = rendered.removed;
    model.record = rendered.record;
    clock.lap("render");
    Some(Outcome::Patched(Patch { output, removed }))
}

fn read_body(path: &str, body: Body) -> Result<Vec<u8>, Diagnostics> {
    match body {
        Body::Bytes(bytes) => Ok(bytes),
        Body::File(source) => std::fs::read(&source)
            .map_err(|e| Diagnostic::file(path, format!("cannot read: {e}")).into()),
        // An incremental render keeps its few pages in memory; these never come from it.
        Body::Staged | Body::Same => {
            Err(Diagnostic::file(path, "was written to disk, not kept in memory").into())
        }
    }
}

fn cannot_write(dir: &Path, e: std::io::Error) -> Diagnostics {
    Diagnostic::file(dir, format!("cannot write the served site: {e}")).into()
}

/// The message for browsers about the changed site paths: stylesheets alone are swapped,
/// anything but pages and stylesheets (or recovering from an error) reloads every tab.
fn change_of(changed: &[String], base_path: &str, had_error: bool) -> Change {
    if !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css")) {
        return Change::Css;
    }
    // Anything a page may load (a script, an image) reloads every page; pages reload
    // themselves, and feeds, vCards, the sitemap and robots.txt are never loaded by a page.
    let no_page_loads = [".html", ".css", ".ics", ".xml", ".vcf", ".txt"];
    let all = changed
        .iter()
        .any(|p| !no_page_loads.iter().any(|end| p.ends_with(end)));
    let paths = changed.iter().map(|p| format!("{base_path}{p}")).collect();
    Change::Reload {
        paths,
        all: all || had_error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths(list: &[&str]) -> Vec<String> {
        list.iter().map(|p| p.to_string()).collect()
    }

    #[test]
    fn only_changed_pages_are_reloaded() {
        assert_eq!(
            change_of(&paths(&["a/index.html"]), "/hub/", false),
            Change::Reload {
                paths: vec!["/hub/a/index.html".into()],
                all: false
            }
        );
    }

    #[test]
    fn feeds_and_cards_reload_no_page() {
        let files = paths(&[
            "a/index.html",
            "seminars/seminars.ics",
            "atom.xml",
            "p/p.vcf",
        ]);
        assert_eq!(
            change_of(&files, "/hub/", false),
            Change::Reload {
                paths: files.iter().map(|p| format!("/hub/{p}")).collect(),
                all: false
            }
        );
    }

    #[test]
    fn a_stylesheet_alone_is_swapped_not_reloaded() {
        assert_eq!(
            change_of(&paths(&["style.css"]), "/hub/", false),
            Change::Css
        );
    }

    #[test]
    fn other_files_or_a_past_error_reload_every_page() {
        let image = change_of(&paths(&["a/index.html", "photo.jpg"]), "/hub/", false);
        assert!(matches!(image, Change::Reload { all: true, .. }));
        let script = change_of(&paths(&["seminars.js"]), "/hub/", false);
        assert!(matches!(script, Change::Reload { all: true, .. }));
        let recovered = change_of(&paths(&["a/index.html"]), "/hub/", true);
        assert!(matches!(recovered, Change::Reload { all: true, .. }));
    }
}
