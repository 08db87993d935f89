//! Timestamps as Vapi writes them: ISO 8601, UTC, milliseconds, `Z` suffix.
//! Internally every instant is an `i64` of milliseconds since the Unix epoch,
//! which keeps call records small and comparisons cheap.

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, TimeZone, Utc};

/// Milliseconds since the Unix epoch.
pub type Millis = i64;

pub fn now_ms() -> Millis {
    Utc::now().timestamp_millis()
}

pub fn to_ms(t: DateTime<Utc>) -> Millis {
    t.timestamp_millis()
}

/// Formats like `2026-10-03T14:22:05.123Z`. Out-of-range values (never produced
/// by the simulator itself) fall back to the epoch rather than panicking.
pub fn format_ms(ms: Millis) -> String {
    let t = Utc
        .timestamp_millis_opt(ms)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH);
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Parses the ISO 8601 forms a client plausibly sends: full RFC 3339 with any
/// offset, a date-time without offset (taken as UTC, like JavaScript's
/// `new Date()` does for Vapi's NestJS validation), or a bare date.
pub fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_with_millis_and_z() {
        assert_eq!(format_ms(1_791_037_325_123), "2026-10-03T14:22:05.123Z");
        assert_eq!(format_ms(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn parses_common_iso_forms() {
        let want = parse_iso("2026-10-03T14:22:05.123Z").map(to_ms);
        assert_eq!(want, Some(1_791_037_325_123));
        assert_eq!(parse_iso("2026-10-03T16:22:05.123+02:00").map(to_ms), want);
        assert_eq!(parse_iso("2026-10-03T14:22:05.123").map(to_ms), want);
        assert!(parse_iso("2026-10-03").is_some());
        assert!(parse_iso("yesterday").is_none());
        assert!(parse_iso("2026-13-03").is_none());
    }
}
