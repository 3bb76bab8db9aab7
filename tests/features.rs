//! The core features, on the `features` fixture hub (base URL `https://lab.example.org/research/`):
//! drafts, aliases, tags, pagination, summaries, page bundles, site files, page metadata,
//! math, and template overrides.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::*;

const BASE: &str = "https://lab.example.org/research/";
const PATH: &str = "/research/";

fn built(extra: &[&str]) -> (Hub, PathBuf) {
    let hub = Hub::copy("features");
    let out = hub.build_into("site", extra);
    (hub, out)
}

/// The post links of the cards on a list page, in order.
fn listed_posts(out: &Path, rel: &str) -> Vec<String> {
    attrs(&html(out, rel), "main .card-title a", "href")
}

fn post(slug: &str) -> String {
    format!("{PATH}news/{slug}/")
}

/// Every text file of the output, concatenated with its name, for "appears nowhere" checks.
fn all_text(out: &Path) -> String {
    tree(out)
        .into_iter()
        .filter_map(|(name, bytes)| {
            String::from_utf8(bytes)
                .ok()
                .map(|t| format!("{name}\n{t}"))
        })
        .collect()
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let (_hub, out) = built(&[]);
    assert!(!out.join("news/secret-plans").exists());
    assert!(
        !out.join("tags/secret").exists(),
        "a draft's tags get no page"
    );
    let everything = all_text(&out);
    for leak in ["secret-plans", "Secret plans", "DRAFT-CONTENT"] {
        assert!(!everything.contains(leak), "{leak} leaked into the output");
    }

    let (_hub, out) = built(&["--drafts"]);
    let doc = html(&out, "news/secret-plans/index.html");
    assert!(text(&doc, ".prose").contains("DRAFT-CONTENT"));
    assert!(out.join("tags/secret/index.html").is_file());
    assert_eq!(
        listed_posts(&out, "news/index.html")[0],
        post("secret-plans")
    );
}

#[test]
fn aliases_become_redirects_to_the_page() {
    let (_hub, out) = built(&[]);
    let target = post("new-home");
    assert!(out.join("news/new-home/index.html").is_file());
    for alias in ["blog/new-home/index.html", "2024/02/new-home.html"] {
        let doc = html(&out, alias);
        assert!(is_redirect(&doc), "{alias} redirects");
        let refresh = attrs(&doc, "meta[http-equiv]", "content").join("");
        let url = refresh
            .split_once("url=")
            .map(|(_, u)| u.trim())
            .unwrap_or_else(|| panic!("{alias}: no url in {refresh:?}"));
        assert_eq!(url, target, "{alias}");
        assert_eq!(
            attrs(&doc, "link[rel=canonical]", "href"),
            [format!("{BASE}news/new-home/")],
            "{alias}: search engines are sent to the page"
        );
        assert!(
            attrs(&doc, "a", "href").contains(&target),
            "{alias}: a link for people"
        );
    }
}

#[test]
fn every_tag_has_a_page_listing_its_posts() {
    let (_hub, out) = built(&[]);
    let expected: &[(&str, &str, &[&str])] = &[
        ("detectors", "Detectors", &["bundle-post", "first-light"]),
        (
            "machine-learning",
            "Machine Learning",
            &["fourth", "first-light"],
        ),
        ("site", "Site", &["new-home"]),
    ];
    let index = html(&out, "tags/index.html");
    let index_links: BTreeSet<String> = attrs(&index, "main a", "href").into_iter().collect();
    for (slug, name, posts) in expected {
        let rel = format!("tags/{slug}/index.html");
        let listed = listed_posts(&out, &rel);
        let want: Vec<String> = posts.iter().map(|p| post(p)).collect();
        assert_eq!(listed, want, "{rel}: its posts, newest first");
        assert!(text(&html(&out, &rel), "main h1").contains(name), "{rel}");
        assert!(
            index_links.contains(&format!("{PATH}tags/{slug}/")),
            "tags/ links {slug}"
        );
        for p in *posts {
            let doc = html(&out, &format!("news/{p}/index.html"));
            assert!(
                attrs(&doc, "main a", "href").contains(&format!("{PATH}tags/{slug}/")),
                "{p} links to its tag {slug}"
            );
        }
    }
    let tag_dirs: BTreeSet<String> = tree(&out.join("tags"))
        .into_keys()
        .filter(|k| k != "index.html")
        .collect();
    assert_eq!(
        tag_dirs.len(),
        expected.len(),
        "no other tag pages: {tag_dirs:?}"
    );
}

