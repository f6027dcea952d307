//! The project configuration file, `.essaymark.yaml`: defaults for `check`
//! (threshold, format, required criteria) and, for CI, the list of essays to
//! grade, each group with its own rubric.
//!
//! The file is found by walking up from the current folder (like
//! `.vale.ini` or `_typos.toml`) or given with `--config`. Every path in it
//! (essay globs, rubrics) is relative to the folder that holds it. Unknown
//! keys are errors, reported with file:line:column like rubric errors.
//!
//! ```yaml
//! fail_under: 60
//! required_must_pass: false
//! similarity: 0.6        # flag pairs of submissions sharing 60% (0: off)
//! format: text
//! ignore: ["drafts/**"]
//! essays:
//!   - paths: ["answers/security/**/*.md"]
//!     rubric: rubrics/pakistan-western-security.yaml
//! ```

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use serde_saphyr::{Location, Spanned};
use std::fmt;
use std::path::{Component, Path, PathBuf};

/// File names looked for in each folder, in order.
pub const CONFIG_FILE_NAMES: &[&str] = &[".essaymark.yaml", ".essaymark.yml"];

/// Largest config file read.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

/// A line and column (1-based) in the config file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

impl Pos {
    fn of(loc: Location) -> Pos {
        Pos {
            line: (loc.line() as usize).max(1),
            column: (loc.column() as usize).max(1),
        }
    }
}

/// A config value and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub pos: Pos,
}

/// One problem in a config file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The offending source line, for a caret display.
    pub source_line: Option<String>,
}

impl ConfigError {
    /// The error with the offending line and a caret under the column.
    pub fn render_snippet(&self) -> String {
        let mut out = self.to_string();
        if let Some(line) = &self.source_line {
            out.push('\n');
            out.push_str(&crate::rubric::error::source_snippet(
                self.line,
                self.column,
                line,
                1,
            ));
        }
        out
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// All problems found in one config file (at least one).
#[derive(Debug, Clone)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl ConfigErrors {
    /// Every error with its source snippet, one after the other.
    pub fn render(&self) -> String {
        self.0
            .iter()
            .map(ConfigError::render_snippet)
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        crate::rubric::error::write_lines(f, &self.0)
    }
}

impl std::error::Error for ConfigErrors {}

/// The file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    fail_under: Option<Spanned<f64>>,
    /// `check --similarity`'s threshold for a batch (0-1; 0 switches it off).
    #[serde(default)]
    similarity: Option<Spanned<f64>>,
    #[serde(default)]
    max_missing_required: Option<usize>,
    #[serde(default)]
    required_must_pass: bool,
    #[serde(default)]
    format: Option<Spanned<String>>,
    #[serde(default)]
    rubric: Option<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    essays: Vec<GroupSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupSpec {
    paths: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    rubric: Option<Spanned<String>>,
    #[serde(default)]
    fail_under: Option<Spanned<f64>>,
    #[serde(default)]
    max_missing_required: Option<usize>,
}

/// One `essays` entry: globs and the rubric they are graded against.
#[derive(Debug, Clone)]
pub struct EssayGroup {
    /// The globs as written (relative to the config folder).
    pub patterns: Vec<String>,
    /// The rubric, resolved against the config folder; `None`: the
    /// config-wide `rubric`, else the built-in one.
    pub rubric: Option<PathBuf>,
    /// The group's own thresholds (over the config-wide ones).
    pub fail_under: Option<f64>,
    pub max_missing_required: Option<usize>,
    /// Where the group's `paths` were written.
    pub pos: Pos,
    matcher: GlobSet,
    /// Folders (relative to the config folder, `/`-separated, "" for the
    /// folder itself) under which a match can be; walking starts there.
    bases: Vec<String>,
}

impl EssayGroup {
    /// Whether the group's globs match `rel` (relative to the config
    /// folder, `/`-separated).
    pub fn matches(&self, rel: &str) -> bool {
        self.matcher.is_match(rel)
    }

