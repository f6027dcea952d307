//! End-to-end tests of the rubric authoring commands: `rubric derive`,
//! `lint`, `test`, `calibrate`, `schema`, `list`, `show`, `explain`, and
//! `check --rubric ID`. Nothing here copies text from the shared model
//! answer: the test that uses it reads it at run time, and skips when it is
//! not there.

mod common;

use assert_cmd::Command;
use common::score;
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn essaymark() -> Command {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().expect("runs");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// Derive a rubric from `model` into a temporary file; check that it lints
/// clean and that the model scores at least 90 against it.
fn derive_and_grade(model: &Path) -> (tempfile::TempDir, PathBuf, f64) {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("derived.yaml");
    essaymark()
        .args(["rubric", "derive"])
        .arg(model)
        .arg("--out")
        .arg(&rubric)
        .assert()
        .success()
        .stdout("")
        .stderr(predicate::str::contains("the model answer scores"));
    essaymark()
        .args(["rubric", "lint", "--deny-warnings"])
        .arg(&rubric)
        .assert()
        .success()
        .stdout(predicate::str::ends_with(": ok\n"));
    let s = score(model, &rubric);
    (dir, rubric, s)
}

#[test]
fn derive_from_a_project_model_answer_scores_it_at_least_90() {
    let model = root().join("samples/strong.txt");
    let (_dir, rubric, s) = derive_and_grade(&model);
    assert!(s >= 90.0, "the model scores {s} against its own draft");
    // The draft tells a strong answer from a weak one.
    let weak = score(&root().join("samples/weak.txt"), &rubric);
    assert!(weak < 40.0, "the weak sample scores {weak}");
    let yaml = std::fs::read_to_string(&rubric).unwrap();
    assert!(yaml.starts_with("# yaml-language-server: $schema=rubric.schema.json\n"));
    for key in [
        "kind: lens",
        "kind: scholar",
        "kind: structure",
        "feedback:",
    ] {
        assert!(yaml.contains(key), "draft lacks {key}");
    }
}

#[test]
fn derive_from_a_markdown_model_answer() {
    let model = root().join("rubrics/models/cpec-connectivity.md");
    let (_dir, _rubric, s) = derive_and_grade(&model);
    assert!(s >= 90.0, "the model scores {s} against its own draft");
}

/// A .docx model answer: a title, headings (Word heading styles) and prose,
/// written for this test.
fn docx_model() -> Vec<u8> {
    use std::io::Write;
    let p = |style: &str, text: &str| {
        let ppr = if style.is_empty() {
            String::new()
        } else {
            format!(r#"<w:pPr><w:pStyle w:val="{style}"/></w:pPr>"#)
        };
        format!(r#"<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
    };
    let body = [
        p("Title", "Water and the Indus Economy"),
        p("Heading1", "Introduction"),
        p("", "Pakistan depends on the Indus basin for most of its farming, and the river system is under pressure from glacier melt, population growth and poor storage. This essay argues that water scarcity is an economic problem before it is an environmental one, and that irrigation reform matters more than new dams."),
        p("Heading1", "Glacier Melt and River Flows"),
        p("", "Glacier melt in the Karakoram feeds the Indus in summer. As glaciers retreat, river flows will first rise and then fall, and glacier melt will stop buffering dry years. Hydrologists expect glacier melt to peak by the middle of the century."),
        p("Heading1", "Irrigation Pricing"),
        p("", "Canal water is priced far below its cost, so farmers flood their fields and waste it. Irrigation pricing reform would recover maintenance costs, and volumetric irrigation pricing would reward farmers who line their watercourses."),
        p("Heading1", "Conclusion"),
        p("", "In conclusion, water scarcity in Pakistan is a governance problem. Irrigation pricing and honest accounting of glacier melt should come before any new dam."),
    ]
    .concat();
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(document.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

#[test]
fn derive_from_a_docx_model_answer() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model.docx");
    std::fs::write(&model, docx_model()).unwrap();
    let (_d, rubric, s) = derive_and_grade(&model);
    assert!(s >= 90.0, "the model scores {s} against its own draft");
    let yaml = std::fs::read_to_string(&rubric).unwrap();
    assert!(yaml.contains("id: water-indus-economy"), "{yaml}");
    assert!(yaml.contains("- id: glacier-melt-river-flows"), "{yaml}");
    assert!(yaml.contains("- id: irrigation-pricing"), "{yaml}");
}

#[test]
fn derive_from_the_shared_model_essay_scores_it_at_least_90() {
    let model = root().join("../shared/model-essay.txt");
    if !model.exists() {
        eprintln!(
            "skipped: {} is not here (the shared model answer is read at test time, never copied)",
            model.display()
        );
        return;
    }
    let (_dir, rubric, s) = derive_and_grade(&model);
    assert!(s >= 90.0, "the model scores {s} against its own draft");
    let yaml = std::fs::read_to_string(&rubric).unwrap();
    assert!(yaml.contains("id: lens-security-dilemma"), "{yaml}");
}

#[test]
fn derive_writes_yaml_to_stdout_and_guards_its_input() {
    let out = essaymark()
        .args(["rubric", "derive", "samples/strong.txt", "--id", "my-draft"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let yaml = String::from_utf8(out.stdout).unwrap();
    let r = essaymark::rubric::load_str(&yaml, "stdout").expect("the draft loads");
    assert_eq!(r.id, "my-draft");
    essaymark()
        .args([
            "rubric",
            "derive",
            "samples/strong.txt",
            "--out",
            "samples/strong.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    essaymark()
        .args(["rubric", "derive", "samples/strong.txt", "--id", "Bad Id"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--id"));
    essaymark()
        .args(["rubric", "derive", "samples/no-such-model.txt"])
        .assert()
        .code(2);
}

const HEAD: &str = "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria:\n";

#[test]
fn lint_prints_warnings_like_a_compiler() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("r.yaml");
    std::fs::write(
        &rubric,
        format!("{HEAD}      - id: a\n        points: 2\n        feedback: x\n        match: [Durand Line]\n      - id: b\n        points: 2\n        match:\n          - durand\n"),
    )
    .unwrap();
    let out = essaymark()
        .args(["rubric", "lint"])
        .arg(&rubric)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "warnings only: exit 0");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("r.yaml:14:13: warning[overlapping-phrase]: criterion `b`: \"durand\" also matches inside \"Durand Line\" of criterion `a` (line 10)"),
        "{text}"
    );
    assert!(
        text.contains("14 |           - durand\n   |             ^^^^^^"),
        "{text}"
    );
    assert!(
        text.contains("warning[feedback-missing]: criterion `b`"),
        "{text}"
    );
    assert!(text.contains("r.yaml: 0 errors, 2 warnings"), "{text}");
    essaymark()
        .args(["rubric", "lint", "--deny-warnings"])
        .arg(&rubric)
        .assert()
        .code(1);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(
        essaymark()
            .args(["rubric", "lint", "--format", "json"])
            .arg(&rubric),
    ))
    .unwrap();
    assert_eq!(v["warnings"], 2);
    let findings = v["files"][0]["findings"].as_array().unwrap();
    // Sorted by position: the criterion without feedback (line 11) first.
    assert_eq!(findings[0]["code"], "feedback-missing");
    assert_eq!(findings[1]["code"], "overlapping-phrase");
    assert_eq!(findings[1]["severity"], "warning");
    assert_eq!(findings[1]["line"], 14);
    assert_eq!(findings[1]["column"], 13);
    assert_eq!(findings[1]["criterion"], "b");
}

#[test]
fn lint_errors_exit_1_and_the_built_in_rubrics_have_none() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("bad.yaml");
    std::fs::write(
        &rubric,
        format!("{HEAD}      - id: a\n        points: 2\n        feedback: x\n        match: [{{regex: \"(\"}}]\n"),
    )
    .unwrap();
    essaymark()
        .args(["rubric", "lint"])
        .arg(&rubric)
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "bad.yaml:10:25: error: criterion `a`: invalid regex",
        ));
    essaymark()
        .args([
            "rubric",
            "lint",
            "pakistan-western-security",
            "rubrics/no-such.yaml",
        ])
        .assert()
        .code(1)
        .stdout(
            predicate::str::contains("builtin:pakistan-western-security: ok").or(
                predicate::str::contains("builtin:pakistan-western-security: 0 errors,"),
            ),
        )
        .stdout(predicate::str::contains(
            "rubrics/no-such.yaml:1:1: error: cannot read rubric",
        ));
    for id in [
        "pakistan-western-security",
        "climate-economy",
        "cpec-connectivity",
    ] {
        essaymark().args(["rubric", "lint", id]).assert().success();
    }
}

#[test]
fn rubric_test_reports_precision_recall_and_quotes_disagreements() {
    let args = [
        "rubric",
        "test",
        "pakistan-western-security",
        "--essays",
        "tests/fixtures/eval",
        "--labels",
        "tests/fixtures/eval/labels.yaml",
    ];
    let out = essaymark().args(args).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("criterion                           tp  fp  fn  precision  recall"),
        "{text}"
    );
    assert!(text.contains("presence     precision 0.8"), "{text}");
    assert!(
        text.contains("False hits (found, but the examiner says absent)"),
        "{text}"
    );
    assert!(
        text.contains("Misses (the examiner says present, nothing found)"),
        "{text}"
    );
    // Depth disagreements: full credit the examiner would not give, and
    // partial credit with the reason scoring held it back.
    assert!(
        text.contains("Over-credited (full credit, but the examiner says only partly made)"),
        "{text}"
    );
    let under = text
        .split("Under-credited (partial credit, but the examiner says developed)")
        .nth(1)
        .expect("an under-credited section");
    assert!(under.contains("      held to partial: "), "{under}");
    // The same numbers as the evaluation test, through the same code.
    let v: serde_json::Value = serde_json::from_str(&stdout_of(
        essaymark().args(args).args(["--format", "json"]),
    ))
    .unwrap();
    assert!(v["presence"]["true_positives"].as_u64().unwrap() > 150);
    let kinds: Vec<&str> = v["disagreements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    for kind in ["false-hit", "miss", "over-credit", "under-credit"] {
        assert!(kinds.contains(&kind), "{kind}: {kinds:?}");
    }
    // Every over-credit is counted as a development false positive.
    let over = kinds.iter().filter(|&&k| k == "over-credit").count() as u64;
    assert!(over > 0 && over <= v["development"]["false_positives"].as_u64().unwrap());
    assert!(
        v["per_criterion"]["ttp-revival"]["true_positives"]
            .as_u64()
            .unwrap()
            >= 10
    );
    essaymark()
        .args(args)
        .args(["--min-recall", "0.999"])
        .assert()
        .code(1);
    essaymark()
        .args([
            "rubric",
            "test",
            "climate-economy",
            "--essays",
            "tests/fixtures/eval",
            "--labels",
            "tests/fixtures/eval/labels.yaml",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown criterion"));
}

#[test]
fn calibrate_compares_a_teachers_marks() {
    let args = [
        "rubric",
        "calibrate",
        "climate-economy",
        "--essays",
        "tests/fixtures/eval-climate",
        "--scores",
        "tests/fixtures/calibration/climate-teacher.csv",
        "--out-of",
        "20",
    ];
    let text = stdout_of(essaymark().args(args));
    for line in [
        "Calibration of climate-economy against the teacher's marks (15 essays)",
        "quadratic weighted kappa (bands)",
        "Spearman rho (scores)",
        "Largest disagreements",
    ] {
        assert!(text.contains(line), "{line}\n{text}");
    }
    let v: serde_json::Value = serde_json::from_str(&stdout_of(
        essaymark().args(args).args(["--format", "json"]),
    ))
    .unwrap();
    let kappa = v["kappa"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&kappa), "kappa {kappa}");
    assert_eq!(v["disagreements"].as_array().unwrap().len(), 5);
    essaymark()
        .args(args)
        .args(["--min-kappa", "0.99"])
        .assert()
        .code(1);
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("s.csv");
    std::fs::write(&csv, "missing.txt,50\n").unwrap();
    essaymark()
        .args([
            "rubric",
            "calibrate",
            "climate-economy",
            "--essays",
            "tests/fixtures/eval-climate",
            "--scores",
        ])
        .arg(&csv)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.txt"));
}

#[test]
fn explain_shows_phrases_hits_rules_and_near_misses() {
    let out = essaymark()
        .args([
            "explain",
            "samples/average.txt",
            "--criterion",
            "lens-security-dilemma",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    for part in [
        "✘ lens-security-dilemma — Frames the relationship as a security dilemma  0/5 (missing, required)",
        "missing: the only hits are in the title, which is never evidence",
        "[not counted: the essay's title restates the question and is never evidence]",
        "all of, within one sentence: ✘ no place has every part",
        "argument/argued-in-enough-sentences: full credit needs the argument in 2 substantive sentences",
        "Develop (counts in the paragraph of a hit; for a bullet point, its section)",
        "Advice",
    ] {
        assert!(text.contains(part), "{part}\n{text}");
    }
    let out = essaymark()
        .args([
            "explain",
            "samples/average.txt",
            "-c",
            "ttp-revival",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["status"], "met");
    assert!(v["verdict"].as_str().unwrap().starts_with("met: argued in"));
    let first = &v["matched"]["children"][0];
    assert_eq!(first["text"], "TTP");
    assert!(first["hits"][0]["line"].as_u64().is_some());
    essaymark()
        .args(["explain", "samples/average.txt", "-c", "ttp-reviva"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("closest: ttp-revival"));
}

#[test]
fn explain_says_when_an_argument_is_only_in_the_outline() {
    essaymark()
        .args([
            "explain",
            "tests/fixtures/eval/short-outline.txt",
            "-c",
            "ttp-revival",
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "missing: named only in the outline, never argued in a sentence of its own  [argument/named-only]",
        ))
        .stdout(predicate::str::contains(
            "[not counted: a line of the answer's opening outline",
        ));
}

#[test]
fn explain_finds_near_misses_in_a_misspelled_essay() {
    let dir = tempfile::tempdir().unwrap();
    let essay = dir.path().join("e.txt");
    std::fs::write(
        &essay,
        "Border\n\nThe line that Durand drew in 1893 still divides Pashtun tribes, and Kabul rejects it.\n",
    )
    .unwrap();
    let rubric = dir.path().join("r.yaml");
    std::fs::write(
        &rubric,
        format!("{HEAD}      - id: durand\n        points: 2\n        feedback: x\n        match: [{{phrase: Durand Line, fuzzy: false}}]\n"),
    )
    .unwrap();
    essaymark()
        .arg("explain")
        .arg(&essay)
        .args(["-c", "durand", "--rubric"])
        .arg(&rubric)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "3:15 \"Durand Line\": every word of the phrase is in this sentence, but not together in that order",
        ));
}

#[test]
fn schema_list_and_show() {
    let schema = stdout_of(essaymark().args(["rubric", "schema"]));
    let shipped = std::fs::read_to_string(root().join("rubrics/rubric.schema.json")).unwrap();
    assert_eq!(
        schema, shipped,
        "run `essaymark rubric schema > rubrics/rubric.schema.json`"
    );
    let v: serde_json::Value = serde_json::from_str(&schema).unwrap();
    assert_eq!(v["title"], "essaymark rubric");
    for f in std::fs::read_dir(root().join("rubrics")).unwrap() {
        let p = f.unwrap().path();
        if p.extension().is_some_and(|e| e == "yaml") {
            let text = std::fs::read_to_string(&p).unwrap();
            assert!(
                text.starts_with("# yaml-language-server: $schema=rubric.schema.json"),
                "{} does not point editors at the schema",
                p.display()
            );
        }
    }
    let list = stdout_of(essaymark().args(["rubric", "list"]));
    for id in [
        "pakistan-western-security",
        "climate-economy",
        "cpec-connectivity",
    ] {
        assert!(list.contains(id), "{list}");
    }
    let shown = stdout_of(essaymark().args(["rubric", "show", "climate-economy"]));
    assert_eq!(
        shown,
        std::fs::read_to_string(root().join("rubrics/climate-economy.yaml")).unwrap()
    );
    essaymark()
        .args(["rubric", "show", "nope"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "built-in: pakistan-western-security, climate-economy, cpec-connectivity",
        ));
}

#[test]
fn check_accepts_a_built_in_id_and_a_file_wins() {
    let by_id = score(
        &root().join("rubrics/models/climate-economy.md"),
        Path::new("climate-economy"),
    );
    assert!(by_id >= 90.0, "{by_id}");
    // A file named like a built-in id is the file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("climate-economy"),
        format!(
            "{HEAD}      - id: a\n        points: 2\n        feedback: x\n        match: [zebra]\n"
        ),
    )
    .unwrap();
    let out = essaymark()
        .current_dir(dir.path())
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "--rubric",
            "climate-economy",
        ])
        .arg(root().join("samples/weak.txt"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reports"][0]["rubric"]["id"], "t");
    essaymark()
        .args(["check", "samples/weak.txt", "--rubric", "no-such-rubric"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no built-in rubric with that id"));
}

#[test]
fn calibrate_skips_an_empty_submission_with_a_note_and_compares_the_rest() {
    // The teacher's marks list every essay of eval-climate plus an empty
    // submission: it is left out with a note, the rest are compared.
    let dir = tempfile::tempdir().unwrap();
    let essays = dir.path().join("essays");
    std::fs::create_dir(&essays).unwrap();
    let teacher =
        std::fs::read_to_string(root().join("tests/fixtures/calibration/climate-teacher.csv"))
            .unwrap();
    for entry in std::fs::read_dir(root().join("tests/fixtures/eval-climate")).unwrap() {
        let p = entry.unwrap().path();
        std::fs::copy(&p, essays.join(p.file_name().unwrap())).unwrap();
    }
    std::fs::write(essays.join("blank.txt"), "").unwrap();
    let csv = dir.path().join("marks.csv");
    std::fs::write(&csv, format!("{teacher}blank.txt,12\n")).unwrap();
    let out = essaymark()
        .args(["rubric", "calibrate", "climate-economy", "--out-of", "20"])
        .arg("--essays")
        .arg(&essays)
        .arg("--scores")
        .arg(&csv)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("against the teacher's marks (15 essays)"),
        "{text}"
    );
    assert!(
        err.contains("essaymark: skipped ")
            && err.contains("blank.txt: file is empty (left out of the calibration)"),
        "{err}"
    );
    // Only unreadable submissions: nothing to compare is still an error.
    std::fs::write(&csv, "blank.txt,12\n").unwrap();
    let out = essaymark()
        .args(["rubric", "calibrate", "climate-economy"])
        .arg("--essays")
        .arg(&essays)
        .arg("--scores")
        .arg(&csv)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("blank.txt: file is empty"));
}

#[test]
fn lint_names_a_section_without_a_title_as_a_section() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("r.yaml");
    std::fs::write(
        &rubric,
        "id: t\ntitle: T\nsections:\n  - id: s\n    criteria:\n      - id: a\n        title: A\n        points: 2\n        feedback: Say it.\n        match: [durand line]\n",
    )
    .unwrap();
    let out = essaymark()
        .args(["rubric", "lint"])
        .arg(&rubric)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap() + &String::from_utf8_lossy(&out.stderr);
    assert!(
        text.contains("r.yaml:5:5: error: section `s`: missing field `title`"),
        "{text}"
    );
    assert!(!text.contains("criterion `s`"), "{text}");
}
