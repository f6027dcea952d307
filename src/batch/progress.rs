//! The progress bar shown while a batch is graded: on stderr, and only when
//! stderr is a terminal (a pipe, a log file or CI gets no control codes) and
//! `--quiet` is not given.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, IsTerminal, Write};
use std::time::Duration;

/// A bar for `total` essays, or a hidden one (every call a no-op) when it
/// should not be seen. One essay is graded too fast for a bar to help.
pub fn bar(total: usize, quiet: bool) -> ProgressBar {
    if quiet || total < 2 || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let style = ProgressStyle::with_template(
        "{spinner} grading {pos}/{len} essays [{bar:30}] {elapsed} (eta {eta})",
    )
    .map(|s| s.progress_chars("=> "))
    // The template is a constant; should it ever be rejected, a plain
    // bar is better than none.
    .unwrap_or_else(|_| ProgressStyle::default_bar());
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr())
        .with_style(style);
    // Keeps the spinner moving while a long essay is graded.
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// A writer that hides the bar while it writes, so a report streamed to the
/// same terminal (stdout) is not interleaved with the bar's redraws.
pub struct Suspending<'a, W: Write> {
    bar: &'a ProgressBar,
    inner: W,
}

impl<'a, W: Write> Suspending<'a, W> {
    pub fn new(bar: &'a ProgressBar, inner: W) -> Self {
        Suspending { bar, inner }
    }
}

impl<W: Write> Write for Suspending<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let inner = &mut self.inner;
        self.bar.suspend(|| inner.write(buf))
    }

    fn flush(&mut self) -> io::Result<()> {
        let inner = &mut self.inner;
        self.bar.suspend(|| inner.flush())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_and_single_essays_get_a_hidden_bar() {
        assert!(bar(100, true).is_hidden());
        assert!(bar(1, false).is_hidden());
    }

    #[test]
    fn suspending_writer_passes_bytes_through() {
        let b = ProgressBar::hidden();
        let mut buf = Vec::new();
        {
            let mut w = Suspending::new(&b, &mut buf);
            w.write_all(b"report\n").unwrap();
            w.flush().unwrap();
        }
        assert_eq!(buf, b"report\n");
    }
}
