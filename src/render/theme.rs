//! Themes: where templates and theme assets come from.
//!
//! A theme is `themes/NAME/` with `templates/` and `static/`. The default theme, `hub`, is also
//! compiled into the binary, so a new hub needs no copy of it. A hub overrides any template by
//! putting a file of the same name in its own `templates/` (and any asset in its `static/`).

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::content::{is_editor_file, is_ignored, slash_path};
use crate::diagnostics::{Diagnostic, Diagnostics, relative};
use crate::output::Body;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_theme.rs"));
}

/// A template, by the name other templates and pages use for it.
pub struct TemplateFile {
    pub name: String,
    pub text: String,
    /// Where it came from, for messages.
    pub source: PathBuf,
}

/// The templates and assets in force for a hub.
pub struct Theme {
    pub templates: Vec<TemplateFile>,
    /// Theme assets: (site path, contents).
    pub statics: Vec<(String, Body)>,
}

impl Theme {
    /// Loads theme `name` for the hub at `root`, with the hub's template overrides applied.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Diagnostics> {
        let dir = root.join("themes").join(name);
        let mut theme = if dir.is_dir() {
            Theme::from_dir(root, &dir)?
        } else if name == "hub" {
            Theme::embedded()
        } else {
            return Err(Diagnostic::file(
                "config.toml",
                format!("theme `{name}` not found in themes/{name}/"),
            )
            .with_hint("remove `theme` to use the built-in `hub` theme")
            .into());
        };
        theme.override_templates(root, &root.join("templates"))?;
        Ok(theme)
    }

    fn from_dir(root: &Path, dir: &Path) -> Result<Theme, Diagnostics> {
        let mut theme = Theme {
            templates: Vec::new(),
            statics: Vec::new(),
        };
        theme.override_templates(root, &dir.join("templates"))?;
        theme.statics = static_files_under(&dir.join("static"))
            .into_iter()
            .map(|(site_path, abs)| (site_path, Body::File(abs)))
            .collect();
        Ok(theme)
    }

    fn embedded() -> Theme {
        let mut theme = Theme {
            templates: Vec::new(),
            statics: Vec::new(),
        };
        for (path, bytes) in embedded::FILES {
            if let Some(name) = path.strip_prefix("templates/") {
                theme.templates.push(TemplateFile {
                    name: name.to_string(),
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    source: PathBuf::from(format!("(built-in theme)/{path}")),
                });
            } else if let Some(site_path) = path.strip_prefix("static/") {
                theme
                    .statics
                    .push((site_path.to_string(), Body::Bytes(bytes.to_vec())));
            }
        }
        theme
    }

    /// Templates under `dir` replace those of the same name.
    fn override_templates(&mut self, root: &Path, dir: &Path) -> Result<(), Diagnostics> {
        let mut errors = Diagnostics::default();
        for (name, abs) in files_under(dir) {
            match std::fs::read_to_string(&abs) {
                Ok(text) => {
                    self.templates.retain(|t| t.name != name);
                    self.templates.push(TemplateFile {
                        name,
                        text,
                        source: relative(root, &abs),
                    });
                }
                Err(e) => errors.push(Diagnostic::file(
                    relative(root, &abs),
                    format!("cannot read template: {e}"),
                )),
            }
        }
        self.templates.sort_by(|a, b| a.name.cmp(&b.name));
        errors.into_result()
    }

    /// The file a template came from, for messages.
    pub fn source_of(&self, name: &str) -> PathBuf {
        self.templates
            .iter()
            .find(|t| t.name == name)
            .map_or_else(|| PathBuf::from(name), |t| t.source.clone())
    }
}

/// Every file under `dir` as (path relative to `dir` with `/`, absolute path), sorted,
/// without hidden files (templates).
pub fn files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    walk_files(dir, is_ignored)
}

/// Like [`files_under`], but keeping hidden files such as `.well-known/` (static files are
/// copied as they are); only editors' droppings are left out.
pub fn static_files_under(dir: &Path) -> Vec<(String, PathBuf)> {
    walk_files(dir, is_editor_file)
}

fn walk_files(dir: &Path, skip: fn(&str) -> bool) -> Vec<(String, PathBuf)> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip(e.file_name().to_string_lossy().as_ref()))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| (slash_path(&relative(dir, e.path())), e.path().to_path_buf()))
        .collect()
}