    /// Folders under which a match can be; walking starts there.
    pub fn bases(&self) -> &[String] {
        &self.bases
    }
}

/// A loaded, validated config file.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file, as found or given.
    pub file: PathBuf,
    /// The similarity threshold for a batch (`check --similarity`), 0 to 1.
    pub similarity: Option<f64>,
    /// The folder every path in the file is relative to ("" when that is the
    /// current folder, so essay paths print as written).
    pub dir: PathBuf,
    pub fail_under: Option<f64>,
    pub max_missing_required: Option<usize>,
    pub required_must_pass: bool,
    /// The format name as written; the CLI checks it against its formats.
    pub format: Option<Located<String>>,
    /// Default rubric for every group (and for paths given on the command
    /// line), resolved against the config folder.
    pub rubric: Option<PathBuf>,
    pub ignore: Vec<String>,
    pub essays: Vec<EssayGroup>,
    ignore_set: GlobSet,
    lines: Vec<String>,
}

/// What the config says about one path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// Under `ignore`: never graded.
    Ignored,
    /// Matched by this group (index into [`Config::essays`]; the first
    /// group that matches).
    Group(usize),
    /// Outside every group: graded with the config-wide settings.
    Ungrouped,
}

/// Walk up from `start` for the first folder holding a config file. The
/// result is relative to `start` (`.essaymark.yaml`, `../.essaymark.yaml`, …)
/// so that essay paths derived from it print relative to where the user is.
pub fn discover(start: &Path) -> Option<PathBuf> {
    for (depth, dir) in start.ancestors().enumerate() {
        for name in CONFIG_FILE_NAMES {
            if dir.join(name).is_file() {
                let mut rel = PathBuf::new();
                for _ in 0..depth {
                    rel.push("..");
                }
                return Some(rel.join(name));
            }
        }
    }
    None
}

/// Read and validate a config file.
pub fn load_file(path: &Path) -> Result<Config, ConfigErrors> {
    let name = path.display().to_string();
    let fail = |message: String| {
        ConfigErrors(vec![ConfigError {
            file: name.clone(),
            line: 1,
            column: 1,
            message,
            source_line: None,
        }])
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(format!("cannot read config: {e}")))?;
    crate::rubric::settings_file_allowed(path, &meta).map_err(fail)?;
    if meta.len() > MAX_CONFIG_BYTES {
        return Err(fail(format!(
            "config is too large ({} bytes; the limit is {MAX_CONFIG_BYTES})",
            meta.len()
        )));
    }
    // Read at most the limit: the length above is 0 for a device or FIFO
    // (a config linked to /dev/zero would otherwise be read forever).
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CONFIG_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| fail(format!("cannot read config: {e}")))?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Err(fail(format!(
            "config is too large (more than {MAX_CONFIG_BYTES} bytes)"
        )));
    }
    if bytes.contains(&0) {
        return Err(fail(crate::rubric::NOT_TEXT.into()));
    }
    let text = String::from_utf8(bytes).map_err(|e| fail(format!("config is not UTF-8: {e}")))?;
    let dir = match path.parent() {
        Some(d) => d.to_path_buf(),
        None => PathBuf::new(),
    };
    load_str(&text, path, &dir)
}

