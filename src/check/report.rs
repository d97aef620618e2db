//! The result of a check: findings in a stable order, counted, and turned into
//! diagnostics for people or JSON for machines.

use std::path::{Path, PathBuf};

use serde::Serialize;

use super::{Finding, Origin};
use crate::diag::{Diagnostic, Diagnostics, Location, Severity};

#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub findings: Vec<Finding>,
}

impl Report {
    pub fn new(mut findings: Vec<Finding>) -> Self {
        findings.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.code).cmp(&(&b.file, b.line, b.column, &b.code))
        });
        findings.dedup();
        Self { findings }
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// Adds EPUBCheck's findings, leaving out those a native rule already reported for the
    /// same file and line (EPUBCheck's ID recorded on the native finding).
    pub fn merge_epubcheck(&mut self, theirs: Vec<Finding>) {
        let mut all = std::mem::take(&mut self.findings);
        for f in theirs {
            let duplicate = all.iter().any(|mine| {
                mine.origin == Origin::Inkbind
                    && mine.epubcheck.as_deref() == Some(f.code.as_str())
                    && mine.file == f.file
                    && (mine.line == f.line || mine.line.is_none() || f.line.is_none())
            });
            if !duplicate {
                all.push(f);
            }
        }
        *self = Report::new(all);
    }

    /// Each finding as a diagnostic pointing into the EPUB (`epub` names the book itself).
    pub fn to_diagnostics(&self, epub: &Path, diags: &Diagnostics) {
        for f in &self.findings {
            let file = if f.file.is_empty() {
                epub.to_path_buf()
            } else {
                PathBuf::from(&f.file)
            };
            let mut d = Diagnostic::new(f.severity, &f.message)
                .code(&f.code)
                .at(Location {
                    file,
                    line: f.line,
                    column: f.column,
                });
            d.hint = f.hint.clone();
            d.source_line = f.source_line.clone();
            diags.push(d);
        }
    }

    /// The report as one JSON document.
    pub fn to_json(&self, epub: &Path) -> String {
        #[derive(Serialize)]
        struct Json<'a> {
            file: String,
            errors: usize,
            warnings: usize,
            findings: &'a [Finding],
        }
        let json = Json {
            file: epub.display().to_string(),
            errors: self.errors(),
            warnings: self.warnings(),
            findings: &self.findings,
        };
        // Serialising plain strings and numbers cannot fail.
        serde_json::to_string_pretty(&json).unwrap_or_default()
    }

    /// `2 errors, 1 warning` (or `no problems`).
    pub fn summary(&self) -> String {
        let (e, w) = (self.errors(), self.warnings());
        if e == 0 && w == 0 {
            return "no problems found".into();
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!("{}, {}", plural(e, "error"), plural(w, "warning"))
    }
}
