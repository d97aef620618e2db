//! The check stage: validates any EPUB 3 — ours or anyone's — natively, in milliseconds:
//! the container, the package document, every content document, navigation, accessibility
//! metadata and, with `--target`, what a given store refuses. Each finding names a rule
//! ([`rules`]), a file inside the EPUB with line and column, and a fix. EPUBCheck stays the
//! reference; [`epubcheck`] runs it when installed and merges its messages.

mod archive;
mod content;
pub mod epubcheck;
mod navigation;
mod package;
mod paths;
pub mod report;
pub mod rules;
mod sniff;
mod store;

use serde::Serialize;

use crate::diag::Severity;
use rules::Rule;

pub use report::Report;

/// A store whose extra requirements `--target` adds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Target {
    Kindle,
    Kobo,
    Apple,
    Google,
}

#[derive(Debug, Clone, Default)]
pub struct Options {
    pub targets: Vec<Target>,
}

/// Who found a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    Inkbind,
    Epubcheck,
}

/// One problem in the EPUB.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule's code, or EPUBCheck's message ID for its own findings.
    pub code: String,
    #[serde(serialize_with = "severity_name")]
    pub severity: Severity,
    /// Path inside the EPUB; empty for the archive as a whole.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// EPUBCheck's ID for the same problem, when it reports one.
    pub epubcheck: Option<String>,
    pub origin: Origin,
    #[serde(skip)]
    pub source_line: Option<String>,
}

fn severity_name<S: serde::Serializer>(s: &Severity, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

/// A point inside one document of the EPUB.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub column: usize,
    /// Byte offset where the line starts, when known: the finding's source line is then
    /// sliced out instead of counted from the top (many findings in one long file would
    /// otherwise make the check quadratic).
    pub line_start: Option<usize>,
}

/// Collects findings while the rules run.
#[derive(Default)]
pub(crate) struct Sink {
    findings: Vec<Finding>,
}

impl Sink {
    /// Records a finding of `rule` in `file` (at `pos` inside `text`, when known).
    pub fn add(
        &mut self,
        rule: &Rule,
        file: &str,
        at: Option<(Pos, &str)>,
        message: impl Into<String>,
    ) {
        let (line, column, source_line) = match at {
            Some((pos, text)) if pos.line > 0 => {
                let line = match pos.line_start {
                    Some(start) => text.get(start..).and_then(|rest| rest.lines().next()),
                    None => text.lines().nth(pos.line - 1),
                };
                (Some(pos.line), Some(pos.column), line.map(str::to_string))
            }
            _ => (None, None, None),
        };
        self.findings.push(Finding {
            code: rule.code.to_string(),
            severity: rule.severity,
            file: file.to_string(),
            line,
            column,
            message: message.into(),
            hint: Some(rule.hint.to_string()),
            epubcheck: rule.epubcheck.map(str::to_string),
            origin: Origin::Inkbind,
            source_line,
        });
    }
}

/// Checks the EPUB held in `bytes`.
pub fn check(bytes: &[u8], opts: &Options) -> Report {
    let mut sink = Sink::default();
    if let Some(zip) = archive::open(bytes, &mut sink)
        && let Some(pkg) = package::check(&zip, &mut sink)
    {
        let docs = content::check(&zip, &pkg, &mut sink);
        let nav = navigation::check(&zip, &pkg, &docs, &mut sink);
        let book = store::Book {
            size: bytes.len(),
            zip: &zip,
            pkg: &pkg,
            docs: &docs,
            nav: &nav,
        };
        for target in &opts.targets {
            store::check(*target, &book, &mut sink);
        }
    }
    Report::new(sink.findings)
}
