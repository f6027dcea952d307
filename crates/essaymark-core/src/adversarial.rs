//! Adversarial texts for a rubric (`essaymark rubric test --adversarial`):
//! from a model answer, the attacks used against automated essay scorers,
//! each graded beside the model so a teacher sees how the rubric can be
//! gamed. Seven attacks: a keyword list, keyword filler sentences, the
//! outline only, the sentences shuffled across paragraphs, the arguments
//! negated, the model padded with off-topic text, and the question
//! restated. Everything is deterministic: the same rubric and model give
//! the same texts, byte for byte (the shuffle has a fixed seed).
//!
//! Attacks are written as Markdown so that their headings and bullets are
//! read the same way whatever the model's format was.

use crate::corpus::Lcg;
use crate::ingest::{self, Format, Limits};
use crate::rubric::{Kind, Rubric, Rule};
use crate::scoring;
use crate::text::{BlockKind, Document};
use serde::Serialize;
use std::io::{self, Write};

/// An off-topic passage written for the project (the padding attack).
const OFF_TOPIC: &str = include_str!("data/off-topic.txt");

/// Seed of the sentence shuffle: fixed, so a report can be reproduced.
const SHUFFLE_SEED: u64 = 0x5EED_0012;

/// How an attack's score is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Limit {
    /// The text argues nothing (or rejects every argument): it must score at
    /// most `--max-attack-score` points out of 100.
    Absolute,
    /// The text keeps the model's sentences but breaks the essay (order,
    /// relevance): it must score at most `--max-attack-fraction` of the
    /// model's own score.
    FractionOfModel,
}

/// One generated attack.
#[derive(Debug, Clone, PartialEq)]
pub struct Attack {
    pub id: &'static str,
    pub description: &'static str,
    pub limit: Limit,
    /// The attack as Markdown.
    pub text: String,
}

/// A generator: the rubric, the model and the title give the attack's text.
type Generator = fn(&Rubric, &Document, &str) -> String;

/// The seven attacks, in report order: id, description, limit, generator.
const ATTACKS: &[(&str, &str, Limit, Generator)] = &[
    (
        "keyword-list",
        "the rubric's phrases as comma-separated lines",
        Limit::Absolute,
        |r, _, t| keyword_list(r, t),
    ),
    (
        "keyword-filler",
        "the rubric's phrases in filler sentences (\"X is important.\")",
        Limit::Absolute,
        |r, _, t| keyword_filler(r, t),
    ),
    (
        "outline-only",
        "the model's headings and each paragraph's first words as bullets",
        Limit::Absolute,
        |_, m, t| outline(m, t),
    ),
    (
        "shuffled",
        "the model's sentences shuffled across its paragraphs",
        Limit::FractionOfModel,
        |_, m, t| shuffled(m, t),
    ),
    (
        "negated",
        "every argument of the model negated or rejected",
        Limit::Absolute,
        |_, m, t| negated(m, t),
    ),
    (
        "off-topic-padding",
        "the model padded to half its length with off-topic paragraphs",
        Limit::FractionOfModel,
        |_, m, t| padded(m, t),
    ),
    (
        "question-restated",
        "the title and question restated in several phrasings",
        Limit::Absolute,
        |r, _, t| restated(r, t),
    ),
];

/// Generate the seven attacks on `rubric` from the model answer `model`.
pub fn generate(rubric: &Rubric, model: &Document) -> Vec<Attack> {
    let title = model_title(rubric, model);
    ATTACKS
        .iter()
        .map(|&(id, description, limit, make)| Attack {
            id,
            description,
            limit,
            text: make(rubric, model, &title),
        })
        .collect()
}

/// The model's title: its first block when that is a heading, else the rubric's.
fn model_title(rubric: &Rubric, model: &Document) -> String {
    match model.blocks.first() {
        Some(b) if b.kind == BlockKind::Heading => block_text(model, 0),
        _ => rubric.title.clone(),
    }
}

