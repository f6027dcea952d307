//! Inflections of a rubric word, expanded once when the rubric compiles, so a
//! phrase "attack" finds "attacks", "attacked" and "attacking" without
//! stemming every word of every essay. Over-generation is harmless for exact
//! matching (a form that is not a word never occurs); the rules aim to cover
//! regular English noun and verb inflection plus possessives (folded
//! "pakistan's" → "pakistans"). It is not harmless for misspellings, which
//! are therefore measured against `own_forms` only.

/// All surface forms that count as `word` (already folded to lower case).
pub fn forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let n = word.chars().count();
    if n <= 3 || !word.chars().all(|c| c.is_alphabetic()) || !word.is_ascii() {
        // Acronyms, numbers and non-Latin words: plural/possessive only.
        out.push(format!("{word}s"));
        return dedup(out);
    }
    for base in bases(word) {
        push_inflections(&base, &mut out);
    }
    // Irregular forms, both ways: "fight" finds "fought", "fled" finds "flee".
    for group in IRREGULAR {
        if group.contains(&word) {
            out.extend(group.iter().map(|w| w.to_string()));
        }
    }
    dedup(out)
}

/// Irregular inflections a suffix rule cannot guess: each group is one
/// word's forms. Kept to words essays on policy and security use.
const IRREGULAR: &[&[&str]] = &[
    &["fight", "fights", "fighting", "fought"],
    &["flee", "flees", "fleeing", "fled"],
    &["crisis", "crises"],
    &["child", "children", "child's", "children's"],
    &["bring", "brings", "bringing", "brought"],
    &["analysis", "analyses"],
    &["spend", "spends", "spending", "spent"],
    &["seek", "seeks", "seeking", "sought"],
    &["teach", "teaches", "teaching", "taught"],
    &["buy", "buys", "buying", "bought"],
    &["think", "thinks", "thinking", "thought"],
    &["hold", "holds", "holding", "held"],
    &["lose", "loses", "losing", "lost"],
    &["win", "wins", "winning", "won"],
    &["strike", "strikes", "striking", "struck"],
    &["rise", "rises", "rising", "rose", "risen"],
    &["grow", "grows", "growing", "grew", "grown"],
    &["drive", "drives", "driving", "drove", "driven"],
    &["take", "takes", "taking", "took", "taken"],
    &["give", "gives", "giving", "gave", "given"],
    &["begin", "begins", "beginning", "began", "begun"],
    &["leave", "leaves", "leaving", "left"],
    &["feel", "feels", "feeling", "felt"],
    &["keep", "keeps", "keeping", "kept"],
    &["sell", "sells", "selling", "sold"],
    &["steal", "steals", "stealing", "stole", "stolen"],
    &["hide", "hides", "hiding", "hid", "hidden"],
    &["shoot", "shoots", "shooting", "shot"],
    &["threat", "threats"],
    &["man", "men"],
    &["woman", "women"],
    &["thesis", "theses"],
    &["basis", "bases"],
    &["phenomenon", "phenomena"],
];

/// The forms of `word` taken as its own base ("closed" → "closeds", not
/// "close"): what a misspelling is measured against. The bases `forms`
/// guesses by stripping suffixes are real words often enough ("close",
/// "fight") that a misspelling of one of their made-up inflections would
/// match unrelated words.
pub fn own_forms(word: &str) -> Vec<String> {
    let mut out = vec![word.to_string()];
    let n = word.chars().count();
    if n <= 3 || !word.chars().all(|c| c.is_alphabetic()) || !word.is_ascii() {
        out.push(format!("{word}s"));
    } else {
        push_inflections(word, &mut out);
    }
    dedup(out)
}

