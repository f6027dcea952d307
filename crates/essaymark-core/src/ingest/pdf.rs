//! PDF submissions with a text layer, read with `pdf-extract` (on `lopdf`).
//!
//! Rust PDF readers are known to panic, loop or allocate without bound on
//! real files, so the reader never runs inside the grading process when
//! the `essaymark` binary is available: the binary re-executes itself with a
//! hidden subcommand ([`HELPER_ARG`]) that reads the PDF on stdin, caps its
//! own address space (`setrlimit(RLIMIT_AS)`), and writes the text to
//! stdout; the parent kills it after [`TIMEOUT`]. A crash, a kill or a
//! timeout is a reported failure for that one file. Library users without
//! the binary get the reader in a thread with `catch_unwind` and the same
//! timeout (a runaway thread is abandoned, not stopped).
//!
//! The text is then cleaned: page-number lines are dropped, a word
//! hyphenated at a line end is joined, and the lines are laid out the way
//! the plain-text block parser reads them. Positions refer to the extracted
//! text, as for .docx. A PDF with no text at all is a scan when its pages
//! are all there, and damage otherwise; one that needs a password says so.

use super::{plain_text_blocks, Extracted, Format, IngestError};
use crate::text::{list_marker_len, Origin};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The hidden subcommand that runs the reader in a child process.
pub const HELPER_ARG: &str = "__pdf-text";
/// Longest a PDF may take to read.
pub const TIMEOUT: Duration = Duration::from_secs(20);
/// Address space the reader process may use.
pub const MEMORY_LIMIT: u64 = 1 << 30;

const FORMAT: &str = "pdf";

static HELPER: OnceLock<PathBuf> = OnceLock::new();

/// Read PDFs in child processes of `exe` (the `essaymark` binary, which
/// must answer [`HELPER_ARG`] with [`helper_main`]).
pub fn use_helper_process(exe: PathBuf) {
    let _ = HELPER.set(exe);
}

/// The hidden subcommand: cap memory, read a PDF from stdin, write its text
/// to stdout. Exit code 0 on success; an error message and 3 otherwise.
pub fn helper_main() -> i32 {
    #[cfg(unix)]
    if let Err(e) = rlimit::setrlimit(rlimit::Resource::AS, MEMORY_LIMIT, MEMORY_LIMIT) {
        eprintln!("cannot limit memory: {e}");
        return 3;
    }
    let mut bytes = Vec::new();
    if let Err(e) = std::io::stdin().lock().read_to_end(&mut bytes) {
        eprintln!("cannot read the PDF: {e}");
        return 3;
    }
    match read_text(&bytes) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => 0,
                Err(_) => 3,
            }
        }
        Err(e) => {
            eprintln!("{}", e.tag());
            3
        }
    }
}

/// Why the reader could not give text, as the helper reports it on the
/// last line of its stderr ([`Failure::tag`]) and the parent reads it back.
#[derive(Debug, PartialEq)]
enum Failure {
    /// The file's structure is broken: the reason.
    Damaged(String),
    /// It needs a password (the empty one does not open it).
    Encrypted,
}

impl Failure {
    const DAMAGED: &'static str = "damaged: ";
    const ENCRYPTED: &'static str = "encrypted";

    fn tag(&self) -> String {
        match self {
            Failure::Damaged(why) => format!("{}{why}", Self::DAMAGED),
            Failure::Encrypted => Self::ENCRYPTED.to_string(),
        }
    }

    fn from_tag(line: &str) -> Option<Failure> {
        if line == Self::ENCRYPTED {
            return Some(Failure::Encrypted);
        }
        line.strip_prefix(Self::DAMAGED)
            .map(|why| Failure::Damaged(why.to_string()))
    }

    fn into_error(self) -> IngestError {
        match self {
            Failure::Damaged(why) => IngestError::DamagedPdf(why),
            Failure::Encrypted => IngestError::EncryptedPdf,
        }
    }
}

