//! Names of the CSV files a batch export writes: safe on every file system, whatever a client
//! is called.

use super::period::Period;

/// `2026-10` for a calendar month, `2026-10-05_to_2026-10-20` otherwise.
pub fn period_tag(period: &Period) -> String {
    if period.is_calendar_month() {
        period.from.format("%Y-%m").to_string()
    } else {
        format!("{}_to_{}", period.from, period.to)
    }
}

/// A file-name-safe form of a client name: ASCII letters and digits, words joined by `-`.
pub fn slug(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Acme Dental, Inc.", "x"), "acme-dental-inc");
        assert_eq!(slug("=cmd|' /C calc'!A0", "x"), "cmd-c-calc-a0");
        assert_eq!(slug("../../etc/passwd", "x"), "etc-passwd");
        assert_eq!(slug("Zürich Café", "x"), "z-rich-caf");
        assert_eq!(slug("日本", "client"), "client");
        assert!(slug(&"a".repeat(200), "x").len() <= 40);
    }

    #[test]
    fn period_tags_name_months_and_ranges() {
        assert_eq!(period_tag(&Period::month(2026, 10).unwrap()), "2026-10");
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        assert_eq!(
            period_tag(&Period::range(d(5), d(20)).unwrap()),
            "2026-10-05_to_2026-10-20"
        );
    }
}
