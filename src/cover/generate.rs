//! The generated cover: a typographic 1600×2560 cover drawn from the metadata alone.
//!
//! The design is a classic publisher's typographic jacket: one deep ground colour, a thin
//! inset frame and a short rule in a warm accent, the title in EB Garamond set large in
//! balanced lines above the optical centre, the subtitle in italic below the rule, and the
//! author (or, for an article, the date) in spaced capitals at the foot. The palette is
//! picked from a short list of restrained pairs by a hash of the title and authors, so a
//! book keeps its colours from build to build and different books differ. Nothing depends
//! on the clock, the machine or the fonts installed: the same metadata gives the same bytes.

use anyhow::{Context, Result};
use image::{Rgb, RgbImage};

use super::CoverImage;
use super::font::{Face, Style};
use super::layout::{self, Block, Fit};
use super::normalise::encode;
use crate::book::Metadata;

pub const COVER_WIDTH: u32 = 1600;
pub const COVER_HEIGHT: u32 = 2560;

/// How the generated cover is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Jpeg,
    Png,
}

/// Ground, title ink, secondary ink, accent.
struct Palette {
    ground: [u8; 3],
    title: [u8; 3],
    text: [u8; 3],
    accent: [u8; 3],
}

const PALETTES: &[Palette] = &[
    // Midnight blue and brass.
    Palette {
        ground: [0x1C, 0x27, 0x38],
        title: [0xF4, 0xEE, 0xE2],
        text: [0xCF, 0xC6, 0xB6],
        accent: [0xC9, 0xA2, 0x5E],
    },
    // Oxblood and gold.
    Palette {
        ground: [0x57, 0x1E, 0x22],
        title: [0xF6, 0xEC, 0xDF],
        text: [0xE0, 0xCB, 0xB9],
        accent: [0xD9, 0xAE, 0x66],
    },
    // Bottle green and old gold.
    Palette {
        ground: [0x1D, 0x3A, 0x2F],
        title: [0xF1, 0xEC, 0xDE],
        text: [0xCB, 0xD1, 0xBF],
        accent: [0xCB, 0xA6, 0x5F],
    },
    // Charcoal and vermilion.
    Palette {
        ground: [0x24, 0x24, 0x26],
        title: [0xF3, 0xEF, 0xE7],
        text: [0xC4, 0xBE, 0xB4],
        accent: [0xD3, 0x5A, 0x3C],
    },
    // Ivory paper, black ink, oxblood.
    Palette {
        ground: [0xF1, 0xEB, 0xDE],
        title: [0x1E, 0x1D, 0x1B],
        text: [0x4E, 0x47, 0x40],
        accent: [0x8E, 0x2F, 0x2A],
    },
    // Deep teal and coral.
    Palette {
        ground: [0x16, 0x36, 0x3C],
        title: [0xEF, 0xF0, 0xE9],
        text: [0xC2, 0xD0, 0xCC],
        accent: [0xE0, 0x86, 0x68],
    },
    // Aubergine and ochre.
    Palette {
        ground: [0x38, 0x22, 0x3A],
        title: [0xF4, 0xEC, 0xE6],
        text: [0xD8, 0xC8, 0xD2],
        accent: [0xD6, 0xA4, 0x5C],
    },
    // Stone paper, ink and slate blue.
    Palette {
        ground: [0xE6, 0xE1, 0xD5],
        title: [0x22, 0x25, 0x2B],
        text: [0x4B, 0x50, 0x58],
        accent: [0x3A, 0x5A, 0x7C],
    },
];

const FRAME_INSET: u32 = 84;
const FRAME_STROKE: u32 = 3;
const MEASURE: f32 = 1180.0;
/// The title group is centred here, a little above the middle (the optical centre).
const OPTICAL_CENTRE: f32 = 1060.0;
const TOP_LIMIT: f32 = 330.0;
/// Baseline of the author or date line.
const FOOT_BASELINE: f32 = 2225.0;

pub fn generate(meta: &Metadata, encoding: Encoding) -> Result<CoverImage> {
    encode(&draw(meta)?, encoding)
}

