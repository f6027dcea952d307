//! Load a rubric: parse YAML (serde-saphyr: located errors, duplicate keys
//! rejected, alias-bomb budget), validate every field, and compile match
//! expressions into one phrase set. All problems are collected, each with
//! file:line:column and the criterion it belongs to.

use super::schema::{CriterionSpec, MatchSpec, RubricFile, StructureCheck};
use super::{Band, Criterion, Kind, Rubric, RubricError, RubricErrors, Rule, Section};
use crate::matching::{Expr, PatternError, PhraseSetBuilder};
use serde_saphyr::Location;
use std::collections::HashSet;
use std::path::Path;

/// Largest rubric file read (a rubric is a few KB; this stops runaway input).
pub const MAX_RUBRIC_BYTES: u64 = 4 * 1024 * 1024;

/// Verbs and cues that attribute a view to a scholar (inflections included).
/// Most points one criterion may carry: far beyond any rubric, and small
/// enough that no sum of criteria overflows to infinity (a score of NaN
/// would pass any threshold).
const MAX_POINTS: f64 = 1_000_000.0;

pub const REPORTING_VERBS: &[&str] = &[
    "notes",
    "argues",
    "observes",
    "warns",
    "explains",
    "summarizes",
    "summarises",
    "writes",
    "states",
    "contends",
    "asserts",
    "point out",
    "maintains",
    "suggests",
    "remarks",
    "emphasizes",
    "emphasises",
    "stresses",
    "claims",
    "according to",
    "believes",
    "highlights",
    "describes",
    "concludes",
    "says",
    "puts it",
    "cautions",
    "insists",
    "reminds",
    "view of",
    "in the words of",
    "rightly",
    "opines",
    "comments",
    "acknowledges",
    "underlines",
    "adds",
    "terms",
    "calls",
    "identifies",
    "analysis",
    "analyses",
    "analyzes",
    "noted",
    "contended",
];

/// Read and compile a rubric file.
pub fn load_file(path: &Path) -> Result<Rubric, RubricErrors> {
    let name = path.display().to_string();
    let fail = |message: String| {
        RubricErrors(vec![RubricError {
            file: name.clone(),
            line: 1,
            column: 1,
            criterion: None,
            section: None,
            message,
            source_line: None,
        }])
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read rubric: {e}")))?;
    settings_file_allowed(path, &meta).map_err(fail)?;
    if meta.len() > MAX_RUBRIC_BYTES {
        return Err(fail(format!(
            "rubric is too large ({} bytes; the limit is {MAX_RUBRIC_BYTES})",
            meta.len()
        )));
    }
    // Read at most the limit: the length above is 0 for a device or FIFO
    // (a rubric linked to /dev/zero would otherwise be read forever).
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_RUBRIC_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(format!("cannot read rubric: {e}")))?;
    if bytes.len() as u64 > MAX_RUBRIC_BYTES {
        return Err(fail(format!(
            "rubric is too large (more than {MAX_RUBRIC_BYTES} bytes)"
        )));
    }
    if bytes.contains(&0) {
        return Err(fail(NOT_TEXT.into()));
    }
    let text = String::from_utf8(bytes).map_err(|e| fail(format!("rubric is not UTF-8: {e}")))?;
    load_str(&text, &name)
}

/// What a settings file with NUL bytes is told (and nothing of its bytes
/// is shown: `/proc/self/environ` is NUL-separated secrets).
pub const NOT_TEXT: &str = "not a text file (it contains NUL bytes): not read";

/// Whether a rubric or config file may be read at all: a regular file, and
/// not one of the kernel's (`/proc`, `/sys`, `/dev`), which a link in an
/// untrusted repository could point at to have its contents echoed in an
/// error. `meta` follows links.
pub fn settings_file_allowed(path: &Path, meta: &std::fs::Metadata) -> Result<(), String> {
    if !meta.is_file() {
        return Err("not a regular file (a device, pipe or folder): not read".into());
    }
    if let Ok(real) = path.canonicalize() {
        if ["/proc", "/sys", "/dev"]
            .iter()
            .any(|d| real.starts_with(d))
        {
            return Err(format!(
                "resolves to a system file ({}): not read",
                real.display()
            ));
        }
    }
    Ok(())
}

