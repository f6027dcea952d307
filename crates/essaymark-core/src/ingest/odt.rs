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
use super::xml::{attr, char_data, in_ns, malformed, Budget, Deadline};
use super::{Extracted, Format, IngestError, Limits};
use crate::text::{BlockKind, Origin};
use quick_xml::events::Event;
use quick_xml::NsReader;
use std::collections::HashMap;

const FORMAT: &str = "odt";
const CONTENT: &str = "content.xml";
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
    let content = archive
        .read(CONTENT)?
        .ok_or_else(|| IngestError::Document {
            format: FORMAT,
            reason: format!("the archive has no {CONTENT} (is it an OpenDocument text?)"),
        })?;
    let (text, blocks, hidden) = parse_content(xml_text(FORMAT, CONTENT, &content)?)?;
    let origin = Origin::identity(&text);
    let mut warnings = Vec::new();
    if hidden > 0 {
        warnings.push(format!(
            "ignored {hidden} characters of hidden text (formatted as hidden, white, or smaller than 4 pt)"
        ));
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
}

/// An automatic style: its parent, and whether it hides its text itself.
#[derive(Debug, Default)]
struct StyleInfo {
    parent: Option<String>,
    hides: bool,
}

/// Whether the style `name` (or a parent) hides text; parent chains are
/// followed a bounded number of steps, so a cycle cannot loop.
fn style_hides(styles: &HashMap<String, StyleInfo>, name: &str) -> bool {
    let mut name = name;
    for _ in 0..16 {
        let Some(s) = styles.get(name) else {
            return false;
        };
        if s.hides {
            return true;
        }
        match &s.parent {
            Some(p) => name = p,
            None => return false,
        }
    }
    false
}

/// Whether style properties make text unreadable: `text:display="none"`
/// (or `fo:display`), white (`fo:color="#ffffff"`) or under 4 pt.
fn properties_hide(e: &quick_xml::events::BytesStart<'_>) -> bool {
    let none = |k: &[u8]| attr(e, k).is_some_and(|v| v.trim() == "none");
    let white = attr(e, b"color").is_some_and(|v| {
        let v = v.trim().to_ascii_lowercase();
        v == "#ffffff" || v == "#fff" || v == "white"
    });
    let tiny = attr(e, b"font-size").is_some_and(|v| font_points(&v).is_some_and(|pt| pt < 4.0));
    none(b"display") || white || tiny
}

/// A length as ODF writes font sizes (`12pt`, `0.5cm`, `3mm`, `0.1in`),
/// in points; a percentage or anything else is `None`.
fn font_points(v: &str) -> Option<f64> {
    let v = v.trim();
    let split = v.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = v.split_at(split);
    let n: f64 = n.trim().parse().ok()?;
    let per = match unit {
        "pt" => 1.0,
        "pc" => 12.0,
        "in" => 72.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "px" => 0.75,
        _ => return None,
    };
    Some(n * per)
}

fn parse_content(xml: &str) -> Result<(String, Vec<crate::text::Block>, usize), IngestError> {
    let mut reader = NsReader::from_str(xml);
    let mut depth = Budget::new(Deadline::start());
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
    // Automatic style name → its parent style, to see headings styled as
    // "Title" through an automatic "P1".
    let mut parents: HashMap<String, String> = HashMap::new();
    let mut styles: HashMap<String, StyleInfo> = HashMap::new();
    // The `style:style` being read, if any.
    let mut current_style: Option<String> = None;

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
                let hidden = is_text
                    && matches!(local, b"section" | b"p" | b"h" | b"span")
                    && (attr(e, b"display").is_some_and(|v| v.trim() == "none")
                        || attr(e, b"style-name").is_some_and(|n| style_hides(&styles, &n)));
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
                        let kind = if local == b"h" || is_heading_style(e, &parents) {
                            BlockKind::Heading
                        } else if list_depth > 0 {
                            BlockKind::ListItem
                        } else {
                            BlockKind::Paragraph
                        };
                        paras.push(ParaState {
                            kind,
                            text: String::new(),
                            hidden: false,
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
                    El::Other if is_style && local == b"style" => {
                        let name = attr(e, b"name");
                        let parent = attr(e, b"parent-style-name");
                        if let (Some(name), Some(parent)) = (&name, &parent) {
                            parents.insert(name.clone(), parent.clone());
                        }
                        if let Some(name) = &name {
                            styles.insert(
                                name.clone(),
                                StyleInfo {
                                    parent,
                                    hides: false,
                                },
                            );
                        }
                        current_style = if is_start { name } else { None };
                    }
                    El::Other
                        if is_style
                            && matches!(local, b"text-properties" | b"paragraph-properties")
                            && properties_hide(e) =>
                    {
                        if let Some(s) = current_style.as_ref().and_then(|n| styles.get_mut(n)) {
                            s.hides = true;
                        }
                    }
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
                if in_ns(&ns, STYLE_NS) && e.local_name().as_ref() == b"style" {
                    current_style = None;
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
