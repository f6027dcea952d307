//! The human report: per section a line per criterion (✔ met, ◐ partial,
//! ✘ missing) with points and evidence, the total and band, and the missing
//! arguments with advice. Colour comes from `colored`, whose global switch
//! the binary sets from `--color`, `NO_COLOR` and whether stdout is a terminal.

use super::{
    fmt_points, printable as p, what_to_add, CriterionReport, Failure, Renderer, Report,
    SimilarPair, Summary,
};
use crate::scoring::depth::Level;
use crate::scoring::Status;
use colored::Colorize;
use std::borrow::Cow;
use std::io::{self, Write};

/// Evidence lines shown per criterion in the text report.
const SHOWN_EVIDENCE: usize = 2;

#[derive(Default)]
pub struct TextRenderer {
    essays: usize,
    /// (essay, score, band, missing count, failed a CI threshold) for the
    /// closing table.
    rows: Vec<(String, f64, String, usize, bool)>,
    failures: usize,
    /// `--summary`: no per-essay report, only the closing table (also for
    /// one essay).
    summary_only: bool,
}

impl TextRenderer {
    /// The renderer for `--summary`: the class table and statistics only.
    pub fn summary_only() -> Self {
        TextRenderer {
            summary_only: true,
            ..TextRenderer::default()
        }
    }
}

fn mark(status: Status) -> colored::ColoredString {
    match status {
        Status::Met => "✔".green().bold(),
        Status::Partial => "◐".yellow().bold(),
        Status::Missing => "✘".red().bold(),
    }
}

fn criterion_line(out: &mut dyn Write, c: &CriterionReport) -> io::Result<()> {
    let pts = format!("{}/{}", fmt_points(c.points), fmt_points(c.max_points));
    let pts = match c.status {
        Status::Met => pts.green(),
        Status::Partial => pts.yellow(),
        Status::Missing => pts.red(),
    };
    let req = if c.required {
        " (required)".dimmed().to_string()
    } else {
        String::new()
    };
    // The level of an argument criterion, when it says more than the
    // mark: "developed" or "in depth" beside a met one.
    let level = match c.level {
        Some(l @ (Level::Developed | Level::InDepth)) => {
            format!(" {}", l.as_str()).dimmed().to_string()
        }
        _ => String::new(),
    };
    writeln!(
        out,
        "  {} {:<26} {:<44} {:>7}{level}{req}",
        mark(c.status),
        p(&c.id).bold(),
        truncate(&p(&c.title), 44),
        pts
    )?;
    if let Some(note) = &c.note {
        writeln!(out, "      {}", p(note).dimmed())?;
    }
    for e in c.evidence.iter().take(SHOWN_EVIDENCE) {
        let loc = format!("{}:{}", e.line, e.column);
        let found = e
            .found_as
            .as_ref()
            .map(|f| format!(" (found as \"{}\")", p(f)))
            .or_else(|| {
                e.by_meaning
                    .as_ref()
                    .map(|m| format!(" ({})", p(&m.describe())))
            })
            .unwrap_or_default();
        writeln!(
            out,
            "      {} {}{}",
            loc.cyan(),
            truncate(&p(&e.text), 100),
            found.dimmed()
        )?;
    }
    Ok(())
}

/// `s` cut to at most `n` characters, the last of them "…" when cut.
fn truncate(s: &str, n: usize) -> Cow<'_, str> {
    if s.len() <= n {
        return Cow::Borrowed(s);
    }
    let cut = if s.is_ascii() {
        n - 1
    } else {
        let mut chars = s.char_indices();
        match chars.nth(n - 1) {
            Some((i, _)) if chars.next().is_some() => i,
            _ => return Cow::Borrowed(s),
        }
    };
    Cow::Owned(format!("{}…", &s[..cut]))
}

impl TextRenderer {
    fn push_row(&mut self, r: &Report) {
        self.rows.push((
            p(&r.essay).into_owned(),
            r.score,
            p(&r.band).into_owned(),
            r.missing.len(),
            !r.threshold_failures.is_empty(),
        ));
    }
}

impl Renderer for TextRenderer {
    fn essay(&mut self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        if self.summary_only {
            self.push_row(r);
            return Ok(());
        }
        if self.essays > 0 {
            writeln!(out)?;
        }
        self.essays += 1;
        writeln!(out, "{}", p(&r.essay).bold().underline())?;
        writeln!(
            out,
            "{} ({} v{})",
            p(&r.rubric.title),
            p(&r.rubric.id),
            p(&r.rubric.version)
        )?;
        if r.positions == "extracted" {
            writeln!(
                out,
                "{}",
                "line:column refer to the text extracted from the document".dimmed()
            )?;
        }
        for w in &r.warnings {
            writeln!(out, "{} {}", "warning:".yellow().bold(), p(w))?;
        }
        for n in &r.notes {
            writeln!(out, "{} {}", "note:".cyan().bold(), p(n))?;
        }
        let mut section = "";
        for c in &r.criteria {
            if c.section != section {
                section = &c.section;
                writeln!(
                    out,
                    "\n{}",
                    p(section).to_uppercase().replace('-', " ").bold()
                )?;
            }
            criterion_line(out, c)?;
        }
        let score = format!("{:.1}/100", r.score);
        let score = if r.passed {
            score.green().bold()
        } else {
            score.red().bold()
        };
        // `passed` is the rubric's pass mark; a CI threshold the essay
        // fails is said on its own line, so "passed" never stands beside a
        // failing check.
        let verdict = match (r.passed, r.threshold_failures.is_empty()) {
            (true, true) => "passed".green(),
            (true, false) => "rubric pass mark met".yellow(),
            (false, _) => "below the pass mark".red(),
        };
        writeln!(
            out,
            "\nScore {score}  {}  {verdict}  ({} of {} points, {} words)",
            p(&r.band).bold(),
            fmt_points(r.points),
            fmt_points(r.max_points),
            r.words
        )?;
        for t in &r.threshold_failures {
            writeln!(out, "{} {}", "✘ FAILS THE CHECK:".red().bold(), t.message())?;
        }
        if let Some((label, why)) = r.topic_flag() {
            writeln!(out, "{} {why}.", format!("{label}:").red().bold())?;
        }
        let (missing, partial) = what_to_add(r);
        if !missing.is_empty() {
            writeln!(out, "\n{}", "Missing arguments".red().bold())?;
            for c in missing {
                let req = if c.required { ", required" } else { "" };
                writeln!(
                    out,
                    "  {} {} — {} ({} points{req})",
                    mark(c.status),
                    p(&c.id).bold(),
                    p(&c.title),
                    fmt_points(c.max_points)
                )?;
                if let Some(f) = &c.feedback {
                    writeln!(out, "      {}", p(f))?;
                }
            }
        }
        if !partial.is_empty() {
            writeln!(out, "\n{}", "To develop (partial credit)".yellow().bold())?;
            for c in partial {
                writeln!(
                    out,
                    "  {} {} — {} ({}/{} points)",
                    mark(c.status),
                    p(&c.id).bold(),
                    p(&c.title),
                    fmt_points(c.points),
                    fmt_points(c.max_points)
                )?;
                if let Some(f) = &c.feedback {
                    writeln!(out, "      {}", p(f))?;
                }
            }
        }
        self.push_row(r);
        Ok(())
    }

