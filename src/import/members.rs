//! `podium import members`: members from a sign-up form's spreadsheet export.
//!
//! Groups collect members with a form (Google Forms, Microsoft Forms, …) and copy the
//! answers in by hand. This reads the form's CSV export, maps its columns by header name
//! (with the synonyms such forms use, and `--map` for the rest), checks every row as the
//! build would, and writes one Markdown file per new member. It never overwrites a member
//! file, so re-importing a grown spreadsheet adds only the new rows; a bad row is
//! reported by its spreadsheet row number and nothing of it is written.

use std::path::{Path, PathBuf};

use crate::content::slugify;
use crate::diagnostics::{Diagnostic, Pos, suggest};
use crate::front_matter;
use crate::members::{MemberSettings, check_orcid, is_valid_email};
use crate::safe_url::{Accepts, refusal};

/// A member field a column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Name,
    GivenName,
    FamilyName,
    SortName,
    Email,
    Category,
    Position,
    Groups,
    Phone,
    Website,
    Orcid,
    Github,
    Scholar,
    Pronouns,
    Interests,
    Bio,
}

/// Field names accepted by `--map`, with the header wordings forms commonly use. Headers
/// are compared after [`normalize`], so case and punctuation do not matter.
const FIELDS: &[(Field, &str, &[&str])] = &[
    (
        Field::Name,
        "name",
        &[
            "full name",
            "your name",
            "first and last name",
            "name and surname",
        ],
    ),
    (
        Field::GivenName,
        "given_name",
        &["first name", "given name", "forename"],
    ),
    (
        Field::FamilyName,
        "family_name",
        &["last name", "family name", "surname"],
    ),
    (Field::SortName, "sort_name", &["sort as", "sort name"]),
    (
        Field::Email,
        "email",
        &[
            "email address",
            "e mail",
            "e mail address",
            "your email",
            "mail",
        ],
    ),
    (
        Field::Category,
        "category",
        &["member category", "directory category"],
    ),
    (
        Field::Position,
        "position",
        &["title", "job title", "position title"],
    ),
    (
        Field::Groups,
        "groups",
        &[
            "group",
            "research groups",
            "experiments",
            "experiment",
            "group s",
        ],
    ),
    (
        Field::Phone,
        "phone",
        &["phone number", "telephone", "tel", "office phone"],
    ),
    (
        Field::Website,
        "website",
        &[
            "homepage",
            "home page",
            "web page",
            "webpage",
            "url",
            "personal website",
        ],
    ),
    (Field::Orcid, "orcid", &["orcid id", "orcid i d"]),
    (
        Field::Github,
        "github",
        &["github username", "github user", "github handle"],
    ),
    (
        Field::Scholar,
        "scholar",
        &["google scholar", "google scholar profile"],
    ),
    (Field::Pronouns, "pronouns", &["your pronouns"]),
    (
        Field::Interests,
        "interests",
        &["research interests", "keywords"],
    ),
    (
        Field::Bio,
        "bio",
        &[
            "short bio",
            "biography",
            "about you",
            "about",
            "short biography",
        ],
    ),
];

/// What an import did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files written.
    pub created: Vec<PathBuf>,
    /// Rows whose member already has a file (or an earlier row): (row, file).
    pub existing: Vec<(usize, PathBuf)>,
    /// Headers that map to no field, left out.
    pub ignored_columns: Vec<String>,
    /// Rows not imported, with why.
    pub bad_rows: Vec<Diagnostic>,
}

