//! The final pass over epub-builder's zip: replaces the documents we write ourselves and
//! copies everything else as it is (compressed bytes untouched, fixed 1980 timestamps, same
//! order), so the result is valid and byte-for-byte reproducible.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use anyhow::{Context, Result};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Reads one entry of an EPUB in memory as text.
pub fn read_entry(epub: &[u8], name: &str) -> Result<String> {
    let mut archive = ZipArchive::new(Cursor::new(epub)).context("reopening the EPUB")?;
    let mut file = archive
        .by_name(name)
        .with_context(|| format!("the EPUB has no `{name}`"))?;
    let mut text = String::new();
    file.read_to_string(&mut text)
        .with_context(|| format!("reading `{name}`"))?;
    Ok(text)
}

/// Copies `epub`, replacing the entries named in `replace`.
pub fn rewrite(epub: &[u8], replace: &BTreeMap<&str, Vec<u8>>) -> Result<Vec<u8>> {
    let mut archive = ZipArchive::new(Cursor::new(epub)).context("reopening the EPUB")?;
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(epub.len() + 4096)));
    // Without zip's `time` feature the default modification time is 1980-01-01 00:00.
    let deflated = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).context("reading the EPUB")?;
        let name = entry.name().to_string();
        match replace.get(name.as_str()) {
            Some(bytes) => {
                drop(entry);
                out.start_file(name.as_str(), deflated)
                    .with_context(|| format!("writing `{name}`"))?;
                out.write_all(bytes)
                    .with_context(|| format!("writing `{name}`"))?;
            }
            None => out
                .raw_copy_file(entry)
                .with_context(|| format!("copying `{name}`"))?,
        }
    }
    let cursor = out.finish().context("finishing the EPUB")?;
    Ok(cursor.into_inner())
}
