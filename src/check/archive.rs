//! The container layer: the ZIP itself, `mimetype`, `META-INF/container.xml`, file names,
//! and reading entries as text or XML with findings for what cannot be read.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use zip::{CompressionMethod, ZipArchive};

use super::rules::{self, Rule};
use super::{Pos, Sink};

/// At most this much of any one entry is read (a ZIP bomb must not exhaust memory).
const MAX_ENTRY: u64 = crate::limits::CHECK_ENTRY_BYTES;
/// Entries past this many unpacked bytes in all are not read.
const MAX_TOTAL: u64 = crate::limits::CHECK_TOTAL_BYTES;

const CONTAINER: &str = "META-INF/container.xml";
const CONTAINER_NS: &str = "urn:oasis:names:tc:opendocument:xmlns:container";

/// The EPUB's files in memory.
pub(crate) struct Archive {
    /// Entry names in ZIP order (directories left out).
    pub names: Vec<String>,
    pub files: HashMap<String, Vec<u8>>,
    /// The package document named by container.xml.
    pub rootfile: Option<String>,
}

impl Archive {
    /// An entry's text, or a finding when it is not UTF-8.
    pub fn text(&self, name: &str, sink: &mut Sink) -> Option<&str> {
        let bytes = self.files.get(name)?;
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(t) => Some(t),
            Err(e) => {
                sink.add(
                    &rules::NOT_UTF8,
                    name,
                    None,
                    format!("not valid UTF-8 at byte {}", e.valid_up_to()),
                );
                None
            }
        }
    }
}

/// Parses `text` as XML, reporting where it is malformed.
pub(crate) fn parse_xml<'a>(
    name: &str,
    text: &'a str,
    sink: &mut Sink,
) -> Option<roxmltree::Document<'a>> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    match roxmltree::Document::parse_with_options(text, opts) {
        Ok(doc) => Some(doc),
        Err(e) => {
            let p = e.pos();
            // Once per document, so its line may be counted from the top.
            let pos = Pos {
                line: p.row as usize,
                column: p.col as usize,
                line_start: None,
            };
            sink.add(
                &rules::XML_MALFORMED,
                name,
                Some((pos, text)),
                format!("not well-formed XML: {e}"),
            );
            None
        }
    }
}

/// Where a document's lines start, so that a position costs a binary search rather than
/// a scan from the top (roxmltree's `text_pos_at` scans, which made checking a long
/// single-file book quadratic).
pub(crate) struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { text, starts }
    }

    /// The line and column of byte `offset`, counted as roxmltree counts them (lines end
    /// at `\n`, columns are characters, both from 1).
    pub fn pos(&self, offset: usize) -> Pos {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        Pos {
            line,
            column: self.text[start..offset].chars().count() + 1,
            line_start: Some(start),
        }
    }
}

/// The line and column of byte `offset` in a parsed document, for a one-off lookup.
pub(crate) fn pos_of(doc: &roxmltree::Document<'_>, offset: usize) -> Pos {
    Lines::new(doc.input_text()).pos(offset)
}

/// Opens the ZIP, applies the container rules and finds the package document.
pub(crate) fn open(bytes: &[u8], sink: &mut Sink) -> Option<Archive> {
    let mut zip = match ZipArchive::new(Cursor::new(bytes)) {
        Ok(z) => z,
        Err(e) => {
            sink.add(
                &rules::NOT_A_ZIP,
                "",
                None,
                format!("cannot open the ZIP: {e}"),
            );
            return None;
        }
    };
    let mut archive = Archive {
        names: Vec::with_capacity(zip.len()),
        files: HashMap::with_capacity(zip.len()),
        rootfile: None,
    };
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        if total > MAX_TOTAL {
            sink.add(
                &rules::NOT_A_ZIP,
                "",
                None,
                format!(
                    "the ZIP unpacks to more than {}; entries from {} on are not read",
                    crate::limits::human(MAX_TOTAL),
                    i + 1
                ),
            );
            break;
        }
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                sink.add(&rules::NOT_A_ZIP, "", None, format!("entry {i}: {e}"));
                continue;
            }
        };
        let name = entry.name().to_string();
        if entry.is_dir() {
            continue;
        }
        if i == 0 && name == "mimetype" && entry.compression() != CompressionMethod::Stored {
            sink.add(
                &rules::MIMETYPE_STORED,
                "mimetype",
                None,
                "`mimetype` is compressed",
            );
        }
        let mut data = Vec::with_capacity(entry.size().min(MAX_ENTRY) as usize);
        if let Err(e) = (&mut entry).take(MAX_ENTRY + 1).read_to_end(&mut data) {
            sink.add(&rules::NOT_A_ZIP, &name, None, format!("cannot read: {e}"));
            continue;
        }
        if data.len() as u64 > MAX_ENTRY {
            data.truncate(MAX_ENTRY as usize);
            sink.add(
                &rules::NOT_A_ZIP,
                &name,
                None,
                format!(
                    "unpacks to more than {}; only that much is read",
                    crate::limits::human(MAX_ENTRY)
                ),
            );
        }
        total += data.len() as u64;
        check_name(&name, sink);
        archive.files.insert(name.clone(), data);
        archive.names.push(name);
    }
    // The zip crate keeps one entry per name, so a path stored twice is only visible in
    // the central directory itself.
    for name in duplicate_names(bytes) {
        sink.add(
            &rules::DUPLICATE_ENTRY,
            &name,
            None,
            "the ZIP holds this path twice",
        );
    }
    check_mimetype(&archive, sink);
    archive.rootfile = rootfile(&archive, sink);
    Some(archive)
}

