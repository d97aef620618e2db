//! Covers as users bring them: every image here is made in the test (or, for CMYK, which
//! the `image` crate cannot write, kept in `tests/fixtures/cover/`), packed by a real build,
//! and read back out of the EPUB.

mod common;

use std::io::Cursor;
use std::path::Path;

use common::{Epub, assert_epubcheck_clean, build_ok, inkbind, project};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType, PngEncoder};
use image::codecs::webp::WebPEncoder;
use image::{ImageEncoder, Rgb, RgbImage, Rgba, RgbaImage};

const MANUSCRIPT: &[u8] = b"---\ntitle: \"Covers\"\nauthor: Ada Lovelace\ndate: 2024-03-01\nlang: en\n---\n\n# One\n\nText.\n";

/// A portrait image: red top half, blue bottom half (or left/right when `landscape`).
fn halves(w: u32, h: u32, landscape: bool) -> RgbImage {
    RgbImage::from_fn(w, h, |x, y| {
        let first = if landscape { x < w / 2 } else { y < h / 2 };
        if first {
            Rgb([220, 30, 30])
        } else {
            Rgb([30, 30, 220])
        }
    })
}

fn jpeg(img: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 90)
        .write_image(
            img.as_raw(),
            img.width(),
            img.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("encode JPEG");
    out
}

/// Builds the manuscript with `cover` as `covers/<name>` and returns the packed cover:
/// its media type and bytes.
fn packed_cover(name: &str, cover: &[u8]) -> (String, Vec<u8>) {
    let dir = project(&[("book.md", MANUSCRIPT), (&format!("covers/{name}"), cover)]);
    let epub = Epub::open(&build_ok(dir.path(), &["book.md"]));
    cover_of(&epub)
}

fn cover_of(epub: &Epub) -> (String, Vec<u8>) {
    let opf = epub.opf();
    let doc = roxmltree::Document::parse(&opf).expect("OPF parses");
    let item = doc
        .descendants()
        .find(|n| n.attribute("properties") == Some("cover-image"))
        .expect("a cover-image item");
    let href = item.attribute("href").expect("href");
    let bytes = epub.files[&format!("OEBPS/{href}")].clone();
    (
        item.attribute("media-type").unwrap_or("").to_string(),
        bytes,
    )
}

fn decode(bytes: &[u8]) -> RgbImage {
    image::load_from_memory(bytes)
        .expect("packed cover decodes")
        .to_rgb8()
}

fn is_reddish(p: &Rgb<u8>) -> bool {
    p[0] > 150 && p[1] < 90 && p[2] < 90
}

fn is_bluish(p: &Rgb<u8>) -> bool {
    p[2] > 150 && p[0] < 90 && p[1] < 90
}

#[test]
fn a_good_jpeg_is_packed_byte_for_byte() {
    let original = jpeg(&halves(1000, 1600, false));
    let (media_type, packed) = packed_cover("front.jpg", &original);
    assert_eq!(media_type, "image/jpeg");
    assert!(packed == original, "a good JPEG must not be re-encoded");
}

#[test]
fn a_huge_png_is_downscaled_keeping_its_shape() {
    // Built by copying rows: a per-pixel closure is slow in an unoptimised test.
    let (w, h) = (2000u32, 3200u32);
    let mut raw = [220u8, 30, 30].repeat((w * h / 2) as usize);
    raw.extend_from_slice(&[30u8, 30, 220].repeat((w * h / 2) as usize));
    let mut png = Vec::new();
    PngEncoder::new_with_quality(&mut png, CompressionType::Fast, FilterType::NoFilter)
        .write_image(&raw, w, h, image::ExtendedColorType::Rgb8)
        .expect("encode PNG");
    let (media_type, packed) = packed_cover("big.png", &png);
    assert_eq!(media_type, "image/jpeg");
    let img = decode(&packed);
    assert!(u64::from(img.width()) * u64::from(img.height()) <= 4 * 1024 * 1024);
    assert_eq!((img.width(), img.height()), (1600, 2560));
    assert!(is_reddish(img.get_pixel(800, 100)) && is_bluish(img.get_pixel(800, 2460)));
    assert!(packed.starts_with(&[0xFF, 0xD8]), "re-encoded as JPEG");
}

#[test]
fn webp_is_converted_and_transparency_flattened_onto_white() {
    let mut img = RgbaImage::from_pixel(500, 800, Rgba([0, 0, 0, 0]));
    for y in 0..400 {
        for x in 0..500 {
            img.put_pixel(x, y, Rgba([220, 30, 30, 255]));
        }
    }
    let mut webp = Vec::new();
    WebPEncoder::new_lossless(&mut webp)
        .encode(img.as_raw(), 500, 800, image::ExtendedColorType::Rgba8)
        .expect("encode WebP");
    let dir = project(&[("book.md", MANUSCRIPT), ("covers/front.webp", &webp)]);
    let out = inkbind(dir.path())
        .args(["build", "book.md"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("front.webp") && stderr.contains("at least 1000 px"),
        "a small cover is warned about: {stderr}"
    );
    let epub = Epub::open(&dir.path().join("out/covers.epub"));
    let (media_type, packed) = cover_of(&epub);
    assert_eq!(media_type, "image/jpeg");
    assert!(epub.names.iter().all(|n| !n.ends_with(".webp")));
    let img = decode(&packed);
    assert_eq!((img.width(), img.height()), (500, 800));
    assert!(is_reddish(img.get_pixel(250, 100)));
    let white = img.get_pixel(250, 700);
    assert!(
        white.0.iter().all(|&c| c > 240),
        "transparent → white, got {white:?}"
    );
}

/// A JPEG lying on its side: stored landscape (red left, blue right) with EXIF orientation 6,
/// "rotate 90° clockwise to view", so upright it is portrait with red on top.
#[test]
fn a_rotated_exif_jpeg_is_made_upright() {
    let stored = jpeg(&halves(1200, 750, true));
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    exif.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0x00, 0x06, 0, 0]);
    exif.extend_from_slice(&[0, 0, 0, 0]);
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE1];
    bytes.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    bytes.extend_from_slice(&exif);
    bytes.extend_from_slice(&stored[2..]);
    let (media_type, packed) = packed_cover("phone.jpg", &bytes);
    assert_eq!(media_type, "image/jpeg");
    let img = decode(&packed);
    assert_eq!((img.width(), img.height()), (750, 1200));
    assert!(
        is_reddish(img.get_pixel(375, 100)),
        "{:?}",
        img.get_pixel(375, 100)
    );
    assert!(
        is_bluish(img.get_pixel(375, 1100)),
        "{:?}",
        img.get_pixel(375, 1100)
    );
}

