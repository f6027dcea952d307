//! Essay-level rules: whether the answer is on the question at all.

use super::trace::RuleInfo;

pub const OFF_TOPIC: RuleInfo = RuleInfo {
    id: "topic/off-topic",
    summary: "fewer lens and theme criteria found than the rubric's `off_topic_min_themes`: the answer is likely off-topic",
};

pub const RULES: &[&RuleInfo] = &[&OFF_TOPIC];

/// Whether an essay with `themes_found` themes is off-topic for a rubric
/// that expects at least `min_themes`.
pub(crate) fn off_topic(themes_found: usize, min_themes: usize) -> bool {
    themes_found < min_themes
}
