//! HTML descriptions (as Indico stores them) to Markdown.
//!
//! Only the structure a description carries survives — paragraphs, line breaks, headings,
//! lists, emphasis and http(s)/mailto links; every other tag is dropped and its text kept,
//! and `<script>`/`<style>` content is dropped. The result is safe to render (no raw HTML
//! reaches the page) and readable in the imported `index.md`.

/// Converts an HTML fragment to Markdown.
pub fn to_markdown(html: &str) -> String {
    let mut w = Writer::default();
    let mut rest = html;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>').map_or(rest.len(), |i| i + 1);
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

/// Does `text` look like an HTML fragment rather than plain text or Markdown?
pub fn looks_like_html(text: &str) -> bool {
    let t = text.trim_start();
    t.starts_with('<') && t.contains("</")
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Open lists: ordered?, items so far.
    lists: Vec<(bool, usize)>,
    /// Open links' targets (`None` when the link was dropped).
    links: Vec<Option<String>>,
    /// Inside `<script>` or `<style>`.
    skipping: bool,
    /// Nothing but markers written on this line yet, so leading spaces are dropped.
    fresh: bool,
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
        match (name.as_str(), closing) {
            ("script" | "style", c) => self.skipping = !c,
            ("p" | "div" | "blockquote" | "table" | "tr", _) => self.blank_line(),
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
                self.lists.push((name == "ol", 0));
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
        let href = attribute(tag, "href").filter(|h| {
            let h = h.to_ascii_lowercase();
            h.starts_with("http://") || h.starts_with("https://") || h.starts_with("mailto:")
        });
        if href.is_some() {
            self.mark("[");
        }
        self.links.push(href);
    }

    fn close_link(&mut self) {
        if let Some(Some(href)) = self.links.pop() {
            self.out
                .push_str(&format!("]({})", href.replace(' ', "%20")));
        }
    }

    fn text(&mut self, raw: &str) {
        if self.skipping {
            return;
        }
        let decoded = decode_entities(raw);
        let mut collapsed = String::new();
        for word in decoded.split(|c: char| c.is_whitespace()) {
            if word.is_empty() {
                if !collapsed.ends_with(' ') {
                    collapsed.push(' ');
                }
                continue;
            }
            collapsed.push_str(&escape(word));
            collapsed.push(' ');
        }
        let mut text = collapsed.trim_end_matches(' ').to_string();
        if decoded.ends_with(char::is_whitespace) && !text.is_empty() {
            text.push(' ');
        }
        if self.fresh {
            text = text.trim_start().to_string();
        }
        self.fresh &= text.is_empty();
        self.out.push_str(&text);
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
            to_markdown(html),
            "Hello **world** \\& [link](https://x.org/a)\n\n- one\n- two *2*\n\n1. first\n\n\\$5 x\n"
        );
    }

    #[test]
    fn unsafe_links_lose_their_target() {
        assert_eq!(to_markdown("<a href=\"javascript:alert(1)\">x</a>"), "x\n");
    }
}
