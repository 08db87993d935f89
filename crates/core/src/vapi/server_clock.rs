//! Vapi's clock as seen from here, read off the `Date` header of its answers.
//!
//! Times that Vapi compares with its own clock must come from it, not from this machine, whose
//! clock may be minutes off: the sync's watermark (a call updated after it must be read again
//! next time) and the `iat`/`exp` of a minted JWT (a token that Vapi thinks already expired is
//! refused). The header has whole seconds; both uses allow for far more than that.

use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Default)]
pub struct ServerClock {
    /// Vapi's time minus this machine's, in milliseconds, from the latest answer.
    offset_ms: AtomicI64,
    known: AtomicBool,
}

impl ServerClock {
    /// Takes in an answer's `Date` header, received at `local` (this machine's time). A header
    /// that is missing or not an HTTP date changes nothing.
    pub fn observe(&self, date: Option<&str>, local: DateTime<Utc>) {
        let Some(server) = date.and_then(parse_http_date) else {
            return;
        };
        // The header is truncated to the second: on average the server was half a second later.
        let server = server + TimeDelta::milliseconds(500);
        self.offset_ms
            .store((server - local).num_milliseconds(), Ordering::Relaxed);
        self.known.store(true, Ordering::Relaxed);
    }

    /// Vapi's time now, or `None` before any answer carried a date.
    pub fn server_now(&self) -> Option<DateTime<Utc>> {
        self.known
            .load(Ordering::Relaxed)
            .then(|| Utc::now() + TimeDelta::milliseconds(self.offset_ms.load(Ordering::Relaxed)))
    }
}

/// RFC 9110 dates as servers send them (IMF-fixdate, e.g. `Thu, 03 Dec 2026 19:40:00 GMT`).
fn parse_http_date(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc2822(s.trim())
        .ok()
        .map(|d| d.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_offset_follows_the_latest_date() {
        let clock = ServerClock::default();
        assert!(clock.server_now().is_none());
        let local = Utc::now();
        let ahead = (local + TimeDelta::minutes(10))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        clock.observe(Some(&ahead), local);
        let skew = clock.server_now().unwrap() - Utc::now();
        assert!(
            (skew - TimeDelta::minutes(10)).abs() < TimeDelta::seconds(2),
            "{skew}"
        );

        clock.observe(Some("not a date"), local);
        clock.observe(None, local);
        let skew = clock.server_now().unwrap() - Utc::now();
        assert!(
            (skew - TimeDelta::minutes(10)).abs() < TimeDelta::seconds(2),
            "{skew}"
        );

        let behind = (local - TimeDelta::minutes(10))
            .format("%a, %d %b %Y %H:%M:%S GMT")
            .to_string();
        clock.observe(Some(&behind), local);
        let skew = clock.server_now().unwrap() - Utc::now();
        assert!(
            (skew + TimeDelta::minutes(10)).abs() < TimeDelta::seconds(2),
            "{skew}"
        );
    }
}
