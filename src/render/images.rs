//! Local images: resolved relative to the Markdown file, kept inside the project root,
//! sniffed from their bytes and stored once each under a generated ASCII name.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::Resource;
use super::links::percent_decode;
use crate::limits;

/// Where an image reference leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// Stored in the EPUB under this href.
    Local(String),
    /// An `http(s)` URL: never fetched.
    Remote(String),
    /// Something we cannot embed (a `data:` URL, say); the reason is for the warning.
    Unsupported(&'static str),
    /// Refused with an error that fails the build: only the alt text stands in, and no
    /// warning repeats (or contradicts) the error.
    Refused,
}

/// The images of the whole book, each file once.
#[derive(Debug)]
pub struct Images {
    root: PathBuf,
    by_path: HashMap<PathBuf, usize>,
    pub resources: Vec<Resource>,
    /// Bytes of all `resources`, kept under [`limits::IMAGES_BYTES`].
    total_bytes: u64,
}

impl Images {
    /// `root` must already be canonical when it exists.
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            by_path: HashMap::new(),
            resources: Vec::new(),
            total_bytes: 0,
        }
    }

    /// Resolves `src` as written in a file in `dir`. An error names the problem; the caller
    /// adds the file and line.
    pub fn resolve(&mut self, src: &str, dir: &Path) -> Result<ImageRef> {
        let src = src.trim();
        let lower = src.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("//")
        {
            return Ok(ImageRef::Remote(src.to_string()));
        }
        if lower.starts_with("data:") {
            return Ok(ImageRef::Unsupported("a data: URL"));
        }
        if lower.starts_with("file:") {
            bail!(
                "image `{src}`: file: URLs are not allowed; use a path relative to the Markdown file"
            );
        }
        if has_scheme(&lower) {
            return Ok(ImageRef::Unsupported("a URL with an unknown scheme"));
        }
        if src.is_empty() {
            bail!("image with an empty path");
        }
        let path_part = src.split(['?', '#']).next().unwrap_or(src);
        let decoded = percent_decode(path_part);
        let path = Path::new(&decoded);
        let joined = if path.is_absolute() {
            path.to_path_buf()
        } else {
            dir.join(path)
        };
        let canonical = match joined.canonicalize() {
            Ok(c) => c,
            Err(_) => bail!("image `{src}` not found (looked for {})", joined.display()),
        };
        if !canonical.starts_with(&self.root) {
            bail!(
                "image `{src}` is outside the project folder {}; copy it inside",
                self.root.display()
            );
        }
        if let Some(&i) = self.by_path.get(&canonical) {
            return Ok(ImageRef::Local(self.resources[i].href.clone()));
        }
        if self.resources.len() >= limits::IMAGES {
            bail!(
                "image `{src}`: a book may embed at most {} different images",
                limits::IMAGES
            );
        }
        let bytes = limits::read_input(&canonical, "image", limits::IMAGE_FILE_BYTES)
            .map_err(|e| anyhow::anyhow!("image `{src}`: {e:#}"))?;
        if self.total_bytes + bytes.len() as u64 > limits::IMAGES_BYTES {
            bail!(
                "image `{src}`: the book's images would add up to more than {} ({} bytes), \
                 the most a book may embed",
                limits::human(limits::IMAGES_BYTES),
                limits::IMAGES_BYTES
            );
        }
        let Some((media_type, ext)) = sniff(&bytes, &canonical) else {
            bail!("image `{src}` is not a JPEG, PNG, GIF, WebP or SVG file");
        };
        let href = format!("images/img-{:03}.{ext}", self.resources.len() + 1);
        self.by_path.insert(canonical, self.resources.len());
        self.total_bytes += bytes.len() as u64;
        self.resources.push(Resource {
            href: href.clone(),
            media_type,
            bytes,
        });
        Ok(ImageRef::Local(href))
    }
}

fn has_scheme(s: &str) -> bool {
    match s.find(':') {
        // A single letter before the colon is a Windows drive, not a scheme.
        Some(i) if i > 1 => s[..i]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.')),
        _ => false,
    }
}

/// The media type from the bytes (the extension only tells SVG apart from other text).
fn sniff(bytes: &[u8], path: &Path) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.starts_with(b"\xFF\xD8\xFF") {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some(("image/gif", "gif"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
        && std::str::from_utf8(bytes).is_ok_and(|t| t.contains("<svg"))
    {
        Some(("image/svg+xml", "svg"))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

    #[test]
    fn one_file_one_resource_whatever_the_spelling() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("img")).unwrap();
        std::fs::write(dir.path().join("img/a b.png"), PNG).unwrap();
        let mut images = Images::new(dir.path());
        let a = images.resolve("img/a b.png", dir.path()).unwrap();
        let b = images.resolve("img/a%20b.png", dir.path()).unwrap();
        let c = images.resolve("./img/../img/a b.png", dir.path()).unwrap();
        assert_eq!(a, ImageRef::Local("images/img-001.png".into()));
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(images.resources.len(), 1);
    }

    #[test]
    fn escapes_and_odd_sources_are_refused() {
        let outer = tempfile::tempdir().unwrap();
        let root = outer.path().join("root");
        std::fs::create_dir(&root).unwrap();
        std::fs::write(outer.path().join("secret.png"), PNG).unwrap();
        let mut images = Images::new(&root);
        assert!(images.resolve("../secret.png", &root).is_err());
        let abs = outer.path().join("secret.png");
        assert!(images.resolve(abs.to_str().unwrap(), &root).is_err());
        assert!(images.resolve("file:///etc/passwd", &root).is_err());
        assert!(images.resolve("missing.png", &root).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(outer.path().join("secret.png"), root.join("l.png"))
                .unwrap();
            assert!(images.resolve("l.png", &root).is_err());
        }
        assert_eq!(
            images.resolve("https://x.test/a.png", &root).unwrap(),
            ImageRef::Remote("https://x.test/a.png".into())
        );
        assert!(matches!(
            images.resolve("data:image/png;base64,AAAA", &root).unwrap(),
            ImageRef::Unsupported(_)
        ));
    }
}
