//! Invoices as the client sees them, and the owner-only figures kept beside them.
//!
//! [`Invoice`] is everything that may leave the agency (exports take only this type);
//! [`OwnerFigures`] (Vapi's cost, the margin) lives in a separate struct so that no export can
//! leak it by accident.
//!
//! Invariants, checked by [`Invoice::check_sums`] and the tests: every line's `amount` is
//! `quantity x unitPrice` rounded half-up to cents, or to whole units for a currency without a
//! minor unit such as JPY (what QuickBooks and Xero recompute), its `taxAmount` is
//! `amount x tax rate` rounded the same way, `subtotal` is the sum of the amounts,
//! `taxTotal` the sum of the line taxes, and `total = subtotal + taxTotal`, exactly.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::audit::BillingAudit;
use super::error::BillingError;
use super::money::{currency_decimals, round_money};
use super::period::Period;
use super::plan::TaxRule;
use super::usage::LineGrouping;

/// What produced a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum LineKind {
    /// Vapi's cost of a group of calls, with the plan's markup.
    Usage,
    /// A group's billed minutes at the per-minute rate.
    Minutes,
    MonthlyFee,
    /// Minutes beyond the included ones, at the overage rate.
    Overage,
    /// A manual line (a credit is a negative adjustment).
    Adjustment,
}

/// The unit of a line's quantity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub enum LineUnit {
    Minute,
    Month,
    Each,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct InvoiceLine {
    pub kind: LineKind,
    /// The product or service name accountants map (`Voice minutes`, `Monthly fee`).
    pub item: String,
    pub description: String,
    #[ts(type = "string")]
    pub quantity: Decimal,
    pub unit: LineUnit,
    #[ts(type = "string")]
    pub unit_price: Decimal,
    #[ts(type = "string")]
    pub amount: Decimal,
    #[ts(type = "string")]
    pub tax_amount: Decimal,
}

/// An invoice as the client sees it. `number` is `None` for a preview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Invoice {
    pub number: Option<String>,
    pub client_id: String,
    pub client_name: String,
    pub period: Period,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub payment_terms_days: u16,
    pub currency: String,
    pub tax_rule: Option<TaxRule>,
    pub lines: Vec<InvoiceLine>,
    #[ts(type = "string")]
    pub subtotal: Decimal,
    #[ts(type = "string")]
    pub tax_total: Decimal,
    #[ts(type = "string")]
    pub total: Decimal,
}

impl Invoice {
    /// Verifies the invariants listed in the module documentation.
    pub fn check_sums(&self) -> Result<(), BillingError> {
        let rate = self
            .tax_rule
            .as_ref()
            .map_or(Decimal::ZERO, |t| t.rate_percent);
        let dp = currency_decimals(&self.currency);
        for (i, line) in self.lines.iter().enumerate() {
            let expected = round_money(line.quantity * line.unit_price, dp);
            let expected_tax = round_money(line.amount * rate / Decimal::ONE_HUNDRED, dp);
            if line.amount != expected || line.tax_amount != expected_tax {
                return Err(BillingError::DoesNotAddUp(format!(
                    "line {}: amount or tax is not quantity x price rounded to the currency's unit",
                    i + 1
                )));
            }
        }
        let subtotal: Decimal = self.lines.iter().map(|l| l.amount).sum();
        let tax: Decimal = self.lines.iter().map(|l| l.tax_amount).sum();
        if subtotal != self.subtotal || tax != self.tax_total || self.total != subtotal + tax {
            return Err(BillingError::DoesNotAddUp(
                "the totals are not the sum of the lines".into(),
            ));
        }
        Ok(())
    }
}

/// Vapi's cost of one group beside what the client is billed for it, for the owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OwnerGroup {
    pub label: String,
    pub calls: i64,
    #[ts(type = "string")]
    pub billed_minutes: Decimal,
    #[ts(type = "string")]
    pub vapi_cost_usd: Decimal,
    /// The usage and minute lines of this group, before tax, in the invoice currency.
    #[ts(type = "string")]
    pub billed: Decimal,
}

/// What the agency pays Vapi and keeps: never exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct OwnerFigures {
    /// Exact sum of the calls' costs, USD.
    #[ts(type = "string")]
    pub vapi_cost_usd: Decimal,
    /// The same in the invoice currency at the plan's rate, rounded to cents.
    #[ts(type = "string")]
    pub vapi_cost: Decimal,
    /// Subtotal (before tax) minus `vapiCost`.
    #[ts(type = "string")]
    pub margin: Decimal,
    /// Margin as a percentage of the subtotal, one decimal; `None` when the subtotal is zero.
    #[ts(type = "string | null")]
    pub margin_percent: Option<Decimal>,
    pub groups: Vec<OwnerGroup>,
}

/// Minutes behind the invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct UsageSummary {
    pub calls: i64,
    /// Sum of the per-call rounded durations.
    #[ts(type = "string")]
    pub billed_minutes: Decimal,
    /// Included minutes available in the period (plan allowance x billed months).
    #[ts(type = "string")]
    pub included_minutes: Decimal,
    #[ts(type = "string")]
    pub overage_minutes: Decimal,
}

/// A manual line: a credit (negative) or an extra charge.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct Adjustment {
    pub description: String,
    #[ts(type = "string")]
    pub amount: Decimal,
}

/// What to invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct InvoiceRequest {
    pub client_id: String,
    pub period: Period,
    #[serde(default)]
    pub grouping: LineGrouping,
    pub issue_date: NaiveDate,
    /// How many monthly fees and included-minute allowances this invoice covers: 1 for a calendar
    /// month; the owner decides for a custom range (0 for a usage-only interim invoice).
    pub billing_months: u32,
    #[serde(default)]
    pub adjustments: Vec<Adjustment>,
}

impl InvoiceRequest {
    /// The usual request: lines by assistant, one monthly fee and allowance, no adjustment.
    pub fn new(client_id: &str, period: Period, issue_date: NaiveDate) -> Self {
        Self {
            client_id: client_id.to_owned(),
            period,
            grouping: LineGrouping::ByAssistant,
            issue_date,
            billing_months: 1,
            adjustments: Vec::new(),
        }
    }
}

/// An invoice preview: the invoice, the owner's figures and the billing audit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct InvoicePreview {
    pub invoice: Invoice,
    pub owner: OwnerFigures,
    pub usage: UsageSummary,
    pub audit: BillingAudit,
}
