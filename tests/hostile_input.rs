//! Hostile or broken manuscripts: every case ends in a clear error naming the file, or in a
//! warning plus a valid EPUB — never a panic, a hang or a corrupt output.

mod common;

use std::time::{Duration, Instant};

use common::{Epub, build_ok, inkbind, project};

const FM: &str = "---\ntitle: Hostile\nlang: en\n---\n\n";

/// Runs a build that must fail; returns stderr. Asserts no output file and no panic.
fn build_fails(dir: &std::path::Path) -> String {
    let out = inkbind(dir).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        !dir.join("out").exists() || std::fs::read_dir(dir.join("out")).unwrap().next().is_none()
    );
    stderr
}

/// Builds, checks the EPUB parses, returns (epub, stderr, seconds).
fn build_valid(files: &[(&str, &[u8])]) -> (Epub, String, f64) {
    let dir = project(files);
    let started = Instant::now();
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    let secs = started.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    let path = std::path::PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    (epub, stderr, secs)
}

#[test]
fn non_utf8_markdown_is_an_error_naming_file_line_and_byte() {
    let mut bytes = FM.as_bytes().to_vec();
    bytes.extend_from_slice(b"Fine line.\nCaf\xe9 au lait.\n");
    let dir = project(&[("manuscript/a.md", &bytes)]);
    let stderr = build_fails(dir.path());
    assert!(stderr.contains("not valid UTF-8 (byte 47)"), "{stderr}");
    assert!(stderr.contains("--> manuscript/a.md:7"), "{stderr}");
}

#[test]
fn bom_and_crlf_give_the_same_epub_as_lf() {
    let lf = format!("{FM}# Title\n\nOne\ntwo.\n\n> quote\n");
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    let first = project(&[("manuscript/a.md", lf.as_bytes())]);
    let a = std::fs::read(build_ok(first.path(), &[])).unwrap();
    let dir = project(&[("manuscript/a.md", crlf.as_bytes())]);
    let b = std::fs::read(build_ok(dir.path(), &[])).unwrap();
    assert!(a == b, "BOM + CRLF changed the EPUB");
}

#[test]
fn nul_and_control_characters_become_replacement_characters() {
    let md = format!("{FM}Before\u{0}after \u{1}\u{b} and \u{7f} end.\n");
    let (epub, stderr, _) = build_valid(&[("manuscript/a.md", md.as_bytes())]);
    assert!(
        common::flat_diagnostics_by_line(&stderr).contains(
            "manuscript/a.md:6: control character replaced with U+FFFD (XML does not allow it)"
        ),
        "{stderr}"
    );
    let chapter = epub.text("OEBPS/chapter-001.xhtml");
    assert!(chapter.contains("Before\u{FFFD}after"), "{chapter}");
    assert!(!chapter.contains('\u{0}') && !chapter.contains('\u{1}'));
}

#[test]
fn empty_and_body_less_manuscripts_give_a_valid_book_or_a_clear_error() {
    // Front matter and no text: a valid (short) EPUB.
    let (epub, _, _) = build_valid(&[("manuscript/a.md", FM.as_bytes())]);
    assert!(epub.files.contains_key("OEBPS/chapter-001.xhtml"));
    // An empty file: still a book, titled from the file name, with a warning.
    let (_, stderr, _) = build_valid(&[("manuscript/notes.md", b"")]);
    let flat = common::flat_diagnostics(&stderr);
    assert!(
        flat.contains("manuscript/notes.md:1: no `title` in the metadata; using `notes`"),
        "{stderr}"
    );
    // A folder with no Markdown: a clear error.
    let dir = project(&[("manuscript/readme.txt", b"x")]);
    let stderr = build_fails(dir.path());
    let wanted = format!(
        "no Markdown files (*.md) in `{}`: put the manuscript there or name a file",
        dir.path().join("manuscript").display()
    );
    assert!(
        common::flat_diagnostics(&stderr).contains(&wanted),
        "{stderr}"
    );
}

