//! A hostile page inside a small hub, loaded as `podium check` loads content
//! (`content::load`): the page-level checks of dates, slugs, aliases, tags and templates
//! that the direct front matter tests do not reach.

use std::path::Path;

use podium::config::Config;
use podium::content::{LoadOptions, load};

use crate::front_matter::content_file;
use crate::harness::{check, guarded, hub, points_into};

const POST: &str = "content/news/post.md";

/// Loads a hub whose one post is `text`; returns the problems found.
fn load_hub_with(text: &str) -> Vec<podium::diagnostics::Diagnostic> {
    let dir = hub(&[(POST, text)]);
    let root = dir.path();
    let config = Config::load(root).unwrap();
    let options = LoadOptions {
        drafts: true,
        defer_bodies: false,
        hold_after: None,
    };
    load(root, config, &options, &|_| {})
        .err()
        .map(|e| e.0)
        .unwrap_or_default()
}

/// Any post loads, or every problem names the post and a line of it.
#[test]
fn any_post_loads_or_points_at_its_lines() {
    check(64, content_file, |text| {
        let input = text.clone();
        let problems = guarded(move || load_hub_with(&input))?;
        let shown = text.strip_prefix('\u{feff}').unwrap_or(&text);
        for d in &problems {
            points_into(d, Path::new(POST), shown)?;
        }
        Ok(())
    });
}

/// Found by the build property: a tag with nothing to make a URL from was reported
/// without a line.
#[test]
fn a_tag_without_letters_is_reported_at_its_line() {
    let problems = load_hub_with("+++\ntitle = \"P\"\n\ntags = [\"ok\", \"!!!\"]\n+++\n");
    let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 1, "{lines:?}");
    assert_eq!(
        (problems[0].file.as_path(), problems[0].line),
        (Path::new(POST), 4),
        "{lines:?}"
    );
}
