//! Small quick-xml helpers shared by the .docx and .odt readers: attribute
//! look-up by local name, character data with entity references resolved,
//! and uniform error messages for malformed parts.

use super::IngestError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::{Namespace, ResolveResult};
use quick_xml::XmlVersion;
use std::borrow::Cow;

/// Deepest element nesting accepted. quick-xml's namespace resolver counts
/// open elements in a `u16` and overflows (a panic in debug builds, wrong
/// namespaces in release) past 65,535, so hostile nesting must be refused
/// well before; real documents nest a few dozen levels.
pub(crate) const MAX_DEPTH: usize = 10_000;

/// Tracks element depth across all elements, skipped ones included.
#[derive(Debug, Default)]
pub(crate) struct Depth(usize);

impl Depth {
    /// Account for one event; errors once nesting passes [`MAX_DEPTH`].
    pub(crate) fn track(
        &mut self,
        ev: &Event<'_>,
        format: &'static str,
        part: &str,
    ) -> Result<(), IngestError> {
        match ev {
            Event::Start(_) => {
                self.0 += 1;
                if self.0 > MAX_DEPTH {
                    return Err(IngestError::Document {
                        format,
                        reason: format!("{part} nests elements more than {MAX_DEPTH} deep"),
                    });
                }
            }
            Event::End(_) => self.0 = self.0.saturating_sub(1),
            _ => {}
        }
        Ok(())
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
    err: impl std::fmt::Display,
) -> IngestError {
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
        let mut depth = Depth::default();
        let err = loop {
            let (_, ev) = r.read_resolved_event().unwrap();
            if let Err(e) = depth.track(&ev, "docx", "part.xml") {
                break e;
            }
        };
        assert!(err.to_string().contains("more than 10000 deep"), "{err}");
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
