//! The catalogue of check rules: a stable code, a severity, the EPUBCheck message it
//! matches (when EPUBCheck has an opinion) and a one-line fix. Findings refer to these, so
//! a rule's wording lives in one place.

use crate::diag::Severity::{self, Error, Warning};

#[derive(Debug, PartialEq, Eq)]
pub struct Rule {
    pub code: &'static str,
    pub severity: Severity,
    /// The EPUBCheck 5.3 message ID reporting the same problem, if any.
    pub epubcheck: Option<&'static str>,
    pub hint: &'static str,
}

macro_rules! rules {
    ($($name:ident = $code:literal, $sev:ident, $ec:expr, $hint:literal;)*) => {
        $(pub const $name: Rule = Rule { code: $code, severity: $sev, epubcheck: $ec, hint: $hint };)*
        /// Every rule; the tests hold each to a broken book that makes it fire.
        pub const ALL: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    // The container.
    NOT_A_ZIP = "zip-unreadable", Error, Some("PKG-008"),
        "the file is not a readable ZIP archive; rebuild the EPUB";
    MIMETYPE_FIRST = "mimetype-first", Error, Some("PKG-006"),
        "write `mimetype` as the very first entry of the ZIP";
    MIMETYPE_STORED = "mimetype-compressed", Error, None,
        "store `mimetype` uncompressed (zip -X0 book.epub mimetype)";
    MIMETYPE_CONTENT = "mimetype-content", Error, Some("PKG-007"),
        "`mimetype` must hold exactly `application/epub+zip`, no newline";
    CONTAINER_MISSING = "container-missing", Error, Some("RSC-002"),
        "add META-INF/container.xml naming the package document";
    CONTAINER_ROOTFILE = "container-rootfile", Error, Some("OPF-002"),
        "make container.xml's <rootfile full-path> name the .opf file inside the ZIP";
    FILE_NAME = "file-name-unsafe", Warning, Some("PKG-010"),
        "use ASCII letters, digits, `-`, `_` and `.` in file names (spaces break Kobo)";
    DUPLICATE_ENTRY = "zip-duplicate-entry", Error, Some("OPF-060"),
        "each path may appear only once in the ZIP";
    // Any XML document.
    XML_MALFORMED = "xml-malformed", Error, Some("RSC-016"),
        "fix the markup: close every element, quote attributes, use only &amp; &lt; &gt; &quot; &apos; or numeric references";
    NOT_UTF8 = "encoding-not-utf8", Error, Some("RSC-028"),
        "save the document as UTF-8";
    // The package document.
    PACKAGE_VERSION = "package-version", Warning, None,
        "this checker applies EPUB 3 rules; set <package version=\"3.0\">";
    UNIQUE_ID = "unique-identifier", Error, Some("OPF-030"),
        "point <package unique-identifier> at the id of a dc:identifier";
    METADATA_MISSING = "metadata-missing", Error, Some("RSC-005"),
        "add the required dc:title, dc:identifier and dc:language";
    LANGUAGE_TAG = "language-tag", Error, Some("OPF-092"),
        "use a BCP 47 language tag such as `en`, `en-GB` or `pt-BR`";
    MODIFIED = "dcterms-modified", Error, Some("RSC-005"),
        "give exactly one <meta property=\"dcterms:modified\">YYYY-MM-DDThh:mm:ssZ</meta>";
    MANIFEST_FILE_MISSING = "manifest-file-missing", Error, Some("RSC-001"),
        "add the file to the ZIP or remove its <item> from the manifest";
    NOT_IN_MANIFEST = "file-not-in-manifest", Warning, Some("OPF-003"),
        "declare the file in the manifest or leave it out of the ZIP";
    MANIFEST_DUPLICATE = "manifest-duplicate", Error, Some("OPF-074"),
        "declare each file once, with a unique id";
    MEDIA_TYPE = "media-type-mismatch", Error, Some("OPF-029"),
        "declare the media type the bytes really are (or convert the file)";
    NAV_COUNT = "nav-count", Error, Some("RSC-005"),
        "mark exactly one XHTML item with properties=\"nav\"";
    COVER_IMAGE = "cover-image", Error, Some("RSC-005"),
        "mark exactly one image item with properties=\"cover-image\"";
    COVER_META = "cover-meta", Warning, None,
        "point <meta name=\"cover\" content> at the cover image's manifest id (thumbnails in Kobo and file managers)";
    PROPERTY_MISSING = "manifest-property-missing", Error, Some("OPF-014"),
        "add the property (svg, mathml, scripted, remote-resources) to the item";
    PROPERTY_UNUSED = "manifest-property-unused", Error, Some("OPF-015"),
        "remove the property: the document does not use that feature";
    SPINE_EMPTY = "spine-empty", Error, Some("RSC-005"),
        "list the reading order in <spine> with <itemref idref>";
    SPINE_IDREF = "spine-idref", Error, Some("OPF-049"),
        "make every <itemref idref> name a manifest item";
    SPINE_DUPLICATE = "spine-duplicate", Error, Some("RSC-005"),
        "list each document once in the spine";
    SPINE_TYPE = "spine-media-type", Error, Some("OPF-043"),
        "put only XHTML or SVG content documents in the spine";
    // Content documents.
    ID_DUPLICATE = "id-duplicate", Error, Some("RSC-005"),
        "give every element a different id inside the document";
    LINK_FILE = "link-broken", Error, Some("RSC-007"),
        "point the link at a file that exists in the EPUB";
    LINK_FRAGMENT = "link-fragment", Error, Some("RSC-012"),
        "point the #fragment at an id that exists in the target document";
    LINK_NOT_MANIFEST = "link-not-in-manifest", Error, Some("RSC-008"),
        "declare the referenced file in the manifest";
    LINK_NOT_SPINE = "link-not-in-spine", Error, Some("RSC-011"),
        "add the linked document to the spine (linear=\"no\" is fine)";
    REMOTE_IMAGE = "remote-resource", Error, Some("RSC-006"),
        "images must be inside the EPUB: download the file and link it relatively";
    TITLE = "title-missing", Warning, Some("RSC-017"),
        "give the document a meaningful <title> in <head>";
    TITLE_EMPTY = "title-empty", Error, Some("RSC-005"),
        "write the document's title inside <title>; an empty one is invalid";
    LANG = "lang-missing", Warning, None,
        "add lang and xml:lang to <html> so reading systems pick the right voice and hyphenation";
    ALT = "img-alt-missing", Warning, None,
        "describe the image in alt=\"…\" (alt=\"\" for a purely decorative one)";
    // Navigation.
    NAV_TOC = "nav-toc", Error, Some("RSC-005"),
        "the nav document needs one <nav epub:type=\"toc\"> with a non-empty <ol>";
    NAV_ORDER = "nav-order", Warning, Some("NAV-011"),
        "list table-of-contents entries in reading (spine) order";
    NCX_UID = "ncx-uid", Error, Some("NCX-001"),
        "make toc.ncx's dtb:uid equal the package's unique identifier";
    // Accessibility metadata (EPUB Accessibility 1.1).
    A11Y = "a11y-metadata", Warning, None,
        "declare schema:accessMode, accessibilityFeature, accessibilityHazard and accessibilitySummary";
    // Store pre-flight: --target kindle.
    KINDLE_XML_DECL = "kindle-xml-declaration", Error, None,
        "start the document with <?xml version=\"1.0\" encoding=\"utf-8\"?> (Send-to-Kindle assumes Latin-1 and fails with E999)";
    KINDLE_WEBP = "kindle-webp", Error, None,
        "convert WebP images to JPEG or PNG; Kindle rejects WebP";
    KINDLE_BODY_LINK = "kindle-body-link", Error, None,
        "link to the document itself or to an element inside <body>, not to <body id>";
    KINDLE_STYLE = "kindle-style", Warning, None,
        "move inline style and position/transform rules out; Kindle Previewer flags them";
    KINDLE_SIZE = "kindle-size", Error, None,
        "keep the EPUB under 50 MB (shrink images)";
    // --target kobo.
    KOBO_IMAGE_SIZE = "kobo-image-size", Error, None,
        "keep each image at or under 5 MB";
    KOBO_XHTML_SIZE = "kobo-xhtml-size", Error, None,
        "split the document: Kobo refuses XHTML files over 10 MB";
    KOBO_TOC_DEPTH = "kobo-toc-depth", Warning, None,
        "keep the table of contents three levels deep at most (Kobo apps show no more)";
    // --target apple.
    APPLE_ALT = "apple-alt", Error, None,
        "Apple Books requires an alt attribute on every image";
    APPLE_COVER = "apple-cover", Error, None,
        "add a cover image (properties=\"cover-image\")";
    APPLE_LANDMARKS = "apple-landmarks", Warning, None,
        "add <nav epub:type=\"landmarks\"> with a bodymatter entry: Apple Books opens the book there";
    // --target google.
    GOOGLE_COVER = "google-cover", Error, None,
        "Google Play needs the cover inside the EPUB (properties=\"cover-image\")";
    GOOGLE_LENGTH = "google-length", Error, None,
        "Google Play refuses books shorter than about four pages of text";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for rule in ALL {
            assert!(seen.insert(rule.code), "duplicate code {}", rule.code);
            assert!(
                rule.code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{}",
                rule.code
            );
        }
    }
}
