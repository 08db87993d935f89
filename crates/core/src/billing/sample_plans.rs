//! Sample pricing plans for the demo agency, so its Billing tabs and overview show each kind of
//! plan at work instead of an empty editor. Real agencies never get a plan they did not save.

use rusqlite::Connection;
use rust_decimal::Decimal;

use super::error::BillingError;
use super::plan::{IncludedMinutes, MinuteRounding, PricingPlan, TaxRule};
use super::plan_store::{load_plan, save_plan};
use crate::store::clients::{self, OrgKind};

/// One plan per pricing style, handed to the demo's clients in id order.
pub fn sample_plans() -> [PricingPlan; 4] {
    let usd = PricingPlan::default();
    [
        // Cost passed through with a markup.
        PricingPlan {
            markup_percent: Some(Decimal::new(40, 0)),
            ..usd.clone()
        },
        // Per-minute rate rounded up per call to the minute, a monthly fee, sales tax.
        PricingPlan {
            markup_percent: None,
            per_minute_rate: Some(Decimal::new(18, 2)),
            minute_rounding: MinuteRounding::UpTo60Seconds,
            monthly_fee: Some(Decimal::new(4900, 2)),
            tax: Some(TaxRule {
                code: "TAX".into(),
                rate_percent: Decimal::new(825, 2),
            }),
            ..usd.clone()
        },
        // A bundle: monthly fee with included minutes, overage in 6-second increments.
        PricingPlan {
            markup_percent: None,
            monthly_fee: Some(Decimal::new(19900, 2)),
            included_minutes: Some(IncludedMinutes {
                minutes: 500,
                overage_rate: Decimal::new(15, 2),
            }),
            minute_rounding: MinuteRounding::UpTo6Seconds,
            payment_terms_days: 14,
            ..usd.clone()
        },
        // A client billed in euros with VAT.
        PricingPlan {
            currency: "EUR".into(),
            usd_exchange_rate: Some(Decimal::new(92, 2)),
            markup_percent: Some(Decimal::new(25, 0)),
            monthly_fee: Some(Decimal::new(2900, 2)),
            tax: Some(TaxRule {
                code: "VAT 20".into(),
                rate_percent: Decimal::new(20, 0),
            }),
            ..usd
        },
    ]
}

/// Gives every client org without a plan its sample plan (the demo calls it once, when it
/// starts). Returns how many plans it saved.
pub fn seed_sample_plans(conn: &Connection) -> Result<usize, BillingError> {
    let samples = sample_plans();
    let orgs = clients::list(conn)?;
    let client_orgs = orgs.iter().filter(|o| o.kind == OrgKind::Client);
    let mut saved = 0;
    for (org, plan) in client_orgs.zip(samples.iter().cycle()) {
        if load_plan(conn, &org.id)?.is_none() {
            save_plan(conn, &org.id, plan)?;
            saved += 1;
        }
    }
    Ok(saved)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_plan_is_valid() {
        for plan in sample_plans() {
            assert!(plan.validate().is_ok(), "{plan:?}");
        }
    }
}
