//! Billing periods: a calendar month by default, any inclusive date range when asked.
//!
//! Periods are UTC calendar days. A call belongs to the period its `createdAt` falls in (the
//! moment Vapi accepted it), so a call that starts at 23:59 on the 31st is billed in that month
//! even if it ends in the next one.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::BillingError;
use crate::store::time;

/// Longest range accepted, so that a typo (year 2206) cannot ask for centuries of daily buckets.
const MAX_DAYS: i64 = 3 * 366;

/// An inclusive range of UTC dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Period {
    /// First day, included.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
}

impl Period {
    /// The calendar month `year`-`month`.
    pub fn month(year: i32, month: u32) -> Result<Self, BillingError> {
        let from = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(|| {
            BillingError::InvalidPeriod(format!("{year}-{month:02} is not a month"))
        })?;
        let next = from.checked_add_months(Months::new(1)).ok_or_else(|| {
            BillingError::InvalidPeriod(format!("{year}-{month:02} is out of range"))
        })?;
        let to = next.pred_opt().ok_or_else(|| {
            BillingError::InvalidPeriod(format!("{year}-{month:02} is out of range"))
        })?;
        Ok(Self { from, to })
    }

    /// Parses `YYYY-MM` (the CLI's `--month 2026-10`).
    pub fn parse_month(text: &str) -> Result<Self, BillingError> {
        let bad = || BillingError::InvalidPeriod(format!("{text:?} is not a month like 2026-10"));
        let (y, m) = text.trim().split_once('-').ok_or_else(bad)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(bad());
        }
        let year: i32 = y.parse().map_err(|_| bad())?;
        let month: u32 = m.parse().map_err(|_| bad())?;
        Self::month(year, month).map_err(|_| bad())
    }

    /// Any inclusive range of at most about three years.
    pub fn range(from: NaiveDate, to: NaiveDate) -> Result<Self, BillingError> {
        if to < from {
            return Err(BillingError::InvalidPeriod(format!(
                "the range ends ({to}) before it starts ({from})"
            )));
        }
        if (to - from).num_days() >= MAX_DAYS {
            return Err(BillingError::InvalidPeriod(format!(
                "{from} to {to} is longer than {MAX_DAYS} days"
            )));
        }
        Ok(Self { from, to })
    }

    /// Checks a period that arrived through serde (the UI), which bypasses the constructors.
    pub fn validated(self) -> Result<Self, BillingError> {
        Self::range(self.from, self.to)
    }

    /// The month containing `date`.
    pub fn month_of(date: NaiveDate) -> Result<Self, BillingError> {
        Self::month(date.year(), date.month())
    }

    /// True when the period is exactly one calendar month.
    pub fn is_calendar_month(&self) -> bool {
        Self::month_of(self.from).is_ok_and(|m| m == *self)
    }

    /// Number of days in the period.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Every day of the period, in order.
    pub fn each_day(&self) -> impl Iterator<Item = NaiveDate> {
        let to = self.to;
        self.from.iter_days().take_while(move |d| *d <= to)
    }

    /// The first day of every calendar month the period touches, in order.
    pub fn each_month(&self) -> Vec<NaiveDate> {
        let mut months = Vec::new();
        let mut cursor = self.from.with_day(1);
        while let Some(first) = cursor {
            if first > self.to {
                break;
            }
            months.push(first);
            cursor = first.checked_add_months(Months::new(1));
        }
        months
    }

    /// Lower bound for `created_ms >= ?`: midnight UTC of the first day, in milliseconds.
    pub fn start_ms(&self) -> i64 {
        time::day_start_ms(self.from)
    }

    /// Upper bound for `created_ms < ?`: midnight after the last day.
    pub fn end_ms(&self) -> i64 {
        self.to.succ_opt().map_or(i64::MAX, time::day_start_ms)
    }

    /// A human label: `October 2026` for a calendar month, else `2026-10-05 to 2026-10-20`.
    pub fn label(&self) -> String {
        if self.is_calendar_month() {
            self.from.format("%B %Y").to_string()
        } else {
            format!("{} to {}", self.from, self.to)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn months_have_their_real_length() {
        let oct = Period::parse_month("2026-10").unwrap();
        assert_eq!((oct.from, oct.to), (d(2026, 10, 1), d(2026, 10, 31)));
        assert_eq!(Period::parse_month("2028-02").unwrap().days(), 29);
        assert_eq!(Period::parse_month("2026-12").unwrap().to, d(2026, 12, 31));
        assert!(oct.is_calendar_month());
        assert_eq!(oct.label(), "October 2026");
        assert_eq!(time::format_ms(oct.start_ms()), "2026-10-01T00:00:00.000Z");
        assert_eq!(time::format_ms(oct.end_ms()), "2026-11-01T00:00:00.000Z");
    }

    #[test]
    fn bad_months_are_refused() {
        for bad in [
            "2026-13",
            "2026-00",
            "2026-1",
            "26-10",
            "october",
            "",
            "2026-10-01",
        ] {
            assert!(Period::parse_month(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_are_inclusive_and_bounded() {
        let r = Period::range(d(2026, 10, 5), d(2026, 10, 5)).unwrap();
        assert_eq!(r.days(), 1);
        assert_eq!(r.each_day().count(), 1);
        assert!(!r.is_calendar_month());
        assert!(Period::range(d(2026, 10, 6), d(2026, 10, 5)).is_err());
        assert!(Period::range(d(2026, 1, 1), d(2036, 1, 1)).is_err());
        let span = Period::range(d(2026, 10, 15), d(2026, 12, 2)).unwrap();
        assert_eq!(
            span.each_month(),
            vec![d(2026, 10, 1), d(2026, 11, 1), d(2026, 12, 1)]
        );
    }
}
