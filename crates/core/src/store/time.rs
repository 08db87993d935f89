//! Timestamps as stored: ISO 8601, UTC, milliseconds, `Z` (`2026-11-22T18:03:00.123Z`).
//! One fixed width and zone means text order is time order, so SQL can compare and index them.

use chrono::{DateTime, NaiveDate, NaiveTime, SecondsFormat, Utc};

pub fn now() -> String {
    format(Utc::now())
}

pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// A call's times are kept in `calls` as integer milliseconds since the Unix epoch (UTC): a
/// quarter of the text's bytes in the table and in its covering index (issue 8, cache size).
pub fn to_ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Midnight UTC at the start of `day`, in milliseconds.
pub fn day_start_ms(day: NaiveDate) -> i64 {
    day.and_time(NaiveTime::MIN).and_utc().timestamp_millis()
}

/// The stored text of a time kept as milliseconds. Out of chrono's range (never written by the
/// sync) it reads as the epoch rather than failing a whole listing.
pub fn format_ms(ms: i64) -> String {
    format(DateTime::from_timestamp_millis(ms).unwrap_or_default())
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

    #[test]
    fn milliseconds_round_trip_the_stored_text() {
        for text in [
            "2026-11-22T17:03:00.500Z",
            "1970-01-01T00:00:00.000Z",
            "1969-12-31T23:59:59.999Z",
            "2099-12-31T23:59:59.999Z",
        ] {
            let t = parse(text).unwrap();
            assert_eq!(format_ms(to_ms(t)), text);
        }
        assert_eq!(format_ms(i64::MAX), "1970-01-01T00:00:00.000Z");
    }
}
