//! `participants.csv`: the registrants list (`name`, `affiliation` columns), in the file's
//! order, which is the order the organisers chose.

use std::path::Path;

use super::Person;
use crate::diagnostics::{Diagnostic, Pos, relative};

/// Reads the list; a missing `name` column or a malformed row is an error with its line.
pub fn load(root: &Path, path: &Path) -> Result<Vec<Person>, Diagnostic> {
    let file = relative(root, path);
    let hint = "the file needs a header row `name,affiliation`, then one person a line";
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_path(path)
        .map_err(|e| Diagnostic::file(&file, format!("cannot read: {e}")))?;
    let headers = reader
        .headers()
        .map_err(|e| Diagnostic::at(&file, Pos::new(1, 1), e.to_string()).with_hint(hint))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let name_col = column("name")
        .ok_or_else(|| Diagnostic::at(&file, Pos::new(1, 1), "no `name` column").with_hint(hint))?;
    let affiliation_col = column("affiliation");
    let mut people = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line() as usize);
            Diagnostic::at(&file, Pos::new(line, 0), e.to_string()).with_hint(hint)
        })?;
        let field = |i: usize| record.get(i).map(str::trim).unwrap_or_default();
        let name = field(name_col);
        if name.is_empty() {
            continue;
        }
        people.push(Person {
            name: name.to_string(),
            affiliation: affiliation_col
                .map(field)
                .filter(|a| !a.is_empty())
                .map(str::to_string),
        });
    }
    Ok(people)
}
