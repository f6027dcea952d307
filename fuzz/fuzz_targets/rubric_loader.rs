//! Any bytes as a rubric: loading must return Ok or located errors, never panic or hang.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(yaml) = std::str::from_utf8(data) {
        if let Err(errors) = essaymark::rubric::load_str(yaml, "fuzz.yaml") {
            for e in &errors.0 {
                assert!(e.line >= 1 && e.column >= 1);
                let _ = e.render_snippet();
            }
        }
    }
});
