//! The pages inkbind writes itself: the cover page, the title page and the optional
//! colophon.

use crate::book::Metadata;
use crate::cover::CoverImage;
use crate::render::{Document, xhtml_document};
use crate::xml;

pub const COVER_PAGE: &str = "cover.xhtml";
pub const TITLE_PAGE: &str = "titlepage.xhtml";
pub const COLOPHON_PAGE: &str = "colophon.xhtml";

/// The cover image scaled to fit the screen with its aspect kept. An SVG wrapper does that
/// in every reading system, CSS alone does not.
pub fn cover_page(meta: &Metadata, cover: &CoverImage, image_href: &str) -> String {
    let alt = format!("Cover: {}", meta.title);
    let (w, h) = (cover.width, cover.height);
    let body = format!(
        "<div class=\"cover-image\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" \
         xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"100%\" \
         height=\"100%\" viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"xMidYMid meet\" \
         role=\"img\" aria-label=\"{alt_attr}\">\n<title>{alt_text}</title>\n\
         <image width=\"{w}\" height=\"{h}\" xlink:href=\"{href}\"/>\n</svg>\n</div>\n",
        alt_attr = xml::attr(&alt),
        alt_text = xml::text(&alt),
        href = xml::attr(image_href),
    );
    xhtml_document(&Document {
        title: "Cover",
        lang: meta.lang.as_str(),
        body_class: Some("cover"),
        body_type: Some("cover"),
        aria_role: None,
        body: &body,
    })
}

pub fn title_page(meta: &Metadata) -> String {
    let mut body = String::new();
    body.push_str(&format!(
        "<h1 class=\"title\" epub:type=\"title\">{}</h1>\n",
        xml::text(&meta.title)
    ));
    if let Some(sub) = &meta.subtitle {
        body.push_str(&format!(
            "<p class=\"subtitle\" epub:type=\"subtitle\" role=\"doc-subtitle\">{}</p>\n",
            xml::text(sub)
        ));
    }
    if !meta.creators.is_empty() {
        let names: Vec<&str> = meta.creators.iter().map(|c| c.name.as_str()).collect();
        body.push_str(&format!(
            "<p class=\"byline\">{}</p>\n",
            xml::text(&names.join(", "))
        ));
    }
    if let (Some(date), Some(shown)) = (meta.date, meta.display_date()) {
        body.push_str(&format!(
            "<p class=\"dateline\"><time datetime=\"{date}\">{}</time></p>\n",
            xml::text(&shown)
        ));
    }
    if let Some(credit) = &meta.image_credit {
        let label = meta.image_credit_label.as_deref().unwrap_or("Image");
        body.push_str(&format!(
            "<p class=\"credit\">{}: {}</p>\n",
            xml::text(label),
            xml::text(credit)
        ));
    }
    if let Some(publisher) = &meta.publisher {
        body.push_str(&format!(
            "<p class=\"publisher\">{}</p>\n",
            xml::text(publisher)
        ));
    }
    xhtml_document(&Document {
        title: &meta.title,
        lang: meta.lang.as_str(),
        body_class: Some("titlepage"),
        body_type: Some("titlepage"),
        aria_role: None,
        body: &body,
    })
}

/// Who made the book and under what terms: title, people, publisher, rights, credits,
/// identifier and the tool that bound it.
pub fn colophon_page(meta: &Metadata) -> String {
    let mut body = String::from(
        "<section epub:type=\"colophon\" role=\"doc-colophon\" aria-labelledby=\"colophon-title\">\n\
         <h1 id=\"colophon-title\">Colophon</h1>\n",
    );
    let mut para = |class: &str, text: &str| {
        body.push_str(&format!("<p class=\"{class}\">{}</p>\n", xml::text(text)));
    };
    let title = match &meta.subtitle {
        Some(sub) => format!("{}: {sub}", meta.title),
        None => meta.title.clone(),
    };
    para("colophon-title", &title);
    for c in meta.creators.iter().chain(&meta.contributors) {
        para(
            "colophon-person",
            &format!("{} ({})", c.name, c.role_name()),
        );
    }
    let published = match (&meta.publisher, meta.display_date()) {
        (Some(p), Some(d)) => Some(format!("Published by {p}, {d}")),
        (Some(p), None) => Some(format!("Published by {p}")),
        (None, Some(d)) => Some(format!("Published {d}")),
        (None, None) => None,
    };
    if let Some(p) = published {
        para("colophon-publisher", &p);
    }
    if let Some(c) = &meta.collection {
        let place = c
            .position
            .as_ref()
            .map(|p| format!(", number {p}"))
            .unwrap_or_default();
        para("colophon-series", &format!("{}{place}", c.name));
    }
    if let Some(rights) = &meta.rights {
        para("colophon-rights", rights);
    }
    if let Some(credit) = &meta.image_credit {
        let label = meta.image_credit_label.as_deref().unwrap_or("Image");
        para("colophon-credit", &format!("{label}: {credit}"));
    }
    for credit in &meta.credits {
        para("colophon-credit", credit);
    }
    para("colophon-identifier", &meta.identifier);
    para(
        "colophon-generator",
        &format!(
            "Bound into EPUB with inkbind {}.",
            env!("CARGO_PKG_VERSION")
        ),
    );
    body.push_str("</section>\n");
    xhtml_document(&Document {
        title: "Colophon",
        lang: meta.lang.as_str(),
        body_class: Some("colophon"),
        body_type: Some("backmatter"),
        aria_role: None,
        body: &body,
    })
}
