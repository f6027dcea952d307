//! .odt (OpenDocument text) extraction from `content.xml`: `text:h`
//! headings, `text:p` paragraphs, paragraphs in `text:list-item` as list
//! items, and `table:table-row` rows. Footnotes (`text:note`), comments
//! (`office:annotation`) and the deleted text kept in `text:tracked-changes`
//! are skipped. Positions refer to the extracted text.
//!
//! Hidden text is left out with a warning, as in .docx: a section or
//! paragraph with `text:display="none"`, a `text:hidden-paragraph` that is
//! hidden, and text whose automatic style (or its parent chain) hides it,
//! colours it white or sets it under 4 pt — a model answer pasted in white
//! 1-point text must not be graded.

use super::archive::{xml_text, Archive};
use super::builder::{Para, Tables, TextBuilder};
use super::odt_style::{OdtStyles, BASE_POINTS};
use super::xml::{attr, char_data, in_ns, is_budget, malformed, Budget, Deadline};
use super::{all_hidden, hidden_warning, Extracted, Format, IngestError, Limits};
use crate::text::{BlockKind, Origin};
use quick_xml::events::Event;
use quick_xml::NsReader;
use std::collections::HashMap;

const FORMAT: &str = "odt";
const CONTENT: &str = "content.xml";
const STYLES: &str = "styles.xml";
const TEXT_MIME: &str = "application/vnd.oasis.opendocument.text";
const TEXT_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:text:1.0";
const TABLE_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0";
const OFFICE_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:office:1.0";
const STYLE_NS: &[u8] = b"urn:oasis:names:tc:opendocument:xmlns:style:1.0";

