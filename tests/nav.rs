//! Navigation of a many-file book: the TOC nests headings down to the TOC depth, the NCX
//! follows it entry for entry, landmarks and spine are right, EPUBCheck is clean.

mod common;

use std::path::Path;

use common::{Epub, assert_epubcheck_clean, build_ok, copy_dir, parse_xml as parse};

const OPF_NS: &str = "http://www.idpf.org/2007/opf";
const NCX_NS: &str = "http://www.daisy.org/z3986/2005/ncx/";
const EPUB_TYPE: (&str, &str) = ("http://www.idpf.org/2007/ops", "type");

fn twenty() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta/twenty");
    copy_dir(&fixture, dir.path());
    dir
}

/// (depth, label, href) of every link in the `toc` nav, in document order.
fn nav_toc(epub: &Epub) -> Vec<(usize, String, String)> {
    let text = epub.text("OEBPS/nav.xhtml");
    let doc = parse(&text);
    let toc = doc
        .descendants()
        .find(|n| n.has_tag_name("nav") && n.attribute(EPUB_TYPE) == Some("toc"))
        .expect("toc nav");
    toc.descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            let depth = a.ancestors().filter(|n| n.has_tag_name("ol")).count();
            let label: String = a
                .descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect();
            (depth, label, a.attribute("href").unwrap().to_string())
        })
        .collect()
}

#[test]
fn twenty_chapters_get_a_nested_toc_an_ncx_in_step_and_landmarks() {
    let project = twenty();
    let path = build_ok(project.path(), &["--toc-page", "-o", "twenty.epub"]);
    let epub = Epub::open(&path);
    epub.assert_well_formed();

    // TOC: title page, then 20 chapters, each with its two `##` sections and no `###`.
    let toc = nav_toc(&epub);
    assert_eq!(toc[0], (1, "Title Page".into(), "titlepage.xhtml".into()));
    let chapters: Vec<_> = toc.iter().filter(|(d, _, _)| *d == 1).skip(1).collect();
    assert_eq!(chapters.len(), 20);
    assert_eq!(chapters[0].1, "1. Dawn");
    assert_eq!(chapters[0].2, "chapter-001.xhtml");
    assert_eq!(chapters[19].1, "20. Return");
    assert_eq!(chapters[19].2, "chapter-020.xhtml");
    assert_eq!(toc.len(), 1 + 20 * 3, "{toc:#?}");
    assert!(toc.iter().all(|(d, _, _)| *d <= 2));
    assert_eq!(
        toc[1..4]
            .iter()
            .map(|(d, l, h)| (*d, l.as_str(), h.as_str()))
            .collect::<Vec<_>>(),
        [
            (1, "1. Dawn", "chapter-001.xhtml"),
            (2, "Dawn at first", "chapter-001.xhtml#dawn-at-first"),
            (2, "Dawn at last", "chapter-001.xhtml#dawn-at-last"),
        ]
    );

    // NCX: the same entries in the same order and nesting; playOrder follows reading order.
    let ncx_text = epub.text("OEBPS/toc.ncx");
    let ncx = parse(&ncx_text);
    let points: Vec<(usize, String, String, usize)> = ncx
        .descendants()
        .filter(|n| n.has_tag_name((NCX_NS, "navPoint")))
        .map(|p| {
            let depth = p
                .ancestors()
                .filter(|n| n.has_tag_name((NCX_NS, "navPoint")))
                .count();
            let label = p
                .children()
                .find(|n| n.has_tag_name((NCX_NS, "navLabel")))
                .and_then(|l| l.descendants().find_map(|n| n.text().map(str::to_string)))
                .unwrap();
            let src = p
                .children()
                .find(|n| n.has_tag_name((NCX_NS, "content")))
                .and_then(|c| c.attribute("src"))
                .unwrap()
                .to_string();
            let order = p.attribute("playOrder").unwrap().parse().unwrap();
            (depth, label, src, order)
        })
        .collect();
    let ncx_entries: Vec<_> = points
        .iter()
        .map(|(d, l, s, _)| (*d, l.clone(), s.clone()))
        .collect();
    assert_eq!(ncx_entries, toc);
    let orders: Vec<usize> = points.iter().map(|p| p.3).collect();
    assert_eq!(orders, (1..=orders.len()).collect::<Vec<_>>());
    let meta = |name: &str| {
        ncx.descendants()
            .find(|n| n.attribute("name") == Some(name))
            .and_then(|n| n.attribute("content"))
            .unwrap()
            .to_string()
    };
    assert_eq!(meta("dtb:depth"), "2");

    // Landmarks and the spine: the contents page follows the title page.
    let opf_text = epub.opf();
    let opf = parse(&opf_text);
    let identifier = opf
        .descendants()
        .find(|n| n.tag_name().name() == "identifier")
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(meta("dtb:uid"), identifier);
    let href_of = |id: &str| {
        opf.descendants()
            .find(|n| n.has_tag_name((OPF_NS, "item")) && n.attribute("id") == Some(id))
            .and_then(|n| n.attribute("href"))
            .unwrap()
            .to_string()
    };
    let spine: Vec<(String, Option<&str>)> = opf
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "itemref")))
        .map(|n| {
            (
                href_of(n.attribute("idref").unwrap()),
                n.attribute("linear"),
            )
        })
        .collect();
    // No cover given: a generated one opens the book.
    assert_eq!(spine.len(), 23);
    assert_eq!(spine[0], ("cover.xhtml".into(), None));
    assert_eq!(spine[1], ("titlepage.xhtml".into(), None));
    assert_eq!(spine[2], ("nav.xhtml".into(), None));
    assert_eq!(spine[3], ("chapter-001.xhtml".into(), None));
    assert_eq!(spine[22], ("chapter-020.xhtml".into(), None));

    let nav_text = epub.text("OEBPS/nav.xhtml");
    let nav = parse(&nav_text);
    let landmarks: Vec<(&str, &str)> = nav
        .descendants()
        .find(|n| n.has_tag_name("nav") && n.attribute(EPUB_TYPE) == Some("landmarks"))
        .expect("landmarks")
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            (
                a.attribute(EPUB_TYPE).unwrap(),
                a.attribute("href").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        landmarks,
        [
            ("cover", "cover.xhtml"),
            ("titlepage", "titlepage.xhtml"),
            ("toc", "nav.xhtml#toc"),
            ("bodymatter", "chapter-001.xhtml"),
        ]
    );
    let guide_text: Vec<(&str, &str)> = opf
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "reference")))
        .map(|n| (n.attribute("type").unwrap(), n.attribute("href").unwrap()))
        .collect();
    assert!(guide_text.contains(&("text", "chapter-001.xhtml")));
    assert!(guide_text.contains(&("toc", "nav.xhtml")));

    assert_epubcheck_clean(&path);
}

