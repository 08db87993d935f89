//! Invoice previews on the fixed dataset: every pricing rule, the rounding edges, empty and
//! unsettled months, and the SQL plan of the aggregation.

mod billing_fixture;

use agencydesk_core::billing::{
    self, AuditOptions, BillingError, Invoice, InvoicePreview, InvoiceRequest, LineGrouping,
    LineKind, Period,
};
use billing_fixture::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn october() -> Period {
    Period::parse_month("2026-10").unwrap()
}

fn preview(fx: &Fixture, request: &InvoiceRequest) -> Result<InvoicePreview, BillingError> {
    fx.store
        .read(|conn| billing::preview_invoice(conn, request, &AuditOptions::at(now())))
}

fn month_preview(fx: &Fixture, client: &str, month: &str) -> InvoicePreview {
    let request = InvoiceRequest::new(
        client,
        Period::parse_month(month).unwrap(),
        date("2026-11-01"),
    );
    preview(fx, &request).unwrap()
}

/// (description, quantity, unit price, amount, tax) of every line.
fn lines(invoice: &Invoice) -> Vec<(String, Decimal, Decimal, Decimal, Decimal)> {
    invoice
        .lines
        .iter()
        .map(|l| {
            (
                l.description.clone(),
                l.quantity,
                l.unit_price,
                l.amount,
                l.tax_amount,
            )
        })
        .collect()
}

fn assert_sums(invoice: &Invoice) {
    invoice.check_sums().unwrap();
    let subtotal: Decimal = invoice.lines.iter().map(|l| l.amount).sum();
    let tax: Decimal = invoice.lines.iter().map(|l| l.tax_amount).sum();
    assert_eq!(invoice.subtotal, subtotal);
    assert_eq!(invoice.tax_total, tax);
    assert_eq!(invoice.total, subtotal + tax);
}

#[test]
fn markup_plan_rounds_each_line_half_up_and_taxes_per_line() {
    let fx = fixture();
    let p = month_preview(&fx, ACME, "2026-10");
    let inv = &p.invoice;
    // Front Desk: (0.500000 + 0.304000) x 1.25 = 1.005 -> 1.01 (banker's rounding would give 1.00).
    // After Hours: 1.6 x 1.25 = 2.00, tax 0.165 -> 0.17. Transient: 0.15432 -> 0.15.
    assert_eq!(
        lines(inv),
        vec![
            (
                "After Hours: 1 call".into(),
                dec!(1),
                dec!(2.00),
                dec!(2.00),
                dec!(0.17)
            ),
            (
                "Front Desk: 3 calls".into(),
                dec!(1),
                dec!(1.01),
                dec!(1.01),
                dec!(0.08)
            ),
            (
                "Other calls (transient assistant or squad): 1 call".into(),
                dec!(1),
                dec!(0.15),
                dec!(0.15),
                dec!(0.01)
            ),
        ]
    );
    assert!(inv.lines.iter().all(|l| l.kind == LineKind::Usage));
    assert_eq!(
        (inv.subtotal, inv.tax_total, inv.total),
        (dec!(3.16), dec!(0.26), dec!(3.42))
    );
    assert_sums(inv);
    assert_eq!(inv.client_name, "Acme Dental");
    assert_eq!(inv.currency, "USD");
    assert_eq!(inv.due_date, date("2026-12-01"));
    assert_eq!(inv.number, None);
    // The September call (23:59:59.999 on the 30th) and the November ones are outside.
    assert_eq!(p.usage.calls, 5);
    // Owner figures: 2.527456 USD of cost, 3.16 billed.
    assert_eq!(p.owner.vapi_cost_usd, dec!(2.527456));
    assert_eq!(p.owner.vapi_cost, dec!(2.53));
    assert_eq!(p.owner.margin, dec!(0.63));
    assert_eq!(p.owner.margin_percent, Some(dec!(19.9)));
    let group_costs: Vec<(String, Decimal, Decimal)> = p
        .owner
        .groups
        .iter()
        .map(|g| (g.label.clone(), g.vapi_cost_usd, g.billed))
        .collect();
    assert_eq!(
        group_costs,
        vec![
            ("After Hours".into(), dec!(1.6), dec!(2.00)),
            ("Front Desk".into(), dec!(0.804), dec!(1.01)),
            (
                "Other calls (transient assistant or squad)".into(),
                dec!(0.123456),
                dec!(0.15)
            ),
        ]
    );
}

