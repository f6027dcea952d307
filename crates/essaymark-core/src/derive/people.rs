//! People and acronyms in the model: the scholars it attributes a view to
//! and the acronyms it spells out.

#[allow(unused_imports)]
use super::*;

/// A person's name from raw words: honorifics and function words dropped,
/// two to four capitalised words, none of them the essay's topic or common
/// English ("Pakistan warns" is not a person).
pub(super) fn person_name(raw: &[&str], title_words: &HashSet<String>) -> Option<String> {
    let words: Vec<&str> = raw
        .iter()
        .map(|w| trim_word(w))
        .filter(|w| {
            let l = w.to_lowercase();
            let l = l.trim_end_matches('.');
            !w.is_empty() && !HONORIFICS.contains(&l) && !is_stop_word(l)
        })
        .collect();
    let capitalised = words.iter().all(|w| {
        w.chars().next().is_some_and(char::is_uppercase)
            && w.chars().skip(1).any(char::is_lowercase)
    });
    let folded: Vec<String> = words.iter().flat_map(|w| fold_token(w)).collect();
    let plausible = (2..=4).contains(&words.len())
        && capitalised
        && folded
            .iter()
            .all(|w| w.len() >= 2 && !title_words.contains(w) && !is_common_word(w));
    plausible.then(|| words.join(" "))
}

/// Names the model attributes a view to: "As Stephen Walt explains",
/// "according to Maleeha Lodhi", or "Amir Rana:" over a quotation.
pub(super) fn scholars(doc: &Document, title_words: &HashSet<String>) -> Vec<(String, usize)> {
    let verbs: Vec<String> = REPORTING_VERBS
        .iter()
        .filter(|v| !v.contains(' '))
        .flat_map(|v| inflect::forms(v))
        .collect();
    let mut out: Vec<(String, usize)> = Vec::new();
    for (si, s) in doc.sentences.iter().enumerate() {
        let text = doc.text[s.span.clone()].trim();
        let raw: Vec<&str> = text.split_whitespace().collect();
        let mut names: Vec<String> = Vec::new();
        // "Name:" alone, with the quotation on the next line.
        let next_is_quote = doc
            .sentences
            .get(si + 1)
            .map(|n| doc.text[n.span.clone()].trim_start())
            .is_some_and(|n| n.starts_with(['"', '“', '\'', '↳']));
        if let Some(lead) = text.strip_suffix(':').filter(|_| next_is_quote) {
            let lead: Vec<&str> = lead.split_whitespace().collect();
            names.extend(person_name(&lead, title_words));
        }
        for (i, w) in raw.iter().enumerate() {
            let folded = fold_token(w);
            if folded.len() == 1 && verbs.contains(&folded[0]) {
                // The capitalised run just before the reporting verb.
                let start = raw[..i]
                    .iter()
                    .rposition(|x| {
                        let t = trim_word(x);
                        !(t.chars().next().is_some_and(char::is_uppercase) || t == "R")
                    })
                    .map_or(0, |p| p + 1);
                names.extend(person_name(&raw[start..i], title_words));
            } else if w.eq_ignore_ascii_case("according")
                && raw.get(i + 1).is_some_and(|n| n.eq_ignore_ascii_case("to"))
            {
                let rest = &raw[(i + 2).min(raw.len())..];
                let end = rest
                    .iter()
                    .position(|x| {
                        !trim_word(x).chars().next().is_some_and(char::is_uppercase)
                            || x.ends_with(',')
                    })
                    .map_or(
                        rest.len(),
                        |p| if rest[p].ends_with(',') { p + 1 } else { p },
                    );
                names.extend(person_name(&rest[..end], title_words));
            }
        }
        for name in names {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, line_of(doc, s.block)));
            }
        }
    }
    out
}

