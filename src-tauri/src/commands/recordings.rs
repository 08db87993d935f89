//! Recordings as the window asks for them: archive a client's (or every client's), the calls
//! whose recordings Vapi deletes soon, the after-sync setting, and a call's dispute kit saved
//! where the owner chose in a native dialog. One-line wrappers over core.

use agencydesk_core::agency::AgencySettings;
use agencydesk_core::dispute::DisputeKit;
use agencydesk_core::recordings::{no_archive_progress, ArchiveReport, AtRiskCall};
use agencydesk_core::sync::CancellationToken;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::{self, SaveRequest};
use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

/// Fetches the recordings of one client's cached calls (`orgId` null: every client) into the
/// archive folder; what is already there and whole is not fetched again.
#[ipc::command]
pub async fn archive_recordings(
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<ArchiveReport, AppError> {
    let session = state.session().await?;
    Ok(session
        .agency
        .archive_recordings(
            org_id.as_deref(),
            None,
            no_archive_progress(),
            CancellationToken::new(),
        )
        .await?)
}

/// Calls whose recordings are not archived and that Vapi deletes within `withinDays`.
#[ipc::command]
pub async fn recordings_at_risk(
    state: State<'_, AppState>,
    within_days: u32,
) -> Result<Vec<AtRiskCall>, AppError> {
    Ok(state
        .session()
        .await?
        .agency
        .recordings_at_risk(within_days)
        .await?)
}

/// Switches "Archive new recordings after each sync".
#[ipc::command]
pub async fn set_archive_after_sync(
    state: State<'_, AppState>,
    on: bool,
) -> Result<AgencySettings, AppError> {
    Ok(state.session().await?.agency.set_archive_after_sync(on)?)
}

/// Asks where to save (native dialog), then writes the call's dispute kit there as a zip; `null`
/// when cancelled.
#[ipc::command]
pub async fn save_dispute_kit<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    call_id: String,
) -> Result<Option<DisputeKit>, AppError> {
    let session = state.session().await?;
    let name = format!("dispute-{call_id}.zip");
    let save = SaveRequest {
        title: "Save the dispute kit",
        suggested_name: &name,
        filter_name: "Zip archive",
        extensions: &["zip"],
    };
    let Some(path) = dialogs::choose_save_path(&app, save).await? else {
        return Ok(None);
    };
    Ok(Some(session.agency.dispute_kit(&call_id, &path).await?))
}
