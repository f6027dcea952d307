//! `essaymark explain ESSAY --criterion ID`: why one criterion got its
//! points. Every phrase of the criterion is listed with where it hit (line,
//! column, sentence) and whether scoring counted the hit; `all` groups show
//! their scope; the rule that decided the status (depth: how many
//! substantive sentences, or a `develop` term in the same paragraph) is named;
//! and near misses show what almost matched — a word two edits away, the
//! phrase's words in one sentence but not together, or every part of an
//! `all` group found but not within its scope. `rubric test` quotes the
//! nearest miss of each missed criterion from the same code.

use crate::args::{ExplainArgs, ExplainFormat};
use crate::matching::{evaluate, Expr, Hit, Scan};
use crate::rubric::{Rubric, Rule, Within};
use crate::scoring::nearmiss::{near_misses, plural, quote, within_text, NearMiss};
use crate::scoring::{self, found_as, CriterionTrace, Evidence, Role, Status};
use crate::text::Document;
use serde::Serialize;
use std::io::{self, Write};

/// Hits listed per phrase before "... and N more".
const HITS_SHOWN: usize = 4;

/// Everything `explain` says about one criterion in one essay.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub essay: String,
    pub criterion: String,
    pub title: String,
    pub section: String,
    pub kind: &'static str,
    pub max_points: f64,
    pub required: bool,
    pub status: Status,
    pub points: f64,
    /// Scoring's own note ("mentioned in passing", "spelled X").
    pub note: Option<String>,
    /// The rules that apply, in words.
    pub rules: Vec<String>,
    /// The id of the rule that set the status.
    pub decided_by: &'static str,
    /// Why the status is what it is: scoring's own decision.
    pub verdict: String,
    /// How the points follow from the status.
    pub points_rule: String,
    /// The `match` expression (or a scholar's names), with hits.
    pub matched: Option<Node>,
    /// The `develop` expression, with hits.
    pub develop: Option<Node>,
    /// Sentences the meaning stage proposed (counted or rejected by the
    /// rules) or looked at and set aside, with the rule and similarity.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_meaning: Vec<HitInfo>,
    /// The blocks a structure check looked at.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<BlockInfo>,
    pub near_misses: Vec<NearMiss>,
    /// The rubric's advice, shown unless the criterion is met.
    pub feedback: Option<String>,
}

/// One node of a match expression and what it found.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    /// `phrase`, `regex`, `any` or `all`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// The scope of an `all` group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub within: Option<String>,
    pub hits: Vec<HitInfo>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Node>,
}

