//! Front matter at the top of a Markdown file: YAML between `---` lines (pandoc style) or
//! TOML between `+++` lines. Splitting and parsing only; merging happens in `load`.

use std::collections::BTreeMap;

use anyhow::{Context, bail};

type Result<T, E = anyhow::Error> = std::result::Result<T, E>;
use serde::Deserialize;

/// Metadata as written by the user, before validation. Keys use pandoc's names.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct RawMetadata {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    #[serde(alias = "creator")]
    pub author: Option<OneOrMany>,
    #[serde(alias = "language")]
    pub lang: Option<String>,
    pub date: Option<String>,
    pub identifier: Option<String>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub subject: Option<OneOrMany>,
    pub image_credit: Option<String>,
    pub image_credit_label: Option<String>,
    /// Keys we do not know, kept only to warn about them.
    #[serde(flatten)]
    pub unknown: BTreeMap<String, serde::de::IgnoredAny>,
}

/// A string or a list of strings (`author: A` and `author: [A, B]` both work).
#[derive(Debug, Clone)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl<'de> Deserialize<'de> for OneOrMany {
    // A visitor rather than `#[serde(untagged)]`: untagged enums lose the YAML location of
    // errors and fail on sequences once buffered through `flatten`.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = OneOrMany;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string or a list of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<OneOrMany, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<OneOrMany, A::Error> {
                let mut all = Vec::new();
                while let Some(s) = seq.next_element::<String>()? {
                    all.push(s);
                }
                Ok(OneOrMany::Many(all))
            }
        }
        d.deserialize_any(V)
    }
}

impl OneOrMany {
    pub fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s],
            OneOrMany::Many(v) => v,
        }
    }
}

impl RawMetadata {
    /// Fields set in `other` win.
    pub fn merge(&mut self, other: RawMetadata) {
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            title,
            subtitle,
            author,
            lang,
            date,
            identifier,
            publisher,
            rights,
            description,
            subject,
            image_credit,
            image_credit_label
        );
        self.unknown.extend(other.unknown);
    }

    /// Applies one `KEY=VALUE` from the command line.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        let v = Some(value.to_string());
        match key {
            "title" => self.title = v,
            "subtitle" => self.subtitle = v,
            "author" | "creator" => self.author = Some(OneOrMany::One(value.to_string())),
            "lang" | "language" => self.lang = v,
            "date" => self.date = v,
            "identifier" => self.identifier = v,
            "publisher" => self.publisher = v,
            "rights" => self.rights = v,
            "description" => self.description = v,
            "subject" => self.subject = Some(OneOrMany::One(value.to_string())),
            "image-credit" => self.image_credit = v,
            "image-credit-label" => self.image_credit_label = v,
            _ => bail!(
                "unknown metadata key `{key}` (known: title, subtitle, author, lang, date, \
                 identifier, publisher, rights, description, subject, image-credit, \
                 image-credit-label)"
            ),
        }
        Ok(())
    }
}

/// A file split into its front matter and its Markdown body.
pub struct Split<'a> {
    pub metadata: Option<RawMetadata>,
    pub body: &'a str,
    /// 1-based line where `body` starts.
    pub body_line: usize,
}

/// Splits and parses the front matter of `text` (already LF-normalised, BOM removed).
pub fn split(text: &str) -> Result<Split<'_>> {
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
            let metadata = if toml {
                toml::from_str(raw).context("front matter is not valid TOML")?
            } else if raw.trim().is_empty() {
                RawMetadata::default()
            } else {
                serde_saphyr::from_str(raw).context("front matter is not valid YAML")?
            };
            return Ok(Split {
                metadata: Some(metadata),
                body,
                body_line: i + 3,
            });
        }
        offset += line.len();
    }
    bail!("front matter opened with `{fence}` on line 1 is never closed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter_is_split_and_parsed() {
        let s = split("---\ntitle: \"A\"\nauthor: [X, Y]\nfoo: 1\n---\nBody\n").unwrap();
        let m = s.metadata.unwrap();
        assert_eq!(m.title.as_deref(), Some("A"));
        assert_eq!(m.author.unwrap().into_vec(), vec!["X", "Y"]);
        assert!(m.unknown.contains_key("foo"));
        assert_eq!(s.body, "Body\n");
        assert_eq!(s.body_line, 6);
    }

    #[test]
    fn toml_front_matter_is_split_and_parsed() {
        let s = split("+++\ntitle = \"T\"\ndate = \"2024-01-24\"\n+++\n\nText").unwrap();
        let m = s.metadata.unwrap();
        assert_eq!(m.date.as_deref(), Some("2024-01-24"));
        assert_eq!(s.body, "\nText");
    }

    #[test]
    fn no_front_matter_leaves_text_alone() {
        let s = split("# Hi\n---\n").unwrap();
        assert!(s.metadata.is_none());
        assert_eq!(s.body_line, 1);
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("---\ntitle: x\n").is_err());
    }
}
