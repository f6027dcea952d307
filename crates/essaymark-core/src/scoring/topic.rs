//! Essay-level rules: whether the answer is on the question at all.

use super::trace::RuleInfo;

pub const OFF_TOPIC: RuleInfo = RuleInfo {
    id: "topic/off-topic",
    summary: "fewer lens and theme criteria found than the rubric's `off_topic_min_themes`, and the text names none of the required themes (nor as many themes as that) even in passing: the answer is about something else, so it is flagged off-topic and, given three paragraphs of 20+ words to judge by, earns no lens",
};

pub const TOO_LITTLE: RuleInfo = RuleInfo {
    id: "topic/too-little-argued",
    summary: "fewer lens and theme criteria found than the rubric's `off_topic_min_themes`, but the text names the question's themes: it is on the question and argues too little of it (flagged, not called off-topic)",
};

pub const OFF_FOCUS: RuleInfo = RuleInfo {
    id: "topic/off-focus",
    summary: "the rubric's subject (`settings.focus`) is named in under a third of the essay's paragraphs: the answer is about something else, so it is flagged off-topic and no argument earns more than partial credit",
};

pub const RULES: &[&RuleInfo] = &[&OFF_TOPIC, &TOO_LITTLE, &OFF_FOCUS];

/// Paragraphs (of `FOCUS_MIN_WORDS` words or more) an essay needs before the
/// focus rule judges it, and the share of them that must name the subject.
const FOCUS_MIN_PARAGRAPHS: usize = 3;
const FOCUS_MIN_WORDS: usize = 20;
const FOCUS_MIN_SHARE: f64 = 1.0 / 3.0;

/// Whether the essay is about something other than the rubric's subject:
/// the focus phrases occur in under `FOCUS_MIN_SHARE` of its paragraphs.
pub(crate) fn off_focus(
    rubric: &crate::rubric::Rubric,
    doc: &crate::text::Document,
    scan: &crate::matching::Scan,
) -> Option<(usize, usize)> {
    let focus = rubric.focus.as_ref()?;
    let hits = crate::matching::evaluate(focus, scan, doc);
    let mut named = vec![false; doc.blocks.len()];
    for h in &hits {
        named[doc.sentences[h.sentence as usize].block] = true;
    }
    let paragraphs = long_paragraphs(doc);
    let with = paragraphs.iter().filter(|&&b| named[b]).count();
    (paragraphs.len() >= FOCUS_MIN_PARAGRAPHS
        && (with as f64) < FOCUS_MIN_SHARE * paragraphs.len() as f64)
        .then_some((with, paragraphs.len()))
}

/// Paragraphs of `FOCUS_MIN_WORDS` words or more.
fn long_paragraphs(doc: &crate::text::Document) -> Vec<usize> {
    (0..doc.blocks.len())
        .filter(|&b| {
            doc.blocks[b].kind == crate::text::BlockKind::Paragraph
                && doc.block_sentences[b]
                    .clone()
                    .map(|s| doc.sentences[s].tokens.len())
                    .sum::<usize>()
                    >= FOCUS_MIN_WORDS
        })
        .collect()
}

/// Whether there is enough prose to say what a text is about: the lens
/// is withheld from an off-topic text only then (one sentence on a
/// security dilemma is too little to call it another question's).
pub(crate) fn judgeable(doc: &crate::text::Document) -> bool {
    long_paragraphs(doc).len() >= FOCUS_MIN_PARAGRAPHS
}

/// How an essay with few themes found reads: off-topic, or on the question
/// but too little argued.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Few {
    /// Enough themes found: neither flag.
    No,
    OffTopic,
    TooLittle,
}

/// Whether an essay with `themes_found` themes (lens and theme criteria at
/// least partly met) falls short of a rubric that expects `min_themes`, and
/// if so whether it is about something else. A weak answer on the question
/// still names its themes in passing ("The TTP is attacking Pakistan"):
/// it names a required theme, or as many themes as the rubric expects. An
/// essay on another question names them only by accident.
pub(crate) fn few_themes(
    rubric: &crate::rubric::Rubric,
    doc: &crate::text::Document,
    scan: &crate::matching::Scan,
    themes_found: usize,
) -> Few {
    use crate::rubric::{Kind, Rule};
    let min_themes = rubric.off_topic_min_themes as usize;
    if themes_found >= min_themes {
        return Few::No;
    }
    let mut named = 0;
    let mut required_named = false;
    for c in &rubric.criteria {
        let Rule::Argument { expr, .. } = &c.rule else {
            continue;
        };
        if c.kind != Kind::Theme {
            continue;
        }
        let hits = crate::matching::evaluate(expr, scan, doc);
        // A heading or title that names a theme is not the essay naming it.
        if hits.iter().any(|h| {
            doc.blocks[doc.sentences[h.sentence as usize].block].kind
                != crate::text::BlockKind::Heading
        }) {
            named += 1;
            required_named |= c.required;
        }
    }
    if required_named || named >= min_themes {
        Few::TooLittle
    } else {
        Few::OffTopic
    }
}