/// A place where a phrase (or group) matched.
#[derive(Debug, Clone, Serialize)]
pub struct HitInfo {
    pub line: usize,
    pub column: usize,
    pub sentence: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found_as: Option<String>,
    /// Whether the hit contributed to the criterion's status or points.
    pub counted: bool,
    /// The scoring rule that counted or rejected it (none for a part of an
    /// `all` group, which scoring never looks at on its own).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<&'static str>,
    /// That rule's reason in words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// A block a structure check used.
#[derive(Debug, Clone, Serialize)]
pub struct BlockInfo {
    pub line: usize,
    pub column: usize,
    pub text: String,
    pub counted: bool,
    pub rule: &'static str,
}

/// Explain criterion `index` (into `rubric.criteria`) for `doc`: the trace
/// scoring left, laid over the criterion's match expression.
pub fn explain(rubric: &Rubric, doc: &Document, essay: &str, index: usize) -> Explanation {
    let c = &rubric.criteria[index];
    let (_, mut traces) = scoring::grade_traced(rubric, doc);
    let trace = traces.swap_remove(index);
    let scan = rubric.phrases.scan(doc);
    let ctx = Ctx {
        rubric,
        doc,
        scan: &scan,
        trace: &trace,
    };
    let (matched, develop, mut rules) = match &c.rule {
        Rule::Argument {
            expr,
            develop,
            min_hits,
            partial_credit,
            ..
        } => (
            Some(ctx.node(expr, Role::Match)),
            develop.as_ref().map(|d| ctx.node(d, Role::Develop)),
            scoring::argument::describe(*min_hits, *partial_credit, develop.is_some()),
        ),
        Rule::Scholar {
            names,
            attribution,
            partial_credit,
        } => (
            Some(ctx.node(names, Role::Name)),
            None,
            scoring::scholar::describe(*attribution, *partial_credit),
        ),
        Rule::Structure(check) => (
            None,
            None,
            vec![format!(
                "{}: {}",
                scoring::structure::rule_of(check).id,
                scoring::structure::describe(check)
            )],
        ),
    };
    if let Rule::Argument { expr, .. } = &c.rule {
        let mut scopes = Vec::new();
        collect_scopes(expr, &mut scopes);
        for w in scopes {
            rules.push(format!(
                "scope: every part of an `all` group must occur within {}",
                within_text(w)
            ));
        }
    }
    let near_misses = match &c.rule {
        Rule::Argument { expr, .. } => near_misses(rubric, doc, &scan, expr),
        Rule::Scholar { names, .. } => near_misses(rubric, doc, &scan, names),
        Rule::Structure(_) => Vec::new(),
    };
    let meaning_hits: Vec<Hit> = trace
        .candidates
        .iter()
        .filter(|k| k.role == Role::Meaning)
        .filter_map(|k| k.hit())
        .collect();
    let by_meaning = ctx.hits(&meaning_hits, Role::Meaning);
    let blocks = trace
        .candidates
        .iter()
        .filter_map(|cand| match cand.evidence {
            Evidence::Block(b) => Some(ctx.block_info(b, cand)),
            Evidence::Hit(_) => None,
        })
        .collect();
    Explanation {
        essay: essay.to_string(),
        criterion: c.id.clone(),
        title: c.title.clone(),
        section: rubric.sections[c.section].title.clone(),
        kind: c.kind.as_str(),
        max_points: c.points,
        required: c.required,
        status: trace.status,
        points: trace.points,
        note: trace.note.clone(),
        rules,
        decided_by: trace.decided_by.id,
        verdict: trace.decision.clone(),
        points_rule: trace.points_rule.clone(),
        matched,
        develop,
        by_meaning,
        blocks,
        near_misses,
        feedback: (trace.status != Status::Met)
            .then(|| c.feedback.clone())
            .flatten(),
    }
}

struct Ctx<'a> {
    rubric: &'a Rubric,
    doc: &'a Document,
    scan: &'a Scan,
    trace: &'a CriterionTrace,
}

