//! Front matter: the TOML (`+++`) or YAML (`---`) block at the top of a content file.
//!
//! Owns splitting a file into front matter and body, turning either syntax into one TOML
//! table, and the checks that make a typo an error with a suggestion instead of a silently
//! ignored field. Positions are kept so messages point at the right line of the file.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos, suggest};
use crate::nesting;

/// A content file cut in two.
#[derive(Debug)]
pub struct Split<'a> {
    /// The front matter fields, YAML converted to TOML values; dates as strings.
    pub table: toml::Table,
    /// The raw front matter text, for locating keys in messages.
    pub raw: &'a str,
    /// Line number (0-based) where the front matter text starts in the file.
    pub raw_line: usize,
    /// The Markdown body.
    pub body: &'a str,
    /// Line number (0-based) where the body starts in the file.
    pub body_line: usize,
}

/// Splits `text` (the content of `file`) and parses its front matter.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let delimiter = match text.lines().next().map(str::trim_end) {
        Some("+++") => "+++",
        Some("---") => "---",
        _ => {
            return Err(Diagnostic::at(file, Pos::new(1, 1), "missing front matter")
                .with_hint("start the file with a `+++` line, then `title = \"…\"`, then `+++`"));
        }
    };
    let after_open = text.find('\n').map_or(text.len(), |i| i + 1);
    let (raw, body_start) = find_closing(&text[after_open..], delimiter).ok_or_else(|| {
        Diagnostic::at(
            file,
            Pos::new(1, 1),
            format!("front matter opened with `{delimiter}` is never closed"),
        )
        .with_hint(format!(
            "add a line with only `{delimiter}` after the last field"
        ))
    })?;
    let body = &text[after_open + body_start..];
    let table = if delimiter == "+++" {
        parse_toml(file, raw)?
    } else {
        parse_yaml(file, raw)?
    };
    Ok(Split {
        table,
        raw,
        raw_line: 1,
        body,
        body_line: text[..after_open + body_start].matches('\n').count(),
    })
}

/// Finds the closing delimiter line; returns the front matter text and where the body starts.
fn find_closing<'a>(rest: &'a str, delimiter: &str) -> Option<(&'a str, usize)> {
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == delimiter {
            return Some((&rest[..offset], offset + line.len()));
        }
        offset += line.len();
    }
    None
}

/// How dates are written, for every message about a date in front matter.
pub const DATE_HINT: &str = "dates look like 2020-11-05 or 2020-11-05 16:00";

fn parse_toml(file: &Path, raw: &str) -> Result<toml::Table, Diagnostic> {
    let mut table: toml::Table = toml::from_str(raw).map_err(|e| toml_error(file, raw, &e))?;
    dates_to_strings(&mut table);
    Ok(table)
}

/// A TOML syntax error; an unquoted date TOML rejects gets the message a quoted one gets,
/// since both are the same mistake to the person who wrote it.
fn toml_error(file: &Path, raw: &str, e: &toml::de::Error) -> Diagnostic {
    let bad_date = e
        .span()
        .and_then(|s| date_literal_at(raw, s.start))
        .and_then(|(start, text)| Some((start, crate::time::parse_when(text).err()?)));
    if let Some((start, message)) = bad_date {
        return Diagnostic::at(file, Pos::of_offset(raw, start).shifted(1), message)
            .with_hint(DATE_HINT);
    }
    Diagnostic::at(
        file,
        toml_error_pos(raw, e).shifted(1),
        e.message().to_string(),
    )
    .with_hint(
        "front matter between `+++` lines is TOML: `key = \"text\"`, `list = [\"a\", \"b\"]`",
    )
}

/// The date-shaped literal (`2020-11-31`, `2020-11-05 16:00`) around byte `offset`, with
/// where it starts.
fn date_literal_at(raw: &str, offset: usize) -> Option<(usize, &str)> {
    let is_part = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | ':' | '.' | '+');
    let offset = raw.floor_char_boundary(offset);
    // Byte-wise, so that the byte after the last non-date byte is a character boundary
    // even when that character is 'Ł'.
    let start = raw.as_bytes()[..offset]
        .iter()
        .rposition(|&b| !is_part(char::from(b)))
        .map_or(0, |i| i + 1);
    let rest = &raw[start..];
    let word_end = |s: &str| s.find(|c| !is_part(c)).unwrap_or(s.len());
    let mut end = word_end(rest);
    // TOML allows a space between the date and the time.
    if let Some(time) = rest[end..].strip_prefix(' ')
        && time.starts_with(|c: char| c.is_ascii_digit())
        && time[..word_end(time)].contains(':')
    {
        end += 1 + word_end(time);
    }
    let text = &rest[..end];
    let dated = text.len() >= 8
        && text.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && text.as_bytes()[4] == b'-';
    dated.then_some((start, text))
}

