//! The composite action (`action.yml`) step by step: each step's script in
//! `scripts/action/` is run by bash as the step runs it, in temporary
//! folders, with fake `cargo` and `essaymark` programs on the PATH that
//! record what they were asked to do. (Unix only, like the action's bash.)
#![cfg(unix)]

use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use tempfile::TempDir;

fn manifest(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn script(name: &str) -> PathBuf {
    manifest("scripts/action").join(name)
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

fn write(root: &Path, rel: &str, content: &str) {
    let p = root.join(rel);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, content).unwrap();
}

/// git with no user or system configuration leaking in.
fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=essaymark",
            "-c",
            "user.email=dev@essaymark",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "tag.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    text(&out.stdout).trim().to_string()
}

fn commit_all(dir: &Path) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "-m", "fixture"]);
}

/// A folder holding an executable `name` (a bash script) to put first on
/// the PATH.
fn fake_bin(name: &str, body: &str) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    fs::write(&p, format!("#!/usr/bin/env bash\n{body}")).unwrap();
    fs::set_permissions(&p, fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

fn path_with(bin: &Path) -> std::ffi::OsString {
    std::env::join_paths(
        std::iter::once(bin.to_path_buf()).chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .unwrap()
}

/// bash running `script` with only the given variables of the GitHub
/// environment set.
fn bash(script: &Path, cwd: &Path) -> Command {
    let mut cmd = Command::new("bash");
    cmd.arg(script)
        .current_dir(cwd)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for v in [
        "GITHUB_OUTPUT",
        "GITHUB_ACTION_PATH",
        "ACTION_PATH",
        "ACTION_REPOSITORY",
        "SERVER_URL",
        "ESSAYMARK_VERSION",
        "ESSAYMARK_ROOT",
        "ESSAYMARK_KEY_DEBUG",
        "RUNNER_OS",
        "RUNNER_ARCH",
        "RUNNER_TEMP",
        "INPUT_PATHS",
        "INPUT_RUBRIC",
        "INPUT_FAIL_UNDER",
        "INPUT_FORMAT",
        "INPUT_ARGS",
    ] {
        cmd.env_remove(v);
    }
    cmd
}

// ---------------------------------------------------------------- action.yml

#[test]
fn each_step_runs_its_script_with_inputs_as_environment_variables() {
    let yml = fs::read_to_string(manifest("action.yml")).unwrap();
    let action: Value = serde_saphyr::from_str(&yml).unwrap();
    let steps = action["runs"]["steps"].as_array().unwrap();
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("action.yml has a `{name}` step"))
    };
    for (name, file, vars) in [
        (
            "Key the essaymark build",
            "key.sh",
            &["ACTION_PATH", "ESSAYMARK_VERSION"][..],
        ),
        (
            "Build essaymark",
            "build.sh",
            &[
                "ESSAYMARK_VERSION",
                "ESSAYMARK_ROOT",
                "ACTION_PATH",
                "ACTION_REPOSITORY",
                "SERVER_URL",
            ][..],
        ),
        (
            "Grade essays",
            "grade.sh",
            &[
                "INPUT_PATHS",
                "INPUT_RUBRIC",
                "INPUT_FAIL_UNDER",
                "INPUT_FORMAT",
                "INPUT_ARGS",
            ][..],
        ),
    ] {
        let s = step(name);
        assert_eq!(
            s["run"],
            format!("bash \"$GITHUB_ACTION_PATH/scripts/action/{file}\""),
            "{name}"
        );
        assert_eq!(s["shell"], "bash", "{name}");
        assert!(script(file).is_file(), "{file}");
        let script_text = fs::read_to_string(script(file)).unwrap();
        for v in vars {
            assert!(s["env"][v].is_string(), "{name} sets {v}");
            assert!(script_text.contains(v), "{file} reads {v}");
        }
    }
    assert_eq!(step("Key the essaymark build")["id"], "key");
    // No `run:` interpolates an expression into shell code.
    for s in steps {
        if let Some(run) = s["run"].as_str() {
            assert!(!run.contains("${{"), "{run}");
        }
    }
}

