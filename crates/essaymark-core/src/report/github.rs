//! GitHub Actions workflow commands: one annotation per missing or partial
//! criterion, shown on the essay file in the pull request —
//! `::error` for a missing required criterion, `::warning` for a missing
//! optional one, `::notice` for partial credit — and a score line per essay.
//! When `GITHUB_STEP_SUMMARY` names a file, a Markdown job summary (a table
//! per essay) is appended to it.
//!
//! GitHub shows at most [`MAX_PER_LEVEL`] annotations of each level per step
//! and drops the rest without a word, so annotations are held until the end
//! of the run and emitted errors first (failed thresholds, then essays that
//! could not be graded, then missing required criteria). When a level has
//! more, the last slot says how many were left out and where they are (the
//! job summary lists every finding); the score line of each essay is printed
//! as it is graded.
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

/// How many annotations of one level GitHub shows for a step.
pub const MAX_PER_LEVEL: usize = 10;

/// The three annotation levels, in the order they are emitted.
const LEVELS: [&str; 3] = ["error", "warning", "notice"];

/// One annotation held until the end of the run. `rank` orders errors:
/// failed thresholds (0), inputs not graded (1), missing required (2).
struct Annotation {
    level: usize,
    rank: u8,
    line: String,
}

pub struct GithubRenderer {
    summary_path: Option<PathBuf>,
    summary: String,
    essays: usize,
    annotations: Vec<Annotation>,
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
            annotations: Vec::new(),
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

/// One workflow command, without its line break. `file` is `None` for stdin
/// (no location).
fn command(level: &str, file: Option<&str>, line: Option<usize>, title: &str, msg: &str) -> String {
    let mut props = Vec::new();
    if let Some(f) = file {
        props.push(format!("file={}", escape_property(f)));
        if let Some(l) = line {
            props.push(format!("line={l}"));
        }
    }
    props.push(format!("title={}", escape_property(title)));
    format!("::{level} {}::{}", props.join(","), escape_data(msg))
}

impl GithubRenderer {
    fn hold(&mut self, level: usize, rank: u8, line: String) {
        self.annotations.push(Annotation { level, rank, line });
    }

    /// Write the held annotations, at most [`MAX_PER_LEVEL`] of each level,
    /// and return how many of each level were left out (and how many there
    /// were).
    fn emit(&mut self, out: &mut dyn Write) -> io::Result<[(usize, usize); 3]> {
        let mut held = std::mem::take(&mut self.annotations);
        // Stable: within a rank, the order essays were graded in.
        held.sort_by_key(|a| (a.level, a.rank));
        let mut counts = [(0usize, 0usize); 3];
        for (level, name) in LEVELS.iter().enumerate() {
            let all: Vec<&Annotation> = held.iter().filter(|a| a.level == level).collect();
            let shown = if all.len() > MAX_PER_LEVEL {
                MAX_PER_LEVEL - 1
            } else {
                all.len()
            };
            for a in &all[..shown] {
                writeln!(out, "{}", a.line)?;
            }
            let left = all.len() - shown;
            if left > 0 {
                let place = if self.summary_path.is_some() {
                    "every finding is in the job summary"
                } else {
                    "run `essaymark check --format concise` to list them all"
                };
                let msg = format!(
                    "{left} more {name}s not shown: GitHub shows {MAX_PER_LEVEL} {name}s per step; {place}."
                );
                writeln!(out, "{}", command(name, None, None, "essaymark", &msg))?;
            }
            counts[level] = (left, all.len());
        }
        Ok(counts)
    }
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
            r.topic_flag()
                .map(|(label, _)| format!(" · {}", label.to_lowercase()))
                .unwrap_or_default()
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
            let line = command(
                "error",
                file,
                Some(1),
                &format!("essaymark {}", t.threshold),
                &format!("{} fails the check: {}", r.essay, t.message()),
            );
            self.hold(0, 0, line);
        }
        for c in &r.criteria {
            let Some(level) = level(c) else { continue };
            let (index, rank) = match level {
                "error" => (0, 2),
                "warning" => (1, 0),
                _ => (2, 0),
            };
            let line = match (c.status, c.evidence.first()) {
                (Status::Partial, Some(e)) if r.positions == "file" => e.line,
                _ => 1,
            };
            let line = command(
                LEVELS[index],
                file,
                Some(line),
                &format!("essaymark {}", c.id),
                &message(c),
            );
            self.hold(index, rank, line);
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

    fn failure(&mut self, _out: &mut dyn Write, f: &Failure) -> io::Result<()> {
        let file = (f.essay != "<stdin>").then_some(f.essay.as_str());
        let line = command(
            "error",
            file,
            None,
            "essaymark",
            &format!("could not grade {}: {}", f.essay, f.error),
        );
        self.hold(0, 1, line);
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

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let counts = self.emit(out)?;
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
        if counts.iter().any(|(left, _)| *left > 0) {
            let shown: Vec<String> = LEVELS
                .iter()
                .zip(counts)
                .filter(|(_, (_, all))| *all > 0)
                .map(|(name, (left, all))| format!("{} of {all} {name}s", all - left))
                .collect();
            md.push_str(&format!(
                "GitHub shows {MAX_PER_LEVEL} annotations of each level per step: {} are on the files, errors first. The tables below list every finding.\n\n",
                shown.join(", ")
            ));
        }
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
        assert_eq!(
            command(
                "error",
                Some("a,b.md"),
                Some(1),
                "essaymark x",
                "line1\nline2: 5%"
            ),
            "::error file=a%2Cb.md,line=1,title=essaymark x::line1%0Aline2: 5%25"
        );
        assert_eq!(
            command("notice", None, Some(3), "essaymark y", "m"),
            "::notice title=essaymark y::m"
        );
    }

    #[test]
    fn at_most_ten_of_a_level_errors_first_and_the_rest_counted() {
        let mut r = GithubRenderer::with_step_summary(None);
        for i in 0..12 {
            r.hold(0, 2, format!("::error title=missing {i}::m"));
        }
        r.hold(0, 0, "::error title=threshold::t".into());
        r.hold(0, 1, "::error title=ungraded::u".into());
        for i in 0..3 {
            r.hold(1, 0, format!("::warning title=w{i}::w"));
        }
        let mut out = Vec::new();
        let counts = r.emit(&mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        let errors: Vec<&str> = text.lines().filter(|l| l.starts_with("::error")).collect();
        assert_eq!(errors.len(), MAX_PER_LEVEL);
        assert_eq!(errors[0], "::error title=threshold::t");
        assert_eq!(errors[1], "::error title=ungraded::u");
        assert_eq!(errors[2], "::error title=missing 0::m");
        assert!(
            errors[9].contains("5 more errors not shown"),
            "{}",
            errors[9]
        );
        assert_eq!(
            text.lines().filter(|l| l.starts_with("::warning")).count(),
            3
        );
        assert_eq!(counts, [(5, 14), (0, 3), (0, 0)]);
    }

    #[test]
    fn summary_cells_cannot_break_the_table() {
        assert_eq!(cell("a|b\nc <script>"), "a\\|b c &lt;script&gt;");
    }
}
