//! Watching the hub for changes, however editors save.
//!
//! Editors write in bursts (write, rename, chmod, delete a swap file); a burst is folded into
//! one rebuild. Folders are watched rather than single files, because an editor that saves by
//! renaming a temporary file over the original replaces the file being watched. A watched
//! folder that is moved or removed and comes back is watched again.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use notify::{Event, EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use super::{Change, SERVING_ERRORS, Server};
use crate::content::is_ignored;

/// The folders whose changes rebuild the site.
const WATCHED: &[&str] = &["content", "templates", "themes", "static"];

/// How long the hub must stay quiet before a burst of events is taken as over. Editors'
/// bursts (write a temporary file, rename it over the page) take a millisecond or two, and
/// every millisecond of waiting is added to each edit-to-reload.
const SETTLE: Duration = Duration::from_millis(6);

/// The longest a burst may go on before it is rebuilt anyway, so a file written without
/// pause (a long copy) cannot hold back every rebuild.
const LONGEST_BURST: Duration = Duration::from_millis(500);

/// Watching goes on for as long as this is kept.
pub struct Watching {
    _watcher: Arc<Mutex<RecommendedWatcher>>,
}

/// Starts watching the hub of `server`, rebuilding it after every burst of changes.
pub fn watch(server: Arc<Server>) -> notify::Result<Watching> {
    let root = server.options.root.clone();
    let (events, received) = channel();
    let watcher = Arc::new(Mutex::new(notify::recommended_watcher(events)?));
    {
        let mut watcher = watcher.lock().expect("watcher lock");
        for dir in WATCHED {
            let path = root.join(dir);
            if path.is_dir() {
                watcher.watch(&path, RecursiveMode::Recursive)?;
            }
        }
        // The root itself, not config.toml, so a config saved by rename is still seen.
        watcher.watch(&root, RecursiveMode::NonRecursive)?;
    }
    // Neither the server nor the watcher is kept alive by the loop: the server's folder goes
    // when the server does, and dropping the watcher ends its events, then the loop.
    let (server, rearm) = (Arc::downgrade(&server), Arc::downgrade(&watcher));
    std::thread::Builder::new()
        .name("podium-watch".into())
        .spawn(move || rebuild_loop(&received, &server, &rearm, &root))?;
    Ok(Watching { _watcher: watcher })
}

/// Rebuilds after each burst of events until watching stops.
fn rebuild_loop(
    received: &Receiver<notify::Result<Event>>,
    server: &Weak<Server>,
    watcher: &Weak<Mutex<RecommendedWatcher>>,
    root: &Path,
) {
    let output = root.join("public");
    while let Some(burst) = next_burst(received) {
        let Some(server) = server.upgrade() else {
            return;
        };
        // Reading a file is an event too (the build's own reads would loop forever).
        let mut changed: Vec<PathBuf> = burst
            .iter()
            .filter(|e| !matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.paths.iter())
            .filter(|p| matters(root, &output, p))
            .cloned()
            .collect();
        changed.sort();
        changed.dedup();
        if let Some(watcher) = watcher.upgrade() {
            // Before the rebuild, so no edit falls between the rebuild's reads and the watch.
            rearm(&mut watcher.lock().expect("watcher lock"), root, &changed);
        }
        if !changed.is_empty() {
            report(&server, &changed);
        }
    }
}

/// The next burst of events: blocks (with no timer, so an idle server uses no CPU) until one
/// comes, then gathers the rest until the hub has been quiet for [`SETTLE`]. `None` once
/// watching has stopped.
fn next_burst(received: &Receiver<notify::Result<Event>>) -> Option<Vec<Event>> {
    let first = received.recv().ok()?;
    let started = Instant::now();
    let mut burst: Vec<Event> = first.into_iter().collect();
    while started.elapsed() < LONGEST_BURST {
        match received.recv_timeout(SETTLE) {
            Ok(event) => burst.extend(event),
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
        }
    }
    Some(burst)
}

/// Watches again each watched folder that changed as a whole: the watcher drops a folder
/// moved out of the hub and, as the root is watched alone, never picks up one moved or
/// made back in.
fn rearm(watcher: &mut RecommendedWatcher, root: &Path, changed: &[PathBuf]) {
    let folders = changed
        .iter()
        .filter(|p| WATCHED.iter().any(|w| *p == &root.join(w)));
    for folder in folders {
        // A folder still watched is watched anew; one gone is watched no more.
        let _ = watcher.unwatch(folder);
        if folder.is_dir()
            && let Err(e) = watcher.watch(folder, RecursiveMode::Recursive)
        {
            eprintln!("Cannot watch {}: {e}", folder.display());
        }
    }
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
        Err(errors) if server.built() => {
            eprintln!("{errors}\nStill serving the last good build.");
        }
        Err(errors) => eprintln!("{errors}\n{SERVING_ERRORS}"),
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
