//! Every internal link and asset reference of a built site resolves under a sub-path, and
//! nothing points at another host except outbound links in page content.

mod common;

use common::*;

const BASE: &str = "https://example.github.io/hub/";

/// The demo hub (the repository root), built for a GitHub Pages project site.
#[test]
fn demo_hub_links_resolve_under_a_sub_path() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo(), &out, &["--base-url", BASE]);
    let report = check_links(&out, BASE);
    eprintln!(
        "checked {} HTML and {} XML files: {} internal references ({} with a fragment), {} outbound",
        report.html_files, report.xml_files, report.internal, report.fragments, report.outbound
    );
    assert_no_link_problems(&report);
    // The checker must have had real work to do, or it proves nothing.
    assert!(report.html_files >= 15, "{report:?}");
    assert!(report.xml_files >= 2, "{report:?}");
    assert!(report.internal >= 300, "{report:?}");
    assert!(report.fragments >= 20, "{report:?}");
    assert!(report.outbound >= 3, "{report:?}");
}

/// The same walk over the feature fixture, which has what the demo hub lacks: aliases,
/// pagination, bundle files linked from Markdown, a root-absolute link to a static file, and
/// an internal link with a fragment.
#[test]
fn feature_hub_links_resolve_under_its_configured_sub_path() {
    let hub = Hub::copy("features");
    let out = hub.build_into("site", &[]);
    let report = check_links(&out, "https://lab.example.org/research/");
    assert!(report.html_files >= 15, "{report:?}");
    assert!(report.internal >= 200, "{report:?}");
    assert!(report.fragments >= 10, "{report:?}");
    assert_no_link_problems(&report);
}

/// A site built for a sub-path must not link to the host's root: the checker itself must
/// catch a root-relative link that forgets the sub-path, a missing file, a missing id, and a
/// stylesheet from another host.
#[test]
fn the_link_checker_catches_what_it_should() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path();
    std::fs::create_dir_all(out.join("a")).unwrap();
    std::fs::write(out.join("style.css"), "").unwrap();
    std::fs::write(
        out.join("index.html"),
        r#"<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/style.css">
<link rel="stylesheet" href="https://fonts.example.com/x.css">
<link rel="canonical" href="https://example.github.io/hub/">
</head><body>
<a href="a/">ok</a> <a href="/hub/a/#missing">no id</a> <a href="/hub/gone/">gone</a>
<a href="/hub/a">no slash</a> <img srcset="/hub/style.css 1x, nope.png 2x">
<p id="twice"></p><p id="twice"></p> <a href="/hub//a/">double slash</a>
<div class="prose"><a href="https://elsewhere.org/">fine</a></div>
<a href="https://elsewhere.org/">not fine</a>
</body></html>"#,
    )
    .unwrap();
    std::fs::write(out.join("a/index.html"), "<p id=here>a</p>").unwrap();
    let report = check_links(out, BASE);
    let all = report.problems.join("\n");
    for expected in [
        "`/style.css` leaves the site's sub-path",
        "fonts.example.com/x.css\">: points at another host",
        "no element with id `missing`",
        "gone/index.html which is not in the output",
        "trailing slash",
        "nope.png",
        "<a href=\"https://elsewhere.org/\">: points at another host",
        "duplicate id `twice`",
        "empty path segment",
    ] {
        assert!(all.contains(expected), "missing {expected:?} in:\n{all}");
    }
    assert_eq!(report.problems.len(), 9, "{all}");
    assert_eq!(report.outbound, 1);
}

/// The small fixture hubs pass the same walk (their aliases, tags and pagination included).
#[test]
fn fixture_hubs_links_resolve() {
    for (name, base) in [
        ("front-toml", "https://example.github.io/front/"),
        ("front-yaml", "https://example.github.io/front/"),
        ("errors", "https://example.github.io/errors/"),
    ] {
        let hub = Hub::copy(name);
        let out = hub.build_into("site", &[]);
        let report = check_links(&out, base);
        assert_no_link_problems(&report);
        assert!(report.internal >= 50, "{name}: {report:?}");
    }
}

