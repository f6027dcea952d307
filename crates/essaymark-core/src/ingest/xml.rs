//! Small quick-xml helpers shared by the .docx and .odt readers: attribute
//! look-up by local name, character data with entity references resolved,
//! and uniform error messages for malformed parts.

use super::IngestError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, NamespaceError, ResolveResult};
use quick_xml::XmlVersion;
use std::borrow::Cow;

/// Deepest element nesting accepted. quick-xml's namespace resolver counts
/// open elements in a `u16` and overflows (a panic in debug builds, wrong
/// namespaces in release) past 65,535, so hostile nesting must be refused
/// well before; real documents nest a few dozen levels.
pub(crate) const MAX_DEPTH: usize = 10_000;

/// Most namespace declarations (`xmlns`, `xmlns:p`) in scope at once. The
/// resolver looks a prefix up by scanning every binding in scope, for every
/// element, so nested elements that each declare hundreds of prefixes make
/// reading quadratic (a 24 KB .docx took 48 s). Word and LibreOffice declare
/// 30 to 70 on the root element and a few more on drawings.
pub(crate) const MAX_NAMESPACES_IN_SCOPE: usize = 256;

/// Most namespace declarations in one part, in scope or not (each image in
/// a .docx declares about five).
pub(crate) const MAX_NAMESPACE_DECLARATIONS: usize = 100_000;

/// Longest the XML of one file may take to read, all its parts together: a
/// backstop for costs no other budget bounds. A real document takes well
/// under a second; the largest the size limits allow, a few seconds.
pub(crate) const PARSE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(20);

/// When reading one file's XML must stop. The browser build has no clock
/// (`Instant` panics on wasm32-unknown-unknown), so there it never expires.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    #[cfg(not(target_family = "wasm"))]
    at: std::time::Instant,
}

impl Deadline {
    /// [`PARSE_TIMEOUT`] from now.
    pub(crate) fn start() -> Deadline {
        Deadline {
            #[cfg(not(target_family = "wasm"))]
            at: std::time::Instant::now() + PARSE_TIMEOUT,
        }
    }

    /// A deadline that has already passed.
    #[cfg(test)]
    pub(crate) fn expired() -> Deadline {
        let now = std::time::Instant::now();
        Deadline {
            at: now
                .checked_sub(std::time::Duration::from_secs(1))
                .unwrap_or(now),
        }
    }

    fn passed(&self) -> bool {
        #[cfg(not(target_family = "wasm"))]
        return std::time::Instant::now() > self.at;
        #[cfg(target_family = "wasm")]
        false
    }
}

/// What reading one XML part may cost: element depth across all elements
/// (skipped ones included), namespace declarations, and time.
#[derive(Debug)]
pub(crate) struct Budget {
    depth: usize,
    /// `(depth, declarations)` for each open element that declared any.
    scopes: Vec<(usize, usize)>,
    in_scope: usize,
    declared: usize,
    events: u32,
    deadline: Deadline,
}

impl Budget {
    pub(crate) fn new(deadline: Deadline) -> Budget {
        Budget {
            depth: 0,
            scopes: Vec::new(),
            in_scope: 0,
            declared: 0,
            events: 0,
            deadline,
        }
    }

