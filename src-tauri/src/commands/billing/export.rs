//! Exporting invoices as CSV: one client to a path chosen in the save dialog, or a whole period
//! into a folder (the CLI).
//!
//! # Numbers are never burnt twice
//! Exporting a client's period issues its invoice (the next number of the agency's sequence) the
//! first time only. While that invoice is live, exporting the same client and period again, in
//! any format, re-uses it exactly as issued: same number, same lines. A new number is drawn only
//! when asked (`reissue`): the live invoice is then voided (its number stays used, never given
//! out again) and a new one issued from the current cache and plan, in one transaction, so a
//! failed re-issue voids nothing. A generic CSV can also be a draft (no number, nothing issued).
//!
//! # Files (the CLI)
//! - generic: one file per invoice, `INV-000042_2026-10_acme-dental.csv` (or `draft_...`): one
//!   invoice is what a person opens, attaches or forwards.
//! - QuickBooks Online and Xero: one file for all the invoices of the period,
//!   `invoices_2026-10_qbo.csv`: both importers take many invoices per upload and group rows by
//!   invoice number. QuickBooks imports at most 100 invoices and 1,000 rows per file, so larger
//!   batches continue in `..._part2.csv` and so on, never splitting an invoice.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use agencydesk_core::billing::{
    default_issue_date, export_to_file, issue_invoice, load_invoice, load_plan, preview_invoice,
    void_invoice, AuditOptions, BillingError, ExportFormat, ExportOptions, Invoice, InvoiceRequest,
    Period,
};
use agencydesk_core::store::clients::{self, ClientOrgRow, OrgKind};
use agencydesk_core::store::Store;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::BillingCommandError;
use super::preview::live_invoice_number;

/// QuickBooks Online's invoice import limits per file.
const QBO_MAX_INVOICES: usize = 100;
const QBO_MAX_ROWS: usize = 1_000;

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

/// The invoice an export writes, and how it came to be.
#[derive(Debug, Clone)]
pub struct ExportedInvoice {
    pub invoice: Invoice,
    pub reused: bool,
    pub voided: Option<String>,
}

/// The client's live invoice for `period`, or a newly issued one (see the module docs).
pub fn issue_or_reuse(
    store: &Store,
    client_id: &str,
    period: Period,
    reissue: bool,
    allow_unsettled: bool,
    now: DateTime<Utc>,
) -> Result<ExportedInvoice, BillingCommandError> {
    let period = period.validated()?;
    let exported = store.write(|tx| {
        let live = live_invoice_number(tx, client_id, &period)?;
        if let (Some(number), false) = (&live, reissue) {
            return Ok(ExportedInvoice {
                invoice: load_invoice(tx, number)?,
                reused: true,
                voided: None,
            });
        }
        if let Some(number) = &live {
            void_invoice(tx, number)?;
        }
        let request = InvoiceRequest::new(
            client_id,
            period,
            default_issue_date(period.to, now.date_naive()),
        );
        let issued = issue_invoice(tx, &request, &AuditOptions::at(now), allow_unsettled)?;
        Ok::<_, BillingError>(ExportedInvoice {
            invoice: issued.invoice,
            reused: false,
            voided: live,
        })
    })?;
    Ok(exported)
}

