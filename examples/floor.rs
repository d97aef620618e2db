//! The floor a Markdown-to-EPUB build cannot go below: read every Markdown file, parse it
//! with pulldown-cmark into HTML, and deflate that HTML into an in-memory zip. The
//! benchmark compares inkbind's wall time with this.
//!
//! Usage: `cargo run --release --example floor -- MANUSCRIPT_DIR`

use std::io::{Cursor, Write};
use std::process::ExitCode;

use pulldown_cmark::{Options, Parser, html};
use zip::write::SimpleFileOptions;

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: floor MANUSCRIPT_DIR");
        return ExitCode::from(2);
    };
    let mut files: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "md"))
            .collect(),
        Err(e) => {
            eprintln!("{dir}: {e}");
            return ExitCode::FAILURE;
        }
    };
    files.sort();
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts =
        Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_SMART_PUNCTUATION;
    let mut bytes = 0;
    for (i, f) in files.iter().enumerate() {
        let Ok(text) = std::fs::read_to_string(f) else {
            eprintln!("cannot read {}", f.display());
            return ExitCode::FAILURE;
        };
        let mut out = String::with_capacity(text.len() * 3 / 2);
        html::push_html(&mut out, Parser::new_ext(&text, opts));
        bytes += out.len();
        if zip
            .start_file(format!("{i}.xhtml"), SimpleFileOptions::default())
            .is_err()
            || zip.write_all(out.as_bytes()).is_err()
        {
            eprintln!("zip failed");
            return ExitCode::FAILURE;
        }
    }
    match zip.finish() {
        Ok(c) => println!(
            "{} files, {bytes} bytes of HTML, {} bytes zipped",
            files.len(),
            c.into_inner().len()
        ),
        Err(e) => {
            eprintln!("zip failed: {e}");
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