/// Parse and validate config YAML. `file` names it in errors; `dir` is the
/// folder its paths are relative to.
pub fn load_str(yaml: &str, file: &Path, dir: &Path) -> Result<Config, ConfigErrors> {
    let name = file.display().to_string();
    // As YAML numbers lines: a lone '\r' ends one too.
    let lines: Vec<String> = crate::rubric::yaml_lines(yaml)
        .into_iter()
        .map(str::to_string)
        .collect();
    let error_at = |pos: Pos, message: String| ConfigError {
        file: name.clone(),
        line: pos.line,
        column: pos.column,
        message,
        source_line: lines.get(pos.line - 1).cloned(),
    };
    // A number written outside `range`, at its place.
    let out_of_range =
        |value: &Option<Spanned<f64>>, range: std::ops::RangeInclusive<f64>, rule: &str| {
            let t = value.as_ref()?;
            (!range.contains(&t.value))
                .then(|| error_at(Pos::of(t.referenced), format!("{rule} (got {})", t.value)))
        };
    // An empty file (or one with only comments) is a config of defaults.
    let blank = yaml.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    });
    let spec: ConfigFile = if blank {
        ConfigFile::default()
    } else {
        serde_saphyr::from_str(yaml).map_err(|e| {
            let pos = e.location().map_or(Pos { line: 1, column: 1 }, Pos::of);
            ConfigErrors(vec![error_at(pos, first_line(&e.to_string()))])
        })?
    };

    let mut errors = Vec::new();
    errors.extend(out_of_range(
        &spec.fail_under,
        0.0..=100.0,
        "fail_under must be between 0 and 100",
    ));
    errors.extend(out_of_range(
        &spec.similarity,
        0.0..=1.0,
        "similarity must be a share between 0 and 1, 0 switching it off",
    ));
    let mut ignore_set = GlobSetBuilder::new();
    let mut ignore = Vec::new();
    for pat in &spec.ignore {
        match normalize_pattern(&pat.value).and_then(|p| glob(&p).map(|g| (p, g))) {
            Ok((p, g)) => {
                // `drafts` and `drafts/` ignore the folder and all below it.
                let trimmed = p.trim_end_matches('/').to_string();
                ignore_set.add(g);
                if let Ok(g) = glob(&format!("{trimmed}/**")) {
                    ignore_set.add(g);
                }
                ignore.push(p);
            }
            Err(m) => errors.push(error_at(Pos::of(pat.referenced), m)),
        }
    }
    let ignore_set = ignore_set.build().unwrap_or_else(|_| GlobSet::empty());

    let mut essays = Vec::new();
    for g in &spec.essays {
        let pos = Pos::of(g.paths.referenced);
        errors.extend(out_of_range(
            &g.fail_under,
            0.0..=100.0,
            "fail_under must be between 0 and 100",
        ));
        if g.paths.value.is_empty() {
            errors.push(error_at(
                pos,
                "`paths` is empty: give at least one glob".into(),
            ));
            continue;
        }
        let mut set = GlobSetBuilder::new();
        let mut patterns = Vec::new();
        let mut bases = Vec::new();
        let mut ok = true;
        for pat in &g.paths.value {
            let at = Pos::of(pat.referenced);
            let p = match normalize_pattern(&pat.value) {
                Ok(p) => p,
                Err(m) => {
                    errors.push(error_at(at, m));
                    ok = false;
                    continue;
                }
            };
            // A folder named without a glob means every essay below it.
            let literal = !has_glob_meta(&p);
            let mut globs = vec![p.clone()];
            if literal && dir.join(&p).is_dir() {
                globs.push(format!("{}/**", p.trim_end_matches('/')));
            }
            for x in &globs {
                match glob(x) {
                    Ok(compiled) => {
                        set.add(compiled);
                    }
                    Err(m) => {
                        errors.push(error_at(at, m));
                        ok = false;
                    }
                }
            }
            bases.push(literal_base(&p, literal));
            patterns.push(pat.value.clone());
        }
        if !ok {
            continue;
        }
        let matcher = match set.build() {
            Ok(m) => m,
            Err(e) => {
                errors.push(error_at(pos, e.to_string()));
                continue;
            }
        };
        bases.sort();
        bases.dedup();
        let rubric = match g.rubric.as_ref().map(|r| rubric_path(dir, r)).transpose() {
            Ok(r) => r,
            Err((pos, m)) => {
                errors.push(error_at(pos, m));
                continue;
            }
        };
        essays.push(EssayGroup {
            patterns,
            rubric,
            fail_under: g.fail_under.as_ref().map(|t| t.value),
            max_missing_required: g.max_missing_required,
            pos,
            matcher,
            bases,
        });
    }
    let rubric = match spec
        .rubric
        .as_ref()
        .map(|r| rubric_path(dir, r))
        .transpose()
    {
        Ok(r) => r,
        Err((pos, m)) => {
            errors.push(error_at(pos, m));
            None
        }
    };
    if !errors.is_empty() {
        return Err(ConfigErrors(errors));
    }
    Ok(Config {
        file: file.to_path_buf(),
        dir: dir.to_path_buf(),
        fail_under: spec.fail_under.map(|t| t.value),
        similarity: spec.similarity.map(|t| t.value),
        max_missing_required: spec.max_missing_required,
        required_must_pass: spec.required_must_pass,
        format: spec.format.map(|f| Located {
            pos: Pos::of(f.referenced),
            value: f.value,
        }),
        rubric,
        ignore,
        essays,
        ignore_set,
        lines,
    })
}

impl Config {
    /// An error at `pos` in this file (for values the CLI validates, such as
    /// the format name).
    pub fn error_at(&self, pos: Pos, message: impl Into<String>) -> ConfigError {
        ConfigError {
            file: self.file.display().to_string(),
            line: pos.line,
            column: pos.column,
            message: message.into(),
            source_line: self.lines.get(pos.line.saturating_sub(1)).cloned(),
        }
    }