/// Extract an .odt held in memory.
pub(crate) fn extract(bytes: &[u8], limits: &Limits) -> Result<Extracted, IngestError> {
    let mut archive = Archive::open(bytes, FORMAT, "an OpenDocument text", limits)?;
    // The mimetype entry is what tells .odt from .ods/.odp, which share
    // the container and would otherwise read as an empty essay.
    if let Some(mime) = archive.read("mimetype")? {
        let mime = String::from_utf8_lossy(&mime);
        if !mime.trim().starts_with(TEXT_MIME) {
            return Err(IngestError::Document {
                format: FORMAT,
                reason: format!(
                    "not a text document (its type is {})",
                    mime.trim().chars().take(80).collect::<String>()
                ),
            });
        }
    }
    // A password-protected .odt keeps its container but encrypts the
    // parts; the manifest says so, in the clear.
    if let Some(manifest) = archive.read("META-INF/manifest.xml")? {
        if memchr::memmem::find(&manifest, b"encryption-data").is_some() {
            return Err(IngestError::Protected("OpenDocument file"));
        }
    }
    let content = archive
        .read(CONTENT)?
        .ok_or_else(|| IngestError::Document {
            format: FORMAT,
            reason: format!("the archive has no {CONTENT} (is it an OpenDocument text?)"),
        })?;
    let deadline = Deadline::start();
    // Common styles and family defaults live in styles.xml; a broken one
    // is ignored (running out of a budget in it is not).
    let mut styles = OdtStyles::default();
    if let Some(bytes) = archive.read(STYLES)? {
        match xml_text(FORMAT, STYLES, &bytes)
            .and_then(|xml| parse_styles(xml, &mut styles, deadline))
        {
            Ok(()) => {}
            Err(e) if is_budget(&e) => return Err(e),
            Err(_) => styles = OdtStyles::default(),
        }
    }
    let (text, blocks, hidden) =
        parse_content(xml_text(FORMAT, CONTENT, &content)?, styles, deadline)?;
    let origin = Origin::identity(&text);
    let mut warnings = Vec::new();
    if hidden > 0 {
        if text.trim().is_empty() {
            return Err(all_hidden(FORMAT, hidden));
        }
        warnings.push(hidden_warning(hidden));
    }
    Ok(Extracted {
        text,
        blocks,
        origin,
        format: Format::Odt,
        warnings,
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum El {
    /// `text:p` or `text:h`.
    Para,
    ListItem,
    Table,
    Row,
    Cell,
    /// Any other element of the text namespace (spans, links, fields):
    /// its character data is paragraph text.
    Inline,
    Other,
}

#[derive(Debug)]
struct ParaState {
    kind: BlockKind,
    text: String,
    /// A `text:hidden-paragraph` said so: the whole paragraph is dropped.
    hidden: bool,
    /// Its font size and whether it has a background, for its spans.
    points: f64,
    shaded: bool,
}

/// Read the styles of `styles.xml` into `styles`.
fn parse_styles(xml: &str, styles: &mut OdtStyles, deadline: Deadline) -> Result<(), IngestError> {
    let mut reader = NsReader::from_str(xml);
    let mut budget = Budget::new(deadline);
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(e) => return Err(malformed(FORMAT, STYLES, reader.error_position(), e)),
        };
        budget.track(&event, FORMAT, STYLES)?;
        let is_style = in_ns(&ns, STYLE_NS);
        match event {
            Event::Eof => return Ok(()),
            Event::Start(ref e) if is_style => styles.start(e.local_name().as_ref(), e, true),
            Event::Empty(ref e) if is_style => styles.start(e.local_name().as_ref(), e, false),
            Event::End(ref e) if is_style => styles.end(e.local_name().as_ref()),
            _ => {}
        }
    }
}

fn parse_content(
    xml: &str,
    mut styles: OdtStyles,
    deadline: Deadline,
) -> Result<(String, Vec<crate::text::Block>, usize), IngestError> {
    let mut reader = NsReader::from_str(xml);
    let mut depth = Budget::new(deadline);
    let mut out = TextBuilder::default();
    let mut stack: Vec<El> = Vec::new();
    // Paragraphs nest when a frame or text box is anchored in a paragraph.
    let mut paras: Vec<ParaState> = Vec::new();
    let mut list_depth = 0usize;
    let mut tables = Tables::default();
    let mut skip_depth = 0usize;
    // Whether the element being skipped is hidden text (counted for the
    // warning) rather than notes or comments.
    let mut skipping_hidden = false;
    let mut hidden_chars = 0usize;

    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(e) => return Err(malformed(FORMAT, CONTENT, reader.error_position(), e)),
        };
        depth.track(&event, FORMAT, CONTENT)?;
        let is_text = in_ns(&ns, TEXT_NS);
        let is_table = in_ns(&ns, TABLE_NS);
        let is_office = in_ns(&ns, OFFICE_NS);
        let is_style = in_ns(&ns, STYLE_NS);
        match event {
            Event::Eof => break,
            Event::Start(_) if skip_depth > 0 => skip_depth += 1,
            Event::End(_) if skip_depth > 0 => skip_depth -= 1,
            Event::Empty(_) if skip_depth > 0 => {}
            ref ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))
                if skip_depth > 0 =>
            {
                if let Some(data) = char_data(ev).filter(|_| skipping_hidden) {
                    hidden_chars += data.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(event, Event::Start(_));
                let local = e.local_name();
                let local = local.as_ref();
                // Generated indexes (a table of contents) repeat headings
                // the essay already has; counting them twice inflates matches.
                let skip = (is_text
                    && (matches!(local, b"note" | b"tracked-changes" | b"table-of-content")
                        || local.ends_with(b"-index")))
                    || (is_office && local == b"annotation");
                // Hidden sections, paragraphs and spans are skipped whole.
                let style_name = || attr(e, b"style-name");
                let mut para_look = None;
                let hidden = is_text
                    && match local {
                        b"section" | b"p" | b"h" | b"span"
                            if attr(e, b"display").is_some_and(|v| v.trim() == "none") =>
                        {
                            true
                        }
                        b"section" => styles
                            .resolve("section", style_name().as_deref(), BASE_POINTS)
                            .hides(false),
                        b"p" | b"h" => {
                            let r =
                                styles.resolve("paragraph", style_name().as_deref(), BASE_POINTS);
                            para_look = Some(r);
                            r.hides(false)
                        }
                        b"span" => {
                            let (base, shaded) = paras
                                .last()
                                .map_or((BASE_POINTS, false), |p| (p.points, p.shaded));
                            styles
                                .resolve("text", style_name().as_deref(), base)
                                .hides(shaded)
                        }
                        _ => false,
                    };
                if skip || hidden {
                    if is_start {
                        skip_depth = 1;
                        skipping_hidden = hidden;
                    }
                    continue;
                }
                if is_text && local == b"hidden-paragraph" {
                    let shown = attr(e, b"is-hidden").is_some_and(|v| v.trim() == "false");
                    if let Some(p) = paras.last_mut() {
                        p.hidden |= !shown;
                    }
                }
                let el = match local {
                    b"p" | b"h" if is_text => El::Para,
                    b"list-item" if is_text => El::ListItem,
                    b"table" if is_table => El::Table,
                    b"table-row" if is_table => El::Row,
                    b"table-cell" if is_table => El::Cell,
                    _ if is_text => El::Inline,
                    _ => El::Other,
                };
                match el {
                    El::Para => {
                        let kind = if local == b"h" || is_heading_style(e, &styles.parents) {
                            BlockKind::Heading
                        } else if list_depth > 0 {
                            BlockKind::ListItem
                        } else {
                            BlockKind::Paragraph
                        };
                        let look = para_look
                            .unwrap_or_else(|| styles.resolve("paragraph", None, BASE_POINTS));
                        paras.push(ParaState {
                            kind,
                            text: String::new(),
                            hidden: false,
                            points: look.points,
                            shaded: look.shaded,
                        });
                    }
                    El::ListItem => list_depth += 1,
                    El::Table => tables.open_table(),
                    El::Row => tables.open_row(),
                    El::Cell => tables.open_cell(),
                    El::Inline => {
                        if let Some(p) = paras.last_mut() {
                            match local {
                                b"s" => {
                                    // Explicit spaces; the count is capped
                                    // so a hostile `text:c` cannot allocate.
                                    let n = attr(e, b"c")
                                        .and_then(|c| c.trim().parse::<usize>().ok())
                                        .unwrap_or(1)
                                        .clamp(1, 64);
                                    p.text.extend(std::iter::repeat_n(' ', n));
                                }
                                b"tab" => p.text.push('\t'),
                                b"line-break" => p.text.push('\n'),
                                _ => {}
                            }
                        }
                    }
                    El::Other if is_style => styles.start(local, e, is_start),
                    _ => {}
                }
                if is_start {
                    stack.push(el);
                } else {
                    close(
                        el,
                        &mut paras,
                        &mut tables,
                        &mut list_depth,
                        &mut out,
                        &mut hidden_chars,
                    );
                }
            }
            Event::End(ref e) => {
                if in_ns(&ns, STYLE_NS) {
                    styles.end(e.local_name().as_ref());
                }
                let el = stack.pop().unwrap_or(El::Other);
                close(
                    el,
                    &mut paras,
                    &mut tables,
                    &mut list_depth,
                    &mut out,
                    &mut hidden_chars,
                );
                if out.full() {
                    return Err(IngestError::TooManyBlocks {
                        what: "paragraphs",
                        limit: super::MAX_BLOCKS,
                    });
                }
            }
            ref ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))
                if skip_depth == 0 && matches!(stack.last(), Some(El::Para | El::Inline)) =>
            {
                if let (Some(data), Some(p)) = (char_data(ev), paras.last_mut()) {
                    push_collapsed(&mut p.text, &data);
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        return Err(IngestError::Document {
            format: FORMAT,
            reason: format!("{CONTENT} ends inside an element (truncated?)"),
        });
    }
    let (text, blocks) = out.finish();
    Ok((text, blocks, hidden_chars))
}

