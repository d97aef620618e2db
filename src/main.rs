//! The `inkbind` binary: parses the command line, calls the library, reports the outcome.

use std::io::{ErrorKind, Write};
use std::process::ExitCode;

use clap::Parser;
use inkbind::diag::{Diagnostic, Style, Verbosity};

fn main() -> ExitCode {
    let cli = inkbind::cli::Cli::parse();
    let style = Style::detect(cli.quiet, cli.verbose);
    let building = matches!(cli.command, inkbind::cli::Command::Build(_)) && !cli.quiet;
    let spinner = inkbind::cmd::progress::Spinner::start(building, "building");
    let result = inkbind::run(cli);
    drop(spinner);
    match result {
        Ok(outcome) => {
            stderr(&outcome.diagnostics.render_styled(&style));
            if style.verbosity == Verbosity::Verbose {
                for note in &outcome.notes {
                    stderr(&format!("note: {note}\n"));
                }
            }
            match print(&outcome.stdout) {
                Ok(()) => ExitCode::from(outcome.exit_code),
                Err(e) => {
                    stderr(&format!("error: writing to standard output: {e}\n"));
                    ExitCode::from(1)
                }
            }
        }
        Err(failure) => {
            stderr(&failure.diagnostics.render_styled(&style));
            let diags = inkbind::diag::Diagnostics::default();
            diags.push(Diagnostic::from_error(&failure.error));
            stderr(&diags.render_styled(&Style {
                verbosity: Verbosity::Normal,
                ..style
            }));
            for cause in failure.error.chain().skip(1) {
                stderr(&format!("  caused by: {cause}\n"));
            }
            ExitCode::from(if inkbind::cmd::is_usage_error(&failure.error) {
                2
            } else {
                1
            })
        }
    }
}

/// Writes the command's output. A reader that stops early (`inkbind man | head`) is not
/// an error; any other failure (a full disk behind a redirect) is.
fn print(lines: &[String]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    let written = lines
        .iter()
        .try_for_each(|line| writeln!(out, "{line}"))
        .and_then(|()| out.flush());
    match written {
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Diagnostics go to stderr; if even that is closed there is nowhere left to report to.
fn stderr(text: &str) {
    let _ = std::io::stderr().lock().write_all(text.as_bytes());
}
