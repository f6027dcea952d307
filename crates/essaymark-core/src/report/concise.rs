//! The concise format: one `path:line:col: level id message` line per
//! finding, as ruff, Vale and compilers print them, so editors, `grep` and
//! problem matchers can read it, then one score line per essay and a count.
//!
//! Findings: a failed CI threshold (`error`, id = the threshold), a missing
//! required criterion (`error`), a missing optional one (`warning`), partial
//! credit (`note`, at its first evidence), an input that could not be graded
//! (`error ungraded`). Met criteria print nothing. Every field is made
//! printable ([`super::printable`]) and kept on one line, so a file name or
//! rubric text cannot start a line of its own.

use super::{fmt_points, printable, Failure, Renderer, Report, Summary};
use crate::scoring::Status;
use std::io::{self, Write};

#[derive(Default)]
pub struct ConciseRenderer {
    errors: usize,
    warnings: usize,
    notes: usize,
    ungraded: usize,
}

/// `s` printable and on one line (line breaks and tabs become spaces).
fn one_line(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    printable(s.trim()).into_owned()
}

impl ConciseRenderer {
    fn finding(
        &mut self,
        out: &mut dyn Write,
        path: &str,
        (line, column): (usize, usize),
        level: &str,
        id: &str,
        message: &str,
    ) -> io::Result<()> {
        match level {
            "error" => self.errors += 1,
            "warning" => self.warnings += 1,
            _ => self.notes += 1,
        }
        writeln!(
            out,
            "{}:{line}:{column}: {level} {} {}",
            one_line(path),
            one_line(id),
            one_line(message)
        )
    }
}

impl Renderer for ConciseRenderer {
    fn essay(&mut self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        let path = &r.essay;
        for t in &r.threshold_failures {
            self.finding(out, path, (1, 1), "error", t.threshold, &t.message())?;
        }
        for c in &r.criteria {
            let points = format!(
                "({}/{} points)",
                fmt_points(c.points),
                fmt_points(c.max_points)
            );
            match c.status {
                Status::Met => {}
                Status::Missing => {
                    let (level, what) = if c.required {
                        ("error", "missing required")
                    } else {
                        ("warning", "missing")
                    };
                    self.finding(
                        out,
                        path,
                        (1, 1),
                        level,
                        &c.id,
                        &format!("{what}: {} {points}", c.title),
                    )?;
                }
                Status::Partial => {
                    let at = c.evidence.first().map_or((1, 1), |e| (e.line, e.column));
                    let mut msg = format!("partial: {} {points}", c.title);
                    if let Some(n) = &c.note {
                        msg.push_str(": ");
                        msg.push_str(n);
                    }
                    self.finding(out, path, at, "note", &c.id, &msg)?;
                }
            }
        }
        writeln!(
            out,
            "{}: score {:.1}/100 ({}), {} missing{}",
            one_line(path),
            r.score,
            one_line(&r.band),
            r.missing.len(),
            if r.threshold_failures.is_empty() {
                ""
            } else {
                ", fails the check"
            }
        )
    }

    fn failure(&mut self, out: &mut dyn Write, f: &Failure) -> io::Result<()> {
        self.ungraded += 1;
        self.errors += 1;
        writeln!(
            out,
            "{}:1:1: error ungraded could not grade: {}",
            one_line(&f.essay),
            one_line(&f.error)
        )
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if s.essays == 0 && self.ungraded == 0 {
            return Ok(());
        }
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        writeln!(
            out,
            "Found {}, {}, {} in {} graded{}; mean score {:.1}{}",
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
            plural(self.notes, "note"),
            plural(s.essays, "essay"),
            if self.ungraded > 0 {
                format!(", {} not graded", self.ungraded)
            } else {
                String::new()
            },
            s.mean,
            if s.below_threshold > 0 {
                format!("; {} below a CI threshold", s.below_threshold)
            } else {
                String::new()
            }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_stays_on_one_printable_line() {
        let mut r = ConciseRenderer::default();
        let mut out = Vec::new();
        r.finding(
            &mut out,
            "a\nb.txt",
            (3, 7),
            "warning",
            "x\u{1b}[31m",
            "line one\nline two",
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with("a b.txt:3:7: warning x"), "{text}");
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(text.trim_end().ends_with("line one line two"), "{text}");
        assert_eq!((r.errors, r.warnings, r.notes), (0, 1, 0));
    }
}
