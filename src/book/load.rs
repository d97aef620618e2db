//! Loading a manuscript: find its Markdown files in order, read them strictly, merge
//! `book.toml` < front matter < `--metadata` flags into one validated
//! [`Metadata`](super::Metadata), mark front and back matter, and find the cover.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use super::keys::{self, Source};
use super::role::{self, ChapterRole, Division};
use super::{Book, Chapter, Layout, config, flags, frontmatter, order, resolve, tree};
use crate::diag::{Diagnostics, Location};
use crate::{limits, paths};

/// What the caller tells the loader.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// A Markdown file or a folder of them.
    pub path: PathBuf,
    /// Folder that every input must stay inside; `covers/` is looked for here.
    pub root: PathBuf,
    pub cover: Option<PathBuf>,
    /// `KEY=VALUE` pairs that override the front matter.
    pub metadata: Vec<String>,
    /// Seconds since the Unix epoch for `dcterms:modified` (from `SOURCE_DATE_EPOCH`).
    pub source_date_epoch: Option<i64>,
    /// Layout flags from the command line; `None` leaves the default.
    pub split_level: Option<u8>,
    pub toc_depth: Option<u8>,
    /// `--toc-page` / `--colophon`; `None` leaves it to the metadata.
    pub toc_page: Option<bool>,
    pub colophon: Option<bool>,
    /// `--no-highlight`; `None` leaves it to the metadata.
    pub highlight: Option<bool>,
}

pub(crate) const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];
pub(crate) const COVER_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp"];

pub fn load(opts: &LoadOptions, diags: &Diagnostics) -> Result<Book> {
    let mut layer = config::read(&opts.root, diags)?.unwrap_or_default();
    let flags = keys::read_layer(
        &flags::flags_tree(&opts.metadata)?,
        &Source::Flags(&opts.metadata),
        diags,
    )?;
    let single_file = opts.path.is_file();
    let mut files = manuscript_files(&opts.path, &opts.root)?;
    if let Some(order) = layer.chapters.as_ref().filter(|_| !single_file) {
        files = order::listed(&opts.path, &opts.root, order, &files, diags)?;
    }
    check_manuscript_size(&files)?;
    let mut chapters = Vec::with_capacity(files.len());
    let mut front_matter = None;
    for (index, file) in files.iter().enumerate() {
        let (chapter, meta) = read_chapter(file)?;
        if let Some((node, line_offset)) = meta {
            if index == 0 {
                let source = Source::File {
                    path: file,
                    line_offset,
                };
                front_matter = Some(keys::read_layer(&node, &source, diags)?);
            } else {
                diags.warn(
                    Some(Location::new(file, Some(1))),
                    "front matter is only read from the first manuscript file; this one is ignored",
                );
            }
        }
        chapters.push(chapter);
    }
    let first_file = files[0].clone();
    let config_order = layer.chapters.clone();
    if let Some(fm) = front_matter {
        layer.merge(fm);
    }
    layer.merge(flags);
    if let Some(order) = layer
        .chapters
        .as_ref()
        .filter(|o| Some(*o) != config_order.as_ref())
    {
        if single_file {
            diags.warn(
                order.origin.location(),
                "`chapters` is ignored: the manuscript is a single file",
            );
        } else {
            let listed = order::listed(&opts.path, &opts.root, order, &files, diags)?;
            check_manuscript_size(&listed)?;
            if listed != files {
                chapters = reorder(chapters, &files, &listed)?;
            }
        }
    }
    assign_roles(&mut chapters);
    let defaults = Layout::default();
    let layout = Layout {
        split_level: opts
            .split_level
            .or(layer.split_level.as_ref().map(|l| l.value))
            .unwrap_or(defaults.split_level),
        toc_depth: opts
            .toc_depth
            .or(layer.toc_depth.as_ref().map(|l| l.value))
            .unwrap_or(defaults.toc_depth),
        toc_page: opts
            .toc_page
            .or(layer.toc_page.as_ref().map(|l| l.value))
            .unwrap_or(defaults.toc_page),
        colophon: opts
            .colophon
            .or(layer.colophon.as_ref().map(|l| l.value))
            .unwrap_or(defaults.colophon),
        highlight: opts
            .highlight
            .or(layer.highlight.as_ref().map(|l| l.value))
            .unwrap_or(defaults.highlight),
    };
    let metadata = resolve::metadata(
        layer,
        &opts.root,
        &first_file,
        opts.source_date_epoch,
        diags,
    )?;
    let cover = match (&opts.cover, &metadata.cover_image) {
        (None, Some(image)) => Some(image.clone()),
        _ => find_cover(opts)?,
    };
    Ok(Book {
        root: opts.root.clone(),
        metadata,
        chapters,
        cover,
        layout,
    })
}

/// Reads one Markdown file into a chapter and its (parsed) front matter.
fn read_chapter(file: &Path) -> Result<(Chapter, Option<(tree::Node, usize)>)> {
    let text = read_markdown(file)?;
    let split = frontmatter::split(&text, file)?;
    Ok((
        Chapter {
            source: file.to_path_buf(),
            markdown: split.body.to_string(),
            first_line: split.body_line,
            role: ChapterRole::default(),
        },
        split.metadata,
    ))
}

