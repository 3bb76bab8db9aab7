//! `podium init`: a new hub that builds as it is; `--upgrade-workflow` moves an existing
//! hub's deploy to this version of Podium.

use std::path::Path;

use podium::scaffold::{self, WORKFLOW_PATH};

use super::Failure;

/// Writes the starter hub into `dir`, which must be empty or missing.
pub fn run(dir: &Path) -> Result<(), Failure> {
    let occupied = std::fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if occupied && dir.join("config.toml").exists() {
        return Err(Failure::Usage(format!(
            "{} already holds a hub (config.toml exists)",
            dir.display()
        )));
    }
    for (path, text) in scaffold::hub_files() {
        let target = dir.join(path);
        if target.exists() {
            return Err(Failure::Usage(format!(
                "{} exists; not overwriting it",
                target.display()
            )));
        }
        write(&target, &text)?;
    }
    eprintln!("Created a new hub in {}.", dir.display());
    eprintln!("Next: cd {} && podium serve", dir.display());
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
    write(&target, &after)?;
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

/// Writes `text` to `target`, making its folders.
fn write(target: &Path, text: &str) -> Result<(), Failure> {
    target
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| std::fs::write(target, text))
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", target.display())))
}
