//! A walk over the structure of a JPEG or PNG file without decoding its pixels: enough to
//! know that a file we pass through byte for byte is complete (JPEG: every segment and scan
//! up to the end-of-image marker; PNG: every chunk, with its CRC, up to `IEND`), and to read
//! what the image crate's decoders do not tell (JPEG component count, PNG transparency).

use anyhow::{Result, bail};

/// What the walk learnt about a JPEG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JpegInfo {
    pub width: u32,
    pub height: u32,
    /// 1 grey, 3 YCbCr/RGB, 4 CMYK/YCCK.
    pub components: u8,
    pub precision: u8,
}

/// What the walk learnt about a PNG.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PngInfo {
    pub width: u32,
    pub height: u32,
    pub bit_depth: u8,
    /// PNG colour type: 0 grey, 2 RGB, 3 palette, 4 grey + alpha, 6 RGBA.
    pub color_type: u8,
    pub has_trns: bool,
}

impl PngInfo {
    pub fn has_alpha(&self) -> bool {
        matches!(self.color_type, 4 | 6) || self.has_trns
    }

    pub fn is_grey(&self) -> bool {
        matches!(self.color_type, 0 | 4)
    }
}

const TRUNCATED: &str = "the file is truncated (it ends before the image does)";

/// Walks a JPEG; `check_size` sees the declared size as soon as the frame header is read,
/// so an oversized image is reported as such even when the rest of the file is missing.
pub fn jpeg(bytes: &[u8], check_size: impl Fn(u32, u32) -> Result<()>) -> Result<JpegInfo> {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        bail!("not a JPEG (no start-of-image marker)");
    }
    let mut info: Option<JpegInfo> = None;
    let mut scans = 0usize;
    let mut pos = 2;
    loop {
        // Markers may be padded with any number of 0xFF fill bytes.
        if bytes.get(pos) != Some(&0xFF) {
            if pos >= bytes.len() {
                bail!(TRUNCATED);
            }
            bail!("the JPEG is corrupt (expected a marker at byte {pos})");
        }
        while bytes.get(pos) == Some(&0xFF) {
            pos += 1;
        }
        let Some(&marker) = bytes.get(pos) else {
            bail!(TRUNCATED);
        };
        pos += 1;
        match marker {
            0xD9 => break,
            0x01 | 0xD0..=0xD7 => continue,
            0xD8 | 0x00 => bail!("the JPEG is corrupt (unexpected marker at byte {pos})"),
            _ => {}
        }
        let len = match bytes.get(pos..pos + 2) {
            Some(b) => usize::from(u16::from_be_bytes([b[0], b[1]])),
            None => bail!(TRUNCATED),
        };
        if len < 2 {
            bail!("the JPEG is corrupt (a segment of length {len} at byte {pos})");
        }
        let Some(segment) = bytes.get(pos + 2..pos + len) else {
            bail!(TRUNCATED);
        };
        pos += len;
        let is_frame = matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC);
        if is_frame {
            if segment.len() < 6 {
                bail!("the JPEG is corrupt (a frame header too short)");
            }
            info = Some(JpegInfo {
                precision: segment[0],
                height: u32::from(u16::from_be_bytes([segment[1], segment[2]])),
                width: u32::from(u16::from_be_bytes([segment[3], segment[4]])),
                components: segment[5],
            });
            if let Some(i) = &info {
                check_size(i.width, i.height)?;
            }
        }
        if marker == 0xDA {
            if info.is_none() {
                bail!("the JPEG is corrupt (image data before the frame header)");
            }
            scans += 1;
            pos = end_of_scan(bytes, pos)?;
        }
    }
    match info {
        Some(info) if scans > 0 && info.width > 0 && info.height > 0 => Ok(info),
        Some(_) if scans > 0 => bail!("the JPEG declares an empty image (0 px a side)"),
        _ => bail!("the JPEG holds no image data"),
    }
}

