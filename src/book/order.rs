//! The reading order of a many-file manuscript given by `chapters = [...]` (in `book.toml`
//! or front matter): every entry must exist inside the project, and files left out are
//! reported.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

use super::layer::At;
use crate::diag::{Diagnostics, Location};
use crate::limits;

/// The files `order` lists, relative to the manuscript folder `dir`. `found` are the
/// Markdown files in `dir`; a listed file that is one of them is returned as that path.
pub fn listed(
    dir: &Path,
    root: &Path,
    order: &At<Vec<String>>,
    found: &[PathBuf],
    diags: &Diagnostics,
) -> Result<Vec<PathBuf>> {
    if order.value.is_empty() {
        bail!(
            "{}: `chapters` is empty; list the manuscript files in reading order",
            order.origin
        );
    }
    if order.value.len() > limits::MARKDOWN_FILES {
        bail!(
            "{}: `chapters` lists {} files; a book may have at most {}",
            order.origin,
            order.value.len(),
            limits::MARKDOWN_FILES
        );
    }
    let root_real = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let found_real: Vec<Option<PathBuf>> = found.iter().map(|f| f.canonicalize().ok()).collect();
    // Maps and sets, not searches: a book of thousands of chapters stays linear.
    let mut found_at: HashMap<&PathBuf, usize> = HashMap::new();
    for (i, real) in found_real.iter().enumerate() {
        if let Some(real) = real {
            found_at.entry(real).or_insert(i);
        }
    }
    let mut out: Vec<PathBuf> = Vec::with_capacity(order.value.len());
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for entry in &order.value {
        crate::paths::refuse_url(entry)
            .map_err(|e| anyhow::anyhow!("{}: `chapters`: {e}", order.origin))?;
        let path = dir.join(entry);
        let Ok(real) = path.canonicalize() else {
            bail!(
                "{}: `chapters`: `{entry}` does not exist in `{}`",
                order.origin,
                dir.display()
            );
        };
        if !real.starts_with(&root_real) || !real.is_file() {
            bail!(
                "{}: `chapters`: `{entry}` is not a file inside the project folder `{}`",
                order.origin,
                root.display()
            );
        }
        if seen.contains(&real) {
            bail!("{}: `chapters`: `{entry}` is listed twice", order.origin);
        }
        let known = found_at.get(&real).copied();
        out.push(known.map_or(path, |i| found[i].clone()));
        seen.insert(real);
    }
    for (file, real) in found.iter().zip(&found_real) {
        if real.as_ref().is_some_and(|r| !seen.contains(r)) {
            diags.warn(
                order.origin.location().or(Some(Location::new(file, None))),
                format!(
                    "`{}` is not listed in `chapters` and is left out of the book",
                    file.display()
                ),
            );
        }
    }
    Ok(out)
}
