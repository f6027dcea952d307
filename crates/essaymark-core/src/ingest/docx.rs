//! .docx (Word) extraction: the body of `word/document.xml` as paragraphs,
//! headings, list items and table rows, with paragraph styles resolved
//! through `word/styles.xml`. Footnotes, endnotes, comments, headers and
//! footers live in other parts and are never read; deleted tracked changes,
//! hidden text and compatibility fallbacks are skipped so each word of the
//! visible document is graded once. Positions refer to the extracted text.
//!
//! Hidden text is whatever Word would not show readably: hidden, white or
//! near-white (directly, through a theme colour, or a transparent fill),
//! or under 4 pt, whether set on the run, its character style, its
//! paragraph style, its table style or the document defaults (each style
//! through its `basedOn` chain), and drawings and VML shapes marked hidden.
//! White text on a shaded run, paragraph or cell is readable, so kept.

use super::archive::{xml_text, Archive};
use super::builder::{Para, Tables, TextBuilder};
use super::docx_look::{apply_fill, apply_run_property, parse_theme, shading_is_dark, Look, Theme};
use super::xml::{attr, char_data, in_ns, is_budget, malformed, Budget, Deadline};
use super::{all_hidden, hidden_warning, Extracted, Format, IngestError, Limits};
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
    // The theme and the styles refine headings, lists and hidden text; a
    // document without them (or with broken ones) still reads, with style
    // ids taken at face value. Running out of a budget is still an error.
    let theme = match archive.read(super::docx_look::THEME)? {
        Some(bytes) => match xml_text(FORMAT, super::docx_look::THEME, &bytes)
            .and_then(|xml| parse_theme(xml, deadline))
        {
            Ok(theme) => theme,
            Err(e) if is_budget(&e) => return Err(e),
            Err(_) => Theme::default(),
        },
        None => Theme::default(),
    };
    let styles = match archive.read(STYLES)? {
        Some(bytes) => match xml_text(FORMAT, STYLES, &bytes)
            .and_then(|xml| parse_styles(xml, &theme, deadline))
        {
            Ok(styles) => styles,
            Err(e) if is_budget(&e) => return Err(e),
            Err(_) => Styles::default(),
        },
        None => Styles::default(),
    };
    let body = parse_document(
        xml_text(FORMAT, DOCUMENT, &document)?,
        &styles,
        &theme,
        deadline,
    )?;
    let mut warnings = Vec::new();
    if body.hidden_chars > 0 {
        if body.text.trim().is_empty() {
            return Err(all_hidden(FORMAT, body.hidden_chars));
        }
        warnings.push(hidden_warning(body.hidden_chars));
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
    TblPr,
    Tr,
    Tc,
    TcPr,
    Style,
    RPrDefault,
    Sdt,
    InstrText,
    /// A drawing's `wp:anchor` or `wp:inline`.
    Anchor,
    /// `w14:textFill` inside a run's properties.
    TextFill,
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
        b"tblPr" => El::TblPr,
        b"tr" => El::Tr,
        b"tc" => El::Tc,
        b"tcPr" => El::TcPr,
        b"style" => El::Style,
        b"rPrDefault" => El::RPrDefault,
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

/// A VML shape or text box styled `visibility:hidden` or `display:none`.
fn css_hides(e: &BytesStart<'_>) -> bool {
    attr(e, b"style").is_some_and(|s| {
        let s: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        s.split(';')
            .any(|d| d == "visibility:hidden" || d == "display:none")
    })
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
    /// The paragraph's own shading (`w:pPr/w:shd`).
    shaded: bool,
}

/// One open run: its direct formatting and character style.
#[derive(Debug, Default, Clone, Copy)]
struct RunState {
    direct: Look,
    style: Look,
    /// An enclosing run (of a text box's anchor) is hidden.
    outer_hidden: bool,
}

/// One open table: its style's formatting, and whether each open cell is
/// shaded.
#[derive(Debug, Default)]
struct TableState {
    look: Look,
    cells: Vec<bool>,
}

#[derive(Debug, Default)]
struct Body {
    text: String,
    blocks: Vec<crate::text::Block>,
    hidden_chars: usize,
}

/// The formatting in force where the walk is.
struct Cascade<'a> {
    styles: &'a Styles,
    paras: &'a [ParaState],
    runs: &'a [RunState],
    tables: &'a [TableState],
}

