//! `podium import members`: a sign-up form's CSV export into member files.

use std::path::Path;

use podium::diagnostics::Diagnostics;
use podium::import::members;

use super::Failure;

/// Imports members; bad rows make the command fail (exit 1) after the good ones are written.
pub fn run(csv: &Path, into: &Path, map: &[String]) -> Result<(), Failure> {
    let maps = members::parse_maps(map).map_err(Failure::Usage)?;
    let report = members::import(csv, into, &maps).map_err(Failure::Usage)?;
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
