//! This month's and last month's calls and cost of one org, for the client overview.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::billing::money;
use crate::billing::period::Period;
use crate::billing::plan::MinuteRounding;
use crate::billing::usage::{usage_by, GroupBy};
use crate::billing::BillingError;
use crate::store::Store;

/// One calendar month (UTC) of an org's cached calls.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct MonthFigures {
    /// `YYYY-MM`.
    pub month: String,
    #[ts(type = "number")]
    pub calls: u64,
    /// USD, exact decimal text with six decimals ("12.345678").
    pub cost: String,
    #[ts(type = "number")]
    pub cost_micros: i64,
    /// Summed call durations, exact.
    #[ts(type = "number")]
    pub duration_millis: i64,
}

/// What the client overview shows of the cache: this month so far and the month before.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct CallsMonths {
    pub this_month: MonthFigures,
    pub last_month: MonthFigures,
}

/// The org's calls created in the UTC month of `today` and in the month before it.
pub fn months_of(
    store: &Store,
    org_id: &str,
    today: NaiveDate,
) -> Result<CallsMonths, BillingError> {
    let this = Period::month_of(today)?;
    let last_day_before = this.from.pred_opt().unwrap_or(this.from);
    let last = Period::month_of(last_day_before)?;
    let both = Period::range(last.from, this.to)?;
    let groups = store.read(|c| {
        usage_by(
            c,
            org_id,
            &both,
            GroupBy::Month,
            MinuteRounding::ExactSeconds,
        )
    })?;
    let figures = |period: &Period| {
        let month = format!("{:04}-{:02}", period.from.year(), period.from.month());
        let group = groups.iter().find(|g| g.key.as_deref() == Some(&month));
        let cost_micros = group.map_or(0, |g| g.cost_micros);
        MonthFigures {
            calls: group.map_or(0, |g| u64::try_from(g.calls).unwrap_or(0)),
            cost: money::usd_from_micros(cost_micros).to_string(),
            cost_micros,
            duration_millis: group.map_or(0, |g| g.duration_millis),
            month,
        }
    };
    Ok(CallsMonths {
        this_month: figures(&this),
        last_month: figures(&last),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_of_an_empty_cache_are_zero_and_named() {
        let store = Store::open_in_memory().unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let months = months_of(&store, "org-x", today).unwrap();
        assert_eq!(months.this_month.month, "2026-01");
        assert_eq!(months.last_month.month, "2025-12");
        assert_eq!(months.this_month.calls, 0);
        assert_eq!(months.last_month.cost, "0.000000");
    }
}
