//! Built-in themes, the reader's own stylesheets and embedded fonts, combined into the
//! book's one stylesheet. The themes are compiled into the binary.

mod fonts;
pub mod lint;
mod user_css;

use std::path::PathBuf;

use anyhow::{Result, bail};

use crate::diag::Diagnostics;
use crate::limits;
pub use fonts::Font;

/// Rules every theme shares.
const BASE_CSS: &str = include_str!("base.css");
const BOOK_CSS: &str = include_str!("book.css");
const ARTICLE_CSS: &str = include_str!("article.css");

/// A built-in look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Theme {
    /// A novel's page: indented paragraphs, chapters on new pages.
    Book,
    /// A magazine piece: block paragraphs, display title, standfirst, dateline, credit.
    Article,
}

impl Theme {
    /// The theme's own rules, after the shared ones.
    pub fn css(self) -> String {
        let own = match self {
            Theme::Book => BOOK_CSS,
            Theme::Article => ARTICLE_CSS,
        };
        format!("{BASE_CSS}\n{own}")
    }

    /// A manuscript of one file is an article; several files make a book.
    pub fn default_for(chapter_files: usize) -> Theme {
        if chapter_files <= 1 {
            Theme::Article
        } else {
            Theme::Book
        }
    }
}

/// What the user asked for; paths are absolute and already checked to be in the project.
#[derive(Debug, Clone, Default)]
pub struct StyleOptions {
    pub theme: Option<Theme>,
    pub css: Vec<PathBuf>,
    pub fonts: Vec<PathBuf>,
}

/// The finished stylesheet and the font files it refers to.
#[derive(Debug, Clone)]
pub struct Style {
    pub css: String,
    pub fonts: Vec<Font>,
}

/// Builds the stylesheet: theme, then `@font-face` rules, then the user's CSS.
pub fn build(opts: &StyleOptions, chapter_files: usize, diags: &Diagnostics) -> Result<Style> {
    let theme = opts
        .theme
        .unwrap_or_else(|| Theme::default_for(chapter_files));
    let mut css = theme.css();
    if opts.css.len() > limits::CSS_FILES {
        bail!(
            "{} stylesheets given; a book may have at most {}",
            opts.css.len(),
            limits::CSS_FILES
        );
    }
    if opts.fonts.len() > limits::FONTS {
        bail!(
            "{} fonts given; a book may embed at most {}",
            opts.fonts.len(),
            limits::FONTS
        );
    }
    let fonts = fonts::load_all(&opts.fonts, diags)?;
    if !fonts.is_empty() {
        css.push_str(&fonts::font_face_rules(&fonts));
    }
    for path in &opts.css {
        css.push_str(&user_css::load(path, diags)?);
    }
    Ok(Style { css, fonts })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_theme_passes_the_reader_safety_lint() {
        for theme in [Theme::Book, Theme::Article] {
            let findings = lint::lint(&theme.css());
            assert!(findings.is_empty(), "{theme:?}: {findings:?}");
        }
    }

    #[test]
    fn one_file_is_an_article() {
        assert_eq!(Theme::default_for(1), Theme::Article);
        assert_eq!(Theme::default_for(12), Theme::Book);
    }
}
