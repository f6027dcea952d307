//! Ingest: read a submission from disk or stdin, decode it, strip markup,
//! and hand the text module plain text plus its block structure and a map
//! back to the file's own line:column. Nothing here ever writes to the input.

mod archive;
mod builder;
mod cfb;
mod decode;
mod docx;
mod docx_look;
#[cfg(test)]
mod formats_agree;
mod markdown;
mod normalise;
mod odt;
mod odt_style;
#[cfg(feature = "pdf")]
pub mod pdf;
mod xml;

use crate::text::{detect_blocks, Block, Document, Origin};
use std::path::{Path, PathBuf};

/// The kinds of submission essaymark reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Markdown,
    Docx,
    Odt,
    Pdf,
}

/// Most blocks (paragraphs, headings, list items, table rows) one essay may
/// have. Grading memory grows by about 250 bytes per block, whatever its
/// size: 16 MiB of "a\n\n" (5.6 million blocks) took 1.4 GB. A long essay
/// has hundreds; 16 MiB of real prose has tens of thousands.
pub const MAX_BLOCKS: usize = 200_000;

/// Most non-blank lines a .txt/.md file may have (an average under 17
/// bytes a line at the size limit), checked before its blocks are found.
pub const MAX_LINES: usize = 1_000_000;

/// Most sentence ends (".", "!" or "?" before a space or the end) one
/// essay may have. Grading memory grows by about 100 bytes per sentence:
/// 16 MiB of "A b. " (3.3 million sentences) took 358 MB. 16 MiB of real
/// prose has about 150,000.
pub const MAX_SENTENCES: usize = 500_000;

/// Size limits that keep one hostile file from exhausting time or memory.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest input file read, in bytes.
    pub max_file_bytes: u64,
    /// Largest total decompressed size read out of a .docx/.odt archive.
    pub max_unpacked_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 16 * 1024 * 1024,
            max_unpacked_bytes: 64 * 1024 * 1024,
        }
    }
}

/// A submission turned into analysable text.
#[derive(Debug, Clone)]
pub struct Extracted {
    /// The text that is analysed.
    pub text: String,
    /// Its blocks (from markup where the format has it, else from line shapes).
    pub blocks: Vec<Block>,
    /// How positions in `text` map back to the file.
    pub origin: Origin,
    pub format: Format,
    /// Things the user should know (e.g. "decoded as Windows-1252").
    pub warnings: Vec<String>,
}

impl Extracted {
    pub fn into_document(self) -> Document {
        Document::new(self.text, self.blocks, self.origin)
    }
}

/// Why a submission could not be read. Messages name the reason only; the
/// caller prefixes the path.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("file is empty")]
    Empty,
    #[error("not a regular file (a device, pipe or socket)")]
    NotAFile,
    #[error("file has no text (only white space)")]
    Blank,
    #[error("file is too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge { size: u64, limit: u64 },
    /// A stream (stdin, or a file still growing) passed the limit; its
    /// full size is unknown because reading stopped there.
    #[error("input is too large (more than {limit} bytes)")]
    StreamTooLarge { limit: u64 },
    /// The text extracted from a document (or decoded from a legacy
    /// encoding) is larger than the limit for a text file.
    #[error("extracted text is too large ({size} bytes; the limit is {limit} bytes)")]
    TextTooLarge { size: u64, limit: u64 },
    #[error("too many {what} (more than {limit}): not an essay")]
    TooManyBlocks { what: &'static str, limit: usize },
    #[error(
        "unsupported file type '{0}' (essaymark reads .txt, .text, .md, .markdown, .docx, .odt, .pdf)"
    )]
    Unsupported(String),
    #[error("looks like a binary file, not text")]
    Binary,
    /// A recognised binary format (PDF, image, archive, legacy .doc); the
    /// text names it and, where there is one, the fix.
    #[error("not a text file: this is {0}")]
    NotText(String),
    #[error("not valid text: {0}")]
    Encoding(String),
    #[error("not a valid {format} document: {reason}")]
    Document {
        format: &'static str,
        reason: String,
    },
    /// A PDF whose structure cannot be read (truncated, broken
    /// cross-reference table, pages that are not there).
    #[error("damaged PDF: {0}; re-export it")]
    DamagedPdf(String),
    /// A PDF that needs a password to open.
    #[error(
        "encrypted PDF: essaymark cannot open password-protected files; save an unprotected copy"
    )]
    EncryptedPdf,
    /// A readable PDF whose pages hold no text (images only: a scan).
    #[error("no text layer (scanned?): run OCR or ask for the .docx")]
    NoTextLayer,
    /// An encrypted Word or OpenDocument file ("Word file").
    #[error("password-protected {0}: save an unprotected copy")]
    Protected(&'static str),
}

