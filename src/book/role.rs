//! A chapter's place in the book (front matter, body, back matter) from the `epub:type`
//! attribute on its first heading, e.g. `# Colophon {epub:type=colophon}`.

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The three divisions of a book (EPUB Structural Semantics).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Division {
    Front,
    #[default]
    Body,
    Back,
}

impl Division {
    /// The `epub:type` of the division (`frontmatter`, `bodymatter`, `backmatter`).
    pub fn epub_type(self) -> &'static str {
        match self {
            Division::Front => "frontmatter",
            Division::Body => "bodymatter",
            Division::Back => "backmatter",
        }
    }
}

/// Where a chapter stands, for the renderer (`<section epub:type>`) and the landmarks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChapterRole {
    pub division: Division,
    /// The semantic the author gave besides the division (`preface`, `colophon`, `chapter`).
    pub epub_type: Option<String>,
}

const FRONT: &[&str] = &[
    "foreword",
    "preface",
    "prologue",
    "introduction",
    "preamble",
    "dedication",
    "epigraph",
    "titlepage",
    "halftitlepage",
    "seriespage",
    "frontispiece",
    "imprimatur",
    "toc",
    "loi",
    "lot",
];
const BACK: &[&str] = &[
    "afterword",
    "epilogue",
    "conclusion",
    "appendix",
    "glossary",
    "bibliography",
    "index",
    "endnotes",
    "rearnotes",
    "colophon",
];
/// Types found at either end of a book: the chapter's position decides.
const EITHER: &[&str] = &[
    "acknowledgments",
    "copyright-page",
    "contributors",
    "other-credits",
    "errata",
    "imprint",
    "abstract",
];

/// The `epub:type` on the first heading of `markdown`, if any.
pub fn first_heading_type(markdown: &str) -> Option<String> {
    let parser = Parser::new_ext(markdown, Options::ENABLE_HEADING_ATTRIBUTES);
    for event in parser {
        if let Event::Start(Tag::Heading { attrs, .. }) = event {
            return attrs
                .iter()
                .find(|(k, _)| k.as_ref() == "epub:type")
                .and_then(|(_, v)| v.as_ref())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
        }
    }
    None
}

/// The role of a chapter with `epub_type` on its first heading; `body_seen` says whether a
/// body chapter came before it.
pub fn role(epub_type: Option<&str>, body_seen: bool) -> ChapterRole {
    let Some(types) = epub_type else {
        return ChapterRole::default();
    };
    let mut division = None;
    let mut semantic = Vec::new();
    for t in types.split_whitespace() {
        match t {
            "frontmatter" => division = Some(Division::Front),
            "bodymatter" => division = Some(Division::Body),
            "backmatter" => division = Some(Division::Back),
            other => semantic.push(other),
        }
    }
    let division = division.unwrap_or_else(|| {
        let first = semantic.first().copied().unwrap_or_default();
        if FRONT.contains(&first) {
            Division::Front
        } else if BACK.contains(&first) {
            Division::Back
        } else if EITHER.contains(&first) {
            if body_seen {
                Division::Back
            } else {
                Division::Front
            }
        } else {
            Division::Body
        }
    });
    ChapterRole {
        division,
        epub_type: (!semantic.is_empty()).then(|| semantic.join(" ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_first_heading_only() {
        assert_eq!(
            first_heading_type(
                "Intro text\n\n# Colophon {epub:type=colophon}\n\n# B {epub:type=x}\n"
            )
            .as_deref(),
            Some("colophon")
        );
        assert_eq!(first_heading_type("# Plain\n\n# B {epub:type=x}\n"), None);
    }

    #[test]
    fn divisions_from_types_and_position() {
        assert_eq!(role(Some("preface"), false).division, Division::Front);
        assert_eq!(role(Some("colophon"), false).division, Division::Back);
        assert_eq!(
            role(Some("acknowledgments"), false).division,
            Division::Front
        );
        assert_eq!(role(Some("acknowledgments"), true).division, Division::Back);
        assert_eq!(role(Some("chapter"), false).division, Division::Body);
        let r = role(Some("backmatter appendix"), true);
        assert_eq!(r.division, Division::Back);
        assert_eq!(r.epub_type.as_deref(), Some("appendix"));
        assert_eq!(role(None, false), ChapterRole::default());
    }
}
