//! Render: templates and the pages they produce.
//!
//! Owns the Tera environment (the theme's templates, overridden by name from the hub's
//! `templates/`), and turning the content model into output files: section lists with
//! pagination, pages, tag pages, alias redirects and the site files (404, robots, sitemap,
//! feeds). Pages render in parallel; the result is an [`Output`], written elsewhere.

pub mod events;
pub mod feeds;
pub mod people;
pub mod theme;
pub mod views;

use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use crate::content::{Page, Section, SectionKind, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::output::{Body, Output};
use crate::seminars;
pub use theme::Theme;
use views::{Link, Meta, Paginator, SiteView, Views};

/// A renderer for one hub: its compiled templates and where they came from.
pub struct Renderer {
    tera: Tera,
    theme: Theme,
    /// Talks' calendar events, kept between renders of the same site.
    talk_events: seminars::EventCache,
}

thread_local! {
    /// The page being rendered on this thread (see [`Renderer::render`]).
    static PAGE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The largest page buffer a thread keeps between pages.
const PAGE_KEPT: usize = 4 << 20;

/// Room for the rest of a page (head, menus, footer) beside its content, made at once.
const PAGE_ROOM: usize = 64 << 10;

/// The body length (HTML bytes) from which pages and feeds are rendered one after the other.
const ALONE: usize = 8 << 20;

/// The length of the longest body rendered so far.
fn longest_body(site: &Site) -> usize {
    let rendered = site.pages.iter().filter_map(|p| p.rendered.get());
    rendered.map(|r| r.html.len()).max().unwrap_or(0)
}

/// The theme's template for a page as lists show it; see [`Views::card`].
const CARD: &str = "card.html";

/// What an output shows, as keys: when the content behind one of them changes, the output
/// is rendered again. Keys are pages (by content path), whole kinds of page (a listing of
/// every talk), or a hash of the output's shape (which pages, in which order, on which page
/// of a list), so that a changed list is noticed by comparing an output's keys with the
/// previous build's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deps(Vec<u64>);

impl Deps {
    /// Depends on `page`, and on the members it names as authors (their names show).
    pub fn page(self, site: &Site, page: &Page) -> Deps {
        let authors = page.front.authors.iter().filter_map(|a| site.member(a));
        self.key(page_key(page)).pages_only(authors)
    }

    /// Depends on each of `pages`, in order, with their authors.
    pub fn pages<'p>(self, site: &Site, pages: impl IntoIterator<Item = &'p Page>) -> Deps {
        pages.into_iter().fold(self, |d, p| d.page(site, p))
    }

    /// Depends on `pages` themselves only.
    pub fn pages_only<'p>(self, pages: impl IntoIterator<Item = &'p Page>) -> Deps {
        pages.into_iter().fold(self, |d, p| d.key(page_key(p)))
    }

    /// Depends on every page of `kind`.
    pub fn kind(self, kind: SectionKind) -> Deps {
        self.key(kind_key(kind))
    }

    /// Depends on a value that shapes the output (a page count, a list's order).
    pub fn shape(self, value: impl std::hash::Hash) -> Deps {
        self.key(hash_of(&("shape", value)))
    }

    fn key(mut self, key: u64) -> Deps {
        self.0.push(key);
        self
    }

    /// Whether one of the keys is in `changed`.
    pub fn touches(&self, changed: &FxHashSet<u64>) -> bool {
        self.0.iter().any(|k| changed.contains(k))
    }
}

/// The key of a page, stable across builds (its file), for [`Deps`].
pub fn page_key(page: &Page) -> u64 {
    page.key
}

/// The key of the page at `content_path`; pages keep theirs in [`Page::key`].
pub fn key_of(content_path: &str) -> u64 {
    hash_of(&("page", content_path))
}

/// The key standing for every page of `kind`, for [`Deps`].
pub fn kind_key(kind: SectionKind) -> u64 {
    hash_of(&("kind", kind))
}

fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    // A fixed hasher: keys are compared with the previous build's, in `serve`'s memory or in
    // the build cache (which a different Podium binary never reads).
    BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(value)
}

/// Which outputs a render produces: all of them, or only those whose [`Deps`] changed
/// since the `previous` render, whose record it updates.
pub enum Plan {
    All,
    Changed {
        /// Keys of the pages that changed, and of their kinds.
        keys: FxHashSet<u64>,
        /// The groups of outputs the change can reach (see [`Scope`]).
        reach: FxHashSet<u64>,
        previous: Record,
    },
}

impl Plan {
    /// The changed keys, or `None` when everything is rendered.
    fn changed(&self) -> Option<&FxHashSet<u64>> {
        match self {
            Plan::All => None,
            Plan::Changed { keys, .. } => Some(keys),
        }
    }

    fn scope(&self) -> Scope<'_> {
        match self {
            Plan::All => Scope(None),
            Plan::Changed { reach, .. } => Scope(Some(reach)),
        }
    }
}

/// Which groups of outputs a render enumerates. Outputs come in groups: a page's own (its
/// page, aliases and sub-pages; a profile also lists the pages naming its member), a
/// section's lists (with, for seminars, their archives and month grids), a tag's pages. A
/// group's outputs can only change when a page that is, or was, in it changes, so after an
/// edit `serve` enumerates just the groups of the edited pages, of their sections and tags
/// before and after, of the members they name before and after, and of the home page; the
/// rest keep their recorded dependencies. A few small site-wide lists are always
/// enumerated; edits to members, events and sections render everything. This is what keeps
/// a rebuild's cost independent of the site's size.
#[derive(Clone, Copy)]
pub(crate) struct Scope<'a>(Option<&'a FxHashSet<u64>>);

