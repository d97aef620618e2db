//! The model of a book: its metadata, its chapters in reading order and its cover, loaded
//! from the manuscript. Nothing here knows about XHTML or EPUB.

mod config;
mod flags;
mod frontmatter;
pub mod identifier;
mod keys;
pub mod lang;
mod layer;
mod load;
pub mod metadata;
mod order;
mod people;
mod resolve;
pub mod role;
mod tree;

use std::path::PathBuf;

pub use config::CONFIG_FILE;
pub(crate) use load::{COVER_EXTENSIONS, MARKDOWN_EXTENSIONS, has_extension};
pub use load::{LoadOptions, load, metadata_from_text};
pub use metadata::Metadata;
pub use role::{ChapterRole, Division};

/// A manuscript ready to render.
#[derive(Debug)]
pub struct Book {
    /// Every resource must resolve inside this folder.
    pub root: PathBuf,
    pub metadata: Metadata,
    pub chapters: Vec<Chapter>,
    pub cover: Option<PathBuf>,
    pub layout: Layout,
}

impl Book {
    /// `line` of the `chapter`-th manuscript file, for a message about it.
    pub fn location(&self, chapter: usize, line: usize) -> Option<crate::diag::Location> {
        let file = self.chapters.get(chapter)?;
        Some(crate::diag::Location::new(&file.source, Some(line)))
    }
}

/// How the book is cut into files and how deep its table of contents goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Headings of this level or higher start a new XHTML file.
    pub split_level: u8,
    /// Headings deeper than this stay out of the table of contents.
    pub toc_depth: u8,
    /// Show the table of contents as a page in the reading order (after the title page).
    pub toc_page: bool,
    /// Add a colophon page (rights, credits, identifier) at the end.
    pub colophon: bool,
    /// Syntax-highlight fenced code blocks that name their language.
    pub highlight: bool,
}

impl Default for Layout {
    fn default() -> Self {
        Self {
            split_level: 1,
            toc_depth: 2,
            toc_page: false,
            colophon: false,
            highlight: true,
        }
    }
}

/// One Markdown source file.
#[derive(Debug)]
pub struct Chapter {
    /// Path as given or found, for messages.
    pub source: PathBuf,
    /// The Markdown after the front matter, LF line endings, no BOM.
    pub markdown: String,
    /// 1-based line in `source` where `markdown` starts, so messages can point at the file.
    pub first_line: usize,
    /// Front matter, body or back matter, from `epub:type` on the first heading. The
    /// renderer writes it as the section's `epub:type`; the landmarks use it.
    pub role: ChapterRole,
}
