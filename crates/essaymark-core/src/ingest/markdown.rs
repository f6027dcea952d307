//! Markdown (.md) extraction: markup stripped with pulldown-cmark, one block
//! per heading, paragraph, list item and table row, and an `Origin` whose
//! segments map every run of analysed text back to the bytes of the .md
//! file, so evidence is reported at the student's own line and column.

use super::{all_hidden, hidden_warning, Extracted, Format, IngestError};
use crate::text::{detect_blocks, looks_like_heading, Block, BlockKind, Origin};
use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};
use std::ops::Range;

/// Extract a decoded Markdown file.
pub(crate) fn extract(source: String, mut warnings: Vec<String>) -> Result<Extracted, IngestError> {
    let body_start = front_matter_end(&source);
    let body = source.get(body_start..).unwrap_or_default();
    let mut out = Builder::new(&source);
    // Smart punctuation stays off: it rewrites quotes and dashes, and the
    // analysed text must stay byte-identical to the source runs it maps to.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TASKLISTS;
    let mut marked_headings = false;
    for (event, range) in Parser::new_ext(body, options).into_offset_iter() {
        let range = range.start + body_start..range.end + body_start;
        if matches!(event, Event::Start(Tag::Heading { .. })) {
            marked_headings |= is_marked_heading(source.get(range.clone()).unwrap_or_default());
        }
        out.event(event, range);
    }
    let (hidden, commented) = (out.html.hidden_chars, out.html.comment_chars);
    let (text, blocks, segments) = out.finish();
    let blocks = if marked_headings {
        blocks
    } else {
        plain_text_shapes(&text, blocks)
    };
    if hidden + commented > 0 {
        // A file of nothing but comments is blank, not hidden.
        if hidden > 0 && text.trim().is_empty() {
            return Err(all_hidden("markdown", hidden));
        }
        warnings.push(hidden_warning(hidden + commented));
    }
    Ok(Extracted {
        text,
        blocks,
        origin: Origin::mapped(source, segments),
        format: Format::Markdown,
        warnings,
    })
}

/// Plain text saved as .md: with no Markdown heading, the paragraphs are
/// read for the line shapes a plain-text file is read for
/// ([`detect_blocks`]), so a title line standing alone, a heading line above
/// its paragraph with no blank line between, `->` options and scan noise
/// are what they are in the same text saved as .txt (Markdown joins such
/// lines into one paragraph). A file with `#` or underlined headings is
/// taken at its markup ([`is_marked_heading`]).
fn plain_text_shapes(text: &str, blocks: Vec<Block>) -> Vec<Block> {
    let mut out = Vec::with_capacity(blocks.len());
    for b in blocks {
        let Some(body) = text.get(b.span.clone()) else {
            out.push(b);
            continue;
        };
        let mut b = b;
        let mut body = body;
        if b.kind == BlockKind::ListItem {
            // `1. Introduction` over its paragraph, no blank line between:
            // one list item to Markdown, an outline heading and its
            // paragraph in plain text.
            let Some(nl) = body.find('\n') else {
                out.push(b);
                continue;
            };
            let first = &body[..nl];
            let kind = if looks_like_heading(first) {
                BlockKind::Heading
            } else {
                BlockKind::ListItem
            };
            out.push(Block::new(kind, b.span.start..b.span.start + nl));
            b.span.start += nl + 1;
            body = &body[nl + 1..];
        } else if !matches!(b.kind, BlockKind::Paragraph | BlockKind::Heading) {
            out.push(b);
            continue;
        }
        let found = detect_blocks(body);
        if found.is_empty() {
            // All scan noise: nothing to grade in it, as in a .txt file.
            continue;
        }
        for mut f in found {
            f.span = f.span.start + b.span.start..f.span.end + b.span.start;
            for c in &mut f.cells {
                *c = c.start + b.span.start..c.end + b.span.start;
            }
            out.push(f);
        }
    }
    out
}

