//! A small valid EPUB 3 written entry by entry with the `zip` crate, and edits that break
//! it in one precise way each, so every check rule can be shown to fire (and EPUBCheck
//! asked for its opinion on the same bytes).
#![allow(dead_code)]

use std::io::{Cursor, Write};
use std::path::{Path, PathBuf};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

pub const UID: &str = "urn:uuid:12345678-1234-5678-1234-567812345678";

pub struct Entry {
    pub name: String,
    pub bytes: Vec<u8>,
    pub stored: bool,
}

pub struct Book {
    pub entries: Vec<Entry>,
    /// Byte strings replaced in the finished ZIP (same length), for what the `zip` crate
    /// refuses to write, such as one name stored twice.
    pub patches: Vec<(&'static str, &'static str)>,
}

pub const OPF: &str = "EPUB/package.opf";
pub const NAV: &str = "EPUB/nav.xhtml";
pub const CH1: &str = "EPUB/ch1.xhtml";
pub const CH2: &str = "EPUB/ch2.xhtml";
pub const NCX: &str = "EPUB/toc.ncx";
pub const CSS: &str = "EPUB/style.css";

fn xhtml(title: &str, body: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!DOCTYPE html>\n\
         <html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"en\" xml:lang=\"en\">\n\
         <head>\n<meta charset=\"utf-8\"/>\n<title>{title}</title>\n\
         <link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n\
         <body>\n{body}\n</body>\n</html>\n"
    )
}

