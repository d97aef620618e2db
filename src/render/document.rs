//! The XHTML document shell every content page shares: XML declaration (Kindle assumes
//! Latin-1 without it), HTML5 doctype, `lang` + `xml:lang`, title and stylesheet.

use crate::xml;

/// Path of the book's stylesheet relative to content documents.
pub const STYLESHEET_HREF: &str = "stylesheet.css";

pub struct Document<'a> {
    pub title: &'a str,
    pub lang: &'a str,
    pub body_class: Option<&'a str>,
    /// `epub:type` of the body's section (e.g. `bodymatter`).
    pub body_type: Option<&'a str>,
    /// The section's DPUB-ARIA `role` (e.g. `doc-chapter`).
    pub aria_role: Option<&'a str>,
    /// Well-formed XHTML for inside `<body>`.
    pub body: &'a str,
}

pub fn xhtml_document(doc: &Document<'_>) -> String {
    let lang = xml::attr(doc.lang);
    let mut out = String::with_capacity(doc.body.len() + 600);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n");
    out.push_str(&format!(
        "<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" \
         lang=\"{lang}\" xml:lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"{STYLESHEET_HREF}\"/>\n</head>\n",
        xml::text(doc.title)
    ));
    match doc.body_class {
        Some(class) => out.push_str(&format!("<body class=\"{}\">\n", xml::attr(class))),
        None => out.push_str("<body>\n"),
    }
    out.push_str("<section");
    if let Some(t) = doc.body_type {
        out.push_str(&format!(" epub:type=\"{}\"", xml::attr(t)));
    }
    if let Some(r) = doc.aria_role {
        out.push_str(&format!(" role=\"{}\"", xml::attr(r)));
    }
    out.push_str(">\n");
    out.push_str(doc.body);
    out.push_str("</section>\n</body>\n</html>\n");
    out
}
