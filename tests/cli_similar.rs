//! End-to-end tests of similarity between the submissions of a batch: a
//! near-copy is flagged in the text, JSON and HTML class reports; honest
//! essays on the same question are not, nor are two essays that share only
//! quotations and the question; the threshold flags; feedback files never
//! mention another student.

mod common;

use common::{check_json, class, essaymark, sample};
use predicates::prelude::*;
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// `text` with three words, spread over it, replaced.
fn three_words_changed(text: &str) -> String {
    let mut words: Vec<&str> = text.split(' ').collect();
    let n = words.len();
    for k in [n / 4, n / 2, 3 * n / 4] {
        words[k] = "indeed";
    }
    words.join(" ")
}

/// A class of four with one near-copy: hamid.txt is zara.txt with three
/// words changed.
fn class_with_copy() -> TempDir {
    let strong = sample("strong.txt");
    class(&[
        ("zara.txt", strong.as_bytes()),
        ("ali.txt", sample("weak.txt").as_bytes()),
        ("bilal.txt", sample("average.txt").as_bytes()),
        ("hamid.txt", three_words_changed(&strong).as_bytes()),
    ])
}

fn json(cwd: &Path, args: &[&str]) -> Value {
    let (code, v) = check_json(essaymark(cwd), args);
    assert_eq!(code, Some(0), "{v}");
    v
}

fn similar(v: &Value) -> &Vec<Value> {
    v["summary"]["similar"].as_array().expect("summary.similar")
}

#[test]
fn a_near_copy_is_flagged_in_json() {
    let dir = class_with_copy();
    let v = json(dir.path(), &["class"]);
    let pairs = similar(&v);
    assert_eq!(pairs.len(), 1, "{pairs:?}");
    let p = &pairs[0];
    assert_eq!(p["a"], "class/hamid.txt");
    assert_eq!(p["b"], "class/zara.txt");
    let s = p["similarity"].as_f64().unwrap();
    assert!(s > 0.95 && s < 1.0, "three words changed: {s}");
    assert!(p["containment"].as_f64().unwrap() >= s);
    assert!(p["shared"].as_u64().unwrap() > 1_500);
    assert_eq!(v["summary"]["similarity_threshold"], 0.5);
    // Copying does not change a mark: both score the same.
    let scores: Vec<f64> = v["reports"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["essay"] == "class/hamid.txt" || r["essay"] == "class/zara.txt")
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert_eq!(scores.len(), 2);
}

#[test]
fn a_near_copy_is_flagged_in_the_text_summary() {
    let dir = class_with_copy();
    essaymark(dir.path())
        .args(["check", "class", "--color", "never"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "Similar submissions: 1 (sharing 50% or more of their wording;",
        ))
        .stdout(
            predicate::str::is_match(r"\n   9[5-9]%  class/hamid\.txt  ↔  class/zara\.txt\n")
                .unwrap(),
        );
}

#[test]
fn the_html_report_shows_the_shared_passages_side_by_side() {
    let dir = class_with_copy();
    essaymark(dir.path())
        .args(["check", "class", "--out", "class.html"])
        .assert()
        .success();
    let html = fs::read_to_string(dir.path().join("class.html")).unwrap();
    assert!(html.contains("<li><a href=\"#similar\">Similar submissions</a></li>"));
    let section = &html[html.find("<section id=\"similar\"").expect("section")..];
    let section = &section[..section.find("</section>").unwrap()];
    assert_eq!(section.matches("<article class=\"pair\"").count(), 1);
    // Linked to both students' sections (zara is s4, hamid s3: sorted).
    assert!(section.contains("similar: <a href=\"#s3\">hamid</a> and <a href=\"#s4\">zara</a>"));
    // Three passages, each as both essays have it, highlighted and escaped.
    assert_eq!(section.matches("<tr><td>").count(), 3, "{section}");
    assert_eq!(section.matches("<mark>").count(), 6);
    assert!(section.contains("Pakistan&#39;s"));
    assert!(!section.contains("Pakistan's"));
    assert!(section
        .contains("<th scope=\"col\">class/hamid.txt</th><th scope=\"col\">class/zara.txt</th>"));
}

#[test]
fn honest_essays_on_the_same_question_are_not_flagged() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let v = json(
        root,
        &[
            "--no-config",
            "samples",
            "tests/fixtures/eval-fresh",
            "--similarity",
            "0.05",
        ],
    );
    assert!(v["summary"]["essays"].as_u64().unwrap() >= 20);
    assert_eq!(similar(&v), &Vec::<Value>::new(), "not even at 5%");
    let v = json(
        root,
        &["--no-config", "samples/strong.txt", "samples/average.txt"],
    );
    assert_eq!(similar(&v).len(), 0);
}

const QUOTE_1: &str = "A state that shelters armed men across its border rarely admits it, and the neighbour that suffers their raids rarely believes any promise, so each side arms itself against intentions it cannot see and calls the result prudence.";
const QUOTE_2: &str = "Fences and patrols can slow a determined fighter, but they cannot change why he fights, and a policy built only on walls will find the walls growing longer every year while the violence behind them stays the same.";

