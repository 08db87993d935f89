//! One client's invoice for one period, exported to the file chosen in the save dialog.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::csv_file::write_csv;
use super::error::BillingError;
use super::export::{options_store, ExportFormat};
use super::issue::{issue_or_reuse, ExportedInvoice};
use super::period::Period;
use crate::store::Store;

/// One client's invoice for one period, to a file the person chose.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ExportRequest {
    pub client_id: String,
    pub period: Period,
    pub format: ExportFormat,
    /// Void the invoice already issued for this period and issue it again with a new number.
    #[serde(default)]
    pub reissue: bool,
    /// Issue even while some calls of the period are unsettled (their cost may still change).
    #[serde(default)]
    pub allow_unsettled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ExportOutcome {
    pub path: String,
    pub number: String,
    /// True when the invoice had been issued before: its number and figures were re-used.
    pub reused: bool,
    /// The number a re-issue voided.
    pub voided: Option<String>,
    #[ts(type = "number")]
    pub lines: usize,
    pub currency: String,
    /// Decimal text.
    pub total: String,
}

/// Issues (or re-uses, see [`super::issue`]) the client's invoice and writes it to `path` as
/// CSV with the saved export options (PDFs are drawn by `office::invoices`, over
/// [`issue_for_file`]).
pub fn export_one(
    store: &Store,
    request: &ExportRequest,
    path: &str,
    now: DateTime<Utc>,
) -> Result<ExportOutcome, BillingError> {
    let options = store.read(options_store::get)?;
    let (path, exported) = issue_for_file(store, request, path, now)?;
    write_csv(
        &path,
        request.format,
        std::slice::from_ref(&exported.invoice),
        &options,
    )?;
    Ok(outcome(&path, exported))
}

/// Checks the path, then issues (or re-uses) the invoice a file is about to hold.
pub fn issue_for_file(
    store: &Store,
    request: &ExportRequest,
    path: &str,
    now: DateTime<Utc>,
) -> Result<(PathBuf, ExportedInvoice), BillingError> {
    let path = export_path(path, request.format)?;
    let exported = issue_or_reuse(
        store,
        &request.client_id,
        request.period,
        request.reissue,
        request.allow_unsettled,
        now,
    )?;
    Ok((path, exported))
}

/// What the window is told about a written invoice file.
pub fn outcome(path: &Path, exported: ExportedInvoice) -> ExportOutcome {
    let invoice = &exported.invoice;
    ExportOutcome {
        path: path.display().to_string(),
        number: invoice.number.clone().unwrap_or_default(),
        reused: exported.reused,
        voided: exported.voided,
        lines: invoice.lines.len(),
        currency: invoice.currency.clone(),
        total: invoice.total.to_string(),
    }
}

/// Checks the path a save dialog returned: absolute, in an existing folder, a file with the
/// format's extension (added when the name has none, as some dialogs leave it out).
pub fn export_path(text: &str, format: ExportFormat) -> Result<PathBuf, BillingError> {
    let ext = format.extension();
    let kind = ext.to_ascii_uppercase();
    let bad = |m: String| Err(BillingError::Refused(m));
    let path = PathBuf::from(text.trim());
    if text.trim().is_empty() || !path.is_absolute() {
        return bad(format!("Choose where to save the {kind} file."));
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return bad(format!("Choose a file name for the {kind} file."));
    };
    let path = match Path::new(name).extension().and_then(|e| e.to_str()) {
        None => path.with_extension(ext),
        Some(found) if found.eq_ignore_ascii_case(ext) => path,
        Some(_) => {
            return bad(format!(
                "This invoice is saved as a {kind} file: choose a name ending in .{ext}."
            ))
        }
    };
    if !path.parent().is_some_and(Path::is_dir) {
        return bad(format!(
            "The folder chosen for the {kind} file does not exist. Choose another folder."
        ));
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_paths_must_be_absolute_csv_files_in_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().display().to_string();
        let csv = ExportFormat::Qbo;
        let ok = export_path(&format!("{base}/out.CSV"), csv).unwrap();
        assert!(ok.ends_with("out.CSV"));
        assert!(export_path(&format!("{base}/out"), csv)
            .unwrap()
            .ends_with("out.csv"));
        assert!(export_path(&format!("{base}/out"), ExportFormat::Pdf)
            .unwrap()
            .ends_with("out.pdf"));
        assert!(export_path(&format!("{base}/out.csv"), ExportFormat::Pdf).is_err());
        for bad in [
            String::new(),
            "relative.csv".to_owned(),
            format!("{base}/out.exe"),
            format!("{base}/missing/out.csv"),
        ] {
            let err = export_path(&bad, csv).unwrap_err();
            assert!(matches!(err, BillingError::Refused(_)), "{bad}: {err:?}");
        }
    }
}
