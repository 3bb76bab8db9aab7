//! The member directory end to end: the real `podium` binary builds fixture hubs from
//! `tests/hubs/people*/` (copied to a temporary folder, with generated photos) and the
//! output is read back with an HTML parser, the `ical` crate's vCard parser and the
//! `image` crate.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use image::{ImageEncoder, Rgb, RgbImage};
use scraper::{Html, Selector};

const NOW: &str = "2021-06-01T12:00:00Z";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/hubs")
        .join(name)
}

/// A private copy of a fixture hub, so builds can write their cache beside it.
fn copy_hub(name: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let hub = tmp.path().join("hub");
    let from = fixture(name);
    for entry in walkdir::WalkDir::new(&from) {
        let entry = entry.unwrap();
        let target = hub.join(entry.path().strip_prefix(&from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    (tmp, hub)
}

fn podium(hub: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_podium"))
        .arg("--root")
        .arg(hub)
        .args(args)
        .output()
        .unwrap()
}

fn build(hub: &Path, out: &Path) -> Output {
    podium(
        hub,
        &["build", "--output", out.to_str().unwrap(), "--now", NOW],
    )
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn build_ok(hub: &Path, out: &Path) -> String {
    let o = build(hub, out);
    assert!(o.status.success(), "build failed:\n{}", stderr(&o));
    stderr(&o)
}

fn page(out: &Path, path: &str) -> Html {
    let text = std::fs::read_to_string(out.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
    Html::parse_document(&text)
}

fn texts(html: &Html, selector: &str) -> Vec<String> {
    let s = Selector::parse(selector).unwrap();
    html.select(&s)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

fn attrs(html: &Html, selector: &str, attr: &str) -> Vec<String> {
    let s = Selector::parse(selector).unwrap();
    html.select(&s)
        .filter_map(|e| e.value().attr(attr).map(str::to_string))
        .collect()
}

/// Noise, so the encoded photo is as large as a real one and cannot compress to nothing.
fn noisy(width: u32, height: u32, colour: impl Fn(u32, u32) -> [u8; 3]) -> RgbImage {
    let mut state = 0x2545_f491_u32;
    RgbImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state % 40) as u8;
        let [r, g, b] = colour(x, y);
        Rgb([
            r.saturating_add(n),
            g.saturating_add(n),
            b.saturating_add(n),
        ])
    })
}

/// A TIFF block holding only the EXIF orientation tag, in the form JPEG's APP1 carries.
fn exif_orientation(value: u8) -> Vec<u8> {
    let mut t = b"II*\0\x08\0\0\0\x01\0".to_vec();
    t.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, value, 0, 0, 0]);
    t.extend_from_slice(&[0, 0, 0, 0]);
    t
}

/// Writes the fixture's photos: a portrait stored sideways with EXIF orientation 6 (as
/// phones do: red on top and blue below once turned upright), and a square PNG.
fn write_photos(hub: &Path) {
    let upright = noisy(600, 800, |_, y| {
        if y < 400 {
            [200, 20, 20]
        } else {
            [20, 20, 200]
        }
    });
    let stored = image::imageops::rotate270(&upright);
    assert_eq!(stored.dimensions(), (800, 600));
    let mut jpeg = Vec::new();
    let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 95);
    encoder.set_exif_metadata(exif_orientation(6)).unwrap();
    encoder
        .write_image(&stored, 800, 600, image::ExtendedColorType::Rgb8)
        .unwrap();
    std::fs::create_dir_all(hub.join("static/photos")).unwrap();
    std::fs::write(hub.join("static/photos/tall.jpg"), jpeg).unwrap();
    noisy(500, 500, |x, _| [(x / 2) as u8, 120, 80])
        .save(hub.join("content/people/umit-sozbilir/portrait.png"))
        .unwrap();
}

fn people_hub() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (tmp, hub) = copy_hub("people");
    write_photos(&hub);
    let out = tmp.path().join("public");
    (tmp, hub, out)
}

