//! Content: the model of a hub, loaded from `content/`.
//!
//! Owns walking the content folder, parsing every file's front matter into typed structs,
//! building the section tree, giving every page its URL, rendering bodies (once per page),
//! ordering pages and collecting tags. What comes out, [`Site`], is plain data that the
//! render step only reads.

pub mod page;
pub mod section;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::de::DeserializeOwned;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, relative, suggest};
use crate::front_matter::{self, check_keys, locate_key, locate_value};
use crate::hub_files;
use crate::markdown::{self, Links, Source};
use crate::members::{self, Member, MemberSettings, collation::NameOrder};
use crate::safe_url::{self, Field};
use crate::seminars;
use crate::time::parse_when;
pub use page::{PAGE_FIELDS, PAGE_LINKS, Page, PageFront, PersonRef, Role};
pub use section::{SECTION_FIELDS, Section, SectionFront, SectionKind, SortBy};

/// A whole hub, loaded and ready to render.
#[derive(Debug)]
pub struct Site {
    pub root: PathBuf,
    pub config: Config,
    /// Sections; index 0 is the home page.
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    /// Tag terms, sorted by slug.
    pub tags: Vec<Term>,
    /// Files under `content/` that belong to no bundle: (source, site path).
    pub loose_files: Vec<(PathBuf, String)>,
    /// Member slug → index of its page, so author and speaker links need no scan.
    pub members: FxHashMap<String, usize>,
    /// Content path → site path of every section, page and content file, for `@/` links;
    /// built once, as `serve` resolves links again after every edit.
    pub links: HashMap<String, String>,
    /// Problems found in bodies rendered on demand (see [`Site::rendered`]).
    pub late_errors: Mutex<Vec<Diagnostic>>,
    /// Posts and plain pages dated after this moment are held back (see
    /// [`LoadOptions::hold_after`]).
    pub hold_after: Option<jiff::Timestamp>,
    /// Problems that do not stop the build, reported with it.
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// The page of the member with `slug`, if there is one.
    pub fn member(&self, slug: &str) -> Option<&Page> {
        self.members.get(slug).map(|&i| &self.pages[i])
    }

    /// `page`'s rendered body, rendered now if the load left it for later (see
    /// [`LoadOptions::defer_bodies`]). A problem found then is kept in
    /// [`Site::late_errors`], for the build to report, and the body is left empty.
    pub fn rendered<'p>(&self, page: &'p Page) -> &'p markdown::Rendered {
        page.rendered.get_or_init(|| {
            let bodies = BodyRenderer::new(&self.config, &self.links);
            bodies
                .render(&page.body, &page.source, page.body_line)
                .unwrap_or_else(|errors| {
                    let mut late = self.late_errors.lock().unwrap_or_else(|e| e.into_inner());
                    late.extend(errors);
                    markdown::Rendered::default()
                })
        })
    }
}

/// One tag and the pages that carry it.
#[derive(Debug, Clone)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Site path of its page (`tags/slug/`).
    pub path: String,
    /// Indices into [`Site::pages`], newest first.
    pub pages: Vec<usize>,
}

/// Choices that change what is loaded.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    pub drafts: bool,
    /// Posts and plain pages dated after this moment (the build's "now") are not published
    /// yet; `None` publishes every date. Talks and events are listed ahead by design.
    pub hold_after: Option<jiff::Timestamp>,
    /// Leaves page bodies unrendered, for [`render_bodies`] or [`Site::rendered`] to render
    /// when needed: a build that renders only what changed needs few of them.
    pub defer_bodies: bool,
}

/// One file under `content/`, classified.
enum Entry {
    Section(PathBuf),
    Page {
        file: PathBuf,
        bundle: Option<PathBuf>,
    },
    Loose(PathBuf),
}

#[cfg(test)]
impl Entry {
    /// The file it stands for.
    fn path(&self) -> &Path {
        match self {
            Entry::Section(f) | Entry::Page { file: f, .. } | Entry::Loose(f) => f,
        }
    }
}

/// Loads the hub at `root`: every problem in every file is reported together. `placed`
/// sees the site once every page has its place, before the bodies render (the longest part
/// of a load), for work that needs only the pages' paths.
pub fn load(
    root: &Path,
    config: Config,
    options: &LoadOptions,
    placed: &(dyn Fn(&Site) + Sync),
) -> Result<Site, Diagnostics> {
    let content = root.join("content");
    let clock = crate::site::Phases::start();
    let mut errors = Diagnostics::default();
    let entries = walk(root, &content, &mut errors);
    // Collected in entry order straight into one vector of the right size: a filtered
    // parallel list is gathered piece by piece, and a vector grown a page at a time copies
    // every page it holds each time it grows, all on one thread while the other idles.
    let parsed: Vec<Option<Result<Parsed, Vec<Diagnostic>>>> = entries
        .par_iter()
        .with_max_len(crate::site::GRAIN)
        .map(|e| match e {
            Entry::Section(f) => Some(parse_file(root, &content, f, None, true)),
            Entry::Page { file, bundle } => {
                Some(parse_file(root, &content, file, bundle.clone(), false))
            }
            Entry::Loose(_) => None,
        })
        .collect();
    let mut files = Vec::with_capacity(parsed.len());
    for p in parsed.into_iter().flatten() {
        match p {
            Ok(p) => files.push(p),
            Err(e) => errors.extend(e),
        }
    }
    let include_drafts = options.drafts || config.build.drafts;
    if !include_drafts {
        drop_drafts(&mut files);
    }
    clock.lap("load: read and parse");
    let mut site = assemble(root, config, files, &mut errors);
    site.hold_after = options.hold_after;
    hold_back_future(&mut site);
    placed(&site);
    clock.lap("load: assemble");
    site.loose_files = loose_files(&content, &entries);
    check_unique_paths(&site, &mut errors);
    // Files that failed to parse still exist: links to them are not "missing".
    let unparsed: Vec<String> = entries
        .iter()
        .filter_map(|e| entry_content_path(&content, e))
        .collect();
    site.links = link_map(&site, &unparsed);
    let pages = if options.defer_bodies {
        0..0
    } else {
        0..site.pages.len()
    };
    let sections = render_section_bodies(&mut site).err();
    let bodies = render_bodies(&mut site, pages).err();
    errors.extend(sections.into_iter().chain(bodies).flat_map(|e| e.0));
    clock.lap("load: markdown");
    if let Err(e) = crate::events::render_abstracts(&mut site) {
        errors.extend(e.0);
    }
    order_pages(&mut site);
    site.members = member_index(&site.pages);
    check_authors(&site, &mut errors);
    site.tags = collect_tags(&site);
    clock.lap("load: order and tags");
    // A build that fails reports every problem at once, those of bodies left for later too.
    if options.defer_bodies && !errors.0.is_empty() {
        let every = 0..site.pages.len();
        let bodies = render_bodies(&mut site, every).err();
        errors.extend(bodies.into_iter().flat_map(|e| e.0));
    }
    errors.into_result()?;
    Ok(site)
}

