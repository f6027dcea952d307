//! Helpers shared by the CLI test files: run `check --format json` and read
//! which essays were graded and which were skipped, with what reason, or the
//! score one essay gets against a rubric.

#![allow(dead_code)] // each test file uses its own subset

pub mod browser;

use assert_cmd::Command;
use serde_json::Value;
use std::fs;
use std::path::Path;
use tempfile::TempDir;

/// A sample essay's text (`samples/NAME`).
pub fn sample(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples")
        .join(name);
    fs::read_to_string(p).expect("sample exists")
}

/// A class folder `class/` inside a fresh working directory.
pub fn class(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, body) in files {
        let p = dir.path().join("class").join(name);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, body).unwrap();
    }
    dir
}

/// `essaymark` run in `cwd`, with `NO_COLOR` cleared.
pub fn essaymark(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(cwd).env_remove("NO_COLOR");
    cmd
}

/// Run a prepared `essaymark` command with `check --format json ARGS` and
/// parse its report (panicking with stderr when stdout is not JSON).
pub fn check_json(mut cmd: Command, args: &[&str]) -> (Option<i32>, Value) {
    let out = cmd
        .args(["check", "--format", "json"])
        .args(args)
        .output()
        .expect("essaymark runs");
    let v = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    (out.status.code(), v)
}

/// The essays a JSON report graded, in report order.
pub fn graded(v: &Value) -> Vec<String> {
    v["reports"]
        .as_array()
        .expect("reports array")
        .iter()
        .map(|r| r["essay"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The inputs a JSON report skipped, with their reasons.
pub fn skipped(v: &Value) -> Vec<(String, String)> {
    v["summary"]["failures"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["essay"].as_str().unwrap_or_default().to_string(),
                        f["error"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The score of `essay` graded against `rubric` (a file or built-in id),
/// run from the crate root without a config file.
pub fn score(essay: &std::path::Path, rubric: &std::path::Path) -> f64 {
    let mut cmd = Command::cargo_bin("essaymark").expect("binary builds");
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"));
    let (_, v) = check_json(
        cmd,
        &[
            "--no-config",
            &essay.to_string_lossy(),
            "--rubric",
            &rubric.to_string_lossy(),
        ],
    );
    v["reports"][0]["score"].as_f64().expect("a score")
}

/// A PDF file of `objects` (numbered from 1, the catalog first; each the
/// text between `N 0 obj` and `endobj`) with a correct cross-reference
/// table; `trailer` is added to the trailer dictionary.
pub fn pdf_of<S: AsRef<str>>(objects: &[S], trailer: &str) -> Vec<u8> {
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{}\nendobj\n", i + 1, body.as_ref()).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for at in offsets {
        out.extend_from_slice(format!("{at:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R {trailer} >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}
