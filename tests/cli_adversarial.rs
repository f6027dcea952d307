//! End-to-end tests of `essaymark rubric test RUBRIC --adversarial --model
//! MODEL` on the three built-in rubrics and their model answers. They check
//! the report's structure, its determinism and the exit-code logic with
//! explicit thresholds, not today's attack scores (those fall as scoring
//! learns to see through the attacks; see docs/authoring.md).

use assert_cmd::Command;
use predicates::prelude::*;

/// The built-in rubrics and a model answer for each.
const RUBRICS: &[(&str, &str)] = &[
    ("pakistan-western-security", "samples/strong.txt"),
    ("climate-economy", "rubrics/models/climate-economy.md"),
    ("cpec-connectivity", "rubrics/models/cpec-connectivity.md"),
];

const ATTACKS: &[&str] = &[
    "keyword-list",
    "keyword-filler",
    "outline-only",
    "shuffled",
    "negated",
    "off-topic-padding",
    "question-restated",
];

fn essaymark() -> Command {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1");
    cmd
}

/// `rubric test climate-economy --adversarial --model`, the model to follow.
fn adversarial() -> Command {
    let mut cmd = essaymark();
    cmd.args([
        "rubric",
        "test",
        "climate-economy",
        "--adversarial",
        "--model",
    ]);
    cmd
}

/// Run the adversarial test; the JSON report and the exit code.
fn run(rubric: &str, model: &str, extra: &[&str]) -> (serde_json::Value, String, i32) {
    let out = essaymark()
        .args(["rubric", "test", rubric, "--adversarial", "--model", model])
        .args(["--format", "json"])
        .args(extra)
        .output()
        .expect("runs");
    let stdout = String::from_utf8(out.stdout).expect("UTF-8");
    let v: serde_json::Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{rubric}: JSON report: {e}\n{stdout}"));
    (v, stdout, out.status.code().expect("an exit code"))
}

#[test]
fn every_built_in_rubric_gets_seven_attacks_graded_beside_its_model() {
    for &(rubric, model) in RUBRICS {
        let (v, first, code) = run(rubric, model, &["--max-attack-score", "45"]);
        assert_eq!(v["version"], 1);
        assert_eq!(v["rubric"], rubric);
        assert_eq!(v["model"], model);
        assert_eq!(v["max_attack_score"], 45.0);
        assert_eq!(v["max_attack_fraction"], 0.9);
        let model_score = v["model_score"].as_f64().unwrap();
        assert!(
            model_score >= 85.0,
            "{rubric}: the model scores {model_score}"
        );
        let attacks = v["attacks"].as_array().unwrap();
        let ids: Vec<&str> = attacks.iter().map(|a| a["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ATTACKS, "{rubric}");
        let mut above = 0;
        for a in attacks {
            let (score, limit) = (a["score"].as_f64().unwrap(), a["limit"].as_f64().unwrap());
            assert!((0.0..=100.0).contains(&score), "{rubric} {a}");
            assert!(a["words"].as_u64().unwrap() > 0, "{rubric} {a}");
            assert!(
                a["text"].as_str().unwrap().starts_with("# "),
                "{rubric} {a}"
            );
            assert!(!a["description"].as_str().unwrap().is_empty());
            // The limit: an absolute score for texts that argue nothing, a
            // fraction of the model's score for the model's own sentences.
            let expected = match a["limit_kind"].as_str().unwrap() {
                "absolute" => 45.0,
                "fraction-of-model" => (model_score * 0.9 * 10.0).round() / 10.0,
                other => panic!("limit kind {other}"),
            };
            assert_eq!(limit, expected, "{rubric} {a}");
            assert_eq!(a["above"].as_bool().unwrap(), score > limit, "{rubric} {a}");
            above += usize::from(score > limit);
        }
        assert_eq!(v["above"].as_u64().unwrap() as usize, above, "{rubric}");
        assert_eq!(code, i32::from(above > 0), "{rubric}: exit code");
        // Deterministic: the same report, byte for byte.
        let (_, second, _) = run(rubric, model, &["--max-attack-score", "45"]);
        assert_eq!(first, second, "{rubric}: a second run differs");
    }
}

#[test]
fn exit_code_follows_the_thresholds() {
    for &(rubric, model) in RUBRICS {
        // Nothing may score above 100, nor above the model's own score
        // except a shuffle or padding that happens to gain points.
        let (v, _, code) = run(
            rubric,
            model,
            &["--max-attack-score", "100", "--max-attack-fraction", "1"],
        );
        let model_score = v["model_score"].as_f64().unwrap();
        let gained = v["attacks"].as_array().unwrap().iter().any(|a| {
            a["limit_kind"] == "fraction-of-model" && a["score"].as_f64().unwrap() > model_score
        });
        assert_eq!(code, i32::from(gained), "{rubric}");
        // The padded model keeps every argument of the model, so with both
        // limits at zero something always scores above its limit.
        let (v, _, code) = run(
            rubric,
            model,
            &["--max-attack-score", "0", "--max-attack-fraction", "0"],
        );
        assert_eq!(code, 1, "{rubric}");
        assert!(v["above"].as_u64().unwrap() >= 1, "{rubric}");
    }
}

#[test]
fn text_report_lists_the_model_and_each_attack() {
    let out = essaymark()
        .args([
            "rubric",
            "test",
            "climate-economy",
            "--adversarial",
            "--model",
            "rubrics/models/climate-economy.md",
            "--max-attack-score",
            "100",
            "--max-attack-fraction",
            "1",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("Adversarial test of climate-economy v1.0 with the model answer rubrics/models/climate-economy.md\n"),
        "{text}"
    );
    assert!(text.contains("\nmodel answer "), "{text}");
    for id in ATTACKS {
        assert!(text.contains(&format!("\n{id} ")), "{id}: {text}");
    }
    assert!(
        text.contains("Limits: 100.0/100 for texts that argue nothing"),
        "{text}"
    );
}

#[test]
fn usage_errors_exit_2() {
    // --adversarial needs a model; --model needs --adversarial.
    essaymark()
        .args(["rubric", "test", "climate-economy", "--adversarial"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--model"));
    essaymark()
        .args([
            "rubric",
            "test",
            "climate-economy",
            "--model",
            "samples/strong.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--adversarial"));
    // Labelled essays and attacks are two different tests.
    adversarial()
        .args([
            "samples/strong.txt",
            "--essays",
            "tests/fixtures/eval-climate",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot be used with"));
    // Without --adversarial, the labelled test still needs its essays and labels.
    essaymark()
        .args(["rubric", "test", "climate-economy"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--essays"));
    adversarial()
        .args(["samples/strong.txt", "--max-attack-score", "150"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a score from 0 to 100"));
    adversarial()
        .args(["samples/strong.txt", "--max-attack-fraction", "1.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("not a fraction from 0 to 1"));
    // A model that cannot be read is named with the reason.
    adversarial()
        .arg("no-such-model.md")
        .assert()
        .code(2)
        .stdout("")
        .stderr(
            predicate::str::contains("no-such-model.md")
                .and(predicate::str::contains("cannot read")),
        );
}
