//! Metadata from `book.toml`, front matter and `--metadata` flags: every key reaches the OPF
//! (checked by parsing it), sources merge in order, and bad values fail with file:line:col.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{
    Epub, assert_epubcheck_clean, build_ok, copy_dir, inkbind, parse_xml as parse, project,
};

const OPF_NS: &str = "http://www.idpf.org/2007/opf";
const DC_NS: &str = "http://purl.org/dc/elements/1.1/";
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// The package metadata, parsed: `dc:*` values and `meta` properties with their refines.
struct Opf {
    text: String,
}

impl Opf {
    fn dc(&self, name: &str) -> Vec<String> {
        let doc = parse(&self.text);
        doc.descendants()
            .filter(|n| n.has_tag_name((DC_NS, name)))
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect()
    }

    /// The id of the `dc:*` element holding `value`.
    fn id_of(&self, name: &str, value: &str) -> String {
        let doc = parse(&self.text);
        doc.descendants()
            .find(|n| n.has_tag_name((DC_NS, name)) && n.text() == Some(value))
            .and_then(|n| n.attribute("id"))
            .unwrap_or_else(|| panic!("no dc:{name} {value:?}"))
            .to_string()
    }

    /// Values of `<meta property=…>`, optionally refining `#id`.
    fn prop(&self, property: &str, refines: Option<&str>) -> Vec<String> {
        let doc = parse(&self.text);
        let refines = refines.map(|r| format!("#{r}"));
        doc.descendants()
            .filter(|n| n.has_tag_name((OPF_NS, "meta")))
            .filter(|n| n.attribute("property") == Some(property))
            .filter(|n| n.attribute("refines") == refines.as_deref())
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect()
    }
}

fn full_fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/meta/full");
    copy_dir(&fixture, dir.path());
    dir
}

