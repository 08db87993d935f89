//! Choosing what to open: the real agency or the demo.

use tauri::{AppHandle, Runtime, State};

use super::sync::emitter;

use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;
use crate::status::{AppStatus, SessionInfo};

#[ipc::command]
pub async fn get_status(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    Ok(state.status().await)
}

#[ipc::command]
pub async fn start_demo<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
) -> Result<SessionInfo, AppError> {
    // The window starts the demo already syncing; its screens pick the run up via `sync_status`
    // and its events, as for "Sync now".
    state.start_demo_and_sync(emitter(app)).await
}

#[ipc::command]
pub async fn start_real(state: State<'_, AppState>) -> Result<SessionInfo, AppError> {
    state.start_real().await
}

#[ipc::command]
pub async fn close_session(state: State<'_, AppState>) -> Result<(), AppError> {
    state.close_session().await;
    Ok(())
}
