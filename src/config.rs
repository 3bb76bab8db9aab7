//! Site configuration: `config.toml` at the hub root.
//!
//! Owns the settings every other module reads (base URL and its sub-path, language, default
//! time zone, theme, Markdown and feed options, deployment) and their validation.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::front_matter::{check_keys, toml_error_pos};
use crate::safe_url::{Accepts, Field, check_table};

/// The parsed `config.toml`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct Config {
    /// Where the site will live, e.g. `https://org.github.io/hub/`; always ends with `/`.
    pub base_url: String,
    pub title: String,
    pub description: String,
    /// BCP 47 language tag; also picks the collation used to sort names.
    pub language: String,
    /// IANA zone for times written without one.
    pub timezone: String,
    pub theme: String,
    pub build: BuildConfig,
    pub markdown: MarkdownConfig,
    pub feeds: FeedsConfig,
    pub calendar: CalendarConfig,
    pub tags: TagsConfig,
    pub deploy: DeployConfig,
    pub menu: Vec<MenuItem>,
    pub extra: toml::Table,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            base_url: "/".into(),
            title: "Research hub".into(),
            description: String::new(),
            language: "en".into(),
            timezone: "UTC".into(),
            theme: "hub".into(),
            build: BuildConfig::default(),
            markdown: MarkdownConfig::default(),
            feeds: FeedsConfig::default(),
            calendar: CalendarConfig::default(),
            tags: TagsConfig::default(),
            deploy: DeployConfig::default(),
            menu: Vec::new(),
            extra: toml::Table::new(),
        }
    }
}

/// `[build]`: what goes into the output.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct BuildConfig {
    /// Output folder, relative to the hub root.
    pub output_dir: String,
    /// Whether to publish pages marked `draft = true` (also `--drafts`).
    pub drafts: bool,
    /// Whether to publish posts and pages dated after the build's "now" (also `--future`).
    pub future: bool,
}

impl Default for BuildConfig {
    fn default() -> Self {
        BuildConfig {
            output_dir: "public".into(),
            drafts: false,
            future: false,
        }
    }
}

/// `[markdown]`: rendering switches.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MarkdownConfig {
    pub highlight_code: bool,
    pub math: bool,
    /// Curly quotes and dashes.
    pub smart_punctuation: bool,
}

impl Default for MarkdownConfig {
    fn default() -> Self {
        MarkdownConfig {
            highlight_code: true,
            math: true,
            smart_punctuation: true,
        }
    }
}

/// `[feeds]`: Atom feeds of posts sections.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct FeedsConfig {
    pub atom: bool,
    /// How many entries a feed carries.
    pub limit: usize,
}

impl Default for FeedsConfig {
    fn default() -> Self {
        FeedsConfig {
            atom: true,
            limit: 20,
        }
    }
}

/// `[tags]`: the tag pages.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct TagsConfig {
    /// Posts per tag page (0: all on one page). Paginated, a popular tag costs a few small
    /// pages instead of one page that grows with the whole archive.
    pub paginate_by: usize,
}

impl Default for TagsConfig {
    fn default() -> Self {
        TagsConfig { paginate_by: 10 }
    }
}

/// `[calendar]`: how often subscribers' apps should refresh the feeds.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct CalendarConfig {
    /// ISO 8601 duration for REFRESH-INTERVAL and X-PUBLISHED-TTL.
    pub refresh_interval: String,
    /// How many days of past talks `recent.ics` keeps.
    pub recent_days: u32,
}

impl CalendarConfig {
    /// `refresh_interval` as a duration (`PT6H`, `P1D`, or Podium's `6h`).
    pub fn refresh_interval(&self) -> Result<jiff::SignedDuration, String> {
        let text = self.refresh_interval.trim();
        let iso = text
            .parse::<jiff::Span>()
            .ok()
            .and_then(|s| {
                s.to_duration(jiff::SpanRelativeTo::days_are_24_hours())
                    .ok()
            })
            .filter(|d| d.is_positive());
        iso.map_or_else(|| crate::time::parse_duration(text), Ok)
            .map_err(|_| {
                format!(
                    "[calendar] refresh_interval `{text}` should be a duration such as `PT6H` or `P1D`"
                )
            })
    }
}

impl Default for CalendarConfig {
    fn default() -> Self {
        CalendarConfig {
            refresh_interval: "PT6H".into(),
            recent_days: 90,
        }
    }
}

/// `[deploy]`: GitHub Pages details.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DeployConfig {
    /// Custom domain written to `CNAME`, so Pages keeps it across deploys.
    pub cname: Option<String>,
}

/// One `[[menu]]` entry of the site navigation.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MenuItem {
    pub name: String,
    /// A root-absolute path (`/news/`), an internal link (`@/about.md`) or a full URL
    /// (checked by the URL rule of [`crate::safe_url`]).
    pub url: String,
}

const TOP_KEYS: &[&str] = &[
    "base_url",
    "title",
    "description",
    "language",
    "timezone",
    "theme",
    "build",
    "markdown",
    "feeds",
    "calendar",
    "tags",
    "deploy",
    "menu",
    "extra",
];

