//! Edits that people make to a hub, and the comparison with a fresh build, shared by the
//! tests that check an updated site (by `serve`, or by the build cache) equals one.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use podium::site::{self, BuildOptions};

/// A build from scratch with `options`, in memory: nothing written, no cache used.
pub fn fresh(options: &BuildOptions) -> BTreeMap<String, Vec<u8>> {
    let options = BuildOptions {
        output: None,
        incremental: false,
        ..options.clone()
    };
    let built = site::build(&options).unwrap();
    built
        .output
        .files
        .iter()
        .map(|(k, v)| (k.clone(), v.read().unwrap().into_owned()))
        .collect()
}

/// Site paths whose bytes differ between two sites, or that only one has; the manifest of
/// the files written, which a site built in memory has not, aside.
pub fn differences(a: &BTreeMap<String, Vec<u8>>, b: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let written = |k: &&String| k.as_str() != podium::output::MANIFEST;
    let paths: BTreeSet<&String> = a.keys().chain(b.keys()).filter(written).collect();
    let differ = paths.into_iter().filter(|k| a.get(*k) != b.get(*k));
    differ.cloned().collect()
}

/// A small deterministic random source, so a failing sequence can be replayed by its seed.
pub struct Rng(pub u64);

impl Rng {
    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// One edit of a page's front matter or body that keeps the page where it is (or, for
/// `slug`, moves it), the kinds of change `serve` handles in place.
pub fn edit_in_place(root: &Path, rng: &mut Rng, step: usize) -> PathBuf {
    let seminar = rng.below(3) == 0;
    let (dir, count) = if seminar {
        ("seminars/talk", 3)
    } else {
        ("news/post", 5)
    };
    let file = root.join(format!("content/{dir}-{}.md", rng.below(count) + 1));
    let text = std::fs::read_to_string(&file).unwrap();
    let set = |key: &str, line: String| -> String {
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        match lines
            .iter()
            .position(|l| l.starts_with(&format!("{key} =")))
        {
            Some(i) => lines[i] = line,
            None => lines.insert(1, line),
        }
        lines.join("\n") + "\n"
    };
    let tags = ["common", "tag-0", "tag-1", "fresh"];
    let people = [
        r#"{ name = "Ada Lovelace", member = "ada-lovelace" }"#,
        r#"{ name = "Grace Hopper", member = "grace-hopper" }"#,
        r#"{ name = "A Guest", affiliation = "Elsewhere" }"#,
    ];
    let edited = match (seminar, rng.below(6)) {
        (_, 0) => format!("{text}\nEdited at step {step}.\n"),
        (_, 1) => set("title", format!("title = \"Retitled {step}\"")),
        (false, 2) => set("date", format!("date = 2026-01-{:02}", rng.below(28) + 1)),
        (false, 3) => {
            let chosen: Vec<String> = tags
                .iter()
                .filter(|_| rng.below(2) == 0)
                .map(|t| format!("\"{t}\""))
                .collect();
            set("tags", format!("tags = [{}]", chosen.join(", ")))
        }
        (false, 4) => {
            let authors = [
                "[]",
                r#"["grace-hopper"]"#,
                r#"["ada-lovelace", "A Guest"]"#,
            ];
            set("authors", format!("authors = {}", authors[rng.below(3)]))
        }
        // Past or upcoming, in one of the listing's archive years or not.
        (true, 2) => set(
            "start",
            format!(
                "start = {}-0{}-{:02} 16:00",
                2024 + rng.below(3),
                rng.below(4) + 2,
                rng.below(28) + 1
            ),
        ),
        (true, 3 | 4) => set("speakers", format!("speakers = [{}]", people[rng.below(3)])),
        _ => text.replace("Summary of", &format!("Summary {step} of")),
    };
    std::fs::write(&file, edited).unwrap();
    file
}

/// Adds a talk a week through 2024 and 2025, every other one a colloquium.
pub fn add_history(root: &Path) {
    let first = jiff::civil::date(2024, 1, 4);
    for week in 0..104 {
        let day = first.checked_add(jiff::Span::new().weeks(week)).unwrap();
        let series = if week % 2 == 0 {
            "series = \"colloquium\"\n"
        } else {
            ""
        };
        let text =
            format!("+++\ntitle = \"Old talk {week}\"\n{series}start = {day} 16:00\n+++\nOld.\n");
        std::fs::write(
            root.join(format!("content/seminars/old-{week:03}.md")),
            text,
        )
        .unwrap();
    }
}
