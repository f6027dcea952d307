//! Any bytes as a .pdf submission, or as a PDF reader's text through the
//! layout cleaning (the first byte picks): text with valid blocks, or a
//! clear error, never a panic. Body: fuzz/bodies.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../bodies.rs"]
mod bodies;

fuzz_target!(|data: &[u8]| bodies::pdf(data));