/// A real 24×16 PNG.
pub fn png() -> Vec<u8> {
    let img = image::RgbImage::from_fn(24, 16, |x, y| image::Rgb([x as u8 * 10, y as u8 * 12, 90]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("png");
    out.into_inner()
}

/// A small lossless WebP.
pub fn webp() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(8, 8, |_, _| image::Rgba([200, 10, 10, 255]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::WebP)
        .expect("webp");
    out.into_inner()
}

impl Book {
    /// A book every rule (and every target) accepts.
    pub fn valid() -> Book {
        let opf = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="uid" xml:lang="en">
<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:identifier id="uid">{UID}</dc:identifier>
<dc:title>Fixture</dc:title>
<dc:language>en</dc:language>
<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>
<meta property="schema:accessMode">textual</meta>
<meta property="schema:accessMode">visual</meta>
<meta property="schema:accessibilityFeature">structuralNavigation</meta>
<meta property="schema:accessibilityHazard">none</meta>
<meta property="schema:accessibilitySummary">A small book for tests.</meta>
<meta name="cover" content="cover"/>
</metadata>
<manifest>
<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
<item id="css" href="style.css" media-type="text/css"/>
<item id="cover" href="cover.png" media-type="image/png" properties="cover-image"/>
<item id="ch1" href="ch1.xhtml" media-type="application/xhtml+xml"/>
<item id="ch2" href="ch2.xhtml" media-type="application/xhtml+xml"/>
</manifest>
<spine toc="ncx">
<itemref idref="ch1"/>
<itemref idref="ch2"/>
</spine>
</package>
"#
        );
        let nav = xhtml(
            "Contents",
            "<nav epub:type=\"toc\" id=\"toc\"><h1>Contents</h1>\n<ol>\n\
             <li><a href=\"ch1.xhtml\">One</a></li>\n\
             <li><a href=\"ch2.xhtml#sec\">Two</a></li>\n</ol>\n</nav>\n\
             <nav epub:type=\"landmarks\" hidden=\"\"><h2>Landmarks</h2><ol>\n\
             <li><a epub:type=\"bodymatter\" href=\"ch1.xhtml\">Start</a></li>\n</ol></nav>",
        );
        let ch1 = xhtml(
            "One",
            "<section epub:type=\"chapter\">\n<h1>One</h1>\n\
             <p>See <a href=\"ch2.xhtml#sec\">the second chapter</a>.</p>\n\
             <figure><img src=\"cover.png\" alt=\"A small coloured square\"/></figure>\n</section>",
        );
        let sentence = "The quick brown fox jumps over the lazy dog, and then it rests a while. ";
        let ch2 = xhtml(
            "Two",
            &format!(
                "<section epub:type=\"chapter\">\n<h1 id=\"sec\">Two</h1>\n<p id=\"p1\">{}</p>\n</section>",
                sentence.repeat(70)
            ),
        );
        let ncx = format!(
            r#"<?xml version="1.0" encoding="utf-8"?>
<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
<head><meta name="dtb:uid" content="{UID}"/></head>
<docTitle><text>Fixture</text></docTitle>
<navMap>
<navPoint id="p1" playOrder="1"><navLabel><text>One</text></navLabel><content src="ch1.xhtml"/></navPoint>
<navPoint id="p2" playOrder="2"><navLabel><text>Two</text></navLabel><content src="ch2.xhtml#sec"/></navPoint>
</navMap>
</ncx>
"#
        );
        let container = r#"<?xml version="1.0" encoding="utf-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
<rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles>
</container>
"#;
        let mut book = Book {
            entries: Vec::new(),
            patches: Vec::new(),
        };
        book.entries.push(Entry {
            name: "mimetype".into(),
            bytes: b"application/epub+zip".to_vec(),
            stored: true,
        });
        book.put("META-INF/container.xml", container);
        book.put(OPF, opf);
        book.put(NAV, nav);
        book.put(NCX, ncx);
        book.put(CSS, "body { margin: 0 1em; }\nh1 { text-align: center; }\n");
        book.put("EPUB/cover.png", png());
        book.put(CH1, ch1);
        book.put(CH2, ch2);
        book
    }

    /// Adds or replaces an entry (compressed).
    pub fn put(&mut self, name: &str, bytes: impl Into<Vec<u8>>) -> &mut Self {
        let bytes = bytes.into();
        match self.entries.iter_mut().find(|e| e.name == name) {
            Some(e) => e.bytes = bytes,
            None => self.entries.push(Entry {
                name: name.into(),
                bytes,
                stored: false,
            }),
        }
        self
    }

    pub fn remove(&mut self, name: &str) -> &mut Self {
        let before = self.entries.len();
        self.entries.retain(|e| e.name != name);
        assert_ne!(before, self.entries.len(), "no {name} to remove");
        self
    }

    pub fn text(&self, name: &str) -> String {
        let e = self
            .entries
            .iter()
            .find(|e| e.name == name)
            .unwrap_or_else(|| panic!("no {name}"));
        String::from_utf8(e.bytes.clone()).expect("utf-8")
    }

    /// Replaces the first `from` in entry `name`; panics when the fixture has no `from`,
    /// so a drifting fixture cannot silently turn a case into a no-op.
    pub fn edit(&mut self, name: &str, from: &str, to: &str) -> &mut Self {
        let text = self.text(name);
        assert!(text.contains(from), "{name} has no {from:?}");
        self.put(name, text.replacen(from, to, 1))
    }

    /// Inserts `xml` just before `</manifest>`.
    pub fn add_item(&mut self, xml: &str) -> &mut Self {
        self.edit(OPF, "</manifest>", &format!("{xml}\n</manifest>"))
    }

    pub fn zip(&self) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for e in &self.entries {
            let method = if e.stored {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            };
            w.start_file(
                e.name.as_str(),
                SimpleFileOptions::default().compression_method(method),
            )
            .expect("start file");
            w.write_all(&e.bytes).expect("write");
        }
        let mut bytes = w.finish().expect("finish").into_inner();
        for (from, to) in &self.patches {
            assert_eq!(from.len(), to.len(), "a patch keeps the ZIP's offsets");
            let found: Vec<usize> = bytes
                .windows(from.len())
                .enumerate()
                .filter(|(_, w)| *w == from.as_bytes())
                .map(|(i, _)| i)
                .collect();
            assert!(!found.is_empty(), "the ZIP has no {from:?}");
            for i in found {
                bytes[i..i + to.len()].copy_from_slice(to.as_bytes());
            }
        }
        bytes
    }

    pub fn write(&self, dir: &Path, name: &str) -> PathBuf {
        let path = dir.join(format!("{name}.epub"));
        std::fs::write(&path, self.zip()).expect("write epub");
        path
    }
}
