//! When and how long to wait before asking Vapi again.

use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::Rng;

/// Delay before retry number `attempt` (0-based): exponential from `initial`, capped at `max`,
/// with jitter (a random point in the upper half) so many clients do not retry in lockstep.
pub fn backoff(attempt: u32, initial: Duration, max: Duration) -> Duration {
    let factor = 1u32.checked_shl(attempt.min(20)).unwrap_or(u32::MAX);
    let full = initial.saturating_mul(factor).min(max);
    let half = full / 2;
    let jitter_nanos =
        rand::rng().random_range(0..=half.as_nanos().min(u128::from(u64::MAX)) as u64);
    half + Duration::from_nanos(jitter_nanos)
}

/// Reads a `Retry-After` header: delay in seconds or an HTTP date. A date in the past means
/// "now". Unreadable values are ignored (the caller falls back to its own backoff).
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") is a subset of what RFC 2822 parsing takes.
    let at = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    Some((at - now).to_std().unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_secs(2);
        for attempt in 0..40 {
            let d = backoff(attempt, initial, max);
            let full = initial.saturating_mul(1 << attempt.min(20)).min(max);
            assert!(
                d >= full / 2 && d <= full,
                "attempt {attempt}: {d:?} vs {full:?}"
            );
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = DateTime::parse_from_rfc3339("2026-11-22T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(parse_retry_after(" 3 ", now), Some(Duration::from_secs(3)));
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 10:00:07 GMT", now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]

        /// Any header value: no panic, and an answer only for what the header can say.
        #[test]
        fn any_retry_after_is_read_or_ignored(value in "\\PC{0,40}", offset in -1_000_000i64..1_000_000) {
            let now = DateTime::from_timestamp(1_800_000_000 + offset, 0).unwrap();
            if let Some(wait) = parse_retry_after(&value, now) {
                let trimmed = value.trim();
                let as_seconds = trimmed.parse::<u64>().ok();
                let as_date = DateTime::parse_from_rfc2822(trimmed).ok();
                proptest::prop_assert!(as_seconds.is_some() || as_date.is_some(), "{:?}", value);
                if let Some(secs) = as_seconds {
                    proptest::prop_assert_eq!(wait, Duration::from_secs(secs));
                }
            }
        }

        /// Seconds and HTTP dates mean what they say; a past date means now.
        #[test]
        fn seconds_and_dates_are_exact(secs in 0u64..10_000_000, at in 0i64..4_000_000_000, now in 0i64..4_000_000_000, pad in " {0,3}") {
            let now = DateTime::from_timestamp(now, 0).unwrap();
            proptest::prop_assert_eq!(
                parse_retry_after(&format!("{pad}{secs}{pad}"), now),
                Some(Duration::from_secs(secs))
            );
            let date = DateTime::from_timestamp(at, 0).unwrap();
            let header = date.format("%a, %d %b %Y %H:%M:%S GMT").to_string();
            let want = Duration::from_secs(u64::try_from(at - now.timestamp()).unwrap_or(0));
            proptest::prop_assert_eq!(parse_retry_after(&header, now), Some(want));
        }
    }
}
