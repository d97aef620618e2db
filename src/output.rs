//! Writing the finished EPUB: into a temporary file beside the target, renamed into place
//! only when complete, so a failed or killed build never leaves a half-written book.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir).with_context(|| format!("creating `{}`", dir.display()))?;
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