/// The format implied by a file name, if essaymark reads it.
pub fn format_for_path(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        "docx" => Some(Format::Docx),
        "odt" => Some(Format::Odt),
        "pdf" => Some(Format::Pdf),
        _ => None,
    }
}

/// The format a file name asks for, or why essaymark does not read it.
pub fn format_of(path: &Path) -> Result<Format, IngestError> {
    format_for_path(path).ok_or_else(|| {
        IngestError::Unsupported(
            path.extension()
                .map(|e| format!(".{}", e.to_string_lossy()))
                .unwrap_or_else(|| "(no extension)".into()),
        )
    })
}

/// Read and extract one file.
pub fn read_path(path: &Path, limits: &Limits) -> Result<Extracted, IngestError> {
    let format = format_of(path)?;
    let meta = std::fs::metadata(path)?;
    // A device or FIFO has no size to check and may never end (or, for a
    // FIFO, never start): only regular files are read.
    if !meta.is_file() {
        return Err(IngestError::NotAFile);
    }
    let size = meta.len();
    if size > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            size,
            limit: limits.max_file_bytes,
        });
    }
    let bytes = read_capped(path, size, limits.max_file_bytes)?;
    extract(format, &bytes, limits)
}

/// Read at most `cap` bytes: the file may grow between `metadata` and `read`.
fn read_capped(path: &Path, size: u64, cap: u64) -> Result<Vec<u8>, IngestError> {
    read_stream_capped(std::fs::File::open(path)?, size, cap)
}

/// `expected` sizes the buffer (one byte more, so that reaching the end takes
/// no second allocation); the stream may still turn out longer or shorter.
fn read_stream_capped(
    reader: impl std::io::Read,
    expected: u64,
    cap: u64,
) -> Result<Vec<u8>, IngestError> {
    use std::io::Read;
    let mut bytes = Vec::with_capacity(expected.min(cap) as usize + 1);
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(IngestError::StreamTooLarge { limit: cap });
    }
    Ok(bytes)
}

/// Read a submission from a stream (stdin) without holding more than
/// `limits.max_file_bytes + 1` bytes, and extract it as `format`.
pub fn read_stream(
    reader: impl std::io::Read,
    format: Format,
    limits: &Limits,
) -> Result<Extracted, IngestError> {
    let bytes = read_stream_capped(reader, 0, limits.max_file_bytes)?;
    extract(format, &bytes, limits)
}

/// Extract a submission already in memory.
pub fn extract(format: Format, bytes: &[u8], limits: &Limits) -> Result<Extracted, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::Empty);
    }
    if bytes.len() as u64 > limits.max_file_bytes {
        return Err(IngestError::TooLarge {
            size: bytes.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    let mut extracted =
        match format {
            Format::Text => {
                let decoded = decode::decode_text(bytes)?;
                check_lines(&decoded.text)?;
                plain_text(decoded.text, decoded.warnings)
            }
            Format::Markdown => {
                let decoded = decode::decode_text(bytes)?;
                check_lines(&decoded.text)?;
                markdown::extract(decoded.text, decoded.warnings)?
            }
            Format::Docx => docx::extract(bytes, limits)?,
            Format::Odt => odt::extract(bytes, limits)?,
            #[cfg(feature = "pdf")]
            Format::Pdf => pdf::extract(bytes, limits.max_file_bytes)?,
            // The PDF reader needs a process or a thread to contain it; the
            // browser build has neither.
            #[cfg(not(feature = "pdf"))]
            Format::Pdf => return Err(IngestError::NotText(
                "a PDF, which this build does not read: save the essay as .docx, .odt, .md or .txt"
                    .into(),
            )),
        };
    // Every format's text, before anything is counted or split.
    normalise::normalise(&mut extracted);
    if extracted.text.trim().is_empty() {
        return Err(IngestError::Blank);
    }
    if extracted.blocks.len() > MAX_BLOCKS {
        return Err(IngestError::TooManyBlocks {
            what: "paragraphs",
            limit: MAX_BLOCKS,
        });
    }
    check_sentences(&extracted.text)?;
    // Decoding can grow text (a Windows-1252 byte becomes up to three UTF-8
    // bytes) and a small archive can hold far more text than its size; the
    // grading cost follows the text, so the text is held to the file limit.
    if extracted.text.len() as u64 > limits.max_file_bytes {
        return Err(IngestError::TextTooLarge {
            size: extracted.text.len() as u64,
            limit: limits.max_file_bytes,
        });
    }
    Ok(extracted)
}

/// The warning every format gives for text it left out as hidden.
pub(crate) fn hidden_warning(chars: usize) -> String {
    format!(
        "ignored {chars} characters of hidden text (formatted as hidden, white, or smaller than 4 pt)"
    )
}

/// The error for a document whose text is all hidden: "file has no text"
/// would hide why.
pub(crate) fn all_hidden(format: &'static str, chars: usize) -> IngestError {
    IngestError::Document {
        format,
        reason: format!(
            "all of its text ({chars} characters) is hidden (formatted as hidden, white, or smaller than 4 pt): nothing to grade"
        ),
    }
}

/// Refuse text with more sentence ends than [`MAX_SENTENCES`] before it is
/// split into sentences.
fn check_sentences(text: &str) -> Result<(), IngestError> {
    let bytes = text.as_bytes();
    let mut ends = 0usize;
    for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        if bytes.get(i + 1).is_none_or(|b| b.is_ascii_whitespace()) {
            ends += 1;
            if ends > MAX_SENTENCES {
                return Err(IngestError::TooManyBlocks {
                    what: "sentences",
                    limit: MAX_SENTENCES,
                });
            }
        }
    }
    Ok(())
}

/// Refuse text with more non-blank lines than [`MAX_LINES`] before blocks
/// are found in it (each line may be a block).
fn check_lines(text: &str) -> Result<(), IngestError> {
    let bytes = text.as_bytes();
    let mut lines = 0usize;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        if bytes[start..end].iter().any(|b| !b.is_ascii_whitespace()) {
            lines += 1;
            if lines > MAX_LINES {
                return Err(IngestError::TooManyBlocks {
                    what: "lines",
                    limit: MAX_LINES,
                });
            }
        }
        start = end + 1;
    }
    Ok(())
}