/// Whether the source of a Markdown heading is one an author marked as
/// such: `#` headings, and text underlined with at least three `=` or `-`.
/// A line under a scan's bullet or a list line with a lone `-` below it is
/// an underlined heading to Markdown, but nobody wrote it as one.
fn is_marked_heading(source: &str) -> bool {
    let t = source.trim();
    if t.starts_with('#') {
        return true;
    }
    let Some(last) = t.lines().last() else {
        return false;
    };
    let rule = last.trim();
    rule.len() >= 3
        && (rule.bytes().all(|b| b == b'=') || rule.bytes().all(|b| b == b'-'))
        && t.chars().any(char::is_alphabetic)
}

/// Most open HTML elements tracked; deeper ones are not (a hostile file
/// may open a million `<div>`s).
const MAX_OPEN_HTML: usize = 1024;

/// The raw HTML of a Markdown file, as far as it hides text: elements with
/// the `hidden` attribute or a `style` of `display:none`,
/// `visibility:hidden`, `opacity:0` or `font-size:0`, `<script>`,
/// `<style>` and `<template>`, and comments. Markdown inside such an
/// element (`<div hidden>`, a blank line, paragraphs, `</div>`) is not
/// shown by a renderer, so it is not graded either, and it is counted for
/// the hidden-text warning, as is any text in a comment.
#[derive(Debug, Default)]
struct Html {
    /// Open elements: name, and whether it hides its content.
    open: Vec<(String, bool)>,
    hiding: usize,
    in_comment: bool,
    hidden_chars: usize,
    comment_chars: usize,
}

impl Html {
    fn hidden(&self) -> bool {
        self.hiding > 0
    }

    fn count(&mut self, text: &str) {
        let n = text.chars().filter(|c| !c.is_whitespace()).count();
        if self.in_comment {
            self.comment_chars += n;
        } else {
            self.hidden_chars += n;
        }
    }

    /// Read one HTML event (a block's line or an inline tag).
    fn feed(&mut self, html: &str) {
        let mut rest = html;
        loop {
            if self.in_comment {
                let Some(end) = rest.find("-->") else {
                    self.count(rest);
                    return;
                };
                self.count(&rest[..end]);
                rest = &rest[end + 3..];
                self.in_comment = false;
                continue;
            }
            let Some(lt) = rest.find('<') else {
                if self.hidden() {
                    self.count(rest);
                }
                return;
            };
            if self.hidden() {
                self.count(&rest[..lt]);
            }
            rest = &rest[lt..];
            if let Some(after) = rest.strip_prefix("<!--") {
                self.in_comment = true;
                rest = after;
                continue;
            }
            // A tag cut across two events is not read.
            let Some(gt) = rest.find('>') else { return };
            self.tag(&rest[1..gt]);
            rest = &rest[gt + 1..];
        }
    }

    fn tag(&mut self, tag: &str) {
        if let Some(close) = tag.strip_prefix('/') {
            let name = close.trim().to_ascii_lowercase();
            if let Some(at) = self.open.iter().rposition(|(n, _)| *n == name) {
                let closed = self.open.split_off(at);
                self.hiding -= closed.iter().filter(|(_, h)| *h).count();
            }
            return;
        }
        if tag.starts_with(['!', '?']) {
            return;
        }
        let name_len = tag
            .find(|c: char| c.is_whitespace() || c == '/')
            .unwrap_or(tag.len());
        let name = tag[..name_len].to_ascii_lowercase();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return;
        }
        const VOID: &[&str] = &[
            "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr",
        ];
        if tag.trim_end().ends_with('/') || VOID.contains(&name.as_str()) {
            return;
        }
        let hides = matches!(name.as_str(), "script" | "style" | "template")
            || attributes(&tag[name_len..]).any(|(k, v)| {
                k.eq_ignore_ascii_case("hidden")
                    || (k.eq_ignore_ascii_case("style") && css_hides(v))
            });
        if self.open.len() < MAX_OPEN_HTML {
            self.open.push((name, hides));
            self.hiding += usize::from(hides);
        }
    }
}

