//! Scaffold: the files `podium init` and `podium new` write.
//!
//! The starter hub lives as real files under `src/scaffold/hub/` (so it can be read and
//! built like any hub) and is compiled in. Its dates sit around [`SAMPLE_WEEK`] and `init`
//! moves them to the week it runs in, so a new hub has a talk coming up and one past; its
//! `config.toml` gets the zone and address of the new hub ([`starter_hub`]). Its GitHub
//! Pages workflow is rendered from `src/scaffold/pages.yml` with this Podium's version, so a
//! hub keeps building with the release that made it until it is upgraded on purpose.

use jiff::Span;
use jiff::civil::Date;

use crate::content::slugify;

macro_rules! hub_file {
    ($path:literal) => {
        ($path, include_str!(concat!("scaffold/hub/", $path)))
    };
}

/// The starter hub: (path in the new hub, contents).
pub const HUB: &[(&str, &str)] = &[
    hub_file!("config.toml"),
    hub_file!("content/_index.md"),
    hub_file!("content/news/_index.md"),
    hub_file!("content/news/welcome.md"),
    hub_file!("content/seminars/_index.md"),
    hub_file!("content/seminars/first-seminar.md"),
    hub_file!("content/seminars/a-past-seminar.md"),
    hub_file!("content/people/_index.md"),
    hub_file!("content/people/ada-lovelace.md"),
    hub_file!("content/events/_index.md"),
    hub_file!("content/events/annual-workshop/index.md"),
    hub_file!("content/events/annual-workshop/timetable.toml"),
    (".gitignore", include_str!("scaffold/hub/gitignore")),
    (
        ".github/workflows/pages.yml",
        include_str!("../.github/workflows/pages.yml"),
    ),
];

/// Where Podium's source and release archives live: Cargo.toml's `repository`.
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");

/// Where in a hub its GitHub Pages workflow is.
pub const WORKFLOW_PATH: &str = ".github/workflows/pages.yml";

/// The GitHub Pages workflow of a hub: it installs this very version of Podium from the
/// release archives (named after the package, as the release workflow names them).
pub fn workflow() -> String {
    include_str!("scaffold/pages.yml")
        .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
        .replace("@PACKAGE@", env!("CARGO_PKG_NAME"))
        .replace("@RELEASES@", &format!("{REPOSITORY}/releases/download"))
}

/// The Monday of the week the sample content is dated around: the post is from that day,
/// the past talk from the week before, the next talk in the week after, the workshop five
/// weeks on. `init` moves every date by whole weeks, so talks keep their weekday.
pub const SAMPLE_WEEK: Date = jiff::civil::date(2026, 1, 12);

/// What makes one new hub's files different from another's.
#[derive(Debug, Clone, Copy)]
pub struct Starter<'a> {
    /// The IANA zone written into `config.toml`.
    pub timezone: &'a str,
    /// The name of the hub's folder, which is likely its repository's name too.
    pub folder: &'a str,
    /// The day `init` runs, in `timezone`.
    pub today: Date,
}

/// The files of a new hub: [`HUB`] with its sample dates moved to the week of `today` and
/// `config.toml` set to the hub's zone and GitHub Pages address, then the [`workflow`].
pub fn starter_hub(starter: Starter) -> Vec<(&'static str, String)> {
    let monday = starter
        .today
        .checked_sub(Span::new().days(starter.today.weekday().to_monday_zero_offset()))
        .unwrap_or(starter.today);
    let days = (monday - SAMPLE_WEEK).get_days();
    HUB.iter()
        .map(|&(path, text)| {
            let text = if path == "config.toml" {
                let text = set_string(text, "base_url", &pages_url(starter.folder));
                set_string(&text, "timezone", starter.timezone)
            } else if path.starts_with("content/") {
                shift_dates(text, days)
            } else {
                text.to_string()
            };
            (path, text)
        })
        .chain(std::iter::once((WORKFLOW_PATH, workflow())))
        .collect()
}

