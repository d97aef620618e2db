//! The render stage: each chapter's Markdown becomes an XHTML content document, with
//! unique heading ids collected for the table of contents.

mod document;
mod ids;
mod markdown;

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
    let mut ids = IdSet::default();
    let mut chapters = Vec::with_capacity(book.chapters.len());
    for (index, chapter) in book.chapters.iter().enumerate() {
        let body = markdown::to_xhtml(chapter, &mut ids, diags);
        let title = body
            .headings
            .first()
            .map(|h| h.text.clone())
            .unwrap_or_else(|| book.metadata.title.clone());
        let xhtml = xhtml_document(&Document {
            title: &title,
            lang: book.metadata.lang.as_str(),
            body_class: Some("chapter"),
            body_type: Some("bodymatter"),
            body: &body.html,
        });
        chapters.push(RenderedChapter {
            file_name: format!("chapter-{:03}.xhtml", index + 1),
            title,
            headings: body.headings,
            xhtml,
            properties: Vec::new(),
        });
    }
    Ok(RenderedBook {
        chapters,
        resources: Vec::new(),
        facts: ContentFacts::default(),
    })
}
