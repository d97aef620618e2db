//! Publication identifiers: ISBN (checksums verified), DOI, UUID and other URNs, normalised
//! to the URN form reading systems and catalogues recognise (`urn:isbn:9780306406157`).

use anyhow::{Result, bail};

/// What kind of identifier a value is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Isbn10,
    Isbn13,
    Doi,
    Uuid,
    /// Any other `urn:NID:NSS`.
    Urn,
    /// A value that is none of the above, kept as written.
    Other,
}

impl Scheme {
    /// ONIX code list 5 value for `identifier-type`, as pandoc writes it.
    pub fn onix_code(self) -> Option<&'static str> {
        match self {
            Scheme::Isbn10 => Some("02"),
            Scheme::Isbn13 => Some("15"),
            Scheme::Doi => Some("06"),
            Scheme::Urn => Some("22"),
            Scheme::Uuid | Scheme::Other => None,
        }
    }
}

/// A validated identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identifier {
    pub value: String,
    pub scheme: Scheme,
}

impl Identifier {
    /// Parses `value`, with the scheme the user named (`ISBN`, `DOI`, `UUID`, `URN`) or, when
    /// none is named, the scheme its form shows.
    pub fn parse(value: &str, scheme: Option<&str>) -> Result<Self> {
        let value = value.trim();
        if value.is_empty() {
            bail!("the identifier is empty");
        }
        let lower = value.to_ascii_lowercase();
        let named = scheme.map(|s| s.trim().to_ascii_lowercase());
        match named.as_deref() {
            Some("isbn" | "isbn-10" | "isbn-13" | "isbn10" | "isbn13") => isbn(value),
            Some("doi") => doi(value),
            Some("uuid") => uuid(value),
            Some("urn") => urn(value),
            Some(other) => bail!(
                "unknown identifier scheme `{other}` (expected ISBN, DOI, UUID or URN, or no \
                 scheme)"
            ),
            None if lower.starts_with("urn:isbn:") || lower.starts_with("isbn:") => isbn(value),
            None if lower.starts_with("urn:doi:")
                || lower.starts_with("doi:")
                || lower.starts_with("10.")
                || lower.starts_with("https://doi.org/") =>
            {
                doi(value)
            }
            None if lower.starts_with("urn:uuid:") => uuid(value),
            None if lower.starts_with("urn:") => urn(value),
            None if looks_like_isbn(value) => isbn(value),
            None if uuid::Uuid::try_parse(value).is_ok() => uuid(value),
            None => Ok(Self {
                value: value.to_string(),
                scheme: Scheme::Other,
            }),
        }
    }
}

fn strip_prefix_ci<'a>(value: &'a str, prefixes: &[&str]) -> &'a str {
    for p in prefixes {
        if let Some(head) = value.get(..p.len())
            && head.eq_ignore_ascii_case(p)
        {
            return &value[p.len()..];
        }
    }
    value
}

fn looks_like_isbn(value: &str) -> bool {
    let compact: String = value.chars().filter(|c| !matches!(c, '-' | ' ')).collect();
    matches!(compact.len(), 10 | 13)
        && compact
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == 9 && compact.len() == 10 && c == 'X'))
}

fn isbn(value: &str) -> Result<Identifier> {
    let bare = strip_prefix_ci(value, &["urn:isbn:", "isbn:", "isbn "]);
    let compact: String = bare
        .chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if !compact.is_ascii() {
        bail!("`{value}` is not an ISBN: expected 10 or 13 digits, e.g. 978-0-306-40615-7");
    }
    let scheme = match compact.len() {
        13 if compact.chars().all(|c| c.is_ascii_digit()) => {
            let sum: u32 = compact
                .bytes()
                .enumerate()
                .map(|(i, b)| u32::from(b - b'0') * if i % 2 == 0 { 1 } else { 3 })
                .sum();
            if !sum.is_multiple_of(10) {
                bail!("`{value}` is not a valid ISBN-13: its check digit is wrong");
            }
            Scheme::Isbn13
        }
        10 if compact[..9].chars().all(|c| c.is_ascii_digit())
            && compact[9..].chars().all(|c| c.is_ascii_digit() || c == 'X') =>
        {
            let sum: u32 = compact
                .bytes()
                .enumerate()
                .map(|(i, b)| {
                    let d = if b == b'X' { 10 } else { u32::from(b - b'0') };
                    d * (10 - i as u32)
                })
                .sum();
            if !sum.is_multiple_of(11) {
                bail!("`{value}` is not a valid ISBN-10: its check digit is wrong");
            }
            Scheme::Isbn10
        }
        _ => bail!("`{value}` is not an ISBN: expected 10 or 13 digits, e.g. 978-0-306-40615-7"),
    };
    Ok(Identifier {
        value: format!("urn:isbn:{compact}"),
        scheme,
    })
}