/// What [`reload`] did with changed files.
pub enum Reload {
    /// The pages at these indices were replaced in place.
    Patched {
        indices: Vec<usize>,
        /// The replaced pages as they were, so their old lists can be updated too.
        before: Vec<Page>,
    },
    /// A changed file has errors; the site is as it was.
    Failed(Diagnostics),
    /// A change needs a full build: a file appeared or went, a section, member or event
    /// changed, or a page changed its URL, aliases or draft state (links elsewhere may move).
    Full,
}

/// Reloads changed page files into `site` in place, for `serve`: a page is parsed and its
/// body rendered again, and lists and tags re-sorted only if what sorts them changed.
pub fn reload(site: &mut Site, files: &[PathBuf]) -> Reload {
    let mut fresh = Vec::new();
    let mut errors = Diagnostics::default();
    for file in files {
        let source = relative(&site.root, file);
        // Compared as bytes: `Path`'s `==` walks components, slow across thousands of pages.
        let same = |p: &Page| p.source.as_os_str() == source.as_os_str();
        let Some(index) = site.pages.iter().position(same) else {
            return Reload::Full;
        };
        // A page replaced by a link: a full build checks where it leads.
        if file.is_symlink() {
            return Reload::Full;
        }
        match reparse(site, index, file) {
            Reparsed::Page(page) => fresh.push((index, *page)),
            Reparsed::Broken(e) => errors.extend(e),
            Reparsed::Moved => return Reload::Full,
        }
    }
    if let Err(e) = errors.into_result() {
        return Reload::Failed(e);
    }
    let resort = fresh
        .iter()
        .any(|(i, new)| sorts_differently(&site.pages[*i], new));
    let indices: Vec<usize> = fresh.iter().map(|(i, _)| *i).collect();
    let old: Vec<(usize, Page)> = fresh
        .into_iter()
        .map(|(i, new)| (i, std::mem::replace(&mut site.pages[i], new)))
        .collect();
    if resort {
        reorder(site);
    }
    Reload::Patched {
        indices,
        before: old.into_iter().map(|(_, page)| page).collect(),
    }
}

/// A page file parsed again for [`reload`].
enum Reparsed {
    Page(Box<Page>),
    /// It has errors; the page in the site stays as it was.
    Broken(Vec<Diagnostic>),
    /// It cannot be patched in place (see [`Reload::Full`]).
    Moved,
}

/// The page at `index` parsed again from `file`, its body rendered.
fn reparse(site: &Site, index: usize, file: &Path) -> Reparsed {
    let old = &site.pages[index];
    if matches!(old.kind, SectionKind::Members | SectionKind::Events) {
        return Reparsed::Moved;
    }
    let content = site.root.join("content");
    let parsed = match parse_file(&site.root, &content, file, old.bundle_dir.clone(), false) {
        Ok(p) if p.draft => return Reparsed::Moved,
        Ok(p) => p,
        Err(e) => return Reparsed::Broken(e),
    };
    let mut errors = Diagnostics::default();
    let placed = place_page(
        &site.root,
        parsed,
        &site.sections,
        &site.config,
        &mut errors,
    );
    let Some((mut page, _)) = placed else {
        return Reparsed::Broken(errors.0);
    };
    errors.extend(unknown_authors(site, &page));
    // A page dated into the future leaves the site, which a full build does.
    if page.place() != old.place() || is_held_back(&page, site.hold_after) {
        return Reparsed::Moved;
    }
    let bodies = BodyRenderer::new(&site.config, &site.links);
    match bodies.render(&page.body, &page.source, page.body_line) {
        Ok(r) if errors.is_empty() => {
            set_rendered(&mut page, r);
            Reparsed::Page(Box::new(page))
        }
        Ok(_) => Reparsed::Broken(errors.0),
        Err(e) => Reparsed::Broken(errors.0.into_iter().chain(e).collect()),
    }
}

/// Whether replacing `old` by `new` can move pages in lists or tags.
fn sorts_differently(old: &Page, new: &Page) -> bool {
    old.date != new.date
        || old.title != new.title
        || old.front.weight != new.front.weight
        || old.front.tags != new.front.tags
}

/// Sorts every section's pages and collects the tags again.
fn reorder(site: &mut Site) {
    for section in &mut site.sections {
        section.pages.clear();
    }
    order_pages(site);
    site.tags = collect_tags(site);
}

/// Leaves out drafts, and everything under a draft section.
fn drop_drafts(files: &mut Vec<Parsed>) {
    let draft_dirs: Vec<String> = files
        .iter()
        .filter(|f| f.is_section && f.draft)
        .map(|f| f.content_path.trim_end_matches("_index.md").to_string())
        .filter(|d| !d.is_empty())
        .collect();
    files.retain(|f| {
        !f.draft
            && !draft_dirs
                .iter()
                .any(|d| f.content_path.starts_with(d.as_str()))
    });
}

fn entry_content_path(content: &Path, entry: &Entry) -> Option<String> {
    match entry {
        Entry::Section(f) | Entry::Page { file: f, .. } => Some(slash_path(&relative(content, f))),
        Entry::Loose(_) => None,
    }
}

/// Lists `content/` in a stable order, skipping hidden and editor files; what cannot be
/// read (or leads out of the hub) goes to `errors`.
fn walk(root: &Path, content: &Path, errors: &mut Diagnostics) -> Vec<Entry> {
    let walked = hub_files::walk(root, content, is_ignored);
    errors.extend(walked.errors);
    let mut bundles: Vec<&Path> = Vec::new();
    let mut entries = Vec::new();
    for found in &walked.found {
        let path = found.path.as_path();
        if found.is_dir {
            if path.join("index.md").is_file() {
                bundles.push(path);
            }
            continue;
        }
        let bundle = bundles.iter().rev().find(|b| path.starts_with(b));
        let bundle = bundle.map(|b| b.to_path_buf());
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        let path = path.to_path_buf();
        entries.push(match (name.as_ref(), &bundle) {
            ("_index.md", None) => Entry::Section(path),
            ("index.md", Some(b)) if path.parent() == Some(b.as_path()) => {
                Entry::Page { file: path, bundle }
            }
            (_, Some(_)) => continue, // a bundle's own files are its assets
            (n, None) if n.ends_with(".md") => Entry::Page {
                file: path,
                bundle: None,
            },
            (_, None) => Entry::Loose(path),
        });
    }
    entries
}

/// Hidden files and the droppings of editors (swap, backup, lock files).
pub fn is_ignored(name: &str) -> bool {
    (name.starts_with('.') && name.len() > 1 && name != "..") || is_editor_file(name)
}

