//! Nesting limits checked before a parser sees its input.
//!
//! The math converter recurses once per level of a formula and the YAML scanner slows
//! quadratically with open brackets: 800 nested `\frac{` overflowed a thread's stack (an
//! abort no error handling can catch) and 100,000 `[` took minutes. A cheap scan measures
//! the depth first, so such input becomes an error at its place instead.

/// The deepest formula accepted, in levels as [`math_depth`] counts them. A continued
/// fraction ten deep is 20; the converter's stack at this depth fits a 2 MB thread in a
/// debug build.
pub const MATH_DEPTH: usize = 64;

/// The deepest nesting of `[…]` and `{…}` accepted in YAML front matter.
pub const YAML_DEPTH: usize = 64;

/// How deep `latex` nests: groups (`{…}`, `\left…\right`, `\begin…\end`) plus the commands
/// still waiting for an argument, as in `\sqrt\sqrt\sqrt x`, which nest without braces.
pub fn math_depth(latex: &str) -> usize {
    // Each open group remembers the depth and pending commands outside it, so `\frac{a}{b}`
    // gives both arguments the same depth.
    let mut open: Vec<(usize, usize)> = Vec::new();
    let (mut base, mut pending, mut deepest) = (0, 0, 0);
    let mut rest = latex;
    while let Some(c) = rest.chars().next() {
        let token = match c {
            '\\' => command(rest),
            _ => &rest[..c.len_utf8()],
        };
        rest = &rest[token.len()..];
        match token {
            "{" | "\\left" | "\\begin" => {
                open.push((base, pending));
                base += pending + 1;
                pending = 0;
            }
            "}" | "\\right" | "\\end" => (base, pending) = open.pop().unwrap_or((0, 0)),
            "^" | "_" => pending += 1,
            t if t.starts_with("\\") && t[1..].starts_with(|c: char| c.is_ascii_alphabetic()) => {
                pending += 1
            }
            t if t.trim().is_empty() => {}
            _ => pending = 0,
        }
        deepest = deepest.max(base + pending);
    }
    deepest
}

/// The command at the start of `s` (which starts with `\`): `\name`, or `\` and one character.
fn command(s: &str) -> &str {
    let name = s[1..]
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(s.len() - 1);
    match name {
        0 => &s[..1 + s[1..].chars().next().map_or(0, char::len_utf8)],
        n => &s[..1 + n],
    }
}

/// The byte offset in `yaml` where flow collections (`[`, `{`) first nest deeper than
/// `limit`, skipping quoted strings and comments; `None` when they never do.
pub fn yaml_too_deep(yaml: &str, limit: usize) -> Option<usize> {
    let bytes = yaml.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(i);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'"' => i = string_end(bytes, i, true),
            b'\'' => i = string_end(bytes, i, false),
            b'#' if i == 0 || bytes[i - 1].is_ascii_whitespace() => {
                i = memchr_newline(bytes, i);
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the quote closing the string opened at `start` (or the end of the text);
/// double-quoted strings have backslash escapes, single-quoted ones double their quote.
fn string_end(bytes: &[u8], start: usize, escapes: bool) -> usize {
    let quote = bytes[start];
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != quote {
        i += if escapes && bytes[i] == b'\\' { 2 } else { 1 };
    }
    i.min(bytes.len())
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_as_deep_as_their_groups_and_waiting_commands() {
        assert_eq!(math_depth("x + y"), 0);
        assert_eq!(math_depth("\\frac{a}{b}"), 2);
        assert_eq!(math_depth("\\frac{\\frac{a}{b}}{c}"), 4);
        assert_eq!(math_depth("\\alpha + \\beta"), 1);
        assert_eq!(math_depth(&"\\sqrt".repeat(800)), 800);
        assert_eq!(
            math_depth(&format!("{}x{}", "{".repeat(50), "}".repeat(50))),
            50
        );
        let left = format!("{}x{}", "\\left(".repeat(30), "\\right)".repeat(30));
        assert_eq!(math_depth(&left), 30);
        assert_eq!(math_depth("\\{ \\} } } x"), 0, "escaped and stray braces");
        assert_eq!(
            math_depth("é\\é\\"),
            0,
            "non-ASCII after a backslash, a last one"
        );
    }

    #[test]
    fn yaml_depth_skips_strings_and_comments() {
        assert_eq!(yaml_too_deep("a: [[1], {b: [2]}]", 3), None);
        assert_eq!(yaml_too_deep("a: [[[1]]]", 2), Some(5));
        assert_eq!(
            yaml_too_deep("a: \"[[[\\\"[[\" # [[[\nb: '[[''[['", 1),
            None
        );
        assert_eq!(yaml_too_deep(&"[".repeat(100_000), 64), Some(64));
    }

    #[test]
    fn formulas_at_the_limit_render_on_a_small_stack() {
        let deepest = [
            "\\frac{".repeat(MATH_DEPTH / 2) + "1" + &"}{2}".repeat(MATH_DEPTH / 2),
            "\\sqrt ".repeat(MATH_DEPTH) + "x",
            "{".repeat(MATH_DEPTH) + "x" + &"}".repeat(MATH_DEPTH),
            "\\left(".repeat(MATH_DEPTH) + "x" + &"\\right)".repeat(MATH_DEPTH),
        ];
        for latex in deepest {
            assert_eq!(math_depth(&latex), MATH_DEPTH, "{latex}");
            // Rayon's and the file watcher's threads have 2 MB by default.
            let converted = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || crate::markdown::latex_to_mathml(&latex, true))
                .unwrap()
                .join()
                .unwrap();
            assert!(converted.is_ok(), "{converted:?}");
        }
    }
}
