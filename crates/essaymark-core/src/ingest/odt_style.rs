//! OpenDocument styles as far as they can hide text: `text:display="none"`,
//! white or near-white `fo:color` (unless a background is set), a
//! transparent font (`loext:opacity` under 10%), and sizes under 4 pt,
//! given in points or other units, as a percentage of the parent's size
//! (`fo:font-size="1%"`) or relative to it (`style:font-size-rel`).
//! Styles come from `styles.xml` (common styles and family defaults) and
//! from `content.xml` (automatic styles); a style inherits from its
//! `style:parent-style-name` chain, then from its family's default style.

use super::docx_look::{hex_rgb, near_white};
use super::xml::attr;
use quick_xml::events::BytesStart;
use std::collections::HashMap;

/// Sizes under 4 pt are unreadable.
const MIN_POINTS: f64 = 4.0;
/// The size a percentage refers to when no style in the chain gives one.
const DEFAULT_POINTS: f64 = 12.0;
/// How far parent chains are followed (a cycle must not loop).
const MAX_CHAIN: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Size {
    Points(f64),
    Percent(f64),
    Relative(f64),
}

/// What one style sets itself.
#[derive(Debug, Default, Clone)]
struct StyleInfo {
    parent: Option<String>,
    display_none: bool,
    white: Option<bool>,
    shaded: Option<bool>,
    clear: Option<bool>,
    size: Option<Size>,
}

/// A style with its chain resolved.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Resolved {
    display_none: bool,
    white: Option<bool>,
    pub(crate) shaded: bool,
    clear: bool,
    /// The font size in points.
    pub(crate) points: f64,
}

impl Resolved {
    /// Whether text in this style is unreadable; `background` is a shaded
    /// enclosing paragraph.
    pub(crate) fn hides(&self, background: bool) -> bool {
        self.display_none
            || self.clear
            || (self.white == Some(true) && !(self.shaded || background))
            || self.points < MIN_POINTS
    }
}

/// Every style read so far, by family and name.
#[derive(Debug, Default)]
pub(crate) struct OdtStyles {
    by_key: HashMap<(String, String), StyleInfo>,
    /// `style:default-style` by family.
    defaults: HashMap<String, StyleInfo>,
    /// The style element being read.
    current: Option<(String, Option<String>)>,
    /// Each style's parent by name alone, for heading detection.
    pub(crate) parents: HashMap<String, String>,
}

impl OdtStyles {
    /// Feed a start (or empty) element of the style namespace.
    pub(crate) fn start(&mut self, local: &[u8], e: &BytesStart<'_>, is_start: bool) {
        match local {
            b"style" | b"default-style" => {
                let family = attr(e, b"family").unwrap_or_default();
                let name = if local == b"style" {
                    match attr(e, b"name") {
                        Some(n) => Some(n),
                        None => return,
                    }
                } else {
                    None
                };
                let parent = attr(e, b"parent-style-name");
                if let (Some(name), Some(parent)) = (&name, &parent) {
                    self.parents.insert(name.clone(), parent.clone());
                }
                let info = StyleInfo {
                    parent,
                    ..StyleInfo::default()
                };
                match &name {
                    Some(n) => self.by_key.insert((family.clone(), n.clone()), info),
                    None => self.defaults.insert(family.clone(), info),
                };
                self.current = is_start.then_some((family, name));
            }
            b"text-properties" | b"paragraph-properties" => {
                let Some(info) = self.current_info() else {
                    return;
                };
                let none = |k: &[u8]| attr(e, k).is_some_and(|v| v.trim() == "none");
                if none(b"display") {
                    info.display_none = true;
                }
                if let Some(c) = attr(e, b"color") {
                    let c = c.trim().to_ascii_lowercase();
                    info.white = Some(c == "white" || colour(&c).is_some_and(near_white));
                }
                if let Some(b) = attr(e, b"background-color") {
                    let b = b.trim().to_ascii_lowercase();
                    info.shaded = Some(colour(&b).is_some_and(|c| !near_white(c)));
                }
                if let Some(o) = attr(e, b"opacity") {
                    info.clear = Some(percent(&o).is_some_and(|p| p <= 10.0));
                }
                if local == b"text-properties" {
                    if let Some(size) = attr(e, b"font-size").and_then(|v| parse_size(&v)) {
                        info.size = Some(size);
                    } else if let Some(rel) = attr(e, b"font-size-rel").and_then(|v| points(&v)) {
                        info.size = Some(Size::Relative(rel));
                    }
                }
            }
            _ => {}
        }
    }

    /// Feed the end of a style-namespace element.
    pub(crate) fn end(&mut self, local: &[u8]) {
        if matches!(local, b"style" | b"default-style") {
            self.current = None;
        }
    }

    fn current_info(&mut self) -> Option<&mut StyleInfo> {
        let (family, name) = self.current.clone()?;
        match name {
            Some(n) => self.by_key.get_mut(&(family, n)),
            None => self.defaults.get_mut(&family),
        }
    }

