//! Site files: Atom feeds of posts sections, the sitemap, robots.txt, `.nojekyll` and `CNAME`.
//!
//! XML is written directly (it is small and fixed in shape); every value is escaped.

use std::fmt::Write;

use super::views::{Views, has_feed};
use crate::content::{Page, Section, SectionKind, Site};
use crate::output::Output;

/// Adds the Atom feed of every posts section whose kind `wants`.
pub fn render_atom_feeds(
    views: &Views,
    now: &jiff::Zoned,
    wants: impl Fn(SectionKind) -> bool,
    output: &mut Output,
) {
    let site = views.site;
    let feeds = site.sections.iter().filter(|s| has_feed(s, &site.config));
    for section in feeds.filter(|s| wants(s.front.kind)) {
        output.add_bytes(
            format!("{}atom.xml", section.path),
            atom(views, section, now).into_bytes(),
        );
    }
}

/// Adds the sitemap unless its fingerprint is `previous`, and returns the fingerprint.
/// `listed` are site paths of pages rendered beyond sections, pages and tags (seminar
/// listings and month grids).
pub fn render_sitemap(
    views: &Views,
    listed: &[String],
    previous: Option<u64>,
    output: &mut Output,
) -> u64 {
    let key = sitemap_key(views.site, listed);
    if previous != Some(key) {
        output.add_bytes("sitemap.xml", sitemap(views, listed).into_bytes());
    }
    key
}

/// What the sitemap lists: every path, and each page's date. Member and event changes,
/// which add or remove group and event pages, always render everything.
fn sitemap_key(site: &Site, listed: &[String]) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    for s in &site.sections {
        s.path.hash(&mut h);
    }
    for p in &site.pages {
        p.path.hash(&mut h);
        lastmod(p).map(|d| d.date()).hash(&mut h);
    }
    for t in &site.tags {
        t.path.hash(&mut h);
    }
    listed.hash(&mut h);
    h.finish()
}

fn lastmod(page: &Page) -> Option<&jiff::Zoned> {
    page.updated.as_ref().or(page.date.as_ref())
}

/// Adds robots.txt, `.nojekyll` and `CNAME`.
pub fn render_fixed_files(views: &Views, output: &mut Output) {
    let site = views.site;
    output.add_bytes(
        "robots.txt",
        format!(
            "User-agent: *\nAllow: /\nSitemap: {}\n",
            views.urls.permalink("sitemap.xml")
        )
        .into_bytes(),
    );
    // GitHub Pages would otherwise run Jekyll over the site and drop files starting with `_`.
    output.add_bytes(".nojekyll", Vec::new());
    if let Some(cname) = site
        .config
        .deploy
        .cname
        .as_deref()
        .filter(|c| !c.is_empty())
    {
        output.add_bytes("CNAME", format!("{cname}\n").into_bytes());
    }
}

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::new();
    xml_escape_into(&mut out, s);
    out
}