/// A block's text on one line (a paragraph's line breaks become spaces).
fn block_text(doc: &Document, block: usize) -> String {
    let b = &doc.blocks[block];
    doc.text[b.span.clone()]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The sentences of a block, each on one line.
fn block_sentences(doc: &Document, block: usize) -> Vec<String> {
    doc.block_sentences[block]
        .clone()
        .map(|s| {
            doc.text[doc.sentences[s].span.clone()]
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

/// The blocks after the title, in order.
fn body_blocks(doc: &Document) -> std::ops::Range<usize> {
    let skip = usize::from(
        doc.blocks
            .first()
            .is_some_and(|b| b.kind == BlockKind::Heading),
    );
    skip..doc.blocks.len()
}

/// Up to three phrases per criterion, as a student would copy them (a
/// wildcard pattern such as `militan*` is no word a student writes, so it
/// is skipped).
fn criterion_keywords(rubric: &Rubric) -> Vec<(usize, Vec<String>)> {
    let mut out = Vec::new();
    for c in &rubric.criteria {
        let expr = match &c.rule {
            Rule::Argument { expr, .. } => expr,
            Rule::Scholar { names, .. } => names,
            Rule::Structure(_) => continue,
        };
        let mut ids = Vec::new();
        expr.phrases(&mut ids);
        let mut words: Vec<String> = Vec::new();
        for id in ids {
            let phrase = rubric.phrases.phrase_text(id);
            if phrase.contains('*') || phrase.is_empty() {
                continue;
            }
            if !words.iter().any(|w| w.eq_ignore_ascii_case(phrase)) {
                words.push(phrase.to_string());
            }
            if words.len() == 3 || c.kind == Kind::Scholar {
                break;
            }
        }
        if !words.is_empty() {
            out.push((c.section, words));
        }
    }
    out
}

fn keyword_list(rubric: &Rubric, title: &str) -> String {
    let mut out = format!("# {title}\n\n");
    let keywords = criterion_keywords(rubric);
    for (index, section) in rubric.sections.iter().enumerate() {
        let words: Vec<&str> = keywords
            .iter()
            .filter(|(s, _)| *s == index)
            .flat_map(|(_, w)| w.iter().map(String::as_str))
            .collect();
        if !words.is_empty() {
            out.push_str(&format!("{}: {}.\n\n", section.title, words.join(", ")));
        }
    }
    out
}

/// Sentence frames of the filler attack ("X is important.").
const FILLER: &[&str] = &[
    "{} is important.",
    "{} also matters.",
    "{} is a key issue.",
    "{} cannot be ignored.",
    "{} is relevant here too.",
    "{} plays a major role.",
];

fn keyword_filler(rubric: &Rubric, title: &str) -> String {
    let mut out = format!("# {title}\n\n");
    let mut frame = 0;
    for (index, _) in rubric.sections.iter().enumerate() {
        let mut sentences = Vec::new();
        for (_, words) in criterion_keywords(rubric)
            .iter()
            .filter(|(s, _)| *s == index)
        {
            for w in words.iter().take(2) {
                sentences.push(capitalise(&FILLER[frame % FILLER.len()].replace("{}", w)));
                frame += 1;
            }
        }
        if !sentences.is_empty() {
            out.push_str(&sentences.join(" "));
            out.push_str("\n\n");
        }
    }
    out
}

/// Words of a paragraph kept as its outline bullet.
const OUTLINE_WORDS: usize = 6;

fn outline(model: &Document, title: &str) -> String {
    let mut out = format!("# {title}\n\n");
    for b in body_blocks(model) {
        let text = block_text(model, b);
        match model.blocks[b].kind {
            BlockKind::Heading => out.push_str(&format!("- {text}\n")),
            BlockKind::Paragraph | BlockKind::ListItem => {
                // The first words of the paragraph's first sentence.
                let first = block_sentences(model, b).into_iter().next().unwrap_or(text);
                let first = strip_bullet(&first);
                let words: Vec<&str> = first.split_whitespace().take(OUTLINE_WORDS).collect();
                let words = words.join(" ");
                out.push_str(&format!(
                    "  - {}\n",
                    words.trim_end_matches(|c: char| c.is_ascii_punctuation())
                ));
            }
            BlockKind::TableRow => {}
        }
    }
    out
}

/// Write the model again block by block, with `sentence` choosing what
/// each prose sentence becomes (headings and table rows are kept).
fn rewrite(model: &Document, title: &str, mut sentence: impl FnMut(String) -> String) -> String {
    let mut out = format!("# {title}\n\n");
    let mut in_table = false;
    for b in body_blocks(model) {
        let kind = model.blocks[b].kind;
        if in_table && kind != BlockKind::TableRow {
            out.push('\n');
        }
        in_table = kind == BlockKind::TableRow;
        match kind {
            BlockKind::Heading => out.push_str(&format!("## {}\n\n", block_text(model, b))),
            BlockKind::TableRow => out.push_str(&format!("{}\n", table_row(model, b))),
            BlockKind::Paragraph => {
                let s: Vec<String> = block_sentences(model, b)
                    .into_iter()
                    .map(&mut sentence)
                    .collect();
                out.push_str(&format!("{}\n\n", s.join(" ")));
            }
            BlockKind::ListItem => {
                let s: Vec<String> = block_sentences(model, b)
                    .into_iter()
                    .map(&mut sentence)
                    .collect();
                out.push_str(&format!("- {}\n\n", strip_bullet(&s.join(" "))));
            }
        }
    }
    out
}

/// A table row as a Markdown row (cells from the block, else its text).
fn table_row(model: &Document, b: usize) -> String {
    let block = &model.blocks[b];
    if block.cells.is_empty() {
        return block_text(model, b);
    }
    let cells: Vec<String> = block
        .cells
        .iter()
        .map(|c| {
            model
                .text
                .get(c.clone())
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect();
    format!("| {} |", cells.join(" | "))
}

/// A list item's text without its bullet or number.
fn strip_bullet(s: &str) -> &str {
    let t = s.trim_start();
    let t = t
        .strip_prefix(['-', '*', '•'])
        .map(str::trim_start)
        .unwrap_or(t);
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        if let Some(rest) = t[digits..].strip_prefix(['.', ')']) {
            return rest.trim_start();
        }
    }
    t
}

fn shuffled(model: &Document, title: &str) -> String {
    let mut pool: Vec<String> = body_blocks(model)
        .filter(|&b| {
            matches!(
                model.blocks[b].kind,
                BlockKind::Paragraph | BlockKind::ListItem
            )
        })
        .flat_map(|b| block_sentences(model, b))
        .map(|s| strip_bullet(&s).to_string())
        .collect();
    // Fisher-Yates with the fixed seed; the sentences then refill the
    // paragraphs in order, so every paragraph keeps its length.
    let mut rng = Lcg(SHUFFLE_SEED);
    for i in (1..pool.len()).rev() {
        pool.swap(i, rng.next(i + 1));
    }
    let mut next = pool.into_iter();
    rewrite(model, title, |s| next.next().unwrap_or(s))
}

/// Auxiliaries after which "not" negates the clause.
const AUXILIARIES: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "can", "could", "will", "would", "should",
    "must", "may", "might", "does", "do", "did", "shall",
];

/// Negate a sentence: "not" after its first auxiliary ("X should not be
/// done", "Y is not a threat"), else "It is not true that ...".
pub fn negate(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    for (i, w) in words.iter().enumerate() {
        let bare = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_ascii_lowercase();
        if AUXILIARIES.contains(&bare.as_str()) && w.chars().all(|c| c.is_alphabetic()) {
            if words
                .get(i + 1)
                .is_some_and(|n| n.eq_ignore_ascii_case("not"))
            {
                break;
            }
            let mut out: Vec<&str> = words[..=i].to_vec();
            out.push("not");
            out.extend_from_slice(&words[i + 1..]);
            return out.join(" ");
        }
    }
    let first = words.first().copied().unwrap_or("");
    let keep_capital = !crate::text::lexicon::is_common_word(&first.to_lowercase());
    let rest = if keep_capital {
        sentence.trim().to_string()
    } else {
        let mut chars = sentence.trim().chars();
        chars.next().map_or_else(String::new, |c| {
            c.to_lowercase().collect::<String>() + chars.as_str()
        })
    };
    format!("It is not true that {rest}")
}

fn negated(model: &Document, title: &str) -> String {
    rewrite(model, title, |s| negate(&s))
}

/// Off-topic paragraphs (comments and blank lines dropped).
fn off_topic_paragraphs() -> Vec<String> {
    let text: String = OFF_TOPIC
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn padded(model: &Document, title: &str) -> String {
    // Half the result is off-topic: as many off-topic words as the model
    // has, one off-topic paragraph after each of the model's paragraphs,
    // the rest at the end.
    let budget = model.word_count();
    let filler = off_topic_paragraphs();
    let mut used = 0;
    let mut next = 0;
    let mut take = || -> Option<String> {
        if used >= budget || filler.is_empty() {
            return None;
        }
        let p = filler[next % filler.len()].clone();
        next += 1;
        used += p.split_whitespace().count();
        Some(p)
    };
    let model_text = rewrite(model, title, |s| s);
    let mut out = String::new();
    for block in model_text.split("\n\n") {
        if block.trim().is_empty() {
            continue;
        }
        out.push_str(block.trim_end());
        out.push_str("\n\n");
        let prose = !block.starts_with('#') && !block.starts_with('|') && !block.starts_with('-');
        if prose {
            if let Some(p) = take() {
                out.push_str(&p);
                out.push_str("\n\n");
            }
        }
    }
    while let Some(p) = take() {
        out.push_str(&p);
        out.push_str("\n\n");
    }
    out
}

fn restated(rubric: &Rubric, title: &str) -> String {
    let question = rubric
        .question
        .as_deref()
        .map(|q| q.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| format!("{title}?"));
    let lower = lower_first(&question);
    let topic = lower_first(title);
    format!(
        "# {title}\n\n\
         ## Introduction\n\n\
         This essay is about {topic}. The question is: {question}\n\n\
         ## Discussion\n\n\
         In other words, the question asks {lower} To put it another way, the topic is {topic}. \
         Many people have asked {lower} This is why {topic} is an important question.\n\n\
         ## Conclusion\n\n\
         In conclusion, this essay has discussed {topic}. To answer the question, one has to ask {lower}\n"
    )
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_uppercase().collect::<String>() + chars.as_str()
    })
}

/// Lower-case the first letter unless the first word is a name.
fn lower_first(s: &str) -> String {
    let first = s.split_whitespace().next().unwrap_or("");
    if !crate::text::lexicon::is_common_word(&first.to_lowercase()) {
        return s.to_string();
    }
    let mut chars = s.chars();
    chars.next().map_or_else(String::new, |c| {
        c.to_lowercase().collect::<String>() + chars.as_str()
    })
}

/// When an attack counts as a success against the rubric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Highest score (0-100) for an attack that argues nothing.
    pub max_attack_score: f64,
    /// Highest score, as a fraction of the model's, for an attack that
    /// keeps the model's sentences.
    pub max_attack_fraction: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            max_attack_score: 30.0,
            max_attack_fraction: 0.9,
        }
    }
}