// ---------------------------------------------------------------- key.sh

/// A small tree shaped like essaymark's: the CLI, the engine with its data
/// (and a link to the top-level rubrics, as in the real tree), and the
/// folders the build never reads.
fn action_tree() -> TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    for (rel, content) in [
        ("Cargo.toml", "[package]\nname = \"essaymark\"\n"),
        ("Cargo.lock", "# lock\n"),
        ("README.md", "# essaymark\n"),
        ("src/main.rs", "fn main() {}\n"),
        ("crates/essaymark-core/Cargo.toml", "[package]\n"),
        ("crates/essaymark-core/src/lib.rs", "pub fn grade() {}\n"),
        ("crates/essaymark-core/src/data/lenses.txt", "lens\n"),
        ("crates/essaymark-core/data/meaning/table.bin", "\u{1}\u{2}"),
        ("rubrics/default.yaml", "id: default\n"),
        ("docs/ci.md", "# CI\n"),
        ("tests/cli.rs", "#[test] fn t() {}\n"),
        ("benches/pipeline.rs", "fn main() {}\n"),
        ("examples/e.rs", "fn main() {}\n"),
        ("fuzz/fuzz_targets/f.rs", "fn main() {}\n"),
        (".gitignore", "/target\n*.log\n"),
    ] {
        write(root, rel, content);
    }
    std::os::unix::fs::symlink("../../rubrics", root.join("crates/essaymark-core/rubrics"))
        .unwrap();
    tmp
}

struct Key {
    key: String,
    root: String,
    hashed: Vec<String>,
}

/// key.sh as the step runs it: in the action's folder, outputs written to
/// GITHUB_OUTPUT (kept outside the tree, which it would otherwise change).
fn key_with(action: &Path, env: &[(&str, &str)]) -> Key {
    let out_dir = tempfile::tempdir().unwrap();
    let output = out_dir.path().join("output");
    let mut cmd = bash(&script("key.sh"), action);
    cmd.env("ACTION_PATH", action)
        .env("GITHUB_OUTPUT", &output)
        .env("RUNNER_OS", "Linux")
        .env("RUNNER_ARCH", "X64")
        .env("RUNNER_TEMP", "/runner/temp")
        .env("ESSAYMARK_VERSION", "")
        .env("ESSAYMARK_KEY_DEBUG", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "key.sh: {}", text(&out.stderr));
    let written = fs::read_to_string(&output).unwrap();
    let field = |name: &str| {
        let lines: Vec<&str> = written
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{name}=")))
            .collect();
        assert_eq!(lines.len(), 1, "{name}= once in {written}");
        lines[0].to_string()
    };
    let hashed = text(&out.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix("hashed: "))
        .map(String::from)
        .collect();
    Key {
        key: field("key"),
        root: field("root"),
        hashed,
    }
}

fn key(action: &Path) -> String {
    key_with(action, &[]).key
}

fn append(root: &Path, rel: &str) -> Vec<u8> {
    let p = root.join(rel);
    let before = fs::read(&p).unwrap();
    let mut after = before.clone();
    after.extend_from_slice(b"changed\n");
    fs::write(&p, after).unwrap();
    before
}

