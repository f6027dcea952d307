//! Any bytes as a .txt, .md, .docx or .odt submission: extraction returns text
//! with valid blocks or a clear error, never a panic.
#![no_main]
use essaymark::ingest::{extract, Format, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else { return };
    let format = [Format::Text, Format::Markdown, Format::Docx, Format::Odt][selector as usize % 4];
    let limits = Limits { max_file_bytes: 1 << 20, max_unpacked_bytes: 4 << 20 };
    if let Ok(ex) = extract(format, bytes, &limits) {
        for b in &ex.blocks {
            assert!(b.span.start <= b.span.end && b.span.end <= ex.text.len());
        }
        let doc = ex.into_document();
        for i in 0..doc.tokens.len().min(64) {
            let t = doc.tokens[i];
            let _ = doc.origin.line_col(&doc.text, t.start as usize);
        }
    }
});
