//! The invoice an export writes: issued once, then re-used.
//!
//! # Numbers are never burnt twice
//! Exporting a client's period issues its invoice (the next number of the agency's sequence) the
//! first time only. While that invoice is live, exporting the same client and period again, in
//! any format, re-uses it exactly as issued: same number, same lines. A new number is drawn only
//! when asked (`reissue`): the live invoice is then voided (its number stays used, never given
//! out again) and a new one issued from the current cache and plan, in one transaction, so a
//! failed re-issue voids nothing. A generic CSV can also be a draft (no number, nothing issued).

use chrono::{DateTime, Utc};

use super::audit::AuditOptions;
use super::client_billing::live_invoice_number;
use super::compute::{default_issue_date, preview_invoice};
use super::error::BillingError;
use super::invoice::{Invoice, InvoiceRequest};
use super::numbering::{issue_invoice, load_invoice, void_invoice};
use super::period::Period;
use crate::store::lock::{LockMode, LockName};
use crate::store::Store;

/// How long an issue waits for another process's issue to finish.
const ISSUE_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

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
) -> Result<ExportedInvoice, BillingError> {
    let period = period.validated()?;
    // One issuer at a time over every process on this data folder (SQLite's write lock already
    // makes each issue atomic; this also keeps numbering in the order issues were asked for).
    let _issuing = store
        .data_lock(&LockName::Invoices, LockMode::Exclusive, ISSUE_WAIT, None)
        .map_err(crate::store::StoreError::from)?;
    store.write(|tx| {
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
        Ok(ExportedInvoice {
            invoice: issued.invoice,
            reused: false,
            voided: live,
        })
    })
}

/// The client's invoice for `period` as a preview: no number, nothing issued.
pub fn draft(
    store: &Store,
    client_id: &str,
    period: Period,
    now: DateTime<Utc>,
) -> Result<ExportedInvoice, BillingError> {
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
