//! The order a reader expects for names: family name first, compared with the Unicode
//! Collation Algorithm tailored to the hub's language.
//!
//! Byte order puts "Łukasz" after "Z", "Ümit" after every ASCII name, and lowercase "de"
//! after uppercase "Z"; a directory sorted that way looks broken. ICU4X's collator with
//! compiled CLDR data sorts "Sözbilir" before "Summers" and keeps case and accents from
//! splitting the list, and a Polish or Turkish hub gets its own alphabet's order.

use std::borrow::Cow;
use std::cmp::Ordering;

use icu_collator::options::CollatorOptions;
use icu_collator::{CollatorBorrowed, CollatorPreferences};
use icu_locale_core::Locale;

use super::Member;

/// Compares names in one language.
pub struct NameOrder {
    collator: CollatorBorrowed<'static>,
}

impl NameOrder {
    /// A collator for the BCP 47 tag `language`; an unknown or malformed tag falls back to
    /// the root collation, which already suits most Latin-script names.
    pub fn new(language: &str) -> Self {
        let locale = Locale::try_from_str(language).unwrap_or(Locale::UNKNOWN);
        let root = || CollatorBorrowed::try_new(Locale::UNKNOWN.into(), CollatorOptions::default());
        let collator = CollatorBorrowed::try_new(
            CollatorPreferences::from(&locale),
            CollatorOptions::default(),
        )
        .or_else(|_| root())
        .expect("the root collation is compiled in");
        NameOrder { collator }
    }

    /// Compares two strings.
    pub fn compare(&self, a: &str, b: &str) -> Ordering {
        self.collator.compare(a, b)
    }

    /// Compares directory entries, each a member or, when its member data failed its
    /// checks, just a title. Both kinds go through the same two keys (sort key, then full
    /// name): comparing members by family name but mixed pairs by title is no total order,
    /// and the standard sort panics on that.
    pub fn compare_entries(
        &self,
        a: (Option<&Member>, &str),
        b: (Option<&Member>, &str),
    ) -> Ordering {
        let (key_a, name_a) = entry_keys(a);
        let (key_b, name_b) = entry_keys(b);
        self.compare(&key_a, &key_b)
            .then_with(|| self.compare(name_a, name_b))
    }
}

/// The sort key and full name of a directory entry (see [`NameOrder::compare_entries`]).
fn entry_keys<'a>((member, title): (Option<&'a Member>, &'a str)) -> (Cow<'a, str>, &'a str) {
    match member {
        Some(m) => (Cow::Owned(sort_key(m)), &m.name),
        None => (Cow::Borrowed(title), title),
    }
}

/// `sort_name` if set, else "Family, Given" guessed from the last word of the name.
pub fn sort_key(member: &Member) -> String {
    match &member.sort_name {
        Some(s) => s.clone(),
        None => {
            let given = member.given_names();
            if given.is_empty() {
                member.name.clone()
            } else {
                format!("{}, {given}", member.family_name())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(language: &str, names: &[&str]) -> Vec<String> {
        let order = NameOrder::new(language);
        let mut v: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| order.compare(a, b));
        v
    }

    #[test]
    fn accents_and_case_do_not_split_the_list() {
        assert_eq!(
            sorted(
                "en",
                &[
                    "Summers",
                    "Żak",
                    "Sözbilir",
                    "de Vries",
                    "Zimmer",
                    "Lopez",
                    "Łęcka",
                    "Mann"
                ]
            ),
            [
                "de Vries",
                "Łęcka",
                "Lopez",
                "Mann",
                "Sözbilir",
                "Summers",
                "Żak",
                "Zimmer"
            ]
        );
    }

    #[test]
    fn the_language_tailors_the_alphabet() {
        // Turkish and Polish treat Ş and Ż as letters of their own.
        assert_eq!(sorted("tr", &["Şen", "Sun"]), ["Sun", "Şen"]);
        assert_eq!(sorted("en", &["Şen", "Sun"]), ["Şen", "Sun"]);
        assert_eq!(sorted("pl", &["Żak", "Zzz"]), ["Zzz", "Żak"]);
        assert_eq!(sorted("pl", &["Łęcka", "Lopez"]), ["Lopez", "Łęcka"]);
        assert_eq!(sorted("not a tag!", &["b", "a"]), ["a", "b"]);
    }

    #[test]
    fn keys_put_the_family_name_first() {
        let m = |name: &str| Member {
            name: name.into(),
            ..Member::default()
        };
        assert_eq!(sort_key(&m("Łukasz Bibrzycki")), "Bibrzycki, Łukasz");
        assert_eq!(sort_key(&m("Plato")), "Plato");
    }
}
