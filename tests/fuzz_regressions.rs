//! Inputs the fuzz targets (`fuzz/`) once failed on, minimised, built end to end. Each
//! names what went wrong; the full failing inputs are kept in the fuzz seed corpus.

mod common;

use common::{Epub, build_ok, project};

/// `markdown_to_xhtml`: a heading attribute given twice (`{data-x=1 data-x=2}`) was
/// written twice, and XML allows an attribute only once.
#[test]
fn a_repeated_heading_attribute_is_written_once() {
    let md = "---\ntitle: T\nlang: en\n---\n\n\
              # Twice {.a .a data-kind=one data-kind=two DATA-KIND=three .b}\n\nText.\n";
    let dir = project(&[("manuscript/a.md", md.as_bytes())]);
    let epub = Epub::open(&build_ok(dir.path(), &[]));
    epub.assert_well_formed();
    let chapter = epub.text("OEBPS/chapter-001.xhtml");
    assert!(
        chapter.contains("<h1 id=\"twice\" class=\"a b\" data-kind=\"one\">Twice</h1>"),
        "{chapter}"
    );
}