fn key_follows_the_build_inputs(tree: &TempDir) {
    let root = tree.path();
    let k0 = key(root);
    let hash = k0
        .strip_prefix("essaymark-Linux-X64-self-")
        .unwrap_or_else(|| panic!("{k0}"));
    assert!(
        hash.len() == 16 && hash.bytes().all(|b| b.is_ascii_hexdigit()),
        "{k0}"
    );
    assert_eq!(key(root), k0, "the key is deterministic");

    for rel in [
        "crates/essaymark-core/src/lib.rs",
        "crates/essaymark-core/src/data/lenses.txt",
        "crates/essaymark-core/data/meaning/table.bin",
        "crates/essaymark-core/Cargo.toml",
        "rubrics/default.yaml",
        "src/main.rs",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        let before = append(root, rel);
        assert_ne!(key(root), k0, "a change to {rel} must change the key");
        fs::write(root.join(rel), before).unwrap();
        assert_eq!(key(root), k0, "{rel} restored");
    }
    for rel in [
        "docs/ci.md",
        "tests/cli.rs",
        "benches/pipeline.rs",
        "examples/e.rs",
        "fuzz/fuzz_targets/f.rs",
    ] {
        let before = append(root, rel);
        assert_eq!(key(root), k0, "{rel} is not read by the build");
        fs::write(root.join(rel), before).unwrap();
    }

    // A new engine file (untracked, in a git checkout) and a changed link.
    write(root, "crates/essaymark-core/src/new.rs", "pub fn f() {}\n");
    assert_ne!(key(root), k0, "a new file under crates/");
    fs::remove_file(root.join("crates/essaymark-core/src/new.rs")).unwrap();
    let link = root.join("crates/essaymark-core/rubrics");
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("../../docs", &link).unwrap();
    assert_ne!(key(root), k0, "a link pointing elsewhere");
    fs::remove_file(&link).unwrap();
    std::os::unix::fs::symlink("../../rubrics", &link).unwrap();

    // Build output and ignored files are not.
    write(root, "target/release/essaymark", "binary");
    assert_eq!(key(root), k0, "target/");

    // The runner and the `version` input are part of the key.
    assert_ne!(key_with(root, &[("RUNNER_OS", "macOS")]).key, k0);
    assert_ne!(key_with(root, &[("RUNNER_ARCH", "ARM64")]).key, k0);
    let v = key_with(root, &[("ESSAYMARK_VERSION", "v1.2.0")]).key;
    assert!(v.starts_with("essaymark-Linux-X64-v1.2.0-"), "{v}");
    // Sanitised in the name, yet two refs sanitising alike stay apart.
    let slash = key_with(root, &[("ESSAYMARK_VERSION", "release/1")]).key;
    let under = key_with(root, &[("ESSAYMARK_VERSION", "release_1")]).key;
    assert!(
        slash.starts_with("essaymark-Linux-X64-release_1-"),
        "{slash}"
    );
    assert_ne!(slash, under);
    let odd = key_with(root, &[("ESSAYMARK_VERSION", "x; rm -rf / $(id)\n")]).key;
    assert!(
        odd.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)),
        "{odd:?}"
    );

    let k = key_with(root, &[]);
    assert_eq!(k.root, "/runner/temp/essaymark");
    for rel in [
        "src/main.rs",
        "crates/essaymark-core/rubrics",
        "rubrics/default.yaml",
    ] {
        assert!(k.hashed.iter().any(|h| h == rel), "{rel} in {:?}", k.hashed);
    }
    for dir in [
        "docs/",
        "tests/",
        "benches/",
        "examples/",
        "fuzz/",
        "target/",
    ] {
        assert!(
            k.hashed.iter().all(|h| !h.starts_with(dir)),
            "{dir} in {:?}",
            k.hashed
        );
    }
}

#[test]
fn key_changes_with_the_engine_and_rubrics_not_docs_in_a_plain_folder() {
    // GitHub downloads a remote action as an archive, without .git.
    let tree = action_tree();
    key_follows_the_build_inputs(&tree);
}

#[test]
fn key_changes_with_the_engine_and_rubrics_not_docs_in_a_git_checkout() {
    let tree = action_tree();
    git(tree.path(), &["init", "-q"]);
    commit_all(tree.path());
    key_follows_the_build_inputs(&tree);
    // An ignored file is not read by the build.
    write(tree.path(), "crates/essaymark-core/build.log", "log");
    let k = key_with(tree.path(), &[]);
    assert!(!k.hashed.iter().any(|h| h.ends_with("build.log")));
}

#[test]
fn a_checkout_and_its_archive_share_a_key() {
    let tree = action_tree();
    git(tree.path(), &["init", "-q"]);
    commit_all(tree.path());
    let copy = tempfile::tempdir().unwrap();
    let status = Command::new("bash")
        .arg("-c")
        .arg("git -C \"$1\" archive HEAD | tar -x -C \"$2\"")
        .arg("bash")
        .arg(tree.path())
        .arg(copy.path())
        .status()
        .unwrap();
    assert!(status.success());
    assert!(!copy.path().join(".git").exists());
    assert_eq!(key(copy.path()), key(tree.path()));
}

