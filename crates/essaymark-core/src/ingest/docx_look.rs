//! Word's character formatting as far as it can hide text: hidden
//! (`w:vanish`), white or near-white colour (given as RGB or as a theme
//! colour such as `background1`), transparent text fill (`w14:textFill`),
//! and sizes under 4 pt, with the shading or highlight that would make
//! white text readable after all. Each level of Word's cascade (document
//! defaults, table, paragraph and character styles, direct formatting) is a
//! [`Look`]; [`Look::hides`] judges the result.

use super::xml::{attr, Budget, Deadline};
use super::IngestError;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

/// The theme part Word writes (the only one a document uses).
pub(crate) const THEME: &str = "word/theme/theme1.xml";

/// Sizes under 8 half-points (4 pt) are unreadable.
const MIN_HALF_POINTS: f64 = 8.0;

/// The formatting one level of the cascade sets; `None` leaves a property
/// to the level below.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub(crate) struct Look {
    pub vanish: Option<bool>,
    /// The text colour is near-white (`Some(true)`) or another colour.
    pub white: Option<bool>,
    /// Size in half-points.
    pub size: Option<f64>,
    /// A fill or highlight that is not white lies behind the text.
    pub shaded: Option<bool>,
    /// The text fill is transparent (`w14:noFill`, or 90% transparency).
    pub clear: Option<bool>,
}

impl Look {
    /// `self` over `base`: each property `self` sets wins. This is how
    /// direct formatting overrides styles.
    pub(crate) fn over(self, base: Look) -> Look {
        Look {
            vanish: self.vanish.or(base.vanish),
            white: self.white.or(base.white),
            size: self.size.or(base.size),
            shaded: self.shaded.or(base.shaded),
            clear: self.clear.or(base.clear),
        }
    }

    /// A style level over the levels below it. `vanish` is a toggle in
    /// Word's style hierarchy (a style cannot switch off what its base
    /// switched on, only toggle it), so any style level that sets it is
    /// taken to hide: never less than Word hides.
    pub(crate) fn style_over(self, base: Look) -> Look {
        let mut out = self.over(base);
        if self.vanish == Some(true) || base.vanish == Some(true) {
            out.vanish = Some(true);
        }
        out
    }

    /// Whether text with this formatting is unreadable on the page.
    /// `background` is shading from the paragraph or table cell.
    pub(crate) fn hides(&self, background: bool) -> bool {
        let shaded = background || self.shaded == Some(true);
        self.vanish == Some(true)
            || self.clear == Some(true)
            || (self.white == Some(true) && !shaded)
            || self.size.is_some_and(|s| s < MIN_HALF_POINTS)
    }
}

/// The theme's colour scheme (`a:clrScheme`): slot name to RGB.
#[derive(Debug, Default)]
pub(crate) struct Theme {
    slots: HashMap<String, u32>,
}

impl Theme {
    /// The colour a `w:themeColor` (or DrawingML `schemeClr`) names, with
    /// Office's defaults for the light and dark slots when the document
    /// carries no theme.
    pub(crate) fn colour(&self, name: &str) -> Option<u32> {
        let slot = match name.trim() {
            "background1" | "light1" | "bg1" | "lt1" => "lt1",
            "text1" | "dark1" | "tx1" | "dk1" => "dk1",
            "background2" | "light2" | "bg2" | "lt2" => "lt2",
            "text2" | "dark2" | "tx2" | "dk2" => "dk2",
            "hyperlink" | "hlink" => "hlink",
            "followedHyperlink" | "folHlink" => "folHlink",
            a @ ("accent1" | "accent2" | "accent3" | "accent4" | "accent5" | "accent6") => a,
            _ => return None,
        };
        self.slots.get(slot).copied().or(match slot {
            "lt1" => Some(0xFF_FF_FF),
            "dk1" => Some(0),
            "lt2" => Some(0xE7_E6_E6),
            "dk2" => Some(0x44_54_6A),
            _ => None,
        })
    }
}

