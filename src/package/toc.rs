//! The table of contents as one tree, so nav.xhtml and toc.ncx cannot disagree.

use crate::render::RenderedChapter;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub label: String,
    pub href: String,
    pub children: Vec<TocEntry>,
}

/// The headings of every file down to `toc_depth`, nested by level across files, so a
/// book split at level 2 still nests its sections under their chapter. A file's first
/// heading links to the file itself; a file without headings is listed under its title.
pub fn build(chapters: &[RenderedChapter], toc_depth: u8) -> Vec<TocEntry> {
    let mut flat: Vec<(u8, TocEntry)> = Vec::new();
    for (n, ch) in chapters.iter().enumerate() {
        let fallback = || {
            if ch.title.trim().is_empty() {
                format!("Section {}", n + 1)
            } else {
                ch.title.clone()
            }
        };
        if ch.headings.is_empty() {
            flat.push((1, entry(fallback(), ch.file_name.clone())));
            continue;
        }
        for (i, h) in ch.headings.iter().enumerate() {
            if h.level > toc_depth {
                continue;
            }
            let href = if i == 0 {
                ch.file_name.clone()
            } else {
                format!("{}#{}", ch.file_name, h.id)
            };
            let label = if h.text.trim().is_empty() {
                fallback()
            } else {
                h.text.trim().to_string()
            };
            flat.push((h.level, entry(label, href)));
        }
    }
    nest(flat)
}

fn entry(label: String, href: String) -> TocEntry {
    TocEntry {
        label,
        href,
        children: Vec::new(),
    }
}

/// Turns a flat list of (level, entry) into a tree: each entry goes under the nearest
/// earlier entry with a smaller level.
fn nest(flat: Vec<(u8, TocEntry)>) -> Vec<TocEntry> {
    let mut roots: Vec<TocEntry> = Vec::new();
    let mut stack: Vec<(u8, TocEntry)> = Vec::new();
    for (level, entry) in flat {
        while stack.last().is_some_and(|(l, _)| *l >= level) {
            let (_, done) = stack.pop().expect("checked non-empty");
            attach(&mut stack, &mut roots, done);
        }
        stack.push((level, entry));
    }
    while let Some((_, done)) = stack.pop() {
        attach(&mut stack, &mut roots, done);
    }
    roots
}

fn attach(stack: &mut [(u8, TocEntry)], roots: &mut Vec<TocEntry>, entry: TocEntry) {
    match stack.last_mut() {
        Some((_, parent)) => parent.children.push(entry),
        None => roots.push(entry),
    }
}

/// Depth of the deepest entry (1 for a flat list), for the NCX header.
pub fn depth(entries: &[TocEntry]) -> usize {
    entries
        .iter()
        .map(|e| 1 + depth(&e.children))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Heading;

    fn chapter(file: &str, heads: &[(u8, &str)]) -> RenderedChapter {
        RenderedChapter {
            file_name: file.into(),
            title: heads.first().map(|h| h.1.to_string()).unwrap_or("T".into()),
            headings: heads
                .iter()
                .map(|(l, t)| Heading {
                    level: *l,
                    id: crate::render::slugify(t),
                    text: t.to_string(),
                })
                .collect(),
            xhtml: String::new(),
            properties: Vec::new(),
        }
    }

    #[test]
    fn split_files_nest_under_their_chapter_and_headingless_files_are_listed() {
        let toc = build(
            &[
                chapter("a.xhtml", &[]),
                chapter("b.xhtml", &[(1, "One")]),
                chapter("c.xhtml", &[(2, "Two"), (3, "Deep"), (2, "Three")]),
                chapter("d.xhtml", &[(1, "Four")]),
            ],
            2,
        );
        let top: Vec<_> = toc
            .iter()
            .map(|e| (e.label.as_str(), e.href.as_str()))
            .collect();
        assert_eq!(
            top,
            [("T", "a.xhtml"), ("One", "b.xhtml"), ("Four", "d.xhtml")]
        );
        let kids: Vec<_> = toc[1].children.iter().map(|e| e.href.as_str()).collect();
        assert_eq!(kids, ["c.xhtml", "c.xhtml#three"]);
    }

    #[test]
    fn headings_nest_under_their_chapter() {
        let toc = build(
            &[chapter(
                "c1.xhtml",
                &[(1, "One"), (2, "A"), (3, "deep"), (2, "B")],
            )],
            2,
        );
        assert_eq!(toc.len(), 1);
        assert_eq!(toc[0].href, "c1.xhtml");
        let kids: Vec<_> = toc[0].children.iter().map(|c| c.href.as_str()).collect();
        assert_eq!(kids, ["c1.xhtml#a", "c1.xhtml#b"]);
        assert_eq!(depth(&toc), 2);
    }

    #[test]
    fn skipped_levels_still_nest() {
        let toc = build(&[chapter("c.xhtml", &[(1, "T"), (3, "x"), (2, "y")])], 3);
        assert_eq!(toc[0].children.len(), 2);
    }
}
