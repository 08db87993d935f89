//! Reconciling the cache with Vapi: Vapi's own daily totals of an org's calls (`POST
//! /analytics`: count and cost per UTC day) against the cache's (`calls_daily`) for a period.
//!
//! A day differs when the counts differ, or the costs differ by more than one micro-dollar per
//! call: each cached cost was rounded to the micro-dollar once, and Vapi's sum is a float.
//! Differences come from calls deleted from the cache or created at Vapi after the last sync,
//! and from costs that settled since; a sync catches the last two, not the first.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use rusqlite::Connection;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use crate::agency::Agency;
use crate::billing::Period;
use crate::error::CoreError;
use crate::store::StoreError;
use crate::vapi::analytics::{
    bucket_day, bucket_number, AnalyticsOperation, AnalyticsQuery, AnalyticsTimeRange,
};
use crate::vapi::money::usd_to_micros;

const CALLS: &str = "calls";
const COST: &str = "cost";

/// One day's totals, at Vapi and in the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct DayTotals {
    /// `YYYY-MM-DD`, UTC.
    pub day: String,
    pub vapi_calls: u64,
    pub cached_calls: u64,
    /// USD.
    #[ts(type = "string")]
    pub vapi_cost: Decimal,
    #[ts(type = "string")]
    pub cached_cost: Decimal,
}

/// The outcome: `matches`, or the days that differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Reconciliation {
    pub org_id: String,
    pub org_name: String,
    /// First and last day compared, `YYYY-MM-DD`.
    pub from: String,
    pub to: String,
    pub matches: bool,
    pub vapi_calls: u64,
    pub cached_calls: u64,
    #[ts(type = "string")]
    pub vapi_cost: Decimal,
    #[ts(type = "string")]
    pub cached_cost: Decimal,
    /// Only the days that differ, oldest first.
    pub differing_days: Vec<DayTotals>,
}

/// Calls and micro-dollars per day.
type Daily = BTreeMap<NaiveDate, (u64, i64)>;

