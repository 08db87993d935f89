//! A client org's monthly billing limit at Vapi (`billingLimit`, which Vapi enforces by stopping
//! calls), read and changed with the org's own key, and the subscription facts Vapi reports
//! beside it. Nothing here is stored: Vapi's answer is the truth, asked for each time.

use std::str::FromStr;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use ts_rs::TS;

use super::Agency;
use crate::error::CoreError;
use crate::store::clients::OrgKind;
use crate::vapi::money::usd_to_micros;
use crate::vapi::{Org, UpdateOrgDto};

/// Vapi's highest self-service limit, USD a month ("to go beyond $1000/mo, contact us").
pub const MAX_BILLING_LIMIT_USD: i64 = 1000;

/// What the org's page and `clients limit` show.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct BillingLimits {
    pub org_id: String,
    pub org_name: String,
    /// USD a month; `null` when Vapi reports none.
    #[ts(type = "string | null")]
    pub billing_limit: Option<Decimal>,
    /// Most calls at once.
    pub concurrency_limit: Option<f64>,
    /// This org's call minutes across all time.
    pub minutes_used: Option<f64>,
    /// The Vapi account's subscription, shared by its orgs; `null` when Vapi sends none.
    pub subscription: Option<SubscriptionFacts>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "../../../ui/src/lib/bindings/")]
pub struct SubscriptionFacts {
    /// The tier (`pay-as-you-go`, `agency`, ...).
    pub kind: Option<String>,
    /// `active` or `frozen`.
    pub status: Option<String>,
    /// Credit balance in USD, as Vapi wrote it.
    pub credits: Option<String>,
    pub minutes_included: Option<f64>,
    /// Minutes used since the monthly reset, by all the account's orgs.
    pub minutes_used: Option<f64>,
    pub concurrency_limit_included: Option<f64>,
    pub call_retention_days: Option<f64>,
}

/// The limit typed by a person (`250`, `99.50`, `$250`), as Vapi would accept it: 0 to 1000
/// USD, in cents.
pub fn check_billing_limit(text: &str) -> Result<Decimal, CoreError> {
    let typed = text.trim();
    let amount = Decimal::from_str(typed.strip_prefix('$').unwrap_or(typed)).map_err(|_| {
        CoreError::InvalidInput(format!(
            "{typed:?} is not an amount: enter the monthly limit in USD, such as 250."
        ))
    })?;
    let in_range = amount >= Decimal::ZERO && amount <= Decimal::from(MAX_BILLING_LIMIT_USD);
    if !in_range {
        return Err(CoreError::InvalidInput(format!(
            "A billing limit must be between 0 and {MAX_BILLING_LIMIT_USD} USD a month ({amount} \
             is not); Vapi raises it beyond {MAX_BILLING_LIMIT_USD} only on request to its \
             support."
        )));
    }
    if amount.normalize().scale() > 2 {
        return Err(CoreError::InvalidInput(format!(
            "A billing limit is in whole cents: {amount} has more than 2 decimals."
        )));
    }
    Ok(amount.normalize())
}

fn limits_of(org_name: String, org: Org) -> BillingLimits {
    BillingLimits {
        org_id: org.id,
        org_name: org
            .name
            .filter(|n| !n.trim().is_empty())
            .unwrap_or(org_name),
        billing_limit: org
            .billing_limit
            .and_then(usd_to_micros)
            .map(|micros| Decimal::new(micros, 6).normalize()),
        concurrency_limit: org.concurrency_limit,
        minutes_used: org.minutes_used,
        subscription: org.subscription.map(|s| SubscriptionFacts {
            kind: s.kind,
            status: s.status,
            credits: s.credits,
            minutes_included: s.minutes_included,
            minutes_used: s.minutes_used,
            concurrency_limit_included: s.concurrency_limit_included,
            call_retention_days: s.call_retention_days,
        }),
    }
}

impl Agency {
    /// The client org's billing limit and subscription facts, asked of Vapi now.
    pub async fn billing_limits(&self, org_id: &str) -> Result<BillingLimits, CoreError> {
        let row = self.client_row(org_id)?;
        let client = self.client_for(&row.id).await?;
        let org = client.get_org(&row.id).await?;
        Ok(limits_of(row.name, org))
    }

    /// Sets the client org's monthly billing limit at Vapi (checked here first, as Vapi
    /// checks it) and returns what Vapi then reports.
    pub async fn set_billing_limit(
        &self,
        org_id: &str,
        amount: &str,
    ) -> Result<BillingLimits, CoreError> {
        let amount = check_billing_limit(amount)?;
        let row = self.client_row(org_id)?;
        let client = self.client_for(&row.id).await?;
        let dto = UpdateOrgDto {
            billing_limit: amount.to_f64(),
            ..UpdateOrgDto::default()
        };
        let org = client.update_org(&row.id, &dto).await?;
        Ok(limits_of(row.name, org))
    }

    fn client_row(&self, org_id: &str) -> Result<crate::store::clients::ClientOrgRow, CoreError> {
        let row = self.row(org_id)?;
        if row.kind == OrgKind::Agency {
            return Err(CoreError::InvalidInput(format!(
                "{} is your agency's own org: its billing limit is yours to set in the Vapi \
                 dashboard, not a client's.",
                row.name
            )));
        }
        Ok(row)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_checked_as_vapi_does_in_cents() {
        for (ok, want) in [
            ("0", "0"),
            ("1000", "1000"),
            (" 250.50 ", "250.5"),
            ("$99.99", "99.99"),
        ] {
            assert_eq!(check_billing_limit(ok).unwrap().to_string(), want, "{ok}");
        }
        for bad in ["-1", "1000.01", "5000", "10.001", "ten", ""] {
            assert!(check_billing_limit(bad).is_err(), "{bad}");
        }
    }
}
