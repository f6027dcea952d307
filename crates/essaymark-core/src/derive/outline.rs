//! Reading the model answer: its sections (headings, or pseudo-headings in
//! plain text), their roles (introduction, arguments, options, conclusion) and
//! the arguments inside them (sub-headings, list items, clusters of
//! paragraphs on one point).

#[allow(unused_imports)]
use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    Intro,
    Conclusion,
    References,
    Outline,
    Scholars,
    Lens,
    Theme,
}

#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) title: String,
    pub(super) level: u8,
    pub(super) role: Role,
    /// The heading (or heading-like paragraph) block, if any.
    pub(super) head: Option<usize>,
    pub(super) body: Vec<usize>,
}

#[derive(Debug, Clone)]
pub(super) struct Argument {
    pub(super) title: String,
    /// Blocks whose sentences make the argument (heading included).
    pub(super) blocks: Vec<usize>,
    /// Blocks that are the argument's heading (key terms there weigh more).
    pub(super) head: Option<usize>,
    pub(super) line: usize,
}

#[derive(Debug, Clone)]
pub(super) struct SectionOutline {
    pub(super) title: String,
    pub(super) role: Role,
    pub(super) arguments: Vec<Argument>,
}

#[derive(Debug, Clone)]
pub(super) struct Outline {
    /// The title as written (not shortened), for the rubric's `title`.
    pub(super) full_title: Option<String>,
    pub(super) title_block: Option<usize>,
    pub(super) sections: Vec<SectionOutline>,
    /// Blocks of the introduction and of analytical-lens sections: where a
    /// model names the lens it argues with.
    pub(super) framing_blocks: HashSet<usize>,
}

pub(super) fn block_text(doc: &Document, b: usize) -> &str {
    doc.text[doc.blocks[b].span.clone()].trim()
}

/// "(IV)", "II.", "3)", "10": a heading that only numbers what follows.
pub(super) fn is_marker(text: &str) -> bool {
    let core: String = text
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '.' | ':' | ' ' | '-'))
        .collect();
    !core.is_empty()
        && (core.chars().all(|c| c.is_ascii_digit())
            || core.chars().all(|c| matches!(c, 'I' | 'V' | 'X' | 'L')))
}

/// A heading that starts with a section enumerator: "(I) ...", "II. ...", "2. ...", "Part 2".
pub(super) fn is_enumerated(text: &str) -> bool {
    let first = text.split_whitespace().next().unwrap_or("");
    let lower = first.to_lowercase();
    if lower == "part" || lower == "section" || lower == "chapter" {
        return true;
    }
    let core = first
        .trim_start_matches('(')
        .trim_end_matches(['.', ')', ':']);
    core.len() < first.len()
        && !core.is_empty()
        && (core.chars().all(|c| matches!(c, 'I' | 'V' | 'X'))
            || (core.len() <= 2 && core.chars().all(|c| c.is_ascii_digit())))
}