#[test]
fn the_directory_is_in_the_order_a_reader_expects() {
    let (_tmp, hub, out) = people_hub();
    build_ok(&hub, &out);
    let html = page(&out, "people/index.html");
    assert_eq!(
        texts(&html, "#all-members .person-name a"),
        [
            "alice adams",
            "Łukasz Bibrzycki",
            "Şaban Dalaman",
            "Emille Eugenia de Oliveira Ishida",
            "Tom Lewis",
            "Anna Łuczak",
            "Ümit Sözbilir",
            "Carol Summers",
            "Zuzanna Żak",
            "Bob Zimmerman",
        ]
    );
    assert_eq!(texts(&html, "#alumni .person-name a"), ["Mia Lyons"]);
    // Categories in their declared order, each sorted the same way.
    assert_eq!(
        texts(&html, ".panel > h2"),
        [
            "Scientific Staff",
            "Term Staff / Postdoctoral",
            "Students",
            "Engineering / Technical / Admin",
            "Affiliates",
            "All Members",
            "Alumni",
        ]
    );
    assert_eq!(
        texts(&html, "#students .person-name a"),
        ["alice adams", "Şaban Dalaman", "Anna Łuczak", "Zuzanna Żak"]
    );
    // Contact links work as links, and every link stays under the sub-path.
    assert!(attrs(&html, "#all-members a.phone", "href").contains(&"tel:+48125550100".into()));
    assert!(
        attrs(&html, "#all-members a.email", "href").contains(&"mailto:lukasz@example.org".into())
    );
    for href in attrs(&html, "main a", "href") {
        assert!(
            href.starts_with("/hub/") || href.starts_with('#') || href.contains(':'),
            "{href}"
        );
    }
    // Without JavaScript, the group filter is a set of links to group pages.
    let groups = attrs(&html, ".group-filter a", "href");
    assert_eq!(
        groups,
        [
            "/hub/groups/atlas/",
            "/hub/groups/machine-learning/",
            "/hub/groups/qis/"
        ]
    );
    assert!(out.join("people.js").is_file());
}

#[test]
fn group_pages_list_their_members() {
    let (_tmp, hub, out) = people_hub();
    build_ok(&hub, &out);
    let ml = page(&out, "groups/machine-learning/index.html");
    assert_eq!(texts(&ml, "h1"), ["Machine Learning"]);
    assert_eq!(
        texts(&ml, ".person-name a"),
        ["Łukasz Bibrzycki", "Ümit Sözbilir"]
    );
    let qis = page(&out, "groups/qis/index.html");
    assert_eq!(texts(&qis, ".person-name a"), ["Şaban Dalaman"]);
}

#[test]
fn every_vcard_parses_and_says_who() {
    let (_tmp, hub, out) = people_hub();
    build_ok(&hub, &out);
    let mut cards = BTreeMap::new();
    for entry in std::fs::read_dir(out.join("people")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "vcf") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                !text.replace("\r\n", "").contains('\n'),
                "CRLF only: {path:?}"
            );
            let mut parser = ical::VcardParser::new(text.as_bytes());
            let card = parser.next().expect("one card").expect("a valid card");
            assert!(parser.next().is_none());
            let props: BTreeMap<String, String> = card
                .properties
                .into_iter()
                .map(|p| (p.name, p.value.unwrap_or_default()))
                .collect();
            let stem = path.file_stem().unwrap().to_string_lossy().into_owned();
            cards.insert(stem, props);
        }
    }
    assert_eq!(cards.len(), 11, "{:?}", cards.keys());
    let lukasz = &cards["lukasz-bibrzycki"];
    assert_eq!(lukasz["VERSION"], "4.0");
    assert_eq!(lukasz["FN"], "Łukasz Bibrzycki");
    assert_eq!(lukasz["N"], "Bibrzycki;Łukasz;;;");
    assert_eq!(lukasz["EMAIL"], "lukasz@example.org");
    assert_eq!(lukasz["TEL"], "+48 12 555 0100");
    assert_eq!(lukasz["TITLE"], "Staff Scientist");
    assert_eq!(lukasz["ORG"], "People fixture");
    let photo = lukasz["PHOTO"]
        .strip_prefix("https://example.org/hub/")
        .unwrap();
    assert!(out.join(photo).is_file(), "{photo}");
    let emille = &cards["emille-ishida"];
    assert_eq!(emille["N"], "Ishida;Emille Eugenia de Oliveira;;;");
    // The profile offers the card.
    let profile = page(&out, "people/lukasz-bibrzycki/index.html");
    assert!(
        attrs(&profile, "a[download]", "href").contains(&"/hub/people/lukasz-bibrzycki.vcf".into())
    );
}

fn dimensions(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap()
}

/// Cache files with their modification times.
fn cache_state(hub: &Path) -> BTreeMap<PathBuf, std::time::SystemTime> {
    std::fs::read_dir(hub.join(".podium-cache/thumbs"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.path(), e.metadata().unwrap().modified().unwrap())
        })
        .collect()
}

