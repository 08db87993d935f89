//! Call sync from the window: start it in the background, follow it through events, cancel it,
//! and read each org's last sync. The work and its rules live in [`crate::sync_runs`].
//!
//! Events: `sync-progress` carries core's `SyncProgress` (one org, one step), and
//! `sync-finished` a `SyncFinished` (the run's report). The UI names them through the generated
//! `SyncEventName` type, so a renamed event fails its type check.

use agencydesk_core::billing::Period;
use agencydesk_core::sync::{Reconciliation, SyncOptions};
use chrono::NaiveDate;
use tauri::{AppHandle, Emitter, Runtime, State};

use agencydesk_core::blocking::blocking;

use crate::error::AppError;
use crate::ipc;
use crate::notify;
use crate::state::AppState;
use crate::sync_runs::{EventSink, OrgSyncStatus, SyncEvent, SyncStarted};

/// Forwards a run's events to every window of the app.
pub(crate) fn emitter<R: Runtime>(app: AppHandle<R>) -> EventSink {
    std::sync::Arc::new(move |event| {
        let name = event.name().as_str();
        let sent = match &event {
            SyncEvent::Progress(progress) => app.emit(name, progress),
            SyncEvent::SpendAlerts(check) => {
                notify::spend_alerts(&app, check);
                app.emit(name, check)
            }
            SyncEvent::Finished(finished) => app.emit(name, finished),
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "could not send a sync event to the window");
        }
    })
}

/// Starts syncing one org's calls (`orgId`), or every client org's (`orgId` null).
#[ipc::command]
pub async fn start_sync<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<SyncStarted, AppError> {
    let session = state.session().await?;
    Ok(state
        .syncs
        .start(
            &session.agency,
            org_id.as_deref(),
            SyncOptions::default(),
            emitter(app),
        )
        .await?)
}

/// Asks the runs syncing `orgId` (or every run, for null) to stop after their current page.
/// Returns how many runs were asked.
#[ipc::command]
pub async fn cancel_sync(
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<u32, AppError> {
    let session = state.session().await?;
    let asked = state.syncs.cancel(&session.agency, org_id.as_deref());
    Ok(u32::try_from(asked).unwrap_or(u32::MAX))
}

/// Every org's last sync, and the progress of those syncing now.
#[ipc::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<Vec<OrgSyncStatus>, AppError> {
    let session = state.session().await?;
    let syncs = state.syncs.clone();
    blocking(move || Ok(syncs.status(&session.agency)?)).await
}

/// Vapi's daily call count and cost over `period` against the cache's.
#[ipc::command]
pub async fn reconcile_calls(
    state: State<'_, AppState>,
    client_id: String,
    period: Period,
) -> Result<Reconciliation, AppError> {
    let session = state.session().await?;
    Ok(session.agency.reconcile(&client_id, period).await?)
}

/// Re-reads whole days of the org's calls from Vapi (the days a reconcile found different);
/// returns how many calls were read.
#[ipc::command]
pub async fn resync_days(
    state: State<'_, AppState>,
    client_id: String,
    days: Vec<NaiveDate>,
) -> Result<u32, AppError> {
    let session = state.session().await?;
    let read = session.agency.resync_days(&client_id, &days).await?;
    Ok(u32::try_from(read).unwrap_or(u32::MAX))
}