/// The cache's totals per day of the period.
fn cached_daily(conn: &Connection, org_id: &str, period: &Period) -> Result<Daily, StoreError> {
    let mut stmt = conn.prepare_cached(
        "SELECT day, SUM(calls), SUM(cost_micros) FROM calls_daily
         WHERE org_id = ?1 AND day >= ?2 AND day <= ?3 GROUP BY day",
    )?;
    let from = period.from.format("%Y-%m-%d").to_string();
    let to = period.to.format("%Y-%m-%d").to_string();
    let rows = stmt.query_map((org_id, from, to), |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    let mut daily = Daily::new();
    for row in rows {
        let (day, calls, cost) = row?;
        if let Ok(day) = NaiveDate::parse_from_str(&day, "%Y-%m-%d") {
            daily.insert(day, (u64::try_from(calls).unwrap_or(0), cost));
        }
    }
    Ok(daily)
}

/// The query Vapi answers with one bucket per UTC day of the period.
fn daily_query(period: &Period) -> AnalyticsQuery {
    let start = Utc.from_utc_datetime(&period.from.and_time(NaiveTime::MIN));
    let last_ms = NaiveTime::from_hms_milli_opt(23, 59, 59, 999).unwrap_or(NaiveTime::MIN);
    let end = Utc.from_utc_datetime(&period.to.and_time(last_ms));
    let op = |operation: &str, column: &str, alias: &str| AnalyticsOperation {
        operation: operation.to_owned(),
        column: column.to_owned(),
        alias: alias.to_owned(),
    };
    AnalyticsQuery {
        name: "agencydesk-daily".to_owned(),
        table: "call".to_owned(),
        time_range: AnalyticsTimeRange {
            start,
            end,
            step: "day".to_owned(),
            timezone: "UTC".to_owned(),
        },
        operations: vec![op("count", "id", CALLS), op("sum", "cost", COST)],
        group_by: Vec::new(),
    }
}

fn usd(micros: i64) -> Decimal {
    Decimal::new(micros, 6).normalize()
}

/// Compares the two sides day by day over the period.
pub fn compare(
    org_id: &str,
    org_name: &str,
    period: &Period,
    vapi: &Daily,
    cached: &Daily,
) -> Reconciliation {
    let mut differing = Vec::new();
    for day in period.each_day() {
        let (v_calls, v_cost) = vapi.get(&day).copied().unwrap_or((0, 0));
        let (c_calls, c_cost) = cached.get(&day).copied().unwrap_or((0, 0));
        let tolerance = i64::try_from(v_calls.max(c_calls))
            .unwrap_or(i64::MAX)
            .max(1);
        if v_calls != c_calls || (v_cost - c_cost).abs() > tolerance {
            differing.push(DayTotals {
                day: day.format("%Y-%m-%d").to_string(),
                vapi_calls: v_calls,
                cached_calls: c_calls,
                vapi_cost: usd(v_cost),
                cached_cost: usd(c_cost),
            });
        }
    }
    let in_period = |d: &&NaiveDate| **d >= period.from && **d <= period.to;
    let sum = |daily: &Daily| -> (u64, i64) {
        daily
            .iter()
            .filter(|(d, _)| in_period(d))
            .fold((0, 0), |(n, c), (_, (dn, dc))| (n + dn, c + dc))
    };
    let (vapi_calls, vapi_cost) = sum(vapi);
    let (cached_calls, cached_cost) = sum(cached);
    Reconciliation {
        org_id: org_id.to_owned(),
        org_name: org_name.to_owned(),
        from: period.from.format("%Y-%m-%d").to_string(),
        to: period.to.format("%Y-%m-%d").to_string(),
        matches: differing.is_empty(),
        vapi_calls,
        cached_calls,
        vapi_cost: usd(vapi_cost),
        cached_cost: usd(cached_cost),
        differing_days: differing,
    }
}

impl Agency {
    /// Asks Vapi for the org's daily call count and cost over `period` and compares them with
    /// the cache's.
    pub async fn reconcile(
        &self,
        org_id: &str,
        period: Period,
    ) -> Result<Reconciliation, CoreError> {
        let period = period.validated()?;
        let org = self.get_client(org_id)?;
        let client = self.client_for(org_id).await?;
        let results = client.analytics(&[daily_query(&period)]).await?;
        let mut vapi = Daily::new();
        for row in results.iter().flat_map(|r| r.result.iter()) {
            let Some(day) = bucket_day(row) else { continue };
            let calls = bucket_number(row, CALLS).unwrap_or(0.0);
            let cost = bucket_number(row, COST)
                .and_then(usd_to_micros)
                .unwrap_or(0);
            let entry = vapi.entry(day).or_insert((0, 0));
            // Whole calls; a count is never fractional, but a float is what arrives.
            entry.0 += calls.max(0.0).round() as u64;
            entry.1 += cost;
        }
        let id = org.id.clone();
        let cached = self
            .read_blocking(move |c| cached_daily(c, &id, &period))
            .await?;
        Ok(compare(&org.id, &org.name, &period, &vapi, &cached))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, d).unwrap()
    }

    #[test]
    fn days_differ_on_count_or_on_cost_beyond_a_micro_dollar_per_call() {
        let period = Period::month(2026, 10).unwrap();
        let vapi = Daily::from([
            (day(1), (2, 1_000_000)),
            (day(2), (1, 500)),
            (day(3), (4, 10)),
        ]);
        let cached = Daily::from([
            (day(1), (2, 1_000_002)),
            (day(2), (1, 503)),
            (day(4), (1, 7)),
        ]);
        let r = compare("o", "Org", &period, &vapi, &cached);
        let days: Vec<&str> = r.differing_days.iter().map(|d| d.day.as_str()).collect();
        assert_eq!(days, ["2026-10-02", "2026-10-03", "2026-10-04"]);
        assert!(!r.matches);
        assert_eq!((r.vapi_calls, r.cached_calls), (7, 4));
        let same = compare("o", "Org", &period, &vapi, &vapi);
        assert!(same.matches && same.differing_days.is_empty());
    }

    #[test]
    fn vapi_is_asked_for_every_millisecond_of_the_period_by_utc_day() {
        let q = daily_query(&Period::month(2026, 10).unwrap());
        let json = serde_json::to_value(&q).unwrap();
        assert_eq!(json["timeRange"]["start"], "2026-10-01T00:00:00Z");
        assert_eq!(json["timeRange"]["end"], "2026-10-31T23:59:59.999Z");
        assert_eq!(json["timeRange"]["step"], "day");
        assert_eq!(json["table"], "call");
        assert!(json.get("groupBy").is_none());
    }
}
