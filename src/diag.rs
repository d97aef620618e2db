//! One reporting channel for warnings and notes found while building, so they can be
//! counted, printed together and (later) made fatal.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

/// Where in the user's input a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
}

impl Location {
    pub fn new(file: &Path, line: Option<usize>) -> Self {
        Self {
            file: file.to_path_buf(),
            line,
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}", self.file.display()),
            None => write!(f, "{}", self.file.display()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Warning => "warning",
            Severity::Error => "error",
        };
        match &self.location {
            Some(loc) => write!(f, "{level}: {loc}: {}", self.message),
            None => write!(f, "{level}: {}", self.message),
        }
    }
}

/// Collects diagnostics from every stage. Shared by reference; stages may run in parallel.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Mutex<Vec<Diagnostic>>,
}

impl Diagnostics {
    pub fn warn(&self, location: Option<Location>, message: impl Into<String>) {
        self.push(Diagnostic {
            severity: Severity::Warning,
            location,
            message: message.into(),
        });
    }

    pub fn push(&self, diagnostic: Diagnostic) {
        // A poisoned lock only means another thread panicked mid-push; the list is still usable.
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.push(diagnostic);
    }

    pub fn warnings(&self) -> usize {
        self.snapshot()
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .count()
    }

    pub fn snapshot(&self) -> Vec<Diagnostic> {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Lines ready to print, in the order the findings were made.
    pub fn render(&self) -> Vec<String> {
        self.snapshot().iter().map(ToString::to_string).collect()
    }
}
