//! Block structure of plain text: headings, paragraphs, list items and table
//! rows, found from line shapes the way a reader sees them on the page.
//! Markup formats (.md, .docx) build their blocks from the markup instead.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BlockKind {
    Heading,
    Paragraph,
    ListItem,
    TableRow,
}

/// One block of the essay. `span` is a byte range in the analysed text;
/// `cells` (table rows only) are the byte ranges of the row's cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Range<usize>,
    pub cells: Vec<Range<usize>>,
}

impl Block {
    pub fn new(kind: BlockKind, span: Range<usize>) -> Block {
        Block {
            kind,
            span,
            cells: Vec::new(),
        }
    }
}

/// Words that stay lower-case in a title ("Expansion of ISIS-K and the Threat").
const TITLE_SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "of", "on", "or",
    "the", "to", "under", "vs", "with", "its", "is", "are", "not",
];

struct Line<'a> {
    start: usize,
    text: &'a str,
}

/// Find the blocks of plain text.
///
/// Rules, in order: blank lines separate blocks; scan noise (page headers such
/// as `DATE: ___/___/___`) is dropped; a line with tab- or pipe-separated
/// cells is a table row; a line starting with a bullet or enumerator is a list
/// item; a short stand-alone line that reads like a title is a heading; other
/// consecutive lines join into a paragraph.
pub fn detect_blocks(text: &str) -> Vec<Block> {
    let mut lines = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.trim_end_matches(['\n', '\r']);
        lines.push(Line { start, text: body });
        start += piece.len();
    }

    let mut blocks: Vec<Block> = Vec::new();
    let mut para: Option<Range<usize>> = None;
    let flush = |para: &mut Option<Range<usize>>, blocks: &mut Vec<Block>| {
        if let Some(span) = para.take() {
            blocks.push(Block::new(BlockKind::Paragraph, span));
        }
    };

    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.text.trim();
        if trimmed.is_empty() || is_scan_noise(trimmed) {
            flush(&mut para, &mut blocks);
            continue;
        }
        let lead = line.text.len() - line.text.trim_start().len();
        let span = line.start + lead..line.start + lead + trimmed.len();

        if let Some(cells) = table_cells(line.text, line.start) {
            flush(&mut para, &mut blocks);
            if !cells.is_empty() {
                blocks.push(Block {
                    kind: BlockKind::TableRow,
                    span,
                    cells,
                });
            }
            continue;
        }
        if let Some(marker) = list_marker_len(trimmed) {
            flush(&mut para, &mut blocks);
            // "1. Introduction" over bulleted points is an outline heading.
            let numbered = trimmed.as_bytes()[0].is_ascii_digit();
            let next_is_bullet = lines
                .get(i + 1)
                .and_then(|l| list_marker_len(l.text.trim()).map(|_| l.text.trim()))
                .is_some_and(|l| !l.as_bytes()[0].is_ascii_digit());
            // So is "1. Introduction" standing after a blank line over its
            // own paragraph (a prose line, not another item).
            let prev_blank = i == 0 || lines[i - 1].text.trim().is_empty();
            let next_is_prose = lines.get(i + 1).is_some_and(|l| {
                let t = l.text.trim();
                !t.is_empty()
                    && list_marker_len(t).is_none()
                    && t.split_whitespace().nth(8).is_some()
            });
            let body = trimmed[marker..].trim_start();
            if numbered
                && (next_is_bullet || (prev_blank && next_is_prose))
                && looks_like_heading(body)
            {
                blocks.push(Block::new(
                    BlockKind::Heading,
                    span.end - body.len()..span.end,
                ));
                continue;
            }
            let body = trimmed[marker..].trim_start();
            if body.chars().any(char::is_alphanumeric) {
                let body_start = span.end - body.len();
                blocks.push(Block::new(BlockKind::ListItem, body_start..span.end));
            }
            continue;
        }
        // A word hyphenated across a line break continues on the next line.
        let continues = trimmed.ends_with('-')
            && trimmed.len() > 1
            && {
                let before = trimmed[..trimmed.len() - 1].chars().last();
                before.is_some_and(char::is_alphabetic)
            }
            && lines.get(i + 1).is_some_and(|l| !l.text.trim().is_empty());
        let continued = i > 0 && {
            let p = lines[i - 1].text.trim_end();
            p.ends_with('-') && p.len() > 1 && para.is_some()
        };
        if continues || continued {
            match para.as_mut() {
                Some(p) => p.end = span.end,
                None => para = Some(span),
            }
            continue;
        }
        let prev_blank = i == 0 || lines[i - 1].text.trim().is_empty() || para.is_none();
        let next_blank = lines.get(i + 1).is_none_or(|l| l.text.trim().is_empty());
        // A line whose next line starts in lower case is wrapped prose.
        let next_continues = lines
            .get(i + 1)
            .and_then(|l| l.text.trim_start().chars().next())
            .is_some_and(char::is_lowercase);
        if (prev_blank || next_blank) && !next_continues && looks_like_heading(trimmed) {
            flush(&mut para, &mut blocks);
            let body = trimmed.trim_start_matches('#').trim_start();
            blocks.push(Block::new(
                BlockKind::Heading,
                span.end - body.len()..span.end,
            ));
            continue;
        }
        match para.as_mut() {
            Some(p) => p.end = span.end,
            None => para = Some(span),
        }
    }
    flush(&mut para, &mut blocks);
    blocks
}

