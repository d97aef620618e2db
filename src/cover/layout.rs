//! Line breaking and size fitting for cover text. Titles are set in balanced lines (all
//! about as long as each other, rather than full lines and a short last one), never ending a
//! line on a short function word when it can be helped, at the largest size that fits the
//! space given.

use super::font::{Face, Run};

/// A block of centred lines at one size.
#[derive(Debug, Clone)]
pub struct Block {
    pub lines: Vec<Run>,
    pub px: f32,
    /// Baseline-to-baseline distance.
    pub leading: f32,
}

impl Block {
    /// From the top of the first line's capitals to the last baseline.
    pub fn height(&self, face: &Face) -> f32 {
        if self.lines.is_empty() {
            return 0.0;
        }
        face.cap_height(self.px) + self.leading * (self.lines.len() - 1) as f32
    }

    pub fn widest(&self) -> f32 {
        self.lines.iter().map(|l| l.width).fold(0.0, f32::max)
    }
}

/// How a block may be set.
#[derive(Debug, Clone, Copy)]
pub struct Fit {
    pub max_px: f32,
    /// Largest size for text on more than one line: a single word may be set larger.
    pub max_px_lines: f32,
    pub min_px: f32,
    pub measure: f32,
    /// Leading as a multiple of the size.
    pub leading: f32,
    pub max_lines: usize,
    /// Score kept per extra line (1: lines cost nothing; titles want few breaks).
    pub line_penalty: f32,
    /// Room for the block, cap height to last baseline.
    pub max_height: f32,
    pub tracking: f32,
}

/// Sets `text` in the number of lines that shows it best: for each line count, the largest
/// size from `fit.max_px` down to `fit.min_px` that fits, scored by size and by how even
/// the lines are (a lone short word between two long lines reads badly, however large).
/// When nothing fits it keeps shrinking and, as a last resort, breaks inside words, so that
/// any text ends up on the cover.
pub fn fit(face: &Face, text: &str, fit: &Fit) -> Block {
    let mut best: Option<(f32, Block)> = None;
    let mut counts_seen = Vec::new();
    let mut px = fit.max_px;
    while px >= fit.min_px {
        if let Some(block) = attempt(face, text, px, fit, fit.max_lines, false) {
            let count = block.lines.len();
            if !counts_seen.contains(&count) && (count == 1 || px <= fit.max_px_lines) {
                counts_seen.push(count);
                // Each extra line breaks the phrase once more.
                let score = px * evenness(&block) * fit.line_penalty.powi(count as i32 - 1);
                if best.as_ref().is_none_or(|(s, _)| score > *s) {
                    best = Some((score, block));
                }
            }
        }
        px -= (px * 0.02).max(1.0);
    }
    if let Some((_, block)) = best {
        return block;
    }
    loop {
        let last_resort = px <= fit.min_px / 2.0;
        if let Some(block) = attempt(face, text, px, fit, usize::MAX, last_resort) {
            return block;
        }
        if last_resort {
            // Only a glyph wider than the measure leaves no way to break: set it as is.
            return Block {
                lines: vec![face.set(text, px, fit.tracking)],
                px,
                leading: px * fit.leading,
            };
        }
        px = (px - (px * 0.03).max(1.0)).max(fit.min_px / 2.0);
    }
}

fn attempt(
    face: &Face,
    text: &str,
    px: f32,
    fit: &Fit,
    max_lines: usize,
    split_chars: bool,
) -> Option<Block> {
    let lines = balance(face, text, px, fit, max_lines, split_chars)?;
    let block = Block {
        lines,
        px,
        leading: px * fit.leading,
    };
    (block.height(face) <= fit.max_height || split_chars).then_some(block)
}

/// 1 for lines of equal length, down to 0.5 as the shortest line shrinks to nothing.
fn evenness(block: &Block) -> f32 {
    let widest = block.widest();
    if block.lines.len() < 2 || widest <= 0.0 {
        return 1.0;
    }
    let shortest = block.lines.iter().map(|l| l.width).fold(f32::MAX, f32::min);
    1.0 - 0.5 * (1.0 - shortest / widest)
}

/// A piece of text lines may break after.
struct Token {
    text: String,
    /// Whether a space separates it from the previous token.
    space_before: bool,
}

/// Words, with a break also allowed after a hyphen, dash or slash inside a word.
fn tokens(text: &str, split_chars: bool) -> Vec<Token> {
    let mut out = Vec::new();
    for word in text.split_whitespace() {
        let mut first = true;
        let mut current = String::new();
        for c in word.chars() {
            current.push(c);
            if matches!(c, '-' | '‐' | '–' | '—' | '/') || split_chars {
                out.push(Token {
                    text: std::mem::take(&mut current),
                    space_before: first,
                });
                first = false;
            }
        }
        if !current.is_empty() {
            out.push(Token {
                text: current,
                space_before: first,
            });
        }
    }
    out
}

/// Words a line should not end on (English, French, Spanish, German, Italian).
const CLINGING: &[&str] = &[
    "a", "an", "the", "of", "in", "on", "to", "at", "by", "for", "and", "or", "with", "from", "as",
    "is", "de", "la", "le", "el", "les", "des", "du", "y", "et", "und", "der", "die", "das", "il",
    "lo", "un", "une", "una", "al",
];

