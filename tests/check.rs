//! `inkbind check` against deliberately broken EPUBs, one per rule: the native check finds
//! each problem (and nothing on the valid book), and EPUBCheck, where it has an opinion,
//! reports the same problem in the same file. See tests/fixtures/check/README.md for
//! where the two agree and disagree.

mod check_support;
mod common;

use check_support::{Book, CH1, CH2, CSS, NAV, NCX, OPF};
use inkbind::check::{Options, Origin, Target, check};

/// One broken book: the rule it breaks and what EPUBCheck says about the same bytes.
struct Case {
    code: &'static str,
    /// The file inside the EPUB the finding must point at ("" for the whole book).
    file: &'static str,
    targets: &'static [Target],
    /// EPUBCheck's message ID for the same problem; `None` where it has no opinion.
    epubcheck: Option<&'static str>,
    /// Cases in the same group are combined into one book for EPUBCheck (each run costs
    /// seconds); group 0 is checked alone.
    group: u8,
    apply: fn(&mut Book),
}

const NONE: &[Target] = &[];

fn cases() -> Vec<Case> {
    let c = |code, file, epubcheck, group, apply| Case {
        code,
        file,
        targets: NONE,
        epubcheck,
        group,
        apply,
    };
    let t = |code, file, targets, apply| Case {
        code,
        file,
        targets,
        epubcheck: None,
        group: 9,
        apply,
    };
    vec![
        // The container.
        c("mimetype-first", "mimetype", Some("PKG-006"), 0, |b| {
            let m = b.entries.remove(0);
            b.entries.push(m);
        }),
        c("mimetype-compressed", "mimetype", None, 0, |b| {
            b.entries[0].stored = false;
        }),
        c("mimetype-content", "mimetype", Some("PKG-007"), 0, |b| {
            b.entries[0].bytes = b"application/epub+zip\n".to_vec();
        }),
        c("zip-duplicate-entry", CSS, Some("OPF-060"), 0, |b| {
            // Written under another name of the same length, renamed in the ZIP's bytes.
            b.put("EPUB/stylx.css", "p { margin: 0 }\n");
            b.patches.push(("EPUB/stylx.css", CSS));
        }),
        c(
            "container-missing",
            "META-INF/container.xml",
            Some("RSC-002"),
            0,
            |b| {
                b.remove("META-INF/container.xml");
            },
        ),
        c(
            "container-rootfile",
            "META-INF/container.xml",
            Some("OPF-002"),
            0,
            |b| {
                b.edit(
                    "META-INF/container.xml",
                    "EPUB/package.opf",
                    "EPUB/content.opf",
                );
            },
        ),
        c(
            "file-name-unsafe",
            "EPUB/my image.png",
            Some("PKG-010"),
            1,
            |b| {
                b.put("EPUB/my image.png", check_support::png());
                b.add_item(r#"<item id="spaced" href="my%20image.png" media-type="image/png"/>"#);
            },
        ),
        // Any XML document.
        c("xml-malformed", CH1, Some("RSC-016"), 2, |b| {
            b.edit(CH1, "<h1>One</h1>", "<h1>One&nbsp;</h1>");
        }),
        c(
            "encoding-not-utf8",
            "EPUB/latin.xhtml",
            Some("RSC-028"),
            3,
            |b| {
                let mut bytes = b.text(CH2).replace("utf-8", "iso-8859-1").into_bytes();
                let at = bytes.windows(3).position(|w| w == b"Two").expect("Two");
                bytes[at + 1] = 0xE9; // é in Latin-1
                b.put("EPUB/latin.xhtml", bytes);
                b.add_item(
                    r#"<item id="latin" href="latin.xhtml" media-type="application/xhtml+xml"/>"#,
                );
                b.edit(OPF, "</spine>", "<itemref idref=\"latin\"/>\n</spine>");
            },
        ),
        // The package document.
        c("package-version", OPF, None, 0, |b| {
            b.edit(OPF, "version=\"3.0\"", "version=\"3.1\"");
        }),
        c("unique-identifier", OPF, Some("OPF-030"), 4, |b| {
            b.edit(
                OPF,
                "unique-identifier=\"uid\"",
                "unique-identifier=\"book-id\"",
            );
        }),
        c("metadata-missing", OPF, Some("RSC-005"), 4, |b| {
            b.edit(OPF, "<dc:title>Fixture</dc:title>", "");
        }),
        c("language-tag", OPF, Some("OPF-092"), 1, |b| {
            b.edit(
                OPF,
                "<dc:language>en</dc:language>",
                "<dc:language>en</dc:language><dc:language>english!</dc:language>",
            );
        }),
        c("dcterms-modified", OPF, Some("RSC-005"), 4, |b| {
            b.edit(OPF, "2024-01-01T00:00:00Z", "1 January 2024");
        }),
        c("manifest-file-missing", OPF, Some("RSC-001"), 1, |b| {
            b.add_item(r#"<item id="ghost" href="ghost.png" media-type="image/png"/>"#);
        }),
        c("file-not-in-manifest", "EPUB/notes.txt", None, 8, |b| {
            b.put("EPUB/notes.txt", "left behind");
        }),
        c("manifest-duplicate", OPF, Some("OPF-074"), 1, |b| {
            b.add_item(r#"<item id="css2" href="style.css" media-type="text/css"/>"#);
        }),
        c("media-type-mismatch", OPF, Some("OPF-029"), 1, |b| {
            b.put("EPUB/photo.jpg", check_support::png());
            b.add_item(r#"<item id="photo" href="photo.jpg" media-type="image/jpeg"/>"#);
        }),
        c("nav-count", OPF, Some("RSC-005"), 5, |b| {
            b.edit(OPF, " properties=\"nav\"", "");
        }),
        c("cover-image", OPF, Some("RSC-005"), 4, |b| {
            b.put("EPUB/back.png", check_support::png());
            b.add_item(r#"<item id="back" href="back.png" media-type="image/png" properties="cover-image"/>"#);
        }),
        c("cover-meta", OPF, None, 1, |b| {
            b.edit(OPF, "<meta name=\"cover\" content=\"cover\"/>", "");
        }),
        c("manifest-property-missing", OPF, Some("OPF-014"), 2, |b| {
            b.edit(CH2, "<h1 id=\"sec\">Two</h1>", "<h1 id=\"sec\">Two</h1><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>");
        }),
        c("manifest-property-unused", OPF, Some("OPF-015"), 6, |b| {
            b.edit(
                OPF,
                "href=\"ch1.xhtml\" media-type=\"application/xhtml+xml\"",
                "href=\"ch1.xhtml\" media-type=\"application/xhtml+xml\" properties=\"mathml\"",
            );
        }),
        c("spine-empty", OPF, Some("RSC-005"), 5, |b| {
            b.edit(
                OPF,
                "<itemref idref=\"ch1\"/>\n<itemref idref=\"ch2\"/>\n",
                "",
            );
        }),
        c("spine-idref", OPF, Some("OPF-049"), 1, |b| {
            b.edit(OPF, "</spine>", "<itemref idref=\"nowhere\"/>\n</spine>");
        }),
        c("spine-duplicate", OPF, Some("RSC-005"), 1, |b| {
            b.edit(OPF, "</spine>", "<itemref idref=\"ch1\"/>\n</spine>");
        }),
        c("spine-media-type", OPF, Some("OPF-043"), 6, |b| {
            b.edit(OPF, "</spine>", "<itemref idref=\"css\"/>\n</spine>");
        }),
        // Content documents.
        c("id-duplicate", CH2, Some("RSC-005"), 2, |b| {
            b.edit(CH2, "<p id=\"p1\">", "<p id=\"sec\">");
        }),
        c("link-broken", CH2, Some("RSC-007"), 2, |b| {
            b.edit(
                CH2,
                "</section>",
                "<p><a href=\"missing.xhtml\">gone</a></p></section>",
            );
        }),
        c("link-fragment", NAV, Some("RSC-012"), 2, |b| {
            b.edit(NAV, "ch2.xhtml#sec", "ch2.xhtml#nowhere");
        }),
        c("link-not-in-manifest", CH2, Some("RSC-008"), 6, |b| {
            b.put("EPUB/stray.png", check_support::png());
            b.edit(
                CH2,
                "</section>",
                "<p><img src=\"stray.png\" alt=\"stray\"/></p></section>",
            );
        }),
        c("link-not-in-spine", CH2, Some("RSC-011"), 2, |b| {
            b.put(
                "EPUB/extra.xhtml",
                b.text(CH1).replace("ch2.xhtml#sec", "ch1.xhtml"),
            );
            b.add_item(
                r#"<item id="extra" href="extra.xhtml" media-type="application/xhtml+xml"/>"#,
            );
            b.edit(
                CH2,
                "</section>",
                "<p><a href=\"extra.xhtml\">extra</a></p></section>",
            );
        }),
        c("remote-resource", CH2, Some("RSC-006"), 2, |b| {
            b.edit(
                CH2,
                "</section>",
                "<p><img src=\"https://example.org/a.png\" alt=\"remote\"/></p></section>",
            );
        }),
        c("title-empty", CH2, Some("RSC-005"), 2, |b| {
            b.edit(CH2, "<title>Two</title>", "<title> </title>");
        }),
        c("title-missing", CH2, Some("RSC-017"), 8, |b| {
            b.edit(CH2, "<title>Two</title>", "");
        }),
        c("lang-missing", CH1, None, 2, |b| {
            b.edit(CH1, " lang=\"en\" xml:lang=\"en\"", "");
        }),
        c("img-alt-missing", CH1, None, 2, |b| {
            b.edit(CH1, " alt=\"A small coloured square\"", "");
        }),
        // Navigation.
        c("nav-toc", NAV, Some("RSC-005"), 7, |b| {
            b.edit(NAV, "epub:type=\"toc\"", "epub:type=\"lot\"");
        }),
        c("nav-order", NAV, Some("NAV-011"), 8, |b| {
            b.edit(NAV, "<li><a href=\"ch1.xhtml\">One</a></li>", "");
            b.edit(NAV, "</ol>", "<li><a href=\"ch1.xhtml\">One</a></li></ol>");
        }),
        c("ncx-uid", NCX, Some("NCX-001"), 1, |b| {
            b.edit(NCX, "content=\"urn:uuid:", "content=\"urn:uuid:0");
        }),
        c("a11y-metadata", OPF, None, 1, |b| {
            b.edit(
                OPF,
                "<meta property=\"schema:accessibilityHazard\">none</meta>",
                "",
            );
        }),
        // Stores.
        t("kindle-xml-declaration", CH1, &[Target::Kindle], |b| {
            b.edit(CH1, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", "");
        }),
        t("kindle-webp", OPF, &[Target::Kindle], |b| {
            b.put("EPUB/red.webp", check_support::webp());
            b.add_item(r#"<item id="red" href="red.webp" media-type="image/webp"/>"#);
            b.edit(
                CH2,
                "</section>",
                "<p><img src=\"red.webp\" alt=\"red\"/></p></section>",
            );
        }),
        t("kindle-body-link", CH1, &[Target::Kindle], |b| {
            b.edit(CH2, "<body>", "<body id=\"top\">");
            b.edit(CH1, "ch2.xhtml#sec", "ch2.xhtml#top");
        }),
        t("kindle-style", CH1, &[Target::Kindle], |b| {
            b.edit(CH1, "<h1>One</h1>", "<h1 style=\"color: red\">One</h1>");
        }),
        t("kindle-style", CSS, &[Target::Kindle], |b| {
            b.edit(CSS, "margin: 0 1em;", "margin: 0 1em; position: absolute;");
        }),
        t("kindle-size", "", &[Target::Kindle], |b| {
            let big: Vec<u8> = check_support::png()
                .into_iter()
                .chain(std::iter::repeat_n(0, 51 << 20))
                .collect();
            b.put("EPUB/cover.png", big);
            let last = b.entries.len() - 1;
            let cover = b
                .entries
                .iter()
                .position(|e| e.name == "EPUB/cover.png")
                .unwrap_or(last);
            b.entries[cover].stored = true;
        }),
        t("kobo-image-size", OPF, &[Target::Kobo], |b| {
            let big: Vec<u8> = check_support::png()
                .into_iter()
                .chain(std::iter::repeat_n(0, 6 << 20))
                .collect();
            b.put("EPUB/cover.png", big);
        }),
        t("kobo-xhtml-size", OPF, &[Target::Kobo], |b| {
            let padding = "<p>padding</p>\n".repeat(800_000);
            b.edit(CH2, "</section>", &format!("{padding}</section>"));
        }),
        t("kobo-toc-depth", NAV, &[Target::Kobo], |b| {
            b.edit(NAV, "<a href=\"ch2.xhtml#sec\">Two</a>", "<a href=\"ch2.xhtml#sec\">Two</a><ol><li><a href=\"ch2.xhtml#p1\">a</a><ol><li><a href=\"ch2.xhtml#p1\">b</a><ol><li><a href=\"ch2.xhtml#p1\">c</a></li></ol></li></ol></li></ol>");
        }),
        t("apple-alt", CH1, &[Target::Apple], |b| {
            b.edit(CH1, " alt=\"A small coloured square\"", "");
        }),
        t("apple-cover", OPF, &[Target::Apple], |b| {
            b.edit(OPF, " properties=\"cover-image\"", "");
            b.edit(OPF, "<meta name=\"cover\" content=\"cover\"/>", "");
        }),
        t("apple-landmarks", NAV, &[Target::Apple], |b| {
            b.edit(NAV, "epub:type=\"bodymatter\"", "epub:type=\"toc\"");
        }),
        t("google-cover", OPF, &[Target::Google], |b| {
            b.edit(OPF, " properties=\"cover-image\"", "");
            b.edit(OPF, "<meta name=\"cover\" content=\"cover\"/>", "");
        }),
        t("google-length", "", &[Target::Google], |b| {
            let text = b.text(CH2);
            let start = text.find("<p id=\"p1\">").expect("p1") + "<p id=\"p1\">".len();
            let end = text[start..].find("</p>").expect("end") + start;
            b.put(CH2, format!("{}Short.{}", &text[..start], &text[end..]));
        }),
    ]
}

const ALL_TARGETS: &[Target] = &[Target::Kindle, Target::Kobo, Target::Apple, Target::Google];

#[test]
fn the_valid_fixture_has_no_finding_for_any_target() {
    let report = check(
        &Book::valid().zip(),
        &Options {
            targets: ALL_TARGETS.to_vec(),
        },
    );
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
}

#[test]
fn every_rule_fires_on_its_broken_book_and_points_at_the_file() {
    let mut failures = Vec::new();
    for case in cases() {
        let mut book = Book::valid();
        (case.apply)(&mut book);
        let report = check(
            &book.zip(),
            &Options {
                targets: case.targets.to_vec(),
            },
        );
        let hit = report
            .findings
            .iter()
            .find(|f| f.code == case.code && f.file == case.file);
        match hit {
            None => failures.push(format!(
                "{}: not found in {:#?}",
                case.code, report.findings
            )),
            Some(f) => {
                assert!(
                    f.hint.as_deref().is_some_and(|h| !h.is_empty()),
                    "{} has no hint",
                    case.code
                );
                assert_eq!(f.origin, Origin::Inkbind);
                // Findings inside an XML document carry a line, except whole-file ones.
                if f.line.is_some() {
                    assert!(f.column.is_some() && f.source_line.is_some(), "{f:?}");
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_in_the_catalogue_has_a_broken_book() {
    let covered: Vec<&str> = cases().iter().map(|c| c.code).collect();
    let untested: Vec<&str> = inkbind::check::rules::ALL
        .iter()
        .map(|r| r.code)
        .filter(|c| !covered.contains(c) && !["zip-unreadable"].contains(c))
        .collect();
    assert!(
        untested.is_empty(),
        "rules without a broken book: {untested:?}"
    );
}

#[test]
fn a_file_that_is_not_a_zip_is_one_error() {
    let report = check(b"this is not an EPUB at all", &Options::default());
    assert_eq!(report.errors(), 1);
    assert_eq!(report.findings[0].code, "zip-unreadable");
}

#[test]
fn positions_point_at_the_offending_markup() {
    let mut book = Book::valid();
    book.edit(CH2, "<p id=\"p1\">", "<p id=\"sec\">");
    let report = check(&book.zip(), &Options::default());
    let f = report
        .findings
        .iter()
        .find(|f| f.code == "id-duplicate")
        .expect("finding");
    let line = f.source_line.as_deref().expect("line");
    assert!(line.contains("<p id=\"sec\">"), "{line}");
    let col = f.column.expect("column");
    assert!(
        line[col - 1..].starts_with("<p id=\"sec\""),
        "{line} @ {col}"
    );
}

/// Writes every broken book to `$INKBIND_DUMP_FIXTURES` for manual comparison.
#[test]
fn dump_fixtures_when_asked() {
    let Ok(dir) = std::env::var("INKBIND_DUMP_FIXTURES") else {
        return;
    };
    let dir = std::path::Path::new(&dir);
    std::fs::create_dir_all(dir).expect("mkdir");
    Book::valid().write(dir, "valid");
    for (i, case) in cases().iter().enumerate() {
        let mut book = Book::valid();
        (case.apply)(&mut book);
        if !case.code.ends_with("-size") {
            book.write(dir, &format!("{i:02}-{}", case.code));
        }
    }
}

/// Combines the cases of each group into one book, runs EPUBCheck once per book, and
/// requires both checkers to report each problem in the same file.
#[test]
fn epubcheck_agrees_on_the_broken_books() {
    let Some(jar) = common::epubcheck_jar() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("EPUBCheck is required in CI");
        }
        eprintln!("\n*** SKIPPED: EPUBCheck not installed ***\n");
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    let all = cases();
    let mut books: Vec<(String, Book, Vec<&Case>)> = Vec::new();
    for case in all.iter().filter(|c| c.epubcheck.is_some()) {
        if case.group == 0 {
            let mut b = Book::valid();
            (case.apply)(&mut b);
            books.push((case.code.to_string(), b, vec![case]));
        } else if let Some(entry) = books
            .iter_mut()
            .find(|(n, ..)| *n == format!("group-{}", case.group))
        {
            (case.apply)(&mut entry.1);
            entry.2.push(case);
        } else {
            let mut b = Book::valid();
            (case.apply)(&mut b);
            books.push((format!("group-{}", case.group), b, vec![case]));
        }
    }
    let mut failures = Vec::new();
    for (name, book, group) in &books {
        let path = book.write(dir.path(), name);
        let mut report = check(&book.zip(), &Options::default());
        let theirs = inkbind::check::epubcheck::run(&jar, &path).expect("EPUBCheck ran");
        for case in group {
            let id = case.epubcheck.expect("mapped");
            if !report
                .findings
                .iter()
                .any(|f| f.code == case.code && f.file == case.file)
            {
                failures.push(format!("{name}: inkbind missed {}", case.code));
            }
            if !theirs.iter().any(|f| f.code == id) {
                failures.push(format!(
                    "{name}: EPUBCheck did not report {id} for {}; it said: {:?}",
                    case.code,
                    theirs
                        .iter()
                        .map(|f| format!("{} {} {}", f.code, f.file, f.message))
                        .collect::<Vec<_>>()
                ));
            }
        }
        // Merging keeps one finding per problem: EPUBCheck's duplicates of ours are dropped.
        let before = report.findings.len();
        report.merge_epubcheck(theirs);
        assert!(report.findings.len() >= before);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
