//! An HTML block parsed with html5ever's tree builder (as a browser would repair it) and
//! written out as XHTML under the sanitiser's policy.

use html5ever::tendril::TendrilSink;
use html5ever::tree_builder::TreeBuilderOpts;
use html5ever::{Attribute, ParseOpts, QualName, local_name, ns, parse_fragment};

use super::attrs;
use super::dom::{Dom, Node, NodeId, NodeKind};
use super::policy::{self, Action};
use crate::render::images::ImageRef;
use crate::render::writer::ChapterWriter;
use crate::xml;

const SVG: &str = "http://www.w3.org/2000/svg";
const MATHML: &str = "http://www.w3.org/1998/Math/MathML";
const HTML: &str = "http://www.w3.org/1999/xhtml";

/// Deeper nesting than this is flattened: readers choke on it and it is never meaningful.
const MAX_DEPTH: usize = 64;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Space {
    Html,
    Svg,
    Math,
}

#[derive(Clone, Copy)]
struct Ctx {
    space: Space,
    phrasing: bool,
    in_link: bool,
    /// Inside `ul`/`ol` (children must be `li`) or `dl` (`dt`/`dd`/`div`).
    list: Option<&'static str>,
    depth: usize,
}

enum Step {
    Enter(NodeId, Ctx),
    Close(String),
}

