//! Attributes of raw HTML elements, filtered for EPUB 3 XHTML: links rewritten, ids made
//! unique, active attributes (`on*`, `style`) reported, everything unknown dropped.

use html5ever::{Attribute, ns};

use super::policy;
use crate::render::links::{self, Href};
use crate::render::writer::ChapterWriter;
use crate::xml;

const XLINK: &str = "http://www.w3.org/1999/xlink";
const XML: &str = "http://www.w3.org/XML/1998/namespace";

/// Writes the attributes of an HTML element named `element` (its output name).
pub fn write(w: &mut ChapterWriter<'_, '_>, element: &str, attrs: &[Attribute], line: usize) {
    let mut written: Vec<&str> = Vec::with_capacity(attrs.len());
    let has_id = attrs.iter().any(|a| &*a.name.local == "id");
    for attr in attrs {
        if attr.name.ns != ns!() {
            continue;
        }
        let name = &*attr.name.local;
        let value = &*attr.value;
        if policy::is_active_attr(name) {
            w.warn(
                line,
                format!(
                    "attribute `{name}` removed from <{element}> (active content or inline style)"
                ),
            );
            continue;
        }
        let out = match name {
            "epub:type" => "epub:type",
            "name" if element == "a" && !has_id => "id",
            _ if policy::html_attr(element, name) && policy::is_xml_name(name) => name,
            _ => continue,
        };
        if written.contains(&out) || !policy::html_attr_value_ok(out, value) {
            continue;
        }
        written.push(out);
        match out {
            "id" => {
                let id = w.author_id(value, line);
                w.push(&format!(" id=\"{id}\""));
            }
            "href" => w.write_href(value, line),
            _ => w.push(&format!(" {out}=\"{}\"", xml::attr(value))),
        }
    }
}

/// Writes the attributes of an SVG or MathML element (`svg` tells which).
pub fn write_foreign(
    w: &mut ChapterWriter<'_, '_>,
    svg: bool,
    element: &str,
    attrs: &[Attribute],
    line: usize,
) {
    let mut written: Vec<String> = Vec::with_capacity(attrs.len());
    for attr in attrs {
        let local = &*attr.name.local;
        let value = &*attr.value;
        let name = match &*attr.name.ns {
            "" if policy::is_active_attr(local) => {
                w.warn(line, format!("attribute `{local}` removed from <{element}> (active content or inline style)"));
                continue;
            }
            "" if local == "href" => "href".to_string(),
            "" if policy::is_xml_name(local) => local.to_string(),
            XLINK if local == "href" => "xlink:href".to_string(),
            XML if matches!(local, "lang" | "space") => format!("xml:{local}"),
            _ => continue,
        };
        if written.contains(&name) {
            continue;
        }
        if name.ends_with("href") {
            // Links and images are SVG's (where `xlink` is declared); in MathML an href
            // would be an undeclared prefix, and EPUB's MathML has no links.
            if !svg {
                continue;
            }
            match element {
                "a" => match links::classify(value, w.source, &w.dir, &w.shared.sources) {
                    Href::External(url) => w.push(&format!(" xlink:href=\"{}\"", xml::attr(&url))),
                    _ => {
                        w.warn(
                            line,
                            "link inside SVG removed: only web addresses are kept there",
                        );
                        continue;
                    }
                },
                "image" => match w.image_ref(value, line) {
                    crate::render::images::ImageRef::Local(href) => {
                        w.push(&format!(" xlink:href=\"{href}\""));
                    }
                    _ => w.warn(line, "SVG image that cannot be embedded removed"),
                },
                _ if value.starts_with('#') => {
                    w.push(&format!(" xlink:href=\"{}\"", xml::attr(value)));
                }
                _ => continue,
            }
            written.push(name);
            continue;
        }
        w.push(&format!(" {name}=\"{}\"", xml::attr(value)));
        written.push(name);
    }
}
