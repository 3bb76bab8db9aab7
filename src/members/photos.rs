//! Member photos: small thumbnails for the directory and profiles.
//!
//! Photos straight from a phone are megabytes and often stored sideways with an EXIF
//! orientation tag; a directory of 100 of them would be slow and partly rotated. Each
//! photo becomes a 1× and a 2× thumbnail (for `srcset`), turned upright. Resizing is the
//! slowest part of a build, so thumbnails are cached under `.podium-cache/thumbs/` by the
//! source's content hash: an unchanged photo is never resized twice, even after a rename.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use image::codecs::jpeg::JpegEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageReader};
use rayon::prelude::*;

use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;

/// Where thumbnails are cached, under the hub root.
pub const CACHE_DIR: &str = ".podium-cache/thumbs";

/// Bounding boxes, in pixels, of the 1× and 2× thumbnails; the theme shows photos at most
/// 160 CSS pixels wide.
pub const SIZES: [u32; 2] = [160, 320];

/// Changes whenever the resizing or encoding changes, so stale cache entries are not reused.
const CACHE_VERSION: &str = "v1";

/// One thumbnail in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumb {
    /// Site path (`people/ada/photo-…-160.jpg`).
    pub path: String,
    pub width: u32,
    pub height: u32,
}

/// A member's thumbnails: the 1× and the 2× size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thumbnails {
    pub x1: Thumb,
    pub x2: Thumb,
}

/// How much work the photo step did, for the build's summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Thumbnails resized in this build.
    pub made: usize,
    /// Thumbnails taken from the cache.
    pub cached: usize,
}

/// The thumbnails of one photo, in the order of [`SIZES`].
struct Prepared {
    thumbs: Vec<Cached>,
    /// How many of them were resized now rather than found in the cache.
    resized: usize,
    /// The source's content hash.
    hash: u64,
}

/// A thumbnail file in the cache.
struct Cached {
    file: PathBuf,
    width: u32,
    height: u32,
}

/// Checks from its first bytes that `file` is an image thumbnails can be made from, so a
/// wrong file is reported while the hub loads, with every other problem, rather than only
/// once the rest of the hub is fixed and the photo step runs.
pub fn check_format(file: &Path) -> Result<(), String> {
    use std::io::Read;
    let mut head = Vec::with_capacity(64);
    std::fs::File::open(file)
        .and_then(|f| f.take(64).read_to_end(&mut head))
        .map_err(|e| format!("cannot be read: {e}"))?;
    match image::guess_format(&head) {
        Ok(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP) => Ok(()),
        Ok(other) => Err(format!(
            "is a {} image, which podium cannot make thumbnails of",
            other
                .extensions_str()
                .first()
                .map_or("", |e| e)
                .to_uppercase()
        )),
        Err(_) => Err("is not an image".to_string()),
    }
}

/// Makes (or takes from the cache) every member's thumbnails, adds them to `output` and
/// records them on the members.
pub fn make_thumbnails(site: &mut Site, output: &mut Output) -> Result<Stats, Diagnostics> {
    let cache = site.root.join(CACHE_DIR);
    let jobs: Vec<(usize, PathBuf)> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| Some((i, p.member.as_ref()?.photo_source.as_ref()?.file.clone())))
        .collect();
    let results: Vec<Result<Prepared, String>> = jobs
        .par_iter()
        .map(|(_, file)| thumbnails_of(file, &cache))
        .collect();
    let mut stats = Stats::default();
    let mut used: Vec<PathBuf> = Vec::new();
    let mut errors = Diagnostics::default();
    for ((i, _), result) in jobs.into_iter().zip(results) {
        let page = &mut site.pages[i];
        let Some(member) = page.member.as_mut() else {
            continue;
        };
        match result {
            Ok(Prepared {
                thumbs,
                resized,
                hash,
            }) => {
                stats.made += resized;
                stats.cached += thumbs.len() - resized;
                let thumbs: Vec<Thumb> = thumbs
                    .into_iter()
                    .zip(SIZES)
                    .map(|(c, size)| {
                        let path = format!("{}{}", page.path, thumb_name(&c.file, hash, size));
                        used.push(c.file.clone());
                        output.add_file(path.clone(), c.file);
                        Thumb {
                            path,
                            width: c.width,
                            height: c.height,
                        }
                    })
                    .collect();
                let [x1, x2] = <[Thumb; 2]>::try_from(thumbs).expect("one thumbnail per size");
                member.thumbnails = Some(Thumbnails { x1, x2 });
            }
            Err(e) => {
                let pos = member
                    .photo_source
                    .as_ref()
                    .map(|s| s.pos)
                    .unwrap_or_default();
                errors.push(
                    Diagnostic::at(&page.source, pos, format!("cannot be read: {e}"))
                        .with_hint("use a JPEG, PNG or WebP image"),
                );
            }
        }
    }
    errors.into_result()?;
    if !used.is_empty() {
        prune(&cache, &used, STALE_AFTER);
    }
    Ok(stats)
}

/// How long an unused thumbnail stays in the cache: long enough that switching branches or
/// undoing a photo change finds it again, short enough that old portraits do not pile up.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(30 * 24 * 3600);

/// Removes cache files this build did not use and nobody has written for `stale_after`.
/// Recent files are kept even when unused, since another build (a `serve` running beside
/// a `build`) may have just made them.
fn prune(cache: &Path, used: &[PathBuf], stale_after: std::time::Duration) {
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    let now = std::time::SystemTime::now();
    for entry in entries.flatten() {
        let path = entry.path();
        let age = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|t| now.duration_since(t).ok());
        if !used.contains(&path) && age.is_some_and(|a| a > stale_after) {
            let _ = std::fs::remove_file(&path);
        }
    }
}

