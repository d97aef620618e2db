//! Content documents: every XHTML file well-formed, ids unique, every `href`/`src`
//! resolving to a file (and `#fragment` to an id), manifest properties matching what the
//! markup uses (svg, mathml, scripted, remote-resources), titles, languages, alt text.
//! What the store rules need later (body ids, inline styles, text length) is kept in [`Doc`].

use std::collections::HashMap;

use super::archive::{Archive, Lines, parse_xml};
use super::package::{Item, Package};
use super::paths::{self, Target};
use super::rules;
use super::{Pos, Sink};

const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const SVG_NS: &str = "http://www.w3.org/2000/svg";
const MATHML_NS: &str = "http://www.w3.org/1998/Math/MathML";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A reference from a document to somewhere.
pub(crate) struct Link {
    pub pos: Pos,
    pub href: String,
    /// A hyperlink (`<a>`) must land on a spine document; a resource (`src`) need not.
    pub hyperlink: bool,
}

/// What was learnt about one parsed content document.
pub(crate) struct Doc {
    pub text: String,
    /// Every id and the byte offset of its element, for fragment checks and order.
    pub ids: HashMap<String, usize>,
    pub body_id: Option<String>,
    pub links: Vec<Link>,
    pub has_xml_declaration: bool,
    pub inline_styles: Vec<Pos>,
    pub images_without_alt: Vec<Pos>,
    /// Characters of text inside `<body>`.
    pub text_chars: usize,
}

/// Parsed content documents by ZIP entry name.
pub(crate) type Docs = HashMap<String, Doc>;

/// Below this many bytes of documents a second thread costs more than it saves.
const PARALLEL_THRESHOLD: usize = 512 * 1024;

pub(crate) fn check(zip: &Archive, pkg: &Package, sink: &mut Sink) -> Docs {
    let items: Vec<&Item> = pkg
        .items
        .iter()
        .filter(|i| i.is_xhtml() || i.media_type == "image/svg+xml")
        .collect();
    let mut docs = Docs::new();
    for (item, (parsed, own)) in items.iter().zip(parse_all(zip, &items)) {
        sink.findings.extend(own.findings);
        let Some((parsed, features)) = parsed else {
            continue;
        };
        for feature in ["svg", "mathml", "scripted", "remote-resources"] {
            let used = features.contains(&feature);
            let declared = item.has_property(feature);
            // An SVG document is SVG by nature; the property is for XHTML that embeds it.
            if feature == "svg" && !item.is_xhtml() {
                continue;
            }
            if used != declared {
                let (rule, what) = if used {
                    (&rules::PROPERTY_MISSING, "uses")
                } else {
                    (&rules::PROPERTY_UNUSED, "does not use")
                };
                sink.add(
                    rule,
                    &pkg.path,
                    pkg.at(item.pos),
                    format!(
                        "`{}` {what} {feature} but its manifest properties are `{}`",
                        item.path,
                        item.properties.join(" ")
                    ),
                );
            }
        }
        docs.insert(item.path.clone(), parsed);
    }
    for (name, doc) in &docs {
        check_links(name, doc, &docs, zip, pkg, sink);
    }
    docs
}

