//! `book.toml` at the project root: the same keys as front matter (so a book's metadata can
//! live outside its chapters), plus `chapters = [...]` for the reading order.

use std::fs;
use std::path::Path;

use anyhow::Result;

use super::keys::{self, Source};
use super::layer::Layer;
use super::tree;
use crate::diag::Diagnostics;
use crate::{limits, paths};

pub const CONFIG_FILE: &str = "book.toml";

/// Reads `<root>/book.toml` when there is one.
pub fn read(root: &Path, diags: &Diagnostics) -> Result<Option<Layer>> {
    let path = root.join(CONFIG_FILE);
    if fs::symlink_metadata(&path).is_err() {
        return Ok(None);
    }
    // A book.toml symlinked from outside the project is refused like any other input.
    paths::inside_root(root, root, &path).map_err(|e| anyhow::anyhow!("{CONFIG_FILE}: {e}"))?;
    let bytes = limits::read_input(&path, "book.toml", limits::METADATA_BYTES)?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: not valid UTF-8", path.display()))?;
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(&text)
        .replace("\r\n", "\n");
    let node = tree::parse_toml(&text).map_err(|e| tree::located(e, &path, 0, "not valid TOML"))?;
    let layer = keys::read_layer(
        &node,
        &Source::File {
            path: &path,
            line_offset: 0,
        },
        diags,
    )?;
    Ok(Some(layer))
}
