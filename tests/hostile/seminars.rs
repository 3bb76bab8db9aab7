//! Seminar talks and their recurrence rules (`src/seminars/model.rs`,
//! `src/calendar/recurrence.rs`): a section's settings and a talk's front matter, parsed and
//! expanded into occurrences as the pages and feeds expand them.

use std::path::Path;

use jiff::ToSpan;
use podium::config::Config;
use podium::diagnostics::Diagnostic;
use podium::front_matter::split;
use podium::seminars::{Origin, parse_seminar, parse_settings};
use proptest::prelude::*;

use crate::dates::when_text;
use crate::front_matter::toml_value;
use crate::harness::{check, guarded, nasty_string, points_into_one};
use crate::timetable::zone_name;

const SECTION: &str = "content/seminars/_index.md";
const TALK: &str = "content/seminars/talk.md";

/// An RRULE as people write it, parts shuffled in and mangled.
pub fn rrule() -> impl Strategy<Value = String> {
    let number = prop_oneof![
        3 => (1u32..60).prop_map(|n| n.to_string()),
        1 => prop::sample::select(vec!["0", "-1", "4294967295", "4294967296", "", "x", "1.5"])
            .prop_map(str::to_string),
    ];
    let days = prop::collection::vec(
        prop::sample::select(vec![
            "MO", "TU", "WE", "TH", "FR", "SA", "SU", "mo", "1MO", "-1FR", "XX", "",
        ]),
        0..8,
    )
    .prop_map(|d| d.join(","));
    let until = prop_oneof![
        2 => when_text(),
        1 => prop::sample::select(vec!["20210630", "99991231", "00000101", "2021063", "20210230"])
            .prop_map(str::to_string),
    ];
    let part = prop_oneof![
        3 => prop::sample::select(vec!["DAILY", "WEEKLY", "MONTHLY", "YEARLY", "weekly", ""])
            .prop_map(|f| format!("FREQ={f}")),
        2 => number.clone().prop_map(|n| format!("INTERVAL={n}")),
        2 => number.prop_map(|n| format!("COUNT={n}")),
        2 => until.prop_map(|u| format!("UNTIL={u}")),
        2 => days.prop_map(|d| format!("BYDAY={d}")),
        1 => nasty_string(12),
    ];
    prop_oneof![
        6 => (prop::sample::select(vec!["", "RRULE:", " "]), prop::collection::vec(part, 0..6))
            .prop_map(|(p, parts)| format!("{p}{}", parts.join(";"))),
        1 => nasty_string(40),
    ]
}

fn quoted(s: String) -> String {
    toml::Value::String(s).to_string()
}

/// A `key = value` line, or nothing when the field is left out.
fn field(key: &'static str, value: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop::option::weighted(0.7, value)
        .prop_map(move |v| v.map_or(String::new(), |v| format!("{key} = {v}\n")))
}

/// The section's `_index.md`: a zone, a default duration and a series or two.
pub fn section() -> impl Strategy<Value = String> {
    let duration = prop_oneof![
        Just("\"1h\"".to_string()),
        Just("\"0m\"".to_string()),
        nasty_string(8).prop_map(quoted),
    ];
    let series = (
        prop::sample::select(vec![
            "\"colloquium\"",
            "\"calendar\"",
            "\"\"",
            "\"colloquium\"",
        ]),
        field("timezone", zone_name().prop_map(quoted)),
        field("default_duration", duration.clone()),
    )
        .prop_map(|(slug, zone, d)| {
            format!("\n[[series]]\nslug = {slug}\nname = \"S\"\n{zone}{d}")
        });
    (
        field("timezone", zone_name().prop_map(quoted)),
        field("default_duration", duration),
        prop::collection::vec(series, 0..3),
    )
        .prop_map(|(zone, d, series)| {
            format!(
                "+++\ntitle = \"Seminars\"\nkind = \"seminars\"\n{zone}{d}{}+++\n",
                series.concat()
            )
        })
}

