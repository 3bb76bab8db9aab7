//! `podium build` and `podium check`.

use std::path::Path;
use std::time::Instant;

use podium::cache;
use podium::diagnostics::Diagnostic;
use podium::site::{self, BuildOptions, Built};

use super::Failure;

/// Builds the hub and brings the output folder up to date with it.
pub fn run(
    root: &Path,
    output: Option<&Path>,
    base_url: Option<String>,
    drafts: bool,
    now: Option<String>,
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
    let options = BuildOptions {
        root: root.to_path_buf(),
        base_url,
        drafts,
        now,
        output: Some(dir.clone()),
        incremental: true,
    };
    site::check_flags(&options).map_err(Failure::Usage)?;
    let built = site::build(&options)?;
    let clock = site::Phases::start();
    cache::forget(root);
    let written = built.output.write_atomic(&dir);
    clock.lap("write");
    let written = written
        .map_err(|e| Diagnostic::file(&dir, format!("cannot write the site: {e}")))
        .map_err(|d| Failure::Content(d.into()))?;
    eprintln!(
        "Built {} pages and {} files into {} in {} ms ({} rendered, {} written, {} removed)",
        built.site.pages.len() + built.site.sections.len(),
        built.output.files.len(),
        dir.display(),
        started.elapsed().as_millis(),
        built.rendered,
        written.written,
        written.removed
    );
    report_photos(built.photos);
    save_cache(root, built);
    clock.lap("save the build cache");
    Ok(())
}

/// Leaves what the next build needs in the cache, now that the site is written.
fn save_cache(root: &Path, built: Built) {
    let Some(inputs) = built.inputs else {
        return;
    };
    let files = built.output.into_files().into_keys().collect();
    cache::save(root, &built.site, built.record, files, inputs, &built.now);
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

/// Builds in memory only, to report problems.
pub fn check(root: &Path, drafts: bool) -> Result<(), Failure> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        drafts,
        ..Default::default()
    };
    let built = site::build(&options)?;
    eprintln!(
        "No problems found in {} pages.",
        built.site.pages.len() + built.site.sections.len()
    );
    Ok(())
}