fn parse_yaml(file: &Path, raw: &str) -> Result<toml::Table, Diagnostic> {
    if raw.trim().is_empty() {
        return Ok(toml::Table::new());
    }
    if let Some(at) = nesting::yaml_too_deep(raw, nesting::YAML_DEPTH) {
        return Err(Diagnostic::at(
            file,
            Pos::of_offset(raw, at).shifted(1),
            format!("lists and maps nest more than {} levels deep", nesting::YAML_DEPTH),
        )
        .with_hint("close each `[` with `]` and each `{` with `}`; front matter needs a few levels at most"));
    }
    let value: serde_norway::Value = serde_norway::from_str(raw).map_err(|e| {
        let pos = e
            .location()
            .map_or(Pos::new(1, 1), |l| Pos::new(l.line(), l.column()));
        Diagnostic::at(file, pos.shifted(1), e.to_string())
            .with_hint("front matter between `---` lines is YAML: `key: text`, `list: [a, b]`")
    })?;
    match yaml_to_toml(value) {
        Some(toml::Value::Table(t)) => Ok(t),
        _ => Err(Diagnostic::at(
            file,
            Pos::new(2, 1),
            "front matter must be a set of `key: value` fields",
        )),
    }
}

/// YAML has nulls and non-string keys that TOML lacks; nulls are dropped (an unset field).
fn yaml_to_toml(v: serde_norway::Value) -> Option<toml::Value> {
    use serde_norway::Value as Y;
    Some(match v {
        Y::Null => return None,
        Y::Bool(b) => toml::Value::Boolean(b),
        Y::Number(n) => match n.as_i64() {
            Some(i) => toml::Value::Integer(i),
            None => toml::Value::Float(n.as_f64().unwrap_or(0.0)),
        },
        Y::String(s) => toml::Value::String(s),
        Y::Sequence(items) => {
            toml::Value::Array(items.into_iter().filter_map(yaml_to_toml).collect())
        }
        Y::Mapping(map) => {
            let mut t = toml::Table::new();
            for (k, v) in map {
                let key = match k {
                    Y::String(s) => s,
                    other => serde_norway::to_string(&other).ok()?.trim().to_string(),
                };
                if let Some(v) = yaml_to_toml(v) {
                    t.insert(key, v);
                }
            }
            toml::Value::Table(t)
        }
        Y::Tagged(tagged) => return yaml_to_toml(tagged.value),
    })
}

/// TOML dates become their text, so that TOML and YAML front matter parse dates the same way.
fn dates_to_strings(table: &mut toml::Table) {
    for (_, value) in table.iter_mut() {
        normalize_value(value);
    }
}

fn normalize_value(value: &mut toml::Value) {
    match value {
        toml::Value::Datetime(d) => *value = toml::Value::String(d.to_string()),
        toml::Value::Array(items) => items.iter_mut().for_each(normalize_value),
        toml::Value::Table(t) => dates_to_strings(t),
        _ => {}
    }
}

/// Where a TOML parse error happened.
pub fn toml_error_pos(text: &str, e: &toml::de::Error) -> Pos {
    e.span()
        .map_or(Pos::new(1, 1), |s| Pos::of_offset(text, s.start))
}

/// The line and column where the value of `key` starts (after `=` or `:`), so a message
/// about a bad value points at it rather than at the key.
pub fn locate_value(raw: &str, table_name: Option<&str>, key: &str) -> Pos {
    let at = locate_key(raw, table_name, key);
    let Some(line) = raw.lines().nth(at.line - 1) else {
        return at;
    };
    let key_start = at.column - 1;
    let Some(sep) = line.get(key_start..).and_then(|l| l.find(['=', ':'])) else {
        return at;
    };
    let after = &line[key_start + sep + 1..];
    let value = key_start + sep + 1 + (after.len() - after.trim_start().len());
    Pos::new(at.line, line[..value].chars().count() + 1)
}