/// Acronyms the model spells out: "Integrated Energy Planning (IEP)",
/// "ISIS-K (Islamic State Khorasan)", or a capitalised run whose initials
/// are an acronym the model uses. Pairs of (acronym, expansion).
pub(super) fn acronym_pairs(doc: &Document) -> Vec<(String, String)> {
    let initials = |words: &[&str]| -> String {
        words
            .iter()
            .flat_map(|w| w.split('-'))
            .filter_map(|p| p.chars().next().filter(|c| c.is_uppercase()))
            .collect()
    };
    let letters = |a: &str| -> String { a.chars().filter(|c| c.is_uppercase()).collect() };
    // The expansion's initials are the acronym's capitals in order, with the
    // same first and last letter ("ISK" for "ISIS-K").
    let fits = |acr: &str, exp: &[&str]| {
        let (a, e) = (letters(acr), initials(exp));
        if e.len() < 2 || a.len() < 2 {
            return false;
        }
        if a == e {
            return true;
        }
        let mut it = a.chars();
        e.chars().all(|c| it.any(|x| x == c))
            && a.chars().next() == e.chars().next()
            && a.chars().last() == e.chars().last()
    };
    let mut acronyms: HashSet<String> = HashSet::new();
    let mut runs: Vec<Vec<String>> = Vec::new();
    let mut pairs: Vec<(String, String)> = Vec::new();
    for s in &doc.sentences {
        let text = clean_text(&doc.text[s.span.clone()]);
        let raw: Vec<&str> = text.split_whitespace().collect();
        let mut run: Vec<String> = Vec::new();
        for (i, r) in raw.iter().enumerate() {
            let w = trim_word(r);
            if is_acronym(w) {
                acronyms.insert(w.to_string());
                // "Integrated Energy Planning (IEP)": the run just before.
                if r.starts_with('(') && !run.is_empty() {
                    let take: Vec<&str> = run.iter().map(String::as_str).collect();
                    for k in (2..=take.len().min(6)).rev() {
                        let exp = &take[take.len() - k..];
                        if fits(w, exp) {
                            pairs.push((w.to_string(), exp.join(" ")));
                            break;
                        }
                    }
                }
                // "ISIS-K (Islamic State Khorasan)": the run just after.
                if raw.get(i + 1).is_some_and(|n| n.starts_with('(')) {
                    let exp: Vec<&str> = raw[i + 1..]
                        .iter()
                        .take_while(|x| !x.starts_with(')'))
                        .take(6)
                        .copied()
                        .collect();
                    let end = exp
                        .iter()
                        .position(|x| x.ends_with(')'))
                        .map_or(exp.len(), |p| p + 1);
                    let exp: Vec<&str> = exp[..end].iter().map(|x| trim_word(x)).collect();
                    if fits(w, &exp) {
                        pairs.push((w.to_string(), exp.join(" ")));
                    }
                }
                runs.push(std::mem::take(&mut run));
                continue;
            }
            let capital = w.chars().next().is_some_and(char::is_uppercase);
            let joiner = matches!(
                w.to_lowercase().as_str(),
                "of" | "and" | "for" | "the" | "in" | "on"
            );
            if capital || (joiner && !run.is_empty()) {
                run.push(w.to_string());
            }
            if !(capital || joiner) || r.ends_with([',', ';', ':', '.', ')']) {
                runs.push(std::mem::take(&mut run));
            }
        }
        runs.push(run);
    }
    // "Integrated Energy Planning" elsewhere, "IEP" elsewhere: initials equal.
    for run in runs {
        let run: Vec<&str> = run.iter().map(String::as_str).collect();
        for start in 0..run.len() {
            for end in (start + 2..=run.len().min(start + 8)).rev() {
                let exp = &run[start..end];
                if exp
                    .first()
                    .or(exp.last())
                    .is_some_and(|w| w.chars().next().is_some_and(char::is_lowercase))
                {
                    continue;
                }
                let ini = initials(exp);
                if let Some(a) = acronyms
                    .iter()
                    .find(|a| letters(a) == ini && ini.len() >= 2)
                {
                    pairs.push((a.clone(), exp.join(" ")));
                }
            }
        }
    }
    pairs.sort();
    pairs.dedup_by(|a, b| a.0 == b.0);
    pairs
}
