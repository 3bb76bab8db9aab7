//! People pages (SPEC §5): the member directory, profiles, group pages and vCards.
//!
//! Builds the views the `members.html`, `member.html` and `group.html` templates see, the
//! jobs for `/groups/GROUP/`, and the `/people/SLUG.vcf` files. Every member appears
//! through one [`MemberCard`], so the directory, group pages and profiles cannot drift.

use std::collections::BTreeMap;

use serde::Serialize;

use super::views::{DateView, Link, Views};
use super::{Job, context_with_meta, insert};
use crate::content::{Page, Role, Section, SectionKind, Site, slugify};
use crate::members::{Member, Status, vcard};
use crate::output::Output;

/// A group a member belongs to, with the page that lists its members.
#[derive(Serialize, Clone)]
pub struct GroupLink {
    pub name: String,
    pub slug: String,
    pub url: String,
}

/// A group with the number of its current members, for the directory's filter.
#[derive(Serialize)]
pub struct GroupCount {
    #[serde(flatten)]
    pub group: GroupLink,
    pub count: usize,
}

/// A photo as `<img>` needs it.
#[derive(Serialize)]
pub struct PhotoView {
    /// The 1× thumbnail.
    pub src: String,
    /// Both thumbnails with their widths (`a.jpg 160w, b.jpg 320w`), so the browser picks
    /// by the size the theme shows them at (`sizes`): a small avatar never loads the 2× file
    /// on an ordinary screen.
    pub srcset: String,
    /// Size of the 1× thumbnail, so the layout does not jump while it loads.
    pub width: u32,
    pub height: u32,
}

/// One member as every list shows them.
#[derive(Serialize)]
pub struct MemberCard<'a> {
    pub name: &'a str,
    pub slug: &'a str,
    pub url: String,
    pub position: Option<&'a str>,
    pub category: Option<&'a str>,
    pub pronouns: Option<&'a str>,
    pub groups: Vec<GroupLink>,
    /// Group slugs separated by spaces, for the filter script's `data-groups`.
    pub group_slugs: String,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// `tel:` link of the phone number.
    pub phone_uri: Option<String>,
    pub photo: Option<PhotoView>,
    /// Shown instead of a missing photo.
    pub initials: String,
    pub alumni: bool,
    /// The `.vcf` download.
    pub vcard: String,
}

/// One category of the directory, in the section's declared order.
#[derive(Serialize)]
pub struct CategoryView<'a> {
    pub name: String,
    /// Fragment id of its tab panel.
    pub id: String,
    pub members: Vec<MemberCard<'a>>,
}

/// The directory, under `directory` in `members.html`.
#[derive(Serialize)]
pub struct Directory<'a> {
    pub categories: Vec<CategoryView<'a>>,
    /// Every current member.
    pub all: Vec<MemberCard<'a>>,
    pub alumni: Vec<MemberCard<'a>>,
    pub groups: Vec<GroupCount>,
}

/// A page that names the member: a post they wrote, a talk they gave, an event they
/// organised or spoke at.
#[derive(Serialize)]
pub struct Mention {
    pub title: String,
    pub url: String,
    pub date: Option<DateView>,
    /// What the member did there (empty for posts).
    pub roles: Vec<Role>,
}

/// A member's profile, under `member` in `member.html`.
#[derive(Serialize)]
pub struct Profile<'a> {
    #[serde(flatten)]
    pub card: MemberCard<'a>,
    pub website: Option<String>,
    pub orcid: Option<Link>,
    pub github: Option<Link>,
    pub scholar: Option<String>,
    pub interests: &'a [String],
    pub joined: Option<String>,
    pub left: Option<String>,
    /// Posts naming the member in `authors`, newest first.
    pub posts: Vec<Mention>,
    /// Talks naming the member as a speaker (`speakers = [{ member = "slug" }]`, or the
    /// member's name), newest first, from every kind but events.
    pub talks: Vec<Mention>,
    /// Events naming the member as organiser, convener or speaker, newest first.
    pub events: Vec<Mention>,
}

/// A member page with its member.
type MemberPage<'a> = (&'a Page, &'a Member);