fn balance(
    face: &Face,
    text: &str,
    px: f32,
    fit: &Fit,
    max_lines: usize,
    split_chars: bool,
) -> Option<Vec<Run>> {
    let tokens = tokens(text, split_chars);
    if tokens.is_empty() {
        return Some(Vec::new());
    }
    let space = face.set(" ", px, 0.0).width + fit.tracking * px;
    let widths: Vec<f32> = tokens
        .iter()
        .map(|t| face.set(&t.text, px, fit.tracking).width)
        .collect();
    let n = tokens.len();
    // width(i, j): tokens i..j on one line.
    let width = |i: usize, j: usize| -> f32 {
        (i..j)
            .map(|k| {
                widths[k]
                    + if k > i && tokens[k].space_before {
                        space
                    } else {
                        0.0
                    }
            })
            .sum()
    };
    let line_count = min_lines(n, fit.measure, &width)?;
    if line_count > max_lines {
        return None;
    }
    let target = width(0, n) / line_count as f32;
    // best[l][j]: least cost setting tokens 0..j in l lines; from[l][j]: where line l starts.
    let mut best = vec![vec![f32::INFINITY; n + 1]; line_count + 1];
    let mut from = vec![vec![0usize; n + 1]; line_count + 1];
    best[0][0] = 0.0;
    for l in 1..=line_count {
        for j in 1..=n {
            for i in (l - 1)..j {
                if !best[l - 1][i].is_finite() {
                    continue;
                }
                let w = width(i, j);
                if w > fit.measure {
                    continue;
                }
                let slack = (target - w) / px;
                let mut cost = slack * slack;
                let last = tokens[j - 1].text.to_lowercase();
                if j < n && CLINGING.contains(&last.as_str()) {
                    cost += 8.0;
                }
                if j < n && !tokens[j].space_before && !last.ends_with(['-', '‐', '–', '—', '/'])
                {
                    cost += 50.0; // a break inside a word
                }
                let total = best[l - 1][i] + cost;
                if total < best[l][j] {
                    best[l][j] = total;
                    from[l][j] = i;
                }
            }
        }
    }
    if !best[line_count][n].is_finite() {
        return None;
    }
    let mut bounds = Vec::with_capacity(line_count);
    let mut j = n;
    for l in (1..=line_count).rev() {
        let i = from[l][j];
        bounds.push((i, j));
        j = i;
    }
    bounds.reverse();
    Some(
        bounds
            .into_iter()
            .map(|(i, j)| {
                let mut line = String::new();
                for (k, t) in tokens[i..j].iter().enumerate() {
                    if k > 0 && t.space_before {
                        line.push(' ');
                    }
                    line.push_str(&t.text);
                }
                face.set(&line, px, fit.tracking)
            })
            .collect(),
    )
}

/// The fewest lines the tokens fit in (greedy filling is optimal for the count), or `None`
/// when one token alone is wider than the measure.
fn min_lines(n: usize, measure: f32, width: &dyn Fn(usize, usize) -> f32) -> Option<usize> {
    let mut lines = 0;
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        if width(i, j) > measure {
            return None;
        }
        while j < n && width(i, j + 1) <= measure {
            j += 1;
        }
        lines += 1;
        i = j;
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cover::font::Style;

    fn lines(block: &Block) -> Vec<f32> {
        block.lines.iter().map(|l| l.width).collect()
    }

    const FIT: Fit = Fit {
        max_px: 200.0,
        max_px_lines: 200.0,
        min_px: 80.0,
        measure: 1200.0,
        leading: 1.1,
        max_lines: 4,
        line_penalty: 0.85,
        max_height: 1000.0,
        tracking: 0.0,
    };

    #[test]
    fn lines_are_balanced_and_fit() {
        let face = Face::load(Style::Regular).expect("font");
        let block = fit(&face, "The Quiet Art of Binding Books by Hand", &FIT);
        let widths = lines(&block);
        assert!(widths.len() >= 2, "{widths:?}");
        assert!(widths.iter().all(|&w| w <= FIT.measure));
        let (lo, hi) = (
            widths.iter().copied().fold(f32::MAX, f32::min),
            block.widest(),
        );
        assert!(lo > hi * 0.6, "unbalanced lines {widths:?}");
    }

    #[test]
    fn a_lone_short_line_is_avoided() {
        let face = Face::load(Style::Regular).expect("font");
        let fit3 = Fit {
            max_px: 290.0,
            max_px_lines: 240.0,
            min_px: 96.0,
            measure: 1180.0,
            ..FIT
        };
        let block = fit(&face, "The DPRK’s man in the west", &fit3);
        let widths = lines(&block);
        let shortest = widths.iter().copied().fold(f32::MAX, f32::min);
        assert!(shortest > block.widest() * 0.5, "{widths:?}");
    }

    #[test]
    fn short_titles_get_the_largest_size() {
        let face = Face::load(Style::Regular).expect("font");
        let block = fit(&face, "Ink", &FIT);
        assert_eq!(block.px, FIT.max_px);
        assert_eq!(block.lines.len(), 1);
    }

    #[test]
    fn an_overlong_word_still_fits() {
        let face = Face::load(Style::Regular).expect("font");
        let word = "Pneumonoultramicroscopicsilicovolcanoconiosis".repeat(3);
        let block = fit(&face, &word, &FIT);
        assert!(block.widest() <= FIT.measure, "{}", block.widest());
    }
}
