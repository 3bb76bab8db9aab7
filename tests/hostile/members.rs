//! Member sign-up spreadsheets (`src/import/members.rs`): CSV exports with odd headers,
//! separators, quoting and answers; what the import accepts, the build must accept too.

use podium::config::Config;
use podium::content::{LoadOptions, load};
use podium::diagnostics::Diagnostic;
use podium::import::members::import;
use proptest::prelude::*;

use crate::harness::{check, guarded, hub, nasty_string, points_into};

const HEADERS: &[&str] = &[
    "Timestamp",
    "Full name",
    "First name",
    "Last name",
    "Email Address",
    "E-mail",
    "Category",
    "Position",
    "Groups",
    "Phone",
    "Website",
    "ORCID",
    "GitHub",
    "Pronouns",
    "Interests",
    "Bio",
    "Name",
    "",
    "Name",
    "Favourite colour",
];

/// One answer: ordinary words, a value with separators and quotes, or hostile text.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(vec![
            "Ada Lovelace", "ada@example.org", "Students", "students", "Postdoc",
            "0000-0002-1825-0097", "0000-0002-1825-0098", "https://orcid.org/0000-0002-1825-0097",
            "ATLAS, QIS; ML", "Łukasz Bibrzycki", "O'Brien", "https://e.org", "javascript:x",
            "not an email", "", " ", "+++", "\"\"\"", "a\nb",
        ])
        .prop_map(str::to_string),
        2 => nasty_string(30),
    ]
}

/// A CSV: a header row and answer rows, joined by a separator, cells quoted or not.
fn spreadsheet() -> impl Strategy<Value = String> {
    let separator = prop::sample::select(vec![",", ";", "\t"]);
    let header = prop::collection::vec(prop::sample::select(HEADERS), 1..8);
    let rows = prop::collection::vec(prop::collection::vec(cell(), 0..9), 0..5);
    let quoted = any::<bool>();
    prop_oneof![
        8 => (separator, header, rows, quoted).prop_map(|(sep, header, rows, quoted)| {
            let line = |cells: Vec<String>| -> String {
                let cells: Vec<String> = cells.into_iter().map(|c| {
                    if quoted { format!("\"{}\"", c.replace('"', "\"\"")) } else { c }
                }).collect();
                cells.join(sep)
            };
            let mut out = line(header.into_iter().map(str::to_string).collect());
            for row in rows {
                out.push('\n');
                out.push_str(&line(row));
            }
            out
        }),
        1 => nasty_string(120),
    ]
}

/// The members section: open categories, or a declared list.
fn section() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "+++\ntitle = \"People\"\nkind = \"members\"\n+++\n",
        "+++\ntitle = \"People\"\nkind = \"members\"\ncategories = [\"Students\", \"Staff\"]\n+++\n",
    ])
    .prop_map(str::to_string)
}

/// Imports `csv` into a hub's members section, then loads the hub. Returns the import's
/// refusal or bad rows, and the build's problems with what was imported (`Err`) or the
/// text of the member pages it rendered (`Ok`).
fn import_then_build(
    csv: &str,
    section: &str,
) -> (Result<Vec<Diagnostic>, String>, Result<String, Vec<String>>) {
    let dir = hub(&[("content/people/_index.md", section), ("answers.csv", csv)]);
    let root = dir.path();
    let (people, csv_file) = (root.join("content/people"), root.join("answers.csv"));
    let report = match import(&csv_file, &people, &[]) {
        Ok(r) => r,
        Err(e) => return (Err(e), Ok(String::new())),
    };
    let config = Config::load(root).unwrap();
    let options = LoadOptions {
        drafts: false,
        defer_bodies: false,
        hold_after: None,
    };
    let built = match load(root, config, &options, &|_| {}) {
        Ok(site) => Ok(site
            .pages
            .iter()
            .map(|p| site.rendered(p).html.clone())
            .collect()),
        Err(e) => Err(e.0.iter().map(ToString::to_string).collect()),
    };
    (Ok(report.bad_rows), built)
}

/// Any spreadsheet is imported or refused; a refused row names the CSV and a line of
/// it, and every member file the import writes passes the build's checks.
#[test]
fn any_spreadsheet_imports_members_the_build_accepts() {
    check(
        64,
        || (spreadsheet(), section()),
        |(csv, section)| {
            let input = (csv.clone(), section);
            let (imported, built) = guarded(move || import_then_build(&input.0, &input.1))?;
            match imported {
                Err(message) => prop_assert!(
                    message.contains("answers.csv"),
                    "refusal without the file: {}",
                    message
                ),
                Ok(bad_rows) => {
                    for d in &bad_rows {
                        let csv_path = d.file.clone();
                        prop_assert!(csv_path.ends_with("answers.csv"), "{}", d);
                        let text = csv.trim_start_matches('\u{feff}');
                        points_into(d, &csv_path, text)?;
                    }
                }
            }
            if let Err(problems) = built {
                let problems = problems.join("\n");
                prop_assert!(
                    false,
                    "the import wrote members the build refuses:\n{}",
                    problems
                );
            }
            Ok(())
        },
    );
}

/// Found by the property above: a bio answer with dollar signs (`$0#$`) was copied as
/// Markdown math, which the build then failed to render.
#[test]
fn dollar_signs_in_a_bio_stay_text() {
    let csv = "Full name,Bio\nAda Lovelace,\"Costs $0#$, not \\$5\"\n";
    let section = "+++\ntitle = \"People\"\nkind = \"members\"\n+++\n";
    let (imported, built) = import_then_build(csv, section);
    assert_eq!(imported.map(|bad| bad.len()), Ok(0));
    let html = built.unwrap_or_else(|problems| panic!("{}", problems.join("\n")));
    let bio = scraper::Html::parse_fragment(&html);
    let text: String = bio.root_element().text().collect();
    assert!(text.contains("Costs $0#$, not $5"), "{text}");
}
