//! What raw HTML may keep: which elements survive, which are unwrapped or removed, and
//! which attributes are valid in EPUB 3 XHTML. Everything not listed goes.

/// What happens to an HTML element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Kept under this (possibly modernised) name.
    Keep(&'static str),
    /// The tag goes, its content stays (unknown, obsolete or presentational elements).
    Unwrap,
    /// Removed with its content and reported: active, remote or interactive content.
    Remove,
    /// Removed with its content, silently (document-level furniture like `<title>`).
    Drop,
}

/// Decides the fate of an element in the XHTML namespace (lower-case name).
pub fn element(name: &str) -> Action {
    use Action::*;
    match name {
        "script" | "noembed" | "noframes" | "iframe" | "frame" | "frameset" | "object"
        | "embed" | "applet" | "param" | "style" | "link" | "meta" | "base" | "canvas"
        | "audio" | "video" | "source" | "track" | "input" | "button" | "select" | "textarea"
        | "option" | "optgroup" | "datalist" | "keygen" | "template" | "portal" | "dialog"
        | "form" | "selectedcontent" => Remove,
        "title" | "head" => Drop,
        "strike" => Keep("s"),
        "tt" => Keep("code"),
        "acronym" => Keep("abbr"),
        "xmp" | "listing" | "plaintext" => Keep("pre"),
        "dir" => Keep("ul"),
        _ => match KEPT.iter().find(|k| **k == name) {
            Some(k) => Keep(k),
            None => Unwrap,
        },
    }
}

const KEPT: &[&str] = &[
    "a",
    "abbr",
    "address",
    "article",
    "aside",
    "b",
    "bdi",
    "bdo",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "mark",
    "meter",
    "nav",
    "ol",
    "p",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Elements that close themselves in XHTML.
pub fn is_void(name: &str) -> bool {
    matches!(name, "br" | "hr" | "img" | "wbr" | "col")
}

/// Elements HTML never gives content or an end tag (so removing one removes nothing more).
pub fn is_html_void(name: &str) -> bool {
    is_void(name)
        || matches!(
            name,
            "area"
                | "base"
                | "embed"
                | "input"
                | "link"
                | "meta"
                | "param"
                | "source"
                | "track"
                | "keygen"
                | "basefont"
                | "bgsound"
                | "frame"
                | "image"
        )
}

/// Phrasing content: what may appear inside a paragraph, a heading or a `<span>`.
pub fn is_phrasing(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "br"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "img"
            | "ins"
            | "kbd"
            | "label"
            | "mark"
            | "meter"
            | "progress"
            | "q"
            | "ruby"
            | "rp"
            | "rt"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
            | "wbr"
    )
}

/// Whether the content of this element must be phrasing content only.
pub fn wants_phrasing(name: &str) -> bool {
    is_phrasing(name)
        || matches!(
            name,
            "p" | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "pre"
                | "dt"
                | "legend"
                | "summary"
                | "caption"
        )
}

/// Whether an attribute (lower-case, no namespace) is valid on an HTML element.
pub fn html_attr(element: &str, attr: &str) -> bool {
    if matches!(
        attr,
        "id" | "class" | "title" | "lang" | "dir" | "hidden" | "translate" | "role"
    ) {
        return true;
    }
    if let Some(rest) = attr
        .strip_prefix("aria-")
        .or_else(|| attr.strip_prefix("data-"))
    {
        return !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_');
    }
    matches!(
        (element, attr),
        ("a", "href" | "hreflang" | "rel" | "type")
            | ("img", "src" | "alt" | "width" | "height")
            | ("td" | "th", "colspan" | "rowspan" | "headers")
            | ("th", "scope" | "abbr")
            | ("ol", "start" | "reversed" | "type")
            | ("li", "value")
            | ("blockquote" | "q" | "del" | "ins", "cite")
            | ("del" | "ins" | "time", "datetime")
            | ("col" | "colgroup", "span")
            | ("details", "open")
            | ("data" | "meter" | "progress", "value")
            | ("meter" | "progress", "max")
            | ("meter", "min" | "low" | "high" | "optimum")
    )
}

