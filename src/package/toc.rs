//! The table of contents as one tree, so nav.xhtml and toc.ncx cannot disagree.

use crate::render::RenderedChapter;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TocEntry {
    pub label: String,
    pub href: String,
    pub children: Vec<TocEntry>,
}

/// One entry per chapter (pointing at the file, so no two entries share a target), with
/// its headings below `toc_depth` nested under it by level.
pub fn build(chapters: &[RenderedChapter], toc_depth: u8) -> Vec<TocEntry> {
    chapters
        .iter()
        .map(|ch| {
            // The chapter's own first heading is the chapter entry itself.
            let rest = match ch.headings.first() {
                Some(first) if first.text == ch.title => &ch.headings[1..],
                _ => &ch.headings[..],
            };
            let base = ch.headings.first().map_or(1, |h| h.level);
            let mut children: Vec<(u8, TocEntry)> = Vec::new();
            for h in rest.iter().filter(|h| h.level <= toc_depth.max(base)) {
                let entry = TocEntry {
                    label: h.text.clone(),
                    href: format!("{}#{}", ch.file_name, h.id),
                    children: Vec::new(),
                };
                children.push((h.level, entry));
            }
            TocEntry {
                label: ch.title.clone(),
                href: ch.file_name.clone(),
                children: nest(children),
            }
        })
        .collect()
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