impl Scope<'_> {
    /// Whether the group `key` is enumerated.
    pub(crate) fn reaches(&self, key: u64) -> bool {
        self.0.is_none_or(|reach| reach.contains(&key))
    }

    /// Whether `page`'s own outputs are enumerated.
    pub(crate) fn reaches_page(&self, page: &Page) -> bool {
        self.reaches(page.key)
    }
}

/// The group of the lists of the section at `index` in [`Site::sections`].
pub fn section_group(index: usize) -> u64 {
    hash_of(&("section", index))
}

/// The group of the pages of the tag with `slug`.
pub fn tag_group(slug: &str) -> u64 {
    hash_of(&("tag", slug))
}

/// The groups that a change to `pages` (each as it was and as it is) can reach, for
/// [`Plan::Changed`]: their own, their sections', their tags', the home page's, and the
/// profiles of the members they name.
pub fn reach_of<'p>(site: &Site, pages: impl IntoIterator<Item = &'p Page>) -> FxHashSet<u64> {
    let names = views::Names::new(site);
    let mut reach = FxHashSet::default();
    reach.insert(section_group(0));
    for page in pages {
        reach.extend(page_reach(site, &names, page));
    }
    reach
}

/// Each page's groups as [`reach_of`] finds them, in the order of [`Site::pages`]: what
/// the next build must reach when the page changes, whatever it has become by then.
pub fn reach_by_page(site: &Site) -> Vec<Vec<u64>> {
    let names = views::Names::new(site);
    site.pages
        .par_iter()
        .with_max_len(crate::site::GRAIN)
        .map(|page| page_reach(site, &names, page))
        .collect()
}

fn page_reach(site: &Site, names: &views::Names, page: &Page) -> Vec<u64> {
    let tags = page.front.tags.iter();
    let tags = tags.map(|t| tag_group(&crate::content::slugify(t)));
    let named = names.mentioned_by(page).into_iter();
    let named = named.filter_map(|slug| site.member(slug)).map(|m| m.key);
    [page.key, section_group(page.section)]
        .into_iter()
        .chain(tags)
        .chain(named)
        .collect()
}

/// What a render produced: every HTML output with its [`Deps`], for the next [`Plan`]
/// (in `serve`'s memory, or in the build cache).
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Record {
    outputs: FxHashMap<String, Recorded>,
    /// A fingerprint of what the sitemap lists.
    pub sitemap: u64,
}

/// One recorded output.
#[derive(Debug, Serialize, Deserialize)]
struct Recorded {
    deps: Deps,
    /// Its group (see [`Scope`]).
    group: Option<u64>,
    listed: bool,
}

/// A render's record, and the HTML outputs of the previous render it no longer produces.
pub struct Rendered {
    pub record: Record,
    pub removed: Vec<String>,
    /// How many HTML outputs were rendered.
    pub pages: usize,
}

/// Builds a job's template context; only called when the job is rendered.
type Build<'v> = Box<dyn FnOnce() -> Context + Send + Sync + 'v>;

/// One HTML file to render: which template, with what context, to which path.
pub(crate) struct Job<'v> {
    pub(crate) path: String,
    pub(crate) template: String,
    context: Build<'v>,
    /// For a list page, the pages it shows as cards, which it gives back to [`Views`] once
    /// rendered (see [`Job::listing`]).
    cards: Option<&'v [usize]>,
    /// The content file asking for this output, for messages.
    source: &'v std::path::Path,
    /// Whether the author named the template (then it must exist) or the kind chose it
    /// (then a generic template stands in for a missing one).
    pub(crate) explicit: bool,
    pub(crate) deps: Deps,
    /// The group it belongs to (see [`Scope`]); `None` for outputs always enumerated.
    pub(crate) group: Option<u64>,
    /// Whether the sitemap lists it though it is no page of the model (seminar listings).
    listed: bool,
}

impl<'v> Job<'v> {
    /// A job whose context is built by `context`, lazily: deciding what to render must be
    /// cheap, building a context is not.
    pub(crate) fn new(
        path: String,
        template: impl Into<String>,
        source: &'v std::path::Path,
        deps: Deps,
        context: impl FnOnce() -> Context + Send + Sync + 'v,
    ) -> Job<'v> {
        Job {
            path,
            template: template.into(),
            context: Box::new(context),
            cards: None,
            source,
            explicit: false,
            deps,
            group: None,
            listed: false,
        }
    }

    /// The same job with `more` applied to its context once built.
    pub(crate) fn with(self, more: impl FnOnce(&mut Context) + Send + Sync + 'v) -> Job<'v> {
        let build = self.context;
        Job {
            context: Box::new(move || {
                let mut context = build();
                more(&mut context);
                context
            }),
            ..self
        }
    }

    /// The same job as a list page showing pages `chunk`, which it tells `views` it has
    /// shown once rendered (see [`Views::listed`]).
    fn listing(self, views: &Views, chunk: &'v [usize]) -> Job<'v> {
        views.will_list(chunk);
        Job {
            cards: Some(chunk),
            ..self
        }
    }

    /// For a list page, the date of the newest page it shows: lists render newest first
    /// (see [`Views::listed`]).
    fn newest(&self, site: &Site) -> Option<jiff::Timestamp> {
        let first = self.cards?.first()?;
        site.pages[*first].date.as_ref().map(jiff::Zoned::timestamp)
    }

    /// Whether an output last rendered as `previous` must be rendered again after `keys`
    /// changed.
    fn wanted(&self, keys: &FxHashSet<u64>, previous: &Record) -> bool {
        let before = previous.outputs.get(&self.path).map(|r| &r.deps);
        before != Some(&self.deps) || self.deps.touches(keys)
    }

    /// The same job as one of `page`'s own outputs.
    pub(crate) fn owned_by(self, page: &Page) -> Job<'v> {
        self.in_group(page.key)
    }

    /// The same job in the group `key` (see [`Scope`]).
    pub(crate) fn in_group(self, key: u64) -> Job<'v> {
        Job {
            group: Some(key),
            ..self
        }
    }

    fn recorded(&self) -> Recorded {
        Recorded {
            deps: self.deps.clone(),
            group: self.group,
            listed: self.listed,
        }
    }
}