/// Whether an attribute's value is acceptable where the schema constrains it.
pub fn html_attr_value_ok(attr: &str, value: &str) -> bool {
    match attr {
        "width" | "height" | "colspan" | "rowspan" | "span" => {
            !value.is_empty()
                && value.len() < 6
                && value.bytes().all(|b| b.is_ascii_digit())
                && value.bytes().any(|b| b != b'0')
        }
        "start" | "value" if value.parse::<i64>().is_ok() => true,
        "start" => false,
        "reversed" | "hidden" | "open" => true,
        "dir" => matches!(value, "ltr" | "rtl" | "auto"),
        "scope" => matches!(value, "row" | "col" | "rowgroup" | "colgroup"),
        "translate" => matches!(value, "yes" | "no" | ""),
        "type" => !value.is_empty(),
        "lang" | "hreflang" => is_lang_tag(value),
        "datetime" => is_simple_date(value),
        "cite" => value.starts_with("http://") || value.starts_with("https://"),
        "id" | "role" | "headers" | "abbr" => !value.trim().is_empty(),
        "max" | "min" | "low" | "high" | "optimum" => value.parse::<f64>().is_ok(),
        _ => true,
    }
}

fn is_lang_tag(v: &str) -> bool {
    !v.is_empty()
        && v.split('-')
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the forms every reader and validator agree on.
fn is_simple_date(v: &str) -> bool {
    let b = v.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// Whether an attribute name is dangerous enough to report when dropped.
pub fn is_active_attr(attr: &str) -> bool {
    attr.starts_with("on") || attr == "style" || attr == "formaction" || attr == "srcdoc"
}

/// Whether a name can be written as an XML attribute or element name without a prefix.
pub fn is_xml_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() || c == '_' => {}
        _ => return false,
    }
    chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// SVG and MathML elements that are removed like their HTML counterparts.
pub fn foreign_removed(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "foreignObject" | "foreignobject" | "annotation-xml" | "iframe"
    )
}

/// MathML 3 elements EPUB's schema accepts; anything else inside `<math>` (an HTML `<a>`,
/// a typo) is unwrapped, keeping its content.
pub fn is_mathml_element(name: &str) -> bool {
    matches!(
        name,
        "math"
            | "maction"
            | "maligngroup"
            | "malignmark"
            | "menclose"
            | "merror"
            | "mfenced"
            | "mfrac"
            | "mglyph"
            | "mi"
            | "mlabeledtr"
            | "mlongdiv"
            | "mmultiscripts"
            | "mn"
            | "mo"
            | "mover"
            | "mpadded"
            | "mphantom"
            | "mprescripts"
            | "mroot"
            | "mrow"
            | "ms"
            | "mscarries"
            | "mscarry"
            | "msgroup"
            | "msline"
            | "mspace"
            | "msqrt"
            | "msrow"
            | "mstack"
            | "mstyle"
            | "msub"
            | "msubsup"
            | "msup"
            | "mtable"
            | "mtd"
            | "mtext"
            | "mtr"
            | "munder"
            | "munderover"
            | "none"
            | "semantics"
            | "annotation"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_are_classified() {
        assert_eq!(element("script"), Action::Remove);
        assert_eq!(element("strike"), Action::Keep("s"));
        assert_eq!(element("o:p"), Action::Unwrap);
        assert_eq!(element("font"), Action::Unwrap);
        assert_eq!(element("em"), Action::Keep("em"));
    }

    #[test]
    fn attributes_are_checked() {
        assert!(html_attr("a", "href"));
        assert!(!html_attr("div", "onclick"));
        assert!(!html_attr("td", "align"));
        assert!(html_attr("span", "data-x"));
        assert!(!html_attr("span", "data-X"));
        assert!(html_attr_value_ok("colspan", "2"));
        assert!(!html_attr_value_ok("colspan", "0"));
        assert!(!html_attr_value_ok("datetime", "yesterday"));
        assert!(is_xml_name("a-b_c.d"));
        assert!(!is_xml_name("1a"));
        assert!(!is_xml_name("o:p"));
    }
}