#[test]
fn every_key_reaches_the_opf_nav_and_pages() {
    let project = full_fixture();
    let path = build_ok(
        project.path(),
        &[
            "-o",
            "full.epub",
            "-M",
            "rights=© 2024 Ada Example. Flag wins.",
        ],
    );
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    let opf = Opf { text: epub.opf() };
    let doc = parse(&opf.text);
    assert_eq!(
        doc.root_element().attribute((XML_NS, "lang")),
        Some("en-GB")
    );

    assert_eq!(
        opf.dc("title"),
        ["Knots & Bindings: <A> Novel", "Being the second voyage"]
    );
    assert_eq!(opf.prop("title-type", Some("title")), ["main"]);
    assert_eq!(opf.prop("title-type", Some("subtitle")), ["subtitle"]);

    assert_eq!(opf.dc("creator"), ["Ada Example", "Brook Second"]);
    let ada = opf.id_of("creator", "Ada Example");
    assert_eq!(opf.prop("role", Some(&ada)), ["aut"]);
    assert_eq!(opf.prop("file-as", Some(&ada)), ["Example, Ada"]);
    let brook = opf.id_of("creator", "Brook Second");
    assert_eq!(opf.prop("role", Some(&brook)), ["aut"]);
    assert!(opf.prop("file-as", Some(&brook)).is_empty());
    assert_eq!(opf.dc("contributor"), ["Carmen Tradutora"]);
    let carmen = opf.id_of("contributor", "Carmen Tradutora");
    assert_eq!(opf.prop("role", Some(&carmen)), ["trl"]);
    assert_eq!(opf.prop("file-as", Some(&carmen)), ["Tradutora, Carmen"]);

    assert_eq!(opf.dc("language"), ["en-GB"]);
    assert_eq!(opf.dc("date"), ["2024-03-15"]);
    assert_eq!(
        opf.dc("identifier"),
        ["urn:isbn:9780306406157", "urn:doi:10.1000/182"]
    );
    let unique = doc.root_element().attribute("unique-identifier").unwrap();
    assert_eq!(opf.id_of("identifier", "urn:isbn:9780306406157"), unique);
    assert_eq!(opf.prop("identifier-type", Some(unique)), ["15"]);
    assert_eq!(opf.dc("publisher"), ["Inkbind Test Press"]);
    assert_eq!(opf.dc("rights"), ["© 2024 Ada Example. Flag wins."]);
    assert_eq!(
        opf.dc("description"),
        ["A test book that sets every metadata key inkbind knows."]
    );
    assert_eq!(opf.dc("subject"), ["Fiction", "Sea stories"]);

    assert_eq!(
        opf.prop("belongs-to-collection", None),
        ["The Binding Trilogy"]
    );
    assert_eq!(opf.prop("collection-type", Some("collection")), ["series"]);
    assert_eq!(opf.prop("group-position", Some("collection")), ["2"]);
    assert_eq!(opf.prop("dcterms:modified", None), ["2024-03-15T00:00:00Z"]);

    // Accessibility: derived from the content, plus the declared conformance.
    // The harbour photograph has alt text: visual content, and text suffices alone.
    assert_eq!(opf.prop("schema:accessMode", None), ["textual", "visual"]);
    assert_eq!(
        opf.prop("schema:accessModeSufficient", None),
        ["textual", "textual,visual"]
    );
    let features = opf.prop("schema:accessibilityFeature", None);
    for f in [
        "alternativeText",
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ] {
        assert!(features.contains(&f.to_string()), "{features:?}");
    }
    assert_eq!(opf.prop("schema:accessibilityHazard", None), ["none"]);
    let summary = &opf.prop("schema:accessibilitySummary", None)[0];
    assert!(summary.contains("3 chapters and 2 sections"), "{summary}");
    assert!(summary.contains("WCAG 2.2 Level AA"), "{summary}");
    assert_eq!(
        opf.prop("dcterms:conformsTo", None),
        ["EPUB Accessibility 1.1 - WCAG 2.2 Level AA"]
    );
    assert_eq!(opf.prop("a11y:certifiedBy", None), ["Inkbind Test Press"]);
    assert_eq!(
        opf.prop("a11y:certifierCredential", Some("certifier")),
        ["Self-evaluated"]
    );

    // cover-image: the named file, byte for byte.
    let cover = doc
        .descendants()
        .find(|n| n.attribute("properties") == Some("cover-image"))
        .expect("cover item");
    let packed = &epub.files[&format!("OEBPS/{}", cover.attribute("href").unwrap())];
    assert_eq!(
        packed,
        &std::fs::read(project.path().join("art/cover.jpg")).unwrap()
    );

    // chapters = [...] order, front and back matter, toc-depth 3, toc-title, toc-page.
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(nav.contains("<h1>Table of Contents</h1>"), "{nav}");
    let order: Vec<usize> = ["Preface", "Arrival", "The Harbour", "Departure", "Knots"]
        .iter()
        .map(|t| nav.find(&format!(">{t}</a>")).expect(t))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{nav}");
    assert!(
        nav.contains("chapter-002.xhtml#a-smaller-matter"),
        "depth 3"
    );
    assert!(!nav.contains("too-deep"), "depth 4 stays out");
    assert!(nav.contains("<a epub:type=\"bodymatter\" href=\"chapter-002.xhtml\">"));
    assert!(nav.contains("<a epub:type=\"colophon\" href=\"colophon.xhtml\">"));
    let spine: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name((OPF_NS, "itemref")))
        .map(|n| n.attribute("idref").unwrap())
        .collect();
    assert_eq!(
        spine[2], "nav",
        "toc-page puts the contents after the title page"
    );
    assert!(spine.last().unwrap().contains("colophon"));

    // Title page and colophon carry the credits.
    let title_page = epub.text("OEBPS/titlepage.xhtml");
    assert!(title_page.contains("Photograph: Harbour photograph: Dana Lens"));
    assert!(title_page.contains("Knots &amp; Bindings: &lt;A&gt; Novel"));
    let colophon = epub.text("OEBPS/colophon.xhtml");
    for expected in [
        "Carmen Tradutora (translator)",
        "Published by Inkbind Test Press, 15 March 2024",
        "The Binding Trilogy, number 2",
        "Cover design: Eli Cover",
        "urn:isbn:9780306406157",
        "epub:type=\"colophon\"",
    ] {
        assert!(colophon.contains(expected), "colophon lacks {expected:?}");
    }

    assert_epubcheck_clean(&path);
}

fn book(files: &[(&str, &str)]) -> tempfile::TempDir {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_bytes())).collect();
    project(&files)
}

