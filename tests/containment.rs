//! Nothing outside the project folder is ever read: every kind of input a manuscript or a
//! flag can name (images in Markdown and raw HTML, `css:` and `--css`, `--embed-font`,
//! `cover-image:` and `--cover`, `covers/`, `chapters = [...]`, the manuscript folder,
//! `book.toml`) refuses `..`, absolute paths, `file://` URLs and symlinks that leave the
//! folder, with an exact message, exit code 1 and no output, and without opening the
//! target: an inotify watch on the outside folder sees no open, and a FIFO out there never
//! blocks a build.

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use common::{flat_diagnostics, inkbind};
use notify_debouncer_full::notify::{self, EventKind, RecursiveMode, Watcher};

/// Enough of a PNG for the image sniffer, had it ever been read.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

/// How a test input names the outside file.
#[derive(Clone, Copy, Debug)]
enum Escape {
    DotDot,
    Absolute,
    FileUrl,
    Symlink,
    SymlinkToFifo,
}

/// Where the name goes.
#[derive(Clone, Copy, Debug)]
enum Kind {
    MarkdownImage,
    HtmlImage,
    CssKey,
    CssFlag,
    FontFlag,
    CoverFlag,
    CoverKey,
    Chapters,
}

struct Layout {
    _dir: tempfile::TempDir,
    /// The project folder (the builds' working directory).
    root: PathBuf,
    /// Beside the project: the files nobody may read.
    outside: PathBuf,
}

fn layout() -> Layout {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("book");
    let outside = dir.path().join("outside");
    std::fs::create_dir_all(root.join("manuscript")).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    for name in [
        "secret.png",
        "secret.css",
        "secret.ttf",
        "secret.jpg",
        "secret.md",
    ] {
        std::fs::write(outside.join(name), secret_bytes(name)).unwrap();
    }
    mkfifo(&outside.join("fifo"));
    Layout {
        _dir: dir,
        root,
        outside,
    }
}

fn secret_bytes(name: &str) -> Vec<u8> {
    match name {
        "secret.png" => PNG.to_vec(),
        _ => b"SECRET must never be read\n".to_vec(),
    }
}

fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(ok.success());
}

fn extension(kind: Kind) -> &'static str {
    match kind {
        Kind::MarkdownImage | Kind::HtmlImage => "png",
        Kind::CssKey | Kind::CssFlag => "css",
        Kind::FontFlag => "ttf",
        Kind::CoverFlag | Kind::CoverKey => "jpg",
        Kind::Chapters => "md",
    }
}

/// The name an input uses for the outside file, creating the symlink if there is one.
fn name(l: &Layout, kind: Kind, escape: Escape) -> String {
    let file = format!("secret.{}", extension(kind));
    let target = l.outside.join(&file);
    // Paths in Markdown are relative to manuscript/, flags to the project, keys to the
    // project, chapters to manuscript/.
    let from_manuscript = matches!(kind, Kind::MarkdownImage | Kind::HtmlImage | Kind::Chapters);
    match escape {
        Escape::DotDot if from_manuscript => format!("../../outside/{file}"),
        Escape::DotDot => format!("../outside/{file}"),
        Escape::Absolute => target.display().to_string(),
        Escape::FileUrl => format!("file://{}", target.display()),
        Escape::Symlink | Escape::SymlinkToFifo => {
            // A `.md` symlink directly in manuscript/ is refused by the folder scan
            // already; in a subfolder only `chapters` reaches it.
            let link = match kind {
                Kind::Chapters => "sub/link.md".to_string(),
                _ => format!("link.{}", extension(kind)),
            };
            let to = match escape {
                Escape::Symlink => target,
                _ => l.outside.join("fifo"),
            };
            let at = if from_manuscript {
                l.root.join("manuscript").join(&link)
            } else {
                l.root.join(&link)
            };
            let _ = std::fs::remove_file(&at);
            std::fs::create_dir_all(at.parent().unwrap()).unwrap();
            std::os::unix::fs::symlink(to, at).unwrap();
            link
        }
    }
}

