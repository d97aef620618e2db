//! A given cover made fit for an EPUB. The format is sniffed from the bytes, the header read
//! under limits, and the pixels decoded only when something must change: a JPEG or PNG that
//! is complete, upright, opaque 8-bit RGB and at most [`KEEP_PIXELS`] is passed through byte
//! for byte. Everything else (WebP, GIF, CMYK, grey, transparency, EXIF rotation, 16 bits,
//! too many pixels) is decoded, fixed and re-encoded as a JPEG.

use std::io::Cursor;

use anyhow::{Result, anyhow, bail};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{
    DynamicImage, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader, Limits,
    RgbImage,
};

use super::structure;
use super::{CoverImage, Encoding};

/// Largest side we accept, in pixels (the stores' maximum).
pub const MAX_SIDE: u32 = 10_000;
/// Largest image we decode at all: a bigger one is refused before any pixel is allocated.
pub const MAX_PIXELS: u64 = 50_000_000;
/// Largest decoded buffer we allocate (50 Mpx of 8-bit RGBA would need 200 MB).
pub const MAX_DECODE_BYTES: u64 = 256 * 1024 * 1024;
/// Covers over this (4 Mi px; 1600×2560 is 4.1 M) are downscaled.
pub const KEEP_PIXELS: u64 = 4 * 1024 * 1024;
/// The area a downscaled cover gets: that of 1600×2560.
const TARGET_PIXELS: f64 = 1600.0 * 2560.0;
const JPEG_QUALITY: u8 = 90;

/// A cover made fit, with what a user should hear about it.
pub struct Normalised {
    pub image: CoverImage,
    pub warnings: Vec<String>,
}

/// What the structure walk tells about a JPEG or PNG before any decoding.
enum Known {
    Jpeg(structure::JpegInfo),
    Png(structure::PngInfo),
    /// WebP or GIF: always converted.
    Other,
}

pub fn normalise(bytes: Vec<u8>) -> Result<Normalised> {
    if bytes.is_empty() {
        bail!("the file is empty");
    }
    if looks_like_svg(&bytes) {
        bail!(
            "SVG covers are not supported: export the cover as a JPEG or PNG \
             (1600×2560 px is what stores expect)"
        );
    }
    let reader = ImageReader::new(Cursor::new(bytes.as_slice()))
        .with_guessed_format()
        .map_err(|e| anyhow!("cannot read the image: {e}"))?;
    let format = match reader.format() {
        Some(f) => f,
        None if looks_like_text(&bytes) => {
            bail!("not an image: the file holds text, not JPEG, PNG, WebP or GIF data")
        }
        None => bail!("not an image: the bytes match no JPEG, PNG, WebP or GIF signature"),
    };
    let known = match format {
        ImageFormat::Jpeg => Known::Jpeg(structure::jpeg(&bytes, check_size)?),
        ImageFormat::Png => Known::Png(structure::png(&bytes, check_size)?),
        ImageFormat::WebP | ImageFormat::Gif => Known::Other,
        other => bail!(
            "{} covers are not supported: use JPEG or PNG (WebP and GIF are converted)",
            other
                .extensions_str()
                .first()
                .unwrap_or(&"this format")
                .to_uppercase()
        ),
    };

    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = reader;
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| header_error(&e))?;
    let (width, height) = decoder.dimensions();
    check_size(width, height)?;
    if decoder.total_bytes() > MAX_DECODE_BYTES {
        bail!(
            "the image is {width}×{height} px and would need {} MB to decode; \
             inkbind decodes at most {} MB: downscale the cover first",
            decoder.total_bytes() / 1_000_000,
            MAX_DECODE_BYTES / 1_000_000
        );
    }
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);

    let mut must_change = orientation != Orientation::NoTransforms
        || u64::from(width) * u64::from(height) > KEEP_PIXELS;
    let output = match known {
        Known::Jpeg(info) => {
            must_change |= info.components != 3 || info.precision != 8;
            ("image/jpeg", "jpg")
        }
        Known::Png(info) => {
            must_change |= info.has_alpha() || info.is_grey() || info.bit_depth == 16;
            ("image/png", "png")
        }
        Known::Other => {
            must_change = true;
            ("image/jpeg", "jpg")
        }
    };
    if !must_change {
        drop(decoder);
        return Ok(Normalised {
            warnings: store_warnings(width, height),
            image: CoverImage {
                bytes,
                media_type: output.0,
                extension: output.1,
                width,
                height,
            },
        });
    }

    let mut img = DynamicImage::from_decoder(decoder)
        .map_err(|e| anyhow!("the image cannot be decoded: {e}"))?;
    img.apply_orientation(orientation);
    let mut rgb = flatten(img);
    let pixels = u64::from(rgb.width()) * u64::from(rgb.height());
    if pixels > KEEP_PIXELS {
        let scale = (TARGET_PIXELS / pixels as f64).sqrt();
        let w = ((f64::from(rgb.width()) * scale).round() as u32).max(1);
        let h = ((f64::from(rgb.height()) * scale).round() as u32).max(1);
        rgb = downscale(rgb, w, h);
    }
    let image = encode_jpeg(&rgb)?;
    Ok(Normalised {
        warnings: store_warnings(image.width, image.height),
        image,
    })
}

