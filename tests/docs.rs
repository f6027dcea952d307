//! Every YAML rubric shown in the README and docs/rubric-format.md loads:
//! documentation examples cannot rot.

use essaymark::rubric::load_str;
use std::path::Path;

fn yaml_blocks(markdown: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in markdown.lines() {
        match (&mut current, line.trim_start()) {
            (None, l) if l.starts_with("```yaml") => current = Some(String::new()),
            (Some(_), l) if l.starts_with("```") => blocks.extend(current.take()),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    blocks
}

#[test]
fn documented_rubrics_load() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for doc in ["README.md", "docs/rubric-format.md"] {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        for (i, block) in yaml_blocks(&text).iter().enumerate() {
            if !block.contains("sections:") {
                continue;
            }
            if let Err(e) = load_str(block, &format!("{doc} block {i}")) {
                panic!("{e}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 2, "found {checked} rubric examples");
}
