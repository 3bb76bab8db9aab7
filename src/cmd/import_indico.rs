//! `podium import indico EXPORT.json --into DIR [--force] [--participants CSV]`.

use std::path::{Path, PathBuf};

use podium::diagnostics::{Diagnostic, Pos};
use podium::import::indico::{self, ImportError, IndicoOptions};

use super::Failure;

/// Imports the export into the event folder `into`, and says which files it wrote.
pub fn run(
    export: &Path,
    into: &Path,
    force: bool,
    participants: Option<PathBuf>,
) -> Result<(), Failure> {
    let options = IndicoOptions {
        export: export.to_path_buf(),
        into: into.to_path_buf(),
        force,
        participants,
    };
    let written = indico::import(&options).map_err(failure)?;
    for path in written {
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

/// A malformed export is a content error; refusing to overwrite is a usage error.
fn failure(e: ImportError) -> Failure {
    match e {
        ImportError::Input { file, message, at } => {
            let diagnostic = match at {
                Some((line, column)) => Diagnostic::at(file, Pos::new(line, column), message),
                None => Diagnostic::file(file, message),
            };
            Failure::Content(
                diagnostic
                    .with_hint("save the export again from Indico, or fix the value named here")
                    .into(),
            )
        }
        ImportError::WouldOverwrite(path) => Failure::Usage(format!(
            "{} already exists; pass --force to replace it",
            path.display()
        )),
        ImportError::Write(path, e) => {
            Failure::Content(Diagnostic::file(path, format!("cannot write: {e}")).into())
        }
    }
}
