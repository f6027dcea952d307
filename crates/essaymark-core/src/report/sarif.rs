//! SARIF 2.1.0, for code-scanning dashboards: one run, one rule per rubric
//! criterion, one result per missing or partial criterion, located at the
//! essay file. Levels: `error` for a missing required criterion, `warning`
//! for a missing optional one, `note` for partial credit.
//!
//! The log is streamed: results are written as essays arrive and the tool
//! (with its rules) closes the run; JSON member order carries no meaning.

use super::{fmt_points, CriterionReport, Failure, Renderer, Report, Summary};
use crate::rubric::Rubric;
use crate::scoring::Status;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::io::{self, Write};
use std::path::{Component, Path};

pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
pub const INFORMATION_URI: &str = "https://crates.io/crates/essaymark";

/// One criterion as a SARIF rule.
#[derive(Debug, Clone)]
struct Rule {
    id: String,
    criterion: String,
    title: String,
    section: String,
    kind: String,
    points: f64,
    required: bool,
    rubric: String,
    help: Option<String>,
}

#[derive(Default)]
pub struct SarifRenderer {
    rules: Vec<Rule>,
    /// (rubric id, criterion id) → index into `rules`.
    index: HashMap<(String, String), usize>,
    results: usize,
    notifications: Vec<Value>,
}

impl SarifRenderer {
    /// Add a rule unless the rubric's criterion already has one. A criterion
    /// id that another rubric already uses is qualified as `rubric/criterion`
    /// so rule ids stay unique in the run.
    #[allow(clippy::too_many_arguments)]
    fn add_rule(
        &mut self,
        rubric: &str,
        criterion: &str,
        title: &str,
        section: &str,
        kind: &str,
        points: f64,
        required: bool,
        help: Option<&str>,
    ) -> usize {
        let key = (rubric.to_string(), criterion.to_string());
        if let Some(&i) = self.index.get(&key) {
            if self.rules[i].help.is_none() {
                self.rules[i].help = help.map(str::to_string);
            }
            return i;
        }
        let taken = self.rules.iter().any(|r| r.id == criterion);
        let id = if taken {
            format!("{rubric}/{criterion}")
        } else {
            criterion.to_string()
        };
        self.rules.push(Rule {
            id,
            criterion: criterion.to_string(),
            title: title.to_string(),
            section: section.to_string(),
            kind: kind.to_string(),
            points,
            required,
            rubric: rubric.to_string(),
            help: help.map(str::to_string),
        });
        self.index.insert(key, self.rules.len() - 1);
        self.rules.len() - 1
    }

    fn rule_for(&mut self, report: &Report, c: &CriterionReport) -> usize {
        self.add_rule(
            &report.rubric.id,
            &c.id,
            &c.title,
            &c.section,
            c.kind,
            c.max_points,
            c.required,
            c.feedback.as_deref(),
        )
    }
}

