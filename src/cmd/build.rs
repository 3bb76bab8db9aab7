//! `podium build` and `podium check`.

use std::path::Path;
use std::time::{Duration, Instant};

use podium::cache;
use podium::diagnostics::Diagnostic;
use podium::site::{self, BuildOptions, Built};

use super::Failure;

/// Builds the hub and brings the output folder up to date with it.
pub fn run(
    root: &Path,
    output: Option<&Path>,
    base_url: Option<String>,
    (drafts, future): (bool, bool),
    now: Option<String>,
    force: bool,
) -> Result<(), Failure> {
    let started = Instant::now();
    // The folder is known before building, so pages can be written as they are rendered;
    // a hub whose config does not load fails in the build with the config's own errors.
    let output_dir = podium::config::Config::load(root)
        .map(|c| c.build.output_dir)
        .unwrap_or_else(|_| "public".into());
    let dir = site::output_dir(root, &output_dir, output);
    if let Some(reason) = podium::output::unsafe_output_dir(root, &dir) {
        return Err(Failure::Usage(format!(
            "refusing to write the site there: {reason}"
        )));
    }
    // Checked before building, so the answer comes at once (the build checks again).
    if let Some(refused) = podium::output::refusal(&dir, force) {
        let message = format!("refusing to build into this folder: {}", refused.reason);
        let refusal = Diagnostic::file(&dir, message).with_hint(refused.fix);
        return Err(Failure::Content(refusal.into()));
    }
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url,
        drafts,
        future,
        now,
        output: Some(dir.clone()),
        incremental: true,
        force,
    };
    site::check_flags(&options).map_err(Failure::Usage)?;
    let built = site::build(&options)?;
    report_warnings(&built.site, &built.now);
    let clock = site::Phases::start();
    cache::forget(root);
    let Built {
        site,
        output,
        photos,
        renderer,
        record,
        now,
        inputs,
        rendered,
    } = built;
    // What the next build needs to know of this one is encoded while the site is written
    // (tens of milliseconds on a large hub, which are no longer added to every build), and
    // stored once the site is in place.
    let encode = || {
        let inputs = inputs?;
        let files = output.files.keys().cloned().collect();
        cache::encode(&site, record, files, inputs, &now)
    };
    let (written, encoded) = rayon::join(|| output.write_atomic(&dir), encode);
    clock.lap("write");
    let written = written
        .map_err(|e| site::write_failure(root, &dir, &e))
        .map_err(|d| Failure::Content(d.into()))?;
    eprintln!(
        "Built {} pages and {} files into {} in {} ms ({} rendered, {} written, {} removed)",
        site.pages.len() + site.sections.len(),
        output.files.len(),
        dir.display(),
        started.elapsed().as_millis(),
        rendered,
        written.written,
        written.removed
    );
    report_photos(photos);
    if let Some(encoded) = encoded {
        cache::store(root, &encoded);
    }
    clock.lap("save the build cache");
    // The process ends here: handing the site's hundreds of thousands of allocations back
    // one by one would only delay the exit (the output is written and closed).
    std::mem::forget((site, output, renderer));
    Ok(())
}

/// Prints the problems that did not stop the build: those found while loading, and talks
/// so far ahead that their year is likely a typo.
fn report_warnings(site: &podium::content::Site, now: &jiff::Zoned) {
    let far = podium::seminars::far_talks(site, now);
    for warning in site.warnings.iter().chain(&far) {
        eprintln!("{}", warning.as_warning());
    }
}

/// Says how many thumbnails were resized, so a slow build is explained (and tests can see
/// that the cache works).
fn report_photos(stats: podium::members::photos::Stats) {
    if stats.made + stats.cached > 0 {
        eprintln!(
            "Thumbnails: {} resized, {} from the cache",
            stats.made, stats.cached
        );
    }
}

/// Builds in memory only, to report problems; with `external` set, also asks the servers
/// of links that leave the site, waiting that long for each.
pub fn check(
    root: &Path,
    (drafts, future): (bool, bool),
    external: Option<Duration>,
) -> Result<(), Failure> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        future,
        ..Default::default()
    };
    let built = site::build(&options)?;
    report_warnings(&built.site, &built.now);
    let sources = built.output.files.values().filter_map(|body| match body {
        podium::output::Body::File(source) => Some(source.as_path()),
        _ => None,
    });
    let mut problems = podium::hub_files::unreadable(root, sources);
    if let Some(timeout) = external {
        let links = podium::external::links(&built.site, &built.output.files);
        eprintln!("Checking {} external links…", links.len());
        problems.extend(podium::external::dead_links(root, &links, timeout));
    }
    if !problems.is_empty() {
        let errors = podium::diagnostics::Diagnostics(problems);
        return Err(Failure::Content(errors));
    }
    eprintln!(
        "No problems found in {} pages.",
        built.site.pages.len() + built.site.sections.len()
    );
    Ok(())
}
