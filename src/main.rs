//! The `inkbind` binary: parses the command line, calls the library, reports the outcome.

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
            eprint!("{}", outcome.diagnostics.render_styled(&style));
            if style.verbosity == Verbosity::Verbose {
                for note in &outcome.notes {
                    eprintln!("note: {note}");
                }
            }
            for line in &outcome.stdout {
                println!("{line}");
            }
            ExitCode::from(outcome.exit_code)
        }
        Err(failure) => {
            eprint!("{}", failure.diagnostics.render_styled(&style));
            let diags = inkbind::diag::Diagnostics::default();
            diags.push(Diagnostic::from_error(&failure.error));
            eprint!(
                "{}",
                diags.render_styled(&Style {
                    verbosity: Verbosity::Normal,
                    ..style
                })
            );
            for cause in failure.error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(if inkbind::cmd::is_usage_error(&failure.error) {
                2
            } else {
                1
            })
        }
    }
}