/// The thumbnail's file name in the output: the hash changes with the photo, so browsers
/// never show a cached old portrait.
fn thumb_name(cached: &Path, hash: u64, size: u32) -> String {
    let ext = cached.extension().and_then(|e| e.to_str()).unwrap_or("jpg");
    format!("photo-{:08x}-{size}.{ext}", hash >> 32)
}

/// The cached thumbnails of `source` in every size, resizing only those not cached yet;
/// also returns how many were resized and the source's hash.
fn thumbnails_of(source: &Path, cache: &Path) -> Result<Prepared, String> {
    let bytes = std::fs::read(source).map_err(|e| e.to_string())?;
    let hash = fnv1a(CACHE_VERSION.as_bytes(), &bytes);
    let found: Vec<Option<PathBuf>> = SIZES.iter().map(|&s| cached_file(cache, hash, s)).collect();
    let mut made = 0;
    let mut image = None;
    let mut out = Vec::new();
    for (&size, found) in SIZES.iter().zip(found) {
        let file = match found {
            Some(f) => f,
            None => {
                if image.is_none() {
                    image = Some(decode_upright(&bytes)?);
                }
                made += 1;
                let img = image.as_ref().expect("decoded above");
                write_thumbnail(img, size, cache, hash)?
            }
        };
        let (width, height) = image::image_dimensions(&file).map_err(|e| e.to_string())?;
        out.push(Cached {
            file,
            width,
            height,
        });
    }
    Ok(Prepared {
        thumbs: out,
        resized: made,
        hash,
    })
}

/// The cache file for a hash and size, if present (JPEG, or PNG for images with alpha).
fn cached_file(cache: &Path, hash: u64, size: u32) -> Option<PathBuf> {
    ["jpg", "png"]
        .iter()
        .map(|ext| cache.join(format!("{hash:016x}-{size}.{ext}")))
        .find(|p| p.is_file())
}

/// Decodes an image and applies its EXIF orientation, so a portrait taken with a phone
/// held upright is upright.
fn decode_upright(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .into_decoder()
        .map_err(|e| e.to_string())?;
    let orientation = decoder.orientation().map_err(|e| e.to_string())?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(|e| e.to_string())?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// Resizes to fit a `size` square (never enlarging), encodes, and stores the result in the
/// cache through a temporary file, so a build killed halfway never leaves a torn thumbnail.
fn write_thumbnail(
    image: &DynamicImage,
    size: u32,
    cache: &Path,
    hash: u64,
) -> Result<PathBuf, String> {
    let resized = if image.width() > size || image.height() > size {
        image.resize(size, size, FilterType::CatmullRom)
    } else {
        image.clone()
    };
    let alpha = resized.color().has_alpha();
    let mut bytes = Vec::new();
    if alpha {
        resized
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .map_err(|e| e.to_string())?;
    } else {
        JpegEncoder::new_with_quality(&mut bytes, 85)
            .encode_image(&resized.to_rgb8())
            .map_err(|e| e.to_string())?;
    }
    let ext = if alpha { "png" } else { "jpg" };
    let file = cache.join(format!("{hash:016x}-{size}.{ext}"));
    let temp = cache.join(format!(".{hash:016x}-{size}.{}.tmp", std::process::id()));
    std::fs::create_dir_all(cache)
        .and_then(|()| std::fs::write(&temp, &bytes))
        .and_then(|()| std::fs::rename(&temp, &file))
        .map_err(|e| format!("cannot write the thumbnail cache {}: {e}", cache.display()))?;
    Ok(file)
}

/// FNV-1a, 64 bits: stable across Rust versions and platforms (unlike `DefaultHasher`),
/// which a cache kept between builds needs.
fn fnv1a(seed: &[u8], bytes: &[u8]) -> u64 {
    seed.iter()
        .chain(bytes)
        .fold(0xcbf2_9ce4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_is_the_published_function() {
        // Test vectors from the FNV reference (empty string and "a").
        assert_eq!(fnv1a(b"", b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"", b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn pruning_removes_only_old_unused_files() {
        let tmp = tempfile::tempdir().unwrap();
        let touch = |name: &str, age_days: u64| {
            let p = tmp.path().join(name);
            let f = std::fs::File::create(&p).unwrap();
            let when =
                std::time::SystemTime::now() - std::time::Duration::from_secs(age_days * 24 * 3600);
            f.set_modified(when).unwrap();
            p
        };
        let used_old = touch("used-old.jpg", 90);
        let unused_old = touch("unused-old.jpg", 90);
        let unused_new = touch("unused-new.jpg", 1);
        prune(tmp.path(), std::slice::from_ref(&used_old), STALE_AFTER);
        assert!(used_old.exists());
        assert!(!unused_old.exists());
        assert!(unused_new.exists());
    }

    #[test]
    fn thumbnails_fit_the_box_keep_the_aspect_and_are_cached() {
        let tmp = tempfile::tempdir().unwrap();
        let source = tmp.path().join("wide.png");
        image::RgbImage::from_pixel(800, 400, image::Rgb([200, 30, 30]))
            .save(&source)
            .unwrap();
        let cache = tmp.path().join("cache");
        let first = thumbnails_of(&source, &cache).unwrap();
        assert_eq!(first.resized, 2);
        let dims: Vec<(u32, u32)> = first.thumbs.iter().map(|t| (t.width, t.height)).collect();
        assert_eq!(dims, [(160, 80), (320, 160)]);
        let again = thumbnails_of(&source, &cache).unwrap();
        assert_eq!(again.resized, 0);
        assert_eq!(again.thumbs[0].file, first.thumbs[0].file);
    }
}
