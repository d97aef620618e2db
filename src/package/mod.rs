//! The package stage: everything EPUB-specific. epub-builder assembles the manifest, spine,
//! NCX and zip; we then replace the documents it cannot get right (see `opf` and `nav`)
//! in a final pass that keeps the output deterministic.

mod a11y;
mod finalize;
mod nav;
mod ncx;
mod opf;
mod pages;
pub mod toc;

use std::collections::BTreeMap;

use anyhow::{Context, Result, anyhow};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, ZipLibrary};

use crate::book::{Book, Division};
use crate::cover::CoverImage;
use crate::render::RenderedBook;
use crate::theme::Style;
use crate::xml;

pub use nav::NAV_FILE;
pub use pages::{COLOPHON_PAGE, COVER_PAGE, TITLE_PAGE};

const OPF_PATH: &str = "OEBPS/content.opf";
const NAV_PATH: &str = "OEBPS/nav.xhtml";
const NCX_PATH: &str = "OEBPS/toc.ncx";
const COVER_ID: &str = "cover-image";

/// epub-builder puts every file under this folder.
fn content_path(href: &str) -> String {
    format!("OEBPS/{href}")
}

fn cover_href(cover: &CoverImage) -> String {
    format!("images/cover.{}", cover.extension)
}

/// The documents written from the metadata alone (title page, colophon, NCX), by name:
/// lets the front matter fuzz target check that any metadata gives well-formed XML.
pub fn metadata_documents(meta: &crate::book::Metadata) -> [(&'static str, String); 3] {
    [
        (TITLE_PAGE, pages::title_page(meta)),
        (COLOPHON_PAGE, pages::colophon_page(meta)),
        ("toc.ncx", ncx::ncx_document(meta, &[])),
    ]
}

/// Stands in for large files in epub-builder's zip; the final pass puts the real bytes in.
const PLACEHOLDER: &[u8] = b"";

/// Builds the EPUB in memory.
pub fn package(
    source: &Book,
    book: &RenderedBook,
    style: &Style,
    cover: Option<&CoverImage>,
) -> Result<Vec<u8>> {
    let meta = &source.metadata;
    let generator = format!("inkbind {}", env!("CARGO_PKG_VERSION"));
    let toc = toc::build(&book.chapters, source.layout.toc_depth);
    let raw = assemble(source, book, style, cover).map_err(|e| anyhow!("epub-builder: {e}"))?;

    let mut properties: BTreeMap<String, Vec<&'static str>> = BTreeMap::new();
    if cover.is_some() {
        properties.insert(COVER_PAGE.to_string(), vec!["svg"]);
    }
    for chapter in book.chapters.iter().filter(|c| !c.properties.is_empty()) {
        properties.insert(chapter.file_name.clone(), chapter.properties.clone());
    }
    let opf = opf::rewrite(
        &finalize::read_entry(&raw, OPF_PATH)?,
        &opf::PackageFacts {
            metadata: meta,
            cover_id: cover.map(|_| COVER_ID),
            properties: &properties,
            a11y: &a11y::derive(
                source,
                &book.facts,
                &a11y::Shape {
                    has_cover: cover.is_some(),
                    has_headings: book.chapters.iter().any(|c| !c.headings.is_empty()),
                },
            ),
            generator: &generator,
            specified_fonts: !style.fonts.is_empty(),
            toc_page_after: source.layout.toc_page.then_some(TITLE_PAGE),
            nav_href: NAV_FILE,
        },
    )?;

    let first_chapter = first_body_file(source, book).context("the book has no chapters")?;
    let toc_href = format!("{NAV_FILE}#toc");
    let mut landmarks = Vec::new();
    if cover.is_some() {
        landmarks.push(nav::Landmark {
            kind: "cover",
            label: "Cover",
            href: COVER_PAGE,
        });
    }
    landmarks.push(nav::Landmark {
        kind: "titlepage",
        label: "Title Page",
        href: TITLE_PAGE,
    });
    landmarks.push(nav::Landmark {
        kind: "toc",
        label: meta.toc_title(),
        href: &toc_href,
    });
    landmarks.push(nav::Landmark {
        kind: "bodymatter",
        label: "Start of Content",
        href: first_chapter,
    });
    if source.layout.colophon {
        landmarks.push(nav::Landmark {
            kind: "colophon",
            label: "Colophon",
            href: COLOPHON_PAGE,
        });
    }
    let nav_toc = with_title_page(&toc);
    let nav = nav::nav_document(meta.lang.as_str(), meta.toc_title(), &nav_toc, &landmarks);
    let ncx = ncx::ncx_document(meta, &nav_toc);

    fn text(bytes: &[u8]) -> finalize::Entry<'_> {
        finalize::Entry {
            bytes,
            deflate: true,
        }
    }
    fn binary(bytes: &[u8]) -> finalize::Entry<'_> {
        finalize::Entry {
            bytes,
            deflate: false,
        }
    }
    let mut replace = BTreeMap::new();
    replace.insert(OPF_PATH.to_string(), text(opf.as_bytes()));
    replace.insert(NAV_PATH.to_string(), text(nav.as_bytes()));
    replace.insert(NCX_PATH.to_string(), text(ncx.as_bytes()));
    for chapter in &book.chapters {
        replace.insert(
            content_path(&chapter.file_name),
            text(chapter.xhtml.as_bytes()),
        );
    }
    for resource in &book.resources {
        replace.insert(content_path(&resource.href), binary(&resource.bytes));
    }
    for font in &style.fonts {
        replace.insert(content_path(&font.href), binary(&font.bytes));
    }
    if let Some(cover) = cover {
        replace.insert(content_path(&cover_href(cover)), binary(&cover.bytes));
    }
    finalize::rewrite(&raw, &replace)
}