/// Files editors leave beside the ones being edited; never part of a site.
pub fn is_editor_file(name: &str) -> bool {
    name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.starts_with(".#")
        || name.starts_with('#')
        || name == ".DS_Store"
}

fn loose_files(content: &Path, entries: &[Entry]) -> Vec<(PathBuf, String)> {
    entries
        .iter()
        .filter_map(|e| match e {
            Entry::Loose(p) => Some((p.clone(), slash_path(&relative(content, p)))),
            _ => None,
        })
        .collect()
}

/// A path with `/` separators, whatever the platform.
pub fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// A file's front matter and body, parsed but not yet placed in the site.
struct Parsed {
    source: PathBuf,
    content_path: String,
    is_section: bool,
    bundle: Option<PathBuf>,
    draft: bool,
    title: Option<String>,
    page: PageFront,
    section: SectionFront,
    body: String,
    body_line: usize,
    /// A hash of the whole file, to tell the next build whether it changed.
    fingerprint: u64,
    /// Kept until the section tree is known, to check kind-specific fields.
    table: toml::Table,
    raw: String,
}

fn parse_file(
    root: &Path,
    content: &Path,
    file: &Path,
    bundle: Option<PathBuf>,
    is_section: bool,
) -> Result<Parsed, Vec<Diagnostic>> {
    let source = relative(root, file);
    let mut text = std::fs::read_to_string(file)
        .map_err(|e| vec![Diagnostic::file(&source, format!("cannot read: {e}"))])?;
    let fingerprint = xxhash_rust::xxh3::xxh3_64(text.as_bytes());
    let split = front_matter::split(&source, &text).map_err(|d| vec![d])?;
    let page: PageFront = typed(&split.table, split.raw, &source)?;
    let section: SectionFront = if is_section {
        typed(&split.table, split.raw, &source)?
    } else {
        SectionFront::default()
    };
    let title = page.title.clone().or_else(|| {
        split
            .table
            .get("name")
            .and_then(|v| v.as_str())
            .map(str::to_string)
    });
    let raw = split.raw.to_string();
    let body_line = split.body_line;
    let body_start = text.len() - split.body.len();
    let table = split.table;
    // The body is most of the file: keep it in the buffer it was read into, since copying
    // it into fresh memory was a sixth of the time spent reading and parsing.
    text.drain(..body_start);
    Ok(Parsed {
        content_path: slash_path(&relative(content, file)),
        source,
        is_section,
        bundle,
        draft: if is_section {
            section.draft
        } else {
            page.draft
        },
        title,
        page,
        section,
        body: text,
        body_line,
        fingerprint,
        table,
        raw,
    })
}

/// Deserializes a front matter table into `T`, pointing type errors at the field's line.
fn typed<T: DeserializeOwned>(
    table: &toml::Table,
    raw: &str,
    source: &Path,
) -> Result<T, Vec<Diagnostic>> {
    T::deserialize(toml::Value::Table(table.clone())).map_err(|e| {
        // serde's message does not say which field was wrong; find it by trying each alone.
        let culprit = table.iter().find(|(k, v)| {
            let mut alone = toml::Table::new();
            alone.insert((*k).clone(), (*v).clone());
            T::deserialize(toml::Value::Table(alone)).is_err()
        });
        let d = match culprit {
            Some((key, _)) => Diagnostic::at(
                source,
                locate_key(raw, None, key).shifted(1),
                format!("invalid `{key}`: {}", e.message()),
            ),
            None => Diagnostic::at(
                source,
                Pos::new(2, 1),
                format!("invalid front matter: {}", e.message()),
            ),
        };
        vec![d.with_hint("check the field's type: text in quotes, lists in [ ], numbers bare")]
    })
}

/// Places parsed files into sections and gives every page its path.
fn assemble(root: &Path, config: Config, files: Vec<Parsed>, errors: &mut Diagnostics) -> Site {
    // Sections are taken out in place: partitioned into new vectors, the pages were
    // copied again and again as the vectors grew, on one core.
    let mut page_files = files;
    let section_files: Vec<Parsed> = page_files.extract_if(.., |f| f.is_section).collect();
    let mut sections: Vec<Section> = Vec::new();
    let mut warnings = Vec::new();
    if !section_files.iter().any(|f| f.content_path == "_index.md") {
        sections.push(implicit_home(&config));
    }
    for f in section_files {
        check_fields(&f, SECTION_FIELDS, f.section.kind.section_fields(), errors);
        check_links(&f, &[f.section.kind.section_links()], errors);
        let members = member_settings(&f, errors);
        let seminars = seminar_settings(&f, &config, errors);
        warnings.extend(directory_pagination(&f));
        let mut section = make_section(f, &config);
        if section.front.kind == SectionKind::Members {
            section.front.paginate_by = None;
        }
        sections.push(Section {
            members,
            seminars,
            ..section
        });
    }
    sections.sort_by(|a, b| a.dir.cmp(&b.dir));
    link_sections(&mut sections);
    // Pages are placed independently, in parallel; their problems are reported in file order.
    let placed: Vec<_> = page_files
        .into_par_iter()
        .with_max_len(crate::site::GRAIN)
        .map(|f| {
            let mut problems = Diagnostics::default();
            let page = place_page(root, f, &sections, &config, &mut problems);
            (page, problems)
        })
        .collect();
    let mut pages = Vec::with_capacity(placed.len());
    let mut slug_lines = Vec::with_capacity(placed.len());
    for (page, problems) in placed {
        errors.extend(problems.0);
        if let Some((page, slug_line)) = page {
            slug_lines.push(slug_line);
            pages.push(page);
        }
    }
    check_member_slugs(&pages, &slug_lines, errors);
    Site {
        root: root.to_path_buf(),
        config,
        sections,
        pages,
        tags: Vec::new(),
        loose_files: Vec::new(),
        members: FxHashMap::default(),
        links: HashMap::new(),
        late_errors: Mutex::default(),
        hold_after: None,
        warnings,
    }
}

/// A member directory is read whole and filtered by tab and group, so it stays one page:
/// split, every page repeated the tabs and filters, and a large directory's pages together
/// grew with the square of its size. `paginate_by` there is ignored, with this warning.
fn directory_pagination(f: &Parsed) -> Option<Diagnostic> {
    if f.section.kind != SectionKind::Members || f.section.paginate_by.is_none() {
        return None;
    }
    let pos = locate_key(&f.raw, None, "paginate_by").shifted(1);
    let message = "`paginate_by` is ignored in a members section: the directory is one page";
    let hint = "remove it; readers find people through the directory's tabs and group filter";
    Some(Diagnostic::at(&f.source, pos, message).with_hint(hint))
}

/// Whether `page` waits for its date: a post or plain page dated after `hold_after`.
fn is_held_back(page: &Page, hold_after: Option<jiff::Timestamp>) -> bool {
    let waits = matches!(page.kind, SectionKind::Posts | SectionKind::Pages);
    match (hold_after, &page.date) {
        (Some(now), Some(date)) => waits && date.timestamp() > now,
        _ => false,
    }
}

