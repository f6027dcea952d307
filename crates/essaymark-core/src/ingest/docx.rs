//! .docx (Word) extraction: the body of `word/document.xml` as paragraphs,
//! headings, list items and table rows, with paragraph styles resolved
//! through `word/styles.xml`. Footnotes, endnotes, comments, headers and
//! footers live in other parts and are never read; deleted tracked changes,
//! hidden text and compatibility fallbacks are skipped so each word of the
//! visible document is graded once. Positions refer to the extracted text.

use super::archive::{xml_text, Archive};
use super::builder::{Para, Tables, TextBuilder};
use super::xml::{attr, char_data, in_ns, is_budget, malformed, Budget, Deadline};
use super::{Extracted, Format, IngestError, Limits};
use crate::text::{BlockKind, Origin};
use quick_xml::events::{BytesStart, Event};
use quick_xml::NsReader;
use std::collections::HashMap;

const FORMAT: &str = "docx";
const DOCUMENT: &str = "word/document.xml";
const STYLES: &str = "word/styles.xml";
const W_NS: &[u8] = b"http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const W_STRICT_NS: &[u8] = b"http://purl.oclc.org/ooxml/wordprocessingml/main";
const MC_NS: &[u8] = b"http://schemas.openxmlformats.org/markup-compatibility/2006";

/// Extract a .docx held in memory.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, IngestError> {
    let deadline = Deadline::start();
    let mut archive = Archive::open(bytes, FORMAT, "a Word document", limits)?;
    let document = archive
        .read(DOCUMENT)?
        .ok_or_else(|| IngestError::Document {
            format: FORMAT,
            reason: format!("the archive has no {DOCUMENT} (is it a Word document?)"),
        })?;
    // Styles only refine headings and lists; a document without them (or
    // with a broken one) still reads, with style ids taken at face value.
    // Running out of a budget in them is still an error.
    let styles = match archive.read(STYLES)? {
        Some(bytes) => {
            match xml_text(FORMAT, STYLES, &bytes).and_then(|xml| parse_styles(xml, deadline)) {
                Ok(styles) => styles,
                Err(e) if is_budget(&e) => return Err(e),
                Err(_) => Styles::default(),
            }
        }
        None => Styles::default(),
    };
    let body = parse_document(xml_text(FORMAT, DOCUMENT, &document)?, &styles, deadline)?;
    let mut warnings = Vec::new();
    if body.hidden_chars > 0 {
        warnings.push(format!(
            "ignored {} characters of hidden text (formatted as hidden, white, or smaller than 4 pt)",
            body.hidden_chars
        ));
    }
    let origin = Origin::identity(&body.text);
    Ok(Extracted {
        text: body.text,
        blocks: body.blocks,
        origin,
        format: Format::Docx,
        warnings,
    })
}

/// Word elements whose nesting matters to the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum El {
    P,
    PPr,
    NumPr,
    R,
    RPr,
    T,
    Tbl,
    Tr,
    Tc,
    Style,
    Sdt,
    InstrText,
    Other,
}

fn element(local: &[u8]) -> El {
    match local {
        b"p" => El::P,
        b"pPr" => El::PPr,
        b"numPr" => El::NumPr,
        b"r" => El::R,
        b"rPr" => El::RPr,
        b"t" => El::T,
        b"tbl" => El::Tbl,
        b"tr" => El::Tr,
        b"tc" => El::Tc,
        b"style" => El::Style,
        b"sdt" => El::Sdt,
        b"instrText" => El::InstrText,
        _ => El::Other,
    }
}

/// Subtrees whose text is not part of the visible document: deleted and
/// moved-away tracked changes, the previous formatting recorded by
/// `w:*PrChange` (which holds stale styles and numbering), and the
/// `mc:Fallback` copy of content also given in `mc:Choice`.
fn skipped(is_w: bool, is_mc: bool, local: &[u8]) -> bool {
    (is_w && (matches!(local, b"del" | b"moveFrom" | b"delText") || local.ends_with(b"Change")))
        || (is_mc && local == b"Fallback")
}