/// Puts already-read chapters (read in `read` order) into `listed` order, reading any file
/// that was not read yet.
fn reorder(chapters: Vec<Chapter>, read: &[PathBuf], listed: &[PathBuf]) -> Result<Vec<Chapter>> {
    // A map, not a search per listed file: thousands of chapters stay linear.
    let mut by_path: HashMap<&PathBuf, Chapter> = read.iter().zip(chapters).collect();
    let mut out = Vec::with_capacity(listed.len());
    for path in listed {
        match by_path.remove(path) {
            Some(chapter) => out.push(chapter),
            None => out.push(read_chapter(path)?.0),
        }
    }
    Ok(out)
}

/// Front and back matter from the `epub:type` on each chapter's first heading.
fn assign_roles(chapters: &mut [Chapter]) {
    let mut body_seen = false;
    for chapter in chapters {
        let epub_type = role::first_heading_type(&chapter.markdown);
        chapter.role = role::role(epub_type.as_deref(), body_seen);
        body_seen |= chapter.role.division == Division::Body;
    }
}

/// The Markdown files of the manuscript at `path`: the file itself, or those in the folder
/// in name order. Each must stay inside `root` once its symlinks are followed.
fn manuscript_files(path: &Path, root: &Path) -> Result<Vec<PathBuf>> {
    let meta = fs::metadata(path)
        .with_context(|| format!("cannot read the manuscript `{}`", path.display()))?;
    // A folder symlinked from outside is refused before it is even listed.
    paths::inside_root(root, root, path).map_err(|e| anyhow!("manuscript: {e}"))?;
    let mut files = Vec::new();
    if meta.is_file() {
        files.push(path.to_path_buf());
    } else {
        for entry in fs::read_dir(path).with_context(|| format!("listing `{}`", path.display()))? {
            let entry = entry.with_context(|| format!("listing `{}`", path.display()))?;
            let p = entry.path();
            // Anything named like Markdown but a folder counts: a symlink leaving the
            // project, a pipe or a device is then an error, not silently skipped.
            if has_extension(&p, MARKDOWN_EXTENSIONS) && !p.is_dir() {
                files.push(p);
            }
            if files.len() > limits::MARKDOWN_FILES {
                bail!(
                    "`{}` holds more than {} Markdown files, the most a book may have",
                    path.display(),
                    limits::MARKDOWN_FILES
                );
            }
        }
    }
    if files.is_empty() {
        bail!(
            "no Markdown files (*.md) in `{}`: put the manuscript there or name a file",
            path.display()
        );
    }
    for file in &files {
        paths::inside_root(root, root, file).map_err(|e| anyhow!("manuscript: {e}"))?;
    }
    files.sort();
    Ok(files)
}

pub(crate) fn has_extension(path: &Path, allowed: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| allowed.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// Refuses a manuscript whose files add up to more than the limit, before reading them.
fn check_manuscript_size(files: &[PathBuf]) -> Result<()> {
    let total: u64 = files
        .iter()
        .filter_map(|f| fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    if total > limits::MANUSCRIPT_BYTES {
        bail!(
            "the manuscript's {} Markdown files add up to {total} bytes; the limit is {} ({})",
            files.len(),
            limits::MANUSCRIPT_BYTES,
            limits::human(limits::MANUSCRIPT_BYTES)
        );
    }
    Ok(())
}

/// Reads UTF-8 Markdown, dropping a BOM and normalising CRLF/CR to LF so every platform's
/// files give the same book.
fn read_markdown(path: &Path) -> Result<String> {
    let bytes = limits::read_input(path, "Markdown file", limits::MARKDOWN_FILE_BYTES)?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let line = e.as_bytes()[..valid]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            bail!(
                "{}:{line}: not valid UTF-8 (byte {valid}); save the file as UTF-8",
                path.display()
            );
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text.to_string()
    })
}

/// The cover named on the command line, else the first image in `<root>/covers/`.
fn find_cover(opts: &LoadOptions) -> Result<Option<PathBuf>> {
    if let Some(cover) = &opts.cover {
        // Not a regular file: refused when it is read.
        paths::inside_root(&opts.root, &opts.root, cover).map_err(|e| anyhow!("--cover: {e}"))?;
        return Ok(Some(cover.clone()));
    }
    let dir = opts.root.join("covers");
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(None);
    };
    let mut images: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| has_extension(p, COVER_EXTENSIONS))
        .collect();
    images.sort();
    for image in images {
        // The first cover image is used; one that leaves the project is an error, not
        // skipped, so the book never silently changes cover.
        let real =
            paths::inside_root(&opts.root, &dir, &image).map_err(|e| anyhow!("cover: {e}"))?;
        if real.is_file() {
            return Ok(Some(image));
        }
    }
    Ok(None)
}

/// The metadata of one Markdown text as a build reads it: front matter split off, parsed,
/// keys checked and values validated. Paths the metadata names resolve under `root`.
/// Public for the fuzz target, which feeds it arbitrary text.
#[doc(hidden)]
pub fn metadata_from_text(
    text: &str,
    file: &Path,
    root: &Path,
    diags: &Diagnostics,
) -> Result<super::Metadata> {
    let split = frontmatter::split(text, file)?;
    let layer = match split.metadata {
        Some((node, line_offset)) => keys::read_layer(
            &node,
            &Source::File {
                path: file,
                line_offset,
            },
            diags,
        )?,
        None => Default::default(),
    };
    resolve::metadata(layer, root, file, None, diags)
}
