//! Serve: the local preview server behind `podium serve`.
//!
//! Owns the dev loop: watching the hub's folders, rebuilding when a file changes, holding
//! the last good site in memory, and telling open browsers what changed (Server-Sent Events
//! on the same port). The site is served from memory only, so no request can ever reach a
//! file outside it, whatever the path says.

mod http;
mod watch;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::diagnostics::Diagnostics;
use crate::output::Output;
use crate::site::{self, BuildOptions};

pub use http::router;
pub use watch::watch;

/// One built site, as the server holds it.
#[derive(Default)]
pub struct Snapshot {
    /// Site path (`news/index.html`) → bytes.
    pub files: HashMap<String, Arc<[u8]>>,
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
}

impl Server {
    /// Builds the site for serving at `addr`; the first build must succeed to start.
    pub fn start(mut options: BuildOptions, addr: SocketAddr) -> Result<Arc<Server>, Diagnostics> {
        let config = crate::config::Config::load(&options.root)?;
        options.base_url = Some(format!("http://{addr}{}", config.base_path()));
        // "Now" is fixed when serving starts: with the clock, every rebuild would restamp
        // every calendar feed, and each edit would look like a change to the whole site.
        if options.now.is_none() {
            options.now = Some(jiff::Timestamp::now().to_string());
        }
        let built = site::build(&options)?;
        let snapshot = snapshot_of(&built.output, config.base_path())?;
        let (changes, _) = broadcast::channel(64);
        Ok(Arc::new(Server {
            snapshot: RwLock::new(snapshot),
            changes,
            options,
        }))
    }

    /// Rebuilds and, when the build succeeds, swaps the new site in and tells the browsers
    /// what changed. A failed build keeps the last good site served.
    pub fn rebuild(&self) -> Result<Change, Diagnostics> {
        let result = site::build(&self.options).and_then(|built| {
            let base = self
                .snapshot
                .read()
                .expect("snapshot lock")
                .base_path
                .clone();
            snapshot_of(&built.output, &base)
        });
        let change = match result {
            Ok(next) => {
                let mut current = self.snapshot.write().expect("snapshot lock");
                let change = diff(&current, &next);
                *current = next;
                change
            }
            Err(errors) => {
                let message = errors.to_string();
                self.snapshot.write().expect("snapshot lock").error = Some(message.clone());
                let _ = self.changes.send(Change::Error { message });
                return Err(errors);
            }
        };
        let _ = self.changes.send(change.clone());
        Ok(change)
    }
}

fn snapshot_of(output: &Output, base_path: &str) -> Result<Snapshot, Diagnostics> {
    let mut files = HashMap::with_capacity(output.files.len());
    for (path, body) in &output.files {
        let bytes = body
            .read()
            .map_err(|e| crate::diagnostics::Diagnostic::file(path, format!("cannot read: {e}")))?;
        files.insert(path.clone(), Arc::from(bytes.into_owned()));
    }
    Ok(Snapshot {
        files,
        base_path: base_path.to_string(),
        error: None,
    })
}

/// What changed between two builds, as browsers need to know it.
fn diff(old: &Snapshot, new: &Snapshot) -> Change {
    let mut changed: Vec<&String> = new
        .files
        .iter()
        .filter(|(path, bytes)| old.files.get(*path) != Some(*bytes))
        .map(|(path, _)| path)
        .chain(old.files.keys().filter(|p| !new.files.contains_key(*p)))
        .collect();
    changed.sort();
    if !changed.is_empty() && changed.iter().all(|p| p.ends_with(".css")) {
        return Change::Css;
    }
    let all = changed
        .iter()
        .any(|p| !p.ends_with(".html") && !p.ends_with(".css"));
    let paths = changed
        .iter()
        .map(|p| format!("{}{p}", new.base_path))
        .collect();
    Change::Reload {
        paths,
        all: all || old.error.is_some(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn snap(files: &[(&str, &str)]) -> Snapshot {
        Snapshot {
            files: files
                .iter()
                .map(|(p, b)| (p.to_string(), Arc::from(b.as_bytes())))
                .collect(),
            base_path: "/hub/".into(),
            error: None,
        }
    }

    #[test]
    fn only_changed_pages_are_reloaded() {
        let old = snap(&[("a/index.html", "1"), ("b/index.html", "1")]);
        let new = snap(&[("a/index.html", "2"), ("b/index.html", "1")]);
        assert_eq!(
            diff(&old, &new),
            Change::Reload {
                paths: vec!["/hub/a/index.html".into()],
                all: false
            }
        );
    }

    #[test]
    fn a_stylesheet_alone_is_swapped_not_reloaded() {
        let old = snap(&[("style.css", "a"), ("index.html", "x")]);
        let new = snap(&[("style.css", "b"), ("index.html", "x")]);
        assert_eq!(diff(&old, &new), Change::Css);
    }
}
