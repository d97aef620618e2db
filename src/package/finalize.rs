//! The final pass over epub-builder's zip. epub-builder gets empty placeholders for the
//! large files (chapters, images, fonts) and writes the small ones; here its zip is copied
//! entry by entry, raw (no recompression), with the placeholders and the documents we
//! write ourselves put in. Chapters are deflated in parallel; images and fonts, already
//! compressed, are stored. Every entry keeps zip's fixed 1980-01-01 date, so the bytes are
//! reproducible.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use anyhow::{Context, Result, anyhow};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// Content to put at one path of the EPUB.
pub struct Entry<'a> {
    pub bytes: &'a [u8],
    /// Deflate (text) or store (already-compressed images and fonts).
    pub deflate: bool,
}

/// Below this many bytes of text a second thread costs more than it saves.
const PARALLEL_THRESHOLD: usize = 256 * 1024;

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

/// Copies `epub`, putting `replace`'s content at the paths it names (which must exist).
pub fn rewrite(epub: &[u8], replace: &BTreeMap<String, Entry<'_>>) -> Result<Vec<u8>> {
    let deflated = deflate_all(replace)?;
    let mut archive = ZipArchive::new(Cursor::new(epub)).context("reopening the EPUB")?;
    let total: usize = replace.values().map(|e| e.bytes.len()).sum();
    let mut out = ZipWriter::new(Cursor::new(Vec::with_capacity(epub.len() + total / 2)));
    let stored = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let mut replaced = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).context("reading the EPUB")?;
        let name = entry.name().to_string();
        if let Some(zipped) = deflated.get(name.as_str()) {
            drop(entry);
            let mut single = ZipArchive::new(Cursor::new(zipped.as_slice()))?;
            out.raw_copy_file(single.by_index_raw(0)?)
                .with_context(|| format!("writing `{name}`"))?;
            replaced += 1;
        } else if let Some(content) = replace.get(&name) {
            drop(entry);
            out.start_file(name.as_str(), stored)
                .and_then(|()| out.write_all(content.bytes).map_err(Into::into))
                .with_context(|| format!("writing `{name}`"))?;
            replaced += 1;
        } else {
            out.raw_copy_file(entry)
                .with_context(|| format!("copying `{name}`"))?;
        }
    }
    if replaced != replace.len() {
        return Err(anyhow!(
            "epub-builder left out {} file(s) the package pass expected",
            replace.len() - replaced
        ));
    }
    Ok(out.finish().context("finishing the EPUB")?.into_inner())
}

/// Deflates every text entry into a one-entry zip of its own, on as many threads as pay.
fn deflate_all<'a>(replace: &'a BTreeMap<String, Entry<'_>>) -> Result<BTreeMap<&'a str, Vec<u8>>> {
    let jobs: Vec<(&str, &[u8])> = replace
        .iter()
        .filter(|(_, e)| e.deflate)
        .map(|(name, e)| (name.as_str(), e.bytes))
        .collect();
    let total: usize = jobs.iter().map(|(_, b)| b.len()).sum();
    let threads = if total < PARALLEL_THRESHOLD {
        1
    } else {
        std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(jobs.len())
            .max(1)
    };
    // Deal the jobs out round-robin by size so each thread gets a similar share.
    let mut order: Vec<usize> = (0..jobs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(jobs[i].1.len()));
    let mut shares: Vec<Vec<usize>> = vec![Vec::new(); threads];
    for (n, i) in order.into_iter().enumerate() {
        shares[n % threads].push(i);
    }
    // Each thread returns (job index, one-entry zip) pairs for its share.
    type Share = Result<Vec<(usize, Vec<u8>)>>;
    let run = |share: &Vec<usize>| -> Share {
        share
            .iter()
            .map(|&i| deflate_one(jobs[i].0, jobs[i].1).map(|z| (i, z)))
            .collect()
    };
    let results: Vec<Share> = if threads == 1 {
        shares.iter().map(run).collect()
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = shares
                .iter()
                .map(|share| scope.spawn(|| run(share)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow!("a compression thread panicked")))
                })
                .collect()
        })
    };
    let mut out = BTreeMap::new();
    for share in results {
        for (i, zipped) in share? {
            out.insert(jobs[i].0, zipped);
        }
    }
    Ok(out)
}

fn deflate_one(name: &str, bytes: &[u8]) -> Result<Vec<u8>> {
    let mut zip = ZipWriter::new(Cursor::new(Vec::with_capacity(bytes.len() / 3 + 256)));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Deflated);
    zip.start_file(name, options)
        .and_then(|()| zip.write_all(bytes).map_err(Into::into))
        .with_context(|| format!("compressing `{name}`"))?;
    Ok(zip.finish()?.into_inner())
}
