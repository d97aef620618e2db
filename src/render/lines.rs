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
}