#[derive(Debug, Default)]
struct ParaState {
    style: Option<String>,
    /// `Some` when the paragraph has its own `w:numPr`.
    numbered: Option<bool>,
    outline: Option<u8>,
    text: String,
    /// Part of a table of contents (a TOC field's result, a TOC content
    /// control, or a TOC style): dropped, since its entries repeat the
    /// headings and would be graded twice.
    toc: bool,
}

#[derive(Debug, Default)]
struct Body {
    text: String,
    blocks: Vec<crate::text::Block>,
    hidden_chars: usize,
}

fn parse_document(xml: &str, styles: &Styles, deadline: Deadline) -> Result<Body, IngestError> {
    let mut reader = NsReader::from_str(xml);
    let mut depth = Budget::new(deadline);
    let mut out = TextBuilder::default();
    let mut stack: Vec<El> = Vec::new();
    // Paragraphs nest when a text box sits inside a paragraph's run.
    let mut paras: Vec<ParaState> = Vec::new();
    // Only the outermost table's rows and cells are kept; a nested table's
    // paragraphs flow into the enclosing cell.
    let mut tables = Tables::default();
    let mut skip_depth = 0usize;
    let mut run_hidden = false;
    let mut hidden_chars = 0usize;
    let mut toc = Toc::default();

    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(e) => return Err(malformed(FORMAT, DOCUMENT, reader.error_position(), e)),
        };
        depth.track(&event, FORMAT, DOCUMENT)?;
        let is_w = in_ns(&ns, W_NS) || in_ns(&ns, W_STRICT_NS);
        let is_mc = in_ns(&ns, MC_NS);
        match event {
            Event::Eof => break,
            Event::Start(_) if skip_depth > 0 => skip_depth += 1,
            Event::End(_) if skip_depth > 0 => skip_depth -= 1,
            Event::Empty(_) if skip_depth > 0 => {}
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(event, Event::Start(_));
                let local = e.local_name();
                let local = local.as_ref();
                if skipped(is_w, is_mc, local) {
                    if is_start {
                        skip_depth = 1;
                    }
                    continue;
                }
                let el = if is_w { element(local) } else { El::Other };
                let parent = stack.last().copied();
                let grandparent = stack
                    .len()
                    .checked_sub(2)
                    .and_then(|i| stack.get(i))
                    .copied();
                match el {
                    El::P => paras.push(ParaState {
                        toc: toc.active(),
                        ..ParaState::default()
                    }),
                    El::Sdt if is_start => toc.sdts.push(false),
                    El::Tbl => tables.open_table(),
                    El::Tr => tables.open_row(),
                    El::Tc => tables.open_cell(),
                    El::R => run_hidden = false,
                    _ => {}
                }
                if is_w && el == El::Other {
                    let para = paras.last_mut();
                    match (local, parent, grandparent) {
                        (b"pStyle", Some(El::PPr), Some(El::P)) => {
                            if let Some(p) = para {
                                p.style = attr(e, b"val");
                            }
                        }
                        (b"numId", Some(El::NumPr), Some(El::PPr)) => {
                            // numId 0 is Word's way of switching a list
                            // style's numbering off for one paragraph.
                            if let Some(p) = para {
                                p.numbered = Some(attr(e, b"val").is_some_and(|v| v.trim() != "0"));
                            }
                        }
                        (b"outlineLvl", Some(El::PPr), Some(El::P)) => {
                            if let Some(p) = para {
                                p.outline = attr(e, b"val").and_then(|v| v.trim().parse().ok());
                            }
                        }
                        (b"docPartGallery", _, _)
                            if attr(e, b"val").is_some_and(|v| v.contains("Table of Contents")) =>
                        {
                            if let Some(top) = toc.sdts.last_mut() {
                                *top = true;
                            }
                        }
                        (b"fldChar", Some(El::R), _) => {
                            match attr(e, b"fldCharType").as_deref() {
                                Some("begin") => toc.fields.push((String::new(), false)),
                                Some("separate") => {
                                    if let Some(f) = toc.fields.last_mut() {
                                        f.1 = true;
                                    }
                                }
                                Some("end") => {
                                    toc.fields.pop();
                                }
                                _ => {}
                            }
                            if let Some(p) = para {
                                p.toc |= toc.active();
                            }
                        }
                        (b"vanish" | b"specVanish", Some(El::RPr), Some(El::R)) => {
                            run_hidden = is_on(e);
                        }
                        // White or sub-4-point text is as unreadable as
                        // hidden text: a model answer pasted that way must
                        // not be graded. (`vanish` comes first in `rPr`.)
                        (b"color", Some(El::RPr), Some(El::R)) => {
                            run_hidden |= attr(e, b"val")
                                .is_some_and(|v| v.trim().eq_ignore_ascii_case("FFFFFF"));
                        }
                        (b"sz", Some(El::RPr), Some(El::R)) => {
                            // Half-points: 8 is 4 pt.
                            run_hidden |= attr(e, b"val")
                                .and_then(|v| v.trim().parse::<f64>().ok())
                                .is_some_and(|half_points| half_points < 8.0);
                        }
                        (b"tab", Some(El::R), _) => {
                            push_char(para, '\t', run_hidden, &mut hidden_chars)
                        }
                        (b"br" | b"cr", Some(El::R), _) => {
                            push_char(para, '\n', run_hidden, &mut hidden_chars)
                        }
                        (b"noBreakHyphen", Some(El::R), _) => {
                            push_char(para, '-', run_hidden, &mut hidden_chars)
                        }
                        _ => {}
                    }
                }
                if is_start {
                    stack.push(el);
                } else {
                    close(el, &mut paras, &mut tables, &mut out, styles);
                }
            }
            Event::End(_) => {
                let el = stack.pop().unwrap_or(El::Other);
                if el == El::Sdt {
                    toc.sdts.pop();
                }
                close(el, &mut paras, &mut tables, &mut out, styles);
                // Past the block limit nothing more is laid out: stop
                // reading instead of walking the rest of a huge part.
                if out.full() {
                    return Err(IngestError::TooManyBlocks {
                        what: "paragraphs",
                        limit: super::MAX_BLOCKS,
                    });
                }
            }
            ref ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))
                if skip_depth == 0 && stack.last() == Some(&El::InstrText) =>
            {
                // A field's instruction ("TOC \o "1-3" \h"): not text, but
                // it says whether the field's result is a table of contents.
                if let (Some(data), Some(f)) = (char_data(ev), toc.fields.last_mut()) {
                    if f.0.len() < 256 {
                        f.0.push_str(&data);
                    }
                }
            }
            ref ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))
                if skip_depth == 0 && stack.last() == Some(&El::T) =>
            {
                if let (Some(data), Some(p)) = (char_data(ev), paras.last_mut()) {
                    p.toc |= toc.active();
                    if run_hidden {
                        hidden_chars += data.chars().filter(|c| !c.is_whitespace()).count();
                    } else {
                        p.text.push_str(&data);
                    }
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(IngestError::Document {
            format: FORMAT,
            reason: format!("{DOCUMENT} ends inside an element (truncated?)"),
        });
    }
    let (text, blocks) = out.finish();
    Ok(Body {
        text,
        blocks,
        hidden_chars,
    })
}

