//! Reading the hub's folders: the one walk every source folder goes through.
//!
//! Owns the rule that nothing from outside the hub is published. A symlink is followed only
//! when what it leads to lies inside the hub's folder and is not hidden (so `.git/` is never
//! reached); any other link is an error naming it, as is anything that cannot be read (a
//! folder without permission, a dangling link, a pipe or device). Content, bundles, `static/`,
//! `templates/`, `themes/` and member photos all come through here, so the rule is the same
//! everywhere, and a file is never silently left out.

use std::path::{Component, Path, PathBuf};

use walkdir::WalkDir;

use crate::diagnostics::{Diagnostic, relative};

/// One file or folder found under a walked folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Its path: the walked folder joined with the names that lead to it (links unresolved).
    pub path: PathBuf,
    pub is_dir: bool,
}

/// What a walk found, in walk order, and the problems that kept anything out.
#[derive(Debug, Default)]
pub struct Walked {
    pub found: Vec<Found>,
    pub errors: Vec<Diagnostic>,
}

impl Walked {
    /// The files found (not folders), with their paths relative to the walked folder.
    pub fn files(&self, dir: &Path) -> impl Iterator<Item = (PathBuf, &Path)> {
        self.found
            .iter()
            .filter(|f| !f.is_dir)
            .map(move |f| (relative(dir, &f.path), f.path.as_path()))
    }
}

/// Walks `dir` (a folder of the hub at `root`), leaving out names `skip` picks (below `dir`
/// itself) and refusing links that lead out of the hub, `dir` itself included (it may lie
/// in a linked folder: `themes/NAME/static`). A folder that does not exist holds nothing.
pub fn walk(root: &Path, dir: &Path, skip: fn(&str) -> bool) -> Walked {
    if dir.symlink_metadata().is_err() {
        return Walked::default();
    }
    if let Err(refused) = resolve(root, dir) {
        return Walked {
            found: Vec::new(),
            errors: vec![refused],
        };
    }
    walk_within(root, dir, skip)
}

/// Like [`walk`], for a folder found by a walk (a bundle's), whose own place that walk
/// checked: resolving it again would repeat a few system calls per bundle, for nothing.
pub fn walk_within(root: &Path, dir: &Path, skip: fn(&str) -> bool) -> Walked {
    let mut walked = Walked::default();
    let mut refused = Vec::new();
    // Links are followed by the walk (which also catches loops), but each is checked
    // before anything behind it is taken.
    let entries = WalkDir::new(dir)
        .follow_links(true)
        .into_iter()
        .filter_entry(|e| {
            if e.depth() > 0 && skip(&e.file_name().to_string_lossy()) {
                return false;
            }
            let refusal = e.path_is_symlink().then(|| check_link(root, e.path()));
            match refusal {
                Some(Err(d)) => {
                    refused.push(d);
                    false
                }
                _ => true,
            }
        });
    for entry in entries {
        match entry {
            Ok(e) if e.depth() == 0 => {}
            Ok(e) if e.file_type().is_dir() || e.file_type().is_file() => {
                walked.found.push(Found {
                    is_dir: e.file_type().is_dir(),
                    path: e.into_path(),
                });
            }
            Ok(e) => walked.errors.push(
                Diagnostic::file(
                    relative(root, e.path()),
                    "cannot read: it is a pipe, socket or device, not a file",
                )
                .with_hint("remove it from the hub: only files and folders are published"),
            ),
            // The walk follows links before the filter sees them: a skipped name (an
            // editor's lock file is a dangling link) must not fail the build.
            Err(e) if skipped(&e, skip) => {}
            Err(e) => walked.errors.push(walk_error(root, &e)),
        }
    }
    walked.errors.extend(refused);
    walked.found.sort_by_cached_key(|f| walk_order(&f.path));
    walked
}

/// Refuses the file at `path` (named by a page, such as a member's photo) unless, with
/// links and `..` resolved, it is a file inside the hub at `root` and not hidden.
pub fn check_file(root: &Path, path: &Path) -> Result<(), Diagnostic> {
    let target = resolve(root, path)?;
    if !target.is_file() {
        return Err(cannot_read(root, path, "it is not a file"));
    }
    Ok(())
}

