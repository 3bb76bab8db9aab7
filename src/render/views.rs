//! Views: the data templates see, built from the content model.
//!
//! Templates receive these structs serialized; they hold ready-made URLs (already under the
//! base path) and formatted dates, so a template never has to compute a link.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Mutex, OnceLock};

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::config::Config;
use crate::content::page::squash_name;
use crate::content::{Page, Section, SectionKind, Site, Term};
use crate::diagnostics::Diagnostic;

/// URLs for a site: every internal link goes through here so sub-paths always work.
#[derive(Clone, Copy)]
pub struct Urls<'a> {
    pub base_path: &'a str,
    pub base_url: &'a str,
}

impl<'a> Urls<'a> {
    /// URLs of `config`'s site.
    pub fn new(config: &'a Config) -> Self {
        Urls {
            base_path: config.base_path(),
            base_url: &config.base_url,
        }
    }

    /// Root-relative URL of a site path (`news/` → `/hub/news/`).
    pub fn url(&self, path: &str) -> String {
        concat(self.base_path, path)
    }

    /// Absolute URL of a site path, for canonical links and feeds.
    pub fn permalink(&self, path: &str) -> String {
        concat(self.base_url, path)
    }

    /// A URL written by an author, relative to the page at `page_path`: full URLs stay,
    /// root-absolute ones go under the base path, relative ones resolve against the page.
    pub fn resolve(&self, written: &str, page_path: &str) -> String {
        if is_external(written) {
            written.to_string()
        } else if let Some(rest) = written.strip_prefix('/') {
            self.url(rest)
        } else {
            self.url(&format!("{page_path}{written}"))
        }
    }
}

impl Urls<'_> {
    /// The URL of a file named in front matter (`image`, `banner`, `slides`), resolved like
    /// [`Urls::resolve`]. The value is a file name, not a URL, so the characters that mean
    /// something in a URL (`#`, `?`, `%`, spaces) are encoded: `a#1.png` is that file, not
    /// `a` with a fragment.
    pub fn file(&self, written: &str, page_path: &str) -> String {
        if is_external(written) {
            return written.to_string();
        }
        let encoded = percent_encoding::utf8_percent_encode(written, FILE_NAME).to_string();
        self.resolve(&encoded, page_path)
    }
}

/// What a file name must have encoded to be one URL path: what ends a path (`#`, `?`),
/// starts an escape (`%`), or may not appear in a URL at all. `/` still separates folders.
const FILE_NAME: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}');

/// Whether an author's link goes to another site or app, and so stays as written.
fn is_external(written: &str) -> bool {
    written.contains("://") || written.starts_with("mailto:") || written.starts_with("tel:")
}

/// `a` then `b`, in a string of their exact size. Every view makes several URLs, and
/// `format!` (a general formatter) cost several times as much as two copies.
fn concat(a: &str, b: &str) -> String {
    let mut joined = String::with_capacity(a.len() + b.len());
    joined.push_str(a);
    joined.push_str(b);
    joined
}

/// The whole site, as every template sees it under `site`.
#[derive(Serialize)]
pub struct SiteView<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub base_url: &'a str,
    pub base_path: &'a str,
    pub language: &'a str,
    pub menu: Vec<Link>,
    pub extra: &'a toml::Table,
    pub generator: &'static str,
    /// The build's "now", RFC 3339.
    pub now: String,
    pub year: i16,
    /// Feeds to advertise in `<head>`.
    pub feeds: Vec<Link>,
}

/// A named link.
#[derive(Serialize, Clone)]
pub struct Link {
    pub name: String,
    pub url: String,
}

/// What `<head>` needs for a page: title, description, canonical URL, Open Graph.
#[derive(Serialize)]
pub struct Meta {
    pub title: String,
    pub description: String,
    pub canonical: String,
    /// Root-relative URL of this page, to mark the current menu entry.
    pub url: String,
    pub og_type: &'static str,
    pub image: Option<String>,
}

/// A date as templates show it.
#[derive(Serialize)]
pub struct DateView {
    /// `2020-08-12`, for `<time datetime>`.
    pub iso: String,
    /// `12 August 2020`.
    pub long: String,
    /// `12 Aug 2020`.
    pub short: String,
    pub year: i16,
}

