//! Properties of the invoice builder over random plans and usage: every invoice adds up, to the
//! cent, and every line is what QuickBooks and Xero recompute from quantity and price.

use agencydesk_core::billing::money::round_cents;
use agencydesk_core::billing::usage::UsageGroup;
use agencydesk_core::billing::{
    build_invoice, Adjustment, BillTo, IncludedMinutes, InvoiceRequest, MinuteRounding, Period,
    PricingPlan, TaxRule,
};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn money(cents: i64) -> Decimal {
    Decimal::new(cents, 2)
}

fn plan_strategy() -> impl Strategy<Value = PricingPlan> {
    (
        proptest::option::of(0i64..50_000), // markup, hundredths of a percent
        proptest::option::of(1i64..20_000), // per-minute rate, ten-thousandths
        proptest::option::of(0i64..1_000_000), // monthly fee, cents
        proptest::option::of((0u32..5_000, 1i64..20_000)),
        proptest::option::of(0i64..3_000), // tax, hundredths of a percent
        0usize..4,
    )
        .prop_map(|(markup, rate, fee, included, tax, rounding)| {
            let (rate, included) = match (rate, included) {
                (Some(r), Some(_)) => (Some(r), None), // the one forbidden combination
                other => other,
            };
            PricingPlan {
                markup_percent: markup.map(|m| Decimal::new(m, 2)),
                per_minute_rate: rate.map(|r| Decimal::new(r, 4)),
                monthly_fee: fee.map(money),
                included_minutes: included.map(|(minutes, overage)| IncludedMinutes {
                    minutes,
                    overage_rate: Decimal::new(overage, 4),
                }),
                tax: tax.map(|t| TaxRule {
                    code: "TAX".into(),
                    rate_percent: Decimal::new(t, 2),
                }),
                minute_rounding: [
                    MinuteRounding::ExactSeconds,
                    MinuteRounding::UpTo6Seconds,
                    MinuteRounding::UpTo30Seconds,
                    MinuteRounding::UpTo60Seconds,
                ][rounding],
                ..PricingPlan::default()
            }
        })
        .prop_filter("bills something", |p| p.validate().is_ok())
}

fn groups_strategy() -> impl Strategy<Value = Vec<UsageGroup>> {
    proptest::collection::vec((1i64..500, 0i64..100_000_000, 0i64..50_000_000), 0..8).prop_map(
        |rows| {
            rows.into_iter()
                .enumerate()
                .map(|(i, (calls, ms, cost))| UsageGroup {
                    key: Some(format!("a{i}")),
                    label: format!("Assistant {i}"),
                    calls,
                    billed_millis: ms,
                    duration_millis: ms,
                    cost_micros: cost,
                })
                .collect()
        },
    )
}

proptest! {
    #[test]
    fn every_invoice_adds_up(
        plan in plan_strategy(),
        groups in groups_strategy(),
        credits in proptest::collection::vec(-100_000i64..100_000, 0..3),
        months in 0u32..3,
    ) {
        let period = Period::parse_month("2026-10").unwrap();
        let mut request =
            InvoiceRequest::new("org", period, NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
        request.billing_months = months;
        request.adjustments = credits
            .into_iter()
            .filter(|c| *c != 0)
            .map(|c| Adjustment { description: "adjustment".into(), amount: money(c) })
            .collect();
        let bill_to = BillTo { id: "org".into(), name: "Client".into() };
        let (invoice, owner, usage) = build_invoice(&plan, &bill_to, &request, &groups).unwrap();
        prop_assert!(invoice.check_sums().is_ok());
        let rate = plan.tax_percent() / Decimal::ONE_HUNDRED;
        for line in &invoice.lines {
            prop_assert_eq!(line.amount, round_cents(line.quantity * line.unit_price));
            prop_assert_eq!(line.tax_amount, round_cents(line.amount * rate));
            prop_assert!(line.amount.scale() <= 2 && line.quantity.normalize().scale() <= 4);
            prop_assert!(!line.amount.is_zero());
        }
        let lines_total: Decimal = invoice.lines.iter().map(|l| l.amount + l.tax_amount).sum();
        prop_assert_eq!(invoice.total, lines_total);
        prop_assert_eq!(owner.margin, invoice.subtotal - owner.vapi_cost);
        prop_assert_eq!(usage.calls, groups.iter().map(|g| g.calls).sum::<i64>());
    }
}