/// The position of the marker that ends the entropy-coded data starting at `pos`.
fn end_of_scan(bytes: &[u8], mut pos: usize) -> Result<usize> {
    while pos + 1 < bytes.len() {
        if bytes[pos] == 0xFF {
            match bytes[pos + 1] {
                // Stuffed zero, restart markers and fill bytes belong to the scan.
                0x00 | 0xD0..=0xD7 | 0xFF => pos += if bytes[pos + 1] == 0xFF { 1 } else { 2 },
                _ => return Ok(pos),
            }
        } else {
            pos += 1;
        }
    }
    bail!(TRUNCATED)
}

/// Walks a PNG; `check_size` sees the declared size as soon as `IHDR` is read.
pub fn png(bytes: &[u8], check_size: impl Fn(u32, u32) -> Result<()>) -> Result<PngInfo> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    if !bytes.starts_with(SIGNATURE) {
        bail!("not a PNG (no PNG signature)");
    }
    let mut pos = SIGNATURE.len();
    let mut info: Option<PngInfo> = None;
    let mut has_data = false;
    loop {
        let Some(head) = bytes.get(pos..pos + 8) else {
            bail!(TRUNCATED);
        };
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = [head[4], head[5], head[6], head[7]];
        let Some(data) = bytes.get(pos + 8..pos + 8 + len) else {
            bail!(TRUNCATED);
        };
        let Some(crc) = bytes.get(pos + 8 + len..pos + 12 + len) else {
            bail!(TRUNCATED);
        };
        if crc32(&bytes[pos + 4..pos + 8 + len])
            != u32::from_be_bytes([crc[0], crc[1], crc[2], crc[3]])
        {
            bail!(
                "the PNG is corrupt (chunk `{}` fails its checksum)",
                String::from_utf8_lossy(&kind)
            );
        }
        pos += 12 + len;
        match &kind {
            b"IHDR" => {
                if info.is_some() || data.len() != 13 {
                    bail!("the PNG is corrupt (bad IHDR header chunk)");
                }
                info = Some(PngInfo {
                    width: u32::from_be_bytes([data[0], data[1], data[2], data[3]]),
                    height: u32::from_be_bytes([data[4], data[5], data[6], data[7]]),
                    bit_depth: data[8],
                    color_type: data[9],
                    has_trns: false,
                });
                if let Some(i) = &info {
                    check_size(i.width, i.height)?;
                }
            }
            _ if info.is_none() => bail!("the PNG is corrupt (it does not start with IHDR)"),
            b"tRNS" => {
                if let Some(i) = info.as_mut() {
                    i.has_trns = true;
                }
            }
            b"IDAT" => has_data = true,
            b"IEND" => break,
            _ => {}
        }
    }
    match info {
        Some(i) if !has_data => bail!(
            "the PNG holds no image data ({}×{} declared)",
            i.width,
            i.height
        ),
        Some(i) if i.width == 0 || i.height == 0 => bail!("the PNG declares an empty image"),
        Some(i) => Ok(i),
        None => bail!("the PNG holds no image"),
    }
}

/// CRC-32 (ISO 3309) as PNG uses it, a byte at a time from a table built at compile time.
fn crc32(data: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    !data.iter().fold(0xFFFF_FFFFu32, |crc, &b| {
        TABLE[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_specification() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn truncated_jpeg_is_refused() {
        let bytes = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F'];
        let err = jpeg(&bytes, |_, _| Ok(())).unwrap_err().to_string();
        assert!(err.contains("truncated"), "{err}");
    }

    #[test]
    fn the_size_is_checked_before_the_missing_data() {
        // SOI, then a baseline frame header declaring 60000×60000, then nothing.
        let mut bytes = vec![
            0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0xEA, 0x60, 0xEA, 0x60, 0x03,
        ];
        bytes.extend_from_slice(&[1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
        let err = jpeg(&bytes, |w, h| {
            anyhow::ensure!(w <= 10_000 && h <= 10_000, "{w}×{h} is too large");
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert_eq!(err, "60000×60000 is too large");
    }

    #[test]
    fn jpeg_without_frame_is_refused() {
        let err = jpeg(&[0xFF, 0xD8, 0xFF, 0xD9], |_, _| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("no image data"), "{err}");
    }
}
