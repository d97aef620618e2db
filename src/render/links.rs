//! Links inside the book. While chapters render, an internal link's `href` is left as a
//! [`Fixup`]; once every anchor is known and every file is cut, the split stage writes the
//! final `chapter-NNN.xhtml#id` (or drops a link that leads nowhere). Highlighted code
//! blocks, which are ready only after every chapter is rendered, use the same fixups.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// What an internal link points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `#fragment` as the author wrote it, in the given source file.
    Anchor { source: usize, fragment: String },
    /// A whole source file (its first output file).
    File { source: usize },
    /// An id we generated ourselves (footnotes): always book-unique.
    Id(String),
}

/// What a [`Fixup`] writes in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Insert {
    /// ` href="…"` to `target`; `source` and `line` say where the link was written, for
    /// the warning if it leads nowhere.
    Href {
        target: Target,
        source: usize,
        line: usize,
    },
    /// The highlighted code block of this index (highlighting runs after rendering).
    Code(usize),
}

/// Something still to be written at byte `at` of a [`Buf`].
#[derive(Debug, Clone)]
pub struct Fixup {
    pub at: usize,
    pub insert: Insert,
}

/// XHTML being written, with its unresolved links.
#[derive(Debug, Default)]
pub struct Buf {
    pub html: String,
    pub fixups: Vec<Fixup>,
}

impl Buf {
    /// Appends `other`, keeping its fixups pointing at the right bytes.
    pub fn append(&mut self, other: Buf) {
        let shift = self.html.len();
        self.html.push_str(&other.html);
        self.fixups.extend(other.fixups.into_iter().map(|mut f| {
            f.at += shift;
            f
        }));
    }
}

/// How an `href` found in the manuscript is to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Href {
    /// Written as is (escaped): web, mail and phone links.
    External(String),
    Internal(Target),
    /// Dropped, with this reason in the warning.
    Rejected(String),
}

/// The book's source files by canonical path, to resolve `other.md#x`.
#[derive(Debug, Default)]
pub struct Sources {
    pub by_path: HashMap<PathBuf, usize>,
}

/// Sorts out an `href` written in source file `source` (in folder `dir`).
pub fn classify(href: &str, source: usize, dir: &Path, sources: &Sources) -> Href {
    let href = href.trim();
    if let Some(fragment) = href.strip_prefix('#') {
        return Href::Internal(Target::Anchor {
            source,
            fragment: percent_decode(fragment),
        });
    }
    let lower = href.to_ascii_lowercase();
    if let Some(colon) = lower.find(':').filter(|&i| is_scheme(&lower[..i])) {
        return match &lower[..colon] {
            "http" | "https" | "mailto" | "tel" | "ftp" | "ftps" | "news" | "irc" | "urn"
            | "doi" | "sms" => Href::External(href.to_string()),
            "javascript" | "vbscript" => Href::Rejected(format!("a {} URL", &lower[..colon])),
            other => Href::Rejected(format!("a `{other}:` URL")),
        };
    }
    if lower.starts_with("//") {
        return Href::External(format!("https:{href}"));
    }
    if href.is_empty() {
        return Href::Rejected("an empty link".into());
    }
    let (path, fragment) = match href.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (href, None),
    };
    let path = path.split('?').next().unwrap_or(path);
    let target = dir.join(percent_decode(path));
    let Ok(canonical) = target.canonicalize() else {
        return Href::Rejected(format!("`{path}`, which does not exist"));
    };
    match sources.by_path.get(&canonical) {
        Some(&target_source) => Href::Internal(match fragment {
            Some(f) if !f.is_empty() => Target::Anchor {
                source: target_source,
                fragment: percent_decode(f),
            },
            _ => Target::File {
                source: target_source,
            },
        }),
        None => Href::Rejected(format!("`{path}`, which is not part of the book")),
    }
}

fn is_scheme(s: &str) -> bool {
    s.len() > 1
        && s.starts_with(|c: char| c.is_ascii_alphabetic())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
}

/// Decodes `%XX` escapes (as UTF-8); anything malformed stays as written.
pub fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

fn hex(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// Every anchor of the book and the output file it landed in.
#[derive(Debug, Default)]
pub struct Anchors {
    /// (source file, id as the author may write it) → (output file, final id).
    by_source: HashMap<(usize, String), (usize, String)>,
    /// Final id → output file.
    by_id: HashMap<String, usize>,
    /// Source file → its first output file.
    first_file: HashMap<usize, usize>,
}

impl Anchors {
    /// Records that `id` (wanted as `wanted` by the author) lives in output file `file`.
    pub fn add(&mut self, source: usize, wanted: &str, id: &str, file: usize) {
        self.by_id.insert(id.to_string(), file);
        for key in [wanted, id] {
            self.by_source
                .entry((source, key.to_string()))
                .or_insert_with(|| (file, id.to_string()));
        }
    }

    pub fn add_file(&mut self, source: usize, file: usize) {
        self.first_file.entry(source).or_insert(file);
    }

    /// The `href` for `target` as seen from output file `from`, if it exists.
    pub fn href(&self, target: &Target, from: usize, names: &[String]) -> Option<String> {
        let (file, id) = match target {
            Target::File { source } => {
                return self.first_file.get(source).map(|&f| names[f].clone());
            }
            Target::Id(id) => (*self.by_id.get(id)?, id.clone()),
            Target::Anchor { source, fragment } => {
                match self.by_source.get(&(*source, fragment.clone())) {
                    Some((f, id)) => (*f, id.clone()),
                    None => (*self.by_id.get(fragment)?, fragment.clone()),
                }
            }
        };
        Some(if file == from {
            format!("#{id}")
        } else {
            format!("{}#{id}", names[file])
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_are_sorted_out() {
        let s = Sources::default();
        let dir = Path::new("/nonexistent");
        assert_eq!(
            classify("https://x.org/a?b#c", 0, dir, &s),
            Href::External("https://x.org/a?b#c".into())
        );
        assert!(matches!(
            classify("JavaScript:alert(1)", 0, dir, &s),
            Href::Rejected(_)
        ));
        assert_eq!(
            classify("#a%20b", 2, dir, &s),
            Href::Internal(Target::Anchor {
                source: 2,
                fragment: "a b".into()
            })
        );
        assert!(matches!(
            classify("missing.md", 0, dir, &s),
            Href::Rejected(_)
        ));
        assert_eq!(percent_decode("a%20b%zz%2"), "a b%zz%2");
    }

    #[test]
    fn anchors_resolve_to_their_file() {
        let mut a = Anchors::default();
        let names = vec!["c1.xhtml".to_string(), "c2.xhtml".to_string()];
        a.add(0, "intro", "intro-2", 1);
        a.add_file(0, 0);
        let t = Target::Anchor {
            source: 0,
            fragment: "intro".into(),
        };
        assert_eq!(a.href(&t, 0, &names).as_deref(), Some("c2.xhtml#intro-2"));
        assert_eq!(a.href(&t, 1, &names).as_deref(), Some("#intro-2"));
        assert_eq!(
            a.href(&Target::File { source: 0 }, 1, &names).as_deref(),
            Some("c1.xhtml")
        );
        assert_eq!(a.href(&Target::Id("nope".into()), 0, &names), None);
    }
}