fn doi(value: &str) -> Result<Identifier> {
    let bare = strip_prefix_ci(
        value,
        &["urn:doi:", "doi:", "https://doi.org/", "http://doi.org/"],
    );
    let well_formed = bare.starts_with("10.")
        && bare.split_once('/').is_some_and(|(prefix, suffix)| {
            prefix.len() > 3
                && prefix[3..].chars().all(|c| c.is_ascii_digit() || c == '.')
                && !suffix.is_empty()
                && !suffix.chars().any(char::is_whitespace)
        });
    if !well_formed {
        bail!("`{value}` is not a DOI: expected `10.<registrant>/<suffix>`, e.g. 10.1000/182");
    }
    Ok(Identifier {
        value: format!("urn:doi:{bare}"),
        scheme: Scheme::Doi,
    })
}

fn uuid(value: &str) -> Result<Identifier> {
    let bare = strip_prefix_ci(value, &["urn:uuid:"]);
    match uuid::Uuid::try_parse(bare) {
        Ok(u) => Ok(Identifier {
            value: format!("urn:uuid:{}", u.hyphenated()),
            scheme: Scheme::Uuid,
        }),
        Err(_) => bail!(
            "`{value}` is not a UUID: expected e.g. `urn:uuid:0b3c9d9a-6f1e-5a3c-9c1e-4f2b8a7d6e5f`"
        ),
    }
}

fn urn(value: &str) -> Result<Identifier> {
    let ok = value
        .get(..4)
        .is_some_and(|h| h.eq_ignore_ascii_case("urn:"))
        && value[4..].split_once(':').is_some_and(|(nid, nss)| {
            (1..=32).contains(&nid.len())
                && nid.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !nss.is_empty()
                && !nss.chars().any(char::is_whitespace)
        });
    if !ok {
        bail!("`{value}` is not a URN: expected `urn:<namespace>:<name>`");
    }
    let lower = value.to_ascii_lowercase();
    if lower.starts_with("urn:isbn:") {
        return isbn(value);
    }
    if lower.starts_with("urn:uuid:") {
        return uuid(value);
    }
    if lower.starts_with("urn:doi:") {
        return doi(value);
    }
    Ok(Identifier {
        value: value.to_string(),
        scheme: Scheme::Urn,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn isbns_are_checked_and_normalised() {
        let id = Identifier::parse("978-0-306-40615-7", None).unwrap();
        assert_eq!(id.value, "urn:isbn:9780306406157");
        assert_eq!(id.scheme, Scheme::Isbn13);
        let id = Identifier::parse("0-8044-2957-x", Some("ISBN")).unwrap();
        assert_eq!(id.value, "urn:isbn:080442957X");
        assert_eq!(id.scheme, Scheme::Isbn10);
        let err = Identifier::parse("978-0-306-40615-8", Some("isbn"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("check digit"), "{err}");
        assert!(Identifier::parse("urn:isbn:12345", None).is_err());
    }

    #[test]
    fn dois_uuids_and_urns() {
        assert_eq!(
            Identifier::parse("https://doi.org/10.1000/182", None)
                .unwrap()
                .value,
            "urn:doi:10.1000/182"
        );
        assert!(Identifier::parse("11.1000/182", Some("DOI")).is_err());
        let u = Identifier::parse("0B3C9D9A-6F1E-5A3C-9C1E-4F2B8A7D6E5F", None).unwrap();
        assert_eq!(u.value, "urn:uuid:0b3c9d9a-6f1e-5a3c-9c1e-4f2b8a7d6e5f");
        assert_eq!(
            Identifier::parse("urn:nbn:de:101-2024", None)
                .unwrap()
                .scheme,
            Scheme::Urn
        );
        assert!(Identifier::parse("not a urn", Some("URN")).is_err());
        assert_eq!(
            Identifier::parse("house-id-42", None).unwrap().scheme,
            Scheme::Other
        );
        assert!(Identifier::parse("x", Some("ASIN")).is_err());
    }
}
