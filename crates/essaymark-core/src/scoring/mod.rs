//! Scoring: turn a scan's hits into points through named rules, and leave a
//! trace of every decision. Every point awarded is backed by evidence that
//! a rule counted; every point withheld belongs to a criterion whose status
//! a named rule set, with the reason in `note`.
//!
//! One file per rule family, each rule a [`RuleInfo`] with its thresholds as
//! constants and examples in its tests:
//! - [`argument`]: which sentences argue a point and when it is developed;
//! - [`scholar`]: when a scholar is cited rather than named;
//! - [`structure`]: introduction, conclusion, headings, length, tables;
//! - [`topic`]: whether the answer is on the question;
//! - [`meaning`]: which sentences the meaning stage proposes, and for what.
//!
//! [`grade`] is what `check` runs; [`grade_traced`] also returns, for every
//! criterion, each candidate with the rule that counted or rejected it, which
//! is all `explain` shows. docs/scoring-rules.md lists every rule.

pub mod argument;
mod context;
pub mod depth;
pub mod meaning;
pub mod nearmiss;
pub mod scholar;
pub mod stance;
pub mod structure;
pub mod topic;
pub mod trace;

use crate::matching::Hit;
use crate::rubric::{Kind, Rubric, Rule};
use crate::text::Document;
use context::Context;
pub use trace::{Candidate, CriterionTrace, Role, RuleInfo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Met,
    Partial,
    Missing,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::Partial => "partial",
            Status::Missing => "missing",
        }
    }
}

/// Evidence for one criterion: a hit, or a block for structure checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Evidence {
    Hit(Hit),
    Block(usize),
}

#[derive(Debug, Clone)]
pub struct CriterionScore {
    /// Index into `Rubric::criteria`.
    pub criterion: usize,
    pub status: Status,
    pub points: f64,
    /// What earned the points: exactly the candidates a rule counted.
    pub evidence: Vec<Evidence>,
    /// Why the status is what it is, when that is not obvious.
    pub note: Option<String>,
    /// The evidence the meaning stage proposed, by sentence.
    pub by_meaning: Vec<meaning::MeaningMatch>,
    /// How far the argument is developed (lens and theme criteria only).
    pub level: Option<depth::Level>,
}

#[derive(Debug, Clone)]
pub struct Grade {
    pub criteria: Vec<CriterionScore>,
    pub points: f64,
    pub max_points: f64,
    /// 0-100, rounded to one decimal.
    pub score: f64,
    pub band: String,
    pub passed: bool,
    pub words: usize,
    /// Themes (lens and theme criteria) found at least partly.
    pub themes_found: usize,
    pub off_topic: bool,
    /// On the question (it names the themes) but fewer themes found than
    /// the rubric expects: "too little argued", not off-topic.
    pub too_little: bool,
    /// Said once for the essay: a section whose arguments are all only
    /// listed ("the policy options are a bare list ...").
    pub notes: Vec<String>,
}

/// The note on a lens withheld from an off-topic essay.
pub const OFF_TOPIC_LENS_NOTE: &str =
    "the essay is about something else; a lens counts only when it reads the question's subject";

/// How the note of an argument held to partial credit in an outline begins.
pub const OUTLINE_NOTE: &str = "the essay is an outline";

/// Every scoring rule, family by family (docs/scoring-rules.md lists them).
pub fn rules() -> impl Iterator<Item = &'static RuleInfo> {
    argument::RULES
        .iter()
        .chain(stance::RULES)
        .chain(scholar::RULES)
        .chain(structure::RULES)
        .chain(topic::RULES)
        .chain(depth::RULES)
        .chain(meaning::RULES)
        .copied()
}

/// What one rule family decided for one criterion.
pub(crate) struct Outcome {
    pub status: Status,
    pub evidence: Vec<Evidence>,
    pub note: Option<String>,
    /// The rule that set the status.
    pub rule: &'static RuleInfo,
    /// The decision in words (empty unless tracing).
    pub decision: String,
    pub candidates: Vec<Candidate>,
}

impl Outcome {
    pub fn new(status: Status, rule: &'static RuleInfo, decision: String) -> Outcome {
        Outcome {
            status,
            evidence: Vec::new(),
            note: None,
            rule,
            decision,
            candidates: Vec::new(),
        }
    }
}

