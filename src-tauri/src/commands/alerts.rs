//! Spend alerts in the window: thresholds per client (USD, or a share of its billing limit at
//! Vapi) and for the whole agency, validated by core as the CLI's are; this month's check, whose
//! new crossings raise a desktop notification; and the marks the window shows until the month
//! ends or the threshold is cleared.

use agencydesk_core::billing::{AlertCheck, Period, SpendThreshold, ThresholdKind};
use agencydesk_core::error::CoreError;
use chrono::Utc;
use tauri::{AppHandle, Runtime, State};

use crate::error::AppError;
use crate::ipc;
use crate::notify;
use crate::state::AppState;

fn this_month() -> Result<Period, AppError> {
    Ok(Period::month_of(Utc::now().date_naive()).map_err(CoreError::from)?)
}

#[ipc::command]
pub async fn spend_thresholds(state: State<'_, AppState>) -> Result<Vec<SpendThreshold>, AppError> {
    Ok(state.session().await?.agency.spend_thresholds().await?)
}

/// Sets (or replaces) the threshold of a client org (`orgId`) or of the agency (`orgId` null);
/// `value` as typed ("250", "$99.50", "80%"). Returns every threshold.
#[ipc::command]
pub async fn set_spend_threshold(
    state: State<'_, AppState>,
    org_id: Option<String>,
    kind: ThresholdKind,
    value: String,
) -> Result<Vec<SpendThreshold>, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .set_spend_threshold(org_id, kind, &value)
        .await?)
}

/// Removes a threshold (and its mark); true if there was one.
#[ipc::command]
pub async fn clear_spend_threshold(
    state: State<'_, AppState>,
    org_id: Option<String>,
    kind: ThresholdKind,
) -> Result<bool, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .clear_spend_threshold(org_id, kind)
        .await?)
}

/// This month's spend (from the cache) against the thresholds; a threshold crossed for the
/// first time this month raises a desktop notification.
#[ipc::command]
pub async fn check_spend_alerts<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<AlertCheck, AppError> {
    let check = state
        .session()
        .await?
        .agency
        .check_spend_alerts(this_month()?)
        .await?;
    notify::spend_alerts(&app, &check);
    Ok(check)
}

/// The thresholds crossed this month and still set (the window's marks).
#[ipc::command]
pub async fn spend_alert_marks(
    state: State<'_, AppState>,
) -> Result<Vec<SpendThreshold>, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .spend_alert_marks(this_month()?)
        .await?)
}
