//! The draft rubric: criteria from the outline and the chosen phrases, ids,
//! points, feedback, and the YAML and `--report` text written from it.

#[allow(unused_imports)]
use super::*;

#[derive(Debug, Clone)]
pub(super) enum Body {
    Argument {
        matcher: Vec<String>,
        develop: Vec<String>,
    },
    Scholar {
        name: String,
        aliases: Vec<String>,
    },
    Structure(String),
}

#[derive(Debug, Clone)]
pub(super) struct DraftCriterion {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) points: f64,
    pub(super) feedback: String,
    pub(super) body: Body,
    pub(super) min_hits: Option<u32>,
    /// Where it came from, for a comment.
    pub(super) origin: String,
    pub(super) notes: Notes,
}

/// What `--report` and the draft's comments say about a criterion.
#[derive(Debug, Clone, Default)]
pub(super) struct Notes {
    /// The model's blocks the criterion was drawn from.
    pub(super) blocks: Vec<usize>,
    /// Phrases considered and not kept, with the reason.
    pub(super) dropped: Vec<(String, DropReason)>,
    /// WordNet synonyms of its phrases, offered in a comment.
    pub(super) synonyms: Vec<String>,
    /// The model's own sentences that make the argument (`examples:`).
    pub(super) examples: Vec<String>,
}

impl DraftCriterion {
    pub(super) fn is_argument(&self) -> bool {
        matches!(self.body, Body::Argument { .. })
    }
}

#[derive(Debug, Clone)]
pub(super) struct DraftSection {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) kind: Kind,
    pub(super) criteria: Vec<DraftCriterion>,
}

#[derive(Debug, Clone)]
pub(super) struct DraftRubric {
    pub(super) id: String,
    pub(super) title: String,
    pub(super) sections: Vec<DraftSection>,
    pub(super) lenses: Vec<String>,
}