/// Parses `html` (an HTML block starting at `line`) and writes it as XHTML.
pub fn write(w: &mut ChapterWriter<'_, '_>, html: &str, line: usize, phrasing: bool) {
    let opts = ParseOpts {
        tree_builder: TreeBuilderOpts {
            // Without scripting, `<noscript>` content is markup we can keep.
            scripting_enabled: false,
            ..TreeBuilderOpts::default()
        },
        ..ParseOpts::default()
    };
    let context = QualName::new(None, ns!(html), local_name!("body"));
    let dom: Dom = parse_fragment(Dom::new(), opts, context, Vec::new(), false).one(html);
    let nodes = dom.into_nodes();
    // The fragment's content hangs under the `html` element the parser puts in node 0.
    let Some(&root) = nodes[0].children.first() else {
        return;
    };
    let ctx = Ctx {
        space: Space::Html,
        phrasing,
        in_link: w.in_link > 0,
        list: None,
        depth: 0,
    };
    let mut warned_chars = false;
    let mut stack: Vec<Step> = nodes[root]
        .children
        .iter()
        .rev()
        .map(|&c| Step::Enter(c, ctx))
        .collect();
    while let Some(step) = stack.pop() {
        match step {
            Step::Close(name) => {
                w.push("</");
                w.push(&name);
                w.push(">");
            }
            Step::Enter(id, ctx) => match &nodes[id].kind {
                NodeKind::Text(t) => {
                    if ctx.list.is_some() && t.trim().is_empty() {
                        continue;
                    }
                    if !warned_chars && !t.chars().all(xml::is_xml_char) {
                        warned_chars = true;
                        w.warn(
                            line,
                            "control character replaced with U+FFFD (XML does not allow it)",
                        );
                    }
                    let wrap = ctx.list.map(|l| if l == "dl" { "dd" } else { "li" });
                    if let Some(el) = wrap {
                        w.push(&format!("<{el}>"));
                    }
                    xml::push_text(&mut w.buf().html, t);
                    if let Some(el) = wrap {
                        w.push(&format!("</{el}>"));
                    }
                }
                NodeKind::Element {
                    name,
                    attrs,
                    line: l,
                } => {
                    let at = line + (*l as usize).saturating_sub(1);
                    element(w, &nodes, id, name, attrs, at, ctx, &mut stack);
                }
                NodeKind::Root | NodeKind::Other => {}
            },
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn element(
    w: &mut ChapterWriter<'_, '_>,
    nodes: &[Node],
    id: NodeId,
    name: &QualName,
    attrs: &[Attribute],
    line: usize,
    ctx: Ctx,
    stack: &mut Vec<Step>,
) {
    let local: &str = &name.local;
    let children = |ctx: Ctx, stack: &mut Vec<Step>| {
        stack.extend(
            nodes[id]
                .children
                .iter()
                .rev()
                .map(|&c| Step::Enter(c, ctx)),
        );
    };
    let space = match &*name.ns {
        HTML => Space::Html,
        SVG => Space::Svg,
        MATHML => Space::Math,
        _ => return children(ctx, stack),
    };
    if space != Space::Html {
        if policy::foreign_removed(local) {
            w.warn(line, format!("raw HTML <{local}> removed (active content)"));
            return;
        }
        if space == Space::Math && ctx.space == Space::Math && !policy::is_mathml_element(local) {
            // Not MathML (an HTML `<a>` inside `<math>`, a typo): its text, as MathML text.
            let text = format!("<mtext>{}</mtext>", xml::text(&text_of(nodes, id)));
            w.push(&text);
            return;
        }
        if !policy::is_xml_name(local)
            || ctx.depth > MAX_DEPTH
            || (ctx.space != Space::Html && ctx.space != space)
        {
            return children(ctx, stack);
        }
        if ctx.space == Space::Html {
            // A new island: it must be the right element and declare its namespace.
            match (space, local) {
                (Space::Svg, "svg") => {
                    w.mark_svg();
                    w.push(&format!(
                        "<svg xmlns=\"{SVG}\" xmlns:xlink=\"http://www.w3.org/1999/xlink\""
                    ));
                }
                (Space::Math, "math") => {
                    w.mark_mathml();
                    w.push(&format!("<math xmlns=\"{MATHML}\""));
                    if !attrs.iter().any(|a| &*a.name.local == "alttext") {
                        // Readers without MathML speak or show the alt text.
                        let alt = format!(" alttext=\"{}\"", xml::attr(&text_of(nodes, id)));
                        w.push(&alt);
                    }
                }
                _ => return children(ctx, stack),
            }
        } else {
            w.push("<");
            w.push(local);
        }
        attrs::write_foreign(w, space == Space::Svg, local, attrs, line);
        w.push(">");
        stack.push(Step::Close(local.to_string()));
        let inner = Ctx {
            space,
            depth: ctx.depth + 1,
            list: None,
            ..ctx
        };
        return children(inner, stack);
    }
    if ctx.space != Space::Html {
        // HTML inside SVG or MathML (an integration point): keep the text only.
        return children(ctx, stack);
    }
    let out = match policy::element(local) {
        Action::Remove => {
            w.warn(
                line,
                format!("raw HTML <{local}> removed (active or remote content)"),
            );
            return;
        }
        Action::Drop => return,
        Action::Unwrap => return children(ctx, stack),
        Action::Keep(out) => out,
    };
    let misplaced = (ctx.phrasing && !policy::is_phrasing(out))
        || (out == "a" && ctx.in_link)
        || ctx.depth > MAX_DEPTH;
    if misplaced {
        return children(ctx, stack);
    }
    let wrap = match ctx.list {
        Some("dl") if !matches!(out, "dt" | "dd" | "div") => Some("dd"),
        Some(l) if l != "dl" && out != "li" => Some("li"),
        _ => None,
    };
    if let Some(el) = wrap {
        w.push(&format!("<{el}>"));
        stack.push(Step::Close(el.to_string()));
    }
    if out == "img" {
        image(w, attrs, line, ctx.in_link);
        return;
    }
    if out == "table" {
        w.mark_table();
    }
    w.push("<");
    w.push(out);
    attrs::write(w, out, attrs, line);
    if policy::is_void(out) {
        w.push("/>");
        return;
    }
    w.push(">");
    stack.push(Step::Close(out.to_string()));
    let inner = Ctx {
        space: Space::Html,
        phrasing: ctx.phrasing || policy::wants_phrasing(out),
        in_link: ctx.in_link || out == "a",
        list: match out {
            "ul" | "ol" | "menu" => Some("ul"),
            "dl" => Some("dl"),
            _ => None,
        },
        depth: ctx.depth + 1,
    };
    children(inner, stack);
}

/// The text content of a subtree, whitespace collapsed.
fn text_of(nodes: &[Node], id: NodeId) -> String {
    let mut out = String::new();
    let mut stack = vec![id];
    while let Some(n) = stack.pop() {
        match &nodes[n].kind {
            NodeKind::Text(t) => {
                out.push_str(t);
                out.push(' ');
            }
            _ => stack.extend(nodes[n].children.iter().rev()),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A raw `<img>`: its source embedded like a Markdown image, `alt` always present.
pub fn image(w: &mut ChapterWriter<'_, '_>, attrs: &[Attribute], line: usize, in_link: bool) {
    let get = |n: &str| {
        attrs
            .iter()
            .find(|a| a.name.ns == ns!() && &*a.name.local == n)
            .map(|a| a.value.to_string())
    };
    let Some(src) = get("src") else {
        return;
    };
    let alt = get("alt").unwrap_or_default();
    match w.image_ref(&src, line) {
        ImageRef::Local(href) => {
            w.shared.facts.images += 1;
            if alt.trim().is_empty() {
                w.shared.facts.images_without_alt += 1;
            }
            w.push(&format!("<img src=\"{href}\" alt=\"{}\"", xml::attr(&alt)));
            let rest: Vec<Attribute> = attrs
                .iter()
                .filter(|a| !matches!(&*a.name.local, "src" | "alt"))
                .cloned()
                .collect();
            attrs::write(w, "img", &rest, line);
            w.push("/>");
        }
        ImageRef::Remote(url) => {
            w.warn(
                line,
                format!("remote image `{url}` is not fetched; its alt text is kept as a link"),
            );
            let text = if alt.trim().is_empty() {
                url.as_str()
            } else {
                alt.as_str()
            };
            w.push(&crate::render::figures::remote_image(&url, text, in_link));
        }
        ImageRef::Unsupported(reason) => {
            w.warn(
                line,
                format!("image `{src}` is {reason} and cannot be embedded; its alt text is kept"),
            );
            xml::push_text(&mut w.buf().html, &alt);
        }
        ImageRef::Refused => xml::push_text(&mut w.buf().html, &alt),
    }
}