/// The attributes of a start tag: `(name, value)`, the value empty for a
/// bare attribute such as `hidden`.
fn attributes(mut s: &str) -> impl Iterator<Item = (&str, &str)> {
    std::iter::from_fn(move || {
        s = s.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if s.is_empty() {
            return None;
        }
        let name_end = s
            .find(|c: char| c.is_whitespace() || c == '=' || c == '/')
            .unwrap_or(s.len());
        let name = &s[..name_end];
        s = s[name_end..].trim_start();
        let Some(after) = s.strip_prefix('=') else {
            return Some((name, ""));
        };
        let after = after.trim_start();
        let (value, rest) = match after.chars().next() {
            Some(q @ ('"' | '\'')) => match after[1..].find(q) {
                Some(end) => (&after[1..1 + end], &after[2 + end..]),
                None => (&after[1..], ""),
            },
            _ => {
                let end = after.find(char::is_whitespace).unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        s = rest;
        Some((name, value))
    })
}

/// CSS declarations that make an element's text invisible.
fn css_hides(style: &str) -> bool {
    let style: String = style
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    style.split(';').any(|d| {
        let Some((prop, value)) = d.split_once(':') else {
            return false;
        };
        let value = value.trim_end_matches("!important");
        match prop {
            "display" => value == "none",
            "visibility" => value == "hidden" || value == "collapse",
            "opacity" => value.parse::<f64>().is_ok_and(|o| o < 0.1),
            "font-size" => value
                .trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '%')
                .parse::<f64>()
                .is_ok_and(|v| v == 0.0),
            _ => false,
        }
    })
}

/// Byte offset just past a YAML front-matter block (`---` … `---`/`...`) at
/// the very top, or 0. pulldown-cmark's metadata option is not used because
/// it accepts such blocks anywhere, and an essay that uses `---` as a
/// section divider would silently lose whole sections.
fn front_matter_end(source: &str) -> usize {
    let mut lines = source.split_inclusive('\n');
    if lines.next().map(str::trim_end) != Some("---") {
        return 0;
    }
    let mut offset = source.find('\n').map_or(source.len(), |i| i + 1);
    for (i, line) in lines.enumerate() {
        let trimmed = line.trim_end();
        // As in pulldown-cmark: a blank or closing first line means this is
        // a thematic break, not front matter.
        if i == 0 && (trimmed.is_empty() || trimmed == "---" || trimmed == "...") {
            return 0;
        }
        offset += line.len();
        if trimmed == "---" || trimmed == "..." {
            return offset;
        }
    }
    0
}

/// Containers that decide what a paragraph inside them is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Container {
    Item,
    Quote,
}

struct OpenBlock {
    kind: BlockKind,
    /// Where the block's separator starts, to roll back an empty block.
    sep_start: usize,
    start: usize,
    cells: Vec<Range<usize>>,
    /// Inside a table cell: where its text starts, once it has any.
    cell: Option<Option<usize>>,
}

struct Builder<'s> {
    source: &'s str,
    text: String,
    segments: Vec<(usize, usize, usize)>,
    blocks: Vec<Block>,
    open: Option<OpenBlock>,
    containers: Vec<Container>,
    /// Depth inside content that is dropped (images, strikethrough,
    /// footnote definitions).
    skip: usize,
    html: Html,
}

impl<'s> Builder<'s> {
    fn new(source: &'s str) -> Self {
        Builder {
            source,
            text: String::with_capacity(source.len()),
            segments: Vec::new(),
            blocks: Vec::new(),
            open: None,
            containers: Vec::new(),
            skip: 0,
            html: Html::default(),
        }
    }