#[test]
fn a_cmyk_jpeg_is_converted_to_rgb() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cover/cmyk.jpg");
    let cmyk = std::fs::read(fixture).expect("fixture");
    let (media_type, packed) = packed_cover("print.jpg", &cmyk);
    assert_eq!(media_type, "image/jpeg");
    assert_ne!(packed, cmyk);
    let decoded = image::load_from_memory(&packed).expect("decodes");
    assert_eq!(decoded.color(), image::ColorType::Rgb8);
    let img = decoded.to_rgb8();
    assert!(
        is_reddish(img.get_pixel(200, 100)),
        "{:?}",
        img.get_pixel(200, 100)
    );
    assert!(
        is_bluish(img.get_pixel(200, 540)),
        "{:?}",
        img.get_pixel(200, 540)
    );
}

/// A PNG whose header declares 9000×9000 (81 Mpx, 243 MB decoded) followed by a few bytes
/// of image data: refused from the header alone.
fn header_only_bomb() -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
        let start = out.len();
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let crc = crc32(&out[start..]);
        out.extend_from_slice(&crc.to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&9000u32.to_be_bytes());
    ihdr.extend_from_slice(&9000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

/// A JPEG frame header declaring 60000×60000, and nothing after it.
fn jpeg_header_bomb() -> Vec<u8> {
    let mut bytes = vec![
        0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60, 3,
    ];
    bytes.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    bytes
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[test]
fn bad_covers_fail_naming_the_file_and_the_problem_and_write_nothing() {
    let good = jpeg(&halves(400, 640, false));
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty.jpg", Vec::new(), "empty"),
        (
            "notes.jpg",
            b"These are my notes, not a picture.\n".to_vec(),
            "not an image",
        ),
        ("cut.jpg", good[..good.len() / 2].to_vec(), "truncated"),
        ("bomb.png", header_only_bomb(), "9000×9000"),
        ("bomb.jpg", jpeg_header_bomb(), "60000×60000"),
        (
            "art.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            "SVG",
        ),
    ];
    for (name, bytes, problem) in cases {
        let dir = project(&[("book.md", MANUSCRIPT), (&format!("covers/{name}"), &bytes)]);
        let cover = format!("covers/{name}");
        let out = inkbind(dir.path())
            .args(["build", "book.md", "--cover", &cover])
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{name}: {stderr}");
        assert!(
            stderr.contains(name),
            "{name}: the error names the file: {stderr}"
        );
        assert!(
            stderr.contains(problem),
            "{name}: the error says `{problem}`: {stderr}"
        );
        assert!(!dir.path().join("out").exists(), "{name}: nothing written");
    }
}

#[test]
fn the_generated_cover_is_reproducible_and_fills_a_book_without_one() {
    let dir = project(&[("book.md", MANUSCRIPT)]);
    let mut runs = Vec::new();
    for name in ["one.jpg", "two.jpg"] {
        let out = inkbind(dir.path())
            .args(["cover", "book.md", "-o", name])
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        runs.push(std::fs::read(dir.path().join(name)).expect("cover written"));
    }
    assert!(runs[0] == runs[1], "two runs give the same bytes");
    let reader = image::ImageReader::new(Cursor::new(&runs[0]))
        .with_guessed_format()
        .expect("sniff");
    assert_eq!(reader.format(), Some(image::ImageFormat::Jpeg));
    assert_eq!(reader.into_dimensions().expect("header"), (1600, 2560));

    // A book with no cover gets the same picture, packed as a proper cover.
    let path = build_ok(dir.path(), &["book.md"]);
    let epub = Epub::open(&path);
    let (media_type, packed) = cover_of(&epub);
    assert_eq!(media_type, "image/jpeg");
    assert!(packed == runs[0], "the packed cover is the generated one");
    let page = epub.text("OEBPS/cover.xhtml");
    assert!(
        page.contains("Cover: Covers"),
        "alt text from the title: {page}"
    );
    assert!(epub.text("OEBPS/nav.xhtml").contains("epub:type=\"cover\""));
    epub.assert_well_formed();
    assert_epubcheck_clean(&path);
}

#[test]
fn cover_refuses_an_output_it_cannot_encode() {
    let dir = project(&[("book.md", MANUSCRIPT)]);
    let out = inkbind(dir.path())
        .args(["cover", "book.md", "-o", "cover.webp"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains(".jpg, .jpeg or .png"));
    assert!(!dir.path().join("cover.webp").exists());
}
