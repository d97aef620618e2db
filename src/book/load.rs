//! Loading a manuscript: find its Markdown files in order, read them strictly, merge front
//! matter with command-line metadata into a validated [`Metadata`], and find the cover.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::frontmatter::{self, RawMetadata};
use super::metadata::{Creator, Lang, Metadata};
use super::{Book, Chapter, Layout};
use crate::diag::{Diagnostics, Location};

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
}

const MARKDOWN_EXTENSIONS: &[&str] = &["md", "markdown", "mdown", "mkd"];
const COVER_EXTENSIONS: &[&str] = &["jpg", "jpeg", "png", "gif", "webp"];

pub fn load(opts: &LoadOptions, diags: &Diagnostics) -> Result<Book> {
    let files = manuscript_files(&opts.path)?;
    let mut chapters = Vec::with_capacity(files.len());
    let mut raw = RawMetadata::default();
    for (index, file) in files.iter().enumerate() {
        let text = read_markdown(file)?;
        let split = frontmatter::split(&text)
            .with_context(|| format!("{}:1: reading the front matter", file.display()))?;
        if let Some(meta) = split.metadata {
            if index == 0 {
                for key in meta.unknown.keys() {
                    diags.warn(
                        Some(Location::new(file, Some(1))),
                        format!("unknown front matter key `{key}` is ignored"),
                    );
                }
                raw.merge(meta);
            } else {
                diags.warn(
                    Some(Location::new(file, Some(1))),
                    "front matter is only read from the first manuscript file; this one is ignored",
                );
            }
        }
        chapters.push(Chapter {
            source: file.clone(),
            markdown: split.body.to_string(),
            first_line: split.body_line,
        });
    }
    for pair in &opts.metadata {
        let (key, value) = pair
            .split_once('=')
            .ok_or_else(|| anyhow!("--metadata `{pair}` is not KEY=VALUE"))?;
        raw.set(key.trim(), value)
            .with_context(|| format!("--metadata `{pair}`"))?;
    }
    let metadata = validate(raw, &files[0], opts.source_date_epoch, diags)?;
    let cover = find_cover(opts)?;
    let defaults = Layout::default();
    let layout = Layout {
        split_level: opts.split_level.unwrap_or(defaults.split_level),
        toc_depth: opts.toc_depth.unwrap_or(defaults.toc_depth),
    };
    Ok(Book {
        root: opts.root.clone(),
        metadata,
        chapters,
        cover,
        layout,
    })
}

fn manuscript_files(path: &Path) -> Result<Vec<PathBuf>> {
    let meta = fs::metadata(path)
        .with_context(|| format!("cannot read the manuscript `{}`", path.display()))?;
    if meta.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut files = Vec::new();
    for entry in fs::read_dir(path).with_context(|| format!("listing `{}`", path.display()))? {
        let entry = entry.with_context(|| format!("listing `{}`", path.display()))?;
        let p = entry.path();
        if p.is_file() && has_extension(&p, MARKDOWN_EXTENSIONS) {
            files.push(p);
        }
    }
    if files.is_empty() {
        bail!(
            "no Markdown files (*.md) in `{}`: put the manuscript there or name a file",
            path.display()
        );
    }
    files.sort();
    Ok(files)
}

fn has_extension(path: &Path, allowed: &[&str]) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| allowed.iter().any(|a| a.eq_ignore_ascii_case(e)))
}

/// Reads UTF-8 Markdown, dropping a BOM and normalising CRLF/CR to LF so every platform's
/// files give the same book.
fn read_markdown(path: &Path) -> Result<String> {
    let bytes = fs::read(path).with_context(|| format!("reading `{}`", path.display()))?;
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

fn validate(
    raw: RawMetadata,
    first_file: &Path,
    source_date_epoch: Option<i64>,
    diags: &Diagnostics,
) -> Result<Metadata> {
    let at = |what: &str| format!("{}: front matter `{what}`", first_file.display());
    let title = match raw
        .title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
    {
        Some(t) => t,
        None => {
            let stem = first_file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Untitled".into());
            diags.warn(
                Some(Location::new(first_file, Some(1))),
                format!("no `title` in the front matter; using `{stem}`"),
            );
            stem
        }
    };
    let lang = match raw.lang {
        Some(l) => Lang::parse(&l).with_context(|| at("lang"))?,
        None => {
            diags.warn(
                Some(Location::new(first_file, Some(1))),
                "no `lang` in the front matter; assuming `en`",
            );
            Lang::parse("en")?
        }
    };
    let date = raw
        .date
        .map(|d| {
            NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d")
                .map_err(|_| anyhow!("`{d}` is not a date in the form YYYY-MM-DD"))
        })
        .transpose()
        .with_context(|| at("date"))?;
    let identifier = match raw.identifier.filter(|i| !i.trim().is_empty()) {
        Some(i) => i.trim().to_string(),
        None => {
            let seed = format!(
                "inkbind\n{title}\n{}",
                date.map(|d| d.to_string()).unwrap_or_default()
            );
            format!(
                "urn:uuid:{}",
                Uuid::new_v5(&Uuid::NAMESPACE_URL, seed.as_bytes())
            )
        }
    };
    let modified = match source_date_epoch {
        Some(secs) => DateTime::<Utc>::from_timestamp(secs, 0)
            .ok_or_else(|| anyhow!("SOURCE_DATE_EPOCH `{secs}` is out of range"))?,
        // Derived from the inputs, never from the clock, so that rebuilding gives the same bytes.
        None => date
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default())
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc(),
    };
    let creators = raw
        .author
        .map(|a| a.into_vec())
        .unwrap_or_default()
        .into_iter()
        .filter(|n| !n.trim().is_empty())
        .map(|name| Creator {
            name: name.trim().to_string(),
            role: "aut".into(),
            file_as: None,
        })
        .collect();
    Ok(Metadata {
        title,
        subtitle: raw.subtitle.filter(|s| !s.trim().is_empty()),
        creators,
        lang,
        date,
        identifier,
        publisher: raw.publisher,
        rights: raw.rights,
        description: raw.description,
        subjects: raw.subject.map(|s| s.into_vec()).unwrap_or_default(),
        image_credit: raw.image_credit,
        image_credit_label: raw.image_credit_label,
        modified,
    })
}

/// The cover named on the command line, else the first image in `<root>/covers/`.
fn find_cover(opts: &LoadOptions) -> Result<Option<PathBuf>> {
    if let Some(cover) = &opts.cover {
        if !cover.is_file() {
            bail!(
                "cover `{}` does not exist or is not a file",
                cover.display()
            );
        }
        return Ok(Some(cover.clone()));
    }
    let dir = opts.root.join("covers");
    let Ok(entries) = fs::read_dir(&dir) else {
        return Ok(None);
    };
    let mut images: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && has_extension(p, COVER_EXTENSIONS))
        .collect();
    images.sort();
    Ok(images.into_iter().next())
}
