//! The XHTML writer: walks one chapter's Markdown events and writes well-formed XHTML into
//! the book's output files, cutting a new file at headings of the split level. Links are
//! left as fixups (see `links`), footnotes are gathered (see `footnotes`), raw HTML goes
//! through the sanitiser (see `html`).

use std::path::{Path, PathBuf};

use pulldown_cmark::{
    Alignment, BlockQuoteKind, CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd,
};

use super::footnotes::Footnotes;
use super::highlight::{self, Language};
use super::html;
use super::ids::{self, IdSet, slugify};
use super::images::{ImageRef, Images};
use super::lines::LineIndex;
use super::links::{self, Anchors, Buf, Fixup, Href, Insert, Sources};
use super::{ContentFacts, Heading, math};
use crate::diag::{Diagnostics, Location};
use crate::xml;

/// One output XHTML file while the book renders.
#[derive(Debug)]
pub struct Part {
    pub buf: Buf,
    pub headings: Vec<Heading>,
    pub svg: bool,
    pub mathml: bool,
    /// Index of the manuscript file this part comes from.
    pub source: usize,
    /// True for the first part of its file (later parts were split off at headings).
    pub opens_source: bool,
}

/// State shared by every chapter of the book (ids and images are book-wide).
pub struct Shared<'b> {
    pub ids: IdSet,
    pub anchors: Anchors,
    pub images: Images,
    pub sources: Sources,
    pub facts: ContentFacts,
    pub parts: Vec<Part>,
    pub diags: &'b Diagnostics,
    pub split_level: u8,
    /// Syntax-highlight fenced code (off with `--no-highlight`).
    pub highlight: bool,
    /// Fence languages no grammar knows, already reported (once per book is enough).
    pub unknown_languages: std::collections::BTreeSet<String>,
    /// Code blocks to highlight once every chapter is rendered; fixups mark their places.
    pub code_blocks: Vec<highlight::Job>,
    /// The first hard error (a missing image, say); rendering goes on to report warnings.
    pub error: Option<anyhow::Error>,
}

/// Something open in the output: a Markdown element or an element from raw HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Open {
    Md,
    Raw(String),
}

pub(super) struct HeadingState {
    level: u8,
    explicit: Option<String>,
    classes: Vec<String>,
    attrs: Vec<(String, String)>,
    pub(super) text: String,
    line: usize,
}

/// A code block being gathered: it is highlighted whole at its end.
struct CodeBlock {
    language: Option<String>,
    text: String,
    line: usize,
}

#[derive(Default)]
struct TableState {
    aligns: Vec<Alignment>,
    cell: usize,
    in_head: bool,
    body_open: bool,
}

pub struct ChapterWriter<'a, 'b> {
    pub shared: &'a mut Shared<'b>,
    pub(super) source: usize,
    pub(super) path: &'a Path,
    pub dir: PathBuf,
    lines: LineIndex,
    /// Buffers for content written out of line (headings, footnote definitions).
    pub(super) temps: Vec<Buf>,
    pub open: Vec<Open>,
    pub(super) notes: Footnotes,
    pub(super) heading: Option<HeadingState>,
    table: TableState,
    code: Option<CodeBlock>,
    html_block: Option<(String, usize)>,
    /// Raw `<script>`-like element whose content is being skipped, and the depth of
    /// `open` it started at.
    pub suppress: Option<(String, usize)>,
    /// Label and line of the footnote definition being written.
    pending_def: Option<(String, usize)>,
    /// The chapter's Markdown, for raw HTML that must be parsed from the source.
    markdown: &'a str,
    /// Line and byte offset where the event being written starts: warnings on that line
    /// point at its column (the construct that caused them). The column is counted only
    /// when a warning needs it, so long lines cost nothing.
    event_at: (usize, usize),
    /// Markdown links open around the current position (raw `<a>` must not nest in them).
    pub in_link: usize,
}