    /// Account for one event; errors once nesting passes [`MAX_DEPTH`],
    /// namespace declarations pass their limits, or the deadline passes.
    pub(crate) fn track(
        &mut self,
        ev: &Event<'_>,
        format: &'static str,
        part: &str,
    ) -> Result<(), IngestError> {
        let fail = |reason: String| IngestError::Document { format, reason };
        self.events = self.events.wrapping_add(1);
        if self.events % 1024 == 0 && self.deadline.passed() {
            return Err(fail(format!(
                "reading {part} took longer than {} s (gave up)",
                PARSE_TIMEOUT.as_secs()
            )));
        }
        match ev {
            Event::Start(e) | Event::Empty(e) => {
                let declared = namespace_declarations(e);
                if declared > 0 {
                    self.declared += declared;
                    if self.in_scope + declared > MAX_NAMESPACES_IN_SCOPE
                        || self.declared > MAX_NAMESPACE_DECLARATIONS
                    {
                        return Err(too_many_namespaces(format, part));
                    }
                }
                if matches!(ev, Event::Empty(_)) {
                    return Ok(());
                }
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(fail(format!(
                        "{part} nests elements more than {MAX_DEPTH} deep"
                    )));
                }
                if declared > 0 {
                    self.in_scope += declared;
                    self.scopes.push((self.depth, declared));
                }
            }
            Event::End(_) => {
                if let Some(&(depth, declared)) = self.scopes.last() {
                    if depth == self.depth {
                        self.scopes.pop();
                        self.in_scope -= declared;
                    }
                }
                self.depth = self.depth.saturating_sub(1);
            }
            _ => {}
        }
        Ok(())
    }
}

/// Whether `e` is a budget error from [`Budget::track`] (namespaces, time,
/// nesting): such an error stops the file even in an optional part, which
/// would otherwise be skipped only for the next part to spend the same.
pub(crate) fn is_budget(e: &IngestError) -> bool {
    matches!(e, IngestError::Document { reason, .. }
        if reason.contains("namespace declarations")
            || reason.contains("(gave up)")
            || reason.contains("nests elements"))
}

/// How many `xmlns` / `xmlns:p` attributes a start tag has.
fn namespace_declarations(e: &BytesStart<'_>) -> usize {
    e.attributes()
        .with_checks(false)
        .map_while(Result::ok)
        .filter(|a| a.key.as_namespace_binding().is_some())
        .count()
}

fn too_many_namespaces(format: &'static str, part: &str) -> IngestError {
    IngestError::Document {
        format,
        reason: format!(
            "{part} has too many XML namespace declarations (more than \
             {MAX_NAMESPACES_IN_SCOPE} in scope or {MAX_NAMESPACE_DECLARATIONS} in all): not read"
        ),
    }
}

/// True when an element resolved to namespace `uri`. Matching on the
/// namespace, not the prefix, keeps DrawingML's `a:p`/`a:t` (same local
/// names, other namespace) out of the text.
pub(crate) fn in_ns(ns: &ResolveResult<'_>, uri: &[u8]) -> bool {
    matches!(ns, ResolveResult::Bound(Namespace(n)) if *n == uri)
}

/// The value of the attribute with local name `local` (any prefix).
pub(crate) fn attr(e: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    let mut attrs = e.attributes();
    for a in attrs.with_checks(false).flatten() {
        if a.key.local_name().as_ref() == local {
            return a
                .normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(Cow::into_owned);
        }
    }
    None
}

/// Character data carried by a text, CDATA or entity-reference event.
/// Unknown entities (there is no DTD to define them) yield nothing.
pub(crate) fn char_data(ev: &Event<'_>) -> Option<Cow<'static, str>> {
    match ev {
        Event::Text(t) => t.xml10_content().ok().map(|c| Cow::Owned(c.into_owned())),
        Event::CData(t) => t.decode().ok().map(|c| Cow::Owned(c.into_owned())),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                return Some(Cow::Owned(c.to_string()));
            }
            let name = r.decode().ok()?;
            quick_xml::escape::resolve_xml_entity(&name).map(Cow::Borrowed)
        }
        _ => None,
    }
}