fn close(
    el: El,
    paras: &mut Vec<ParaState>,
    tables: &mut Tables,
    out: &mut TextBuilder,
    styles: &Styles,
) {
    match el {
        El::P => {
            let Some(p) = paras.pop() else { return };
            if p.toc || styles.is_toc(p.style.as_deref()) {
                return;
            }
            let para = Para {
                kind: styles.kind(&p),
                text: p.text,
            };
            tables.paragraph(para, out);
        }
        El::Tr => tables.close_row(out),
        El::Tbl => tables.close_table(out),
        _ => {}
    }
}

fn push_char(para: Option<&mut ParaState>, c: char, hidden: bool, hidden_chars: &mut usize) {
    if hidden {
        *hidden_chars += usize::from(!c.is_whitespace());
    } else if let Some(p) = para {
        p.text.push(c);
    }
}

/// Where the walk is in a table of contents. Word writes one as a `TOC`
/// field (`w:fldChar` begin, `w:instrText` "TOC ...", separate, the
/// entries, end), usually wrapped in a content control whose gallery is
/// "Table of Contents"; either marks the paragraphs inside.
#[derive(Debug, Default)]
struct Toc {
    /// Open content controls (`w:sdt`): whether each is a TOC.
    sdts: Vec<bool>,
    /// Open fields: instruction so far, and whether past `separate`.
    fields: Vec<(String, bool)>,
}

