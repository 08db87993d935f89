//! Choosing what to open: the real agency or the demo.

use tauri::State;

use crate::error::AppError;
use crate::state::AppState;
use crate::status::{AppStatus, SessionInfo};

#[tauri::command]
pub async fn get_status(state: State<'_, AppState>) -> Result<AppStatus, AppError> {
    Ok(state.status().await)
}

#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>) -> Result<SessionInfo, AppError> {
    state.start_demo().await
}

#[tauri::command]
pub async fn start_real(state: State<'_, AppState>) -> Result<SessionInfo, AppError> {
    state.start_real().await
}

#[tauri::command]
pub async fn close_session(state: State<'_, AppState>) -> Result<(), AppError> {
    state.close_session().await;
    Ok(())
}