#[test]
fn toc_depth_flag_and_key_choose_how_deep_the_toc_goes() {
    let project = twenty();
    let deep = Epub::open(&build_ok(
        project.path(),
        &["--toc-depth", "3", "-o", "deep.epub"],
    ));
    let toc = nav_toc(&deep);
    assert_eq!(toc.len(), 1 + 20 * 4);
    assert!(toc.contains(&(
        3,
        "A detail of dawn".into(),
        "chapter-001.xhtml#a-detail-of-dawn".into()
    )));
    assert!(
        deep.text("OEBPS/toc.ncx")
            .contains("name=\"dtb:depth\" content=\"3\"")
    );

    // `toc-depth` in book.toml applies when no flag is given; the flag wins over it.
    let toml = project.path().join("book.toml");
    let mut config = std::fs::read_to_string(&toml).unwrap();
    config.push_str("toc-depth = 1\n");
    std::fs::write(&toml, config).unwrap();
    let flat = Epub::open(&build_ok(project.path(), &["-o", "flat.epub"]));
    assert_eq!(nav_toc(&flat).len(), 21);
    let flagged = Epub::open(&build_ok(
        project.path(),
        &["--toc-depth", "2", "-o", "flag.epub"],
    ));
    assert_eq!(nav_toc(&flagged).len(), 61);

    // Without --toc-page the contents page stays out of the reading order.
    let opf = flat.opf();
    assert!(
        opf.contains("<itemref idref=\"nav\" linear=\"no\"/>"),
        "{opf}"
    );
}