pub(super) fn slug(text: &str, max_words: usize) -> String {
    let words: Vec<String> = fold_token(text)
        .into_iter()
        .filter(|w| !is_stop_word(w))
        .map(|w| {
            w.chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .take(max_words)
        .collect();
    let mut s = words.join("-");
    s.truncate(48);
    s.trim_end_matches('-').to_string()
}

pub(super) fn unique(id: String, used: &mut HashSet<String>, fallback: &str) -> String {
    let base = if id.is_empty() {
        fallback.to_string()
    } else {
        id
    };
    let mut candidate = base.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

impl DraftRubric {
    pub(super) fn new(doc: &Document, outline: &Outline, opts: &DeriveOptions) -> DraftRubric {
        let title = outline.full_title.clone().unwrap_or_else(|| {
            std::path::Path::new(&opts.source)
                .file_stem()
                .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
                .unwrap_or_else(|| "Derived rubric".into())
        });
        let title_words = words_of(&title);
        let id = opts
            .id
            .clone()
            .unwrap_or_else(|| slug(title.split(':').next().unwrap_or(&title), 5));
        let id = if id.is_empty() {
            "derived-rubric".to_string()
        } else {
            id
        };
        let mut used_ids: HashSet<String> = HashSet::new();
        // Phrases already claimed by a criterion: no other criterion may use
        // an overlapping one, so one sentence never scores twice.
        let mut claimed: Vec<String> = Vec::new();
        let mut sections: Vec<DraftSection> = Vec::new();

        // Lenses: triggers found in the model outside its title.
        let found_lenses = found_lenses(doc, outline);
        let mut lens_ids = Vec::new();
        if !found_lenses.is_empty() {
            let mut criteria = Vec::new();
            for lens in &found_lenses {
                let matcher: Vec<String> = lens
                    .triggers
                    .iter()
                    .filter(|t| !claimed.iter().any(|c| phrases_overlap(c, t)))
                    .cloned()
                    .collect();
                claimed.extend(matcher.iter().cloned());
                lens_ids.push(lens.id.clone());
                criteria.push(DraftCriterion {
                    id: unique(format!("lens-{}", lens.id), &mut used_ids, "lens"),
                    title: lens.title.clone(),
                    points: 5.0,
                    feedback: lens.feedback.clone(),
                    body: Body::Argument {
                        matcher,
                        develop: lens.develop.clone(),
                    },
                    min_hits: None,
                    origin: "the built-in lens lexicon".into(),
                    notes: Notes::default(),
                });
            }
            sections.push(DraftSection {
                id: String::new(),
                title: "Analytical lens".into(),
                kind: Kind::Lens,
                criteria,
            });
        }

        // Scholars, claimed before themes so names never become theme phrases.
        let people = scholars(doc, &title_words);
        let mut name_words: HashSet<String> = HashSet::new();
        let mut scholar_criteria = Vec::new();
        for (name, line) in &people {
            let words: Vec<&str> = name.split_whitespace().collect();
            let surname = words.last().copied().unwrap_or(name);
            let mut aliases = Vec::new();
            if words.len() >= 3 {
                aliases.push(words[words.len() - 2..].join(" "));
            }
            if surname.chars().count() >= 4 && !is_common_word(&surname.to_lowercase()) {
                aliases.push(surname.to_string());
            }
            aliases.retain(|a| !claimed.iter().any(|c| phrases_overlap(c, a)));
            name_words.extend(fold_token(name));
            claimed.push(name.clone());
            claimed.extend(aliases.iter().cloned());
            scholar_criteria.push(DraftCriterion {
                id: unique(slug(surname, 1), &mut used_ids, "scholar"),
                title: name.clone(),
                points: 2.0,
                feedback: format!(
                    "Cite {name}: attribute a view to them (\"{surname} argues that ...\") or quote them."
                ),
                body: Body::Scholar {
                    name: name.clone(),
                    aliases,
                },
                min_hits: None,
                origin: format!("cited at line {line}"),
                notes: Notes::default(),
            });
        }

        // Themes: every argument's key terms, each term given to the
        // argument where it weighs most.
        let mut args: Vec<(usize, &Argument)> = Vec::new();
        for (si, s) in outline.sections.iter().enumerate() {
            let skip = match s.role {
                Role::Theme => false,
                Role::Lens => !found_lenses.is_empty(),
                _ => true,
            };
            if !skip {
                args.extend(s.arguments.iter().map(|a| (si, a)));
            }
        }
        let names = capitalised_names(doc);
        let proper: HashSet<String> = proper_words(doc).union(&names).cloned().collect();
        let mut dropped: Vec<Vec<(String, DropReason)>> = vec![Vec::new(); args.len()];
        let pairs = acronym_pairs(doc);
        let mut per_arg: Vec<HashMap<String, Found>> = args
            .iter()
            .zip(dropped.iter_mut())
            .map(|((_, a), d)| candidates(doc, a, &title_words, &name_words, d))
            .collect();
        // An argument whose heading names a spelled-out acronym ("Integrated
        // Energy Planning") has that phrase even when its words are the
        // essay's topic, so the criterion titled with it contains it.
        for ((_, a), found) in args.iter().zip(per_arg.iter_mut()) {
            let Some(head) = a.head else { continue };
            let heading = format!(" {} ", fold_token(block_text(doc, head)).join(" "));
            for (acronym, expansion) in &pairs {
                for term in [acronym, expansion] {
                    let words = fold_token(term);
                    if heading.contains(&format!(" {} ", words.join(" "))) {
                        let e = found.entry(term_key(&words)).or_insert(Found {
                            text: term.clone(),
                            tf: 0.0,
                            in_heading: true,
                            count: 0,
                        });
                        e.tf += 3.0;
                        e.count += 1;
                        e.in_heading = true;
                    }
                }
            }
        }
        let mut df: HashMap<&str, usize> = HashMap::new();
        for c in &per_arg {
            for k in c.keys() {
                *df.entry(k.as_str()).or_default() += 1;
            }
        }
        let partner = |text: &str| -> Option<String> {
            let key = term_key(&fold_token(text));
            pairs.iter().find_map(|(a, e)| {
                if term_key(&fold_token(a)) == key {
                    Some(e.clone())
                } else if term_key(&fold_token(e)) == key {
                    Some(a.clone())
                } else {
                    None
                }
            })
        };
        // Reporting verbs ("observes", "warns") develop nothing.
        let reporting: HashSet<String> = REPORTING_VERBS
            .iter()
            .flat_map(|v| inflect::forms(v))
            .collect();
        let intro_words: HashSet<&str> = outline
            .framing_blocks
            .iter()
            .flat_map(|&b| doc.block_sentences[b].clone())
            .flat_map(|si| doc.sentences[si].tokens.clone())
            .map(|t| doc.fold(t))
            .collect();
        let n = args.len().max(1);
        let spread_limit = ((n as f64 * TOPIC_SHARE).ceil() as usize).max(MIN_SPREAD);
        let mut ranked: Vec<(f64, usize, Candidate)> = Vec::new();
        let mut develop_pool: Vec<Vec<Candidate>> = vec![Vec::new(); args.len()];
        for (ai, c) in per_arg.iter().enumerate() {
            for (key, f) in c {
                let d = df.get(key.as_str()).copied().unwrap_or(1);
                let idf = ((n as f64 + 1.0) / (d as f64 + 0.5)).ln().max(0.1);
                let cand = Candidate {
                    text: clean_text(&f.text),
                    // The heading names the argument: its terms come first,
                    // so a criterion titled with a phrase always has it.
                    score: f.tf * idf + if f.in_heading { 100.0 } else { 0.0 },
                    central: f.in_heading || f.count >= 2,
                };
                // Spread over the essay, it is the topic, not this argument
                // (unless this argument's heading names it).
                if d > spread_limit && !f.in_heading {
                    note_drop(&mut dropped[ai], cand.text.clone(), DropReason::Spread);
                    continue;
                }
                let single = !key.contains(' ');
                let acronym = is_acronym(&f.text);
                let name_alone = single && !acronym && names.contains(key.as_str());
                if single && !reporting.contains(key) && !is_common_word(key) {
                    develop_pool[ai].push(cand.clone());
                }
                if name_alone {
                    note_drop(&mut dropped[ai], cand.text.clone(), DropReason::NameAlone);
                    continue;
                }
                // A single word identifies an argument only when it is an
                // acronym, or a term the argument names in its heading or
                // repeats and no other argument uses.
                // A word said once fills a criterion only when it is a
                // long noun-like term ("skirmishes", "intelligence"), not an
                // adjective ("peaceful", "diplomatic", "informal").
                let specific = key.len() >= 7
                    && !is_weak_head(key)
                    && ![
                        "ful", "ous", "ive", "al", "ic", "ible", "able", "ile", "ent", "ant",
                    ]
                    .iter()
                    .any(|s| key.ends_with(s));
                // Frequent English said once in passing identifies nothing
                // alone; repeated in this argument and no other, it is the
                // argument's own word (a school essay's "computers").
                // (A word of the introduction is the essay's subject: the
                // letter's "council", not the argument about cost.)
                let own = f.count >= 2 && d <= 1 && !intro_words.contains(key.as_str());
                if single && !acronym && !f.in_heading && !own && lexicon::is_frequent_word(key) {
                    note_drop(&mut dropped[ai], cand.text.clone(), DropReason::Frequent);
                    continue;
                }
                if !single || acronym || (d <= 1 && (cand.central || specific)) || f.in_heading {
                    ranked.push((cand.score, ai, cand));
                } else if d > 1 {
                    note_drop(&mut dropped[ai], cand.text.clone(), DropReason::Shared);
                }
            }
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.text.cmp(&b.2.text)));
        let mut chosen: Vec<Vec<String>> = vec![Vec::new(); args.len()];
        let clashes = |chosen: &Vec<Vec<String>>, claimed: &Vec<String>, ai: usize, text: &str| {
            claimed.iter().any(|c| phrases_overlap(c, text))
                || chosen.iter().enumerate().any(|(other, list)| {
                    other != ai && list.iter().any(|c| phrases_overlap(c, text))
                })
        };
        // Central terms first; passing details only fill a criterion that
        // would otherwise have too few phrases (a terse model answer).
        for (pass, limit) in [(true, MATCH_PHRASES), (false, FILL_PHRASES)] {
            for (_, ai, cand) in &ranked {
                if chosen[*ai].len() >= limit || (pass && !cand.central) {
                    continue;
                }
                // A lens, a scholar or another argument has a phrase that
                // overlaps it: the same sentence would score twice.
                if clashes(&chosen, &claimed, *ai, &cand.text) {
                    note_drop(&mut dropped[*ai], cand.text.clone(), DropReason::Shared);
                    continue;
                }
                // Overlaps a phrase this criterion already has: redundant.
                if chosen[*ai].iter().any(|c| phrases_overlap(c, &cand.text)) {
                    continue;
                }
                chosen[*ai].push(cand.text.clone());
                // An acronym brings its expansion, and the other way round;
                // a prefixed word its closed-up spelling.
                if let Some(p) = partner(&cand.text).or_else(|| closed_up(&cand.text)) {
                    if !clashes(&chosen, &claimed, *ai, &p)
                        && !chosen[*ai].iter().any(|c| phrases_overlap(c, &p))
                    {
                        chosen[*ai].push(p);
                    }
                }
            }
        }
        let mut theme_sections: Vec<DraftSection> = Vec::new();
        let mut current: Option<usize> = None;
        for (ai, (si, arg)) in args.iter().enumerate() {
            let matcher = chosen[ai].clone();
            if matcher.is_empty() {
                continue;
            }
            let mut pool = develop_pool[ai].clone();
            pool.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.text.cmp(&b.text)));
            let develop: Vec<String> = pool
                .into_iter()
                .map(|c| c.text)
                .filter(|t| !matcher.iter().any(|m| phrases_overlap(m, t)))
                .filter(|t| !claimed.iter().any(|m| phrases_overlap(m, t)))
                .take(DEVELOP_TERMS)
                .collect();
            // An argument without a heading (a cluster of paragraphs) is
            // titled by its leading multi-word phrase.
            let title = if arg.title.is_empty() {
                let repeated = cluster_title(doc, &arg.blocks);
                let lead = repeated.as_ref().unwrap_or_else(|| {
                    matcher
                        .iter()
                        .find(|m| m.contains(' ') && !m.ends_with('*'))
                        .unwrap_or(&matcher[0])
                });
                teacher_title(lead, &proper)
            } else {
                teacher_title(&arg.title, &proper)
            };
            // Terms as a student writes them: no wildcards, no second
            // spelling of the same word.
            let key_terms: Vec<String> = matcher
                .iter()
                .filter(|m| {
                    !m.ends_with('*')
                        && !matcher
                            .iter()
                            .any(|o| closed_up(o).as_deref() == Some(m.as_str()))
                })
                .take(4)
                .cloned()
                .collect();
            // Without a heading, the argument is titled by the claim it
            // opens with; its id stays the short term it rests on.
            let id_title = title.clone();
            let claim = arg
                .title
                .is_empty()
                .then(|| claim_title(doc, &arg.blocks))
                .flatten();
            // A one-word heading ("Result") says too little: the claim its
            // first sentence makes titles it instead.
            let claim = claim.or_else(|| {
                (title.split_whitespace().count() < 2)
                    .then(|| claim_title(doc, &arg.blocks))
                    .flatten()
            });
            let (title, verb) = match claim {
                Some(c) => (c, "Argue that"),
                None => (title, "Discuss"),
            };
            let topic = lower_first(&title, &proper);
            let feedback = if key_terms.is_empty() {
                format!("{verb} {topic}, and support it with causes, effects or evidence.")
            } else {
                format!(
                    "{verb} {topic}: use terms such as {}, and support it with causes, effects or evidence.",
                    join_and(&key_terms)
                )
            };
            let synonyms = matcher
                .iter()
                .filter(|m| !is_acronym(m) && !m.ends_with('*'))
                // A name's "synonyms" are other names ("Chinese" → "Taiwanese").
                .filter(|m| {
                    !m.split_whitespace()
                        .any(|w| proper.contains(&w.to_lowercase()))
                })
                .flat_map(|m| lexicon::synonyms(&m.to_lowercase(), 3))
                .filter(|s| !matcher.iter().any(|m| phrases_overlap(m, s)))
                .fold(Vec::new(), |mut acc: Vec<String>, s| {
                    if !acc.contains(&s) && acc.len() < SYNONYMS {
                        acc.push(s);
                    }
                    acc
                });
            let examples = model_examples(doc, &arg.blocks, &matcher);
            let criterion = DraftCriterion {
                id: unique(slug(&id_title, 4), &mut used_ids, "argument"),
                title,
                points: 4.0,
                feedback,
                body: Body::Argument { matcher, develop },
                min_hits: None,
                origin: format!("the model's argument at line {}", arg.line),
                notes: Notes {
                    blocks: arg.blocks.clone(),
                    dropped: dropped[ai].clone(),
                    synonyms,
                    examples,
                },
            };
            if current != Some(*si) {
                current = Some(*si);
                let s = &outline.sections[*si];
                theme_sections.push(DraftSection {
                    id: String::new(),
                    title: if s.title.is_empty() {
                        "Main arguments".into()
                    } else {
                        teacher_title(&s.title, &proper)
                    },
                    kind: Kind::Theme,
                    criteria: Vec::new(),
                });
            }
            if let Some(s) = theme_sections.last_mut() {
                s.criteria.push(criterion);
            }
        }
        sections.extend(theme_sections);
        if !scholar_criteria.is_empty() {
            sections.push(DraftSection {
                id: String::new(),
                title: "Scholars cited".into(),
                kind: Kind::Scholar,
                criteria: scholar_criteria,
            });
        }
        let structure = structure_criteria(
            doc,
            outline,
            opts.words
                .or_else(|| short_model_words(doc))
                .unwrap_or(DEFAULT_WORDS),
            &mut used_ids,
        );
        if !structure.is_empty() {
            sections.push(DraftSection {
                id: String::new(),
                title: "Structure".into(),
                kind: Kind::Structure,
                criteria: structure,
            });
        }
        // Section ids last: criterion ids get the plain slugs.
        for s in &mut sections {
            let base = match s.kind {
                Kind::Lens => "lens".to_string(),
                Kind::Scholar => "scholars".to_string(),
                Kind::Structure => "structure".to_string(),
                Kind::Theme => slug(&s.title, 3),
            };
            let base = if used_ids.contains(&base) {
                format!("{base}-section")
            } else {
                base
            };
            s.id = unique(base, &mut used_ids, "section");
        }
        DraftRubric {
            id,
            title,
            sections,
            lenses: lens_ids,
        }
    }

    /// The `--report` text: for each argument criterion, where in the model
    /// it comes from, the phrases kept, the phrases dropped and why, and the
    /// synonyms offered.
    pub(super) fn report(&self, doc: &Document, misspellings: &[Misspelling]) -> String {
        let mut r = String::new();
        if !misspellings.is_empty() {
            let _ = writeln!(
                r,
                "Likely misspellings in the model (corrected in the draft)"
            );
            for m in misspellings {
                let times = if m.count > 1 {
                    format!(", {} times", m.count)
                } else {
                    String::new()
                };
                let _ = writeln!(
                    r,
                    "  {}:{} {} -> {} ({}{times})",
                    m.line, m.column, m.word, m.suggestion, m.because
                );
            }
            let _ = writeln!(r);
        }
        for s in &self.sections {
            let _ = writeln!(r, "{} ({})", s.title, s.kind.as_str());
            for c in &s.criteria {
                let _ = writeln!(r, "  {} — {}", c.id, c.title);
                match &c.body {
                    Body::Argument { matcher, develop } => {
                        if c.notes.blocks.is_empty() {
                            let _ = writeln!(r, "    from {}", c.origin);
                        } else {
                            let _ = writeln!(r, "    from the model:");
                        }
                        let sentences =
                            c.notes.blocks.iter().flat_map(|&b| {
                                doc.block_sentences[b].clone().map(move |si| (b, si))
                            });
                        for (b, si) in sentences.take(REPORT_SENTENCES) {
                            let span = doc.sentences[si].span.clone();
                            let pos = doc.origin.line_col(&doc.text, span.start);
                            let text = clean_text(&doc.text[span]);
                            let text = if text.chars().count() > 110 {
                                format!("{}…", text.chars().take(110).collect::<String>())
                            } else {
                                text
                            };
                            let head = if doc.blocks[b].kind == BlockKind::Heading {
                                " (heading)"
                            } else {
                                ""
                            };
                            let _ = writeln!(r, "      {}:{} {text}{head}", pos.line, pos.column);
                        }
                        let _ = writeln!(r, "    match:   {}", matcher.join(", "));
                        if !develop.is_empty() {
                            let _ = writeln!(r, "    develop: {}", develop.join(", "));
                        }
                        // The phrases worth a look first: those taken
                        // elsewhere or ruled out as background; a common
                        // word only when the argument repeats it.
                        let said = |word: &str| {
                            c.notes
                                .blocks
                                .iter()
                                .flat_map(|&b| doc.block_sentences[b].clone())
                                .flat_map(|si| doc.sentences[si].tokens.clone())
                                .filter(|&t| doc.fold(t) == word)
                                .count()
                        };
                        let mut dropped: Vec<&(String, DropReason)> = c
                            .notes
                            .dropped
                            .iter()
                            .filter(|(t, why)| {
                                *why != DropReason::Common || said(&t.to_lowercase()) >= 2
                            })
                            .collect();
                        dropped.sort_by_key(|(_, why)| *why as u8);
                        if !dropped.is_empty() {
                            let _ = writeln!(r, "    dropped:");
                            for (text, why) in dropped.into_iter().take(REPORT_DROPPED) {
                                let _ = writeln!(r, "      {text:<28} {}", why.as_str());
                            }
                        }
                        if !c.notes.synonyms.is_empty() {
                            let _ = writeln!(
                                r,
                                "    synonyms (WordNet): {}",
                                c.notes.synonyms.join(", ")
                            );
                        }
                    }
                    Body::Scholar { aliases, .. } => {
                        let _ = writeln!(r, "    {}; aliases: {}", c.origin, aliases.join(", "));
                    }
                    Body::Structure(check) => {
                        let _ = writeln!(r, "    check: {check}");
                    }
                }
            }
        }
        r
    }

    /// Carry the corrections of the model's misspellings into every title,
    /// id, name, feedback and phrase. A corrected phrase that now overlaps
    /// a phrase of another criterion ("ITP" become "TTP") is left out, so
    /// one sentence still scores once.
    pub(super) fn correct(&mut self, fixes: &[Misspelling]) {
        if fixes.is_empty() {
            return;
        }
        let fix = |t: &mut String| *t = spelling::correct(t, fixes);
        fix(&mut self.title);
        fix(&mut self.id);
        let mut changed: Vec<(usize, usize, String)> = Vec::new();
        for (si, s) in self.sections.iter_mut().enumerate() {
            fix(&mut s.title);
            for (ci, c) in s.criteria.iter_mut().enumerate() {
                fix(&mut c.id);
                fix(&mut c.title);
                fix(&mut c.feedback);
                match &mut c.body {
                    Body::Argument { matcher, develop } => {
                        for p in matcher.iter_mut() {
                            let fixed = spelling::correct(p, fixes);
                            if fixed != *p {
                                changed.push((si, ci, fixed.clone()));
                                *p = fixed;
                            }
                        }
                        develop.iter_mut().for_each(fix);
                        c.notes.examples.iter_mut().for_each(fix);
                    }
                    Body::Scholar { name, aliases } => {
                        fix(name);
                        aliases.iter_mut().for_each(fix);
                    }
                    Body::Structure(_) => {}
                }
            }
        }
        for (si, ci, phrase) in changed {
            // "recieve" corrected is a common word, no term on its own.
            let lone = !phrase.contains(' ') && lexicon::is_frequent_word(&phrase.to_lowercase());
            let own_copies = match &self.sections[si].criteria[ci].body {
                Body::Argument { matcher, .. } => matcher.iter().filter(|q| **q == phrase).count(),
                _ => 0,
            };
            let elsewhere = self.sections.iter().enumerate().any(|(sj, s)| {
                s.criteria.iter().enumerate().any(|(cj, c)| {
                    let phrases: Vec<&String> = match &c.body {
                        Body::Argument { matcher, .. } => matcher.iter().collect(),
                        Body::Scholar { name, aliases } => {
                            std::iter::once(name).chain(aliases).collect()
                        }
                        Body::Structure(_) => Vec::new(),
                    };
                    (sj, cj) != (si, ci)
                        && phrases
                            .iter()
                            .any(|p| **p == phrase || phrases_overlap(p, &phrase))
                })
            });
            let clash = lone || own_copies > 1 || elsewhere;
            if clash {
                let c = &mut self.sections[si].criteria[ci];
                if let Body::Argument { matcher, .. } = &mut c.body {
                    if let Some(at) = matcher.iter().rposition(|q| *q == phrase) {
                        matcher.remove(at);
                    }
                }
                note_drop(&mut c.notes.dropped, phrase, DropReason::Misspelt);
            }
        }
    }

    pub(super) fn find(&mut self, id: &str) -> Option<&mut DraftCriterion> {
        self.sections
            .iter_mut()
            .flat_map(|s| s.criteria.iter_mut())
            .find(|c| c.id == id)
    }

    /// Keep at most `max` theme arguments: the ones the model gives most
    /// words to (ties in the model's order). A teacher reviews twenty
    /// criteria, not forty; the lightest go first. Returns the ids removed.
    pub(super) fn keep_weightiest(&mut self, doc: &Document, max: usize) -> Vec<String> {
        let weight = |c: &DraftCriterion| -> usize {
            c.notes
                .blocks
                .iter()
                .flat_map(|&b| doc.block_sentences[b].clone())
                .map(|si| doc.sentences[si].tokens.len())
                .sum()
        };
        let mut themes: Vec<(usize, usize, String)> = self
            .sections
            .iter()
            .filter(|s| s.kind == Kind::Theme)
            .flat_map(|s| s.criteria.iter())
            .filter(|c| c.is_argument())
            .enumerate()
            .map(|(i, c)| (weight(c), i, c.id.clone()))
            .collect();
        if themes.len() <= max {
            return Vec::new();
        }
        themes.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let gone: Vec<String> = themes.split_off(max).into_iter().map(|t| t.2).collect();
        for id in &gone {
            self.remove(id);
        }
        gone
    }

    pub(super) fn remove(&mut self, id: &str) {
        for s in &mut self.sections {
            s.criteria.retain(|c| c.id != id);
        }
        self.sections.retain(|s| !s.criteria.is_empty());
    }

    pub(super) fn to_yaml(&self, opts: &DeriveOptions, result: Option<(f64, usize)>) -> String {
        let mut y = String::new();
        let total: f64 = self
            .sections
            .iter()
            .flat_map(|s| &s.criteria)
            .map(|c| c.points)
            .sum();
        y.push_str("# yaml-language-server: $schema=rubric.schema.json\n#\n");
        let _ = writeln!(
            y,
            "# Drafted by `essaymark rubric derive` from {}.",
            if opts.source.is_empty() {
                "a model answer"
            } else {
                &opts.source
            }
        );
        if let Some((score, words)) = result {
            let _ = writeln!(
                y,
                "# The model answer ({words} words) scores {score:.1} against this draft."
            );
        }
        y.push_str(
            "# Review it before grading: rename ids, tighten or add phrases, mark the\n\
             # arguments an answer cannot pass without `required: true`, adjust points,\n\
             # then run `essaymark rubric lint` and `essaymark rubric test` on it.\n",
        );
        let _ = writeln!(y, "id: {}", self.id);
        let _ = writeln!(y, "title: {}", quote(&self.title));
        y.push_str("version: \"0.1\"\n");
        let _ = writeln!(y, "total: {}", crate::number::fmt_points(total));
        y.push_str("pass_mark: 50\n");
        y.push_str("bands:\n  - { min: 80, label: Excellent }\n  - { min: 65, label: Good }\n  - { min: 50, label: Adequate }\n  - { min: 0, label: Needs work }\n");
        let themes = self
            .sections
            .iter()
            .filter(|s| matches!(s.kind, Kind::Theme | Kind::Lens))
            .map(|s| s.criteria.len())
            .sum::<usize>();
        let _ = writeln!(
            y,
            "settings:\n  off_topic_min_themes: {}\n  # Each argument carries the model's own sentences as `examples`; the\n  # meaning stage that reads them is off, as in the built-in rubrics (it\n  # costs three times the time for little gain so far): `check --meaning`\n  # turns it on.\n  meaning: false",
            (themes / 4).clamp(1, 5)
        );
        y.push_str("\nsections:\n");
        for s in &self.sections {
            let _ = writeln!(y, "  - id: {}", s.id);
            let _ = writeln!(y, "    title: {}", quote(&clean_text(&s.title)));
            if s.kind != Kind::Theme {
                let _ = writeln!(y, "    kind: {}", s.kind.as_str());
            }
            y.push_str("    criteria:\n");
            for c in &s.criteria {
                let _ = writeln!(y, "      # from {}", c.origin);
                let _ = writeln!(y, "      - id: {}", c.id);
                match &c.body {
                    Body::Scholar { name, aliases } => {
                        let _ = writeln!(y, "        name: {}", quote(name));
                        if !aliases.is_empty() {
                            let _ = writeln!(y, "        aliases: {}", flow(aliases));
                        }
                    }
                    _ => {
                        let _ = writeln!(y, "        title: {}", quote(&clean_text(&c.title)));
                    }
                }
                let _ = writeln!(y, "        points: {}", crate::number::fmt_points(c.points));
                let _ = writeln!(y, "        feedback: {}", quote(&clean_text(&c.feedback)));
                match &c.body {
                    Body::Argument { matcher, develop } => {
                        let _ = writeln!(y, "        match: {}", flow(matcher));
                        if !c.notes.synonyms.is_empty() {
                            let _ = writeln!(
                                y,
                                "        # synonyms from WordNet: move into match the ones your students use\n        #   {}",
                                flow(&c.notes.synonyms)
                            );
                        }
                        if !develop.is_empty() {
                            let _ = writeln!(y, "        develop: {}", flow(develop));
                        }
                        if let Some(m) = c.min_hits {
                            let _ = writeln!(
                                y,
                                "        min_hits: {m}  # the model argues this in one sentence"
                            );
                        }
                        if !c.notes.examples.is_empty() {
                            y.push_str("        examples:\n");
                            for e in &c.notes.examples {
                                let _ = writeln!(y, "          - {}", quote(e));
                            }
                        }
                    }
                    Body::Structure(check) => {
                        let _ = writeln!(y, "        check: {check}");
                    }
                    Body::Scholar { .. } => {}
                }
            }
        }
        y
    }
}