impl Toc {
    fn active(&self) -> bool {
        self.sdts.iter().any(|&t| t)
            || self
                .fields
                .iter()
                .any(|(instr, result)| *result && instr.trim_start().starts_with("TOC"))
    }
}

/// Word's on/off properties: present means on unless `w:val` says otherwise.
fn is_on(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, b"val").as_deref().map(str::trim),
        Some("0" | "false" | "off")
    )
}

/// What `word/styles.xml` says about each paragraph style.
#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, StyleDef>,
}

#[derive(Debug, Default, Clone)]
struct StyleDef {
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u8>,
    numbered: bool,
}

/// How far `w:basedOn` chains are followed: real documents use a few
/// levels, and a cycle must not loop forever.
const MAX_STYLE_CHAIN: usize = 16;

impl Styles {
    /// Word's TOC entry styles ("toc 1".."toc 9") and the "TOC Heading"
    /// above them: the contents list repeats the essay's headings.
    fn is_toc(&self, style: Option<&str>) -> bool {
        let Some(id) = style else { return false };
        let name = self
            .by_id
            .get(id)
            .and_then(|d| d.name.as_deref())
            .unwrap_or(id);
        [id, name].iter().any(|n| {
            let n = n.trim().to_lowercase();
            n.starts_with("toc") || n.starts_with("table of contents")
        })
    }

    fn kind(&self, p: &ParaState) -> BlockKind {
        if p.outline.is_some_and(|l| l < 9) {
            return BlockKind::Heading;
        }
        let mut style = p.style.as_deref();
        let mut style_numbered = false;
        for _ in 0..MAX_STYLE_CHAIN {
            let Some(id) = style else { break };
            let def = self.by_id.get(id);
            let name = def.and_then(|d| d.name.as_deref()).unwrap_or(id);
            if is_heading_style(id)
                || is_heading_style(name)
                || def.is_some_and(|d| d.outline.is_some_and(|l| l < 9))
            {
                return BlockKind::Heading;
            }
            style_numbered |= def.is_some_and(|d| d.numbered);
            style = def.and_then(|d| d.based_on.as_deref());
        }
        if p.numbered.unwrap_or(style_numbered) {
            BlockKind::ListItem
        } else {
            BlockKind::Paragraph
        }
    }
}

/// Built-in style names are stored in English ("heading 1", "Title") even
/// in localized Word, while style ids may be localized ("berschrift1");
/// ids from other editors usually read "Heading1" or "heading 1".
fn is_heading_style(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    lower.starts_with("heading") || lower == "title"
}

fn parse_styles(xml: &str, deadline: Deadline) -> Result<Styles, IngestError> {
    let mut reader = NsReader::from_str(xml);
    let mut depth = Budget::new(deadline);
    let mut styles = Styles::default();
    let mut stack: Vec<El> = Vec::new();
    let mut current: Option<(String, StyleDef)> = None;
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(e) => return Err(malformed(FORMAT, STYLES, reader.error_position(), e)),
        };
        depth.track(&event, FORMAT, STYLES)?;
        let is_w = in_ns(&ns, W_NS) || in_ns(&ns, W_STRICT_NS);
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = e.local_name();
                let el = if is_w {
                    element(local.as_ref())
                } else {
                    El::Other
                };
                let parent = stack.last().copied();
                match (el, local.as_ref(), parent) {
                    (El::Style, _, _) => {
                        let paragraph = attr(e, b"type").is_none_or(|t| t == "paragraph");
                        current = match attr(e, b"styleId") {
                            Some(id) if paragraph => Some((id, StyleDef::default())),
                            _ => None,
                        };
                    }
                    (_, b"name", Some(El::Style)) if is_w => {
                        if let Some((_, d)) = current.as_mut() {
                            d.name = attr(e, b"val");
                        }
                    }
                    (_, b"basedOn", Some(El::Style)) if is_w => {
                        if let Some((_, d)) = current.as_mut() {
                            d.based_on = attr(e, b"val");
                        }
                    }
                    (_, b"outlineLvl", Some(El::PPr)) if is_w => {
                        if let Some((_, d)) = current.as_mut() {
                            d.outline = attr(e, b"val").and_then(|v| v.trim().parse().ok());
                        }
                    }
                    (_, b"numId", Some(El::NumPr)) if is_w => {
                        if let Some((_, d)) = current.as_mut() {
                            d.numbered = attr(e, b"val").is_some_and(|v| v.trim() != "0");
                        }
                    }
                    _ => {}
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(el);
                } else if el == El::Style {
                    finish_style(&mut styles, &mut current);
                }
            }
            Event::End(_) => {
                let closed = stack.pop();
                if closed == Some(El::Style) {
                    finish_style(&mut styles, &mut current);
                }
            }
            _ => {}
        }
    }
    Ok(styles)
}

