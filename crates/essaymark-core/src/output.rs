//! Output files written atomically: a temporary file in the target's folder,
//! renamed over the target only once complete, so a reader never sees half a
//! report and a failed run never destroys the previous one.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// A report file being written; invisible at `path` until [`AtomicFile::commit`].
///
/// Only regular files are replaced by renaming. A target that exists and is
/// not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is written
/// in place — renaming over it would replace the device itself — and a
/// symbolic link is followed, so the link survives and its target is updated.
pub struct AtomicFile {
    sink: Sink,
}

enum Sink {
    Temporary {
        tmp: tempfile::NamedTempFile,
        path: PathBuf,
    },
    Direct(std::fs::File),
}

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        // Follow links: write next to (and rename over) the real file.
        let path = match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path)?,
            _ => path.to_path_buf(),
        };
        if let Ok(meta) = std::fs::metadata(&path) {
            if !meta.is_file() {
                if meta.is_dir() {
                    return Err(io::Error::other(format!("{} is a folder", path.display())));
                }
                let file = std::fs::OpenOptions::new().write(true).open(&path)?;
                return Ok(AtomicFile {
                    sink: Sink::Direct(file),
                });
            }
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        Ok(AtomicFile {
            sink: Sink::Temporary {
                tmp: tempfile::NamedTempFile::new_in(dir)?,
                path,
            },
        })
    }

    /// Flush to disk and move into place. The file gets the permissions of
    /// the file it replaces, or ordinary ones (0644) — not the temporary
    /// file's private 0600, which would keep a shared report unreadable.
    pub fn commit(self) -> io::Result<()> {
        let (tmp, path) = match self.sink {
            Sink::Direct(mut file) => return file.flush(),
            Sink::Temporary { tmp, path } => (tmp, path),
        };
        tmp.as_file().sync_all()?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))?;
        }
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match &mut self.sink {
            Sink::Temporary { tmp, .. } => tmp.write(buf),
            Sink::Direct(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match &mut self.sink {
            Sink::Temporary { tmp, .. } => tmp.flush(),
            Sink::Direct(f) => f.flush(),
        }
    }
}

/// Whether standard input is the file at `path` (same device and inode), as
/// in `check - --out essay.md < essay.md`: comparing names cannot see that,
/// and renaming the report over the essay would destroy it.
#[cfg(unix)]
pub fn stdin_is(path: &Path) -> bool {
    use std::os::fd::AsFd;
    use std::os::unix::fs::MetadataExt;
    let Ok(fd) = io::stdin().as_fd().try_clone_to_owned() else {
        return false;
    };
    let Ok(stdin) = std::fs::File::from(fd).metadata() else {
        return false;
    };
    match std::fs::metadata(path) {
        // Only a regular file can be lost: a terminal or /dev/null on both
        // sides is harmless.
        Ok(out) => stdin.is_file() && stdin.dev() == out.dev() && stdin.ino() == out.ino(),
        Err(_) => false,
    }
}

#[cfg(not(unix))]
pub fn stdin_is(_path: &Path) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_appears_only_on_commit_with_readable_permissions() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"a,b\n").unwrap();
        assert!(!path.exists());
        f.commit().unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"a,b\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(
                std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
                0o644
            );
        }
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_written_in_place_never_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let mut f = AtomicFile::create(Path::new("/dev/null")).unwrap();
        f.write_all(b"report").unwrap();
        f.commit().unwrap();
        let meta = std::fs::metadata("/dev/null").unwrap();
        assert!(
            meta.file_type().is_char_device(),
            "/dev/null must stay a device"
        );
    }

    #[cfg(unix)]
    #[test]
    fn links_are_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let mut f = AtomicFile::create(&link).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn dropped_without_commit_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.csv");
        std::fs::write(&path, "old").unwrap();
        let mut f = AtomicFile::create(&path).unwrap();
        f.write_all(b"new").unwrap();
        drop(f);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
