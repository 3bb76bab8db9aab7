//! `podium init`: a new hub that builds as it is, in the user's zone, dated around today;
//! `--upgrade-workflow` moves an existing hub's deploy to this version of Podium.
//!
//! Everything is checked before anything is written, and the files are written into a
//! hidden folder first and moved into place at the end, so a refusal or a failed write
//! leaves the target as it was.

use std::path::{Path, PathBuf};

use jiff::tz::TimeZone;
use podium::scaffold::{self, Starter, WORKFLOW_PATH, starter_hub};

use super::Failure;

/// Writes the starter hub into `dir`, which must be empty or missing, with its times in
/// `timezone` (default: this machine's zone).
pub fn run(dir: &Path, timezone: Option<&str>) -> Result<(), Failure> {
    let (zone, tz) = match timezone {
        Some(name) => named_zone(name)?,
        None => machine_zone(),
    };
    check_empty(dir)?;
    let folder = folder_name(dir);
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let files = starter_hub(Starter {
        timezone: &zone,
        folder: &folder,
        today,
    });
    write_all(dir, &files)
        .map_err(|e| Failure::Usage(format!("cannot create the hub in {}: {e}", dir.display())))?;
    eprintln!("Created a new hub in {} (times in {zone}).", dir.display());
    if dir == Path::new(".") {
        eprintln!("Next: podium serve");
    } else {
        eprintln!("Next: cd {} && podium serve", dir.display());
    }
    Ok(())
}

/// The zone called `name`, under its canonical name; a usage error suggests a close one.
fn named_zone(name: &str) -> Result<(String, TimeZone), Failure> {
    match TimeZone::get(name) {
        Ok(tz) => Ok((tz.iana_name().unwrap_or(name).to_string(), tz)),
        Err(_) => {
            let hint = match zone_like(name) {
                Some(close) => format!("did you mean `{close}`?"),
                None => {
                    "use an IANA name such as `Europe/Zurich` or `America/Los_Angeles`".to_string()
                }
            };
            Err(Failure::Usage(format!(
                "unknown time zone `{name}` for --timezone\n  = help: {hint}"
            )))
        }
    }
}

/// The zone name closest to a misspelt or city-only `name` (`los angeles`).
fn zone_like(name: &str) -> Option<String> {
    let names: Vec<String> = jiff::tz::db()
        .available()
        .map(|n| n.as_str().to_string())
        .collect();
    let wanted = name.trim().replace(' ', "_");
    let city = names.iter().find(|n| {
        n.rsplit('/')
            .next()
            .is_some_and(|c| c.eq_ignore_ascii_case(&wanted))
    });
    city.map(String::as_str)
        .or_else(|| podium::diagnostics::suggest(&wanted, names.iter().map(String::as_str)))
        .map(str::to_string)
}

/// This machine's zone, or UTC (with a note) when it has no IANA name to write down.
fn machine_zone() -> (String, TimeZone) {
    let found = TimeZone::try_system()
        .ok()
        .and_then(|tz| Some((tz.iana_name()?.to_string(), tz)));
    found.unwrap_or_else(|| {
        eprintln!(
            "note: this machine's time zone has no IANA name; the hub uses UTC. Set \
             `timezone` in config.toml, or run `podium init --timezone ZONE`."
        );
        ("UTC".to_string(), TimeZone::UTC)
    })
}

/// Refuses anything at `dir` but an empty folder.
fn check_empty(dir: &Path) -> Result<(), Failure> {
    let refuse = |why: String| {
        Failure::Usage(format!(
            "`{}` {why}; `podium init` only writes into an empty or new folder",
            dir.display()
        ))
    };
    match std::fs::read_dir(dir) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(first) => {
                let name = first
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .unwrap_or_default();
                Err(refuse(format!("is not empty (it holds `{name}`)")))
            }
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() && !dir.is_dir() => Err(refuse("is a file".into())),
        Err(e) => Err(refuse(format!("cannot be read ({e})"))),
    }
}

/// The name the folder will have, even when it is given as `.`.
fn folder_name(dir: &Path) -> String {
    std::path::absolute(dir)
        .ok()
        .as_deref()
        .map(normalised)
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// `path` without `.` and `..` components, so `my-hub/.` is named `my-hub`.
fn normalised(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Writes `files` under a hidden folder in `dir`, then moves them up into `dir`; on failure
/// removes what it wrote, and `dir` itself if it made it.
fn write_all(dir: &Path, files: &[(&str, String)]) -> std::io::Result<()> {
    let made = !dir.exists();
    std::fs::create_dir_all(dir)?;
    // Inside `dir`, not beside it: the folder may be the shell's current one (so it must
    // stay the same folder) and its parent may not be writable.
    let stage = tempfile::Builder::new()
        .prefix(".podium-init-")
        .tempdir_in(dir)?;
    let written = stage_and_move(stage.path(), dir, files);
    if written.is_err() && made {
        drop(stage);
        let _ = std::fs::remove_dir_all(dir);
    }
    written
}

fn stage_and_move(stage: &Path, dir: &Path, files: &[(&str, String)]) -> std::io::Result<()> {
    for (path, text) in files {
        let target = stage.join(path);
        std::fs::create_dir_all(target.parent().unwrap_or(stage))?;
        std::fs::write(&target, text)?;
    }
    for entry in std::fs::read_dir(stage)? {
        let entry = entry?;
        std::fs::rename(entry.path(), dir.join(entry.file_name()))?;
    }
    Ok(())
}

/// Rewrites the GitHub Pages workflow of the hub in `dir` (and nothing else) so that it
/// installs this version of Podium.
pub fn upgrade_workflow(dir: &Path) -> Result<(), Failure> {
    if !dir.join("config.toml").is_file() {
        return Err(Failure::Usage(format!(
            "{} is not a hub (it has no config.toml); give the hub's folder, or run `podium init` to make one",
            dir.display()
        )));
    }
    let target = dir.join(WORKFLOW_PATH);
    let before = std::fs::read_to_string(&target).ok();
    let after = scaffold::workflow();
    let version = env!("CARGO_PKG_VERSION");
    if before.as_deref() == Some(after.as_str()) {
        eprintln!("{WORKFLOW_PATH} already deploys with Podium {version}.");
        return Ok(());
    }
    target
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(&target, &after))
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", target.display())))?;
    let was = before
        .as_deref()
        .and_then(pinned_version)
        .map_or(String::new(), |v| format!(" (it had {v})"));
    eprintln!("Rewrote {WORKFLOW_PATH} to deploy with Podium {version}{was}.");
    eprintln!("Commit and push it; the next deploy installs that version.");
    Ok(())
}

/// The Podium version a workflow written by `podium init` pins, if it pins one.
fn pinned_version(workflow: &str) -> Option<&str> {
    workflow.lines().find_map(|line| {
        let value = line.trim().strip_prefix("PODIUM_VERSION:")?;
        Some(value.trim().trim_matches('"'))
    })
}
