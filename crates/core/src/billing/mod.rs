//! Billing: per-client pricing plans, invoice previews with a billing audit, issued invoices with
//! sequential numbers, and CSV exports for accountants.
//!
//! Money is `rust_decimal::Decimal` end to end. Vapi's float costs become integer micro-dollars
//! once, at ingestion ([`crate::vapi::money::usd_to_micros`]); everything after is exact. Usage
//! is read from `calls_daily`, a per-day rollup of the call cache that SQLite triggers keep
//! exact (see [`usage`]); the audit scans the period's calls through a covering index. No call
//! is ever loaded one by one.
//!
//! What the app shows is built here too (the plan editor's [`plan_form`], a client's
//! [`client_billing`], the agency [`overview`], [`batch`] exports, the demo's [`sample_plans`]);
//! `crate::office` offers it all as `Agency` methods.

pub mod audit;
pub mod batch;
pub mod client_billing;
pub mod compute;
mod csv_file;
pub mod error;
pub mod export;
pub mod export_request;
pub mod file_names;
pub mod invoice;
pub mod issue;
pub mod last_sync;
pub mod money;
pub mod numbering;
pub mod overview;
pub mod period;
pub mod plan;
pub mod plan_edits;
pub mod plan_form;
pub mod plan_store;
pub mod sample_plans;
pub mod spend_alerts;
pub mod usage;

pub use audit::{audit_calls, AuditKind, AuditOptions, BillingAudit};
pub use batch::{BatchInvoice, BatchRequest};
pub use client_billing::{ClientBilling, IssuedInvoice};
pub use compute::{build_invoice, default_issue_date, preview_invoice, BillTo};
pub use error::{BillingError, PlanIssue};
pub use export::{
    export_to_file, export_to_vec, write_invoices, DateFormat, ExportFormat, ExportOptions,
};
pub use export_request::{ExportOutcome, ExportRequest};
pub use invoice::{
    Adjustment, Invoice, InvoiceLine, InvoicePreview, InvoiceRequest, LineKind, LineUnit,
    OwnerFigures, UsageSummary,
};
pub use numbering::{
    issue_invoice, list_invoices, load_invoice, void_invoice, InvoiceStatus, InvoiceSummary,
};
pub use overview::{AgencyOverview, AlertLevel, OverviewAlert, OverviewRow, OverviewTotals};
pub use period::Period;
pub use plan::{IncludedMinutes, MinuteRounding, PricingPlan, TaxRule};
pub use plan_edits::PlanEdits;
pub use plan_form::{PlanForm, PlanState};
pub use plan_store::{delete_plan, load_plan, require_plan, save_plan};
pub use sample_plans::sample_plans;
pub use spend_alerts::{AlertCheck, CrossedThreshold, SpendThreshold, ThresholdKind};
pub use usage::LineGrouping;