pub fn encode_jpeg(rgb: &RgbImage) -> Result<CoverImage> {
    encode(rgb, Encoding::Jpeg)
}

/// Encodes an RGB cover as JPEG (quality 90) or PNG, the two formats every store takes.
pub fn encode(rgb: &RgbImage, encoding: Encoding) -> Result<CoverImage> {
    let mut bytes = Vec::new();
    let (width, height) = rgb.dimensions();
    let rgb8 = image::ExtendedColorType::Rgb8;
    let (result, media_type, extension) = match encoding {
        Encoding::Jpeg => (
            JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY).write_image(
                rgb.as_raw(),
                width,
                height,
                rgb8,
            ),
            "image/jpeg",
            "jpg",
        ),
        Encoding::Png => (
            PngEncoder::new(&mut bytes).write_image(rgb.as_raw(), width, height, rgb8),
            "image/png",
            "png",
        ),
    };
    result.map_err(|e| anyhow!("encoding the cover as {extension}: {e}"))?;
    Ok(CoverImage {
        bytes,
        media_type,
        extension,
        width,
        height,
    })
}

/// Opaque 8-bit RGB; transparency is composited onto white, as a page would show it.
/// Takes the image so that an 8-bit RGB one is used in place, not copied.
fn flatten(img: DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.into_rgb8();
    }
    let rgba = img.into_rgba8();
    let mut out = RgbImage::new(rgba.width(), rgba.height());
    for (o, p) in out.pixels_mut().zip(rgba.pixels()) {
        let a = u32::from(p[3]);
        for c in 0..3 {
            o[c] = ((u32::from(p[c]) * a + 255 * (255 - a) + 127) / 255) as u8;
        }
    }
    out
}

/// Lanczos-3 for modest reductions (under 1.5×), where it is sharpest; area averaging for
/// larger ones, where every source pixel counts once and aliasing cannot occur. The image
/// crate's Lanczos keeps a 16-byte-per-pixel buffer of source width × target height, which
/// for a large source would cost far more memory than the image itself.
fn downscale(rgb: RgbImage, w: u32, h: u32) -> RgbImage {
    if rgb.width() * 2 < w * 3 {
        // Through `DynamicImage` so the resampler is the image crate's own compiled code.
        DynamicImage::ImageRgb8(rgb)
            .resize_exact(w, h, FilterType::Lanczos3)
            .into_rgb8()
    } else {
        image::imageops::thumbnail(&rgb, w, h)
    }
}

fn check_size(width: u32, height: u32) -> Result<()> {
    if width > MAX_SIDE || height > MAX_SIDE {
        bail!(
            "the image is {width}×{height} px: covers may be at most {MAX_SIDE} px a side \
             (stores refuse larger ones); downscale it first"
        );
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        bail!(
            "the image is {width}×{height} px ({} Mpx): inkbind refuses covers over {} Mpx; \
             downscale it first (1600×2560 is what stores expect)",
            pixels / 1_000_000,
            MAX_PIXELS / 1_000_000
        );
    }
    Ok(())
}

fn header_error(e: &ImageError) -> anyhow::Error {
    match e {
        ImageError::Limits(_) => anyhow!(
            "the image is too large: covers may be at most {MAX_SIDE} px a side and \
             {} MB decoded",
            MAX_DECODE_BYTES / 1_000_000
        ),
        _ => anyhow!("the image header cannot be read (truncated or corrupt): {e}"),
    }
}

fn store_warnings(width: u32, height: u32) -> Vec<String> {
    let mut warnings = Vec::new();
    if width.max(height) < 1000 {
        warnings.push(format!(
            "the cover is only {width}×{height} px: stores expect at least 1000 px on the \
             long side, ideally 1600×2560"
        ));
    }
    let ratio = f64::from(height) / f64::from(width.max(1));
    if !(1.35..=1.85).contains(&ratio) {
        warnings.push(format!(
            "the cover's aspect ratio is 1:{ratio:.2}: stores expect a portrait 1:1.6 \
             (e.g. 1600×2560); reading systems will letterbox it"
        ));
    }
    warnings
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let text = String::from_utf8_lossy(head);
    let t = text.trim_start_matches('\u{feff}').trim_start();
    (t.starts_with("<?xml") || t.starts_with("<svg") || t.starts_with("<!DOCTYPE svg"))
        && t.contains("<svg")
}

fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(512)];
    std::str::from_utf8(head).is_ok_and(|s| {
        s.chars()
            .all(|c| !c.is_control() || matches!(c, '\n' | '\r' | '\t'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warnings_name_what_stores_expect() {
        assert!(store_warnings(1600, 2560).is_empty());
        let small = store_warnings(600, 960);
        assert_eq!(small.len(), 1);
        assert!(small[0].contains("1000 px"), "{small:?}");
        let square = store_warnings(2000, 2000);
        assert!(square[0].contains("1:1.6"), "{square:?}");
    }

    #[test]
    fn svg_is_refused_with_a_reason() {
        let err = normalise(
            b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(err.contains("SVG covers are not supported"), "{err}");
    }
}
