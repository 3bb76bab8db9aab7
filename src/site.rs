//! Site: one build, from folder to output.
//!
//! Runs the pipeline in its one direction — load config, load content, render, collect the
//! static files — and hands back the [`Output`], which `build` writes and `check` discards.

use std::path::{Path, PathBuf};

use crate::cache;
use crate::config::Config;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::members::photos;
use crate::output::Output;
use crate::render::theme::static_files_under;
use crate::render::{Record, Renderer};
use crate::time::parse_when;

/// What a build is asked to do.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Replaces `base_url` (e.g. the URL GitHub Pages assigns).
    pub base_url: Option<String>,
    pub drafts: bool,
    /// Publishes posts and pages dated after "now" (also `[build] future`).
    pub future: bool,
    /// "Now" for upcoming/past decisions and feeds; the clock when unset.
    pub now: Option<String>,
    /// The folder the site will be written to: pages then go to disk as they are rendered
    /// instead of being held in memory. `None` keeps everything in memory.
    pub output: Option<PathBuf>,
    /// Whether to use the build cache (see [`crate::cache`]) to render only what changed
    /// since the previous build into `output`; the caller saves the cache once the site is
    /// written.
    pub incremental: bool,
    /// Take everything in `output` as Podium's (`--force`): see [`crate::output::Rules`].
    pub force: bool,
}

/// A built site held in memory.
pub struct Built {
    pub site: Site,
    pub output: Output,
    /// What the member-photo step resized or took from its cache.
    pub photos: photos::Stats,
    /// The compiled templates, kept so `serve` can render again without recompiling.
    pub renderer: Renderer,
    /// What each HTML output depends on, for the next incremental render.
    pub record: Record,
    /// The build's "now".
    pub now: jiff::Zoned,
    /// For an incremental build, the inputs to save in the cache with the site.
    pub inputs: Option<cache::Inputs>,
    /// How many HTML outputs were rendered (fewer than the site has, when incremental).
    pub rendered: usize,
}

/// The most pages (or outputs) a thread takes from a parallel list at a time. Rayon splits a
/// list into a few pieces per thread and splits a piece again only when another thread
/// steals it: with two threads, a piece could be the last quarter of a list, which one
/// thread then rendered alone while the other waited (a quarter of a second of Markdown on
/// a 10,000-post hub). Pieces this small balance to the end, for a cost of microseconds.
pub const GRAIN: usize = 16;

/// Builds the hub in memory, reporting every problem found.
pub fn build(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let root = options.root.as_path();
    let mut config = Config::load(root)?;
    if let Some(url) = &options.base_url {
        config
            .set_base_url(url)
            .map_err(|m| Diagnostic::file("--base-url", m))?;
    }
    let now = resolve_now(options.now.as_deref(), &config)?;
    let clock = Phases::start();
    let previous = match (&options.output, options.incremental) {
        (Some(_), true) => cache::Previous::load(root),
        _ => None,
    };
    clock.lap("build cache");
    let future = options.future || config.build.future;
    let load = LoadOptions {
        drafts: options.drafts,
        hold_after: (!future).then(|| now.timestamp()),
        defer_bodies: previous.is_some(),
    };
    let mut output = match &options.output {
        Some(dir) => Output::streaming_to(dir, &output_rules(options))
            .map_err(|e| Diagnostic::file(dir, format!("cannot prepare the output folder: {e}")))?,
        None => Output::default(),
    };
    let make_folders = |site: &Site| output.make_folders(page_folders(site));
    let (renderer, mut site, statics) = load_side_by_side(root, config, &load, &make_folders)?;
    clock.lap("templates and load");
    collect_static(&site, &renderer, statics, &mut output);
    let photos = photos::make_thumbnails(&mut site, &mut output)?;
    clock.lap("static and photos");
    let (inputs, planned) = plan(options, previous, &renderer, &site, &now);
    clock.lap("plan");
    // Bodies the load left for later: all of them for a full render, the edited pages' for
    // an incremental one (their problems are reported now); the rest render on demand.
    if load.defer_bodies {
        let wanted = planned.bodies_now(&site);
        content::render_bodies(&mut site, wanted)?;
    }
    clock.lap("markdown");
    // Pages render once their folders are made: made meanwhile, pages would wait on them.
    output.folders_made();
    clock.lap("page folders");
    let rendered = renderer.render_site(&site, &now, planned.plan, &mut output)?;
    let late = std::mem::take(&mut *site.late_errors.lock().unwrap_or_else(|e| e.into_inner()));
    Diagnostics(late).into_result()?;
    planned.kept.apply(&mut output, &rendered.removed);
    clock.lap("render");
    Ok(Built {
        site,
        output,
        photos,
        renderer,
        record: rendered.record,
        now,
        inputs,
        rendered: rendered.pages,
    })
}