fn close(
    el: El,
    paras: &mut Vec<ParaState>,
    tables: &mut Tables,
    list_depth: &mut usize,
    out: &mut TextBuilder,
    hidden_chars: &mut usize,
) {
    match el {
        El::Para => {
            let Some(p) = paras.pop() else { return };
            if p.hidden {
                *hidden_chars += p.text.chars().filter(|c| !c.is_whitespace()).count();
                return;
            }
            let para = Para {
                kind: p.kind,
                text: p.text,
            };
            tables.paragraph(para, out);
        }
        El::ListItem => *list_depth = list_depth.saturating_sub(1),
        El::Row => tables.close_row(out),
        El::Table => tables.close_table(out),
        _ => {}
    }
}

/// ODF collapses runs of white space in character data to one space, as
/// HTML does; intended spacing is spelled `text:s`, `text:tab` and
/// `text:line-break`.
fn push_collapsed(out: &mut String, data: &str) {
    for c in data.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !out.is_empty() && !out.ends_with(' ') {
                out.push(' ');
            }
        } else {
            out.push(c);
        }
    }
}

/// Paragraph styles named like "Title" or "Heading 1" (ODF spells spaces
/// in style names as `_20_`), directly or through an automatic style.
fn is_heading_style(
    e: &quick_xml::events::BytesStart<'_>,
    parents: &HashMap<String, String>,
) -> bool {
    let Some(name) = attr(e, b"style-name") else {
        return false;
    };
    let name = parents.get(&name).cloned().unwrap_or(name);
    let lower = name.replace("_20_", " ").to_lowercase();
    lower == "title" || lower.starts_with("heading")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::archive::test_zip;
    use crate::text::BlockKind::*;

    fn odt(body: &str) -> Vec<u8> {
        let content = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/">
<office:automatic-styles><style:style style:name="P1" style:family="paragraph" style:parent-style-name="Title"/></office:automatic-styles>
<office:body><office:text><text:sequence-decls><text:sequence-decl text:display-outline-level="0" text:name="Table"/></text:sequence-decls>{body}</office:text></office:body></office:document-content>"#
        );
        test_zip::build(&[
            ("mimetype", TEXT_MIME.as_bytes()),
            (CONTENT, content.as_bytes()),
        ])
    }

    fn blocks_of(ex: &Extracted) -> Vec<(BlockKind, &str)> {
        ex.blocks
            .iter()
            .map(|b| (b.kind, &ex.text[b.span.clone()]))
            .collect()
    }

    #[test]
    fn hidden_white_and_tiny_text_is_left_out_with_a_warning() {
        let content = r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:automatic-styles>
<style:style style:name="Gone" style:family="text"><style:text-properties text:display="none"/></style:style>
<style:style style:name="White" style:family="text"><style:text-properties fo:color="#FFFFFF"/></style:style>
<style:style style:name="Tiny" style:family="paragraph"><style:text-properties fo:font-size="1pt"/></style:style>
<style:style style:name="TinyToo" style:family="paragraph" style:parent-style-name="Tiny"/>
<style:style style:name="Big" style:family="text"><style:text-properties fo:font-size="12pt" fo:color="#000000"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:p>Shown <text:span text:style-name="Gone">gone</text:span><text:span text:style-name="White">white</text:span><text:span text:style-name="Big">big</text:span></text:p>
<text:p text:style-name="TinyToo">tiny paragraph</text:p>
<text:section text:name="S" text:display="none"><text:p>hidden section</text:p></text:section>
<text:p><text:hidden-paragraph text:condition="ooow:1" text:is-hidden="true"/>hidden paragraph</text:p>
<text:p>Last</text:p>
</office:text></office:body></office:document-content>"##;
        let bytes = test_zip::build(&[
            ("mimetype", TEXT_MIME.as_bytes()),
            (CONTENT, content.as_bytes()),
        ]);
        let ex = extract(&bytes, &Limits::default()).unwrap();
        assert_eq!(ex.text, "Shown big\n\nLast\n");
        assert_eq!(
            ex.warnings,
            ["ignored 50 characters of hidden text (formatted as hidden, white, or smaller than 4 pt)"]
        );
    }

    #[test]
    fn styles_xml_percentages_near_white_and_backgrounds() {
        let styles = r##"<office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:styles>
<style:default-style style:family="paragraph"><style:text-properties fo:font-size="12pt"/></style:default-style>
<style:style style:name="Fine_20_Print" style:family="paragraph"><style:text-properties fo:font-size="1%"/></style:style>
<style:style style:name="Gone" style:family="paragraph"><style:paragraph-properties text:display="none"/></style:style>
<style:style style:name="Inked" style:family="paragraph"><style:paragraph-properties fo:background-color="#000080"/></style:style>
</office:styles></office:document-styles>"##;
        let content = r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:automatic-styles>
<style:style style:name="P1" style:family="paragraph" style:parent-style-name="Fine_20_Print"/>
<style:style style:name="T1" style:family="text"><style:text-properties fo:color="#fefefe"/></style:style>
<style:style style:name="T2" style:family="text"><style:text-properties fo:font-size="20%"/></style:style>
</office:automatic-styles>
<office:body><office:text>
<text:p>Shown <text:span text:style-name="T1">pale</text:span><text:span text:style-name="T2">small</text:span></text:p>
<text:p text:style-name="P1">one percent</text:p>
<text:p text:style-name="Gone">gone</text:p>
<text:p text:style-name="Inked">Light <text:span text:style-name="T1">on navy</text:span></text:p>
</office:text></office:body></office:document-content>"##;
        let bytes = test_zip::build(&[
            ("mimetype", TEXT_MIME.as_bytes()),
            (STYLES, styles.as_bytes()),
            (CONTENT, content.as_bytes()),
        ]);
        let ex = extract(&bytes, &Limits::default()).unwrap();
        assert_eq!(ex.text, "Shown\n\nLight on navy\n");
        assert_eq!(ex.warnings, [hidden_warning(4 + 5 + 10 + 4)]);
    }

    #[test]
    fn headings_paragraphs_lists_tables_notes_and_changes() {
        let body = concat!(
            r#"<text:p text:style-name="P1">Essay Title</text:p>"#,
            r#"<text:table-of-content><text:index-body><text:p>TOC Border Management 1</text:p></text:index-body></text:table-of-content>"#,
            r#"<text:h text:outline-level="1">Border <text:span text:style-name="T1">Management</text:span></text:h>"#,
            "<text:p>The fence\n   changed<text:s text:c=\"2\"/>trade<text:tab/>&amp; travel",
            r#"<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>FOOTNOTE</text:p></text:note-body></text:note>."#,
            r#"<office:annotation><dc:creator>T</dc:creator><text:p>COMMENT</text:p></office:annotation></text:p>"#,
            r#"<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><text:p>DELETED</text:p></text:deletion></text:changed-region></text:tracked-changes>"#,
            r#"<text:list><text:list-item><text:p>Attacks rose</text:p><text:list><text:list-item><text:p>in KP</text:p></text:list-item></text:list></text:list-item></text:list>"#,
            r#"<table:table table:name="T"><table:table-column table:number-columns-repeated="3"/>"#,
            r#"<table:table-row><table:table-cell><text:p>Aspect</text:p></table:table-cell><table:table-cell><text:p>Before</text:p></table:table-cell><table:table-cell><text:p>After</text:p></table:table-cell></table:table-row>"#,
            r#"<table:table-row><table:table-cell><text:p>TTP</text:p></table:table-cell><table:table-cell><text:p>Contained</text:p></table:table-cell><table:table-cell table:number-columns-repeated="1000"><text:p>Revived</text:p></table:table-cell></table:table-row>"#,
            r#"</table:table><text:p>After <draw:frame><svg:desc>picture alt</svg:desc><draw:text-box><text:p>Boxed</text:p></draw:text-box></draw:frame>the table.</text:p>"#,
        );
        let ex = extract(&odt(body), &Limits::default()).unwrap();
        assert_eq!(ex.format, Format::Odt);
        assert_eq!(
            blocks_of(&ex),
            [
                (Heading, "Essay Title"),
                (Heading, "Border Management"),
                (Paragraph, "The fence changed  trade\t& travel."),
                (ListItem, "Attacks rose"),
                (ListItem, "in KP"),
                (TableRow, "Aspect\tBefore\tAfter"),
                (TableRow, "TTP\tContained\tRevived"),
                (Heading, "Boxed"), // a one-word stand-alone paragraph, as in .txt
                (Paragraph, "After the table."),
            ]
        );
        for gone in ["FOOTNOTE", "COMMENT", "DELETED", "picture", "TOC"] {
            assert!(!ex.text.contains(gone), "{gone}");
        }
        assert_eq!(ex.blocks[6].cells.len(), 3);
    }

    #[test]
    fn other_opendocument_types_and_bad_archives_are_rejected() {
        let zip = test_zip::build(&[
            (
                "mimetype",
                b"application/vnd.oasis.opendocument.spreadsheet",
            ),
            (CONTENT, b"<x/>"),
        ]);
        let err = extract(&zip, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("spreadsheet"), "{err}");
        let err = extract(b"plain words", &Limits::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("not an OpenDocument text (not a zip archive)"),
            "{err}"
        );
        let zip = test_zip::build(&[("mimetype", TEXT_MIME.as_bytes())]);
        let err = extract(&zip, &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("no content.xml"), "{err}");
    }

    #[test]
    fn odt_zip_bomb_hits_the_cap() {
        let bomb = test_zip::bomb(CONTENT, 8 * 1024 * 1024);
        let limits = Limits {
            max_unpacked_bytes: 64 * 1024,
            ..Limits::default()
        };
        let err = extract(&bomb, &limits).unwrap_err();
        assert!(
            err.to_string().contains("decompressed size exceeds"),
            "{err}"
        );
    }

    #[test]
    fn huge_space_counts_are_capped() {
        let ex = extract(
            &odt(r#"<text:p>a<text:s text:c="999999999999"/>b</text:p>"#),
            &Limits::default(),
        )
        .unwrap();
        assert!(ex.text.len() < 100);
    }
}
