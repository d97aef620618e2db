//! The package document (OPF): required metadata, the unique identifier, the language tag,
//! `dcterms:modified`, the manifest against the ZIP (present, declared once, media types
//! sniffed from the bytes), nav and cover items, the spine and accessibility metadata.

use std::collections::{HashMap, HashSet};

use super::archive::{Archive, Lines, parse_xml, pos_of};
use super::paths::{self, Target};
use super::rules;
use super::{Pos, Sink, sniff};
use crate::book::metadata::Lang;

const OPF_NS: &str = "http://www.idpf.org/2007/opf";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";

/// One manifest `<item>`.
pub(crate) struct Item {
    pub id: String,
    /// ZIP entry name the href resolves to.
    pub path: String,
    pub media_type: String,
    pub properties: Vec<String>,
    /// Where the `<item>` is in the OPF.
    pub pos: Pos,
}

impl Item {
    pub fn has_property(&self, p: &str) -> bool {
        self.properties.iter().any(|x| x == p)
    }

    pub fn is_xhtml(&self) -> bool {
        self.media_type == "application/xhtml+xml"
    }
}

/// What the rest of the checker needs from the package document.
pub(crate) struct Package {
    /// ZIP entry name of the OPF.
    pub path: String,
    pub text: String,
    pub items: Vec<Item>,
    pub by_path: HashMap<String, usize>,
    /// Spine order, as indexes into `items`.
    pub spine: Vec<usize>,
    /// The inverse: each item's place in the spine, if it has one.
    spine_of: HashMap<usize, usize>,
    pub nav: Option<usize>,
    pub ncx: Option<usize>,
    pub cover: Option<usize>,
    pub identifier: Option<String>,
}

impl Package {
    pub fn at(&self, pos: Pos) -> Option<(Pos, &str)> {
        Some((pos, self.text.as_str()))
    }

    pub fn spine_index(&self, path: &str) -> Option<usize> {
        let item = *self.by_path.get(path)?;
        self.spine_of.get(&item).copied()
    }
}

pub(crate) fn check(zip: &Archive, sink: &mut Sink) -> Option<Package> {
    let name = zip.rootfile.clone()?;
    let text = zip.text(&name, sink)?.to_string();
    let doc = parse_xml(&name, &text, sink)?;
    let lines = Lines::new(&text);
    let root = doc.root_element();
    let root_pos = lines.pos(root.range().start);
    let at = |pos: Pos| Some((pos, text.as_str()));
    if root.attribute("version") != Some("3.0") {
        sink.add(
            &rules::PACKAGE_VERSION,
            &name,
            at(root_pos),
            format!(
                "package version is {}",
                root.attribute("version").unwrap_or("missing")
            ),
        );
    }
    let identifier = check_metadata(&doc, &name, &text, sink);

    let mut pkg = Package {
        path: name.clone(),
        text: text.clone(),
        items: Vec::new(),
        by_path: HashMap::new(),
        spine: Vec::new(),
        spine_of: HashMap::new(),
        nav: None,
        ncx: None,
        cover: None,
        identifier,
    };
    let mut ids = HashSet::new();
    for node in doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "item")))
    {
        let pos = lines.pos(node.range().start);
        let id = node.attribute("id").unwrap_or_default().to_string();
        let href = node.attribute("href").unwrap_or_default();
        let media_type = node.attribute("media-type").unwrap_or_default().to_string();
        let Target::Local { path, .. } = paths::resolve(&name, href) else {
            continue; // remote resources are not in the ZIP by design
        };
        if !ids.insert(id.clone()) {
            sink.add(
                &rules::MANIFEST_DUPLICATE,
                &name,
                at(pos),
                format!("manifest id `{id}` is used twice"),
            );
        }
        if pkg.by_path.contains_key(&path) {
            sink.add(
                &rules::MANIFEST_DUPLICATE,
                &name,
                at(pos),
                format!("`{href}` is declared twice"),
            );
            continue;
        }
        match zip.files.get(&path) {
            None => sink.add(
                &rules::MANIFEST_FILE_MISSING,
                &name,
                at(pos),
                format!("manifest item `{href}` is not in the ZIP"),
            ),
            Some(bytes) => {
                if let Some(real) = sniff::mismatch(&media_type, bytes) {
                    sink.add(
                        &rules::MEDIA_TYPE,
                        &name,
                        at(pos),
                        format!("`{href}` is declared {media_type} but its bytes are {real}"),
                    );
                }
            }
        }
        let properties: Vec<String> = node
            .attribute("properties")
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_string)
            .collect();
        pkg.by_path.insert(path.clone(), pkg.items.len());
        pkg.items.push(Item {
            id,
            path,
            media_type,
            properties,
            pos,
        });
    }
    check_unlisted(zip, &pkg, sink);
    check_special_items(&doc, &mut pkg, sink);
    check_spine(&doc, &mut pkg, sink);
    Some(pkg)
}

