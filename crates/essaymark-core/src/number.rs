//! Number formatting shared by scoring (its trace and reasons) and every
//! report: below both, so neither imports the other for it.

/// Points with at most two decimals and no trailing zeros ("4", "2.5").
pub fn fmt_points(p: f64) -> String {
    // Nearly every score is a whole number of hundredths ("2.5", "0.75"),
    // which integer formatting writes exactly as `{:.2}` would, without the
    // cost of general float formatting (a report prints dozens of scores).
    let hundredths = p * 100.0;
    if hundredths == hundredths.round() && (0.0..1e15).contains(&hundredths) && p.is_sign_positive()
    {
        let h = hundredths as u64;
        return match (h / 100, h % 100) {
            (whole, 0) => whole.to_string(),
            (whole, frac) if frac % 10 == 0 => format!("{whole}.{}", frac / 10),
            (whole, frac) => format!("{whole}.{frac:02}"),
        };
    }
    let s = format!("{:.2}", p);
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_drop_trailing_zeros() {
        assert_eq!(fmt_points(4.0), "4");
        assert_eq!(fmt_points(2.5), "2.5");
        assert_eq!(fmt_points(0.75), "0.75");
        assert_eq!(fmt_points(1.0 / 3.0), "0.33");
        assert_eq!(fmt_points(-1.5), "-1.5");
    }
}