/// Authors write raw HTML in Markdown too (`<img src="/files/x.png" width="200">`); its
/// root-absolute links need the sub-path just like Markdown links (SPEC §5).
#[test]
fn root_absolute_links_in_raw_html_live_under_the_sub_path() {
    let hub = Hub::copy("features");
    hub.write(
        "content/raw.md",
        "+++\ntitle = \"Raw HTML\"\ndescription = \"Links written as HTML.\"\n+++\n\n\
         Download <a href=\"/files/cv.pdf\">the CV</a>.\n\n\
         <figure><img src=\"/images/logo.svg\" alt=\"Logo\"></figure>\n",
    );
    let out = hub.build_into("site", &[]);
    let doc = html(&out, "raw/index.html");
    assert_eq!(attrs(&doc, ".prose a", "href"), ["/research/files/cv.pdf"]);
    assert_eq!(
        attrs(&doc, ".prose img", "src"),
        ["/research/images/logo.svg"]
    );
}

/// List pages show several summaries at once: headings and footnote references inside them
/// must not give the page duplicate ids or `#fragment` links to footnotes that were cut off.
#[test]
fn summaries_keep_ids_unique_and_fragments_valid() {
    let hub = Hub::copy("features");
    for n in 1..=2 {
        hub.write(
            &format!("content/news/2024-08-0{n}-dup{n}.md"),
            &format!(
                "+++\ntitle = \"Background {n}\"\n+++\n\n## Background\n\n\
                 A claim[^src].\n\n[^src]: A source.\n\n<!-- more -->\n\nThe rest.\n"
            ),
        );
    }
    let out = hub.build_into("site", &[]);
    let report = check_links(&out, "https://lab.example.org/research/");
    let list_problems: Vec<&String> = report
        .problems
        .iter()
        .filter(|p| p.starts_with("news/index.html") || p.starts_with("index.html"))
        .collect();
    assert!(list_problems.is_empty(), "{list_problems:#?}");
}

/// A tag whose name has no letters or digits must not get an empty slug: `tags//` would
/// collide with the tag index (and which of the two is written last is up to the threads).
#[test]
fn a_tag_without_letters_gets_a_page_of_its_own_or_an_error() {
    let hub = Hub::copy("errors");
    hub.write(
        "content/news/odd.md",
        "+++\ntitle = \"Odd tags\"\ntags = [\"!!!\", \"ok\"]\n+++\n\nBody.\n",
    );
    // Refusing the input, with the file named, is as right as building it.
    let Some(out) = hub.build_or_refusal("content/news/odd.md") else {
        return;
    };
    assert_eq!(text(&html(&out, "tags/index.html"), "main h1"), "Tags");
    assert_no_link_problems(&check_links(&out, "https://example.github.io/errors/"));
}

/// The same for a page: `slug = ""` must not make it collide with its section's list page.
#[test]
fn an_empty_slug_gets_a_page_of_its_own_or_an_error() {
    let hub = Hub::copy("errors");
    hub.write(
        "content/news/empty.md",
        "+++\ntitle = \"Empty slug\"\nslug = \"\"\n+++\n\nEMPTY-SLUG-PAGE\n",
    );
    // Refusing the input, with the file named, is as right as building it.
    let Some(out) = hub.build_or_refusal("content/news/empty.md") else {
        return;
    };
    assert_eq!(text(&html(&out, "news/index.html"), "main h1"), "News");
    let pages_with_body: Vec<String> = html_files(&out)
        .into_iter()
        .filter(|f| read(&out, f).contains("EMPTY-SLUG-PAGE") && f != "news/index.html")
        .collect();
    assert!(!pages_with_body.is_empty(), "the page was lost");
    assert_no_link_problems(&check_links(&out, "https://example.github.io/errors/"));
}
