//! Any bytes as a rubric: loading returns Ok or located errors, never
//! panics, overflows the stack or hangs. Body: fuzz/bodies.rs.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../bodies.rs"]
mod bodies;

fuzz_target!(|data: &[u8]| bodies::rubric_loader(data));