/// Leaves out the posts and pages whose date has not come yet, as drafts are left out:
/// every build loads the files again, so a page appears on the first build after its date.
fn hold_back_future(site: &mut Site) {
    let hold_after = site.hold_after;
    site.pages.retain(|p| !is_held_back(p, hold_after));
}

/// Makes the page of a parsed file in its section, with its member, talk or event data,
/// and the position of its `slug` field; `None` when it has errors (reported).
fn place_page(
    root: &Path,
    f: Parsed,
    sections: &[Section],
    config: &Config,
    errors: &mut Diagnostics,
) -> Option<(Page, Pos)> {
    let section = owning_section(sections, &f.content_path);
    let kind = sections[section].front.kind;
    check_fields(&f, PAGE_FIELDS, kind.page_fields(), errors);
    check_links(&f, &[PAGE_LINKS, kind.page_links()], errors);
    check_images(&f, errors);
    let member = (kind == SectionKind::Members)
        .then(|| parse_member(root, &f, &sections[section], errors))
        .flatten();
    let slug_line = f
        .table
        .contains_key("slug")
        .then(|| locate_key(&f.raw, None, "slug").shifted(1));
    let seminar = seminar(&f, &sections[section])
        .map_err(|e| errors.extend(e))
        .ok()?;
    let event = (kind == SectionKind::Events)
        .then(|| load_event(root, &f, &sections[section], config))
        .transpose();
    match (
        make_page(root, f, section, kind, &sections[section], config),
        event,
    ) {
        (Ok(mut p), Ok(event)) => {
            p.member = member.map(|m| Member {
                name: if m.name.is_empty() {
                    p.title.clone()
                } else {
                    m.name.clone()
                },
                ..m
            });
            p.date = p
                .date
                .or_else(|| seminar.as_ref().map(seminars::start_zoned));
            p.seminar = seminar;
            p.people.extend(event.iter().flat_map(|e| e.people()));
            p.event = event;
            Some((p, slug_line.unwrap_or(Pos::new(1, 1))))
        }
        (p, e) => {
            errors.extend(p.err());
            errors.extend(e.err().into_iter().flatten());
            None
        }
    }
}

/// A page's `image` and `banner` beside it must exist: a missing one would be published as a
/// broken image. Root-absolute paths may name theme assets or other pages' files, and URLs
/// are checked elsewhere, so only paths into the page's own bundle are checked here.
fn check_images(f: &Parsed, errors: &mut Diagnostics) {
    let fields = [("image", &f.page.image), ("banner", &f.page.banner)];
    for (key, written) in fields {
        let Some(written) = written.as_deref() else {
            continue;
        };
        if written.starts_with('/') || written.contains(':') {
            continue;
        }
        let exists = f
            .bundle
            .as_ref()
            .is_some_and(|dir| dir.join(written).is_file());
        if !exists {
            let pos = locate_value(&f.raw, None, key).shifted(1);
            errors.push(
                Diagnostic::at(&f.source, pos, format!("{key} `{written}` not found"))
                    .with_hint(match f.bundle {
                        Some(_) => "put the file in the page's bundle folder, beside index.md, or start the path with `/` for a file under static/",
                        None => "make the page a bundle (a folder with index.md) and put the file in it, or start the path with `/` for a file under static/",
                    }),
            );
        }
    }
}