/// The site path of a group's page.
pub fn group_path(name: &str) -> String {
    format!("groups/{}/", slugify(name))
}

fn group_link(views: &Views, name: &str) -> GroupLink {
    GroupLink {
        name: name.to_string(),
        slug: slugify(name),
        url: views.urls.url(&group_path(name)),
    }
}

/// The site path of a member's vCard: `people/ada/` → `people/ada.vcf`.
pub fn vcard_path(page: &Page) -> String {
    format!("{}.vcf", page.path.trim_end_matches('/'))
}

/// A `tel:` URI keeps only what dialling needs: digits and a leading `+`.
fn phone_uri(phone: &str) -> Option<String> {
    let dial: String = phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    (!dial.is_empty()).then(|| format!("tel:{dial}"))
}

/// The larger thumbnail of a member page's photo, e.g. for Open Graph.
pub fn photo_url(views: &Views, page: &Page) -> Option<String> {
    let thumbs = page.member.as_ref()?.thumbnails.as_ref()?;
    Some(views.urls.url(&thumbs.x2.path))
}

/// The card of a member page.
pub fn card<'a>(views: &Views<'a>, page: &'a Page, member: &'a Member) -> MemberCard<'a> {
    let groups: Vec<GroupLink> = member.groups.iter().map(|g| group_link(views, g)).collect();
    MemberCard {
        name: &member.name,
        slug: &page.slug,
        url: views.urls.url(&page.path),
        position: member.position.as_deref(),
        category: member.category.as_deref(),
        pronouns: member.pronouns.as_deref(),
        group_slugs: groups
            .iter()
            .map(|g| g.slug.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        groups,
        email: member.email.as_deref(),
        phone: member.phone.as_deref(),
        phone_uri: member.phone.as_deref().and_then(phone_uri),
        photo: member.thumbnails.as_ref().map(|t| PhotoView {
            src: views.urls.url(&t.x1.path),
            srcset: format!(
                "{} {}w, {} {}w",
                views.urls.url(&t.x1.path),
                t.x1.width,
                views.urls.url(&t.x2.path),
                t.x2.width
            ),
            width: t.x1.width,
            height: t.x1.height,
        }),
        initials: member.initials(),
        alumni: member.status == Status::Alumni,
        vcard: views.urls.url(&vcard_path(page)),
    }
}

/// Member pages of a section, in its order.
fn members_of<'a>(views: &Views<'a>, section: &Section) -> Vec<MemberPage<'a>> {
    section
        .pages
        .iter()
        .map(|&i| &views.site.pages[i])
        .filter_map(|p| Some((p, p.member.as_ref()?)))
        .collect()
}

/// The directory of a members section.
pub fn directory<'a>(views: &Views<'a>, section: &Section) -> Directory<'a> {
    let members = members_of(views, section);
    let (current, alumni): (Vec<_>, Vec<_>) = members
        .iter()
        .partition(|(_, m)| m.status == Status::Current);
    let declared = section
        .members
        .as_ref()
        .map(|s| s.categories.clone())
        .unwrap_or_default();
    let names = if declared.is_empty() {
        categories_in_use(&current)
    } else {
        declared
    };
    let categories = names
        .into_iter()
        .map(|name| CategoryView {
            id: panel_id(&name),
            members: current
                .iter()
                .filter(|(_, m)| m.category.as_deref() == Some(name.as_str()))
                .map(|(p, m)| card(views, p, m))
                .collect(),
            name,
        })
        .collect();
    let cards = |list: &[&MemberPage<'a>]| -> Vec<MemberCard<'a>> {
        list.iter().map(|(p, m)| card(views, p, m)).collect()
    };
    Directory {
        categories,
        all: cards(&current),
        alumni: cards(&alumni),
        groups: group_counts(views, current.iter().map(|(_, m)| *m)),
    }
}

/// The fragment id of a category's panel; the template's own panels keep theirs, so a
/// category named "Alumni" does not give the page two elements with one id.
fn panel_id(category: &str) -> String {
    let slug = slugify(category);
    if ["all-members", "alumni", ""].contains(&slug.as_str()) {
        format!("category-{slug}").trim_end_matches('-').to_string()
    } else {
        slug
    }
}

