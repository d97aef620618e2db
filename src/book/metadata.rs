//! Validated book metadata: what the package stage writes into the OPF and the title page.

use std::fmt;

use anyhow::{Result, bail};
use chrono::{DateTime, NaiveDate, Utc};

/// A BCP 47 language tag, checked for shape (`en`, `pt-BR`, `zh-Hant-TW`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang(String);

impl Lang {
    pub fn parse(tag: &str) -> Result<Self> {
        let tag = tag.trim();
        let mut parts = tag.split('-');
        let primary = parts.next().unwrap_or_default();
        let primary_ok = matches!(primary.len(), 2..=3 | 5..=8)
            && primary.chars().all(|c| c.is_ascii_alphabetic());
        let rest_ok = parts
            .clone()
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
        if !primary_ok || !rest_ok {
            bail!("`{tag}` is not a BCP 47 language tag (expected e.g. `en`, `en-GB`, `pt-BR`)");
        }
        Ok(Self(tag.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_english(&self) -> bool {
        self.0 == "en" || self.0.starts_with("en-")
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person credited in the book, with a MARC relator role (`aut`, `edt`, `trl`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Creator {
    pub name: String,
    pub role: String,
    pub file_as: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Metadata {
    pub title: String,
    pub subtitle: Option<String>,
    pub creators: Vec<Creator>,
    pub lang: Lang,
    pub date: Option<NaiveDate>,
    /// The package's unique identifier, e.g. `urn:uuid:…` or `urn:isbn:…`.
    pub identifier: String,
    pub publisher: Option<String>,
    pub rights: Option<String>,
    pub description: Option<String>,
    pub subjects: Vec<String>,
    /// Credit line for an image the text refers to, and how the title page introduces it.
    pub image_credit: Option<String>,
    pub image_credit_label: Option<String>,
    /// `dcterms:modified`: fixed by the inputs so that builds are reproducible.
    pub modified: DateTime<Utc>,
}

impl Metadata {
    /// The publication date as readers expect it on a title page.
    pub fn display_date(&self) -> Option<String> {
        let date = self.date?;
        Some(if self.lang.is_english() {
            date.format("%B %-d, %Y").to_string()
        } else {
            date.format("%Y-%m-%d").to_string()
        })
    }
}
