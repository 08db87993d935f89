//! Call sync from the window: start it in the background, follow it through events, cancel it,
//! and read each org's last sync. The work and its rules live in [`super::sync_runs`].
//!
//! Events: [`SyncEventName::Progress`] carries core's `SyncProgress` (one org, one step), and
//! [`SyncEventName::Finished`] a [`SyncFinished`] (the run's report). The UI names them through
//! the generated `SyncEventName` type, so a renamed event fails its type check.

use agencydesk_core::blocking::blocking;
use agencydesk_core::sync::SyncOptions;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};
use ts_rs::TS;

use super::sync_runs::{EventSink, OrgSyncStatus, SyncEvent, SyncStarted};
use crate::error::AppError;
use crate::state::AppState;

/// Names of the events a background sync emits to the window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum SyncEventName {
    /// Payload: `SyncProgress`.
    #[serde(rename = "sync-progress")]
    Progress,
    /// Payload: `SyncFinished`.
    #[serde(rename = "sync-finished")]
    Finished,
}

impl SyncEventName {
    pub const fn as_str(self) -> &'static str {
        match self {
            SyncEventName::Progress => "sync-progress",
            SyncEventName::Finished => "sync-finished",
        }
    }
}

/// Forwards a run's events to every window of the app.
pub(crate) fn emitter<R: Runtime>(app: AppHandle<R>) -> EventSink {
    std::sync::Arc::new(move |event| {
        let sent = match &event {
            SyncEvent::Progress(progress) => app.emit(SyncEventName::Progress.as_str(), progress),
            SyncEvent::Finished(finished) => app.emit(SyncEventName::Finished.as_str(), finished),
        };
        if let Err(e) = sent {
            tracing::warn!(error = %e, "could not send a sync event to the window");
        }
    })
}

/// Starts syncing one org's calls (`orgId`), or every client org's (`orgId` null).
#[tauri::command]
pub async fn start_sync<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<SyncStarted, AppError> {
    let session = state.session().await?;
    state
        .syncs
        .start(
            &session,
            org_id.as_deref(),
            SyncOptions::default(),
            emitter(app),
        )
        .await
}

/// Asks the runs syncing `orgId` (or every run, for null) to stop after their current page.
/// Returns how many runs were asked.
#[tauri::command]
pub async fn cancel_sync(
    state: State<'_, AppState>,
    org_id: Option<String>,
) -> Result<u32, AppError> {
    let session = state.session().await?;
    let asked = state.syncs.cancel(&session, org_id.as_deref());
    Ok(u32::try_from(asked).unwrap_or(u32::MAX))
}

/// Every org's last sync, and the progress of those syncing now.
#[tauri::command]
pub async fn sync_status(state: State<'_, AppState>) -> Result<Vec<OrgSyncStatus>, AppError> {
    let session = state.session().await?;
    let syncs = state.syncs.clone();
    blocking(move || syncs.status(&session)).await
}

#[cfg(test)]
mod tests {
    use super::super::sync_runs::SyncFinished;
    use super::*;

    #[test]
    fn event_names_serialize_as_emitted() {
        for name in [SyncEventName::Progress, SyncEventName::Finished] {
            assert_eq!(
                serde_json::to_value(name).unwrap(),
                serde_json::Value::from(name.as_str())
            );
        }
    }

    #[test]
    fn export_bindings() {
        let base = concat!(env!("CARGO_MANIFEST_DIR"), "/../crates/core/bindings");
        let cfg = ts_rs::Config::new().with_out_dir(base);
        SyncEventName::export_all(&cfg).unwrap();
        SyncFinished::export_all(&cfg).unwrap();
        SyncStarted::export_all(&cfg).unwrap();
        OrgSyncStatus::export_all(&cfg).unwrap();
        let written = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../ui/src/lib/bindings/SyncEventName.ts"
        ))
        .unwrap();
        assert!(
            written.contains(r#""sync-progress" | "sync-finished""#),
            "{written}"
        );
    }
}