/// The hub's `static/` files: (site path, source file).
type StaticFiles = Vec<(String, PathBuf)>;

/// Compiles the templates, lists `static/` and loads the content side by side; reports the
/// problems of all three (and of bodies the load left for later) at once.
fn load_side_by_side(
    root: &Path,
    config: Config,
    load: &LoadOptions,
    placed: &(dyn Fn(&Site) + Sync),
) -> Result<(Renderer, Site, StaticFiles), Diagnostics> {
    // Syntaxes, templates and content do not depend on each other: loaded side by side, each
    // one's single-threaded parts fill cores the others leave idle. When bodies wait, so do
    // the syntaxes, until a body needs one.
    if config.markdown.highlight_code && !load.defer_bodies {
        rayon::spawn(crate::markdown::load_syntaxes);
    }
    let theme = config.theme.clone();
    let ((renderer, statics), site) = rayon::join(
        || {
            let statics = static_files_under(root, &root.join("static"));
            (Renderer::new(root, &theme), statics)
        },
        || content::load(root, config, load, placed),
    );
    let mut errors = Diagnostics(statics.errors);
    match (renderer, site) {
        (Ok(r), Ok(s)) if errors.is_empty() => return Ok((r, s, statics.files)),
        (r, Ok(mut site)) if load.defer_bodies => {
            let every = 0..site.pages.len();
            let bodies = content::render_bodies(&mut site, every).err();
            errors.extend(r.err().into_iter().chain(bodies).flat_map(|e| e.0));
        }
        (r, s) => {
            errors.extend(r.err().into_iter().flat_map(|e| e.0));
            errors.extend(s.err().into_iter().flat_map(|e| e.0));
        }
    }
    Err(errors.into_result().expect_err("one side failed"))
}

/// The folders of the site's pages (`news/my-post`), each holding its page's `index.html`.
fn page_folders(site: &Site) -> Vec<String> {
    let folders = site.pages.iter().filter_map(|p| p.path.strip_suffix('/'));
    folders
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect()
}

/// What to render: what changed since the previous build into the same folder, or
/// everything; and the inputs to save with this build for the next one.
fn plan(
    options: &BuildOptions,
    previous: Option<cache::Previous>,
    renderer: &Renderer,
    site: &Site,
    now: &jiff::Zoned,
) -> (Option<cache::Inputs>, cache::Planned) {
    let Some(dir) = options.output.as_deref().filter(|_| options.incremental) else {
        return (None, cache::Planned::everything());
    };
    let inputs = cache::inputs(options, renderer, site, now, dir);
    let planned = match previous {
        Some(previous) => previous.plan(site, inputs, now, dir),
        None => cache::Planned::everything(),
    };
    (Some(inputs), planned)
}

/// Checks the values of `--now` and `--base-url` before anything is built, so a mistyped
/// flag is reported as a usage error, not as a problem in the hub.
pub fn check_flags(options: &BuildOptions) -> Result<(), String> {
    if let Some(now) = &options.now {
        parse_when(now).map_err(|e| format!("--now: {e}"))?;
    }
    if let Some(url) = &options.base_url {
        Config::default()
            .set_base_url(url)
            .map_err(|e| format!("--base-url: {e}"))?;
    }
    Ok(())
}