/// The GitHub Pages address of a repository named after `folder`; `OWNER` stands for the
/// account, which a folder cannot tell (a `NAME.github.io` folder is that account's own site).
pub fn pages_url(folder: &str) -> String {
    // GitHub turns every other character of a repository name into `-`.
    let name: String = folder
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let name = name.trim_matches('.');
    if name.is_empty() {
        "https://OWNER.github.io/my-hub/".to_string()
    } else if name.to_ascii_lowercase().ends_with(".github.io") {
        format!("https://{}/", name.to_ascii_lowercase())
    } else {
        format!("https://OWNER.github.io/{name}/")
    }
}

/// `text` with the line `key = …` set to the string `value`; comments and the rest stay.
fn set_string(text: &str, key: &str, value: &str) -> String {
    let quoted = toml::Value::String(value.to_string()).to_string();
    text.lines()
        .map(|line| match line.split_once('=') {
            Some((k, _)) if k.trim() == key => format!("{key} = {quoted}\n"),
            _ => format!("{line}\n"),
        })
        .collect()
}

/// `text` with every `YYYY-MM-DD` date in it moved by `days`.
fn shift_dates(text: &str, days: i32) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        match date_at(bytes, i) {
            Some(date) => {
                let moved = date.checked_add(Span::new().days(days)).unwrap_or(date);
                // `i` starts an ASCII digit, so it is a character boundary.
                out.push_str(&text[copied..i]);
                out.push_str(&moved.to_string());
                i += DATE_LEN;
                copied = i;
            }
            None => i += 1,
        }
    }
    out.push_str(&text[copied..]);
    out
}

const DATE_LEN: usize = "YYYY-MM-DD".len();

/// The date written at byte `i`, when one starts there and is not part of a longer number.
fn date_at(bytes: &[u8], i: usize) -> Option<Date> {
    let window = bytes.get(i..i + DATE_LEN)?;
    let shaped = window.iter().enumerate().all(|(k, b)| match k {
        4 | 7 => *b == b'-',
        _ => b.is_ascii_digit(),
    });
    let digit_at = |j: Option<usize>| j.and_then(|j| bytes.get(j)).is_some_and(u8::is_ascii_digit);
    if !shaped || digit_at(i.checked_sub(1)) || digit_at(Some(i + DATE_LEN)) {
        return None;
    }
    std::str::from_utf8(window).ok()?.parse().ok()
}

/// What `podium new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Post,
    Seminar,
    Member,
    Event,
}

/// What `podium new` was asked for, checked against the hub.
#[derive(Debug, Clone, Copy)]
pub struct NewSpec<'a> {
    pub kind: NewKind,
    /// The title, or a member's name.
    pub title: &'a str,
    /// The day a post, talk or event is on, which dated file names start with.
    pub date: Date,
    /// A talk's `start`, as a TOML value (`2026-12-14T16:00:00`).
    pub start: &'a str,
    /// The talk's series, whose place and duration it inherits.
    pub series: Option<&'a str>,
    /// What the section lets a field be, offered in a comment: a seminars section's series
    /// (when none was chosen), a members section's categories.
    pub choices: &'a [String],
    /// A folder with `index.md`, so photos and files can sit beside the text.
    pub bundle: bool,
}