/// One document read on its own: what was learnt (unless it is unreadable) and the
/// findings, kept apart so that they merge in manifest order whatever thread read it.
type Parsed = (Option<(Doc, Vec<&'static str>)>, Sink);

fn parse_one(zip: &Archive, item: &Item) -> Parsed {
    let mut sink = Sink::default();
    let parsed = zip.text(&item.path, &mut sink).and_then(|text| {
        let doc = parse_xml(&item.path, text, &mut sink)?;
        Some(read(&item.path, &doc, item.is_xhtml(), &mut sink))
    });
    (parsed, sink)
}

/// Parses every document, on two threads when there is enough to share: parsing is most
/// of the check's time on a long book.
fn parse_all(zip: &Archive, items: &[&Item]) -> Vec<Parsed> {
    let size = |item: &Item| zip.files.get(&item.path).map_or(0, Vec::len);
    let total: usize = items.iter().map(|i| size(i)).sum();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
    if total < PARALLEL_THRESHOLD || threads < 2 || items.len() < 2 {
        return items.iter().map(|item| parse_one(zip, item)).collect();
    }
    // Cut where half the bytes lie, so both threads get a similar share.
    let mut acc = 0;
    let cut = items
        .iter()
        .position(|i| {
            acc += size(i);
            acc * 2 >= total
        })
        .map_or(items.len() / 2, |p| (p + 1).min(items.len() - 1));
    let (first, second) = items.split_at(cut);
    std::thread::scope(|scope| {
        let other = scope.spawn(|| {
            second
                .iter()
                .map(|item| parse_one(zip, item))
                .collect::<Vec<_>>()
        });
        let mut out: Vec<Parsed> = first.iter().map(|item| parse_one(zip, item)).collect();
        match other.join() {
            Ok(rest) => out.extend(rest),
            // Cannot happen short of a bug; read the rest here rather than lose it.
            Err(_) => out.extend(second.iter().map(|item| parse_one(zip, item))),
        }
        out
    })
}

/// Walks one document once, reporting what is local to it.
fn read(
    name: &str,
    doc: &roxmltree::Document<'_>,
    xhtml: bool,
    sink: &mut Sink,
) -> (Doc, Vec<&'static str>) {
    let text = doc.input_text();
    let lines = Lines::new(text);
    let pos_of = |offset: usize| lines.pos(offset);
    let at = |offset: usize| Some((pos_of(offset), text));
    let mut out = Doc {
        text: text.to_string(),
        ids: HashMap::new(),
        body_id: None,
        links: Vec::new(),
        has_xml_declaration: text.trim_start_matches('\u{feff}').starts_with("<?xml"),
        inline_styles: Vec::new(),
        images_without_alt: Vec::new(),
        text_chars: 0,
    };
    let mut features = Vec::new();
    let mut feature = |f: &'static str| {
        if !features.contains(&f) {
            features.push(f);
        }
    };
    // Counted from the body down, not by asking each text node for its ancestors: that is
    // quadratic in the nesting depth (10,000 nested quotes took seconds).
    if let Some(body) = doc
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "body")))
    {
        out.text_chars = body
            .descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().map_or(0, |t| t.trim().chars().count()))
            .sum();
    }
    for node in doc.descendants() {
        if !node.is_element() {
            continue;
        }
        let start = node.range().start;
        if let Some(id) = node.attribute("id")
            && out.ids.insert(id.to_string(), start).is_some()
        {
            sink.add(
                &rules::ID_DUPLICATE,
                name,
                at(start),
                format!("id `{id}` is used more than once"),
            );
        }
        let tag = node.tag_name();
        match (tag.namespace(), tag.name()) {
            (Some(SVG_NS), "svg") => feature("svg"),
            (Some(MATHML_NS), "math") => feature("mathml"),
            (Some(XHTML_NS), "script" | "form") => feature("scripted"),
            (Some(XHTML_NS), "body") => out.body_id = node.attribute("id").map(str::to_string),
            (Some(XHTML_NS), "img") if node.attribute("alt").is_none() => {
                out.images_without_alt.push(pos_of(start));
                sink.add(&rules::ALT, name, at(start), "<img> has no alt attribute");
            }
            _ => {}
        }
        if let Some(style) = node.attribute_node("style") {
            out.inline_styles.push(pos_of(style.range().start));
        }
        for attr in node.attributes() {
            let resource_attr = matches!(
                (attr.namespace(), attr.name()),
                (None, "src" | "poster" | "data") | (Some(XLINK_NS), "href")
            ) || (attr.namespace().is_none()
                && attr.name() == "href"
                && tag.namespace() == Some(SVG_NS));
            // SVG's <a> is a hyperlink too, whether it says href or xlink:href.
            let hyperlink = match tag.namespace() {
                Some(XHTML_NS) => {
                    matches!(tag.name(), "a" | "area")
                        && attr.name() == "href"
                        && attr.namespace().is_none()
                }
                Some(SVG_NS) => {
                    tag.name() == "a"
                        && attr.name() == "href"
                        && matches!(attr.namespace(), None | Some(XLINK_NS))
                }
                _ => false,
            };
            let stylesheet =
                tag.name() == "link" && attr.name() == "href" && attr.namespace().is_none();
            if attr.name().starts_with("on") && attr.namespace().is_none() && xhtml {
                feature("scripted");
            }
            if !(resource_attr || hyperlink || stylesheet) {
                continue;
            }
            let href = attr.value();
            if paths::resolve(name, href) == Target::Remote {
                match tag.name() {
                    _ if hyperlink => {}
                    "img" | "image" => {
                        // Still a remote resource for the manifest, as EPUBCheck also says.
                        feature("remote-resources");
                        sink.add(
                            &rules::REMOTE_IMAGE,
                            name,
                            at(attr.range().start),
                            format!("image `{href}` is outside the EPUB"),
                        );
                    }
                    _ => feature("remote-resources"),
                }
                continue;
            }
            out.links.push(Link {
                pos: pos_of(attr.range().start),
                href: href.to_string(),
                hyperlink,
            });
        }
    }
    if xhtml {
        check_head(name, doc, sink);
    }
    (out, features)
}

