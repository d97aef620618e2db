//! The bundled cover font (EB Garamond, SIL OFL 1.1; licence in `assets/fonts/OFL.txt`)
//! and the little typesetting a cover needs: characters to glyphs with the f-ligatures,
//! pair kerning from GPOS `kern`, lining figures and letter-spacing for capitals, and
//! drawing the glyphs onto an image with anti-aliasing.

use ab_glyph::{Font as _, FontRef, PxScale, point};
use anyhow::{Result, anyhow};
use image::{Rgb, RgbImage};
use ttf_parser::gpos::{PairAdjustment, PositioningSubtable};
use ttf_parser::gsub::{SingleSubstitution, SubstitutionSubtable};
use ttf_parser::{GlyphId, Tag};

static REGULAR: &[u8] = include_bytes!("../../assets/fonts/EBGaramond12-Regular.otf");
static ITALIC: &[u8] = include_bytes!("../../assets/fonts/EBGaramond12-Italic.otf");

/// Which of the bundled faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Regular,
    Italic,
}

/// One face, parsed twice: by ab_glyph to draw, by ttf-parser to read layout tables.
pub struct Face {
    draw: FontRef<'static>,
    tables: ttf_parser::Face<'static>,
    upem: f32,
    lnum: Vec<u16>,
    kern: Vec<u16>,
}

/// A run of text set at one size: glyphs with their pen positions, and its advance width.
#[derive(Debug, Clone)]
pub struct Run {
    pub glyphs: Vec<(GlyphId, f32)>,
    pub width: f32,
    pub px: f32,
}

impl Face {
    pub fn load(style: Style) -> Result<Face> {
        let bytes = match style {
            Style::Regular => REGULAR,
            Style::Italic => ITALIC,
        };
        let draw = FontRef::try_from_slice(bytes).map_err(|e| anyhow!("bundled font: {e}"))?;
        let tables = ttf_parser::Face::parse(bytes, 0).map_err(|e| anyhow!("bundled font: {e}"))?;
        let upem = f32::from(tables.units_per_em());
        let lnum = feature_lookups(tables.tables().gsub, b"lnum");
        let kern = feature_lookups(tables.tables().gpos, b"kern");
        Ok(Face {
            draw,
            tables,
            upem,
            lnum,
            kern,
        })
    }

    /// Sets `text` at `px` (the em size in pixels), adding `tracking` em after each glyph
    /// but the last. Letter-spaced text is set in capitals: it gets lining figures (the
    /// font's default old-style figures look too small beside capitals) and no ligatures.
    pub fn set(&self, text: &str, px: f32, tracking: f32) -> Run {
        let mut ids = self.glyph_ids(text);
        if tracking == 0.0 {
            ids = self.ligate(ids);
        } else {
            ids = ids.into_iter().map(|id| self.lining(id)).collect();
        }
        let scale = px / self.upem;
        let mut glyphs = Vec::with_capacity(ids.len());
        let mut x = 0.0;
        for (i, &id) in ids.iter().enumerate() {
            glyphs.push((id, x));
            x += f32::from(self.tables.glyph_hor_advance(id).unwrap_or(0)) * scale;
            if let Some(&next) = ids.get(i + 1) {
                x += f32::from(self.kerning(id, next)) * scale + tracking * px;
            }
        }
        Run {
            glyphs,
            width: x,
            px,
        }
    }

    /// Distance from the baseline to the top of a capital, in pixels at `px`.
    pub fn cap_height(&self, px: f32) -> f32 {
        let cap = self.tables.capital_height().unwrap_or(650);
        f32::from(cap) * px / self.upem
    }

    /// Draws `run` with its left end at `x` and its baseline at `baseline`.
    pub fn draw(&self, img: &mut RgbImage, run: &Run, x: f32, baseline: f32, ink: [u8; 3]) {
        // ab_glyph scales to ascent − descent, not to the em.
        let scale = PxScale::from(run.px * self.draw.height_unscaled() / self.upem);
        let (w, h) = (i64::from(img.width()), i64::from(img.height()));
        let light = Light::new();
        let ink = ink.map(|c| light.linear[usize::from(c)]);
        for &(id, dx) in &run.glyphs {
            let glyph =
                ab_glyph::GlyphId(id.0).with_scale_and_position(scale, point(x + dx, baseline));
            let Some(outlined) = self.draw.outline_glyph(glyph) else {
                continue;
            };
            let bounds = outlined.px_bounds();
            outlined.draw(|gx, gy, coverage| {
                let px = bounds.min.x as i64 + i64::from(gx);
                let py = bounds.min.y as i64 + i64::from(gy);
                if px < 0 || py < 0 || px >= w || py >= h {
                    return;
                }
                let pixel = img.get_pixel_mut(px as u32, py as u32);
                *pixel = light.blend(*pixel, ink, coverage.clamp(0.0, 1.0));
            });
        }
    }

    fn glyph_ids(&self, text: &str) -> Vec<GlyphId> {
        let mut ids = Vec::with_capacity(text.len());
        for c in text.chars() {
            if let Some(id) = self.tables.glyph_index(c) {
                ids.push(id);
                continue;
            }
            // A character the font lacks: its closest ASCII spelling, else nothing.
            let fallback = deunicode::deunicode_char(c).unwrap_or("");
            ids.extend(fallback.chars().filter_map(|f| self.tables.glyph_index(f)));
        }
        ids
    }