/// Two outputs on one path (a talk file named `calendar.md` and the month calendar's
/// index, say) would leave one of them silently missing.
fn clashes(jobs: &[Job]) -> Result<(), Diagnostics> {
    let mut seen: FxHashMap<&str, &std::path::Path> = FxHashMap::default();
    let mut errors = Diagnostics::default();
    for job in jobs {
        if let Some(other) = seen.insert(&job.path, job.source) {
            errors.push(
                Diagnostic::file(
                    job.source,
                    format!(
                        "makes /{}, which {} makes too",
                        job.path.trim_end_matches("index.html"),
                        other.display()
                    ),
                )
                .with_hint("rename one of the files, or give it another `slug`"),
            );
        }
    }
    errors.into_result()
}

/// Splits `jobs` into those `plan` renders and the record of every output, and lists the
/// previous render's outputs that are gone.
fn plan_jobs(jobs: Vec<Job>, plan: Plan) -> Result<(Vec<Job>, Rendered), Diagnostics> {
    clashes(&jobs)?;
    let (keys, reach, mut record) = match plan {
        Plan::All => {
            let outputs = jobs.iter().map(|j| (j.path.clone(), j.recorded()));
            let record = Record {
                outputs: outputs.collect(),
                sitemap: 0,
            };
            let removed = Vec::new();
            let pages = jobs.len();
            return Ok((
                jobs,
                Rendered {
                    record,
                    removed,
                    pages,
                },
            ));
        }
        Plan::Changed {
            keys,
            reach,
            previous,
        } => (keys, reach, previous),
    };
    let wants: Vec<bool> = jobs
        .par_iter()
        .map(|job| job.wanted(&keys, &record))
        .collect();
    // An output is gone when its group was enumerated again but did not bring it back;
    // the outputs of groups not enumerated stay as they were.
    let enumerated: FxHashSet<u64> = jobs.iter().filter_map(|j| j.group).collect();
    let produced: FxHashSet<&str> = jobs.iter().map(|j| j.path.as_str()).collect();
    let removed: Vec<String> = record
        .outputs
        .iter()
        .filter(|(path, r)| {
            let again = r
                .group
                .is_none_or(|g| reach.contains(&g) || enumerated.contains(&g));
            again && !produced.contains(path.as_str())
        })
        .map(|(path, _)| path.clone())
        .collect();
    for path in &removed {
        record.outputs.remove(path);
    }
    let mut wanted = Vec::new();
    for (job, wants) in jobs.into_iter().zip(wants) {
        match record.outputs.get_mut(&job.path) {
            Some(r) => *r = job.recorded(),
            None => drop(record.outputs.insert(job.path.clone(), job.recorded())),
        }
        if wants {
            wanted.push(job);
        }
    }
    let pages = wanted.len();
    Ok((
        wanted,
        Rendered {
            record,
            removed,
            pages,
        },
    ))
}