/// What made writing the site into `dir` fail: a source file that could not be read is the
/// hub's problem and named as such; anything else is the output folder's.
pub fn write_failure(root: &Path, dir: &Path, e: &std::io::Error) -> Diagnostic {
    match crate::output::Unreadable::behind(e) {
        Some(u) => crate::hub_files::cannot_read(root, &u.source, &u.error.to_string()),
        None => Diagnostic::file(dir, format!("cannot write the site: {e}")),
    }
}

/// How the build treats what its output folder holds.
fn output_rules(options: &BuildOptions) -> crate::output::Rules {
    crate::output::Rules {
        force: options.force,
        hub: Some(options.root.clone()),
    }
}

/// The output folder for `root` and its config.
pub fn output_dir(root: &Path, config_dir: &str, flag: Option<&Path>) -> PathBuf {
    flag.map_or_else(|| root.join(config_dir), Path::to_path_buf)
}

fn resolve_now(now: Option<&str>, config: &Config) -> Result<jiff::Zoned, Diagnostics> {
    let tz = jiff::tz::TimeZone::get(&config.timezone).unwrap_or(jiff::tz::TimeZone::UTC);
    match now {
        None => Ok(jiff::Timestamp::now().to_zoned(tz)),
        Some(text) => parse_when(text).map(|w| w.in_zone(&tz)).map_err(|e| {
            Diagnostic::file("--now", e)
                .with_hint("e.g. --now 2020-11-05T12:00:00Z")
                .into()
        }),
    }
}

/// Theme assets, then the hub's `static/` (`statics`, which override them), then files that
/// live beside the content.
fn collect_static(site: &Site, renderer: &Renderer, statics: StaticFiles, output: &mut Output) {
    for (path, body) in &renderer.theme().statics {
        output.files.insert(path.clone(), body.clone());
    }
    for (path, abs) in statics {
        output.add_file(path, abs);
    }
    for (source, path) in &site.loose_files {
        output.add_file(path.clone(), source.clone());
    }
    for page in &site.pages {
        let Some(bundle) = &page.bundle_dir else {
            continue;
        };
        for asset in &page.assets {
            let rel = content::slash_path(asset.strip_prefix(bundle).unwrap_or(asset));
            output.add_file(format!("{}{rel}", page.path), asset.clone());
        }
    }
}

/// Phase timings on stderr when `PODIUM_TIMINGS` is set, for `bench/` and profiling.
pub struct Phases {
    last: std::cell::Cell<Option<std::time::Instant>>,
}

impl Phases {
    /// Starts timing if `PODIUM_TIMINGS` is set; otherwise every lap is free.
    pub fn start() -> Phases {
        let on = std::env::var_os("PODIUM_TIMINGS").is_some();
        Phases {
            last: std::cell::Cell::new(on.then(std::time::Instant::now)),
        }
    }

    /// Reports the time since the previous lap under `name`.
    pub fn lap(&self, name: &str) {
        if let Some(last) = self.last.get() {
            let now = std::time::Instant::now();
            eprintln!("[timing] {name}: {} ms", (now - last).as_millis());
            self.last.set(Some(now));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_source_gone_while_writing_is_named_as_unreadable_not_as_a_write_failure() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("hub");
        let out = tmp.path().join("site");
        std::fs::create_dir_all(root.join("static")).unwrap();
        let css = root.join("static/a.css");
        let write = || {
            let mut output = Output::default();
            output.add_file("a.css".to_string(), css.clone());
            output.write_atomic(&out)
        };
        // Into a new folder the source is copied; over a previous site it is compared first.
        for over_a_previous_site in [false, true] {
            std::fs::write(&css, "a").unwrap();
            if over_a_previous_site {
                write().unwrap();
            }
            std::fs::remove_file(&css).unwrap();
            let e = write().expect_err("the source is gone");
            let d = write_failure(&root, &out, &e);
            assert_eq!(d.file, Path::new("static/a.css"), "{d}");
            assert!(d.message.starts_with("cannot read: "), "{d}");
        }
    }
}
