//! The Atom feed and the sitemap: well-formed XML, one entry per published post with absolute
//! links, and a sitemap that lists every page. Also where the calendar feeds' Google Calendar
//! links lead, which Google accepts only in one form and only for files under 1 MB.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::*;

const BASE: &str = "https://example.github.io/hub/";

/// Number of published posts under a hub's `content/news/` (files and bundles, not drafts).
fn published_posts(root: &Path) -> usize {
    walkdir::WalkDir::new(root.join("content/news"))
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            e.file_type().is_file() && name.ends_with(".md") && name != "_index.md"
        })
        .filter(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            !text.contains("draft = true") && !text.contains("draft: true")
        })
        .count()
}

/// The elements named `name` that are direct children of an `entry`.
fn entry_children<'a>(elements: &'a [XmlElement], name: &str) -> Vec<&'a XmlElement> {
    elements
        .iter()
        .filter(|e| e.name == name && e.ancestors.last().map(String::as_str) == Some("entry"))
        .collect()
}

/// Checks an Atom feed of `out` built for `base`; returns the entries' page URLs.
fn check_atom(out: &Path, rel: &str, base: &str) -> Vec<String> {
    let elements = xml(out, rel);
    let root = &elements[0];
    assert_eq!(root.name, "feed", "{rel}: the root is <feed>");
    assert_eq!(
        root.attrs.get("xmlns").map(String::as_str),
        Some("http://www.w3.org/2005/Atom")
    );
    let feed_links: Vec<_> = elements
        .iter()
        .filter(|e| e.name == "link" && e.ancestors == ["feed"])
        .collect();
    assert!(
        feed_links
            .iter()
            .any(|l| l.attrs.get("rel").map(String::as_str) == Some("self")
                && l.attrs["href"] == format!("{base}{rel}")),
        "{rel}: a rel=self link to the feed's own absolute URL: {feed_links:?}"
    );
    for required in ["id", "title", "updated"] {
        assert_eq!(
            elements
                .iter()
                .filter(|e| e.name == required && e.ancestors == ["feed"])
                .count(),
            1,
            "{rel}: the feed has one <{required}>"
        );
    }
    let entries = elements.iter().filter(|e| e.name == "entry").count();
    let mut urls = Vec::new();
    for link in entry_children(&elements, "link") {
        let href = &link.attrs["href"];
        assert!(
            href.starts_with(base),
            "{rel}: entry link {href} is absolute"
        );
        urls.push(href.clone());
    }
    assert_eq!(urls.len(), entries, "{rel}: one link per entry");
    let ids: BTreeSet<&str> = entry_children(&elements, "id")
        .iter()
        .map(|e| e.text.as_str())
        .collect();
    assert_eq!(ids.len(), entries, "{rel}: every entry has its own <id>");
    for id in &ids {
        assert!(id.starts_with("https://") || id.starts_with("urn:"), "{id}");
    }
    for stamp in entry_children(&elements, "updated")
        .into_iter()
        .chain(entry_children(&elements, "published"))
    {
        stamp
            .text
            .parse::<jiff::Timestamp>()
            .unwrap_or_else(|e| panic!("{rel}: {:?} is not RFC 3339: {e}", stamp.text));
    }
    assert_eq!(entry_children(&elements, "updated").len(), entries);
    assert_eq!(entry_children(&elements, "title").len(), entries);
    // Each entry's title is the title of the page it links to.
    let titles = entry_children(&elements, "title");
    for (url, title) in urls.iter().zip(titles) {
        let page = url.strip_prefix(base).unwrap();
        let doc = html(out, &format!("{page}index.html"));
        assert_eq!(text(&doc, "main h1"), title.text.trim(), "{url}");
    }
    urls
}

/// The URLs a sitemap lists, checked to be absolute, unique and resolvable.
fn sitemap_urls(out: &Path, base: &str) -> BTreeSet<String> {
    let elements = xml(out, "sitemap.xml");
    assert_eq!(elements[0].name, "urlset");
    assert_eq!(
        elements[0].attrs.get("xmlns").map(String::as_str),
        Some("http://www.sitemaps.org/schemas/sitemap/0.9")
    );
    let locs: Vec<String> = elements
        .iter()
        .filter(|e| e.name == "loc")
        .map(|e| e.text.trim().to_string())
        .collect();
    assert_eq!(
        locs.len(),
        elements.iter().filter(|e| e.name == "url").count(),
        "one <loc> per <url>"
    );
    let unique: BTreeSet<String> = locs.iter().cloned().collect();
    assert_eq!(unique.len(), locs.len(), "no URL is listed twice");
    for loc in &unique {
        let path = loc
            .strip_prefix(base)
            .unwrap_or_else(|| panic!("{loc} is not under {base}"));
        assert!(
            out.join(format!("{path}index.html")).is_file() || out.join(path).is_file(),
            "{loc} is listed but not built"
        );
    }
    unique
}

