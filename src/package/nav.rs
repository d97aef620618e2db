//! nav.xhtml: the EPUB 3 table of contents and the hidden landmarks. Written by us rather
//! than epub-builder, whose nav lacks `lang` and always writes an (often empty) landmarks list.

use super::toc::TocEntry;
use crate::render::STYLESHEET_HREF;
use crate::xml;

pub const NAV_FILE: &str = "nav.xhtml";

/// A landmark: `epub:type` and target.
pub struct Landmark<'a> {
    pub kind: &'a str,
    pub label: &'a str,
    pub href: &'a str,
}

pub fn nav_document(
    lang: &str,
    title: &str,
    toc: &[TocEntry],
    landmarks: &[Landmark<'_>],
) -> String {
    let lang = xml::attr(lang);
    let title = xml::text(title);
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(&format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n\
         <title>{title}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"{STYLESHEET_HREF}\"/>\n\
         </head>\n<body class=\"nav\">\n"
    ));
    out.push_str(&format!(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\">\n<h1>{title}</h1>\n"
    ));
    push_list(&mut out, toc);
    out.push_str("</nav>\n");
    if !landmarks.is_empty() {
        out.push_str(
            "<nav epub:type=\"landmarks\" id=\"landmarks\" aria-label=\"Landmarks\" hidden=\"hidden\">\n<ol>\n",
        );
        for l in landmarks {
            out.push_str(&format!(
                "<li><a epub:type=\"{}\" href=\"{}\">{}</a></li>\n",
                xml::attr(l.kind),
                xml::attr(l.href),
                xml::text(l.label)
            ));
        }
        out.push_str("</ol>\n</nav>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn push_list(out: &mut String, entries: &[TocEntry]) {
    if entries.is_empty() {
        return;
    }
    out.push_str("<ol>\n");
    for e in entries {
        out.push_str(&format!(
            "<li><a href=\"{}\">{}</a>",
            xml::attr(&e.href),
            xml::text(&e.label)
        ));
        if !e.children.is_empty() {
            out.push('\n');
            push_list(out, &e.children);
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
}