/// Title, identifier, language, `dcterms:modified`, accessibility metadata.
fn check_metadata(
    doc: &roxmltree::Document<'_>,
    name: &str,
    text: &str,
    sink: &mut Sink,
) -> Option<String> {
    let root = doc.root_element();
    let meta_pos = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF_NS, "metadata")))
        .map(|n| pos_of(doc, n.range().start))
        .unwrap_or_default();
    let at = |pos: Pos| Some((pos, text));
    let dc = |local: &str| {
        doc.descendants()
            .filter(|n| n.has_tag_name((DC_NS, local)))
            .collect::<Vec<_>>()
    };
    for required in ["title", "identifier", "language"] {
        if dc(required)
            .iter()
            .all(|n| n.text().is_none_or(|t| t.trim().is_empty()))
        {
            sink.add(
                &rules::METADATA_MISSING,
                name,
                at(meta_pos),
                format!("no non-empty dc:{required}"),
            );
        }
    }
    for lang in dc("language") {
        let tag = lang.text().unwrap_or_default().trim();
        if !tag.is_empty() && Lang::parse(tag).is_err() {
            sink.add(
                &rules::LANGUAGE_TAG,
                name,
                at(pos_of(doc, lang.range().start)),
                format!("dc:language `{tag}` is not a BCP 47 tag"),
            );
        }
    }
    let unique = root.attribute("unique-identifier").unwrap_or_default();
    let identifier = dc("identifier")
        .into_iter()
        .find(|n| n.attribute("id") == Some(unique))
        .and_then(|n| n.text())
        .map(|t| t.trim().to_string());
    if identifier.is_none() {
        sink.add(
            &rules::UNIQUE_ID,
            name,
            at(pos_of(doc, root.range().start)),
            format!("unique-identifier `{unique}` names no dc:identifier"),
        );
    }
    let metas: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "meta")) && n.attribute("refines").is_none())
        .collect();
    let property = |p: &str| {
        metas
            .iter()
            .filter(|n| n.attribute("property") == Some(p))
            .collect::<Vec<_>>()
    };
    let modified = property("dcterms:modified");
    match modified.as_slice() {
        [one] => {
            let value = one.text().unwrap_or_default().trim();
            if !is_modified_date(value) {
                sink.add(
                    &rules::MODIFIED,
                    name,
                    at(pos_of(doc, one.range().start)),
                    format!("dcterms:modified `{value}` is not YYYY-MM-DDThh:mm:ssZ"),
                );
            }
        }
        [] => sink.add(&rules::MODIFIED, name, at(meta_pos), "no dcterms:modified"),
        [_, second, ..] => sink.add(
            &rules::MODIFIED,
            name,
            at(pos_of(doc, second.range().start)),
            format!("{} dcterms:modified, exactly one allowed", modified.len()),
        ),
    }
    let missing: Vec<&str> = [
        "schema:accessMode",
        "schema:accessibilityFeature",
        "schema:accessibilityHazard",
        "schema:accessibilitySummary",
    ]
    .into_iter()
    .filter(|p| property(p).is_empty())
    .collect();
    if !missing.is_empty() {
        sink.add(
            &rules::A11Y,
            name,
            at(meta_pos),
            format!("no {}", missing.join(", ")),
        );
    }
    identifier
}

fn is_modified_date(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() == 20
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b'T',
            13 | 16 => c == b':',
            19 => c == b'Z',
            _ => c.is_ascii_digit(),
        })
}

