//! BCP 47 language tags (RFC 5646), checked for well-formedness so `dc:language`, `lang`
//! and `xml:lang` never carry values like `C`, `en_US` or `english`.

use std::fmt;

use anyhow::{Result, bail};

/// A well-formed BCP 47 language tag (`en`, `pt-BR`, `zh-Hant-TW`, `de-CH-1996`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lang(String);

impl Lang {
    pub fn parse(tag: &str) -> Result<Self> {
        let tag = tag.trim();
        if !well_formed(tag) {
            let hint = if tag.contains('_') {
                format!(" (write `{}`)", tag.replace('_', "-"))
            } else {
                String::new()
            };
            bail!(
                "`{tag}` is not a BCP 47 language tag{hint}; expected e.g. `en`, `en-GB`, \
                 `pt-BR`, `zh-Hant`"
            );
        }
        Ok(Self(tag.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The primary language subtag, lower-cased (`en` for `en-GB`).
    pub fn primary(&self) -> String {
        self.0
            .split('-')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    }

    pub fn is_english(&self) -> bool {
        self.primary() == "en"
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn alpha(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphabetic())
}

fn alnum(s: &str, len: std::ops::RangeInclusive<usize>) -> bool {
    len.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn digits(s: &str, len: usize) -> bool {
    s.len() == len && s.bytes().all(|b| b.is_ascii_digit())
}

/// RFC 5646 `langtag` or `privateuse`: language[-extlang]{0,3} [-script] [-region]
/// *(-variant) *(-extension) [-privateuse]. Grandfathered irregular tags are not accepted.
fn well_formed(tag: &str) -> bool {
    if tag.is_empty() {
        return false;
    }
    let parts: Vec<&str> = tag.split('-').collect();
    if parts[0].eq_ignore_ascii_case("x") {
        return private_use(&parts[1..]);
    }
    let mut i = 0;
    let language = parts[0];
    // RFC 5646 also allows 4–8 letter language subtags, but none is registered: in
    // practice such a value is a language name (`english`), not a tag.
    if !alpha(language, 2..=3) {
        return false;
    }
    i += 1;
    let mut extlangs = 0;
    while i < parts.len() && extlangs < 3 && alpha(parts[i], 3..=3) {
        i += 1;
        extlangs += 1;
    }
    if i < parts.len() && alpha(parts[i], 4..=4) {
        i += 1;
    }
    if i < parts.len() && (alpha(parts[i], 2..=2) || digits(parts[i], 3)) {
        i += 1;
    }
    while i < parts.len() && is_variant(parts[i]) {
        i += 1;
    }
    while i < parts.len() && parts[i].len() == 1 && !parts[i].eq_ignore_ascii_case("x") {
        if !parts[i].bytes().all(|b| b.is_ascii_alphanumeric()) {
            return false;
        }
        i += 1;
        let start = i;
        while i < parts.len() && alnum(parts[i], 2..=8) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    if i < parts.len() && parts[i].eq_ignore_ascii_case("x") {
        return private_use(&parts[i + 1..]);
    }
    i == parts.len()
}

fn is_variant(s: &str) -> bool {
    alnum(s, 5..=8) || (s.len() == 4 && s.as_bytes()[0].is_ascii_digit() && alnum(s, 4..=4))
}

fn private_use(rest: &[&str]) -> bool {
    !rest.is_empty() && rest.iter().all(|p| alnum(p, 1..=8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_well_formed_tags() {
        for tag in [
            "en",
            "en-GB",
            "pt-BR",
            "zh-Hant-TW",
            "de-CH-1996",
            "sr-Latn-RS",
            "es-419",
            "yue-HK",
            "zh-cmn-Hans-CN",
            "en-a-bbb-x-ccc",
            "x-whatever",
            "sl-rozaj-biske",
        ] {
            assert!(Lang::parse(tag).is_ok(), "{tag}");
        }
    }

    #[test]
    fn rejects_what_pandoc_lets_through() {
        for tag in [
            "C", "C.UTF-8", "en_US", "english", "", "en-", "-en", "en--GB", "a-b",
        ] {
            assert!(Lang::parse(tag).is_err(), "{tag}");
        }
        let err = Lang::parse("en_US").unwrap_err().to_string();
        assert!(err.contains("write `en-US`"), "{err}");
    }

    #[test]
    fn primary_subtag() {
        assert!(Lang::parse("EN-gb").unwrap().is_english());
        assert_eq!(Lang::parse("pt-BR").unwrap().primary(), "pt");
    }
}