/// Text as a teacher would write it: struck-through letters (the ingest
/// marks them with a control character) and every other control character
/// removed, "~~" remnants dropped, words broken over a line ("de-\nradical")
/// joined, bullets and arrows at the start dropped, white space collapsed.
pub fn clean_text(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            c if c == crate::text::STRUCK_IN_WORD as char => {}
            '-' if chars.peek() == Some(&'\n') => {
                chars.next();
            }
            '~' if chars.peek() == Some(&'~') => {
                chars.next();
            }
            c if c.is_control() => s.push(' '),
            c => s.push(c),
        }
    }
    let s = s.trim_start_matches(|c: char| {
        matches!(c, '→' | '↳' | '•' | '·' | '▪' | '-' | '*' | '>') || c.is_whitespace()
    });
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Strip enumerators, markup residue and trailing punctuation from a heading.
pub(super) fn clean_title(text: &str) -> String {
    let text = clean_text(text);
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words
        .first()
        .is_some_and(|w| is_enumerated(w) || is_marker(w))
    {
        words.remove(0);
    }
    let t = words.join(" ");
    let t = t.trim_matches(|c: char| matches!(c, '.' | ':' | ';' | ',' | '-' | '#' | '*' | ' '));
    let mut out = String::new();
    for w in t.split_whitespace() {
        if out.chars().count() + w.chars().count() > 90 {
            out.push('…');
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Words the model writes capitalised inside its sentences and never in
/// lower case: names ("Kabul", "Indus", "Afghan"), kept capitalised in titles.
pub(super) fn proper_words(doc: &Document) -> HashSet<String> {
    let mut capital: HashSet<String> = HashSet::new();
    let mut lower: HashSet<String> = HashSet::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        if !matches!(block.kind, BlockKind::Paragraph | BlockKind::ListItem) {
            continue;
        }
        for piece in pieces(doc, bi) {
            // A label line ("Duand Line Dispute: ...") is capitalised like
            // a heading; only sentences say what is a name.
            if piece.split_whitespace().count() < 6 || pseudo_heading(piece.trim()) {
                continue;
            }
            for (i, raw) in clean_text(piece).split_whitespace().enumerate() {
                let w = trim_word(raw);
                let Some(first) = w.chars().next() else {
                    continue;
                };
                let key = w.to_lowercase();
                if first.is_uppercase() {
                    if i > 0 {
                        capital.insert(key);
                    }
                } else {
                    lower.insert(key);
                }
            }
        }
    }
    capital.retain(|w| !lower.contains(w));
    capital
}

/// Words the model capitalises after the first word of a line or sentence
/// (list lines included: "Conditional engagement with Kabul") and never
/// writes in lower case: names, which alone do not identify an argument.
pub(super) fn capitalised_names(doc: &Document) -> HashSet<String> {
    let mut capital: HashSet<String> = HashSet::new();
    let mut lower: HashSet<String> = HashSet::new();
    for (bi, block) in doc.blocks.iter().enumerate() {
        for piece in pieces(doc, bi) {
            let line = piece.trim();
            let heading_like = block.kind == BlockKind::Heading
                || pseudo_heading(line)
                || (line.ends_with(':') && line.split_whitespace().count() <= 6);
            for (i, raw) in clean_text(piece).split_whitespace().enumerate() {
                let w = trim_word(raw);
                let Some(first) = w.chars().next() else {
                    continue;
                };
                let key = w.to_lowercase();
                if !first.is_uppercase() {
                    lower.insert(key);
                } else if i > 0 && !heading_like && !is_acronym(w) {
                    capital.insert(key);
                }
            }
        }
    }
    capital.retain(|w| !lower.contains(w));
    capital
}

/// A criterion or section title as a teacher writes it: the heading's main
/// clause (before a colon, when that says enough), in sentence case with
/// acronyms and the model's names kept: "Re-Energization of TTP: Afghan
/// space as a Strategic Enabler." becomes "Re-energization of TTP".
pub(super) fn teacher_title(raw: &str, proper: &HashSet<String>) -> String {
    let cleaned = clean_title(raw);
    let main = cleaned
        .split(": ")
        .next()
        .filter(|m| m.split_whitespace().count() >= 2)
        .unwrap_or(&cleaned)
        .trim_end_matches(['.', ':', ';', ',', '…', '?', '!'])
        .trim();
    let mut out: Vec<String> = Vec::new();
    for (i, word) in main.split_whitespace().enumerate() {
        let core = trim_word(word);
        let keep = is_acronym(core)
            || proper.contains(&core.to_lowercase())
            || (core.chars().count() == 1 && core == "I");
        let w = if keep {
            word.to_string()
        } else {
            word.to_lowercase()
        };
        let w = if i == 0 {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        } else {
            w
        };
        out.push(w);
    }
    out.join(" ")
}

pub(super) fn role_of(title: &str) -> Role {
    let t = title.to_lowercase();
    let starts = |k: &str| t.starts_with(k);
    if starts("introduc") {
        Role::Intro
    } else if starts("conclu") || starts("in conclusion") || starts("summing up") {
        Role::Conclusion
    } else if ["references", "bibliography", "works cited", "further reading"]
        .iter()
        .any(|k| starts(k))
        // "Sources of the smog" is an argument; "Sources" alone a list.
        || matches!(t.trim_end_matches([':', '.']), "sources" | "sources cited" | "sources consulted")
    {
        Role::References
    } else if starts("outline") {
        Role::Outline
    } else if t.contains("scholar") {
        Role::Scholars
    } else if ["lens", "theoretical", "theory", "framework", "perspective"]
        .iter()
        .any(|k| t.contains(k))
    {
        Role::Lens
    } else {
        Role::Theme
    }
}

/// Words of the essay's title (folded): the topic, not any one argument.
pub(super) fn words_of(text: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    for w in fold_token(text) {
        // "Pakistan's" folds to "pakistans": keep "pakistan" too.
        if let Some(base) = w.strip_suffix('s').filter(|b| b.len() >= 3) {
            out.insert(base.to_string());
        }
        out.insert(w);
    }
    out
}

impl Outline {
    pub(super) fn build(doc: &Document, markdown: Option<&str>) -> Outline {
        let title_block = doc
            .blocks
            .first()
            .filter(|b| b.kind == BlockKind::Heading)
            .filter(|_| role_of(block_text(doc, 0)) == Role::Theme)
            .map(|_| 0);
        let title = title_block.map(|b| clean_title(block_text(doc, b)));
        let title_words = title.as_deref().map(words_of).unwrap_or_default();
        let md_levels = markdown.map(|src| markdown_levels(doc, src));
        // The shallowest Markdown heading level below the title: sections.
        let section_level = md_levels.as_ref().and_then(|levels| {
            levels
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != title_block)
                .filter_map(|(_, l)| *l)
                .min()
        });

        let mut units: Vec<Unit> = Vec::new();
        let mut colon_run = false;
        // Blocks seen since the colon that opened the run.
        let mut run_items = 0;
        let mut pending_l1 = false;
        for (i, block) in doc.blocks.iter().enumerate() {
            if Some(i) == title_block {
                continue;
            }
            let text = block_text(doc, i);
            let new_unit = |title: String, level: u8, units: &mut Vec<Unit>| {
                units.push(Unit {
                    role: role_of(&title),
                    title,
                    level,
                    head: Some(i),
                    body: Vec::new(),
                });
            };
            match block.kind {
                BlockKind::Heading => {
                    if is_marker(text) {
                        pending_l1 = true;
                        continue;
                    }
                    let role = role_of(text);
                    // A title-cased heading of four or more words after the
                    // list has begun is a new heading, not one more line.
                    // So is one of four or more words that leads a list of
                    // its own ("Despite fencing, Pakistan faces:"), unless
                    // that line introduces a quotation ("Siddiqi observes:").
                    let leads_list = doc.blocks.get(i + 1).is_some_and(|n| {
                        let t = block_text(doc, i + 1);
                        n.kind == BlockKind::Paragraph
                            && t.ends_with(':')
                            && !fold_token(t).iter().any(|w| reporting_verb(w))
                    });
                    let breaks_run = run_items > 0
                        && text.split_whitespace().count() >= 4
                        && (is_title_case(text) || leads_list);
                    if colon_run && role == Role::Theme && !is_enumerated(text) && !breaks_run {
                        run_items += 1;
                        // A line under "Effects inside Pakistan:" is a list line.
                        push_body(&mut units, i);
                        continue;
                    }
                    let level = match (md_levels.as_ref(), section_level) {
                        (Some(levels), Some(sl)) => {
                            if levels[i].is_some_and(|l| l <= sl) {
                                1
                            } else {
                                2
                            }
                        }
                        _ => {
                            if pending_l1
                                || is_enumerated(text)
                                || role != Role::Theme
                                || is_all_caps(text)
                            {
                                1
                            } else {
                                2
                            }
                        }
                    };
                    pending_l1 = false;
                    colon_run = false;
                    new_unit(clean_title(text), level, &mut units);
                }
                BlockKind::Paragraph if !colon_run && pseudo_heading(text) => {
                    new_unit(clean_title(text), 2, &mut units);
                }
                BlockKind::Paragraph
                    if !colon_run
                        && !units.is_empty()
                        && colon_lead_heading(text, &title_words) =>
                {
                    new_unit(clean_title(text), 2, &mut units);
                    colon_run = true;
                    run_items = 0;
                }
                _ => {
                    push_body(&mut units, i);
                    if colon_run {
                        run_items += 1;
                    }
                    if block.kind == BlockKind::Paragraph {
                        let short_line = text.split_whitespace().count() <= 6
                            && !text.ends_with(['.', '!', '?', '"', '”']);
                        if text.ends_with(':') {
                            colon_run = true;
                            run_items = 0;
                        } else if !short_line {
                            colon_run = false;
                        }
                    }
                }
            }
        }
        // Headings before the first numbered section (after the
        // introduction) are sections of their own; so is everything in an
        // essay whose headings are all one level.
        let themes_l1 = units
            .iter()
            .any(|u| u.level == 1 && matches!(u.role, Role::Theme | Role::Lens));
        let mut seen_l1_theme = false;
        for u in &mut units {
            if u.level == 1 && matches!(u.role, Role::Theme | Role::Lens) {
                seen_l1_theme = true;
            }
            if !themes_l1 || (!seen_l1_theme && u.level == 2) {
                u.level = 1;
            }
        }

        // No headings at all: the body between the opening and closing
        // paragraphs is one section, split into its arguments below.
        if units.is_empty() {
            let body: Vec<usize> = (0..doc.blocks.len())
                .filter(|&b| Some(b) != title_block)
                .collect();
            let paragraphs: Vec<usize> = body
                .iter()
                .copied()
                .filter(|&b| doc.blocks[b].kind == BlockKind::Paragraph)
                .collect();
            let (first, last) = (paragraphs.first().copied(), paragraphs.last().copied());
            let framed = paragraphs.len() >= 4;
            units.push(Unit {
                title: String::new(),
                level: 1,
                role: Role::Theme,
                head: None,
                body: body
                    .into_iter()
                    .filter(|&b| !framed || (Some(b) != first && Some(b) != last))
                    .collect(),
            });
        }
        let mut sections: Vec<SectionOutline> = Vec::new();
        for u in units {
            if u.level == 1 || sections.is_empty() {
                let mut s = SectionOutline {
                    title: u.title.clone(),
                    role: u.role,
                    arguments: Vec::new(),
                };
                let direct = Argument {
                    title: u.title.clone(),
                    blocks: u.head.into_iter().chain(u.body.iter().copied()).collect(),
                    head: u.head,
                    line: line_of(doc, u.head.or(u.body.first().copied()).unwrap_or(0)),
                };
                s.arguments.push(direct);
                sections.push(s);
            } else if let Some(s) = sections.last_mut() {
                s.arguments.push(Argument {
                    title: u.title.clone(),
                    blocks: u.head.into_iter().chain(u.body.iter().copied()).collect(),
                    head: u.head,
                    line: line_of(doc, u.head.unwrap_or(0)),
                });
            }
        }
        // A section's own text before its first sub-heading is an argument
        // only when it says something; a section without sub-headings is
        // split into its substantial list items when it has them.
        for s in &mut sections {
            let direct = s.arguments.remove(0);
            let body_words: usize = direct
                .blocks
                .iter()
                .filter(|&&b| Some(b) != direct.head)
                .map(|&b| content_words(doc, b))
                .sum();
            if s.arguments.is_empty() {
                let items: Vec<usize> = direct
                    .blocks
                    .iter()
                    .copied()
                    .filter(|&b| {
                        doc.blocks[b].kind == BlockKind::ListItem && content_words(doc, b) >= 8
                    })
                    .collect();
                if items.len() >= 2 && s.role == Role::Theme {
                    for b in items {
                        s.arguments.push(Argument {
                            title: item_title(block_text(doc, b)),
                            blocks: vec![b],
                            head: None,
                            line: line_of(doc, b),
                        });
                    }
                } else {
                    s.arguments.push(direct);
                }
            } else if body_words >= 15 {
                s.arguments.insert(0, direct);
            }
        }
        let mut framing_blocks: HashSet<usize> = sections
            .iter()
            .filter(|s| matches!(s.role, Role::Intro | Role::Lens))
            .flat_map(|s| s.arguments.iter().flat_map(|a| a.blocks.iter().copied()))
            .collect();
        // Without an introduction heading, the first paragraph introduces.
        if !sections.iter().any(|s| s.role == Role::Intro) {
            framing_blocks.extend(
                (0..doc.blocks.len()).find(|&b| {
                    doc.blocks[b].kind == BlockKind::Paragraph && Some(b) != title_block
                }),
            );
        }
        // Inside each argument: a list of options or causes becomes one
        // argument per item, and a long run of prose one argument per
        // cluster of paragraphs on one point.
        for s in &mut sections {
            if s.role != Role::Theme && s.role != Role::Lens {
                continue;
            }
            let mut split = Vec::new();
            for a in std::mem::take(&mut s.arguments) {
                for a in split_options(doc, a) {
                    split.extend(split_clusters(doc, a, &title_words));
                }
            }
            s.arguments = split;
        }
        Outline {
            full_title: title_block.map(|b| {
                block_text(doc, b)
                    .trim_matches(|c: char| matches!(c, '#' | '.' | ' '))
                    .to_string()
            }),
            title_block,
            framing_blocks,
            sections,
        }
    }
}

pub(super) fn reporting_verb(word: &str) -> bool {
    static VERBS: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
    VERBS
        .get_or_init(|| {
            REPORTING_VERBS
                .iter()
                .filter(|v| !v.contains(' '))
                .flat_map(|v| inflect::forms(v))
                .collect()
        })
        .contains(word)
}

/// Nouns that announce a list of separate arguments: "Pakistan's realistic
/// options include:", "Causes of the crisis:".
pub(super) const LIST_NOUNS: &[&str] = &[
    "option",
    "options",
    "cause",
    "causes",
    "measure",
    "measures",
    "step",
    "steps",
    "recommendation",
    "recommendations",
    "reason",
    "reasons",
    "factor",
    "factors",
    "solution",
    "solutions",
    "remedy",
    "remedies",
    "driver",
    "drivers",
    "lesson",
    "lessons",
    "way",
    "ways",
    "strategies",
    "proposals",
    "priorities",
    "pillars",
];

/// A block that can be one item of such a list: a bullet, or a short line
/// (a heading, or a paragraph of a few words without a full stop).
pub(super) fn list_line(doc: &Document, b: usize) -> bool {
    let text = block_text(doc, b);
    let words = text.split_whitespace().count();
    match doc.blocks[b].kind {
        BlockKind::ListItem => true,
        BlockKind::Heading | BlockKind::Paragraph => {
            words <= 8 && !text.ends_with(['.', ':', '?', '!', '"', '”'])
        }
        BlockKind::TableRow => false,
    }
}

/// Split an argument at a list of options or causes: each item (three or
/// more) becomes an argument; what is left stays one when it says enough.
pub(super) fn split_options(doc: &Document, arg: Argument) -> Vec<Argument> {
    let announces = |b: usize| {
        let t = block_text(doc, b);
        (t.ends_with(':') || Some(b) == arg.head)
            && fold_token(t)
                .iter()
                .any(|w| LIST_NOUNS.contains(&w.as_str()))
    };
    let blocks = &arg.blocks;
    for (pos, &lead) in blocks.iter().enumerate() {
        if !announces(lead) {
            continue;
        }
        // Items: the list lines right after the lead; a one-word line after
        // an unpunctuated one continues it ("Regional counter-terror" /
        // "Coordination" on two lines of a handwritten page).
        let mut items: Vec<Vec<usize>> = Vec::new();
        for &b in &blocks[pos + 1..] {
            if !list_line(doc, b) {
                break;
            }
            let one_word = block_text(doc, b).split_whitespace().count() == 1;
            match items.last_mut() {
                Some(prev) if one_word && doc.blocks[b].kind != BlockKind::ListItem => prev.push(b),
                _ => items.push(vec![b]),
            }
        }
        if items.len() < 3 {
            continue;
        }
        let in_items: HashSet<usize> = items.iter().flatten().copied().collect();
        let mut out = Vec::new();
        let rest: Vec<usize> = blocks
            .iter()
            .copied()
            .filter(|b| !in_items.contains(b))
            .collect();
        let rest_words: usize = rest
            .iter()
            .filter(|&&b| Some(b) != arg.head && b != lead)
            .map(|&b| content_words(doc, b))
            .sum();
        if rest_words >= 15 {
            out.push(Argument {
                blocks: rest,
                ..arg.clone()
            });
        }
        for item in items {
            let text: Vec<&str> = item.iter().map(|&b| block_text(doc, b)).collect();
            out.push(Argument {
                title: item_title(&text.join(" ")),
                head: Some(item[0]),
                line: line_of(doc, item[0]),
                blocks: item,
            });
        }
        return out;
    }
    vec![arg]
}

/// Paragraphs of at least this many words count towards a long section.
pub(super) const CLUSTER_MIN_PARAGRAPH: usize = 20;
/// A section of fewer prose paragraphs or words is one argument.
pub(super) const CLUSTER_MIN_PARAGRAPHS: usize = 4;
pub(super) const CLUSTER_MIN_WORDS: usize = 200;
/// Adjacent paragraphs sharing less than this share of their distinctive
/// words (of the smaller set) are on different points.
pub(super) const CLUSTER_BREAK: f64 = 0.2;

/// A paragraph's distinctive words: not stop words, not common English, not
/// the essay's title, folded to one form per plural.
pub(super) fn distinctive_words(
    doc: &Document,
    b: usize,
    title_words: &HashSet<String>,
) -> HashSet<String> {
    doc.block_sentences[b]
        .clone()
        .flat_map(|s| doc.sentences[s].tokens.clone())
        .map(|t| doc.fold(t))
        .filter(|w| {
            w.len() >= 4 && !is_stop_word(w) && !is_common_word(w) && !title_words.contains(*w)
        })
        .map(|w| term_key(&[w.to_string()]))
        .collect()
}

/// Split a long argument into clusters of adjacent paragraphs on one point,
/// by the distinctive words adjacent paragraphs share (a new point brings
/// new words). A cluster's title comes later, from its key phrases.
pub(super) fn split_clusters(
    doc: &Document,
    arg: Argument,
    title_words: &HashSet<String>,
) -> Vec<Argument> {
    let words = |b: usize| {
        doc.block_sentences[b]
            .clone()
            .map(|s| doc.sentences[s].tokens.len())
            .sum::<usize>()
    };
    // Units: a prose paragraph with the bullets and short lines after it.
    let mut units: Vec<Vec<usize>> = Vec::new();
    for &b in &arg.blocks {
        if Some(b) == arg.head {
            continue;
        }
        let prose = doc.blocks[b].kind == BlockKind::Paragraph && words(b) >= CLUSTER_MIN_PARAGRAPH;
        match units.last_mut() {
            Some(u) if !prose => u.push(b),
            _ => units.push(vec![b]),
        }
    }
    let prose_units = units
        .iter()
        .filter(|u| {
            doc.blocks[u[0]].kind == BlockKind::Paragraph && words(u[0]) >= CLUSTER_MIN_PARAGRAPH
        })
        .count();
    let total: usize = arg.blocks.iter().map(|&b| words(b)).sum();
    if prose_units < CLUSTER_MIN_PARAGRAPHS || total < CLUSTER_MIN_WORDS {
        return vec![arg];
    }
    let sets: Vec<HashSet<String>> = units
        .iter()
        .map(|u| {
            u.iter()
                .flat_map(|&b| distinctive_words(doc, b, title_words))
                .collect()
        })
        .collect();
    let mut clusters: Vec<Vec<usize>> = vec![Vec::new()];
    let mut current: HashSet<String> = HashSet::new();
    for (i, u) in units.iter().enumerate() {
        if i > 0 {
            // Compared with the cluster so far and with the paragraph just
            // before: a point that returns to the cluster's words stays.
            let overlap = |a: &HashSet<String>, b: &HashSet<String>| {
                a.intersection(b).count() as f64 / a.len().min(b.len()).max(1) as f64
            };
            let sim = overlap(&sets[i], &sets[i - 1]).max(overlap(&sets[i], &current) * 0.8);
            if sim < CLUSTER_BREAK {
                clusters.push(Vec::new());
                current.clear();
            }
        }
        current.extend(sets[i].iter().cloned());
        if let Some(c) = clusters.last_mut() {
            c.extend(u.iter().copied());
        }
    }
    // A section's opening paragraph on its own frames what follows: it
    // belongs to the first point, not a point of its own.
    if arg.head.is_some()
        && clusters.len() > 2
        && clusters[0]
            .iter()
            .filter(|&&b| doc.blocks[b].kind == BlockKind::Paragraph)
            .count()
            == 1
    {
        let first = clusters.remove(0);
        clusters[0].splice(0..0, first);
    }
    if clusters.len() < 2 {
        return vec![arg];
    }
    clusters
        .into_iter()
        .filter(|c| !c.is_empty())
        .map(|blocks| Argument {
            // Each point is titled later by the phrase it repeats (the
            // heading stays the section's title).
            title: String::new(),
            line: line_of(doc, blocks[0]),
            head: None,
            blocks,
        })
        .collect()
}

pub(super) fn push_body(units: &mut [Unit], block: usize) {
    if let Some(u) = units.last_mut() {
        u.body.push(block);
    }
}

pub(super) fn line_of(doc: &Document, block: usize) -> usize {
    doc.blocks
        .get(block)
        .map_or(1, |b| doc.origin.line_col(&doc.text, b.span.start).line)
}

/// Most content words capitalised, as in a title.
pub(super) fn is_title_case(text: &str) -> bool {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
        .filter(|w| !w.is_empty() && !is_stop_word(&w.to_lowercase()))
        .collect();
    let capital = words
        .iter()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count();
    capital >= 2 && capital * 10 >= words.len() * 6
}

pub(super) fn is_all_caps(text: &str) -> bool {
    let letters: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase())
}