/// Categories as they first appear, for a section that declares none.
fn categories_in_use(members: &[&MemberPage]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for (_, m) in members {
        if let Some(c) = &m.category
            && !names.contains(c)
        {
            names.push(c.clone());
        }
    }
    names
}

/// Every group of `members`, by slug, with how many of them belong to it.
fn group_counts<'a>(views: &Views, members: impl Iterator<Item = &'a Member>) -> Vec<GroupCount> {
    let mut groups: BTreeMap<String, GroupCount> = BTreeMap::new();
    for group in members.flat_map(|m| &m.groups) {
        groups
            .entry(slugify(group))
            .or_insert_with(|| GroupCount {
                group: group_link(views, group),
                count: 0,
            })
            .count += 1;
    }
    groups.into_values().collect()
}

/// The profile of a member page.
pub fn profile<'a>(views: &Views<'a>, page: &'a Page, member: &'a Member) -> Profile<'a> {
    let urls = &views.urls;
    Profile {
        card: card(views, page, member),
        website: member
            .website
            .as_deref()
            .map(|w| urls.resolve(w, &page.path)),
        orcid: member.orcid_id().map(|id| Link {
            name: id.to_string(),
            url: format!("https://orcid.org/{id}"),
        }),
        github: member.github.as_deref().map(github_link),
        scholar: member.scholar.clone(),
        interests: &member.interests,
        joined: member.joined.as_ref().map(ToString::to_string),
        left: member.left.as_ref().map(ToString::to_string),
        posts: mentions(views, page, |p| {
            if p.kind == SectionKind::Posts && p.front.authors.contains(&page.slug) {
                Some(Vec::new())
            } else {
                None
            }
        }),
        talks: mentions(views, page, |p| {
            let speaks =
                p.kind != SectionKind::Events && roles_of(p, page, member).contains(&Role::Speaker);
            speaks.then(|| vec![Role::Speaker])
        }),
        events: mentions(views, page, |p| {
            let roles = roles_of(p, page, member);
            (p.kind == SectionKind::Events && !roles.is_empty()).then_some(roles)
        }),
    }
}

/// A GitHub user name or profile URL, as a link named by the user name.
fn github_link(github: &str) -> Link {
    let handle = github
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(github)
        .trim_start_matches('@');
    Link {
        name: handle.to_string(),
        url: format!("https://github.com/{handle}"),
    }
}

/// The roles in which `page` names the member of `profile`, each once.
fn roles_of(page: &Page, profile: &Page, member: &Member) -> Vec<Role> {
    let mut roles: Vec<Role> = Vec::new();
    for r in &page.people {
        if r.names(&profile.slug, &member.name) && !roles.contains(&r.role) {
            roles.push(r.role);
        }
    }
    roles
}

/// Pages for which `roles` says how they name the member of `profile`, newest first.
fn mentions(
    views: &Views,
    profile: &Page,
    roles: impl Fn(&Page) -> Option<Vec<Role>>,
) -> Vec<Mention> {
    let mut found: Vec<(&Page, Vec<Role>)> = views
        .mentions_of(&profile.slug)
        .iter()
        .map(|&i| &views.site.pages[i])
        .filter_map(|p| Some((p, roles(p)?)))
        .collect();
    found.sort_by(|(a, _), (b, _)| {
        b.date
            .cmp(&a.date)
            .then_with(|| a.content_path.cmp(&b.content_path))
    });
    found
        .into_iter()
        .map(|(p, roles)| Mention {
            title: p.title.clone(),
            url: views.urls.url(&p.path),
            date: p.date.as_ref().map(DateView::new),
            roles,
        })
        .collect()
}

/// One page per group, `/groups/GROUP/`: the directory's filter for readers without
/// JavaScript, and a page to link a group from elsewhere.
pub(super) fn group_jobs<'v>(views: &'v Views<'v>) -> Vec<Job<'v>> {
    let mut groups: BTreeMap<String, (String, Vec<MemberPage>)> = BTreeMap::new();
    for section in views
        .site
        .sections
        .iter()
        .filter(|s| s.front.kind == SectionKind::Members)
    {
        for (page, member) in members_of(views, section) {
            for group in &member.groups {
                groups
                    .entry(slugify(group))
                    .or_insert_with(|| (group.clone(), Vec::new()))
                    .1
                    .push((page, member));
            }
        }
    }
    groups
        .into_values()
        .map(|(name, members)| group_job(views, name, members))
        .collect()
}

