//! inkbind binds Markdown into valid, reproducible EPUB 3 e-books.
//!
//! A build is a straight line: [`book::load`] reads the manuscript into a [`book::Book`],
//! [`render::render`] turns each chapter into XHTML, [`package::package`] assembles the
//! EPUB, and [`output::write_atomic`] puts it in place.

pub mod book;
pub mod check;
pub mod cli;
pub mod cmd;
pub mod cover;
pub mod diag;
pub mod limits;
pub mod output;
pub mod package;
pub mod paths;
pub mod render;
pub mod theme;
pub mod xml;

use std::env;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};

use crate::book::LoadOptions;
use crate::cli::{BuildArgs, Cli, Command, CoverArgs};
use crate::diag::Diagnostics;

/// What a successful command leaves for the binary to print.
pub struct Outcome {
    pub stdout: Vec<String>,
    pub diagnostics: Diagnostics,
    /// The process exit status: 0, or 1 when `check` found errors.
    pub exit_code: u8,
    /// What happened, for `--verbose`.
    pub notes: Vec<String>,
}

/// What a command reports besides its output: an exit status and notes for `--verbose`.
#[derive(Debug, Default)]
pub struct Status {
    pub exit_code: u8,
    pub notes: Vec<String>,
}

/// A failed command, with the diagnostics gathered before it failed.
pub struct Failure {
    pub error: anyhow::Error,
    pub diagnostics: Diagnostics,
}

pub fn run(cli: Cli) -> Result<Outcome, Failure> {
    let diagnostics = Diagnostics::default();
    let mut status = Status::default();
    let result = match cli.command {
        Command::Build(args) => {
            let start = std::time::Instant::now();
            let mut stages = Stages::default();
            let built = build_command_timed(&args, &diagnostics, &mut stages);
            status.notes.push(format!(
                "built and checked in {:.1} ms ({})",
                start.elapsed().as_secs_f64() * 1000.0,
                stages.summary()
            ));
            built.map(|path| vec![path.display().to_string()])
        }
        Command::Cover(args) => {
            cover_command(&args, &diagnostics).map(|path| vec![path.display().to_string()])
        }
        Command::Check(args) => cmd::check::run(&args, &diagnostics, &mut status),
        Command::Init(args) => cmd::init::run(&args),
        Command::Watch(args) => cmd::watch::run(&args, cli.quiet, cli.verbose),
        Command::Completions(args) => Ok(cmd::completions::completions(args.shell)),
        Command::Man => cmd::completions::man(),
        Command::Languages => Ok(cmd::languages::list()),
    };
    match result {
        Ok(stdout) => Ok(Outcome {
            stdout,
            diagnostics,
            exit_code: status.exit_code,
            notes: status.notes,
        }),
        Err(error) => Err(Failure { error, diagnostics }),
    }
}

/// `inkbind build`, also run by `inkbind watch` on every change.
pub fn build_command(args: &BuildArgs, diags: &Diagnostics) -> Result<PathBuf> {
    build_command_timed(args, diags, &mut Stages::default())
}

/// `inkbind build`, noting how long each stage took.
pub fn build_command_timed(
    args: &BuildArgs,
    diags: &Diagnostics,
    stages: &mut Stages,
) -> Result<PathBuf> {
    let cwd = env::current_dir().context("reading the current directory")?;
    let path = cwd.join(&args.path);
    let root = project_root(&cwd, &path);
    if let Some(cover) = &args.cover {
        paths::inside_root(&root, &cwd, cover).map_err(|e| anyhow!("--cover: {e}"))?;
    }
    let opts = BuildOptions {
        load: LoadOptions {
            path,
            root: root.clone(),
            cover: args.cover.as_ref().map(|c| cwd.join(c)),
            metadata: args.metadata.clone(),
            source_date_epoch: source_date_epoch()?,
            split_level: args.split_level,
            toc_depth: args.toc_depth,
            toc_page: args.toc_page.then_some(true),
            colophon: args.colophon.then_some(true),
            highlight: args.no_highlight.then_some(false),
        },
        output: args.output.as_ref().map(|o| cwd.join(o)),
        style: theme::StyleOptions {
            theme: args.theme,
            css: args
                .css
                .iter()
                .map(|p| paths::inside_root(&root, &cwd, p).map_err(|e| anyhow!("--css: {e}")))
                .collect::<Result<_>>()?,
            fonts: args
                .embed_font
                .iter()
                .map(|p| {
                    paths::inside_root(&root, &cwd, p).map_err(|e| anyhow!("--embed-font: {e}"))
                })
                .collect::<Result<_>>()?,
        },
        targets: args.target.clone(),
        deny_warnings: args.deny_warnings,
    };
    build_timed(&opts, diags, stages)
}

