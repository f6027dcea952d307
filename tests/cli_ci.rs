//! CI support end to end: `.essaymark.yaml` (discovery, groups, defaults,
//! located errors), exit codes, and the machine formats (SARIF, JUnit,
//! GitHub workflow commands and job summary), run through the binary in a
//! temporary writing repository.

use assert_cmd::Command;
use quick_xml::events::Event;
use serde_json::Value;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name)
}

/// `essaymark` run in `dir`, with no GitHub environment leaking in.
fn essaymark(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_essaymark"));
    cmd.current_dir(dir)
        .env_remove("GITHUB_STEP_SUMMARY")
        .env("NO_COLOR", "1");
    cmd
}

/// A temporary git repository with `.essaymark.yaml` (when given) and
/// essays copied from `samples/` to the given places.
fn repo(config: Option<&str>, essays: &[(&str, &str)]) -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let _ = std::process::Command::new("git")
        .args(["init", "-q"])
        .current_dir(tmp.path())
        .status();
    if let Some(c) = config {
        std::fs::write(tmp.path().join(".essaymark.yaml"), c).unwrap();
    }
    for (dest, from) in essays {
        let p = tmp.path().join(dest);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::copy(sample(from), p).unwrap();
    }
    tmp
}

fn stdout_json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

fn essays_in(report: &Value) -> Vec<String> {
    report["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["essay"].as_str().unwrap().to_string())
        .collect()
}

const TWO_GROUPS: &str = "\
fail_under: 60
format: json
ignore: [\"answers/drafts/**\"]
essays:
  - paths: [\"answers/security/**/*.txt\"]
";

#[test]
fn config_essays_all_passing_exit_0() {
    let tmp = repo(
        Some(TWO_GROUPS),
        &[
            ("answers/security/b/second.txt", "strong.txt"),
            ("answers/security/a/first.txt", "strong.txt"),
            ("answers/drafts/weak.txt", "weak.txt"),
            ("answers/security/notes.pdf", "weak.txt"),
        ],
    );
    let out = essaymark(tmp.path()).arg("check").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout_json(&out);
    // Sorted, drafts ignored, unsupported extensions skipped.
    assert_eq!(
        essays_in(&json),
        vec![
            "answers/security/a/first.txt",
            "answers/security/b/second.txt"
        ]
    );
}

#[test]
fn one_config_essay_below_fail_under_exits_1() {
    let tmp = repo(
        Some(TWO_GROUPS),
        &[
            ("answers/security/strong.txt", "strong.txt"),
            ("answers/security/weak.txt", "weak.txt"),
        ],
    );
    let out = essaymark(tmp.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json = stdout_json(&out);
    // Both essays are still reported; only the weak one fails.
    assert_eq!(
        essays_in(&json),
        vec!["answers/security/strong.txt", "answers/security/weak.txt"]
    );
    let scores: Vec<f64> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["score"].as_f64().unwrap())
        .collect();
    assert!(scores[0] >= 60.0 && scores[1] < 60.0, "{scores:?}");
}

#[test]
fn unknown_config_key_exits_2_with_file_line_col() {
    let tmp = repo(
        Some("fail_under: 60\nessays:\n  - paths: [\"*.txt\"]\n    rubrik: x.yaml\n"),
        &[("strong.txt", "strong.txt")],
    );
    let out = essaymark(tmp.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".essaymark.yaml:4:5: "), "{err}");
    assert!(err.contains("rubrik"), "{err}");
    // The offending line is shown under the message.
    assert!(err.contains("4 |     rubrik: x.yaml"), "{err}");
}

#[test]
fn unknown_format_in_config_is_located() {
    let tmp = repo(Some("format: yaml\n"), &[("strong.txt", "strong.txt")]);
    let out = essaymark(tmp.path())
        .args(["check", "strong.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(".essaymark.yaml:1:9: unknown format `yaml`"),
        "{err}"
    );
}

#[test]
fn config_is_found_from_a_subfolder() {
    let tmp = repo(
        Some("fail_under: 60\nessays:\n  - paths: [\"answers/*.txt\"]\n"),
        &[("answers/weak.txt", "weak.txt")],
    );
    let sub = tmp.path().join("answers");
    // Defaults apply to a path given in the subfolder…
    essaymark(&sub).args(["check", "weak.txt"]).assert().code(1);
    essaymark(&sub)
        .args(["check", "weak.txt", "--no-config"])
        .assert()
        .code(0);
    // …and with no paths the config's essays are graded, named relative to
    // where essaymark runs.
    let out = essaymark(&sub)
        .args(["check", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(essays_in(&stdout_json(&out)), vec!["../answers/weak.txt"]);
}

#[test]
fn explicit_config_paths_are_relative_to_its_folder() {
    let tmp = repo(None, &[("course/essays/weak.txt", "weak.txt")]);
    std::fs::write(
        tmp.path().join("course/ci.yaml"),
        "fail_under: 5\nformat: json\nessays:\n  - paths: [\"essays\"]\n",
    )
    .unwrap();
    let out = essaymark(tmp.path())
        .args(["check", "--config", "course/ci.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        essays_in(&stdout_json(&out)),
        vec!["course/essays/weak.txt"]
    );
}

#[test]
fn command_line_flags_beat_the_config() {
    let tmp = repo(
        Some("fail_under: 60\nformat: json\nrequired_must_pass: true\n"),
        &[("weak.txt", "weak.txt"), ("strong.txt", "strong.txt")],
    );
    // Config alone: weak fails (score and required criteria), output is JSON.
    let out = essaymark(tmp.path())
        .args(["check", "weak.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    stdout_json(&out);
    // --fail-under beats fail_under, but required_must_pass still fails it.
    essaymark(tmp.path())
        .args(["check", "weak.txt", "--fail-under", "5"])
        .assert()
        .code(1);
    // --max-missing-required beats required_must_pass.
    essaymark(tmp.path())
        .args([
            "check",
            "weak.txt",
            "--fail-under",
            "5",
            "--max-missing-required",
            "10",
        ])
        .assert()
        .code(0);
    // --format beats format.
    let out = essaymark(tmp.path())
        .args(["check", "strong.txt", "--format", "text"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(serde_json::from_slice::<Value>(&out.stdout).is_err());
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("strong.txt"));
    // A repeated flag overrides the earlier one (pre-commit `args:`).
    essaymark(tmp.path())
        .args([
            "check",
            "--fail-under",
            "90",
            "weak.txt",
            "--fail-under",
            "5",
            "--max-missing-required",
            "10",
        ])
        .assert()
        .code(0);
}

#[test]
fn required_must_pass_fails_an_essay_missing_a_required_criterion() {
    // weak.txt misses required criteria; with a threshold of 0 only the
    // required rule can fail it.
    let tmp = repo(Some("fail_under: 0\n"), &[("weak.txt", "weak.txt")]);
    essaymark(tmp.path())
        .args(["check", "weak.txt"])
        .assert()
        .code(0);
    std::fs::write(
        tmp.path().join(".essaymark.yaml"),
        "fail_under: 0\nrequired_must_pass: true\n",
    )
    .unwrap();
    essaymark(tmp.path())
        .args(["check", "weak.txt"])
        .assert()
        .code(1);
}

#[test]
fn command_line_paths_replace_the_config_essay_list() {
    let tmp = repo(
        Some("fail_under: 60\nformat: json\nessays:\n  - paths: [\"weak.txt\"]\n"),
        &[("weak.txt", "weak.txt"), ("strong.txt", "strong.txt")],
    );
    let out = essaymark(tmp.path())
        .args(["check", "strong.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(essays_in(&stdout_json(&out)), vec!["strong.txt"]);
}

const TINY_RUBRIC: &str = "\
id: tiny
title: Tiny rubric
sections:
  - id: body
    title: Body
    criteria:
      - id: names-the-taliban
        title: Names the Taliban
        points: 10
        feedback: Say who rules Kabul.
        match: [taliban]
";

#[test]
fn each_essay_group_uses_its_own_rubric() {
    let tmp = repo(
        Some(
            "format: json\nessays:\n  - paths: [\"security/*.txt\"]\n  - paths: [\"tiny/*.txt\"]\n    rubric: rubrics/tiny.yaml\n",
        ),
        &[("security/a.txt", "strong.txt"), ("tiny/b.txt", "strong.txt")],
    );
    std::fs::create_dir_all(tmp.path().join("rubrics")).unwrap();
    std::fs::write(tmp.path().join("rubrics/tiny.yaml"), TINY_RUBRIC).unwrap();
    let out = essaymark(tmp.path()).arg("check").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json = stdout_json(&out);
    let rubrics: Vec<&str> = json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["rubric"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(rubrics, vec!["pakistan-western-security", "tiny"]);
    // --rubric beats every group's rubric.
    let out = essaymark(tmp.path())
        .args(["check", "--rubric", "rubrics/tiny.yaml"])
        .output()
        .unwrap();
    let json = stdout_json(&out);
    assert!(json["reports"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["rubric"]["id"] == "tiny"));
}

#[test]
fn no_paths_and_no_config_is_a_usage_error() {
    let tmp = repo(None, &[]);
    let out = essaymark(tmp.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no essays given"));
}

/// The JSON report of one essay, for comparing with the machine formats.
fn json_report(dir: &Path, essay: &str) -> Value {
    let out = essaymark(dir)
        .args(["check", essay, "--format", "json"])
        .output()
        .unwrap();
    stdout_json(&out)["reports"][0].clone()
}

fn count_status(report: &Value, status: &str, required: Option<bool>) -> usize {
    report["criteria"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == status && required.is_none_or(|r| c["required"] == r))
        .count()
}

#[test]
fn sarif_has_a_rule_per_criterion_and_a_result_per_gap() {
    let tmp = repo(None, &[("essays/weak.txt", "weak.txt")]);
    let report = json_report(tmp.path(), "essays/weak.txt");
    let out = essaymark(tmp.path())
        .args(["check", "essays/weak.txt", "--format", "sarif"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let sarif = stdout_json(&out);
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["$schema"]
        .as_str()
        .unwrap()
        .contains("sarif-schema-2.1.0"));
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "essaymark");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(driver["informationUri"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    let criteria = report["criteria"].as_array().unwrap();
    let rules = driver["rules"].as_array().unwrap();
    assert_eq!(rules.len(), criteria.len());
    let isis = rules.iter().find(|r| r["id"] == "isis-k").unwrap();
    assert_eq!(isis["name"], "IsisK");
    assert_eq!(isis["shortDescription"]["text"], "Expansion of ISIS-K");
    assert!(!isis["help"]["text"].as_str().unwrap().is_empty());

    let results = runs[0]["results"].as_array().unwrap();
    let missing = count_status(&report, "missing", None);
    let partial = count_status(&report, "partial", None);
    assert_eq!(results.len(), missing + partial);
    let level = |l: &str| results.iter().filter(|r| r["level"] == l).count();
    assert_eq!(level("error"), count_status(&report, "missing", Some(true)));
    assert_eq!(
        level("warning"),
        count_status(&report, "missing", Some(false))
    );
    assert_eq!(level("note"), partial);
    for r in results {
        let idx = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], r["ruleId"]);
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "essays/weak.txt");
        let c = criteria.iter().find(|c| c["id"] == r["ruleId"]).unwrap();
        let want = if c["status"] == "partial" {
            c["evidence"][0]["line"].as_u64().unwrap()
        } else {
            1
        };
        assert_eq!(loc["region"]["startLine"].as_u64(), Some(want), "{r}");
    }
}

#[test]
fn sarif_format_is_picked_from_the_out_extension() {
    let tmp = repo(None, &[("weak.txt", "weak.txt")]);
    essaymark(tmp.path())
        .args(["check", "weak.txt", "--out", "report.sarif"])
        .assert()
        .code(0);
    let sarif: Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("report.sarif")).unwrap()).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn junit_is_well_formed_with_a_testcase_per_criterion() {
    let tmp = repo(
        Some("fail_under: 50\nessays:\n  - paths: [\"*.txt\"]\n"),
        &[("strong.txt", "strong.txt"), ("weak.txt", "weak.txt")],
    );
    let strong = json_report(tmp.path(), "strong.txt");
    let weak = json_report(tmp.path(), "weak.txt");
    let out = essaymark(tmp.path())
        .args(["check", "--format", "junit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();

    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures, mut outs, mut roots) = (0, 0, 0, 0, 0);
    let mut skipped = 0;
    let mut depth = 0i32;
    let mut classnames = Vec::new();
    loop {
        let ev = reader.read_event().unwrap_or_else(|e| {
            panic!("malformed XML at {}: {e}\n{xml}", reader.buffer_position())
        });
        let (name, opens) = match &ev {
            Event::Start(e) => (e.name().as_ref().to_vec(), true),
            Event::Empty(e) => (e.name().as_ref().to_vec(), false),
            Event::End(_) => {
                depth -= 1;
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        match name.as_slice() {
            b"testsuites" => {
                assert_eq!(depth, 0);
                roots += 1;
            }
            b"testsuite" => suites += 1,
            b"testcase" => {
                cases += 1;
                if let Event::Start(e) | Event::Empty(e) = &ev {
                    let a = e.try_get_attribute("classname").unwrap().unwrap();
                    classnames.push(String::from_utf8(a.value.to_vec()).unwrap());
                }
            }
            b"failure" => failures += 1,
            b"skipped" => skipped += 1,
            b"system-out" => outs += 1,
            _ => {}
        }
        if opens {
            depth += 1;
        }
    }
    assert_eq!(depth, 0, "unbalanced XML");
    assert_eq!(roots, 1);
    assert_eq!(suites, 2);
    let n = strong["criteria"].as_array().unwrap().len();
    // The weak essay is below fail_under: one more test case, failing.
    assert_eq!(cases, 2 * n + 1);
    // Only what fails the run is a failure: the weak essay's threshold.
    // Missing criteria are skipped cases, so the dashboard is red exactly
    // when CI is.
    assert_eq!(failures, 1, "{xml}");
    let missing = count_status(&strong, "missing", None) + count_status(&weak, "missing", None);
    assert!(missing > 0);
    assert_eq!(skipped, missing);
    let expected = format!(
        "<failure message=\"score {:.1} is below fail_under 50 (.essaymark.yaml)\" type=\"threshold\">",
        weak["score"].as_f64().unwrap()
    );
    assert!(xml.contains(&expected), "{xml}");
    assert_eq!(
        outs,
        count_status(&strong, "partial", None) + count_status(&weak, "partial", None) + missing
    );
    assert!(classnames.iter().any(|c| c == "lens"), "{classnames:?}");
    assert_eq!(classnames.iter().filter(|c| *c == "essaymark").count(), 1);
}

/// The GitHub annotations for samples/weak.txt against the built-in rubric:
/// its three missing required criteria, the first missing optional one and
/// the first partial one.
const WEAK_ERRORS: &[&str] = &[
    "::error file=essays/weak.txt,line=1,title=essaymark lens-security-dilemma::Missing required criterion: Frames the relationship as a security dilemma (0/5 points). Frame Pakistan-Afghanistan relations as a security dilemma: what Kabul treats as accommodation of the TTP, Pakistan experiences as insecurity, and each side's response deepens the other's mistrust.",
    "::error file=essays/weak.txt,line=1,title=essaymark isis-k::Missing required criterion: Expansion of ISIS-K (0/5 points). Cover ISIS-K (Islamic State Khorasan Province): its expansion from Afghan territory, defectors from other factions, mass-casualty and sectarian attacks, and its targeting of Pakistan and Chinese interests.",
    "::error file=essays/weak.txt,line=1,title=essaymark durand-line::Missing required criterion: The Durand Line dispute (0/5 points). Discuss the Durand Line: the Taliban, like earlier Afghan governments, refuse to recognise the 1893 border, opposing the fence and keeping the frontier a flashpoint.",
];
const WEAK_FIRST_WARNING: &str = "::warning file=essays/weak.txt,line=1,title=essaymark lens-realism::Missing: Uses a realist perspective (interests, survival, threat) (0/5 points). Name your analytical lens: a realist reading (states pursue survival and interests; they respond to perceived threats, as in Walt's balance of threat) gives the essay its argument.";
const WEAK_FIRST_NOTICE: &str = "::notice file=essays/weak.txt,line=9,title=essaymark ttp-revival::Partly met: Revival of the TTP after 2021 (3/6 points). Argued in one sentence; develop it with causes, effects or evidence. Explain the TTP's revival: leadership sanctuaries in Afghanistan after August 2021, less pressure on militant networks, and the rise in attacks in Khyber Pakhtunkhwa and Balochistan.";

#[test]
fn github_annotations_for_one_essay() {
    let tmp = repo(None, &[("essays/weak.txt", "weak.txt")]);
    let report = json_report(tmp.path(), "essays/weak.txt");
    let out = essaymark(tmp.path())
        .args(["check", "essays/weak.txt", "--format", "github"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines = |prefix: &str| -> Vec<String> {
        stdout
            .lines()
            .filter(|l| l.starts_with(prefix))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(lines("::error "), WEAK_ERRORS);
    let warnings = lines("::warning ");
    assert_eq!(warnings[0], WEAK_FIRST_WARNING);
    // GitHub shows ten warnings per step: nine, then one counting the rest.
    let optional = count_status(&report, "missing", Some(false));
    assert!(optional > 10);
    assert_eq!(warnings.len(), 10);
    assert_eq!(
        warnings[9],
        format!(
            "::warning title=essaymark::{} more warnings not shown: GitHub shows 10 warnings per step; run `essaymark check --format concise` to list them all.",
            optional - 9
        )
    );
    let notices = lines("::notice ");
    assert_eq!(notices[0], WEAK_FIRST_NOTICE);
    assert_eq!(notices.len(), count_status(&report, "partial", None));
    // Every other line is the plain score line.
    assert_eq!(
        lines("essaymark: "),
        vec!["essaymark: essays/weak.txt: 7.0/100 (Needs work), 27 missing, 2 partial"]
    );
}

#[test]
fn github_step_summary_is_appended() {
    let tmp = repo(
        None,
        &[("weak.txt", "weak.txt"), ("strong.txt", "strong.txt")],
    );
    let summary = tmp.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    essaymark(tmp.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args(["check", "strong.txt", "weak.txt", "--format", "github"])
        .assert()
        .code(0);
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.starts_with("earlier step\n## essaymark\n"), "{md}");
    assert!(
        md.contains("### strong.txt — 100.0/100 · Excellent"),
        "{md}"
    );
    assert!(md.contains("### weak.txt — "), "{md}");
    assert!(
        md.contains("| ❌ | `isis-k` Expansion of ISIS-K | internal-security | 0/5 | required |"),
        "{md}"
    );
    assert_eq!(md.matches("|---|---|---|---:|---|").count(), 2, "{md}");
}

#[test]
fn completions_print_a_script() {
    let tmp = repo(None, &[]);
    let out = essaymark(tmp.path())
        .args(["completions", "bash"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let script = String::from_utf8(out.stdout).unwrap();
    assert!(script.contains("_essaymark()"), "{script}");
    assert!(script.contains("--fail-under"));
    assert!(script.contains("completions"));
    essaymark(tmp.path())
        .args(["completions", "tcsh"])
        .assert()
        .code(2);
}

#[test]
fn documented_config_example_loads() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/ci.md")).unwrap();
    let start = doc
        .find("```yaml\nfail_under:")
        .expect("config example in docs/ci.md")
        + 8;
    let end = start + doc[start..].find("```").unwrap();
    let config = essaymark::configuration::config::load_str(
        &doc[start..end],
        Path::new("docs/ci.md"),
        Path::new(""),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.fail_under, Some(60.0));
    assert_eq!(config.essays.len(), 2);
    assert_eq!(
        config.essays[0].rubric.as_deref(),
        Some(Path::new("rubrics/pakistan-western-security.yaml"))
    );
}

// A writing repository as CI sees it: two groups with their own rubrics,
// `ignore`, a .gitignored file and a symlinked essay, graded by the exact
// commands the pre-commit hook and the composite action run.

const WRITING_CONFIG: &str = "\
fail_under: 40
ignore: [\"drafts/**\"]
essays:
  - paths: [\"answers/security/\"]
  - paths: [\"answers/economy/**/*.md\"]
    rubric: climate-economy
";

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// `answers/security/` (built-in rubric): ali.md (the average sample),
/// bilal.md (a link to `archive/bilal.md`, the strong sample, on Unix),
/// notes.md (.gitignored) and scan.pdf; `answers/economy/sana.md` (a strong
/// climate essay); `drafts/draft.md` (ignored by the config).
fn writing_repo() -> TempDir {
    let tmp = repo(
        Some(WRITING_CONFIG),
        &[
            ("answers/security/ali.md", "average.txt"),
            ("answers/security/notes.md", "weak.txt"),
            ("archive/bilal.md", "strong.txt"),
            ("drafts/draft.md", "weak.txt"),
        ],
    );
    let root = tmp.path();
    std::fs::create_dir_all(root.join("answers/economy")).unwrap();
    std::fs::copy(
        manifest("tests/fixtures/eval-climate/strong-analytical.md"),
        root.join("answers/economy/sana.md"),
    )
    .unwrap();
    std::fs::write(root.join("answers/security/scan.pdf"), "%PDF-1.4").unwrap();
    std::fs::write(root.join(".gitignore"), "answers/security/notes.md\n").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(
        "../../archive/bilal.md",
        root.join("answers/security/bilal.md"),
    )
    .unwrap();
    tmp
}

/// The essays `writing_repo` grades, whichever way they are named.
fn graded_in_writing_repo() -> Vec<(&'static str, &'static str)> {
    let mut v = vec![
        ("answers/economy/sana.md", "climate-economy"),
        ("answers/security/ali.md", "pakistan-western-security"),
    ];
    if cfg!(unix) {
        v.push(("answers/security/bilal.md", "pakistan-western-security"));
    }
    v
}

fn rubric_per_essay(report: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = report["reports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["essay"].as_str().unwrap().to_string(),
                r["rubric"]["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}

fn owned(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

/// The pre-commit hook of `.pre-commit-hooks.yaml` as pre-commit runs it:
/// its `entry`, then the user's `args`, then the staged files its `files`
/// pattern selects.
fn hook(dir: &Path, args: &[&str], staged: &[&str]) -> std::process::Output {
    let text = std::fs::read_to_string(manifest(".pre-commit-hooks.yaml")).unwrap();
    let hooks: Value = serde_saphyr::from_str(&text).unwrap();
    let h = &hooks[0];
    assert_eq!(h["id"], "essaymark");
    let entry: Vec<&str> = h["entry"].as_str().unwrap().split_whitespace().collect();
    assert_eq!(entry[0], "essaymark");
    let files = regex::Regex::new(h["files"].as_str().unwrap()).unwrap();
    let mut cmd = essaymark(dir);
    cmd.args(&entry[1..]).args(args);
    cmd.args(staged.iter().filter(|f| files.is_match(f)));
    cmd.output().unwrap()
}

/// The "Grade essays" step of `action.yml` (scripts/action/grade.sh), run by
/// bash with the action's inputs as the step passes them and the built
/// binary on the PATH.
fn action(dir: &Path, inputs: &[(&str, &str)], summary: Option<&Path>) -> std::process::Output {
    let text = std::fs::read_to_string(manifest("action.yml")).unwrap();
    let action: Value = serde_saphyr::from_str(&text).unwrap();
    let step = action["runs"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Grade essays")
        .expect("action.yml has a `Grade essays` step");
    assert_eq!(
        step["run"], "bash \"$GITHUB_ACTION_PATH/scripts/action/grade.sh\"",
        "the step runs the tested script"
    );
    let bin = Path::new(env!("CARGO_BIN_EXE_essaymark")).parent().unwrap();
    let path = std::env::join_paths(std::iter::once(bin.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();
    let mut cmd = std::process::Command::new("bash");
    cmd.arg(manifest("scripts/action/grade.sh"))
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY");
    for name in ["PATHS", "RUBRIC", "FAIL_UNDER", "FORMAT", "ARGS"] {
        cmd.env(format!("INPUT_{name}"), "");
    }
    cmd.env("INPUT_FORMAT", "github");
    for (k, v) in inputs {
        cmd.env(format!("INPUT_{k}"), v);
    }
    if let Some(s) = summary {
        cmd.env("GITHUB_STEP_SUMMARY", s);
    }
    cmd.output().unwrap()
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn hook_grades_each_staged_file_with_its_groups_rubric_and_skips_ignored_ones() {
    let tmp = writing_repo();
    let staged = [
        "answers/economy/sana.md",
        "answers/security/ali.md",
        "drafts/draft.md",
        ".essaymark.yaml",
    ];
    let out = hook(tmp.path(), &["--format", "json"], &staged);
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let v = stdout_json(&out);
    assert_eq!(
        rubric_per_essay(&v),
        owned(&[
            ("answers/economy/sana.md", "climate-economy"),
            ("answers/security/ali.md", "pakistan-western-security"),
        ])
    );
    // Graded against its group's rubric, the climate essay scores high.
    assert!(v["reports"][0]["score"].as_f64().unwrap() > 80.0, "{v}");
    assert!(
        err.contains(
            "essaymark: note: skipping drafts/draft.md: ignored by .essaymark.yaml (`drafts/**`)"
        ),
        "{err}"
    );

    // The hook exactly as shipped (concise report): one line per finding,
    // a score line per essay and the count.
    let out = hook(tmp.path(), &[], &staged);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    let finding = regex::Regex::new(
        r"^answers/(economy/sana|security/ali)\.md:\d+:\d+: (error|warning|note) [a-z0-9-]+ ",
    )
    .unwrap();
    for line in report.lines() {
        assert!(
            finding.is_match(line)
                || line.starts_with("answers/economy/sana.md: score ")
                || line.starts_with("answers/security/ali.md: score ")
                || line.starts_with("Found "),
            "not a concise line: {line}\n{report}"
        );
    }
    assert!(report.lines().count() > 2, "{report}");
    assert!(!report.contains("drafts/draft.md"), "{report}");
    assert!(!report.contains("fails the check"), "{report}");
    // The full report is one flag away.
    let full = hook(tmp.path(), &["--format", "text"], &staged);
    assert!(text(&full.stdout).contains("(climate-economy v"));
}

#[test]
fn hook_with_only_ignored_files_staged_passes() {
    let tmp = writing_repo();
    let out = hook(tmp.path(), &[], &["drafts/draft.md"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty(), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("skipping drafts/draft.md: ignored"));
}

#[test]
fn hook_blocks_the_commit_and_says_which_threshold_failed() {
    let tmp = writing_repo();
    let out = hook(
        tmp.path(),
        &["--fail-under", "65"],
        &["answers/security/ali.md", "answers/economy/sana.md"],
    );
    assert_eq!(out.status.code(), Some(1));
    let report = text(&out.stdout);
    let line = report
        .lines()
        .find(|l| l.starts_with("answers/security/ali.md:1:1: error fail_under score "))
        .unwrap_or_else(|| panic!("{report}"));
    assert!(
        line.ends_with("is below fail_under 65 (--fail-under)"),
        "{line}"
    );
    assert!(
        report
            .lines()
            .any(|l| l.starts_with("answers/security/ali.md: score ")
                && l.ends_with(" missing, fails the check")),
        "{report}"
    );
    assert!(report.contains("; 1 below a CI threshold"), "{report}");
    // Short enough to read in a terminal: one line per finding.
    assert!(report.lines().count() < 40, "{report}");

    // The text format still tells the rubric's pass mark from the CI
    // threshold: the failing essay's score line does not just say "passed".
    let out = hook(
        tmp.path(),
        &["--fail-under", "65", "--format", "text"],
        &["answers/security/ali.md", "answers/economy/sana.md"],
    );
    let report = text(&out.stdout);
    assert!(
        report.lines().any(|l| l.starts_with("✘ FAILS THE CHECK: ")),
        "{report}"
    );
    let score = report
        .lines()
        .find(|l| l.starts_with("Score ") && l.contains("rubric pass mark met"));
    assert!(score.is_some(), "{report}");
    assert!(
        report.contains("1 below a CI threshold: the check fails"),
        "{report}"
    );
}

#[test]
fn summary_prints_only_the_class_table() {
    let tmp = repo(
        None,
        &[("c/strong.txt", "strong.txt"), ("c/weak.txt", "weak.txt")],
    );
    let out = essaymark(tmp.path())
        .args(["check", "c", "--summary"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    assert!(report.starts_with("Summary\n"), "{report}");
    assert!(report.contains("c/weak.txt"), "{report}");
    assert!(report.contains("2 graded, mean"), "{report}");
    // No per-essay report.
    assert!(!report.contains("Missing arguments"), "{report}");
    assert!(!report.contains("Score "), "{report}");
    let err = essaymark(tmp.path())
        .args(["check", "c", "--summary", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(err.status.code(), Some(2));
    assert!(
        text(&err.stderr).contains("--summary"),
        "{}",
        text(&err.stderr)
    );
}

#[test]
fn concise_lists_each_finding_on_one_line() {
    let tmp = repo(None, &[("weak.txt", "weak.txt")]);
    let report = json_report(tmp.path(), "weak.txt");
    let out = essaymark(tmp.path())
        .args(["check", "weak.txt", "--format", "concise"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let count = |level: &str| {
        stdout
            .lines()
            .filter(|l| l.contains(&format!(": {level} ")))
            .count()
    };
    assert_eq!(count("error"), count_status(&report, "missing", Some(true)));
    assert_eq!(
        count("warning"),
        count_status(&report, "missing", Some(false))
    );
    assert_eq!(count("note"), count_status(&report, "partial", None));
    assert!(
        stdout.contains(
            "weak.txt:1:1: error isis-k missing required: Expansion of ISIS-K (0/5 points)\n"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("weak.txt: score 7.0/100 (Needs work), 27 missing\n"),
        "{stdout}"
    );
    assert!(
        stdout
            .trim_end()
            .ends_with("in 1 essay graded; mean score 7.0"),
        "{stdout}"
    );
}

#[test]
fn action_annotates_the_failed_threshold_and_counts_it_in_the_job_summary() {
    let tmp = writing_repo();
    let summary = tmp.path().join("summary.md");
    let out = action(tmp.path(), &[("FAIL_UNDER", "65")], Some(&summary));
    let stdout = text(&out.stdout);
    // The repository's unreadable scan.pdf fails the run too (exit 2 beats
    // a threshold's 1): an essay CI could not read never passes.
    assert_eq!(out.status.code(), Some(2), "{stdout}{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("1 input(s) could not be graded"));
    assert!(
        stdout.contains("+ essaymark check --fail-under 65 --format github"),
        "{}",
        text(&out.stderr)
    );
    let error = stdout
        .lines()
        .find(|l| {
            l.starts_with(
                "::error file=answers/security/ali.md,line=1,title=essaymark fail_under::",
            )
        })
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        error.contains("answers/security/ali.md fails the check: score "),
        "{error}"
    );
    assert!(
        error.ends_with("is below fail_under 65 (--fail-under)"),
        "{error}"
    );
    assert_eq!(
        stdout.matches("title=essaymark fail_under").count(),
        1,
        "{stdout}"
    );
    // Each group's rubric: the climate essay passes under its own.
    let sana = stdout
        .lines()
        .find(|l| l.starts_with("essaymark: answers/economy/sana.md: "))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(!sana.contains("FAILS"), "{sana}");
    // The PDF in a group is reported, the .gitignored file is not graded.
    assert!(
        stdout.contains("could not grade answers/security/scan.pdf"),
        "{stdout}"
    );
    assert!(!stdout.contains("notes.md"), "{stdout}");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("· **1 below a CI threshold**"), "{md}");
    assert!(md.contains("**❌ Fails the check:** score "), "{md}");

    // The action's `paths:` input goes through the config too.
    let out = action(
        tmp.path(),
        &[("PATHS", "answers/economy/sana.md\ndrafts/draft.md")],
        None,
    );
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(
        stdout.contains("essaymark: answers/economy/sana.md: "),
        "{stdout}"
    );
    assert!(
        stdout.lines().skip(1).all(|l| !l.contains("draft.md")),
        "{stdout}"
    );
    assert!(text(&out.stderr).contains("skipping drafts/draft.md: ignored"));
}

#[test]
fn config_groups_and_command_line_folders_walk_the_same() {
    let tmp = writing_repo();
    let expected = owned(&graded_in_writing_repo());
    for args in [
        &["check"][..],
        &["check", "answers"],
        &["check", "answers", "drafts"],
    ] {
        let out = essaymark(tmp.path())
            .args(args)
            .args(["--format", "json"])
            .output()
            .unwrap();
        let v = stdout_json(&out);
        assert_eq!(rubric_per_essay(&v), expected, "{args:?}");
        let failures: Vec<&str> = v["summary"]["failures"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["essay"].as_str().unwrap())
            .collect();
        assert_eq!(failures, ["answers/security/scan.pdf"], "{args:?}");
    }
}

#[test]
fn every_format_names_the_essay_and_the_threshold_it_failed() {
    let tmp = writing_repo();
    let run_on = |essay: &str, format: &str, extra: &[&str]| {
        let out = essaymark(tmp.path())
            .args(["check", essay, "--format", format])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(1),
            "{format}: {}",
            text(&out.stderr)
        );
        text(&out.stdout)
    };
    let run = |format: &str, extra: &[&str]| run_on("answers/security/ali.md", format, extra);
    let fail_under = ["--fail-under", "65"];
    let msg = "is below fail_under 65 (--fail-under)";
    for (format, needle) in [
        ("text", "✘ FAILS THE CHECK: score "),
        ("markdown", "**❌ Fails the check:** score "),
        ("html", "<strong>Fails the check:</strong> score "),
        (
            "junit",
            "type=\"threshold\">answers/security/ali.md fails the check: score ",
        ),
        (
            "github",
            "title=essaymark fail_under::answers/security/ali.md fails the check",
        ),
    ] {
        let out = run(format, &fail_under);
        assert!(out.contains(needle), "{format}: {out}");
        assert!(out.contains(msg), "{format}: {out}");
    }
    let v: Value = serde_json::from_str(&run("json", &fail_under)).unwrap();
    let t = &v["reports"][0]["threshold_failures"][0];
    assert_eq!(t["threshold"], "fail_under");
    assert_eq!(t["source"], "--fail-under");
    assert_eq!(t["limit"], 65.0);
    assert_eq!(t["actual"], v["reports"][0]["score"]);
    assert_eq!(v["summary"]["below_threshold"], 1);
    let line: Value =
        serde_json::from_str(run("jsonl", &fail_under).lines().next().unwrap()).unwrap();
    assert_eq!(line["threshold_failures"][0]["threshold"], "fail_under");
    let csv = run("csv", &fail_under);
    let mut rd = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let header: Vec<String> = rd.headers().unwrap().iter().map(String::from).collect();
    let row = rd.records().next().unwrap().unwrap();
    let col = header
        .iter()
        .position(|h| h == "threshold_failures")
        .unwrap();
    assert!(row[col].ends_with(msg), "{csv}");
    let sarif: Value = serde_json::from_str(&run("sarif", &fail_under)).unwrap();
    let result = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "essaymark/threshold")
        .unwrap_or_else(|| panic!("{sarif}"));
    assert_eq!(result["level"], "error");
    assert!(result["message"]["text"].as_str().unwrap().ends_with(msg));
    assert!(sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "essaymark/threshold"));

    // --max-missing-required, and a threshold from the config, are named too.
    let out = run_on(
        "answers/security/notes.md",
        "text",
        &["--max-missing-required", "0"],
    );
    assert!(
        out.contains(
            "required criteria missing, more than max_missing_required 0 (--max-missing-required)"
        ),
        "{out}"
    );
    std::fs::write(
        tmp.path().join(".essaymark.yaml"),
        WRITING_CONFIG.replace("fail_under: 40", "fail_under: 70"),
    )
    .unwrap();
    let out = run("text", &[]);
    assert!(
        out.contains("is below fail_under 70 (.essaymark.yaml)"),
        "{out}"
    );
}

#[test]
fn sarif_paths_are_relative_to_the_repository_root_from_any_folder() {
    let tmp = writing_repo();
    let uris = |dir: &Path, args: &[&str]| -> Vec<String> {
        let out = essaymark(dir)
            .args(["check", "--format", "sarif", "--fail-under", "60"])
            .args(args)
            .output()
            .unwrap();
        let v = stdout_json(&out);
        let mut u: Vec<String> = v["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|r| r["locations"].as_array().cloned().unwrap_or_default())
            .map(|l| {
                l["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
        u.sort();
        u.dedup();
        u
    };
    let root = tmp.path();
    let ali = vec!["answers/security/ali.md".to_string()];
    assert_eq!(uris(root, &["answers/security/ali.md"]), ali);
    assert_eq!(uris(&root.join("answers"), &["security/ali.md"]), ali);
    assert_eq!(uris(&root.join("answers/security"), &["ali.md"]), ali);
    assert_eq!(
        uris(&root.join("answers/security"), &["../security/./ali.md"]),
        ali
    );
    // No config: the folder holding .git is the root.
    assert_eq!(
        uris(&root.join("answers/security"), &["--no-config", "ali.md"]),
        ali
    );
    // The config's own list, from a subfolder.
    let all = uris(&root.join("answers/economy"), &[]);
    assert!(
        all.contains(&"answers/security/ali.md".to_string()),
        "{all:?}"
    );
    assert!(all.iter().all(|u| u.starts_with("answers/")), "{all:?}");
}

#[test]
fn documented_ci_steps_match_the_shipped_hook_and_never_use_crates_io() {
    let doc = std::fs::read_to_string(manifest("docs/ci.md")).unwrap();
    let action = std::fs::read_to_string(manifest("action.yml")).unwrap();
    let build = std::fs::read_to_string(manifest("scripts/action/build.sh")).unwrap();
    for (name, text) in [
        ("docs/ci.md", &doc),
        ("action.yml", &action),
        ("scripts/action/build.sh", &build),
    ] {
        // essaymark is not published: `cargo install essaymark` fails.
        assert!(!text.contains("cargo install essaymark"), "{name}");
        assert!(!text.contains("--version \"$"), "{name}");
    }
    assert!(
        action.contains("actions/cache@"),
        "the action caches its build"
    );
    assert!(
        build.contains("--path \"$action_path\""),
        "builds its own checkout"
    );
    // The `repo: local` hook in the docs runs what the shipped hook runs.
    let start = doc
        .find("  - repo: local")
        .expect("a local hook in docs/ci.md");
    let block = &doc[start..start + doc[start..].find("```").unwrap()];
    let local: Value = serde_saphyr::from_str(block).unwrap();
    let shipped: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(manifest(".pre-commit-hooks.yaml")).unwrap(),
    )
    .unwrap();
    let local = &local[0]["hooks"][0];
    for key in ["id", "entry", "files", "require_serial"] {
        assert_eq!(local[key], shipped[0][key], "{key}");
    }
    // No made-up tag as a pre-commit rev.
    assert!(!doc.contains("rev: v0.1.0"));
}

/// Counts of `<failure>` and `<skipped>` elements in a JUnit report.
fn junit_counts(xml: &str) -> (usize, usize) {
    (
        xml.matches("<failure ").count(),
        xml.matches("<skipped ").count(),
    )
}

#[test]
fn junit_has_no_failure_when_the_run_passes() {
    // The weak sample misses many optional criteria and still passes: no
    // threshold is set, so the exit code is 0 and nothing may fail.
    let tmp = repo(None, &[("weak.txt", "weak.txt")]);
    let report = json_report(tmp.path(), "weak.txt");
    let out = essaymark(tmp.path())
        .args(["check", "weak.txt", "--format", "junit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let xml = String::from_utf8(out.stdout).unwrap();
    let (failures, skipped) = junit_counts(&xml);
    assert_eq!(failures, 0, "{xml}");
    assert_eq!(skipped, count_status(&report, "missing", None));
    assert!(xml.contains("failures=\"0\""), "{xml}");
    assert!(
        xml.contains("<skipped message=\"missing (required): 0/5 points\"/>"),
        "{xml}"
    );
}

#[test]
fn junit_fails_the_missing_required_criteria_when_they_fail_the_run() {
    let tmp = repo(None, &[("weak.txt", "weak.txt")]);
    let report = json_report(tmp.path(), "weak.txt");
    let out = essaymark(tmp.path())
        .args([
            "check",
            "weak.txt",
            "--format",
            "junit",
            "--max-missing-required",
            "0",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let (failures, skipped) = junit_counts(&xml);
    let required = count_status(&report, "missing", Some(true));
    assert!(required > 0);
    // The threshold case, then each missing required criterion it counted.
    assert_eq!(failures, required + 1, "{xml}");
    assert_eq!(skipped, count_status(&report, "missing", Some(false)));
    assert_eq!(xml.matches("type=\"missing-required\"").count(), required);
}

#[test]
fn github_annotations_stay_within_what_github_shows_errors_first() {
    // Seven weak essays below --fail-under: 7 failed thresholds and 21
    // missing required criteria are errors, far more warnings and notices.
    let essays: Vec<(String, &str)> = (1..=7)
        .map(|i| (format!("essays/s{i}.txt"), "weak.txt"))
        .collect();
    let refs: Vec<(&str, &str)> = essays.iter().map(|(d, f)| (d.as_str(), *f)).collect();
    let tmp = repo(None, &refs);
    let summary = tmp.path().join("summary.md");
    let out = essaymark(tmp.path())
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            "essays",
            "--format",
            "github",
            "--fail-under",
            "50",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8(out.stdout).unwrap();
    for level in ["error", "warning", "notice"] {
        let n = stdout
            .lines()
            .filter(|l| l.starts_with(&format!("::{level} ")))
            .count();
        assert!(n <= 10, "{n} {level}s:\n{stdout}");
    }
    let errors: Vec<&str> = stdout
        .lines()
        .filter(|l| l.starts_with("::error "))
        .collect();
    assert_eq!(errors.len(), 10);
    // Every essay's failed threshold is shown, before any missing criterion.
    for (i, e) in errors.iter().take(7).enumerate() {
        assert!(e.contains("title=essaymark fail_under"), "{i}: {e}");
    }
    for i in 1..=7 {
        assert!(
            errors
                .iter()
                .any(|e| e.contains(&format!("file=essays/s{i}.txt")) && e.contains("fail_under")),
            "s{i} threshold not shown:\n{stdout}"
        );
    }
    assert!(
        errors[9].contains("19 more errors not shown"),
        "{}",
        errors[9]
    );
    assert!(errors[9].contains("job summary"), "{}", errors[9]);
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(
        md.contains("GitHub shows 10 annotations of each level per step: 9 of 28 errors"),
        "{md}"
    );
    // Each essay still has its score line.
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("essaymark: "))
            .count(),
        7
    );
}
