//! One reporting channel for warnings and errors found while building or checking, so they
//! can be counted, made fatal (`--deny-warnings`) and printed together — either as one line
//! each ([`Diagnostics::render`]) or like rustc/cargo, with the offending source line, a
//! marker under it and a hint ([`Diagnostics::render_styled`]).

use std::collections::HashMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// Where in the user's input a finding points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column in characters, when known.
    pub column: Option<usize>,
}

impl Location {
    pub fn new(file: &Path, line: Option<usize>) -> Self {
        Self {
            file: file.to_path_buf(),
            line,
            column: None,
        }
    }

    /// A location with a line and a column (both 1-based).
    pub fn at(file: &Path, line: usize, column: usize) -> Self {
        Self {
            file: file.to_path_buf(),
            line: Some(line),
            column: Some(column),
        }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
    /// A stable identifier for the rule (`OPF-003`), shown as `warning[OPF-003]`.
    pub code: Option<String>,
    /// What to do about it, in one line.
    pub hint: Option<String>,
    /// The text of the offending line, when the file cannot be read back at render time
    /// (a document inside an EPUB). Otherwise the line is read from `location.file`.
    pub source_line: Option<String>,
}

impl Diagnostic {
    pub fn new(severity: Severity, message: impl Into<String>) -> Self {
        Self {
            severity,
            location: None,
            message: message.into(),
            code: None,
            hint: None,
            source_line: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, message)
    }

    pub fn error(message: impl Into<String>) -> Self {
        Self::new(Severity::Error, message)
    }

    pub fn at(mut self, location: Location) -> Self {
        self.location = Some(location);
        self
    }

    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn source_line(mut self, line: impl Into<String>) -> Self {
        self.source_line = Some(line.into());
        self
    }

    /// Reads a `path:line[:col]: message` prefix, the shape our errors take for user
    /// mistakes, so that a failed build can show the offending line too.
    pub fn from_error(error: &anyhow::Error) -> Self {
        let text = error.to_string();
        let mut diag = Diagnostic::error(text.clone());
        let mut parts = text.splitn(4, ':');
        let (Some(file), Some(line)) = (parts.next(), parts.next()) else {
            return diag;
        };
        let Ok(line) = line.trim().parse::<usize>() else {
            return diag;
        };
        let rest: Vec<&str> = parts.collect();
        let (column, message) = match rest.as_slice() {
            [col, msg] if col.trim().parse::<usize>().is_ok() => {
                (col.trim().parse().ok(), msg.to_string())
            }
            _ => (None, rest.join(":")),
        };
        if !Path::new(file).is_file() {
            return diag;
        }
        diag.message = message.trim().to_string();
        diag.location = Some(Location {
            file: PathBuf::from(file),
            line: Some(line),
            column,
        });
        diag
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = self.severity.as_str();
        match &self.code {
            Some(code) => write!(f, "{level}[{code}]")?,
            None => f.write_str(level)?,
        }
        match &self.location {
            Some(loc) => write!(f, ": {loc}: {}", self.message),
            None => write!(f, ": {}", self.message),
        }
    }
}

/// How much to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verbosity {
    /// `-q`: errors only.
    Quiet,
    #[default]
    Normal,
    /// `-v`: also what each step did.
    Verbose,
}

/// How diagnostics are printed: colour only when asked for by the terminal and not refused
/// by `NO_COLOR` (<https://no-color.org>).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Style {
    pub color: bool,
    pub verbosity: Verbosity,
}

