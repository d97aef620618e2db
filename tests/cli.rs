//! The command line as people use it: `check` exit codes and JSON, `build` refusing to
//! write a book that fails its check, diagnostics, `init`, `watch`, completions and man.

mod check_support;
mod common;

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::Stdio;
use std::sync::mpsc;
use std::time::Duration;

use check_support::{Book, CH2};
use common::{Epub, article_project, assert_epubcheck_clean, build_ok, inkbind, project};

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = inkbind(dir).args(args).output().expect("run inkbind");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn the_article_checks_clean_for_every_store() {
    let dir = article_project();
    let epub = build_ok(dir.path(), &["--target", "kindle,kobo,apple,google"]);
    let (code, stdout, stderr) = run(
        dir.path(),
        &[
            "check",
            epub.to_str().expect("utf-8"),
            "--target",
            "kindle,kobo,apple,google",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.ends_with("no problems found\n"), "{stdout}");
    assert_eq!(stderr, "", "the article must give no finding at all");
}

#[test]
fn check_exit_codes_and_diagnostics() {
    let dir = tempfile::tempdir().expect("tempdir");
    let valid = Book::valid().write(dir.path(), "valid");
    let mut broken = Book::valid();
    broken.edit(CH2, "<p id=\"p1\">", "<p id=\"sec\">");
    let broken = broken.write(dir.path(), "broken");
    let mut warned = Book::valid();
    warned.put("EPUB/notes.txt", "stray");
    let warned = warned.write(dir.path(), "warned");

    assert_eq!(run(dir.path(), &["check", "valid.epub"]).0, 0);
    let (code, stdout, stderr) = run(dir.path(), &["check", "broken.epub"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("broken.epub: 1 error, 0 warnings"),
        "{stdout}"
    );
    // rustc-style: code, location inside the EPUB, the line, a marker, a hint.
    assert!(
        stderr.contains("error[id-duplicate]: id `sec` is used more than once"),
        "{stderr}"
    );
    assert!(stderr.contains("--> EPUB/ch2.xhtml:"), "{stderr}");
    assert!(stderr.contains("| <p id=\"sec\">The quick"), "{stderr}");
    assert!(stderr.contains("^^^^^"), "{stderr}");
    assert!(
        stderr.contains("= hint: give every element a different id"),
        "{stderr}"
    );
    assert!(!stderr.contains('\x1b'), "NO_COLOR is set: no colour codes");

    assert_eq!(run(dir.path(), &["check", "warned.epub"]).0, 0);
    assert_eq!(
        run(dir.path(), &["check", "warned.epub", "--deny-warnings"]).0,
        1
    );
    let (_, _, quiet) = run(dir.path(), &["check", "-q", "warned.epub"]);
    assert!(!quiet.contains("file-not-in-manifest"), "{quiet}");

    assert_eq!(run(dir.path(), &["check", "missing.epub"]).0, 2);
    assert_eq!(
        run(dir.path(), &["check", "valid.epub", "--target", "nook"]).0,
        2
    );
    assert_eq!(run(dir.path(), &["check"]).0, 2);
    let _ = (valid, broken, warned);
}

#[test]
fn check_json_is_machine_readable() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut book = Book::valid();
    book.edit(CH2, "<title>Two</title>", "<title></title>");
    book.edit(
        check_support::CH1,
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n",
        "",
    );
    book.write(dir.path(), "b");
    let (code, stdout, _) = run(
        dir.path(),
        &["check", "b.epub", "--format", "json", "--target", "kindle"],
    );
    assert_eq!(code, 1, "kindle-xml-declaration is an error");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert_eq!(json["errors"], 2);
    assert_eq!(json["warnings"], 0);
    let findings = json["findings"].as_array().expect("array");
    let title = findings
        .iter()
        .find(|f| f["code"] == "title-empty")
        .expect("title");
    assert_eq!(title["severity"], "error");
    assert_eq!(title["file"], "EPUB/ch2.xhtml");
    assert_eq!(title["epubcheck"], "RSC-005");
    assert_eq!(title["origin"], "inkbind");
    assert!(title["line"].as_u64().is_some_and(|l| l > 1));
    let kindle = findings
        .iter()
        .find(|f| f["code"] == "kindle-xml-declaration")
        .expect("kindle");
    assert_eq!(kindle["line"], 1);
}

#[test]
fn build_refuses_to_write_a_book_that_fails_its_check() {
    // Too little text for Google Play's four pages: an error, so nothing may be written.
    let dir = project(&[(
        "manuscript/a.md",
        b"---\ntitle: Short\nlang: en\n---\n\n# Short\n\nToo short for four pages.\n",
    )]);
    let (code, stdout, stderr) = run(dir.path(), &["build", "--target", "google"]);
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(stderr.contains("error[google-length]"), "{stderr}");
    assert!(stderr.contains("nothing was written"), "{stderr}");
    assert!(!dir.path().join("out/short.epub").exists());
    // Without the target the same book is fine.
    build_ok(dir.path(), &[]);
}

#[test]
fn deny_warnings_makes_manuscript_warnings_fatal() {
    let dir = project(&[(
        "manuscript/a.md",
        b"---\ntitle: T\nlang: en\ncolour: blue\n---\n\n# T\n\nText.\n",
    )]);
    let (code, _, stderr) = run(dir.path(), &["build", "--deny-warnings"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--deny-warnings"), "{stderr}");
    assert!(!dir.path().join("out/t.epub").exists());
    // The warning points at the file and shows the line.
    assert!(
        stderr.contains("warning: unknown metadata key `colour` is ignored"),
        "{stderr}"
    );
    assert!(stderr.contains("--> manuscript/a.md:4"), "{stderr}");
    assert!(stderr.contains("4 | colour: blue"), "{stderr}");
    let (code, _, quiet) = run(dir.path(), &["build", "-q"]);
    assert_eq!(code, 0);
    assert!(!quiet.contains("warning"), "{quiet}");
}

#[test]
fn front_matter_errors_show_the_source_line() {
    let dir = project(&[(
        "manuscript/a.md",
        b"---\ntitle: T\ndate: 24 January\n---\n\nText.\n",
    )]);
    let (code, _, stderr) = run(dir.path(), &["build"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("error:"), "{stderr}");
    assert!(stderr.contains("date"), "{stderr}");
}

#[test]
fn init_then_build_gives_a_valid_book_and_init_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, stdout, stderr) = run(dir.path(), &["init", "my-book"]);
    assert_eq!(code, 0, "{stderr}");
    let root = dir.path().join("my-book");
    for file in [
        "manuscript/01-beginning.md",
        "manuscript/images/open-book.png",
        "book.toml",
        ".gitignore",
        "covers/cover.jpg",
    ] {
        assert!(root.join(file).is_file(), "{file} missing; {stdout}");
    }
    let chapter =
        std::fs::read_to_string(root.join("manuscript/01-beginning.md")).expect("chapter");
    assert!(chapter.starts_with("---\ntitle:"), "front matter");
    assert!(chapter.contains("[^note]:"), "a footnote");
    assert!(chapter.contains("![An open book"), "an image");
    let png = std::fs::read(root.join("manuscript/images/open-book.png")).expect("png");
    assert!(png.starts_with(b"\x89PNG"));
    // Every line of book.toml is a comment or blank: valid TOML that changes nothing.
    let toml = std::fs::read_to_string(root.join("book.toml")).expect("toml");
    assert!(toml.lines().all(|l| l.is_empty() || l.starts_with('#')));

    let epub = build_ok(&root, &[]);
    let book = Epub::open(&epub);
    book.assert_well_formed();
    assert!(book.opf().contains("My First Book"));
    // The generated cover in covers/ is the one packed, byte for byte, with the real image.
    let cover = std::fs::read(root.join("covers/cover.jpg")).expect("cover");
    assert!(cover.starts_with(&[0xFF, 0xD8]), "a JPEG");
    assert_eq!(book.files["OEBPS/images/cover.jpg"], cover);
    assert!(
        book.files
            .keys()
            .any(|k| k.starts_with("OEBPS/images/img-"))
    );
    let (code, stdout, _) = run(&root, &["check", epub.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{stdout}");
    assert_epubcheck_clean(&epub);

    // A second init keeps the user's edits.
    std::fs::write(root.join("book.toml"), "# mine\n").expect("write");
    let (code, stdout, _) = run(dir.path(), &["init", "my-book"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("already exists"), "{stdout}");
    assert_eq!(
        std::fs::read_to_string(root.join("book.toml")).expect("read"),
        "# mine\n"
    );
}

#[test]
fn completions_and_man_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (code, bash, _) = run(dir.path(), &["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(
        bash.contains("_inkbind()") && bash.contains("--deny-warnings"),
        "bash completion"
    );
    let (_, zsh, _) = run(dir.path(), &["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef inkbind"));
    let (code, man, _) = run(dir.path(), &["man"]);
    assert_eq!(code, 0);
    assert!(
        man.starts_with(".ie") || man.contains(".TH inkbind"),
        "{}",
        &man[..200.min(man.len())]
    );
    assert!(
        man.contains("INKBIND CHECK") && man.contains("\\-\\-epubcheck"),
        "subcommands documented"
    );
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `inkbind man | head -0`: the reader is gone before anything is written (the read end
    // is closed right after the spawn, long before the program has started).
    let dir = tempfile::tempdir().expect("tempdir");
    let mut child = inkbind(dir.path())
        .arg("man")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn watch_rebuilds_when_the_manuscript_changes() {
    let dir = project(&[(
        "manuscript/a.md",
        b"---\ntitle: Watched\nlang: en\n---\n\n# One\n\nText.\n",
    )]);
    let (mut child, wait_for) = watch(dir.path(), &[]);
    let first = wait_for("built");
    let watching = wait_for("watching");
    std::fs::write(
        dir.path().join("manuscript/a.md"),
        "---\ntitle: Watched\nlang: en\n---\n\n# One\n\nText.\n\n# Two\n\nMore.\n",
    )
    .expect("edit");
    let second = wait_for("built");
    std::fs::write(dir.path().join("manuscript/a.md"), "---\ntitle: [\n---\n").expect("break");
    let failed = wait_for("build failed");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("out/watched.epub"), "first build: {first:?}");
    assert!(!watching.is_empty(), "no watching line");
    assert!(
        second.contains("out/watched.epub"),
        "no rebuild after the edit"
    );
    assert!(
        !failed.is_empty(),
        "a broken manuscript must report a failed build and keep watching"
    );
    let epub = Epub::open(&dir.path().join("out/watched.epub"));
    assert!(
        epub.names.iter().any(|n| n.contains("chapter-002"))
            || epub.text("OEBPS/chapter-001.xhtml").contains("Two")
    );
}

/// Starts `inkbind watch ARGS` in `cwd`; the closure waits (up to 20 s) for a stderr line
/// containing a text and returns it, or "" when none came.
fn watch(cwd: &Path, args: &[&str]) -> (std::process::Child, impl Fn(&str) -> String + use<>) {
    let mut child = inkbind(cwd)
        .arg("watch")
        .args(args)
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn watch");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let wait_for = move |what: &str| -> String {
        loop {
            match rx.recv_timeout(Duration::from_secs(20)) {
                Ok(line) if line.contains(what) => return line,
                Ok(_) => {}
                Err(_) => return String::new(),
            }
        }
    };
    (child, wait_for)
}

#[test]
fn watch_follows_the_project_folder_of_a_manuscript_elsewhere() {
    // Run from another folder on a one-file manuscript: book.toml is read from the
    // file's own folder, so that is the one an edit must rebuild from.
    let dir = project(&[
        ("book/a.md", b"# One\n\nText.\n"),
        ("book/book.toml", b"title = \"First\"\nlang = \"en\"\n"),
        ("elsewhere/.keep", b""),
    ]);
    let (mut child, wait_for) = watch(&dir.path().join("elsewhere"), &["../book/a.md"]);
    let first = wait_for("built");
    let watching = wait_for("watching");
    std::fs::write(
        dir.path().join("book/book.toml"),
        "title = \"Second\"\nlang = \"en\"\n",
    )
    .expect("edit");
    let second = wait_for("built");
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("first.epub"), "first build: {first:?}");
    assert!(!watching.is_empty(), "no watching line");
    assert!(
        second.contains("second.epub"),
        "no rebuild after book.toml changed"
    );
}

#[test]
fn init_adds_no_sample_chapter_to_a_manuscript_of_markdown_files() {
    // Every extension the build reads counts, not only `.md`.
    let dir = project(&[("manuscript/01.markdown", b"# One\n\nText.\n")]);
    let (code, stdout, stderr) = run(dir.path(), &["init"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("no sample chapter added"), "{stdout}");
    let names: Vec<_> = std::fs::read_dir(dir.path().join("manuscript"))
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(names, ["01.markdown"]);
}
