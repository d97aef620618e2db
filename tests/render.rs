//! The render stage on real manuscripts: every Markdown construct, hostile raw HTML,
//! splitting, links across files, images and the errors a user must see.

mod common;

use std::path::{Path, PathBuf};

use common::{Epub, assert_epubcheck_clean, copy_dir, inkbind, project};

const EPUB_NS: &str = "http://www.idpf.org/2007/ops";

fn fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/render")
        .join(name);
    copy_dir(&from, dir.path());
    dir
}

/// Builds in `dir` and returns the EPUB path and the warnings, one `FILE:LINE: MESSAGE` each.
fn build(dir: &Path, args: &[&str]) -> (PathBuf, String) {
    let (path, stderr) = build_raw(dir, args);
    (path, common::flat_diagnostics_by_line(&stderr))
}

/// Builds in `dir` and returns the EPUB path and stderr as printed.
fn build_raw(dir: &Path, args: &[&str]) -> (PathBuf, String) {
    let out = inkbind(dir)
        .arg("build")
        .args(args)
        .output()
        .expect("run inkbind");
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "build failed:\n{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    (
        PathBuf::from(stdout.lines().last().expect("a path").trim()),
        stderr,
    )
}

fn build_err(dir: &Path, args: &[&str]) -> String {
    let out = inkbind(dir)
        .arg("build")
        .args(args)
        .output()
        .expect("run inkbind");
    assert!(!out.status.success(), "build should fail");
    common::flat_diagnostics_by_line(&String::from_utf8_lossy(&out.stderr))
}

fn parse(text: &str) -> roxmltree::Document<'_> {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(text, opts).expect("well-formed")
}

fn chapters(epub: &Epub) -> Vec<String> {
    epub.names
        .iter()
        .filter(|n| n.starts_with("OEBPS/chapter-"))
        .cloned()
        .collect()
}

/// Every id in every chapter is unique across the book and a valid XML name.
fn assert_ids_unique(epub: &Epub) {
    let mut seen = std::collections::HashSet::new();
    for name in chapters(epub) {
        let text = epub.text(&name);
        for node in parse(&text).descendants() {
            if let Some(id) = node.attribute("id") {
                assert!(seen.insert(id.to_string()), "id {id} repeated ({name})");
                assert!(
                    id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'),
                    "{id}"
                );
            }
        }
    }
}