    fn event(&mut self, event: Event<'_>, range: Range<usize>) {
        match event {
            Event::Start(Tag::Image { .. } | Tag::Strikethrough | Tag::FootnoteDefinition(_)) => {
                self.skip += 1;
            }
            Event::End(TagEnd::Image | TagEnd::Strikethrough | TagEnd::FootnoteDefinition) => {
                self.skip = self.skip.saturating_sub(1);
            }
            _ if self.skip > 0 => {}
            Event::Html(html) | Event::InlineHtml(html) => self.html.feed(&html),
            Event::Text(t) | Event::Code(t) if self.html.hidden() => self.html.count(&t),
            Event::SoftBreak | Event::HardBreak if self.html.hidden() => {}
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) | Event::Code(t) => self.emit(&t, range),
            Event::SoftBreak | Event::HardBreak => self.emit("\n", range),
            Event::Rule => self.flush(),
            // HTML, footnote markers, task-list boxes and math carry no prose.
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { .. } => self.open(BlockKind::Heading),
            Tag::Paragraph | Tag::CodeBlock(_) => self.open(self.context_kind()),
            Tag::Item => {
                self.containers.push(Container::Item);
                self.open(BlockKind::ListItem);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.containers.push(Container::Quote);
            }
            Tag::TableHead | Tag::TableRow => self.open(BlockKind::TableRow),
            Tag::TableCell => {
                if let Some(open) = self.open.as_mut() {
                    open.cell = Some(None);
                }
            }
            Tag::HtmlBlock | Tag::List(_) | Tag::Table(_) => self.flush(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_)
            | TagEnd::Paragraph
            | TagEnd::CodeBlock
            | TagEnd::TableHead
            | TagEnd::TableRow => self.flush(),
            TagEnd::Item | TagEnd::BlockQuote(_) => {
                self.flush();
                self.containers.pop();
            }
            TagEnd::TableCell => {
                let text = &self.text;
                if let Some(open) = self.open.as_mut() {
                    if let Some(Some(start)) = open.cell.take() {
                        if let Some(r) = trimmed(text, start..text.len()) {
                            open.cells.push(r);
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// A paragraph inside a list item is that item's text; elsewhere
    /// (including inside a block quote in an item) it is a paragraph.
    fn context_kind(&self) -> BlockKind {
        match self.containers.last() {
            Some(Container::Item) => BlockKind::ListItem,
            _ => BlockKind::Paragraph,
        }
    }

    fn open(&mut self, kind: BlockKind) {
        self.flush();
        let sep_start = self.text.len();
        if !self.text.is_empty() {
            self.text.push_str("\n\n");
        }
        self.open = Some(OpenBlock {
            kind,
            sep_start,
            start: self.text.len(),
            cells: Vec::new(),
            cell: None,
        });
    }

    fn emit(&mut self, text: &str, range: Range<usize>) {
        if text.is_empty() {
            return;
        }
        if self.open.is_none() {
            // Text after a nested list, still inside the outer item.
            self.open(self.context_kind());
        }
        if let Some(OpenBlock {
            start,
            cell: Some(cell @ None),
            ..
        }) = self.open.as_mut()
        {
            if self.text.len() > *start {
                self.text.push('\t');
            }
            *cell = Some(self.text.len());
        }
        let (src_start, len) = self.locate(text, range);
        self.segments.push((self.text.len(), src_start, len));
        self.text.push_str(text);
    }

    /// Where `text` sits in the source bytes `range`. Usually they are equal;
    /// code spans and backslash escapes put it inside the range; an entity
    /// (`&amp;` → `&`) has no exact source, so the run maps to its start.
    fn locate(&self, text: &str, range: Range<usize>) -> (usize, usize) {
        let src = self.source.get(range.clone()).unwrap_or_default();
        if src == text {
            return (range.start, text.len());
        }
        match src.find(text) {
            Some(pos) => (range.start + pos, text.len()),
            None => (range.start, text.len().min(src.len())),
        }
    }

    fn flush(&mut self) {
        let Some(open) = self.open.take() else {
            return;
        };
        match trimmed(&self.text, open.start..self.text.len()) {
            Some(span) => {
                // Trailing white space (a code block's last newline) would
                // widen the blank line that separates blocks.
                self.truncate(span.end);
                self.blocks.push(Block {
                    kind: open.kind,
                    span,
                    cells: if open.kind == BlockKind::TableRow {
                        open.cells
                    } else {
                        Vec::new()
                    },
                });
            }
            // Nothing but an image or HTML: drop the block and its separator.
            None => self.truncate(open.sep_start),
        }
    }

    fn truncate(&mut self, len: usize) {
        self.text.truncate(len);
        while self.segments.last().is_some_and(|s| s.0 >= len) {
            self.segments.pop();
        }
    }

    fn finish(mut self) -> (String, Vec<Block>, Vec<(usize, usize, usize)>) {
        self.flush();
        if !self.text.is_empty() {
            self.text.push('\n');
        }
        (self.text, self.blocks, self.segments)
    }
}

/// `range` of `text` without surrounding white space, or `None` if blank.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let body = text.get(range.clone())?;
    let start = range.start + (body.len() - body.trim_start().len());
    let end = range.start + body.trim_end().len();
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod plain_shape_tests {
    use super::*;
    use crate::text::BlockKind::*;

    fn kinds(src: &str) -> Vec<(BlockKind, String)> {
        let ex = extract(src.to_string(), vec![]).unwrap();
        ex.blocks
            .iter()
            .map(|b| (b.kind, ex.text[b.span.clone()].to_string()))
            .collect()
    }

    #[test]
    fn plain_text_saved_as_md_keeps_its_line_shapes() {
        let src = "Introduction\nThe Taliban took Kabul in August 2021 and the border changed.\n\n\
                   Way Forward\n→ Talks with Kabul linked to action\n→ Firm deterrence of the TTP\n";
        assert_eq!(
            kinds(src),
            [
                (Heading, "Introduction".to_string()),
                (
                    Paragraph,
                    "The Taliban took Kabul in August 2021 and the border changed.".to_string()
                ),
                (Heading, "Way Forward".to_string()),
                (ListItem, "Talks with Kabul linked to action".to_string()),
                (ListItem, "Firm deterrence of the TTP".to_string()),
            ]
        );
    }

    #[test]
    fn a_lone_dash_under_a_line_is_not_a_heading_but_a_marked_one_is() {
        // A scan's arrow over a dash is an underlined heading to Markdown.
        assert!(!is_marked_heading("→\n-"));
        assert!(!is_marked_heading("Groups present:\n-"));
        assert!(is_marked_heading("Border\n---"));
        assert!(is_marked_heading("## Border"));
        // With a marked heading the file is taken at its markup.
        let k = kinds("# Title\n\nIntroduction\nThe Taliban took Kabul in August 2021 and more.\n");
        assert_eq!(k.len(), 2, "{k:?}");
        assert_eq!(k[1].0, Paragraph);
    }

    #[test]
    fn a_numbered_heading_over_its_paragraph_in_a_list_item() {
        let src = "1. Introduction\nThe Taliban took Kabul in August 2021 and Pakistan's western border changed.\n";
        let k = kinds(src);
        assert_eq!(k[0], (Heading, "Introduction".to_string()), "{k:?}");
        assert_eq!(k[1].0, Paragraph, "{k:?}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{BlockKind::*, LineCol};

    fn md(source: &str) -> Extracted {
        extract(source.to_string(), Vec::new()).unwrap()
    }

    fn blocks_of(ex: &Extracted) -> Vec<(BlockKind, &str)> {
        ex.blocks
            .iter()
            .map(|b| (b.kind, &ex.text[b.span.clone()]))
            .collect()
    }

    /// Line and column of the `nth` occurrence of `word` in `source`.
    fn source_pos(source: &str, word: &str) -> LineCol {
        let at = source.find(word).unwrap();
        let before = &source[..at];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        LineCol {
            line,
            column: source[line_start..at].chars().count() + 1,
        }
    }

    const ESSAY: &str = "---\ntitle: Essay\nauthor: A. Student\n---\n# The *Durand* Line\n\nThe border is **porous** and _costly_, see [the report](http://x.org) and `Zarb-e-Azb`.\nIt ~~never~~ changed ![map](m.png) <span>much</span>.\n\n- First **item** here\n- Second item\n  1. nested Kabül point\n\n> Quoted paragraph.\n\n| Aspect | Before |\n|--------|--------|\n| Trade  | *Open* border |\n\n<div>\ndropped html\n</div>\n\nFinal line.[^n]\n\n[^n]: Footnote text.\n";

    #[test]
    fn blocks_and_stripped_markup() {
        let ex = md(ESSAY);
        assert_eq!(ex.format, Format::Markdown);
        assert_eq!(
            blocks_of(&ex),
            [
                (Heading, "The Durand Line"),
                (
                    Paragraph,
                    "The border is porous and costly, see the report and Zarb-e-Azb.\nIt  changed  much."
                ),
                (ListItem, "First item here"),
                (ListItem, "Second item"),
                (ListItem, "nested Kabül point"),
                (Paragraph, "Quoted paragraph."),
                (TableRow, "Aspect\tBefore"),
                (TableRow, "Trade\tOpen border"),
                (Paragraph, "Final line."),
            ]
        );
        assert!(ex.text.starts_with("The Durand Line\n\nThe border"));
        assert!(ex.text.ends_with("Final line.\n"));
        for gone in [
            "title:",
            "never",
            "map",
            "dropped html",
            "Footnote text",
            "http",
        ] {
            assert!(!ex.text.contains(gone), "{gone} leaked into {:?}", ex.text);
        }
        let row = &ex.blocks[7];
        let cells: Vec<&str> = row.cells.iter().map(|c| &ex.text[c.clone()]).collect();
        assert_eq!(cells, ["Trade", "Open border"]);
    }

    #[test]
    fn words_map_back_to_their_source_line_and_column() {
        let ex = md(ESSAY);
        assert!(ex.origin.is_mapped());
        // heading, emphasised words, code span, list items, table cell,
        // non-ASCII text after a nested list marker
        for word in [
            "Durand",
            "Line",
            "porous",
            "costly",
            "report",
            "Zarb-e-Azb",
            "item",
            "Second",
            "Kabül",
            "Quoted",
            "Trade",
            "Open",
            "much",
            "Final",
        ] {
            let at = ex.text.find(word).unwrap();
            assert_eq!(
                ex.origin.line_col(&ex.text, at),
                source_pos(ESSAY, word),
                "position of {word}"
            );
            // The last character too: the word is one run in the source.
            let last = at + word.len() - word.chars().last().unwrap().len_utf8();
            let mut end = source_pos(ESSAY, word);
            end.column += word.chars().count() - 1;
            assert_eq!(ex.origin.line_col(&ex.text, last), end, "end of {word}");
        }
    }

    #[test]
    fn document_segments_markdown_blocks() {
        let doc = md(ESSAY).into_document();
        assert_eq!(doc.blocks.len(), 9);
        assert_eq!(doc.sentence_text(0), "The Durand Line");
        let first = doc.blocks.iter().position(|b| b.kind == TableRow).unwrap();
        assert_eq!(doc.blocks[first].cells.len(), 2);
    }

    #[test]
    fn front_matter_only_at_the_top() {
        let ex = md("Intro text.\n\n---\nSection two is here.\n\n---\n\nMore.\n");
        assert_eq!(
            blocks_of(&ex),
            [
                (Paragraph, "Intro text."),
                (Paragraph, "Section two is here."),
                // No Markdown heading: read as plain text is, where a short
                // title-cased line standing alone is a heading.
                (Heading, "More.")
            ]
        );
        // A leading rule followed by a blank line is not front matter.
        let ex = md("---\n\nBody.\n");
        assert_eq!(blocks_of(&ex), [(Heading, "Body.")]);
        // Unclosed front matter is just text.
        let ex = md("---\ntitle: x\n");
        assert!(ex.text.contains("title: x"));
        assert_eq!(front_matter_end("---\r\na: b\r\n...\r\nText"), 16);
    }

    #[test]
    fn entities_and_escapes_map_to_their_source() {
        let src = "Trade &amp; aid \\*really\\* fell.\n";
        let ex = md(src);
        assert_eq!(ex.text, "Trade & aid *really* fell.\n");
        let at = ex.text.find("fell").unwrap();
        assert_eq!(ex.origin.line_col(&ex.text, at), source_pos(src, "fell"));
        let at = ex.text.find("really").unwrap();
        assert_eq!(ex.origin.line_col(&ex.text, at), source_pos(src, "really"));
    }

    #[test]
    fn loose_lists_code_blocks_and_empty_blocks() {
        // An image-only item leaves no block; an essay paragraph indented
        // four spaces is a code block to CommonMark but still prose here.
        let src = "1. First para\n\n   second para\n2. ![only](an-image.png)\n\nBetween.\n\n    indented essay paragraph\n";
        let ex = md(src);
        assert_eq!(
            blocks_of(&ex),
            [
                (ListItem, "First para"),
                (ListItem, "second para"),
                // Without a Markdown heading, short stand-alone lines are
                // headings, as in the same text saved as .txt.
                (Heading, "Between."),
                (Heading, "indented essay paragraph"),
            ]
        );
        assert_eq!(
            ex.text,
            "First para\n\nsecond para\n\nBetween.\n\nindented essay paragraph\n"
        );
    }

    #[test]
    fn hidden_html_is_not_graded_and_is_counted() {
        let src = "Shown <span style=\"display: none\">inline</span> text.\n\n<div hidden>\n\nA hidden paragraph.\n\n- hidden item\n\n</div>\n\n<p style='visibility:hidden'>block</p>\n\n<!--\n\nA commented paragraph.\n\n-->\n\nVisible <b>bold</b> and <span hidden=\"\">gone</span> end.<!-- note -->\n\n<div class=\"a hidden\">kept out as HTML</div>\n\n<section style=\"color:red\">\n\nStill shown.\n\n</section>\n";
        let ex = md(src);
        assert_eq!(
            blocks_of(&ex),
            [
                (Paragraph, "Shown  text."),
                (Paragraph, "Visible bold and  end."),
                (Paragraph, "Still shown."),
            ]
        );
        // inline, A hidden paragraph., hidden item, block, A commented
        // paragraph., gone, note
        assert_eq!(ex.warnings, [hidden_warning(6 + 17 + 10 + 5 + 20 + 4 + 4)]);
        let at = ex.text.find("Still").unwrap();
        assert_eq!(ex.origin.line_col(&ex.text, at), source_pos(src, "Still"));
        // Unclosed: hidden to the end, as a browser would; all of it hidden
        // is an error, not an empty essay.
        let only_comments = md("---\ntitle: x\n---\n\n<!-- nothing -->\n");
        assert!(only_comments.text.trim().is_empty());
        let err = extract("<div hidden>\n\nAll of it.\n".into(), Vec::new()).unwrap_err();
        assert!(
            err.to_string()
                .contains("all of its text (8 characters) is hidden"),
            "{err}"
        );
        let _ = md(&"<div hidden>".repeat(5000));
    }

    #[test]
    fn hostile_nesting_does_not_panic() {
        let deep = ">".repeat(50_000) + " deep\n";
        let ex = md(&deep);
        assert!(ex.text.contains("deep"));
        let lists = "- ".repeat(20_000) + "x\n";
        let _ = md(&lists);
        let _ = md("|a|\n|-|\n|`x\\|y`|\n\n[^]: \n\n<!--\n");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_markdown_keeps_spans_and_positions_valid(
            src in "([-#*_>|`~!\\[\\]()&;: \n\t]|[a-zé0-9]{1,4}|---\n|    |1\\. ){0,60}"
        ) {
            let ex = md(&src);
            for b in &ex.blocks {
                proptest::prop_assert!(ex.text.get(b.span.clone()).is_some());
                for c in &b.cells {
                    proptest::prop_assert!(c.start >= b.span.start && c.end <= b.span.end);
                    proptest::prop_assert!(ex.text.get(c.clone()).is_some());
                }
            }
            for (i, _) in ex.text.char_indices() {
                let _ = ex.origin.line_col(&ex.text, i);
                let r = ex.origin.source_range(i..ex.text.len());
                proptest::prop_assert!(r.start <= r.end && r.end <= src.len());
            }
        }
    }
}
