//! Text imported from other tools (Indico descriptions, form bios), as Markdown.
//!
//! Whatever arrives — an HTML fragment, or plain text or Markdown with HTML mixed in — is
//! made HTML and cleaned by `ammonia`, which keeps only the tags written back below and
//! http(s)/mailto links. The clean HTML is then written as Markdown in which everything
//! Markdown or HTML would read as syntax is escaped: the hub's renderer passes raw HTML
//! through (authors' own pages may use it), so the imported text must carry none. What
//! survives is paragraphs, line breaks, headings, lists, emphasis, links and simple math.

use std::collections::{HashMap, HashSet};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// The tags the Markdown writer gives a meaning to; ammonia drops the others, keeping
/// their text (and dropping `<script>` and `<style>` with theirs).
const KEPT_TAGS: &[&str] = &[
    "p",
    "div",
    "blockquote",
    "table",
    "tr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "strong",
    "b",
    "em",
    "i",
    "a",
    "span",
];

/// Characters percent-encoded in a link target, so the target cannot end the Markdown link
/// early (`)`), open another (`[`), or hold HTML (`<`).
const IN_TARGET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':')
    .remove(b'/')
    .remove(b'?')
    .remove(b'#')
    .remove(b'=')
    .remove(b'&')
    .remove(b'%')
    .remove(b'+')
    .remove(b'@')
    .remove(b',')
    .remove(b';');

/// Imported text, HTML or Markdown, as safe Markdown.
pub fn imported_markdown(text: &str) -> String {
    let html = if looks_like_html(text) {
        text.to_string()
    } else {
        markdown_to_html(text)
    };
    to_markdown(&clean(&html), !looks_like_html(text))
}

/// Does `text` look like an HTML fragment rather than plain text or Markdown?
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('<') && t.contains("</")
}

/// Plain text or Markdown as HTML, its raw HTML kept for `ammonia` to judge.
fn markdown_to_html(text: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.math_dollars = true;
    options.extension.autolink = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(&text.replace("\r\n", "\n"), &options)
}

/// `html` with only [`KEPT_TAGS`], `href`s with an http(s) or mailto scheme, and the
/// attribute that marks math.
fn clean(html: &str) -> String {
    ammonia::Builder::default()
        .tags(KEPT_TAGS.iter().copied().collect())
        .tag_attributes(HashMap::from([
            ("a", HashSet::from(["href"])),
            ("span", HashSet::from(["data-math-style"])),
            ("ol", HashSet::from(["start"])),
        ]))
        .generic_attributes(HashSet::new())
        .url_schemes(HashSet::from(["http", "https", "mailto"]))
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(None)
        .clean(html)
        .to_string()
}

/// Converts a clean HTML fragment to Markdown, keeping the line breaks of its text or not.
fn to_markdown(html: &str, keep_lines: bool) -> String {
    let mut w = Writer {
        keep_lines,
        ..Writer::default()
    };
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = tag_end(rest);
                w.tag(&rest[..end]);
                rest = &rest[end..];
            }
            Some(i) => {
                w.text(&rest[..i]);
                rest = &rest[i..];
            }
            None => {
                w.text(rest);
                rest = "";
            }
        }
    }
    w.finish()
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Open lists: ordered?, items so far.
    lists: Vec<(bool, usize)>,
    /// Open links' targets (`None` when the link was dropped).
    links: Vec<Option<String>>,
    /// Inside a math span: display math?, its LaTeX so far.
    math: Option<(bool, String)>,
    /// Nothing but markers written on this line yet, so leading spaces are dropped.
    fresh: bool,
    /// Whether the text's own line breaks are kept (it was written as Markdown).
    keep_lines: bool,
}

