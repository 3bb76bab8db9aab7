//! Scaffold: the files `podium init` and `podium new` write.
//!
//! The starter hub lives as real files under `src/scaffold/hub/` (so it can be read and
//! built like any hub) and is compiled in. Its GitHub Pages workflow is rendered from
//! `src/scaffold/pages.yml` with this Podium's version, so a hub keeps building with the
//! release that made it until it is upgraded on purpose.

use crate::content::slugify;

macro_rules! hub_file {
    ($path:literal) => {
        ($path, include_str!(concat!("scaffold/hub/", $path)))
    };
}

/// The starter hub's fixed files, (path in the new hub, contents); [`hub_files`] adds the
/// workflow.
pub const HUB: &[(&str, &str)] = &[
    hub_file!("config.toml"),
    hub_file!("content/_index.md"),
    hub_file!("content/news/_index.md"),
    hub_file!("content/news/welcome.md"),
    hub_file!("content/seminars/_index.md"),
    hub_file!("content/seminars/first-seminar.md"),
    hub_file!("content/people/_index.md"),
    hub_file!("content/people/ada-lovelace.md"),
    hub_file!("content/events/_index.md"),
    hub_file!("content/events/spring-workshop/index.md"),
    hub_file!("content/events/spring-workshop/timetable.toml"),
    (".gitignore", include_str!("scaffold/hub/gitignore")),
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

/// Every file of a new hub: (path in the hub, contents).
pub fn hub_files() -> impl Iterator<Item = (&'static str, std::borrow::Cow<'static, str>)> {
    let workflow = (WORKFLOW_PATH, workflow().into());
    HUB.iter()
        .map(|&(path, text)| (path, text.into()))
        .chain(std::iter::once(workflow))
}

/// What `podium new` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewKind {
    Post,
    Seminar,
    Member,
    Event,
}

/// A new content file: its path under the section folder, and its text.
pub fn new_file(kind: NewKind, title: &str, today: jiff::civil::Date) -> (String, String) {
    let slug = slugify(title);
    let quoted = toml::Value::String(title.to_string()).to_string();
    match kind {
        NewKind::Post => (
            format!("{today}-{slug}.md"),
            format!(
                "+++\ntitle = {quoted}\ndate = {today}\ndescription = \"\"\ntags = []\n+++\n\nThe first paragraph is the summary.\n\n<!-- more -->\n\nThe rest of the post.\n"
            ),
        ),
        NewKind::Seminar => (
            format!("{today}-{slug}.md"),
            format!(
                "+++\ntitle = {quoted}\nspeaker = \"\"\naffiliation = \"\"\nstart = {today}T16:00:00\nduration = \"1h\"\nlocation = \"\"\n+++\n\nAbstract.\n"
            ),
        ),
        NewKind::Member => (
            format!("{slug}.md"),
            format!(
                "+++\nname = {quoted}\ncategory = \"\"\nposition = \"\"\ngroups = []\nemail = \"\"\n+++\n\nA short biography.\n"
            ),
        ),
        NewKind::Event => (
            format!("{slug}/index.md"),
            format!(
                "+++\ntitle = {quoted}\nstart_date = {today}\nend_date = {today}\nlocation = \"\"\n+++\n\nWhat the event is about. Put the timetable in `timetable.toml` beside this file.\n"
            ),
        ),
    }
}