fn finish_style(styles: &mut Styles, current: &mut Option<(String, StyleDef)>) {
    if let Some((id, def)) = current.take() {
        styles.by_id.insert(id, def);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::archive::test_zip;
    use crate::ingest::extract as extract_any;
    use crate::text::BlockKind::*;

    const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"
 xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
 xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>"#;
    const TAIL: &str =
        r#"<w:sectPr><w:pgSz w:w="12240" w:h="15840"/></w:sectPr></w:body></w:document>"#;

    fn docx(body: &str, styles: Option<&str>) -> Vec<u8> {
        let document = format!("{HEAD}{body}{TAIL}");
        let mut entries: Vec<(&str, &[u8])> = vec![
            ("[Content_Types].xml", b"<Types/>"),
            (DOCUMENT, document.as_bytes()),
            ("word/footnotes.xml", b"<w:footnotes xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:footnote w:id=\"1\"><w:p><w:r><w:t>FOOTNOTE TEXT</w:t></w:r></w:p></w:footnote></w:footnotes>"),
        ];
        if let Some(s) = styles {
            entries.push((STYLES, s.as_bytes()));
        }
        test_zip::build(&entries)
    }

    fn run(text: &str) -> String {
        format!(r#"<w:r><w:t xml:space="preserve">{text}</w:t></w:r>"#)
    }

    fn para(ppr: &str, runs: &str) -> String {
        format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
    }

    fn cell(text: &str) -> String {
        format!("<w:tc><w:tcPr/>{}</w:tc>", para("", &run(text)))
    }

    fn blocks_of(ex: &Extracted) -> Vec<(BlockKind, &str)> {
        ex.blocks
            .iter()
            .map(|b| (b.kind, &ex.text[b.span.clone()]))
            .collect()
    }

    fn sample() -> String {
        let mut body = String::new();
        body += &para(r#"<w:pStyle w:val="Heading1"/>"#, &run("Border Management"));
        body += &para(
            "",
            &format!(
                "{}<w:r><w:footnoteReference w:id=\"1\"/></w:r>{}<w:del w:id=\"9\" w:author=\"T\"><w:r><w:delText>REMOVED</w:delText></w:r></w:del>{}",
                run("The fence"),
                run(" changed"),
                run(" trade &amp; travel."),
            ),
        );
        body += &para(
            r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr>"#,
            &run("Attacks rose in KP"),
        );
        body += "<w:tbl><w:tblPr/><w:tblGrid/>";
        body += &format!(
            "<w:tr>{}{}{}</w:tr>",
            cell("Aspect"),
            cell("Before"),
            cell("After")
        );
        body += &format!(
            "<w:tr>{}{}{}</w:tr>",
            cell("TTP"),
            cell("Contained"),
            cell("Revived")
        );
        body += "</w:tbl>";
        body
    }

    #[test]
    fn heading_paragraph_list_table_footnote_and_deletion() {
        let ex = extract(&docx(&sample(), None), &Limits::default()).unwrap();
        assert_eq!(ex.format, Format::Docx);
        assert_eq!(
            ex.text,
            "Border Management\n\nThe fence changed trade & travel.\n\nAttacks rose in KP\n\nAspect\tBefore\tAfter\n\nTTP\tContained\tRevived\n"
        );
        assert_eq!(
            blocks_of(&ex),
            [
                (Heading, "Border Management"),
                (Paragraph, "The fence changed trade & travel."),
                (ListItem, "Attacks rose in KP"),
                (TableRow, "Aspect\tBefore\tAfter"),
                (TableRow, "TTP\tContained\tRevived"),
            ]
        );
        let cells: Vec<&str> = ex.blocks[4]
            .cells
            .iter()
            .map(|c| &ex.text[c.clone()])
            .collect();
        assert_eq!(cells, ["TTP", "Contained", "Revived"]);
        assert!(!ex.text.contains("REMOVED") && !ex.text.contains("FOOTNOTE"));
        assert!(!ex.origin.is_mapped());
        assert!(ex.warnings.is_empty());
    }

    #[test]
    fn extract_dispatches_docx_and_document_segments() {
        let ex = extract_any(Format::Docx, &docx(&sample(), None), &Limits::default()).unwrap();
        let doc = ex.into_document();
        assert_eq!(doc.blocks.len(), 5);
        assert_eq!(doc.block_section, vec![Some(0); 5]);
    }

    #[test]
    fn tabs_breaks_insertions_and_tracked_formatting() {
        // The pPrChange records the style before a tracked change; reading
        // it would demote the heading back to Normal.
        let body = concat!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading2"/><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs>"#,
            r#"<w:pPrChange w:id="1"><w:pPr><w:pStyle w:val="Normal"/></w:pPr></w:pPrChange></w:pPr>"#,
            r#"<w:r><w:t>One</w:t><w:tab/><w:t>two</w:t><w:br/><w:t>three</w:t></w:r>"#,
            r#"<w:ins w:id="2"><w:r><w:t xml:space="preserve"> added</w:t></w:r></w:ins>"#,
            r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t xml:space="preserve"> 7</w:t></w:r>"#,
            r#"<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#,
        );
        let ex = extract(&docx(body, None), &Limits::default()).unwrap();
        assert_eq!(ex.text, "One\ttwo\nthree added 7\n");
        assert_eq!(ex.blocks[0].kind, Heading);
    }

    #[test]
    fn localized_heading_styles_resolve_through_styles_xml() {
        let styles = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
<w:style w:type="paragraph" w:styleId="MeinTitel"><w:name w:val="Mein Titel"/><w:basedOn w:val="berschrift1"/></w:style>
<w:style w:type="paragraph" w:styleId="Aufzhlung"><w:name w:val="List Bullet"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Standard"><w:name w:val="Normal"/></w:style>
</w:styles>"#;
        let body = para(r#"<w:pStyle w:val="berschrift1"/>"#, &run("Einleitung"))
            + &para(r#"<w:pStyle w:val="MeinTitel"/>"#, &run("Abschnitt"))
            + &para(r#"<w:pStyle w:val="Aufzhlung"/>"#, &run("Punkt eins"))
            + &para(r#"<w:pStyle w:val="Standard"/>"#, &run("Text hier."))
            + &para(r#"<w:outlineLvl w:val="2"/>"#, &run("Outlined"))
            + &para(r#"<w:pStyle w:val="heading 3"/>"#, &run("Named"));
        let ex = extract(&docx(&body, Some(styles)), &Limits::default()).unwrap();
        let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(
            kinds,
            [Heading, Heading, ListItem, Paragraph, Heading, Heading]
        );
    }

    #[test]
    fn white_and_tiny_text_is_hidden_text() {
        let body = para(
            "",
            &(run("Shown")
                + r#"<w:r><w:rPr><w:color w:val="ffffff"/></w:rPr><w:t>white</w:t></w:r>"#
                + r#"<w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t>tiny</w:t></w:r>"#
                + r#"<w:r><w:rPr><w:color w:val="000000"/><w:sz w:val="8"/></w:rPr><w:t xml:space="preserve"> four points</w:t></w:r>"#),
        );
        let ex = extract(&docx(&body, None), &Limits::default()).unwrap();
        assert_eq!(ex.text, "Shown four points\n");
        assert!(
            ex.warnings[0].contains("9 characters of hidden text"),
            "{:?}",
            ex.warnings
        );
    }

    #[test]
    fn hidden_text_fallbacks_and_drawing_text_are_skipped() {
        let body = para(
            "",
            &(run("Visible")
                + r#"<w:r><w:rPr><w:vanish/></w:rPr><w:t>stuffing keywords</w:t></w:r>"#
                + r#"<w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve"> shown</w:t></w:r>"#
                + r#"<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Boxed</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#
                + r#"<w:r><w:drawing><a:p><a:r><a:t>chart label</a:t></a:r></a:p></w:drawing></w:r>"#),
        );
        let ex = extract(&docx(&body, None), &Limits::default()).unwrap();
        assert_eq!(ex.text, "Boxed\n\nVisible shown\n");
        assert_eq!(ex.warnings.len(), 1);
        assert!(
            ex.warnings[0].contains("16 characters of hidden text"),
            "{:?}",
            ex.warnings
        );
    }

    #[test]
    fn nested_and_layout_tables() {
        let inner = format!("<w:tbl><w:tr>{}{}</w:tr></w:tbl>", cell("in1"), cell("in2"));
        let body = format!(
            "<w:tbl><w:tr>{}<w:tc>{}{inner}</w:tc></w:tr></w:tbl><w:tbl><w:tr><w:tc>{}{}</w:tc></w:tr></w:tbl>",
            cell("outer"),
            para("", &run("left")),
            para(r#"<w:pStyle w:val="Heading1"/>"#, &run("Boxed Heading")),
            para("", &run("Boxed paragraph.")),
        );
        let ex = extract(&docx(&body, None), &Limits::default()).unwrap();
        assert_eq!(
            blocks_of(&ex),
            [
                (TableRow, "outer\tleft in1 in2"),
                (Heading, "Boxed Heading"),
                (Paragraph, "Boxed paragraph."),
            ]
        );
    }

    #[test]
    fn zip_bomb_fails_fast_at_the_cap() {
        let honest = test_zip::bomb(DOCUMENT, 200 * 1024 * 1024);
        // The same bomb claiming to inflate to 1 KB, so only the streaming
        // cap (not the declared size) can stop it.
        let mut lying = honest.clone();
        test_zip::lie_about_sizes(&mut lying, 1024);
        let limits = Limits {
            max_unpacked_bytes: 1024 * 1024,
            ..Limits::default()
        };
        for bomb in [honest, lying] {
            let started = std::time::Instant::now();
            let err = extract(&bomb, &limits).unwrap_err();
            assert!(started.elapsed() < std::time::Duration::from_secs(5));
            match err {
                IngestError::Document { format, reason } => {
                    assert_eq!(format, "docx");
                    assert!(reason.contains("decompressed size exceeds"), "{reason}");
                }
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn entry_just_over_the_cap_is_refused() {
        // (An entry whose header understates its size is tested in archive.rs.)
        let big = vec![b'x'; 3000];
        let zip = test_zip::build(&[(DOCUMENT, &big)]);
        let limits = Limits {
            max_unpacked_bytes: 2999,
            ..Limits::default()
        };
        let err = extract(&zip, &limits).unwrap_err();
        assert!(
            err.to_string().contains("decompressed size exceeds"),
            "{err}"
        );
    }

    #[test]
    fn not_a_zip_and_missing_document_are_clear_errors() {
        let err = extract(b"Just some text typed into a .docx", &Limits::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a valid docx document: not a Word document (not a zip archive)"
        );
        let zip = test_zip::build(&[("xl/workbook.xml", b"<workbook/>")]);
        let err = extract(&zip, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("no word/document.xml"), "{err}");
    }

    #[test]
    fn malformed_xml_is_an_error_not_a_panic() {
        for body in [
            "<w:p><w:r><w:t>open",
            "<w:p></w:r>",
            "<w:p><w:r><w:t>&#0;</w:t></w:r></w:p>",
        ] {
            let document = format!("{HEAD}{body}");
            let zip = test_zip::build(&[(DOCUMENT, document.as_bytes())]);
            match extract(&zip, &Limits::default()) {
                Err(IngestError::Document { .. }) | Ok(_) => {}
                Err(other) => panic!("{body}: {other:?}"),
            }
        }
        let zip = test_zip::build(&[(DOCUMENT, b"<w:document><w:body></w:body>")]);
        assert!(matches!(
            extract(&zip, &Limits::default()),
            Err(IngestError::Document { .. })
        ));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_panic() {
        let nest = |depth: usize| {
            "<w:sdt><w:sdtContent>".repeat(depth)
                + &para("", &run("deep"))
                + &"</w:sdtContent></w:sdt>".repeat(depth)
        };
        let ex = extract(&docx(&nest(2_000), None), &Limits::default()).unwrap();
        assert_eq!(ex.text, "deep\n");
        // Past quick-xml's u16 nesting counter, which panics on overflow.
        let err = extract(&docx(&nest(40_000), None), &Limits::default()).unwrap_err();
        assert!(
            err.to_string().contains("nests elements more than"),
            "{err}"
        );
        // Skipped subtrees count too.
        let deleted = "<w:del>".repeat(70_000);
        let err = extract(&docx(&deleted, None), &Limits::default()).unwrap_err();
        assert!(matches!(err, IngestError::Document { .. }), "{err}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        #[test]
        fn corrupted_docx_never_panics(
            flips in proptest::collection::vec((0usize..4096, 0u8..=255), 1..12),
            cut in proptest::option::of(0usize..4096),
        ) {
            let mut bytes = docx(&sample(), None);
            for (at, value) in flips {
                let len = bytes.len();
                bytes[at % len] = value;
            }
            if let Some(cut) = cut {
                bytes.truncate(cut.max(1));
            }
            let _ = extract(&bytes, &Limits::default());
        }

        #[test]
        fn tag_soup_never_panics(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "<w:p>", "</w:p>", "<w:r>", "</w:r>", "<w:t>", "</w:t>", "x y", "&amp;", "&#0;",
                "<w:tbl>", "</w:tbl>", "<w:tr>", "</w:tr>", "<w:tc>", "</w:tc>", "<w:del>",
                "</w:del>", "<w:tab/>", "<w:br/>", "<w:pPr>", "</w:pPr>", "<w:numPr>",
                "</w:numPr>", "<w:numId w:val=\"1\"/>", "<w:pStyle w:val=\"Heading1\"/>",
                "<mc:Fallback>", "</mc:Fallback>", "<w:rPr><w:vanish/></w:rPr>", "<",
            ]), 0..80)
        ) {
            let body: String = parts.concat();
            let _ = parse_document(&format!("{HEAD}{body}{TAIL}"), &Styles::default(), Deadline::start());
        }
    }

    #[test]
    fn tables_of_contents_are_skipped_in_every_form() {
        let field = |t: &str| format!(r#"<w:r><w:fldChar w:fldCharType="{t}"/></w:r>"#);
        let mut body = String::new();
        // A field TOC: begin, instruction, separate, entries, end.
        body += &para(
            r#"<w:pStyle w:val="TOCHeading"/>"#,
            &run("Contents Of This Essay"),
        );
        body += &para(
            "",
            &format!(
                r#"{}<w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h </w:instrText></w:r>{}{}"#,
                field("begin"),
                field("separate"),
                run("Introduction FIELDENTRY 1"),
            ),
        );
        body += &para(
            "",
            &format!("{}{}", run("Conclusion FIELDENTRY 2"), field("end")),
        );
        // A content-control TOC without a field.
        body += &format!(
            r#"<w:sdt><w:sdtPr><w:docPartObj><w:docPartGallery w:val="Table of Contents"/></w:docPartObj></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>"#,
            para("", &run("SDTENTRY Border 4"))
        );
        // Entries typed in TOC styles.
        body += &para(r#"<w:pStyle w:val="TOC1"/>"#, &run("STYLEDENTRY 5"));
        // Other fields (a page number) keep their result.
        body += &para(
            "",
            &format!(
                r#"{}{}<w:r><w:instrText> PAGE </w:instrText></w:r>{}{}{}"#,
                run("The TTP returned in force after 2021, and "),
                field("begin"),
                field("separate"),
                run("7"),
                field("end"),
            ),
        );
        let ex = extract(&docx(&body, None), &Limits::default()).unwrap();
        assert_eq!(
            blocks_of(&ex),
            [(Paragraph, "The TTP returned in force after 2021, and 7")]
        );
    }

    #[test]
    fn pasted_and_bold_headings_without_styles_are_headings() {
        let mut body = String::new();
        body += &para("", &run("Introduction"));
        body += &para(
            "",
            r#"<w:r><w:rPr><w:b/></w:rPr><w:t>The Revival of the TTP</w:t></w:r>"#,
        );
        body += &para(
            "",
            &run("Prison gates were opened in August 2021 and commanders walked free."),
        );
        let ex = extract(&docx(&body, None), &Limits::default()).unwrap();
        let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [Heading, Heading, Paragraph]);
    }
}