/// Whether an `authors` entry is written like a member slug (`ada-lovelace`) rather than a
/// name (`Jane Doe`, `Ada`): lower-case letters and digits joined by dashes.
fn is_slug_shaped(author: &str) -> bool {
    author.contains('-')
        && !author.starts_with('-')
        && !author.ends_with('-')
        && author
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// An author written as a slug must be a member: a mistyped slug would otherwise be
/// published as plain text, with no link and no error.
fn check_authors(site: &Site, errors: &mut Diagnostics) {
    for page in &site.pages {
        errors.extend(unknown_authors(site, page));
    }
}

/// The errors for `page`'s authors written as slugs that name no member of `site`.
fn unknown_authors(site: &Site, page: &Page) -> Vec<Diagnostic> {
    let unknown = page
        .front
        .authors
        .iter()
        .filter(|a| is_slug_shaped(a) && !site.members.contains_key(a.as_str()));
    unknown
        .map(|author| {
            // Pages do not keep their front matter text; the file is read again only to
            // place this (rare) error.
            let text = std::fs::read_to_string(site.root.join(&page.source)).unwrap_or_default();
            let line = locate_value(&text, None, "authors");
            let column = text
                .lines()
                .nth(line.line - 1)
                .and_then(|l| Some(l[..l.find(&format!("\"{author}\""))?].chars().count() + 1))
                .unwrap_or(line.column);
            let pos = Pos::new(line.line, column);
            match suggest(author, site.members.keys().map(String::as_str)) {
                Some(s) => Diagnostic::at(
                    &page.source,
                    pos,
                    format!("no member has the slug `{author}`, did you mean `{s}`?"),
                ),
                None => Diagnostic::at(&page.source, pos, format!("no member has the slug `{author}`"))
                    .with_hint("an author written like a slug names a member's page; write someone who is not a member by name, e.g. \"Ada Lovelace\""),
            }
        })
        .collect()
}

/// The settings of a members section; other kinds have none.
fn member_settings(f: &Parsed, errors: &mut Diagnostics) -> Option<MemberSettings> {
    if f.section.kind != SectionKind::Members {
        return None;
    }
    typed(&f.table, &f.raw, &f.source)
        .map_err(|e| errors.extend(e))
        .ok()
}

/// The typed member of a members page, checked; `None` when it has errors (reported).
fn parse_member(
    root: &Path,
    f: &Parsed,
    section: &Section,
    errors: &mut Diagnostics,
) -> Option<Member> {
    let mut member: Member = typed(&f.table, &f.raw, &f.source)
        .map_err(|e| errors.extend(e))
        .ok()?;
    let file_dir = root.join(&f.source);
    let dir = f
        .bundle
        .as_deref()
        .or_else(|| file_dir.parent())
        .unwrap_or(root);
    let origin = members::Origin {
        source: &f.source,
        raw: &f.raw,
        root,
        dir,
    };
    let undeclared = MemberSettings::default();
    let settings = section.members.as_ref().unwrap_or(&undeclared);
    members::check(&mut member, settings, &origin)
        .map_err(|e| errors.extend(e))
        .ok()?;
    Some(member)
}

fn check_member_slugs(pages: &[Page], slug_lines: &[Pos], errors: &mut Diagnostics) {
    let uses: Vec<members::SlugUse> = pages
        .iter()
        .zip(slug_lines)
        .filter(|(p, _)| p.kind == SectionKind::Members)
        .map(|(p, &pos)| members::SlugUse {
            slug: &p.slug,
            source: &p.source,
            pos,
        })
        .collect();
    errors.extend(members::duplicate_slugs(&uses));
}

/// The people a page's front matter names: `speakers` (or the `speaker` shorthand),
/// `organizers` and `conveners`, each a list of names or of `{ name, member }` tables.
/// Kinds that name people elsewhere (a timetable) add theirs to `Page::people` too.
fn named_people(table: &toml::Table) -> Vec<PersonRef> {
    let lists = [
        ("speakers", Role::Speaker),
        ("speaker", Role::Speaker),
        ("organizers", Role::Organiser),
        ("conveners", Role::Convener),
    ];
    lists
        .iter()
        .filter_map(|(key, role)| Some((table.get(*key)?, *role)))
        .flat_map(|(value, role)| {
            let items = match value {
                toml::Value::Array(items) => items.clone(),
                single => vec![single.clone()],
            };
            items
                .into_iter()
                .filter_map(move |item| person_ref(&item, role))
        })
        .collect()
}

fn person_ref(item: &toml::Value, role: Role) -> Option<PersonRef> {
    let text = |v: Option<&toml::Value>| v.and_then(|v| v.as_str()).map(str::to_string);
    let (name, member) = match item {
        toml::Value::String(name) => (Some(name.clone()), None),
        toml::Value::Table(t) => (text(t.get("name")), text(t.get("member"))),
        _ => return None,
    };
    (name.is_some() || member.is_some()).then_some(PersonRef { role, name, member })
}

/// A seminars section's settings; problems are reported and the rest still used.
fn seminar_settings(
    f: &Parsed,
    config: &Config,
    errors: &mut Diagnostics,
) -> Option<seminars::SeminarSettings> {
    if f.section.kind != SectionKind::Seminars {
        return None;
    }
    let origin = seminars::Origin {
        file: &f.source,
        raw: &f.raw,
    };
    let (settings, problems) = seminars::parse_settings(&f.table, origin, config);
    errors.extend(problems);
    Some(settings)
}

/// The talk of a page in a seminars section (`None` for other pages).
fn seminar(f: &Parsed, section: &Section) -> Result<Option<seminars::Seminar>, Vec<Diagnostic>> {
    let Some(settings) = &section.seminars else {
        return Ok(None);
    };
    let origin = seminars::Origin {
        file: &f.source,
        raw: &f.raw,
    };
    seminars::parse_seminar(&f.table, origin, settings).map(Some)
}

/// The event fields and bundle files (timetable, participants) of an events page; its zone
/// defaults to the section's, then the site's.
fn load_event(
    root: &Path,
    f: &Parsed,
    section: &Section,
    config: &Config,
) -> Result<crate::events::EventData, Vec<Diagnostic>> {
    crate::events::load(&crate::events::EventSource {
        root,
        file: &f.source,
        table: &f.table,
        raw: &f.raw,
        bundle: f.bundle.as_deref(),
        default_timezone: section
            .front
            .timezone
            .as_deref()
            .unwrap_or(&config.timezone),
    })
}

fn check_fields(f: &Parsed, common: &[&str], kind: &[&str], errors: &mut Diagnostics) {
    let known: Vec<&str> = common.iter().chain(kind).copied().collect();
    let file = f.source.to_string_lossy();
    check_keys(
        &f.table,
        &known,
        None,
        &f.raw,
        &file,
        Pos::new(1, 0),
        errors,
    );
}

/// Refuses links that are not `https:`, `http:`, `mailto:`, `tel:` or on the site, in the
/// URL fields of each of `lists`.
fn check_links(f: &Parsed, lists: &[&[Field]], errors: &mut Diagnostics) {
    for fields in lists {
        errors.extend(safe_url::check_table(
            &f.table, fields, &f.raw, &f.source, 1,
        ));
    }
}

fn implicit_home(config: &Config) -> Section {
    Section::new(
        PathBuf::from("content/_index.md"),
        "_index.md".into(),
        config.title.clone(),
        SectionFront::default(),
    )
}

fn make_section(f: Parsed, config: &Config) -> Section {
    let dir = f
        .content_path
        .trim_end_matches("_index.md")
        .trim_end_matches('/');
    let title = f.title.unwrap_or_else(|| {
        if dir.is_empty() {
            config.title.clone()
        } else {
            dir.to_string()
        }
    });
    Section {
        body: f.body,
        body_line: f.body_line,
        fingerprint: f.fingerprint,
        ..Section::new(f.source, f.content_path, title, f.section)
    }
}

/// Sets parents and subsections; sections are sorted by folder, so parents come first.
fn link_sections(sections: &mut [Section]) {
    for i in 1..sections.len() {
        let parent = (0..i)
            .rev()
            .find(|&j| is_ancestor(&sections[j].dir, &sections[i].dir))
            .unwrap_or(0);
        sections[i].parent = Some(parent);
        sections[parent].subsections.push(i);
    }
}

fn is_ancestor(ancestor: &str, dir: &str) -> bool {
    ancestor.is_empty() || dir.starts_with(&format!("{ancestor}/"))
}

/// The deepest section whose folder contains the file.
fn owning_section(sections: &[Section], content_path: &str) -> usize {
    sections
        .iter()
        .enumerate()
        .filter(|(_, s)| is_ancestor(&s.dir, content_path))
        .max_by_key(|(_, s)| s.dir.len())
        .map_or(0, |(i, _)| i)
}

fn make_page(
    root: &Path,
    f: Parsed,
    section: usize,
    kind: SectionKind,
    sec: &Section,
    config: &Config,
) -> Result<Page, Diagnostic> {
    let Some(title) = f.title.clone() else {
        let field = if kind == SectionKind::Members {
            "name"
        } else {
            "title"
        };
        return Err(
            Diagnostic::at(&f.source, Pos::new(1, 1), format!("missing `{field}`"))
                .with_hint(format!("add `{field} = \"…\"` to the front matter")),
        );
    };
    let tz = jiff::tz::TimeZone::get(&config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    let (stem, folder) = name_parts(&f.content_path, f.bundle.is_some());
    let (file_date, stem) = split_date_prefix(stem);
    if let Some(written) = f
        .page
        .slug
        .as_deref()
        .filter(|s| s.contains(['/', '\\']) || s.contains(".."))
    {
        let pos = locate_key(&f.raw, None, "slug").shifted(1);
        return Err(Diagnostic::at(
            &f.source,
            pos,
            format!("slug `{written}` is not a single URL segment"),
        )
        .with_hint(
            "a slug names the page within its section: letters, digits and dashes, no `/`",
        ));
    }
    let slug = slugify(f.page.slug.as_deref().unwrap_or(stem));
    if slug.is_empty() {
        let pos = locate_key(&f.raw, None, "slug").shifted(1);
        return Err(Diagnostic::at(
            &f.source,
            pos,
            "this page gets an empty URL: its slug has no letters or digits",
        )
        .with_hint("set `slug = \"a-name\"` or rename the file"));
    }
    let aliases = alias_paths(&f)?;
    check_tags(&f)?;
    let date = date_field(&f, "date", f.page.date.as_deref(), &tz)?
        .or_else(|| file_date.map(|d| crate::time::When::Date(d).in_zone(&tz)));
    let updated = date_field(&f, "updated", f.page.updated.as_deref(), &tz)?;
    let mut assets = (f.bundle.as_deref())
        .map(|dir| bundle_assets(root, dir))
        .unwrap_or_default();
    if kind == SectionKind::Events {
        // The timetable and participants list become pages; they are not published raw.
        assets.retain(|a| !crate::events::is_source_file(a));
    }
    let _ = sec;
    Ok(Page {
        people: named_people(&f.table),
        member: None,
        path: format!("{folder}{slug}/"),
        aliases,
        source: f.source,
        key: crate::render::key_of(&f.content_path),
        content_path: f.content_path,
        section,
        kind,
        slug,
        title,
        date,
        updated,
        front: f.page,
        body: f.body,
        body_line: f.body_line,
        fingerprint: f.fingerprint,
        rendered: Default::default(),
        assets,
        bundle_dir: f.bundle,
        seminar: None,
        event: None,
    })
}

/// The output paths of a page's `aliases`: `/old/url/` → `old/url/index.html`. A path that
/// climbs out of the site (`..`) is an error, not a file written somewhere else.
fn alias_paths(f: &Parsed) -> Result<Vec<String>, Diagnostic> {
    f.page
        .aliases
        .iter()
        .map(|alias| {
            let trimmed = alias.trim().trim_start_matches('/');
            let bad = trimmed.is_empty()
                || trimmed.contains(['\\', '\0', '?', '#'])
                || trimmed.split('/').any(|seg| seg == ".." || seg == ".");
            if bad {
                let pos = locate_key(&f.raw, None, "aliases").shifted(1);
                return Err(Diagnostic::at(
                    &f.source,
                    pos,
                    format!("alias `{alias}` is not a path inside the site"),
                )
                .with_hint(
                    "write old URLs as paths from the site's root, e.g. `/news/old-name/`",
                ));
            }
            Ok(if trimmed.ends_with(".html") || trimmed.ends_with('/') {
                trimmed.to_string()
            } else {
                format!("{trimmed}/")
            })
        })
        .collect()
}

/// Every tag must make a URL. Checked here, where the front matter text is at hand to
/// point at the `tags` line; [`collect_tags`] then meets only tags that do.
fn check_tags(f: &Parsed) -> Result<(), Diagnostic> {
    // Any ASCII letter or digit survives into the slug; only the rest needs slugifying.
    let empty =
        |tag: &String| !tag.bytes().any(|b| b.is_ascii_alphanumeric()) && slugify(tag).is_empty();
    match f.page.tags.iter().find(|t| empty(t)) {
        Some(tag) => Err(Diagnostic::at(
            &f.source,
            locate_key(&f.raw, None, "tags").shifted(1),
            format!("tag `{tag}` has no letters or digits to make a URL from"),
        )
        .with_hint("use a tag with at least one letter or digit")),
        None => Ok(()),
    }
}

/// For `news/a/post.md` → (`post`, `news/a/`); for a bundle `news/post/index.md` → (`post`, `news/`).
fn name_parts(content_path: &str, bundle: bool) -> (&str, &str) {
    let trimmed = if bundle {
        content_path.trim_end_matches("/index.md")
    } else {
        content_path.trim_end_matches(".md")
    };
    match trimmed.rfind('/') {
        Some(i) => (&trimmed[i + 1..], &content_path[..i + 1]),
        None => (trimmed, ""),
    }
}

/// `2020-08-12-dance` → (2020-08-12, `dance`).
fn split_date_prefix(stem: &str) -> (Option<jiff::civil::Date>, &str) {
    if stem.len() > 11
        && stem.as_bytes()[10] == b'-'
        && let Ok(d) = crate::time::parse_date(&stem[..10])
    {
        return (Some(d), &stem[11..]);
    }
    (None, stem)
}

fn date_field(
    f: &Parsed,
    key: &str,
    value: Option<&str>,
    tz: &jiff::tz::TimeZone,
) -> Result<Option<jiff::Zoned>, Diagnostic> {
    let Some(v) = value else { return Ok(None) };
    parse_when(v).map(|w| Some(w.in_zone(tz))).map_err(|e| {
        let pos = locate_value(&f.raw, None, key).shifted(1);
        Diagnostic::at(&f.source, pos, e).with_hint(front_matter::DATE_HINT)
    })
}

/// The files of the bundle in `dir` that are published beside its page. Problems in it
/// were reported by the walk of `content/`, which takes the same rule.
fn bundle_assets(root: &Path, dir: &Path) -> Vec<PathBuf> {
    let walked = hub_files::walk_within(root, dir, is_ignored);
    let assets = walked.files(dir).map(|(_, abs)| abs);
    assets
        .filter(|f| !f.to_string_lossy().ends_with(".md"))
        .map(Path::to_path_buf)
        .collect()
}

/// A URL-safe ASCII slug: `Łukasz Bibrzycki` → `lukasz-bibrzycki`.
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').to_string()
}

/// What gives a file its URL, from least to most deliberate: when two URLs clash, the
/// file that chose one on purpose is the one to change.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum UrlFrom {
    FileName,
    Slug,
    Alias,
}