/// Parse and compile rubric YAML; `file` names it in errors.
pub fn load_str(yaml: &str, file: &str) -> Result<Rubric, RubricErrors> {
    let ctx = Ctx {
        file,
        lines: yaml_lines(yaml),
        errors: Vec::new(),
        regex_budget: RegexBudget::default(),
    };
    let parsed: Result<RubricFile, _> = serde_saphyr::from_str(yaml);
    match parsed {
        Ok(spec) => compile(spec, ctx),
        Err(e) => {
            let loc = e.location();
            let (line, column) = loc.map_or((1, 1), |l| {
                (l.line().max(1) as usize, l.column().max(1) as usize)
            });
            let (criterion, section) = match enclosing_item(&ctx.lines, line) {
                Some((Item::Section, id)) => (None, Some(id)),
                Some((Item::Criterion, id)) => (Some(id), None),
                None => (None, None),
            };
            let message = first_line(&e.to_string());
            let message = budget_message(&message).unwrap_or(message);
            Err(RubricErrors(vec![RubricError {
                file: file.to_string(),
                line,
                column,
                criterion,
                section,
                message,
                source_line: ctx.lines.get(line - 1).map(|s| s.to_string()),
            }]))
        }
    }
}

/// serde-saphyr's message without its own location prefix and snippet.
fn first_line(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    // serde-saphyr may lead with its own "line N column M: "; we print ours.
    let first = match first.strip_prefix("line ").and_then(|r| r.split_once(": ")) {
        Some((pos, rest)) if pos.contains("column") => rest,
        _ => first,
    };
    // Drop a trailing " at line X column Y" the parser may add; we print our own.
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// The lines of a YAML file as YAML numbers them: `\n`, `\r\n` and a lone
/// `\r` each end a line. `str::lines` does not split at a lone `\r`, so
/// errors in a file with old Mac line ends (or a stray `\r`) showed the
/// wrong source line, or none (found by fuzzing).
pub fn yaml_lines(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = s;
    while let Some(i) = rest.find(['\r', '\n']) {
        out.push(&rest[..i]);
        let end = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
        rest = &rest[i + end..];
    }
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// serde-saphyr reports a breached YAML budget in Debug form (`budget
/// breached: Nodes { nodes: 250001 }`); say which limit, in words. The
/// budgets are serde-saphyr's defaults (docs/limits.md lists them).
fn budget_message(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("budget breached: ")?;
    let (kind, fields) = rest.split_once(' ').unwrap_or((rest, ""));
    let n = fields
        .split(|c: char| !c.is_ascii_digit())
        .find(|s| !s.is_empty())
        .and_then(|s| s.parse::<usize>().ok())
        .unwrap_or(1);
    let what = match kind {
        "Depth" => format!("nesting deeper than {} levels", n.saturating_sub(1)),
        "Nodes" => format!("more than {} nodes", n.saturating_sub(1)),
        "Events" => format!("more than {} parser events", n.saturating_sub(1)),
        "Aliases" => format!("more than {} aliases", n.saturating_sub(1)),
        "Anchors" => format!("more than {} anchors", n.saturating_sub(1)),
        "Documents" => format!("more than {} documents", n.saturating_sub(1)),
        "ScalarBytes" => format!("{n} bytes of text once aliases are expanded"),
        "AliasAnchorRatio" => "far more aliases than anchors".into(),
        "RecordedAnchorEvents" | "RecordedAnchorBytes" => {
            "anchored content copied too often".into()
        }
        _ => rest.to_string(),
    };
    Some(if matches!(kind, "Depth" | "Documents") {
        format!("YAML budget exceeded: {what}")
    } else {
        format!("YAML budget exceeded: {what} (a rubric is a few KB; is this an alias bomb?)")
    })
}

/// What a list item with an `id:` is: a section or a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Item {
    Section,
    Criterion,
}

/// The `id:` of the list item that encloses `line` (1-based), and whether
/// that item is a section or a criterion, for naming it in a parse error.
fn enclosing_item(lines: &[&str], line: usize) -> Option<(Item, String)> {
    let (at, id) = enclosing_id_line(lines, line)?;
    let indent = |l: &str| l.len() - l.trim_start_matches([' ', '\t']).len();
    let own = indent(lines[at]);
    // The key the item's list hangs from: the nearest line above at no
    // deeper indentation that is a key, not another item of the list.
    let parent = lines[..at].iter().rev().find_map(|l| {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') || t.starts_with('-') || indent(l) > own {
            return None;
        }
        Some(t.split(':').next().unwrap_or(t).trim())
    });
    let item = match parent {
        Some("sections") => Item::Section,
        _ => Item::Criterion,
    };
    Some((item, id))
}