/// Site paths of every group page, for the sitemap.
pub fn group_paths(site: &Site) -> Vec<String> {
    let mut paths: Vec<String> = site
        .pages
        .iter()
        .filter_map(|p| p.member.as_ref())
        .flat_map(|m| m.groups.iter().map(|g| group_path(g)))
        .collect();
    paths.sort();
    paths.dedup();
    paths
}

fn group_job<'v>(views: &'v Views<'v>, name: String, members: Vec<MemberPage<'v>>) -> Job<'v> {
    let path = group_path(&name);
    // A group page comes from no file of its own; errors point at its members' section.
    let source = members
        .first()
        .map_or(std::path::Path::new("content"), |(p, _)| {
            views.site.sections[p.section].source.as_path()
        });
    let deps = super::Deps::default().kind(SectionKind::Members);
    Job::new(
        format!("{path}index.html"),
        "group.html",
        source,
        deps,
        move || {
            let (current, alumni): (Vec<_>, Vec<_>) = members
                .iter()
                .map(|(p, m)| card(views, p, m))
                .partition(|c| !c.alumni);
            let directory = views
                .site
                .sections
                .iter()
                .find(|s| s.front.kind == SectionKind::Members)
                .map(|s| Link {
                    name: s.title.clone(),
                    url: views.urls.url(&s.path),
                });
            let description = format!("Members of the {name} group.");
            let mut context =
                context_with_meta(views.meta(&name, Some(&description), &path, "website", None));
            context = insert(context, "group", &group_link(views, &name));
            context = insert(context, "members", &current);
            context = insert(context, "alumni", &alumni);
            context = insert(context, "directory", &directory);
            context
        },
    )
}

/// Adds `/people/SLUG.vcf` for every member.
pub fn vcards(views: &Views, output: &mut Output) {
    let site = views.site;
    for page in &site.pages {
        let Some(member) = &page.member else { continue };
        let given = member.given_names();
        let mut urls = vec![views.urls.permalink(&page.path)];
        urls.extend(
            member
                .website
                .as_deref()
                .map(|w| absolute(views, &views.urls.resolve(w, &page.path))),
        );
        let card = vcard::Card {
            name: &member.name,
            family: member.family_name(),
            given: &given,
            email: member.email.as_deref(),
            phone: member.phone.as_deref(),
            urls,
            org: Some(&site.config.title),
            title: member.position.as_deref(),
            photo: member
                .thumbnails
                .as_ref()
                .map(|t| views.urls.permalink(&t.x2.path)),
        };
        output.add_bytes(vcard_path(page), vcard::write(&card).into_bytes());
    }
}

/// A root-relative URL made absolute with the site's host, for files read off-site.
fn absolute(views: &Views, url: &str) -> String {
    match url.strip_prefix(views.urls.base_path) {
        Some(rest) if url.starts_with('/') => views.urls.permalink(rest),
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_become_dialable_uris() {
        assert_eq!(
            phone_uri("(510)486-4606").as_deref(),
            Some("tel:5104864606")
        );
        assert_eq!(
            phone_uri("+41 22 767 1234").as_deref(),
            Some("tel:+41227671234")
        );
        assert_eq!(phone_uri("ask me"), None);
    }

    #[test]
    fn category_panels_never_take_the_template_s_ids() {
        assert_eq!(
            panel_id("Term Staff / Postdoctoral"),
            "term-staff-postdoctoral"
        );
        assert_eq!(panel_id("Alumni"), "category-alumni");
        assert_eq!(panel_id("All Members"), "category-all-members");
        assert_eq!(panel_id("★"), "category");
    }

    #[test]
    fn github_accepts_names_and_urls() {
        assert_eq!(github_link("bnachman").url, "https://github.com/bnachman");
        assert_eq!(github_link("https://github.com/bnachman/").name, "bnachman");
    }
}