/// Two files (or an alias) with one URL, reported on the file whose `slug` or `aliases`
/// made the clash, at that field. Two member pages with one slug are left to the members
/// check, which reports them with the line of the `slug` field.
fn check_unique_paths(site: &Site, errors: &mut Diagnostics) {
    let mut seen: HashMap<String, (&Path, UrlFrom, bool)> = HashMap::new();
    let sections = site.sections.iter().map(|s| {
        (
            s.path.as_str(),
            s.source.as_path(),
            UrlFrom::FileName,
            false,
        )
    });
    let pages = site.pages.iter().map(|p| {
        let member = p.kind == SectionKind::Members;
        let from = match p.front.slug {
            Some(_) => UrlFrom::Slug,
            None => UrlFrom::FileName,
        };
        (p.path.as_str(), p.source.as_path(), from, member)
    });
    let aliases = site.pages.iter().flat_map(|p| {
        p.aliases
            .iter()
            .map(move |a| (a.as_str(), p.source.as_path(), UrlFrom::Alias, false))
    });
    for (path, source, from, member) in sections.chain(pages).chain(aliases) {
        let key = path.trim_end_matches("index.html").to_string();
        match seen.insert(key, (source, from, member)) {
            Some((_, _, true)) if member => {}
            Some((other, other_from, _)) if other_from > from => {
                errors.push(url_clash(&site.root, path, (other, other_from), source));
            }
            Some((other, _, _)) => errors.push(url_clash(&site.root, path, (source, from), other)),
            None => {}
        }
    }
}