/// Files under `dir` (not following links to folders).
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).unwrap() {
        let e = e.unwrap();
        let ty = e.file_type().unwrap();
        if ty.is_dir() {
            walk(&e.path(), out);
        } else if ty.is_file() {
            out.push(e.path());
        }
    }
}

#[test]
fn every_file_the_build_includes_is_in_the_key_of_this_checkout() {
    let root = manifest("");
    let k = key_with(&root, &[]);
    assert!(k.key.starts_with("essaymark-Linux-X64-self-"), "{}", k.key);
    let hashed: BTreeSet<PathBuf> = k
        .hashed
        .iter()
        .filter_map(|h| root.join(h).canonicalize().ok())
        .collect();
    for rel in [
        "Cargo.toml",
        "Cargo.lock",
        "src/main.rs",
        "crates/essaymark-core/Cargo.toml",
    ] {
        assert!(
            hashed.contains(&root.join(rel).canonicalize().unwrap()),
            "{rel}"
        );
    }
    // Every include_str!/include_bytes! of the CLI and the engine names a
    // hashed file, unless it sits in a test module.
    let include = regex::Regex::new(r#"include_(?:str|bytes)!\(\s*"([^"]+)"\s*\)"#).unwrap();
    let mut sources = Vec::new();
    walk(&manifest("src"), &mut sources);
    walk(&manifest("crates"), &mut sources);
    let mut found = 0;
    let mut missing = Vec::new();
    for file in sources
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
    {
        let src = fs::read_to_string(file).unwrap();
        let tests_from = src.find("#[cfg(test)]").unwrap_or(usize::MAX);
        for c in include.captures_iter(&src) {
            found += 1;
            let m = c.get(0).unwrap();
            let target = file.parent().unwrap().join(&c[1]);
            let in_key = target.canonicalize().is_ok_and(|t| hashed.contains(&t));
            if !in_key && m.start() < tests_from {
                missing.push(format!("{}: {}", file.display(), &c[1]));
            }
        }
    }
    assert!(
        found >= 10,
        "only {found} includes found: is the walk right?"
    );
    assert!(
        missing.is_empty(),
        "built from but not in the cache key: {missing:#?}"
    );
    // No build script reads files the key misses: any build.rs is hashed.
    for b in sources.iter().filter(|p| p.ends_with("build.rs")) {
        assert!(
            hashed.contains(&b.canonicalize().unwrap()),
            "{}",
            b.display()
        );
    }
}

// ---------------------------------------------------------------- build.sh

/// `cargo` that records its arguments (one a line) and, for `--path DIR`,
/// the `marker` file of DIR as the build would have read it.
const FAKE_CARGO: &str = r#"printf '%s\n' "$@" > "$FAKE_LOG"
prev=
for a in "$@"; do
  if [ "$prev" = --path ]; then cat "$a/marker" > "$FAKE_LOG.marker" 2>/dev/null || true; fi
  prev=$a
done
"#;

struct Build {
    out: Output,
    /// cargo's arguments; None when cargo was not run.
    cargo: Option<Vec<String>>,
    /// DIR/marker when cargo was given `--path DIR`.
    marker: Option<String>,
}

const ROOT: &str = "/runner/temp/essay mark";

fn build(action: &Path, version: &str, repository: &str) -> Build {
    build_with(action, version, repository, &[])
}

fn build_with(action: &Path, version: &str, repository: &str, env: &[(&str, &str)]) -> Build {
    let bin = fake_bin("cargo", FAKE_CARGO);
    let work = tempfile::tempdir().unwrap();
    let log = work.path().join("cargo.log");
    let runner_temp = work.path().join("runner temp");
    fs::create_dir(&runner_temp).unwrap();
    let mut cmd = bash(&script("build.sh"), work.path());
    cmd.env("PATH", path_with(bin.path()))
        .env("FAKE_LOG", &log)
        .env("ESSAYMARK_ROOT", ROOT)
        .env("ESSAYMARK_VERSION", version)
        .env("ACTION_PATH", action)
        .env("ACTION_REPOSITORY", repository)
        .env("SERVER_URL", "https://github.example")
        .env("RUNNER_TEMP", &runner_temp);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let cargo = fs::read_to_string(&log)
        .ok()
        .map(|s| s.lines().map(String::from).collect());
    let marker = fs::read_to_string(log.with_extension("log.marker")).ok();
    // Nothing a value held was run as code in the working folder.
    let left: Vec<_> = fs::read_dir(work.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("cargo.log") && n != "runner temp")
        .collect();
    assert!(left.is_empty(), "build.sh left {left:?}");
    // The sources it unpacked are gone.
    let tmp_left: Vec<_> = fs::read_dir(&runner_temp).unwrap().collect();
    assert!(tmp_left.is_empty(), "build.sh left files in RUNNER_TEMP");
    Build { out, cargo, marker }
}

fn args(v: &[&str]) -> Option<Vec<String>> {
    Some(v.iter().map(|s| s.to_string()).collect())
}

fn all_output(o: &Output) -> String {
    format!("{}{}", text(&o.stdout), text(&o.stderr))
}

/// A git checkout of the action with a `marker` file, tagged `v2` at
/// "at v2", then changed in the work tree, and an `origin` remote.
fn action_checkout(origin: &str) -> TempDir {
    let tmp = tempfile::Builder::new()
        .prefix("action checkout ")
        .tempdir()
        .unwrap();
    let dir = tmp.path();
    git(dir, &["init", "-q"]);
    write(dir, "Cargo.toml", "[package]\nname = \"essaymark\"\n");
    write(dir, "marker", "at v2\n");
    commit_all(dir);
    git(dir, &["tag", "v2"]);
    write(dir, "marker", "work tree\n");
    git(dir, &["remote", "add", "origin", origin]);
    tmp
}

#[test]
fn build_without_version_installs_the_actions_own_copy() {
    let action = tempfile::Builder::new()
        .prefix("action dir ")
        .tempdir()
        .unwrap();
    let b = build(action.path(), "", "owner/essaymark");
    assert!(b.out.status.success(), "{}", all_output(&b.out));
    let ap = action.path().to_str().unwrap();
    assert_eq!(
        b.cargo,
        args(&["install", "--locked", "--root", ROOT, "--path", ap])
    );
}

#[test]
fn build_with_version_clones_the_action_repository() {
    let action = tempfile::tempdir().unwrap();
    let b = build(action.path(), "v1.2.0", "owner/essaymark");
    assert!(b.out.status.success(), "{}", all_output(&b.out));
    assert_eq!(
        b.cargo,
        args(&[
            "install",
            "--locked",
            "--root",
            ROOT,
            "--git",
            "https://github.example/owner/essaymark",
            "--rev",
            "v1.2.0",
            "essaymark"
        ])
    );
}

#[test]
fn build_with_version_and_no_action_repository_uses_the_origin_remote() {
    let action = action_checkout("https://example.invalid/me/essaymark.git");
    // v3 is not in the checkout: cloned from origin.
    let b = build(action.path(), "release/v3", "");
    assert!(b.out.status.success(), "{}", all_output(&b.out));
    assert_eq!(
        b.cargo,
        args(&[
            "install",
            "--locked",
            "--root",
            ROOT,
            "--git",
            "https://example.invalid/me/essaymark.git",
            "--rev",
            "release/v3",
            "essaymark"
        ])
    );
    // A local path as origin becomes a file:// URL cargo accepts.
    let action = action_checkout("/srv/git/essaymark");
    let b = build(action.path(), "v3", "");
    assert!(b.out.status.success(), "{}", all_output(&b.out));
    let cargo = b.cargo.unwrap();
    assert_eq!(cargo[4..6], ["--git", "file:///srv/git/essaymark"]);
}

#[test]
fn build_with_a_version_the_checkout_holds_builds_it_without_the_network() {
    let action = action_checkout("https://example.invalid/me/essaymark.git");
    let commit = git(action.path(), &["rev-parse", "v2"]);
    for version in ["v2", commit.as_str(), &commit[..12]] {
        // Preferred even to github.action_repository.
        let b = build(action.path(), version, "owner/essaymark");
        assert!(b.out.status.success(), "{}", all_output(&b.out));
        let cargo = b.cargo.unwrap();
        assert_eq!(
            cargo[..5],
            ["install", "--locked", "--root", ROOT, "--path"]
        );
        assert_eq!(cargo.len(), 6, "{cargo:?}");
        assert_ne!(Path::new(&cargo[5]), action.path());
        // The build saw the tagged commit, not the work tree.
        assert_eq!(b.marker.as_deref(), Some("at v2\n"), "{version}");
    }
}

#[test]
fn build_with_version_and_no_repository_fails_naming_the_input() {
    // Neither github.action_repository nor a git checkout.
    let plain = tempfile::tempdir().unwrap();
    // A folder inside some other repository (the workflow's, say): its
    // remote and tags are not the action's.
    let outer = action_checkout("https://example.invalid/someone-else/repo.git");
    let nested = outer.path().join("vendor/essaymark");
    fs::create_dir_all(&nested).unwrap();
    for action in [plain.path(), nested.as_path()] {
        let b = build(action, "v2", "");
        assert_eq!(b.out.status.code(), Some(1), "{}", all_output(&b.out));
        let err = text(&b.out.stderr);
        assert!(err.starts_with("::error "), "{err}");
        assert!(err.contains("the `version` input (v2)"), "{err}");
        assert!(err.contains("github.action_repository"), "{err}");
        assert_eq!(b.cargo, None, "cargo must not run");
    }
}

#[test]
fn build_refuses_a_version_that_is_not_a_ref() {
    let action = action_checkout("https://example.invalid/me/essaymark.git");
    for bad in [
        "v1; rm -rf /",
        "-x",
        "--upload-pack=touch pwned",
        "v1 v2",
        "$(touch pwned)",
        "`touch pwned`",
        "v1\n::warning::injected",
        "v2^{commit}",
        "v2~1",
    ] {
        let b = build(action.path(), bad, "owner/essaymark");
        assert_eq!(
            b.out.status.code(),
            Some(1),
            "{bad:?}: {}",
            all_output(&b.out)
        );
        let all = all_output(&b.out);
        assert!(
            all.contains("the `version` input must be a git tag"),
            "{all}"
        );
        assert_eq!(all.lines().count(), 1, "one line: {all}");
        assert!(!all.contains("\n::"), "{all}");
        assert_eq!(b.cargo, None, "{bad:?}: cargo must not run");
    }
    // github.action_repository is checked too.
    let plain = tempfile::tempdir().unwrap();
    let b = build(plain.path(), "v1", "owner/x; touch pwned");
    assert_eq!(b.out.status.code(), Some(1));
    assert!(text(&b.out.stderr).contains("not owner/name"));
    assert_eq!(b.cargo, None);
}

#[test]
fn build_reports_a_failed_cargo() {
    let action = tempfile::tempdir().unwrap();
    let bin = fake_bin("cargo", "exit 101\n");
    let out = bash(&script("build.sh"), action.path())
        .env("PATH", path_with(bin.path()))
        .env("ESSAYMARK_ROOT", ROOT)
        .env("ACTION_PATH", action.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(101));
}

// ---------------------------------------------------------------- grade.sh

/// `essaymark` that records its arguments, NUL-separated.
const FAKE_ESSAYMARK: &str = r#"for a in "$@"; do printf '%s\0' "$a"; done > "$FAKE_LOG"
exit "${FAKE_EXIT:-0}"
"#;

fn grade(inputs: &[(&str, &str)]) -> (Output, Vec<String>, BTreeMap<String, ()>) {
    let bin = fake_bin("essaymark", FAKE_ESSAYMARK);
    let work = tempfile::tempdir().unwrap();
    let log_dir = tempfile::tempdir().unwrap();
    let log = log_dir.path().join("argv");
    // Files a glob in an input would match.
    for f in ["x.md", "c.md", "answers.md"] {
        write(work.path(), f, "essay\n");
    }
    let mut cmd = bash(&script("grade.sh"), work.path());
    cmd.env("PATH", path_with(bin.path())).env("FAKE_LOG", &log);
    for name in ["PATHS", "RUBRIC", "FAIL_UNDER", "FORMAT", "ARGS"] {
        cmd.env(format!("INPUT_{name}"), "");
    }
    for (k, v) in inputs {
        if *k == "EXIT" {
            cmd.env("FAKE_EXIT", v);
        } else {
            cmd.env(format!("INPUT_{k}"), v);
        }
    }
    let out = cmd.output().unwrap();
    let argv = fs::read(&log)
        .map(|b| text(&b).split_terminator('\0').map(String::from).collect())
        .unwrap_or_default();
    let files = fs::read_dir(work.path())
        .unwrap()
        .map(|e| (e.unwrap().file_name().to_string_lossy().into_owned(), ()))
        .collect();
    (out, argv, files)
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn grade_passes_each_input_as_words_without_globbing() {
    let (out, argv, _) = grade(&[
        ("RUBRIC", "my rubrics/r *.yaml"),
        ("FAIL_UNDER", "60"),
        ("FORMAT", "github"),
        ("PATHS", "answers/a b.md\nc.md  *.md\n\n  d/\t[xc].md\n"),
    ]);
    assert!(out.status.success(), "{}", all_output(&out));
    assert_eq!(
        argv,
        strings(&[
            "check",
            "--rubric",
            "my rubrics/r *.yaml",
            "--fail-under",
            "60",
            "--format",
            "github",
            "answers/a",
            "b.md",
            "c.md",
            "*.md",
            "d/",
            "[xc].md",
        ])
    );
    let echo = text(&out.stdout);
    assert!(
        echo.starts_with("+ essaymark check --rubric my\\ rubrics/r\\ \\*.yaml "),
        "{echo}"
    );

    // Empty inputs add nothing.
    let (out, argv, _) = grade(&[]);
    assert!(out.status.success(), "{}", all_output(&out));
    assert_eq!(argv, strings(&["check"]));
}

#[test]
fn grade_args_cannot_inject_commands() {
    let (out, argv, files) = grade(&[
        (
            "ARGS",
            "--out r.sarif $(touch pwned1) `touch pwned2` ; touch pwned3 && touch pwned4 > y *\n--max-missing-required 0",
        ),
        ("PATHS", "$(touch pwned5) a.md;touch${IFS}pwned6"),
        ("RUBRIC", "$(touch pwned7)\n::warning::injected"),
    ]);
    assert!(out.status.success(), "{}", all_output(&out));
    assert_eq!(
        argv,
        strings(&[
            "check",
            "--rubric",
            "$(touch pwned7)\n::warning::injected",
            "--out",
            "r.sarif",
            "$(touch",
            "pwned1)",
            "`touch",
            "pwned2`",
            ";",
            "touch",
            "pwned3",
            "&&",
            "touch",
            "pwned4",
            ">",
            "y",
            "*",
            // Every line of `args`, not just the first.
            "--max-missing-required",
            "0",
            "$(touch",
            "pwned5)",
            "a.md;touch${IFS}pwned6",
        ])
    );
    let made: Vec<&String> = files
        .keys()
        .filter(|f| !["x.md", "c.md", "answers.md"].contains(&f.as_str()))
        .collect();
    assert!(made.is_empty(), "an input ran as code: {made:?}");
    // The echoed command is one line: no input starts a workflow command.
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().count(), 1, "{stdout}");
    assert!(!stdout.contains("\n::"), "{stdout}");
}

#[test]
fn grade_exits_with_essaymarks_code() {
    for code in ["1", "2"] {
        let (out, argv, _) = grade(&[("EXIT", code), ("PATHS", "x.md")]);
        assert_eq!(out.status.code(), Some(code.parse().unwrap()));
        assert_eq!(argv, strings(&["check", "x.md"]));
    }
}
