//! A synthetic manuscript for benchmarks: realistic prose with headings, emphasis, links,
//! footnotes, lists, tables, code and a few images, split over many chapter files; or, as
//! `Kind::Code`, a programming book, where code blocks in six languages follow half the
//! paragraphs.
//! Deterministic: the same arguments always give the same files. Shared by
//! `examples/corpus.rs` and `benches/stages.rs`.

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

const WORDS: &[&str] = &[
    "the", "of", "and", "a", "to", "in", "is", "was", "that", "for", "it", "with", "as", "his",
    "on", "be", "at", "by", "had", "not", "are", "but", "from", "or", "have", "an", "they",
    "which", "one", "you", "were", "her", "all", "she", "there", "would", "their", "we", "him",
    "been", "has", "when", "who", "will", "more", "no", "if", "out", "so", "said", "what", "up",
    "its", "about", "into", "than", "them", "can", "only", "other", "new", "some", "could", "time",
    "these", "two", "may", "then", "do", "first", "any", "my", "now", "such", "like", "our",
    "over", "man", "me", "even", "most", "made", "after", "also", "did", "many", "before", "must",
    "through", "back", "years", "where", "much", "your", "way", "well", "down", "should",
    "because", "each", "just", "those", "people", "how", "too", "little", "state", "good", "very",
    "make", "world", "still", "own", "see", "men", "work", "long", "get", "here", "between",
    "both", "life", "being", "under", "never", "day", "same", "another", "know", "while", "last",
    "might", "us", "great", "old", "year", "off", "come", "since", "against", "go", "came",
    "right", "used", "take", "three", "harbour", "lantern", "quietly", "river", "evening",
    "letters", "window", "garden", "mountain", "silence", "journey", "memory", "café", "naïve",
    "déjà", "Zoë", "Brügger", "São", "Ålesund",
];

/// A small deterministic generator (xorshift64*), so no dependency is needed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn word(&mut self) -> &'static str {
        WORDS[self.below(WORDS.len())]
    }
}

