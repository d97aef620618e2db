//! Markdown events (pulldown-cmark) to XHTML for one chapter.

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

use super::Heading;
use super::ids::{IdSet, slugify};
use crate::book::Chapter;
use crate::diag::{Diagnostics, Location};
use crate::xml;

pub struct ChapterBody {
    pub html: String,
    pub headings: Vec<Heading>,
}

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

pub fn to_xhtml(chapter: &Chapter, ids: &mut IdSet, diags: &Diagnostics) -> ChapterBody {
    let lines = LineIndex::new(&chapter.markdown, chapter.first_line);
    let warn = |offset: usize, msg: &str| {
        diags.warn(
            Some(Location::new(&chapter.source, Some(lines.line_of(offset)))),
            msg.to_string(),
        );
    };
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut headings = Vec::new();
    // Index in `events` of the open heading's Start, and its text so far.
    let mut open_heading: Option<(usize, String)> = None;

    for (event, range) in Parser::new_ext(&chapter.markdown, options()).into_offset_iter() {
        let event = match event {
            Event::Html(raw) | Event::InlineHtml(raw) => {
                warn(
                    range.start,
                    "raw HTML is shown as text: it is not converted yet",
                );
                Event::Text(raw)
            }
            Event::Start(Tag::Image { .. }) => {
                warn(
                    range.start,
                    "images are not embedded yet: only the alt text is kept",
                );
                continue;
            }
            Event::End(TagEnd::Image) => continue,
            Event::Text(t) => Event::Text(clean(t)),
            Event::Code(t) => Event::Code(clean(t)),
            other => other,
        };
        if let Some((_, text)) = open_heading.as_mut()
            && let Event::Text(t) | Event::Code(t) = &event
        {
            text.push_str(t);
        }
        match &event {
            Event::Start(Tag::Heading { .. }) => {
                open_heading = Some((events.len(), String::new()));
            }
            Event::End(TagEnd::Heading(level)) => {
                if let Some((start, text)) = open_heading.take()
                    && let Event::Start(Tag::Heading { id, .. }) = &mut events[start]
                {
                    let wanted = id.as_deref().map(slugify).unwrap_or_else(|| slugify(&text));
                    let unique = ids.unique(&wanted);
                    *id = Some(CowStr::from(unique.clone()));
                    headings.push(Heading {
                        level: heading_level(*level),
                        id: unique,
                        text: text.trim().to_string(),
                    });
                }
            }
            _ => {}
        }
        events.push(event);
    }
    let mut out = String::with_capacity(chapter.markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    ChapterBody {
        html: out,
        headings,
    }
}

fn clean(t: CowStr<'_>) -> CowStr<'_> {
    match xml::clean(&t) {
        std::borrow::Cow::Borrowed(_) => t,
        std::borrow::Cow::Owned(s) => CowStr::from(s),
    }
}

fn heading_level(level: HeadingLevel) -> u8 {
    level as u8
}

/// Maps byte offsets in a chapter's Markdown to 1-based lines of its source file.
struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts, first_line }
    }

    fn line_of(&self, offset: usize) -> usize {
        let idx = self.starts.partition_point(|&s| s <= offset);
        self.first_line + idx.saturating_sub(1)
    }
}
