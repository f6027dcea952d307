//! docs/teachers.md is replayable: every `console` block of it is a shell
//! session run from the repository root on the example classes
//! `examples/class-10b` and `examples/class-10c`. This test replays it: it
//! copies `examples/` into a temporary folder (so the checkout is never
//! written to), runs each `$ ...` line there with `sh` (the `essaymark` just
//! built first on `PATH`, colour off, stderr merged into stdout as on a
//! terminal) and compares what it printed with the lines under it in the
//! doc. Then every file the commands wrote into `examples/class-10b-out/`
//! must equal the committed copy, and the committed copy may hold no file
//! the commands did not write.
//!
//! Lines are compared byte for byte after trimming trailing whitespace,
//! with two elisions the doc uses to stay readable (a full class report is
//! hundreds of lines):
//! - a line that is only `…` stands for any number of lines (zero or more);
//! - a line ending in `…` matches an output line starting with the text
//!   before the `…` (a CSV row cut after a few columns). essaymark's own
//!   text report also ends shortened lines with `…`; those lines match
//!   themselves exactly either way.
//!
//! Nothing in these outputs is volatile (no timings, no dates, no absolute
//! paths; the progress bar is off because the output is a pipe), so no other
//! relaxation is needed. When grading changes on purpose, run
//! `UPDATE_DOCS=1 cargo test --test class_example` to rewrite the doc's
//! blocks (keeping each block's elisions: the lines before a `…` are taken
//! from the start of the output, the lines after it from the end) and the
//! committed outputs, then review the diff.

#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

const DOC: &str = "docs/teachers.md";
const OUT: &str = "examples/class-10b-out";
const ELLIPSIS: &str = "…";

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// One `$ command` of a console block and the output lines under it, with
/// the index in the doc's lines of the first output line and one past the
/// last.
struct Step {
    command: String,
    expected: Vec<String>,
    span: (usize, usize),
}

/// Every `$ ...` line inside a ```console block of `doc`, in order.
fn steps(doc: &str) -> Vec<Step> {
    let lines: Vec<&str> = doc.lines().collect();
    let mut steps: Vec<Step> = Vec::new();
    let mut in_console = false;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("```") {
            in_console = !in_console && line.trim() == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            steps.push(Step {
                command: cmd.to_string(),
                expected: Vec::new(),
                span: (i + 1, i + 1),
            });
        } else {
            let step = steps
                .last_mut()
                .unwrap_or_else(|| panic!("{DOC}:{}: console block must start with `$ `", i + 1));
            step.expected.push(line.trim_end().to_string());
            step.span.1 = i + 1;
        }
    }
    steps
}

/// Whether `actual` matches `expected` with the elisions described above.
fn matches(expected: &[String], actual: &[String]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == ELLIPSIS => {
            (0..=actual.len()).any(|skip| matches(rest, &actual[skip..]))
        }
        Some((e, rest)) => match actual.split_first() {
            Some((a, arest)) => {
                let same = a == e
                    || e.strip_suffix(ELLIPSIS)
                        .is_some_and(|prefix| a.starts_with(prefix));
                same && matches(rest, arest)
            }
            None => false,
        },
    }
}

