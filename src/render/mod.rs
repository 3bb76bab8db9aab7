//! Render: templates and the pages they produce.
//!
//! Owns the Tera environment (the theme's templates, overridden by name from the hub's
//! `templates/`), and turning the content model into output files: section lists with
//! pagination, pages, tag pages, alias redirects and the site files (404, robots, sitemap,
//! feeds). Pages render in parallel; the result is an [`Output`], written elsewhere.

pub mod feeds;
pub mod people;
pub mod theme;
pub mod views;

use std::path::PathBuf;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::content::{Page, Section, SectionKind, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::seminars;
pub use theme::Theme;
use views::{Link, Meta, PageView, Paginator, SiteView, Views};

/// A renderer for one hub: its compiled templates and where they came from.
pub struct Renderer {
    tera: Tera,
    theme: Theme,
}

/// One HTML file to render: which template, with what context, to which path.
pub(crate) struct Job {
    pub(crate) path: String,
    pub(crate) template: String,
    pub(crate) context: Context,
    /// The content file asking for this output, for messages.
    source: PathBuf,
    /// Whether the author named the template (then it must exist) or the kind chose it
    /// (then a generic template stands in for a missing one).
    pub(crate) explicit: bool,
}

impl Job {
    pub(crate) fn new(
        path: String,
        template: impl Into<String>,
        context: Context,
        source: &std::path::Path,
    ) -> Job {
        Job {
            path,
            template: template.into(),
            context,
            source: source.to_path_buf(),
            explicit: false,
        }
    }
}

impl Renderer {
    /// Compiles the theme's templates with the hub's overrides; template errors are reported
    /// for every file.
    pub fn new(site_root: &std::path::Path, theme_name: &str) -> Result<Renderer, Diagnostics> {
        let theme = Theme::load(site_root, theme_name)?;
        let mut tera = Tera::default();
        tera.autoescape_on(vec![".html", ".xml"]);
        tera.set_escape_fn(escape_html);
        let templates: Vec<(String, String)> = theme
            .templates
            .iter()
            .map(|t| (t.name.clone(), t.text.clone()))
            .collect();
        tera.add_raw_templates(templates).map_err(|e| {
            let file = theme
                .templates
                .iter()
                .find(|t| error_chain(&e).contains(&format!("'{}'", t.name)))
                .map_or_else(|| PathBuf::from("templates"), |t| t.source.clone());
            Diagnostic::file(file, error_chain(&e))
                .with_hint("see https://keats.github.io/tera/docs/ for template syntax")
        })?;
        Ok(Renderer { tera, theme })
    }

    /// The theme's static files, to copy into the output.
    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Renders every HTML page and site file of `site` into `output`.
    pub fn render_site(
        &self,
        site: &Site,
        now: &jiff::Zoned,
        output: &mut Output,
    ) -> Result<(), Diagnostics> {
        let views = Views::new(site);
        let site_view = site_view(&views, now)?;
        let agenda = seminars::Agenda::new(site, now);
        let mut jobs = self.jobs(&views, &agenda);
        let seminar_jobs = seminars::jobs(&views, &agenda);
        let listed = sitemap_paths(&seminar_jobs);
        jobs.extend(seminar_jobs);
        let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = jobs
            .into_par_iter()
            .map(|mut job| {
                job.context.insert("site", &site_view);
                self.render(&job).map(|html| (job.path, html.into_bytes()))
            })
            .collect();
        let mut errors = Diagnostics::default();
        for r in results {
            match r {
                Ok((path, bytes)) => output.add_bytes(path, bytes),
                Err(e) => errors.push(e),
            }
        }
        errors.into_result()?;
        feeds::render_site_files(&views, now, &listed, output);
        people::vcards(&views, output);
        seminars::render_feeds(site, &views.urls, now, output);
        site_calendar(&views, now, output);
        Ok(())
    }

    fn render(&self, job: &Job) -> Result<String, Diagnostic> {
        let name = self.resolve_template(job)?;
        self.tera.render(&name, &job.context).map_err(|e| {
            let source = self.theme.source_of(&name);
            Diagnostic::file(
                source,
                format!("while rendering /{}: {}", job.path, error_chain(&e)),
            )
        })
    }

    /// Kind templates fall back to the generic ones, so a theme need not cover every kind;
    /// a template an author named must exist.
    fn resolve_template(&self, job: &Job) -> Result<String, Diagnostic> {
        let exists = |n: &str| self.tera.get_template_names().any(|t| t == n);
        if exists(&job.template) {
            return Ok(job.template.clone());
        }
        if job.explicit {
            return Err(Diagnostic::file(
                &job.source,
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
    fn jobs<'a>(&self, views: &Views<'a>, agenda: &seminars::Agenda) -> Vec<Job> {
        let site = views.site;
        let mut jobs = Vec::new();
        // What the home page shows besides its own content; workshops add the next event.
        let home = seminars::home_context(views, agenda);
        // Seminar sections and talks are rendered by `seminars::jobs` (see `render_site`).
        for section in &site.sections {
            if section.front.kind != SectionKind::Seminars {
                jobs.extend(section_jobs(views, section, &home));
            }
        }
        for page in &site.pages {
            let section = &site.sections[page.section];
            if page.seminar.is_none() {
                jobs.push(page_job(views, page, section));
            }
            jobs.extend(alias_jobs(views, page));
        }
        jobs.extend(tag_jobs(views));
        jobs.extend(people::group_jobs(views));
        let meta = views.meta("Page not found", None, "404.html", "website", None);
        jobs.push(Job::new(
            "404.html".into(),
            "404.html",
            context_with_meta(meta),
            std::path::Path::new("404.html"),
        ));
        jobs
    }
}

fn site_view<'a>(views: &Views<'a>, now: &jiff::Zoned) -> Result<SiteView<'a>, Diagnostics> {
    let config = &views.site.config;
    let links = crate::content::link_map(views.site);
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

fn insert<T: Serialize + ?Sized>(mut c: Context, key: &str, value: &T) -> Context {
    c.insert(key, value);
    c
}

/// A section's list page, split into pages of `paginate_by` when set.
fn section_jobs(views: &Views, section: &Section, home: &Context) -> Vec<Job> {
    let template = section.front.template.clone().unwrap_or_else(|| {
        if section.path.is_empty() {
            "index.html".into()
        } else {
            section.front.kind.section_template().into()
        }
    });
    let per_page = section
        .front
        .paginate_by
        .filter(|&n| n > 0)
        .unwrap_or(usize::MAX);
    let chunks: Vec<&[usize]> = if section.pages.is_empty() {
        vec![&[]]
    } else {
        section.pages.chunks(per_page).collect()
    };
    let total = chunks.len();
    let page_path = |n: usize| {
        if n == 1 {
            section.path.clone()
        } else {
            format!("{}page/{n}/", section.path)
        }
    };
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, chunk)| {
            let number = i + 1;
            let path = page_path(number);
            let paginator = Paginator {
                pages: views.cards(chunk),
                number,
                total,
                previous: (number > 1).then(|| views.urls.url(&page_path(number - 1))),
                next: (number < total).then(|| views.urls.url(&page_path(number + 1))),
                first: views.urls.url(&page_path(1)),
                last: views.urls.url(&page_path(total)),
            };
            let title = if number == 1 {
                section.title.clone()
            } else {
                format!("{} (page {number})", section.title)
            };
            let mut context = context_with_meta(views.meta(
                &title,
                section.front.description.as_deref(),
                &path,
                "website",
                None,
            ));
            context = insert(context, "section", &views.section(section));
            context = insert(context, "paginator", &paginator);
            if section.path.is_empty() {
                context = insert(context, "latest_posts", &latest_posts(views, 5));
                context.extend(home.clone());
            }
            if section.front.kind == SectionKind::Members {
                context = insert(context, "directory", &people::directory(views, section));
            }
            Job {
                explicit: section.front.template.is_some(),
                ..Job::new(
                    format!("{path}index.html"),
                    template.clone(),
                    context,
                    &section.source,
                )
            }
        })
        .collect()
}

/// The newest posts of every posts section, for the home page.
fn latest_posts<'a>(views: &Views<'a>, n: usize) -> Vec<PageView<'a>> {
    let site = views.site;
    let mut posts: Vec<&Page> = site
        .pages
        .iter()
        .filter(|p| p.kind == SectionKind::Posts)
        .collect();
    posts.sort_by(|a, b| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.content_path.cmp(&b.content_path))
    });
    posts
        .into_iter()
        .take(n)
        .map(|p| views.page(p, false))
        .collect()
}

