//! `podium import indico …`.

use std::path::Path;

use podium::diagnostics::Diagnostic;
use podium::import::{self, ImportError, IndicoOptions};

use super::Failure;
use crate::cli::ImportWhat;

/// Runs an importer; relative paths are taken from the hub root (`--root`).
pub fn run(root: &Path, what: ImportWhat) -> Result<(), Failure> {
    match what {
        ImportWhat::Indico {
            export,
            into,
            force,
            participants,
        } => {
            let options = IndicoOptions {
                export: root.join(export),
                into: root.join(into),
                force,
                participants: participants.map(|p| root.join(p)),
            };
            let written = import::indico(&options).map_err(failure)?;
            for path in written {
                eprintln!("wrote {}", path.display());
            }
            Ok(())
        }
    }
}

/// A malformed export is a content error; refusing to overwrite is a usage error.
fn failure(e: ImportError) -> Failure {
    match e {
        ImportError::Input { file, message } => Failure::Content(
            Diagnostic::file(file, message)
                .with_hint("save the export again from Indico, or fix the value named here")
                .into(),
        ),
        ImportError::WouldOverwrite(path) => Failure::Usage(format!(
            "{} already exists; pass --force to replace it",
            path.display()
        )),
        ImportError::Write(path, e) => {
            Failure::Content(Diagnostic::file(path, format!("cannot write: {e}")).into())
        }
    }
}
