//! The trace of a grading: for every criterion, every candidate piece of
//! evidence with the rule that counted or rejected it, and the rule that set
//! the status and points. `essaymark explain` renders this and nothing else,
//! so the reason it shows is the reason scoring used.

use super::{Evidence, Status};
use crate::matching::Hit;
use serde::Serialize;

/// A named scoring rule: one unit with an id, a one-line description and,
/// in its own file, the thresholds and example tests.
#[derive(Debug, PartialEq, Eq)]
pub struct RuleInfo {
    /// Stable id, `family/name`: quoted by `explain` and in docs/scoring-rules.md.
    pub id: &'static str,
    /// What the rule decides, in a sentence an examiner would say.
    pub summary: &'static str,
}

impl Serialize for RuleInfo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.id)
    }
}

/// What a candidate was looked at as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// A hit of the criterion's `match` expression.
    Match,
    /// A sentence the meaning stage proposed (or looked at and set aside).
    Meaning,
    /// A hit of its `develop` expression.
    Develop,
    /// A scholar's name or alias.
    Name,
    /// A block a structure check looked at.
    Block,
}

/// One candidate and what scoring made of it.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub role: Role,
    #[serde(skip)]
    pub evidence: Evidence,
    /// Whether it contributed to the criterion's status or points.
    pub counted: bool,
    /// The rule that counted or rejected it.
    pub rule: &'static RuleInfo,
    /// What the rule saw, when the summary alone does not say it
    /// (the reporting verb, the heading, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl Candidate {
    /// The hit, for match, develop and name candidates.
    pub fn hit(&self) -> Option<Hit> {
        match self.evidence {
            Evidence::Hit(h) => Some(h),
            Evidence::Block(_) => None,
        }
    }

    /// The reason in words: the rule's summary, with what it saw.
    pub fn reason(&self) -> String {
        match &self.detail {
            Some(d) => format!("{}: {d}", self.rule.summary),
            None => self.rule.summary.to_string(),
        }
    }
}

/// How one criterion was decided.
#[derive(Debug, Clone)]
pub struct CriterionTrace {
    pub status: Status,
    pub points: f64,
    /// The rule that set the status.
    pub decided_by: &'static RuleInfo,
    /// The decision in words ("met: argued in 2 substantive sentences (needs 2)").
    pub decision: String,
    /// Scoring's note on the criterion, as the report shows it.
    pub note: Option<String>,
    /// How the points follow from the status (partial share, halving).
    pub points_rule: String,
    pub candidates: Vec<Candidate>,
}

/// Collects candidates only when a trace was asked for: grading a class
/// must not pay for the sentences `explain` prints.
#[derive(Debug, Default)]
pub(crate) struct Sink {
    pub on: bool,
    pub items: Vec<Candidate>,
}

impl Sink {
    pub fn new(on: bool) -> Sink {
        Sink {
            on,
            items: Vec::new(),
        }
    }

    pub fn push(
        &mut self,
        role: Role,
        evidence: Evidence,
        counted: bool,
        rule: &'static RuleInfo,
        detail: impl FnOnce() -> Option<String>,
    ) {
        if self.on {
            self.items.push(Candidate {
                role,
                evidence,
                counted,
                rule,
                detail: detail(),
            });
        }
    }
}