pub(crate) fn malformed(
    format: &'static str,
    part: &str,
    position: u64,
    err: quick_xml::Error,
) -> IngestError {
    // quick-xml refuses a start tag with more than 256 declarations itself.
    if let quick_xml::Error::Namespace(NamespaceError::TooManyDeclarations(_)) = err {
        return too_many_namespaces(format, part);
    }
    IngestError::Document {
        format,
        reason: format!("{part} is malformed XML (at byte {position}): {err}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;

    #[test]
    fn depth_is_capped_before_quick_xml_overflows() {
        let xml = "<a>".repeat(MAX_DEPTH + 1);
        let mut r = quick_xml::NsReader::from_str(&xml);
        let mut budget = Budget::new(Deadline::start());
        let err = loop {
            let (_, ev) = r.read_resolved_event().unwrap();
            if let Err(e) = budget.track(&ev, "docx", "part.xml") {
                break e;
            }
        };
        assert!(err.to_string().contains("more than 10000 deep"), "{err}");
    }

    /// Read `xml` to the end under a fresh budget.
    fn read_all(xml: &str, deadline: Deadline) -> Result<(), IngestError> {
        let mut r = quick_xml::NsReader::from_str(xml);
        let mut budget = Budget::new(deadline);
        loop {
            let (_, ev) = match r.read_resolved_event() {
                Ok(resolved) => resolved,
                Err(e) => return Err(malformed("docx", "part.xml", r.error_position(), e)),
            };
            if matches!(ev, Event::Eof) {
                return Ok(());
            }
            budget.track(&ev, "docx", "part.xml")?;
        }
    }

    #[test]
    fn namespace_declarations_are_budgeted() {
        let decls = |n: usize, tag: &str| {
            let attrs: String = (0..n).map(|i| format!(" xmlns:{tag}{i}=\"u\"")).collect();
            attrs
        };
        // A Word root declares a few dozen; a hundred is fine, and so is
        // the same hundred declared again and again by closed elements.
        let ok = format!(
            "<r{}>{}</r>",
            decls(100, "a"),
            format!("<e{}/>", decls(100, "b")).repeat(900)
        );
        read_all(&ok, Deadline::start()).unwrap();
        // Nested scopes add up past the limit.
        let nested = format!("<a{0}><b{0}><c{0}/></b></a>", decls(100, "p"));
        let err = read_all(&nested, Deadline::start()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a valid docx document: part.xml has too many XML namespace declarations \
             (more than 256 in scope or 100000 in all): not read"
        );
        // One tag past quick-xml's own limit gets the same message.
        let wide = format!("<a{}/>", decls(300, "p"));
        let err = read_all(&wide, Deadline::start()).unwrap_err();
        assert!(
            err.to_string()
                .contains("too many XML namespace declarations"),
            "{err}"
        );
        // Many closed elements still count towards the total.
        let many = format!("<r>{}</r>", format!("<e{}/>", decls(200, "q")).repeat(600));
        let err = read_all(&many, Deadline::start()).unwrap_err();
        assert!(
            err.to_string()
                .contains("too many XML namespace declarations"),
            "{err}"
        );
    }

    #[test]
    fn reading_stops_at_the_deadline() {
        let xml = format!("<r>{}</r>", "<e/>".repeat(5000));
        read_all(&xml, Deadline::start()).unwrap();
        let err = read_all(&xml, Deadline::expired()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a valid docx document: reading part.xml took longer than 20 s (gave up)"
        );
        assert!(is_budget(&err));
    }

    #[test]
    fn entities_and_char_refs_resolve() {
        let mut r = Reader::from_str("<t>a&amp;b&#233;&#x2014;&bogus;</t>");
        let mut out = String::new();
        loop {
            match r.read_event().unwrap() {
                Event::Eof => break,
                ev => {
                    if let Some(s) = char_data(&ev) {
                        out.push_str(&s);
                    }
                }
            }
        }
        assert_eq!(out, "a&bé—");
    }

    #[test]
    fn attributes_match_by_local_name() {
        let mut r = Reader::from_str(r#"<w:pStyle w:val="Heading&amp;1"/>"#);
        match r.read_event().unwrap() {
            Event::Empty(e) => {
                assert_eq!(attr(&e, b"val").as_deref(), Some("Heading&1"));
                assert_eq!(attr(&e, b"missing"), None);
            }
            other => panic!("{other:?}"),
        }
    }
}