impl Renderer {
    /// Compiles the theme's templates with the hub's overrides; template errors are reported
    /// for every file.
    pub fn new(site_root: &std::path::Path, theme_name: &str) -> Result<Renderer, Diagnostics> {
        let theme = Theme::load(site_root, theme_name)?;
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".xml"]);
        // The five characters HTML needs escaped, written in runs between them.
        tera.set_escape_fn(crate::markdown::write_escaped_html);
        tera.register_function("get_env", get_env);
        let templates = theme.templates.iter().map(|t| (&t.name, &t.text));
        tera.add_raw_templates(templates)
            .map_err(|e| compile_errors(&theme, &e))?;
        Ok(Renderer {
            tera,
            theme,
            talk_events: Default::default(),
        })
    }

    /// The theme's static files, to copy into the output.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Renders the HTML pages and site files of `site` that `plan` asks for into `output`,
    /// and records what every HTML page depends on.
    pub fn render_site(
        &self,
        site: &Site,
        now: &jiff::Zoned,
        plan: Plan,
        output: &mut Output,
    ) -> Result<Rendered, Diagnostics> {
        let clock = crate::site::Phases::start();
        let views = Views::new(site);
        // Made into a template value once: every page shares it (a value's maps are shared,
        // not copied, when it goes into a page's context).
        let site_view = tera::Value::from_serializable(&site_view(&views, now)?);
        let card_html = self.card_html(&site_view);
        let views = match &card_html {
            Some(render) => views.with_card_html(render),
            None => views,
        };
        clock.lap("render: views");
        let agenda = seminars::Agenda::new(site, now);
        clock.lap("render: agenda");
        let changed = plan.changed();
        let scope = plan.scope();
        // Calendar feeds come before the seminar pages, whose Google Calendar links depend
        // on how big the feeds turned out; the other pages' jobs are made meanwhile.
        let (page_jobs, calendars) = rayon::join(
            || self.jobs(&views, &agenda, now, scope),
            || self.calendar_files(&views, now, changed),
        );
        let sizes = seminars::FeedSizes::of(&calendars);
        let mut jobs = page_jobs;
        clock.lap("render: jobs and calendar feeds");
        let seminar_jobs = seminars::jobs(&views, &agenda, &sizes, scope);
        clock.lap("render: seminar jobs");
        // Seminar pages are not all pages of the model, so the sitemap learns of them here.
        let listed = seminar_jobs.into_iter().map(|job| {
            let listed = job.template != "alias.html";
            Job { listed, ..job }
        });
        jobs.extend(listed);
        // What the rest of the render needs of the plan, before the plan moves on.
        let kinds = changed.cloned();
        let previous_sitemap = match &plan {
            Plan::All => None,
            Plan::Changed { previous, .. } => Some(previous.sitemap),
        };
        let (wanted, mut rendered) = plan_jobs(jobs, plan)?;
        let listed = sitemap_paths(&rendered.record);
        clock.lap("render: plan");
        // Other site files are made while the pages render.
        let kinds = kinds.as_ref();
        let sink: &Output = output;
        let pages = || self.render_pages(wanted, &site_view, &views, sink);
        let files = || self.site_files(&views, now, kinds, &listed, previous_sitemap);
        // A feed holds whole posts: a very long one in a page and in its feed at once
        // doubled the peak memory of its build.
        let (results, (files, sitemap)) = if longest_body(site) > ALONE {
            (pages(), files())
        } else {
            rayon::join(pages, files)
        };
        let mut errors = Diagnostics::default();
        errors.extend(views.card_error());
        for r in results {
            match r {
                Ok((path, body)) => drop(output.files.insert(path, body)),
                Err(e) => errors.push(e),
            }
        }
        errors.into_result()?;
        output.files.extend(files.into_files());
        output.files.extend(calendars.into_files());
        rendered.record.sitemap = sitemap;
        clock.lap("render: pages and files");
        Ok(rendered)
    }

    /// Renders `jobs` in parallel; each page goes to `sink` as soon as it is rendered (to
    /// disk, when building), so the whole site is never held in memory.
    fn render_pages(
        &self,
        jobs: Vec<Job>,
        site_view: &tera::Value,
        views: &Views,
        sink: &Output,
    ) -> Vec<Result<(String, Body), Diagnostic>> {
        jobs.into_par_iter()
            .with_max_len(crate::site::GRAIN)
            .map(|job| self.render(job, site_view, views, sink))
            .collect()
    }

    /// The site's other files (Atom feeds, sitemap, vCards) in memory: those of the kinds in
    /// `kinds` (all when `None`), and the sitemap unless its fingerprint is still
    /// `previous_sitemap`. Returns them with the sitemap's fingerprint.
    fn site_files(
        &self,
        views: &Views,
        now: &jiff::Zoned,
        kinds: Option<&FxHashSet<u64>>,
        listed: &[String],
        previous_sitemap: Option<u64>,
    ) -> (Output, u64) {
        let clock = crate::site::Phases::start();
        let mut output = Output::default();
        let wants = |kind: SectionKind| kinds.is_none_or(|k| k.contains(&kind_key(kind)));
        feeds::render_atom_feeds(views, now, wants, &mut output);
        let sitemap = feeds::render_sitemap(views, listed, previous_sitemap, &mut output);
        feeds::render_fixed_files(views, &mut output);
        if wants(SectionKind::Members) {
            people::vcards(views, &mut output);
        }
        clock.lap("render: site files");
        (output, sitemap)
    }

    /// The calendar feeds of the kinds in `kinds` (all when `None`), in memory.
    fn calendar_files(
        &self,
        views: &Views,
        now: &jiff::Zoned,
        kinds: Option<&FxHashSet<u64>>,
    ) -> Output {
        let site = views.site;
        let mut output = Output::default();
        let wants = |kind: SectionKind| kinds.is_none_or(|k| k.contains(&kind_key(kind)));
        if wants(SectionKind::Seminars) || wants(SectionKind::Events) {
            let talks = seminars::TalkEvents::new(site, &views.urls, &self.talk_events, kinds);
            if wants(SectionKind::Seminars) {
                seminars::render_feeds(site, &views.urls, now, &talks, kinds, &mut output);
            }
            if wants(SectionKind::Events) {
                events::render_feeds(views, now, &mut output);
            }
            site_calendar(views, now, &talks, &mut output);
        }
        output
    }

    /// Renders `job` and hands the page to `sink`; a list tells `views` it has shown its cards.
    fn render(
        &self,
        job: Job,
        site: &tera::Value,
        views: &Views,
        sink: &Output,
    ) -> Result<(String, Body), Diagnostic> {
        let name = self.resolve_template(&job)?;
        let mut context = (job.context)();
        context.insert_value("site", site.clone());
        let rendered = self.render_into_buffer(&name, &context, &job.path, sink);
        if let Some(chunk) = job.cards {
            views.listed(chunk);
        }
        rendered.map(|body| (job.path, body))
    }

    /// Renders template `name` into this thread's page buffer and hands the page at `path`
    /// to `sink`.
    fn render_into_buffer(
        &self,
        name: &str,
        context: &Context,
        path: &str,
        sink: &Output,
    ) -> Result<Body, Diagnostic> {
        // Into a buffer kept per thread (`Tera::render` grows each page's string from 2 KB by
        // doubling, then checks it is UTF-8), which a page written at once never leaves.
        PAGE.with_borrow_mut(|buffer| {
            buffer.clear();
            // Room for the content at once: a long page's buffer grown by doubling was
            // copied at each step and ended up to twice the page's size.
            let content = context.get("page").and_then(|p| p.get_from_path("content"));
            buffer.reserve(
                content
                    .and_then(tera::Value::as_str)
                    .map_or(0, |c| c.len() + PAGE_ROOM),
            );
            let kept = match self.tera.render_to(name, context, &mut *buffer) {
                Ok(()) => sink
                    .keep(path, buffer)
                    .map_err(|e| Diagnostic::file(path, format!("cannot write: {e}"))),
                Err(e) => Err(template_error(
                    &self.theme,
                    &e,
                    &format!("while rendering /{path}: "),
                )),
            };
            if buffer.capacity() > PAGE_KEPT {
                *buffer = Vec::new();
            }
            kept
        })
    }

    /// Renders cards with the theme's `card.html`, when it has one (see [`Views::card`]); a
    /// card sees `page` and `site`.
    fn card_html<'r>(
        &'r self,
        site: &tera::Value,
    ) -> Option<impl Fn(&tera::Value) -> Result<String, Diagnostic> + Sync + 'r> {
        if !self.has_template(CARD) {
            return None;
        }
        let mut base = Context::new();
        base.insert_value("site", site.clone());
        Some(move |page: &tera::Value| {
            let mut context = base.clone();
            context.insert_value("page", page.clone());
            self.tera.render(CARD, &context).map_err(|e| {
                let url = page.get_from_path("url").and_then(tera::Value::as_str);
                let doing = format!("while rendering the card of {}: ", url.unwrap_or("a page"));
                template_error(&self.theme, &e, &doing)
            })
        })
    }

    /// Whether the theme (or the hub's `templates/`) has a template called `name`.
    fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }

    /// Kind templates fall back to the generic ones, so a theme need not cover every kind;
    /// a template an author named must exist.
    fn resolve_template(&self, job: &Job) -> Result<String, Diagnostic> {
        if self.has_template(&job.template) {
            return Ok(job.template.clone());
        }
        if job.explicit {
            return Err(Diagnostic::file(
                job.source,
                format!("template `{}` not found", job.template),
            )
            .with_hint(
                "put it in the hub's templates/ folder, or remove `template` to use the default",
            ));
        }
        Ok(match job.template.as_str() {
            "posts.html" | "seminars.html" | "members.html" | "events.html" => "section.html",
            _ => "page.html",
        }
        .to_string())
    }

    /// Everything to render, as independent jobs so they can run in parallel.
    fn jobs<'v>(
        &self,
        views: &'v Views<'v>,
        agenda: &'v seminars::Agenda<'v>,
        now: &'v jiff::Zoned,
        scope: Scope,
    ) -> Vec<Job<'v>> {
        let site = views.site;
        // What the home page shows besides its own content; workshops add the next event.
        let (context, deps) = seminars::home_context(views, agenda);
        let home = Home {
            context,
            deps: deps.kind(SectionKind::Events),
        };
        // Seminar sections and talks are rendered by `seminars::jobs` (see `render_site`).
        // A full build enumerates every job (and `serve` the groups an edit reaches): lists,
        // pages and tags side by side.
        let lists = || {
            let sections = site.sections.iter().enumerate();
            let sections = sections.filter(|(i, s)| {
                s.front.kind != SectionKind::Seminars && scope.reaches(section_group(*i))
            });
            sections
                .flat_map(|(i, section)| {
                    let jobs = section_jobs(views, section, &home, now);
                    jobs.into_iter().map(move |j| j.in_group(section_group(i)))
                })
                .collect::<Vec<_>>()
        };
        let pages = || {
            site.pages
                .par_iter()
                .with_max_len(crate::site::GRAIN)
                .filter(|page| scope.reaches_page(page))
                .flat_map_iter(|page| {
                    let section = &site.sections[page.section];
                    let own = page
                        .seminar
                        .is_none()
                        .then(|| page_job(views, page, section, now));
                    own.into_iter()
                        .chain(events::sub_jobs(views, page, section, now))
                        .chain(alias_jobs(views, page))
                })
                .collect::<Vec<_>>()
        };
        let (mut jobs, (pages, tags)) =
            rayon::join(lists, || rayon::join(pages, || tag_jobs(views, scope)));
        // Lists newest first, so the lists that show a post render close together and its
        // card is let go soon after (see [`Views::listed`]).
        jobs.extend(tags);
        jobs.sort_by_key(|job| std::cmp::Reverse(job.newest(site)));
        jobs.extend(pages);
        jobs.extend(people::group_jobs(views));
        jobs.push(Job::new(
            "404.html".into(),
            "404.html",
            std::path::Path::new("404.html"),
            Deps::default(),
            || context_with_meta(views.meta("Page not found", None, "404.html", "website", None)),
        ));
        jobs
    }
}

