//! Folder walking for batch grading: which files in a folder are essays,
//! which look like submissions we cannot read (and so deserve a reason), and
//! which are none of our business.
//!
//! Walking uses the `ignore` crate, so a class folder is filtered the way
//! ripgrep filters a source tree: `.gitignore`, `.ignore` and hidden files
//! are skipped. Two deliberate differences from ripgrep:
//! - `.gitignore` is honoured even outside a git repository, because a
//!   teacher's folder of submissions is rarely one, and a teacher who wrote a
//!   `.gitignore` there meant it;
//! - `--glob` only narrows the selection. In ripgrep a glob overrides the
//!   ignore files; here an ignored or hidden file stays ignored, so
//!   `--glob '*.md'` never brings back a draft the teacher excluded.
//!
//! Symbolic links to folders are never followed (so a link loop cannot be
//! walked); a link to a file is graded like the file when it resolves
//! inside the folder walked and not into a hidden folder (`.git`), so a
//! pull request cannot make essaymark quote `/etc/passwd` or a checkout's
//! credentials. README, LICENSE, CHANGELOG and the like are left out with
//! a note unless a `--glob` selects them. The result is sorted
//! by path, so the order of a batch never depends on the file system.
//!
//! essaymark's own output is never graded as a student: a .md/.txt file
//! carrying [`crate::output::REPORT_MARKER`] (a Markdown report, a text
//! report saved with `--out`, Markdown feedback) is left out with a note.
//! Only the marker counts, never the name: `--out class/a.txt` naming a
//! student's essay must still be refused as an input, not skipped and
//! overwritten. FIFOs, sockets and devices are listed as skipped, never
//! opened.

use crate::ingest;
use crate::report::Failure;
use ignore::overrides::{Override, OverrideBuilder};
use ignore::WalkBuilder;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// What a file found in a folder is to us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Classified {
    /// A format essaymark reads (it may still turn out empty, too large or
    /// binary: ingest says so with a reason).
    Essay,
    /// Looks like a student's submission in a format we cannot read; the
    /// text says what it is and how to fix it.
    Unreadable(String),
    /// Anything else (rubrics, spreadsheets, lock files): skipped silently.
    Other,
}

/// Submission-like extensions essaymark cannot read, with what to tell the
/// teacher. Only these are reported: a class folder also holds rubrics,
/// mark sheets and notes, and listing each of those as "skipped" would bury
/// the reasons that matter.
const UNREADABLE: &[(&[&str], &str)] = &[
    (&["doc", "dot"], "a legacy Word document (save it as .docx)"),
    (&["docm", "dotx", "dotm"], "a Word macro or template file (save it as .docx)"),
    (&["rtf"], "an RTF document (save it as .docx or .txt)"),
    (&["pages"], "an Apple Pages document (export it as .docx or .txt)"),
    (&["wpd"], "a WordPerfect document (save it as .docx)"),
    (&["wps"], "a Microsoft Works document (save it as .docx)"),
    (&["ott", "fodt"], "an OpenDocument template or flat file (save it as .odt)"),
    (
        &["png", "jpg", "jpeg", "gif", "bmp", "tif", "tiff", "heic", "heif", "webp"],
        "an image (essaymark cannot read photographed or scanned essays: transcribe it to .txt or .docx)",
    ),
];

/// Decide what a file is from its name alone (contents are ingest's job).
pub fn classify(path: &Path) -> Classified {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    // Word and LibreOffice write `~$essay.docx` while a document is open: a
    // few bytes of lock data, not a submission.
    if name.starts_with("~$") {
        return Classified::Other;
    }
    if ingest::format_for_path(path).is_some() {
        return Classified::Essay;
    }
    let Some(ext) = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    else {
        return Classified::Other;
    };
    match UNREADABLE
        .iter()
        .find(|(exts, _)| exts.contains(&ext.as_str()))
    {
        Some((_, what)) => Classified::Unreadable(format!("unsupported file type .{ext}: {what}")),
        None => Classified::Other,
    }
}

/// A `--glob` that is not a valid glob.
#[derive(Debug, thiserror::Error)]
#[error("invalid --glob '{glob}': {reason}")]
pub struct GlobError {
    pub glob: String,
    pub reason: String,
}