impl Style {
    /// Colour when stderr is a terminal and `NO_COLOR` is unset or empty.
    pub fn detect(quiet: bool, verbose: bool) -> Self {
        use std::io::IsTerminal;
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            color: !no_color && std::io::stderr().is_terminal(),
            verbosity: if quiet {
                Verbosity::Quiet
            } else if verbose {
                Verbosity::Verbose
            } else {
                Verbosity::Normal
            },
        }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
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
            location,
            ..Diagnostic::warning(message)
        });
    }

    /// A warning with a one-line hint on what to do.
    pub fn warn_hint(
        &self,
        location: Option<Location>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) {
        self.push(Diagnostic {
            location,
            ..Diagnostic::warning(message).hint(hint)
        });
    }

    pub fn push(&self, diagnostic: Diagnostic) {
        // A poisoned lock only means another thread panicked mid-push; the list is still usable.
        let mut items = self.items.lock().unwrap_or_else(|e| e.into_inner());
        items.push(diagnostic);
    }

    pub fn warnings(&self) -> usize {
        self.count(Severity::Warning)
    }

    pub fn errors(&self) -> usize {
        self.count(Severity::Error)
    }

    fn count(&self, severity: Severity) -> usize {
        self.snapshot()
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }

    pub fn snapshot(&self) -> Vec<Diagnostic> {
        self.items.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Every diagnostic as rustc prints them (quiet mode keeps errors only), ready for stderr.
    pub fn render_styled(&self, style: &Style) -> String {
        let mut sources = SourceCache::default();
        let mut out = String::new();
        for d in self.snapshot() {
            if style.verbosity == Verbosity::Quiet && d.severity == Severity::Warning {
                continue;
            }
            out.push_str(&render_one(&d, style, &mut sources));
        }
        out
    }
}

/// Files read back to show their lines, each read at most once.
#[derive(Default)]
struct SourceCache {
    files: HashMap<PathBuf, Option<Vec<String>>>,
}

impl SourceCache {
    fn line(&mut self, file: &Path, line: usize) -> Option<String> {
        let lines = self.files.entry(file.to_path_buf()).or_insert_with(|| {
            std::fs::read_to_string(file)
                .ok()
                .map(|t| t.lines().map(str::to_string).collect())
        });
        lines.as_ref()?.get(line.checked_sub(1)?).cloned()
    }
}

