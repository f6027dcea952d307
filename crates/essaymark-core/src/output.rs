//! Output files written atomically: a temporary file in the target's folder,
//! renamed over the target only once complete, so a reader never sees half a
//! report and a failed run never destroys the previous one. Also what
//! happens when the reader of stdout or stderr goes away (`| head -1`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Written as the last line of a Markdown report and of Markdown feedback
/// (an HTML comment, invisible when rendered): a folder walk that meets it
/// leaves the file out, so a report saved into the class folder is never
/// graded as a student.
pub const REPORT_MARKER: &str = "<!-- written by essaymark: a report, not an essay -->";

/// `eprintln!` that cannot panic. With stderr piped into a reader that has
/// gone (`2>&1 | head -1`) the message is lost, not the run: `eprintln!`
/// would panic (exit 101). The message goes through [`clean_message`]:
/// ids, globs and file names in it come from files an untrusted
/// repository controls.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {{
        use ::std::io::Write as _;
        let msg = $crate::output::clean_message(&::std::format!($($arg)*));
        let _ = ::std::writeln!(::std::io::stderr().lock(), "{msg}");
    }};
}

/// A message safe for a terminal and a CI log: control characters (a
/// terminal escape sequence, a carriage return that hides what precedes it)
/// are shown as `\u{1b}`, and a line that would start with `::` (a GitHub
/// Actions workflow command such as `::error` or `::add-mask`) is prefixed
/// with `| `, so text from a rubric, config or file name can never become a
/// command. Newlines and tabs stay: messages span lines.
pub fn clean_message(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    for (i, line) in msg.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if line.trim_start().starts_with("::") {
            out.push_str("| ");
        }
        for c in line.chars() {
            if c.is_control() && c != '\t' {
                out.extend(c.escape_unicode());
            } else {
                out.push(c);
            }
        }
    }
    out
}

/// Set once a write to stdout found its reader gone.
static READER_GONE: AtomicBool = AtomicBool::new(false);

/// Note an error from writing the report to stdout: a closed pipe means
/// whoever reads the report has all they want (`| head -1`), which is not a
/// failure to report. Returns whether it was one.
pub fn note_write_error(e: &io::Error) -> bool {
    let gone = e.kind() == io::ErrorKind::BrokenPipe;
    if gone {
        READER_GONE.store(true, Ordering::Relaxed);
    }
    gone
}

/// Whether the reader of stdout went away during this run; the binary then
/// exits 0 without a message, as `cat` or `grep` do under `| head`.
pub fn reader_gone() -> bool {
    READER_GONE.load(Ordering::Relaxed)
}

/// A report file being written; invisible at `path` until [`AtomicFile::commit`].
///
/// Only regular files are replaced by renaming. A target that exists and is
/// not a regular file (`/dev/null`, `/dev/stdout`, a named pipe) is written
/// in place — renaming over it would replace the device itself. A symbolic
/// link to a file or folder is refused (see [`AtomicFile::create`]).
pub struct AtomicFile {
    sink: Sink,
}

enum Sink {
    Temporary {
        tmp: tempfile::NamedTempFile,
        path: PathBuf,
        // Declared last: dropped after `tmp` has deleted or persisted the file.
        _registration: Registration,
    },
    Direct(std::fs::File),
}

impl AtomicFile {
    /// Start writing `path`. Refused: a symbolic link to a file or folder
    /// (a pull request can commit `report.sarif -> ~/.bashrc`; the report
    /// is never written through it), and a relative path through a linked
    /// folder (`work/report.sarif` with `work -> /home/runner`), since the
    /// folders below the working directory may come from the repository
    /// being graded. A link to a device (`/dev/stdout`) is written in place.
    /// Errors name `path`, never the temporary file.
    pub fn create(path: &Path) -> io::Result<AtomicFile> {
        refuse_links(path)?;
        if let Ok(meta) = std::fs::metadata(path) {
            if !meta.is_file() {
                if meta.is_dir() {
                    return Err(io::Error::other(format!("{} is a folder", path.display())));
                }
                let file = open_in_place(path, &meta)?;
                return Ok(AtomicFile {
                    sink: Sink::Direct(file),
                });
            }
        }
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let (tmp, registration) = Registration::create_in(&dir).map_err(without_path)?;
        Ok(AtomicFile {
            sink: Sink::Temporary {
                tmp,
                path: path.to_path_buf(),
                _registration: registration,
            },
        })
    }

