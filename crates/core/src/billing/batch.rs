//! A whole period's invoices exported into a folder (the CLI's `invoice export`).
//!
//! - generic: one file per invoice, `INV-000042_2026-10_acme-dental.csv` (or `draft_...`): one
//!   invoice is what a person opens, attaches or forwards.
//! - PDF: the same, one `.pdf` per invoice, named alike ([`file_stems`]); drawn by the caller
//!   (`office::exports`), since documents are not a billing concern.
//! - QuickBooks Online and Xero: one file for all the invoices of the period,
//!   `invoices_2026-10_qbo.csv`: both importers take many invoices per upload and group rows by
//!   invoice number. QuickBooks imports at most 100 invoices and 1,000 rows per file, so larger
//!   batches continue in `..._part2.csv` and so on, never splitting an invoice.
//!
//! Numbers follow [`super::issue`]: an invoice already issued for the period is re-used.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use rusqlite::Connection;

use super::csv_file::write_csv;
use super::error::BillingError;
use super::export::{ExportFormat, ExportOptions};
use super::file_names::{period_tag, slug};
use super::invoice::Invoice;
use super::period::Period;
use crate::store::clients::{self, ClientOrgRow, OrgKind};

/// QuickBooks Online's invoice import limits per file.
const QBO_MAX_INVOICES: usize = 100;
const QBO_MAX_ROWS: usize = 1_000;

/// What the CLI's `invoice export` asks for.
#[derive(Debug, Clone)]
pub struct BatchRequest {
    pub period: Period,
    /// One client, or every client with a pricing plan.
    pub client_id: Option<String>,
    pub format: ExportFormat,
    pub reissue: bool,
    pub allow_unsettled: bool,
    /// Generic format only: previews without numbers; nothing is issued.
    pub draft: bool,
}

impl BatchRequest {
    /// Refuses contradictory options and a missing folder before anything is issued.
    pub fn check(&self, out_dir: &Path) -> Result<(), BillingError> {
        if self.draft && !matches!(self.format, ExportFormat::Generic | ExportFormat::Pdf) {
            return Err(BillingError::Refused(
                "--draft works with --format generic or pdf only: QuickBooks and Xero need an \
                 invoice number."
                    .into(),
            ));
        }
        if self.draft && self.reissue {
            return Err(BillingError::Refused(
                "--draft issues nothing, so it cannot re-issue: use one or the other.".into(),
            ));
        }
        if !out_dir.is_dir() {
            return Err(BillingError::Refused(format!(
                "{} is not a folder. Create it first or choose another --out.",
                out_dir.display()
            )));
        }
        Ok(())
    }
}

/// One invoice written by a batch.
#[derive(Debug, Clone)]
pub struct BatchInvoice {
    pub client_name: String,
    pub invoice: Invoice,
    pub reused: bool,
    pub voided: Option<String>,
    /// Cached calls of the client in the period (none usually means "not synced yet").
    pub calls_in_period: i64,
}

/// The client asked for (any kind but the agency's own org), or every client org.
pub fn chosen_clients(
    conn: &Connection,
    client_id: Option<&str>,
) -> Result<Vec<ClientOrgRow>, BillingError> {
    let rows = clients::list(conn)?;
    match client_id {
        None => Ok(rows
            .into_iter()
            .filter(|r| r.kind == OrgKind::Client)
            .collect()),
        Some(id) => {
            let row = rows.into_iter().find(|r| r.id == id).ok_or_else(|| {
                BillingError::ClientNotFound {
                    client_id: id.to_owned(),
                }
            })?;
            if row.kind == OrgKind::Agency {
                return Err(BillingError::Refused(format!(
                    "{} is your agency's own org, not a client: it has no invoices.",
                    row.name
                )));
            }
            Ok(vec![row])
        }
    }
}

