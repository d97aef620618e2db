//! The merged metadata layers turned into one [`Metadata`]: defaults filled in (title,
//! language, a stable identifier, `dcterms:modified`), paths resolved inside the project
//! root, and rules that span keys checked (a conformance claim needs a certifier).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::identifier::Scheme;
use super::lang::Lang;
use super::layer::{At, Layer};
use super::metadata::{Accessibility, Collection, Metadata};
use crate::diag::{Diagnostics, Location};

/// Builds the book's metadata. `first_file` names the manuscript file messages about
/// missing keys point at.
pub fn metadata(
    layer: Layer,
    root: &Path,
    first_file: &Path,
    source_date_epoch: Option<i64>,
    diags: &Diagnostics,
) -> Result<Metadata> {
    let at_start = || Some(Location::new(first_file, Some(1)));
    let title = match layer.title.map(|t| t.value).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => {
            let stem = first_file
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_else(|| "Untitled".into());
            diags.warn(
                at_start(),
                format!("no `title` in the metadata; using `{stem}`"),
            );
            stem
        }
    };
    let lang = match layer.lang {
        Some(l) => l.value,
        None => {
            diags.warn(at_start(), "no `lang` in the metadata; assuming `en`");
            Lang::parse("en")?
        }
    };
    let date = layer.date.map(|d| d.value);
    let mut identifiers = layer.identifiers.map(|i| i.value).unwrap_or_default();
    let (identifier, identifier_scheme) = if identifiers.is_empty() {
        // Derived from what names the book, so every build of it carries the same one.
        let seed = format!(
            "inkbind\n{title}\n{}",
            date.map(|d| d.to_string()).unwrap_or_default()
        );
        (
            format!(
                "urn:uuid:{}",
                Uuid::new_v5(&Uuid::NAMESPACE_URL, seed.as_bytes())
            ),
            Scheme::Uuid,
        )
    } else {
        let first = identifiers.remove(0);
        (first.value, first.scheme)
    };
    let modified = match source_date_epoch {
        Some(secs) => DateTime::<Utc>::from_timestamp(secs, 0)
            .ok_or_else(|| anyhow!("SOURCE_DATE_EPOCH `{secs}` is out of range"))?,
        // Derived from the inputs, never from the clock, so that rebuilding gives the same bytes.
        None => date
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(1980, 1, 1).unwrap_or_default())
            .and_hms_opt(0, 0, 0)
            .unwrap_or_default()
            .and_utc(),
    };
    let collection = match layer.collection {
        Some(c) => Some(Collection {
            name: c.value.name,
            kind: c
                .value
                .kind
                .or(layer.collection_type.map(|t| t.value))
                .unwrap_or_else(|| "series".into()),
            position: c.value.position.or(layer.group_position.map(|p| p.value)),
        }),
        None => {
            for stray in [&layer.collection_type, &layer.group_position]
                .into_iter()
                .flatten()
            {
                diags.warn(
                    stray.origin.location(),
                    "`collection-type`/`group-position` without `series` or \
                     `belongs-to-collection` is ignored",
                );
            }
            None
        }
    };
    let cover_image = layer
        .cover_image
        .map(|c| inside_root(root, &c, "cover-image"))
        .transpose()?;
    let css = match layer.css {
        Some(list) => list
            .value
            .iter()
            .map(|p| {
                inside_root(
                    root,
                    &At {
                        value: p.clone(),
                        origin: list.origin.clone(),
                    },
                    "css",
                )
            })
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let a = layer.accessibility;
    let conforms_to = a
        .conforms_to
        .as_ref()
        .map(|c| c.value.clone())
        .unwrap_or_default();
    if let Some(claim) = &a.conforms_to
        && !claim.value.is_empty()
        && a.certified_by.is_none()
    {
        bail!(
            "{}: `accessibility.conforms-to` needs `accessibility.certified-by`: a conformance \
             claim must name who evaluated the book (it may be the publisher)",
            claim.origin
        );
    }
    let hazards = a.hazards.map(|h| h.value).unwrap_or_default();
    if hazards.len() > 1
        && let Some(none) = hazards.iter().find(|h| *h == "none" || *h == "unknown")
    {
        bail!("accessibility hazard `{none}` cannot be combined with other hazards");
    }
    Ok(Metadata {
        title,
        subtitle: layer.subtitle.map(|s| s.value).filter(|s| !s.is_empty()),
        creators: layer.creators.map(|c| c.value).unwrap_or_default(),
        contributors: layer.contributors.map(|c| c.value).unwrap_or_default(),
        lang,
        date,
        identifier,
        identifier_scheme,
        other_identifiers: identifiers,
        publisher: value(layer.publisher),
        rights: value(layer.rights),
        description: value(layer.description),
        subjects: layer.subjects.map(|s| s.value).unwrap_or_default(),
        collection,
        image_credit: value(layer.image_credit),
        image_credit_label: value(layer.image_credit_label),
        credits: layer.credits.map(|c| c.value).unwrap_or_default(),
        toc_title: value(layer.toc_title),
        cover_image,
        css,
        accessibility: Accessibility {
            hazards,
            summary: value(a.summary),
            conforms_to,
            certified_by: value(a.certified_by),
            certifier_credential: value(a.certifier_credential),
            certifier_report: value(a.certifier_report),
            exemption: value(a.exemption),
        },
        modified,
    })
}

fn value(v: Option<At<String>>) -> Option<String> {
    v.map(|v| v.value).filter(|v| !v.is_empty())
}

/// Resolves `path` against the project root; it must exist and stay inside the root.
pub fn inside_root(root: &Path, path: &At<String>, key: &str) -> Result<PathBuf> {
    crate::paths::refuse_url(&path.value).map_err(|e| anyhow!("{}: `{key}`: {e}", path.origin))?;
    let wanted = root.join(&path.value);
    let root_real = root
        .canonicalize()
        .with_context(|| format!("resolving the project folder `{}`", root.display()))?;
    let real = wanted.canonicalize().map_err(|_| {
        anyhow!(
            "{}: `{key}`: `{}` does not exist (paths are relative to the project folder `{}`)",
            path.origin,
            path.value,
            root.display()
        )
    })?;
    if !real.starts_with(&root_real) {
        bail!(
            "{}: `{key}`: `{}` is outside the project folder `{}`; refusing to read it",
            path.origin,
            path.value,
            root.display()
        );
    }
    if !real.is_file() {
        bail!("{}: `{key}`: `{}` is not a file", path.origin, path.value);
    }
    Ok(real)
}
