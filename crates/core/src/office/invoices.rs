//! A client's billing for one period as the Billing tab shows it, and its invoice exported to
//! the file chosen in the save dialog: a CSV for the accountant or a PDF for the client.

use std::sync::Arc;

use chrono::Utc;

use crate::agency::{letterhead, Agency};
use crate::billing::audit::{audit_calls, AuditOptions, BillingAudit};
use crate::billing::client_billing::{client_billing, ClientBilling};
use crate::billing::export::ExportFormat;
use crate::billing::export_request::{
    export_one, issue_for_file, outcome, ExportOutcome, ExportRequest,
};
use crate::billing::period::Period;
use crate::blocking::blocking;
use crate::documents::invoice_pdf;
use crate::error::CoreError;
use crate::write_error::WriteError;

impl Agency {
    /// The invoice preview (lines, subtotal, tax, total; Vapi cost and margin for the owner),
    /// the billing audit and the invoice already issued for the period.
    pub async fn invoice_preview(
        &self,
        client_id: &str,
        period: Period,
    ) -> Result<ClientBilling, CoreError> {
        let client_id = client_id.to_owned();
        self.read_blocking(move |c| client_billing(c, &client_id, period, Utc::now()))
            .await
    }

    pub async fn billing_audit(
        &self,
        client_id: &str,
        period: Period,
    ) -> Result<BillingAudit, CoreError> {
        let period = period.validated()?;
        let client_id = client_id.to_owned();
        self.read_blocking(move |c| {
            audit_calls(c, &client_id, &period, &AuditOptions::at(Utc::now()))
        })
        .await
    }

    /// Issues (or re-uses: an invoice is numbered once, see `billing::issue`) the client's
    /// invoice and writes it to `path` in the request's format: CSV, or PDF with the agency's
    /// letterhead.
    pub async fn export_invoice_file(
        &self,
        request: ExportRequest,
        path: String,
    ) -> Result<ExportOutcome, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || {
            if request.format != ExportFormat::Pdf {
                return Ok(export_one(&store, &request, &path, Utc::now())?);
            }
            let letterhead = letterhead(&store)?;
            let (path, exported) = issue_for_file(&store, &request, &path, Utc::now())?;
            let bytes = invoice_pdf(&exported.invoice, &letterhead)?;
            crate::atomic_file::write(&path, &bytes).map_err(|e| WriteError::new(&path, &e))?;
            Ok(outcome(&path, exported))
        })
        .await
    }
}
