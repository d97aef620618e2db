//! The `inkbind` binary: parses the command line, calls the library, reports the outcome.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = inkbind::cli::Cli::parse();
    match inkbind::run(cli) {
        Ok(outcome) => {
            for line in outcome.diagnostics.render() {
                eprintln!("{line}");
            }
            for line in &outcome.stdout {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Err(failure) => {
            for line in failure.diagnostics.render() {
                eprintln!("{line}");
            }
            eprintln!("error: {}", failure.error);
            for cause in failure.error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(1)
        }
    }
}