    /// The most missing required criteria an essay may have: 0 with
    /// `required_must_pass`, else `max_missing_required` when given.
    pub fn max_missing_required(&self) -> Option<usize> {
        if self.required_must_pass {
            Some(0)
        } else {
            self.max_missing_required
        }
    }

    /// Whether `rel` (relative to the config folder, `/`-separated) or a
    /// folder above it is ignored.
    pub fn is_ignored(&self, rel: &str) -> bool {
        if self.ignore_set.is_match(rel) {
            return true;
        }
        rel.match_indices('/')
            .any(|(i, _)| self.ignore_set.is_match(&rel[..i]))
    }

    /// Where a path (relative to the config folder, `/`-separated) belongs.
    pub fn route(&self, rel: &str) -> Route {
        if self.is_ignored(rel) {
            return Route::Ignored;
        }
        match self.essays.iter().position(|g| g.matcher.is_match(rel)) {
            Some(i) => Route::Group(i),
            None => Route::Ungrouped,
        }
    }

    /// The pattern of `ignore` that covers `rel`, for a note.
    pub fn ignored_by(&self, rel: &str) -> Option<&str> {
        self.ignore.iter().map(String::as_str).find(|p| {
            let Ok(g) = glob(p) else { return false };
            let m = g.compile_matcher();
            let folder = glob(&format!("{}/**", p.trim_end_matches('/')))
                .ok()
                .map(|g| g.compile_matcher());
            let hit = |s: &str| m.is_match(s) || folder.as_ref().is_some_and(|f| f.is_match(s));
            hit(rel) || rel.match_indices('/').any(|(i, _)| hit(&rel[..i]))
        })
    }

    /// `rel` (relative to the config folder, `/`-separated) as a path.
    pub fn path_of(&self, rel: &str) -> PathBuf {
        let mut p = self.dir.clone();
        for part in rel.split('/').filter(|s| !s.is_empty()) {
            p.push(part);
        }
        if p.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            p
        }
    }

    /// A path the walker found under [`Config::path_of`], back to the
    /// `/`-separated form the globs match.
    pub fn rel_of(&self, p: &Path) -> Option<String> {
        let rel = if self.dir.as_os_str().is_empty() {
            p.strip_prefix(".").unwrap_or(p)
        } else {
            p.strip_prefix(&self.dir).ok()?
        };
        let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
        Some(parts?.join("/"))
    }
}

/// serde-saphyr's message without its own location prefix and snippet.
fn first_line(msg: &str) -> String {
    let first = msg.lines().next().unwrap_or(msg).trim();
    let first = first.strip_prefix("error: ").unwrap_or(first);
    match first.find(" at line ") {
        Some(i) => first[..i].to_string(),
        None => first.to_string(),
    }
}

/// Check a glob is relative and stays inside the config folder; drop a
/// leading `./` and turn `\` into `/`.
fn normalize_pattern(raw: &str) -> Result<String, String> {
    let p = raw.trim();
    if p.is_empty() {
        return Err("empty path pattern".into());
    }
    let p = p.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    if p.starts_with('/')
        || Path::new(p).has_root()
        || Path::new(p)
            .components()
            .any(|c| matches!(c, Component::Prefix(_)))
    {
        return Err(format!(
            "`{raw}` is absolute: paths are relative to the config file's folder"
        ));
    }
    if p.split('/').any(|c| c == "..") {
        return Err(format!(
            "`{raw}` leaves the config file's folder: `..` is not allowed"
        ));
    }
    Ok(p.to_string())
}

fn has_glob_meta(p: &str) -> bool {
    p.contains(['*', '?', '[', '{'])
}

/// The folders of `p` before its first glob component ("" when the glob
/// starts at the top); for a literal path, the path itself.
fn literal_base(p: &str, literal: bool) -> String {
    if literal {
        return p.trim_end_matches('/').to_string();
    }
    let parts: Vec<&str> = p.split('/').collect();
    let n = parts
        .iter()
        .position(|c| has_glob_meta(c))
        .unwrap_or(parts.len());
    parts[..n].join("/")
}

fn glob(p: &str) -> Result<Glob, String> {
    GlobBuilder::new(p)
        .literal_separator(true)
        .backslash_escape(true)
        .build()
        .map_err(|e| format!("invalid glob `{p}`: {}", e.kind()))
}