/// A new content file: its path under the section folder, and its text.
pub fn new_file(spec: &NewSpec) -> (String, String) {
    let slug = slugify(spec.title);
    let date = spec.date;
    let stem = match spec.kind {
        NewKind::Post | NewKind::Seminar => format!("{date}-{slug}"),
        NewKind::Member | NewKind::Event => slug,
    };
    let bundle = spec.bundle || spec.kind == NewKind::Event;
    let name = if bundle {
        format!("{stem}/index.md")
    } else {
        format!("{stem}.md")
    };
    let quoted = toml::Value::String(spec.title.to_string()).to_string();
    let text = match spec.kind {
        NewKind::Post => format!(
            "+++\ntitle = {quoted}\ndate = {date}\ndescription = \"\"\ntags = []\n{}+++\n\nThe first paragraph is the summary.\n\n<!-- more -->\n\nThe rest of the post.\n",
            picture("image", spec.bundle, "shown at the top of the post")
        ),
        NewKind::Seminar => format!(
            "+++\ntitle = {quoted}\nspeaker = \"\"\naffiliation = \"\"\nstart = {}\n{}# online = \"https://…\"  # a meeting link, if the talk is streamed\n+++\n\nAbstract.\n",
            spec.start,
            series_lines(spec)
        ),
        NewKind::Member => format!(
            "+++\nname = {quoted}\ncategory = \"\"{}\nposition = \"\"\ngroups = []\nemail = \"\"\n{}# website = \"https://…\"\n# orcid = \"0000-0000-0000-0000\"\n+++\n\nA short biography.\n",
            one_of(spec.choices),
            picture("photo", spec.bundle, "a portrait")
        ),
        NewKind::Event => format!(
            "+++\ntitle = {quoted}\nstart_date = {date}\nend_date = {date}\nlocation = \"\"\n# registration = \"https://…\"\n+++\n\nWhat the event is about. Put the timetable in `timetable.toml` beside this file.\n"
        ),
    };
    (name, text)
}

/// A commented-out `field` naming a picture: beside the file in a bundle, else under `static/`.
fn picture(field: &str, bundle: bool, what: &str) -> String {
    if bundle {
        format!("# {field} = \"photo.jpg\"  # {what}: put the file in this folder\n")
    } else {
        format!(
            "# {field} = \"/images/photo.jpg\"  # {what}, under static/ (or make the file with --bundle and put it beside)\n"
        )
    }
}

/// A talk's series line; without one, its own duration and place, and the series it could join.
fn series_lines(spec: &NewSpec) -> String {
    if let Some(series) = spec.series {
        let quoted = toml::Value::String(series.to_string());
        return format!("series = {quoted}  # its place and duration come from the series\n");
    }
    let mut lines = String::from("duration = \"1h\"\nlocation = \"\"\n");
    if let Some(first) = spec.choices.first() {
        lines.push_str(&format!("# series = \"{first}\"{}\n", one_of(spec.choices)));
    }
    lines
}

/// A comment naming the values a field may take, if the section lists them.
fn one_of(choices: &[String]) -> String {
    if choices.is_empty() {
        String::new()
    } else {
        format!("  # one of: {}", choices.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_by_whole_weeks_and_other_numbers_stay() {
        let text = "start = 2026-01-22T16:00:00\nid = 12026-01-220\nv = \"1.2026-01\"\n";
        assert_eq!(
            shift_dates(text, 7 * 50),
            "start = 2027-01-07T16:00:00\nid = 12026-01-220\nv = \"1.2026-01\"\n"
        );
        assert_eq!(shift_dates("x 2026-02-30 é", 7), "x 2026-02-30 é");
    }

    #[test]
    fn the_sample_is_dated_around_its_week_and_moves_to_todays() {
        let today = jiff::civil::date(2026, 12, 10);
        let files = starter_hub(Starter {
            timezone: "Asia/Tokyo",
            folder: "hub",
            today,
        });
        let text = |name: &str| &files.iter().find(|(p, _)| *p == name).unwrap().1;
        assert!(text("content/seminars/first-seminar.md").contains("start = 2026-12-17T16:00:00"));
        assert!(text("content/news/welcome.md").contains("date = 2026-12-07"));
        assert!(text("config.toml").contains("\ntimezone = \"Asia/Tokyo\"\n"));
        for (path, text) in HUB {
            let bytes = text.as_bytes();
            for date in (0..bytes.len()).filter_map(|i| date_at(bytes, i)) {
                let weeks = (date - SAMPLE_WEEK).get_days() / 7;
                assert!(
                    (-2..8).contains(&weeks),
                    "{path}: {date} is not a sample date"
                );
            }
        }
    }

    #[test]
    fn the_pages_address_follows_githubs_repository_names() {
        assert_eq!(pages_url("my hub"), "https://OWNER.github.io/my-hub/");
        assert_eq!(pages_url("Alice.github.io"), "https://alice.github.io/");
        assert_eq!(pages_url(""), "https://OWNER.github.io/my-hub/");
    }
}
