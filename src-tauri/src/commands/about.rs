//! The About panel and "Copy diagnostics" (see [`crate::about`]): never a key, never a transcript.

use agencydesk_core::agency::Diagnostics;
use tauri::State;

use crate::about::{self, About};
use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;
use crate::updates::Updates;

#[ipc::command]
pub async fn get_about(
    state: State<'_, AppState>,
    updates: State<'_, Updates>,
) -> Result<About, AppError> {
    Ok(about::about(&*state.session().await?, updates.feed()))
}

#[ipc::command]
pub async fn get_diagnostics(state: State<'_, AppState>) -> Result<Diagnostics, AppError> {
    about::diagnostics(&*state.session().await?).await
}
