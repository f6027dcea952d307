//! The rubric file format as teachers write it (YAML). These types mirror the
//! file one to one; validation and compilation live in `load` and `compile`.
//! Every map rejects unknown keys so a typo is an error, not a silent no-op.

//!
//! The same types generate the rubric's JSON Schema (`essaymark rubric
//! schema`, shipped as `rubrics/rubric.schema.json`), so an editor's YAML
//! language server and the loader agree on what a rubric is.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_saphyr::{Location, Spanned};
use std::borrow::Cow;
use std::fmt;

/// An essaymark rubric: what an essay is graded against.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "essaymark rubric")]
pub struct RubricFile {
    /// Lower-case letters, digits, `-` and `_`.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub id: Spanned<String>,
    /// Shown in reports.
    pub title: String,
    /// The exam question.
    #[serde(default)]
    pub question: Option<String>,
    /// Shown in reports.
    #[serde(default = "default_version")]
    pub version: String,
    /// When given, criterion points must add up to this number.
    #[serde(default)]
    #[schemars(with = "Option<f64>")]
    pub total: Option<Spanned<f64>>,
    /// Minimum score (0-100) to pass.
    #[serde(default)]
    #[schemars(with = "Option<f64>", range(min = 0, max = 100))]
    pub pass_mark: Option<Spanned<f64>>,
    /// Grade bands, highest first; the last one starts at 0.
    #[serde(default)]
    #[schemars(with = "Option<Vec<BandSpec>>")]
    pub bands: Option<Spanned<Vec<BandSpec>>>,
    #[serde(default)]
    pub settings: Settings,
    pub sections: Vec<SectionSpec>,
}

fn default_version() -> String {
    "1".into()
}

/// A grade band: scores at or above `min` (and below the band before it) get `label`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandSpec {
    #[schemars(range(min = 0, max = 100))]
    pub min: f64,
    pub label: String,
}

/// Rubric-wide defaults; each criterion may override the matching ones.
#[derive(Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Tolerate misspellings of names and long terms.
    pub fuzzy: bool,
    /// Share of a criterion's points given for a mention that is not developed.
    #[schemars(range(min = 0, max = 1))]
    pub partial_credit: f64,
    /// Sentences that must develop an argument for full credit.
    #[schemars(range(min = 1))]
    pub min_hits: u32,
    /// Fewer themes than this found: the report flags a likely off-topic answer.
    pub off_topic_min_themes: u32,
    /// Extra reporting verbs (beyond the built-in ones) that attribute a citation.
    pub reporting_verbs: Vec<String>,
    /// Phrases naming the question's subject (e.g. `[Pakistan, Islamabad]`).
    /// An essay that mentions them in under a third of its paragraphs is
    /// about something else: it is flagged off-topic and its arguments earn
    /// partial credit at most.
    pub focus: Vec<String>,
    /// Propose evidence by meaning: sentences that resemble a criterion's
    /// `examples` become candidates for the same rules as phrase hits.
    pub meaning: bool,
    /// Least similarity (0-1) to an example for a sentence to be proposed;
    /// the default suits the built-in rubrics (`rubric calibrate` reports
    /// what another value would do).
    #[schemars(range(min = 0, max = 1))]
    pub meaning_threshold: Option<f64>,
    /// Shares of a lens or theme criterion's points by level of
    /// development: named earns nothing, `argued` is partial credit,
    /// `developed` and `in_depth` full credit unless set lower.
    pub levels: Levels,
}

/// Shares of points by level of development (see docs/scoring-rules.md,
/// "Levels"). `argued` defaults to `partial_credit`.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Levels {
    /// Argued in a sentence, not developed (partial).
    #[schemars(range(min = 0, max = 1))]
    pub argued: Option<f64>,
    /// Developed: argued in enough sentences together, or with development
    /// next to it (met).
    #[schemars(range(min = 0, max = 1))]
    pub developed: f64,
    /// Developed in depth: reasons and evidence (figures, dates, sources,
    /// examples, names of places and people) in the argument's own
    /// paragraph.
    #[schemars(range(min = 0, max = 1))]
    pub in_depth: f64,
}

