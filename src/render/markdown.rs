//! The Markdown dialect inkbind reads: CommonMark plus the extensions pulldown-cmark
//! offers for books.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser};

pub fn options() -> Options {
    // Subscript needs strikethrough on as well (pulldown-cmark 0.13 misparses `~` otherwise).
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
}

/// The chapter's events with their byte ranges (the writer looks ahead, so they are kept).
pub fn events(markdown: &str) -> Vec<(Event<'_>, Range<usize>)> {
    Parser::new_ext(markdown, options())
        .into_offset_iter()
        .collect()
}