/// Upper-camel-case of a criterion id (`lens-realism` → `LensRealism`).
fn pascal(id: &str) -> String {
    id.split(['-', '_', '/'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            match cs.next() {
                Some(f) => f.to_uppercase().chain(cs).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

fn rule_json(r: &Rule) -> Value {
    if r.id == THRESHOLD_RULE {
        return json!({
            "id": r.id,
            "name": "Threshold",
            "shortDescription": { "text": r.title },
            "fullDescription": { "text": "The essay fails a CI threshold: --fail-under, --max-missing-required, or the config's fail_under, max_missing_required or required_must_pass." },
            "help": { "text": "Raise the essay's score (add the missing arguments), or change the threshold." },
            "defaultConfiguration": { "level": "error" },
        });
    }
    let short = r.title.clone();
    let full = format!(
        "{} ({} criterion in section `{}`, {} points{})",
        r.title,
        r.kind,
        r.section,
        fmt_points(r.points),
        if r.required { ", required" } else { "" }
    );
    let help = r.help.clone().unwrap_or_else(|| r.title.clone());
    json!({
        "id": r.id,
        "name": pascal(&r.criterion),
        "shortDescription": { "text": short },
        "fullDescription": { "text": full },
        "help": { "text": help },
        "defaultConfiguration": { "level": if r.required { "error" } else { "warning" } },
        "properties": {
            "rubric": r.rubric,
            "section": r.section,
            "kind": r.kind,
            "points": r.points,
            "required": r.required,
        }
    })
}

/// A relative URI reference for `essay` (a path as the user gave it):
/// `/` separators, no leading `./`, reserved and non-ASCII bytes
/// percent-encoded. An absolute path inside the current folder is made
/// relative to it; any other absolute path becomes a `file://` URI.
pub fn artifact_uri(essay: &str) -> String {
    let path = Path::new(essay);
    if path.is_absolute() {
        if let Some(rel) = std::env::current_dir()
            .ok()
            .and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        {
            return artifact_uri(&rel.to_string_lossy());
        }
        let parts: Vec<String> = path
            .components()
            .filter_map(|c| match c {
                Component::Prefix(p) => Some(p.as_os_str().to_string_lossy().replace('\\', "/")),
                Component::Normal(s) => Some(percent_encode(&s.to_string_lossy())),
                _ => None,
            })
            .collect();
        return format!("file:///{}", parts.join("/"));
    }
    let s = essay.replace('\\', "/");
    let mut s = s.as_str();
    while let Some(rest) = s.strip_prefix("./") {
        s = rest;
    }
    s.split('/')
        .map(percent_encode)
        .collect::<Vec<_>>()
        .join("/")
}

fn percent_encode(segment: &str) -> String {
    let mut out = String::with_capacity(segment.len());
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The level of a criterion's result, or `None` when it is met.
pub fn level(c: &CriterionReport) -> Option<&'static str> {
    match c.status {
        Status::Met => None,
        Status::Missing if c.required => Some("error"),
        Status::Missing => Some("warning"),
        Status::Partial => Some("note"),
    }
}

/// The annotation text for a missing or partial criterion.
pub(super) fn message(c: &CriterionReport) -> String {
    let mut m = match c.status {
        Status::Missing => format!(
            "Missing{}: {} (0/{} points).",
            if c.required {
                " required criterion"
            } else {
                ""
            },
            c.title,
            fmt_points(c.max_points)
        ),
        _ => format!(
            "Partly met: {} ({}/{} points).",
            c.title,
            fmt_points(c.points),
            fmt_points(c.max_points)
        ),
    };
    if c.status == Status::Partial {
        if let Some(n) = &c.note {
            m.push(' ');
            let mut cs = n.chars();
            if let Some(first) = cs.next() {
                m.extend(first.to_uppercase());
                m.push_str(cs.as_str());
            }
            if !n.ends_with('.') {
                m.push('.');
            }
        }
    }
    if let Some(f) = &c.feedback {
        m.push(' ');
        m.push_str(f.trim());
    }
    m
}

/// The essay's URI: its path from the repository root when known (code
/// scanning resolves URIs against the root, whatever folder essaymark ran
/// in), else the path as given.
fn essay_uri(report: &Report) -> String {
    match &report.repo_path {
        Some(p) => artifact_uri(p),
        None => artifact_uri(&report.essay),
    }
}

/// The id of the rule a failed CI threshold is reported under.
pub const THRESHOLD_RULE: &str = "essaymark/threshold";

fn location(report: &Report, c: &CriterionReport) -> Option<Value> {
    if report.essay == "<stdin>" {
        return None;
    }
    let (line, column) = match (c.status, c.evidence.first()) {
        (Status::Partial, Some(e)) if report.positions == "file" => (e.line, Some(e.column)),
        _ => (1, None),
    };
    let mut region = json!({ "startLine": line });
    if let Some(col) = column {
        region["startColumn"] = json!(col);
    }
    Some(json!({
        "physicalLocation": {
            "artifactLocation": { "uri": essay_uri(report) },
            "region": region,
        }
    }))
}

impl Renderer for SarifRenderer {
    fn rubric(&mut self, rubric: &Rubric) {
        for c in &rubric.criteria {
            self.add_rule(
                &rubric.id,
                &c.id,
                &c.title,
                &rubric.sections[c.section].id,
                c.kind.as_str(),
                c.points,
                c.required,
                c.feedback.as_deref(),
            );
        }
    }

    fn start(&mut self, out: &mut dyn Write) -> io::Result<()> {
        write!(
            out,
            "{{\"$schema\":\"{SARIF_SCHEMA}\",\"version\":\"2.1.0\",\"runs\":[{{\"results\":["
        )
    }

    fn essay(&mut self, out: &mut dyn Write, report: &Report) -> io::Result<()> {
        for c in &report.criteria {
            let Some(level) = level(c) else { continue };
            let rule_index = self.rule_for(report, c);
            let mut result = json!({
                "ruleId": self.rules[rule_index].id,
                "ruleIndex": rule_index,
                "level": level,
                "message": { "text": message(c) },
                "properties": {
                    "essay": report.essay,
                    "status": c.status.as_str(),
                    "points": c.points,
                    "maxPoints": c.max_points,
                    "score": report.score,
                },
            });
            if let Some(loc) = location(report, c) {
                result["locations"] = json!([loc]);
            }
            if self.results > 0 {
                out.write_all(b",")?;
            }
            self.results += 1;
            serde_json::to_writer(&mut *out, &result)?;
        }
        for t in &report.threshold_failures {
            let rule_index = self.add_rule(
                "essaymark",
                THRESHOLD_RULE,
                "Essay meets the CI thresholds",
                "",
                "threshold",
                0.0,
                true,
                None,
            );
            let mut result = json!({
                "ruleId": THRESHOLD_RULE,
                "ruleIndex": rule_index,
                "level": "error",
                "message": { "text": format!("{} fails the check: {}", report.essay, t.message()) },
                "properties": {
                    "essay": report.essay,
                    "threshold": t.threshold,
                    "source": t.source,
                    "limit": t.limit,
                    "actual": t.actual,
                    "score": report.score,
                },
            });
            if report.essay != "<stdin>" {
                result["locations"] = json!([{ "physicalLocation": {
                    "artifactLocation": { "uri": essay_uri(report) },
                    "region": { "startLine": 1 },
                } }]);
            }
            if self.results > 0 {
                out.write_all(b",")?;
            }
            self.results += 1;
            serde_json::to_writer(&mut *out, &result)?;
        }
        Ok(())
    }

    fn failure(&mut self, _out: &mut dyn Write, f: &Failure) -> io::Result<()> {
        let mut n = json!({
            "level": "error",
            "message": { "text": format!("{}: {}", f.essay, f.error) },
        });
        if f.essay != "<stdin>" {
            n["locations"] = json!([{ "physicalLocation": { "artifactLocation": { "uri": artifact_uri(&f.essay) } } }]);
        }
        self.notifications.push(n);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let tool = json!({
            "driver": {
                "name": "essaymark",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": self.rules.iter().map(rule_json).collect::<Vec<_>>(),
            }
        });
        let invocation = json!({
            "executionSuccessful": true,
            "toolExecutionNotifications": self.notifications,
        });
        out.write_all(b"],\"tool\":")?;
        serde_json::to_writer(&mut *out, &tool)?;
        out.write_all(b",\"columnKind\":\"unicodeCodePoints\",\"invocations\":[")?;
        serde_json::to_writer(&mut *out, &invocation)?;
        out.write_all(b"]}]}\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_and_encoded() {
        assert_eq!(artifact_uri("answers/a.md"), "answers/a.md");
        assert_eq!(
            artifact_uri("./answers/my essay #1.md"),
            "answers/my%20essay%20%231.md"
        );
        assert_eq!(artifact_uri("../x/é.txt"), "../x/%C3%A9.txt");
        assert_eq!(artifact_uri("a\\b.md"), "a/b.md");
    }

    #[test]
    fn absolute_paths_outside_cwd_are_file_uris() {
        let uri = artifact_uri("/definitely-not-cwd-xyz/a b.md");
        assert_eq!(uri, "file:///definitely-not-cwd-xyz/a%20b.md");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(pascal("lens-security-dilemma"), "LensSecurityDilemma");
        assert_eq!(pascal("isis-k"), "IsisK");
    }

    #[test]
    fn colliding_criterion_ids_are_qualified() {
        let mut r = SarifRenderer::default();
        let a = r.add_rule("one", "intro", "Intro", "s", "theme", 1.0, false, None);
        let b = r.add_rule(
            "two",
            "intro",
            "Intro",
            "s",
            "theme",
            1.0,
            false,
            Some("help"),
        );
        let again = r.add_rule(
            "one",
            "intro",
            "Intro",
            "s",
            "theme",
            1.0,
            false,
            Some("later help"),
        );
        assert_eq!((a, b, again), (0, 1, 0));
        assert_eq!(r.rules[0].id, "intro");
        assert_eq!(r.rules[1].id, "two/intro");
        assert_eq!(r.rules[0].help.as_deref(), Some("later help"));
    }
}