/// A talk's front matter: times, a rule, exdates and the rest, each maybe broken.
pub fn talk() -> impl Strategy<Value = String> {
    let when = prop_oneof![4 => when_text().prop_map(quoted), 1 => toml_value()];
    let end = prop_oneof![
        2 => when_text().prop_map(quoted),
        1 => (0u32..30, 0u32..70).prop_map(|(h, m)| format!("\"{h:02}:{m:02}\"")),
        1 => toml_value(),
    ];
    let exdates = prop::collection::vec(when_text().prop_map(quoted), 0..4)
        .prop_map(|d| format!("[{}]", d.join(", ")));
    (
        (
            field("start", when),
            field("end", end),
            field(
                "duration",
                prop::sample::select(vec!["\"1h\"", "\"90m\"", "\"0m\"", "\"9999999h\"", "5"])
                    .prop_map(str::to_string),
            ),
            field("timezone", zone_name().prop_map(quoted)),
        ),
        (
            field("recurrence", rrule().prop_map(quoted)),
            field("exdates", exdates),
            field(
                "series",
                prop::sample::select(vec!["\"colloquium\"", "\"colloqium\"", "\"\"", "[]"])
                    .prop_map(str::to_string),
            ),
            field(
                "status",
                prop::sample::select(vec![
                    "\"cancelled\"",
                    "\"canceled\"",
                    "\"postponed\"",
                    "\"maybe\"",
                    "true",
                ])
                .prop_map(str::to_string),
            ),
            field("speaker", nasty_string(20).prop_map(quoted)),
            field(
                "sequence",
                prop::sample::select(vec!["1", "-1", "4294967295", "4294967296", "\"2\""])
                    .prop_map(str::to_string),
            ),
        ),
    )
        .prop_map(|((a, b, c, d), (e, f, g, h, i, j))| {
            format!(
                "+++\ntitle = \"Talk\"\n{}+++\n",
                [a, b, c, d, e, f, g, h, i, j].concat()
            )
        })
}

/// Parses the section and the talk, then expands the talk as far as a feed looks ahead.
fn parse_and_expand(section: &str, talk: &str) -> Vec<Diagnostic> {
    let config = Config::default();
    let section_file = Path::new(SECTION);
    let section_split = match split(section_file, section) {
        Ok(s) => s,
        Err(d) => return vec![d],
    };
    let origin = Origin {
        file: section_file,
        raw: section_split.raw,
    };
    let (settings, mut problems) = parse_settings(&section_split.table, origin, &config);
    let talk_file = Path::new(TALK);
    let talk_split = match split(talk_file, talk) {
        Ok(s) => s,
        Err(d) => {
            problems.push(d);
            return problems;
        }
    };
    let origin = Origin {
        file: talk_file,
        raw: talk_split.raw,
    };
    match parse_seminar(&talk_split.table, origin, &settings) {
        Ok(seminar) => {
            let far = seminar.start.date().saturating_add(200.years());
            for (start, end) in seminar.occurrences(far) {
                let _ = (seminar.instant(&start), seminar.instant(&end));
            }
            if let Some(rule) = &seminar.recurrence {
                let _ = rule.to_rrule_string(&seminar.start);
            }
        }
        Err(e) => problems.extend(e),
    }
    problems
}

/// Any talk in any seminars section parses and expands, or every problem names the
/// file at fault and a line of it.
#[test]
fn any_talk_expands_or_points_at_lines() {
    check(
        160,
        || (section(), talk()),
        |(section, talk)| {
            let (s, t) = (section.clone(), talk.clone());
            let problems = guarded(move || parse_and_expand(&s, &t))?;
            let files = [(SECTION, section.as_str()), (TALK, talk.as_str())];
            for d in &problems {
                points_into_one(d, &files)?;
            }
            Ok(())
        },
    );
}
