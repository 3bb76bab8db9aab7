//! Members: the people of a hub (SPEC §3.2).
//!
//! Owns the typed member model parsed from the front matter of pages in a
//! `kind = "members"` section, the section's settings (its categories), the checks that
//! make a typo an error with file and line (ORCID checksum, unknown category, malformed
//! email, duplicate slug), the reader's order of names ([`collation`]), photo thumbnails
//! ([`photos`]) and vCards ([`vcard`]). Rendering the directory lives in `render::people`.

pub mod collation;
pub mod photos;
pub mod vcard;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Pos, suggest};
use crate::front_matter::locate_key;

/// Settings of a members section (`_index.md`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct MemberSettings {
    /// Category names in display order; a member's `category` must be one of them.
    pub categories: Vec<String>,
}

/// Whether a member is still in the group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Current,
    Alumni,
}

/// A year (`2019`) or a date (`2019-09-01`), kept as written: it is only ever shown.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Since {
    Year(i64),
    Text(String),
}

impl std::fmt::Display for Since {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Since::Year(y) => write!(f, "{y}"),
            Since::Text(t) => f.write_str(t),
        }
    }
}

/// One member, from the front matter of their page; the body is the bio.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Member {
    pub name: String,
    /// How the name sorts: `Ishida, Emille Eugenia de Oliveira`. Guessed when unset.
    pub sort_name: Option<String>,
    pub category: Option<String>,
    pub position: Option<String>,
    pub groups: Vec<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    /// The 16-character iD (`0000-0002-1825-0097`); a full `https://orcid.org/…` URL is
    /// accepted and reduced to the iD.
    pub orcid: Option<String>,
    /// A GitHub user name (or profile URL).
    pub github: Option<String>,
    /// A Google Scholar profile URL.
    pub scholar: Option<String>,
    pub pronouns: Option<String>,
    /// As written: `portrait.jpg` in the bundle, or `/images/x.jpg` under `static/`.
    pub photo: Option<String>,
    pub status: Status,
    pub joined: Option<Since>,
    pub left: Option<Since>,
    pub interests: Vec<String>,
    /// The photo's file on disk and where `photo` is written, set by [`check`].
    #[serde(skip)]
    pub photo_source: Option<PhotoSource>,
    /// Thumbnails, filled in by the build's photo step ([`photos::make_thumbnails`]).
    #[serde(skip)]
    pub thumbnails: Option<photos::Thumbnails>,
}

/// Where a member's photo comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoSource {
    /// Absolute path of the image.
    pub file: PathBuf,
    /// The `photo` line of the member's file, for messages about the image.
    pub pos: Pos,
}

impl Member {
    /// Treats blank fields as unset: `podium new member` writes `email = ""` as a
    /// placeholder, and a form answer left empty means "not given", not a broken value.
    fn clear_blanks(&mut self) {
        let fields = [
            &mut self.sort_name,
            &mut self.category,
            &mut self.position,
            &mut self.email,
            &mut self.phone,
            &mut self.website,
            &mut self.orcid,
            &mut self.github,
            &mut self.scholar,
            &mut self.pronouns,
            &mut self.photo,
        ];
        for field in fields {
            if field.as_deref().is_some_and(|v| v.trim().is_empty()) {
                *field = None;
            }
        }
        self.groups.retain(|g| !g.trim().is_empty());
        self.interests.retain(|i| !i.trim().is_empty());
    }

    /// The ORCID iD without any URL prefix.
    pub fn orcid_id(&self) -> Option<&str> {
        self.orcid.as_deref().map(strip_orcid_prefix)
    }

    /// The family name, for `N` in vCards and the default sort key: the part of
    /// `sort_name` before its comma, else the last word of the name.
    pub fn family_name(&self) -> &str {
        match &self.sort_name {
            Some(s) => s.split(',').next().unwrap_or(s).trim(),
            None => self.name.split_whitespace().last().unwrap_or(&self.name),
        }
    }

    /// Everything of the name that is not the family name.
    pub fn given_names(&self) -> String {
        let family = self.family_name();
        match self.name.rfind(family) {
            Some(i) if !family.is_empty() => {
                let (before, after) = (&self.name[..i], &self.name[i + family.len()..]);
                format!("{} {}", before.trim(), after.trim())
                    .trim()
                    .to_string()
            }
            _ => self.name.clone(),
        }
    }

    /// Up to two letters for the placeholder shown instead of a missing photo.
    pub fn initials(&self) -> String {
        let first = self.name.split_whitespace().next();
        let last = Some(self.family_name()).filter(|f| Some(*f) != first);
        first
            .into_iter()
            .chain(last)
            .filter_map(|w| w.chars().next())
            .flat_map(char::to_uppercase)
            .collect()
    }
}

