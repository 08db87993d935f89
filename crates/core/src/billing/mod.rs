//! Billing: per-client pricing plans, invoice previews with a billing audit, issued invoices with
//! sequential numbers, and CSV exports for accountants.
//!
//! Money is `rust_decimal::Decimal` end to end. Vapi's float costs become integer micro-dollars
//! once, at ingestion ([`crate::vapi::money::usd_to_micros`]); everything after is exact. Usage
//! is read from `calls_daily`, a per-day rollup of the call cache that SQLite triggers keep
//! exact (see [`usage`]); the audit scans the period's calls through a covering index. No call
//! is ever loaded one by one.

pub mod audit;
pub mod compute;
pub mod error;
pub mod export;
pub mod invoice;
pub mod money;
pub mod numbering;
pub mod period;
pub mod plan;
pub mod plan_store;
pub mod usage;

pub use audit::{audit_calls, AuditKind, AuditOptions, BillingAudit};
pub use compute::{build_invoice, default_issue_date, preview_invoice, BillTo};
pub use error::{BillingError, PlanIssue};
pub use export::{
    export_to_file, export_to_vec, write_invoices, DateOrder, ExportFormat, ExportOptions,
};
pub use invoice::{
    Adjustment, Invoice, InvoiceLine, InvoicePreview, InvoiceRequest, LineKind, LineUnit,
    OwnerFigures, UsageSummary,
};
pub use numbering::{
    issue_invoice, list_invoices, load_invoice, void_invoice, InvoiceStatus, InvoiceSummary,
};
pub use period::Period;
pub use plan::{IncludedMinutes, MinuteRounding, PricingPlan, TaxRule};
pub use plan_store::{delete_plan, load_plan, require_plan, save_plan};
pub use usage::LineGrouping;
