//! The limits every stage keeps, in one place so the README can state them exactly, and
//! reading an input file under its limit: only regular files, never more bytes than the
//! limit, and never blocking on a FIFO or device that a manuscript slipped in.

use std::fs;
use std::io::Read;
use std::path::Path;

use anyhow::{Context, Result, bail};

const MIB: u64 = 1024 * 1024;

/// One Markdown file.
pub const MARKDOWN_FILE_BYTES: u64 = 64 * MIB;
/// All the Markdown files of a book together.
pub const MANUSCRIPT_BYTES: u64 = 256 * MIB;
/// Markdown files in a manuscript folder, and entries in `chapters = [...]`.
pub const MARKDOWN_FILES: usize = 10_000;
/// One image file referenced from the Markdown or raw HTML.
pub const IMAGE_FILE_BYTES: u64 = 32 * MIB;
/// Different image files in one book.
pub const IMAGES: usize = 10_000;
/// All the image files of a book together.
pub const IMAGES_BYTES: u64 = 512 * MIB;
/// One stylesheet (`--css`, `css:`).
pub const CSS_FILE_BYTES: u64 = MIB;
/// Stylesheets in one book.
pub const CSS_FILES: usize = 64;
/// One font file (`--embed-font`); readers struggle well before this.
pub const FONT_FILE_BYTES: u64 = 20 * MIB;
/// Embedded fonts in one book.
pub const FONTS: usize = 16;
/// A given cover image file (its pixels have their own limits in `cover`).
pub const COVER_FILE_BYTES: u64 = 64 * MIB;
/// `book.toml`, and the front matter of a Markdown file.
pub const METADATA_BYTES: u64 = MIB;
/// `inkbind check`: the most read of one ZIP entry, and of all entries together.
pub const CHECK_ENTRY_BYTES: u64 = 256 * MIB;
pub const CHECK_TOTAL_BYTES: u64 = 1024 * MIB;

/// Reads the regular file at `path` (already resolved inside the project), refusing
/// anything that is not a regular file or is larger than `max` bytes. `what` names the
/// kind of input in messages ("image", "stylesheet").
pub fn read_input(path: &Path, what: &str, max: u64) -> Result<Vec<u8>> {
    let meta =
        fs::metadata(path).with_context(|| format!("reading {what} `{}`", path.display()))?;
    if !meta.is_file() {
        bail!(
            "{what} `{}` is not a regular file (a folder, pipe or device); refusing to read it",
            path.display()
        );
    }
    check_size(path, what, meta.len(), max)?;
    let file =
        open_nonblocking(path).with_context(|| format!("reading {what} `{}`", path.display()))?;
    // The file may have been swapped since `metadata`: check what was really opened.
    let opened = file
        .metadata()
        .with_context(|| format!("reading {what} `{}`", path.display()))?;
    if !opened.is_file() {
        bail!(
            "{what} `{}` is not a regular file; refusing to read it",
            path.display()
        );
    }
    let mut bytes = Vec::with_capacity(opened.len().min(max) as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("reading {what} `{}`", path.display()))?;
    check_size(path, what, bytes.len() as u64, max)?;
    Ok(bytes)
}

/// An error when `len` bytes is over `max`.
pub fn check_size(path: &Path, what: &str, len: u64, max: u64) -> Result<()> {
    if len > max {
        bail!(
            "{what} `{}` is {} bytes; the limit is {} ({})",
            path.display(),
            len,
            max,
            human(max)
        );
    }
    Ok(())
}

/// `1 MiB`, `64 MiB`, `1 GiB`: how the README states the limits.
pub fn human(bytes: u64) -> String {
    if bytes >= 1024 * MIB && bytes.is_multiple_of(1024 * MIB) {
        format!("{} GiB", bytes / (1024 * MIB))
    } else if bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    // O_NONBLOCK: opening a FIFO must not wait for a writer.
    fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<fs::File> {
    fs::File::open(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_up_to_the_limit_only() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.css");
        fs::write(&file, b"12345").unwrap();
        assert_eq!(read_input(&file, "stylesheet", 5).unwrap(), b"12345");
        let err = read_input(&file, "stylesheet", 4).unwrap_err().to_string();
        assert!(err.contains("is 5 bytes; the limit is 4"), "{err}");
        let err = read_input(dir.path(), "stylesheet", 4)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe.png");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap();
        assert!(made.success());
        let err = read_input(&fifo, "image", 10).unwrap_err().to_string();
        assert!(err.contains("not a regular file"), "{err}");
    }

    #[test]
    fn limits_read_as_the_readme_states_them() {
        assert_eq!(human(MARKDOWN_FILE_BYTES), "64 MiB");
        assert_eq!(human(METADATA_BYTES), "1 MiB");
        assert_eq!(human(1024 * MIB), "1 GiB");
    }
}
