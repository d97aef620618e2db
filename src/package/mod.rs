//! The package stage: everything EPUB-specific. epub-builder assembles the manifest, spine,
//! NCX and zip; we then replace the documents it cannot get right (see `opf` and `nav`)
//! in a final pass that keeps the output deterministic.

mod finalize;
mod nav;
mod opf;
mod pages;
pub mod toc;

use std::collections::BTreeMap;

use anyhow::{Context, Result, anyhow};
use epub_builder::{EpubBuilder, EpubContent, EpubVersion, ReferenceType, TocElement, ZipLibrary};

use crate::book::{Book, Metadata};
use crate::cover::CoverImage;
use crate::render::RenderedBook;
use crate::theme;
use crate::xml;

pub use nav::NAV_FILE;
pub use pages::{COVER_PAGE, TITLE_PAGE};

const OPF_PATH: &str = "OEBPS/content.opf";
const NAV_PATH: &str = "OEBPS/nav.xhtml";
const NCX_PATH: &str = "OEBPS/toc.ncx";
const COVER_ID: &str = "cover-image";

/// Builds the EPUB in memory.
pub fn package(source: &Book, book: &RenderedBook, cover: Option<&CoverImage>) -> Result<Vec<u8>> {
    let meta = &source.metadata;
    let generator = format!("inkbind {}", env!("CARGO_PKG_VERSION"));
    let toc = toc::build(&book.chapters, source.layout.toc_depth);
    let raw = assemble(meta, book, cover, &toc).map_err(|e| anyhow!("epub-builder: {e}"))?;

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
            has_images: book.facts.images > 0,
            generator: &generator,
        },
    )?;

    let first_chapter = book
        .chapters
        .first()
        .map(|c| c.file_name.as_str())
        .context("the book has no chapters")?;
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
        label: "Table of Contents",
        href: &toc_href,
    });
    landmarks.push(nav::Landmark {
        kind: "bodymatter",
        label: "Start of Content",
        href: first_chapter,
    });
    let nav_toc = with_title_page(&toc);
    let nav = nav::nav_document(meta.lang.as_str(), &nav_toc, &landmarks);
    let ncx = patch_ncx(
        &finalize::read_entry(&raw, NCX_PATH)?,
        meta,
        toc::depth(&nav_toc),
    )?;

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

fn assemble(
    meta: &Metadata,
    book: &RenderedBook,
    cover: Option<&CoverImage>,
    toc: &[toc::TocEntry],
) -> epub_builder::Result<Vec<u8>> {
    let mut b = EpubBuilder::new(ZipLibrary::new()?)?;
    b.epub_version(EpubVersion::V30);
    // Only what epub-builder needs to produce stable bytes; the real metadata is ours.
    b.set_title(xml::text(&meta.title));
    b.add_language(meta.lang.as_str());
    b.set_modified_date(meta.modified);
    b.set_uuid(uuid::Uuid::new_v5(
        &uuid::Uuid::NAMESPACE_URL,
        meta.identifier.as_bytes(),
    ));
    b.set_toc_name("Contents");
    b.stylesheet(theme::DEFAULT_CSS.as_bytes())?;
    if let Some(cover) = cover {
        let href = format!("images/cover.{}", cover.extension);
        b.add_cover_image(&href, cover.bytes.as_slice(), cover.media_type)?;
        let page = pages::cover_page(meta, cover, &href);
        // No title: the cover stays out of the TOC but still gets its guide entry.
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
        EpubContent::new(TITLE_PAGE, title_page.as_bytes())
            .title("Title Page")
            .reftype(ReferenceType::TitlePage),
    )?;
    for (i, (chapter, entry)) in book.chapters.iter().zip(toc).enumerate() {
        let mut content = EpubContent::new(chapter.file_name.as_str(), chapter.xhtml.as_bytes())
            .title(xml::clean(&entry.label))
            .raw_title(xml::text(&entry.label));
        for child in &entry.children {
            content = content.child(toc_element(child, 2));
        }
        if i == 0 {
            content = content.reftype(ReferenceType::Text);
        }
        b.add_content(content)?;
    }
    let mut out = Vec::new();
    b.generate(&mut out)?;
    Ok(out)
}

/// NCX entries get pre-escaped titles: epub-builder does not filter characters XML forbids.
fn toc_element(entry: &toc::TocEntry, level: i32) -> TocElement {
    let mut el = TocElement::new(entry.href.as_str(), entry.label.as_str())
        .raw_title(xml::text(&entry.label))
        .level(level);
    for child in &entry.children {
        el = el.child(toc_element(child, level + 1));
    }
    el
}

/// epub-builder's NCX always claims depth 1 and omits `dtb:uid`, which older readers use
/// to tie the NCX to the package.
fn patch_ncx(ncx: &str, meta: &Metadata, depth: usize) -> Result<String> {
    const DEPTH: &str = "<meta name=\"dtb:depth\" content=\"1\" />";
    if !ncx.contains(DEPTH) {
        anyhow::bail!("epub-builder's toc.ncx changed shape: the package pass needs updating");
    }
    let head = format!(
        "<meta name=\"dtb:uid\" content=\"{}\" />\n    <meta name=\"dtb:depth\" content=\"{}\" />",
        xml::attr(&meta.identifier),
        depth.max(1)
    );
    let lang = xml::attr(meta.lang.as_str());
    Ok(ncx.replacen(DEPTH, &head, 1).replacen(
        "<ncx version=\"2005-1\"",
        &format!("<ncx version=\"2005-1\" xml:lang=\"{lang}\""),
        1,
    ))
}