    /// The f-ligatures (ff, fi, fl, ffi, ffl): without them the f's hook collides with the
    /// next letter. EB Garamond reaches them through contextual lookups; their Unicode
    /// compatibility code points lead to the same glyphs more simply.
    fn ligate(&self, ids: Vec<GlyphId>) -> Vec<GlyphId> {
        let (Some(f), Some(i), Some(l)) = (
            self.tables.glyph_index('f'),
            self.tables.glyph_index('i'),
            self.tables.glyph_index('l'),
        ) else {
            return ids;
        };
        let table: [(&[GlyphId], char); 5] = [
            (&[f, f, i], '\u{FB03}'),
            (&[f, f, l], '\u{FB04}'),
            (&[f, f], '\u{FB00}'),
            (&[f, i], '\u{FB01}'),
            (&[f, l], '\u{FB02}'),
        ];
        let mut out = Vec::with_capacity(ids.len());
        let mut k = 0;
        'glyphs: while k < ids.len() {
            for (parts, lig) in &table {
                if ids[k..].starts_with(parts)
                    && let Some(glyph) = self.tables.glyph_index(*lig)
                {
                    out.push(glyph);
                    k += parts.len();
                    continue 'glyphs;
                }
            }
            out.push(ids[k]);
            k += 1;
        }
        out
    }

    /// The lining form of a figure (GSUB `lnum`), or the glyph itself.
    fn lining(&self, id: GlyphId) -> GlyphId {
        let Some(gsub) = self.tables.tables().gsub else {
            return id;
        };
        for &index in &self.lnum {
            let Some(lookup) = gsub.lookups.get(index) else {
                continue;
            };
            for sub in lookup.subtables.into_iter::<SubstitutionSubtable>() {
                let SubstitutionSubtable::Single(single) = sub else {
                    continue;
                };
                let found = match single {
                    SingleSubstitution::Format1 { coverage, delta } => coverage
                        .get(id)
                        .map(|_| GlyphId(id.0.wrapping_add_signed(delta))),
                    SingleSubstitution::Format2 {
                        coverage,
                        substitutes,
                    } => coverage.get(id).and_then(|i| substitutes.get(i)),
                };
                if let Some(found) = found {
                    return found;
                }
            }
        }
        id
    }

    /// The horizontal adjustment between two glyphs, in font units (GPOS pair positioning).
    fn kerning(&self, left: GlyphId, right: GlyphId) -> i16 {
        let Some(gpos) = self.tables.tables().gpos else {
            return 0;
        };
        for &index in &self.kern {
            let Some(lookup) = gpos.lookups.get(index) else {
                continue;
            };
            for sub in lookup.subtables.into_iter::<PositioningSubtable>() {
                let PositioningSubtable::Pair(pair) = sub else {
                    continue;
                };
                let value = match pair {
                    PairAdjustment::Format1 { coverage, sets } => coverage
                        .get(left)
                        .and_then(|i| sets.get(i))
                        .and_then(|set| set.get(right)),
                    PairAdjustment::Format2 {
                        coverage,
                        classes,
                        matrix,
                    } => coverage
                        .get(left)
                        .and_then(|_| matrix.get((classes.0.get(left), classes.1.get(right)))),
                };
                if let Some((first, _)) = value {
                    return first.x_advance;
                }
            }
        }
        0
    }
}

/// The lookups a feature uses, in lookup order, once each.
fn feature_lookups(
    table: Option<ttf_parser::opentype_layout::LayoutTable>,
    tag: &[u8; 4],
) -> Vec<u16> {
    let Some(table) = table else {
        return Vec::new();
    };
    let tag = Tag::from_bytes(tag);
    let mut lookups: Vec<u16> = table
        .features
        .into_iter()
        .filter(|f| f.tag == tag)
        .flat_map(|f| f.lookup_indices.into_iter())
        .collect();
    lookups.sort_unstable();
    lookups.dedup();
    lookups
}

/// sRGB ↔ linear light tables, so anti-aliased edges mix colours as light does and thin
/// strokes keep their weight on dark grounds.
struct Light {
    linear: [f32; 256],
    /// sRGB byte for linear values in steps of 1/4095.
    encode: Vec<u8>,
}

impl Light {
    fn new() -> Light {
        let linear = std::array::from_fn(|i| {
            let v = i as f32 / 255.0;
            if v <= 0.04045 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        });
        let encode = (0..4096)
            .map(|i| {
                let v = i as f32 / 4095.0;
                let s = if v <= 0.003_130_8 {
                    v * 12.92
                } else {
                    1.055 * v.powf(1.0 / 2.4) - 0.055
                };
                (s * 255.0).round() as u8
            })
            .collect();
        Light { linear, encode }
    }

    fn blend(&self, bg: Rgb<u8>, ink: [f32; 3], coverage: f32) -> Rgb<u8> {
        Rgb(std::array::from_fn(|c| {
            let b = self.linear[usize::from(bg[c])];
            let mixed = (b + (ink[c] - b) * coverage).clamp(0.0, 1.0);
            self.encode[(mixed * 4095.0).round() as usize]
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_tightens_av() {
        let face = Face::load(Style::Regular).expect("font");
        let kerned = face.set("AV", 100.0, 0.0).width;
        let a = face.set("A", 100.0, 0.0).width;
        let v = face.set("V", 100.0, 0.0).width;
        assert!(kerned < a + v - 1.0, "AV {kerned} vs A+V {}", a + v);
    }

    #[test]
    fn fi_becomes_one_glyph() {
        let face = Face::load(Style::Regular).expect("font");
        assert_eq!(face.set("fi", 100.0, 0.0).glyphs.len(), 1);
        assert_eq!(face.set("fi", 100.0, 0.1).glyphs.len(), 2);
    }

    #[test]
    fn spaced_capitals_get_lining_figures() {
        let face = Face::load(Style::Regular).expect("font");
        let plain = face.set("2024", 100.0, 0.0).glyphs[0].0;
        let spaced = face.set("2024", 100.0, 0.2).glyphs[0].0;
        assert_ne!(plain, spaced);
    }
}
