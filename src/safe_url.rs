//! URL fields: the one rule every link written in a field must pass (SPEC §6).
//!
//! A field's value ends up in an `href` or `src`, where a `javascript:`, `data:` or
//! `vbscript:` URL would run in the reader's browser. Listing what is dangerous is a race
//! against browsers, so only what a hub needs is let through: `https:`, `http:`, `mailto:`,
//! `tel:`, paths on the site and, in fields that name a file, paths into the page's bundle.
//! Owns that rule ([`refusal`]) and finding URL fields in front matter ([`check_table`]).

use std::path::Path;

use crate::diagnostics::{Diagnostic, Pos};

/// The schemes a link may have.
const SCHEMES: &[&str] = &["https", "http", "mailto", "tel"];

/// What a URL field may hold besides a full URL with an allowed scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    /// A path on the site (`/news/`).
    SitePath,
    /// A path on the site, or a file beside the page (`slides.pdf`).
    File,
    /// A path on the site, or an internal link to a content file (`@/about.md`).
    Internal,
}

/// A URL field of a table: `path` is its key, or `list.key` for the key of each table of
/// a list (`speakers.url`), as deep as needed.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub path: &'static str,
    pub accepts: Accepts,
}

impl Field {
    /// A field that holds a link.
    pub const fn link(path: &'static str) -> Self {
        Field {
            path,
            accepts: Accepts::SitePath,
        }
    }

    /// A field that holds a link or names a file of the bundle.
    pub const fn file(path: &'static str) -> Self {
        Field {
            path,
            accepts: Accepts::File,
        }
    }
}

/// Why a value may not be used as a link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub message: String,
    pub hint: String,
}

impl Refusal {
    /// The error for field `key` at `pos` of `file`.
    pub fn at(self, file: &Path, pos: Pos, key: &str) -> Diagnostic {
        Diagnostic::at(file, pos, format!("`{key}`: {}", self.message)).with_hint(self.hint)
    }
}

/// Why `value` may not go in a field that accepts `accepts`; `None` when it may.
///
/// The value is first read the way a browser reads an `href`: surrounding spaces and
/// control characters stripped, tabs and newlines removed anywhere, character references
/// decoded. Whatever comes before the first `:` (if no `/`, `?` or `#` comes first) is a
/// scheme, and only the allowed ones pass.
pub fn refusal(value: &str, accepts: Accepts) -> Option<Refusal> {
    let read = as_browser_reads(value);
    let shown = value.escape_debug();
    let hint = hint(accepts);
    if ["//", "\\\\", "/\\", "\\/"]
        .iter()
        .any(|p| read.starts_with(p))
    {
        return Some(Refusal {
            message: format!("link `{shown}` leaves out its scheme"),
            hint: "write it in full, starting with `https://`".into(),
        });
    }
    let scheme_end = read.find([':', '/', '?', '#']);
    if let Some(end) = scheme_end.filter(|&e| read[e..].starts_with(':')) {
        let scheme = read[..end].to_ascii_lowercase();
        if SCHEMES.contains(&scheme.as_str()) {
            return None;
        }
        return Some(Refusal {
            message: format!("link `{shown}` has the scheme `{scheme}:`, which is not allowed"),
            hint,
        });
    }
    let allowed = read.starts_with('/')
        || match accepts {
            Accepts::SitePath => false,
            Accepts::File => !read.is_empty(),
            Accepts::Internal => read.starts_with("@/"),
        };
    let host = read.split('/').next().unwrap_or("");
    let hint = if host.contains('.') && !host.contains(char::is_whitespace) {
        format!("if it is on another site, write it in full: `https://{read}`")
    } else {
        hint
    };
    (!allowed).then(|| Refusal {
        message: format!("`{shown}` is neither a full URL nor a path on this site"),
        hint,
    })
}

fn hint(accepts: Accepts) -> String {
    let extra = match accepts {
        Accepts::SitePath => "",
        Accepts::File => ", or the name of a file in the page's bundle (`slides.pdf`)",
        Accepts::Internal => ", or a link to a content file (`@/about.md`)",
    };
    format!(
        "use an `https://` or `http://` URL, a `mailto:` or `tel:` link, a path on this site starting with `/`{extra}"
    )
}

/// `value` as a browser's URL parser sees it, after an HTML parser has decoded it.
fn as_browser_reads(value: &str) -> String {
    let decoded = decode_references(value);
    decoded
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect()
}

/// Decodes numeric character references and the named ones that can spell a scheme's
/// `:` or hide its letters behind a tab or newline.
fn decode_references(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        let (decoded, len) = reference(rest).unwrap_or(('&', 0));
        out.push(decoded);
        rest = &rest[len..];
    }
    out.push_str(rest);
    out
}

/// The character a reference (the text after `&`) stands for, and its length; the `;` may
/// be left out, as browsers allow.
fn reference(text: &str) -> Option<(char, usize)> {
    if let Some(num) = text.strip_prefix('#') {
        let (radix, digits_at) = match num.strip_prefix(['x', 'X']) {
            Some(_) => (16, 2),
            None => (10, 1),
        };
        let digits = text[digits_at..]
            .chars()
            .take_while(|c| c.is_digit(radix))
            .count();
        let code = u32::from_str_radix(&text[digits_at..digits_at + digits], radix).ok()?;
        let end = digits_at + digits;
        let len = end + usize::from(text[end..].starts_with(';'));
        return Some((char::from_u32(code).unwrap_or('\u{fffd}'), len));
    }
    let names = [("colon", ':'), ("tab", '\t'), ("newline", '\n')];
    names.iter().find_map(|(name, c)| {
        let head = text.get(..name.len())?;
        head.eq_ignore_ascii_case(name).then(|| {
            let len = name.len() + usize::from(text[name.len()..].starts_with(';'));
            (*c, len)
        })
    })
}