/// A rubric named in the config: a file relative to the config's folder,
/// or, when no such file exists, a built-in rubric's id (kept bare so the
/// loader resolves it as one). An absolute path, `..`, or a link that
/// resolves outside the folder is an error at the value, which never
/// quotes the file it names: a config from a pull request must not read
/// `/etc/shadow` into an error message.
fn rubric_path(dir: &Path, value: &Spanned<String>) -> Result<PathBuf, (Pos, String)> {
    let pos = Pos::of(value.referenced);
    let raw = value.value.as_str();
    let rel = normalize_pattern(raw).map_err(|m| (pos, m.replace("paths are", "rubrics are")))?;
    let joined = dir.join(&rel);
    if !joined.exists() && crate::rubric::BUILTINS.iter().any(|b| b.id == rel) {
        return Ok(PathBuf::from(rel));
    }
    if joined.exists() {
        let base = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let inside = match (joined.canonicalize(), base.canonicalize()) {
            (Ok(p), Ok(root)) => p.starts_with(root),
            _ => false,
        };
        if !inside {
            return Err((
                pos,
                format!("rubric `{raw}` leads outside the config file's folder (a symbolic link?): not read"),
            ));
        }
    }
    Ok(joined)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rubric_may_be_a_file_or_a_built_in_id() {
        let dir = tempfile::tempdir().unwrap();
        let rubric = |value: &str| {
            super::load_str(
                &format!("rubric: {value}\n"),
                &dir.path().join(".essaymark.yaml"),
                dir.path(),
            )
            .map(|c| c.rubric.unwrap())
        };
        assert_eq!(
            rubric("climate-economy").unwrap(),
            PathBuf::from("climate-economy")
        );
        assert_eq!(rubric("mine.yaml").unwrap(), dir.path().join("mine.yaml"));
        std::fs::write(dir.path().join("climate-economy"), "id: x").unwrap();
        assert_eq!(
            rubric("climate-economy").unwrap(),
            dir.path().join("climate-economy")
        );
    }

    #[test]
    fn a_rubric_outside_the_config_folder_is_refused_where_it_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let repo = dir.path().join("repo");
        std::fs::create_dir(&repo).unwrap();
        std::fs::write(dir.path().join("secret.yaml"), "id: secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink("../secret.yaml", repo.join("link.yaml")).unwrap();
        let error = |value: &str| {
            super::load_str(
                &format!("fail_under: 50\nrubric: {value}\n"),
                &repo.join(".essaymark.yaml"),
                &repo,
            )
            .unwrap_err()
            .0
            .remove(0)
        };
        let e = error("/etc/shadow");
        assert_eq!((e.line, e.column), (2, 9));
        assert!(e.message.contains("is absolute"), "{}", e.message);
        assert!(error("../secret.yaml")
            .message
            .contains("`..` is not allowed"));
        #[cfg(unix)]
        assert!(error("link.yaml").message.contains("leads outside"));
    }

    use super::*;

    fn load(yaml: &str) -> Result<Config, ConfigErrors> {
        load_str(yaml, Path::new(".essaymark.yaml"), Path::new(""))
    }

    #[test]
    fn full_shape_loads() {
        let c = load(
            "fail_under: 60\nrequired_must_pass: true\nformat: sarif\nignore: [\"drafts/**\"]\nessays:\n  - paths: [\"answers/**/*.md\"]\n    rubric: rubrics/r.yaml\n  - paths: [\"other/*.txt\"]\n",
        )
        .unwrap();
        assert_eq!(c.fail_under, Some(60.0));
        assert_eq!(c.max_missing_required(), Some(0));
        assert_eq!(c.format.as_ref().unwrap().value, "sarif");
        assert_eq!(c.format.as_ref().unwrap().pos, Pos { line: 3, column: 9 });
        assert_eq!(c.essays.len(), 2);
        assert_eq!(
            c.essays[0].rubric.as_deref(),
            Some(Path::new("rubrics/r.yaml"))
        );
        assert_eq!(c.essays[0].bases, vec!["answers".to_string()]);
        assert_eq!(c.essays[1].rubric, None);
    }

    #[test]
    fn similarity_is_a_share_with_its_place() {
        assert_eq!(load("similarity: 0.3\n").unwrap().similarity, Some(0.3));
        assert_eq!(load("similarity: 0\n").unwrap().similarity, Some(0.0));
        assert_eq!(load("fail_under: 50\n").unwrap().similarity, None);
        let e = load("fail_under: 50\nsimilarity: 30\n").unwrap_err();
        let first = &e.0[0];
        assert_eq!((first.line, first.column), (2, 13));
        assert!(
            first.message.contains("between 0 and 1"),
            "{}",
            first.message
        );
    }

    #[test]
    fn empty_file_is_defaults() {
        let c = load("# nothing yet\n").unwrap();
        assert_eq!(c.fail_under, None);
        assert_eq!(c.max_missing_required(), None);
        assert!(c.essays.is_empty());
    }

    #[test]
    fn unknown_key_is_located() {
        let e = load("fail_under: 60\nfail_undr: 70\n").unwrap_err();
        let first = &e.0[0];
        assert_eq!((first.line, first.column), (2, 1), "{e}");
        assert!(first.message.contains("fail_undr"), "{e}");
        assert!(e.to_string().starts_with(".essaymark.yaml:2:1: "), "{e}");
    }

    #[test]
    fn unknown_key_in_group_is_located() {
        let e = load("essays:\n  - paths: [\"a/*.md\"]\n    rubrik: x.yaml\n").unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (3, 5), "{e}");
    }

    #[test]
    fn bad_values_are_located() {
        let e = load(
            "fail_under: 160\nessays:\n  - paths: [\"/etc/*.md\", \"../x/*.md\", \"a/[b.md\"]\n",
        )
        .unwrap_err();
        let at: Vec<(usize, usize)> = e.0.iter().map(|x| (x.line, x.column)).collect();
        assert_eq!(at, vec![(1, 13), (3, 13), (3, 26), (3, 39)], "{e}");
        assert!(e.0[1].message.contains("absolute"));
        assert!(e.0[2].message.contains(".."));
        assert!(e.0[3].message.contains("invalid glob"));
    }

    #[test]
    fn bases_stop_at_the_first_glob() {
        assert_eq!(
            literal_base("answers/security/**/*.md", false),
            "answers/security"
        );
        assert_eq!(literal_base("**/*.md", false), "");
        assert_eq!(literal_base("*.md", false), "");
        assert_eq!(literal_base("a/b.md", true), "a/b.md");
        assert_eq!(normalize_pattern("./a/*.md").unwrap(), "a/*.md");
    }

    #[test]
    fn ignore_covers_folders_and_below() {
        let c = load("ignore: [\"drafts\", \"**/*.bak.md\"]\n").unwrap();
        assert!(c.is_ignored("drafts"));
        assert!(c.is_ignored("drafts/a.md"));
        assert!(c.is_ignored("drafts/x/a.md"));
        assert!(c.is_ignored("x/y/a.bak.md"));
        assert!(!c.is_ignored("answers/a.md"));
        assert!(!c.is_ignored("draftsman.md"));
    }

    #[test]
    fn route_puts_a_path_in_its_group_or_ignores_it() {
        let c = load(
            "ignore: [\"drafts\"]\nessays:\n  - paths: [\"answers/security/**/*.md\"]\n  - paths: [\"answers/**\"]\n    rubric: climate-economy\n    fail_under: 70\n",
        )
        .unwrap();
        assert_eq!(c.route("answers/security/a/ali.md"), Route::Group(0));
        assert_eq!(c.route("answers/economy/sana.md"), Route::Group(1));
        assert_eq!(c.route("answers/security/ali.txt"), Route::Group(1));
        assert_eq!(c.route("notes/x.md"), Route::Ungrouped);
        assert_eq!(c.route("drafts/x/d.md"), Route::Ignored);
        assert_eq!(c.ignored_by("drafts/x/d.md"), Some("drafts"));
        assert_eq!(c.ignored_by("answers/a.md"), None);
        assert_eq!(c.essays[1].fail_under, Some(70.0));
        let e = load("essays:\n  - paths: [\"a/**\"]\n    fail_under: 101\n").unwrap_err();
        assert_eq!((e.0[0].line, e.0[0].column), (3, 17), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn discover_walks_up() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        std::fs::write(root.join(".essaymark.yaml"), "").unwrap();
        let sub = root.join("x/y");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(discover(&root), Some(PathBuf::from(".essaymark.yaml")));
        assert_eq!(
            discover(&sub),
            Some(Path::new("..").join("..").join(".essaymark.yaml"))
        );
    }
}