/// One attack graded.
#[derive(Debug, Clone, Serialize)]
pub struct AttackResult {
    pub id: &'static str,
    pub description: &'static str,
    pub limit_kind: Limit,
    /// The highest score the attack may get (0-100).
    pub limit: f64,
    pub score: f64,
    pub words: usize,
    /// The attack scores above its limit: the rubric can be gamed this way.
    pub above: bool,
    /// The generated text (Markdown).
    pub text: String,
}

/// The model and every attack, graded.
#[derive(Debug, Clone, Serialize)]
pub struct AdversarialReport {
    pub version: u32,
    pub rubric: String,
    pub rubric_version: String,
    pub model: String,
    pub model_score: f64,
    pub model_words: usize,
    pub max_attack_score: f64,
    pub max_attack_fraction: f64,
    pub attacks: Vec<AttackResult>,
    /// How many attacks score above their limit.
    pub above: usize,
}

/// Grade Markdown text with `rubric`.
fn grade_markdown(rubric: &Rubric, text: &str) -> Result<(f64, usize), String> {
    // An attack may be longer than its model (padding doubles it), so the
    // file limit is raised: the text is ours, not a stranger's upload.
    let limits = Limits {
        max_file_bytes: 8 * Limits::default().max_file_bytes,
        ..Limits::default()
    };
    let doc = ingest::extract(Format::Markdown, text.as_bytes(), &limits)
        .map_err(|e| e.to_string())?
        .into_document();
    let grade = scoring::grade(rubric, &doc);
    Ok((grade.score, grade.words))
}