pub(crate) fn page_job(views: &Views, page: &Page, section: &Section) -> Job {
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
    context = insert(context, "page", &view);
    context = insert(context, "section", &views.section(section));
    if let Some(member) = &page.member {
        context = insert(context, "member", &people::profile(views, page, member));
    }
    let explicit = page.front.template.is_some() || section.front.page_template.is_some();
    let template = page.template(section.front.page_template.as_deref());
    Job {
        explicit,
        ..Job::new(
            format!("{}index.html", page.path),
            template,
            context,
            &page.source,
        )
    }
}

/// Site paths of the pages among `jobs`, for the sitemap (redirects left out).
fn sitemap_paths(jobs: &[Job]) -> Vec<String> {
    jobs.iter()
        .filter(|j| j.template != "alias.html")
        .filter_map(|j| j.path.strip_suffix("index.html"))
        .map(str::to_string)
        .collect()
}

/// `/calendar.ics`: every dated thing on the site in one feed. Workshops chain their
/// sessions onto the seminars' events here.
fn site_calendar(views: &Views, now: &jiff::Zoned, output: &mut Output) {
    let site = views.site;
    let events = seminars::calendar_events(site, &views.urls);
    let name = format!("{} — calendar", site.config.title);
    let path = seminars::SITE_CALENDAR;
    let feed = seminars::feed(site, &views.urls, path, name, events);
    let text = crate::calendar::write_feed(&feed, now.timestamp());
    output.add_bytes(path, text.into_bytes());
}