/// "Refugee Presence: From humanitarian issues to security stress." — a
/// short stand-alone line with a capitalised label before a colon.
pub(super) fn pseudo_heading(text: &str) -> bool {
    if text.contains('\n') || text.split_whitespace().count() > 14 || text.ends_with(':') {
        return false;
    }
    let Some((label, rest)) = text.split_once(": ") else {
        return false;
    };
    let words: Vec<&str> = label.split_whitespace().collect();
    !rest.trim().is_empty()
        && (1..=5).contains(&words.len())
        && words.iter().all(|w| {
            w.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_numeric())
        })
}

/// "Strategic options for Pakistan:" — a short title-like line that leads
/// a list, naming something the essay's title does not.
pub(super) fn colon_lead_heading(text: &str, title_words: &HashSet<String>) -> bool {
    let Some(lead) = text.strip_suffix(':') else {
        return false;
    };
    let words: Vec<&str> = lead.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 || lead.contains('\n') {
        return false;
    }
    let last_capital = words
        .last()
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_uppercase);
    // Essay words such as "strategic" or "options" are specific enough
    // here: only the general background list rules a word out.
    let specific = fold_token(lead).iter().any(|w| {
        w.len() >= 4
            && !is_stop_word(w)
            && !lexicon::is_background_word(w)
            && !title_words.contains(w)
    });
    last_capital && specific
}

