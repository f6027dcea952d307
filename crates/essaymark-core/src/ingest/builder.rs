//! Assembling the analysed text of extracted formats (.docx, .odt): each
//! block on its own line(s), a blank line between blocks, and the `Block`
//! list with spans into that text. Shared so both word-processor formats
//! lay out text, tables and layout tables the same way.

use crate::text::{list_marker_len, looks_like_heading, Block, BlockKind};

/// One paragraph gathered from a document, before layout.
#[derive(Debug, Clone)]
pub(crate) struct Para {
    pub kind: BlockKind,
    pub text: String,
}

/// One table cell: the paragraphs it holds.
pub(crate) type Cell = Vec<Para>;

#[derive(Debug, Default)]
pub(crate) struct TextBuilder {
    text: String,
    blocks: Vec<Block>,
}

impl TextBuilder {
    /// Add a block; blank paragraphs (empty lines in the document) add nothing.
    ///
    /// An unstyled paragraph that reads like a title (short, stand-alone,
    /// title case or a section label; the cues of the plain-text parser) is
    /// a heading: students paste essays into Word or type a heading in bold
    /// without ever choosing a heading style, and a paragraph in a document
    /// is always stand-alone.
    pub(crate) fn push(&mut self, kind: BlockKind, body: &str) {
        let body = body.trim();
        if body.is_empty() || self.full() {
            return;
        }
        // A typed bullet ("- ", "• ", "1. ") is a list item, as in plain
        // text: pasted text keeps its bullets as characters.
        let (kind, body) = match list_marker_len(body) {
            Some(m) if kind == BlockKind::Paragraph => {
                (BlockKind::ListItem, body[m..].trim_start())
            }
            _ => (kind, body),
        };
        if body.is_empty() {
            return;
        }
        let kind =
            if kind == BlockKind::Paragraph && !body.contains('\n') && looks_like_heading(body) {
                BlockKind::Heading
            } else {
                kind
            };
        self.separate();
        let start = self.text.len();
        self.text.push_str(body);
        self.blocks.push(Block::new(kind, start..self.text.len()));
    }

    /// Add a table row. A one-cell row is a layout box (a bordered frame
    /// around a paragraph or the whole essay), not data: its paragraphs are
    /// laid out as ordinary blocks so sentences are still found in them.
    pub(crate) fn push_row(&mut self, cells: Vec<Cell>) {
        if self.full() {
            return;
        }
        if let [only] = cells.as_slice() {
            for p in only {
                self.push(p.kind, &p.text);
            }
            return;
        }
        let texts: Vec<String> = cells.iter().map(|c| cell_text(c)).collect();
        if texts.iter().all(String::is_empty) {
            return;
        }
        self.separate();
        let start = self.text.len();
        let mut ranges = Vec::new();
        for t in texts.iter().filter(|t| !t.is_empty()) {
            if !ranges.is_empty() {
                self.text.push('\t');
            }
            let s = self.text.len();
            self.text.push_str(t);
            ranges.push(s..self.text.len());
        }
        self.blocks.push(Block {
            kind: BlockKind::TableRow,
            span: start..self.text.len(),
            cells: ranges,
        });
    }

    /// One block past the limit is kept, so `extract` sees the document
    /// is over it and refuses it; the rest is not laid out at all (4.4
    /// million one-letter paragraphs took 1.2 GB).
    pub(crate) fn full(&self) -> bool {
        self.blocks.len() > super::MAX_BLOCKS
    }

    fn separate(&mut self) {
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
    }

    pub(crate) fn finish(mut self) -> (String, Vec<Block>) {
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        (self.text, self.blocks)
    }
}