/// Read the colour scheme of `word/theme/theme1.xml`. Namespaces do not
/// matter here, so the plain reader is used; the budget still applies.
pub(crate) fn parse_theme(xml: &str, deadline: Deadline) -> Result<Theme, IngestError> {
    let mut reader = Reader::from_str(xml);
    let mut budget = Budget::new(deadline);
    let mut theme = Theme::default();
    let mut in_scheme = false;
    let mut slot: Option<String> = None;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| super::xml::malformed("docx", THEME, reader.error_position(), e))?;
        budget.track(&event, "docx", THEME)?;
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let local = e.local_name();
                match local.as_ref() {
                    b"clrScheme" => in_scheme = matches!(event, Event::Start(_)),
                    b"srgbClr" | b"sysClr" if in_scheme => {
                        let value = attr(e, b"lastClr").or_else(|| attr(e, b"val"));
                        if let (Some(name), Some(rgb)) =
                            (slot.as_ref(), value.as_deref().and_then(hex_rgb))
                        {
                            theme.slots.entry(name.clone()).or_insert(rgb);
                        }
                    }
                    name if in_scheme && matches!(event, Event::Start(_)) => {
                        slot = Some(String::from_utf8_lossy(name).into_owned());
                    }
                    _ => {}
                }
            }
            Event::End(ref e) if e.local_name().as_ref() == b"clrScheme" => in_scheme = false,
            _ => {}
        }
    }
    Ok(theme)
}

/// `RRGGBB` (or `#RRGGBB`) as a number.
pub(crate) fn hex_rgb(v: &str) -> Option<u32> {
    let v = v.trim().trim_start_matches('#');
    if v.len() != 6 {
        return None;
    }
    u32::from_str_radix(v, 16).ok()
}

/// All three channels at 0xF0 or more: white to the eye on a white page
/// (FFFFFE, F5F5F5).
pub(crate) fn near_white(rgb: u32) -> bool {
    [16, 8, 0].iter().all(|s| (rgb >> s) & 0xFF >= 0xF0)
}

/// Word's `themeTint` (towards white) and `themeShade` (towards black),
/// each a hex byte, applied to a theme colour.
fn tint_shade(rgb: u32, tint: Option<u32>, shade: Option<u32>) -> u32 {
    let mut out = 0;
    for s in [16, 8, 0] {
        let mut c = (rgb >> s) & 0xFF;
        if let Some(t) = tint {
            c = c * t / 255 + (255 - t);
        }
        if let Some(sh) = shade {
            c = c * sh / 255;
        }
        out |= c.min(255) << s;
    }
    out
}

fn hex_byte(v: Option<String>) -> Option<u32> {
    v.and_then(|v| u32::from_str_radix(v.trim(), 16).ok())
        .filter(|&b| b <= 255)
}

/// The colour of a `w:color` or `w:shd` (`fill`/`themeFill` or
/// `color`/`themeColor`): a theme colour wins over the RGB value, as in
/// Word. `None` for `auto` or a value Word would not read.
fn colour_of(e: &BytesStart<'_>, theme: &Theme, fill: bool) -> Option<u32> {
    let (rgb, theme_attr, tint, shade) = if fill {
        (
            &b"fill"[..],
            &b"themeFill"[..],
            &b"themeFillTint"[..],
            &b"themeFillShade"[..],
        )
    } else {
        (
            &b"val"[..],
            &b"themeColor"[..],
            &b"themeTint"[..],
            &b"themeShade"[..],
        )
    };
    if let Some(c) = attr(e, theme_attr).and_then(|n| theme.colour(&n)) {
        return Some(tint_shade(
            c,
            hex_byte(attr(e, tint)),
            hex_byte(attr(e, shade)),
        ));
    }
    attr(e, rgb).as_deref().and_then(hex_rgb)
}

/// Word's on/off properties: present means on unless `w:val` says otherwise.
pub(crate) fn is_on(e: &BytesStart<'_>) -> bool {
    !matches!(
        attr(e, b"val").as_deref().map(str::trim),
        Some("0" | "false" | "off")
    )
}

