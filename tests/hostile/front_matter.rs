//! Front matter (`src/front_matter.rs`): TOML and YAML blocks with every field mutated, and
//! files that are not front matter at all. The generators are shared with the modules that
//! need a whole content file (pages in a hub, seminar talks).

use std::path::Path;

use podium::content::page::PAGE_FIELDS;
use podium::front_matter::split;
use proptest::prelude::*;

use crate::dates::when_text;
use crate::harness::{check, guarded, nasty_string, points_into};

/// Fields of talks and events (pages' own come from `PAGE_FIELDS`), and near misses.
const MORE_KEYS: &[&str] = &[
    "start",
    "end",
    "duration",
    "timezone",
    "speaker",
    "speakers",
    "series",
    "status",
    "recurrence",
    "exdates",
    "sequence",
    "start_date",
    "end_date",
    "tracks",
    "organizers",
    "titel",
    "Date",
    "",
    "a.b",
    "\"quoted\"",
];

/// A field name: a known one, or anything.
pub fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        5 => prop::sample::select([PAGE_FIELDS, MORE_KEYS].concat()).prop_map(str::to_string),
        1 => nasty_string(12),
    ]
}

/// A TOML value as text: valid strings (escaped), raw strings that may be broken, dates,
/// numbers at the limits, and arrays and inline tables of those a few levels deep.
pub fn toml_value() -> impl Strategy<Value = String> {
    let quoted = nasty_string(60).prop_map(|s| toml::Value::String(s).to_string());
    let leaf = prop_oneof![
        3 => quoted,
        1 => nasty_string(30).prop_map(|s| format!("\"{s}\"")),
        2 => when_text(),
        1 => when_text().prop_map(|s| format!("\"{s}\"")),
        1 => prop::sample::select(vec![
            "true", "false", "nan", "-inf", "1e400", "-0", "9223372036854775807",
            "-9223372036854775808", "9223372036854775808", "0x7f", "1_000", "'''x'''", "[]", "{}",
        ])
        .prop_map(str::to_string),
        1 => any::<i64>().prop_map(|n| n.to_string()),
        1 => any::<f64>().prop_map(|f| format!("{f:?}")),
    ];
    leaf.prop_recursive(4, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..4).prop_map(|kv| {
                let fields: Vec<String> = kv
                    .iter()
                    .map(|(k, v)| format!("{} = {v}", bare_or_quoted(k)))
                    .collect();
                format!("{{ {} }}", fields.join(", "))
            }),
        ]
    })
}

/// A YAML value as text: plain and quoted scalars, dates, flow collections, anchors, tags.
pub fn yaml_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        3 => nasty_string(40),
        2 => nasty_string(40).prop_map(|s| serde_json::Value::String(s).to_string()),
        2 => when_text(),
        1 => prop::sample::select(vec![
            "~", "null", "yes", "no", ".nan", "-.inf", "0o17", "1e400", "!!binary aGk=", "&a 1",
            "*a", "*missing", "!!str 5", "|", ">-", "? x", "- - -", "{", "[", "'", "\"",
        ])
        .prop_map(str::to_string),
        1 => any::<i64>().prop_map(|n| n.to_string()),
    ];
    leaf.prop_recursive(4, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec((key(), inner), 0..4).prop_map(|kv| {
                let fields: Vec<String> = kv.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                format!("{{{}}}", fields.join(", "))
            }),
        ]
    })
}

fn bare_or_quoted(key: &str) -> String {
    if !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        key.to_string()
    } else {
        toml::Value::String(key.to_string()).to_string()
    }
}

/// TOML front matter: `key = value` lines, sometimes a `[table]` header or a junk line.
pub fn toml_block() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        8 => (key(), toml_value()).prop_map(|(k, v)| format!("{} = {v}", bare_or_quoted(&k))),
        1 => key().prop_map(|k| format!("[{}]", bare_or_quoted(&k))),
        1 => nasty_string(30),
    ];
    prop::collection::vec(line, 0..10).prop_map(|lines| format!("+++\n{}\n+++\n", lines.join("\n")))
}

/// YAML front matter: `key: value` lines, some indented under the line before.
pub fn yaml_block() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        8 => (prop::sample::select(vec!["", "  ", "\t", "- "]), key(), yaml_value())
            .prop_map(|(indent, k, v)| format!("{indent}{k}: {v}")),
        1 => nasty_string(30),
    ];
    prop::collection::vec(line, 0..10).prop_map(|lines| format!("---\n{}\n---\n", lines.join("\n")))
}

/// A whole content file: TOML or YAML front matter with a short body, a file whose
/// front matter is cut short, or arbitrary text.
pub fn content_file() -> impl Strategy<Value = String> {
    let body = prop_oneof![Just(String::new()), nasty_string(80)];
    prop_oneof![
        4 => (toml_block(), body.clone()).prop_map(|(f, b)| f + &b),
        4 => (yaml_block(), body.clone()).prop_map(|(f, b)| f + &b),
        1 => (toml_block(), 0usize..200).prop_map(|(f, cut)| {
            f.char_indices().nth(cut).map_or(f.clone(), |(i, _)| f[..i].to_string())
        }),
        1 => nasty_string(200),
        1 => (prop::sample::select(vec!["+++", "---", "\u{feff}+++", "+++ ", "+++\r"]), body)
            .prop_map(|(d, b)| format!("{d}\n{b}")),
    ]
}

/// Any content file splits, or its error names the file and a line of it.
#[test]
fn any_front_matter_splits_or_points_at_a_line() {
    check(256, content_file, |text| {
        let file = Path::new("content/news/post.md");
        let input = text.clone();
        let outcome = guarded(move || split(Path::new("content/news/post.md"), &input).err())?;
        if let Some(d) = outcome {
            points_into(&d, file, &text)?;
        }
        Ok(())
    });
}

/// Front matter nested as deep as a hostile file makes it: YAML and TOML arrays and
/// tables hundreds of thousands deep. (A stack overflow would abort the whole test binary.)
#[test]
fn deeply_nested_front_matter_splits_or_points_at_a_line() {
    let depth = || prop_oneof![1usize..=64, Just(800usize), Just(100_000usize)];
    check(
        24,
        move || (0usize..4, depth()),
        |(kind, depth)| {
            let text = match kind {
                0 => format!("---\na: {}\n---\n", "[".repeat(depth)),
                1 => format!("---\na: {}1{}\n---\n", "[".repeat(depth), "]".repeat(depth)),
                2 => format!(
                    "+++\na = {}1{}\n+++\n",
                    "[".repeat(depth),
                    "]".repeat(depth)
                ),
                _ => format!("+++\na = {}\n+++\n", "{ b = ".repeat(depth)),
            };
            let input = text.clone();
            let outcome = guarded(move || split(Path::new("content/news/post.md"), &input).err())?;
            if let Some(d) = outcome {
                points_into(&d, Path::new("content/news/post.md"), &text)?;
            }
            Ok(())
        },
    );
}
