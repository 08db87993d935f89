//! When the open app syncs in the background: every interval, never two at once, and quiet
//! about failures. The decisions only, on a clock the caller passes in (time since the app
//! started), so they are tested without waiting; `src-tauri`'s `background_sync` drives it.
//!
//! Rules:
//! - The first background sync is due one interval after the app starts (opening the demo
//!   already syncs, and "Sync now" is always there).
//! - A tick while a sync runs (this schedule's, or one the user started) waits; the next one
//!   looks again.
//! - A failed sync (offline, Vapi down, a revoked key) waits for the next interval like a good
//!   one: no faster retries. Its error is reported once; further failures are quiet until a
//!   sync succeeds again.

use std::time::Duration;

/// What a tick decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tick {
    Wait,
    /// Start a sync now, and call [`BackgroundSchedule::finished`] when it ends.
    Sync,
}

#[derive(Debug, Clone)]
pub struct BackgroundSchedule {
    interval: Duration,
    /// When the last background sync started (or the schedule began, before the first).
    last_start: Duration,
    running: bool,
    /// Set by a failure that was reported; cleared by a success.
    failing: bool,
}

impl BackgroundSchedule {
    pub fn new(interval: Duration, now: Duration) -> Self {
        Self {
            interval,
            last_start: now,
            running: false,
            failing: false,
        }
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Takes a new interval, counted from the last start.
    pub fn set_interval(&mut self, interval: Duration) {
        self.interval = interval;
    }

    /// Whether a sync is due at `now`; `busy`: some sync of the agency is running already.
    pub fn tick(&mut self, now: Duration, busy: bool) -> Tick {
        if self.running || busy || now < self.last_start.saturating_add(self.interval) {
            return Tick::Wait;
        }
        self.running = true;
        self.last_start = now;
        Tick::Sync
    }

    /// The sync [`Self::tick`] started has ended, `Err` with why it failed. Returns the error
    /// to show, only for the first failure after a success (or since the start).
    pub fn finished(&mut self, outcome: Result<(), String>) -> Option<String> {
        self.running = false;
        match outcome {
            Ok(()) => {
                self.failing = false;
                None
            }
            Err(_) if self.failing => None,
            Err(why) => {
                self.failing = true;
                Some(why)
            }
        }
    }

    /// Whether the last background sync failed (until one succeeds).
    pub fn is_failing(&self) -> bool {
        self.failing
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Duration = Duration::from_secs(60);

    fn at(minutes: u64) -> Duration {
        MIN * u32::try_from(minutes).unwrap()
    }

    #[test]
    fn syncs_once_per_interval_from_the_start() {
        let mut s = BackgroundSchedule::new(15 * MIN, at(0));
        assert_eq!(s.tick(at(0), false), Tick::Wait);
        assert_eq!(s.tick(at(14), false), Tick::Wait);
        assert_eq!(s.tick(at(15), false), Tick::Sync);
        assert_eq!(s.finished(Ok(())), None);
        assert_eq!(s.tick(at(16), false), Tick::Wait);
        assert_eq!(s.tick(at(29), false), Tick::Wait);
        assert_eq!(s.tick(at(30), false), Tick::Sync);
    }

    #[test]
    fn never_two_at_once() {
        let mut s = BackgroundSchedule::new(5 * MIN, at(0));
        assert_eq!(s.tick(at(5), false), Tick::Sync);
        // Still running an hour later (a huge backfill): no second one.
        assert_eq!(s.tick(at(60), false), Tick::Wait);
        s.finished(Ok(()));
        assert_eq!(s.tick(at(61), false), Tick::Sync);
        s.finished(Ok(()));
        // The user's own sync is running when the next one is due: wait for it.
        assert_eq!(s.tick(at(66), true), Tick::Wait);
        assert_eq!(s.tick(at(67), false), Tick::Sync);
    }

    #[test]
    fn offline_waits_a_full_interval_and_reports_the_error_once() {
        let mut s = BackgroundSchedule::new(5 * MIN, at(0));
        assert_eq!(s.tick(at(5), false), Tick::Sync);
        assert_eq!(
            s.finished(Err("offline".into())).as_deref(),
            Some("offline")
        );
        assert!(s.is_failing());
        // No retry before the interval has passed again.
        assert_eq!(s.tick(at(6), false), Tick::Wait);
        assert_eq!(s.tick(at(10), false), Tick::Sync);
        assert_eq!(s.finished(Err("offline again".into())), None);
        assert_eq!(s.tick(at(15), false), Tick::Sync);
        assert_eq!(s.finished(Ok(())), None);
        assert!(!s.is_failing());
        // A new outage is reported again.
        assert_eq!(s.tick(at(20), false), Tick::Sync);
        assert_eq!(
            s.finished(Err("Vapi is down".into())).as_deref(),
            Some("Vapi is down")
        );
    }

    #[test]
    fn a_changed_interval_counts_from_the_last_start() {
        let mut s = BackgroundSchedule::new(15 * MIN, at(0));
        s.set_interval(30 * MIN);
        assert_eq!(s.tick(at(15), false), Tick::Wait);
        assert_eq!(s.tick(at(30), false), Tick::Sync);
        s.finished(Ok(()));
        s.set_interval(5 * MIN);
        assert_eq!(s.interval(), 5 * MIN);
        assert_eq!(s.tick(at(35), false), Tick::Sync);
    }
}
