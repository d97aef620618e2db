//! Fuzz target: any UTF-8 text, read as a manuscript's front matter (YAML between `---`
//! lines or TOML between `+++` lines), must give metadata or an error — never a panic, a
//! hang or an unbounded allocation — and metadata that is accepted must write well-formed
//! title page, colophon and NCX documents.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use inkbind::diag::Diagnostics;
use libfuzzer_sys::fuzz_target;

/// A small project folder, so `cover-image:` and `css:` paths sometimes resolve.
fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("inkbind-fuzz-fm-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("art")).expect("temp dir");
        std::fs::write(dir.join("art/cover.jpg"), b"\xFF\xD8\xFF").expect("write");
        std::fs::write(dir.join("extra.css"), b"p { margin: 0 }").expect("write");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Inputs without a fence are YAML front matter; the seeds show both forms.
    let text = if text.starts_with("---") || text.starts_with("+++") {
        text.to_string()
    } else {
        format!("---\n{text}\n---\n\nBody.\n")
    };
    let root = root();
    let file = root.join("book.md");
    let diags = Diagnostics::default();
    let Ok(meta) = inkbind::book::metadata_from_text(&text, &file, root, &diags) else {
        return;
    };
    for (name, doc) in inkbind::package::metadata_documents(&meta) {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&doc, opts) {
            panic!("{name} is not well-formed: {e}\n{doc}");
        }
    }
});
