//! Positions: byte offsets in the analysed text mapped back to 1-based
//! line:column in the file the user gave us.

use std::ops::Range;

/// A 1-based line and column (columns count Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// How analysed-text offsets relate to the original file.
///
/// Plain text is analysed as is, so positions come straight from it. Markup
/// (Markdown) is stripped before analysis; `segments` then records, for each
/// run of analysed text, where that run starts in the source, so evidence
/// still points at the student's own line and column. Extracted formats
/// (.docx) have no textual source: positions refer to the extracted text.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The text positions are reported in: the original file's text for
    /// plain text and Markdown, the extracted text for .docx.
    source: Option<String>,
    /// Sorted `(analysed_start, source_start, len)` runs, used when `source` is set.
    segments: Vec<(usize, usize, usize)>,
    line_starts: Vec<usize>,
    /// The text positions are computed in is all ASCII, so a column is a
    /// byte count (no need to count characters along a long line).
    ascii: bool,
    /// `source` is the analysed text itself before same-length edits (see
    /// [`Origin::before_edits`]), not a file's own markup.
    edited: bool,
}

impl Origin {
    /// Positions are computed in `text` itself.
    pub fn identity(text: &str) -> Origin {
        Origin {
            source: None,
            segments: Vec::new(),
            line_starts: line_starts(text),
            ascii: text.is_ascii(),
            edited: false,
        }
    }

    /// Positions are computed in `original`, the analysed text before edits
    /// that kept every byte offset (a character replaced by ASCII filler of
    /// the same byte length): columns count `original`'s characters, so a
    /// 3-byte U+200B stays one column even after it became three filler bytes.
    pub fn before_edits(original: String) -> Origin {
        let len = original.len();
        let mut origin = Origin::mapped(original, vec![(0, 0, len)]);
        origin.edited = true;
        origin
    }

    /// Positions are computed in `source`, through `segments`
    /// (`(analysed_start, source_start, len)`, sorted by `analysed_start`).
    pub fn mapped(source: String, mut segments: Vec<(usize, usize, usize)>) -> Origin {
        segments.sort_unstable();
        let line_starts = line_starts(&source);
        let ascii = source.is_ascii();
        Origin {
            source: Some(source),
            segments,
            line_starts,
            ascii,
            edited: false,
        }
    }

    /// Translate an analysed-text byte offset into a source byte offset.
    fn to_source(&self, offset: usize) -> usize {
        if self.source.is_none() {
            return offset;
        }
        let idx = self
            .segments
            .partition_point(|&(start, _, _)| start <= offset);
        if idx == 0 {
            return 0;
        }
        let (start, src, len) = self.segments[idx - 1];
        src + (offset - start).min(len)
    }

    /// Line and column of `offset` (a byte offset in the analysed `text`).
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let src_offset = self.to_source(offset);
        let haystack = self.source.as_deref().unwrap_or(text);
        let src_offset = floor_char_boundary(haystack, src_offset.min(haystack.len()));
        let line_idx = self.line_starts.partition_point(|&s| s <= src_offset) - 1;
        let line_start = self.line_starts[line_idx];
        let column = if self.ascii {
            src_offset - line_start
        } else {
            haystack[line_start..src_offset].chars().count()
        };
        LineCol {
            line: line_idx + 1,
            column: column + 1,
        }
    }

    /// Source byte range for an analysed-text range (for quoting the source).
    pub fn source_range(&self, range: Range<usize>) -> Range<usize> {
        self.to_source(range.start)..self.to_source(range.end)
    }

    /// True when positions are computed in the analysed text itself.
    pub(crate) fn is_identity(&self) -> bool {
        self.source.is_none()
    }

    /// True when positions refer to a file's own text (not extracted text).
    pub fn is_mapped(&self) -> bool {
        self.source.is_some() && !self.edited
    }
}

fn line_starts(text: &str) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    starts
}

pub(crate) fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_positions_count_chars_not_bytes() {
        let text = "first line\nsecond — line\nthird";
        let o = Origin::identity(text);
        assert_eq!(o.line_col(text, 0), LineCol { line: 1, column: 1 });
        let idx = text.find("line\nthird").unwrap();
        assert_eq!(
            o.line_col(text, idx),
            LineCol {
                line: 2,
                column: 10
            }
        );
        let idx = text.find("third").unwrap();
        assert_eq!(o.line_col(text, idx), LineCol { line: 3, column: 1 });
    }

    #[test]
    fn mapped_positions_follow_segments() {
        let source = "# Title\n\nSome *bold* text.\n".to_string();
        // analysed: "Title\n\nSome bold text.\n"
        let segs = vec![(0, 2, 5), (7, 9, 5), (12, 15, 4), (16, 20, 7)];
        let o = Origin::mapped(source, segs);
        let analysed = "Title\n\nSome bold text.\n";
        assert_eq!(o.line_col(analysed, 0), LineCol { line: 1, column: 3 });
        let bold = analysed.find("bold").unwrap();
        assert_eq!(o.line_col(analysed, bold), LineCol { line: 3, column: 7 });
    }
}