pub(super) fn content_words(doc: &Document, block: usize) -> usize {
    doc.block_sentences[block]
        .clone()
        .flat_map(|s| doc.sentences[s].tokens.clone())
        .filter(|&t| {
            let w = doc.fold(t);
            w.len() > 2 && !is_stop_word(w)
        })
        .count()
}

/// A list item's title: its first sentence or clause, up to ten words.
pub(super) fn item_title(text: &str) -> String {
    let text = clean_text(text);
    let text = text.as_str();
    // The first clause, but not cut at an initial ("M. S. Swaminathan").
    let cut = text
        .char_indices()
        .find(|&(i, c)| {
            matches!(c, ':' | ';')
                || (c == '.' && {
                    let before: Vec<char> = text[..i].chars().rev().take(2).collect();
                    let initial = before.first().is_some_and(|c| c.is_uppercase())
                        && before.get(1).is_none_or(|c| !c.is_alphanumeric());
                    !initial
                })
        })
        .map_or(text.len(), |(i, _)| i);
    let first = text[..cut].trim_matches(|c: char| !c.is_alphanumeric());
    let words: Vec<&str> = first.split_whitespace().take(10).collect();
    clean_title(&words.join(" "))
}

/// Markdown heading levels (`#` count, or 1/2 for underlined headings) of
/// heading blocks, read from the source lines the blocks map back to.
pub(super) fn markdown_levels(doc: &Document, source: &str) -> Vec<Option<u8>> {
    let lines: Vec<&str> = source.lines().collect();
    doc.blocks
        .iter()
        .map(|b| {
            if b.kind != BlockKind::Heading {
                return None;
            }
            let line = doc.origin.line_col(&doc.text, b.span.start).line;
            let raw = lines.get(line.checked_sub(1)?)?.trim_start();
            let hashes = raw.chars().take_while(|&c| c == '#').count();
            if hashes > 0 {
                return Some(hashes.min(6) as u8);
            }
            let under = lines.get(line).map(|l| l.trim()).unwrap_or("");
            if !under.is_empty() && under.chars().all(|c| c == '=') {
                Some(1)
            } else if !under.is_empty() && under.chars().all(|c| c == '-') {
                Some(2)
            } else {
                Some(3)
            }
        })
        .collect()
}

