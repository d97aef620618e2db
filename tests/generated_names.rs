//! Names inside the EPUB are generated, never copied from the user's file names: a book
//! whose chapters, images, stylesheet, font and cover have hostile names (spaces, `&`,
//! quotes, `<>`, non-ASCII, `..`, a leading dash, a name that looks like a URL) holds only
//! short ASCII entry names of known shapes, and passes EPUBCheck.

mod common;

use common::{Epub, assert_epubcheck_clean_except, build_ok, project};

#[test]
fn entry_names_are_generated_whatever_the_input_names() {
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let png =
        std::fs::read(repo.join("tests/fixtures/render/hostile/manuscript/img/pic.png")).unwrap();
    let jpg =
        std::fs::read(repo.join("tests/fixtures/render/constructs/manuscript/images/photo.jpg"))
            .unwrap();
    let cover = std::fs::read(repo.join("covers/cover.jpg")).unwrap();
    let font = std::fs::read(repo.join("assets/fonts/EBGaramond12-Regular.otf")).unwrap();
    let first = "---\ntitle: Odd Names\nlang: en\ncss: \"styles/my \\\"style\\\" & <co>.css\"\n---\n\n\
                 # One\n\n![A picture](pictures/ä%20b&c%20<d>%20'e'.png)\n\n\
                 <p><img src=\"pictures/-rf%20..%20photo.jpg\" alt=\"A photo\"></p>\n";
    let dir = project(&[
        ("manuscript/01 ünï <&> \"q\".md", first.as_bytes()),
        ("manuscript/02 ..;rm -rf ~.md", b"# Two\n\nMore text.\n"),
        ("manuscript/03 https:--example.com.md", b"# Three\n\nEnd.\n"),
        ("manuscript/pictures/ä b&c <d> 'e'.png", &png),
        ("manuscript/pictures/-rf .. photo.jpg", &jpg),
        ("styles/my \"style\" & <co>.css", b"p { margin: 0 }\n"),
        ("fonts/Fancy Ü&<Font>.otf", &font),
        ("covers/my cover ü & co.jpg", &cover),
    ]);
    let path = build_ok(dir.path(), &["--embed-font", "fonts/Fancy Ü&<Font>.otf"]);
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    let shapes = [
        r"^mimetype$",
        r"^META-INF/(container|com\.apple\.ibooks\.display-options)\.xml$",
        r"^OEBPS/(content\.opf|toc\.ncx|nav\.xhtml|stylesheet\.css)$",
        r"^OEBPS/(cover|titlepage|chapter-[0-9]{3})\.xhtml$",
        r"^OEBPS/images/(cover|img-[0-9]{3})\.(jpg|png|gif|webp|svg)$",
        r"^OEBPS/fonts/font-[0-9]{2}\.(ttf|otf|woff|woff2)$",
    ];
    for name in &epub.names {
        assert!(
            shapes.iter().any(|s| matches(s, name)),
            "entry `{name}` is not a generated name: {:?}",
            epub.names
        );
    }
    // Everything given is there, under generated names.
    for wanted in [
        "OEBPS/chapter-003.xhtml",
        "OEBPS/images/img-001.png",
        "OEBPS/images/img-002.jpg",
        "OEBPS/chapter-001.xhtml",
        "OEBPS/images/cover.jpg",
        "OEBPS/fonts/font-01.otf",
    ] {
        assert!(
            epub.files.contains_key(wanted),
            "{wanted}: {:?}",
            epub.names
        );
    }
    // No user file name leaks into the manifest or a link either.
    let opf = epub.opf();
    for leak in [
        "ünï",
        "rm -rf",
        "Fancy",
        "my cover",
        "style\"",
        "example.com",
        "pictures/",
    ] {
        assert!(!opf.contains(leak), "`{leak}` in the OPF:\n{opf}");
        for name in epub.xml_names() {
            assert!(
                !epub.text(&name).contains(&format!("src=\"{leak}")),
                "{name}"
            );
        }
    }
    assert_epubcheck_clean_except(&path, &["CSS-028"]);
}

/// A tiny matcher for the shapes above: `^…$`, literal characters, `\.`, `(a|b)`,
/// `[0-9]{n}`. Enough to keep the shapes readable without a regex crate.
fn matches(shape: &str, name: &str) -> bool {
    let pattern = shape.trim_start_matches('^').trim_end_matches('$');
    expand(pattern).iter().any(|p| fits(p, name))
}

/// Expands `(a|b)` groups into every alternative.
fn expand(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('(') else {
        return vec![pattern.to_string()];
    };
    let close = open + pattern[open..].find(')').expect("closed group");
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    pattern[open + 1..close]
        .split('|')
        .flat_map(|alt| expand(&format!("{head}{alt}{tail}")))
        .collect()
}

/// Literal match where `\.` is a dot and `[0-9]{n}` is n digits.
fn fits(pattern: &str, name: &str) -> bool {
    let mut p = pattern;
    let mut n = name;
    while !p.is_empty() {
        if let Some(rest) = p.strip_prefix("[0-9]{") {
            let end = rest.find('}').expect("closed count");
            let count: usize = rest[..end].parse().expect("count");
            if n.len() < count || !n[..count].bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            n = &n[count..];
            p = &rest[end + 1..];
        } else if let Some(rest) = p.strip_prefix("\\.") {
            let Some(r) = n.strip_prefix('.') else {
                return false;
            };
            n = r;
            p = rest;
        } else {
            let c = p.chars().next().expect("non-empty");
            let Some(r) = n.strip_prefix(c) else {
                return false;
            };
            n = r;
            p = &p[c.len_utf8()..];
        }
    }
    n.is_empty()
}