/// Two short essays in different words that both copy out the title and
/// the question of the built-in rubric and quote the same two passages.
fn quoting_class(quote_marks: bool) -> TempDir {
    let q = |s: &str| {
        if quote_marks {
            format!("\u{201c}{s}\u{201d}")
        } else {
            s.to_string()
        }
    };
    let question = "How has the return of Taliban rule in Afghanistan reshaped Pakistan's western security environment? Discuss militancy, border fault lines, economic costs and regional instability, and suggest policy options.";
    let title = "Taliban Rule and Pakistan's Western Security Dilemma";
    let a = format!(
        "{title}\n\n{question}\n\nMy view is simple: the border matters less than the politics in Kabul, and Islamabad keeps reading those politics wrongly. Walt warns that {} He also notes {}\n",
        q(QUOTE_1),
        q(QUOTE_2)
    );
    let b = format!(
        "{title}\n\n{question}\n\nTrade is where I would begin, since closed crossings at Torkham hurt ordinary families far more than they hurt any militant. In one scholar's words, {} Another adds: {}\n",
        q(QUOTE_1),
        q(QUOTE_2)
    );
    class(&[("a.txt", a.as_bytes()), ("b.txt", b.as_bytes())])
}

#[test]
fn shared_quotations_and_the_question_do_not_make_a_copy() {
    let dir = quoting_class(true);
    let v = json(dir.path(), &["class", "--similarity", "0.01"]);
    assert_eq!(similar(&v).len(), 0, "{:?}", similar(&v));
    // The same passages without quotation marks are copied text.
    let dir = quoting_class(false);
    let v = json(dir.path(), &["class"]);
    assert_eq!(similar(&v).len(), 1);
    // And the question counts as copied text for a rubric that did not set it.
    let dir = quoting_class(true);
    let v = json(
        dir.path(),
        &[
            "class",
            "--rubric",
            "climate-economy",
            "--similarity",
            "0.2",
        ],
    );
    assert_eq!(similar(&v).len(), 1, "{v}");
}

#[test]
fn the_threshold_is_a_flag_and_can_switch_the_comparison_off() {
    let dir = class_with_copy();
    let v = json(dir.path(), &["class", "--similarity", "99.5%"]);
    assert_eq!(similar(&v).len(), 0);
    assert_eq!(v["summary"]["similarity_threshold"], 0.995);
    for off in [&["--similarity", "0"][..], &["--no-similarity"][..]] {
        let mut args = vec!["class"];
        args.extend(off);
        let v = json(dir.path(), &args);
        assert!(v["summary"].get("similar").is_none(), "{off:?}");
        assert!(v["summary"].get("similarity_threshold").is_none());
    }
    essaymark(dir.path())
        .args(["check", "class", "--no-similarity", "--color", "never"])
        .assert()
        .success()
        .stdout(predicate::str::contains("imilar").not());
    for bad in ["1.5", "-0.1", "abc", "150%", "NaN"] {
        essaymark(dir.path())
            .args(["check", "class", "--similarity", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("is not a similarity"));
    }
}

#[test]
fn the_config_file_sets_the_threshold_and_the_flag_overrides_it() {
    let dir = class_with_copy();
    fs::write(dir.path().join(".essaymark.yaml"), "similarity: 0.995\n").unwrap();
    let v = json(dir.path(), &["class"]);
    assert_eq!(v["summary"]["similarity_threshold"], 0.995);
    assert_eq!(similar(&v).len(), 0);
    let v = json(dir.path(), &["class", "--similarity", "0.5"]);
    assert_eq!(similar(&v).len(), 1);
    fs::write(dir.path().join(".essaymark.yaml"), "similarity: 0\n").unwrap();
    let v = json(dir.path(), &["class"]);
    assert!(v["summary"].get("similar").is_none());
    fs::write(dir.path().join(".essaymark.yaml"), "similarity: 50\n").unwrap();
    essaymark(dir.path())
        .args(["check", "class"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".essaymark.yaml:1:13"))
        .stderr(predicate::str::contains("between 0 and 1"));
}

#[test]
fn one_essay_is_compared_with_nothing() {
    let dir = class(&[("only.txt", sample("average.txt").as_bytes())]);
    let v = json(dir.path(), &["class"]);
    assert!(v["summary"].get("similar").is_none());
}

#[test]
fn an_essay_on_stdin_is_compared_too() {
    let dir = class_with_copy();
    let copy = fs::read_to_string(dir.path().join("class/hamid.txt")).unwrap();
    fs::remove_file(dir.path().join("class/hamid.txt")).unwrap();
    essaymark(dir.path())
        .args(["check", "-", "class", "--out", "class.html"])
        .write_stdin(copy)
        .assert()
        .success();
    let html = fs::read_to_string(dir.path().join("class.html")).unwrap();
    let section = &html[html.find("<section id=\"similar\"").expect("section")..];
    assert!(section
        .contains("<th scope=\"col\">&lt;stdin&gt;</th><th scope=\"col\">class/zara.txt</th>"));
    assert_eq!(
        section[..section.find("</section>").unwrap()]
            .matches("<mark>")
            .count(),
        6
    );
}

#[test]
fn feedback_files_never_mention_another_student() {
    let dir = class_with_copy();
    essaymark(dir.path())
        .args(["check", "class", "--feedback", "fb", "--out", "class.html"])
        .assert()
        .success();
    for (file, other) in [("hamid.html", "zara"), ("zara.html", "hamid")] {
        let page = fs::read_to_string(dir.path().join("fb").join(file)).unwrap();
        assert!(!page.contains(other), "{file} names {other}");
        assert!(!page.to_lowercase().contains("similar"), "{file}");
    }
    let html = fs::read_to_string(dir.path().join("class.html")).unwrap();
    assert!(html.contains("<section id=\"similar\""));
}