/// Exports one client's invoice to `path` (from the save dialog).
pub fn export_one(
    store: &Store,
    request: &ExportRequest,
    path: &str,
    now: DateTime<Utc>,
) -> Result<ExportOutcome, BillingCommandError> {
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
    write_file(&path, request.format, std::slice::from_ref(invoice))?;
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
pub fn export_path(text: &str) -> Result<PathBuf, BillingCommandError> {
    let bad = |m: &str| Err(BillingCommandError::InvalidInput(m.to_owned()));
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

fn write_file(
    path: &Path,
    format: ExportFormat,
    invoices: &[Invoice],
) -> Result<(), BillingCommandError> {
    export_to_file(path, format, invoices, &ExportOptions::default()).map_err(|e| match e {
        BillingError::Io(io) => BillingCommandError::Write {
            path: path.display().to_string(),
            reason: io.to_string(),
        },
        other => other.into(),
    })
}

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

/// One invoice written by a batch.
#[derive(Debug, Clone)]
pub struct BatchInvoice {
    pub client_name: String,
    pub invoice: Invoice,
    pub reused: bool,
    pub voided: Option<String>,
}

#[derive(Debug, Default)]
pub struct BatchOutcome {
    pub files: Vec<PathBuf>,
    pub invoices: Vec<BatchInvoice>,
    /// Clients left out, and why (no pricing plan).
    pub skipped: Vec<(String, String)>,
    /// Clients whose invoice could not be made (unsettled calls, ...): nothing written for them.
    pub failed: Vec<(String, BillingCommandError)>,
}

/// Exports the period's invoices into `out_dir` (see the module docs for the files).
pub fn export_batch(
    store: &Store,
    request: &BatchRequest,
    out_dir: &Path,
    now: DateTime<Utc>,
) -> Result<BatchOutcome, BillingCommandError> {
    if request.draft && request.format != ExportFormat::Generic {
        return Err(BillingCommandError::InvalidInput(
            "--draft works with --format generic only: QuickBooks and Xero need an invoice number."
                .into(),
        ));
    }
    if request.draft && request.reissue {
        return Err(BillingCommandError::InvalidInput(
            "--draft issues nothing, so it cannot re-issue: use one or the other.".into(),
        ));
    }
    if !out_dir.is_dir() {
        return Err(BillingCommandError::InvalidInput(format!(
            "{} is not a folder. Create it first or choose another --out.",
            out_dir.display()
        )));
    }
    let period = request.period.validated()?;
    let mut outcome = BatchOutcome::default();
    for org in chosen_clients(store, request.client_id.as_deref())? {
        let has_plan = store.read(|c| load_plan(c, &org.id))?.is_some();
        if !has_plan {
            if request.client_id.is_some() {
                return Err(BillingError::NoPlan { client_id: org.id }.into());
            }
            outcome
                .skipped
                .push((org.name, "no pricing plan yet".to_owned()));
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
            Ok(e) => outcome.invoices.push(BatchInvoice {
                client_name: org.name,
                invoice: e.invoice,
                reused: e.reused,
                voided: e.voided,
            }),
            Err(e) if request.client_id.is_some() => return Err(e),
            Err(e) => outcome.failed.push((org.name, e)),
        }
    }
    outcome.files = write_batch(out_dir, request.format, &period, &outcome.invoices)?;
    Ok(outcome)
}

fn draft(
    store: &Store,
    client_id: &str,
    period: Period,
    now: DateTime<Utc>,
) -> Result<ExportedInvoice, BillingCommandError> {
    let request = InvoiceRequest::new(
        client_id,
        period,
        default_issue_date(period.to, now.date_naive()),
    );
    let preview = store.read(|c| preview_invoice(c, &request, &AuditOptions::at(now)))?;
    Ok(ExportedInvoice {
        invoice: preview.invoice,
        reused: false,
        voided: None,
    })
}

fn chosen_clients(
    store: &Store,
    client_id: Option<&str>,
) -> Result<Vec<ClientOrgRow>, BillingCommandError> {
    let rows = store.read(clients::list)?;
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
                return Err(BillingCommandError::InvalidInput(format!(
                    "{} is your agency's own org, not a client: it has no invoices.",
                    row.name
                )));
            }
            Ok(vec![row])
        }
    }
}

fn write_batch(
    out_dir: &Path,
    format: ExportFormat,
    period: &Period,
    invoices: &[BatchInvoice],
) -> Result<Vec<PathBuf>, BillingCommandError> {
    let tag = period_tag(period);
    let mut files = Vec::new();
    match format {
        ExportFormat::Generic => {
            let mut taken = HashSet::new();
            for b in invoices {
                let number = b.invoice.number.as_deref().unwrap_or("draft");
                let mut name = format!("{number}_{tag}_{}", slug(&b.client_name, "client"));
                if !taken.insert(name.clone()) {
                    name = format!("{name}_{}", slug(&b.invoice.client_id, "org"));
                    taken.insert(name.clone());
                }
                let path = out_dir.join(format!("{name}.csv"));
                write_file(&path, format, std::slice::from_ref(&b.invoice))?;
                files.push(path);
            }
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
                write_file(&path, format, part)?;
                files.push(path);
            }
        }
    }
    Ok(files)
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

/// `2026-10` for a calendar month, `2026-10-05_to_2026-10-20` otherwise.
pub fn period_tag(period: &Period) -> String {
    if period.is_calendar_month() {
        period.from.format("%Y-%m").to_string()
    } else {
        format!("{}_to_{}", period.from, period.to)
    }
}

/// A file-name-safe form of a client name: ASCII letters and digits, words joined by `-`.
pub fn slug(name: &str, fallback: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
        if out.len() >= 40 {
            break;
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        fallback.to_owned()
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn slugs_are_safe_file_names() {
        assert_eq!(slug("Acme Dental, Inc.", "x"), "acme-dental-inc");
        assert_eq!(slug("=cmd|' /C calc'!A0", "x"), "cmd-c-calc-a0");
        assert_eq!(slug("../../etc/passwd", "x"), "etc-passwd");
        assert_eq!(slug("Zürich Café", "x"), "z-rich-caf");
        assert_eq!(slug("日本", "client"), "client");
        assert!(slug(&"a".repeat(200), "x").len() <= 40);
    }

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
            assert_eq!(
                err.code(),
                agencydesk_core::error::Code::InvalidInput,
                "{bad}"
            );
        }
    }

    fn invoice(lines: usize) -> Invoice {
        let line = agencydesk_core::billing::InvoiceLine {
            kind: agencydesk_core::billing::LineKind::MonthlyFee,
            item: "Monthly fee".into(),
            description: "fee".into(),
            quantity: 1.into(),
            unit: agencydesk_core::billing::LineUnit::Month,
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
    fn period_tags_name_months_and_ranges() {
        assert_eq!(period_tag(&Period::month(2026, 10).unwrap()), "2026-10");
        let d = |day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap();
        assert_eq!(
            period_tag(&Period::range(d(5), d(20)).unwrap()),
            "2026-10-05_to_2026-10-20"
        );
    }
}
