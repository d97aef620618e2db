//! Reader-safety rules for CSS: properties that make Kobo or Kindle fail (flexbox or grid
//! layout, `position`, transforms, `text-rendering: optimizeLegibility`), colours forced on
//! the body text, and absolute font sizes that override the reader's size setting.

/// One rule broken, with the offending declaration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub declaration: String,
    pub reason: &'static str,
}

/// Checks every declaration of `css`.
pub fn lint(css: &str) -> Vec<Finding> {
    let mut findings = Vec::new();
    for (selector, body) in rules(&strip_comments(css)) {
        for decl in body.split(';') {
            let Some((prop, value)) = decl.split_once(':') else {
                continue;
            };
            let prop = prop.trim().to_ascii_lowercase();
            let value = value.trim().to_ascii_lowercase();
            if let Some(reason) = check(&selector, &prop, &value) {
                findings.push(Finding {
                    declaration: format!("{}: {}", prop, value),
                    reason,
                });
            }
        }
    }
    findings
}

fn check(selector: &str, prop: &str, value: &str) -> Option<&'static str> {
    let bare = prop
        .trim_start_matches("-webkit-")
        .trim_start_matches("-epub-");
    if bare == "display" && ["flex", "inline-flex", "grid", "inline-grid"].contains(&value) {
        return Some("flexbox and grid layouts leave blank pages on Kobo");
    }
    if bare == "position" && value != "static" {
        return Some("`position` is rejected by Kindle and breaks pagination");
    }
    if bare == "transform" || bare.starts_with("transform-") {
        return Some("transforms are rejected by Kindle Previewer");
    }
    if bare == "text-rendering" && value.contains("optimizelegibility") {
        return Some("`text-rendering: optimizeLegibility` makes KDP reject the book");
    }
    let body_text = selector
        .split(',')
        .any(|s| matches!(s.trim(), "body" | "html" | "p" | "html body"));
    if body_text && (bare == "color" || bare == "background-color" || bare == "background") {
        return Some("colours on body text break night and sepia modes");
    }
    if body_text && bare == "font-size" && has_absolute_unit(value) {
        return Some("absolute font sizes override the reader's text size");
    }
    if body_text && bare == "font-family" && !selector.contains("font-face") {
        return Some("a forced body font overrides the reader's typeface");
    }
    None
}

fn has_absolute_unit(value: &str) -> bool {
    value
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.'))
        .any(|t| {
            ["px", "pt", "pc", "cm", "mm", "in"].iter().any(|u| {
                t.strip_suffix(u).is_some_and(|n| {
                    !n.is_empty() && n.chars().all(|c| c.is_ascii_digit() || c == '.')
                })
            })
        })
}

fn strip_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start + 2..].find("*/") {
            Some(end) => rest = &rest[start + 2 + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// (selector, declarations) for every innermost block; at-rule wrappers are looked through.
fn rules(css: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Vec<(String, usize)> = Vec::new();
    let mut boundary = 0;
    for (i, c) in css.char_indices() {
        match c {
            '{' => {
                open.push((css[boundary..i].trim().to_string(), i + 1));
                boundary = i + 1;
            }
            '}' => {
                if let Some((selector, start)) = open.pop() {
                    let body = &css[start..i];
                    if !body.contains('{') {
                        out.push((selector, body.to_string()));
                    }
                }
                boundary = i + 1;
            }
            ';' if open.is_empty() => boundary = i + 1,
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_forbidden_rule() {
        let css = "/* display: flex */ .a { display: flex } .b { position: absolute; }\n\
                   @media screen { .c { transform: rotate(3deg) } }\n\
                   body { color: #000; font-size: 12px } p { font-size: 1em }\n\
                   h1 { text-rendering: optimizeLegibility }";
        let reasons: Vec<_> = lint(css).into_iter().map(|f| f.declaration).collect();
        assert_eq!(
            reasons,
            [
                "display: flex",
                "position: absolute",
                "transform: rotate(3deg)",
                "color: #000",
                "font-size: 12px",
                "text-rendering: optimizelegibility"
            ]
        );
    }

    #[test]
    fn relative_sizes_and_static_position_are_fine() {
        assert!(lint("p { font-size: 1.1em; position: static } .x { color: inherit }").is_empty());
    }
}
