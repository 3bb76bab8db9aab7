//! Watching the hub for changes, however editors save.
//!
//! Editors write in bursts (write, rename, chmod, delete a swap file); the debouncer folds a
//! burst into one rebuild. Folders are watched rather than single files, because an editor
//! that saves by renaming a temporary file over the original replaces the file being watched.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use super::{Change, Server};
use crate::content::is_ignored;

/// The folders whose changes rebuild the site.
const WATCHED: &[&str] = &["content", "templates", "themes", "static"];

/// How long a burst of events may last before the rebuild starts. Editors' bursts (write a
/// temporary file, rename it over the page) take a millisecond or two, and every millisecond
/// of waiting is added to each edit-to-reload.
const SETTLE: Duration = Duration::from_millis(6);

/// How often the debouncer looks for settled bursts: a reload waits up to this on top.
const TICK: Duration = Duration::from_millis(2);

/// Starts watching; the returned debouncer must be kept alive for as long as watching should go on.
pub fn watch(
    server: Arc<Server>,
) -> notify::Result<Debouncer<notify::RecommendedWatcher, RecommendedCache>> {
    let root = server.options.root.clone();
    let output = root.join("public");
    let watched_root = root.clone();
    // The watcher must not keep the server alive: its folder goes when the server does.
    let server = Arc::downgrade(&server);
    let handler = move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        let Some(server) = server.upgrade() else {
            return;
        };
        // Reading a file is an event too (the build's own reads would loop forever).
        let mut changed: Vec<PathBuf> = events
            .iter()
            .filter(|e| !matches!(e.kind, notify::EventKind::Access(_)))
            .flat_map(|e| e.paths.iter())
            .filter(|p| matters(&root, &output, p))
            .cloned()
            .collect();
        changed.sort();
        changed.dedup();
        if !changed.is_empty() {
            report(&server, &changed);
        }
    };
    let mut debouncer = new_debouncer(SETTLE, Some(TICK), handler)?;
    let root = watched_root;
    for dir in WATCHED {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer.watch(&path, RecursiveMode::Recursive)?;
        }
    }
    // The root itself, not config.toml, so a config saved by rename is still seen.
    debouncer.watch(&root, RecursiveMode::NonRecursive)?;
    Ok(debouncer)
}

/// Whether a changed path can affect the site: not output, not hidden, not an editor's file.
fn matters(root: &Path, output: &Path, path: &Path) -> bool {
    if path.starts_with(output) {
        return false;
    }
    let rel = path.strip_prefix(root).unwrap_or(path);
    let in_root_only = rel.components().count() == 1;
    if in_root_only
        && rel != Path::new("config.toml")
        && !WATCHED.iter().any(|w| rel == Path::new(w))
    {
        return false;
    }
    !rel.components()
        .any(|c| is_ignored(&c.as_os_str().to_string_lossy()))
}

fn report(server: &Server, changed: &[PathBuf]) {
    let started = Instant::now();
    let incremental = server.incremental_rebuilds();
    match server.rebuild(changed) {
        Ok(change) => {
            let took = started.elapsed().as_millis();
            if server.incremental_rebuilds() > incremental {
                let pages = match change {
                    Change::Reload { paths, .. } => paths.len(),
                    _ => 0,
                };
                eprintln!("Updated {pages} changed page(s) in {took} ms");
            } else {
                eprintln!("Rebuilt the whole site in {took} ms");
            }
        }
        Err(errors) => eprintln!("{errors}\nStill serving the last good build."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editor_files_and_output_do_not_trigger_rebuilds() {
        let root = Path::new("/hub");
        let out = Path::new("/hub/public");
        assert!(matters(root, out, Path::new("/hub/content/news/a.md")));
        assert!(matters(root, out, Path::new("/hub/config.toml")));
        assert!(!matters(
            root,
            out,
            Path::new("/hub/content/news/.a.md.swp")
        ));
        assert!(!matters(root, out, Path::new("/hub/content/news/a.md~")));
        assert!(!matters(root, out, Path::new("/hub/public/index.html")));
        assert!(!matters(root, out, Path::new("/hub/README.md")));
        assert!(!matters(root, out, Path::new("/hub/.git/index")));
    }
}
