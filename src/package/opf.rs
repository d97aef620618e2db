//! content.opf: epub-builder's manifest, spine and guide, with the package element and the
//! metadata written by us. epub-builder's metadata is invalid for EPUB 3 (language and
//! creators share ids, values are not escaped) and cannot express subtitles, publishers,
//! roles, accessibility or manifest properties; its manifest and spine are fine.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};

use super::a11y::A11y;
use crate::book::Metadata;
use crate::book::metadata::Creator;
use crate::xml;

/// What the metadata section says about the content, beyond the book's own fields.
pub struct PackageFacts<'a> {
    pub metadata: &'a Metadata,
    /// Manifest id of the cover image, if there is one.
    pub cover_id: Option<&'a str>,
    /// Extra manifest `properties` by href (e.g. `svg` for the cover page).
    pub properties: &'a BTreeMap<String, Vec<&'static str>>,
    /// Accessibility metadata derived from the content.
    pub a11y: &'a A11y,
    pub generator: &'a str,
    /// Fonts are embedded: Apple Books shows them only when told so.
    pub specified_fonts: bool,
    /// Put the contents page (nav) in the reading order, after `after` (the title page).
    pub toc_page_after: Option<&'a str>,
    /// The nav document, for the guide's `toc` reference.
    pub nav_href: &'a str,
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
    // `ibooks` is not a reserved prefix, so it is declared only when used.
    let prefix = if facts.specified_fonts {
        " prefix=\"ibooks: http://vocabulary.itunes.apple.com/rdf/ibooks/vocabulary-extensions-1.0/\""
    } else {
        ""
    };
    out.push_str(&format!(
        "<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" \
         unique-identifier=\"pub-id\" xml:lang=\"{lang}\"{prefix}>\n"
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
    let nav_id = items
        .iter()
        .find(|i| i.properties.iter().any(|p| p == "nav"))
        .map(|i| i.id.clone())
        .filter(|id| !spine.contains(id));
    let toc_after = facts
        .toc_page_after
        .and_then(|href| items.iter().find(|i| i.href == href))
        .map(|i| i.id.clone());
    let mut nav_placed = false;
    for idref in &spine {
        out.push_str(&format!("<itemref idref=\"{}\"/>\n", xml::attr(idref)));
        if let Some(nav) = &nav_id
            && toc_after.as_ref() == Some(idref)
        {
            out.push_str(&format!("<itemref idref=\"{}\"/>\n", xml::attr(nav)));
            nav_placed = true;
        }
    }
    // The `toc` landmark must point at a spine item; non-linear keeps the contents page out
    // of the reading order while readers can still jump to it.
    if let Some(nav) = nav_id.filter(|_| !nav_placed) {
        out.push_str(&format!(
            "<itemref idref=\"{}\" linear=\"no\"/>\n",
            xml::attr(&nav)
        ));
    }
    out.push_str("</spine>\n");
    let mut guide = guide;
    if !guide.iter().any(|(kind, _, _)| kind == "toc") {
        let title = facts.metadata.toc_title().to_string();
        guide.push(("toc".into(), title, facts.nav_href.to_string()));
    }
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
    if let Some(code) = m.identifier_scheme.onix_code() {
        el(
            "meta",
            " refines=\"#pub-id\" property=\"identifier-type\" scheme=\"onix:codelist5\"",
            code,
        );
    }
    for (i, other) in m.other_identifiers.iter().enumerate() {
        let id = format!("id-{}", i + 2);
        el("dc:identifier", &format!(" id=\"{id}\""), &other.value);
        if let Some(code) = other.scheme.onix_code() {
            el(
                "meta",
                &format!(
                    " refines=\"#{id}\" property=\"identifier-type\" scheme=\"onix:codelist5\""
                ),
                code,
            );
        }
    }
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
    people(&mut el, "dc:creator", "creator", &m.creators);
    people(&mut el, "dc:contributor", "contributor", &m.contributors);
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
    if let Some(c) = &m.collection {
        el(
            "meta",
            " property=\"belongs-to-collection\" id=\"collection\"",
            &c.name,
        );
        el(
            "meta",
            " refines=\"#collection\" property=\"collection-type\"",
            &c.kind,
        );
        if let Some(p) = &c.position {
            el(
                "meta",
                " refines=\"#collection\" property=\"group-position\"",
                p,
            );
        }
    }
    el(
        "meta",
        " property=\"dcterms:modified\"",
        &m.modified.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    );
    let a = facts.a11y;
    for mode in &a.access_modes {
        el("meta", " property=\"schema:accessMode\"", mode);
    }
    for set in &a.access_mode_sufficient {
        el("meta", " property=\"schema:accessModeSufficient\"", set);
    }
    for feature in &a.features {
        el("meta", " property=\"schema:accessibilityFeature\"", feature);
    }
    for hazard in &a.hazards {
        el("meta", " property=\"schema:accessibilityHazard\"", hazard);
    }
    // A generated summary is English; say so when the book is not.
    let summary_lang = if a.generated_summary && !m.lang.is_english() {
        " xml:lang=\"en\""
    } else {
        ""
    };
    el(
        "meta",
        &format!(" property=\"schema:accessibilitySummary\"{summary_lang}"),
        &a.summary,
    );
    let declared = &m.accessibility;
    for claim in &declared.conforms_to {
        el("meta", " property=\"dcterms:conformsTo\"", claim);
    }
    if let Some(by) = &declared.certified_by {
        el(
            "meta",
            " property=\"a11y:certifiedBy\" id=\"certifier\"",
            by,
        );
        if let Some(credential) = &declared.certifier_credential {
            el(
                "meta",
                " refines=\"#certifier\" property=\"a11y:certifierCredential\"",
                credential,
            );
        }
    }
    if let Some(exemption) = &declared.exemption {
        el("meta", " property=\"a11y:exemption\"", exemption);
    }
    if let (Some(report), Some(_)) = (&declared.certifier_report, &declared.certified_by) {
        out.push_str(&format!(
            "<link rel=\"a11y:certifierReport\" refines=\"#certifier\" href=\"{}\"/>\n",
            xml::attr(report)
        ));
    }
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
    if facts.specified_fonts {
        out.push_str("<meta property=\"ibooks:specified-fonts\">true</meta>\n");
    }
}

/// `dc:creator`/`dc:contributor` elements refined with their role and sort name.
fn people(el: &mut impl FnMut(&str, &str, &str), tag: &str, prefix: &str, people: &[Creator]) {
    for (i, c) in people.iter().enumerate() {
        let id = format!("{prefix}-{}", i + 1);
        el(tag, &format!(" id=\"{id}\""), &c.name);
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
}
