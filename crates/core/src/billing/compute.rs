//! Pricing a period's usage into an invoice: the plan's rules applied to aggregated usage.
//!
//! Pure functions over [`UsageGroup`]s, so every rule is testable without a database;
//! [`preview_invoice`] wires them to SQLite.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;
use rust_decimal::Decimal;

use super::audit::{audit_calls, AuditOptions};
use super::error::BillingError;
use super::invoice::{
    Adjustment, Invoice, InvoiceLine, InvoicePreview, InvoiceRequest, LineKind, LineUnit,
    OwnerFigures, OwnerGroup, UsageSummary,
};
use super::money::{
    currency_decimals, format_decimal, minutes_from_millis, percent, round_money, round_quantity,
    usd_from_micros,
};
use super::plan::PricingPlan;
use super::plan_store::require_plan;
use super::usage::{usage_by, UsageGroup};
use crate::store::clients;

const MAX_BILLING_MONTHS: u32 = 24;
const MAX_ADJUSTMENTS: usize = 100;
const MAX_ADJUSTMENT: i64 = 10_000_000;
const MAX_DESCRIPTION_CHARS: usize = 500;

/// The client the invoice is addressed to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillTo {
    pub id: String,
    pub name: String,
}

/// Computes the invoice preview of one client for one period from the cache.
pub fn preview_invoice(
    conn: &Connection,
    request: &InvoiceRequest,
    audit: &AuditOptions,
) -> Result<InvoicePreview, BillingError> {
    let period = request.period.validated()?;
    let client =
        clients::get(conn, &request.client_id)?.ok_or_else(|| BillingError::ClientNotFound {
            client_id: request.client_id.clone(),
        })?;
    let plan = require_plan(conn, &client.id)?;
    let groups = usage_by(
        conn,
        &client.id,
        &period,
        request.grouping.into(),
        plan.minute_rounding,
    )?;
    let bill_to = BillTo {
        id: client.id,
        name: client.name,
    };
    let (invoice, owner, usage) = build_invoice(&plan, &bill_to, request, &groups)?;
    let audit = audit_calls(conn, &bill_to.id, &period, audit)?;
    Ok(InvoicePreview {
        invoice,
        owner,
        usage,
        audit,
    })
}

/// Applies `plan` to the period's usage `groups`.
pub fn build_invoice(
    plan: &PricingPlan,
    bill_to: &BillTo,
    request: &InvoiceRequest,
    groups: &[UsageGroup],
) -> Result<(Invoice, OwnerFigures, UsageSummary), BillingError> {
    plan.validate()?;
    check_request(request, currency_decimals(&plan.currency))?;
    let fx = plan.fx();
    let tax_rate = percent(plan.tax_percent());
    // Amounts are fixed to the currency's own unit: cents, or whole yen.
    let dp = currency_decimals(&plan.currency);
    let mut lines = Vec::new();
    let mut owner_groups = Vec::with_capacity(groups.len());

    for group in groups {
        let cost_usd = usd_from_micros(group.cost_micros);
        let minutes = round_quantity(minutes_from_millis(group.billed_millis));
        let first_line = lines.len();
        if let Some(markup) = plan.markup_percent {
            let amount = round_money(cost_usd * fx * (Decimal::ONE + percent(markup)), dp);
            push_line(
                &mut lines,
                (tax_rate, dp),
                LineSpec {
                    kind: LineKind::Usage,
                    item: "Voice AI usage",
                    description: format!("{}: {}", group.label, calls_text(group.calls)),
                    quantity: Decimal::ONE,
                    unit: LineUnit::Each,
                    unit_price: amount,
                },
            );
        }
        if let Some(rate) = plan.per_minute_rate {
            push_line(
                &mut lines,
                (tax_rate, dp),
                LineSpec {
                    kind: LineKind::Minutes,
                    item: "Voice minutes",
                    description: format!(
                        "{}: {}, {} min",
                        group.label,
                        calls_text(group.calls),
                        format_decimal(minutes, 0)
                    ),
                    quantity: minutes,
                    unit: LineUnit::Minute,
                    unit_price: rate,
                },
            );
        }
        owner_groups.push(OwnerGroup {
            label: group.label.clone(),
            calls: group.calls,
            billed_minutes: minutes,
            vapi_cost_usd: cost_usd,
            billed: lines[first_line..].iter().map(|l| l.amount).sum(),
        });
    }

    let months = Decimal::from(request.billing_months);
    if let Some(fee) = plan.monthly_fee.filter(|_| request.billing_months > 0) {
        push_line(
            &mut lines,
            (tax_rate, dp),
            LineSpec {
                kind: LineKind::MonthlyFee,
                item: "Monthly fee",
                description: format!("Monthly fee, {}", request.period.label()),
                quantity: months,
                unit: LineUnit::Month,
                unit_price: fee,
            },
        );
    }

    let billed_millis: i64 = groups.iter().map(|g| g.billed_millis).sum();
    let billed_minutes = round_quantity(minutes_from_millis(billed_millis));
    let mut included_minutes = Decimal::ZERO;
    let mut overage_minutes = Decimal::ZERO;
    if let Some(included) = &plan.included_minutes {
        included_minutes = Decimal::from(included.minutes) * months;
        overage_minutes = (billed_minutes - included_minutes).max(Decimal::ZERO);
        if overage_minutes > Decimal::ZERO {
            push_line(
                &mut lines,
                (tax_rate, dp),
                LineSpec {
                    kind: LineKind::Overage,
                    item: "Overage minutes",
                    description: format!(
                        "{} min used, {} min included",
                        format_decimal(billed_minutes, 0),
                        format_decimal(included_minutes, 0)
                    ),
                    quantity: overage_minutes,
                    unit: LineUnit::Minute,
                    unit_price: included.overage_rate,
                },
            );
        }
    }

    for adjustment in &request.adjustments {
        push_line(
            &mut lines,
            (tax_rate, dp),
            LineSpec {
                kind: LineKind::Adjustment,
                item: "Adjustment",
                description: adjustment.description.trim().to_owned(),
                quantity: Decimal::ONE,
                unit: LineUnit::Each,
                unit_price: adjustment.amount,
            },
        );
    }

    let subtotal: Decimal = lines.iter().map(|l| l.amount).sum();
    let tax_total: Decimal = lines.iter().map(|l| l.tax_amount).sum();
    let due_date = request
        .issue_date
        .checked_add_days(Days::new(u64::from(plan.payment_terms_days)))
        .ok_or_else(|| BillingError::InvalidRequest("the due date is out of range".into()))?;
    let invoice = Invoice {
        number: None,
        client_id: bill_to.id.clone(),
        client_name: bill_to.name.clone(),
        period: request.period,
        issue_date: request.issue_date,
        due_date,
        payment_terms_days: plan.payment_terms_days,
        currency: plan.currency.clone(),
        tax_rule: plan.tax.clone(),
        lines,
        subtotal,
        tax_total,
        total: subtotal + tax_total,
    };

    let vapi_cost_usd = usd_from_micros(groups.iter().map(|g| g.cost_micros).sum());
    let vapi_cost = round_money(vapi_cost_usd * fx, dp);
    let margin = subtotal - vapi_cost;
    let margin_percent = (!subtotal.is_zero()).then(|| {
        (margin * Decimal::ONE_HUNDRED / subtotal)
            .round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    });
    let owner = OwnerFigures {
        vapi_cost_usd,
        vapi_cost,
        margin,
        margin_percent,
        groups: owner_groups,
    };
    let usage = UsageSummary {
        calls: groups.iter().map(|g| g.calls).sum(),
        billed_minutes,
        included_minutes,
        overage_minutes,
    };
    Ok((invoice, owner, usage))
}