fn draw(meta: &Metadata) -> Result<RgbImage> {
    let regular = Face::load(Style::Regular).context("loading the cover font")?;
    let italic = Face::load(Style::Italic).context("loading the cover font")?;
    let authors = author_line(meta);
    let palette = &PALETTES
        [(fnv1a(&format!("{}\n{}", meta.title, authors)) % PALETTES.len() as u64) as usize];

    let mut img = RgbImage::from_pixel(COVER_WIDTH, COVER_HEIGHT, Rgb(palette.ground));
    frame(&mut img, palette.accent);

    let title = smarten(meta.title.trim());
    let title = layout::fit(
        &regular,
        &title,
        &Fit {
            max_px: 290.0,
            max_px_lines: 240.0,
            min_px: 96.0,
            measure: MEASURE,
            leading: 1.08,
            max_lines: 4,
            line_penalty: 0.85,
            max_height: 1050.0,
            tracking: 0.0,
        },
    );
    let subtitle = meta
        .subtitle
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            layout::fit(
                &italic,
                &smarten(s),
                &Fit {
                    max_px: 74.0,
                    max_px_lines: 74.0,
                    min_px: 46.0,
                    measure: MEASURE - 100.0,
                    leading: 1.32,
                    max_lines: 5,
                    line_penalty: 0.97,
                    max_height: 480.0,
                    tracking: 0.0,
                },
            )
        });

    // The group: title, rule, subtitle; centred on the optical centre.
    let rule_gap = (title.px * 0.55).clamp(70.0, 110.0);
    let title_h = title.height(&regular);
    let sub_gap = 96.0;
    let sub_h = subtitle.as_ref().map_or(0.0, |s| s.height(&italic));
    let group_h = title_h + rule_gap + subtitle.as_ref().map_or(0.0, |_| sub_gap + sub_h);
    let top = (OPTICAL_CENTRE - group_h / 2.0).max(TOP_LIMIT);

    draw_block(&mut img, &regular, &title, top, palette.title);
    let rule_y = top + title_h + rule_gap;
    fill(
        &mut img,
        (COVER_WIDTH as f32 / 2.0 - 90.0) as u32,
        rule_y as u32,
        180,
        4,
        palette.accent,
    );
    if let Some(sub) = &subtitle {
        draw_block(&mut img, &italic, sub, rule_y + sub_gap, palette.text);
    }

    let foot = if authors.is_empty() {
        meta.display_date()
            .or_else(|| meta.publisher.clone())
            .unwrap_or_default()
    } else {
        authors
    };
    if !foot.trim().is_empty() {
        // One line if it fits at a readable size, else up to three.
        let mut fit = Fit {
            max_px: 50.0,
            max_px_lines: 50.0,
            min_px: 34.0,
            measure: MEASURE,
            leading: 1.5,
            max_lines: 1,
            line_penalty: 1.0,
            max_height: 200.0,
            tracking: 0.2,
        };
        let foot = foot.to_uppercase();
        let mut block = layout::fit(&regular, &foot, &fit);
        if block.px < fit.min_px {
            fit.max_lines = 3;
            block = layout::fit(&regular, &foot, &fit);
        }
        let last = (block.lines.len().max(1) - 1) as f32 * block.leading;
        let top = FOOT_BASELINE - last - regular.cap_height(block.px);
        draw_block(&mut img, &regular, &block, top, palette.accent);
    }
    Ok(img)
}

/// Draws centred lines with the first line's capitals starting at `top`.
fn draw_block(img: &mut RgbImage, face: &Face, block: &Block, top: f32, ink: [u8; 3]) {
    let mut baseline = top + face.cap_height(block.px);
    for line in &block.lines {
        let x = (COVER_WIDTH as f32 - line.width) / 2.0;
        face.draw(img, line, x, baseline, ink);
        baseline += block.leading;
    }
}

fn frame(img: &mut RgbImage, ink: [u8; 3]) {
    let (w, h) = (
        COVER_WIDTH - 2 * FRAME_INSET,
        COVER_HEIGHT - 2 * FRAME_INSET,
    );
    let (x, y) = (FRAME_INSET, FRAME_INSET);
    fill(img, x, y, w, FRAME_STROKE, ink);
    fill(img, x, y + h - FRAME_STROKE, w, FRAME_STROKE, ink);
    fill(img, x, y, FRAME_STROKE, h, ink);
    fill(img, x + w - FRAME_STROKE, y, FRAME_STROKE, h, ink);
}

fn fill(img: &mut RgbImage, x: u32, y: u32, w: u32, h: u32, ink: [u8; 3]) {
    for py in y..(y + h).min(img.height()) {
        for px in x..(x + w).min(img.width()) {
            img.put_pixel(px, py, Rgb(ink));
        }
    }
}

/// The authors as a cover names them: `A`, `A & B`, `A, B & C`.
fn author_line(meta: &Metadata) -> String {
    let mut names: Vec<&str> = meta
        .creators
        .iter()
        .filter(|c| c.role == "aut")
        .map(|c| c.name.trim())
        .filter(|n| !n.is_empty())
        .collect();
    if names.is_empty() {
        names = meta
            .creators
            .iter()
            .map(|c| c.name.trim())
            .filter(|n| !n.is_empty())
            .collect();
    }
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} & {last}", rest.join(", ")),
    }
}

/// Straight quotes to typographic ones: a title set this large shows every typewriter mark.
fn smarten(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let opening = prev.is_none_or(|p| p.is_whitespace() || "([{‘“—–-".contains(p));
        out.push(match (c, opening) {
            ('\'', true) => '‘',
            ('\'', false) => '’',
            ('"', true) => '“',
            ('"', false) => '”',
            _ => c,
        });
        prev = Some(c);
    }
    out
}

/// FNV-1a: a stable hash (std's hashers may change between Rust releases).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_become_typographic() {
        assert_eq!(smarten("Don't \"panic\""), "Don’t “panic”");
        assert_eq!(smarten("'Tis"), "‘Tis");
    }

    #[test]
    fn the_hash_is_stable() {
        assert_eq!(fnv1a(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a("a"), 0xaf63_dc4c_8601_ec8c);
    }
}