/// Page furniture from scanned answer sheets: `DATE: ___/___/___`, `PAGE ___`.
fn is_scan_noise(line: &str) -> bool {
    if !line.contains("___") {
        return false;
    }
    let underscores = line.bytes().filter(|&b| b == b'_').count();
    let words = line
        .split_whitespace()
        .filter(|w| w.chars().any(char::is_alphabetic))
        .count();
    underscores >= 3 && words <= 2
}

/// Cells of a table row written with tabs (`a<TAB>b`) or pipes (`| a | b |`).
/// Returns `Some(vec![])` for a Markdown separator row (`|---|---|`).
fn table_cells(line: &str, line_start: usize) -> Option<Vec<Range<usize>>> {
    let sep = if line.trim().contains('\t') {
        '\t'
    } else if line.trim().starts_with('|') && line.matches('|').count() >= 3 {
        '|'
    } else {
        return None;
    };
    let mut cells = Vec::new();
    let mut offset = line_start;
    for raw in line.split(sep) {
        let t = raw.trim();
        if !t.is_empty() {
            let lead = raw.len() - raw.trim_start().len();
            cells.push(offset + lead..offset + lead + t.len());
        }
        offset += raw.len() + sep.len_utf8();
    }
    if sep == '|'
        && cells.iter().all(|c| {
            line[c.start - line_start..c.end - line_start]
                .chars()
                .all(|ch| matches!(ch, '-' | ':' | ' '))
        })
    {
        return Some(Vec::new());
    }
    if cells.len() < 2 {
        return None;
    }
    Some(cells)
}

/// Byte length of a leading bullet or enumerator (`- `, `• `, `→ `, `1. `, `a) `).
pub fn list_marker_len(line: &str) -> Option<usize> {
    let first = line.chars().next()?;
    if matches!(
        first,
        '-' | '*' | '+' | '•' | '→' | '↳' | '‣' | '◦' | '▪' | '–' | '>'
    ) {
        let rest = &line[first.len_utf8()..];
        if rest.starts_with(' ')
            || rest.starts_with('\t')
            || (first != '-' && first != '*' && !rest.starts_with(first))
        {
            return Some(first.len_utf8());
        }
        return None;
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=2).contains(&digits) {
        let rest = &line[digits..];
        if rest.starts_with(". ") || rest.starts_with(") ") {
            return Some(digits + 1);
        }
    }
    None
}

