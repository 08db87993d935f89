//! What the open and save dialogs share: the test build's stand-in answer, and waiting for the
//! path the owner chose.

use std::path::PathBuf;

use tauri_plugin_dialog::FilePath;

use crate::error::AppError;

/// The dialog's callback, handed to the plugin's `pick_file` / `save_file`.
pub(super) type Answer = Box<dyn FnOnce(Option<FilePath>) + Send + 'static>;

/// Test build only: the path named by `env` answers instead of the dialog.
#[cfg(feature = "e2e")]
pub(super) fn e2e_answer(env: &str) -> Option<PathBuf> {
    std::env::var_os(env)
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
}

/// Shows a dialog (`show` gives the callback to the plugin's builder) and waits for the chosen
/// path; `None` when the dialog was cancelled.
pub(super) async fn ask(show: impl FnOnce(Answer)) -> Result<Option<PathBuf>, AppError> {
    let (answer, chosen) = tokio::sync::oneshot::channel();
    show(Box::new(move |path| {
        // The receiver is gone only if the command was dropped: nobody to tell.
        let _ = answer.send(path);
    }));
    let Ok(Some(path)) = chosen.await else {
        return Ok(None);
    };
    path.into_path()
        .map(Some)
        .map_err(|e| AppError::FileDialog {
            detail: e.to_string(),
        })
}
