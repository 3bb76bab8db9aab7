//! Content-line encoding of RFC 5545 §3.1 and §3.3.11: TEXT escaping, parameter
//! quoting and line folding.
//!
//! Everything that turns a property into bytes goes through [`ContentLines`], so the
//! rules (CRLF, 75 octets, UTF-8-safe folds, escapes kept whole) hold for every line
//! of every feed by construction rather than by each caller's care.

/// The longest physical line RFC 5545 §3.1 allows, in octets, without the CRLF.
pub(crate) const MAX_LINE_OCTETS: usize = 75;

/// Escapes a TEXT value (RFC 5545 §3.3.11).
///
/// CR and CRLF count as LF, so that Windows-edited abstracts do not
/// produce a stray `\r` (a control character TEXT may not contain). Other control
/// characters except TAB are dropped for the same reason.
pub(crate) fn escape_text(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = String::with_capacity(value.len() + 8);
    // Clean runs are copied whole: abstracts are long, and a char at a time showed in
    // build profiles. `done` is where the uncopied text starts, `from` where to look next.
    let (mut done, mut from) = (0, 0);
    while let Some(i) = crate::scan::next_special(bytes, from, needs_care) {
        out.push_str(&value[done..i]);
        let (escaped, len) = match bytes[i] {
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => ("\\n", 2),
            b'\r' | b'\n' => ("\\n", 1),
            b'\\' => ("\\\\", 1),
            b';' => ("\\;", 1),
            b',' => ("\\,", 1),
            b'\t' => ("\t", 1),
            // U+0080 to U+009F, the C1 controls.
            0xc2 if matches!(bytes.get(i + 1), Some(0x80..=0x9f)) => ("", 2),
            // Another character from U+0080 to U+00BF, kept.
            0xc2 => {
                (done, from) = (i, i + 1);
                continue;
            }
            // The C0 controls and DEL.
            _ => ("", 1),
        };
        out.push_str(escaped);
        (done, from) = (i + len, i + len);
    }
    out.push_str(&value[done..]);
    out
}

/// The bytes [`escape_text`] looks at: the ones it escapes, ASCII controls, and the first
/// byte of U+0080 to U+00BF (which holds the C1 controls).
fn needs_care(b: u8) -> bool {
    (b < 0x20) | (b == 0x7f) | (b == b'\\') | (b == b';') | (b == b',') | (b == 0xc2)
}

/// Escapes each value and joins them with unescaped commas, the form of
/// multi-valued TEXT properties such as CATEGORIES.
pub(crate) fn escape_text_list(values: &[String]) -> String {
    let escaped: Vec<String> = values.iter().map(|v| escape_text(v)).collect();
    escaped.join(",")
}

/// Renders a parameter value (RFC 5545 §3.1 `param-value`).
///
/// Values containing `:`, `;` or `,` are quoted, as the grammar requires. DQUOTE and
/// control characters cannot appear in a parameter value at all, so they are
/// replaced (a label is human-readable text; a close substitute beats a broken feed).
fn param_value(value: &str) -> String {
    let cleaned: String = value
        .chars()
        .map(|c| match c {
            '"' => '\'',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    if cleaned.contains([':', ';', ',']) {
        format!("\"{cleaned}\"")
    } else {
        cleaned
    }
}

/// An output buffer of folded, CRLF-terminated content lines.
#[derive(Debug, Default)]
pub(crate) struct ContentLines {
    out: String,
}

impl ContentLines {
    /// Lines with room for `bytes`.
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        ContentLines {
            out: String::with_capacity(bytes),
        }
    }

    /// Appends `NAME;P1=V1;P2=V2:value`. `value` must already be encoded for its
    /// value type (escaped TEXT, a formatted DATE-TIME, a URI...); parameter values
    /// are quoted here.
    pub(crate) fn property(&mut self, name: &str, params: &[(&str, &str)], value: &str) {
        let mut line = String::from(name);
        for (key, val) in params {
            line.push(';');
            line.push_str(key);
            line.push('=');
            line.push_str(&param_value(val));
        }
        line.push(':');
        line.push_str(value);
        self.push_folded(&line);
    }

    /// Appends a TEXT property, escaping its value.
    pub(crate) fn text(&mut self, name: &str, value: &str) {
        self.property(name, &[], &escape_text(value));
    }

    /// Appends `BEGIN:component`.
    pub(crate) fn begin(&mut self, component: &str) {
        self.property("BEGIN", &[], component);
    }

    /// Appends `END:component`.
    pub(crate) fn end(&mut self, component: &str) {
        self.property("END", &[], component);
    }

    /// Appends content lines written by another `ContentLines`.
    pub(crate) fn lines(&mut self, written: &str) {
        self.out.push_str(written);
    }

    /// The finished text.
    pub(crate) fn finish(self) -> String {
        self.out
    }

    fn push_folded(&mut self, line: &str) {
        for (i, segment) in fold(line).enumerate() {
            if i > 0 {
                self.out.push(' ');
            }
            self.out.push_str(segment);
            self.out.push_str("\r\n");
        }
    }
}

/// Splits a logical line into physical segments of at most 75 octets, counting the
/// leading space every continuation line gets.
///
/// A fold goes only between "units": a UTF-8 character, or a backslash together with
/// the character it escapes. A fold is also kept from landing just after a space or
/// tab when another place is available, because several parsers (the `ical` crate
/// among them) trim trailing whitespace from physical lines and would lose it.
fn fold(line: &str) -> impl Iterator<Item = &str> {
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        if line.len() - from <= budget(from) {
            start = None;
            return Some(&line[from..]);
        }
        let end = fold_point(line, from);
        start = Some(end);
        Some(&line[from..end])
    })
}

