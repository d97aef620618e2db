//! Raw HTML in the manuscript, parsed as a browser would (html5ever) and written back as
//! XHTML: void elements closed, entities decoded, comments dropped, nesting repaired,
//! SVG and MathML kept in their namespaces, active or remote content removed with a
//! warning naming the file and line.
//!
//! HTML blocks are parsed whole (`tree`). Inline tags arrive one at a time between
//! Markdown events, so they are tokenised and balanced against the writer's open
//! elements instead (`inline`). A block that only opens (or only closes) a container
//! such as `<div>` wraps the Markdown between it and its end tag.

mod attrs;
mod dom;
pub mod policy;
mod tree;

use std::cell::RefCell;

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use super::writer::{ChapterWriter, Open};
use policy::Action;

/// Containers a lone opening block may leave open around Markdown.
const WRAPPERS: &[&str] = &[
    "div",
    "section",
    "article",
    "aside",
    "blockquote",
    "figure",
    "details",
    "header",
    "footer",
    "nav",
];

/// An HTML block starting at `line`.
pub fn block(w: &mut ChapterWriter<'_, '_>, html: &str, line: usize) {
    let tokens = tokenize(html);
    let tags: Vec<&Tag> = tokens
        .iter()
        .filter_map(|t| match t {
            Token::TagToken(tag) => Some(tag),
            _ => None,
        })
        .collect();
    let only_tags = tokens.iter().all(|t| match t {
        Token::TagToken(_) | Token::EOFToken | Token::ParseError(_) => true,
        Token::CharacterTokens(s) => s.trim().is_empty(),
        _ => false,
    });
    let opens_wrappers = !tags.is_empty()
        && tags.iter().all(|t| {
            t.kind == TagKind::StartTag && !t.self_closing && WRAPPERS.contains(&&*t.name)
        });
    let closes = !tags.is_empty() && tags.iter().all(|t| t.kind == TagKind::EndTag);
    if only_tags && opens_wrappers {
        for tag in tags {
            w.push("<");
            w.push(&tag.name);
            attrs::write(w, &tag.name, &tag.attrs, line);
            w.push(">\n");
            w.open.push(Open::Raw(tag.name.to_string()));
        }
    } else if only_tags && closes {
        for tag in tags {
            close(w, &tag.name);
        }
    } else {
        tree::write(w, html, line, false);
    }
}

/// Inline SVG or MathML taken whole from the source, inside phrasing content.
pub fn island(w: &mut ChapterWriter<'_, '_>, html: &str, line: usize) {
    tree::write(w, html, line, true);
}

/// One inline HTML tag (or comment) at `line`, inside phrasing content.
pub fn inline(w: &mut ChapterWriter<'_, '_>, raw: &str, line: usize) {
    for token in tokenize(raw) {
        match token {
            Token::TagToken(tag) => inline_tag(w, tag, line),
            Token::CharacterTokens(text) if w.suppress.is_none() => w.text(&text, line),
            _ => {}
        }
    }
}

fn inline_tag(w: &mut ChapterWriter<'_, '_>, tag: Tag, line: usize) {
    let name = tag.name.to_string();
    if let Some((suppressed, _)) = &w.suppress {
        if tag.kind == TagKind::EndTag && *suppressed == name {
            w.suppress = None;
        }
        return;
    }
    let action = policy::element(&name);
    if tag.kind == TagKind::EndTag {
        if let Action::Keep(out) = action {
            close(w, out);
        }
        return;
    }
    match action {
        Action::Remove | Action::Drop => {
            if action == Action::Remove {
                w.warn(
                    line,
                    format!("raw HTML <{name}> removed (active or remote content)"),
                );
            }
            if !tag.self_closing && !policy::is_html_void(&name) {
                w.suppress = Some((name, w.open.len()));
            }
        }
        Action::Unwrap => {}
        Action::Keep(out) if !policy::is_phrasing(out) => {}
        Action::Keep("a") if w.in_link > 0 || w.open.contains(&Open::Raw("a".into())) => {}
        Action::Keep("img") => {
            let in_link = w.in_link > 0 || w.open.contains(&Open::Raw("a".into()));
            tree::image(w, &tag.attrs, line, in_link);
        }
        Action::Keep(out) => {
            w.push("<");
            w.push(out);
            attrs::write(w, out, &tag.attrs, line);
            if policy::is_void(out) {
                w.push("/>");
            } else {
                w.push(">");
                w.open.push(Open::Raw(out.to_string()));
            }
        }
    }
}

/// An end tag: closes the matching raw element if nothing Markdown opened is inside it.
fn close(w: &mut ChapterWriter<'_, '_>, name: &str) {
    let floor = w
        .open
        .iter()
        .rposition(|o| *o == Open::Md)
        .map_or(0, |i| i + 1);
    if let Some(pos) = w.open[floor..]
        .iter()
        .rposition(|o| matches!(o, Open::Raw(n) if n == name))
    {
        w.close_raw_to(floor + pos);
    }
}

struct Collect(RefCell<Vec<Token>>);

impl TokenSink for Collect {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        self.0.borrow_mut().push(token);
        TokenSinkResult::Continue
    }
}

fn tokenize(html: &str) -> Vec<Token> {
    let tokenizer = Tokenizer::new(Collect(RefCell::new(Vec::new())), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.take()
}