/// Plain text is analysed as written, except that struck-through words
/// (`~~word~~`, as transcribed from scans) are blanked out with spaces of the
/// same byte length, so offsets (and line:column) stay those of the file.
fn plain_text(mut text: String, warnings: Vec<String>) -> Extracted {
    blank_strikethrough(&mut text);
    let blocks = detect_blocks(&text);
    let origin = Origin::identity(&text);
    Extracted {
        text,
        blocks,
        origin,
        format: Format::Text,
        warnings,
    }
}

/// Blocks of text extracted from a layout format (PDF), found from line
/// shapes as in a plain-text file.
#[cfg(feature = "pdf")]
pub(crate) fn plain_text_blocks(text: &str) -> Vec<Block> {
    detect_blocks(text)
}

fn blank_strikethrough(text: &mut String) {
    let mut ranges = Vec::new();
    let mut search = 0;
    let finder = memchr::memmem::Finder::new("~~");
    while let Some(open) = finder.find(&text.as_bytes()[search..]) {
        let start = search + open;
        let Some(close) = finder.find(&text.as_bytes()[start + 2..]) else {
            break;
        };
        let end = start + 2 + close + 2;
        if text[start..end].contains('\n') {
            search = start + 2;
            continue;
        }
        ranges.push(start..end);
        search = end;
    }
    if ranges.is_empty() {
        return;
    }
    let mut bytes = std::mem::take(text).into_bytes();
    for r in ranges {
        // Struck letters inside a word ("shrinkin~~g~~g") are corrections
        // of that word: fill them with the joiner the tokenizer skips, so
        // the word stays whole. Elsewhere they become spaces.
        let inside_word = r.start > 0
            && bytes[r.start - 1].is_ascii_alphanumeric()
            && bytes.get(r.end).is_some_and(u8::is_ascii_alphanumeric);
        let fill = if inside_word {
            crate::text::STRUCK_IN_WORD
        } else {
            b' '
        };
        bytes[r].fill(fill);
    }
    // Replacing whole characters' bytes with ASCII spaces keeps UTF-8 valid.
    *text = String::from_utf8(bytes).unwrap_or_default();
}