fn sentence(rng: &mut Rng, out: &mut String, words: &mut usize) {
    let n = 8 + rng.below(18);
    for i in 0..n {
        let w = rng.word();
        let decorated = match rng.below(60) {
            0 => format!("*{w}*"),
            1 => format!("**{w}**"),
            2 => format!("[{w}](https://example.org/{w})"),
            3 => format!("`{w}`"),
            4 => format!("“{w}”"),
            _ => w.to_string(),
        };
        if i == 0 {
            let mut c = decorated.chars();
            if let Some(f) = c.next() {
                out.extend(f.to_uppercase());
                out.push_str(c.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(&decorated);
        }
        if i + 1 < n && rng.below(12) == 0 {
            out.push(',');
        }
    }
    *words += n;
    out.push_str(if rng.below(10) == 0 {
        "—really?"
    } else {
        "."
    });
}

/// What the synthetic book is like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Prose,
    Code,
}

/// A code block of 6 to 40 lines in one of six languages, for `Kind::Code`.
fn code_block(rng: &mut Rng, out: &mut String) {
    let (w, v, n) = (rng.word(), rng.word(), 1 + rng.below(999));
    let repeat = 1 + rng.below(5);
    match rng.below(6) {
        0 => {
            writeln!(
                out,
                "```rust
/// Gathers the {w} of every {v}.
fn {w}_{n}(items: &[u32], limit: usize) -> Option<String> {{
    let mut total: u32 = {n};"
            )
            .ok();
            for k in 0..repeat {
                writeln!(
                    out,
                    "    for (i, item) in items.iter().enumerate().take(limit) {{
        // The {v} comes after the {w}.
        if *item > {k} && i % 2 == 0 {{ total += item * {n}; }}
    }}"
                )
                .ok();
            }
            writeln!(
                out,
                "    Some(format!(\"{w}-{{total}}\"))
}}
```
"
            )
            .ok();
        }
        1 => {
            writeln!(
                out,
                "```python
def {w}_{n}(items, limit={n}):
    \"\"\"Return the {w} of the {v}.\"\"\"
    total = {n}"
            )
            .ok();
            for k in 0..repeat {
                writeln!(
                    out,
                    "    for i, item in enumerate(items[:limit]):
        if item > {k} and i % 2 == 0:
            total += item * {n}  # {v}"
                )
                .ok();
            }
            writeln!(
                out,
                "    return f\"{w}-{{total}}\"
```
"
            )
            .ok();
        }
        2 => {
            writeln!(
                out,
                "```js
export function {w}{n}(items, limit = {n}) {{
  // {w} and {v}
  let total = {n};"
            )
            .ok();
            for k in 0..repeat {
                writeln!(
                    out,
                    "  for (const [i, item] of items.slice(0, limit).entries()) {{
    if (item > {k} && i % 2 === 0) total += item * {n};
  }}"
                )
                .ok();
            }
            writeln!(
                out,
                "  return `{w}-${{total}}`;
}}
```
"
            )
            .ok();
        }
        3 => {
            out.push_str(
                "```toml
",
            );
            for k in 0..repeat {
                writeln!(
                    out,
                    "[{w}.{v}{k}]
name = \"{w}-{n}\"   # the {v}
limit = {n}
tags = [\"{w}\", \"{v}\"]
"
                )
                .ok();
            }
            out.push_str(
                "```

",
            );
        }
        4 => {
            out.push_str(
                "```sh
",
            );
            for _ in 0..repeat {
                writeln!(
                    out,
                    "for f in {w}/*.md; do
  grep -c \"{v}\" \"$f\" | awk '{{ s += $1 }} END {{ print s }}'  # {n}
done"
                )
                .ok();
            }
            out.push_str(
                "```

",
            );
        }
        _ => {
            writeln!(
                out,
                "```json
{{
  \"{w}\": {n},
  \"items\": ["
            )
            .ok();
            for k in 0..repeat {
                writeln!(
                    out,
                    "    {{ \"{v}\": \"{w}\", \"count\": {k}, \"open\": true }},"
                )
                .ok();
            }
            writeln!(
                out,
                "    null
  ]
}}
```
"
            )
            .ok();
        }
    }
}

fn chapter(rng: &mut Rng, index: usize, target: usize, images: &mut usize, kind: Kind) -> String {
    let mut out = String::with_capacity(target * 7);
    let mut words = 0;
    let mut notes = 0;
    writeln!(
        out,
        "# Chapter {index}: The {} {}\n",
        rng.word(),
        rng.word()
    )
    .ok();
    while words < target {
        match rng.below(40) {
            0 => {
                writeln!(out, "## The {} of {}\n", rng.word(), rng.word()).ok();
            }
            1 => {
                for _ in 0..3 + rng.below(4) {
                    out.push_str("- ");
                    sentence(rng, &mut out, &mut words);
                    out.push('\n');
                }
                out.push('\n');
            }
            2 => {
                out.push_str("| Place | Year | Count |\n|:---|:---:|---:|\n");
                for _ in 0..4 {
                    writeln!(
                        out,
                        "| {} | {} | {} |",
                        rng.word(),
                        1900 + rng.below(120),
                        rng.below(1000)
                    )
                    .ok();
                }
                out.push('\n');
                words += 12;
            }
            3 => {
                out.push_str(
                    "```rust\nfn main() {\n    let x = 42;\n    println!(\"{x}\");\n}\n```\n\n",
                );
            }
            4 if *images < 40 => {
                *images += 1;
                writeln!(
                    out,
                    "![A {} by the {}](images/plate-{}.png)\n",
                    rng.word(),
                    rng.word(),
                    *images % 4
                )
                .ok();
            }
            5 => {
                out.push_str("> ");
                sentence(rng, &mut out, &mut words);
                out.push_str("\n\n");
            }
            _ => {
                for _ in 0..3 + rng.below(5) {
                    sentence(rng, &mut out, &mut words);
                    out.push(' ');
                }
                if rng.below(8) == 0 {
                    notes += 1;
                    write!(out, "[^n{notes}]").ok();
                }
                out.push_str("\n\n");
                if kind == Kind::Code && rng.below(2) == 0 {
                    code_block(rng, &mut out);
                }
            }
        }
    }
    for n in 1..=notes {
        out.push_str(&format!("[^n{n}]: "));
        sentence(rng, &mut out, &mut words);
        out.push_str("\n\n");
    }
    out
}

/// Writes `words` words over `chapters` files (and four small PNG plates) into
/// `dir/manuscript`, which it returns.
pub fn write_kind(
    words: usize,
    chapters: usize,
    dir: &Path,
    kind: Kind,
) -> Result<PathBuf, String> {
    let manuscript = dir.join("manuscript");
    let images_dir = manuscript.join("images");
    fs::create_dir_all(&images_dir)
        .map_err(|e| format!("cannot create {}: {e}", images_dir.display()))?;
    for i in 0..4u8 {
        let img = image::RgbImage::from_fn(320, 200, |x, y| {
            image::Rgb([
                (x as u8).wrapping_mul(i + 1),
                (y as u8).wrapping_add(40 * i),
                120,
            ])
        });
        img.save(images_dir.join(format!("plate-{i}.png")))
            .map_err(|e| format!("cannot write image: {e}"))?;
    }
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ words as u64 ^ ((chapters as u64) << 32));
    let per_chapter = words.div_ceil(chapters.max(1));
    let mut images = 0;
    for c in 1..=chapters.max(1) {
        let mut text = String::new();
        if c == 1 {
            text.push_str(&format!(
                "---\ntitle: \"Synthetic {words} words\"\nauthor: Benchmark\nlang: en\ndate: 2024-01-01\n---\n\n"
            ));
        }
        text.push_str(&chapter(&mut rng, c, per_chapter, &mut images, kind));
        let path = manuscript.join(format!("{c:04}.md"));
        fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(manuscript)
}
