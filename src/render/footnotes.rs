//! Footnotes as EPUB 3 notes: numbered in order of first reference within their Markdown
//! file, referenced by `<a epub:type="noteref">`, and written as
//! `<aside epub:type="footnote">` at the end of the output file that first cites them,
//! each with a link back to the text.

use std::collections::HashMap;

use std::ops::Range;

use pulldown_cmark::Event;

use super::ids::IdSet;
use super::links::{Buf, Fixup, Insert, Target};
use super::writer::ChapterWriter;

/// One cited note.
#[derive(Debug)]
pub struct Note {
    pub label: String,
    pub number: usize,
    pub id: String,
    /// The id of the first reference: where the back link goes.
    pub first_ref: String,
    /// Output file (book-wide index) of the first reference.
    pub file: usize,
}

/// The notes of one Markdown file.
#[derive(Debug, Default)]
pub struct Footnotes {
    pub cited: Vec<Note>,
    by_label: HashMap<String, usize>,
    /// Rendered definitions by label, with the line they start on.
    pub defs: HashMap<String, (Buf, usize)>,
}

/// What a reference needs to be written.
pub struct NoteRef {
    pub number: usize,
    pub ref_id: String,
    pub note_id: String,
}

impl Footnotes {
    /// A reference to `label` in output file `file`; `chapter` keeps ids of different
    /// Markdown files apart.
    pub fn reference(
        &mut self,
        label: &str,
        chapter: usize,
        file: usize,
        ids: &mut IdSet,
    ) -> NoteRef {
        let key = normalise(label);
        let index = match self.by_label.get(&key) {
            Some(&i) => i,
            None => {
                let number = self.cited.len() + 1;
                let id = ids.unique(&format!("fn-{chapter}-{number}"));
                self.cited.push(Note {
                    label: key.clone(),
                    number,
                    id,
                    first_ref: String::new(),
                    file,
                });
                self.by_label.insert(key.clone(), number - 1);
                number - 1
            }
        };
        let note = &mut self.cited[index];
        let ref_id = ids.unique(&format!("fnref-{chapter}-{}", note.number));
        if note.first_ref.is_empty() {
            note.first_ref = ref_id.clone();
        }
        NoteRef {
            number: note.number,
            ref_id,
            note_id: note.id.clone(),
        }
    }

    pub fn define(&mut self, label: &str, body: Buf, line: usize) {
        self.defs.entry(normalise(label)).or_insert((body, line));
    }
}

/// Labels match case-insensitively, as link reference labels do.
pub fn normalise(label: &str) -> String {
    label.trim().to_lowercase()
}

/// The `<aside>` for `note` with its rendered definition.
pub fn aside(note: &Note, body: Buf, source: usize, line: usize) -> Buf {
    let mut out = Buf::default();
    out.html.push_str(&format!(
        "<aside class=\"footnote\" epub:type=\"footnote\" role=\"doc-footnote\" id=\"{}\">\n",
        note.id
    ));
    let starts_with_p = body.html.starts_with("<p>");
    out.html.push_str(if starts_with_p {
        "<p>"
    } else {
        "<p class=\"footnote-label\">"
    });
    out.html
        .push_str("<a class=\"footnote-back\" role=\"doc-backlink\"");
    out.fixups.push(Fixup {
        at: out.html.len(),
        insert: Insert::Href {
            target: Target::Id(note.first_ref.clone()),
            source,
            line,
        },
    });
    out.html.push_str(&format!(">{}.</a>", note.number));
    if starts_with_p {
        out.html.push(' ');
        let rest = Buf {
            html: body.html[3..].to_string(),
            fixups: body
                .fixups
                .into_iter()
                .map(|mut f| {
                    f.at -= 3;
                    f
                })
                .collect(),
        };
        out.append(rest);
    } else {
        out.html.push_str("</p>\n");
        out.append(body);
    }
    out.html.push_str("</aside>\n");
    out
}

impl ChapterWriter<'_, '_> {
    /// Places each cited note at the end of the file that first cites it, and reports
    /// definitions nobody cites.
    pub(super) fn finish_notes(&mut self) {
        let Footnotes {
            cited, mut defs, ..
        } = std::mem::take(&mut self.notes);
        for note in cited {
            let Some((body, line)) = defs.remove(&note.label) else {
                continue;
            };
            self.shared
                .anchors
                .add(self.source, &note.id, &note.id, note.file);
            let aside = aside(&note, body, self.source, line);
            self.shared.parts[note.file].buf.append(aside);
        }
        let mut unused: Vec<(String, usize)> =
            defs.into_iter().map(|(l, (_, line))| (l, line)).collect();
        unused.sort_by_key(|(_, line)| *line);
        for (label, line) in unused {
            self.warn(
                line,
                format!("footnote `[^{label}]` is defined but never referenced; it is left out"),
            );
        }
    }

    /// pulldown-cmark leaves `[^label]` without a definition as the text `[`, `^`,
    /// `label`, `]`: report it.
    pub(super) fn broken_note_ref(
        &self,
        events: &[(Event<'_>, Range<usize>)],
        i: usize,
        line: usize,
    ) {
        let text = |j: usize| match events.get(j) {
            Some((Event::Text(t), _)) => Some(t.as_ref()),
            _ => None,
        };
        if text(i) == Some("[")
            && text(i + 1) == Some("^")
            && let (Some(label), Some("]")) = (text(i + 2), text(i + 3))
        {
            self.warn(
                line,
                format!("footnote reference `[^{label}]` has no definition; it is kept as text"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notes_number_in_order_of_first_reference() {
        let mut notes = Footnotes::default();
        let mut ids = IdSet::default();
        let b = notes.reference("b", 1, 0, &mut ids);
        let a = notes.reference("A", 1, 0, &mut ids);
        let b2 = notes.reference("b", 1, 0, &mut ids);
        assert_eq!((b.number, a.number, b2.number), (1, 2, 1));
        assert_eq!(b.note_id, "fn-1-1");
        assert_eq!(b.ref_id, "fnref-1-1");
        assert_eq!(b2.ref_id, "fnref-1-1-2");
        assert_eq!(notes.cited[0].first_ref, "fnref-1-1");
    }

    #[test]
    fn aside_links_back_inside_the_first_paragraph() {
        let mut notes = Footnotes::default();
        let mut ids = IdSet::default();
        notes.reference("x", 1, 0, &mut ids);
        let body = Buf {
            html: "<p>Text.</p>\n".into(),
            fixups: Vec::new(),
        };
        let out = aside(&notes.cited[0], body, 0, 1);
        assert!(
            out.html
                .starts_with("<aside class=\"footnote\" epub:type=\"footnote\"")
        );
        assert!(
            out.html
                .contains("<p><a class=\"footnote-back\" role=\"doc-backlink\">1.</a> Text.</p>")
        );
        assert_eq!(
            out.fixups[0].insert,
            Insert::Href {
                target: Target::Id("fnref-1-1".into()),
                source: 0,
                line: 1
            }
        );
    }
}
