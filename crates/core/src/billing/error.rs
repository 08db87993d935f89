//! The one error type of the billing module.

use serde::Serialize;
use ts_rs::TS;

/// One problem found in a pricing plan, tied to the field the editor should highlight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct PlanIssue {
    /// The plan field, as named in its JSON form (`markupPercent`, `tax.ratePercent`, ...).
    pub field: String,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BillingError {
    #[error("invalid pricing plan: {}", join_issues(.0))]
    InvalidPlan(Vec<PlanIssue>),

    #[error("the stored pricing plan of client {client_id} cannot be read: {reason}")]
    StoredPlanUnreadable { client_id: String, reason: String },

    #[error("client {client_id} has no pricing plan yet")]
    NoPlan { client_id: String },

    #[error("client {client_id} is not in the local cache")]
    ClientNotFound { client_id: String },

    #[error("invalid billing period: {0}")]
    InvalidPeriod(String),

    #[error("invalid invoice request: {0}")]
    InvalidRequest(String),

    #[error("the invoice does not add up: {0}")]
    DoesNotAddUp(String),

    #[error("{count} call(s) in this period are not settled yet; issue the invoice later or allow unsettled calls")]
    UnsettledCalls { count: u64 },

    #[error("client {client_id} already has invoice {number} for this period; void it before issuing another")]
    AlreadyIssued { client_id: String, number: String },

    #[error("invoice {number} does not exist")]
    InvoiceNotFound { number: String },

    #[error("a draft invoice has no number; issue it before exporting it as {format}")]
    DraftNotExportable { format: &'static str },

    /// A request refused before anything was done; the text says why and what to do instead.
    #[error("{0}")]
    Refused(String),

    #[error(transparent)]
    Write(#[from] crate::write_error::WriteError),

    #[error("stored invoice {number} cannot be read: {reason}")]
    StoredInvoiceUnreadable { number: String, reason: String },

    #[error(transparent)]
    Store(#[from] crate::store::StoreError),

    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),

    #[error("CSV error: {0}")]
    Csv(#[from] csv::Error),

    #[error("I/O error: {0}")]
    Io(#[from] std::io::Error),
}

fn join_issues(issues: &[PlanIssue]) -> String {
    issues
        .iter()
        .map(|i| format!("{}: {}", i.field, i.message))
        .collect::<Vec<_>>()
        .join("; ")
}