/// The `id:` of the list item that encloses `line` (1-based), with the
/// index of the line that holds it.
fn enclosing_id_line(lines: &[&str], line: usize) -> Option<(usize, String)> {
    let upto = line.min(lines.len());
    for (i, l) in lines[..upto].iter().enumerate().rev() {
        // A top-level key (the rubric's own `id:` among them) ends the
        // search: whatever is above it is not the item the error is in.
        if !l.is_empty() && !l.starts_with([' ', '\t', '-', '#']) {
            return None;
        }
        let t = l.trim_start().trim_start_matches("- ").trim_start();
        // Flow style too: `- {id: c1, points: 2, ...}`.
        let t = t.strip_prefix('{').map_or(t, str::trim_start);
        if let Some(rest) = t.strip_prefix("id:") {
            let rest = rest.split([',', '}']).next().unwrap_or(rest);
            let id = rest.trim().trim_matches(['"', '\'']);
            if !id.is_empty() {
                return Some((i, id.to_string()));
            }
        }
    }
    None
}

#[cfg(test)]
fn enclosing_id(lines: &[&str], line: usize) -> Option<String> {
    enclosing_id_line(lines, line).map(|(_, id)| id)
}

struct Ctx<'a> {
    file: &'a str,
    lines: Vec<&'a str>,
    errors: Vec<RubricError>,
    regex_budget: RegexBudget,
}

/// Most regexes one rubric may hold: each is matched on its own over every
/// essay and keeps its own lazy-DFA cache, so time and memory grow with
/// the count (12,000 small regexes ran for over 100 s).
pub const MAX_REGEXES: usize = 1_000;

/// Most compiled size (Thompson NFA, as the `regex` crate counts its size
/// limit) of all a rubric's regexes together: the `RegexSet` built from
/// them refuses more anyway, but only after every one of them was compiled
/// and held (5,000 `\w` regexes took 2.4-3.6 GB before that refusal).
pub const MAX_REGEX_BYTES: usize = 8 * crate::matching::REGEX_SIZE_LIMIT;

/// What the rubric's regexes cost so far, checked before each is compiled
/// for matching, so a rubric over budget is refused within milliseconds
/// and a few MB.
#[derive(Default)]
struct RegexBudget {
    count: usize,
    bytes: usize,
    spent: bool,
}

impl RegexBudget {
    /// Count `pattern` in. `Err(Some(reason))` the first time the budget is
    /// exceeded, `Err(None)` for every regex after it (one error is enough).
    fn charge(&mut self, pattern: &str) -> Result<(), Option<String>> {
        use regex_automata::nfa::thompson;
        use regex_automata::util::syntax;
        if self.spent {
            return Err(None);
        }
        self.count += 1;
        if self.count > MAX_REGEXES {
            self.spent = true;
            return Err(Some(format!(
                "more than {MAX_REGEXES} regexes in one rubric: each is matched separately, \
                 so grading time and memory grow with their number (use phrases)"
            )));
        }
        // Compiled as the matcher will (case-insensitive, Unicode); an
        // invalid pattern is left to the matcher's own, worded, error.
        let nfa = thompson::Compiler::new()
            .syntax(syntax::Config::new().case_insensitive(true))
            .configure(
                thompson::Config::new()
                    .nfa_size_limit(Some(crate::matching::REGEX_SIZE_LIMIT))
                    .shrink(false),
            )
            .build(pattern);
        if let Ok(nfa) = nfa {
            self.bytes += nfa.memory_usage();
            if self.bytes > MAX_REGEX_BYTES {
                self.spent = true;
                return Err(Some(format!(
                    "the rubric's regexes compile to more than {MAX_REGEX_BYTES} bytes together \
                     (reached at this one, regex {}): `\\w`, `\\d` and `.` match every script and \
                     compile large; `[a-z]` or phrases are far smaller",
                    self.count
                )));
            }
        }
        Ok(())
    }
}

