//! The call cache as the window reads it: a page of calls at a time (keyset paged, so the
//! hundredth page of 200k calls costs what the first does), how many match, per-org totals, and
//! this month's and last month's cost for the client overview.

use agencydesk_core::billing::period::Period;
use agencydesk_core::billing::usage::{usage_by, GroupBy};
use agencydesk_core::billing::{money, BillingError, MinuteRounding};
use agencydesk_core::calls::{self, CallsPage, CallsQuery, OrgCallStats};
use agencydesk_core::error::CoreError;
use agencydesk_core::store::{Store, StoreError};
use chrono::{Datelike, NaiveDate, Utc};
use serde::Serialize;
use tauri::State;
use ts_rs::TS;

use crate::error::AppError;
use crate::state::AppState;

/// Runs a database read on the blocking pool: a sync's write batch may hold the database for a
/// moment, and async workers must not wait on it. A panic inside stays a panic.
pub(crate) async fn off_thread<T: Send + 'static>(
    read: impl FnOnce() -> Result<T, AppError> + Send + 'static,
) -> Result<T, AppError> {
    match tokio::task::spawn_blocking(read).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        // Only when the runtime shuts down (the app is quitting).
        Err(_) => Err(CoreError::Cancelled.into()),
    }
}

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

/// Only the database can fail a usage read over a valid period.
fn billing_error(error: BillingError) -> AppError {
    match error {
        BillingError::Store(e) => CoreError::Store(e).into(),
        BillingError::Sqlite(e) => CoreError::Store(StoreError::Sqlite(e)).into(),
        other => CoreError::InvalidInput(other.to_string()).into(),
    }
}

/// The org's calls created in the UTC month of `today` and in the month before it.
pub fn months_of(store: &Store, org_id: &str, today: NaiveDate) -> Result<CallsMonths, AppError> {
    let this = Period::month_of(today).map_err(billing_error)?;
    let last_day_before = this.from.pred_opt().unwrap_or(this.from);
    let last = Period::month_of(last_day_before).map_err(billing_error)?;
    let both = Period::range(last.from, this.to).map_err(billing_error)?;
    let groups = store
        .read(|c| {
            usage_by(
                c,
                org_id,
                &both,
                GroupBy::Month,
                MinuteRounding::ExactSeconds,
            )
        })
        .map_err(billing_error)?;
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

/// One page of an org's cached calls, newest first (pass the previous page's `next` as
/// `after`).
#[tauri::command]
pub async fn list_calls(
    state: State<'_, AppState>,
    query: CallsQuery,
) -> Result<CallsPage, AppError> {
    let session = state.session().await?;
    off_thread(move || {
        let store = session.agency.store();
        Ok(store
            .read(|c| calls::list_calls(c, &query))
            .map_err(CoreError::from)?)
    })
    .await
}

/// How many cached calls match the query's filters (its paging fields are ignored).
#[tauri::command]
pub async fn count_calls(state: State<'_, AppState>, query: CallsQuery) -> Result<u64, AppError> {
    let session = state.session().await?;
    off_thread(move || {
        let store = session.agency.store();
        Ok(store
            .read(|c| calls::count_calls(c, &query))
            .map_err(CoreError::from)?)
    })
    .await
}

/// Per-org totals of the cache: calls, exact cost sum, newest `updatedAt` (`orgId` null: every
/// org).
#[tauri::command]
pub async fn calls_stats(
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<Vec<OrgCallStats>, AppError> {
    let session = state.session().await?;
    off_thread(move || {
        let store = session.agency.store();
        Ok(store
            .read(|c| calls::stats(c, org_id.as_deref()))
            .map_err(CoreError::from)?)
    })
    .await
}

/// This month's and last month's calls and cost of one org (UTC months).
#[tauri::command]
pub async fn calls_months(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<CallsMonths, AppError> {
    let session = state.session().await?;
    off_thread(move || months_of(session.agency.store(), &org_id, Utc::now().date_naive())).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_bindings() {
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/core/bindings");
        let cfg = ts_rs::Config::new().with_out_dir(base);
        CallsMonths::export_all(&cfg).unwrap();
        let written = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../ui/src/lib/bindings/CallsMonths.ts"
        ))
        .unwrap();
        assert!(written.contains(r#"from "./MonthFigures""#), "{written}");
    }

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
