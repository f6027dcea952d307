//! Markdown report: a heading per essay, a table of criteria, the missing
//! arguments, and a class table when several essays were graded.

use super::{fmt_points, Renderer, Report, Summary};
use crate::scoring::Status;
use std::io::{self, Write};

#[derive(Default)]
pub struct MarkdownRenderer {
    essays: usize,
}

/// Escape text for a Markdown table cell, heading or list item
/// ([`super::markdown_text`]).
fn cell(s: &str) -> String {
    super::markdown_text(s)
}

impl Renderer for MarkdownRenderer {
    fn essay(&mut self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        self.essays += 1;
        writeln!(out, "## {}\n", cell(&r.essay))?;
        writeln!(
            out,
            "**Score {:.1}/100** · {} · {} · {} of {} points · {} words{}\n",
            r.score,
            cell(&r.band),
            if r.passed {
                "passed"
            } else {
                "below the pass mark"
            },
            fmt_points(r.points),
            fmt_points(r.max_points),
            r.words,
            r.topic_flag()
                .map(|(label, _)| format!(" · **{}**", label.to_lowercase()))
                .unwrap_or_default()
        )?;
        for t in &r.threshold_failures {
            writeln!(out, "**❌ Fails the check:** {}\n", cell(&t.message()))?;
        }
        writeln!(out, "| | Criterion | Section | Points | Evidence |")?;
        writeln!(out, "|---|---|---|---:|---|")?;
        for c in &r.criteria {
            let icon = match c.status {
                Status::Met => "✔",
                Status::Partial => "◐",
                Status::Missing => "✘",
            };
            let ev = c
                .evidence
                .first()
                .map(|e| format!("{}:{} {}", e.line, e.column, cell(&e.text)))
                .or_else(|| c.note.as_deref().map(cell))
                .unwrap_or_default();
            writeln!(
                out,
                "| {icon} | `{}` {} | {} | {}/{} | {} |",
                cell(&c.id),
                cell(&c.title),
                cell(&c.section),
                fmt_points(c.points),
                fmt_points(c.max_points),
                ev
            )?;
        }
        let (missing, _) = super::what_to_add(r);
        if !missing.is_empty() {
            writeln!(out, "\n### Missing arguments\n")?;
            for c in missing {
                writeln!(
                    out,
                    "- **`{}`** {}: {}",
                    cell(&c.id),
                    cell(&c.title),
                    cell(c.feedback.as_deref().unwrap_or("not found"))
                )?;
            }
        }
        writeln!(out)
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if self.essays < 2 {
            return Ok(());
        }
        writeln!(out, "## Class summary\n")?;
        writeln!(
            out,
            "{} essays · mean {:.1} · median {:.1} · min {:.1} · max {:.1} · pass rate {:.0}%\n",
            s.essays,
            s.mean,
            s.median,
            s.min,
            s.max,
            s.pass_rate * 100.0
        )?;
        if s.below_threshold > 0 {
            writeln!(
                out,
                "**{} essay(s) below a CI threshold** (the run fails)\n",
                s.below_threshold
            )?;
        }
        writeln!(out, "| Criterion | Met | Partial | Missing |")?;
        writeln!(out, "|---|---:|---:|---:|")?;
        for c in &s.criteria {
            writeln!(
                out,
                "| `{}` | {} | {} | {} |",
                cell(&c.id),
                c.met,
                c.partial,
                c.missing
            )?;
        }
        Ok(())
    }
}