impl Default for Levels {
    fn default() -> Self {
        Levels {
            argued: None,
            developed: 1.0,
            in_depth: 1.0,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fuzzy: true,
            partial_credit: 0.5,
            min_hits: 2,
            off_topic_min_themes: 3,
            reporting_verbs: Vec::new(),
            focus: Vec::new(),
            meaning: true,
            meaning_threshold: None,
            levels: Levels::default(),
        }
    }
}

/// What a section's criteria assess; decides how they are matched and scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Lens,
    #[default]
    Theme,
    Scholar,
    Structure,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Lens => "lens",
            Kind::Theme => "theme",
            Kind::Scholar => "scholar",
            Kind::Structure => "structure",
        }
    }
}

/// What an essay must do with a lens or theme to earn it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Stance {
    /// Adopt or recommend it (a lens, a policy option): a sentence that
    /// rejects it ("the term does not fit", "strikes would only recruit
    /// more fighters") does not count.
    Adopt,
    /// Discuss it (a theme): a one-line dismissal ("Refugees are not a real
    /// problem.") does not count; a reasoned one does.
    Discuss,
}

/// A section of the rubric and its criteria.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    /// Unique across the rubric.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub id: Spanned<String>,
    pub title: String,
    /// What the section's criteria assess: `lens`, `theme` (default), `scholar` or `structure`.
    #[serde(default)]
    pub kind: Kind,
    /// Lens and theme sections: `adopt` (lens default) or `discuss` (theme default).
    #[serde(default)]
    pub stance: Option<Stance>,
    pub criteria: Vec<CriterionSpec>,
}

/// One criterion. Which fields apply depends on the section's kind:
/// lens/theme use `match` (+ `develop`, `min_hits`); scholar uses `name` and
/// `aliases`; structure uses `check`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpec {
    /// Unique across the rubric.
    #[schemars(with = "String", regex(pattern = r"^[a-z0-9_-]{1,64}$"))]
    pub id: Spanned<String>,
    /// Shown in reports (default: the id, or a scholar's name).
    #[serde(default)]
    pub title: Option<String>,
    #[schemars(with = "f64", range(min = 0))]
    pub points: Spanned<f64>,
    /// A required criterion that is missing can fail CI (`--max-missing-required`).
    #[serde(default)]
    pub required: bool,
    /// Advice shown when the criterion is missing or only partly met.
    #[serde(default)]
    pub feedback: Option<String>,
    /// Lens and theme: what finds the argument.
    #[serde(default, rename = "match")]
    #[schemars(with = "Option<MatchSpec>")]
    pub matcher: Option<Spanned<MatchSpec>>,
    /// What counts as developing the argument near a hit (causes, effects, evidence).
    #[serde(default)]
    #[schemars(with = "Option<MatchSpec>")]
    pub develop: Option<Spanned<MatchSpec>>,
    /// Lens and theme: sentences that make the point, in the words
    /// students use and in textbook words. The meaning stage proposes an
    /// essay sentence that resembles one of them as evidence; the rules
    /// still decide whether it counts.
    #[serde(default)]
    #[schemars(length(max = 50))]
    pub examples: Vec<String>,
    /// Lens and theme: topical sentences that are NOT the point (they name
    /// the subject without making the argument); a sentence closer to one
    /// of these than to the examples is not proposed.
    #[serde(default)]
    #[schemars(length(max = 50))]
    pub counter_examples: Vec<String>,
    /// Lens and theme: `adopt` (must be adopted or recommended) or `discuss`
    /// (overrides the section's).
    #[serde(default)]
    pub stance: Option<Stance>,
    /// Substantive sentences needed for full credit (overrides the setting).
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub min_hits: Option<u32>,
    /// `false` turns misspelling tolerance off for this criterion.
    #[serde(default)]
    pub fuzzy: Option<bool>,
    /// Share of the points for a mention that is not developed (overrides the setting).
    #[serde(default)]
    #[schemars(range(min = 0, max = 1))]
    pub partial_credit: Option<f64>,
    /// Scholar: the name as it should be cited.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub name: Option<Spanned<String>>,
    /// Scholar: other ways the name is written (surname alone, transliterations).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Scholar: full credit needs attribution (a reporting verb or a quotation).
    #[serde(default)]
    pub attribution: Option<bool>,
    /// Structure: which property of the essay is checked.
    #[serde(default)]
    #[schemars(with = "Option<StructureCheck>")]
    pub check: Option<Spanned<StructureCheck>>,
}

