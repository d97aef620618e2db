//! Syntax highlighting of fenced code: classes, never colours; the code's text unchanged;
//! plain blocks and unknown languages handled with the right warnings; EPUBCheck-clean.

mod common;

use common::{
    Epub, assert_epubcheck_clean, build_ok, flat_diagnostics, inkbind, parse_xml, project,
};

const RUST: &str = "use std::fmt;\n\n/// Doc comment.\n#[derive(Debug)]\nstruct Point { x: i32, y: i32 }\n\nfn main() {\n    // A comment with <angle> & ampersand.\n    let s = \"a < b && c > d\";\n    if s.len() > 3 { println!(\"{s}\"); }\n}\n";
const PYTHON: &str = "def greet(name):\n    \"\"\"Say hello.\"\"\"\n    return f\"Hello, {name}\" if name and True else None  # fallback\n";
const TOML: &str = "[package]\nname = \"inkbind\"  # the crate\nversion = \"0.1.0\"\n";
const DIFF: &str = "--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old line\n+new line\n";
const HTML: &str = "<p class=\"lead\">Hi &amp; bye</p>\n";

fn chapter() -> String {
    let long = format!("let x = \"{}\";\n", "y".repeat(600));
    format!(
        "---\ntitle: Code\nlang: en\n---\n\n# Code\n\n```rust\n{RUST}```\n\n```python\n{PYTHON}```\n\n\
         ```toml\n{TOML}```\n\n```diff\n{DIFF}```\n\n```html\n{HTML}```\n\n\
         ```klingon\nQapla'\n```\n\n```Klingon\nmore\n```\n\n```text\nplain words\n```\n\n\
         ```\nno language\n```\n\n    indented code\n\n```rust\n{long}```\n"
    )
}

/// The `<code>` elements of the chapter in document order: class and full text content.
fn code_blocks(xhtml: &str) -> Vec<(String, String, String)> {
    let doc = parse_xml(xhtml);
    doc.descendants()
        .filter(|n| n.has_tag_name("code") && n.parent().is_some_and(|p| p.has_tag_name("pre")))
        .map(|n| {
            let text: String = n
                .descendants()
                .filter(|d| d.is_text())
                .filter_map(|d| d.text())
                .collect();
            let spans: String = n
                .descendants()
                .filter(|d| d.has_tag_name("span"))
                .map(|d| {
                    format!(
                        "{}[{}] ",
                        d.attribute("class").unwrap_or(""),
                        d.text().unwrap_or("")
                    )
                })
                .collect();
            (n.attribute("class").unwrap_or("").to_string(), text, spans)
        })
        .collect()
}

fn chapter_xhtml(epub: &Epub) -> String {
    let name = epub
        .names
        .iter()
        .find(|n| n.contains("chapter") && n.ends_with(".xhtml"))
        .expect("a chapter file");
    epub.text(name)
}