/// Whether a short stand-alone line reads like a title: the cue the plain
/// text parser uses, shared with documents whose headings carry no style.
pub fn looks_like_heading(line: &str) -> bool {
    // Struck or look-alike letters inside a word (0x1F filler) do not make
    // "Co\u{1F}nclusion" less of a label.
    if line.as_bytes().contains(&crate::text::STRUCK_IN_WORD) {
        let plain: String = line
            .chars()
            .filter(|&c| c != crate::text::STRUCK_IN_WORD as char)
            .collect();
        return looks_like_heading(&plain);
    }
    if line.starts_with('#') {
        return true;
    }
    // Most lines are prose: reject long ones before looking closer.
    if line.len() > 160 || line.split_whitespace().nth(14).is_some() {
        return false;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.is_empty() {
        return false;
    }
    let last = line.chars().last().unwrap_or(' ');
    if matches!(last, ',' | ';' | ':' | '"' | '”' | '?' | '!') {
        return false;
    }
    // A line that holds two sentences is prose, however short.
    let inner = &line[..line.len() - last.len_utf8()];
    if [". ", "? ", "! "].iter().any(|p| inner.contains(p)) && !words[0].ends_with('.') {
        return false;
    }
    if is_enumerated_heading(words[0]) || is_section_label(words[0]) {
        return true;
    }
    let content: Vec<&str> = words
        .iter()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !TITLE_SMALL_WORDS.contains(&w.to_lowercase().as_str()))
        .collect();
    if content.is_empty() {
        return false;
    }
    let capitalised = content
        .iter()
        .filter(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
        .count();
    let title_case = capitalised * 10 >= content.len() * 6;
    if last == '.' && line.matches(',').count() >= 2 {
        // "TTP, ISIS-K and CPEC are problems." is a sentence, not a title.
        return false;
    }
    if last == '.' {
        // A full stop usually ends a sentence; only a clearly title-cased
        // short line is a heading.
        return title_case && words.len() <= 12;
    }
    title_case || words.len() <= 8
}

/// "Introduction:", "Conclusion" and other words that label an essay's parts.
fn is_section_label(word: &str) -> bool {
    let w = word.trim_end_matches([':', '.', ',']).to_lowercase();
    matches!(
        w.as_str(),
        "introduction" | "conclusion" | "outline" | "references" | "bibliography"
    )
}

/// `(I)`, `II.`, `IV)`, `3.` and similar section enumerators.
fn is_enumerated_heading(word: &str) -> bool {
    let core = word.trim_start_matches('(').trim_end_matches(['.', ')']);
    if core.is_empty() || core.len() == word.len() {
        return false;
    }
    core.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(BlockKind, String)> {
        detect_blocks(text)
            .into_iter()
            .map(|b| (b.kind, text[b.span].to_string()))
            .collect()
    }

    #[test]
    fn headings_paragraphs_lists_tables() {
        let text = "Introduction\n\nThe border has become violent. Trade suffers.\nIt goes on.\n\nEffects inside Pakistan:\n- attacks in KP\n• fear\n\nAspect\tBefore\tAfter\nTTP\tContained\tRevived\n\n(II) Border Management\n";
        let got = kinds(text);
        assert_eq!(got[0], (BlockKind::Heading, "Introduction".into()));
        assert_eq!(
            got[1],
            (
                BlockKind::Paragraph,
                "The border has become violent. Trade suffers.\nIt goes on.".into()
            )
        );
        assert_eq!(
            got[2],
            (BlockKind::Paragraph, "Effects inside Pakistan:".into())
        );
        assert_eq!(got[3], (BlockKind::ListItem, "attacks in KP".into()));
        assert_eq!(got[4], (BlockKind::ListItem, "fear".into()));
        assert_eq!(got[5].0, BlockKind::TableRow);
        assert_eq!(got[6].0, BlockKind::TableRow);
        assert_eq!(
            got[7],
            (BlockKind::Heading, "(II) Border Management".into())
        );
    }

    #[test]
    fn scan_noise_and_sentences_are_not_headings() {
        let text = "DATE: ___/___/___\n\nMilitants got space, safety, and confidence.\n\nRe-Energization of TTP: Afghan Space as a Strategic Enabler.\n";
        let got = kinds(text);
        assert_eq!(got.len(), 2);
        assert_eq!(got[0].0, BlockKind::Paragraph);
        assert_eq!(got[1].0, BlockKind::Heading);
    }

    #[test]
    fn hyphenated_line_breaks_join_and_section_labels_head() {
        let text = "Internal de-\nradicalization\n\nConclusion: From strategic depth to strategic dilemma.\nIt ends here.\n";
        let got = kinds(text);
        assert_eq!(
            got[0],
            (BlockKind::Paragraph, "Internal de-\nradicalization".into())
        );
        assert_eq!(got[1].0, BlockKind::Heading);
        assert_eq!(got[2].0, BlockKind::Paragraph);
    }

    #[test]
    fn numbered_lines_over_bullets_are_outline_headings() {
        let got = kinds("1. Introduction\n- Kabul falls\n2. Give aid.\n3. Trade more.\n");
        assert_eq!(got[0], (BlockKind::Heading, "Introduction".into()));
        assert_eq!(got[1].0, BlockKind::ListItem);
        assert_eq!(got[2], (BlockKind::ListItem, "Give aid.".into()));
    }

    #[test]
    fn markdown_pipe_tables() {
        let text = "| Aspect | Before | After |\n|---|---|---|\n| Border | Calm | Volatile |\n";
        let blocks = detect_blocks(text);
        assert_eq!(blocks.len(), 2);
        assert!(blocks
            .iter()
            .all(|b| b.kind == BlockKind::TableRow && b.cells.len() == 3));
        assert_eq!(&text[blocks[1].cells[2].clone()], "Volatile");
    }
}