/// Structure checks.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub enum StructureCheck {
    /// An opening paragraph, or a heading named "Introduction".
    Introduction,
    /// A closing section: a "Conclusion" heading or a concluding paragraph.
    Conclusion,
    /// An outline (a list of points) before the body.
    Outline,
    /// At least `min` headings.
    Headings { min: u32 },
    /// Word count within `min..=max`.
    Words { min: u32, max: u32 },
    /// At least `min` paragraphs.
    Paragraphs { min: u32 },
    /// A table of at least `min_rows` rows (header included) and `min_columns` columns.
    Table { min_rows: u32, min_columns: u32 },
}

/// Proximity scope for `all` groups; the matcher owns it (rubric depends on
/// matching, never the other way round).
pub use crate::matching::Within;

/// A match expression.
///
/// In YAML: a string is a phrase (`militan*` is a suffix wildcard); a list is
/// `any` of its items; a map is one of `{any: [...]}`,
/// `{all: [...], within: sentence|paragraph|section|N words}`,
/// `{regex: "..."}` or `{phrase: "...", fuzzy: false}`.
///
/// Phrases and regexes keep where they were written (`at`), so lint warnings
/// and compile errors point at the phrase itself, not at its `match:` block.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchSpec {
    Phrase {
        text: String,
        fuzzy: Option<bool>,
        at: Location,
    },
    Regex {
        pattern: String,
        at: Location,
    },
    Any(Vec<MatchSpec>),
    All {
        items: Vec<MatchSpec>,
        within: Within,
    },
}

impl MatchSpec {
    /// A phrase with no known location (for rubrics built in code).
    pub fn phrase(text: &str) -> MatchSpec {
        MatchSpec::Phrase {
            text: text.to_string(),
            fuzzy: None,
            at: Location::UNKNOWN,
        }
    }

    /// Give leaves that do not know where they were written the location of
    /// the node that holds them. A bare string cannot see its own position
    /// while it is deserialised; the enclosing list item or `match:` key can.
    pub fn located(self, loc: Location) -> MatchSpec {
        let fill = |at: Location| if at == Location::UNKNOWN { loc } else { at };
        match self {
            MatchSpec::Phrase { text, fuzzy, at } => MatchSpec::Phrase {
                text,
                fuzzy,
                at: fill(at),
            },
            MatchSpec::Regex { pattern, at } => MatchSpec::Regex {
                pattern,
                at: fill(at),
            },
            MatchSpec::Any(items) => {
                MatchSpec::Any(items.into_iter().map(|i| i.located(loc)).collect())
            }
            MatchSpec::All { items, within } => MatchSpec::All {
                items: items.into_iter().map(|i| i.located(loc)).collect(),
                within,
            },
        }
    }

    /// Every phrase and regex of the expression, depth first.
    pub fn leaves(&self) -> Vec<&MatchSpec> {
        let mut out = Vec::new();
        self.collect_leaves(&mut out);
        out
    }

    fn collect_leaves<'a>(&'a self, out: &mut Vec<&'a MatchSpec>) {
        match self {
            MatchSpec::Phrase { .. } | MatchSpec::Regex { .. } => out.push(self),
            MatchSpec::Any(items) | MatchSpec::All { items, .. } => {
                items.iter().for_each(|i| i.collect_leaves(out))
            }
        }
    }
}

