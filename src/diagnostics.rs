//! Diagnostics: the errors a build reports to people.
//!
//! Every problem found while loading or rendering a hub becomes a [`Diagnostic`] with a file,
//! a line and a column, so a coordinator can jump straight to it. A build collects all of
//! them before giving up, because fixing one error per run is a miserable loop.

use std::fmt;
use std::path::{Path, PathBuf};

/// One problem, located in a source file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// Path relative to the hub root, as the user would type it.
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column; 0 when unknown.
    pub column: usize,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A problem at a position in `file`.
    pub fn at(file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.into(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            hint: None,
        }
    }

    /// A problem with a whole file (unreadable, missing, …).
    pub fn file(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Self::at(file, Pos::default(), message)
    }

    /// Adds the "how to fix it" line.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        match (self.line, self.column) {
            (0, _) => write!(f, "error: {file}: {}", self.message)?,
            (l, 0) => write!(f, "error: {file}:{l}: {}", self.message)?,
            (l, c) => write!(f, "error: {file}:{l}:{c}: {}", self.message)?,
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// A 1-based line and column in a source file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    /// A position from 1-based line and column.
    pub fn new(line: usize, column: usize) -> Self {
        Pos { line, column }
    }

    /// The position of byte `offset` in `text`, counting columns in characters.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = offset.min(text.len());
        let before = &text[..text.floor_char_boundary(offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        Pos::new(line, before[line_start..].chars().count() + 1)
    }

    /// This position moved down by `lines` (for text embedded further down a file).
    pub fn shifted(self, lines: usize) -> Self {
        Pos::new(self.line + lines, self.column)
    }
}

/// The failure of a whole build: every diagnostic found, in a stable order.
#[derive(Debug, Default)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Records a problem.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Whether nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Turns the collected problems into `Err` when there are any.
    pub fn into_result(mut self) -> Result<(), Diagnostics> {
        if self.0.is_empty() {
            Ok(())
        } else {
            self.0.sort();
            self.0.dedup();
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl Extend<Diagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = Diagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(f, "{n} error{} found", if n == 1 { "" } else { "s" })
    }
}

impl std::error::Error for Diagnostics {}

/// The closest of `candidates` to a misspelt `name`, if any is close enough to be a likely typo.
pub fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(name, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `path` relative to `root`, for messages.
pub fn relative(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// `d` said as a warning: a problem that does not stop the build, with the same location
/// and help as an error.
pub fn warning_text(d: &Diagnostic) -> String {
    let text = d.to_string();
    match text.strip_prefix("error: ") {
        Some(rest) => format!("warning: {rest}"),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_become_line_and_column() {
        let text = "a = 1\nbé = 2\n";
        assert_eq!(Pos::of_offset(text, 0), Pos::new(1, 1));
        assert_eq!(Pos::of_offset(text, 6), Pos::new(2, 1));
        // "bé " is 4 bytes but 3 characters.
        assert_eq!(Pos::of_offset(text, 10), Pos::new(2, 4));
    }

    #[test]
    fn typos_get_suggestions_and_nonsense_does_not() {
        let known = ["location", "title", "date"];
        assert_eq!(suggest("locaton", known), Some("location"));
        assert_eq!(suggest("zzz", known), None);
    }

    #[test]
    fn display_is_compiler_style() {
        let d = Diagnostic::at("content/a.md", Pos::new(4, 9), "bad").with_hint("fix it");
        assert_eq!(
            d.to_string(),
            "error: content/a.md:4:9: bad\n  = help: fix it"
        );
    }
}
