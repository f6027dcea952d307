//! GitHub Actions workflow commands: one annotation per missing or partial
//! criterion, shown on the essay file in the pull request —
//! `::error` for a missing required criterion, `::warning` for a missing
//! optional one, `::notice` for partial credit — and a score line per essay.
//! When `GITHUB_STEP_SUMMARY` names a file, a Markdown job summary (a table
//! per essay) is appended to it.
//!
//! Escaping follows GitHub's toolkit: `%`, CR and LF in messages, and also
//! `:` and `,` in properties.

use super::sarif::{level, message};
use super::{fmt_points, Failure, Renderer, Report, Summary};
use crate::scoring::Status;
use std::fs::OpenOptions;
use std::io::{self, Write};
use std::path::PathBuf;

/// The environment variable GitHub sets to the job summary file.
pub const STEP_SUMMARY_ENV: &str = "GITHUB_STEP_SUMMARY";

pub struct GithubRenderer {
    summary_path: Option<PathBuf>,
    summary: String,
    essays: usize,
}

impl Default for GithubRenderer {
    /// Appends a job summary when `GITHUB_STEP_SUMMARY` is set and not empty.
    fn default() -> Self {
        let path = std::env::var_os(STEP_SUMMARY_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        GithubRenderer::with_step_summary(path)
    }
}

impl GithubRenderer {
    /// A renderer that appends its Markdown summary to `path` (none: no summary).
    pub fn with_step_summary(path: Option<PathBuf>) -> Self {
        GithubRenderer {
            summary_path: path,
            summary: String::new(),
            essays: 0,
        }
    }
}

/// Escape a workflow command's message: `%`, CR and LF as GitHub's toolkit
/// does (so no text can end the command and start another), and any other
/// control character shown escaped, as in every text output, so that an
/// escape sequence cannot restyle or rewrite the job's log.
pub fn escape_data(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    super::printable(&s).into_owned()
}

/// Escape a workflow command property value (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// Escape text for a Markdown table cell (or heading) in the job summary
/// ([`super::markdown_text`]).
fn cell(s: &str) -> String {
    super::markdown_text(s)
}

/// One workflow command. `file` is `None` for stdin (no location).
fn command(
    out: &mut dyn Write,
    level: &str,
    file: Option<&str>,
    line: Option<usize>,
    title: &str,
    msg: &str,
) -> io::Result<()> {
    let mut props = Vec::new();
    if let Some(f) = file {
        props.push(format!("file={}", escape_property(f)));
        if let Some(l) = line {
            props.push(format!("line={l}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    writeln!(out, "::{level} {}::{}", props.join(","), escape_data(msg))
}

impl GithubRenderer {
    fn summarise(&mut self, r: &Report) {
        use std::fmt::Write as _;
        let s = &mut self.summary;
        let _ = writeln!(
            s,
            "### {} — {:.1}/100 · {}{}\n",
            cell(&r.essay),
            r.score,
            cell(&r.band),
            if r.off_topic {
                " · likely off-topic"
            } else {
                ""
            }
        );
        for t in &r.threshold_failures {
            let _ = writeln!(s, "**❌ Fails the check:** {}\n", cell(&t.message()));
        }
        let _ = writeln!(s, "| | Criterion | Section | Points | |");
        let _ = writeln!(s, "|---|---|---|---:|---|");
        for c in &r.criteria {
            let icon = match c.status {
                Status::Met => "✅",
                Status::Partial => "🟡",
                Status::Missing => "❌",
            };
            let _ = writeln!(
                s,
                "| {icon} | `{}` {} | {} | {}/{} | {} |",
                cell(&c.id),
                cell(&c.title),
                cell(&c.section),
                fmt_points(c.points),
                fmt_points(c.max_points),
                if c.required { "required" } else { "" }
            );
        }
        s.push('\n');
    }
}

impl Renderer for GithubRenderer {
    fn essay(&mut self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        self.essays += 1;
        // GitHub places annotations by the path from the repository root.
        let file = match &r.repo_path {
            Some(p) => Some(p.as_str()),
            None => (r.essay != "<stdin>").then_some(r.essay.as_str()),
        };
        for t in &r.threshold_failures {
            command(
                out,
                "error",
                file,
                Some(1),
                &format!("essaymark {}", t.threshold),
                &format!("{} fails the check: {}", r.essay, t.message()),
            )?;
        }
        for c in &r.criteria {
            let Some(level) = level(c) else { continue };
            let command_level = match level {
                "error" => "error",
                "warning" => "warning",
                _ => "notice",
            };
            let line = match (c.status, c.evidence.first()) {
                (Status::Partial, Some(e)) if r.positions == "file" => e.line,
                _ => 1,
            };
            command(
                out,
                command_level,
                file,
                Some(line),
                &format!("essaymark {}", c.id),
                &message(c),
            )?;
        }
        let missing = r
            .criteria
            .iter()
            .filter(|c| c.status == Status::Missing)
            .count();
        let partial = r
            .criteria
            .iter()
            .filter(|c| c.status == Status::Partial)
            .count();
        writeln!(
            out,
            "essaymark: {}: {:.1}/100 ({}), {missing} missing, {partial} partial{}",
            escape_data(&r.essay),
            r.score,
            escape_data(&r.band),
            if r.threshold_failures.is_empty() {
                String::new()
            } else {
                escape_data(&format!(", FAILS: {}", super::threshold_message(r)))
            }
        )?;
        if self.summary_path.is_some() {
            self.summarise(r);
        }
        Ok(())
    }

    fn failure(&mut self, out: &mut dyn Write, f: &Failure) -> io::Result<()> {
        let file = (f.essay != "<stdin>").then_some(f.essay.as_str());
        command(
            out,
            "error",
            file,
            None,
            "essaymark",
            &format!("could not grade {}: {}", f.essay, f.error),
        )?;
        if self.summary_path.is_some() {
            use std::fmt::Write as _;
            let _ = writeln!(
                self.summary,
                "### {} — not graded\n\n{}\n",
                cell(&f.essay),
                cell(&f.error)
            );
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let Some(path) = &self.summary_path else {
            return Ok(());
        };
        let mut md = String::from("## essaymark\n\n");
        md.push_str(&format!(
            "{} essay(s) graded · mean {:.1} · min {:.1} · max {:.1} · {} at the rubric's pass mark{}{}\n\n",
            s.essays,
            s.mean,
            s.min,
            s.max,
            s.passed,
            if s.below_threshold > 0 {
                format!(" · **{} below a CI threshold**", s.below_threshold)
            } else {
                String::new()
            },
            if s.failed > 0 {
                format!(" · {} not graded", s.failed)
            } else {
                String::new()
            }
        ));
        md.push_str(&self.summary);
        let mut f = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|e| {
                io::Error::new(
                    e.kind(),
                    format!("cannot write the job summary {}: {e}", path.display()),
                )
            })?;
        f.write_all(md.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_escapes_percent_and_line_breaks_only() {
        assert_eq!(
            escape_data("100% done\r\nnext: a, b"),
            "100%25 done%0D%0Anext: a, b"
        );
    }

    #[test]
    fn properties_also_escape_colon_and_comma() {
        assert_eq!(
            escape_property("C:\\essays\\a,b.md"),
            "C%3A\\essays\\a%2Cb.md"
        );
        assert_eq!(escape_property("50%\nx"), "50%25%0Ax");
        assert_eq!(escape_property("essaymark isis-k"), "essaymark isis-k");
    }

    #[test]
    fn commands_put_properties_then_message() {
        let mut out = Vec::new();
        command(
            &mut out,
            "error",
            Some("a,b.md"),
            Some(1),
            "essaymark x",
            "line1\nline2: 5%",
        )
        .unwrap();
        command(&mut out, "notice", None, Some(3), "essaymark y", "m").unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "::error file=a%2Cb.md,line=1,title=essaymark x::line1%0Aline2: 5%25\n::notice title=essaymark y::m\n"
        );
    }

    #[test]
    fn summary_cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc <script>"), "a\\|b c &lt;script&gt;");
    }
}