impl Writer {
    fn tag(&mut self, raw: &str) {
        let inner = raw.trim_start_matches('<').trim_end_matches('>');
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name: String = inner
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if self.math.is_some() && (name.as_str(), closing) != ("span", true) {
            return;
        }
        match (name.as_str(), closing) {
            // A paragraph that opens a list item stays on the item's line.
            ("p" | "div" | "blockquote" | "table" | "tr", _)
                if !(self.fresh && (self.out.ends_with(". ") || self.out.ends_with("- "))) =>
            {
                self.blank_line();
            }
            ("br", _) => {
                self.out.push_str("\\\n");
                self.fresh = true;
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", false) => {
                self.blank_line();
                let level = name[1..].parse().unwrap_or(2);
                self.out.push_str(&"#".repeat(level));
                self.out.push(' ');
                self.fresh = true;
            }
            ("h1" | "h2" | "h3" | "h4" | "h5" | "h6", true) => self.blank_line(),
            ("ul" | "ol", false) => {
                self.line_break();
                let start: usize = attribute(inner, "start").map_or(1, |s| s.parse().unwrap_or(1));
                self.lists.push((name == "ol", start.saturating_sub(1)));
            }
            ("ul" | "ol", true) => {
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank_line();
                }
            }
            ("li", false) => self.item(),
            ("strong" | "b", _) => self.mark("**"),
            ("em" | "i", _) => self.mark("*"),
            ("a", false) => self.open_link(inner),
            ("a", true) => self.close_link(),
            ("span", false) => {
                self.math =
                    attribute(inner, "data-math-style").map(|s| (s == "display", String::new()));
            }
            ("span", true) => self.end_math(),
            _ => {}
        }
    }

    /// Writes inline markup, which starts the line's content.
    fn mark(&mut self, markup: &str) {
        self.out.push_str(markup);
        self.fresh = false;
    }

    fn item(&mut self) {
        self.line_break();
        let depth = self.lists.len().saturating_sub(1);
        let Some((ordered, count)) = self.lists.last_mut() else {
            return;
        };
        *count += 1;
        self.out.push_str(&"    ".repeat(depth));
        if *ordered {
            let n = *count;
            self.out.push_str(&format!("{n}. "));
        } else {
            self.out.push_str("- ");
        }
        self.fresh = true;
    }

    fn open_link(&mut self, tag: &str) {
        // ammonia has already dropped every `href` but http(s) and mailto ones.
        let href = attribute(tag, "href");
        if href.is_some() {
            self.mark("[");
        }
        self.links.push(href);
    }

    fn close_link(&mut self) {
        if let Some(Some(href)) = self.links.pop() {
            let target = utf8_percent_encode(&href, IN_TARGET);
            self.out.push_str(&format!("]({target})"));
        }
    }

    /// Writes math back between dollars when its LaTeX is plain enough that, even where
    /// Markdown would not read it as math, it could not be a link or HTML; else as text.
    fn end_math(&mut self) {
        let Some((display, latex)) = self.math.take() else {
            return;
        };
        let dollars = if display { "$$" } else { "$" };
        let plain = latex
            .chars()
            .all(|c| c.is_alphanumeric() || " \\^_{}+-=*/.,;:!|'()".contains(c));
        if plain && !latex.is_empty() && latex.trim() == latex {
            self.mark(&format!("{dollars}{latex}{dollars}"));
        } else {
            self.write_text(&format!("{dollars}{latex}{dollars}"));
        }
    }

    fn text(&mut self, raw: &str) {
        let decoded = decode_entities(raw);
        match &mut self.math {
            Some((_, latex)) => latex.push_str(&decoded),
            None => self.write_text(&decoded),
        }
    }

    /// Writes text with its syntax escaped and each run of whitespace made one space (or,
    /// when keeping lines, one newline if it had one).
    fn write_text(&mut self, decoded: &str) {
        let mut rest = decoded;
        while !rest.is_empty() {
            let spaces = rest.len() - rest.trim_start().len();
            if spaces == 0 {
                let word = rest.find(char::is_whitespace).unwrap_or(rest.len());
                self.mark(&escape(&rest[..word]));
                rest = &rest[word..];
                continue;
            }
            if !self.fresh && !self.out.ends_with(' ') {
                if self.keep_lines && rest[..spaces].contains('\n') {
                    self.line_break();
                } else {
                    self.out.push(' ');
                }
            }
            rest = &rest[spaces..];
        }
    }

    fn line_break(&mut self) {
        let trimmed = self.out.trim_end_matches(' ').len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() && !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        self.fresh = true;
    }

    fn blank_line(&mut self) {
        self.line_break();
        if !self.out.is_empty() && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
    }

    fn finish(self) -> String {
        let mut lines: Vec<&str> = Vec::new();
        for line in self.out.lines().map(str::trim_end) {
            if line.is_empty() && lines.last().is_none_or(|l| l.is_empty()) {
                continue;
            }
            lines.push(line);
        }
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        let mut text = lines.join("\n");
        text.push('\n');
        text
    }
}

