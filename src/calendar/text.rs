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
    let mut out = String::with_capacity(value.len() + 8);
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
        for (i, segment) in fold(line).into_iter().enumerate() {
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
fn fold(line: &str) -> Vec<&str> {
    if line.len() <= MAX_LINE_OCTETS {
        return vec![line];
    }
    let breaks = unit_boundaries(line);
    let mut segments = Vec::new();
    let mut start = 0;
    while line.len() - start > budget(start) {
        let end = choose_break(line, &breaks, start, start + budget(start));
        segments.push(&line[start..end]);
        start = end;
    }
    segments.push(&line[start..]);
    segments
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

/// Byte offsets at which a fold is allowed, in increasing order (excluding 0).
fn unit_boundaries(line: &str) -> Vec<usize> {
    let mut boundaries = Vec::new();
    let mut chars = line.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c == '\\' {
            chars.next();
        }
        boundaries.push(chars.peek().map_or(line.len(), |&(i, _)| i));
    }
    boundaries
}

/// The best fold position in `(start, limit]`: the last unit boundary not preceded by
/// whitespace, else the last unit boundary at all. A unit is at most 5 octets
/// (`\` + a 4-octet character), so some boundary always fits.
fn choose_break(line: &str, breaks: &[usize], start: usize, limit: usize) -> usize {
    // `breaks` is sorted: look only at this segment's, not every line's from the start.
    let fitting = &breaks[breaks.partition_point(|&b| b <= start)..];
    let fitting = &fitting[..fitting.partition_point(|&b| b <= limit)];
    let mut last = None;
    let mut last_non_space = None;
    for &b in fitting {
        last = Some(b);
        if !line[..b].ends_with([' ', '\t']) {
            last_non_space = Some(b);
        }
    }
    last_non_space
        .or(last)
        .expect("a unit of at most 5 octets always fits in a line")
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

    #[test]
    fn folds_never_split_an_escape() {
        // Shifting the prefix puts the fold at every position relative to an escape.
        for shift in 0..4 {
            let line = format!("{}{}", "x".repeat(72 + shift), "\\,".repeat(40));
            let segments = fold(&line);
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
        let segments = fold(&line);
        assert!(segments.iter().all(|s| !s.ends_with(' ')), "{segments:?}");
        assert_eq!(segments.concat(), line);
    }

    #[test]
    fn a_line_of_spaces_still_folds() {
        let line = " ".repeat(200);
        let segments = fold(&line);
        assert!(
            segments
                .iter()
                .enumerate()
                .all(|(i, s)| s.len() <= budget(i.min(1)))
        );
        assert_eq!(segments.concat(), line);
    }
}