/// Writes the project for one case and returns the build's extra arguments.
fn setup(l: &Layout, kind: Kind, escape: Escape) -> Vec<String> {
    let n = name(l, kind, escape);
    let mut front = String::from("---\ntitle: Contained\nlang: en\n");
    let mut body = String::from("\nText.\n");
    let mut args = Vec::new();
    let mut toml = None;
    match kind {
        Kind::MarkdownImage => body = format!("\nText.\n\n![a secret]({n})\n"),
        Kind::HtmlImage => body = format!("\nText.\n\n<p><img src=\"{n}\" alt=\"s\"></p>\n"),
        Kind::CssKey => front.push_str(&format!("css: \"{n}\"\n")),
        Kind::CoverKey => front.push_str(&format!("cover-image: \"{n}\"\n")),
        Kind::CssFlag => args = vec!["--css".into(), n],
        Kind::FontFlag => args = vec!["--embed-font".into(), n],
        Kind::CoverFlag => args = vec!["--cover".into(), n],
        Kind::Chapters => toml = Some(format!("chapters = [\"a.md\", \"{n}\"]\n")),
    }
    front.push_str("---\n");
    let md = l.root.join("manuscript/a.md");
    std::fs::write(&md, format!("{front}{body}")).unwrap();
    let config = l.root.join("book.toml");
    match toml {
        Some(t) => std::fs::write(&config, t).unwrap(),
        None => {
            let _ = std::fs::remove_file(&config);
        }
    }
    args
}

/// The message each case must end with, as `flat_diagnostics` shows it.
fn expected(kind: Kind, escape: Escape, n: &str) -> String {
    let outside = "is outside the project folder";
    match (kind, escape) {
        (Kind::MarkdownImage, Escape::FileUrl) => {
            format!("manuscript/a.md:8: image `{n}`: file: URLs are not allowed")
        }
        (Kind::HtmlImage, Escape::FileUrl) => {
            format!("manuscript/a.md:8: image `{n}`: file: URLs are not allowed")
        }
        (Kind::MarkdownImage | Kind::HtmlImage, _) => {
            format!("manuscript/a.md:8: image `{n}` {outside}")
        }
        (Kind::CssKey, Escape::FileUrl) => {
            format!("manuscript/a.md:4:6: `css`: `{n}`: file: URLs are not allowed")
        }
        (Kind::CssKey, _) => format!("manuscript/a.md:4:6: `css`: `{n}` {outside}"),
        (Kind::CoverKey, Escape::FileUrl) => {
            format!("manuscript/a.md:4:14: `cover-image`: `{n}`: file: URLs are not allowed")
        }
        (Kind::CoverKey, _) => format!("manuscript/a.md:4:14: `cover-image`: `{n}` {outside}"),
        (Kind::Chapters, Escape::FileUrl) => {
            format!("book.toml:1:12: `chapters`: `{n}`: file: URLs are not allowed")
        }
        (Kind::Chapters, _) => {
            format!("book.toml:1:12: `chapters`: `{n}` is not a file inside the project folder")
        }
        (_, Escape::FileUrl) => format!(
            "{}: `{n}`: file: URLs are not allowed",
            flag_name(kind).unwrap_or_default()
        ),
        _ => format!("{}: `{n}` {outside}", flag_name(kind).unwrap_or_default()),
    }
}

fn flag_name(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::CssFlag => Some("--css"),
        Kind::FontFlag => Some("--embed-font"),
        Kind::CoverFlag => Some("--cover"),
        _ => None,
    }
}