/// Lower case, punctuation to spaces, spaces collapsed: `E-mail Address:` → `e mail address`.
fn normalize(header: &str) -> String {
    header
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The field a `--map` target or a header names, if any.
fn field_named(name: &str) -> Option<Field> {
    let n = normalize(name);
    FIELDS
        .iter()
        .find(|(_, key, synonyms)| normalize(key) == n || synonyms.contains(&n.as_str()))
        .map(|(f, _, _)| *f)
}

/// Parses `--map "Header=field"` options; an unknown field is a usage error.
pub fn parse_maps(maps: &[String]) -> Result<Vec<(String, Field)>, String> {
    maps.iter()
        .map(|m| {
            let (header, field) = m
                .rsplit_once('=')
                .ok_or_else(|| format!("--map `{m}` should look like \"Full name=name\""))?;
            let known = FIELDS.iter().map(|(_, k, _)| *k);
            let f = FIELDS
                .iter()
                .find(|(_, k, _)| *k == field.trim())
                .map(|(f, _, _)| *f)
                .ok_or_else(|| match suggest(field.trim(), known) {
                    Some(s) => format!("--map `{m}`: unknown field `{field}`, did you mean `{s}`?"),
                    None => format!(
                        "--map `{m}`: unknown field `{field}`; fields are {}",
                        FIELDS
                            .iter()
                            .map(|(_, k, _)| *k)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
            Ok((normalize(header), f))
        })
        .collect()
}

/// Which field each column fills: `--map` first, then the synonyms.
fn column_fields(headers: &[String], maps: &[(String, Field)]) -> Vec<Option<Field>> {
    headers
        .iter()
        .map(|h| {
            let n = normalize(h);
            maps.iter()
                .find(|(header, _)| *header == n)
                .map(|(_, f)| *f)
                .or_else(|| field_named(h))
        })
        .collect()
}

/// One row's answers, by field.
#[derive(Debug, Default)]
struct Row {
    values: Vec<(Field, String)>,
}

impl Row {
    fn get(&self, field: Field) -> Option<&str> {
        self.values
            .iter()
            .find(|(f, v)| *f == field && !v.is_empty())
            .map(|(_, v)| v.as_str())
    }

    /// The full name, from a name column or from given and family name columns.
    fn name(&self) -> Option<String> {
        self.get(Field::Name).map(str::to_string).or_else(|| {
            let parts: Vec<&str> = [Field::GivenName, Field::FamilyName]
                .iter()
                .filter_map(|&f| self.get(f))
                .collect();
            (!parts.is_empty()).then(|| parts.join(" "))
        })
    }
}

/// Imports `csv_file` into the members section folder `into`.
pub fn import(csv_file: &Path, into: &Path, maps: &[(String, Field)]) -> Result<Report, String> {
    let text = std::fs::read_to_string(csv_file)
        .map_err(|e| format!("cannot read {}: {e}", csv_file.display()))?;
    let settings = section_settings(into)?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{}: {e}", csv_file.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    let fields = column_fields(&headers, maps);
    if !fields
        .iter()
        .any(|f| matches!(f, Some(Field::Name | Field::GivenName)))
    {
        return Err(format!(
            "{}: no column for the name (headers: {}); add --map \"HEADER=name\"",
            csv_file.display(),
            headers.join(", ")
        ));
    }
    let mut report = Report {
        ignored_columns: headers
            .iter()
            .zip(&fields)
            .filter(|(h, f)| f.is_none() && normalize(h) != "timestamp")
            .map(|(h, _)| h.clone())
            .collect(),
        ..Report::default()
    };
    std::fs::create_dir_all(into).map_err(|e| format!("cannot create {}: {e}", into.display()))?;
    let mut known = known_emails(into);
    for (index, record) in reader.records().enumerate() {
        // Spreadsheet numbering: the header is row 1.
        let row_number = index + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                report
                    .bad_rows
                    .push(row_error(csv_file, row_number, 0, e.to_string()));
                continue;
            }
        };
        let line = record.position().map_or(0, |p| p.line() as usize);
        let row = Row {
            values: fields
                .iter()
                .zip(record.iter())
                .filter_map(|(f, v)| Some(((*f)?, v.trim().to_string())))
                .collect(),
        };
        match member_file(&row, &settings) {
            Err(message) => report
                .bad_rows
                .push(row_error(csv_file, row_number, line, message)),
            Ok(member) => write_new(into, &member, row_number, &mut known, &mut report)?,
        }
    }
    Ok(report)
}

/// The separator of the export: a comma, or the semicolon that spreadsheets use in
/// locales with a decimal comma, or a tab; whichever the header line has most of.
fn delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    [b',', b';', b'\t']
        .into_iter()
        .max_by_key(|&d| (header.matches(char::from(d)).count(), d == b','))
        .unwrap_or(b',')
}

fn row_error(csv_file: &Path, row: usize, line: usize, message: String) -> Diagnostic {
    Diagnostic::at(csv_file, Pos::new(line, 0), format!("row {row}: {message}"))
        .with_hint("fix the row in the spreadsheet (or the CSV) and import again; good rows already imported are kept")
}

/// A member file to write.
#[derive(Debug)]
struct NewMember {
    slug: String,
    /// Lower case, to recognise the member again.
    email: Option<String>,
    contents: String,
}

/// Writes a member file unless the member exists: a file or bundle with that slug, or a
/// member with the same email (someone who changed the spelling of their name).
fn write_new(
    into: &Path,
    member: &NewMember,
    row: usize,
    known: &mut Vec<(String, PathBuf)>,
    report: &mut Report,
) -> Result<(), String> {
    let file = into.join(format!("{}.md", member.slug));
    let bundle = into.join(&member.slug).join("index.md");
    let same_email = member
        .email
        .as_ref()
        .and_then(|e| known.iter().find(|(k, _)| k == e))
        .map(|(_, f)| f);
    if let Some(existing) = [&file, &bundle]
        .into_iter()
        .find(|p| p.exists())
        .or(same_email)
    {
        report.existing.push((row, existing.clone()));
        return Ok(());
    }
    std::fs::write(&file, &member.contents)
        .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
    if let Some(email) = &member.email {
        known.push((email.clone(), file.clone()));
    }
    report.created.push(file);
    Ok(())
}

/// The emails of the members already in `into`, lower case, with their files.
fn known_emails(into: &Path) -> Vec<(String, PathBuf)> {
    walkdir::WalkDir::new(into)
        .max_depth(2)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != "_index.md")
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path()).ok()?;
            let split = front_matter::split(e.path(), &text).ok()?;
            let email = split.table.get("email")?.as_str()?.trim().to_lowercase();
            (!email.is_empty()).then(|| (email, e.path().to_path_buf()))
        })
        .collect()
}