#[test]
fn paginate_by_splits_the_list_into_pages() {
    let (_hub, out) = built(&[]);
    assert_eq!(
        listed_posts(&out, "news/index.html"),
        [post("fifth"), post("fourth")]
    );
    assert_eq!(
        listed_posts(&out, "news/page/2/index.html"),
        [post("bundle-post"), post("new-home")]
    );
    assert_eq!(
        listed_posts(&out, "news/page/3/index.html"),
        [post("first-light")]
    );
    assert!(!out.join("news/page/4").exists());

    let page2 = html(&out, "news/page/2/index.html");
    assert_eq!(
        attrs(&page2, "a[rel=prev]", "href"),
        [format!("{PATH}news/")]
    );
    assert_eq!(
        attrs(&page2, "a[rel=next]", "href"),
        [format!("{PATH}news/page/3/")]
    );
    assert_eq!(
        attrs(&page2, "link[rel=canonical]", "href"),
        [format!("{BASE}news/page/2/")]
    );
    let first = html(&out, "news/index.html");
    assert!(attrs(&first, "a[rel=prev]", "href").is_empty());
    let last = html(&out, "news/page/3/index.html");
    assert!(attrs(&last, "a[rel=next]", "href").is_empty());
}

#[test]
fn more_marker_ends_the_summary_on_list_pages() {
    let (_hub, out) = built(&[]);
    for list in ["news/page/3/index.html", "tags/machine-learning/index.html"] {
        let doc = html(&out, list);
        let card = doc
            .select(&sel("main .card"))
            .find(|c| c.html().contains("first-light"))
            .unwrap_or_else(|| panic!("{list} has the post's card"));
        let card_text: String = card.text().collect();
        assert!(card_text.contains("SUMMARY-ALPHA"), "{list}: {card_text}");
        assert!(!card_text.contains("HIDDEN-OMEGA"), "{list}: {card_text}");
        let links: Vec<_> = card
            .select(&sel("a"))
            .filter_map(|a| a.value().attr("href"))
            .collect();
        assert!(links.contains(&post("first-light").as_str()), "{list}");
    }
    let page = html(&out, "news/first-light/index.html");
    let body = text(&page, ".prose");
    assert!(
        body.contains("SUMMARY-ALPHA") && body.contains("HIDDEN-OMEGA"),
        "{body}"
    );
    // The feed's summary stops at the marker too; its content does not.
    let feed = xml(&out, "news/atom.xml");
    let entry_of = |name: &str| -> String {
        let mut in_post = false;
        let mut found = String::new();
        for e in &feed {
            if e.name == "id" && e.ancestors.last().is_some_and(|a| a == "entry") {
                in_post = e.text.contains("first-light");
            }
            if in_post && e.name == name {
                found = e.text.clone();
            }
        }
        found
    };
    assert!(entry_of("summary").contains("SUMMARY-ALPHA"));
    assert!(!entry_of("summary").contains("HIDDEN-OMEGA"));
    assert!(entry_of("content").contains("HIDDEN-OMEGA"));
}

#[test]
fn bundle_files_are_copied_beside_the_page() {
    let (hub, out) = built(&[]);
    let bundle = hub.root.join("content/news/bundle-post");
    for file in ["photo.png", "slides.pdf", "data/table.csv"] {
        assert_eq!(
            std::fs::read(out.join("news/bundle-post").join(file)).unwrap(),
            std::fs::read(bundle.join(file)).unwrap(),
            "{file}"
        );
    }
    assert!(
        !out.join("news/bundle-post/index.md").exists(),
        "sources stay out"
    );
    let doc = html(&out, "news/bundle-post/index.html");
    let hrefs = attrs(&doc, ".prose a", "href");
    assert!(hrefs.iter().any(|h| h.ends_with("slides.pdf")), "{hrefs:?}");
    let images = attrs(&doc, "main img", "src");
    assert!(
        images
            .iter()
            .any(|s| s == &format!("{PATH}news/bundle-post/photo.png")),
        "the front-matter image resolves beside the page: {images:?}"
    );
}