impl DateView {
    /// Formats a zoned time's date.
    pub fn new(z: &jiff::Zoned) -> Self {
        let (year, month, day) = (z.year(), z.month(), z.day());
        // By hand, as `strftime` would: every card formats its date, and `strftime`
        // (which parses its format each time) was most of the cost of a card's view.
        // Years outside four digits are left to `strftime`'s rules for padding and sign.
        if !(0..=9999).contains(&year) {
            return DateView {
                iso: z.strftime("%Y-%m-%d").to_string(),
                long: z.strftime("%-d %B %Y").to_string(),
                short: z.strftime("%-d %b %Y").to_string(),
                year,
            };
        }
        let name = MONTHS[usize::from(month.unsigned_abs()) - 1];
        let (y, m, d) = (
            year.unsigned_abs(),
            month.unsigned_abs(),
            day.unsigned_abs(),
        );
        let mut iso = String::with_capacity(10);
        push_number(&mut iso, y, 4);
        iso.push('-');
        push_number(&mut iso, m.into(), 2);
        iso.push('-');
        push_number(&mut iso, d.into(), 2);
        let written = |month: &str| {
            let mut text = String::with_capacity(month.len() + 8);
            push_number(&mut text, d.into(), 1);
            text.push(' ');
            text.push_str(month);
            text.push(' ');
            push_number(&mut text, y, 4);
            text
        };
        DateView {
            iso,
            long: written(name),
            short: written(&name[..3]),
            year,
        }
    }
}

/// Appends `n` in decimal, zero-padded to `width` digits (at most 5). `format!` cost a
/// thousand instructions a number, and every card has three dates' worth.
fn push_number(out: &mut String, n: u16, width: usize) {
    let mut digits = [b'0'; 5];
    let mut rest = n;
    let mut first = digits.len();
    while first == digits.len() || rest > 0 {
        first -= 1;
        digits[first] = b'0' + (rest % 10) as u8;
        rest /= 10;
    }
    let first = first.min(digits.len() - width);
    out.push_str(std::str::from_utf8(&digits[first..]).expect("ASCII digits"));
}

/// English month names, as `strftime`'s `%B` writes them; `%b` is their first three letters.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// An image with its caption.
#[derive(Serialize)]
pub struct ImageView {
    pub url: String,
    pub caption: Option<String>,
}

/// A page; `content` is left out in lists, which only need the summary.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub permalink: String,
    pub kind: SectionKind,
    pub slug: &'a str,
    pub date: Option<DateView>,
    pub updated: Option<DateView>,
    pub content: Option<&'a str>,
    /// HTML: the part before `<!-- more -->`, else the `summary` field as text.
    pub summary: Option<String>,
    pub has_more: bool,
    pub tags: Vec<Link>,
    pub authors: Vec<Author>,
    pub image: Option<ImageView>,
    pub banner: Option<String>,
    pub word_count: usize,
    pub reading_minutes: usize,
    pub section: Link,
    pub extra: &'a toml::Table,
}

/// An author: a member of the hub (with a profile link) or a plain name.
#[derive(Serialize)]
pub struct Author {
    pub name: String,
    pub url: Option<String>,
}

/// A section's own data, under `section`.
#[derive(Serialize)]
pub struct SectionView<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub url: String,
    pub permalink: String,
    pub kind: SectionKind,
    pub content: &'a str,
    pub subsections: Vec<Link>,
    pub extra: &'a toml::Table,
    /// The Atom feed's URL, for posts sections.
    pub feed: Option<String>,
}

/// One page of a paginated list, under `paginator`; its cards are added as `pages` by
/// [`Paginator::with_pages`].
#[derive(Serialize)]
pub struct Paginator {
    pub number: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub first: String,
    pub last: String,
}

impl Paginator {
    /// The paginator as templates see it, listing `pages` (cards, see [`Views::card`]).
    pub fn with_pages(self, pages: Vec<tera::Value>) -> tera::Value {
        with_field(tera::Value::from_serializable(&self), "pages", pages.into())
    }
}

/// A tag with its page count, for the tag index.
#[derive(Serialize)]
pub struct TermView {
    pub name: String,
    pub url: String,
    pub count: usize,
}