/// A paragraph this long in a model of at most two prose paragraphs is a
/// whole essay written without breaks (a school answer): it is split into
/// its points before the outline is read.
const GIANT_WORDS: usize = 150;
const GIANT_SENTENCES: usize = 8;
/// Without discourse markers, a giant paragraph is cut every this many
/// sentences.
const CHUNK_SENTENCES: usize = 4;

/// Words that open a new point ("My second reason ...", "Finally, ...")
/// or the closing ("In conclusion", "I hope ..."), as folded word runs.
const NEW_POINT: &[&[&str]] = &[
    &["first"],
    &["firstly"],
    &["second"],
    &["secondly"],
    &["third"],
    &["thirdly"],
    &["fourth"],
    &["fourthly"],
    &["finally"],
    &["lastly"],
    &["another"],
    &["furthermore"],
    &["moreover"],
    &["additionally"],
    &["besides"],
    &["in", "addition"],
    &["on", "top", "of"],
    &["my", "first"],
    &["my", "second"],
    &["my", "third"],
    &["my", "fourth"],
    &["my", "final"],
    &["my", "last"],
    &["my", "next"],
    &["the", "first", "reason"],
    &["the", "second", "reason"],
    &["the", "third", "reason"],
    &["one", "reason"],
    &["some", "people"],
    &["in", "conclusion"],
    &["to", "conclude"],
    &["to", "sum", "up"],
    &["in", "summary"],
    &["overall"],
    &["i", "hope"],
    &["for", "these", "reasons"],
    &["for", "all", "these", "reasons"],
];

