//! Inputs the fuzz targets (`fuzz/`) once failed on, minimised, built end to end. Each
//! names what went wrong; the full failing inputs are kept in the fuzz seed corpus.

mod common;

use common::{Epub, assert_epubcheck_clean, build_ok, project};

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

/// `markdown_to_xhtml`: an `href` inside `<math>` was written as `xlink:href`, a prefix
/// only SVG islands declare. MathML now keeps no links, and an element that is not MathML
/// (an HTML `<a>`) becomes its text in `<mtext>`, which EPUBCheck accepts.
#[test]
fn links_inside_mathml_are_dropped_and_non_mathml_elements_become_text() {
    let md = "---\ntitle: T\nlang: en\n---\n\n\
              <math><mi href=\"#a\">x</mi><a href=\"https://example.com\">y</a>\
              <mi xlink:href=\"#b\">z</mi></math>\n\n\
              <svg><a href=\"https://example.com\"><text>t</text></a></svg>\n";
    let dir = project(&[("manuscript/a.md", md.as_bytes())]);
    let path = build_ok(dir.path(), &[]);
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    let chapter = epub.text("OEBPS/chapter-001.xhtml");
    assert!(
        chapter.contains("alttext=\"x y z\"><mi>x</mi><mtext>y</mtext><mi>z</mi></math>"),
        "{chapter}"
    );
    // SVG keeps its link, under the xlink prefix its island declares.
    assert!(
        chapter.contains("<a xlink:href=\"https://example.com\"><text>t</text></a></svg>"),
        "{chapter}"
    );
    assert_epubcheck_clean(&path);
}
