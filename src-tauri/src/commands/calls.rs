//! The call cache as the window reads it: a page of calls at a time (keyset paged, so the
//! hundredth page of 200k calls costs what the first does), how many match, per-org totals, and
//! this month's and last month's cost for the client overview. One-line wrappers over core.

use agencydesk_core::calls::{CallsMonths, CallsPage, CallsQuery, OrgCallStats};
use tauri::State;

use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

/// One page of an org's cached calls, newest first (pass the previous page's `next` as
/// `after`).
#[ipc::command]
pub async fn list_calls(
    state: State<'_, AppState>,
    query: CallsQuery,
) -> Result<CallsPage, AppError> {
    Ok(state.session().await?.agency.list_calls(query).await?)
}

/// How many cached calls match the query's filters (its paging fields are ignored).
#[ipc::command]
pub async fn count_calls(state: State<'_, AppState>, query: CallsQuery) -> Result<u64, AppError> {
    Ok(state.session().await?.agency.count_calls(query).await?)
}

/// Per-org totals of the cache: calls, exact cost sum, newest `updatedAt` (`orgId` null: every
/// org).
#[ipc::command]
pub async fn calls_stats(
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<Vec<OrgCallStats>, AppError> {
    Ok(state.session().await?.agency.calls_stats(org_id).await?)
}

/// This month's and last month's calls and cost of one org (UTC months).
#[ipc::command]
pub async fn calls_months(
    state: State<'_, AppState>,
    org_id: String,
) -> Result<CallsMonths, AppError> {
    Ok(state.session().await?.agency.calls_months(&org_id).await?)
}
