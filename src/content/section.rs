//! Sections: folders with an `_index.md`, and the kind of content they hold.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::members::MemberSettings;
use crate::safe_url::Field;

/// What a section holds, which decides its pages' fields, templates and extra outputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    #[default]
    Pages,
    Posts,
    Seminars,
    Members,
    Events,
}

impl SectionKind {
    /// Front matter fields a page of this kind may have besides the common ones.
    pub fn page_fields(self) -> &'static [&'static str] {
        match self {
            SectionKind::Pages | SectionKind::Posts => &[],
            SectionKind::Seminars => &[
                "speakers",
                "speaker",
                "affiliation",
                "start",
                "end",
                "duration",
                "timezone",
                "location",
                "online",
                "online_label",
                "series",
                "status",
                "recurrence",
                "exdates",
                "slides",
                "recording",
                "uid",
                "sequence",
            ],
            SectionKind::Members => &[
                "name",
                "sort_name",
                "category",
                "position",
                "groups",
                "email",
                "phone",
                "website",
                "orcid",
                "github",
                "scholar",
                "pronouns",
                "photo",
                "status",
                "joined",
                "left",
                "interests",
            ],
            SectionKind::Events => &[
                "start_date",
                "end_date",
                "timezone",
                "location",
                "online",
                "organizers",
                "registration",
                "contact",
                "tracks",
            ],
        }
    }

    /// The URL fields of a page of this kind besides the common ones ([`super::page::PAGE_LINKS`]).
    pub fn page_links(self) -> &'static [Field] {
        const SEMINAR: &[Field] = &[
            Field::link("speakers.url"),
            Field::link("online"),
            Field::file("slides"),
            Field::file("recording"),
        ];
        const MEMBER: &[Field] = &[Field::link("website"), Field::link("scholar")];
        const EVENT: &[Field] = &[Field::link("online"), Field::link("registration")];
        match self {
            SectionKind::Pages | SectionKind::Posts => &[],
            SectionKind::Seminars => SEMINAR,
            SectionKind::Members => MEMBER,
            SectionKind::Events => EVENT,
        }
    }

    /// The URL fields of a section of this kind.
    pub fn section_links(self) -> &'static [Field] {
        const SEMINARS: &[Field] = &[Field::link("online"), Field::link("series.online")];
        match self {
            SectionKind::Seminars => SEMINARS,
            _ => &[],
        }
    }

    /// Section settings of this kind besides the common ones.
    pub fn section_fields(self) -> &'static [&'static str] {
        match self {
            SectionKind::Pages | SectionKind::Posts => &[],
            SectionKind::Seminars => &[
                "series",
                "timezone",
                "default_duration",
                "location",
                "online",
                "online_label",
            ],
            SectionKind::Members => &["categories"],
            SectionKind::Events => &["timezone"],
        }
    }

    /// The template for a page of this kind when none is named.
    pub fn page_template(self) -> &'static str {
        match self {
            SectionKind::Pages => "page.html",
            SectionKind::Posts => "post.html",
            SectionKind::Seminars => "seminar.html",
            SectionKind::Members => "member.html",
            SectionKind::Events => "event.html",
        }
    }

    /// The template for the section's own list page when none is named.
    pub fn section_template(self) -> &'static str {
        match self {
            SectionKind::Pages => "section.html",
            SectionKind::Posts => "posts.html",
            SectionKind::Seminars => "seminars.html",
            SectionKind::Members => "members.html",
            SectionKind::Events => "events.html",
        }
    }
}

/// How a section orders its pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Newest first.
    Date,
    /// Lowest weight first.
    Weight,
    /// Alphabetical.
    Title,
    /// Members by family name, in the collation of the hub's language.
    Name,
    /// As the files are named.
    None,
}

/// Front matter of `_index.md`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SectionFront {
    pub title: Option<String>,
    pub description: Option<String>,
    pub kind: SectionKind,
    pub sort_by: Option<SortBy>,
    pub paginate_by: Option<usize>,
    pub template: Option<String>,
    pub page_template: Option<String>,
    /// Whether a posts section gets an Atom feed (default: yes).
    pub feed: Option<bool>,
    pub weight: Option<i64>,
    pub draft: bool,
    /// Default zone of an events (or seminars) section's pages; allowed only for those kinds.
    pub timezone: Option<String>,
    pub extra: toml::Table,
}

/// Fields every section may set.
pub const SECTION_FIELDS: &[&str] = &[
    "title",
    "description",
    "kind",
    "sort_by",
    "paginate_by",
    "template",
    "page_template",
    "feed",
    "weight",
    "draft",
    "extra",
];

/// A section of the hub.
#[derive(Debug, Clone)]
pub struct Section {
    /// Path relative to the hub root, for messages (`content/news/_index.md`).
    pub source: PathBuf,
    /// Path relative to `content/` (`news/_index.md`), the name internal links use.
    pub content_path: String,
    /// Folder relative to `content/` (`news`, or empty for the home page).
    pub dir: String,
    /// Site path of its list page (`news/`, or empty for the home page).
    pub path: String,
    pub title: String,
    pub front: SectionFront,
    pub body: String,
    pub body_line: usize,
    /// A hash of the source file, by which the next build sees whether it changed.
    pub fingerprint: u64,
    pub html: String,
    /// Indices into [`super::Site::pages`], in the section's order.
    pub pages: Vec<usize>,
    /// Indices into [`super::Site::sections`].
    pub subsections: Vec<usize>,
    pub parent: Option<usize>,
    /// Non-Markdown files in the section's folder, copied beside its list page.
    pub assets: Vec<PathBuf>,
    /// The settings of a members section.
    pub members: Option<MemberSettings>,
    /// Series and defaults, for a seminars section.
    pub seminars: Option<crate::seminars::SeminarSettings>,
}

impl Section {
    /// A section with no body yet, its folder and URL derived from `content_path`.
    pub fn new(
        source: PathBuf,
        content_path: String,
        title: String,
        front: SectionFront,
    ) -> Section {
        let dir = content_path
            .trim_end_matches("_index.md")
            .trim_end_matches('/')
            .to_string();
        Section {
            path: if dir.is_empty() {
                String::new()
            } else {
                format!("{dir}/")
            },
            source,
            content_path,
            dir,
            title,
            front,
            body: String::new(),
            body_line: 0,
            fingerprint: 0,
            html: String::new(),
            pages: Vec::new(),
            subsections: Vec::new(),
            parent: None,
            assets: Vec::new(),
            members: None,
            seminars: None,
        }
    }

    /// The sort order, defaulting by kind.
    pub fn sort_by(&self) -> SortBy {
        self.front.sort_by.unwrap_or(match self.front.kind {
            SectionKind::Posts => SortBy::Date,
            SectionKind::Members => SortBy::Name,
            _ => SortBy::Weight,
        })
    }
}
