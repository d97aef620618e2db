//! The last step of rendering: name the output files, resolve every internal link now that
//! all anchors are known, and wrap each file in its XHTML document with its title.

use super::links::{Anchors, Insert, Target};
use super::writer::Part;
use super::{Document, RenderedChapter, xhtml_document};
use crate::book::Book;
use crate::diag::Diagnostics;
use crate::xml;

/// File name of the `index`-th (0-based) output file.
pub fn file_name(index: usize) -> String {
    format!("chapter-{:03}.xhtml", index + 1)
}

/// `code` holds the highlighted code blocks, by the index their fixups carry.
pub fn finish(
    book: &Book,
    parts: &[Part],
    anchors: &Anchors,
    code: &[String],
    diags: &Diagnostics,
) -> Vec<RenderedChapter> {
    let names: Vec<String> = (0..parts.len()).map(file_name).collect();
    parts
        .iter()
        .enumerate()
        .map(|(index, part)| {
            let body = resolve(part, index, anchors, &names, code, book, diags);
            let title = part
                .headings
                .first()
                .map(|h| h.text.clone())
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| book.metadata.title.clone());
            let (section_type, aria_role) = semantics(book, part);
            let xhtml = xhtml_document(&Document {
                title: &title,
                lang: book.metadata.lang.as_str(),
                body_class: Some("chapter"),
                body_type: Some(&section_type),
                aria_role,
                body: &body,
            });
            let mut properties = Vec::new();
            if part.mathml {
                properties.push("mathml");
            }
            if part.svg {
                properties.push("svg");
            }
            RenderedChapter {
                file_name: names[index].clone(),
                title,
                headings: part.headings.clone(),
                xhtml,
                properties,
            }
        })
        .collect()
}

/// The section's `epub:type` (division, then the chapter's own semantic) and its matching
/// DPUB-ARIA role, which Ace requires alongside each `epub:type` it knows. A file without
/// headings (an article's body) is just `bodymatter`.
fn semantics(book: &Book, part: &Part) -> (String, Option<&'static str>) {
    let role = book.chapters.get(part.source).map(|c| &c.role);
    let division = role.map_or("bodymatter", |r| r.division.epub_type());
    let own = match role.and_then(|r| r.epub_type.as_deref()) {
        Some(t) if part.opens_source => Some(t.to_string()),
        _ if part.headings.is_empty() => None,
        _ if division == "bodymatter" => Some("chapter".to_string()),
        _ => None,
    };
    let aria = own.as_deref().and_then(aria_role);
    match own {
        Some(t) if t != division => (format!("{division} {t}"), aria),
        _ => (division.to_string(), aria),
    }
}

/// DPUB-ARIA roles for the structural `epub:type`s a chapter can carry.
fn aria_role(epub_type: &str) -> Option<&'static str> {
    Some(match epub_type {
        "chapter" => "doc-chapter",
        "part" => "doc-part",
        "preface" => "doc-preface",
        "foreword" => "doc-foreword",
        "prologue" => "doc-prologue",
        "introduction" => "doc-introduction",
        "epilogue" => "doc-epilogue",
        "afterword" => "doc-afterword",
        "conclusion" => "doc-conclusion",
        "appendix" => "doc-appendix",
        "acknowledgments" => "doc-acknowledgments",
        "bibliography" => "doc-bibliography",
        "glossary" => "doc-glossary",
        "index" => "doc-index",
        "colophon" => "doc-colophon",
        "dedication" => "doc-dedication",
        "epigraph" => "doc-epigraph",
        "endnotes" => "doc-endnotes",
        "credits" => "doc-credits",
        "errata" => "doc-errata",
        _ => return None,
    })
}

/// The part's XHTML with every link and highlighted code block written in (one pass, in
/// order).
fn resolve(
    part: &Part,
    index: usize,
    anchors: &Anchors,
    names: &[String],
    code: &[String],
    book: &Book,
    diags: &Diagnostics,
) -> String {
    let html = &part.buf.html;
    let mut fixups: Vec<_> = part.buf.fixups.iter().collect();
    fixups.sort_by_key(|f| f.at);
    let mut out = String::with_capacity(html.len() + fixups.len() * 24);
    let mut done = 0;
    for f in fixups {
        out.push_str(&html[done..f.at]);
        done = f.at;
        let (target, source, line) = match &f.insert {
            Insert::Code(block) => {
                out.push_str(code.get(*block).map_or("", String::as_str));
                continue;
            }
            Insert::Href {
                target,
                source,
                line,
            } => (target, *source, *line),
        };
        match anchors.href(target, index, names) {
            Some(href) => {
                out.push_str(" href=\"");
                out.push_str(&xml::attr(&href));
                out.push('"');
            }
            None => {
                let what = match target {
                    Target::Anchor { fragment, .. } => format!("`#{fragment}`"),
                    Target::File { .. } => "a chapter".to_string(),
                    Target::Id(id) => format!("`#{id}`"),
                };
                diags.warn(
                    book.location(source, line),
                    format!("link to {what} leads nowhere: no such anchor in the book (link kept as text)"),
                );
            }
        }
    }
    out.push_str(&html[done..]);
    out
}
