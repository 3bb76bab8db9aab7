//! Bad input never panics: every prefix of a rich content file, and the same file with
//! bytes swapped for troublesome ones, builds or fails with diagnostics.

use std::path::Path;

use podium::site::{self, BuildOptions};

const RICH: &str = "+++\ntitle = \"Łukasz's \\\"talk\\\"\"\ndate = 2020-11-05T16:00:00-08:00\nupdated = \"2021-02-30\"\ntags = [\"a\", \"Ümit\"]\naliases = [\"/old/\"]\nslug = \"x\"\n[extra]\nk = 1\n+++\n# Heading\n\nText with $x^2$ and $$\\frac{a}{b}$$, [a link](@/about.md#top) and [root](/files/a.pdf).\n\n<!-- more -->\n\n```python\nprint('é')\n```\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";

fn build_with(dir: &Path, text: &[u8]) {
    std::fs::write(dir.join("content/news/post.md"), text).unwrap();
    let options = BuildOptions {
        root: dir.to_path_buf(),
        now: Some("2026-01-01".into()),
        ..Default::default()
    };
    // Either outcome is fine; a panic fails the test.
    let _ = site::build(&options);
}

fn hub() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("content/news")).unwrap();
    std::fs::write(
        dir.path().join("config.toml"),
        "title = \"T\"\nbase_url = \"https://e.org/sub/\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/about.md"),
        "+++\ntitle = \"About\"\n+++\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("content/news/_index.md"),
        "+++\ntitle = \"News\"\nkind = \"posts\"\n+++\n",
    )
    .unwrap();
    dir
}

#[test]
fn every_prefix_of_a_file_builds_or_reports() {
    let dir = hub();
    let bytes = RICH.as_bytes();
    let body = RICH.find("# Heading").unwrap();
    // Every cut inside the front matter, where parsing is most fragile; a sample after it.
    let cuts = (0..=body).chain((body..=bytes.len()).step_by(9));
    for end in cuts {
        build_with(dir.path(), &bytes[..end]);
    }
}

#[test]
fn mangled_bytes_build_or_report() {
    let dir = hub();
    let bytes = RICH.as_bytes();
    for (i, bad) in [b'"', b'\n', b'$', b'[', 0xFF, b'+', b'-', 0]
        .into_iter()
        .cycle()
        .take(400)
        .enumerate()
    {
        let mut text = bytes.to_vec();
        let at = (i * 37) % text.len();
        text[at] = bad;
        build_with(dir.path(), &text);
    }
}

#[test]
fn the_unmangled_file_reports_its_impossible_date() {
    let dir = hub();
    std::fs::write(dir.path().join("content/news/post.md"), RICH).unwrap();
    let options = BuildOptions {
        root: dir.path().to_path_buf(),
        ..Default::default()
    };
    let Err(errors) = site::build(&options) else {
        panic!("2021-02-30 must be rejected")
    };
    let text = errors.to_string();
    assert!(text.contains("content/news/post.md:4:11:"), "{text}");
    assert!(text.contains("day 30 is out of range"), "{text}");
}
