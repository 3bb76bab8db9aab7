//! `podium new`: a content file with its front matter filled in, in the right section.

use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use podium::config::Config;
use podium::content::{SectionFront, SectionKind};
use podium::front_matter;
use podium::scaffold::{NewKind, NewSpec, new_file};
use podium::time::{When, parse_when};

use super::Failure;
use crate::cli;

/// What was asked for on the command line.
pub struct Request<'a> {
    pub kind: cli::NewKind,
    pub title: &'a str,
    /// `--start`: a talk's start, or an event's first day.
    pub start: Option<&'a str>,
    /// `--series`: a talk's series slug.
    pub series: Option<&'a str>,
    /// `--bundle`: a folder with `index.md`.
    pub bundle: bool,
}

/// A section found for the new file: its folder and its `_index.md` front matter.
struct Section {
    folder: PathBuf,
    index: PathBuf,
    raw: String,
    table: toml::Table,
}

/// Creates the file and prints its path.
pub fn run(root: &Path, req: &Request) -> Result<(), Failure> {
    if podium::content::slugify(req.title).is_empty() {
        return Err(Failure::Usage(format!(
            "the title `{}` has no letters or digits to make a file name from",
            req.title
        )));
    }
    let kind = kind_of(req)?;
    let config = Config::load(root)?;
    let section = find_section(root, kind)?;
    let tz = TimeZone::get(&config.timezone).unwrap_or(TimeZone::UTC);
    let (start, date) = start_of(req.start, kind, &tz)?;
    let choices = match kind {
        NewKind::Seminar => series_of(&section, root, &config),
        NewKind::Member => categories_of(&section),
        NewKind::Post | NewKind::Event => Vec::new(),
    };
    if let Some(slug) = req.series {
        check_series(slug, &choices, &section.index, root)?;
    }
    let (name, text) = new_file(&NewSpec {
        kind,
        title: req.title,
        date,
        start: &start,
        series: req.series,
        choices: &choices,
        bundle: req.bundle,
    });
    let target = section.folder.join(name);
    if target.exists() {
        return Err(Failure::Usage(format!(
            "{} already exists",
            target.display()
        )));
    }
    std::fs::create_dir_all(target.parent().unwrap_or(&section.folder))
        .and_then(|()| std::fs::write(&target, text))
        .map_err(|e| Failure::Usage(format!("cannot write {}: {e}", target.display())))?;
    println!("{}", target.display());
    Ok(())
}

/// The kind to make, once the flags are known to fit it.
fn kind_of(req: &Request) -> Result<NewKind, Failure> {
    let kind = match req.kind {
        cli::NewKind::Post => NewKind::Post,
        cli::NewKind::Seminar => NewKind::Seminar,
        cli::NewKind::Member => NewKind::Member,
        cli::NewKind::Event => NewKind::Event,
    };
    let misfit = match kind {
        NewKind::Seminar => None,
        _ if req.series.is_some() => Some("--series is for `podium new seminar`"),
        NewKind::Post | NewKind::Member if req.start.is_some() => {
            Some("--start is for `podium new seminar` and `podium new event`")
        }
        _ => None,
    };
    match misfit {
        Some(why) => Err(Failure::Usage(why.to_string())),
        None => Ok(kind),
    }
}

/// A talk's `start` value and the day the file is named after: `--start`, else today (a
/// talk at 16:00).
fn start_of(given: Option<&str>, kind: NewKind, tz: &TimeZone) -> Result<(String, Date), Failure> {
    let Some(text) = given else {
        let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
        return Ok((format!("{today}T16:00:00"), today));
    };
    let when = parse_when(text).map_err(|e| {
        Failure::Usage(format!(
            "--start: {e}\n  = help: write the local time in the hub's zone, e.g. --start \"2026-12-14 16:00\", or a date for a whole day"
        ))
    })?;
    let date = when.in_zone(tz).date();
    let value = match when {
        When::Local(dt) => dt.to_string(),
        When::Date(d) => d.to_string(),
        // As written: TOML has no value for every offset form people type.
        When::Exact(_) => toml::Value::String(text.trim().to_string()).to_string(),
    };
    if kind == NewKind::Event && !matches!(when, When::Date(_)) {
        return Err(Failure::Usage(format!(
            "--start \"{text}\": an event's start is a date, e.g. --start {date}"
        )));
    }
    Ok((value, date))
}

/// The slugs of the series a seminars section declares (none for other sections).
fn series_of(section: &Section, root: &Path, config: &Config) -> Vec<String> {
    let file = podium::diagnostics::relative(root, &section.index);
    let origin = podium::seminars::Origin {
        file: &file,
        raw: &section.raw,
    };
    let (settings, _) = podium::seminars::parse_settings(&section.table, origin, config);
    settings.series.into_iter().map(|s| s.slug).collect()
}

/// The categories a members section lists.
fn categories_of(section: &Section) -> Vec<String> {
    let listed = section.table.get("categories").and_then(|v| v.as_array());
    listed
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

/// Refuses a series the section does not declare, naming those it does.
fn check_series(slug: &str, offered: &[String], index: &Path, root: &Path) -> Result<(), Failure> {
    if offered.iter().any(|s| s == slug) {
        return Ok(());
    }
    let file = podium::diagnostics::relative(root, index);
    let declared = if offered.is_empty() {
        "declares no series: add a [[series]] there first".to_string()
    } else {
        let close = podium::diagnostics::suggest(slug, offered.iter().map(String::as_str))
            .map(|s| format!("; did you mean `{s}`?"))
            .unwrap_or_default();
        format!("declares: {}{close}", offered.join(", "))
    };
    Err(Failure::Usage(format!(
        "no series `{slug}`: {} {declared}",
        file.display()
    )))
}

/// The section the new file goes into, or a usage error saying how to make one.
fn find_section(root: &Path, kind: NewKind) -> Result<Section, Failure> {
    let section_kind = match kind {
        NewKind::Post => SectionKind::Posts,
        NewKind::Seminar => SectionKind::Seminars,
        NewKind::Member => SectionKind::Members,
        NewKind::Event => SectionKind::Events,
    };
    section_of_kind(&root.join("content"), section_kind).ok_or_else(|| {
        Failure::Usage(format!(
            "no section with `kind = \"{}\"` under content/: create its _index.md first",
            serde_json::to_value(section_kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default()
        ))
    })
}

/// The first section (in name order, shallowest first) whose `_index.md` declares `kind`.
fn section_of_kind(content: &Path, kind: SectionKind) -> Option<Section> {
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
        let front: SectionFront = toml::Value::Table(split.table.clone()).try_into().ok()?;
        (front.kind == kind).then(|| Section {
            folder: e.path().parent().unwrap_or(content).to_path_buf(),
            index: e.path().to_path_buf(),
            raw: split.raw.to_string(),
            table: split.table,
        })
    })
}