/// A generic word (see `argument::GENERIC`): no word of the essay's own.
pub(crate) const GENERIC_WORD: u8 = 2;
/// A word that can start a stance cue (see `stance::has_cue`).
pub(crate) const STANCE_CUE: u8 = 4;

/// The classes scoring tests on every token, sorted once per distinct word
/// in the phrase scan rather than looked up per token.
fn word_class(word: &str) -> u8 {
    let mut class = 0;
    if crate::text::is_content_word(word) {
        class |= crate::matching::CONTENT_WORD;
    }
    if argument::is_generic(word) {
        class |= GENERIC_WORD;
    }
    if stance::is_cue_word(word) {
        class |= STANCE_CUE;
    }
    class
}

/// Grade one essay.
pub fn grade(rubric: &Rubric, doc: &Document) -> Grade {
    run(rubric, doc, false).0
}

/// Grade one essay and say why: one trace per criterion, in rubric order.
pub fn grade_traced(rubric: &Rubric, doc: &Document) -> (Grade, Vec<CriterionTrace>) {
    run(rubric, doc, true)
}

fn run(rubric: &Rubric, doc: &Document, tracing: bool) -> (Grade, Vec<CriterionTrace>) {
    let scan = rubric.phrases.scan_classified(doc, word_class);
    let mut ctx = Context::new(rubric, doc, &scan, tracing);
    let added = meaning::add_proposals(rubric, &mut ctx);
    let ctx = ctx;
    let off_focus = topic::off_focus(rubric, doc, &scan);
    let mut criteria = Vec::with_capacity(rubric.criteria.len());
    let mut depth_cache = depth::Cache::default();
    let mut traces = Vec::new();
    for (i, c) in rubric.criteria.iter().enumerate() {
        let (outcome, partial) = match &c.rule {
            Rule::Argument {
                expr,
                develop,
                min_hits,
                partial_credit,
                stance,
                ..
            } => (
                argument::score(&ctx, i, expr, develop.as_ref(), *min_hits, *stance),
                *partial_credit,
            ),
            Rule::Scholar {
                names,
                attribution,
                partial_credit,
            } => (scholar::score(&ctx, names, *attribution), *partial_credit),
            Rule::Structure(check) => (structure::score(&ctx, check), 0.5),
        };
        let mut outcome = outcome;
        if tracing {
            added.trace(i, &mut outcome.candidates);
        }
        if let (Some((with, of)), Rule::Argument { .. }, Status::Met) =
            (off_focus, &c.rule, outcome.status)
        {
            outcome.status = Status::Partial;
            outcome.rule = &topic::OFF_FOCUS;
            outcome.note = Some(format!(
                "the essay is about something else: the question's subject is named in {with} of its {of} paragraphs"
            ));
            outcome.decision = ctx.say(|| {
                format!("partial at most: off-focus ({with} of {of} paragraphs name the subject)")
            });
        }
        let share = partial;
        let level = match &c.rule {
            Rule::Argument { .. } => Some(depth::level(
                &ctx,
                &mut depth_cache,
                outcome.status,
                &outcome.evidence,
                !ctx.argument_hits[i].is_empty(),
            )),
            _ => None,
        };
        // A rubric may give less than full credit to an argument developed
        // but not in depth (`settings.levels`).
        let met_share = match (&c.rule, level) {
            (Rule::Argument { in_depth, .. }, Some(depth::Level::InDepth)) => *in_depth,
            (Rule::Argument { developed, .. }, _) => *developed,
            _ => 1.0,
        };
        let points = match outcome.status {
            Status::Met if met_share < 1.0 => (c.points * met_share * 100.0).round() / 100.0,
            Status::Met => c.points,
            Status::Partial => (c.points * share * 100.0).round() / 100.0,
            Status::Missing => 0.0,
        };
        if tracing {
            let pts = crate::number::fmt_points;
            let points_rule = match outcome.status {
                Status::Met if met_share < 1.0 => format!(
                    "{} ({}% of {}): {}",
                    level.map_or("met", |l| l.as_str()),
                    pts(met_share * 100.0),
                    pts(c.points),
                    pts(points)
                ),
                Status::Met => format!("full credit: {}", pts(c.points)),
                Status::Partial => format!(
                    "partial credit ({}% of {}): {}",
                    pts(share * 100.0),
                    pts(c.points),
                    pts(points)
                ),
                Status::Missing => "no credit".into(),
            };
            traces.push(CriterionTrace {
                status: outcome.status,
                points,
                decided_by: outcome.rule,
                decision: outcome.decision,
                points_rule,
                note: outcome.note.clone(),
                candidates: outcome.candidates,
            });
        }
        let by_meaning = outcome
            .evidence
            .iter()
            .filter_map(|e| match e {
                Evidence::Hit(h) => added.get(i, h.sentence).cloned(),
                Evidence::Block(_) => None,
            })
            .collect();
        criteria.push(CriterionScore {
            criterion: i,
            status: outcome.status,
            points,
            evidence: outcome.evidence,
            note: outcome.note,
            by_meaning,
            level,
        });
    }
    let themes_found = criteria
        .iter()
        .filter(|s| matches!(rubric.criteria[s.criterion].kind, Kind::Theme | Kind::Lens))
        .filter(|s| s.status != Status::Missing)
        .count();
    let few = topic::few_themes(rubric, doc, &scan, themes_found);
    let off_topic = off_focus.is_some() || few == topic::Few::OffTopic;
    if off_topic && topic::judgeable(doc) {
        // A lens is a way of reading the question's subject: an essay on
        // another subject earns none, however realist its vocabulary.
        for (k, score) in criteria.iter_mut().enumerate() {
            if rubric.criteria[score.criterion].kind != Kind::Lens
                || score.status == Status::Missing
            {
                continue;
            }
            score.status = Status::Missing;
            score.points = 0.0;
            score.evidence.clear();
            score.by_meaning.clear();
            score.note = Some(OFF_TOPIC_LENS_NOTE.into());
            score.level = Some(depth::Level::Named);
            if let Some(t) = traces.get_mut(k) {
                t.status = Status::Missing;
                t.points = 0.0;
                t.decided_by = &topic::OFF_TOPIC;
                t.decision = "missing: the essay is off-topic, and a lens counts only on the question's subject".into();
                t.points_rule = "no credit".into();
                t.note = score.note.clone();
                // What the lens rule counted (and the hits it set aside as
                // sharing a counted sentence) is withheld by this one.
                for cand in t
                    .candidates
                    .iter_mut()
                    .filter(|c| c.counted || c.rule.id == argument::SAME_SENTENCE.id)
                {
                    cand.counted = false;
                    cand.rule = &topic::OFF_TOPIC;
                }
            }
        }
    }
    let notes = listed_sections(rubric, doc, &ctx, &criteria);
    let points: f64 = criteria.iter().map(|c| c.points).sum();
    let max_points = rubric.max_points;
    let score = if max_points > 0.0 {
        (points / max_points * 1000.0).round() / 10.0
    } else {
        0.0
    };
    let grade = Grade {
        points: (points * 100.0).round() / 100.0,
        max_points,
        band: rubric.band_for(score).to_string(),
        passed: score >= rubric.pass_mark,
        words: doc.word_count(),
        themes_found,
        off_topic,
        too_little: !off_topic && few == topic::Few::TooLittle,
        score,
        criteria,
        notes,
    };
    (grade, traces)
}