/// Sizes where a quadratic pass or a recursion would show: each case must build, valid, in
/// seconds (debug build), without overflowing the stack.
#[test]
fn deep_nesting_long_lines_and_pathological_emphasis_stay_bounded() {
    let cases: Vec<(&str, String)> = vec![
        ("5 MB line", format!("{FM}{}\n", "word ".repeat(1_000_000))),
        (
            "10,000 nested quotes",
            format!("{FM}{} deep\n", "> ".repeat(10_000)),
        ),
        ("10,000 nested lists", {
            let mut s = FM.to_string();
            for i in 0..10_000 {
                s.push_str(&" ".repeat(i.min(3_000) * 2));
                s.push_str("- item\n");
            }
            s
        }),
        ("emphasis", format!("{FM}{}\n", "*a **b ".repeat(50_000))),
        ("brackets", format!("{FM}{}\n", "[".repeat(100_000))),
        ("links", format!("{FM}{}\n", "[a](".repeat(50_000))),
        ("html", format!("{FM}{}\n", "<div>".repeat(10_000))),
        (
            "inline html",
            format!("{FM}x {}\n", "<span>".repeat(10_000)),
        ),
    ];
    for (name, md) in cases {
        let (_, _, secs) = build_valid(&[("manuscript/a.md", md.as_bytes())]);
        assert!(secs < 30.0, "{name} took {secs:.1} s");
    }
}

#[test]
fn front_matter_bombs_and_deep_structures_are_refused_quickly() {
    let cases = [
        (
            "alias bomb",
            "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n\
             c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n\
             e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n---\n"
                .to_string(),
            "manuscript/a.md:5:12: front matter is not valid YAML: YAML document too large or \
             too complex: total_replayed_events=2001 > 2000",
        ),
        (
            "deep nesting",
            format!("---\ntitle: {}x{}\n---\n", "[".repeat(50_000), "]".repeat(50_000)),
            "front matter is not valid YAML: recursion limit exceeded",
        ),
        (
            "huge front matter",
            format!("---\ntitle: T\ndescription: \"{}\"\n---\n", "x".repeat(3_000_000)),
            "manuscript/a.md:1: front matter opened with `---` runs past 1048576 bytes without \
             closing",
        ),
        (
            "duplicate key",
            "---\ntitle: A\ntitle: B\n---\n".to_string(),
            "manuscript/a.md:3:1: front matter is not valid YAML: duplicate mapping key `title` \
             is not allowed here",
        ),
        (
            "wrong type",
            "---\ntitle: [1, 2]\nlang: en\n---\n".to_string(),
            "manuscript/a.md:2:8: `title`: expected a string, found a list",
        ),
    ];
    for (name, md, message) in cases {
        let dir = project(&[("manuscript/a.md", md.as_bytes())]);
        let started = Instant::now();
        let stderr = build_fails(dir.path());
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{name} took too long"
        );
        assert!(
            common::flat_diagnostics(&stderr).contains(message),
            "{name}: wanted `{message}` in\n{stderr}"
        );
    }
}

/// A bounded random test of the front matter reader: arbitrary YAML-ish text, with
/// anchors, aliases, nesting and odd characters, never panics and always answers quickly.
#[test]
fn random_front_matter_never_panics() {
    let pieces = [
        "title: ",
        "lang: ",
        "author:",
        "  - name: ",
        "    role: ",
        "date: ",
        "&a ",
        "*a",
        "[",
        "]",
        "{",
        "}",
        ": ",
        "- ",
        "\n",
        "  ",
        "\"",
        "'",
        "#",
        "!!str ",
        "\u{0}",
        "é",
        "2024-01-24",
        "en",
        "x",
        "---",
        "...",
        "|",
        ">",
        "? ",
        ",",
        "identifier: ",
        "978-0-306-40615-7",
        "accessibility:",
        "  hazard: ",
        "subject: [",
        "series: ",
        "group-position: ",
        "-1",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let diags = inkbind::diag::Diagnostics::default();
    let root = std::env::temp_dir();
    let file = root.join("random.md");
    let cases = 3_000;
    for _ in 0..cases {
        let mut text = String::from("---\n");
        for _ in 0..(next() % 40) {
            text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        text.push_str("\n---\nBody\n");
        let started = Instant::now();
        let _ = inkbind::book::metadata_from_text(&text, &file, &root, &diags);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "slow on {text:?}"
        );
    }
}
