//! The agency's back office as the app and the CLI call it: pricing plans, invoice previews and
//! exports (CSV and PDF), charts, client reports and the overview, as `Agency` methods. Database
//! and drawing work runs through [`crate::blocking`], so a large cache never stalls the async
//! runtime.
//!
//! These live here, over `billing/` and `charts/` rather than beside them (as `public_keys/` sits
//! over `keys/`), because `error/` gathers `BillingError` and `ChartError`: those modules must not import
//! `error/` or `agency/` back. Nothing imports this module.

mod alerts;
mod charts;
mod export_options;
mod exports;
mod invoices;
mod overview;
mod plans;
mod reports;
mod sync_first;

pub use exports::{BatchOutcome, SkippedClient};
