//! The metadata keys inkbind understands (pandoc's names), read from a value tree into a
//! checked [`Layer`]. Unknown keys are warnings at their line; a value of the wrong type or
//! an invalid one is an error naming the file, line, column and what was expected.

use std::path::Path;

use anyhow::{Result, anyhow};
use chrono::NaiveDate;

use super::identifier::Identifier;
use super::lang::Lang;
use super::layer::{A11yLayer, At, CollectionLayer, Layer, Origin};
use super::metadata::Creator;
use super::people;
use super::tree::{Entry, Node, Pos, Value};
use crate::diag::Diagnostics;

/// Where a value tree came from.
pub enum Source<'a> {
    /// A file; `line_offset` lines of it come before the parsed text.
    File { path: &'a Path, line_offset: usize },
    /// `--metadata` flags; a node's line is the 1-based index of its flag.
    Flags(&'a [String]),
}

impl Source<'_> {
    fn origin(&self, pos: Pos) -> Origin {
        match self {
            Source::File { path, line_offset } => Origin::File {
                path: path.to_path_buf(),
                line: pos.line + line_offset,
                col: pos.col,
            },
            Source::Flags(flags) => Origin::Flag(
                flags
                    .get(pos.line.saturating_sub(1))
                    .cloned()
                    .unwrap_or_default(),
            ),
        }
    }
}

/// Keys and what they hold, for the unknown-key message.
pub const KNOWN_KEYS: &str = "title, subtitle, author, contributor, lang, date, identifier, \
     publisher, rights, description, subject, series (belongs-to-collection), collection-type, \
     group-position, cover-image, css, toc-depth, split-level, toc-title, toc-page, colophon, \
     highlight, image-credit, image-credit-label, credits, chapters, accessibility";

const HAZARDS: &[&str] = &[
    "none",
    "unknown",
    "flashing",
    "noFlashingHazard",
    "unknownFlashingHazard",
    "motionSimulation",
    "noMotionSimulationHazard",
    "unknownMotionSimulationHazard",
    "sound",
    "noSoundHazard",
    "unknownSoundHazard",
];

const EXEMPTIONS: &[&str] = &[
    "eaa-disproportionate-burden",
    "eaa-fundamental-alteration",
    "eaa-microenterprise",
];

struct Reader<'a> {
    src: &'a Source<'a>,
    diags: &'a Diagnostics,
}

/// Reads one source's tree into a layer.
pub fn read_layer(root: &Node, src: &Source<'_>, diags: &Diagnostics) -> Result<Layer> {
    let r = Reader { src, diags };
    let entries = r.map(root, "metadata")?;
    let mut layer = Layer::default();
    for e in entries {
        if e.value.value == Value::Null {
            continue;
        }
        let key = e.key.replace('_', "-").to_ascii_lowercase();
        let k = key.as_str();
        let v = &e.value;
        match k {
            "title" => layer.title = Some(r.string(v, k)?),
            "subtitle" => layer.subtitle = Some(r.string(v, k)?),
            "author" | "authors" | "creator" => layer.creators = Some(r.people(v, k, "aut")?),
            "contributor" | "contributors" => {
                layer.contributors = Some(r.people(v, k, "ctb")?);
            }
            "lang" | "language" => layer.lang = Some(r.parsed(v, k, Lang::parse)?),
            "date" => layer.date = Some(r.parsed(v, k, parse_date)?),
            "identifier" => layer.identifiers = Some(r.identifiers(v, k)?),
            "publisher" => layer.publisher = Some(r.string(v, k)?),
            "rights" | "copyright" => layer.rights = Some(r.string(v, k)?),
            "description" => layer.description = Some(r.string(v, k)?),
            "subject" | "subjects" => layer.subjects = Some(r.strings(v, k)?),
            "belongs-to-collection" | "series" | "collection" => {
                layer.collection = Some(r.collection(v, k)?);
            }
            "collection-type" => {
                layer.collection_type = Some(r.parsed(v, k, parse_collection_type)?);
            }
            "group-position" | "series-position" => {
                layer.group_position = Some(r.parsed(v, k, parse_position)?);
            }
            "cover-image" => layer.cover_image = Some(r.string(v, k)?),
            "css" | "stylesheet" => layer.css = Some(r.strings(v, k)?),
            "toc-depth" => layer.toc_depth = Some(r.level(v, k)?),
            "split-level" => layer.split_level = Some(r.level(v, k)?),
            "toc-title" => layer.toc_title = Some(r.string(v, k)?),
            "toc-page" => layer.toc_page = Some(r.boolean(v, k)?),
            "colophon" => layer.colophon = Some(r.boolean(v, k)?),
            "highlight" => layer.highlight = Some(r.boolean(v, k)?),
            "image-credit" => layer.image_credit = Some(r.string(v, k)?),
            "image-credit-label" => layer.image_credit_label = Some(r.string(v, k)?),
            "credits" => layer.credits = Some(r.strings(v, k)?),
            "chapters" => layer.chapters = Some(r.strings(v, k)?),
            "accessibility" => layer.accessibility = r.accessibility(v)?,
            _ => r.unknown(e, "metadata key", KNOWN_KEYS),
        }
    }
    Ok(layer)
}