/// What [`check`] needs to know about the file a member comes from.
pub struct Origin<'a> {
    /// Path relative to the hub root, for messages.
    pub source: &'a Path,
    /// The raw front matter, to find the line of a field.
    pub raw: &'a str,
    /// The hub's root folder, for photos under `static/`.
    pub root: &'a Path,
    /// The folder relative photo paths start from (the bundle, or the file's folder).
    pub dir: &'a Path,
}

impl Origin<'_> {
    /// An error at the line of `key`.
    fn error(&self, key: &str, message: String) -> Diagnostic {
        Diagnostic::at(
            self.source,
            locate_key(self.raw, None, key).shifted(1),
            message,
        )
    }
}

/// Checks a member against SPEC §3.2 and resolves its photo; every problem is reported.
pub fn check(
    member: &mut Member,
    settings: &MemberSettings,
    origin: &Origin,
) -> Result<(), Vec<Diagnostic>> {
    member.clear_blanks();
    let mut errors = Vec::new();
    if let Some(d) = check_category(member, settings, origin) {
        errors.push(d);
    }
    if let Some(email) = &member.email
        && !is_valid_email(email)
    {
        errors.push(
            origin
                .error("email", format!("malformed email `{email}`"))
                .with_hint("an email looks like `name@example.org`"),
        );
    }
    if let Some(id) = member.orcid_id()
        && let Err(why) = check_orcid(id)
    {
        errors.push(
            origin
                .error("orcid", format!("invalid ORCID iD `{id}`: {why}"))
                .with_hint("copy the iD from your ORCID record, e.g. `0000-0002-1825-0097`"),
        );
    }
    match resolve_photo(member, origin) {
        Ok(source) => member.photo_source = source,
        Err(d) => errors.push(d),
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

fn check_category(
    member: &Member,
    settings: &MemberSettings,
    origin: &Origin,
) -> Option<Diagnostic> {
    let category = member.category.as_deref()?;
    if settings.categories.is_empty() || settings.categories.iter().any(|c| c == category) {
        return None;
    }
    let known = settings.categories.iter().map(String::as_str);
    let d = origin.error("category", format!("unknown category `{category}`"));
    Some(match suggest(category, known) {
        Some(s) => d.with_hint(format!("did you mean `{s}`?")),
        None => d.with_hint(format!(
            "the section's categories are: {}",
            settings.categories.join(", ")
        )),
    })
}

/// Finds the photo's file: under `static/` for a root-absolute path, else beside the page.
fn resolve_photo(member: &Member, origin: &Origin) -> Result<Option<PhotoSource>, Diagnostic> {
    let Some(photo) = member.photo.as_deref() else {
        return Ok(None);
    };
    let file = match photo.strip_prefix('/') {
        Some(rest) => origin.root.join("static").join(rest),
        None => origin.dir.join(photo),
    };
    let pos = locate_key(origin.raw, None, "photo").shifted(1);
    if photo.contains("://") {
        return Err(Diagnostic::at(origin.source, pos, format!("photo `{photo}` is not a file of the hub"))
            .with_hint("download the image into the member's bundle folder: pages load nothing from other hosts, and thumbnails need the file"));
    }
    if !file.is_file() {
        return Err(Diagnostic::at(origin.source, pos, format!("photo `{photo}` not found"))
            .with_hint("put the image in the member's bundle folder, or under static/ and start the path with `/`"));
    }
    // `..` or a link may lead anywhere; a photo is published, so it must be the hub's.
    if let Err(refused) = crate::hub_files::check_file(origin.root, &file) {
        let message = format!("photo `{photo}`: {}", refused.message);
        let d = Diagnostic::at(origin.source, pos, message);
        return Err(Diagnostic {
            hint: refused.hint,
            ..d
        });
    }
    photos::check_format(&file).map_err(|why| {
        Diagnostic::at(origin.source, pos, format!("photo `{photo}` {why}"))
            .with_hint("use a JPEG, PNG or WebP image")
    })?;
    Ok(Some(PhotoSource { file, pos }))
}

/// A deliberately plain check: one `@`, something before it, a dotted domain after it,
/// and nothing a mail client would choke on. It catches typos, not every RFC 5322 oddity.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let labels: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c))
        && labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn strip_orcid_prefix(orcid: &str) -> &str {
    let trimmed = orcid.trim().trim_end_matches('/');
    ["https://orcid.org/", "http://orcid.org/", "orcid.org/"]
        .iter()
        .find_map(|p| trimmed.strip_prefix(p))
        .unwrap_or(trimmed)
}

/// Checks an ORCID iD's form and its ISO 7064 MOD 11-2 check character, which catches
/// every single-digit typo and most swaps of neighbouring digits.
pub fn check_orcid(id: &str) -> Result<(), String> {
    let chars: Vec<char> = id.chars().filter(|&c| c != '-').collect();
    let well_formed = id.len() == 19
        && id
            .chars()
            .enumerate()
            .all(|(i, c)| (i % 5 == 4) == (c == '-'))
        && chars.len() == 16
        && chars[..15].iter().all(char::is_ascii_digit)
        && (chars[15].is_ascii_digit() || chars[15] == 'X');
    if !well_formed {
        return Err("expected four groups of four digits, like 0000-0002-1825-0097".into());
    }
    let expected = orcid_check_char(&chars[..15]);
    if chars[15] == expected {
        Ok(())
    } else {
        Err(format!(
            "its check character is `{}` but the digits give `{expected}`",
            chars[15]
        ))
    }
}

/// ISO 7064 MOD 11-2 over the first 15 digits.
fn orcid_check_char(digits: &[char]) -> char {
    let total = digits
        .iter()
        .filter_map(|c| c.to_digit(10))
        .fold(0, |total, d| (total + d) * 2);
    match (12 - total % 11) % 11 {
        10 => 'X',
        n => char::from_digit(n, 10).unwrap_or('0'),
    }
}

/// One member page, for the duplicate-slug check.
pub struct SlugUse<'a> {
    pub slug: &'a str,
    pub source: &'a Path,
    /// The `slug` line when the slug is written, else the top of the file.
    pub pos: Pos,
}

/// Member slugs must be unique across every members section: posts and talks name
/// members by slug alone, so two members with one slug would make those links ambiguous.
pub fn duplicate_slugs(uses: &[SlugUse]) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for (i, u) in uses.iter().enumerate() {
        if let Some(first) = uses[..i].iter().find(|o| o.slug == u.slug) {
            errors.push(
                Diagnostic::at(
                    u.source,
                    u.pos,
                    format!(
                        "duplicate member slug `{}`, already used by {}",
                        u.slug,
                        first.source.display()
                    ),
                )
                .with_hint("set a different `slug` in one of the two files"),
            );
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn orcid_checksums() {
        assert_eq!(check_orcid("0000-0002-1825-0097"), Ok(()));
        assert_eq!(check_orcid("0000-0001-5109-3700"), Ok(()));
        assert_eq!(check_orcid("0000-0002-1694-233X"), Ok(()));
        assert!(
            check_orcid("0000-0002-1825-0098")
                .unwrap_err()
                .contains("`7`")
        );
        assert!(check_orcid("0000-0002-1825-009").is_err());
        assert!(check_orcid("0000000218250097").is_err());
        assert_eq!(
            strip_orcid_prefix("https://orcid.org/0000-0002-1825-0097/"),
            "0000-0002-1825-0097"
        );
    }

    #[test]
    fn emails() {
        for good in ["BPNachman@lbl.gov", "a.b+c@example.org", "ü@bücher.de"] {
            assert!(is_valid_email(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "a@@b.org",
            "a b@c.org",
            "@c.org",
            "a@.org",
            "a..b@c.org",
            "a@c.org.",
        ] {
            assert!(!is_valid_email(bad), "{bad}");
        }
    }

    #[test]
    fn family_and_given_names() {
        let m = |name: &str, sort: Option<&str>| Member {
            name: name.into(),
            sort_name: sort.map(Into::into),
            ..Member::default()
        };
        let ben = m("Benjamin Nachman", None);
        assert_eq!(
            (ben.family_name(), ben.given_names().as_str()),
            ("Nachman", "Benjamin")
        );
        assert_eq!(ben.initials(), "BN");
        let emille = m(
            "Emille Eugenia de Oliveira Ishida",
            Some("Ishida, Emille Eugenia de Oliveira"),
        );
        assert_eq!(emille.family_name(), "Ishida");
        assert_eq!(emille.given_names(), "Emille Eugenia de Oliveira");
        assert_eq!(m("Łukasz Bibrzycki", None).initials(), "ŁB");
        assert_eq!(m("Plato", None).initials(), "P");
    }

    #[test]
    fn blank_fields_are_unset() {
        let mut m = Member {
            name: "A".into(),
            email: Some(String::new()),
            category: Some(" ".into()),
            groups: vec![String::new(), "QIS".into()],
            ..Member::default()
        };
        let origin = Origin {
            source: Path::new("a.md"),
            raw: "",
            root: Path::new("."),
            dir: Path::new("."),
        };
        let settings = MemberSettings {
            categories: vec!["Students".into()],
        };
        assert_eq!(check(&mut m, &settings, &origin), Ok(()));
        assert_eq!(
            (m.email, m.category, m.groups),
            (None, None, vec!["QIS".to_string()])
        );
    }

    #[test]
    fn duplicate_slugs_name_both_files() {
        let uses = [
            SlugUse {
                slug: "a",
                source: Path::new("x.md"),
                pos: Pos::new(1, 1),
            },
            SlugUse {
                slug: "b",
                source: Path::new("y.md"),
                pos: Pos::new(1, 1),
            },
            SlugUse {
                slug: "a",
                source: Path::new("z.md"),
                pos: Pos::new(3, 1),
            },
        ];
        let errors = duplicate_slugs(&uses);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string().lines().next().unwrap(),
            "error: z.md:3:1: duplicate member slug `a`, already used by x.md"
        );
    }
}