/// Where the tag at the start of `html` ends: after the first `>` outside quotes (the
/// serializer leaves `>` unescaped inside attribute values).
fn tag_end(html: &str) -> usize {
    let mut quote = None;
    for (i, c) in html.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    html.len()
}

/// The value of `name="…"` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let start = lower.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[start..];
    let value = match rest.chars().next()? {
        q @ ('"' | '\'') => rest[1..].split(q).next()?,
        _ => rest.split(|c: char| c.is_whitespace() || c == '>').next()?,
    };
    Some(decode_entities(value))
}

/// Escapes what Markdown would otherwise read as syntax (including `$`, since math is on).
fn escape(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    for c in word.chars() {
        if matches!(
            c,
            '\\' | '*' | '_' | '[' | ']' | '<' | '>' | '`' | '$' | '#' | '&' | '|' | '~'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Decodes the character references descriptions use; unknown ones stay as written.
fn decode_entities(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|&e| e <= 10);
        match end.and_then(|e| entity(&rest[1..e]).map(|c| (c, e))) {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "ccedil" => 'ç',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_survives_and_markup_does_not() {
        let html = "<p>Hello&nbsp;<b>world</b> &amp; <a href=\"https://x.org/a\">link</a></p>\n\
                    <p>&nbsp;</p><ul><li>one</li><li>two <i>2</i></li></ul>\
                    <ol><li>first</li></ol><script>alert(1)</script><p>$5 <span>x</span></p>";
        assert_eq!(
            imported_markdown(html),
            "Hello **world** \\& [link](https://x.org/a)\n\n- one\n- two *2*\n\n1. first\n\n\\$5 x\n"
        );
    }

    #[test]
    fn unsafe_links_lose_their_target() {
        for href in [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "/local",
        ] {
            let html = format!("<p><a href=\"{href}\">x</a></p>");
            assert_eq!(imported_markdown(&html), "x\n", "{href}");
        }
    }

    #[test]
    fn a_link_target_cannot_end_its_link_or_hold_html() {
        let html = "<p><a href=\"https://x.org/a)[y](javascript:alert(1)\">t</a> \
                    <a href='https://x.org/\"><img/src=x/onerror=alert(2)>'>u</a></p>";
        assert_eq!(
            imported_markdown(html),
            "[t](https://x.org/a%29%5By%5D%28javascript:alert%281%29) \
             [u](https://x.org/%22%3E%3Cimg/src=x/onerror=alert%282%29%3E)\n"
        );
    }

    #[test]
    fn plain_text_and_markdown_are_cleaned_too() {
        let text = "Hi <img src=x onerror=alert(1)> **bold** [ok](https://x.org) \
                    [bad](javascript:alert(2)) <script>alert(3)</script>\n\nSecond.";
        assert_eq!(
            imported_markdown(text),
            "Hi **bold** [ok](https://x.org) bad\n\nSecond.\n"
        );
    }

    #[test]
    fn lists_keep_their_numbers_and_items_their_first_line() {
        assert_eq!(
            imported_markdown("Intro\n\n2) second\n\n   more\n\n3) third"),
            // A second paragraph of an item comes out of the list; the numbers stay right.
            "Intro\n\n2. second\n\nmore\n\n3. third\n"
        );
    }

    #[test]
    fn plain_math_stays_math_and_the_rest_is_text() {
        assert_eq!(
            imported_markdown("Cross section $\\sigma_{tt}$ and $$E=mc^2$$."),
            "Cross section $\\sigma_{tt}$ and $$E=mc^2$$.\n"
        );
        assert_eq!(
            imported_markdown(
                "<p><span data-math-style=\"inline\"><b>x</b>[a](javascript:b)</span></p>"
            ),
            "\\$x\\[a\\](javascript:b)\\$\n"
        );
    }
}
