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
            let pos = Pos {
                line: p.row as usize,
                column: p.col as usize,
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
        if archive.files.insert(name.clone(), data).is_some() {
            sink.add(
                &rules::DUPLICATE_ENTRY,
                &name,
                None,
                "the ZIP holds this path twice",
            );
        } else {
            archive.names.push(name);
        }
    }
    check_mimetype(&archive, sink);
    archive.rootfile = rootfile(&archive, sink);
    Some(archive)
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