/// Octets available to the segment starting at `start`: continuation lines lose one
/// to the folding space.
fn budget(start: usize) -> usize {
    if start == 0 {
        MAX_LINE_OCTETS
    } else {
        MAX_LINE_OCTETS - 1
    }
}

/// Where the segment starting at `start` (a unit boundary) ends: the last unit boundary
/// within its budget not preceded by whitespace, else the last unit boundary at all. A
/// unit is at most 5 octets (`\` + a 4-octet character), so some boundary always fits.
/// Only this segment's units are walked: listing every boundary of a long line first
/// (an abstract is one line) showed in build profiles.
fn fold_point(line: &str, start: usize) -> usize {
    let limit = start + budget(start);
    let bytes = line.as_bytes();
    // Most segments are plain ASCII: then every byte is a unit, and the fold goes after
    // the last byte within the budget that is not a space or tab.
    let window = &bytes[start..limit];
    let plain = |b: u8| (b == b'\\') | (b >= 0x80);
    if crate::scan::next_special(window, 0, plain).is_none() {
        let spaces = window
            .iter()
            .rev()
            .take_while(|&&b| b == b' ' || b == b'\t');
        let trailing = spaces.count();
        return if trailing == window.len() {
            limit
        } else {
            limit - trailing
        };
    }
    let (mut last, mut last_non_space) = (None, None);
    let mut at = start;
    while at < bytes.len() {
        let mut end = at + char_len(bytes[at]);
        if bytes[at] == b'\\' && end < bytes.len() {
            end += char_len(bytes[end]);
        }
        if end > limit {
            break;
        }
        last = Some(end);
        // The unit's last byte: a space or tab only when the unit ends with one.
        if !matches!(bytes[end - 1], b' ' | b'\t') {
            last_non_space = Some(end);
        }
        at = end;
    }
    last_non_space
        .or(last)
        .expect("a unit of at most 5 octets always fits in a line")
}