impl<'de> Deserialize<'de> for MatchSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MatchVisitor)
    }
}

/// A list item with its own position handed down to its leaves.
fn spanned_items(items: Vec<Spanned<MatchSpec>>) -> Vec<MatchSpec> {
    items
        .into_iter()
        .map(|i| i.value.located(i.referenced))
        .collect()
}

struct MatchVisitor;

impl<'de> Visitor<'de> for MatchVisitor {
    type Value = MatchSpec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a phrase, a list of phrases, or a map with one of any / all / regex / phrase")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<MatchSpec, E> {
        Ok(MatchSpec::phrase(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MatchSpec, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<MatchSpec>>()? {
            items.push(item.value.located(item.referenced));
        }
        Ok(MatchSpec::Any(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MatchSpec, A::Error> {
        let mut any = None;
        let mut all = None;
        let mut within = None;
        let mut regex: Option<Spanned<String>> = None;
        let mut phrase: Option<Spanned<String>> = None;
        let mut fuzzy = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "any" => any = Some(spanned_items(map.next_value()?)),
                "all" => all = Some(spanned_items(map.next_value()?)),
                "within" => {
                    within = Some(parse_within::<A::Error>(&map.next_value::<WithinRaw>()?)?)
                }
                "regex" => regex = Some(map.next_value()?),
                "phrase" => phrase = Some(map.next_value()?),
                "fuzzy" => fuzzy = Some(map.next_value::<bool>()?),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["any", "all", "within", "regex", "phrase", "fuzzy"],
                    ))
                }
            }
        }
        let forms = [
            any.is_some(),
            all.is_some(),
            regex.is_some(),
            phrase.is_some(),
        ]
        .iter()
        .filter(|&&b| b)
        .count();
        if forms != 1 {
            return Err(de::Error::custom(
                "a match map needs exactly one of `any`, `all`, `regex`, `phrase`",
            ));
        }
        if within.is_some() && all.is_none() {
            return Err(de::Error::custom("`within` only applies to an `all` group"));
        }
        if fuzzy.is_some() && phrase.is_none() {
            return Err(de::Error::custom("`fuzzy` only applies to a `phrase`"));
        }
        Ok(if let Some(items) = any {
            MatchSpec::Any(items)
        } else if let Some(items) = all {
            MatchSpec::All {
                items,
                within: within.unwrap_or(Within::Sentence),
            }
        } else if let Some(r) = regex {
            MatchSpec::Regex {
                pattern: r.value,
                at: r.referenced,
            }
        } else {
            let p = phrase.unwrap_or_else(|| {
                Spanned::new(String::new(), Location::UNKNOWN, Location::UNKNOWN)
            });
            MatchSpec::Phrase {
                text: p.value,
                fuzzy,
                at: p.referenced,
            }
        })
    }
}

