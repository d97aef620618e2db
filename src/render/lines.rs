//! Byte offsets in a chapter's Markdown to 1-based lines of its source file, for messages.

/// Maps byte offsets in a chapter's Markdown to 1-based lines of its source file.
pub struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    pub fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts, first_line }
    }

    pub fn line_of(&self, offset: usize) -> usize {
        let idx = self.starts.partition_point(|&s| s <= offset);
        self.first_line + idx.saturating_sub(1)
    }

    /// Line and 1-based column (in characters) of `offset` in `text`, the indexed text.
    pub fn position(&self, text: &str, offset: usize) -> (usize, usize) {
        let idx = self
            .starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let start = self.starts[idx].min(text.len());
        let mut end = offset.min(text.len()).max(start);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        (self.first_line + idx, text[start..end].chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_to_source_lines() {
        let lines = LineIndex::new("a\nbc\n\nd", 5);
        assert_eq!(lines.line_of(0), 5);
        assert_eq!(lines.line_of(2), 6);
        assert_eq!(lines.line_of(5), 7);
        assert_eq!(lines.line_of(6), 8);
    }

    #[test]
    fn columns_count_characters() {
        let text = "ab\néé x";
        let lines = LineIndex::new(text, 1);
        assert_eq!(lines.position(text, 0), (1, 1));
        assert_eq!(lines.position(text, 3), (2, 1));
        assert_eq!(lines.position(text, 8), (2, 4));
    }
}
