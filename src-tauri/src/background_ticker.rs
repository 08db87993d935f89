//! Ticks the open app's [`crate::background_sync::BackgroundSync`] on a real clock, on the
//! agency open at each tick, and tells the window when a background sync has ended.

use std::time::Instant;

use agencydesk_core::sync::SyncOptions;
use tauri::{AppHandle, Emitter, Manager, Runtime};

use crate::background_sync::{TickOutcome, TICK};
use crate::commands::sync::emitter;
use crate::state::AppState;
use crate::sync_runs::SyncEventName;

/// Runs for the life of the app.
pub fn spawn<R: Runtime>(app: AppHandle<R>) {
    tauri::async_runtime::spawn(async move {
        let started = Instant::now();
        let mut ticks = tokio::time::interval(TICK);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            let state = app.state::<AppState>();
            let Ok(session) = state.session().await else {
                continue;
            };
            let agency = std::sync::Arc::clone(&session.agency);
            drop(session);
            let outcome = state
                .background
                .tick(
                    started.elapsed(),
                    std::sync::Arc::clone(&agency),
                    &state.syncs,
                    SyncOptions::default(),
                    emitter(app.clone()),
                )
                .await;
            if let TickOutcome::Synced { new_error } = outcome {
                if let Some(why) = new_error {
                    tracing::warn!(error = %why, "background sync failed; quiet until one succeeds");
                }
                let sent = match state.background.status(&agency) {
                    Ok(status) => app
                        .emit(SyncEventName::BackgroundSync.as_str(), status)
                        .map_err(|e| e.to_string()),
                    Err(e) => Err(e.to_string()),
                };
                if let Err(e) = sent {
                    tracing::warn!(error = %e, "could not tell the window about a background sync");
                }
            }
        }
    });
}
