//! Resolving URLs found inside the EPUB (manifest hrefs, links, `src`) to ZIP entry names.

/// A reference split into what it points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// `http:`, `mailto:`, … — outside the EPUB.
    Remote,
    /// A path inside the EPUB (percent-decoded, normalised) and an optional fragment.
    Local {
        path: String,
        fragment: Option<String>,
    },
    /// A relative path that climbs above the ZIP's root.
    Outside,
}

/// The folder of `name` (`OEBPS/x.xhtml` → `OEBPS/`), for resolving its relative links.
pub(crate) fn dir_of(name: &str) -> &str {
    name.rfind('/').map_or("", |i| &name[..=i])
}

/// Resolves `href` found in the document `base` (a ZIP entry name).
pub(crate) fn resolve(base: &str, href: &str) -> Target {
    let href = href.trim();
    if has_scheme(href) || href.starts_with("//") {
        return Target::Remote;
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(decode(f))),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() {
        return Target::Local {
            path: base.to_string(),
            fragment,
        };
    }
    let joined = if let Some(abs) = path.strip_prefix('/') {
        abs.to_string()
    } else {
        format!("{}{}", dir_of(base), decode(path))
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in joined.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Target::Outside;
                }
            }
            s => parts.push(s),
        }
    }
    Target::Local {
        path: parts.join("/"),
        fragment,
    }
}

fn has_scheme(href: &str) -> bool {
    let Some(colon) = href.find(':') else {
        return false;
    };
    let scheme = &href[..colon];
    !scheme.is_empty()
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Percent-decoding; invalid escapes are kept as written.
fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        // Two hex digits exactly: from_str_radix alone would also take `+1`.
        if bytes[i] == b'%'
            && let Some(hex) = s.get(i + 1..i + 3)
            && hex.bytes().all(|b| b.is_ascii_hexdigit())
            && let Ok(b) = u8::from_str_radix(hex, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(path: &str, fragment: Option<&str>) -> Target {
        Target::Local {
            path: path.into(),
            fragment: fragment.map(Into::into),
        }
    }

    #[test]
    fn resolves_relative_links_against_the_document() {
        assert_eq!(
            resolve("OEBPS/text/a.xhtml", "../img/x%20y.png"),
            local("OEBPS/img/x y.png", None)
        );
        assert_eq!(
            resolve("OEBPS/a.xhtml", "#n1"),
            local("OEBPS/a.xhtml", Some("n1"))
        );
        assert_eq!(
            resolve("OEBPS/a.xhtml", "b.xhtml#h"),
            local("OEBPS/b.xhtml", Some("h"))
        );
        assert_eq!(resolve("a.xhtml", "../../x"), Target::Outside);
        assert_eq!(resolve("a.xhtml", "https://x.org/"), Target::Remote);
        assert_eq!(resolve("a.xhtml", "mailto:a@b"), Target::Remote);
    }

    #[test]
    fn only_two_hex_digits_make_an_escape() {
        assert_eq!(decode("a%20b"), "a b");
        assert_eq!(decode("%+1%2"), "%+1%2");
        assert_eq!(decode("%zz"), "%zz");
    }
}
