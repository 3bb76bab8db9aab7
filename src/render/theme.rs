//! Themes: where templates and theme assets come from.
//!
//! A theme is `themes/NAME/` with `templates/` and `static/`. The default theme, `hub`, is also
//! compiled into the binary, so a new hub needs no copy of it. A hub overrides any template by
//! putting a file of the same name in its own `templates/` (and any asset in its `static/`).

use std::path::{Path, PathBuf};

use crate::content::{is_editor_file, is_ignored, slash_path};
use crate::diagnostics::{Diagnostic, Diagnostics, relative};
use crate::hub_files;
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
        let mut errors = Diagnostics::default();
        let mut theme = if dir.is_dir() {
            Theme::from_dir(root, &dir, &mut errors)
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
        theme.override_templates(root, &root.join("templates"), &mut errors);
        errors.into_result()?;
        Ok(theme)
    }

    /// The theme in `dir`; what cannot be read goes to `errors`.
    fn from_dir(root: &Path, dir: &Path, errors: &mut Diagnostics) -> Theme {
        let mut theme = Theme {
            templates: Vec::new(),
            statics: Vec::new(),
        };
        theme.override_templates(root, &dir.join("templates"), errors);
        let statics = static_files_under(root, &dir.join("static"));
        errors.extend(statics.errors);
        theme.statics = statics
            .files
            .into_iter()
            .map(|(site_path, abs)| (site_path, Body::File(abs)))
            .collect();
        theme
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

    /// Templates under `dir` replace those of the same name; what cannot be read goes to
    /// `errors`.
    fn override_templates(&mut self, root: &Path, dir: &Path, errors: &mut Diagnostics) {
        let listed = files_under(root, dir);
        errors.extend(listed.errors);
        for (name, abs) in listed.files {
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
    }

    /// The file a template came from, for messages.
    pub fn source_of(&self, name: &str) -> PathBuf {
        self.templates
            .iter()
            .find(|t| t.name == name)
            .map_or_else(|| PathBuf::from(name), |t| t.source.clone())
    }
}

/// The files found under a folder of the hub, and what kept any out.
pub struct Listed {
    /// (path relative to the folder with `/`, absolute path), sorted.
    pub files: Vec<(String, PathBuf)>,
    pub errors: Vec<Diagnostic>,
}

/// Every file under `dir` (in the hub at `root`), without hidden files (templates).
pub fn files_under(root: &Path, dir: &Path) -> Listed {
    walk_files(root, dir, is_ignored)
}

/// Like [`files_under`], but keeping hidden files such as `.well-known/` (static files are
/// copied as they are); only editors' droppings are left out.
pub fn static_files_under(root: &Path, dir: &Path) -> Listed {
    walk_files(root, dir, is_editor_file)
}

fn walk_files(root: &Path, dir: &Path, skip: fn(&str) -> bool) -> Listed {
    let walked = hub_files::walk(root, dir, skip);
    let files = walked.files(dir);
    let files = files.map(|(rel, abs)| (slash_path(&rel), abs.to_path_buf()));
    Listed {
        files: files.collect(),
        errors: walked.errors,
    }
}
