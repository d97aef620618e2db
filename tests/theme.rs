//! Themes, user stylesheets and embedded fonts: what ends up in the EPUB, what is refused,
//! and that the result stays EPUBCheck-clean.

mod common;

use common::{Epub, assert_epubcheck_clean_except, build_ok, inkbind, project};

const CHAPTER: &str = "---\ntitle: Two Chapters\nlang: en\n---\n\n# One\n\nFirst paragraph.\n\nSecond *paragraph*.\n\n***\n\nAfter the break.\n";
const CHAPTER_TWO: &str = "# Two\n\nMore text.\n";

fn stylesheet(epub: &Epub) -> String {
    epub.text("OEBPS/stylesheet.css")
}

#[test]
fn book_theme_with_user_css_and_an_embedded_font_is_valid() {
    let font = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/theme/EBGaramond12-Bold.otf"),
    )
    .unwrap();
    let css = b".note { font-style: italic; background: url(\"paper.png\"); margin: 0 }\n@import url(\"http://example.com/x.css\");\nbody { position: absolute }\n";
    let dir = project(&[
        ("manuscript/01.md", CHAPTER.as_bytes()),
        ("manuscript/02.md", CHAPTER_TWO.as_bytes()),
        ("style/extra.css", css),
        ("fonts/Garamond-Bold.otf", &font),
    ]);
    let out = inkbind(dir.path())
        .args([
            "build",
            "--css",
            "style/extra.css",
            "--embed-font",
            "fonts/Garamond-Bold.otf",
        ])
        .output()
        .unwrap();
    let stderr = common::flat_diagnostics(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    // Each external reference dropped and reported with its line; the unsafe rule reported.
    assert!(stderr.contains("extra.css:1: dropped"), "{stderr}");
    assert!(stderr.contains("extra.css:2: dropped"), "{stderr}");
    assert!(stderr.contains("position: absolute"), "{stderr}");

    let path = dir.path().join("out/two-chapters.epub");
    let epub = Epub::open(&path);
    let css = stylesheet(&epub);
    // Two files make a book: the book theme's indented paragraphs.
    assert!(css.contains("inkbind \"book\" theme"));
    assert!(
        css.contains(".note { font-style: italic; margin: 0 }"),
        "{css}"
    );
    assert!(!css.contains("paper.png") && !css.contains("@import"));
    assert!(css.contains("font-family: \"EB Garamond"), "{css}");
    assert!(css.contains("src: url(\"fonts/font-01.otf\")"));
    assert!(css.contains("font-weight: 700"));
    assert_eq!(epub.files["OEBPS/fonts/font-01.otf"], font);
    let opf = epub.opf();
    assert!(
        opf.contains("href=\"fonts/font-01.otf\" media-type=\"font/otf\""),
        "{opf}"
    );
    epub.assert_well_formed();
    // CSS-028 only notes that @font-face is used, which embedding a font means.
    assert_epubcheck_clean_except(&path, &["CSS-028"]);
}

#[test]
fn one_file_defaults_to_the_article_theme_and_the_flag_overrides_it() {
    let dir = project(&[("manuscript/a.md", CHAPTER.as_bytes())]);
    let epub = Epub::open(&build_ok(dir.path(), &[]));
    assert!(stylesheet(&epub).contains("inkbind \"article\" theme"));
    let epub = Epub::open(&build_ok(dir.path(), &["--theme", "book", "-o", "b.epub"]));
    assert!(stylesheet(&epub).contains("inkbind \"book\" theme"));
}

#[test]
fn stylesheets_and_fonts_outside_the_project_are_refused() {
    let outside = tempfile::NamedTempFile::new().unwrap();
    let dir = project(&[("manuscript/a.md", CHAPTER.as_bytes())]);
    for flag in ["--css", "--embed-font"] {
        let out = inkbind(dir.path())
            .args(["build", flag])
            .arg(outside.path())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success());
        assert!(stderr.contains("outside the project folder"), "{stderr}");
        assert!(!dir.path().join("out").exists(), "no output on error");
    }
}

#[test]
fn a_file_that_is_not_a_font_is_refused_by_name() {
    let dir = project(&[
        ("manuscript/a.md", CHAPTER.as_bytes()),
        ("f.ttf", b"not a font"),
    ]);
    let out = inkbind(dir.path())
        .args(["build", "--embed-font", "f.ttf"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("f.ttf") && stderr.contains("not a TrueType"),
        "{stderr}"
    );
}

/// The shipped stylesheets, as packed, break none of the reader-safety rules.
#[test]
fn packed_stylesheets_pass_the_css_lint() {
    let dir = project(&[("manuscript/a.md", CHAPTER.as_bytes())]);
    for theme in ["book", "article"] {
        let out = format!("{theme}.epub");
        let epub = Epub::open(&build_ok(dir.path(), &["--theme", theme, "-o", &out]));
        let findings = inkbind::theme::lint::lint(&stylesheet(&epub));
        assert!(findings.is_empty(), "{theme}: {findings:?}");
    }
}

#[test]
fn stylesheets_from_front_matter_come_before_those_from_flags() {
    let md = "---\ntitle: Styled\nlang: en\ncss: [meta.css]\n---\n\nText.\n";
    let dir = project(&[
        ("manuscript/a.md", md.as_bytes()),
        ("meta.css", b".from-meta { font-style: italic }\n"),
        ("flag.css", b".from-flag { font-weight: bold }\n"),
    ]);
    let epub = Epub::open(&build_ok(dir.path(), &["--css", "flag.css"]));
    let css = stylesheet(&epub);
    let (meta, flag) = (css.find(".from-meta"), css.find(".from-flag"));
    assert!(meta.is_some() && flag.is_some() && meta < flag, "{css}");
}
