//! Writing the finished EPUB: into a temporary file beside the target, renamed into place
//! only when complete, so a failed or killed build never leaves a half-written book.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result, bail};

/// Whether `path` may be replaced by a new EPUB: it does not exist yet, or it is a regular
/// file that already holds an EPUB (a previous build). Anything else — a stylesheet, an
/// image, `book.toml`, a folder — is refused, so a mistyped `-o` never destroys an input.
pub fn check_replaceable(path: &Path) -> Result<()> {
    let Ok(meta) = fs::symlink_metadata(path) else {
        return Ok(());
    };
    let mut head = [0u8; 58];
    let is_epub = meta.is_file()
        && fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut head))
            .is_ok()
        && head.starts_with(b"PK\x03\x04")
        && &head[30..] == b"mimetypeapplication/epub+zip";
    if !is_epub {
        bail!(
            "refusing to replace `{}`: it is not an EPUB (only a previous build's output is \
             overwritten); choose another output path with -o",
            path.display()
        );
    }
    Ok(())
}

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
    remove_stale_temporaries(dir);
    let mut builder = tempfile::Builder::new();
    builder.prefix(".inkbind-").suffix(".tmp");
    // Temporary files are private (0600); the finished book gets the usual 0666 less umask.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder
        .tempfile_in(dir)
        .with_context(|| format!("creating a temporary file in `{}`", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("writing `{}`", tmp.path().display()))?;
    tmp.persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("moving the EPUB into place at `{}`", path.display()))?;
    Ok(())
}

/// A temporary file older than this was left by a killed build, not one still writing.
const STALE_AFTER: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes temporary files that builds killed mid-write (`kill -9`, power loss) left in
/// `dir`. Best effort: a file that cannot be read or removed is left alone.
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if !(name.starts_with(".inkbind-") && name.ends_with(".tmp")) {
            continue;
        }
        let stale = entry
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age > STALE_AFTER);
        if stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}
