//! content.opf: epub-builder's manifest, spine and guide, with the package element and the
//! metadata written by us. epub-builder's metadata is invalid for EPUB 3 (language and
//! creators share ids, values are not escaped) and cannot express subtitles, publishers,
//! roles, accessibility or manifest properties; its manifest and spine are fine.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};

use crate::book::Metadata;
use crate::xml;

/// What the metadata section says about the content, beyond the book's own fields.
pub struct PackageFacts<'a> {
    pub metadata: &'a Metadata,
    /// Manifest id of the cover image, if there is one.
    pub cover_id: Option<&'a str>,
    /// Extra manifest `properties` by href (e.g. `svg` for the cover page).
    pub properties: &'a BTreeMap<String, Vec<&'static str>>,
    /// True when the book holds images other than the cover.
    pub has_images: bool,
    pub generator: &'a str,
}

struct Item {
    id: String,
    href: String,
    media_type: String,
    properties: Vec<String>,
}

/// Rewrites epub-builder's content.opf.
pub fn rewrite(original: &str, facts: &PackageFacts<'_>) -> Result<String> {
    let doc =
        roxmltree::Document::parse(original).context("epub-builder wrote an unreadable OPF")?;
    let root = doc.root_element();
    let child = |name: &str| {
        root.children()
            .find(|n| n.has_tag_name(name))
            .with_context(|| format!("epub-builder's OPF has no <{name}>"))
    };
    let mut items = Vec::new();
    for node in child("manifest")?
        .children()
        .filter(|n| n.has_tag_name("item"))
    {
        let attr = |a: &str| node.attribute(a).unwrap_or_default().to_string();
        let mut properties: Vec<String> = attr("properties")
            .split_whitespace()
            .map(str::to_string)
            .collect();
        if let Some(extra) = facts.properties.get(&attr("href")) {
            properties.extend(extra.iter().map(|p| p.to_string()));
        }
        properties.dedup();
        items.push(Item {
            id: attr("id"),
            href: attr("href"),
            media_type: attr("media-type"),
            properties,
        });
    }
    let spine: Vec<String> = child("spine")?
        .children()
        .filter(|n| n.has_tag_name("itemref"))
        .filter_map(|n| n.attribute("idref").map(str::to_string))
        .collect();
    if spine.is_empty() {
        bail!("epub-builder's OPF has an empty spine");
    }
    let guide: Vec<(String, String, String)> = child("guide")?
        .children()
        .filter(|n| n.has_tag_name("reference"))
        .map(|n| {
            let a = |k: &str| n.attribute(k).unwrap_or_default().to_string();
            (a("type"), a("title"), a("href"))
        })
        .collect();

    let m = facts.metadata;
    let lang = xml::attr(m.lang.as_str());
    let mut out = String::with_capacity(4096);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" \
         unique-identifier=\"pub-id\" xml:lang=\"{lang}\">\n"
    ));
    out.push_str("<metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n");
    metadata(&mut out, facts);
    out.push_str("</metadata>\n<manifest>\n");
    for item in &items {
        out.push_str(&format!(
            "<item id=\"{}\" href=\"{}\" media-type=\"{}\"",
            xml::attr(&item.id),
            xml::attr(&item.href),
            xml::attr(&item.media_type)
        ));
        if !item.properties.is_empty() {
            out.push_str(&format!(
                " properties=\"{}\"",
                xml::attr(&item.properties.join(" "))
            ));
        }
        out.push_str("/>\n");
    }
    out.push_str("</manifest>\n<spine toc=\"ncx\">\n");
    for idref in &spine {
        out.push_str(&format!("<itemref idref=\"{}\"/>\n", xml::attr(idref)));
    }
    // The `toc` landmark must point at a spine item; non-linear keeps the contents page out
    // of the reading order while readers can still jump to it.
    if let Some(nav) = items
        .iter()
        .find(|i| i.properties.iter().any(|p| p == "nav"))
        && !spine.contains(&nav.id)
    {
        out.push_str(&format!(
            "<itemref idref=\"{}\" linear=\"no\"/>\n",
            xml::attr(&nav.id)
        ));
    }
    out.push_str("</spine>\n");
    if !guide.is_empty() {
        out.push_str("<guide>\n");
        for (kind, title, href) in &guide {
            out.push_str(&format!(
                "<reference type=\"{}\" title=\"{}\" href=\"{}\"/>\n",
                xml::attr(kind),
                xml::attr(title),
                xml::attr(href)
            ));
        }
        out.push_str("</guide>\n");
    }
    out.push_str("</package>\n");
    Ok(out)
}

fn metadata(out: &mut String, facts: &PackageFacts<'_>) {
    let m = facts.metadata;
    let mut el = |tag: &str, attrs: &str, value: &str| {
        out.push_str(&format!("<{tag}{attrs}>{}</{tag}>\n", xml::text(value)));
    };
    el("dc:identifier", " id=\"pub-id\"", &m.identifier);
    el("dc:title", " id=\"title\"", &m.title);
    el(
        "meta",
        " refines=\"#title\" property=\"title-type\"",
        "main",
    );
    if let Some(sub) = &m.subtitle {
        el("dc:title", " id=\"subtitle\"", sub);
        el(
            "meta",
            " refines=\"#subtitle\" property=\"title-type\"",
            "subtitle",
        );
    }
    for (i, c) in m.creators.iter().enumerate() {
        let id = format!("creator-{}", i + 1);
        el("dc:creator", &format!(" id=\"{id}\""), &c.name);
        el(
            "meta",
            &format!(" refines=\"#{id}\" property=\"role\" scheme=\"marc:relators\""),
            &c.role,
        );
        if let Some(file_as) = &c.file_as {
            el(
                "meta",
                &format!(" refines=\"#{id}\" property=\"file-as\""),
                file_as,
            );
        }
    }
    el("dc:language", "", m.lang.as_str());
    if let Some(date) = m.date {
        el("dc:date", "", &date.format("%Y-%m-%d").to_string());
    }
    if let Some(p) = &m.publisher {
        el("dc:publisher", "", p);
    }
    if let Some(r) = &m.rights {
        el("dc:rights", "", r);
    }
    if let Some(d) = &m.description {
        el("dc:description", "", d);
    }
    for s in &m.subjects {
        el("dc:subject", "", s);
    }
    el(
        "meta",
        " property=\"dcterms:modified\"",
        &m.modified.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    );
    // Accessibility metadata (EPUB Accessibility 1.1), claiming only what the content has.
    el("meta", " property=\"schema:accessMode\"", "textual");
    if facts.has_images {
        el("meta", " property=\"schema:accessMode\"", "visual");
    }
    el(
        "meta",
        " property=\"schema:accessModeSufficient\"",
        "textual",
    );
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ] {
        el("meta", " property=\"schema:accessibilityFeature\"", feature);
    }
    el("meta", " property=\"schema:accessibilityHazard\"", "none");
    el(
        "meta",
        " property=\"schema:accessibilitySummary\"",
        "This publication is text with a navigable table of contents, headings and a logical \
         reading order. Text can be resized and restyled by the reader. No hazards.",
    );
    if let Some(cover) = facts.cover_id {
        // EPUB 2 readers and file managers find the cover thumbnail only through this.
        out.push_str(&format!(
            "<meta name=\"cover\" content=\"{}\"/>\n",
            xml::attr(cover)
        ));
    }
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"{}\"/>\n",
        xml::attr(facts.generator)
    ));
}
