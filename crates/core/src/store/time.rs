//! Timestamps as stored: ISO 8601, UTC, milliseconds, `Z` (`2026-11-22T18:03:00.123Z`).
//! One fixed width and zone means text order is time order, so SQL can compare and index them.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn now() -> String {
    format(Utc::now())
}

pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_width_sorts_like_time() {
        let a = parse("2026-11-22T18:03:00.5+01:00").unwrap();
        assert_eq!(format(a), "2026-11-22T17:03:00.500Z");
        let b = parse("2026-11-22T17:03:00Z").unwrap();
        assert!(format(b) < format(a));
        assert!(parse("not a time").is_none());
    }
}
