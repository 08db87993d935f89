//! A client's billing for one period as the Billing tab shows it: the invoice preview (with the
//! owner's cost and margin), the billing audit, the invoice already issued for the period if
//! any, and how fresh the cache is.

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::audit::{audit_calls, AuditOptions, BillingAudit};
use super::compute::{default_issue_date, preview_invoice};
use super::error::BillingError;
use super::invoice::{InvoicePreview, InvoiceRequest};
use super::last_sync::last_sync_at;
use super::numbering::{list_invoices, load_invoice, InvoiceStatus};
use super::period::Period;
use super::plan::MinuteRounding;
use super::plan_store::load_plan;
use super::usage::{usage_by, GroupBy};
use crate::store::clients;

/// The invoice already issued for the client and period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct IssuedInvoice {
    pub number: String,
    pub issue_date: String,
    pub currency: String,
    /// Decimal text.
    pub total: String,
    /// False when the cache or the plan changed since it was issued: exporting again re-uses
    /// the issued figures unless it is re-issued.
    pub matches_preview: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct ClientBilling {
    pub client_id: String,
    pub client_name: String,
    pub period: Period,
    /// When this client's calls were last synced; `null` if never (the tab says to sync first).
    pub last_sync_at: Option<String>,
    /// Cached calls created in the period.
    #[ts(type = "number")]
    pub calls_in_period: i64,
    /// `null` while the client has no pricing plan.
    pub preview: Option<InvoicePreview>,
    pub audit: BillingAudit,
    pub issued: Option<IssuedInvoice>,
}

/// Everything the Billing tab shows for `client_id` over `period`, as of `now`.
pub fn client_billing(
    conn: &Connection,
    client_id: &str,
    period: Period,
    now: DateTime<Utc>,
) -> Result<ClientBilling, BillingError> {
    let period = period.validated()?;
    let client = clients::get(conn, client_id)?.ok_or_else(|| BillingError::ClientNotFound {
        client_id: client_id.to_owned(),
    })?;
    let audit_options = AuditOptions::at(now);
    let preview = match load_plan(conn, &client.id)? {
        Some(_) => {
            let request = InvoiceRequest::new(
                &client.id,
                period,
                default_issue_date(period.to, now.date_naive()),
            );
            Some(preview_invoice(conn, &request, &audit_options)?)
        }
        None => None,
    };
    let audit = match &preview {
        Some(p) => p.audit.clone(),
        None => audit_calls(conn, &client.id, &period, &audit_options)?,
    };
    let calls_in_period = usage_by(
        conn,
        &client.id,
        &period,
        GroupBy::Month,
        MinuteRounding::ExactSeconds,
    )?
    .iter()
    .map(|g| g.calls)
    .sum();
    let issued = issued_invoice(conn, &client.id, &period, preview.as_ref())?;
    Ok(ClientBilling {
        last_sync_at: last_sync_at(conn, &client.id)?,
        client_id: client.id,
        client_name: client.name,
        period,
        calls_in_period,
        preview,
        audit,
        issued,
    })
}

/// The live (not voided) invoice of the client for exactly this period.
fn issued_invoice(
    conn: &Connection,
    client_id: &str,
    period: &Period,
    preview: Option<&InvoicePreview>,
) -> Result<Option<IssuedInvoice>, BillingError> {
    let Some(label) = live_invoice_number(conn, client_id, period)? else {
        return Ok(None);
    };
    let stored = load_invoice(conn, &label)?;
    let matches_preview = preview.is_some_and(|p| {
        p.invoice.lines == stored.lines
            && p.invoice.total == stored.total
            && p.invoice.currency == stored.currency
    });
    Ok(Some(IssuedInvoice {
        number: label,
        issue_date: stored.issue_date.to_string(),
        currency: stored.currency,
        total: stored.total.to_string(),
        matches_preview,
    }))
}

/// The number of the client's live invoice for `period`, if one was issued.
pub fn live_invoice_number(
    conn: &Connection,
    client_id: &str,
    period: &Period,
) -> Result<Option<String>, BillingError> {
    let (from, to) = (period.from.to_string(), period.to.to_string());
    Ok(list_invoices(conn, Some(client_id))?
        .into_iter()
        .find(|i| i.status == InvoiceStatus::Issued && i.period_from == from && i.period_to == to)
        .map(|i| i.number))
}
