//! Writes a synthetic manuscript for benchmarks (see `benches/support/corpus.rs`).
//!
//! Usage: `cargo run --release --example corpus -- WORDS CHAPTERS OUT_DIR [--code]`
//! (`--code`: a programming book, with code blocks after half the paragraphs)

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(words), Some(chapters), Some(dir)) = (
        args.first().and_then(|a| a.parse::<usize>().ok()),
        args.get(1).and_then(|a| a.parse::<usize>().ok()),
        args.get(2).map(PathBuf::from),
    ) else {
        eprintln!("usage: corpus WORDS CHAPTERS OUT_DIR [--code]");
        return ExitCode::from(2);
    };
    let kind = if args.get(3).is_some_and(|a| a == "--code") {
        corpus::Kind::Code
    } else {
        corpus::Kind::Prose
    };
    match corpus::write_kind(words, chapters, &dir, kind) {
        Ok(manuscript) => {
            println!("{}", manuscript.display());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}