/// Generates the cover for the manuscript at `args.path` and writes it to `args.output`.
fn cover_command(args: &CoverArgs, diags: &Diagnostics) -> Result<PathBuf> {
    let cwd = env::current_dir().context("reading the current directory")?;
    let path = cwd.join(&args.path);
    let root = project_root(&cwd, &path);
    let load = LoadOptions {
        path,
        root,
        metadata: args.metadata.clone(),
        source_date_epoch: source_date_epoch()?,
        ..LoadOptions::default()
    };
    let book = book::load(&load, diags)?;
    let output = cwd.join(&args.output);
    let encoding = match output.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("png") => cover::Encoding::Png,
        Some(e) if e.eq_ignore_ascii_case("jpg") || e.eq_ignore_ascii_case("jpeg") => {
            cover::Encoding::Jpeg
        }
        _ => bail!(
            "cover output `{}` must end in .jpg, .jpeg or .png",
            output.display()
        ),
    };
    let image = cover::generate(&book.metadata, encoding)?;
    output::write_atomic(&output, &image.bytes)?;
    Ok(output)
}

/// The folder inputs must stay inside: the current directory when the manuscript is in
/// it, else the manuscript's own folder.
pub(crate) fn project_root(cwd: &Path, manuscript: &Path) -> PathBuf {
    // `..` is resolved first (`../elsewhere` is not inside `cwd`), symlinks are not: a
    // manuscript symlinked from outside must not make its target the project folder.
    if paths::lexical(manuscript).starts_with(cwd) {
        return cwd.to_path_buf();
    }
    if manuscript.is_dir() {
        manuscript.to_path_buf()
    } else {
        manuscript
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf())
    }
}

fn source_date_epoch() -> Result<Option<i64>> {
    match env::var("SOURCE_DATE_EPOCH") {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| anyhow!("SOURCE_DATE_EPOCH `{v}` is not a whole number of seconds")),
        _ => Ok(None),
    }
}

/// Everything a build needs, resolved to absolute paths.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub load: LoadOptions,
    /// Default: `<root>/out/<slug-of-title>.epub`.
    pub output: Option<PathBuf>,
    pub style: theme::StyleOptions,
    /// Store rules the finished EPUB is also checked against.
    pub targets: Vec<check::Target>,
    /// Fail (and write nothing) while any warning remains.
    pub deny_warnings: bool,
}

/// How long each stage of a build took, for `--verbose` and the benchmarks.
#[derive(Debug, Default)]
pub struct Stages {
    times: Vec<(&'static str, std::time::Duration)>,
    last: Option<std::time::Instant>,
}

impl Stages {
    fn start(&mut self) {
        self.last = Some(std::time::Instant::now());
    }

    /// Ends the stage running since the previous mark.
    fn mark(&mut self, stage: &'static str) {
        let now = std::time::Instant::now();
        let since = self.last.unwrap_or(now);
        self.times.push((stage, now - since));
        self.last = Some(now);
    }