/// A letter's salutation ("Dear Editor,") or sign-off ("Yours faithfully,",
/// the writer's name after it): not part of the argument.
fn is_letter_frame(doc: &Document, b: usize) -> bool {
    is_frame_line(block_text(doc, b))
}

/// One line of a letter's frame: "Dear Editor,", "Yours faithfully,",
/// "Kind regards".
fn is_frame_line(line: &str) -> bool {
    let words = fold_token(line);
    (words.first().is_some_and(|w| w == "dear") && words.len() <= 4 && line.trim().ends_with(','))
        || (words.first().is_some_and(|w| w == "yours") && words.len() <= 3)
        || matches!(
            words.iter().map(String::as_str).collect::<Vec<_>>()[..],
            ["regards"] | ["best", "regards"] | ["kind", "regards"] | ["sincerely"]
        )
}

/// The model re-read for drafting when its shape hides its arguments: a
/// letter's salutation and sign-off left out (and the name under the
/// sign-off, which would read as a heading), and a giant paragraph split
/// into one paragraph per point at the markers that open each ("My second
/// reason", "Finally"), or every few sentences when there are none. The
/// text is the model's own, so every position still points into it.
/// `None` when the model needs neither.
pub(super) fn reshaped(doc: &Document) -> Option<Document> {
    let n = doc.blocks.len();
    // A salutation or sign-off may share a block with the letter (no blank
    // line between them): trim such first and last lines off the span.
    let mut spans: Vec<std::ops::Range<usize>> = Vec::with_capacity(n);
    let mut signed_at: Option<usize> = None;
    for (b, block) in doc.blocks.iter().enumerate() {
        let mut span = block.span.clone();
        if block.kind == BlockKind::Paragraph {
            let text = &doc.text[span.clone()];
            if let Some(nl) = text.find('\n').filter(|&nl| is_frame_line(&text[..nl])) {
                span.start += nl + 1;
            }
            let text = &doc.text[span.clone()];
            let body = text.trim_end();
            if let Some(nl) = body
                .rfind('\n')
                .filter(|&nl| is_frame_line(&body[nl + 1..]))
            {
                span.end = span.start + nl;
                signed_at = Some(b);
            }
        }
        spans.push(span);
    }
    let last_paragraph = (0..n)
        .rev()
        .find(|&b| doc.blocks[b].kind == BlockKind::Paragraph && !is_letter_frame(doc, b))?;
    let mut drop: Vec<bool> = (0..n).map(|b| is_letter_frame(doc, b)).collect();
    let signed = signed_at == Some(last_paragraph) || (last_paragraph + 1..n).any(|b| drop[b]);
    if signed {
        // The name and school under "Yours faithfully," are no heading.
        for d in drop.iter_mut().skip(last_paragraph + 1) {
            *d = true;
        }
    }
    let trimmed = spans.iter().zip(&doc.blocks).any(|(s, b)| *s != b.span);
    let prose: Vec<usize> = (0..n)
        .filter(|&b| !drop[b] && doc.blocks[b].kind == BlockKind::Paragraph)
        .filter(|&b| content_words(doc, b) >= 40)
        .collect();
    let giant = |b: usize| {
        doc.block_sentences[b].len() >= GIANT_SENTENCES
            && doc.sentences[doc.block_sentences[b].clone()]
                .iter()
                .map(|s| s.tokens.len())
                .sum::<usize>()
                >= GIANT_WORDS
    };
    let split: Vec<usize> = if prose.len() <= 2 {
        prose.iter().copied().filter(|&b| giant(b)).collect()
    } else {
        Vec::new()
    };
    if split.is_empty() && !trimmed && !drop.iter().any(|&d| d) {
        return None;
    }
    let mut blocks = Vec::new();
    for (b, block) in doc.blocks.iter().enumerate() {
        if drop[b] {
            continue;
        }
        let span = spans[b].clone();
        if !split.contains(&b) {
            let mut block = block.clone();
            block.span = span;
            blocks.push(block);
            continue;
        }
        // Sentences inside the trimmed span (the salutation is a sentence
        // of its own only when it ends with a full stop).
        let all = doc.block_sentences[b].clone();
        let sentences = all
            .clone()
            .find(|&si| doc.sentences[si].span.end > span.start)
            .unwrap_or(all.start)
            ..all
                .clone()
                .rev()
                .find(|&si| doc.sentences[si].span.start < span.end)
                .map_or(all.end, |si| si + 1);
        let opens = |si: usize| {
            let t = doc.sentences[si].tokens.clone();
            let words: Vec<&str> = t.take(4).map(|i| doc.fold(i)).collect();
            NEW_POINT
                .iter()
                .any(|m| words.len() >= m.len() && words[..m.len()] == **m)
        };
        let marked: Vec<usize> = sentences.clone().filter(|&si| opens(si)).collect();
        let starts: Vec<usize> = if marked.len() >= 2 {
            std::iter::once(sentences.start)
                .chain(marked.into_iter().filter(|&si| si != sentences.start))
                .collect()
        } else {
            sentences.clone().step_by(CHUNK_SENTENCES).collect()
        };
        for (k, &si) in starts.iter().enumerate() {
            let start = if k == 0 {
                span.start
            } else {
                doc.sentences[si].span.start
            };
            let end = starts
                .get(k + 1)
                .map_or(span.end, |&next| doc.sentences[next].span.start);
            blocks.push(crate::text::Block::new(BlockKind::Paragraph, start..end));
        }
    }
    Some(Document::new(doc.text.clone(), blocks, doc.origin.clone()))
}

