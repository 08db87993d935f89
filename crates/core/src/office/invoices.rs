//! A client's billing for one period as the Billing tab shows it, and its invoice exported to
//! the file chosen in the save dialog.

use std::sync::Arc;

use chrono::Utc;

use crate::agency::Agency;
use crate::billing::audit::{audit_calls, AuditOptions, BillingAudit};
use crate::billing::client_billing::{client_billing, ClientBilling};
use crate::billing::export_request::{export_one, ExportOutcome, ExportRequest};
use crate::billing::period::Period;
use crate::blocking::blocking;
use crate::error::CoreError;

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
    /// invoice and writes it as CSV to `path`.
    pub async fn export_invoice_csv(
        &self,
        request: ExportRequest,
        path: String,
    ) -> Result<ExportOutcome, CoreError> {
        let store = Arc::clone(self.store());
        blocking(move || Ok(export_one(&store, &request, &path, Utc::now())?)).await
    }
}
