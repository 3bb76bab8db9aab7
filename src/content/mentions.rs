//! Which pages name which people, indexed once so that member profiles do not each scan
//! every page of the site.

use std::collections::HashMap;

use super::page::{Page, squash_name};
use super::{SectionKind, Site};

/// Pages naming people, as indices into [`Site::pages`] in site order.
#[derive(Debug, Default)]
pub struct Mentions {
    /// Member slug → posts listing it in `authors`.
    authored: HashMap<String, Vec<usize>>,
    /// Member slug → pages naming that member by slug.
    by_member: HashMap<String, Vec<usize>>,
    /// Squashed name → pages naming a person by that name alone.
    by_name: HashMap<String, Vec<usize>>,
}

impl Mentions {
    /// Indexes the authors and the people of every page.
    pub fn new(pages: &[Page]) -> Self {
        let mut index = Mentions::default();
        for (i, page) in pages.iter().enumerate() {
            if page.kind == SectionKind::Posts {
                for author in &page.front.authors {
                    add(&mut index.authored, author, i);
                }
            }
            for person in &page.people {
                match (&person.member, &person.name) {
                    (Some(slug), _) => add(&mut index.by_member, slug, i),
                    (None, Some(name)) => add(&mut index.by_name, &squash_name(name), i),
                    (None, None) => {}
                }
            }
        }
        index
    }

    /// The posts written by the member with `slug`.
    pub fn posts(&self, slug: &str) -> &[usize] {
        self.authored.get(slug).map_or(&[], Vec::as_slice)
    }

    /// The pages with a person that [`super::PersonRef::names`] the member `slug`, `name`.
    pub fn naming(&self, slug: &str, name: &str) -> Vec<usize> {
        let by_member = self.by_member.get(slug).into_iter().flatten();
        let by_name = self.by_name.get(&squash_name(name)).into_iter().flatten();
        let mut pages: Vec<usize> = by_member.chain(by_name).copied().collect();
        pages.sort_unstable();
        pages.dedup();
        pages
    }
}

/// Adds page `i` under `key`, once however often the page names it.
fn add(map: &mut HashMap<String, Vec<usize>>, key: &str, i: usize) {
    let pages = map.entry(key.to_string()).or_default();
    if pages.last() != Some(&i) {
        pages.push(i);
    }
}

impl Site {
    /// Which pages name which people; built on first use, when rendering, once every
    /// page has its people.
    pub fn mentions(&self) -> &Mentions {
        self.mentions.get_or_init(|| Mentions::new(&self.pages))
    }
}