/// `culprit` (and what gave it the URL) has `path`, which `other` has too.
fn url_clash(root: &Path, path: &str, culprit: (&Path, UrlFrom), other: &Path) -> Diagnostic {
    let (source, from) = culprit;
    let (what, field) = match from {
        UrlFrom::FileName => ("has the URL", None),
        UrlFrom::Slug => ("has the URL", Some("slug")),
        UrlFrom::Alias => ("has an alias", Some("aliases")),
    };
    let message = format!("{what} `/{path}`, which {} uses too", other.display());
    let pos = field
        .map(|key| field_pos(root, source, key))
        .unwrap_or_default();
    Diagnostic::at(source, pos, message)
        .with_hint("give one of them a different `slug`, or remove the alias")
}

/// Where `key` is set in the front matter of `source` (relative to `root`); looked up again
/// in the file, as its text is not kept once the page is made.
fn field_pos(root: &Path, source: &Path, key: &str) -> Pos {
    let Ok(text) = std::fs::read_to_string(root.join(source)) else {
        return Pos::default();
    };
    front_matter::split(source, &text).map_or_else(
        |_| Pos::default(),
        |s| locate_key(s.raw, None, key).shifted(1),
    )
}

/// Content path → site path, for `@/` links.
fn link_map(site: &Site, existing: &[String]) -> HashMap<String, String> {
    let sections = site
        .sections
        .iter()
        .map(|s| (s.content_path.clone(), s.path.clone()));
    let pages = site
        .pages
        .iter()
        .map(|p| (p.content_path.clone(), p.path.clone()));
    let mut map: HashMap<String, String> = sections.chain(pages).collect();
    for path in existing {
        map.entry(path.clone()).or_default();
    }
    map
}

/// Renders the bodies of the pages at `pages` (indices into [`Site::pages`]) in parallel,
/// reporting every problem.
pub fn render_bodies(
    site: &mut Site,
    pages: impl IntoIterator<Item = usize>,
) -> Result<(), Diagnostics> {
    let bodies = BodyRenderer::new(&site.config, &site.links);
    let mut wanted = vec![false; site.pages.len()];
    for i in pages {
        wanted[i] = true;
    }
    // Each page takes its HTML (and lets go of its source) as soon as it is rendered: held
    // until all were rendered, every source and every HTML were in memory together, which
    // was a large hub's peak.
    let errors: Vec<_> = site
        .pages
        .par_iter_mut()
        .zip(wanted)
        .with_max_len(crate::site::GRAIN)
        .filter(|(_, wanted)| *wanted)
        .filter_map(|(p, _)| {
            let r = bodies.render(&p.body, &p.source, p.body_line);
            r.map(|r| set_rendered(p, r)).err()
        })
        .collect();
    Diagnostics(errors.into_iter().flatten().collect()).into_result()
}

/// Renders every section's body (their pages' lists show them), reporting every problem.
fn render_section_bodies(site: &mut Site) -> Result<(), Diagnostics> {
    let bodies = BodyRenderer::new(&site.config, &site.links);
    let errors: Vec<_> = site
        .sections
        .par_iter_mut()
        .filter_map(|s| {
            let r = bodies.render(&s.body, &s.source, s.body_line);
            r.map(|r| s.html = r.html).err()
        })
        .collect();
    Diagnostics(errors.into_iter().flatten().collect()).into_result()
}

/// Member slug → page index; the first page wins (duplicates are reported elsewhere).
fn member_index(pages: &[Page]) -> FxHashMap<String, usize> {
    let mut index = FxHashMap::default();
    for (i, p) in pages.iter().enumerate() {
        if p.kind == SectionKind::Members {
            index.entry(p.slug.clone()).or_insert(i);
        }
    }
    index
}

/// Gives `page` its rendered body, and lets go of the source where nothing reads it again.
fn set_rendered(page: &mut Page, r: markdown::Rendered) {
    page.rendered = r.into();
    if page.seminar.is_none() {
        page.body = String::new();
    }
}

/// Renders bodies with what they need of the site: the Markdown settings, the base path
/// and the links map.
struct BodyRenderer<'a> {
    config: &'a Config,
    links: Links<'a>,
}

impl<'a> BodyRenderer<'a> {
    fn new(config: &'a Config, links: &'a HashMap<String, String>) -> Self {
        let links = Links {
            pages: links,
            base_path: config.base_path(),
        };
        BodyRenderer { config, links }
    }

    /// Renders `body`, which starts after `line` lines of `file` (for messages).
    fn render(
        &self,
        body: &str,
        file: &Path,
        line: usize,
    ) -> Result<markdown::Rendered, Vec<Diagnostic>> {
        let source = Source {
            file,
            line_offset: line,
        };
        markdown::render(body, &self.config.markdown, &self.links, &source)
    }
}

/// Fills each section's page list in its declared order; ties fall back to the path so the
/// order never depends on the file system.
fn order_pages(site: &mut Site) {
    for (i, page) in site.pages.iter().enumerate() {
        site.sections[page.section].pages.push(i);
    }
    let pages = &site.pages;
    let names = NameOrder::new(&site.config.language);
    // Sections sort side by side: a long list of posts by date, and a directory by
    // collated names, which is the slower of the two.
    site.sections.par_iter_mut().for_each(|section| {
        let by = section.sort_by();
        section.pages.sort_by(|&a, &b| {
            let (a, b) = (&pages[a], &pages[b]);
            let primary = match by {
                SortBy::Date => b.date.cmp(&a.date),
                SortBy::Weight => a
                    .front
                    .weight
                    .unwrap_or(0)
                    .cmp(&b.front.weight.unwrap_or(0))
                    .then_with(|| a.title.cmp(&b.title)),
                SortBy::Title => a.title.to_lowercase().cmp(&b.title.to_lowercase()),
                SortBy::Name => names
                    .compare_entries((a.member.as_ref(), &a.title), (b.member.as_ref(), &b.title)),
                SortBy::None => std::cmp::Ordering::Equal,
            };
            primary.then_with(|| a.content_path.cmp(&b.content_path))
        });
    });
}