/// What the home page adds to its section list: upcoming talks, and what they depend on.
struct Home {
    context: Context,
    deps: Deps,
}

fn site_view<'a>(views: &Views<'a>, now: &jiff::Zoned) -> Result<SiteView<'a>, Diagnostics> {
    let config = &views.site.config;
    let links = &views.site.links;
    let mut errors = Diagnostics::default();
    let mut menu = Vec::new();
    for item in &config.menu {
        let url = match item.url.strip_prefix("@/") {
            Some(p) => match links.get(p) {
                Some(path) => views.urls.url(path),
                None => {
                    errors.push(
                        Diagnostic::file(
                            "config.toml",
                            format!(
                                "menu entry `{}` links to `{}`, which is no page",
                                item.name, item.url
                            ),
                        )
                        .with_hint(
                            "menu links name a file under content/, e.g. `@/news/_index.md`",
                        ),
                    );
                    continue;
                }
            },
            None => views.urls.resolve(&item.url, ""),
        };
        menu.push(Link {
            name: item.name.clone(),
            url,
        });
    }
    errors.into_result()?;
    let feeds = views
        .site
        .sections
        .iter()
        .filter(|s| views::has_feed(s, config))
        .map(|s| Link {
            name: format!("{} — {}", config.title, s.title),
            url: views.urls.url(&format!("{}atom.xml", s.path)),
        })
        .collect();
    Ok(SiteView {
        title: &config.title,
        description: &config.description,
        base_url: &config.base_url,
        base_path: config.base_path(),
        language: &config.language,
        menu,
        extra: &config.extra,
        generator: concat!("Podium ", env!("CARGO_PKG_VERSION")),
        now: now.timestamp().to_string(),
        year: now.year(),
        feeds,
    })
}

