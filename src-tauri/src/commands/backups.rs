//! The Settings screen's Data section: backups and restoring one, and rebuilding the call cache.
//! The window names a backup by its id (file name) from `list_backups`, never by a path; the
//! Rust side looks it up inside the backups folder.

use agencydesk_core::agency::CacheRebuild;
use agencydesk_core::store::backup::BackupInfo;
use agencydesk_core::store::restore::RestoreReport;
use tauri::State;

use crate::error::AppError;
use crate::ipc;
use crate::state::AppState;

#[ipc::command]
pub async fn list_backups(state: State<'_, AppState>) -> Result<Vec<BackupInfo>, AppError> {
    state.list_backups().await
}

#[ipc::command]
pub async fn create_backup(state: State<'_, AppState>) -> Result<BackupInfo, AppError> {
    Ok(state.session().await?.agency.create_backup().await?)
}

#[ipc::command]
pub async fn restore_backup(
    state: State<'_, AppState>,
    backup_id: String,
) -> Result<RestoreReport, AppError> {
    state.restore_backup(&backup_id).await
}

#[ipc::command]
pub async fn rebuild_call_cache(state: State<'_, AppState>) -> Result<CacheRebuild, AppError> {
    state.rebuild_call_cache().await
}