#[test]
fn thumbnails_are_small_upright_and_made_once() {
    let (_tmp, hub, out) = people_hub();
    let first = build_ok(&hub, &out);
    assert!(
        first.contains("Thumbnails: 4 resized, 0 from the cache"),
        "{first}"
    );
    let profile = page(&out, "people/lukasz-bibrzycki/index.html");
    let src = attrs(&profile, "img.profile-photo", "src");
    let srcset = attrs(&profile, "img.profile-photo", "srcset");
    assert_eq!(src.len(), 1);
    let x1 = out.join(src[0].strip_prefix("/hub/").unwrap());
    assert_eq!(srcset[0].matches(", ").count(), 1, "{}", srcset[0]);
    let (x2_url, x2_width) = srcset[0]
        .rsplit(", ")
        .next()
        .unwrap()
        .split_once(' ')
        .unwrap();
    assert_eq!(x2_width, "240w");
    let x2 = out.join(x2_url.strip_prefix("/hub/").unwrap());
    // The source is stored 800×600 with "rotate 90°": upright it is 600×800.
    assert_eq!(dimensions(&x1), (120, 160));
    assert_eq!(dimensions(&x2), (240, 320));
    let source = hub.join("static/photos/tall.jpg");
    for thumb in [&x1, &x2] {
        let len = std::fs::metadata(thumb).unwrap().len();
        assert!(len < std::fs::metadata(&source).unwrap().len());
    }
    let img = image::open(&x2).unwrap().to_rgb8();
    let top = img.get_pixel(120, 20);
    let bottom = img.get_pixel(120, 300);
    assert!(top[0] > 150 && top[2] < 100, "red on top: {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "blue below: {bottom:?}");
    // Profiles share the photo with link previews, and group pages are in the sitemap.
    assert_eq!(
        attrs(&profile, "meta[property='og:image']", "content"),
        [format!("https://example.org{x2_url}")]
    );
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://example.org/hub/groups/qis/</loc>"));
    // The PNG becomes square thumbnails, smaller than the source.
    let umit = page(&out, "people/umit-sozbilir/index.html");
    let umit_src = attrs(&umit, "img.profile-photo", "src");
    assert_eq!(
        dimensions(&out.join(umit_src[0].strip_prefix("/hub/").unwrap())),
        (160, 160)
    );
    // No photo: initials, not a broken image.
    let zak = page(&out, "people/zuzanna-zak/index.html");
    assert!(attrs(&zak, "img.profile-photo", "src").is_empty());
    assert_eq!(texts(&zak, ".profile-photo.initials"), ["ZŻ"]);

    let cached = cache_state(&hub);
    assert_eq!(cached.len(), 4);
    let second = build_ok(&hub, &out);
    assert!(
        second.contains("Thumbnails: 0 resized, 4 from the cache"),
        "{second}"
    );
    assert_eq!(cache_state(&hub), cached, "the cache is not rewritten");
    assert_eq!(dimensions(&x2), (240, 320));
}

#[test]
fn profiles_list_the_posts_and_talks_that_name_the_member() {
    let (_tmp, hub, out) = people_hub();
    build_ok(&hub, &out);
    let lukasz = page(&out, "people/lukasz-bibrzycki/index.html");
    assert_eq!(texts(&lukasz, "h1"), ["Łukasz Bibrzycki"]);
    assert_eq!(
        texts(&lukasz, "#posts-heading + ul a"),
        ["A post by Łukasz and a guest"]
    );
    assert!(texts(&lukasz, "#talks-heading").is_empty());
    assert_eq!(
        attrs(&lukasz, "a[href^='https://orcid.org/']", "href"),
        ["https://orcid.org/0000-0002-1825-0097"]
    );
    assert_eq!(
        texts(&lukasz, ".tags[aria-label=Groups] a"),
        ["ATLAS", "Machine Learning"]
    );
    let umit = page(&out, "people/umit-sozbilir/index.html");
    assert_eq!(
        texts(&umit, "#talks-heading + ul a"),
        ["Graph networks for tracking"]
    );
    assert!(texts(&umit, "#posts-heading").is_empty());
    // Names match too (case and spacing aside): events and the `speaker` shorthand.
    let carol = page(&out, "people/carol-summers/index.html");
    assert_eq!(
        texts(&carol, "#events-heading + ul a"),
        ["Spring school on learning"]
    );
    assert!(texts(&carol, "#events-heading + ul li")[0].contains("(organiser)"));
    let tom = page(&out, "people/tom-lewis/index.html");
    assert_eq!(
        texts(&tom, "#talks-heading + ul a"),
        ["A talk by a member named by name only"]
    );
    // The post links its member author to the profile and leaves the guest as text.
    let post = page(&out, "news/first-post/index.html");
    assert!(attrs(&post, ".meta a", "href").contains(&"/hub/people/lukasz-bibrzycki/".into()));
    assert!(texts(&post, ".meta").iter().any(|t| t.contains("A Guest")));
}

#[test]
fn member_mistakes_are_errors_with_file_and_line() {
    let (tmp, hub) = copy_hub("people-errors");
    let o = build(&hub, &tmp.path().join("public"));
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for expected in [
        "content/people/bad-orcid.md:5:1: invalid ORCID iD `0000-0002-1825-0098`",
        "content/people/bad-category.md:3:1: unknown category `Student`",
        "did you mean `Students`?",
        "content/people/bad-email.md:4:1: malformed email `nobody-at-example.org`",
        "content/people/second.md:4:1: duplicate member slug `same`, already used by content/people/first.md",
        "content/people/bad-photo.md:3:1: photo `missing.jpg` not found",
        "content/people/remote-photo.md:4:1: photo `https://example.org/me.jpg` is not a file of the hub",
    ] {
        assert!(err.contains(expected), "missing `{expected}` in:\n{err}");
    }
    assert!(!err.contains("has the same URL"), "reported once:\n{err}");
    assert!(!tmp.path().join("public").exists());
    // A blank field is unset, not malformed (`podium new member` writes `email = ""`).
    assert!(!err.contains("remote-photo.md:3"), "{err}");
}

/// Every file under `dir` with its contents.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

fn import(hub: &Path, csv: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "import",
        "members",
        csv.to_str().unwrap(),
        "--into",
        "content/people",
    ];
    args.extend(extra);
    podium(hub, &args)
}

