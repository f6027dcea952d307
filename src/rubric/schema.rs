//! The rubric file format as teachers write it (YAML). These types mirror the
//! file one to one; validation and compilation live in `load` and `compile`.
//! Every map rejects unknown keys so a typo is an error, not a silent no-op.

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_saphyr::Spanned;
use std::fmt;

/// The whole rubric file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RubricFile {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub question: Option<String>,
    #[serde(default = "default_version")]
    pub version: String,
    /// When given, criterion points must add up to this number.
    #[serde(default)]
    pub total: Option<Spanned<f64>>,
    /// Minimum score (0-100) to pass.
    #[serde(default)]
    pub pass_mark: Option<Spanned<f64>>,
    /// Grade bands, highest first.
    #[serde(default)]
    pub bands: Option<Spanned<Vec<BandSpec>>>,
    #[serde(default)]
    pub settings: Settings,
    pub sections: Vec<SectionSpec>,
}

fn default_version() -> String {
    "1".into()
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandSpec {
    pub min: f64,
    pub label: String,
}

/// Rubric-wide defaults; each criterion may override the matching ones.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    /// Tolerate misspellings of names and long terms.
    pub fuzzy: bool,
    /// Share of a criterion's points given for a mention that is not developed.
    pub partial_credit: f64,
    /// Sentences that must develop an argument for full credit.
    pub min_hits: u32,
    /// Fewer themes than this found: the report flags a likely off-topic answer.
    pub off_topic_min_themes: u32,
    /// Extra reporting verbs (beyond the built-in ones) that attribute a citation.
    pub reporting_verbs: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            fuzzy: true,
            partial_credit: 0.5,
            min_hits: 2,
            off_topic_min_themes: 3,
            reporting_verbs: Vec::new(),
        }
    }
}

/// What a section's criteria assess; decides how they are matched and scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
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

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionSpec {
    pub id: Spanned<String>,
    pub title: String,
    #[serde(default)]
    pub kind: Kind,
    pub criteria: Vec<CriterionSpec>,
}

/// One criterion. Which fields apply depends on the section's kind:
/// lens/theme use `match` (+ `develop`, `min_hits`); scholar uses `name` and
/// `aliases`; structure uses `check`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CriterionSpec {
    pub id: Spanned<String>,
    #[serde(default)]
    pub title: Option<String>,
    pub points: Spanned<f64>,
    #[serde(default)]
    pub required: bool,
    /// Advice shown when the criterion is missing or only partly met.
    #[serde(default)]
    pub feedback: Option<String>,
    #[serde(default, rename = "match")]
    pub matcher: Option<Spanned<MatchSpec>>,
    /// What counts as developing the argument near a hit (causes, effects, evidence).
    #[serde(default)]
    pub develop: Option<Spanned<MatchSpec>>,
    #[serde(default)]
    pub min_hits: Option<u32>,
    #[serde(default)]
    pub fuzzy: Option<bool>,
    #[serde(default)]
    pub partial_credit: Option<f64>,
    /// Scholar: the name as it should be cited.
    #[serde(default)]
    pub name: Option<Spanned<String>>,
    /// Scholar: other ways the name is written (surname alone, transliterations).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Scholar: full credit needs attribution (a reporting verb or a quotation).
    #[serde(default)]
    pub attribution: Option<bool>,
    /// Structure: which property of the essay is checked.
    #[serde(default)]
    pub check: Option<Spanned<StructureCheck>>,
}

/// Structure checks.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
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

/// Proximity scope for `all` groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Within {
    Sentence,
    Paragraph,
    Section,
    Words(u32),
}

/// A match expression.
///
/// In YAML: a string is a phrase (`militan*` is a suffix wildcard); a list is
/// `any` of its items; a map is one of `{any: [...]}`,
/// `{all: [...], within: sentence|paragraph|section|N words}`,
/// `{regex: "..."}` or `{phrase: "...", fuzzy: false}`.
#[derive(Debug, Clone, PartialEq)]
pub enum MatchSpec {
    Phrase {
        text: String,
        fuzzy: Option<bool>,
    },
    Regex(String),
    Any(Vec<MatchSpec>),
    All {
        items: Vec<MatchSpec>,
        within: Within,
    },
}

impl<'de> Deserialize<'de> for MatchSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(MatchVisitor)
    }
}

struct MatchVisitor;

impl<'de> Visitor<'de> for MatchVisitor {
    type Value = MatchSpec;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a phrase, a list of phrases, or a map with one of any / all / regex / phrase")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<MatchSpec, E> {
        Ok(MatchSpec::Phrase {
            text: v.to_string(),
            fuzzy: None,
        })
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<MatchSpec, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<MatchSpec>()? {
            items.push(item);
        }
        Ok(MatchSpec::Any(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<MatchSpec, A::Error> {
        let mut any = None;
        let mut all = None;
        let mut within = None;
        let mut regex = None;
        let mut phrase = None;
        let mut fuzzy = None;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "any" => any = Some(map.next_value::<Vec<MatchSpec>>()?),
                "all" => all = Some(map.next_value::<Vec<MatchSpec>>()?),
                "within" => {
                    within = Some(parse_within::<A::Error>(&map.next_value::<WithinRaw>()?)?)
                }
                "regex" => regex = Some(map.next_value::<String>()?),
                "phrase" => phrase = Some(map.next_value::<String>()?),
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
            MatchSpec::Regex(r)
        } else {
            MatchSpec::Phrase {
                text: phrase.unwrap_or_default(),
                fuzzy,
            }
        })
    }
}

/// `within:` accepts `sentence`, `paragraph`, `section`, `N words` or a bare number of words.
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
                _ => s
                    .strip_suffix("words")
                    .or_else(|| s.strip_suffix("word"))
                    .and_then(|n| n.trim().parse::<u32>().ok())
                    .map(Within::Words)
                    .ok_or_else(|| {
                        E::custom(format!(
                            "`within: {s}`: expected sentence, paragraph, section or \"N words\""
                        ))
                    }),
            }
        }
    }
}