impl Ctx<'_> {
    fn node(&self, expr: &Expr, role: Role) -> Node {
        match expr {
            Expr::Phrase(p) => Node {
                kind: "phrase",
                text: Some(self.rubric.phrases.phrase_text(*p).to_string()),
                within: None,
                hits: self.hits(&evaluate(expr, self.scan, self.doc), role),
                children: Vec::new(),
            },
            Expr::Regex(r) => Node {
                kind: "regex",
                text: Some(self.rubric.phrases.regex_text(*r).to_string()),
                within: None,
                hits: self.hits(&evaluate(expr, self.scan, self.doc), role),
                children: Vec::new(),
            },
            Expr::Any(items) => {
                // Spellings that fold to the same words share one phrase:
                // list it once.
                let mut children: Vec<Node> = Vec::new();
                for n in items.iter().map(|i| self.node(i, role)) {
                    if !children
                        .iter()
                        .any(|c| c.kind == n.kind && c.text.is_some() && c.text == n.text)
                    {
                        children.push(n);
                    }
                }
                Node {
                    kind: "any",
                    text: None,
                    within: None,
                    hits: Vec::new(),
                    children,
                }
            }
            Expr::All(items, within) => {
                // The group's own hits are what scoring sees; its parts only
                // count through them.
                let hits = evaluate(expr, self.scan, self.doc);
                Node {
                    kind: "all",
                    text: None,
                    within: Some(within_text(*within)),
                    hits: self.hits(&hits, role),
                    children: items.iter().map(|i| self.part(i, role)).collect(),
                }
            }
        }
    }

    /// A part of an `all` group: its hits are shown, never counted.
    fn part(&self, expr: &Expr, role: Role) -> Node {
        let mut n = self.node(expr, role);
        n.mark_parts();
        n
    }

    /// Each hit with what the trace says of it. A hit scoring never looked
    /// at (a part of an `all` group) is not counted.
    fn hits(&self, hits: &[Hit], role: Role) -> Vec<HitInfo> {
        let doc = self.doc;
        hits.iter()
            .map(|h| {
                let cand = self
                    .trace
                    .candidates
                    .iter()
                    .find(|c| c.role == role && c.hit() == Some(*h));
                let start = doc.tokens[h.tokens.0 as usize].start as usize;
                let pos = doc.origin.line_col(&doc.text, start);
                let (counted, rule, reason) = match cand {
                    Some(c) => (c.counted, Some(c.rule.id), Some(self.reason(c, h))),
                    None => (false, None, Some(UNUSED_REASON.to_string())),
                };
                HitInfo {
                    line: pos.line,
                    column: pos.column,
                    sentence: quote(&doc.sentence_text(h.sentence as usize)),
                    found_as: h.fuzzy.then(|| found_as(doc, h)),
                    counted,
                    rule,
                    reason,
                }
            })
            .collect()
    }

    /// A candidate's reason; "another hit in a sentence already counted"
    /// says which hit of that sentence was counted and where, since it can
    /// sit under another phrase of the criterion, shown further down.
    fn reason(&self, c: &scoring::Candidate, h: &Hit) -> String {
        let reason = c.reason();
        if c.rule.id != "argument/same-sentence" {
            return reason;
        }
        let counted = self.trace.candidates.iter().find_map(|o| {
            let oh = o.hit()?;
            (o.counted && o.role == c.role && oh.sentence == h.sentence).then_some(oh)
        });
        match counted {
            Some(oh) => {
                let doc = self.doc;
                let pos = doc
                    .origin
                    .line_col(&doc.text, doc.tokens[oh.tokens.0 as usize].start as usize);
                format!(
                    "{reason} (counted as \"{}\" at {}:{})",
                    found_as(doc, &oh),
                    pos.line,
                    pos.column
                )
            }
            None => reason,
        }
    }

    fn block_info(&self, b: usize, cand: &scoring::Candidate) -> BlockInfo {
        let doc = self.doc;
        let start = doc.blocks[b].span.start;
        let pos = doc.origin.line_col(&doc.text, start);
        BlockInfo {
            line: pos.line,
            column: pos.column,
            text: quote(doc.text[doc.blocks[b].span.clone()].trim()),
            counted: cand.counted,
            rule: cand.rule.id,
        }
    }
}

const UNUSED_REASON: &str = "not looked at: scoring decided the criterion without it";
const PART_REASON: &str = "a part of an `all` group: only the group's hits count";

impl Node {
    /// Mark every hit below as a part of an `all` group: never counted.
    fn mark_parts(&mut self) {
        for h in &mut self.hits {
            h.counted = false;
            h.rule = None;
            h.reason = Some(PART_REASON.to_string());
        }
        for c in &mut self.children {
            c.mark_parts();
        }
    }

    fn any_hit(&self) -> bool {
        !self.hits.is_empty() || (self.kind == "any" && self.children.iter().any(Node::any_hit))
    }
}

fn collect_scopes(expr: &Expr, out: &mut Vec<Within>) {
    match expr {
        Expr::Phrase(_) | Expr::Regex(_) => {}
        Expr::Any(items) => items.iter().for_each(|i| collect_scopes(i, out)),
        Expr::All(items, w) => {
            if !out.contains(w) {
                out.push(*w);
            }
            items.iter().for_each(|i| collect_scopes(i, out));
        }
    }
}

/// Render an explanation for a terminal.
/// The text explanation, every line made printable: text from the essay,
/// a file name or the rubric cannot carry a control character to the
/// terminal.
pub fn render_text(e: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    let mut buf = Vec::new();
    render_text_raw(e, &mut buf)?;
    for line in String::from_utf8_lossy(&buf).lines() {
        writeln!(out, "{}", crate::report::printable(line))?;
    }
    Ok(())
}