/// The reader itself, panics caught. An empty text is a scan only when
/// the document and all its pages' content are there: a truncated file
/// that the reader half recovers also gives no text, and is damage.
fn read_text(bytes: &[u8]) -> Result<String, Failure> {
    let read = std::panic::catch_unwind(|| match pdf_extract::extract_text_from_mem(bytes) {
        Ok(text) if text.trim().is_empty() => whole(bytes).map(|()| text),
        Ok(text) => Ok(text),
        Err(e) if encrypted(bytes) || is_decryption(&e) => Err(Failure::Encrypted),
        Err(pdf_extract::OutputError::PdfError(e)) => Err(Failure::Damaged(e.to_string())),
        Err(e) => Err(Failure::Damaged(e.to_string())),
    });
    read.unwrap_or_else(|_| {
        Err(Failure::Damaged(
            "the PDF reader failed on this file".to_string(),
        ))
    })
}

/// Whether the reader's error is about a password or decryption.
fn is_decryption(e: &pdf_extract::OutputError) -> bool {
    use pdf_extract::{Error, OutputError};
    matches!(
        e,
        OutputError::PdfError(Error::Decryption(_) | Error::InvalidPassword)
    )
}

/// Whether the file's trailer (or a cross-reference stream's dictionary)
/// names an `/Encrypt` dictionary: searched in the last 4 KiB, where the
/// final trailer is, and after every `trailer` keyword.
fn encrypted(bytes: &[u8]) -> bool {
    let has = |hay: &[u8]| hay.windows(8).any(|w| w == b"/Encrypt");
    let tail = &bytes[bytes.len().saturating_sub(4096)..];
    if has(tail) {
        return true;
    }
    let mut rest = bytes;
    while let Some(at) = memchr::memmem::find(rest, b"trailer") {
        rest = &rest[at + 7..];
        if has(&rest[..rest.len().min(1024)]) {
            return true;
        }
    }
    false
}

/// A document with no text is a scan (or blank) when it has pages and
/// every page's content can be read; otherwise the reader's empty result
/// came from a damaged file.
fn whole(bytes: &[u8]) -> Result<(), Failure> {
    let doc =
        pdf_extract::Document::load_mem(bytes).map_err(|e| Failure::Damaged(e.to_string()))?;
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(Failure::Damaged("it has no pages".to_string()));
    }
    for (n, page) in pages {
        let missing = doc.get_dictionary(page).is_err()
            || doc.get_page_contents(page).into_iter().any(|id| {
                doc.get_object(id)
                    .and_then(pdf_extract::Object::as_stream)
                    .is_err()
            });
        if missing {
            return Err(Failure::Damaged(format!(
                "page {n} is missing or incomplete (truncated?)"
            )));
        }
    }
    Ok(())
}

fn failure(reason: impl Into<String>) -> IngestError {
    IngestError::Document {
        format: FORMAT,
        reason: reason.into(),
    }
}

/// Extract a PDF held in memory; `max_text` bounds the text accepted.
pub(crate) fn extract(bytes: &[u8], max_text: u64) -> Result<Extracted, IngestError> {
    // The header may follow a little junk (some mailers prepend it).
    if !bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
    {
        return Err(failure("not a PDF file (no %PDF- header)"));
    }
    let raw = match HELPER.get() {
        Some(exe) => in_child(exe, bytes, max_text)?,
        None => in_thread(bytes)?,
    };
    let text = clean_text(&raw);
    if text.trim().is_empty() {
        return Err(IngestError::NoTextLayer);
    }
    let blocks = plain_text_blocks(&text);
    let origin = Origin::identity(&text);
    Ok(Extracted {
        text,
        blocks,
        origin,
        format: Format::Pdf,
        warnings: Vec::new(),
    })
}

