//! Every stated limit (README, "Limits and safety"; `src/limits.rs`) is enforced with a
//! message giving the size and the limit, exit code 1 and no output. Oversized files are
//! sparse, so they cost no disk; they are refused from their size before being read.

mod common;

use std::path::Path;

use common::{flat_diagnostics, inkbind, project};
use inkbind::limits;

const FM: &str = "---\ntitle: Limits\nlang: en\n---\n\nText.\n";
/// Enough of a PNG for the image sniffer.
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n0000";

/// A file of `len` bytes that starts with `head` and holds no data blocks after it.
fn sparse(path: &Path, head: &[u8], len: u64) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, head).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .unwrap()
        .set_len(len)
        .unwrap();
}

/// Runs `inkbind build ARGS` in `dir`: exit code 1, `message` (with `{root}` standing for
/// the project folder) among the diagnostics, no panic, no `out/`.
fn refused(dir: &Path, args: &[&str], message: &str) {
    let out = inkbind(dir).arg("build").args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let message = message.replace("{root}", &dir.display().to_string());
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        flat_diagnostics(&stderr).contains(&message),
        "wanted `{message}` in\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!dir.join("out").exists(), "an output was written");
}

#[test]
fn markdown_size_and_file_count_are_bounded() {
    let max = limits::MARKDOWN_FILE_BYTES;
    let dir = project(&[]);
    sparse(&dir.path().join("manuscript/a.md"), FM.as_bytes(), max + 1);
    refused(
        dir.path(),
        &[],
        &format!(
            "Markdown file `{{root}}/manuscript/a.md` is {} bytes; the limit is {max} (64 MiB)",
            max + 1
        ),
    );

    // Each file under its limit, together over the manuscript's.
    let dir = project(&[]);
    for i in 0..5 {
        sparse(
            &dir.path().join(format!("manuscript/{i}.md")),
            FM.as_bytes(),
            60 << 20,
        );
    }
    refused(
        dir.path(),
        &[],
        &format!(
            "the manuscript's 5 Markdown files add up to {} bytes; the limit is {} (256 MiB)",
            5 * (60u64 << 20),
            limits::MANUSCRIPT_BYTES
        ),
    );

    let dir = project(&[]);
    std::fs::create_dir_all(dir.path().join("manuscript")).unwrap();
    for i in 0..=limits::MARKDOWN_FILES {
        std::fs::write(dir.path().join(format!("manuscript/{i:05}.md")), "").unwrap();
    }
    refused(
        dir.path(),
        &[],
        "`{root}/manuscript` holds more than 10000 Markdown files, the most a book may have",
    );

    let names: Vec<String> = (0..=limits::MARKDOWN_FILES)
        .map(|i| format!("\"{i}.md\""))
        .collect();
    let toml = format!("chapters = [{}]\n", names.join(", "));
    let dir = project(&[
        ("manuscript/a.md", FM.as_bytes()),
        ("manuscript/b.md", b"More."),
        ("book.toml", toml.as_bytes()),
    ]);
    refused(
        dir.path(),
        &[],
        "book.toml:1:12: `chapters` lists 10001 files; a book may have at most 10000",
    );
}

#[test]
fn metadata_files_are_bounded() {
    let max = limits::METADATA_BYTES;
    let dir = project(&[("manuscript/a.md", FM.as_bytes())]);
    sparse(&dir.path().join("book.toml"), b"title = \"T\"\n", max + 1);
    refused(
        dir.path(),
        &[],
        &format!(
            "book.toml `{{root}}/book.toml` is {} bytes; the limit is {max} (1 MiB)",
            max + 1
        ),
    );

    let md = format!(
        "---\ntitle: T\ndescription: \"{}\"\n---\n",
        "x".repeat(max as usize)
    );
    let dir = project(&[("manuscript/a.md", md.as_bytes())]);
    refused(
        dir.path(),
        &[],
        &format!(
            "manuscript/a.md:1: front matter opened with `---` runs past {max} bytes without closing"
        ),
    );
}