/// Reports every key of `table` not in `known`, with the nearest known name.
///
/// `table_name` is the `[table]` the keys live under in `raw` (None for top level), used with
/// `origin` (where `raw` starts in the file) to point at the offending line.
pub fn check_keys(
    table: &toml::Table,
    known: &[&str],
    table_name: Option<&str>,
    raw: &str,
    file: &str,
    origin: Pos,
    errors: &mut Diagnostics,
) {
    for key in table.keys() {
        if known.contains(&key.as_str()) {
            continue;
        }
        let pos = locate_key(raw, table_name, key).shifted(origin.line);
        let mut d = Diagnostic::at(file, pos, format!("unknown field `{key}`"));
        d = match suggest(key, known.iter().copied()) {
            Some(s) => Diagnostic {
                message: format!("unknown field `{key}`, did you mean `{s}`?"),
                ..d
            },
            None => d.with_hint("put free-form data under `[extra]` (TOML) or `extra:` (YAML)"),
        };
        errors.push(d);
    }
}

/// The line and column of `key` in TOML or YAML text; after the `[table_name]` header if given.
pub fn locate_key(raw: &str, table_name: Option<&str>, key: &str) -> Pos {
    let mut in_table = table_name.is_none();
    for (i, line) in raw.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(name) = table_name
            && trimmed.starts_with('[')
        {
            in_table = trimmed.trim_end() == format!("[{name}]");
            continue;
        }
        if !in_table {
            continue;
        }
        let Some(rest) = trimmed
            .strip_prefix(key)
            .or_else(|| trimmed.strip_prefix(&format!("\"{key}\"")))
        else {
            continue;
        };
        if rest.trim_start().starts_with(['=', ':']) {
            return Pos::new(i + 1, line.len() - trimmed.len() + 1);
        }
    }
    Pos::new(1, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_and_yaml_give_the_same_table() {
        let t = split(
            Path::new("a.md"),
            "+++\ntitle = \"A\"\ndate = 2020-11-05\ntags = [\"x\"]\n+++\nbody\n",
        )
        .unwrap();
        let y = split(
            Path::new("a.md"),
            "---\ntitle: A\ndate: 2020-11-05\ntags: [x]\n---\nbody\n",
        )
        .unwrap();
        assert_eq!(t.table, y.table);
        assert_eq!(t.table["date"].as_str(), Some("2020-11-05"));
        assert_eq!(t.body, "body\n");
        assert_eq!(t.body_line, 5);
    }

    #[test]
    fn syntax_errors_point_into_the_file() {
        let e = split(Path::new("a.md"), "+++\ntitle = \"A\"\ndate = = 1\n+++\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
    }

    #[test]
    fn values_are_located_after_their_key() {
        let raw = "title = \"A\"\nstart   =  \"2020-13-05\"\nend: 17:00\n";
        assert_eq!(locate_value(raw, None, "start"), Pos::new(2, 12));
        assert_eq!(locate_value(raw, None, "end"), Pos::new(3, 6));
    }

    #[test]
    fn an_unquoted_date_with_a_time_is_one_literal() {
        let e = split(
            Path::new("a.md"),
            "+++\ntitle = \"A\"\nwhen = 2020-11-05 25:00\n+++\n",
        )
        .unwrap_err();
        assert_eq!((e.line, e.column), (3, 8), "{e}");
        assert_eq!(
            e.message,
            "invalid time \"2020-11-05 25:00\": hour 25 is out of range"
        );
    }

    #[test]
    fn a_date_after_other_letters_is_cut_on_a_character_boundary() {
        assert_eq!(date_literal_at("t = \"Ł\"", 7), None);
        assert_eq!(
            date_literal_at("Łd = 2020-11-31", 12),
            Some((6, "2020-11-31"))
        );
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split(Path::new("a.md"), "+++\ntitle = \"A\"\n").is_err());
        assert!(split(Path::new("a.md"), "no front matter").is_err());
    }

    #[test]
    fn unknown_keys_name_their_line() {
        let raw = "title = \"A\"\nlocaton = \"B\"\n";
        let table: toml::Table = toml::from_str(raw).unwrap();
        let mut errors = Diagnostics::default();
        check_keys(
            &table,
            &["title", "location"],
            None,
            raw,
            "a.md",
            Pos::new(1, 0),
            &mut errors,
        );
        let text = errors.to_string();
        assert!(
            text.contains("a.md:3:1: unknown field `locaton`, did you mean `location`?"),
            "{text}"
        );
    }
}