fn collect_tags(site: &Site) -> Vec<Term> {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    // A hub has a few dozen tags on thousands of pages: each is made a slug once.
    let mut slugs: FxHashMap<&str, String> = FxHashMap::default();
    for section in &site.sections {
        for &i in &section.pages {
            for tag in &site.pages[i].front.tags {
                let slug = slugs.entry(tag).or_insert_with(|| slugify(tag));
                // Reported by `check_tags`, with its line.
                if slug.is_empty() {
                    continue;
                }
                if let Some(term) = terms.get_mut(slug.as_str()) {
                    term.pages.push(i);
                    continue;
                }
                let term = Term {
                    name: tag.clone(),
                    path: format!("tags/{slug}/"),
                    slug: slug.clone(),
                    pages: vec![i],
                };
                terms.insert(slug.clone(), term);
            }
        }
    }
    let pages = &site.pages;
    let mut terms: Vec<Term> = terms.into_values().collect();
    for t in &mut terms {
        t.pages.sort_by(|&a, &b| {
            pages[b]
                .date
                .cmp(&pages[a].date)
                .then_with(|| pages[a].content_path.cmp(&pages[b].content_path))
        });
        t.pages.dedup();
    }
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_dashed_lower_case_authors_are_slugs() {
        for slug in ["ada-lovelace", "jane-doe-2"] {
            assert!(is_slug_shaped(slug), "{slug}");
        }
        for name in [
            "Jane Doe",
            "ada",
            "Ada-Lovelace",
            "-ada",
            "ada-",
            "ana-maría",
        ] {
            assert!(!is_slug_shaped(name), "{name}");
        }
    }

    #[test]
    fn a_reloaded_page_with_an_unknown_author_slug_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        let write = |rel: &str, text: &str| {
            let path = root.join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write(
            "config.toml",
            "base_url = \"https://example.org/\"\ntitle = \"T\"\n",
        );
        write(
            "content/people/_index.md",
            "+++\ntitle = \"P\"\nkind = \"members\"\n+++\n",
        );
        write(
            "content/people/ada-lovelace.md",
            "+++\nname = \"Ada Lovelace\"\n+++\n",
        );
        write(
            "content/news/_index.md",
            "+++\ntitle = \"N\"\nkind = \"posts\"\n+++\n",
        );
        let post = |author: &str| format!("+++\ntitle = \"A\"\nauthors = [\"{author}\"]\n+++\n");
        write("content/news/a.md", &post("ada-lovelace"));
        let config = Config::load(root).unwrap();
        let options = LoadOptions {
            drafts: false,
            defer_bodies: false,
            hold_after: None,
        };
        let mut site = load(root, config, &options, &|_| {}).unwrap();
        write("content/news/a.md", &post("ada-lovelce"));
        let Reload::Failed(errors) = reload(&mut site, &[root.join("content/news/a.md")]) else {
            panic!("the reload was accepted");
        };
        assert_eq!(
            errors.0[0].to_string(),
            "error: content/news/a.md:3:12: no member has the slug `ada-lovelce`, did you mean `ada-lovelace`?"
        );
    }

    #[test]
    fn content_is_listed_in_the_order_of_a_walk_sorted_by_name() {
        let tmp = tempfile::tempdir().unwrap();
        let content = tmp.path().join("content");
        let files = [
            "a/x.md",
            "a-b/x.md",
            "a.md",
            "B.md",
            "a/z/index.md",
            "a/z/p.png",
            "é.md",
        ];
        for f in files {
            let path = content.join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let sorted_walk: Vec<PathBuf> = walkdir::WalkDir::new(&content)
            .sort_by_file_name()
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file() && !e.path().ends_with("p.png"))
            .map(|e| e.into_path())
            .collect();
        let mut errors = Diagnostics::default();
        let listed = walk(tmp.path(), &content, &mut errors);
        let listed: Vec<PathBuf> = listed.iter().map(|e| e.path().to_owned()).collect();
        assert!(errors.is_empty(), "{errors}");
        assert_eq!(listed, sorted_walk);
        assert!(
            listed[1].ends_with("a/x.md") && listed[3].ends_with("a-b/x.md"),
            "{listed:?}"
        );
    }

    #[test]
    fn a_page_replaced_by_a_link_is_not_reloaded_in_place() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hub");
        let page = root.join("content/a.md");
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(root.join("config.toml"), "title = \"T\"\n").unwrap();
        std::fs::write(&page, "+++\ntitle = \"A\"\n+++\nA.\n").unwrap();
        let config = Config::load(&root).unwrap();
        let mut site = load(&root, config, &LoadOptions::default(), &|_| {}).unwrap();
        let outside = tmp.path().join("secret.md");
        std::fs::write(&outside, "+++\ntitle = \"A\"\n+++\nSECRET\n").unwrap();
        std::fs::remove_file(&page).unwrap();
        std::os::unix::fs::symlink(&outside, &page).unwrap();
        assert!(matches!(reload(&mut site, &[page]), Reload::Full));
    }

    #[test]
    fn a_page_edited_to_a_future_date_leaves_through_a_full_build() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hub");
        let page = root.join("content/a.md");
        std::fs::create_dir_all(page.parent().unwrap()).unwrap();
        std::fs::write(root.join("config.toml"), "title = \"T\"\n").unwrap();
        std::fs::write(&page, "+++\ntitle = \"A\"\ndate = 2020-01-01\n+++\nA.\n").unwrap();
        let config = Config::load(&root).unwrap();
        let options = LoadOptions {
            hold_after: Some("2021-01-01T00:00:00Z".parse().unwrap()),
            ..LoadOptions::default()
        };
        let mut site = load(&root, config, &options, &|_| {}).unwrap();
        assert_eq!(site.pages.len(), 1);
        std::fs::write(&page, "+++\ntitle = \"A\"\ndate = 2022-01-01\n+++\nA.\n").unwrap();
        assert!(matches!(reload(&mut site, &[page]), Reload::Full));
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(slugify("Łukasz Bibrzycki"), "lukasz-bibrzycki");
        assert_eq!(slugify("  Hello, World! "), "hello-world");
        assert_eq!(slugify("Ümit Sözbilir"), "umit-sozbilir");
    }

    #[test]
    fn pages_name_people_in_roles() {
        let table: toml::Table = toml::from_str(
            r#"
speaker = "Ann Lee"
speakers = [{ name = "Bo", member = "bo-x" }, 3]
organizers = ["Cy Dee", { affiliation = "nobody" }]
"#,
        )
        .unwrap();
        let people = named_people(&table);
        let roles: Vec<Role> = people.iter().map(|p| p.role).collect();
        assert_eq!(roles, [Role::Speaker, Role::Speaker, Role::Organiser]);
        assert!(people[0].names("bo-x", "Bo"));
        assert!(people[1].names("ann-lee", "ANN  lee"));
        assert!(
            !people[0].names("other", "Bo"),
            "a member slug decides alone"
        );
    }

    #[test]
    fn file_names_give_slugs_and_dates() {
        assert_eq!(name_parts("news/post.md", false), ("post", "news/"));
        assert_eq!(name_parts("news/post/index.md", true), ("post", "news/"));
        assert_eq!(name_parts("about.md", false), ("about", ""));
        let (d, s) = split_date_prefix("2020-08-12-dance");
        assert_eq!(
            (d.unwrap().to_string().as_str(), s),
            ("2020-08-12", "dance")
        );
    }
}
