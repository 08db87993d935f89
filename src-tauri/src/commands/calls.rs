//! The call cache as the window reads it: a page of calls at a time (keyset paged, so the
//! hundredth page of 200k calls costs what the first does), how many match, per-org totals,
//! this month's and last month's cost for the client overview, one call in full, and search.
//! One-line wrappers over core.

use agencydesk_core::calls::{
    CallDetail, CallSearch, CallsMonths, CallsPage, CallsQuery, OrgCallStats, SearchPage,
};
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

/// One cached call in full, whatever client it belongs to; the customer's number masked to its
/// last 4 digits unless `reveal`.
#[ipc::command]
pub async fn call_detail(
    state: State<'_, AppState>,
    call_id: String,
    reveal: bool,
) -> Result<CallDetail, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .call_detail(&call_id, reveal)
        .await?)
}

/// One page of every client's cached calls whose transcript or summary matches, newest first,
/// each with a snippet.
#[ipc::command]
pub async fn search_calls(
    state: State<'_, AppState>,
    search: CallSearch,
) -> Result<SearchPage, AppError> {
    Ok(state.session().await?.agency.search_calls(search).await?)
}
