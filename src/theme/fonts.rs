//! Fonts the user embeds with `--embed-font`: format sniffed from the bytes, family,
//! weight and style read from the font itself, embedding permission honoured.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

use crate::diag::{Diagnostics, Location};
use crate::{limits, xml};

#[derive(Debug, Clone)]
pub struct Font {
    /// Path inside the content folder, e.g. `fonts/font-01.otf` (never the user's name).
    pub href: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
    pub family: String,
    pub weight: u16,
    pub italic: bool,
}

pub fn load_all(paths: &[PathBuf], diags: &Diagnostics) -> Result<Vec<Font>> {
    paths
        .iter()
        .enumerate()
        .map(|(i, p)| {
            // read_input names the file in its own messages.
            let bytes = limits::read_input(p, "font", limits::FONT_FILE_BYTES)?;
            load(p, bytes, i + 1, diags).with_context(|| format!("font `{}`", p.display()))
        })
        .collect()
}

fn load(path: &Path, bytes: Vec<u8>, index: usize, diags: &Diagnostics) -> Result<Font> {
    let (media_type, ext, sfnt) = match bytes.get(..4) {
        Some([0, 1, 0, 0]) | Some(b"true") => ("font/ttf", "ttf", true),
        Some(b"OTTO") => ("font/otf", "otf", true),
        Some(b"wOFF") => ("font/woff", "woff", false),
        Some(b"wOF2") => ("font/woff2", "woff2", false),
        _ => bail!("not a TrueType, OpenType, WOFF or WOFF2 font"),
    };
    let stem_family = || {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default();
        let base = stem
            .split(['-', '_'])
            .next()
            .unwrap_or("Embedded")
            .trim()
            .to_string();
        if base.is_empty() {
            "Embedded".to_string()
        } else {
            base
        }
    };
    let (family, weight, italic) = if sfnt {
        let face = ttf_parser::Face::parse(&bytes, 0).context("the font tables are unreadable")?;
        if face.permissions() == Some(ttf_parser::Permissions::Restricted) {
            bail!("the font's licence forbids embedding (OS/2 fsType: restricted)");
        }
        let family = face
            .names()
            .into_iter()
            .filter(|n| n.is_unicode())
            .find(|n| n.name_id == ttf_parser::name_id::TYPOGRAPHIC_FAMILY)
            .or_else(|| {
                face.names()
                    .into_iter()
                    .filter(|n| n.is_unicode())
                    .find(|n| n.name_id == ttf_parser::name_id::FAMILY)
            })
            .and_then(|n| n.to_string())
            .unwrap_or_else(stem_family);
        (family, face.weight().to_number(), face.is_italic())
    } else {
        diags.warn(
            Some(Location::new(path, None)),
            "WOFF fonts are embedded as they are: family taken from the file name, weight 400, upright",
        );
        (stem_family(), 400, false)
    };
    Ok(Font {
        href: format!("fonts/font-{index:02}.{ext}"),
        media_type,
        bytes,
        family,
        weight,
        italic,
    })
}

/// `@font-face` rules for every font, and the first family applied to the body text with
/// the reader's serif as fallback.
pub fn font_face_rules(fonts: &[Font]) -> String {
    let mut css = String::from("\n/* Embedded fonts */\n");
    for f in fonts {
        css.push_str(&format!(
            "@font-face {{\n  font-family: \"{}\";\n  font-weight: {};\n  font-style: {};\n  src: url(\"{}\");\n}}\n",
            css_string(&f.family),
            f.weight,
            if f.italic { "italic" } else { "normal" },
            f.href,
        ));
    }
    if let Some(first) = fonts.first() {
        css.push_str(&format!(
            "body {{ font-family: \"{}\", serif; }}\n",
            css_string(&first.family)
        ));
    }
    css
}

/// A family name safe inside a double-quoted CSS string.
fn css_string(s: &str) -> String {
    xml::clean(s)
        .chars()
        .filter(|c| !matches!(c, '"' | '\\' | '\n' | '\r' | '<' | '>' | '{' | '}'))
        .collect()
}
