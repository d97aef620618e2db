//! The output path only ever holds a complete EPUB: failed builds leave it untouched,
//! killed builds never leave a partial file there, and inputs are never overwritten.

mod common;

use std::time::Duration;

use common::{Epub, build_ok, inkbind, project};

/// A manuscript big enough that a build takes a while (~4 MB of Markdown).
fn large_project() -> tempfile::TempDir {
    let paragraph = "The river ran *quietly* past the harbour, and the lanterns \
                     of the evening came on one by one along the water. "
        .repeat(12);
    let chapters: Vec<(String, String)> = (1..=150)
        .map(|i| {
            let mut text = if i == 1 {
                String::from("---\ntitle: Large\nlang: en\n---\n\n")
            } else {
                String::new()
            };
            text.push_str(&format!("# Chapter {i}\n\n"));
            for _ in 0..20 {
                text.push_str(&paragraph);
                text.push_str("\n\n");
            }
            (format!("manuscript/{i:03}.md"), text)
        })
        .collect();
    let files: Vec<(&str, &[u8])> = chapters
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    project(&files)
}

#[test]
fn a_killed_build_never_leaves_a_partial_epub() {
    let dir = large_project();
    let out = dir.path().join("out/large.epub");
    // Kill points spread over the whole length of a real build, so some land while the
    // EPUB is being written.
    let started = std::time::Instant::now();
    let reference = std::fs::read(build_ok(dir.path(), &[])).unwrap();
    let full = started.elapsed();
    let points: Vec<Duration> = (0..10).map(|k| full * k / 9).collect();

    // With no previous output: the path must be absent or complete after each kill.
    for &at in &points {
        let _ = std::fs::remove_file(&out);
        let mut child = inkbind(dir.path()).arg("build").spawn().expect("spawn");
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        if out.exists() {
            assert_eq!(
                std::fs::read(&out).unwrap(),
                reference,
                "killed after {at:?}"
            );
        }
    }
    // Over a previous, complete output: it is never damaged, whatever the timing.
    build_ok(dir.path(), &[]);
    for &at in &points {
        let mut child = inkbind(dir.path()).arg("build").spawn().expect("spawn");
        std::thread::sleep(at);
        let _ = child.kill();
        let _ = child.wait();
        assert_eq!(
            std::fs::read(&out).unwrap(),
            reference,
            "killed after {at:?}"
        );
    }
    Epub::open(&out).assert_well_formed();
}

#[test]
fn a_failed_build_leaves_the_previous_output_and_no_temporary_file() {
    let dir = project(&[(
        "manuscript/a.md",
        b"---\ntitle: T\nlang: en\n---\n\nText.\n",
    )]);
    let path = build_ok(dir.path(), &[]);
    let before = std::fs::read(&path).unwrap();
    std::fs::write(
        dir.path().join("manuscript/a.md"),
        b"---\ntitle: T\nlang: en\ndate: soon\n---\n",
    )
    .unwrap();
    let out = inkbind(dir.path()).arg("build").output().unwrap();
    assert!(!out.status.success());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name() != "t.epub")
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_output_may_not_overwrite_an_input() {
    let md = b"---\ntitle: T\nlang: en\n---\n\nText.\n";
    let dir = project(&[("manuscript/a.md", md)]);
    let out = inkbind(dir.path())
        .args(["build", "-o", "manuscript/a.md"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("refusing to write the EPUB over an input file"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(dir.path().join("manuscript/a.md")).unwrap(),
        md
    );
}

/// `-o` may only replace a previous EPUB: a stylesheet, an image, `book.toml`, any other
/// file or a folder at the output path is refused by name and left as it was.
#[test]
fn the_output_may_only_replace_an_epub() {
    let md = b"---\ntitle: T\nlang: en\n---\n\n![p](p.png)\n";
    let png = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/render/hostile/manuscript/img/pic.png"),
    )
    .unwrap();
    let dir = project(&[
        ("manuscript/a.md", md),
        ("manuscript/p.png", &png),
        ("book.toml", b"publisher = \"P\"\n"),
        ("style.css", b"p { margin: 0 }\n"),
        ("notes.txt", b"keep me\n"),
        ("folder.epub/inside.txt", b"x"),
    ]);
    for target in [
        "book.toml",
        "style.css",
        "manuscript/p.png",
        "notes.txt",
        "folder.epub",
    ] {
        let path = dir.path().join(target);
        let before = std::fs::read(&path).ok();
        let out = inkbind(dir.path())
            .args(["build", "--css", "style.css", "-o", target])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{target}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "refusing to replace `{}`: it is not an EPUB",
                path.display()
            )),
            "{target}: {stderr}"
        );
        assert_eq!(std::fs::read(&path).ok(), before, "{target} changed");
    }
    // A previous EPUB is replaced.
    let first = build_ok(dir.path(), &["-o", "book.epub"]);
    build_ok(dir.path(), &["-o", "book.epub", "--colophon"]);
    assert!(
        Epub::open(&first)
            .files
            .contains_key("OEBPS/colophon.xhtml")
    );
}

/// A build killed mid-write may leave its temporary file; the next build into that folder
/// removes any older than an hour (a running build's is never that old) and keeps the rest.
#[test]
fn stale_temporary_files_of_killed_builds_are_removed() {
    let dir = project(&[(
        "manuscript/a.md",
        b"---\ntitle: T\nlang: en\n---\n\nText.\n",
    )]);
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let old = out.join(".inkbind-killed.tmp");
    let fresh = out.join(".inkbind-running.tmp");
    let other = out.join("notes.tmp");
    for f in [&old, &fresh, &other] {
        std::fs::write(f, b"partial").unwrap();
    }
    let two_hours_ago = std::time::SystemTime::now() - Duration::from_secs(7200);
    for f in [&old, &other] {
        std::fs::File::options()
            .write(true)
            .open(f)
            .unwrap()
            .set_modified(two_hours_ago)
            .unwrap();
    }
    build_ok(dir.path(), &[]);
    assert!(!old.exists(), "the stale temporary file was kept");
    assert!(fresh.exists(), "a recent temporary file was removed");
    assert!(other.exists(), "a file that is not ours was removed");
}

/// The temporary file is private, but the finished book is readable like any new file.
#[cfg(unix)]
#[test]
fn the_epub_gets_ordinary_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = project(&[(
        "manuscript/a.md",
        b"---\ntitle: T\nlang: en\n---\n\nText.\n",
    )]);
    let path = build_ok(dir.path(), &[]);
    let mode = std::fs::metadata(path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode & 0o644, 0o644, "mode {mode:o}");
}
