//! Which folder to use (where the recordings archive moves): the answer of a folder dialog the
//! Rust side opens. The page never names a path.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::AppError;

/// Test build only: the folder dialog answers this path instead of opening (see the module docs
/// of `dialogs`).
#[cfg(feature = "e2e")]
pub const E2E_FOLDER_PATH_ENV: &str = "AGENCYDESK_E2E_FOLDER_PATH";

/// The folder the owner chose, or `None` when the dialog was cancelled.
pub async fn choose_folder<R: Runtime>(
    app: &AppHandle<R>,
    title: &str,
) -> Result<Option<PathBuf>, AppError> {
    #[cfg(feature = "e2e")]
    if let Some(path) = super::file_answer::e2e_answer(E2E_FOLDER_PATH_ENV) {
        return Ok(Some(path));
    }
    super::file_answer::ask(|answer| {
        app.dialog().file().set_title(title).pick_folder(answer);
    })
    .await
}