fn render_text_raw(e: &Explanation, out: &mut dyn Write) -> io::Result<()> {
    let mark = |s: Status| match s {
        Status::Met => "✔",
        Status::Partial => "◐",
        Status::Missing => "✘",
    };
    let pts = crate::report::fmt_points;
    writeln!(out, "{}", e.essay)?;
    writeln!(
        out,
        "{} {} — {}  {}/{} ({}{})",
        mark(e.status),
        e.criterion,
        e.title,
        pts(e.points),
        pts(e.max_points),
        e.status.as_str(),
        if e.required { ", required" } else { "" }
    )?;
    writeln!(out, "  {} criterion in section \"{}\"", e.kind, e.section)?;
    writeln!(out, "  {}  [{}]", e.verdict, e.decided_by)?;
    writeln!(out, "  points: {}", e.points_rule)?;
    if let Some(n) = &e.note {
        writeln!(out, "  note: {n}")?;
    }
    writeln!(out, "\nRules")?;
    for r in &e.rules {
        writeln!(out, "  - {r}")?;
    }
    if let Some(m) = &e.matched {
        let head = if e.kind == "scholar" {
            "Names"
        } else {
            "Match"
        };
        writeln!(out, "\n{head}")?;
        render_node(m, 1, out)?;
    }
    if let Some(d) = &e.develop {
        writeln!(
            out,
            "\nDevelop (counts in the paragraph of a hit; for a bullet point, its section)"
        )?;
        render_node(d, 1, out)?;
    }
    if !e.by_meaning.is_empty() {
        writeln!(
            out,
            "\nBy meaning (sentences that resemble the criterion's examples; the rules judge them as phrase hits)"
        )?;
        render_hits(&e.by_meaning, 1, out)?;
    }
    if !e.blocks.is_empty() {
        writeln!(out, "\nLooked at")?;
        for b in &e.blocks {
            let mark = if b.counted { "counted" } else { "not counted" };
            writeln!(
                out,
                "  {}:{} {}  [{mark}: {}]",
                b.line, b.column, b.text, b.rule
            )?;
        }
    }
    if !e.near_misses.is_empty() {
        writeln!(out, "\nNear misses")?;
        for n in &e.near_misses {
            writeln!(out, "  {}:{} \"{}\": {}", n.line, n.column, n.phrase, n.why)?;
            writeln!(out, "      {}", n.sentence)?;
        }
    }
    if let Some(f) = &e.feedback {
        writeln!(out, "\nAdvice\n  {f}")?;
    }
    Ok(())
}

fn render_node(n: &Node, depth: usize, out: &mut dyn Write) -> io::Result<()> {
    let pad = "  ".repeat(depth);
    match n.kind {
        "any" => {
            let mut unmatched = Vec::new();
            for c in &n.children {
                match (c.kind, c.hits.is_empty()) {
                    ("phrase" | "regex", true) => unmatched.push(leaf_text(c)),
                    _ => render_node(c, depth, out)?,
                }
            }
            if !unmatched.is_empty() {
                writeln!(out, "{pad}· no hit: {}", unmatched.join(", "))?;
            }
        }
        "all" => {
            let state = if n.hits.is_empty() {
                "✘ no place has every part".to_string()
            } else {
                format!("✔ {} hit{}", n.hits.len(), plural(n.hits.len()))
            };
            writeln!(
                out,
                "{pad}all of, within {}: {state}",
                n.within.as_deref().unwrap_or("")
            )?;
            render_hits(&n.hits, depth + 2, out)?;
            for c in &n.children {
                if c.kind == "any" {
                    let hit = c.any_hit();
                    writeln!(out, "{pad}  {} one of:", if hit { "✔" } else { "✘" })?;
                    render_node(c, depth + 2, out)?;
                } else if c.hits.is_empty() {
                    writeln!(out, "{pad}  ✘ {}", leaf_text(c))?;
                } else {
                    writeln!(out, "{pad}  ✔ {}", leaf_text(c))?;
                }
            }
        }
        _ => {
            if n.hits.is_empty() {
                writeln!(out, "{pad}· no hit: {}", leaf_text(n))?;
            } else {
                let counted = n.hits.iter().filter(|h| h.counted).count();
                writeln!(
                    out,
                    "{pad}✔ {} — {} hit{}, {counted} counted",
                    leaf_text(n),
                    n.hits.len(),
                    plural(n.hits.len())
                )?;
                render_hits(&n.hits, depth + 2, out)?;
            }
        }
    }
    Ok(())
}