struct LineSpec {
    kind: LineKind,
    item: &'static str,
    description: String,
    quantity: Decimal,
    unit: LineUnit,
    unit_price: Decimal,
}

/// Adds a line unless it bills nothing (an assistant whose calls cost nothing, say); amounts
/// rounded to `dp` decimals.
fn push_line(lines: &mut Vec<InvoiceLine>, (tax_rate, dp): (Decimal, u32), spec: LineSpec) {
    let amount = round_money(spec.quantity * spec.unit_price, dp);
    if amount.is_zero() {
        return;
    }
    lines.push(InvoiceLine {
        kind: spec.kind,
        item: spec.item.to_owned(),
        description: spec.description,
        quantity: spec.quantity,
        unit: spec.unit,
        unit_price: spec.unit_price,
        amount,
        tax_amount: round_money(amount * tax_rate, dp),
    });
}

fn calls_text(calls: i64) -> String {
    if calls == 1 {
        "1 call".to_owned()
    } else {
        format!("{calls} calls")
    }
}

fn check_request(request: &InvoiceRequest, dp: u32) -> Result<(), BillingError> {
    let bad = |m: String| Err(BillingError::InvalidRequest(m));
    request.period.validated()?;
    if request.billing_months > MAX_BILLING_MONTHS {
        return bad(format!(
            "billing months must be at most {MAX_BILLING_MONTHS}"
        ));
    }
    if request.adjustments.len() > MAX_ADJUSTMENTS {
        return bad(format!("at most {MAX_ADJUSTMENTS} adjustments"));
    }
    for Adjustment {
        description,
        amount,
    } in &request.adjustments
    {
        let chars = description.trim().chars().count();
        if chars == 0 || chars > MAX_DESCRIPTION_CHARS {
            return bad(format!(
                "an adjustment needs a description of 1 to {MAX_DESCRIPTION_CHARS} characters"
            ));
        }
        if amount.is_zero() || amount.abs() > Decimal::from(MAX_ADJUSTMENT) {
            return bad(format!(
                "adjustment {description:?}: the amount must be non-zero and at most {MAX_ADJUSTMENT}"
            ));
        }
        if amount.normalize().scale() > dp {
            return bad(format!(
                "adjustment {description:?}: at most {dp} decimal places in this currency"
            ));
        }
    }
    Ok(())
}

/// The issue date to use when none is chosen: today, or the period's last day while the period
/// is still running (an invoice is never dated before the usage it bills).
pub fn default_issue_date(period_to: NaiveDate, today: NaiveDate) -> NaiveDate {
    today.max(period_to)
}
