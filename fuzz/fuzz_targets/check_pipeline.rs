//! Any bytes as a submission (the first byte picks the format), graded with
//! the built-in rubric and one that uses every matcher, rendered in every
//! output format: scores in bounds, evidence inside the essay, no panic.
//! Body: fuzz/bodies.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../bodies.rs"]
mod bodies;

fuzz_target!(|data: &[u8]| bodies::check_pipeline(data));
