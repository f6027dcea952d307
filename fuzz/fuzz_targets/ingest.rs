//! Any bytes as a .txt, .md, .docx or .odt submission (the first byte picks
//! the format): text with valid blocks, or a clear error, never a panic.
//! Body: fuzz/bodies.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../bodies.rs"]
mod bodies;

fuzz_target!(|data: &[u8]| bodies::ingest(data));
