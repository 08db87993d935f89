//! Which file to read (the agency logo): the answer of an open dialog the Rust side opens. The
//! page never names a path.

use std::path::PathBuf;

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::AppError;

/// Test build only: the open dialog answers this path instead of opening (see the module docs
/// of `dialogs`).
#[cfg(feature = "e2e")]
pub const E2E_OPEN_PATH_ENV: &str = "AGENCYDESK_E2E_OPEN_PATH";

/// What the open dialog shows.
#[derive(Debug, Clone)]
pub struct OpenRequest<'a> {
    pub title: &'a str,
    pub filter_name: &'a str,
    pub extensions: &'a [&'a str],
}

/// The file the owner chose, or `None` when the dialog was cancelled.
pub async fn choose_open_path<R: Runtime>(
    app: &AppHandle<R>,
    request: OpenRequest<'_>,
) -> Result<Option<PathBuf>, AppError> {
    #[cfg(feature = "e2e")]
    if let Some(path) = super::file_answer::e2e_answer(E2E_OPEN_PATH_ENV) {
        return Ok(Some(path));
    }
    super::file_answer::ask(|answer| {
        app.dialog()
            .file()
            .set_title(request.title)
            .add_filter(request.filter_name, request.extensions)
            .pick_file(answer);
    })
    .await
}
