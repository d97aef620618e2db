//! Syntax highlighting for fenced code blocks. syntect parses the code with Sublime Text
//! grammars (syntect's own set plus bat's, through two-face); each token's scope stack is
//! reduced to one of a dozen `hl-*` classes, so the stylesheet decides how code looks and
//! no colour is written into the book. A reader's night or sepia mode keeps working, and a
//! `--css` file can colour the classes if the author wants colour.

use std::str::FromStr;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use syntect::highlighting::ScopeSelectors;
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxReference, SyntaxSet};

use crate::book::Book;
use crate::diag::Diagnostics;
use crate::xml;

// Grammar engines are fast on real code (about 1.5 MB/s here) but slow on some hostile
// text: a line of 500 backticks in a Markdown block runs at about 16 KB/s, and the cost of a
// line grows with its square. These limits bound the worst case (2 MiB at 16 KB/s on each
// core is about a minute) while leaving real books alone; what is over them stays plain,
// with a warning, and the output never depends on timing.

/// Blocks larger than this are left plain: a generated dump pasted into a book gains
/// nothing from highlighting.
pub const MAX_BLOCK_BYTES: usize = 128 * 1024;
/// Lines longer than this leave their block plain. An e-reader shows some 40 to 70
/// characters of code a line, so such a line is data, not code to read.
pub const MAX_LINE_BYTES: usize = 500;
/// Code highlighted in one book; later blocks stay plain.
pub const MAX_BOOK_BYTES: usize = 2 * 1024 * 1024;

/// Below this much code in the whole book, highlighting stays on the rendering thread.
const PARALLEL_BYTES: usize = 32 * 1024;

/// A code block of a known language, gathered while the chapters render.
pub struct Job {
    pub syntax: &'static SyntaxReference,
    /// The fence's word, for messages.
    pub word: String,
    pub text: String,
    /// The manuscript file (index into the book's chapters) and the fence's line.
    pub source: usize,
    pub line: usize,
}

/// Highlights every block, on all cores when there is enough code. A block the
/// highlighter gives up on is written as plain text, with a warning naming its fence.
pub fn run(jobs: &[Job], book: &Book, diags: &Diagnostics) -> Vec<String> {
    let location = |job: &Job| book.location(job.source, job.line);
    // Blocks over the per-block limits are never highlighted, so they spend no budget.
    let costs = jobs.iter().map(|j| match within_limits(&j.text) {
        Ok(()) => j.text.len(),
        Err(_) => 0,
    });
    let (jobs, over) = jobs.split_at(within_budget(costs));
    if let Some(first) = over.first() {
        let rest = match over.len() - 1 {
            0 => "this code block is plain text".to_string(),
            1 => "this code block and the one after it are plain text".to_string(),
            n => format!("this code block and the {n} after it are plain text"),
        };
        diags.warn(
            location(first),
            format!(
                "highlighting stops here, after {} MiB of code in the book: {rest}",
                MAX_BOOK_BYTES / (1024 * 1024)
            ),
        );
    }
    let bytes: usize = jobs.iter().map(|j| j.text.len()).sum();
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len());
    let results: Vec<Result<String, Skipped>> = if bytes < PARALLEL_BYTES || workers < 2 {
        jobs.iter().map(guarded).collect()
    } else {
        let next = AtomicUsize::new(0);
        let mut results: Vec<Option<Result<String, Skipped>>> = Vec::new();
        results.resize_with(jobs.len(), || None);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..workers)
                .map(|_| {
                    scope.spawn(|| {
                        let mut done = Vec::new();
                        // Blocks are handed out one at a time, so one long block does
                        // not leave the other threads idle.
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(job) = jobs.get(i) else { break };
                            done.push((i, guarded(job)));
                        }
                        done
                    })
                })
                .collect();
            for handle in handles {
                // `guarded` catches panics, so a worker always returns; a block that is
                // somehow missing is written plain below.
                for (i, result) in handle.join().unwrap_or_default() {
                    results[i] = Some(result);
                }
            }
        });
        results
            .into_iter()
            .map(|r| r.unwrap_or_else(|| Err(Skipped::Grammar("no result".into()))))
            .collect()
    };
    jobs.iter()
        .zip(results)
        .map(|(job, result)| {
            result.unwrap_or_else(|why| {
                diags.warn(
                    location(job),
                    format!("`{}` code block left without highlighting: {why}", job.word),
                );
                xml::text(&job.text)
            })
        })
        .chain(over.iter().map(|job| xml::text(&job.text)))
        .collect()
}

