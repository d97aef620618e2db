//! The article in `manuscript/` built as a user would: structure, metadata, text,
//! reproducibility and EPUBCheck.

mod common;

use common::{Epub, article_project, assert_epubcheck_clean, build_ok, inkbind};

fn parse(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("well-formed")
}

const OPF_NS: &str = "http://www.idpf.org/2007/opf";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

#[test]
fn article_builds_into_a_valid_complete_epub() {
    let project = article_project();
    let path = build_ok(project.path(), &[]);
    assert_eq!(
        path,
        project
            .path()
            .join("out")
            .join("the-dprk-s-man-in-the-west.epub")
    );
    let epub = Epub::open(&path);
    assert_eq!(epub.names[0], "mimetype");
    assert_eq!(epub.text("mimetype"), "application/epub+zip");
    epub.assert_well_formed();

    let opf_text = epub.opf();
    let opf = parse(&opf_text);
    let package = opf.root_element();
    assert_eq!(package.attribute("version"), Some("3.0"));
    assert_eq!(package.attribute((XML_NS, "lang")), Some("en"));

    let meta = |name: &str| -> Vec<String> {
        opf.descendants()
            .filter(|n| n.tag_name().name() == name && n.tag_name().namespace() != Some(OPF_NS))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    };
    assert_eq!(
        meta("title"),
        [
            "The DPRK’s man in the west",
            "Spanish noble and IT worker Alejandro Cao de Benós on the downsides of his loyalty to North Korea"
        ]
    );
    assert_eq!(meta("language"), ["en"]);
    assert_eq!(meta("date"), ["2024-01-24"]);
    assert!(meta("creator").is_empty(), "the seed names no author");
    assert_eq!(meta("description").len(), 1);
    let identifier = &meta("identifier")[0];
    assert!(identifier.starts_with("urn:uuid:"), "{identifier}");

    let property = |p: &str| -> Vec<String> {
        opf.descendants()
            .filter(|n| n.has_tag_name((OPF_NS, "meta")) && n.attribute("property") == Some(p))
            .filter_map(|n| n.text().map(str::to_string))
            .collect()
    };
    assert_eq!(property("dcterms:modified"), ["2024-01-24T00:00:00Z"]);
    assert_eq!(property("title-type"), ["main", "subtitle"]);
    assert_eq!(property("schema:accessMode"), ["textual"]);
    assert_eq!(property("schema:accessibilityHazard"), ["none"]);
    assert!(property("schema:accessibilityFeature").contains(&"tableOfContents".to_string()));
    assert_eq!(property("schema:accessibilitySummary").len(), 1);

    // Cover: manifest property, legacy meta, its own page first in the spine.
    let items: Vec<_> = opf
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "item")))
        .collect();
    let cover = items
        .iter()
        .find(|i| i.attribute("properties") == Some("cover-image"))
        .expect("a cover-image item");
    assert_eq!(cover.attribute("media-type"), Some("image/jpeg"));
    let cover_id = cover.attribute("id").unwrap();
    assert!(opf.descendants().any(|n| n.has_tag_name((OPF_NS, "meta"))
        && n.attribute("name") == Some("cover")
        && n.attribute("content") == Some(cover_id)));
    let cover_bytes = std::fs::read(project.path().join("covers/cover.jpg")).unwrap();
    let packed = &epub.files[&format!("OEBPS/{}", cover.attribute("href").unwrap())];
    assert_eq!(
        packed, &cover_bytes,
        "a good JPEG cover is packed byte for byte"
    );

    let href_of = |id: &str| {
        items
            .iter()
            .find(|i| i.attribute("id") == Some(id))
            .unwrap()
            .attribute("href")
            .unwrap()
    };
    let spine: Vec<(&str, Option<&str>)> = opf
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "itemref")))
        .map(|n| {
            (
                href_of(n.attribute("idref").unwrap()),
                n.attribute("linear"),
            )
        })
        .collect();
    assert_eq!(
        spine,
        [
            ("cover.xhtml", None),
            ("titlepage.xhtml", None),
            ("chapter-001.xhtml", None),
            ("nav.xhtml", Some("no")),
        ]
    );
    assert!(epub.files.contains_key("OEBPS/toc.ncx"));

    // Every content document: XML declaration, lang + xml:lang, a real title.
    for name in epub.names.iter().filter(|n| n.ends_with(".xhtml")) {
        let text = epub.text(name);
        assert!(
            text.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"),
            "{name}"
        );
        let doc = parse(&text);
        let html = doc.root_element();
        assert_eq!(html.attribute("lang"), Some("en"), "{name}");
        assert_eq!(html.attribute((XML_NS, "lang")), Some("en"), "{name}");
        let title = doc
            .descendants()
            .find(|n| n.has_tag_name("title"))
            .expect("title");
        assert!(
            title.text().is_some_and(|t| !t.trim().is_empty()),
            "{name} has an empty title"
        );
    }

    // Navigation: TOC and hidden landmarks.
    let nav_text = epub.text("OEBPS/nav.xhtml");
    let nav = parse(&nav_text);
    let epub_type = ("http://www.idpf.org/2007/ops", "type");
    let navs: Vec<_> = nav
        .descendants()
        .filter(|n| n.has_tag_name("nav"))
        .collect();
    let toc = navs
        .iter()
        .find(|n| n.attribute(epub_type) == Some("toc"))
        .expect("toc nav");
    let toc_links: Vec<_> = toc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| a.attribute("href").unwrap())
        .collect();
    assert_eq!(toc_links, ["titlepage.xhtml", "chapter-001.xhtml"]);
    let landmarks = navs
        .iter()
        .find(|n| n.attribute(epub_type) == Some("landmarks"))
        .unwrap();
    assert!(landmarks.attribute("hidden").is_some());
    let kinds: Vec<_> = landmarks
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            (
                a.attribute(epub_type).unwrap(),
                a.attribute("href").unwrap(),
            )
        })
        .collect();
    assert!(kinds.contains(&("cover", "cover.xhtml")));
    assert!(kinds.contains(&("bodymatter", "chapter-001.xhtml")));
    assert!(kinds.contains(&("toc", "nav.xhtml#toc")));

    // Title page: title, subtitle, date, and the credit presented honestly.
    let title_page = epub.text("OEBPS/titlepage.xhtml");
    for expected in [
        "The DPRK’s man in the west",
        "Spanish noble and IT worker",
        "January 24, 2024",
        "Jose Ignacio Unanue/Nurphoto/Shutterstock",
        "not reproduced in this edition",
    ] {
        assert!(
            title_page.contains(expected),
            "title page lacks {expected:?}"
        );
    }

    assert_epubcheck_clean(&path);
}