/// Generate and grade every attack on `rubric` from `model` (named `name`).
pub fn attack(
    rubric: &Rubric,
    model: &Document,
    name: &str,
    thresholds: Thresholds,
) -> Result<AdversarialReport, String> {
    let model_grade = scoring::grade(rubric, model);
    let mut attacks = Vec::new();
    for a in generate(rubric, model) {
        let (score, words) =
            grade_markdown(rubric, &a.text).map_err(|e| format!("attack {}: {e}", a.id))?;
        let limit = match a.limit {
            Limit::Absolute => thresholds.max_attack_score,
            // Rounded like scores, to one decimal, so the text report's
            // figures decide the verdict a reader sees.
            Limit::FractionOfModel => {
                (model_grade.score * thresholds.max_attack_fraction * 10.0).round() / 10.0
            }
        };
        attacks.push(AttackResult {
            id: a.id,
            description: a.description,
            limit_kind: a.limit,
            limit,
            score,
            words,
            above: score > limit,
            text: a.text,
        });
    }
    Ok(AdversarialReport {
        version: 1,
        rubric: rubric.id.clone(),
        rubric_version: rubric.version.clone(),
        model: name.to_string(),
        model_score: model_grade.score,
        model_words: model_grade.words,
        max_attack_score: thresholds.max_attack_score,
        max_attack_fraction: thresholds.max_attack_fraction,
        above: attacks.iter().filter(|a| a.above).count(),
        attacks,
    })
}

