//! The cover: a given image checked and made fit for an EPUB (see `normalise`), or a
//! typographic cover generated from the metadata when there is none (see `generate`).
//!
//! What leaves this module is always a JPEG or PNG, upright, opaque RGB, at most 10000 px a
//! side and about 4 Mpx. A given JPEG or PNG that already meets that is passed through byte
//! for byte; anything else is decoded under limits and re-encoded.

mod font;
mod generate;
mod layout;
mod normalise;
mod structure;

use std::path::Path;

use anyhow::{Context, Result};

use crate::book::Metadata;
use crate::diag::{Diagnostics, Location};
use crate::limits;

pub use generate::{COVER_HEIGHT, COVER_WIDTH, Encoding};
pub use normalise::{KEEP_PIXELS, MAX_DECODE_BYTES, MAX_PIXELS, MAX_SIDE};

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

/// Reads and normalises the cover at `path`; warnings about its size are dropped.
pub fn load(path: &Path) -> Result<CoverImage> {
    load_with(path, &Diagnostics::default())
}

/// Reads and normalises the cover at `path`, reporting a cover stores would reject or
/// letterbox (too small, far from portrait 1:1.6) as warnings.
pub fn load_with(path: &Path, diags: &Diagnostics) -> Result<CoverImage> {
    let bytes = limits::read_input(path, "cover", limits::COVER_FILE_BYTES)?;
    let done =
        normalise::normalise(bytes).with_context(|| format!("cover `{}`", path.display()))?;
    for warning in done.warnings {
        diags.warn(Some(Location::new(path, None)), warning);
    }
    Ok(done.image)
}

/// Normalises cover bytes that did not come from a file (warnings are dropped).
pub fn from_bytes(bytes: Vec<u8>) -> Result<CoverImage> {
    normalise::normalise(bytes).map(|done| done.image)
}

/// A typographic cover for `meta`: 1600×2560, the same bytes for the same metadata.
pub fn generate(meta: &Metadata, encoding: Encoding) -> Result<CoverImage> {
    generate::generate(meta, encoding)
}
