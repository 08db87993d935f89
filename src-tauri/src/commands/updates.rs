//! Settings → About's "Check for updates" and "Install" (see [`crate::updates`]): the feed is
//! the one built in, never one the page names; installing takes only what the last check found.

use tauri::{AppHandle, Runtime, State};

use crate::error::AppError;
use crate::ipc;
use crate::updates::{self, UpdateCheck, UpdateInstalled, Updates};

#[ipc::command]
pub async fn check_for_updates<R: Runtime>(
    app: AppHandle<R>,
    updates: State<'_, Updates>,
) -> Result<UpdateCheck, AppError> {
    updates::check(&app, &updates).await
}

#[ipc::command]
pub async fn install_update(updates: State<'_, Updates>) -> Result<UpdateInstalled, AppError> {
    updates::install(&updates).await
}
