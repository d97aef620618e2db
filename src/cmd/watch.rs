//! `inkbind watch`: builds, then rebuilds whenever the manuscript, the covers or
//! `book.toml` change, printing each result. Editors save in bursts (temporary file,
//! rename, chmod), so events are debounced into one rebuild.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::cli::BuildArgs;
use crate::diag::{Diagnostic, Diagnostics, Style};

const DEBOUNCE: Duration = Duration::from_millis(250);

/// Runs until interrupted (Ctrl-C). Output goes to stderr as each build finishes.
pub fn run(args: &BuildArgs, quiet: bool, verbose: bool) -> Result<Vec<String>> {
    let style = Style::detect(quiet, verbose);
    let cwd = std::env::current_dir().context("reading the current directory")?;
    let manuscript = cwd.join(&args.path);
    // The build reads `covers/` and `book.toml` from the project folder, which is the
    // manuscript's own when it lies outside the current directory.
    let root = crate::project_root(&cwd, &manuscript);
    let mut watched: Vec<PathBuf> = vec![manuscript.clone()];
    for extra in ["covers", "book.toml"] {
        watched.push(root.join(extra));
    }
    let flagged = args.cover.iter().chain(&args.css).chain(&args.embed_font);
    watched.extend(flagged.map(|file| cwd.join(file)));
    build_and_report(args, &style);

    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, None, tx).context("starting the file watcher")?;
    for path in watched.iter().filter(|p| p.exists()) {
        debouncer
            .watch(path, RecursiveMode::Recursive)
            .with_context(|| format!("watching `{}`", path.display()))?;
    }
    eprintln!(
        "watching {} for changes (Ctrl-C to stop)",
        display(&manuscript, &cwd)
    );
    for result in rx {
        let relevant = match result {
            Ok(events) => events.iter().any(|e| {
                !matches!(e.kind, EventKind::Access(_)) && e.paths.iter().any(|p| is_input(p, &cwd))
            }),
            Err(errors) => {
                for e in errors {
                    eprintln!("watch error: {e}");
                }
                false
            }
        };
        if relevant {
            build_and_report(args, &style);
        }
    }
    Ok(Vec::new())
}

/// Our own output (the EPUB, its temporary file, `out/`) must not trigger a rebuild.
fn is_input(path: &Path, cwd: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    !(name.starts_with(".inkbind-")
        || name.ends_with(".epub")
        || name.ends_with('~')
        || name.starts_with(".#")
        || path.starts_with(cwd.join("out")))
}

fn display(path: &Path, cwd: &Path) -> String {
    path.strip_prefix(cwd).unwrap_or(path).display().to_string()
}

fn build_and_report(args: &BuildArgs, style: &Style) {
    let start = Instant::now();
    let diags = Diagnostics::default();
    let result = crate::build_command(args, &diags);
    eprint!("{}", diags.render_styled(style));
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(path) => {
            let warnings = diags.warnings();
            let cwd = std::env::current_dir().unwrap_or_default();
            eprintln!(
                "built {} in {ms:.0} ms{}",
                display(&path, &cwd),
                match warnings {
                    0 => String::new(),
                    1 => " (1 warning)".into(),
                    n => format!(" ({n} warnings)"),
                }
            );
        }
        Err(error) => {
            let failed = Diagnostics::default();
            failed.push(Diagnostic::from_error(&error));
            eprint!("{}", failed.render_styled(style));
            eprintln!("build failed after {ms:.0} ms; waiting for the next change");
        }
    }
}
