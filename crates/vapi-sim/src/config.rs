//! What world to generate and which faults to inject.

use chrono::{DateTime, Utc};

use crate::sim_error::SimError;

/// Largest number of client orgs the generator accepts; far above any demo
/// or benchmark, low enough that a typo cannot exhaust memory.
pub const MAX_ORGS: usize = 10_000;
pub const MAX_DAYS: u32 = 3_650;
pub const MAX_CALLS_PER_DAY: u32 = 100_000;
/// Upper bound of `orgs * days * calls_per_day` (about 2 GB of records).
pub const MAX_TOTAL_CALLS: u64 = 20_000_000;

#[derive(Debug, Clone, PartialEq)]
pub struct SimConfig {
    /// Seed of the world generator: same seed (and anchor) -> same world.
    pub seed: u64,
    /// Number of client orgs; the agency's own org comes on top.
    pub orgs: usize,
    /// Days of call history before the anchor.
    pub days: u32,
    /// Mean calls per day per client org.
    pub calls_per_day: u32,
    /// End of the generated history; `None` = now.
    pub anchor: Option<DateTime<Utc>>,
    pub faults: Faults,
    /// The account's `subscription.callRetentionDays`: calls created longer ago (by the
    /// simulator's clock) are no longer listed or fetchable. `None` = kept for ever.
    pub retention_days: Option<u32>,
}

impl Default for SimConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            orgs: 4,
            days: 90,
            calls_per_day: 20,
            anchor: None,
            faults: Faults::default(),
            retention_days: None,
        }
    }
}

impl SimConfig {
    pub fn validate(&self) -> Result<(), SimError> {
        if self.orgs > MAX_ORGS {
            return Err(SimError::InvalidConfig(format!(
                "orgs must be at most {MAX_ORGS}"
            )));
        }
        if self.days > MAX_DAYS {
            return Err(SimError::InvalidConfig(format!(
                "days must be at most {MAX_DAYS}"
            )));
        }
        if self.calls_per_day > MAX_CALLS_PER_DAY {
            return Err(SimError::InvalidConfig(format!(
                "calls_per_day must be at most {MAX_CALLS_PER_DAY}"
            )));
        }
        let total = self.orgs as u64 * u64::from(self.days) * u64::from(self.calls_per_day);
        if total > MAX_TOTAL_CALLS {
            return Err(SimError::InvalidConfig(format!(
                "orgs x days x calls_per_day = {total} calls, more than {MAX_TOTAL_CALLS}"
            )));
        }
        if let Some(r) = self.retention_days {
            if r == 0 || r > MAX_DAYS {
                return Err(SimError::InvalidConfig(format!(
                    "retention_days must be between 1 and {MAX_DAYS}"
                )));
            }
        }
        self.faults.validate()
    }
}

/// A year: far beyond any real clock error, and keeps every shifted time in range.
const MAX_CLOCK_SKEW_SECS: u64 = 366 * 24 * 3600;

/// Injected failures. `Default` injects nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Faults {
    /// Share (0-1) of requests answered with 500, 502 or 503.
    pub fail_rate: f64,
    /// Requests per second per key (token bucket, burst = the same number);
    /// the excess gets 429 with `Retry-After`.
    pub rate_limit: Option<u32>,
    /// Share (0-1) of requests delayed by `slow_ms`.
    pub slow_rate: f64,
    pub slow_ms: u64,
    /// Share (0-1) of successful JSON answers whose body is cut short.
    pub truncate_rate: f64,
    /// Seed of the fault dice, so a faulty run can be replayed.
    pub seed: u64,
    /// Seconds the simulator's clock is ahead of this machine's (negative: behind). Its `Date`
    /// header, the timestamps it writes and its JWT checks all follow that clock, as Vapi's
    /// would when the client machine's clock is wrong.
    pub clock_skew_secs: i64,
}

impl Default for Faults {
    fn default() -> Self {
        Self {
            fail_rate: 0.0,
            rate_limit: None,
            slow_rate: 0.0,
            slow_ms: 0,
            truncate_rate: 0.0,
            seed: 0,
            clock_skew_secs: 0,
        }
    }
}

impl Faults {
    pub fn validate(&self) -> Result<(), SimError> {
        for (name, v) in [
            ("fail_rate", self.fail_rate),
            ("slow_rate", self.slow_rate),
            ("truncate_rate", self.truncate_rate),
        ] {
            if !(0.0..=1.0).contains(&v) {
                return Err(SimError::InvalidConfig(format!(
                    "{name} must be between 0 and 1, got {v}"
                )));
            }
        }
        if self.clock_skew_secs.unsigned_abs() > MAX_CLOCK_SKEW_SECS {
            return Err(SimError::InvalidConfig(format!(
                "clock_skew_secs must be within {MAX_CLOCK_SKEW_SECS} seconds either way"
            )));
        }
        if self.rate_limit == Some(0) {
            return Err(SimError::InvalidConfig(
                "rate_limit must be at least 1 request per second".into(),
            ));
        }
        Ok(())
    }
}
