//! A whole period's invoices exported into a folder (the CLI's `invoice export`; the files are
//! described in `billing::batch`): CSV files, or one PDF per invoice with the agency's letterhead.

use std::path::PathBuf;
use std::sync::Arc;

use chrono::Utc;

use crate::agency::letterhead;
use crate::agency::Agency;
use crate::billing::batch::{chosen_clients, file_stems, write_batch, BatchInvoice, BatchRequest};
use crate::billing::export::{options_store, ExportFormat};
use crate::billing::issue::{draft, issue_or_reuse};
use crate::billing::period::Period;
use crate::billing::plan::MinuteRounding;
use crate::billing::plan_store::load_plan;
use crate::billing::usage::{usage_by, GroupBy};
use crate::billing::BillingError;
use crate::blocking::blocking;
use crate::documents::invoice_pdf;
use crate::error::CoreError;
use crate::store::Store;
use crate::write_error::WriteError;

#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub files: Vec<PathBuf>,
    pub invoices: Vec<BatchInvoice>,
    /// Clients left out, and why (no pricing plan).
    pub skipped: Vec<SkippedClient>,
    /// Clients whose invoice could not be made (unsettled calls, ...): nothing written for them.
    pub failed: Vec<(String, CoreError)>,
}

/// A client a batch left out.
#[derive(Debug, Clone)]
pub struct SkippedClient {
    pub client_id: String,
    pub client_name: String,
    pub reason: String,
}

impl Agency {
    /// Exports the period's invoices into `out_dir`: one client's (`client_id`), or every
    /// client's with a pricing plan, skipping the others. With one client, its failure is the
    /// error; with all, failures are listed in the outcome and the others are still written.
    pub async fn export_invoices(
        &self,
        request: BatchRequest,
        out_dir: PathBuf,
    ) -> Result<BatchOutcome, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || export_batch(&store, &request, out_dir)).await
    }
}

fn export_batch(
    store: &Store,
    request: &BatchRequest,
    out_dir: PathBuf,
) -> Result<BatchOutcome, CoreError> {
    request.check(&out_dir)?;
    let period = request.period.validated()?;
    let now = Utc::now();
    let mut outcome = BatchOutcome::default();
    for org in store.read(|c| chosen_clients(c, request.client_id.as_deref()))? {
        let has_plan = store.read(|c| load_plan(c, &org.id))?.is_some();
        if !has_plan {
            if request.client_id.is_some() {
                return Err(BillingError::NoPlan { client_id: org.id }.into());
            }
            outcome.skipped.push(SkippedClient {
                client_id: org.id,
                client_name: org.name,
                reason: "no pricing plan yet".to_owned(),
            });
            continue;
        }
        let made = if request.draft {
            draft(store, &org.id, period, now)
        } else {
            issue_or_reuse(
                store,
                &org.id,
                period,
                request.reissue,
                request.allow_unsettled,
                now,
            )
        };
        match made {
            Ok(e) => {
                let calls_in_period = store
                    .read(|c| {
                        usage_by(
                            c,
                            &org.id,
                            &period,
                            GroupBy::Month,
                            MinuteRounding::ExactSeconds,
                        )
                    })?
                    .iter()
                    .map(|g| g.calls)
                    .sum();
                outcome.invoices.push(BatchInvoice {
                    client_name: org.name,
                    invoice: e.invoice,
                    reused: e.reused,
                    voided: e.voided,
                    calls_in_period,
                });
            }
            Err(e) if request.client_id.is_some() => return Err(e.into()),
            Err(e) => outcome.failed.push((org.name, e.into())),
        }
    }
    // With no client to invoice at all the caller reports that instead: a header-only file
    // would look like a month with nothing to bill.
    if !(outcome.invoices.is_empty() && outcome.failed.is_empty()) {
        outcome.files = if request.format == ExportFormat::Pdf {
            write_pdfs(store, &out_dir, &period, &outcome.invoices)?
        } else {
            let options = store.read(options_store::get)?;
            write_batch(
                &out_dir,
                request.format,
                &period,
                &outcome.invoices,
                &options,
            )?
        };
    }
    Ok(outcome)
}

/// One PDF per invoice, named as the generic CSVs are.
fn write_pdfs(
    store: &Store,
    out_dir: &std::path::Path,
    period: &Period,
    invoices: &[BatchInvoice],
) -> Result<Vec<PathBuf>, CoreError> {
    let letterhead = letterhead(store)?;
    let mut files = Vec::with_capacity(invoices.len());
    for (b, stem) in invoices.iter().zip(file_stems(period, invoices)) {
        let path = out_dir.join(format!("{stem}.pdf"));
        let bytes = invoice_pdf(&b.invoice, &letterhead)?;
        crate::atomic_file::write(&path, &bytes).map_err(|e| WriteError::new(&path, &e))?;
        files.push(path);
    }
    Ok(files)
}