impl Ctx<'_> {
    fn error(&mut self, loc: Location, criterion: Option<&str>, message: impl Into<String>) {
        self.push(loc, criterion.map(str::to_string), None, message.into());
    }

    /// An error in a section itself, not in one of its criteria.
    fn section_error(&mut self, loc: Location, section: &str, message: impl Into<String>) {
        self.push(loc, None, Some(section.to_string()), message.into());
    }

    fn push(
        &mut self,
        loc: Location,
        criterion: Option<String>,
        section: Option<String>,
        message: String,
    ) {
        let line = (loc.line() as usize).max(1);
        let column = (loc.column() as usize).max(1);
        self.errors.push(RubricError {
            file: self.file.to_string(),
            line,
            column,
            criterion,
            section,
            message,
            source_line: self.lines.get(line - 1).map(|s| s.to_string()),
        });
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

fn compile(spec: RubricFile, mut ctx: Ctx) -> Result<Rubric, RubricErrors> {
    let mut builder = PhraseSetBuilder::default();
    let settings = &spec.settings;
    if !valid_id(&spec.id.value) {
        ctx.error(
            spec.id.referenced,
            None,
            format!(
                "rubric id {:?} must be lower-case letters, digits, '-' or '_'",
                spec.id.value
            ),
        );
    }
    if !(0.0..=1.0).contains(&settings.partial_credit) {
        ctx.error(
            spec.id.referenced,
            None,
            "settings.partial_credit must be between 0 and 1",
        );
    }
    if settings.min_hits == 0 {
        ctx.error(
            spec.id.referenced,
            None,
            "settings.min_hits must be at least 1",
        );
    }
    let levels = &settings.levels;
    let argued = levels.argued.unwrap_or(settings.partial_credit);
    if ![argued, levels.developed, levels.in_depth]
        .iter()
        .all(|x| (0.0..=1.0).contains(x))
        || argued > levels.developed
        || levels.developed > levels.in_depth
    {
        ctx.error(
            spec.id.referenced,
            None,
            format!(
                "settings.levels: shares must be between 0 and 1 and rise with the level (argued {argued} <= developed {} <= in_depth {})",
                levels.developed, levels.in_depth
            ),
        );
    }

    let mut seen_ids: HashSet<String> = HashSet::new();
    let mut sections = Vec::new();
    let mut criteria = Vec::new();
    if spec.sections.is_empty() {
        ctx.error(spec.id.referenced, None, "the rubric has no sections");
    }
    for section in &spec.sections {
        let sid = section.id.value.clone();
        if !valid_id(&sid) {
            ctx.section_error(
                section.id.referenced,
                &sid,
                "section id must be lower-case letters, digits, '-' or '_'",
            );
        }
        if !seen_ids.insert(sid.clone()) {
            ctx.section_error(section.id.referenced, &sid, format!("duplicate id `{sid}`"));
        }
        if section.criteria.is_empty() {
            ctx.section_error(section.id.referenced, &sid, "section has no criteria");
        }
        let section_index = sections.len();
        sections.push(Section {
            id: sid.clone(),
            title: section.title.clone(),
            kind: section.kind,
        });
        for c in &section.criteria {
            let id = c.id.value.clone();
            if !valid_id(&id) {
                ctx.error(
                    c.id.referenced,
                    Some(&id),
                    "criterion id must be lower-case letters, digits, '-' or '_'",
                );
            }
            if !seen_ids.insert(id.clone()) {
                ctx.error(c.id.referenced, Some(&id), format!("duplicate id `{id}`"));
            }
            if !c.points.value.is_finite() || c.points.value < 0.0 || c.points.value > MAX_POINTS {
                ctx.error(
                    c.points.referenced,
                    Some(&id),
                    "points must be a number from 0 to 1000000",
                );
            }
            if let Some(p) = c.partial_credit {
                if !(0.0..=1.0).contains(&p) {
                    ctx.error(
                        c.id.referenced,
                        Some(&id),
                        "partial_credit must be between 0 and 1",
                    );
                }
            }
            if let Some(rule) = compile_rule(
                section.kind,
                section.stance,
                c,
                settings,
                &mut builder,
                &mut ctx,
            ) {
                criteria.push(Criterion {
                    id: id.clone(),
                    title: c.title.clone().unwrap_or_else(|| default_title(c)),
                    section: section_index,
                    kind: section.kind,
                    points: c.points.value.max(0.0),
                    required: c.required,
                    feedback: c.feedback.clone(),
                    rule,
                    examples: c.examples.clone(),
                    counter_examples: c.counter_examples.clone(),
                });
            }
        }
    }

    let max_points: f64 = criteria.iter().map(|c| c.points).sum();
    // Count every criterion as written, including any that failed to compile,
    // so the sum names what the teacher typed.
    let written: f64 = spec
        .sections
        .iter()
        .flat_map(|s| &s.criteria)
        .map(|c| c.points.value.max(0.0))
        .sum();
    if let Some(total) = &spec.total {
        if (total.value - written).abs() > 1e-6 {
            ctx.error(
                total.referenced,
                None,
                format!(
                    "criterion points add up to {written}, but `total` says {}",
                    total.value
                ),
            );
        }
    }
    if max_points <= 0.0 && !criteria.is_empty() {
        ctx.error(
            spec.id.referenced,
            None,
            "criterion points add up to 0: nothing can be scored",
        );
    }
    let pass_mark = match &spec.pass_mark {
        Some(p) if !(0.0..=100.0).contains(&p.value) => {
            ctx.error(p.referenced, None, "pass_mark must be between 0 and 100");
            50.0
        }
        Some(p) => p.value,
        None => 50.0,
    };
    let bands = match &spec.bands {
        None => default_bands(),
        Some(b) => {
            let list: Vec<Band> = b
                .value
                .iter()
                .map(|x| Band {
                    min: x.min,
                    label: x.label.clone(),
                })
                .collect();
            if list.is_empty() {
                ctx.error(b.referenced, None, "bands is empty");
            }
            for w in list.windows(2) {
                if w[0].min <= w[1].min {
                    ctx.error(b.referenced, None, format!(
                        "bands out of order: list them highest first (`{}` at {} comes before `{}` at {})",
                        w[0].label, w[0].min, w[1].label, w[1].min
                    ));
                    break;
                }
            }
            if list.iter().any(|x| !(0.0..=100.0).contains(&x.min)) {
                ctx.error(
                    b.referenced,
                    None,
                    "band minimums must be between 0 and 100",
                );
            }
            if list.last().is_some_and(|x| x.min > 0.0) {
                ctx.error(
                    b.referenced,
                    None,
                    "the last band must start at 0 so every score has a band",
                );
            }
            list
        }
    };

    let mut meaning = crate::meaning::Settings {
        enabled: settings.meaning,
        ..Default::default()
    };
    if let Some(t) = settings.meaning_threshold {
        if (0.0..=1.0).contains(&t) {
            meaning.threshold = t;
        } else {
            ctx.error(
                spec.id.referenced,
                None,
                "settings.meaning_threshold must be between 0 and 1",
            );
        }
    }
    let reporting = reporting_expr(&settings.reporting_verbs, &mut builder);
    let focus = (!settings.focus.is_empty()).then(|| {
        Expr::Any(
            settings
                .focus
                .iter()
                .filter_map(|f| builder.phrase(f, |_, _| false).ok())
                .map(Expr::Phrase)
                .collect(),
        )
    });
    let phrases = match builder.build() {
        Ok(p) => Some(p),
        Err(e) => {
            ctx.error(spec.id.referenced, None, e.to_string());
            None
        }
    };
    if !ctx.errors.is_empty() {
        return Err(RubricErrors(ctx.errors));
    }
    let Some(phrases) = phrases else {
        return Err(RubricErrors(ctx.errors));
    };
    Ok(Rubric {
        id: spec.id.value,
        title: spec.title,
        question: spec.question,
        version: spec.version,
        source: ctx.file.to_string(),
        pass_mark,
        bands,
        off_topic_min_themes: settings.off_topic_min_themes,
        sections,
        criteria,
        phrases,
        reporting,
        focus,
        max_points,
        meaning,
        meaning_vectors: std::sync::OnceLock::new(),
    })
}

fn default_bands() -> Vec<Band> {
    [
        (80.0, "Excellent"),
        (65.0, "Good"),
        (50.0, "Adequate"),
        (0.0, "Needs work"),
    ]
    .into_iter()
    .map(|(min, label)| Band {
        min,
        label: label.into(),
    })
    .collect()
}

fn default_title(c: &CriterionSpec) -> String {
    c.name
        .as_ref()
        .map_or_else(|| c.id.value.replace('-', " "), |n| n.value.clone())
}

fn reporting_expr(extra: &[String], builder: &mut PhraseSetBuilder) -> Expr {
    let items = REPORTING_VERBS
        .iter()
        .map(|s| s.to_string())
        .chain(extra.iter().cloned())
        .filter_map(|v| builder.phrase(&v, |_, _| false).ok())
        .map(Expr::Phrase)
        .collect();
    Expr::Any(items)
}

fn compile_rule(
    kind: Kind,
    section_stance: Option<super::Stance>,
    c: &CriterionSpec,
    settings: &super::schema::Settings,
    builder: &mut PhraseSetBuilder,
    ctx: &mut Ctx,
) -> Option<Rule> {
    let id = c.id.value.as_str();
    let misplaced = |field: &str, present: bool, ctx: &mut Ctx| {
        if present {
            ctx.error(
                c.id.referenced,
                Some(id),
                format!("`{field}` does not apply to {} criteria", kind.as_str()),
            );
        }
    };
    let partial_credit = c.partial_credit.unwrap_or(settings.partial_credit);
    let argued_share = c
        .partial_credit
        .or(settings.levels.argued)
        .unwrap_or(settings.partial_credit);
    let fuzzy_on = settings.fuzzy && c.fuzzy.unwrap_or(true);
    match kind {
        Kind::Lens | Kind::Theme => {
            misplaced("name", c.name.is_some(), ctx);
            misplaced("aliases", !c.aliases.is_empty(), ctx);
            misplaced("attribution", c.attribution.is_some(), ctx);
            misplaced("check", c.check.is_some(), ctx);
            let Some(m) = &c.matcher else {
                ctx.error(
                    c.id.referenced,
                    Some(id),
                    "a lens or theme criterion needs a `match` block",
                );
                return None;
            };
            let expr = compile_expr(&m.value, m.referenced, id, fuzzy_on, builder, ctx)?;
            let develop = match &c.develop {
                Some(d) => Some(compile_expr(
                    &d.value,
                    d.referenced,
                    id,
                    fuzzy_on,
                    builder,
                    ctx,
                )?),
                None => None,
            };
            for (field, list) in [
                ("examples", &c.examples),
                ("counter_examples", &c.counter_examples),
            ] {
                if list.len() > 50 {
                    ctx.error(
                        c.id.referenced,
                        Some(id),
                        format!("at most 50 {field} (got {})", list.len()),
                    );
                }
                for e in list {
                    if e.trim().is_empty() || e.chars().count() > 400 {
                        ctx.error(
                            c.id.referenced,
                            Some(id),
                            format!("{field}: each is one sentence of 1-400 characters"),
                        );
                        break;
                    }
                }
            }
            let min_hits = c.min_hits.unwrap_or(settings.min_hits);
            if min_hits == 0 {
                ctx.error(c.id.referenced, Some(id), "min_hits must be at least 1");
            }
            let stance = c.stance.or(section_stance).unwrap_or(match kind {
                Kind::Lens => super::Stance::Adopt,
                _ => super::Stance::Discuss,
            });
            Some(Rule::Argument {
                expr,
                develop,
                min_hits,
                partial_credit: argued_share,
                developed: settings.levels.developed,
                in_depth: settings.levels.in_depth,
                stance,
            })
        }
        Kind::Scholar => {
            misplaced("examples", !c.examples.is_empty(), ctx);
            misplaced("counter_examples", !c.counter_examples.is_empty(), ctx);
            misplaced("match", c.matcher.is_some(), ctx);
            misplaced("develop", c.develop.is_some(), ctx);
            misplaced("check", c.check.is_some(), ctx);
            misplaced("min_hits", c.min_hits.is_some(), ctx);
            let Some(name) = &c.name else {
                ctx.error(
                    c.id.referenced,
                    Some(id),
                    "a scholar criterion needs a `name`",
                );
                return None;
            };
            let mut items = Vec::new();
            for n in std::iter::once(&name.value).chain(&c.aliases) {
                match builder.phrase(n, |w, _| fuzzy_on && w.chars().count() >= 4) {
                    Ok(p) => items.push(Expr::Phrase(p)),
                    Err(e) => ctx.error(name.referenced, Some(id), e.to_string()),
                }
            }
            Some(Rule::Scholar {
                names: Expr::Any(items),
                attribution: c.attribution.unwrap_or(true),
                partial_credit,
            })
        }
        Kind::Structure => {
            misplaced("examples", !c.examples.is_empty(), ctx);
            misplaced("counter_examples", !c.counter_examples.is_empty(), ctx);
            misplaced("match", c.matcher.is_some(), ctx);
            misplaced("develop", c.develop.is_some(), ctx);
            misplaced("name", c.name.is_some(), ctx);
            let Some(check) = &c.check else {
                ctx.error(
                    c.id.referenced,
                    Some(id),
                    "a structure criterion needs a `check`",
                );
                return None;
            };
            if let StructureCheck::Words { min, max } = check.value {
                if min > max {
                    ctx.error(
                        check.referenced,
                        Some(id),
                        format!("words: min ({min}) is greater than max ({max})"),
                    );
                }
            }
            Some(Rule::Structure(check.value.clone()))
        }
    }
}

fn compile_expr(
    spec: &MatchSpec,
    loc: Location,
    id: &str,
    fuzzy_on: bool,
    builder: &mut PhraseSetBuilder,
    ctx: &mut Ctx,
) -> Option<Expr> {
    // Errors point at the phrase itself when its position is known.
    let here = |at: &Location| if *at == Location::UNKNOWN { loc } else { *at };
    match spec {
        MatchSpec::Phrase { text, fuzzy, at } => {
            let allow = fuzzy.unwrap_or(fuzzy_on);
            // Names (written capitalised in the rubric) and long terms
            // tolerate misspellings; short common words never do.
            let fuzzy = |w: &str, raw: &str| {
                let n = w.chars().count();
                allow && n >= 5 && (n >= 8 || raw.chars().next().is_some_and(char::is_uppercase))
            };
            match builder.phrase(text, fuzzy) {
                Ok(p) => Some(Expr::Phrase(p)),
                Err(e) => {
                    ctx.error(here(at), Some(id), e.to_string());
                    None
                }
            }
        }
        MatchSpec::Regex { pattern: r, at } => match ctx.regex_budget.charge(r) {
            Err(reason) => {
                if let Some(m) = reason {
                    ctx.error(here(at), Some(id), m);
                }
                None
            }
            Ok(()) => match builder.regex(r) {
                Ok(x) => Some(Expr::Regex(x)),
                Err(e) => {
                    let msg = match e {
                        PatternError::Regex(m) => {
                            let last = m.lines().last().unwrap_or("").trim();
                            format!(
                                "invalid regex {r:?}: {}",
                                last.strip_prefix("error: ").unwrap_or(last)
                            )
                        }
                        other => other.to_string(),
                    };
                    ctx.error(here(at), Some(id), msg);
                    None
                }
            },
        },
        MatchSpec::Any(items) | MatchSpec::All { items, .. } => {
            if items.is_empty() {
                ctx.error(loc, Some(id), "empty phrase list: give at least one phrase");
                return None;
            }
            let compiled: Vec<Expr> = items
                .iter()
                .filter_map(|i| compile_expr(i, loc, id, fuzzy_on, builder, ctx))
                .collect();
            if compiled.len() != items.len() {
                return None;
            }
            Some(match spec {
                MatchSpec::All { within, .. } => Expr::All(compiled, *within),
                _ => Expr::Any(compiled),
            })
        }
    }
}

#[cfg(test)]
mod hostile_tests {
    use super::{budget_message, enclosing_id, enclosing_item, load_file, load_str, Item};

    #[test]
    fn budget_breaches_are_said_in_words() {
        assert_eq!(
            budget_message("budget breached: Nodes { nodes: 250001 }").unwrap(),
            "YAML budget exceeded: more than 250000 nodes (a rubric is a few KB; is this an alias bomb?)"
        );
        assert!(budget_message("budget breached: Depth { depth: 65 }")
            .unwrap()
            .contains("nesting deeper than 64 levels"));
        assert_eq!(budget_message("unknown field `x`"), None);
        let deep = format!(
            "id: x\ntitle: t\nsections:\n  - id: s\n    title: S\n    criteria:\n      - {{id: c, points: 1, match: {}a{}}}\n",
            "[".repeat(100),
            "]".repeat(100)
        );
        let err = load_str(&deep, "r.yaml").unwrap_err();
        assert!(
            err.0[0]
                .message
                .starts_with("YAML budget exceeded: nesting deeper than"),
            "{err}"
        );
    }

    #[test]
    fn lone_carriage_returns_end_lines_as_in_yaml() {
        use super::yaml_lines;
        assert_eq!(yaml_lines("a\rb\r\nc\nd"), ["a", "b", "c", "d"]);
        assert_eq!(yaml_lines("a\n\nb\n"), ["a", "", "b"]);
        assert!(yaml_lines("").is_empty());
        // Old Mac line ends: the error is on line 3 and shows line 3.
        let err = load_str("id: x\rtitle: t\rcolour: red\rsections: []\r", "r.yaml").unwrap_err();
        let e = &err.0[0];
        assert_eq!(
            (e.line, e.source_line.as_deref()),
            (3, Some("colour: red")),
            "{err}"
        );
    }

    #[test]
    fn top_level_errors_name_no_criterion() {
        let lines = ["id: rubric", "title: t", "colour: red"];
        assert_eq!(enclosing_id(&lines, 3), None);
        let lines = [
            "id: rubric",
            "sections:",
            "  - id: s",
            "    criteria:",
            "      - id: c",
            "        pints: 1",
        ];
        assert_eq!(enclosing_id(&lines, 6).as_deref(), Some("c"));
        // A list at column 0 is still inside `sections`.
        let lines = ["sections:", "- id: s", "  bad: 1"];
        assert_eq!(enclosing_id(&lines, 3).as_deref(), Some("s"));
        let lines = [
            "sections:",
            "  - id: s",
            "    criteria:",
            "      - {id: c1, title: *t}",
        ];
        assert_eq!(enclosing_id(&lines, 4).as_deref(), Some("c1"));
        let err = load_str("id: x\ntitle: t\ncolour: red\n", "r.yaml").unwrap_err();
        assert_eq!(err.0[0].criterion, None, "{err}");
    }

    #[test]
    fn an_error_in_a_section_names_the_section_not_a_criterion() {
        let yaml = "id: t\ntitle: T\nsections:\n  - id: s\n    criteria:\n      - id: a\n        title: A\n        points: 2\n        match: [durand line]\n";
        let err = load_str(yaml, "r.yaml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "r.yaml:5:5: section `s`: missing field `title`"
        );
        assert_eq!(
            (err.0[0].criterion.as_deref(), err.0[0].section.as_deref()),
            (None, Some("s"))
        );
        // In a criterion, the criterion is named.
        let yaml = "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria:\n      - id: a\n        title: A\n        pints: 2\n";
        let err = load_str(yaml, "r.yaml").unwrap_err();
        assert!(err.to_string().contains(": criterion `a`: "), "{err}");
        // At column 0 too, and for the checks after parsing.
        let lines = ["sections:", "- id: s", "  bad: 1"];
        assert_eq!(enclosing_item(&lines, 3), Some((Item::Section, "s".into())));
        let yaml = "id: t\ntitle: T\nsections:\n  - id: s\n    title: S\n    criteria: []\n";
        let err = load_str(yaml, "r.yaml").unwrap_err();
        assert!(
            err.to_string()
                .contains("section `s`: section has no criteria"),
            "{err}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_rubric_that_never_ends_is_cut_off() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero.yaml");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        // Refused before a byte is read: a device is not a rubric.
        let err = load_file(&link).unwrap_err();
        assert_eq!(
            err.0[0].message,
            "not a regular file (a device, pipe or folder): not read"
        );
    }
}
