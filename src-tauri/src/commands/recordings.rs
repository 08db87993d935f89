//! Recordings as the window asks for them: archive a client's (or every client's), the calls
//! whose recordings Vapi deletes soon, the after-sync setting, and a call's dispute kit saved
//! where the owner chose in a native dialog. One-line wrappers over core.

use agencydesk_core::agency::{AgencyError, AgencySettings};
use agencydesk_core::dispute::DisputeKit;
use agencydesk_core::recordings::{
    no_archive_progress, ArchiveLocation, ArchiveMove, ArchiveReport, AtRiskCall,
};
use agencydesk_core::sync::CancellationToken;
use tauri::ipc::Response;
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

/// Where the recordings archive is, and how much it holds.
#[ipc::command]
pub async fn archive_location(state: State<'_, AppState>) -> Result<ArchiveLocation, AppError> {
    Ok(state.session().await?.agency.archive_location()?)
}

/// Asks for a folder (native dialog), then moves the archive there; `null` when cancelled.
#[ipc::command]
pub async fn move_archive<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<Option<ArchiveMove>, AppError> {
    let session = state.session().await?;
    let Some(folder) = dialogs::choose_folder(&app, "Move the recordings archive to").await? else {
        return Ok(None);
    };
    Ok(Some(session.agency.move_archive(&folder).await?))
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

/// The call's recording as raw WAV bytes (an `ArrayBuffer` in the page), from the archive or from
/// Vapi with the key held here; the page plays it from a `blob:` URL. Not a `recording://` URL:
/// WebKitGTK's media player loads only the protocols it knows (http, https, blob, data, file...)
/// and refuses a custom scheme before a byte is read (`isProtocolAllowed: ... allowed: no` in its
/// GStreamer log). Declared by hand rather than with `#[ipc::command]`: the bytes go out as they
/// are, not as JSON.
#[tauri::command]
#[tracing::instrument(skip_all, fields(call_id = %call_id), err(Display, level = "info"))]
pub async fn recording_audio(
    state: State<'_, AppState>,
    call_id: String,
) -> Result<Response, AppError> {
    let session = state.session().await?;
    let answer = match session.agency.recording(&call_id).await? {
        Some((bytes, _)) => bytes,
        None => {
            return Err(
                agencydesk_core::error::CoreError::from(AgencyError::NoRecording { call_id })
                    .into(),
            )
        }
    };
    ipc::answered(
        "recording_audio",
        &format!("{} bytes of audio", answer.len()),
    );
    Ok(Response::new(answer))
}

#[doc(hidden)]
#[allow(non_camel_case_types)]
pub struct recording_audio {}

impl ipc::Command for recording_audio {
    const NAME: &'static str = "recording_audio";

    fn args(cfg: &ts_rs::Config) -> Vec<ipc::Arg> {
        vec![ipc::Arg::new("call_id", <String as ts_rs::TS>::name(cfg))]
    }

    fn result(_cfg: &ts_rs::Config) -> String {
        "ArrayBuffer".to_owned()
    }

    fn visit_types(_types: &mut ipc::TypeSet) {}
}
