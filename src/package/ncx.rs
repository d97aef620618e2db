//! toc.ncx for EPUB 2 reading systems, written from the same tree as nav.xhtml so the two
//! cannot disagree. epub-builder's own NCX claims depth 1, omits `dtb:uid` and gives two
//! entries with the same target different `playOrder`s (an EPUBCheck error).

use std::collections::BTreeMap;

use super::toc::{self, TocEntry};
use crate::book::Metadata;
use crate::xml;

pub fn ncx_document(meta: &Metadata, entries: &[TocEntry]) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str(&format!(
        "<ncx xmlns=\"http://www.daisy.org/z3986/2005/ncx/\" version=\"2005-1\" xml:lang=\"{}\">\n",
        xml::attr(meta.lang.as_str())
    ));
    out.push_str(&format!(
        "<head>\n<meta name=\"dtb:uid\" content=\"{}\"/>\n<meta name=\"dtb:depth\" content=\"{}\"/>\n\
         <meta name=\"dtb:totalPageCount\" content=\"0\"/>\n<meta name=\"dtb:maxPageNumber\" content=\"0\"/>\n</head>\n",
        xml::attr(&meta.identifier),
        toc::depth(entries).max(1)
    ));
    out.push_str(&format!(
        "<docTitle><text>{}</text></docTitle>\n",
        xml::text(&meta.title)
    ));
    for c in &meta.creators {
        out.push_str(&format!(
            "<docAuthor><text>{}</text></docAuthor>\n",
            xml::text(&c.name)
        ));
    }
    out.push_str("<navMap>\n");
    let mut orders = BTreeMap::new();
    let mut next_id = 0;
    push_points(&mut out, entries, &mut orders, &mut next_id);
    out.push_str("</navMap>\n</ncx>\n");
    out
}

/// `playOrder` follows the reading order of distinct targets: entries with the same
/// target share one.
fn push_points(
    out: &mut String,
    entries: &[TocEntry],
    orders: &mut BTreeMap<String, usize>,
    next_id: &mut usize,
) {
    for e in entries {
        *next_id += 1;
        let known = orders.len();
        let order = *orders.entry(e.href.clone()).or_insert(known + 1);
        out.push_str(&format!(
            "<navPoint id=\"navpoint-{}\" playOrder=\"{order}\">\n<navLabel><text>{}</text></navLabel>\n\
             <content src=\"{}\"/>\n",
            next_id,
            xml::text(&e.label),
            xml::attr(&e.href)
        ));
        push_points(out, &e.children, orders, next_id);
        out.push_str("</navPoint>\n");
    }
}
