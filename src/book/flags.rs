//! `--metadata KEY=VALUE` flags as a value tree, so they are read by the same key table as
//! files: `a.b=v` nests, a node's line is the index of its flag.

use anyhow::{Result, anyhow};

use super::tree::{Entry, Node, Pos, Value};

/// Keys whose repeated flags add up to a list rather than replace each other.
const LIST_KEYS: &[&str] = &[
    "author",
    "authors",
    "creator",
    "contributor",
    "contributors",
    "identifier",
    "subject",
    "subjects",
    "css",
    "stylesheet",
    "credits",
    "chapters",
    "accessibility.hazard",
    "accessibility.hazards",
    "accessibility.conforms-to",
];

/// The `--metadata KEY=VALUE` flags as a tree: `a.b=v` nests; repeating a list key adds to
/// the list (`-M author=A -M author=B`), repeating another key replaces its value.
pub fn flags_tree(flags: &[String]) -> Result<Node> {
    let mut root: Vec<Entry> = Vec::new();
    for (i, flag) in flags.iter().enumerate() {
        let (key, value) = flag
            .split_once('=')
            .ok_or_else(|| anyhow!("--metadata `{flag}` is not KEY=VALUE"))?;
        let pos = Pos {
            line: i + 1,
            col: 1,
        };
        let leaf = Node {
            value: Value::Str(value.to_string()),
            pos,
        };
        let key = key.trim();
        let list = LIST_KEYS.contains(&key);
        let path: Vec<&str> = key.split('.').collect();
        insert(&mut root, &path, leaf, pos, list);
    }
    Ok(Node {
        value: Value::Map(root),
        pos: Pos { line: 1, col: 1 },
    })
}

fn insert(entries: &mut Vec<Entry>, path: &[&str], leaf: Node, pos: Pos, list: bool) {
    let Some((first, rest)) = path.split_first() else {
        return;
    };
    let existing = entries.iter_mut().position(|e| e.key == *first);
    if rest.is_empty() {
        match existing {
            Some(i) if !list => entries[i].value = leaf,
            Some(i) => {
                let slot = &mut entries[i].value;
                let old = std::mem::replace(&mut slot.value, Value::Null);
                slot.value = match old {
                    Value::Seq(mut items) => {
                        items.push(leaf);
                        Value::Seq(items)
                    }
                    other => Value::Seq(vec![
                        Node {
                            value: other,
                            pos: slot.pos,
                        },
                        leaf,
                    ]),
                };
            }
            None => entries.push(Entry {
                key: first.to_string(),
                key_pos: pos,
                value: leaf,
            }),
        }
        return;
    }
    let i = match existing {
        Some(i) => i,
        None => {
            entries.push(Entry {
                key: first.to_string(),
                key_pos: pos,
                value: Node {
                    value: Value::Map(Vec::new()),
                    pos,
                },
            });
            entries.len() - 1
        }
    };
    if !matches!(entries[i].value.value, Value::Map(_)) {
        entries[i].value.value = Value::Map(Vec::new());
    }
    if let Value::Map(children) = &mut entries[i].value.value {
        insert(children, rest, leaf, pos, list);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(node: &Node) -> Vec<(String, Value)> {
        match &node.value {
            Value::Map(m) => m
                .iter()
                .map(|e| (e.key.clone(), e.value.value.clone()))
                .collect(),
            _ => panic!("not a map"),
        }
    }

    #[test]
    fn lists_add_up_scalars_replace_and_dots_nest() {
        let flags: Vec<String> = [
            "author=A",
            "title=X",
            "author=B",
            "title=Y",
            "accessibility.summary=S",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let tree = flags_tree(&flags).unwrap();
        let k = keys(&tree);
        assert_eq!(k[0].0, "author");
        let Value::Seq(authors) = &k[0].1 else {
            panic!("{:?}", k[0])
        };
        assert_eq!(authors.len(), 2);
        assert_eq!(authors[1].pos.line, 3, "the line is the flag's index");
        assert_eq!(k[1], ("title".into(), Value::Str("Y".into())));
        let Value::Map(a11y) = &k[2].1 else { panic!() };
        assert_eq!(a11y[0].key, "summary");
        assert!(flags_tree(&["novalue".to_string()]).is_err());
    }
}
