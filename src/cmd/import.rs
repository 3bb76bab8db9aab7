//! `podium import`: other tools' exports into content files.

use std::path::Path;

use podium::diagnostics::Diagnostics;
use podium::import::members;

use super::Failure;
use crate::cli::ImportWhat;

/// Runs one importer.
pub fn run(root: &Path, what: ImportWhat) -> Result<(), Failure> {
    match what {
        ImportWhat::Members { csv, into, map } => import_members(root, &csv, &into, &map),
    }
}

/// Imports members; bad rows make the command fail (exit 1) after the good ones are written.
fn import_members(root: &Path, csv: &Path, into: &Path, map: &[String]) -> Result<(), Failure> {
    let maps = members::parse_maps(map).map_err(Failure::Usage)?;
    let into = root.join(into);
    let report = members::import(csv, &into, &maps).map_err(Failure::Usage)?;
    for column in &report.ignored_columns {
        eprintln!("note: column `{column}` is not a member field and was left out (use --map)");
    }
    for (row, file) in &report.existing {
        eprintln!(
            "note: row {row}: {} already exists, left unchanged",
            file.display()
        );
    }
    println!(
        "Imported {} new member{} into {} ({} already there, {} bad row{}).",
        report.created.len(),
        if report.created.len() == 1 { "" } else { "s" },
        into.display(),
        report.existing.len(),
        report.bad_rows.len(),
        if report.bad_rows.len() == 1 { "" } else { "s" },
    );
    if report.bad_rows.is_empty() {
        Ok(())
    } else {
        Err(Failure::Content(Diagnostics(report.bad_rows)))
    }
}
