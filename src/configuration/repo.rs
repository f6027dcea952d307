//! The repository an essay belongs to: its root (the folder holding
//! `.essaymark.yaml` or `.git`) and paths relative to it. Code scanning
//! (SARIF) and GitHub annotations need essay paths relative to the root,
//! whatever folder essaymark runs in; config groups match paths relative
//! to the config's folder. Both go through [`relative`].

use std::path::{Component, Path, PathBuf};

/// `path` made absolute against the current folder, with `.` and `..`
/// resolved lexically (symbolic links are kept: a linked essay is matched
/// and reported by its own path, not its target's).
pub fn absolute(path: &Path) -> Option<PathBuf> {
    // "" is the current folder (a config found in it has dir "").
    let path = if path.as_os_str().is_empty() {
        Path::new(".")
    } else {
        path
    };
    let abs = std::path::absolute(path).ok()?;
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    Some(out)
}

/// The repository root for a run: the config's folder when there is a
/// config, else the nearest folder above `start` holding `.git`, else
/// `start` itself. Absolute.
pub fn root(start: &Path, config_dir: Option<&Path>) -> Option<PathBuf> {
    if let Some(dir) = config_dir {
        return absolute(dir);
    }
    let start = absolute(start)?;
    let found = start
        .ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf);
    Some(found.unwrap_or(start))
}

/// Refuse a settings file (rubric, config) that is a symbolic link
/// leading out of the repository it sits in (the nearest folder above it
/// holding `.git`, else its own folder): a pull request can commit
/// `.essaymark.yaml -> /proc/self/environ` to have the environment echoed
/// in an error message.
pub fn refuse_outside_link(path: &Path) -> Result<(), String> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return Ok(());
    }
    let parent = path.parent().unwrap_or(Path::new(""));
    let inside = root(parent, None)
        .and_then(|r| r.canonicalize().ok())
        .zip(path.canonicalize().ok())
        .is_some_and(|(r, target)| target.starts_with(r));
    if inside {
        Ok(())
    } else {
        Err(format!(
            "{}: a symbolic link leading outside the repository: not read",
            path.display()
        ))
    }
}

/// `path` relative to `root`, `/`-separated; `None` when it is outside.
/// Compared lexically first; when that fails (a folder reached through a
/// symbolic link), with both folders resolved.
pub fn relative(path: &Path, root: &Path) -> Option<String> {
    let abs = absolute(path)?;
    let root_abs = absolute(root)?;
    let rel = match abs.strip_prefix(&root_abs) {
        Ok(rel) => rel.to_path_buf(),
        Err(_) => {
            let name = abs.file_name()?;
            let parent = abs.parent()?.canonicalize().ok()?;
            let root_real = root_abs.canonicalize().ok()?;
            parent
                .join(name)
                .strip_prefix(&root_real)
                .ok()?
                .to_path_buf()
        }
    };
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_resolves_dots_and_ignores_the_current_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("answers/security")).unwrap();
        let p = root.join("answers/economy/../security/./ali.md");
        assert_eq!(
            relative(&p, root).as_deref(),
            Some("answers/security/ali.md")
        );
        assert_eq!(relative(Path::new("/elsewhere/x.md"), root), None);
        assert_eq!(relative(root, root).as_deref(), Some(""));
    }

    #[test]
    fn root_is_the_config_folder_else_the_git_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join(".git")).unwrap();
        std::fs::create_dir_all(root.join("a/b")).unwrap();
        assert_eq!(root_of(&root.join("a/b")), root);
        assert_eq!(
            super::root(&root.join("a/b"), Some(&root.join("a"))),
            Some(root.join("a"))
        );
    }

    fn root_of(p: &Path) -> PathBuf {
        super::root(p, None).unwrap()
    }

    #[cfg(unix)]
    #[test]
    fn a_root_reached_through_a_link_still_relates() {
        let tmp = tempfile::tempdir().unwrap();
        let real = tmp.path().join("real");
        std::fs::create_dir_all(real.join("a")).unwrap();
        std::os::unix::fs::symlink(&real, tmp.path().join("link")).unwrap();
        assert_eq!(
            relative(&tmp.path().join("link/a/x.md"), &real).as_deref(),
            Some("a/x.md")
        );
    }
}
