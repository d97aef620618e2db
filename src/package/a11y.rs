//! Accessibility metadata (EPUB Accessibility 1.1, schema.org) derived from what the book
//! really contains: access modes, features and a summary that describes this book. Only
//! what the author declares is added on top (hazards, conformance, exemption); nothing is
//! claimed that the content does not deliver.

use crate::book::{Book, Division, Metadata};
use crate::render::ContentFacts;

/// The accessibility properties for the OPF, in the order they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct A11y {
    pub access_modes: Vec<&'static str>,
    pub access_mode_sufficient: Vec<&'static str>,
    pub features: Vec<&'static str>,
    pub hazards: Vec<String>,
    pub summary: String,
    /// True when the summary was generated (in English), false when the author wrote it.
    pub generated_summary: bool,
}

/// What the package knows about the book beyond [`ContentFacts`].
pub struct Shape {
    pub has_cover: bool,
    /// True when some content document has headings (structural navigation).
    pub has_headings: bool,
}

pub fn derive(book: &Book, facts: &ContentFacts, shape: &Shape) -> A11y {
    let meta = &book.metadata;
    let has_images = facts.images > 0;
    let all_alt = facts.images_without_alt == 0;
    let mut access_modes = vec!["textual"];
    if has_images {
        access_modes.push("visual");
    }
    let mut access_mode_sufficient = Vec::new();
    if all_alt {
        access_mode_sufficient.push("textual");
    }
    if has_images {
        access_mode_sufficient.push("textual,visual");
    }
    let mut features = Vec::new();
    if shape.has_headings {
        features.push("structuralNavigation");
    }
    features.extend(["tableOfContents", "readingOrder", "displayTransformability"]);
    if has_images && all_alt {
        features.push("alternativeText");
    }
    if facts.has_mathml {
        features.push("MathML");
    }
    let hazards = if meta.accessibility.hazards.is_empty() {
        vec!["none".to_string()]
    } else {
        meta.accessibility.hazards.clone()
    };
    let (summary, generated_summary) = match &meta.accessibility.summary {
        Some(s) => (s.clone(), false),
        None => (summary(book, facts, shape, &hazards), true),
    };
    A11y {
        access_modes,
        access_mode_sufficient,
        features,
        hazards,
        summary,
        generated_summary,
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

fn summary(book: &Book, facts: &ContentFacts, shape: &Shape, hazards: &[String]) -> String {
    let meta: &Metadata = &book.metadata;
    let body = book
        .chapters
        .iter()
        .filter(|c| c.role.division == Division::Body)
        .count();
    let extra = book.chapters.len() - body;
    let mut s = Vec::new();
    let structure = if shape.has_headings {
        "a table of contents, headings"
    } else {
        "a table of contents"
    };
    s.push(match (body, extra) {
        (0 | 1, 0) => format!(
            "This publication is a single text with {structure} and a logical reading order."
        ),
        (_, 0) => format!(
            "This publication has {} with {structure} and a logical reading order.",
            plural(body, "chapter", "chapters")
        ),
        _ => format!(
            "This publication has {} and {} of front and back matter, with {structure} and a \
             logical reading order.",
            plural(body, "chapter", "chapters"),
            plural(extra, "section", "sections")
        ),
    });
    s.push("Its text reflows and can be resized and restyled by the reading system.".to_string());
    let cover = if shape.has_cover {
        " besides the cover, which has a text alternative"
    } else {
        ""
    };
    s.push(match (facts.images, facts.images_without_alt) {
        (0, _) => format!("It contains no images{cover}."),
        (1, 0) => "Its one image has a text alternative.".to_string(),
        (n, 0) => format!("All {n} images have text alternatives."),
        (n, missing) => format!(
            "{} of its {} {} no text alternative, so some visual content is not available as text.",
            missing,
            plural(n, "image", "images"),
            if missing == 1 { "has" } else { "have" }
        ),
    });
    if facts.has_tables {
        s.push("It contains data tables.".to_string());
    }
    if facts.has_mathml {
        s.push("Mathematics is written in MathML, which assistive technologies can read.".into());
    }
    if hazards.iter().any(|h| h == "none") {
        s.push("It has no known hazards: no flashing, motion simulation or sound.".to_string());
    } else {
        s.push(format!(
            "The publisher declares these hazards: {}.",
            hazards.join(", ")
        ));
    }
    let a = &meta.accessibility;
    if !a.conforms_to.is_empty() {
        s.push(format!(
            "The publisher states that it conforms to {}{}.",
            a.conforms_to.join("; "),
            a.certified_by
                .as_ref()
                .map(|c| format!(", as evaluated by {c}"))
                .unwrap_or_default()
        ));
    }
    if let Some(exemption) = &a.exemption {
        s.push(format!(
            "The publisher claims an exemption from the European Accessibility Act ({exemption})."
        ));
    }
    s.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::book::metadata::{Accessibility, Lang, Scheme};
    use crate::book::{Chapter, ChapterRole, Layout};

    fn book(chapters: usize) -> Book {
        Book {
            root: ".".into(),
            metadata: Metadata {
                title: "T".into(),
                subtitle: None,
                creators: Vec::new(),
                contributors: Vec::new(),
                lang: Lang::parse("en").unwrap(),
                date: None,
                identifier: "urn:uuid:x".into(),
                identifier_scheme: Scheme::Uuid,
                other_identifiers: Vec::new(),
                publisher: None,
                rights: None,
                description: None,
                subjects: Vec::new(),
                collection: None,
                image_credit: None,
                image_credit_label: None,
                credits: Vec::new(),
                toc_title: None,
                cover_image: None,
                css: Vec::new(),
                accessibility: Accessibility::default(),
                modified: chrono::DateTime::UNIX_EPOCH,
            },
            chapters: (0..chapters)
                .map(|_| Chapter {
                    source: "c.md".into(),
                    markdown: String::new(),
                    first_line: 1,
                    role: ChapterRole::default(),
                })
                .collect(),
            cover: None,
            layout: Layout::default(),
        }
    }

    fn shape() -> Shape {
        Shape {
            has_cover: false,
            has_headings: true,
        }
    }

    #[test]
    fn images_with_alt_text_are_claimed_as_such() {
        let facts = ContentFacts {
            images: 3,
            images_without_alt: 0,
            has_mathml: true,
            has_tables: true,
        };
        let a = derive(&book(4), &facts, &shape());
        assert_eq!(a.access_modes, ["textual", "visual"]);
        assert_eq!(a.access_mode_sufficient, ["textual", "textual,visual"]);
        assert!(a.features.contains(&"alternativeText"));
        assert!(a.features.contains(&"MathML"));
        assert!(a.summary.contains("4 chapters"), "{}", a.summary);
        assert!(a.summary.contains("All 3 images have text alternatives"));
        assert!(a.summary.contains("data tables"));
    }

    #[test]
    fn missing_alt_text_is_never_claimed_and_is_said() {
        let facts = ContentFacts {
            images: 2,
            images_without_alt: 1,
            ..ContentFacts::default()
        };
        let a = derive(&book(1), &facts, &shape());
        assert!(!a.features.contains(&"alternativeText"));
        assert_eq!(a.access_mode_sufficient, ["textual,visual"]);
        assert!(
            a.summary
                .contains("1 of its 2 images has no text alternative"),
            "{}",
            a.summary
        );
        assert_eq!(a.hazards, ["none"]);
    }

    #[test]
    fn an_authored_summary_replaces_the_generated_one() {
        let mut b = book(1);
        b.metadata.accessibility.summary = Some("Ours.".into());
        let a = derive(&b, &ContentFacts::default(), &shape());
        assert_eq!(a.summary, "Ours.");
        assert!(!a.generated_summary);
    }
}