/// A title inside a sentence: its first word in lower case unless it is
/// an acronym or a name.
pub(super) fn lower_first(title: &str, proper: &HashSet<String>) -> String {
    let mut words = title.split_whitespace();
    let Some(first) = words.next() else {
        return String::new();
    };
    let core = trim_word(first);
    let first = if is_acronym(core) || proper.contains(&core.to_lowercase()) {
        first.to_string()
    } else {
        first.to_lowercase()
    };
    std::iter::once(first)
        .chain(words.map(str::to_string))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A YAML scalar: plain when that is unambiguous, else double-quoted (JSON
/// string syntax is valid YAML).
pub(super) fn quote(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'' | '’' | '*' | '.' | '(' | ')')
        })
        && !s.ends_with(' ')
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n"
        );
    if plain {
        s.to_string()
    } else {
        serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
    }
}

/// A flow sequence of scalars: `[a, b, "c: d"]`.
pub(super) fn flow(items: &[String]) -> String {
    let parts: Vec<String> = items
        .iter()
        .map(|s| {
            // Parentheses are fine in a plain scalar but not worth the doubt
            // inside a flow sequence.
            if s.contains(['(', ')']) {
                serde_json::to_string(s).unwrap_or_else(|_| format!("{s:?}"))
            } else {
                quote(s)
            }
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

/// Examples kept per criterion: the model's own sentences for it.
const EXAMPLES: usize = 3;
const EXAMPLE_WORDS: std::ops::RangeInclusive<usize> = 6..=45;

/// Up to [`EXAMPLES`] of the model's sentences that make an argument, in
/// the model's order: prose and list sentences of its blocks (not its
/// heading) of a readable length, those holding one of its phrases first.
pub(super) fn model_examples(doc: &Document, blocks: &[usize], matcher: &[String]) -> Vec<String> {
    // Folded once, as " word word" (a leading space: a phrase starts a word).
    let phrases: Vec<String> = matcher
        .iter()
        .map(|m| format!(" {}", fold_token(m.trim_end_matches('*')).join(" ")))
        .collect();
    let mut with: Vec<(usize, String)> = Vec::new();
    let mut without: Vec<(usize, String)> = Vec::new();
    for &b in blocks {
        if doc.blocks[b].kind == BlockKind::Heading {
            continue;
        }
        for si in doc.block_sentences[b].clone() {
            let words = doc.sentences[si].tokens.len();
            if !EXAMPLE_WORDS.contains(&words) {
                continue;
            }
            let text = clean_text(&doc.sentence_text(si));
            let folded = format!(" {} ", fold_token(&text).join(" "));
            let holds = phrases.iter().any(|p| folded.contains(p.as_str()));
            if holds { &mut with } else { &mut without }.push((si, text));
        }
    }
    // Every sentence too long or too short: the argument's first sentence
    // of three words or more still shows what it says.
    if with.is_empty() && without.is_empty() {
        // (A bare option line is all the model says: its own words.)
        let first = blocks
            .iter()
            .flat_map(|&b| doc.block_sentences[b].clone())
            .find(|&si| doc.sentences[si].tokens.len() >= 3);
        without.extend(first.map(|si| (si, clean_text(&doc.sentence_text(si)))));
    }
    let mut chosen: Vec<(usize, String)> = with.into_iter().take(EXAMPLES).collect();
    chosen.extend(without.into_iter().take(EXAMPLES - chosen.len()));
    chosen.sort_by_key(|(si, _)| *si);
    chosen.into_iter().map(|(_, t)| t).collect()
}