    /// Flush to disk and move into place. The file gets the permissions of
    /// the file it replaces, or ordinary ones (0644) — not the temporary
    /// file's private 0600, which would keep a shared report unreadable.
    pub fn commit(self) -> io::Result<()> {
        let (tmp, path, _registration) = match self.sink {
            Sink::Direct(mut file) => return file.flush(),
            Sink::Temporary {
                tmp,
                path,
                _registration,
            } => (tmp, path, _registration),
        };
        tmp.as_file().sync_all().map_err(without_path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).map_or(0o644, |m| m.permissions().mode() & 0o7777);
            std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(mode))
                .map_err(without_path)?;
        }
        // Checked again just before the rename: a link put in place while
        // the report was being written is not replaced either.
        refuse_links(&path)?;
        tmp.persist(&path).map_err(|e| without_path(e.error))?;
        Ok(())
    }
}

/// A temporary file's place in [`TEMPORARIES`], given up when dropped (the
/// file is then renamed into place or deleted by `tempfile`).
struct Registration(PathBuf);

impl Registration {
    /// Create a temporary file in `dir` and list it. Both happen under the
    /// lock the signal thread takes before deleting, so a signal cannot
    /// fall between them and leave an unlisted file.
    fn create_in(dir: &Path) -> io::Result<(tempfile::NamedTempFile, Registration)> {
        // Installed with the first temporary file, not at start-up: a
        // process that writes none (the PDF helper, under its 1 GiB
        // address-space cap) gets no extra thread.
        static INSTALL: std::sync::Once = std::sync::Once::new();
        INSTALL.call_once(clean_up_on_signals);
        let mut list = temporaries();
        let tmp = tempfile::NamedTempFile::new_in(dir)?;
        list.push(tmp.path().to_path_buf());
        let registration = Registration(tmp.path().to_path_buf());
        Ok((tmp, registration))
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        temporaries().retain(|p| *p != self.0);
    }
}

/// The list, even if a thread panicked holding it: a list of paths to
/// delete cannot be left inconsistent.
fn temporaries() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    TEMPORARIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The OS reason alone ("No space left on device (os error 28)"): the
/// temporary file's name means nothing to the user, the caller names the
/// target.
fn without_path(e: io::Error) -> io::Error {
    if let Some(code) = e.raw_os_error() {
        return io::Error::new(e.kind(), io::Error::from_raw_os_error(code).to_string());
    }
    // tempfile wraps the system's error as "<error> at path \"<temp>\"",
    // keeping only its kind: the system's words are worth keeping ("No
    // space left on device (os error 28)"), the temporary name is not.
    let text = e.to_string();
    match text.rfind(" at path \"") {
        Some(cut) if cut > 0 && !text[..cut].contains(".tmp") => {
            io::Error::new(e.kind(), text[..cut].to_string())
        }
        _ => io::Error::new(e.kind(), e.kind().to_string()),
    }
}

/// Refuse to write through a symbolic link: `path` itself when it links to
/// a file or folder, and, for a relative path, every folder on the way to it.
fn refuse_links(path: &Path) -> io::Result<()> {
    let refuse = |what: &Path| {
        io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "{} is a symbolic link: essaymark does not write through links (remove it or name the real file)",
                what.display()
            ),
        )
    };
    if let Ok(m) = std::fs::symlink_metadata(path) {
        if m.file_type().is_symlink() {
            match std::fs::metadata(path) {
                // A device or pipe (`/dev/stdout` links to one): written in
                // place, nothing is replaced.
                Ok(t) if !t.is_file() && !t.is_dir() => {}
                _ => return Err(refuse(path)),
            }
        }
    }
    if path.is_relative() {
        let mut prefix = PathBuf::new();
        let parent = path.parent().unwrap_or(Path::new(""));
        for c in parent.components() {
            prefix.push(c);
            if matches!(c, std::path::Component::Normal(_))
                && std::fs::symlink_metadata(&prefix).is_ok_and(|m| m.file_type().is_symlink())
            {
                return Err(refuse(&prefix));
            }
        }
    }
    Ok(())
}

