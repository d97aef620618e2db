//! Store pre-flight (`--target`): what Kindle, Kobo, Apple Books and Google Play refuse or
//! mishandle although EPUBCheck accepts it. Sources: the stores' publishing guides, as
//! condensed in the project's EPUB checklist.

use super::Target;
use super::archive::Archive;
use super::content::Docs;
use super::navigation::NavFacts;
use super::package::Package;
use super::paths::{self, Target as Href};
use super::rules;
use super::{Pos, Sink, sniff};

const MB: usize = 1024 * 1024;
/// Characters of text a reading system fits on a small page: Google Play wants four pages.
pub const PAGE_CHARS: usize = 1_000;

pub(crate) struct Book<'a> {
    pub size: usize,
    pub zip: &'a Archive,
    pub pkg: &'a Package,
    pub docs: &'a Docs,
    pub nav: &'a NavFacts,
}

pub(crate) fn check(target: Target, book: &Book<'_>, sink: &mut Sink) {
    match target {
        Target::Kindle => kindle(book, sink),
        Target::Kobo => kobo(book, sink),
        Target::Apple => apple(book, sink),
        Target::Google => google(book, sink),
    }
}

fn kindle(book: &Book<'_>, sink: &mut Sink) {
    let Book { pkg, docs, zip, .. } = book;
    for item in pkg.items.iter().filter(|i| i.is_xhtml()) {
        let Some(doc) = docs.get(&item.path) else {
            continue;
        };
        if !doc.has_xml_declaration {
            let first = Pos {
                line: 1,
                column: 1,
                line_start: Some(0),
            };
            sink.add(
                &rules::KINDLE_XML_DECL,
                &item.path,
                Some((first, &doc.text)),
                "no XML declaration with encoding",
            );
        }
        if let Some(&pos) = doc.inline_styles.first() {
            sink.add(
                &rules::KINDLE_STYLE,
                &item.path,
                Some((pos, &doc.text)),
                format!("{} inline style attribute(s)", doc.inline_styles.len()),
            );
        }
        for link in &doc.links {
            let Href::Local {
                path,
                fragment: Some(fragment),
            } = paths::resolve(&item.path, &link.href)
            else {
                continue;
            };
            if docs
                .get(&path)
                .and_then(|d| d.body_id.as_deref())
                .is_some_and(|id| id == fragment)
            {
                sink.add(
                    &rules::KINDLE_BODY_LINK,
                    &item.path,
                    Some((link.pos, &doc.text)),
                    format!("`{}` targets the <body> id", link.href),
                );
            }
        }
    }
    for item in &pkg.items {
        let bytes = zip.files.get(&item.path).map(Vec::as_slice).unwrap_or(&[]);
        if item.media_type == "image/webp" || sniff::sniff(bytes) == Some("image/webp") {
            sink.add(
                &rules::KINDLE_WEBP,
                &pkg.path,
                pkg.at(item.pos),
                format!("`{}` is a WebP image", item.path),
            );
        }
        if item.media_type == "text/css" {
            check_css(&item.path, bytes, sink);
        }
    }
    if book.size >= 50 * MB {
        sink.add(
            &rules::KINDLE_SIZE,
            "",
            None,
            format!("the EPUB is {:.1} MB", book.size as f64 / MB as f64),
        );
    }
}

/// `position` and `transform` declarations, which Kindle Previewer flags.
fn check_css(name: &str, bytes: &[u8], sink: &mut Sink) {
    let text = String::from_utf8_lossy(bytes);
    for (i, line) in text.lines().enumerate() {
        let lower = line.to_ascii_lowercase();
        for property in ["position", "transform"] {
            let found = lower.match_indices(property).find(|(at, _)| {
                let before = lower[..*at].chars().next_back();
                let after = lower[at + property.len()..].trim_start();
                !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '-')
                    && after.starts_with(':')
            });
            if let Some((at, _)) = found {
                let pos = Pos {
                    line: i + 1,
                    column: lower[..at].chars().count() + 1,
                    // `line` is a slice of `text`.
                    line_start: Some(line.as_ptr() as usize - text.as_ptr() as usize),
                };
                sink.add(
                    &rules::KINDLE_STYLE,
                    name,
                    Some((pos, &text)),
                    format!("CSS `{property}`"),
                );
            }
        }
    }
}

fn kobo(book: &Book<'_>, sink: &mut Sink) {
    let Book { pkg, zip, nav, .. } = book;
    for item in &pkg.items {
        let size = zip.files.get(&item.path).map_or(0, Vec::len);
        let (rule, limit) = if item.media_type.starts_with("image/") {
            (&rules::KOBO_IMAGE_SIZE, 5 * MB)
        } else if item.is_xhtml() {
            (&rules::KOBO_XHTML_SIZE, 10 * MB)
        } else {
            continue;
        };
        if size > limit {
            sink.add(
                rule,
                &pkg.path,
                pkg.at(item.pos),
                format!("`{}` is {:.1} MB", item.path, size as f64 / MB as f64),
            );
        }
    }
    if nav.toc_depth > 3 {
        let file = pkg.nav.map_or("", |n| pkg.items[n].path.as_str());
        sink.add(
            &rules::KOBO_TOC_DEPTH,
            file,
            None,
            format!("the table of contents is {} levels deep", nav.toc_depth),
        );
    }
}

fn apple(book: &Book<'_>, sink: &mut Sink) {
    let Book { pkg, docs, nav, .. } = book;
    for (name, doc) in docs.iter() {
        for &pos in &doc.images_without_alt {
            sink.add(
                &rules::APPLE_ALT,
                name,
                Some((pos, &doc.text)),
                "<img> has no alt attribute",
            );
        }
    }
    if pkg.cover.is_none() {
        sink.add(
            &rules::APPLE_COVER,
            &pkg.path,
            None,
            "the book has no cover image",
        );
    }
    if !nav.bodymatter_landmark {
        let file = pkg.nav.map_or("", |n| pkg.items[n].path.as_str());
        sink.add(
            &rules::APPLE_LANDMARKS,
            file,
            None,
            "no landmark marks where the body matter starts",
        );
    }
}

fn google(book: &Book<'_>, sink: &mut Sink) {
    let Book { pkg, docs, .. } = book;
    if pkg.cover.is_none() {
        sink.add(
            &rules::GOOGLE_COVER,
            &pkg.path,
            None,
            "the book has no cover image",
        );
    }
    let chars: usize = pkg
        .spine
        .iter()
        .filter_map(|&i| docs.get(&pkg.items[i].path))
        .map(|d| d.text_chars)
        .sum();
    if chars < 4 * PAGE_CHARS {
        sink.add(
            &rules::GOOGLE_LENGTH,
            "",
            None,
            format!(
                "the book holds {chars} characters of text, about {} page(s) of {PAGE_CHARS}",
                chars / PAGE_CHARS
            ),
        );
    }
}