/// A cell's paragraphs on one line: tabs and line breaks would otherwise
/// read as cell or row boundaries.
fn cell_text(cell: &[Para]) -> String {
    let mut out = String::new();
    for word in cell.iter().flat_map(|p| p.text.split_whitespace()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Table state shared by the .docx and .odt parsers. Only the outermost
/// table's rows and cells are kept; a nested table's paragraphs flow into
/// the enclosing cell, and paragraphs outside tables go straight out.
#[derive(Debug, Default)]
pub(crate) struct Tables {
    depth: usize,
    row: Option<Vec<Cell>>,
}

impl Tables {
    pub(crate) fn open_table(&mut self) {
        self.depth += 1;
    }

    pub(crate) fn open_row(&mut self) {
        if self.depth == 1 {
            self.row = Some(Vec::new());
        }
    }

    pub(crate) fn open_cell(&mut self) {
        if self.depth == 1 {
            if let Some(r) = self.row.as_mut() {
                r.push(Vec::new());
            }
        }
    }

    /// A finished paragraph: into the current cell, or out as a block.
    pub(crate) fn paragraph(&mut self, para: Para, out: &mut TextBuilder) {
        match self.row.as_mut().and_then(|r| r.last_mut()) {
            Some(cell) if self.depth > 0 => cell.push(para),
            _ => out.push(para.kind, &para.text),
        }
    }

    pub(crate) fn close_row(&mut self, out: &mut TextBuilder) {
        if self.depth == 1 {
            if let Some(cells) = self.row.take() {
                out.push_row(cells);
            }
        }
    }

    pub(crate) fn close_table(&mut self, out: &mut TextBuilder) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth == 0 {
            if let Some(cells) = self.row.take() {
                out.push_row(cells);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(kind: BlockKind, text: &str) -> Para {
        Para {
            kind,
            text: text.into(),
        }
    }

    #[test]
    fn blocks_are_separated_by_blank_lines_and_rows_by_tabs() {
        let mut b = TextBuilder::default();
        b.push(BlockKind::Heading, "  Title ");
        b.push(BlockKind::Paragraph, "   ");
        b.push_row(vec![
            vec![para(BlockKind::Paragraph, "A\tone")],
            vec![],
            vec![
                para(BlockKind::Paragraph, "B"),
                para(BlockKind::Paragraph, "two"),
            ],
        ]);
        let (text, blocks) = b.finish();
        assert_eq!(text, "Title\n\nA one\tB two\n");
        assert_eq!(blocks.len(), 2);
        assert_eq!(&text[blocks[0].span.clone()], "Title");
        let cells: Vec<&str> = blocks[1].cells.iter().map(|c| &text[c.clone()]).collect();
        assert_eq!(cells, ["A one", "B two"]);
    }

    #[test]
    fn unstyled_title_like_paragraphs_are_headings() {
        let mut b = TextBuilder::default();
        b.push(BlockKind::Paragraph, "Analytical Framework: Realism");
        b.push(BlockKind::Paragraph, "Introduction");
        b.push(
            BlockKind::Paragraph,
            "When the Taliban entered Kabul, Pakistan expected a quieter frontier.",
        );
        b.push(BlockKind::ListItem, "Border Fencing");
        b.push(BlockKind::Paragraph, "- a typed bullet, pasted as text");
        let (text, blocks) = b.finish();
        let kinds: Vec<BlockKind> = blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(kinds, [Heading, Heading, Paragraph, ListItem, ListItem]);
        assert_eq!(
            &text[blocks[4].span.clone()],
            "a typed bullet, pasted as text"
        );
    }

    #[test]
    fn one_cell_rows_are_layout_not_tables() {
        let mut b = TextBuilder::default();
        b.push_row(vec![vec![
            para(BlockKind::Heading, "Intro"),
            para(BlockKind::Paragraph, "Body text, with more words in it."),
        ]]);
        let (text, blocks) = b.finish();
        assert_eq!(text, "Intro\n\nBody text, with more words in it.\n");
        let kinds: Vec<BlockKind> = blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [BlockKind::Heading, BlockKind::Paragraph]);
    }
}