#[test]
fn book_toml_then_front_matter_then_flags() {
    let dir = book(&[
        (
            "book.toml",
            "title = \"From toml\"\npublisher = \"Toml Press\"\nlang = \"fr\"\n\
             rights = \"Toml rights\"\nsubject = [\"Toml\"]\ntoc-depth = 1\n",
        ),
        (
            "manuscript/a.md",
            "---\ntitle: From front matter\nlang: de\nrights: FM rights\ntoc-depth: 3\n---\n\n\
             # One\n\n## Two\n\n### Three\n",
        ),
    ]);
    let epub = Epub::open(&build_ok(
        dir.path(),
        &[
            "-o",
            "m.epub",
            "-M",
            "rights=Flag rights",
            "-M",
            "author=A. Flag",
            "-M",
            "author=B. Flag",
        ],
    ));
    let opf = Opf { text: epub.opf() };
    assert_eq!(opf.dc("title")[0], "From front matter");
    assert_eq!(opf.dc("publisher"), ["Toml Press"]);
    assert_eq!(opf.dc("language"), ["de"]);
    assert_eq!(opf.dc("rights"), ["Flag rights"]);
    assert_eq!(opf.dc("subject"), ["Toml"]);
    assert_eq!(opf.dc("creator"), ["A. Flag", "B. Flag"]);
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(
        nav.contains("#three"),
        "front matter toc-depth 3 beats book.toml's 1"
    );
    // The generated summary is English; a German book says so.
    assert!(
        opf.text
            .contains("<meta property=\"schema:accessibilitySummary\" xml:lang=\"en\">")
    );
}

#[test]
fn declared_hazards_and_exemption_are_written_and_nothing_else_claimed() {
    let dir = book(&[(
        "a.md",
        "---\ntitle: T\nlang: en\naccessibility:\n  hazard: [flashing, noSoundHazard]\n---\n\n# T\n",
    )]);
    let epub = Epub::open(&build_ok(
        dir.path(),
        &[
            "a.md",
            "-o",
            "h.epub",
            "-M",
            "accessibility.exemption=eaa-microenterprise",
        ],
    ));
    let opf = Opf { text: epub.opf() };
    assert_eq!(
        opf.prop("schema:accessibilityHazard", None),
        ["flashing", "noSoundHazard"]
    );
    assert_eq!(opf.prop("a11y:exemption", None), ["eaa-microenterprise"]);
    assert!(opf.prop("dcterms:conformsTo", None).is_empty());
    assert!(opf.prop("a11y:certifiedBy", None).is_empty());
    assert!(
        !opf.prop("schema:accessibilityFeature", None)
            .contains(&"alternativeText".to_string()),
        "no images, so no claim about their alt text"
    );
    let summary = &opf.prop("schema:accessibilitySummary", None)[0];
    assert!(
        summary.contains("declares these hazards: flashing"),
        "{summary}"
    );
}

/// Runs a failing build and returns stderr.
fn build_err(dir: &Path, args: &[&str]) -> String {
    let out = inkbind(dir).arg("build").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!out.status.success(), "build should fail; stderr: {stderr}");
    format!("{}{stderr}", common::flat_diagnostics(&stderr))
}

#[test]
fn bad_values_fail_with_file_line_column_and_what_was_expected() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "title: T\ndate: 24/01/2024\n",
            "a.md:3:7: `date`: `24/01/2024` is not a date; expected YYYY-MM-DD",
            &[],
        ),
        (
            "title: T\nlang: en_US\n",
            "a.md:3:7: `lang`: `en_US` is not a BCP 47 language tag (write `en-US`)",
            &[],
        ),
        (
            "identifier:\n  scheme: ISBN\n  text: 978-0-306-40615-8\n",
            "a.md:3:3: `identifier`: `978-0-306-40615-8` is not a valid ISBN-13",
            &[],
        ),
        (
            "title: T\nsubject: {a: b}\n",
            "a.md:3:10: `subject`: expected a string, found a mapping",
            &[],
        ),
        (
            "title: T\nauthor:\n  - name: X\n    role: chef\n",
            "a.md:5:11: `author.role`: `chef` is not a MARC relator role",
            &[],
        ),
        (
            "title: T\ntitle: U\n",
            "a.md:3:1: front matter is not valid YAML: duplicate",
            &[],
        ),
        (
            "title: T\nauthor: [x\n",
            "a.md:3:9: front matter is not valid YAML",
            &[],
        ),
        (
            "toc-depth: 9\n",
            "a.md:2:12: `toc-depth`: `9` is not a heading level; expected a whole number from 1 to 6",
            &[],
        ),
        (
            "series: S\ngroup-position: second\n",
            "a.md:3:17: `group-position`: `second` is not a position in a series",
            &[],
        ),
        (
            "accessibility:\n  conforms-to: EPUB Accessibility 1.1 - WCAG 2.2 Level AA\n",
            "a.md:3:16: `accessibility.conforms-to` needs `accessibility.certified-by`",
            &[],
        ),
        (
            "accessibility:\n  hazard: dangerous\n",
            "a.md:3:11: `accessibility.hazard`: `dangerous` is not a hazard",
            &[],
        ),
        (
            "cover-image: ../outside.jpg\n",
            "a.md:2:14: `cover-image`: `../outside.jpg` is outside the project folder",
            &[],
        ),
        (
            "title: T\n",
            "--metadata `date=tomorrow`: `date`: `tomorrow` is not a date",
            &["-M", "date=tomorrow"],
        ),
    ];
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(outer.path().join("outside.jpg"), b"not inside").unwrap();
    for (i, (front, expected, extra)) in cases.iter().enumerate() {
        let dir = outer.path().join(format!("p{i}"));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("outside.jpg"), b"x").unwrap();
        std::fs::write(dir.join("a.md"), format!("---\n{front}---\n\n# Body\n")).unwrap();
        let mut args = vec!["a.md", "-o", "x.epub"];
        args.extend_from_slice(extra);
        let stderr = build_err(&dir, &args);
        assert!(
            stderr.contains(expected),
            "case {i}: expected {expected:?} in:\n{stderr}"
        );
    }
}