/// Builds views of one site.
pub struct Views<'a> {
    pub site: &'a Site,
    pub urls: Urls<'a>,
    /// Member slug → the pages that may name them (as author, speaker, organiser…), so a
    /// profile looks at a handful of pages, not at every page of the site. Made when first
    /// needed: a rebuild in `serve` that renders no profile does not need it.
    /// (Owned keys: a borrowed one would make `Views` invariant in its lifetime.)
    mentions: OnceLock<FxHashMap<String, Vec<usize>>>,
    /// Tag as written → URL of its page, for the spelling each term is named by: every
    /// card links its tags, and slugifying the same few tags on every card showed in
    /// build profiles. Made when first needed, like `mentions`.
    tag_urls: OnceLock<FxHashMap<String, String>>,
    /// Each page as lists show it (see [`Views::card`]), made when first listed: a post
    /// appears on its section's list and on each of its tags' pages.
    cards: Vec<Card>,
    /// The theme's `card.html`, when it has one.
    card_html: Option<&'a CardHtml<'a>>,
    /// Cards whose `card.html` failed, for the build to report.
    card_errors: Mutex<Vec<Diagnostic>>,
}

/// A page as lists show it.
#[derive(Default)]
struct Card {
    /// Its HTML from the theme's `card.html`.
    html: OnceLock<String>,
    /// Its view in lists, kept while lists still to render show it (see
    /// [`Views::listed`]): building and serializing the view again for each list was a
    /// twentieth of a build. Lists share it: a template value's maps are not copied.
    view: Mutex<Option<tera::Value>>,
    /// The lists still to show it: the last one lets the view go, so views are kept only
    /// while lists need them (lists render in date order, so a post's lists come close
    /// together), not all at once (400 MB on a 50,000-post hub).
    lists: AtomicU32,
}

/// Renders a page's card (its view in a list) to HTML with the theme's `card.html`.
pub type CardHtml<'a> = dyn Fn(&tera::Value) -> Result<String, Diagnostic> + Sync + 'a;

impl<'a> Views<'a> {
    /// Views of `site`.
    pub fn new(site: &'a Site) -> Self {
        Views {
            site,
            urls: Urls::new(&site.config),
            mentions: OnceLock::new(),
            tag_urls: OnceLock::new(),
            cards: site.pages.iter().map(|_| Card::default()).collect(),
            card_html: None,
            card_errors: Mutex::new(Vec::new()),
        }
    }

    /// Gives every card its HTML from `render` (the theme's `card.html`).
    pub fn with_card_html(mut self, render: &'a CardHtml<'a>) -> Self {
        self.card_html = Some(render);
        self
    }

    /// The first problem of the cards rendered so far, if any: a broken `card.html` breaks
    /// every card the same way, and one message says it.
    pub fn card_error(&self) -> Option<Diagnostic> {
        let mut errors = lock(&self.card_errors);
        let others = errors.len().checked_sub(1)?;
        let first = errors.swap_remove(0);
        errors.clear();
        Some(match others {
            0 => first,
            n => first.with_hint(format!("{n} other cards failed too")),
        })
    }

    /// Pages that may name the member with `slug`, in site order.
    pub fn mentions_of(&self, slug: &str) -> &[usize] {
        let index = self.mentions.get_or_init(|| mention_index(self.site));
        index.get(slug).map_or(&[], Vec::as_slice)
    }

