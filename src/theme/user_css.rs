//! The user's own stylesheets (`--css`), appended after the theme. Declarations that would
//! reach outside the book (`@import`, `url()` other than `data:`) are dropped with a
//! warning, and reader-unsafe rules are reported.

use std::path::Path;

use anyhow::{Result, anyhow};

use super::lint;
use crate::diag::{Diagnostics, Location};
use crate::limits;

pub fn load(path: &Path, diags: &Diagnostics) -> Result<String> {
    let bytes = limits::read_input(path, "stylesheet", limits::CSS_FILE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow!(
            "stylesheet `{}` is not valid UTF-8 (byte {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let mut kept = String::with_capacity(text.len() + 64);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    kept.push_str(&format!("\n/* From {} */\n", name.replace("*/", "")));
    kept.push_str(&drop_external(&text, &mut |offset| {
        let line = text[..offset].matches('\n').count() + 1;
        diags.warn(
            Some(Location::new(path, Some(line))),
            "dropped a declaration that loads a file or URL (`@import`, `url()`): \
             a book cannot fetch them; embed fonts with --embed-font",
        );
    }));
    for finding in lint::lint(&kept) {
        diags.warn(
            Some(Location::new(path, None)),
            format!("`{}`: {}", finding.declaration, finding.reason),
        );
    }
    Ok(kept)
}

/// Removes every declaration or statement that references something outside the book,
/// from the preceding `;`/`{`/`}` to the next `;` (or up to the closing `}`), so the
/// surrounding rules stay intact. Calls `report` with each removal's byte offset.
fn drop_external(css: &str, report: &mut dyn FnMut(usize)) -> String {
    let lower = css.to_ascii_lowercase();
    let mut cut: Vec<(usize, usize)> = Vec::new();
    let mut search = 0;
    while let Some(found) = next_external(&lower, search) {
        let start = lower[..found].rfind([';', '{', '}']).map_or(0, |i| i + 1);
        let end = match lower[found..].find([';', '}']) {
            Some(i) if lower.as_bytes()[found + i] == b';' => found + i + 1,
            Some(i) => found + i,
            None => lower.len(),
        };
        report(found);
        cut.push((start, end));
        search = end.max(found + 1);
    }
    let mut out = String::with_capacity(css.len());
    let mut pos = 0;
    for (start, end) in cut {
        if start >= pos {
            out.push_str(&css[pos..start]);
        }
        pos = pos.max(end);
    }
    out.push_str(&css[pos.min(css.len())..]);
    out
}

fn next_external(lower: &str, from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        let import = lower[at..].find("@import").map(|i| i + at);
        let url = lower[at..].find("url(").map(|i| i + at);
        let next = match (import, url) {
            (Some(a), Some(b)) => a.min(b),
            (a, b) => a.or(b)?,
        };
        if Some(next) == url
            && lower[next + 4..]
                .trim_start_matches(['"', '\'', ' '])
                .starts_with("data:")
        {
            at = next + 4;
            continue;
        }
        return Some(next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn external_references_are_cut_and_rules_survive() {
        let css = "@import url(x.css);\n.a { color: red; background: url(\"b.png\"); margin: 0 }\n\
                   .c { background: url(data:image/png;base64,AA) }";
        let mut hits = 0;
        let out = drop_external(css, &mut |_| hits += 1);
        assert_eq!(hits, 2);
        assert!(!out.contains("@import") && !out.contains("b.png"));
        assert!(out.contains(".a { color: red; margin: 0 }"));
        assert!(out.contains("data:image/png"));
    }
}
