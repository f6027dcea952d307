//! Rubrics: the YAML schema, loading with located errors, validation, and
//! compilation into matchers that are built once and reused for every essay.

pub mod error;
#[doc(hidden)]
pub mod lint;
mod load;
pub mod schema;

pub use error::{RubricError, RubricErrors};
// Read by the command's `config`.
#[doc(hidden)]
pub use load::yaml_lines;
pub use load::{
    load_file, load_str, settings_file_allowed, MAX_RUBRIC_BYTES, NOT_TEXT, REPORTING_VERBS,
};
pub use schema::{Kind, Stance, StructureCheck, Within};

use crate::matching::{Expr, PhraseSet};

/// The default built-in rubric (Taliban rule and Pakistan's western security dilemma).
pub const BUILTIN_ID: &str = "pakistan-western-security";
pub const BUILTIN_YAML: &str = include_str!("../../rubrics/pakistan-western-security.yaml");

/// A rubric compiled into the binary, so a teacher can grade against it by
/// id (`check --rubric climate-economy`) without a file at hand.
#[derive(Debug, Clone, Copy)]
pub struct Builtin {
    pub id: &'static str,
    pub yaml: &'static str,
    /// The model answer the rubric was written from, relative to the
    /// repository root (for documentation; it is not compiled in).
    pub model: Option<&'static str>,
}

/// Every built-in rubric; the first is the default.
pub const BUILTINS: &[Builtin] = &[
    Builtin {
        id: BUILTIN_ID,
        yaml: BUILTIN_YAML,
        model: None,
    },
    Builtin {
        id: "climate-economy",
        yaml: include_str!("../../rubrics/climate-economy.yaml"),
        model: Some("rubrics/models/climate-economy.md"),
    },
    Builtin {
        id: "cpec-connectivity",
        yaml: include_str!("../../rubrics/cpec-connectivity.yaml"),
        model: Some("rubrics/models/cpec-connectivity.md"),
    },
];

/// The JSON Schema of the rubric format, generated from the serde types
/// (shipped as `rubrics/rubric.schema.json`; a test keeps the two equal).
pub fn json_schema() -> String {
    let schema = schemars::schema_for!(schema::RubricFile);
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// The built-in rubric with this id.
pub fn builtin(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}

/// A grade band: scores at or above `min` (and below the next band) get `label`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Band {
    pub min: f64,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: String,
    pub kind: Kind,
}

/// How a criterion is judged.
#[derive(Debug, Clone)]
pub enum Rule {
    /// Lens and theme criteria: an argument found by `expr`, developed when it
    /// has `min_hits` substantive sentences or a `develop` hit near it.
    Argument {
        expr: Expr,
        develop: Option<Expr>,
        min_hits: u32,
        /// Share of the points for an argument argued, not developed.
        partial_credit: f64,
        /// Shares for an argument developed, and developed in depth.
        developed: f64,
        in_depth: f64,
        stance: Stance,
    },
    /// A scholar: `names` finds mentions; full credit needs attribution when
    /// `attribution` is set.
    Scholar {
        names: Expr,
        attribution: bool,
        partial_credit: f64,
    },
    Structure(StructureCheck),
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub section: usize,
    pub kind: Kind,
    pub points: f64,
    pub required: bool,
    pub feedback: Option<String>,
    pub rule: Rule,
    /// Sentences that make the point (lens and theme; empty otherwise).
    pub examples: Vec<String>,
    /// Topical sentences that are not the point.
    pub counter_examples: Vec<String>,
}

/// A validated, compiled rubric.
#[derive(Debug)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub question: Option<String>,
    pub version: String,
    /// Where it came from (a path, or `builtin:ID`).
    pub source: String,
    pub pass_mark: f64,
    pub bands: Vec<Band>,
    pub off_topic_min_themes: u32,
    pub sections: Vec<Section>,
    pub criteria: Vec<Criterion>,
    pub phrases: PhraseSet,
    /// Reporting verbs and quotation cues that attribute a citation.
    pub reporting: Expr,
    /// The question's subject (`settings.focus`), when the rubric names it.
    pub focus: Option<Expr>,
    pub max_points: f64,
    /// Evidence by meaning (`settings.meaning`, `--no-meaning`).
    pub meaning: crate::meaning::Settings,
    /// The examples as vectors, computed on first use.
    pub(crate) meaning_vectors: std::sync::OnceLock<crate::meaning::Prepared>,
}

impl Rubric {
    /// The criteria's examples as vectors (computed once, on first use).
    pub fn meaning_vectors(&self) -> &crate::meaning::Prepared {
        self.meaning_vectors
            .get_or_init(|| crate::meaning::Prepared::new(self))
    }

    /// The default built-in rubric, compiled.
    pub fn builtin() -> Rubric {
        match Rubric::builtin_by_id(BUILTIN_ID) {
            Some(r) => r,
            None => unreachable!("the default built-in rubric is registered"),
        }
    }

    /// A built-in rubric by id, compiled (`None` for an unknown id).
    pub fn builtin_by_id(id: &str) -> Option<Rubric> {
        let b = builtin(id)?;
        match load_str(b.yaml, &format!("builtin:{}", b.id)) {
            Ok(r) => Some(r),
            // Built-in rubrics are tested; failing here is a build defect.
            Err(e) => unreachable!("built-in rubric {} does not load: {e}", b.id),
        }
    }

    pub fn band_for(&self, score: f64) -> &str {
        self.bands
            .iter()
            .find(|b| score >= b.min)
            .or(self.bands.last())
            .map_or("", |b| b.label.as_str())
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_loads_under_its_registered_id() {
        for b in BUILTINS {
            let r = Rubric::builtin_by_id(b.id).expect("registered");
            assert_eq!(r.id, b.id, "the YAML's id matches the registry");
            assert!(
                b.yaml
                    .starts_with("# yaml-language-server: $schema=rubric.schema.json"),
                "{} points editors at the shipped JSON Schema",
                b.id
            );
        }
        assert!(Rubric::builtin_by_id("no-such-rubric").is_none());
        assert!(BUILTINS.len() >= 3);
        assert_eq!(Rubric::builtin().id, BUILTIN_ID);
    }

    #[test]
    fn the_shipped_json_schema_is_the_generated_one() {
        // Regenerate with `essaymark rubric schema > rubrics/rubric.schema.json`.
        assert_eq!(
            json_schema(),
            include_str!("../../rubrics/rubric.schema.json"),
            "rubrics/rubric.schema.json is stale"
        );
    }
}