/// The TOC as readers see it: the title page, then the chapters.
fn with_title_page(toc: &[toc::TocEntry]) -> Vec<toc::TocEntry> {
    let mut all = vec![toc::TocEntry {
        label: "Title Page".into(),
        href: TITLE_PAGE.into(),
        children: Vec::new(),
    }];
    all.extend_from_slice(toc);
    all
}

/// The first file of the first body chapter (front matter comes before it), for the
/// `bodymatter` landmark and the guide's `text` reference. Rendered files map one-to-one to
/// chapters unless the renderer split them; then the first file is used.
fn first_body_file<'a>(source: &Book, book: &'a RenderedBook) -> Option<&'a str> {
    let index = if source.chapters.len() == book.chapters.len() {
        source
            .chapters
            .iter()
            .position(|c| c.role.division == Division::Body)
            .unwrap_or(0)
    } else {
        0
    };
    book.chapters.get(index).map(|c| c.file_name.as_str())
}

fn assemble(
    source: &Book,
    book: &RenderedBook,
    style: &Style,
    cover: Option<&CoverImage>,
) -> epub_builder::Result<Vec<u8>> {
    let meta = &source.metadata;
    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V30);
    // Only what epub-builder needs to produce stable bytes; the real metadata, nav and NCX
    // are ours.
    b.set_title(xml::text(&meta.title));
    b.add_language(meta.lang.as_str());
    b.set_modified_date(meta.modified);
    b.set_uuid(uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        meta.identifier.as_bytes(),
    ));
    b.set_toc_name(xml::text(meta.toc_title()));
    b.stylesheet(style.css.as_bytes())?;
    for font in &style.fonts {
        b.add_resource(font.href.as_str(), PLACEHOLDER, font.media_type)?;
    }
    if let Some(cover) = cover {
        let href = cover_href(cover);
        b.add_cover_image(&href, PLACEHOLDER, cover.media_type)?;
        let page = pages::cover_page(meta, cover, &href);
        b.add_content(EpubContent::new(COVER_PAGE, page.as_bytes()).reftype(ReferenceType::Cover))?;
    }
    for resource in &book.resources {
        b.add_resource(resource.href.as_str(), PLACEHOLDER, resource.media_type)?;
    }
    let title_page = pages::title_page(meta);
    b.add_content(
        EpubContent::new(TITLE_PAGE, title_page.as_bytes()).reftype(ReferenceType::TitlePage),
    )?;
    let first_body = first_body_file(source, book);
    for chapter in &book.chapters {
        let mut content = EpubContent::new(chapter.file_name.as_str(), PLACEHOLDER);
        if Some(chapter.file_name.as_str()) == first_body {
            content = content.reftype(ReferenceType::Text);
        }
        b.add_content(content)?;
    }
    if source.layout.colophon {
        let page = pages::colophon_page(meta);
        b.add_content(
            EpubContent::new(COLOPHON_PAGE, page.as_bytes()).reftype(ReferenceType::Colophon),
        )?;
    }
    let mut out = Vec::new();
    b.generate(&mut out)?;
    Ok(out)
}