pub(crate) fn context_with_meta(meta: Meta) -> Context {
    let mut c = Context::new();
    c.insert("meta", &meta);
    c
}

fn insert<T: Serialize + ?Sized>(mut c: Context, key: &'static str, value: &T) -> Context {
    c.insert(key, value);
    c
}

/// A list split into pages of `per_page`: page 1 at `base`, page N at `base/page/N/`.
struct Pages<'l> {
    base: &'l str,
    chunks: Vec<&'l [usize]>,
}

impl<'l> Pages<'l> {
    fn new(base: &'l str, indices: &'l [usize], per_page: Option<usize>) -> Self {
        let per_page = per_page.filter(|&n| n > 0).unwrap_or(usize::MAX);
        let chunks = if indices.is_empty() {
            vec![&[][..]]
        } else {
            indices.chunks(per_page).collect()
        };
        Pages { base, chunks }
    }

    fn path(&self, number: usize) -> String {
        if number == 1 {
            self.base.to_string()
        } else {
            format!("{}page/{number}/", self.base)
        }
    }

    /// Each page's number, path and the page indices it lists.
    fn each(&self) -> impl Iterator<Item = (usize, String, &'l [usize])> + '_ {
        (1..).zip(&self.chunks).map(|(n, c)| (n, self.path(n), *c))
    }

    /// Page `number` of `total`, listing `chunk`, for templates.
    fn paginator(&self, views: &Views, number: usize, chunk: &[usize]) -> tera::Value {
        let total = self.chunks.len();
        Paginator {
            number,
            total,
            previous: (number > 1).then(|| views.urls.url(&self.path(number - 1))),
            next: (number < total).then(|| views.urls.url(&self.path(number + 1))),
            first: views.urls.url(&self.path(1)),
            last: views.urls.url(&self.path(total)),
        }
        .with_pages(views.cards(chunk))
    }

    /// What page `number` shows: its cards, and the page count in its navigation.
    fn deps(&self, site: &Site, chunk: &[usize]) -> Deps {
        Deps::default()
            .shape(self.chunks.len())
            .pages(site, chunk.iter().map(|&i| &site.pages[i]))
    }

    fn title(&self, title: &str, number: usize) -> String {
        if number == 1 {
            title.to_string()
        } else {
            format!("{title} (page {number})")
        }
    }
}

/// A section's list page, split into pages of `paginate_by` when set.
fn section_jobs<'v>(
    views: &'v Views<'v>,
    section: &'v Section,
    home: &Home,
    now: &'v jiff::Zoned,
) -> Vec<Job<'v>> {
    let template = section.front.template.clone().unwrap_or_else(|| {
        if section.path.is_empty() {
            "index.html".into()
        } else {
            section.front.kind.section_template().into()
        }
    });
    let pages = std::sync::Arc::new(Pages::new(
        &section.path,
        &section.pages,
        section.front.paginate_by,
    ));
    let extra_deps = |deps: Deps| {
        let mut deps = match section.front.kind {
            SectionKind::Members => deps.kind(SectionKind::Members),
            SectionKind::Events => deps.kind(SectionKind::Events),
            _ => deps,
        };
        if section.path.is_empty() {
            deps.0.extend(&home.deps.0);
            let latest = latest_posts(views.site, 5).into_iter();
            deps = deps.pages(views.site, latest.map(|i| &views.site.pages[i]));
        }
        deps
    };
    pages
        .each()
        .map(|(number, path, chunk)| {
            let deps = extra_deps(pages.deps(views.site, chunk));
            let pages = pages.clone();
            let home = section.path.is_empty().then(|| home.context.clone());
            let meta_path = path.clone();
            let job = Job::new(
                format!("{path}index.html"),
                template.clone(),
                &section.source,
                deps,
                move || {
                    let title = pages.title(&section.title, number);
                    let meta = views.meta(
                        &title,
                        section.front.description.as_deref(),
                        &meta_path,
                        "website",
                        None,
                    );
                    let mut context = context_with_meta(meta);
                    context.insert("section", &views.section(section));
                    let paginator = pages.paginator(views, number, chunk);
                    context.insert_value("paginator", paginator);
                    if let Some(home) = home {
                        let latest = views.cards(&latest_posts(views.site, 5));
                        context.insert_value("latest_posts", latest.into());
                        context.extend(home);
                        context.insert("next_event", &views.next_event(now));
                    }
                    list_extras(views, section, now, &mut context);
                    context
                },
            )
            .listing(views, chunk);
            Job {
                explicit: section.front.template.is_some(),
                ..job
            }
        })
        .collect()
}

