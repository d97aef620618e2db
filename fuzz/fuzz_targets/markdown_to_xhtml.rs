//! Fuzz target: any UTF-8 input, as the Markdown of a one-file book, must render to
//! well-formed XHTML (or fail with an error, never a panic).
#![no_main]

use std::sync::OnceLock;

use inkbind::book::{Book, LoadOptions, load};
use inkbind::diag::Diagnostics;
use libfuzzer_sys::fuzz_target;

fn template() -> &'static std::sync::Mutex<Book> {
    static BOOK: OnceLock<std::sync::Mutex<Book>> = OnceLock::new();
    BOOK.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("inkbind-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let file = dir.join("book.md");
        std::fs::write(&file, "---\ntitle: Fuzz\nlang: en\n---\n\nx\n").expect("write");
        let opts = LoadOptions {
            path: file,
            root: dir,
            ..LoadOptions::default()
        };
        std::sync::Mutex::new(load(&opts, &Diagnostics::default()).expect("load"))
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(markdown) = std::str::from_utf8(data) else {
        return;
    };
    let mut book = template().lock().unwrap_or_else(|e| e.into_inner());
    book.chapters[0].markdown = markdown.to_string();
    book.layout.split_level = 1 + (data.len() % 3) as u8;
    let Ok(rendered) = inkbind::render::render(&book, &Diagnostics::default()) else {
        return;
    };
    for chapter in &rendered.chapters {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..Default::default()
        };
        if let Err(e) = roxmltree::Document::parse_with_options(&chapter.xhtml, opts) {
            panic!("not well-formed: {e}\n{}", chapter.xhtml);
        }
    }
});