/// Checks every URL field of `table` (parsed from `raw`, which starts after `lines_above`
/// lines of `file`); one error per refused value, at the value.
pub fn check_table(
    table: &toml::Table,
    fields: &[Field],
    raw: &str,
    file: &Path,
    lines_above: usize,
) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for field in fields {
        let keys: Vec<&str> = field.path.split('.').collect();
        let mut values = Vec::new();
        strings_at(table, &keys, &mut values);
        let key = keys.last().copied().unwrap_or(field.path);
        for value in values.into_iter().filter(|v| !v.trim().is_empty()) {
            if let Some(r) = refusal(value, field.accepts) {
                let pos = locate_value(raw, key, value).shifted(lines_above);
                errors.push(r.at(file, pos, field.path));
            }
        }
    }
    errors
}

/// The strings under `keys` in `table`, going into every table of a list on the way.
fn strings_at<'t>(table: &'t toml::Table, keys: &[&str], out: &mut Vec<&'t str>) {
    let Some((first, rest)) = keys.split_first() else {
        return;
    };
    let mut stack: Vec<&toml::Value> = table.get(*first).into_iter().collect();
    while let Some(value) = stack.pop() {
        match value {
            toml::Value::Array(items) => stack.extend(items.iter().rev()),
            toml::Value::Table(t) => strings_at(t, rest, out),
            toml::Value::String(s) if rest.is_empty() => out.push(s),
            _ => {}
        }
    }
}

/// Where `value` of field `key` is written in `raw`: the value as written on a line that
/// names the key, else anywhere, else (when escapes changed it) the value after the key.
fn locate_value(raw: &str, key: &str, value: &str) -> Pos {
    let names_key = |offset: usize| {
        let start = raw[..offset].rfind('\n').map_or(0, |i| i + 1);
        key_offset(&raw[start..offset], key).is_some()
    };
    let mut found = raw.match_indices(value).map(|(i, _)| i);
    let at = found
        .clone()
        .find(|&i| names_key(i))
        .or_else(|| found.next())
        .map(|i| i - usize::from(raw[..i].ends_with(['"', '\''])))
        .or_else(|| key_offset(raw, key));
    at.map_or(Pos::new(1, 1), |i| Pos::of_offset(raw, i))
}

/// The offset of the value after the first `key =` or `key:` in `text`.
fn key_offset(text: &str, key: &str) -> Option<usize> {
    text.match_indices(key).find_map(|(i, _)| {
        let before = text[..i].trim_end_matches(['"', '\'']);
        let word_start = before
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '-'));
        let after = text[i + key.len()..].trim_start_matches(['"', '\'']);
        let value = after.trim_start_matches([' ', '\t']);
        let value = value.strip_prefix(['=', ':'])?;
        let value_at = text.len() - value.trim_start_matches([' ', '\t']).len();
        word_start.then_some(value_at)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_links_are_refused_however_they_are_spelt() {
        let hostile = [
            "javascript:alert(1)",
            " JaVaScRiPt:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:alert(1)",
            "&#106;avascript:alert(1)",
            "&#x6A;avascript:alert(1)",
            "javascript&colon;alert(1)",
            "javascript&#58alert(1)",
            "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
            "vbscript:msgbox(1)",
            "//evil.example/x",
            "/\\evil.example/x",
            "file:///etc/passwd",
        ];
        for accepts in [Accepts::SitePath, Accepts::File, Accepts::Internal] {
            for value in hostile {
                assert!(refusal(value, accepts).is_some(), "{value:?} ({accepts:?})");
            }
        }
    }

    #[test]
    fn ordinary_links_pass() {
        let ok = [
            "https://example.org/a?b=1&c=2#d",
            "HTTP://example.org",
            "mailto:a@example.org",
            "tel:+41227671234",
            "/files/cv.pdf",
            "/search?q=a:b",
        ];
        for value in ok {
            assert_eq!(refusal(value, Accepts::SitePath), None, "{value}");
        }
        assert_eq!(refusal("slides.pdf", Accepts::File), None);
        assert_eq!(refusal("talk/slides v2.pdf", Accepts::File), None);
        assert_eq!(refusal("@/about.md", Accepts::Internal), None);
        assert!(refusal("example.org", Accepts::SitePath).is_some());
        assert!(refusal("@/about.md", Accepts::SitePath).is_some());
    }

    /// Where the refused values of `field` in front matter `raw` are reported.
    fn reported(raw: &str, field: Field) -> Vec<(usize, usize)> {
        let table: toml::Table = toml::from_str(raw).unwrap();
        check_table(&table, &[field], raw, Path::new("a.md"), 1)
            .iter()
            .map(|d| (d.line, d.column))
            .collect()
    }

    #[test]
    fn refused_values_are_found_where_they_are_written() {
        let raw =
            "title = \"javascript:x\"\nspeakers = [{ name = \"A\", url = \"javascript:x\" }]\n";
        assert_eq!(reported(raw, Field::link("speakers.url")), [(3, 33)]);
        // An escape changes the value from its text, so the error falls back to the key.
        let escaped = "title = \"A\"\nwebsite = \"java\\tscript:x\"\n";
        assert_eq!(reported(escaped, Field::link("website")), [(3, 11)]);
    }
}