#[test]
fn fenced_code_is_highlighted_with_classes_and_keeps_its_text() {
    let dir = project(&[("manuscript/code.md", chapter().as_bytes())]);
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    let stderr = flat_diagnostics(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    let path = dir.path().join("out/code.epub");
    let epub = Epub::open(&path);
    epub.assert_well_formed();
    let xhtml = chapter_xhtml(&epub);
    assert!(!xhtml.contains("style="), "no inline style anywhere");
    let blocks = code_blocks(&xhtml);
    assert_eq!(blocks.len(), 11, "{blocks:#?}");

    // The text a reader sees is exactly the source, whatever the spans.
    let long = format!("let x = \"{}\";\n", "y".repeat(600));
    let expected = [
        RUST,
        PYTHON,
        TOML,
        DIFF,
        HTML,
        "Qapla'\n",
        "more\n",
        "plain words\n",
        "no language\n",
        "indented code\n",
        &long,
    ];
    for ((_, text, _), want) in blocks.iter().zip(expected) {
        assert_eq!(text, want);
    }

    let spans = |i: usize| blocks[i].2.clone();
    let rust = spans(0);
    for token in [
        "hl-keyword[use]",
        "hl-comment[/// Doc comment.\n]",
        "hl-keyword[struct]",
        "hl-type[Point]",
        "hl-keyword[fn]",
        "hl-function[main]",
        "hl-comment[// A comment with <angle> & ampersand.\n]",
        "hl-keyword[let]",
        "hl-string[\"a < b && c > d\"]",
        "hl-constant[3]",
    ] {
        assert!(rust.contains(token), "{token} missing in {rust}");
    }
    // Operators and punctuation stay plain.
    assert!(!rust.contains("[>]") && !rust.contains("[=]"), "{rust}");

    let python = spans(1);
    for token in [
        "hl-keyword[def]",
        "hl-function[greet]",
        "hl-keyword[return]",
        "hl-keyword[and]",
        "hl-constant[True]",
        "hl-comment[# fallback",
    ] {
        assert!(python.contains(token), "{token} missing in {python}");
    }
    let toml = spans(2);
    assert!(
        toml.contains("hl-string[\"inkbind\"]") && toml.contains("hl-comment[# the crate"),
        "{toml}"
    );
    let diff = spans(3);
    assert!(
        diff.contains("hl-deleted[-old line") && diff.contains("hl-inserted[+new line"),
        "{diff}"
    );
    let html = spans(4);
    assert!(
        html.contains("hl-tag[p]") && html.contains("hl-attribute[class]"),
        "{html}"
    );

    // Unknown, plain, unlabelled, indented and oversized blocks carry no spans; the fence's
    // word stays on `<code>` as `language-*`.
    for (i, block) in blocks.iter().enumerate().skip(5) {
        assert!(block.2.is_empty(), "block {i}: {block:?}");
    }
    assert_eq!(blocks[0].0, "language-rust");
    assert_eq!(blocks[5].0, "language-klingon");
    assert_eq!(blocks[8].0, "");

    // One warning for the unknown language (both spellings), with where and what to do;
    // one for the long line; none for `text` or the unlabelled blocks.
    assert_eq!(
        stderr.matches("no syntax highlighting for").count(),
        1,
        "{stderr}"
    );
    assert!(
        stderr.contains("code.md:46: no syntax highlighting for `klingon`"),
        "{stderr}"
    );
    let raw = String::from_utf8_lossy(&out.stderr);
    assert!(raw.contains("`inkbind languages` lists"), "{raw}");
    assert!(
        stderr.contains("`rust` code block left without highlighting: a line is 612 bytes long"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 2, "{stderr}");

    // The stylesheet styles the classes by weight and style, with no colour.
    let css = epub.text("OEBPS/stylesheet.css");
    let rules: Vec<&str> = css.lines().filter(|l| l.contains(".hl-")).collect();
    assert!(
        rules
            .iter()
            .any(|r| r.contains("hl-keyword") && r.contains("bold")),
        "{css}"
    );
    assert!(
        rules
            .iter()
            .any(|r| r.contains("hl-comment") && r.contains("italic")),
        "{css}"
    );
    assert!(rules.iter().all(|r| !r.contains("color")), "{rules:?}");

    assert_epubcheck_clean(&path);
}

#[test]
fn highlighting_can_be_turned_off_by_flag_or_key() {
    let body = format!("# Code\n\n```rust\n{RUST}```\n\n```klingon\nQapla'\n```\n");
    let dir = project(&[(
        "manuscript/code.md",
        format!("---\ntitle: Code\nlang: en\n---\n\n{body}").as_bytes(),
    )]);
    let path = build_ok(dir.path(), &["--no-highlight"]);
    let xhtml = chapter_xhtml(&Epub::open(&path));
    assert!(
        xhtml.contains("<code class=\"language-rust\">use std::fmt;"),
        "{xhtml}"
    );
    assert!(!xhtml.contains("hl-"), "{xhtml}");

    let dir = project(&[(
        "manuscript/code.md",
        format!("---\ntitle: Code\nlang: en\nhighlight: false\n---\n\n{body}").as_bytes(),
    )]);
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    // Nothing is highlighted, so an unknown language is not worth a warning.
    assert!(!stderr.contains("warning"), "{stderr}");
    let xhtml = chapter_xhtml(&Epub::open(&dir.path().join("out/code.epub")));
    assert!(!xhtml.contains("hl-"), "{xhtml}");
}

#[test]
fn languages_lists_grammars_and_their_words() {
    let dir = project(&[]);
    let out = inkbind(dir.path()).arg("languages").output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.starts_with(name) && l[name.len()..].starts_with("  "))
            .unwrap_or_else(|| panic!("{name} not listed:\n{stdout}"))
            .to_string()
    };
    assert!(line("Rust").ends_with(" rs"), "{}", line("Rust"));
    assert!(line("TOML").contains("toml"));
    assert!(line("TypeScript").contains("ts"));
    assert!(line("Python").contains("python3"));
    // `h` opens C++ headers here, so C does not claim it too.
    assert!(
        !line("C").split(", ").any(|w| w.trim() == "h"),
        "{}",
        line("C")
    );
    assert!(stdout.lines().count() > 100);
}