#[test]
fn every_construct_renders_to_valid_xhtml() {
    let dir = fixture("constructs");
    let (path, stderr) = build_raw(dir.path(), &[]);
    let (warnings, columns) = (
        common::flat_diagnostics_by_line(&stderr),
        common::flat_diagnostics(&stderr),
    );
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    assert_ids_unique(&epub);
    let files = chapters(&epub);
    // Intro text, then one file per level-1 heading, then the second Markdown file.
    assert_eq!(files.len(), 7, "{files:?}");
    let main = epub.text("OEBPS/chapter-002.xhtml");
    let doc = parse(&main);
    assert_eq!(
        doc.descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|t| t.text()),
        Some("Every Construct")
    );
    let h1 = doc.descendants().find(|n| n.has_tag_name("h1")).unwrap();
    assert_eq!(h1.attribute("id"), Some("every"));
    assert_eq!(h1.attribute("class"), Some("opening"));
    assert_eq!(h1.attribute("data-kind"), Some("intro"));

    for expected in [
        "<del>deleted</del>",
        "<sub>subscript</sub>",
        "<sup>superscript</sup>",
        "<code>code &lt;span&gt;</code>",
        "hard break<br/>",
        "<th class=\"align-left\">Left</th><th class=\"align-center\">Centre</th><th class=\"align-right\">Right</th><th>None</th>",
        "<li class=\"task-item\"><span class=\"task-done\">\u{2611}</span> done task</li>",
        "<span class=\"task-todo\">\u{2610}</span> open task",
        "<dt>Term two</dt>\n<dd>First definition.</dd>\n<dd>Second definition.</dd>",
        "<blockquote class=\"callout callout-note\">",
        // Highlighted with classes; the code's own markup characters stay escaped.
        "<pre><code class=\"language-rust\"><span class=\"hl-keyword\">fn</span> <span class=\"hl-function\">main</span>() { <span class=\"hl-function\">println!</span>(<span class=\"hl-string\">\"&lt;&amp;&gt;\"</span>); }",
        "<code class=\"math-tex\">\\notacommand{x}</code>",
        "<figure class=\"figure\">\n<img src=\"images/img-001.png\" alt=\"A blue rectangle\"/>\n<figcaption>The figure caption</figcaption>\n</figure>",
        "<figcaption>Same file, other spelling</figcaption>",
        "<a class=\"remote-image\" href=\"https://example.org/cat.png\">remote cat</a>",
        "<a href=\"chapter-007.xhtml#deep-section\">a heading there</a>",
        "<a href=\"chapter-007.xhtml\">the other file</a>",
        "<a>missing anchor</a>",
        "<a>script</a>",
        "<h2 id=\"lists-2\">Lists</h2>",
    ] {
        assert!(main.contains(expected), "chapter lacks {expected:?}");
    }
    assert_eq!(
        main.matches("src=\"images/img-001.png\"").count(),
        2,
        "same file, one resource"
    );
    assert!(
        !main.contains("<input"),
        "task lists use characters, not inputs"
    );
    assert!(
        epub.text("OEBPS/chapter-001.xhtml")
            .contains("“smart quotes”, – dashes — and ellipses…")
    );

    // Footnotes: EPUB 3 semantics, numbered by first reference, ids apart from headings.
    let noterefs: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute((EPUB_NS, "type")) == Some("noteref"))
        .map(|n| {
            (
                n.attribute("href").unwrap(),
                n.text().unwrap(),
                n.attribute("role"),
            )
        })
        .collect();
    assert_eq!(
        noterefs,
        [
            ("#fn-1-1", "1", Some("doc-noteref")),
            ("#fn-1-2", "2", Some("doc-noteref")),
            ("#fn-1-1", "1", Some("doc-noteref"))
        ]
    );
    let asides: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("aside"))
        .map(|n| {
            assert_eq!(n.attribute((EPUB_NS, "type")), Some("footnote"));
            assert_eq!(n.attribute("role"), Some("doc-footnote"));
            let back = n
                .descendants()
                .find(|a| a.attribute("role") == Some("doc-backlink"))
                .unwrap();
            (n.attribute("id").unwrap(), back.attribute("href").unwrap())
        })
        .collect();
    assert_eq!(asides, [("fn-1-1", "#fnref-1-1"), ("fn-1-2", "#fnref-1-2")]);
    assert!(!main.contains("Never referenced"));

    // The second file: its collision renamed, its links back resolved, notes from 1 again.
    let more = epub.text("OEBPS/chapter-007.xhtml");
    assert!(more.contains("<h1 id=\"every-2\">More</h1>"));
    assert!(more.contains("<a href=\"chapter-002.xhtml#lists\">the first file</a>"));
    assert!(more.contains("<a href=\"chapter-001.xhtml\">its start</a>"));
    assert!(more.contains("id=\"fn-2-1\""));
    for (file, id) in [
        ("003", "h-2024"),
        ("004", "ri-ben-yu-nojian-chu-si"),
        ("005", "tada"),
        ("006", "every-construct"),
    ] {
        assert!(
            epub.text(&format!("OEBPS/chapter-{file}.xhtml"))
                .contains(&format!("<h1 id=\"{id}\">")),
            "{file}"
        );
    }

    // Images: each file once, safe names, sniffed types; MathML declared.
    let opf = epub.opf();
    for (href, ty) in [
        ("images/img-001.png", "image/png"),
        ("images/img-002.jpg", "image/jpeg"),
        ("images/img-003.svg", "image/svg+xml"),
    ] {
        assert!(
            opf.contains(&format!("href=\"{href}\" media-type=\"{ty}\"")),
            "{href}"
        );
    }
    assert!(!epub.names.iter().any(|n| n.contains("img-004")));
    assert!(opf.contains(
        "href=\"chapter-002.xhtml\" media-type=\"application/xhtml+xml\" properties=\"mathml\""
    ));

    // Warnings name file:line (and the column of the construct, checked once here).
    let md = "01-constructs.md";
    assert!(
        columns.contains(&format!("{md}:17:15: footnote reference `[^nowhere]`")),
        "{columns}"
    );
    for expected in [
        format!("{md}:17: footnote reference `[^nowhere]` has no definition"),
        format!("{md}:24: footnote `[^unused]` is defined but never referenced"),
        format!("{md}:76: TeX math could not be converted"),
        format!("{md}:88: remote image `https://example.org/cat.png` is not fetched"),
        format!("{md}:93: link to `#no-such-anchor` leads nowhere"),
        format!("{md}:94: link to `nope.md`, which does not exist removed"),
        format!("{md}:94: link to a javascript URL removed"),
        "02-more.md:1: id `every` is already used in the book; renamed to `every-2`".to_string(),
    ] {
        assert!(
            warnings.contains(&expected),
            "missing warning {expected:?} in\n{warnings}"
        );
    }
    assert_epubcheck_clean(&path);
}