/// Writes the invoices into `out_dir` (see the module docs for the files); returns the paths.
pub fn write_batch(
    out_dir: &Path,
    format: ExportFormat,
    period: &Period,
    invoices: &[BatchInvoice],
    options: &ExportOptions,
) -> Result<Vec<PathBuf>, BillingError> {
    let tag = period_tag(period);
    let mut files = Vec::new();
    match format {
        ExportFormat::Generic => {
            for (b, name) in invoices.iter().zip(file_stems(period, invoices)) {
                let path = out_dir.join(format!("{name}.csv"));
                write_csv(&path, format, std::slice::from_ref(&b.invoice), options)?;
                files.push(path);
            }
        }
        ExportFormat::Pdf => {
            return Err(BillingError::Refused(
                "PDF invoices are drawn by the document writer, not the CSV batch.".into(),
            ))
        }
        ExportFormat::Qbo | ExportFormat::Xero => {
            let all: Vec<Invoice> = invoices.iter().map(|b| b.invoice.clone()).collect();
            let (suffix, chunks) = if format == ExportFormat::Qbo {
                ("qbo", chunk(&all, QBO_MAX_INVOICES, QBO_MAX_ROWS))
            } else {
                ("xero", vec![all.as_slice()])
            };
            for (i, part) in chunks.iter().enumerate() {
                let name = match i {
                    0 => format!("invoices_{tag}_{suffix}.csv"),
                    n => format!("invoices_{tag}_{suffix}_part{}.csv", n + 1),
                };
                let path = out_dir.join(name);
                write_csv(&path, format, part, options)?;
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// One file name (without extension) per invoice, `INV-000042_2026-10_acme-dental`, distinct
/// even when two clients share a name.
pub fn file_stems(period: &Period, invoices: &[BatchInvoice]) -> Vec<String> {
    let tag = period_tag(period);
    let mut taken = HashSet::new();
    invoices
        .iter()
        .map(|b| {
            let number = b.invoice.number.as_deref().unwrap_or("draft");
            let mut name = format!("{number}_{tag}_{}", slug(&b.client_name, "client"));
            if !taken.insert(name.clone()) {
                name = format!("{name}_{}", slug(&b.invoice.client_id, "org"));
                taken.insert(name.clone());
            }
            name
        })
        .collect()
}

/// Splits invoices into files of at most `max_invoices` invoices and `max_rows` rows (one row
/// per line; an invoice is never split, even one longer than `max_rows` on its own).
fn chunk(invoices: &[Invoice], max_invoices: usize, max_rows: usize) -> Vec<&[Invoice]> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut rows = 0;
    for (i, invoice) in invoices.iter().enumerate() {
        let lines = invoice.lines.len().max(1);
        let count = i - start;
        if count > 0 && (count == max_invoices || rows + lines > max_rows) {
            chunks.push(&invoices[start..i]);
            start = i;
            rows = 0;
        }
        rows += lines;
    }
    // An empty batch still writes one file: the header alone says "nothing to import".
    chunks.push(&invoices[start..]);
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::billing::invoice::{InvoiceLine, LineKind, LineUnit};
    use chrono::NaiveDate;

    fn invoice(lines: usize) -> Invoice {
        let line = InvoiceLine {
            kind: LineKind::MonthlyFee,
            item: "Monthly fee".into(),
            description: "fee".into(),
            quantity: 1.into(),
            unit: LineUnit::Month,
            unit_price: 1.into(),
            amount: 1.into(),
            tax_amount: 0.into(),
        };
        let day = NaiveDate::from_ymd_opt(2026, 10, 31).unwrap();
        Invoice {
            number: None,
            client_id: "c".into(),
            client_name: "C".into(),
            period: Period::month(2026, 10).unwrap(),
            issue_date: day,
            due_date: day,
            payment_terms_days: 0,
            currency: "USD".into(),
            tax_rule: None,
            lines: vec![line; lines],
            subtotal: 0.into(),
            tax_total: 0.into(),
            total: 0.into(),
        }
    }

    #[test]
    fn batches_split_by_invoices_and_rows_never_inside_an_invoice() {
        let sizes = |chunks: Vec<&[Invoice]>| chunks.iter().map(|c| c.len()).collect::<Vec<_>>();
        let many: Vec<Invoice> = (0..250).map(|_| invoice(2)).collect();
        assert_eq!(sizes(chunk(&many, 100, 1000)), vec![100, 100, 50]);
        let long: Vec<Invoice> = (0..5).map(|_| invoice(400)).collect();
        assert_eq!(sizes(chunk(&long, 100, 1000)), vec![2, 2, 1]);
        let huge = vec![invoice(1500), invoice(1)];
        assert_eq!(sizes(chunk(&huge, 100, 1000)), vec![1, 1]);
        assert_eq!(sizes(chunk(&[], 100, 1000)), vec![0]);
    }

    #[test]
    fn drafts_need_the_generic_format_and_an_existing_folder() {
        let dir = tempfile::tempdir().unwrap();
        let request = BatchRequest {
            period: Period::month(2026, 10).unwrap(),
            client_id: None,
            format: ExportFormat::Qbo,
            reissue: false,
            allow_unsettled: false,
            draft: true,
        };
        let refused = request.check(dir.path()).unwrap_err().to_string();
        assert!(
            refused.contains("--draft works with --format generic or pdf only"),
            "{refused}"
        );
        let generic = BatchRequest {
            format: ExportFormat::Generic,
            ..request
        };
        assert!(generic.check(dir.path()).is_ok());
        assert!(generic.check(&dir.path().join("missing")).is_err());
    }
}