/// Whether a block is small enough, line by line and in all, to be highlighted.
fn within_limits(code: &str) -> Result<(), Skipped> {
    if code.len() > MAX_BLOCK_BYTES {
        return Err(Skipped::TooLarge(code.len()));
    }
    match code
        .split_inclusive('\n')
        .map(str::len)
        .find(|&n| n > MAX_LINE_BYTES)
    {
        Some(n) => Err(Skipped::LongLine(n)),
        None => Ok(()),
    }
}

/// How many of the blocks, taken in reading order, fit in the book's budget. Spending it in
/// order means which blocks stay plain never depends on which thread got there first.
fn within_budget(sizes: impl Iterator<Item = usize>) -> usize {
    let mut spent = 0usize;
    sizes
        .take_while(|size| {
            spent = spent.saturating_add(*size);
            spent <= MAX_BOOK_BYTES
        })
        .count()
}

/// One block; a panic inside the grammar engine costs this block its highlighting, not
/// the build.
fn guarded(job: &Job) -> Result<String, Skipped> {
    std::panic::catch_unwind(|| highlight(job.syntax, &job.text)).unwrap_or_else(|_| {
        Err(Skipped::Grammar(
            "the highlighter stopped on this input".into(),
        ))
    })
}

/// What a fenced block's language word asks for.
pub enum Language {
    /// No language, or one that means plain text (`text`, `console`, …): no highlighting.
    Plain,
    Known(&'static SyntaxReference),
    /// A word no grammar answers to; the block is shown plain and the author is told.
    Unknown,
}

/// Words that name plain text rather than a language: no highlighting, no warning.
const PLAIN: &[&str] = &[
    "text",
    "txt",
    "plain",
    "plaintext",
    "none",
    "nohighlight",
    "no-highlight",
    "output",
    "console",
    "shell-session",
    "sh-session",
    "terminal",
    "raw",
];

/// Common spellings the grammars do not list, and the extension that finds theirs.
const ALIASES: &[(&str, &str)] = &[
    ("shell", "sh"),
    ("python3", "py"),
    ("py3", "py"),
    ("csharp", "cs"),
    ("c-sharp", "cs"),
    ("objc", "m"),
    ("objective-c", "m"),
    ("objectivec", "m"),
    ("golang", "go"),
    ("jsonc", "json"),
    ("json5", "json"),
    ("jsx", "js"),
    ("mjs", "js"),
    ("cjs", "js"),
    ("node", "js"),
    ("fortran", "f90"),
    ("elisp", "el"),
    ("emacs-lisp", "el"),
    ("scheme", "scm"),
    ("docker", "dockerfile"),
];

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// Resolves the first word of a fence's info string (`rust`, `Python`, `c++`, …).
pub fn language(word: &str) -> Language {
    let word = word.to_ascii_lowercase();
    if word.is_empty() || PLAIN.contains(&word.as_str()) {
        return Language::Plain;
    }
    let set = syntaxes();
    let token = ALIASES
        .iter()
        .find(|(alias, _)| *alias == word)
        .map_or(word.as_str(), |(_, ext)| ext);
    match set.find_syntax_by_token(token) {
        Some(s) if s.name == "Plain Text" => Language::Plain,
        Some(s) => Language::Known(s),
        None => Language::Unknown,
    }
}

/// Why a block of a known language was left plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skipped {
    TooLarge(usize),
    LongLine(usize),
    /// The grammar failed on this input (a regex gave up backtracking, say).
    Grammar(String),
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skipped::TooLarge(n) => write!(
                f,
                "the block is {} KiB, over the {} KiB that are highlighted",
                n.div_ceil(1024),
                MAX_BLOCK_BYTES / 1024
            ),
            Skipped::LongLine(n) => write!(
                f,
                "a line is {n} bytes long, over the {MAX_LINE_BYTES} that are highlighted"
            ),
            Skipped::Grammar(e) => write!(f, "the grammar failed on it ({e})"),
        }
    }
}