impl JsonSchema for MatchSpec {
    fn schema_name() -> Cow<'static, str> {
        "Match".into()
    }

    // Hand-written: the YAML form is a string, a list or one of four maps,
    // which no derive can express from the enum above.
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<MatchSpec>();
        json_schema!({
            "description": "What finds an argument: a phrase (`militan*` is a suffix wildcard; case, punctuation, hyphens and inflections are ignored), a list (any of its items), or a map with one of `any`, `all` (+ `within`), `regex`, `phrase` (+ `fuzzy`).",
            "anyOf": [
                {
                    "type": "string",
                    "description": "A phrase: word-bounded, inflections included; `word*` is a suffix wildcard (at least 3 letters before `*`).",
                    "minLength": 1
                },
                {
                    "type": "array",
                    "description": "Any of these.",
                    "items": item,
                    "minItems": 1
                },
                {
                    "type": "object",
                    "description": "Any of these.",
                    "properties": { "any": { "type": "array", "items": item, "minItems": 1 } },
                    "required": ["any"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "All of these within one scope (default: sentence).",
                    "properties": {
                        "all": { "type": "array", "items": item, "minItems": 1 },
                        "within": {
                            "description": "sentence, paragraph, section, or \"N words\".",
                            "anyOf": [
                                { "type": "string", "enum": ["sentence", "paragraph", "section"] },
                                { "type": "string", "pattern": "^\\s*[0-9]+\\s*words?\\s*$" },
                                { "type": "integer", "minimum": 0 }
                            ]
                        }
                    },
                    "required": ["all"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "A regular expression (case-insensitive, size-limited).",
                    "properties": { "regex": { "type": "string", "minLength": 1 } },
                    "required": ["regex"],
                    "additionalProperties": false
                },
                {
                    "type": "object",
                    "description": "A phrase with misspelling tolerance set explicitly.",
                    "properties": {
                        "phrase": { "type": "string", "minLength": 1 },
                        "fuzzy": { "type": "boolean" }
                    },
                    "required": ["phrase"],
                    "additionalProperties": false
                }
            ]
        })
    }
}

/// `within:` accepts `clause`, `sentence`, `paragraph`, `section`, `N words` or a bare number of words.
#[derive(Deserialize)]
#[serde(untagged)]
enum WithinRaw {
    Words(u32),
    Text(String),
}

fn parse_within<E: de::Error>(raw: &WithinRaw) -> Result<Within, E> {
    match raw {
        WithinRaw::Words(n) => Ok(Within::Words(*n)),
        WithinRaw::Text(s) => {
            let s = s.trim().to_ascii_lowercase();
            match s.as_str() {
                "sentence" => Ok(Within::Sentence),
                "paragraph" => Ok(Within::Paragraph),
                "section" => Ok(Within::Section),
                "clause" => Ok(Within::Clause),
                _ => s
                    .strip_suffix("words")
                    .or_else(|| s.strip_suffix("word"))
                    .and_then(|n| n.trim().parse::<u32>().ok())
                    .map(Within::Words)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "`within: {s}`: expected clause, sentence, paragraph, section or \"N words\""
                        ))
                    }),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct M {
        #[serde(rename = "match")]
        m: Spanned<MatchSpec>,
    }

    fn positions(yaml: &str) -> Vec<(String, u64, u64)> {
        let m: M = serde_saphyr::from_str(yaml).unwrap();
        let spec = m.m.value.located(m.m.referenced);
        spec.leaves()
            .iter()
            .map(|l| match l {
                MatchSpec::Phrase { text, at, .. } => (text.clone(), at.line(), at.column()),
                MatchSpec::Regex { pattern, at } => (pattern.clone(), at.line(), at.column()),
                _ => unreachable!(),
            })
            .collect()
    }

    #[test]
    fn every_leaf_knows_where_it_was_written() {
        let yaml = "match:\n  - security dilemma\n  - {regex: \"tehr[ie]+k\"}\n  - all: [[a1, b2], c3]\n    within: sentence\n  - {phrase: Durand, fuzzy: false}\n";
        assert_eq!(
            positions(yaml),
            vec![
                ("security dilemma".into(), 2, 5),
                ("tehr[ie]+k".into(), 3, 13),
                ("a1".into(), 4, 12),
                ("b2".into(), 4, 16),
                ("c3".into(), 4, 21),
                ("Durand".into(), 6, 14),
            ]
        );
        // A bare string takes the position of its `match:` value.
        assert_eq!(
            positions("match: refugee*\n"),
            vec![("refugee*".into(), 1, 8)]
        );
    }

    #[test]
    fn the_json_schema_describes_match_recursively() {
        let schema = serde_json::to_value(schemars::schema_for!(RubricFile)).unwrap();
        let m = &schema["$defs"]["Match"];
        assert_eq!(m["anyOf"][1]["items"]["$ref"], "#/$defs/Match");
        assert_eq!(schema["additionalProperties"], false);
    }
}
