//! The cover image: sniffed from its bytes (never the extension), its header read under
//! limits, and good JPEG/PNG files passed through byte for byte.

use std::fs;
use std::io::Cursor;
use std::path::Path;

use anyhow::{Context, Result, bail};
use image::{ImageFormat, ImageReader, Limits};

/// Largest side we accept, in pixels (stores' maximum is 10000).
pub const MAX_SIDE: u32 = 10_000;

/// A cover ready to package.
#[derive(Debug, Clone)]
pub struct CoverImage {
    pub bytes: Vec<u8>,
    pub media_type: &'static str,
    /// File extension inside the EPUB (`jpg` or `png`).
    pub extension: &'static str,
    pub width: u32,
    pub height: u32,
}

pub fn load(path: &Path) -> Result<CoverImage> {
    let bytes = fs::read(path).with_context(|| format!("reading cover `{}`", path.display()))?;
    from_bytes(bytes).with_context(|| format!("cover `{}`", path.display()))
}

pub fn from_bytes(bytes: Vec<u8>) -> Result<CoverImage> {
    if bytes.is_empty() {
        bail!("the file is empty");
    }
    let mut reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .context("cannot read the image")?;
    let (media_type, extension) = match reader.format() {
        Some(ImageFormat::Jpeg) => ("image/jpeg", "jpg"),
        Some(ImageFormat::Png) => ("image/png", "png"),
        Some(other) => bail!(
            "{other:?} covers are not accepted: stores want JPEG or PNG; convert the cover first"
        ),
        None => bail!("not an image (the bytes match no known image format)"),
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let (width, height) = reader
        .into_dimensions()
        .context("the image header is unreadable or over 10000 px a side")?;
    Ok(CoverImage {
        bytes,
        media_type,
        extension,
        width,
        height,
    })
}