/// Old URLs of a page become small pages that send readers (and search engines) on.
fn alias_jobs(views: &Views, page: &Page) -> Vec<Job> {
    page.aliases
        .iter()
        .map(|alias| {
            let path = if alias.ends_with('/') {
                format!("{alias}index.html")
            } else {
                alias.clone()
            };
            let meta = views.meta(
                &page.title,
                page.front.description.as_deref(),
                &page.path,
                "website",
                None,
            );
            let context = insert(
                context_with_meta(meta),
                "target",
                &views.urls.url(&page.path),
            );
            Job::new(path, "alias.html", context, &page.source)
        })
        .collect()
}

fn tag_jobs(views: &Views) -> Vec<Job> {
    let site = views.site;
    if site.tags.is_empty() {
        return Vec::new();
    }
    let meta = views.meta("Tags", None, "tags/", "website", None);
    let index = Job::new(
        "tags/index.html".into(),
        "tags.html",
        insert(context_with_meta(meta), "terms", &views.terms()),
        std::path::Path::new("tags"),
    );
    let terms = site.tags.iter().map(|t| {
        let mut context = context_with_meta(views.meta(
            &format!("Tagged “{}”", t.name),
            None,
            &t.path,
            "website",
            None,
        ));
        context = insert(
            context,
            "term",
            &Link {
                name: t.name.clone(),
                url: views.urls.url(&t.path),
            },
        );
        context = insert(context, "pages", &views.cards(&t.pages));
        Job::new(
            format!("{}index.html", t.path),
            "tag.html",
            context,
            std::path::Path::new("tags"),
        )
    });
    std::iter::once(index).chain(terms).collect()
}

/// Escapes what HTML needs escaped; Tera's default also escapes `/`, which bloats every URL.
fn escape_html(s: &str) -> String {
    crate::markdown::escape_attr(s).replace('\'', "&#39;")
}

/// Tera hides the useful part of an error in its source chain.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}