/// Pages a sitemap must list: every HTML page except 404, alias redirects and the second and
/// later pages of a paginated list (which repeat their section).
fn listable_pages(out: &Path, base: &str) -> BTreeSet<String> {
    html_files(out)
        .into_iter()
        .filter(|f| f != "404.html" && !f.contains("/page/"))
        .filter(|f| !is_redirect(&html(out, f)))
        .map(|f| format!("{base}{}", f.trim_end_matches("index.html")))
        .collect()
}

#[test]
fn every_xml_file_of_the_demo_hub_is_well_formed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo(), &out, &["--base-url", BASE]);
    let xml_files: Vec<String> = tree(&out)
        .into_keys()
        .filter(|f| f.ends_with(".xml"))
        .collect();
    assert!(xml_files.contains(&"news/atom.xml".to_string()));
    assert!(xml_files.contains(&"sitemap.xml".to_string()));
    for f in &xml_files {
        xml(&out, f);
    }
}

#[test]
fn the_strict_xml_reader_rejects_what_it_should() {
    for bad in [
        "<a><b></a></b>",
        "<a>&nbsp;</a>",
        "<a>x</a><b/>",
        "<a x=\"1\" x=\"2\"/>",
        "<a>unclosed",
        "<a>AT&T</a>",
        "<a>form\u{c}feed</a>",
        "<a>&#x8;</a>",
        "<a t=\"\u{1}\"/>",
    ] {
        assert!(parse_xml(bad).is_err(), "{bad} was accepted");
    }
    let ok = parse_xml(
        "<?xml version=\"1.0\"?>\n<a t=\"&lt;&#x41;\" xml:base=\"/x/\">1 &amp; 2<b xml:base=\"y/\"/></a>\n",
    )
    .unwrap();
    assert_eq!(ok[0].attrs["t"], "<A");
    assert_eq!(ok[0].text, "1 & 2");
    assert_eq!(ok[1].bases, ["/x/", "y/"]);
    assert_eq!(
        resolve_against("photo.png", &resolve_against("y/", "https://h.org/x/")),
        "https://h.org/x/y/photo.png"
    );
}

#[test]
fn demo_feed_has_one_entry_per_news_post_with_absolute_links() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo(), &out, &["--base-url", BASE]);
    let urls = check_atom(&out, "news/atom.xml", BASE);
    let posts = published_posts(&repo());
    assert!(posts >= 3, "the demo hub has its news posts");
    assert_eq!(urls.len(), posts.min(20), "{urls:?}");
    let unique: BTreeSet<&String> = urls.iter().collect();
    assert_eq!(unique.len(), urls.len());
}

#[test]
fn demo_sitemap_lists_every_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("site");
    build(&repo(), &out, &["--base-url", BASE]);
    let listed = sitemap_urls(&out, BASE);
    let pages = listable_pages(&out, BASE);
    assert!(pages.len() >= 10);
    let missing: Vec<_> = pages.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "pages missing from sitemap.xml: {missing:?}"
    );
    assert!(
        !listed.iter().any(|u| u.ends_with("404.html")),
        "the 404 page is not listed"
    );
}

#[test]
fn feature_feed_and_sitemap_leave_out_drafts_and_redirects() {
    let hub = Hub::copy("features");
    let out = hub.build_into("site", &[]);
    let base = "https://lab.example.org/research/";
    let urls = check_atom(&out, "news/atom.xml", base);
    assert_eq!(urls.len(), 5, "five published posts, the draft left out");
    assert_eq!(published_posts(&hub.root), 5);
    assert!(!urls.iter().any(|u| u.contains("secret")));
    let listed = sitemap_urls(&out, base);
    let pages = listable_pages(&out, base);
    for not_listed in ["secret-plans", "blog/new-home", "2024/02/new-home"] {
        assert!(
            !listed.iter().any(|u| u.contains(not_listed)),
            "{not_listed} is in the sitemap: {listed:?}"
        );
    }
    // robots.txt points crawlers at the sitemap's absolute URL.
    let robots = read(&out, "robots.txt");
    assert!(
        robots.contains(&format!("Sitemap: {base}sitemap.xml")),
        "{robots}"
    );
    let missing: Vec<_> = pages.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "pages missing from sitemap.xml: {missing:?}"
    );
}

