//! Issuing invoices: sequential numbers per agency (one database is one agency), never reused.
//!
//! The counter row is incremented in the same transaction that records the invoice, so a number
//! exists only if its invoice does, and a rolled-back issue leaves no gap and no duplicate. Voiding
//! an invoice keeps its row and number; it only frees the client's period for a new invoice.

use rusqlite::{Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::audit::AuditOptions;
use super::compute::preview_invoice;
use super::error::BillingError;
use super::invoice::{Invoice, InvoicePreview, InvoiceRequest};
use crate::store::{agency_profile, time};

/// How issued invoice numbers look: the agency's prefix and 6 digits, `INV-000042`.
pub fn invoice_label(prefix: &str, number: i64) -> String {
    format!("{prefix}{number:06}")
}

/// Computes the invoice inside `tx` (one consistent snapshot of the cache), numbers it and
/// records it. Refuses while calls are unsettled unless `allow_unsettled`, and refuses a second
/// live invoice for the same client and period.
pub fn issue_invoice(
    tx: &Transaction<'_>,
    request: &InvoiceRequest,
    audit: &AuditOptions,
    allow_unsettled: bool,
) -> Result<InvoicePreview, BillingError> {
    let mut preview = preview_invoice(tx, request, audit)?;
    if !allow_unsettled && preview.audit.unsettled.count > 0 {
        return Err(BillingError::UnsettledCalls {
            count: preview.audit.unsettled.count,
        });
    }
    let invoice = &preview.invoice;
    let live: Option<String> = tx
        .query_row(
            "SELECT label FROM invoices
             WHERE org_id = ?1 AND period_from = ?2 AND period_to = ?3 AND status = 'issued'",
            (
                &invoice.client_id,
                invoice.period.from.to_string(),
                invoice.period.to.to_string(),
            ),
            |row| row.get(0),
        )
        .optional()?;
    if let Some(number) = live {
        return Err(BillingError::AlreadyIssued {
            client_id: invoice.client_id.clone(),
            number,
        });
    }
    invoice.check_sums()?;

    let number: i64 = tx.query_row(
        "UPDATE invoice_counter SET last_number = last_number + 1 WHERE id = 1
         RETURNING last_number",
        [],
        |row| row.get(0),
    )?;
    let (details, _) = agency_profile::get_details(tx)?;
    let label = invoice_label(&details.invoice_prefix, number);
    preview.invoice.number = Some(label.clone());
    let invoice = &preview.invoice;
    let body =
        serde_json::to_string(invoice).map_err(|e| BillingError::StoredInvoiceUnreadable {
            number: label.clone(),
            reason: e.to_string(),
        })?;
    tx.execute(
        "INSERT INTO invoices (number, label, org_id, period_from, period_to, issue_date,
                               currency, total, status, issued_at, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'issued', ?9, ?10)",
        (
            number,
            &label,
            &invoice.client_id,
            invoice.period.from.to_string(),
            invoice.period.to.to_string(),
            invoice.issue_date.to_string(),
            &invoice.currency,
            invoice.total.to_string(),
            time::format(audit.now),
            body,
        ),
    )?;
    Ok(preview)
}

/// Marks an issued invoice void. Its number stays used.
pub fn void_invoice(conn: &Connection, label: &str) -> Result<(), BillingError> {
    let changed = conn.execute(
        "UPDATE invoices SET status = 'void' WHERE label = ?1 AND status = 'issued'",
        [label],
    )?;
    if changed == 0 {
        return Err(BillingError::InvoiceNotFound {
            number: label.to_owned(),
        });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum InvoiceStatus {
    Issued,
    Void,
}

/// A row of the invoice list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct InvoiceSummary {
    pub number: String,
    pub client_id: String,
    pub period_from: String,
    pub period_to: String,
    pub issue_date: String,
    pub currency: String,
    /// Decimal text.
    pub total: String,
    pub status: InvoiceStatus,
}

/// Issued and voided invoices, newest number first; of one client when `org_id` is given.
pub fn list_invoices(
    conn: &Connection,
    org_id: Option<&str>,
) -> Result<Vec<InvoiceSummary>, BillingError> {
    let mut stmt = conn.prepare(
        "SELECT label, org_id, period_from, period_to, issue_date, currency, total, status
         FROM invoices WHERE ?1 IS NULL OR org_id = ?1 ORDER BY number DESC",
    )?;
    let rows = stmt.query_map([org_id], |row| {
        let status: String = row.get(7)?;
        Ok(InvoiceSummary {
            number: row.get(0)?,
            client_id: row.get(1)?,
            period_from: row.get(2)?,
            period_to: row.get(3)?,
            issue_date: row.get(4)?,
            currency: row.get(5)?,
            total: row.get(6)?,
            status: if status == "void" {
                InvoiceStatus::Void
            } else {
                InvoiceStatus::Issued
            },
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// An issued invoice exactly as it was issued (for re-exporting it).
pub fn load_invoice(conn: &Connection, label: &str) -> Result<Invoice, BillingError> {
    let body: String = conn
        .query_row(
            "SELECT body FROM invoices WHERE label = ?1",
            [label],
            |row| row.get(0),
        )
        .optional()?
        .ok_or_else(|| BillingError::InvoiceNotFound {
            number: label.to_owned(),
        })?;
    serde_json::from_str(&body).map_err(|e| BillingError::StoredInvoiceUnreadable {
        number: label.to_owned(),
        reason: e.to_string(),
    })
}
