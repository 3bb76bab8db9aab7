//! `podium init`: a new hub that builds as it is.

use std::path::Path;

use podium::scaffold::HUB;

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
    for (path, text) in HUB {
        let target = dir.join(path);
        if target.exists() {
            return Err(Failure::Usage(format!(
                "{} exists; not overwriting it",
                target.display()
            )));
        }
        let parent = target.parent().unwrap_or(dir);
        std::fs::create_dir_all(parent)
            .and_then(|()| std::fs::write(&target, text))
            .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", target.display())))?;
    }
    eprintln!("Created a new hub in {}.", dir.display());
    eprintln!("Next: cd {} && podium serve", dir.display());
    Ok(())
}