#[cfg(test)]
mod reshape_tests {
    use super::*;

    #[test]
    fn a_letter_in_one_paragraph_is_split_at_its_markers_and_loses_its_frame() {
        let body = "I think the council should open a library by the school. My first reason is that students have nowhere quiet to work after lessons, because homes are crowded and the old library shuts at five. A branch near the gates would be safe and close, and younger pupils could wait there for their parents instead of standing at the bus stop in the rain. Teachers say that homework handed in from the old library is better finished than work done at a kitchen table. My second reason is computers: many families have no broadband, so children cannot do online homework and parents cannot apply for jobs. Free machines would change that, and a librarian could show older people how to fill in forms online, book a doctor or renew a licence without paying a shop to do it for them. Finally, some will say it costs too much, but the land already belongs to the town and the running costs are small next to what it gives back. Pupils would pass more exams and adults would read more. I hope the council will agree.";
        let text = format!("Dear Editor,\n{body}\nYours faithfully,\nAmina Khan, Year 9\n");
        // Shaped as a pupil types it: salutation and sign-off in the block.
        let doc = Document::from_plain_text(text);
        let re = reshaped(&doc).expect("reshaped");
        let paragraphs: Vec<&str> = re
            .blocks
            .iter()
            .map(|b| re.text[b.span.clone()].trim())
            .collect();
        assert_eq!(paragraphs.len(), 5, "{paragraphs:#?}");
        assert!(paragraphs[0].starts_with("I think the council"));
        assert!(paragraphs[1].starts_with("My first reason"));
        assert!(paragraphs[2].starts_with("My second reason"));
        assert!(paragraphs[3].starts_with("Finally, some will say"));
        assert!(paragraphs[4].starts_with("I hope"));
        assert!(!paragraphs[4].contains("Yours") && !paragraphs[4].contains("Amina"));
        assert!(re.blocks.iter().all(|b| b.kind == BlockKind::Paragraph));
    }

    #[test]
    fn an_essay_in_paragraphs_is_left_as_it_is() {
        let doc = Document::from_plain_text(
            "Water is scarce in Pakistan and the reasons are many.\n\nCanal water is priced below cost, so farmers waste it.\n\nGlaciers are melting faster every decade.\n".into(),
        );
        assert!(reshaped(&doc).is_none());
    }
}