/// Walks folders with the standard filters plus the user's `--glob`s.
#[derive(Debug, Clone, Default)]
pub struct Walker {
    globs: Vec<String>,
    /// Canonical folder no link may lead out of (a config's repository).
    confined: Option<PathBuf>,
}

/// The outcome of walking one folder.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Walked {
    /// Files to grade, sorted by path.
    pub essays: Vec<PathBuf>,
    /// Files that look like submissions but cannot be graded, and folders
    /// that could not be read, in path order.
    pub skipped: Vec<Failure>,
    /// Files and folders left out because essaymark wrote them (a report
    /// or feedback), with why: a note, not a failure.
    pub notes: Vec<String>,
}

impl Walker {
    /// A walker with include (`pattern`) and exclude (`!pattern`) globs, in
    /// gitignore syntax relative to the folder walked. Globs are checked here
    /// so a typo fails the command before any grading.
    pub fn new(globs: &[String]) -> Result<Walker, GlobError> {
        let walker = Walker {
            globs: globs.to_vec(),
            confined: None,
        };
        walker.overrides(Path::new("."))?;
        Ok(walker)
    }

    fn overrides(&self, root: &Path) -> Result<Override, GlobError> {
        let mut b = OverrideBuilder::new(root);
        for g in &self.globs {
            if g.trim().is_empty() || g.trim() == "!" {
                return Err(GlobError {
                    glob: g.clone(),
                    reason: "empty pattern".into(),
                });
            }
            b.add(g).map_err(|e| GlobError {
                glob: g.clone(),
                reason: e.to_string(),
            })?;
        }
        b.build().map_err(|e| GlobError {
            glob: self.globs.join(" "),
            reason: e.to_string(),
        })
    }

    /// Never follow a link, nor walk a folder, that resolves outside
    /// `root`: a config file from a pull request must not make essaymark
    /// read (and quote in a report) files from outside the repository.
    pub fn confined_to(mut self, root: &Path) -> Walker {
        let root = if root.as_os_str().is_empty() {
            Path::new(".")
        } else {
            root
        };
        self.confined = root.canonicalize().ok();
        self
    }

    /// Whether `path` (resolved) is inside the confining folder, if any.
    pub fn inside(&self, path: &Path) -> bool {
        match &self.confined {
            None => true,
            Some(root) => path.canonicalize().is_ok_and(|p| p.starts_with(root)),
        }
    }

