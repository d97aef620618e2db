//! Shell completions and the man page, generated from the clap definitions so they never
//! drift from the real options.

use anyhow::{Context, Result};
use clap::CommandFactory;

use crate::cli::Cli;

pub fn completions(shell: clap_complete::Shell) -> Vec<String> {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "inkbind", &mut out);
    vec![String::from_utf8_lossy(&out).trim_end().to_string()]
}

/// `inkbind(1)` in roff, with a section per subcommand.
pub fn man() -> Result<Vec<String>> {
    let cmd = Cli::command();
    let mut out = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut out)
        .context("rendering the man page")?;
    for sub in cmd.get_subcommands() {
        let mut page = Vec::new();
        let man = clap_mangen::Man::new(sub.clone());
        man.render_description_section(&mut page)
            .and_then(|()| man.render_options_section(&mut page))
            .context("rendering the man page")?;
        out.extend_from_slice(
            format!(".SH \"INKBIND {}\"\n", sub.get_name().to_uppercase()).as_bytes(),
        );
        // The sections' own headings would restart the page; keep only their bodies.
        let text = String::from_utf8_lossy(&page)
            .replace(".SH DESCRIPTION\n", "")
            .replace(".SH OPTIONS\n", ".SS Options\n");
        out.extend_from_slice(text.as_bytes());
    }
    Ok(vec![String::from_utf8_lossy(&out).trim_end().to_string()])
}