/// The length of the UTF-8 character whose first byte is `first`.
fn char_len(first: u8) -> usize {
    match first {
        0..0xc0 => 1,
        0xc0..0xe0 => 2,
        0xe0..0xf0 => 3,
        _ => 4,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_the_four_specials_and_normalises_newlines() {
        assert_eq!(
            escape_text("a,b;c\\d\r\ne\rf\ng"),
            "a\\,b\\;c\\\\d\\ne\\nf\\ng"
        );
    }

    /// The escaping as first written, a character at a time, to hold the faster one to.
    fn escape_text_by_chars(value: &str) -> String {
        let mut out = String::new();
        let mut chars = value.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\r' => {
                    chars.next_if_eq(&'\n');
                    out.push_str("\\n");
                }
                '\\' => out.push_str("\\\\"),
                ';' => out.push_str("\\;"),
                ',' => out.push_str("\\,"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push('\t'),
                c if c.is_control() => {}
                c => out.push(c),
            }
        }
        out
    }

    #[test]
    fn escaping_drops_every_control_and_keeps_every_other_character() {
        let pieces = [
            "a", "\r", "\n", "\r\n", "\t", "\\", ";", ",", "\u{0}", "\u{1f}", "\u{7f}", "\u{80}",
            "\u{85}", "\u{9f}", "\u{a0}", "\u{bf}", "é", "\u{2028}", "😀", " ",
        ];
        for (i, a) in pieces.iter().enumerate() {
            for b in &pieces {
                for c in &pieces[i..] {
                    let text = format!("{a}{b}long enough to fill a block{c}{a}");
                    assert_eq!(escape_text(&text), escape_text_by_chars(&text), "{text:?}");
                    let short = format!("{a}{b}{c}");
                    assert_eq!(
                        escape_text(&short),
                        escape_text_by_chars(&short),
                        "{short:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn quotes_parameter_values_with_delimiters() {
        assert_eq!(param_value("Zoom"), "Zoom");
        assert_eq!(param_value("Room 1: A, B"), "\"Room 1: A, B\"");
        assert_eq!(param_value("say \"hi\""), "say 'hi'");
    }

    #[test]
    fn short_lines_are_not_folded() {
        let mut lines = ContentLines::default();
        lines.text("SUMMARY", "Hello");
        assert_eq!(lines.finish(), "SUMMARY:Hello\r\n");
    }

    /// Folding as first written, every boundary of the line listed first, to hold the
    /// faster one to.
    fn fold_by_boundaries(line: &str) -> Vec<&str> {
        let mut breaks = Vec::new();
        let mut chars = line.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if c == '\\' {
                chars.next();
            }
            breaks.push(chars.peek().map_or(line.len(), |&(i, _)| i));
        }
        let mut segments = Vec::new();
        let mut start = 0;
        while line.len() - start > budget(start) {
            let limit = start + budget(start);
            let fitting = breaks.iter().filter(|&&b| b > start && b <= limit);
            let last = fitting.clone().next_back().copied();
            let mut non_space = fitting.filter(|&&b| !line[..b].ends_with([' ', '\t']));
            let end = non_space.next_back().copied().or(last).unwrap();
            segments.push(&line[start..end]);
            start = end;
        }
        segments.push(&line[start..]);
        segments
    }

    #[test]
    fn folds_fall_where_they_always_did() {
        let pieces = [
            "a", " ", "\t", "\\,", "\\\\", "\\n", "é", "😀", "\\😀", "€ ", "  ",
        ];
        for (i, a) in pieces.iter().enumerate() {
            for b in &pieces {
                for n in [1, 7, 30, 80] {
                    let line = format!("{}{}", a.repeat(n), b.repeat(75 - n % 75));
                    let line = format!("{line}{}{line}", pieces[(i + n) % pieces.len()]);
                    let folded: Vec<_> = fold(&line).collect();
                    assert_eq!(folded, fold_by_boundaries(&line), "{line:?}");
                }
            }
        }
    }

    #[test]
    fn folds_never_split_an_escape() {
        // Shifting the prefix puts the fold at every position relative to an escape.
        for shift in 0..4 {
            let line = format!("{}{}", "x".repeat(72 + shift), "\\,".repeat(40));
            let segments: Vec<_> = fold(&line).collect();
            assert!(segments.len() > 1);
            for segment in segments {
                let trailing = segment.len() - segment.trim_end_matches('\\').len();
                assert_eq!(
                    trailing % 2,
                    0,
                    "segment ends inside an escape: {segment:?}"
                );
            }
        }
    }

    #[test]
    fn folds_prefer_not_to_end_a_line_with_a_space() {
        let line = format!("{} {}", "a".repeat(74), "b".repeat(10));
        let segments: Vec<_> = fold(&line).collect();
        assert!(segments.iter().all(|s| !s.ends_with(' ')), "{segments:?}");
        assert_eq!(segments.concat(), line);
    }

    #[test]
    fn a_line_of_spaces_still_folds() {
        let line = " ".repeat(200);
        let segments: Vec<_> = fold(&line).collect();
        assert!(
            segments
                .iter()
                .enumerate()
                .all(|(i, s)| s.len() <= budget(i.min(1)))
        );
        assert_eq!(segments.concat(), line);
    }
}