/// The categories of the members section in `into`, when it has an `_index.md`.
fn section_settings(into: &Path) -> Result<MemberSettings, String> {
    let index = into.join("_index.md");
    let Ok(text) = std::fs::read_to_string(&index) else {
        return Ok(MemberSettings::default());
    };
    let split = front_matter::split(&index, &text).map_err(|d| d.to_string())?;
    toml::Value::Table(split.table)
        .try_into()
        .map_err(|e: toml::de::Error| format!("{}: {}", index.display(), e.message()))
}

/// Checks a row and renders its member file.
fn member_file(row: &Row, settings: &MemberSettings) -> Result<NewMember, String> {
    let name = row.name().ok_or("no name")?;
    let slug = slugify(&name);
    if slug.is_empty() {
        return Err(format!("the name `{name}` gives an empty file name"));
    }
    let mut problems = Vec::new();
    if let Some(email) = row.get(Field::Email)
        && !is_valid_email(email)
    {
        problems.push(format!("malformed email `{email}`"));
    }
    if let Some(orcid) = row.get(Field::Orcid)
        && let Err(why) = check_orcid(orcid.trim_start_matches("https://orcid.org/"))
    {
        problems.push(format!("invalid ORCID iD `{orcid}`: {why}"));
    }
    for (key, field) in [("website", Field::Website), ("scholar", Field::Scholar)] {
        if let Some(r) = row
            .get(field)
            .filter(|v| !v.trim().is_empty())
            .and_then(|v| refusal(v, Accepts::SitePath))
        {
            problems.push(format!("`{key}`: {}", r.message));
        }
    }
    let category = match row.get(Field::Category) {
        Some(c) => match declared_category(c, settings) {
            Ok(c) => Some(c),
            Err(why) => {
                problems.push(why);
                None
            }
        },
        None => None,
    };
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(NewMember {
        contents: render(row, &name, category.as_deref()),
        email: row.get(Field::Email).map(str::to_lowercase),
        slug,
    })
}

/// The section's spelling of a category, matched without regard to case.
fn declared_category(answer: &str, settings: &MemberSettings) -> Result<String, String> {
    if settings.categories.is_empty() {
        return Ok(answer.to_string());
    }
    if let Some(c) = settings
        .categories
        .iter()
        .find(|c| c.to_lowercase() == answer.to_lowercase())
    {
        return Ok(c.clone());
    }
    let hint = suggest(answer, settings.categories.iter().map(String::as_str))
        .map(|s| format!(", did you mean `{s}`?"))
        .unwrap_or_else(|| format!(" (categories: {})", settings.categories.join(", ")));
    Err(format!("unknown category `{answer}`{hint}"))
}