/// The files of `sources` (under the hub at `root`) that cannot be opened for reading: a
/// walk sees names, not permissions, and `check` writes nothing that would find out.
pub fn unreadable<'a>(root: &Path, sources: impl Iterator<Item = &'a Path>) -> Vec<Diagnostic> {
    let mut unreadable: Vec<Diagnostic> = sources
        .filter_map(|f| {
            let opened = std::fs::File::open(f);
            opened.err().map(|e| cannot_read(root, f, &e.to_string()))
        })
        .collect();
    // A file copied to two places (a theme asset the hub overrides) is named once.
    unreadable.sort();
    unreadable.dedup();
    unreadable
}

/// Refuses the symlink at `link` unless what it leads to is inside the hub at `root` and
/// not hidden.
pub fn check_link(root: &Path, link: &Path) -> Result<(), Diagnostic> {
    resolve(root, link).map(drop)
}

/// Where `path` really is, if that is a place of the hub Podium may read.
fn resolve(root: &Path, path: &Path) -> Result<PathBuf, Diagnostic> {
    let source = relative(root, path);
    let target = std::fs::canonicalize(path).map_err(|e| match std::fs::read_link(path) {
        Ok(to) => Diagnostic::file(
            &source,
            format!("is a symlink to {}, which does not exist", to.display()),
        )
        .with_hint("remove the link, or make it point at a file inside the hub"),
        Err(_) => cannot_read(root, path, &e.to_string()),
    })?;
    let real_root =
        std::fs::canonicalize(root).map_err(|e| cannot_read(root, root, &e.to_string()))?;
    let Ok(inside) = target.strip_prefix(&real_root) else {
        return Err(Diagnostic::file(
            &source,
            format!("leads to {}, outside the hub", target.display()),
        )
        .with_hint(
            "copy the file into the hub instead of linking to it: nothing outside the hub's folder is published",
        ));
    };
    if inside.components().any(is_hidden) {
        return Err(Diagnostic::file(
            &source,
            format!("leads to {}, a hidden file of the hub", inside.display()),
        )
        .with_hint("hidden files (such as .git/) are never published; copy the file instead"));
    }
    Ok(target)
}

fn is_hidden(part: Component) -> bool {
    part.as_os_str().as_encoded_bytes().starts_with(b".")
}

/// "FILE: cannot read: why", with the usual way out.
pub fn cannot_read(root: &Path, path: &Path, why: &str) -> Diagnostic {
    Diagnostic::file(relative(root, path), format!("cannot read: {why}"))
        .with_hint("check its permissions (Podium must be able to read it), or remove it")
}

/// Whether a failed walk entry is one the walk would have left out anyway.
fn skipped(e: &walkdir::Error, skip: fn(&str) -> bool) -> bool {
    e.depth() > 0
        && e.path()
            .and_then(Path::file_name)
            .is_some_and(|n| skip(&n.to_string_lossy()))
}

fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().unwrap_or(root);
    if e.loop_ancestor().is_some() {
        return Diagnostic::file(
            relative(root, path),
            "cannot read: it is a symlink that leads back to a folder holding it",
        )
        .with_hint("remove the link: a folder cannot hold itself");
    }
    if path.is_symlink()
        && let Err(d) = check_link(root, path)
    {
        return d;
    }
    let why = e
        .io_error()
        .map_or_else(|| e.to_string(), ToString::to_string);
    cannot_read(root, path, &why)
}

/// A key that sorts paths as a walk sorted by name visits them: a folder before what it
/// holds, and the names in one folder in byte order (`a/x` before `a-b`).
pub fn walk_order(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 1);
    for part in path.components() {
        key.extend_from_slice(part.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_that_cannot_be_opened_is_named_once() {
        let tmp = tempfile::tempdir().unwrap();
        let here = tmp.path().join("a.css");
        std::fs::write(&here, "a").unwrap();
        let gone = tmp.path().join("static/gone.css");
        let files = [here.as_path(), gone.as_path(), gone.as_path()];
        let found = unreadable(tmp.path(), files.into_iter());
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].file, Path::new("static/gone.css"));
        assert!(
            found[0].message.starts_with("cannot read: "),
            "{}",
            found[0]
        );
    }
}