    /// Walk `root` recursively.
    pub fn walk(&self, root: &Path) -> Walked {
        let mut out = Walked::default();
        if !self.inside(root) {
            out.skipped.push(outside(root));
            return out;
        }
        let overrides = match self.overrides(root) {
            Ok(o) => o,
            // Unreachable after `new` validated the same globs, but a
            // reason beats a panic.
            Err(e) => {
                out.skipped.push(Failure {
                    essay: root.display().to_string(),
                    error: e.to_string(),
                });
                return out;
            }
        };
        let filter_root = root.to_path_buf();
        // Links may not lead out of the folder walked (or the repository a
        // config confines the walk to), nor into a hidden folder such as
        // `.git`: a link is read only where the walk itself could go.
        let boundary = self.confined.clone().or_else(|| default_boundary(root));
        let whitelist = overrides.clone();
        let mut builder = WalkBuilder::new(root);
        builder
            .standard_filters(true)
            .require_git(false)
            .follow_links(false)
            .sort_by_file_name(|a, b| a.cmp(b))
            .filter_entry(move |entry| {
                if overrides.is_empty() {
                    return true;
                }
                // Match on the path below the root, so that globs anchored
                // with `/` mean "at the top of the folder given".
                let rel = entry
                    .path()
                    .strip_prefix(&filter_root)
                    .unwrap_or(entry.path());
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                !overrides.matched(rel, is_dir).is_ignore()
            });
        // Essays found, each with the number of notes written before it.
        let mut found: Vec<(usize, PathBuf)> = Vec::new();
        for result in builder.build() {
            let entry = match result {
                Ok(e) => e,
                Err(e) => {
                    out.skipped.push(Failure {
                        essay: error_path(&e).unwrap_or(root).display().to_string(),
                        error: format!("cannot read: {}", error_reason(&e)),
                    });
                    continue;
                }
            };
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            let path = entry.path();
            let is_file = if file_type.is_symlink() {
                // A link to a file is graded like the file; a link to a
                // folder is not followed, and a dangling link has nothing to
                // grade. `metadata` follows the link exactly once.
                let leaves = || link_leaves(path, boundary.as_deref());
                match std::fs::metadata(path) {
                    Ok(m) if m.is_dir() => false,
                    Ok(m) if !m.is_file() => {
                        out.skipped.push(not_regular(path));
                        continue;
                    }
                    Ok(_) if leaves().is_some() => {
                        out.skipped.push(Failure {
                            essay: path.display().to_string(),
                            error: leaves().unwrap_or(OUTSIDE).into(),
                        });
                        continue;
                    }
                    Ok(m) => m.is_file(),
                    Err(e) => {
                        if classify(path) != Classified::Other {
                            out.skipped.push(Failure {
                                essay: path.display().to_string(),
                                error: format!("broken symbolic link: {e}"),
                            });
                        }
                        continue;
                    }
                }
            } else if !file_type.is_file() && !file_type.is_dir() {
                // A FIFO would block the read, a device never end: listed,
                // never opened.
                out.skipped.push(not_regular(path));
                continue;
            } else {
                file_type.is_file()
            };
            if !is_file {
                continue;
            }
            match classify(path) {
                Classified::Essay
                    if is_project_file(path) && {
                        let rel = path.strip_prefix(root).unwrap_or(path);
                        !whitelist.matched(rel, false).is_whitelist()
                    } =>
                {
                    out.notes.push(format!(
                        "skipping {}: a project file (README, LICENSE, CHANGELOG...), not a student's essay; name it or --glob it to grade it",
                        path.display()
                    ));
                }
                Classified::Essay => {
                    found.push((out.notes.len(), path.to_path_buf()));
                }
                Classified::Unreadable(why) => out.skipped.push(Failure {
                    essay: path.display().to_string(),
                    error: why,
                }),
                Classified::Other => {}
            }
        }
        // Whether each essay is a report essaymark wrote takes two reads
        // of it: done in parallel (the walk itself runs before grading
        // starts, on one thread). A note keeps its place among the others.
        let own: Vec<bool> = found.par_iter().map(|(_, p)| is_own_report(p)).collect();
        let mut notes = std::mem::take(&mut out.notes).into_iter();
        let mut placed = 0;
        for ((at, path), own) in found.into_iter().zip(own) {
            if !own {
                out.essays.push(path);
                continue;
            }
            out.notes.extend(notes.by_ref().take(at - placed));
            placed = at;
            out.notes.push(format!(
                "skipping {}: written by essaymark (a report or feedback, not an essay)",
                path.display()
            ));
        }
        out.notes.extend(notes);
        // The walker already yields siblings in name order, which is path
        // order; sorting again costs little and makes the promise explicit.
        out.essays.sort();
        out
    }
}

fn outside(path: &Path) -> Failure {
    Failure {
        essay: path.display().to_string(),
        error: OUTSIDE.into(),
    }
}

/// Where links found walking `root` may lead when no config confines the
/// walk: the repository holding it (the nearest folder above with `.git`),
/// else the current folder when `root` is inside it, else `root` itself.
fn default_boundary(root: &Path) -> Option<PathBuf> {
    let real = root.canonicalize().ok()?;
    if let Some(repo) = real.ancestors().find(|d| d.join(".git").exists()) {
        return Some(repo.to_path_buf());
    }
    match std::env::current_dir().and_then(|d| d.canonicalize()) {
        Ok(cwd) if real.starts_with(&cwd) => Some(cwd),
        _ => Some(real),
    }
}

const OUTSIDE: &str = "leads outside the repository (a symbolic link?): not read";

/// Why the link at `path` may not be read, if it may not: it resolves
/// outside `boundary`, or into a hidden folder or file under it
/// (`.git/config` holds a checkout's credentials).
fn link_leaves(path: &Path, boundary: Option<&Path>) -> Option<&'static str> {
    let (Ok(target), Some(root)) = (path.canonicalize(), boundary) else {
        return Some(OUTSIDE);
    };
    match target.strip_prefix(root) {
        Ok(rel)
            if rel
                .components()
                .any(|c| c.as_os_str().to_string_lossy().starts_with('.')) =>
        {
            Some("leads into a hidden folder or file such as .git (a symbolic link?): not read")
        }
        Ok(_) => None,
        Err(_) => Some(OUTSIDE),
    }
}