/// Splits a multi-answer cell ("ATLAS, QIS; Machine Learning").
fn list(cell: &str) -> Vec<String> {
    cell.split([',', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The member file: TOML front matter in a fixed field order, then the bio.
fn render(row: &Row, name: &str, category: Option<&str>) -> String {
    let string = |s: &str| toml::Value::String(s.to_string()).to_string();
    let array = |items: Vec<String>| {
        toml::Value::Array(items.into_iter().map(toml::Value::String).collect()).to_string()
    };
    let mut lines = vec!["+++".to_string(), format!("name = {}", string(name))];
    let sort_name = row.get(Field::SortName).map(str::to_string).or_else(|| {
        // Separate name columns say which part is the family name; keep that.
        let (given, family) = (row.get(Field::GivenName)?, row.get(Field::FamilyName)?);
        (row.get(Field::Name).is_none() && family.contains(' '))
            .then(|| format!("{family}, {given}"))
    });
    let simple = [
        ("sort_name", sort_name.as_deref()),
        ("category", category),
        ("position", row.get(Field::Position)),
    ];
    lines.extend(
        simple
            .iter()
            .filter_map(|(k, v)| Some(format!("{k} = {}", string((*v)?)))),
    );
    if let Some(groups) = row.get(Field::Groups) {
        lines.push(format!("groups = {}", array(list(groups))));
    }
    let contact = [
        ("email", Field::Email),
        ("phone", Field::Phone),
        ("website", Field::Website),
        ("orcid", Field::Orcid),
        ("github", Field::Github),
        ("scholar", Field::Scholar),
        ("pronouns", Field::Pronouns),
    ];
    lines.extend(
        contact
            .iter()
            .filter_map(|(k, f)| Some(format!("{k} = {}", string(row.get(*f)?)))),
    );
    if let Some(interests) = row.get(Field::Interests) {
        lines.push(format!("interests = {}", array(list(interests))));
    }
    lines.push("+++".into());
    let mut text = lines.join("\n");
    text.push('\n');
    if let Some(bio) = row.get(Field::Bio) {
        text.push('\n');
        text.push_str(&super::html::imported_markdown(bio));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_map_by_synonym_and_by_override() {
        let headers: Vec<String> = [
            "Timestamp",
            "Full name",
            "E-mail Address:",
            "Groups",
            "Favourite colour",
        ]
        .map(String::from)
        .to_vec();
        let fields = column_fields(&headers, &[]);
        assert_eq!(
            fields,
            [
                None,
                Some(Field::Name),
                Some(Field::Email),
                Some(Field::Groups),
                None
            ]
        );
        let maps = parse_maps(&["Favourite colour=pronouns".into()]).unwrap();
        assert_eq!(column_fields(&headers, &maps)[4], Some(Field::Pronouns));
        assert!(
            parse_maps(&["X=emial".into()])
                .unwrap_err()
                .contains("did you mean `email`")
        );
        assert!(parse_maps(&["no equals".into()]).is_err());
    }

    #[test]
    fn the_separator_is_sniffed_from_the_header() {
        assert_eq!(delimiter("Name,Email\n"), b',');
        assert_eq!(delimiter("Name;E-mail;Groups\nA;b@c.org;\"x, y\"\n"), b';');
        assert_eq!(delimiter("Name\tEmail\n"), b'\t');
        assert_eq!(delimiter("Name\n"), b',');
    }

    #[test]
    fn rows_become_toml_that_round_trips() {
        let row = Row {
            values: vec![
                (Field::Name, "Łukasz \"Luke\" Bibrzycki".into()),
                (Field::Email, "lb@example.org".into()),
                (Field::Category, "students".into()),
                (Field::Groups, "ATLAS, QIS; Machine Learning".into()),
                (Field::Bio, "Line one.\r\nLine two.".into()),
            ],
        };
        let settings = MemberSettings {
            categories: vec!["Students".into()],
        };
        let member = member_file(&row, &settings).unwrap();
        let text = member.contents;
        assert_eq!(member.slug, "lukasz-luke-bibrzycki");
        assert_eq!(member.email.as_deref(), Some("lb@example.org"));
        let split = front_matter::split(Path::new("x.md"), &text).unwrap();
        assert_eq!(
            split.table["name"].as_str(),
            Some("Łukasz \"Luke\" Bibrzycki")
        );
        assert_eq!(split.table["category"].as_str(), Some("Students"));
        assert_eq!(split.table["groups"].as_array().unwrap().len(), 3);
        assert_eq!(split.body, "\nLine one.\nLine two.\n");
    }

    #[test]
    fn bad_rows_say_why() {
        let row = |email: &str, category: &str| Row {
            values: vec![
                (Field::Name, "A B".into()),
                (Field::Email, email.into()),
                (Field::Category, category.into()),
            ],
        };
        let settings = MemberSettings {
            categories: vec!["Students".into()],
        };
        let mut scripted = row("a@b.org", "Students");
        scripted
            .values
            .push((Field::Website, " javascript:alert(1)".into()));
        let e = member_file(&scripted, &settings).unwrap_err();
        assert!(
            e.contains("`website`: link ` javascript:alert(1)` has the scheme `javascript:`"),
            "{e}"
        );
        let e = member_file(&row("nope", "Students"), &settings).unwrap_err();
        assert!(e.contains("malformed email `nope`"), "{e}");
        let e = member_file(&row("a@b.org", "Studnets"), &settings).unwrap_err();
        assert!(e.contains("did you mean `Students`"), "{e}");
        assert!(member_file(&Row::default(), &settings).is_err());
    }

    #[test]
    fn split_name_columns_keep_compound_family_names() {
        let row = Row {
            values: vec![
                (Field::GivenName, "Emille Eugenia".into()),
                (Field::FamilyName, "de Oliveira Ishida".into()),
            ],
        };
        let text = member_file(&row, &MemberSettings::default())
            .unwrap()
            .contents;
        assert!(
            text.contains("name = \"Emille Eugenia de Oliveira Ishida\""),
            "{text}"
        );
        assert!(
            text.contains("sort_name = \"de Oliveira Ishida, Emille Eugenia\""),
            "{text}"
        );
    }
}
