//! Criterion benchmarks of the build's stages, each on its own: load, render, cover,
//! package and check, on the article and on a synthetic 100k-word book of 20 chapters
//! (written once into `target/bench/`). `benches/bench.sh` measures whole builds.
//!
//! Run: `cargo bench --bench stages` (or `-- render` for one stage).

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{Criterion, criterion_group, criterion_main};
use inkbind::book::{Book, LoadOptions};
use inkbind::diag::Diagnostics;
use inkbind::{book, check, cover, package, render, theme};

#[path = "support/corpus.rs"]
#[allow(dead_code)]
mod corpus;

/// A project to build: its manuscript and the folder inputs stay inside.
struct Project {
    name: &'static str,
    manuscript: PathBuf,
    root: PathBuf,
}

fn projects() -> Vec<Project> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let synthetic = repo.join("target/bench/criterion-100000");
    if !synthetic.join("manuscript").is_dir() {
        corpus::write_kind(100_000, 20, &synthetic, corpus::Kind::Prose)
            .expect("writing the synthetic corpus");
    }
    vec![
        Project {
            name: "article",
            manuscript: repo.join("manuscript"),
            root: repo.to_path_buf(),
        },
        Project {
            name: "100k words",
            manuscript: synthetic.join("manuscript"),
            root: synthetic,
        },
    ]
}

fn load(p: &Project) -> Book {
    let opts = LoadOptions {
        path: p.manuscript.clone(),
        root: p.root.clone(),
        source_date_epoch: Some(0),
        ..LoadOptions::default()
    };
    book::load(&opts, &Diagnostics::default()).expect("the benchmark book loads")
}

fn stages(c: &mut Criterion) {
    for p in projects() {
        let mut group = c.benchmark_group(p.name);
        group.sample_size(20);
        group.bench_function("load", |b| b.iter(|| load(black_box(&p))));
        let book = load(&p);
        let diags = Diagnostics::default();
        group.bench_function("render", |b| {
            b.iter(|| render::render(black_box(&book), &diags).expect("renders"))
        });
        let cover = match book.cover.as_deref() {
            Some(path) => {
                group.bench_function("cover (given)", |b| {
                    b.iter(|| cover::load(black_box(path)).expect("cover loads"))
                });
                cover::load(path).expect("cover loads")
            }
            None => {
                group.bench_function("cover (generated)", |b| {
                    b.iter(|| {
                        cover::generate(&book.metadata, cover::Encoding::Jpeg).expect("draws")
                    })
                });
                cover::generate(&book.metadata, cover::Encoding::Jpeg).expect("draws")
            }
        };
        let rendered = render::render(&book, &diags).expect("renders");
        let style = theme::build(&theme::StyleOptions::default(), book.chapters.len(), &diags)
            .expect("theme");
        group.bench_function("package", |b| {
            b.iter(|| package::package(&book, black_box(&rendered), &style, Some(&cover)))
        });
        let epub = package::package(&book, &rendered, &style, Some(&cover)).expect("packages");
        group.bench_function("check", |b| {
            b.iter(|| check::check(black_box(&epub), &check::Options::default()))
        });
        group.finish();
    }
}

criterion_group!(benches, stages);
criterion_main!(benches);
