//! One client's invoice for one period, exported to the file chosen in the save dialog.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::csv_file::write_csv;
use super::error::BillingError;
use super::export::ExportFormat;
use super::issue::issue_or_reuse;
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

/// Issues (or re-uses, see [`super::issue`]) the client's invoice and writes it to `path`.
pub fn export_one(
    store: &Store,
    request: &ExportRequest,
    path: &str,
    now: DateTime<Utc>,
) -> Result<ExportOutcome, BillingError> {
    let path = export_path(path)?;
    let exported = issue_or_reuse(
        store,
        &request.client_id,
        request.period,
        request.reissue,
        request.allow_unsettled,
        now,
    )?;
    let invoice = &exported.invoice;
    write_csv(&path, request.format, std::slice::from_ref(invoice))?;
    Ok(ExportOutcome {
        path: path.display().to_string(),
        number: invoice.number.clone().unwrap_or_default(),
        reused: exported.reused,
        voided: exported.voided,
        lines: invoice.lines.len(),
        currency: invoice.currency.clone(),
        total: invoice.total.to_string(),
    })
}

/// Checks the path a save dialog returned: absolute, in an existing folder, a `.csv` file (the
/// extension is added when the name has none, as some dialogs leave it out).
pub fn export_path(text: &str) -> Result<PathBuf, BillingError> {
    let bad = |m: &str| Err(BillingError::Refused(m.to_owned()));
    let path = PathBuf::from(text.trim());
    if text.trim().is_empty() || !path.is_absolute() {
        return bad("Choose where to save the CSV file.");
    }
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return bad("Choose a file name for the CSV file.");
    };
    let path = match Path::new(name).extension().and_then(|e| e.to_str()) {
        None => path.with_extension("csv"),
        Some(ext) if ext.eq_ignore_ascii_case("csv") => path,
        Some(_) => return bad("Invoices are saved as CSV files: choose a name ending in .csv."),
    };
    if !path.parent().is_some_and(Path::is_dir) {
        return bad("The folder chosen for the CSV file does not exist. Choose another folder.");
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
        let ok = export_path(&format!("{base}/out.CSV")).unwrap();
        assert!(ok.ends_with("out.CSV"));
        assert!(export_path(&format!("{base}/out"))
            .unwrap()
            .ends_with("out.csv"));
        for bad in [
            String::new(),
            "relative.csv".to_owned(),
            format!("{base}/out.exe"),
            format!("{base}/missing/out.csv"),
        ] {
            let err = export_path(&bad).unwrap_err();
            assert!(matches!(err, BillingError::Refused(_)), "{bad}: {err:?}");
        }
    }
}