#[test]
fn a_code_heavy_book_is_highlighted_in_parallel_and_reproducibly() {
    // Over 32 KiB of code, so the blocks are shared among threads.
    let mut md = String::from("---\ntitle: Heavy\nlang: en\n---\n\n# Heavy\n\n");
    let mut sources = Vec::new();
    for i in 0..300 {
        let code = if i == 150 {
            format!("let long = \"{}\";\n", "z".repeat(700))
        } else {
            format!(
                "fn f{i}(x: u32) -> u32 {{\n    // step {i}\n    let label = \"block number {i}\";\n    \
                 x * {i} + label.len() as u32 + u32::from(x > 7)\n}}\n"
            )
        };
        md.push_str(&format!("Block {i}.\n\n```rust\n{code}```\n\n"));
        sources.push(code);
    }
    assert!(sources.iter().map(String::len).sum::<usize>() > 32 * 1024);
    let dir = project(&[("manuscript/heavy.md", md.as_bytes())]);
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    let stderr = flat_diagnostics(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    let line_150 = md.lines().position(|l| l == "Block 150.").unwrap() + 3;
    assert_eq!(
        stderr.trim(),
        format!(
            "manuscript/heavy.md:{line_150}: `rust` code block left without highlighting: \
             a line is 715 bytes long, over the 500 that are highlighted"
        )
    );
    let path = dir.path().join("out/heavy.epub");
    let first = std::fs::read(&path).unwrap();
    let blocks = code_blocks(&chapter_xhtml(&Epub::open(&path)));
    assert_eq!(blocks.len(), 300);
    for (i, ((_, text, spans), source)) in blocks.iter().zip(&sources).enumerate() {
        assert_eq!(text, source, "block {i}");
        if i == 150 {
            assert!(spans.is_empty());
        } else {
            assert!(
                spans.contains(&format!("hl-function[f{i}]")),
                "block {i}: {spans}"
            );
            assert!(
                spans.contains(&format!("hl-comment[// step {i}\n]")),
                "block {i}: {spans}"
            );
        }
    }
    std::fs::remove_file(&path).unwrap();
    build_ok(dir.path(), &[]);
    assert!(
        std::fs::read(&path).unwrap() == first,
        "a second build differs"
    );
    assert_epubcheck_clean(&path);
}

#[test]
fn code_past_the_book_budget_stays_plain_with_one_warning() {
    // A 200 KiB dump first (over the block limit: plain, and it spends nothing), then 17
    // blocks of 127 KiB: 16 fit in the 2 MiB budget, the 17th does not.
    let line = "let total = count(x) + 1; // next\n";
    let block = |kib: usize| line.repeat(kib * 1024 / line.len());
    let mut md = String::from("---\ntitle: Budget\nlang: en\n---\n\n");
    md.push_str(&format!("```rust\n{}```\n\n", block(200)));
    let mut last_line = 0;
    for i in 0..17 {
        md.push_str(&format!("Block {i}.\n\n"));
        last_line = md.lines().count() + 1;
        md.push_str(&format!("```rust\n{}```\n\n", block(127)));
    }
    let dir = project(&[("manuscript/budget.md", md.as_bytes())]);
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    let stderr = flat_diagnostics(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    let warnings: Vec<&str> = stderr.lines().collect();
    assert_eq!(warnings.len(), 2, "{stderr}");
    assert!(
        stderr.contains("budget.md:6: `rust` code block left without highlighting: the block is 200 KiB, over the 128 KiB"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "budget.md:{last_line}: highlighting stops here, after 2 MiB of code in the book: \
             this code block is plain text"
        )),
        "{stderr}"
    );
    let epub = Epub::open(&dir.path().join("out/budget.epub"));
    let blocks = code_blocks(&chapter_xhtml(&epub));
    assert_eq!(blocks.len(), 18);
    assert!(blocks[0].2.is_empty());
    assert!(blocks[16].2.contains("hl-keyword[let]"));
    assert!(blocks[17].2.is_empty());
    assert_eq!(blocks[17].1, block(127));
}

#[test]
fn control_characters_in_highlighted_code_are_replaced_and_reported() {
    let md = "---\ntitle: Ctl\nlang: en\n---\n\n# Ctl\n\n```rust\nlet bell = \"\u{7}\";\n```\n";
    let dir = project(&[("manuscript/ctl.md", md.as_bytes())]);
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    let stderr = flat_diagnostics(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "manuscript/ctl.md:8:1: control character replaced with U+FFFD (XML does not allow it)"
    );
    let path = dir.path().join("out/ctl.epub");
    let blocks = code_blocks(&chapter_xhtml(&Epub::open(&path)));
    assert_eq!(blocks[0].1, "let bell = \"\u{FFFD}\";\n");
    assert!(
        blocks[0].2.contains("hl-string[\"\u{FFFD}\"]"),
        "{:?}",
        blocks[0]
    );
    assert_epubcheck_clean(&path);
}