#[test]
fn per_minute_plan_rounds_each_call_up_then_the_line_half_up() {
    let fx = fixture();
    let p = month_preview(&fx, BOLT, "2026-10");
    // Dispatcher: 61 s -> 2 min, 59.5 s -> 1 min, 0 s -> 0; 3 x 0.125 = 0.375 -> 0.38.
    // Quotes: durationSeconds 30.2 (no timestamps) -> 1 min -> 0.125 -> 0.13.
    assert_eq!(
        lines(&p.invoice),
        vec![
            (
                "Dispatcher: 3 calls, 3 min".into(),
                dec!(3),
                dec!(0.125),
                dec!(0.38),
                dec!(0)
            ),
            (
                "Quotes: 1 call, 1 min".into(),
                dec!(1),
                dec!(0.125),
                dec!(0.13),
                dec!(0)
            ),
            (
                "Monthly fee, October 2026".into(),
                dec!(1),
                dec!(49.00),
                dec!(49.00),
                dec!(0)
            ),
        ]
    );
    assert_eq!(p.invoice.total, dec!(49.51));
    assert_eq!(p.invoice.due_date, date("2026-11-16"));
    assert_eq!(p.usage.billed_minutes, dec!(4));
    assert_eq!(p.owner.vapi_cost_usd, dec!(0.65));
    assert_eq!(p.owner.margin, dec!(48.86));
    assert_sums(&p.invoice);
}

#[test]
fn lines_can_be_grouped_by_call_type() {
    let fx = fixture();
    let mut request = InvoiceRequest::new(BOLT, october(), date("2026-11-01"));
    request.grouping = LineGrouping::ByCallType;
    let p = preview(&fx, &request).unwrap();
    let descriptions: Vec<String> = p
        .invoice
        .lines
        .iter()
        .map(|l| l.description.clone())
        .collect();
    assert_eq!(
        descriptions,
        vec![
            "Inbound phone calls: 3 calls, 3 min",
            "Outbound phone calls: 1 call, 1 min",
            "Monthly fee, October 2026"
        ]
    );
    // Same calls, same rounding per call: the same total as by assistant.
    assert_eq!(p.invoice.total, dec!(49.51));
}

#[test]
fn included_minutes_bill_only_the_overage_in_the_plan_currency() {
    let fx = fixture();
    let p = month_preview(&fx, COVE, "2026-10");
    // 421 s -> 426 s, 300.5 s -> 306 s (6 s steps): 12.2 min, 10 included, 2.2 x 0.12 = 0.264.
    assert_eq!(
        lines(&p.invoice),
        vec![
            (
                "Monthly fee, October 2026".into(),
                dec!(1),
                dec!(99),
                dec!(99.00),
                dec!(19.80)
            ),
            (
                "12.2 min used, 10 min included".into(),
                dec!(2.2),
                dec!(0.12),
                dec!(0.26),
                dec!(0.05)
            ),
        ]
    );
    assert_eq!(p.invoice.currency, "EUR");
    assert_eq!(
        (p.invoice.subtotal, p.invoice.tax_total, p.invoice.total),
        (dec!(99.26), dec!(19.85), dec!(119.11))
    );
    assert_eq!(
        (p.usage.included_minutes, p.usage.overage_minutes),
        (dec!(10), dec!(2.2))
    );
    // 1.75 USD at 0.92 EUR per USD.
    assert_eq!(p.owner.vapi_cost, dec!(1.61));
    assert_eq!(p.owner.margin, dec!(97.65));
    assert_sums(&p.invoice);
}

#[test]
fn an_empty_month_bills_the_fee_alone_and_audits_clean() {
    let fx = fixture();
    let p = month_preview(&fx, DORMANT, "2026-10");
    assert_eq!(
        lines(&p.invoice),
        vec![(
            "Monthly fee, October 2026".into(),
            dec!(1),
            dec!(25),
            dec!(25.00),
            dec!(0)
        )]
    );
    assert_eq!(p.usage.calls, 0);
    assert_eq!(p.owner.vapi_cost_usd, dec!(0));
    assert!(p.audit.is_clean());
    // A markup-only client with no calls at all gets an invoice with no line and a zero total.
    let empty = month_preview(&fx, ACME, "2026-08");
    assert!(empty.invoice.lines.is_empty());
    assert_eq!(empty.invoice.total, dec!(0));
    assert_eq!(empty.owner.margin_percent, None);
}

#[test]
fn the_audit_flags_no_cost_and_duration_mismatch_in_a_settled_month() {
    let fx = fixture();
    let audit = month_preview(&fx, ACME, "2026-10").audit;
    assert_eq!(audit.unsettled.count, 0);
    assert_eq!(audit.no_cost.count, 1);
    assert_eq!(audit.no_cost.calls[0].call_id, "acme-3");
    assert_eq!(audit.no_cost.calls[0].detail, "ended with a cost of 0");
    assert_eq!(audit.duration_mismatch.count, 1);
    let mismatch = &audit.duration_mismatch.calls[0];
    assert_eq!(mismatch.call_id, "acme-4");
    assert_eq!(
        mismatch.detail,
        "Vapi billed 3.00 min; startedAt to endedAt is 1.00 min"
    );
}