impl Cascade<'_> {
    /// The resolved formatting of the innermost run, and whether something
    /// behind it is shaded.
    fn run_look(&self) -> (Look, bool) {
        let mut base = self.styles.defaults;
        if let Some(t) = self.tables.last() {
            base = t.look.style_over(base);
        }
        let para = self.paras.last();
        base = self
            .styles
            .paragraph_look(para.and_then(|p| p.style.as_deref()))
            .style_over(base);
        let look = match self.runs.last() {
            Some(run) => run.direct.over(run.style.style_over(base)),
            None => base,
        };
        let shaded = para.is_some_and(|p| p.shaded)
            || self
                .tables
                .last()
                .and_then(|t| t.cells.last())
                .is_some_and(|&s| s);
        (look, shaded)
    }

    fn run_hidden(&self) -> bool {
        let (look, shaded) = self.run_look();
        self.runs.last().is_some_and(|r| r.outer_hidden) || look.hides(shaded)
    }
}

fn parse_document(
    xml: &str,
    styles: &Styles,
    theme: &Theme,
    deadline: Deadline,
) -> Result<Body, IngestError> {
    let mut reader = NsReader::from_str(xml);
    let mut budget = Budget::new(deadline);
    let mut out = TextBuilder::default();
    let mut stack: Vec<El> = Vec::new();
    // Paragraphs nest when a text box sits inside a paragraph's run.
    let mut paras: Vec<ParaState> = Vec::new();
    let mut runs: Vec<RunState> = Vec::new();
    let mut table_looks: Vec<TableState> = Vec::new();
    // Only the outermost table's rows and cells are kept; a nested table's
    // paragraphs flow into the enclosing cell.
    let mut tables = Tables::default();
    let mut skip_depth = 0usize;
    // Whether the subtree being skipped is hidden text (counted for the
    // warning), and whether the walk is in one of its `t` elements.
    let mut skipping_hidden = false;
    let mut in_hidden_t = false;
    let mut hidden_chars = 0usize;
    let mut toc = Toc::default();
    // Where an open `w14:textFill` sits in `stack`.
    let mut fill_at: Option<usize> = None;

    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(e) => return Err(malformed(FORMAT, DOCUMENT, reader.error_position(), e)),
        };
        budget.track(&event, FORMAT, DOCUMENT)?;
        let is_w = in_ns(&ns, W_NS) || in_ns(&ns, W_STRICT_NS);
        let is_mc = in_ns(&ns, MC_NS);
        match event {
            Event::Eof => break,
            Event::Start(ref e) if skip_depth > 0 => {
                skip_depth += 1;
                in_hidden_t = skipping_hidden && e.local_name().as_ref() == b"t";
            }
            Event::End(_) if skip_depth > 0 => {
                skip_depth -= 1;
                in_hidden_t = false;
            }
            Event::Empty(_) if skip_depth > 0 => {}
            ref ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_))
                if skip_depth > 0 =>
            {
                if let Some(data) = char_data(ev).filter(|_| in_hidden_t) {
                    hidden_chars += data.chars().filter(|c| !c.is_whitespace()).count();
                }
            }
            Event::Start(ref e) | Event::Empty(ref e) => {
                let is_start = matches!(event, Event::Start(_));
                let local = e.local_name();
                let local = local.as_ref();
                let hidden_shape = !is_w && css_hides(e);
                if skipped(is_w, is_mc, local) || hidden_shape {
                    if is_start {
                        skip_depth = 1;
                        skipping_hidden = hidden_shape;
                    }
                    continue;
                }
                // A drawing marked hidden (`wp:docPr hidden="1"`): the rest
                // of its anchor, text boxes included, is skipped.
                if !is_w
                    && local == b"docPr"
                    && stack.last() == Some(&El::Anchor)
                    && attr(e, b"hidden").is_some_and(|v| matches!(v.trim(), "1" | "true" | "on"))
                {
                    stack.pop();
                    skip_depth = if is_start { 2 } else { 1 };
                    skipping_hidden = true;
                    continue;
                }
                let parent = stack.last().copied();
                let el = if is_w {
                    element(local)
                } else if matches!(local, b"anchor" | b"inline") {
                    El::Anchor
                } else if local == b"textFill" && parent == Some(El::RPr) {
                    El::TextFill
                } else {
                    El::Other
                };
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
                    El::Tbl => {
                        tables.open_table();
                        if is_start {
                            table_looks.push(TableState {
                                look: styles.table_look(None),
                                cells: Vec::new(),
                            });
                        }
                    }
                    El::Tr => tables.open_row(),
                    El::Tc => {
                        tables.open_cell();
                        if let (true, Some(t)) = (is_start, table_looks.last_mut()) {
                            t.cells.push(false);
                        }
                    }
                    El::R if is_start => {
                        let outer_hidden = {
                            let c = Cascade {
                                styles,
                                paras: &paras,
                                runs: &runs,
                                tables: &table_looks,
                            };
                            // Text boxes anchored in a hidden run are hidden.
                            runs.last().is_some_and(|r| r.outer_hidden)
                                || (!runs.is_empty() && c.run_look().0.vanish == Some(true))
                        };
                        runs.push(RunState {
                            outer_hidden,
                            ..RunState::default()
                        });
                    }
                    _ => {}
                }
                // Inside a run's `w14:textFill`: a transparent or white fill.
                if fill_at.is_some_and(|i| i >= 2 && stack[i - 2] == El::R) {
                    if let Some(run) = runs.last_mut() {
                        apply_fill(&mut run.direct, local, e, theme);
                    }
                }
                if is_w && el == El::Other {
                    let para = paras.last_mut();
                    match (local, parent, grandparent) {
                        (b"pStyle", Some(El::PPr), Some(El::P)) => {
                            if let Some(p) = para {
                                p.style = attr(e, b"val");
                            }
                        }
                        (b"shd", Some(El::PPr), Some(El::P)) => {
                            if let Some(p) = para {
                                p.shaded = shading_is_dark(e, theme);
                            }
                        }
                        (b"shd", Some(El::TcPr), Some(El::Tc)) => {
                            if let Some(cell) =
                                table_looks.last_mut().and_then(|t| t.cells.last_mut())
                            {
                                *cell = shading_is_dark(e, theme);
                            }
                        }
                        (b"tblStyle", Some(El::TblPr), Some(El::Tbl)) => {
                            if let Some(t) = table_looks.last_mut() {
                                t.look = styles.table_look(attr(e, b"val").as_deref());
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
                        (b"rStyle", Some(El::RPr), Some(El::R)) => {
                            if let Some(run) = runs.last_mut() {
                                run.style = styles.character_look(attr(e, b"val").as_deref());
                            }
                        }
                        (_, Some(El::RPr), Some(El::R)) => {
                            if let Some(run) = runs.last_mut() {
                                apply_run_property(&mut run.direct, local, e, theme);
                            }
                        }
                        (b"tab" | b"br" | b"cr" | b"noBreakHyphen", Some(El::R), _) => {
                            let c = match local {
                                b"tab" => '\t',
                                b"noBreakHyphen" => '-',
                                _ => '\n',
                            };
                            let hidden = Cascade {
                                styles,
                                paras: &paras,
                                runs: &runs,
                                tables: &table_looks,
                            }
                            .run_hidden();
                            push_char(paras.last_mut(), c, hidden, &mut hidden_chars);
                        }
                        _ => {}
                    }
                }
                if is_start {
                    if el == El::TextFill {
                        fill_at = Some(stack.len());
                    }
                    stack.push(el);
                } else {
                    close(el, &mut paras, &mut tables, &mut out, styles);
                }
            }
            Event::End(_) => {
                let el = stack.pop().unwrap_or(El::Other);
                if fill_at == Some(stack.len()) {
                    fill_at = None;
                }
                match el {
                    El::Sdt => {
                        toc.sdts.pop();
                    }
                    El::R => {
                        runs.pop();
                    }
                    El::Tbl => {
                        table_looks.pop();
                    }
                    El::Tc => {
                        if let Some(t) = table_looks.last_mut() {
                            t.cells.pop();
                        }
                    }
                    _ => {}
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
                let hidden = Cascade {
                    styles,
                    paras: &paras,
                    runs: &runs,
                    tables: &table_looks,
                }
                .run_hidden();
                if let (Some(data), Some(p)) = (char_data(ev), paras.last_mut()) {
                    p.toc |= toc.active();
                    if hidden {
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

/// The kinds of style `word/styles.xml` defines.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum StyleType {
    #[default]
    Paragraph,
    Character,
    Table,
    Other,
}

/// What `word/styles.xml` says about each style, and the document's
/// default run formatting.
#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, StyleDef>,
    /// Each style's formatting with its `basedOn` chain resolved.
    looks: HashMap<String, Look>,
    /// `w:docDefaults/w:rPrDefault`.
    defaults: Look,
    /// The styles marked `w:default="1"`, by type: they apply where no
    /// style is named.
    default_paragraph: Option<String>,
    default_character: Option<String>,
    default_table: Option<String>,
}

#[derive(Debug, Default, Clone)]
struct StyleDef {
    name: Option<String>,
    based_on: Option<String>,
    outline: Option<u8>,
    numbered: bool,
    look: Look,
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

    fn look(&self, id: Option<&str>, default: &Option<String>) -> Look {
        id.or(default.as_deref())
            .and_then(|id| self.looks.get(id))
            .copied()
            .unwrap_or_default()
    }

    fn paragraph_look(&self, id: Option<&str>) -> Look {
        self.look(id, &self.default_paragraph)
    }

    fn character_look(&self, id: Option<&str>) -> Look {
        self.look(id, &self.default_character)
    }

    fn table_look(&self, id: Option<&str>) -> Look {
        self.look(id, &self.default_table)
    }

    /// Resolve every style's formatting through its `basedOn` chain.
    fn resolve_looks(&mut self) {
        let mut looks = HashMap::with_capacity(self.by_id.len());
        for (id, def) in &self.by_id {
            let mut look = def.look;
            let mut next = def.based_on.as_deref();
            for _ in 0..MAX_STYLE_CHAIN {
                let Some(base) = next.and_then(|b| self.by_id.get(b)) else {
                    break;
                };
                look = look.style_over(base.look);
                next = base.based_on.as_deref();
            }
            looks.insert(id.clone(), look);
        }
        self.looks = looks;
    }
}

/// Built-in style names are stored in English ("heading 1", "Title") even
/// in localized Word, while style ids may be localized ("berschrift1");
/// ids from other editors usually read "Heading1" or "heading 1".
fn is_heading_style(name: &str) -> bool {
    let lower = name.trim().to_lowercase();
    lower.starts_with("heading") || lower == "title"
}

fn parse_styles(xml: &str, theme: &Theme, deadline: Deadline) -> Result<Styles, IngestError> {
    let mut reader = NsReader::from_str(xml);
    let mut budget = Budget::new(deadline);
    let mut styles = Styles::default();
    let mut stack: Vec<El> = Vec::new();
    let mut current: Option<(String, StyleDef)> = None;
    let mut fill_at: Option<usize> = None;
    loop {
        let (ns, event) = match reader.read_resolved_event() {
            Ok(resolved) => resolved,
            Err(e) => return Err(malformed(FORMAT, STYLES, reader.error_position(), e)),
        };
        budget.track(&event, FORMAT, STYLES)?;
        let is_w = in_ns(&ns, W_NS) || in_ns(&ns, W_STRICT_NS);
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = e.local_name();
                let parent = stack.last().copied();
                let grandparent = stack
                    .len()
                    .checked_sub(2)
                    .and_then(|i| stack.get(i))
                    .copied();
                let el = if is_w {
                    element(local.as_ref())
                } else if local.as_ref() == b"textFill" && parent == Some(El::RPr) {
                    El::TextFill
                } else {
                    El::Other
                };
                // The formatting this element adds to: a style's run
                // properties, or the document defaults.
                let target = match (parent, grandparent) {
                    (Some(El::RPr), Some(El::Style)) => current.as_mut().map(|(_, d)| &mut d.look),
                    (Some(El::RPr), Some(El::RPrDefault)) => Some(&mut styles.defaults),
                    _ => None,
                };
                if let Some(look) = target {
                    if is_w {
                        apply_run_property(look, local.as_ref(), e, theme);
                    }
                } else if let Some(i) = fill_at {
                    let look = match i.checked_sub(2).and_then(|j| stack.get(j)) {
                        Some(El::Style) => current.as_mut().map(|(_, d)| &mut d.look),
                        Some(El::RPrDefault) => Some(&mut styles.defaults),
                        _ => None,
                    };
                    if let Some(look) = look {
                        apply_fill(look, local.as_ref(), e, theme);
                    }
                }
                match (el, local.as_ref(), parent) {
                    (El::Style, _, _) => {
                        let kind = match attr(e, b"type").as_deref() {
                            None | Some("paragraph") => StyleType::Paragraph,
                            Some("character") => StyleType::Character,
                            Some("table") => StyleType::Table,
                            Some(_) => StyleType::Other,
                        };
                        current = attr(e, b"styleId").map(|id| {
                            if attr(e, b"default")
                                .is_some_and(|v| matches!(v.trim(), "1" | "true" | "on"))
                            {
                                let slot = match kind {
                                    StyleType::Paragraph => Some(&mut styles.default_paragraph),
                                    StyleType::Character => Some(&mut styles.default_character),
                                    StyleType::Table => Some(&mut styles.default_table),
                                    StyleType::Other => None,
                                };
                                if let Some(slot) = slot {
                                    slot.get_or_insert_with(|| id.clone());
                                }
                            }
                            (id, StyleDef::default())
                        });
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
                    if el == El::TextFill {
                        fill_at = Some(stack.len());
                    }
                    stack.push(el);
                } else if el == El::Style {
                    finish_style(&mut styles, &mut current);
                }
            }
            Event::End(_) => {
                let closed = stack.pop();
                if fill_at == Some(stack.len()) {
                    fill_at = None;
                }
                if closed == Some(El::Style) {
                    finish_style(&mut styles, &mut current);
                }
            }
            _ => {}
        }
    }
    styles.resolve_looks();
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
    fn styles_defaults_themes_and_near_white_hide_text() {
        let styles = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="character" w:styleId="Gone"><w:name w:val="Gone"/><w:rPr><w:vanish/></w:rPr></w:style>
<w:style w:type="character" w:styleId="GoneToo"><w:basedOn w:val="Gone"/><w:rPr><w:vanish w:val="0"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Pale"><w:name w:val="Pale"/><w:rPr><w:color w:val="FEFEFE"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="PaleChild"><w:basedOn w:val="Pale"/></w:style>
<w:style w:type="paragraph" w:styleId="Speck"><w:rPr><w:sz w:val="3"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="Ghost"><w:rPr><w:color w:val="auto" w:themeColor="background1"/></w:rPr></w:style>
</w:styles>"#;
        let tr = |t: &str| {
            format!(
                "<w:tr><w:tc>{}</w:tc><w:tc>{}</w:tc></w:tr>",
                para("", &run(t)),
                para("", &run("x"))
            )
        };
        let body = para("", &run("Shown"))
            + &para(
                "",
                r#"<w:r><w:rPr><w:rStyle w:val="Gone"/></w:rPr><w:t>style</w:t></w:r>"#,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w:rStyle w:val="GoneToo"/></w:rPr><w:t>based</w:t></w:r>"#,
            )
            + &para(r#"<w:pStyle w:val="PaleChild"/>"#, &run("pale"))
            + &para(r#"<w:pStyle w:val="Speck"/>"#, &run("speck"))
            + &para(
                r#"<w:pStyle w:val="Speck"/>"#,
                r#"<w:r><w:rPr><w:sz w:val="24"/></w:rPr><w:t>big</w:t></w:r>"#,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w:color w:val="000000" w:themeColor="background1"/></w:rPr><w:t>theme</w:t></w:r>"#,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w:color w:val="FFFFFF" w:themeColor="background1" w:themeShade="80"/></w:rPr><w:t>grey</w:t></w:r>"#,
            )
            + &para(
                "",
                r##"<w:r><w:rPr><w:color w:val="fefefe"/></w:rPr><w:t>nearly</w:t></w:r>"##,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w:color w:val="FFFFFF"/><w:shd w:val="clear" w:color="auto" w:fill="1F3864"/></w:rPr><w:t>onnavy</w:t></w:r>"#,
            )
            + &para(
                r#"<w:shd w:val="clear" w:fill="000000"/>"#,
                r#"<w:r><w:rPr><w:color w:val="FFFFFF"/></w:rPr><w:t>onblack</w:t></w:r>"#,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w:color w:val="FFFFFF"/><w:highlight w:val="none"/></w:rPr><w:t>nohighlight</w:t></w:r>"#,
            )
            + &format!(
                r#"<w:tbl><w:tblPr><w:tblStyle w:val="Ghost"/></w:tblPr>{}</w:tbl>"#,
                tr("ghost")
            )
            + &format!("<w:tbl>{}</w:tbl>", tr("cell"));
        let ex = extract(&docx(&body, Some(styles)), &Limits::default()).unwrap();
        assert_eq!(
            ex.text,
            "Shown\n\nbig\n\ngrey\n\nonnavy\n\nonblack\n\ncell\tx\n"
        );
        // style based pale speck theme nearly nohighlight ghost x
        assert_eq!(
            ex.warnings,
            [crate::ingest::hidden_warning(
                5 + 5 + 4 + 5 + 5 + 6 + 11 + 5 + 1
            )]
        );
    }

    #[test]
    fn theme_part_colours_and_transparent_fills_hide_text() {
        let theme = r#"<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:clrScheme name="X">
<a:dk1><a:srgbClr val="000000"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1><a:accent2><a:srgbClr val="FFFFFD"/></a:accent2>
</a:clrScheme></a:themeElements></a:theme>"#;
        let body = para("", &run("Shown"))
            + &para(
                "",
                r#"<w:r><w:rPr><w:color w:val="C0504D" w:themeColor="accent2"/></w:rPr><w:t>accent</w:t></w:r>"#,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w14:textFill><w14:noFill/></w14:textFill></w:rPr><w:t>nofill</w:t></w:r>"#,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w14:textFill><w14:solidFill><w14:srgbClr w14:val="000000"><w14:alpha w14:val="100000"/></w14:srgbClr></w14:solidFill></w14:textFill></w:rPr><w:t>clear</w:t></w:r>"#,
            )
            + &para(
                "",
                r#"<w:r><w:rPr><w14:textFill><w14:solidFill><w14:srgbClr w14:val="000000"/></w14:solidFill></w14:textFill></w:rPr><w:t xml:space="preserve">solid</w:t></w:r>"#,
            );
        let document = format!("{HEAD}{body}{TAIL}").replace(
            "<w:body>",
            r#"<w:body xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml">"#,
        );
        let bytes = test_zip::build(&[
            (DOCUMENT, document.as_bytes()),
            (super::super::docx_look::THEME, theme.as_bytes()),
        ]);
        let ex = extract(&bytes, &Limits::default()).unwrap();
        assert_eq!(ex.text, "Shown\n\nsolid\n");
        assert_eq!(ex.warnings, [crate::ingest::hidden_warning(6 + 6 + 5)]);
    }

    #[test]
    fn hidden_shapes_and_drawings_are_skipped() {
        let box_ = |t: &str| format!("<w:txbxContent>{}</w:txbxContent>", para("", &run(t)));
        let body = para(
            "",
            &(run("Shown")
                + &format!(
                    r#"<w:r><w:pict><v:shape style="position:absolute; Visibility: Hidden"><v:textbox>{}</v:textbox></v:shape></w:pict></w:r>"#,
                    box_("vml")
                )
                + &format!(
                    r#"<w:r><w:pict><v:shape style="width:1pt"><v:textbox style="display:none">{}</v:textbox></v:shape></w:pict></w:r>"#,
                    box_("none")
                )
                + &format!(
                    r#"<w:r><w:drawing><wp:anchor><wp:extent cx="1" cy="1"/><wp:docPr id="1" name="T" hidden="1"/><a:graphic><a:graphicData><wps:wsp><wps:txbx>{}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#,
                    box_("drawn")
                )
                + &format!(
                    r#"<w:r><w:drawing><wp:inline><wp:docPr id="2" name="U"/><a:graphic><a:graphicData><wps:wsp><wps:txbx>{}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#,
                    box_("Visible box")
                )
                + r#"<w:r><w:rPr><w:vanish/></w:rPr><w:drawing><wp:inline><wp:docPr id="3" name="V"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>anchored</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#),
        );
        let document = format!("{HEAD}{body}{TAIL}").replace(
            "<w:body>",
            r#"<w:body xmlns:v="urn:schemas-microsoft-com:vml" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">"#,
        );
        let ex = extract(
            &test_zip::build(&[(DOCUMENT, document.as_bytes())]),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(ex.text, "Visible box\n\nShown\n");
        assert_eq!(ex.warnings, [crate::ingest::hidden_warning(3 + 4 + 5 + 8)]);
    }

    #[test]
    fn a_document_all_hidden_says_so() {
        let styles = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:vanish/></w:rPr></w:rPrDefault></w:docDefaults></w:styles>"#;
        let err = extract(
            &docx(&para("", &run("All of it")), Some(styles)),
            &Limits::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a valid docx document: all of its text (7 characters) is hidden (formatted as hidden, white, or smaller than 4 pt): nothing to grade"
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
            let _ = parse_document(&format!("{HEAD}{body}{TAIL}"), &Styles::default(), &Theme::default(), Deadline::start());
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