    /// A page, with or without its full content.
    pub fn page(&self, page: &'a Page, full: bool) -> PageView<'a> {
        let section = &self.site.sections[page.section];
        let body = self.site.rendered(page);
        let summary = body.summary.clone().or_else(|| {
            page.front
                .summary
                .as_ref()
                .map(|s| format!("<p>{}</p>", crate::markdown::escape_text(s)))
        });
        PageView {
            title: &page.title,
            description: page.front.description.as_deref(),
            url: self.urls.url(&page.path),
            permalink: self.urls.permalink(&page.path),
            kind: page.kind,
            slug: &page.slug,
            date: page.date.as_ref().map(DateView::new),
            updated: page.updated.as_ref().map(DateView::new),
            content: full.then_some(body.html.as_str()),
            has_more: body.summary.is_some(),
            summary,
            tags: page.front.tags.iter().map(|t| self.tag_link(t)).collect(),
            authors: page.front.authors.iter().map(|a| self.author(a)).collect(),
            image: page.front.image.as_ref().map(|i| ImageView {
                url: self.urls.file(i, &page.path),
                caption: page.front.image_caption.clone(),
            }),
            banner: page
                .front
                .banner
                .as_ref()
                .map(|b| self.urls.file(b, &page.path)),
            word_count: body.word_count,
            reading_minutes: body.word_count.div_ceil(220).max(1),
            section: Link {
                name: section.title.clone(),
                url: self.urls.url(&section.path),
            },
            extra: &page.front.extra,
        }
    }

    /// Pages by index, as list cards.
    pub fn cards(&self, indices: &[usize]) -> Vec<tera::Value> {
        indices.iter().map(|&i| self.card(i)).collect()
    }

    /// Page `index` as lists show it: its view without `content`, and with `card`, its HTML
    /// from the theme's `card.html`, rendered once per build: a template renders a card in
    /// microseconds, and each post is on several lists. The view is kept for the other
    /// lists that will show the page (see [`Views::will_list`]); a list nobody announced
    /// (the home page's latest posts) makes it anew when no list holds it.
    pub fn card(&self, index: usize) -> tera::Value {
        let card = &self.cards[index];
        let mut kept = lock(&card.view);
        if let Some(view) = &*kept {
            return view.clone();
        }
        let view = self.card_view(index);
        if card.lists.load(Ordering::Relaxed) > 0 {
            *kept = Some(view.clone());
        }
        view
    }

    /// Page `index`'s card view, made anew (see [`Views::card`]).
    fn card_view(&self, index: usize) -> tera::Value {
        let view = tera::Value::from_serializable(&self.page(&self.site.pages[index], false));
        let Some(render) = self.card_html else {
            return view;
        };
        let html = self.cards[index].html.get_or_init(|| {
            // A card that fails is reported, and empty meanwhile: the lists showing it would
            // otherwise report its absence too.
            render(&view).unwrap_or_else(|e| {
                lock(&self.card_errors).push(e);
                String::new()
            })
        });
        with_field(view, "card", html.as_str().into())
    }

    /// Notes that a list page will show pages `indices`, and say so when rendered.
    pub fn will_list(&self, indices: &[usize]) {
        for &index in indices {
            self.cards[index].lists.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Says that a list showing pages `indices` has rendered: the last list to show a page
    /// lets its view go, so views are kept only while lists need them (lists render in
    /// date order, so a post's lists come close together), not all at once (400 MB on a
    /// 50,000-post hub).
    pub fn listed(&self, indices: &[usize]) {
        for &index in indices {
            let card = &self.cards[index];
            let one_less = |n: u32| Some(n.saturating_sub(1));
            let before = card
                .lists
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, one_less);
            if before == Ok(1) {
                lock(&card.view).take();
            }
        }
    }

    /// A section's own data.
    pub fn section(&self, section: &'a Section) -> SectionView<'a> {
        SectionView {
            title: &section.title,
            description: section.front.description.as_deref(),
            url: self.urls.url(&section.path),
            permalink: self.urls.permalink(&section.path),
            kind: section.front.kind,
            content: &section.html,
            subsections: section
                .subsections
                .iter()
                .map(|&i| &self.site.sections[i])
                .map(|s| Link {
                    name: s.title.clone(),
                    url: self.urls.url(&s.path),
                })
                .collect(),
            extra: &section.front.extra,
            feed: has_feed(section, &self.site.config)
                .then(|| self.urls.url(&format!("{}atom.xml", section.path))),
        }
    }

    fn tag_link(&self, tag: &str) -> Link {
        let known = self
            .tag_urls
            .get_or_init(|| tag_urls(self.site, &self.urls));
        let url = match known.get(tag) {
            Some(url) => url.clone(),
            // Another spelling of a term (`Rust` beside `rust`) shares its slug.
            None => self
                .urls
                .url(&format!("tags/{}/", crate::content::slugify(tag))),
        };
        Link {
            name: tag.to_string(),
            url,
        }
    }

    /// A member slug becomes a link to the profile; anything else is shown as written.
    fn author(&self, author: &str) -> Author {
        match self.site.member(author) {
            Some(m) => Author {
                name: m.title.clone(),
                url: Some(self.urls.url(&m.path)),
            },
            None => Author {
                name: author.to_string(),
                url: None,
            },
        }
    }

    /// The tag index.
    pub fn terms(&self) -> Vec<TermView> {
        self.site
            .tags
            .iter()
            .map(|t: &Term| TermView {
                name: t.name.clone(),
                url: self.urls.url(&t.path),
                count: t.pages.len(),
            })
            .collect()
    }

    /// `<head>` data for a page at `path`.
    pub fn meta(
        &self,
        title: &str,
        description: Option<&str>,
        path: &str,
        og_type: &'static str,
        image: Option<String>,
    ) -> Meta {
        let site = &self.site.config;
        let full_title = if path.is_empty() || title == site.title {
            site.title.clone()
        } else {
            format!("{title} · {}", site.title)
        };
        let image = image.map(|i| {
            if i.starts_with('/') {
                format!(
                    "{}{}",
                    self.urls.base_url.trim_end_matches(self.urls.base_path),
                    i
                )
            } else {
                i
            }
        });
        Meta {
            title: full_title,
            description: description
                .filter(|d| !d.is_empty())
                .unwrap_or(&site.description)
                .to_string(),
            canonical: self.urls.permalink(path),
            url: self.urls.url(path),
            og_type,
            image,
        }
    }
}

/// A lock that a panic elsewhere left poisoned still guards usable data.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Members by name, to find the pages that name a member without their slug.
pub struct Names<'a> {
    site: &'a Site,
    by_name: HashMap<String, Vec<&'a str>>,
}

impl<'a> Names<'a> {
    /// The names of every member of `site`.
    pub fn new(site: &'a Site) -> Self {
        let mut by_name: HashMap<String, Vec<&str>> = HashMap::new();
        for (slug, &i) in &site.members {
            if let Some(m) = &site.pages[i].member {
                by_name.entry(squash_name(&m.name)).or_default().push(slug);
            }
        }
        Names { site, by_name }
    }

    /// The slugs of the members `page` may name: a page counts for a member when it lists
    /// their slug in `authors`, names their slug in a person table, or writes their name
    /// (compared as [`crate::content::PersonRef::names`] does). Profiles still check each.
    pub fn mentioned_by<'p>(&self, page: &'p Page) -> Vec<&'a str> {
        let mut slugs: Vec<&str> = page.front.authors.iter().map(String::as_str).collect();
        for person in &page.people {
            match (&person.member, &person.name) {
                (Some(m), _) => slugs.push(m),
                (None, Some(n)) => {
                    slugs.extend(self.by_name.get(&squash_name(n)).into_iter().flatten())
                }
                (None, None) => {}
            }
        }
        let members = &self.site.members;
        let mut found: Vec<&'a str> = slugs
            .into_iter()
            .filter_map(|slug| members.get_key_value(slug).map(|(k, _)| k.as_str()))
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }
}