impl Reader<'_> {
    fn at<T>(&self, node: &Node, value: T) -> At<T> {
        At {
            value,
            origin: self.src.origin(node.pos),
        }
    }

    fn fail(&self, node: &Node, key: &str, message: impl std::fmt::Display) -> anyhow::Error {
        anyhow!("{}: `{key}`: {message}", self.src.origin(node.pos))
    }

    fn unknown(&self, e: &Entry, what: &str, known: &str) {
        let origin = self.src.origin(e.key_pos);
        let message = format!("unknown {what} `{}` is ignored (known: {known})", e.key);
        match origin {
            Origin::File { .. } => self.diags.warn(origin.location(), message),
            Origin::Flag(flag) => self
                .diags
                .warn(None, format!("--metadata `{flag}`: {message}")),
        }
    }

    fn map<'n>(&self, node: &'n Node, key: &str) -> Result<&'n [Entry]> {
        match &node.value {
            Value::Map(m) => Ok(m),
            other => Err(self.fail(
                node,
                key,
                format!(
                    "expected a mapping of keys to values, found {}",
                    other.kind()
                ),
            )),
        }
    }

    fn text(&self, node: &Node, key: &str) -> Result<String> {
        match &node.value {
            Value::Str(s) | Value::Number(s) => Ok(s.trim().to_string()),
            other => Err(self.fail(
                node,
                key,
                format!("expected a string, found {}", other.kind()),
            )),
        }
    }

    fn string(&self, node: &Node, key: &str) -> Result<At<String>> {
        Ok(self.at(node, self.text(node, key)?))
    }

    /// A string or a list of strings; empty strings are dropped.
    fn strings(&self, node: &Node, key: &str) -> Result<At<Vec<String>>> {
        let items: Vec<String> = match &node.value {
            Value::Seq(items) => items
                .iter()
                .map(|i| self.text(i, key))
                .collect::<Result<_>>()?,
            _ => vec![self.text(node, key)?],
        };
        Ok(self.at(node, items.into_iter().filter(|s| !s.is_empty()).collect()))
    }

    fn parsed<T>(
        &self,
        node: &Node,
        key: &str,
        parse: impl Fn(&str) -> Result<T>,
    ) -> Result<At<T>> {
        let text = self.text(node, key)?;
        let value = parse(&text).map_err(|e| self.fail(node, key, e))?;
        Ok(self.at(node, value))
    }

    fn boolean(&self, node: &Node, key: &str) -> Result<At<bool>> {
        let value = match &node.value {
            Value::Bool(b) => *b,
            Value::Str(s) if s == "true" => true,
            Value::Str(s) if s == "false" => false,
            other => {
                return Err(self.fail(
                    node,
                    key,
                    format!("expected true or false, found {}", other.kind()),
                ));
            }
        };
        Ok(self.at(node, value))
    }

    fn level(&self, node: &Node, key: &str) -> Result<At<u8>> {
        self.parsed(node, key, |t| match t.parse::<u8>() {
            Ok(n @ 1..=6) => Ok(n),
            _ => Err(anyhow!(
                "`{t}` is not a heading level; expected a whole number from 1 to 6"
            )),
        })
    }

    fn people(&self, node: &Node, key: &str, default_role: &str) -> Result<At<Vec<Creator>>> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut all = Vec::new();
        for item in items {
            let person = match &item.value {
                Value::Str(s) if s.trim().is_empty() => continue,
                Value::Str(_) | Value::Number(_) => {
                    people::person(&self.text(item, key)?, None, None, default_role)
                        .map_err(|e| self.fail(item, key, e))?
                }
                Value::Map(fields) => self.person(item, fields, key, default_role)?,
                other => {
                    return Err(self.fail(
                        item,
                        key,
                        format!(
                            "expected a name, or `name`, `role` and `file-as`, found {}",
                            other.kind()
                        ),
                    ));
                }
            };
            all.push(person);
        }
        Ok(self.at(node, all))
    }

    fn person(
        &self,
        node: &Node,
        fields: &[Entry],
        key: &str,
        default_role: &str,
    ) -> Result<Creator> {
        let (mut name, mut role, mut file_as) = (None, None, None);
        for f in fields {
            let sub = format!("{key}.{}", f.key);
            match f.key.as_str() {
                "name" | "text" => name = Some(self.text(&f.value, &sub)?),
                "role" => {
                    let r = self.text(&f.value, &sub)?;
                    people::role_code(&r).map_err(|e| self.fail(&f.value, &sub, e))?;
                    role = Some(r);
                }
                "file-as" | "file_as" | "sort-as" => file_as = Some(self.text(&f.value, &sub)?),
                _ => self.unknown(f, &format!("`{key}` field"), "name, role, file-as"),
            }
        }
        let name = name.ok_or_else(|| self.fail(node, key, "a person needs a `name`"))?;
        people::person(&name, role.as_deref(), file_as.as_deref(), default_role)
            .map_err(|e| self.fail(node, key, e))
    }

    fn identifiers(&self, node: &Node, key: &str) -> Result<At<Vec<Identifier>>> {
        let items: Vec<&Node> = match &node.value {
            Value::Seq(items) => items.iter().collect(),
            _ => vec![node],
        };
        let mut all = Vec::new();
        for item in items {
            let (text, scheme) = match &item.value {
                Value::Map(fields) => {
                    let (mut text, mut scheme) = (None, None);
                    for f in fields {
                        match f.key.as_str() {
                            "text" | "value" | "id" => text = Some(self.text(&f.value, key)?),
                            "scheme" => scheme = Some(self.text(&f.value, key)?),
                            _ => self.unknown(f, "`identifier` field", "scheme, text"),
                        }
                    }
                    let text =
                        text.ok_or_else(|| self.fail(item, key, "an identifier needs a `text`"))?;
                    (text, scheme)
                }
                _ => (self.text(item, key)?, None),
            };
            all.push(
                Identifier::parse(&text, scheme.as_deref()).map_err(|e| self.fail(item, key, e))?,
            );
        }
        if all.is_empty() {
            return Err(self.fail(node, key, "the list of identifiers is empty"));
        }
        Ok(self.at(node, all))
    }

    fn collection(&self, node: &Node, key: &str) -> Result<At<CollectionLayer>> {
        let mut c = CollectionLayer {
            name: String::new(),
            kind: None,
            position: None,
        };
        match &node.value {
            Value::Map(fields) => {
                for f in fields {
                    let sub = format!("{key}.{}", f.key);
                    match f.key.as_str() {
                        "name" | "text" | "title" => c.name = self.text(&f.value, &sub)?,
                        "type" | "collection-type" => {
                            c.kind =
                                Some(self.parsed(&f.value, &sub, parse_collection_type)?.value);
                        }
                        "position" | "number" | "group-position" => {
                            c.position = Some(self.parsed(&f.value, &sub, parse_position)?.value);
                        }
                        _ => self.unknown(f, &format!("`{key}` field"), "name, type, position"),
                    }
                }
            }
            _ => c.name = self.text(node, key)?,
        }
        if c.name.is_empty() {
            return Err(self.fail(node, key, "the collection needs a `name`"));
        }
        Ok(self.at(node, c))
    }

    fn accessibility(&self, node: &Node) -> Result<A11yLayer> {
        let mut a = A11yLayer::default();
        for f in self.map(node, "accessibility")? {
            let k = format!("accessibility.{}", f.key);
            let v = &f.value;
            match f.key.as_str() {
                "hazard" | "hazards" => {
                    let h = self.strings(v, &k)?;
                    if let Some(bad) = h.value.iter().find(|x| !HAZARDS.contains(&x.as_str())) {
                        return Err(self.fail(
                            v,
                            &k,
                            format!(
                                "`{bad}` is not a hazard; expected one of {}",
                                HAZARDS.join(", ")
                            ),
                        ));
                    }
                    a.hazards = Some(h);
                }
                "summary" => a.summary = Some(self.string(v, &k)?),
                "conforms-to" => a.conforms_to = Some(self.strings(v, &k)?),
                "certified-by" => a.certified_by = Some(self.string(v, &k)?),
                "certifier-credential" => a.certifier_credential = Some(self.string(v, &k)?),
                "certifier-report" => {
                    a.certifier_report = Some(self.parsed(v, &k, |t| {
                        if t.starts_with("https://") || t.starts_with("http://") {
                            Ok(t.to_string())
                        } else {
                            Err(anyhow!("`{t}` is not a web address; expected https://…"))
                        }
                    })?);
                }
                "exemption" => {
                    a.exemption = Some(self.parsed(v, &k, |t| {
                        if EXEMPTIONS.contains(&t) {
                            Ok(t.to_string())
                        } else {
                            Err(anyhow!(
                                "`{t}` is not an exemption; expected one of {}",
                                EXEMPTIONS.join(", ")
                            ))
                        }
                    })?);
                }
                _ => self.unknown(
                    f,
                    "`accessibility` field",
                    "hazard, summary, conforms-to, certified-by, certifier-credential, \
                     certifier-report, exemption",
                ),
            }
        }
        Ok(a)
    }
}

fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| anyhow!("`{text}` is not a date; expected YYYY-MM-DD, e.g. 2024-01-24"))
}

fn parse_collection_type(text: &str) -> Result<String> {
    match text {
        "series" | "set" => Ok(text.to_string()),
        _ => Err(anyhow!(
            "`{text}` is not a collection type; expected `series` or `set`"
        )),
    }
}

/// `group-position` is a number, optionally with a decimal part (`3`, `2.5`).
fn parse_position(text: &str) -> Result<String> {
    let mut parts = text.splitn(2, '.');
    let whole = parts.next().unwrap_or_default();
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && parts
            .next()
            .is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()));
    if ok {
        Ok(text.to_string())
    } else {
        Err(anyhow!(
            "`{text}` is not a position in a series; expected a number such as 3 or 2.5"
        ))
    }
}
