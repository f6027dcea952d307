//! End-to-end tests of `essaymark check`: every output format, every exit
//! code, stdin, folders, rubric errors, atomic `--out`, and snapshots of the
//! text and JSON reports of one sample (a change in output is a reviewed change).

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn essaymark() -> Command {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR");
    cmd
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = essaymark().args(args).output().expect("runs");
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

#[test]
fn text_report_of_the_strong_sample() {
    let out = essaymark()
        .args(["check", "samples/strong.txt", "--color", "never"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("Score "), "{text}");
    assert!(
        !text.contains("\u{1b}["),
        "no colour escapes with --color never"
    );
    insta::assert_snapshot!("strong_text", text);
}

#[test]
fn json_report_of_the_strong_sample() {
    let v = json_of(&["check", "samples/strong.txt", "--format", "json"]);
    assert_eq!(v["version"], 1);
    let r = &v["reports"][0];
    assert_eq!(r["essay"], "samples/strong.txt");
    assert_eq!(r["rubric"]["id"], "pakistan-western-security");
    let score = r["score"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&score));
    assert_eq!(r["criteria"].as_array().unwrap().len(), 30);
    for c in r["criteria"].as_array().unwrap() {
        for key in [
            "id",
            "section",
            "kind",
            "title",
            "status",
            "points",
            "max_points",
            "evidence",
        ] {
            assert!(c.get(key).is_some(), "criterion lacks {key}: {c}");
        }
    }
    insta::assert_json_snapshot!("strong_json", r);
}

#[test]
fn color_is_forced_with_always() {
    essaymark()
        .args(["check", "samples/weak.txt", "--color", "always"])
        .assert()
        .success()
        .stdout(predicate::str::contains("\u{1b}["));
}

#[test]
fn jsonl_has_one_report_per_line_in_sorted_order() {
    let out = essaymark()
        .args(["check", "samples", "--format", "jsonl"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let names: Vec<&str> = lines.iter().map(|v| v["essay"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "samples/average.txt",
            "samples/noisy-scan.txt",
            "samples/strong.txt",
            "samples/weak.txt"
        ]
    );
}

#[test]
fn markdown_report_has_a_criteria_table_and_missing_list() {
    essaymark()
        .args(["check", "samples/weak.txt", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "| | Criterion | Section | Points | Evidence |",
        ))
        .stdout(predicate::str::contains("### Missing arguments"));
}

#[test]
fn several_essays_end_with_a_summary_table() {
    essaymark()
        .args(["check", "samples", "--color", "never"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Summary"))
        .stdout(predicate::str::contains("4 graded"));
}

#[test]
fn fail_under_sets_exit_code_one() {
    essaymark()
        .args(["check", "samples/weak.txt", "--fail-under", "60"])
        .assert()
        .code(1);
    essaymark()
        .args(["check", "samples/strong.txt", "--fail-under", "60"])
        .assert()
        .code(0);
    // One failing essay in a batch fails the run.
    essaymark()
        .args([
            "check",
            "samples",
            "--fail-under",
            "60",
            "--format",
            "jsonl",
        ])
        .assert()
        .code(1);
}

#[test]
fn usage_errors_exit_two() {
    essaymark()
        .args(["check"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no essays given"));
    essaymark()
        .args(["check", "samples/weak.txt", "--fail-under", "140"])
        .assert()
        .code(2);
    essaymark()
        .args(["check", "--format", "pdf", "samples/weak.txt"])
        .assert()
        .code(2);
    essaymark().args(["nonsense"]).assert().code(2);
}

#[test]
fn missing_file_is_an_input_error() {
    essaymark()
        .args(["check", "no/such/essay.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no/such/essay.txt: no such file or folder",
        ));
}

#[test]
fn stdin_is_graded_as_plain_text() {
    let essay =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/average.txt"))
            .unwrap();
    let out = essaymark()
        .args(["check", "-", "--format", "json"])
        .write_stdin(essay)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reports"][0]["essay"], "<stdin>");
    let from_file = json_of(&["check", "samples/average.txt", "--format", "json"]);
    assert_eq!(v["reports"][0]["score"], from_file["reports"][0]["score"]);
}

#[test]
fn rubric_errors_name_file_line_column_and_criterion() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("bad.yaml");
    std::fs::write(
        &rubric,
        "id: bad\ntitle: Bad\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: broken\n        points: 2\n        match: [{regex: \"(unclosed\"}]\n",
    )
    .unwrap();
    essaymark()
        .args(["check", "samples/weak.txt", "--rubric"])
        .arg(&rubric)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.yaml:9:"))
        .stderr(predicate::str::contains("criterion `broken`"))
        .stderr(predicate::str::contains("invalid regex"));
}

#[test]
fn unknown_rubric_keys_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let rubric = dir.path().join("typo.yaml");
    std::fs::write(
        &rubric,
        "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: c\n        points: 2\n        mach: [x]\n",
    )
    .unwrap();
    essaymark()
        .args(["check", "samples/weak.txt", "--rubric"])
        .arg(&rubric)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("typo.yaml:9:9"))
        .stderr(predicate::str::contains("mach"));
}

#[test]
fn out_writes_the_report_atomically_and_refuses_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    essaymark()
        .args(["check", "samples/weak.txt", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(v["version"], 1, "format picked from the .json extension");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left behind");

    let essay = dir.path().join("essay.txt");
    std::fs::write(&essay, "The TTP is back.\n").unwrap();
    essaymark()
        .args(["check"])
        .arg(&essay)
        .arg("--out")
        .arg(&essay)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("refusing to overwrite"));
    assert_eq!(
        std::fs::read_to_string(&essay).unwrap(),
        "The TTP is back.\n"
    );
}

#[test]
fn output_is_byte_identical_across_runs() {
    let a = essaymark()
        .args(["check", "samples", "--format", "json"])
        .output()
        .unwrap()
        .stdout;
    let b = essaymark()
        .args(["check", "samples", "--format", "json"])
        .output()
        .unwrap()
        .stdout;
    assert_eq!(a, b);
}

#[test]
fn off_topic_essay_scores_low_and_is_flagged() {
    let v = json_of(&[
        "check",
        "tests/fixtures/eval/offtopic-india-deterrence.txt",
        "--format",
        "json",
    ]);
    let r = &v["reports"][0];
    assert!(r["score"].as_f64().unwrap() < 40.0, "score {}", r["score"]);
    assert_eq!(r["off_topic"], true);
}

/// An outline (bullets, no prose) is a plan: its lines earn nothing, and
/// the report says each argument was named only in the outline. The same
/// bullets ahead of an argued body are an essay that opens with its plan:
/// the body earns what it argues.
#[test]
fn an_outline_of_bullets_is_not_an_essay() {
    let outline_notes = |r: &serde_json::Value| {
        r["criteria"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["note"]
                    .as_str()
                    .is_some_and(|n| n.starts_with("named only in the outline"))
            })
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    let fixture = "tests/fixtures/eval/short-outline.txt";
    let v = json_of(&["check", fixture, "--format", "json"]);
    let r = &v["reports"][0];
    assert_eq!(r["passed"], false, "score {}", r["score"]);
    assert!(r["score"].as_f64().unwrap() < 10.0, "score {}", r["score"]);
    let noted = outline_notes(r);
    assert!(noted.len() >= 10, "{noted:?}");
    assert!(noted.contains(&"ttp-revival".to_string()), "{noted:?}");

    let outline = std::fs::read_to_string(fixture).unwrap();
    let body = "\n\nThe revival of the TTP is the sharpest consequence of the takeover. \
        Fighters who had fled to Afghanistan after earlier military operations regrouped there, \
        and attacks in Khyber Pakhtunkhwa and Balochistan rose year after year because the \
        sanctuaries across the border were left untouched by the new authorities in Kabul.\n\n\
        The border itself became contested ground. Clashes at Torkham and Chaman closed the \
        crossings for days, traders lost their goods, and the quarrel over the fence showed \
        that the Taliban would not accept the Durand Line any more than earlier governments.\n";
    let out = essaymark()
        .args(["check", "-", "--format", "json"])
        .write_stdin(format!("{outline}{body}"))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["reports"][0];
    let ttp = r["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "ttp-revival")
        .unwrap();
    assert_eq!(ttp["status"], "met");
}

/// The report ends with what to add next, biggest gain first: required
/// arguments before optional ones, then by points.
#[test]
fn missing_arguments_come_required_and_biggest_first() {
    let out = essaymark()
        .args(["check", "samples/weak.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let section = text
        .split("Missing arguments")
        .nth(1)
        .and_then(|s| s.split("To develop").next())
        .expect("a missing-arguments section");
    // "  ✘ id — title (4 points, required)"
    let ranks: Vec<(bool, f64)> = section
        .lines()
        .filter(|l| l.starts_with("  ✘ "))
        .map(|l| {
            let tail = &l[l.rfind('(').unwrap() + 1..];
            let points: f64 = tail.split(' ').next().unwrap().parse().unwrap();
            (tail.contains("required"), points)
        })
        .collect();
    assert!(ranks.len() >= 10, "{section}");
    assert!(ranks.iter().any(|r| r.0) && ranks.iter().any(|r| !r.0));
    for pair in ranks.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        assert!(
            (a.0 && !b.0) || (a.0 == b.0 && a.1 >= b.1),
            "{a:?} before {b:?}\n{section}"
        );
    }
}

#[test]
fn check_help_lists_pdf_and_explains_the_similarity_default() {
    let out = essaymark().args(["check", "--help"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    let paths = &help[help.find("[PATH]...").unwrap()..];
    assert!(paths.contains(".pdf"), "{help}");
    assert!(!help.contains("see `settings`"), "{help}");
    assert!(
        help.contains("`similarity` key of .essaymark.yaml"),
        "{help}"
    );
}

/// Plain text saved as .md is read for the same line shapes as .txt
/// (headings above their paragraph, `→` options, scan furniture), so every
/// sample scores within 3 points of its .txt self.
#[test]
fn plain_text_saved_as_markdown_scores_as_txt() {
    let tmp = tempfile::tempdir().unwrap();
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
    let names = ["strong", "average", "weak", "noisy-scan"];
    for name in names {
        let from = samples.join(format!("{name}.txt"));
        std::fs::copy(&from, tmp.path().join(format!("{name}.txt"))).unwrap();
        std::fs::copy(&from, tmp.path().join(format!("{name}.md"))).unwrap();
    }
    let v = json_of(&["check", tmp.path().to_str().unwrap(), "--format", "json"]);
    let score = |file: &str| {
        v["reports"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["essay"].as_str().unwrap().ends_with(file))
            .unwrap_or_else(|| panic!("{file} not graded"))["score"]
            .as_f64()
            .unwrap()
    };
    for name in names {
        let (txt, md) = (score(&format!("{name}.txt")), score(&format!("{name}.md")));
        assert!((txt - md).abs() <= 3.0, "{name}: .txt {txt} vs .md {md}");
    }
}

/// #23: a weak answer on the question is "too little argued", never called
/// off-topic, in the text report and in JSON; the off-topic flag is kept
/// for a text about something else.
#[test]
fn a_thin_answer_is_too_little_argued_not_off_topic() {
    let out = essaymark()
        .args(["check", "--no-config", "samples/weak.txt"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Too little argued:"), "{text}");
    assert!(!text.contains("off-topic"), "{text}");
    let out = essaymark()
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "samples/weak.txt",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["reports"][0]["off_topic"], false);
    assert_eq!(v["reports"][0]["too_little_argued"], true);
    let out = essaymark()
        .args([
            "check",
            "--no-config",
            "--format",
            "json",
            "tests/fixtures/eval/offtopic-india-deterrence.txt",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let r = &v["reports"][0];
    assert_eq!(r["off_topic"], true);
    assert!(r.get("too_little_argued").is_none(), "{r}");
    for c in r["criteria"].as_array().unwrap() {
        if c["kind"] == "lens" {
            assert_eq!(c["points"], 0.0, "{}", c["id"]);
        }
    }
}

/// Levels of development: every argument criterion of the JSON report says
/// its level and what the next one needs; a rubric's `settings.levels`
/// makes a developed (not in-depth) argument earn less; shares that fall
/// with the level are an error naming the file.
#[test]
fn levels_of_development_are_reported_and_set_by_the_rubric() {
    let json = |args: &[&str]| -> serde_json::Value {
        let out = essaymark()
            .args(["check", "samples/strong.txt", "--format", "json"])
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["reports"][0].clone()
    };
    let r = json(&[]);
    let criteria = r["criteria"].as_array().unwrap();
    let levels: Vec<&str> = criteria
        .iter()
        .filter_map(|c| c["level"].as_str())
        .collect();
    assert!(
        levels.contains(&"in-depth") && levels.contains(&"developed"),
        "{levels:?}"
    );
    for c in criteria {
        match c["kind"].as_str().unwrap() {
            "lens" | "theme" => assert!(c["level"].is_string(), "{c}"),
            _ => assert!(c.get("level").is_none(), "{c}"),
        }
        if c["level"] == "developed" {
            assert!(
                c["next_level"].as_str().unwrap().starts_with("in depth"),
                "{c}"
            );
        }
    }
    // The same rubric with depth weighted.
    let dir = tempfile::tempdir().unwrap();
    let yaml = std::fs::read_to_string("rubrics/pakistan-western-security.yaml").unwrap();
    assert!(
        yaml.contains("\nsettings:\n"),
        "the built-in rubric has settings"
    );
    let weighted = dir.path().join("weighted.yaml");
    std::fs::write(
        &weighted,
        yaml.replacen(
            "\nsettings:\n",
            "\nsettings:\n  levels: {developed: 0.8}\n",
            1,
        ),
    )
    .unwrap();
    let w = json(&["--rubric", weighted.to_str().unwrap()]);
    assert!(w["score"].as_f64().unwrap() < r["score"].as_f64().unwrap());
    for (a, b) in criteria.iter().zip(w["criteria"].as_array().unwrap()) {
        let (pa, pb) = (a["points"].as_f64().unwrap(), b["points"].as_f64().unwrap());
        match a["level"].as_str() {
            Some("developed") => assert!((pb - 0.8 * pa).abs() < 0.01, "{a} {b}"),
            _ => assert_eq!(pa, pb, "{a} {b}"),
        }
    }
    let falling = dir.path().join("falling.yaml");
    std::fs::write(
        &falling,
        yaml.replacen(
            "\nsettings:\n",
            "\nsettings:\n  levels: {developed: 0.9, in_depth: 0.5}\n",
            1,
        ),
    )
    .unwrap();
    essaymark()
        .args([
            "check",
            "samples/strong.txt",
            "--rubric",
            falling.to_str().unwrap(),
        ])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("falling.yaml")
                .and(predicate::str::contains("settings.levels")),
        );
}