/// The reader must not outlive essaymark: killed with `kill -9`, the
/// parent cannot kill it, so on Linux the child asks the kernel for
/// SIGKILL when its parent dies (`PR_SET_PDEATHSIG`), and exits at once if
/// the parent died before that request took effect. The signal follows
/// the thread that spawned the child, which here waits for it. The child
/// stays in essaymark's process group, so Ctrl-C reaches both.
#[cfg(target_os = "linux")]
fn die_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id();
    // SAFETY: the closure runs between fork and exec and calls only
    // async-signal-safe functions (prctl, getppid, _exit); it allocates
    // nothing.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(
                libc::PR_SET_PDEATHSIG,
                libc::SIGKILL as libc::c_ulong,
                0,
                0,
                0,
            ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            if libc::getppid() as u32 != parent {
                libc::_exit(1);
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn die_with_parent(_cmd: &mut Command) {}

fn in_child(exe: &PathBuf, bytes: &[u8], max_text: u64) -> Result<String, IngestError> {
    let mut cmd = Command::new(exe);
    cmd.arg(HELPER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    die_with_parent(&mut cmd);
    let mut child = cmd
        .spawn()
        .map_err(|e| failure(format!("cannot start the PDF reader: {e}")))?;
    let (Some(mut stdin), Some(stdout), Some(stderr)) =
        (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        let _ = child.kill();
        let _ = child.wait();
        return Err(failure("cannot talk to the PDF reader"));
    };
    // Feed and drain on threads: either pipe filling up must not block
    // the other, and the wait below must stay able to time out.
    let input = bytes.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout
            .take(max_text.saturating_add(1))
            .read_to_end(&mut out);
        out
    });
    let errors = std::thread::spawn(move || {
        let mut err = String::new();
        let _ = stderr.take(4096).read_to_string(&mut err);
        err
    });
    let start = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if start.elapsed() > TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failure(format!("the PDF reader failed: {e}")));
            }
        }
    };
    let _ = writer.join();
    let out = reader.join().unwrap_or_default();
    let err = errors.join().unwrap_or_default();
    let Some(status) = status else {
        return Err(failure(format!(
            "reading the PDF took longer than {} s (gave up)",
            TIMEOUT.as_secs()
        )));
    };
    if !status.success() {
        let why = err.lines().last().unwrap_or("").trim();
        if status.code().is_some() {
            if let Some(f) = Failure::from_tag(why) {
                return Err(f.into_error());
            }
        }
        return Err(failure(if status.code().is_none() || why.is_empty() {
            "the PDF reader crashed on this file (damaged or too complex?)".to_string()
        } else {
            format!("cannot read the PDF: {why}")
        }));
    }
    if out.len() as u64 > max_text {
        return Err(IngestError::TextTooLarge {
            size: out.len() as u64,
            limit: max_text,
        });
    }
    String::from_utf8(out).map_err(|_| failure("the PDF reader returned invalid text"))
}

fn in_thread(bytes: &[u8]) -> Result<String, IngestError> {
    let (tx, rx) = std::sync::mpsc::channel();
    let input = bytes.to_vec();
    std::thread::spawn(move || {
        let _ = tx.send(read_text(&input));
    });
    match rx.recv_timeout(TIMEOUT) {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(e.into_error()),
        Err(_) => Err(failure(format!(
            "reading the PDF took longer than {} s (gave up)",
            TIMEOUT.as_secs()
        ))),
    }
}