/// What the member directory and the events list add to their section's list page.
fn list_extras(views: &Views, section: &Section, now: &jiff::Zoned, context: &mut Context) {
    if section.front.kind == SectionKind::Members {
        context.insert("directory", &people::directory(views, section));
    }
    if section.front.kind == SectionKind::Events {
        let (upcoming, past) = views.event_lists(section, now);
        context.insert("upcoming", &upcoming);
        context.insert("past", &past);
    }
}

/// The newest posts of every posts section (by page index), for the home page.
fn latest_posts(site: &Site, n: usize) -> Vec<usize> {
    let mut posts: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].kind == SectionKind::Posts)
        .collect();
    let newest = |&a: &usize, &b: &usize| {
        let (a, b) = (&site.pages[a], &site.pages[b]);
        b.date
            .cmp(&a.date)
            .then_with(|| a.content_path.cmp(&b.content_path))
    };
    // The home page is enumerated after every edit; only the first `n` need sorting.
    if posts.len() > n && n > 0 {
        posts.select_nth_unstable_by(n - 1, newest);
    }
    posts.truncate(n);
    posts.sort_by(newest);
    posts
}

pub(crate) fn page_job<'v>(
    views: &'v Views<'v>,
    page: &'v Page,
    section: &'v Section,
    now: &jiff::Zoned,
) -> Job<'v> {
    let now = now.clone();
    let mut deps = Deps::default().page(views.site, page);
    if page.member.is_some() {
        // A profile lists the pages that name the member.
        let mentions = views.mentions_of(&page.slug).iter();
        deps = deps.pages_only(mentions.map(|&i| &views.site.pages[i]));
    }
    let explicit = page.front.template.is_some() || section.front.page_template.is_some();
    let template = page.template(section.front.page_template.as_deref());
    let job = Job::new(
        format!("{}index.html", page.path),
        template,
        &page.source,
        deps,
        move || page_context(views, page, section, &now),
    );
    Job { explicit, ..job }.owned_by(page)
}

fn page_context(views: &Views, page: &Page, section: &Section, now: &jiff::Zoned) -> Context {
    let view = views.page(page, true);
    let og_type = if page.kind == SectionKind::Posts {
        "article"
    } else {
        "website"
    };
    let image = view
        .image
        .as_ref()
        .map(|i| i.url.clone())
        .or_else(|| people::photo_url(views, page));
    let mut context = context_with_meta(views.meta(
        &page.title,
        page.front.description.as_deref(),
        &page.path,
        og_type,
        image,
    ));
    context.insert("page", &view);
    context.insert("section", &views.section(section));
    if let Some(member) = &page.member {
        context.insert("member", &people::profile(views, page, member));
    }
    if let Some(event) = &page.event {
        context.insert("event", &views.event(page, event, now));
    }
    context
}

/// Site paths of the outputs the record marks for the sitemap (seminar listings, archives
/// and month grids), sorted.
fn sitemap_paths(record: &Record) -> Vec<String> {
    let listed = record.outputs.iter().filter(|(_, r)| r.listed);
    let mut paths: Vec<String> = listed
        .filter_map(|(path, _)| path.strip_suffix("index.html"))
        .map(str::to_string)
        .collect();
    paths.sort_unstable();
    paths
}

/// `/calendar.ics`: every dated thing on the site in one feed. Workshops chain their
/// sessions onto the seminars' events here.
fn site_calendar(
    views: &Views,
    now: &jiff::Zoned,
    talks: &seminars::TalkEvents,
    output: &mut Output,
) {
    let site = views.site;
    let sessions: Vec<Arc<crate::calendar::Event>> = events::session_events(views)
        .into_iter()
        .map(Arc::new)
        .collect();
    let cutoff = seminars::recent_cutoff(site, now);
    let recent_sessions = sessions.iter().filter(|e| ends_after(e, cutoff)).cloned();
    let name = format!("{} — calendar", site.config.title);
    let path = seminars::SITE_CALENDAR;
    let feeds = [
        (
            path.to_string(),
            name.clone(),
            talks
                .all()
                .into_iter()
                .chain(sessions.iter().cloned())
                .collect(),
        ),
        (
            seminars::recent_path(path),
            format!("{name} (recent and upcoming)"),
            talks
                .recent(cutoff)
                .into_iter()
                .chain(recent_sessions)
                .collect(),
        ),
    ];
    for (path, name, events) in feeds {
        let feed = seminars::feed(site, &views.urls, &path, name, events);
        let text = crate::calendar::write_feed(&feed, now.timestamp());
        output.add_bytes(path, text.into_bytes());
    }
}

/// Whether a workshop session ends after `cutoff` (sessions never recur).
fn ends_after(event: &crate::calendar::Event, cutoff: jiff::Timestamp) -> bool {
    match &event.end {
        crate::calendar::EventTime::Zoned(end) => end.timestamp() > cutoff,
        crate::calendar::EventTime::AllDay(day) => day
            .to_zoned(jiff::tz::TimeZone::UTC)
            .is_ok_and(|end| end.timestamp() > cutoff),
    }
}

/// Old URLs of a page become small pages that send readers (and search engines) on.
fn alias_jobs<'v>(views: &'v Views<'v>, page: &'v Page) -> Vec<Job<'v>> {
    page.aliases
        .iter()
        .map(|alias| {
            let path = if alias.ends_with('/') {
                format!("{alias}index.html")
            } else {
                alias.clone()
            };
            let deps = Deps::default().pages_only([page]);
            let job = Job::new(path, "alias.html", &page.source, deps, move || {
                let meta = views.meta(
                    &page.title,
                    page.front.description.as_deref(),
                    &page.path,
                    "website",
                    None,
                );
                let mut context = context_with_meta(meta);
                context.insert("target", &views.urls.url(&page.path));
                context
            });
            job.owned_by(page)
        })
        .collect()
}