fn dedup(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// The word itself plus the bases it may be an inflection of.
fn bases(word: &str) -> Vec<String> {
    let mut b = vec![word.to_string()];
    let strip = |suffix: &str| word.strip_suffix(suffix).filter(|s| s.len() >= 3);
    if let Some(s) = strip("ies") {
        b.push(format!("{s}y"));
    } else if let Some(s) = strip("es") {
        b.push(s.to_string());
        b.push(format!("{s}e"));
    } else if let Some(s) =
        strip("s").filter(|s| !s.ends_with('s') && !s.ends_with('u') && !s.ends_with('i'))
    {
        b.push(s.to_string());
    }
    if let Some(s) = strip("ied") {
        b.push(format!("{s}y"));
    } else if let Some(s) = strip("ed") {
        b.push(s.to_string());
        b.push(format!("{s}e"));
        if let Some(u) = undouble(s) {
            b.push(u);
        }
    }
    if let Some(s) = strip("ing") {
        b.push(s.to_string());
        b.push(format!("{s}e"));
        if let Some(u) = undouble(s) {
            b.push(u);
        }
    }
    b
}

fn undouble(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let n = bytes.len();
    (n >= 2
        && bytes[n - 1] == bytes[n - 2]
        && !is_vowel(bytes[n - 1])
        && !matches!(bytes[n - 1], b'l' | b's' | b'z'))
    .then(|| s[..n - 1].to_string())
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

fn push_inflections(base: &str, out: &mut Vec<String>) {
    let bytes = base.as_bytes();
    let n = bytes.len();
    let last = bytes[n - 1];
    let prev = bytes[n - 2];
    out.push(base.to_string());
    // Plural / third person / possessive.
    if last == b'y' && !is_vowel(prev) {
        out.push(format!("{}ies", &base[..n - 1]));
        out.push(format!("{}ied", &base[..n - 1]));
        out.push(format!("{base}s"));
    } else if base.ends_with('s')
        || base.ends_with('x')
        || base.ends_with('z')
        || base.ends_with("ch")
        || base.ends_with("sh")
    {
        out.push(format!("{base}es"));
    } else {
        out.push(format!("{base}s"));
    }
    // Past and participles.
    if last == b'e' {
        out.push(format!("{base}d"));
        out.push(format!("{}ing", &base[..n - 1]));
    } else {
        out.push(format!("{base}ed"));
        out.push(format!("{base}ing"));
        // Short consonant-vowel-consonant verbs double: "deter" → "deterred".
        if n >= 3
            && !is_vowel(last)
            && is_vowel(prev)
            && !is_vowel(bytes[n - 3])
            && !matches!(last, b'w' | b'x' | b'y')
        {
            out.push(format!("{base}{}ed", last as char));
            out.push(format!("{base}{}ing", last as char));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_forms_are_found_both_ways() {
        for (word, form) in [
            ("fight", "fought"),
            ("fled", "flee"),
            ("crisis", "crises"),
            ("children", "child"),
            ("bring", "brought"),
            ("analysis", "analyses"),
            ("spent", "spend"),
        ] {
            assert!(
                forms(word).iter().any(|f| f == form),
                "{word} -> {form}: {:?}",
                forms(word)
            );
        }
    }

    fn has(word: &str, form: &str) -> bool {
        forms(word).iter().any(|f| f == form)
    }

    #[test]
    fn regular_inflections() {
        for f in ["attacks", "attacked", "attacking"] {
            assert!(has("attack", f), "{f}");
        }
        assert!(has("militancy", "militancies"));
        assert!(has("deter", "deterred"));
        assert!(has("fence", "fencing"));
        assert!(has("fence", "fenced"));
        assert!(has("refugee", "refugees"));
        assert!(has("pakistan", "pakistans"));
    }

    #[test]
    fn inflected_rubric_words_find_their_base() {
        assert!(has("attacks", "attack"));
        assert!(has("sanctuaries", "sanctuary"));
        assert!(has("fenced", "fence"));
        assert!(has("skirmishes", "skirmish"));
        assert!(has("clashes", "clash"));
    }

    #[test]
    fn acronyms_get_plural_only() {
        assert_eq!(forms("ttp"), vec!["ttp", "ttps"]);
        assert_eq!(forms("2021"), vec!["2021", "2021s"]);
    }
}