/// The block `expected` rewritten from `actual`, keeping its shape: with no
/// `…` line, `actual` itself; otherwise as many lines from the start of the
/// output as the block had before its first `…` and from the end as after
/// its last (a line cut with `…` stays cut at the same place). Lines
/// between two `…` are kept as they are: if they went stale the test still
/// fails after the update, to be edited by hand.
fn updated(expected: &[String], actual: &[String]) -> Vec<String> {
    let cut = |e: &String, a: &String| -> String {
        match e.strip_suffix(ELLIPSIS) {
            Some(prefix) if a != e && a.chars().count() > prefix.chars().count() => {
                let p: String = a.chars().take(prefix.chars().count()).collect();
                format!("{p}{ELLIPSIS}")
            }
            _ => a.clone(),
        }
    };
    let Some(first) = expected.iter().position(|l| l == ELLIPSIS) else {
        return actual.to_vec();
    };
    let last = expected.iter().rposition(|l| l == ELLIPSIS).unwrap();
    let head = first.min(actual.len());
    let tail = (expected.len() - last - 1).min(actual.len() - head);
    let mut out: Vec<String> = expected[..head]
        .iter()
        .zip(&actual[..head])
        .map(|(e, a)| cut(e, a))
        .collect();
    out.extend_from_slice(&expected[first..=last]);
    let from = actual.len() - tail;
    out.extend(
        expected[last + 1..]
            .iter()
            .zip(&actual[from..])
            .map(|(e, a)| cut(e, a)),
    );
    out
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Every file under `dir`, as paths relative to it, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push(p.strip_prefix(base).unwrap().to_path_buf());
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

#[test]
fn teachers_guide_replays_on_the_example_class() {
    let update = std::env::var_os("UPDATE_DOCS").is_some_and(|v| v == "1");
    let doc_path = root().join(DOC);
    let doc = fs::read_to_string(&doc_path).unwrap();
    let steps = steps(&doc);
    assert!(
        steps.len() >= 8
            && steps
                .iter()
                .filter(|s| s.command.starts_with("essaymark "))
                .count()
                >= 6,
        "{DOC}: expected the teachers' commands in console blocks"
    );

    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    for class in ["class-10b", "class-10c"] {
        copy_dir(
            &root().join("examples").join(class),
            &cwd.join("examples").join(class),
        );
    }
    // The committed output folder exists in the checkout (its README and
    // .gitignore are not outputs), so commands can write into it.
    fs::create_dir_all(cwd.join(OUT)).unwrap();
    let keep = [".gitignore", "README.md"];
    for name in keep {
        if let Ok(body) = fs::read(root().join(OUT).join(name)) {
            fs::write(cwd.join(OUT).join(name), body).unwrap();
        }
    }

    let bin = PathBuf::from(env!("CARGO_BIN_EXE_essaymark"));
    let path = std::env::join_paths(std::iter::once(bin.parent().unwrap().to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .unwrap();

    let lines: Vec<&str> = doc.lines().collect();
    let mut rewritten: Vec<String> = Vec::new();
    let mut copied_to = 0;
    let mut stale = Vec::new();
    for step in &steps {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!("{{ {}\n}} 2>&1", step.command))
            .current_dir(cwd)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .env("LC_ALL", "C")
            .env_remove("CLICOLOR_FORCE")
            .output()
            .expect("sh runs");
        let text = String::from_utf8(out.stdout).expect("UTF-8 output");
        let actual: Vec<String> = text.lines().map(|l| l.trim_end().to_string()).collect();
        if !matches(&step.expected, &actual) {
            stale.push(format!(
                "$ {}\n--- {DOC} (lines {}-{}) says:\n{}\n--- but it printed:\n{}",
                step.command,
                step.span.0 + 1,
                step.span.1,
                step.expected.join("\n"),
                actual.join("\n")
            ));
        }
        if update {
            rewritten.extend(lines[copied_to..step.span.0].iter().map(|l| l.to_string()));
            rewritten.extend(updated(&step.expected, &actual));
            copied_to = step.span.1;
        }
    }

    // The JSON excerpt of section 7 is `summary.similar` of class-10c's
    // JSON report (not a command's whole output, so checked by value).
    let json_block = doc
        .split("```json\n")
        .skip(1)
        .filter_map(|b| b.split("```").next())
        .find(|b| b.contains("\"similarity_threshold\""))
        .expect("the similar-submissions JSON excerpt");
    let shown: serde_json::Value = serde_json::from_str(&format!("{{{json_block}}}"))
        .unwrap_or_else(|e| panic!("{DOC}: JSON excerpt: {e}"));
    let out = Command::new(&bin)
        .args(["check", "examples/class-10c", "--format", "json"])
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["similarity_threshold", "similar"] {
        if shown[key] != report["summary"][key] {
            stale.push(format!(
                "{DOC}: JSON excerpt `{key}` is {} but class-10c's report says {}",
                shown[key], report["summary"][key]
            ));
        }
    }

    // The artefacts the commands wrote, against the committed ones.
    let committed_dir = root().join(OUT);
    let written = files(&cwd.join(OUT));
    // What the folder's .gitignore names is too large to commit (the class
    // HTML, the HTML feedback); the README and .gitignore are not outputs.
    let ignored: Vec<PathBuf> = fs::read_to_string(committed_dir.join(".gitignore"))
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| PathBuf::from(l.trim_start_matches('/')))
        .chain(keep.iter().map(PathBuf::from))
        .collect();
    let output = |f: &PathBuf| !ignored.iter().any(|i| f.starts_with(i));
    let written: Vec<PathBuf> = written.into_iter().filter(output).collect();
    let committed: Vec<PathBuf> = files(&committed_dir).into_iter().filter(output).collect();
    let mut checked = 0;
    for f in &written {
        let new = fs::read(cwd.join(OUT).join(f)).unwrap();
        let old = fs::read(committed_dir.join(f)).ok();
        if old.as_deref() != Some(&new[..]) {
            if update {
                let p = committed_dir.join(f);
                fs::create_dir_all(p.parent().unwrap()).unwrap();
                fs::write(p, &new).unwrap();
            } else {
                stale.push(format!(
                    "{OUT}/{} differs from what the commands of {DOC} write",
                    f.display()
                ));
            }
        }
        checked += 1;
    }
    for f in committed.iter().filter(|f| !written.contains(f)) {
        if update {
            fs::remove_file(committed_dir.join(f)).unwrap();
        } else {
            stale.push(format!(
                "{OUT}/{} is committed but no command of {DOC} writes it",
                f.display()
            ));
        }
    }
    assert!(checked >= 3, "only {checked} committed outputs checked");

    if update {
        rewritten.extend(lines[copied_to..].iter().map(|l| l.to_string()));
        let mut new_doc = rewritten.join("\n");
        new_doc.push('\n');
        if new_doc != doc {
            fs::write(&doc_path, new_doc).unwrap();
        }
        return;
    }
    assert!(
        stale.is_empty(),
        "{DOC} is stale (UPDATE_DOCS=1 cargo test --test class_example rewrites it):\n\n{}",
        stale.join("\n\n")
    );
}

#[test]
fn elisions_match_only_what_they_stand_for() {
    let v = |s: &[&str]| s.iter().map(|l| l.to_string()).collect::<Vec<_>>();
    assert!(matches(&v(&["a", "…", "d"]), &v(&["a", "b", "c", "d"])));
    assert!(matches(&v(&["a", "…", "b"]), &v(&["a", "b"])));
    assert!(!matches(&v(&["a", "…", "d"]), &v(&["a", "b", "c"])));
    assert!(matches(&v(&["x,y,…"]), &v(&["x,y,z"])));
    assert!(!matches(&v(&["x,y,…"]), &v(&["x,w,z"])));
    assert!(!matches(&v(&["a"]), &v(&["a", "b"])));
    assert_eq!(
        updated(&v(&["a", "…", "z,…"]), &v(&["A", "b", "c", "y,1,2"])),
        v(&["A", "…", "y,…"])
    );
}
