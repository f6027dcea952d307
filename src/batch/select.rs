//! The essays a config's `essays` groups select, found by the same walk as
//! a folder given on the command line and confined to the config's folder.

use crate::batch::walk::Walker;
use crate::configuration::config::Config;
use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

/// Essays one group selected, sorted by path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectedGroup {
    /// Index into [`Config::essays`].
    pub group: usize,
    pub rubric: Option<PathBuf>,
    pub files: Vec<PathBuf>,
}

/// What the config's `essays` list selects.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub groups: Vec<SelectedGroup>,
    /// Non-fatal problems (a group that matched nothing).
    pub warnings: Vec<String>,
    /// Submissions the groups match that cannot be graded (a PDF, a
    /// broken link) and folders that cannot be read: reported with the
    /// reason, as for a folder given on the command line.
    pub skipped: Vec<crate::report::Failure>,
}

/// The essays each group names: files under the config folder that match
/// one of the group's globs and are not ignored, found by the same
/// [`Walker`] as a folder given on the command line
/// (`.gitignore`, hidden files, links to files graded, links to folders
/// not followed, unreadable submissions reported). A file named without
/// a glob is taken as it is. A file two groups match belongs to the
/// first. Each group's files are sorted.
pub fn select(c: &Config) -> Selection {
    // Nothing outside the config's folder is read, whatever links in
    // the repository (or a pull request) point at.
    let walker = Walker::default().confined_to(&c.dir);
    let mut sel = Selection::default();
    let mut taken: HashSet<String> = HashSet::new();
    let mut reported: HashSet<String> = HashSet::new();
    for (gi, g) in c.essays.iter().enumerate() {
        let mut found: BTreeSet<String> = BTreeSet::new();
        let mut visited: HashSet<String> = HashSet::new();
        for base in g.bases() {
            let path = c.path_of(base);
            if path.exists() && !walker.inside(&path) {
                if reported.insert(path.display().to_string()) {
                    sel.skipped.push(crate::report::Failure {
                        essay: path.display().to_string(),
                        error: "leads outside the repository (a symbolic link?): not read".into(),
                    });
                }
                continue;
            }
            if path.is_file() {
                // A file named without a glob is taken whatever its extension.
                if g.matches(base) && !c.is_ignored(base) {
                    found.insert(base.clone());
                }
                continue;
            }
            // A base inside one already walked was covered by that walk.
            if visited
                .iter()
                .any(|v| v.is_empty() || base == v || base.starts_with(&format!("{v}/")))
            {
                continue;
            }
            if !path.is_dir() {
                continue;
            }
            visited.insert(base.clone());
            let walked = walker.walk(&path);
            sel.warnings.extend(walked.notes);
            for p in walked.essays {
                if let Some(rel) = c.rel_of(&p) {
                    if g.matches(&rel) && !c.is_ignored(&rel) {
                        found.insert(rel);
                    }
                }
            }
            for f in walked.skipped {
                let rel = c.rel_of(Path::new(&f.essay));
                let wanted = rel.as_deref().is_none_or(|r| {
                    !c.is_ignored(r) && (g.matches(r) || Path::new(&f.essay).is_dir())
                });
                if wanted && reported.insert(f.essay.clone()) {
                    sel.skipped.push(f);
                }
            }
        }
        let mut files: Vec<PathBuf> = found
            .into_iter()
            .filter(|rel| taken.insert(rel.clone()))
            .map(|rel| c.path_of(&rel))
            .collect();
        if files.is_empty() {
            sel.warnings.push(format!(
                "{}:{}:{}: no essays match {}",
                c.file.display(),
                g.pos.line,
                g.pos.column,
                g.patterns.join(", ")
            ));
        }
        files.sort();
        sel.groups.push(SelectedGroup {
            group: gi,
            rubric: g.rubric.clone().or_else(|| c.rubric.clone()),
            files,
        });
    }
    sel
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::configuration::config::load_str;

    #[test]
    fn select_is_sorted_and_first_group_wins() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in [
            "a/2.md",
            "a/1.md",
            "a/sub/3.txt",
            "a/skip.doc",
            "a/.hidden.md",
            "drafts/d.md",
            "b/x.md",
        ] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "text").unwrap();
        }
        let yaml = "ignore: [\"drafts/**\"]\nessays:\n  - paths: [\"a/*.md\"]\n  - paths: [\"**/*\"]\n    rubric: r.yaml\n  - paths: [\"nothing/**\"]\n";
        let c = load_str(yaml, &root.join(".essaymark.yaml"), root).unwrap();
        let sel = select(&c);
        let rel = |g: &SelectedGroup| -> Vec<String> {
            g.files
                .iter()
                .map(|p| {
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/")
                })
                .collect()
        };
        assert_eq!(rel(&sel.groups[0]), vec!["a/1.md", "a/2.md"]);
        assert_eq!(rel(&sel.groups[1]), vec!["a/sub/3.txt", "b/x.md"]);
        assert_eq!(
            sel.groups[1].rubric.as_deref(),
            Some(root.join("r.yaml").as_path())
        );
        assert!(sel.groups[2].files.is_empty());
        assert_eq!(sel.warnings.len(), 1, "{:?}", sel.warnings);
        assert!(sel.warnings[0].contains("nothing/**"));
    }

    #[test]
    fn select_walks_like_a_command_line_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        for f in ["a/1.md", "a/notes.md", "elsewhere/2.md"] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "text").unwrap();
        }
        std::fs::write(root.join("a/old.doc"), "binary").unwrap();
        std::fs::write(root.join(".gitignore"), "a/notes.md\n").unwrap();
        std::os::unix::fs::symlink("../elsewhere/2.md", root.join("a/2.md")).unwrap();
        let c = load_str(
            "essays:\n  - paths: [\"a\"]\n",
            &root.join(".essaymark.yaml"),
            root,
        )
        .unwrap();
        let sel = select(&c);
        let names: Vec<String> = sel.groups[0]
            .files
            .iter()
            .map(|p| p.strip_prefix(root).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a/1.md", "a/2.md"]);
        assert_eq!(sel.skipped.len(), 1, "{:?}", sel.skipped);
        assert!(sel.skipped[0].essay.ends_with("old.doc"));
        let walked = crate::batch::walk::Walker::default()
            .confined_to(root)
            .walk(&root.join("a"));
        assert_eq!(walked.essays, sel.groups[0].files);
    }
}
