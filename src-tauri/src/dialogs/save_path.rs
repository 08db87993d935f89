//! Where an export is written: the answer of a save dialog the Rust side opens. The page only
//! suggests a file name; it never names a path.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::DialogExt;

use crate::error::AppError;

/// Test build only: the save dialog answers this path instead of opening (see the module docs
/// of `dialogs`). Everything after the dialog runs as in normal use.
#[cfg(feature = "e2e")]
pub const E2E_SAVE_PATH_ENV: &str = "AGENCYDESK_E2E_SAVE_PATH";

/// What the save dialog shows.
#[derive(Debug, Clone)]
pub struct SaveRequest<'a> {
    pub title: &'a str,
    /// Reduced to a bare file name: the dialog starts in its usual folder whatever it says.
    pub suggested_name: &'a str,
    pub filter_name: &'a str,
    pub extensions: &'a [&'a str],
}

/// The path the owner chose, or `None` when the dialog was cancelled.
pub async fn choose_save_path<R: Runtime>(
    app: &AppHandle<R>,
    request: SaveRequest<'_>,
) -> Result<Option<PathBuf>, AppError> {
    #[cfg(feature = "e2e")]
    if let Some(path) = super::file_answer::e2e_answer(E2E_SAVE_PATH_ENV) {
        return Ok(Some(path));
    }
    super::file_answer::ask(|answer| {
        app.dialog()
            .file()
            .set_title(request.title)
            .set_file_name(bare_file_name(request.suggested_name))
            .add_filter(request.filter_name, request.extensions)
            .save_file(answer);
    })
    .await
}

/// The last component of `name` with nothing that could point elsewhere; a fallback if empty.
fn bare_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != ':')
        .collect();
    let clean = clean.trim().trim_start_matches('.');
    if clean.is_empty() || Path::new(clean).file_name().is_none() {
        "export.csv".to_owned()
    } else {
        clean.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggested_name_stays_a_name() {
        assert_eq!(
            bare_file_name("invoice_2026-10_acme_qbo.csv"),
            "invoice_2026-10_acme_qbo.csv"
        );
        assert_eq!(bare_file_name("../../etc/passwd"), "passwd");
        assert_eq!(bare_file_name("C:\\Windows\\x.csv"), "x.csv");
        assert_eq!(bare_file_name("/tmp/"), "export.csv");
        assert_eq!(bare_file_name(".."), "export.csv");
        assert_eq!(bare_file_name(".bashrc"), "bashrc");
    }
}
