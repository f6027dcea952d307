//! Evidence by meaning from the command line (issue #22): a sentence in
//! other words than the rubric's phrases is proposed because it resembles
//! one of the criterion's examples, then judged by the argument rules; the
//! report says how it was found, `explain` shows the rule, and
//! `--no-meaning` switches it off.

use assert_cmd::Command;
use std::fs;

const RUBRIC: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/meaning-rubric.yaml"
);

fn essay(text: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("e.txt"), format!("Essay\n\n{text}\n")).unwrap();
    dir
}

fn run(dir: &tempfile::TempDir, args: &[&str]) -> String {
    let out = Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(dir.path())
        .args(args)
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap()
}

const PLAIN: &str = "When Islamabad builds fences and posts to guard its side of the frontier, Kabul reads every move as hostile and answers with raids, which leaves Pakistan less secure than it was.\n\nCricket in Lahore drew large crowds during the long summer season this year.";

#[test]
fn an_argument_in_other_words_is_found_by_meaning_and_says_so() {
    let dir = essay(PLAIN);
    let json = run(&dir, &["check", "e.txt", "-r", RUBRIC, "-f", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let c = &v["reports"][0]["criteria"][0];
    assert_eq!(c["id"], "dilemma");
    assert_eq!(c["status"], "met", "{json}");
    let m = &c["evidence"][0]["by_meaning"];
    assert_eq!(m["example"], 1, "{json}");
    assert!(m["similarity"].as_f64().unwrap() >= 0.6, "{json}");
    assert!(!m["aligned"].as_array().unwrap().is_empty());
    // The unrelated sentence resembles nothing: refugees stay missing.
    assert_eq!(v["reports"][0]["criteria"][1]["status"], "missing");

    let text = run(&dir, &["check", "e.txt", "-r", RUBRIC]);
    assert!(
        text.contains("by meaning: resembles example 1 (0."),
        "{text}"
    );
}

#[test]
fn no_meaning_grades_by_phrases_only() {
    let dir = essay(PLAIN);
    let json = run(
        &dir,
        &["check", "e.txt", "-r", RUBRIC, "-f", "json", "--no-meaning"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        v["reports"][0]["criteria"][0]["status"], "missing",
        "{json}"
    );
    assert!(!json.contains("by_meaning"));
}

#[test]
fn a_rubric_can_switch_meaning_off() {
    let dir = essay(PLAIN);
    let yaml = fs::read_to_string(RUBRIC).unwrap().replace(
        "title: Western security\n",
        "title: Western security\nsettings:\n  meaning: false\n",
    );
    fs::write(dir.path().join("r.yaml"), yaml).unwrap();
    let json = run(&dir, &["check", "e.txt", "-r", "r.yaml", "-f", "json"]);
    assert!(json.contains("\"status\":\"missing\""), "{json}");
    assert!(!json.contains("by_meaning"));
}

/// `--meaning` runs the stage where the rubric switches it off (as the
/// built-in rubrics do); with `--no-meaning` it is a usage error.
#[test]
fn meaning_flag_turns_the_stage_on_over_the_rubric() {
    let dir = essay(PLAIN);
    let yaml = fs::read_to_string(RUBRIC).unwrap().replace(
        "title: Western security\n",
        "title: Western security\nsettings:\n  meaning: false\n",
    );
    fs::write(dir.path().join("r.yaml"), yaml).unwrap();
    let json = run(
        &dir,
        &["check", "e.txt", "-r", "r.yaml", "-f", "json", "--meaning"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["reports"][0]["criteria"][0]["status"], "met", "{json}");
    assert!(json.contains("by_meaning"), "{json}");
    let text = run(
        &dir,
        &[
            "explain",
            "e.txt",
            "-r",
            "r.yaml",
            "-c",
            "dilemma",
            "--meaning",
        ],
    );
    assert!(text.contains("By meaning"), "{text}");
    Command::cargo_bin("essaymark")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "e.txt", "--meaning", "--no-meaning"])
        .assert()
        .code(2);
}

/// The built-in rubrics carry examples for every lens and theme criterion
/// but switch the stage off (its cost, BENCHMARKS.md).
#[test]
fn the_built_in_rubrics_carry_examples_with_the_stage_off() {
    for id in [
        "pakistan-western-security",
        "climate-economy",
        "cpec-connectivity",
    ] {
        let yaml = fs::read_to_string(format!("{}/rubrics/{id}.yaml", env!("CARGO_MANIFEST_DIR")))
            .unwrap();
        assert!(yaml.contains("\n  meaning: false\n"), "{id}");
        let rubric = essaymark::rubric::load_str(&yaml, id).unwrap();
        assert!(!rubric.meaning.enabled, "{id}");
        for c in &rubric.criteria {
            if matches!(
                c.kind,
                essaymark::rubric::Kind::Lens | essaymark::rubric::Kind::Theme
            ) {
                assert!(
                    c.examples.len() >= 4,
                    "{id} {}: {} examples",
                    c.id,
                    c.examples.len()
                );
            }
        }
    }
}

#[test]
fn explain_shows_the_rule_that_judged_a_proposal() {
    let dir = essay(PLAIN);
    let text = run(&dir, &["explain", "e.txt", "-r", RUBRIC, "-c", "dilemma"]);
    assert!(text.contains("By meaning"), "{text}");
    assert!(
        text.contains("[counted: a sentence that argues the point"),
        "{text}"
    );
    assert!(text.contains("by meaning: resembles example 1"), "{text}");
}

/// Similarity alone never credits: a keyword string that resembles the
/// examples is rejected by the keyword-list rule, as a phrase hit would be.
#[test]
fn a_resembling_keyword_list_earns_nothing() {
    let dir = essay(
        "Whatever, Pakistan, does, protect, its side, border, Kabul, sees, threat, answer, leaves Pakistan, less safe, before.",
    );
    let json = run(
        &dir,
        &[
            "explain", "e.txt", "-r", RUBRIC, "-c", "dilemma", "-f", "json",
        ],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["status"], "missing", "{json}");
    let m = v["by_meaning"].as_array().expect("proposed by meaning");
    assert_eq!(m.len(), 1, "{json}");
    assert_eq!(m[0]["counted"], false);
    assert_eq!(m[0]["rule"], "argument/keyword-list", "{json}");
}