/// Paths under the current directory are shown relative to it, as cargo does.
fn display_path(path: &Path) -> String {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

/// One diagnostic in rustc's shape:
///
/// ```text
/// warning[CODE]: message
///   --> file:line:col
///    |
/// 12 | the offending line
///    |     ^^^^^^^^^^^^^^
///    = hint: what to do
/// ```
fn render_one(d: &Diagnostic, style: &Style, sources: &mut SourceCache) -> String {
    let colour = match d.severity {
        Severity::Warning => "1;33",
        Severity::Error => "1;31",
    };
    let mut head = d.severity.as_str().to_string();
    if let Some(code) = &d.code {
        head.push_str(&format!("[{code}]"));
    }
    let mut out = format!(
        "{}{} {}\n",
        style.paint(colour, &head),
        style.paint("1", ":"),
        style.paint("1", &d.message)
    );
    let blue = |s: &str| style.paint("1;34", s);
    let Some(loc) = &d.location else {
        if let Some(hint) = &d.hint {
            let _ = writeln!(out, "  {} hint: {hint}", blue("="));
        }
        return out;
    };
    let line_text = match (loc.line, &d.source_line) {
        (_, Some(text)) => Some(text.clone()),
        (Some(n), None) => sources.line(&loc.file, n),
        _ => None,
    };
    let gutter = loc.line.map_or(1, |n| n.to_string().len());
    let pad = " ".repeat(gutter);
    let shown = Location {
        file: PathBuf::from(display_path(&loc.file)),
        ..loc.clone()
    };
    let _ = writeln!(out, "{pad}{} {shown}", blue("-->"));
    if let (Some(n), Some(text)) = (loc.line, line_text) {
        let text = text.replace('\t', "    ");
        // Long lines (a paragraph of Markdown, minified XHTML) are cut around the column.
        let col = loc.column.unwrap_or(0);
        let (text, col) = window(&text, col, 100);
        let marker = marker_for(&text, col);
        let _ = writeln!(out, "{pad} {}", blue("|"));
        let _ = writeln!(out, "{} {text}", blue(&format!("{n} |")));
        let _ = writeln!(out, "{pad} {} {}", blue("|"), style.paint(colour, &marker));
    }
    if let Some(hint) = &d.hint {
        let _ = writeln!(out, "{pad} {} hint: {hint}", blue("="));
    }
    out
}

/// At most `width` characters of `text` around column `col` (1-based; 0 = unknown), with
/// the column adjusted to the cut.
fn window(text: &str, col: usize, width: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().collect();
    if chars.len() <= width {
        return (text.to_string(), col);
    }
    let start = col.saturating_sub(width / 3 + 1).min(chars.len() - width);
    let mut cut: String = chars[start..start + width].iter().collect();
    if start > 0 {
        cut.insert(0, '…');
    }
    cut.push('…');
    let col = if col == 0 {
        0
    } else {
        col - start + usize::from(start > 0)
    };
    (cut, col)
}

/// A `^` run under the word at `col` (1-based), or under the whole line when the column is
/// unknown.
fn marker_for(text: &str, col: usize) -> String {
    let chars: Vec<char> = text.chars().collect();
    let indent = chars.iter().take_while(|c| c.is_whitespace()).count();
    if col == 0 || col > chars.len() {
        let len = chars.len().saturating_sub(indent).max(1);
        return format!("{}{}", " ".repeat(indent), "^".repeat(len));
    }
    let start = col - 1;
    // A markup tag is underlined whole; anything else up to the next space.
    let len = if chars[start] == '<' {
        chars[start..]
            .iter()
            .position(|&c| c == '>')
            .map_or(chars.len() - start, |i| i + 1)
    } else if let Some(len) = attribute_len(&chars[start..]) {
        len
    } else {
        chars[start..]
            .iter()
            .take_while(|c| !c.is_whitespace())
            .count()
            .max(1)
    };
    format!("{}{}", " ".repeat(start), "^".repeat(len))
}

/// The length of `name="value"` at the start of `chars`, quotes included.
fn attribute_len(chars: &[char]) -> Option<usize> {
    let eq = chars.iter().position(|&c| c == '=').filter(|&i| {
        i > 0
            && chars[..i]
                .iter()
                .all(|c| c.is_alphanumeric() || ":-_".contains(*c))
    })?;
    let quote = *chars.get(eq + 1).filter(|&&c| c == '"' || c == '\'')?;
    let close = chars[eq + 2..].iter().position(|&c| c == quote)?;
    Some(eq + 2 + close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_print_as_file_line_column() {
        assert_eq!(
            Location::at(Path::new("a.md"), 6, 5).to_string(),
            "a.md:6:5"
        );
        assert_eq!(
            Location::new(Path::new("a.md"), Some(3)).to_string(),
            "a.md:3"
        );
    }

    #[test]
    fn rustc_style_shows_line_marker_and_hint_without_colour() {
        let diags = Diagnostics::default();
        diags.push(
            Diagnostic::warning("broken link")
                .code("X-1")
                .at(Location::at(Path::new("OEBPS/c.xhtml"), 12, 4))
                .source_line("<p><a href=\"#nope\">x</a></p>")
                .hint("point it at an existing id"),
        );
        let text = diags.render_styled(&Style::default());
        assert_eq!(
            text,
            "warning[X-1]: broken link\n  --> OEBPS/c.xhtml:12:4\n   |\n12 | <p><a href=\"#nope\">x</a></p>\n   |    ^^^^^^^^^^^^^^^^\n   = hint: point it at an existing id\n"
        );
        assert!(!text.contains('\x1b'));
        let quiet = Style {
            verbosity: Verbosity::Quiet,
            ..Style::default()
        };
        assert_eq!(diags.render_styled(&quiet), "");
        assert_eq!(diags.warnings(), 1);
        assert_eq!(diags.errors(), 0);
    }

    #[test]
    fn errors_with_a_file_line_prefix_point_at_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "---\ntitle: [\n---\n").unwrap();
        let err = anyhow::anyhow!("{}:2: front matter is not valid YAML", file.display());
        let d = Diagnostic::from_error(&err);
        assert_eq!(d.location.as_ref().and_then(|l| l.line), Some(2));
        assert_eq!(d.message, "front matter is not valid YAML");
        let plain = Diagnostic::from_error(&anyhow::anyhow!("no such thing: 3"));
        assert!(plain.location.is_none());
    }
}
