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
use crate::theme;
use crate::xml;

pub use nav::NAV_FILE;
pub use pages::{COLOPHON_PAGE, COVER_PAGE, TITLE_PAGE};

const OPF_PATH: &str = "OEBPS/content.opf";
const NAV_PATH: &str = "OEBPS/nav.xhtml";
const NCX_PATH: &str = "OEBPS/toc.ncx";
const COVER_ID: &str = "cover-image";

/// Builds the EPUB in memory.
pub fn package(source: &Book, book: &RenderedBook, cover: Option<&CoverImage>) -> Result<Vec<u8>> {
    let meta = &source.metadata;
    let generator = format!("inkbind {}", env!("CARGO_PKG_VERSION"));
    let toc = toc::build(&book.chapters, source.layout.toc_depth);
    let raw = assemble(source, book, cover).map_err(|e| anyhow!("epub-builder: {e}"))?;

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

    let mut replace = BTreeMap::new();
    replace.insert(OPF_PATH, opf.into_bytes());
    replace.insert(NAV_PATH, nav.into_bytes());
    replace.insert(NCX_PATH, ncx.into_bytes());
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
    b.stylesheet(theme::DEFAULT_CSS.as_bytes())?;
    if let Some(cover) = cover {
        let href = format!("images/cover.{}", cover.extension);
        b.add_cover_image(&href, cover.bytes.as_slice(), cover.media_type)?;
        let page = pages::cover_page(meta, cover, &href);
        b.add_content(EpubContent::new(COVER_PAGE, page.as_bytes()).reftype(ReferenceType::Cover))?;
    }
    for resource in &book.resources {
        b.add_resource(
            resource.href.as_str(),
            resource.bytes.as_slice(),
            resource.media_type,
        )?;
    }
    let title_page = pages::title_page(meta);
    b.add_content(
        EpubContent::new(TITLE_PAGE, title_page.as_bytes()).reftype(ReferenceType::TitlePage),
    )?;
    let first_body = first_body_file(source, book);
    for chapter in &book.chapters {
        let mut content = EpubContent::new(chapter.file_name.as_str(), chapter.xhtml.as_bytes());
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
