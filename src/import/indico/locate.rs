//! Finds where a JSON path (`results[0].sessions[3].startDate`) sits in the export's text,
//! so an import error can give a line and column as well as the path.
//!
//! `serde_json::Value` keeps no positions, so this walks the text itself, skipping every
//! value it does not need. It only runs after an error, on text `serde_json` has accepted.

/// One step of a path: an object member or an array item.
#[derive(Debug, PartialEq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The 1-based line and column of the deepest part of `path` found in `json`.
pub fn locate(json: &str, path: &str) -> Option<(usize, usize)> {
    let mut scan = Scanner { text: json, pos: 0 };
    scan.ws();
    for step in steps(path) {
        let before = scan.pos;
        if scan.enter(&step).is_none() {
            scan.pos = before;
            break;
        }
    }
    let at = crate::diagnostics::Pos::of_offset(json, scan.pos);
    Some((at.line, at.column))
}

/// `a.b[2].c` → `a`, `b`, `2`, `c`. Indico's keys hold no dots or brackets.
fn steps(path: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            steps.push(Step::Key(key.to_string()));
        }
        steps.extend(pieces.filter_map(|p| p.trim_end_matches(']').parse().ok().map(Step::Index)));
    }
    steps
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
        }
    }

    /// Consumes `byte` (after any white space).
    fn eat(&mut self, byte: u8) -> Option<()> {
        self.ws();
        (self.peek() == Some(byte)).then(|| self.pos += 1)
    }

    /// Moves from the value here to its member or item `step`; `None` when it has none.
    fn enter(&mut self, step: &Step) -> Option<()> {
        match step {
            Step::Key(key) => {
                self.eat(b'{')?;
                loop {
                    self.ws();
                    let name = self.string()?;
                    self.eat(b':')?;
                    self.ws();
                    if name == *key {
                        return Some(());
                    }
                    self.skip()?;
                    self.eat(b',')?;
                }
            }
            Step::Index(i) => {
                self.eat(b'[')?;
                for _ in 0..*i {
                    self.ws();
                    self.skip()?;
                    self.eat(b',')?;
                }
                self.ws();
                (self.peek() != Some(b']')).then_some(())
            }
        }
    }

    /// Reads a string token, decoded.
    fn string(&mut self) -> Option<String> {
        let start = self.pos;
        self.skip_string()?;
        serde_json::from_str(&self.text[start..self.pos]).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        (self.peek() == Some(b'"')).then_some(())?;
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    /// Skips one value: a string, an object or array (brackets counted outside strings),
    /// or a number or literal.
    fn skip(&mut self) -> Option<()> {
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => self.skip_string()?,
                        b'{' | b'[' => {
                            depth += 1;
                            self.pos += 1;
                        }
                        b'}' | b']' => {
                            depth -= 1;
                            self.pos += 1;
                            if depth == 0 {
                                return Some(());
                            }
                        }
                        _ => self.pos += 1,
                    }
                }
            }
            _ => {
                while self
                    .peek()
                    .is_some_and(|b| !matches!(b, b',' | b'}' | b']') && !b.is_ascii_whitespace())
                {
                    self.pos += 1;
                }
                Some(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str =
        "{\n  \"a\": [1, {\"x\": \"]}\\\"\"},\n    {\"b\": {\"c\": 2}}],\n  \"d\": null\n}";

    #[test]
    fn paths_are_found_past_strings_that_look_like_brackets() {
        assert_eq!(locate(JSON, "a[2].b.c"), Some((3, 17)));
        assert_eq!(locate(JSON, "d"), Some((4, 8)));
    }

    #[test]
    fn a_missing_member_points_at_its_parent() {
        assert_eq!(locate(JSON, "a[2].b.zz"), Some((3, 11)));
        assert_eq!(locate(JSON, "a[7]"), Some((2, 8)));
    }
}