#[test]
fn root_absolute_markdown_links_live_under_the_sub_path() {
    let (hub, out) = built(&[]);
    let doc = html(&out, "about/index.html");
    assert!(attrs(&doc, ".prose a", "href").contains(&format!("{PATH}files/cv.pdf")));
    assert_eq!(
        std::fs::read(out.join("files/cv.pdf")).unwrap(),
        std::fs::read(hub.root.join("static/files/cv.pdf")).unwrap()
    );
    assert!(attrs(&doc, ".prose a", "href").contains(&format!("{PATH}news/first-light/#the-rest")));
}

#[test]
fn site_files_for_github_pages() {
    let (_hub, out) = built(&[]);
    assert_eq!(read(&out, "CNAME").trim(), "lab.example.org");
    assert!(out.join(".nojekyll").is_file());
    assert!(read(&out, "robots.txt").contains(&format!("Sitemap: {BASE}sitemap.xml")));
    // 404.html is served at any depth, so its links cannot be relative.
    let not_found = html(&out, "404.html");
    assert!(
        text(&not_found, "main")
            .to_lowercase()
            .contains("not found")
    );
    for attr in ["href", "src"] {
        for url in attrs(&not_found, &format!("[{attr}]"), attr) {
            assert!(
                url.starts_with(PATH) || url.starts_with("https://") || url.starts_with('#'),
                "404.html: relative {attr}={url}"
            );
        }
    }
    // No `[deploy] cname`, no CNAME.
    let plain = Hub::copy("front-toml");
    let out = plain.build_into("site", &[]);
    assert!(!out.join("CNAME").exists());
    assert!(out.join(".nojekyll").is_file() && out.join("404.html").is_file());
}

/// Canonical URL, meta description and Open Graph on every page of a site.
fn check_head_metadata(out: &Path, base: &str) -> usize {
    let mut checked = 0;
    for file in html_files(out) {
        let doc = html(out, &file);
        let canonical = attrs(&doc, "link[rel=canonical]", "href");
        assert_eq!(
            canonical.len(),
            1,
            "{file}: one canonical URL: {canonical:?}"
        );
        assert!(canonical[0].starts_with(base), "{file}: {canonical:?}");
        if is_redirect(&doc) {
            continue;
        }
        let own = format!("{base}{}", file.trim_end_matches("index.html"));
        assert_eq!(canonical[0], own, "{file}: canonical is the page itself");
        let one = |css: &str| {
            let v = attrs(&doc, css, "content");
            assert_eq!(v.len(), 1, "{file}: one {css}");
            assert!(!v[0].trim().is_empty(), "{file}: {css} is empty");
            v[0].clone()
        };
        one("meta[name=description]");
        assert!(
            attrs(&doc, "html", "lang").iter().any(|l| !l.is_empty()),
            "{file}: <html lang>"
        );
        one("meta[property='og:title']");
        one("meta[property='og:type']");
        assert_eq!(one("meta[property='og:url']"), own, "{file}: og:url");
        assert!(!text(&doc, "title").is_empty(), "{file}: <title>");
        checked += 1;
    }
    checked
}

#[test]
fn every_html_page_has_canonical_description_and_open_graph() {
    let (_hub, out) = built(&["--drafts"]);
    assert!(check_head_metadata(&out, BASE) >= 15);
    let tmp = tempfile::tempdir().unwrap();
    let demo = tmp.path().join("site");
    build(
        &repo(),
        &demo,
        &["--base-url", "https://example.github.io/hub/"],
    );
    assert!(check_head_metadata(&demo, "https://example.github.io/hub/") >= 15);
}

