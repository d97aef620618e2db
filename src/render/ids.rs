//! Readable, unique, XML-safe ids for headings and anchors.

use std::collections::HashSet;

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

/// Ids already used in the book; hands out `slug`, `slug-2`, `slug-3`, … in order.
#[derive(Debug, Default)]
pub struct IdSet {
    used: HashSet<String>,
}

impl IdSet {
    /// Reserves an id based on `wanted`, suffixed if it is taken.
    pub fn unique(&mut self, wanted: &str) -> String {
        if self.used.insert(wanted.to_string()) {
            return wanted.to_string();
        }
        let mut n = 2;
        loop {
            let candidate = format!("{wanted}-{n}");
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
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
    }
}