impl<'a, 'b> ChapterWriter<'a, 'b> {
    pub fn new(
        shared: &'a mut Shared<'b>,
        source: usize,
        path: &'a Path,
        markdown: &'a str,
        first_line: usize,
    ) -> Self {
        let dir = path.parent().map(Path::to_path_buf).unwrap_or_default();
        shared.parts.push(Part {
            buf: Buf::default(),
            headings: Vec::new(),
            svg: false,
            mathml: false,
            source,
            opens_source: true,
        });
        let first = shared.parts.len() - 1;
        shared.anchors.add_file(source, first);
        Self {
            shared,
            source,
            path,
            dir,
            lines: LineIndex::new(markdown, first_line),
            temps: Vec::new(),
            open: Vec::new(),
            notes: Footnotes::default(),
            heading: None,
            table: TableState::default(),
            code: None,
            html_block: None,
            suppress: None,
            pending_def: None,
            in_link: 0,
            markdown,
            event_at: (0, 0),
        }
    }

    pub fn buf(&mut self) -> &mut Buf {
        if self.temps.is_empty() {
            &mut self.part().buf
        } else {
            self.temps.last_mut().expect("checked non-empty")
        }
    }

    pub(super) fn part(&mut self) -> &mut Part {
        self.shared
            .parts
            .last_mut()
            .expect("a chapter always has a part")
    }

    pub(super) fn part_index(&self) -> usize {
        self.shared.parts.len() - 1
    }

    pub fn push(&mut self, s: &str) {
        self.buf().html.push_str(s);
    }

    pub fn warn(&self, line: usize, message: impl Into<String>) {
        let location = if line == self.event_at.0 {
            let (line, column) = self.lines.position(self.markdown, self.event_at.1);
            Location::at(self.path, line, column)
        } else {
            Location::new(self.path, Some(line))
        };
        self.shared.diags.warn(Some(location), message);
    }

    pub fn mark_svg(&mut self) {
        self.part().svg = true;
    }

    pub fn mark_mathml(&mut self) {
        self.part().mathml = true;
        self.shared.facts.has_mathml = true;
    }

    pub fn mark_table(&mut self) {
        self.shared.facts.has_tables = true;
    }

    /// Escaped text; characters XML forbids are replaced and reported.
    pub fn text(&mut self, t: &str, line: usize) {
        self.report_forbidden(t, line);
        xml::push_text(&mut self.buf().html, t);
    }

    /// Warns when `t` holds characters XML forbids (escaping replaces them with U+FFFD).
    fn report_forbidden(&self, t: &str, line: usize) {
        if !t.chars().all(xml::is_xml_char) {
            self.warn(
                line,
                "control character replaced with U+FFFD (XML does not allow it)",
            );
        }
    }

    /// Writes ` href="…"` for a link, or nothing (with a warning) when it is refused.
    pub fn write_href(&mut self, href: &str, line: usize) {
        match links::classify(href, self.source, &self.dir, &self.shared.sources) {
            Href::External(url) => {
                let attr = format!(" href=\"{}\"", xml::attr(&url));
                self.push(&attr);
            }
            Href::Internal(target) => self.fixup(target, line),
            Href::Rejected(reason) => {
                self.warn(line, format!("link to {reason} removed (its text is kept)"));
            }
        }
    }

    /// Leaves room for ` href="…"` to `target`, written once every anchor is known.
    pub fn fixup(&mut self, target: links::Target, line: usize) {
        let source = self.source;
        self.insert_later(Insert::Href {
            target,
            source,
            line,
        });
    }

    fn insert_later(&mut self, insert: Insert) {
        let buf = self.buf();
        buf.fixups.push(Fixup {
            at: buf.html.len(),
            insert,
        });
    }

    /// Resolves an image; a hard error is kept for the end and the image is `Refused`.
    pub fn image_ref(&mut self, src: &str, line: usize) -> ImageRef {
        match self.shared.images.resolve(src, &self.dir) {
            Ok(r) => r,
            Err(e) => {
                if self.shared.error.is_none() {
                    self.shared.error =
                        Some(anyhow::anyhow!("{}:{line}: {e}", self.path.display()));
                }
                ImageRef::Refused
            }
        }
    }