/// The chapter's text is the manuscript's, word for word, with its typography and quirks.
#[test]
fn article_text_is_word_for_word() {
    let project = article_project();
    let epub = Epub::open(&build_ok(project.path(), &[]));
    let chapter = epub.text("OEBPS/chapter-001.xhtml");
    let doc = parse(&chapter);
    let paragraphs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("p"))
        .map(|p| {
            p.descendants()
                .filter(|n| n.is_text())
                .filter_map(|n| n.text())
                .collect::<String>()
        })
        .collect();
    let manuscript = std::fs::read_to_string(project.path().join("manuscript/article.md")).unwrap();
    let body = manuscript.splitn(3, "---\n").nth(2).unwrap();
    let expected: Vec<String> = body
        .split("\n\n")
        .map(|p| {
            p.trim()
                .replace("\\[", "[")
                .replace("\\]", "]")
                .replace('*', "")
        })
        .filter(|p| !p.is_empty())
        .collect();
    assert_eq!(paragraphs, expected);
    assert_eq!(paragraphs.len(), 8);
    assert!(chapter.contains("website,, which"));
    assert!(chapter.contains("<em>The Mole</em>"));
    assert!(chapter.contains("“Special Delegate"));
}

/// The manuscript holds the seed's text: every line of the article body, unchanged.
#[test]
fn manuscript_matches_the_seed_when_available() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let seed = repo.join("../shared/seed/000_43cce2947730bb13.txt");
    let Ok(seed) = std::fs::read_to_string(&seed) else {
        eprintln!("*** SKIPPED: ../shared/seed not present next to the repository ***");
        return;
    };
    let manuscript = std::fs::read_to_string(repo.join("manuscript/article.md")).unwrap();
    let plain = manuscript
        .replace("\\[", "[")
        .replace("\\]", "]")
        .replace('*', "");
    for line in seed
        .lines()
        .skip(7)
        .map(str::trim_end)
        .filter(|l| !l.is_empty())
    {
        assert!(plain.contains(line), "manuscript lacks seed line: {line}");
    }
}

#[test]
fn two_builds_are_byte_identical_and_source_date_epoch_is_honoured() {
    let project = article_project();
    let first = std::fs::read(build_ok(project.path(), &[])).unwrap();
    let second = std::fs::read(build_ok(project.path(), &[])).unwrap();
    assert!(first == second, "two builds of the same inputs differ");

    let out = inkbind(project.path())
        .args(["build", "-o", "epoch.epub"])
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .output()
        .unwrap();
    assert!(out.status.success());
    let epub = Epub::open(&project.path().join("epoch.epub"));
    assert!(
        epub.opf()
            .contains("<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>")
    );
}