/// Titles, tags and bodies with XML's special characters, non-ASCII text and control
/// characters pasted from a PDF give well-formed feeds and sitemaps, with the text intact
/// (or, for the control characters, a located error): one bad paste must not make every
/// feed reader reject the whole feed.
#[test]
fn awkward_text_gives_well_formed_xml() {
    let hub = Hub::copy("features");
    let title = "Q&A: <b>not bold</b> \"quoted\" & 'single' — Łódź 🚀";
    hub.write(
        "content/news/2024-07-01-awkward.md",
        &format!(
            "+++\ntitle = {title:?}\ndescription = \"AT&T < 3 > 2\"\ntags = [\"C++ & Rust\"]\n+++\n\n\
             Copied from a PDF:\u{c}page two, with a\u{8}backspace. Fish & chips <3.\n"
        ),
    );
    // Refusing the input, with the file named, is as right as building it.
    let Some(out) = hub.build_or_refusal("content/news/2024-07-01-awkward.md:") else {
        return;
    };
    for f in ["news/atom.xml", "sitemap.xml"] {
        xml(&out, f);
    }
    let feed = xml(&out, "news/atom.xml");
    assert!(
        feed.iter().any(|e| e.name == "title"
            && e.ancestors.last().is_some_and(|a| a == "entry")
            && e.text == title),
        "the entry title survives escaping"
    );
    let page = html(&out, "news/awkward/index.html");
    assert_eq!(text(&page, "main h1"), title);
    let check = check_links(&out, "https://lab.example.org/research/");
    assert!(
        check.problems.iter().all(|p| !p.contains("awkward")),
        "{:?}",
        check.problems
    );
}

// ---------------------------------------------------------------- Google Calendar links

/// Google Calendar subscribe links: `calendar.google.com/calendar/render?cid=…`.
const GOOGLE_SUBSCRIBE: &str = "https://calendar.google.com/calendar/render?cid=";

/// The address every Google subscribe link on `page` passes, decoded.
fn google_cids(doc: &scraper::Html) -> Vec<String> {
    attrs(doc, "a[href]", "href")
        .iter()
        .filter_map(|href| href.strip_prefix(GOOGLE_SUBSCRIBE))
        .map(percent_decode)
        .collect()
}

/// The built file a feed address of the seminars fixture (`https://hub.example.org/lab/…`
/// in any scheme) names.
fn feed_file(out: &Path, address: &str) -> std::path::PathBuf {
    let (_, rest) = address.split_once("://").expect("an absolute address");
    let rel = rest
        .strip_prefix("hub.example.org/lab/")
        .unwrap_or_else(|| panic!("{address} is on the hub"));
    out.join(rel)
}