/// Runs `inkbind build ARGS` in `dir`, killing it after `limit`: a build that tried to
/// read a FIFO would wait forever.
fn run_bounded(dir: &Path, args: &[String], limit: Duration) -> Output {
    let mut child = inkbind(dir)
        .arg("build")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("build {args:?} still running after {limit:?}: it blocked on an input");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// Asserts a refused build: exit code 1, `message` in the diagnostics, no panic, and no
/// `out/` folder at all.
fn assert_refused(l: &Layout, args: &[String], message: &str, case: &str) -> String {
    let out = run_bounded(&l.root, args, Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let flat = flat_diagnostics(&stderr);
    assert_eq!(out.status.code(), Some(1), "{case}: {stderr}");
    assert!(
        flat.contains(message),
        "{case}: wanted `{message}` in\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{case}: {stderr}");
    assert!(
        !stderr.contains("warning:"),
        "{case}: only the error is reported: {stderr}"
    );
    assert!(
        !stderr.contains("SECRET"),
        "{case}: the secret was read: {stderr}"
    );
    assert!(
        !l.root.join("out").exists(),
        "{case}: an output was written"
    );
    stderr.into_owned()
}

/// Watches `dir` for any access to its files; `opened()` drains what was seen.
struct OpenWatch {
    _watcher: notify::RecommendedWatcher,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
}

impl OpenWatch {
    fn new(dir: &Path) -> Self {
        let (tx, events) = mpsc::channel();
        let mut watcher = notify::recommended_watcher(tx).unwrap();
        watcher.watch(dir, RecursiveMode::NonRecursive).unwrap();
        Self {
            _watcher: watcher,
            events,
        }
    }

    /// Files under the watch that were opened or read since the last call.
    fn opened(&self) -> Vec<PathBuf> {
        // inotify events arrive asynchronously; give them a moment.
        std::thread::sleep(Duration::from_millis(200));
        self.events
            .try_iter()
            .filter_map(Result::ok)
            .filter(|e| matches!(e.kind, EventKind::Access(_)))
            .flat_map(|e| e.paths)
            .collect()
    }
}

#[cfg(target_os = "linux")]
#[test]
fn no_input_kind_reads_outside_the_project() {
    let l = layout();
    let watch = OpenWatch::new(&l.outside);
    // The watch itself must work, or the test could not fail.
    std::fs::read(l.outside.join("secret.css")).unwrap();
    assert!(
        !watch.opened().is_empty(),
        "inotify saw no open: the watch is broken"
    );

    let kinds = [
        Kind::MarkdownImage,
        Kind::HtmlImage,
        Kind::CssKey,
        Kind::CssFlag,
        Kind::FontFlag,
        Kind::CoverFlag,
        Kind::CoverKey,
        Kind::Chapters,
    ];
    let escapes = [
        Escape::DotDot,
        Escape::Absolute,
        Escape::FileUrl,
        Escape::Symlink,
        Escape::SymlinkToFifo,
    ];
    for kind in kinds {
        for escape in escapes {
            let case = format!("{kind:?} via {escape:?}");
            let args = setup(&l, kind, escape);
            let written = match flag_name(kind) {
                Some(_) => args[1].clone(),
                None => name(&l, kind, escape),
            };
            let message = expected(kind, escape, &written);
            assert_refused(&l, &args, &message, &case);
            let opened = watch.opened();
            assert!(opened.is_empty(), "{case}: opened {opened:?}");
        }
    }
}

/// Changes a fresh layout for one case.
type Setup = dyn Fn(&Layout);

/// Inputs found rather than named: a chapter symlinked into `manuscript/`, a manuscript
/// folder that is itself a symlink, an image in `covers/`, `book.toml`. And a URL where a
/// file is expected is refused as a URL: nothing is ever downloaded.
#[cfg(target_os = "linux")]
#[test]
fn found_inputs_and_urls_are_refused_too() {
    let chapter = "---\ntitle: Contained\nlang: en\n---\n\nText.\n";
    let cases: [(&str, &Setup, &str); 5] = [
        (
            "chapter symlink",
            &|l| {
                std::os::unix::fs::symlink(
                    l.outside.join("secret.md"),
                    l.root.join("manuscript/b.md"),
                )
                .unwrap()
            },
            "manuscript: `{root}/manuscript/b.md` is outside the project folder `{root}`",
        ),
        (
            "manuscript folder symlink",
            &|l| {
                std::fs::remove_dir_all(l.root.join("manuscript")).unwrap();
                std::os::unix::fs::symlink(&l.outside, l.root.join("manuscript")).unwrap();
            },
            "manuscript: `{root}/manuscript` is outside the project folder `{root}`",
        ),
        (
            "covers/ symlink",
            &|l| {
                std::fs::create_dir_all(l.root.join("covers")).unwrap();
                std::os::unix::fs::symlink(
                    l.outside.join("secret.jpg"),
                    l.root.join("covers/cover.jpg"),
                )
                .unwrap();
            },
            "cover: `{root}/covers/cover.jpg` is outside the project folder `{root}`",
        ),
        (
            "book.toml symlink",
            &|l| {
                std::os::unix::fs::symlink(l.outside.join("secret.css"), l.root.join("book.toml"))
                    .unwrap()
            },
            "book.toml: `{root}/book.toml` is outside the project folder `{root}`",
        ),
        (
            "cover-image URL",
            &|l| {
                std::fs::write(
                    l.root.join("manuscript/a.md"),
                    "---\ntitle: T\nlang: en\ncover-image: https://example.com/c.jpg\n---\n",
                )
                .unwrap()
            },
            "manuscript/a.md:4:14: `cover-image`: `https://example.com/c.jpg` is a URL: \
             inkbind never downloads anything",
        ),
    ];
    for (case, make, message) in cases {
        let l = layout();
        std::fs::write(l.root.join("manuscript/a.md"), chapter).unwrap();
        make(&l);
        let watch = OpenWatch::new(&l.outside);
        let message = message.replace("{root}", &l.root.display().to_string());
        assert_refused(&l, &[], &message, case);
        let opened = watch.opened();
        assert!(opened.is_empty(), "{case}: opened {opened:?}");
    }
}

/// A FIFO, a folder or a device where a file is expected inside the project is refused
/// at once: a build never waits on a pipe.
#[cfg(target_os = "linux")]
#[test]
fn pipes_and_folders_inside_the_project_are_refused_without_blocking() {
    let front = "---\ntitle: Piped\nlang: en\n---\n\nText.\n";
    let cases: [(&str, &str, Vec<String>, &str); 6] = [
        (
            "image",
            "manuscript/pipe.png",
            vec![],
            "manuscript/a.md:8: image `pipe.png`: image `{root}/manuscript/pipe.png` is not a \
             regular file (a folder, pipe or device); refusing to read it",
        ),
        (
            "--css",
            "pipe.css",
            vec!["--css".into(), "pipe.css".into()],
            "stylesheet `{root}/pipe.css` is not a regular file",
        ),
        (
            "--embed-font",
            "pipe.ttf",
            vec!["--embed-font".into(), "pipe.ttf".into()],
            "font `{root}/pipe.ttf` is not a regular file",
        ),
        (
            "--cover",
            "pipe.jpg",
            vec!["--cover".into(), "pipe.jpg".into()],
            "cover `{root}/pipe.jpg` is not a regular file",
        ),
        (
            "chapter",
            "manuscript/b.md",
            vec![],
            "Markdown file `{root}/manuscript/b.md` is not a regular file",
        ),
        (
            "book.toml",
            "book.toml",
            vec![],
            "book.toml `{root}/book.toml` is not a regular file",
        ),
    ];
    for (case, fifo, args, message) in cases {
        let l = layout();
        let md = if case == "image" {
            format!("{front}\n![p](pipe.png)\n")
        } else {
            front.to_string()
        };
        std::fs::write(l.root.join("manuscript/a.md"), md).unwrap();
        mkfifo(&l.root.join(fifo));
        let message = message.replace("{root}", &l.root.display().to_string());
        assert_refused(&l, &args, &message, case);
    }
    // A folder where an image is expected.
    let l = layout();
    std::fs::create_dir_all(l.root.join("manuscript/dir.png")).unwrap();
    std::fs::write(
        l.root.join("manuscript/a.md"),
        format!("{front}\n![d](dir.png)\n"),
    )
    .unwrap();
    let message = format!(
        "manuscript/a.md:8: image `dir.png`: image `{}/manuscript/dir.png` is not a regular file",
        l.root.display()
    );
    assert_refused(&l, &[], &message, "folder");
}
