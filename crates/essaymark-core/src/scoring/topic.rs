//! Essay-level rules: whether the answer is on the question at all.

use super::trace::RuleInfo;

pub const OFF_TOPIC: RuleInfo = RuleInfo {
    id: "topic/off-topic",
    summary: "fewer lens and theme criteria found than the rubric's `off_topic_min_themes`: the answer is likely off-topic",
};

pub const OFF_FOCUS: RuleInfo = RuleInfo {
    id: "topic/off-focus",
    summary: "the rubric's subject (`settings.focus`) is named in under a third of the essay's paragraphs: the answer is about something else, so it is flagged off-topic and no argument earns more than partial credit",
};

pub const RULES: &[&RuleInfo] = &[&OFF_TOPIC, &OFF_FOCUS];

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
    let paragraphs: Vec<usize> = (0..doc.blocks.len())
        .filter(|&b| {
            doc.blocks[b].kind == crate::text::BlockKind::Paragraph
                && doc.block_sentences[b]
                    .clone()
                    .map(|s| doc.sentences[s].tokens.len())
                    .sum::<usize>()
                    >= FOCUS_MIN_WORDS
        })
        .collect();
    let with = paragraphs.iter().filter(|&&b| named[b]).count();
    (paragraphs.len() >= FOCUS_MIN_PARAGRAPHS
        && (with as f64) < FOCUS_MIN_SHARE * paragraphs.len() as f64)
        .then_some((with, paragraphs.len()))
}

/// Whether an essay with `themes_found` themes is off-topic for a rubric
/// that expects at least `min_themes`.
pub(crate) fn off_topic(themes_found: usize, min_themes: usize) -> bool {
    themes_found < min_themes
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
}