#[test]
fn hostile_raw_html_is_sanitised_into_valid_xhtml() {
    let dir = fixture("hostile");
    let (path, warnings) = build(dir.path(), &[]);
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    assert_ids_unique(&epub);
    let text = epub.text("OEBPS/chapter-001.xhtml");
    let body = &text[text.find("<body").expect("a body")..];
    let lower = body.to_ascii_lowercase();
    for banned in [
        "<script",
        "<iframe",
        "<object",
        "<embed",
        "<input",
        "<button",
        "<select",
        "<textarea",
        "<form",
        "<style",
        "<meta",
        "<link",
        "<base",
        "<video",
        "<audio",
        "<template",
        "<title>bad",
        " onclick",
        " onload",
        " onmouseover",
        "javascript:",
        " style=",
        "<!--",
        "&nbsp;",
        "<o:p",
        "<font",
        "<center",
        "<marquee",
        "align=",
        "bgcolor",
        "border=",
        "xmlns:o",
        "<?php",
        "alert(",
        "data:image",
    ] {
        assert!(!lower.contains(banned), "{banned:?} survived sanitising");
    }
    for expected in [
        "Line one<br/>line two",
        "<img src=\"images/img-001.png\" alt=\"a picture\"/>",
        "<p>\u{a0}©—…é&amp;NotAnEntity; &amp;</p>",
        "<p>one</p><p>two</p>",
        "<p><b><i>bold italic</i></b> italic?</p>",
        "<p class=\"lead\" id=\"Unquoted\" title=\"x\">unquoted attributes</p>",
        "<p data-ok=\"1\">bad attribute names</p>",
        "<div>kept text</div>",
        "<p class=\"MsoNormal\">Word paste</p>",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"20\" height=\"20\" viewBox=\"0 0 20 20\"><circle cx=\"10\" cy=\"10\" r=\"8\" fill=\"teal\"></circle></svg>",
        "<a xlink:href=\"https://example.org\">",
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" alttext=\"x = 1\"><mi>x</mi>",
        "<td>cell</td><td>zero</td>",
        "<ul><li><p>paragraph in list</p></li><li>text in list</li><li>real item</li></ul>",
        "<p><a href=\"https://a.example\">outer inner</a></p>",
        "<p id=\"dup\">one</p><p id=\"dup-2\">two</p><p id=\"has-space\">three</p>",
        "control \u{FFFD}\u{FFFD}\u{FFFD} chars",
        "<div><span><em>never closed\n</em></span></div>",
        "<code>teletype</code><s>struck</s>",
        "<a class=\"remote-image\" href=\"https://example.org/remote.png\">remote</a>",
        "<p>no script content</p>",
        "<time>a time</time> <time datetime=\"2024-01-02\">ok</time>",
        "<a id=\"old-anchor\">named anchor</a>",
        "<section epub:type=\"chapter\" role=\"doc-pullquote\">",
        "<span class=\"x\">span <em>with md</em></span>",
        "<p>Before  after.</p>",
        "<p>A <b>bold</b> and <a>js</a> link.</p>",
        "<p>An <em>unclosed emphasis and <strong>strong.</strong></em></p>",
        "Inline image <img src=\"images/img-001.png\" alt=\"\"/> without alt.",
        "<p>Inline  control.</p>",
        "<p><a href=\"https://y.example\">md link with raw a inside</a></p>",
        "<div class=\"note\">\n<p><em>Markdown</em> inside a raw div.</p>\n</div>",
        "<a href=\"#old-anchor\">the named anchor</a> and <a href=\"#dup-2\">dup</a>",
    ] {
        assert!(text.contains(expected), "chapter lacks {expected:?}");
    }
    let opf = epub.opf();
    assert!(opf.contains("properties=\"mathml svg\""), "{opf}");
    assert_eq!(
        epub.names
            .iter()
            .filter(|n| n.contains("images/img-"))
            .count(),
        1
    );

    let count = |line: usize, what: &str| {
        warnings
            .lines()
            .filter(|l| l.contains(&format!("hostile.md:{line}: ")) && l.contains(what))
            .count()
    };
    for (line, what, n) in [
        (50, "<script> removed", 1),
        (58, "<iframe> removed", 1),
        (62, "<object> removed", 1),
        (66, "<form> removed", 1),
        (70, "attribute `on", 2),
        (74, "javascript URL removed", 2),
        (78, "attribute `style` removed", 1),
        (82, "<style> removed", 1),
        (94, "attribute `onload` removed", 1),
        (94, "<script> removed", 1),
        (118, "renamed to `dup-2`", 1),
        (122, "control character", 1),
        (134, "removed", 3),
        (138, "removed", 2),
        (146, "remote image", 1),
        (188, "<script> removed", 1),
        (204, "<input> removed", 1),
    ] {
        assert_eq!(count(line, what), n, "line {line}: {what}\n{warnings}");
    }
    assert_epubcheck_clean(&path);
}