#[test]
fn math_becomes_mathml_and_prices_stay_text() {
    let (_hub, out) = built(&[]);
    let doc = html(&out, "about/index.html");
    let maths: Vec<_> = doc.select(&sel(".prose math")).collect();
    assert_eq!(maths.len(), 2, "one inline, one display formula");
    assert_eq!(
        maths
            .iter()
            .filter(|m| m.value().attr("display") == Some("block"))
            .count(),
        1
    );
    assert!(
        maths[0].select(&sel("msup")).next().is_some(),
        "c² is a superscript"
    );
    let prose = text(&doc, ".prose");
    assert!(
        prose.contains("The coffee costs $5 and $10 on weekends."),
        "{prose}"
    );
    assert!(!prose.contains("$E"), "no raw TeX left: {prose}");
    assert!(
        doc.select(&sel("script")).next().is_none(),
        "no JavaScript needed"
    );
}

#[test]
fn a_hub_template_overrides_the_theme_by_name() {
    let (hub, out) = built(&[]);
    let about = html(&out, "about/index.html");
    assert_eq!(
        text(&about, ".override-marker"),
        "Rendered by the hub's own page template."
    );
    // Only page.html is overridden: posts keep the theme's post.html.
    let post_page = html(&out, "news/fifth/index.html");
    assert!(post_page.select(&sel(".override-marker")).next().is_none());
    // And without the override, the theme's page.html is back.
    std::fs::remove_dir_all(hub.root.join("templates")).unwrap();
    let plain = hub.build_into("plain", &[]);
    let about = html(&plain, "about/index.html");
    assert!(about.select(&sel(".override-marker")).next().is_none());
    assert!(text(&about, ".prose").contains("The coffee costs"));
}