/// A `<title>` and a language on `<html>`.
fn check_head(name: &str, doc: &roxmltree::Document<'_>, sink: &mut Sink) {
    let root = doc.root_element();
    let lines = Lines::new(doc.input_text());
    let at = Some((lines.pos(root.range().start), doc.input_text()));
    match doc
        .descendants()
        .find(|n| n.has_tag_name((XHTML_NS, "title")))
    {
        None => sink.add(&rules::TITLE, name, at, "the document has no <title>"),
        Some(t)
            if t.descendants()
                .filter_map(|n| n.text())
                .all(|s| s.trim().is_empty()) =>
        {
            let at = Some((lines.pos(t.range().start), doc.input_text()));
            sink.add(&rules::TITLE_EMPTY, name, at, "<title> is empty");
        }
        Some(_) => {}
    }
    if root.attribute("lang").is_none() && root.attribute((XML_NS, "lang")).is_none() {
        sink.add(&rules::LANG, name, at, "<html> has no lang or xml:lang");
    }
}

fn check_links(name: &str, doc: &Doc, docs: &Docs, zip: &Archive, pkg: &Package, sink: &mut Sink) {
    for link in &doc.links {
        let at = Some((link.pos, doc.text.as_str()));
        let (path, fragment) = match paths::resolve(name, &link.href) {
            Target::Remote => continue,
            Target::Outside => {
                sink.add(
                    &rules::LINK_FILE,
                    name,
                    at,
                    format!("`{}` points outside the EPUB", link.href),
                );
                continue;
            }
            Target::Local { path, fragment } => (path, fragment),
        };
        if !zip.files.contains_key(&path) {
            sink.add(
                &rules::LINK_FILE,
                name,
                at,
                format!("`{}` does not exist in the EPUB", link.href),
            );
            continue;
        }
        let Some(&item) = pkg.by_path.get(&path) else {
            sink.add(
                &rules::LINK_NOT_MANIFEST,
                name,
                at,
                format!("`{}` is not declared in the manifest", link.href),
            );
            continue;
        };
        if link.hyperlink && pkg.items[item].is_xhtml() && pkg.spine_index(&path).is_none() {
            sink.add(
                &rules::LINK_NOT_SPINE,
                name,
                at,
                format!(
                    "`{}` links to a document that is not in the spine",
                    link.href
                ),
            );
        }
        if let (Some(fragment), Some(target)) = (fragment, docs.get(&path))
            && !fragment.is_empty()
            && !target.ids.contains_key(&fragment)
            && !fragment.starts_with("epubcfi(")
        {
            sink.add(
                &rules::LINK_FRAGMENT,
                name,
                at,
                format!("`{}`: no element has id `{fragment}`", link.href),
            );
        }
    }
}