#[test]
fn image_size_count_and_total_are_bounded() {
    let max = limits::IMAGE_FILE_BYTES;
    let dir = project(&[(
        "manuscript/a.md",
        format!("{FM}\n![big](big.png)\n").as_bytes(),
    )]);
    sparse(&dir.path().join("manuscript/big.png"), PNG, max + 1);
    refused(
        dir.path(),
        &[],
        &format!(
            "manuscript/a.md:8: image `big.png`: image `{{root}}/manuscript/big.png` is {} \
             bytes; the limit is {max} (32 MiB)",
            max + 1
        ),
    );

    // Each image under its limit, together over the book's.
    let each = max - 1;
    let count = limits::IMAGES_BYTES / each + 1;
    let mut md = FM.to_string();
    let dir = project(&[]);
    for i in 0..count {
        sparse(&dir.path().join(format!("manuscript/{i}.png")), PNG, each);
        md.push_str(&format!("\n![{i}]({i}.png)\n"));
    }
    std::fs::write(dir.path().join("manuscript/a.md"), md).unwrap();
    refused(
        dir.path(),
        &[],
        &format!(
            "manuscript/a.md:{}: image `{}.png`: the book's images would add up to more than \
             512 MiB ({} bytes), the most a book may embed",
            6 + 2 * count,
            count - 1,
            limits::IMAGES_BYTES
        ),
    );

    let mut md = FM.to_string();
    let dir = project(&[]);
    std::fs::create_dir_all(dir.path().join("manuscript")).unwrap();
    for i in 0..=limits::IMAGES {
        std::fs::write(dir.path().join(format!("manuscript/{i}.png")), PNG).unwrap();
        md.push_str(&format!("![{i}]({i}.png)\n"));
    }
    std::fs::write(dir.path().join("manuscript/a.md"), md).unwrap();
    refused(
        dir.path(),
        &[],
        &format!(
            "manuscript/a.md:{}: image `10000.png`: a book may embed at most 10000 different images",
            7 + limits::IMAGES
        ),
    );
}

#[test]
fn stylesheets_fonts_and_covers_are_bounded() {
    let dir = project(&[("manuscript/a.md", FM.as_bytes()), ("a.css", b"p {}")]);
    sparse(
        &dir.path().join("big.css"),
        b"p {}",
        limits::CSS_FILE_BYTES + 1,
    );
    refused(
        dir.path(),
        &["--css", "big.css"],
        &format!(
            "stylesheet `{{root}}/big.css` is {} bytes; the limit is {} (1 MiB)",
            limits::CSS_FILE_BYTES + 1,
            limits::CSS_FILE_BYTES
        ),
    );
    let many: Vec<&str> = ["--css", "a.css"].repeat(limits::CSS_FILES + 1);
    refused(
        dir.path(),
        &many,
        "65 stylesheets given; a book may have at most 64",
    );

    sparse(
        &dir.path().join("big.ttf"),
        b"OTTO",
        limits::FONT_FILE_BYTES + 1,
    );
    refused(
        dir.path(),
        &["--embed-font", "big.ttf"],
        &format!(
            "font `{{root}}/big.ttf` is {} bytes; the limit is {} (20 MiB)",
            limits::FONT_FILE_BYTES + 1,
            limits::FONT_FILE_BYTES
        ),
    );
    let many: Vec<&str> = ["--embed-font", "big.ttf"].repeat(limits::FONTS + 1);
    refused(
        dir.path(),
        &many,
        "17 fonts given; a book may embed at most 16",
    );

    sparse(
        &dir.path().join("big.jpg"),
        b"\xFF\xD8\xFF",
        limits::COVER_FILE_BYTES + 1,
    );
    refused(
        dir.path(),
        &["--cover", "big.jpg"],
        &format!(
            "cover `{{root}}/big.jpg` is {} bytes; the limit is {} (64 MiB)",
            limits::COVER_FILE_BYTES + 1,
            limits::COVER_FILE_BYTES
        ),
    );
}

/// `inkbind check` on a ZIP bomb: an entry that unpacks past the per-entry limit, and
/// entries that together unpack past the total, are reported and not unpacked further.
#[test]
fn check_reports_a_zip_bomb_without_unpacking_it() {
    use std::io::{Cursor, Write};
    // One entry of zeros just over the per-entry limit, compressed once...
    let mut seed = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    seed.start_file("zeros", deflated).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..=limits::CHECK_ENTRY_BYTES >> 20 {
        seed.write_all(&zeros).unwrap();
    }
    let mut seed = zip::ZipArchive::new(Cursor::new(seed.finish().unwrap().into_inner())).unwrap();
    // ...then copied compressed, so the bomb is quick to make.
    let dir = project(&[]);
    let path = dir.path().join("bomb.epub");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/epub+zip").unwrap();
    for e in 0..6 {
        let entry = seed.by_index_raw(0).unwrap();
        zip.raw_copy_file_rename(entry, format!("OEBPS/zeros-{e}.bin"))
            .unwrap();
    }
    zip.finish().unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() < 4 << 20);

    let out = inkbind(dir.path())
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(!text.contains("panicked"), "{text}");
    for message in [
        "error[zip-unreadable]: unpacks to more than 256 MiB; only that much is read\n \
         --> OEBPS/zeros-0.bin",
        // mimetype and four entries of 256 MiB read: the sixth entry is not.
        "error[zip-unreadable]: the ZIP unpacks to more than 1 GiB; entries from 6 on are \
         not read",
    ] {
        assert!(text.contains(message), "wanted `{message}` in\n{text}");
    }
}
