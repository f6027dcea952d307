//! Feedback files as a student reads them (issue #26, 7): the score and
//! band first, then the three things that gain most, then the rest.

mod common;

use common::{class, essaymark, sample};
use std::fs;

#[test]
fn html_feedback_puts_the_score_before_the_advice() {
    let dir = class(&[("ali.txt", sample("weak.txt").as_bytes())]);
    essaymark(dir.path())
        .args(["check", "class", "--feedback", "fb", "-q"])
        .assert()
        .success();
    let page = fs::read_to_string(dir.path().join("fb/ali.html")).unwrap();
    let score = page.find("Score ").expect("the score is on the page");
    let advice = page
        .find("What to add next")
        .expect("advice is on the page");
    assert!(score < advice, "score first");
    // Three items up front, the rest folded away below them.
    let top = &page[advice..page[advice..].find("</ol>").unwrap() + advice];
    assert_eq!(top.matches("<li>").count(), 3, "{top}");
    assert!(page.contains("more to add</summary>"));
    // The Markdown feedback has the score first too.
    essaymark(dir.path())
        .args([
            "check",
            "class",
            "--feedback",
            "md",
            "--feedback-format",
            "md",
            "-q",
        ])
        .assert()
        .success();
    let md = fs::read_to_string(dir.path().join("md/ali.md")).unwrap();
    assert!(md.find("**Score ").unwrap() < md.find("What to add").unwrap_or(usize::MAX));
}