/// One note per rubric section whose argument criteria the essay names
/// but never argues (three or more, two of them as bare list lines): the
/// options written as bare lines are one form with one verdict, and the
/// report says so once instead of leaving each line's note to say it.
fn listed_sections(
    rubric: &Rubric,
    doc: &Document,
    ctx: &Context,
    criteria: &[CriterionScore],
) -> Vec<String> {
    let mut notes = Vec::new();
    for (k, section) in rubric.sections.iter().enumerate() {
        let named: Vec<&CriterionScore> = criteria
            .iter()
            .filter(|s| {
                let c = &rubric.criteria[s.criterion];
                c.section == k
                    && matches!(c.rule, Rule::Argument { .. })
                    && !ctx.argument_hits[s.criterion].is_empty()
            })
            .collect();
        let listed: Vec<&&CriterionScore> = named
            .iter()
            .filter(|s| s.status == Status::Missing)
            .collect();
        let bare = listed
            .iter()
            .filter(|s| {
                s.note
                    .as_deref()
                    .is_some_and(|n| n.starts_with(argument::LISTED_ONLY))
            })
            .count();
        if listed.len() >= 3 && bare >= 2 && listed.len() == named.len() {
            let first = listed
                .iter()
                .filter_map(|s| ctx.argument_hits[s.criterion].first())
                .map(|h| h.tokens.0 as usize)
                .min()
                .unwrap_or(0);
            let pos = doc.origin.line_col(
                &doc.text,
                doc.tokens.get(first).map_or(0, |t| t.start as usize),
            );
            notes.push(format!(
                "{}: a list, not an argument (from line {}): {} of {} named in bare lines, headings or passing mentions, none argued; argue each in a sentence with a reason or evidence",
                section.title,
                pos.line,
                listed.len(),
                rubric.criteria.iter().filter(|c| c.section == k).count()
            ));
        }
    }
    notes
}