fn render_hits(hits: &[HitInfo], depth: usize, out: &mut dyn Write) -> io::Result<()> {
    let pad = "  ".repeat(depth);
    for h in hits.iter().take(HITS_SHOWN) {
        let found = h
            .found_as
            .as_ref()
            .map(|f| format!(" (found as \"{f}\")"))
            .unwrap_or_default();
        let why = match (&h.reason, h.counted) {
            (Some(r), true) => format!("  [counted: {r}]"),
            (Some(r), false) => format!("  [not counted: {r}]"),
            (None, true) => "  [counted]".to_string(),
            (None, false) => "  [not counted]".to_string(),
        };
        writeln!(
            out,
            "{pad}{}:{} {}{found}{why}",
            h.line, h.column, h.sentence
        )?;
    }
    if hits.len() > HITS_SHOWN {
        writeln!(out, "{pad}... and {} more", hits.len() - HITS_SHOWN)?;
    }
    Ok(())
}

fn leaf_text(n: &Node) -> String {
    match n.kind {
        "regex" => format!("/{}/", n.text.as_deref().unwrap_or("")),
        _ => format!("\"{}\"", n.text.as_deref().unwrap_or("")),
    }
}

/// Run `essaymark explain`; errors are messages for exit code 2.
pub fn run(args: &ExplainArgs, rubric: &Rubric, out: &mut dyn Write) -> Result<(), String> {
    let Some(index) = rubric.criteria.iter().position(|c| c.id == args.criterion) else {
        let mut ids: Vec<(usize, &str)> = rubric
            .criteria
            .iter()
            .map(|c| (strsim::levenshtein(&c.id, &args.criterion), c.id.as_str()))
            .collect();
        ids.sort();
        let close: Vec<&str> = ids.iter().take(3).map(|(_, id)| *id).collect();
        return Err(format!(
            "rubric {} has no criterion `{}` (closest: {})",
            rubric.id,
            args.criterion,
            close.join(", ")
        ));
    };
    let input = crate::batch::pipeline::Input::File(args.essay.clone());
    let extracted =
        crate::batch::pipeline::extract_input(&input, &crate::ingest::Limits::default())
            .map_err(|e| format!("{}: {e}", args.essay.display()))?;
    let doc = extracted.into_document();
    let e = explain(rubric, &doc, &input.display(), index);
    let written = match args.format {
        ExplainFormat::Text => render_text(&e, out),
        ExplainFormat::Json => serde_json::to_writer_pretty(&mut *out, &e)
            .map_err(io::Error::other)
            .and_then(|_| writeln!(out)),
    };
    written.map_err(|e| {
        crate::output::note_write_error(&e);
        e.to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::load_str;

    const RUBRIC: &str = "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: border\n        points: 4\n        feedback: Discuss the border.\n        match:\n          - Durand Line\n          - all: [fence, refugees]\n            within: sentence\n        develop: [tribes]\n  - id: people\n    title: People\n    kind: scholar\n    criteria:\n      - id: lodhi\n        name: Maleeha Lodhi\n        aliases: [Lodhi]\n        points: 2\n";

    fn explain_text(essay: &str, id: &str) -> Explanation {
        let rubric = load_str(RUBRIC, "t.yaml").unwrap();
        let doc = Document::from_plain_text(essay.to_string());
        let index = rubric.criteria.iter().position(|c| c.id == id).unwrap();
        explain(&rubric, &doc, "essay.txt", index)
    }

    #[test]
    fn a_hit_in_a_counted_sentence_says_which_hit_counted_it() {
        let e = explain_text(
            "Refugees fear the fence that now runs along the Durand Line across the tribes.\n",
            "border",
        );
        let m = e.matched.unwrap();
        let mut reasons = Vec::new();
        fn walk(n: &Node, out: &mut Vec<(bool, String)>) {
            for h in &n.hits {
                out.push((h.counted, h.reason.clone().unwrap_or_default()));
            }
            n.children.iter().for_each(|c| walk(c, out));
        }
        walk(&m, &mut reasons);
        assert_eq!(reasons.iter().filter(|(c, _)| *c).count(), 1, "{reasons:?}");
        let same: Vec<&String> = reasons
            .iter()
            .filter(|(_, r)| r.starts_with("another hit in a sentence already counted"))
            .map(|(_, r)| r)
            .collect();
        assert!(!same.is_empty(), "{reasons:?}");
        for r in same {
            assert!(r.contains("(counted as \""), "{r}");
            assert!(r.contains("\" at 1:"), "{r}");
        }
    }

    #[test]
    fn near_misses_quote_words_without_struck_letters() {
        // "refug~~e~~s" as ingest leaves it: the struck letters are the
        // in-word joiner (0x1F), which must never be printed.
        let e = explain_text(
            "The fence worries the refug\u{1f}\u{1f}\u{1f}\u{1f}\u{1f}s who cross it every week.\n",
            "border",
        );
        let why: Vec<&str> = e.near_misses.iter().map(|n| n.why.as_str()).collect();
        assert!(
            why.iter()
                .any(|w| w.starts_with("\"refugs\" is 2 edits from \"refugees\"")),
            "{why:?}"
        );
        let mut out = Vec::new();
        render_text(&e, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('\u{1f}'), "{text}");
        assert!(text.contains("refugs"), "{text}");
    }

    #[test]
    fn hits_are_located_and_counted_and_the_rule_is_named() {
        let e = explain_text(
            "The Durand Line divides Pashtun tribes and families.\n\nThe Durand Line is still disputed by every Afghan government.\n",
            "border",
        );
        assert_eq!(e.status, Status::Met);
        assert_eq!(
            e.verdict,
            "met: argued in 2 substantive sentences (needs 2)"
        );
        let m = e.matched.unwrap();
        let phrase = &m.children[0];
        assert_eq!(phrase.text.as_deref(), Some("Durand Line"));
        let at: Vec<(usize, usize, bool)> = phrase
            .hits
            .iter()
            .map(|h| (h.line, h.column, h.counted))
            .collect();
        assert_eq!(at, vec![(1, 5, true), (3, 5, true)]);
        assert!(e.rules.iter().any(|r| r.contains("one sentence")));
    }

    #[test]
    fn near_misses_misspellings_words_apart_and_scope() {
        let e = explain_text(
            "The Duand border line was drawn in 1893.\n\nPakistan built a fence along it.\n\nMillions of refugees crossed it.\n",
            "border",
        );
        assert_eq!(e.status, Status::Missing);
        let whys: Vec<&str> = e.near_misses.iter().map(|n| n.why.as_str()).collect();
        assert!(
            whys.iter().any(|w| w
                .starts_with("every part was found, but not within one sentence: \"fence\" at 3:")),
            "{whys:?}"
        );
        assert!(
            whys.contains(&"\"Duand\" is 1 edit from \"durand\", a misspelling the phrase accepts, but the rest of the phrase does not follow it"),
            "{whys:?}"
        );
        let apart = explain_text("The line that Durand drew still divides.\n", "border");
        assert_eq!(
            apart.near_misses[0].why,
            "every word of the phrase is in this sentence, but not together in that order"
        );
        assert_eq!(
            (apart.near_misses[0].line, apart.near_misses[0].column),
            (1, 15)
        );
    }

    #[test]
    fn two_edit_misspellings_are_near_misses() {
        let e = explain_text(
            "Many rufugeis crossed the border after the fence.\n",
            "border",
        );
        assert!(
            e.near_misses.iter().any(|n| n.why
                == "\"rufugeis\" is 2 edits from \"refugees\", more than this phrase accepts"),
            "{:?}",
            e.near_misses
        );
    }

    #[test]
    fn scholars_show_how_they_are_attributed() {
        let e = explain_text(
            "Refugees matter in this essay today.\n\nMaleeha Lodhi argues that diplomacy with Kabul matters most.\n",
            "lodhi",
        );
        assert_eq!(e.status, Status::Met);
        let m = e.matched.unwrap();
        let hit = &m.children[0].hits[0];
        assert_eq!(
            hit.reason.as_deref(),
            Some("cited: a reporting verb near the name attributes a view: \"argues\"")
        );
        let mut out = Vec::new();
        let e = explain_text(
            "Lodhi was ambassador in Washington for many years.\n",
            "lodhi",
        );
        render_text(&e, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains("✘ lodhi — Maleeha Lodhi  0/2 (missing)"),
            "{text}"
        );
        assert!(text.contains("a bare mention"), "{text}");
    }
}