const TABLE_KEYS: &[(&str, &[&str])] = &[
    ("build", &["output_dir", "drafts", "future"]),
    ("markdown", &["highlight_code", "math", "smart_punctuation"]),
    ("feeds", &["atom", "limit"]),
    ("calendar", &["refresh_interval", "recent_days"]),
    ("tags", &["paginate_by"]),
    ("deploy", &["cname"]),
];

impl Config {
    /// Reads and validates `config.toml` under `root`.
    pub fn load(root: &Path) -> Result<Config, Diagnostics> {
        let path = root.join("config.toml");
        let text = std::fs::read_to_string(&path).map_err(|e| {
            Diagnostic::file(
                "config.toml",
                format!("cannot read the site configuration: {e}"),
            )
            .with_hint("run `podium init` to create a hub, or pass `--root DIR`")
        })?;
        Self::parse(&text)
    }

    /// Parses configuration text (the file is `config.toml` in messages).
    pub fn parse(text: &str) -> Result<Config, Diagnostics> {
        let table: toml::Table = toml::from_str(text).map_err(|e| {
            Diagnostic::at(
                "config.toml",
                toml_error_pos(text, &e),
                e.message().to_string(),
            )
        })?;
        let mut errors = Diagnostics::default();
        check_keys(
            &table,
            TOP_KEYS,
            None,
            text,
            "config.toml",
            Pos::default(),
            &mut errors,
        );
        for (name, keys) in TABLE_KEYS {
            if let Some(toml::Value::Table(t)) = table.get(*name) {
                check_keys(
                    t,
                    keys,
                    Some(name),
                    text,
                    "config.toml",
                    Pos::default(),
                    &mut errors,
                );
            }
        }
        let menu = [Field {
            path: "menu.url",
            accepts: Accepts::Internal,
        }];
        errors.extend(check_table(
            &table,
            &menu,
            text,
            Path::new("config.toml"),
            0,
        ));
        errors.into_result()?;
        let mut config: Config = toml::from_str(text).map_err(|e| {
            Diagnostic::at(
                "config.toml",
                toml_error_pos(text, &e),
                e.message().to_string(),
            )
        })?;
        config
            .normalize()
            .map_err(|m| Diagnostic::file("config.toml", m))?;
        Ok(config)
    }

    fn normalize(&mut self) -> Result<(), String> {
        if !self.base_url.ends_with('/') {
            self.base_url.push('/');
        }
        if !(self.base_url.starts_with("http://")
            || self.base_url.starts_with("https://")
            || self.base_url.starts_with('/'))
        {
            return Err(format!(
                "base_url `{}` must be a full URL such as `https://org.github.io/hub/`",
                self.base_url
            ));
        }
        if jiff::tz::TimeZone::get(&self.timezone).is_err() {
            return Err(format!(
                "unknown time zone `{}`: use an IANA name such as `Europe/Zurich`",
                self.timezone
            ));
        }
        self.calendar.refresh_interval()?;
        Ok(())
    }

    /// The path part of `base_url` (`/hub/` for `https://org.github.io/hub/`), which every
    /// internal link starts with so the site works under a sub-path.
    pub fn base_path(&self) -> &str {
        match self.base_url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("/", |i| &rest[i..]),
            None => &self.base_url,
        }
    }

    /// The host of `base_url`, used to make calendar UIDs globally unique.
    pub fn host(&self) -> &str {
        match self.base_url.split_once("://") {
            Some((_, rest)) => rest.split('/').next().unwrap_or("localhost"),
            None => "localhost",
        }
    }

    /// Replaces the base URL (from `--base-url`), keeping the trailing-slash invariant.
    pub fn set_base_url(&mut self, url: &str) -> Result<(), String> {
        self.base_url = url.to_string();
        self.normalize()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_and_host_come_from_base_url() {
        let c = Config::parse("base_url = \"https://example.github.io/hub\"").unwrap();
        assert_eq!(c.base_url, "https://example.github.io/hub/");
        assert_eq!(c.base_path(), "/hub/");
        assert_eq!(c.host(), "example.github.io");
    }

    #[test]
    fn unknown_keys_are_reported_with_a_suggestion_and_line() {
        let err = Config::parse("title = \"x\"\n[build]\ndrafs = true\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("config.toml:3:1"), "{text}");
        assert!(text.contains("did you mean `drafts`"), "{text}");
    }

    #[test]
    fn refresh_intervals_are_durations() {
        let day = Config::parse("[calendar]\nrefresh_interval = \"P1D\"").unwrap();
        assert_eq!(
            day.calendar.refresh_interval(),
            Ok(jiff::SignedDuration::from_hours(24))
        );
        let err = Config::parse("[calendar]\nrefresh_interval = \"often\"").unwrap_err();
        assert!(
            err.to_string().contains("refresh_interval `often`"),
            "{err}"
        );
    }

    #[test]
    fn a_bad_time_zone_is_an_error() {
        assert!(Config::parse("timezone = \"Mars/Olympus\"").is_err());
    }
}