/// The code as escaped XHTML text with `<span class="hl-…">` around its tokens.
pub fn highlight(syntax: &SyntaxReference, code: &str) -> Result<String, Skipped> {
    within_limits(code)?;
    let set = syntaxes();
    let classes = classes();
    let mut state = ParseState::new(syntax);
    let mut stack = ScopeStack::new();
    let mut out = Spans::with_capacity(code.len() * 2);
    for line in code.split_inclusive('\n') {
        let ops = state
            .parse_line(line, set)
            .map_err(|e| Skipped::Grammar(e.to_string()))?;
        let mut class = classes.of(stack.as_slice());
        let mut at = 0;
        for (index, op) in ops {
            // Grammar offsets are byte offsets into `line`; guard against one that is not
            // a character boundary rather than trust every grammar.
            let index = index.min(line.len());
            if index > at
                && let Some(text) = line.get(at..index)
            {
                out.text(text, class);
                at = index;
            }
            stack
                .apply(&op)
                .map_err(|e| Skipped::Grammar(format!("{e:?}")))?;
            class = classes.of(stack.as_slice());
        }
        if let Some(rest) = line.get(at..) {
            out.text(rest, class);
        }
    }
    Ok(out.finish())
}

/// The token classes, each with the scope selectors that earn it. When several match,
/// the strongest match wins (the deepest scope, then the longest selector), so
/// `keyword.operator` can opt out of `keyword` and an escape inside a string is a constant.
struct Classes(Vec<(ScopeSelectors, Option<&'static str>)>);

const CLASS_SELECTORS: &[(&str, Option<&str>)] = &[
    ("comment", Some("hl-comment")),
    ("string, markup.raw", Some("hl-string")),
    ("constant", Some("hl-constant")),
    ("constant.other", None),
    ("keyword, storage", Some("hl-keyword")),
    // `+`, `=`, `->` in bold would shout; word operators (`and`, `in`) are keywords.
    ("keyword.operator", None),
    (
        "keyword.operator.word, keyword.operator.logical.python",
        Some("hl-keyword"),
    ),
    (
        "entity.name.function, support.function, support.macro, entity.name.macro",
        Some("hl-function"),
    ),
    (
        "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, \
         entity.name.trait, entity.name.interface, entity.name.union, support.type, support.class",
        Some("hl-type"),
    ),
    ("entity.name.tag", Some("hl-tag")),
    ("entity.other.attribute-name", Some("hl-attribute")),
    (
        "meta.preprocessor, meta.annotation, meta.attribute.rust, meta.decorator",
        Some("hl-meta"),
    ),
    ("markup.heading", Some("hl-heading")),
    ("markup.inserted", Some("hl-inserted")),
    ("markup.deleted", Some("hl-deleted")),
    ("invalid", None),
];

fn classes() -> &'static Classes {
    static CLASSES: OnceLock<Classes> = OnceLock::new();
    CLASSES.get_or_init(|| {
        Classes(
            CLASS_SELECTORS
                .iter()
                .map(|(sel, class)| {
                    let sel = ScopeSelectors::from_str(sel).expect("the selectors above parse");
                    (sel, *class)
                })
                .collect(),
        )
    })
}

impl Classes {
    fn of(&self, stack: &[Scope]) -> Option<&'static str> {
        let mut best = None;
        for (selectors, class) in &self.0 {
            if let Some(power) = selectors.does_match(stack) {
                // `>=`: of equal matches the later, more specific entry wins.
                if best.is_none_or(|(p, _)| power >= p) {
                    best = Some((power, *class));
                }
            }
        }
        best.and_then(|(_, class)| class)
    }
}

/// Escaped text with as few spans as the classes allow: neighbouring tokens of one class
/// share a span. Whitespace never opens a span, so a line's indentation stays outside, but
/// it closes one of another class, so an underline or strike-through a stylesheet gives a
/// class stops at its last token.
struct Spans {
    out: String,
    open: Option<&'static str>,
}

impl Spans {
    fn with_capacity(n: usize) -> Self {
        Self {
            out: String::with_capacity(n),
            open: None,
        }
    }

    fn text(&mut self, text: &str, class: Option<&'static str>) {
        if text.is_empty() {
            return;
        }
        if class != self.open {
            if self.open.is_some() {
                self.out.push_str("</span>");
                self.open = None;
            }
            if let Some(c) = class.filter(|_| !text.trim().is_empty()) {
                self.out.push_str("<span class=\"");
                self.out.push_str(c);
                self.out.push_str("\">");
                self.open = Some(c);
            }
        }
        xml::push_text(&mut self.out, text);
    }

    fn finish(mut self) -> String {
        if self.open.is_some() {
            self.out.push_str("</span>");
        }
        self.out
    }
}

