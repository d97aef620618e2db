//! Markdown images: an image alone in its paragraph becomes a `<figure>` with a caption
//! (its title, else its alt text); remote and unsupported images keep their alt text.

use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use super::images::ImageRef;
use super::writer::ChapterWriter;
use crate::xml;

type Events<'e> = [(Event<'e>, Range<usize>)];

/// Index of the `End(Image)` matching the `Start(Image)` at `i`.
fn image_end(events: &Events<'_>, i: usize) -> usize {
    let mut depth = 0usize;
    for (j, (e, _)) in events.iter().enumerate().skip(i) {
        match e {
            Event::Start(Tag::Image { .. }) => depth += 1,
            Event::End(TagEnd::Image) => {
                depth -= 1;
                if depth == 0 {
                    return j;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

impl ChapterWriter<'_, '_> {
    /// At a paragraph start: if the paragraph is a lone image, writes a figure and returns
    /// the index after the paragraph.
    pub(super) fn figure(&mut self, events: &Events<'_>, i: usize, line: usize) -> Option<usize> {
        if !matches!(
            events.get(i + 1),
            Some((Event::Start(Tag::Image { .. }), _))
        ) {
            return None;
        }
        let end = image_end(events, i + 1);
        if !matches!(
            events.get(end + 1),
            Some((Event::End(TagEnd::Paragraph), _))
        ) {
            return None;
        }
        self.image(events, i + 1, line, true);
        Some(end + 2)
    }

    /// Writes the image starting at `events[i]`; returns the index after its end.
    pub(super) fn image(
        &mut self,
        events: &Events<'_>,
        i: usize,
        line: usize,
        figure: bool,
    ) -> usize {
        let end = image_end(events, i);
        let Some((
            Event::Start(Tag::Image {
                dest_url, title, ..
            }),
            _,
        )) = events.get(i)
        else {
            return i + 1;
        };
        let mut alt = String::new();
        for (e, _) in &events[i + 1..end] {
            if let Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) =
                e
            {
                alt.push_str(t);
            }
        }
        let alt = xml::clean(alt.trim()).into_owned();
        if let Some(h) = self.heading.as_mut() {
            h.text.push_str(&alt);
        }
        match self.image_ref(dest_url, line) {
            ImageRef::Local(href) => {
                self.shared.facts.images += 1;
                if alt.is_empty() {
                    self.shared.facts.images_without_alt += 1;
                }
                let mut img = format!("<img src=\"{href}\" alt=\"{}\"", xml::attr(&alt));
                if !figure && !title.is_empty() {
                    img.push_str(&format!(" title=\"{}\"", xml::attr(title)));
                }
                img.push_str("/>");
                if figure {
                    let caption = if title.trim().is_empty() {
                        alt.as_str()
                    } else {
                        title.trim()
                    };
                    self.push("<figure class=\"figure\">\n");
                    self.push(&img);
                    if !caption.is_empty() {
                        let caption = format!("\n<figcaption>{}</figcaption>", xml::text(caption));
                        self.push(&caption);
                    }
                    self.push("\n</figure>\n");
                } else {
                    self.push(&img);
                }
            }
            ImageRef::Remote(url) => {
                self.warn(
                    line,
                    format!("remote image `{url}` is not fetched; its alt text is kept as a link"),
                );
                let text = if alt.is_empty() { url.as_str() } else { &alt };
                let link = remote_image(&url, text, self.in_link > 0);
                self.wrap_p(&link, figure);
            }
            ImageRef::Unsupported(reason) => {
                self.warn(
                    line,
                    format!("image `{dest_url}` is {reason} and cannot be embedded; its alt text is kept"),
                );
                let text = xml::text(&alt);
                self.wrap_p(&text, figure);
            }
            ImageRef::Refused => {
                let text = xml::text(&alt);
                self.wrap_p(&text, figure);
            }
        }
        end + 1
    }

    fn wrap_p(&mut self, html: &str, para: bool) {
        if para {
            self.push("<p>");
        }
        self.push(html);
        if para {
            self.push("</p>\n");
        }
    }
}

/// What stands in for a remote image: a link to it, or only its text when it is already
/// inside a link (XHTML links cannot nest).
pub(super) fn remote_image(url: &str, text: &str, in_link: bool) -> String {
    if in_link {
        xml::text(text)
    } else {
        format!(
            "<a class=\"remote-image\" href=\"{}\">{}</a>",
            xml::attr(url),
            xml::text(text)
        )
    }
}