/// Lay the reader's lines out as plain text: page numbers dropped, words
/// hyphenated across a line end joined ("secu-" + "rity"), form feeds and
/// runs of blank lines reduced to one blank line (a paragraph break).
pub fn clean_text(raw: &str) -> String {
    let mut lines: Vec<String> = raw
        .split(['\n', '\u{c}'])
        .map(|l| expand_ligatures(l.trim_end_matches('\r').trim()))
        .collect();
    let mut out = String::with_capacity(raw.len());
    let mut blank = true;
    let mut i = 0;
    while i < lines.len() {
        let mut line = std::mem::take(&mut lines[i]);
        i += 1;
        if line.is_empty() || is_page_number(&line) {
            if !blank {
                out.push('\n');
                blank = true;
            }
            continue;
        }
        // A paragraph does not start in lower case: after a page break
        // (page number, blank lines) such a line continues the paragraph.
        if blank && out.ends_with("\n\n") && line.chars().next().is_some_and(char::is_lowercase) {
            out.pop();
        }
        // A wrapped list item's next lines (no marker of their own) belong
        // to the item: the plain-text parser reads a list item as one line.
        let prev_line = out.trim_end_matches('\n').rsplit('\n').next().unwrap_or("");
        if !blank && list_marker_len(prev_line).is_some() && list_marker_len(&line).is_none() {
            out.pop();
            out.push(' ');
        }
        // A hyphen after a letter at the end of a line, with the next line
        // starting in lower case, is a word broken by the layout: the
        // word's end moves up, the rest of the next line stays a line.
        if let Some(next) = lines.get_mut(i) {
            let broken = line.strip_suffix('-').is_some_and(|stem| {
                stem.chars().last().is_some_and(char::is_alphabetic)
                    && next.chars().next().is_some_and(char::is_lowercase)
            });
            if broken {
                line.pop();
                let (first, rest) = match next.split_once(' ') {
                    Some((f, r)) => (f.to_string(), r.trim_start().to_string()),
                    None => (next.clone(), String::new()),
                };
                line.push_str(&first);
                if rest.is_empty() {
                    i += 1;
                } else {
                    *next = rest;
                }
            }
        }
        out.push_str(&line);
        out.push('\n');
        blank = false;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Typeset PDFs keep ligature glyphs ("ﬁ" in "beneﬁts"); the matcher
/// needs the letters.
fn expand_ligatures(line: &str) -> String {
    if !line.chars().any(|c| ('\u{FB00}'..='\u{FB06}').contains(&c)) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    for c in line.chars() {
        match c {
            '\u{FB00}' => out.push_str("ff"),
            '\u{FB01}' => out.push_str("fi"),
            '\u{FB02}' => out.push_str("fl"),
            '\u{FB03}' => out.push_str("ffi"),
            '\u{FB04}' => out.push_str("ffl"),
            '\u{FB05}' | '\u{FB06}' => out.push_str("st"),
            c => out.push(c),
        }
    }
    out
}

/// "12", "- 3 -", "Page 4 of 9": page furniture, not the essay.
fn is_page_number(line: &str) -> bool {
    let core = line.trim_matches(|c: char| c == '-' || c == '–' || c.is_whitespace());
    if !core.is_empty() && core.len() <= 3 && core.chars().all(|c| c.is_ascii_digit()) {
        return true;
    }
    let lower = core.to_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    matches!(words.as_slice(), ["page", n] if n.chars().all(|c| c.is_ascii_digit()))
        || matches!(words.as_slice(), ["page", n, "of", m]
            if n.chars().all(|c| c.is_ascii_digit()) && m.chars().all(|c| c.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenation_page_numbers_and_blank_runs() {
        let raw = "Title Here\n\n\n\nThe border became a line of recur-\nring clashes and trade suf-\nfered badly.\n\n12\n\u{c}Next page starts here and self-\nInterest is kept.\n";
        assert_eq!(
            clean_text(raw),
            "Title Here\n\nThe border became a line of recurring\nclashes and trade suffered\nbadly.\n\nNext page starts here and self-\nInterest is kept.\n"
        );
    }

    #[test]
    fn paragraphs_across_pages_and_wrapped_list_items_are_whole() {
        let raw = "The fence runs along most of\n\n1\n\nthe border.\n\n- Pakistan should strengthen its\ndefence and deterrence.\n- Trade first.\n";
        assert_eq!(
            clean_text(raw),
            "The fence runs along most of\nthe border.\n\n- Pakistan should strengthen its defence and deterrence.\n- Trade first.\n"
        );
    }

    #[test]
    fn ligatures_become_letters() {
        assert_eq!(clean_text("Beneﬁts and eﬀort\n"), "Benefits and effort\n");
    }

    #[test]
    fn page_furniture() {
        for l in ["12", "- 3 -", "Page 4", "Page 4 of 9"] {
            assert!(is_page_number(l), "{l}");
        }
        for l in ["2021", "In 2021 the Taliban", "Page turner"] {
            assert!(!is_page_number(l), "{l}");
        }
    }

    #[test]
    fn garbage_is_a_reported_failure_not_a_panic() {
        for bytes in [
            &b"%PDF-1.7\n"[..],
            b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ntrailer\n",
            b"hello",
        ] {
            let err = extract(bytes, 1 << 20).unwrap_err();
            assert!(
                matches!(
                    err,
                    IngestError::Document { .. } | IngestError::DamagedPdf(_)
                ),
                "{err}"
            );
        }
    }

    #[test]
    fn failures_cross_the_process_boundary_intact() {
        for f in [
            Failure::Encrypted,
            Failure::Damaged("invalid start value".into()),
        ] {
            assert_eq!(Failure::from_tag(&f.tag()), Some(f));
        }
        assert_eq!(Failure::from_tag("some other message"), None);
    }

    #[test]
    fn encrypt_is_found_in_the_trailer() {
        assert!(encrypted(
            b"%PDF-1.4\ntrailer\n<< /Root 1 0 R /Encrypt 5 0 R >>\n%%EOF"
        ));
        assert!(!encrypted(b"%PDF-1.4\ntrailer\n<< /Root 1 0 R >>\n%%EOF"));
    }
}
