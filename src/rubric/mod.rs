//! Rubrics: the YAML schema, loading with located errors, validation, and
//! compilation into matchers that are built once and reused for every essay.

mod error;
mod load;
pub mod schema;

pub use error::{RubricError, RubricErrors};
pub use load::{load_file, load_str};
pub use schema::{Kind, StructureCheck, Within};

use crate::matching::{Expr, PhraseSet};

/// The built-in rubric (Taliban rule and Pakistan's western security dilemma).
pub const BUILTIN_ID: &str = "pakistan-western-security";
pub const BUILTIN_YAML: &str = include_str!("../../rubrics/pakistan-western-security.yaml");

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
        partial_credit: f64,
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
    pub max_points: f64,
}

impl Rubric {
    /// The built-in rubric, compiled.
    pub fn builtin() -> Rubric {
        match load_str(BUILTIN_YAML, &format!("builtin:{BUILTIN_ID}")) {
            Ok(r) => r,
            // The built-in rubric is tested; failing here is a build defect.
            Err(e) => unreachable!("built-in rubric does not load: {e}"),
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
