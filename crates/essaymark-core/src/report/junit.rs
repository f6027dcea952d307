//! JUnit XML, for CI test-report viewers: `<testsuites>` holding one
//! `<testsuite>` per essay and one `<testcase>` per criterion (classname =
//! section). Only what fails the run is a `<failure>`: a failed CI threshold
//! (its own `threshold` case, first) and, when `max_missing_required` is what
//! failed, the missing required criteria it counted. Any other missing
//! criterion is a `<skipped>` case carrying the rubric's feedback, so a test
//! dashboard is red exactly when the CI run is; a partial one passes with a
//! `<system-out>` note; an input that could not be graded is a suite with one
//! `<error>`.
//!
//! Streamed: each suite is written when its essay arrives. The XML is
//! written by hand; [`escape_text`] and [`escape_attr`] make any string safe.

use super::{fmt_points, CriterionReport, Failure, Renderer, Report, Summary};
use crate::scoring::Status;
use std::io::{self, Write};

#[derive(Default)]
pub struct JunitRenderer;

/// A character XML 1.0 cannot hold at all, even escaped.
fn forbidden(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Escape character data (element content). Characters XML forbids become
/// U+FFFD.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Escape an attribute value (for double or single quotes). Tabs and line
/// breaks become character references so attribute normalisation keeps them.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if forbidden(c) => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn property(out: &mut dyn Write, name: &str, value: &str) -> io::Result<()> {
    writeln!(
        out,
        "      <property name=\"{}\" value=\"{}\"/>",
        escape_attr(name),
        escape_attr(value)
    )
}

/// Whether a missing criterion fails the run: only a required one, and only
/// when the essay failed `max_missing_required` (the threshold that counts
/// them). `fail_under` fails on the score, which the threshold case reports.
fn fails_run(r: &Report, c: &CriterionReport) -> bool {
    c.status == Status::Missing
        && c.required
        && r.threshold_failures
            .iter()
            .any(|t| t.threshold == "max_missing_required")
}

fn testcase(out: &mut dyn Write, r: &Report, c: &CriterionReport) -> io::Result<()> {
    let open = format!(
        "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
        escape_attr(&c.id),
        escape_attr(&c.section)
    );
    let points = format!(
        "{}/{} points",
        fmt_points(c.points),
        fmt_points(c.max_points)
    );
    match c.status {
        Status::Met => writeln!(out, "{open}/>"),
        Status::Missing => {
            let message = c.feedback.as_deref().map(str::trim).unwrap_or(&c.title);
            let mut body = format!(
                "{}\nmissing{}: {points}",
                c.title,
                if c.required { " (required)" } else { "" }
            );
            if let Some(f) = &c.feedback {
                body.push('\n');
                body.push_str(f.trim());
            }
            writeln!(out, "{open}>")?;
            if fails_run(r, c) {
                writeln!(
                    out,
                    "      <failure message=\"{}\" type=\"missing-required\">{}</failure>",
                    escape_attr(message),
                    escape_text(&body)
                )?;
            } else {
                // Not a failure: the run passes or fails without it. A
                // skipped case keeps it visible with its advice.
                writeln!(
                    out,
                    "      <skipped message=\"{}\"/>",
                    escape_attr(&format!(
                        "missing{}: {points}",
                        if c.required { " (required)" } else { "" }
                    ))
                )?;
                writeln!(out, "      <system-out>{}</system-out>", escape_text(&body))?;
            }
            writeln!(out, "    </testcase>")
        }
        Status::Partial => {
            let mut body = format!("partial: {}: {points}", c.title);
            if let Some(n) = &c.note {
                body.push_str(&format!("\n{n}"));
            }
            if let Some(e) = c.evidence.first() {
                body.push_str(&format!("\n{}:{} {}", e.line, e.column, e.text));
            }
            if let Some(f) = &c.feedback {
                body.push_str(&format!("\n{}", f.trim()));
            }
            writeln!(out, "{open}>")?;
            writeln!(out, "      <system-out>{}</system-out>", escape_text(&body))?;
            writeln!(out, "    </testcase>")
        }
    }
}

