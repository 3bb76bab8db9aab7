//! `podium import`: other tools' exports into content files.

use std::path::Path;

use super::Failure;
use crate::cli::ImportWhat;

/// Runs one importer; relative paths are taken from the hub root (`--root`).
pub fn run(root: &Path, what: ImportWhat) -> Result<(), Failure> {
    match what {
        ImportWhat::Members { csv, into, map } => {
            super::import_members::run(&root.join(csv), &root.join(into), &map)
        }
    }
}