/// Names the ZIP's central directory lists more than once, in the order they repeat. Reads
/// the records directly (end-of-directory record, then each file header); a ZIP64 or
/// damaged directory gives nothing here (the zip crate reports damage when it opens it).
fn duplicate_names(bytes: &[u8]) -> Vec<String> {
    let u16_at = |at: usize| -> Option<usize> {
        Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as usize)
    };
    let u32_at = |at: usize| -> Option<usize> {
        Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
    };
    // The end record is 22 bytes plus a comment of at most 64 KiB, at the very end.
    let earliest = bytes.len().saturating_sub(22 + 0xFFFF);
    let Some(end) = (earliest..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))
    else {
        return Vec::new();
    };
    let (Some(count), Some(mut at)) = (u16_at(end + 10), u32_at(end + 16)) else {
        return Vec::new();
    };
    let mut seen = std::collections::HashSet::new();
    let mut repeated = Vec::new();
    for _ in 0..count {
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02".as_slice()) {
            break;
        }
        let (Some(name_len), Some(extra_len), Some(comment_len)) =
            (u16_at(at + 28), u16_at(at + 30), u16_at(at + 32))
        else {
            break;
        };
        let Some(name) = bytes.get(at + 46..at + 46 + name_len) else {
            break;
        };
        let name = String::from_utf8_lossy(name).into_owned();
        if !seen.insert(name.clone()) && !repeated.contains(&name) {
            repeated.push(name);
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    repeated
}

fn check_mimetype(archive: &Archive, sink: &mut Sink) {
    match archive.files.get("mimetype") {
        None => sink.add(
            &rules::MIMETYPE_FIRST,
            "mimetype",
            None,
            "the EPUB has no `mimetype` entry",
        ),
        Some(content) => {
            if archive.names.first().map(String::as_str) != Some("mimetype") {
                sink.add(
                    &rules::MIMETYPE_FIRST,
                    "mimetype",
                    None,
                    "`mimetype` is not the first entry of the ZIP",
                );
            }
            if content != b"application/epub+zip" {
                sink.add(
                    &rules::MIMETYPE_CONTENT,
                    "mimetype",
                    None,
                    format!(
                        "`mimetype` holds `{}`",
                        String::from_utf8_lossy(content).escape_debug()
                    ),
                );
            }
        }
    }
}

/// Spaces and characters outside a safe ASCII set break some reading systems.
fn check_name(name: &str, sink: &mut Sink) {
    let safe = |c: char| c.is_ascii_alphanumeric() || "-_./~+".contains(c);
    if let Some(bad) = name.chars().find(|&c| !safe(c)) {
        sink.add(
            &rules::FILE_NAME,
            name,
            None,
            format!("file name contains `{}`", bad.escape_debug()),
        );
    }
}

fn rootfile(archive: &Archive, sink: &mut Sink) -> Option<String> {
    if !archive.files.contains_key(CONTAINER) {
        sink.add(
            &rules::CONTAINER_MISSING,
            CONTAINER,
            None,
            "the EPUB has no META-INF/container.xml",
        );
        return None;
    }
    let text = archive.text(CONTAINER, sink)?;
    let doc = parse_xml(CONTAINER, text, sink)?;
    let missing = |sink: &mut Sink, rule: &Rule, msg: String| {
        sink.add(rule, CONTAINER, None, msg);
        None
    };
    let Some(node) = doc
        .descendants()
        .find(|n| n.has_tag_name((CONTAINER_NS, "rootfile")))
    else {
        return missing(
            sink,
            &rules::CONTAINER_ROOTFILE,
            "container.xml names no <rootfile>".into(),
        );
    };
    let at = Some((pos_of(&doc, node.range().start), text));
    let Some(path) = node.attribute("full-path") else {
        sink.add(
            &rules::CONTAINER_ROOTFILE,
            CONTAINER,
            at,
            "<rootfile> has no full-path",
        );
        return None;
    };
    if !archive.files.contains_key(path) {
        sink.add(
            &rules::CONTAINER_ROOTFILE,
            CONTAINER,
            at,
            format!("the package document `{path}` is not in the ZIP"),
        );
        return None;
    }
    Some(path.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_match_roxmltree() {
        let text = "<?xml version=\"1.0\"?>\n<a>\n  <b x=\"é\">ü</b><c/>\n\n<d>日本</d></a>";
        let doc = roxmltree::Document::parse(text).unwrap();
        let lines = Lines::new(text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            let want = doc.text_pos_at(offset);
            let got = lines.pos(offset);
            assert_eq!(
                (got.line, got.column),
                (want.row as usize, want.col as usize),
                "offset {offset}"
            );
        }
        assert_eq!(lines.pos(text.len() + 10).line, 5);
    }
}