#[test]
fn book_toml_and_toml_front_matter_errors_point_at_their_lines() {
    let dir = book(&[
        ("book.toml", "title = \"T\"\n\nlang = 42\n"),
        ("manuscript/a.md", "# A\n"),
    ]);
    let stderr = build_err(dir.path(), &[]);
    assert!(
        stderr.contains("book.toml:3:8: `lang`: `42` is not a BCP 47 language tag"),
        "{stderr}"
    );
    let dir = book(&[(
        "manuscript/a.md",
        "+++\ntitle = \"T\"\ndate = \"2024-13-01\"\n+++\n# A\n",
    )]);
    let stderr = build_err(dir.path(), &[]);
    assert!(stderr.contains("a.md:3:8: `date`"), "{stderr}");
    let dir = book(&[
        ("book.toml", "chapters = [\"a.md\", \"missing.md\"]\n"),
        ("manuscript/a.md", "# A\n"),
    ]);
    let stderr = build_err(dir.path(), &[]);
    assert!(
        stderr.contains("book.toml:1:12: `chapters`: `missing.md` does not exist"),
        "{stderr}"
    );
}

#[test]
fn unknown_keys_warn_with_their_line_and_the_build_goes_on() {
    let dir = book(&[(
        "manuscript/a.md",
        "---\ntitle: T\nlang: en\ntitel: typo\nauthor:\n  - name: X\n    affiliation: Y\n---\n\n# A\n",
    )]);
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    assert!(out.status.success());
    let stderr = common::flat_diagnostics(&String::from_utf8_lossy(&out.stderr));
    assert!(
        stderr.contains("a.md:4: unknown metadata key `titel` is ignored"),
        "{stderr}"
    );
    assert!(
        stderr.contains("a.md:7: unknown `author` field `affiliation` is ignored"),
        "{stderr}"
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused_at_once() {
    let mut yaml = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (prev, cur) in ('a'..='h').zip('b'..='i') {
        yaml.push_str(&format!(
            "{cur}: &{cur} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    let dir = book(&[("a.md", &format!("---\n{yaml}---\n# A\n"))]);
    let start = Instant::now();
    let stderr = build_err(dir.path(), &["a.md"]);
    assert!(start.elapsed() < Duration::from_secs(5));
    assert!(stderr.contains("a.md:"), "{stderr}");
    assert!(
        stderr.contains("front matter is not valid YAML"),
        "{stderr}"
    );
}

#[test]
fn the_identifier_is_stable_across_builds_and_edits_of_the_text() {
    let dir = book(&[(
        "manuscript/a.md",
        "---\ntitle: Stable\nlang: en\ndate: 2024-01-01\n---\n\n# A\n\nFirst text.\n",
    )]);
    let first = std::fs::read(build_ok(dir.path(), &[])).unwrap();
    let second = std::fs::read(build_ok(dir.path(), &[])).unwrap();
    assert!(first == second, "same inputs, same bytes");
    let id = |bytes: &[u8]| {
        let tmp = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(tmp.path(), bytes).unwrap();
        Opf {
            text: Epub::open(tmp.path()).opf(),
        }
        .dc("identifier")
    };
    std::fs::write(
        dir.path().join("manuscript/a.md"),
        "---\ntitle: Stable\nlang: en\ndate: 2024-01-01\n---\n\n# A\n\nRevised text.\n",
    )
    .unwrap();
    let revised = std::fs::read(build_ok(dir.path(), &[])).unwrap();
    assert_ne!(first, revised);
    assert_eq!(id(&first), id(&revised));
}