/// Candidates for [`Views::mentions_of`], for every member.
fn mention_index(site: &Site) -> FxHashMap<String, Vec<usize>> {
    let names = Names::new(site);
    let mut index: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, page) in site.pages.iter().enumerate() {
        for slug in names.mentioned_by(page) {
            index.entry(slug).or_default().push(i);
        }
    }
    index.into_iter().map(|(k, v)| (k.to_string(), v)).collect()
}

/// The URL of each term's page, by the tag as the term names it (its path is
/// `tags/{slugify(name)}/`).
fn tag_urls(site: &Site, urls: &Urls) -> FxHashMap<String, String> {
    let terms = site.tags.iter();
    terms.map(|t| (t.name.clone(), urls.url(&t.path))).collect()
}

/// Whether a section publishes an Atom feed.
pub fn has_feed(section: &Section, config: &Config) -> bool {
    section.front.kind == SectionKind::Posts
        && config.feeds.atom
        && section.front.feed.unwrap_or(true)
}

/// `view` (a map) with `field` set to `value`.
fn with_field(view: tera::Value, field: &'static str, value: tera::Value) -> tera::Value {
    let Some(mut fields) = view.into_map() else {
        unreachable!("views are structs, made into maps");
    };
    fields.insert(tera::value::Key::Str(field), value);
    fields.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_strftime_writes_them() {
        let tz = jiff::tz::TimeZone::UTC;
        let days = (0..800).map(|d| jiff::civil::date(2023, 12, 1) + jiff::Span::new().days(d));
        let edges = [
            (1, 1, 1),
            (999, 3, 9),
            (9999, 12, 30),
            (-1, 6, 15),
            (-9999, 6, 1),
        ];
        let edges = edges.map(|(y, m, d)| jiff::civil::date(y, m, d));
        for date in days.chain(edges) {
            let z = date.to_zoned(tz.clone()).unwrap();
            let view = DateView::new(&z);
            assert_eq!(view.iso, z.strftime("%Y-%m-%d").to_string());
            assert_eq!(view.long, z.strftime("%-d %B %Y").to_string());
            assert_eq!(view.short, z.strftime("%-d %b %Y").to_string());
            assert_eq!(view.year, z.year());
        }
    }
}
