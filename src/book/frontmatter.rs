//! Front matter at the top of a Markdown file: YAML between `---` lines (pandoc style, `...`
//! may close it) or TOML between `+++` lines. This module splits it off and parses it into a
//! value tree; the keys are read in `keys`.

use std::path::Path;

use anyhow::{Result, bail};

use super::tree::{self, Node};

/// A file split into its front matter and its Markdown body.
pub struct Split<'a> {
    /// The parsed front matter and the number of lines before it in the file.
    pub metadata: Option<(Node, usize)>,
    pub body: &'a str,
    /// 1-based line where `body` starts.
    pub body_line: usize,
}

/// Splits and parses the front matter of `text` (already LF-normalised, BOM removed).
/// Errors name `file:LINE:COL` in the Markdown file.
pub fn split<'a>(text: &'a str, file: &Path) -> Result<Split<'a>> {
    let (fence, toml) = if text.starts_with("---\n") {
        ("---", false)
    } else if text.starts_with("+++\n") {
        ("+++", true)
    } else {
        return Ok(Split {
            metadata: None,
            body: text,
            body_line: 1,
        });
    };
    let after_open = &text[4..];
    let mut offset = 0;
    for (i, line) in after_open.split_inclusive('\n').enumerate() {
        let bare = line.trim_end_matches('\n');
        if bare == fence || (!toml && bare == "...") {
            let raw = &after_open[..offset];
            let body = &after_open[offset + line.len()..];
            let parsed = if toml {
                tree::parse_toml(raw)
                    .map_err(|e| tree::located(e, file, 1, "front matter is not valid TOML"))?
            } else {
                tree::parse_yaml(raw)
                    .map_err(|e| tree::located(e, file, 1, "front matter is not valid YAML"))?
            };
            return Ok(Split {
                metadata: Some((parsed, 1)),
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
        if offset > tree::MAX_SOURCE_BYTES {
            bail!(
                "{}:1: front matter opened with `{fence}` runs past {} bytes without closing",
                file.display(),
                tree::MAX_SOURCE_BYTES
            );
        }
    }
    bail!(
        "{}:1: front matter opened with `{fence}` is never closed (add a `{fence}` line after it)",
        file.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::tree::Value;

    fn path() -> &'static Path {
        Path::new("m.md")
    }

    #[test]
    fn yaml_front_matter_is_split_and_parsed() {
        let s = split("---\ntitle: \"A\"\nauthor: [X, Y]\n---\nBody\n", path()).unwrap();
        let (node, offset) = s.metadata.unwrap();
        assert_eq!(offset, 1);
        let Value::Map(m) = node.value else { panic!() };
        assert_eq!(m[1].key, "author");
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn toml_front_matter_is_split_and_parsed() {
        let s = split("+++\ntitle = \"T\"\ndate = 2024-01-24\n+++\n\nText", path()).unwrap();
        let (node, _) = s.metadata.unwrap();
        let Value::Map(m) = node.value else { panic!() };
        assert_eq!(m[1].value.value, Value::Str("2024-01-24".into()));
        assert_eq!(s.body, "\nText");
    }

    #[test]
    fn no_front_matter_leaves_text_alone() {
        let s = split("# Hi\n---\n", path()).unwrap();
        assert!(s.metadata.is_none());
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn errors_point_at_the_markdown_line() {
        assert!(split("---\ntitle: x\n", path()).is_err());
        let err = split("---\ntitle: a\nauthor: [x\n---\n", path())
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("m.md:"), "{err}");
        let err = split("---\ntitle: a\ntitle: b\n---\n", path())
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("m.md:3:"), "{err}");
        let err = split("+++\ntitle = \"a\"\ntitle = \"b\"\n+++\n", path())
            .err()
            .unwrap()
            .to_string();
        assert!(err.starts_with("m.md:3:"), "{err}");
    }
}