    /// `load 1.2 ms, render 3.4 ms, …`
    pub fn summary(&self) -> String {
        self.times
            .iter()
            .map(|(stage, d)| format!("{stage} {:.1} ms", d.as_secs_f64() * 1000.0))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Builds the EPUB and returns where it was written.
pub fn build(opts: &BuildOptions, diags: &Diagnostics) -> Result<PathBuf> {
    build_timed(opts, diags, &mut Stages::default())
}

/// [`build`], noting how long each stage took.
pub fn build_timed(
    opts: &BuildOptions,
    diags: &Diagnostics,
    stages: &mut Stages,
) -> Result<PathBuf> {
    stages.start();
    let book = book::load(&opts.load, diags)?;
    stages.mark("load");
    let (cover, rendered) = cover_and_render(&book, diags)?;
    stages.mark("cover and render");
    // Stylesheets named in the metadata come before those given on the command line.
    let mut style_opts = opts.style.clone();
    style_opts
        .css
        .splice(0..0, book.metadata.css.iter().cloned());
    let style = theme::build(&style_opts, book.chapters.len(), diags)?;
    let epub = package::package(&book, &rendered, &style, Some(&cover))?;
    stages.mark("package");
    let output = match &opts.output {
        Some(o) => o.clone(),
        None => book
            .root
            .join("out")
            .join(format!("{}.epub", render::slugify(&book.metadata.title))),
    };
    if book.chapters.iter().any(|c| same_file(&c.source, &output))
        || book.cover.as_deref().is_some_and(|c| same_file(c, &output))
    {
        bail!(
            "refusing to write the EPUB over an input file: `{}`",
            output.display()
        );
    }
    output::check_replaceable(&output)?;
    check_built(&epub, &output, opts, diags)?;
    stages.mark("check");
    output::write_atomic(&output, &epub)?;
    stages.mark("write");
    Ok(output)
}

/// Generates the cover on a second thread while the chapters render: drawing and encoding
/// it costs about as much as rendering a million words. Each side reports into its own
/// diagnostics, merged afterwards in the order a sequential build would give (cover first;
/// nothing from rendering when the cover failed), so the output stays deterministic.
fn cover_and_render(
    book: &book::Book,
    diags: &Diagnostics,
) -> Result<(cover::CoverImage, render::RenderedBook)> {
    let cover_diags = Diagnostics::default();
    let render_diags = Diagnostics::default();
    let cover_job = || match book.cover.as_deref() {
        Some(path) => cover::load_with(path, &cover_diags),
        None => cover::generate(&book.metadata, cover::Encoding::Jpeg),
    };
    // A given cover is only read and checked: not worth a thread, which on a busy machine
    // may wait longer to be scheduled than the work takes.
    let (cover, rendered) = if book.cover.is_some() {
        (cover_job(), render::render(book, &render_diags))
    } else {
        std::thread::scope(|scope| {
            let cover = scope.spawn(cover_job);
            let rendered = render::render(book, &render_diags);
            let cover = cover
                .join()
                .unwrap_or_else(|_| Err(anyhow!("the cover thread panicked")));
            (cover, rendered)
        })
    };
    for d in cover_diags.snapshot() {
        diags.push(d);
    }
    let cover = cover?;
    for d in render_diags.snapshot() {
        diags.push(d);
    }
    Ok((cover, rendered?))
}

/// Runs the native check on the EPUB just packaged, before it is written, so that a book
/// with errors (or warnings, under `--deny-warnings`) never lands at the output path.
fn check_built(epub: &[u8], output: &Path, opts: &BuildOptions, diags: &Diagnostics) -> Result<()> {
    let report = check::check(
        epub,
        &check::Options {
            targets: opts.targets.clone(),
        },
    );
    report.to_diagnostics(output, diags);
    if report.errors() > 0 {
        bail!(
            "the EPUB fails its check ({}); nothing was written to `{}`",
            report.summary(),
            output.display()
        );
    }
    let warnings = diags.warnings();
    if opts.deny_warnings && warnings > 0 {
        bail!(
            "{warnings} warning(s) with --deny-warnings; nothing was written to `{}`",
            output.display()
        );
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
