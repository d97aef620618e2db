//! Keeping inputs inside the project: every file a manuscript or flag names must resolve,
//! after following symlinks, to a place under the project root.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// Canonicalises `path` (relative paths are taken from `base`) and checks that it lies
/// inside `root`. Never opens the file.
pub fn inside_root(root: &Path, base: &Path, path: &Path) -> Result<PathBuf> {
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
    }
}