#[test]
fn a_month_with_unsettled_calls_is_previewed_with_them_flagged() {
    let fx = fixture();
    let p = month_preview(&fx, ACME, "2026-11");
    let unsettled: Vec<&str> = p
        .audit
        .unsettled
        .calls
        .iter()
        .map(|c| c.call_id.as_str())
        .collect();
    // One still in progress, one ended ten minutes before "now" (settle window 30 min).
    assert_eq!(unsettled, vec!["acme-nov-3", "acme-nov-2"]);
    assert_eq!(p.audit.unsettled.count, 2);
    assert!(p.audit.unsettled.calls[1].detail.contains("in-progress"));
    // Neither is reported as "no cost": an unsettled call's missing cost is expected.
    assert_eq!(p.audit.no_cost.count, 0);
    // Billed at the costs known now: (0.2 + 0.7) x 1.25 = 1.125 -> 1.13.
    assert_eq!(p.invoice.subtotal, dec!(1.13));
    assert_sums(&p.invoice);
    // An hour later the ended call has settled; the running one has not.
    let later = AuditOptions::at(now() + chrono::Duration::hours(1));
    let request = InvoiceRequest::new(
        ACME,
        Period::parse_month("2026-11").unwrap(),
        date("2026-11-30"),
    );
    let audit = fx
        .store
        .read(|c| billing::preview_invoice(c, &request, &later))
        .unwrap()
        .audit;
    assert_eq!(audit.unsettled.count, 1);
}

#[test]
fn custom_ranges_and_adjustments() {
    let fx = fixture();
    let from_to = Period::range(date("2026-10-05"), date("2026-10-06")).unwrap();
    let mut request = InvoiceRequest::new(BOLT, from_to, date("2026-10-07"));
    request.billing_months = 0;
    request.adjustments = vec![billing::Adjustment {
        description: "Outage credit".into(),
        amount: dec!(-0.10),
    }];
    let p = preview(&fx, &request).unwrap();
    // Only bolt-1..3 (Dispatcher, 3 min) fall in the range; no fee with 0 billed months.
    assert_eq!(
        lines(&p.invoice),
        vec![
            (
                "Dispatcher: 3 calls, 3 min".into(),
                dec!(3),
                dec!(0.125),
                dec!(0.38),
                dec!(0)
            ),
            (
                "Outage credit".into(),
                dec!(1),
                dec!(-0.10),
                dec!(-0.10),
                dec!(0)
            ),
        ]
    );
    assert_eq!(p.invoice.total, dec!(0.28));
    assert_sums(&p.invoice);

    request.adjustments[0].amount = dec!(0.001);
    assert!(matches!(
        preview(&fx, &request),
        Err(BillingError::InvalidRequest(_))
    ));
    request.adjustments[0].amount = dec!(0);
    assert!(matches!(
        preview(&fx, &request),
        Err(BillingError::InvalidRequest(_))
    ));
    request.adjustments.clear();
    request.billing_months = 25;
    assert!(matches!(
        preview(&fx, &request),
        Err(BillingError::InvalidRequest(_))
    ));
}

#[test]
fn credits_are_taxed_negatively_and_still_sum() {
    let fx = fixture();
    let mut request = InvoiceRequest::new(ACME, october(), date("2026-11-01"));
    request.adjustments = vec![billing::Adjustment {
        description: "Goodwill credit".into(),
        amount: dec!(-2.00),
    }];
    let p = preview(&fx, &request).unwrap();
    let credit = p.invoice.lines.last().unwrap();
    // -2.00 x 8.25 % = -0.165 -> -0.17 (half away from zero).
    assert_eq!(
        (credit.amount, credit.tax_amount),
        (dec!(-2.00), dec!(-0.17))
    );
    assert_eq!(p.invoice.total, dec!(3.42) - dec!(2.17));
    assert_sums(&p.invoice);
}

#[test]
fn missing_plan_client_and_bad_period_are_clear_errors() {
    let fx = fixture();
    let no_plan = InvoiceRequest::new(NO_PLAN, october(), date("2026-11-01"));
    assert!(matches!(
        preview(&fx, &no_plan),
        Err(BillingError::NoPlan { .. })
    ));
    let missing = InvoiceRequest::new("org-missing", october(), date("2026-11-01"));
    assert!(matches!(
        preview(&fx, &missing),
        Err(BillingError::ClientNotFound { .. })
    ));
    let mut backwards = InvoiceRequest::new(ACME, october(), date("2026-11-01"));
    backwards.period = Period {
        from: date("2026-10-31"),
        to: date("2026-10-01"),
    };
    assert!(matches!(
        preview(&fx, &backwards),
        Err(BillingError::InvalidPeriod(_))
    ));
}

#[test]
fn check_sums_catches_a_tampered_invoice() {
    let fx = fixture();
    let good = month_preview(&fx, ACME, "2026-10").invoice;
    let mut line_off = good.clone();
    line_off.lines[0].amount += dec!(0.01);
    assert!(matches!(
        line_off.check_sums(),
        Err(BillingError::DoesNotAddUp(_))
    ));
    let mut total_off = good.clone();
    total_off.total += dec!(0.01);
    assert!(matches!(
        total_off.check_sums(),
        Err(BillingError::DoesNotAddUp(_))
    ));
    let mut tax_off = good;
    tax_off.lines[1].tax_amount = dec!(0.09);
    tax_off.tax_total += dec!(0.01);
    assert!(matches!(
        tax_off.check_sums(),
        Err(BillingError::DoesNotAddUp(_))
    ));
}