    /// The style `name` of `family` (or the family default when `None`)
    /// with its chain resolved; percentages refer to `base` points.
    pub(crate) fn resolve(&self, family: &str, name: Option<&str>, base: f64) -> Resolved {
        let mut chain: Vec<&StyleInfo> = Vec::new();
        let mut next = name;
        for _ in 0..MAX_CHAIN {
            let Some(n) = next else { break };
            let Some(info) = self.by_key.get(&(family.to_string(), n.to_string())) else {
                break;
            };
            chain.push(info);
            next = info.parent.as_deref();
        }
        if let Some(d) = self.defaults.get(family) {
            chain.push(d);
        }
        let mut out = Resolved {
            display_none: chain.iter().any(|s| s.display_none),
            white: chain.iter().find_map(|s| s.white),
            shaded: chain.iter().find_map(|s| s.shaded).unwrap_or(false),
            clear: chain.iter().find_map(|s| s.clear).unwrap_or(false),
            points: base,
        };
        // Relative sizes apply from the style nearest the root outwards.
        let mut factor = 1.0;
        let mut add = 0.0;
        let mut absolute = None;
        for s in &chain {
            match s.size {
                Some(Size::Points(p)) => {
                    absolute = Some(p);
                    break;
                }
                Some(Size::Percent(p)) => factor *= p / 100.0,
                Some(Size::Relative(r)) => add += r,
                None => {}
            }
        }
        out.points = absolute.unwrap_or(base) * factor + add;
        out
    }
}

/// The size a paragraph's percentages refer to when nothing sets one.
pub(crate) const BASE_POINTS: f64 = DEFAULT_POINTS;

/// `#rrggbb` as a number.
fn colour(v: &str) -> Option<u32> {
    v.strip_prefix('#').and_then(hex_rgb)
}

fn percent(v: &str) -> Option<f64> {
    v.trim().strip_suffix('%')?.trim().parse().ok()
}

fn parse_size(v: &str) -> Option<Size> {
    if let Some(p) = percent(v) {
        return Some(Size::Percent(p));
    }
    points(v).map(Size::Points)
}

/// A length as ODF writes font sizes (`12pt`, `0.5cm`, `3mm`, `0.1in`),
/// in points; anything else is `None`.
pub(crate) fn points(v: &str) -> Option<f64> {
    let v = v.trim();
    let split = v.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = v.split_at(split);
    let n: f64 = n.trim().parse().ok()?;
    let per = match unit {
        "pt" => 1.0,
        "pc" => 12.0,
        "in" => 72.0,
        "cm" => 72.0 / 2.54,
        "mm" => 72.0 / 25.4,
        "px" => 0.75,
        _ => return None,
    };
    Some(n * per)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::events::Event;
    use quick_xml::Reader;

    fn styles(xml: &str) -> OdtStyles {
        let mut r = Reader::from_str(xml);
        let mut s = OdtStyles::default();
        loop {
            match r.read_event().unwrap() {
                Event::Eof => return s,
                Event::Start(e) => s.start(e.local_name().as_ref(), &e, true),
                Event::Empty(e) => s.start(e.local_name().as_ref(), &e, false),
                Event::End(e) => s.end(e.local_name().as_ref()),
                _ => {}
            }
        }
    }

    #[test]
    fn sizes_colours_and_chains() {
        let s = styles(
            r##"<r>
<style:default-style style:family="paragraph"><style:text-properties fo:font-size="12pt"/></style:default-style>
<style:style style:name="Half" style:family="paragraph"><style:text-properties fo:font-size="50%"/></style:style>
<style:style style:name="OnePercent" style:family="paragraph" style:parent-style-name="Half"><style:text-properties fo:font-size="1%"/></style:style>
<style:style style:name="Third" style:family="paragraph" style:parent-style-name="Half"><style:text-properties fo:font-size="60%"/></style:style>
<style:style style:name="Minus" style:family="text"><style:text-properties style:font-size-rel="-9pt"/></style:style>
<style:style style:name="Pale" style:family="text"><style:text-properties fo:color="#FEFEFE"/></style:style>
<style:style style:name="PaleOnInk" style:family="text" style:parent-style-name="Pale"><style:text-properties fo:background-color="#000000"/></style:style>
<style:style style:name="Glass" style:family="text"><style:text-properties loext:opacity="0%"/></style:style>
<style:style style:name="Shrink" style:family="text"><style:text-properties fo:font-size="50%"/></style:style>
</r>"##,
        );
        let p = |n: &str| s.resolve("paragraph", Some(n), BASE_POINTS);
        assert_eq!(p("Half").points, 6.0);
        assert!(!p("Half").hides(false));
        assert!(p("OnePercent").hides(false));
        assert!(p("Third").hides(false), "60% of 50% of 12 pt is 3.6 pt");
        assert!(!s.resolve("paragraph", None, BASE_POINTS).hides(false));
        let t = |n: &str| s.resolve("text", Some(n), 12.0);
        assert!(t("Minus").hides(false));
        assert!(t("Pale").hides(false) && !t("Pale").hides(true));
        assert!(!t("PaleOnInk").hides(false));
        assert!(t("Glass").hides(false));
        // A span at 50% is 6 pt in a 12 pt paragraph, 3 pt in a 6 pt one.
        assert!(!t("Shrink").hides(false));
        assert!(s.resolve("text", Some("Shrink"), 6.0).hides(false));
    }
}