/// Appends `s` escaped for XML to `out`, which a whole post is written into without an
/// escaped copy of its own.
fn xml_escape_into(out: &mut String, s: &str) {
    // Characters XML 1.0 forbids outright (a form feed pasted from a PDF) would make the
    // whole feed unreadable; they are dropped.
    // One pass: the sitemap escapes every URL of the site, and feeds whole posts.
    out.reserve(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '\u{0}'..='\u{8}'
            | '\u{b}'
            | '\u{c}'
            | '\u{e}'..='\u{1f}'
            | '\u{fffe}'
            | '\u{ffff}' => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

fn rfc3339(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// An Atom feed of a posts section; `updated` is its newest entry's, so an unchanged feed
/// stays byte-identical across builds.
fn atom(views: &Views, section: &Section, now: &jiff::Zoned) -> String {
    let site = views.site;
    let config = &site.config;
    let pages: Vec<&Page> = section
        .pages
        .iter()
        .map(|&i| &site.pages[i])
        .take(config.feeds.limit)
        .collect();
    // A feed without entries (all its posts still to come) has no moment of its own: "now"
    // made each build's copy differ, and an incremental build, which keeps a posts feed
    // when no post changed, kept an older one. The epoch is the same in every build.
    let epoch = jiff::Timestamp::UNIX_EPOCH.to_zoned(now.time_zone().clone());
    let updated = pages
        .iter()
        .filter_map(|p| p.updated.as_ref().or(p.date.as_ref()))
        .max()
        .unwrap_or(&epoch);
    let feed_url = views.urls.permalink(&format!("{}atom.xml", section.path));
    let mut x = String::new();
    x.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    let _ = writeln!(
        x,
        "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">",
        xml_escape(&config.language)
    );
    let _ = writeln!(
        x,
        "  <title>{} — {}</title>",
        xml_escape(&config.title),
        xml_escape(&section.title)
    );
    if let Some(d) = section.front.description.as_deref() {
        let _ = writeln!(x, "  <subtitle>{}</subtitle>", xml_escape(d));
    }
    let _ = writeln!(
        x,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
        xml_escape(&feed_url)
    );
    let _ = writeln!(
        x,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&views.urls.permalink(&section.path))
    );
    let _ = writeln!(x, "  <id>{}</id>", xml_escape(&feed_url));
    let _ = writeln!(x, "  <updated>{}</updated>", rfc3339(updated));
    let _ = writeln!(x, "  <generator>Podium</generator>");
    for page in pages {
        atom_entry(views, page, now, &mut x);
    }
    x.push_str("</feed>\n");
    x
}

fn atom_entry(views: &Views, page: &Page, now: &jiff::Zoned, x: &mut String) {
    let view = views.page(page, true);
    let published = page.date.as_ref().unwrap_or(now);
    let updated = page.updated.as_ref().unwrap_or(published);
    x.push_str("  <entry>\n");
    let _ = writeln!(x, "    <title>{}</title>", xml_escape(&page.title));
    let _ = writeln!(
        x,
        "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>",
        xml_escape(&view.permalink)
    );
    let _ = writeln!(x, "    <id>{}</id>", xml_escape(&view.permalink));
    let _ = writeln!(x, "    <published>{}</published>", rfc3339(published));
    let _ = writeln!(x, "    <updated>{}</updated>", rfc3339(updated));
    for author in &view.authors {
        let _ = writeln!(
            x,
            "    <author><name>{}</name></author>",
            xml_escape(&author.name)
        );
    }
    if view.authors.is_empty() {
        let _ = writeln!(
            x,
            "    <author><name>{}</name></author>",
            xml_escape(&views.site.config.title)
        );
    }
    for tag in &view.tags {
        let _ = writeln!(x, "    <category term=\"{}\"/>", xml_escape(&tag.name));
    }
    if let Some(summary) = &view.summary {
        let _ = writeln!(
            x,
            "    <summary type=\"html\">{}</summary>",
            escaped_absolute(views, summary, &view.permalink)
        );
    }
    x.push_str("    <content type=\"html\">");
    let html = &views.site.rendered(page).html;
    // Escaped links are written straight into the feed: a copy of a long post with absolute
    // links, then its escaped copy, held three times its HTML at once.
    x.reserve(html.len() + html.len() / 4);
    absolute_links(views, html, &view.permalink, |s| xml_escape_into(x, s));
    x.push_str("</content>\n");
    x.push_str("  </entry>\n");
}

/// Feed readers resolve links against the feed, not the page: make every link in an entry
/// absolute, root-relative ones against the site and relative ones against the page.
/// The pieces of the result go to `out` in order.
fn absolute_links(views: &Views, html: &str, page_permalink: &str, mut out: impl FnMut(&str)) {
    let origin = views.urls.base_url.trim_end_matches(views.urls.base_path);
    let mut rest = html;
    while let Some(i) = rest.find(['h', 's']) {
        let (before, tail) = rest.split_at(i);
        let attr = ["href=\"", "src=\""]
            .into_iter()
            .find(|a| tail.starts_with(a));
        let Some(attr) = attr else {
            // Text up to and with the letter goes out as one piece.
            out(&rest[..i + 1]);
            rest = &tail[1..];
            continue;
        };
        out(before);
        let value_end = tail[attr.len()..]
            .find('"')
            .map_or(tail.len(), |e| attr.len() + e);
        let value = &tail[attr.len()..value_end];
        out(attr);
        out(&absolute(value, origin, page_permalink));
        rest = &tail[value_end..];
    }
    out(rest);
}

/// `html` with absolute links (see [`absolute_links`]), escaped for XML.
fn escaped_absolute(views: &Views, html: &str, page_permalink: &str) -> String {
    let mut escaped = String::new();
    absolute_links(views, html, page_permalink, |s| {
        xml_escape_into(&mut escaped, s)
    });
    escaped
}

fn absolute(url: &str, origin: &str, page: &str) -> String {
    let has_scheme = url.split_once(':').is_some_and(|(s, _)| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if has_scheme || url.starts_with("//") {
        url.to_string()
    } else if url.starts_with('/') {
        format!("{origin}{url}")
    } else {
        format!("{page}{url}")
    }
}

fn sitemap(views: &Views, listed: &[String]) -> String {
    let site = views.site;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for s in &site.sections {
        entries.push((views.urls.permalink(&s.path), None));
    }
    for p in &site.pages {
        let lastmod = lastmod(p).map(|d| d.strftime("%Y-%m-%d").to_string());
        entries.push((views.urls.permalink(&p.path), lastmod));
        for sub in super::events::sub_page_paths(p) {
            entries.push((views.urls.permalink(&sub), None));
        }
    }
    if !site.tags.is_empty() {
        entries.push((views.urls.permalink("tags/"), None));
    }
    for t in &site.tags {
        entries.push((views.urls.permalink(&t.path), None));
    }
    for g in super::people::group_paths(site) {
        entries.push((views.urls.permalink(&g), None));
    }
    let known: std::collections::HashSet<String> = entries.iter().map(|e| e.0.clone()).collect();
    for path in listed {
        let loc = views.urls.permalink(path);
        if !known.contains(&loc) {
            entries.push((loc, None));
        }
    }
    entries.sort();
    let mut x = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (loc, lastmod) in entries {
        let _ = write!(x, "  <url><loc>{}</loc>", xml_escape(&loc));
        if let Some(m) = lastmod {
            let _ = write!(x, "<lastmod>{m}</lastmod>");
        }
        x.push_str("</url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escapes_markup_and_drops_what_xml_forbids() {
        let text = "R&D <b>\"bold\"</b> it's\u{c}\u{1}ok\tand é";
        assert_eq!(
            xml_escape(text),
            "R&amp;D &lt;b&gt;&quot;bold&quot;&lt;/b&gt; it&apos;sok\tand é"
        );
    }
}
