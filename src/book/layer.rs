//! One source of metadata (`book.toml`, front matter, or the `--metadata` flags) after its
//! values were checked, each remembering where it was written. Sources are merged field by
//! field: a later source wins.

use std::fmt;
use std::path::PathBuf;

use chrono::NaiveDate;

use super::identifier::Identifier;
use super::lang::Lang;
use super::metadata::Creator;
use crate::diag::Location;

/// Where a value was written, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File {
        path: PathBuf,
        line: usize,
        col: usize,
    },
    /// A `--metadata KEY=VALUE` flag, as given.
    Flag(String),
}

impl Origin {
    pub fn location(&self) -> Option<Location> {
        match self {
            Origin::File { path, line, .. } => Some(Location::new(path, Some(*line))),
            Origin::Flag(_) => None,
        }
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File { path, line, col } => write!(f, "{}:{line}:{col}", path.display()),
            Origin::Flag(flag) => write!(f, "--metadata `{flag}`"),
        }
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    pub value: T,
    pub origin: Origin,
}

/// A series or set the book belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CollectionLayer {
    pub name: String,
    pub kind: Option<String>,
    pub position: Option<String>,
}

/// Accessibility statements only the author can make.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct A11yLayer {
    pub hazards: Option<At<Vec<String>>>,
    pub summary: Option<At<String>>,
    pub conforms_to: Option<At<Vec<String>>>,
    pub certified_by: Option<At<String>>,
    pub certifier_credential: Option<At<String>>,
    pub certifier_report: Option<At<String>>,
    pub exemption: Option<At<String>>,
}

/// Every key one source may set; `None` means "not set here".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Layer {
    pub title: Option<At<String>>,
    pub subtitle: Option<At<String>>,
    pub creators: Option<At<Vec<Creator>>>,
    pub contributors: Option<At<Vec<Creator>>>,
    pub lang: Option<At<Lang>>,
    pub date: Option<At<NaiveDate>>,
    pub identifiers: Option<At<Vec<Identifier>>>,
    pub publisher: Option<At<String>>,
    pub rights: Option<At<String>>,
    pub description: Option<At<String>>,
    pub subjects: Option<At<Vec<String>>>,
    pub collection: Option<At<CollectionLayer>>,
    pub collection_type: Option<At<String>>,
    pub group_position: Option<At<String>>,
    pub cover_image: Option<At<String>>,
    pub css: Option<At<Vec<String>>>,
    pub toc_depth: Option<At<u8>>,
    pub split_level: Option<At<u8>>,
    pub toc_title: Option<At<String>>,
    pub toc_page: Option<At<bool>>,
    pub colophon: Option<At<bool>>,
    pub highlight: Option<At<bool>>,
    pub image_credit: Option<At<String>>,
    pub image_credit_label: Option<At<String>>,
    pub credits: Option<At<Vec<String>>>,
    pub chapters: Option<At<Vec<String>>>,
    pub accessibility: A11yLayer,
}

impl Layer {
    /// Fields set in `over` win.
    pub fn merge(&mut self, over: Layer) {
        macro_rules! take {
            ($($f:ident),*) => { $( if over.$f.is_some() { self.$f = over.$f; } )* };
        }
        take!(
            title,
            subtitle,
            creators,
            contributors,
            lang,
            date,
            identifiers,
            publisher,
            rights,
            description,
            subjects,
            collection,
            collection_type,
            group_position,
            cover_image,
            css,
            toc_depth,
            split_level,
            toc_title,
            toc_page,
            colophon,
            highlight,
            image_credit,
            image_credit_label,
            credits,
            chapters
        );
        let (mine, theirs) = (&mut self.accessibility, over.accessibility);
        macro_rules! take_a11y {
            ($($f:ident),*) => { $( if theirs.$f.is_some() { mine.$f = theirs.$f; } )* };
        }
        take_a11y!(
            hazards,
            summary,
            conforms_to,
            certified_by,
            certifier_credential,
            certifier_report,
            exemption
        );
    }
}
