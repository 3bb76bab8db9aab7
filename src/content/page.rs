//! Pages: one Markdown file, or a bundle folder with an `index.md` and its files.

use std::path::PathBuf;

use jiff::Zoned;
use serde::{Deserialize, Serialize};

use super::section::SectionKind;
use crate::members::Member;
use crate::safe_url::Field;

/// Fields every page may set (SPEC §3).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PageFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub date: Option<String>,
    pub updated: Option<String>,
    pub draft: bool,
    pub slug: Option<String>,
    /// Old URLs that redirect here.
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    /// Member slugs (linked to their profiles) or plain names.
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub image: Option<String>,
    pub image_caption: Option<String>,
    pub banner: Option<String>,
    pub template: Option<String>,
    pub weight: Option<i64>,
    pub extra: toml::Table,
}

/// The common page fields, for the unknown-field check.
pub const PAGE_FIELDS: &[&str] = &[
    "title",
    "description",
    "date",
    "updated",
    "draft",
    "slug",
    "aliases",
    "tags",
    "authors",
    "summary",
    "image",
    "image_caption",
    "banner",
    "template",
    "weight",
    "extra",
];

/// The URL fields every page may set; `image` and `banner` may name a file of the bundle.
pub const PAGE_LINKS: &[Field] = &[Field::file("image"), Field::file("banner")];

/// A page of the hub.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the hub root, for messages.
    pub source: PathBuf,
    /// Path relative to `content/` with `/` separators, the name internal links use.
    pub content_path: String,
    /// A hash of `content_path`: the page's identity in render dependencies, computed once.
    pub key: u64,
    /// Index of the section it belongs to in [`super::Site::sections`].
    pub section: usize,
    pub kind: SectionKind,
    pub slug: String,
    /// Site path (`news/my-post/`), without the base path.
    pub path: String,
    /// Output paths of the redirects from old URLs (`old/url/`, or `old.html`).
    pub aliases: Vec<String>,
    pub title: String,
    pub front: PageFront,
    pub date: Option<Zoned>,
    pub updated: Option<Zoned>,
    /// The Markdown source. Emptied once rendered (it is most of a page's memory), except
    /// for talks, whose calendar description is written from it.
    pub body: String,
    /// Lines above the body in the file.
    pub body_line: usize,
    /// A hash of the source file, by which the next build sees whether it changed.
    pub fingerprint: u64,
    /// The rendered body; read it with [`super::Site::rendered`], which renders it first
    /// when the load left it for later.
    pub rendered: std::sync::OnceLock<crate::markdown::Rendered>,
    /// Files of a bundle, absolute, copied beside the page.
    pub assets: Vec<PathBuf>,
    /// The bundle folder, absolute, when the page is `name/index.md`.
    pub bundle_dir: Option<PathBuf>,
    /// The member, for a page of a members section.
    pub member: Option<Member>,
    /// The talk, for pages of a seminars section.
    pub seminar: Option<crate::seminars::Seminar>,
    /// Dates, timetable and participants, for pages of an events section.
    pub event: Option<crate::events::EventData>,
    /// People the page names and in what role (speakers, organisers, conveners), whatever
    /// its kind: member profiles list the pages that name them.
    pub people: Vec<PersonRef>,
}

impl Page {
    /// Where the page is and what it is: its URL, its redirects, its section and kind. When
    /// this changes, links, lists and profiles elsewhere may change with it, so an update
    /// that keeps only the page's own outputs up to date (`serve`'s, or a build's from its
    /// cache) is not enough.
    pub fn place(&self) -> (&str, &[String], usize, SectionKind) {
        (&self.path, &self.aliases, self.section, self.kind)
    }
}

/// A person named by a page, by member slug or by name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonRef {
    pub role: Role,
    pub name: Option<String>,
    /// A member slug, when the page links the person to their profile.
    pub member: Option<String>,
}

/// What a person named by a page did there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Speaker,
    Organiser,
    Convener,
}

impl PersonRef {
    /// Whether this names the member with `slug` and `name`: by slug, or else by the
    /// same name (ignoring case and spacing), since event exports carry names only.
    pub fn names(&self, slug: &str, name: &str) -> bool {
        match (&self.member, &self.name) {
            (Some(m), _) => m == slug,
            (None, Some(n)) => same_name(n, name),
            (None, None) => false,
        }
    }
}

/// A name with its spaces squashed and its case folded, for comparing names.
pub fn squash_name(name: &str) -> String {
    name.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two names are the same once squashed, without allocating: word by word, char
/// by char.
fn same_name(a: &str, b: &str) -> bool {
    // Lowercasing a whole string turns a word-final `Σ` into `ς`, which a char alone cannot.
    if a.contains('Σ') || b.contains('Σ') {
        return squash_name(a) == squash_name(b);
    }
    a.split_whitespace().count() == b.split_whitespace().count()
        && a.split_whitespace()
            .zip(b.split_whitespace())
            .all(|(x, y)| {
                x.chars()
                    .flat_map(char::to_lowercase)
                    .eq(y.chars().flat_map(char::to_lowercase))
            })
}

impl Page {
    /// The template that renders this page.
    pub fn template(&self, section_default: Option<&str>) -> String {
        self.front
            .template
            .clone()
            .or_else(|| section_default.map(str::to_string))
            .unwrap_or_else(|| self.kind.page_template().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_like_squashed_names() {
        let pairs = [
            ("Ann  Lee", "ann lee"),
            ("Ümit Şaban", "ümit  şaban"),
            ("ΟΔΥΣΣΕΑΣ Π", "οδυσσεας π"),
            ("ΟΔΥΣΣΕΑΣ", "οδυσσεασ"),
            ("İlker", "i̇lker"),
            ("Ann Lee", "Ann Leee"),
            ("AnnLee", "Ann Lee"),
        ];
        for (a, b) in pairs {
            assert_eq!(
                same_name(a, b),
                squash_name(a) == squash_name(b),
                "{a} / {b}"
            );
        }
    }
}