#[cfg(test)]
mod tests {
    /// An answer about Afghanistan's own politics that names Pakistan once
    /// argues its themes for another question: flagged, and capped.
    #[test]
    fn an_essay_about_something_else_is_off_focus() {
        let paragraph = |s: &str| format!("{s} {s}\n\n");
        let essay = format!(
            "Power Inside the Taliban Movement\n\n{}{}{}{}",
            paragraph("The Haqqani network and the Kandahar clerics compete for ministries, revenue and the loyalty of commanders across the provinces."),
            paragraph("ISIS-K recruits defectors from Taliban ranks, and its suicide bombings in Kabul have killed hundreds of worshippers since 2021."),
            paragraph("The TTP keeps camps in Kunar and Paktika, where its fighters train, rest and plan attacks with the blessing of local commanders."),
            paragraph("Pakistan is only one of several neighbours watching these quarrels, while the emir in Kandahar rules by decree and trusts few ministers."),
        );
        let rubric = crate::rubric::Rubric::builtin();
        let doc = crate::text::Document::from_plain_text(essay);
        let grade = super::super::grade(&rubric, &doc);
        assert!(grade.off_topic);
        let isis = rubric
            .criteria
            .iter()
            .position(|c| c.id == "isis-k")
            .unwrap();
        assert_ne!(grade.criteria[isis].status, super::super::Status::Met);
        assert!(grade.criteria[isis]
            .note
            .as_deref()
            .is_some_and(|n| n.starts_with("the essay is about something else")));
    }

    fn graded(text: &str) -> (crate::rubric::Rubric, super::super::Grade) {
        let rubric = crate::rubric::Rubric::builtin();
        let doc = crate::text::Document::from_plain_text(text.to_string());
        let grade = super::super::grade(&rubric, &doc);
        (rubric, grade)
    }

    /// The weak sample is weak but on the question: it names the TTP and
    /// refugees, so it is too little argued, not off-topic.
    #[test]
    fn a_thin_answer_on_the_question_is_too_little_argued() {
        let (_, grade) = graded(include_str!("../../../../samples/weak.txt"));
        assert!(grade.themes_found < 5, "{}", grade.themes_found);
        assert!(!grade.off_topic);
        assert!(grade.too_little);
    }

    /// Written for this test: realist vocabulary and a security dilemma, on
    /// another question. Before this rule it earned both lenses.
    const KASHMIR: &str = "The Kashmir Dispute and the Line of Control

India and Pakistan have fought over Kashmir since 1947, and the valley remains the hardest knot in their relations. This essay argues that the dispute persists because each state reads the other's moves as a threat to its survival.

Each side sees the other's build-up as aggression. When India adds troops along the Line of Control, Pakistan answers with its own deployments, and each step leaves both less safe than before, which is the classic security dilemma. Neither capital trusts promises that cannot be enforced.

A realist reading explains the deadlock. In an anarchic region without a referee, both governments put national interest and the balance of power ahead of any moral claim, so they arm and hedge instead of settling. Talks in 2004 and 2007 collapsed for exactly this reason.

The people of the valley pay the price. Curfews, shutdowns of the internet and firing across the Line of Control have killed civilians and ruined farms and schools in Poonch and Kupwara.

In conclusion, Kashmir will stay divided while each side treats the other's security as its own danger.
";

    #[test]
    fn an_essay_on_another_question_is_off_topic_and_earns_no_lens() {
        let (rubric, grade) = graded(KASHMIR);
        assert!(grade.off_topic);
        assert!(!grade.too_little);
        for s in &grade.criteria {
            let c = &rubric.criteria[s.criterion];
            if c.kind == crate::rubric::Kind::Lens {
                assert_eq!(s.points, 0.0, "{}", c.id);
                assert_eq!(s.note.as_deref(), Some(super::super::OFF_TOPIC_LENS_NOTE));
            }
        }
    }

    /// A strong answer is neither.
    #[test]
    fn a_strong_answer_is_not_flagged() {
        let (_, grade) = graded(include_str!("../../../../samples/strong.txt"));
        assert!(!grade.off_topic && !grade.too_little);
    }
}
