//! A bounded random test: Markdown stitched together from constructs, hostile HTML
//! fragments and stray bytes must always render to well-formed XHTML without active
//! content. `INKBIND_RANDOM_CASES` sets the number of cases (default 1500); the seed is
//! fixed so a failure reproduces, and printed with the failing input.

use inkbind::book::{LoadOptions, load};
use inkbind::diag::Diagnostics;
use inkbind::render::render;

const PIECES: &[&str] = &[
    "# Heading",
    "## Sub *em*",
    "### {#x .y}",
    "# Dup",
    "# Dup",
    "# 2024",
    "# 🎉",
    "# {#fn-1-1}",
    "text",
    "*em*",
    "**strong",
    "~~del~~",
    "~sub~",
    "^sup^",
    "`code`",
    "[link](#dup)",
    "[ext](https://e.org)",
    "[bad](javascript:x)",
    "[file](other.md#a)",
    "![img](pic.png)",
    "![remote](https://e.org/x.png \"t\")",
    "[^n]",
    "[^n]: note",
    "[^m]: other",
    "\n- [x] task",
    "\n1. one\n2. two",
    "| a | b |\n|:-|-:|\n| c | d |",
    "> quote",
    "> [!NOTE]\n> n",
    "Term\n: def",
    "$x^2<y$",
    "$$\\frac{a}{b}$$",
    "$\\bad{$",
    "```\ncode <b>\n```",
    "```rust\nfn x<'a>() -> &'a str { \"</pre>&amp;\" } // <!--\n```",
    "```html\n<script>a && b</script><p class=\"x\">&copy;</p>\n```",
    "```md\n# *x* `y`\n```",
    "```py\n'''unclosed\n",
    "```diff\n-a\n+b\n```",
    "```yaml\na: [&x {b: *x\n```",
    "~~~toml\n[x]\ny = \"z\" # c\n~~~",
    "```klingon\nQapla'\n```",
    "    indented",
    "---",
    "\\",
    "<br>",
    "<p>",
    "</p>",
    "<div>",
    "</div>",
    "<span>",
    "</span>",
    "<b><i>x</b></i>",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<a href=\"javascript:x\">j</a>",
    "<svg><circle r=1 onload=x /><script>x</script></svg>",
    "<math><mi>x</mi></math>",
    "<table><tr><td>x</table>",
    "<ul><p>x</ul>",
    "&nbsp;&copy;&bogus;",
    "<!-- a -- b -->",
    "<o:p></o:p>",
    "<p style=\"x\" onclick=\"y\">",
    "<iframe src=x>",
    "<form><input></form>",
    "<style>x</style>",
    "<![CDATA[x]]>",
    "<?pi x?>",
    "<noscript><p>n</p></noscript>",
    "<template><p>t</p></template>",
    "<select><option>o",
    "<textarea>t",
    "<title>t</title>",
    "<a name=a>n</a>",
    "<p id=\"1 2\">",
    "<p id=dup>",
    "<h1 id=dup>h</h1>",
    "<time datetime=x>",
    "<td colspan=0>",
    "<ol start=x>",
    "<video><source src=x></video>",
    "<object><embed></object>",
    "<dl><p>x</dl>",
    "<em>",
    "</em>",
    "<foo:bar x:y=1>",
    "<a><a>",
    "<svg><foreignObject><p>x",
    "<math><mtext><b>x</b></mtext></math>",
    "<svg><a xlink:href=\"#x\"><text>t</text></a></svg>",
    "\u{0}",
    "\u{1}",
    "\u{b}",
    "\u{FFFE}",
    "\u{FFFF}",
    "\u{200B}",
    "é",
    "日本",
    "<",
    ">",
    "&",
    "\"",
];

const SEPARATORS: &[&str] = &["", " ", "\n", "\n\n", "\n\n", "\n    "];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn case(rng: &mut Rng) -> String {
    let mut md = String::new();
    for _ in 0..1 + rng.below(40) {
        if rng.below(10) == 0 {
            // A stray character anywhere in the first planes.
            let c = char::from_u32(rng.below(0x3000) as u32).unwrap_or('?');
            md.push(c);
        } else {
            md.push_str(PIECES[rng.below(PIECES.len())]);
        }
        md.push_str(SEPARATORS[rng.below(SEPARATORS.len())]);
    }
    md
}

#[test]
fn random_markdown_with_html_always_renders_well_formed() {
    let cases: usize = std::env::var("INKBIND_RANDOM_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1500);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("book.md");
    std::fs::write(&file, "---\ntitle: Random\nlang: en\n---\n\ntext\n").unwrap();
    std::fs::write(dir.path().join("other.md"), "# A\n").unwrap();
    // Every image the pieces name exists: a missing one is a (tested) hard error.
    for name in ["pic.png", "x"] {
        std::fs::write(dir.path().join(name), b"\x89PNG\r\n\x1a\n0000").unwrap();
    }
    let diags = Diagnostics::default();
    let opts = LoadOptions {
        path: file,
        root: dir.path().to_path_buf(),
        ..LoadOptions::default()
    };
    let mut book = load(&opts, &diags).expect("load");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut chapters = 0;
    for n in 0..cases {
        let md = case(&mut rng);
        book.chapters[0].markdown = md.clone();
        book.layout.split_level = 1 + rng.below(3) as u8;
        let diags = Diagnostics::default();
        let rendered = match render(&book, &diags) {
            Ok(r) => r,
            Err(e) => panic!("case {n} failed: {e:#}\ninput: {md:?}"),
        };
        for ch in &rendered.chapters {
            chapters += 1;
            let parsed = roxmltree::Document::parse_with_options(
                &ch.xhtml,
                roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..Default::default()
                },
            );
            let doc = match parsed {
                Ok(doc) => doc,
                Err(e) => panic!("case {n}: {e}\ninput: {md:?}\noutput:\n{}", ch.xhtml),
            };
            for node in doc.descendants().filter(|n| n.is_element()) {
                let name = node.tag_name().name();
                assert!(
                    !matches!(
                        name,
                        "script" | "iframe" | "object" | "embed" | "form" | "input" | "style"
                    ),
                    "case {n}: <{name}> survived\ninput: {md:?}"
                );
                for attr in node.attributes() {
                    let bad = attr.name().starts_with("on")
                        || (attr.name() == "style" && name != "link")
                        || attr
                            .value()
                            .trim_start()
                            .to_ascii_lowercase()
                            .starts_with("javascript:");
                    assert!(
                        !bad,
                        "case {n}: attribute {}={:?} survived\ninput: {md:?}",
                        attr.name(),
                        attr.value()
                    );
                }
            }
        }
    }
    eprintln!("random render: {cases} cases, {chapters} chapters, all well-formed");
}