    fn failure(&mut self, out: &mut dyn Write, f: &Failure) -> io::Result<()> {
        self.failures += 1;
        writeln!(
            out,
            "{} {}: {}",
            "skipped:".red().bold(),
            p(&f.essay),
            p(&f.error)
        )
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        // The table closes a class; `--summary` asks for it for one essay too.
        let inputs = self.rows.len() + self.failures;
        if inputs == 0 || (inputs == 1 && !self.summary_only) {
            return Ok(());
        }
        let gap = if self.summary_only && self.failures == 0 {
            ""
        } else {
            "\n"
        };
        writeln!(out, "{gap}{}", "Summary".bold().underline())?;
        let width = self
            .rows
            .iter()
            .map(|r| r.0.chars().count())
            .max()
            .unwrap_or(5)
            .clamp(5, 60);
        let check = s.below_threshold > 0;
        writeln!(
            out,
            "  {:<width$}  {:>6}  {:<12} {:>7}{}",
            "essay",
            "score",
            "band",
            "missing",
            if check { "  check" } else { "" }
        )?;
        for (essay, score, band, missing, failed) in &self.rows {
            let mark = match (check, failed) {
                (false, _) => String::new(),
                (true, true) => format!("  {}", "FAIL".red().bold()),
                (true, false) => "  ok".to_string(),
            };
            writeln!(
                out,
                "  {:<width$}  {:>6.1}  {:<12} {:>7}{mark}",
                truncate(essay, width),
                score,
                band,
                missing
            )?;
        }
        writeln!(
            out,
            "\n  {} graded{}, mean {:.1}, median {:.1}, min {:.1}, max {:.1}, pass rate {:.0}%",
            s.essays,
            if s.failed > 0 {
                format!(", {} skipped", s.failed)
            } else {
                String::new()
            },
            s.mean,
            s.median,
            s.min,
            s.max,
            s.pass_rate * 100.0
        )?;
        if check {
            writeln!(
                out,
                "  {}",
                format!(
                    "{} below a CI threshold: the check fails",
                    s.below_threshold
                )
                .red()
                .bold()
            )?;
        }
        let bands: Vec<String> = s.bands.iter().map(|(b, n)| format!("{b} {n}")).collect();
        writeln!(out, "  bands: {}", bands.join(", "))?;
        let most: Vec<String> = s
            .criteria
            .iter()
            .filter(|c| c.missing > 0)
            .take(5)
            .map(|c| format!("{} ({:.0}%)", c.id, c.missed_share * 100.0))
            .collect();
        if !most.is_empty() {
            writeln!(out, "  most missed: {}", most.join(", "))?;
        }
        if let (Some(t), Some(pairs)) = (s.similarity_threshold, &s.similar) {
            similar(out, t, pairs)?;
        }
        Ok(())
    }
}

/// The pairs of submissions found similar, most similar first.
fn similar(out: &mut dyn Write, threshold: f64, pairs: &[SimilarPair]) -> io::Result<()> {
    let at = format!("{}%", fmt_points(threshold * 100.0));
    if pairs.is_empty() {
        return writeln!(out, "  similar submissions: none at {at} or more");
    }
    writeln!(
        out,
        "\n{} (sharing {at} or more of their wording; quotations, the question and the class's common phrasing left out)",
        format!("Similar submissions: {}", pairs.len()).red().bold(),
    )?;
    for pair in pairs {
        writeln!(
            out,
            "  {:>4}  {}  ↔  {}",
            format!("{:.0}%", pair.similarity * 100.0).red().bold(),
            p(&pair.a),
            p(&pair.b)
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::truncate;

    #[test]
    fn truncate_counts_characters_not_bytes() {
        assert_eq!(truncate("Durand Line", 11), "Durand Line");
        assert_eq!(truncate("Durand Line", 10), "Durand Li…");
        assert_eq!(truncate("Kabül talks", 11), "Kabül talks");
        assert_eq!(truncate("Kabül talks", 6), "Kabül…");
        assert_eq!(truncate("ééé", 3), "ééé");
        assert_eq!(truncate("éééé", 3), "éé…");
    }
}
