//! `inkbind languages`: the names a fenced code block may give for highlighting.

use crate::render::highlight;

/// One line per grammar: its name, then the words that choose it.
pub fn list() -> Vec<String> {
    let languages = highlight::languages();
    let width = languages
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    let mut lines: Vec<String> = languages
        .into_iter()
        .map(|(name, words)| {
            let pad = width - name.chars().count();
            format!("{name}{}  {}", " ".repeat(pad), words.join(", "))
        })
        .collect();
    lines.push(String::new());
    lines.push(
        "Plain, with no highlighting and no warning: text, txt, plain, plaintext, none, output, console."
            .to_string(),
    );
    lines
}