/// Parses a feed with the `ical` crate; panics unless it is one valid calendar.
fn parse_calendar(path: &Path) -> ical::parser::ical::component::IcalCalendar {
    let text = std::fs::read_to_string(path).unwrap();
    let mut parser = ical::IcalParser::new(std::io::BufReader::new(text.as_bytes()));
    let calendar = parser.next().expect("a calendar");
    calendar.unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn google_subscribe_links_pass_the_webcal_address_next_to_the_by_hand_way() {
    let hub = Hub::copy("seminars");
    let out = hub.build_into("site", &[]);
    for page in [
        "seminars/index.html",
        "seminars/series/colloquium/index.html",
    ] {
        let doc = html(&out, page);
        let cids = google_cids(&doc);
        assert!(cids.len() >= 2, "{page}: {cids:?}");
        for cid in &cids {
            // Google refuses `cid=https://…` ("not associated with an active account").
            assert!(
                cid.starts_with("webcal://hub.example.org/lab/"),
                "{page}: {cid}"
            );
        }
        let fallback = text(&doc, ".subscribe .google-fallback");
        assert!(fallback.contains("From URL"), "{page}: {fallback:?}");
        // The https address of every feed is there to copy.
        let https = attrs(&doc, ".subscribe input.feed-url", "value");
        for cid in &cids {
            let address = cid.replacen("webcal://", "https://", 1);
            assert!(https.contains(&address), "{page}: {address} in {https:?}");
        }
    }
}

#[test]
fn a_cancelled_talk_offers_no_add_to_calendar() {
    let hub = Hub::copy("seminars");
    let out = hub.build_into("site", &[]);
    let offers = |page: &str| {
        let doc = html(&out, page);
        let aside = attrs(&doc, "aside.add-to-calendar", "class").len();
        let google = attrs(&doc, "a[href^='https://calendar.google.com/']", "href").len();
        (aside, google)
    };
    assert_eq!(
        offers("seminars/thaler/index.html"),
        (1, 1),
        "a confirmed talk does"
    );
    assert_eq!(offers("seminars/cancelled/index.html"), (0, 0));
}

#[test]
fn a_meeting_that_skips_dates_reaches_google_with_its_exdates() {
    let hub = Hub::copy("seminars");
    let out = hub.build_into("site", &[]);
    let doc = html(&out, "seminars/meeting/index.html");
    let google = attrs(
        &doc,
        ".calendar-actions a[href^='https://calendar.google.com/']",
        "href",
    );
    assert_eq!(google.len(), 1, "{google:?}");
    // An event template would carry only the RRULE, and Google would then show a meeting
    // on the skipped 18 March: the link must lead to a feed that says it is skipped.
    let cids = google_cids(&doc);
    assert_eq!(cids.len(), 1, "a subscription, not a template: {google:?}");
    let calendar = parse_calendar(&feed_file(&out, &cids[0]));
    let exdates: Vec<String> = calendar.events[0]
        .properties
        .iter()
        .filter(|p| p.name == "EXDATE")
        .filter_map(|p| p.value.clone())
        .collect();
    assert_eq!(exdates, ["20210318T110000"]);
}

/// A colloquium talk a week from 2010 with a long abstract: about 2.6 KB in a feed.
fn long_past_talk(week: usize) -> String {
    let day = jiff::civil::date(2010, 1, 7)
        .checked_add(jiff::Span::new().weeks(week as i64))
        .unwrap();
    let abstract_text = format!("Talk {week} looks at one more corner of the problem. ").repeat(40);
    format!(
        "+++\ntitle = \"Archived talk {week:04}\"\nspeaker = \"Speaker {week}\"\nseries = \"colloquium\"\nstart = \"{day} 16:00\"\n+++\n\n{abstract_text}\n"
    )
}

#[test]
fn google_links_lead_only_to_feeds_under_a_megabyte() {
    let hub = Hub::copy("seminars");
    for week in 0..450 {
        hub.write(
            &format!("content/seminars/archived-{week:04}.md"),
            &long_past_talk(week),
        );
    }
    let out = hub.build_into("site", &[]);
    let size = |rel: &str| std::fs::metadata(out.join(rel)).unwrap().len();
    for big in [
        "seminars/seminars.ics",
        "seminars/colloquium.ics",
        "calendar.ics",
    ] {
        assert!(size(big) > 1_000_000, "{big} is {} bytes", size(big));
    }
    let mut targets = BTreeSet::new();
    for page in html_files(&out) {
        for cid in google_cids(&html(&out, &page)) {
            targets.insert(cid);
        }
    }
    // Every big feed is still offered to Google, through a smaller file.
    let listing = google_cids(&html(&out, "seminars/index.html"));
    assert!(listing.len() >= 5, "{listing:?}");
    for target in &targets {
        let file = feed_file(&out, target);
        let bytes = std::fs::metadata(&file).unwrap().len();
        assert!(bytes < 1_000_000, "{target}: {bytes} bytes");
        parse_calendar(&file);
    }
    let expected = [
        "webcal://hub.example.org/lab/seminars/recent.ics",
        "webcal://hub.example.org/lab/seminars/colloquium.recent.ics",
        "webcal://hub.example.org/lab/calendar.recent.ics",
    ];
    for recent in expected {
        assert!(targets.contains(recent), "{recent} in {targets:?}");
    }
}

#[test]
fn a_workshop_offers_its_feeds_to_google_the_same_way() {
    let hub = Hub::copy("events");
    let out = hub.build_into("site", &[]);
    let doc = html(&out, "events/ws/index.html");
    let cids = google_cids(&doc);
    assert_eq!(cids.len(), 2, "sessions and talks: {cids:?}");
    let https = attrs(&doc, ".event-feeds input.feed-url", "value");
    for cid in &cids {
        assert!(cid.starts_with("webcal://example.org/hub/"), "{cid}");
        let address = cid.replacen("webcal://", "https://", 1);
        assert!(https.contains(&address), "{address} in {https:?}");
    }
    let fallback = text(&doc, ".event-feeds .google-fallback");
    assert!(fallback.contains("From URL"), "{fallback:?}");
}