/// The words a hit matched, as the student spelled them.
pub fn found_as(doc: &Document, h: &Hit) -> String {
    let a = doc.tokens[h.tokens.0 as usize].start as usize;
    let b = doc.tokens[h.tokens.1 as usize - 1].end as usize;
    doc.shown(a..b)
}

#[cfg(test)]
pub(crate) mod test_util {
    use super::{grade_traced, CriterionTrace, Status};

    /// Grade `text` (under a title line) with the built-in rubric and return
    /// criterion `id`'s status and trace.
    pub fn traced(text: &str, id: &str) -> (Status, CriterionTrace) {
        let rubric = crate::rubric::Rubric::builtin();
        let doc = crate::text::Document::from_plain_text(format!("Essay\n\n{text}\n"));
        let (grade, mut traces) = grade_traced(&rubric, &doc);
        let index = rubric.criteria.iter().position(|c| c.id == id).unwrap();
        (grade.criteria[index].status, traces.swap_remove(index))
    }

    pub fn status_of(text: &str, id: &str) -> Status {
        traced(text, id).0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A section of options written as bare lines gets one note for the
    /// essay; a section with an argued option gets none.
    #[test]
    fn a_section_of_bare_lines_is_said_once() {
        let rubric = Rubric::builtin();
        let grade_of = |t: &str| grade(&rubric, &Document::from_plain_text(t.to_string()));
        let listed = "Essay\n\nTraders at Torkham lose money every week the gates stay shut, and the lorries queue for miles on the Khyber road.\n\nPakistan's realistic options include:\n\n- Conditional engagement with Kabul\n- Firm deterrence against cross-border militancy\n- Regional counter-terrorism coordination\n";
        let g = grade_of(listed);
        assert_eq!(g.notes.len(), 1, "{:?}", g.notes);
        assert!(
            g.notes[0].starts_with("Policy options: a list, not an argument"),
            "{:?}",
            g.notes
        );
        let argued = format!("{listed}\nPakistan should keep talking to Kabul, because a channel to the Taliban leadership is the only way to press them over the TTP camps in Kunar.\n");
        assert!(grade_of(&argued).notes.is_empty());
    }

    /// Every rule id is unique, namespaced by its family, and documented in
    /// docs/scoring-rules.md (rules are documented once, there and here).
    #[test]
    fn rules_are_unique_and_documented() {
        let docs = include_str!("../../docs/scoring-rules.md");
        let mut seen = std::collections::HashSet::new();
        for r in rules() {
            assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
            assert!(r.id.contains('/'), "{} has no family", r.id);
            assert!(
                docs.contains(&format!("`{}`", r.id)),
                "{} missing from docs/scoring-rules.md",
                r.id
            );
        }
    }

    /// Grading with and without a trace gives the same grade, and every
    /// piece of evidence is a counted candidate of the trace.
    #[test]
    fn the_trace_is_the_grade() {
        let rubric = crate::rubric::Rubric::builtin();
        for sample in ["strong", "average", "weak"] {
            let text = std::fs::read_to_string(format!("samples/{sample}.txt")).unwrap();
            let doc = crate::text::Document::from_plain_text(text);
            let plain = grade(&rubric, &doc);
            let (traced, traces) = grade_traced(&rubric, &doc);
            assert_eq!(plain.score, traced.score);
            for (c, t) in traced.criteria.iter().zip(&traces) {
                assert_eq!(c.status, t.status);
                assert_eq!(c.points, t.points);
                for e in &c.evidence {
                    assert!(
                        t.candidates.iter().any(|k| k.counted && k.evidence == *e),
                        "{sample}: evidence {e:?} of {} not counted in the trace",
                        rubric.criteria[c.criterion].id
                    );
                }
                if c.status == Status::Missing {
                    assert!(t.candidates.iter().all(|k| !k.counted));
                }
            }
        }
    }
}
