//! The render stage: each chapter's Markdown becomes one or more XHTML content documents
//! (cut at headings of the split level), with ids unique across the book, links resolved
//! across files, footnotes as EPUB 3 notes, raw HTML sanitised and images embedded.

mod document;
mod figures;
mod footnotes;
pub mod highlight;
pub(crate) mod html;
mod ids;
mod images;
mod lines;
mod links;
mod markdown;
mod math;
mod split;
mod writer;

pub use document::{Document, STYLESHEET_HREF, xhtml_document};
pub use ids::{IdSet, slugify};

use anyhow::Result;

use crate::book::Book;
use crate::diag::Diagnostics;

/// A heading kept for the table of contents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    /// Plain text, no markup.
    pub text: String,
}

/// One chapter as an XHTML file inside the EPUB.
#[derive(Debug, Clone)]
pub struct RenderedChapter {
    /// File name inside the EPUB's content folder, e.g. `chapter-001.xhtml`.
    pub file_name: String,
    /// The document's `<title>`: its first heading, else the book's title.
    pub title: String,
    pub headings: Vec<Heading>,
    /// The complete XHTML document.
    pub xhtml: String,
    /// Manifest properties the document needs (`svg`, `mathml`, `remote-resources`, …).
    pub properties: Vec<&'static str>,
}

/// A file the chapters refer to (an image, say), stored in the EPUB under a generated name.
#[derive(Debug, Clone)]
pub struct Resource {
    /// Path inside the content folder, e.g. `images/img-001.png`.
    pub href: String,
    pub media_type: &'static str,
    pub bytes: Vec<u8>,
}

/// What the content holds, for truthful accessibility metadata.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentFacts {
    /// Images in the chapters (the cover not counted).
    pub images: usize,
    /// Of those, images whose alt text is empty.
    pub images_without_alt: usize,
    pub has_mathml: bool,
    pub has_tables: bool,
}

#[derive(Debug)]
pub struct RenderedBook {
    pub chapters: Vec<RenderedChapter>,
    pub resources: Vec<Resource>,
    pub facts: ContentFacts,
}

/// Renders every chapter of `book`. Ids are unique across the whole book.
pub fn render(book: &Book, diags: &Diagnostics) -> Result<RenderedBook> {
    let mut sources = links::Sources::default();
    for (i, chapter) in book.chapters.iter().enumerate() {
        if let Ok(path) = chapter.source.canonicalize() {
            sources.by_path.insert(path, i);
        }
    }
    let mut shared = writer::Shared {
        ids: IdSet::default(),
        anchors: links::Anchors::default(),
        images: images::Images::new(&book.root),
        sources,
        facts: ContentFacts::default(),
        parts: Vec::new(),
        diags,
        split_level: book.layout.split_level,
        highlight: book.layout.highlight,
        unknown_languages: Default::default(),
        code_blocks: Vec::new(),
        error: None,
    };
    for (index, chapter) in book.chapters.iter().enumerate() {
        let events = markdown::events(&chapter.markdown);
        writer::ChapterWriter::new(
            &mut shared,
            index,
            &chapter.source,
            &chapter.markdown,
            chapter.first_line,
        )
        .run(&events);
    }
    if let Some(error) = shared.error {
        return Err(error);
    }
    let code = highlight::run(&shared.code_blocks, book, diags);
    let chapters = split::finish(book, &shared.parts, &shared.anchors, &code, diags);
    Ok(RenderedBook {
        chapters,
        resources: shared.images.resources,
        facts: shared.facts,
    })
}
