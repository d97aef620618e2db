//! Validated book metadata: what the package stage writes into the OPF, the title page and
//! the colophon.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};

pub use super::identifier::{Identifier, Scheme};
pub use super::lang::Lang;

/// A person credited in the book, with a MARC relator role (`aut`, `edt`, `trl`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creator {
    pub name: String,
    pub role: String,
    pub file_as: Option<String>,
}

impl Creator {
    /// The role in words, e.g. `translator` for `trl`.
    pub fn role_name(&self) -> &str {
        super::people::role_name(&self.role)
    }
}

/// The series (or set) the book belongs to: `belongs-to-collection` in the OPF.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Collection {
    pub name: String,
    /// `series` or `set`.
    pub kind: String,
    /// The book's place in it (`group-position`), e.g. `3` or `2.5`.
    pub position: Option<String>,
}

/// What the author declares about accessibility; everything else is derived from the
/// content by the package stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Accessibility {
    /// `schema:accessibilityHazard` values; empty means `none`.
    pub hazards: Vec<String>,
    /// Replaces the generated `schema:accessibilitySummary`.
    pub summary: Option<String>,
    /// `dcterms:conformsTo`, e.g. `EPUB Accessibility 1.1 - WCAG 2.2 Level AA`.
    pub conforms_to: Vec<String>,
    pub certified_by: Option<String>,
    pub certifier_credential: Option<String>,
    pub certifier_report: Option<String>,
    /// `a11y:exemption`, e.g. `eaa-microenterprise`.
    pub exemption: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub subtitle: Option<String>,
    /// `dc:creator`s (authors by default).
    pub creators: Vec<Creator>,
    /// `dc:contributor`s (role `ctb` by default).
    pub contributors: Vec<Creator>,
    pub lang: Lang,
    pub date: Option<NaiveDate>,
    /// The package's unique identifier, e.g. `urn:uuid:…` or `urn:isbn:…`. Never changes
    /// between builds of the same book.
    pub identifier: String,
    pub identifier_scheme: Scheme,
    /// Further identifiers (e.g. the print ISBN) after the first.
    pub other_identifiers: Vec<Identifier>,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub subjects: Vec<String>,
    pub collection: Option<Collection>,
    /// Credit line for an image the text refers to, and how the title page introduces it.
    pub image_credit: Option<String>,
    pub image_credit_label: Option<String>,
    /// Further credits (design, photography, …) for the colophon.
    pub credits: Vec<String>,
    /// Heading of the table of contents.
    pub toc_title: Option<String>,
    /// Cover image named by `cover-image`, inside the project root.
    pub cover_image: Option<PathBuf>,
    /// Stylesheets named by `css`, inside the project root, in order.
    pub css: Vec<PathBuf>,
    pub accessibility: Accessibility,
    /// `dcterms:modified`: fixed by the inputs so that builds are reproducible.
    pub modified: DateTime<Utc>,
}

impl Metadata {
    /// The publication date as readers expect it on a title page.
    pub fn display_date(&self) -> Option<String> {
        let date = self.date?;
        let tag = self.lang.as_str().to_ascii_lowercase();
        Some(if tag == "en" || tag.starts_with("en-us") {
            date.format("%B %-d, %Y").to_string()
        } else if self.lang.is_english() {
            // British and most other English usage puts the day first.
            date.format("%-d %B %Y").to_string()
        } else {
            date.format("%Y-%m-%d").to_string()
        })
    }

    /// The heading of the table of contents.
    pub fn toc_title(&self) -> &str {
        self.toc_title.as_deref().unwrap_or("Contents")
    }
}
