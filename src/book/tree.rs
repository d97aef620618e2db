//! A format-neutral tree of metadata values, each with the line and column it came from, so
//! YAML front matter, TOML front matter and `book.toml` are interpreted by one piece of code
//! and every message can point at the exact place in the user's file.
//!
//! YAML is parsed under a tight budget (aliases, nodes, depth, bytes): front matter is a few
//! dozen keys, and an alias bomb must be refused at once rather than expanded.

use std::fmt;

use anyhow::{Result, anyhow};
use serde::Deserialize;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_saphyr::{Budget, DuplicateKeyPolicy, MessageFormatter, Options, Spanned};

/// Front matter or `book.toml` larger than this is refused before parsing.
pub const MAX_SOURCE_BYTES: usize = crate::limits::METADATA_BYTES as usize;

/// 1-based line and column, relative to the parsed text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// Numbers keep their text: they are read as strings or integers later.
    Number(String),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub pos: Pos,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: String,
    pub key_pos: Pos,
    pub value: Node,
}

impl Value {
    /// How the value reads in a message ("a list", "a number").
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "empty",
            Value::Bool(_) => "true/false",
            Value::Number(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// A parse error with its position in the parsed text (when known).
#[derive(Debug)]
pub struct SyntaxError {
    pub pos: Option<Pos>,
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

fn yaml_options() -> Options {
    let mut budget = Budget::default();
    budget.max_aliases = 64;
    budget.max_anchors = 64;
    budget.max_events = 50_000;
    budget.max_nodes = 20_000;
    budget.max_depth = 16;
    budget.max_total_scalar_bytes = MAX_SOURCE_BYTES;
    budget.max_documents = 1;
    budget.max_merge_keys = 16;
    let mut options = Options::default();
    options.budget = Some(budget);
    options.duplicate_keys = DuplicateKeyPolicy::Error;
    options.alias_limits.max_total_replayed_events = 2_000;
    options.alias_limits.max_replay_stack_depth = 8;
    // `identifier: 0306406152` is an ISBN, not the number 306406152; `yes` is a word.
    options.leading_zero_numbers_as_strings = true;
    options.underscored_numbers_as_strings = true;
    options.strict_booleans = true;
    options.with_snippet = false;
    options
}

/// Parses YAML text into a tree. An empty document gives an empty mapping.
pub fn parse_yaml(text: &str) -> Result<Node, SyntaxError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(too_large(text.len()));
    }
    if text.trim().is_empty() {
        return Ok(empty_map());
    }
    match serde_saphyr::from_str_with_options::<Spanned<Value>>(text, yaml_options()) {
        Ok(s) => Ok(spanned_node(s)),
        Err(e) => Err(SyntaxError {
            pos: e.location().map(|l| Pos {
                line: l.line() as usize,
                col: l.column() as usize,
            }),
            message: serde_saphyr::UserMessageFormatter
                .format_message(&e)
                .into_owned(),
        }),
    }
}

fn too_large(len: usize) -> SyntaxError {
    SyntaxError {
        pos: None,
        message: format!("{len} bytes of metadata is more than the {MAX_SOURCE_BYTES} allowed"),
    }
}

fn empty_map() -> Node {
    Node {
        value: Value::Map(Vec::new()),
        pos: Pos { line: 1, col: 1 },
    }
}

fn spanned_node(s: Spanned<Value>) -> Node {
    Node {
        value: s.value,
        pos: Pos {
            line: s.referenced.line() as usize,
            col: s.referenced.column() as usize,
        },
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a metadata value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::Number(v.to_string()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::Str(v.to_string()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::Str(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<Value>>()? {
            items.push(spanned_node(item));
        }
        Ok(Value::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<Value>>()? {
            let key_pos = spanned_node(key.clone()).pos;
            let key = match key.value {
                Value::Str(s) | Value::Number(s) => s,
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(de::Error::custom(format!(
                        "a key must be a word, not {}",
                        other.kind()
                    )));
                }
            };
            let value = spanned_node(map.next_value::<Spanned<Value>>()?);
            entries.push(Entry {
                key,
                key_pos,
                value,
            });
        }
        Ok(Value::Map(entries))
    }
}

/// Parses TOML text into a tree. TOML itself forbids duplicate keys.
pub fn parse_toml(text: &str) -> Result<Node, SyntaxError> {
    if text.len() > MAX_SOURCE_BYTES {
        return Err(too_large(text.len()));
    }
    let lines = LineIndex::new(text);
    match toml::de::DeTable::parse(text) {
        Ok(table) => Ok(Node {
            pos: lines.pos(table.span().start),
            value: toml_table(table.get_ref(), &lines),
        }),
        Err(e) => Err(SyntaxError {
            pos: e.span().map(|s| lines.pos(s.start)),
            message: e.message().trim().to_string(),
        }),
    }
}

fn toml_table(table: &toml::de::DeTable<'_>, lines: &LineIndex) -> Value {
    let mut entries: Vec<Entry> = table
        .iter()
        .map(|(k, v)| Entry {
            key: k.get_ref().to_string(),
            key_pos: lines.pos(k.span().start),
            value: toml_node(v, lines),
        })
        .collect();
    // The map is sorted by key; messages read better in file order.
    entries.sort_by_key(|e| (e.key_pos.line, e.key_pos.col));
    Value::Map(entries)
}

fn toml_node(v: &toml::Spanned<toml::de::DeValue<'_>>, lines: &LineIndex) -> Node {
    use toml::de::DeValue;
    let value = match v.get_ref() {
        DeValue::String(s) => Value::Str(s.to_string()),
        DeValue::Integer(i) => Value::Number(i.as_str().replace('_', "")),
        DeValue::Float(f) => Value::Number(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => Value::Bool(*b),
        // `date = 2024-01-24` is a TOML local date; its text is what we want.
        DeValue::Datetime(d) => Value::Str(d.to_string()),
        DeValue::Array(items) => Value::Seq(items.iter().map(|i| toml_node(i, lines)).collect()),
        DeValue::Table(t) => toml_table(t, lines),
    };
    Node {
        value,
        pos: lines.pos(v.span().start),
    }
}

/// Byte offset → line and column (in characters).
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    fn pos(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line.saturating_sub(1)];
        let col = self
            .text
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        Pos { line, col }
    }
}

/// Wraps a syntax error as `FILE:LINE:COL: what: message`, with `line_offset` lines of the
/// file before the parsed text.
pub fn located(
    e: SyntaxError,
    file: &std::path::Path,
    line_offset: usize,
    what: &str,
) -> anyhow::Error {
    match e.pos {
        Some(p) => anyhow!(
            "{}:{}:{}: {what}: {}",
            file.display(),
            p.line + line_offset,
            p.col,
            e.message
        ),
        None => anyhow!("{}: {what}: {}", file.display(), e.message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(node: &Node) -> &[Entry] {
        match &node.value {
            Value::Map(m) => m,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn yaml_values_keep_their_positions() {
        let n =
            parse_yaml("title: A\nauthor:\n  - name: X\n    role: edt\nid: 0306406152\n").unwrap();
        let m = map(&n);
        assert_eq!(m[0].key, "title");
        assert_eq!(m[0].key_pos, Pos { line: 1, col: 1 });
        assert_eq!(m[1].key_pos.line, 2);
        let Value::Seq(authors) = &m[1].value.value else {
            panic!()
        };
        let inner = map(&authors[0]);
        assert_eq!(inner[1].key, "role");
        assert_eq!(inner[1].key_pos.line, 4);
        assert_eq!(m[2].value.value, Value::Str("0306406152".into()));
    }

    #[test]
    fn yaml_duplicate_keys_and_alias_bombs_are_refused() {
        let e = parse_yaml("title: A\ntitle: B\n").unwrap_err();
        assert_eq!(e.pos.map(|p| p.line), Some(2), "{e}");
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let prev = (b'a' + i - 1) as char;
            let cur = (b'a' + i) as char;
            bomb.push_str(&format!(
                "{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let start = std::time::Instant::now();
        assert!(parse_yaml(&bomb).is_err());
        assert!(start.elapsed().as_secs() < 2);
    }

    #[test]
    fn toml_positions_are_lines_and_columns() {
        let n = parse_toml("title = \"T\"\n\n[series]\nname = \"S\"\n").unwrap();
        let m = map(&n);
        assert_eq!(m[0].key_pos, Pos { line: 1, col: 1 });
        assert_eq!(m[1].key, "series");
        let inner = map(&m[1].value);
        assert_eq!(inner[0].key_pos, Pos { line: 4, col: 1 });
        let e = parse_toml("a = 1\na = 2\n").unwrap_err();
        assert_eq!(e.pos.map(|p| p.line), Some(2));
    }
}