#[test]
fn importing_a_form_export_adds_members_once() {
    let (tmp, hub, out) = people_hub();
    let categories = [
        "Scientific Staff",
        "students",
        "Affiliates",
        "Term Staff / Postdoctoral",
    ];
    let mut csv =
        String::from("Timestamp,Full name,Email address,Category,Groups,Phone,Website,Short bio\n");
    for i in 0..100 {
        csv.push_str(&format!(
            "2020/11/05 10:{:02}:00,Ñandú Ölçer {i:03},member{i}@example.org,{},\"ATLAS, QIS\",(510) 555-{i:04},https://example.org/{i},\"Works on things, \"\"mostly\"\" ML.\"\n",
            i % 60,
            categories[i % 4],
        ));
    }
    let file = tmp.path().join("responses.csv");
    std::fs::write(&file, csv).unwrap();
    let before = snapshot(&hub.join("content/people"));
    let o = import(&hub, &file, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let after = snapshot(&hub.join("content/people"));
    assert_eq!(after.len(), before.len() + 100);
    assert!(hub.join("content/people/nandu-olcer-007.md").is_file());
    build_ok(&hub, &out);
    let html = page(&out, "people/index.html");
    let all = texts(&html, "#all-members .person-name a");
    assert_eq!(all.len(), 110);
    assert_eq!(all.iter().filter(|n| n.starts_with("Ñandú")).count(), 100);
    assert_eq!(texts(&html, "#students .person-name a").len(), 4 + 25);
    // A re-import finds everyone already there and changes nothing.
    let o = import(&hub, &file, &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("Imported 0 new members"));
    assert_eq!(snapshot(&hub.join("content/people")), after);
}

#[test]
fn a_bad_row_is_reported_by_row_number_and_not_written() {
    let (_tmp, hub, _out) = people_hub();
    // Relative paths are taken from the hub, like `--into`.
    let file = Path::new("bad.csv");
    std::fs::write(
        hub.join(file),
        "Nom complet,E-mail\nGood One,good@example.org\nBad Two,bad-at-example.org\nGood Three,\n",
    )
    .unwrap();
    let o = import(&hub, file, &["--map", "Nom complet=name"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("row 3: malformed email `bad-at-example.org`"),
        "{err}"
    );
    let people = hub.join("content/people");
    assert!(people.join("good-one.md").is_file());
    assert!(people.join("good-three.md").is_file());
    assert!(!people.join("bad-two.md").exists());
    // A member is recognised by email too: a new spelling of a name is not a new member.
    std::fs::write(
        hub.join(file),
        "Nom complet,E-mail\nÜmit Sözbilir-Renamed,UMIT@example.org\nGood One,\n",
    )
    .unwrap();
    let before = snapshot(&people);
    let o = import(&hub, file, &["--map", "Nom complet=name"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let notes = stderr(&o);
    assert!(
        notes.contains("row 2: ") && notes.contains("umit-sozbilir/index.md already exists"),
        "{notes}"
    );
    assert!(
        notes.contains("row 3: ") && notes.contains("good-one.md already exists"),
        "{notes}"
    );
    assert_eq!(snapshot(&people), before);
    // Without --map the name column is not found: a usage error, nothing written.
    let o = import(&hub, file, &[]);
    assert_eq!(o.status.code(), Some(2));
}