/// The tag index and every tag's pages, paginated by `[tags] paginate_by`.
fn tag_jobs<'v>(views: &'v Views<'v>, scope: Scope) -> Vec<Job<'v>> {
    let site = views.site;
    if site.tags.is_empty() {
        return Vec::new();
    }
    let tags = std::path::Path::new("tags");
    let counts: Vec<(&str, usize)> = site
        .tags
        .iter()
        .map(|t| (t.name.as_str(), t.pages.len()))
        .collect();
    let index = Job::new(
        "tags/index.html".into(),
        "tags.html",
        tags,
        Deps::default().shape(counts),
        || {
            let meta = views.meta("Tags", None, "tags/", "website", None);
            let mut context = context_with_meta(meta);
            context.insert("terms", &views.terms());
            context
        },
    );
    let per_page = Some(site.config.tags.paginate_by);
    let reached = site
        .tags
        .iter()
        .filter(|t| scope.reaches(tag_group(&t.slug)));
    let terms = reached.flat_map(move |term| {
        let pages = std::sync::Arc::new(Pages::new(&term.path, &term.pages, per_page));
        let each: Vec<_> = pages.each().collect();
        each.into_iter().map(move |(number, path, chunk)| {
            let deps = pages.deps(site, chunk);
            let pages = pages.clone();
            Job::new(
                format!("{path}index.html"),
                "tag.html",
                tags,
                deps,
                move || {
                    let title = pages.title(&format!("Tagged “{}”", term.name), number);
                    let meta = views.meta(&title, None, &path, "website", None);
                    let mut context = context_with_meta(meta);
                    let link = Link {
                        name: term.name.clone(),
                        url: views.urls.url(&term.path),
                    };
                    context.insert("term", &link);
                    let paginator = pages.paginator(views, number, chunk);
                    context.insert_value("paginator", paginator);
                    context
                },
            )
            .listing(views, chunk)
            .in_group(tag_group(&term.slug))
        })
    });
    std::iter::once(index).chain(terms).collect()
}

/// Where to read about template syntax, for template errors.
const TEMPLATE_HINT: &str = "see https://keats.github.io/tera/docs/ for template syntax";

/// A template error as a diagnostic: at the template's file, line and column when Tera
/// knows them, with what it was `doing` (a page's path) before the message.
fn template_error(theme: &Theme, e: &tera::Error, doing: &str) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    let Some(report) = report else {
        return Diagnostic::file(PathBuf::from("templates"), format!("{doing}{}", e));
    };
    let file = theme.source_of(report.filename());
    let span = report.span();
    // Tera counts columns from 0, editors from 1.
    let at = Pos::new(span.start_line, span.start_col + 1);
    Diagnostic::at(file, at, format!("{doing}{}", report.message()))
}

/// Every problem with the theme's templates, once compiling them failed with `first`. Tera
/// stops at the first template that does not parse, so each one is parsed again on its own
/// to report them all; its checks of names across templates (filters, blocks, components)
/// come as one text, split here into one diagnostic each.
fn compile_errors(theme: &Theme, first: &tera::Error) -> Diagnostics {
    let whole = || vec![template_error(theme, first, "")];
    let mut found = match first.kind() {
        tera::ErrorKind::SyntaxError(_) => unparsed(theme),
        tera::ErrorKind::Msg(text) => reference_errors(theme, text).unwrap_or_else(whole),
        _ => whole(),
    };
    found.sort();
    // Once, after the last: the same link under every error is noise.
    if let Some(last) = found.pop() {
        found.push(last.with_hint(TEMPLATE_HINT));
    }
    Diagnostics(found)
}

/// The syntax error of every template that does not parse on its own.
fn unparsed(theme: &Theme) -> Vec<Diagnostic> {
    theme
        .templates
        .iter()
        .filter_map(|t| Tera::new().add_raw_template(&t.name, &t.text).err())
        .filter(|e| matches!(e.kind(), tera::ErrorKind::SyntaxError(_)))
        .map(|e| template_error(theme, &e, ""))
        .collect()
}

/// The diagnostics in Tera's text of several reports (`error: what` then ` --> name:line:col`
/// each, blank lines between); `None` when a report is not in that shape, so the text is
/// shown as it is rather than losing part of it.
fn reference_errors(theme: &Theme, text: &str) -> Option<Vec<Diagnostic>> {
    text.split("\n\n")
        .map(|report| {
            let mut lines = report.lines();
            let message = lines.next()?.strip_prefix("error: ")?;
            let at = lines.next()?.trim_start().strip_prefix("--> ")?;
            let mut parts = at.rsplitn(3, ':');
            let column = parts.next()?.parse().ok()?;
            let line = parts.next()?.parse().ok()?;
            let file = theme.source_of(parts.next()?);
            Some(Diagnostic::at(file, Pos::new(line, column), message))
        })
        .collect()
}

/// `get_env(name=…, default=…)`: an environment variable of the build, for templates (a
/// key set in CI, say); `default` when it is not set, an error when there is no default.
fn get_env(kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    let name = kwargs.must_get::<&str>("name")?;
    match (std::env::var(name), kwargs.get::<&str>("default")?) {
        (Ok(value), _) => Ok(value),
        (Err(_), Some(default)) => Ok(default.to_string()),
        (Err(_), None) => Err(tera::Error::message(format!(
            "environment variable `{name}` is not set; give `get_env` a `default`"
        ))),
    }
}