/// Whether the file at `path` was written by essaymark: a Markdown or text
/// report or feedback file carries [`REPORT_MARKER`] at its start or end,
/// an HTML one its `generator` meta tag near the start. Two small reads.
pub fn written_by_essaymark(path: &Path) -> bool {
    use std::io::{Read, Seek, SeekFrom};
    const GENERATOR: &[u8] = b"<meta name=\"generator\" content=\"essaymark\">";
    let Ok(mut file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if (&mut file).take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let contains = |buf: &[u8], needle: &[u8]| memchr::memmem::find(buf, needle).is_some();
    let marker = REPORT_MARKER.as_bytes();
    if contains(&head, marker) || contains(&head, GENERATOR) {
        return true;
    }
    let window = marker.len() as i64 + 8;
    let mut tail = Vec::new();
    file.seek(SeekFrom::End(-window)).is_ok()
        && file.read_to_end(&mut tail).is_ok()
        && contains(&tail, marker)
}

/// Open a target that is not a regular file for writing in place. A named
/// pipe nobody reads would block `open` forever, so it is first opened
/// without blocking, which fails at once (ENXIO) when there is no reader.
fn open_in_place(path: &Path, meta: &std::fs::Metadata) -> io::Result<std::fs::File> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{FileTypeExt, OpenOptionsExt};
        if meta.file_type().is_fifo() {
            let probe = std::fs::OpenOptions::new()
                .write(true)
                .custom_flags(libc::O_NONBLOCK)
                .open(path)
                .map_err(|e| match e.raw_os_error() {
                    Some(libc::ENXIO) => io::Error::other(format!(
                        "{} is a named pipe that nothing is reading",
                        path.display()
                    )),
                    _ => e,
                })?;
            // A reader is there now, so this open does not block; the
            // report is then written with ordinary blocking writes.
            let file = std::fs::OpenOptions::new().write(true).open(path);
            drop(probe);
            return file;
        }
    }
    let _ = meta;
    std::fs::OpenOptions::new().write(true).open(path)
}

/// Temporary report files being written, removed by [`remove_temporaries`]
/// when a signal ends the run before they are renamed into place (a
/// `.tmpXXXXXX` of up to the report's size would otherwise stay behind).
static TEMPORARIES: std::sync::Mutex<Vec<PathBuf>> = std::sync::Mutex::new(Vec::new());

/// Delete every temporary report file still being written.
pub fn remove_temporaries() {
    for p in temporaries().iter() {
        let _ = std::fs::remove_file(p);
    }
}

/// On SIGINT, SIGTERM or SIGHUP: delete the temporary report files and
/// exit 128 + the signal's number (130, 143, 129), as a shell reports a
/// process the signal killed. The previous report stays as it was. Runs on
/// a thread of its own (signal-hook), not in the signal handler, so it may
/// lock and delete freely.
#[cfg(unix)]
fn clean_up_on_signals() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            if let Some(signal) = signals.forever().next() {
                remove_temporaries();
                std::process::exit(128 + signal);
            }
        });
}

#[cfg(not(unix))]
fn clean_up_on_signals() {}

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

    #[test]
    fn messages_cannot_carry_escapes_or_workflow_commands() {
        assert_eq!(clean_message("a\u{1b}[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(
            clean_message("bad id `x\n::error::pwned`"),
            "bad id `x\n| ::error::pwned`"
        );
        assert_eq!(clean_message("  ::add-mask::x"), "|   ::add-mask::x");
        assert_eq!(clean_message("line\n\tindented"), "line\n\tindented");
        assert_eq!(clean_message("cr\rhidden"), "cr\\u{d}hidden");
    }

    #[cfg(unix)]
    #[test]
    fn links_are_never_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.txt");
        let link = dir.path().join("link.txt");
        std::fs::write(&real, "old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let e = AtomicFile::create(&link).err().unwrap();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "old");
        // A link to a device is written in place.
        std::os::unix::fs::symlink("/dev/null", dir.path().join("null")).unwrap();
        let mut f = AtomicFile::create(&dir.path().join("null")).unwrap();
        f.write_all(b"x").unwrap();
        f.commit().unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn errors_name_the_target_not_the_temporary_file() {
        let e = AtomicFile::create(Path::new("/proc/essaymark-no/report.csv"))
            .err()
            .unwrap();
        assert!(!e.to_string().contains(".tmp"), "{e}");
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
