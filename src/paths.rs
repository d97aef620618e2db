//! Keeping inputs inside the project: every file a manuscript or flag names must resolve,
//! after following symlinks, to a place under the project root.

use std::path::{Component, Path, PathBuf};

use anyhow::{Result, bail};

/// Canonicalises `path` (relative paths are taken from `base`) and checks that it lies
/// inside `root`. Never opens the file.
pub fn inside_root(root: &Path, base: &Path, path: &Path) -> Result<PathBuf> {
    refuse_url(&path.to_string_lossy())?;
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let Ok(real) = joined.canonicalize() else {
        bail!("`{}` does not exist", path.display());
    };
    let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    if !real.starts_with(&root) {
        bail!(
            "`{}` is outside the project folder `{}`: only files inside it can go into the book",
            path.display(),
            root.display()
        );
    }
    Ok(real)
}

/// Refuses a `file:` or other URL where a file path is expected: nothing is ever fetched,
/// and a `file:` URL would otherwise be read as a strange relative path.
pub fn refuse_url(written: &str) -> Result<()> {
    let lower = written.trim().to_ascii_lowercase();
    if lower.starts_with("file:") {
        bail!("`{written}`: file: URLs are not allowed; use a path relative to the project folder");
    }
    if let Some((scheme, _)) = lower.split_once("://")
        && scheme.len() > 1
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
    {
        bail!(
            "`{written}` is a URL: inkbind never downloads anything; use a file inside the \
             project folder"
        );
    }
    Ok(())
}

/// `path` with `.` and `..` resolved by name, without following symlinks.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push(part);
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_are_refused_and_inside_paths_resolve() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("book");
        std::fs::create_dir_all(root.join("styles")).unwrap();
        std::fs::write(root.join("styles/a.css"), "").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "").unwrap();
        assert!(inside_root(&root, &root, Path::new("styles/a.css")).is_ok());
        assert!(inside_root(&root, &root, Path::new("../secret.txt")).is_err());
        assert!(inside_root(&root, &root, &dir.path().join("secret.txt")).is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("link.css"))
                .unwrap();
            assert!(inside_root(&root, &root, Path::new("link.css")).is_err());
        }
        assert!(inside_root(&root, &root, Path::new("missing.css")).is_err());
        let err = inside_root(&root, &root, Path::new("file:///etc/passwd")).unwrap_err();
        assert!(
            err.to_string().contains("file: URLs are not allowed"),
            "{err}"
        );
        let err = inside_root(&root, &root, Path::new("https://x.test/a.css")).unwrap_err();
        assert!(err.to_string().contains("never downloads"), "{err}");
        assert_eq!(lexical(Path::new("/a/b/../../c/./d")), Path::new("/c/d"));
        assert!(!lexical(&root.join("../secret.txt")).starts_with(&root));
    }
}
