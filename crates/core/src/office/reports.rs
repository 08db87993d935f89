//! The monthly client report as a PDF: one client's month, or every client's at once.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::agency::{letterhead, Agency};
use crate::billing::batch::chosen_clients;
use crate::billing::file_names::{period_tag, slug};
use crate::billing::period::Period;
use crate::blocking::blocking;
use crate::documents::{report_pdf, Letterhead};
use crate::error::CoreError;
use crate::reports::client_month;
use crate::store::Store;
use crate::sync::backfill_success;
use crate::write_error::WriteError;

impl Agency {
    /// Writes the report of `client_id` for the calendar month `month` to the `.pdf` file `out`.
    pub async fn write_client_report(
        &self,
        client_id: &str,
        month: Period,
        out: PathBuf,
    ) -> Result<PathBuf, CoreError> {
        let store = Arc::clone(self.store());
        let client_id = client_id.to_owned();
        blocking(move || {
            let month = calendar_month(month)?;
            let out = pdf_path(out)?;
            let letterhead = letterhead(&store)?;
            store.read(|c| chosen_clients(c, Some(&client_id)))?;
            write_one(&store, &letterhead, &client_id, &month, &out)?;
            Ok(out)
        })
        .await
    }

    /// Every client's report for `month` into the folder `out_dir`, named
    /// `report_2026-10_acme-dental.pdf`; returns the files written.
    pub async fn write_client_reports(
        &self,
        month: Period,
        out_dir: PathBuf,
    ) -> Result<Vec<PathBuf>, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || {
            let month = calendar_month(month)?;
            if !out_dir.is_dir() {
                return Err(CoreError::InvalidInput(format!(
                    "{} is not a folder. Create it first or choose another --out.",
                    out_dir.display()
                )));
            }
            let letterhead = letterhead(&store)?;
            let tag = period_tag(&month);
            let mut taken = HashSet::new();
            let mut files = Vec::new();
            for org in store.read(|c| chosen_clients(c, None))? {
                let mut name = format!("report_{tag}_{}", slug(&org.name, "client"));
                if !taken.insert(name.clone()) {
                    name = format!("{name}_{}", slug(&org.id, "org"));
                    taken.insert(name.clone());
                }
                let path = out_dir.join(format!("{name}.pdf"));
                write_one(&store, &letterhead, &org.id, &month, &path)?;
                files.push(path);
            }
            Ok(files)
        })
        .await
    }
}

fn write_one(
    store: &Store,
    letterhead: &Letterhead,
    client_id: &str,
    month: &Period,
    path: &Path,
) -> Result<(), CoreError> {
    // Calls cached before their verdicts were kept would be missing from the success rate; a
    // no-op once done (the app does it when it opens).
    backfill_success(store)?;
    let data = store.read(|c| client_month(c, client_id, month))?;
    let bytes = report_pdf(&data, letterhead)?;
    crate::atomic_file::write(path, &bytes).map_err(|e| WriteError::new(path, &e))?;
    Ok(())
}

fn calendar_month(period: Period) -> Result<Period, CoreError> {
    let period = period.validated()?;
    if period.is_calendar_month() {
        Ok(period)
    } else {
        Err(CoreError::InvalidInput(
            "A client report covers one calendar month: give --month YYYY-MM.".to_owned(),
        ))
    }
}

/// `out` with a `.pdf` extension (added when missing), in an existing folder.
fn pdf_path(out: PathBuf) -> Result<PathBuf, CoreError> {
    let out = match out.extension().and_then(|e| e.to_str()) {
        None => out.with_extension("pdf"),
        Some(ext) if ext.eq_ignore_ascii_case("pdf") => out,
        Some(_) => {
            return Err(CoreError::InvalidInput(
                "A client report is a PDF: choose a file name ending in .pdf.".to_owned(),
            ))
        }
    };
    let folder = match out.parent() {
        Some(p) if p.as_os_str().is_empty() => Path::new("."),
        Some(p) => p,
        None => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(CoreError::InvalidInput(format!(
            "The folder {} does not exist. Create it first or choose another --out.",
            folder.display()
        )));
    }
    Ok(out)
}
