//! `podium new`: a content file with its front matter filled in, in the right section.

use std::path::Path;

use podium::config::Config;
use podium::content::{SectionFront, SectionKind};
use podium::front_matter;
use podium::scaffold::{NewKind, new_file};

use super::Failure;
use crate::cli;

/// Creates the file and prints its path.
pub fn run(root: &Path, kind: cli::NewKind, title: &str) -> Result<(), Failure> {
    if podium::content::slugify(title).is_empty() {
        return Err(Failure::Usage(format!(
            "the title `{title}` has no letters or digits to make a file name from"
        )));
    }
    let config = Config::load(root)?;
    let (kind, section_kind) = match kind {
        cli::NewKind::Post => (NewKind::Post, SectionKind::Posts),
        cli::NewKind::Seminar => (NewKind::Seminar, SectionKind::Seminars),
        cli::NewKind::Member => (NewKind::Member, SectionKind::Members),
        cli::NewKind::Event => (NewKind::Event, SectionKind::Events),
    };
    let folder = section_folder(&root.join("content"), section_kind).ok_or_else(|| {
        Failure::Usage(format!(
            "no section with `kind = \"{}\"` under content/: create its _index.md first",
            serde_json::to_value(section_kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ))
    })?;
    let tz = jiff::tz::TimeZone::get(&config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let today = jiff::Timestamp::now().to_zoned(tz).date();
    let (name, text) = new_file(kind, title, today);
    let target = folder.join(name);
    if target.exists() {
        return Err(Failure::Usage(format!(
            "{} already exists",
            target.display()
        )));
    }
    std::fs::create_dir_all(target.parent().unwrap_or(&folder))
        .and_then(|()| std::fs::write(&target, text))
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", target.display())))?;
    println!("{}", target.display());
    Ok(())
}

/// The first section folder (in name order) whose `_index.md` declares `kind`.
fn section_folder(content: &Path, kind: SectionKind) -> Option<std::path::PathBuf> {
    let mut indexes: Vec<_> = walkdir::WalkDir::new(content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "_index.md")
        .collect();
    indexes.sort_by_key(|e| e.depth());
    indexes.into_iter().find_map(|e| {
        let text = std::fs::read_to_string(e.path()).ok()?;
        let split = front_matter::split(e.path(), &text).ok()?;
        let front: SectionFront = toml::Value::Table(split.table).try_into().ok()?;
        (front.kind == kind)
            .then(|| e.path().parent().map(Path::to_path_buf))
            .flatten()
    })
}
