//! Navigation: the nav document's table of contents (present, not empty, in spine order),
//! its landmarks, and the legacy NCX (targets exist, `dtb:uid` matches the package).

use super::archive::{Archive, Lines, parse_xml};
use super::content::Docs;
use super::package::Package;
use super::paths::{self, Target};
use super::rules;
use super::{Pos, Sink};

const XHTML_NS: &str = "http://www.w3.org/1999/xhtml";
const OPS_NS: &str = "http://www.idpf.org/2007/ops";
const NCX_NS: &str = "http://www.daisy.org/z3986/2005/ncx/";

/// What the store rules need to know about navigation.
#[derive(Debug, Default)]
pub(crate) struct NavFacts {
    /// Nesting depth of the table of contents (1 = flat).
    pub toc_depth: usize,
    /// Landmarks name where the body matter starts.
    pub bodymatter_landmark: bool,
}

pub(crate) fn check(zip: &Archive, pkg: &Package, docs: &Docs, sink: &mut Sink) -> NavFacts {
    let mut facts = NavFacts::default();
    if let Some(nav) = pkg.nav {
        check_nav(&pkg.items[nav].path, pkg, docs, sink, &mut facts);
    }
    if let Some(ncx) = pkg.ncx {
        check_ncx(zip, &pkg.items[ncx].path, pkg, docs, sink);
    }
    facts
}

fn epub_type<'a>(node: &roxmltree::Node<'a, '_>) -> impl Iterator<Item = &'a str> {
    node.attribute((OPS_NS, "type"))
        .unwrap_or_default()
        .split_whitespace()
}

fn check_nav(name: &str, pkg: &Package, docs: &Docs, sink: &mut Sink, facts: &mut NavFacts) {
    // Already parsed (and reported when malformed) as a content document.
    let Some(doc) = docs.get(name) else {
        return;
    };
    let Ok(xml) = roxmltree::Document::parse_with_options(
        &doc.text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    ) else {
        return;
    };
    let navs: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "nav")))
        .collect();
    facts.bodymatter_landmark = navs
        .iter()
        .filter(|n| epub_type(n).any(|t| t == "landmarks"))
        .flat_map(|n| n.descendants())
        .any(|a| a.has_tag_name((XHTML_NS, "a")) && epub_type(&a).any(|t| t == "bodymatter"));
    let Some(toc) = navs.iter().find(|n| epub_type(n).any(|t| t == "toc")) else {
        sink.add(
            &rules::NAV_TOC,
            name,
            None,
            "no <nav epub:type=\"toc\"> in the nav document",
        );
        return;
    };
    let lines = Lines::new(doc.text.as_str());
    let at = |offset: usize| Some((lines.pos(offset), doc.text.as_str()));
    let has_entry = toc
        .children()
        .find(|c| c.has_tag_name((XHTML_NS, "ol")))
        .is_some_and(|ol| ol.children().any(|li| li.has_tag_name((XHTML_NS, "li"))));
    if !has_entry {
        sink.add(
            &rules::NAV_TOC,
            name,
            at(toc.range().start),
            "the table of contents has no entries",
        );
    }
    facts.toc_depth = toc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "a")))
        .map(|a| {
            a.ancestors()
                .take_while(|x| x != toc)
                .filter(|x| x.has_tag_name((XHTML_NS, "ol")))
                .count()
        })
        .max()
        .unwrap_or(0);
    // Reading order: (spine index, offset of the target inside its document).
    let mut previous: Option<(usize, usize)> = None;
    for a in toc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML_NS, "a")))
    {
        let Some(href) = a.attribute("href") else {
            continue;
        };
        let Some(place) = reading_position(name, href, pkg, docs) else {
            continue;
        };
        if previous.is_some_and(|p| place < p) {
            sink.add(
                &rules::NAV_ORDER,
                name,
                at(a.range().start),
                format!("`{href}` comes before the previous entry in the reading order"),
            );
        }
        previous = Some(place);
    }
}

/// Where `href` (found in `base`) lands in the reading order, if it lands in the spine.
fn reading_position(base: &str, href: &str, pkg: &Package, docs: &Docs) -> Option<(usize, usize)> {
    let Target::Local { path, fragment } = paths::resolve(base, href) else {
        return None;
    };
    let spine = pkg.spine_index(&path)?;
    let offset = match fragment {
        Some(f) => *docs.get(&path)?.ids.get(&f)?,
        None => 0,
    };
    Some((spine, offset))
}

fn check_ncx(zip: &Archive, name: &str, pkg: &Package, docs: &Docs, sink: &mut Sink) {
    let Some(text) = zip.text(name, sink) else {
        return;
    };
    let Some(doc) = parse_xml(name, text, sink) else {
        return;
    };
    let lines = Lines::new(text);
    let at = |offset: usize| -> Option<(Pos, &str)> { Some((lines.pos(offset), text)) };
    let uid = doc
        .descendants()
        .find(|n| n.has_tag_name((NCX_NS, "meta")) && n.attribute("name") == Some("dtb:uid"));
    if let (Some(uid), Some(identifier)) = (uid, &pkg.identifier) {
        let value = uid.attribute("content").unwrap_or_default().trim();
        if value != identifier {
            sink.add(
                &rules::NCX_UID,
                name,
                at(uid.range().start),
                format!("dtb:uid `{value}` differs from the package identifier `{identifier}`"),
            );
        }
    }
    for content in doc
        .descendants()
        .filter(|n| n.has_tag_name((NCX_NS, "content")))
    {
        let src = content.attribute("src").unwrap_or_default();
        let Target::Local { path, fragment } = paths::resolve(name, src) else {
            continue;
        };
        if !zip.files.contains_key(&path) {
            sink.add(
                &rules::LINK_FILE,
                name,
                at(content.range().start),
                format!("NCX entry `{src}` does not exist in the EPUB"),
            );
        } else if let (Some(f), Some(target)) = (fragment, docs.get(&path))
            && !target.ids.contains_key(&f)
        {
            sink.add(
                &rules::LINK_FRAGMENT,
                name,
                at(content.range().start),
                format!("NCX entry `{src}`: no element has id `{f}`"),
            );
        }
    }
}
