//! Media types from a file's first bytes, to catch a manifest that declares one format
//! while the file is another (a PNG renamed `.jpg`, a WebP called `image/jpeg`).

/// The media type the bytes show, for the binary formats that carry a signature.
pub(crate) fn sniff(bytes: &[u8]) -> Option<&'static str> {
    let starts = |sig: &[u8]| bytes.starts_with(sig);
    Some(if starts(b"\xFF\xD8\xFF") {
        "image/jpeg"
    } else if starts(b"\x89PNG\r\n\x1a\n") {
        "image/png"
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        "image/gif"
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP") {
        "image/webp"
    } else if starts(b"wOFF") {
        "font/woff"
    } else if starts(b"wOF2") {
        "font/woff2"
    } else if starts(b"OTTO") {
        "font/otf"
    } else if starts(b"\x00\x01\x00\x00") {
        "font/ttf"
    } else if starts(b"ID3") {
        "audio/mpeg"
    } else if bytes.get(4..8) == Some(b"ftyp") {
        "video/mp4"
    } else {
        return None;
    })
}

/// When `declared` is a type we can recognise and the bytes show another, what they are.
pub(crate) fn mismatch(declared: &str, bytes: &[u8]) -> Option<&'static str> {
    let declared = declared.trim().to_ascii_lowercase();
    let real = sniff(bytes);
    let same = |real: &str| {
        real == declared
            || matches!(
                (real, declared.as_str()),
                // Older and alternative names for the same font formats.
                (
                    "font/otf" | "font/ttf",
                    "application/font-sfnt"
                        | "application/vnd.ms-opentype"
                        | "application/x-font-ttf"
                        | "application/x-font-truetype"
                        | "application/x-font-opentype"
                        | "font/otf"
                        | "font/ttf"
                ) | ("font/woff", "application/font-woff")
                    | ("video/mp4", "audio/mp4")
            )
    };
    match real {
        Some(real) if !same(real) => Some(real),
        // A declared raster image without any known signature is not that image.
        None if matches!(
            declared.as_str(),
            "image/jpeg" | "image/png" | "image/gif" | "image/webp"
        ) =>
        {
            Some("not a recognisable image")
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_decide_not_names() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(mismatch("image/png", png), None);
        assert_eq!(mismatch("image/jpeg", png), Some("image/png"));
        assert_eq!(
            mismatch("image/jpeg", b"hello"),
            Some("not a recognisable image")
        );
        assert_eq!(mismatch("application/xhtml+xml", b"<?xml"), None);
        assert_eq!(mismatch("application/vnd.ms-opentype", b"OTTO...."), None);
    }
}
