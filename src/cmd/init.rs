//! `inkbind init [DIR]`: scaffolds a new book — a sample chapter showing front matter,
//! footnotes and an image, the image itself, a commented `book.toml`, a `.gitignore` and
//! a generated cover in `covers/`. Existing files are never touched.

use std::fs::{self, OpenOptions};
use std::io::{Cursor, ErrorKind, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::cli::InitArgs;

const CHAPTER: &str = "manuscript/01-beginning.md";
const IMAGE: &str = "manuscript/images/open-book.png";

const BOOK_TOML: &str = r#"# Settings for this book. Everything here is optional: the front matter at the top of
# the first file in manuscript/ takes the same keys and wins over this file, and
# `inkbind build --metadata KEY=VALUE` wins over both. Uncomment what you need.
#
# title = "My First Book"
# subtitle = "A sample to replace with your own"
# author = ["Your Name"]       # or [{ name = "Your Name", role = "aut", file-as = "Name, Your" }]
# lang = "en"                  # BCP 47: en, en-GB, fr, pt-BR…
# date = "2025-01-01"          # YYYY-MM-DD; also fixes dcterms:modified (reproducible builds)
# identifier = "urn:isbn:9780000000000"   # default: a UUID derived from title and date
# publisher = "…"
# rights = "© 2025 Your Name"
# series = "My Series"
# group-position = 1
#
# chapters = ["01-beginning.md"] # reading order; default: file-name order
# split-level = 1              # a new XHTML file at every heading of this level or higher
# toc-depth = 2                # headings down to this level appear in the table of contents
# css = ["styles/extra.css"]   # stylesheets added after the theme
# highlight = false            # leave ```rust (and other) code blocks unhighlighted
# cover-image = "covers/cover.jpg"
"#;

const GITIGNORE: &str = "# Built books: `inkbind build` writes them here.\n/out/\n";

pub fn run(args: &InitArgs) -> Result<Vec<String>> {
    let dir = &args.dir;
    fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
    let mut lines = Vec::new();
    let write = |lines: &mut Vec<String>, rel: &str, bytes: &[u8]| -> Result<()> {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .with_context(|| format!("creating `{}`", parent.display()))?;
        }
        // `create_new` makes "never overwrite" hold even if the file appears meanwhile.
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(mut f) => {
                f.write_all(bytes)
                    .with_context(|| format!("writing `{}`", path.display()))?;
                lines.push(format!("created {}", path.display()));
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => {
                lines.push(format!("kept    {} (already exists)", path.display()));
            }
            Err(e) => return Err(e).with_context(|| format!("creating `{}`", path.display())),
        }
        Ok(())
    };
    // A sample chapter added to an existing manuscript would end up inside that book.
    if holds(&dir.join("manuscript"), crate::book::MARKDOWN_EXTENSIONS) {
        lines.push(format!(
            "kept    {} (it already holds Markdown; no sample chapter added)",
            dir.join("manuscript").display()
        ));
    } else {
        write(&mut lines, CHAPTER, sample_chapter().as_bytes())?;
        write(&mut lines, IMAGE, &sample_image()?)?;
    }
    write(&mut lines, "book.toml", BOOK_TOML.as_bytes())?;
    write(&mut lines, ".gitignore", GITIGNORE.as_bytes())?;
    let covers = dir.join("covers");
    fs::create_dir_all(&covers).with_context(|| format!("creating `{}`", covers.display()))?;
    if !holds(&covers, crate::book::COVER_EXTENSIONS) {
        write(&mut lines, "covers/cover.jpg", &sample_cover(dir)?)?;
    }
    lines.push(format!(
        "ready: run `inkbind build` in {} (replace covers/cover.jpg with your own, or delete \
         it to have one generated from the metadata at every build)",
        dir.display()
    ));
    Ok(lines)
}

/// The cover inkbind would generate for the sample's metadata, so the new book opens with
/// one and the user can see what is made when none is given.
fn sample_cover(dir: &Path) -> Result<Vec<u8>> {
    let diags = crate::diag::Diagnostics::default();
    let chapter = dir.join(CHAPTER);
    let text = fs::read_to_string(&chapter).unwrap_or_else(|_| sample_chapter());
    let meta = crate::book::metadata_from_text(&text, &chapter, dir, &diags)
        .context("reading the sample chapter's metadata for the cover")?;
    Ok(crate::cover::generate(&meta, crate::cover::Encoding::Jpeg)?.bytes)
}

/// Whether `dir` holds a file the build would read as one of `extensions` (the loader's
/// own lists, so `init` and `build` agree on what a manuscript or a cover is).
fn holds(dir: &Path, extensions: &[&str]) -> bool {
    fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .filter_map(|e| e.ok())
            .any(|e| crate::book::has_extension(&e.path(), extensions))
    })
}

fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    chrono::DateTime::from_timestamp(secs, 0)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

fn sample_chapter() -> String {
    format!(
        r#"---
title: "My First Book"
subtitle: "A sample to replace with your own"
author: "Your Name"
lang: en
date: {date}
description: "One sentence that tells readers what the book is about."
---

# The Beginning

Everything between the two `---` lines above is *front matter*: the book's title,
author, language and date. Only the first file in `manuscript/` carries it. Every
Markdown file in `manuscript/` becomes part of the book, in file-name order, so name
them `01-…`, `02-…` and so on.

Write as you would in any Markdown editor. Quotes become “curly”, and two hyphens
become a dash -- like this. Footnotes are written where they belong[^note] and end
up linked both ways in the e-book.

![An open book drawn in a few strokes](images/open-book.png)

## A Second Heading

Headings make the table of contents. Run `inkbind build` to bind the book into
`out/`, `inkbind watch` to rebuild it on every save, and `inkbind check` on any
EPUB to find what a reader or a store would reject.

[^note]: A footnote. Readers show it in a pop-up or at the end of the chapter.
"#,
        date = today()
    )
}

/// A small drawing of an open book, encoded as PNG, so the sample has a real image.
fn sample_image() -> Result<Vec<u8>> {
    let (w, h) = (480u32, 300u32);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32 / w as f32, y as f32 / h as f32);
        // Two pages meeting at a spine, slightly raised at the outer edges.
        let page_top = 0.22 + 0.08 * (fx - 0.5).abs() * 2.0;
        let on_page = fy > page_top && fy < 0.82 && (0.12..0.88).contains(&fx);
        let spine = (fx - 0.5).abs() < 0.004 && on_page;
        let line = on_page
            && ((fx > 0.17 && fx < 0.45) || (fx > 0.55 && fx < 0.83))
            && (((fy - page_top) * 100.0) as u32).is_multiple_of(7)
            && fy > page_top + 0.06;
        if spine || line {
            image::Rgb([120, 110, 100])
        } else if on_page {
            image::Rgb([250, 246, 236])
        } else {
            image::Rgb([62, 92, 118])
        }
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .context("encoding the sample image")?;
    Ok(out.into_inner())
}