impl Renderer for JunitRenderer {
    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>")?;
        writeln!(out, "<testsuites name=\"essaymark\">")
    }

    fn essay(&mut self, out: &mut dyn Write, r: &Report) -> io::Result<()> {
        let thresholds = usize::from(!r.threshold_failures.is_empty());
        let failing = r.criteria.iter().filter(|c| fails_run(r, c)).count();
        let failures = failing + thresholds;
        let skipped = r
            .criteria
            .iter()
            .filter(|c| c.status == Status::Missing)
            .count()
            - failing;
        writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"{skipped}\" time=\"0\">",
            escape_attr(&r.essay),
            r.criteria.len() + thresholds
        )?;
        writeln!(out, "    <properties>")?;
        property(
            out,
            "rubric",
            &format!("{} v{}", r.rubric.id, r.rubric.version),
        )?;
        property(out, "score", &format!("{:.1}", r.score))?;
        property(
            out,
            "points",
            &format!("{}/{}", fmt_points(r.points), fmt_points(r.max_points)),
        )?;
        property(out, "band", &r.band)?;
        property(out, "passed", if r.passed { "true" } else { "false" })?;
        property(out, "words", &r.words.to_string())?;
        if r.off_topic {
            property(out, "off_topic", "true")?;
        }
        if r.too_little_argued {
            property(out, "too_little_argued", "true")?;
        }
        writeln!(out, "    </properties>")?;
        // A failed CI threshold is its own failing test case, first, so a
        // test-report viewer says why the run is red.
        if thresholds > 0 {
            let message = super::threshold_message(r);
            writeln!(
                out,
                "    <testcase name=\"threshold\" classname=\"essaymark\" time=\"0\">"
            )?;
            writeln!(
                out,
                "      <failure message=\"{}\" type=\"threshold\">{} fails the check: {}</failure>",
                escape_attr(&message),
                escape_text(&r.essay),
                escape_text(&message)
            )?;
            writeln!(out, "    </testcase>")?;
        }
        for c in &r.criteria {
            testcase(out, r, c)?;
        }
        writeln!(out, "  </testsuite>")
    }

    fn failure(&mut self, out: &mut dyn Write, f: &Failure) -> io::Result<()> {
        writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">",
            escape_attr(&f.essay)
        )?;
        writeln!(
            out,
            "    <testcase name=\"grade\" classname=\"essaymark\" time=\"0\">"
        )?;
        writeln!(
            out,
            "      <error message=\"{}\" type=\"ungraded\">{}</error>",
            escape_attr(&f.error),
            escape_text(&f.error)
        )?;
        writeln!(out, "    </testcase>")?;
        writeln!(out, "  </testsuite>")
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        writeln!(out, "</testsuites>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_escapes_markup_and_drops_forbidden_chars() {
        assert_eq!(
            escape_text("a < b && c > d"),
            "a &lt; b &amp;&amp; c &gt; d"
        );
        assert_eq!(escape_text("]]> \"q\" 'a'"), "]]&gt; \"q\" 'a'");
        assert_eq!(
            escape_text("bell\u{7}nul\u{0}\tok\n"),
            "bell\u{FFFD}nul\u{FFFD}\tok\n"
        );
        assert_eq!(escape_text("Ünïcode ✔"), "Ünïcode ✔");
    }

    #[test]
    fn attributes_escape_quotes_and_line_breaks() {
        assert_eq!(
            escape_attr("say \"hi\" & 'bye'"),
            "say &quot;hi&quot; &amp; &apos;bye&apos;"
        );
        assert_eq!(escape_attr("a\nb\r\tc<d>"), "a&#10;b&#13;&#9;c&lt;d&gt;");
        assert_eq!(escape_attr("\u{1B}[31m"), "\u{FFFD}[31m");
    }

    #[test]
    fn escaped_strings_round_trip_through_an_xml_parser() {
        use quick_xml::events::Event;
        let nasty = "x < y & \"z\" 'w' \n\tline]]>";
        let xml = format!("<a v=\"{}\">{}</a>", escape_attr(nasty), escape_text(nasty));
        let mut reader = quick_xml::Reader::from_str(&xml);
        let mut attr = None;
        let mut text = String::new();
        loop {
            match reader.read_event().unwrap() {
                Event::Start(e) => {
                    let a = e.try_get_attribute("v").unwrap().unwrap();
                    attr = Some(
                        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                            .unwrap()
                            .into_owned(),
                    );
                }
                Event::Text(t) => text.push_str(&t.decode().unwrap()),
                Event::GeneralRef(r) => {
                    let name = r.decode().unwrap();
                    text.push(match name.as_ref() {
                        "lt" => '<',
                        "gt" => '>',
                        "amp" => '&',
                        other => panic!("unexpected entity {other}"),
                    });
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(attr.as_deref(), Some(nasty));
        assert_eq!(text, nasty);
    }
}