/// Files in the ZIP the manifest does not declare.
fn check_unlisted(zip: &Archive, pkg: &Package, sink: &mut Sink) {
    for name in &zip.names {
        if name == "mimetype" || name.starts_with("META-INF/") || *name == pkg.path {
            continue;
        }
        if !pkg.by_path.contains_key(name) {
            sink.add(
                &rules::NOT_IN_MANIFEST,
                name,
                None,
                "this file is in the ZIP but not in the manifest",
            );
        }
    }
}

/// Exactly one nav, at most one cover image (an image), the legacy cover meta, the NCX.
fn check_special_items(doc: &roxmltree::Document<'_>, pkg: &mut Package, sink: &mut Sink) {
    let with = |p: &str| -> Vec<usize> {
        (0..pkg.items.len())
            .filter(|&i| pkg.items[i].has_property(p))
            .collect()
    };
    let navs = with("nav");
    let opf = pkg.path.clone();
    match navs.as_slice() {
        [one] if pkg.items[*one].is_xhtml() => pkg.nav = Some(*one),
        [one] => sink.add(
            &rules::NAV_COUNT,
            &opf,
            pkg.at(pkg.items[*one].pos),
            "the nav item is not XHTML",
        ),
        [] => sink.add(
            &rules::NAV_COUNT,
            &opf,
            None,
            "no manifest item has properties=\"nav\"",
        ),
        [_, second, ..] => sink.add(
            &rules::NAV_COUNT,
            &opf,
            pkg.at(pkg.items[*second].pos),
            format!("{} items have properties=\"nav\"", navs.len()),
        ),
    }
    let covers = with("cover-image");
    match covers.as_slice() {
        [] => {}
        [one] if pkg.items[*one].media_type.starts_with("image/") => pkg.cover = Some(*one),
        [one] => sink.add(
            &rules::COVER_IMAGE,
            &opf,
            pkg.at(pkg.items[*one].pos),
            "the cover-image item is not an image",
        ),
        [_, second, ..] => sink.add(
            &rules::COVER_IMAGE,
            &opf,
            pkg.at(pkg.items[*second].pos),
            format!("{} items have properties=\"cover-image\"", covers.len()),
        ),
    }
    let legacy = doc
        .descendants()
        .find(|n| n.has_tag_name((OPF_NS, "meta")) && n.attribute("name") == Some("cover"));
    if let Some(cover) = pkg.cover {
        let ok = legacy.is_some_and(|m| m.attribute("content") == Some(&pkg.items[cover].id));
        if !ok {
            let pos = legacy.map(|m| pos_of(doc, m.range().start));
            sink.add(
                &rules::COVER_META,
                &opf,
                pos.and_then(|p| pkg.at(p)),
                "no <meta name=\"cover\"> naming the cover image",
            );
        }
    }
    pkg.ncx = pkg
        .items
        .iter()
        .position(|i| i.media_type == "application/x-dtbncx+xml");
}

fn check_spine(doc: &roxmltree::Document<'_>, pkg: &mut Package, sink: &mut Sink) {
    let opf = pkg.path.clone();
    let by_id: HashMap<&str, usize> = pkg
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| (it.id.as_str(), i))
        .collect();
    let lines = Lines::new(doc.input_text());
    let mut spine = Vec::new();
    let mut refs = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "itemref")))
        .peekable();
    if refs.peek().is_none() {
        sink.add(
            &rules::SPINE_EMPTY,
            &opf,
            None,
            "the spine lists no document",
        );
    }
    for node in refs {
        let pos = lines.pos(node.range().start);
        let idref = node.attribute("idref").unwrap_or_default();
        let Some(&item) = by_id.get(idref) else {
            sink.add(
                &rules::SPINE_IDREF,
                &opf,
                pkg.at(pos),
                format!("spine idref `{idref}` names no manifest item"),
            );
            continue;
        };
        if pkg.spine_of.contains_key(&item) {
            sink.add(
                &rules::SPINE_DUPLICATE,
                &opf,
                pkg.at(pos),
                format!("`{idref}` is in the spine twice"),
            );
            continue;
        }
        let mt = &pkg.items[item].media_type;
        if mt != "application/xhtml+xml" && mt != "image/svg+xml" {
            sink.add(
                &rules::SPINE_TYPE,
                &opf,
                pkg.at(pos),
                format!("`{idref}` is {mt}, not a content document"),
            );
        }
        pkg.spine_of.insert(item, spine.len());
        spine.push(item);
    }
    pkg.spine = spine;
}
