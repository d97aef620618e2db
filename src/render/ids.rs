//! Readable, unique, XML-safe ids for headings and anchors.

use std::collections::{HashMap, HashSet};

/// A slug that is a valid XML name: ASCII letters, digits and hyphens, starting with a
/// letter, never empty (`Écrire à Paris` → `ecrire-a-paris`, `2024` → `h-2024`).
pub fn slugify(text: &str) -> String {
    let ascii = deunicode::deunicode(text).to_ascii_lowercase();
    let mut slug = String::with_capacity(ascii.len());
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.len() > 64 {
        slug.truncate(64);
        while slug.ends_with('-') {
            slug.pop();
        }
    }
    if slug.is_empty() {
        "section".to_string()
    } else if slug.starts_with(|c: char| c.is_ascii_digit()) {
        format!("h-{slug}")
    } else {
        slug
    }
}

/// An id the author chose (`{#id}`, `id="…"`): kept when it is already a valid XML name
/// in ASCII, else turned into a slug.
pub fn explicit(raw: &str) -> String {
    let raw = raw.trim();
    if crate::render::html::policy::is_xml_name(raw) && raw.len() <= 96 {
        raw.to_string()
    } else {
        slugify(raw)
    }
}

/// Ids already used in the book; hands out `slug`, `slug-2`, `slug-3`, … in order.
#[derive(Debug, Default)]
pub struct IdSet {
    used: HashSet<String>,
    /// Next suffix to try per base, so a thousand equal headings stay linear.
    next: HashMap<String, usize>,
}

impl IdSet {
    /// Reserves `wanted` as is; if it is taken, a suffixed id and `true` (a collision the
    /// author should hear about when they chose the id).
    pub fn claim(&mut self, wanted: &str) -> (String, bool) {
        let id = self.unique(wanted);
        let collided = id != wanted;
        (id, collided)
    }

    /// Reserves an id based on `wanted`, suffixed if it is taken.
    pub fn unique(&mut self, wanted: &str) -> String {
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let mut n = self.next.get(wanted).copied().unwrap_or(2);
        loop {
            let candidate = format!("{wanted}-{n}");
            n += 1;
            if self.used.insert(candidate.clone()) {
                self.next.insert(wanted.to_string(), n);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_xml_names() {
        assert_eq!(slugify("Écrire à Paris!"), "ecrire-a-paris");
        assert_eq!(slugify("2024"), "h-2024");
        assert_eq!(slugify("   "), "section");
        assert_eq!(slugify("The DPRK’s man"), "the-dprk-s-man");
    }

    #[test]
    fn duplicates_get_suffixes() {
        let mut ids = IdSet::default();
        assert_eq!(ids.unique("a"), "a");
        assert_eq!(ids.unique("a"), "a-2");
        assert_eq!(ids.unique("a"), "a-3");
        assert_eq!(ids.claim("b"), ("b".to_string(), false));
        assert_eq!(ids.claim("b"), ("b-2".to_string(), true));
        assert_eq!(explicit("_Toc12.x"), "_Toc12.x");
        assert_eq!(explicit("Mon id"), "mon-id");
        assert_eq!(slugify("日本語"), "ri-ben-yu");
        assert_eq!(slugify("🎉"), "tada");
        assert_eq!(slugify("\u{1F9EC}\u{200D}"), "dna");
        assert_eq!(slugify("\u{0}\u{FFFF}"), "section");
    }
}