/// The files every project folder has that are not a student's work:
/// README, LICENSE, CHANGELOG and the like (any extension, any case).
fn is_project_file(path: &Path) -> bool {
    const NAMES: &[&str] = &[
        "readme",
        "license",
        "licence",
        "copying",
        "changelog",
        "changes",
        "history",
        "news",
        "contributing",
        "code_of_conduct",
        "code-of-conduct",
        "authors",
        "notice",
        "security",
        "support",
    ];
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| NAMES.contains(&s.to_ascii_lowercase().as_str()))
}

fn not_regular(path: &Path) -> Failure {
    Failure {
        essay: path.display().to_string(),
        error: "not a regular file (a device, pipe or socket)".into(),
    }
}

/// Whether a Markdown or text file ends (or starts) with the marker that
/// essaymark writes into its Markdown reports and feedback. Two small
/// reads; an unreadable file is left to ingest, which names the reason.
fn is_own_report(path: &Path) -> bool {
    matches!(
        ingest::format_for_path(path),
        Some(ingest::Format::Markdown | ingest::Format::Text)
    ) && crate::output::written_by_essaymark(path)
}

/// The path an `ignore` error is about, if it names one.
fn error_path(e: &ignore::Error) -> Option<&Path> {
    match e {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

/// The error without the path prefix (the failure already names the path).
fn error_reason(e: &ignore::Error) -> String {
    // walkdir's I/O errors repeat the path ("IO error for operation on
    // PATH: Permission denied"); the innermost error, the OS's, says it once.
    if let Some(io) = e.io_error() {
        let mut inner: &dyn std::error::Error = io;
        while let Some(next) = inner.source() {
            inner = next;
        }
        return inner.to_string();
    }
    match e {
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => error_reason(err),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn tree(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, body) in files {
            let p = dir.path().join(name);
            fs::create_dir_all(p.parent().unwrap()).unwrap();
            fs::write(p, body).unwrap();
        }
        dir
    }

    fn rel(root: &Path, paths: &[PathBuf]) -> Vec<String> {
        paths
            .iter()
            .map(|p| {
                p.strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }

    #[test]
    fn classify_by_extension() {
        assert_eq!(classify(Path::new("a/Essay.TXT")), Classified::Essay);
        assert_eq!(classify(Path::new("b.docx")), Classified::Essay);
        assert_eq!(classify(Path::new("~$b.docx")), Classified::Other);
        assert_eq!(classify(Path::new("rubric.yaml")), Classified::Other);
        assert_eq!(classify(Path::new("Makefile")), Classified::Other);
        match classify(Path::new("scan.JPG")) {
            Classified::Unreadable(why) => assert!(
                why.starts_with("unsupported file type .jpg: an image"),
                "{why}"
            ),
            other => panic!("{other:?}"),
        }
        // PDFs are read (text layer), so they are essays.
        assert_eq!(classify(Path::new("x.pdf")), Classified::Essay);
        match classify(Path::new("x.doc")) {
            Classified::Unreadable(why) => assert!(why.contains("legacy Word"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn own_reports_are_skipped_with_notes_in_walk_order() {
        let marker = crate::output::REPORT_MARKER;
        let report = format!("# Report\n\nscores\n\n{marker}\n");
        let dir = tree(&[
            ("a-report.md", report.as_str()),
            ("b.txt", "an essay"),
            ("changes.txt", "project"),
            ("d-report.txt", report.as_str()),
            ("e.txt", "another essay"),
        ]);
        let w = Walker::default().walk(dir.path());
        assert_eq!(rel(dir.path(), &w.essays), ["b.txt", "e.txt"]);
        let notes: Vec<&str> = w
            .notes
            .iter()
            .map(|n| n.split(dir.path().to_str().unwrap()).nth(1).unwrap_or(n))
            .collect();
        assert_eq!(notes.len(), 3, "{notes:?}");
        let want = [
            "/a-report.md: written by essaymark",
            "/changes.txt: a project file",
            "/d-report.txt: written by essaymark",
        ];
        for (note, want) in notes.iter().zip(want) {
            assert!(note.starts_with(want), "{notes:?}");
        }
    }

    #[test]
    fn walk_sorts_filters_and_explains_unreadable_submissions() {
        let dir = tree(&[
            ("b.txt", "x"),
            ("a/z.md", "x"),
            ("a.txt", "x"),
            ("A.docx", "x"),
            (".hidden.txt", "x"),
            (".secret/c.txt", "x"),
            ("drafts/d.txt", "x"),
            (".gitignore", "drafts/\n"),
            ("old.txt", "x"),
            (".ignore", "old.txt\n"),
            ("rubric.yaml", "x"),
            ("essay.doc", "x"),
        ]);
        let w = Walker::default().walk(dir.path());
        assert_eq!(
            rel(dir.path(), &w.essays),
            ["A.docx", "a/z.md", "a.txt", "b.txt"]
        );
        assert_eq!(w.skipped.len(), 1);
        assert!(w.skipped[0].essay.ends_with("essay.doc"));
        assert!(w.skipped[0].error.contains("legacy Word"));
    }

    #[test]
    fn globs_include_and_exclude_but_never_resurrect_ignored_files() {
        let dir = tree(&[
            ("a.txt", "x"),
            ("b.md", "x"),
            ("sub/c.md", "x"),
            ("sub/draft-c.md", "x"),
            ("drafts/d.md", "x"),
            (".gitignore", "drafts/\n"),
            (".h.md", "x"),
        ]);
        let globs = ["*.md".to_string(), "!draft-*".to_string()];
        let w = Walker::new(&globs).unwrap().walk(dir.path());
        assert_eq!(rel(dir.path(), &w.essays), ["b.md", "sub/c.md"]);
        // Excluding a folder prunes it.
        let w = Walker::new(&["!sub/".to_string()])
            .unwrap()
            .walk(dir.path());
        assert_eq!(rel(dir.path(), &w.essays), ["a.txt", "b.md"]);
        // Anchored to the folder walked.
        let w = Walker::new(&["/*.md".to_string()])
            .unwrap()
            .walk(dir.path());
        assert_eq!(rel(dir.path(), &w.essays), ["b.md"]);
    }

    #[test]
    fn invalid_globs_are_rejected_up_front() {
        let err = Walker::new(&["a[".to_string()]).unwrap_err();
        assert!(err.to_string().contains("invalid --glob 'a['"), "{err}");
        assert!(Walker::new(&[String::new()]).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn an_unreadable_folder_is_named_once_with_the_os_reason() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tree(&[("ok.txt", "x"), ("locked/in.txt", "x")]);
        let locked = dir.path().join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        let applies = fs::read_dir(&locked).is_err();
        let w = Walker::default().walk(dir.path());
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        if !applies {
            eprintln!("skipped: running as root, file permissions do not apply");
            return;
        }
        assert_eq!(rel(dir.path(), &w.essays), ["ok.txt"]);
        assert_eq!(w.skipped.len(), 1);
        assert_eq!(w.skipped[0].essay, locked.display().to_string());
        assert_eq!(
            w.skipped[0].error,
            "cannot read: Permission denied (os error 13)"
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlink_loops_are_not_followed_but_file_links_are_graded() {
        let dir = tree(&[("real/e.txt", "x"), ("target.md", "x")]);
        std::os::unix::fs::symlink(dir.path(), dir.path().join("real/loop")).unwrap();
        std::os::unix::fs::symlink(dir.path().join("target.md"), dir.path().join("link.md"))
            .unwrap();
        std::os::unix::fs::symlink(dir.path().join("gone.txt"), dir.path().join("dangling.txt"))
            .unwrap();
        let w = Walker::default().walk(dir.path());
        assert_eq!(
            rel(dir.path(), &w.essays),
            ["link.md", "real/e.txt", "target.md"]
        );
        assert_eq!(w.skipped.len(), 1, "{:?}", w.skipped);
        assert!(
            w.skipped[0].error.starts_with("broken symbolic link"),
            "{:?}",
            w.skipped
        );
    }
}
