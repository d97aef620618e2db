//! TeX math to MathML with pulldown-latex; TeX that it cannot parse falls back to the
//! source in a styled `<code>` so nothing is lost.

use pulldown_latex::config::DisplayMode;
use pulldown_latex::{Parser, RenderConfig, Storage};

use crate::xml;

/// Writes `tex` as MathML (with the TeX kept as an annotation). Returns false, having
/// written the TeX fallback instead, when the TeX does not parse.
pub fn push(out: &mut String, tex: &str, display: bool) -> bool {
    if let Some(mathml) = convert(tex, display) {
        out.push_str(&mathml);
        return true;
    }
    let class = if display {
        "math-tex math-display"
    } else {
        "math-tex"
    };
    out.push_str("<code class=\"");
    out.push_str(class);
    out.push_str("\">");
    xml::push_text(out, tex);
    out.push_str("</code>");
    false
}

/// MathML for `tex`, or `None` when it does not parse or does not come out well-formed.
fn convert(tex: &str, display: bool) -> Option<String> {
    let storage = Storage::new();
    if !Parser::new(tex, &storage).all(|e| e.is_ok()) {
        return None;
    }
    let storage = Storage::new();
    let config = RenderConfig {
        display_mode: if display {
            DisplayMode::Block
        } else {
            DisplayMode::Inline
        },
        annotation: None,
        xml: true,
        ..RenderConfig::default()
    };
    let mut raw = String::new();
    pulldown_latex::push_mathml(&mut raw, Parser::new(tex, &storage), config).ok()?;
    // pulldown-latex writes operators such as `<` and `&` unescaped.
    let escaped = escape_text(&xml::clean(&raw));
    let open_end = escaped.find('>')?;
    let close = escaped.rfind("</math>")?;
    let mut mathml = String::with_capacity(escaped.len() + tex.len() + 96);
    // Readers without MathML (and EPUBCheck's accessibility rules) want `alttext`.
    mathml.push_str(&escaped[..open_end]);
    mathml.push_str(" alttext=\"");
    mathml.push_str(&xml::attr(tex));
    mathml.push_str("\">");
    mathml.push_str("<semantics><mrow>");
    mathml.push_str(&escaped[open_end + 1..close]);
    mathml.push_str("</mrow><annotation encoding=\"application/x-tex\">");
    xml::push_text(&mut mathml, tex);
    mathml.push_str("</annotation></semantics></math>");
    roxmltree::Document::parse(&mathml).ok()?;
    Some(mathml)
}

/// Escapes `&`, and `<`/`>` that are not part of a tag, in pulldown-latex's output.
fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut in_tag = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if !in_tag
                && chars
                    .peek()
                    .is_some_and(|n| n.is_ascii_alphabetic() || *n == '/') =>
            {
                in_tag = true;
                out.push('<');
            }
            '>' if in_tag => {
                in_tag = false;
                out.push('>');
            }
            '<' if !in_tag => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' if !in_tag => out.push_str("&amp;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tex_becomes_mathml_or_a_fallback() {
        let mut out = String::new();
        assert!(push(&mut out, "x^2 < y", false));
        assert!(out.starts_with("<math"), "{out}");
        assert!(out.contains("<mo>&lt;</mo>"), "{out}");
        assert!(out.contains("x^2 &lt; y</annotation>"), "{out}");
        roxmltree::Document::parse(&out).unwrap();
        let mut out = String::new();
        assert!(push(&mut out, "a \\& b > c", true));
        roxmltree::Document::parse(&out).unwrap();
        let mut out = String::new();
        assert!(!push(&mut out, "\\sqrt{x", true));
        assert_eq!(out, "<code class=\"math-tex math-display\">\\sqrt{x</code>");
    }
}