/// A file to grade and where it came from (`-` is stdin).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub path: PathBuf,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::BlockKind;

    fn fixture(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/ingest")
            .join(name)
    }

    #[test]
    fn read_path_markdown_fixture_maps_to_source_lines() {
        let ex = read_path(&fixture("essay.md"), &Limits::default()).unwrap();
        assert_eq!(ex.format, Format::Markdown);
        assert!(ex.warnings.is_empty());
        let kinds: Vec<BlockKind> = ex.blocks.iter().map(|b| b.kind).collect();
        use BlockKind::*;
        assert_eq!(
            kinds,
            [Heading, Paragraph, Heading, ListItem, ListItem, TableRow, TableRow]
        );
        assert!(!ex.text.contains("student:") && !ex.text.contains("completed"));
        // "Torkham" is on line 13 of the file, after "- Trade through *".
        let at = ex.text.find("Torkham").unwrap();
        let pos = ex.origin.line_col(&ex.text, at);
        assert_eq!((pos.line, pos.column), (13, 18));
        let doc = ex.into_document();
        assert_eq!(doc.sentence_text(0), "The Durand Line After 2021");
    }

    #[test]
    fn read_path_decodes_legacy_and_utf16_text() {
        let ex = read_path(&fixture("windows-1252.txt"), &Limits::default()).unwrap();
        assert!(ex.text.starts_with("\u{201C}Strategic depth\u{201D}"));
        assert!(ex.text.contains("café"));
        assert_eq!(ex.warnings, ["decoded as Windows-1252 (not valid UTF-8)"]);
        let ex = read_path(&fixture("utf16le-bom.txt"), &Limits::default()).unwrap();
        assert!(ex.text.starts_with("Kabül — the Doha"));
    }

    #[test]
    fn read_path_reads_a_docx_from_disk() {
        let doc = concat!(
            r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
            r#"<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr><w:r><w:t>Border Essay</w:t></w:r></w:p>"#,
            r#"<w:p><w:r><w:t>Body text.</w:t></w:r></w:p></w:body></w:document>"#,
        );
        let bytes = archive::test_zip::build(&[("word/document.xml", doc.as_bytes())]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Essay.DOCX");
        std::fs::write(&path, bytes).unwrap();
        let ex = read_path(&path, &Limits::default()).unwrap();
        assert_eq!(ex.format, Format::Docx);
        assert_eq!(ex.text, "Border Essay\n\nBody text.\n");
        assert_eq!(ex.blocks[0].kind, BlockKind::Heading);
    }

    #[test]
    fn wrong_contents_for_the_extension_are_named() {
        let l = Limits::default();
        let err = extract(Format::Text, b"%PDF-1.5\n%\xE2\xE3", &l).unwrap_err();
        assert!(err.to_string().contains("PDF document"), "{err}");
        let err = extract(Format::Markdown, b"\x89PNG\r\n\x1a\n\0\0", &l).unwrap_err();
        assert!(err.to_string().contains("PNG image"), "{err}");
        let err = extract(Format::Docx, b"%PDF-1.5\n", &l).unwrap_err();
        assert!(err.to_string().contains("not a Word document"), "{err}");
        let err = extract(Format::Markdown, b"---\ntitle: only\n---\n", &l).unwrap_err();
        assert!(matches!(err, IngestError::Blank), "{err}");
        let err = read_path(Path::new("essay.rtf"), &l).unwrap_err();
        assert!(
            matches!(err, IngestError::Unsupported(ref e) if e == ".rtf"),
            "{err}"
        );
    }

    #[test]
    fn strikethrough_inside_a_word_keeps_the_word_whole() {
        let ex = extract(
            Format::Text,
            "its shrinkin~~g~~g space\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        let doc = ex.into_document();
        assert_eq!(doc.fold(1), "shrinking");
        assert_eq!(doc.sentence_text(0), "its shrinking space");
    }

    #[test]
    fn strikethrough_is_blanked_in_place() {
        let ex = extract(
            Format::Text,
            "what ~~Kabül~~ sees\n".as_bytes(),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!(ex.text, "what            sees\n");
    }

    #[test]
    fn streams_devices_and_grown_text_are_bounded() {
        let l = Limits {
            max_file_bytes: 16,
            ..Limits::default()
        };
        let err = read_stream(&[b'a'; 17][..], Format::Text, &l).unwrap_err();
        assert_eq!(err.to_string(), "input is too large (more than 16 bytes)");
        assert!(read_stream(&b"The TTP is back."[..], Format::Text, &l).is_ok());
        // Windows-1252 decoding triples these bytes past the limit.
        let err = extract(Format::Text, &[0x93; 16], &l).unwrap_err();
        assert_eq!(
            err.to_string(),
            "extracted text is too large (48 bytes; the limit is 16 bytes)"
        );
        #[cfg(unix)]
        {
            let dir = tempfile::tempdir().unwrap();
            let link = dir.path().join("zero.txt");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            let err = read_path(&link, &Limits::default()).unwrap_err();
            assert!(matches!(err, IngestError::NotAFile), "{err}");
        }
    }

    #[test]
    fn empty_binary_and_blank_are_errors() {
        let l = Limits::default();
        assert!(matches!(
            extract(Format::Text, b"", &l),
            Err(IngestError::Empty)
        ));
        assert!(matches!(
            extract(Format::Text, b"a\0b", &l),
            Err(IngestError::Binary)
        ));
        assert!(matches!(
            extract(Format::Text, b" \n\t", &l),
            Err(IngestError::Blank)
        ));
    }
}