#[test]
fn static_files_are_copied_as_is_and_override_the_theme() {
    let hub = Hub::copy("features");
    hub.write(
        "static/favicon.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
    );
    hub.write(
        "static/.well-known/security.txt",
        "Contact: mailto:lab@example.org\n",
    );
    hub.write("static/data/deep/nested.json", "{\"ok\": true}\n");
    let out = hub.build_into("site", &[]);
    assert_eq!(
        read(&out, "favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n",
        "the hub's file wins over the theme's"
    );
    assert_eq!(read(&out, "data/deep/nested.json"), "{\"ok\": true}\n");
    assert!(
        out.join("style.css").is_file(),
        "theme assets still come along"
    );
    // GitHub Pages serves dot-folders once .nojekyll is there; domain verification and
    // security.txt live in .well-known/.
    assert_eq!(
        std::fs::read_to_string(out.join(".well-known/security.txt")).ok(),
        Some("Contact: mailto:lab@example.org\n".to_string())
    );
}

#[test]
fn gfm_markdown_and_build_time_highlighting() {
    let hub = Hub::copy("features");
    hub.write(
        "content/gfm.md",
        "+++\ntitle = \"GFM\"\ndescription = \"Markdown features.\"\n+++\n\n\
         | a | b |\n|---|---|\n| 1 | 2 |\n\n\
         ~~gone~~ and https://example.com/auto\n\n\
         - [x] done\n- [ ] todo\n\n\
         Claim[^1].\n\n[^1]: Source.\n\n\
         ```rust\nfn main() { let x = \"s\"; }\n```\n",
    );
    let out = hub.build_into("site", &[]);
    let doc = html(&out, "gfm/index.html");
    assert_eq!(doc.select(&sel(".prose table td")).count(), 2);
    assert_eq!(text(&doc, ".prose del"), "gone");
    assert!(attrs(&doc, ".prose a", "href").contains(&"https://example.com/auto".to_string()));
    assert_eq!(doc.select(&sel(".prose input[type=checkbox]")).count(), 2);
    assert_eq!(
        doc.select(&sel(".prose input[type=checkbox][checked]"))
            .count(),
        1
    );
    let footnote_links = attrs(&doc, ".prose sup a", "href");
    assert_eq!(footnote_links.len(), 1);
    let target = footnote_links[0].trim_start_matches('#');
    assert_eq!(attrs(&doc, &format!("[id='{target}']"), "id").len(), 1);
    // Highlighted at build time with classes (no inline colours), styled light and dark.
    let code = doc
        .select(&sel(".prose pre code"))
        .next()
        .expect("a code block");
    let classes: String = code
        .select(&sel("span"))
        .filter_map(|s| s.value().attr("class"))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(classes.contains("hl-"), "{}", code.html());
    assert!(!code.html().contains("style="), "{}", code.html());
    let css = read(&out, "style.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
}

#[test]
fn every_posts_section_gets_its_own_feed() {
    let hub = Hub::copy("features");
    hub.write(
        "content/talks/_index.md",
        "+++\ntitle = \"Talks\"\nkind = \"posts\"\n+++\n",
    );
    hub.write(
        "content/talks/2024-09-01-a-talk.md",
        "+++\ntitle = \"A talk\"\n+++\n\nSlides soon.\n",
    );
    hub.write(
        "content/quiet/_index.md",
        "+++\ntitle = \"Quiet\"\nkind = \"posts\"\nfeed = false\n+++\n",
    );
    hub.write(
        "content/quiet/2024-09-02-hush.md",
        "+++\ntitle = \"Hush\"\n+++\n\nNo feed here.\n",
    );
    let out = hub.build_into("site", &[]);
    let entries = |rel: &str| -> Vec<String> {
        xml(&out, rel)
            .into_iter()
            .filter(|e| e.name == "title" && e.ancestors.last().is_some_and(|a| a == "entry"))
            .map(|e| e.text)
            .collect()
    };
    assert_eq!(entries("talks/atom.xml"), ["A talk"]);
    assert_eq!(entries("news/atom.xml").len(), 5);
    assert!(!entries("news/atom.xml").contains(&"A talk".to_string()));
    assert!(!out.join("quiet/atom.xml").exists(), "feed = false");
    assert!(out.join("quiet/hush/index.html").is_file());
    // Each list page advertises its own feed.
    let talks = html(&out, "talks/index.html");
    assert!(
        attrs(&talks, "a", "href").contains(&format!("{PATH}talks/atom.xml")),
        "the talks list links its feed"
    );
}

#[test]
fn extra_data_reaches_templates() {
    let hub = Hub::copy("features");
    let config = read(&hub.root, "config.toml");
    hub.write(
        "config.toml",
        &format!("{config}\n[extra]\nfunder = \"The Science Fund\"\n"),
    );
    hub.write(
        "content/venue.md",
        "+++\ntitle = \"Venue\"\n\n[extra]\nroom = \"Hall B\"\nseats = 120\n+++\n\nWhere we meet.\n",
    );
    hub.write(
        "templates/page.html",
        "{% extends \"base.html\" %}{% block content %}<h1>{{ page.title }}</h1>\
         <p class=\"x\">{{ page.extra.room | default(value=\"-\") }}/\
         {{ page.extra.seats | default(value=0) }}/{{ site.extra.funder }}</p>\
         <div class=\"prose\">{{ page.content | safe }}</div>{% endblock content %}",
    );
    let out = hub.build_into("site", &[]);
    assert_eq!(
        text(&html(&out, "venue/index.html"), ".x"),
        "Hall B/120/The Science Fund"
    );
    assert_eq!(
        text(&html(&out, "about/index.html"), ".x"),
        "-/0/The Science Fund"
    );
}

#[test]
fn a_draft_section_keeps_its_pages_unpublished() {
    let hub = Hub::copy("features");
    hub.write(
        "content/internal/_index.md",
        "+++\ntitle = \"Internal\"\ndraft = true\n+++\n",
    );
    hub.write(
        "content/internal/budget.md",
        "+++\ntitle = \"Budget\"\n+++\n\nINTERNAL-BUDGET figures.\n",
    );
    let out = hub.build_into("site", &[]);
    assert!(
        !all_text(&out).contains("INTERNAL-BUDGET"),
        "a page of a draft section was published"
    );
    assert!(!out.join("internal").exists());

    let out = hub.build_into("drafts", &["--drafts"]);
    assert!(text(&html(&out, "internal/budget/index.html"), ".prose").contains("INTERNAL-BUDGET"));
}

#[test]
fn lists_show_each_page_as_the_card_template_renders_it() {
    let hub = Hub::copy("features");
    let default = hub.build_into("default", &[]);
    hub.write(
        "templates/card.html",
        "<a class=\"c\" href=\"{{ page.url }}\">{{ page.title }} · {{ site.title }}</a>",
    );
    let custom = hub.build_into("custom", &[]);
    for list in [
        "news/index.html",
        "news/page/2/index.html",
        "tags/machine-learning/index.html",
    ] {
        let expected = listed_posts(&default, list);
        assert!(!expected.is_empty(), "{list} lists posts");
        assert_eq!(
            attrs(&html(&custom, list), "main a.c", "href"),
            expected,
            "{list}"
        );
    }
    let tag = html(&custom, "tags/detectors/index.html");
    assert_eq!(
        text(&tag, "main a.c[href$='/first-light/']"),
        "First light · Feature Lab"
    );
}

#[test]
fn a_broken_card_template_is_one_error_and_writes_nothing() {
    let hub = Hub::copy("features");
    hub.write("templates/card.html", "{{ page.no_such_field }}");
    let out = hub.scratch("site");
    let run = podium(
        &hub.root,
        &["build", "--now", NOW, "--output", out.to_str().unwrap()],
    );
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let stderr = &run.stderr;
    assert_eq!(
        stderr.matches("while rendering the card of").count(),
        1,
        "{stderr}"
    );
    // `{{ page.no_such_field }}`: the unknown field starts at line 1, column 9.
    assert!(
        stderr.contains("card.html:1:9:") && stderr.contains("no_such_field"),
        "the error names the template, where in it, and the variable:\n{stderr}"
    );
    assert!(stderr.contains("other cards failed too"), "{stderr}");
    assert!(!out.exists(), "a failed build wrote {}", out.display());
}

#[test]
fn every_list_shows_exactly_its_pages_however_many_lists_share_them() {
    // Twelve posts on overlapping tags, lists of two per page: each post's card is on its
    // section's list and on one to three tag lists, which hand it on to one another.
    let hub = Hub::copy("features");
    let config = std::fs::read_to_string(hub.root.join("config.toml")).unwrap();
    hub.write(
        "config.toml",
        &format!("{config}\n[tags]\npaginate_by = 2\n"),
    );
    let tags = ["Alpha", "Beta", "Gamma"];
    for n in 1..=12 {
        let on: Vec<String> = tags
            .iter()
            .enumerate()
            .filter(|(i, _)| n % (i + 2) == 0 || *i == n % 3)
            .map(|(_, t)| format!("{t:?}"))
            .collect();
        hub.write(
            &format!("content/news/shared-{n:02}.md"),
            &format!(
                "+++\ntitle = \"Shared {n}\"\ndate = 2025-03-{n:02}\ntags = [{}]\n+++\n\nBody {n}.\n",
                on.join(", ")
            ),
        );
    }
    let out = hub.build_into("site", &[]);
    // What each post's own page says it is tagged with, against what the lists show.
    let mut tagged: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
    let mut posts = BTreeSet::new();
    for file in html_files(&out) {
        let Some(slug) = file
            .strip_prefix("news/")
            .and_then(|f| f.strip_suffix("/index.html"))
            .filter(|s| !s.contains('/') && !s.starts_with("page"))
        else {
            continue;
        };
        posts.insert(post(slug));
        for tag in attrs(&html(&out, &file), "article .tags a", "href") {
            tagged.entry(tag).or_default().insert(post(slug));
        }
    }
    let listed = |list: &str| -> BTreeSet<String> {
        let mut shown = BTreeSet::new();
        for page in html_files(&out)
            .into_iter()
            .filter(|f| f == &format!("{list}index.html") || f.starts_with(&format!("{list}page/")))
        {
            let cards = listed_posts(&out, &page);
            assert!(cards.len() <= 2, "{page}: {cards:?}");
            for card in cards {
                assert!(shown.insert(card.clone()), "{card} twice in {list}");
            }
        }
        shown
    };
    assert_eq!(listed("news/"), posts);
    assert!(tagged.len() >= 4, "{tagged:?}");
    for (tag, pages) in &tagged {
        let list = tag.strip_prefix(PATH).unwrap();
        assert_eq!(&listed(list), pages, "{tag}");
    }
}