#[test]
fn split_level_two_cuts_at_second_level_headings() {
    let dir = fixture("constructs");
    let (path, _) = build(dir.path(), &["--split-level", "2", "-o", "split.epub"]);
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    assert_ids_unique(&epub);
    let titles: Vec<String> = chapters(&epub)
        .iter()
        .map(|n| {
            let text = epub.text(n);
            let doc = parse(&text);
            doc.descendants()
                .find(|n| n.has_tag_name("title"))
                .and_then(|t| t.text())
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert_eq!(
        titles,
        [
            "Render Constructs",
            "Every Construct",
            "Lists",
            "Tables",
            "Code and math",
            "Images",
            "Links",
            "Lists",
            "2024",
            "日本語の見出し",
            "🎉",
            "Every Construct",
            "More",
            "Deep Section"
        ]
    );
    // Links follow their anchors into the new files; notes stay with their reference.
    let every = epub.text("OEBPS/chapter-002.xhtml");
    assert!(every.contains("href=\"#fn-1-1\""));
    assert!(every.contains("<aside class=\"footnote\""));
    let links = epub.text("OEBPS/chapter-007.xhtml");
    assert!(
        links.contains("<a href=\"chapter-002.xhtml#every\">the opening</a>"),
        "{links}"
    );
    assert!(links.contains("<a href=\"chapter-003.xhtml#lists\">lists</a>"));
    assert!(links.contains("<a href=\"chapter-014.xhtml#deep-section\">a heading there</a>"));
    let nav = epub.text("OEBPS/nav.xhtml");
    assert!(nav.contains("chapter-014.xhtml"));
}

#[test]
fn images_must_exist_and_stay_inside_the_project() {
    let png: &[u8] = b"\x89PNG\r\n\x1a\n0000";
    let dir = project(&[
        (
            "book/text.md",
            b"# T\n\nLine two.\n\n![gone](missing.png)\n",
        ),
        ("outside.png", png),
    ]);
    let root = dir.path().join("book");
    let err = build_err(&root, &["text.md"]);
    assert!(
        err.contains("text.md:5: image `missing.png` not found"),
        "{err}"
    );

    std::fs::write(root.join("text.md"), "# T\n\n![out](../outside.png)\n").unwrap();
    let err = build_err(&root, &["text.md"]);
    assert!(
        err.contains("text.md:3: image `../outside.png` is outside the project folder"),
        "{err}"
    );

    std::fs::write(
        root.join("text.md"),
        "# T\n\n<img src=\"file:///etc/passwd\">\n",
    )
    .unwrap();
    let err = build_err(&root, &["text.md"]);
    assert!(
        err.contains("text.md:3: image `file:///etc/passwd`: file: URLs are not allowed"),
        "{err}"
    );

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(dir.path().join("outside.png"), root.join("link.png")).unwrap();
        std::fs::write(root.join("text.md"), "# T\n\n![l](link.png)\n").unwrap();
        let err = build_err(&root, &["text.md"]);
        assert!(
            err.contains("text.md:3: image `link.png` is outside the project folder"),
            "{err}"
        );
    }
}

/// Each file's section says where it belongs (front, body, back matter) and what it is,
/// with the ARIA role Ace expects next to the `epub:type`; the heading itself carries none.
#[test]
fn chapter_roles_reach_the_section_and_leave_the_heading() {
    let dir = project(&[
        (
            "manuscript/01.md",
            b"---\ntitle: Roles\nlang: en\n---\n\n# Preface {epub:type=preface}\n\nWhy.\n"
                as &[u8],
        ),
        ("manuscript/02.md", b"# One\n\nText.\n"),
        (
            "manuscript/03.md",
            b"# Knots {epub:type=appendix}\n\nMore.\n",
        ),
    ]);
    let (path, _) = build(dir.path(), &[]);
    let epub = Epub::open(&path);
    let section = |name: &str| {
        let text = epub.text(name);
        let start = text.find("<section").unwrap();
        let end = start + text[start..].find('>').unwrap();
        (text[start..=end].to_string(), text)
    };
    let (s1, t1) = section("OEBPS/chapter-001.xhtml");
    assert_eq!(
        s1,
        "<section epub:type=\"frontmatter preface\" role=\"doc-preface\">"
    );
    assert!(t1.contains("<h1 id=\"preface\">Preface</h1>"), "{t1}");
    let (s2, _) = section("OEBPS/chapter-002.xhtml");
    assert_eq!(
        s2,
        "<section epub:type=\"bodymatter chapter\" role=\"doc-chapter\">"
    );
    let (s3, _) = section("OEBPS/chapter-003.xhtml");
    assert_eq!(
        s3,
        "<section epub:type=\"backmatter appendix\" role=\"doc-appendix\">"
    );
}

#[test]
fn a_remote_image_inside_a_link_does_not_nest_links() {
    let md = "---\ntitle: Nest\nlang: en\n---\n\n# Nest\n\n\
              See [![logo](https://x.org/a.png)](https://example.com) and \
              <a href=\"https://example.org\"><img src=\"https://x.org/b.png\" alt=\"badge\"/></a>.\n\n\
              Alone: ![plain](https://x.org/c.png).\n";
    let dir = common::project(&[("manuscript/nest.md", md.as_bytes())]);
    let path = common::build_ok(dir.path(), &[]);
    let epub = common::Epub::open(&path);
    let name = epub
        .names
        .iter()
        .find(|n| n.contains("chapter"))
        .expect("chapter")
        .clone();
    let xhtml = epub.text(&name);
    assert!(
        xhtml.contains("<a href=\"https://example.com\">logo</a>"),
        "{xhtml}"
    );
    assert!(
        xhtml.contains("<a href=\"https://example.org\">badge</a>"),
        "{xhtml}"
    );
    assert!(
        xhtml.contains("<a class=\"remote-image\" href=\"https://x.org/c.png\">plain</a>"),
        "{xhtml}"
    );
    common::assert_epubcheck_clean(&path);
}