    /// An id from raw HTML or `{#id}`: made valid, unique, recorded as an anchor.
    pub fn author_id(&mut self, raw: &str, line: usize) -> String {
        let wanted = ids::explicit(raw);
        let (id, collided) = self.shared.ids.claim(&wanted);
        if collided {
            self.warn(
                line,
                format!("id `{wanted}` is already used in the book; renamed to `{id}`"),
            );
        }
        let file = self.part_index();
        self.shared.anchors.add(self.source, raw.trim(), &id, file);
        id
    }

    /// Renders every event of the chapter.
    pub fn run(mut self, events: &[(Event<'_>, std::ops::Range<usize>)]) {
        let mut i = 0;
        while i < events.len() {
            i = self.event(events, i);
        }
        self.close_raw_to(0);
        self.finish_notes();
    }

    /// Handles `events[i]` (and any it looks ahead at); returns the next index.
    fn event(&mut self, events: &[(Event<'_>, std::ops::Range<usize>)], i: usize) -> usize {
        let (event, range) = &events[i];
        let line = self.lines.line_of(range.start);
        self.event_at = (line, range.start);
        if self.suppress.is_some() && !matches!(event, Event::Start(_) | Event::End(_)) {
            if let Event::InlineHtml(raw) = event {
                html::inline(self, raw, line);
            }
            return i + 1;
        }
        match event {
            Event::Start(Tag::Paragraph) => {
                if let Some(next) = self.figure(events, i, line) {
                    return next;
                }
                self.start("<p>");
            }
            Event::Start(Tag::Image { .. }) => return self.image(events, i, line, false),
            Event::Start(tag) => self.start_tag(tag, events, i, line),
            Event::End(tag) => self.end_tag(*tag, line),
            Event::Text(t) => {
                if let Some(h) = self.heading.as_mut() {
                    h.text.push_str(t);
                }
                if let Some((block, _)) = self.html_block.as_mut() {
                    block.push_str(t);
                } else if let Some(code) = self.code.as_mut() {
                    code.text.push_str(t);
                } else {
                    self.broken_note_ref(events, i, line);
                    self.text(t, line);
                }
            }
            Event::Code(t) => {
                if let Some(h) = self.heading.as_mut() {
                    h.text.push_str(t);
                }
                self.push("<code>");
                self.text(t, line);
                self.push("</code>");
            }
            Event::InlineMath(tex) | Event::DisplayMath(tex) => {
                let display = matches!(event, Event::DisplayMath(_));
                if math::push(&mut self.buf().html, tex, display) {
                    self.mark_mathml();
                } else {
                    self.warn(
                        line,
                        "TeX math could not be converted to MathML; kept as TeX",
                    );
                }
            }
            Event::Html(raw) => match self.html_block.as_mut() {
                Some((block, _)) => block.push_str(raw),
                None => html::block(self, raw, line),
            },
            Event::InlineHtml(raw) => {
                if let Some(next) = self.island(events, i, line) {
                    return next;
                }
                html::inline(self, raw, line)
            }
            Event::FootnoteReference(label) => self.note_ref(label, line),
            Event::SoftBreak => self.push("\n"),
            Event::HardBreak => self.push("<br/>\n"),
            Event::Rule => self.push("<hr/>\n"),
            Event::TaskListMarker(done) => self.push(if *done {
                "<span class=\"task-done\">\u{2611}</span> "
            } else {
                "<span class=\"task-todo\">\u{2610}</span> "
            }),
        }
        i + 1
    }

    /// Inline `<svg>…</svg>` or `<math>…</math>` arrives as many events; it is parsed
    /// whole from the source so its namespace and structure survive. Returns the index
    /// after it.
    fn island(
        &mut self,
        events: &[(Event<'_>, std::ops::Range<usize>)],
        i: usize,
        line: usize,
    ) -> Option<usize> {
        let (Event::InlineHtml(raw), range) = &events[i] else {
            return None;
        };
        let lower = raw.to_ascii_lowercase();
        let close = ["svg", "math"]
            .into_iter()
            .find(|n| lower.starts_with(&format!("<{n}")) && !lower.ends_with("/>"))
            .map(|n| format!("</{n}"))?;
        let mut depth = 0usize;
        for (j, (e, r)) in events.iter().enumerate().skip(i + 1) {
            match e {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return None,
                Event::End(_) => depth -= 1,
                Event::InlineHtml(h)
                    if depth == 0 && h.to_ascii_lowercase().starts_with(&close) =>
                {
                    let source = self.markdown.get(range.start..r.end)?;
                    html::island(self, source, line);
                    return Some(j + 1);
                }
                _ => {}
            }
        }
        None
    }

    fn start(&mut self, tag: &str) {
        self.open.push(Open::Md);
        self.push(tag);
    }

    fn start_tag(
        &mut self,
        tag: &Tag<'_>,
        events: &[(Event<'_>, std::ops::Range<usize>)],
        i: usize,
        line: usize,
    ) {
        match tag {
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let level = *level as u8;
                if level <= self.shared.split_level
                    && self.open.is_empty()
                    && self.temps.is_empty()
                    && !self.part().buf.html.trim().is_empty()
                {
                    self.shared.parts.push(Part {
                        buf: Buf::default(),
                        headings: Vec::new(),
                        svg: false,
                        mathml: false,
                        source: self.source,
                        opens_source: false,
                    });
                }
                self.heading = Some(HeadingState {
                    level,
                    explicit: id.as_ref().map(|s| s.to_string()),
                    classes: classes.iter().map(|c| c.to_string()).collect(),
                    attrs: attrs
                        .iter()
                        .filter_map(|(k, v)| Some((k.to_string(), v.as_ref()?.to_string())))
                        .collect(),
                    text: String::new(),
                    line,
                });
                self.temps.push(Buf::default());
                self.open.push(Open::Md);
            }
            Tag::BlockQuote(kind) => {
                let class = kind.map(|k| match k {
                    BlockQuoteKind::Note => "callout callout-note",
                    BlockQuoteKind::Tip => "callout callout-tip",
                    BlockQuoteKind::Important => "callout callout-important",
                    BlockQuoteKind::Warning => "callout callout-warning",
                    BlockQuoteKind::Caution => "callout callout-caution",
                });
                match class {
                    Some(c) => self.start(&format!("<blockquote class=\"{c}\">\n")),
                    None => self.start("<blockquote>\n"),
                }
            }
            Tag::CodeBlock(kind) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(info) => info
                        .split_whitespace()
                        .next()
                        .map(|w| {
                            w.chars()
                                .filter(|c| c.is_ascii_alphanumeric() || "-_+#.".contains(*c))
                                .collect::<String>()
                        })
                        .filter(|w| !w.is_empty()),
                    CodeBlockKind::Indented => None,
                };
                match &lang {
                    Some(l) => self.start(&format!("<pre><code class=\"language-{l}\">")),
                    None => self.start("<pre><code>"),
                }
                self.code = Some(CodeBlock {
                    language: lang,
                    text: String::new(),
                    line,
                });
            }
            Tag::HtmlBlock => self.html_block = Some((String::new(), line)),
            Tag::List(Some(1)) => self.start("<ol>\n"),
            Tag::List(Some(n)) => self.start(&format!("<ol start=\"{n}\">\n")),
            Tag::List(None) => self.start("<ul>\n"),
            Tag::Item => {
                let task = |j: usize| matches!(events.get(j), Some((Event::TaskListMarker(_), _)));
                let is_task = task(i + 1)
                    || (matches!(events.get(i + 1), Some((Event::Start(Tag::Paragraph), _)))
                        && task(i + 2));
                self.start(if is_task {
                    "<li class=\"task-item\">"
                } else {
                    "<li>"
                });
            }
            Tag::FootnoteDefinition(label) => {
                self.pending_def = Some((label.to_string(), line));
                self.temps.push(Buf::default());
                self.open.push(Open::Md);
            }
            Tag::DefinitionList => self.start("<dl>\n"),
            Tag::DefinitionListTitle => self.start("<dt>"),
            Tag::DefinitionListDefinition => self.start("<dd>"),
            Tag::Table(aligns) => {
                self.mark_table();
                self.table = TableState {
                    aligns: aligns.clone(),
                    ..TableState::default()
                };
                self.start("<table>\n");
            }
            Tag::TableHead => {
                self.table.in_head = true;
                self.table.cell = 0;
                self.start("<thead>\n<tr>");
            }
            Tag::TableRow => {
                self.table.cell = 0;
                if !self.table.body_open {
                    self.table.body_open = true;
                    self.push("<tbody>\n");
                }
                self.start("<tr>");
            }
            Tag::TableCell => {
                let cell = if self.table.in_head { "th" } else { "td" };
                let class = match self.table.aligns.get(self.table.cell) {
                    Some(Alignment::Left) => " class=\"align-left\"",
                    Some(Alignment::Center) => " class=\"align-center\"",
                    Some(Alignment::Right) => " class=\"align-right\"",
                    _ => "",
                };
                self.table.cell += 1;
                self.start(&format!("<{cell}{class}>"));
            }
            Tag::Emphasis => self.start("<em>"),
            Tag::Strong => self.start("<strong>"),
            Tag::Strikethrough => self.start("<del>"),
            Tag::Superscript => self.start("<sup>"),
            Tag::Subscript => self.start("<sub>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => {
                self.in_link += 1;
                self.open.push(Open::Md);
                self.push("<a");
                let href: CowStr<'_> =
                    if *link_type == LinkType::Email && !dest_url.starts_with("mailto:") {
                        format!("mailto:{dest_url}").into()
                    } else {
                        dest_url.clone()
                    };
                self.write_href(&href, line);
                if !title.is_empty() {
                    let t = format!(" title=\"{}\"", xml::attr(title));
                    self.push(&t);
                }
                self.push(">");
            }
            Tag::MetadataBlock(_) | Tag::Paragraph | Tag::Image { .. } => self.open.push(Open::Md),
        }
    }

    fn end_tag(&mut self, tag: TagEnd, line: usize) {
        if tag == TagEnd::HtmlBlock {
            if let Some((block, start)) = self.html_block.take() {
                html::block(self, &block, start);
            }
            return;
        }
        if tag == TagEnd::Link {
            self.in_link = self.in_link.saturating_sub(1);
        }
        let depth = self.open.iter().rposition(|o| *o == Open::Md).unwrap_or(0);
        self.close_raw_to(depth + 1);
        self.open.truncate(depth);
        if self.suppress.as_ref().is_some_and(|(_, d)| *d > depth) {
            self.suppress = None;
        }
        let close = match tag {
            TagEnd::Paragraph => "</p>\n",
            TagEnd::Heading(_) => return self.end_heading(),
            TagEnd::BlockQuote(_) => "</blockquote>\n",
            TagEnd::CodeBlock => {
                self.end_code_block();
                "</code></pre>\n"
            }
            TagEnd::HtmlBlock => return,
            TagEnd::List(true) => "</ol>\n",
            TagEnd::List(false) => "</ul>\n",
            TagEnd::Item => "</li>\n",
            TagEnd::FootnoteDefinition => return self.end_note_definition(line),
            TagEnd::DefinitionList => "</dl>\n",
            TagEnd::DefinitionListTitle => "</dt>\n",
            TagEnd::DefinitionListDefinition => "</dd>\n",
            TagEnd::Table => {
                if self.table.body_open {
                    self.push("</tbody>\n");
                }
                "</table>\n"
            }
            TagEnd::TableHead => {
                self.table.in_head = false;
                "</tr>\n</thead>\n"
            }
            TagEnd::TableRow => "</tr>\n",
            TagEnd::TableCell => {
                if self.table.in_head {
                    "</th>"
                } else {
                    "</td>"
                }
            }
            TagEnd::Emphasis => "</em>",
            TagEnd::Strong => "</strong>",
            TagEnd::Strikethrough => "</del>",
            TagEnd::Superscript => "</sup>",
            TagEnd::Subscript => "</sub>",
            TagEnd::Link => "</a>",
            TagEnd::Image | TagEnd::MetadataBlock(_) => "",
        };
        self.push(close);
    }

    /// Closes raw elements until `open` has `len` entries (Markdown ones are left alone).
    pub fn close_raw_to(&mut self, len: usize) {
        while self.open.len() > len {
            match self.open.pop() {
                Some(Open::Raw(name)) => {
                    let close = format!("</{name}>");
                    self.push(&close);
                }
                Some(Open::Md) => {
                    self.open.push(Open::Md);
                    break;
                }
                None => break,
            }
        }
    }

    fn end_heading(&mut self) {
        let body = self.temps.pop().unwrap_or_default();
        let Some(h) = self.heading.take() else {
            return;
        };
        let id = match &h.explicit {
            Some(raw) => self.author_id(raw, h.line),
            None => {
                let wanted = slugify(&h.text);
                let id = self.shared.ids.unique(&wanted);
                let file = self.part_index();
                self.shared.anchors.add(self.source, &wanted, &id, file);
                id
            }
        };
        let mut tag = format!("<h{} id=\"{id}\"", h.level);
        let mut classes: Vec<&str> = Vec::new();
        for class in h.classes.iter().map(|c| c.trim()) {
            if !class.is_empty() && !classes.contains(&class) {
                classes.push(class);
            }
        }
        if !classes.is_empty() {
            tag.push_str(&format!(" class=\"{}\"", xml::attr(&classes.join(" "))));
        }
        // `{data-x=1 data-x=2}`: the first wins, as in HTML; XML allows an attribute once.
        let mut written: Vec<String> = Vec::new();
        for (k, v) in &h.attrs {
            let k = k.to_ascii_lowercase();
            // `epub:type` on a heading names its chapter's role: the section carries it.
            if k != "id"
                && k != "class"
                && k != "epub:type"
                && !written.contains(&k)
                && html::policy::html_attr("h1", &k)
                && html::policy::html_attr_value_ok(&k, v)
            {
                tag.push_str(&format!(" {k}=\"{}\"", xml::attr(v)));
                written.push(k);
            }
        }
        tag.push('>');
        let text = h.text.split_whitespace().collect::<Vec<_>>().join(" ");
        self.push(&tag);
        self.buf().append(body);
        let close = format!("</h{}>\n", h.level);
        self.push(&close);
        self.part().headings.push(Heading {
            level: h.level,
            id,
            text: xml::clean(&text).into_owned(),
        });
    }

    /// Writes the gathered code block, or, when its language is known, leaves its place to
    /// the highlighter.
    fn end_code_block(&mut self) {
        let Some(code) = self.code.take() else {
            return;
        };
        let word = code.language.as_deref().unwrap_or("");
        let language = if self.shared.highlight {
            highlight::language(word)
        } else {
            Language::Plain
        };
        match language {
            Language::Known(syntax) => {
                // The highlighter escapes (and replaces) them; the author hears of it here.
                self.report_forbidden(&code.text, code.line);
                let index = self.shared.code_blocks.len();
                self.insert_later(Insert::Code(index));
                self.shared.code_blocks.push(highlight::Job {
                    syntax,
                    word: word.to_string(),
                    text: code.text,
                    source: self.source,
                    line: code.line,
                });
            }
            Language::Unknown => {
                if self
                    .shared
                    .unknown_languages
                    .insert(word.to_ascii_lowercase())
                {
                    self.shared.diags.warn_hint(
                        Some(Location::new(self.path, Some(code.line))),
                        format!("no syntax highlighting for `{word}`; its code blocks are shown as plain text"),
                        "`inkbind languages` lists the names it knows; `text` marks a block as plain",
                    );
                }
                self.text(&code.text, code.line);
            }
            Language::Plain => self.text(&code.text, code.line),
        }
    }

    fn note_ref(&mut self, label: &str, line: usize) {
        let file = self.part_index();
        let r = self
            .notes
            .reference(label, self.source + 1, file, &mut self.shared.ids);
        self.shared
            .anchors
            .add(self.source, &r.ref_id, &r.ref_id, file);
        self.push(&format!(
            "<a class=\"noteref\" epub:type=\"noteref\" role=\"doc-noteref\" id=\"{}\"",
            r.ref_id
        ));
        self.fixup(links::Target::Id(r.note_id), line);
        let number = format!(">{}</a>", r.number);
        self.push(&number);
    }

    fn end_note_definition(&mut self, _line: usize) {
        let body = self.temps.pop().unwrap_or_default();
        // The label is not on the End event; the definition's Start carried it.
        if let Some((label, line)) = self.pending_def.take() {
            self.notes.define(&label, body, line);
        }
    }
}