/// Apply one child of a `w:rPr` (a run's, a style's or the document
/// defaults') to `look`. Returns true for `w14:textFill`, whose children
/// go to [`apply_fill`].
pub(crate) fn apply_run_property(
    look: &mut Look,
    local: &[u8],
    e: &BytesStart<'_>,
    theme: &Theme,
) -> bool {
    match local {
        b"vanish" | b"specVanish" => look.vanish = Some(is_on(e)),
        b"color" => look.white = Some(colour_of(e, theme, false).is_some_and(near_white)),
        b"sz" => {
            // Half-points: 8 is 4 pt.
            if let Some(size) = attr(e, b"val").and_then(|v| v.trim().parse::<f64>().ok()) {
                look.size = Some(size);
            }
        }
        b"shd" => look.shaded = Some(shading_is_dark(e, theme)),
        b"highlight" => {
            look.shaded =
                Some(attr(e, b"val").is_some_and(|v| !matches!(v.trim(), "none" | "white" | "")))
        }
        b"textFill" => return true,
        _ => {}
    }
    false
}

/// Apply an element inside `w14:textFill`: no fill, a near-white or
/// transparent solid fill.
pub(crate) fn apply_fill(look: &mut Look, local: &[u8], e: &BytesStart<'_>, theme: &Theme) {
    match local {
        b"noFill" => look.clear = Some(true),
        b"srgbClr" => {
            if let Some(rgb) = attr(e, b"val").as_deref().and_then(hex_rgb) {
                look.white = Some(near_white(rgb));
            }
        }
        b"schemeClr" => {
            if let Some(rgb) = attr(e, b"val").and_then(|v| theme.colour(&v)) {
                look.white = Some(near_white(rgb));
            }
        }
        // w14's alpha is the transparency, in thousandths of a percent.
        b"alpha"
            if attr(e, b"val")
                .and_then(|v| v.trim().parse::<u32>().ok())
                .is_some_and(|t| t >= 90_000) =>
        {
            look.clear = Some(true)
        }
        _ => {}
    }
}

/// Whether a `w:shd` puts something other than white behind the text:
/// its fill, or for a solid pattern its pattern colour.
pub(crate) fn shading_is_dark(e: &BytesStart<'_>, theme: &Theme) -> bool {
    let pattern = attr(e, b"val").unwrap_or_default();
    if pattern.trim() == "nil" {
        return false;
    }
    let colour = if pattern.trim() == "solid" {
        colour_of(e, theme, false)
    } else {
        colour_of(e, theme, true)
    };
    colour.is_some_and(|c| !near_white(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_white_and_theme_colours() {
        assert!(near_white(0xFFFFFE) && near_white(0xF0F0F0));
        assert!(!near_white(0xEFFFFF) && !near_white(0));
        let theme = Theme::default();
        assert_eq!(theme.colour("background1"), Some(0xFFFFFF));
        assert_eq!(theme.colour("text1"), Some(0));
        assert_eq!(theme.colour("accent1"), None);
        // 50% shade of white is grey; a tint of white stays white.
        assert_eq!(tint_shade(0xFFFFFF, None, Some(0x80)), 0x808080);
        assert_eq!(tint_shade(0xFFFFFF, Some(0x33), None), 0xFFFFFF);
        let xml = r#"<a:theme xmlns:a="x"><a:themeElements><a:clrScheme name="O">
<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:srgbClr val="101010"/></a:lt1>
<a:accent1><a:srgbClr val="FEFEFE"/></a:accent1></a:clrScheme></a:themeElements></a:theme>"#;
        let theme = parse_theme(xml, Deadline::start()).unwrap();
        assert_eq!(theme.colour("background1"), Some(0x101010));
        assert_eq!(theme.colour("accent1"), Some(0xFEFEFE));
    }

    #[test]
    fn style_levels_cannot_switch_vanish_off() {
        let on = Look {
            vanish: Some(true),
            ..Look::default()
        };
        let off = Look {
            vanish: Some(false),
            ..Look::default()
        };
        assert!(off.style_over(on).hides(false));
        assert!(!off.over(on).hides(false));
        let white = Look {
            white: Some(true),
            ..Look::default()
        };
        assert!(white.hides(false) && !white.hides(true));
    }
}