/// Every language `inkbind languages` lists: a grammar's name and the words that pick it.
pub fn languages() -> Vec<(String, Vec<String>)> {
    let mut list: Vec<(String, Vec<String>)> = syntaxes()
        .syntaxes()
        .iter()
        .filter(|s| !s.hidden && !s.file_extensions.is_empty() && s.name != "Plain Text")
        .map(|s| {
            let mut words: Vec<String> = s
                .file_extensions
                .iter()
                .filter(|e| {
                    !e.contains(['.', '_', ' ']) && !e.chars().any(|c| c.is_ascii_uppercase())
                })
                .cloned()
                .collect();
            for (alias, ext) in ALIASES {
                if s.file_extensions.iter().any(|e| e == ext) && !words.iter().any(|w| w == alias) {
                    words.push((*alias).to_string());
                }
            }
            // `h` is listed by C, C++ and Objective-C; show each word only where it leads.
            words.retain(|w| matches!(language(w), Language::Known(k) if k.name == s.name));
            (s.name.clone(), words)
        })
        .filter(|(_, words)| !words.is_empty())
        .collect();
    list.sort_by_key(|(name, _)| name.to_ascii_lowercase());
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(lang: &str, code: &str) -> String {
        match language(lang) {
            Language::Known(s) => highlight(s, code).expect("highlights"),
            _ => panic!("{lang} is not known"),
        }
    }

    #[test]
    fn rust_tokens_get_their_classes() {
        let html = render("rust", "fn main() {\n    // hi\n    let s = \"a<b\";\n}\n");
        assert!(
            html.contains("<span class=\"hl-keyword\">fn</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-function\">main</span>"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-comment\">// hi\n"),
            "{html}"
        );
        assert!(
            html.contains("<span class=\"hl-string\">\"a&lt;b\"</span>"),
            "{html}"
        );
        // Operators stay plain.
        assert!(html.contains(" = "), "{html}");
    }

    #[test]
    fn text_survives_exactly() {
        let code = "if a < b && c > d { x(\"&amp;\") }\n\ttab\n";
        let html = render("rs", code);
        let doc = format!("<pre>{html}</pre>");
        let parsed = roxmltree::Document::parse(&doc).expect("well-formed");
        let text: String = parsed
            .descendants()
            .filter(|n| n.is_text())
            .map(|n| n.text().unwrap_or(""))
            .collect();
        assert_eq!(text, code);
    }

    #[test]
    fn words_resolve() {
        for word in [
            "Rust",
            "py",
            "python3",
            "TOML",
            "ts",
            "tsx",
            "sh",
            "shell",
            "c++",
            "golang",
            "yaml",
            "json5",
            "dockerfile",
            "diff",
        ] {
            assert!(matches!(language(word), Language::Known(_)), "{word}");
        }
        for word in ["", "text", "console", "TXT", "output"] {
            assert!(matches!(language(word), Language::Plain), "{word}");
        }
        assert!(matches!(language("klingon"), Language::Unknown));
    }

    #[test]
    fn oversized_blocks_are_left_plain() {
        let Language::Known(rust) = language("rust") else {
            panic!()
        };
        let long_line = format!("let x = \"{}\";\n", "a".repeat(MAX_LINE_BYTES));
        assert!(matches!(
            highlight(rust, &long_line),
            Err(Skipped::LongLine(_))
        ));
        let big = "let x = 1;\n".repeat(MAX_BLOCK_BYTES / 10);
        assert!(matches!(highlight(rust, &big), Err(Skipped::TooLarge(_))));
    }

    #[test]
    fn the_book_budget_is_spent_in_reading_order() {
        assert_eq!(within_budget([1, 2, 3].into_iter()), 3);
        let half = MAX_BOOK_BYTES / 2;
        assert_eq!(within_budget([half, half, 1, 1].into_iter()), 2);
        // A small block after the one that broke the budget stays plain too.
        assert_eq!(within_budget([half, half + 1, 1].into_iter()), 1);
        assert_eq!(within_budget([usize::MAX, 1].into_iter()), 0);
    }

    #[test]
    fn diff_lines_are_marked() {
        let html = render("diff", "-old\n+new\n");
        assert!(html.contains("hl-deleted"), "{html}");
        assert!(html.contains("hl-inserted"), "{html}");
    }

    #[test]
    fn the_list_names_common_languages() {
        let list = languages();
        let rust = list.iter().find(|(n, _)| n == "Rust").expect("Rust listed");
        assert!(rust.1.contains(&"rs".to_string()));
        let python = list
            .iter()
            .find(|(n, _)| n == "Python")
            .expect("Python listed");
        assert!(python.1.contains(&"python3".to_string()));
    }
}