/// The report for a terminal: the model's score, then each attack's score
/// beside its limit.
pub fn render_text(r: &AdversarialReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "Adversarial test of {} v{} with the model answer {}",
        r.rubric, r.rubric_version, r.model
    )?;
    writeln!(
        out,
        "\n{:<20} {:>6} {:>7} {:>6}",
        "text", "score", "limit", "words"
    )?;
    writeln!(
        out,
        "{:<20} {:>6.1} {:>7} {:>6}",
        "model answer", r.model_score, "", r.model_words
    )?;
    for a in &r.attacks {
        let verdict = if a.above { "  ABOVE LIMIT" } else { "" };
        writeln!(
            out,
            "{:<20} {:>6.1} {:>7.1} {:>6}  {}{verdict}",
            a.id, a.score, a.limit, a.words, a.description
        )?;
    }
    writeln!(
        out,
        "\nLimits: {:.1}/100 for texts that argue nothing (keyword list, filler, outline, negated, question restated); {:.0}% of the model's score for the model's sentences shuffled or padded.",
        r.max_attack_score,
        r.max_attack_fraction * 100.0
    )?;
    if r.above == 0 {
        writeln!(out, "No attack scores above its limit.")
    } else {
        let ids: Vec<&str> = r.attacks.iter().filter(|a| a.above).map(|a| a.id).collect();
        writeln!(
            out,
            "{} of {} attacks score above their limit: {}. The rubric credits these texts; see `--format json` for each text.",
            r.above,
            r.attacks.len(),
            ids.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Document {
        let md = "# Border Security After 2021\n\n## Introduction\n\nThe Taliban returned in 2021. Pakistan should engage Kabul with conditions.\n\n## The TTP\n\nThe TTP regrouped in Afghan sanctuaries. Attacks rose in Khyber Pakhtunkhwa.\n\n- Refugees are a strain on the economy.\n\n| | Before | After |\n|---|---|---|\n| TTP | weak | strong |\n";
        ingest::extract(Format::Markdown, md.as_bytes(), &Limits::default())
            .unwrap()
            .into_document()
    }

    #[test]
    fn seven_attacks_in_a_fixed_order_and_the_same_twice() {
        let rubric = Rubric::builtin();
        let doc = model();
        let a = generate(&rubric, &doc);
        let ids: Vec<&str> = a.iter().map(|a| a.id).collect();
        assert_eq!(
            ids,
            [
                "keyword-list",
                "keyword-filler",
                "outline-only",
                "shuffled",
                "negated",
                "off-topic-padding",
                "question-restated"
            ]
        );
        assert_eq!(a, generate(&rubric, &doc));
        for attack in &a {
            assert!(
                attack.text.starts_with("# Border Security After 2021\n"),
                "{}",
                attack.text
            );
        }
    }

    #[test]
    fn a_model_without_a_title_gets_the_rubric_title() {
        let rubric = Rubric::builtin();
        let doc = Document::from_plain_text(
            "The TTP regrouped in Afghan sanctuaries after 2021, and attacks rose.\n".into(),
        );
        for a in generate(&rubric, &doc) {
            assert!(
                a.text
                    .starts_with("# Taliban Rule and Pakistan's Western Security Dilemma\n"),
                "{}: {}",
                a.id,
                a.text
            );
        }
        let report = attack(&rubric, &doc, "m.txt", Thresholds::default()).unwrap();
        assert_eq!(report.attacks.len(), 7);
    }

    #[test]
    fn keyword_attacks_use_the_rubric_phrases() {
        let rubric = Rubric::builtin();
        let list = keyword_list(&rubric, "T");
        assert!(
            list.contains("Internal security: TTP, Tehreek-e-Taliban, Tehrik-e-Taliban, ideological spillover"),
            "{list}"
        );
        // Wildcard patterns are not words a student writes.
        assert!(!list.contains("militan,"), "{list}");
        assert!(list.contains("Afghan migrants"), "{list}");
        assert!(list.contains("Stephen Walt"), "{list}");
        let filler = keyword_filler(&rubric, "T");
        assert!(
            filler.contains("Security dilemma is important."),
            "{filler}"
        );
        assert!(filler.contains(" also matters."), "{filler}");
    }

    #[test]
    fn outline_keeps_headings_and_first_words() {
        let text = outline(&model(), "T");
        assert_eq!(
            text,
            "# T\n\n- Introduction\n  - The Taliban returned in 2021\n- The TTP\n  - The TTP regrouped in Afghan sanctuaries\n  - Refugees are a strain on the\n"
        );
    }

    #[test]
    fn shuffle_moves_sentences_across_paragraphs_and_keeps_them_all() {
        let doc = model();
        let text = shuffled(&doc, "T");
        assert_eq!(text, shuffled(&doc, "T"));
        let original = rewrite(&doc, "T", |s| s);
        assert_ne!(text, original);
        let mut a: Vec<&str> = text.split(". ").collect();
        let mut b: Vec<&str> = original.split(". ").collect();
        a.sort_unstable();
        b.sort_unstable();
        assert_eq!(a.len(), b.len());
        assert!(text.contains("## The TTP"), "{text}");
        assert!(text.contains("| TTP | weak | strong |"), "{text}");
    }

    #[test]
    fn negation_rejects_the_claim() {
        assert_eq!(
            negate("Pakistan should engage Kabul with conditions."),
            "Pakistan should not engage Kabul with conditions."
        );
        assert_eq!(
            negate("Refugees are a strain on the economy."),
            "Refugees are not a strain on the economy."
        );
        assert_eq!(
            negate("The TTP regrouped in Afghan sanctuaries."),
            "It is not true that the TTP regrouped in Afghan sanctuaries."
        );
        assert_eq!(
            negate("Pakistan faces a threat."),
            "It is not true that Pakistan faces a threat."
        );
        // Already negated: rejected as a whole rather than doubly negated.
        assert_eq!(
            negate("These strikes would not work."),
            "It is not true that these strikes would not work."
        );
        let text = negated(&model(), "T");
        assert!(text.contains("- Refugees are not a strain"), "{text}");
    }

    #[test]
    fn padding_is_half_off_topic() {
        let doc = model();
        let text = padded(&doc, "T");
        let off: usize = off_topic_paragraphs()
            .iter()
            .filter(|p| text.contains(p.as_str()))
            .map(|p| p.split_whitespace().count())
            .sum();
        assert!(off >= doc.word_count(), "{off} {}", doc.word_count());
        assert!(text.contains("The TTP regrouped in Afghan sanctuaries."));
        // The first off-topic paragraph follows the first prose paragraph.
        let intro = text.find("Pakistan should engage").unwrap();
        let tea = text.find("Tea reached").unwrap();
        let ttp = text.find("## The TTP").unwrap();
        assert!(intro < tea && tea < ttp, "{text}");
    }

    #[test]
    fn restating_uses_title_and_question() {
        let rubric = Rubric::builtin();
        let text = restated(
            &rubric,
            "Taliban Rule and Pakistan's Western Security Dilemma",
        );
        assert!(text.contains("This essay is about Taliban Rule"), "{text}");
        assert!(
            text.contains("The question is: How has the return"),
            "{text}"
        );
        assert!(
            text.contains("the question asks how has the return"),
            "{text}"
        );
    }

    #[test]
    fn limits_decide_above() {
        let rubric = Rubric::builtin();
        let doc = model();
        let loose = attack(
            &rubric,
            &doc,
            "m.md",
            Thresholds {
                max_attack_score: 100.0,
                max_attack_fraction: 100.0,
            },
        )
        .unwrap();
        assert_eq!(loose.above, 0);
        assert_eq!(loose.attacks.len(), 7);
        let strict = attack(
            &rubric,
            &doc,
            "m.md",
            Thresholds {
                max_attack_score: 0.0,
                max_attack_fraction: 0.0,
            },
        )
        .unwrap();
        let scoring: Vec<&str> = strict
            .attacks
            .iter()
            .filter(|a| a.score > 0.0)
            .map(|a| a.id)
            .collect();
        assert_eq!(strict.above, scoring.len());
        let mut out = Vec::new();
        render_text(&loose, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("No attack scores above its limit."), "{text}");
    }
}
